//===- CollectParams.cpp - Per-layer integer parameters -------------------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// Walks each function at the quantized level in program order and builds the
// tree both writers render. This file defines the schema; docs/params-export.md
// documents it field by field, with the formula each layer kind implies.
//
// Every integer comes from the helpers --qopt-rewrite-multipliers uses
// (IntegerParams.h), applied to the same types, so that a layer exported here
// and the integer-level op that pass creates for it hold the same numbers.
//
//===----------------------------------------------------------------------===//

#include "ParamsTree.h"

#include "qopt/Dialect/QNN/IR/QNN.h"
#include "qopt/Dialect/QNN/Transforms/Numerics.h"
#include "qopt/Dialect/QNN/Utils/IntegerParams.h"
#include "qopt/Dialect/QNN/Utils/QuantParams.h"
#include "qopt/Support/CIdentifier.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/TypeSwitch.h"

#include <algorithm>
#include <cstdlib>

using namespace mlir;
using namespace mlir::qnn;
using namespace qopt::params;

//===----------------------------------------------------------------------===//
// Types
//===----------------------------------------------------------------------===//

/// "i8", "u8", "i16", "i32" for storage (narrow ranges show in storage_min /
/// storage_max), the element type's own spelling ("f32") otherwise.
static std::string typeName(Type element) {
  if (auto quantized = dyn_cast<quant::QuantizedType>(element))
    return (quantized.isSigned() ? "i" : "u") +
           std::to_string(quantized.getStorageTypeIntegralWidth());
  std::string name;
  llvm::raw_string_ostream(name) << element;
  return name;
}

/// The <stdint.h> type that holds storage values of `type`.
static std::string storageCType(quant::QuantizedType type) {
  unsigned width = type.getStorageTypeIntegralWidth();
  unsigned bits = width <= 8 ? 8 : width <= 16 ? 16 : width <= 32 ? 32 : 64;
  return (type.isSigned() ? "int" : "uint") + std::to_string(bits) + "_t";
}

static quant::UniformQuantizedType getUniform(Value value) {
  return cast<quant::UniformQuantizedType>(
      cast<RankedTensorType>(value.getType()).getElementType());
}

/// The storage values of a qnn.const, sign- or zero-extended as its storage
/// type says (the attribute's integers are signless).
static SmallVector<int64_t> getStorageValues(ConstOp op) {
  auto type = cast<quant::QuantizedType>(op.getType().getElementType());
  SmallVector<int64_t> values;
  // The verifier has read the attribute as integers already.
  auto stored = op.getValue().tryGetValues<APInt>();
  for (const APInt &value : *stored)
    values.push_back(type.isSigned() ? value.getSExtValue()
                                     : int64_t(value.getZExtValue()));
  return values;
}

/// shape, type and, at the quantized level, the storage range, scale(s) and
/// zero point(s) of a tensor: the real meaning of its storage values.
static Node describeTensor(RankedTensorType type) {
  Node tensor = Node::object();
  tensor.add("shape", Node::integerTable(type.getShape(), "int32_t"));
  tensor.add("type", Node::string(typeName(type.getElementType())));
  auto quantized = dyn_cast<quant::QuantizedType>(type.getElementType());
  if (!quantized)
    return tensor;
  tensor.add("storage_min", Node::integer(quantized.getStorageTypeMin()));
  tensor.add("storage_max", Node::integer(quantized.getStorageTypeMax()));
  if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(quantized)) {
    tensor.add("axis", Node::integer(perAxis.getQuantizedDimension()));
    tensor.add("scales", Node::realTable(perAxis.getScales()));
    tensor.add("zero_points",
               Node::integerTable(perAxis.getZeroPoints(), "int32_t"));
    return tensor;
  }
  auto uniform = cast<quant::UniformQuantizedType>(quantized);
  tensor.add("scale", Node::real(uniform.getScale()));
  tensor.add("zero_point", Node::integer(uniform.getZeroPoint()));
  return tensor;
}

/// The name a location gives an op: `loc("conv1")`, also inside a fused
/// location (passes fuse the locations of the ops they merge).
static StringRef getLocationName(Location loc) {
  if (auto name = dyn_cast<NameLoc>(loc))
    return name.getName();
  if (auto fused = dyn_cast<FusedLoc>(loc))
    for (Location part : fused.getLocations())
      if (StringRef name = getLocationName(part); !name.empty())
        return name;
  return {};
}

