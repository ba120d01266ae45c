import { setFlagsFromString } from 'node:v8';

/** The part of the WebAssembly JS API used here (the repository's `lib` setting has no DOM types). */
declare const WebAssembly: {
  validate(bytes: Uint8Array): boolean;
};

/**
 * Which build of a kernel runs: `relaxed-simd` multiply-adds with Relaxed SIMD's
 * `f32x4.relaxed_madd` (fused on CPUs with FMA), `simd128` with a multiply then an add. The two
 * round differently; each is deterministic.
 */
export type NativeVariant = 'relaxed-simd' | 'simd128';

/** A module with one function returning `f32x4.relaxed_madd` of three constants: valid only where the runtime has Relaxed SIMD. */
function relaxedSimdProbe(): Uint8Array {
  const vconst = [0xfd, 0x0c, ...new Array<number>(16).fill(0)];
  const body = [0x00, ...vconst, ...vconst, ...vconst, 0xfd, 0x85, 0x02, 0x0b];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type: () -> v128
    0x03, 0x02, 0x01, 0x00, // one function of that type
    0x0a, body.length + 2, 0x01, body.length, ...body,
  ]);
}

let relaxedSimd: boolean | undefined;

/** Whether this runtime validates Relaxed SIMD (Node ≥ 21, or Node 20 with `--experimental-wasm-relaxed-simd`). */
export function relaxedSimdSupported(): boolean {
  if (relaxedSimd === undefined) {
    try {
      relaxedSimd = WebAssembly.validate(relaxedSimdProbe());
    } catch {
      relaxedSimd = false;
    }
  }
  return relaxedSimd;
}

/**
 * For an application's entry point, not for libraries: turns Relaxed SIMD on where V8 has it behind
 * `--experimental-wasm-relaxed-simd` (Node 20; Node ≥ 21 has it on by default), so that core's
 * native kernels run their fused multiply-add build, as they do on newer Node. V8 flags belong to the
 * whole process: call it first, before any WebAssembly module is compiled. The `ausam-*` CLIs do.
 * Returns whether the runtime now has Relaxed SIMD.
 */
export function enableRelaxedSimd(): boolean {
  if (!relaxedSimdSupported()) {
    setFlagsFromString('--experimental-wasm-relaxed-simd');
    relaxedSimd = undefined;
  }
  return relaxedSimdSupported();
}

let fusedPreferred = true;

/**
 * Whether the kernels use their Relaxed SIMD build where the runtime has it (the default), or the
 * plain SIMD one everywhere (A/B benchmarks, tests of both builds in one process). Returns the
 * previous setting.
 */
export function useFusedMultiplyAdd(on: boolean): boolean {
  const previous = fusedPreferred;
  fusedPreferred = on;
  return previous;
}

/** The build {@link NativeKernel}s run now: the Relaxed SIMD one where the runtime has it and it is not switched off. */
export function nativeVariant(): NativeVariant {
  return fusedPreferred && relaxedSimdSupported() ? 'relaxed-simd' : 'simd128';
}
