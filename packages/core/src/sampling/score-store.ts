/** How a new observation enters a sample's score. */
export type ScoreAveraging =
  /** Cumulative mean of all observations (AUSAM's ADLP, docs/algorithm.md §4). */
  | { kind: 'mean' }
  /** s ← decay·s + (1 − decay)·x. */
  | { kind: 'ema'; decay: number }
  /** s ← x. */
  | { kind: 'latest' };

export interface ScoreStoreState {
  scores: number[];
  counts: number[];
}

/**
 * One score per training sample, persistent across batches and epochs, with how many times each was
 * observed (0 = never scored).
 */
export class ScoreStore {
  readonly scores: Float64Array;
  readonly counts: Int32Array;

  constructor(
    readonly size: number,
    readonly averaging: ScoreAveraging = { kind: 'mean' },
  ) {
    this.scores = new Float64Array(size);
    this.counts = new Int32Array(size);
  }

  /** Records `values[k]` for sample `ids[k]`; NaN values (not measured) are ignored. */
  update(ids: Int32Array, values: ArrayLike<number>): void {
    for (let k = 0; k < ids.length; k++) {
      const value = values[k];
      if (Number.isNaN(value)) continue;
      const id = ids[k];
      if (id < 0 || id >= this.size) throw new RangeError(`ScoreStore: id ${id} outside 0..${this.size - 1}`);
      const n = this.counts[id];
      const a = this.averaging;
      if (n === 0 || a.kind === 'latest') this.scores[id] = value;
      else if (a.kind === 'mean') this.scores[id] += (value - this.scores[id]) / (n + 1);
      else this.scores[id] = a.decay * this.scores[id] + (1 - a.decay) * value;
      this.counts[id] = n + 1;
    }
  }

  /** Scores with never-scored samples filled by `fill(scoredValues)` (e.g. their max); all equal if none scored. */
  filled(fill: 'max' | 'mean'): Float64Array {
    let max = -Infinity;
    let sum = 0;
    let scored = 0;
    for (let i = 0; i < this.size; i++) {
      if (this.counts[i] === 0) continue;
      scored++;
      sum += this.scores[i];
      if (this.scores[i] > max) max = this.scores[i];
    }
    const out = Float64Array.from(this.scores);
    if (scored === this.size) return out;
    const value = scored === 0 ? 0 : fill === 'max' ? max : sum / scored;
    for (let i = 0; i < this.size; i++) if (this.counts[i] === 0) out[i] = value;
    return out;
  }

  scoredFraction(): number {
    let scored = 0;
    for (let i = 0; i < this.size; i++) if (this.counts[i] > 0) scored++;
    return scored / this.size;
  }

  state(): ScoreStoreState {
    return { scores: Array.from(this.scores), counts: Array.from(this.counts) };
  }

  load(state: ScoreStoreState): void {
    if (state.scores.length !== this.size || state.counts.length !== this.size) {
      throw new Error(`ScoreStore.load: expected ${this.size} scores, found ${state.scores.length}`);
    }
    this.scores.set(state.scores);
    this.counts.set(state.counts);
  }
}
