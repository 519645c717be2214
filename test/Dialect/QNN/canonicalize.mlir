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
