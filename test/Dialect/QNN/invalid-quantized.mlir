// RUN: qopt %s -split-input-file -verify-diagnostics

// Quantization errors at the quantized level: what !quant.uniform itself
// accepts but a quantized network cannot use, level mixing, per-axis
// placement, bias rules, constants and level changes.

func.func @nan_scale(%x: tensor<4xf32>) {
  // expected-error @+1 {{'result' has invalid scale nan; scales must be positive and finite}}
  %0 = qnn.quantize %x : (tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 0x7FF8000000000000:3>>
  return
}

// -----

func.func @zero_point_range(%x: tensor<4x!quant.uniform<i8:f32, 0.5:300>>) -> tensor<4x!quant.uniform<i8:f32, 0.5:300>> {
  // expected-error @+1 {{'input' has zero point 300 outside its storage range [-128, 127]}}
  %0 = qnn.clamp %x {min = 0.0 : f64, max = 1.0 : f64} : tensor<4x!quant.uniform<i8:f32, 0.5:300>>
  return %0 : tensor<4x!quant.uniform<i8:f32, 0.5:300>>
}

// -----

func.func @zero_point_unsigned(%x: tensor<4xf32>) {
  // expected-error @+1 {{'result' has zero point -3 outside its storage range [0, 255]}}
  %0 = qnn.quantize %x : (tensor<4xf32>) -> tensor<4x!quant.uniform<u8:f32, 0.5:-3>>
  return
}

// -----

func.func @zero_point_narrow(%x: tensor<4xf32>) {
  // expected-error @+1 {{'result' has zero point -128 outside its storage range [-127, 127]}}
  %0 = qnn.quantize %x : (tensor<4xf32>) -> tensor<4x!quant.uniform<i8<-127:127>:f32, 0.5:-128>>
  return
}

// -----

func.func @per_axis_zero_point(%x: tensor<2xf32>) {
  // expected-error @+1 {{'result' has zero point 200 outside its storage range [-128, 127]}}
  %0 = qnn.quantize %x : (tensor<2xf32>) -> tensor<2x!quant.uniform<i8:f32:0, {0.5:0, 0.25:200}>>
  return
}

// -----

func.func @unsupported_quantized_type(%x: tensor<4x!quant.any<i8:f32>>) -> tensor<4x!quant.any<i8:f32>> {
  // expected-error @+1 {{'input' has unsupported quantized type '!quant.any<i8:f32>'; expected !quant.uniform per tensor or per axis}}
  %0 = qnn.clamp %x {min = 0.0 : f64, max = 1.0 : f64} : tensor<4x!quant.any<i8:f32>>
  return %0 : tensor<4x!quant.any<i8:f32>>
}

// -----

func.func @axis_beyond_rank(%x: tensor<2x2xf32>) {
  // expected-error @+1 {{'result' is quantized along dimension 2 but has rank 2}}
  %0 = qnn.quantize %x : (tensor<2x2xf32>) -> tensor<2x2x!quant.uniform<i8:f32:2, {0.5, 0.25}>>
  return
}

// -----

func.func @axis_size(%x: tensor<8x3xf32>) {
  // expected-error @+1 {{'result' has 2 scales for dimension 0 of size 8}}
  %0 = qnn.quantize %x : (tensor<8x3xf32>) -> tensor<8x3x!quant.uniform<i8:f32:0, {0.5, 0.25}>>
  return
}

// -----

func.func @mixed_levels(%i: tensor<2x8x!quant.uniform<u8:f32, 0.05:128>>, %w: tensor<4x8xf32>) -> tensor<2x4x!quant.uniform<u8:f32, 0.1:0>> {
  // expected-error @+1 {{mixes levels: 'input' is quantized but 'weights' is float}}
  %0 = qnn.fully_connected %i, %w : (tensor<2x8x!quant.uniform<u8:f32, 0.05:128>>, tensor<4x8xf32>) -> tensor<2x4x!quant.uniform<u8:f32, 0.1:0>>
  return %0 : tensor<2x4x!quant.uniform<u8:f32, 0.1:0>>
}

// -----

func.func @per_axis_activation(%i: tensor<2x8x!quant.uniform<u8:f32:1, {0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1}>>,
                               %w: tensor<4x8x!quant.uniform<i8:f32, 0.5>>) -> tensor<2x4x!quant.uniform<u8:f32, 0.1:0>> {
  // expected-error @+1 {{'input' must be quantized per tensor}}
  %0 = qnn.fully_connected %i, %w : (tensor<2x8x!quant.uniform<u8:f32:1, {0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1}>>, tensor<4x8x!quant.uniform<i8:f32, 0.5>>) -> tensor<2x4x!quant.uniform<u8:f32, 0.1:0>>
  return %0 : tensor<2x4x!quant.uniform<u8:f32, 0.1:0>>
}

// -----

func.func @weights_wrong_axis(%i: tensor<2x2x!quant.uniform<u8:f32, 0.05:128>>, %w: tensor<4x2x!quant.uniform<i8:f32:1, {0.5, 0.25}>>) -> tensor<2x4x!quant.uniform<u8:f32, 0.1:0>> {
  // expected-error @+1 {{'weights' must be quantized per tensor or per output channel (dimension 0), not along dimension 1}}
  %0 = qnn.fully_connected %i, %w : (tensor<2x2x!quant.uniform<u8:f32, 0.05:128>>, tensor<4x2x!quant.uniform<i8:f32:1, {0.5, 0.25}>>) -> tensor<2x4x!quant.uniform<u8:f32, 0.1:0>>
  return %0 : tensor<2x4x!quant.uniform<u8:f32, 0.1:0>>
}

// -----

func.func @depthwise_wrong_axis(%i: tensor<1x4x4x2x!quant.uniform<u8:f32, 0.05:128>>, %f: tensor<1x3x3x2x!quant.uniform<i8:f32:0, {0.5}>>) -> tensor<1x2x2x2x!quant.uniform<u8:f32, 0.1:0>> {
  // expected-error @+1 {{'filter' must be quantized per tensor or per output channel (dimension 3), not along dimension 0}}
  %0 = qnn.depthwise_conv2d %i, %f : (tensor<1x4x4x2x!quant.uniform<u8:f32, 0.05:128>>, tensor<1x3x3x2x!quant.uniform<i8:f32:0, {0.5}>>) -> tensor<1x2x2x2x!quant.uniform<u8:f32, 0.1:0>>
  return %0 : tensor<1x2x2x2x!quant.uniform<u8:f32, 0.1:0>>
}

// -----

func.func @bias_storage(%i: tensor<2x8x!quant.uniform<u8:f32, 0.05:128>>, %w: tensor<4x8x!quant.uniform<i8:f32, 0.5>>,
                        %b: tensor<4x!quant.uniform<i8:f32, 0.025>>) -> tensor<2x4x!quant.uniform<u8:f32, 0.1:0>> {
  // expected-error @+1 {{'bias' must have i32 storage, got 'i8'}}
  %0 = qnn.fully_connected %i, %w, %b : (tensor<2x8x!quant.uniform<u8:f32, 0.05:128>>, tensor<4x8x!quant.uniform<i8:f32, 0.5>>, tensor<4x!quant.uniform<i8:f32, 0.025>>) -> tensor<2x4x!quant.uniform<u8:f32, 0.1:0>>
  return %0 : tensor<2x4x!quant.uniform<u8:f32, 0.1:0>>
}

// -----

func.func @bias_zero_point(%i: tensor<2x8x!quant.uniform<u8:f32, 0.05:128>>, %w: tensor<4x8x!quant.uniform<i8:f32, 0.5>>,
                           %b: tensor<4x!quant.uniform<i32:f32, 0.025:7>>) -> tensor<2x4x!quant.uniform<u8:f32, 0.1:0>> {
  // expected-error @+1 {{'bias' must have zero point 0}}
  %0 = qnn.fully_connected %i, %w, %b : (tensor<2x8x!quant.uniform<u8:f32, 0.05:128>>, tensor<4x8x!quant.uniform<i8:f32, 0.5>>, tensor<4x!quant.uniform<i32:f32, 0.025:7>>) -> tensor<2x4x!quant.uniform<u8:f32, 0.1:0>>
  return %0 : tensor<2x4x!quant.uniform<u8:f32, 0.1:0>>
}

// -----

func.func @bias_scale(%i: tensor<2x8x!quant.uniform<u8:f32, 0.05:128>>, %w: tensor<4x8x!quant.uniform<i8:f32, 0.5>>,
                      %b: tensor<4x!quant.uniform<i32:f32, 0.05>>) -> tensor<2x4x!quant.uniform<u8:f32, 0.1:0>> {
  // expected-error @+1 {{'bias' scale 5.000000e-02 of channel 0 is not input scale * weight scale = 2.500000e-02}}
  %0 = qnn.fully_connected %i, %w, %b : (tensor<2x8x!quant.uniform<u8:f32, 0.05:128>>, tensor<4x8x!quant.uniform<i8:f32, 0.5>>, tensor<4x!quant.uniform<i32:f32, 0.05>>) -> tensor<2x4x!quant.uniform<u8:f32, 0.1:0>>
  return %0 : tensor<2x4x!quant.uniform<u8:f32, 0.1:0>>
}

// -----

func.func @bias_scale_per_channel(%i: tensor<1x4x4x3x!quant.uniform<u8:f32, 0.05:128>>, %f: tensor<2x3x3x3x!quant.uniform<i8:f32:0, {0.02, 0.04}>>,
                                  %b: tensor<2x!quant.uniform<i32:f32, 0.001>>) -> tensor<1x2x2x2x!quant.uniform<u8:f32, 0.1:0>> {
  // expected-error @+1 {{'bias' scale 1.000000e-03 of channel 1 is not input scale * weight scale = 2.000000e-03}}
  %0 = qnn.conv2d %i, %f, %b : (tensor<1x4x4x3x!quant.uniform<u8:f32, 0.05:128>>, tensor<2x3x3x3x!quant.uniform<i8:f32:0, {0.02, 0.04}>>, tensor<2x!quant.uniform<i32:f32, 0.001>>) -> tensor<1x2x2x2x!quant.uniform<u8:f32, 0.1:0>>
  return %0 : tensor<1x2x2x2x!quant.uniform<u8:f32, 0.1:0>>
}

// -----

func.func @add_per_axis(%a: tensor<2x!quant.uniform<u8:f32:0, {0.1, 0.2}>>, %b: tensor<2x!quant.uniform<u8:f32, 0.05:128>>) -> tensor<2x!quant.uniform<u8:f32, 0.05:128>> {
  // expected-error @+1 {{'lhs' must be quantized per tensor}}
  %0 = qnn.add %a, %b : (tensor<2x!quant.uniform<u8:f32:0, {0.1, 0.2}>>, tensor<2x!quant.uniform<u8:f32, 0.05:128>>) -> tensor<2x!quant.uniform<u8:f32, 0.05:128>>
  return %0 : tensor<2x!quant.uniform<u8:f32, 0.05:128>>
}

// -----

func.func @clamp_per_axis(%a: tensor<2x!quant.uniform<u8:f32:0, {0.1, 0.2}>>) -> tensor<2x!quant.uniform<u8:f32:0, {0.1, 0.2}>> {
  // expected-error @+1 {{'input' must be quantized per tensor}}
  %0 = qnn.clamp %a {min = 0.0 : f64, max = 1.0 : f64} : tensor<2x!quant.uniform<u8:f32:0, {0.1, 0.2}>>
  return %0 : tensor<2x!quant.uniform<u8:f32:0, {0.1, 0.2}>>
}

// -----

func.func @avg_pool_levels(%x: tensor<1x4x4x2x!quant.uniform<u8:f32, 0.05:128>>) -> tensor<1x2x2x2xf32> {
  // expected-error @+1 {{mixes levels: 'input' is quantized but 'result' is float}}
  %0 = qnn.avg_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x4x4x2x!quant.uniform<u8:f32, 0.05:128>>) -> tensor<1x2x2x2xf32>
  return %0 : tensor<1x2x2x2xf32>
}

