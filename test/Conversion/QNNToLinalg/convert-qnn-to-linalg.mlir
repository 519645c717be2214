// RUN: qopt %s --qopt-convert-qnn-to-linalg -split-input-file -verify-diagnostics | FileCheck %s

// Unsigned storage becomes signless and is zero-extended; the per-channel
// weight zero point is a tensor read along the output channel; the bias
// initializes the accumulator.
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[W:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[CH:.*]] = affine_map<(d0, d1, d2) -> (d1)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @fc(
// CHECK-SAME: %[[X:.*]]: tensor<2x3xi8>, %[[WT:.*]]: tensor<4x3xi8>, %[[B:.*]]: tensor<4xi32>) -> tensor<2x4xi32>
// CHECK: %[[INIT:.*]] = linalg.broadcast ins(%[[B]] : tensor<4xi32>) outs(%{{.*}} : tensor<2x4xi32>) dimensions = [0]
// CHECK: %[[ZP:.*]] = arith.constant dense<[0, 1, 2, 3]> : tensor<4xi32>
// CHECK: linalg.generic {indexing_maps = [#[[IN]], #[[W]], #[[CH]], #[[OUT]]], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK-SAME: ins(%[[X]], %[[WT]], %[[ZP]] : {{.*}}) outs(%[[INIT]] : tensor<2x4xi32>)
// CHECK: ^bb0(%[[I:.*]]: i8, %[[WV:.*]]: i8, %[[Z:.*]]: i32, %[[ACC:.*]]: i32):
// CHECK:   %[[IE:.*]] = arith.extui %[[I]] : i8 to i32
// CHECK:   %[[IZ:.*]] = arith.subi %[[IE]], %{{.*}} : i32
// CHECK:   %[[WE:.*]] = arith.extsi %[[WV]] : i8 to i32
// CHECK:   %[[WZ:.*]] = arith.subi %[[WE]], %[[Z]] : i32
// CHECK:   %[[P:.*]] = arith.muli %[[IZ]], %[[WZ]] : i32
// CHECK:   %[[S:.*]] = arith.addi %[[ACC]], %[[P]] : i32
// CHECK:   linalg.yield %[[S]] : i32
func.func @fc(%x: tensor<2x3xui8>, %w: tensor<4x3xi8>, %b: tensor<4xi32>) -> tensor<2x4xi32> {
  %0 = qnn.int.fully_connected %x, %w, %b {input_zp = 128 : i64, weights_zp = array<i64: 0, 1, 2, 3>}
       : (tensor<2x3xui8>, tensor<4x3xi8>, tensor<4xi32>) -> tensor<2x4xi32>
  return %0 : tensor<2x4xi32>
}

// -----

// Padding holds the input zero point; a zero filter zero point is not
// subtracted; no bias starts the accumulator at 0.
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1 * 2 + d4, d2 * 2 + d5, d6)>
// CHECK-DAG: #[[F:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d3, d4, d5, d6)>
// CHECK-LABEL: func.func @conv(
// CHECK: %[[ZP:.*]] = arith.constant -5 : i8
// CHECK: %[[PAD:.*]] = tensor.pad %{{.*}} low[0, 1, 1, 0] high[0, 0, 0, 0]
// CHECK:   tensor.yield %[[ZP]] : i8
// CHECK: } : tensor<1x4x4x3xi8> to tensor<1x5x5x3xi8>
// CHECK: %[[INIT:.*]] = linalg.fill ins(%{{.*}} : i32) outs(%{{.*}} : tensor<1x2x2x8xi32>)
// CHECK: linalg.generic {indexing_maps = [#[[IN]], #[[F]], #{{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
// CHECK-SAME: ins(%[[PAD]], %{{.*}} : tensor<1x5x5x3xi8>, tensor<8x3x3x3xi8>)
// CHECK:   arith.extsi
// CHECK:   arith.subi
// CHECK:   arith.extsi
// CHECK-NEXT: arith.muli
func.func @conv(%x: tensor<1x4x4x3xi8>, %f: tensor<8x3x3x3xi8>) -> tensor<1x2x2x8xi32> {
  %0 = qnn.int.conv2d %x, %f {input_zp = -5 : i64, filter_zp = array<i64: 0>,
         strides = array<i64: 2, 2>, padding = array<i64: 1, 0, 1, 0>}
       : (tensor<1x4x4x3xi8>, tensor<8x3x3x3xi8>) -> tensor<1x2x2x8xi32>
  return %0 : tensor<1x2x2x8xi32>
}

