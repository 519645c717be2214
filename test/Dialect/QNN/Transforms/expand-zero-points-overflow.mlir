// RUN: qopt %s -split-input-file -verify-diagnostics --qopt-expand-zero-points
// RUN: not qopt %s -split-input-file --qopt-expand-zero-points=accumulator-overflow=warning 2>&1 | FileCheck %s --check-prefix=WARNING
// RUN: not qopt %s --qopt-expand-zero-points=accumulator-overflow=saturate 2>&1 | FileCheck %s --check-prefix=OPTION
// OPTION: error: unknown accumulator-overflow 'saturate'; expected error or warning

// 70000 taps of |w| = 127 times inputs up to 255: 2266950000 > 2^31 - 1.
// WARNING: warning: int32 accumulator can reach 2266950000, above 2^31 - 1 (output channel 0: inputs up to 255 in magnitude times sum |w - zw| = 8890000, plus the bias)
// WARNING: qnn.int.fully_connected
func.func @accumulator(%x: tensor<1x70000xui8>) -> tensor<1x1xi32> {
  %w = arith.constant dense<127> : tensor<1x70000xi8>
  // expected-error @below {{int32 accumulator can reach 2266950000, above 2^31 - 1 (output channel 0: inputs up to 255 in magnitude times sum |w - zw| = 8890000, plus the bias)}}
  %0 = qnn.int.fully_connected %x, %w : (tensor<1x70000xui8>, tensor<1x70000xi8>) -> tensor<1x1xi32>
  return %0 : tensor<1x1xi32>
}

// -----

// -Zx * sum w = -255 * 127 * 70000 does not fit in int32: an error even with
// accumulator-overflow=warning, since no bias constant can hold it.
// WARNING: error: 'qnn.int.fully_connected' op the bias with the zero-point terms folded in does not fit in int32
func.func @folded_bias(%x: tensor<1x70000xui8>) -> tensor<1x1xi32> {
  %w = arith.constant dense<127> : tensor<1x70000xi8>
  // expected-error @below {{the bias with the zero-point terms folded in does not fit in int32}}
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
