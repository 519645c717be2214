// Integer-level ops JIT-compiled through --qopt-lower-to-llvm: the printed
// values are worked out by hand (FC, CONV) and every function is compared
// with the reference interpreter qopt-run.

// RUN: rm -rf %t && mkdir -p %t
// RUN: %jit_harness wrap %s fc | qopt --qopt-lower-to-llvm | %mlir_runner > %t/fc
// RUN: FileCheck %s --check-prefix=FC < %t/fc
// RUN: qopt-run %s --function fc > %t/fc.expected
// RUN: %jit_harness compare %t/fc %t/fc.expected | FileCheck %s --check-prefix=SAME

// RUN: %jit_harness wrap %s conv | qopt --qopt-lower-to-llvm | %mlir_runner > %t/conv
// RUN: FileCheck %s --check-prefix=CONV < %t/conv
// RUN: qopt-run %s --function conv > %t/conv.expected
// RUN: %jit_harness compare %t/conv %t/conv.expected | FileCheck %s --check-prefix=SAME

// RUN: %jit_harness wrap %s rounding | qopt --qopt-lower-to-llvm | %mlir_runner > %t/rounding
// RUN: qopt-run %s --function rounding > %t/rounding.expected
// RUN: %jit_harness compare %t/rounding %t/rounding.expected | FileCheck %s --check-prefix=SAME2

// RUN: %jit_harness wrap %s depthwise | qopt --qopt-lower-to-llvm | %mlir_runner > %t/depthwise
// RUN: qopt-run %s --function depthwise > %t/depthwise.expected
// RUN: %jit_harness compare %t/depthwise %t/depthwise.expected | FileCheck %s --check-prefix=SAME

// RUN: %jit_harness wrap %s grouped | qopt --qopt-lower-to-llvm | %mlir_runner > %t/grouped
// RUN: qopt-run %s --function grouped > %t/grouped.expected
// RUN: %jit_harness compare %t/grouped %t/grouped.expected | FileCheck %s --check-prefix=SAME

// RUN: %jit_harness wrap %s add_mul_clamp | qopt --qopt-lower-to-llvm | %mlir_runner > %t/add
// RUN: qopt-run %s --function add_mul_clamp > %t/add.expected
// RUN: %jit_harness compare %t/add %t/add.expected | FileCheck %s --check-prefix=SAME3

// RUN: %jit_harness wrap %s weighted_add | qopt --qopt-lower-to-llvm | %mlir_runner > %t/weighted_add
// RUN: qopt-run %s --function weighted_add > %t/weighted_add.expected
// RUN: %jit_harness compare %t/weighted_add %t/weighted_add.expected | FileCheck %s --check-prefix=SAME4

// RUN: %jit_harness wrap %s pools | qopt --qopt-lower-to-llvm | %mlir_runner > %t/pools
// RUN: qopt-run %s --function pools > %t/pools.expected
// RUN: %jit_harness compare %t/pools %t/pools.expected | FileCheck %s --check-prefix=SAME3

// RUN: %jit_harness wrap %s quantize_dequantize | qopt --qopt-lower-to-llvm | %mlir_runner > %t/qdq
// RUN: qopt-run %s --function quantize_dequantize > %t/qdq.expected
// RUN: %jit_harness compare %t/qdq %t/qdq.expected | FileCheck %s --check-prefix=SAME2

// RUN: %jit_harness wrap %s quantize_storage | qopt --qopt-lower-to-llvm | %mlir_runner > %t/qs
// RUN: qopt-run %s --function quantize_storage > %t/qs.expected
// RUN: %jit_harness compare %t/qs %t/qs.expected | FileCheck %s --check-prefix=SAME3

// SAME: 1 of 1 results identical
// SAME2: 2 of 2 results identical
// SAME3: 3 of 3 results identical
// SAME4: 4 of 4 results identical

