//===- QuantParams.h - Quantization parameters from ranges ------*- C++ -*-===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// The one home of the float-to-integer side of quantization: how a real range
// [min, max] becomes a scale S and zero point Z (r = S * (q - Z)), and how a
// real constant becomes a storage value. Passes that turn qnn.range into
// !quant.uniform types and that quantize weights and biases call these
// functions, so that they cannot disagree; the unit tests check them against
// vectors from PyTorch and from re-implementations of gemmlowp / TensorFlow
// (test/vectors/quant-params/generate.py).
//
// Three conventions exist because the libraries do not agree: they differ in
// the precision of the arithmetic (double or float32), in how the zero point
// is derived, in the rounding of ties (half away from zero or half to even)
// and in what a symmetric range means. A model must be quantized in the
// convention of the library whose results it is meant to reproduce.
//
// Common rules, for every convention:
//   * the real range is first widened to contain 0 (min = min(min, 0),
//     max = max(max, 0)), so that real 0, the value of zero padding, is
//     exactly representable (it quantizes to Z);
//   * the storage range is inclusive, qmin < qmax, and within int32;
//   * results are checked: a scale that is not finite and positive (a range
//     wider than the convention's float type, or so narrow that the division
//     underflows to 0) is a failure instead of a division by zero later.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_DIALECT_QNN_UTILS_QUANTPARAMS_H
#define QOPT_DIALECT_QNN_UTILS_QUANTPARAMS_H

#include "mlir/Support/LLVM.h"

#include <cstdint>
#include <string>

