//===- QuantizedOps.cpp - Quantized-level ops of the reference interpreter ===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// Quantized tensors hold storage values. Each op computes what the integer
// kernel of the module's numerics (`qnn.numerics`, Numerics.h: TensorFlow
// Lite's by default, or PyTorch qnnpack's) computes for the scales and zero
// points of its types: the integer parameters come from the helpers of
// IntegerParams.h, which --qopt-rewrite-multipliers uses too, and the
// arithmetic from the integer kernels the integer level runs (Kernels.h),
// so that a network and its rewritten integer form give the same integers
// under the numerics the pass applies by default.
//
//===----------------------------------------------------------------------===//

#include "Evaluators.h"
#include "Kernels.h"

#include "qopt/Dialect/QNN/IR/QNN.h"
#include "qopt/Dialect/QNN/Transforms/Numerics.h"
#include "qopt/Dialect/QNN/Transforms/Patterns.h"
#include "qopt/Dialect/QNN/Utils/QuantParams.h"

#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::qnn;
using namespace qopt;
using namespace qopt::interpreter;
using namespace qopt::interpreter::detail;

static quant::QuantizedType getQuantized(Value value) {
  return cast<quant::QuantizedType>(getElementTypeOrSelf(value.getType()));
}

/// Verified activations, biases and operands of add and mul are quantized
/// per tensor.
static quant::UniformQuantizedType getUniform(Value value) {
  return cast<quant::UniformQuantizedType>(
      getElementTypeOrSelf(value.getType()));
}

/// The arithmetic --qopt-rewrite-multipliers gives `op` without options: that
/// of the module's `qnn.numerics`. An unknown name is an error at `op`.
static FailureOr<IntegerArithmetic> getArithmetic(Operation *op) {
  FailureOr<Numerics> numerics = getNumerics(op, /*option=*/"");
  if (failed(numerics))
    return failure();
  return numerics->arithmetic;
}

/// The contraction and mul kernels multiply two values minus their zero
/// points in int64, which is exact for the storage widths TensorFlow Lite
/// uses there (8 and 16 bits) but not for 32-bit storage.
static LogicalResult checkStorageWidth(Operation *op, ValueRange values) {
  for (Value value : values) {
    quant::QuantizedType type = getQuantized(value);
    if (type.getStorageTypeIntegralWidth() > 16)
      return op->emitOpError()
             << "has an operand of type " << type
             << " whose storage is wider than 16 bits, which the reference "
                "interpreter does not support for this op";
  }
  return success();
}

static InFlightDiagnostic emitUnencodableMultiplier(Operation *op) {
  return op->emitOpError("has a real multiplier that cannot be encoded as "
                         "(M0, shift): M must be below 2^30");
}

/// The index along `axis` of the element at row-major position `linear`.
static int64_t getChannel(ArrayRef<int64_t> shape, int64_t axis,
                          int64_t linear) {
  int64_t inner = 1;
  for (int64_t size : shape.drop_front(axis + 1))
    inner *= size;
  return linear / inner % shape[axis];
}

/// acc = sum (q_in - Z_in)(q_w - Z_w[c]) + bias_q[c], then
/// MultiplyByQuantizedMultiplier(acc, M[c]) + Z_out clamped to the output
/// storage range, with M[c] = S_in * S_w[c] / S_out.
template <typename ContractionOp>
static FailureOr<Tensor>
evaluateContraction(ContractionOp op, const Contraction &c,
                    const Environment &env, const IntegerArithmetic &arith) {
  Value inputValue = op->getOperand(0), weightsValue = op->getOperand(1);
  if (failed(checkStorageWidth(op, {inputValue, weightsValue})))
    return failure();
  quant::UniformQuantizedType input = getUniform(inputValue);
  quant::QuantizedType weights = getQuantized(weightsValue);
  quant::UniformQuantizedType output = getUniform(op.getResult());
  FailureOr<SmallVector<QuantizedMultiplier>> multipliers =
      getContractionMultipliers(input, weights, output, c.resultShape[3],
                                /*float32=*/arith.rounding ==
                                    RoundingMode::Float32);
  if (failed(multipliers))
    return emitUnencodableMultiplier(op);

  SmallVector<int64_t> weightsZp;
  if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(weights))
    llvm::append_range(weightsZp, perAxis.getZeroPoints());
  else
    weightsZp.push_back(getZeroPoint(weights));
  const Tensor *bias = op.getBias() ? &env.get(op.getBias()) : nullptr;
  FailureOr<std::vector<int64_t>> accumulators = computeAccumulators(
      op, c, env.get(inputValue).ints, env.get(weightsValue).ints,
      ContractionOffsets{input.getZeroPoint(), weightsZp, bias});
  if (failed(accumulators))
    return failure();

  RankedTensorType type = getResultType(op);
  auto [min, max] = getValueRange(output);
  FailureOr<std::vector<int64_t>> values =
      rescale(op, type.getShape(), *accumulators,
              RescaleParams{0, *multipliers, arith.rounding,
                            output.getZeroPoint(), min, max});
  if (failed(values))
    return failure();
  return makeIntTensor(type, std::move(*values));
}

