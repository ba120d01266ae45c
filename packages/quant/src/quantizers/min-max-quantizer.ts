import * as tf from '@tensorflow/tfjs-core';
import type { ForwardMode, ParameterRegistry } from '@ausam/core';
import { EVALUATION_MODE, type FakeQuantizer } from './fake-quantizer';
import { reductionAxes, resolveAxis, type Granularity } from './granularity';
import { validateBitWidth } from './integer-range';
import { uniformFakeQuantize } from './uniform';

/** What a {@link MinMaxQuantizer} quantizes and how. */
export interface MinMaxQuantizerOptions {
  /** Bit width b, an integer in 2..8. */
  readonly bits: number;
  /** Default `'perTensor'`. */
  readonly granularity?: Granularity;
  /** Axis of the per-channel ranges; default −1. */
  readonly channelAxis?: number;
  /** Number of channels; required for `'perChannel'` with `rangeTracking: 'ema'`. */
  readonly channels?: number;
  /**
   * `'current'` (default; weights): the range is the min/max of the tensor being quantized, at every
   * call. `'ema'` (activations): a running range r ← (1 − momentum)·r + momentum·r_batch, moved
   * only in passes with `mode.updateStatistics`, first set from the first batch, and used as-is
   * in every pass (Jacob et al. 2018, §3: "exponential moving averages ... smoothing parameter
   * close to 1").
   */
  readonly rangeTracking?: 'current' | 'ema';
  /** EMA weight of the new batch's range; default 0.01 (decay 0.99). */
  readonly momentum?: number;
}

/**
 * Uniform affine quantizer whose range comes from the data's min/max (no learned parameter), with
 * the straight-through estimator of {@link uniformFakeQuantize}. The LSQ baseline's simpler sibling.
 *
 * Variables (only with `'ema'`): `<name>/range_min`, `<name>/range_max` (state, [channels] or [1]).
 */
export class MinMaxQuantizer implements FakeQuantizer {
  readonly bits: number;
  readonly rangeMin?: tf.Variable;
  readonly rangeMax?: tf.Variable;
  private readonly granularity: Granularity;
  private readonly channelAxis: number;
  private readonly momentum: number;
  private initialized = false;

  constructor(
    registry: ParameterRegistry,
    readonly name: string,
    readonly options: MinMaxQuantizerOptions,
  ) {
    this.bits = validateBitWidth(options.bits, `${name}: bits`);
    this.granularity = options.granularity ?? 'perTensor';
    this.channelAxis = options.channelAxis ?? -1;
    this.momentum = options.momentum ?? 0.01;
    if (!(this.momentum > 0 && this.momentum <= 1)) {
      throw new RangeError(`${name}: momentum must be in (0, 1], found ${this.momentum}`);
    }
    if ((options.rangeTracking ?? 'current') === 'ema') {
      const channels = this.granularity === 'perChannel' ? options.channels : 1;
      if (channels === undefined || !Number.isInteger(channels) || channels < 1) {
        throw new RangeError(`${name}: per-channel running ranges need channels (a positive integer), found ${channels}`);
      }
      this.rangeMin = registry.buffer(`${name}/range_min`, [channels], { kind: 'zeros' });
      this.rangeMax = registry.buffer(`${name}/range_max`, [channels], { kind: 'zeros' });
    }
  }

  quantize<T extends tf.Tensor>(values: T, mode: ForwardMode = EVALUATION_MODE): T {
    if (!this.rangeMin || !this.rangeMax) {
      return uniformFakeQuantize(values, this.bits, {
        perChannel: this.granularity === 'perChannel',
        channelAxis: this.channelAxis,
      });
    }
    this.checkShape(values);
    this.trackRange(values, reductionAxes(values.rank, this.granularity, this.channelAxis), mode);
    return uniformFakeQuantize(values, this.bits, {
      range: { min: this.rangeMin, max: this.rangeMax },
      channelAxis: this.channelAxis,
    });
  }

  reset(): void {
    if (!this.rangeMin || !this.rangeMax) return;
    tf.tidy(() => {
      this.rangeMin!.assign(tf.zerosLike(this.rangeMin!));
      this.rangeMax!.assign(tf.zerosLike(this.rangeMax!));
    });
    this.initialized = false;
  }

  private trackRange(values: tf.Tensor, axes: number[], mode: ForwardMode): void {
    const rangeMin = this.rangeMin!;
    const rangeMax = this.rangeMax!;
    if (!this.initialized) {
      // A non-empty stored range came from a checkpoint (one read, once).
      const stored = tf.tidy(() => tf.any(tf.notEqual(tf.sub(rangeMax, rangeMin), 0)).dataSync()[0]);
      this.initialized = true;
      if (stored) return this.trackRange(values, axes, mode);
      tf.tidy(() => {
        rangeMin.assign(tf.reshape(tf.min(values, axes), rangeMin.shape));
        rangeMax.assign(tf.reshape(tf.max(values, axes), rangeMax.shape));
      });
      return;
    }
    if (!mode.updateStatistics) return;
    const m = this.momentum;
    tf.tidy(() => {
      const batchMin = tf.reshape(tf.min(values, axes), rangeMin.shape);
      const batchMax = tf.reshape(tf.max(values, axes), rangeMax.shape);
      rangeMin.assign(tf.add(tf.mul(rangeMin, 1 - m), tf.mul(batchMin, m)));
      rangeMax.assign(tf.add(tf.mul(rangeMax, 1 - m), tf.mul(batchMax, m)));
    });
  }

  private checkShape(values: tf.Tensor): void {
    if (this.granularity !== 'perChannel') return;
    const axis = resolveAxis(values.rank, this.channelAxis);
    if (values.shape[axis] !== this.rangeMin!.size) {
      throw new RangeError(
        `${this.name}: expected ${this.rangeMin!.size} channels on axis ${axis}, found shape [${values.shape.join(', ')}]`,
      );
    }
  }
}
