//===- Contractions.cpp - qnn.int conv / FC to linalg.generic -------------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// qnn.int.fully_connected, qnn.int.conv2d and qnn.int.depthwise_conv2d become
// one reduction linalg.generic each, accumulating
//   acc[..., o] = bias[o] + sum (x - input_zp) * (w - filter_zp[o])
// in i32. The zero points are subtracted inside the loop body rather than
// with upstream's *_q named ops, which take only scalar zero points: the
// filter zero point may be per channel. After --qopt-expand-zero-points the
// input zero point is 0 and the filter's subtraction is the only one left.
// Padding becomes an explicit tensor.pad with the input zero point, whose
// taps contribute (input_zp - input_zp) * w = 0, as the op descriptions say.
//
//===----------------------------------------------------------------------===//

#include "Common.h"

#include "qopt/Dialect/QNN/IR/QNN.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::to_linalg;

namespace {

/// The operands and indexing of one contraction, in the loop space of its
/// linalg.generic.
struct ContractionSpec {
  Value input;
  bool inputUnsigned;
  int64_t inputZp;
  Value filter;
  bool filterUnsigned;
  ArrayRef<int64_t> filterZps;
  AffineMap inputMap;
  AffineMap filterMap;
  /// Loops to the output channel, to read per-channel filter zero points.
  AffineMap channelMap;
  AffineMap outputMap;
  SmallVector<utils::IteratorType> iterators;
};

} // namespace

/// The accumulator's initial value: the bias broadcast along every dimension
/// but the innermost (channel) one, or 0 without bias.
static Value createAccumulatorInit(OpBuilder &b, Location loc,
                                   RankedTensorType resultType, Value bias) {
  ArrayRef<int64_t> shape = resultType.getShape();
  if (!bias)
    return createFilledTensor(b, loc, shape, b.getI32Type(), 0);
  Value empty = tensor::EmptyOp::create(b, loc, shape, b.getI32Type());
  SmallVector<int64_t> broadcastDims =
      llvm::to_vector(llvm::seq<int64_t>(0, resultType.getRank() - 1));
  return linalg::BroadcastOp::create(b, loc, bias, empty, broadcastDims)
      .getResult()
      .front();
}

static Value buildContraction(OpBuilder &b, Location loc,
                              const ContractionSpec &spec, Value init) {
  SmallVector<Value> inputs = {spec.input, spec.filter};
  SmallVector<AffineMap> maps = {spec.inputMap, spec.filterMap};
  ChannelParam filterZp(b, loc, spec.filterZps, b.getI32Type(), spec.channelMap,
                        inputs, maps);
  maps.push_back(spec.outputMap);
  auto body = [&](OpBuilder &nb, Location nloc, ValueRange args) {
    Value x = subtractZeroPoint(
        nb, nloc, extendToI32(nb, nloc, args[0], spec.inputUnsigned),
        spec.inputZp);
    Value w = extendToI32(nb, nloc, args[1], spec.filterUnsigned);
    if (!filterZp.isUniform(0))
      w = arith::SubIOp::create(nb, nloc, w, filterZp.get(nb, nloc, args));
    Value product = arith::MulIOp::create(nb, nloc, x, w);
    Value sum = arith::AddIOp::create(nb, nloc, args.back(), product);
    linalg::YieldOp::create(nb, nloc, sum);
  };
  return linalg::GenericOp::create(b, loc, init.getType(), inputs, init, maps,
                                   spec.iterators, body)
      .getResult(0);
}

namespace {

struct FullyConnectedLowering
    : public OpConversionPattern<IntFullyConnectedOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(IntFullyConnectedOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = op.getContext();
    // Loops (n, o, k).
    AffineExpr n, o, k;
    bindDims(ctx, n, o, k);
    auto map = [&](ArrayRef<AffineExpr> exprs) {
      return AffineMap::get(3, 0, exprs, ctx);
    };
    ContractionSpec spec{adaptor.getInput(),
                         isUnsignedElement(op.getInput().getType()),
                         op.getInputZp(),
                         adaptor.getWeights(),
                         isUnsignedElement(op.getWeights().getType()),
                         op.getWeightsZp(),
                         map({n, k}),
                         map({o, k}),
                         map({o}),
                         map({n, o}),
                         {utils::IteratorType::parallel,
                          utils::IteratorType::parallel,
                          utils::IteratorType::reduction}};
    Value init = createAccumulatorInit(rewriter, loc, op.getResult().getType(),
                                       adaptor.getBias());
    rewriter.replaceOp(op, buildContraction(rewriter, loc, spec, init));
    return success();
  }
};

