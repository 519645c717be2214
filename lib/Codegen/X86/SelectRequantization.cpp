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
// When every lane shifts right and the input is known to be in [-2^30,
// 2^30) (a depthwise tile's accumulator: its bias, a constant, plus a few
// bounded dot products; a contraction's, whose kernel states the range its
// weights and bias bound; a TensorFlow Lite add's operands shifted left by
// 20, and their rescaled sum), the two roundings take one 64-bit product and a
// shift instead (qnn::doubleRoundByOneProduct, derived in FixedPoint.h):
// two vpmuldq, a vpermt2d and a few adds and shifts where the general
// sequence also needs the odd lanes' shifts, the blend and five operations
// of the rounding shift. An output zero point added to that result folds
// into the product's constant terms, and a result clamped from below at the
// zero point (a ReLU) drops the rounding's [x < 0] term. An accumulator
// that its kernel offset by 2^19 (known to be in [-2^19, 2^19) before: a
// depthwise layer's, a short contraction's) takes, with AVX-512 IFMA, one
// vpmadd52luq per half vector on the offset value and no doubling
// (qnn::doubleRoundByOffsetProduct). A value of small known range shifted
// left (an add's operand, (x - zp) << 20) takes two 32-bit products instead
// (qnn::doubleRoundBySplitProduct): no 64-bit lanes and no shuffle.
//
//===----------------------------------------------------------------------===//

#include "qopt/Codegen/X86/Passes.h"

#include "qopt/Codegen/Common/KnownValues.h"
#include "qopt/Codegen/Common/RewriteConfig.h"

#include "qopt/Dialect/QNN/Utils/FixedPoint.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Matchers.h"
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

/// The sign-extended even lanes (low halves of the 64-bit view of `v`) and
/// odd lanes (high halves).
static std::pair<Value, Value> getHalves(OpBuilder &b, Location loc, Value v) {
  auto type = cast<VectorType>(v.getType());
  auto wide = VectorType::get({type.getNumElements() / 2}, b.getI64Type());
  Value c32 = splat(b, loc, wide, 32);
  Value w = vector::BitCastOp::create(b, loc, wide, v);
  Value low = arith::ShRSIOp::create(
      b, loc, arith::ShLIOp::create(b, loc, w, c32), c32);
  Value high = arith::ShRSIOp::create(b, loc, w, c32);
  return {low, high};
}

/// The odd lanes of `v` sign-extended into the 64-bit lanes, as getHalves
/// gives them, by a shuffle copying each odd lane into the even one below it
/// rather than a shift: vpmuldq reads the low halves only, and on x86 the
/// shuffle (vpshufd) takes another port than the shifts, which compete with
/// the dot products and the multiplies in a depthwise kernel's epilogue.
static Value getOddLanesByShuffle(OpBuilder &b, Location loc, Value v) {
  auto type = cast<VectorType>(v.getType());
  auto wide = VectorType::get({type.getNumElements() / 2}, b.getI64Type());
  SmallVector<int64_t> mask;
  for (int64_t i = 1; i < type.getNumElements(); i += 2)
    mask.append({i, i});
  Value c32 = splat(b, loc, wide, 32);
  Value w = vector::BitCastOp::create(
      b, loc, wide, vector::ShuffleOp::create(b, loc, v, v, mask));
  return arith::ShRSIOp::create(
      b, loc, arith::ShLIOp::create(b, loc, w, c32), c32);
}

/// The high 32 bits of the 64-bit lanes of `even` and `odd` (the products
/// of the even and of the odd lanes, as vectors of i32 pairs), back in lane
/// order: one vpermt2d.
static Value gatherHighHalves(OpBuilder &b, Location loc, Value even,
                              Value odd) {
  int64_t lanes = cast<VectorType>(even.getType()).getNumElements();
  SmallVector<int64_t> highHalves;
  for (int64_t i = 0; i < lanes; i += 2) {
    highHalves.push_back(i + 1);
    highHalves.push_back(lanes + i + 1);
  }
  return vector::ShuffleOp::create(b, loc, even, odd, highHalves);
}

