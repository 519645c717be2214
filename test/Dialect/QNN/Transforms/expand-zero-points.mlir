// RUN: qopt %s -split-input-file --qopt-expand-zero-points | FileCheck %s
// RUN: qopt %s -split-input-file --qopt-expand-zero-points=unsigned-input | FileCheck %s --check-prefix=UNSIGNED
// RUN: qopt %s -split-input-file --qopt-expand-zero-points=signed-input | FileCheck %s --check-prefix=SIGNED
// RUN: not qopt %s -split-input-file --qopt-expand-zero-points="signed-input unsigned-input" 2>&1 | FileCheck %s --check-prefix=BOTH
// BOTH: error: unsigned-input and signed-input are mutually exclusive

// folded[o] = b[o] - Zx * sum_k w[o, k] + K * Zx * Zw[o]

// K = 3, Zx = 128, Zw = 0: sums {6, 3} give {10 - 768, -10 - 384}.
// CHECK-LABEL: func.func @fully_connected
// CHECK-SAME:    (%[[X:.*]]: tensor<2x3xui8>)
// CHECK:         %[[W:.*]] = arith.constant dense<{{\[}}[1, 2, 3], [-1, 0, 4]]> : tensor<2x3xi8>
// CHECK:         %[[B:.*]] = arith.constant dense<[-758, -394]> : tensor<2xi32>
// CHECK:         qnn.int.fully_connected %[[X]], %[[W]], %[[B]] : (tensor<2x3xui8>, tensor<2x3xi8>, tensor<2xi32>) -> tensor<2x2xi32>
func.func @fully_connected(%x: tensor<2x3xui8>) -> tensor<2x2xi32> {
  %w = arith.constant dense<[[1, 2, 3], [-1, 0, 4]]> : tensor<2x3xi8>
  %b = arith.constant dense<[10, -10]> : tensor<2xi32>
  %0 = qnn.int.fully_connected %x, %w, %b {input_zp = 128 : i64} : (tensor<2x3xui8>, tensor<2x3xi8>, tensor<2xi32>) -> tensor<2x2xi32>
  return %0 : tensor<2x2xi32>
}

// -----

// K = 4, Zx = -1, Zw = 2, sum = 10, no bias: 0 + 10 + 4 * (-1) * 2 = 2. The
// weight zero point stays (the input-sum term runs at run time) and the
// padding becomes an explicit pad with Zx.
// CHECK-LABEL: func.func @conv2d_padded
// CHECK-SAME:    (%[[X:.*]]: tensor<1x3x3x1xi8>)
// CHECK:         %[[B:.*]] = arith.constant dense<2> : tensor<1xi32>
// CHECK:         %[[P:.*]] = qnn.int.pad %[[X]] {padding = array<i64: 0, 0, 1, 0, 1, 0, 0, 0>, value = -1 : i64} : (tensor<1x3x3x1xi8>) -> tensor<1x4x4x1xi8>
// CHECK:         qnn.int.conv2d %[[P]], %{{.*}}, %[[B]] {filter_zp = array<i64: 2>} : (tensor<1x4x4x1xi8>, tensor<1x2x2x1xi8>, tensor<1xi32>) -> tensor<1x3x3x1xi32>
func.func @conv2d_padded(%x: tensor<1x3x3x1xi8>) -> tensor<1x3x3x1xi32> {
  %w = arith.constant dense<[[[[1], [2]], [[3], [4]]]]> : tensor<1x2x2x1xi8>
  %0 = qnn.int.conv2d %x, %w {input_zp = -1 : i64, filter_zp = array<i64: 2>, padding = array<i64: 1, 0, 1, 0>} : (tensor<1x3x3x1xi8>, tensor<1x2x2x1xi8>) -> tensor<1x3x3x1xi32>
  return %0 : tensor<1x3x3x1xi32>
}

// -----

