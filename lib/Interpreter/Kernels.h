//===- Kernels.h - Loops and integer kernels shared by the levels -*- C++
//-*-===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// The one place where the arithmetic of each op is written down. The window
// loops (contraction, pooling, padding) are templates shared by every level.
// The integer kernels (contraction accumulators, rescale, TensorFlow Lite's
// add and mul, the rounding average) are shared by the quantized level, which
// derives their parameters from scales, and the integer level, which reads
// them from attributes, so that the two levels cannot drift apart.
//
// The integer kernels compute in int64 and check every value that TensorFlow
// Lite keeps in an int32: where it would leave int32 (undefined behaviour in
// the C++ kernels, wrapping in practice), the kernel emits an error at the op
// naming the element, instead of returning a value no implementation agrees
// on.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_LIB_INTERPRETER_KERNELS_H
#define QOPT_LIB_INTERPRETER_KERNELS_H

#include "qopt/Dialect/QNN/Utils/FixedPoint.h"
#include "qopt/Dialect/QNN/Utils/IntegerParams.h"
#include "qopt/Interpreter/Interpreter.h"

#include "mlir/IR/Operation.h"

#include <vector>

namespace qopt::interpreter::detail {

//===----------------------------------------------------------------------===//
// Window loops, at every level
//===----------------------------------------------------------------------===//

/// A 2-D window over the H and W dimensions of an NHWC tensor. Output
/// position y reads input rows y * strideH + ky * dilationH - padTop for
/// ky in [0, kernelH), and likewise for columns.
struct Window {
  int64_t kernelH, kernelW;
  int64_t strideH, strideW;
  int64_t dilationH, dilationW;
  int64_t padTop, padLeft;
};

/// The shapes of a contraction in the form of conv2d.
struct Contraction {
  bool depthwise;
  /// [N, H, W, C].
  mlir::SmallVector<int64_t, 4> inputShape;
  /// [O, KH, KW, C / groups], or [1, KH, KW, O] when depthwise.
  mlir::SmallVector<int64_t, 4> filterShape;
  /// [N, OH, OW, O].
  mlir::SmallVector<int64_t, 4> resultShape;
  Window window;
  /// conv2d's groups: output channel o reads the C / groups input channels
  /// of group o / (O / groups).
  int64_t groups = 1;
};

/// conv2d and depthwise_conv2d at every level share their attribute names;
/// only conv2d has `groups`.
template <typename ConvOp>
Contraction getConvContraction(ConvOp op, bool depthwise, int64_t groups = 1) {
  mlir::ArrayRef<int64_t> filter = op.getFilter().getType().getShape();
  mlir::ArrayRef<int64_t> strides = op.getStrides();
  mlir::ArrayRef<int64_t> dilations = op.getDilations();
  mlir::ArrayRef<int64_t> padding = op.getPadding();
  return Contraction{
      depthwise,
      mlir::SmallVector<int64_t, 4>(op.getInput().getType().getShape()),
      mlir::SmallVector<int64_t, 4>(filter),
      mlir::SmallVector<int64_t, 4>(op.getType().getShape()),
      Window{filter[1], filter[2], strides[0], strides[1], dilations[0],
             dilations[1], padding[0], padding[2]},
      groups};
}

/// fully_connected [N, K] x [O, K] -> [N, O] is the 1x1 conv2d
/// [N, 1, 1, K] x [O, 1, 1, K] -> [N, 1, 1, O]: the row-major layouts are the
/// same, so one loop serves both.
template <typename FullyConnectedOp>
Contraction getFullyConnectedContraction(FullyConnectedOp op) {
  mlir::ArrayRef<int64_t> input = op.getInput().getType().getShape();
  mlir::ArrayRef<int64_t> weights = op.getWeights().getType().getShape();
  return Contraction{/*depthwise=*/false,
                     {input[0], 1, 1, input[1]},
                     {weights[0], 1, 1, weights[1]},
                     {input[0], 1, 1, weights[0]},
                     Window{1, 1, 1, 1, 1, 1, 0, 0}};
}

template <typename PoolOp> Window getPoolWindow(PoolOp op) {
  mlir::ArrayRef<int64_t> kernel = op.getKernel();
  mlir::ArrayRef<int64_t> strides = op.getStrides();
  mlir::ArrayRef<int64_t> padding = op.getPadding();
  // Pooling windows are not dilated.
  return Window{kernel[0], kernel[1], strides[0], strides[1],
                1,         1,         padding[0], padding[2]};
}

/// The loop of every contraction:
///   result[n, y, x, o] = sum term(input[n, iy, ix, c], filter[...], o)
///                        + bias(o)
/// over the taps whose input position (iy, ix) lies inside the input. Taps in
/// the padding hold real 0 and contribute nothing, at the quantized level
/// because q - Z = 0 there; skipping them is TensorFlow Lite's reference
/// loop. conv2d sums over (ky, kx, c) with filter[o, ky, kx, c] and input
/// channel g * C / groups + c of o's group g = o / (O / groups); depthwise
/// over (ky, kx) with filter[0, ky, kx, o] and input channel
/// c = o / (O / C). The bias is added after the sum, as TensorFlow Lite's
/// float kernels do (for integers the order does not matter).
template <typename T, typename Term, typename Bias>
std::vector<T> contract(const Contraction &c, mlir::ArrayRef<T> input,
                        mlir::ArrayRef<T> filter, Term term, Bias bias) {
  const Window &w = c.window;
  int64_t height = c.inputShape[1], width = c.inputShape[2];
  int64_t channels = c.inputShape[3];
  int64_t outH = c.resultShape[1], outW = c.resultShape[2];
  int64_t outChannels = c.resultShape[3];
  int64_t depthMultiplier = c.depthwise ? outChannels / channels : 1;
  int64_t groupChannels = channels / c.groups;
  int64_t groupOutputs = outChannels / c.groups;
  std::vector<T> result(c.resultShape[0] * outH * outW * outChannels);
  auto out = result.begin();
  for (int64_t n = 0; n < c.resultShape[0]; ++n)
    for (int64_t y = 0; y < outH; ++y)
      for (int64_t x = 0; x < outW; ++x)
        for (int64_t o = 0; o < outChannels; ++o) {
          T sum = 0;
          for (int64_t ky = 0; ky < w.kernelH; ++ky) {
            int64_t iy = y * w.strideH + ky * w.dilationH - w.padTop;
            if (iy < 0 || iy >= height)
              continue;
            for (int64_t kx = 0; kx < w.kernelW; ++kx) {
              int64_t ix = x * w.strideW + kx * w.dilationW - w.padLeft;
              if (ix < 0 || ix >= width)
                continue;
              const T *pixel =
                  &input[((n * height + iy) * width + ix) * channels];
              if (c.depthwise) {
                sum += term(pixel[o / depthMultiplier],
                            filter[(ky * w.kernelW + kx) * outChannels + o], o);
                continue;
              }
              const T *taps = &filter[((o * w.kernelH + ky) * w.kernelW + kx) *
                                      groupChannels];
              const T *group = pixel + o / groupOutputs * groupChannels;
              for (int64_t ch = 0; ch < groupChannels; ++ch)
                sum += term(group[ch], taps[ch], o);
            }
          }
          *out++ = sum + bias(o);
        }
  return result;
}

/// The loop of 2-D pooling: for each output element (n, y, x, ch), in
/// row-major order, folds the input values of the window's taps inside the
/// input with `reduce(accumulator, value)`, starting from the first such tap,
/// and passes the result and the number of taps to
/// `finish(outputIndex, accumulator, count)`, which may fail. Padded
/// positions are excluded, as in TensorFlow Lite; the verifier's "padding
/// smaller than the kernel" leaves every window at least one tap.
template <typename T, typename Reduce, typename Finish>
mlir::LogicalResult pool(mlir::ArrayRef<int64_t> inputShape,
                         mlir::ArrayRef<T> input, const Window &w,
                         mlir::ArrayRef<int64_t> resultShape, Reduce reduce,
                         Finish finish) {
  int64_t height = inputShape[1], width = inputShape[2];
  int64_t channels = inputShape[3];
  int64_t index = 0;
  for (int64_t n = 0; n < resultShape[0]; ++n)
    for (int64_t y = 0; y < resultShape[1]; ++y)
      for (int64_t x = 0; x < resultShape[2]; ++x)
        for (int64_t ch = 0; ch < channels; ++ch, ++index) {
          T accumulator = 0;
          int64_t count = 0;
          for (int64_t ky = 0; ky < w.kernelH; ++ky) {
            int64_t iy = y * w.strideH + ky - w.padTop;
            if (iy < 0 || iy >= height)
              continue;
            for (int64_t kx = 0; kx < w.kernelW; ++kx) {
              int64_t ix = x * w.strideW + kx - w.padLeft;
              if (ix < 0 || ix >= width)
                continue;
              T value = input[((n * height + iy) * width + ix) * channels + ch];
              accumulator = count++ == 0 ? value : reduce(accumulator, value);
            }
          }
          if (mlir::failed(finish(index, accumulator, count)))
            return mlir::failure();
        }
  return mlir::success();
}

/// Padding at every level: `values` of shape `shape` placed at offset
/// padding[2 * d] along each dimension d of a tensor of shape `resultShape`
/// filled with `fill`.
template <typename T>
std::vector<T> pad(mlir::ArrayRef<int64_t> shape, mlir::ArrayRef<T> values,
                   mlir::ArrayRef<int64_t> padding,
                   mlir::ArrayRef<int64_t> resultShape, T fill) {
  int64_t resultSize = 1;
  for (int64_t size : resultShape)
    resultSize *= size;
  std::vector<T> result(resultSize, fill);
  int64_t rank = shape.size();
  for (int64_t linear = 0, e = values.size(); linear < e; ++linear) {
    // Peel the input index off from the innermost dimension, accumulating
    // the result index with the result's strides.
    int64_t rest = linear, target = 0, stride = 1;
    for (int64_t d = rank - 1; d >= 0; --d) {
      target += (rest % shape[d] + padding[2 * d]) * stride;
      rest /= shape[d];
      stride *= resultShape[d];
    }
    result[target] = values[linear];
  }
  return result;
}

//===----------------------------------------------------------------------===//
// Integer kernels, shared by the quantized and the integer level
//===----------------------------------------------------------------------===//

/// The zero points and bias of an integer contraction.
struct ContractionOffsets {
  int64_t inputZp;
  /// One weight zero point, or one per output channel.
  mlir::ArrayRef<int64_t> weightsZp;
  /// The int32 bias, one value per output channel, or null.
  const Tensor *bias;
};

/// The int32 accumulators of a contraction of storage values:
///   acc = sum (q_in - Z_in)(q_w - Z_w[o]) + bias[o]
/// (Jacob et al., eq. 7), in the layout of c.resultShape. TensorFlow Lite
/// sums in int32 with wrapping adds, which are exact modulo 2^32, so only the
/// final value must fit: one that does not is an error at `op`. The storage
/// values are at most 16 bits wide, so the int64 sum itself is exact.
mlir::FailureOr<std::vector<int64_t>> computeAccumulators(
    mlir::Operation *op, const Contraction &c, mlir::ArrayRef<int64_t> input,
    mlir::ArrayRef<int64_t> filter, const ContractionOffsets &offsets);

/// The requantization at the end of a contraction and of requantize,
/// rescale and average pooling:
///   clamp(MultiplyByQuantizedMultiplier(x - inputZp, M[c], rounding)
///         + outputZp, min, max)
/// with c the index along the innermost dimension when there is more than
/// one multiplier.
struct RescaleParams {
  int64_t inputZp;
  mlir::ArrayRef<mlir::qnn::QuantizedMultiplier> multipliers;
  mlir::qnn::RoundingMode rounding;
  int64_t outputZp;
  int64_t min, max;
};

mlir::FailureOr<std::vector<int64_t>> rescale(mlir::Operation *op,
                                              mlir::ArrayRef<int64_t> shape,
                                              mlir::ArrayRef<int64_t> values,
                                              const RescaleParams &params);

/// TensorFlow Lite's integer Add (reference_ops::AddElementwise):
///   a = MultiplyByQuantizedMultiplier((lhs - lhsZp) * 2^leftShift, M_lhs)
///   b = MultiplyByQuantizedMultiplier((rhs - rhsZp) * 2^leftShift, M_rhs)
///   result = clamp(MultiplyByQuantizedMultiplier(a + b, M_out) + outputZp)
struct AddKernelParams {
  int64_t lhsZp, rhsZp, outputZp;
  mlir::qnn::AddParams multipliers;
  mlir::qnn::RoundingMode rounding;
  int64_t min, max;
};

mlir::FailureOr<std::vector<int64_t>> add(mlir::Operation *op,
                                          mlir::ArrayRef<int64_t> shape,
                                          mlir::ArrayRef<int64_t> lhs,
                                          mlir::ArrayRef<int64_t> rhs,
                                          const AddKernelParams &params);

/// TensorFlow Lite's integer Mul:
///   clamp(MultiplyByQuantizedMultiplier((lhs - lhsZp) * (rhs - rhsZp), M)
///         + outputZp)
struct MulKernelParams {
  int64_t lhsZp, rhsZp, outputZp;
  mlir::qnn::QuantizedMultiplier multiplier;
  mlir::qnn::RoundingMode rounding;
  int64_t min, max;
};

mlir::FailureOr<std::vector<int64_t>> multiply(mlir::Operation *op,
                                               mlir::ArrayRef<int64_t> shape,
                                               mlir::ArrayRef<int64_t> lhs,
                                               mlir::ArrayRef<int64_t> rhs,
                                               const MulKernelParams &params);

/// qnn.int.avg_pool2d: the sum of the storage values of each window's taps
/// inside the input (an int32 in TensorFlow Lite, checked here), centred on
/// `zeroPoint`, divided by their count and rounded to nearest with `ties`,
/// moved back by `zeroPoint`. TensorFlow Lite's AveragePool is
/// (AwayFromZero, 0), PyTorch's qnnpack one (ToEven, Z). Callers clamp or
/// rescale the result.
mlir::FailureOr<std::vector<int64_t>>
averagePool(mlir::Operation *op, mlir::ArrayRef<int64_t> inputShape,
            mlir::ArrayRef<int64_t> input, const Window &window,
            mlir::ArrayRef<int64_t> resultShape, mlir::qnn::Ties ties,
            int64_t zeroPoint);

/// Each value clamped to [min, max].
std::vector<int64_t> clamp(mlir::ArrayRef<int64_t> values, int64_t min,
                           int64_t max);

} // namespace qopt::interpreter::detail

#endif // QOPT_LIB_INTERPRETER_KERNELS_H
