// RUN: qopt %s -split-input-file --qopt-rewrite-multipliers | FileCheck %s
// RUN: qopt %s -split-input-file --qopt-rewrite-multipliers=rounding=single | FileCheck %s --check-prefix=SINGLE
// RUN: qopt %s -split-input-file --qopt-rewrite-multipliers=numerics=pytorch-qnnpack | FileCheck %s --check-prefix=QNNPACK

// Scales are powers of two so that every multiplier is exact:
// M = M0 * 2^(shift - 31) with M0 = 2^30 means M = 2^(shift - 1).

!in = !quant.uniform<i8:f32, 0.5:3>
!w = !quant.uniform<i8:f32:0, {0.25, 0.125}>
!b = !quant.uniform<i32:f32:0, {0.125, 0.0625}>
!out = !quant.uniform<i8:f32, 0.05:-10>

// Conv: M[c] = 0.5 * {0.25, 0.125} / 0.05 = {2.5, 1.25}: M0 = 0.625 * 2^31,
// shift 2 and 1. The ReLU6 after it becomes the rescale's clamp: real 0 is
// -10, real 6 is -10 + 6 / 0.05 = 110.
// CHECK-LABEL: func.func @conv2d
// CHECK-SAME:    (%[[X:.*]]: tensor<1x2x2x2xi8>)
// CHECK:         %[[W:.*]] = arith.constant dense<{{.*}}> : tensor<2x1x1x2xi8>
// CHECK:         %[[B:.*]] = arith.constant dense<[8, -8]> : tensor<2xi32>
// CHECK:         %[[ACC:.*]] = qnn.int.conv2d %[[X]], %[[W]], %[[B]] {filter_zp = array<i64: 0, 0>, input_zp = 3 : i64} : (tensor<1x2x2x2xi8>, tensor<2x1x1x2xi8>, tensor<2xi32>) -> tensor<1x2x2x2xi32>
// CHECK-NEXT:    %[[Y:.*]] = qnn.int.rescale %[[ACC]] {clamp_max = 110 : i64, clamp_min = -10 : i64, multiplier = array<i32: 1342177280, 1342177280>, output_zp = -10 : i64, shift = array<i32: 2, 1>} : (tensor<1x2x2x2xi32>) -> tensor<1x2x2x2xi8>
// CHECK-NEXT:    return %[[Y]]
// SINGLE-LABEL: func.func @conv2d
// SINGLE:         qnn.int.rescale {{.*}}rounding = #qnn.rounding<single_round>
func.func @conv2d(%x: tensor<1x2x2x2x!in>) -> tensor<1x2x2x2x!out> {
  %w = qnn.const dense<[[[[1, -1]]], [[[2, 3]]]]> : tensor<2x1x1x2xi8> -> tensor<2x1x1x2x!w>
  %b = qnn.const dense<[8, -8]> : tensor<2xi32> -> tensor<2x!b>
  %0 = qnn.conv2d %x, %w, %b : (tensor<1x2x2x2x!in>, tensor<2x1x1x2x!w>, tensor<2x!b>) -> tensor<1x2x2x2x!out>
  %1 = qnn.clamp %0 {min = 0.0 : f64, max = 6.0 : f64} : tensor<1x2x2x2x!out>
  return %1 : tensor<1x2x2x2x!out>
}

// -----

!u = !quant.uniform<u8:f32, 0.25:128>
!wu = !quant.uniform<u8:f32, 0.5:100>
!bu = !quant.uniform<i32:f32, 0.125>
!o = !quant.uniform<u8:f32, 1.0:7>

// Unsigned storage becomes ui8 and keeps its bits. M = 0.25 * 0.5 / 1 =
// 2^-3: M0 = 2^30, shift -2. A weight zero point stays on the op.
// CHECK-LABEL: func.func @fully_connected_unsigned
// CHECK:         arith.constant dense<{{\[}}[200, 100]]> : tensor<1x2xui8>
// CHECK:         qnn.int.fully_connected {{.*}} {input_zp = 128 : i64, weights_zp = array<i64: 100>} : (tensor<3x2xui8>, tensor<1x2xui8>) -> tensor<3x1xi32>
// CHECK-NEXT:    qnn.int.rescale {{.*}} {multiplier = array<i32: 1073741824>, output_zp = 7 : i64, shift = array<i32: -2>} : (tensor<3x1xi32>) -> tensor<3x1xui8>
func.func @fully_connected_unsigned(%x: tensor<3x2x!u>) -> tensor<3x1x!o> {
  %w = qnn.const dense<[[200, 100]]> : tensor<1x2xui8> -> tensor<1x2x!wu>
  %0 = qnn.fully_connected %x, %w : (tensor<3x2x!u>, tensor<1x2x!wu>) -> tensor<3x1x!o>
  return %0 : tensor<3x1x!o>
}

