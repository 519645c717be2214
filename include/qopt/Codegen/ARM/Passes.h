//===- Passes.h - qopt AArch64 code-generation passes -----------*- C++ -*-===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// The AArch64 instances of the register-tiled layer kernels of
// qopt/Codegen/Common/LayerKernels.h: one KernelTarget per ISA level, the
// register tile that suits it, and the LLVM target features its code needs.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_CODEGEN_ARM_PASSES_H
#define QOPT_CODEGEN_ARM_PASSES_H

#include "qopt/Codegen/Common/LayerKernels.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Pass/Pass.h"

#include <memory>

namespace qopt::arm {

/// The AArch64 ISA levels the kernels are generated for, each a superset of
/// the one before it.
enum class ArmIsa {
  /// Advanced SIMD (every AArch64 CPU): widening 16 x 16 -> 32-bit
  /// multiply-accumulates (smlal) on weights packed as i16.
  Neon,
  /// Armv8.2 dot products: sdot, 4 signed byte products per i32 lane.
  Dotprod,
  /// Armv8.6 int8 matrix multiply: smmla / usmmla, a 2 x 8 by 8 x 2 product
  /// of bytes into a 2 x 2 tile of i32 lanes.
  I8mm,
};

/// The dot-product instruction of `isa` and its operand layout. The neon
/// target takes input of either signedness, dotprod's signed input only
/// (sdot); i8mm has an instruction for each (smmla, usmmla).
std::unique_ptr<codegen::KernelTarget> createKernelTarget(ArmIsa isa);

/// The register tile of `isa`'s kernels. AArch64 has 32 128-bit vector
/// registers; each tile keeps 16 of them as accumulators and its operands in
/// at most 8 more, and covers 16 output channels, which divide the channel
/// counts of real networks. The inner loops were compared with llvm-mca
/// (bench/arm_mca.sh's layer, Neoverse-N1 and -V1 models):
///  * neon: 4 rows x 4 vectors. Per reduction step: 4 weight loads (4 x i16
///    each), 4 input bytes repeated in 4 lanes (ldrsb + dup or the indexed
///    form), 16 smlal; bound by smlal's one pipe on N1 (two on V1), at the
///    model's peak, as 8 x 2, 4 x 6 and 6 x 4 are.
///  * dotprod: 4 rows x 4 vectors, XNNPACK's 4x16c4 shape: per 4 groups of
///    4 bytes, one 16-byte input load per row and 16 weight loads feed 64
///    sdot by lane (getGroupsPerLoad 4: 26 of 32 MACs per cycle on N1, whose
///    3-wide dispatch bounds it, the model's peak on V1; with one ld1r
///    broadcast per group it was 18 and 47). 4 x 6 leaves partial tiles on
///    16k channels; 8 x 2 needs twice the input loads.
///  * i8mm: 4 rows x 8 vectors: each accumulator is a 2 x 2 tile, so 2 row
///    pairs x 8 channel pairs; per group of 8 bytes, 8 weight loads and 2
///    input pairs (two 8-byte loads and an insert each) feed 16 smmla
///    (32 MACs each). 111 MACs per cycle of V1's 127 in the model, 10% more
///    than ruy's 8 x 8 shape (8 rows x 4 vectors here), which builds twice
///    the input pairs.
codegen::KernelTile getDefaultTile(ArmIsa isa);

/// The LLVM target features `isa`'s code needs: "+neon", "+neon,+dotprod",
/// "+neon,+dotprod,+i8mm".
llvm::StringRef getTargetFeatures(ArmIsa isa);

/// Rewrites the requantized contractions of `func` into `isa`'s kernels
/// (codegen::lowerLayersToKernels); a tile of 0 rows or vectors takes
/// getDefaultTile's.
mlir::FailureOr<codegen::LayerKernelCounts>
lowerLayers(mlir::func::FuncOp func, ArmIsa isa, codegen::KernelTile tile);

/// Adds the patterns of --qopt-arm-select-requantization: tosa.apply_scale
/// on vectors of i32 with DOUBLE_ROUND or SINGLE_ROUND and multipliers and
/// shifts known at compile time, as sqrdmulh / sqdmulh, sqadd and srshl
/// (LLVM intrinsic calls), exactly tosa.apply_scale's value within qnn's
/// preconditions. Intrinsic calls have unknown memory effects: run them
/// after bufferization's deallocation pipeline.
void populateSelectRequantizationPatterns(mlir::RewritePatternSet &patterns);

#define GEN_PASS_DECL
#include "qopt/Codegen/ARM/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "qopt/Codegen/ARM/Passes.h.inc"

} // namespace qopt::arm

#endif // QOPT_CODEGEN_ARM_PASSES_H
