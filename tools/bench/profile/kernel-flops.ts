const product = (shape: readonly number[]) => shape.reduce((p, d) => p * d, 1);

/**
 * Floating-point operations (2 × multiply-adds) a convolution or matrix-product kernel executes,
 * from the shapes `tf.profile` records (inputs in the order the op passes them; attributes are not
 * recorded, so they are read back from the shapes). 0 for every other kernel (element-wise ops,
 * reductions, copies: their cost is memory traffic, not FLOPs).
 */
export function kernelFlops(name: string, inputShapes: ReadonlyArray<readonly number[] | undefined>, outputShapes: ReadonlyArray<readonly number[]>): number {
  const out = outputShapes[0];
  switch (name) {
    case 'Conv2D':
    case 'FusedConv2D': {
      // x, filter [kH, kW, Cin, Cout] → y [B, outH, outW, Cout].
      const [kH, kW, cin] = inputShapes[1] ?? [];
      return 2 * product(out) * kH * kW * cin;
    }
    case 'Conv2DBackpropInput': {
      // dy [B, outH, outW, Cout], filter [kH, kW, Cin, Cout] → dx: the forward conv's work.
      const [kH, kW, cin] = inputShapes[1] ?? [];
      return 2 * product(inputShapes[0] ?? []) * kH * kW * cin;
    }
    case 'Conv2DBackpropFilter': {
      // x, dy [B, outH, outW, Cout] → dW [kH, kW, Cin, Cout].
      const [kH, kW, cin] = out;
      return 2 * product(inputShapes[1] ?? []) * kH * kW * cin;
    }
    case 'DepthwiseConv2dNative':
    case 'FusedDepthwiseConv2D': {
      // x, filter [kH, kW, C, M] → y [B, outH, outW, C·M].
      const [kH, kW] = inputShapes[1] ?? [];
      return 2 * product(out) * kH * kW;
    }
    case 'BatchMatMul':
    case '_FusedMatMul': {
      // a [..., m, k] (or [..., k, m] transposed) → [..., m, n]: k is a's axis that is not m.
      const a = inputShapes[0] ?? [];
      const [rows, cols] = a.slice(-2);
      const m = out[out.length - 2];
      const k = rows === m ? cols : rows;
      return 2 * product(out) * k;
    }
    default:
      return 0;
  }
}
