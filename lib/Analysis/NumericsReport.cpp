//===- NumericsReport.cpp - Per-layer statistics of a quantized network ---===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// The float function is run as the reference and its integer form (the
// integer-level pipeline of the tools, for the generic target) as the
// program measured. A layer is an integer-level op with an integer result
// that stands for a quantized-level value (its scale and zero point) and a
// float value (its reference); the ops the passes created for it (the
// padding, the int32 contraction before a requantization) belong to it when
// they feed only it and their locations are within its location.
//
//===----------------------------------------------------------------------===//

#include "qopt/Analysis/Numerics.h"

#include "qopt/Dialect/QNN/IR/QNN.h"
#include "qopt/Dialect/QNN/Transforms/Numerics.h"
#include "qopt/Dialect/QNN/Transforms/Patterns.h"
#include "qopt/Dialect/QNN/Utils/IntegerParams.h"
#include "qopt/Dialect/QNN/Utils/QuantParams.h"
#include "qopt/Pipelines/Pipelines.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassInstrumentation.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace mlir::qnn;
using namespace qopt;
using namespace qopt::numerics;
using interpreter::Environment;
using interpreter::Tensor;

double LayerStats::getMaxMultiplierError() const {
  double worst = 0;
  for (const MultiplierError &m : multipliers)
    worst = std::max(worst, std::abs(m.relativeError));
  return worst;
}

std::string LayerStats::getName() const {
  std::string name;
  for (StringRef op : sourceOps) {
    if (!name.empty())
      name += '+';
    op.consume_front("qnn.");
    name += op;
  }
  return name;
}

namespace {

/// Keeps a copy of one function as a given pass leaves it.
class SnapshotAfterPass : public PassInstrumentation {
public:
  SnapshotAfterPass(StringRef passArgument, StringRef function,
                    OwningOpRef<func::FuncOp> &snapshot)
      : passArgument(passArgument), function(function), snapshot(snapshot) {}

  void runAfterPass(Pass *pass, Operation *op) override {
    auto func = dyn_cast<func::FuncOp>(op);
    if (func && func.getSymName() == function &&
        pass->getArgument() == passArgument)
      snapshot = func.clone();
  }

private:
  StringRef passArgument, function;
  OwningOpRef<func::FuncOp> &snapshot;
};

/// The integer-level ops of one layer and what they stand for.
struct Layer {
  /// The op producing the layer's result, and every op of the layer in
  /// program order (the result's op last).
  Operation *output;
  SmallVector<Operation *> ops;
  /// The quantized-level value (for S and Z) and the float reference.
  Value quantized;
  Value reference;
  double scale;
  int64_t zeroPoint;
  LayerStats stats;
};

bool isIntegerTensor(Value value) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  return type && isa<IntegerType>(type.getElementType());
}

/// An op the passes created for its only user's layer: an integer result
/// that only that op reads, from a location within the user's.
bool isPartOfUsersLayer(Operation *op) {
  if (op->getNumResults() != 1 || !op->getResult(0).hasOneUse())
    return false;
  Operation *user = *op->getUsers().begin();
  if (user->getNumResults() != 1 || !isIntegerTensor(user->getResult(0)))
    return false;
  SmallVector<Location> inner = getLocationLeaves(op->getLoc());
  SmallVector<Location> outer = getLocationLeaves(user->getLoc());
  return !inner.empty() && llvm::all_of(inner, [&](Location leaf) {
    return llvm::is_contained(outer, leaf);
  });
}

/// "file:line:col" for a file location, the printed location otherwise.
std::string formatLocation(Location loc) {
  SmallVector<Location> leaves = getLocationLeaves(loc);
  if (leaves.empty())
    return "unknown";
  std::string text;
  llvm::raw_string_ostream os(text);
  if (auto file = dyn_cast<FileLineColLoc>(leaves.front()))
    os << file.getFilename().getValue() << ':' << file.getLine() << ':'
       << file.getColumn();
  else
    leaves.front().print(os);
  return text;
}

using RoleValues = SmallVector<std::pair<std::string, SmallVector<double>>>;

