//===- SelectRequantization.cpp - tosa.apply_scale on i32 lanes -----------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// The kernels' requantization, tosa.apply_scale with DOUBLE_ROUND on vectors
// of i32, computed in 32-bit lanes as gemmlowp's SSE/AVX code computes it
// (SaturatingRoundingDoublingHighMul from the even and odd lanes' 64-bit
// products, then RoundingDivideByPOT), instead of tosa-to-arith's 64-bit
// product and variable 64-bit shift of every lane, which on x86 widens each
// vector into two, shifts them by vpsravq and narrows them back. Portable
// arith: the back end selects vpmuldq for the products of sign-extended
// 32-bit halves.
//
//===----------------------------------------------------------------------===//

#include "qopt/Codegen/X86/Passes.h"

#include "qopt/Codegen/Common/KnownValues.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace qopt::x86 {
#define GEN_PASS_DEF_X86SELECTREQUANTIZATIONPASS
#include "qopt/Codegen/X86/Passes.h.inc"
} // namespace qopt::x86

using namespace mlir;
using namespace qopt;
using codegen::splat;

namespace {

/// gemmlowp's SaturatingRoundingDoublingHighMul(y, M0) for M0 >= 0:
/// floor((y M0 + 2^30) / 2^31) (its nudge and truncating division amount
/// to that floor for either sign of the product; it saturates only for
/// y = M0 = INT32_MIN). |y M0| < 2^62, so the sum is exact in 64 bits, and
/// the quotient fits in int32. The even lanes' products are those of the
/// sign-extended low halves of the 64-bit view (vpmuldq), the odd lanes'
/// those of the high halves shifted down; bits 31..62 of a product are the
/// low half of the product shifted right by 31 (even lanes) or the high half
/// of the product shifted left by 1 (odd lanes), blended per lane.
Value emitHighMul(OpBuilder &b, Location loc, Value y, Value multiplier) {
  auto type = cast<VectorType>(y.getType());
  auto wide = VectorType::get({type.getNumElements() / 2}, b.getI64Type());
  Value c32 = splat(b, loc, wide, 32);
  Value nudge = splat(b, loc, wide, int64_t(1) << 30);
  auto halves = [&](Value v) -> std::pair<Value, Value> {
    Value w = vector::BitCastOp::create(b, loc, wide, v);
    Value low = arith::ShRSIOp::create(
        b, loc, arith::ShLIOp::create(b, loc, w, c32), c32);
    Value high = arith::ShRSIOp::create(b, loc, w, c32);
    return {low, high};
  };
  auto [yEven, yOdd] = halves(y);
  auto [mEven, mOdd] = halves(multiplier);
  Value even = arith::AddIOp::create(
      b, loc, arith::MulIOp::create(b, loc, yEven, mEven), nudge);
  Value odd = arith::AddIOp::create(
      b, loc, arith::MulIOp::create(b, loc, yOdd, mOdd), nudge);
  even = vector::BitCastOp::create(
      b, loc, type,
      arith::ShRUIOp::create(b, loc, even, splat(b, loc, wide, 31)));
  odd = vector::BitCastOp::create(
      b, loc, type, arith::ShLIOp::create(b, loc, odd, splat(b, loc, wide, 1)));
  SmallVector<bool> oddLanes;
  for (int64_t i = 0; i < type.getNumElements(); ++i)
    oddLanes.push_back(i % 2);
  Value isOdd = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(type.clone(b.getI1Type()), oddLanes));
  return arith::SelectOp::create(b, loc, isOdd, odd, even);
}

/// gemmlowp's RoundingDivideByPOT(h, r) for r in [0, 31], as it computes
/// it: with mask = 2^r - 1, (h >> r) plus 1 when the remainder h & mask
/// exceeds (mask >> 1) + (h < 0), i.e. ties away from zero; (h < 0) is
/// -(h >> 31), and the 1 added is -sext(remainder > threshold). For r = 0
/// the mask is 0 and nothing is added. 2^31 - 1 wraps to the right mask.
Value emitRoundingShift(OpBuilder &b, Location loc, Value h, Value r) {
  auto type = cast<VectorType>(h.getType());
  Value one = splat(b, loc, type, 1);
  Value mask =
      arith::SubIOp::create(b, loc, arith::ShLIOp::create(b, loc, one, r), one);
  Value remainder = arith::AndIOp::create(b, loc, h, mask);
  Value threshold = arith::SubIOp::create(
      b, loc, arith::ShRSIOp::create(b, loc, mask, one),
      arith::ShRSIOp::create(b, loc, h, splat(b, loc, type, 31)));
  Value up = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt, remainder,
                                   threshold);
  return arith::SubIOp::create(b, loc, arith::ShRSIOp::create(b, loc, h, r),
                               arith::ExtSIOp::create(b, loc, type, up));
}

struct SelectApplyScale : public OpRewritePattern<tosa::ApplyScaleOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(tosa::ApplyScaleOp op,
                                PatternRewriter &rewriter) const override {
    if (op.getRoundingMode() != tosa::RoundingMode::DOUBLE_ROUND)
      return rewriter.notifyMatchFailure(op, "not DOUBLE_ROUND");
    auto type = dyn_cast<VectorType>(op.getType());
    if (!type || type.getNumElements() % 2 != 0)
      return rewriter.notifyMatchFailure(op, "not a vector of an even length");
    FailureOr<std::pair<codegen::KnownValues, codegen::KnownValues>> known =
        codegen::getKnownScaleParameters(op, rewriter);
    if (failed(known))
      return failure();
    const codegen::KnownValues &shifts = known->second;

    // s = 31 - n, l = max(s, 0), r = max(-s, 0), computed per lane at run
    // time (the kernels read them per column; constants fold).
    Location loc = op.getLoc();
    Value x = op.getValue();
    Value zero = splat(rewriter, loc, type, 0);
    Value s = arith::SubIOp::create(
        rewriter, loc, splat(rewriter, loc, type, 31),
        arith::ExtSIOp::create(rewriter, loc, type, op.getShift()));
    if (shifts.any([](int64_t n) { return n < 31; }))
      x = arith::ShLIOp::create(rewriter, loc, x,
                                arith::MaxSIOp::create(rewriter, loc, s, zero));
    Value result = emitHighMul(rewriter, loc, x, op.getMultiplier());
    if (shifts.any([](int64_t n) { return n > 31; }))
      result = emitRoundingShift(
          rewriter, loc, result,
          arith::MaxSIOp::create(rewriter, loc,
                                 arith::SubIOp::create(rewriter, loc, zero, s),
                                 zero));
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct X86SelectRequantizationPass
    : public x86::impl::X86SelectRequantizationPassBase<
          X86SelectRequantizationPass> {
  using Base::Base;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    x86::populateSelectRequantizationPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void x86::populateSelectRequantizationPatterns(RewritePatternSet &patterns) {
  patterns.add<SelectApplyScale>(patterns.getContext());
}
