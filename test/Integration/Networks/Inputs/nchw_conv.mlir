// A network that keeps PyTorch's NCHW layout at its boundary (what
// qopt_torch exports): the argument transposed to NHWC, a 3-channel
// convolution and a 3x3 max pool, the result transposed back to NCHW.
func.func @nchw(%input: tensor<2x3x5x6xf32>) -> tensor<2x4x3x3xf32> {
  %w = arith.constant dense<[[[[0.5, -0.25, 0.75]], [[0.125, 0.5, -0.5]]],
                             [[[-0.75, 0.25, 0.5]], [[0.5, 0.375, -0.125]]],
                             [[[0.25, 0.25, -0.25]], [[-0.5, 0.625, 0.5]]],
                             [[[1.0, -0.5, 0.25]], [[0.0, 0.5, 0.75]]]]> : tensor<4x2x1x3xf32>
  %b = arith.constant dense<[0.1, -0.2, 0.3, 0.05]> : tensor<4xf32>
  %r = qnn.range %input {min = -1.0 : f64, max = 1.0 : f64} : tensor<2x3x5x6xf32>
  %x = qnn.transpose %r {permutation = array<i64: 0, 2, 3, 1>}
       : (tensor<2x3x5x6xf32>) -> tensor<2x5x6x3xf32>
  %c = qnn.conv2d %x, %w, %b {padding = array<i64: 1, 0, 0, 0>}
       : (tensor<2x5x6x3xf32>, tensor<4x2x1x3xf32>, tensor<4xf32>) -> tensor<2x5x6x4xf32>
  %a = qnn.range %c {min = -3.0 : f64, max = 3.0 : f64} : tensor<2x5x6x4xf32>
  %p = qnn.max_pool2d %a {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>,
         padding = array<i64: 1, 1, 1, 1>} : (tensor<2x5x6x4xf32>) -> tensor<2x3x3x4xf32>
  %y = qnn.transpose %p {permutation = array<i64: 0, 3, 1, 2>}
       : (tensor<2x3x3x4xf32>) -> tensor<2x4x3x3xf32>
  return %y : tensor<2x4x3x3xf32>
}
