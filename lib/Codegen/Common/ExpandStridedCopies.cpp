//===- ExpandStridedCopies.cpp - The qopt-expand-strided-copies pass ------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//

#include "qopt/Codegen/Common/LayerKernels.h"
#include "qopt/Codegen/Common/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace qopt::codegen {
#define GEN_PASS_DEF_EXPANDSTRIDEDCOPIESPASS
#include "qopt/Codegen/Common/Passes.h.inc"
} // namespace qopt::codegen

using namespace mlir;

namespace {

/// The number of trailing dimensions of `type` (static) that are contiguous
/// in memory: unit innermost stride, each stride the product of the sizes
/// inside it.
static int64_t getContiguousTrailingDims(MemRefType type) {
  SmallVector<int64_t> strides;
  int64_t offset;
  if (!type.hasStaticShape() ||
      failed(type.getStridesAndOffset(strides, offset)))
    return 0;
  int64_t expected = 1, dims = 0;
  for (int64_t d = type.getRank() - 1; d >= 0; --d) {
    if (strides[d] != expected)
      break;
    expected *= type.getDimSize(d);
    ++dims;
  }
  return dims;
}

/// A copy between strided buffers of static shape, as loops over the
/// leading dimensions around vector copies of the trailing block that is
/// contiguous in both (for a padded NHWC interior: each row of W x C bytes),
/// in vectors of kChunk elements and one shorter vector for the rest. Other
/// strided copies become linalg.copy, lowered to scalar loops.
struct ExpandStridedCopy : public OpRewritePattern<memref::CopyOp> {
  using OpRewritePattern::OpRewritePattern;

  static constexpr int64_t kChunk = 64;
  /// Copies smaller than this are faster than starting threads.
  static constexpr int64_t kMinParallelElements = int64_t(1) << 18;

  LogicalResult matchAndRewrite(memref::CopyOp op,
                                PatternRewriter &rewriter) const override {
    auto source = dyn_cast<MemRefType>(op.getSource().getType());
    auto target = dyn_cast<MemRefType>(op.getTarget().getType());
    if (!source || !target)
      return rewriter.notifyMatchFailure(op, "not between memrefs");
    if (source.getLayout().isIdentity() && target.getLayout().isIdentity())
      return rewriter.notifyMatchFailure(op, "contiguous: becomes memcpy");
    int64_t rank = source.getRank();
    int64_t trailing = std::min(getContiguousTrailingDims(source),
                                getContiguousTrailingDims(target));
    if (trailing == 0 || rank == 0) {
      rewriter.replaceOpWithNewOp<linalg::CopyOp>(op, op.getSource(),
                                                  op.getTarget());
      return success();
    }

    Location loc = op.getLoc();
    // Collapse the contiguous block into one innermost dimension.
    int64_t leading = rank - trailing;
    SmallVector<ReassociationIndices> groups;
    for (int64_t d = 0; d < leading; ++d)
      groups.push_back({d});
    groups.push_back({});
    for (int64_t d = leading; d < rank; ++d)
      groups.back().push_back(d);
    Value from = memref::CollapseShapeOp::create(rewriter, loc,
                                                 op.getSource(), groups);
    Value to =
        memref::CollapseShapeOp::create(rewriter, loc, op.getTarget(), groups);
    int64_t block = cast<MemRefType>(from.getType()).getShape().back();
    Type element = source.getElementType();

    auto index = [&](OpBuilder &b, int64_t v) -> Value {
      return arith::ConstantIndexOp::create(b, loc, v);
    };
    // Copies `size` elements at [outer..., offset].
    auto copy = [&](OpBuilder &b, ValueRange outer, Value offset,
                    int64_t size) {
      SmallVector<Value> indices(outer);
      indices.push_back(offset);
      auto type = VectorType::get({size}, element);
      Value vector = vector::TransferReadOp::create(
          b, loc, type, from, indices, /*padding=*/std::nullopt,
          ArrayRef<bool>{true});
      vector::TransferWriteOp::create(b, loc, vector, to, indices,
                                      ArrayRef<bool>{true});
    };
    auto copyBlock = [&](OpBuilder &b, ValueRange outer) {
      int64_t whole = block / kChunk * kChunk;
      if (whole > 0)
        scf::ForOp::create(b, loc, index(b, 0), index(b, whole),
                           index(b, kChunk), ValueRange{},
                           [&](OpBuilder &lb, Location, Value j, ValueRange) {
                             copy(lb, outer, j, kChunk);
                             scf::YieldOp::create(lb, loc);
                           });
      if (whole < block)
        copy(b, outer, index(b, whole), block - whole);
    };
    // Nested loops over the leading dimensions. A large copy's outermost
    // loop of several iterations copies disjoint rows: threads may share it
    // out (--qopt-parallelize-tiles).
    bool parallel = source.getNumElements() >= kMinParallelElements;
    std::function<void(OpBuilder &, SmallVector<Value> &)> loops =
        [&](OpBuilder &b, SmallVector<Value> &outer) {
          int64_t d = outer.size();
          if (d == leading) {
            copyBlock(b, outer);
            return;
          }
          auto loop = scf::ForOp::create(
              b, loc, index(b, 0), index(b, source.getDimSize(d)),
              index(b, 1), ValueRange{},
              [&](OpBuilder &lb, Location, Value i, ValueRange) {
                outer.push_back(i);
                loops(lb, outer);
                outer.pop_back();
                scf::YieldOp::create(lb, loc);
              });
          if (parallel && source.getDimSize(d) > 1) {
            loop->setAttr(qopt::codegen::kParallelTilesAttr,
                          b.getUnitAttr());
            parallel = false;
          }
        };
    SmallVector<Value> outer;
    loops(rewriter, outer);
    rewriter.eraseOp(op);
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
  patterns.add<ExpandStridedCopy>(patterns.getContext());
}
