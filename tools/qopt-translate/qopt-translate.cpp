//===- qopt-translate.cpp - The qopt translation driver -------------------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// mlir-translate for quantized networks: every flag of MlirTranslateMain, with
// the qopt exports registered (--qopt-export-json, --qopt-export-c-header).
//
//===----------------------------------------------------------------------===//

#include "qopt/Support/Version.h"
#include "qopt/Target/ParamsExport.h"

#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"
#include "llvm/Support/CommandLine.h"

#include <cstdlib>

int main(int argc, char **argv) {
  qopt::registerParamsExportTranslations();
  llvm::cl::SetVersionPrinter(qopt::printVersion);
  return mlir::failed(mlir::mlirTranslateMain(
             argc, argv, "qopt-translate: quantized network exports\n"))
             ? EXIT_FAILURE
             : EXIT_SUCCESS;
}
