// RUN: qopt %s -split-input-file -verify-diagnostics

// Shape, window and attribute errors of the float-level ops. The same checks
// serve the quantized and integer levels (see invalid-quantized.mlir and
// invalid-integer.mlir for what is specific to them).

func.func @conv_input_rank(%i: tensor<8x8x3xf32>, %f: tensor<4x3x3x3xf32>) -> tensor<1x6x6x4xf32> {
  // expected-error @+1 {{'input' must have rank 4 (NHWC), got rank 3}}
  %0 = qnn.conv2d %i, %f : (tensor<8x8x3xf32>, tensor<4x3x3x3xf32>) -> tensor<1x6x6x4xf32>
  return %0 : tensor<1x6x6x4xf32>
}

// -----

func.func @conv_filter_rank(%i: tensor<1x8x8x3xf32>, %f: tensor<4x3x3xf32>) -> tensor<1x6x6x4xf32> {
  // expected-error @+1 {{'filter' must have rank 4 (OHWI), got rank 3}}
  %0 = qnn.conv2d %i, %f : (tensor<1x8x8x3xf32>, tensor<4x3x3xf32>) -> tensor<1x6x6x4xf32>
  return %0 : tensor<1x6x6x4xf32>
}

// -----

func.func @conv_channels(%i: tensor<1x8x8x3xf32>, %f: tensor<4x3x3x2xf32>) -> tensor<1x6x6x4xf32> {
  // expected-error @+1 {{filter input channels (2) do not match the input channels (3)}}
  %0 = qnn.conv2d %i, %f : (tensor<1x8x8x3xf32>, tensor<4x3x3x2xf32>) -> tensor<1x6x6x4xf32>
  return %0 : tensor<1x6x6x4xf32>
}

// -----

// A grouped convolution's filter holds C / groups input channels.
func.func @conv_group_channels(%i: tensor<1x8x8x6xf32>, %f: tensor<4x3x3x6xf32>) -> tensor<1x6x6x4xf32> {
  // expected-error @+1 {{filter input channels (6) do not match the input channels (6 in 2 groups of 3)}}
  %0 = qnn.conv2d %i, %f {groups = 2 : i64} : (tensor<1x8x8x6xf32>, tensor<4x3x3x6xf32>) -> tensor<1x6x6x4xf32>
  return %0 : tensor<1x6x6x4xf32>
}

// -----

func.func @conv_groups_input(%i: tensor<1x8x8x6xf32>, %f: tensor<4x3x3x1xf32>) -> tensor<1x6x6x4xf32> {
  // expected-error @+1 {{input channels (6) are not divisible by 'groups' (4)}}
  %0 = qnn.conv2d %i, %f {groups = 4 : i64} : (tensor<1x8x8x6xf32>, tensor<4x3x3x1xf32>) -> tensor<1x6x6x4xf32>
  return %0 : tensor<1x6x6x4xf32>
}

// -----

func.func @conv_groups_output(%i: tensor<1x8x8x6xf32>, %f: tensor<4x3x3x2xf32>) -> tensor<1x6x6x4xf32> {
  // expected-error @+1 {{output channels (4) are not divisible by 'groups' (3)}}
  %0 = qnn.conv2d %i, %f {groups = 3 : i64} : (tensor<1x8x8x6xf32>, tensor<4x3x3x2xf32>) -> tensor<1x6x6x4xf32>
  return %0 : tensor<1x6x6x4xf32>
}

// -----

func.func @conv_groups_zero(%i: tensor<1x8x8x6xf32>, %f: tensor<4x3x3x6xf32>) -> tensor<1x6x6x4xf32> {
  // expected-error @+1 {{'groups' (0) must be positive}}
  %0 = qnn.conv2d %i, %f {groups = 0 : i64} : (tensor<1x8x8x6xf32>, tensor<4x3x3x6xf32>) -> tensor<1x6x6x4xf32>
  return %0 : tensor<1x6x6x4xf32>
}

// -----

