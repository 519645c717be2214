//===- QNNOps.cpp - QNN float and quantized level ops ---------------------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//

#include "qopt/Dialect/QNN/IR/QNN.h"

#include "QNNVerifiers.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::detail;

#define GET_OP_CLASSES
#include "qopt/Dialect/QNN/IR/QNNOps.cpp.inc"

//===----------------------------------------------------------------------===//
// Contractions
//===----------------------------------------------------------------------===//

/// Quantization rules of conv2d, depthwise_conv2d and fully_connected: one
/// level throughout; activations per tensor; weights per tensor or per output
/// channel; bias i32 with zero point 0 and scale S_input * S_weights.
static LogicalResult verifyContractionLevel(Operation *op, Value input,
                                            NamedTensor weights, Value bias,
                                            Value result,
                                            unsigned weightsChannelAxis) {
  SmallVector<NamedTensor> tensors = {named("input", input), weights,
                                      named("result", result)};
  if (bias)
    tensors.push_back(named("bias", bias));
  bool quantized;
  if (failed(verifySameLevel(op, tensors, quantized)))
    return failure();
  if (!quantized)
    return success();
  if (failed(verifyPerTensor(op, tensors[0])) ||
      failed(verifyPerTensor(op, tensors[2])) ||
      failed(verifyWeightQuantization(op, weights, weightsChannelAxis)))
    return failure();
  if (!bias)
    return success();
  return verifyQuantizedBias(op, tensors[3].type, tensors[0].type,
                             weights.type);
}

LogicalResult Conv2DOp::verify() {
  if (failed(verifyConvGeometry(*this, getInput().getType(),
                                getFilter().getType(), optionalType(getBias()),
                                getType(), getStrides(), getDilations(),
                                getPadding(), /*depthwise=*/false,
                                getGroups())))
    return failure();
  return verifyContractionLevel(*this, getInput(), named("filter", getFilter()),
                                getBias(), getResult(), /*channelAxis=*/0);
}

LogicalResult DepthwiseConv2DOp::verify() {
  if (failed(verifyConvGeometry(*this, getInput().getType(),
                                getFilter().getType(), optionalType(getBias()),
                                getType(), getStrides(), getDilations(),
                                getPadding(), /*depthwise=*/true)))
    return failure();
  return verifyContractionLevel(*this, getInput(), named("filter", getFilter()),
                                getBias(), getResult(), /*channelAxis=*/3);
}

LogicalResult FullyConnectedOp::verify() {
  if (failed(verifyFullyConnectedGeometry(*this, getInput().getType(),
                                          getWeights().getType(),
                                          optionalType(getBias()), getType())))
    return failure();
  return verifyContractionLevel(*this, getInput(),
                                named("weights", getWeights()), getBias(),
                                getResult(), /*channelAxis=*/0);
}

//===----------------------------------------------------------------------===//
// Float-only ops
//===----------------------------------------------------------------------===//

LogicalResult BatchNormOp::verify() {
  SmallVector<NamedTensor> tensors = {
      named("input", getInput()),       named("gamma", getGamma()),
      named("beta", getBeta()),         named("mean", getMean()),
      named("variance", getVariance()), named("result", getResult())};
  bool quantized;
  if (failed(verifySameLevel(*this, tensors, quantized)))
    return failure();
  RankedTensorType input = getInput().getType();
  if (input.getRank() < 1)
    return emitOpError("'input' must have a channel dimension");
  int64_t channels = input.getDimSize(input.getRank() - 1);
  for (const NamedTensor &vector : ArrayRef(tensors).slice(1, 4))
    if (failed(verifyShape(*this, vector.name, vector.type, {channels})))
      return failure();
  if (failed(verifyShape(*this, "result", getType(), input.getShape())))
    return failure();
  double epsilon = getEpsilon().convertToDouble();
  if (!(epsilon >= 0.0) || !std::isfinite(epsilon))
    return emitOpError() << "'epsilon' (" << epsilon
                         << ") must be non-negative and finite";
  return success();
}