/// PyTorch qnnpack's addition (qnn.int.weighted_add): integer weights of the
/// inputs minus their zero points, one rounding.
static FailureOr<Tensor> evaluateQnnpackAdd(AddOp op, const Environment &env) {
  quant::UniformQuantizedType lhs = getUniform(op.getLhs());
  quant::UniformQuantizedType rhs = getUniform(op.getRhs());
  quant::UniformQuantizedType output = getUniform(op.getResult());
  FailureOr<WeightedAddParams> params = getCheckedQnnpackAddParams(op);
  if (failed(params))
    return failure();
  auto [min, max] = getValueRange(output);
  std::vector<int64_t> values;
  for (auto [l, r] :
       llvm::zip_equal(env.get(op.getLhs()).ints, env.get(op.getRhs()).ints))
    values.push_back(std::clamp<int64_t>(
        computeWeightedAdd(l - lhs.getZeroPoint(), r - rhs.getZeroPoint(),
                           *params) +
            output.getZeroPoint(),
        min, max));
  return makeIntTensor(getResultType(op), std::move(values));
}

static FailureOr<Tensor> evaluateAdd(AddOp op, const Environment &env,
                                     const IntegerArithmetic &arith) {
  if (arith.qnnpackAdd)
    return evaluateQnnpackAdd(op, env);
  quant::UniformQuantizedType lhs = getUniform(op.getLhs());
  quant::UniformQuantizedType rhs = getUniform(op.getRhs());
  quant::UniformQuantizedType output = getUniform(op.getResult());
  // TensorFlow Lite's add has one type throughout; the left shift follows
  // the result's width, as --qopt-rewrite-multipliers chooses it.
  FailureOr<AddParams> params =
      getAddParams(lhs.getScale(), rhs.getScale(), output.getScale(),
                   output.getStorageTypeIntegralWidth());
  if (failed(params))
    return emitUnencodableMultiplier(op);
  RankedTensorType type = getResultType(op);
  auto [min, max] = getValueRange(output);
  FailureOr<std::vector<int64_t>> values = add(
      op, type.getShape(), env.get(op.getLhs()).ints, env.get(op.getRhs()).ints,
      AddKernelParams{lhs.getZeroPoint(), rhs.getZeroPoint(),
                      output.getZeroPoint(), *params, arith.addRounding, min,
                      max});
  if (failed(values))
    return failure();
  return makeIntTensor(type, std::move(*values));
}

/// M = S_lhs * S_rhs / S_out applied to (q_lhs - Z_lhs)(q_rhs - Z_rhs).
static FailureOr<Tensor> evaluateMul(MulOp op, const Environment &env,
                                     const IntegerArithmetic &arith) {
  if (failed(checkStorageWidth(op, {op.getLhs(), op.getRhs()})))
    return failure();
  quant::UniformQuantizedType lhs = getUniform(op.getLhs());
  quant::UniformQuantizedType rhs = getUniform(op.getRhs());
  quant::UniformQuantizedType output = getUniform(op.getResult());
  FailureOr<QuantizedMultiplier> multiplier =
      getMulMultiplier(lhs.getScale(), rhs.getScale(), output.getScale());
  if (failed(multiplier))
    return emitUnencodableMultiplier(op);
  RankedTensorType type = getResultType(op);
  auto [min, max] = getValueRange(output);
  FailureOr<std::vector<int64_t>> values = multiply(
      op, type.getShape(), env.get(op.getLhs()).ints, env.get(op.getRhs()).ints,
      MulKernelParams{lhs.getZeroPoint(), rhs.getZeroPoint(),
                      output.getZeroPoint(), *multiplier, arith.rounding, min,
                      max});
  if (failed(values))
    return failure();
  return makeIntTensor(type, std::move(*values));
}

