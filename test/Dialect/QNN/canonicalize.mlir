// RUN: qopt %s -split-input-file --canonicalize | FileCheck %s

// qnn.int.clamp folds into the clamp bounds of the op that produces it.

// CHECK-LABEL: func.func @fuse_into_add
// CHECK-NEXT:    %[[A:.*]] = qnn.int.add {{.*}}clamp_max = 50 : i64, clamp_min = -20 : i64
// CHECK-NEXT:    return %[[A]]
func.func @fuse_into_add(%a: tensor<4xi8>, %b: tensor<4xi8>) -> tensor<4xi8> {
  %0 = qnn.int.add %a, %b {lhs_multiplier = 1073741824 : i32, lhs_shift = 0 : i32, rhs_multiplier = 1073741824 : i32, rhs_shift = 0 : i32, output_multiplier = 1073741824 : i32, output_shift = -20 : i32, clamp_min = -100 : i64, clamp_max = 50 : i64} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  %1 = qnn.int.clamp %0 {min = -20 : i64, max = 127 : i64} : tensor<4xi8>
  return %1 : tensor<4xi8>
}

// -----

// CHECK-LABEL: func.func @fuse_into_weighted_add
// CHECK-NEXT:    %[[A:.*]] = qnn.int.weighted_add {{.*}}clamp_max = 255 : i64, clamp_min = 7 : i64
// CHECK-NEXT:    return %[[A]]
func.func @fuse_into_weighted_add(%a: tensor<4xui8>, %b: tensor<4xui8>) -> tensor<4xui8> {
  %0 = qnn.int.weighted_add %a, %b {lhs_multiplier = 2097152 : i32, rhs_multiplier = 3000000 : i32, right_shift = 22 : i32, output_zp = 7 : i64} : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  %1 = qnn.int.clamp %0 {min = 7 : i64, max = 255 : i64} : tensor<4xui8>
  return %1 : tensor<4xui8>
}

// -----

// A clamp to the whole range of the type does nothing.
// CHECK-LABEL: func.func @full_range
// CHECK-NEXT:    return %arg0
func.func @full_range(%x: tensor<4xui8>) -> tensor<4xui8> {
  %0 = qnn.int.clamp %x {min = 0 : i64, max = 255 : i64} : tensor<4xui8>
  return %0 : tensor<4xui8>
}

// -----

// The producer has another user: its unclamped result is still needed.
// CHECK-LABEL: func.func @shared_producer
// CHECK:         qnn.int.rescale
// CHECK-NOT:     clamp_min
// CHECK:         qnn.int.clamp
func.func @shared_producer(%x: tensor<4xi32>) -> (tensor<4xi8>, tensor<4xi8>) {
  %0 = qnn.int.rescale %x {multiplier = array<i32: 1073741824>, shift = array<i32: -3>} : (tensor<4xi32>) -> tensor<4xi8>
  %1 = qnn.int.clamp %0 {min = 0 : i64, max = 6 : i64} : tensor<4xi8>
  return %0, %1 : tensor<4xi8>, tensor<4xi8>
}

// -----

// Disjoint bounds would pin every value; both ops stay.
// CHECK-LABEL: func.func @disjoint
// CHECK:         qnn.int.rescale {{.*}}clamp_max = 10 : i64
// CHECK:         qnn.int.clamp {{.*}}{max = 30 : i64, min = 20 : i64}
func.func @disjoint(%x: tensor<4xi32>) -> tensor<4xi8> {
  %0 = qnn.int.rescale %x {multiplier = array<i32: 1073741824>, shift = array<i32: -3>, clamp_max = 10 : i64} : (tensor<4xi32>) -> tensor<4xi8>
  %1 = qnn.int.clamp %0 {min = 20 : i64, max = 30 : i64} : tensor<4xi8>
  return %1 : tensor<4xi8>
}

// -----

// A rescale by exactly 1 (M0 = 2^30, shift 1) moving an i8 value to ui8
// (+128, as --qopt-expand-zero-points=unsigned-input inserts it) folds into
// the rescale that produces the value: output zero point -5 + 128, and the
// producer's clamp [-100, 127] shifted to [28, 255].
// CHECK-LABEL: func.func @fold_identity_rescale
// CHECK-NEXT:    %[[R:.*]] = qnn.int.rescale %arg0 {clamp_max = 255 : i64, clamp_min = 28 : i64, multiplier = array<i32: 1395864371>, output_zp = 123 : i64, rounding = #qnn.rounding<single_round>, shift = array<i32: -7>} : (tensor<4xi32>) -> tensor<4xui8>
// CHECK-NEXT:    return %[[R]]
func.func @fold_identity_rescale(%acc: tensor<4xi32>) -> tensor<4xui8> {
  %0 = qnn.int.rescale %acc {multiplier = array<i32: 1395864371>, shift = array<i32: -7>, output_zp = -5 : i64, clamp_min = -100 : i64, rounding = #qnn.rounding<single_round>} : (tensor<4xi32>) -> tensor<4xi8>
  %1 = qnn.int.rescale %0 {multiplier = array<i32: 1073741824>, shift = array<i32: 1>, output_zp = 128 : i64} : (tensor<4xi8>) -> tensor<4xui8>
  return %1 : tensor<4xui8>
}

// -----

// Not folded: the producer's result has another user, the multiplier is not
// exactly 1, or the new output zero point would leave ui8 (300 + 128).
// CHECK-LABEL: func.func @keep_rescales
// CHECK-COUNT-6: qnn.int.rescale
func.func @keep_rescales(%acc: tensor<4xi32>, %x: tensor<4xi8>) -> (tensor<4xui8>, tensor<4xi8>, tensor<4xui8>, tensor<4xui8>) {
  %0 = qnn.int.rescale %acc {multiplier = array<i32: 1395864371>, shift = array<i32: -7>} : (tensor<4xi32>) -> tensor<4xi8>
  %1 = qnn.int.rescale %0 {multiplier = array<i32: 1073741824>, shift = array<i32: 1>, output_zp = 128 : i64} : (tensor<4xi8>) -> tensor<4xui8>
  %2 = qnn.int.rescale %acc {multiplier = array<i32: 1395864371>, shift = array<i32: -7>} : (tensor<4xi32>) -> tensor<4xi8>
  %3 = qnn.int.rescale %2 {multiplier = array<i32: 1073741825>, shift = array<i32: 1>, output_zp = 128 : i64} : (tensor<4xi8>) -> tensor<4xui8>
  %4 = qnn.int.rescale %acc {multiplier = array<i32: 1395864371>, shift = array<i32: -7>, output_zp = 300 : i64} : (tensor<4xi32>) -> tensor<4xi16>
  %5 = qnn.int.rescale %4 {multiplier = array<i32: 1073741824>, shift = array<i32: 1>, output_zp = 128 : i64} : (tensor<4xi16>) -> tensor<4xui8>
  return %1, %0, %3, %5 : tensor<4xui8>, tensor<4xi8>, tensor<4xui8>, tensor<4xui8>
}
