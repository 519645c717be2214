// qnn.reshape, qnn.transpose, qnn.concat and qnn.max_pool2d move values at
// every level: float values, integer values and quantized storage values
// alike.

// RUN: qopt-run %s --function reshape_concat | FileCheck %s --check-prefix=CONCAT
// RUN: qopt-run %s --function max_pool2d | FileCheck %s --check-prefix=MAXPOOL
// RUN: qopt-run %s --function transpose | FileCheck %s --check-prefix=TRANSPOSE

// Concatenating [[1], [2]] and [[3, 4], [5, 6]] along axis 1, then reading
// the 2x3 row-major as 3x2.
// CONCAT: tensor<3x2xf32>: {{\[\[}}1, 3], [4, 2], [5, 6]]
// CONCAT-NEXT: tensor<2x3xi16>: {{\[\[}}1, 3, 4], [2, 5, 6]]
// CONCAT-NEXT: tensor<1x3x!quant.uniform<i8:f32, 5.000000e-01:-3>>: {{\[\[}}-3, 7, 8]]
func.func @reshape_concat() -> (tensor<3x2xf32>, tensor<2x3xi16>,
                                tensor<1x3x!quant.uniform<i8:f32, 0.5:-3>>) {
  %a = arith.constant dense<[[1.0], [2.0]]> : tensor<2x1xf32>
  %b = arith.constant dense<[[3.0, 4.0], [5.0, 6.0]]> : tensor<2x2xf32>
  %0 = qnn.concat %a, %b {axis = 1 : i64}
       : (tensor<2x1xf32>, tensor<2x2xf32>) -> tensor<2x3xf32>
  %1 = qnn.reshape %0 : (tensor<2x3xf32>) -> tensor<3x2xf32>
  %c = arith.constant dense<[[1], [2]]> : tensor<2x1xi16>
  %d = arith.constant dense<[[3, 4], [5, 6]]> : tensor<2x2xi16>
  %2 = qnn.concat %c, %d {axis = 1 : i64}
       : (tensor<2x1xi16>, tensor<2x2xi16>) -> tensor<2x3xi16>
  %e = qnn.const dense<[-3]> : tensor<1xi8> -> tensor<1x!quant.uniform<i8:f32, 0.5:-3>>
  %f = qnn.const dense<[7, 8]> : tensor<2xi8> -> tensor<2x!quant.uniform<i8:f32, 0.5:-3>>
  %3 = qnn.concat %e, %f {axis = 0 : i64}
       : (tensor<1x!quant.uniform<i8:f32, 0.5:-3>>, tensor<2x!quant.uniform<i8:f32, 0.5:-3>>)
       -> tensor<3x!quant.uniform<i8:f32, 0.5:-3>>
  %4 = qnn.reshape %3 : (tensor<3x!quant.uniform<i8:f32, 0.5:-3>>)
       -> tensor<1x3x!quant.uniform<i8:f32, 0.5:-3>>
  return %1, %2, %4 : tensor<3x2xf32>, tensor<2x3xi16>, tensor<1x3x!quant.uniform<i8:f32, 0.5:-3>>
}

