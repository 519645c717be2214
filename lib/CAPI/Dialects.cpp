//===- Dialects.cpp - C API of qopt's dialects ----------------------------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//

#include "qopt-c/Dialects.h"

#include "qopt/Dialect/QNN/IR/QNN.h"
#include "qopt/InitAll.h"

#include "mlir/CAPI/IR.h"
#include "mlir/CAPI/Registration.h"

MLIR_DEFINE_CAPI_DIALECT_REGISTRATION(QNN, qnn, mlir::qnn::QNNDialect)

void qoptRegisterAllDialects(MlirDialectRegistry registry) {
  qopt::registerAllDialects(*unwrap(registry));
}
