//===- Passes.h - QNN transformation passes ---------------------*- C++ -*-===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_DIALECT_QNN_TRANSFORMS_PASSES_H
#define QOPT_DIALECT_QNN_TRANSFORMS_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::qnn {

#define GEN_PASS_DECL
#include "qopt/Dialect/QNN/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "qopt/Dialect/QNN/Transforms/Passes.h.inc"

} // namespace mlir::qnn

#endif // QOPT_DIALECT_QNN_TRANSFORMS_PASSES_H
