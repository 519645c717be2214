//===- IntegerOps.cpp - Integer-level ops of the reference interpreter ----===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// qnn.int.* ops compute exactly what their descriptions say, with every
// parameter read from the op's attributes, through the same integer kernels
// as the quantized level (Kernels.h).
//
//===----------------------------------------------------------------------===//

#include "Evaluators.h"
#include "Kernels.h"

#include "qopt/Dialect/QNN/IR/QNN.h"
#include "qopt/Dialect/QNN/Utils/IntegerParams.h"
#include "qopt/Dialect/QNN/Utils/QuantParams.h"

#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::qnn;
using namespace qopt;
using namespace qopt::interpreter;
using namespace qopt::interpreter::detail;

/// The clamp bounds of an op with optional clamp_min / clamp_max, which
/// default to the range of its result type.
template <typename OpTy>
static std::pair<int64_t, int64_t> getClampRange(OpTy op) {
  auto [min, max] = getValueRange(getResultType(op).getElementType());
  return {op.getClampMin().value_or(min), op.getClampMax().value_or(max)};
}

template <typename ContractionOp>
static FailureOr<Tensor>
evaluateContraction(ContractionOp op, const Contraction &c,
                    ArrayRef<int64_t> weightsZp, const Environment &env) {
  const Tensor *bias = op.getBias() ? &env.get(op.getBias()) : nullptr;
  FailureOr<std::vector<int64_t>> accumulators = computeAccumulators(
      op, c, env.get(op->getOperand(0)).ints, env.get(op->getOperand(1)).ints,
      ContractionOffsets{op.getInputZp(), weightsZp, bias});
  if (failed(accumulators))
    return failure();
  return makeIntTensor(getResultType(op), std::move(*accumulators));
}

static FailureOr<Tensor> evaluateRescale(IntRescaleOp op,
                                         const Environment &env) {
  SmallVector<QuantizedMultiplier> multipliers;
  for (auto [multiplier, shift] :
       llvm::zip_equal(op.getMultiplier(), op.getShift()))
    multipliers.push_back(QuantizedMultiplier{multiplier, shift});
  auto [min, max] = getClampRange(op);
  RankedTensorType type = getResultType(op);
  FailureOr<std::vector<int64_t>> values =
      rescale(op, type.getShape(), env.get(op.getInput()).ints,
              RescaleParams{op.getInputZp(), multipliers, op.getRounding(),
                            op.getOutputZp(), min, max});
  if (failed(values))
    return failure();
  return makeIntTensor(type, std::move(*values));
}

static FailureOr<Tensor> evaluateAdd(IntAddOp op, const Environment &env) {
  AddParams multipliers{
      static_cast<int32_t>(op.getLeftShift()),
      QuantizedMultiplier{op.getLhsMultiplier(), op.getLhsShift()},
      QuantizedMultiplier{op.getRhsMultiplier(), op.getRhsShift()},
      QuantizedMultiplier{op.getOutputMultiplier(), op.getOutputShift()}};
  auto [min, max] = getClampRange(op);
  RankedTensorType type = getResultType(op);
  FailureOr<std::vector<int64_t>> values = add(
      op, type.getShape(), env.get(op.getLhs()).ints, env.get(op.getRhs()).ints,
      AddKernelParams{op.getLhsZp(), op.getRhsZp(), op.getOutputZp(),
                      multipliers, op.getRounding(), min, max});
  if (failed(values))
    return failure();
  return makeIntTensor(type, std::move(*values));
}

/// The verifier bounds the weighted sum and the rounded sum plus the output
/// zero point within int32 for every input of the types.
static Tensor evaluateWeightedAdd(IntWeightedAddOp op, const Environment &env) {
  WeightedAddParams params{op.getLhsMultiplier(), op.getRhsMultiplier(),
                           op.getRightShift()};
  auto [min, max] = getClampRange(op);
  ArrayRef<int64_t> lhs = env.get(op.getLhs()).ints;
  ArrayRef<int64_t> rhs = env.get(op.getRhs()).ints;
  std::vector<int64_t> values;
  values.reserve(lhs.size());
  for (auto [l, r] : llvm::zip_equal(lhs, rhs))
    values.push_back(std::clamp<int64_t>(
        computeWeightedAdd(l - op.getLhsZp(), r - op.getRhsZp(), params) +
            op.getOutputZp(),
        min, max));
  return makeIntTensor(getResultType(op), std::move(values));
}