//===----------------------------------------------------------------------===//
// Function collector
//===----------------------------------------------------------------------===//

namespace {

/// The weight layout of a contraction and the axis of its output channels.
struct ContractionShape {
  /// Weight layout as the docs name it: OHWI, 1HWO or OK.
  StringRef layout;
  /// The axis of the weights that indexes output channels.
  unsigned channelAxis;
};

class FunctionCollector {
public:
  FunctionCollector(func::FuncOp func, const Numerics &numerics,
                    StringRef numericsName)
      : func(func), arithmetic(numerics.arithmetic),
        numericsName(numericsName) {}

  FailureOr<Node> collect();

private:
  LogicalResult visit(Operation *op);

  /// Checks that `values` are statically shaped tensors and, for
  /// checkQuantized, at the quantized level; the error is located at `op`.
  LogicalResult checkQuantized(Operation *op, ValueRange values);
  LogicalResult checkStatic(Operation *op, ValueRange values);

  /// Starts a layer for `op`: name, kind, the records of `inputs` (each with
  /// the name of its producer) and of the result.
  Node beginLayer(Operation *op, ValueRange inputs);
  /// Records the layer and names its result (and that of a fused clamp).
  void endLayer(Operation *op, Node layer, ClampOp clamp = {});
  std::string getLayerName(Operation *op);
  Node describeInput(Value value);

  /// The clamp fused into `op` as its activation, as TensorFlow Lite fuses
  /// ReLU / ReLU6: the only user of the result. The canonicalization of
  /// qnn.int.clamp fuses the same clamps at the integer level.
  ClampOp getFusedClamp(Operation *op);
  /// clamp_min / clamp_max: the storage bounds of `clamp` on `type`, or the
  /// whole storage range without a clamp.
  static void addClampBounds(Node &layer, ClampOp clamp,
                             quant::UniformQuantizedType type);

  LogicalResult visitContraction(Operation *op, Value input, Value weights,
                                 Value bias, ContractionShape shape,
                                 Node &layer);
  LogicalResult visitAdd(AddOp op);
  LogicalResult visitMul(MulOp op);
  static LogicalResult addRescale(Operation *op, Node &layer,
                                  quant::UniformQuantizedType input,
                                  quant::UniformQuantizedType output);
  LogicalResult visitRequantize(RequantizeOp op);
  LogicalResult visitAvgPool(AvgPool2DOp op);
  LogicalResult visitConst(ConstOp op);

  /// Node for the function's "arithmetic": which formula each kind of
  /// layer's integers feed.
  Node describeArithmetic() const;

  func::FuncOp func;
  /// The arithmetic --qopt-rewrite-multipliers chooses for the function (its
  /// module's `qnn.numerics`): it decides some integers (float32-derived
  /// multipliers, qnnpack's addition) and the formulas they feed.
  IntegerArithmetic arithmetic;
  std::string numericsName;
  Node layers = Node::list();
  Node results = Node::list();
  /// The layer (or function argument) each value comes from.
  llvm::DenseMap<Value, std::string> producers;
  /// Names in use, lower-cased: the C header upper-cases macro names.
  llvm::StringSet<> usedNames;
  llvm::SmallPtrSet<Operation *, 8> fusedClamps;
};

} // namespace

/// A located error for an op that is not at the quantized level.
static InFlightDiagnostic emitLevelError(Operation *op, bool floatLevel) {
  if (floatLevel)
    return op->emitOpError(
        "is at the float level; the parameter export reads the quantized "
        "level (run --qopt-propagate-quant-params first)");
  return op->emitOpError(
      "is at the integer level; the parameter export reads the quantized "
      "level, where the scales are still known");
}

LogicalResult FunctionCollector::checkStatic(Operation *op, ValueRange values) {
  for (Value value : values)
    if (!cast<ShapedType>(value.getType()).hasStaticShape())
      return op->emitOpError("has a tensor of dynamic shape ")
             << value.getType() << "; hardware parameters need static shapes";
  return success();
}

