//===- Passes.td - qopt x86 code-generation passes ---------*- tablegen -*-===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_CODEGEN_X86_PASSES_TD
#define QOPT_CODEGEN_X86_PASSES_TD

include "mlir/Pass/PassBase.td"

def X86VectorizeContractionsPass
    : Pass<"qopt-x86-vectorize-contractions", "::mlir::func::FuncOp"> {
  let summary = "Tile and vectorize u8 x s8 contractions for AVX-512 VNNI";
  let description = [{
    Rewrites the bufferized `linalg.generic` that
    `--qopt-convert-qnn-to-linalg` makes of a zero-point-free
    `qnn.int.fully_connected` on `ui8` input and `i8` weights (after
    `--qopt-expand-zero-points`, with symmetric weights), whose body is

    ```mlir
    %x = arith.extui %in : i8 to i32
    %w = arith.extsi %in_0 : i8 to i32
    %p = arith.muli %x, %w : i32
    %s = arith.addi %out, %p : i32
    ```

    into loops over register tiles of `tile-m` x `tile-n` outputs and
    `tile-k` reduction steps (each clamped to the problem size). Partial
    tiles are peeled into loops of their own, so that every tile has a
    static shape; each tile is vectorized with `linalg::vectorize`, and the
    resulting `vector.contract` is lowered to one dot product per output,
    whose 64-byte slices become a chain of `llvm.x86.avx512.vpdpbusd.512`
    (the LLVM intrinsic, through the LLVM dialect) summed horizontally once;
    the last `K mod 64` steps of a tile stay a plain vector dot product. The
    x86 back end would select `vpdpbusd` for the plain dot product too, but
    only while the extensions share its basic block, which LICM undoes when
    an operand row is loop-invariant. `target-features` (which must include
    `+avx512vnni`) is attached to the rewritten functions
    (`target_features`), so that the object file or JIT code has them
    whatever the target machine's defaults are. The integer results are
    exactly those of the scalar loops: `vpdpbusd` accumulates without
    saturation, and the i32 sums wrap alike.

    Every other op, and contractions with zero points left, signed inputs
    (`vpdpbusd` multiplies unsigned by signed bytes) or dynamic shapes, are
    left for the generic lowering. The vector ops are lowered to rank 1, as
    `--convert-vector-to-llvm` takes them.
  }];
  let options = [
    Option<"tileM", "tile-m", "int64_t", /*default=*/"::qopt::x86::kDefaultTileM",
           "Rows of the register tile (batch of the fully connected layer)">,
    Option<"tileN", "tile-n", "int64_t", /*default=*/"::qopt::x86::kDefaultTileN",
           "Columns of the register tile (output channels)">,
    Option<"tileK", "tile-k", "int64_t", /*default=*/"::qopt::x86::kDefaultTileK",
           "Reduction steps per tile (input depth); 64 bytes fill a zmm">,
    Option<"targetFeatures", "target-features", "std::string",
           /*default=*/"::qopt::x86::kAvx512VnniFeatures",
           "LLVM target features of the functions rewritten">,
  ];
  let dependentDialects = [
    "::mlir::affine::AffineDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::LLVM::LLVMDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::ub::UBDialect",
    "::mlir::vector::VectorDialect",
  ];
}

#endif // QOPT_CODEGEN_X86_PASSES_TD
