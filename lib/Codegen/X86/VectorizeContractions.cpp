//===- VectorizeContractions.cpp - u8 x s8 contractions to vpdpbusd -------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// LLVM's loop vectorizer never turns the scalar reduction loops of a
// contraction into vpdpbusd: the reduction has to be vectorized in MLIR
// first. For C[m, n] += sum_k zext(A[m, k]) * sext(B[n, k]) (a fully
// connected layer, weights [O, K] as TFLite stores them, both operands
// contiguous along k), each output becomes, per tile of K steps,
//   C[m, n] += vector.reduction <add> (zext(A[m, k:k+K]) * sext(B[n, k:k+K]))
// and each 64 bytes of that dot product one vpdpbusd (4 adjacent u8 x s8
// products summed into each of 16 i32 lanes), chained through one zmm
// accumulator that is summed horizontally once per tile. The x86 back end
// does select vpdpbusd for such a reduction by itself, but only when the
// extensions sit in the reduction's basic block, which LICM undoes whenever
// an operand row is loop-invariant: the intrinsic is called explicitly.
// All sums are i32 and wrap, in the scalar loops and in vpdpbusd alike (it
// does not saturate; vpdpbusds would), and integer addition is associative
// modulo 2^32: the reordering changes no bit.
//
//===----------------------------------------------------------------------===//

#include "qopt/Codegen/X86/Passes.h"

#include "mlir/Conversion/VectorToSCF/VectorToSCF.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMAttrs.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/UB/IR/UBOps.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace qopt::x86 {
#define GEN_PASS_DEF_X86VECTORIZECONTRACTIONSPASS
#include "qopt/Codegen/X86/Passes.h.inc"
} // namespace qopt::x86

using namespace mlir;

/// Marks the tiles of a contraction between tiling and vectorization, which
/// consumes them.
static constexpr llvm::StringLiteral kTileMarker = "qopt.x86.vnni_tile";

/// Whether `value` is `cast(arg)` for the block argument `arg` of an i8
/// operand, with `CastOp` the extension to i32.
template <typename CastOp>
static bool isExtendedArgument(Value value, BlockArgument arg) {
  auto cast = value.getDefiningOp<CastOp>();
  return cast && cast.getIn() == arg && arg.getType().isInteger(8) &&
         cast.getType().isInteger(32);
}

/// Whether `op` is the bufferized zero-point-free fully connected layer on
/// u8 input and s8 weights, with static shapes:
///   C[m, n] += zext(A[m, k]) * sext(B[n, k])
static bool isU8S8Contraction(linalg::GenericOp op) {
  if (op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 ||
      !op.hasPureBufferSemantics() || op.getNumLoops() != 3 ||
      op.hasDynamicShape())
    return false;
  using utils::IteratorType;
  if (op.getIteratorTypesArray() !=
      SmallVector<IteratorType>{IteratorType::parallel, IteratorType::parallel,
                                IteratorType::reduction})
    return false;
  MLIRContext *ctx = op.getContext();
  AffineExpr m, n, k;
  bindDims(ctx, m, n, k);
  SmallVector<SmallVector<AffineExpr, 4>> exprs = {{m, k}, {n, k}, {m, n}};
  SmallVector<AffineMap, 4> expected = AffineMap::inferFromExprList(exprs, ctx);
  if (op.getIndexingMapsArray() != expected)
    return false;

  Block *body = op.getBody();
  auto yield = cast<linalg::YieldOp>(body->getTerminator());
  auto add = yield.getValues().front().getDefiningOp<arith::AddIOp>();
  if (!add || !add.getType().isInteger(32))
    return false;
  BlockArgument a = body->getArgument(0), b = body->getArgument(1),
                c = body->getArgument(2);
  Value product = add.getLhs() == c ? add.getRhs() : add.getLhs();
  if (add.getLhs() != c && add.getRhs() != c)
    return false;
  auto mul = product.getDefiningOp<arith::MulIOp>();
  if (!mul)
    return false;
  auto isProduct = [&](Value x, Value w) {
    return isExtendedArgument<arith::ExtUIOp>(x, a) &&
           isExtendedArgument<arith::ExtSIOp>(w, b);
  };
  // Five ops: the two extensions, the multiply, the add and the yield.
  return (isProduct(mul.getLhs(), mul.getRhs()) ||
          isProduct(mul.getRhs(), mul.getLhs())) &&
         body->getOperations().size() == 5;
}