/// The real bounds become storage bounds as TensorFlow Lite's
/// CalculateActivationRangeQuantized computes them.
static Tensor evaluateClamp(ClampOp op, const Environment &env) {
  auto [min, max] =
      getClampBounds(op.getMin().convertToDouble(),
                     op.getMax().convertToDouble(), getUniform(op.getInput()));
  return makeIntTensor(getResultType(op),
                       clamp(env.get(op.getInput()).ints, min, max));
}

/// MultiplyByQuantizedMultiplier(q - Z_in, S_in / S_out) + Z_out, clamped.
static FailureOr<Tensor> evaluateRequantize(RequantizeOp op,
                                            const Environment &env,
                                            const IntegerArithmetic &arith) {
  quant::UniformQuantizedType input = getUniform(op.getInput());
  quant::UniformQuantizedType output = getUniform(op.getResult());
  FailureOr<QuantizedMultiplier> multiplier =
      getRescaleMultiplier(input.getScale(), output.getScale());
  if (failed(multiplier))
    return emitUnencodableMultiplier(op);
  RankedTensorType type = getResultType(op);
  auto [min, max] = getValueRange(output);
  FailureOr<std::vector<int64_t>> values =
      rescale(op, type.getShape(), env.get(op.getInput()).ints,
              RescaleParams{input.getZeroPoint(), *multiplier, arith.rounding,
                            output.getZeroPoint(), min, max});
  if (failed(values))
    return failure();
  return makeIntTensor(type, std::move(*values));
}

/// TensorFlow Lite averages storage values, which keeps the input's scale
/// and zero point (the average of values in the storage range stays in it);
/// PyTorch's qnnpack averages q - Z and rounds ties to even. An output of
/// another type is a rescale of that average.
static FailureOr<Tensor> evaluateAvgPool(AvgPool2DOp op, const Environment &env,
                                         const IntegerArithmetic &arith) {
  const Tensor &inputTensor = env.get(op.getInput());
  RankedTensorType type = getResultType(op);
  quant::UniformQuantizedType input = getUniform(op.getInput());
  quant::UniformQuantizedType output = getUniform(op.getResult());
  FailureOr<std::vector<int64_t>> average =
      averagePool(op, inputTensor.getShape(), inputTensor.ints,
                  getPoolWindow(op), type.getShape(), arith.pooling,
                  arith.pooling == Ties::ToEven ? input.getZeroPoint() : 0);
  if (failed(average))
    return failure();
  if (input == output)
    return makeIntTensor(type, std::move(*average));
  FailureOr<QuantizedMultiplier> multiplier =
      getRescaleMultiplier(input.getScale(), output.getScale());
  if (failed(multiplier))
    return emitUnencodableMultiplier(op);
  auto [min, max] = getValueRange(output);
  FailureOr<std::vector<int64_t>> values =
      rescale(op, type.getShape(), *average,
              RescaleParams{input.getZeroPoint(), *multiplier, arith.rounding,
                            output.getZeroPoint(), min, max});
  if (failed(values))
    return failure();
  return makeIntTensor(type, std::move(*values));
}

/// The real pad value quantized as TensorFlow Lite quantizes (real 0 is the
/// zero point exactly).
static Tensor evaluatePad(PadOp op, const Environment &env) {
  quant::UniformQuantizedType quantized = getUniform(op.getInput());
  auto [min, max] = getValueRange(quantized);
  int64_t fill =
      quantizeValue(op.getValue().convertToDouble(),
                    QuantParams{quantized.getScale(), quantized.getZeroPoint()},
                    StorageRange{min, max}, RangeConvention::TensorFlow);
  const Tensor &input = env.get(op.getInput());
  RankedTensorType type = getResultType(op);
  return makeIntTensor(type,
                       pad<int64_t>(input.getShape(), input.ints,
                                    op.getPadding(), type.getShape(), fill));
}

