//===- Pooling.cpp - qnn pooling ops to linalg.generic --------------------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// Max and average pooling over NHWC as window reductions: loops
// (n, y, x, c, ky, kx), the window extents given by an otherwise unused
// [KH, KW] operand as in upstream's linalg.pooling_* ops. Padded positions
// are excluded from both: max pooling pads with the smallest storage value,
// average pooling pads with 0 and divides by the number of real positions.
//
//===----------------------------------------------------------------------===//

#include "Common.h"

#include "qopt/Codegen/Common/LayerKernels.h"
#include "qopt/Dialect/QNN/IR/QNN.h"
#include "qopt/Dialect/QNN/Utils/IntegerParams.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Interfaces/LoopLikeInterface.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::to_linalg;

/// Reduces every window of the padded NHWC `input` into `init` (NHWC, the
/// result's shape, or a part of it) with `combine(accumulator, element)`:
/// the window of init[n, y, x, c] is input[n, y * sy + origin[0] + ky, x *
/// sx + origin[1] + kx, c] for [ky, kx] < `kernel`.
static Value buildWindowReduction(
    OpBuilder &b, Location loc, Value input, Value init,
    ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
    function_ref<Value(OpBuilder &, Location, Value, Value)> combine,
    ArrayRef<int64_t> origin = {0, 0}) {
  MLIRContext *ctx = b.getContext();
  AffineExpr n, y, x, c, ky, kx;
  bindDims(ctx, n, y, x, c, ky, kx);
  auto map = [&](ArrayRef<AffineExpr> exprs) {
    return AffineMap::get(6, 0, exprs, ctx);
  };
  Value window = tensor::EmptyOp::create(b, loc, kernel,
                                         getElementTypeOrSelf(input.getType()));
  SmallVector<AffineMap> maps = {
      map({n, y * strides[0] + origin[0] + ky, x * strides[1] + origin[1] + kx,
           c}),
      map({ky, kx}), map({n, y, x, c})};
  SmallVector<utils::IteratorType> iterators(4, utils::IteratorType::parallel);
  iterators.append(2, utils::IteratorType::reduction);
  return linalg::GenericOp::create(
             b, loc, init.getType(), ValueRange{input, window}, init, maps,
             iterators,
             [&](OpBuilder &nb, Location nloc, ValueRange args) {
               linalg::YieldOp::create(nb, nloc,
                                       combine(nb, nloc, args[2], args[0]));
             })
      .getResult(0);
}

/// Below this many window positions (outputs times taps) a max pool takes
/// less time on one thread than forking threads does. ResNet-18's 3x3 / 2
/// over 112x112x64, whose inside region has 1.74M, took 18.9 us on one
/// thread, 26.8 us at two threads on one (its input written by the other
/// core) and 19.0 us shared out (Zen 5, medians of an in-process A/B): at
/// 2^18, about 3 us of work, half of it saved is a fork and a join.
static constexpr int64_t kMinParallelPoolWork = int64_t(1) << 18;