func.func @conv_bias_shape(%i: tensor<1x8x8x3xf32>, %f: tensor<4x3x3x3xf32>, %b: tensor<5xf32>) -> tensor<1x6x6x4xf32> {
  // expected-error @+1 {{'bias' has shape [5] but [4] is expected}}
  %0 = qnn.conv2d %i, %f, %b : (tensor<1x8x8x3xf32>, tensor<4x3x3x3xf32>, tensor<5xf32>) -> tensor<1x6x6x4xf32>
  return %0 : tensor<1x6x6x4xf32>
}

// -----

func.func @conv_result_shape(%i: tensor<1x8x8x3xf32>, %f: tensor<4x3x3x3xf32>) -> tensor<1x8x8x4xf32> {
  // expected-error @+1 {{'result' has shape [1, 8, 8, 4] but [1, 6, 6, 4] is expected}}
  %0 = qnn.conv2d %i, %f : (tensor<1x8x8x3xf32>, tensor<4x3x3x3xf32>) -> tensor<1x8x8x4xf32>
  return %0 : tensor<1x8x8x4xf32>
}

// -----

func.func @conv_result_rank(%i: tensor<1x8x8x3xf32>, %f: tensor<4x3x3x3xf32>) -> tensor<36x4xf32> {
  // expected-error @+1 {{'result' must have rank 4 (NHWC), got rank 2}}
  %0 = qnn.conv2d %i, %f : (tensor<1x8x8x3xf32>, tensor<4x3x3x3xf32>) -> tensor<36x4xf32>
  return %0 : tensor<36x4xf32>
}

// -----

func.func @conv_strides(%i: tensor<1x8x8x3xf32>, %f: tensor<4x3x3x3xf32>) -> tensor<1x6x6x4xf32> {
  // expected-error @+1 {{'strides' must have 2 positive entries}}
  %0 = qnn.conv2d %i, %f {strides = array<i64: 0, 1>} : (tensor<1x8x8x3xf32>, tensor<4x3x3x3xf32>) -> tensor<1x6x6x4xf32>
  return %0 : tensor<1x6x6x4xf32>
}

// -----

func.func @conv_dilations(%i: tensor<1x8x8x3xf32>, %f: tensor<4x3x3x3xf32>) -> tensor<1x6x6x4xf32> {
  // expected-error @+1 {{'dilations' must have 2 positive entries}}
  %0 = qnn.conv2d %i, %f {dilations = array<i64: 1>} : (tensor<1x8x8x3xf32>, tensor<4x3x3x3xf32>) -> tensor<1x6x6x4xf32>
  return %0 : tensor<1x6x6x4xf32>
}

// -----

func.func @conv_padding(%i: tensor<1x8x8x3xf32>, %f: tensor<4x3x3x3xf32>) -> tensor<1x6x6x4xf32> {
  // expected-error @+1 {{'padding' must have 4 non-negative entries [top, bottom, left, right]}}
  %0 = qnn.conv2d %i, %f {padding = array<i64: 1, -1, 0, 0>} : (tensor<1x8x8x3xf32>, tensor<4x3x3x3xf32>) -> tensor<1x6x6x4xf32>
  return %0 : tensor<1x6x6x4xf32>
}

// -----

func.func @conv_window_too_large(%i: tensor<1x2x8x3xf32>, %f: tensor<4x3x3x3xf32>) -> tensor<1x1x6x4xf32> {
  // expected-error @+1 {{window of extent 5 does not fit the padded height 2}}
  %0 = qnn.conv2d %i, %f {dilations = array<i64: 2, 1>} : (tensor<1x2x8x3xf32>, tensor<4x3x3x3xf32>) -> tensor<1x1x6x4xf32>
  return %0 : tensor<1x1x6x4xf32>
}

// -----

func.func @depthwise_filter_shape(%i: tensor<1x8x8x4xf32>, %f: tensor<2x3x3x4xf32>) -> tensor<1x6x6x4xf32> {
  // expected-error @+1 {{'filter' of a depthwise convolution must have shape [1, KH, KW, O]}}
  %0 = qnn.depthwise_conv2d %i, %f : (tensor<1x8x8x4xf32>, tensor<2x3x3x4xf32>) -> tensor<1x6x6x4xf32>
  return %0 : tensor<1x6x6x4xf32>
}

// -----