// Grouped (2 groups of 2 input channels): K = KH * KW * C / groups = 2 taps
// per output, sums {1 + 2, 3 - 1}, Zx = 10, Zw = {0, 1}:
// {5 - 10 * 3 + 0, 6 - 10 * 2 + 2 * 10 * 1}. The groups stay.
// CHECK-LABEL: func.func @grouped
// CHECK:         %[[B:.*]] = arith.constant dense<[-25, 6]> : tensor<2xi32>
// CHECK:         qnn.int.conv2d %{{.*}}, %{{.*}}, %[[B]] {filter_zp = array<i64: 0, 1>, groups = 2 : i64} : (tensor<1x2x2x4xui8>, tensor<2x1x1x2xi8>, tensor<2xi32>) -> tensor<1x2x2x2xi32>
func.func @grouped(%x: tensor<1x2x2x4xui8>) -> tensor<1x2x2x2xi32> {
  %w = arith.constant dense<[[[[1, 2]]], [[[3, -1]]]]> : tensor<2x1x1x2xi8>
  %b = arith.constant dense<[5, 6]> : tensor<2xi32>
  %0 = qnn.int.conv2d %x, %w, %b {input_zp = 10 : i64, filter_zp = array<i64: 0, 1>, groups = 2 : i64} : (tensor<1x2x2x4xui8>, tensor<2x1x1x2xi8>, tensor<2xi32>) -> tensor<1x2x2x2xi32>
  return %0 : tensor<1x2x2x2xi32>
}

// -----

// Depthwise: K = KH * KW = 2 per channel; sums {1 + 3, 2 + 4}, Zx = 5.
// CHECK-LABEL: func.func @depthwise
// CHECK:         %[[B:.*]] = arith.constant dense<[-20, -30]> : tensor<2xi32>
// CHECK:         qnn.int.depthwise_conv2d %{{.*}}, %{{.*}}, %[[B]] : (tensor<1x3x3x2xui8>, tensor<1x2x1x2xui8>, tensor<2xi32>) -> tensor<1x2x3x2xi32>
func.func @depthwise(%x: tensor<1x3x3x2xui8>) -> tensor<1x2x3x2xi32> {
  %w = arith.constant dense<[[[[1, 2]], [[3, 4]]]]> : tensor<1x2x1x2xui8>
  %0 = qnn.int.depthwise_conv2d %x, %w {input_zp = 5 : i64, strides = array<i64: 1, 1>} : (tensor<1x3x3x2xui8>, tensor<1x2x1x2xui8>) -> tensor<1x2x3x2xi32>
  return %0 : tensor<1x2x3x2xi32>
}

// -----

// Nothing to fold without an input zero point or without constant weights.
// CHECK-LABEL: func.func @unchanged
// CHECK:         qnn.int.fully_connected %arg0, %arg1 {input_zp = 3 : i64}
// CHECK:         qnn.int.fully_connected %arg0, %{{.*}} : (tensor<1x2xi8>, tensor<1x2xi8>)
func.func @unchanged(%x: tensor<1x2xi8>, %w: tensor<1x2xi8>) -> (tensor<1x1xi32>, tensor<1x1xi32>) {
  %0 = qnn.int.fully_connected %x, %w {input_zp = 3 : i64} : (tensor<1x2xi8>, tensor<1x2xi8>) -> tensor<1x1xi32>
  %c = arith.constant dense<1> : tensor<1x2xi8>
  %1 = qnn.int.fully_connected %x, %c : (tensor<1x2xi8>, tensor<1x2xi8>) -> tensor<1x1xi32>
  return %0, %1 : tensor<1x1xi32>, tensor<1x1xi32>
}

// -----

