// DEFINE: %{types} = -DACT='quant.uniform<u8:f32, 5.000000e-02:128>' \
// DEFINE:   -DWPC='quant.uniform<i8<-127:127>:f32:0, {2.000000e-02,4.000000e-02}>' \
// DEFINE:   -DBPC='quant.uniform<i32:f32:0, {1.000000e-03,2.000000e-03}>'
// RUN: qopt %s | qopt | FileCheck %s %{types}
// RUN: qopt %s --mlir-print-op-generic | qopt | FileCheck %s %{types}

// Every quantized-level op round-trips, with per-tensor and per-axis
// !quant.uniform types.

!act = !quant.uniform<u8:f32, 0.05:128>
!out = !quant.uniform<u8:f32, 0.1:0>
!act8 = !quant.uniform<i8:f32, 0.05:-1>
!w = !quant.uniform<i8:f32, 0.02>
!w_pc = !quant.uniform<i8<-127:127>:f32:0, {0.02, 0.04}>
!w_dw = !quant.uniform<i8<-127:127>:f32:3, {0.02, 0.04, 0.01, 0.03}>
!b = !quant.uniform<i32:f32, 0.001>
!b_pc = !quant.uniform<i32:f32:0, {0.001, 0.002}>
!b_dw = !quant.uniform<i32:f32:0, {0.001, 0.002, 0.0005, 0.0015}>

// CHECK-LABEL: func.func @conv2d_per_channel
func.func @conv2d_per_channel(%input: tensor<1x4x4x3x!act>, %bias: tensor<2x!b_pc>)
    -> tensor<1x2x2x2x!out> {
  // CHECK: qnn.const dense<{{.*}}> : tensor<2x3x3x3xi8> -> tensor<2x3x3x3x![[WPC]]>
  %filter = qnn.const dense<1> : tensor<2x3x3x3xi8> -> tensor<2x3x3x3x!w_pc>
  // CHECK: qnn.conv2d %{{.*}}, %{{.*}}, %{{.*}} : (tensor<1x4x4x3x![[ACT]]>, tensor<2x3x3x3x![[WPC]]>, tensor<2x![[BPC]]>) -> tensor<1x2x2x2x!
  %0 = qnn.conv2d %input, %filter, %bias
       : (tensor<1x4x4x3x!act>, tensor<2x3x3x3x!w_pc>, tensor<2x!b_pc>) -> tensor<1x2x2x2x!out>
  return %0 : tensor<1x2x2x2x!out>
}

// CHECK-LABEL: func.func @depthwise_per_channel
func.func @depthwise_per_channel(%input: tensor<1x4x4x2x!act>, %filter: tensor<1x3x3x4x!w_dw>,
                                 %bias: tensor<4x!b_dw>) -> tensor<1x4x4x4x!out> {
  // CHECK: qnn.depthwise_conv2d {{.*}} {padding = array<i64: 1, 1, 1, 1>}
  %0 = qnn.depthwise_conv2d %input, %filter, %bias {padding = array<i64: 1, 1, 1, 1>}
       : (tensor<1x4x4x2x!act>, tensor<1x3x3x4x!w_dw>, tensor<4x!b_dw>) -> tensor<1x4x4x4x!out>
  return %0 : tensor<1x4x4x4x!out>
}

// CHECK-LABEL: func.func @fully_connected_per_tensor
func.func @fully_connected_per_tensor(%input: tensor<2x8x!act>, %weights: tensor<4x8x!w>,
                                      %bias: tensor<4x!b>) -> tensor<2x4x!out> {
  // CHECK: qnn.fully_connected {{.*}} -> tensor<2x4x!
  %0 = qnn.fully_connected %input, %weights, %bias
       : (tensor<2x8x!act>, tensor<4x8x!w>, tensor<4x!b>) -> tensor<2x4x!out>
  return %0 : tensor<2x4x!out>
}

