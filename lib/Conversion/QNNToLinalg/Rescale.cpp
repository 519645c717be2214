//===- Rescale.cpp - Requantizing qnn.int ops to linalg.generic -----------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// The elementwise integer ops (rescale, add, mul, clamp) and the float
// boundary (quantize, dequantize) become elementwise linalg.generic ops. Every
// multiplication by M = M0 * 2^(shift - 31) is one tosa.apply_scale, which
// `tosa-to-arith{include-apply-rescale}` lowers to arith; the derivation of
// why it is bit-exact with FixedPoint.h is at getTosaShift.
//
//===----------------------------------------------------------------------===//

#include "Common.h"

#include "qopt/Dialect/QNN/IR/QNN.h"
#include "qopt/Dialect/QNN/Utils/IntegerParams.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::to_linalg;

/// tosa.apply_scale(x, M0, n) computes, in 64 bits,
///   (x * M0 + round) >> n,  round = 2^(n - 1)
/// and with DOUBLE_ROUND, when n > 31, round += 2^30 for x >= 0 and
/// round -= 2^30 for x < 0. qnn's M = M0 * 2^(shift - 31) is a right shift by
/// n = 31 - shift, in [1, 62] for shift in [kMinShift, kMaxShift]. Writing
/// P = x * M0 (M0 >= 0):
///
/// * shift >= 0 (n <= 31; both modes): apply_scale gives
///   floor((P + 2^(30 - shift)) / 2^(31 - shift)). gemmlowp's double rounding
///   is SaturatingRoundingDoublingHighMul(x * 2^shift, M0), which is
///   floor((x * 2^shift * M0 + 2^30) / 2^31) (FixedPoint.h: ties up, and
///   no saturation since M0 >= 0): the same after dividing by 2^shift.
///   Single rounding's (P + 2^(30 - shift)) >> (31 - shift) is it literally.
///   x * 2^shift must fit in int32, the precondition of both references.
///
/// * shift < 0, SINGLE_ROUND: n > 31 but no adjustment, so it is again
///   TFLite's (P + 2^(30 - shift)) >> (31 - shift).
///
/// * shift = -r < 0, DOUBLE_ROUND (n = 31 + r): gemmlowp computes
///   h = floor((P + 2^30) / 2^31), then RoundingDivideByPOT(h, r). Using
///   floor(floor(a / b) / c) = floor(a / (b c)):
///   - x >= 0, so h >= 0, whose ties round up:
///       floor((h + 2^(r-1)) / 2^r) = floor((P + 2^30 + 2^(30+r)) / 2^(31+r)),
///     apply_scale's value with round = 2^(30+r) + 2^30.
///   - x < 0 and h < 0, whose ties round down:
///       floor((h + 2^(r-1) - 1) / 2^r)
///         = floor((P + 2^30 + 2^(30+r) - 2^31) / 2^(31+r))
///         = floor((P + 2^(30+r) - 2^30) / 2^(31+r)),
///     apply_scale's value with round = 2^(30+r) - 2^30.
///   - x < 0 and h = 0 (-2^30 < P <= 0): gemmlowp gives 0, and so does
///     apply_scale, its numerator being in (2^(30+r) - 2^31, 2^(30+r) - 2^30],
///     inside [0, 2^(31+r)).
int8_t to_linalg::getTosaShift(int32_t shift) {
  assert(shift >= kMinShift && shift <= kMaxShift && "verified by the op");
  return static_cast<int8_t>(31 - shift);
}

namespace {

/// The two parameters of a multiplication by M0 * 2^(shift - 31).
struct ScaleParams {
  ChannelParam multiplier;
  ChannelParam shift;

  Value apply(OpBuilder &b, Location loc, ValueRange args, Value x,
              RoundingMode mode) const {
    if (std::optional<int64_t> exponent = getExactExponent(mode))
      return shiftLeft(b, loc, x, *exponent);
    return applyScale(b, loc, x, multiplier.get(b, loc, args),
                      shift.get(b, loc, args), mode);
  }