/// conv2d and depthwise_conv2d: the same window over NHWC, only the filter
/// indexing and the reduction over input channels differ.
template <typename ConvOp>
struct ConvLowering : public OpConversionPattern<ConvOp> {
  using OpConversionPattern<ConvOp>::OpConversionPattern;
  using OpAdaptor = typename ConvOp::Adaptor;
  static constexpr bool isDepthwise =
      std::is_same_v<ConvOp, IntDepthwiseConv2DOp>;

  LogicalResult
  matchAndRewrite(ConvOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = op.getContext();
    ArrayRef<int64_t> strides = op.getStrides();
    ArrayRef<int64_t> dilations = op.getDilations();
    Value input = padSpatial(rewriter, loc, adaptor.getInput(), op.getPadding(),
                             op.getInputZp());

    // Loops (n, y, x, o, ky, kx[, c]): conv2d also reduces over the input
    // channels c of o's group (input channel g * Cg + c of group
    // g = o / (O / groups), Cg = C / groups); depthwise output channel o
    // reads input channel o / (O / C) (the depth multiplier).
    unsigned numLoops = isDepthwise ? 6 : 7;
    SmallVector<AffineExpr> d;
    for (unsigned i = 0; i < numLoops; ++i)
      d.push_back(getAffineDimExpr(i, ctx));
    AffineExpr n = d[0], y = d[1], x = d[2], o = d[3], ky = d[4], kx = d[5];
    AffineExpr row = y * strides[0] + ky * dilations[0];
    AffineExpr col = x * strides[1] + kx * dilations[1];
    auto map = [&](ArrayRef<AffineExpr> exprs) {
      return AffineMap::get(numLoops, 0, exprs, ctx);
    };
    AffineMap inputMap, filterMap;
    if constexpr (isDepthwise) {
      int64_t inputChannels = op.getInput().getType().getShape()[3];
      int64_t multiplier =
          op.getResult().getType().getShape()[3] / inputChannels;
      inputMap = map({n, row, col, o.floorDiv(multiplier)});
      filterMap = map({getAffineConstantExpr(0, ctx), ky, kx, o});
    } else {
      AffineExpr c = d[6];
      int64_t groups = op.getGroups();
      AffineExpr channel = c;
      if (groups > 1) {
        int64_t groupOutputs = op.getResult().getType().getShape()[3] / groups;
        int64_t groupChannels = op.getFilter().getType().getShape()[3];
        channel = o.floorDiv(groupOutputs) * groupChannels + c;
      }
      inputMap = map({n, row, col, channel});
      filterMap = map({o, ky, kx, c});
    }
    SmallVector<utils::IteratorType> iterators(4,
                                               utils::IteratorType::parallel);
    iterators.append(numLoops - 4, utils::IteratorType::reduction);

    ContractionSpec spec{input,
                         isUnsignedElement(op.getInput().getType()),
                         op.getInputZp(),
                         adaptor.getFilter(),
                         isUnsignedElement(op.getFilter().getType()),
                         op.getFilterZp(),
                         inputMap,
                         filterMap,
                         map({o}),
                         map({n, y, x, o}),
                         iterators};
    Value init = createAccumulatorInit(rewriter, loc, op.getResult().getType(),
                                       adaptor.getBias());
    rewriter.replaceOp(op, buildContraction(rewriter, loc, spec, init));
    return success();
  }
};

} // namespace

void to_linalg::populateContractionPatterns(const TypeConverter &typeConverter,
                                            RewritePatternSet &patterns) {
  patterns.add<FullyConnectedLowering, ConvLowering<IntConv2DOp>,
               ConvLowering<IntDepthwiseConv2DOp>>(typeConverter,
                                                   patterns.getContext());
}
