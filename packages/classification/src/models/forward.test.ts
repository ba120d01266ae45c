import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@ausam/core';
import type { ClassifierModel } from './classifier-model';
import { createModel, ZeroFilledRegistry } from './factory';

beforeAll(async () => {
  await selectBackend({ force: 'wasm', log: () => {} });
});

const TRAIN = { training: true, updateStatistics: true };
const SAM_SECOND_PASS = { training: true, updateStatistics: false };
const EVAL = { training: false, updateStatistics: false };

/** [name, input height/width, input channels]: one small member of each family. */
const FAMILIES: [name: string, size: number, channels: number][] = [
  ['resnet-small', 12, 1],
  ['resnet20', 8, 3],
  ['wrn-16-2', 8, 3],
  ['wrn-10-2-ausam', 8, 3],
  ['pyramidnet-20-12', 8, 3],
  ['pyramidnet-20-12-bottleneck', 7, 3],
  ['mobilenetv1-0.25', 8, 3],
];

function runningStatistics(model: ClassifierModel): number[] {
  return model.stateVariables.flatMap((v) => Array.from(v.dataSync()));
}

describe('forward', () => {
  it.each(FAMILIES)('%s: logits [batch, classes], finite, statistics move only when asked', (name, size, channels) => {
    const model = createModel(name, { numClasses: 5, inputChannels: channels, seed: 1 });
    const before = tf.memory().numTensors;
    const images = tf.randomNormal([3, size, size, channels], 0, 1, 'float32', 2) as tf.Tensor4D;
    const initial = runningStatistics(model);

    for (const mode of [EVAL, SAM_SECOND_PASS]) {
      const logits = tf.tidy(() => model.forward(images, mode));
      expect(logits.shape).toEqual([3, 5]);
      expect(Array.from(logits.dataSync()).every(Number.isFinite)).toBe(true);
      logits.dispose();
      expect(runningStatistics(model)).toEqual(initial);
    }
    tf.tidy(() => {
      model.forward(images, TRAIN);
    });
    expect(runningStatistics(model)).not.toEqual(initial);

    images.dispose();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('resnet18 (CIFAR) gives [batch, classes] logits on a small image', () => {
    // Zero-filled variables: the shapes are what is under test, and 11M random draws are slow.
    const model = createModel('resnet18', { numClasses: 7, inputChannels: 3, seed: 0, registry: new ZeroFilledRegistry() });
    const logits = tf.tidy(() => model.forward(tf.ones([2, 8, 8, 3]) as tf.Tensor4D, EVAL));
    expect(logits.shape).toEqual([2, 7]);
    logits.dispose();
    model.dispose();
  });

  it('describes each model with the paper it comes from', () => {
    const cases: [string, RegExp][] = [
      ['resnet-small', /resnet-small.*ResNet-8.*He et al\. 2016/],
      ['resnet20', /ResNet-20.*He et al\. 2016/],
      ['wrn-16-2', /WRN-16-2.*Zagoruyko & Komodakis 2016/],
      ['wrn-28-10-ausam', /WRN-28-10.*ajiaaa\/AUSAM's variant: 5 blocks per group/],
      ['pyramidnet-20-12', /PyramidNet-20 \(alpha 12, basic.*Han et al\. 2017/],
      ['mobilenetv1-0.25', /MobileNetV1.*Howard et al\. 2017.*0\.25/],
    ];
    for (const [name, pattern] of cases) {
      const model = createModel(name, { numClasses: 3, inputChannels: 3, seed: 0, registry: new ZeroFilledRegistry() });
      expect(model.description).toMatch(pattern);
      model.dispose();
    }
  });
});