// -----

!a = !quant.uniform<i8:f32, 0.5:-3>
!b = !quant.uniform<i8:f32, 0.25:5>
!s = !quant.uniform<i8:f32, 1.0:1>
!p = !quant.uniform<i8:f32, 0.125:0>

// add: 2 * max(0.5, 0.25) = 1, so M_lhs = 1/2 (2^30, 0), M_rhs = 1/4
// (2^30, -1), M_out = 1 / (2^20 * 1) (2^30, -19).
// mul: M = 0.5 * 0.25 / 0.125 = 1 (2^30, 1).
// CHECK-LABEL: func.func @elementwise
// CHECK:         qnn.int.add %{{.*}}, %{{.*}} {lhs_multiplier = 1073741824 : i32, lhs_shift = 0 : i32, lhs_zp = -3 : i64, output_multiplier = 1073741824 : i32, output_shift = -19 : i32, output_zp = 1 : i64, rhs_multiplier = 1073741824 : i32, rhs_shift = -1 : i32, rhs_zp = 5 : i64} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
// CHECK:         qnn.int.mul %{{.*}}, %{{.*}} {lhs_zp = -3 : i64, multiplier = 1073741824 : i32, rhs_zp = 5 : i64, shift = 1 : i32} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
// With numerics=pytorch-qnnpack, qnnpack's add: the ratios 0.5 / 1 and
// 0.25 / 1, the larger in [2^-1, 1), so a right shift of 21 + 1 and
// multipliers 0.5 * 2^22 and 0.25 * 2^22.
// QNNPACK-LABEL: func.func @elementwise
// QNNPACK:         qnn.int.weighted_add %{{.*}}, %{{.*}} {lhs_multiplier = 2097152 : i32, lhs_zp = -3 : i64, output_zp = 1 : i64, rhs_multiplier = 1048576 : i32, rhs_zp = 5 : i64, right_shift = 22 : i32} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
func.func @elementwise(%x: tensor<4x!a>, %y: tensor<4x!b>) -> (tensor<4x!s>, tensor<4x!p>) {
  %0 = qnn.add %x, %y : (tensor<4x!a>, tensor<4x!b>) -> tensor<4x!s>
  %1 = qnn.mul %x, %y : (tensor<4x!a>, tensor<4x!b>) -> tensor<4x!p>
  return %0, %1 : tensor<4x!s>, tensor<4x!p>
}

// -----

!q = !quant.uniform<i8:f32, 0.5:-3>
!r = !quant.uniform<i8:f32, 0.25:10>

