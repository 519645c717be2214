//===- IntegerParams.h - Integer parameters of quantized ops ----*- C++ -*-===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// How the quantized level's real scales become the integer level's constants,
// as TensorFlow Lite's kernels derive them in their Prepare functions. The
// multiplier-rewriting pass and the reference interpreter both call these, so
// that the quantized and the integer form of a network compute the same
// integers.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_DIALECT_QNN_UTILS_INTEGERPARAMS_H
#define QOPT_DIALECT_QNN_UTILS_INTEGERPARAMS_H

#include "qopt/Dialect/QNN/Utils/FixedPoint.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"

#include <array>
#include <optional>

namespace mlir::qnn {

/// Inclusive range of an integer-level element type (signless means signed,
/// ui8 is [0, 255]).
std::pair<int64_t, int64_t> getStorageRange(Type intType);

/// The integer-level element type holding `type`'s storage: signless for
/// signed storage, unsigned (e.g. ui8) otherwise.
IntegerType getStorageIntegerType(quant::QuantizedType type);

/// Scale of channel `c` of a per-tensor or per-axis uniform type.
double getScale(quant::QuantizedType type, int64_t c = 0);
/// Zero point of channel `c` of a per-tensor or per-axis uniform type.
int64_t getZeroPoint(quant::QuantizedType type, int64_t c = 0);

/// The real multipliers M[c] of getContractionMultipliers, before their
/// encoding.
SmallVector<double> getContractionRealMultipliers(
    quant::QuantizedType input, quant::QuantizedType weights,
    quant::UniformQuantizedType output, int64_t channels,
    bool float32 = false);

/// The output multipliers of a contraction, one per output channel (one in
/// all when the weights are per tensor):
///   M[c] = S_input * S_weights[c] / S_output
/// because the int32 accumulator holds sum (q_in - Z_in)(q_w - Z_w[c]) + bias
/// at scale S_input * S_weights[c] and the result is quantized at S_output
/// (Jacob et al., eq. 5). Fails when an M cannot be encoded (M >= 2^30).
/// With `float32`, M is computed as PyTorch's qnnpack engine does for its
/// float32 requantization, (S_w[c] * S_input) * (1 / S_output) in float32,
/// and encoded exactly (its 24-bit mantissa fits M0).
FailureOr<SmallVector<QuantizedMultiplier>>
getContractionMultipliers(quant::QuantizedType input,
                          quant::QuantizedType weights,
                          quant::UniformQuantizedType output,
                          int64_t channels, bool float32 = false);

/// A multiplier for a rescale from `from` to `to`: M = from / to (requantize,
/// average pooling between scales, mul's S1 * S2 / S3).
FailureOr<QuantizedMultiplier> getRescaleMultiplier(double from, double to);

/// TensorFlow Lite's Mul: (q_lhs - Z_lhs)(q_rhs - Z_rhs) holds the product at
/// scale S_lhs * S_rhs, requantized to S_output.
FailureOr<QuantizedMultiplier> getMulMultiplier(double lhsScale,
                                                double rhsScale,
                                                double outputScale);

/// TensorFlow Lite's Add: both inputs are brought to the common scale
/// 2 * max(S_lhs, S_rhs) * 2^-leftShift with multipliers below 1/2, summed
/// exactly, and the sum is requantized to S_output.
struct AddParams {
  int32_t leftShift;
  QuantizedMultiplier lhs;
  QuantizedMultiplier rhs;
  QuantizedMultiplier output;
};
/// The real multipliers of getAddParams, before their encoding: lhs, rhs and
/// output, in that order.
std::array<double, 3> getAddRealMultipliers(double lhsScale, double rhsScale,
                                            double outputScale,
                                            int32_t leftShift);
/// The left shift of TensorFlow Lite's add for `storageWidth`-bit storage.
int32_t getAddLeftShift(unsigned storageWidth);
/// leftShift is 20 for 8-bit storage and 15 for 16-bit, as in TensorFlow
/// Lite's add.cc.
FailureOr<AddParams> getAddParams(double lhsScale, double rhsScale,
                                  double outputScale, unsigned storageWidth);

/// PyTorch's qnnpack engine adds with one rounding (pytorch_qnnp_add_quantize):
///   acc = (q_lhs - Z_lhs) * lhsMultiplier + (q_rhs - Z_rhs) * rhsMultiplier
///   result = RoundingDivideByPOT(acc, rightShift) + Z_out
/// i.e. S_lhs / S_out ~ lhsMultiplier / 2^rightShift; the sum is exact in
/// int32 and rounded once, ties away from zero (qopt's qnn.int.weighted_add).
struct WeightedAddParams {
  int32_t lhsMultiplier;
  int32_t rhsMultiplier;
  int32_t rightShift;
};
/// qnnpack's parameters (pytorch_qnnp_compute_add_quantization_params), all
/// in float32 as there: the ratios r = float(S_in) / float(S_out), the
/// shift 21 - e for the exponent e of the larger ratio (which puts it in
/// [2^21, 2^22)), and each multiplier r * 2^shift rounded half to even.
/// Fails where qnnpack refuses the operator (a ratio outside
/// [2^-14, 2^8)) or computes a shift beyond 31 (the larger ratio below
/// 2^-10).
FailureOr<WeightedAddParams> getQnnpackAddParams(double lhsScale,
                                                 double rhsScale,
                                                 double outputScale);
/// RoundingDivideByPOT(lhs * lhsMultiplier + rhs * rhsMultiplier,
/// rightShift) for inputs minus their zero points `lhs` and `rhs`: the
/// weighted add before its output zero point. The weighted sum must fit in
/// int32 (asserted; the qnn.int.weighted_add verifier checks it for every
/// input of the types).
int32_t computeWeightedAdd(int64_t lhs, int64_t rhs,
                           const WeightedAddParams &params);

/// TensorFlow Lite's CalculateActivationRangeQuantized: the storage bounds of
/// a clamp to the real interval [min, max] (either may be infinite) for the
/// type `output`, intersected with its storage range. Each bound is
/// Z + round_half_away(r / S), computed in float32 as TensorFlow Lite does
/// (float scale and bound; a tie there is not always one in double).
std::pair<int64_t, int64_t> getClampBounds(double min, double max,
                                           quant::UniformQuantizedType output);

/// The int32 bias of a contraction on raw storage values. Expanding
///   sum_k (x_k - Zx)(w_k - Zw) + b
///     = sum_k x_k w_k - Zw sum_k x_k - Zx sum_k w_k + K Zx Zw + b
/// every term but the input sum depends on constants only, so per output
/// channel o
///   folded[o] = b[o] - Zx * weightSums[o] + K * Zx * Zw[o]
/// and -Zw[o] * sum_k x_k stays at run time (only when Zw[o] != 0). K is the
/// number of taps per output (KH * KW * C, KH * KW for depthwise, or the FC
/// depth), all of them real input positions once padding holds Zx
/// explicitly. `bias` may be empty (b = 0); `weightZps` has one entry or one
/// per channel. Fails when a folded value does not fit in int32.
FailureOr<SmallVector<int32_t>>
foldZeroPointsIntoBias(ArrayRef<int64_t> weightSums, int64_t depth,
                       int64_t inputZp, ArrayRef<int64_t> weightZps,
                       ArrayRef<int64_t> bias);

/// A closed interval [min, max] of integers, in which the overflow analyses
/// bound the values an op computes.
struct IntegerRange {
  int64_t min = 0;
  int64_t max = 0;

