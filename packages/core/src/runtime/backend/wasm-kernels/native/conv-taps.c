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
   for the grid i < rows, j < cols. `in` is [B][Hp][Wp][C], zero-padded (by the caller) so that
   every read lies inside it; `out` is [B][OH][OW][K]; `taps` holds (dh, dw, woff) triples. Tiles of 4 grid columns
   x 8 outputs accumulate over every tap and channel in a fixed order, then are stored. */

static inline void tile4x8(const float* p, int ps, const float* w, int C, int K, v128_t* a) {
  for (int c = 0; c < C; c++) {
    const v128_t w0 = wasm_v128_load(w + c * K), w1 = wasm_v128_load(w + c * K + 4);
    const v128_t x0 = wasm_v128_load32_splat(p + c), x1 = wasm_v128_load32_splat(p + ps + c);
    const v128_t x2 = wasm_v128_load32_splat(p + 2 * ps + c), x3 = wasm_v128_load32_splat(p + 3 * ps + c);
    a[0] = MADD(x0, w0, a[0]); a[1] = MADD(x0, w1, a[1]);
    a[2] = MADD(x1, w0, a[2]); a[3] = MADD(x1, w1, a[3]);
    a[4] = MADD(x2, w0, a[4]); a[5] = MADD(x2, w1, a[5]);
    a[6] = MADD(x3, w0, a[6]); a[7] = MADD(x3, w1, a[7]);
  }
}

static inline void tile1x8(const float* p, const float* w, int C, int K, v128_t* a) {
  for (int c = 0; c < C; c++) {
    const v128_t x0 = wasm_v128_load32_splat(p + c);
    a[0] = MADD(x0, wasm_v128_load(w + c * K), a[0]);
    a[1] = MADD(x0, wasm_v128_load(w + c * K + 4), a[1]);
  }
}

__attribute__((export_name("conv_taps")))
void conv_taps(const float* in, int B, int Hp, int Wp, int C, float* out, int OH, int OW, int K, int rows, int cols,
               int is_h, int is_w, int oo_h, int oo_w, int os_h, int os_w, int ntaps, const int* taps, const float* w) {
  const int ps = is_w * C;
  for (int b = 0; b < B; b++) {
    for (int i = 0; i < rows; i++) {
      const float* in_row = in + (b * Hp + i * is_h) * Wp * C;
      float* out_row = out + ((b * OH + oo_h + os_h * i) * OW + oo_w) * K;
      int j = 0;
      for (; j + 4 <= cols; j += 4) {
        int k = 0;
        for (; k + 8 <= K; k += 8) {
          v128_t a[8];
          for (int q = 0; q < 8; q++) a[q] = wasm_f32x4_splat(0.0f);
          for (int t = 0; t < ntaps; t++) {
            const int* tap = taps + 3 * t;
            tile4x8(in_row + (tap[0] * Wp + j * is_w + tap[1]) * C, ps, w + tap[2] + k, C, K, a);
          }
          for (int q = 0; q < 4; q++) {
            float* o = out_row + (j + q) * os_w * K + k;
            wasm_v128_store(o, a[2 * q]);
            wasm_v128_store(o + 4, a[2 * q + 1]);
          }
        }
        for (; k < K; k++) {
          for (int q = 0; q < 4; q++) {
            float s = 0.0f;
            for (int t = 0; t < ntaps; t++) {
              const int* tap = taps + 3 * t;
              const float* p = in_row + (tap[0] * Wp + (j + q) * is_w + tap[1]) * C;
              for (int c = 0; c < C; c++) s += p[c] * w[tap[2] + c * K + k];
            }
            out_row[(j + q) * os_w * K + k] = s;
          }
        }
      }
      for (; j < cols; j++) {
        int k = 0;
        for (; k + 8 <= K; k += 8) {
          v128_t a[2] = {wasm_f32x4_splat(0.0f), wasm_f32x4_splat(0.0f)};
          for (int t = 0; t < ntaps; t++) {
            const int* tap = taps + 3 * t;
            tile1x8(in_row + (tap[0] * Wp + j * is_w + tap[1]) * C, w + tap[2] + k, C, K, a);
          }
          float* o = out_row + j * os_w * K + k;
          wasm_v128_store(o, a[0]);
          wasm_v128_store(o + 4, a[1]);
        }
        for (; k < K; k++) {
          float s = 0.0f;
          for (int t = 0; t < ntaps; t++) {
            const int* tap = taps + 3 * t;
            const float* p = in_row + (tap[0] * Wp + j * is_w + tap[1]) * C;
            for (int c = 0; c < C; c++) s += p[c] * w[tap[2] + c * K + k];
          }
          out_row[j * os_w * K + k] = s;
        }
      }
    }
  }
}
