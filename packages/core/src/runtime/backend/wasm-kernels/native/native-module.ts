import { nativeVariant, type NativeVariant } from './build-variant';
import type { KernelHeap, WasmMemory } from './kernel-heap';

/** The part of the WebAssembly JS API used here (the repository's `lib` setting has no DOM types). */
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
};

/** A generated `*-wasm.ts` module: both builds of one C source. */
export interface NativeBuilds {
  readonly WASM_BASE64: string;
  readonly WASM_FMA_BASE64: string;
}

type KernelFunction = (...args: number[]) => void;

function decode(base64: string): Uint8Array {
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

/** One of core's compiled kernels (`*.c` beside this file): both builds, compiled on first use, instantiated once per memory. */
export class NativeKernel {
  private readonly compiled = new Map<NativeVariant, object | null>();
  private readonly instances = new Map<NativeVariant, WeakMap<WasmMemory, Record<string, KernelFunction>>>();

  private switchedOn = true;

  constructor(private readonly builds: NativeBuilds) {}

  /** Whether the wasm kernels call this one: it can run here and is not switched off. */
  inUse(): boolean {
    return this.switchedOn && this.available();
  }

  /** Switches the kernel off (tests and A/B runs of the fallback) or back on; returns the previous setting. */
  use(on: boolean): boolean {
    const previous = this.switchedOn;
    this.switchedOn = on;
    return previous;
  }

  private module(variant: NativeVariant): object | null {
    if (!this.compiled.has(variant)) {
      let module: object | null = null;
      try {
        module = new WebAssembly.Module(decode(variant === 'relaxed-simd' ? this.builds.WASM_FMA_BASE64 : this.builds.WASM_BASE64));
      } catch {
        module = null;
      }
      this.compiled.set(variant, module);
    }
    return this.compiled.get(variant)!;
  }

  /** Whether this runtime can run the kernel (WebAssembly with 128-bit SIMD). */
  available(): boolean {
    return this.module('simd128') !== null;
  }

  /** The kernel's functions, by export name, running in `heap`'s memory, in the build {@link nativeVariant} names. */
  functions(heap: KernelHeap): Record<string, KernelFunction> {
    const variant = nativeVariant();
    const module = this.module(variant);
    if (!module) throw new Error(`NativeKernel: this runtime cannot compile the ${variant} build`);
    let byMemory = this.instances.get(variant);
    if (!byMemory) this.instances.set(variant, (byMemory = new WeakMap()));
    let functions = byMemory.get(heap.memory);
    if (!functions) {
      const { exports } = new WebAssembly.Instance(module, { env: { memory: heap.memory } });
      functions = {};
      for (const [name, value] of Object.entries(exports)) if (typeof value === 'function') functions[name] = value as KernelFunction;
      byMemory.set(heap.memory, functions);
    }
    return functions;
  }
}
