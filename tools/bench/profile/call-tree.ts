import * as tf from '@tensorflow/tfjs-core';

/** One kernel call as recorded by `tf.profile`, with its nesting depth (1 = called by an op). */
export interface KernelCall {
  name: string;
  depth: number;
  ms: number;
  /** FLOPs the call executes itself (see `kernelFlops`). */
  flops: number;
}

export interface PathTotal {
  /** Call path, e.g. `Conv2DBackpropFilter › Transpose`, or a top-level kernel's name. */
  path: string;
  ms: number;
  count: number;
  flops: number;
}

/**
 * `tf.profile` records every kernel, including the ones a composed kernel calls, after it returns,
 * without its depth. Tags each record with the engine's kernel depth at call time (bench-only
 * reliance on tfjs-core 4.22 internals: `engine.profiler.profileKernel`, `engine.state.kernelDepth`);
 * read it back with {@link recordedDepth}.
 */
export function tagKernelDepth(): void {
  const engine = tf.engine() as unknown as {
    profiler: { profileKernel: (...args: unknown[]) => { extraInfo: unknown } };
    state: { kernelDepth: number };
  };
  const original = engine.profiler.profileKernel.bind(engine.profiler);
  engine.profiler.profileKernel = (...args: unknown[]) => {
    const depth = engine.state.kernelDepth;
    const profile = original(...args);
    profile.extraInfo = Promise.resolve(`depth=${depth}`);
    return profile;
  };
}

export function recordedDepth(extraInfo: unknown): number {
  return Number(/depth=(\d+)/.exec(String(extraInfo))?.[1] ?? 1);
}

function add(map: Map<string, PathTotal>, key: string, ms: number, flops: number): void {
  const entry = map.get(key) ?? { path: key, ms: 0, count: 0, flops: 0 };
  entry.ms += ms;
  entry.count += 1;
  entry.flops += flops;
  map.set(key, entry);
}

/**
 * Splits recorded calls (children complete before their parent) into self time per call path (a
 * call's time minus its children's, so nothing is counted twice), and the inclusive time of the
 * top-level kernels. A top-level kernel's FLOPs are its own count (the useful work of the op); a
 * path's are what that call executed (a composed kernel's own path has none: its children do the work).
 */
export function selfTimes(calls: readonly KernelCall[]): { paths: Map<string, PathTotal>; topLevel: Map<string, PathTotal> } {
  const paths = new Map<string, PathTotal>();
  const topLevel = new Map<string, PathTotal>();
  type Entry = { path: string[]; self: number; flops: number };
  // Completed calls waiting for their parent, per depth, with the self time of every call below them.
  const pending = new Map<number, Array<{ call: KernelCall; subtree: Entry[] }>>();
  for (const call of calls) {
    const children = pending.get(call.depth + 1) ?? [];
    pending.delete(call.depth + 1);
    const childMs = children.reduce((sum, c) => sum + c.call.ms, 0);
    const subtree: Entry[] = [{ path: [call.name], self: call.ms - childMs, flops: children.length ? 0 : call.flops }];
    for (const child of children) for (const entry of child.subtree) subtree.push({ ...entry, path: [call.name, ...entry.path] });
    if (call.depth <= 1) {
      for (const entry of subtree) add(paths, entry.path.join(' › '), entry.self, entry.flops);
      add(topLevel, call.name, call.ms, call.flops);
    } else {
      const list = pending.get(call.depth) ?? [];
      list.push({ call, subtree });
      pending.set(call.depth, list);
    }
  }
  return { paths, topLevel };
}