namespace mlir::qnn {

/// Whose arithmetic turns a range into (scale, zero point) and rounds values.
///
/// Gemmlowp: gemmlowp's ChooseQuantizationParams (doc/quantization_example.cc)
///   in the form TensorFlow Lite generalised it to any storage range
///   (ChooseQuantizationParams in tensorflow/lite/kernels/internal/
///   quantization_util.h), all in double:
///     scale = (max - min) / (qmax - qmin)
///     Z = round(qmin - min / scale) or round(qmax - max / scale), clamped to
///         [qmin, qmax]; round = std::round (ties away from zero).
///   In exact arithmetic both expressions are the zero point; the one used
///   comes from the pair whose terms are smaller in magnitude,
///   |qmin| + |min / scale| against |qmax| + |max / scale|, because its
///   rounding error is smaller; on equality the max pair is used (TFLite
///   compares with <). Near a .5 tie the two can round differently, so the
///   choice matters. gemmlowp's own example is the uint8 case of this, except
///   that it always uses the min pair and keeps min, max and the scale in
///   float32; qopt follows TFLite's double version.
///   Quantize (gemmlowp's Quantize): q = clamp(round(Z + r / scale)), here in
///   double (the example uses its float32 scale). The zero point is added
///   before rounding, so a tie is broken away from zero of Z + r / scale, not
///   of r / scale: with Z = 3, r / scale = -0.5 gives 3, not 2.
///   Symmetric (qopt's extension: gemmlowp has no symmetric mode):
///     scale = max(|min|, |max|) / ((qmax - qmin) / 2),
///     Z = ceil((qmin + qmax) / 2), the middle: 0 for [-128, 127] and
///         [-127, 127], 128 for [0, 255].
///
/// TensorFlow: the nudging of TensorFlow's fake-quant ops (Nudge in
///   tensorflow/core/kernels/fake_quant_ops_functor.h), in float32, for any
///   storage range, as TFLite's converter uses it
///   (GetAsymmetricQuantizationParams in tensorflow/lite/tools/optimize/
///   quantization_utils.cc):
///     scale = (max - min) / (float(qmax) - float(qmin))
///     Z = clamp(round(float(qmin) - min / scale)), round half away from zero.
///   min and max are rounded to float32 first; a bound beyond the float32
///   range fails. (Nudge itself does not widen the range: for min > 0 it keeps
///   the scale of [min, max] and clamps Z to qmin. Here the range is widened
///   first, as in TFLite's converter.)
///   Quantize (TFLite's reference AffineQuantize):
///     q = clamp(round(float(r) / float(scale)) + Z), round half away from
///     zero, the division in float32.
///   Symmetric (TFLite's per-channel int8 weights, GetSymmetricScalesFromMaxMin
///   in quantization_utils.cc): Z is the middle as for Gemmlowp (0 for signed
///   storage) and
///     scale = max(|min|, |max|) / float(qmax - Z),
///   i.e. max(|min|, |max|) / 127 for int8, so that -128 is never produced.
///   For unsigned storage (qopt's extension; TFLite has no symmetric uint8),
///   [0, 255] gives Z = 128 and scale = max(|min|, |max|) / 127.
///
/// PyTorch: torch.ao.quantization's MinMaxObserver and PerChannelMinMaxObserver
///   (_calculate_qparams, PyTorch 1.13), on float32 tensors:
///     affine:    scale = max((max - min) / float(qmax - qmin), eps)
///                Z = clamp(qmin - round(min / scale))
///     symmetric: scale = max(max(-min, max) / float((qmax - qmin) / 2), eps)
///                Z = 0 for signed storage (qint8), 128 for [0, 255] (quint8),
///                floor((qmin + qmax) / 2) for other unsigned ranges (the
///                observer's "customized" quint8 range);
///   eps = torch.finfo(torch.float32).eps = 2^-23 and round = torch.round,
///   ties to even; the divisions are float32. The storage range must contain
///   0, as the observer requires.
///   Quantize (ATen's quantize_val, as torch.quantize_per_tensor and
///   torch.quantize_per_channel compute it without FBGEMM):
///     q = clamp(Z + nearbyint(float(r) * (1.0f / float(scale)))),
///   a float32 multiplication by the float32 reciprocal, rounded half to even.
enum class RangeConvention { Gemmlowp, TensorFlow, PyTorch };

/// Inclusive storage range, e.g. {0, 255}, {-128, 127}, narrow {-127, 127}.
struct StorageRange {
  int64_t min;
  int64_t max;
};

/// r = scale * (q - zeroPoint). For TensorFlow and PyTorch the scale is a
/// float32 value, exactly as those libraries store it.
struct QuantParams {
  double scale;
  int64_t zeroPoint;
};

/// Chooses the scale and zero point of storage `storage` for the real range
/// [min, max] in `convention`'s arithmetic (see RangeConvention). Fails, never
/// asserts, on NaN or infinite bounds and on min > max.
///
/// The range is first widened to contain 0, so a constant x != 0 ([x, x])
/// becomes the ordinary range [min(x, 0), max(x, 0)] and only {0} ([0, 0]) is
/// degenerate. It still gets a valid positive scale:
///   * PyTorch: scale = eps (2^-23) from the observer's clamp, Z = qmin
///     (affine) or the symmetric zero point; nothing special is done. The
///     clamp also applies to tiny ranges, e.g. [1e-9, 2e-9].
///   * Gemmlowp and TensorFlow: gemmlowp's example and TF's Nudge divide 0 by
///     0, TFLite's ChooseQuantizationParams returns scale 0. qopt returns
///     scale 1.0 (any scale represents {0}; 1.0 is the neutral one) with
///     Z = qmin for affine ranges, which is what TFLite's converter and
///     PyTorch give there and what every convention gives for [0, eps], or
///     the symmetric zero point. Either way real 0 quantizes to Z exactly.
///     For TensorFlow the test is made on the float32 bounds, so [0, 1e-50]
///     is degenerate too.
/// Also fails when the storage range is not qmin < qmax within int32, for
/// PyTorch when it does not contain 0, and when the scale is not finite and
/// positive (see the file comment). On failure, `whyNot` (if given) receives
/// the reason, worded to follow "range cannot be quantized: ".
FailureOr<QuantParams> chooseQuantParams(double min, double max,
                                         StorageRange storage, bool symmetric,
                                         RangeConvention convention,
                                         std::string *whyNot = nullptr);

/// Quantizes one real value to storage, clamped to `storage`, rounding as the
/// convention's quantizer does.
///
/// Values whose quotient is out of range, including infinities, saturate to
/// qmin or qmax. (ATen converts the rounded float to int64 first, which on
/// x86 turns |r / scale| >= 2^63 and NaN into qmin; TFLite's int32 cast is
/// undefined there.) A NaN value, or a NaN quotient from an invalid scale,
/// gives Z clamped to `storage`, the storage value of real 0. ATen adds the
/// zero point in float32; qopt adds it exactly, which differs only when
/// |r / scale| >= 2^24, where the result saturates anyway for storage of up
/// to 24 bits.
int64_t quantizeValue(double value, QuantParams params, StorageRange storage,
                      RangeConvention convention);

/// int32 bias: round(value / scale) half away from zero in double (TFLite,
/// also for Gemmlowp); fails when the result does not fit in int32 or
/// value/scale is not finite.
///
/// The bias scale is S_input * S_weights[c], and its zero point is 0. Also
/// fails when the scale is not finite and positive: a negative scale would
/// silently negate the bias.
///
/// PyTorch (its qnnpack engine quantizes the float bias of a converted model
/// with quantize_per_tensor / quantize_per_channel to qint32):
/// nearbyint(float(value) * (1.0f / float(scale))), the float32 scale being
/// the float32 product of the two float32 scales.
FailureOr<int32_t> quantizeBias(double value, double scale,
                                RangeConvention convention =
                                    RangeConvention::TensorFlow);

} // namespace mlir::qnn

#endif // QOPT_DIALECT_QNN_UTILS_QUANTPARAMS_H
