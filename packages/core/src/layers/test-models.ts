import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/** Options of {@link smallCnn}. */
export interface SmallCnnOptions {
  seed?: number;
  /** L2 factor of the dense layer's kernel regularizer (none by default). */
  l2?: number;
  /** The dense layer's activation (default softmax). */
  outputActivation?: 'softmax' | 'linear';
}

/** The tf.sequential CNN at test size: conv2d → batchNormalization → relu → flatten → dense(3), on 6×6×1 inputs. */
export function smallCnn(options: SmallCnnOptions = {}): tfl.Sequential {
  const seed = options.seed ?? 1;
  const model = tfl.sequential();
  model.add(tfl.layers.conv2d({ inputShape: [6, 6, 1], filters: 4, kernelSize: 3, kernelInitializer: tfl.initializers.glorotUniform({ seed }) }));
  model.add(tfl.layers.batchNormalization({ momentum: 0.9 }));
  model.add(tfl.layers.activation({ activation: 'relu' }));
  model.add(tfl.layers.flatten());
  model.add(
    tfl.layers.dense({
      units: 3,
      activation: options.outputActivation ?? 'softmax',
      kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + 1 }),
      kernelRegularizer: options.l2 ? tfl.regularizers.l2({ l2: options.l2 }) : undefined,
    }),
  );
  return model;
}

/** `count` seeded 6×6×1 images and one-hot labels of 3 classes. */
export function smallData(count: number, seed = 7): { x: tf.Tensor4D; y: tf.Tensor2D; labels: tf.Tensor1D } {
  return tf.tidy(() => {
    const x = tf.randomNormal([count, 6, 6, 1], 0, 1, 'float32', seed) as tf.Tensor4D;
    const labels = tf.cast(tf.floor(tf.randomUniform([count], 0, 3, 'float32', seed + 1)), 'int32') as tf.Tensor1D;
    return { x, y: tf.cast(tf.oneHot(labels, 3), 'float32') as tf.Tensor2D, labels };
  });
}

/** A copy of `model`'s weights, as plain arrays (trainable and not, in `model.weights` order). */
export function weightValues(model: tfl.LayersModel): Float32Array[] {
  return model.getWeights().map((w) => (w.dataSync() as Float32Array).slice());
}

/** Max |a − b| over every entry of two weight lists. */
export function maxDifference(a: Float32Array[], b: Float32Array[]): number {
  let worst = 0;
  a.forEach((values, i) => values.forEach((v, k) => (worst = Math.max(worst, Math.abs(v - b[i][k])))));
  return worst;
}