func.func @depthwise_multiplier(%i: tensor<1x8x8x4xf32>, %f: tensor<1x3x3x6xf32>) -> tensor<1x6x6x6xf32> {
  // expected-error @+1 {{depthwise output channels (6) are not a multiple of the input channels (4)}}
  %0 = qnn.depthwise_conv2d %i, %f : (tensor<1x8x8x4xf32>, tensor<1x3x3x6xf32>) -> tensor<1x6x6x6xf32>
  return %0 : tensor<1x6x6x6xf32>
}

// -----

func.func @fc_input_rank(%i: tensor<2x4x16xf32>, %w: tensor<10x64xf32>) -> tensor<2x10xf32> {
  // expected-error @+1 {{'input' must have rank 2 ([N, K]), got rank 3}}
  %0 = qnn.fully_connected %i, %w : (tensor<2x4x16xf32>, tensor<10x64xf32>) -> tensor<2x10xf32>
  return %0 : tensor<2x10xf32>
}

// -----

func.func @fc_weights_rank(%i: tensor<2x64xf32>, %w: tensor<64xf32>) -> tensor<2x10xf32> {
  // expected-error @+1 {{'weights' must have rank 2 ([O, K]), got rank 1}}
  %0 = qnn.fully_connected %i, %w : (tensor<2x64xf32>, tensor<64xf32>) -> tensor<2x10xf32>
  return %0 : tensor<2x10xf32>
}

// -----

func.func @fc_depth(%i: tensor<2x64xf32>, %w: tensor<10x32xf32>) -> tensor<2x10xf32> {
  // expected-error @+1 {{'weights' depth (32) does not match the input depth (64)}}
  %0 = qnn.fully_connected %i, %w : (tensor<2x64xf32>, tensor<10x32xf32>) -> tensor<2x10xf32>
  return %0 : tensor<2x10xf32>
}

// -----

func.func @fc_result(%i: tensor<2x64xf32>, %w: tensor<10x64xf32>) -> tensor<2x64xf32> {
  // expected-error @+1 {{'result' has shape [2, 64] but [2, 10] is expected}}
  %0 = qnn.fully_connected %i, %w : (tensor<2x64xf32>, tensor<10x64xf32>) -> tensor<2x64xf32>
  return %0 : tensor<2x64xf32>
}

// -----

func.func @mixed_float_types(%i: tensor<2x64xf32>, %w: tensor<10x64xf16>) -> tensor<2x10xf32> {
  // expected-error @+1 {{expects float tensors of one element type, but 'input' has 'f32' and 'weights' has 'f16'}}
  %0 = qnn.fully_connected %i, %w : (tensor<2x64xf32>, tensor<10x64xf16>) -> tensor<2x10xf32>
  return %0 : tensor<2x10xf32>
}

// -----

