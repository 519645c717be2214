//===- Pipelines.h - qopt pass pipelines ------------------------*- C++ -*-===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_PIPELINES_PIPELINES_H
#define QOPT_PIPELINES_PIPELINES_H

#include "llvm/ADT/StringRef.h"

#include <optional>

namespace mlir {
class OpPassManager;
} // namespace mlir

#include "qopt/Codegen/X86/Passes.h"

namespace qopt {

/// What the lowering generates code for.
enum class CodegenTarget {
  /// Scalar loops, which LLVM optimizes for whatever CPU it targets.
  Generic,
  /// The u8 x s8 contractions tiled and vectorized for vpdpbusd
  /// (--qopt-x86-vectorize-contractions), in functions compiled for
  /// x86::kAvx512VnniFeatures; everything else as Generic.
  X86Avx512Vnni,
};

/// The target named `name` as the `target` option of --qopt-lower-to-llvm
/// spells it (`generic`, `x86-avx512vnni`); none for other names.
std::optional<CodegenTarget> parseCodegenTarget(llvm::StringRef name);

/// How lowered functions take their tensors, and the code they are made of.
struct LowerToLLVMOptions {
  /// Without it, MLIR's default convention: memref arguments and results as
  /// expanded descriptors, results allocated by the callee (what mlir-runner
  /// calls). With it, every memref argument is a bare pointer to its first
  /// element and every result becomes a trailing out-parameter, a buffer the
  /// caller allocates: `void f(const T0 *in0, ..., R0 *out0, ...)` in C. It
  /// needs static shapes, which the integer level has.
  bool flatCallingConvention = false;
  CodegenTarget target = CodegenTarget::Generic;
  /// The register tile of the vectorized contractions (all but Generic).
  int64_t tileM = x86::kDefaultTileM;
  int64_t tileN = x86::kDefaultTileN;
  int64_t tileK = x86::kDefaultTileK;
};

/// The target-independent path from the integer level to the LLVM dialect:
/// qnn to linalg on tensors, tosa.apply_scale to arith, one-shot
/// bufferization across function boundaries, linalg to scalar loops, and the
/// standard conversions to LLVM. The result runs with mlir-runner or
/// translates to LLVM IR. With a target other than Generic, the contractions
/// the target has instructions for are tiled and vectorized before the
/// remaining linalg ops become loops.
void buildLowerToLLVMPipeline(mlir::OpPassManager &pm,
                              const LowerToLLVMOptions &options = {});

/// Registers `--qopt-lower-to-llvm`, with the options `target`
/// (`generic`, `x86-avx512vnni`) and `tile-m`, `tile-n`, `tile-k`.
void registerPipelines();

} // namespace qopt

#endif // QOPT_PIPELINES_PIPELINES_H
