// RUN: qopt %s | qopt | FileCheck %s
// RUN: qopt %s --mlir-print-op-generic | qopt | FileCheck %s

// Every integer-level op round-trips; all quantization parameters are
// attributes of plain integer tensors.

// CHECK-LABEL: func.func @conv2d
func.func @conv2d(%input: tensor<1x8x8x3xi8>, %bias: tensor<2xi32>) -> tensor<1x8x8x2xi32> {
  // CHECK: arith.constant dense<3> : tensor<2x3x3x3xi8>
  %filter = arith.constant dense<3> : tensor<2x3x3x3xi8>
  // CHECK: qnn.int.conv2d %{{.*}}, %{{.*}}, %{{.*}} {filter_zp = array<i64: 0, 1>, input_zp = -128 : i64, padding = array<i64: 1, 1, 1, 1>} : (tensor<1x8x8x3xi8>, tensor<2x3x3x3xi8>, tensor<2xi32>) -> tensor<1x8x8x2xi32>
  %0 = qnn.int.conv2d %input, %filter, %bias {input_zp = -128 : i64,
         filter_zp = array<i64: 0, 1>, padding = array<i64: 1, 1, 1, 1>}
       : (tensor<1x8x8x3xi8>, tensor<2x3x3x3xi8>, tensor<2xi32>) -> tensor<1x8x8x2xi32>
  return %0 : tensor<1x8x8x2xi32>
}

// CHECK-LABEL: func.func @depthwise_conv2d
func.func @depthwise_conv2d(%input: tensor<1x8x8x4xui8>, %filter: tensor<1x3x3x4xui8>)
    -> tensor<1x3x3x4xi32> {
  // CHECK: qnn.int.depthwise_conv2d %{{.*}}, %{{.*}} {filter_zp = array<i64: 255>, input_zp = 3 : i64, strides = array<i64: 2, 2>} : (tensor<1x8x8x4xui8>, tensor<1x3x3x4xui8>) -> tensor<1x3x3x4xi32>
  %0 = qnn.int.depthwise_conv2d %input, %filter {input_zp = 3 : i64,
         filter_zp = array<i64: 255>, strides = array<i64: 2, 2>}
       : (tensor<1x8x8x4xui8>, tensor<1x3x3x4xui8>) -> tensor<1x3x3x4xi32>
  return %0 : tensor<1x3x3x4xi32>
}

// CHECK-LABEL: func.func @fully_connected
func.func @fully_connected(%input: tensor<2x64xui8>, %weights: tensor<10x64xi8>,
                           %bias: tensor<10xi32>) -> tensor<2x10xi32> {
  // CHECK: qnn.int.fully_connected %{{.*}}, %{{.*}}, %{{.*}} {input_zp = 128 : i64} : (tensor<2x64xui8>, tensor<10x64xi8>, tensor<10xi32>) -> tensor<2x10xi32>
  %0 = qnn.int.fully_connected %input, %weights, %bias {input_zp = 128 : i64}
       : (tensor<2x64xui8>, tensor<10x64xi8>, tensor<10xi32>) -> tensor<2x10xi32>
  // Sixteen-bit activations (TFLite's 16x8 scheme).
  %1 = arith.constant dense<7> : tensor<2x64xi16>
  // CHECK: qnn.int.fully_connected %{{.*}}, %{{.*}} : (tensor<2x64xi16>, tensor<10x64xi8>) -> tensor<2x10xi32>
  %2 = qnn.int.fully_connected %1, %weights : (tensor<2x64xi16>, tensor<10x64xi8>) -> tensor<2x10xi32>
  return %0 : tensor<2x10xi32>
}

