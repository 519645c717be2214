// RUN: qopt %s -split-input-file --qopt-fold-batch-norm | FileCheck %s

// Most cases share one batch norm whose numbers can be checked by hand:
// gamma = [2, 6], variance = [3, 8], epsilon = 1, so
// s = gamma / sqrt(variance + epsilon) = [2 / 2, 6 / 3] = [1, 2];
// beta = [0.5, -1], mean = [1, 0.5], so beta - mean * s = [-0.5, -2].

// CHECK-LABEL: func.func @conv2d
// CHECK-DAG:     %[[W:.*]] = arith.constant dense<{{\[}}[{{\[}}[1.000000e+00, 2.000000e+00]]], {{\[}}[{{\[}}6.000000e+00, 8.000000e+00]]]]> : tensor<2x1x1x2xf32>
// b_fold = beta + (b - mean) * s = [0.5 + (1 - 1) * 1, -1 + (2 - 0.5) * 2]
// CHECK-DAG:     %[[B:.*]] = arith.constant dense<[5.000000e-01, 2.000000e+00]> : tensor<2xf32>
// CHECK:         %[[C:.*]] = qnn.conv2d %arg0, %[[W]], %[[B]] {dilations = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
// CHECK-NOT:     qnn.batch_norm
// CHECK:         return %[[C]]
func.func @conv2d(%x: tensor<1x6x6x2xf32>) -> tensor<1x4x4x2xf32> {
  %w = arith.constant dense<[[[[1.0, 2.0]]], [[[3.0, 4.0]]]]> : tensor<2x1x1x2xf32>
  %b = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %gamma = arith.constant dense<[2.0, 6.0]> : tensor<2xf32>
  %beta = arith.constant dense<[0.5, -1.0]> : tensor<2xf32>
  %mean = arith.constant dense<[1.0, 0.5]> : tensor<2xf32>
  %var = arith.constant dense<[3.0, 8.0]> : tensor<2xf32>
  %c = qnn.conv2d %x, %w, %b {strides = array<i64: 2, 2>, dilations = array<i64: 2, 2>,
                              padding = array<i64: 1, 1, 1, 1>}
       : (tensor<1x6x6x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>) -> tensor<1x4x4x2xf32>
  %n = qnn.batch_norm %c, %gamma, %beta, %mean, %var {epsilon = 1.0 : f64}
       : (tensor<1x4x4x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>)
       -> tensor<1x4x4x2xf32>
  return %n : tensor<1x4x4x2xf32>
}

// -----

// Without a bias, b = 0: the folded conv gets the bias beta - mean * s.

// CHECK-LABEL: func.func @conv2d_no_bias
// CHECK-DAG:     %[[W:.*]] = arith.constant dense<{{\[}}[{{\[}}[1.000000e+00, 2.000000e+00]]], {{\[}}[{{\[}}6.000000e+00, 8.000000e+00]]]]> : tensor<2x1x1x2xf32>
// CHECK-DAG:     %[[B:.*]] = arith.constant dense<[-5.000000e-01, -2.000000e+00]> : tensor<2xf32>
// CHECK:         %[[C:.*]] = qnn.conv2d %arg0, %[[W]], %[[B]] :
// CHECK-NOT:     qnn.batch_norm
// CHECK:         return %[[C]]
func.func @conv2d_no_bias(%x: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %w = arith.constant dense<[[[[1.0, 2.0]]], [[[3.0, 4.0]]]]> : tensor<2x1x1x2xf32>
  %gamma = arith.constant dense<[2.0, 6.0]> : tensor<2xf32>
  %beta = arith.constant dense<[0.5, -1.0]> : tensor<2xf32>
  %mean = arith.constant dense<[1.0, 0.5]> : tensor<2xf32>
  %var = arith.constant dense<[3.0, 8.0]> : tensor<2xf32>
  %c = qnn.conv2d %x, %w : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>) -> tensor<1x4x4x2xf32>
  %n = qnn.batch_norm %c, %gamma, %beta, %mean, %var {epsilon = 1.0 : f64}
       : (tensor<1x4x4x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>)
       -> tensor<1x4x4x2xf32>
  return %n : tensor<1x4x4x2xf32>
}