/// The right shifts r = tosaShift - 31 of the lanes of `type`, constants
/// when every lane shifts by `uniformShift`.
static Value getRightShifts(OpBuilder &b, Location loc, VectorType type,
                            Value tosaShift,
                            std::optional<int64_t> uniformShift) {
  if (uniformShift)
    return splat(b, loc, type, *uniformShift - 31);
  return arith::SubIOp::create(
      b, loc, arith::ExtSIOp::create(b, loc, type, tosaShift),
      splat(b, loc, type, 31));
}

/// zeroPoint 2^(32 + r) in 64-bit lanes, for the right shifts `rs` of the
/// same lanes: an output zero point folded into a product's constant terms
/// (qnn::canFoldOneProductZeroPoint).
static Value getZeroPointTerm(OpBuilder &b, Location loc, int64_t zeroPoint,
                              Value rs) {
  return arith::ShLIOp::create(
      b, loc,
      splat(b, loc, cast<VectorType>(rs.getType()),
            zeroPoint * (int64_t(1) << 32)),
      rs);
}

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
  Value nudge = splat(b, loc, wide, int64_t(1) << 30);
  auto [yEven, yOdd] = getHalves(b, loc, y);
  auto [mEven, mOdd] = getHalves(b, loc, multiplier);
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

/// qnn::doubleRoundByOneProduct(x, (M0, -r), zeroPoint) per lane, for x in
/// [-2^30, 2^30) and r = tosaShift - 31 in [1, 31]: t = (2x) M0 + 2^31 +
/// 2^(31 + r) + zeroPoint 2^(32 + r) in the 64-bit lanes of the even and odd
/// lanes' products (vpmuldq), the high halves of t gathered into one vector
/// (vpermt2d), minus [x < 0] unless `signTerm` is false (the result is
/// clamped from below at zeroPoint or above), shifted right by r. With one
/// shift for every lane (`uniformShift`) the shifts are constants, and so are
/// the sums' constant terms.
Value emitOneProductRequantization(OpBuilder &b, Location loc, Value x,
                                   Value multiplier, Value tosaShift,
                                   std::optional<int64_t> uniformShift,
                                   int64_t zeroPoint, bool signTerm) {
  auto type = cast<VectorType>(x.getType());
  int64_t lanes = type.getNumElements();
  auto wide = VectorType::get({lanes / 2}, b.getI64Type());
  Value r = getRightShifts(b, loc, type, tosaShift, uniformShift);
  Value half = splat(b, loc, wide, int64_t(1) << 31);
  Value x2 = arith::AddIOp::create(b, loc, x, x);
  Value xEven = getHalves(b, loc, x2).first;
  Value xOdd = getOddLanesByShuffle(b, loc, x2);
  auto [mEven, mOdd] = getHalves(b, loc, multiplier);
  auto [rEven, rOdd] = getHalves(b, loc, r);
  auto sum = [&](Value xs, Value ms, Value rs) -> Value {
    Value nudge = arith::AddIOp::create(
        b, loc, arith::ShLIOp::create(b, loc, half, rs), half);
    if (zeroPoint != 0)
      nudge = arith::AddIOp::create(b, loc, nudge,
                                    getZeroPointTerm(b, loc, zeroPoint, rs));
    return vector::BitCastOp::create(
        b, loc, type,
        arith::AddIOp::create(b, loc, arith::MulIOp::create(b, loc, xs, ms),
                              nudge));
  };
  Value high = gatherHighHalves(b, loc, sum(xEven, mEven, rEven),
                                sum(xOdd, mOdd, rOdd));
  if (signTerm)
    high = arith::AddIOp::create(
        b, loc, high,
        arith::ShRSIOp::create(b, loc, x, splat(b, loc, type, 31)));
  return arith::ShRSIOp::create(b, loc, high, r);
}

/// y when `x` is y - qnn::kOffsetProductBias (an arith.subi of the splat,
/// or an arith.addi of its negation): a kernel's accumulator that started
/// at its bias plus the offset (KernelTarget::offsetsAccumulators).
static Value getOffsetProductInput(Value x) {
  APInt value;
  if (auto sub = x.getDefiningOp<arith::SubIOp>())
    if (matchPattern(sub.getRhs(), m_ConstantInt(&value)) &&
        value.getSExtValue() == qnn::kOffsetProductBias)
      return sub.getLhs();
  if (auto add = x.getDefiningOp<arith::AddIOp>())
    if (matchPattern(add.getRhs(), m_ConstantInt(&value)) &&
        value.getSExtValue() == -qnn::kOffsetProductBias)
      return add.getLhs();
  return {};
}

