//===- QuantParams.cpp - Quantization parameters from ranges --------------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// The derivations and references are in QuantParams.h; comments here only say
// why the C++ is written the way it is.
//
// The float32 conventions (TensorFlow, PyTorch) compute in float variables
// and expressions: every target qopt builds for evaluates float expressions
// in float (FLT_EVAL_METHOD == 0), so each operation rounds to float32 as it
// does in the reference. No expression has the form a * b + c, so FMA
// contraction cannot change a result either. Their float results are widened
// to double exactly, which lets one rounding and one clamping helper serve
// every convention.
//
//===----------------------------------------------------------------------===//

#include "qopt/Dialect/QNN/Utils/QuantParams.h"

#include "llvm/ADT/Twine.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::qnn;

/// PyTorch observers' default eps, torch.finfo(torch.float32).eps = 2^-23.
static constexpr float kPyTorchEps = std::numeric_limits<float>::epsilon();

/// Rounds to an integer as `convention` does. PyTorch rounds ties to even
/// (torch.round; ATen's nearbyint in the default rounding mode, which nothing
/// in qopt changes); gemmlowp (std::round) and TensorFlow (std::round,
/// TfLiteRound) round them away from zero.
static double roundToInteger(double x, RangeConvention convention) {
  return convention == RangeConvention::PyTorch ? std::nearbyint(x)
                                                : std::round(x);
}

/// `x` clamped to `storage`. Clamping before the conversion keeps values
/// outside int64 (and infinities) defined. Rounding then clamping to integer
/// bounds equals the references' clamping then rounding, since rounding is
/// monotonic.
static int64_t clampToStorage(double x, StorageRange storage) {
  assert(!std::isnan(x) && "NaN has no storage value");
  if (x <= static_cast<double>(storage.min))
    return storage.min;
  if (x >= static_cast<double>(storage.max))
    return storage.max;
  return static_cast<int64_t>(x);
}

static bool isValidScale(double scale) {
  return scale > 0 && std::isfinite(scale);
}

/// qmin < qmax within int32, so that every bound and qmax - qmin are exact in
/// double and nothing overflows int64. PyTorch's observer also asserts
/// quant_min <= 0 <= quant_max (_validate_qmin_qmax).
static bool isValidStorage(StorageRange storage, RangeConvention convention) {
  if (!(storage.min < storage.max && llvm::isInt<32>(storage.min) &&
        llvm::isInt<32>(storage.max)))
    return false;
  return convention != RangeConvention::PyTorch ||
         (storage.min <= 0 && storage.max >= 0);
}

static int64_t symmetricZeroPoint(StorageRange storage,
                                  RangeConvention convention) {
  int64_t sum = storage.min + storage.max;
  if (convention != RangeConvention::PyTorch)
    return llvm::divideCeilSigned(sum, int64_t(2));
  // qint8 always has zero point 0; quint8 has 128 for its default range and
  // the midpoint rounded down for a customized one.
  if (storage.min < 0)
    return 0;
  if (storage.min == 0 && storage.max == 255)
    return 128;
  return llvm::divideFloorSigned(sum, int64_t(2));
}

/// The scale of the widened range [min, max] (min < max), before the check
/// that it is finite and positive. For the float32 conventions min and max
/// are float32 values.
static double symmetricScale(double min, double max, StorageRange storage,
                             RangeConvention convention) {
  switch (convention) {
  case RangeConvention::Gemmlowp:
    return std::max(-min, max) /
           ((static_cast<double>(storage.max) - storage.min) / 2);
  case RangeConvention::TensorFlow: {
    float maxAbs = static_cast<float>(std::max(-min, max));
    int64_t zeroPoint = symmetricZeroPoint(storage, convention);
    return maxAbs / static_cast<float>(storage.max - zeroPoint);
  }
  case RangeConvention::PyTorch: {
    float maxAbs = static_cast<float>(std::max(-min, max));
    // float(quant_max - quant_min) / 2 is a Python float; dividing a float32
    // tensor by it divides by its float32 value.
    auto halfRange = static_cast<float>(
        (static_cast<double>(storage.max) - storage.min) / 2);
    return std::max(maxAbs / halfRange, kPyTorchEps);
  }
  }
  llvm_unreachable("unknown RangeConvention");
}

static double affineScale(double min, double max, StorageRange storage,
                          RangeConvention convention) {
  switch (convention) {
  case RangeConvention::Gemmlowp:
    return (max - min) / (static_cast<double>(storage.max) - storage.min);
  case RangeConvention::TensorFlow:
    return (static_cast<float>(max) - static_cast<float>(min)) /
           (static_cast<float>(storage.max) - static_cast<float>(storage.min));
  case RangeConvention::PyTorch:
    return std::max((static_cast<float>(max) - static_cast<float>(min)) /
                        static_cast<float>(storage.max - storage.min),
                    kPyTorchEps);
  }
  llvm_unreachable("unknown RangeConvention");
}