// -----

// A grouped convolution scales its output channels alike and keeps its
// groups.

// CHECK-LABEL: func.func @grouped_conv2d
// CHECK-DAG:     %[[W:.*]] = arith.constant dense<{{\[}}[{{\[}}[1.000000e+00]]], {{\[}}[{{\[}}6.000000e+00]]]]> : tensor<2x1x1x1xf32>
// CHECK-DAG:     %[[B:.*]] = arith.constant dense<[-5.000000e-01, -2.000000e+00]> : tensor<2xf32>
// CHECK:         %[[C:.*]] = qnn.conv2d %arg0, %[[W]], %[[B]] {groups = 2 : i64} :
// CHECK:         return %[[C]]
func.func @grouped_conv2d(%x: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %w = arith.constant dense<[[[[1.0]]], [[[3.0]]]]> : tensor<2x1x1x1xf32>
  %gamma = arith.constant dense<[2.0, 6.0]> : tensor<2xf32>
  %beta = arith.constant dense<[0.5, -1.0]> : tensor<2xf32>
  %mean = arith.constant dense<[1.0, 0.5]> : tensor<2xf32>
  %var = arith.constant dense<[3.0, 8.0]> : tensor<2xf32>
  %c = qnn.conv2d %x, %w {groups = 2 : i64} : (tensor<1x4x4x2xf32>, tensor<2x1x1x1xf32>) -> tensor<1x4x4x2xf32>
  %n = qnn.batch_norm %c, %gamma, %beta, %mean, %var {epsilon = 1.0 : f64}
       : (tensor<1x4x4x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>)
       -> tensor<1x4x4x2xf32>
  return %n : tensor<1x4x4x2xf32>
}

// -----

// The output channel of a 1HWO depthwise filter is its last axis.

// CHECK-LABEL: func.func @depthwise_conv2d
// CHECK-DAG:     %[[W:.*]] = arith.constant dense<{{\[}}[{{\[}}[1.000000e+00, 4.000000e+00], [3.000000e+00, 8.000000e+00]]]]> : tensor<1x1x2x2xf32>
// CHECK-DAG:     %[[B:.*]] = arith.constant dense<[5.000000e-01, 2.000000e+00]> : tensor<2xf32>
// CHECK:         %[[C:.*]] = qnn.depthwise_conv2d %arg0, %[[W]], %[[B]] {padding = array<i64: 0, 0, 1, 0>}
// CHECK-NOT:     qnn.batch_norm
// CHECK:         return %[[C]]
func.func @depthwise_conv2d(%x: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %w = arith.constant dense<[[[[1.0, 2.0], [3.0, 4.0]]]]> : tensor<1x1x2x2xf32>
  %b = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %gamma = arith.constant dense<[2.0, 6.0]> : tensor<2xf32>
  %beta = arith.constant dense<[0.5, -1.0]> : tensor<2xf32>
  %mean = arith.constant dense<[1.0, 0.5]> : tensor<2xf32>
  %var = arith.constant dense<[3.0, 8.0]> : tensor<2xf32>
  %c = qnn.depthwise_conv2d %x, %w, %b {padding = array<i64: 0, 0, 1, 0>}
       : (tensor<1x4x4x2xf32>, tensor<1x1x2x2xf32>, tensor<2xf32>) -> tensor<1x4x4x2xf32>
  %n = qnn.batch_norm %c, %gamma, %beta, %mean, %var {epsilon = 1.0 : f64}
       : (tensor<1x4x4x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>)
       -> tensor<1x4x4x2xf32>
  return %n : tensor<1x4x4x2xf32>
}

// -----

