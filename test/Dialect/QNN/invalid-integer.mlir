// RUN: qopt %s -split-input-file -verify-diagnostics

// Errors specific to the integer level: zero points, multipliers, shifts,
// clamps and rounding modes given as attributes, and the int32 overflows
// the verifiers can rule out from types alone.

func.func @input_zp_range(%i: tensor<1x4x4x2xi8>, %f: tensor<2x3x3x2xi8>) -> tensor<1x2x2x2xi32> {
  // expected-error @+1 {{'input_zp' (300) is outside the range [-128, 127] of 'i8'}}
  %0 = qnn.int.conv2d %i, %f {input_zp = 300 : i64} : (tensor<1x4x4x2xi8>, tensor<2x3x3x2xi8>) -> tensor<1x2x2x2xi32>
  return %0 : tensor<1x2x2x2xi32>
}

// -----

// The integer convolution has the groups of qnn.conv2d, checked alike.
func.func @int_conv_groups(%i: tensor<1x4x4x4xi8>, %f: tensor<2x3x3x4xi8>) -> tensor<1x2x2x2xi32> {
  // expected-error @+1 {{filter input channels (4) do not match the input channels (4 in 2 groups of 2)}}
  %0 = qnn.int.conv2d %i, %f {groups = 2 : i64} : (tensor<1x4x4x4xi8>, tensor<2x3x3x4xi8>) -> tensor<1x2x2x2xi32>
  return %0 : tensor<1x2x2x2xi32>
}

// -----

func.func @filter_zp_count(%i: tensor<1x4x4x2xi8>, %f: tensor<2x3x3x2xi8>) -> tensor<1x2x2x2xi32> {
  // expected-error @+1 {{'filter_zp' must have 1 or 2 entries, got 3}}
  %0 = qnn.int.conv2d %i, %f {filter_zp = array<i64: 0, 0, 0>} : (tensor<1x4x4x2xi8>, tensor<2x3x3x2xi8>) -> tensor<1x2x2x2xi32>
  return %0 : tensor<1x2x2x2xi32>
}

// -----

func.func @filter_zp_range(%i: tensor<1x4x4x2xui8>, %f: tensor<1x3x3x2xui8>) -> tensor<1x2x2x2xi32> {
  // expected-error @+1 {{'filter_zp' (-1) is outside the range [0, 255] of 'ui8'}}
  %0 = qnn.int.depthwise_conv2d %i, %f {filter_zp = array<i64: 0, -1>} : (tensor<1x4x4x2xui8>, tensor<1x3x3x2xui8>) -> tensor<1x2x2x2xi32>
  return %0 : tensor<1x2x2x2xi32>
}

// -----

func.func @conv_geometry(%i: tensor<1x4x4x2xi8>, %f: tensor<2x3x3x2xi8>) -> tensor<1x4x4x2xi32> {
  // expected-error @+1 {{'result' has shape [1, 4, 4, 2] but [1, 2, 2, 2] is expected}}
  %0 = qnn.int.conv2d %i, %f : (tensor<1x4x4x2xi8>, tensor<2x3x3x2xi8>) -> tensor<1x4x4x2xi32>
  return %0 : tensor<1x4x4x2xi32>
}

// -----

func.func @conv_bias_type(%i: tensor<1x4x4x2xi8>, %f: tensor<2x3x3x2xi8>, %b: tensor<2xi8>) -> tensor<1x2x2x2xi32> {
  // expected-error @+1 {{operand #2 must be ranked tensor of 32-bit signless integer values, but got 'tensor<2xi8>'}}
  %0 = qnn.int.conv2d %i, %f, %b : (tensor<1x4x4x2xi8>, tensor<2x3x3x2xi8>, tensor<2xi8>) -> tensor<1x2x2x2xi32>
  return %0 : tensor<1x2x2x2xi32>
}

// -----

func.func @conv_result_type(%i: tensor<1x4x4x2xi8>, %f: tensor<2x3x3x2xi8>) -> tensor<1x2x2x2xi8> {
  // expected-error @+1 {{result #0 must be ranked tensor of 32-bit signless integer values}}
  %0 = qnn.int.conv2d %i, %f : (tensor<1x4x4x2xi8>, tensor<2x3x3x2xi8>) -> tensor<1x2x2x2xi8>
  return %0 : tensor<1x2x2x2xi8>
}

