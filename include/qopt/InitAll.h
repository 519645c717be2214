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

/// Adds the qnn dialect and the upstream dialects found in qopt IR (quant,
/// func, arith, tensor, and linalg, math and tosa after the lowering to
/// linalg) to `registry`, with the bufferization models the lowering to LLVM
/// needs.
void registerAllDialects(mlir::DialectRegistry &registry);

/// Registers the qopt passes and pipelines, and the upstream transforms
/// (canonicalize, cse, ...) that they rely on, with the global pass registry
/// so that textual pipelines can name them. Safe to call more than once.
void registerAllPasses();

} // namespace qopt

#endif // QOPT_INITALL_H