// CHECK-LABEL: func.func @fully_connected
// CHECK-DAG:     %[[W:.*]] = arith.constant dense<{{\[}}[1.000000e+00, 2.000000e+00, 3.000000e+00], [8.000000e+00, 1.000000e+01, 1.200000e+01]]> : tensor<2x3xf32>
// CHECK-DAG:     %[[B:.*]] = arith.constant dense<[5.000000e-01, 2.000000e+00]> : tensor<2xf32>
// CHECK:         %[[C:.*]] = qnn.fully_connected %arg0, %[[W]], %[[B]] :
// CHECK-NOT:     qnn.batch_norm
// CHECK:         return %[[C]]
func.func @fully_connected(%x: tensor<4x3xf32>) -> tensor<4x2xf32> {
  %w = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %b = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %gamma = arith.constant dense<[2.0, 6.0]> : tensor<2xf32>
  %beta = arith.constant dense<[0.5, -1.0]> : tensor<2xf32>
  %mean = arith.constant dense<[1.0, 0.5]> : tensor<2xf32>
  %var = arith.constant dense<[3.0, 8.0]> : tensor<2xf32>
  %c = qnn.fully_connected %x, %w, %b : (tensor<4x3xf32>, tensor<2x3xf32>, tensor<2xf32>) -> tensor<4x2xf32>
  %n = qnn.batch_norm %c, %gamma, %beta, %mean, %var {epsilon = 1.0 : f64}
       : (tensor<4x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>)
       -> tensor<4x2xf32>
  return %n : tensor<4x2xf32>
}

// -----

// The folded constants are rounded once, to the weights' element type.

// CHECK-LABEL: func.func @conv2d_f16
// CHECK-DAG:     %[[W:.*]] = arith.constant dense<{{\[}}[{{\[}}[1.000000e+00, 2.000000e+00]]], {{\[}}[{{\[}}6.000000e+00, 8.000000e+00]]]]> : tensor<2x1x1x2xf16>
// CHECK-DAG:     %[[B:.*]] = arith.constant dense<[5.000000e-01, 2.000000e+00]> : tensor<2xf16>
// CHECK:         qnn.conv2d %arg0, %[[W]], %[[B]] :
// CHECK-NOT:     qnn.batch_norm
func.func @conv2d_f16(%x: tensor<1x4x4x2xf16>) -> tensor<1x4x4x2xf16> {
  %w = arith.constant dense<[[[[1.0, 2.0]]], [[[3.0, 4.0]]]]> : tensor<2x1x1x2xf16>
  %b = arith.constant dense<[1.0, 2.0]> : tensor<2xf16>
  %gamma = arith.constant dense<[2.0, 6.0]> : tensor<2xf16>
  %beta = arith.constant dense<[0.5, -1.0]> : tensor<2xf16>
  %mean = arith.constant dense<[1.0, 0.5]> : tensor<2xf16>
  %var = arith.constant dense<[3.0, 8.0]> : tensor<2xf16>
  %c = qnn.conv2d %x, %w, %b
       : (tensor<1x4x4x2xf16>, tensor<2x1x1x2xf16>, tensor<2xf16>) -> tensor<1x4x4x2xf16>
  %n = qnn.batch_norm %c, %gamma, %beta, %mean, %var {epsilon = 1.0 : f64}
       : (tensor<1x4x4x2xf16>, tensor<2xf16>, tensor<2xf16>, tensor<2xf16>, tensor<2xf16>)
       -> tensor<1x4x4x2xf16>
  return %n : tensor<1x4x4x2xf16>
}

// -----

// Range markers on the pre-norm value are dropped; the one after the batch
// norm now records the range of the folded conv.

