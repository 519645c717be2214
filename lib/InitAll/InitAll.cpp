//===- InitAll.cpp - Register everything qopt provides --------------------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//

#include "qopt/InitAll.h"

#include "qopt/Dialect/QNN/IR/QNN.h"
#include "qopt/Dialect/QNN/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Transforms/Passes.h"

void qopt::registerAllDialects(mlir::DialectRegistry &registry) {
  registry.insert<mlir::qnn::QNNDialect, mlir::quant::QuantDialect,
                  mlir::func::FuncDialect, mlir::arith::ArithDialect,
                  mlir::tensor::TensorDialect>();
}

void qopt::registerAllPasses() {
  // Registration is idempotent by construction: each call re-inserts the
  // same factories under the same names.
  mlir::registerTransformsPasses();
  mlir::qnn::registerQNNPasses();
}