// Input zero point 0: nothing to fold, but the padding still becomes an
// explicit pad (of 0), which the layer kernels read in place of the attribute.
// CHECK-LABEL: func.func @padded_without_zero_point
// CHECK:         %[[P:.*]] = qnn.int.pad %arg0 {padding = array<i64: 0, 0, 1, 1, 1, 1, 0, 0>} : (tensor<1x3x3x2xi8>) -> tensor<1x5x5x2xi8>
// CHECK:         qnn.int.depthwise_conv2d %[[P]], %{{.*}}, %{{.*}} : (tensor<1x5x5x2xi8>, tensor<1x3x3x2xi8>, tensor<2xi32>) -> tensor<1x3x3x2xi32>
func.func @padded_without_zero_point(%x: tensor<1x3x3x2xi8>) -> tensor<1x3x3x2xi32> {
  %w = arith.constant dense<1> : tensor<1x3x3x2xi8>
  %b = arith.constant dense<[7, -7]> : tensor<2xi32>
  %0 = qnn.int.depthwise_conv2d %x, %w, %b {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x3x3x2xi8>, tensor<1x3x3x2xi8>, tensor<2xi32>) -> tensor<1x3x3x2xi32>
  return %0 : tensor<1x3x3x2xi32>
}

// -----

// unsigned-input: an s8 x s8 contraction's input moves to u8 (x + 128 by an
// exact rescale, M = 1) and the zero point to Zx + 128 = 125; then
// folded = 10 - 125 * (1 + 2) = -365. Without the option nothing changes
// here but the usual folding: 10 - (-3) * 3 = 19.
// CHECK-LABEL: func.func @signed_by_signed
// CHECK:         arith.constant dense<19> : tensor<1xi32>
// CHECK-NOT:     qnn.int.rescale
// UNSIGNED-LABEL: func.func @signed_by_signed
// UNSIGNED-SAME:    (%[[X:.*]]: tensor<1x2xi8>)
// UNSIGNED:         %[[B:.*]] = arith.constant dense<-365> : tensor<1xi32>
// UNSIGNED:         %[[U:.*]] = qnn.int.rescale %[[X]] {multiplier = array<i32: 1073741824>, output_zp = 128 : i64, shift = array<i32: 1>} : (tensor<1x2xi8>) -> tensor<1x2xui8>
// UNSIGNED-NEXT:    qnn.int.fully_connected %[[U]], %{{.*}}, %[[B]] : (tensor<1x2xui8>, tensor<1x2xi8>, tensor<1xi32>) -> tensor<1x1xi32>
func.func @signed_by_signed(%x: tensor<1x2xi8>) -> tensor<1x1xi32> {
  %w = arith.constant dense<[[1, 2]]> : tensor<1x2xi8>
  %b = arith.constant dense<10> : tensor<1xi32>
  %0 = qnn.int.fully_connected %x, %w, %b {input_zp = -3 : i64} : (tensor<1x2xi8>, tensor<1x2xi8>, tensor<1xi32>) -> tensor<1x1xi32>
  return %0 : tensor<1x1xi32>
}

// -----

// Zx = -128 becomes 0 after the shift: only the shift is left to do.
// UNSIGNED-LABEL: func.func @zero_point_128
// UNSIGNED:         qnn.int.rescale {{.*}} -> tensor<1x2xui8>
// UNSIGNED-NEXT:    qnn.int.fully_connected {{.*}} : (tensor<1x2xui8>, tensor<1x2xi8>, tensor<1xi32>)
func.func @zero_point_128(%x: tensor<1x2xi8>) -> tensor<1x1xi32> {
  %w = arith.constant dense<[[1, 2]]> : tensor<1x2xi8>
  %0 = qnn.int.fully_connected %x, %w {input_zp = -128 : i64} : (tensor<1x2xi8>, tensor<1x2xi8>) -> tensor<1x1xi32>
  return %0 : tensor<1x1xi32>
}

// -----

