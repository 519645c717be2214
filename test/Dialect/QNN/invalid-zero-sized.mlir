// RUN: qopt %s -split-input-file -verify-diagnostics

// No qnn op takes or gives a tensor with a dimension of size 0, at any
// level: the verifier refuses it for every tool alike (the depthwise
// verifier, --qopt-expand-zero-points and the layer kernels' tiling divided
// by these sizes).

// A depthwise convolution with no input channels (its channel multiplier
// would be 8 / 0).
func.func @depthwise_no_input_channels(%i: tensor<1x8x8x0xf32>, %f: tensor<1x3x3x8xf32>, %b: tensor<8xf32>) -> tensor<1x8x8x8xf32> {
  // expected-error @+1 {{'qnn.depthwise_conv2d' op operand #0 has shape [1, 8, 8, 0]: qnn ops take no tensor with a dimension of size 0}}
  %0 = qnn.depthwise_conv2d %i, %f, %b {padding = array<i64: 1, 1, 1, 1>}
     : (tensor<1x8x8x0xf32>, tensor<1x3x3x8xf32>, tensor<8xf32>) -> tensor<1x8x8x8xf32>
  return %0 : tensor<1x8x8x8xf32>
}

// -----

func.func @depthwise_int_no_channels(%i: tensor<1x8x8x0xui8>, %f: tensor<1x3x3x0xui8>) -> tensor<1x3x3x0xi32> {
  // expected-error @+1 {{'qnn.int.depthwise_conv2d' op operand #0 has shape [1, 8, 8, 0]}}
  %0 = qnn.int.depthwise_conv2d %i, %f {strides = array<i64: 2, 2>}
       : (tensor<1x8x8x0xui8>, tensor<1x3x3x0xui8>) -> tensor<1x3x3x0xi32>
  return %0 : tensor<1x3x3x0xi32>
}

// -----

// Constant weights of 0 output channels: the constant itself is no qnn op,
// the layer taking it is.
func.func @fc_no_output_channels(%x: tensor<2x6xui8>) -> tensor<2x0xi32> {
  %w = arith.constant dense<3> : tensor<0x6xi8>
  // expected-error @+1 {{'qnn.int.fully_connected' op operand #1 has shape [0, 6]: qnn ops take no tensor with a dimension of size 0}}
  %0 = qnn.int.fully_connected %x, %w {input_zp = 3 : i64, weights_zp = array<i64: 1>}
       : (tensor<2x6xui8>, tensor<0x6xi8>) -> tensor<2x0xi32>
  return %0 : tensor<2x0xi32>
}

// -----

// An empty batch.
func.func @fc_batch_0(%x: tensor<0x6xui8>, %w: tensor<18x6xi8>) -> tensor<0x18xi32> {
  // expected-error @+1 {{'qnn.int.fully_connected' op operand #0 has shape [0, 6]}}
  %0 = qnn.int.fully_connected %x, %w : (tensor<0x6xui8>, tensor<18x6xi8>) -> tensor<0x18xi32>
  return %0 : tensor<0x18xi32>
}

// -----

func.func @conv_batch_0(%x: tensor<0x4x4x2xi8>, %f: tensor<2x3x3x2xi8>) -> tensor<0x2x2x2xi32> {
  // expected-error @+1 {{'qnn.int.conv2d' op operand #0 has shape [0, 4, 4, 2]}}
  %0 = qnn.int.conv2d %x, %f : (tensor<0x4x4x2xi8>, tensor<2x3x3x2xi8>) -> tensor<0x2x2x2xi32>
  return %0 : tensor<0x2x2x2xi32>
}

// -----

// Elementwise and data-movement ops too, at every level.
func.func @reshape_result(%x: tensor<4xi32>) -> tensor<0xi8> {
  // expected-error @+1 {{'qnn.reshape' op result #0 has shape [0]}}
  %0 = qnn.reshape %x : (tensor<4xi32>) -> tensor<0xi8>
  return %0 : tensor<0xi8>
}

// -----

!q = !quant.uniform<i8:f32, 0.5>
func.func @quantized(%x: tensor<0x3xf32>) -> tensor<0x3x!q> {
  // expected-error @+1 {{'qnn.quantize' op operand #0 has shape [0, 3]}}
  %0 = qnn.quantize %x : (tensor<0x3xf32>) -> tensor<0x3x!q>
  return %0 : tensor<0x3x!q>
}

// -----

// A dynamic dimension is not known to be 0.
func.func @dynamic(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %0 = qnn.range %x {min = -1.0 : f64, max = 1.0 : f64} : tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}