LogicalResult RangeOp::verify() {
  double min = getMin().convertToDouble();
  double max = getMax().convertToDouble();
  if (!std::isfinite(min) || !std::isfinite(max))
    return emitOpError() << "range [" << min << ", " << max
                         << "] must be finite";
  if (min > max)
    return emitOpError() << "'min' (" << min << ") is greater than 'max' ("
                         << max << ")";
  if (getNumBits() < 2 || getNumBits() > 16)
    return emitOpError() << "'num_bits' (" << getNumBits()
                         << ") must be in [2, 16]";
  if (getReduceRange() && getNumBits() < 3)
    return emitOpError("'reduce_range' needs 'num_bits' of at least 3");
  std::optional<int64_t> axis = getAxis();
  std::optional<ArrayRef<double>> mins = getChannelMin();
  std::optional<ArrayRef<double>> maxs = getChannelMax();
  if (!axis && !mins && !maxs)
    return success();
  if (!axis || !mins || !maxs)
    return emitOpError("'axis', 'channel_min' and 'channel_max' go together");
  RankedTensorType type = getType();
  if (*axis < 0 || *axis >= type.getRank())
    return emitOpError() << "'axis' (" << *axis << ") is not a dimension of "
                         << type;
  if (mins->size() != maxs->size() ||
      (!type.isDynamicDim(*axis) &&
       static_cast<int64_t>(mins->size()) != type.getDimSize(*axis)))
    return emitOpError() << "'channel_min' and 'channel_max' need one entry "
                            "per index of dimension "
                         << *axis << " (" << type.getDimSize(*axis)
                         << "), got " << mins->size() << " and "
                         << maxs->size();
  for (auto [c, lo, hi] : llvm::enumerate(*mins, *maxs)) {
    if (!std::isfinite(lo) || !std::isfinite(hi) || lo > hi)
      return emitOpError() << "channel " << c << " has the range [" << lo
                           << ", " << hi << "]: not finite or min > max";
    if (lo < min || hi > max)
      return emitOpError() << "channel " << c << " range [" << lo << ", "
                           << hi << "] is outside [min, max]";
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

/// add and mul: same shapes, one level, per-tensor quantization (each operand
/// with its own parameters).
static LogicalResult verifyBinary(Operation *op, Value lhs, Value rhs,
                                  Value result) {
  SmallVector<NamedTensor> tensors = {named("lhs", lhs), named("rhs", rhs),
                                      named("result", result)};
  if (failed(verifySameShape(op, tensors)))
    return failure();
  bool quantized;
  if (failed(verifySameLevel(op, tensors, quantized)))
    return failure();
  if (quantized)
    for (const NamedTensor &tensor : tensors)
      if (failed(verifyPerTensor(op, tensor)))
        return failure();
  return success();
}

LogicalResult AddOp::verify() {
  return verifyBinary(*this, getLhs(), getRhs(), getResult());
}

LogicalResult MulOp::verify() {
  return verifyBinary(*this, getLhs(), getRhs(), getResult());
}

LogicalResult ClampOp::verify() {
  double min = getMin().convertToDouble();
  double max = getMax().convertToDouble();
  // Infinite bounds are meaningful (ReLU has no upper bound); NaN is not.
  if (std::isnan(min) || std::isnan(max))
    return emitOpError("bounds must not be NaN");
  if (min > max)
    return emitOpError() << "'min' (" << min << ") is greater than 'max' ("
                         << max << ")";
  NamedTensor input = named("input", getInput());
  if (!isa<quant::QuantizedType>(input.type.getElementType()))
    return success();
  if (failed(verifyQuantizedTensor(*this, input)))
    return failure();
  return verifyPerTensor(*this, input);
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

LogicalResult AvgPool2DOp::verify() {
  if (failed(verifyPoolGeometry(*this, getInput().getType(), getType(),
                                getKernel(), getStrides(), getPadding())))
    return failure();
  SmallVector<NamedTensor> tensors = {named("input", getInput()),
                                      named("result", getResult())};
  bool quantized;
  if (failed(verifySameLevel(*this, tensors, quantized)))
    return failure();
  if (quantized && (failed(verifyPerTensor(*this, tensors[0])) ||
                    failed(verifyPerTensor(*this, tensors[1]))))
    return failure();
  return success();
}

LogicalResult MaxPool2DOp::verify() {
  if (failed(verifyPoolGeometry(*this, getInput().getType(), getType(),
                                getKernel(), getStrides(), getPadding())))
    return failure();
  NamedTensor input = named("input", getInput());
  if (failed(verifySameElementType(*this, {input, named("result", getResult())})))
    return failure();
  if (isa<quant::QuantizedType>(input.type.getElementType()))
    return verifyPerTensor(*this, input);
  return success();
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

LogicalResult ConcatOp::verify() {
  if (getInputs().empty())
    return emitOpError("needs at least one input");
  RankedTensorType result = getType();
  int64_t rank = result.getRank();
  int64_t axis = getAxis();
  if (axis < 0 || axis >= rank)
    return emitOpError() << "'axis' (" << axis << ") is out of range for rank "
                         << rank;

  SmallVector<NamedTensor> tensors = {named("result", getResult())};
  SmallVector<std::string> names;
  for (unsigned i = 0, e = getInputs().size(); i < e; ++i)
    names.push_back("input #" + std::to_string(i));
  int64_t concatenated = 0;
  for (auto [name, input] : llvm::zip_equal(names, getInputs())) {
    NamedTensor tensor = named(name, input);
    tensors.push_back(tensor);
    // Every input matches the result except along the axis.
    SmallVector<int64_t> expected(result.getShape());
    if (tensor.type.getRank() == rank)
      expected[axis] = tensor.type.getDimSize(axis);
    if (failed(verifyShape(*this, tensor.name, tensor.type, expected)))
      return failure();
    if (ShapedType::isDynamic(concatenated) ||
        ShapedType::isDynamic(expected[axis]))
      concatenated = ShapedType::kDynamic;
    else
      concatenated += expected[axis];
  }
  SmallVector<int64_t> expected(result.getShape());
  expected[axis] = concatenated;
  if (failed(verifyShape(*this, "result", result, expected)))
    return failure();
  return verifySameElementType(*this, tensors);
}

LogicalResult ReshapeOp::verify() {
  RankedTensorType input = getInput().getType();
  RankedTensorType result = getType();
  if (failed(verifySameElementType(
          *this, {named("input", getInput()), named("result", getResult())})))
    return failure();
  if (input.hasStaticShape() && result.hasStaticShape() &&
      input.getNumElements() != result.getNumElements())
    return emitOpError() << "'result' has " << result.getNumElements()
                         << " elements but 'input' has "
                         << input.getNumElements();
  return success();
}

OpFoldResult ReshapeOp::fold(FoldAdaptor) {
  if (getInput().getType() == getType())
    return getInput();
  // reshape(reshape(x)) only depends on x.
  if (auto producer = getInput().getDefiningOp<ReshapeOp>()) {
    getInputMutable().assign(producer.getInput());
    return getResult();
  }
  return {};
}

/// The element type a transpose by `permutation` gives `element`: the same,
/// except that a per-axis quantized type's axis moves with its dimension.
static Type getTransposedElementType(Type element,
                                     ArrayRef<int64_t> permutation) {
  auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(element);
  if (!perAxis)
    return element;
  auto axis = llvm::find(permutation, perAxis.getQuantizedDimension());
  return quant::UniformQuantizedPerAxisType::get(
      perAxis.getFlags(), perAxis.getStorageType(), perAxis.getExpressedType(),
      perAxis.getScales(), perAxis.getZeroPoints(),
      std::distance(permutation.begin(), axis), perAxis.getStorageTypeMin(),
      perAxis.getStorageTypeMax());
}

LogicalResult TransposeOp::verify() {
  RankedTensorType input = getInput().getType();
  ArrayRef<int64_t> permutation = getPermutation();
  int64_t rank = input.getRank();
  if (int64_t(permutation.size()) != rank)
    return emitOpError() << "'permutation' has " << permutation.size()
                         << " entries but 'input' has rank " << rank;
  SmallVector<bool> seen(rank, false);
  for (int64_t dim : permutation) {
    if (dim < 0 || dim >= rank || seen[dim])
      return emitOpError() << "'permutation' [" << permutation
                           << "] is not a permutation of [0, " << rank << ")";
    seen[dim] = true;
  }
  SmallVector<int64_t> expected;
  for (int64_t dim : permutation)
    expected.push_back(input.getDimSize(dim));
  if (failed(verifyShape(*this, "result", getType(), expected)))
    return failure();
  NamedTensor source = named("input", getInput());
  if (isa<quant::QuantizedType>(source.type.getElementType()) &&
      failed(verifyQuantizedTensor(*this, source)))
    return failure();
  Type element =
      getTransposedElementType(source.type.getElementType(), permutation);
  if (getType().getElementType() != element)
    return emitOpError() << "'result' has element type "
                         << getType().getElementType() << " but transposing "
                         << source.type.getElementType() << " gives "
                         << element;
  return success();
}

OpFoldResult TransposeOp::fold(FoldAdaptor) {
  if (llvm::equal(getPermutation(),
                  llvm::seq<int64_t>(0, getPermutation().size())))
    return getInput();
  // transpose(transpose(x, inner), outer) is one transpose of x: dimension k
  // of the result is dimension outer[k] of the middle, inner[outer[k]] of x.
  auto producer = getInput().getDefiningOp<TransposeOp>();
  if (!producer)
    return {};
  SmallVector<int64_t> composed;
  for (int64_t dim : getPermutation())
    composed.push_back(producer.getPermutation()[dim]);
  if (llvm::equal(composed, llvm::seq<int64_t>(0, composed.size())))
    return producer.getInput();
  getInputMutable().assign(producer.getInput());
  setPermutation(composed);
  return getResult();
}

LogicalResult PadOp::verify() {
  NamedTensor input = named("input", getInput());
  if (failed(verifyPadGeometry(*this, input.type, getType(), getPadding())) ||
      failed(verifySameElementType(*this, {input, named("result", getResult())})))
    return failure();
  double value = getValue().convertToDouble();
  if (!std::isfinite(value))
    return emitOpError() << "pad value " << value << " must be finite";
  auto quantized =
      dyn_cast<quant::QuantizedType>(input.type.getElementType());
  if (!quantized)
    return success();
  if (failed(verifyPerTensor(*this, input)))
    return failure();
  auto uniform = cast<quant::UniformQuantizedType>(quantized);
  double stored = std::round(value / uniform.getScale()) + uniform.getZeroPoint();
  if (stored < uniform.getStorageTypeMin() ||
      stored > uniform.getStorageTypeMax())
    return emitOpError() << "pad value " << value << " quantizes to " << stored
                         << ", outside the storage range ["
                         << uniform.getStorageTypeMin() << ", "
                         << uniform.getStorageTypeMax() << "]";
  return success();
}

//===----------------------------------------------------------------------===//
// Level changes
//===----------------------------------------------------------------------===//

LogicalResult ConstOp::verify() {
  NamedTensor result = named("result", getResult());
  if (failed(verifyQuantizedTensor(*this, result)))
    return failure();
  auto quantized = cast<quant::QuantizedType>(result.type.getElementType());
  ElementsAttr value = getValue();
  auto valueType = dyn_cast<RankedTensorType>(value.getShapedType());
  auto valueElement =
      valueType ? dyn_cast<IntegerType>(valueType.getElementType()) : nullptr;
  if (!valueElement ||
      valueElement.getWidth() != quantized.getStorageTypeIntegralWidth())
    return emitOpError() << "'value' must hold "
                         << quantized.getStorageTypeIntegralWidth()
                         << "-bit integer storage values, got "
                         << value.getShapedType();
  if (failed(verifyShape(*this, "value", valueType, result.type.getShape())))
    return failure();
  auto values = value.tryGetValues<APInt>();
  if (!values)
    return emitOpError("'value' cannot be read as integers");
  int64_t min = quantized.getStorageTypeMin();
  int64_t max = quantized.getStorageTypeMax();
  for (const APInt &stored : *values) {
    int64_t v = quantized.isSigned() ? stored.getSExtValue()
                                     : int64_t(stored.getZExtValue());
    if (v < min || v > max)
      return emitOpError() << "storage value " << v
                           << " is outside the storage range [" << min << ", "
                           << max << "]";
  }
  return success();
}

OpFoldResult ConstOp::fold(FoldAdaptor) { return getValueAttr(); }

/// quantize and dequantize: same shape, and the float side has the expressed
/// type of the quantized side.
static LogicalResult verifyLevelChange(Operation *op, NamedTensor input,
                                       NamedTensor result) {
  bool quantizing = isa<FloatType>(input.type.getElementType());
  const NamedTensor &floatSide = quantizing ? input : result;
  const NamedTensor &quantizedSide = quantizing ? result : input;
  if (failed(verifySameShape(op, {input, result})) ||
      failed(verifyQuantizedTensor(op, quantizedSide)))
    return failure();
  Type expressed =
      cast<quant::QuantizedType>(quantizedSide.type.getElementType())
          .getExpressedType();
  if (floatSide.type.getElementType() != expressed)
    return op->emitOpError()
           << "'" << floatSide.name << "' has element type "
           << floatSide.type.getElementType() << " but '" << quantizedSide.name
           << "' expresses " << expressed;
  return success();
}

LogicalResult QuantizeOp::verify() {
  return verifyLevelChange(*this, named("input", getInput()),
                           named("result", getResult()));
}

LogicalResult DequantizeOp::verify() {
  return verifyLevelChange(*this, named("input", getInput()),
                           named("result", getResult()));
}

LogicalResult RequantizeOp::verify() {
  SmallVector<NamedTensor> tensors = {named("input", getInput()),
                                      named("result", getResult())};
  if (failed(verifySameShape(*this, tensors)))
    return failure();
  for (const NamedTensor &tensor : tensors)
    if (failed(verifyQuantizedTensor(*this, tensor)) ||
        failed(verifyPerTensor(*this, tensor)))
      return failure();
  return success();
}