/// qnn::doubleRoundByOffsetProduct(y, (M0, -r), zeroPoint, signTerm) per
/// lane of a vector<16xi32> `y` in [0, 2^20), r = tosaShift - 31 in [1, 31]:
/// the even and odd lanes of y zero-extended into 64-bit lanes (an and, a
/// shift), each multiplied by 2 M0 and added to the constant term E by one
/// vpmadd52luq, the high halves gathered (vpermt2d), plus y >> 19 with the
/// sign term, shifted right by r. 2 M0 and E depend on the vector of
/// channels only: a kernel that reads its multipliers outside its tile loop
/// has them computed there. Two operations fewer per vector than
/// emitOneProductRequantization: no doubling of x, and the odd lanes' nudge
/// is in the multiply-add.
static Value emitOffsetProductRequantization(
    OpBuilder &b, Location loc, Value y, Value multiplier, Value tosaShift,
    std::optional<int64_t> uniformShift, int64_t zeroPoint, bool signTerm) {
  auto type = cast<VectorType>(y.getType());
  int64_t lanes = type.getNumElements();
  auto wide = VectorType::get({lanes / 2}, b.getI64Type());
  Value r = getRightShifts(b, loc, type, tosaShift, uniformShift);
  // The even (low) and odd (high) 32-bit halves of the 64-bit lanes of a
  // nonnegative vector, zero-extended.
  auto halves = [&](Value v) -> std::pair<Value, Value> {
    Value w = vector::BitCastOp::create(b, loc, wide, v);
    return {arith::AndIOp::create(b, loc, w,
                                  splat(b, loc, wide, 0xFFFFFFFFll)),
            arith::ShRUIOp::create(b, loc, w, splat(b, loc, wide, 32))};
  };
  auto [yEven, yOdd] = halves(y);
  auto [mEven, mOdd] = halves(arith::AddIOp::create(b, loc, multiplier,
                                                    multiplier));
  auto [rEven, rOdd] = halves(r);
  // E = 2^31 + 2^(31 + r) + z 2^(32 + r) - 2^19 (2 M0) - [signTerm] 2^32.
  auto sum = [&](Value ys, Value ms, Value rs) -> Value {
    Value half = splat(b, loc, wide, int64_t(1) << 31);
    Value constant = arith::AddIOp::create(
        b, loc, arith::ShLIOp::create(b, loc, half, rs),
        splat(b, loc, wide,
              (int64_t(1) << 31) - (signTerm ? int64_t(1) << 32 : 0)));
    if (zeroPoint != 0)
      constant = arith::AddIOp::create(
          b, loc, constant, getZeroPointTerm(b, loc, zeroPoint, rs));
    constant = arith::SubIOp::create(
        b, loc, constant,
        arith::ShLIOp::create(b, loc, ms, splat(b, loc, wide, 19)));
    Value t = LLVM::CallIntrinsicOp::create(
                  b, loc, wide,
                  b.getStringAttr("llvm.x86.avx512.vpmadd52l.uq.512"),
                  ValueRange{constant, ys, ms})
                  .getResult(0);
    return vector::BitCastOp::create(b, loc, type, t);
  };
  Value high = gatherHighHalves(b, loc, sum(yEven, mEven, rEven),
                                sum(yOdd, mOdd, rOdd));
  if (signTerm)
    high = arith::AddIOp::create(
        b, loc, high, arith::ShRUIOp::create(b, loc, y, splat(b, loc, type, 19)));
  return arith::ShRSIOp::create(b, loc, high, r);
}

/// Whether every use of `value` is an arith.maxsi with a constant of at least
/// `bound` in every lane (a clamp from below at `bound` or above), or a
/// vector.shuffle (a concatenation of epilogues narrowed together) whose
/// result is only used so.
static bool isClampedFromBelow(Value value, int64_t bound) {
  return !value.use_empty() &&
         llvm::all_of(value.getUsers(), [&](Operation *user) {
           if (auto shuffle = dyn_cast<vector::ShuffleOp>(user))
             return isClampedFromBelow(shuffle.getResult(), bound);
           auto max = dyn_cast<arith::MaxSIOp>(user);
           if (!max)
             return false;
           Value other = max.getLhs() == value ? max.getRhs() : max.getLhs();
           APInt splatValue;
           return matchPattern(other, m_ConstantInt(&splatValue)) &&
                  splatValue.getSExtValue() >= bound;
         });
}

