//===- KnownValues.h - Compile-time lanes of kernel parameters --*- C++ -*-===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// What the targets' instruction selection of the requantization knows of
// its multiplier and shift vectors at compile time, and a splat builder.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_CODEGEN_COMMON_KNOWNVALUES_H
#define QOPT_CODEGEN_COMMON_KNOWNVALUES_H

#include "qopt/Dialect/QNN/Utils/IntegerParams.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>

namespace qopt::codegen {

/// What is known at compile time of a multiplier or shift operand: the value
/// of each lane (a constant vector), or only the values any lane can take (a
/// vector read from a constant global, as the per-channel parameters of the
/// kernels are once bufferized).
struct KnownValues {
  llvm::SmallVector<int64_t> values;
  bool perLane = false;

  bool any(llvm::function_ref<bool(int64_t)> pred) const {
    return llvm::any_of(values, pred);
  }
  bool all(llvm::function_ref<bool(int64_t)> pred) const {
    return llvm::all_of(values, pred);
  }
};

/// The known values of `value`: a constant, or an in-bounds unmasked
/// vector.transfer_read or vector.load of a constant memref.global.
std::optional<KnownValues> getKnownValues(mlir::Value value);

/// The known multipliers and tosa shifts of `op`, a tosa.apply_scale on a
/// 1-D vector of i32, when both are known and within qnn's ranges (M0 in
/// [0, 2^31), shifts in [-31, 30], i.e. tosa shifts in [1, 62]): the
/// preconditions of the targets' requantization sequences. Else a match
/// failure saying why.
llvm::FailureOr<std::pair<KnownValues, KnownValues>>
getKnownScaleParameters(mlir::tosa::ApplyScaleOp op,
                        mlir::PatternRewriter &rewriter);

/// The range of a target instruction's result (an op the analysis below does
/// not know), given the ranges of other values (getKnownRange), or none.
using OpRangeFn = llvm::function_ref<std::optional<mlir::qnn::IntegerRange>(
    mlir::Operation *,
    llvm::function_ref<std::optional<mlir::qnn::IntegerRange>(mlir::Value)>)>;

/// A range holding every lane of the integer vector (or scalar) `value`,
/// when the ops that compute it bound it: constants and reads of constant
/// globals (getKnownValues), extensions of narrower integers, additions,
/// subtractions, multiplications and left shifts by a constant that cannot
/// wrap, selects, requantizations (tosa.apply_scale) by known multipliers
/// and right shifts of an input of known or stated range, and the ops
/// `getOpRange` knows (a target's dot-product instructions). A kernel's
/// accumulator is its bias read from a constant global plus bounded dot
/// products; a loop-carried one (a block argument) is not bounded here.
/// `constants`, when given, keeps the ranges of the constants (by their
/// elements) across calls.
using ConstantRangeCache =
    llvm::DenseMap<mlir::Attribute, std::optional<mlir::qnn::IntegerRange>>;
std::optional<mlir::qnn::IntegerRange>
getKnownRange(mlir::Value value, OpRangeFn getOpRange,
              ConstantRangeCache *constants = nullptr);

/// The discardable attribute (array<i64: min, max>) by which a kernel states
/// the range of a tosa.apply_scale's value operand where it knows more than
/// the IR shows: a contraction's accumulator is bounded by its constant
/// weights and bias, but it is summed in loop-carried registers or in AMX
/// tiles read back from memory, which getKnownRange does not bound.
inline constexpr llvm::StringLiteral kValueRangeAttrName = "qopt.value_range";

/// States `range` on `op` (kValueRangeAttrName).
void setStatedRange(mlir::tosa::ApplyScaleOp op, mlir::qnn::IntegerRange range);

/// The range of `op`'s value operand: the one stated on it, else
/// getKnownRange's (with `getOpRange` and `constants`), else none.
std::optional<mlir::qnn::IntegerRange>
getValueRange(mlir::tosa::ApplyScaleOp op, OpRangeFn getOpRange,
              ConstantRangeCache *constants = nullptr);

/// A constant of the integer vector `type` with every lane `value`.
mlir::Value splat(mlir::OpBuilder &b, mlir::Location loc, mlir::VectorType type,
                  int64_t value);

} // namespace qopt::codegen

#endif // QOPT_CODEGEN_COMMON_KNOWNVALUES_H
