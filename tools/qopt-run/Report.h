//===- Report.h - qopt-run --report -----------------------------*- C++ -*-===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// The numerics report of qopt-run (docs/numerics.md): the statistics come
// from qopt/Analysis/Numerics.h; this only drives them.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_TOOLS_QOPT_RUN_REPORT_H
#define QOPT_TOOLS_QOPT_RUN_REPORT_H

#include "qopt/Interpreter/Interpreter.h"

#include "mlir/IR/BuiltinOps.h"

namespace qopt {

/// Whether --report was given.
bool wantsReport();

/// Writes the numerics report of float-level `func` of `module` (read from
/// `modelPath`) on `runs` into the --report directory, quantized with
/// `scheme` and interpreted within `limits`; returns the tool's exit code.
int runReport(mlir::ModuleOp module, mlir::func::FuncOp func,
              llvm::ArrayRef<llvm::SmallVector<interpreter::Tensor>> runs,
              llvm::StringRef scheme, llvm::StringRef modelPath,
              const interpreter::Limits &limits);

} // namespace qopt

#endif // QOPT_TOOLS_QOPT_RUN_REPORT_H
