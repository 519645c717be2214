//===- Kernels.cpp - Integer kernels shared by the levels -----------------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//

#include "Kernels.h"

#include "Evaluators.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/STLExtras.h"

#include <algorithm>
#include <limits>

using namespace mlir;
using namespace mlir::qnn;
using namespace qopt;
using namespace qopt::interpreter;
using namespace qopt::interpreter::detail;

static bool fitsInInt32(int64_t value) {
  return value >= std::numeric_limits<int32_t>::min() &&
         value <= std::numeric_limits<int32_t>::max();
}

/// multiplyByQuantizedMultiplier with its preconditions checked instead of
/// asserted: `x`, and for a left shift (shift > 0) x * 2^shift, must fit in
/// int32, because TensorFlow Lite computes them as int32 (double rounding
/// shifts before the high multiply; single rounding's result must fit too).
/// `what` names x in the error, emitted at `op` for the element at `index`.
/// The multiplier itself is in range: the verifier checks the integer level's
/// attributes, and the quantized level's come from quantizeMultiplier.
static FailureOr<int64_t>
checkedMultiply(Operation *op, StringRef what, int64_t x, QuantizedMultiplier m,
                RoundingMode rounding, ArrayRef<int64_t> shape, int64_t index) {
  if (!fitsInInt32(x))
    return op->emitOpError()
           << what << " " << x << " at " << formatIndex(shape, index)
           << " does not fit in int32";
  if (rounding != RoundingMode::Float32 && !fitsMultiplierInput(x, m.shift))
    return op->emitOpError()
           << what << " " << x << " at " << formatIndex(shape, index)
           << " shifted left by " << m.shift
           << " (the multiplier's exponent) does not fit in int32";
  return int64_t(multiplyByQuantizedMultiplier(int32_t(x), m, rounding));
}

/// `scaled` + `zeroPoint`, an int32 addition in TensorFlow Lite, clamped.
static FailureOr<int64_t> addZeroPointAndClamp(Operation *op, int64_t scaled,
                                               int64_t zeroPoint, int64_t min,
                                               int64_t max,
                                               ArrayRef<int64_t> shape,
                                               int64_t index) {
  int64_t value = scaled + zeroPoint;
  if (!fitsInInt32(value))
    return op->emitOpError()
           << "rescaled value " << scaled << " at " << formatIndex(shape, index)
           << " plus the output zero point " << zeroPoint
           << " does not fit in int32";
  return std::clamp(value, min, max);
}

FailureOr<std::vector<int64_t>> interpreter::detail::computeAccumulators(
    Operation *op, const Contraction &c, ArrayRef<int64_t> input,
    ArrayRef<int64_t> filter, const ContractionOffsets &offsets) {
  int64_t channels = c.resultShape[3];
  SmallVector<int64_t> weightsZp(channels, offsets.weightsZp.front());
  if (offsets.weightsZp.size() != 1)
    llvm::copy(offsets.weightsZp, weightsZp.begin());
  std::vector<int64_t> accumulators = contract<int64_t>(
      c, input, filter,
      [&](int64_t x, int64_t w, int64_t o) {
        return (x - offsets.inputZp) * (w - weightsZp[o]);
      },
      [&](int64_t o) { return offsets.bias ? offsets.bias->ints[o] : 0; });
  for (auto [index, accumulator] : llvm::enumerate(accumulators))
    if (!fitsInInt32(accumulator))
      return op->emitOpError()
             << "accumulator " << accumulator << " at "
             << formatIndex(getResultType(op).getShape(), index)
             << " does not fit in int32";
  return accumulators;
}

FailureOr<std::vector<int64_t>>
interpreter::detail::rescale(Operation *op, ArrayRef<int64_t> shape,
                             ArrayRef<int64_t> values,
                             const RescaleParams &params) {
  int64_t channels = shape.empty() ? 1 : shape.back();
  std::vector<int64_t> result;
  result.reserve(values.size());
  for (auto [index, value] : llvm::enumerate(values)) {
    QuantizedMultiplier m = params.multipliers.size() == 1
                                ? params.multipliers.front()
                                : params.multipliers[index % channels];
    FailureOr<int64_t> scaled =
        checkedMultiply(op, "input minus zero point", value - params.inputZp, m,
                        params.rounding, shape, index);
    if (failed(scaled))
      return failure();
    FailureOr<int64_t> out = addZeroPointAndClamp(
        op, *scaled, params.outputZp, params.min, params.max, shape, index);
    if (failed(out))
      return failure();
    result.push_back(*out);
  }
  return result;
}

