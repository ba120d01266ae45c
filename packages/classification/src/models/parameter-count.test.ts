import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { countParameters, createModel } from './factory';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/**
 * Expected trained-parameter counts (conv filters, BatchNorm γ/β, linear weights and biases;
 * BatchNorm running statistics excluded), for 3-channel 32×32 inputs:
 * - published exact counts: ResNet-18 CIFAR 11,173,962 and WRN-28-10 36,479,194 (the numbers quoted
 *   for kuangliu/pytorch-cifar and xternalz/WideResNet-pytorch); ResNet-20/56 with 1×1-conv+BN
 *   projection shortcuts 272,474 / 855,770 and PyramidNets (osmr/imgclsmob's asserted
 *   `weight_count`s, e.g. PyramidNet-272 α200 bottleneck 26,210,842; the paper rounds to 26.0M);
 *   MobileNetV1 α=1 with 1000 classes 4,231,976 (Keras' trainable count; paper: 4.2M).
 * - derived: ResNet-32 = 464,154 (option-A count, 0.46M in He et al. Table 6) + 2,752 projection
 *   parameters (1×1 convs 16·32 + 32·64 = 2,560, their BN 2·(32+64) = 192) = 466,906. WRN-16-8
 *   10,961,370 and WRN-16-2/16-4 follow the same construction as WRN-28-10 (paper: 11.0M for 16-8).
 *   resnet-small (ResNet-8, width 16, first stage stride 2): 78,330 counted, hand-checked below.
 *   ajiaaa/AUSAM's WRN-28-10 (`wrn-28-10-ausam`, 5 blocks per group): 46,160,474, counted from
 *   the architecture below.
 */
const EXPECTED: [name: string, numClasses: number, count: number][] = [
  ['resnet18', 10, 11_173_962],
  ['resnet20', 10, 272_474],
  ['resnet20', 100, 278_324],
  ['resnet32', 10, 466_906],
  ['resnet56', 10, 855_770],
  ['wrn-28-10', 10, 36_479_194],
  ['wrn-28-10-ausam', 10, 46_160_474],
  ['wrn-28-10-ausam', 100, 46_218_164],
  ['wrn-16-8', 10, 10_961_370],
  ['wrn-16-4', 10, 2_748_890],
  ['wrn-16-2', 10, 691_674],
  ['pyramidnet-110-48', 10, 1_772_706],
  ['pyramidnet-110-48', 100, 1_778_556],
  ['pyramidnet-110-84', 10, 3_904_446],
  // the same construction as the asserted 110-48 (stem, basic units BN–conv–BN–ReLU–conv–BN with
  // Python-rounded widths, final BN, linear), at ajiaaa/AUSAM's α = 270
  ['pyramidnet-110-270', 10, 28_485_477],
  ['pyramidnet-110-270', 100, 28_511_307],
  ['pyramidnet-272-200-bottleneck', 10, 26_210_842],
  ['mobilenetv1', 1000, 4_231_976],
  ['mobilenetv1', 10, 3_217_226],
  ['resnet-small', 10, 78_330],
];

