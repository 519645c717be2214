// The statistics of --qopt-x86-lower-layers: layers lowered to kernels and
// layers left to generic loops (qopt-x86-lower-layers.mlir checks the
// remark each of those gets).
// REQUIRES: pass-statistics
// RUN: qopt %s --qopt-x86-lower-layers --mlir-pass-statistics \
// RUN:   --mlir-pass-statistics-display=list -o /dev/null 2>&1 | FileCheck %s
// CHECK:     X86LowerLayersPass
// CHECK-DAG:   (S) 1 layers-to-kernels
// CHECK-DAG:   (S) 2 layers-to-generic-loops

func.func @layers(%x: tensor<2x8xui8>, %w: tensor<4x8xi8>)
    -> (tensor<2x4xi8>, tensor<2x4xi8>, tensor<2x4xi32>) {
  %cw = arith.constant dense<1> : tensor<4x8xi8>
  // A kernel.
  %0 = qnn.int.fully_connected %x, %cw : (tensor<2x8xui8>, tensor<4x8xi8>) -> tensor<2x4xi32>
  %1 = qnn.int.rescale %0 {multiplier = array<i32: 1073741824>, shift = array<i32: -3>} : (tensor<2x4xi32>) -> tensor<2x4xi8>
  // Generic loops: weights that are not constant, an i32 result.
  %2 = qnn.int.fully_connected %x, %w : (tensor<2x8xui8>, tensor<4x8xi8>) -> tensor<2x4xi32>
  %3 = qnn.int.rescale %2 {multiplier = array<i32: 1073741824>, shift = array<i32: -3>} : (tensor<2x4xi32>) -> tensor<2x4xi8>
  %4 = qnn.int.fully_connected %x, %cw : (tensor<2x8xui8>, tensor<4x8xi8>) -> tensor<2x4xi32>
  return %1, %3, %4 : tensor<2x4xi8>, tensor<2x4xi8>, tensor<2x4xi32>
}
