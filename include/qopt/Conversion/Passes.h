//===- Passes.h - qopt conversion passes ------------------------*- C++ -*-===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_CONVERSION_PASSES_H
#define QOPT_CONVERSION_PASSES_H

#include "qopt/Conversion/QNNToLinalg/QNNToLinalg.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::qnn {

#define GEN_PASS_DECL
#include "qopt/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "qopt/Conversion/Passes.h.inc"

} // namespace mlir::qnn

#endif // QOPT_CONVERSION_PASSES_H