quant::UniformQuantizedType getUniform(Value value) {
  return dyn_cast<quant::UniformQuantizedType>(
      getElementTypeOrSelf(value.getType()));
}

/// The real multipliers of a quantized-level op, by role, from the helpers
/// --qopt-rewrite-multipliers encodes them with (additions as
/// qnn.int.weighted_add with `qnnpackAdd`).
RoleValues getRealMultipliers(Operation *op, bool qnnpackAdd) {
  RoleValues result;
  auto output = op->getNumResults() == 1 ? getUniform(op->getResult(0))
                                         : quant::UniformQuantizedType();
  if (!output)
    return result;
  auto scaleRatio = [&](Value from) {
    if (auto input = getUniform(from); input && input != output)
      result.push_back({"output", {input.getScale() / output.getScale()}});
  };
  llvm::TypeSwitch<Operation *>(op)
      .Case<Conv2DOp, DepthwiseConv2DOp, FullyConnectedOp>([&](auto op) {
        auto input = getUniform(op->getOperand(0));
        auto weights = dyn_cast<quant::QuantizedType>(
            getElementTypeOrSelf(op->getOperand(1).getType()));
        if (input && weights)
          result.push_back({"output", getContractionRealMultipliers(
                                          input, weights, output,
                                          op.getType().getShape().back())});
      })
      .Case([&](AddOp op) {
        auto lhs = getUniform(op.getLhs()), rhs = getUniform(op.getRhs());
        if (!lhs || !rhs)
          return;
        // qnnpack's weighted add scales each input straight to the output.
        if (qnnpackAdd) {
          result.push_back({"lhs", {lhs.getScale() / output.getScale()}});
          result.push_back({"rhs", {rhs.getScale() / output.getScale()}});
          return;
        }
        auto [l, r, o] = getAddRealMultipliers(
            lhs.getScale(), rhs.getScale(), output.getScale(),
            getAddLeftShift(output.getStorageTypeIntegralWidth()));
        result.push_back({"lhs", {l}});
        result.push_back({"rhs", {r}});
        result.push_back({"output", {o}});
      })
      .Case([&](MulOp op) {
        auto lhs = getUniform(op.getLhs()), rhs = getUniform(op.getRhs());
        if (lhs && rhs)
          result.push_back(
              {"output",
               {lhs.getScale() * rhs.getScale() / output.getScale()}});
      })
      .Case<RequantizeOp, AvgPool2DOp>(
          [&](auto op) { scaleRatio(op->getOperand(0)); });
  return result;
}

using RoleMultipliers =
    SmallVector<std::pair<std::string, SmallVector<QuantizedMultiplier>>>;

/// The (M0, shift) pairs of an integer-level op, by role.
RoleMultipliers getEncodedMultipliers(Operation *op) {
  RoleMultipliers result;
  llvm::TypeSwitch<Operation *>(op)
      .Case([&](IntRescaleOp op) {
        SmallVector<QuantizedMultiplier> ms;
        for (auto [m, s] : llvm::zip_equal(op.getMultiplier(), op.getShift()))
          ms.push_back({m, s});
        result.push_back({"output", ms});
      })
      .Case([&](IntAddOp op) {
        result.push_back({"lhs", {{op.getLhsMultiplier(), op.getLhsShift()}}});
        result.push_back({"rhs", {{op.getRhsMultiplier(), op.getRhsShift()}}});
        result.push_back(
            {"output", {{op.getOutputMultiplier(), op.getOutputShift()}}});
      })
      .Case([&](IntWeightedAddOp op) {
        // multiplier / 2^right_shift, as M0 * 2^(shift - 31).
        int32_t shift = 31 - op.getRightShift();
        result.push_back({"lhs", {{op.getLhsMultiplier(), shift}}});
        result.push_back({"rhs", {{op.getRhsMultiplier(), shift}}});
      })
      .Case([&](IntMulOp op) {
        result.push_back({"output", {{op.getMultiplier(), op.getShift()}}});
      });
  return result;
}

