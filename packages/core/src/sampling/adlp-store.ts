/** Serialised {@link AdlpStore}: per-sample DLP sums and observation counts. */
export interface AdlpStoreState {
  sums: number[];
  counts: number[];
}

/**
 * AUSAM's per-sample history: the sum Sᵢ of every DLP observed for sample i, how many there were
 * (cᵢ), and their plain arithmetic mean ADLPᵢ = Sᵢ / cᵢ (ajiaaa/AUSAM, `AUSAM.impt_roc`: columns
 * sum, count, mean of `impt`). A sample's first observation sets Sᵢ = DLPᵢ, cᵢ = 1.
 */
export class AdlpStore {
  readonly sums: Float64Array;
  readonly counts: Int32Array;
  /** ADLPᵢ = Sᵢ/cᵢ, kept alongside so a batch reads its live values without dividing. */
  readonly means: Float64Array;

  constructor(readonly size: number) {
    this.sums = new Float64Array(size);
    this.counts = new Int32Array(size);
    this.means = new Float64Array(size);
  }

  /** Adds `dlp[k]` to sample `ids[k]`'s history. */
  add(ids: ArrayLike<number>, dlp: ArrayLike<number>): void {
    if (ids.length !== dlp.length) throw new RangeError(`AdlpStore.add: ${ids.length} ids but ${dlp.length} DLP values`);
    for (let k = 0; k < ids.length; k++) {
      const id = ids[k];
      const value = dlp[k];
      if (!(id >= 0 && id < this.size && Number.isInteger(id))) throw new RangeError(`AdlpStore: id ${id} outside 0..${this.size - 1}`);
      if (!Number.isFinite(value)) throw new RangeError(`AdlpStore: DLP of sample ${id} is ${value}, expected a finite number`);
      this.sums[id] += value;
      this.counts[id] += 1;
      this.means[id] = this.sums[id] / this.counts[id];
    }
  }

  /** The live ADLP values of `ids`, in order. */
  adlpOf(ids: ArrayLike<number>): Float64Array {
    return Float64Array.from(ids as ArrayLike<number>, (id) => this.means[id]);
  }

  /** Fraction of samples observed at least once. */
  scoredFraction(): number {
    let scored = 0;
    for (let i = 0; i < this.size; i++) if (this.counts[i] > 0) scored++;
    return scored / this.size;
  }

  state(): AdlpStoreState {
    return { sums: Array.from(this.sums), counts: Array.from(this.counts) };
  }

  load(state: AdlpStoreState): void {
    if (state.sums?.length !== this.size || state.counts?.length !== this.size) {
      throw new RangeError(`AdlpStore.load: expected ${this.size} sums and counts, found ${state.sums?.length} and ${state.counts?.length}`);
    }
    this.sums.set(state.sums);
    this.counts.set(state.counts);
    for (let i = 0; i < this.size; i++) this.means[i] = this.counts[i] > 0 ? this.sums[i] / this.counts[i] : 0;
  }
}