LogicalResult FunctionCollector::checkQuantized(Operation *op,
                                                ValueRange values) {
  for (Value value : values) {
    Type element = cast<ShapedType>(value.getType()).getElementType();
    if (!isa<quant::QuantizedType>(element))
      return emitLevelError(op, isa<FloatType>(element));
  }
  return checkStatic(op, values);
}

std::string FunctionCollector::getLayerName(Operation *op) {
  size_t index = layers.children.size();
  std::string name;
  if (auto attr = op->getAttrOfType<StringAttr>("qopt.name"))
    name = attr.str();
  else
    name = getLocationName(op->getLoc()).str();
  if (name.empty())
    name = "layer" + std::to_string(index) + "_" +
           op->getName().stripDialect().str();
  // Layer names become parts of C identifiers.
  name = qopt::getCIdentifier(name);
  // Passes give the ops they create the location of an op they replace, so
  // location names can repeat; a repeated name gets the layer index.
  std::string unique = name;
  for (size_t suffix = index;
       !usedNames.insert(StringRef(unique).lower()).second; ++suffix)
    unique = name + "_" + std::to_string(suffix);
  return unique;
}

Node FunctionCollector::describeInput(Value value) {
  Node input = Node::object();
  input.add("from", Node::string(producers.lookup(value)));
  Node tensor = describeTensor(cast<RankedTensorType>(value.getType()));
  for (auto [key, child] : llvm::zip_equal(tensor.keys, tensor.children))
    input.add(key, std::move(child));
  return input;
}

Node FunctionCollector::beginLayer(Operation *op, ValueRange inputs) {
  Node layer = Node::object();
  layer.add("name", Node::string(getLayerName(op)));
  layer.add("kind", Node::string(op->getName().stripDialect().str()));
  Node inputList = Node::list();
  for (Value input : inputs)
    inputList.append(describeInput(input));
  layer.add("inputs", std::move(inputList));
  layer.add("output",
            describeTensor(cast<RankedTensorType>(op->getResult(0).getType())));
  return layer;
}

void FunctionCollector::endLayer(Operation *op, Node layer, ClampOp clamp) {
  std::string name = layer.find("name")->stringValue;
  producers[op->getResult(0)] = name;
  if (clamp) {
    producers[clamp.getResult()] = name;
    fusedClamps.insert(clamp);
  }
  layers.append(std::move(layer));
}

ClampOp FunctionCollector::getFusedClamp(Operation *op) {
  Value result = op->getResult(0);
  if (!result.hasOneUse())
    return {};
  return dyn_cast<ClampOp>(*result.user_begin());
}

void FunctionCollector::addClampBounds(Node &layer, ClampOp clamp,
                                       quant::UniformQuantizedType type) {
  int64_t min = type.getStorageTypeMin(), max = type.getStorageTypeMax();
  if (clamp)
    std::tie(min, max) = getClampBounds(clamp.getMin().convertToDouble(),
                                        clamp.getMax().convertToDouble(), type);
  layer.add("clamp_min", Node::integer(min));
  layer.add("clamp_max", Node::integer(max));
}

//===----------------------------------------------------------------------===//
// Contractions
//===----------------------------------------------------------------------===//

