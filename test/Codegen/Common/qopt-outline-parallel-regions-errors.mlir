// RUN: qopt %s --qopt-outline-parallel-regions --split-input-file -verify-diagnostics

// The runtime has no equivalent of a clause.
llvm.func @clause(%n: i32) {
  // expected-error @+1 {{a parallel region with clauses cannot run on qopt's runtime}}
  omp.parallel num_threads(%n : i32) {
    omp.terminator
  }
  llvm.return
}

// -----

// The region is outlined after the conversions to LLVM.
func.func @not_lowered(%m: memref<4xi32>, %v: i32) {
  // expected-error @+1 {{cannot be outlined onto qopt's runtime: it is not in an LLVM function}}
  omp.parallel {
    omp.terminator
  }
  return
}

// -----

// The context holds LLVM values only.
llvm.func @not_llvm(%p: !llvm.ptr) {
  %m = builtin.unrealized_conversion_cast %p : !llvm.ptr to memref<4xi32>
  // expected-error @+1 {{cannot be outlined onto qopt's runtime: it uses a value of type 'memref<4xi32>', which is not an LLVM type (run the conversions to LLVM first)}}
  omp.parallel {
    %c = arith.constant 1 : index
    %v = arith.constant 1 : i32
    memref.store %v, %m[%c] : memref<4xi32>
    omp.terminator
  }
  llvm.return
}

// -----

// The runtime has no barriers, worksharing loops, ...
llvm.func @construct() {
  omp.parallel {
    // expected-error @+1 {{cannot be outlined onto qopt's runtime: it has no equivalent of OpenMP constructs in a parallel region}}
    omp.barrier
    omp.terminator
  }
  llvm.return
}

// -----

// A symbol of the runtime function's name that is not its declaration.
// expected-error @+1 {{'qopt_parallel_run_sized' is qopt's runtime function '!llvm.func<void (ptr, ptr, i64)>', which --qopt-outline-parallel-regions calls; the module defines another symbol of that name}}
llvm.func @qopt_parallel_run_sized(%p: !llvm.ptr, %q: !llvm.ptr, %n: i64) {
  llvm.return
}

llvm.func @f() {
  omp.parallel {
    omp.terminator
  }
  llvm.return
}