/// buildWindowReduction of the windows of `op`'s result part `init`, as an
/// scf.for over its output rows marked for --qopt-parallelize-tiles when
/// there is enough work and `op` is in no loop (which a region of threads
/// would run once per iteration): a row's windows read input rows only and
/// write that row alone. Stated by an analysis remark
/// (--remarks-filter=qopt-parallel-tiles).
static Value buildRowsOfWindowReduction(
    OpBuilder &b, Location loc, Operation *op, Value input, Value init,
    ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
    function_ref<Value(OpBuilder &, Location, Value, Value)> combine,
    ArrayRef<int64_t> origin = {0, 0}) {
  auto type = cast<RankedTensorType>(init.getType());
  ArrayRef<int64_t> shape = type.getShape();
  int64_t work = type.getNumElements() * kernel[0] * kernel[1];
  bool shared = work >= kMinParallelPoolWork && shape[1] > 1 &&
                !op->getParentOfType<LoopLikeOpInterface>();
  qopt::codegen::remarkThreadSplit(
      loc, llvm::formatv("window reduction of {0} outputs of {1}x{2} taps: {3}",
                         type.getNumElements(), kernel[0], kernel[1],
                         shared ? "threads share out blocks of its output rows"
                                : "one thread (less work than forking "
                                  "threads, or in a loop)")
               .str());
  if (!shared)
    return buildWindowReduction(b, loc, input, init, kernel, strides, combine,
                                origin);
  ArrayRef<int64_t> inputShape =
      cast<RankedTensorType>(input.getType()).getShape();
  auto index = [&](OpBuilder &ib, int64_t v) -> Value {
    return arith::ConstantIndexOp::create(ib, loc, v);
  };
  SmallVector<OpFoldResult> unit(4, b.getIndexAttr(1));
  auto loop = scf::ForOp::create(
      b, loc, index(b, 0), index(b, shape[1]), index(b, 1), init,
      [&](OpBuilder &lb, Location lloc, Value y, ValueRange args) {
        Value top = arith::AddIOp::create(
            lb, lloc,
            arith::MulIOp::create(lb, lloc, y, index(lb, strides[0])),
            index(lb, origin[0]));
        SmallVector<OpFoldResult> inputOffsets = {
            lb.getIndexAttr(0), top, lb.getIndexAttr(0), lb.getIndexAttr(0)};
        SmallVector<OpFoldResult> inputSizes = getAsIndexOpFoldResult(
            lb.getContext(),
            {inputShape[0], kernel[0], inputShape[2], inputShape[3]});
        Value rows = tensor::ExtractSliceOp::create(lb, lloc, input,
                                                    inputOffsets, inputSizes,
                                                    unit);
        SmallVector<OpFoldResult> offsets = {
            lb.getIndexAttr(0), y, lb.getIndexAttr(0), lb.getIndexAttr(0)};
        SmallVector<OpFoldResult> sizes = getAsIndexOpFoldResult(
            lb.getContext(), {shape[0], 1, shape[2], shape[3]});
        Value row = tensor::ExtractSliceOp::create(lb, lloc, args[0], offsets,
                                                   sizes, unit);
        row = buildWindowReduction(lb, lloc, rows, row, kernel, strides,
                                   combine, {0, origin[1]});
        scf::YieldOp::create(
            lb, lloc,
            tensor::InsertSliceOp::create(lb, lloc, row, args[0], offsets,
                                          sizes, unit)
                .getResult());
      });
  loop->setAttr(qopt::codegen::kParallelTilesAttr, b.getUnitAttr());
  return loop.getResult(0);
}

/// Output positions [begin, end) along one spatial dimension whose windows,
/// clipped to the input, keep the same kernel positions [first, last).
struct ClippedRun {
  int64_t begin, end, first, last;
};

/// The output positions of one spatial dimension (`outputs` of them, over
/// an input of `size` padded by `padBefore`) in runs of alike clipped
/// windows: for a 3x3 / 2 pool padded by 1, the first output alone, then
/// the rest.
static SmallVector<ClippedRun> getClippedRuns(int64_t outputs, int64_t size,
                                              int64_t kernel, int64_t stride,
                                              int64_t padBefore) {
  SmallVector<ClippedRun> runs;
  for (int64_t i = 0; i < outputs; ++i) {
    int64_t start = i * stride - padBefore;
    int64_t first = std::max<int64_t>(0, -start);
    int64_t last = std::min(kernel, size - start);
    if (!runs.empty() && runs.back().first == first && runs.back().last == last)
      runs.back().end = i + 1;
    else
      runs.push_back({i, i + 1, first, last});
  }
  return runs;
}

/// The most regions of alike clipped windows a max pool reduces separately.
static constexpr size_t kMaxClippedRegions = 9;

