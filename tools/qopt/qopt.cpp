//===- qopt.cpp - The qopt driver -----------------------------------------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// mlir-opt for quantized networks: every flag of MlirOptMain, with the qopt
// dialects, passes and pipelines registered.
//
//===----------------------------------------------------------------------===//

#include "qopt/InitAll.h"
#include "qopt/Support/Version.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "llvm/Support/CommandLine.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  qopt::registerAllDialects(registry);
  qopt::registerAllPasses();
  llvm::cl::SetVersionPrinter(qopt::printVersion);
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "qopt: quantized neural network optimizer\n", registry));
}
