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
/// (sdot). i8mm has an instruction for each (smmla, usmmla), and
/// KernelTarget::multiplyAccumulate is not told which: its target is the one
/// for `unsignedInput` and supports that signedness only (lowerLayers runs
/// both).
std::unique_ptr<codegen::KernelTarget>
createKernelTarget(ArmIsa isa, bool unsignedInput = false);

/// The register tile of `isa`'s kernels. AArch64 has 32 128-bit vector
/// registers; each tile keeps 16 of them as accumulators and loads its
/// operands into at most 8 more, leaving room for the epilogue's constants
/// and the addresses:
///  * neon: 4 rows x 4 vectors (16 channels). Per reduction step: 4 weight
///    loads (4 x i16 each), 4 input bytes repeated in 4 lanes (ldrsb + dup),
///    16 smlal.
///  * dotprod: 4 rows x 4 vectors (16 channels), as ruy's and XNNPACK's
///    4x16c4 kernels: per group of 4 bytes, 4 weight loads and 4 broadcast
///    input loads (ld1r) feed 16 sdot, half a load per sdot, which the two
///    load pipes of a Neoverse core sustain beside two vector pipes.
///  * i8mm: 8 rows x 4 vectors (8 channels), as ruy's 8x8 i8mm kernel: each
///    accumulator is a 2 x 2 tile, so 4 row pairs x 4 channel pairs; per
///    group of 8 bytes, 4 weight and 4 input loads feed 16 smmla (32 MACs
///    each).
codegen::KernelTile getDefaultTile(ArmIsa isa);

/// The LLVM target features `isa`'s code needs: "+neon", "+neon,+dotprod",
/// "+neon,+dotprod,+i8mm".
llvm::StringRef getTargetFeatures(ArmIsa isa);

/// Rewrites the requantized contractions of `func` into `isa`'s kernels
/// (codegen::lowerLayersToKernels); a tile of 0 rows or vectors takes
/// getDefaultTile's.
mlir::LogicalResult lowerLayers(mlir::func::FuncOp func, ArmIsa isa,
                                codegen::KernelTile tile);

#define GEN_PASS_DECL
#include "qopt/Codegen/ARM/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "qopt/Codegen/ARM/Passes.h.inc"

} // namespace qopt::arm

#endif // QOPT_CODEGEN_ARM_PASSES_H
