#include <wasm_simd128.h>

/* acc + a·b, four lanes: Relaxed SIMD's fused multiply-add when built with -DAUSAM_FMA (clang 14's
   name for f32x4.relaxed_madd(a, b, acc) = a·b + acc), else a multiply then an add. */
#ifdef AUSAM_FMA
#define MADD(a, b, acc) __builtin_wasm_fma_f32x4((a), (b), (acc))
#else
#define MADD(a, b, acc) wasm_f32x4_add((acc), wasm_f32x4_mul((a), (b)))
#endif

/* The forward pass of an undilated NHWC conv2d, without a padded copy of its input:
     out[b][oh][ow][k] = sum over kh, kw, c of x[b][oh*sh + kh - pt][ow*sw + kw - pl][c] * w[kh][kw][c][k]
   x: [B][H][W][C], w: [KH][KW][C][K] (tfjs' filter layout), out: [B][OH][OW][K]. Tiles of 4 output
   columns x 8 outputs accumulate over every tap (kh, then kw) and channel in that order, then are
   stored. Each of a tile's columns reads through its own pointer, which points at `zero` (C zeros)
   where its input column lies in the padding (or past the last output column); taps whose input row
   lies in the padding are skipped. A tile whose columns all lie inside runs each filter row's taps
   as one loop (same order, less loop overhead). */

/* Outputs k..k+7 of the output columns j..j+3 of row oh of image b. */
static inline void tile4x8(const float* x, int H, int W, int C, const float* w, int K, int KH, int KW, int sh, int sw, int pt,
                           int pl, float* out_row, int OW, const float* zero, int b, int oh, int j, int k) {
  v128_t a0 = wasm_f32x4_splat(0.0f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
  /* Whether all 4 columns read inside x for every kw: then, for each kh, the (kw, c) pairs are
     KW·C consecutive floats of each column's input row and KW·C consecutive rows of w, one loop. */
  const int interior = j + 3 < OW && j * sw - pl >= 0 && (j + 3) * sw + KW - 1 - pl < W;
  for (int kh = 0; kh < KH; kh++) {
    const int ih = oh * sh + kh - pt;
    if (ih < 0 || ih >= H) continue;
    const float* row = x + (b * H + ih) * W * C;
    const int runs = interior ? 1 : KW, run_length = interior ? KW * C : C;
    for (int kw = 0; kw < runs; kw++) {
      const float* p[4];
      for (int q = 0; q < 4; q++) {
        const int iw = (j + q) * sw + kw - pl;
        p[q] = (j + q < OW && iw >= 0 && iw < W) ? row + iw * C : zero;
      }
      const float *p0 = p[0], *p1 = p[1], *p2 = p[2], *p3 = p[3];
      const float* wt = w + (kh * KW + kw) * C * K + k;
      for (int c = 0; c < run_length; c++) {
        const v128_t w0 = wasm_v128_load(wt), w1 = wasm_v128_load(wt + 4);
        const v128_t x0 = wasm_v128_load32_splat(p0 + c), x1 = wasm_v128_load32_splat(p1 + c);
        const v128_t x2 = wasm_v128_load32_splat(p2 + c), x3 = wasm_v128_load32_splat(p3 + c);
        a0 = MADD(x0, w0, a0); a1 = MADD(x0, w1, a1);
        a2 = MADD(x1, w0, a2); a3 = MADD(x1, w1, a3);
        a4 = MADD(x2, w0, a4); a5 = MADD(x2, w1, a5);
        a6 = MADD(x3, w0, a6); a7 = MADD(x3, w1, a7);
        wt += K;
      }
    }
  }
  float* o = out_row + j * K + k;
  wasm_v128_store(o, a0); wasm_v128_store(o + 4, a1);
  if (j + 1 < OW) { wasm_v128_store(o + K, a2); wasm_v128_store(o + K + 4, a3); }
  if (j + 2 < OW) { wasm_v128_store(o + 2 * K, a4); wasm_v128_store(o + 2 * K + 4, a5); }
  if (j + 3 < OW) { wasm_v128_store(o + 3 * K, a6); wasm_v128_store(o + 3 * K + 4, a7); }
}

/* Output k of column ow of row oh of image b: the outputs the 8-wide tiles leave. */
static inline float scalar_one(const float* x, int H, int W, int C, const float* w, int K, int KH, int KW, int sh, int sw, int pt,
                               int pl, int b, int oh, int ow, int k) {
  float s = 0.0f;
  for (int kh = 0; kh < KH; kh++) {
    const int ih = oh * sh + kh - pt;
    if (ih < 0 || ih >= H) continue;
    for (int kw = 0; kw < KW; kw++) {
      const int iw = ow * sw + kw - pl;
      if (iw < 0 || iw >= W) continue;
      const float* px = x + ((b * H + ih) * W + iw) * C;
      const float* wt = w + (kh * KW + kw) * C * K + k;
      for (int c = 0; c < C; c++) s += px[c] * wt[c * K];
    }
  }
  return s;
}

__attribute__((export_name("conv_forward")))
void conv_forward(const float* x, int B, int H, int W, int C, const float* w, int K, int KH, int KW, int sh, int sw, int pt, int pl,
                  float* out, int OH, int OW, const float* zero) {
  for (int b = 0; b < B; b++) {
    for (int oh = 0; oh < OH; oh++) {
      float* out_row = out + (b * OH + oh) * OW * K;
      for (int j = 0; j < OW; j += 4) {
        int k = 0;
        for (; k + 8 <= K; k += 8) tile4x8(x, H, W, C, w, K, KH, KW, sh, sw, pt, pl, out_row, OW, zero, b, oh, j, k);
        for (; k < K; k++)
          for (int q = 0; q < 4 && j + q < OW; q++) out_row[(j + q) * K + k] = scalar_one(x, H, W, C, w, K, KH, KW, sh, sw, pt, pl, b, oh, j + q, k);
      }
    }
  }
}
