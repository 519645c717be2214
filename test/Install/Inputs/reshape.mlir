// Input of install-consumer.test: a chain of two reshapes, which the folder of
// qnn.reshape merges into one reshape of the argument.
func.func @reshape_chain(%arg0: tensor<1x1x1x8xf32>) -> tensor<8xf32> {
  %0 = qnn.reshape %arg0 : (tensor<1x1x1x8xf32>) -> tensor<1x8xf32>
  %1 = qnn.reshape %0 : (tensor<1x8xf32>) -> tensor<8xf32>
  return %1 : tensor<8xf32>
}
