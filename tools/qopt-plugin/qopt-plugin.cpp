//===- qopt-plugin.cpp - qopt as a plugin of mlir-opt ---------------------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// qopt-plugin.so makes qopt's dialects, passes and pipelines available to an
// mlir-opt built against the same libMLIR.so:
//
//   mlir-opt --load-dialect-plugin=qopt-plugin.so model.mlir \
//     --pass-pipeline='builtin.module(func.func(qopt-fold-batch-norm))'
//
// --load-dialect-plugin registers the dialects qopt's IR uses (and the
// passes); --load-pass-plugin registers the passes and pipelines alone. Both
// load after mlir-opt has made its pass flags, so a --pass-pipeline names
// the passes. The plugin links libMLIR.so, not static MLIR libraries, so that
// MLIR's global registries exist once in the process.
//
//===----------------------------------------------------------------------===//

#include "qopt/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/Plugins/DialectPlugin.h"
#include "mlir/Tools/Plugins/PassPlugin.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/Compiler.h"

extern "C" LLVM_ATTRIBUTE_WEAK mlir::DialectPluginLibraryInfo
mlirGetDialectPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "qopt", LLVM_VERSION_STRING,
          [](mlir::DialectRegistry *registry) {
            qopt::registerAllDialects(*registry);
            qopt::registerAllPasses();
          }};
}

extern "C" LLVM_ATTRIBUTE_WEAK mlir::PassPluginLibraryInfo
mlirGetPassPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "qopt", LLVM_VERSION_STRING,
          qopt::registerAllPasses};
}