/// The integers of a contraction on raw storage values (docs/params-export.md,
/// "Contractions"):
///   acc[o] = folded_bias[o] + sum_k x_k * w[o, k] - weights_zp[o] * sum_k x_k
///   out    = clamp(MultiplyByQuantizedMultiplier(acc[o], multiplier[o],
///                                                shift[o]) + output_zp)
/// over the K = weights / O taps of one output (KH * KW * C for conv2d,
/// KH * KW for depthwise_conv2d, the depth for fully_connected), padded
/// positions holding input_zp.
LogicalResult FunctionCollector::visitContraction(Operation *op, Value input,
                                                  Value weights, Value bias,
                                                  ContractionShape shape,
                                                  Node &layer) {
  auto weightsConst = weights.getDefiningOp<ConstOp>();
  if (!weightsConst)
    return op->emitOpError("has weights that are not a qnn.const; the "
                           "parameter export needs constant weights");
  ConstOp biasConst;
  if (bias && !(biasConst = bias.getDefiningOp<ConstOp>()))
    return op->emitOpError("has a bias that is not a qnn.const; the parameter "
                           "export needs a constant bias");

  quant::UniformQuantizedType inputType = getUniform(input);
  quant::UniformQuantizedType outputType = getUniform(op->getResult(0));
  auto weightsTensor = cast<RankedTensorType>(weights.getType());
  auto weightsType = cast<quant::QuantizedType>(weightsTensor.getElementType());
  bool perChannel = isa<quant::UniformQuantizedPerAxisType>(weightsType);

  ArrayRef<int64_t> dims = weightsTensor.getShape();
  int64_t channels = dims[shape.channelAxis];
  int64_t depth = weightsTensor.getNumElements() / channels;
  int64_t channelStride = 1;
  for (int64_t dim : dims.drop_front(shape.channelAxis + 1))
    channelStride *= dim;

  SmallVector<int64_t> weightZps;
  for (int64_t o = 0; o < channels; ++o)
    weightZps.push_back(getZeroPoint(weightsType, perChannel ? o : 0));

  // Per output channel: sum_k w (the input zero point's term of the folded
  // bias) and the sums of the positive and the negative w - Zw (the
  // accumulator's range).
  SmallVector<int64_t> values = getStorageValues(weightsConst);
  SmallVector<int64_t> weightSums(channels, 0), positive(channels, 0),
      negative(channels, 0);
  for (auto [i, value] : llvm::enumerate(values)) {
    int64_t o = (int64_t(i) / channelStride) % channels;
    weightSums[o] += value;
    int64_t d = value - weightZps[o];
    (d > 0 ? positive[o] : negative[o]) += d;
  }

  SmallVector<int64_t> biasValues;
  if (biasConst)
    biasValues = getStorageValues(biasConst);
  int64_t inputZp = inputType.getZeroPoint();
  FailureOr<SmallVector<int32_t>> folded =
      foldZeroPointsIntoBias(weightSums, depth, inputZp, weightZps, biasValues);
  if (failed(folded))
    return op->emitOpError("has a bias that does not fit in int32 once the "
                           "zero-point terms are folded into it");

  FailureOr<SmallVector<QuantizedMultiplier>> multipliers =
      getContractionMultipliers(inputType, weightsType, outputType, channels,
                                /*float32=*/arithmetic.rounding ==
                                    RoundingMode::Float32);
  if (failed(multipliers))
    return op->emitOpError(
        "has an output multiplier S_input * S_weights / S_output that cannot "
        "be encoded as (M0, shift): it must be below 2^30");
  // One multiplier for per-tensor weights; the tables have one entry per
  // output channel whatever the weights' granularity, so that hardware
  // indexes them alike.
  SmallVector<int64_t> m0, shifts;
  for (int64_t o = 0; o < channels; ++o) {
    const QuantizedMultiplier &m = (*multipliers)[perChannel ? o : 0];
    m0.push_back(m.multiplier);
    shifts.push_back(m.shift);
  }

  if (biasValues.empty())
    biasValues.assign(channels, 0);
  IntegerRange inputRange{inputType.getStorageTypeMin() - inputZp,
                          inputType.getStorageTypeMax() - inputZp};
  int64_t accumulatorBound = 0;
  for (int64_t o = 0; o < channels; ++o)
    accumulatorBound = std::max(
        accumulatorBound,
        getAccumulatorRange(inputRange, positive[o], negative[o], biasValues[o])
            .getMagnitude());

  Node weightsNode = describeTensor(weightsTensor);
  weightsNode.add("layout", Node::string(shape.layout.str()));
  weightsNode.add("values",
                  Node::integerTable(values, storageCType(weightsType), dims));
  layer.add("weights", std::move(weightsNode));
  layer.add("channels", Node::integer(channels));
  layer.add("depth", Node::integer(depth));
  layer.add("input_zp", Node::integer(inputZp));
  layer.add("weights_zp", Node::integerTable(weightZps, "int32_t"));
  layer.add("output_zp", Node::integer(outputType.getZeroPoint()));
  layer.add("bias", Node::integerTable(biasValues, "int32_t"));
  layer.add(
      "folded_bias",
      Node::integerTable(SmallVector<int64_t>(folded->begin(), folded->end()),
                         "int32_t"));
  layer.add("multiplier", Node::integerTable(m0, "int32_t"));
  layer.add("shift", Node::integerTable(shifts, "int32_t"));
  ClampOp clamp = getFusedClamp(op);
  addClampBounds(layer, clamp, outputType);
  layer.add("accumulator_bound", Node::integer(accumulatorBound));
  endLayer(op, std::move(layer), clamp);
  return success();
}

