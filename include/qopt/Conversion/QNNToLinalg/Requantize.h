//===- Requantize.h - Building the requantization arithmetic ----*- C++ -*-===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// The builders of the requantization arithmetic (zero points, the
// fixed-point multiply as tosa.apply_scale, the clamp and the narrowing),
// shared by the linalg lowering and the targets' fused kernel epilogues, so
// that there is one derivation of why the generated code is bit-exact (see
// getTosaShift in Rescale.cpp). Every builder takes scalars or vectors.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_CONVERSION_QNNTOLINALG_REQUANTIZE_H
#define QOPT_CONVERSION_QNNTOLINALG_REQUANTIZE_H

#include "qopt/Dialect/QNN/IR/QNNEnums.h"

#include "mlir/IR/Builders.h"

#include <optional>

namespace mlir::qnn::to_linalg {

/// An arith.constant of the signless integer type `type`, or a splat of it
/// when `type` is a vector type.
Value createIntConstant(OpBuilder &b, Location loc, Type type, int64_t value);

/// `value - zeroPoint` (i32 or a vector of i32), or `value` when the zero
/// point is 0.
Value subtractZeroPoint(OpBuilder &b, Location loc, Value value,
                        int64_t zeroPoint);

/// Clamps `value` (i32 or a vector of i32) to [min, max] (signed compare)
/// and truncates it to `resultType`, its signless counterpart of narrower
/// elements.
Value clampAndTruncate(OpBuilder &b, Location loc, Value value, int64_t min,
                       int64_t max, Type resultType);

/// The clamp bounds of a requantizing op: the optional attributes
/// intersected with the range of its (original, possibly unsigned) result
/// element type, to which the result always saturates.
std::pair<int64_t, int64_t> getClampRange(Type resultElementType,
                                          std::optional<int64_t> clampMin,
                                          std::optional<int64_t> clampMax);

/// round(x * M0 * 2^(shift - 31)) in the rounding convention `mode`, as
/// tosa.apply_scale; `multiplier` is an i32 value and `tosaShift` the i8
/// right shift 31 - shift (see getTosaShift), or all three are vectors of
/// them.
Value applyScale(OpBuilder &b, Location loc, Value x, Value multiplier,
                 Value tosaShift, RoundingMode mode);

/// The right shift tosa.apply_scale takes for a qnn shift (see Rescale.cpp).
int8_t getTosaShift(int32_t shift);

} // namespace mlir::qnn::to_linalg

#endif // QOPT_CONVERSION_QNNTOLINALG_REQUANTIZE_H