// signed-input: a u8 x s8 contraction's input moves to s8 (x - 128 by an
// exact rescale, M = 1) and the zero point to Zx - 128 = -125; then
// folded = 10 - (-125) * (1 + 2) = 385. Without it: 10 - 3 * 3 = 1; with
// unsigned-input (s8 x s8 only) the same.
// CHECK-LABEL: func.func @unsigned_by_signed
// CHECK:         arith.constant dense<1> : tensor<1xi32>
// CHECK-NOT:     qnn.int.rescale
// UNSIGNED-LABEL: func.func @unsigned_by_signed
// UNSIGNED:         arith.constant dense<1> : tensor<1xi32>
// UNSIGNED-NOT:     qnn.int.rescale
// SIGNED-LABEL: func.func @unsigned_by_signed
// SIGNED-SAME:    (%[[X:.*]]: tensor<1x2xui8>)
// SIGNED:         %[[B:.*]] = arith.constant dense<385> : tensor<1xi32>
// SIGNED:         %[[S:.*]] = qnn.int.rescale %[[X]] {multiplier = array<i32: 1073741824>, output_zp = -128 : i64, shift = array<i32: 1>} : (tensor<1x2xui8>) -> tensor<1x2xi8>
// SIGNED-NEXT:    qnn.int.fully_connected %[[S]], %{{.*}}, %[[B]] : (tensor<1x2xi8>, tensor<1x2xi8>, tensor<1xi32>) -> tensor<1x1xi32>
func.func @unsigned_by_signed(%x: tensor<1x2xui8>) -> tensor<1x1xi32> {
  %w = arith.constant dense<[[1, 2]]> : tensor<1x2xi8>
  %b = arith.constant dense<10> : tensor<1xi32>
  %0 = qnn.int.fully_connected %x, %w, %b {input_zp = 3 : i64} : (tensor<1x2xui8>, tensor<1x2xi8>, tensor<1xi32>) -> tensor<1x1xi32>
  return %0 : tensor<1x1xi32>
}

// -----

// Zx = 128 becomes 0 after the shift: only the shift is left to do, and
// the bias is 0. s8 x s8 and u8 x u8 contractions (sdot takes s8 weights
// only) keep their input.
// UNSIGNED-LABEL: func.func @unsigned_zero_point_128
// SIGNED-LABEL: func.func @unsigned_zero_point_128
// SIGNED:         arith.constant dense<0> : tensor<1xi32>
// SIGNED:         qnn.int.rescale {{.*}} -> tensor<1x2xi8>
// SIGNED-NEXT:    qnn.int.fully_connected {{.*}} : (tensor<1x2xi8>, tensor<1x2xi8>, tensor<1xi32>)
// SIGNED-LABEL: func.func @signed_and_unsigned_weights
// SIGNED-NOT:     qnn.int.rescale
// SIGNED:         qnn.int.fully_connected {{.*}} : (tensor<1x2xi8>, tensor<1x2xi8>, tensor<1xi32>)
// SIGNED-NOT:     qnn.int.rescale
// SIGNED:         qnn.int.conv2d {{.*}} : (tensor<1x2x2x1xui8>, tensor<1x1x1x1xui8>, tensor<1xi32>)
func.func @unsigned_zero_point_128(%x: tensor<1x2xui8>) -> tensor<1x1xi32> {
  %w = arith.constant dense<[[1, 2]]> : tensor<1x2xi8>
  %0 = qnn.int.fully_connected %x, %w {input_zp = 128 : i64} : (tensor<1x2xui8>, tensor<1x2xi8>) -> tensor<1x1xi32>
  return %0 : tensor<1x1xi32>
}

func.func @signed_and_unsigned_weights(%x: tensor<1x2xi8>, %y: tensor<1x2x2x1xui8>)
    -> (tensor<1x1xi32>, tensor<1x2x2x1xi32>) {
  %w = arith.constant dense<[[1, 2]]> : tensor<1x2xi8>
  %0 = qnn.int.fully_connected %x, %w {input_zp = 1 : i64} : (tensor<1x2xi8>, tensor<1x2xi8>) -> tensor<1x1xi32>
  %v = arith.constant dense<3> : tensor<1x1x1x1xui8>
  %1 = qnn.int.conv2d %y, %v {input_zp = 1 : i64} : (tensor<1x2x2x1xui8>, tensor<1x1x1x1xui8>) -> tensor<1x2x2x1xi32>
  return %0, %1 : tensor<1x1xi32>, tensor<1x2x2x1xi32>
}