namespace {

/// Padded positions hold the smallest storage value, which no maximum
/// takes but the initial one: each window is reduced over its positions in
/// the input alone, region by region of the output where the clipped
/// windows are alike, so that no padded copy of the input is written (a
/// copy that was half of ResNet-18's max pool time). Windows wholly in the
/// padding keep the initial value.
struct MaxPoolLowering : public OpConversionPattern<MaxPool2DOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(MaxPool2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Type elementType = op.getInput().getType().getElementType();
    if (!isa<IntegerType>(elementType))
      return rewriter.notifyMatchFailure(op, "only integer tensors lower");
    Location loc = op.getLoc();
    int64_t lowest = getStorageRange(elementType).first;
    bool isUnsigned = elementType.isUnsignedInteger();
    Value input = adaptor.getInput();
    auto resultType = cast<RankedTensorType>(
        getTypeConverter()->convertType(op.getResult().getType()));
    ArrayRef<int64_t> shape = resultType.getShape();
    ArrayRef<int64_t> inputShape =
        cast<RankedTensorType>(input.getType()).getShape();
    ArrayRef<int64_t> kernel = op.getKernel(), strides = op.getStrides(),
                      padding = op.getPadding();
    auto combine = [&](OpBuilder &b, Location l, Value acc, Value v) -> Value {
      if (isUnsigned)
        return arith::MaxUIOp::create(b, l, acc, v);
      return arith::MaxSIOp::create(b, l, acc, v);
    };
    Value result = createFilledTensor(rewriter, loc, shape,
                                      resultType.getElementType(), lowest);
    SmallVector<ClippedRun> rowRuns = getClippedRuns(
        shape[1], inputShape[1], kernel[0], strides[0], padding[0]);
    SmallVector<ClippedRun> columnRuns = getClippedRuns(
        shape[2], inputShape[2], kernel[1], strides[1], padding[2]);
    // A window much larger than its stride (or than the input) clips
    // differently at many positions, up to one region per output: past a
    // grid of 3 x 3 regions (a border on each side, the inside), one padded
    // copy and one reduction cost less to compile than the regions.
    if (rowRuns.size() * columnRuns.size() > kMaxClippedRegions) {
      Value padded = padSpatial(rewriter, loc, input, padding, lowest);
      rewriter.replaceOp(op, buildRowsOfWindowReduction(
                                 rewriter, loc, op, padded, result, kernel,
                                 strides, combine));
      return success();
    }
    for (ClippedRun rows : rowRuns)
      for (ClippedRun columns : columnRuns) {
        if (rows.first >= rows.last || columns.first >= columns.last)
          continue;
        SmallVector<OpFoldResult> offsets =
            getAsIndexOpFoldResult(rewriter.getContext(),
                                   {0, rows.begin, columns.begin, 0});
        SmallVector<OpFoldResult> sizes = getAsIndexOpFoldResult(
            rewriter.getContext(), {shape[0], rows.end - rows.begin,
                                    columns.end - columns.begin, shape[3]});
        SmallVector<OpFoldResult> unit(4, rewriter.getIndexAttr(1));
        Value part = tensor::ExtractSliceOp::create(rewriter, loc, result,
                                                    offsets, sizes, unit);
        part = buildRowsOfWindowReduction(
            rewriter, loc, op, input, part,
            {rows.last - rows.first, columns.last - columns.first}, strides,
            combine,
            {rows.begin * strides[0] - padding[0] + rows.first,
             columns.begin * strides[1] - padding[2] + columns.first});
        result = tensor::InsertSliceOp::create(rewriter, loc, part, result,
                                               offsets, sizes, unit);
      }
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// qnn.int.avg_pool2d: the i32 sum of the window's real positions minus
/// count * input_zp, divided by the count and rounded to nearest, plus
/// input_zp. Ties away from zero (TensorFlow Lite) is (sum +- count / 2) /
/// count with a division that truncates toward zero; ties to even (PyTorch)
/// takes the floor quotient q and remainder r in [0, count) and adds 1 when
/// 2r > count, or 2r == count and q is odd. Both equal the interpreter's
/// averagePool.
struct AvgPoolLowering : public OpConversionPattern<IntAvgPool2DOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(IntAvgPool2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType inputType = op.getInput().getType();
    bool isUnsigned = isUnsignedElement(inputType);
    ArrayRef<int64_t> padding = op.getPadding();
    ArrayRef<int64_t> kernel = op.getKernel();
    ArrayRef<int64_t> strides = op.getStrides();
    Type i32 = rewriter.getI32Type();
    Value input = padSpatial(rewriter, loc, adaptor.getInput(), padding, 0);
    ArrayRef<int64_t> shape = op.getResult().getType().getShape();
    Value zeros = createFilledTensor(rewriter, loc, shape, i32, 0);
    Value sums = buildWindowReduction(
        rewriter, loc, input, zeros, kernel, strides,
        [&](OpBuilder &b, Location l, Value acc, Value v) -> Value {
          return arith::AddIOp::create(b, l, acc,
                                       extendToI32(b, l, v, isUnsigned));
        });

    auto resultType = cast<RankedTensorType>(
        getTypeConverter()->convertType(op.getResult().getType()));
    auto range = getClampRange(op.getResult().getType().getElementType(),
                               op.getClampMin(), op.getClampMax());
    bool padded = llvm::any_of(padding, [](int64_t p) { return p != 0; });
    int64_t zeroPoint = op.getInputZp();
    // The number of real positions along one spatial dimension for output
    // index `i`: the window [i * stride - padBefore, ... + kernel) clipped
    // to [0, size).
    auto countAlong = [&](OpBuilder &b, Location l, unsigned dim, int64_t size,
                          int64_t stride, int64_t padBefore,
                          int64_t extent) -> Value {
      Value index = arith::IndexCastOp::create(
          b, l, i32, linalg::IndexOp::create(b, l, dim));
      Value start = arith::SubIOp::create(
          b, l,
          arith::MulIOp::create(b, l, index,
                                createIntConstant(b, l, i32, stride)),
          createIntConstant(b, l, i32, padBefore));
      Value end = arith::AddIOp::create(b, l, start,
                                        createIntConstant(b, l, i32, extent));
      start =
          arith::MaxSIOp::create(b, l, start, createIntConstant(b, l, i32, 0));
      end =
          arith::MinSIOp::create(b, l, end, createIntConstant(b, l, i32, size));
      return arith::SubIOp::create(b, l, end, start);
    };
    Value empty = tensor::EmptyOp::create(rewriter, loc, shape,
                                          resultType.getElementType());
    SmallVector<AffineMap> maps(2,
                                rewriter.getMultiDimIdentityMap(shape.size()));
    SmallVector<utils::IteratorType> iterators(shape.size(),
                                               utils::IteratorType::parallel);
    auto body = [&](OpBuilder &b, Location l, ValueRange args) {
      Value count;
      if (padded)
        count = arith::MulIOp::create(
            b, l,
            countAlong(b, l, 1, inputType.getShape()[1], strides[0], padding[0],
                       kernel[0]),
            countAlong(b, l, 2, inputType.getShape()[2], strides[1], padding[2],
                       kernel[1]));
      else
        count = createIntConstant(b, l, i32, kernel[0] * kernel[1]);
      Value sum = args[0];
      Value zp = createIntConstant(b, l, i32, zeroPoint);
      if (zeroPoint != 0)
        sum = arith::SubIOp::create(b, l, sum,
                                    arith::MulIOp::create(b, l, count, zp));
      Value average;
      if (op.getRounding() == Ties::AwayFromZero) {
        Value half = arith::DivSIOp::create(b, l, count,
                                            createIntConstant(b, l, i32, 2));
        Value isPositive =
            arith::CmpIOp::create(b, l, arith::CmpIPredicate::sgt, sum,
                                  createIntConstant(b, l, i32, 0));
        Value nudged = arith::SelectOp::create(
            b, l, isPositive, arith::AddIOp::create(b, l, sum, half),
            arith::SubIOp::create(b, l, sum, half));
        average = arith::DivSIOp::create(b, l, nudged, count);
      } else {
        Value quotient = arith::FloorDivSIOp::create(b, l, sum, count);
        Value remainder = arith::SubIOp::create(
            b, l, sum, arith::MulIOp::create(b, l, quotient, count));
        Value twice = arith::AddIOp::create(b, l, remainder, remainder);
        Value above = arith::CmpIOp::create(b, l, arith::CmpIPredicate::sgt,
                                            twice, count);
        Value tie = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq,
                                          twice, count);
        Value odd = arith::TruncIOp::create(b, l, b.getI1Type(), quotient);
        Value up = arith::OrIOp::create(
            b, l, above, arith::AndIOp::create(b, l, tie, odd));
        average = arith::AddIOp::create(
            b, l, quotient, arith::ExtUIOp::create(b, l, i32, up));
      }
      if (zeroPoint != 0)
        average = arith::AddIOp::create(b, l, average, zp);
      linalg::YieldOp::create(b, l,
                              clampAndTruncate(b, l, average, range.first,
                                               range.second,
                                               resultType.getElementType()));
    };
    rewriter.replaceOp(op, linalg::GenericOp::create(rewriter, loc, resultType,
                                                     sums, empty, maps,
                                                     iterators, body)
                               .getResult(0));
    return success();
  }
};

} // namespace

void to_linalg::populatePoolingPatterns(const TypeConverter &typeConverter,
                                        RewritePatternSet &patterns) {
  patterns.add<MaxPoolLowering, AvgPoolLowering>(typeConverter,
                                                 patterns.getContext());
}
