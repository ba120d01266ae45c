import type * as tf from '@tensorflow/tfjs-core';
import { ParameterRegistry, Rng, type ConvInit, type DenseInit, type ForwardMode, type TrainableModel } from '@ausam/core';
import { DEFAULT_CONV_INIT } from './layers';

/** An image classifier: NHWC float32 images in, logits out. */
export interface ClassifierModel extends TrainableModel {
  /**
   * Logits `[batch, numClasses]`. Runs inside the caller's gradient scope / tidy: intermediate
   * tensors are left to the caller. BatchNorm running statistics move only when
   * `mode.updateStatistics`.
   */
  forward(images: tf.Tensor4D, mode: ForwardMode): tf.Tensor2D;
  /** Number of trained scalars (BatchNorm running statistics excluded). */
  parameterCount(): number;
  /** Releases every variable of the model. */
  dispose(): void;
  /** Human-readable architecture summary, e.g. `ResNet-20 (He et al. 2016, CIFAR, option-B shortcuts)`. */
  readonly description: string;
  readonly numClasses: number;
}

/** How a model's variables start: a convolution init for every conv, or the authors' per-model choice. */
export type ModelInit = ConvInit | 'authors';

/** The initialisation ajiaaa/AUSAM's model file gives an architecture (`init: 'authors'`). */
export interface AuthorsInit {
  readonly conv: ConvInit;
  readonly head: DenseInit;
  /** Where the authors' code sets it, for docs and errors. */
  readonly source: string;
}

const MODEL_INITS: readonly ModelInit[] = ['pytorch', 'he-normal', 'he-normal-fan-out', 'authors'];

/** What every architecture needs to be built. */
export interface ModelOptions {
  readonly numClasses: number;
  /** Channels of the input images (3 for CIFAR, 1 for (Fashion-)MNIST). */
  readonly inputChannels: number;
  /** Seed of the variables' initial values: equal seeds give equal models. */
  readonly seed: number;
  /**
   * Initialisation: 'pytorch' (default; `nn.Conv2d`'s kaiming_uniform(a=√5), U(±1/√fan-in), so a
   * recipe ported from PyTorch starts from the same distribution), 'he-normal' (N(0, 2/fan-in),
   * He et al. 2015), 'he-normal-fan-out' (N(0, 2/(k²·out))) — these three set the convolutions,
   * and the linear head keeps `nn.Linear`'s init — or 'authors': what ajiaaa/AUSAM's model files do
   * for this architecture ({@link AuthorsInit}; WRN: He-normal fan-in convs and a zero head;
   * PyramidNet: fan-out normal convs; ResNet-18: PyTorch's defaults), refused by models the authors
   * did not train. BatchNorm always starts at γ = 1, β = 0.
   */
  readonly init?: ModelInit;
  /**
   * Advanced: create the variables in this registry instead of a fresh one seeded from `seed`
   * (e.g. a zero-filling registry to count parameters fast, see `countParameters`). The model
   * takes ownership and disposes it.
   */
  readonly registry?: ParameterRegistry;
}

/**
 * Base of the models here: owns a {@link ParameterRegistry} (seeded from `options.seed`) and
 * exposes its variables as the {@link TrainableModel} core sees.
 */
export abstract class RegistryModel implements ClassifierModel {
  protected readonly registry: ParameterRegistry;
  readonly numClasses: number;
  /** How the convolutions were initialised. */
  readonly init: ConvInit;
  /** How the linear head was initialised. */
  readonly headInit: DenseInit;
  abstract readonly description: string;

  /**
   * `authors`: what `init: 'authors'` means for this architecture; without it, 'authors' is refused
   * (naming `architecture`).
   */
  protected constructor(options: ModelOptions, architecture: string, authors?: AuthorsInit) {
    validateOptions(options);
    if (options.init === 'authors' && authors === undefined) {
      throw new RangeError(`model ${architecture}: init 'authors' exists only for the models ajiaaa/AUSAM trains (WRN, PyramidNet, ResNet-18)`);
    }
    this.registry = options.registry ?? new ParameterRegistry(new Rng(options.seed));
    this.numClasses = options.numClasses;
    this.init = options.init === 'authors' ? authors!.conv : (options.init ?? DEFAULT_CONV_INIT);
    this.headInit = options.init === 'authors' ? authors!.head : 'pytorch';
  }

  get trainableVariables(): readonly tf.Variable[] {
    return this.registry.trainableVariables;
  }

  get stateVariables(): readonly tf.Variable[] {
    return this.registry.stateVariables;
  }

  abstract forward(images: tf.Tensor4D, mode: ForwardMode): tf.Tensor2D;

  parameterCount(): number {
    return this.registry.parameterCount();
  }

  dispose(): void {
    this.registry.dispose();
  }
}

function validateOptions(options: ModelOptions): void {
  const { numClasses, inputChannels, seed } = options;
  if (!Number.isInteger(numClasses) || numClasses < 1) {
    throw new RangeError(`model: numClasses must be a positive integer, found ${numClasses}`);
  }
  if (!Number.isInteger(inputChannels) || inputChannels < 1) {
    throw new RangeError(`model: inputChannels must be a positive integer, found ${inputChannels}`);
  }
  if (!Number.isFinite(seed)) throw new RangeError(`model: seed must be a finite number, found ${seed}`);
  if (options.init !== undefined && !MODEL_INITS.includes(options.init)) {
    throw new RangeError(`model: init must be one of ${MODEL_INITS.join(', ')}; found '${String(options.init)}'`);
  }
}
