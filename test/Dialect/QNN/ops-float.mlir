// RUN: qopt %s | qopt | FileCheck %s
// RUN: qopt %s --mlir-print-op-generic | qopt | FileCheck %s

// Every float-level op round-trips through the custom and the generic form.

// CHECK-LABEL: func.func @conv2d
func.func @conv2d(%input: tensor<1x8x8x3xf32>, %filter: tensor<16x3x3x3xf32>,
                  %bias: tensor<16xf32>) -> tensor<1x4x4x16xf32> {
  // CHECK: qnn.conv2d %{{.*}}, %{{.*}}, %{{.*}} {padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x8x8x3xf32>, tensor<16x3x3x3xf32>, tensor<16xf32>) -> tensor<1x4x4x16xf32>
  %0 = qnn.conv2d %input, %filter, %bias {strides = array<i64: 2, 2>,
         padding = array<i64: 1, 1, 1, 1>}
       : (tensor<1x8x8x3xf32>, tensor<16x3x3x3xf32>, tensor<16xf32>) -> tensor<1x4x4x16xf32>
  return %0 : tensor<1x4x4x16xf32>
}

// CHECK-LABEL: func.func @conv2d_dilated_no_bias
func.func @conv2d_dilated_no_bias(%input: tensor<?x9x9x3xf32>, %filter: tensor<4x3x3x3xf32>)
    -> tensor<?x5x5x4xf32> {
  // CHECK: qnn.conv2d %{{.*}}, %{{.*}} {dilations = array<i64: 2, 2>} : (tensor<?x9x9x3xf32>, tensor<4x3x3x3xf32>) -> tensor<?x5x5x4xf32>
  %0 = qnn.conv2d %input, %filter {dilations = array<i64: 2, 2>}
       : (tensor<?x9x9x3xf32>, tensor<4x3x3x3xf32>) -> tensor<?x5x5x4xf32>
  return %0 : tensor<?x5x5x4xf32>
}

// CHECK-LABEL: func.func @depthwise_conv2d
func.func @depthwise_conv2d(%input: tensor<1x8x8x4xf32>, %filter: tensor<1x3x3x8xf32>,
                            %bias: tensor<8xf32>) -> tensor<1x8x8x8xf32> {
  // CHECK: qnn.depthwise_conv2d %{{.*}}, %{{.*}}, %{{.*}} {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x8x8x4xf32>, tensor<1x3x3x8xf32>, tensor<8xf32>) -> tensor<1x8x8x8xf32>
  %0 = qnn.depthwise_conv2d %input, %filter, %bias {padding = array<i64: 1, 1, 1, 1>}
       : (tensor<1x8x8x4xf32>, tensor<1x3x3x8xf32>, tensor<8xf32>) -> tensor<1x8x8x8xf32>
  return %0 : tensor<1x8x8x8xf32>
}

// CHECK-LABEL: func.func @fully_connected
func.func @fully_connected(%input: tensor<2x64xf32>, %weights: tensor<10x64xf32>,
                           %bias: tensor<10xf32>) -> tensor<2x10xf32> {
  // CHECK: qnn.fully_connected %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x64xf32>, tensor<10x64xf32>, tensor<10xf32>) -> tensor<2x10xf32>
  %0 = qnn.fully_connected %input, %weights, %bias
       : (tensor<2x64xf32>, tensor<10x64xf32>, tensor<10xf32>) -> tensor<2x10xf32>
  return %0 : tensor<2x10xf32>
}

// CHECK-LABEL: func.func @batch_norm
func.func @batch_norm(%x: tensor<1x8x8x16xf32>, %gamma: tensor<16xf32>, %beta: tensor<16xf32>,
                      %mean: tensor<16xf32>, %var: tensor<16xf32>) -> tensor<1x8x8x16xf32> {
  // CHECK: qnn.batch_norm %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {epsilon = 1.000000e-03 : f64} : (tensor<1x8x8x16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<1x8x8x16xf32>
  %0 = qnn.batch_norm %x, %gamma, %beta, %mean, %var {epsilon = 1.0e-03 : f64}
       : (tensor<1x8x8x16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>)
       -> tensor<1x8x8x16xf32>
  return %0 : tensor<1x8x8x16xf32>
}

// CHECK-LABEL: func.func @range
func.func @range(%x: tensor<1x8x8x16xf32>) -> tensor<1x8x8x16xf32> {
  // CHECK: qnn.range %{{.*}} {max = 6.000000e+00 : f64, min = -1.500000e+00 : f64} : tensor<1x8x8x16xf32>
  %0 = qnn.range %x {min = -1.5 : f64, max = 6.0 : f64} : tensor<1x8x8x16xf32>
  // CHECK: qnn.range %{{.*}} {max = 1.000000e+00 : f64, min = -1.000000e+00 : f64, narrow_range = true, num_bits = 4 : i64, symmetric = true} : tensor<1x8x8x16xf32>
  %1 = qnn.range %0 {min = -1.0 : f64, max = 1.0 : f64, num_bits = 4 : i64,
                     narrow_range = true, symmetric = true} : tensor<1x8x8x16xf32>
  return %1 : tensor<1x8x8x16xf32>
}

