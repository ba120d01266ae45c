import * as tf from '@tensorflow/tfjs-core';
import { Sam, Sgd, selectBackend } from '@ausam/core';
import { ClassificationTask, createModel } from '@ausam/classification';
import { QuantizedClassifier } from './quantized-classifier';
it('timing', async () => {
  await selectBackend({ force: 'wasm', log: () => {} });
  for (const quantize of [false, true]) {
    const base = createModel('resnet-small', { numClasses: 10, inputChannels: 1, seed: 0 });
    const model = quantize ? new QuantizedClassifier(base, { weightBits: 4, activationBits: 4 }) : base;
    const task = new ClassificationTask(model);
    const optimizer = new Sam(new Sgd({ momentum: 0.9 }), { rho: 0.05 });
    const b = { ids: Int32Array.from({length: 64}, (_, i) => i), images: tf.randomNormal([64, 28, 28, 1]) as tf.Tensor4D, labels: tf.tensor1d(Array.from({length: 64}, (_, i) => i % 10), 'int32') };
    optimizer.step({ task, batch: b, learningRate: 0.05 });
    let t = Date.now();
    tf.tidy(() => void model.forward(b.images, { training: true, updateStatistics: false }));
    console.log(quantize, 'forward', Date.now() - t);
    t = Date.now();
    optimizer.step({ task, batch: b, learningRate: 0.05 });
    console.log(quantize, 'step', Date.now() - t);
  }
});