/// Pairs real and encoded multipliers of the same role, in order.
std::vector<MultiplierError>
compareMultipliers(const RoleValues &reals, const RoleMultipliers &encoded) {
  std::vector<MultiplierError> errors;
  for (StringRef role : {"lhs", "rhs", "output"}) {
    SmallVector<double> real;
    SmallVector<QuantizedMultiplier> enc;
    for (const auto &[r, values] : reals)
      if (r == role)
        llvm::append_range(real, values);
    for (const auto &[r, values] : encoded)
      if (r == role)
        llvm::append_range(enc, values);
    if (real.size() != enc.size())
      continue;
    for (auto [channel, pair] : llvm::enumerate(llvm::zip_equal(real, enc))) {
      auto [m, e] = pair;
      if (m <= 0)
        continue;
      errors.push_back({role.str(), int64_t(channel), m, e.multiplier, e.shift,
                        (getRealMultiplier(e) - m) / m});
    }
  }
  return errors;
}

/// The bounds an integer op clamps its result to: its clamp attributes, or
/// the range of its type.
std::pair<int64_t, int64_t> getClampRange(Operation *op) {
  auto [min, max] = interpreter::getValueRange(
      cast<RankedTensorType>(op->getResult(0).getType()).getElementType());
  auto read = [&](StringRef name, int64_t fallback) {
    auto attr = op->getAttrOfType<IntegerAttr>(name);
    return attr ? attr.getInt() : fallback;
  };
  if (isa<IntClampOp>(op))
    return {read("min", min), read("max", max)};
  return {read("clamp_min", min), read("clamp_max", max)};
}

/// Sums for ErrorStats over every element of every run.
struct ErrorSums {
  double signal = 0, noise = 0, sumAbsLsb = 0, maxAbsLsb = 0;
  int64_t count = 0;

  void add(double reference, double value, double scale) {
    double error = value - reference;
    signal += reference * reference;
    noise += error * error;
    double lsb = std::abs(error) / scale;
    sumAbsLsb += lsb;
    maxAbsLsb = std::max(maxAbsLsb, lsb);
    ++count;
  }

  ErrorStats get() const {
    ErrorStats stats;
    if (noise > 0)
      stats.sqnrDb = 10 * std::log10(signal / noise);
    stats.maxAbsErrorLsb = maxAbsLsb;
    stats.meanAbsErrorLsb = count ? sumAbsLsb / count : 0;
    return stats;
  }
};

class ReportBuilder {
public:
  ReportBuilder(func::FuncOp floatFunc, func::FuncOp quantizedFunc,
                func::FuncOp integerFunc, bool qnnpackAdd,
                const interpreter::Limits &limits)
      : floatFunc(floatFunc), integerFunc(integerFunc), floatIndex(floatFunc),
        quantizedIndex(quantizedFunc), qnnpackAdd(qnnpackAdd), limits(limits) {}

  void findLayers();
  LogicalResult measure(ArrayRef<SmallVector<Tensor>> inputs);
  std::vector<LayerStats> takeStats();

private:
  FailureOr<Tensor> runAlone(const Layer &layer, const Environment &floats,
                             const Environment &integers);
  void describe(Layer &layer);

  func::FuncOp floatFunc, integerFunc;
  ValueIndex floatIndex, quantizedIndex;
  bool qnnpackAdd;
  interpreter::Limits limits;
  std::vector<Layer> layers;
  DenseMap<Value, size_t> layerOf;
};

