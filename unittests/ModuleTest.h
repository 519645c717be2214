//===- ModuleTest.h - A fixture holding a parsed module ---------*- C++ -*-===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// The tests of C++ interfaces that take IR parse a module with every qopt
// dialect and collect the diagnostics as text, so that they can assert on
// the messages instead of printing them.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_UNITTESTS_MODULETEST_H
#define QOPT_UNITTESTS_MODULETEST_H

#include "qopt/InitAll.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "gtest/gtest.h"

#include <string>

namespace qopt::testing {

class ModuleTest : public ::testing::Test {
protected:
  explicit ModuleTest(llvm::StringRef source) {
    mlir::DialectRegistry registry;
    registerAllDialects(registry);
    context.appendDialectRegistry(registry);
    module = mlir::parseSourceString<mlir::ModuleOp>(source, &context);
    // Collect diagnostics instead of printing them.
    context.getDiagEngine().registerHandler(
        [this](mlir::Diagnostic &diagnostic) {
          messages += diagnostic.str() + "\n";
        });
  }

  mlir::func::FuncOp lookup(llvm::StringRef name) {
    return module->lookupSymbol<mlir::func::FuncOp>(name);
  }

  mlir::MLIRContext context;
  mlir::OwningOpRef<mlir::ModuleOp> module;
  /// Every diagnostic so far, one per line.
  std::string messages;
};

} // namespace qopt::testing

#endif // QOPT_UNITTESTS_MODULETEST_H
