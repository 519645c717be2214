/* Part of the qopt project.
 *
 * The integer formula of docs/params-export.md ("Contractions"), applied by
 * C99 code to layer conv1 of network.mlir through the exported header alone,
 * as an accelerator would apply it. It checks that the folded bias form
 * equals the textbook accumulator sum (x - Zx)(w - Zw) + bias at every
 * output, that the accumulator stays within accumulator_bound, and prints the
 * results in both rounding conventions. */

#include "network-params.h"

#include <stdint.h>
#include <stdio.h>

/* gemmlowp's SaturatingRoundingDoublingHighMul (fixedpoint/fixedpoint.h). */
static int32_t saturating_rounding_doubling_high_mul(int32_t a, int32_t b) {
  int64_t ab = (int64_t)a * b;
  int64_t nudge = ab >= 0 ? (1 << 30) : (1 - (1 << 30));
  if (a == INT32_MIN && b == INT32_MIN)
    return INT32_MAX;
  return (int32_t)((ab + nudge) / ((int64_t)1 << 31));
}

/* gemmlowp's RoundingDivideByPOT (fixedpoint/fixedpoint.h). */
static int32_t rounding_divide_by_pot(int32_t x, int exponent) {
  int32_t mask = (int32_t)(((int64_t)1 << exponent) - 1);
  int32_t remainder = x & mask;
  int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

/* TensorFlow Lite's MultiplyByQuantizedMultiplier (kernels/internal/common.h),
 * default build: two roundings. */
static int32_t multiply_double_round(int32_t x, int32_t m0, int32_t shift) {
  int left = shift > 0 ? shift : 0;
  int right = shift > 0 ? 0 : -shift;
  return rounding_divide_by_pot(
      saturating_rounding_doubling_high_mul(x * (1 << left), m0), right);
}

/* The same with TFLITE_SINGLE_ROUNDING: one rounding, in 64 bits. */
static int32_t multiply_single_round(int32_t x, int32_t m0, int32_t shift) {
  int total = 31 - shift;
  int64_t round = (int64_t)1 << (total - 1);
  return (int32_t)(((int64_t)x * m0 + round) >> total);
}

static int32_t clamp(int32_t v, int32_t lo, int32_t hi) {
  return v < lo ? lo : v > hi ? hi : v;
}

#define H 4
#define W 4
#define C 2
#define O NET_CONV1_CHANNELS
#define KH 2
#define KW 2

int main(void) {
  int8_t x[H][W][C];
  int y, xx, c, o, ky, kx;
  /* A fixed input with positive and negative real values. */
  for (y = 0; y < H; ++y)
    for (xx = 0; xx < W; ++xx)
      for (c = 0; c < C; ++c)
        x[y][xx][c] = (int8_t)(((y * W + xx) * C + c) * 37 % 256 - 128);

  for (y = 0; y < H; ++y)
    for (xx = 0; xx < W; ++xx) {
      printf("y=%d x=%d:", y, xx);
      for (o = 0; o < O; ++o) {
        int32_t sum_xw = 0, sum_x = 0, acc, textbook = net_conv1_bias[o];
        for (ky = 0; ky < KH; ++ky)
          for (kx = 0; kx < KW; ++kx)
            for (c = 0; c < C; ++c) {
              int iy = y * net_conv1_strides[0] + ky * net_conv1_dilations[0] -
                       net_conv1_padding[0];
              int ix = xx * net_conv1_strides[1] +
                       kx * net_conv1_dilations[1] - net_conv1_padding[2];
              /* Padded positions hold the input zero point. */
              int32_t xv = iy >= 0 && iy < H && ix >= 0 && ix < W
                               ? x[iy][ix][c]
                               : NET_CONV1_INPUT_ZP;
              int32_t wv =
                  net_conv1_weights_values[((o * KH + ky) * KW + kx) * C + c];
              sum_xw += xv * wv;
              sum_x += xv;
              textbook +=
                  (xv - NET_CONV1_INPUT_ZP) * (wv - net_conv1_weights_zp[o]);
            }
        acc = net_conv1_folded_bias[o] + sum_xw -
              net_conv1_weights_zp[o] * sum_x;
        if (acc != textbook || acc > NET_CONV1_ACCUMULATOR_BOUND ||
            -acc > NET_CONV1_ACCUMULATOR_BOUND) {
          printf(" accumulator %d, textbook %d\n", (int)acc, (int)textbook);
          return 1;
        }
        printf(" acc %d double %d single %d", (int)acc,
               (int)clamp(multiply_double_round(acc, net_conv1_multiplier[o],
                                                net_conv1_shift[o]) +
                              NET_CONV1_OUTPUT_ZP,
                          NET_CONV1_CLAMP_MIN, NET_CONV1_CLAMP_MAX),
               (int)clamp(multiply_single_round(acc, net_conv1_multiplier[o],
                                                net_conv1_shift[o]) +
                              NET_CONV1_OUTPUT_ZP,
                          NET_CONV1_CLAMP_MIN, NET_CONV1_CLAMP_MAX));
      }
      printf("\n");
    }
  return 0;
}
