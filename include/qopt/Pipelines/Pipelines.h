//===- Pipelines.h - qopt pass pipelines ------------------------*- C++ -*-===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_PIPELINES_PIPELINES_H
#define QOPT_PIPELINES_PIPELINES_H

namespace mlir {
class OpPassManager;
} // namespace mlir

namespace qopt {

/// How lowered functions take their tensors.
struct LowerToLLVMOptions {
  /// Without it, MLIR's default convention: memref arguments and results as
  /// expanded descriptors, results allocated by the callee (what mlir-runner
  /// calls). With it, every memref argument is a bare pointer to its first
  /// element and every result becomes a trailing out-parameter, a buffer the
  /// caller allocates: `void f(const T0 *in0, ..., R0 *out0, ...)` in C. It
  /// needs static shapes, which the integer level has.
  bool flatCallingConvention = false;
};

/// The target-independent path from the integer level to the LLVM dialect:
/// qnn to linalg on tensors, tosa.apply_scale to arith, one-shot
/// bufferization across function boundaries, linalg to scalar loops, and the
/// standard conversions to LLVM. The result runs with mlir-runner or
/// translates to LLVM IR. No tiling or vectorization yet.
void buildLowerToLLVMPipeline(mlir::OpPassManager &pm,
                              const LowerToLLVMOptions &options = {});

/// Registers `--qopt-lower-to-llvm`.
void registerPipelines();

} // namespace qopt

#endif // QOPT_PIPELINES_PIPELINES_H
