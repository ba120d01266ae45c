#include <wasm_simd128.h>

/* acc + a·b, four lanes: Relaxed SIMD's fused multiply-add when built with -DAUSAM_FMA (clang 14's
   name for f32x4.relaxed_madd(a, b, acc) = a·b + acc), else a multiply then an add. */
#ifdef AUSAM_FMA
#define MADD(a, b, acc) __builtin_wasm_fma_f32x4((a), (b), (acc))
#else
#define MADD(a, b, acc) wasm_f32x4_add((acc), wasm_f32x4_mul((a), (b)))
#endif

/* A convolution given as a list of taps, enough for both a conv's forward pass and (one phase at a
   time) its input gradient:
     out[b][oo_h + os_h*i][oo_w + os_w*j][k] = sum over taps t, channels c of
       in[b][i*is_h + dh[t]][j*is_w + dw[t]][c] * w[woff[t] + c*K + k]
   for the grid i < rows, j < cols, where reads outside `in` ([B][H][W][C], not padded) count as
   zeros: a tap whose row lies outside is skipped, a column outside reads `zero` (C zeros). `out` is
   [B][OH][OW][K]; `taps` holds (dh, dw, woff) triples. Tiles of 4 grid columns x 8 outputs
   accumulate over every tap and channel in a fixed order, then are stored. */

static inline void tile4x8(const float* in, int H, int W, int C, int K, int b, int i, int j, int k, int cols, int is_h, int is_w,
                           int ntaps, const int* taps, const float* w, const float* zero, float* out_row, int os_w) {
  v128_t a0 = wasm_f32x4_splat(0.0f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
  for (int t = 0; t < ntaps; t++) {
    const int* tap = taps + 3 * t;
    const int r = i * is_h + tap[0];
    if (r < 0 || r >= H) continue;
    const float* row = in + (b * H + r) * W * C;
    const float* p[4];
    for (int q = 0; q < 4; q++) {
      const int col = (j + q) * is_w + tap[1];
      p[q] = (j + q < cols && col >= 0 && col < W) ? row + col * C : zero;
    }
    const float *p0 = p[0], *p1 = p[1], *p2 = p[2], *p3 = p[3];
    const float* wt = w + tap[2] + k;
    for (int c = 0; c < C; c++) {
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
  float* o = out_row + j * os_w * K + k;
  wasm_v128_store(o, a0); wasm_v128_store(o + 4, a1);
  if (j + 1 < cols) { wasm_v128_store(o + os_w * K, a2); wasm_v128_store(o + os_w * K + 4, a3); }
  if (j + 2 < cols) { wasm_v128_store(o + 2 * os_w * K, a4); wasm_v128_store(o + 2 * os_w * K + 4, a5); }
  if (j + 3 < cols) { wasm_v128_store(o + 3 * os_w * K, a6); wasm_v128_store(o + 3 * os_w * K + 4, a7); }
}

/* Output k of grid column j: the outputs the 8-wide tiles leave. */
static inline float scalar_one(const float* in, int H, int W, int C, int K, int b, int i, int j, int k, int is_h, int is_w, int ntaps,
                               const int* taps, const float* w) {
  float s = 0.0f;
  for (int t = 0; t < ntaps; t++) {
    const int* tap = taps + 3 * t;
    const int r = i * is_h + tap[0], col = j * is_w + tap[1];
    if (r < 0 || r >= H || col < 0 || col >= W) continue;
    const float* p = in + ((b * H + r) * W + col) * C;
    for (int c = 0; c < C; c++) s += p[c] * w[tap[2] + c * K + k];
  }
  return s;
}

__attribute__((export_name("conv_taps")))
void conv_taps(const float* in, int B, int H, int W, int C, float* out, int OH, int OW, int K, int rows, int cols,
               int is_h, int is_w, int oo_h, int oo_w, int os_h, int os_w, int ntaps, const int* taps, const float* w, const float* zero) {
  for (int b = 0; b < B; b++) {
    for (int i = 0; i < rows; i++) {
      float* out_row = out + ((b * OH + oo_h + os_h * i) * OW + oo_w) * K;
      for (int j = 0; j < cols; j += 4) {
        int k = 0;
        for (; k + 8 <= K; k += 8) tile4x8(in, H, W, C, K, b, i, j, k, cols, is_h, is_w, ntaps, taps, w, zero, out_row, os_w);
        for (; k < K; k++)
          for (int q = 0; q < 4 && j + q < cols; q++) out_row[(j + q) * os_w * K + k] = scalar_one(in, H, W, C, K, b, i, j + q, k, is_h, is_w, ntaps, taps, w);
      }
    }
  }
}
