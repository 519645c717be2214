// RUN: qopt %s -split-input-file --canonicalize --mlir-print-debuginfo | FileCheck %s

// The ops that merge keep both locations, so that tools can still relate the
// result to the source ops it computes (docs/numerics.md).

// A clamp fused into its producer.
// CHECK-LABEL: func.func @fused_clamp
// CHECK:         qnn.int.add {{.*}} loc(#[[FUSED:.*]])
// CHECK:       #[[ADD:.*]] = loc("add")
// CHECK:       #[[CLAMP:.*]] = loc("clamp")
// CHECK:       #[[FUSED]] = loc(fused[#[[ADD]], #[[CLAMP]]])
func.func @fused_clamp(%a: tensor<4xi8>, %b: tensor<4xi8>) -> tensor<4xi8> {
  %0 = qnn.int.add %a, %b {lhs_multiplier = 1073741824 : i32, lhs_shift = 0 : i32, rhs_multiplier = 1073741824 : i32, rhs_shift = 0 : i32, output_multiplier = 1073741824 : i32, output_shift = -20 : i32} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8> loc("add")
  %1 = qnn.int.clamp %0 {min = -20 : i64, max = 100 : i64} : tensor<4xi8> loc("clamp")
  return %1 : tensor<4xi8>
}

// -----

// A clamp to the whole range of the type goes, and its producer computes its
// result.
// CHECK-LABEL: func.func @full_range
// CHECK:         qnn.int.rescale {{.*}} loc(#[[FUSED:.*]])
// CHECK:       #[[RESCALE:.*]] = loc("rescale")
// CHECK:       #[[CLAMP:.*]] = loc("clamp")
// CHECK:       #[[FUSED]] = loc(fused[#[[RESCALE]], #[[CLAMP]]])
func.func @full_range(%x: tensor<4xi32>) -> tensor<4xi8> {
  %0 = qnn.int.rescale %x {multiplier = array<i32: 1073741824>, shift = array<i32: -4>, output_zp = 0 : i64} : (tensor<4xi32>) -> tensor<4xi8> loc("rescale")
  %1 = qnn.int.clamp %0 {min = -128 : i64, max = 127 : i64} : tensor<4xi8> loc("clamp")
  return %1 : tensor<4xi8>
}

// -----

// Two rescales merged (a signedness move folded into the requantization).
// CHECK-LABEL: func.func @merged_rescales
// CHECK:         qnn.int.rescale {{.*}} loc(#[[FUSED:.*]])
// CHECK:       #[[FIRST:.*]] = loc("first")
// CHECK:       #[[MOVE:.*]] = loc("move")
// CHECK:       #[[FUSED]] = loc(fused[#[[FIRST]], #[[MOVE]]])
func.func @merged_rescales(%x: tensor<4xi32>) -> tensor<4xui8> {
  %0 = qnn.int.rescale %x {multiplier = array<i32: 1073741824>, shift = array<i32: -4>, output_zp = 0 : i64} : (tensor<4xi32>) -> tensor<4xi8> loc("first")
  %1 = qnn.int.rescale %0 {multiplier = array<i32: 1073741824>, shift = array<i32: 1>, output_zp = 128 : i64} : (tensor<4xi8>) -> tensor<4xui8> loc("move")
  return %1 : tensor<4xui8>
}