void ReportBuilder::findLayers() {
  integerFunc.walk([&](Operation *op) {
    if (isConstant(op) || op->getNumResults() != 1 ||
        !isIntegerTensor(op->getResult(0)) || isPartOfUsersLayer(op))
      return;
    Value result = op->getResult(0);
    Value quantized =
        quantizedIndex.findCounterpart(result, TypeMatch::Storage);
    Value reference = floatIndex.findCounterpart(result, TypeMatch::Shape);
    auto type = quantized ? getUniform(quantized) : nullptr;
    if (!type || !reference ||
        !isa<FloatType>(getElementTypeOrSelf(reference.getType())))
      return;
    Layer layer{
        op, {}, quantized, reference, type.getScale(), type.getZeroPoint(), {}};
    // The ops created for this layer, found back from its result.
    SmallVector<Operation *> worklist = {op};
    llvm::SmallPtrSet<Operation *, 8> members = {op};
    while (!worklist.empty()) {
      Operation *member = worklist.pop_back_val();
      for (Value operand : member->getOperands()) {
        Operation *def = operand.getDefiningOp();
        if (def && !isConstant(def) && isPartOfUsersLayer(def) &&
            members.insert(def).second)
          worklist.push_back(def);
      }
    }
    for (Operation &candidate : integerFunc.getBody().front())
      if (members.contains(&candidate))
        layer.ops.push_back(&candidate);
    layerOf[result] = layers.size();
    layers.push_back(std::move(layer));
  });
  for (Layer &layer : layers) {
    describe(layer);
    for (Operation *op : layer.ops)
      for (Value operand : op->getOperands())
        if (auto input = layerOf.find(operand); input != layerOf.end())
          layer.stats.inputs.push_back(input->second);
  }
}

void ReportBuilder::describe(Layer &layer) {
  LayerStats &stats = layer.stats;
  stats.position = &layer - layers.data();
  SmallVector<Operation *> sources =
      floatIndex.getOpsWithin(layer.output->getLoc());
  for (Operation *source : sources)
    stats.sourceOps.push_back(source->getName().getStringRef().str());
  if (auto arg = dyn_cast<BlockArgument>(layer.reference))
    stats.sourceOps.push_back("argument #" +
                              std::to_string(arg.getArgNumber()));
  stats.location = formatLocation(sources.empty() ? getValueLoc(layer.reference)
                                                  : sources.front()->getLoc());
  stats.integerOp = layer.output->getName().getStringRef().str();
  auto type = cast<RankedTensorType>(layer.output->getResult(0).getType());
  stats.shape.assign(type.getShape().begin(), type.getShape().end());
  llvm::raw_string_ostream(stats.storageType) << type.getElementType();
  stats.scale = layer.scale;
  stats.zeroPoint = layer.zeroPoint;
  std::tie(stats.clampMin, stats.clampMax) = getClampRange(layer.output);

  RoleValues reals;
  for (Operation *op : quantizedIndex.getOpsWithin(layer.output->getLoc()))
    llvm::append_range(reals, getRealMultipliers(op, qnnpackAdd));
  RoleMultipliers encoded;
  for (Operation *op : layer.ops)
    llvm::append_range(encoded, getEncodedMultipliers(op));
  stats.multipliers = compareMultipliers(reals, encoded);
}

FailureOr<Tensor> ReportBuilder::runAlone(const Layer &layer,
                                          const Environment &floats,
                                          const Environment &integers) {
  Environment env;
  for (Operation *op : layer.ops) {
    for (Value operand : op->getOperands()) {
      if (env.lookup(operand))
        continue;
      auto input = layerOf.find(operand);
      if (input == layerOf.end()) {
        env.set(operand, integers.get(operand));
        continue;
      }
      // The input layer's float reference, quantized as its result is.
      const Layer &producer = layers[input->second];
      auto type = cast<RankedTensorType>(operand.getType());
      auto [min, max] = interpreter::getValueRange(type.getElementType());
      std::vector<int64_t> values;
      for (double real : floats.get(producer.reference).floats)
        values.push_back(
            quantizeValue(real, QuantParams{producer.scale, producer.zeroPoint},
                          StorageRange{min, max}, RangeConvention::TensorFlow));
      env.set(operand, Tensor{type, {}, std::move(values)});
    }
    FailureOr<Tensor> result = interpreter::evaluate(op, env, limits);
    if (failed(result))
      return failure();
    env.set(op->getResult(0), std::move(*result));
  }
  return env.get(layer.output->getResult(0));
}