// CHECK-LABEL: func.func @range_markers
// CHECK:         %[[C:.*]] = qnn.conv2d
// CHECK-NOT:     qnn.batch_norm
// CHECK-NEXT:    %[[R:.*]] = qnn.range %[[C]] {max = 6.000000e+00 : f64, min = -6.000000e+00 : f64}
// CHECK-NEXT:    return %[[R]]
func.func @range_markers(%x: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %w = arith.constant dense<[[[[1.0, 2.0]]], [[[3.0, 4.0]]]]> : tensor<2x1x1x2xf32>
  %gamma = arith.constant dense<[2.0, 6.0]> : tensor<2xf32>
  %beta = arith.constant dense<[0.5, -1.0]> : tensor<2xf32>
  %mean = arith.constant dense<[1.0, 0.5]> : tensor<2xf32>
  %var = arith.constant dense<[3.0, 8.0]> : tensor<2xf32>
  %c = qnn.conv2d %x, %w : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>) -> tensor<1x4x4x2xf32>
  %r0 = qnn.range %c {min = -3.0 : f64, max = 3.0 : f64} : tensor<1x4x4x2xf32>
  %r1 = qnn.range %r0 {min = -4.0 : f64, max = 4.0 : f64} : tensor<1x4x4x2xf32>
  %n = qnn.batch_norm %r1, %gamma, %beta, %mean, %var {epsilon = 1.0 : f64}
       : (tensor<1x4x4x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>)
       -> tensor<1x4x4x2xf32>
  %r2 = qnn.range %n {min = -6.0 : f64, max = 6.0 : f64} : tensor<1x4x4x2xf32>
  return %r2 : tensor<1x4x4x2xf32>
}

// -----

// Another user reads the pre-norm value, so the conv must stay as it is: the
// batch norm becomes a 1x1 depthwise conv with weights s and bias
// beta - mean * s.

// CHECK-LABEL: func.func @pre_norm_value_used
// CHECK-DAG:     %[[W0:.*]] = arith.constant dense<{{\[}}[{{\[}}[1.000000e+00, 2.000000e+00]]], {{\[}}[{{\[}}3.000000e+00, 4.000000e+00]]]]> : tensor<2x1x1x2xf32>
// CHECK-DAG:     %[[S:.*]] = arith.constant dense<{{\[}}[{{\[}}[1.000000e+00, 2.000000e+00]]]]> : tensor<1x1x1x2xf32>
// CHECK-DAG:     %[[B:.*]] = arith.constant dense<[-5.000000e-01, -2.000000e+00]> : tensor<2xf32>
// CHECK:         %[[C:.*]] = qnn.conv2d %arg0, %[[W0]] :
// CHECK-NEXT:    %[[R:.*]] = qnn.range %[[C]]
// CHECK-NEXT:    %[[N:.*]] = qnn.depthwise_conv2d %[[R]], %[[S]], %[[B]] : (tensor<1x4x4x2xf32>, tensor<1x1x1x2xf32>, tensor<2xf32>) -> tensor<1x4x4x2xf32>
// CHECK-NEXT:    qnn.add %[[N]], %[[C]]
func.func @pre_norm_value_used(%x: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %w = arith.constant dense<[[[[1.0, 2.0]]], [[[3.0, 4.0]]]]> : tensor<2x1x1x2xf32>
  %gamma = arith.constant dense<[2.0, 6.0]> : tensor<2xf32>
  %beta = arith.constant dense<[0.5, -1.0]> : tensor<2xf32>
  %mean = arith.constant dense<[1.0, 0.5]> : tensor<2xf32>
  %var = arith.constant dense<[3.0, 8.0]> : tensor<2xf32>
  %c = qnn.conv2d %x, %w : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>) -> tensor<1x4x4x2xf32>
  %r = qnn.range %c {min = -3.0 : f64, max = 3.0 : f64} : tensor<1x4x4x2xf32>
  %n = qnn.batch_norm %r, %gamma, %beta, %mean, %var {epsilon = 1.0 : f64}
       : (tensor<1x4x4x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>)
       -> tensor<1x4x4x2xf32>
  %s = qnn.add %n, %c : (tensor<1x4x4x2xf32>, tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  return %s : tensor<1x4x4x2xf32>
}

