//===- QNNVerifiers.cpp - Checks shared by the QNN op verifiers -----------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//

#include "QNNVerifiers.h"

#include "qopt/Dialect/QNN/IR/QNN.h"
#include "qopt/Dialect/QNN/Utils/FixedPoint.h"
#include "qopt/Dialect/QNN/Utils/IntegerParams.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::detail;

namespace {

/// Renders a shape as "[1, 8, ?, 3]" for diagnostics.
std::string formatShape(ArrayRef<int64_t> shape) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << '[';
  llvm::interleaveComma(shape, os, [&](int64_t dim) {
    if (ShapedType::isDynamic(dim))
      os << '?';
    else
      os << dim;
  });
  os << ']';
  return text;
}

LogicalResult verifyScaleAndZeroPoint(Operation *op, StringRef name,
                                      double scale, int64_t zeroPoint,
                                      int64_t storageMin, int64_t storageMax) {
  // The quant dialect's parser rejects scale <= 0 and infinities but lets NaN
  // through; checking all three here also covers types built in C++.
  if (!(scale > 0.0) || !std::isfinite(scale))
    return op->emitOpError() << "'" << name << "' has invalid scale " << scale
                             << "; scales must be positive and finite";
  if (zeroPoint < storageMin || zeroPoint > storageMax)
    return op->emitOpError()
           << "'" << name << "' has zero point " << zeroPoint
           << " outside its storage range [" << storageMin << ", "
           << storageMax << "]";
  return success();
}

int64_t windowOutputSize(int64_t in, int64_t kernel, int64_t stride,
                         int64_t dilation, int64_t padLow, int64_t padHigh) {
  if (ShapedType::isDynamic(in))
    return ShapedType::kDynamic;
  int64_t span = dilation * (kernel - 1) + 1;
  return (in + padLow + padHigh - span) / stride + 1;
}

bool allPositive(ArrayRef<int64_t> values) {
  return llvm::all_of(values, [](int64_t v) { return v > 0; });
}

bool allNonNegative(ArrayRef<int64_t> values) {
  return llvm::all_of(values, [](int64_t v) { return v >= 0; });
}

} // namespace

//===----------------------------------------------------------------------===//
// Element types
//===----------------------------------------------------------------------===//

LogicalResult qnn::detail::verifyQuantizedTensor(Operation *op,
                                            const NamedTensor &tensor) {
  Type element = tensor.type.getElementType();
  if (auto uniform = dyn_cast<quant::UniformQuantizedType>(element))
    return verifyScaleAndZeroPoint(op, tensor.name, uniform.getScale(),
                                   uniform.getZeroPoint(),
                                   uniform.getStorageTypeMin(),
                                   uniform.getStorageTypeMax());
  auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(element);
  if (!perAxis)
    return op->emitOpError()
           << "'" << tensor.name << "' has unsupported quantized type "
           << element << "; expected !quant.uniform per tensor or per axis";

  int64_t axis = perAxis.getQuantizedDimension();
  int64_t rank = tensor.type.getRank();
  if (axis >= rank)
    return op->emitOpError() << "'" << tensor.name
                             << "' is quantized along dimension " << axis
                             << " but has rank " << rank;
  int64_t size = tensor.type.getDimSize(axis);
  int64_t numScales = perAxis.getScales().size();
  if (!ShapedType::isDynamic(size) && size != numScales)
    return op->emitOpError()
           << "'" << tensor.name << "' has " << numScales
           << " scales for dimension " << axis << " of size " << size;
  for (auto [scale, zeroPoint] :
       llvm::zip_equal(perAxis.getScales(), perAxis.getZeroPoints()))
    if (failed(verifyScaleAndZeroPoint(op, tensor.name, scale, zeroPoint,
                                       perAxis.getStorageTypeMin(),
                                       perAxis.getStorageTypeMax())))
      return failure();
  return success();
}

