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

/// The target-independent path from the integer level to the LLVM dialect:
/// qnn to linalg on tensors, tosa.apply_scale to arith, one-shot
/// bufferization across function boundaries, linalg to scalar loops, and the
/// standard conversions to LLVM. The result runs with mlir-runner or
/// translates to LLVM IR. No tiling or vectorization yet.
void buildLowerToLLVMPipeline(mlir::OpPassManager &pm);

/// Registers `--qopt-lower-to-llvm`.
void registerPipelines();

} // namespace qopt

#endif // QOPT_PIPELINES_PIPELINES_H
