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
