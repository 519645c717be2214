//===- QNNVerifiers.h - Checks shared by the QNN op verifiers ---*- C++ -*-===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// Every op verifier is assembled from these checks so that one invalid
// property gets one message, whatever op carries it.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_LIB_DIALECT_QNN_IR_QNNVERIFIERS_H
#define QOPT_LIB_DIALECT_QNN_IR_QNNVERIFIERS_H

#include "qopt/Dialect/QNN/Utils/IntegerParams.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Operation.h"

#include <optional>

namespace mlir::qnn::detail {

/// A named tensor of an op, so that messages say which one is wrong.
struct NamedTensor {
  StringRef name;
  RankedTensorType type;
};

inline NamedTensor named(StringRef name, Value value) {
  return {name, cast<RankedTensorType>(value.getType())};
}

//===----------------------------------------------------------------------===//
// Element types
//===----------------------------------------------------------------------===//

/// Checks what `!quant.uniform` does not check itself: finite positive
/// scales, zero points inside the storage range, and for per-axis types a
/// quantized dimension that exists and has one scale per index. Also rejects
/// quantized types other than uniform per tensor / per axis.
LogicalResult verifyQuantizedTensor(Operation *op, const NamedTensor &tensor);

/// For compute ops usable at the float and the quantized level: all tensors
/// are float of one type, or all are (valid) quantized. Returns true in
/// `isQuantized` for the latter.
LogicalResult verifySameLevel(Operation *op, ArrayRef<NamedTensor> tensors,
                              bool &isQuantized);

/// At the quantized level, `tensor` must be quantized per tensor.
LogicalResult verifyPerTensor(Operation *op, const NamedTensor &tensor);

/// At the quantized level, the weights of a contraction are quantized per
/// tensor or per channel along `channelAxis`.
LogicalResult verifyWeightQuantization(Operation *op, const NamedTensor &weights,
                                       unsigned channelAxis);

/// At the quantized level, the bias is `i32` storage with zero point 0 and
/// scale `S_input * S_weights[c]` for every output channel `c`.
LogicalResult verifyQuantizedBias(Operation *op, RankedTensorType bias,
                                  RankedTensorType input,
                                  RankedTensorType weights);

/// Scale of channel `c` of a uniform quantized type, per tensor or per axis.
double getChannelScale(quant::QuantizedType type, int64_t c);

/// `value`, an attribute named `name`, is inside the range of `intType`.
LogicalResult verifyStorageValue(Operation *op, StringRef name, int64_t value,
                                 Type intType);

/// Optional clamp bounds inside the range of `intType` and ordered.
LogicalResult verifyIntClamp(Operation *op, std::optional<int64_t> min,
                             std::optional<int64_t> max, Type intType,
                             StringRef minName = "clamp_min",
                             StringRef maxName = "clamp_max");

/// A fixed-point multiplier: M0 in [0, 2^31 - 1] and shift in [-31, 30].
LogicalResult verifyMultiplier(Operation *op, StringRef multiplierName,
                               int64_t multiplier, StringRef shiftName,
                               int64_t shift);

/// MultiplyByQuantizedMultiplier's x * 2^shift stays in int32 for every x in
/// `range`, the values `what` (for the message) takes.
LogicalResult verifyLeftShift(Operation *op, StringRef what, IntegerRange range,
                              StringRef shiftName, int32_t shift);

//===----------------------------------------------------------------------===//
// Shapes
//===----------------------------------------------------------------------===//

LogicalResult verifyRank(Operation *op, const NamedTensor &tensor,
                         int64_t rank, StringRef layout);

/// `actual` equals `expected`, where a dynamic size on either side matches.
LogicalResult verifyShape(Operation *op, StringRef name,
                          RankedTensorType actual, ArrayRef<int64_t> expected);

/// Strides, dilations, padding and (for pooling) kernel attributes of a 2-D
/// window op, and the window's fit into the padded input.
struct Window {
  ArrayRef<int64_t> kernel; // [KH, KW]
  ArrayRef<int64_t> strides;
  ArrayRef<int64_t> dilations; // empty for pooling
  ArrayRef<int64_t> padding;   // [top, bottom, left, right]
};

/// Verifies the window attributes and returns the NHWC result shape for an
/// NHWC `input` and `channels` output channels. Pooling (no dilations)
/// additionally requires padding smaller than the kernel, so that every
/// window holds an input element.
FailureOr<SmallVector<int64_t>> verifyWindow(Operation *op,
                                             RankedTensorType input,
                                             const Window &window,
                                             int64_t channels);

/// Geometry of conv2d / depthwise_conv2d at any level: NHWC input, OHWI (or
/// 1HWO for depthwise) filter, bias of shape [O], result shape. A conv2d of
/// `groups` groups has a filter of C / groups input channels, and C and O
/// divisible by `groups`.
LogicalResult verifyConvGeometry(Operation *op, RankedTensorType input,
                                 RankedTensorType filter,
                                 std::optional<RankedTensorType> bias,
                                 RankedTensorType result,
                                 ArrayRef<int64_t> strides,
                                 ArrayRef<int64_t> dilations,
                                 ArrayRef<int64_t> padding, bool depthwise,
                                 int64_t groups = 1);

/// Geometry of fully_connected at any level: [N, K] x [O, K] -> [N, O].
LogicalResult verifyFullyConnectedGeometry(Operation *op,
                                           RankedTensorType input,
                                           RankedTensorType weights,
                                           std::optional<RankedTensorType> bias,
                                           RankedTensorType result);

/// Geometry of 2-D pooling at any level.
LogicalResult verifyPoolGeometry(Operation *op, RankedTensorType input,
                                 RankedTensorType result,
                                 ArrayRef<int64_t> kernel,
                                 ArrayRef<int64_t> strides,
                                 ArrayRef<int64_t> padding);

/// Geometry of pad at any level: `padding` is [low_0, high_0, ...].
LogicalResult verifyPadGeometry(Operation *op, RankedTensorType input,
                                RankedTensorType result,
                                ArrayRef<int64_t> padding);

LogicalResult verifySameShape(Operation *op, ArrayRef<NamedTensor> tensors);

/// For ops of any level that never change quantization parameters: all
/// tensors have one element type, which is a valid quantized type if it is
/// one at all.
LogicalResult verifySameElementType(Operation *op,
                                    ArrayRef<NamedTensor> tensors);

/// A per-channel list of zero points (one entry, or one per channel), each in
/// the range of `intType`.
LogicalResult verifyZeroPointList(Operation *op, StringRef name,
                                  ArrayRef<int64_t> zeroPoints,
                                  int64_t channels, Type intType);

inline std::optional<RankedTensorType> optionalType(Value value) {
  if (!value)
    return std::nullopt;
  return cast<RankedTensorType>(value.getType());
}

} // namespace mlir::qnn::detail

#endif // QOPT_LIB_DIALECT_QNN_IR_QNNVERIFIERS_H