// -----

func.func @max_pool_changes_scale(%x: tensor<1x4x4x2x!quant.uniform<u8:f32, 0.05:128>>) -> tensor<1x2x2x2x!quant.uniform<u8:f32, 0.1:0>> {
  // expected-error @+1 {{'result' has element type '!quant.uniform<u8:f32, 1.000000e-01>' but 'input' has '!quant.uniform<u8:f32, 5.000000e-02:128>'}}
  %0 = qnn.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x4x4x2x!quant.uniform<u8:f32, 0.05:128>>) -> tensor<1x2x2x2x!quant.uniform<u8:f32, 0.1:0>>
  return %0 : tensor<1x2x2x2x!quant.uniform<u8:f32, 0.1:0>>
}

// -----

func.func @concat_scales(%a: tensor<1x4x!quant.uniform<u8:f32, 0.05:128>>, %b: tensor<1x4x!quant.uniform<u8:f32, 0.1:0>>) -> tensor<1x8x!quant.uniform<u8:f32, 0.05:128>> {
  // expected-error @+1 {{'input #1' has element type '!quant.uniform<u8:f32, 1.000000e-01>' but 'result' has '!quant.uniform<u8:f32, 5.000000e-02:128>'}}
  %0 = qnn.concat %a, %b {axis = 1 : i64} : (tensor<1x4x!quant.uniform<u8:f32, 0.05:128>>, tensor<1x4x!quant.uniform<u8:f32, 0.1:0>>) -> tensor<1x8x!quant.uniform<u8:f32, 0.05:128>>
  return %0 : tensor<1x8x!quant.uniform<u8:f32, 0.05:128>>
}

