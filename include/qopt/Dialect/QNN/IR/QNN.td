//===- QNN.td - The whole QNN dialect ----------------------*- tablegen -*-===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// Everything the dialect declares, for the generated reference page
// (docs/Dialects/QNNDialect.md) and for embedders that include our ODS.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_DIALECT_QNN_IR_QNN_TD
#define QOPT_DIALECT_QNN_IR_QNN_TD

include "qopt/Dialect/QNN/IR/QNNOps.td"
include "qopt/Dialect/QNN/IR/QNNIntOps.td"

#endif // QOPT_DIALECT_QNN_IR_QNN_TD
