// The float level: each op's value computed in double and rounded once to the
// result type. Expected values are worked out by hand in the comments.

// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %qopt_src_root/test/Utils/npy.py write %t/image.npy '<f4' \
// RUN:   1x3x3x1 1,2,3,4,5,6,7,8,9
// RUN: qopt-run %s --function conv2d --input %t/image.npy \
// RUN:   | FileCheck %s --check-prefix=CONV2D
// RUN: qopt-run %s --function depthwise_conv2d | FileCheck %s --check-prefix=DEPTHWISE
// RUN: qopt-run %s --function fully_connected | FileCheck %s --check-prefix=FC
// RUN: qopt-run %s --function batch_norm | FileCheck %s --check-prefix=BN
// RUN: qopt-run %s --function add_mul | FileCheck %s --check-prefix=ADDMUL
// RUN: qopt-run %s --function relu6 | FileCheck %s --check-prefix=RELU6
// RUN: qopt-run %s --function avg_pool2d --input %t/image.npy \
// RUN:   | FileCheck %s --check-prefix=AVGPOOL
// RUN: qopt-run %s --function pad_range | FileCheck %s --check-prefix=PAD
// RUN: %python %qopt_src_root/test/Utils/npy.py write %t/half.npy '<f2' 2 0.1,1000
// RUN: qopt-run %s --function add_f16 --input %t/half.npy --output %t/sum.npy
// RUN: %python %qopt_src_root/test/Utils/npy.py print %t/sum.npy \
// RUN:   | FileCheck %s --check-prefix=F16