static FailureOr<Tensor> evaluateMul(IntMulOp op, const Environment &env) {
  auto [min, max] = getClampRange(op);
  RankedTensorType type = getResultType(op);
  FailureOr<std::vector<int64_t>> values = multiply(
      op, type.getShape(), env.get(op.getLhs()).ints, env.get(op.getRhs()).ints,
      MulKernelParams{op.getLhsZp(), op.getRhsZp(), op.getOutputZp(),
                      QuantizedMultiplier{op.getMultiplier(), op.getShift()},
                      op.getRounding(), min, max});
  if (failed(values))
    return failure();
  return makeIntTensor(type, std::move(*values));
}

static FailureOr<Tensor> evaluateAvgPool(IntAvgPool2DOp op,
                                         const Environment &env) {
  const Tensor &input = env.get(op.getInput());
  RankedTensorType type = getResultType(op);
  FailureOr<std::vector<int64_t>> average = averagePool(
      op, input.getShape(), input.ints, getPoolWindow(op), type.getShape(),
      op.getRounding(), op.getInputZp());
  if (failed(average))
    return failure();
  auto [min, max] = getClampRange(op);
  return makeIntTensor(type, clamp(*average, min, max));
}

static Tensor evaluatePad(IntPadOp op, const Environment &env) {
  const Tensor &input = env.get(op.getInput());
  RankedTensorType type = getResultType(op);
  return makeIntTensor(type, pad<int64_t>(input.getShape(), input.ints,
                                          op.getPadding(), type.getShape(),
                                          op.getValue()));
}

/// The integer level's quantize takes its scale and zero point from
/// attributes and rounds as qnn.quantize does.
static Tensor evaluateQuantize(IntQuantizeOp op, const Environment &env) {
  RankedTensorType type = getResultType(op);
  auto [min, max] = getValueRange(type.getElementType());
  QuantParams params{op.getScale().convertToDouble(), op.getZeroPoint()};
  std::vector<int64_t> values;
  RangeConvention convention = op.getRounding() == Ties::ToEven
                                   ? RangeConvention::PyTorch
                                   : RangeConvention::TensorFlow;
  for (double real : env.get(op.getInput()).floats)
    values.push_back(
        quantizeValue(real, params, StorageRange{min, max}, convention));
  return makeIntTensor(type, std::move(values));
}

/// scale * (q - zero_point), rounded to the float type as qnn.dequantize.
static Tensor evaluateDequantize(IntDequantizeOp op, const Environment &env) {
  double scale = op.getScale().convertToDouble();
  std::vector<double> values;
  for (int64_t q : env.get(op.getInput()).ints)
    values.push_back(scale * (q - op.getZeroPoint()));
  return makeFloatTensor(getResultType(op), std::move(values));
}

FailureOr<Tensor>
interpreter::detail::evaluateIntegerOp(Operation *op, const Environment &env) {
  return llvm::TypeSwitch<Operation *, FailureOr<Tensor>>(op)
      .Case([&](IntConv2DOp op) {
        return evaluateContraction(
            op, getConvContraction(op, false, op.getGroups()),
            op.getFilterZp(), env);
      })
      .Case([&](IntDepthwiseConv2DOp op) {
        return evaluateContraction(op, getConvContraction(op, true),
                                   op.getFilterZp(), env);
      })
      .Case([&](IntFullyConnectedOp op) {
        return evaluateContraction(op, getFullyConnectedContraction(op),
                                   op.getWeightsZp(), env);
      })
      .Case([&](IntRescaleOp op) { return evaluateRescale(op, env); })
      .Case([&](IntAddOp op) { return evaluateAdd(op, env); })
      .Case([&](IntWeightedAddOp op) { return evaluateWeightedAdd(op, env); })
      .Case([&](IntMulOp op) { return evaluateMul(op, env); })
      .Case([&](IntClampOp op) {
        return makeIntTensor(
            getResultType(op),
            clamp(env.get(op.getInput()).ints, op.getMin(), op.getMax()));
      })
      .Case([&](IntAvgPool2DOp op) { return evaluateAvgPool(op, env); })
      .Case([&](IntPadOp op) { return evaluatePad(op, env); })
      .Case([&](IntQuantizeOp op) { return evaluateQuantize(op, env); })
      .Case([&](IntDequantizeOp op) { return evaluateDequantize(op, env); })
      .Default([](Operation *op) -> FailureOr<Tensor> {
        return op->emitOpError(
            "is not supported by the reference interpreter at the integer "
            "level");
      });
}