// -----

// Weights that are not constant cannot absorb the batch norm.

// CHECK-LABEL: func.func @conv2d_weights_not_constant
// CHECK:         %[[C:.*]] = qnn.conv2d %arg0, %arg1 :
// CHECK-NEXT:    qnn.depthwise_conv2d %[[C]], %{{.*}}, %{{.*}} :
// CHECK-NOT:     qnn.batch_norm
func.func @conv2d_weights_not_constant(%x: tensor<1x4x4x2xf32>, %w: tensor<2x1x1x2xf32>)
    -> tensor<1x4x4x2xf32> {
  %gamma = arith.constant dense<[2.0, 6.0]> : tensor<2xf32>
  %beta = arith.constant dense<[0.5, -1.0]> : tensor<2xf32>
  %mean = arith.constant dense<[1.0, 0.5]> : tensor<2xf32>
  %var = arith.constant dense<[3.0, 8.0]> : tensor<2xf32>
  %c = qnn.conv2d %x, %w : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>) -> tensor<1x4x4x2xf32>
  %n = qnn.batch_norm %c, %gamma, %beta, %mean, %var {epsilon = 1.0 : f64}
       : (tensor<1x4x4x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>)
       -> tensor<1x4x4x2xf32>
  return %n : tensor<1x4x4x2xf32>
}

// -----

// CHECK-LABEL: func.func @standalone_nhwc
// CHECK-DAG:     %[[S:.*]] = arith.constant dense<{{\[}}[{{\[}}[1.000000e+00, 2.000000e+00]]]]> : tensor<1x1x1x2xf32>
// CHECK-DAG:     %[[B:.*]] = arith.constant dense<[-5.000000e-01, -2.000000e+00]> : tensor<2xf32>
// CHECK:         %[[N:.*]] = qnn.depthwise_conv2d %arg0, %[[S]], %[[B]] : (tensor<?x4x4x2xf32>, tensor<1x1x1x2xf32>, tensor<2xf32>) -> tensor<?x4x4x2xf32>
// CHECK-NOT:     qnn.batch_norm
// CHECK:         return %[[N]]
func.func @standalone_nhwc(%x: tensor<?x4x4x2xf32>) -> tensor<?x4x4x2xf32> {
  %gamma = arith.constant dense<[2.0, 6.0]> : tensor<2xf32>
  %beta = arith.constant dense<[0.5, -1.0]> : tensor<2xf32>
  %mean = arith.constant dense<[1.0, 0.5]> : tensor<2xf32>
  %var = arith.constant dense<[3.0, 8.0]> : tensor<2xf32>
  %n = qnn.batch_norm %x, %gamma, %beta, %mean, %var {epsilon = 1.0 : f64}
       : (tensor<?x4x4x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>)
       -> tensor<?x4x4x2xf32>
  return %n : tensor<?x4x4x2xf32>
}

// -----

// CHECK-LABEL: func.func @standalone_nc
// CHECK-DAG:     %[[S:.*]] = arith.constant dense<{{\[}}[{{\[}}[1.000000e+00, 2.000000e+00]]]]> : tensor<1x1x1x2xf32>
// CHECK-DAG:     %[[B:.*]] = arith.constant dense<[-5.000000e-01, -2.000000e+00]> : tensor<2xf32>
// CHECK:         %[[X:.*]] = qnn.reshape %arg0 : (tensor<3x2xf32>) -> tensor<3x1x1x2xf32>
// CHECK-NEXT:    %[[N:.*]] = qnn.depthwise_conv2d %[[X]], %[[S]], %[[B]] : (tensor<3x1x1x2xf32>, tensor<1x1x1x2xf32>, tensor<2xf32>) -> tensor<3x1x1x2xf32>
// CHECK-NEXT:    %[[Y:.*]] = qnn.reshape %[[N]] : (tensor<3x1x1x2xf32>) -> tensor<3x2xf32>
// CHECK-NOT:     qnn.batch_norm
// CHECK:         return %[[Y]]
func.func @standalone_nc(%x: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %gamma = arith.constant dense<[2.0, 6.0]> : tensor<2xf32>
  %beta = arith.constant dense<[0.5, -1.0]> : tensor<2xf32>
  %mean = arith.constant dense<[1.0, 0.5]> : tensor<2xf32>
  %var = arith.constant dense<[3.0, 8.0]> : tensor<2xf32>
  %n = qnn.batch_norm %x, %gamma, %beta, %mean, %var {epsilon = 1.0 : f64}
       : (tensor<3x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>)
       -> tensor<3x2xf32>
  return %n : tensor<3x2xf32>
}

