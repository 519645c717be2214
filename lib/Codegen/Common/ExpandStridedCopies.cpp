//===- ExpandStridedCopies.cpp - The qopt-expand-strided-copies pass ------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//

#include "qopt/Codegen/Common/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace qopt::codegen {
#define GEN_PASS_DEF_EXPANDSTRIDEDCOPIESPASS
#include "qopt/Codegen/Common/Passes.h.inc"
} // namespace qopt::codegen

using namespace mlir;

namespace {

struct StridedCopyToLinalg : public OpRewritePattern<memref::CopyOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(memref::CopyOp op,
                                PatternRewriter &rewriter) const override {
    auto source = dyn_cast<MemRefType>(op.getSource().getType());
    auto target = dyn_cast<MemRefType>(op.getTarget().getType());
    if (!source || !target)
      return rewriter.notifyMatchFailure(op, "not between memrefs");
    if (source.getLayout().isIdentity() && target.getLayout().isIdentity())
      return rewriter.notifyMatchFailure(op, "contiguous: becomes memcpy");
    rewriter.replaceOpWithNewOp<linalg::CopyOp>(op, op.getSource(),
                                                op.getTarget());
    return success();
  }
};

struct ExpandStridedCopiesPass
    : public qopt::codegen::impl::ExpandStridedCopiesPassBase<
          ExpandStridedCopiesPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    qopt::codegen::populateExpandStridedCopiesPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void qopt::codegen::populateExpandStridedCopiesPatterns(
    RewritePatternSet &patterns) {
  patterns.add<StridedCopyToLinalg>(patterns.getContext());
}
