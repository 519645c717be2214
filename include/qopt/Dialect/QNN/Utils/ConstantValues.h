//===- ConstantValues.h - Reading constant tensors --------------*- C++ -*-===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// The passes compute on the values of constant weights and biases (folding
// batch norms, quantizing, folding zero-point terms); these read them once,
// the same way, as doubles or as storage integers.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_DIALECT_QNN_UTILS_CONSTANTVALUES_H
#define QOPT_DIALECT_QNN_UTILS_CONSTANTVALUES_H

#include "mlir/IR/Value.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>

namespace mlir::qnn {

/// The elements of a constant float tensor as doubles (exact for every float
/// type up to f64), or nullopt if `value` is not one.
std::optional<SmallVector<double>> getFloatConstantValues(Value value);

/// The elements of a constant integer tensor, read with the element type's
/// signedness (ui8 zero-extends), or nullopt if `value` is not one.
std::optional<SmallVector<int64_t>> getIntConstantValues(Value value);

} // namespace mlir::qnn

#endif // QOPT_DIALECT_QNN_UTILS_CONSTANTVALUES_H
