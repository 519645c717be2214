// RUN: qopt %s --qopt-outline-parallel-regions --split-input-file | FileCheck %s

// The region becomes an internal function of (context, thread, threads)
// with the caller's target attributes, run by qopt_parallel_run_sized: the
// values it uses from the caller that no side-effect-free operation
// computes (a pointer, an i64, both arguments) go through a structure on
// the caller's stack, allocated in its entry block and filled where the
// region was, whose size the call passes (the address of the element after
// it); what side-effect-free operations compute from them and from
// constants (a constant, a global's address, a pointer into the argument's
// buffer) is computed again in the function.
// The OpenMP queries become the function's arguments, and their
// declarations go.
// CHECK-LABEL: llvm.func @kernel
// CHECK-SAME:    (%[[OUT:.*]]: !llvm.ptr, %[[N:.*]]: i64)
// CHECK-SAME:    target_features = #llvm.target_features<["+avx512f"]>
// CHECK-NEXT:    %[[ONE:.*]] = llvm.mlir.constant(1 : i64) : i64
// CHECK-NEXT:    %[[CTX:.*]] = llvm.alloca %[[ONE]] x !llvm.struct<(ptr, i64)> : (i64) -> !llvm.ptr
// CHECK:         llvm.store %[[N]], %[[OUT]] : i64, !llvm.ptr
// CHECK-NEXT:    %[[NULL:.*]] = llvm.mlir.zero : !llvm.ptr
// CHECK-NEXT:    %[[END:.*]] = llvm.getelementptr %[[NULL]][1] : (!llvm.ptr) -> !llvm.ptr, !llvm.struct<(ptr, i64)>
// CHECK-NEXT:    %[[SIZE:.*]] = llvm.ptrtoint %[[END]] : !llvm.ptr to i64
// CHECK-NEXT:    %[[F0:.*]] = llvm.getelementptr %[[CTX]][0, 0] : (!llvm.ptr) -> !llvm.ptr, !llvm.struct<(ptr, i64)>
// CHECK-NEXT:    llvm.store %[[OUT]], %[[F0]] : !llvm.ptr, !llvm.ptr
// CHECK-NEXT:    %[[F1:.*]] = llvm.getelementptr %[[CTX]][0, 1] : (!llvm.ptr) -> !llvm.ptr, !llvm.struct<(ptr, i64)>
// CHECK-NEXT:    llvm.store %[[N]], %[[F1]] : i64, !llvm.ptr
// CHECK-NEXT:    %[[FN:.*]] = llvm.mlir.addressof @kernel_parallel : !llvm.ptr
// CHECK-NEXT:    llvm.call @qopt_parallel_run_sized(%[[FN]], %[[CTX]], %[[SIZE]]) : (!llvm.ptr, !llvm.ptr, i64) -> ()
// CHECK-NEXT:    llvm.return
// CHECK:       llvm.func internal @kernel_parallel(%[[C:.*]]: !llvm.ptr, %[[T:.*]]: i32, %[[K:.*]]: i32)
// CHECK-SAME:    target_features = #llvm.target_features<["+avx512f"]>
// CHECK-NEXT:    %[[G0:.*]] = llvm.getelementptr %[[C]][0, 0] : (!llvm.ptr) -> !llvm.ptr, !llvm.struct<(ptr, i64)>
// CHECK-NEXT:    %[[P:.*]] = llvm.load %[[G0]] : !llvm.ptr -> !llvm.ptr
// CHECK-NEXT:    %[[G1:.*]] = llvm.getelementptr %[[C]][0, 1] : (!llvm.ptr) -> !llvm.ptr, !llvm.struct<(ptr, i64)>
// CHECK-NEXT:    %[[M:.*]] = llvm.load %[[G1]] : !llvm.ptr -> i64
// CHECK-NEXT:    %[[TWO:.*]] = llvm.mlir.constant(2 : i32) : i32
// CHECK-NEXT:    %[[SECOND:.*]] = llvm.getelementptr %[[P]][1] : (!llvm.ptr) -> !llvm.ptr, i32
// CHECK-NEXT:    %[[TABLE:.*]] = llvm.mlir.addressof @table : !llvm.ptr
// CHECK-NEXT:    %[[SUM:.*]] = llvm.add %[[T]], %[[K]] : i32
// CHECK-NEXT:    %[[TWICE:.*]] = llvm.mul %[[SUM]], %[[TWO]] : i32
// CHECK-NEXT:    llvm.store %[[TWICE]], %[[SECOND]] : i32, !llvm.ptr
// CHECK-NEXT:    llvm.store %[[M]], %[[TABLE]] : i64, !llvm.ptr
// CHECK-NEXT:    llvm.br ^[[NEXT:.*]]
// CHECK-NEXT:  ^[[NEXT]]:
// CHECK-NEXT:    llvm.return
// CHECK:       llvm.func @qopt_parallel_run_sized(!llvm.ptr, !llvm.ptr, i64)
// CHECK-NOT:   omp_get
llvm.mlir.global internal @table() : i64
llvm.func @omp_get_thread_num() -> i32
llvm.func @omp_get_num_threads() -> i32
llvm.func @kernel(%out: !llvm.ptr, %n: i64) attributes {target_features = #llvm.target_features<["+avx512f"]>} {
  %two = llvm.mlir.constant(2 : i32) : i32
  %table = llvm.mlir.addressof @table : !llvm.ptr
  %second = llvm.getelementptr %out[1] : (!llvm.ptr) -> !llvm.ptr, i32
  llvm.store %n, %out : i64, !llvm.ptr
  omp.parallel {
    %t = llvm.call @omp_get_thread_num() : () -> i32
    %k = llvm.call @omp_get_num_threads() : () -> i32
    %s = llvm.add %t, %k : i32
    %v = llvm.mul %s, %two : i32
    llvm.store %v, %second : i32, !llvm.ptr
    llvm.store %n, %table : i64, !llvm.ptr
    llvm.br ^next
  ^next:
    omp.terminator
  }
  llvm.return
}

