// RUN: qopt %s --qopt-parallelize-tiles --split-input-file | FileCheck %s

// A marked loop without iteration arguments (as bufferization leaves the
// kernels' tile loops) becomes a parallel region in which each thread runs
// its block of the iterations: the t-th block of ceil(n / k) for thread t of
// k, from the runtime's functions, which the pass declares; the body is
// unchanged but for the induction variable, lb + j * step.
// CHECK-LABEL: func.func @marked
// CHECK-DAG:   %[[C2:.*]] = arith.constant 2 : index
// CHECK:       omp.parallel {
// CHECK-NEXT:    %[[T32:.*]] = func.call @omp_get_thread_num() : () -> i32
// CHECK-NEXT:    %[[T:.*]] = arith.index_cast %[[T32]] : i32 to index
// CHECK-NEXT:    %[[K32:.*]] = func.call @omp_get_num_threads() : () -> i32
// CHECK-NEXT:    %[[K:.*]] = arith.index_cast %[[K32]] : i32 to index
// CHECK-DAG:     %[[ONE:.*]] = arith.constant 1 : index
// CHECK-DAG:     %[[N:.*]] = arith.constant 4 : index
// CHECK-NEXT:    %[[BLOCK:.*]] = arith.ceildivui %[[N]], %[[K]] : index
// CHECK-NEXT:    %[[FIRST:.*]] = arith.muli %[[T]], %[[BLOCK]] : index
// CHECK-NEXT:    %[[BEGIN:.*]] = arith.minui %[[FIRST]], %[[N]] : index
// CHECK-NEXT:    %[[NEXT:.*]] = arith.addi %[[T]], %[[ONE]] : index
// CHECK-NEXT:    %[[LAST:.*]] = arith.muli %[[NEXT]], %[[BLOCK]] : index
// CHECK-NEXT:    %[[END:.*]] = arith.minui %[[LAST]], %[[N]] : index
// CHECK-NEXT:    scf.for %[[J:.*]] = %[[BEGIN]] to %[[END]] step %[[ONE]] {
// CHECK-NEXT:      %[[IV:.*]] = arith.muli %[[J]], %[[C2]] : index
// CHECK-NEXT:      memref.store %{{.*}}, %{{.*}}[%[[IV]]] : memref<8xi32>
// CHECK-NEXT:    }
// CHECK-NEXT:    omp.terminator
// CHECK-NOT:   scf.for
// CHECK:       func.func private @omp_get_thread_num() -> i32
// CHECK-NEXT:  func.func private @omp_get_num_threads() -> i32
func.func @marked(%out: memref<8xi32>, %v: i32) {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %c8 = arith.constant 8 : index
  scf.for %i = %c0 to %c8 step %c2 {
    memref.store %v, %out[%i] : memref<8xi32>
  } {qopt.parallel_tiles}
  return
}

// -----

// A stack buffer that the loop uses (the x86-amx kernels' accumulator
// tiles go through one) is scratch: each thread allocates its own in the
// parallel region; the loops outside keep the function's. The runtime's
// functions, declared already, are declared once.
// CHECK-LABEL: func.func @stack_buffer
// CHECK:       %[[SHARED:.*]] = memref.alloca() {qopt.amx_sums} : memref<4xi32>
// CHECK:       omp.parallel {
// CHECK-NEXT:    %[[OWN:.*]] = memref.alloca() {qopt.amx_sums} : memref<4xi32>
// CHECK-NEXT:    func.call @omp_get_thread_num()
// CHECK:         scf.for %[[IV:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK-NEXT:      memref.store %{{.*}}, %[[OWN]][%c0] : memref<4xi32>
// CHECK-NEXT:      %[[SUM:.*]] = memref.load %[[OWN]][%c0] : memref<4xi32>
// CHECK-NEXT:      memref.store %[[SUM]], %{{.*}}[%[[IV]]] : memref<8xi32>
// CHECK:       scf.for
// CHECK-NEXT:    memref.store %{{.*}}, %[[SHARED]][%c0] : memref<4xi32>
// CHECK:       func.func private @omp_get_thread_num() -> i32
// CHECK-NEXT:  func.func private @omp_get_num_threads() -> i32
// CHECK-NOT:   func.func private @omp_get_thread_num
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

func.func private @omp_get_thread_num() -> i32

// -----

// Unmarked loops, and marked loops that still carry values (before
// bufferization), stay sequential, and nothing is declared.
// CHECK-LABEL: func.func @left_alone
// CHECK-NOT:   omp.
// CHECK-COUNT-2: scf.for
// CHECK-NOT:   omp_get
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
