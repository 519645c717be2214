//===- InitAll.h - Register everything qopt provides ------------*- C++ -*-===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// The one entry point an embedding compiler calls: it registers the qnn
// dialect with the upstream dialects its IR uses, and every qopt pass and
// pipeline with the upstream passes those pipelines are built from.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_INITALL_H
#define QOPT_INITALL_H

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace qopt {

/// Adds the qnn dialect and the upstream dialects found in qopt IR at every
/// stage of its pipelines (quant, func, arith, tensor; linalg, math and tosa
/// after the lowering to linalg; memref, scf, vector, ub, llvm and arm_neon
/// after bufferization and in the layer kernels) to `registry`, with the
/// bufferization models and LLVM IR translations the lowering needs.
void registerAllDialects(mlir::DialectRegistry &registry);

/// Registers the qopt passes and pipelines, and every upstream pass that
/// they run (canonicalize, cse, one-shot-bufferize, the conversions to
/// LLVM, ...), with the global pass registry so that textual pipelines,
/// including what --dump-pass-pipeline prints, can name them. Safe to call
/// more than once.
void registerAllPasses();

} // namespace qopt

#endif // QOPT_INITALL_H