// -----

// Two regions of one function get functions of distinct names; a region
// that captures nothing gets a null context of size 0. A declaration of the
// runtime function is reused, and OpenMP queries still called elsewhere
// stay declared.
// CHECK-LABEL: llvm.func @twice
// CHECK-NEXT:    %[[ZERO:.*]] = llvm.mlir.constant(0 : i64) : i64
// CHECK-NEXT:    %[[NULL:.*]] = llvm.mlir.zero : !llvm.ptr
// CHECK-NEXT:    %[[FIRST:.*]] = llvm.mlir.addressof @twice_parallel : !llvm.ptr
// CHECK-NEXT:    llvm.call @qopt_parallel_run_sized(%[[FIRST]], %[[NULL]], %[[ZERO]])
// CHECK:         %[[SECOND:.*]] = llvm.mlir.addressof @twice_parallel_0 : !llvm.ptr
// CHECK-NEXT:    llvm.call @qopt_parallel_run_sized(%[[SECOND]], %{{.*}}, %{{.*}}) :
// CHECK-NEXT:    llvm.call @omp_get_thread_num()
// CHECK-NEXT:    llvm.return
// CHECK:       llvm.func internal @twice_parallel_0(
// CHECK:       llvm.func internal @twice_parallel(
// CHECK:       llvm.func @qopt_parallel_run_sized(!llvm.ptr, !llvm.ptr, i64)
// CHECK-NEXT:  llvm.func @omp_get_thread_num() -> i32
// CHECK-NOT:   llvm.func
llvm.func @twice() {
  omp.parallel {
    omp.terminator
  }
  omp.parallel {
    omp.terminator
  }
  %t = llvm.call @omp_get_thread_num() : () -> i32
  llvm.return
}
llvm.func @qopt_parallel_run_sized(!llvm.ptr, !llvm.ptr, i64)
llvm.func @omp_get_thread_num() -> i32

// -----

// A context that needs more alignment than the runtime's copy of it (a
// 64-byte vector loaded before the region) is passed with size 0: the
// other threads read it where the caller wrote it.
// CHECK-LABEL: llvm.func @aligned
// CHECK:         %[[ZERO:.*]] = llvm.mlir.constant(0 : i64) : i64
// CHECK:         llvm.call @qopt_parallel_run_sized(%{{.*}}, %{{.*}}, %[[ZERO]])
llvm.func @aligned(%in: !llvm.ptr, %out: !llvm.ptr) {
  %v = llvm.load %in : !llvm.ptr -> vector<16xi32>
  omp.parallel {
    llvm.store %v, %out : vector<16xi32>, !llvm.ptr
    omp.terminator
  }
  llvm.return
}
