// qopt-run --jit allocates the buffers compiled code writes its results
// into, and the tensors they become: a result larger than --max-tensor-bytes
// is an error at the function before anything is allocated.

// RUN: not qopt-run %s --jit 2>&1 | FileCheck %s
// RUN: not qopt-run %s --jit --max-tensor-bytes=100 2>&1 \
// RUN:   | FileCheck %s --check-prefix=SMALL

// CHECK: jit-limits.mlir:[[# @LINE + 2]]:1: error: result #1 of type 'tensor<100000x100000xi8>' would take 80000000000 bytes, more than the interpreter's limit of 4294967296 bytes (8 per element)
// SMALL: jit-limits.mlir:[[# @LINE + 1]]:1: error: result #0 of type 'tensor<16xi8>' would take 128 bytes, more than the interpreter's limit of 100 bytes (8 per element)
func.func @splat() -> (tensor<16xi8>, tensor<100000x100000xi8>) {
  %0 = arith.constant dense<1> : tensor<16xi8>
  %1 = arith.constant dense<1> : tensor<100000x100000xi8>
  return %0, %1 : tensor<16xi8>, tensor<100000x100000xi8>
}