// -----

func.func @pad_unrepresentable(%x: tensor<2x!quant.uniform<u8:f32, 0.05:128>>) -> tensor<4x!quant.uniform<u8:f32, 0.05:128>> {
  // expected-error @+1 {{pad value 1.000000e+01 quantizes to 3.280000e+02, outside the storage range [0, 255]}}
  %0 = qnn.pad %x {padding = array<i64: 1, 1>, value = 10.0 : f64} : (tensor<2x!quant.uniform<u8:f32, 0.05:128>>) -> tensor<4x!quant.uniform<u8:f32, 0.05:128>>
  return %0 : tensor<4x!quant.uniform<u8:f32, 0.05:128>>
}

// -----

func.func @const_storage_width() -> tensor<2x!quant.uniform<u8:f32, 0.05:128>> {
  // expected-error @+1 {{'value' must hold 8-bit integer storage values, got 'tensor<2xi32>'}}
  %0 = qnn.const dense<[1, 2]> : tensor<2xi32> -> tensor<2x!quant.uniform<u8:f32, 0.05:128>>
  return %0 : tensor<2x!quant.uniform<u8:f32, 0.05:128>>
}

// -----

func.func @const_float_value() -> tensor<2x!quant.uniform<u8:f32, 0.05:128>> {
  // expected-error @+1 {{'value' must hold 8-bit integer storage values, got 'tensor<2xf32>'}}
  %0 = qnn.const dense<[1.0, 2.0]> : tensor<2xf32> -> tensor<2x!quant.uniform<u8:f32, 0.05:128>>
  return %0 : tensor<2x!quant.uniform<u8:f32, 0.05:128>>
}

