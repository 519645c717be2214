// The integer level: qnn.int.* ops exactly as their descriptions say, every
// parameter an attribute. Expected values are worked out by hand.

// RUN: qopt-run %s --function rescale_rounding | FileCheck %s --check-prefix=ROUNDING
// RUN: qopt-run %s --function rescale_per_channel | FileCheck %s --check-prefix=PER-CHANNEL
// RUN: qopt-run %s --function rescale_input_zp | FileCheck %s --check-prefix=INPUT-ZP
// RUN: qopt-run %s --function conv2d | FileCheck %s --check-prefix=CONV2D
// RUN: qopt-run %s --function depthwise_conv2d | FileCheck %s --check-prefix=DEPTHWISE
// RUN: qopt-run %s --function grouped_conv2d | FileCheck %s --check-prefix=GROUPED
// RUN: qopt-run %s --function add | FileCheck %s --check-prefix=ADD
// RUN: qopt-run %s --function weighted_add | FileCheck %s --check-prefix=WEIGHTED-ADD
// RUN: qopt-run %s --function mul | FileCheck %s --check-prefix=MUL
// RUN: qopt-run %s --function clamp_pad | FileCheck %s --check-prefix=CLAMP-PAD
// RUN: qopt-run %s --function avg_pool2d | FileCheck %s --check-prefix=AVGPOOL
// RUN: qopt-run %s --function quantize_dequantize | FileCheck %s --check-prefix=QDQ

