// The quantized level: storage values in, storage values out, computed as
// TensorFlow Lite's integer kernels compute them from the types' scales and
// zero points (double rounding). Expected values are worked out by hand.

// RUN: qopt-run %s --function quantize | FileCheck %s --check-prefix=QUANTIZE
// RUN: qopt-run %s --function quantize_per_axis | FileCheck %s --check-prefix=PER-AXIS
// RUN: qopt-run %s --function requantize | FileCheck %s --check-prefix=REQUANTIZE
// RUN: qopt-run %s --function fully_connected | FileCheck %s --check-prefix=FC
// RUN: qopt-run %s --function conv2d_per_channel | FileCheck %s --check-prefix=CONV2D
// RUN: qopt-run %s --function add | FileCheck %s --check-prefix=ADD
// RUN: qopt-run %s --function mul | FileCheck %s --check-prefix=MUL
// RUN: qopt-run %s --function relu6 | FileCheck %s --check-prefix=RELU6
// RUN: qopt-run %s --function pad | FileCheck %s --check-prefix=PAD
// RUN: qopt-run %s --function avg_pool2d | FileCheck %s --check-prefix=AVGPOOL
// RUN: qopt-run %s --function storage_cast | FileCheck %s --check-prefix=SCAST

!i8_half = !quant.uniform<i8:f32, 0.5:-1>

// q = clamp(round_half_away(r / 0.5) - 1): -2.5 -> -3 - 1 = -4, 0.5 -> 1 - 1,
// 1.5 -> 2 - 1, 200 and -200 saturate. Back: 0.5 * (q + 1).
// QUANTIZE: tensor<5x!quant.uniform<i8:f32, 5.000000e-01:-1>>: [-4, 0, 1, 127, -128]
// QUANTIZE-NEXT: tensor<5xf32>: [-1.5, 0.5, 1, 64, -63.5]
func.func @quantize() -> (tensor<5x!i8_half>, tensor<5xf32>) {
  %x = arith.constant dense<[-1.25, 0.25, 0.75, 100.0, -100.0]> : tensor<5xf32>
  %q = qnn.quantize %x : (tensor<5xf32>) -> tensor<5x!i8_half>
  %r = qnn.dequantize %q : (tensor<5x!i8_half>) -> tensor<5xf32>
  return %q, %r : tensor<5x!i8_half>, tensor<5xf32>
}

// Column 0 (S = 0.5, Z = 10): 1 -> 2 + 10, -10 -> -20 + 10 clamped to 0.
// Column 1 (S = 2, Z = 0): 3 -> 1.5 -> 2, 5 -> 2.5 -> 3.
// PER-AXIS: {{\[\[}}12, 2], [0, 3]]
func.func @quantize_per_axis() -> tensor<2x2x!quant.uniform<u8:f32:1, {0.5:10, 2.0:0}>> {
  %x = arith.constant dense<[[1.0, 3.0], [-10.0, 5.0]]> : tensor<2x2xf32>
  %q = qnn.quantize %x : (tensor<2x2xf32>) -> tensor<2x2x!quant.uniform<u8:f32:1, {0.5:10, 2.0:0}>>
  return %q : tensor<2x2x!quant.uniform<u8:f32:1, {0.5:10, 2.0:0}>>
}

// S 0.5 -> 0.25 is M = 2 = (2^30, shift 2): (q + 3) * 2 + 10, clamped:
// [0, 3, 8, 130] -> [10, 16, 26, 270 -> 127].
// REQUANTIZE: [10, 16, 26, 127]
func.func @requantize() -> tensor<4x!quant.uniform<i8:f32, 0.25:10>> {
  %q = qnn.const dense<[-3, 0, 5, 127]> : tensor<4xi8> -> tensor<4x!quant.uniform<i8:f32, 0.5:-3>>
  %0 = qnn.requantize %q : (tensor<4x!quant.uniform<i8:f32, 0.5:-3>>)
       -> tensor<4x!quant.uniform<i8:f32, 0.25:10>>
  return %0 : tensor<4x!quant.uniform<i8:f32, 0.25:10>>
}

