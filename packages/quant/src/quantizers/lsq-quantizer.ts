import * as tf from '@tensorflow/tfjs-core';
import type { ForwardMode, ParameterRegistry } from '@ausam/core';
import type { FakeQuantizer } from './fake-quantizer';
import { reductionAxes, resolveAxis, type Granularity } from './granularity';
import { integerRange, type IntegerRange } from './integer-range';
import { lsqFakeQuantize, lsqGradScale, lsqInitialStep } from './lsq';

/** What an {@link LsqQuantizer} quantizes and how. */
export interface LsqQuantizerOptions {
  /** Bit width b, an integer in 2..8. */
  readonly bits: number;
  /**
   * Signed grid [−2^(b−1), 2^(b−1) − 1] (weights), unsigned [0, 2^b − 1] (post-ReLU activations), or
   * `'auto'`: signed iff the first tensor seen has a negative value (e.g. PyramidNet's BN→conv inputs).
   */
  readonly signed: boolean | 'auto';
  /**
   * Sets N in the gradient scale g = 1/√(N·Qp): `'weight'`, N = values sharing a step;
   * `'activation'`, N = features of one sample sharing a step (batch axis 0 excluded).
   */
  readonly role: 'weight' | 'activation';
  /** Default `'perTensor'`. */
  readonly granularity?: Granularity;
  /** Axis of the per-channel steps; default −1 (output channel of Conv2d/Dense weights, NHWC channel). */
  readonly channelAxis?: number;
  /** Number of channels; required for `'perChannel'` (the step variable is created up front). */
  readonly channels?: number;
  /** Floor on the step in the forward pass so SAM's perturbation or a bad update cannot divide by 0. Default 1e-8. */
  readonly minimumStep?: number;
}

/**
 * LSQ quantizer with a learned step per tensor or per channel (Esser et al. 2020, "Learned Step
 * Size Quantization", ICLR): v̂ = round(clip(v/s, −Qn, Qp))·s, step gradient scaled by
 * g = 1/√(N·Qp), step initialised to 2·⟨|v|⟩/√Qp from the first tensor it sees (weights: the
 * loaded weights; activations: the first batch). See {@link lsqFakeQuantize} for the gradients.
 *
 * Variables: `<name>/step` (trained, shape [channels] or [1]); with `signed: 'auto'` also
 * `<name>/signed` (state, 1 = signed), so a checkpoint restores the resolved grid.
 */
export class LsqQuantizer implements FakeQuantizer {
  readonly bits: number;
  readonly step: tf.Variable;
  private readonly signedFlag?: tf.Variable;
  private readonly granularity: Granularity;
  private readonly channelAxis: number;
  private readonly minimumStep: number;
  private range?: IntegerRange;
  private initialized = false;

  constructor(
    registry: ParameterRegistry,
    readonly name: string,
    readonly options: LsqQuantizerOptions,
  ) {
    this.bits = options.bits;
    // Validate the bit width now, whatever the signedness turns out to be.
    const probe = integerRange(options.bits, options.signed === true, `${name}: bits`);
    if (options.signed !== 'auto') this.range = probe;
    this.granularity = options.granularity ?? 'perTensor';
    this.channelAxis = options.channelAxis ?? -1;
    this.minimumStep = options.minimumStep ?? 1e-8;
    const channels = this.granularity === 'perChannel' ? options.channels : 1;
    if (channels === undefined || !Number.isInteger(channels) || channels < 1) {
      throw new RangeError(`${name}: per-channel quantization needs channels (a positive integer), found ${channels}`);
    }
    // Zero marks "not initialised yet": real steps are > 0.
    this.step = registry.weight(`${name}/step`, [channels], { kind: 'zeros' });
    if (options.signed === 'auto') this.signedFlag = registry.buffer(`${name}/signed`, [1], { kind: 'zeros' });
  }

  /** The grid in use; for `signed: 'auto'` known only once the quantizer has seen data. */
  get integerRange(): IntegerRange | undefined {
    return this.range;
  }

  quantize<T extends tf.Tensor>(values: T, _mode?: ForwardMode): T {
    this.checkShape(values);
    this.ensureInitialized(values);
    const range = this.range!;
    const sharing = values.size / this.step.size / (this.options.role === 'activation' ? values.shape[0] : 1);
    return lsqFakeQuantize(values, this.step, {
      qn: range.qn,
      qp: range.qp,
      gradScale: lsqGradScale(sharing, range.qp),
      channelAxis: this.channelAxis,
      minimumStep: this.minimumStep,
    });
  }

  /** Sets the step (and, for `'auto'`, the signedness) from `values` with LSQ's init rule. */
  initialize(values: tf.Tensor): void {
    this.checkShape(values);
    tf.tidy(() => {
      if (this.signedFlag) {
        const signed = tf.min(values).dataSync()[0] < 0;
        this.signedFlag.assign(tf.tensor1d([signed ? 1 : 0]));
        this.range = integerRange(this.bits, signed);
      }
      const axes = reductionAxes(values.rank, this.granularity, this.channelAxis);
      this.step.assign(tf.maximum(lsqInitialStep(values, this.range!, axes), this.minimumStep));
    });
    this.initialized = true;
  }

  reset(): void {
    tf.tidy(() => this.step.assign(tf.zerosLike(this.step)));
    if (this.signedFlag) this.range = undefined;
    this.initialized = false;
  }

  private ensureInitialized(values: tf.Tensor): void {
    if (this.initialized) return;
    // Steps already > 0 were restored from a checkpoint: keep them (one read, once).
    if (Array.from(this.step.dataSync()).every((s) => s > 0)) {
      if (this.signedFlag) this.range = integerRange(this.bits, this.signedFlag.dataSync()[0] > 0.5);
      this.initialized = true;
      return;
    }
    this.initialize(values);
  }

  private checkShape(values: tf.Tensor): void {
    if (this.granularity !== 'perChannel') return;
    const axis = resolveAxis(values.rank, this.channelAxis);
    if (values.shape[axis] !== this.step.size) {
      throw new RangeError(
        `${this.name}: expected ${this.step.size} channels on axis ${axis}, found shape [${values.shape.join(', ')}]`,
      );
    }
  }
}
