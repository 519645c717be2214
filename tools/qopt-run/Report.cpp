//===- Report.cpp - qopt-run --report -------------------------------------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//

#include "Report.h"

#include "qopt/Analysis/Numerics.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/WithColor.h"

using namespace mlir;

static llvm::cl::opt<std::string> reportDir(
    "report",
    llvm::cl::desc("Instead of printing results, measure every layer of the "
                   "float-level function against its integer program on the "
                   "inputs (each group of one --input per argument is one "
                   "run) and write report.json, report.md, SVG plots and "
                   "index.html into DIR (docs/numerics.md)"),
    llvm::cl::value_desc("dir"));

bool qopt::wantsReport() { return reportDir.getNumOccurrences(); }

int qopt::runReport(ModuleOp module, func::FuncOp func,
                    ArrayRef<SmallVector<interpreter::Tensor>> runs,
                    StringRef scheme, StringRef modelPath,
                    const interpreter::Limits &limits) {
  FailureOr<numerics::NumericsReport> report =
      numerics::computeNumericsReport(module, func, runs, scheme, limits);
  if (failed(report))
    return 1;
  report->model = llvm::sys::path::filename(modelPath).str();
  if (std::optional<std::string> error =
          numerics::writeNumericsReport(*report, reportDir)) {
    llvm::WithColor::error(llvm::errs(), "qopt-run") << *error << '\n';
    return 1;
  }
  return 0;
}
