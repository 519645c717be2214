//===- FoldBatchNorm.cpp - Fold qnn.batch_norm before quantization --------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// --qopt-fold-batch-norm removes every qnn.batch_norm with constant parameters
// before quantization: it folds the batch norm into the constants of the
// contraction that produces its input or, when there is none to fold into,
// rewrites it as the 1x1 depthwise convolution it is. Either way the weights
// are quantized after folding (Jacob et al. 2018, section 3.2).
//
//===----------------------------------------------------------------------===//

#include "qopt/Dialect/QNN/IR/QNN.h"
#include "qopt/Dialect/QNN/Transforms/Numerics.h"
#include "qopt/Dialect/QNN/Transforms/Passes.h"
#include "qopt/Dialect/QNN/Transforms/Patterns.h"
#include "qopt/Dialect/QNN/Utils/ConstantValues.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>
#include <optional>

namespace mlir::qnn {
#define GEN_PASS_DEF_FOLDBATCHNORMPASS
#include "qopt/Dialect/QNN/Transforms/Passes.h.inc"
} // namespace mlir::qnn

using namespace mlir;
using namespace mlir::qnn;

//===----------------------------------------------------------------------===//
// Batch-norm arithmetic
//===----------------------------------------------------------------------===//

namespace {

/// Inference batch norm is an affine map per channel `c`:
///
///   bn(x)[c] = gamma[c] * (x[c] - mean[c]) / sqrt(variance[c] + epsilon)
///              + beta[c]
///            = s[c] * x[c] + beta[c] - mean[c] * s[c],
///   s[c]     = gamma[c] / sqrt(variance[c] + epsilon).
///
/// Applied to a contraction `x[o] = sum_k w[o, k] * in[k] + b[o]`:
///
///   bn(x)[o] = sum_k (w[o, k] * s[o]) * in[k]
///              + beta[o] + (b[o] - mean[o]) * s[o]
///
/// so `w_fold = w * s[o]` along the output-channel axis and `b_fold[o] =
/// beta[o] + (b[o] - mean[o]) * s[o]`. Without a contraction to fold into
/// (`w` the identity, `b = 0`) the batch norm is a 1x1 depthwise convolution
/// with weights `s` and bias `beta - mean * s`.
///
/// By default everything is computed in double from the constants and
/// rounded once, to the element type of the folded constants. With
/// `float32`, every operation is a float32 operation in the order of
/// PyTorch's fuse_conv_bn_weights (torch/nn/utils/fusion.py), which is what
/// a model converted by PyTorch holds:
///
///   r = 1 / sqrt(variance + epsilon)        torch.rsqrt: sqrt, then divide
///   s = gamma * r,   w_fold = w * s
///   b_fold = ((b - mean) * r) * gamma + beta
struct ChannelAffine {
  SmallVector<double> scale; // s
  SmallVector<double> gamma;
  SmallVector<double> invStd; // r, float32 mode only
  SmallVector<double> beta;
  SmallVector<double> mean;
  bool float32 = false;

  /// `w * s[o]`, rounded as the mode computes it.
  double foldWeight(double w, size_t o) const {
    if (float32)
      return static_cast<float>(w) * static_cast<float>(scale[o]);
    return w * scale[o];
  }

  /// `b_fold` for the contraction bias `bias`; empty means no bias (b = 0).
  SmallVector<double> foldBias(ArrayRef<double> bias) const {
    SmallVector<double> folded;
    folded.reserve(scale.size());
    for (size_t o = 0, e = scale.size(); o < e; ++o) {
      double b = bias.empty() ? 0.0 : bias[o];
      if (!float32) {
        folded.push_back(beta[o] + (b - mean[o]) * scale[o]);
        continue;
      }
      float centred = static_cast<float>(b) - static_cast<float>(mean[o]);
      float normalized = centred * static_cast<float>(invStd[o]);
      folded.push_back(normalized * static_cast<float>(gamma[o]) +
                       static_cast<float>(beta[o]));
    }
    return folded;
  }
};

/// What the fold reads of a contraction.
struct Contraction {
  Value weights;
  Value bias; // null when the contraction has none
  /// Output-channel axis of the weights (the per-channel axis of the layout).
  unsigned channelAxis;
};

} // namespace