LogicalResult qnn::detail::verifySameLevel(Operation *op,
                                      ArrayRef<NamedTensor> tensors,
                                      bool &isQuantized) {
  const NamedTensor &first = tensors.front();
  isQuantized = isa<quant::QuantizedType>(first.type.getElementType());
  for (const NamedTensor &tensor : tensors) {
    Type element = tensor.type.getElementType();
    bool quantized = isa<quant::QuantizedType>(element);
    if (quantized != isQuantized)
      return op->emitOpError()
             << "mixes levels: '" << first.name << "' is "
             << (isQuantized ? "quantized" : "float") << " but '"
             << tensor.name << "' is " << (quantized ? "quantized" : "float");
    if (!quantized && element != first.type.getElementType())
      return op->emitOpError()
             << "expects float tensors of one element type, but '"
             << first.name << "' has " << first.type.getElementType()
             << " and '" << tensor.name << "' has " << element;
    if (quantized && failed(verifyQuantizedTensor(op, tensor)))
      return failure();
  }
  return success();
}

LogicalResult qnn::detail::verifyPerTensor(Operation *op,
                                      const NamedTensor &tensor) {
  if (isa<quant::UniformQuantizedPerAxisType>(tensor.type.getElementType()))
    return op->emitOpError()
           << "'" << tensor.name << "' must be quantized per tensor";
  return success();
}

LogicalResult qnn::detail::verifyWeightQuantization(Operation *op,
                                               const NamedTensor &weights,
                                               unsigned channelAxis) {
  auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(
      weights.type.getElementType());
  if (perAxis && perAxis.getQuantizedDimension() != int32_t(channelAxis))
    return op->emitOpError()
           << "'" << weights.name
           << "' must be quantized per tensor or per output channel "
              "(dimension "
           << channelAxis << "), not along dimension "
           << perAxis.getQuantizedDimension();
  return success();
}

double qnn::detail::getChannelScale(quant::QuantizedType type, int64_t c) {
  if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(type))
    return perAxis.getScales()[c];
  return cast<quant::UniformQuantizedType>(type).getScale();
}

LogicalResult qnn::detail::verifyQuantizedBias(Operation *op, RankedTensorType bias,
                                          RankedTensorType input,
                                          RankedTensorType weights) {
  auto biasType = cast<quant::QuantizedType>(bias.getElementType());
  if (biasType.getStorageTypeIntegralWidth() != 32 || !biasType.isSigned())
    return op->emitOpError() << "'bias' must have i32 storage, got "
                             << biasType.getStorageType();
  auto biasPerAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(biasType);
  bool zeroZeroPoints =
      biasPerAxis
          ? llvm::all_of(biasPerAxis.getZeroPoints(),
                         [](int64_t zp) { return zp == 0; })
          : cast<quant::UniformQuantizedType>(biasType).getZeroPoint() == 0;
  if (!zeroZeroPoints)
    return op->emitOpError() << "'bias' must have zero point 0";

  // The integer bias is added to the accumulator as if its scale were exactly
  // S_input * S_weights, so only the float32 rounding of that product is
  // tolerated (1e-6 relative). TensorFlow Lite's GetQuantizedConvolutionMultipler
  // is laxer (|difference| / S_output <= 0.02) and silently rescales the bias
  // by the mismatch.
  auto inputType = cast<quant::QuantizedType>(input.getElementType());
  auto weightsType = cast<quant::QuantizedType>(weights.getElementType());
  int64_t channels = bias.getDimSize(0);
  if (ShapedType::isDynamic(channels))
    return success();
  double inputScale = getChannelScale(inputType, 0);
  for (int64_t c = 0; c < channels; ++c) {
    bool perChannelWeights =
        isa<quant::UniformQuantizedPerAxisType>(weightsType);
    double expected =
        inputScale * getChannelScale(weightsType, perChannelWeights ? c : 0);
    double actual = getChannelScale(biasType, biasPerAxis ? c : 0);
    if (std::abs(actual - expected) > 1e-6 * std::min(actual, expected))
      return op->emitOpError()
             << "'bias' scale " << actual << " of channel " << c
             << " is not input scale * weight scale = " << expected;
  }
  return success();
}

LogicalResult qnn::detail::verifyStorageValue(Operation *op, StringRef name,
                                         int64_t value, Type intType) {
  auto [min, max] = getStorageRange(intType);
  if (value < min || value > max)
    return op->emitOpError() << "'" << name << "' (" << value
                             << ") is outside the range [" << min << ", "
                             << max << "] of " << intType;
  return success();
}

