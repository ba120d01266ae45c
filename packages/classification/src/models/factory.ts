import { ParameterRegistry, Rng, type Initializer } from '@ausam/core';
import type { ClassifierModel, ModelOptions } from './classifier-model';
import { MobileNetV1 } from './mobilenet';
import { PyramidNet } from './pyramidnet';
import { cifarResNet, resnet18 } from './resnet';
import { WideResNet } from './wide-resnet';

/** Examples of the names {@link createModel} understands (patterns in its TSDoc). */
export const MODEL_NAMES: readonly string[] = [
  'resnet-small',
  'resnet18',
  'resnet20',
  'resnet32',
  'resnet56',
  'wrn-16-2',
  'wrn-16-4',
  'wrn-16-8',
  'wrn-28-10',
  'wrn-28-10-ausam',
  'pyramidnet-110-48',
  'pyramidnet-110-270',
  'pyramidnet-272-200-bottleneck',
  'mobilenetv1',
  'mobilenetv1-0.5',
];

/**
 * Builds a classifier by name:
 * - `resnet-small`: He et al.'s CIFAR ResNet-8 at width 16 (one basic block per stage) whose first
 *   stage has stride 2, 78,330 parameters for 3-channel input (78,042 for 1-channel); the CPU-scale
 *   model of the demo (Fashion-MNIST, wasm backend), about 2.3M multiply-adds per 28×28 image forward;
 * - `resnet18`: the CIFAR ResNet-18 (3×3 stem, no max-pool);
 * - `resnet<6n+2>`: He et al.'s CIFAR ResNets (`resnet20`, `resnet32`, `resnet56`, `resnet110`, …);
 * - `wrn-<depth>-<k>`: Wide ResNets as Zagoruyko & Komodakis build them (`wrn-28-10`, 36,479,194
 *   parameters on CIFAR-10; `wrn-16-8`, …), and `wrn-<depth>-<k>-ausam`: the WRN of ajiaaa/AUSAM's
 *   code, one more block per group (`wrn-28-10-ausam`, 46,160,474 parameters on CIFAR-10);
 * - `pyramidnet-<depth>-<alpha>`: basic-unit PyramidNet (depth 6n+2), and
 *   `pyramidnet-<depth>-<alpha>-bottleneck` (depth 9n+2, e.g. the SAM paper's `pyramidnet-272-200-bottleneck`);
 * - `mobilenetv1` / `mobilenetv1-<alpha>`: MobileNetV1 with width multiplier α (stem stride 1).
 */
export function createModel(name: string, options: ModelOptions): ClassifierModel {
  const key = name.trim().toLowerCase();
  if (key === 'resnet-small') return cifarResNet(options, 8, 16, 'resnet-small', 2);
  if (key === 'resnet18') return resnet18(options);
  let match = /^resnet(\d+)$/.exec(key);
  if (match) return cifarResNet(options, integer(match[1], 'depth', name));
  match = /^wrn-(\d+)-(\d+)(-ausam)?$/.exec(key);
  if (match) {
    const variant = match[3] === undefined ? 'standard' : 'ausam';
    return new WideResNet(options, integer(match[1], 'depth', name), integer(match[2], 'widen factor', name), variant);
  }
  match = /^pyramidnet-(\d+)-(\d+(?:\.\d+)?)(-bottleneck)?$/.exec(key);
  if (match) {
    return new PyramidNet(options, {
      depth: integer(match[1], 'depth', name),
      alpha: Number(match[2]),
      bottleneck: match[3] !== undefined,
    });
  }
  match = /^mobilenetv1(?:-(\d+(?:\.\d+)?))?$/.exec(key);
  if (match) return new MobileNetV1(options, { widthMultiplier: match[1] === undefined ? 1 : Number(match[1]) });
  throw new Error(
    `createModel: unknown model '${name}'; expected one of resnet-small, resnet18, resnet<6n+2>, ` +
      `wrn-<depth>-<k>[-ausam], pyramidnet-<depth>-<alpha>[-bottleneck], mobilenetv1[-<alpha>] (e.g. ${MODEL_NAMES.join(', ')})`,
  );
}

/**
 * Trained-parameter count of the model `name` would build, without drawing random initial values
 * (variables are zero-filled, then released), so even WRN-28-10 takes well under a second.
 */
export function countParameters(name: string, options: Omit<ModelOptions, 'seed' | 'registry'>): number {
  const model = createModel(name, { ...options, seed: 0, registry: new ZeroFilledRegistry() });
  try {
    return model.parameterCount();
  } finally {
    model.dispose();
  }
}

/** A registry whose variables start at zero: the same shapes and names, no random draws. */
export class ZeroFilledRegistry extends ParameterRegistry {
  constructor() {
    super(new Rng(0));
  }

  override weight(name: string, shape: number[], _init: Initializer) {
    return super.weight(name, shape, { kind: 'zeros' });
  }

  override buffer(name: string, shape: number[], _init: Initializer) {
    return super.buffer(name, shape, { kind: 'zeros' });
  }
}

function integer(text: string, what: string, name: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new Error(`createModel '${name}': ${what} must be a positive integer, found '${text}'`);
  }
  return value;
}
