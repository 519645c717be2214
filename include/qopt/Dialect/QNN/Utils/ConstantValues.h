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

/// The most elements a constant may have for the functions below to read it:
/// 2^28, 2 GiB as doubles, above the largest layers of real networks (VGG's
/// first fully connected layer has 10^8 weights). A splat constant is a few
/// bytes in the IR whatever its shape; reading one of 10^10 elements would
/// take 80 GB (and SmallVector cannot hold more than 2^32 elements).
constexpr int64_t kMaxConstantElements = int64_t(1) << 28;

/// Whether `value` is a constant tensor of more than kMaxConstantElements
/// elements, which the functions below do not read.
bool isOversizedConstant(Value value);

/// The elements of a constant float tensor as doubles (exact for every float
/// type up to f64), or nullopt if `value` is not one or is oversized.
std::optional<SmallVector<double>> getFloatConstantValues(Value value);

/// The elements of a constant integer tensor, read with the element type's
/// signedness (ui8 zero-extends), or nullopt if `value` is not one or is
/// oversized.
std::optional<SmallVector<int64_t>> getIntConstantValues(Value value);

} // namespace mlir::qnn

#endif // QOPT_DIALECT_QNN_UTILS_CONSTANTVALUES_H