LogicalResult ReportBuilder::measure(ArrayRef<SmallVector<Tensor>> inputs) {
  std::vector<ErrorSums> endToEnd(layers.size()), alone(layers.size());
  std::vector<double> minReal(layers.size(), INFINITY),
      maxReal(layers.size(), -INFINITY);
  std::vector<int64_t> maxAccumulator(layers.size(), 0);
  for (const SmallVector<Tensor> &run : inputs) {
    Environment floats, integers;
    if (failed(interpreter::interpret(floatFunc, run, &floats, limits)) ||
        failed(interpreter::interpret(integerFunc, run, &integers, limits)))
      return failure();
    for (auto [index, layer] : llvm::enumerate(layers)) {
      LayerStats &stats = layer.stats;
      ArrayRef<double> reference = floats.get(layer.reference).floats;
      ArrayRef<int64_t> result = integers.get(layer.output->getResult(0)).ints;
      FailureOr<Tensor> isolated = runAlone(layer, floats, integers);
      if (failed(isolated))
        return failure();
      double s = layer.scale;
      int64_t z = layer.zeroPoint;
      for (auto [r, q, qAlone] :
           llvm::zip_equal(reference, result, isolated->ints)) {
        endToEnd[index].add(r, s * (q - z), s);
        alone[index].add(r, s * (qAlone - z), s);
        stats.errorsLsb.push_back((s * (q - z) - r) / s);
        double unclamped = z + std::round(r / s);
        stats.saturatedLow += unclamped < stats.clampMin;
        stats.saturatedHigh += unclamped > stats.clampMax;
        minReal[index] = std::min(minReal[index], r);
        maxReal[index] = std::max(maxReal[index], r);
      }
      stats.elements += reference.size();
      for (Operation *op : layer.ops)
        if (isa<IntConv2DOp, IntDepthwiseConv2DOp, IntFullyConnectedOp>(op))
          for (int64_t acc : integers.get(op->getResult(0)).ints)
            maxAccumulator[index] =
                std::max(maxAccumulator[index], std::abs(acc));
    }
  }
  for (auto [index, layer] : llvm::enumerate(layers)) {
    LayerStats &stats = layer.stats;
    stats.endToEnd = endToEnd[index].get();
    stats.alone = alone[index].get();
    double span = layer.scale * (stats.clampMax - stats.clampMin);
    stats.rangeUse = span > 0 && maxReal[index] >= minReal[index]
                         ? (maxReal[index] - minReal[index]) / span
                         : 0;
    for (Operation *op : layer.ops)
      if (std::optional<int64_t> bound = getContractionAccumulatorBound(op))
        stats.accumulator = AccumulatorStats{maxAccumulator[index], *bound};
  }
  return success();
}

std::vector<LayerStats> ReportBuilder::takeStats() {
  std::vector<LayerStats> stats;
  for (Layer &layer : layers)
    stats.push_back(std::move(layer.stats));
  return stats;
}

double getSaturatedShare(const LayerStats &layer) {
  return double(layer.saturatedLow + layer.saturatedHigh) / layer.elements;
}

/// Why a layer is far below the others, from the most to the least direct
/// evidence. `byPosition` finds the layers it reads.
std::string explainOutlier(const LayerStats &layer,
                           ArrayRef<const LayerStats *> byPosition) {
  std::string text;
  llvm::raw_string_ostream os(text);
  if (getSaturatedShare(layer) > 0.01) {
    os << "saturation: " << llvm::format("%.1f", 100 * getSaturatedShare(layer))
       << "% of the float values lie outside the output range (low "
       << layer.saturatedLow << ", high " << layer.saturatedHigh
       << "): the range is too narrow";
    return text;
  }
  for (int64_t position : layer.inputs) {
    const LayerStats &input = *byPosition[position];
    if (getSaturatedShare(input) > 0.01) {
      os << "saturated input: "
         << llvm::format("%.1f", 100 * getSaturatedShare(input))
         << "% of the float values of its input " << input.getName() << " ("
         << input.location << ") lie outside that layer's range";
      return text;
    }
  }
  if (layer.getMaxMultiplierError() > 1e-4) {
    os << "multiplier error: an (M0, shift) is off its real multiplier by "
       << llvm::format("%.2g", layer.getMaxMultiplierError()) << " (relative)";
    return text;
  }
  if (layer.rangeUse < 0.25) {
    os << "range too wide: the float values span "
       << llvm::format("%.1f", 100 * layer.rangeUse)
       << "% of the output range, so few levels carry them";
    return text;
  }
  for (int64_t position : layer.inputs) {
    const LayerStats &input = *byPosition[position];
    if (input.rangeUse < 0.25) {
      os << "coarse input: the float values of its input " << input.getName()
         << " (" << input.location << ") span "
         << llvm::format("%.1f", 100 * input.rangeUse)
         << "% of that layer's range, which is too wide";
      return text;
    }
  }
  os << "rounding: the float values are small against the output's LSB";
  return text;
}