describe('parameter counts', () => {
  it.each(EXPECTED)('%s with %i classes has %i trained parameters', (name, numClasses, expected) => {
    const before = tf.memory().numTensors;
    expect(countParameters(name, { numClasses, inputChannels: 3 })).toBe(expected);
    expect(tf.memory().numTensors).toBe(before);
  });

  /**
   * A WRN counted from its architecture: stem 3×3×3×16; per block BN(in) + conv3×3(in→out) + BN(out)
   * + conv3×3(out→out), plus a 1×1 projection (in·out, no BN) on the blocks that have one; final
   * BN(64k) and the linear layer.
   */
  function wideResNetCount(depth: number, k: number, classes: number, variant: 'standard' | 'ausam'): number {
    const n = (depth - 4) / 6;
    let count = 9 * 3 * 16;
    let channels = 16;
    for (const width of [16 * k, 32 * k, 64 * k]) {
      const blocks = variant === 'ausam' ? n + 1 : n;
      for (let b = 0; b < blocks; b++) {
        count += 2 * channels + 9 * channels * width + 2 * width + 9 * width * width;
        if (b === 0) count += channels * width; // every group's first block projects here (16 → 16k, then strided)
        channels = width;
      }
    }
    return count + 2 * channels + channels * classes + classes;
  }

  it('WRN-28-10 matches its architecture: the standard 4 blocks per group, the authors\' 5', () => {
    expect(wideResNetCount(28, 10, 10, 'standard')).toBe(36_479_194);
    expect(wideResNetCount(28, 10, 10, 'ausam')).toBe(46_160_474);
    expect(wideResNetCount(28, 10, 100, 'ausam')).toBe(46_218_164);
    expect(countParameters('wrn-16-2-ausam', { numClasses: 10, inputChannels: 3 })).toBe(wideResNetCount(16, 2, 10, 'ausam'));
  });

  it('resnet-small matches a hand count', () => {
    const bn = (c: number) => 2 * c;
    const conv = (k: number, cin: number, cout: number) => k * k * cin * cout;
    const stem = conv(3, 3, 16) + bn(16);
    // the first stage downsamples (stride 2), so its block has a 1×1 projection shortcut
    const stage1 = conv(3, 16, 16) + bn(16) + conv(3, 16, 16) + bn(16) + conv(1, 16, 16) + bn(16);
    const stage2 = conv(3, 16, 32) + bn(32) + conv(3, 32, 32) + bn(32) + conv(1, 16, 32) + bn(32);
    const stage3 = conv(3, 32, 64) + bn(64) + conv(3, 64, 64) + bn(64) + conv(1, 32, 64) + bn(64);
    const head = 64 * 10 + 10;
    expect(stem + stage1 + stage2 + stage3 + head).toBe(78_330);
    // Fashion-MNIST input: 1 channel instead of 3 in the stem.
    expect(countParameters('resnet-small', { numClasses: 10, inputChannels: 1 })).toBe(78_330 - 2 * 9 * 16);
  });

  it('a seeded model has the counted parameters, deterministic values, and frees them on dispose', () => {
    const before = tf.memory().numTensors;
    const a = createModel('resnet20', { numClasses: 10, inputChannels: 3, seed: 7 });
    const b = createModel('resnet20', { numClasses: 10, inputChannels: 3, seed: 7 });
    const c = createModel('resnet20', { numClasses: 10, inputChannels: 3, seed: 8 });
    expect(a.parameterCount()).toBe(countParameters('resnet20', { numClasses: 10, inputChannels: 3 }));
    expect(a.trainableVariables.reduce((s, v) => s + v.size, 0)).toBe(272_474);
    // BatchNorm running mean and variance: 2 per channel of each of the 21 BN layers (19 + 2 shortcut).
    expect(a.stateVariables.length).toBe(2 * 21);
    expect(Array.from(a.trainableVariables[0].dataSync())).toEqual(Array.from(b.trainableVariables[0].dataSync()));
    expect(Array.from(a.trainableVariables[0].dataSync())).not.toEqual(Array.from(c.trainableVariables[0].dataSync()));
    for (const m of [a, b, c]) m.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects unknown names and invalid depths', () => {
    const options = { numClasses: 10, inputChannels: 3 };
    expect(() => countParameters('vgg16', options)).toThrow(/unknown model 'vgg16'/);
    expect(() => countParameters('resnet21', options)).toThrow(/6n\+2/);
    expect(() => countParameters('wrn-27-10', options)).toThrow(/6n\+4/);
    expect(() => countParameters('pyramidnet-112-48-bottleneck', options)).toThrow(/9n\+2/);
    expect(() => countParameters('resnet20', { numClasses: 0, inputChannels: 3 })).toThrow(/numClasses/);
  });
});
