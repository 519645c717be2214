//===- SelectRequantization.cpp - tosa.apply_scale to NEON fixed point ----===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// The kernels' requantization, tosa.apply_scale on vectors of i32, as the
// fixed-point instructions of AArch64's Advanced SIMD, which gemmlowp, ruy
// and TFLite use for it: sqrdmulh (gemmlowp's
// SaturatingRoundingDoublingHighMul), sqdmulh, srshl and sqadd, called as
// LLVM intrinsics (the arm_neon dialect has none of them). Each rewrite is
// exactly tosa.apply_scale's value on the inputs qnn's preconditions admit;
// the derivations are at emitDoubleRound and emitSingleRound.
//
//===----------------------------------------------------------------------===//

#include "qopt/Codegen/ARM/Passes.h"

#include "qopt/Codegen/Common/KnownValues.h"
#include "qopt/Codegen/Common/RewriteConfig.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace qopt::arm {
#define GEN_PASS_DEF_ARMSELECTREQUANTIZATIONPASS
#include "qopt/Codegen/ARM/Passes.h.inc"
} // namespace qopt::arm

using namespace mlir;
using namespace qopt;
using codegen::getKnownValues;
using codegen::KnownValues;
using codegen::splat;

namespace {

Value perLane(OpBuilder &b, Location loc, VectorType type,
              ArrayRef<int64_t> values) {
  SmallVector<Attribute> attrs;
  for (int64_t v : values)
    attrs.push_back(b.getIntegerAttr(type.getElementType(), v));
  return arith::ConstantOp::create(b, loc, DenseElementsAttr::get(type, attrs));
}

/// A call of the AArch64 intrinsic `name` (without its type suffix) on
/// vector<N x i32> operands. Advanced SIMD has the .2s and .4s forms: other
/// lengths are split into 4-lane pieces, a last piece of 1 or 3 lanes
/// widened by repeating its lanes (the extra lanes are computed and
/// dropped).
Value callNeon(OpBuilder &b, Location loc, StringRef name, ValueRange args) {
  auto type = cast<VectorType>(args.front().getType());
  int64_t lanes = type.getNumElements();
  auto call = [&](ValueRange operands) -> Value {
    auto operandType = cast<VectorType>(operands.front().getType());
    std::string intrinsic =
        (name + ".v" + Twine(operandType.getNumElements()) + "i32").str();
    return LLVM::CallIntrinsicOp::create(b, loc, operandType,
                                         b.getStringAttr(intrinsic), operands)
        .getResult(0);
  };
  if (lanes == 4 || lanes == 2)
    return call(args);
  Value result = splat(b, loc, type, 0);
  for (int64_t offset = 0; offset < lanes; offset += 4) {
    int64_t size = std::min<int64_t>(4, lanes - offset);
    SmallVector<Value> pieces;
    for (Value arg : args) {
      Value piece = vector::ExtractStridedSliceOp::create(
          b, loc, arg, /*offsets=*/{offset}, /*sizes=*/{size},
          /*strides=*/{1});
      if (size == 1 || size == 3) {
        SmallVector<int64_t> mask;
        for (int64_t i = 0; i < 4; ++i)
          mask.push_back(i < size ? i : 0);
        piece = vector::ShuffleOp::create(b, loc, piece, piece, mask);
      }
      pieces.push_back(piece);
    }
    Value piece = call(pieces);
    if (size == 1 || size == 3)
      piece = vector::ExtractStridedSliceOp::create(
          b, loc, piece, /*offsets=*/{0}, /*sizes=*/{size}, /*strides=*/{1});
    result = vector::InsertStridedSliceOp::create(
        b, loc, piece, result, /*offsets=*/{offset}, /*strides=*/{1});
  }
  return result;
}

/// The qnn shift s = 31 - n of the tosa shift n, split as gemmlowp splits
/// it: x is shifted left by max(s, 0) before the high multiply and right by
/// max(-s, 0) after it. negRight is -max(-s, 0) = min(s, 0), the operand of
/// srshl, whose negative amounts shift right.
struct ShiftSplit {
  /// max(s, 0), min(s, 0) as i32 and s < 0 as i1 vectors (at run time,
  /// isRight only when both signs occur).
  Value left, negRight, isRight;
  /// Whether some lane may shift left, right, or not right (s >= 0).
  bool hasLeft = false, hasRight = false, hasNonNegative = false;
};

ShiftSplit splitShift(OpBuilder &b, Location loc, Value tosaShift,
                      const KnownValues &known, VectorType type) {
  ShiftSplit split;
  split.hasLeft = known.any([](int64_t n) { return n < 31; });
  split.hasRight = known.any([](int64_t n) { return n > 31; });
  split.hasNonNegative = known.any([](int64_t n) { return n <= 31; });
  if (known.perLane) {
    SmallVector<int64_t> left, negRight, isRight;
    for (int64_t n : known.values) {
      left.push_back(std::max<int64_t>(31 - n, 0));
      negRight.push_back(std::min<int64_t>(31 - n, 0));
      isRight.push_back(n > 31);
    }
    split.left = perLane(b, loc, type, left);
    split.negRight = perLane(b, loc, type, negRight);
    split.isRight = perLane(b, loc, type.clone(b.getI1Type()), isRight);
    return split;
  }
  // A vector read at run time: the same split with vector arithmetic.
  Value s =
      arith::SubIOp::create(b, loc, splat(b, loc, type, 31),
                            arith::ExtSIOp::create(b, loc, type, tosaShift));
  Value zero = splat(b, loc, type, 0);
  split.left = split.hasRight ? arith::MaxSIOp::create(b, loc, s, zero) : s;
  split.negRight =
      split.hasNonNegative ? arith::MinSIOp::create(b, loc, s, zero) : s;
  // Only single rounding with shifts of both signs selects per lane.
  if (split.hasRight && split.hasNonNegative)
    split.isRight =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, s, zero);
  return split;
}