// -----

// Depthwise with depth multiplier 2: output channel o reads input channel
// o floordiv 2 and filter [0, ky, kx, o].
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1 + d4, d2 + d5, d3 floordiv 2)>
// CHECK-DAG: #[[F:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (0, d4, d5, d3)>
// CHECK-LABEL: func.func @depthwise(
// CHECK: linalg.generic {indexing_maps = [#[[IN]], #[[F]], #{{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]}
func.func @depthwise(%x: tensor<1x4x4x2xi8>, %f: tensor<1x3x3x4xi8>) -> tensor<1x2x2x4xi32> {
  %0 = qnn.int.depthwise_conv2d %x, %f : (tensor<1x4x4x2xi8>, tensor<1x3x3x4xi8>) -> tensor<1x2x2x4xi32>
  return %0 : tensor<1x2x2x4xi32>
}

// -----

// M = 2^30 * 2^(-1 - 31): tosa.apply_scale shifts right by 31 - (-1) = 32.
// The clamp is the attribute's intersected with ui8's range.
// CHECK-LABEL: func.func @rescale(
// CHECK-SAME: -> tensor<2x3xi8>
// CHECK: linalg.generic
// CHECK: ^bb0(%[[X:.*]]: i32, %{{.*}}: i8):
// CHECK:   %[[M:.*]] = arith.constant 1073741824 : i32
// CHECK:   %[[N:.*]] = arith.constant 32 : i8
// CHECK:   %[[S:.*]] = tosa.apply_scale %[[X]], %[[M]], %[[N]] {rounding_mode = DOUBLE_ROUND} : (i32, i32, i8) -> i32
// CHECK:   %[[Z:.*]] = arith.addi %[[S]], %{{.*}} : i32
// CHECK:   %[[LO:.*]] = arith.maxsi %[[Z]], %{{.*}} : i32
// CHECK:   %[[HI:.*]] = arith.minsi %[[LO]], %{{.*}} : i32
// CHECK:   %[[T:.*]] = arith.trunci %[[HI]] : i32 to i8
// CHECK:   linalg.yield %[[T]] : i8
func.func @rescale(%x: tensor<2x3xi32>) -> tensor<2x3xui8> {
  %0 = qnn.int.rescale %x {multiplier = array<i32: 1073741824>, shift = array<i32: -1>,
         output_zp = 7 : i64, clamp_max = 100 : i64}
       : (tensor<2x3xi32>) -> tensor<2x3xui8>
  return %0 : tensor<2x3xui8>
}

// -----

