//===- main.cpp - A compiler that embeds qopt -----------------------------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// Usage: qopt-consumer <input.mlir> <pass-pipeline>
//
// Uses only the installed qopt package and the C++ API an embedding compiler
// would: qopt's registration entry points, then MLIR's parser and pass
// manager. Prints the transformed module to stdout; on failure, the
// diagnostic goes to stderr and the exit code is non-zero.
//
//===----------------------------------------------------------------------===//

#include "qopt/InitAll.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/Support/raw_ostream.h"

int main(int argc, char **argv) {
  if (argc != 3) {
    llvm::errs() << "usage: " << argv[0] << " <input.mlir> <pass-pipeline>\n";
    return 1;
  }

  mlir::DialectRegistry registry;
  qopt::registerAllDialects(registry);
  qopt::registerAllPasses();
  mlir::MLIRContext context(registry);

  // Parsing also verifies the module (ParserConfig verifies after parsing by
  // default). Here and below, errors are diagnostics that the context's
  // default handler prints to stderr.
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceFile<mlir::ModuleOp>(argv[1], &context);
  if (!module)
    return 1;

  // The pipeline text names its anchor (`builtin.module(...)`), so it is
  // parsed on its own and then moved into the PassManager, as MLIR's C API
  // does; the overload that appends to an existing manager expects the text
  // without the anchor.
  llvm::FailureOr<mlir::OpPassManager> pipeline =
      mlir::parsePassPipeline(argv[2], llvm::errs());
  if (mlir::failed(pipeline))
    return 1;
  mlir::PassManager pm(&context, pipeline->getOpAnchorName());
  static_cast<mlir::OpPassManager &>(pm) = std::move(*pipeline);
  if (mlir::failed(pm.run(*module)))
    return 1;

  module->print(llvm::outs());
  return 0;
}