/// The range of a dot-product instruction's result: its accumulator's plus
/// each group's extreme products (vpdpbusd: 4 unsigned bytes times signed
/// ones; vpmaddwd: 2 pairs of 16-bit values, without an accumulator).
static std::optional<qnn::IntegerRange> getDotProductRange(
    Operation *op,
    function_ref<std::optional<qnn::IntegerRange>(Value)> rangeOf) {
  auto call = dyn_cast<LLVM::CallIntrinsicOp>(op);
  if (!call)
    return std::nullopt;
  StringRef name = call.getIntrin();
  // `group` products of a lane whose factors are in `input` and `weights`.
  auto products = [&](qnn::IntegerRange input, qnn::IntegerRange weights,
                      int64_t group) {
    qnn::IntegerRange product = qnn::getProductRange(input, weights);
    return qnn::IntegerRange{group * product.min, group * product.max};
  };
  if (name == "llvm.x86.avx512.vpdpbusd.512" && call.getNumOperands() == 3) {
    std::optional<qnn::IntegerRange> acc = rangeOf(call.getOperand(0));
    if (!acc)
      return std::nullopt;
    // The input bytes are unsigned whatever their i8 values say; the
    // weights, signed, are often constants.
    qnn::IntegerRange sum = products(
        {0, 255}, rangeOf(call.getOperand(2)).value_or(qnn::IntegerRange{-128, 127}),
        4);
    return qnn::IntegerRange{acc->min + sum.min, acc->max + sum.max};
  }
  if (name == "llvm.x86.avx2.pmadd.wd" && call.getNumOperands() == 2) {
    qnn::IntegerRange anyWord{-32768, 32767};
    return products(rangeOf(call.getOperand(0)).value_or(anyWord),
                    rangeOf(call.getOperand(1)).value_or(anyWord), 2);
  }
  return std::nullopt;
}

/// qnn::doubleRoundBySplitProduct(v, p) per lane: v Lo + K (a vpdpwssd
/// where v and Lo are 16-bit), plus N where v < 0 ((v >> 31) & N), shifted
/// right by n, plus v H: two 32-bit multiplies and no shuffle, where the
/// one-product sequence takes the shift left, two vpmuldq, the doubling, a
/// vpshufd and a vpermt2d.
static Value emitSplitProductRequantization(OpBuilder &b, Location loc, Value v,
                                            const qnn::ShiftedSplitProduct &p) {
  auto type = cast<VectorType>(v.getType());
  Value sum = arith::AddIOp::create(
      b, loc, arith::MulIOp::create(b, loc, v, splat(b, loc, type, p.low)),
      splat(b, loc, type, p.constant));
  if (p.negativeTerm != 0)
    sum = arith::AddIOp::create(
        b, loc, sum,
        arith::AndIOp::create(
            b, loc, arith::ShRSIOp::create(b, loc, v, splat(b, loc, type, 31)),
            splat(b, loc, type, p.negativeTerm)));
  Value result =
      arith::ShRSIOp::create(b, loc, sum, splat(b, loc, type, p.shift));
  if (p.high == 0)
    return result;
  return arith::AddIOp::create(
      b, loc, arith::MulIOp::create(b, loc, v, splat(b, loc, type, p.high)),
      result);
}