// -----

func.func @const_shape() -> tensor<2x!quant.uniform<u8:f32, 0.05:128>> {
  // expected-error @+1 {{'value' has shape [3] but [2] is expected}}
  %0 = qnn.const dense<[1, 2, 3]> : tensor<3xi8> -> tensor<2x!quant.uniform<u8:f32, 0.05:128>>
  return %0 : tensor<2x!quant.uniform<u8:f32, 0.05:128>>
}

// -----

func.func @const_narrow_range() -> tensor<2x!quant.uniform<i8<-127:127>:f32, 0.5>> {
  // expected-error @+1 {{storage value -128 is outside the storage range [-127, 127]}}
  %0 = qnn.const dense<[-128, 2]> : tensor<2xi8> -> tensor<2x!quant.uniform<i8<-127:127>:f32, 0.5>>
  return %0 : tensor<2x!quant.uniform<i8<-127:127>:f32, 0.5>>
}

// -----

func.func @const_resource() -> tensor<2x!quant.uniform<i8:f32, 0.5>> {
  // expected-error @+1 {{'value' cannot be read as integers}}
  %0 = qnn.const dense_resource<blob> : tensor<2xi8> -> tensor<2x!quant.uniform<i8:f32, 0.5>>
  return %0 : tensor<2x!quant.uniform<i8:f32, 0.5>>
}

{-#
  dialect_resources: {
    builtin: {
      blob: "0x010000000102"
    }
  }
#-}

// -----

func.func @quantize_expressed_type(%x: tensor<4xf16>) {
  // expected-error @+1 {{'input' has element type 'f16' but 'result' expresses 'f32'}}
  %0 = qnn.quantize %x : (tensor<4xf16>) -> tensor<4x!quant.uniform<u8:f32, 0.05:128>>
  return
}

// -----

func.func @dequantize_shape(%x: tensor<4x!quant.uniform<u8:f32, 0.05:128>>) {
  // expected-error @+1 {{'result' has shape [2, 2] but [4] is expected}}
  %0 = qnn.dequantize %x : (tensor<4x!quant.uniform<u8:f32, 0.05:128>>) -> tensor<2x2xf32>
  return
}

// -----

func.func @requantize_per_axis(%x: tensor<2x!quant.uniform<u8:f32, 0.05:128>>) {
  // expected-error @+1 {{'result' must be quantized per tensor}}
  %0 = qnn.requantize %x : (tensor<2x!quant.uniform<u8:f32, 0.05:128>>) -> tensor<2x!quant.uniform<u8:f32:0, {0.1, 0.2}>>
  return
}

// -----

func.func @requantize_shape(%x: tensor<2x!quant.uniform<u8:f32, 0.05:128>>) {
  // expected-error @+1 {{'result' has shape [3] but [2] is expected}}
  %0 = qnn.requantize %x : (tensor<2x!quant.uniform<u8:f32, 0.05:128>>) -> tensor<3x!quant.uniform<u8:f32, 0.1:0>>
  return
}

// -----

func.func @quantize_to_integer(%x: tensor<4xf32>) {
  // expected-error @+1 {{result #0 must be ranked tensor of quantized type values}}
  %0 = qnn.quantize %x : (tensor<4xf32>) -> tensor<4xi8>
  return
}
