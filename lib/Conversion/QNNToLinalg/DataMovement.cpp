//===- DataMovement.cpp - qnn reshape / transpose / pad / concat ----------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// Ops that move storage values without arithmetic map to tensor ops, which
// bufferize to views or copies.
//
//===----------------------------------------------------------------------===//

#include "Common.h"

#include "qopt/Dialect/QNN/IR/QNN.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::to_linalg;

/// The ranked tensor type `op`'s result converts to, or null.
static RankedTensorType getConvertedType(const TypeConverter *converter,
                                         Operation *op) {
  return dyn_cast_or_null<RankedTensorType>(
      converter->convertType(op->getResult(0).getType()));
}

namespace {

/// A collapse or an expansion when the shapes allow one (they bufferize to
/// views); otherwise tensor.reshape to a constant shape.
struct ReshapeLowering : public OpConversionPattern<ReshapeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ReshapeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType = getConvertedType(getTypeConverter(), op);
    if (!resultType)
      return rewriter.notifyMatchFailure(op, "unconvertible result type");
    Value input = adaptor.getInput();
    ArrayRef<int64_t> from = op.getInput().getType().getShape();
    ArrayRef<int64_t> to = resultType.getShape();
    if (from.size() > to.size()) {
      if (auto reassociation = getReassociationIndicesForCollapse(from, to)) {
        rewriter.replaceOpWithNewOp<tensor::CollapseShapeOp>(
            op, resultType, input, *reassociation);
        return success();
      }
    } else if (from.size() < to.size()) {
      if (auto reassociation = getReassociationIndicesForCollapse(to, from)) {
        rewriter.replaceOpWithNewOp<tensor::ExpandShapeOp>(
            op, resultType, input, *reassociation);
        return success();
      }
    }
    auto shapeType =
        RankedTensorType::get({int64_t(to.size())}, rewriter.getI64Type());
    Value shape = arith::ConstantOp::create(
        rewriter, op.getLoc(), DenseIntElementsAttr::get(shapeType, to));
    rewriter.replaceOpWithNewOp<tensor::ReshapeOp>(op, resultType, input,
                                                   shape);
    return success();
  }
};

/// A copy in the permuted order: it runs once, at a network's boundary (an
/// importer's layout change), so no kernel of its own.
struct TransposeLowering : public OpConversionPattern<TransposeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(TransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType = getConvertedType(getTypeConverter(), op);
    if (!resultType)
      return rewriter.notifyMatchFailure(op, "unconvertible result type");
    Value init = tensor::EmptyOp::create(rewriter, op.getLoc(),
                                         resultType.getShape(),
                                         resultType.getElementType());
    rewriter.replaceOpWithNewOp<linalg::TransposeOp>(
        op, adaptor.getInput(), init, op.getPermutation());
    return success();
  }
};

struct PadLowering : public OpConversionPattern<IntPadOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(IntPadOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    SmallVector<int64_t> low, high;
    for (auto [i, p] : llvm::enumerate(op.getPadding()))
      (i % 2 == 0 ? low : high).push_back(p);
    rewriter.replaceOp(op, padTensor(rewriter, op.getLoc(), adaptor.getInput(),
                                     low, high, op.getValue()));
    return success();
  }
};

struct ConcatLowering : public OpConversionPattern<ConcatOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ConcatOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!isa<IntegerType>(op.getResult().getType().getElementType()))
      return rewriter.notifyMatchFailure(op, "only integer tensors lower");
    rewriter.replaceOpWithNewOp<tensor::ConcatOp>(op, op.getAxis(),
                                                  adaptor.getInputs());
    return success();
  }
};

/// Weights are arith.constant tensors of the integer level's types; the
/// storage bits stay, the element type becomes signless.
struct ConstantLowering : public OpConversionPattern<arith::ConstantOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(arith::ConstantOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto value = dyn_cast<DenseIntElementsAttr>(op.getValue());
    Type type = getTypeConverter()->convertType(op.getType());
    if (!value || !type)
      return rewriter.notifyMatchFailure(op, "not a dense integer tensor");
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(
        op, value.bitcast(getElementTypeOrSelf(type)));
    return success();
  }
};

} // namespace

void to_linalg::populateDataMovementPatterns(const TypeConverter &typeConverter,
                                             RewritePatternSet &patterns) {
  patterns.add<ReshapeLowering, TransposeLowering, PadLowering, ConcatLowering, ConstantLowering>(
      typeConverter, patterns.getContext());
}