/// The parameters of the split-product sequence for `op`, whose input is
/// v << leftShift (a constant) with v of known range, one multiplier and one
/// shift in every lane: with the output zero point folded in where it fits,
/// else without it (`foldsZeroPoint` says which).
static std::optional<qnn::ShiftedSplitProduct>
getSplitProduct(tosa::ApplyScaleOp op, const codegen::KnownValues &multipliers,
                std::optional<int64_t> uniformShift, int64_t zeroPoint,
                bool signTerm, codegen::ConstantRangeCache &constantRanges,
                bool &foldsZeroPoint) {
  auto shl = op.getValue().getDefiningOp<arith::ShLIOp>();
  APInt leftShift;
  if (!shl || !uniformShift || multipliers.values.empty() ||
      !llvm::all_equal(multipliers.values) ||
      !matchPattern(shl.getRhs(), m_ConstantInt(&leftShift)) ||
      leftShift.getSExtValue() < 0 || leftShift.getSExtValue() > 30)
    return std::nullopt;
  std::optional<qnn::IntegerRange> range =
      codegen::getKnownRange(shl.getLhs(), getDotProductRange, &constantRanges);
  if (!range)
    return std::nullopt;
  qnn::QuantizedMultiplier m{static_cast<int32_t>(multipliers.values.front()),
                             static_cast<int32_t>(31 - *uniformShift)};
  auto get = [&](int64_t z) {
    return qnn::getShiftedSplitProduct(
        m, static_cast<int32_t>(leftShift.getSExtValue()), range->min,
        range->max, static_cast<int32_t>(z), signTerm);
  };
  foldsZeroPoint = true;
  if (std::optional<qnn::ShiftedSplitProduct> p = get(zeroPoint))
    return p;
  foldsZeroPoint = false;
  return zeroPoint != 0 ? get(0) : std::nullopt;
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
    if (shifts.all([](int64_t n) { return n >= 32; })) {
      std::optional<qnn::IntegerRange> range =
          codegen::getValueRange(op, getDotProductRange, &constantRanges);
      if (range && range->min >= qnn::kMinOneProductInput &&
          range->max <= qnn::kMaxOneProductInput) {
        std::optional<int64_t> uniformShift;
        if (llvm::all_equal(shifts.values))
          uniformShift = shifts.values.front();
        // An output zero point added to the result alone goes into the
        // sums' constant terms, saving the kernel's add.
        int64_t zeroPoint = 0;
        Operation *zeroPointAdd = nullptr;
        if (op->hasOneUse())
          if (auto add = dyn_cast<arith::AddIOp>(*op->user_begin())) {
            Value other =
                add.getLhs() == op.getResult() ? add.getRhs() : add.getLhs();
            APInt value;
            if (matchPattern(other, m_ConstantInt(&value)) &&
                value.getSignificantBits() <= 32 &&
                shifts.all([&](int64_t n) {
                  return qnn::canFoldOneProductZeroPoint(value.getSExtValue(),
                                                         n - 31);
                })) {
              zeroPoint = value.getSExtValue();
              zeroPointAdd = add;
            }
          }
        // A result clamped from below at the zero point (a ReLU's) needs
        // no [x < 0] term: it only lowers results that the clamp raises.
        bool signTerm = !isClampedFromBelow(
            zeroPointAdd ? zeroPointAdd->getResult(0) : op.getResult(),
            zeroPoint);
        // An accumulator offset into [0, 2^20) takes IFMA's
        // multiply-add where the function may use it.
        Value offsetInput = getOffsetProductInput(x);
        LLVM::TargetFeaturesAttr features =
            LLVM::TargetFeaturesAttr::featuresAt(op);
        bool foldsZeroPoint = false;
        Value result;
        // A small value shifted left (an add's operand) takes 32-bit
        // multiplies.
        if (std::optional<qnn::ShiftedSplitProduct> split =
                getSplitProduct(op, known->first, uniformShift, zeroPoint,
                                signTerm, constantRanges, foldsZeroPoint)) {
          result = emitSplitProductRequantization(
              rewriter, loc, x.getDefiningOp<arith::ShLIOp>().getLhs(), *split);
          if (!foldsZeroPoint)
            zeroPointAdd = nullptr;
        } else if (offsetInput && type.getNumElements() == 16 && features &&
                   features.contains("+avx512ifma") &&
                   range->min >= -qnn::kOffsetProductBias &&
                   range->max < qnn::kOffsetProductBias) {
          result = emitOffsetProductRequantization(
              rewriter, loc, offsetInput, op.getMultiplier(), op.getShift(),
              uniformShift, zeroPoint, signTerm);
        } else {
          result = emitOneProductRequantization(
              rewriter, loc, x, op.getMultiplier(), op.getShift(), uniformShift,
              zeroPoint, signTerm);
        }
        if (zeroPointAdd) {
          rewriter.replaceOp(zeroPointAdd, result);
          rewriter.eraseOp(op);
        } else {
          rewriter.replaceOp(op, result);
        }
        return success();
      }
    }
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

  /// The ranges of the constants the accumulators read (a depthwise layer's
  /// packed weights and bias), computed once per rewrite of a function
  /// rather than once per accumulator.
  mutable codegen::ConstantRangeCache constantRanges;
};