// input - 1 = [0, 1, 2]; weights - zp = [[1, 2, 3], [2, 3, 4]]:
//   acc = [10 + 2 + 6, -20 + 3 + 8] = [18, -9]
// M = [0.25, 0.5] with double rounding: SRDHM(18, 2^30) = 9, RDBPOT(9, 1) =
// 4.5 away from zero = 5; SRDHM(-9, 2^30) = -4.5 up = -4. Plus 3: [8, -1].
// FC: sizes = [1, 2]
// FC-NEXT: {{\[}}[8, -1]]
func.func @fc() -> tensor<1x2xi8> {
  %x = arith.constant dense<[[1, 2, 3]]> : tensor<1x3xi8>
  %w = arith.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi8>
  %b = arith.constant dense<[10, -20]> : tensor<2xi32>
  %acc = qnn.int.fully_connected %x, %w, %b {input_zp = 1 : i64,
           weights_zp = array<i64: 0, 2>}
       : (tensor<1x3xi8>, tensor<2x3xi8>, tensor<2xi32>) -> tensor<1x2xi32>
  %0 = qnn.int.rescale %acc {multiplier = array<i32: 1073741824, 1073741824>,
         shift = array<i32: -1, 0>, output_zp = 3 : i64}
       : (tensor<1x2xi32>) -> tensor<1x2xi8>
  return %0 : tensor<1x2xi8>
}

// Real input 1..9 stored with zero point -1, padded by one with the zero
// point. Channel 0 sums each 3x3 window (12, 21, 16 / 27, 45, 33 /
// 24, 39, 28); channel 1's filter minus its zero point 1 is the center tap,
// plus bias 100. M = 0.5 rounds ties up: 10.5 -> 11, 50.5 -> 51.
// CONV: sizes = [1, 3, 3, 2]
// CONV-NEXT: {{\[}}{{\[}}[6,   51],
// CONV-NEXT: [11,   51],
// CONV-NEXT: [8,   52]],
// CONV-NEXT: {{\[}}[14,   52],
// CONV-NEXT: [23,   53],
// CONV-NEXT: [17,   53]],
// CONV-NEXT: {{\[}}[12,   54],
// CONV-NEXT: [20,   54],
// CONV-NEXT: [14,   55]]]]
func.func @conv() -> tensor<1x3x3x2xui8> {
  %x = arith.constant dense<[[[[0], [1], [2]], [[3], [4], [5]], [[6], [7], [8]]]]>
       : tensor<1x3x3x1xi8>
  %f = arith.constant dense<[[[[1], [1], [1]], [[1], [1], [1]], [[1], [1], [1]]],
                             [[[1], [1], [1]], [[1], [2], [1]], [[1], [1], [1]]]]>
       : tensor<2x3x3x1xui8>
  %b = arith.constant dense<[0, 100]> : tensor<2xi32>
  %acc = qnn.int.conv2d %x, %f, %b {input_zp = -1 : i64, filter_zp = array<i64: 0, 1>,
           padding = array<i64: 1, 1, 1, 1>}
       : (tensor<1x3x3x1xi8>, tensor<2x3x3x1xui8>, tensor<2xi32>) -> tensor<1x3x3x2xi32>
  %0 = qnn.int.rescale %acc {multiplier = array<i32: 1073741824>, shift = array<i32: 0>}
       : (tensor<1x3x3x2xi32>) -> tensor<1x3x3x2xui8>
  return %0 : tensor<1x3x3x2xui8>
}

