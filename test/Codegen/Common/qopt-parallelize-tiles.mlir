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

// A stack buffer that the loop uses (the x86-amx kernels' accumulator
// tiles go through one) is scratch: each thread allocates its own in the
// parallel region; the loops outside keep the function's.
// CHECK-LABEL: func.func @stack_buffer
// CHECK:       %[[SHARED:.*]] = memref.alloca() {qopt.amx_sums} : memref<4xi32>
// CHECK:       omp.parallel {
// CHECK-NEXT:    %[[OWN:.*]] = memref.alloca() {qopt.amx_sums} : memref<4xi32>
// CHECK-NEXT:    omp.wsloop {
// CHECK-NEXT:      omp.loop_nest (%[[IV:.*]]) : index = (%c0) to (%c8) step (%c1) {
// CHECK-NEXT:        memref.store %{{.*}}, %[[OWN]][%c0] : memref<4xi32>
// CHECK-NEXT:        %[[SUM:.*]] = memref.load %[[OWN]][%c0] : memref<4xi32>
// CHECK-NEXT:        memref.store %[[SUM]], %{{.*}}[%[[IV]]] : memref<8xi32>
// CHECK:       scf.for
// CHECK-NEXT:    memref.store %{{.*}}, %[[SHARED]][%c0] : memref<4xi32>
func.func @stack_buffer(%out: memref<8xi32>, %v: i32) {
  %sums = memref.alloca() {qopt.amx_sums} : memref<4xi32>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  scf.for %i = %c0 to %c8 step %c1 {
    memref.store %v, %sums[%c0] : memref<4xi32>
    %s = memref.load %sums[%c0] : memref<4xi32>
    memref.store %s, %out[%i] : memref<8xi32>
  } {qopt.parallel_tiles}
  scf.for %i = %c0 to %c8 step %c1 {
    memref.store %v, %sums[%c0] : memref<4xi32>
    %s = memref.load %sums[%c0] : memref<4xi32>
    memref.store %s, %out[%i] : memref<8xi32>
  }
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
