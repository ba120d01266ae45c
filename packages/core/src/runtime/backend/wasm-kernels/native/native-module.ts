/** The part of the WebAssembly JS API used here (the repository's `lib` setting has no DOM types). */
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number }) => WasmMemory;
  validate(bytes: Uint8Array): boolean;
};

/** A WebAssembly linear memory. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

/** A linear memory the kernels run in, with its allocator: tfjs-backend-wasm's heap (see `kernel-util`'s `tfjsHeap`) or {@link ownHeap}. */
export interface KernelHeap {
  readonly memory: WasmMemory;
  /** The offset of `bytes` new bytes; may grow the memory, which detaches views of its old buffer. */
  allocate(bytes: number): number;
  /** Gives back a block from {@link KernelHeap.allocate}. */
  release(at: number): void;
}

/**
 * Which build of a kernel runs: `relaxed-simd` multiply-adds with Relaxed SIMD's
 * `f32x4.relaxed_madd` (fused on CPUs with FMA), `simd128` with a multiply then an add. The two
 * round differently; each is deterministic.
 */
export type NativeVariant = 'relaxed-simd' | 'simd128';

/** A generated `*-wasm.ts` module: both builds of one C source. */
export interface NativeBuilds {
  readonly WASM_BASE64: string;
  readonly WASM_FMA_BASE64: string;
}

type KernelFunction = (...args: number[]) => void;

const WASM_PAGE = 65536;
const align16 = (n: number) => (n + 15) & ~15;

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

function decode(base64: string): Uint8Array {
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

/** One of core's compiled kernels (`*.c` beside this file): both builds, compiled on first use, instantiated once per memory. */
export class NativeKernel {
  private readonly compiled = new Map<NativeVariant, object | null>();
  private readonly instances = new Map<NativeVariant, WeakMap<WasmMemory, Record<string, KernelFunction>>>();

  constructor(private readonly builds: NativeBuilds) {}

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

let own: KernelHeap | undefined;

/**
 * The kernels' own memory, for operands outside any wasm heap (tests, tfjs' threaded build, whose
 * shared memory the kernels do not import). Blocks are released last-in first-out.
 */
export function ownHeap(): KernelHeap {
  if (!own) {
    const memory = new WebAssembly.Memory({ initial: 1 });
    let top = 16;
    own = {
      memory,
      allocate(bytes) {
        const at = align16(top);
        top = at + bytes;
        if (memory.buffer.byteLength < top) memory.grow(Math.ceil((top - memory.buffer.byteLength) / WASM_PAGE));
        return at;
      },
      release(at) {
        top = Math.min(top, at);
      },
    };
  }
  return own;
}

/**
 * An array a native call uses: `input` and `output` the kernel reads or writes, `scriptInput` only
 * read by the script that prepares the call (through `view`), so never staged.
 */
export interface Operand {
  readonly values: Float32Array;
  readonly role: 'input' | 'output' | 'scriptInput';
}

/** What {@link callInHeap} hands its callback. */
export interface HeapCall {
  /** The byte offset of each operand in the heap. */
  readonly at: readonly number[];
  /** The byte offset of each scratch block. */
  readonly scratch: readonly number[];
  /** A current view of operand `i` (a view of the heap, or the operand itself where it is neither in the heap nor staged). */
  view(i: number): Float32Array;
}

/**
 * Runs `run` with every operand at a byte offset in `heap`. Operands that are views of the heap's
 * memory (tfjs tensors read in place) are used where they are; the others are staged in a block
 * allocated for the call, inputs copied in before `run` and outputs copied out after, together
 * with the `scratchBytes` blocks the call needs. The block is released when `run` returns. The
 * allocation may grow the heap, which detaches views of it taken before the call: read results
 * through their tensors, not through such a view.
 */
export function callInHeap(heap: KernelHeap, operands: readonly Operand[], scratchBytes: readonly number[], run: (call: HeapCall) => void): void {
  const inPlace = operands.map((o) => o.values.buffer === heap.memory.buffer);
  // Taken before the allocation, which may grow the memory and so detach (zero) these views.
  const resident = operands.map((o) => o.values.byteOffset);
  const lengths = operands.map((o) => o.values.length);
  const sizes = [...operands.map((o, i) => (inPlace[i] || o.role === 'scriptInput' ? 0 : 4 * lengths[i]!)), ...scratchBytes];
  const relative: number[] = [];
  let total = 0;
  for (const size of sizes) {
    relative.push(total);
    total += align16(size);
  }
  const block = total > 0 ? heap.allocate(total + 16) : 0;
  const base = align16(block);
  try {
    const at = operands.map((o, i) => (inPlace[i] ? resident[i]! : base + relative[i]!));
    const floats = (i: number) => new Float32Array(heap.memory.buffer, at[i]!, lengths[i]!);
    operands.forEach((o, i) => {
      if (!inPlace[i] && o.role === 'input') floats(i).set(o.values);
    });
    run({
      at,
      scratch: scratchBytes.map((_, j) => base + relative[operands.length + j]!),
      view: (i) => (inPlace[i] || operands[i]!.role !== 'scriptInput' ? floats(i) : operands[i]!.values),
    });
    operands.forEach((o, i) => {
      if (!inPlace[i] && o.role === 'output') o.values.set(floats(i));
    });
  } finally {
    if (total > 0) heap.release(block);
  }
}