// Ties, negative values, large right and left shifts, both conventions.
func.func @rounding() -> (tensor<10xi16>, tensor<10xi16>) {
  %x = arith.constant dense<[1, -1, 2, -2, 3, -3, 1000, -1000, 123456, -123457]>
       : tensor<10xi32>
  %0 = qnn.int.rescale %x {multiplier = array<i32: 1073741824, 1073741824, 1073741824,
         1073741824, 1431655765, 1431655765, 1288490189, 1288490189, 2147483647, 1073741824>,
         shift = array<i32: -1, -1, -2, -2, -31, 3, -1, -1, -12, 2>}
       : (tensor<10xi32>) -> tensor<10xi16>
  %1 = qnn.int.rescale %x {multiplier = array<i32: 1073741824, 1073741824, 1073741824,
         1073741824, 1431655765, 1431655765, 1288490189, 1288490189, 2147483647, 1073741824>,
         shift = array<i32: -1, -1, -2, -2, -31, 3, -1, -1, -12, 2>,
         rounding = #qnn.rounding<single_round>, output_zp = -7 : i64}
       : (tensor<10xi32>) -> tensor<10xi16>
  return %0, %1 : tensor<10xi16>, tensor<10xi16>
}

// Depth multiplier 2, stride 2, asymmetric padding, dilation.
func.func @depthwise() -> tensor<1x2x2x4xi32> {
  %x = arith.constant dense<[[[[1, -2], [3, 4], [-5, 6], [7, 8]],
                              [[9, 10], [-11, 12], [13, 14], [15, -16]],
                              [[17, 18], [19, -20], [21, 22], [-23, 24]],
                              [[25, 26], [27, 28], [-29, 30], [31, 32]]]]> : tensor<1x4x4x2xi8>
  %f = arith.constant dense<[[[[1, 2, 3, 4], [5, 6, 7, 8]], [[9, 10, 11, 12], [13, 14, 15, 16]]]]>
       : tensor<1x2x2x4xui8>
  %b = arith.constant dense<[1, 2, 3, 4]> : tensor<4xi32>
  %0 = qnn.int.depthwise_conv2d %x, %f, %b {input_zp = 3 : i64,
         filter_zp = array<i64: 1, 2, 3, 4>, strides = array<i64: 2, 2>,
         dilations = array<i64: 1, 2>, padding = array<i64: 1, 0, 0, 1>}
       : (tensor<1x4x4x2xi8>, tensor<1x2x2x4xui8>, tensor<4xi32>) -> tensor<1x2x2x4xi32>
  return %0 : tensor<1x2x2x4xi32>
}

// Three groups of 2 input and 2 output channels, per-channel filter zero
// points and padding: every output channel sums over its own group's input
// channels only.
func.func @grouped() -> tensor<1x3x3x6xi32> {
  %x = arith.constant dense<[[[[1, -2, 3, 4, -5, 6], [7, 8, 9, 10, -11, 12], [13, 14, 15, -16, 17, 18]],
                              [[19, -20, 21, 22, -23, 24], [25, 26, 27, 28, -29, 30], [31, 32, 33, 34, 35, 36]],
                              [[37, 38, -39, 40, 41, 42], [43, 44, 45, -46, 47, 48], [49, 50, 51, 52, 53, -54]]]]>
       : tensor<1x3x3x6xi8>
  %f = arith.constant dense<[[[[1, 2], [3, 4]], [[5, 6], [7, 8]]],
                             [[[-1, 2], [3, -4]], [[5, -6], [7, 8]]],
                             [[[2, 2], [3, 3]], [[-5, 5], [1, 1]]],
                             [[[0, 1], [0, 1]], [[1, 0], [1, 0]]],
                             [[[9, -9], [8, -8]], [[7, -7], [6, -6]]],
                             [[[1, 1], [1, 1]], [[1, 1], [1, 1]]]]>
       : tensor<6x2x2x2xi8>
  %b = arith.constant dense<[1, 2, 3, 4, 5, 6]> : tensor<6xi32>
  %0 = qnn.int.conv2d %x, %f, %b {input_zp = 3 : i64,
         filter_zp = array<i64: 1, 0, 2, 0, -1, 1>, groups = 3 : i64,
         padding = array<i64: 1, 0, 0, 1>}
       : (tensor<1x3x3x6xi8>, tensor<6x2x2x2xi8>, tensor<6xi32>) -> tensor<1x3x3x6xi32>
  return %0 : tensor<1x3x3x6xi32>
}

func.func @add_mul_clamp() -> (tensor<6xui8>, tensor<6xi8>, tensor<6xi8>) {
  %a = arith.constant dense<[0, 17, 128, 200, 255, 3]> : tensor<6xui8>
  %b = arith.constant dense<[255, 1, 127, 9, 0, 99]> : tensor<6xui8>
  %c = arith.constant dense<[-128, -3, 0, 5, 127, 64]> : tensor<6xi8>
  %0 = qnn.int.add %a, %b {lhs_zp = 156 : i64, rhs_zp = 114 : i64, output_zp = 114 : i64,
         lhs_multiplier = 1073741824 : i32, lhs_shift = 0 : i32,
         rhs_multiplier = 1624713572 : i32, rhs_shift = -1 : i32,
         output_multiplier = 1561051877 : i32, output_shift = -19 : i32,
         clamp_min = 10 : i64}
       : (tensor<6xui8>, tensor<6xui8>) -> tensor<6xui8>
  %1 = qnn.int.mul %c, %c {lhs_zp = -1 : i64, rhs_zp = 2 : i64, output_zp = 3 : i64,
         multiplier = 1288490189 : i32, shift = -6 : i32,
         rounding = #qnn.rounding<single_round>}
       : (tensor<6xi8>, tensor<6xi8>) -> tensor<6xi8>
  %2 = qnn.int.clamp %c {min = -4 : i64, max = 60 : i64} : tensor<6xi8>
  return %0, %1, %2 : tensor<6xui8>, tensor<6xi8>, tensor<6xi8>
}

// PyTorch qnnpack's add: ties of both signs (multipliers of a power of two
// over 2^right_shift), the extremes of the weighted sum, right shifts of 0
// and 31, clamps. %3's sums reach 128 * 16711679 = 2139094912, which plus
// 2^23 is 2^31 - 128: the largest sums that still take the rounding folded
// into the floor (the lowering's other form is %1's, whose sum plus 2^30
// overflows).
func.func @weighted_add()
    -> (tensor<8xui8>, tensor<8xi16>, tensor<8xi8>, tensor<8xi8>) {
  %a = arith.constant dense<[0, 17, 128, 200, 255, 3, 129, 127]> : tensor<8xui8>
  %b = arith.constant dense<[255, 1, 127, 9, 0, 99, 128, 126]> : tensor<8xui8>
  %c = arith.constant dense<[-32768, -3, 0, 5, 32767, 64, -1, 1]> : tensor<8xi16>
  %d = arith.constant dense<[-128, -3, 0, 5, 127, 64, -1, 1]> : tensor<8xi8>
  %0 = qnn.int.weighted_add %a, %b {lhs_zp = 128 : i64, rhs_zp = 127 : i64,
         output_zp = 100 : i64, lhs_multiplier = 4194304 : i32,
         rhs_multiplier = 2097152 : i32, right_shift = 23 : i32, clamp_min = 100 : i64}
       : (tensor<8xui8>, tensor<8xui8>) -> tensor<8xui8>
  %1 = qnn.int.weighted_add %c, %c {lhs_zp = -1 : i64, output_zp = -7 : i64,
         lhs_multiplier = 65535 : i32, rhs_multiplier = 0 : i32, right_shift = 31 : i32}
       : (tensor<8xi16>, tensor<8xi16>) -> tensor<8xi16>
  %2 = qnn.int.weighted_add %d, %d {lhs_zp = 3 : i64, rhs_zp = -2 : i64,
         output_zp = 1 : i64, lhs_multiplier = 1 : i32, rhs_multiplier = 3 : i32,
         right_shift = 0 : i32}
       : (tensor<8xi8>, tensor<8xi8>) -> tensor<8xi8>
  %3 = qnn.int.weighted_add %d, %d {lhs_zp = -1 : i64, rhs_zp = 0 : i64,
         lhs_multiplier = 16711679 : i32, rhs_multiplier = 0 : i32,
         right_shift = 24 : i32}
       : (tensor<8xi8>, tensor<8xi8>) -> tensor<8xi8>
  return %0, %1, %2, %3
      : tensor<8xui8>, tensor<8xi16>, tensor<8xi8>, tensor<8xi8>
}

// Left shifts at the largest the verifiers accept: the shifted values reach
// 255 * 2^23, 2^14 * 2^16 = 2^30 and 133169152 * 2^4 = 2130706432, and
// small M0s bring the results back into range.
func.func @left_shift_limits() -> (tensor<6xi8>, tensor<6xi8>, tensor<6xi8>) {
  %x = arith.constant dense<[-128, 127, 0, -1, 100, 55]> : tensor<6xi8>
  %y = arith.constant dense<[-128, -128, 127, -7, 3, 127]> : tensor<6xi8>
  %0 = qnn.int.rescale %x {input_zp = -128 : i64, multiplier = array<i32: 100>,
         shift = array<i32: 23>} : (tensor<6xi8>) -> tensor<6xi8>
  %1 = qnn.int.mul %x, %y {multiplier = 200 : i32, shift = 16 : i32}
       : (tensor<6xi8>, tensor<6xi8>) -> tensor<6xi8>
  %2 = qnn.int.add %x, %y {left_shift = 20 : i64,
         lhs_multiplier = 1073741824 : i32, lhs_shift = 0 : i32,
         rhs_multiplier = 1073741824 : i32, rhs_shift = 0 : i32,
         output_multiplier = 127 : i32, output_shift = 4 : i32}
       : (tensor<6xi8>, tensor<6xi8>) -> tensor<6xi8>
  return %0, %1, %2 : tensor<6xi8>, tensor<6xi8>, tensor<6xi8>
}

func.func @pools() -> (tensor<1x2x2x2xui8>, tensor<1x2x2x2xi8>, tensor<1x2x2x2xi16>) {
  %x = arith.constant dense<[[[[1, 200], [3, 4], [5, 6]],
                              [[7, 8], [9, 255], [11, 12]],
                              [[13, 14], [15, 16], [17, 0]]]]> : tensor<1x3x3x2xui8>
  %y = arith.constant dense<[[[[-1, -128], [-3, 4], [5, -6]],
                              [[-7, 8], [-9, 127], [11, -12]],
                              [[-13, -14], [15, 16], [-17, 0]]]]> : tensor<1x3x3x2xi8>
  %z = arith.constant dense<[[[[-100, 30000], [-3, 4], [5, -6]],
                              [[-7, 8], [-9, -32768], [11, -12]],
                              [[-13, -14], [15, 16], [-17, 1]]]]> : tensor<1x3x3x2xi16>
  %0 = qnn.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>,
         padding = array<i64: 1, 0, 0, 1>} : (tensor<1x3x3x2xui8>) -> tensor<1x2x2x2xui8>
  %1 = qnn.int.avg_pool2d %y {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>,
         padding = array<i64: 1, 0, 1, 0>} : (tensor<1x3x3x2xi8>) -> tensor<1x2x2x2xi8>
  %2 = qnn.int.avg_pool2d %z {kernel = array<i64: 2, 2>, strides = array<i64: 1, 1>,
         clamp_min = -20 : i64} : (tensor<1x3x3x2xi16>) -> tensor<1x2x2x2xi16>
  return %0, %1, %2 : tensor<1x2x2x2xui8>, tensor<1x2x2x2xi8>, tensor<1x2x2x2xi16>
}

// The quantizes that clamp in f32 and convert to i32 (8 and 16 bits, both
// roundings) on ties, the storage bounds and one past them, infinities,
// NaN and -0.
func.func @quantize_storage() -> (tensor<12xi8>, tensor<12xi16>, tensor<12xui8>) {
  %r = arith.constant dense<[0.25, -0.25, 0.75, -2.75, 28.25, 28.3, -22.75, -22.8,
                             0x7F800000, 0xFF800000, 0x7FC00000, -0.0]> : tensor<12xf32>
  %0 = qnn.int.quantize %r {scale = 0.2 : f64, zero_point = -14 : i64}
       : (tensor<12xf32>) -> tensor<12xi8>
  %1 = qnn.int.quantize %r {scale = 0.001 : f64, zero_point = 7 : i64}
       : (tensor<12xf32>) -> tensor<12xi16>
  %2 = qnn.int.quantize %r {scale = 0.5 : f64, zero_point = 200 : i64,
                            rounding = #qnn.ties<to_even>}
       : (tensor<12xf32>) -> tensor<12xui8>
  return %0, %1, %2 : tensor<12xi8>, tensor<12xi16>, tensor<12xui8>
}

func.func @quantize_dequantize() -> (tensor<2x4xui8>, tensor<2x6xf32>) {
  %r = arith.constant dense<[[0.0, 0.05, -0.05, 0.15], [1.0e10, -1.0e10, 0x7FC00000, 0.9]]>
       : tensor<2x4xf32>
  %q = qnn.int.quantize %r {scale = 0.1 : f64, zero_point = 128 : i64}
       : (tensor<2x4xf32>) -> tensor<2x4xui8>
  %p = qnn.int.pad %q {padding = array<i64: 0, 0, 1, 1>, value = 128 : i64}
       : (tensor<2x4xui8>) -> tensor<2x6xui8>
  %s = qnn.reshape %p : (tensor<2x6xui8>) -> tensor<3x4xui8>
  %t = qnn.reshape %s : (tensor<3x4xui8>) -> tensor<12xui8>
  %u = qnn.reshape %t : (tensor<12xui8>) -> tensor<2x6xui8>
  %v = qnn.int.dequantize %u {scale = 0.0078125 : f64, zero_point = 100 : i64}
       : (tensor<2x6xui8>) -> tensor<2x6xf32>
  %w = qnn.reshape %v : (tensor<2x6xf32>) -> tensor<12xf32>
  %e = qnn.reshape %w : (tensor<12xf32>) -> tensor<2x6xf32>
  return %q, %e : tensor<2x4xui8>, tensor<2x6xf32>
}