/// DOUBLE_ROUND: gemmlowp's
///   RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(x * 2^l, M0), r)
/// with l = max(s, 0), r = max(-s, 0), which tosa.apply_scale computes
/// exactly (the derivation is at qnn::to_linalg::getTosaShift), as gemmlowp's
/// own NEON code computes it:
///
/// * sqrdmulh(y, M0) is sat((2 y M0 + 2^31) >> 32) = floor((y M0 + 2^30) /
///   2^31): SaturatingRoundingDoublingHighMul, ties toward +infinity, and
///   it saturates only for y = M0 = INT32_MIN, which M0 >= 0 rules out.
///
/// * y = x << l is x * 2^l when that fits in int32, the precondition of the
///   references (FixedPoint.h's multiplyByQuantizedMultiplier), which
///   --qopt-expand-zero-points checks for the accumulators of left-shifting
///   multipliers (M >= 1) from their bound. Outside it the shift
///   wraps here while tosa-to-arith's 64-bit product does not, and the
///   values differ; neither is gemmlowp's, whose int32 multiplication is
///   undefined there (the vectors' ovf rows). Where M0 = 0 (the padding
///   lanes of partial channel vectors) both give 0 whatever x is.
///
/// * srshl(f, -r) is (f + 2^(r-1)) >> r computed without overflow, i.e.
///   floor(f / 2^r + 1/2): ties toward +infinity, where RoundingDivideByPOT
///   rounds them away from zero. For h >= 0 the two agree. For h < 0 and
///   r >= 1 the tie must go down: floor((h + 2^(r-1) - 1) / 2^r), which is
///   srshl of f = h - 1. gemmlowp's fixup ((h & -r) >> 31, arithmetic) is
///   -1 exactly when h < 0 and r > 0 (the sign bit of -r is set iff r > 0),
///   so f = h + fixup. The add saturates (sqadd) only at h = INT32_MIN,
///   where srshl(INT32_MIN, -r) = -2^(31-r) is also the value that h - 1
///   would give, INT32_MIN being a multiple of 2^r; and h >= 1 - 2^31
///   anyway since y >= -2^31 and M0 < 2^31. For r = 0 the fixup is 0 and
///   srshl by 0 is the identity.
Value emitDoubleRound(OpBuilder &b, Location loc, Value x, Value multiplier,
                      const ShiftSplit &shift) {
  Value y = shift.hasLeft ? arith::ShLIOp::create(b, loc, x, shift.left) : x;
  Value high = callNeon(b, loc, "llvm.aarch64.neon.sqrdmulh", {y, multiplier});
  if (!shift.hasRight)
    return high;
  auto type = cast<VectorType>(x.getType());
  Value fixup = arith::ShRSIOp::create(
      b, loc, arith::AndIOp::create(b, loc, high, shift.negRight),
      splat(b, loc, type, 31));
  Value fixedUp = callNeon(b, loc, "llvm.aarch64.neon.sqadd", {high, fixup});
  return callNeon(b, loc, "llvm.aarch64.neon.srshl", {fixedUp, shift.negRight});
}

