// The reproducer of issue 14: a convolution whose input is the output of
// another convolution (1x1, no padding, so nothing stands between the two
// layers at the integer level).
func.func @two(%input: tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32> {
  %w1 = arith.constant dense<0.5> : tensor<8x1x1x8xf32>
  %b1 = arith.constant dense<0.1> : tensor<8xf32>
  %w2 = arith.constant dense<-0.25> : tensor<8x1x1x8xf32>
  %b2 = arith.constant dense<0.2> : tensor<8xf32>
  %x = qnn.range %input {min = -1.0 : f64, max = 1.0 : f64} : tensor<1x4x4x8xf32>
  %c1 = qnn.conv2d %x, %w1, %b1 : (tensor<1x4x4x8xf32>, tensor<8x1x1x8xf32>, tensor<8xf32>) -> tensor<1x4x4x8xf32>
  %a1 = qnn.range %c1 {min = -4.0 : f64, max = 4.0 : f64} : tensor<1x4x4x8xf32>
  %c2 = qnn.conv2d %a1, %w2, %b2 : (tensor<1x4x4x8xf32>, tensor<8x1x1x8xf32>, tensor<8xf32>) -> tensor<1x4x4x8xf32>
  %a2 = qnn.range %c2 {min = -8.0 : f64, max = 8.0 : f64} : tensor<1x4x4x8xf32>
  return %a2 : tensor<1x4x4x8xf32>
}
