//===- Patterns.h - QNN rewrite patterns ------------------------*- C++ -*-===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// The rewrite patterns behind the QNN passes, for embedders that run them in
// their own pattern sets.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_DIALECT_QNN_TRANSFORMS_PATTERNS_H
#define QOPT_DIALECT_QNN_TRANSFORMS_PATTERNS_H

#include "qopt/Dialect/QNN/IR/QNNEnums.h"

#include "mlir/Transforms/DialectConversion.h"

namespace mlir::qnn {

/// Folds qnn.batch_norm into a preceding contraction with constant weights,
/// or rewrites it as a 1x1 depthwise convolution (see --qopt-fold-batch-norm),
/// computing in double or, with `float32`, in float32 as PyTorch's
/// fuse_conv_bn_weights.
void populateFoldBatchNormPatterns(RewritePatternSet &patterns,
                                   bool float32 = false);

class AddOp;
struct WeightedAddParams;

/// The qnn.int.weighted_add parameters of quantized-level `op` under PyTorch
/// qnnpack's addition (IntegerArithmetic::qnnpackAdd), or a located error at
/// `op` where qnnpack refuses its scales or the weighted sum of its storage
/// ranges would leave int32. --qopt-rewrite-multipliers and the
/// interpreter's quantized level both check the op with it.
FailureOr<WeightedAddParams> getCheckedQnnpackAddParams(AddOp op);

/// Maps tensors of !quant.uniform element type to tensors of their storage
/// integers (i8, ui8 for unsigned storage, i16, i32); other types unchanged.
class QuantizedStorageTypeConverter : public TypeConverter {
public:
  QuantizedStorageTypeConverter();
};

/// The integer arithmetic the quantized level becomes: the rounding of every
/// requantization (`rounding`; `addRounding` for the multipliers of
/// qnn.int.add), how average pools break ties (AwayFromZero: TensorFlow
/// Lite's average of storage values; ToEven: PyTorch's average of q - Z
/// rounded half to even), how float inputs are quantized (AwayFromZero:
/// TensorFlow Lite's r / S; ToEven: PyTorch's r * (1 / S)) and how
/// additions are computed (TensorFlow Lite's qnn.int.add, or with
/// `qnnpackAdd` PyTorch qnnpack's qnn.int.weighted_add).
struct IntegerArithmetic {
  RoundingMode rounding = RoundingMode::DoubleRound;
  RoundingMode addRounding = RoundingMode::DoubleRound;
  Ties pooling = Ties::AwayFromZero;
  Ties quantize = Ties::AwayFromZero;
  bool qnnpackAdd = false;
};

/// Converts quantized-level ops into integer-level ops with (M0, shift)
/// multipliers in `arithmetic` (see --qopt-rewrite-multipliers).
void populateRewriteMultipliersPatterns(const TypeConverter &converter,
                                        RewritePatternSet &patterns,
                                        const IntegerArithmetic &arithmetic);

/// Folds the constant zero-point terms of integer contractions with constant
/// weights into their bias (see --qopt-expand-zero-points); with
/// `shiftSignedInput`, s8 x s8 contractions first move their input to u8
/// (x + 128), with `shiftUnsignedInput` u8 x s8 contractions move theirs to
/// s8 (x - 128). At most one of the two.
///
/// The patterns do not check that the accumulators fit in int32 (a pattern
/// reports nothing): run checkExpandZeroPoints on the same IR first, as the
/// pass does.
void populateExpandZeroPointsPatterns(RewritePatternSet &patterns,
                                      bool shiftSignedInput = false,
                                      bool shiftUnsignedInput = false);

/// What --qopt-expand-zero-points reports before it rewrites anything, for
/// every integer contraction under `root` (constant weights or not): an int32
/// accumulator that some input can take outside int32 (the exact range, from
/// the constant weights and bias or from the storage types), a following
/// qnn.int.rescale whose left shift can take it outside int32, and a bias
/// that does not fit in int32 once the zero-point terms (with the given input
/// shifts) are folded into it. Each is reported at its op as an error, or,
/// with `warnOnly`, as a warning (the folded bias is always an error).
/// Fails if an error was reported.
LogicalResult checkExpandZeroPoints(Operation *root, bool warnOnly = false,
                                    bool shiftSignedInput = false,
                                    bool shiftUnsignedInput = false);

/// The largest |int32 accumulator| the integer contraction `op` (conv2d,
/// depthwise_conv2d or fully_connected) can reach over every input of its
/// type: the largest magnitude of the exact ranges --qopt-expand-zero-points
/// checks against int32 (the same before and after its expansion). None for
/// other ops and when the shapes do not say.
std::optional<int64_t> getContractionAccumulatorBound(Operation *op);

} // namespace mlir::qnn

#endif // QOPT_DIALECT_QNN_TRANSFORMS_PATTERNS_H