FailureOr<std::vector<int64_t>>
interpreter::detail::add(Operation *op, ArrayRef<int64_t> shape,
                         ArrayRef<int64_t> lhs, ArrayRef<int64_t> rhs,
                         const AddKernelParams &params) {
  const AddParams &m = params.multipliers;
  int64_t scale = int64_t(1) << m.leftShift;
  std::vector<int64_t> result;
  result.reserve(lhs.size());
  for (int64_t index = 0, e = lhs.size(); index < e; ++index) {
    // Storage is at most 32 bits wide and leftShift <= 30, so the shifted
    // values are exact in int64; checkedMultiply checks that they fit in
    // int32.
    FailureOr<int64_t> a =
        checkedMultiply(op, "'lhs' minus its zero point, shifted left,",
                        (lhs[index] - params.lhsZp) * scale, m.lhs,
                        params.rounding, shape, index);
    if (failed(a))
      return failure();
    FailureOr<int64_t> b =
        checkedMultiply(op, "'rhs' minus its zero point, shifted left,",
                        (rhs[index] - params.rhsZp) * scale, m.rhs,
                        params.rounding, shape, index);
    if (failed(b))
      return failure();
    FailureOr<int64_t> sum =
        checkedMultiply(op, "sum of the rescaled inputs", *a + *b, m.output,
                        params.rounding, shape, index);
    if (failed(sum))
      return failure();
    FailureOr<int64_t> out = addZeroPointAndClamp(
        op, *sum, params.outputZp, params.min, params.max, shape, index);
    if (failed(out))
      return failure();
    result.push_back(*out);
  }
  return result;
}

FailureOr<std::vector<int64_t>>
interpreter::detail::multiply(Operation *op, ArrayRef<int64_t> shape,
                              ArrayRef<int64_t> lhs, ArrayRef<int64_t> rhs,
                              const MulKernelParams &params) {
  std::vector<int64_t> result;
  result.reserve(lhs.size());
  for (int64_t index = 0, e = lhs.size(); index < e; ++index) {
    FailureOr<int64_t> scaled = checkedMultiply(
        op, "product of the inputs minus their zero points",
        (lhs[index] - params.lhsZp) * (rhs[index] - params.rhsZp),
        params.multiplier, params.rounding, shape, index);
    if (failed(scaled))
      return failure();
    FailureOr<int64_t> out = addZeroPointAndClamp(
        op, *scaled, params.outputZp, params.min, params.max, shape, index);
    if (failed(out))
      return failure();
    result.push_back(*out);
  }
  return result;
}

FailureOr<std::vector<int64_t>>
interpreter::detail::averagePool(Operation *op, ArrayRef<int64_t> inputShape,
                                 ArrayRef<int64_t> input, const Window &window,
                                 ArrayRef<int64_t> resultShape, Ties ties,
                                 int64_t zeroPoint) {
  std::vector<int64_t> result(resultShape[0] * resultShape[1] * resultShape[2] *
                              resultShape[3]);
  auto finish = [&](int64_t index, int64_t sum,
                    int64_t count) -> LogicalResult {
    if (!fitsInInt32(sum))
      return op->emitOpError()
             << "window sum " << sum << " at "
             << formatIndex(resultShape, index) << " does not fit in int32";
    sum -= count * zeroPoint;
    if (ties == Ties::AwayFromZero) {
      // TensorFlow Lite's rounding: C++ division truncates toward zero, so
      // adding half the count away from zero first rounds ties away from
      // zero (for an odd count there are no ties, and the same expression
      // rounds to nearest).
      result[index] =
          zeroPoint +
          (sum > 0 ? (sum + count / 2) / count : (sum - count / 2) / count);
      return success();
    }
    // Ties to even: the floor quotient and a remainder in [0, count).
    int64_t quotient = sum / count - (sum % count < 0 ? 1 : 0);
    int64_t twiceRemainder = 2 * (sum - quotient * count);
    if (twiceRemainder > count ||
        (twiceRemainder == count && (quotient & 1) != 0))
      ++quotient;
    result[index] = zeroPoint + quotient;
    return success();
  };
  if (failed(pool<int64_t>(
          inputShape, input, window, resultShape,
          [](int64_t sum, int64_t value) { return sum + value; }, finish)))
    return failure();
  return result;
}

std::vector<int64_t> interpreter::detail::clamp(ArrayRef<int64_t> values,
                                                int64_t min, int64_t max) {
  std::vector<int64_t> result;
  result.reserve(values.size());
  for (int64_t value : values)
    result.push_back(std::clamp(value, min, max));
  return result;
}