  /// Every value of the range fits in int32.
  bool fitsInInt32() const;
  /// The end of the range farther from 0: the range's largest |value|.
  int64_t getMagnitude() const;
  /// The end whose magnitude is getMagnitude() (max on a tie), for messages.
  int64_t getFarthest() const;
};

/// q - zeroPoint over the storage values q of the integer-level element type
/// `intType`.
IntegerRange getCenteredRange(Type intType, int64_t zeroPoint);

/// The products a * b over a in `lhs` and b in `rhs`: the extremes are among
/// the products of the ends.
IntegerRange getProductRange(IntegerRange lhs, IntegerRange rhs);

/// The exact range of the int32 accumulator of one output channel of a
/// contraction,
///   acc = sum_k (x_k - Zx)(w_k - Zw) + b,
/// over every input, each x_k - Zx in `input`, for constant weights whose
/// differences d_k = w_k - Zw sum to `positiveSum` over the positive d_k and
/// to `negativeSum` (<= 0) over the negative ones. Each term is extreme at
/// an end of `input`, independently of the others, so
///   max = input.max * positiveSum + input.min * negativeSum + b
///   min = input.min * positiveSum + input.max * negativeSum + b
/// are reached (by an interior output of a padded convolution, whose padded
/// taps contribute 0 as x - Zx = 0 is inside `input`).
///
/// This is the value every implementation computes, whatever the order of
/// the terms: the zero-point expansion, the +-128 input shifts of
/// --qopt-expand-zero-points and the code generators' dot products are
/// int32 sums with wrapping adds, exact modulo 2^32, so the result is exact
/// exactly when this range fits in int32.
IntegerRange getAccumulatorRange(IntegerRange input, int64_t positiveSum,
                                 int64_t negativeSum, int64_t bias);

/// The same for weights only known by their type: each w_k - Zw in
/// `weights`, `depth` taps. All taps can take the same extreme product, so
/// the range is depth * getProductRange(input, weights) + b (saturated to
/// int64 for absurd depths).
IntegerRange getAccumulatorRange(IntegerRange input, IntegerRange weights,
                                 int64_t depth, int64_t bias);

/// The end of `range` for which multiplyByQuantizedMultiplier with `shift`
/// breaks its precondition (x * 2^shift outside int32 for a left shift,
/// x outside int32 otherwise), if any. The ends are enough: x * 2^shift is
/// monotonic in x.
std::optional<int64_t> findMultiplierInputOverflow(IntegerRange range,
                                                   int32_t shift);

/// multiplyByQuantizedMultiplier over a range whose ends meet its
/// precondition: the ends' images, since it is nondecreasing in x for a
/// nonnegative multiplier (each rounding step is).
IntegerRange multiplyByQuantizedMultiplier(IntegerRange range,
                                           QuantizedMultiplier m,
                                           RoundingMode mode);

/// The range of a + b in TensorFlow Lite's Add (see AddParams) for inputs
/// minus their zero points in `lhs` and `rhs`: what the output multiplier
/// then scales. Requires (lhs and rhs) * 2^leftShift within int32 and input
/// shifts <= 0, which the qnn.int.add verifier checks first.
IntegerRange getAddSumRange(IntegerRange lhs, IntegerRange rhs,
                            const AddParams &params, RoundingMode mode);

/// The accumulator of a weighted add (see WeightedAddParams) for inputs
/// minus their zero points in `lhs` and `rhs`: every term is extreme at an
/// end of its range, the multipliers being nonnegative.
IntegerRange getWeightedAddRange(IntegerRange lhs, IntegerRange rhs,
                                 int64_t lhsMultiplier, int64_t rhsMultiplier);

} // namespace mlir::qnn

#endif // QOPT_DIALECT_QNN_UTILS_INTEGERPARAMS_H
