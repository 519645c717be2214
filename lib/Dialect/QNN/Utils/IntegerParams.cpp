//===- IntegerParams.cpp - Integer parameters of quantized ops ------------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//

#include "qopt/Dialect/QNN/Utils/IntegerParams.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/MathExtras.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdlib>
#include <limits>

using namespace mlir;
using namespace mlir::qnn;

std::pair<int64_t, int64_t> qnn::getStorageRange(Type intType) {
  auto type = cast<IntegerType>(intType);
  unsigned width = type.getWidth();
  if (type.isUnsigned())
    return {0, (int64_t(1) << width) - 1};
  return {-(int64_t(1) << (width - 1)), (int64_t(1) << (width - 1)) - 1};
}

IntegerType qnn::getStorageIntegerType(quant::QuantizedType type) {
  return IntegerType::get(type.getContext(),
                          type.getStorageTypeIntegralWidth(),
                          type.isSigned() ? IntegerType::Signless
                                          : IntegerType::Unsigned);
}

double qnn::getScale(quant::QuantizedType type, int64_t c) {
  if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(type))
    return perAxis.getScales()[c];
  return cast<quant::UniformQuantizedType>(type).getScale();
}

int64_t qnn::getZeroPoint(quant::QuantizedType type, int64_t c) {
  if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(type))
    return perAxis.getZeroPoints()[c];
  return cast<quant::UniformQuantizedType>(type).getZeroPoint();
}

FailureOr<QuantizedMultiplier> qnn::getRescaleMultiplier(double from,
                                                         double to) {
  return quantizeMultiplier(from / to);
}

SmallVector<double> qnn::getContractionRealMultipliers(
    quant::QuantizedType input, quant::QuantizedType weights,
    quant::UniformQuantizedType output, int64_t channels, bool float32) {
  bool perChannel = isa<quant::UniformQuantizedPerAxisType>(weights);
  SmallVector<double> multipliers;
  for (int64_t c = 0, e = perChannel ? channels : 1; c < e; ++c) {
    if (float32) {
      // PyTorch's generate_requantization_scales; a float32 value, which
      // quantizeMultiplier encodes exactly.
      float inverseOutput = 1.0f / static_cast<float>(output.getScale());
      multipliers.push_back(static_cast<float>(getScale(weights, c)) *
                            static_cast<float>(getScale(input)) *
                            inverseOutput);
      continue;
    }
    // The product first, in double, as TensorFlow Lite's
    // GetQuantizedConvolutionMultipler does.
    double accumulatorScale = getScale(input) * getScale(weights, c);
    multipliers.push_back(accumulatorScale / output.getScale());
  }
  return multipliers;
}

FailureOr<SmallVector<QuantizedMultiplier>> qnn::getContractionMultipliers(
    quant::QuantizedType input, quant::QuantizedType weights,
    quant::UniformQuantizedType output, int64_t channels, bool float32) {
  SmallVector<QuantizedMultiplier> multipliers;
  for (double m : getContractionRealMultipliers(input, weights, output,
                                                channels, float32)) {
    FailureOr<QuantizedMultiplier> encoded = quantizeMultiplier(m);
    if (failed(encoded))
      return failure();
    multipliers.push_back(*encoded);
  }
  return multipliers;
}

FailureOr<QuantizedMultiplier> qnn::getMulMultiplier(double lhsScale,
                                                     double rhsScale,
                                                     double outputScale) {
  return getRescaleMultiplier(lhsScale * rhsScale, outputScale);
}

int32_t qnn::getAddLeftShift(unsigned storageWidth) {
  return storageWidth > 8 ? 15 : 20;
}

std::array<double, 3> qnn::getAddRealMultipliers(double lhsScale,
                                                 double rhsScale,
                                                 double outputScale,
                                                 int32_t leftShift) {
  double twiceMaxInputScale = 2 * std::max(lhsScale, rhsScale);
  return {lhsScale / twiceMaxInputScale, rhsScale / twiceMaxInputScale,
          twiceMaxInputScale / std::ldexp(outputScale, leftShift)};
}