//===----------------------------------------------------------------------===//
// Elementwise, requantization and pooling
//===----------------------------------------------------------------------===//

LogicalResult FunctionCollector::visitAdd(AddOp op) {
  quant::UniformQuantizedType lhs = getUniform(op.getLhs());
  quant::UniformQuantizedType rhs = getUniform(op.getRhs());
  quant::UniformQuantizedType output = getUniform(op.getResult());
  Node layer = beginLayer(op, {op.getLhs(), op.getRhs()});
  layer.add("lhs_zp", Node::integer(lhs.getZeroPoint()));
  layer.add("rhs_zp", Node::integer(rhs.getZeroPoint()));
  layer.add("output_zp", Node::integer(output.getZeroPoint()));
  if (arithmetic.qnnpackAdd) {
    FailureOr<WeightedAddParams> params = getCheckedQnnpackAddParams(op);
    if (failed(params))
      return failure();
    layer.add("lhs_multiplier", Node::integer(params->lhsMultiplier));
    layer.add("rhs_multiplier", Node::integer(params->rhsMultiplier));
    layer.add("right_shift", Node::integer(params->rightShift));
  } else {
    FailureOr<AddParams> params =
        getAddParams(lhs.getScale(), rhs.getScale(), output.getScale(),
                     output.getStorageTypeIntegralWidth());
    if (failed(params))
      return op.emitOpError("has scales whose multipliers cannot be encoded "
                            "as (M0, shift)");
    layer.add("left_shift", Node::integer(params->leftShift));
    layer.add("lhs_multiplier", Node::integer(params->lhs.multiplier));
    layer.add("lhs_shift", Node::integer(params->lhs.shift));
    layer.add("rhs_multiplier", Node::integer(params->rhs.multiplier));
    layer.add("rhs_shift", Node::integer(params->rhs.shift));
    layer.add("output_multiplier", Node::integer(params->output.multiplier));
    layer.add("output_shift", Node::integer(params->output.shift));
  }
  ClampOp clamp = getFusedClamp(op);
  addClampBounds(layer, clamp, output);
  endLayer(op, std::move(layer), clamp);
  return success();
}

LogicalResult FunctionCollector::visitMul(MulOp op) {
  quant::UniformQuantizedType lhs = getUniform(op.getLhs());
  quant::UniformQuantizedType rhs = getUniform(op.getRhs());
  quant::UniformQuantizedType output = getUniform(op.getResult());
  FailureOr<QuantizedMultiplier> m =
      getMulMultiplier(lhs.getScale(), rhs.getScale(), output.getScale());
  if (failed(m))
    return op.emitOpError("has a multiplier S_lhs * S_rhs / S_output that "
                          "cannot be encoded as (M0, shift)");
  Node layer = beginLayer(op, {op.getLhs(), op.getRhs()});
  layer.add("lhs_zp", Node::integer(lhs.getZeroPoint()));
  layer.add("rhs_zp", Node::integer(rhs.getZeroPoint()));
  layer.add("output_zp", Node::integer(output.getZeroPoint()));
  layer.add("multiplier", Node::integer(m->multiplier));
  layer.add("shift", Node::integer(m->shift));
  ClampOp clamp = getFusedClamp(op);
  addClampBounds(layer, clamp, output);
  endLayer(op, std::move(layer), clamp);
  return success();
}

/// The requantization S_input / S_output of a requantize or of an average
/// pool that changes parameters.
LogicalResult
FunctionCollector::addRescale(Operation *op, Node &layer,
                              quant::UniformQuantizedType input,
                              quant::UniformQuantizedType output) {
  FailureOr<QuantizedMultiplier> m =
      getRescaleMultiplier(input.getScale(), output.getScale());
  if (failed(m))
    return op->emitOpError("has a multiplier S_input / S_output that cannot "
                           "be encoded as (M0, shift)");
  layer.add("input_zp", Node::integer(input.getZeroPoint()));
  layer.add("output_zp", Node::integer(output.getZeroPoint()));
  layer.add("multiplier", Node::integer(m->multiplier));
  layer.add("shift", Node::integer(m->shift));
  return success();
}

