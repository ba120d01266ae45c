/** The part of the WebAssembly JS API used here (the repository's `lib` setting has no DOM types). */
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
};

interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

/** One of core's compiled kernels (`*.c` beside this file), instantiated with its own memory. */
export interface NativeModule {
  /** The module's exported functions by name. */
  readonly exports: Record<string, (...args: number[]) => void>;
  /** Byte offsets of `sizes` (bytes each) in the module's memory, 16-byte aligned, past its static data; grows the memory to fit. */
  place(sizes: readonly number[]): number[];
  /** A view of the module's memory (take a fresh one after each `place`, which may grow it). */
  floats(at: number, length: number): Float32Array;
  ints(at: number, length: number): Int32Array;
}

/** Instantiates a module from its base64 bytes, or returns null where this runtime cannot (no WebAssembly, no 128-bit SIMD). */
export function instantiateNative(base64: string): NativeModule | null {
  let memory: WasmMemory;
  let heapBase: number;
  const functions: Record<string, (...args: number[]) => void> = {};
  try {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const { exports } = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
    memory = exports.memory as WasmMemory;
    heapBase = Number((exports.__heap_base as { value: number }).value);
    for (const [name, value] of Object.entries(exports)) if (typeof value === 'function') functions[name] = value as (...args: number[]) => void;
  } catch {
    return null;
  }
  const align = (n: number) => (n + 15) & ~15;
  return {
    exports: functions,
    place(sizes) {
      const offsets: number[] = [];
      let at = align(heapBase);
      for (const size of sizes) {
        offsets.push(at);
        at = align(at + size);
      }
      if (memory.buffer.byteLength < at) memory.grow(Math.ceil((at - memory.buffer.byteLength) / 65536));
      return offsets;
    },
    floats: (at, length) => new Float32Array(memory.buffer, at, length),
    ints: (at, length) => new Int32Array(memory.buffer, at, length),
  };
}