// CHECK-LABEL: func.func @elementwise
func.func @elementwise(%a: tensor<1x8x8x16xf32>, %b: tensor<1x8x8x16xf32>) -> tensor<1x8x8x16xf32> {
  // CHECK: qnn.add %{{.*}}, %{{.*}} : (tensor<1x8x8x16xf32>, tensor<1x8x8x16xf32>) -> tensor<1x8x8x16xf32>
  %0 = qnn.add %a, %b : (tensor<1x8x8x16xf32>, tensor<1x8x8x16xf32>) -> tensor<1x8x8x16xf32>
  // CHECK: qnn.mul %{{.*}}, %{{.*}} : (tensor<1x8x8x16xf32>, tensor<1x8x8x16xf32>) -> tensor<1x8x8x16xf32>
  %1 = qnn.mul %0, %b : (tensor<1x8x8x16xf32>, tensor<1x8x8x16xf32>) -> tensor<1x8x8x16xf32>
  // CHECK: qnn.clamp %{{.*}} {max = 6.000000e+00 : f64, min = 0.000000e+00 : f64} : tensor<1x8x8x16xf32>
  %2 = qnn.clamp %1 {min = 0.0 : f64, max = 6.0 : f64} : tensor<1x8x8x16xf32>
  // ReLU: no upper bound.
  // CHECK: qnn.clamp %{{.*}} {max = 0x7FF0000000000000 : f64, min = 0.000000e+00 : f64} : tensor<1x8x8x16xf32>
  %3 = qnn.clamp %2 {min = 0.0 : f64, max = 0x7FF0000000000000 : f64} : tensor<1x8x8x16xf32>
  return %3 : tensor<1x8x8x16xf32>
}

// CHECK-LABEL: func.func @pooling
func.func @pooling(%x: tensor<1x8x8x16xf32>) -> (tensor<1x4x4x16xf32>, tensor<1x4x4x16xf32>) {
  // CHECK: qnn.avg_pool2d %{{.*}} {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x8x8x16xf32>) -> tensor<1x4x4x16xf32>
  %0 = qnn.avg_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>}
       : (tensor<1x8x8x16xf32>) -> tensor<1x4x4x16xf32>
  // CHECK: qnn.max_pool2d %{{.*}} {kernel = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x8x8x16xf32>) -> tensor<1x4x4x16xf32>
  %1 = qnn.max_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>,
         padding = array<i64: 1, 1, 1, 1>} : (tensor<1x8x8x16xf32>) -> tensor<1x4x4x16xf32>
  return %0, %1 : tensor<1x4x4x16xf32>, tensor<1x4x4x16xf32>
}

// CHECK-LABEL: func.func @data_movement
func.func @data_movement(%a: tensor<1x8x8x16xf32>, %b: tensor<1x8x8x8xf32>) -> tensor<1x10x10x24xf32> {
  // CHECK: qnn.concat %{{.*}}, %{{.*}} {axis = 3 : i64} : (tensor<1x8x8x16xf32>, tensor<1x8x8x8xf32>) -> tensor<1x8x8x24xf32>
  %0 = qnn.concat %a, %b {axis = 3 : i64}
       : (tensor<1x8x8x16xf32>, tensor<1x8x8x8xf32>) -> tensor<1x8x8x24xf32>
  // CHECK: qnn.reshape %{{.*}} : (tensor<1x8x8x24xf32>) -> tensor<64x24xf32>
  %1 = qnn.reshape %0 : (tensor<1x8x8x24xf32>) -> tensor<64x24xf32>
  // CHECK: qnn.reshape %{{.*}} : (tensor<64x24xf32>) -> tensor<1x8x8x24xf32>
  %2 = qnn.reshape %1 : (tensor<64x24xf32>) -> tensor<1x8x8x24xf32>
  // CHECK: qnn.pad %{{.*}} {padding = array<i64: 0, 0, 1, 1, 1, 1, 0, 0>, value = 5.000000e-01 : f64} : (tensor<1x8x8x24xf32>) -> tensor<1x10x10x24xf32>
  %3 = qnn.pad %2 {padding = array<i64: 0, 0, 1, 1, 1, 1, 0, 0>, value = 0.5 : f64}
       : (tensor<1x8x8x24xf32>) -> tensor<1x10x10x24xf32>
  return %3 : tensor<1x10x10x24xf32>
}