// CHECK-LABEL: func.func @elementwise
func.func @elementwise(%a: tensor<4x!act>, %b: tensor<4x!out>) -> tensor<4x!act> {
  // Each operand keeps its own scale.
  // CHECK: qnn.add {{.*}} : (tensor<4x![[ACT]]>, tensor<4x!{{.*}}>) -> tensor<4x!
  %0 = qnn.add %a, %b : (tensor<4x!act>, tensor<4x!out>) -> tensor<4x!out>
  // CHECK: qnn.mul
  %1 = qnn.mul %0, %a : (tensor<4x!out>, tensor<4x!act>) -> tensor<4x!act>
  // CHECK: qnn.clamp %{{.*}} {max = 6.000000e+00 : f64, min = 0.000000e+00 : f64} : tensor<4x![[ACT]]>
  %2 = qnn.clamp %1 {min = 0.0 : f64, max = 6.0 : f64} : tensor<4x!act>
  return %2 : tensor<4x!act>
}

// CHECK-LABEL: func.func @pooling_and_data_movement
func.func @pooling_and_data_movement(%x: tensor<1x4x4x2x!act>) -> tensor<1x4x4x4x!act> {
  // CHECK: qnn.avg_pool2d {{.*}} -> tensor<1x2x2x2x!
  %0 = qnn.avg_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>}
       : (tensor<1x4x4x2x!act>) -> tensor<1x2x2x2x!out>
  // CHECK: qnn.max_pool2d {{.*}} -> tensor<1x2x2x2x![[ACT]]>
  %1 = qnn.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>}
       : (tensor<1x4x4x2x!act>) -> tensor<1x2x2x2x!act>
  // CHECK: qnn.pad {{.*}} -> tensor<1x4x4x2x![[ACT]]>
  %2 = qnn.pad %1 {padding = array<i64: 0, 0, 1, 1, 1, 1, 0, 0>}
       : (tensor<1x2x2x2x!act>) -> tensor<1x4x4x2x!act>
  // CHECK: qnn.concat {{.*}} {axis = 2 : i64} : (tensor<1x4x4x2x![[ACT]]>, tensor<1x4x4x2x![[ACT]]>) -> tensor<1x4x8x2x![[ACT]]>
  %3 = qnn.concat %2, %x {axis = 2 : i64}
       : (tensor<1x4x4x2x!act>, tensor<1x4x4x2x!act>) -> tensor<1x4x8x2x!act>
  // CHECK: qnn.reshape {{.*}} -> tensor<1x4x4x4x![[ACT]]>
  %4 = qnn.reshape %3 : (tensor<1x4x8x2x!act>) -> tensor<1x4x4x4x!act>
  return %4 : tensor<1x4x4x4x!act>
}

// CHECK-LABEL: func.func @level_changes
func.func @level_changes(%x: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK: qnn.quantize %{{.*}} : (tensor<4xf32>) -> tensor<4x![[ACT]]>
  %0 = qnn.quantize %x : (tensor<4xf32>) -> tensor<4x!act>
  // CHECK: qnn.requantize %{{.*}} : (tensor<4x![[ACT]]>) -> tensor<4x!
  %1 = qnn.requantize %0 : (tensor<4x!act>) -> tensor<4x!act8>
  // CHECK: qnn.dequantize %{{.*}} : (tensor<4x!{{.*}}>) -> tensor<4xf32>
  %2 = qnn.dequantize %1 : (tensor<4x!act8>) -> tensor<4xf32>
  return %2 : tensor<4xf32>
}

// CHECK-LABEL: func.func @per_axis_quantize
func.func @per_axis_quantize(%w: tensor<2x3x3x3xf32>) -> tensor<2x3x3x3x!w_pc> {
  // CHECK: qnn.quantize %{{.*}} : (tensor<2x3x3x3xf32>) -> tensor<2x3x3x3x![[WPC]]>
  %0 = qnn.quantize %w : (tensor<2x3x3x3xf32>) -> tensor<2x3x3x3x!w_pc>
  return %0 : tensor<2x3x3x3x!w_pc>
}
