//===- IntegerParams.cpp - Integer parameters of quantized ops ------------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//

#include "qopt/Dialect/QNN/Utils/IntegerParams.h"

#include <algorithm>
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

FailureOr<SmallVector<QuantizedMultiplier>>
qnn::getContractionMultipliers(quant::QuantizedType input,
                               quant::QuantizedType weights,
                               quant::UniformQuantizedType output,
                               int64_t channels) {
  bool perChannel = isa<quant::UniformQuantizedPerAxisType>(weights);
  SmallVector<QuantizedMultiplier> multipliers;
  for (int64_t c = 0, e = perChannel ? channels : 1; c < e; ++c) {
    // The product first, in double, as TensorFlow Lite's
    // GetQuantizedConvolutionMultipler does.
    double accumulatorScale = getScale(input) * getScale(weights, c);
    FailureOr<QuantizedMultiplier> m =
        getRescaleMultiplier(accumulatorScale, output.getScale());
    if (failed(m))
      return failure();
    multipliers.push_back(*m);
  }
  return multipliers;
}

FailureOr<QuantizedMultiplier> qnn::getMulMultiplier(double lhsScale,
                                                     double rhsScale,
                                                     double outputScale) {
  return getRescaleMultiplier(lhsScale * rhsScale, outputScale);
}

FailureOr<AddParams> qnn::getAddParams(double lhsScale, double rhsScale,
                                       double outputScale,
                                       unsigned storageWidth) {
  AddParams params;
  params.leftShift = storageWidth > 8 ? 15 : 20;
  double twiceMaxInputScale = 2 * std::max(lhsScale, rhsScale);
  FailureOr<QuantizedMultiplier> lhs =
      getRescaleMultiplier(lhsScale, twiceMaxInputScale);
  FailureOr<QuantizedMultiplier> rhs =
      getRescaleMultiplier(rhsScale, twiceMaxInputScale);
  FailureOr<QuantizedMultiplier> output = getRescaleMultiplier(
      twiceMaxInputScale, std::ldexp(outputScale, params.leftShift));
  if (failed(lhs) || failed(rhs) || failed(output))
    return failure();
  params.lhs = *lhs;
  params.rhs = *rhs;
  params.output = *output;
  return params;
}

std::pair<int64_t, int64_t>
qnn::getClampBounds(double min, double max,
                    quant::UniformQuantizedType output) {
  int64_t lo = output.getStorageTypeMin();
  int64_t hi = output.getStorageTypeMax();
  // Bounds beyond the representable range (infinities included) do not
  // clamp; comparing in double avoids converting them to integers.
  auto quantize = [&](double r) {
    return output.getZeroPoint() + std::round(r / output.getScale());
  };
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

int64_t qnn::getAccumulatorBound(ArrayRef<int64_t> weightMagnitudes,
                                 int64_t maxInput, ArrayRef<int64_t> bias) {
  int64_t bound = 0;
  for (auto [o, magnitude] : llvm::enumerate(weightMagnitudes))
    bound = std::max(bound, magnitude * maxInput +
                                (bias.empty() ? 0 : std::abs(bias[o])));
  return bound;
}