/// An epilogue's narrowing of 2 or 4 vectors of 16 i32 lanes together
/// (KernelTarget::getNarrowedVectors): arith.trunci to i8 of their
/// concatenation clamped to [lo, hi] by arith.maxsi and arith.minsi, within
/// the range of u8 or of s8. With AVX-512BW, saturating packs: packssdw of
/// pairs of vectors and packuswb (packsswb) of the results saturate to the
/// byte range as the clamp would, a byte max and min apply a narrower clamp,
/// and one vpermd puts the dwords of the 128-bit lanes in order (the packs
/// work per lane: lane l holds channels 4l .. 4l + 3 of each vector); 3 to 6
/// operations for 4 vectors instead of a clamp and a 2-uop vpmovusdb each.
/// A byte shuffle that alone uses the result (a depthwise block's, whose
/// vectors hold their channels in the packs' order) composes with the
/// vpermd's, and cancels it there.
struct SelectPackedNarrowing : public OpRewritePattern<arith::TruncIOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(arith::TruncIOp op,
                                PatternRewriter &rewriter) const override {
    auto type = dyn_cast<VectorType>(op.getType());
    auto sourceType = dyn_cast<VectorType>(op.getIn().getType());
    if (!type || type.getRank() != 1 || !type.getElementType().isInteger(8) ||
        !sourceType.getElementType().isInteger(32) ||
        (type.getNumElements() != 32 && type.getNumElements() != 64))
      return rewriter.notifyMatchFailure(op, "not 2 or 4 vectors to bytes");
    LLVM::TargetFeaturesAttr features =
        LLVM::TargetFeaturesAttr::featuresAt(op);
    if (!features || !features.contains("+avx512bw"))
      return rewriter.notifyMatchFailure(op, "no AVX-512BW");
    auto min = op.getIn().getDefiningOp<arith::MinSIOp>();
    APInt lo, hi;
    if (!min || !matchPattern(min.getRhs(), m_ConstantInt(&hi)))
      return rewriter.notifyMatchFailure(op, "not clamped from above");
    auto max = min.getLhs().getDefiningOp<arith::MaxSIOp>();
    if (!max || !matchPattern(max.getRhs(), m_ConstantInt(&lo)))
      return rewriter.notifyMatchFailure(op, "not clamped from below");
    int64_t low = lo.getSExtValue(), high = hi.getSExtValue();
    bool isUnsigned = low >= 0 && high <= 255;
    if (!isUnsigned && (low < -128 || high > 127))
      return rewriter.notifyMatchFailure(op, "clamp wider than a byte");

    Location loc = op.getLoc();
    Value x = max.getLhs();
    int64_t count = type.getNumElements() / 16;
    auto words = VectorType::get({32}, rewriter.getI16Type());
    auto bytes = VectorType::get({64}, rewriter.getI8Type());
    auto call = [&](StringRef name, Type resultType, Value a, Value b) {
      return LLVM::CallIntrinsicOp::create(rewriter, loc, resultType,
                                           rewriter.getStringAttr(name),
                                           ValueRange{a, b})
          .getResult(0);
    };
    SmallVector<Value> packed;
    for (int64_t k = 0; k < count; k += 2)
      packed.push_back(call("llvm.x86.avx512.packssdw.512", words,
                            vector::ExtractStridedSliceOp::create(
                                rewriter, loc, x, 16 * k, 16, 1),
                            vector::ExtractStridedSliceOp::create(
                                rewriter, loc, x, 16 * (k + 1), 16, 1)));
    Value result = call(isUnsigned ? "llvm.x86.avx512.packuswb.512"
                                   : "llvm.x86.avx512.packsswb.512",
                        bytes, packed.front(), packed.back());
    // Dword l * 4 + v holds channels 4l .. 4l + 3 of vector v: byte
    // order[n] of the packed bytes is byte n of the result.
    SmallVector<int64_t> order;
    for (int64_t v = 0; v < count; ++v)
      for (int64_t l = 0; l < 4; ++l)
        for (int64_t byte = 0; byte < 4; ++byte)
          order.push_back((l * 4 + v) * 4 + byte);
    // A byte shuffle of the result alone (a kernel that permuted its
    // channels putting them back in order) composes with this one, and the
    // clamps below commute with both: one shuffle, or none where they
    // cancel, as a depthwise block's do.
    Operation *replaced = op;
    if (!op->use_empty() && llvm::all_equal(op->getUsers()))
      if (auto shuffle = dyn_cast<vector::ShuffleOp>(*op->user_begin());
          shuffle && shuffle.getV1() == shuffle.getV2() &&
          shuffle.getResultVectorType() == type &&
          llvm::all_of(shuffle.getMask(), [](int64_t n) { return n >= 0; })) {
        SmallVector<int64_t> composed;
        for (int64_t n : shuffle.getMask())
          composed.push_back(order[n % order.size()]);
        order = std::move(composed);
        replaced = shuffle;
      }
    // A shuffle of whole dwords where it moves them so (vpermd).
    SmallVector<int64_t> dwordOrder;
    for (size_t n = 0; n < order.size(); n += 4)
      if (order[n] % 4 == 0 &&
          llvm::all_of(llvm::seq<size_t>(1, 4), [&](size_t byte) {
            return order[n + byte] == order[n] + int64_t(byte);
          }))
        dwordOrder.push_back(order[n] / 4);
    bool inOrder = llvm::equal(order, llvm::seq<int64_t>(0, order.size()));
    if (!inOrder && dwordOrder.size() * 4 == order.size()) {
      auto vector16 = VectorType::get({16}, rewriter.getI32Type());
      Value dwords = vector::BitCastOp::create(rewriter, loc, vector16, result);
      result = vector::BitCastOp::create(
          rewriter, loc, type,
          vector::ShuffleOp::create(rewriter, loc, dwords, dwords, dwordOrder));
    } else if (!inOrder) {
      result = vector::ShuffleOp::create(rewriter, loc, result, result, order);
    }
    auto bound = [&](int64_t value) {
      return splat(rewriter, loc, type, static_cast<int8_t>(value));
    };
    if (low > (isUnsigned ? 0 : -128))
      result =
          isUnsigned
              ? Value(arith::MaxUIOp::create(rewriter, loc, result, bound(low)))
              : Value(
                    arith::MaxSIOp::create(rewriter, loc, result, bound(low)));
    if (high < (isUnsigned ? 255 : 127))
      result = isUnsigned ? Value(arith::MinUIOp::create(rewriter, loc, result,
                                                         bound(high)))
                          : Value(arith::MinSIOp::create(rewriter, loc, result,
                                                         bound(high)));
    rewriter.replaceOp(replaced, result);
    if (replaced != op)
      rewriter.eraseOp(op);
    return success();
  }
};

