//===- Passes.h - Target-independent code-generation passes -----*- C++ -*-===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_CODEGEN_COMMON_PASSES_H
#define QOPT_CODEGEN_COMMON_PASSES_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/OpenMP/OpenMPDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Pass/Pass.h"

namespace qopt::codegen {

/// The patterns of --qopt-expand-strided-copies.
void populateExpandStridedCopiesPatterns(mlir::RewritePatternSet &patterns);

/// What --qopt-plan-buffers does to `block` (the body of a function):
/// places its buffers in one allocation, reusing memory between buffers
/// whose lifetimes do not overlap. Fails, changing nothing, when fewer than
/// two buffers can be placed. Sets the number of buffers placed, their
/// bytes summed and the allocation's bytes where given.
llvm::LogicalResult planBuffers(mlir::Block &block, int64_t *planned = nullptr,
                                int64_t *unplannedBytes = nullptr,
                                int64_t *arenaBytes = nullptr);

/// What --qopt-vectorize-elementwise does to `op`, which it accepts: a loop
/// over vectors of `lanes` elements, then a scalar loop over the rest.
void vectorizeElementwise(mlir::linalg::GenericOp op, int64_t lanes);

#define GEN_PASS_DECL
#include "qopt/Codegen/Common/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "qopt/Codegen/Common/Passes.h.inc"

} // namespace qopt::codegen

#endif // QOPT_CODEGEN_COMMON_PASSES_H
