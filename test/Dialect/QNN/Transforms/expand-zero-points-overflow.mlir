// RUN: qopt %s -split-input-file -verify-diagnostics --qopt-expand-zero-points
// RUN: qopt %s -split-input-file -verify-diagnostics --qopt-expand-zero-points=unsigned-input | FileCheck %s --check-prefix=SHIFTED
// RUN: not qopt %s -split-input-file --qopt-expand-zero-points=accumulator-overflow=warning 2>&1 | FileCheck %s --check-prefix=WARNING
// RUN: not qopt %s --qopt-expand-zero-points=accumulator-overflow=saturate 2>&1 | FileCheck %s --check-prefix=OPTION
// OPTION: error: unknown accumulator-overflow 'saturate'; expected error or warning

// The accumulator's exact range, sum_k (x - zx)(w - zw) + b over every input:
// 70000 taps of w - zw = 127 times x - zx up to 255 reach 2266950000.
// WARNING: warning: int32 accumulator of output channel 0 can reach 2266950000, outside int32 (70000 taps of x - zx in [0, 255] times constant w - zw whose positive ones sum to 8890000 and negative ones to 0)
// WARNING: qnn.int.fully_connected
func.func @accumulator(%x: tensor<1x70000xui8>) -> tensor<1x1xi32> {
  %w = arith.constant dense<127> : tensor<1x70000xi8>
  // expected-error @below {{int32 accumulator of output channel 0 can reach 2266950000, outside int32 (70000 taps of x - zx in [0, 255] times constant w - zw whose positive ones sum to 8890000 and negative ones to 0)}}
  %0 = qnn.int.fully_connected %x, %w : (tensor<1x70000xui8>, tensor<1x70000xi8>) -> tensor<1x1xi32>
  return %0 : tensor<1x1xi32>
}

// -----

// Below -2^31: x - zx in [-255, 0], and the bias adds -5.
func.func @negative(%x: tensor<1x70000xi8>) -> tensor<1x1xi32> {
  %w = arith.constant dense<127> : tensor<1x70000xi8>
  %b = arith.constant dense<-5> : tensor<1xi32>
  // expected-error @below {{int32 accumulator of output channel 0 can reach -2266950005, outside int32 (70000 taps of x - zx in [-255, 0] times constant w - zw whose positive ones sum to 8890000 and negative ones to 0, plus the bias)}}
  %0 = qnn.int.fully_connected %x, %w, %b {input_zp = 127 : i64} : (tensor<1x70000xi8>, tensor<1x70000xi8>, tensor<1xi32>) -> tensor<1x1xi32>
  return %0 : tensor<1x1xi32>
}

// -----

// The folded bias is the accumulator at input 0 (Zx = 255: -255 * 127 *
// 70000), so it fits whenever the accumulator does. With
// accumulator-overflow=warning it is still an error: no bias constant can
// hold it.
// WARNING: warning: int32 accumulator of output channel 0 can reach -2266950000, outside int32
// WARNING: error: 'qnn.int.fully_connected' op the bias with the zero-point terms folded in does not fit in int32
func.func @folded_bias(%x: tensor<1x70000xui8>) -> tensor<1x1xi32> {
  %w = arith.constant dense<127> : tensor<1x70000xi8>
  // expected-error @below {{int32 accumulator of output channel 0 can reach -2266950000, outside int32 (70000 taps of x - zx in [-255, 0] times constant w - zw whose positive ones sum to 8890000 and negative ones to 0)}}
  %0 = qnn.int.fully_connected %x, %w {input_zp = 255 : i64} : (tensor<1x70000xui8>, tensor<1x70000xi8>) -> tensor<1x1xi32>
  return %0 : tensor<1x1xi32>
}

// -----

// The accumulator fits (1000 * 127 * 255 = 32385000), but a multiplier >= 1
// with shift 7 would shift it to 4145280000.
func.func @left_shift(%x: tensor<1x1000xui8>) -> tensor<1x1xi8> {
  %w = arith.constant dense<127> : tensor<1x1000xi8>
  %0 = qnn.int.fully_connected %x, %w : (tensor<1x1000xui8>, tensor<1x1000xi8>) -> tensor<1x1xi32>
  // expected-error @below {{left shift by 7 of an accumulator that can reach 32385000 overflows int32}}
  %1 = qnn.int.rescale %0 {multiplier = array<i32: 1073741824>, shift = array<i32: 7>} : (tensor<1x1xi32>) -> tensor<1x1xi8>
  return %1 : tensor<1x1xi8>
}

// -----

