//===- ExpandStridedCopies.cpp - The qopt-expand-strided-copies pass ------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//

#include "qopt/Codegen/Common/LayerKernels.h"
#include "qopt/Codegen/Common/Passes.h"
#include "qopt/Codegen/Common/RewriteConfig.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
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

/// Elements per vector of the expanded copies and fills.
constexpr int64_t kChunk = 64;
/// Copies and fills smaller than this are faster than starting threads.
constexpr int64_t kMinParallelElements = int64_t(1) << 16;

/// `buffer` viewed with its `trailing` (contiguous) dimensions collapsed into
/// one innermost dimension.
static Value collapseTrailing(OpBuilder &b, Location loc, Value buffer,
                              int64_t trailing) {
  int64_t rank = cast<MemRefType>(buffer.getType()).getRank();
  int64_t leading = rank - trailing;
  SmallVector<ReassociationIndices> groups;
  for (int64_t d = 0; d < leading; ++d)
    groups.push_back({d});
  groups.push_back({});
  for (int64_t d = leading; d < rank; ++d)
    groups.back().push_back(d);
  return memref::CollapseShapeOp::create(b, loc, buffer, groups);
}

/// Nested loops over the leading dimensions of the collapsed `shape` around
/// `emitVector(b, indices, size)` for each vector of kChunk elements of the
/// innermost (contiguous) dimension and one shorter vector for the rest. A
/// large buffer's outermost loop of several iterations (the vector loop of a
/// contiguous buffer) touches disjoint elements: it is marked for
/// --qopt-parallelize-tiles.
static void emitVectorLoops(
    OpBuilder &b, Location loc, ArrayRef<int64_t> shape, bool parallel,
    function_ref<void(OpBuilder &, ValueRange, int64_t)> emitVector) {
  auto index = [&](OpBuilder &ib, int64_t v) -> Value {
    return arith::ConstantIndexOp::create(ib, loc, v);
  };
  int64_t leading = shape.size() - 1;
  int64_t block = shape.back();
  // The dimension whose loop is marked, leading for the vector loop; -1:
  // none.
  int64_t parallelDim = -1;
  if (parallel) {
    auto outer = llvm::find_if(shape.drop_back(),
                               [](int64_t size) { return size > 1; });
    parallelDim = outer - shape.begin();
    if (parallelDim == leading && block < 2 * kChunk)
      parallelDim = -1;
  }
  auto emitBlock = [&](OpBuilder &bb, SmallVector<Value> &outer) {
    int64_t whole = block / kChunk * kChunk;
    if (whole > 0) {
      auto loop = scf::ForOp::create(
          bb, loc, index(bb, 0), index(bb, whole), index(bb, kChunk),
          ValueRange{}, [&](OpBuilder &lb, Location, Value j, ValueRange) {
            SmallVector<Value> indices(outer);
            indices.push_back(j);
            emitVector(lb, indices, kChunk);
            scf::YieldOp::create(lb, loc);
          });
      if (parallelDim == leading)
        loop->setAttr(qopt::codegen::kParallelTilesAttr, bb.getUnitAttr());
    }
    if (whole < block) {
      SmallVector<Value> indices(outer);
      indices.push_back(index(bb, whole));
      emitVector(bb, indices, block - whole);
    }
  };
  std::function<void(OpBuilder &, SmallVector<Value> &)> loops =
      [&](OpBuilder &lb, SmallVector<Value> &outer) {
        int64_t d = outer.size();
        if (d == leading) {
          emitBlock(lb, outer);
          return;
        }
        auto loop = scf::ForOp::create(
            lb, loc, index(lb, 0), index(lb, shape[d]), index(lb, 1),
            ValueRange{}, [&](OpBuilder &ib, Location, Value i, ValueRange) {
              outer.push_back(i);
              loops(ib, outer);
              outer.pop_back();
              scf::YieldOp::create(ib, loc);
            });
        if (d == parallelDim)
          loop->setAttr(qopt::codegen::kParallelTilesAttr, lb.getUnitAttr());
      };
  SmallVector<Value> outer;
  loops(b, outer);
}

/// The value a linalg.fill, or a linalg.map that yields a value from outside
/// its body (bufferization's form of a qnn.int.pad's padding value), writes
/// over its one buffer; null for other ops.
static Value getFillValue(Operation *op) {
  if (auto fill = dyn_cast<linalg::FillOp>(op))
    return fill.value();
  auto map = dyn_cast<linalg::MapOp>(op);
  if (!map)
    return {};
  Block &body = map.getMapper().front();
  if (!map.getInputs().empty() || !llvm::hasSingleElement(body) ||
      body.getTerminator()->getNumOperands() != 1)
    return {};
  // The yield is the only op: its value is the init's element or one from
  // outside.
  Value value = body.getTerminator()->getOperand(0);
  if (auto argument = dyn_cast<BlockArgument>(value);
      argument && argument.getOwner() == &body)
    return {};
  return value;
}

