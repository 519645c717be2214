//===- Evaluators.h - Per-family op evaluators ------------------*- C++ -*-===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// The interpreter's driver (Interpreter.cpp) walks a function and hands each
// op to the evaluator of its family. Each family lives in its own file so
// that translation units stay small: the float level, the quantized level,
// the integer level (qnn.int.*) and the ops that only move data at any level.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_LIB_INTERPRETER_EVALUATORS_H
#define QOPT_LIB_INTERPRETER_EVALUATORS_H

#include "qopt/Interpreter/Interpreter.h"

#include "mlir/IR/Operation.h"

#include <string>

namespace qopt::interpreter::detail {

/// Each evaluator computes the single result of `op` from the tensors of its
/// operands in `env`, or emits an error at `op` and fails.
mlir::FailureOr<Tensor> evaluateFloatOp(mlir::Operation *op,
                                        const Environment &env);
mlir::FailureOr<Tensor> evaluateQuantizedOp(mlir::Operation *op,
                                            const Environment &env);
mlir::FailureOr<Tensor> evaluateIntegerOp(mlir::Operation *op,
                                          const Environment &env);
/// qnn.reshape, qnn.transpose, qnn.concat and qnn.max_pool2d at any level.
mlir::FailureOr<Tensor> evaluateDataMovementOp(mlir::Operation *op,
                                               const Environment &env);

/// The type of `op`'s single result.
inline mlir::RankedTensorType getResultType(mlir::Operation *op) {
  return mlir::cast<mlir::RankedTensorType>(op->getResult(0).getType());
}

/// A float tensor of type `type` holding `values` rounded to its element type:
/// float ops compute in double, then round once, as a reference should.
Tensor makeFloatTensor(mlir::RankedTensorType type, std::vector<double> values);

inline Tensor makeIntTensor(mlir::RankedTensorType type,
                            std::vector<int64_t> values) {
  return Tensor{type, {}, std::move(values)};
}

/// The multi-index of the element at row-major position `linear` of a tensor
/// of shape `shape`, as "[n, y, x, c]", for diagnostics.
std::string formatIndex(mlir::ArrayRef<int64_t> shape, int64_t linear);

} // namespace qopt::interpreter::detail

#endif // QOPT_LIB_INTERPRETER_EVALUATORS_H
