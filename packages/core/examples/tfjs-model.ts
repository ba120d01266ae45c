import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { selectBackend } from '@ausam/core';
import { fitWithMethod, sam } from '@ausam/core/layers';

/** Your tf.sequential CNN, as you would write it for model.fit. */
function cnn(): tfl.Sequential {
  const model = tfl.sequential();
  model.add(tfl.layers.conv2d({ inputShape: [8, 8, 1], filters: 8, kernelSize: 3, activation: 'relu', kernelInitializer: tfl.initializers.heNormal({ seed: 1 }) }));
  model.add(tfl.layers.batchNormalization());
  model.add(tfl.layers.flatten());
  model.add(tfl.layers.dense({ units: 2, activation: 'softmax', kernelRegularizer: tfl.regularizers.l2({ l2: 1e-4 }), kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }) }));
  return model;
}

/** 8×8 noise images; class 1 has a bright 3×3 square at its centre. */
function data(count: number, seed: number): [tf.Tensor4D, tf.Tensor2D] {
  return tf.tidy(() => {
    const labels = tf.cast(tf.greater(tf.randomUniform([count], 0, 1, 'float32', seed), 0.5), 'int32');
    const square = tf.reshape(tf.pad(tf.ones([3, 3]), [[2, 3], [2, 3]]), [1, 8, 8, 1]);
    const images = tf.add(tf.randomNormal([count, 8, 8, 1], 0, 1, 'float32', seed + 1), tf.mul(tf.cast(tf.reshape(labels, [count, 1, 1, 1]), 'float32'), square));
    return [images as tf.Tensor4D, tf.cast(tf.oneHot(labels, 2), 'float32') as tf.Tensor2D];
  });
}

export async function main(): Promise<{ sam: number; ausam: number }> {
  await selectBackend({ log: () => {} });
  const [x, y] = data(512, 1);
  const [testX, testY] = data(256, 2);

  // SAM (or asam(...)) as a tf.Optimizer: model.fit, callbacks, tf.History and model.save as usual.
  const model = cnn();
  model.compile({ optimizer: sam(tf.train.momentum(0.05, 0.9), { rho: 0.05, model }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  await model.fit(x, y, { epochs: 4, batchSize: 32, verbose: 0 });
  const samAccuracy = (model.evaluate(testX, testY) as tf.Scalar[])[1].dataSync()[0];

  // AUSAM (or any of core's methods) with fit's argument names; returns a tf.History.
  const other = cnn();
  const history = await fitWithMethod(other, x, y, {
    method: 'ausam', rho: 0.05, ratio: 0.5, loss: 'categoricalCrossentropy', optimizer: tf.train.momentum(0.05, 0.9),
    epochs: 4, batchSize: 32, validationData: [testX, testY], verbose: 0, seed: 1,
  });
  const ausamAccuracy = history.history.val_acc[3] as number;
  console.log(`sam: test accuracy ${samAccuracy.toFixed(3)}; ausam: test accuracy ${ausamAccuracy.toFixed(3)}`);
  return { sam: samAccuracy, ausam: ausamAccuracy };
}

if (require.main === module) main().catch((error) => { console.error(error); process.exitCode = 1; });