struct X86SelectRequantizationPass
    : public x86::impl::X86SelectRequantizationPassBase<
          X86SelectRequantizationPass> {
  using Base::Base;

  void runOnOperation() override {
    // Every requantization's input range first: one that feeds another (a
    // residual add's operands, then their sum) bounds the other's input
    // only until it is rewritten into instructions the analysis does not
    // follow.
    codegen::ConstantRangeCache constantRanges;
    getOperation()->walk([&](tosa::ApplyScaleOp op) {
      if (op->hasAttr(codegen::kValueRangeAttrName) ||
          op.getRoundingMode() != tosa::RoundingMode::DOUBLE_ROUND ||
          !isa<VectorType>(op.getType()))
        return;
      if (std::optional<qnn::IntegerRange> range = codegen::getValueRange(
              op, getDotProductRange, &constantRanges))
        codegen::setStatedRange(op, *range);
    });
    RewritePatternSet patterns(&getContext());
    x86::populateSelectRequantizationPatterns(patterns);
    if (failed(
            applyPatternsGreedily(getOperation(), std::move(patterns),
                                  qopt::codegen::getStructuredRewriteConfig())))
      return signalPassFailure();
    // After the requantizations, which look for the clamps that these
    // rewrite.
    RewritePatternSet narrowing(&getContext());
    x86::populateSelectPackedNarrowingPatterns(narrowing);
    if (failed(
            applyPatternsGreedily(getOperation(), std::move(narrowing),
                                  qopt::codegen::getStructuredRewriteConfig())))
      signalPassFailure();
  }
};

} // namespace

void x86::populateSelectRequantizationPatterns(RewritePatternSet &patterns) {
  patterns.add<SelectApplyScale>(patterns.getContext());
}

void x86::populateSelectPackedNarrowingPatterns(RewritePatternSet &patterns) {
  patterns.add<SelectPackedNarrowing>(patterns.getContext());
}
