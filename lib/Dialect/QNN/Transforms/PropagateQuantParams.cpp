//===- PropagateQuantParams.cpp - Float to quantized level ----------------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// Quantizes a float-level function in two phases. The analysis decides the
// quantized type of every activation and computes every integer constant
// (weights, bias), reporting all errors; only when it succeeds does the
// rewrite touch the IR, so a failing function is left as it was.
//
//===----------------------------------------------------------------------===//

#include "qopt/Dialect/QNN/Transforms/PropagateQuantParams.h"

#include "qopt/Dialect/QNN/IR/QNN.h"
#include "qopt/Dialect/QNN/Transforms/Numerics.h"
#include "qopt/Dialect/QNN/Transforms/Passes.h"
#include "qopt/Dialect/QNN/Utils/ConstantValues.h"
#include "qopt/Dialect/QNN/Utils/IntegerParams.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/MapVector.h"

#include <cmath>

namespace mlir::qnn {
#define GEN_PASS_DEF_PROPAGATEQUANTPARAMSPASS
#include "qopt/Dialect/QNN/Transforms/Passes.h.inc"
} // namespace mlir::qnn

using namespace mlir;
using namespace mlir::qnn;

FailureOr<QuantizationScheme> QuantizationScheme::get(StringRef name) {
  QuantizationScheme scheme;
  if (name == "gemmlowp")
    return scheme;
  if (name == "fbgemm") {
    scheme.convention = RangeConvention::PyTorch;
    scheme.signedWeights = scheme.perChannelWeights = true;
    scheme.symmetricWeights = true;
    return scheme;
  }
  if (name == "qnnpack") {
    scheme.convention = RangeConvention::PyTorch;
    scheme.signedWeights = scheme.symmetricWeights = true;
    return scheme;
  }
  if (name == "tflite") {
    scheme.convention = RangeConvention::TensorFlow;
    scheme.signedActivations = scheme.signedWeights = true;
    scheme.perChannelWeights = scheme.symmetricWeights = true;
    scheme.narrowRangeWeights = true;
    return scheme;
  }
  return failure();
}