// -----

// unsigned-input: a value that a contraction reads through a shift to u8
// and that otherwise only feeds adds moves to u8 itself, with the adds'
// operands and results (a residual chain): its producers (quantize,
// rescale, add) take zero points and clamps moved by 128, the adds read
// zero points moved alike, and no shift is left. Each add computes the same
// sum: (q + 128) - (Zq + 128) = q - Zq. Without the option nothing moves.
// CHECK-LABEL: func.func @residual_web
// CHECK:         qnn.int.add {{.*}} -> tensor<1x2xi8>
// UNSIGNED-LABEL: func.func @residual_web
// UNSIGNED-NOT:     output_zp = 128
// UNSIGNED:         %[[Q:.*]] = qnn.int.quantize %{{.*}} {scale = 5.000000e-01 : f64, zero_point = 114 : i64} : (tensor<1x2xf32>) -> tensor<1x2xui8>
// UNSIGNED:         %[[R:.*]] = qnn.int.rescale %{{.*}} {clamp_min = 28 : i64, multiplier = array<i32: 1073741824>, output_zp = 134 : i64, shift = array<i32: -3>} : (tensor<1x2xi32>) -> tensor<1x2xui8>
// UNSIGNED:         %[[S:.*]] = qnn.int.add %[[Q]], %[[R]] {clamp_max = 228 : i64, lhs_multiplier = 1073741824 : i32, lhs_shift = 0 : i32, lhs_zp = 114 : i64, output_multiplier = 1073741824 : i32, output_shift = -20 : i32, output_zp = 100 : i64, rhs_multiplier = 1073741824 : i32, rhs_shift = 0 : i32, rhs_zp = 134 : i64} : (tensor<1x2xui8>, tensor<1x2xui8>) -> tensor<1x2xui8>
// UNSIGNED-NEXT:    qnn.int.fully_connected %[[R]], {{.*}} : (tensor<1x2xui8>, tensor<1x2xi8>, tensor<1xi32>) -> tensor<1x1xi32>
// UNSIGNED-NEXT:    qnn.int.fully_connected %[[S]], {{.*}} : (tensor<1x2xui8>, tensor<1x2xi8>, tensor<1xi32>) -> tensor<1x1xi32>
// UNSIGNED-NOT:     output_zp = 128
// UNSIGNED:         return
func.func @residual_web(%x: tensor<1x2xf32>, %acc: tensor<1x2xi32>) -> (tensor<1x1xi32>, tensor<1x1xi32>) {
  %w = arith.constant dense<[[1, 2]]> : tensor<1x2xi8>
  %q = qnn.int.quantize %x {scale = 0.5 : f64, zero_point = -14 : i64} : (tensor<1x2xf32>) -> tensor<1x2xi8>
  %r = qnn.int.rescale %acc {multiplier = array<i32: 1073741824>, shift = array<i32: -3>, output_zp = 6 : i64, clamp_min = -100 : i64} : (tensor<1x2xi32>) -> tensor<1x2xi8>
  %s = qnn.int.add %q, %r {lhs_zp = -14 : i64, rhs_zp = 6 : i64, output_zp = -28 : i64, lhs_multiplier = 1073741824 : i32, lhs_shift = 0 : i32, rhs_multiplier = 1073741824 : i32, rhs_shift = 0 : i32, output_multiplier = 1073741824 : i32, output_shift = -20 : i32, clamp_max = 100 : i64} : (tensor<1x2xi8>, tensor<1x2xi8>) -> tensor<1x2xi8>
  %0 = qnn.int.fully_connected %r, %w {input_zp = 6 : i64} : (tensor<1x2xi8>, tensor<1x2xi8>) -> tensor<1x1xi32>
  %1 = qnn.int.fully_connected %s, %w {input_zp = -28 : i64} : (tensor<1x2xi8>, tensor<1x2xi8>) -> tensor<1x1xi32>
  return %0, %1 : tensor<1x1xi32>, tensor<1x1xi32>
}