/// Whether `value` is `buffer` or a view of it.
static bool isViewOf(Value value, Value buffer) {
  while (value != buffer) {
    auto view = value.getDefiningOp<ViewLikeOpInterface>();
    if (!view)
      return false;
    value = view.getViewSource();
  }
  return true;
}

/// The memref.copy into a box of static shape (a memref.subview of unit
/// strides) of the static buffer of `fill` that follows it past ops without
/// memory effects, from a buffer that is not a view of it (it would read the
/// interior a border fill no longer writes); null if there is none. The
/// buffer must be a fresh allocation: a function's argument may alias the
/// copy's source.
static memref::CopyOp getInteriorCopy(Operation *fill) {
  Operation *next = fill->getNextNode();
  while (next && !isa<memref::CopyOp>(next) && isMemoryEffectFree(next))
    next = next->getNextNode();
  auto copy = dyn_cast_or_null<memref::CopyOp>(next);
  auto interior =
      copy ? copy.getTarget().getDefiningOp<memref::SubViewOp>() : nullptr;
  auto linalgOp = dyn_cast<linalg::LinalgOp>(fill);
  if (!interior || !linalgOp || linalgOp.getDpsInits().size() != 1 ||
      interior.getSource() != linalgOp.getDpsInits().front() ||
      !isa_and_nonnull<memref::AllocOp, memref::AllocaOp>(
          interior.getSource().getDefiningOp()) ||
      isViewOf(copy.getSource(), interior.getSource()))
    return nullptr;
  // A box of static shape in a buffer of static shape.
  if (!interior.getSourceType().hasStaticShape() ||
      interior.getSourceType().getRank() !=
          cast<MemRefType>(copy.getTarget().getType()).getRank() ||
      ShapedType::isDynamicShape(interior.getStaticOffsets()) ||
      ShapedType::isDynamicShape(interior.getStaticSizes()) ||
      !llvm::all_of(interior.getStaticStrides(),
                    [](int64_t stride) { return stride == 1; }))
    return nullptr;
  return copy;
}

/// A copy between strided buffers of static shape, as loops over the
/// leading dimensions around vector copies of the trailing block that is
/// contiguous in both (for a padded NHWC interior: each row of W x C bytes).
/// Other strided copies become linalg.copy, lowered to scalar loops.
struct ExpandStridedCopy : public OpRewritePattern<memref::CopyOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(memref::CopyOp op,
                                PatternRewriter &rewriter) const override {
    auto source = dyn_cast<MemRefType>(op.getSource().getType());
    auto target = dyn_cast<MemRefType>(op.getTarget().getType());
    if (!source || !target)
      return rewriter.notifyMatchFailure(op, "not between memrefs");
    if (source.getLayout().isIdentity() && target.getLayout().isIdentity())
      return rewriter.notifyMatchFailure(op, "contiguous: becomes memcpy");
    // The fill before it becomes fills of the border first, whichever of
    // the two the driver visits first.
    Operation *previous = op->getPrevNode();
    while (previous && isMemoryEffectFree(previous))
      previous = previous->getPrevNode();
    if (previous && getFillValue(previous) && getInteriorCopy(previous) == op)
      return rewriter.notifyMatchFailure(op, "a fill of the border comes first");
    int64_t trailing = std::min(getContiguousTrailingDims(source),
                                getContiguousTrailingDims(target));
    if (trailing == 0 || source.getRank() == 0) {
      rewriter.replaceOpWithNewOp<linalg::CopyOp>(op, op.getSource(),
                                                  op.getTarget());
      return success();
    }

    Location loc = op.getLoc();
    Value from = collapseTrailing(rewriter, loc, op.getSource(), trailing);
    Value to = collapseTrailing(rewriter, loc, op.getTarget(), trailing);
    Type element = source.getElementType();
    emitVectorLoops(
        rewriter, loc, cast<MemRefType>(from.getType()).getShape(),
        source.getNumElements() >= kMinParallelElements,
        [&](OpBuilder &b, ValueRange indices, int64_t size) {
          Value vector = vector::TransferReadOp::create(
              b, loc, VectorType::get({size}, element), from, indices,
              /*padding=*/std::nullopt, ArrayRef<bool>{true});
          vector::TransferWriteOp::create(b, loc, vector, to, indices,
                                          ArrayRef<bool>{true});
        });
    rewriter.eraseOp(op);
    return success();
  }
};

