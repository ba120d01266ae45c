import type { BatchStatisticsReducer } from '../../task/contracts';

/**
 * Shared memory of the replicas' BatchNorm all-reduce: an Int32 header (an abort flag, then the
 * last round each rank has posted) and two banks of float64 slots, one slot per rank, used by
 * alternate rounds. A rank may reuse a bank only two rounds later, by when every rank has passed
 * the round in between and so has finished reading the bank.
 */
export interface StatisticsExchange {
  readonly buffer: SharedArrayBuffer;
  readonly ranks: number;
  /** Float64 values a rank may post per round. */
  readonly slotLength: number;
}

/** Thrown in a replica whose all-reduce was abandoned because another replica's pass failed. */
export class ReplicaAbortedError extends Error {
  constructor() {
    super('abandoned: another replica failed during this pass');
    this.name = 'ReplicaAbortedError';
  }
}

const ABORT = 0;

/** The Int32 header (abort flag, one round per rank), rounded up so the float64 banks are aligned. */
function headerBytes(ranks: number): number {
  return 8 * Math.ceil((4 * (1 + ranks)) / 8);
}

/** Shared memory for `ranks` replicas posting at most `slotLength` values per round. */
export function createStatisticsExchange(ranks: number, slotLength: number): StatisticsExchange {
  const buffer = new SharedArrayBuffer(headerBytes(ranks) + 8 * 2 * ranks * slotLength);
  return { buffer, ranks, slotLength };
}

/** Wakes every rank waiting in a round and makes them throw {@link ReplicaAbortedError}. */
export function abortStatisticsExchange(exchange: StatisticsExchange): void {
  const header = new Int32Array(exchange.buffer, 0, 1 + exchange.ranks);
  Atomics.store(header, ABORT, 1);
  for (let rank = 0; rank < exchange.ranks; rank++) Atomics.notify(header, 1 + rank);
}

/** Whether {@link abortStatisticsExchange} was called. */
export function statisticsExchangeAborted(exchange: StatisticsExchange): boolean {
  return Atomics.load(new Int32Array(exchange.buffer, 0, 1), ABORT) === 1;
}

/** One pass's view of the exchange for one rank. */
export interface PassReduction {
  readonly rank: number;
  /** Ranks 0 … participants − 1 take part (a batch smaller than the replica count leaves some out). */
  readonly participants: number;
  /** Rounds posted by any rank before this pass; this pass's rounds are numbered from it + 1. */
  readonly roundsBefore: number;
  /** b_r / b. */
  readonly lossShare: number;
  /** A round not completed by every participant within this many ms throws. */
  readonly timeoutMs: number;
}

/**
 * A {@link BatchStatisticsReducer} over shared memory: `sum` posts this rank's partial sums to its
 * slot, marks the round, waits (Atomics) until every participant has posted it, and adds the slots
 * in rank order, so every rank gets the same sums.
 *
 * When another replica fails (or a round times out), `sum` returns this rank's own partial sums from
 * then on and records why in {@link SharedStatisticsReducer.failure}: the pass runs to its end, so
 * tfjs releases its gradient tape as usual, and its caller throws the failure instead of a result.
 */
export class SharedStatisticsReducer implements BatchStatisticsReducer {
  readonly lossShare: number;
  private round: number;
  private readonly header: Int32Array;
  private readonly banks: Float64Array;
  private abandoned: Error | undefined;

  constructor(
    private readonly exchange: StatisticsExchange,
    private readonly pass: PassReduction,
  ) {
    this.lossShare = pass.lossShare;
    this.round = pass.roundsBefore;
    this.header = new Int32Array(exchange.buffer, 0, 1 + exchange.ranks);
    this.banks = new Float64Array(exchange.buffer, headerBytes(exchange.ranks));
  }

  /** Rounds posted so far: the next pass's `roundsBefore`. */
  get rounds(): number {
    return this.round;
  }

  /** Why the pass's sums are not the batch's: {@link ReplicaAbortedError} or a timeout. */
  get failure(): Error | undefined {
    return this.abandoned;
  }

  sum(partial: Float32Array | Float64Array): Float64Array {
    const { ranks, slotLength } = this.exchange;
    if (partial.length > slotLength) {
      throw new RangeError(`batch statistics all-reduce: expected at most ${slotLength} values per replica, found ${partial.length}`);
    }
    if (this.abandoned) return Float64Array.from(partial);
    const round = ++this.round;
    const bank = (round & 1) * ranks * slotLength;
    this.banks.set(partial, bank + this.pass.rank * slotLength);
    Atomics.store(this.header, 1 + this.pass.rank, round);
    Atomics.notify(this.header, 1 + this.pass.rank);
    const deadline = Date.now() + this.pass.timeoutMs;
    for (let rank = 0; rank < this.pass.participants; rank++) {
      for (;;) {
        const posted = Atomics.load(this.header, 1 + rank);
        if (posted >= round) break;
        if (Atomics.load(this.header, ABORT) === 1) {
          this.abandoned = new ReplicaAbortedError();
          return Float64Array.from(partial);
        }
        if (Date.now() > deadline) {
          this.abandoned = new Error(`batch statistics all-reduce: replica ${rank} did not reach round ${round} within ${this.pass.timeoutMs / 1000} s`);
          abortStatisticsExchange(this.exchange);
          return Float64Array.from(partial);
        }
        Atomics.wait(this.header, 1 + rank, posted, 200);
      }
    }
    const sums = new Float64Array(partial.length);
    for (let rank = 0; rank < this.pass.participants; rank++) {
      const slot = bank + rank * slotLength;
      for (let j = 0; j < partial.length; j++) sums[j] += this.banks[slot + j];
    }
    return sums;
  }
}
