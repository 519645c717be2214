// RUN: qopt-translate --qopt-export-json %s -split-input-file -verify-diagnostics
// RUN: qopt-translate --qopt-export-c-header %s -split-input-file -verify-diagnostics

// What the parameter export rejects, each at the op it cannot export. Both
// translations collect the same parameters, so they fail alike.

func.func @float_level(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = arith.constant dense<1.0> : tensor<2x2xf32>
  // expected-error @below {{'qnn.fully_connected' op is at the float level; the parameter export reads the quantized level (run --qopt-propagate-quant-params first)}}
  %0 = qnn.fully_connected %x, %w : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  return %0 : tensor<1x2xf32>
}

// -----

func.func @range_marker(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  // expected-error @below {{'qnn.range' op is at the float level}}
  %0 = qnn.range %x {min = -1.0 : f64, max = 1.0 : f64} : tensor<1x2xf32>
  return %0 : tensor<1x2xf32>
}

// -----

func.func @integer_level(%x: tensor<4xi8>) -> tensor<4xi8> {
  // expected-error @below {{'qnn.int.clamp' op is at the integer level; the parameter export reads the quantized level, where the scales are still known}}
  %0 = qnn.int.clamp %x {min = 0 : i64, max = 100 : i64} : tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

// Data movement accepts every level; the export still needs scales.
func.func @integer_max_pool(%x: tensor<1x2x2x1xi8>) -> tensor<1x1x1x1xi8> {
  // expected-error @below {{'qnn.max_pool2d' op is at the integer level}}
  %0 = qnn.max_pool2d %x {kernel = array<i64: 2, 2>} : (tensor<1x2x2x1xi8>) -> tensor<1x1x1x1xi8>
  return %0 : tensor<1x1x1x1xi8>
}

// -----

!x = !quant.uniform<i8:f32, 0.5>
!w = !quant.uniform<i8:f32, 0.25>
!y = !quant.uniform<i8:f32, 1.0>
func.func @variable_weights(%x: tensor<1x2x!x>, %w: tensor<2x2x!w>) -> tensor<1x2x!y> {
  // expected-error @below {{'qnn.fully_connected' op has weights that are not a qnn.const; the parameter export needs constant weights}}
  %0 = qnn.fully_connected %x, %w : (tensor<1x2x!x>, tensor<2x2x!w>) -> tensor<1x2x!y>
  return %0 : tensor<1x2x!y>
}

// -----

!x = !quant.uniform<i8:f32, 0.5>
!w = !quant.uniform<i8:f32, 0.25>
!b = !quant.uniform<i32:f32, 0.125>
!y = !quant.uniform<i8:f32, 1.0>
func.func @variable_bias(%x: tensor<1x2x!x>, %b: tensor<2x!b>) -> tensor<1x2x!y> {
  %w = qnn.const dense<1> : tensor<2x2xi8> -> tensor<2x2x!w>
  // expected-error @below {{'qnn.fully_connected' op has a bias that is not a qnn.const; the parameter export needs a constant bias}}
  %0 = qnn.fully_connected %x, %w, %b : (tensor<1x2x!x>, tensor<2x2x!w>, tensor<2x!b>) -> tensor<1x2x!y>
  return %0 : tensor<1x2x!y>
}

// -----

// M = 1000 * 1000 / 1e-4 = 1e10 >= 2^30.
!x = !quant.uniform<i8:f32, 1000.0>
!w = !quant.uniform<i8:f32, 1000.0>
!y = !quant.uniform<i8:f32, 1.0e-04>
func.func @multiplier_too_large(%x: tensor<1x2x!x>) -> tensor<1x2x!y> {
  %w = qnn.const dense<1> : tensor<2x2xi8> -> tensor<2x2x!w>
  // expected-error @below {{'qnn.fully_connected' op has an output multiplier S_input * S_weights / S_output that cannot be encoded as (M0, shift): it must be below 2^30}}
  %0 = qnn.fully_connected %x, %w : (tensor<1x2x!x>, tensor<2x2x!w>) -> tensor<1x2x!y>
  return %0 : tensor<1x2x!y>
}

// -----

// folded = 2147483000 - (-128) * (8 * 127) = 2147613048 > 2^31 - 1.
!x = !quant.uniform<i8:f32, 0.5:-128>
!w = !quant.uniform<i8<-127:127>:f32, 0.25>
!b = !quant.uniform<i32:f32, 0.125>
!y = !quant.uniform<i8:f32, 1.0>
func.func @folded_bias_overflow(%x: tensor<1x8x!x>) -> tensor<1x1x!y> {
  %w = qnn.const dense<127> : tensor<1x8xi8> -> tensor<1x8x!w>
  %b = qnn.const dense<2147483000> : tensor<1xi32> -> tensor<1x!b>
  // expected-error @below {{'qnn.fully_connected' op has a bias that does not fit in int32 once the zero-point terms are folded into it}}
  %0 = qnn.fully_connected %x, %w, %b : (tensor<1x8x!x>, tensor<1x8x!w>, tensor<1x!b>) -> tensor<1x1x!y>
  return %0 : tensor<1x1x!y>
}

// -----

!q = !quant.uniform<i8:f32, 0.5>
func.func @dynamic_shape(%x: tensor<1x2xf32>) -> tensor<?x2x!q> {
  %0 = qnn.quantize %x : (tensor<1x2xf32>) -> tensor<1x2x!q>
  // expected-error @below {{'qnn.reshape' op has a tensor of dynamic shape 'tensor<?x2x!quant.uniform<i8:f32, 5.000000e-01>>'; hardware parameters need static shapes}}
  %1 = qnn.reshape %0 : (tensor<1x2x!q>) -> tensor<?x2x!q>
  return %1 : tensor<?x2x!q>
}

// -----

func.func private @callee(tensor<2xf32>) -> tensor<2xf32>

func.func @call(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @below {{'func.call' op is not supported by the parameter export}}
  %0 = func.call @callee(%x) : (tensor<2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @returns_constant() -> tensor<2xf32> {
  %0 = arith.constant dense<1.0> : tensor<2xf32>
  // expected-error @below {{'func.return' op returns a value that no layer produces}}
  return %0 : tensor<2xf32>
}

// -----

// expected-error @below {{'func.func' op has argument #0 of type 'i32'; the parameter export needs tensors of static shape}}
func.func @scalar_argument(%x: i32) -> i32 {
  return %x : i32
}

// -----

// expected-error @below {{'func.func' op has argument #0 of type 'tensor<?x2xf32>'; the parameter export needs tensors of static shape}}
func.func @dynamic_argument(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  return %x : tensor<?x2xf32>
}

// -----

// Function names start the C identifiers of their layers.
func.func @"net.a"(%x: tensor<2xf32>) -> tensor<2xf32> {
  return %x : tensor<2xf32>
}

// expected-error @below {{'func.func' op is named 'net_a' in C like another function}}
func.func @net_a(%x: tensor<2xf32>) -> tensor<2xf32> {
  return %x : tensor<2xf32>
}

// -----

// In the numerics the module states: qnnpack's addition refuses these scales
// (the export follows --qopt-rewrite-multipliers, with its message).
module attributes {qnn.numerics = "pytorch-qnnpack"} {
  func.func @qnnpack_add_ratio(%a: tensor<4x!quant.uniform<u8:f32, 256.0:3>>, %b: tensor<4x!quant.uniform<u8:f32, 1.0:3>>) -> tensor<4x!quant.uniform<u8:f32, 1.0:3>> {
    // expected-error @below {{has scales that PyTorch qnnpack's addition does not support}}
    %0 = qnn.add %a, %b : (tensor<4x!quant.uniform<u8:f32, 256.0:3>>, tensor<4x!quant.uniform<u8:f32, 1.0:3>>) -> tensor<4x!quant.uniform<u8:f32, 1.0:3>>
    return %0 : tensor<4x!quant.uniform<u8:f32, 1.0:3>>
  }
}

// -----

module attributes {qnn.numerics = "gemmlowp"} {
  // expected-error @below {{unknown numerics 'gemmlowp'; expected tflite, pytorch or pytorch-qnnpack}}
  func.func @unknown_numerics(%x: tensor<2xf32>) -> tensor<2xf32> {
    return %x : tensor<2xf32>
  }
}