/// `values` rounded to nearest (ties to even) in the element type of `type`.
/// Fails if a value is not finite there: overflow, or parameters such as an
/// infinite gamma.
static FailureOr<DenseElementsAttr> getElementsAttr(RankedTensorType type,
                                                    ArrayRef<double> values) {
  // f32 and f64 without APFloat, several times faster on a network's
  // weights: a double converts to float rounding to nearest, ties to even,
  // overflowing to infinity, as APFloat::convert does below.
  Type elementType = type.getElementType();
  if (elementType.isF32()) {
    SmallVector<float> elements = llvm::map_to_vector(
        values, [](double v) { return static_cast<float>(v); });
    if (!llvm::all_of(elements, [](float v) { return std::isfinite(v); }))
      return failure();
    return DenseElementsAttr::get(type, ArrayRef<float>(elements));
  }
  if (elementType.isF64()) {
    if (!llvm::all_of(values, [](double v) { return std::isfinite(v); }))
      return failure();
    return DenseElementsAttr::get(type, values);
  }
  const llvm::fltSemantics &semantics =
      cast<FloatType>(elementType).getFloatSemantics();
  SmallVector<APFloat> elements;
  elements.reserve(values.size());
  for (double value : values) {
    APFloat element(value);
    bool losesInfo;
    element.convert(semantics, APFloat::rmNearestTiesToEven, &losesInfo);
    if (!element.isFinite())
      return failure();
    elements.push_back(element);
  }
  return DenseElementsAttr::get(type, elements);
}

/// `s`, `beta` and `mean` of a batch norm whose parameters are constants.
static FailureOr<ChannelAffine> getChannelAffine(BatchNormOp op,
                                                 PatternRewriter &rewriter,
                                                 bool float32) {
  std::optional<SmallVector<double>> gamma = getFloatConstantValues(op.getGamma());
  std::optional<SmallVector<double>> beta = getFloatConstantValues(op.getBeta());
  std::optional<SmallVector<double>> mean = getFloatConstantValues(op.getMean());
  std::optional<SmallVector<double>> variance =
      getFloatConstantValues(op.getVariance());
  if (!gamma || !beta || !mean || !variance)
    return rewriter.notifyMatchFailure(
        op, "gamma, beta, mean and variance must be constant float tensors");
  // The verifier matches each vector against the channel dimension, which
  // says nothing when that dimension is dynamic.
  size_t channels = gamma->size();
  if (beta->size() != channels || mean->size() != channels ||
      variance->size() != channels)
    return rewriter.notifyMatchFailure(
        op, "gamma, beta, mean and variance differ in length");

  double epsilon = op.getEpsilon().convertToDouble();
  ChannelAffine affine;
  affine.float32 = float32;
  affine.scale.reserve(channels);
  for (auto [g, v] : llvm::zip_equal(*gamma, *variance)) {
    // Also rejects a NaN variance.
    if (!(v + epsilon > 0.0))
      return rewriter.notifyMatchFailure(
          op, "variance + epsilon must be positive in every channel");
    if (!float32) {
      affine.scale.push_back(g / std::sqrt(v + epsilon));
      continue;
    }
    float shifted = static_cast<float>(v) + static_cast<float>(epsilon);
    float r = 1.0f / std::sqrt(shifted);
    affine.invStd.push_back(r);
    affine.scale.push_back(static_cast<float>(g) * r);
  }
  affine.gamma = std::move(*gamma);
  affine.beta = std::move(*beta);
  affine.mean = std::move(*mean);
  return affine;
}

/// The weights, bias and channel axis of `op` if it is a contraction.
static std::optional<Contraction> matchContraction(Operation *op) {
  return TypeSwitch<Operation *, std::optional<Contraction>>(op)
      .Case([](Conv2DOp conv) { // OHWI
        return Contraction{conv.getFilter(), conv.getBias(), /*channelAxis=*/0};
      })
      .Case([](DepthwiseConv2DOp conv) { // 1HWO
        return Contraction{conv.getFilter(), conv.getBias(), /*channelAxis=*/3};
      })
      .Case([](FullyConnectedOp fc) { // [O, K]
        return Contraction{fc.getWeights(), fc.getBias(), /*channelAxis=*/0};
      })
      .Default([](Operation *) { return std::nullopt; });
}

/// A copy of the contraction `op` (same input, attributes (window, groups)
/// and result type) with other weights and bias.
static Value createWithConstants(PatternRewriter &rewriter, Location loc,
                                 Operation *op, Value weights, Value bias) {
  SmallVector<Value> operands = {op->getOperand(0), weights};
  if (bias)
    operands.push_back(bias);
  OperationState state(loc, op->getName(), operands, op->getResultTypes(),
                       op->getAttrs());
  return rewriter.create(state)->getResult(0);
}

//===----------------------------------------------------------------------===//
// Patterns
//===----------------------------------------------------------------------===//

namespace {

/// Folds a batch norm into the conv2d, depthwise_conv2d or fully_connected
/// with constant weights (and bias) that produces its input, possibly through
/// qnn.range markers. The markers are dropped: they record the range of the
/// pre-norm value, which no longer exists; the range after the batch norm is
/// the one of the folded contraction.
struct FoldIntoContraction : OpRewritePattern<BatchNormOp> {
  FoldIntoContraction(MLIRContext *context, bool float32)
      : OpRewritePattern(context, /*benefit=*/2), float32(float32) {}
  bool float32;

