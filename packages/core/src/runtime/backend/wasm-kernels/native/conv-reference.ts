import type { ConvGeometry } from './conv-geometry';

/**
 * Calls `visit(xIndex, dyIndex, filterIndex)` for every product of a conv's definition: each
 * output pixel, filter tap and channel pair whose input pixel lies inside `x` (flat NHWC indices
 * into `x` and `dy`, and into the `[kh, kw, cin, cout]` filter). The float64 references of the
 * native kernels' tests are sums over it.
 */
export function forEachConvProduct(g: ConvGeometry, visit: (xIndex: number, dyIndex: number, filterIndex: number) => void): void {
  for (let b = 0; b < g.batch; b++)
    for (let oh = 0; oh < g.outHeight; oh++)
      for (let ow = 0; ow < g.outWidth; ow++)
        for (let kh = 0; kh < g.filterHeight; kh++)
          for (let kw = 0; kw < g.filterWidth; kw++) {
            const ih = oh * g.strideHeight + kh - g.padTop;
            const iw = ow * g.strideWidth + kw - g.padLeft;
            if (ih < 0 || ih >= g.inHeight || iw < 0 || iw >= g.inWidth) continue;
            for (let ci = 0; ci < g.inChannels; ci++)
              for (let co = 0; co < g.outChannels; co++) {
                visit(
                  ((b * g.inHeight + ih) * g.inWidth + iw) * g.inChannels + ci,
                  ((b * g.outHeight + oh) * g.outWidth + ow) * g.outChannels + co,
                  ((kh * g.filterWidth + kw) * g.inChannels + ci) * g.outChannels + co,
                );
              }
          }
}
