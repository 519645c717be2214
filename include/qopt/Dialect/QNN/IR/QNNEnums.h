//===- QNNEnums.h - QNN dialect enums ---------------------------*- C++ -*-===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// The generated enum declarations behind an include guard, so that code that
// only needs the rounding modes (the fixed-point arithmetic) does not pull in
// the whole dialect.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_DIALECT_QNN_IR_QNNENUMS_H
#define QOPT_DIALECT_QNN_IR_QNNENUMS_H

#include "mlir/IR/Attributes.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/StringRef.h"

#include "qopt/Dialect/QNN/IR/QNNEnums.h.inc"

#endif // QOPT_DIALECT_QNN_IR_QNNENUMS_H