// M = 0.25 = (2^30, -1) on [1, -2, 1000], and M = 0.3 = (1288490189, -1) on
// 1000 (docs/design.md, "Two rounding conventions"):
//   double_round: SRDHM(1, 2^30) = 1 (0.5 up), RDBPOT(1, 1) = 1 (0.5 away);
//                 SRDHM(-2, 2^30) = -1, RDBPOT(-1, 1) = -1 (-0.5 away)
//   single_round: (2^30 + 2^31) >> 32 = 0; (-2^31 + 2^31) >> 32 = 0
// ROUNDING: tensor<4xi8>: [1, -1, 127, 127]
// ROUNDING-NEXT: tensor<4xi8>: [0, 0, 127, 127]
// ROUNDING-NEXT: tensor<1xi16>: [300]
// ROUNDING-NEXT: tensor<1xi16>: [300]
func.func @rescale_rounding() -> (tensor<4xi8>, tensor<4xi8>, tensor<1xi16>, tensor<1xi16>) {
  %x = arith.constant dense<[1, -2, 1000, 2147483647]> : tensor<4xi32>
  %0 = qnn.int.rescale %x {multiplier = array<i32: 1073741824>, shift = array<i32: -1>}
       : (tensor<4xi32>) -> tensor<4xi8>
  %1 = qnn.int.rescale %x {multiplier = array<i32: 1073741824>, shift = array<i32: -1>,
         rounding = #qnn.rounding<single_round>}
       : (tensor<4xi32>) -> tensor<4xi8>
  %y = arith.constant dense<1000> : tensor<1xi32>
  %2 = qnn.int.rescale %y {multiplier = array<i32: 1288490189>, shift = array<i32: -1>}
       : (tensor<1xi32>) -> tensor<1xi16>
  %3 = qnn.int.rescale %y {multiplier = array<i32: 1288490189>, shift = array<i32: -1>,
         rounding = #qnn.rounding<single_round>}
       : (tensor<1xi32>) -> tensor<1xi16>
  return %0, %1, %2, %3 : tensor<4xi8>, tensor<4xi8>, tensor<1xi16>, tensor<1xi16>
}

// Channel 0: M = 0.5 (2^30, 0); channel 1: M = 0.125 (2^30, -2); output zero
// point 5, clamp [-10, 40]:
//   c0: 100 -> 50 + 5 = 55 -> 40;   -100 -> -50 + 5 = -45 -> -10
//   c1: 100 -> SRDHM 50, RDBPOT(50, 2) = 12.5 -> 13, + 5 = 18
//       7 -> SRDHM 3.5 -> 4, RDBPOT(4, 2) = 1, + 5 = 6
// PER-CHANNEL: {{\[\[}}40, 18], [-10, 6]]
func.func @rescale_per_channel() -> tensor<2x2xi8> {
  %x = arith.constant dense<[[100, 100], [-100, 7]]> : tensor<2x2xi32>
  %0 = qnn.int.rescale %x {multiplier = array<i32: 1073741824, 1073741824>,
         shift = array<i32: 0, -2>, output_zp = 5 : i64,
         clamp_min = -10 : i64, clamp_max = 40 : i64}
       : (tensor<2x2xi32>) -> tensor<2x2xi8>
  return %0 : tensor<2x2xi8>
}

// i8 with zero point -128 to ui8 with zero point 0 at M = 1 (2^30, 1).
// INPUT-ZP: tensor<3xui8>: [0, 128, 255]
func.func @rescale_input_zp() -> tensor<3xui8> {
  %x = arith.constant dense<[-128, 0, 127]> : tensor<3xi8>
  %0 = qnn.int.rescale %x {input_zp = -128 : i64, multiplier = array<i32: 1073741824>,
         shift = array<i32: 1>}
       : (tensor<3xi8>) -> tensor<3xui8>
  return %0 : tensor<3xui8>
}

// The accumulators of quantized.mlir's conv2d_per_channel: input_zp 100,
// filter o1 stored with its zero point 1 added, bias [10, 20].
//   o0: [[2, 6], [-2, 2]] + 10;   o1: [[-4, -8], [8, 4]] + 20
// CONV2D: tensor<1x2x2x2xi32>: {{\[\[\[\[}}12, 16], [16, 12]], {{\[\[}}8, 28], [12, 24]]]]
func.func @conv2d() -> tensor<1x2x2x2xi32> {
  %input = arith.constant dense<[[[[102], [104]], [[96], [100]]]]> : tensor<1x2x2x1xui8>
  %filter = arith.constant dense<[[[[1], [1]], [[1], [1]]], [[[3], [1]], [[1], [-1]]]]>
            : tensor<2x2x2x1xi8>
  %bias = arith.constant dense<[10, 20]> : tensor<2xi32>
  %0 = qnn.int.conv2d %input, %filter, %bias {input_zp = 100 : i64,
         filter_zp = array<i64: 0, 1>, padding = array<i64: 1, 0, 1, 0>}
       : (tensor<1x2x2x1xui8>, tensor<2x2x2x1xi8>, tensor<2xi32>) -> tensor<1x2x2x2xi32>
  return %0 : tensor<1x2x2x2xi32>
}

// Two groups of 2 input and 2 output channels, a 1x2 window over two
// pixels. x - input_zp: p0 = [0, 1, 2, 3], p1 = [4, 5, 6, 7]. Group 0
// (channels 0, 1 of each pixel): o0 = p0[0] + p1[1] = 5, o1 = 2 p0[1] -
// p1[0] = -2; group 1 (channels 2, 3): o2 = p0[2] + p0[3] = 5, o3 with
// filter_zp 1 has taps [0, 0], [1, 0]: p1[2] = 6. Plus the bias.
// GROUPED: tensor<1x1x1x4xi32>: {{\[\[\[\[}}15, 18, 35, 46]]]]
func.func @grouped_conv2d() -> tensor<1x1x1x4xi32> {
  %input = arith.constant dense<[[[[1, 2, 3, 4], [5, 6, 7, 8]]]]> : tensor<1x1x2x4xi8>
  %filter = arith.constant dense<[[[[1, 0], [0, 1]]], [[[0, 2], [-1, 0]]],
                                  [[[1, 1], [0, 0]]], [[[1, 1], [2, 1]]]]>
            : tensor<4x1x2x2xi8>
  %bias = arith.constant dense<[10, 20, 30, 40]> : tensor<4xi32>
  %0 = qnn.int.conv2d %input, %filter, %bias {input_zp = 1 : i64,
         filter_zp = array<i64: 0, 0, 0, 1>, groups = 2 : i64}
       : (tensor<1x1x2x4xi8>, tensor<4x1x2x2xi8>, tensor<4xi32>) -> tensor<1x1x1x4xi32>
  return %0 : tensor<1x1x1x4xi32>
}

// Channels [2, 3] minus input_zp 1 are [1, 2]; depth multiplier 2:
// [1 * 1, 1 * 2, 2 * 3, 2 * 4]. The top padding row holds input_zp and sums
// to 0.
// DEPTHWISE: tensor<1x2x1x4xi32>: {{\[\[\[\[}}0, 0, 0, 0]], {{\[\[}}1, 2, 6, 8]]]]
func.func @depthwise_conv2d() -> tensor<1x2x1x4xi32> {
  %input = arith.constant dense<[[[[2, 3]]]]> : tensor<1x1x1x2xi8>
  %filter = arith.constant dense<[[[[1, 2, 3, 4]]]]> : tensor<1x1x1x4xi8>
  %0 = qnn.int.depthwise_conv2d %input, %filter {input_zp = 1 : i64,
         padding = array<i64: 1, 0, 0, 0>}
       : (tensor<1x1x1x2xi8>, tensor<1x1x1x4xi8>) -> tensor<1x2x1x4xi32>
  return %0 : tensor<1x2x1x4xi32>
}

// The parameters --qopt-rewrite-multipliers derives for quantized.mlir's add
// (S 0.5 + 0.25 -> 1), so the same result [2, 3, 3, -3]; then with
// clamp_max = 2.
// ADD: tensor<4xi8>: [2, 3, 3, -3]
// ADD-NEXT: tensor<4xi8>: [2, 2, 2, -3]
func.func @add() -> (tensor<4xi8>, tensor<4xi8>) {
  %a = arith.constant dense<[2, 5, 3, -3]> : tensor<4xi8>
  %b = arith.constant dense<[4, 3, 4, -4]> : tensor<4xi8>
  %0 = qnn.int.add %a, %b {lhs_zp = 0 : i64, rhs_zp = 0 : i64, output_zp = 0 : i64,
         left_shift = 20 : i64, lhs_multiplier = 1073741824 : i32, lhs_shift = 0 : i32,
         rhs_multiplier = 1073741824 : i32, rhs_shift = -1 : i32,
         output_multiplier = 1073741824 : i32, output_shift = -19 : i32}
       : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  %1 = qnn.int.add %a, %b {lhs_zp = 0 : i64, rhs_zp = 0 : i64, output_zp = 0 : i64,
         left_shift = 20 : i64, lhs_multiplier = 1073741824 : i32, lhs_shift = 0 : i32,
         rhs_multiplier = 1073741824 : i32, rhs_shift = -1 : i32,
         output_multiplier = 1073741824 : i32, output_shift = -19 : i32,
         clamp_max = 2 : i64}
       : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  return %0, %1 : tensor<4xi8>, tensor<4xi8>
}

// PyTorch qnnpack's add: acc = 3 (a - 1) + b = [6, 2, -2, -6, -3, 505],
// divided by 2^2 rounding ties away from zero: [1.5, 0.5, -0.5, -1.5, -0.75,
// 126.25] -> [2, 1, -1, -2, -1, 126]; plus 5, saturated to i8:
// [7, 6, 4, 3, 4, 127]; then clamped from 5 (ties half up would give 0 and
// -1 for -0.5 and -1.5).
// WEIGHTED-ADD: tensor<6xi8>: [7, 6, 4, 3, 4, 127]
// WEIGHTED-ADD-NEXT: tensor<6xi8>: [7, 6, 5, 5, 5, 127]
func.func @weighted_add() -> (tensor<6xi8>, tensor<6xi8>) {
  %a = arith.constant dense<[3, 1, 0, -1, 2, 127]> : tensor<6xi8>
  %b = arith.constant dense<[0, 2, 1, 0, -6, 127]> : tensor<6xi8>
  %0 = qnn.int.weighted_add %a, %b {lhs_zp = 1 : i64, output_zp = 5 : i64,
         lhs_multiplier = 3 : i32, rhs_multiplier = 1 : i32, right_shift = 2 : i32}
       : (tensor<6xi8>, tensor<6xi8>) -> tensor<6xi8>
  %1 = qnn.int.weighted_add %a, %b {lhs_zp = 1 : i64, output_zp = 5 : i64,
         lhs_multiplier = 3 : i32, rhs_multiplier = 1 : i32, right_shift = 2 : i32,
         clamp_min = 5 : i64}
       : (tensor<6xi8>, tensor<6xi8>) -> tensor<6xi8>
  return %0, %1 : tensor<6xi8>, tensor<6xi8>
}

// quantized.mlir's mul: M = 0.5 on (a - 2) * b = [16, 16, 3] -> [8, 8, 2].
// MUL: tensor<3xui8>: [8, 8, 2]
func.func @mul() -> tensor<3xui8> {
  %a = arith.constant dense<[4, 10, 3]> : tensor<3xui8>
  %b = arith.constant dense<[8, 2, 3]> : tensor<3xui8>
  %0 = qnn.int.mul %a, %b {lhs_zp = 2 : i64, rhs_zp = 0 : i64, output_zp = 0 : i64,
         multiplier = 1073741824 : i32, shift = 0 : i32}
       : (tensor<3xui8>, tensor<3xui8>) -> tensor<3xui8>
  return %0 : tensor<3xui8>
}

// CLAMP-PAD: tensor<3xi8>: [-1, 0, 3]
// CLAMP-PAD-NEXT: tensor<5xi8>: [-128, -128, -1, 3, -128]
func.func @clamp_pad() -> (tensor<3xi8>, tensor<5xi8>) {
  %x = arith.constant dense<[-5, 0, 5]> : tensor<3xi8>
  %0 = qnn.int.clamp %x {min = -1 : i64, max = 3 : i64} : tensor<3xi8>
  %y = arith.constant dense<[-1, 3]> : tensor<2xi8>
  %1 = qnn.int.pad %y {padding = array<i64: 2, 1>, value = -128 : i64}
       : (tensor<2xi8>) -> tensor<5xi8>
  return %0, %1 : tensor<3xi8>, tensor<5xi8>
}

// 1x2 windows: (-3 - 2) / 2 = -2.5 -> -3 and (3 + 2) / 2 = 2.5 -> 3, half
// away from zero; then with clamp_max = 2.
// AVGPOOL: tensor<1x2x1x1xi8>: {{\[\[\[\[}}-3]], {{\[\[}}3]]]]
// AVGPOOL-NEXT: tensor<1x2x1x1xi8>: {{\[\[\[\[}}-3]], {{\[\[}}2]]]]
func.func @avg_pool2d() -> (tensor<1x2x1x1xi8>, tensor<1x2x1x1xi8>) {
  %x = arith.constant dense<[[[[-3], [-2]], [[3], [2]]]]> : tensor<1x2x2x1xi8>
  %0 = qnn.int.avg_pool2d %x {kernel = array<i64: 1, 2>}
       : (tensor<1x2x2x1xi8>) -> tensor<1x2x1x1xi8>
  %1 = qnn.int.avg_pool2d %x {kernel = array<i64: 1, 2>, clamp_max = 2 : i64}
       : (tensor<1x2x2x1xi8>) -> tensor<1x2x1x1xi8>
  return %0, %1 : tensor<1x2x1x1xi8>, tensor<1x2x1x1xi8>
}

// r / 0.25 - 1: 1 - 1 = 0, -1.5 -> -2 - 1 = -3, 4000 saturates; back:
// 0.25 * (q + 1).
// QDQ: tensor<3xi8>: [0, -3, 127]
// QDQ-NEXT: tensor<3xf32>: [0.25, -0.5, 32]
func.func @quantize_dequantize() -> (tensor<3xi8>, tensor<3xf32>) {
  %x = arith.constant dense<[0.25, -0.375, 1000.0]> : tensor<3xf32>
  %0 = qnn.int.quantize %x {scale = 0.25 : f64, zero_point = -1 : i64}
       : (tensor<3xf32>) -> tensor<3xi8>
  %1 = qnn.int.dequantize %0 {scale = 0.25 : f64, zero_point = -1 : i64}
       : (tensor<3xi8>) -> tensor<3xf32>
  return %0, %1 : tensor<3xi8>, tensor<3xf32>
}
