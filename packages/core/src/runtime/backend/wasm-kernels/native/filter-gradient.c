#include <wasm_simd128.h>

/* acc + a·b, four lanes: Relaxed SIMD's fused multiply-add when built with -DAUSAM_FMA (clang 14's
   name for f32x4.relaxed_madd(a, b, acc) = a·b + acc), else a multiply then an add. */
#ifdef AUSAM_FMA
#define MADD(a, b, acc) __builtin_wasm_fma_f32x4((a), (b), (acc))
#else
#define MADD(a, b, acc) wasm_f32x4_add((acc), wasm_f32x4_mul((a), (b)))
#endif

/* dW[kh][kw][c][k] = sum over b, oh, ow of x[b][oh*sh+kh-pt][ow*sw+kw-pl][c] * dy[b][oh][ow][k]
   x: [B,H,W,C] NHWC, dy: [B,OH,OW,K], dw: [KH,KW,C,K]; input pixels outside x are zero padding.
   The pixels are taken a few output rows at a time, so that the rows of x and dy they read stay in
   the L1 cache while every (tap, 4 channels, 8 outputs) tile of dW accumulates over them. */

static inline int first_valid(int k, int pad, int stride) {
  int need = pad - k;
  return need <= 0 ? 0 : (need + stride - 1) / stride;
}
static inline int last_valid(int k, int pad, int stride, int in, int out) {
  int num = in - 1 + pad - k;
  if (num < 0) return -1;
  int o = num / stride;
  return o < out - 1 ? o : out - 1;
}
static inline int max_i(int a, int b) { return a > b ? a : b; }
static inline int min_i(int a, int b) { return a < b ? a : b; }

/* One tile: 4 channels (c..c+3) x 8 outputs (k..k+7) of tap (kh, kw), over output rows oh0..oh1 of image b. */
static inline void tile4x8(const float* x, const float* dy, float* o, int H, int W, int C, int OW, int K, int b, int oh0, int oh1,
                           int ow0, int ow1, int kh, int kw, int sh, int sw, int pt, int pl, int c, int k, int OH) {
  v128_t a00 = wasm_v128_load(o), a01 = wasm_v128_load(o + 4);
  v128_t a10 = wasm_v128_load(o + K), a11 = wasm_v128_load(o + K + 4);
  v128_t a20 = wasm_v128_load(o + 2 * K), a21 = wasm_v128_load(o + 2 * K + 4);
  v128_t a30 = wasm_v128_load(o + 3 * K), a31 = wasm_v128_load(o + 3 * K + 4);
  for (int oh = oh0; oh <= oh1; oh++) {
    const float* xr = x + ((b * H + oh * sh + kh - pt) * W + kw - pl) * C + c;
    const float* dr = dy + ((b * OH + oh) * OW) * K + k;
    for (int ow = ow0; ow <= ow1; ow++) {
      const float* xp = xr + ow * sw * C;
      const float* dp = dr + ow * K;
      const v128_t d0 = wasm_v128_load(dp), d1 = wasm_v128_load(dp + 4);
      const v128_t x0 = wasm_f32x4_splat(xp[0]), x1 = wasm_f32x4_splat(xp[1]);
      const v128_t x2 = wasm_f32x4_splat(xp[2]), x3 = wasm_f32x4_splat(xp[3]);
      a00 = MADD(x0, d0, a00); a01 = MADD(x0, d1, a01);
      a10 = MADD(x1, d0, a10); a11 = MADD(x1, d1, a11);
      a20 = MADD(x2, d0, a20); a21 = MADD(x2, d1, a21);
      a30 = MADD(x3, d0, a30); a31 = MADD(x3, d1, a31);
    }
  }
  wasm_v128_store(o, a00); wasm_v128_store(o + 4, a01);
  wasm_v128_store(o + K, a10); wasm_v128_store(o + K + 4, a11);
  wasm_v128_store(o + 2 * K, a20); wasm_v128_store(o + 2 * K + 4, a21);
  wasm_v128_store(o + 3 * K, a30); wasm_v128_store(o + 3 * K + 4, a31);
}

