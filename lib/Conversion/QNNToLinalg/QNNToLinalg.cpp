//===- QNNToLinalg.cpp - The qopt-convert-qnn-to-linalg pass --------------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//

#include "qopt/Conversion/QNNToLinalg/QNNToLinalg.h"

#include "Common.h"

#include "qopt/Conversion/Passes.h"
#include "qopt/Dialect/QNN/IR/QNN.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"

namespace mlir::qnn {
#define GEN_PASS_DEF_CONVERTQNNTOLINALGPASS
#include "qopt/Conversion/Passes.h.inc"
} // namespace mlir::qnn

using namespace mlir;
using namespace mlir::qnn;

QNNToLinalgTypeConverter::QNNToLinalgTypeConverter() {
  addConversion([](Type type) { return type; });
  addConversion([](IntegerType type) -> Type {
    if (type.isSignless())
      return type;
    return IntegerType::get(type.getContext(), type.getWidth());
  });
  addConversion([this](RankedTensorType type) -> Type {
    return type.clone(convertType(type.getElementType()));
  });
}

namespace {

/// A cast between a qnn tensor and its signless counterpart (the targets'
/// layer kernels compute on signless views of qnn's unsigned tensors)
/// disappears once both sides have the signless type.
struct FoldSignlessCast
    : public OpConversionPattern<UnrealizedConversionCastOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(UnrealizedConversionCastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (op.getNumOperands() != 1 || op.getNumResults() != 1)
      return rewriter.notifyMatchFailure(op, "not a 1:1 cast");
    Value input = adaptor.getInputs().front();
    if (getTypeConverter()->convertType(op.getType(0)) != input.getType())
      return rewriter.notifyMatchFailure(op, "not a signedness cast");
    rewriter.replaceOp(op, input);
    return success();
  }
};

} // namespace

void qnn::populateQNNToLinalgPatterns(const TypeConverter &typeConverter,
                                      RewritePatternSet &patterns) {
  to_linalg::populateContractionPatterns(typeConverter, patterns);
  to_linalg::populateRescalePatterns(typeConverter, patterns);
  to_linalg::populatePoolingPatterns(typeConverter, patterns);
  to_linalg::populateDataMovementPatterns(typeConverter, patterns);
  patterns.add<FoldSignlessCast>(typeConverter, patterns.getContext());
  populateFunctionOpInterfaceTypeConversionPattern<func::FuncOp>(patterns,
                                                                 typeConverter);
  populateCallOpTypeConversionPattern(patterns, typeConverter);
  populateReturnOpTypeConversionPattern(patterns, typeConverter);
}

LogicalResult qnn::checkStaticShapes(Operation *root) {
  auto isDynamic = [](Type type) {
    auto tensor = dyn_cast<RankedTensorType>(type);
    return tensor && !tensor.hasStaticShape();
  };
  // The first op is enough: a dynamic shape usually flows through them all.
  WalkResult result = root->walk([&](Operation *op) {
    if (!isa<QNNDialect>(op->getDialect()))
      return WalkResult::advance();
    SmallVector<Type> types(op->getOperandTypes());
    llvm::append_range(types, op->getResultTypes());
    auto dynamic = llvm::find_if(types, isDynamic);
    if (dynamic == types.end())
      return WalkResult::advance();
    op->emitOpError() << "has the dynamically shaped type " << *dynamic
                      << "; the lowering needs static shapes (compile one "
                         "function per shape)";
    return WalkResult::interrupt();
  });
  return failure(result.wasInterrupted());
}

void qnn::configureQNNToLinalgTarget(ConversionTarget &target,
                                     const TypeConverter &typeConverter) {
  target.addIllegalDialect<QNNDialect>();
  target.addLegalDialect<linalg::LinalgDialect, math::MathDialect,
                         tensor::TensorDialect, tosa::TosaDialect>();
  target.addDynamicallyLegalOp<func::FuncOp>([&](func::FuncOp op) {
    return typeConverter.isSignatureLegal(op.getFunctionType()) &&
           typeConverter.isLegal(&op.getBody());
  });
  target.markUnknownOpDynamicallyLegal(
      [&](Operation *op) { return typeConverter.isLegal(op); });
}

namespace {

struct ConvertQNNToLinalgPass
    : public qnn::impl::ConvertQNNToLinalgPassBase<ConvertQNNToLinalgPass> {
  void runOnOperation() override {
    if (failed(checkStaticShapes(getOperation())))
      return signalPassFailure();
    MLIRContext *ctx = &getContext();
    QNNToLinalgTypeConverter typeConverter;
    ConversionTarget target(*ctx);
    configureQNNToLinalgTarget(target, typeConverter);
    RewritePatternSet patterns(ctx);
    populateQNNToLinalgPatterns(typeConverter, patterns);
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