// The worked example of docs/design.md: ui8 input Z = 128, S = 0.02; i8
// weights S = 0.005; bias 0.01 = 100 at scale 1e-4; output S = 0.05, Z = 10;
// M = 0.002 = (1099511628, -8).
//   [130, 120, 200]: acc = 2*10 + (-8)(-20) + 72*5 + 100 = 640;
//                    SRDHM(640, M0) = 328, RDBPOT(328, 8) = 1: 10 + 1
//   [128, 128, 128]: acc = 100 -> 0.2 -> 0: 10
//   [0, 255, 128]:   acc = -1280 - 2540 + 100 = -3720; SRDHM = -1905,
//                    RDBPOT(-1905, 8) = -7: 10 - 7
// FC: {{\[\[}}11], [10], [3]]
func.func @fully_connected() -> tensor<3x1x!quant.uniform<u8:f32, 0.05:10>> {
  %input = qnn.const dense<[[130, 120, 200], [128, 128, 128], [0, 255, 128]]> : tensor<3x3xi8>
           -> tensor<3x3x!quant.uniform<u8:f32, 0.02:128>>
  %weights = qnn.const dense<[[10, -20, 5]]> : tensor<1x3xi8>
             -> tensor<1x3x!quant.uniform<i8:f32, 0.005>>
  %bias = qnn.const dense<[100]> : tensor<1xi32> -> tensor<1x!quant.uniform<i32:f32, 1.0e-4>>
  %0 = qnn.fully_connected %input, %weights, %bias
       : (tensor<3x3x!quant.uniform<u8:f32, 0.02:128>>, tensor<1x3x!quant.uniform<i8:f32, 0.005>>,
          tensor<1x!quant.uniform<i32:f32, 1.0e-4>>) -> tensor<3x1x!quant.uniform<u8:f32, 0.05:10>>
  return %0 : tensor<3x1x!quant.uniform<u8:f32, 0.05:10>>
}

// Input (Z = 100) centred [[2, 4], [-4, 0]]; 2x2 per-channel filters
// o0 = [[1, 1], [1, 1]] (S 0.25) and o1 = [[2, 0], [0, -2]] (S 0.5); padding
// top 1 and left 1, so output (y, x) reads rows y - 1, y and columns x - 1, x,
// and padded taps hold the zero point (centred 0).
//   acc o0: (0,0) 2, (0,1) 2 + 4, (1,0) 2 - 4, (1,1) 2 + 4 - 4 + 0
//   acc o1: (0,0) 2 * -2, (0,1) 4 * -2, (1,0) -4 * -2, (1,1) 2 * 2
// M = 0.5 * 0.25 / 0.125 = 1 (2^30, shift 1) and 0.5 * 0.5 / 0.125 = 2
// (2^30, shift 2): o0 unchanged, o1 doubled.
// CONV2D: {{\[\[\[\[}}2, -8], [6, -16]], {{\[\[}}-2, 16], [2, 8]]]]
func.func @conv2d_per_channel() -> tensor<1x2x2x2x!quant.uniform<i8:f32, 0.125>> {
  %input = qnn.const dense<[[[[102], [104]], [[96], [100]]]]> : tensor<1x2x2x1xi8>
           -> tensor<1x2x2x1x!quant.uniform<u8:f32, 0.5:100>>
  %filter = qnn.const dense<[[[[1], [1]], [[1], [1]]], [[[2], [0]], [[0], [-2]]]]> : tensor<2x2x2x1xi8>
            -> tensor<2x2x2x1x!quant.uniform<i8:f32:0, {0.25, 0.5}>>
  %0 = qnn.conv2d %input, %filter {padding = array<i64: 1, 0, 1, 0>}
       : (tensor<1x2x2x1x!quant.uniform<u8:f32, 0.5:100>>,
          tensor<2x2x2x1x!quant.uniform<i8:f32:0, {0.25, 0.5}>>)
       -> tensor<1x2x2x2x!quant.uniform<i8:f32, 0.125>>
  return %0 : tensor<1x2x2x2x!quant.uniform<i8:f32, 0.125>>
}

// TensorFlow Lite's add with S 0.5 + 0.25 -> 1: common scale 2 * 0.5, input
// multipliers 0.5 and 0.25, left shift 20, output multiplier 2^-20.
// Real sums: 1 + 1 = 2, 2.5 + 0.75 = 3.25 -> 3, 1.5 + 1 = 2.5 -> 3 and
// -1.5 - 1 = -2.5 -> -3 (the final shift rounds ties away from zero).
// ADD: [2, 3, 3, -3]
func.func @add() -> tensor<4x!quant.uniform<i8:f32, 1.0>> {
  %a = qnn.const dense<[2, 5, 3, -3]> : tensor<4xi8> -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  %b = qnn.const dense<[4, 3, 4, -4]> : tensor<4xi8> -> tensor<4x!quant.uniform<i8:f32, 0.25>>
  %0 = qnn.add %a, %b : (tensor<4x!quant.uniform<i8:f32, 0.5>>, tensor<4x!quant.uniform<i8:f32, 0.25>>)
       -> tensor<4x!quant.uniform<i8:f32, 1.0>>
  return %0 : tensor<4x!quant.uniform<i8:f32, 1.0>>
}