// -----

// A max pool of a moved value is the moved max pool: the pool's input and
// result join the web (ResNet-18's stem feeds its first residual stage
// through one).
// UNSIGNED-LABEL: func.func @max_pool_web
// UNSIGNED-NOT:     output_zp = 128
// UNSIGNED:         %[[R:.*]] = qnn.int.rescale %{{.*}} {multiplier = array<i32: 1073741824>, output_zp = 123 : i64, shift = array<i32: -3>} : (tensor<1x4x4x1xi32>) -> tensor<1x4x4x1xui8>
// UNSIGNED:         %[[P:.*]] = qnn.max_pool2d %[[R]] {{.*}} : (tensor<1x4x4x1xui8>) -> tensor<1x2x2x1xui8>
// UNSIGNED:         %[[S:.*]] = qnn.int.add %[[P]], %[[P]] {{.*}}lhs_zp = 123 : i64{{.*}}output_zp = 135 : i64{{.*}}rhs_zp = 123 : i64} : (tensor<1x2x2x1xui8>, tensor<1x2x2x1xui8>) -> tensor<1x2x2x1xui8>
// UNSIGNED:         qnn.int.conv2d %[[P]], {{.*}} : (tensor<1x2x2x1xui8>, tensor<1x1x1x1xi8>, tensor<1xi32>) -> tensor<1x2x2x1xi32>
// UNSIGNED:         qnn.int.conv2d %[[S]], {{.*}} : (tensor<1x2x2x1xui8>, tensor<1x1x1x1xi8>, tensor<1xi32>) -> tensor<1x2x2x1xi32>
// UNSIGNED-NOT:     output_zp = 128
// UNSIGNED:         return
func.func @max_pool_web(%acc: tensor<1x4x4x1xi32>) -> (tensor<1x2x2x1xi32>, tensor<1x2x2x1xi32>) {
  %w = arith.constant dense<3> : tensor<1x1x1x1xi8>
  %r = qnn.int.rescale %acc {multiplier = array<i32: 1073741824>, shift = array<i32: -3>, output_zp = -5 : i64} : (tensor<1x4x4x1xi32>) -> tensor<1x4x4x1xi8>
  %p = qnn.max_pool2d %r {kernel = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x4x4x1xi8>) -> tensor<1x2x2x1xi8>
  %s = qnn.int.add %p, %p {lhs_zp = -5 : i64, rhs_zp = -5 : i64, output_zp = 7 : i64, lhs_multiplier = 1073741824 : i32, lhs_shift = 0 : i32, rhs_multiplier = 1073741824 : i32, rhs_shift = 0 : i32, output_multiplier = 1073741824 : i32, output_shift = -20 : i32} : (tensor<1x2x2x1xi8>, tensor<1x2x2x1xi8>) -> tensor<1x2x2x1xi8>
  %0 = qnn.int.conv2d %p, %w {input_zp = -5 : i64} : (tensor<1x2x2x1xi8>, tensor<1x1x1x1xi8>) -> tensor<1x2x2x1xi32>
  %1 = qnn.int.conv2d %s, %w {input_zp = 7 : i64} : (tensor<1x2x2x1xi8>, tensor<1x1x1x1xi8>) -> tensor<1x2x2x1xi32>
  return %0, %1 : tensor<1x2x2x1xi32>, tensor<1x2x2x1xi32>
}

// -----