  /// e when the multiplication is exactly by 2^e >= 1 in every channel:
  /// M0 = 2^30 and a tosa shift n <= 30 (qnn shift >= 1), for which
  /// apply_scale's floor((x * 2^30 + 2^(n - 1)) / 2^n) is x * 2^(30 - n),
  /// the rounding term being below 2^n (and n <= 31: no double-rounding
  /// adjustment); its low 32 bits are x << (30 - n) in i32. Not in Float32
  /// mode, which rounds x itself to a float. The unit scale (e = 0) is how
  /// --qopt-expand-zero-points moves an operand between i8 and u8.
  std::optional<int64_t> getExactExponent(RoundingMode mode) const {
    std::optional<int64_t> n = shift.getUniform();
    if (mode == RoundingMode::Float32 || !multiplier.isUniform(int64_t(1) << 30) ||
        !n || *n > 30)
      return std::nullopt;
    return 30 - *n;
  }

  /// Whether the multiplication of an even x is exactly x / 2: M0 = 2^30
  /// and n = 31 (qnn shift 0), floor((x * 2^30 + 2^30) / 2^31) =
  /// x / 2 + floor(1 / 2). Not in Float32 mode.
  bool isExactHalfOfEven(RoundingMode mode) const {
    return mode != RoundingMode::Float32 &&
           multiplier.isUniform(int64_t(1) << 30) && shift.isUniform(31);
  }

  static Value shiftLeft(OpBuilder &b, Location loc, Value x,
                         int64_t exponent) {
    if (exponent == 0)
      return x;
    return arith::ShLIOp::create(
        b, loc, x, createIntConstant(b, loc, b.getI32Type(), exponent));
  }
};

/// The operands, identity-mapped, and per-channel parameters of an
/// elementwise linalg.generic over `shape`.
struct ElementwiseBuilder {
  ElementwiseBuilder(OpBuilder &b, Location loc, ValueRange operands,
                     int64_t rank)
      : b(b), loc(loc), rank(rank), inputs(operands) {
    maps.assign(operands.size(), b.getMultiDimIdentityMap(rank));
  }

  /// The map of a parameter indexed by the innermost dimension; unused when
  /// every parameter has one value (then rank 0 is fine too).
  AffineMap channelMap() const {
    if (rank == 0)
      return AffineMap();
    return AffineMap::get(rank, 0, b.getAffineDimExpr(rank - 1));
  }

  /// `values` as one scalar or a per-channel tensor of `type`.
  ChannelParam param(ArrayRef<int64_t> values, Type type) {
    return ChannelParam(b, loc, values, type, channelMap(), inputs, maps);
  }

  /// Multiplier and tosa shift of a qnn (multiplier, shift) pair.
  ScaleParams scale(ArrayRef<int32_t> multipliers, ArrayRef<int32_t> shifts) {
    SmallVector<int64_t> m(multipliers.begin(), multipliers.end());
    SmallVector<int64_t> s = llvm::map_to_vector(
        shifts, [](int32_t shift) -> int64_t { return getTosaShift(shift); });
    return {param(m, b.getI32Type()), param(s, b.getI8Type())};
  }

  Value build(RankedTensorType resultType,
              function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
    Value init = tensor::EmptyOp::create(b, loc, resultType.getShape(),
                                         resultType.getElementType());
    maps.push_back(b.getMultiDimIdentityMap(rank));
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    return linalg::GenericOp::create(
               b, loc, resultType, inputs, init, maps, iterators,
               [&](OpBuilder &nb, Location nloc, ValueRange args) {
                 linalg::YieldOp::create(nb, nloc, body(nb, nloc, args));
               })
        .getResult(0);
  }

  OpBuilder &b;
  Location loc;
  int64_t rank;
  SmallVector<Value> inputs;
  SmallVector<AffineMap> maps;
};

/// `value + zeroPoint` in i32, clamped to [min, max] and truncated to
/// `elementType`: the common tail of every requantizing op.
Value addZeroPointClampAndTruncate(OpBuilder &b, Location loc, Value value,
                                   int64_t zeroPoint,
                                   std::pair<int64_t, int64_t> range,
                                   Type elementType) {
  if (zeroPoint != 0)
    value = arith::AddIOp::create(
        b, loc, value, createIntConstant(b, loc, b.getI32Type(), zeroPoint));
  return clampAndTruncate(b, loc, value, range.first, range.second,
                          elementType);
}

template <typename Op>
struct ElementwiseLowering : public OpConversionPattern<Op> {
  using OpConversionPattern<Op>::OpConversionPattern;