LogicalResult FunctionCollector::visitRequantize(RequantizeOp op) {
  quant::UniformQuantizedType output = getUniform(op.getResult());
  Node layer = beginLayer(op, op.getInput());
  if (failed(addRescale(op, layer, getUniform(op.getInput()), output)))
    return failure();
  ClampOp clamp = getFusedClamp(op);
  addClampBounds(layer, clamp, output);
  endLayer(op, std::move(layer), clamp);
  return success();
}

/// TensorFlow Lite averages storage values, which keeps the input's
/// parameters; an output of other parameters is a requantization of the
/// average (qnn.int.avg_pool2d then qnn.int.rescale at the integer level), and
/// only then does the layer have a multiplier.
LogicalResult FunctionCollector::visitAvgPool(AvgPool2DOp op) {
  quant::UniformQuantizedType input = getUniform(op.getInput());
  quant::UniformQuantizedType output = getUniform(op.getResult());
  Node layer = beginLayer(op, op.getInput());
  layer.add("kernel", Node::integerTable(op.getKernel(), "int32_t"));
  layer.add("strides", Node::integerTable(op.getStrides(), "int32_t"));
  layer.add("padding", Node::integerTable(op.getPadding(), "int32_t"));
  if (input != output && failed(addRescale(op, layer, input, output)))
    return failure();
  ClampOp clamp = getFusedClamp(op);
  addClampBounds(layer, clamp, output);
  endLayer(op, std::move(layer), clamp);
  return success();
}

/// Constants are the weights and bias of the contractions that read them;
/// one read as an activation (an operand of add, concat, ...) is a layer of
/// its own holding its storage values.
LogicalResult FunctionCollector::visitConst(ConstOp op) {
  bool onlyWeights = llvm::all_of(op->getUses(), [](OpOperand &use) {
    return isa<Conv2DOp, DepthwiseConv2DOp, FullyConnectedOp>(use.getOwner()) &&
           use.getOperandNumber() > 0;
  });
  if (onlyWeights)
    return success();
  if (failed(checkStatic(op, op->getResults())))
    return failure();
  Node layer = beginLayer(op, ValueRange());
  auto type = op.getType();
  layer.add("values",
            Node::integerTable(
                getStorageValues(op),
                storageCType(cast<quant::QuantizedType>(type.getElementType())),
                type.getShape()));
  endLayer(op, std::move(layer));
  return success();
}

//===----------------------------------------------------------------------===//
// Dispatch
//===----------------------------------------------------------------------===//