// requantize: M = 0.5 / 0.25 = 2 (2^30, 2). The average pool keeps its
// input's parameters and rescales after it; pad fills real 0, i.e. the zero
// point; data movement keeps its op on storage values.
// CHECK-LABEL: func.func @data_movement
// CHECK-SAME:    (%[[X:.*]]: tensor<1x4x4x1xf32>)
// CHECK:         %[[Q:.*]] = qnn.int.quantize %[[X]] {scale = 5.000000e-01 : f64, zero_point = -3 : i64} : (tensor<1x4x4x1xf32>) -> tensor<1x4x4x1xi8>
// CHECK-NEXT:    %[[P:.*]] = qnn.int.pad %[[Q]] {padding = array<i64: 0, 0, 1, 1, 1, 1, 0, 0>, value = -3 : i64}
// CHECK-NEXT:    %[[M:.*]] = qnn.max_pool2d %[[P]] {{.*}} : (tensor<1x6x6x1xi8>) -> tensor<1x3x3x1xi8>
// CHECK-NEXT:    %[[A:.*]] = qnn.int.avg_pool2d %[[M]] {kernel = array<i64: 3, 3>} : (tensor<1x3x3x1xi8>) -> tensor<1x1x1x1xi8>
// CHECK-NEXT:    %[[S:.*]] = qnn.int.rescale %[[A]] {input_zp = -3 : i64, multiplier = array<i32: 1073741824>, output_zp = 10 : i64, shift = array<i32: 2>}
// CHECK-NEXT:    %[[R:.*]] = qnn.reshape %[[S]] : (tensor<1x1x1x1xi8>) -> tensor<1x1xi8>
// CHECK-NEXT:    %[[C:.*]] = qnn.concat %[[R]], %[[R]] {axis = 1 : i64} : (tensor<1x1xi8>, tensor<1x1xi8>) -> tensor<1x2xi8>
// CHECK-NEXT:    %[[RQ:.*]] = qnn.int.rescale %[[C]] {input_zp = 10 : i64, multiplier = array<i32: 1073741824>, output_zp = -3 : i64, shift = array<i32: 0>}
// CHECK-NEXT:    %[[D:.*]] = qnn.int.dequantize %[[RQ]] {scale = 5.000000e-01 : f64, zero_point = -3 : i64} : (tensor<1x2xi8>) -> tensor<1x2xf32>
// CHECK-NEXT:    return %[[D]]
func.func @data_movement(%x: tensor<1x4x4x1xf32>) -> tensor<1x2xf32> {
  %0 = qnn.quantize %x : (tensor<1x4x4x1xf32>) -> tensor<1x4x4x1x!q>
  %1 = qnn.pad %0 {padding = array<i64: 0, 0, 1, 1, 1, 1, 0, 0>} : (tensor<1x4x4x1x!q>) -> tensor<1x6x6x1x!q>
  %2 = qnn.max_pool2d %1 {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x6x6x1x!q>) -> tensor<1x3x3x1x!q>
  %3 = qnn.avg_pool2d %2 {kernel = array<i64: 3, 3>} : (tensor<1x3x3x1x!q>) -> tensor<1x1x1x1x!r>
  %4 = qnn.reshape %3 : (tensor<1x1x1x1x!r>) -> tensor<1x1x!r>
  %5 = qnn.concat %4, %4 {axis = 1 : i64} : (tensor<1x1x!r>, tensor<1x1x!r>) -> tensor<1x2x!r>
  %6 = qnn.requantize %5 : (tensor<1x2x!r>) -> tensor<1x2x!q>
  %7 = qnn.dequantize %6 : (tensor<1x2x!q>) -> tensor<1x2xf32>
  return %7 : tensor<1x2xf32>
}

// -----

// Quantized function signatures become storage integers too.
// CHECK-LABEL: func.func @requantize_signature
// CHECK-SAME:    (%[[X:.*]]: tensor<4xui8>) -> tensor<4xi8>
// CHECK-NEXT:    %[[Y:.*]] = qnn.int.rescale %[[X]] {input_zp = 128 : i64, multiplier = array<i32: 1073741824>, shift = array<i32: 1>} : (tensor<4xui8>) -> tensor<4xi8>
// CHECK-NEXT:    return %[[Y]] : tensor<4xi8>
func.func @requantize_signature(%x: tensor<4x!quant.uniform<u8:f32, 0.5:128>>) -> tensor<4x!quant.uniform<i8:f32, 0.5>> {
  %0 = qnn.requantize %x : (tensor<4x!quant.uniform<u8:f32, 0.5:128>>) -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  return %0 : tensor<4x!quant.uniform<i8:f32, 0.5>>
}

// -----

// A narrow storage range is not the whole i8: the rescale clamps to it.
// CHECK-LABEL: func.func @narrow_output
// CHECK:         qnn.int.rescale %{{.*}} {clamp_max = 127 : i64, clamp_min = -127 : i64, multiplier = array<i32: 1073741824>, shift = array<i32: 1>}
func.func @narrow_output(%x: tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4x!quant.uniform<i8<-127:127>:f32, 0.5>> {
  %0 = qnn.requantize %x : (tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4x!quant.uniform<i8<-127:127>:f32, 0.5>>
  return %0 : tensor<4x!quant.uniform<i8<-127:127>:f32, 0.5>>
}

// -----

// Clamp bounds in float32, as TensorFlow Lite's
// CalculateActivationRangeQuantized: S = 0.2448979616165161 is a float32 and
// 6 / S is exactly 24.5 in float32, which rounds to 25 (-128 + 25 = -103);
// in double it is 24.4999998 and would give 24.
// CHECK-LABEL: func.func @relu6_float32_tie
// CHECK:         qnn.int.clamp %{{.*}} {max = -103 : i64, min = -128 : i64} : tensor<4xi8>
func.func @relu6_float32_tie(%x: tensor<4x!quant.uniform<i8:f32, 0.2448979616165161:-128>>) -> tensor<4x!quant.uniform<i8:f32, 0.2448979616165161:-128>> {
  %0 = qnn.clamp %x {min = 0.0 : f64, max = 6.0 : f64} : tensor<4x!quant.uniform<i8:f32, 0.2448979616165161:-128>>
  return %0 : tensor<4x!quant.uniform<i8:f32, 0.2448979616165161:-128>>
}
