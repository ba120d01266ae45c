import type { MessagePort } from 'node:worker_threads';
import type { BackendName } from '../backend/select-backend';
import type { ForwardMode } from '../../task/contracts';
import type { PackedBatch } from './batch-transfer';
import type { ReplicaRecipe } from './replica-recipe';
import type { PassReduction, StatisticsExchange } from './statistics-all-reduce';

/** A variable's shape, as the main thread holds it (replicas check theirs against it). */
export interface VariableShape {
  readonly name: string;
  readonly shape: number[];
}

/** `workerData` of a replica. */
export interface ReplicaStartup {
  /** 1..N-1 (the main thread is replica 0). */
  readonly rank: number;
  readonly recipe: ReplicaRecipe;
  /** tsx's register API, for a recipe module written in TypeScript. */
  readonly typescriptLoader?: string;
  readonly backend: BackendName;
  readonly trainable: VariableShape[];
  readonly state: VariableShape[];
  /** Int32 per rank: the replica adds 1 after each reply it posts on `reply`. */
  readonly signal: SharedArrayBuffer;
  readonly reply: MessagePort;
  /** Where BatchNorm sums its statistics across the replicas. */
  readonly statistics: StatisticsExchange;
  /** An all-reduce round not completed within this long throws. */
  readonly timeoutMs: number;
}

/** One pass on the replica's slice, at the weights given. */
export interface PassRequest {
  readonly kind: 'pass';
  /** Without `batchStatistics`: the replica sets its own from `reduction`. */
  readonly mode: ForwardMode;
  readonly reduction: Omit<PassReduction, 'rank' | 'timeoutMs'>;
  readonly withGradients: boolean;
  /** Trainable variables, then state variables, flattened in order. */
  readonly weights: Float32Array;
  readonly batch: PackedBatch;
  readonly sampleWeights?: Float32Array;
}

export type ReplicaReply =
  | { readonly kind: 'ready' }
  | {
      readonly kind: 'result';
      readonly perSampleLoss: Float32Array;
      /** The slice's gradients, flattened in variable order (passes with gradients only). */
      readonly gradients?: Float32Array;
      /** State variables after the pass (passes that update statistics only). */
      readonly state?: Float32Array;
    }
  | {
      readonly kind: 'failed';
      readonly message: string;
      /** The replica stopped because another one failed (its own message says nothing new). */
      readonly abandoned?: boolean;
    };