LogicalResult qnn::detail::verifyIntClamp(Operation *op, std::optional<int64_t> min,
                                     std::optional<int64_t> max, Type intType,
                                     StringRef minName, StringRef maxName) {
  if (min && failed(verifyStorageValue(op, minName, *min, intType)))
    return failure();
  if (max && failed(verifyStorageValue(op, maxName, *max, intType)))
    return failure();
  if (min && max && *min > *max)
    return op->emitOpError() << "'" << minName << "' (" << *min
                             << ") is greater than '" << maxName << "' ("
                             << *max << ")";
  return success();
}

LogicalResult qnn::detail::verifyMultiplier(Operation *op, StringRef multiplierName,
                                       int64_t multiplier, StringRef shiftName,
                                       int64_t shift) {
  if (multiplier < 0 || multiplier > std::numeric_limits<int32_t>::max())
    return op->emitOpError() << "'" << multiplierName << "' (" << multiplier
                             << ") is outside [0, 2147483647]";
  if (shift < kMinShift || shift > kMaxShift)
    return op->emitOpError() << "'" << shiftName << "' (" << shift
                             << ") is outside [" << kMinShift << ", "
                             << kMaxShift << "]";
  return success();
}

LogicalResult qnn::detail::verifyLeftShift(Operation *op, StringRef what,
                                           IntegerRange range,
                                           StringRef shiftName, int32_t shift) {
  std::optional<int64_t> overflow = findMultiplierInputOverflow(range, shift);
  if (!overflow)
    return success();
  return op->emitOpError() << "left shift by " << shift << " ('" << shiftName
                           << "') overflows int32: " << what << " reaches "
                           << *overflow << ", and " << *overflow << " * 2^"
                           << shift << " does not fit in int32";
}

//===----------------------------------------------------------------------===//
// Shapes
//===----------------------------------------------------------------------===//

LogicalResult mlir::OpTrait::qnn::verifyNoZeroSizedTensors(Operation *op) {
  auto check = [&](StringRef kind, unsigned index,
                   Type type) -> LogicalResult {
    auto tensor = dyn_cast<RankedTensorType>(type);
    if (!tensor || !llvm::is_contained(tensor.getShape(), 0))
      return success();
    return op->emitOpError()
           << kind << " #" << index << " has shape "
           << formatShape(tensor.getShape())
           << ": qnn ops take no tensor with a dimension of size 0";
  };
  for (auto [index, type] : llvm::enumerate(op->getOperandTypes()))
    if (failed(check("operand", index, type)))
      return failure();
  for (auto [index, type] : llvm::enumerate(op->getResultTypes()))
    if (failed(check("result", index, type)))
      return failure();
  return success();
}

LogicalResult qnn::detail::verifyRank(Operation *op, const NamedTensor &tensor,
                                 int64_t rank, StringRef layout) {
  if (tensor.type.getRank() != rank)
    return op->emitOpError()
           << "'" << tensor.name << "' must have rank " << rank << " ("
           << layout << "), got rank " << tensor.type.getRank();
  return success();
}

LogicalResult qnn::detail::verifyShape(Operation *op, StringRef name,
                                  RankedTensorType actual,
                                  ArrayRef<int64_t> expected) {
  ArrayRef<int64_t> shape = actual.getShape();
  bool compatible =
      shape.size() == expected.size() &&
      llvm::all_of(llvm::zip_equal(shape, expected), [](auto dims) {
        auto [a, e] = dims;
        return ShapedType::isDynamic(a) || ShapedType::isDynamic(e) || a == e;
      });
  if (!compatible)
    return op->emitOpError() << "'" << name << "' has shape "
                             << formatShape(shape) << " but "
                             << formatShape(expected) << " is expected";
  return success();
}