FailureOr<AddParams> qnn::getAddParams(double lhsScale, double rhsScale,
                                       double outputScale,
                                       unsigned storageWidth) {
  AddParams params;
  params.leftShift = getAddLeftShift(storageWidth);
  auto [lhsM, rhsM, outputM] =
      getAddRealMultipliers(lhsScale, rhsScale, outputScale, params.leftShift);
  FailureOr<QuantizedMultiplier> lhs = quantizeMultiplier(lhsM);
  FailureOr<QuantizedMultiplier> rhs = quantizeMultiplier(rhsM);
  FailureOr<QuantizedMultiplier> output = quantizeMultiplier(outputM);
  if (failed(lhs) || failed(rhs) || failed(output))
    return failure();
  params.lhs = *lhs;
  params.rhs = *rhs;
  params.output = *output;
  return params;
}

FailureOr<WeightedAddParams>
qnn::getQnnpackAddParams(double lhsScale, double rhsScale, double outputScale) {
  // float(S_in) / float(S_out): qnnpack takes the scales as floats.
  auto ratio = [&](double scale) {
    return static_cast<float>(scale) / static_cast<float>(outputScale);
  };
  float lhs = ratio(lhsScale), rhs = ratio(rhsScale);
  // pytorch_qnnp_create_add_nc_q8's check, written so that NaN fails too.
  for (float r : {lhs, rhs})
    if (!(r >= 0x1p-14f && r < 0x1p8f))
      return failure();
  // The exponent e of the larger ratio, 2^e <= r < 2^(e + 1): ratios from
  // 2^-14 up are normal floats, whose frexp exponent is e + 1.
  int exponent;
  std::frexp(std::max(lhs, rhs), &exponent);
  int32_t shift = 21 - (exponent - 1);
  if (shift > 31)
    return failure();
  // r * 2^shift is exact in float32 (a power of two), then lrintf.
  auto multiplier = [&](float r) {
    return static_cast<int32_t>(std::nearbyint(std::ldexp(r, shift)));
  };
  return WeightedAddParams{multiplier(lhs), multiplier(rhs), shift};
}

int32_t qnn::computeWeightedAdd(int64_t lhs, int64_t rhs,
                                const WeightedAddParams &params) {
  int64_t sum = lhs * params.lhsMultiplier + rhs * params.rhsMultiplier;
  assert(llvm::isInt<32>(sum) && "weighted sum overflows int32");
  return roundingDivideByPOT(static_cast<int32_t>(sum), params.rightShift);
}

std::pair<int64_t, int64_t>
qnn::getClampBounds(double min, double max,
                    quant::UniformQuantizedType output) {
  int64_t lo = output.getStorageTypeMin();
  int64_t hi = output.getStorageTypeMax();
  // TensorFlow Lite's Quantize: the scale and the bound are floats, divided
  // and rounded (half away from zero) in float32. A quotient that is a tie
  // in float32 may be just below it in double, where it would round down.
  auto scale = static_cast<float>(output.getScale());
  auto quantize = [&](double r) {
    return output.getZeroPoint() +
           double(std::round(static_cast<float>(r) / scale));
  };
  // Bounds beyond the representable range (infinities included) do not
  // clamp; comparing in double avoids converting them to integers.
  double qmin = quantize(min), qmax = quantize(max);
  if (qmin > lo)
    lo = static_cast<int64_t>(std::min(qmin, double(hi)));
  if (qmax < hi)
    hi = static_cast<int64_t>(std::max(qmax, double(lo)));
  return {lo, hi};
}

FailureOr<SmallVector<int32_t>>
qnn::foldZeroPointsIntoBias(ArrayRef<int64_t> weightSums, int64_t depth,
                            int64_t inputZp, ArrayRef<int64_t> weightZps,
                            ArrayRef<int64_t> bias) {
  SmallVector<int32_t> folded;
  for (auto [o, weightSum] : llvm::enumerate(weightSums)) {
    int64_t weightZp = weightZps.size() == 1 ? weightZps[0] : weightZps[o];
    // |terms| < 2^31 * (1 + 2^16 + ...) for 16-bit storage and realistic K:
    // int64 cannot overflow before the int32 check below.
    int64_t value = (bias.empty() ? 0 : bias[o]) - inputZp * weightSum +
                    depth * inputZp * weightZp;
    if (value < std::numeric_limits<int32_t>::min() ||
        value > std::numeric_limits<int32_t>::max())
      return failure();
    folded.push_back(static_cast<int32_t>(value));
  }
  return folded;
}

