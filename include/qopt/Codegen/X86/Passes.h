//===- Passes.h - qopt x86 code-generation passes ---------------*- C++ -*-===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_CODEGEN_X86_PASSES_H
#define QOPT_CODEGEN_X86_PASSES_H

#include "qopt/Codegen/Common/LayerKernels.h"

#include "mlir/Dialect/AMX/AMXDialect.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Pass/Pass.h"

#include <memory>

namespace mlir {
class LLVMTypeConverter;
} // namespace mlir

namespace qopt::x86 {

/// The x86 instruction sets the kernels are generated for.
enum class X86Isa {
  /// vpdpbusd on zmm: AVX-512 F, BW, DQ (vpmullq, for the requantizing
  /// epilogue), VL and VNNI (Cascade Lake, Zen 4 and later).
  Avx512Vnni,
  /// Avx512Vnni with VBMI and IFMA (Ice Lake, Zen 4 and later).
  Avx512Ifma,
  /// vpmaddwd on ymm: AVX2 (Haswell, Zen 1 and later).
  Avx2,
  /// AMX-INT8 tiles (tdpbusd, tdpbssd) for the fully connected and conv2d
  /// layers they cover, Avx512Ifma for the others (Sapphire Rapids and
  /// later).
  Amx,
};

/// The dot-product instruction of `isa` (see codegen::KernelTarget).
std::unique_ptr<codegen::KernelTarget> createKernelTarget(X86Isa isa);

/// The register tile of `isa`, measured on this project's Zen 5 (see
/// KernelTargets.cpp); sizes of 0 are chosen per layer by the target's
/// codegen::TileCostModel.
codegen::KernelTile getDefaultTile(X86Isa isa);

/// The tile (output pixels x vectors of channels) of `isa`'s depthwise
/// kernels.
codegen::KernelTile getDefaultDepthwiseTile(X86Isa isa);

/// The AMX kernels' tile: output rows x columns of 16 channels.
codegen::KernelTile getDefaultAmxTile();

/// The patterns of --qopt-x86-select-dot-products for `isa`.
void populateSelectDotProductPatterns(mlir::RewritePatternSet &patterns,
                                      X86Isa isa);

/// The patterns of --qopt-x86-lower-amx-to-llvm: the amx dialect's
/// operations as LLVM intrinsics, and the branches that carry its tiles as
/// LLVM branches (x86_amx block arguments).
void populateLowerAmxToLLVMPatterns(mlir::LLVMTypeConverter &converter,
                                    mlir::RewritePatternSet &patterns);

/// The patterns of --qopt-x86-select-requantization: tosa.apply_scale with
/// DOUBLE_ROUND on vectors of an even number of i32 lanes, with parameters
/// known at compile time, as 32-bit-lane arithmetic (portable arith that
/// the back end selects as vpmuldq, shifts and blends), exactly
/// tosa.apply_scale's value within qnn's preconditions.
void populateSelectRequantizationPatterns(mlir::RewritePatternSet &patterns);

/// The second step of --qopt-x86-select-requantization, applied after the
/// patterns above (which look for the clamps it rewrites): the clamp and
/// truncation of 2 or 4 vectors of 16 i32 lanes to bytes, with AVX-512BW,
/// as saturating packs and one vpermd.
void populateSelectPackedNarrowingPatterns(mlir::RewritePatternSet &patterns);

#define GEN_PASS_DECL
#include "qopt/Codegen/X86/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "qopt/Codegen/X86/Passes.h.inc"

} // namespace qopt::x86

#endif // QOPT_CODEGEN_X86_PASSES_H
