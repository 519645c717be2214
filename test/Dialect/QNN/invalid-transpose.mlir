// RUN: qopt %s -split-input-file -verify-diagnostics

// qnn.transpose: a permutation of the input's dimensions, the result shape
// it gives, and the input's element type (a per-axis axis permuted too).

func.func @rank(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'permutation' has 3 entries but 'input' has rank 2}}
  %0 = qnn.transpose %x {permutation = array<i64: 0, 1, 2>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @repeated(%x: tensor<2x3x4xf32>) {
  // expected-error @+1 {{'permutation' [0, 2, 2] is not a permutation of [0, 3)}}
  %0 = qnn.transpose %x {permutation = array<i64: 0, 2, 2>} : (tensor<2x3x4xf32>) -> tensor<2x4x4xf32>
  return
}

// -----

func.func @out_of_range(%x: tensor<2x3xi8>) {
  // expected-error @+1 {{'permutation' [-1, 0] is not a permutation of [0, 2)}}
  %0 = qnn.transpose %x {permutation = array<i64: -1, 0>} : (tensor<2x3xi8>) -> tensor<3x2xi8>
  return
}

// -----

func.func @shape(%x: tensor<1x3x4x5xf32>) {
  // expected-error @+1 {{'result' has shape [1, 5, 4, 3] but [1, 4, 5, 3] is expected}}
  %0 = qnn.transpose %x {permutation = array<i64: 0, 2, 3, 1>} : (tensor<1x3x4x5xf32>) -> tensor<1x5x4x3xf32>
  return
}

// -----

func.func @element_type(%x: tensor<2x3xi8>) {
  // expected-error @+1 {{'result' has element type 'ui8' but transposing 'i8' gives 'i8'}}
  %0 = qnn.transpose %x {permutation = array<i64: 1, 0>} : (tensor<2x3xi8>) -> tensor<3x2xui8>
  return
}

// -----

func.func @parameters(%x: tensor<2x3x!quant.uniform<u8:f32, 0.05:128>>) {
  // expected-error @+1 {{'result' has element type '!quant.uniform<u8:f32, 1.000000e-01:128>' but transposing '!quant.uniform<u8:f32, 5.000000e-02:128>' gives '!quant.uniform<u8:f32, 5.000000e-02:128>'}}
  %0 = qnn.transpose %x {permutation = array<i64: 1, 0>} : (tensor<2x3x!quant.uniform<u8:f32, 0.05:128>>) -> tensor<3x2x!quant.uniform<u8:f32, 0.1:128>>
  return
}

// -----

// The per-axis type keeps its axis 1 instead of following it to axis 0.
func.func @axis_not_permuted(%x: tensor<2x3x!quant.uniform<i8:f32:1, {0.1, 0.2, 0.3}>>) {
  // expected-error @+1 {{'result' has element type '!quant.uniform<i8:f32:1, {1.000000e-01,2.000000e-01,3.000000e-01}>' but transposing '!quant.uniform<i8:f32:1, {1.000000e-01,2.000000e-01,3.000000e-01}>' gives '!quant.uniform<i8:f32:0, {1.000000e-01,2.000000e-01,3.000000e-01}>'}}
  %0 = qnn.transpose %x {permutation = array<i64: 1, 0>} : (tensor<2x3x!quant.uniform<i8:f32:1, {0.1, 0.2, 0.3}>>) -> tensor<3x2x!quant.uniform<i8:f32:1, {0.1, 0.2, 0.3}>>
  return
}
