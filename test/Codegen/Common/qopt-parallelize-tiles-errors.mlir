// RUN: qopt %s --qopt-parallelize-tiles --split-input-file -verify-diagnostics

// The pass calls the OpenMP runtime's omp_get_thread_num and
// omp_get_num_threads, () -> i32: a module symbol of either name that is not
// such a function is an error at it, not a call of the wrong function.
// expected-error @+1 {{'omp_get_thread_num' is the OpenMP runtime's function '() -> i32', which --qopt-parallelize-tiles calls; the module defines another symbol of that name}}
func.func private @omp_get_thread_num()

func.func @marked(%m: memref<4xi32>, %v: i32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.for %i = %c0 to %c4 step %c1 {
    memref.store %v, %m[%i] : memref<4xi32>
  } {qopt.parallel_tiles}
  return
}

// -----

// expected-error @+1 {{'omp_get_num_threads' is the OpenMP runtime's function '() -> i32', which --qopt-parallelize-tiles calls; the module defines another symbol of that name}}
memref.global "private" @omp_get_num_threads : memref<i32>

func.func @marked(%m: memref<4xi32>, %v: i32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.for %i = %c0 to %c4 step %c1 {
    memref.store %v, %m[%i] : memref<4xi32>
  } {qopt.parallel_tiles}
  return
}
