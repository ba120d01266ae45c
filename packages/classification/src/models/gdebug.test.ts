import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { crossEntropy } from '../task/classification-task';
import { cifarResNet } from './resnet';
import { createModel } from './factory';

function check(label: string, f: () => tf.Scalar, variables: tf.Variable[]) {
  const { grads } = tf.variableGrads(f, variables);
  const norm = Math.sqrt(variables.reduce((s, v) => s + tf.sum(tf.square(grads[v.name])).dataSync()[0], 0));
  const directions = variables.map((v) => tf.div(grads[v.name], norm));
  const originals = variables.map((v) => v.clone());
  const lossAt = (step: number) => {
    variables.forEach((v, i) => v.assign(tf.tidy(() => tf.add(originals[i], tf.mul(directions[i], step)))));
    return tf.tidy(() => f().dataSync()[0]);
  };
  const out = [] as string[];
  for (const h of [1e-1, 3e-2, 1e-2, 3e-3, 1e-3]) out.push(`${h}:${((lossAt(h) - lossAt(-h)) / (2 * h) / norm).toFixed(5)}`);
  variables.forEach((v, i) => v.assign(originals[i]));
  console.log(label, 'norm', norm.toFixed(4), 'ratio', out.join(' '));
}

test('debug', async () => {
  await tf.setBackend('cpu');
  const images = tf.randomNormal([4, 6, 6, 1], 0, 1, 'float32', 11) as tf.Tensor4D;
  const labels = tf.tensor1d([0, 1, 2, 0], 'int32');
  for (const size of [16, 32]) {
    const im = tf.randomNormal([4, size, size, 3], 0, 1, 'float32', 11) as tf.Tensor4D;
    for (const bs of [1]) {
    const model = createModel('mobilenetv1-0.125', { numClasses: 3, inputChannels: 3, seed: 5 });
    check('mobilenet ' + size, () => tf.mean(crossEntropy(model.forward(im, { training: true, updateStatistics: false }), labels)), model.trainableVariables as tf.Variable[]);
    check('mobilenet eval ' + size, () => tf.mean(crossEntropy(model.forward(im, { training: false, updateStatistics: false }), labels)), model.trainableVariables as tf.Variable[]);
    }
  }
  return;
  for (const mode of [{ training: false, updateStatistics: false }, { training: true, updateStatistics: false }]) {
    for (const seed of [3, 4, 5]) {
      const model = cifarResNet({ numClasses: 3, inputChannels: 1, seed }, 8, 4);
      check(`resnet training=${mode.training} seed ${seed}`, () => tf.mean(crossEntropy(model.forward(images, mode), labels)), model.trainableVariables as tf.Variable[]);
    }
  }
  const im3 = tf.randomNormal([4, 8, 8, 3], 0, 1, 'float32', 11) as tf.Tensor4D;
  for (const name of ['pyramidnet-20-8', 'mobilenetv1-0.125', 'wrn-10-1']) {
    const model = createModel(name, { numClasses: 3, inputChannels: 3, seed: 5 });
    check(name, () => tf.mean(crossEntropy(model.forward(im3, { training: true, updateStatistics: false }), labels)), model.trainableVariables as tf.Variable[]);
  }
});
