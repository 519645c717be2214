// A batch norm on [N, C] with nothing to fold into, between range markers.
// Per channel y = s x + b with s = gamma / sqrt(variance) = [1, 2, 0.25] and
// b = beta - mean s = [0.1, -0.2, 0.425] (epsilon 0).
func.func @batch_norm_nc(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = qnn.range %x {min = -1.0 : f64, max = 1.0 : f64} : tensor<2x3xf32>
  %gamma = arith.constant dense<[1.0, 2.0, 0.5]> : tensor<3xf32>
  %beta = arith.constant dense<[0.1, -0.2, 0.3]> : tensor<3xf32>
  %mean = arith.constant dense<[0.0, 0.0, -0.5]> : tensor<3xf32>
  %variance = arith.constant dense<[1.0, 1.0, 4.0]> : tensor<3xf32>
  %1 = qnn.batch_norm %0, %gamma, %beta, %mean, %variance {epsilon = 0.0 : f64}
       : (tensor<2x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %2 = qnn.range %1 {min = -3.0 : f64, max = 3.0 : f64} : tensor<2x3xf32>
  return %2 : tensor<2x3xf32>
}