  RankedTensorType getResultType(Op op) const {
    return cast<RankedTensorType>(
        this->getTypeConverter()->convertType(op.getResult().getType()));
  }
};

struct RescaleLowering : public ElementwiseLowering<IntRescaleOp> {
  using ElementwiseLowering::ElementwiseLowering;

  LogicalResult
  matchAndRewrite(IntRescaleOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType type = op.getResult().getType();
    ElementwiseBuilder eb(rewriter, op.getLoc(), adaptor.getInput(),
                          type.getRank());
    ScaleParams scale = eb.scale(op.getMultiplier(), op.getShift());
    bool isUnsigned = isUnsignedElement(op.getInput().getType());
    auto range = getClampRange(type.getElementType(), op.getClampMin(),
                               op.getClampMax());
    Type elementType = getResultType(op).getElementType();
    rewriter.replaceOp(op, eb.build(getResultType(op), [&](OpBuilder &b,
                                                           Location loc,
                                                           ValueRange args) {
      Value x = subtractZeroPoint(
          b, loc, extendToI32(b, loc, args[0], isUnsigned), op.getInputZp());
      Value scaled = scale.apply(b, loc, args, x, op.getRounding());
      return addZeroPointClampAndTruncate(b, loc, scaled, op.getOutputZp(),
                                          range, elementType);
    }));
    return success();
  }
};

/// Base of the binary ops (add, weighted add, mul): both operands extended to
/// i32 minus their zero points, combined, plus the output zero point,
/// clamped.
template <typename Op> struct BinaryLowering : public ElementwiseLowering<Op> {
  using ElementwiseLowering<Op>::ElementwiseLowering;
  using Combine = function_ref<Value(OpBuilder &, Location, ValueRange args,
                                     Value lhs, Value rhs)>;

  ElementwiseBuilder getBuilder(Op op, typename Op::Adaptor adaptor,
                                OpBuilder &b) const {
    return ElementwiseBuilder(b, op.getLoc(),
                              {adaptor.getLhs(), adaptor.getRhs()},
                              op.getResult().getType().getRank());
  }

  /// Replaces `op` with `eb`'s linalg.generic: `combine` takes the operands
  /// minus their zero points (and the block arguments, for `eb`'s
  /// parameters) to the value before the output zero point.
  void replace(Op op, ElementwiseBuilder &eb,
               ConversionPatternRewriter &rewriter, Combine combine) const {
    bool lhsUnsigned = isUnsignedElement(op.getLhs().getType());
    bool rhsUnsigned = isUnsignedElement(op.getRhs().getType());
    auto range = getClampRange(op.getResult().getType().getElementType(),
                               op.getClampMin(), op.getClampMax());
    RankedTensorType resultType = this->getResultType(op);
    rewriter.replaceOp(op, eb.build(resultType, [&](OpBuilder &b, Location loc,
                                                    ValueRange args) {
      Value lhs = subtractZeroPoint(
          b, loc, extendToI32(b, loc, args[0], lhsUnsigned), op.getLhsZp());
      Value rhs = subtractZeroPoint(
          b, loc, extendToI32(b, loc, args[1], rhsUnsigned), op.getRhsZp());
      return addZeroPointClampAndTruncate(
          b, loc, combine(b, loc, args, lhs, rhs), op.getOutputZp(), range,
          resultType.getElementType());
    }));
  }
};

/// TensorFlow Lite's Add: both inputs, minus their zero points and shifted
/// left by left_shift, are rescaled to a common scale, summed, and the sum is
/// rescaled to the output.
struct AddLowering : public BinaryLowering<IntAddOp> {
  using BinaryLowering::BinaryLowering;

