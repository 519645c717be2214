//===- FixedPoint.cpp - gemmlowp / TFLite fixed-point arithmetic ----------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// The derivations are in FixedPoint.h; comments here only say why the C++ is
// written the way it is. gemmlowp relies on int32 wrapping in places; this
// file uses int64 or uint32 arithmetic there so that no input has undefined
// behaviour.
//
//===----------------------------------------------------------------------===//

#include "qopt/Dialect/QNN/Utils/FixedPoint.h"

#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/MathExtras.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::qnn;

int32_t qnn::saturatingRoundingDoublingHighMul(int32_t a, int32_t b) {
  if (a == std::numeric_limits<int32_t>::min() && a == b)
    return std::numeric_limits<int32_t>::max();
  // |a * b| <= 2^62, so neither the product nor the nudged sum overflows.
  int64_t ab = static_cast<int64_t>(a) * b;
  int64_t nudge = ab >= 0 ? (1 << 30) : (1 - (1 << 30));
  // C++ division truncates toward zero, as gemmlowp's does.
  return static_cast<int32_t>((ab + nudge) / (int64_t(1) << 31));
}

int32_t qnn::roundingDivideByPOT(int32_t x, int exponent) {
  assert(exponent >= 0 && exponent <= 31 && "exponent outside [0, 31]");
  // In 64 bits because 1 << 31 does not fit in int32 (gemmlowp uses 1ll too).
  int32_t mask = static_cast<int32_t>((int64_t(1) << exponent) - 1);
  int32_t remainder = x & mask;
  int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  // x >> exponent is an arithmetic shift (implementation-defined before C++20,
  // arithmetic on every compiler LLVM supports).
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

double qnn::getRealMultiplier(QuantizedMultiplier m) {
  return std::ldexp(double(m.multiplier), m.shift - 31);
}

FailureOr<QuantizedMultiplier> qnn::quantizeMultiplier(double m) {
  // Written as !(m >= 0) so that NaN is rejected too.
  if (!(m >= 0) || std::isinf(m))
    return failure();
  if (m == 0)
    return QuantizedMultiplier{0, 0};
  int shift;
  double fraction = std::frexp(m, &shift);
  // std::round rounds ties away from zero, like TfLiteRound.
  int64_t q = static_cast<int64_t>(std::round(fraction * (int64_t(1) << 31)));
  if (q == (int64_t(1) << 31)) {
    q /= 2;
    ++shift;
  }
  // TFLite flushes after the adjustment above, so M just below 2^-32 that
  // rounds up to 2^-32 keeps shift -31; the vectors have that case.
  if (shift < kMinShift)
    return QuantizedMultiplier{0, 0};
  if (shift > kMaxShift)
    return failure();
  return QuantizedMultiplier{static_cast<int32_t>(q), shift};
}

bool qnn::fitsMultiplierInput(int64_t x, int32_t shift) {
  // After the first test |x| <= 2^31, so with the shift clamped to 31 (where
  // every x but 0 overflows anyway) the product is exact in int64.
  return llvm::isInt<32>(x) &&
         (shift <= 0 ||
          llvm::isInt<32>(x * (int64_t(1) << std::min(shift, 31))));
}

int32_t qnn::multiplyByQuantizedMultiplier(int32_t x, QuantizedMultiplier m,
                                           RoundingMode mode) {
  assert(m.multiplier >= 0 && "negative multiplier");
  assert(m.shift >= kMinShift && m.shift <= kMaxShift &&
         "shift outside [kMinShift, kMaxShift]");
  assert((mode == RoundingMode::Float32 || fitsMultiplierInput(x, m.shift)) &&
         "x * 2^shift overflows int32");
  int leftShift = std::max(m.shift, 0);
  switch (mode) {
  case RoundingMode::Float32: {
    // ldexp is exact; the conversions and the product round to nearest even
    // in float32, as the C++ float arithmetic of PyTorch's kernels.
    auto multiplier = static_cast<float>(
        std::ldexp(static_cast<double>(m.multiplier), m.shift - 31));
    float product = static_cast<float>(x) * multiplier;
    float rounded = std::nearbyint(product);
    if (!(rounded > -0x1p31f))
      return std::numeric_limits<int32_t>::min();
    if (rounded >= 0x1p31f)
      return std::numeric_limits<int32_t>::max();
    return static_cast<int32_t>(rounded);
  }
  case RoundingMode::DoubleRound: {
    // In uint32 so that a violated precondition wraps instead of being
    // undefined behaviour.
    auto shifted = static_cast<int32_t>(static_cast<uint32_t>(x) << leftShift);
    return roundingDivideByPOT(
        saturatingRoundingDoublingHighMul(shifted, m.multiplier),
        std::max(-m.shift, 0));
  }
  case RoundingMode::SingleRound: {
    // totalShift is in [1, 62] and |x * multiplier| < 2^62, so the 64-bit
    // sum cannot overflow.
    int totalShift = 31 - m.shift;
    int64_t round = int64_t(1) << (totalShift - 1);
    return static_cast<int32_t>((int64_t(x) * m.multiplier + round) >>
                                totalShift);
  }
  }
  llvm_unreachable("unknown RoundingMode");
}

int32_t qnn::doubleRoundByOneProduct(int32_t x, QuantizedMultiplier m,
                                     int32_t zeroPoint, bool signTerm) {
  assert(m.multiplier >= 0 && "negative multiplier");
  assert(m.shift >= kMinShift && m.shift <= -1 && "not a right shift");
  assert(x >= kMinOneProductInput && x <= kMaxOneProductInput && "x outside [-2^30, 2^30)");
  int r = -m.shift;
  assert(canFoldOneProductZeroPoint(zeroPoint, r) && "zero point too large");
  int64_t t = int64_t(2 * x) * m.multiplier + (int64_t(1) << 31) +
              (int64_t(1) << (31 + r));
  if (zeroPoint != 0)
    t += int64_t(zeroPoint) * (int64_t(1) << (32 + r));
  auto high = static_cast<int32_t>(t >> 32);
  return (high - (signTerm && x < 0 ? 1 : 0)) >> r;
}

int64_t qnn::getOffsetProductConstant(int32_t multiplier, int rightShift,
                                      int32_t zeroPoint, bool signTerm) {
  assert(rightShift >= 1 && rightShift <= 31 && "not a right shift");
  assert(canFoldOneProductZeroPoint(zeroPoint, rightShift) &&
         "zero point too large");
  return (int64_t(1) << 31) + (int64_t(1) << (31 + rightShift)) +
         int64_t(zeroPoint) * (int64_t(1) << (32 + rightShift)) -
         int64_t(multiplier) * (int64_t(1) << 20) -
         (signTerm ? int64_t(1) << 32 : 0);
}

int32_t qnn::doubleRoundByOffsetProduct(int32_t y, QuantizedMultiplier m,
                                        int32_t zeroPoint, bool signTerm) {
  assert(m.multiplier >= 0 && "negative multiplier");
  assert(y >= 0 && y < 2 * kOffsetProductBias && "y outside [0, 2^20)");
  int r = -m.shift;
  uint64_t product = uint64_t(y) * (2 * uint64_t(m.multiplier));
  assert(product < (uint64_t(1) << 52) && "not a 52-bit product");
  uint64_t t = uint64_t(
                   getOffsetProductConstant(m.multiplier, r, zeroPoint, signTerm)) +
               product;
  auto high = static_cast<int32_t>(static_cast<int64_t>(t) >> 32);
  if (signTerm)
    high += y >> 19;
  return high >> r;
}

std::optional<qnn::ShiftedSplitProduct>
qnn::getShiftedSplitProduct(QuantizedMultiplier m, int32_t leftShift,
                            int64_t minInput, int64_t maxInput,
                            int32_t zeroPoint, bool signTerm) {
  int64_t r = -int64_t(m.shift);
  int64_t n = 31 + r - leftShift;
  if (m.multiplier < 0 || r < 1 || r > 31 || leftShift < 0 || leftShift > 30 ||
      n > 31 || minInput > maxInput ||
      !canFoldOneProductZeroPoint(zeroPoint, r) ||
      minInput * (int64_t(1) << leftShift) < kMinOneProductInput ||
      maxInput * (int64_t(1) << leftShift) > kMaxOneProductInput)
    return std::nullopt;
  ShiftedSplitProduct p;
  p.shift = static_cast<int32_t>(n);
  p.high = static_cast<int32_t>(m.multiplier >> n);
  p.low = static_cast<int32_t>(m.multiplier & ((int64_t(1) << n) - 1));
  int64_t constant = (int64_t(1) << (30 - leftShift)) +
                     (int64_t(1) << (n - 1)) +
                     int64_t(zeroPoint) * (int64_t(1) << n);
  int64_t negativeTerm =
      signTerm && minInput < 0 ? -(int64_t(1) << (31 - leftShift)) : 0;
  auto fits = [](int64_t value) { return llvm::isInt<32>(value); };
  if (!fits(constant))
    return std::nullopt;
  p.constant = static_cast<int32_t>(constant);
  p.negativeTerm = static_cast<int32_t>(negativeTerm);
  // v H and each partial sum of v Lo + K + s N are linear in v: their
  // extremes are at the ends of v's range, and of its negative part for the
  // sign term (v = 0 gives K).
  auto stepsFit = [&](int64_t v, bool negative) {
    int64_t product = v * p.low;
    return fits(v * p.high) && fits(product) && fits(product + constant) &&
           fits(product + constant + (negative ? negativeTerm : 0));
  };
  if (!stepsFit(minInput, minInput < 0) || !stepsFit(maxInput, maxInput < 0) ||
      (minInput < 0 && maxInput >= 0 && !stepsFit(-1, true)))
    return std::nullopt;
  return p;
}

int32_t qnn::doubleRoundBySplitProduct(int32_t v,
                                       const ShiftedSplitProduct &p) {
  // int32 steps, as the vector code takes them; the parameters' checks keep
  // each one from overflowing.
  int32_t sum = v * p.low + p.constant + (v < 0 ? p.negativeTerm : 0);
  return v * p.high + (sum >> p.shift);
}
