//===- Common.h - Helpers shared by the qnn-to-linalg patterns --*- C++ -*-===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// Builders shared by the op families of the lowering (contractions,
// requantization, pooling, data movement), and the per-family populate
// functions that populateQNNToLinalgPatterns combines.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_LIB_CONVERSION_QNNTOLINALG_COMMON_H
#define QOPT_LIB_CONVERSION_QNNTOLINALG_COMMON_H

#include "qopt/Conversion/QNNToLinalg/Requantize.h"
#include "qopt/Dialect/QNN/IR/QNNEnums.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Transforms/DialectConversion.h"

#include <optional>

namespace mlir::qnn::to_linalg {

/// Whether the element type of `type` (a tensor or a scalar) is an unsigned
/// integer: its storage values extend with zeros, not with the sign.
bool isUnsignedElement(Type type);

/// An integer attribute of the signless type `type` holding `value`
/// truncated to its width (255 in i8 is the bit pattern of ui8 255).
TypedAttr getIntAttr(Type type, int64_t value);

/// Sign- or zero-extends the signless integer `value` to i32 (no-op for
/// i32).
Value extendToI32(OpBuilder &b, Location loc, Value value, bool isUnsigned);

/// A per-channel parameter of a linalg.generic body (a zero point, a
/// multiplier, a shift): one value for every channel is a scalar constant
/// built in the body, one per channel is a constant tensor read with the
/// channel's indexing map.
struct ChannelParam {
  /// Adds the parameter as an input of the generic when it is per channel.
  /// `values` are converted to `elementType`.
  ChannelParam(OpBuilder &b, Location loc, ArrayRef<int64_t> values,
               Type elementType, AffineMap channelMap,
               SmallVectorImpl<Value> &inputs,
               SmallVectorImpl<AffineMap> &maps);

  /// The parameter's value in the body whose block arguments are `args`.
  Value get(OpBuilder &b, Location loc, ValueRange args) const;

  /// Whether every channel has the value `v`.
  bool isUniform(int64_t v) const;

  /// The value of every channel, if they have one.
  std::optional<int64_t> getUniform() const;

private:
  SmallVector<int64_t> values;
  Type elementType;
  /// The index of the block argument, when per channel.
  std::optional<unsigned> argIndex;
};

/// An empty tensor of `shape` and `elementType` filled with `value`.
Value createFilledTensor(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                         Type elementType, int64_t value);

/// Pads `input` by `low` and `high` elements along each dimension with the
/// storage value `value`.
Value padTensor(OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> low,
                ArrayRef<int64_t> high, int64_t value);

/// Pads `input` (NHWC) by `padding` = [top, bottom, left, right] with the
/// storage value `value`; returns `input` when there is no padding.
Value padSpatial(OpBuilder &b, Location loc, Value input,
                 ArrayRef<int64_t> padding, int64_t value);

void populateContractionPatterns(const TypeConverter &typeConverter,
                                 RewritePatternSet &patterns);
void populateRescalePatterns(const TypeConverter &typeConverter,
                             RewritePatternSet &patterns);
void populatePoolingPatterns(const TypeConverter &typeConverter,
                             RewritePatternSet &patterns);
void populateDataMovementPatterns(const TypeConverter &typeConverter,
                                  RewritePatternSet &patterns);

} // namespace mlir::qnn::to_linalg

#endif // QOPT_LIB_CONVERSION_QNNTOLINALG_COMMON_H