// -----

// Left unchanged: parameters that are not constant, a rank that is neither
// NHWC nor NC, and variance + epsilon = 0 (no finite scale).

// CHECK-LABEL: func.func @parameters_not_constant
// CHECK:         qnn.conv2d
// CHECK-NEXT:    qnn.batch_norm
func.func @parameters_not_constant(%x: tensor<1x4x4x2xf32>, %gamma: tensor<2xf32>)
    -> tensor<1x4x4x2xf32> {
  %w = arith.constant dense<[[[[1.0, 2.0]]], [[[3.0, 4.0]]]]> : tensor<2x1x1x2xf32>
  %beta = arith.constant dense<[0.5, -1.0]> : tensor<2xf32>
  %mean = arith.constant dense<[1.0, 0.5]> : tensor<2xf32>
  %var = arith.constant dense<[3.0, 8.0]> : tensor<2xf32>
  %c = qnn.conv2d %x, %w : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>) -> tensor<1x4x4x2xf32>
  %n = qnn.batch_norm %c, %gamma, %beta, %mean, %var {epsilon = 1.0 : f64}
       : (tensor<1x4x4x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>)
       -> tensor<1x4x4x2xf32>
  return %n : tensor<1x4x4x2xf32>
}

// CHECK-LABEL: func.func @rank3
// CHECK:         qnn.batch_norm %arg0
func.func @rank3(%x: tensor<4x4x2xf32>) -> tensor<4x4x2xf32> {
  %gamma = arith.constant dense<[2.0, 6.0]> : tensor<2xf32>
  %beta = arith.constant dense<[0.5, -1.0]> : tensor<2xf32>
  %mean = arith.constant dense<[1.0, 0.5]> : tensor<2xf32>
  %var = arith.constant dense<[3.0, 8.0]> : tensor<2xf32>
  %n = qnn.batch_norm %x, %gamma, %beta, %mean, %var {epsilon = 1.0 : f64}
       : (tensor<4x4x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>)
       -> tensor<4x4x2xf32>
  return %n : tensor<4x4x2xf32>
}

// CHECK-LABEL: func.func @zero_variance
// CHECK:         qnn.conv2d
// CHECK-NEXT:    qnn.batch_norm
func.func @zero_variance(%x: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %w = arith.constant dense<[[[[1.0, 2.0]]], [[[3.0, 4.0]]]]> : tensor<2x1x1x2xf32>
  %gamma = arith.constant dense<[2.0, 6.0]> : tensor<2xf32>
  %beta = arith.constant dense<[0.5, -1.0]> : tensor<2xf32>
  %mean = arith.constant dense<[1.0, 0.5]> : tensor<2xf32>
  %var = arith.constant dense<[3.0, 0.0]> : tensor<2xf32>
  %c = qnn.conv2d %x, %w : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>) -> tensor<1x4x4x2xf32>
  %n = qnn.batch_norm %c, %gamma, %beta, %mean, %var {epsilon = 0.0 : f64}
       : (tensor<1x4x4x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>)
       -> tensor<1x4x4x2xf32>
  return %n : tensor<1x4x4x2xf32>
}
