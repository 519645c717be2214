//===- TranslateRegistration.cpp - qopt-translate registrations -----------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//

#include "qopt/Target/ParamsExport.h"

#include "qopt/Dialect/QNN/IR/QNN.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/CommandLine.h"

using namespace mlir;

/// The dialects of the quantized level as qopt prints it. Ops of any other
/// dialect would be rejected by the export anyway; unregistered, they are a
/// located parse error instead.
static void registerQuantizedLevelDialects(DialectRegistry &registry) {
  registry.insert<qnn::QNNDialect, quant::QuantDialect, func::FuncDialect,
                  arith::ArithDialect>();
}

void qopt::registerParamsExportTranslations() {
  // Like every qopt tool's --numerics: the module's qnn.numerics otherwise.
  static llvm::cl::opt<std::string> numerics(
      "numerics",
      llvm::cl::desc("The numerics preset whose integers and formulas to "
                     "export (tflite, pytorch, pytorch-qnnpack); default: "
                     "the module's qnn.numerics, else tflite"),
      llvm::cl::init(""));
  static TranslateFromMLIRRegistration json(
      "qopt-export-json",
      "per-layer integer parameters of a quantized network as JSON",
      [](ModuleOp module, raw_ostream &os) {
        return exportParamsAsJson(module, os, numerics);
      },
      registerQuantizedLevelDialects);
  static TranslateFromMLIRRegistration cHeader(
      "qopt-export-c-header",
      "per-layer integer parameters of a quantized network as a C99 header",
      [](ModuleOp module, raw_ostream &os) {
        return exportParamsAsCHeader(module, os, numerics);
      },
      registerQuantizedLevelDialects);
}
