export interface ScoreStoreState {
  scores: number[];
  counts: number[];
}

/**
 * The latest score of every training sample (e.g. InfoBatch's last loss), persistent across batches
 * and epochs, with how many times each was observed (0 = never scored).
 */
export class ScoreStore {
  readonly scores: Float64Array;
  readonly counts: Int32Array;

  constructor(readonly size: number) {
    this.scores = new Float64Array(size);
    this.counts = new Int32Array(size);
  }

  /** Records `values[k]` as sample `ids[k]`'s score; NaN values (not measured) are ignored. */
  update(ids: Int32Array, values: ArrayLike<number>): void {
    for (let k = 0; k < ids.length; k++) {
      const value = values[k];
      if (Number.isNaN(value)) continue;
      const id = ids[k];
      if (id < 0 || id >= this.size) throw new RangeError(`ScoreStore: id ${id} outside 0..${this.size - 1}`);
      this.scores[id] = value;
      this.counts[id] += 1;
    }
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