LogicalResult FunctionCollector::visit(Operation *op) {
  // Every tensor of a layer but the float side of quantize / dequantize is
  // at the quantized level.
  auto checkLayer = [&](Operation *layerOp) {
    return checkQuantized(layerOp, layerOp->getOperands()).succeeded() &&
           checkQuantized(layerOp, layerOp->getResults()).succeeded();
  };
  return llvm::TypeSwitch<Operation *, LogicalResult>(op)
      .Case<ConstOp>([&](ConstOp constOp) { return visitConst(constOp); })
      .Case<QuantizeOp>([&](QuantizeOp quantize) {
        if (failed(checkStatic(op, quantize.getInput())) ||
            failed(checkQuantized(op, quantize.getResult())))
          return failure();
        endLayer(op, beginLayer(op, quantize.getInput()));
        return success();
      })
      .Case<DequantizeOp>([&](DequantizeOp dequantize) {
        if (failed(checkQuantized(op, dequantize.getInput())) ||
            failed(checkStatic(op, dequantize.getResult())))
          return failure();
        endLayer(op, beginLayer(op, dequantize.getInput()));
        return success();
      })
      .Case<Conv2DOp, DepthwiseConv2DOp>([&](auto conv) {
        if (!checkLayer(op))
          return failure();
        bool depthwise = isa<DepthwiseConv2DOp>(op);
        Node layer = beginLayer(op, conv.getInput());
        layer.add("strides", Node::integerTable(conv.getStrides(), "int32_t"));
        layer.add("dilations",
                  Node::integerTable(conv.getDilations(), "int32_t"));
        layer.add("padding", Node::integerTable(conv.getPadding(), "int32_t"));
        if constexpr (std::is_same_v<decltype(conv), Conv2DOp>)
          if (conv.getGroups() != 1)
            layer.add("groups", Node::integer(conv.getGroups()));
        if (depthwise) {
          int64_t channels = conv.getType().getShape().back();
          int64_t inputChannels = conv.getInput().getType().getShape().back();
          layer.add("depth_multiplier",
                    Node::integer(channels / inputChannels));
        }
        return visitContraction(op, conv.getInput(), conv.getFilter(),
                                conv.getBias(),
                                depthwise ? ContractionShape{"1HWO", 3}
                                          : ContractionShape{"OHWI", 0},
                                layer);
      })
      .Case<FullyConnectedOp>([&](FullyConnectedOp fc) {
        if (!checkLayer(op))
          return failure();
        Node layer = beginLayer(op, fc.getInput());
        return visitContraction(op, fc.getInput(), fc.getWeights(),
                                fc.getBias(), ContractionShape{"OK", 0}, layer);
      })
      .Case<AddOp>([&](AddOp add) {
        return success(checkLayer(op) && succeeded(visitAdd(add)));
      })
      .Case<MulOp>([&](MulOp mul) {
        return success(checkLayer(op) && succeeded(visitMul(mul)));
      })
      .Case<RequantizeOp>([&](RequantizeOp requantize) {
        return success(checkLayer(op) &&
                       succeeded(visitRequantize(requantize)));
      })
      .Case<AvgPool2DOp>([&](AvgPool2DOp pool) {
        return success(checkLayer(op) && succeeded(visitAvgPool(pool)));
      })
      .Case<MaxPool2DOp>([&](MaxPool2DOp pool) {
        if (!checkLayer(op))
          return failure();
        Node layer = beginLayer(op, pool.getInput());
        layer.add("kernel", Node::integerTable(pool.getKernel(), "int32_t"));
        layer.add("strides", Node::integerTable(pool.getStrides(), "int32_t"));
        layer.add("padding", Node::integerTable(pool.getPadding(), "int32_t"));
        endLayer(op, std::move(layer));
        return success();
      })
      .Case<ClampOp>([&](ClampOp clamp) {
        if (fusedClamps.contains(op))
          return success();
        if (!checkLayer(op))
          return failure();
        Node layer = beginLayer(op, clamp.getInput());
        addClampBounds(layer, clamp, getUniform(clamp.getInput()));
        endLayer(op, std::move(layer));
        return success();
      })
      .Case<PadOp>([&](PadOp pad) {
        if (!checkLayer(op))
          return failure();
        Node layer = beginLayer(op, pad.getInput());
        layer.add("padding", Node::integerTable(pad.getPadding(), "int32_t"));
        // The storage value --qopt-rewrite-multipliers gives qnn.int.pad:
        // TensorFlow Lite's rounding of the real pad value (real 0 is the
        // zero point exactly).
        quant::UniformQuantizedType type = getUniform(pad.getInput());
        layer.add("value",
                  Node::integer(quantizeValue(
                      pad.getValue().convertToDouble(),
                      {type.getScale(), type.getZeroPoint()},
                      {type.getStorageTypeMin(), type.getStorageTypeMax()},
                      RangeConvention::TensorFlow)));
        endLayer(op, std::move(layer));
        return success();
      })
      .Case<ConcatOp>([&](ConcatOp concat) {
        if (!checkLayer(op))
          return failure();
        Node layer = beginLayer(op, concat.getInputs());
        layer.add("axis", Node::integer(concat.getAxis()));
        endLayer(op, std::move(layer));
        return success();
      })
      .Case<ReshapeOp>([&](ReshapeOp reshape) {
        if (!checkLayer(op))
          return failure();
        endLayer(op, beginLayer(op, reshape.getInput()));
        return success();
      })
      .Case<TransposeOp>([&](TransposeOp transpose) {
        if (!checkLayer(op))
          return failure();
        Node layer = beginLayer(op, transpose.getInput());
        layer.add("permutation",
                  Node::integerTable(transpose.getPermutation(), "int32_t"));
        endLayer(op, std::move(layer));
        return success();
      })
      .Case<func::ReturnOp>([&](func::ReturnOp ret) -> LogicalResult {
        for (Value operand : ret.getOperands()) {
          if (!producers.contains(operand))
            return ret.emitOpError("returns a value that no layer produces");
          results.append(describeInput(operand));
        }
        return success();
      })
      // Float and integer constants are not layers: a qnn op reading one
      // reports the level it is at.
      .Case<arith::ConstantOp>([&](arith::ConstantOp) { return success(); })
      .Case<RangeOp, BatchNormOp>([&](Operation *) -> LogicalResult {
        return emitLevelError(op, /*floatLevel=*/true);
      })
      .Default([&](Operation *) -> LogicalResult {
        if (isa_and_nonnull<QNNDialect>(op->getDialect()))
          return emitLevelError(op, /*floatLevel=*/false);
        return op->emitOpError("is not supported by the parameter export");
      });
}

