import { kernelFlops } from './kernel-flops';

describe('kernelFlops', () => {
  it('counts 2·MACs of a forward conv, and the same for its input and filter gradients', () => {
    // 3×3 conv 16 → 32, stride 2: x [8, 14, 14, 16] → y [8, 7, 7, 32]; MACs = 8·7·7·32 · 9·16.
    const macs = 8 * 7 * 7 * 32 * 9 * 16;
    expect(kernelFlops('Conv2D', [[8, 14, 14, 16], [3, 3, 16, 32]], [[8, 7, 7, 32]])).toBe(2 * macs);
    expect(kernelFlops('Conv2DBackpropInput', [[8, 7, 7, 32], [3, 3, 16, 32]], [[8, 14, 14, 16]])).toBe(2 * macs);
    expect(kernelFlops('Conv2DBackpropFilter', [[8, 14, 14, 16], [8, 7, 7, 32]], [[3, 3, 16, 32]])).toBe(2 * macs);
  });

  it('counts depthwise convs and matrix products, transposed or not', () => {
    expect(kernelFlops('DepthwiseConv2dNative', [[2, 8, 8, 4], [3, 3, 4, 2]], [[2, 8, 8, 8]])).toBe(2 * 2 * 8 * 8 * 8 * 9);
    expect(kernelFlops('BatchMatMul', [[1, 5, 7], [1, 7, 3]], [[1, 5, 3]])).toBe(2 * 5 * 3 * 7);
    expect(kernelFlops('BatchMatMul', [[1, 7, 5], [1, 7, 3]], [[1, 5, 3]])).toBe(2 * 5 * 3 * 7);
  });

  it('gives element-wise kernels no FLOPs', () => {
    expect(kernelFlops('Mul', [[4, 4], [4, 4]], [[4, 4]])).toBe(0);
  });
});
