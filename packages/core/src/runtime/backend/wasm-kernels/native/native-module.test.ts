import * as tf from '@tensorflow/tfjs-core';
import { nativeVariant, relaxedSimdSupported, useFusedMultiplyAdd } from './build-variant';
import { callInHeap, ownHeap, type KernelHeap } from './kernel-heap';
import { nativeFilterGradient } from './native-filter-gradient';
import { float32View, tfjsHeap } from '../kernel-util';
import { useBackend } from '../test-helpers';

/** Whether this runtime should have Relaxed SIMD, judged from the Node version and V8 flag rather than by the probe under test. */
function runtimeHasRelaxedSimd(): boolean {
  const major = Number(process.versions.node.split('.')[0]);
  return major >= 21 || process.execArgv.includes('--experimental-wasm-relaxed-simd');
}

describe('native kernel builds', () => {
  it('loads the Relaxed SIMD build exactly where the runtime has Relaxed SIMD', () => {
    expect(relaxedSimdSupported()).toBe(runtimeHasRelaxedSimd());
    expect(nativeVariant()).toBe(runtimeHasRelaxedSimd() ? 'relaxed-simd' : 'simd128');
  });

  it('falls back to the plain SIMD build when fused multiply-adds are switched off', () => {
    const previous = useFusedMultiplyAdd(false);
    try {
      expect(nativeVariant()).toBe('simd128');
    } finally {
      useFusedMultiplyAdd(previous);
    }
  });
});

describe('callInHeap', () => {
  /** Its own memory's allocator, counting blocks in use. */
  function countingHeap(): { heap: KernelHeap; live: () => number } {
    const base = ownHeap();
    let live = 0;
    return {
      heap: {
        memory: base.memory,
        allocate: (bytes) => (live++, base.allocate(bytes)),
        release: (at) => (live--, base.release(at)),
      },
      live: () => live,
    };
  }

  it('uses views of the heap in place and stages the other operands', () => {
    const { heap, live } = countingHeap();
    const block = heap.allocate(64);
    const resident = new Float32Array(heap.memory.buffer, block, 4);
    resident.set([1, 2, 3, 4]);
    const outside = Float32Array.from([5, 6]);
    const out = new Float32Array(2);
    callInHeap(heap, [{ values: resident, role: 'input' }, { values: outside, role: 'input' }, { values: out, role: 'output' }], [8], (call) => {
      expect(call.at[0]).toBe(block);
      expect(call.at[1]).not.toBe(block);
      expect(Array.from(new Float32Array(heap.memory.buffer, call.at[1]!, 2))).toEqual([5, 6]);
      new Float32Array(heap.memory.buffer, call.at[2]!, 2).set([7, 8]);
      expect(call.scratch).toHaveLength(1);
    });
    expect(Array.from(out)).toEqual([7, 8]);
    heap.release(block);
    expect(live()).toBe(0);
  });

  it('keeps the offsets of operands in the heap when its allocation grows the memory', () => {
    const { heap, live } = countingHeap();
    const block = heap.allocate(16);
    const resident = new Float32Array(heap.memory.buffer, block, 4).fill(3);
    const bytesBefore = heap.memory.buffer.byteLength;
    callInHeap(heap, [{ values: resident, role: 'scriptInput' }], [bytesBefore], (call) => {
      expect(heap.memory.buffer.byteLength).toBeGreaterThan(bytesBefore);
      expect(call.at[0]).toBe(block);
      expect(Array.from(call.view(0))).toEqual([3, 3, 3, 3]);
    });
    heap.release(block);
    expect(live()).toBe(0);
  });

  it('hands script-only inputs outside the heap over as they are', () => {
    const values = Float32Array.from([1, 2]);
    callInHeap(ownHeap(), [{ values, role: 'scriptInput' }], [], (call) => expect(call.view(0)).toBe(values));
  });

  it('releases its block when the kernel throws', () => {
    const { heap, live } = countingHeap();
    expect(() => callInHeap(heap, [{ values: new Float32Array(3), role: 'input' }], [], () => {
      throw new Error('kernel failed');
    })).toThrow('kernel failed');
    expect(live()).toBe(0);
  });
});

describe('native kernels in tfjs-backend-wasm’s heap', () => {
  beforeAll(() => useBackend('wasm'));

  it('import the wasm backend’s memory, reading tensors in place', () => {
    const heap = tfjsHeap();
    expect(heap).not.toBeNull();
    const g = { batch: 1, inHeight: 3, inWidth: 3, inChannels: 4, outHeight: 3, outWidth: 3, outChannels: 8, filterHeight: 1, filterWidth: 1, strideHeight: 1, strideWidth: 1, padTop: 0, padLeft: 0 };
    const x = tf.randomUniform([1, 3, 3, 4], -1, 1, 'float32', 1);
    const dy = tf.randomUniform([1, 3, 3, 8], -1, 1, 'float32', 2);
    try {
      const xView = float32View(x);
      expect(xView.buffer).toBe(heap!.memory.buffer);
      const inHeap = nativeFilterGradient(xView, float32View(dy), g, heap!);
      const copied = nativeFilterGradient(x.dataSync() as Float32Array, dy.dataSync() as Float32Array, g);
      expect(Array.from(inHeap)).toEqual(Array.from(copied));
    } finally {
      tf.dispose([x, dy]);
    }
  });
});