// CHECK-LABEL: func.func @rescale
func.func @rescale(%acc: tensor<1x4x4x2xi32>, %x: tensor<8xui8>) -> (tensor<1x4x4x2xi8>, tensor<8xi8>) {
  // CHECK: qnn.int.rescale %{{.*}} {clamp_max = 127 : i64, clamp_min = 0 : i64, multiplier = array<i32: 1395864371, 1174405120>, output_zp = -128 : i64, shift = array<i32: -7, -6>} : (tensor<1x4x4x2xi32>) -> tensor<1x4x4x2xi8>
  %0 = qnn.int.rescale %acc {multiplier = array<i32: 1395864371, 1174405120>,
         shift = array<i32: -7, -6>, output_zp = -128 : i64,
         clamp_min = 0 : i64, clamp_max = 127 : i64}
       : (tensor<1x4x4x2xi32>) -> tensor<1x4x4x2xi8>
  // Multipliers >= 1 have a positive shift; rounding may be single.
  // CHECK: qnn.int.rescale %{{.*}} {input_zp = 128 : i64, multiplier = array<i32: 1073741824>, rounding = #qnn.rounding<single_round>, shift = array<i32: 2>} : (tensor<8xui8>) -> tensor<8xi8>
  %1 = qnn.int.rescale %x {input_zp = 128 : i64, multiplier = array<i32: 1073741824>,
         shift = array<i32: 2>, rounding = #qnn.rounding<single_round>}
       : (tensor<8xui8>) -> tensor<8xi8>
  return %0, %1 : tensor<1x4x4x2xi8>, tensor<8xi8>
}

// CHECK-LABEL: func.func @elementwise
func.func @elementwise(%a: tensor<4xi8>, %b: tensor<4xi8>) -> tensor<4xi8> {
  // CHECK: qnn.int.add %{{.*}}, %{{.*}} {clamp_max = 100 : i64, clamp_min = -100 : i64, lhs_multiplier = 1073741824 : i32, lhs_shift = 0 : i32, lhs_zp = -3 : i64, output_multiplier = 1288490189 : i32, output_shift = -18 : i32, output_zp = 1 : i64, rhs_multiplier = 1431655765 : i32, rhs_shift = -1 : i32, rhs_zp = 5 : i64} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  %0 = qnn.int.add %a, %b {lhs_zp = -3 : i64, rhs_zp = 5 : i64, output_zp = 1 : i64,
         left_shift = 20 : i64, lhs_multiplier = 1073741824 : i32, lhs_shift = 0 : i32,
         rhs_multiplier = 1431655765 : i32, rhs_shift = -1 : i32,
         output_multiplier = 1288490189 : i32, output_shift = -18 : i32,
         clamp_min = -100 : i64, clamp_max = 100 : i64}
       : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  // CHECK: qnn.int.weighted_add %{{.*}}, %{{.*}} {clamp_min = -20 : i64, lhs_multiplier = 2796203 : i32, lhs_zp = -3 : i64, output_zp = 1 : i64, rhs_multiplier = 2097152 : i32, right_shift = 22 : i32} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  %w = qnn.int.weighted_add %a, %b {lhs_zp = -3 : i64, rhs_zp = 0 : i64, output_zp = 1 : i64,
         lhs_multiplier = 2796203 : i32, rhs_multiplier = 2097152 : i32,
         right_shift = 22 : i32, clamp_min = -20 : i64}
       : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  // CHECK: qnn.int.mul %{{.*}}, %{{.*}} {multiplier = 1073741824 : i32, rhs_zp = 2 : i64, shift = -3 : i32} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  %1 = qnn.int.mul %0, %b {lhs_zp = 0 : i64, rhs_zp = 2 : i64, output_zp = 0 : i64,
         multiplier = 1073741824 : i32, shift = -3 : i32}
       : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  // CHECK: qnn.int.clamp %{{.*}} {max = 127 : i64, min = -128 : i64} : tensor<4xi8>
  %2 = qnn.int.clamp %1 {min = -128 : i64, max = 127 : i64} : tensor<4xi8>
  return %2 : tensor<4xi8>
}

// CHECK-LABEL: func.func @pooling_and_padding
func.func @pooling_and_padding(%x: tensor<1x8x8x16xui8>) -> tensor<1x6x6x16xui8> {
  // CHECK: qnn.int.avg_pool2d %{{.*}} {clamp_max = 200 : i64, kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x8x8x16xui8>) -> tensor<1x4x4x16xui8>
  %0 = qnn.int.avg_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>,
         clamp_max = 200 : i64} : (tensor<1x8x8x16xui8>) -> tensor<1x4x4x16xui8>
  // Data movement ops take integer tensors directly.
  // CHECK: qnn.max_pool2d %{{.*}} {kernel = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>} : (tensor<1x4x4x16xui8>) -> tensor<1x4x4x16xui8>
  %1 = qnn.max_pool2d %0 {kernel = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>}
       : (tensor<1x4x4x16xui8>) -> tensor<1x4x4x16xui8>
  // CHECK: qnn.int.pad %{{.*}} {padding = array<i64: 0, 0, 1, 1, 1, 1, 0, 0>, value = 128 : i64} : (tensor<1x4x4x16xui8>) -> tensor<1x6x6x16xui8>
  %2 = qnn.int.pad %1 {padding = array<i64: 0, 0, 1, 1, 1, 1, 0, 0>, value = 128 : i64}
       : (tensor<1x4x4x16xui8>) -> tensor<1x6x6x16xui8>
  // CHECK: qnn.concat %{{.*}}, %{{.*}} {axis = 0 : i64} : (tensor<1x6x6x16xui8>, tensor<1x6x6x16xui8>) -> tensor<2x6x6x16xui8>
  %3 = qnn.concat %2, %2 {axis = 0 : i64}
       : (tensor<1x6x6x16xui8>, tensor<1x6x6x16xui8>) -> tensor<2x6x6x16xui8>
  // CHECK: qnn.reshape %{{.*}} : (tensor<2x6x6x16xui8>) -> tensor<1x12x6x16xui8>
  %4 = qnn.reshape %3 : (tensor<2x6x6x16xui8>) -> tensor<1x12x6x16xui8>
  return %2 : tensor<1x6x6x16xui8>
}

// CHECK-LABEL: func.func @level_boundary
func.func @level_boundary(%x: tensor<1x8xf32>) -> tensor<1x8xf32> {
  // CHECK: qnn.int.quantize %{{.*}} {scale = 7.812500e-03 : f64, zero_point = -1 : i64} : (tensor<1x8xf32>) -> tensor<1x8xi8>
  %0 = qnn.int.quantize %x {scale = 0.0078125 : f64, zero_point = -1 : i64} : (tensor<1x8xf32>) -> tensor<1x8xi8>
  // CHECK: qnn.int.dequantize %{{.*}} {scale = 7.812500e-03 : f64, zero_point = -1 : i64} : (tensor<1x8xi8>) -> tensor<1x8xf32>
  %1 = qnn.int.dequantize %0 {scale = 0.0078125 : f64, zero_point = -1 : i64} : (tensor<1x8xi8>) -> tensor<1x8xf32>
  return %1 : tensor<1x8xf32>
}