// -----

func.func @fc_weights_zp(%i: tensor<2x8xui8>, %w: tensor<4x8xi8>) -> tensor<2x4xi32> {
  // expected-error @+1 {{'weights_zp' must have 1 or 4 entries, got 2}}
  %0 = qnn.int.fully_connected %i, %w {weights_zp = array<i64: 0, 0>} : (tensor<2x8xui8>, tensor<4x8xi8>) -> tensor<2x4xi32>
  return %0 : tensor<2x4xi32>
}

// -----

func.func @fc_bias_length(%i: tensor<2x8xui8>, %w: tensor<4x8xi8>, %b: tensor<3xi32>) -> tensor<2x4xi32> {
  // expected-error @+1 {{'bias' has shape [3] but [4] is expected}}
  %0 = qnn.int.fully_connected %i, %w, %b : (tensor<2x8xui8>, tensor<4x8xi8>, tensor<3xi32>) -> tensor<2x4xi32>
  return %0 : tensor<2x4xi32>
}

// -----

func.func @rescale_accumulator_zp(%acc: tensor<4xi32>) -> tensor<4xi8> {
  // expected-error @+1 {{'input_zp' must be 0 for an i32 input, got 3}}
  %0 = qnn.int.rescale %acc {input_zp = 3 : i64, multiplier = array<i32: 1073741824>, shift = array<i32: -1>} : (tensor<4xi32>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @rescale_output_zp(%acc: tensor<4xi32>) -> tensor<4xui8> {
  // expected-error @+1 {{'output_zp' (-1) is outside the range [0, 255] of 'ui8'}}
  %0 = qnn.int.rescale %acc {output_zp = -1 : i64, multiplier = array<i32: 1073741824>, shift = array<i32: -1>} : (tensor<4xi32>) -> tensor<4xui8>
  return %0 : tensor<4xui8>
}

// -----

func.func @rescale_input_zp(%x: tensor<4xi8>) -> tensor<4xui8> {
  // expected-error @+1 {{'input_zp' (128) is outside the range [-128, 127] of 'i8'}}
  %0 = qnn.int.rescale %x {input_zp = 128 : i64, multiplier = array<i32: 1073741824>, shift = array<i32: -1>} : (tensor<4xi8>) -> tensor<4xui8>
  return %0 : tensor<4xui8>
}

// -----

func.func @rescale_lengths(%acc: tensor<4xi32>) -> tensor<4xi8> {
  // expected-error @+1 {{'multiplier' has 2 entries but 'shift' has 1}}
  %0 = qnn.int.rescale %acc {multiplier = array<i32: 1073741824, 1073741824>, shift = array<i32: -1>} : (tensor<4xi32>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @rescale_empty(%acc: tensor<4xi32>) -> tensor<4xi8> {
  // expected-error @+1 {{'multiplier' must not be empty}}
  %0 = qnn.int.rescale %acc {multiplier = array<i32>, shift = array<i32>} : (tensor<4xi32>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @rescale_channels(%acc: tensor<2x4xi32>) -> tensor<2x4xi8> {
  // expected-error @+1 {{per-channel 'multiplier' has 2 entries but the innermost dimension has size 4}}
  %0 = qnn.int.rescale %acc {multiplier = array<i32: 1073741824, 1073741824>, shift = array<i32: -1, -1>} : (tensor<2x4xi32>) -> tensor<2x4xi8>
  return %0 : tensor<2x4xi8>
}

// -----

func.func @rescale_negative_multiplier(%acc: tensor<4xi32>) -> tensor<4xi8> {
  // expected-error @+1 {{'multiplier' (-5) is outside [0, 2147483647]}}
  %0 = qnn.int.rescale %acc {multiplier = array<i32: -5>, shift = array<i32: -1>} : (tensor<4xi32>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @rescale_shift_left(%acc: tensor<4xi32>) -> tensor<4xi8> {
  // expected-error @+1 {{'shift' (31) is outside [-31, 30]}}
  %0 = qnn.int.rescale %acc {multiplier = array<i32: 1073741824>, shift = array<i32: 31>} : (tensor<4xi32>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @rescale_shift_right(%acc: tensor<4xi32>) -> tensor<4xi8> {
  // expected-error @+1 {{'shift' (-32) is outside [-31, 30]}}
  %0 = qnn.int.rescale %acc {multiplier = array<i32: 1073741824>, shift = array<i32: -32>} : (tensor<4xi32>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @rescale_clamp_range(%acc: tensor<4xi32>) -> tensor<4xi8> {
  // expected-error @+1 {{'clamp_max' (255) is outside the range [-128, 127] of 'i8'}}
  %0 = qnn.int.rescale %acc {multiplier = array<i32: 1073741824>, shift = array<i32: -1>, clamp_max = 255 : i64} : (tensor<4xi32>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @rescale_clamp_order(%acc: tensor<4xi32>) -> tensor<4xi8> {
  // expected-error @+1 {{'clamp_min' (5) is greater than 'clamp_max' (2)}}
  %0 = qnn.int.rescale %acc {multiplier = array<i32: 1073741824>, shift = array<i32: -1>, clamp_min = 5 : i64, clamp_max = 2 : i64} : (tensor<4xi32>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @rescale_shape(%acc: tensor<4xi32>) -> tensor<2x2xi8> {
  // expected-error @+1 {{'result' has shape [2, 2] but [4] is expected}}
  %0 = qnn.int.rescale %acc {multiplier = array<i32: 1073741824>, shift = array<i32: -1>} : (tensor<4xi32>) -> tensor<2x2xi8>
  return %0 : tensor<2x2xi8>
}

// -----

func.func @rescale_unknown_rounding(%acc: tensor<4xi32>) -> tensor<4xi8> {
  // expected-error @+2 {{expected ::mlir::qnn::RoundingMode to be one of: double_round, single_round}}
  // expected-error @+1 {{failed to parse QNN_RoundingModeAttr parameter 'value' which is to be a `::mlir::qnn::RoundingMode`}}
  %0 = qnn.int.rescale %acc {multiplier = array<i32: 1073741824>, shift = array<i32: -1>, rounding = #qnn.rounding<nearest_even>} : (tensor<4xi32>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @weighted_add_multiplier(%a: tensor<4xui8>, %b: tensor<4xui8>) -> tensor<4xui8> {
  // expected-error @+1 {{'rhs_multiplier' (-1) must be nonnegative}}
  %0 = qnn.int.weighted_add %a, %b {lhs_multiplier = 2097152 : i32, rhs_multiplier = -1 : i32, right_shift = 22 : i32} : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  return %0 : tensor<4xui8>
}

// -----

func.func @weighted_add_right_shift(%a: tensor<4xui8>, %b: tensor<4xui8>) -> tensor<4xui8> {
  // expected-error @+1 {{'right_shift' (32) must be in [0, 31]}}
  %0 = qnn.int.weighted_add %a, %b {lhs_multiplier = 2097152 : i32, rhs_multiplier = 1 : i32, right_shift = 32 : i32} : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  return %0 : tensor<4xui8>
}

// -----

// 16-bit values weighted as qnnpack weighs 8-bit ones: -32768 * 2^22 - 32768.
func.func @weighted_add_sum_overflow(%a: tensor<4xi16>, %b: tensor<4xi16>) -> tensor<4xi16> {
  // expected-error @+1 {{the weighted sum of the inputs minus their zero points reaches -137438986240 and overflows int32}}
  %0 = qnn.int.weighted_add %a, %b {lhs_multiplier = 4194304 : i32, rhs_multiplier = 1 : i32, right_shift = 22 : i32} : (tensor<4xi16>, tensor<4xi16>) -> tensor<4xi16>
  return %0 : tensor<4xi16>
}

// -----

// The sum reaches 65535 * 32768 + 1 = 2147450881, inside int32, and the
// output zero point takes it to 2^31.
func.func @weighted_add_zero_point_overflow(%a: tensor<4xi16>, %b: tensor<4xi16>) -> tensor<4xi16> {
  // expected-error @+1 {{the rounded weighted sum plus 'output_zp' reaches 2147483648 and overflows int32}}
  %0 = qnn.int.weighted_add %a, %b {lhs_zp = -32768 : i64, rhs_zp = 32766 : i64, output_zp = 32767 : i64, lhs_multiplier = 32768 : i32, rhs_multiplier = 1 : i32, right_shift = 0 : i32} : (tensor<4xi16>, tensor<4xi16>) -> tensor<4xi16>
  return %0 : tensor<4xi16>
}

// -----

func.func @add_element_types(%a: tensor<4xi8>, %b: tensor<4xui8>) -> tensor<4xi8> {
  // expected-error @+1 {{'rhs' has element type 'ui8' but 'lhs' has 'i8'}}
  %0 = qnn.int.add %a, %b {lhs_multiplier = 1073741824 : i32, lhs_shift = 0 : i32, rhs_multiplier = 1073741824 : i32, rhs_shift = 0 : i32, output_multiplier = 1073741824 : i32, output_shift = -20 : i32} : (tensor<4xi8>, tensor<4xui8>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @add_zero_point(%a: tensor<4xi8>, %b: tensor<4xi8>) -> tensor<4xi8> {
  // expected-error @+1 {{'rhs_zp' (-129) is outside the range [-128, 127] of 'i8'}}
  %0 = qnn.int.add %a, %b {rhs_zp = -129 : i64, lhs_multiplier = 1073741824 : i32, lhs_shift = 0 : i32, rhs_multiplier = 1073741824 : i32, rhs_shift = 0 : i32, output_multiplier = 1073741824 : i32, output_shift = -20 : i32} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @add_left_shift_range(%a: tensor<4xi8>, %b: tensor<4xi8>) -> tensor<4xi8> {
  // expected-error @+1 {{'left_shift' (31) must be in [0, 30]}}
  %0 = qnn.int.add %a, %b {left_shift = 31 : i64, lhs_multiplier = 1073741824 : i32, lhs_shift = 0 : i32, rhs_multiplier = 1073741824 : i32, rhs_shift = 0 : i32, output_multiplier = 1073741824 : i32, output_shift = -20 : i32} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

// With zero point -128, an i8 input minus its zero point reaches 255, and
// 255 * 2^23 > 2^30.
func.func @add_left_shift_overflow(%a: tensor<4xi8>, %b: tensor<4xi8>) -> tensor<4xi8> {
  // expected-error @+1 {{'left_shift' (23) overflows int32: an input minus its zero point reaches 255, and the sum of two such inputs shifted left must stay within 2^31}}
  %0 = qnn.int.add %a, %b {lhs_zp = -128 : i64, left_shift = 23 : i64, lhs_multiplier = 1073741824 : i32, lhs_shift = 0 : i32, rhs_multiplier = 1073741824 : i32, rhs_shift = 0 : i32, output_multiplier = 1073741824 : i32, output_shift = -20 : i32} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

// TensorFlow Lite's input multipliers are below 1.
func.func @add_input_multiplier_above_one(%a: tensor<4xi8>, %b: tensor<4xi8>) -> tensor<4xi8> {
  // expected-error @+1 {{'rhs_shift' (1) must be <= 0: input multipliers are below 1}}
  %0 = qnn.int.add %a, %b {lhs_multiplier = 1073741824 : i32, lhs_shift = 0 : i32, rhs_multiplier = 1073741824 : i32, rhs_shift = 1 : i32, output_multiplier = 1073741824 : i32, output_shift = -20 : i32} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @add_multiplier(%a: tensor<4xi8>, %b: tensor<4xi8>) -> tensor<4xi8> {
  // expected-error @+1 {{'rhs_shift' (-40) is outside [-31, 30]}}
  %0 = qnn.int.add %a, %b {lhs_multiplier = 1073741824 : i32, lhs_shift = 0 : i32, rhs_multiplier = 1073741824 : i32, rhs_shift = -40 : i32, output_multiplier = 1073741824 : i32, output_shift = -20 : i32} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @add_output_multiplier(%a: tensor<4xi8>, %b: tensor<4xi8>) -> tensor<4xi8> {
  // expected-error @+1 {{'output_multiplier' (-1) is outside [0, 2147483647]}}
  %0 = qnn.int.add %a, %b {lhs_multiplier = 1073741824 : i32, lhs_shift = 0 : i32, rhs_multiplier = 1073741824 : i32, rhs_shift = 0 : i32, output_multiplier = -1 : i32, output_shift = -20 : i32} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @add_clamp(%a: tensor<4xi8>, %b: tensor<4xi8>) -> tensor<4xi8> {
  // expected-error @+1 {{'clamp_min' (-129) is outside the range [-128, 127] of 'i8'}}
  %0 = qnn.int.add %a, %b {lhs_multiplier = 1073741824 : i32, lhs_shift = 0 : i32, rhs_multiplier = 1073741824 : i32, rhs_shift = 0 : i32, output_multiplier = 1073741824 : i32, output_shift = -20 : i32, clamp_min = -129 : i64} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

// |q - zp| reaches 32768 + 20000 for i16 with zero point 20000; the product
// of two such values exceeds 2^31 - 1 (with zero points 0 it is 2^30).
func.func @mul_overflow(%a: tensor<4xi16>, %b: tensor<4xi16>) -> tensor<4xi16> {
  // expected-error @+1 {{the product of the zero-point-adjusted operands reaches 2784461824 and overflows int32}}
  %0 = qnn.int.mul %a, %b {lhs_zp = 20000 : i64, rhs_zp = 20000 : i64, multiplier = 1073741824 : i32, shift = -15 : i32} : (tensor<4xi16>, tensor<4xi16>) -> tensor<4xi16>
  return %0 : tensor<4xi16>
}

// -----

func.func @mul_multiplier(%a: tensor<4xi8>, %b: tensor<4xi8>) -> tensor<4xi8> {
  // expected-error @+1 {{'shift' (50) is outside [-31, 30]}}
  %0 = qnn.int.mul %a, %b {multiplier = 1073741824 : i32, shift = 50 : i32} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @mul_shape(%a: tensor<4xi8>, %b: tensor<4xi8>) -> tensor<5xi8> {
  // expected-error @+1 {{'result' has shape [5] but [4] is expected}}
  %0 = qnn.int.mul %a, %b {multiplier = 1073741824 : i32, shift = -5 : i32} : (tensor<4xi8>, tensor<4xi8>) -> tensor<5xi8>
  return %0 : tensor<5xi8>
}

// -----

func.func @clamp_bounds(%x: tensor<4xui8>) -> tensor<4xui8> {
  // expected-error @+1 {{'min' (-1) is outside the range [0, 255] of 'ui8'}}
  %0 = qnn.int.clamp %x {min = -1 : i64, max = 6 : i64} : tensor<4xui8>
  return %0 : tensor<4xui8>
}

// -----

func.func @clamp_order(%x: tensor<4xi8>) -> tensor<4xi8> {
  // expected-error @+1 {{'min' (6) is greater than 'max' (0)}}
  %0 = qnn.int.clamp %x {min = 6 : i64, max = 0 : i64} : tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @avg_pool_sum_overflow(%x: tensor<1x256x256x1xi16>) -> tensor<1x1x1x1xi16> {
  // expected-error @+1 {{a 256x256 window sum of 'i16' values overflows int32}}
  %0 = qnn.int.avg_pool2d %x {kernel = array<i64: 256, 256>} : (tensor<1x256x256x1xi16>) -> tensor<1x1x1x1xi16>
  return %0 : tensor<1x1x1x1xi16>
}

// -----

func.func @avg_pool_element_type(%x: tensor<1x4x4x1xi8>) -> tensor<1x2x2x1xui8> {
  // expected-error @+1 {{'result' has element type 'ui8' but 'input' has 'i8'}}
  %0 = qnn.int.avg_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x4x4x1xi8>) -> tensor<1x2x2x1xui8>
  return %0 : tensor<1x2x2x1xui8>
}

// -----

func.func @avg_pool_clamp(%x: tensor<1x4x4x1xi8>) -> tensor<1x2x2x1xi8> {
  // expected-error @+1 {{'clamp_min' (10) is greater than 'clamp_max' (0)}}
  %0 = qnn.int.avg_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, clamp_min = 10 : i64, clamp_max = 0 : i64} : (tensor<1x4x4x1xi8>) -> tensor<1x2x2x1xi8>
  return %0 : tensor<1x2x2x1xi8>
}

// -----

func.func @pad_value(%x: tensor<2xi8>) -> tensor<4xi8> {
  // expected-error @+1 {{'value' (200) is outside the range [-128, 127] of 'i8'}}
  %0 = qnn.int.pad %x {padding = array<i64: 1, 1>, value = 200 : i64} : (tensor<2xi8>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @pad_element_type(%x: tensor<2xi8>) -> tensor<4xui8> {
  // expected-error @+1 {{'result' has element type 'ui8' but 'input' has 'i8'}}
  %0 = qnn.int.pad %x {padding = array<i64: 1, 1>} : (tensor<2xi8>) -> tensor<4xui8>
  return %0 : tensor<4xui8>
}

// -----

func.func @quantize_scale(%x: tensor<4xf32>) -> tensor<4xi8> {
  // expected-error @+1 {{'scale' (0.000000e+00) must be positive and finite}}
  %0 = qnn.int.quantize %x {scale = 0.0 : f64} : (tensor<4xf32>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @quantize_zero_point(%x: tensor<4xf32>) -> tensor<4xui8> {
  // expected-error @+1 {{'zero_point' (-1) is outside the range [0, 255] of 'ui8'}}
  %0 = qnn.int.quantize %x {scale = 0.5 : f64, zero_point = -1 : i64} : (tensor<4xf32>) -> tensor<4xui8>
  return %0 : tensor<4xui8>
}

// -----

func.func @dequantize_shape(%x: tensor<4xi8>) -> tensor<2xf32> {
  // expected-error @+1 {{'result' has shape [2] but [4] is expected}}
  %0 = qnn.int.dequantize %x {scale = 0.5 : f64} : (tensor<4xi8>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// Left shifts of a multiplier >= 1 (MultiplyByQuantizedMultiplier's
// x * 2^shift, an int32 in TensorFlow Lite) that the storage types prove can
// overflow. i8 minus zero point -128 is in [0, 255]: 255 * 2^23 fits,
// 255 * 2^24 does not (with zero point 0, 127 * 2^24 would).
func.func @rescale_left_shift(%x: tensor<4x2xi8>) -> tensor<4x2xi8> {
  // expected-error @+1 {{left shift by 24 ('shift') overflows int32: 'input' minus 'input_zp' reaches 255, and 255 * 2^24 does not fit in int32}}
  %0 = qnn.int.rescale %x {input_zp = -128 : i64, multiplier = array<i32: 1073741824, 1073741824>, shift = array<i32: 23, 24>} : (tensor<4x2xi8>) -> tensor<4x2xi8>
  return %0 : tensor<4x2xi8>
}

// -----

// i8 products are in [-128 * 127, 128 * 128 = 2^14]: a shift by 16 fits,
// by 17 it reaches 2^31.
func.func @mul_left_shift(%a: tensor<4xi8>, %b: tensor<4xi8>) -> tensor<4xi8> {
  // expected-error @+1 {{left shift by 17 ('shift') overflows int32: the product of the zero-point-adjusted operands reaches 16384, and 16384 * 2^17 does not fit in int32}}
  %0 = qnn.int.mul %a, %b {multiplier = 1073741824 : i32, shift = 17 : i32} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

// Each input times 2^20, halved (M0 = 2^30, shift 0): the sum reaches
// 2 * 127 * 2^19 = 133169152, which output_shift 4 keeps within int32
// (2130706432) and 5 does not.
func.func @add_output_left_shift(%a: tensor<4xi8>, %b: tensor<4xi8>) -> tensor<4xi8> {
  // expected-error @+1 {{left shift by 5 ('output_shift') overflows int32: the sum of the rescaled inputs reaches 133169152, and 133169152 * 2^5 does not fit in int32}}
  %0 = qnn.int.add %a, %b {left_shift = 20 : i64, lhs_multiplier = 1073741824 : i32, lhs_shift = 0 : i32, rhs_multiplier = 1073741824 : i32, rhs_shift = 0 : i32, output_multiplier = 1073741824 : i32, output_shift = 5 : i32} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}