Node FunctionCollector::describeArithmetic() const {
  Node node = Node::object();
  node.add("requantization",
           Node::string(stringifyRoundingMode(arithmetic.rounding).str()));
  node.add("add", Node::string(arithmetic.qnnpackAdd ? "qnnpack" : "tflite"));
  node.add("avg_pool_ties",
           Node::string(stringifyTies(arithmetic.pooling).str()));
  node.add("quantize_ties",
           Node::string(stringifyTies(arithmetic.quantize).str()));
  return node;
}

FailureOr<Node> FunctionCollector::collect() {
  Node arguments = Node::list();
  for (BlockArgument argument : func.getArguments()) {
    std::string name = "arg" + std::to_string(argument.getArgNumber());
    auto type = dyn_cast<RankedTensorType>(argument.getType());
    if (!type || !type.hasStaticShape())
      return func.emitOpError("has argument #")
             << argument.getArgNumber() << " of type " << argument.getType()
             << "; the parameter export needs tensors of static shape";
    usedNames.insert(name);
    producers[argument] = name;
    Node record = Node::object();
    record.add("name", Node::string(name));
    Node tensor = describeTensor(type);
    for (auto [key, child] : llvm::zip_equal(tensor.keys, tensor.children))
      record.add(key, std::move(child));
    arguments.append(std::move(record));
  }
  for (Operation &op : func.getBody().getOps())
    if (failed(visit(&op)))
      return failure();

  // The function name starts the C identifiers of its layers.
  std::string name = qopt::getCIdentifier(func.getSymName());
  Node function = Node::object();
  function.add("name", Node::string(name));
  function.add("numerics", Node::string(numericsName));
  function.add("arithmetic", describeArithmetic());
  function.add("arguments", std::move(arguments));
  function.add("results", std::move(results));
  function.add("layers", std::move(layers));
  return function;
}

FailureOr<Node> qopt::params::collectParams(ModuleOp module,
                                            StringRef numericsOption) {
  Node functions = Node::list();
  llvm::StringSet<> functionNames;
  for (auto func : module.getOps<func::FuncOp>()) {
    if (func.isExternal())
      continue;
    if (func.getBody().getBlocks().size() != 1)
      return func.emitOpError("has more than one block; the parameter export "
                              "reads straight-line networks");
    FailureOr<Numerics> numerics = getNumerics(func, numericsOption);
    if (failed(numerics))
      return failure();
    // A module without `qnn.numerics` has TensorFlow Lite's arithmetic.
    std::string numericsName = numericsOption.empty()
                                   ? getModuleString(func, kNumericsAttrName)
                                   : numericsOption.str();
    FailureOr<Node> function =
        FunctionCollector(func, *numerics,
                          numericsName.empty() ? "tflite" : numericsName)
            .collect();
    if (failed(function))
      return failure();
    // The function name prefixes every C identifier of its layers.
    StringRef name = function->find("name")->stringValue;
    if (!functionNames.insert(StringRef(name).lower()).second)
      return func.emitOpError("is named '")
             << name << "' in C like another function";
    functions.append(std::move(*function));
  }
  Node root = Node::object();
  root.add("format", Node::string("qopt-params"));
  root.add("version", Node::integer(1));
  root.add("functions", std::move(functions));
  return root;
}