/// Worst first, exact layers last, ties in network order.
void rankAndFlag(NumericsReport &report) {
  llvm::sort(report.layers, [](const LayerStats &a, const LayerStats &b) {
    // +infinity for an exact layer.
    auto key = [](const LayerStats &layer) {
      return layer.endToEnd.sqnrDb.value_or(INFINITY);
    };
    if (key(a) != key(b))
      return key(a) < key(b);
    return a.position < b.position;
  });
  // Flagged by the error a layer adds itself (alone), not the error it
  // inherits.
  std::vector<double> sqnrs;
  std::vector<const LayerStats *> byPosition(report.layers.size());
  for (const LayerStats &layer : report.layers) {
    byPosition[layer.position] = &layer;
    if (layer.alone.sqnrDb)
      sqnrs.push_back(*layer.alone.sqnrDb);
  }
  if (sqnrs.empty())
    return;
  llvm::sort(sqnrs);
  size_t half = sqnrs.size() / 2;
  report.medianSqnrDb =
      sqnrs.size() % 2 ? sqnrs[half] : (sqnrs[half - 1] + sqnrs[half]) / 2;
  for (LayerStats &layer : report.layers) {
    if (!layer.alone.sqnrDb ||
        *layer.alone.sqnrDb >=
            report.medianSqnrDb - NumericsReport::kOutlierMarginDb)
      continue;
    layer.outlier = true;
    layer.cause = explainOutlier(layer, byPosition);
  }
}

} // namespace

FailureOr<NumericsReport> numerics::computeNumericsReport(
    ModuleOp module, func::FuncOp func, ArrayRef<SmallVector<Tensor>> inputs,
    StringRef scheme, const interpreter::Limits &limits) {
  bool hasRange = false;
  func.walk([&](RangeOp) { hasRange = true; });
  if (!hasRange)
    return func.emitError("the numerics report needs a float-level function "
                          "with qnn.range markers");

  // The integer program, as the tools build it; the quantized level is kept
  // on the way for the scales and the real multipliers.
  OwningOpRef<ModuleOp> integer(module.clone());
  OwningOpRef<func::FuncOp> quantized;
  PassManager pm(module.getContext());
  addIntegerLevelPasses(pm, {scheme.str(), /*numerics=*/""},
                        CodegenTarget::Generic);
  pm.addInstrumentation(std::make_unique<SnapshotAfterPass>(
      "qopt-propagate-quant-params", func.getSymName(), quantized));
  if (failed(pm.run(*integer)))
    return failure();
  auto integerFunc = integer->lookupSymbol<func::FuncOp>(func.getSymName());
  if (!quantized || !integerFunc)
    return func.emitError("the integer-level pipeline did not keep @")
           << func.getSymName();

  FailureOr<qnn::Numerics> numerics = qnn::getNumerics(module, "");
  if (failed(numerics))
    return failure();
  ReportBuilder builder(func, *quantized, integerFunc,
                        numerics->arithmetic.qnnpackAdd, limits);
  builder.findLayers();
  if (failed(builder.measure(inputs)))
    return failure();
  NumericsReport report;
  report.function = func.getSymName().str();
  // What the pipeline quantized with: the option, else the module's
  // attributes, else the pipeline's defaults.
  FailureOr<std::string> schemeName =
      qnn::getSchemeName(module, scheme, /*numericsOption=*/"");
  if (failed(schemeName))
    return failure();
  report.scheme = schemeName->empty() ? "tflite" : *schemeName;
  report.numerics = qnn::getModuleString(module, qnn::kNumericsAttrName);
  if (report.numerics.empty())
    report.numerics = "tflite";
  report.numInputs = inputs.size();
  report.layers = builder.takeStats();
  rankAndFlag(report);
  return report;
}
