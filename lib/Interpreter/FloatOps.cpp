//===- FloatOps.cpp - Float-level ops of the reference interpreter --------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// The float level computes each op's exact value in double and rounds it once
// to the result's element type: a reference for the quantized and integer
// forms of the same network, not an emulation of any float kernel's order of
// operations.
//
//===----------------------------------------------------------------------===//

#include "Evaluators.h"
#include "Kernels.h"

#include "qopt/Dialect/QNN/IR/QNN.h"

#include "llvm/ADT/TypeSwitch.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace mlir::qnn;
using namespace qopt;
using namespace qopt::interpreter;
using namespace qopt::interpreter::detail;

/// conv2d, depthwise_conv2d and fully_connected: padded taps hold real 0.
template <typename ContractionOp>
static Tensor evaluateContraction(ContractionOp op, const Contraction &c,
                                  const Environment &env) {
  const Tensor &input = env.get(op->getOperand(0));
  const Tensor &weights = env.get(op->getOperand(1));
  const Tensor *bias = op.getBias() ? &env.get(op.getBias()) : nullptr;
  std::vector<double> values = contract<double>(
      c, input.floats, weights.floats,
      [](double x, double w, int64_t) { return x * w; },
      [&](int64_t o) { return bias ? bias->floats[o] : 0.0; });
  return makeFloatTensor(getResultType(op), std::move(values));
}

/// gamma * (x - mean) / sqrt(variance + epsilon) + beta, per channel of the
/// innermost dimension.
static Tensor evaluateBatchNorm(BatchNormOp op, const Environment &env) {
  const Tensor &input = env.get(op.getInput());
  ArrayRef<double> gamma = env.get(op.getGamma()).floats;
  ArrayRef<double> beta = env.get(op.getBeta()).floats;
  ArrayRef<double> mean = env.get(op.getMean()).floats;
  ArrayRef<double> variance = env.get(op.getVariance()).floats;
  double epsilon = op.getEpsilon().convertToDouble();
  int64_t channels = input.getShape().back();
  std::vector<double> values;
  values.reserve(input.floats.size());
  for (auto [index, x] : llvm::enumerate(input.floats)) {
    int64_t c = index % channels;
    values.push_back(
        gamma[c] * (x - mean[c]) / std::sqrt(variance[c] + epsilon) + beta[c]);
  }
  return makeFloatTensor(getResultType(op), std::move(values));
}

template <typename Fn>
static Tensor evaluateElementwise(Operation *op, const Environment &env,
                                  Fn fn) {
  ArrayRef<double> lhs = env.get(op->getOperand(0)).floats;
  ArrayRef<double> rhs = env.get(op->getOperand(1)).floats;
  std::vector<double> values;
  values.reserve(lhs.size());
  for (auto [l, r] : llvm::zip_equal(lhs, rhs))
    values.push_back(fn(l, r));
  return makeFloatTensor(getResultType(op), std::move(values));
}

static Tensor evaluateClamp(ClampOp op, const Environment &env) {
  double min = op.getMin().convertToDouble();
  double max = op.getMax().convertToDouble();
  std::vector<double> values;
  for (double x : env.get(op.getInput()).floats)
    values.push_back(std::min(std::max(x, min), max));
  return makeFloatTensor(getResultType(op), std::move(values));
}

/// The mean of the window's taps inside the input.
static Tensor evaluateAvgPool(AvgPool2DOp op, const Environment &env) {
  const Tensor &input = env.get(op.getInput());
  RankedTensorType type = getResultType(op);
  std::vector<double> values(type.getNumElements());
  (void)pool<double>(
      input.getShape(), input.floats, getPoolWindow(op), type.getShape(),
      [](double sum, double value) { return sum + value; },
      [&](int64_t index, double sum, int64_t count) {
        values[index] = sum / count;
        return success();
      });
  return makeFloatTensor(type, std::move(values));
}

static Tensor evaluatePad(PadOp op, const Environment &env) {
  const Tensor &input = env.get(op.getInput());
  RankedTensorType type = getResultType(op);
  return makeFloatTensor(type, pad<double>(input.getShape(), input.floats,
                                           op.getPadding(), type.getShape(),
                                           op.getValue().convertToDouble()));
}

FailureOr<Tensor> interpreter::detail::evaluateFloatOp(Operation *op,
                                                       const Environment &env) {
  return llvm::TypeSwitch<Operation *, FailureOr<Tensor>>(op)
      .Case([&](Conv2DOp op) {
        return evaluateContraction(
            op, getConvContraction(op, false, op.getGroups()), env);
      })
      .Case([&](DepthwiseConv2DOp op) {
        return evaluateContraction(op, getConvContraction(op, true), env);
      })
      .Case([&](FullyConnectedOp op) {
        return evaluateContraction(op, getFullyConnectedContraction(op), env);
      })
      .Case([&](BatchNormOp op) { return evaluateBatchNorm(op, env); })
      .Case([&](AddOp op) {
        return evaluateElementwise(op, env,
                                   [](double l, double r) { return l + r; });
      })
      .Case([&](MulOp op) {
        return evaluateElementwise(op, env,
                                   [](double l, double r) { return l * r; });
      })
      .Case([&](ClampOp op) { return evaluateClamp(op, env); })
      .Case([&](AvgPool2DOp op) { return evaluateAvgPool(op, env); })
      .Case([&](PadOp op) { return evaluatePad(op, env); })
      // An identity that only records the range for quantization.
      .Case([&](RangeOp op) { return env.get(op.getInput()); })
      .Default([](Operation *op) -> FailureOr<Tensor> {
        return op->emitOpError(
            "is not supported by the reference interpreter at the float "
            "level");
      });
}
