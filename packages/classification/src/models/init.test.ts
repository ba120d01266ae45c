import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { variableName } from '@ausam/core';
import { createModel } from './factory';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Largest |value| of the model's variable registered as `name`. */
function maxAbs(name: string, init?: 'pytorch' | 'he-normal'): number {
  const model = createModel('resnet-small', { numClasses: 10, inputChannels: 1, seed: 1, init });
  const variable = model.trainableVariables.find((v) => variableName(v) === name)!;
  const value = tf.max(tf.abs(variable)).dataSync()[0];
  model.dispose();
  return value;
}

describe('classification model initialisation', () => {
  // stage3/block0/conv2: 3·3·64 = 576 fan-in, 36,864 values.
  const bound = 1 / Math.sqrt(576);

  it("defaults to PyTorch's nn.Conv2d init, U(±1/√fan-in)", () => {
    const value = maxAbs('stage3/block0/conv2/filter');
    expect(value).toBeLessThanOrEqual(bound);
    expect(value).toBeGreaterThan(0.99 * bound);
  });

  it("keeps He-normal selectable with init: 'he-normal'", () => {
    // N(0, 2/576) exceeds 1/√576 in about 48% of draws: the largest is several bounds out.
    expect(maxAbs('stage3/block0/conv2/filter', 'he-normal')).toBeGreaterThan(3 * bound);
  });

  it('rejects an unknown init', () => {
    expect(() => createModel('resnet-small', { numClasses: 10, inputChannels: 1, seed: 1, init: 'xavier' as never })).toThrow(
      /init must be 'pytorch' or 'he-normal', found 'xavier'/,
    );
  });
});
