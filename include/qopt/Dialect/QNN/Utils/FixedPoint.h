//===- FixedPoint.h - gemmlowp / TFLite fixed-point arithmetic --*- C++ -*-===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// The one home of the integer requantization arithmetic: how a real
// multiplier M is encoded as (M0, shift) and how an int32 value is multiplied
// by it, bit-exact with gemmlowp and TensorFlow Lite. Verifiers, folders and
// lowerings use these functions so that they cannot disagree; the unit tests
// check them against vectors produced with gemmlowp (test/vectors/).
//
// Convention: M = M0 * 2^(shift - 31), with M0 in [2^30, 2^31) unless M0 == 0.
// shift > 0 is a left shift, shift <= 0 a right shift by -shift.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_DIALECT_QNN_UTILS_FIXEDPOINT_H
#define QOPT_DIALECT_QNN_UTILS_FIXEDPOINT_H

#include "qopt/Dialect/QNN/IR/QNNEnums.h"

#include "mlir/Support/LLVM.h"

#include <cstdint>
#include <optional>

namespace mlir::qnn {

/// The shifts TensorFlow Lite's MultiplyByQuantizedMultiplier admits. A right
/// shift by more than 31 would shift out every bit of an int32
/// (quantizeMultiplier flushes such multipliers to 0 instead); a left shift by
/// 31 overflows for any nonzero value, and single rounding's rounding term
/// 2^(30 - shift) needs shift <= 30.
constexpr int32_t kMinShift = -31;
constexpr int32_t kMaxShift = 30;

/// gemmlowp's SaturatingRoundingDoublingHighMul: a * b / 2^31 rounded to
/// nearest, i.e. the high 32 bits of the doubled 64-bit product.
///
/// gemmlowp adds a nudge of 2^30 (half the divisor) to a nonnegative product
/// and 1 - 2^30 to a negative one, then divides truncating toward zero. For
/// ab >= 0 that is floor(ab / 2^31 + 1/2); for ab < 0 the truncation rounds
/// toward zero, i.e. up, and the nudge is one less than half, so again the
/// result is floor(ab / 2^31 + 1/2): ties round toward +infinity
/// (-0.5 -> 0, 0.5 -> 1). The one result that does not fit in int32 is
/// (INT32_MIN * INT32_MIN) / 2^31 = 2^31; it saturates to INT32_MAX.
int32_t saturatingRoundingDoublingHighMul(int32_t a, int32_t b);

/// gemmlowp's RoundingDivideByPOT: x / 2^exponent rounded to nearest, ties
/// away from zero. Requires 0 <= exponent <= 31.
///
/// x >> exponent is floor(x / 2^exponent) and x & mask (mask = 2^exponent - 1)
/// the remainder in [0, 2^exponent). The floor is incremented when the
/// remainder exceeds a threshold of half the divisor minus one: a tie of a
/// nonnegative x rounds up (away from zero). For a negative x the threshold is
/// one higher, so a tie stays at the floor, which is again away from zero.
int32_t roundingDivideByPOT(int32_t x, int exponent);

/// A real multiplier M = multiplier * 2^(shift - 31), as TensorFlow Lite keeps
/// requantization scales.
struct QuantizedMultiplier {
  int32_t multiplier;
  int32_t shift;
};

/// The real multiplier m stands for, multiplier * 2^(shift - 31) (exact in
/// double), e.g. to measure the encoding error of quantizeMultiplier.
double getRealMultiplier(QuantizedMultiplier m);

/// TensorFlow Lite's QuantizeMultiplier: frexp writes M = q * 2^shift with q in
/// [0.5, 1), and multiplier = round(q * 2^31) (ties away from zero; the product
/// is exact because 2^31 is a power of two). When q rounds to 2^31, which is
/// not an int32, the multiplier is halved and the shift incremented, which
/// keeps M. The encoding is bit-exact with TFLite so that models requantize as
/// TFLite does:
///   * M == 0 (and -0.0) gives (0, 0);
///   * M whose shift would be below kMinShift (M < 2^-32 after rounding) gives
///     (0, 0), which multiplies every value to 0, as a shift out of range
///     would;
///   * negative, NaN or infinite M, and M >= 2^30 (after rounding), whose shift
///     would exceed kMaxShift, are failures: no requantization can use them, so
///     the caller reports its own error instead of this function asserting.
FailureOr<QuantizedMultiplier> quantizeMultiplier(double m);

/// Whether `x` meets multiplyByQuantizedMultiplier's precondition for a
/// multiplier with `shift`: x, and for a left shift (shift > 0) x * 2^shift,
/// fit in int32. The interpreter checks every value with it, the verifiers
/// and --qopt-expand-zero-points the ends of the ranges the storage types
/// and constants allow (findMultiplierInputOverflow).
bool fitsMultiplierInput(int64_t x, int32_t shift);

/// TensorFlow Lite's MultiplyByQuantizedMultiplier: round(x * M) with
/// M = m.multiplier * 2^(m.shift - 31), in the rounding convention `mode`.
///
/// DoubleRound (TFLite's default, gemmlowp's output stage) splits the shift
/// into leftShift = max(shift, 0) and rightShift = max(-shift, 0) and computes
///   roundingDivideByPOT(
///       saturatingRoundingDoublingHighMul(x * 2^leftShift, multiplier),
///       rightShift).
/// The high multiply rounds x * 2^leftShift * multiplier / 2^31 to an int32,
/// which lets 32-bit SIMD compute it; the right shift rounds a second time.
/// The two roundings can differ from one exact rounding: with M = 0.25
/// (multiplier 2^30, shift -1) and x = 1, the high multiply rounds 0.5 up to 1
/// and the shift rounds 1 / 2 away from zero to 1 again, where
/// round(0.25) = 0.
///
/// SingleRound (TFLITE_SINGLE_ROUNDING) rounds once, in 64 bits:
///   (int64(x) * multiplier + 2^(30 - shift)) >> (31 - shift),
/// i.e. floor(x * M + 1/2): ties toward +infinity. It equals DoubleRound
/// whenever rightShift == 0, because then the high multiply is the only
/// rounding step.
///
/// Preconditions (asserted), which the QNN verifiers and the overflow analysis
/// establish before anything calls this:
///   * 0 <= m.multiplier and kMinShift <= m.shift <= kMaxShift;
///   * x * 2^leftShift fits in int32. In gemmlowp / TFLite that product is an
///     int32 multiplication: outside this range it wraps (undefined behaviour
///     in C++), and single rounding's 64-bit result does not fit in int32. The
///     reference vectors mark those rows ovf = 1 and the unit tests leave them
///     out. Inside the range both modes' results fit in int32, since
///     |x * 2^leftShift| <= 2^31 and multiplier < 2^31.
/// Outside the preconditions, a build without assertions returns an
/// unspecified value: the computation does its left shift in uint32 and never
/// has undefined behaviour, but callers must not rely on the result.
///
/// Float32 (PyTorch's requantization, see the dialect's rounding modes):
/// nearbyint(float(x) * float(M0 * 2^(shift - 31))), each step in float32,
/// saturated to int32; it has no left-shift precondition.
int32_t multiplyByQuantizedMultiplier(int32_t x, QuantizedMultiplier m,
                                      RoundingMode mode);

/// The inputs for which doubleRoundByOneProduct computes DoubleRound with one
/// 64-bit product: [-2^30, 2^30).
constexpr int64_t kMinOneProductInput = -(int64_t(1) << 30);
constexpr int64_t kMaxOneProductInput = (int64_t(1) << 30) - 1;

/// multiplyByQuantizedMultiplier(x, m, DoubleRound) for a right shift
/// (m.shift in [-31, -1], r = -m.shift) and x in [kMinOneProductInput,
/// kMaxOneProductInput], as SIMD code without a 32-bit high multiply computes it
/// from one 64-bit product per lane:
///   t = (2x) M0 + 2^31 + 2^(31 + r);  h' = t >> 32 (an int32);
///   result = (h' - [x < 0]) >> r.
/// Derivation, with p = x M0:
/// * SaturatingRoundingDoublingHighMul(x, M0) is h = floor((p + 2^30) / 2^31)
///   (see above; no saturation since M0 < 2^31), which is floor((2p + 2^31)
///   / 2^32): the high half of 2p + 2^31, where doubling x instead of the
///   product keeps both factors int32 (|2x| <= 2^31).
/// * RoundingDivideByPOT(h, r) is floor((h + 2^(r - 1) - [h < 0]) / 2^r):
///   with h = q 2^r + rem, it adds 1 to q exactly when rem >= 2^(r - 1) +
///   [h < 0], as its threshold comparison does. 2^(31 + r) in t adds the
///   2^(r - 1) to the high half, since it is a multiple of 2^32.
/// * [x < 0] may replace [h < 0]: x >= 0 gives p >= 0 and h >= 0, and x < 0
///   with h >= 0 leaves h = 0 (p < 0 gives h <= 0), where both give
///   floor((2^(r - 1) - [.]) / 2^r) = 0.
/// * No step overflows: |2p| < 2^62 and t < 2^63; h is in [-2^30 + 1,
///   2^30 - 1] for x in [-2^30, 2^30), so h' = h + 2^(r - 1) <= 2^31 - 1 and
///   h' - 1 >= -2^30, both int32.
/// * An output zero point z added to the result folds into t: z 2^r added to
///   h' (z 2^(32 + r) in t, a multiple of 2^32) adds exactly z after the
///   shift, since z 2^r is a multiple of 2^r. canFoldOneProductZeroPoint
///   states when h' + z 2^r still fits in int32 and t in int64:
///   (2|z| + 1) 2^(r - 1) <= 2^30 - 1 keeps |h' + z 2^r| <= 2^31 - 2 and
///   the constant terms of t within 2^62.
/// * Where the result (with z) is then clamped from below at z or above, as
///   a ReLU's is, the [x < 0] term can be left out (`signTerm` false): for
///   x < 0 both results are at most z, so the clamp gives its bound either
///   way. p < 0 gives 2p + 2^31 <= 2^31 - 2 M0 < 2^32, so h <= 0, h' <=
///   2^(r - 1) < 2^r, and (h' + z 2^r) >> r <= z; the exact result rounds a
///   negative value and is at most z too.
/// The x86 requantization emits these steps when the accumulator's range is
/// known to be inside the bounds; the unit tests compare this function with
/// multiplyByQuantizedMultiplier (plus the zero point, and clamped at it
/// without the sign term).
int32_t doubleRoundByOneProduct(int32_t x, QuantizedMultiplier m,
                                int32_t zeroPoint = 0, bool signTerm = true);

/// Whether doubleRoundByOneProduct may fold `zeroPoint` into its sum for a
/// right shift of `rightShift` (r in [1, 31]).
constexpr bool canFoldOneProductZeroPoint(int64_t zeroPoint,
                                          int64_t rightShift) {
  int64_t magnitude = zeroPoint < 0 ? -zeroPoint : zeroPoint;
  return zeroPoint == 0 ||
         (magnitude <= (int64_t(1) << 30) &&
          (2 * magnitude + 1) << (rightShift - 1) <= kMaxOneProductInput);
}

/// The inputs for which doubleRoundByOffsetProduct computes DoubleRound,
/// [-2^19, 2^19), and the offset it takes them with: y = x + 2^19, in
/// [0, 2^20).
constexpr int64_t kOffsetProductBias = int64_t(1) << 19;

/// The constant term E of doubleRoundByOffsetProduct's sum for M0 =
/// `multiplier`, a right shift by r and `zeroPoint`:
///   E = 2^31 + 2^(31 + r) + zeroPoint 2^(32 + r) - 2^20 M0 - [signTerm] 2^32.
int64_t getOffsetProductConstant(int32_t multiplier, int rightShift,
                                 int32_t zeroPoint, bool signTerm);

/// doubleRoundByOneProduct(y - 2^19, m, zeroPoint, signTerm) from the
/// offset input y = x + kOffsetProductBias in [0, 2^20), as a 52-bit
/// unsigned multiply-add (AVX-512 IFMA's vpmadd52luq, which adds the low 52
/// bits of the product of two 52-bit lanes to a 64-bit one) computes it:
///   t = E + y (2 M0);  result = (h + [signTerm] (y >> 19)) >> r,  h = t >> 32,
/// with E = getOffsetProductConstant(M0, r, zeroPoint, signTerm).
/// Derivation: y (2 M0) < 2^20 2^32 = 2^52, so the multiply-add is exact,
/// and y (2 M0) = 2x M0 + 2^20 M0: t is doubleRoundByOneProduct's sum, minus
/// 2^32 with the sign term. Its high half is then h' - [signTerm], and
/// y >> 19 is [x >= 0] = 1 - [x < 0] for y < 2^20: the sum is h' - [x < 0]
/// with the sign term, h' without. The accumulator starts at the bias plus
/// 2^19 (a constant), so that y costs nothing, and no lane doubles its
/// input: doubling M0 instead, a per-channel value, is done once per vector
/// of channels, as is E.
int32_t doubleRoundByOffsetProduct(int32_t y, QuantizedMultiplier m,
                                   int32_t zeroPoint = 0,
                                   bool signTerm = true);

/// doubleRoundByOneProduct(v 2^leftShift, m, zeroPoint, signTerm) for v of a
/// small known range (a TensorFlow Lite add's operand minus its zero point,
/// shifted left by 20) in int32 lanes, without a 64-bit product:
///   result = v H + ((v Lo + K + [v < 0] N) >> n),
/// where n = 31 + r - leftShift, M0 = H 2^n + Lo (0 <= Lo < 2^n),
/// K = 2^(30 - leftShift) + 2^(n - 1) + zeroPoint 2^n and
/// N = -2^(31 - leftShift) with the sign term (0 without it, or for v >= 0).
/// Derivation: doubleRoundByOneProduct is (h' - s) >> r with h' = t >> 32
/// and s = [signTerm] [x < 0] ([x < 0] = [v < 0]), which is
/// floor((t - s 2^32) / 2^(32 + r)). For x = v 2^leftShift and leftShift <=
/// 30, every term of t - s 2^32 = v M0 2^(leftShift + 1) + 2^31 +
/// 2^(31 + r) + zeroPoint 2^(32 + r) - s 2^32 is a multiple of
/// 2^(leftShift + 1); divided through, the result is floor((v M0 + K +
/// s N) / 2^n), and v H 2^n, a multiple of 2^n, leaves the floor as v H.
/// The int32 steps are exact where v H and v Lo + K + s N fit in int32
/// (both linear in v: checked at the ends of its range) and n <= 31; their
/// sum is the result, an int32 (canFoldOneProductZeroPoint). For an add's
/// operand (|v| <= 255, leftShift 20, n = 11 + r) that holds for every
/// multiplier and r <= 12 without a zero point, and Lo < 2^n makes v Lo a
/// 16-bit product for r <= 4 (x86's vpdpwssd).
struct ShiftedSplitProduct {
  int32_t high;         // H
  int32_t low;          // Lo
  int32_t constant;     // K
  int32_t negativeTerm; // N
  int32_t shift;        // n
};

/// The parameters of doubleRoundBySplitProduct for M0 and r = -m.shift in
/// [1, 31], v in [minInput, maxInput], or none where an int32 step could
/// overflow or x = v 2^leftShift leaves [kMinOneProductInput,
/// kMaxOneProductInput].
std::optional<ShiftedSplitProduct>
getShiftedSplitProduct(QuantizedMultiplier m, int32_t leftShift,
                       int64_t minInput, int64_t maxInput,
                       int32_t zeroPoint = 0, bool signTerm = true);

/// v H + ((v Lo + K + [v < 0] N) >> n) for v in the range `p` was made for.
int32_t doubleRoundBySplitProduct(int32_t v, const ShiftedSplitProduct &p);

} // namespace mlir::qnn

#endif // QOPT_DIALECT_QNN_UTILS_FIXEDPOINT_H
