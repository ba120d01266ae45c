/**
 * Sum all-reduce of gradients between worker_threads replicas through a SharedArrayBuffer.
 *
 * Layout: two generations (double buffering) × `replicas` slots × `size` floats. Replica r writes
 * its scaled gradients into slot r of the current generation, waits at an Atomics barrier, then
 * every replica sums slots 0..N-1 in the same order, so every replica gets bit-identical sums.
 * Double buffering makes one barrier per reduce enough: a replica can only write generation k+2
 * after the barrier of reduce k+1, which every replica passes only once it has read reduce k.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Shared memory of an all-reduce group, made by the main thread and handed to every replica. */
export interface AllReduceBuffers {
  readonly slots: SharedArrayBuffer;
  /** Int32 [arrived, generation]: the barrier's state. */
  readonly control: SharedArrayBuffer;
  readonly replicas: number;
  readonly size: number;
}

/** Allocates the shared memory for `replicas` replicas exchanging `size` floats per reduce. */
export function createAllReduceBuffers(replicas: number, size: number): AllReduceBuffers {
  return {
    slots: new SharedArrayBuffer(2 * replicas * size * Float32Array.BYTES_PER_ELEMENT),
    control: new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT),
    replicas,
    size,
  };
}

/** Milliseconds spent in `reduce`, split into barrier wait (includes load imbalance) and copy/sum. */
export interface ExchangeTime {
  waitMs: number;
  copyMs: number;
}

/** One replica's end of the all-reduce. */
export class SharedAllReduce {
  readonly time: ExchangeTime = { waitMs: 0, copyMs: 0 };
  private readonly control: Int32Array;
  private generation = 0;

  constructor(
    private readonly buffers: AllReduceBuffers,
    private readonly rank: number,
  ) {
    this.control = new Int32Array(buffers.control);
  }

  /** Blocks until all replicas have called it (generation-counting barrier on Atomics.wait). */
  barrier(): void {
    const generation = Atomics.load(this.control, 1);
    if (Atomics.add(this.control, 0, 1) === this.buffers.replicas - 1) {
      Atomics.store(this.control, 0, 0);
      Atomics.add(this.control, 1, 1);
      Atomics.notify(this.control, 1);
    } else {
      while (Atomics.load(this.control, 1) === generation) Atomics.wait(this.control, 1, generation);
    }
  }

  /**
   * Σ over replicas of `scale`·gradients (same shapes on every replica), as new tensors the caller
   * owns. Does not dispose `gradients`.
   */
  reduce(gradients: readonly tf.Tensor[], scale: number): tf.Tensor[] {
    const { replicas, size } = this.buffers;
    const base = (this.generation++ % 2) * replicas * size;
    const slot = (r: number) => new Float32Array(this.buffers.slots, (base + r * size) * 4, size);
    let t = performance.now();
    const mine = slot(this.rank);
    let offset = 0;
    for (const g of gradients) {
      const values = g.dataSync() as Float32Array;
      for (let i = 0; i < values.length; i++) mine[offset + i] = values[i] * scale;
      offset += values.length;
    }
    if (offset !== size) throw new Error(`SharedAllReduce: expected ${size} floats, found ${offset}`);
    this.time.copyMs += performance.now() - t;
    t = performance.now();
    this.barrier();
    this.time.waitMs += performance.now() - t;
    t = performance.now();
    const sum = Float32Array.from(slot(0));
    for (let r = 1; r < replicas; r++) {
      const other = slot(r);
      for (let i = 0; i < size; i++) sum[i] += other[i];
    }
    offset = 0;
    const result = gradients.map((g) => {
      const tensor = tf.tensor(sum.subarray(offset, offset + g.size), g.shape, 'float32');
      offset += g.size;
      return tensor;
    });
    this.time.copyMs += performance.now() - t;
    return result;
  }
}
