//===- QNN.h - QNN dialect --------------------------------------*- C++ -*-===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_DIALECT_QNN_IR_QNN_H
#define QOPT_DIALECT_QNN_IR_QNN_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mlir::OpTrait::qnn {

/// Fails, at `op`, if an operand or result is a tensor with a static
/// dimension of size 0.
LogicalResult verifyNoZeroSizedTensors(Operation *op);

/// Every qnn op: no tensor operand or result has a dimension of size 0.
template <typename ConcreteType>
class NoZeroSizedTensors : public TraitBase<ConcreteType, NoZeroSizedTensors> {
public:
  static LogicalResult verifyTrait(Operation *op) {
    return verifyNoZeroSizedTensors(op);
  }
};

} // namespace mlir::OpTrait::qnn

#include "qopt/Dialect/QNN/IR/QNNDialect.h.inc"
#include "qopt/Dialect/QNN/IR/QNNEnums.h"

#define GET_ATTRDEF_CLASSES
#include "qopt/Dialect/QNN/IR/QNNAttrs.h.inc"

#define GET_OP_CLASSES
#include "qopt/Dialect/QNN/IR/QNNOps.h.inc"

#define GET_OP_CLASSES
#include "qopt/Dialect/QNN/IR/QNNIntOps.h.inc"

#endif // QOPT_DIALECT_QNN_IR_QNN_H
