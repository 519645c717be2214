//===- Passes.td - Target-independent codegen passes -------*- tablegen -*-===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_CODEGEN_COMMON_PASSES_TD
#define QOPT_CODEGEN_COMMON_PASSES_TD

include "mlir/Pass/PassBase.td"

def ParallelizeTilesPass
    : Pass<"qopt-parallelize-tiles", "::mlir::ModuleOp"> {
  let summary = "Distribute the layer kernels' independent tiles over threads";
  let description = [{
    The layer kernels (`--qopt-x86-lower-layers`, `--qopt-arm-lower-layers`)
    mark with `qopt.parallel_tiles` the `scf.for` loops whose iterations
    write disjoint tiles of the output: the loop over panels of output
    channels when there are at least two, otherwise the loops over row tiles
    (output pixels or batch rows). On tensors these loops carry the output
    as an iteration argument; after bufferization and canonicalization they
    carry nothing, and this pass turns each marked loop without iteration
    arguments into an `omp.parallel` region in which each thread runs one
    contiguous block of the iterations, the t-th of ceil(n / k) for thread t
    of k (a static schedule's blocks), computed from the OpenMP runtime's
    `omp_get_thread_num` and `omp_get_num_threads`, which the pass declares.
    It does not use a worksharing loop (`omp.wsloop`): its runtime calls and
    the barrier at its end cost more than the region's fork and join. After
    the conversions to LLVM, `--qopt-outline-parallel-regions` turns the
    region into a call of qopt's runtime (the pipelines' default), or
    `--convert-openmp-to-llvm` and the LLVM translation into calls of the
    OpenMP runtime (`parallel-runtime=openmp`); the number of threads is the
    runtime's (`QOPT_NUM_THREADS` or `OMP_NUM_THREADS`, else one per CPU). Marked
    loops that still carry values are left sequential. The results do not
    depend on the number of threads: each tile is computed by one thread,
    the same way. The kernels' stack buffers (`memref.alloca`) that a marked
    loop uses are scratch that each iteration writes before it reads them:
    every thread allocates its own in the parallel region.

    `--qopt-pipeline=parallel=true` (and `qopt-run --jit --parallel`,
    `qopt-compile --parallel`) runs it; the code then needs qopt's runtime
    (`libQOptRuntime`), or with `parallel-runtime=openmp` the OpenMP runtime
    (`libomp`, `-fopenmp` when linking).
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::func::FuncDialect",
                           "::mlir::omp::OpenMPDialect",
                           "::mlir::scf::SCFDialect"];
}

def OutlineParallelRegionsPass
    : Pass<"qopt-outline-parallel-regions", "::mlir::ModuleOp"> {
  let summary = "Run the parallel regions on qopt's thread pool instead of libomp";
  let description = [{
    Turns each `omp.parallel` region of an LLVM-dialect function (as
    `--qopt-parallelize-tiles` and the conversions to LLVM leave it) into an
    internal function `<function>_parallel(ctx, thread, threads)` and a call
    of qopt's runtime, `qopt_parallel_run_sized(fn, ctx, size)`
    (`include/qopt/Runtime/ParallelRuntime.h`), which runs `fn` on each
    thread of its pool. The values the region uses from the function are
    traced back through side-effect-free operations: those operations
    (constants, global addresses, splats, memref descriptors, pointers of
    views) are computed again in the function, so that LLVM still sees
    constants and pointers into one buffer there, and only the values they
    start from (arguments, loads, allocations) are stored in a structure on
    the caller's stack whose address is `ctx` and whose size is `size`
    (0 where it needs more than 16-byte alignment): the runtime gives the
    other threads a copy of a small one, which they read with the call
    instead of from the caller's stack. Calls of the OpenMP
    queries `omp_get_thread_num` and `omp_get_num_threads` in the region
    become the function's `thread` and `threads`, and their declarations
    are removed once unused.

    The runtime's fork and join costs less than libomp's (`__kmpc_fork_call`,
    which the LLVM translation of `omp.parallel` calls): on the Zen 5 host of
    docs/performance.md, ~0.5-0.65 us against ~1.45 us for two threads.
    A region with clauses, or with operations outside the LLVM dialect, is
    an error at it.

    Example:

    ```mlir
    llvm.func @f(%p: !llvm.ptr) {
      omp.parallel {
        %t = llvm.call @omp_get_thread_num() : () -> i32
        llvm.store %t, %p : i32, !llvm.ptr
        omp.terminator
      }
      llvm.return
    }
    ```

    becomes a call `llvm.call @qopt_parallel_run_sized(%fn, %ctx, %size)` of
    `@f_parallel`, which loads `%p` from `%ctx` and stores its `thread`
    argument.

    `--qopt-lower-to-llvm=parallel=true` (and `qopt-compile --parallel`,
    `qopt-run --jit --parallel`) runs it unless `parallel-runtime=openmp`.
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

def ExpandStridedCopiesPass
    : Pass<"qopt-expand-strided-copies", "::mlir::func::FuncOp"> {
  let summary = "Turn copies between strided buffers, and fills, into vector loops";
  let description = [{
    Bufferization copies a tensor into a view of a larger buffer as a
    `memref.copy` whose destination is strided, typically the interior of a
    padded activation (`qnn.int.pad`, the explicit zero-point padding of a
    convolution). `--finalize-memref-to-llvm` lowers such a copy to a call of
    `memrefCopy` from MLIR's C runner utilities, a run-time dependency that
    copies element by element through the descriptors: for a padded
    112 x 112 x 32 activation it costs more than the depthwise convolution
    that reads it. This pass rewrites every `memref.copy` between buffers
    that are not both contiguous into loops over the leading dimensions
    around vector copies (64 elements at a time) of the trailing block that
    is contiguous in both buffers: for the interior of a padded NHWC
    activation, each row of `W x C` bytes. Strided copies without such a
    block (a strided innermost dimension) become `linalg.copy`, lowered to
    scalar loops. Copies between contiguous buffers stay: they become
    `memcpy`.

    The padding value, which bufferization writes over the whole padded
    buffer first (a `linalg.map` yielding a value from outside its body, or
    a `linalg.fill`), becomes the same loops of splat vector stores: as
    scalar loops it wrote a byte per cycle, which LLVM's code generation does
    not vectorize on its own (78 us of ResNet-18's padded 58 x 58 x 64
    activation). Where the copy of the input into the interior follows the
    fill (past ops without memory effects, from a buffer that is not a view
    of the filled one), only the border is filled: the slabs before and
    after the interior in each dimension, 14 of the 215 KB of that
    activation.

    The outermost loop of a copy or fill of at least 2^16 elements (the
    vector loop of a contiguous buffer) is marked `qopt.parallel_tiles` (its
    iterations touch disjoint rows), so that `--qopt-parallelize-tiles`,
    which runs after this pass, shares it out too: each thread then writes
    about the half of the padded activation that its half of the
    convolution reads.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::vector::VectorDialect"];
}

def PlanBuffersPass
    : Pass<"qopt-plan-buffers", "::mlir::func::FuncOp"> {
  let summary = "Place a function's temporary buffers in one allocation, "
                "reusing memory between buffers that are not alive together";
  let description = [{
    After bufferization and the deallocation pipeline, a network's function
    is one block that allocates a buffer for every intermediate activation
    and frees them all at its end (ownership-based deallocation frees at the
    end of the block), so every temporary lives for the whole call:
    ResNet-18 allocated 67 buffers, 7.9 MB, per call.

    This pass plans the memory of the function body's block statically, as
    TFLite's arena planner and XLA's buffer assignment do. Each
    `memref.alloc` of the block with a static shape, the identity layout and
    elements of whole bytes, freed once by a `memref.dealloc` of the block,
    lives from its allocation to the last operation of the block that uses
    it or a view of it (an operation whose nested loops use it counts as
    one). A buffer that may outlive that (it or a view of it is returned,
    yielded, passed to a call, or turned into a pointer or a descriptor) is
    left alone. The buffers are placed largest first, each at the lowest
    offset, aligned to 64 bytes, where it overlaps no placed buffer alive at
    the same time; then one `memref.alloc` of i8 at the start of the block
    replaces them, each becomes a `memref.view` of it at its offset, and one
    `memref.dealloc` before the terminator frees it. A function with fewer
    than two such buffers is unchanged.

    ```mlir
    %a = memref.alloc() {alignment = 64 : i64} : memref<256xi8>
    linalg.fill ins(%c : i8) outs(%a : memref<256xi8>)
    %b = memref.alloc() {alignment = 64 : i64} : memref<256xi8>
    linalg.copy ins(%a : memref<256xi8>) outs(%b : memref<256xi8>)
    %c = memref.alloc() {alignment = 64 : i64} : memref<256xi8>
    linalg.copy ins(%b : memref<256xi8>) outs(%c : memref<256xi8>)
    ...
    ```

    needs 512 bytes, not 768: `%c` takes the place of `%a`, whose last use
    is before `%c` is allocated.

    The compiled model then makes one allocation per call, and its
    footprint is the peak of its live activations, not their sum: at
    224 x 224 pixels ResNet-18 needs 1.6 MB instead of 67 buffers of 7.9 MB
    in all, MobileNetV2 1.5 MB instead of 86 of 7.7 MB. The allocator keeps
    that one block between calls instead of returning most of it to the
    system and faulting it in again, and the caches still hold a layer's
    output when the next layer reads it. `--qopt-lower-to-llvm` runs it after the
    deallocation pipeline and `--qopt-expand-strided-copies` (which tells a
    copy's source from its destination by their allocations).
  }];
  let statistics = [
    Statistic<"numBuffers", "buffers", "Buffers placed in an arena">,
    Statistic<"numBytesBefore", "bytes-before",
              "Bytes of the placed buffers, summed">,
    Statistic<"numBytesAfter", "bytes-after", "Bytes of the arenas">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::memref::MemRefDialect"];
}

def VectorizeElementwisePass
    : Pass<"qopt-vectorize-elementwise", "::mlir::func::FuncOp"> {
  let summary = "Vectorize the elementwise linalg.generic ops on buffers";
  let description = [{
    The elementwise qnn ops (`qnn.int.add`, `qnn.int.rescale`, quantize,
    dequantize, ...) lower to `linalg.generic` ops whose bodies requantize
    with `tosa.apply_scale`. Left to LLVM as scalar loops, the loop
    vectorizer widens their 64-bit products into vectors of 64-bit lanes,
    with the extensions, narrowings and shifts that takes: ResNet-18's eight
    residual adds took 14% of its time. This pass rewrites each
    `linalg.generic` on buffers whose iterators are all parallel, whose
    operands are static memrefs with the identity layout, all read and
    written through identity maps, whose body does not read the output, and
    whose body ops are elementwise-mappable (arith, math, `tosa.apply_scale`)
    into a loop over the operands viewed as one dimension
    (`memref.collapse_shape`): vectors of `lanes` elements read with
    `vector.transfer_read`, the body's ops on vectors (constants as splat
    constants), the result written with `vector.transfer_write`; the
    remaining elements, fewer than `lanes`, in a scalar loop after it. The
    vectors' `tosa.apply_scale` ops, with constant operands, are then
    computed in 32-bit lanes by `--qopt-x86-select-requantization`.
    `--qopt-lower-to-llvm` runs it for the x86 targets, before that
    selection.

    A vector loop that is not nested in another loop and has at least 2^16
    ops of work (its vectors times the ops of the body, a `tosa.apply_scale`
    counting as the 16 its selection takes) is marked `qopt.parallel_tiles`,
    so that `--qopt-parallelize-tiles` shares out its vectors over threads:
    ResNet-18's residual adds (1568 to 12544 vectors of 43 ops), the
    quantization of its and MobileNetV2's input image, MobileNetV2's adds
    from 1568 vectors. Less work runs faster on one thread than the fork and
    join of threads cost. An analysis remark
    (`--remarks-filter=qopt-parallel-tiles`) states each loop's work and
    whether it is shared out.
  }];
  let options = [
    Option<"lanes", "lanes", "int64_t", /*default=*/"16",
           "Elements per vector (a 512-bit vector of i32: 16)">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::vector::VectorDialect"];
}

#endif // QOPT_CODEGEN_COMMON_PASSES_TD
