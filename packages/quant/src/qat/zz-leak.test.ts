import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@ausam/core';
import { createModel } from '@ausam/classification';
import { QuantizedClassifier } from './quantized-classifier';
it('leak', async () => {
  await selectBackend({ force: 'wasm', log: () => {} });
  for (const [n, size] of [[4, 8], [64, 28], [8, 28]]) {
    const model = new QuantizedClassifier(createModel('resnet-small', { numClasses: 10, inputChannels: 1, seed: 0 }), { weightBits: 4, activationBits: 4 });
    const x = tf.randomNormal([n, size, size, 1]) as tf.Tensor4D;
    for (const mode of [{ training: true, updateStatistics: true }, { training: true, updateStatistics: false }, { training: false, updateStatistics: false }]) {
      try {
        tf.tidy(() => void model.forward(x, mode));
        console.log(n, size, JSON.stringify(mode), 'ok');
      } catch (e) {
        console.log(n, size, JSON.stringify(mode), (e as Error).message, (e as Error).stack?.split('\n').filter((l) => l.includes('quant/src')).slice(0, 4).join(' | '));
      }
    }
    model.dispose();
  }
});
