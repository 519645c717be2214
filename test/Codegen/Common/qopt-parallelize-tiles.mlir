// RUN: qopt %s --qopt-parallelize-tiles | FileCheck %s

// A marked loop without iteration arguments (as bufferization leaves the
// kernels' tile loops) becomes the worksharing loop of a parallel region;
// its body is unchanged.
// CHECK-LABEL: func.func @marked
// CHECK:       omp.parallel {
// CHECK-NEXT:    omp.wsloop {
// CHECK-NEXT:      omp.loop_nest (%[[IV:.*]]) : index = (%c0) to (%c8) step (%c2) {
// CHECK-NEXT:        memref.store %{{.*}}, %{{.*}}[%[[IV]]] : memref<8xi32>
// CHECK-NEXT:        omp.yield
// CHECK:         omp.terminator
// CHECK-NOT:   scf.for
func.func @marked(%out: memref<8xi32>, %v: i32) {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %c8 = arith.constant 8 : index
  scf.for %i = %c0 to %c8 step %c2 {
    memref.store %v, %out[%i] : memref<8xi32>
  } {qopt.parallel_tiles}
  return
}

// Unmarked loops, and marked loops that still carry values (before
// bufferization), stay sequential.
// CHECK-LABEL: func.func @left_alone
// CHECK-NOT:   omp.
// CHECK-COUNT-2: scf.for
func.func @left_alone(%out: memref<8xi32>, %v: i32) -> i32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  scf.for %i = %c0 to %c8 step %c1 {
    memref.store %v, %out[%i] : memref<8xi32>
  }
  %r = scf.for %i = %c0 to %c8 step %c1 iter_args(%a = %v) -> (i32) {
    %n = arith.addi %a, %v : i32
    scf.yield %n : i32
  } {qopt.parallel_tiles}
  return %r : i32
}