namespace {

//===----------------------------------------------------------------------===//
// Types and constants
//===----------------------------------------------------------------------===//

/// Storage of a `bits`-wide quantized value: 8-bit storage (signed or not) up
/// to 8 bits, signed 16-bit storage above, as TensorFlow Lite's 16x8 scheme.
struct Storage {
  bool isSigned;
  unsigned width;
  StorageRange range;
};

Storage getStorage(bool isSigned, int64_t bits, bool narrowRange) {
  Storage storage;
  storage.isSigned = isSigned || bits > 8;
  storage.width = bits > 8 ? 16 : 8;
  storage.range = storage.isSigned
                      ? StorageRange{-(int64_t(1) << (bits - 1)),
                                     (int64_t(1) << (bits - 1)) - 1}
                      : StorageRange{0, (int64_t(1) << bits) - 1};
  if (narrowRange)
    ++storage.range.min;
  return storage;
}

unsigned getFlags(const Storage &storage) {
  return storage.isSigned ? quant::QuantizationFlags::Signed : 0;
}

quant::UniformQuantizedType getUniformType(const Storage &storage,
                                           Type expressed,
                                           QuantParams params) {
  MLIRContext *context = expressed.getContext();
  return quant::UniformQuantizedType::get(
      getFlags(storage), IntegerType::get(context, storage.width), expressed,
      params.scale, params.zeroPoint, storage.range.min, storage.range.max);
}

/// The storage range a marker's scale and zero point are chosen for: with
/// PyTorch's reduce_range, that of one bit less ([0, 127] for 8-bit unsigned
/// storage, [-64, 63] for signed), while the values are still stored (and
/// clamped) in the whole of `storage`.
StorageRange getObserverRange(const Storage &storage, RangeOp range) {
  if (!range.getReduceRange())
    return storage.range;
  return getStorage(storage.isSigned, range.getNumBits() - 1,
                    range.getNarrowRange())
      .range;
}

/// The real interval a per-tensor type represents: [S(qmin - Z), S(qmax - Z)].
std::pair<double, double> getRealRange(quant::UniformQuantizedType type) {
  return {type.getScale() * (type.getStorageTypeMin() - type.getZeroPoint()),
          type.getScale() * (type.getStorageTypeMax() - type.getZeroPoint())};
}

/// The values of a constant float tensor, if it is one and they are all
/// finite: failure says which of the two is wrong.
enum class ConstantError { NotAFloatConstant, NotFinite, Oversized };
FailureOr<SmallVector<double>> getFiniteValues(Value value,
                                               ConstantError &error) {
  if (isOversizedConstant(value)) {
    error = ConstantError::Oversized;
    return failure();
  }
  std::optional<SmallVector<double>> values = getFloatConstantValues(value);
  if (!values) {
    error = ConstantError::NotAFloatConstant;
    return failure();
  }
  if (!llvm::all_of(*values, [](double v) { return std::isfinite(v); })) {
    error = ConstantError::NotFinite;
    return failure();
  }
  return std::move(*values);
}

/// Why the `name` operand (the weights or the bias) `value` of `op` cannot
/// be quantized at compile time.
LogicalResult emitConstantError(Operation *op, StringRef name, Value value,
                                ConstantError error) {
  bool plural = name == "weights";
  switch (error) {
  case ConstantError::NotFinite:
    return op->emitOpError()
           << name << (plural ? " contain" : " contains") << " NaN or infinity";
  case ConstantError::NotAFloatConstant:
    return op->emitOpError() << name
                             << (plural ? " must be float constants"
                                        : " must be a float constant")
                             << " to be quantized at compile time";
  case ConstantError::Oversized:
    return op->emitOpError()
           << name << " of type " << value.getType() << " "
           << (plural ? "have" : "has") << " more than the "
           << kMaxConstantElements
           << " elements a constant quantized at compile time may have";
  }
  llvm_unreachable("unknown constant error");
}

/// The channel of each element of a tensor of `shape` along `axis`.
int64_t getChannel(ArrayRef<int64_t> shape, int64_t axis, int64_t index) {
  int64_t stride = 1;
  for (int64_t dim : shape.drop_front(axis + 1))
    stride *= dim;
  return (index / stride) % shape[axis];
}

/// Storage values as an attribute of the integer-level storage type (ui8 for
/// unsigned storage), so that the IR shows the stored numbers.
DenseElementsAttr getStorageAttr(ArrayRef<int64_t> shape,
                                 quant::QuantizedType quantized,
                                 ArrayRef<int64_t> values) {
  IntegerType element = getStorageIntegerType(quantized);
  auto type = RankedTensorType::get(shape, element);
  // The 8- and 32-bit storage of weights and biases written as raw bytes:
  // an APInt per element took a third of the pass on a network's weights.
  auto packed = [&](auto zero) {
    using Stored = decltype(zero);
    SmallVector<Stored> stored = llvm::map_to_vector(
        values, [](int64_t v) { return static_cast<Stored>(v); });
    return DenseElementsAttr::getFromRawBuffer(
        type, ArrayRef(reinterpret_cast<const char *>(stored.data()),
                       stored.size() * sizeof(Stored)));
  };
  if (element.getWidth() == 8)
    return packed(int8_t());
  if (element.getWidth() == 32)
    return packed(int32_t());
  SmallVector<APInt> bits;
  bits.reserve(values.size());
  for (int64_t value : values)
    bits.emplace_back(element.getWidth(), value,
                      /*isSigned=*/quantized.isSigned());
  return DenseElementsAttr::get(type, bits);
}

/// A quantized constant waiting to be materialized by the rewrite.
struct QuantizedConstant {
  DenseElementsAttr storage;
  RankedTensorType type;
};

//===----------------------------------------------------------------------===//
// The quantizer
//===----------------------------------------------------------------------===//

bool isContraction(Operation *op) {
  return isa<Conv2DOp, DepthwiseConv2DOp, FullyConnectedOp>(op);
}

/// Output-channel axis of a contraction's weights (OHWI, 1HWO, [O, K]).
unsigned getWeightsChannelAxis(Operation *op) {
  return isa<DepthwiseConv2DOp>(op) ? 3 : 0;
}

/// Ops whose result has the parameters of their input, since they only move
/// or select values (clamp, once fused into its producer's range).
bool keepsInputType(Operation *op) {
  return isa<MaxPool2DOp, ReshapeOp, TransposeOp, PadOp, ClampOp>(op);
}

/// Ops whose result type the quantizer may choose freely.
bool hasFreeResultType(Operation *op) {
  return isContraction(op) ||
         isa<AddOp, MulOp, AvgPool2DOp, ConcatOp>(op);
}

/// A tensor value as the analysis sees it: range markers are aliases of the
/// value they mark.
Value getMarkedValue(Value value) {
  while (auto range = value.getDefiningOp<RangeOp>())
    value = range.getInput();
  return value;
}

/// The users of `value` and of the range markers on it, markers excluded.
SmallVector<Operation *> getRealUsers(Value value) {
  SmallVector<Operation *> users;
  for (Operation *user : value.getUsers()) {
    if (auto range = dyn_cast<RangeOp>(user))
      llvm::append_range(users, getRealUsers(range.getResult()));
    else
      users.push_back(user);
  }
  return users;
}

class Quantizer {
public:
  Quantizer(func::FuncOp func, const QuantizationScheme &scheme)
      : func(func), scheme(scheme) {}