func.func @batch_norm_rank(%x: tensor<f32>, %v: tensor<1xf32>) -> tensor<f32> {
  // expected-error @+1 {{'input' must have a channel dimension}}
  %0 = qnn.batch_norm %x, %v, %v, %v, %v : (tensor<f32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func @batch_norm_vector(%x: tensor<1x4x4x8xf32>, %v: tensor<8xf32>, %w: tensor<4xf32>) -> tensor<1x4x4x8xf32> {
  // expected-error @+1 {{'mean' has shape [4] but [8] is expected}}
  %0 = qnn.batch_norm %x, %v, %v, %w, %v : (tensor<1x4x4x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<4xf32>, tensor<8xf32>) -> tensor<1x4x4x8xf32>
  return %0 : tensor<1x4x4x8xf32>
}

// -----

func.func @batch_norm_result(%x: tensor<1x4x4x8xf32>, %v: tensor<8xf32>) -> tensor<1x4x8x4xf32> {
  // expected-error @+1 {{'result' has shape [1, 4, 8, 4] but [1, 4, 4, 8] is expected}}
  %0 = qnn.batch_norm %x, %v, %v, %v, %v : (tensor<1x4x4x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x4x8x4xf32>
  return %0 : tensor<1x4x8x4xf32>
}

// -----

func.func @batch_norm_epsilon(%x: tensor<1x4x4x8xf32>, %v: tensor<8xf32>) -> tensor<1x4x4x8xf32> {
  // expected-error @+1 {{'epsilon' (-1.000000e-03) must be non-negative and finite}}
  %0 = qnn.batch_norm %x, %v, %v, %v, %v {epsilon = -1.0e-3 : f64} : (tensor<1x4x4x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x4x4x8xf32>
  return %0 : tensor<1x4x4x8xf32>
}

// -----

func.func @range_order(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'min' (3.000000e+00) is greater than 'max' (1.000000e+00)}}
  %0 = qnn.range %x {min = 3.0 : f64, max = 1.0 : f64} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @range_nan(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{range [nan, 1.000000e+00] must be finite}}
  %0 = qnn.range %x {min = 0x7FF8000000000000 : f64, max = 1.0 : f64} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @range_inf(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{range [0.000000e+00, INF] must be finite}}
  %0 = qnn.range %x {min = 0.0 : f64, max = 0x7FF0000000000000 : f64} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @range_bits(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'num_bits' (1) must be in [2, 16]}}
  %0 = qnn.range %x {min = 0.0 : f64, max = 1.0 : f64, num_bits = 1 : i64} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @range_quantized(%x: tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4x!quant.uniform<i8:f32, 0.5>> {
  // expected-error @+1 {{operand #0 must be ranked tensor of floating-point values}}
  %0 = qnn.range %x {min = 0.0 : f64, max = 1.0 : f64} : tensor<4x!quant.uniform<i8:f32, 0.5>>
  return %0 : tensor<4x!quant.uniform<i8:f32, 0.5>>
}

// -----

func.func @add_shapes(%a: tensor<4xf32>, %b: tensor<5xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'rhs' has shape [5] but [4] is expected}}
  %0 = qnn.add %a, %b : (tensor<4xf32>, tensor<5xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @mul_result_shape(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<2x2xf32> {
  // expected-error @+1 {{'result' has shape [2, 2] but [4] is expected}}
  %0 = qnn.mul %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

func.func @clamp_order(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'min' (6.000000e+00) is greater than 'max' (0.000000e+00)}}
  %0 = qnn.clamp %x {min = 6.0 : f64, max = 0.0 : f64} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @clamp_nan(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{bounds must not be NaN}}
  %0 = qnn.clamp %x {min = 0x7FF8000000000000 : f64, max = 0.0 : f64} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @pool_kernel(%x: tensor<1x8x8x4xf32>) -> tensor<1x4x4x4xf32> {
  // expected-error @+1 {{'kernel' must have 2 positive entries [KH, KW]}}
  %0 = qnn.avg_pool2d %x {kernel = array<i64: 2, 2, 1>} : (tensor<1x8x8x4xf32>) -> tensor<1x4x4x4xf32>
  return %0 : tensor<1x4x4x4xf32>
}

// -----

func.func @pool_padding_too_large(%x: tensor<1x8x8x4xf32>) -> tensor<1x5x4x4xf32> {
  // expected-error @+1 {{padding along height (2, 0) must be smaller than the kernel (2) so that every window holds an input element}}
  %0 = qnn.avg_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = array<i64: 2, 0, 0, 0>} : (tensor<1x8x8x4xf32>) -> tensor<1x5x4x4xf32>
  return %0 : tensor<1x5x4x4xf32>
}

// -----

func.func @pool_result(%x: tensor<1x8x8x4xf32>) -> tensor<1x4x4x4xf32> {
  // expected-error @+1 {{'result' has shape [1, 4, 4, 4] but [1, 7, 7, 4] is expected}}
  %0 = qnn.max_pool2d %x {kernel = array<i64: 2, 2>} : (tensor<1x8x8x4xf32>) -> tensor<1x4x4x4xf32>
  return %0 : tensor<1x4x4x4xf32>
}

// -----

func.func @max_pool_element_type(%x: tensor<1x8x8x4xf32>) -> tensor<1x4x4x4xf16> {
  // expected-error @+1 {{'result' has element type 'f16' but 'input' has 'f32'}}
  %0 = qnn.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x8x8x4xf32>) -> tensor<1x4x4x4xf16>
  return %0 : tensor<1x4x4x4xf16>
}

// -----

func.func @concat_empty() -> tensor<4xf32> {
  // expected-error @+1 {{needs at least one input}}
  %0 = qnn.concat {axis = 0 : i64} : () -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @concat_axis(%a: tensor<1x4xf32>) -> tensor<1x8xf32> {
  // expected-error @+1 {{'axis' (2) is out of range for rank 2}}
  %0 = qnn.concat %a, %a {axis = 2 : i64} : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x8xf32>
  return %0 : tensor<1x8xf32>
}

// -----

func.func @concat_input_shape(%a: tensor<1x4xf32>, %b: tensor<2x4xf32>) -> tensor<1x8xf32> {
  // expected-error @+1 {{'input #1' has shape [2, 4] but [1, 4] is expected}}
  %0 = qnn.concat %a, %b {axis = 1 : i64} : (tensor<1x4xf32>, tensor<2x4xf32>) -> tensor<1x8xf32>
  return %0 : tensor<1x8xf32>
}

// -----

func.func @concat_result_shape(%a: tensor<1x4xf32>) -> tensor<1x9xf32> {
  // expected-error @+1 {{'result' has shape [1, 9] but [1, 8] is expected}}
  %0 = qnn.concat %a, %a {axis = 1 : i64} : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x9xf32>
  return %0 : tensor<1x9xf32>
}

// -----

func.func @concat_element_type(%a: tensor<1x4xf32>, %b: tensor<1x4xf16>) -> tensor<1x8xf32> {
  // expected-error @+1 {{'input #1' has element type 'f16' but 'result' has 'f32'}}
  %0 = qnn.concat %a, %b {axis = 1 : i64} : (tensor<1x4xf32>, tensor<1x4xf16>) -> tensor<1x8xf32>
  return %0 : tensor<1x8xf32>
}

// -----

func.func @reshape_elements(%x: tensor<1x4x8x2xf32>) -> tensor<1x4x2x4xf32> {
  // expected-error @+1 {{'result' has 32 elements but 'input' has 64}}
  %0 = qnn.reshape %x : (tensor<1x4x8x2xf32>) -> tensor<1x4x2x4xf32>
  return %0 : tensor<1x4x2x4xf32>
}

// -----

func.func @pad_entries(%x: tensor<2x2xf32>) -> tensor<4x4xf32> {
  // expected-error @+1 {{'padding' must have 4 non-negative entries [low, high] per dimension}}
  %0 = qnn.pad %x {padding = array<i64: 1, 1>} : (tensor<2x2xf32>) -> tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}

// -----

func.func @pad_result(%x: tensor<2x2xf32>) -> tensor<4x4xf32> {
  // expected-error @+1 {{'result' has shape [4, 4] but [3, 4] is expected}}
  %0 = qnn.pad %x {padding = array<i64: 1, 0, 1, 1>} : (tensor<2x2xf32>) -> tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}

// -----

func.func @pad_value(%x: tensor<2x2xf32>) -> tensor<4x4xf32> {
  // expected-error @+1 {{pad value INF must be finite}}
  %0 = qnn.pad %x {padding = array<i64: 1, 1, 1, 1>, value = 0x7FF0000000000000 : f64} : (tensor<2x2xf32>) -> tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}

// -----

func.func @range_axis_without_arrays(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @below {{'axis', 'channel_min' and 'channel_max' go together}}
  %0 = qnn.range %x {min = -1.0 : f64, max = 1.0 : f64, axis = 0 : i64} : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @range_channel_count(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @below {{'channel_min' and 'channel_max' need one entry per index of dimension 0 (2), got 3 and 3}}
  %0 = qnn.range %x {min = -1.0 : f64, max = 1.0 : f64, axis = 0 : i64, channel_min = array<f64: -1.0, 0.0, 0.0>, channel_max = array<f64: 1.0, 1.0, 1.0>} : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @range_channel_outside(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @below {{channel 1 range [0.000000e+00, 2.000000e+00] is outside [min, max]}}
  %0 = qnn.range %x {min = -1.0 : f64, max = 1.0 : f64, axis = 0 : i64, channel_min = array<f64: -1.0, 0.0>, channel_max = array<f64: 1.0, 2.0>} : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @range_reduce_two_bits(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @below {{'reduce_range' needs 'num_bits' of at least 3}}
  %0 = qnn.range %x {min = -1.0 : f64, max = 1.0 : f64, num_bits = 2 : i64, reduce_range = true} : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}