/// The bytes that `value`, a 1-D vector of i32, extends with `CastOp`: the
/// operand of the extension, or the same row of it when `value` is a row
/// extracted from an extended n-D vector (as vector.contract lowers).
template <typename CastOp>
static std::optional<std::pair<CastOp, vector::ExtractOp>>
matchExtendedBytes(Value value) {
  auto extract = value.getDefiningOp<vector::ExtractOp>();
  if (extract && extract.hasDynamicPosition())
    return std::nullopt;
  auto cast = (extract ? extract.getSource() : value).getDefiningOp<CastOp>();
  if (!cast || !getElementTypeOrSelf(cast.getIn().getType()).isInteger(8))
    return std::nullopt;
  return std::make_pair(cast, extract);
}

template <typename CastOp>
static Value
createBytes(PatternRewriter &rewriter, Location loc,
            const std::pair<CastOp, vector::ExtractOp> &extendedBytes) {
  auto [cast, extract] = extendedBytes;
  if (!extract)
    return cast.getIn();
  return vector::ExtractOp::create(rewriter, loc, cast.getIn(),
                                   extract.getMixedPosition());
}

namespace {

/// vector.reduction <add> (zext(a) * sext(b)) over vector<N x i32>, N >= 64,
/// to a chain of llvm.x86.avx512.vpdpbusd.512 over the 64-byte slices of a
/// (unsigned, its second operand) and b (signed, its third), one horizontal
/// sum of the 16 lanes, and a plain reduction of the last N mod 64 products.
struct ReductionToVpdpbusd : public OpRewritePattern<vector::ReductionOp> {
  using OpRewritePattern::OpRewritePattern;

  static constexpr int64_t kBytes = 64;

  LogicalResult matchAndRewrite(vector::ReductionOp op,
                                PatternRewriter &rewriter) const override {
    VectorType type = op.getSourceVectorType();
    if (op.getKind() != vector::CombiningKind::ADD || type.getRank() != 1 ||
        !type.getElementType().isInteger(32) || type.isScalable() ||
        type.getNumElements() < kBytes)
      return rewriter.notifyMatchFailure(op, "not a long i32 sum");
    auto mul = op.getVector().getDefiningOp<arith::MulIOp>();
    if (!mul)
      return rewriter.notifyMatchFailure(op, "not a sum of products");
    Value lhs = mul.getLhs(), rhs = mul.getRhs();
    auto unsignedBytes = matchExtendedBytes<arith::ExtUIOp>(lhs);
    auto signedBytes = matchExtendedBytes<arith::ExtSIOp>(rhs);
    if (!unsignedBytes || !signedBytes) {
      unsignedBytes = matchExtendedBytes<arith::ExtUIOp>(rhs);
      signedBytes = matchExtendedBytes<arith::ExtSIOp>(lhs);
    }
    if (!unsignedBytes || !signedBytes)
      return rewriter.notifyMatchFailure(op, "not u8 x s8 products");

    Location loc = op.getLoc();
    Value a = createBytes(rewriter, loc, *unsignedBytes);
    Value b = createBytes(rewriter, loc, *signedBytes);
    int64_t size = type.getNumElements();
    int64_t wholeSize = size / kBytes * kBytes;
    auto lanesType = VectorType::get({kBytes / 4}, rewriter.getI32Type());
    auto slice = [&](Value bytes, int64_t offset, int64_t length) -> Value {
      if (offset == 0 && length == size)
        return bytes;
      return vector::ExtractStridedSliceOp::create(rewriter, loc, bytes, offset,
                                                   length, 1);
    };
    Value lanes = arith::ConstantOp::create(rewriter, loc, lanesType,
                                            rewriter.getZeroAttr(lanesType));
    StringAttr intrinsic =
        rewriter.getStringAttr("llvm.x86.avx512.vpdpbusd.512");
    for (int64_t offset = 0; offset < wholeSize; offset += kBytes)
      lanes = LLVM::CallIntrinsicOp::create(
                  rewriter, loc, lanesType, intrinsic,
                  ValueRange{lanes, slice(a, offset, kBytes),
                             slice(b, offset, kBytes)})
                  .getResult(0);
    Value sum = vector::ReductionOp::create(
        rewriter, loc, vector::CombiningKind::ADD, lanes, op.getAcc());
    if (wholeSize < size) {
      int64_t rest = size - wholeSize;
      auto restType = VectorType::get({rest}, rewriter.getI32Type());
      Value x = arith::ExtUIOp::create(rewriter, loc, restType,
                                       slice(a, wholeSize, rest));
      Value w = arith::ExtSIOp::create(rewriter, loc, restType,
                                       slice(b, wholeSize, rest));
      Value product = arith::MulIOp::create(rewriter, loc, x, w);
      sum = vector::ReductionOp::create(
          rewriter, loc, vector::CombiningKind::ADD, product, sum);
    }
    rewriter.replaceOp(op, sum);
    return success();
  }
};

} // namespace