/// SINGLE_ROUND: tosa.apply_scale's (x M0 + 2^(n-1)) >> n in 64 bits,
/// n = 31 - s, which is floor(x M0 / 2^n + 1/2), TFLite's single rounding.
///
/// * s >= 0: it is floor((x 2^s M0 + 2^30) / 2^31) = sqrdmulh(x << s, M0),
///   the double-rounding sequence without its right shift (the one rounding
///   step is the high multiply's; x << s fits by the same precondition).
///
/// * s = -r < 0: sqdmulh(x, M0) = floor(x M0 / 2^31) (the doubling high
///   multiply without rounding; no saturation since M0 >= 0), and
///   srshl(., -r) = floor((. + 2^(r-1)) / 2^r). Since floor(floor(a) / c) =
///   floor(a / c) for integers c > 0 and floor(a) + k = floor(a + k) for
///   integers k, the two are floor((x M0 + 2^(30+r)) / 2^(31+r)): the single
///   rounding exactly, ties toward +infinity as srshl rounds them, so no
///   fixup (TFLite's NEON code under TFLITE_SINGLE_ROUNDING is the same
///   sqdmulh and srshl).
///
/// Lanes of both kinds (per-channel shifts of both signs) compute both and
/// select per lane.
Value emitSingleRound(OpBuilder &b, Location loc, Value x, Value multiplier,
                      const ShiftSplit &shift) {
  Value nonNegative, right;
  if (shift.hasNonNegative) {
    Value y = shift.hasLeft ? arith::ShLIOp::create(b, loc, x, shift.left) : x;
    nonNegative =
        callNeon(b, loc, "llvm.aarch64.neon.sqrdmulh", {y, multiplier});
  }
  if (shift.hasRight) {
    Value high = callNeon(b, loc, "llvm.aarch64.neon.sqdmulh", {x, multiplier});
    right = callNeon(b, loc, "llvm.aarch64.neon.srshl", {high, shift.negRight});
  }
  if (!right)
    return nonNegative;
  if (!nonNegative)
    return right;
  return arith::SelectOp::create(b, loc, shift.isRight, right, nonNegative);
}

struct SelectApplyScale : public OpRewritePattern<tosa::ApplyScaleOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(tosa::ApplyScaleOp op,
                                PatternRewriter &rewriter) const override {
    tosa::RoundingMode mode = op.getRoundingMode();
    if (mode != tosa::RoundingMode::DOUBLE_ROUND &&
        mode != tosa::RoundingMode::SINGLE_ROUND)
      return rewriter.notifyMatchFailure(op, "unsupported rounding mode");
    FailureOr<std::pair<KnownValues, KnownValues>> known =
        codegen::getKnownScaleParameters(op, rewriter);
    if (failed(known))
      return failure();
    const KnownValues &shifts = known->second;

    Location loc = op.getLoc();
    ShiftSplit shift = splitShift(rewriter, loc, op.getShift(), shifts,
                                  cast<VectorType>(op.getType()));
    Value result = mode == tosa::RoundingMode::DOUBLE_ROUND
                       ? emitDoubleRound(rewriter, loc, op.getValue(),
                                         op.getMultiplier(), shift)
                       : emitSingleRound(rewriter, loc, op.getValue(),
                                         op.getMultiplier(), shift);
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct ARMSelectRequantizationPass
    : public arm::impl::ARMSelectRequantizationPassBase<
          ARMSelectRequantizationPass> {
  using Base::Base;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    arm::populateSelectRequantizationPatterns(patterns);
    if (failed(
            applyPatternsGreedily(getOperation(), std::move(patterns),
                                  qopt::codegen::getStructuredRewriteConfig())))
      signalPassFailure();
  }
};

} // namespace

void arm::populateSelectRequantizationPatterns(RewritePatternSet &patterns) {
  patterns.add<SelectApplyScale>(patterns.getContext());
}
