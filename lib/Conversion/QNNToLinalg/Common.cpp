//===- Common.cpp - Helpers shared by the qnn-to-linalg patterns ----------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//

#include "Common.h"

#include "qopt/Dialect/QNN/Utils/IntegerParams.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::to_linalg;

bool to_linalg::isUnsignedElement(Type type) {
  return getElementTypeOrSelf(type).isUnsignedInteger();
}

TypedAttr to_linalg::getIntAttr(Type type, int64_t value) {
  unsigned width = type.getIntOrFloatBitWidth();
  return IntegerAttr::get(type,
                          APInt(64, value, /*isSigned=*/true).trunc(width));
}

Value to_linalg::createIntConstant(OpBuilder &b, Location loc, Type type,
                                   int64_t value) {
  if (auto vectorType = dyn_cast<VectorType>(type))
    return arith::ConstantOp::create(
        b, loc,
        SplatElementsAttr::get(vectorType,
                               getIntAttr(vectorType.getElementType(), value)));
  return arith::ConstantOp::create(b, loc, getIntAttr(type, value));
}

Value to_linalg::extendToI32(OpBuilder &b, Location loc, Value value,
                             bool isUnsigned) {
  Type i32 = b.getI32Type();
  if (value.getType() == i32)
    return value;
  if (isUnsigned)
    return arith::ExtUIOp::create(b, loc, i32, value);
  return arith::ExtSIOp::create(b, loc, i32, value);
}

Value to_linalg::subtractZeroPoint(OpBuilder &b, Location loc, Value value,
                                   int64_t zeroPoint) {
  if (zeroPoint == 0)
    return value;
  return arith::SubIOp::create(
      b, loc, value, createIntConstant(b, loc, value.getType(), zeroPoint));
}

Value to_linalg::clampAndTruncate(OpBuilder &b, Location loc, Value value,
                                  int64_t min, int64_t max, Type resultType) {
  Type type = value.getType();
  Value clamped = arith::MaxSIOp::create(b, loc, value,
                                         createIntConstant(b, loc, type, min));
  clamped = arith::MinSIOp::create(b, loc, clamped,
                                   createIntConstant(b, loc, type, max));
  if (resultType == type)
    return clamped;
  return arith::TruncIOp::create(b, loc, resultType, clamped);
}

std::pair<int64_t, int64_t>
to_linalg::getClampRange(Type resultElementType,
                         std::optional<int64_t> clampMin,
                         std::optional<int64_t> clampMax) {
  auto [min, max] = getStorageRange(resultElementType);
  return {std::max(min, clampMin.value_or(min)),
          std::min(max, clampMax.value_or(max))};
}

Value to_linalg::applyScale(OpBuilder &b, Location loc, Value x,
                            Value multiplier, Value tosaShift,
                            RoundingMode mode) {
  if (mode == RoundingMode::Float32) {
    // FixedPoint's Float32: M = M0 * 2^-tosaShift in float32 (the power of
    // two built from its exponent bits, 127 - tosaShift with tosaShift in
    // [1, 62], a normal float), nearbyint(float(x) * M), saturated to int32
    // before the conversion (2^31 - 128 is the largest float32 below 2^31).
    Type type = x.getType();
    auto vectorType = dyn_cast<VectorType>(type);
    Type f32 = b.getF32Type();
    Type floatType = vectorType ? Type(vectorType.clone(f32)) : f32;
    Type i32Type = vectorType ? Type(vectorType.clone(b.getI32Type()))
                              : Type(b.getI32Type());
    auto floatConstant = [&](float v) -> Value {
      TypedAttr attr = b.getF32FloatAttr(v);
      if (vectorType)
        attr = SplatElementsAttr::get(cast<ShapedType>(floatType), attr);
      return arith::ConstantOp::create(b, loc, attr);
    };
    Value exponent = arith::SubIOp::create(
        b, loc, createIntConstant(b, loc, i32Type, 127),
        arith::ExtSIOp::create(b, loc, i32Type, tosaShift));
    Value power = arith::BitcastOp::create(
        b, loc, floatType,
        arith::ShLIOp::create(b, loc, exponent,
                              createIntConstant(b, loc, i32Type, 23)));
    Value m = arith::MulFOp::create(
        b, loc, arith::SIToFPOp::create(b, loc, floatType, multiplier), power);
    Value product = arith::MulFOp::create(
        b, loc, arith::SIToFPOp::create(b, loc, floatType, x), m);
    Value rounded = math::RoundEvenOp::create(b, loc, product);
    rounded = arith::MaximumFOp::create(b, loc, rounded,
                                        floatConstant(-0x1p31f));
    rounded = arith::MinimumFOp::create(b, loc, rounded,
                                        floatConstant(0x1p31f - 128.0f));
    return arith::FPToSIOp::create(b, loc, type, rounded);
  }
  tosa::RoundingMode tosaMode = mode == RoundingMode::DoubleRound
                                    ? tosa::RoundingMode::DOUBLE_ROUND
                                    : tosa::RoundingMode::SINGLE_ROUND;
  return tosa::ApplyScaleOp::create(
      b, loc, x.getType(), x, multiplier, tosaShift,
      tosa::RoundingModeAttr::get(b.getContext(), tosaMode));
}