/// Splits every loop of the nest rooted at `loop` into a main loop of whole
/// tiles and a partial last iteration, so that after canonicalization every
/// tile has a static shape.
static void peelLoopNest(RewriterBase &rewriter, scf::ForOp loop) {
  SmallVector<scf::ForOp, 2> versions = {loop};
  scf::ForOp partial;
  if (succeeded(scf::peelForLoopAndSimplifyBounds(rewriter, loop, partial)))
    versions.push_back(partial);
  for (scf::ForOp version : versions)
    for (auto inner : llvm::to_vector(version.getBody()->getOps<scf::ForOp>()))
      peelLoopNest(rewriter, inner);
}

/// Tiles `op` into static-shape tiles marked with kTileMarker.
static LogicalResult tileContraction(RewriterBase &rewriter,
                                     linalg::GenericOp op,
                                     ArrayRef<int64_t> tileSizes) {
  SmallVector<int64_t> bounds = op.getStaticLoopRanges();
  SmallVector<OpFoldResult> sizes;
  for (auto [bound, size] : llvm::zip_equal(bounds, tileSizes))
    sizes.push_back(rewriter.getIndexAttr(std::min(bound, size)));
  op->setAttr(kTileMarker, rewriter.getUnitAttr());
  rewriter.setInsertionPoint(op);
  scf::SCFTilingOptions options;
  options.setTileSizes(sizes);
  FailureOr<scf::SCFTilingResult> tiled = scf::tileUsingSCF(
      rewriter, cast<TilingInterface>(op.getOperation()), options);
  if (failed(tiled))
    return op.emitError("cannot tile the contraction");
  rewriter.eraseOp(op);
  if (!tiled->loops.empty())
    peelLoopNest(rewriter, cast<scf::ForOp>(tiled->loops.front()));
  return success();
}

/// Every dialect's canonicalization patterns, which fold the single-iteration
/// loops of peeled partial tiles and their affine.min sizes into constants.
static void populateCanonicalizationPatterns(MLIRContext *ctx,
                                             RewritePatternSet &patterns) {
  for (Dialect *dialect : ctx->getLoadedDialects())
    dialect->getCanonicalizationPatterns(patterns);
  for (RegisteredOperationName op : ctx->getRegisteredOperations())
    op.getCanonicalizationPatterns(patterns, ctx);
}

/// Applies `populate`'s patterns and the canonicalizations to `func`.
static LogicalResult
applyWithCanonicalization(func::FuncOp func,
                          function_ref<void(RewritePatternSet &)> populate) {
  RewritePatternSet patterns(func.getContext());
  populate(patterns);
  populateCanonicalizationPatterns(func.getContext(), patterns);
  return applyPatternsGreedily(func, std::move(patterns));
}