  LogicalResult
  matchAndRewrite(IntAddOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    ElementwiseBuilder eb = getBuilder(op, adaptor, rewriter);
    ScaleParams lhsScale = eb.scale(op.getLhsMultiplier(), op.getLhsShift());
    ScaleParams rhsScale = eb.scale(op.getRhsMultiplier(), op.getRhsShift());
    ScaleParams outputScale =
        eb.scale(op.getOutputMultiplier(), op.getOutputShift());
    RoundingMode mode = op.getRounding();
    replace(
        op, eb, rewriter,
        [&](OpBuilder &b, Location loc, ValueRange args, Value lhs, Value rhs) {
          auto rescale = [&](Value x, const ScaleParams &scale) {
            int64_t leftShift = op.getLeftShift();
            // TFLite's scheme rescales the operand with the larger scale by
            // 1/2 (M0 = 2^30, shift 0): of x * 2^leftShift, even, exactly
            // x * 2^(leftShift - 1), one 64-bit multiplication less.
            if (leftShift > 0 && scale.isExactHalfOfEven(mode))
              return ScaleParams::shiftLeft(b, loc, x, leftShift - 1);
            x = ScaleParams::shiftLeft(b, loc, x, leftShift);
            return scale.apply(b, loc, args, x, mode);
          };
          Value sum = arith::AddIOp::create(b, loc, rescale(lhs, lhsScale),
                                            rescale(rhs, rhsScale));
          return outputScale.apply(b, loc, args, sum, mode);
        });
    return success();
  }
};

/// gemmlowp's RoundingDivideByPOT on i32 (FixedPoint.h) of an x of at most
/// `max`: x >> exponent, plus one when the remainder r = x & mask exceeds
/// (mask >> 1) + (x < 0), so that ties round away from zero. Where
/// x + 2^(exponent - 1) cannot overflow, the same quotient is
///   (x + (x >> 31) + 2^(exponent - 1)) >> exponent:
/// x = q * 2^exponent + r with 0 <= r < 2^exponent, and adding
/// 2^(exponent - 1) - (x < 0) to r carries into q exactly when r exceeds
/// the threshold and, being nonnegative, never borrows from it.
/// Four operations instead of seven, without the compare and the mask's move
/// to a vector that were most of PyTorch qnnpack's add on x86.
Value roundingDivideByPOT(OpBuilder &b, Location loc, Value x, int32_t exponent,
                          int64_t max) {
  if (exponent == 0)
    return x;
  Type i32 = b.getI32Type();
  int64_t half = int64_t(1) << (exponent - 1);
  Value shift = createIntConstant(b, loc, i32, exponent);
  if (llvm::isInt<32>(max + half)) {
    Value sign =
        arith::ShRSIOp::create(b, loc, x, createIntConstant(b, loc, i32, 31));
    Value nudged =
        arith::AddIOp::create(b, loc, arith::AddIOp::create(b, loc, x, sign),
                              createIntConstant(b, loc, i32, half));
    return arith::ShRSIOp::create(b, loc, nudged, shift);
  }
  int64_t mask = (int64_t(1) << exponent) - 1;
  Value remainder =
      arith::AndIOp::create(b, loc, x, createIntConstant(b, loc, i32, mask));
  Value negative = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, x,
                                         createIntConstant(b, loc, i32, 0));
  Value threshold =
      arith::AddIOp::create(b, loc, createIntConstant(b, loc, i32, mask >> 1),
                            arith::ExtUIOp::create(b, loc, i32, negative));
  Value roundUp = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt,
                                        remainder, threshold);
  Value floor = arith::ShRSIOp::create(b, loc, x, shift);
  return arith::AddIOp::create(b, loc, floor,
                               arith::ExtUIOp::create(b, loc, i32, roundUp));
}

/// PyTorch qnnpack's add: the inputs minus their zero points weighted by
/// integer multipliers and summed, exactly in i32 (the verifier bounds the
/// sum), then divided by 2^right_shift rounding once (computeWeightedAdd).
struct WeightedAddLowering : public BinaryLowering<IntWeightedAddOp> {
  using BinaryLowering::BinaryLowering;