  LogicalResult matchAndRewrite(BatchNormOp op,
                                PatternRewriter &rewriter) const override {
    // Folding changes the contraction's result, so nothing but the batch
    // norm may read it, directly or through the markers.
    SmallVector<RangeOp> markers;
    Value preNorm = op.getInput();
    while (true) {
      if (!preNorm.hasOneUse())
        return rewriter.notifyMatchFailure(
            op, "the pre-norm value has other users");
      auto marker = preNorm.getDefiningOp<RangeOp>();
      if (!marker)
        break;
      markers.push_back(marker);
      preNorm = marker.getInput();
    }
    Operation *producer = preNorm.getDefiningOp();
    std::optional<Contraction> contraction =
        producer ? matchContraction(producer) : std::nullopt;
    if (!contraction)
      return rewriter.notifyMatchFailure(
          op, "input is not produced by conv2d, depthwise_conv2d or "
              "fully_connected");

    // A weight observer's range (a qnn.range on the weights) describes the
    // folded weights, as PyTorch's QAT ConvBn modules observe them: it moves
    // to the folded constant.
    auto weightsMarker = contraction->weights.getDefiningOp<RangeOp>();
    Value weightsValue =
        weightsMarker ? weightsMarker.getInput() : contraction->weights;
    std::optional<SmallVector<double>> weights =
        getFloatConstantValues(weightsValue);
    if (!weights)
      return rewriter.notifyMatchFailure(
          op, "the contraction's weights are not a constant float tensor");
    SmallVector<double> bias; // empty: no bias
    if (contraction->bias) {
      std::optional<SmallVector<double>> values =
          getFloatConstantValues(contraction->bias);
      if (!values)
        return rewriter.notifyMatchFailure(
            op, "the contraction's bias is not a constant float tensor");
      bias = std::move(*values);
    }
    FailureOr<ChannelAffine> affine = getChannelAffine(op, rewriter, float32);
    if (failed(affine))
      return failure();

    auto weightsType = cast<RankedTensorType>(contraction->weights.getType());
    ArrayRef<int64_t> shape = weightsType.getShape();
    unsigned axis = contraction->channelAxis;
    int64_t channels = shape[axis];
    if (static_cast<int64_t>(affine->scale.size()) != channels)
      return rewriter.notifyMatchFailure(op, [&](Diagnostic &diag) {
        diag << "the batch norm has " << affine->scale.size()
             << " channels, the contraction " << channels;
      });

    // In row-major order the output channel of flat index i is
    // (i / inner) % channels, where inner is the product of the dimensions
    // after the channel axis.
    int64_t inner = 1;
    for (int64_t size : shape.drop_front(axis + 1))
      inner *= size;
    SmallVector<double> foldedWeights;
    foldedWeights.reserve(weights->size());
    for (auto [i, w] : llvm::enumerate(*weights))
      foldedWeights.push_back(
          affine->foldWeight(w, (i / inner) % channels));

    auto biasType =
        RankedTensorType::get({channels}, weightsType.getElementType());
    FailureOr<DenseElementsAttr> weightsAttr =
        getElementsAttr(weightsType, foldedWeights);
    FailureOr<DenseElementsAttr> biasAttr =
        getElementsAttr(biasType, affine->foldBias(bias));
    if (failed(weightsAttr) || failed(biasAttr))
      return rewriter.notifyMatchFailure(
          op, "a folded weight or bias is not finite in the element type");

    Location loc = rewriter.getFusedLoc({producer->getLoc(), op.getLoc()});
    Value foldedWeightsValue =
        arith::ConstantOp::create(rewriter, loc, *weightsAttr);
    if (weightsMarker)
      foldedWeightsValue =
          RangeOp::create(rewriter, weightsMarker.getLoc(), foldedWeightsValue,
                          weightsMarker->getAttrs());
    Value foldedBiasValue = arith::ConstantOp::create(rewriter, loc, *biasAttr);
    rewriter.replaceOp(op, createWithConstants(rewriter, loc, producer,
                                               foldedWeightsValue,
                                               foldedBiasValue));
    // Each marker's only user was the next one towards the batch norm.
    for (RangeOp marker : markers)
      rewriter.eraseOp(marker);
    rewriter.eraseOp(producer);
    return success();
  }
};

/// The qnn.range marking `value`, if it is the only one.
static RangeOp getOnlyMarker(Value value) {
  RangeOp marker;
  for (Operation *user : value.getUsers())
    if (auto range = dyn_cast<RangeOp>(user)) {
      if (marker)
        return RangeOp();
      marker = range;
    }
  return marker;
}

/// Rewrites a batch norm that has no contraction to fold into as the
/// per-channel scale and shift it is, a 1x1 depthwise convolution, which the
/// quantization passes treat like any other layer. `[N, C]` tensors go
/// through `[N, 1, 1, C]`.
struct RewriteAsDepthwise : OpRewritePattern<BatchNormOp> {
  RewriteAsDepthwise(MLIRContext *context, bool float32)
      : OpRewritePattern(context, /*benefit=*/1), float32(float32) {}
  bool float32;

