//===- DataMovement.cpp - Ops that move values at any level ---------------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// qnn.reshape, qnn.transpose, qnn.concat and qnn.max_pool2d never compute on
// values, so they
// run alike on float values and on storage values (integer or quantized).
// Max pooling storage values is max pooling real values because scales are
// positive.
//
//===----------------------------------------------------------------------===//

#include "Evaluators.h"
#include "Kernels.h"

#include "qopt/Dialect/QNN/IR/QNN.h"

#include "llvm/ADT/TypeSwitch.h"

#include <algorithm>
#include <type_traits>

using namespace mlir;
using namespace mlir::qnn;
using namespace qopt;
using namespace qopt::interpreter;
using namespace qopt::interpreter::detail;

/// Applies `fn` to the float or the integer values of `tensor`, whichever it
/// holds, and returns a tensor of `type` with the result.
template <typename Fn>
static Tensor mapValues(const Tensor &tensor, RankedTensorType type, Fn fn) {
  if (tensor.isFloat())
    return Tensor{type, fn(&Tensor::floats), {}};
  return Tensor{type, {}, fn(&Tensor::ints)};
}

/// For each index of the dimensions before `axis`, the inputs' slabs in
/// operand order.
static Tensor evaluateConcat(ConcatOp op, const Environment &env) {
  RankedTensorType type = getResultType(op);
  ArrayRef<int64_t> shape = type.getShape();
  int64_t axis = op.getAxis();
  int64_t outer = 1, inner = 1;
  for (int64_t size : shape.take_front(axis))
    outer *= size;
  for (int64_t size : shape.drop_front(axis + 1))
    inner *= size;
  const Tensor &first = env.get(op.getInputs().front());
  return mapValues(first, type, [&](auto member) {
    std::decay_t<decltype(first.*member)> result;
    result.reserve(type.getNumElements());
    for (int64_t o = 0; o < outer; ++o)
      for (Value operand : op.getInputs()) {
        const Tensor &input = env.get(operand);
        int64_t slab = input.getShape()[axis] * inner;
        auto begin = (input.*member).begin() + o * slab;
        result.insert(result.end(), begin, begin + slab);
      }
    return result;
  });
}

/// Walks the result in row-major order, keeping the input position of the
/// current element: the result's dimension k steps the input by the stride of
/// input dimension permutation[k].
static Tensor evaluateTranspose(TransposeOp op, const Environment &env) {
  const Tensor &input = env.get(op.getInput());
  RankedTensorType type = getResultType(op);
  ArrayRef<int64_t> inShape = input.getShape();
  ArrayRef<int64_t> shape = type.getShape();
  ArrayRef<int64_t> permutation = op.getPermutation();
  int64_t rank = shape.size();
  SmallVector<int64_t> inStrides(rank, 1);
  for (int64_t d = rank - 2; d >= 0; --d)
    inStrides[d] = inStrides[d + 1] * inShape[d + 1];
  return mapValues(input, type, [&](auto member) {
    std::decay_t<decltype(input.*member)> result;
    result.reserve(type.getNumElements());
    SmallVector<int64_t> index(rank, 0);
    int64_t from = 0;
    for (int64_t i = 0, e = type.getNumElements(); i < e; ++i) {
      result.push_back((input.*member)[from]);
      // Increment the multi-index like an odometer.
      for (int64_t k = rank - 1; k >= 0; --k) {
        int64_t stride = inStrides[permutation[k]];
        if (++index[k] < shape[k]) {
          from += stride;
          break;
        }
        from -= (shape[k] - 1) * stride;
        index[k] = 0;
      }
    }
    return result;
  });
}

static Tensor evaluateMaxPool(MaxPool2DOp op, const Environment &env) {
  const Tensor &input = env.get(op.getInput());
  RankedTensorType type = getResultType(op);
  return mapValues(input, type, [&](auto member) {
    using Values = std::decay_t<decltype(input.*member)>;
    using T = typename Values::value_type;
    Values result(type.getNumElements());
    (void)pool<T>(
        input.getShape(), input.*member, getPoolWindow(op), type.getShape(),
        [](T max, T value) { return std::max(max, value); },
        [&](int64_t index, T max, int64_t) {
          result[index] = max;
          return success();
        });
    return result;
  });
}

FailureOr<Tensor>
interpreter::detail::evaluateDataMovementOp(Operation *op,
                                            const Environment &env) {
  return llvm::TypeSwitch<Operation *, FailureOr<Tensor>>(op)
      .Case([&](ReshapeOp op) {
        // The same elements in the same row-major order.
        Tensor result = env.get(op.getInput());
        result.type = getResultType(op);
        return result;
      })
      .Case([&](TransposeOp op) { return evaluateTranspose(op, env); })
      .Case([&](ConcatOp op) { return evaluateConcat(op, env); })
      .Case([&](MaxPool2DOp op) { return evaluateMaxPool(op, env); })
      .Default([](Operation *) -> FailureOr<Tensor> {
        llvm_unreachable("the driver sends only reshape, transpose, concat "
                         "and max_pool2d here");
      });
}