  LogicalResult analyze();
  void rewrite();

private:
  void collectRanges();
  FailureOr<quant::UniformQuantizedType> getMarkedType(Value value);
  LogicalResult requireType(Operation *op, StringRef name, Value operand);
  LogicalResult analyzeOp(Operation *op);
  LogicalResult analyzeContraction(Operation *op);
  void unifyConcatInputs(ConcatOp concat);

  void quantizeArguments();
  void retype(Value value, Type elementType);
  void rewriteContraction(Operation *op);
  Value requantize(OpBuilder &builder, Location loc, Value value,
                   Type elementType);

  quant::UniformQuantizedType typeOf(Value value) {
    return types.lookup(getMarkedValue(value));
  }

  func::FuncOp func;
  const QuantizationScheme &scheme;
  /// The marker that decides each marked value's parameters.
  DenseMap<Value, RangeOp> markers;
  /// The activation type of every value the quantized function computes.
  DenseMap<Value, quant::UniformQuantizedType> types;
  struct ContractionConstants {
    QuantizedConstant weights;
    std::optional<QuantizedConstant> bias;
  };
  llvm::MapVector<Operation *, ContractionConstants> contractions;
};

void Quantizer::collectRanges() {
  // In program order, so that the last marker on a value wins.
  func.walk([&](RangeOp range) {
    markers[getMarkedValue(range.getInput())] = range;
  });
  // A clamp fused into its producer: the producer quantizes to the range
  // after the clamp (TensorFlow Lite's fused ReLU / ReLU6), and the clamp
  // then keeps that type.
  func.walk([&](ClampOp clamp) {
    Value input = getMarkedValue(clamp.getInput());
    RangeOp after = markers.lookup(clamp.getResult());
    SmallVector<Operation *> users = getRealUsers(input);
    // A copy, not a reference into the map: inserting `input` may grow the
    // map and move the entry the reference would point to.
    if (after && isa<OpResult>(input) && users.size() == 1)
      markers[input] = after;
  });
}

FailureOr<quant::UniformQuantizedType> Quantizer::getMarkedType(Value value) {
  auto marker = markers.find(value);
  if (marker == markers.end())
    return quant::UniformQuantizedType();
  RangeOp range = marker->second;
  if (range.getAxis())
    return range.emitOpError("per-channel ranges ('axis') are only valid on "
                             "the constant weights of a contraction");
  Storage storage =
      getStorage(scheme.signedActivations, range.getNumBits(),
                 range.getNarrowRange());
  std::string whyNot;
  FailureOr<QuantParams> params = chooseQuantParams(
      range.getMin().convertToDouble(), range.getMax().convertToDouble(),
      getObserverRange(storage, range), range.getSymmetric(),
      scheme.convention, &whyNot);
  if (failed(params))
    return range.emitOpError("range cannot be quantized: ") << whyNot;
  return getUniformType(storage, range.getType().getElementType(), *params);
}

LogicalResult Quantizer::requireType(Operation *op, StringRef name,
                                     Value operand) {
  if (typeOf(operand))
    return success();
  InFlightDiagnostic diag = op->emitOpError()
                            << "'" << name
                            << "' has no quantization parameters: mark it "
                               "with a qnn.range holding the range observed "
                               "in training or calibration";
  if (auto arg = dyn_cast<BlockArgument>(getMarkedValue(operand)))
    diag.attachNote(func.getLoc())
        << "it is function argument #" << arg.getArgNumber();
  return diag;
}

LogicalResult Quantizer::analyzeContraction(Operation *op) {
  Value input = op->getOperand(0);
  Value weights = op->getOperand(1);
  Value bias = op->getNumOperands() > 2 ? op->getOperand(2) : Value();
  if (failed(requireType(op, "input", input)))
    return failure();

  // A weight observer's range, when the weights carry one.
  auto marker = weights.getDefiningOp<RangeOp>();
  weights = getMarkedValue(weights);
  ConstantError error;
  FailureOr<SmallVector<double>> weightValues = getFiniteValues(weights, error);
  if (failed(weightValues))
    return emitConstantError(op, "weights", weights, error);

  auto weightsType = cast<RankedTensorType>(weights.getType());
  ArrayRef<int64_t> shape = weightsType.getShape();
  unsigned axis = getWeightsChannelAxis(op);
  if (marker && marker.getAxis() && *marker.getAxis() != axis)
    return marker.emitOpError()
           << "per-channel weight ranges must be along the output-channel "
              "axis "
           << axis << " of the weights";
  bool perChannel =
      marker ? marker.getAxis().has_value() : scheme.perChannelWeights;
  int64_t channels = perChannel ? shape[axis] : 1;
  SmallVector<double> mins(channels, 0.0), maxs(channels, 0.0);
  auto channelOf = [&](int64_t index) {
    return perChannel ? getChannel(shape, axis, index) : 0;
  };
  if (marker && perChannel) {
    mins.assign(marker.getChannelMin()->begin(), marker.getChannelMin()->end());
    maxs.assign(marker.getChannelMax()->begin(), marker.getChannelMax()->end());
  } else if (marker) {
    mins[0] = marker.getMin().convertToDouble();
    maxs[0] = marker.getMax().convertToDouble();
  } else {
    // The ranges of the actual weights.
    for (auto [index, value] : llvm::enumerate(*weightValues)) {
      int64_t c = channelOf(index);
      mins[c] = std::min(mins[c], value);
      maxs[c] = std::max(maxs[c], value);
    }
  }
  Storage storage =
      marker ? getStorage(scheme.signedWeights, marker.getNumBits(),
                          marker.getNarrowRange())
             : getStorage(scheme.signedWeights, 8, scheme.narrowRangeWeights);
  StorageRange observed = marker ? getObserverRange(storage, marker)
                                 : storage.range;
  bool symmetric = marker ? marker.getSymmetric() : scheme.symmetricWeights;
  SmallVector<QuantParams> params;
  for (int64_t c = 0; c < channels; ++c) {
    std::string whyNot;
    FailureOr<QuantParams> channelParams = chooseQuantParams(
        mins[c], maxs[c], observed, symmetric, scheme.convention, &whyNot);
    if (failed(channelParams))
      return op->emitOpError() << "weights of channel " << c
                               << " cannot be quantized: " << whyNot;
    params.push_back(*channelParams);
  }
  SmallVector<int64_t> stored;
  stored.reserve(weightValues->size());
  for (auto [index, value] : llvm::enumerate(*weightValues))
    stored.push_back(quantizeValue(value, params[channelOf(index)],
                                   storage.range, scheme.convention));

  MLIRContext *ctx = op->getContext();
  Type expressed = weightsType.getElementType();
  Type weightsElement;
  if (perChannel) {
    SmallVector<double> scales;
    SmallVector<int64_t> zeroPoints;
    for (QuantParams p : params) {
      scales.push_back(p.scale);
      zeroPoints.push_back(p.zeroPoint);
    }
    weightsElement = quant::UniformQuantizedPerAxisType::get(
        getFlags(storage), IntegerType::get(ctx, storage.width), expressed,
        scales, zeroPoints, axis, storage.range.min, storage.range.max);
  } else {
    weightsElement = getUniformType(storage, expressed, params.front());
  }
  ContractionConstants constants;
  constants.weights = {
      getStorageAttr(shape, cast<quant::QuantizedType>(weightsElement),
                     stored),
      RankedTensorType::get(shape, weightsElement)};

  if (bias) {
    FailureOr<SmallVector<double>> biasValues = getFiniteValues(bias, error);
    if (failed(biasValues))
      return emitConstantError(op, "bias", bias, error);
    // The bias joins the int32 accumulator, whose scale is S_in * S_w[c].
    double inputScale = typeOf(input).getScale();
    SmallVector<int64_t> biasStored;
    SmallVector<double> biasScales;
    for (auto [c, value] : llvm::enumerate(*biasValues)) {
      double scale = inputScale * params[perChannel ? c : 0].scale;
      FailureOr<int32_t> q = quantizeBias(value, scale, scheme.convention);
      if (failed(q))
        return op->emitOpError()
               << "bias " << value << " of channel " << c
               << " does not fit in int32 at scale " << scale;
      biasStored.push_back(*q);
      biasScales.push_back(scale);
    }
    Storage biasStorage{true, 32, {INT32_MIN, INT32_MAX}};
    Type biasElement =
        perChannel
            ? Type(quant::UniformQuantizedPerAxisType::get(
                  quant::QuantizationFlags::Signed, IntegerType::get(ctx, 32),
                  expressed, biasScales,
                  SmallVector<int64_t>(biasScales.size(), 0), 0, INT32_MIN,
                  INT32_MAX))
            : Type(getUniformType(biasStorage, expressed,
                                  {biasScales.front(), 0}));
    ArrayRef<int64_t> biasShape =
        cast<RankedTensorType>(bias.getType()).getShape();
    constants.bias = QuantizedConstant{
        getStorageAttr(biasShape, cast<quant::QuantizedType>(biasElement),
                       biasStored),
        RankedTensorType::get(biasShape, biasElement)};
  }
  contractions.insert({op, constants});
  return success();
}

LogicalResult Quantizer::analyzeOp(Operation *op) {
  if (isa<BatchNormOp>(op))
    return op->emitOpError("must be folded before quantization (run "
                           "--qopt-fold-batch-norm first)");
  if (!hasFreeResultType(op) && !keepsInputType(op))
    return success();
  // Shared ops (data movement, pooling) on integer tensors are past the
  // float level already: the pass leaves integer-level IR alone.
  Value result = op->getResult(0);
  if (!isa<FloatType>(getElementTypeOrSelf(result.getType())))
    return success();

  FailureOr<quant::UniformQuantizedType> marked = getMarkedType(result);
  if (failed(marked))
    return failure();

  if (isContraction(op) && failed(analyzeContraction(op)))
    return failure();
  if (isa<AddOp, MulOp>(op) && (failed(requireType(op, "lhs", op->getOperand(0))) ||
                                failed(requireType(op, "rhs", op->getOperand(1)))))
    return failure();
  if ((keepsInputType(op) || isa<AvgPool2DOp>(op)) &&
      failed(requireType(op, "input", op->getOperand(0))))
    return failure();

  auto concat = dyn_cast<ConcatOp>(op);
  if (concat)
    for (auto [i, input] : llvm::enumerate(concat.getInputs()))
      if (failed(requireType(op, "input #" + std::to_string(i), input)))
        return failure();

  if (*marked) {
    types[result] = *marked;
    if (concat && scheme.unifyConcat)
      unifyConcatInputs(concat);
    return success();
  }
  if (isContraction(op) || isa<AddOp, MulOp>(op))
    return op->emitOpError("result has no quantization parameters: mark it "
                           "with a qnn.range holding the range observed in "
                           "training or calibration");
  if (!concat) {
    // Data movement, clamp and average pooling stay within the input's range.
    types[result] = typeOf(op->getOperand(0));
    return success();
  }

  // An unmarked concat represents the union of its inputs' ranges.
  double lo = 0.0, hi = 0.0;
  for (Value input : concat.getInputs()) {
    auto [inputLo, inputHi] = getRealRange(typeOf(input));
    lo = std::min(lo, inputLo);
    hi = std::max(hi, inputHi);
  }
  Storage storage = getStorage(scheme.signedActivations, 8, false);
  std::string whyNot;
  FailureOr<QuantParams> params = chooseQuantParams(
      lo, hi, storage.range, false, scheme.convention, &whyNot);
  if (failed(params))
    return op->emitOpError(
               "the union of the input ranges cannot be quantized: ")
           << whyNot;
  types[result] = getUniformType(
      storage, concat.getType().getElementType(), *params);
  if (scheme.unifyConcat)
    unifyConcatInputs(concat);
  return success();
}

void Quantizer::unifyConcatInputs(ConcatOp concat) {
  quant::UniformQuantizedType unified = types.lookup(concat.getResult());
  for (Value input : concat.getInputs()) {
    Value value = getMarkedValue(input);
    Operation *producer = value.getDefiningOp();
    if (producer && hasFreeResultType(producer) &&
        getRealUsers(value).size() == 1)
      types[value] = unified;
  }
}

LogicalResult Quantizer::analyze() {
  collectRanges();
  for (BlockArgument arg : func.getArguments()) {
    FailureOr<quant::UniformQuantizedType> marked = getMarkedType(arg);
    if (failed(marked))
      return failure();
    if (*marked)
      types[arg] = *marked;
  }
  bool ok = true;
  func.walk([&](Operation *op) { ok &= succeeded(analyzeOp(op)); });
  return success(ok);
}

//===----------------------------------------------------------------------===//
// Rewrite
//===----------------------------------------------------------------------===//

/// Sets the element type of `value` to `elementType`. Uses outside the qnn
/// dialect (the return) keep seeing floats through a qnn.dequantize.
void Quantizer::retype(Value value, Type elementType) {
  auto tensorType = cast<RankedTensorType>(value.getType());
  SmallVector<OpOperand *> floatUses;
  for (OpOperand &use : value.getUses())
    if (!isa<QNNDialect>(use.getOwner()->getDialect()))
      floatUses.push_back(&use);
  value.setType(tensorType.clone(elementType));
  if (floatUses.empty())
    return;
  OpBuilder builder(value.getContext());
  builder.setInsertionPointAfterValue(value);
  Value dequantized =
      DequantizeOp::create(builder, value.getLoc(), tensorType, value);
  for (OpOperand *use : floatUses)
    use->set(dequantized);
}

void Quantizer::quantizeArguments() {
  OpBuilder builder = OpBuilder::atBlockBegin(&func.getBody().front());
  for (BlockArgument arg : func.getArguments()) {
    quant::UniformQuantizedType type = types.lookup(arg);
    if (!type)
      continue;
    auto argType = cast<RankedTensorType>(arg.getType());
    Value quantized = QuantizeOp::create(builder, arg.getLoc(),
                                         argType.clone(type), arg);
    arg.replaceUsesWithIf(quantized, [&](OpOperand &use) {
      Operation *user = use.getOwner();
      return user != quantized.getDefiningOp() &&
             isa<QNNDialect>(user->getDialect());
    });
  }
}

Value materialize(OpBuilder &builder, Location loc,
                  const QuantizedConstant &constant) {
  return ConstOp::create(builder, loc, constant.type, constant.storage);
}

Value Quantizer::requantize(OpBuilder &builder, Location loc, Value value,
                            Type elementType) {
  auto type = cast<RankedTensorType>(value.getType());
  return RequantizeOp::create(builder, loc, type.clone(elementType), value);
}

void Quantizer::rewriteContraction(Operation *op) {
  const ContractionConstants &constants = contractions.lookup(op);
  OpBuilder builder(op);
  SmallVector<Operation *> replaced = {op->getOperand(1).getDefiningOp()};
  op->setOperand(1, materialize(builder, op->getLoc(), constants.weights));
  if (constants.bias) {
    replaced.push_back(op->getOperand(2).getDefiningOp());
    op->setOperand(2, materialize(builder, op->getLoc(), *constants.bias));
  }
  for (Operation *constant : replaced)
    if (constant->use_empty())
      constant->erase();
}

void Quantizer::rewrite() {
  // A requantize that honours a marker takes the marker's location: it is
  // the op the marker becomes, which is how tools relate the requantized
  // value to the marked float value (docs/numerics.md).
  DenseMap<Value, Location> markerLocs;
  for (auto [value, range] : markers)
    markerLocs.try_emplace(value, range.getLoc());
  // Markers are aliases; from here on each value is its own marked value.
  func.walk([](RangeOp range) {
    range.getResult().replaceAllUsesWith(range.getInput());
    range.erase();
  });
  quantizeArguments();

  SmallVector<Operation *> ops;
  func.walk([&](Operation *op) {
    if ((hasFreeResultType(op) || keepsInputType(op)) &&
        types.count(op->getResult(0)))
      ops.push_back(op);
  });
  // Producers come first, so every operand already has its final type.
  for (Operation *op : ops) {
    Value result = op->getResult(0);
    quant::UniformQuantizedType wanted = types.lookup(result);
    OpBuilder builder(op);
    if (isContraction(op))
      rewriteContraction(op);
    if (auto concat = dyn_cast<ConcatOp>(op))
      for (OpOperand &input : concat.getInputsMutable())
        if (getElementTypeOrSelf(input.get()) != wanted)
          input.set(requantize(
              builder,
              builder.getFusedLoc({input.get().getLoc(), concat.getLoc()}),
              input.get(), wanted));
    if (!keepsInputType(op)) {
      retype(result, wanted);
      continue;
    }
    // The op computes in its input's type; a marker asking for other
    // parameters is honoured by a requantize after it.
    Type inputType = getElementTypeOrSelf(op->getOperand(0));
    retype(result, inputType);
    if (wanted == inputType)
      continue;
    builder.setInsertionPointAfter(op);
    Value requantized = requantize(
        builder, markerLocs.lookup_or(result, result.getLoc()), result, wanted);
    result.replaceAllUsesExcept(requantized, requantized.getDefiningOp());
  }
}

//===----------------------------------------------------------------------===//
// Pass
//===----------------------------------------------------------------------===//

struct PropagateQuantParamsPass
    : qnn::impl::PropagateQuantParamsPassBase<PropagateQuantParamsPass> {
  using Base::Base;

  /// The scheme named by `scheme`, with the options that were given
  /// overriding it.
  FailureOr<QuantizationScheme> getScheme() {
    FailureOr<std::string> chosen =
        getSchemeName(getOperation(), scheme, numerics);
    if (failed(chosen))
      return failure();
    std::string name = *chosen;
    if (name.empty())
      name = defaultScheme;
    FailureOr<QuantizationScheme> result = QuantizationScheme::get(name);
    if (failed(result))
      return emitError(getOperation().getLoc())
             << "unknown quantization scheme '" << name
             << "'; expected gemmlowp, fbgemm, qnnpack or tflite";
    auto parseType = [&](const std::string &name,
                         bool &isSigned) -> LogicalResult {
      if (name.empty())
        return success();
      if (name != "int8" && name != "uint8")
        return emitError(getOperation().getLoc())
               << "unknown storage type '" << name
               << "'; expected int8 or uint8";
      isSigned = name == "int8";
      return success();
    };
    auto parseFlag = [&](StringRef option, const std::string &value,
                         bool &flag) -> LogicalResult {
      if (value.empty())
        return success();
      if (value != "true" && value != "false")
        return emitError(getOperation().getLoc())
               << "'" << option << "' must be true or false, got '" << value
               << "'";
      flag = value == "true";
      return success();
    };
    if (failed(parseType(activationType, result->signedActivations)) ||
        failed(parseType(weightType, result->signedWeights)) ||
        failed(parseFlag("per-channel", perChannel,
                         result->perChannelWeights)) ||
        failed(parseFlag("symmetric-weights", symmetricWeights,
                         result->symmetricWeights)) ||
        failed(parseFlag("narrow-range-weights", narrowRangeWeights,
                         result->narrowRangeWeights)))
      return failure();
    if (concatMode != "unify" && concatMode != "requantize")
      return emitError(getOperation().getLoc())
             << "unknown concat mode '" << concatMode
             << "'; expected unify or requantize";
    result->unifyConcat = concatMode == "unify";
    return result;
  }

  void runOnOperation() override {
    FailureOr<QuantizationScheme> quantizationScheme = getScheme();
    if (failed(quantizationScheme) ||
        failed(propagateQuantParams(getOperation(), *quantizationScheme)))
      signalPassFailure();
  }
};

} // namespace

LogicalResult mlir::qnn::propagateQuantParams(func::FuncOp func,
                                              const QuantizationScheme &scheme) {
  // A declaration has no ranges and no body to insert quantize ops into.
  if (func.isExternal())
    return success();
  Quantizer quantizer(func, scheme);
  if (failed(quantizer.analyze()))
    return failure();
  quantizer.rewrite();
  return success();
}
