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

/// The output multipliers of a contraction, one per output channel (one in
/// all when the weights are per tensor):
///   M[c] = S_input * S_weights[c] / S_output
/// because the int32 accumulator holds sum (q_in - Z_in)(q_w - Z_w[c]) + bias
/// at scale S_input * S_weights[c] and the result is quantized at S_output
/// (Jacob et al., eq. 5). Fails when an M cannot be encoded (M >= 2^30).
FailureOr<SmallVector<QuantizedMultiplier>>
getContractionMultipliers(quant::QuantizedType input,
                          quant::QuantizedType weights,
                          quant::UniformQuantizedType output,
                          int64_t channels);

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
/// leftShift is 20 for 8-bit storage and 15 for 16-bit, as in TensorFlow
/// Lite's add.cc.
FailureOr<AddParams> getAddParams(double lhsScale, double rhsScale,
                                  double outputScale, unsigned storageWidth);

/// TensorFlow Lite's CalculateActivationRangeQuantized: the storage bounds of
/// a clamp to the real interval [min, max] (either may be infinite) for the
/// type `output`, intersected with its storage range. Each bound is
/// Z + round_half_away(r / S).
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

/// The largest |accumulator| of a contraction whose output channel o sums
/// `weightMagnitudes[o]` = sum_k |w_k - Zw[o]| products with inputs whose
/// |x - Zx| is at most `maxInput`, plus |bias[o]| (bias may be empty): the
/// bound that must stay within int32 for the accumulation to be exact.
int64_t getAccumulatorBound(ArrayRef<int64_t> weightMagnitudes,
                            int64_t maxInput, ArrayRef<int64_t> bias);

} // namespace mlir::qnn

#endif // QOPT_DIALECT_QNN_UTILS_INTEGERPARAMS_H