  LogicalResult
  matchAndRewrite(IntWeightedAddOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    ElementwiseBuilder eb = getBuilder(op, adaptor, rewriter);
    Type element = op.getLhs().getType().getElementType();
    IntegerRange range =
        getWeightedAddRange(getCenteredRange(element, op.getLhsZp()),
                            getCenteredRange(element, op.getRhsZp()),
                            op.getLhsMultiplier(), op.getRhsMultiplier());
    replace(op, eb, rewriter,
            [&](OpBuilder &b, Location loc, ValueRange, Value lhs, Value rhs) {
              auto weigh = [&](Value x, int64_t multiplier) {
                return arith::MulIOp::create(
                    b, loc, x,
                    createIntConstant(b, loc, b.getI32Type(), multiplier));
              };
              Value sum = arith::AddIOp::create(
                  b, loc, weigh(lhs, op.getLhsMultiplier()),
                  weigh(rhs, op.getRhsMultiplier()));
              return roundingDivideByPOT(b, loc, sum, op.getRightShift(),
                                         range.max);
            });
    return success();
  }
};

struct MulLowering : public BinaryLowering<IntMulOp> {
  using BinaryLowering::BinaryLowering;

  LogicalResult
  matchAndRewrite(IntMulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    ElementwiseBuilder eb = getBuilder(op, adaptor, rewriter);
    ScaleParams scale = eb.scale(op.getMultiplier(), op.getShift());
    replace(
        op, eb, rewriter,
        [&](OpBuilder &b, Location loc, ValueRange args, Value lhs, Value rhs) {
          Value product = arith::MulIOp::create(b, loc, lhs, rhs);
          return scale.apply(b, loc, args, product, op.getRounding());
        });
    return success();
  }
};

struct ClampLowering : public ElementwiseLowering<IntClampOp> {
  using ElementwiseLowering::ElementwiseLowering;

  LogicalResult
  matchAndRewrite(IntClampOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType type = op.getResult().getType();
    ElementwiseBuilder eb(rewriter, op.getLoc(), adaptor.getInput(),
                          type.getRank());
    bool isUnsigned = isUnsignedElement(type);
    Type elementType = getResultType(op).getElementType();
    rewriter.replaceOp(op, eb.build(getResultType(op), [&](OpBuilder &b,
                                                           Location loc,
                                                           ValueRange args) {
      return clampAndTruncate(b, loc, extendToI32(b, loc, args[0], isUnsigned),
                              op.getMin(), op.getMax(), elementType);
    }));
    return success();
  }
};

/// clamp(round_half_away(float32(x) / float32(scale)) + zero_point), as
/// TensorFlow Lite's reference quantize and FixedPoint's quantizeValue, or
/// with rounding = to_even clamp(nearbyint(float32(x) * (1.0f / scale)) +
/// zero_point), PyTorch's quantize_per_tensor. A NaN quotient quantizes to
/// the zero point (real 0), clamped. The rounded quotient r is an integer
/// (or infinite), so clamp(r + zero_point, lo, hi) = clamp(r, lo -
/// zero_point, hi - zero_point) + zero_point: where those two bounds are
/// exact in f32 (|bound| <= 2^24, every storage type narrower than 32 bits)
/// the clamp is done in f32, and the clamped value converts to i32 exactly
/// and takes the zero point there without overflow: one 32-bit lane per
/// element (the image of a network, quantized on x86 by vcvttps2dq instead
/// of two vcvttps2qq and 64-bit adds and narrowings). Otherwise r is
/// clamped to [-2^62, 2^62] (powers of two, exact in f32) so that the
/// conversion to i64 is exact, and the zero point and the storage clamp
/// are applied in i64, where they cannot overflow.
struct QuantizeLowering : public ElementwiseLowering<IntQuantizeOp> {
  using ElementwiseLowering::ElementwiseLowering;