/* One channel c x 8 outputs (k..k+7): channels left over from the blocks of 4, e.g. a 1-channel input. */
static inline void tile1x8(const float* x, const float* dy, float* o, int H, int W, int C, int OW, int K, int b, int oh0, int oh1,
                           int ow0, int ow1, int kh, int kw, int sh, int sw, int pt, int pl, int c, int k, int OH) {
  v128_t a0 = wasm_v128_load(o), a1 = wasm_v128_load(o + 4);
  for (int oh = oh0; oh <= oh1; oh++) {
    const float* xr = x + ((b * H + oh * sh + kh - pt) * W + kw - pl) * C + c;
    const float* dr = dy + ((b * OH + oh) * OW) * K + k;
    for (int ow = ow0; ow <= ow1; ow++) {
      const v128_t xv = wasm_f32x4_splat(xr[ow * sw * C]);
      a0 = MADD(xv, wasm_v128_load(dr + ow * K), a0);
      a1 = MADD(xv, wasm_v128_load(dr + ow * K + 4), a1);
    }
  }
  wasm_v128_store(o, a0);
  wasm_v128_store(o + 4, a1);
}

/* Any channel c and output k (the edges the tiles leave). */
static inline void scalar_one(const float* x, const float* dy, float* o, int H, int W, int C, int OW, int K, int b, int oh0, int oh1,
                              int ow0, int ow1, int kh, int kw, int sh, int sw, int pt, int pl, int c, int k, int OH) {
  float s = *o;
  for (int oh = oh0; oh <= oh1; oh++)
    for (int ow = ow0; ow <= ow1; ow++)
      s += x[((b * H + oh * sh + kh - pt) * W + ow * sw + kw - pl) * C + c] * dy[((b * OH + oh) * OW + ow) * K + k];
  *o = s;
}

__attribute__((export_name("filter_grad")))
void filter_grad(const float* x, const float* dy, float* dw, int B, int H, int W, int C, int OH, int OW, int K,
                 int KH, int KW, int sh, int sw, int pt, int pl, int rows_per_chunk) {
  const int total = KH * KW * C * K;
  __builtin_memset(dw, 0, (unsigned long)total * sizeof(float));
  for (int b = 0; b < B; b++) {
    for (int r0 = 0; r0 < OH; r0 += rows_per_chunk) {
      const int r1 = min_i(OH - 1, r0 + rows_per_chunk - 1);
      for (int kh = 0; kh < KH; kh++) {
        const int oh0 = max_i(r0, first_valid(kh, pt, sh)), oh1 = min_i(r1, last_valid(kh, pt, sh, H, OH));
        if (oh0 > oh1) continue;
        for (int kw = 0; kw < KW; kw++) {
          const int ow0 = first_valid(kw, pl, sw), ow1 = last_valid(kw, pl, sw, W, OW);
          if (ow0 > ow1) continue;
          float* out = dw + (kh * KW + kw) * C * K;
          int c = 0;
          for (; c + 4 <= C; c += 4) {
            int k = 0;
            for (; k + 8 <= K; k += 8) tile4x8(x, dy, out + c * K + k, H, W, C, OW, K, b, oh0, oh1, ow0, ow1, kh, kw, sh, sw, pt, pl, c, k, OH);
            for (; k < K; k++)
              for (int cc = c; cc < c + 4; cc++) scalar_one(x, dy, out + cc * K + k, H, W, C, OW, K, b, oh0, oh1, ow0, ow1, kh, kw, sh, sw, pt, pl, cc, k, OH);
          }
          for (; c < C; c++) {
            int k = 0;
            for (; k + 8 <= K; k += 8) tile1x8(x, dy, out + c * K + k, H, W, C, OW, K, b, oh0, oh1, ow0, ow1, kh, kw, sh, sw, pt, pl, c, k, OH);
            for (; k < K; k++) scalar_one(x, dy, out + c * K + k, H, W, C, OW, K, b, oh0, oh1, ow0, ow1, kh, kw, sh, sw, pt, pl, c, k, OH);
          }
        }
      }
    }
  }
}