// Each output channel with its own shift: channel 1 reaches 4 * 255 = 1020,
// which a shift by 20 keeps in int32; channel 0 reaches 129540, which it
// does not.
func.func @per_channel_shift(%x: tensor<1x4xui8>) -> (tensor<1x2xi8>, tensor<1x2xi8>) {
  %w = arith.constant dense<[[127, 127, 127, 127], [1, 1, 1, 1]]> : tensor<2x4xi8>
  %0 = qnn.int.fully_connected %x, %w : (tensor<1x4xui8>, tensor<2x4xi8>) -> tensor<1x2xi32>
  %1 = qnn.int.rescale %0 {multiplier = array<i32: 1073741824, 1073741824>, shift = array<i32: 0, 20>} : (tensor<1x2xi32>) -> tensor<1x2xi8>
  // expected-error @below {{left shift by 20 of an accumulator that can reach 129540 overflows int32}}
  %2 = qnn.int.rescale %0 {multiplier = array<i32: 1073741824, 1073741824>, shift = array<i32: 20, 0>} : (tensor<1x2xi32>) -> tensor<1x2xi8>
  return %1, %2 : tensor<1x2xi8>, tensor<1x2xi8>
}

// -----

// Weights that are not constant are bounded by their type: i16 x i8 with 512
// taps reaches (-32768) * (-128) * 512 = 2^31.
// WARNING: warning: int32 accumulator of output channel 0 can reach 2147483648, outside int32 (512 taps of x - zx in [-32768, 32767] times w - zw in [-128, 127])
func.func @variable_weights(%x: tensor<1x512xi16>, %w: tensor<1x512xi8>) -> tensor<1x1xi32> {
  // expected-error @below {{int32 accumulator of output channel 0 can reach 2147483648, outside int32 (512 taps of x - zx in [-32768, 32767] times w - zw in [-128, 127])}}
  %0 = qnn.int.fully_connected %x, %w : (tensor<1x512xi16>, tensor<1x512xi8>) -> tensor<1x1xi32>
  return %0 : tensor<1x1xi32>
}

// -----

// 511 taps fit; a zero point moves the range (w - 100 in [-228, 27]), and a
// conv counts KH * KW * C taps: 3 * 3 * 8 * 255 * 255 = 4681800 fits, with a
// left shift by 9 it does not.
func.func @variable_weights_fit(%x: tensor<1x511xi16>, %w: tensor<1x511xi8>,
                                %i: tensor<1x4x4x8xui8>, %f: tensor<2x3x3x8xui8>) -> (tensor<1x1xi32>, tensor<1x2x2x2xi8>) {
  %0 = qnn.int.fully_connected %x, %w : (tensor<1x511xi16>, tensor<1x511xi8>) -> tensor<1x1xi32>
  %1 = qnn.int.conv2d %i, %f {input_zp = 255 : i64, filter_zp = array<i64: 0>} : (tensor<1x4x4x8xui8>, tensor<2x3x3x8xui8>) -> tensor<1x2x2x2xi32>
  // expected-error @below {{left shift by 9 of an accumulator that can reach -4681800 overflows int32}}
  %2 = qnn.int.rescale %1 {multiplier = array<i32: 1073741824>, shift = array<i32: 9>} : (tensor<1x2x2x2xi32>) -> tensor<1x2x2x2xi8>
  return %0, %2 : tensor<1x1xi32>, tensor<1x2x2x2xi8>
}

// -----

// Moving s8 inputs to u8 (unsigned-input) leaves the accumulator unchanged:
// 132000 taps of 127 times x in [-128, 127] reach -2145792000, inside int32,
// although the u8 inputs times the weights alone would not fit. The folded
// bias -128 * sum w fits too.
// SHIFTED-LABEL: func.func @shifted_input
// SHIFTED: %[[BIAS:.*]] = arith.constant dense<-2145792000> : tensor<1xi32>
// SHIFTED: %[[U8:.*]] = qnn.int.rescale %{{.*}} {multiplier = array<i32: 1073741824>, output_zp = 128 : i64, shift = array<i32: 1>}
// SHIFTED: qnn.int.fully_connected %[[U8]], %{{.*}}, %[[BIAS]]
func.func @shifted_input(%x: tensor<1x132000xi8>) -> tensor<1x1xi32> {
  %w = arith.constant dense<127> : tensor<1x132000xi8>
  %0 = qnn.int.fully_connected %x, %w : (tensor<1x132000xi8>, tensor<1x132000xi8>) -> tensor<1x1xi32>
  return %0 : tensor<1x1xi32>
}

// -----

// Per-channel zero points: channel 1's w - 100 is in [-228, 27], so 80000
// taps reach (-128) * (-228) * 80000; channel 0's (128 * 128 * 80000) fit.
func.func @variable_weights_per_channel(%x: tensor<1x80000xi8>, %w: tensor<2x80000xi8>) -> tensor<1x2xi32> {
  // expected-error @below {{int32 accumulator of output channel 1 can reach 2334720000, outside int32 (80000 taps of x - zx in [-128, 127] times w - zw in [-228, 27])}}
  %0 = qnn.int.fully_connected %x, %w {weights_zp = array<i64: 0, 100>} : (tensor<1x80000xi8>, tensor<2x80000xi8>) -> tensor<1x2xi32>
  return %0 : tensor<1x2xi32>
}