// Image [[1, 2, 3], [4, 5, 6], [7, 8, 9]], 2x2 filters o0 = [[1, 0], [0, 1]]
// and o1 = [[0, 1], [1, 0]], stride 2, padding top 1 and left 1: output
// (y, x) reads rows 2y - 1, 2y and columns 2x - 1, 2x; padded taps are 0.
//   (0, 0): only 1 (tap (1, 1)):         o0 = 1,      o1 = 0
//   (0, 1): 2 (tap (1, 0)), 3 (tap (1, 1)): o0 = 3,   o1 = 2
//   (1, 0): 4 (tap (0, 1)), 7 (tap (1, 1)): o0 = 7,   o1 = 4
//   (1, 1): 5, 6, 8, 9:                  o0 = 5 + 9, o1 = 6 + 8
// plus bias [0.5, -1].
// CONV2D: tensor<1x2x2x2xf32>: {{\[\[\[\[}}1.5, -1], [3.5, 1]], {{\[\[}}7.5, 3], [14.5, 13]]]]
func.func @conv2d(%image: tensor<1x3x3x1xf32>) -> tensor<1x2x2x2xf32> {
  %filter = arith.constant dense<[[[[1.0], [0.0]], [[0.0], [1.0]]],
                                  [[[0.0], [1.0]], [[1.0], [0.0]]]]> : tensor<2x2x2x1xf32>
  %bias = arith.constant dense<[0.5, -1.0]> : tensor<2xf32>
  %0 = qnn.conv2d %image, %filter, %bias {strides = array<i64: 2, 2>,
         padding = array<i64: 1, 0, 1, 0>}
       : (tensor<1x3x3x1xf32>, tensor<2x2x2x1xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  return %0 : tensor<1x2x2x2xf32>
}

// Channels [2, 3], depth multiplier 2: output o reads input channel o / 2,
// so [2 * 1, 2 * 2, 3 * 3, 3 * 4] + bias [0, 0, 0, 0.5]. The first output
// row lies in the top padding and is the bias alone.
// DEPTHWISE: tensor<1x2x1x4xf32>: {{\[\[\[\[}}0, 0, 0, 0.5]], {{\[\[}}2, 4, 9, 12.5]]]]
func.func @depthwise_conv2d() -> tensor<1x2x1x4xf32> {
  %input = arith.constant dense<[[[[2.0, 3.0]]]]> : tensor<1x1x1x2xf32>
  %filter = arith.constant dense<[[[[1.0, 2.0, 3.0, 4.0]]]]> : tensor<1x1x1x4xf32>
  %bias = arith.constant dense<[0.0, 0.0, 0.0, 0.5]> : tensor<4xf32>
  %0 = qnn.depthwise_conv2d %input, %filter, %bias {padding = array<i64: 1, 0, 0, 0>}
       : (tensor<1x1x1x2xf32>, tensor<1x1x1x4xf32>, tensor<4xf32>) -> tensor<1x2x1x4xf32>
  return %0 : tensor<1x2x1x4xf32>
}

// [1, 2, 3] . [1, 2, 3] + 0.5 = 14.5;   [1, 2, 3] . [0.5, -1, 0.25] + 1 = 0.25
// [4, 5, 6] . [1, 2, 3] + 0.5 = 32.5;   [4, 5, 6] . [0.5, -1, 0.25] + 1 = -0.5
// FC: tensor<2x2xf32>: {{\[\[}}14.5, 0.25], [32.5, -0.5]]
func.func @fully_connected() -> tensor<2x2xf32> {
  %input = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %weights = arith.constant dense<[[1.0, 2.0, 3.0], [0.5, -1.0, 0.25]]> : tensor<2x3xf32>
  %bias = arith.constant dense<[0.5, 1.0]> : tensor<2xf32>
  %0 = qnn.fully_connected %input, %weights, %bias
       : (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2xf32>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// gamma * (x - mean) / sqrt(variance + epsilon) + beta per channel:
//   c0: 2 * (1 - 0.5) / 2 + 1 = 1.5,  2 * (3 - 0.5) / 2 + 1 = 3.5
//   c1: 1 * (2 - 2) / 0.5 + 0 = 0,    1 * (6 - 2) / 0.5 + 0 = 8
// BN: tensor<2x2xf32>: {{\[\[}}1.5, 0], [3.5, 8]]
func.func @batch_norm() -> tensor<2x2xf32> {
  %x = arith.constant dense<[[1.0, 2.0], [3.0, 6.0]]> : tensor<2x2xf32>
  %gamma = arith.constant dense<[2.0, 1.0]> : tensor<2xf32>
  %beta = arith.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %mean = arith.constant dense<[0.5, 2.0]> : tensor<2xf32>
  %variance = arith.constant dense<[4.0, 0.25]> : tensor<2xf32>
  %0 = qnn.batch_norm %x, %gamma, %beta, %mean, %variance {epsilon = 0.0 : f64}
       : (tensor<2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>)
       -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// [1.5, -2] + [0.25, 4] = [1.75, 2]; [1.5, -2] * [0.25, 4] = [0.375, -8].
// ADDMUL: tensor<2xf32>: [1.75, 2]
// ADDMUL-NEXT: tensor<2xf32>: [0.375, -8]
func.func @add_mul() -> (tensor<2xf32>, tensor<2xf32>) {
  %a = arith.constant dense<[1.5, -2.0]> : tensor<2xf32>
  %b = arith.constant dense<[0.25, 4.0]> : tensor<2xf32>
  %0 = qnn.add %a, %b : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %1 = qnn.mul %a, %b : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  return %0, %1 : tensor<2xf32>, tensor<2xf32>
}

// RELU6: tensor<3xf32>: [0, 3, 6]
func.func @relu6() -> tensor<3xf32> {
  %x = arith.constant dense<[-1.0, 3.0, 7.0]> : tensor<3xf32>
  %0 = qnn.clamp %x {min = 0.0 : f64, max = 6.0 : f64} : tensor<3xf32>
  return %0 : tensor<3xf32>
}

// 2x2 windows, stride 2, padding bottom 1 and right 1; padded positions are
// left out of the count:
//   (0, 0): (1 + 2 + 4 + 5) / 4 = 3,  (0, 1): (3 + 6) / 2 = 4.5
//   (1, 0): (7 + 8) / 2 = 7.5,        (1, 1): 9 / 1 = 9
// AVGPOOL: tensor<1x2x2x1xf32>: {{\[\[\[\[}}3], [4.5]], {{\[\[}}7.5], [9]]]]
func.func @avg_pool2d(%image: tensor<1x3x3x1xf32>) -> tensor<1x2x2x1xf32> {
  %0 = qnn.avg_pool2d %image {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>,
         padding = array<i64: 0, 1, 0, 1>}
       : (tensor<1x3x3x1xf32>) -> tensor<1x2x2x1xf32>
  return %0 : tensor<1x2x2x1xf32>
}

// qnn.range is an identity; the pad value is a real number.
// PAD: tensor<5xf32>: [0.5, 1, 2, 0.5, 0.5]
func.func @pad_range() -> tensor<5xf32> {
  %x = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %r = qnn.range %x {min = 0.0 : f64, max = 2.0 : f64} : tensor<2xf32>
  %0 = qnn.pad %r {padding = array<i64: 1, 2>, value = 0.5 : f64}
       : (tensor<2xf32>) -> tensor<5xf32>
  return %0 : tensor<5xf32>
}

// f16 input [0.1, 1000] holds [0.0999755859375, 1000]. Adding
// [0.199951171875 (0.2 in f16), 0.5] in double gives 0.2999267578125, halfway
// between the f16 values 0.2998046875 (mantissa even) and 0.300048828125, so
// it rounds to even; 1000.5 is exact (f16 spacing 0.5 there).
// F16: <f2 (2,) [0.2998046875, 1000.5]
func.func @add_f16(%x: tensor<2xf16>) -> tensor<2xf16> {
  %y = arith.constant dense<[0.2, 0.5]> : tensor<2xf16>
  %0 = qnn.add %x, %y : (tensor<2xf16>, tensor<2xf16>) -> tensor<2xf16>
  return %0 : tensor<2xf16>
}