  LogicalResult matchAndRewrite(BatchNormOp op,
                                PatternRewriter &rewriter) const override {
    RankedTensorType type = op.getType();
    int64_t rank = type.getRank();
    if (rank != 4 && rank != 2)
      return rewriter.notifyMatchFailure(
          op, "only NHWC (rank 4) and NC (rank 2) tensors map onto a depthwise "
              "convolution");
    FailureOr<ChannelAffine> affine = getChannelAffine(op, rewriter, float32);
    if (failed(affine))
      return failure();

    Type elementType = type.getElementType();
    auto channels = static_cast<int64_t>(affine->scale.size());
    FailureOr<DenseElementsAttr> filterAttr = getElementsAttr(
        RankedTensorType::get({1, 1, 1, channels}, elementType), affine->scale);
    FailureOr<DenseElementsAttr> biasAttr =
        getElementsAttr(RankedTensorType::get({channels}, elementType),
                        affine->foldBias(/*bias=*/{}));
    if (failed(filterAttr) || failed(biasAttr))
      return rewriter.notifyMatchFailure(
          op, "a scale or shift is not finite in the element type");

    Location loc = op.getLoc();
    Value input = op.getInput();
    RankedTensorType nhwcType = type;
    if (rank == 2) {
      nhwcType = RankedTensorType::get(
          {type.getDimSize(0), 1, 1, type.getDimSize(1)}, elementType);
      input = ReshapeOp::create(rewriter, loc, nhwcType, input);
    }
    Value filter = arith::ConstantOp::create(rewriter, loc, *filterAttr);
    Value bias = arith::ConstantOp::create(rewriter, loc, *biasAttr);
    Value result =
        DepthwiseConv2DOp::create(rewriter, loc, nhwcType, input, filter, bias);
    if (rank == 2) {
      // The markers of the batch norm's result give the convolution its
      // range: on the reshape back alone they would leave the convolution
      // without one (a reshape keeps its input's parameters).
      for (RangeOp marker = getOnlyMarker(op.getResult()); marker;
           marker = getOnlyMarker(marker.getResult()))
        result = RangeOp::create(rewriter, marker.getLoc(), nhwcType, result,
                                 marker->getAttrs());
      result = ReshapeOp::create(rewriter, loc, type, result);
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Pass
//===----------------------------------------------------------------------===//

template <typename OpTy>
static int64_t countOps(Operation *root) {
  int64_t count = 0;
  root->walk([&](OpTy) { ++count; });
  return count;
}

struct FoldBatchNormPass : qnn::impl::FoldBatchNormPassBase<FoldBatchNormPass> {
  using Base::Base;

  void runOnOperation() override {
    FailureOr<Numerics> chosen = getNumerics(getOperation(), numerics);
    if (failed(chosen))
      return signalPassFailure();
    bool float32 = chosen->float32BatchNorm;
    if (!precision.empty() && precision != "double" && precision != "float32") {
      emitError(getOperation().getLoc())
          << "unknown precision '" << precision
          << "'; expected double or float32";
      return signalPassFailure();
    }
    if (!precision.empty())
      float32 = precision == "float32";
    RewritePatternSet patterns(&getContext());
    populateFoldBatchNormPatterns(patterns, float32);
    // The patterns stay free of pass state: what they did is counted from
    // the ops. Folding replaces a contraction by one of the same kind, so
    // every new depthwise convolution is a converted batch norm.
    Operation *func = getOperation();
    int64_t batchNorms = countOps<BatchNormOp>(func);
    int64_t depthwise = countOps<DepthwiseConv2DOp>(func);
    if (failed(applyPatternsGreedily(func, std::move(patterns))))
      return signalPassFailure();
    int64_t converted = countOps<DepthwiseConv2DOp>(func) - depthwise;
    numConverted += converted;
    numFolded += batchNorms - countOps<BatchNormOp>(func) - converted;
  }
};

} // namespace

void mlir::qnn::populateFoldBatchNormPatterns(RewritePatternSet &patterns,
                                              bool float32) {
  // Both patterns match every batch norm with constant parameters; folding
  // must win (its benefit is higher), since the depthwise form keeps a layer
  // that folding removes.
  patterns.add<FoldIntoContraction, RewriteAsDepthwise>(patterns.getContext(),
                                                        float32);
}