// 2x2 windows, stride 1, padding bottom 1 and right 1 over
// [[1, -5], [-7, 3]]; padded positions are not candidates, so the last
// window is [3], not 0.
// MAXPOOL: tensor<1x2x2x1xf32>: {{\[\[\[\[}}3], [3]], {{\[\[}}3], [3]]]]
// MAXPOOL-NEXT: tensor<1x2x2x1xi8>: {{\[\[\[\[}}3], [3]], {{\[\[}}3], [3]]]]
// MAXPOOL-NEXT: tensor<1x1x2x1xi8>: {{\[\[\[\[}}1], [-5]]]]
func.func @max_pool2d() -> (tensor<1x2x2x1xf32>, tensor<1x2x2x1xi8>, tensor<1x1x2x1xi8>) {
  %x = arith.constant dense<[[[[1.0], [-5.0]], [[-7.0], [3.0]]]]> : tensor<1x2x2x1xf32>
  %0 = qnn.max_pool2d %x {kernel = array<i64: 2, 2>, padding = array<i64: 0, 1, 0, 1>}
       : (tensor<1x2x2x1xf32>) -> tensor<1x2x2x1xf32>
  %y = arith.constant dense<[[[[1], [-5]], [[-7], [3]]]]> : tensor<1x2x2x1xi8>
  %1 = qnn.max_pool2d %y {kernel = array<i64: 2, 2>, padding = array<i64: 0, 1, 0, 1>}
       : (tensor<1x2x2x1xi8>) -> tensor<1x2x2x1xi8>
  // A 1x1 window with strides [2, 1] picks the first row.
  %2 = qnn.max_pool2d %y {kernel = array<i64: 1, 1>, strides = array<i64: 2, 1>}
       : (tensor<1x2x2x1xi8>) -> tensor<1x1x2x1xi8>
  return %0, %1, %2 : tensor<1x2x2x1xf32>, tensor<1x2x2x1xi8>, tensor<1x1x2x1xi8>
}

// x[b, c, a] = 12 b + 4 c + a (0 to 23); permutation [2, 0, 1] makes
// result[a, b, c] = x[b, c, a]. NCHW -> NHWC of a 1x3x1x2 tensor of floats,
// and a per-axis quantized tensor whose axis follows its dimension.
// TRANSPOSE: tensor<4x2x3xi16>: {{\[\[\[}}0, 4, 8], [12, 16, 20]], {{\[\[}}1, 5, 9], [13, 17, 21]], {{\[\[}}2, 6, 10], [14, 18, 22]], {{\[\[}}3, 7, 11], [15, 19, 23]]]
// TRANSPOSE-NEXT: tensor<1x1x2x3xf32>: {{\[\[\[\[}}1, 3, 5], [2, 4, 6]]]]
// TRANSPOSE-NEXT: tensor<3x2x!quant.uniform<i8:f32:0, {1.000000e-01,2.000000e-01,3.000000e-01}>>: {{\[\[}}1, 4], [2, 5], [3, 6]]
func.func @transpose() -> (tensor<4x2x3xi16>, tensor<1x1x2x3xf32>,
                           tensor<3x2x!quant.uniform<i8:f32:0, {0.1, 0.2, 0.3}>>) {
  %x = arith.constant dense<[[[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]],
                             [[12, 13, 14, 15], [16, 17, 18, 19], [20, 21, 22, 23]]]>
       : tensor<2x3x4xi16>
  %0 = qnn.transpose %x {permutation = array<i64: 2, 0, 1>}
       : (tensor<2x3x4xi16>) -> tensor<4x2x3xi16>
  %f = arith.constant dense<[[[[1.0, 2.0]], [[3.0, 4.0]], [[5.0, 6.0]]]]> : tensor<1x3x1x2xf32>
  %1 = qnn.transpose %f {permutation = array<i64: 0, 2, 3, 1>}
       : (tensor<1x3x1x2xf32>) -> tensor<1x1x2x3xf32>
  %q = qnn.const dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi8>
       -> tensor<2x3x!quant.uniform<i8:f32:1, {0.1, 0.2, 0.3}>>
  %2 = qnn.transpose %q {permutation = array<i64: 1, 0>}
       : (tensor<2x3x!quant.uniform<i8:f32:1, {0.1, 0.2, 0.3}>>)
       -> tensor<3x2x!quant.uniform<i8:f32:0, {0.1, 0.2, 0.3}>>
  return %0, %1, %2 : tensor<4x2x3xi16>, tensor<1x1x2x3xf32>,
                      tensor<3x2x!quant.uniform<i8:f32:0, {0.1, 0.2, 0.3}>>
}