// Per-channel multipliers and shifts are constant tensors along the
// innermost dimension; single rounding.
// CHECK-LABEL: func.func @rescale_per_channel(
// CHECK-DAG: arith.constant dense<[1073741824, 1395864371]> : tensor<2xi32>
// CHECK-DAG: arith.constant dense<[38, 37]> : tensor<2xi8>
// CHECK: tosa.apply_scale %{{.*}}, %{{.*}}, %{{.*}} {rounding_mode = SINGLE_ROUND}
func.func @rescale_per_channel(%x: tensor<4x2xi32>) -> tensor<4x2xi8> {
  %0 = qnn.int.rescale %x {multiplier = array<i32: 1073741824, 1395864371>,
         shift = array<i32: -7, -6>, rounding = #qnn.rounding<single_round>}
       : (tensor<4x2xi32>) -> tensor<4x2xi8>
  return %0 : tensor<4x2xi8>
}

// -----

// M = 2^30 * 2^(1 - 31) = 1 (how zero-point expansion moves i8 to u8) and
// M = 2^30 * 2^(3 - 31) = 4 are exact: no apply_scale, x itself and x << 2.
// CHECK-LABEL: func.func @rescale_power_of_two(
// CHECK: linalg.generic
// CHECK-NOT: tosa.apply_scale
// CHECK: ^bb0(%[[X:.*]]: i8, %{{.*}}: i8):
// CHECK:   %[[E:.*]] = arith.extsi %[[X]] : i8 to i32
// CHECK:   %[[Z:.*]] = arith.addi %[[E]], %{{.*}} : i32
// CHECK:   arith.maxsi %[[Z]]
// CHECK: linalg.generic
// CHECK: ^bb0(%[[Y:.*]]: i8, %{{.*}}: i32):
// CHECK:   %[[F:.*]] = arith.extsi %[[Y]] : i8 to i32
// CHECK:   %[[TWO:.*]] = arith.constant 2 : i32
// CHECK:   %[[S:.*]] = arith.shli %[[F]], %[[TWO]] : i32
// CHECK:   arith.maxsi %[[S]], %{{.*}} : i32
// CHECK-NOT: tosa.apply_scale
func.func @rescale_power_of_two(%x: tensor<8xi8>) -> (tensor<8xui8>, tensor<8xi32>) {
  %0 = qnn.int.rescale %x {multiplier = array<i32: 1073741824>, shift = array<i32: 1>,
         output_zp = 128 : i64} : (tensor<8xi8>) -> tensor<8xui8>
  %1 = qnn.int.rescale %x {multiplier = array<i32: 1073741824>, shift = array<i32: 3>}
       : (tensor<8xi8>) -> tensor<8xi32>
  return %0, %1 : tensor<8xui8>, tensor<8xi32>
}

// -----

// TFLite's add: the operand with the larger scale is multiplied by 1/2
// (M0 = 2^30, shift 0) after the left shift by 20, exactly a left shift by
// 19; the other operand and the sum keep their apply_scale.
// CHECK-LABEL: func.func @add_half_scale(
// CHECK: ^bb0(%[[A:.*]]: i8, %[[B:.*]]: i8, %{{.*}}: i8):
// CHECK:   %[[L:.*]] = arith.subi %{{.*}}, %{{.*}} : i32
// CHECK:   %[[R:.*]] = arith.subi %{{.*}}, %{{.*}} : i32
// CHECK:   %[[C19:.*]] = arith.constant 19 : i32
// CHECK:   %[[LS:.*]] = arith.shli %[[L]], %[[C19]] : i32
// CHECK:   %[[C20:.*]] = arith.constant 20 : i32
// CHECK:   %[[RS:.*]] = arith.shli %[[R]], %[[C20]] : i32
// CHECK:   %[[RM:.*]] = tosa.apply_scale %[[RS]], %{{.*}}, %{{.*}} {rounding_mode = DOUBLE_ROUND}
// CHECK:   %[[SUM:.*]] = arith.addi %[[LS]], %[[RM]] : i32
// CHECK:   tosa.apply_scale %[[SUM]]
// CHECK-NOT: tosa.apply_scale
func.func @add_half_scale(%a: tensor<8xi8>, %b: tensor<8xi8>) -> tensor<8xi8> {
  %0 = qnn.int.add %a, %b {lhs_multiplier = 1073741824 : i32, lhs_shift = 0 : i32,
         lhs_zp = -17 : i64, output_multiplier = 1101348246 : i32,
         output_shift = -17 : i32, output_zp = -128 : i64,
         rhs_multiplier = 1316047957 : i32, rhs_shift = -2 : i32, rhs_zp = -128 : i64}
       : (tensor<8xi8>, tensor<8xi8>) -> tensor<8xi8>
  return %0 : tensor<8xi8>
}

// -----

// Collapses and expansions when the shapes allow, tensor.reshape otherwise.
// CHECK-LABEL: func.func @reshape(
// CHECK: tensor.collapse_shape %{{.*}} {{\[}}[0], [1, 2, 3]] : tensor<1x1x1x8xi8> into tensor<1x8xi8>
// CHECK: tensor.expand_shape %{{.*}} {{\[}}[0], [1, 2]] output_shape [1, 4, 2] : tensor<1x8xi8> into tensor<1x4x2xi8>
// CHECK: %[[SHAPE:.*]] = arith.constant dense<[4, 2, 1]> : tensor<3xi64>
// CHECK: tensor.reshape %{{.*}}(%[[SHAPE]]) : (tensor<2x4x1xi8>, tensor<3xi64>) -> tensor<4x2x1xi8>
func.func @reshape(%x: tensor<1x1x1x8xui8>, %y: tensor<1x8xui8>, %z: tensor<2x4x1xui8>)
    -> (tensor<1x8xui8>, tensor<1x4x2xui8>, tensor<4x2x1xui8>) {
  %0 = qnn.reshape %x : (tensor<1x1x1x8xui8>) -> tensor<1x8xui8>
  %1 = qnn.reshape %y : (tensor<1x8xui8>) -> tensor<1x4x2xui8>
  %2 = qnn.reshape %z : (tensor<2x4x1xui8>) -> tensor<4x2x1xui8>
  return %0, %1, %2 : tensor<1x8xui8>, tensor<1x4x2xui8>, tensor<4x2x1xui8>
}

// -----

// ui8 weights keep their bits as i8.
// CHECK-LABEL: func.func @pad_constant(
// CHECK: arith.constant dense<[0, -1, -128]> : tensor<3xi8>
// CHECK: tensor.pad %{{.*}} low[2] high[1]
// CHECK:   tensor.yield %{{.*}} : i8
func.func @pad_constant() -> tensor<6xui8> {
  %w = arith.constant dense<[0, 255, 128]> : tensor<3xui8>
  %0 = qnn.int.pad %w {padding = array<i64: 2, 1>, value = 200 : i64}
       : (tensor<3xui8>) -> tensor<6xui8>
  return %0 : tensor<6xui8>
}

// -----

// Float-level ops have no lowering.
func.func @float_add(%a: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @below {{failed to legalize operation 'qnn.add'}}
  %0 = qnn.add %a, %a : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// PyTorch qnnpack's add: the weighted sum in i32, then gemmlowp's
// RoundingDivideByPOT (ties away from zero). Where the sum plus half the
// divisor fits i32 (here at most 127 * 2796203 + 252 * 2097152 + 2^21), the
// rounding is folded into the floor, (sum + (sum >> 31) + 2^21) >> 22: one
// less for a negative sum. Otherwise it is one more when the remainder
// exceeds half the divisor minus one, plus one for a negative sum.
// CHECK-LABEL: func.func @weighted_add
// CHECK:         %[[A:.*]] = arith.extui %{{.*}} : i8 to i32
// CHECK:         %[[AC:.*]] = arith.subi %[[A]], %{{.*}} : i32
// CHECK:         %[[AW:.*]] = arith.muli %[[AC]], %{{.*}} : i32
// CHECK:         %[[BW:.*]] = arith.muli %{{.*}}, %{{.*}} : i32
// CHECK:         %[[SUM:.*]] = arith.addi %[[AW]], %[[BW]] : i32
// CHECK:         %[[SHIFT:.*]] = arith.constant 22 : i32
// CHECK:         %[[C31:.*]] = arith.constant 31 : i32
// CHECK:         %[[SIGN:.*]] = arith.shrsi %[[SUM]], %[[C31]] : i32
// CHECK:         %[[FLOORED:.*]] = arith.addi %[[SUM]], %[[SIGN]] : i32
// CHECK:         %[[HALF:.*]] = arith.constant 2097152 : i32
// CHECK:         %[[NUDGED:.*]] = arith.addi %[[FLOORED]], %[[HALF]] : i32
// CHECK:         %[[ROUNDED:.*]] = arith.shrsi %[[NUDGED]], %[[SHIFT]] : i32
// CHECK:         arith.addi %[[ROUNDED]], %{{.*}} : i32
// CHECK-LABEL: func.func @weighted_add_near_int32_max
// CHECK:         %[[SUM:.*]] = arith.addi %{{.*}}, %{{.*}} : i32
// CHECK:         %[[SHIFT:.*]] = arith.constant 8 : i32
// CHECK:         %[[MASK:.*]] = arith.constant 255 : i32
// CHECK:         %[[REM:.*]] = arith.andi %[[SUM]], %[[MASK]] : i32
// CHECK:         %[[NEG:.*]] = arith.cmpi slt, %[[SUM]], %{{.*}} : i32
// CHECK:         %[[HALF:.*]] = arith.constant 127 : i32
// CHECK:         %[[NEGI:.*]] = arith.extui %[[NEG]] : i1 to i32
// CHECK:         %[[THRESHOLD:.*]] = arith.addi %[[HALF]], %[[NEGI]] : i32
// CHECK:         %[[UP:.*]] = arith.cmpi sgt, %[[REM]], %[[THRESHOLD]] : i32
// CHECK:         %[[FLOOR:.*]] = arith.shrsi %[[SUM]], %[[SHIFT]] : i32
// CHECK:         %[[UPI:.*]] = arith.extui %[[UP]] : i1 to i32
// CHECK:         arith.addi %[[FLOOR]], %[[UPI]] : i32
func.func @weighted_add(%a: tensor<4xui8>, %b: tensor<4xui8>) -> tensor<4xui8> {
  %0 = qnn.int.weighted_add %a, %b {lhs_zp = 128 : i64, rhs_zp = 3 : i64,
         output_zp = 5 : i64, lhs_multiplier = 2796203 : i32,
         rhs_multiplier = 2097152 : i32, right_shift = 22 : i32, clamp_min = 5 : i64}
       : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  return %0 : tensor<4xui8>
}
// 255 * 8421504 = 2^31 - 128: the sum fits i32, the sum plus 2^7 does not.
func.func @weighted_add_near_int32_max(%a: tensor<4xui8>, %b: tensor<4xui8>)
    -> tensor<4xui8> {
  %0 = qnn.int.weighted_add %a, %b {lhs_zp = 0 : i64, rhs_zp = 0 : i64,
         lhs_multiplier = 8421504 : i32, rhs_multiplier = 0 : i32,
         right_shift = 8 : i32}
       : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  return %0 : tensor<4xui8>
}

// -----

// A quantize to 8 bits clamps the rounded quotient in f32 to the storage
// range less the zero point, [-128, 127] for ui8 with zero point 128 (exact
// in f32), after mapping NaN to 0: the clamped value converts to i32
// exactly and the zero point adds there (one 32-bit lane per element, no
// 64-bit conversion). 32-bit storage, whose bounds are not exact in f32,
// clamps to [-2^62, 2^62] and converts to i64.

// CHECK-LABEL: func.func @quantize_u8
// CHECK: %[[Q:.*]] = arith.divf
// CHECK: %[[R:.*]] = math.round %[[Q]] : f32
// CHECK: %[[NAN:.*]] = arith.cmpf uno, %[[R]], %[[R]] : f32
// CHECK: %[[ZERO:.*]] = arith.select %[[NAN]], %{{.*}}, %[[R]] : f32
// CHECK: %[[LOW:.*]] = arith.constant -1.280000e+02 : f32
// CHECK: %[[MAX:.*]] = arith.maximumf %[[ZERO]], %[[LOW]] : f32
// CHECK: %[[HIGH:.*]] = arith.constant 1.270000e+02 : f32
// CHECK: %[[MIN:.*]] = arith.minimumf %[[MAX]], %[[HIGH]] : f32
// CHECK: %[[I:.*]] = arith.fptosi %[[MIN]] : f32 to i32
// CHECK: %[[ZP:.*]] = arith.constant 128 : i32
// CHECK: %[[S:.*]] = arith.addi %[[I]], %[[ZP]] : i32
// CHECK: arith.trunci %[[S]] : i32 to i8
// CHECK-LABEL: func.func @quantize_i32
// CHECK: arith.constant -4.61168602E+18 : f32
// CHECK: arith.fptosi %{{.*}} : f32 to i64
// CHECK: arith.maxsi
// CHECK: arith.minsi
func.func @quantize_u8(%x: tensor<8xf32>) -> tensor<8xui8> {
  %q = qnn.int.quantize %x {scale = 0.1 : f64, zero_point = 128 : i64}
       : (tensor<8xf32>) -> tensor<8xui8>
  return %q : tensor<8xui8>
}
func.func @quantize_i32(%x: tensor<8xf32>) -> tensor<8xi32> {
  %q = qnn.int.quantize %x {scale = 0.1 : f64, zero_point = 3 : i64}
       : (tensor<8xf32>) -> tensor<8xi32>
  return %q : tensor<8xi32>
}

// -----

// A padded max pool reads its input in place, without a padded copy: the
// output is filled with the smallest value and each region whose windows,
// clipped to the input, take the same kernel positions is one window
// reduction into its slice. 3x3 / 2 over 8x8 padded by 1: the first output
// row and column clip the window's first kernel row and column (2 x 2,
// 2 x 3, 3 x 2 windows, input offset 0), the rest reads from input row and
// column 1 (3 x 3 windows).

// CHECK-DAG: #[[CORNER:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1 * 2 + d4, d2 * 2 + d5, d3)>
// CHECK-DAG: #[[INNER:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1 * 2 + d4 + 1, d2 * 2 + d5 + 1, d3)>
// CHECK-LABEL: func.func @max_pool_padded
// CHECK-NOT: tensor.pad
// CHECK: %[[FILL:.*]] = linalg.fill ins(%c-128_i8 : i8)
// CHECK: %[[S0:.*]] = tensor.extract_slice %[[FILL]][0, 0, 0, 0] [1, 1, 1, 4]
// CHECK: %[[W0:.*]] = tensor.empty() : tensor<2x2xi8>
// CHECK: %[[R0:.*]] = linalg.generic {indexing_maps = [#[[CORNER]], {{.*}}]{{.*}} ins(%arg0, %[[W0]] : tensor<1x8x8x4xi8>, tensor<2x2xi8>) outs(%[[S0]] : tensor<1x1x1x4xi8>)
// CHECK: arith.maxsi
// CHECK: %[[I0:.*]] = tensor.insert_slice %[[R0]] into %[[FILL]][0, 0, 0, 0] [1, 1, 1, 4]
// CHECK: tensor.extract_slice %[[I0]][0, 0, 1, 0] [1, 1, 3, 4]
// CHECK: tensor.empty() : tensor<2x3xi8>
// CHECK: tensor.extract_slice %{{.*}}[0, 1, 0, 0] [1, 3, 1, 4]
// CHECK: tensor.empty() : tensor<3x2xi8>
// CHECK: %[[S3:.*]] = tensor.extract_slice %{{.*}}[0, 1, 1, 0] [1, 3, 3, 4]
// CHECK: %[[W3:.*]] = tensor.empty() : tensor<3x3xi8>
// CHECK: linalg.generic {indexing_maps = [#[[INNER]], {{.*}}]{{.*}} ins(%arg0, %[[W3]] : tensor<1x8x8x4xi8>, tensor<3x3xi8>) outs(%[[S3]] : tensor<1x3x3x4xi8>)
// CHECK: %[[LAST:.*]] = tensor.insert_slice %{{.*}} into %{{.*}}[0, 1, 1, 0] [1, 3, 3, 4]
// CHECK: return %[[LAST]]
func.func @max_pool_padded(%x: tensor<1x8x8x4xi8>) -> tensor<1x4x4x4xi8> {
  %y = qnn.max_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>,
         padding = array<i64: 1, 1, 1, 1>}
       : (tensor<1x8x8x4xi8>) -> tensor<1x4x4x4xi8>
  return %y : tensor<1x4x4x4xi8>
}

// -----

// A window as large as the padded input clips differently at every output
// position (5 x 5 regions): past 3 x 3 regions the pool reduces one padded
// copy instead, in one reduction.

// CHECK-LABEL: func.func @max_pool_many_regions
// CHECK: tensor.pad %arg0 low[0, 4, 4, 0] high[0, 4, 4, 0]
// CHECK: linalg.generic
// CHECK-NOT: linalg.generic
// CHECK: return
func.func @max_pool_many_regions(%x: tensor<1x5x5x4xi8>) -> tensor<1x5x5x4xi8> {
  %y = qnn.max_pool2d %x {kernel = array<i64: 9, 9>, strides = array<i64: 1, 1>,
         padding = array<i64: 4, 4, 4, 4>}
       : (tensor<1x5x5x4xi8>) -> tensor<1x5x5x4xi8>
  return %y : tensor<1x5x5x4xi8>
}