// M = 0.5 * 0.25 / 0.25 = 0.5 on (q_a - 2) * q_b: 2 * 8 -> 8, 8 * 2 -> 8,
// 1 * 3 = 3 -> 1.5, which the high multiply rounds up to 2.
// MUL: [8, 8, 2]
func.func @mul() -> tensor<3x!quant.uniform<u8:f32, 0.25>> {
  %a = qnn.const dense<[4, 10, 3]> : tensor<3xi8> -> tensor<3x!quant.uniform<u8:f32, 0.5:2>>
  %b = qnn.const dense<[8, 2, 3]> : tensor<3xi8> -> tensor<3x!quant.uniform<u8:f32, 0.25>>
  %0 = qnn.mul %a, %b : (tensor<3x!quant.uniform<u8:f32, 0.5:2>>, tensor<3x!quant.uniform<u8:f32, 0.25>>)
       -> tensor<3x!quant.uniform<u8:f32, 0.25>>
  return %0 : tensor<3x!quant.uniform<u8:f32, 0.25>>
}

// [0, 6] with S = 0.1, Z = 10 is [10 + 0, 10 + 60] in storage.
// RELU6: [10, 10, 10, 50, 70, 70, 70]
func.func @relu6() -> tensor<7x!quant.uniform<u8:f32, 0.1:10>> {
  %q = qnn.const dense<[0, 9, 10, 50, 70, 71, 255]> : tensor<7xi8>
       -> tensor<7x!quant.uniform<u8:f32, 0.1:10>>
  %0 = qnn.clamp %q {min = 0.0 : f64, max = 6.0 : f64} : tensor<7x!quant.uniform<u8:f32, 0.1:10>>
  return %0 : tensor<7x!quant.uniform<u8:f32, 0.1:10>>
}

// Real 1.0 is 1 / 0.5 - 3 = -1 in storage; real 0 is the zero point -3.
// PAD: [-1, 5, -1]
// PAD-NEXT: [-3, 5, -3]
func.func @pad() -> (tensor<3x!quant.uniform<i8:f32, 0.5:-3>>, tensor<3x!quant.uniform<i8:f32, 0.5:-3>>) {
  %q = qnn.const dense<[5]> : tensor<1xi8> -> tensor<1x!quant.uniform<i8:f32, 0.5:-3>>
  %0 = qnn.pad %q {padding = array<i64: 1, 1>, value = 1.0 : f64}
       : (tensor<1x!quant.uniform<i8:f32, 0.5:-3>>) -> tensor<3x!quant.uniform<i8:f32, 0.5:-3>>
  %1 = qnn.pad %q {padding = array<i64: 1, 1>}
       : (tensor<1x!quant.uniform<i8:f32, 0.5:-3>>) -> tensor<3x!quant.uniform<i8:f32, 0.5:-3>>
  return %0, %1 : tensor<3x!quant.uniform<i8:f32, 0.5:-3>>, tensor<3x!quant.uniform<i8:f32, 0.5:-3>>
}

// Storage [[1, 2, 3], [4, 4, 6]], 2x2 windows, stride 2, right padding 1:
// (1 + 2 + 4 + 4) / 4 = 2.75 -> 3 and (3 + 6) / 2 = 4.5 -> 5 (half away from
// zero). Rescaled to S = 1 (M = 0.5): 1.5 -> 2 and 2.5 -> 3.
// AVGPOOL: {{\[\[\[\[}}3], [5]]]]
// AVGPOOL-NEXT: {{\[\[\[\[}}2], [3]]]]
func.func @avg_pool2d() -> (tensor<1x1x2x1x!quant.uniform<u8:f32, 0.5>>,
                            tensor<1x1x2x1x!quant.uniform<u8:f32, 1.0>>) {
  %q = qnn.const dense<[[[[1], [2], [3]], [[4], [4], [6]]]]> : tensor<1x2x3x1xi8>
       -> tensor<1x2x3x1x!quant.uniform<u8:f32, 0.5>>
  %0 = qnn.avg_pool2d %q {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>,
         padding = array<i64: 0, 0, 0, 1>}
       : (tensor<1x2x3x1x!quant.uniform<u8:f32, 0.5>>) -> tensor<1x1x2x1x!quant.uniform<u8:f32, 0.5>>
  %1 = qnn.avg_pool2d %q {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>,
         padding = array<i64: 0, 0, 0, 1>}
       : (tensor<1x2x3x1x!quant.uniform<u8:f32, 0.5>>) -> tensor<1x1x2x1x!quant.uniform<u8:f32, 1.0>>
  return %0, %1 : tensor<1x1x2x1x!quant.uniform<u8:f32, 0.5>>, tensor<1x1x2x1x!quant.uniform<u8:f32, 1.0>>
}

// quant.scast keeps the bits: u8 storage 200 is the signless i8 -56.
// SCAST: tensor<2xi8>: [-56, 5]
func.func @storage_cast() -> tensor<2xi8> {
  %q = qnn.const dense<[200, 5]> : tensor<2xi8> -> tensor<2x!quant.uniform<u8:f32, 1.0>>
  %0 = quant.scast %q : tensor<2x!quant.uniform<u8:f32, 1.0>> to tensor<2xi8>
  return %0 : tensor<2xi8>
}
