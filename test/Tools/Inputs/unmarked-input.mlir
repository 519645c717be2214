// A float-level model that --qopt-propagate-quant-params rejects: its input
// has no qnn.range.
func.func @unmarked(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = arith.constant dense<1.0> : tensor<2x2xf32>
  %0 = qnn.fully_connected %x, %w : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  %1 = qnn.range %0 {min = -2.0 : f64, max = 2.0 : f64} : tensor<1x2xf32>
  return %1 : tensor<1x2xf32>
}
