import type { Affine, Size } from './affine';
import { invertAffine } from './affine';

/** A decoded 8-bit RGB image, rows top to bottom, channels interleaved. */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/** ImageNet channel statistics used by HRNet's input normalisation (torchvision conventions). */
export const IMAGENET_MEAN = [0.485, 0.456, 0.406] as const;
export const IMAGENET_STD = [0.229, 0.224, 0.225] as const;

/**
 * Samples `image` through the affine map `imageToCrop` into a crop of `size` with bilinear
 * interpolation and zero (black) border — what `cv2.warpAffine(..., INTER_LINEAR)` does in HRNet.
 * Pixel centers sit at integer coordinates. Returns 8-bit RGB.
 */
export function warpAffineRgb(image: RgbImage, imageToCrop: Affine, size: Size): RgbImage {
  const [a, b, tx, c, d, ty] = invertAffine(imageToCrop);
  const { width, height, data } = image;
  const out = new Uint8Array(size.width * size.height * 3);
  for (let v = 0; v < size.height; v++) {
    for (let u = 0; u < size.width; u++) {
      const x = a * u + b * v + tx;
      const y = c * u + d * v + ty;
      const x0 = Math.floor(x);
      const y0 = Math.floor(y);
      if (x0 < -1 || y0 < -1 || x0 >= width || y0 >= height) continue;
      const fx = x - x0;
      const fy = y - y0;
      const o = (v * size.width + u) * 3;
      for (let ch = 0; ch < 3; ch++) {
        const p00 = x0 >= 0 && y0 >= 0 ? data[(y0 * width + x0) * 3 + ch] : 0;
        const p10 = x0 + 1 < width && y0 >= 0 ? data[(y0 * width + x0 + 1) * 3 + ch] : 0;
        const p01 = x0 >= 0 && y0 + 1 < height ? data[((y0 + 1) * width + x0) * 3 + ch] : 0;
        const p11 = x0 + 1 < width && y0 + 1 < height ? data[((y0 + 1) * width + x0 + 1) * 3 + ch] : 0;
        const top = p00 + (p10 - p00) * fx;
        const bottom = p01 + (p11 - p01) * fx;
        out[o + ch] = Math.round(top + (bottom - top) * fy);
      }
    }
  }
  return { width: size.width, height: size.height, data: out };
}

/**
 * 8-bit RGB → float, `(v / 255 − mean) / std` per channel, written into `target` at `offset`
 * (NHWC layout, so a batch is filled sample by sample).
 */
export function normalizeInto(image: RgbImage, target: Float32Array, offset: number): void {
  const { data } = image;
  for (let i = 0; i < data.length; i += 3) {
    for (let ch = 0; ch < 3; ch++) target[offset + i + ch] = (data[i + ch] / 255 - IMAGENET_MEAN[ch]) / IMAGENET_STD[ch];
  }
}