  LogicalResult
  matchAndRewrite(IntQuantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType type = op.getResult().getType();
    ElementwiseBuilder eb(rewriter, op.getLoc(), adaptor.getInput(),
                          type.getRank());
    std::pair<int64_t, int64_t> range = getStorageRange(type.getElementType());
    Type elementType = getResultType(op).getElementType();
    float scale = op.getScale().convertToDouble();
    int64_t zeroPoint = op.getZeroPoint();
    rewriter.replaceOp(op, eb.build(getResultType(op), [&](OpBuilder &b,
                                                           Location loc,
                                                           ValueRange args) {
      Type f32 = b.getF32Type();
      Value x = args[0];
      unsigned width = x.getType().getIntOrFloatBitWidth();
      if (width < 32)
        x = arith::ExtFOp::create(b, loc, f32, x);
      else if (width > 32)
        x = arith::TruncFOp::create(b, loc, f32, x);
      auto f32Const = [&](float v) -> Value {
        return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(v));
      };
      Value rounded;
      if (op.getRounding() == Ties::ToEven)
        rounded = math::RoundEvenOp::create(
            b, loc, arith::MulFOp::create(b, loc, x, f32Const(1.0f / scale)));
      else
        rounded = math::RoundOp::create(
            b, loc, arith::DivFOp::create(b, loc, x, f32Const(scale)));
      int64_t low = range.first - zeroPoint, high = range.second - zeroPoint;
      bool clampsInFloat = std::max(std::abs(low), std::abs(high)) <= (1 << 24);
      Value isNaN = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO,
                                          rounded, rounded);
      Value bounded =
          arith::SelectOp::create(b, loc, isNaN, f32Const(0.0f), rounded);
      bounded = arith::MaximumFOp::create(
          b, loc, bounded,
          f32Const(clampsInFloat ? static_cast<float>(low) : -0x1p62f));
      bounded = arith::MinimumFOp::create(
          b, loc, bounded,
          f32Const(clampsInFloat ? static_cast<float>(high) : 0x1p62f));
      Type intType = clampsInFloat ? b.getI32Type() : b.getI64Type();
      Value q = arith::FPToSIOp::create(b, loc, intType, bounded);
      q = arith::AddIOp::create(b, loc, q,
                                createIntConstant(b, loc, intType, zeroPoint));
      if (!clampsInFloat) {
        q = arith::MaxSIOp::create(
            b, loc, q, createIntConstant(b, loc, intType, range.first));
        q = arith::MinSIOp::create(
            b, loc, q, createIntConstant(b, loc, intType, range.second));
      }
      return arith::TruncIOp::create(b, loc, elementType, q);
    }));
    return success();
  }
};

/// scale * (q - zero_point) computed in f64, as the reference interpreter
/// does (q - zero_point is exact there), then rounded to the result type.
struct DequantizeLowering : public ElementwiseLowering<IntDequantizeOp> {
  using ElementwiseLowering::ElementwiseLowering;

  LogicalResult
  matchAndRewrite(IntDequantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType type = op.getResult().getType();
    ElementwiseBuilder eb(rewriter, op.getLoc(), adaptor.getInput(),
                          type.getRank());
    bool isUnsigned = isUnsignedElement(op.getInput().getType());
    auto floatType = cast<FloatType>(type.getElementType());
    rewriter.replaceOp(
        op, eb.build(type, [&](OpBuilder &b, Location loc, ValueRange args) {
          Type i64 = b.getI64Type();
          Value q;
          if (isUnsigned)
            q = arith::ExtUIOp::create(b, loc, i64, args[0]);
          else
            q = arith::ExtSIOp::create(b, loc, i64, args[0]);
          q = arith::SubIOp::create(
              b, loc, q, createIntConstant(b, loc, i64, op.getZeroPoint()));
          Value real = arith::SIToFPOp::create(b, loc, b.getF64Type(), q);
          real = arith::MulFOp::create(
              b, loc, real,
              arith::ConstantOp::create(
                  b, loc, b.getF64FloatAttr(op.getScale().convertToDouble())));
          if (floatType.getWidth() < 64)
            real = arith::TruncFOp::create(b, loc, floatType, real);
          return real;
        }));
    return success();
  }
};

} // namespace

void to_linalg::populateRescalePatterns(const TypeConverter &typeConverter,
                                        RewritePatternSet &patterns) {
  patterns.add<RescaleLowering, AddLowering, WeightedAddLowering, MulLowering,
               ClampLowering, QuantizeLowering, DequantizeLowering>(
      typeConverter, patterns.getContext());
}
