//===- Passes.h - qopt x86 code-generation passes ---------------*- C++ -*-===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_CODEGEN_X86_PASSES_H
#define QOPT_CODEGEN_X86_PASSES_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"

#include <cstdint>

namespace qopt::x86 {

/// The register tile for Zen 5 (AVX-512), measured on the u8 x s8 fully
/// connected layers of 256^3 and 1024^3: 4 x 4 outputs keep 16 vpdpbusd
/// accumulators and the 8 operand rows of one 64-byte step in the 32 zmm
/// registers (4 x 8 and 8 x 4 spill and run 20-25% slower); each 64 reduction
/// steps are one vpdpbusd per output, and a tile of 1024 steps chains 16 of
/// them before the horizontal sum and the accumulator's load and store,
/// which cost 25% at 256 steps (its operands, 8 KiB, stay in L1).
inline constexpr int64_t kDefaultTileM = 4;
inline constexpr int64_t kDefaultTileN = 4;
inline constexpr int64_t kDefaultTileK = 1024;

/// The features `vpdpbusd` on zmm registers needs.
inline constexpr const char *kAvx512VnniFeatures =
    "+avx512f,+avx512bw,+avx512vl,+avx512vnni";

/// Tiles, vectorizes and lowers the u8 x s8 contractions of `func` (see
/// --qopt-x86-vectorize-contractions) and sets its `target_features` to
/// `targetFeatures` when it rewrote one.
mlir::LogicalResult vectorizeContractions(mlir::func::FuncOp func,
                                          int64_t tileM, int64_t tileN,
                                          int64_t tileK,
                                          llvm::StringRef targetFeatures);

#define GEN_PASS_DECL
#include "qopt/Codegen/X86/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "qopt/Codegen/X86/Passes.h.inc"

} // namespace qopt::x86

#endif // QOPT_CODEGEN_X86_PASSES_H