LogicalResult qopt::x86::vectorizeContractions(func::FuncOp func, int64_t tileM,
                                               int64_t tileN, int64_t tileK,
                                               StringRef targetFeatures) {
  SmallVector<linalg::GenericOp> contractions;
  func.walk([&](linalg::GenericOp op) {
    if (isU8S8Contraction(op))
      contractions.push_back(op);
  });
  if (contractions.empty())
    return success();

  MLIRContext *ctx = func.getContext();
  IRRewriter rewriter(ctx);
  for (linalg::GenericOp op : contractions)
    if (failed(tileContraction(rewriter, op, {tileM, tileN, tileK})))
      return failure();
  if (failed(applyWithCanonicalization(func, [](RewritePatternSet &) {})))
    return func.emitError("cannot simplify the peeled tiles");

  SmallVector<linalg::GenericOp> tiles;
  func.walk([&](linalg::GenericOp op) {
    if (op->hasAttr(kTileMarker))
      tiles.push_back(op);
  });
  for (linalg::GenericOp tile : tiles) {
    rewriter.setInsertionPoint(tile);
    if (failed(linalg::vectorize(rewriter, tile)))
      return tile.emitError("cannot vectorize a tile of the contraction");
    rewriter.eraseOp(tile);
  }

  // Broadcast reads become plain reads and broadcasts first; the extensions
  // then move before the broadcasts, so that the multi-reduction of their
  // product becomes a vector.contract of the rows read, which absorbs the
  // broadcasts.
  if (failed(applyWithCanonicalization(
          func,
          [](RewritePatternSet &patterns) {
            vector::populateVectorTransferPermutationMapLoweringPatterns(
                patterns);
          })) ||
      failed(applyWithCanonicalization(func, [](RewritePatternSet &patterns) {
        vector::populateVectorReductionToContractPatterns(patterns);
        vector::populateSinkVectorOpsPatterns(patterns);
      })))
    return func.emitError("cannot form the vector contractions");
  // One dot product (vector.reduction of a product) per output, and rank-1
  // vector ops, which convert-vector-to-llvm takes: the tile's transfers are
  // unrolled into one per row, then become plain loads and stores.
  if (failed(applyWithCanonicalization(func, [](RewritePatternSet &patterns) {
        vector::populateVectorContractLoweringPatterns(
            patterns, vector::VectorContractLowering::Dot);
        vector::populateVectorMultiReductionLoweringPatterns(
            patterns, vector::VectorMultiReductionLowering::InnerReduction);
        populateVectorToSCFConversionPatterns(
            patterns, VectorTransferToSCFOptions().enableFullUnroll());
        vector::populateVectorTransferLoweringPatterns(patterns,
                                                       /*maxTransferRank=*/1);
        vector::populateVectorShapeCastLoweringPatterns(patterns);
      })))
    return func.emitError("cannot lower the vector contractions");
  RewritePatternSet dotPatterns(ctx);
  dotPatterns.add<ReductionToVpdpbusd>(ctx);
  if (failed(applyPatternsGreedily(func, std::move(dotPatterns))))
    return func.emitError("cannot select vpdpbusd");
  // Alone: canonicalization folds the lowered broadcasts back, forever.
  RewritePatternSet broadcastPatterns(ctx);
  vector::populateVectorBroadcastLoweringPatterns(broadcastPatterns);
  if (failed(applyPatternsGreedily(func, std::move(broadcastPatterns))))
    return func.emitError("cannot lower the vector broadcasts");

  func->setAttr("target_features",
                LLVM::TargetFeaturesAttr::get(ctx, targetFeatures));
  return success();
}

namespace {

struct X86VectorizeContractionsPass
    : public qopt::x86::impl::X86VectorizeContractionsPassBase<
          X86VectorizeContractionsPass> {
  using Base::Base;

  void runOnOperation() override {
    if (tileM < 1 || tileN < 1 || tileK < 1) {
      getOperation().emitError("tile sizes must be positive");
      return signalPassFailure();
    }
    if (failed(qopt::x86::vectorizeContractions(getOperation(), tileM, tileN,
                                                tileK, targetFeatures)))
      signalPassFailure();
  }
};

} // namespace