ChannelParam::ChannelParam(OpBuilder &b, Location loc, ArrayRef<int64_t> values,
                           Type elementType, AffineMap channelMap,
                           SmallVectorImpl<Value> &inputs,
                           SmallVectorImpl<AffineMap> &maps)
    : values(values), elementType(elementType) {
  if (values.size() == 1)
    return;
  SmallVector<APInt> bits;
  for (int64_t v : values)
    bits.push_back(cast<IntegerAttr>(getIntAttr(elementType, v)).getValue());
  auto type = RankedTensorType::get({int64_t(values.size())}, elementType);
  argIndex = inputs.size();
  inputs.push_back(
      arith::ConstantOp::create(b, loc, DenseElementsAttr::get(type, bits)));
  maps.push_back(channelMap);
}

Value ChannelParam::get(OpBuilder &b, Location loc, ValueRange args) const {
  if (argIndex)
    return args[*argIndex];
  return createIntConstant(b, loc, elementType, values.front());
}

bool ChannelParam::isUniform(int64_t v) const {
  return llvm::all_of(values, [&](int64_t x) { return x == v; });
}

std::optional<int64_t> ChannelParam::getUniform() const {
  if (values.empty() || !isUniform(values.front()))
    return std::nullopt;
  return values.front();
}

Value to_linalg::createFilledTensor(OpBuilder &b, Location loc,
                                    ArrayRef<int64_t> shape, Type elementType,
                                    int64_t value) {
  Value empty = tensor::EmptyOp::create(b, loc, shape, elementType);
  Value fill = createIntConstant(b, loc, elementType, value);
  return linalg::FillOp::create(b, loc, fill, empty).getResult(0);
}

Value to_linalg::padTensor(OpBuilder &b, Location loc, Value input,
                           ArrayRef<int64_t> low, ArrayRef<int64_t> high,
                           int64_t value) {
  auto type = cast<RankedTensorType>(input.getType());
  SmallVector<int64_t> shape(type.getShape());
  for (auto [size, l, h] : llvm::zip_equal(shape, low, high))
    size += l + h;
  auto paddedType = RankedTensorType::get(shape, type.getElementType());
  Value padValue = createIntConstant(b, loc, type.getElementType(), value);
  MLIRContext *ctx = b.getContext();
  return tensor::PadOp::create(b, loc, paddedType, input,
                               getAsIndexOpFoldResult(ctx, low),
                               getAsIndexOpFoldResult(ctx, high), padValue);
}

Value to_linalg::padSpatial(OpBuilder &b, Location loc, Value input,
                            ArrayRef<int64_t> padding, int64_t value) {
  if (llvm::all_of(padding, [](int64_t p) { return p == 0; }))
    return input;
  return padTensor(b, loc, input, {0, padding[0], padding[2], 0},
                   {0, padding[1], padding[3], 0}, value);
}