bool IntegerRange::fitsInInt32() const {
  return llvm::isInt<32>(min) && llvm::isInt<32>(max);
}

int64_t IntegerRange::getMagnitude() const { return std::abs(getFarthest()); }

int64_t IntegerRange::getFarthest() const {
  return std::abs(min) > std::abs(max) ? min : max;
}

IntegerRange qnn::getCenteredRange(Type intType, int64_t zeroPoint) {
  auto [min, max] = getStorageRange(intType);
  return {min - zeroPoint, max - zeroPoint};
}

IntegerRange qnn::getProductRange(IntegerRange lhs, IntegerRange rhs) {
  // Storage values are at most 32 bits wide, so the products are exact.
  int64_t corners[] = {lhs.min * rhs.min, lhs.min * rhs.max, lhs.max * rhs.min,
                       lhs.max * rhs.max};
  return {*llvm::min_element(corners), *llvm::max_element(corners)};
}

IntegerRange qnn::getAccumulatorRange(IntegerRange input, int64_t positiveSum,
                                      int64_t negativeSum, int64_t bias) {
  // |input| <= 2^16 and the sums are those of a constant that fits in
  // memory: the products stay far inside int64.
  return {input.min * positiveSum + input.max * negativeSum + bias,
          input.max * positiveSum + input.min * negativeSum + bias};
}

/// depth * product + bias, saturated to the int64 range (depth >= 0).
static int64_t saturatingMultiplyAdd(int64_t depth, int64_t product,
                                     int64_t bias) {
  int64_t scaled, sum;
  if (llvm::MulOverflow(depth, product, scaled))
    return product < 0 ? std::numeric_limits<int64_t>::min()
                       : std::numeric_limits<int64_t>::max();
  if (llvm::AddOverflow(scaled, bias, sum))
    return bias < 0 ? std::numeric_limits<int64_t>::min()
                    : std::numeric_limits<int64_t>::max();
  return sum;
}

IntegerRange qnn::getAccumulatorRange(IntegerRange input, IntegerRange weights,
                                      int64_t depth, int64_t bias) {
  IntegerRange product = getProductRange(input, weights);
  return {saturatingMultiplyAdd(depth, product.min, bias),
          saturatingMultiplyAdd(depth, product.max, bias)};
}

std::optional<int64_t> qnn::findMultiplierInputOverflow(IntegerRange range,
                                                        int32_t shift) {
  for (int64_t end : {range.max, range.min})
    if (!fitsMultiplierInput(end, shift))
      return end;
  return std::nullopt;
}

IntegerRange qnn::multiplyByQuantizedMultiplier(IntegerRange range,
                                                QuantizedMultiplier m,
                                                RoundingMode mode) {
  return {multiplyByQuantizedMultiplier(int32_t(range.min), m, mode),
          multiplyByQuantizedMultiplier(int32_t(range.max), m, mode)};
}

IntegerRange qnn::getAddSumRange(IntegerRange lhs, IntegerRange rhs,
                                 const AddParams &params, RoundingMode mode) {
  auto rescaled = [&](IntegerRange input, QuantizedMultiplier m) {
    int64_t scale = int64_t(1) << params.leftShift;
    return multiplyByQuantizedMultiplier(
        IntegerRange{input.min * scale, input.max * scale}, m, mode);
  };
  IntegerRange a = rescaled(lhs, params.lhs);
  IntegerRange b = rescaled(rhs, params.rhs);
  return {a.min + b.min, a.max + b.max};
}

IntegerRange qnn::getWeightedAddRange(IntegerRange lhs, IntegerRange rhs,
                                      int64_t lhsMultiplier,
                                      int64_t rhsMultiplier) {
  return {lhs.min * lhsMultiplier + rhs.min * rhsMultiplier,
          lhs.max * lhsMultiplier + rhs.max * rhsMultiplier};
}