// A value of the web that something else reads as s8 (here the function's
// result; a function argument, which nothing produces, alike) keeps its
// type: the shift stays.
// UNSIGNED-LABEL: func.func @web_read_elsewhere
// UNSIGNED:         qnn.int.add {{.*}} -> tensor<1x2xi8>
// UNSIGNED:         qnn.int.rescale {{.*}}output_zp = 128 : i64{{.*}} -> tensor<1x2xui8>
// UNSIGNED-NEXT:    qnn.int.fully_connected
func.func @web_read_elsewhere(%a: tensor<1x2xi32>, %b: tensor<1x2xi32>) -> (tensor<1x1xi32>, tensor<1x2xi8>) {
  %w = arith.constant dense<[[1, 2]]> : tensor<1x2xi8>
  %r0 = qnn.int.rescale %a {multiplier = array<i32: 1073741824>, shift = array<i32: -3>} : (tensor<1x2xi32>) -> tensor<1x2xi8>
  %r1 = qnn.int.rescale %b {multiplier = array<i32: 1073741824>, shift = array<i32: -3>} : (tensor<1x2xi32>) -> tensor<1x2xi8>
  %s = qnn.int.add %r0, %r1 {lhs_multiplier = 1073741824 : i32, lhs_shift = 0 : i32, rhs_multiplier = 1073741824 : i32, rhs_shift = 0 : i32, output_multiplier = 1073741824 : i32, output_shift = -20 : i32} : (tensor<1x2xi8>, tensor<1x2xi8>) -> tensor<1x2xi8>
  %0 = qnn.int.fully_connected %s, %w {input_zp = -28 : i64} : (tensor<1x2xi8>, tensor<1x2xi8>) -> tensor<1x1xi32>
  return %0, %r1 : tensor<1x1xi32>, tensor<1x2xi8>
}

// -----

// signed-input moves u8 webs to s8 the same way, by -128.
// SIGNED-LABEL: func.func @unsigned_web
// SIGNED-NOT:       output_zp = -128
// SIGNED:           qnn.int.quantize %{{.*}} {scale = 5.000000e-01 : f64, zero_point = -2 : i64} : (tensor<1x2xf32>) -> tensor<1x2xi8>
// SIGNED:           qnn.int.rescale %{{.*}} {multiplier = array<i32: 1073741824>, output_zp = -8 : i64, shift = array<i32: -3>} : (tensor<1x2xi32>) -> tensor<1x2xi8>
// SIGNED:           qnn.int.add {{.*}}lhs_zp = -2 : i64{{.*}}output_zp = -28 : i64{{.*}}rhs_zp = -8 : i64} : (tensor<1x2xi8>, tensor<1x2xi8>) -> tensor<1x2xi8>
// SIGNED-NEXT:      qnn.int.fully_connected {{.*}} : (tensor<1x2xi8>, tensor<1x2xi8>, tensor<1xi32>) -> tensor<1x1xi32>
// SIGNED-NOT:       output_zp = -128
func.func @unsigned_web(%x: tensor<1x2xf32>, %acc: tensor<1x2xi32>) -> tensor<1x1xi32> {
  %w = arith.constant dense<[[1, 2]]> : tensor<1x2xi8>
  %q = qnn.int.quantize %x {scale = 0.5 : f64, zero_point = 126 : i64} : (tensor<1x2xf32>) -> tensor<1x2xui8>
  %r = qnn.int.rescale %acc {multiplier = array<i32: 1073741824>, shift = array<i32: -3>, output_zp = 120 : i64} : (tensor<1x2xi32>) -> tensor<1x2xui8>
  %s = qnn.int.add %q, %r {lhs_zp = 126 : i64, rhs_zp = 120 : i64, output_zp = 100 : i64, lhs_multiplier = 1073741824 : i32, lhs_shift = 0 : i32, rhs_multiplier = 1073741824 : i32, rhs_shift = 0 : i32, output_multiplier = 1073741824 : i32, output_shift = -20 : i32} : (tensor<1x2xui8>, tensor<1x2xui8>) -> tensor<1x2xui8>
  %0 = qnn.int.fully_connected %s, %w {input_zp = 100 : i64} : (tensor<1x2xui8>, tensor<1x2xi8>) -> tensor<1x1xi32>
  return %0 : tensor<1x1xi32>
}