/// A buffer of static shape filled with one value: bufferization writes the
/// padding value of a qnn.int.pad over the whole buffer as a linalg.map
/// whose body yields a value from outside (linalg.fill alike). The same
/// loops as a strided copy store splat vectors instead of the scalar loops
/// --convert-linalg-to-loops would make, which LLVM's code generation alone
/// does not vectorize (a byte per cycle: 78 us for ResNet-18's padded
/// 58 x 58 x 64 activation, more than half of its 3x3 convolution).
template <typename FillLikeOp>
struct ExpandFill : public OpRewritePattern<FillLikeOp> {
  using OpRewritePattern<FillLikeOp>::OpRewritePattern;

  LogicalResult matchAndRewrite(FillLikeOp op,
                                PatternRewriter &rewriter) const override {
    if (op->getNumResults() != 0 || op.getDpsInits().size() != 1)
      return rewriter.notifyMatchFailure(op, "not a fill of one buffer");
    Value value = getFillValue(op);
    if (!value)
      return rewriter.notifyMatchFailure(op, "not a fill with one value");
    Value buffer = op.getDpsInits().front();
    auto type = dyn_cast<MemRefType>(buffer.getType());
    int64_t trailing = type ? getContiguousTrailingDims(type) : 0;
    if (trailing == 0 || type.getRank() == 0)
      return rewriter.notifyMatchFailure(op, "no contiguous trailing block");

    Location loc = op.getLoc();
    Value to = collapseTrailing(rewriter, loc, buffer, trailing);
    emitVectorLoops(
        rewriter, loc, cast<MemRefType>(to.getType()).getShape(),
        type.getNumElements() >= kMinParallelElements,
        [&](OpBuilder &b, ValueRange indices, int64_t size) {
          Value splat = vector::BroadcastOp::create(
              b, loc, VectorType::get({size}, value.getType()), value);
          vector::TransferWriteOp::create(b, loc, splat, to, indices,
                                          ArrayRef<bool>{true});
        });
    rewriter.eraseOp(op);
    return success();
  }
};

/// A fill of a whole buffer whose interior a memref.copy overwrites right
/// after it (bufferization's padded activation: the padding value over the
/// whole buffer, then the input into a view of its interior) becomes fills of
/// the border only, which --qopt-expand-strided-copies expands like any
/// other: for ResNet-18's padded 58 x 58 x 64 activation, 14 of its 215 KB.
/// The border is, for each dimension d in turn, the slabs before and after
/// the interior's range in d, within the interior's ranges of the dimensions
/// before d and whole in those after it: disjoint boxes of static shape.
struct FillOnlyBorder : public OpInterfaceRewritePattern<linalg::LinalgOp> {
  FillOnlyBorder(MLIRContext *context)
      : OpInterfaceRewritePattern<linalg::LinalgOp>(context, /*benefit=*/2) {}

  LogicalResult matchAndRewrite(linalg::LinalgOp op,
                                PatternRewriter &rewriter) const override {
    Value value = getFillValue(op);
    memref::CopyOp copy = value ? getInteriorCopy(op) : nullptr;
    if (!copy)
      return rewriter.notifyMatchFailure(op, "no copy into its interior next");
    auto interior = copy.getTarget().getDefiningOp<memref::SubViewOp>();
    Value buffer = interior.getSource();
    auto type = cast<MemRefType>(buffer.getType());
    ArrayRef<int64_t> offsets = interior.getStaticOffsets();
    ArrayRef<int64_t> sizes = interior.getStaticSizes();

    Location loc = op.getLoc();
    ArrayRef<int64_t> shape = type.getShape();
    auto fillBox = [&](int64_t d, int64_t from, int64_t size) {
      SmallVector<int64_t> boxOffsets(offsets.take_front(d)),
          boxSizes(sizes.take_front(d));
      boxOffsets.push_back(from);
      boxSizes.push_back(size);
      boxOffsets.append(shape.size() - d - 1, 0);
      boxSizes.append(shape.drop_front(d + 1).begin(), shape.end());
      Value box = memref::SubViewOp::create(
          rewriter, loc, buffer, boxOffsets, boxSizes,
          SmallVector<int64_t>(shape.size(), 1));
      linalg::FillOp::create(rewriter, loc, value, box);
    };
    for (int64_t d = 0, rank = type.getRank(); d < rank; ++d) {
      if (offsets[d] > 0)
        fillBox(d, 0, offsets[d]);
      if (int64_t end = offsets[d] + sizes[d]; end < shape[d])
        fillBox(d, end, shape[d] - end);
    }
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
    if (failed(
            applyPatternsGreedily(getOperation(), std::move(patterns),
                                  qopt::codegen::getStructuredRewriteConfig())))
      signalPassFailure();
  }
};

} // namespace

void qopt::codegen::populateExpandStridedCopiesPatterns(
    RewritePatternSet &patterns) {
  patterns.add<FillOnlyBorder, ExpandStridedCopy, ExpandFill<linalg::FillOp>,
               ExpandFill<linalg::MapOp>>(patterns.getContext());
}
