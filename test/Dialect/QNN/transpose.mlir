// RUN: qopt %s -split-input-file | qopt -split-input-file | FileCheck %s --check-prefix=ROUND
// RUN: qopt %s -split-input-file --canonicalize | FileCheck %s --check-prefix=CANON

// qnn.transpose at the three levels; a per-axis quantized type's axis moves
// with its dimension (axis 1 of the input is dimension 3 of the result).

// ROUND-LABEL: func.func @levels
// ROUND: qnn.transpose %{{.*}} {permutation = array<i64: 0, 2, 3, 1>} : (tensor<1x3x4x5xf32>) -> tensor<1x4x5x3xf32>
// ROUND: qnn.transpose %{{.*}} {permutation = array<i64: 0, 3, 1, 2>} : (tensor<1x4x5x3x!quant.uniform<u8:f32, 5.000000e-02:128>>) -> tensor<1x3x4x5x!quant.uniform<u8:f32, 5.000000e-02:128>>
// ROUND: qnn.transpose %{{.*}} {permutation = array<i64: 0, 2, 3, 1>} : (tensor<2x3x1x1x!quant.uniform<i8:f32:1, {1.000000e-01,2.000000e-01,3.000000e-01}>>) -> tensor<2x1x1x3x!quant.uniform<i8:f32:3, {1.000000e-01,2.000000e-01,3.000000e-01}>>
// ROUND: qnn.transpose %{{.*}} {permutation = array<i64: 1, 0>} : (tensor<2x7xi8>) -> tensor<7x2xi8>
func.func @levels(%f: tensor<1x3x4x5xf32>,
                  %q: tensor<1x4x5x3x!quant.uniform<u8:f32, 0.05:128>>,
                  %p: tensor<2x3x1x1x!quant.uniform<i8:f32:1, {0.1, 0.2, 0.3}>>,
                  %i: tensor<2x7xi8>) {
  %0 = qnn.transpose %f {permutation = array<i64: 0, 2, 3, 1>}
       : (tensor<1x3x4x5xf32>) -> tensor<1x4x5x3xf32>
  %1 = qnn.transpose %q {permutation = array<i64: 0, 3, 1, 2>}
       : (tensor<1x4x5x3x!quant.uniform<u8:f32, 0.05:128>>)
       -> tensor<1x3x4x5x!quant.uniform<u8:f32, 0.05:128>>
  %2 = qnn.transpose %p {permutation = array<i64: 0, 2, 3, 1>}
       : (tensor<2x3x1x1x!quant.uniform<i8:f32:1, {0.1, 0.2, 0.3}>>)
       -> tensor<2x1x1x3x!quant.uniform<i8:f32:3, {0.1, 0.2, 0.3}>>
  %3 = qnn.transpose %i {permutation = array<i64: 1, 0>}
       : (tensor<2x7xi8>) -> tensor<7x2xi8>
  return
}

// -----

// NCHW -> NHWC -> NCHW is the identity: both transposes fold away.
// CANON-LABEL: func.func @round_trip
// CANON-NEXT:    return %arg0
func.func @round_trip(%x: tensor<1x3x4x5xi8>) -> tensor<1x3x4x5xi8> {
  %0 = qnn.transpose %x {permutation = array<i64: 0, 2, 3, 1>}
       : (tensor<1x3x4x5xi8>) -> tensor<1x4x5x3xi8>
  %1 = qnn.transpose %0 {permutation = array<i64: 0, 3, 1, 2>}
       : (tensor<1x4x5x3xi8>) -> tensor<1x3x4x5xi8>
  return %1 : tensor<1x3x4x5xi8>
}

// -----

// Two transposes compose into one: dimension k of the result is dimension
// inner[outer[k]] of the input, [2, 0, 1] then [0, 2, 1] give [2, 1, 0].
// CANON-LABEL: func.func @compose
// CANON-NEXT:    %[[T:.*]] = qnn.transpose %arg0 {permutation = array<i64: 2, 1, 0>} : (tensor<2x3x4xf32>) -> tensor<4x3x2xf32>
// CANON-NEXT:    return %[[T]]
func.func @compose(%x: tensor<2x3x4xf32>) -> tensor<4x3x2xf32> {
  %0 = qnn.transpose %x {permutation = array<i64: 2, 0, 1>}
       : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
  %1 = qnn.transpose %0 {permutation = array<i64: 0, 2, 1>}
       : (tensor<4x2x3xf32>) -> tensor<4x3x2xf32>
  return %1 : tensor<4x3x2xf32>
}

// -----

// CANON-LABEL: func.func @identity
// CANON-NEXT:    return %arg0
func.func @identity(%x: tensor<2x3x!quant.uniform<i8:f32:1, {0.1, 0.2, 0.3}>>)
    -> tensor<2x3x!quant.uniform<i8:f32:1, {0.1, 0.2, 0.3}>> {
  %0 = qnn.transpose %x {permutation = array<i64: 0, 1>}
       : (tensor<2x3x!quant.uniform<i8:f32:1, {0.1, 0.2, 0.3}>>)
       -> tensor<2x3x!quant.uniform<i8:f32:1, {0.1, 0.2, 0.3}>>
  return %0 : tensor<2x3x!quant.uniform<i8:f32:1, {0.1, 0.2, 0.3}>>
}
