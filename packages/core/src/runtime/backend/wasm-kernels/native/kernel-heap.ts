/** The part of the WebAssembly JS API used here (the repository's `lib` setting has no DOM types). */
declare const WebAssembly: {
  Memory: new (descriptor: { initial: number }) => WasmMemory;
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

const WASM_PAGE = 65536;
const align16 = (n: number) => (n + 15) & ~15;

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