FailureOr<SmallVector<int64_t>>
qnn::detail::verifyWindow(Operation *op, RankedTensorType input,
                     const Window &window, int64_t channels) {
  bool pooling = window.dilations.empty();
  if (window.kernel.size() != 2 || !allPositive(window.kernel))
    return op->emitOpError("'kernel' must have 2 positive entries [KH, KW]");
  if (window.strides.size() != 2 || !allPositive(window.strides))
    return op->emitOpError("'strides' must have 2 positive entries");
  if (!pooling &&
      (window.dilations.size() != 2 || !allPositive(window.dilations)))
    return op->emitOpError("'dilations' must have 2 positive entries");
  if (window.padding.size() != 4 || !allNonNegative(window.padding))
    return op->emitOpError("'padding' must have 4 non-negative entries "
                           "[top, bottom, left, right]");

  SmallVector<int64_t> shape = {input.getDimSize(0)};
  for (int dim = 0; dim < 2; ++dim) {
    int64_t kernel = window.kernel[dim];
    int64_t dilation = pooling ? 1 : window.dilations[dim];
    int64_t padLow = window.padding[2 * dim];
    int64_t padHigh = window.padding[2 * dim + 1];
    StringRef dimName = dim == 0 ? "height" : "width";
    if (pooling && (padLow >= kernel || padHigh >= kernel))
      return op->emitOpError()
             << "padding along " << dimName << " (" << padLow << ", "
             << padHigh << ") must be smaller than the kernel (" << kernel
             << ") so that every window holds an input element";
    int64_t in = input.getDimSize(dim + 1);
    int64_t span = dilation * (kernel - 1) + 1;
    if (!ShapedType::isDynamic(in) && in + padLow + padHigh < span)
      return op->emitOpError()
             << "window of extent " << span << " does not fit the padded "
             << dimName << " " << in + padLow + padHigh;
    shape.push_back(windowOutputSize(in, kernel, window.strides[dim],
                                     dilation, padLow, padHigh));
  }
  shape.push_back(channels);
  return shape;
}

LogicalResult qnn::detail::verifyConvGeometry(
    Operation *op, RankedTensorType input, RankedTensorType filter,
    std::optional<RankedTensorType> bias, RankedTensorType result,
    ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations,
    ArrayRef<int64_t> padding, bool depthwise, int64_t groups) {
  if (failed(verifyRank(op, {"input", input}, 4, "NHWC")) ||
      failed(verifyRank(op, {"filter", filter}, 4,
                        depthwise ? "1HWO" : "OHWI")) ||
      failed(verifyRank(op, {"result", result}, 4, "NHWC")))
    return failure();

  int64_t inChannels = input.getDimSize(3);
  int64_t outChannels;
  if (depthwise) {
    if (filter.getDimSize(0) != 1)
      return op->emitOpError("'filter' of a depthwise convolution must have "
                             "shape [1, KH, KW, O]");
    outChannels = filter.getDimSize(3);
    if (!ShapedType::isDynamic(inChannels) &&
        !ShapedType::isDynamic(outChannels) && outChannels % inChannels != 0)
      return op->emitOpError()
             << "depthwise output channels (" << outChannels
             << ") are not a multiple of the input channels (" << inChannels
             << ")";
  } else {
    outChannels = filter.getDimSize(0);
    int64_t filterChannels = filter.getDimSize(3);
    if (groups < 1)
      return op->emitOpError() << "'groups' (" << groups
                               << ") must be positive";
    // Each group of O / G output channels reads C / G input channels.
    if (!ShapedType::isDynamic(inChannels) && inChannels % groups != 0)
      return op->emitOpError()
             << "input channels (" << inChannels
             << ") are not divisible by 'groups' (" << groups << ")";
    if (!ShapedType::isDynamic(outChannels) && outChannels % groups != 0)
      return op->emitOpError()
             << "output channels (" << outChannels
             << ") are not divisible by 'groups' (" << groups << ")";
    if (!ShapedType::isDynamic(inChannels) &&
        !ShapedType::isDynamic(filterChannels) &&
        inChannels != filterChannels * groups) {
      InFlightDiagnostic diag = op->emitOpError()
                                << "filter input channels (" << filterChannels
                                << ") do not match the input channels ("
                                << inChannels;
      if (groups > 1)
        diag << " in " << groups << " groups of " << inChannels / groups;
      return diag << ")";
    }
  }
  if (bias && failed(verifyShape(op, "bias", *bias, {outChannels})))
    return failure();

  Window window{filter.getShape().slice(1, 2), strides, dilations, padding};
  FailureOr<SmallVector<int64_t>> expected =
      verifyWindow(op, input, window, outChannels);
  if (failed(expected))
    return failure();
  return verifyShape(op, "result", result, *expected);
}