/// The zero point of the widened range [min, max] for a valid `scale`. The
/// quotients are bounded by qmax - qmin because |min|, |max| <= max - min, so
/// nothing here is NaN or infinite.
static int64_t affineZeroPoint(double min, double max, double scale,
                               StorageRange storage,
                               RangeConvention convention) {
  switch (convention) {
  case RangeConvention::Gemmlowp: {
    double qmin = storage.min, qmax = storage.max;
    double fromMinError = std::abs(qmin) + std::abs(min / scale);
    double fromMaxError = std::abs(qmax) + std::abs(max / scale);
    double zeroPoint =
        fromMinError < fromMaxError ? qmin - min / scale : qmax - max / scale;
    return clampToStorage(roundToInteger(zeroPoint, convention), storage);
  }
  case RangeConvention::TensorFlow: {
    float zeroPoint = static_cast<float>(storage.min) -
                      static_cast<float>(min) / static_cast<float>(scale);
    return clampToStorage(roundToInteger(zeroPoint, convention), storage);
  }
  case RangeConvention::PyTorch: {
    float quotient = static_cast<float>(min) / static_cast<float>(scale);
    return clampToStorage(storage.min - roundToInteger(quotient, convention),
                          storage);
  }
  }
  llvm_unreachable("unknown RangeConvention");
}

FailureOr<QuantParams> qnn::chooseQuantParams(double min, double max,
                                              StorageRange storage,
                                              bool symmetric,
                                              RangeConvention convention,
                                              std::string *whyNot) {
  auto fail = [&](const llvm::Twine &reason) -> FailureOr<QuantParams> {
    if (whyNot)
      *whyNot = reason.str();
    return failure();
  };
  if (!std::isfinite(min) || !std::isfinite(max))
    return fail("its bounds are not finite");
  if (min > max)
    return fail("its min is above its max");
  if (!isValidStorage(storage, RangeConvention::Gemmlowp))
    return fail("the storage range [" + llvm::Twine(storage.min) + ", " +
                llvm::Twine(storage.max) + "] is empty or beyond int32");
  if (!isValidStorage(storage, convention))
    return fail("PyTorch's observers need a storage range that contains 0, "
                "and [" +
                llvm::Twine(storage.min) + ", " + llvm::Twine(storage.max) +
                "] does not");
  min = std::min(min, 0.0);
  max = std::max(max, 0.0);
  if (convention != RangeConvention::Gemmlowp) {
    // TensorFlow's and PyTorch's bounds are float32; rounding commutes with
    // the widening, since 0 is a float32 value.
    min = static_cast<float>(min);
    max = static_cast<float>(max);
    if (std::isinf(min) || std::isinf(max))
      return fail("a bound is beyond the float32 range");
  }
  // Only PyTorch defines the range {0}: its eps clamp. See the header for
  // the choice made for the others.
  if (min == max && convention != RangeConvention::PyTorch)
    return QuantParams{1.0, symmetric ? symmetricZeroPoint(storage, convention)
                                      : storage.min};

  double scale = symmetric ? symmetricScale(min, max, storage, convention)
                           : affineScale(min, max, storage, convention);
  if (!isValidScale(scale)) {
    std::string text;
    llvm::raw_string_ostream(text)
        << "its scale would be " << scale << ", not a finite positive number";
    return fail(text);
  }
  int64_t zeroPoint =
      symmetric ? symmetricZeroPoint(storage, convention)
                : affineZeroPoint(min, max, scale, storage, convention);
  return QuantParams{scale, zeroPoint};
}

int64_t qnn::quantizeValue(double value, QuantParams params,
                           StorageRange storage, RangeConvention convention) {
  auto zeroPoint = static_cast<double>(params.zeroPoint);
  double quantized = 0;
  switch (convention) {
  case RangeConvention::Gemmlowp:
    // gemmlowp rounds after adding the zero point.
    quantized = roundToInteger(zeroPoint + value / params.scale, convention);
    break;
  case RangeConvention::TensorFlow:
    quantized = zeroPoint + roundToInteger(static_cast<float>(value) /
                                               static_cast<float>(params.scale),
                                           convention);
    break;
  case RangeConvention::PyTorch: {
    float inverseScale = 1.0f / static_cast<float>(params.scale);
    quantized =
        zeroPoint +
        roundToInteger(static_cast<float>(value) * inverseScale, convention);
    break;
  }
  }
  if (std::isnan(quantized))
    return clampToStorage(zeroPoint, storage);
  return clampToStorage(quantized, storage);
}

FailureOr<int32_t> qnn::quantizeBias(double value, double scale,
                                     RangeConvention convention) {
  if (!isValidScale(scale))
    return failure();
  double quantized;
  if (convention == RangeConvention::PyTorch) {
    auto scale32 = static_cast<float>(scale);
    if (!(scale32 > 0.0f))
      return failure();
    float inverseScale = 1.0f / scale32;
    quantized = std::nearbyint(static_cast<float>(value) * inverseScale);
  } else {
    // std::round rounds ties away from zero, like TfLiteRound.
    quantized = std::round(value / scale);
  }
  // Written so that NaN fails too; both bounds are exact in double.
  if (!(quantized >= std::numeric_limits<int32_t>::min() &&
        quantized <= std::numeric_limits<int32_t>::max()))
    return failure();
  return static_cast<int32_t>(quantized);
}
