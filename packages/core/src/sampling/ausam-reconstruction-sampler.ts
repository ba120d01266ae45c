import type { Rng } from '../random/rng';
import type { StepResult } from '../optim/sharpness/sharpness-optimizer';
import type { BatchSelection, DataSampler, EpochPlan } from './data-sampler';
import { ScoreStore, type ScoreAveraging, type ScoreStoreState } from './score-store';
import { uniformMixingWeight, type UniformMixingSchedule } from './uniform-mixing-schedule';
import { shuffledIds, weightedSampleWithoutReplacement } from './weighted-selection';

export interface AusamReconstructionOptions {
  /** Dataset size N. */
  size: number;
  /** Fraction r of each batch (or of the data, per-epoch mode) trained with SAM. Default 0.55. */
  ratio?: number;
  /** Floor β of the min–max-normalised score, bounding p_max/p_min ≤ 1/β. Default 0.1. */
  floor?: number;
  schedule?: UniformMixingSchedule;
  /** 'perBatch' (default): k = round(r·b) per batch by weight; 'perEpochBernoulli': keep i w.p. min(1, rN·pᵢ). */
  selection?: 'perBatch' | 'perEpochBernoulli';
  averaging?: ScoreAveraging;
  /** Weight each kept loss by 1/(N·pᵢ), renormalised to mean 1 over the kept set. Default false. */
  importanceWeighting?: boolean;
}

/**
 * Our earlier reconstruction of AUSAM from third-party summaries (kept only to be measured once against
 * the authors' rule, {@link AusamSampler}; docs/algorithm.md, "the reconstruction").
 * Score sᵢ = running mean of |ℓᵢ(w+ε) − ℓᵢ(w)| (the DLP proxy of the per-sample gradient norm);
 * never-scored samples get the max score. Per epoch e:
 * uᵢ = (sᵢ − s_min)/(s_max − s_min), qᵢ = β + (1−β)uᵢ, πᵢ = qᵢ/Σq, pᵢ = (1−λ_e)πᵢ + λ_e/N,
 * and SAM runs on k = round(r·b) samples of each batch drawn without replacement ∝ pᵢ.
 */
export class AusamReconstructionSampler implements DataSampler {
  readonly name = 'ausam-reconstruction';
  readonly scores: ScoreStore;
  readonly ratio: number;
  private readonly floor: number;
  private readonly schedule: UniformMixingSchedule;
  private readonly selection: 'perBatch' | 'perEpochBernoulli';
  private readonly importanceWeighting: boolean;
  private probabilities: Float64Array;
  private mixingWeight = 0;

  constructor(readonly options: AusamReconstructionOptions) {
    const { size } = options;
    this.ratio = options.ratio ?? 0.55;
    this.floor = options.floor ?? 0.1;
    if (!(this.ratio > 0 && this.ratio <= 1)) throw new RangeError(`AUSAM ratio must be in (0, 1], found ${this.ratio}`);
    if (!(this.floor > 0 && this.floor <= 1)) throw new RangeError(`AUSAM floor β must be in (0, 1], found ${this.floor}`);
    this.schedule = options.schedule ?? { kind: 'linear' };
    this.selection = options.selection ?? 'perBatch';
    this.importanceWeighting = options.importanceWeighting ?? false;
    this.scores = new ScoreStore(size, options.averaging ?? { kind: 'mean' });
    this.probabilities = new Float64Array(size).fill(1 / size);
  }

  /** pᵢ for the current epoch (sums to 1). */
  selectionProbabilities(): Float64Array {
    return this.probabilities;
  }

  planEpoch(epoch: number, totalEpochs: number, rng: Rng): EpochPlan {
    this.mixingWeight = uniformMixingWeight(this.schedule, epoch, totalEpochs);
    this.probabilities = samplingProbabilities(this.scores.filled('max'), this.floor, this.mixingWeight);
    if (this.selection === 'perBatch') return { ids: shuffledIds(this.scores.size, rng) };
    const n = this.scores.size;
    const kept: number[] = [];
    const keepProbability = (i: number) => Math.min(1, this.ratio * n * this.probabilities[i]);
    for (let i = 0; i < n; i++) if (rng.next() < keepProbability(i)) kept.push(i);
    const ids = rng.shuffle(Int32Array.from(kept));
    return { ids, weights: this.importanceWeighting ? this.normalisedWeights(ids) : undefined };
  }

  selectInBatch(ids: Int32Array, weights: Float32Array | undefined, rng: Rng): BatchSelection {
    if (this.selection !== 'perBatch') return { positions: Int32Array.from(ids, (_, i) => i), weights };
    const k = Math.max(1, Math.round(this.ratio * ids.length));
    const positions = weightedSampleWithoutReplacement(
      Array.from(ids, (id) => this.probabilities[id]),
      k,
      rng,
    );
    if (!this.importanceWeighting) return { positions };
    return { positions, weights: this.normalisedWeights(Int32Array.from(positions, (p) => ids[p])) };
  }

  observe(result: StepResult): void {
    const increase = result.lossAfter.map((after, k) => Math.abs(after - result.lossBefore[k]));
    this.scores.update(result.ids, increase);
  }

  describe(): Record<string, number> {
    let max = 0;
    let min = Infinity;
    for (const p of this.probabilities) {
      if (p > max) max = p;
      if (p < min) min = p;
    }
    return {
      uniformMixing: this.mixingWeight,
      scoredFraction: this.scores.scoredFraction(),
      probabilityMaxOverMin: min > 0 ? max / min : Infinity,
    };
  }

  state(): unknown {
    return { scores: this.scores.state(), mixingWeight: this.mixingWeight, probabilities: Array.from(this.probabilities) };
  }

  load(state: unknown): void {
    const s = state as { scores: ScoreStoreState; mixingWeight: number; probabilities: number[] };
    this.scores.load(s.scores);
    this.mixingWeight = s.mixingWeight;
    this.probabilities = Float64Array.from(s.probabilities);
  }

  private normalisedWeights(ids: Int32Array): Float32Array {
    const n = this.scores.size;
    const raw = Array.from(ids, (id) => 1 / (n * this.probabilities[id]));
    const mean = raw.reduce((a, b) => a + b, 0) / Math.max(1, raw.length);
    return Float32Array.from(raw, (w) => w / mean);
  }
}

/**
 * pᵢ = (1 − λ)·πᵢ + λ/N with πᵢ ∝ β + (1 − β)·(sᵢ − s_min)/(s_max − s_min) (uniform when all sᵢ equal).
 */
export function samplingProbabilities(scores: Float64Array, floor: number, mixingWeight: number): Float64Array {
  const n = scores.length;
  let min = Infinity;
  let max = -Infinity;
  for (const s of scores) {
    if (s < min) min = s;
    if (s > max) max = s;
  }
  const range = max - min;
  const q = Float64Array.from(scores, (s) => floor + (1 - floor) * (range > 0 ? (s - min) / range : 0));
  const total = q.reduce((a, b) => a + b, 0);
  return q.map((qi) => (1 - mixingWeight) * (qi / total) + mixingWeight / n);
}