LogicalResult qnn::detail::verifyFullyConnectedGeometry(
    Operation *op, RankedTensorType input, RankedTensorType weights,
    std::optional<RankedTensorType> bias, RankedTensorType result) {
  if (failed(verifyRank(op, {"input", input}, 2, "[N, K]")) ||
      failed(verifyRank(op, {"weights", weights}, 2, "[O, K]")))
    return failure();
  int64_t depth = input.getDimSize(1);
  int64_t weightsDepth = weights.getDimSize(1);
  if (!ShapedType::isDynamic(depth) && !ShapedType::isDynamic(weightsDepth) &&
      depth != weightsDepth)
    return op->emitOpError() << "'weights' depth (" << weightsDepth
                             << ") does not match the input depth (" << depth
                             << ")";
  int64_t outChannels = weights.getDimSize(0);
  if (bias && failed(verifyShape(op, "bias", *bias, {outChannels})))
    return failure();
  return verifyShape(op, "result", result,
                     {input.getDimSize(0), outChannels});
}

LogicalResult qnn::detail::verifyPoolGeometry(Operation *op, RankedTensorType input,
                                         RankedTensorType result,
                                         ArrayRef<int64_t> kernel,
                                         ArrayRef<int64_t> strides,
                                         ArrayRef<int64_t> padding) {
  if (failed(verifyRank(op, {"input", input}, 4, "NHWC")))
    return failure();
  FailureOr<SmallVector<int64_t>> expected = verifyWindow(
      op, input, Window{kernel, strides, {}, padding}, input.getDimSize(3));
  if (failed(expected))
    return failure();
  return verifyShape(op, "result", result, *expected);
}

LogicalResult qnn::detail::verifyPadGeometry(Operation *op, RankedTensorType input,
                                        RankedTensorType result,
                                        ArrayRef<int64_t> padding) {
  int64_t rank = input.getRank();
  if (int64_t(padding.size()) != 2 * rank || !allNonNegative(padding))
    return op->emitOpError() << "'padding' must have " << 2 * rank
                             << " non-negative entries [low, high] per "
                                "dimension";
  SmallVector<int64_t> expected;
  for (int64_t dim = 0; dim < rank; ++dim) {
    int64_t size = input.getDimSize(dim);
    expected.push_back(ShapedType::isDynamic(size)
                           ? size
                           : size + padding[2 * dim] + padding[2 * dim + 1]);
  }
  return verifyShape(op, "result", result, expected);
}

LogicalResult qnn::detail::verifySameShape(Operation *op,
                                      ArrayRef<NamedTensor> tensors) {
  for (const NamedTensor &tensor : tensors.drop_front())
    if (failed(verifyShape(op, tensor.name, tensor.type,
                           tensors.front().type.getShape())))
      return failure();
  return success();
}

LogicalResult qnn::detail::verifySameElementType(Operation *op,
                                            ArrayRef<NamedTensor> tensors) {
  Type element = tensors.front().type.getElementType();
  for (const NamedTensor &tensor : tensors.drop_front())
    if (tensor.type.getElementType() != element)
      return op->emitOpError()
             << "'" << tensor.name << "' has element type "
             << tensor.type.getElementType() << " but '"
             << tensors.front().name << "' has " << element;
  if (!isa<quant::QuantizedType>(element))
    return success();
  for (const NamedTensor &tensor : tensors)
    if (failed(verifyQuantizedTensor(op, tensor)))
      return failure();
  return success();
}

LogicalResult qnn::detail::verifyZeroPointList(Operation *op, StringRef name,
                                          ArrayRef<int64_t> zeroPoints,
                                          int64_t channels, Type intType) {
  bool perTensor = zeroPoints.size() == 1;
  if (!perTensor && (ShapedType::isDynamic(channels) ||
                     int64_t(zeroPoints.size()) != channels))
    return op->emitOpError() << "'" << name << "' must have 1 or " << channels
                             << " entries, got " << zeroPoints.size();
  for (int64_t zeroPoint : zeroPoints)
    if (failed(verifyStorageValue(op, name, zeroPoint, intType)))
      return failure();
  return success();
}