/// TensorFlow Lite's reference quantize (r / S rounded half away from zero)
/// or PyTorch's (r * (1 / S) in float32, ties to even), per tensor or per
/// axis.
static Tensor evaluateQuantize(QuantizeOp op, const Environment &env,
                               const IntegerArithmetic &arith) {
  RangeConvention convention = arith.quantize == Ties::ToEven
                                   ? RangeConvention::PyTorch
                                   : RangeConvention::TensorFlow;
  RankedTensorType type = getResultType(op);
  quant::QuantizedType quantized = getQuantized(op.getResult());
  auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(quantized);
  auto [min, max] = getValueRange(quantized);
  std::vector<int64_t> values;
  for (auto [index, real] : llvm::enumerate(env.get(op.getInput()).floats)) {
    int64_t c = perAxis ? getChannel(type.getShape(),
                                     perAxis.getQuantizedDimension(), index)
                        : 0;
    values.push_back(quantizeValue(
        real, QuantParams{getScale(quantized, c), getZeroPoint(quantized, c)},
        StorageRange{min, max}, convention));
  }
  return makeIntTensor(type, std::move(values));
}

/// S * (q - Z) in double, rounded to the float type, as TensorFlow Lite's
/// reference Dequantize computes static_cast<float>(scale * (q - Z)).
static Tensor evaluateDequantize(DequantizeOp op, const Environment &env) {
  const Tensor &input = env.get(op.getInput());
  quant::QuantizedType quantized = getQuantized(op.getInput());
  auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(quantized);
  std::vector<double> values;
  for (auto [index, q] : llvm::enumerate(input.ints)) {
    int64_t c = perAxis ? getChannel(input.getShape(),
                                     perAxis.getQuantizedDimension(), index)
                        : 0;
    values.push_back(getScale(quantized, c) * (q - getZeroPoint(quantized, c)));
  }
  return makeFloatTensor(getResultType(op), std::move(values));
}

/// The storage values, read with the storage's signedness.
static FailureOr<Tensor> evaluateConst(ConstOp op) {
  auto values = op.getValue().tryGetValues<APInt>();
  if (!values)
    return op.emitOpError("has values the interpreter cannot read");
  bool isSigned = getQuantized(op.getResult()).isSigned();
  std::vector<int64_t> ints;
  for (const APInt &value : *values)
    ints.push_back(isSigned ? value.getSExtValue()
                            : int64_t(value.getZExtValue()));
  return makeIntTensor(getResultType(op), std::move(ints));
}

FailureOr<Tensor>
interpreter::detail::evaluateQuantizedOp(Operation *op,
                                         const Environment &env) {
  FailureOr<IntegerArithmetic> arithmetic = getArithmetic(op);
  if (failed(arithmetic))
    return failure();
  const IntegerArithmetic &arith = *arithmetic;
  return llvm::TypeSwitch<Operation *, FailureOr<Tensor>>(op)
      .Case([&](Conv2DOp op) {
        return evaluateContraction(
            op, getConvContraction(op, false, op.getGroups()), env, arith);
      })
      .Case([&](DepthwiseConv2DOp op) {
        return evaluateContraction(op, getConvContraction(op, true), env,
                                   arith);
      })
      .Case([&](FullyConnectedOp op) {
        return evaluateContraction(op, getFullyConnectedContraction(op), env,
                                   arith);
      })
      .Case([&](AddOp op) { return evaluateAdd(op, env, arith); })
      .Case([&](MulOp op) { return evaluateMul(op, env, arith); })
      .Case([&](ClampOp op) { return evaluateClamp(op, env); })
      .Case([&](RequantizeOp op) { return evaluateRequantize(op, env, arith); })
      .Case([&](AvgPool2DOp op) { return evaluateAvgPool(op, env, arith); })
      .Case([&](PadOp op) { return evaluatePad(op, env); })
      .Case([&](QuantizeOp op) { return evaluateQuantize(op, env, arith); })
      .Case([&](DequantizeOp op) { return evaluateDequantize(op, env); })
      .Case([&](ConstOp op) { return evaluateConst(op); })
      .Default([](Operation *op) -> FailureOr<Tensor> {
        return op->emitOpError(
            "is not supported by the reference interpreter at the quantized "
            "level");
      });
}
