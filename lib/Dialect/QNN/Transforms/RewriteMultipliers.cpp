//===- RewriteMultipliers.cpp - Quantized level to integer level ----------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// A dialect conversion whose type converter maps every !quant.uniform tensor
// to its storage integer tensor. The patterns turn each quantized op into the
// integer ops that compute what TensorFlow Lite's integer kernels compute, with
// every real multiplier encoded as (M0, shift) by the shared IntegerParams
// helpers, so that the reference interpreter, which derives its parameters
// from the same helpers, agrees bit for bit.
//
//===----------------------------------------------------------------------===//

#include "qopt/Dialect/QNN/IR/QNN.h"
#include "qopt/Dialect/QNN/Transforms/Numerics.h"
#include "qopt/Dialect/QNN/Transforms/Passes.h"
#include "qopt/Dialect/QNN/Transforms/Patterns.h"
#include "qopt/Dialect/QNN/Utils/IntegerParams.h"
#include "qopt/Dialect/QNN/Utils/QuantParams.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/Transforms/DialectConversion.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/TypeSwitch.h"

namespace mlir::qnn {
#define GEN_PASS_DEF_REWRITEMULTIPLIERSPASS
#include "qopt/Dialect/QNN/Transforms/Passes.h.inc"
} // namespace mlir::qnn

using namespace mlir;
using namespace mlir::qnn;

//===----------------------------------------------------------------------===//
// Types
//===----------------------------------------------------------------------===//

QuantizedStorageTypeConverter::QuantizedStorageTypeConverter() {
  addConversion([](Type type) { return type; });
  addConversion([](RankedTensorType type) -> Type {
    if (auto quantized = dyn_cast<quant::QuantizedType>(type.getElementType()))
      return type.clone(getStorageIntegerType(quantized));
    return type;
  });
}

namespace {

quant::UniformQuantizedType getUniform(Value value) {
  return dyn_cast<quant::UniformQuantizedType>(getElementTypeOrSelf(value));
}

quant::QuantizedType getQuantized(Value value) {
  return dyn_cast<quant::QuantizedType>(getElementTypeOrSelf(value));
}

struct MultiplierArrays {
  SmallVector<int32_t> multipliers;
  SmallVector<int32_t> shifts;
};

MultiplierArrays toArrays(ArrayRef<QuantizedMultiplier> multipliers) {
  MultiplierArrays arrays;
  for (QuantizedMultiplier m : multipliers) {
    arrays.multipliers.push_back(m.multiplier);
    arrays.shifts.push_back(m.shift);
  }
  return arrays;
}

//===----------------------------------------------------------------------===//
// Multipliers, derived once for the patterns and for the up-front check
//===----------------------------------------------------------------------===//

/// M[c] = S_in * S_w[c] / S_out of a contraction at the quantized level.
FailureOr<SmallVector<QuantizedMultiplier>>
getOpMultipliers(Value input, Value weights, Value result,
                 RoundingMode rounding = RoundingMode::DoubleRound) {
  quant::UniformQuantizedType inputType = getUniform(input);
  quant::QuantizedType weightsType = getQuantized(weights);
  quant::UniformQuantizedType output = getUniform(result);
  if (!inputType || !weightsType || !output)
    return failure();
  return getContractionMultipliers(
      inputType, weightsType, output,
      cast<RankedTensorType>(result.getType()).getShape().back(),
      /*float32=*/rounding == RoundingMode::Float32);
}

FailureOr<AddParams> getOpAddParams(AddOp op) {
  quant::UniformQuantizedType lhs = getUniform(op.getLhs());
  quant::UniformQuantizedType rhs = getUniform(op.getRhs());
  quant::UniformQuantizedType output = getUniform(op.getResult());
  if (!lhs || !rhs || !output)
    return failure();
  return getAddParams(lhs.getScale(), rhs.getScale(), output.getScale(),
                      output.getStorageTypeIntegralWidth());
}

FailureOr<WeightedAddParams> getOpQnnpackAddParams(AddOp op) {
  quant::UniformQuantizedType lhs = getUniform(op.getLhs());
  quant::UniformQuantizedType rhs = getUniform(op.getRhs());
  quant::UniformQuantizedType output = getUniform(op.getResult());
  if (!lhs || !rhs || !output)
    return failure();
  return getQnnpackAddParams(lhs.getScale(), rhs.getScale(), output.getScale());
}

FailureOr<QuantizedMultiplier> getOpMulMultiplier(MulOp op) {
  quant::UniformQuantizedType lhs = getUniform(op.getLhs());
  quant::UniformQuantizedType rhs = getUniform(op.getRhs());
  quant::UniformQuantizedType output = getUniform(op.getResult());
  if (!lhs || !rhs || !output)
    return failure();
  return getMulMultiplier(lhs.getScale(), rhs.getScale(), output.getScale());
}

/// S_in / S_out of a requantize or of an average pool that changes scale.
FailureOr<QuantizedMultiplier> getOpRescaleMultiplier(Value input,
                                                      Value result) {
  quant::UniformQuantizedType in = getUniform(input);
  quant::UniformQuantizedType out = getUniform(result);
  if (!in || !out)
    return failure();
  return getRescaleMultiplier(in.getScale(), out.getScale());
}

/// Base of the patterns: carries the integer arithmetic and the type
/// converter.
template <typename SourceOp>
class QuantizedOpPattern : public OpConversionPattern<SourceOp> {
public:
  QuantizedOpPattern(const TypeConverter &converter, MLIRContext *context,
                     const IntegerArithmetic &arithmetic)
      : OpConversionPattern<SourceOp>(converter, context),
        rounding(arithmetic.rounding), arithmetic(arithmetic) {}

protected:
  RankedTensorType convert(Value value) const {
    return cast<RankedTensorType>(
        this->getTypeConverter()->convertType(value.getType()));
  }

  /// Clamp bounds for a result quantized as `type`: none when its storage
  /// range is the whole integer type, else that (narrow) range, which the
  /// integer type alone would not enforce.
  std::pair<IntegerAttr, IntegerAttr>
  getStorageClamp(Builder &builder, quant::UniformQuantizedType type) const {
    auto [lo, hi] = getStorageRange(getStorageIntegerType(type));
    if (type.getStorageTypeMin() == lo && type.getStorageTypeMax() == hi)
      return {};
    return {builder.getI64IntegerAttr(type.getStorageTypeMin()),
            builder.getI64IntegerAttr(type.getStorageTypeMax())};
  }

  /// x -> MultiplyByQuantizedMultiplier(x - inputZp, m) + Z_out, clamped to
  /// the storage range of `output`.
  Value rescale(OpBuilder &builder, Location loc, Value input,
                int64_t inputZp, ArrayRef<QuantizedMultiplier> multipliers,
                quant::UniformQuantizedType output,
                RankedTensorType resultType) const {
    MultiplierArrays arrays = toArrays(multipliers);
    auto [clampMin, clampMax] = getStorageClamp(builder, output);
    return IntRescaleOp::create(builder, loc, resultType, input, inputZp,
                                output.getZeroPoint(), arrays.multipliers,
                                arrays.shifts, rounding, clampMin, clampMax);
  }

  RoundingMode rounding;
  IntegerArithmetic arithmetic;
};

//===----------------------------------------------------------------------===//
// Contractions
//===----------------------------------------------------------------------===//

template <typename SourceOp, typename IntOp>
struct ContractionPattern : QuantizedOpPattern<SourceOp> {
  using QuantizedOpPattern<SourceOp>::QuantizedOpPattern;
  using OpAdaptor = typename SourceOp::Adaptor;

  LogicalResult
  matchAndRewrite(SourceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    quant::UniformQuantizedType input = getUniform(op->getOperand(0));
    quant::QuantizedType weightsType = getQuantized(op->getOperand(1));
    quant::UniformQuantizedType output = getUniform(op.getResult());
    FailureOr<SmallVector<QuantizedMultiplier>> multipliers = getOpMultipliers(
        op->getOperand(0), op->getOperand(1), op.getResult(), this->rounding);
    if (failed(multipliers))
      return rewriter.notifyMatchFailure(op, "no encodable multipliers");
    auto resultType = this->convert(op.getResult());

    SmallVector<int64_t> weightZps;
    if (auto perAxis =
            dyn_cast<quant::UniformQuantizedPerAxisType>(weightsType))
      llvm::append_range(weightZps, perAxis.getZeroPoints());
    else
      weightZps.push_back(getZeroPoint(weightsType));

    Location loc = op.getLoc();
    auto accumulatorType = resultType.clone(rewriter.getI32Type());
    SmallVector<Value> operands(adaptor.getOperands());
    SmallVector<NamedAttribute> attributes(op->getAttrs());
    attributes.push_back(rewriter.getNamedAttr(
        "input_zp", rewriter.getI64IntegerAttr(input.getZeroPoint())));
    attributes.push_back(
        rewriter.getNamedAttr(std::is_same_v<IntOp, IntFullyConnectedOp>
                                  ? "weights_zp"
                                  : "filter_zp",
                              rewriter.getDenseI64ArrayAttr(weightZps)));
    // Optional operand segments are not attributes here: the integer ops
    // take the same operand list as the quantized ones.
    auto accumulator = IntOp::create(rewriter, loc, TypeRange{accumulatorType},
                                     operands, attributes);
    rewriter.replaceOp(op, this->rescale(rewriter, loc, accumulator, 0,
                                         *multipliers, output, resultType));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

struct AddPattern : QuantizedOpPattern<AddOp> {
  using QuantizedOpPattern::QuantizedOpPattern;

  LogicalResult
  matchAndRewrite(AddOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    quant::UniformQuantizedType lhs = getUniform(op.getLhs());
    quant::UniformQuantizedType rhs = getUniform(op.getRhs());
    quant::UniformQuantizedType output = getUniform(op.getResult());
    auto [clampMin, clampMax] = getStorageClamp(rewriter, output);
    if (arithmetic.qnnpackAdd) {
      FailureOr<WeightedAddParams> params = getOpQnnpackAddParams(op);
      if (failed(params))
        return rewriter.notifyMatchFailure(op, "no qnnpack multipliers");
      rewriter.replaceOpWithNewOp<IntWeightedAddOp>(
          op, convert(op.getResult()), adaptor.getLhs(), adaptor.getRhs(),
          lhs.getZeroPoint(), rhs.getZeroPoint(), output.getZeroPoint(),
          params->lhsMultiplier, params->rhsMultiplier, params->rightShift,
          clampMin, clampMax);
      return success();
    }
    FailureOr<AddParams> params = getOpAddParams(op);
    if (failed(params))
      return rewriter.notifyMatchFailure(op, "no encodable multipliers");
    rewriter.replaceOpWithNewOp<IntAddOp>(
        op, convert(op.getResult()), adaptor.getLhs(), adaptor.getRhs(),
        lhs.getZeroPoint(), rhs.getZeroPoint(), output.getZeroPoint(),
        params->leftShift, params->lhs.multiplier, params->lhs.shift,
        params->rhs.multiplier, params->rhs.shift, params->output.multiplier,
        params->output.shift, arithmetic.addRounding, clampMin, clampMax);
    return success();
  }
};

struct MulPattern : QuantizedOpPattern<MulOp> {
  using QuantizedOpPattern::QuantizedOpPattern;

  LogicalResult
  matchAndRewrite(MulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<QuantizedMultiplier> m = getOpMulMultiplier(op);
    if (failed(m))
      return rewriter.notifyMatchFailure(op, "no encodable multiplier");
    quant::UniformQuantizedType lhs = getUniform(op.getLhs());
    quant::UniformQuantizedType rhs = getUniform(op.getRhs());
    quant::UniformQuantizedType output = getUniform(op.getResult());
    auto [clampMin, clampMax] = getStorageClamp(rewriter, output);
    rewriter.replaceOpWithNewOp<IntMulOp>(
        op, convert(op.getResult()), adaptor.getLhs(), adaptor.getRhs(),
        lhs.getZeroPoint(), rhs.getZeroPoint(), output.getZeroPoint(),
        m->multiplier, m->shift, rounding, clampMin, clampMax);
    return success();
  }
};

struct ClampPattern : QuantizedOpPattern<ClampOp> {
  using QuantizedOpPattern::QuantizedOpPattern;

  LogicalResult
  matchAndRewrite(ClampOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    quant::UniformQuantizedType type = getUniform(op.getInput());
    if (!type)
      return rewriter.notifyMatchFailure(op, "not at the quantized level");
    auto [min, max] = getClampBounds(op.getMin().convertToDouble(),
                                     op.getMax().convertToDouble(), type);
    rewriter.replaceOpWithNewOp<IntClampOp>(op, adaptor.getInput(), min, max);
    return success();
  }
};

struct RequantizePattern : QuantizedOpPattern<RequantizeOp> {
  using QuantizedOpPattern::QuantizedOpPattern;

  LogicalResult
  matchAndRewrite(RequantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<QuantizedMultiplier> m =
        getOpRescaleMultiplier(op.getInput(), op.getResult());
    if (failed(m))
      return rewriter.notifyMatchFailure(op, "no encodable multiplier");
    quant::UniformQuantizedType input = getUniform(op.getInput());
    quant::UniformQuantizedType output = getUniform(op.getResult());
    rewriter.replaceOp(op, rescale(rewriter, op.getLoc(), adaptor.getInput(),
                                   input.getZeroPoint(), *m, output,
                                   convert(op.getResult())));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Pooling and padding
//===----------------------------------------------------------------------===//

struct AvgPoolPattern : QuantizedOpPattern<AvgPool2DOp> {
  using QuantizedOpPattern::QuantizedOpPattern;

  LogicalResult
  matchAndRewrite(AvgPool2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    quant::UniformQuantizedType input = getUniform(op.getInput());
    quant::UniformQuantizedType output = getUniform(op.getResult());
    if (!input || !output)
      return rewriter.notifyMatchFailure(op, "not at the quantized level");
    RankedTensorType resultType = convert(op.getResult());
    // The average of storage values keeps the input's parameters (and stays
    // inside its storage range, narrow or not); a different output scale is
    // a rescale after it. TensorFlow Lite averages the storage values
    // themselves, PyTorch's qnnpack the values minus the zero point, which
    // matters for its ties to even.
    auto averageType = resultType.clone(
        getStorageIntegerType(cast<quant::QuantizedType>(input)));
    bool toEven = arithmetic.pooling == Ties::ToEven;
    Value average = IntAvgPool2DOp::create(
        rewriter, op.getLoc(), averageType, adaptor.getInput(),
        op.getKernelAttr(), op.getStridesAttr(), op.getPaddingAttr(),
        arithmetic.pooling, toEven ? input.getZeroPoint() : 0,
        /*clamp_min=*/nullptr, /*clamp_max=*/nullptr);
    if (input == output) {
      rewriter.replaceOp(op, average);
      return success();
    }
    FailureOr<QuantizedMultiplier> m =
        getOpRescaleMultiplier(op.getInput(), op.getResult());
    if (failed(m))
      return rewriter.notifyMatchFailure(op, "no encodable multiplier");
    rewriter.replaceOp(op, rescale(rewriter, op.getLoc(), average,
                                   input.getZeroPoint(), *m, output,
                                   resultType));
    return success();
  }
};

struct PadPattern : QuantizedOpPattern<PadOp> {
  using QuantizedOpPattern::QuantizedOpPattern;

  LogicalResult
  matchAndRewrite(PadOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    quant::UniformQuantizedType type = getUniform(op.getInput());
    if (!type)
      return rewriter.notifyMatchFailure(op, "not at the quantized level");
    int64_t value = quantizeValue(
        op.getValue().convertToDouble(),
        {type.getScale(), type.getZeroPoint()},
        {type.getStorageTypeMin(), type.getStorageTypeMax()},
        RangeConvention::TensorFlow);
    rewriter.replaceOpWithNewOp<IntPadOp>(op, convert(op.getResult()),
                                          adaptor.getInput(),
                                          op.getPaddingAttr(), value);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Level boundary and data movement
//===----------------------------------------------------------------------===//

struct QuantizePattern : QuantizedOpPattern<QuantizeOp> {
  using QuantizedOpPattern::QuantizedOpPattern;

  LogicalResult
  matchAndRewrite(QuantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    quant::UniformQuantizedType type = getUniform(op.getResult());
    if (!type)
      return rewriter.notifyMatchFailure(op, "per-axis quantize of a variable");
    rewriter.replaceOpWithNewOp<IntQuantizeOp>(
        op, convert(op.getResult()), adaptor.getInput(),
        APFloat(type.getScale()), type.getZeroPoint(), arithmetic.quantize);
    return success();
  }
};

struct DequantizePattern : QuantizedOpPattern<DequantizeOp> {
  using QuantizedOpPattern::QuantizedOpPattern;

  LogicalResult
  matchAndRewrite(DequantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    quant::UniformQuantizedType type = getUniform(op.getInput());
    if (!type)
      return rewriter.notifyMatchFailure(op, "per-axis dequantize");
    rewriter.replaceOpWithNewOp<IntDequantizeOp>(
        op, op.getType(), adaptor.getInput(), APFloat(type.getScale()),
        type.getZeroPoint());
    return success();
  }
};

struct ConstPattern : QuantizedOpPattern<ConstOp> {
  using QuantizedOpPattern::QuantizedOpPattern;

  LogicalResult
  matchAndRewrite(ConstOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto value = dyn_cast<DenseElementsAttr>(op.getValue());
    if (!value)
      return rewriter.notifyMatchFailure(op, "not a dense constant");
    // Same bits, read with the storage's signedness.
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(
        op, value.bitcast(convert(op.getResult()).getElementType()));
    return success();
  }
};

/// Ops that only move storage values keep their op with converted types.
template <typename SourceOp>
struct RetypePattern : QuantizedOpPattern<SourceOp> {
  using QuantizedOpPattern<SourceOp>::QuantizedOpPattern;
  using OpAdaptor = typename SourceOp::Adaptor;

  LogicalResult
  matchAndRewrite(SourceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<SourceOp>(op, this->convert(op.getResult()),
                                          adaptor.getOperands(),
                                          op->getAttrs());
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Pass
//===----------------------------------------------------------------------===//

/// The values x - Z that a rescale of `value`'s storage multiplies.
IntegerRange getCenteredStorageRange(Value value) {
  quant::UniformQuantizedType type = getUniform(value);
  return getCenteredRange(getStorageIntegerType(type), type.getZeroPoint());
}

/// Reports a multiplier >= 1 whose left shift takes the values it scales,
/// `range` as the storage types bound them, out of int32: the integer op
/// would not verify (see its verifier).
LogicalResult checkLeftShift(Operation *op, IntegerRange range,
                             QuantizedMultiplier m) {
  std::optional<int64_t> overflow = findMultiplierInputOverflow(range, m.shift);
  if (!overflow)
    return success();
  return op->emitOpError() << "has a real multiplier whose left shift by "
                           << m.shift
                           << " overflows int32: the values it scales reach "
                           << *overflow << ", and " << *overflow << " * 2^"
                           << m.shift << " does not fit in int32";
}

/// The patterns' multipliers, derived up front so that an unencodable one, or
/// one whose left shift the storage types prove to overflow, is a located
/// error rather than a failure to legalize or an integer op that does not
/// verify. Ops not at the quantized level have none. A contraction's
/// accumulator is bounded by --qopt-expand-zero-points.
LogicalResult checkMultipliers(func::FuncOp func,
                               const IntegerArithmetic &arithmetic) {
  bool ok = true;
  func.walk([&](Operation *op) {
    if (!llvm::any_of(op->getResultTypes(), [](Type type) {
          return isa<quant::QuantizedType>(getElementTypeOrSelf(type));
        }))
      return;
    auto unencodable = [&] {
      return op->emitOpError("has a real multiplier that cannot be encoded as "
                             "(M0, shift): M must be below 2^30");
    };
    LogicalResult result =
        TypeSwitch<Operation *, LogicalResult>(op)
            .Case<Conv2DOp, DepthwiseConv2DOp, FullyConnectedOp>(
                [&](auto op) -> LogicalResult {
                  if (failed(getOpMultipliers(op.getInput(), op->getOperand(1),
                                              op.getResult())))
                    return unencodable();
                  return success();
                })
            .Case([&](AddOp op) -> LogicalResult {
              if (arithmetic.qnnpackAdd)
                return getCheckedQnnpackAddParams(op);
              FailureOr<AddParams> params = getOpAddParams(op);
              if (failed(params))
                return unencodable();
              IntegerRange sum = getAddSumRange(
                  getCenteredStorageRange(op.getLhs()),
                  getCenteredStorageRange(op.getRhs()), *params,
                  arithmetic.addRounding);
              return checkLeftShift(op, sum, params->output);
            })
            .Case([&](MulOp op) -> LogicalResult {
              FailureOr<QuantizedMultiplier> m = getOpMulMultiplier(op);
              if (failed(m))
                return unencodable();
              IntegerRange product =
                  getProductRange(getCenteredStorageRange(op.getLhs()),
                                  getCenteredStorageRange(op.getRhs()));
              return checkLeftShift(op, product, *m);
            })
            .Case<RequantizeOp, AvgPool2DOp>([&](auto op) -> LogicalResult {
              FailureOr<QuantizedMultiplier> m =
                  getOpRescaleMultiplier(op.getInput(), op.getResult());
              if (failed(m))
                return unencodable();
              return checkLeftShift(op, getCenteredStorageRange(op.getInput()),
                                    *m);
            })
            .Default([](Operation *) { return success(); });
    ok &= succeeded(result);
  });
  return success(ok);
}

struct RewriteMultipliersPass
    : qnn::impl::RewriteMultipliersPassBase<RewriteMultipliersPass> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    FailureOr<Numerics> chosen = getNumerics(func, numerics);
    if (failed(chosen))
      return signalPassFailure();
    IntegerArithmetic arithmetic = chosen->arithmetic;
    if (!rounding.empty() && rounding != "double" && rounding != "single" &&
        rounding != "float32") {
      emitError(func.getLoc()) << "unknown rounding '" << rounding
                               << "'; expected double, single or float32";
      return signalPassFailure();
    }
    // TFLite's addition has no float32 form: additions keep double rounding.
    if (!rounding.empty())
      arithmetic.rounding = arithmetic.addRounding =
          rounding == "single"    ? RoundingMode::SingleRound
          : rounding == "float32" ? RoundingMode::Float32
                                  : RoundingMode::DoubleRound;
    if (arithmetic.addRounding == RoundingMode::Float32)
      arithmetic.addRounding = RoundingMode::DoubleRound;
    if (failed(checkMultipliers(func, arithmetic)))
      return signalPassFailure();

    MLIRContext *context = &getContext();
    QuantizedStorageTypeConverter converter;
    ConversionTarget target(*context);
    target.addLegalDialect<arith::ArithDialect>();
    // An op is done once no quantized type is left on it. A function whose
    // signature is quantized (rather than float with quantize / dequantize
    // inside) takes and returns storage integers.
    target.addDynamicallyLegalDialect<QNNDialect, func::FuncDialect>(
        [&](Operation *op) { return converter.isLegal(op); });
    target.addDynamicallyLegalOp<func::FuncOp>([&](func::FuncOp op) {
      return converter.isSignatureLegal(op.getFunctionType());
    });
    RewritePatternSet patterns(context);
    populateFunctionOpInterfaceTypeConversionPattern<func::FuncOp>(patterns,
                                                                   converter);
    populateReturnOpTypeConversionPattern(patterns, converter);
    populateRewriteMultipliersPatterns(converter, patterns, arithmetic);
    if (failed(applyPartialConversion(func, target, std::move(patterns))))
      return signalPassFailure();

    // Fuse the clamps into the ops that produce them (TFLite's fused
    // activations).
    RewritePatternSet cleanups(context);
    IntClampOp::getCanonicalizationPatterns(cleanups, context);
    if (failed(applyPatternsGreedily(func, std::move(cleanups))))
      return signalPassFailure();
  }
};

} // namespace

void mlir::qnn::populateRewriteMultipliersPatterns(
    const TypeConverter &converter, RewritePatternSet &patterns,
    const IntegerArithmetic &arithmetic) {
  MLIRContext *context = patterns.getContext();
  patterns.add<ContractionPattern<Conv2DOp, IntConv2DOp>,
               ContractionPattern<DepthwiseConv2DOp, IntDepthwiseConv2DOp>,
               ContractionPattern<FullyConnectedOp, IntFullyConnectedOp>,
               AddPattern, MulPattern, ClampPattern, RequantizePattern,
               AvgPoolPattern, PadPattern, QuantizePattern, DequantizePattern,
               ConstPattern, RetypePattern<MaxPool2DOp>,
               RetypePattern<ReshapeOp>, RetypePattern<TransposeOp>,
               RetypePattern<ConcatOp>>(
      converter, context, arithmetic);
}

/// qnnpack's add refuses ratios S_in / S_out outside [2^-14, 2^8) (and its
/// shift exceeds 31 when both are below 2^-10); its weighted sum must fit in
/// int32, which 8-bit storage guarantees and wider storage may not.
FailureOr<WeightedAddParams> mlir::qnn::getCheckedQnnpackAddParams(AddOp op) {
  FailureOr<WeightedAddParams> params = getOpQnnpackAddParams(op);
  if (failed(params))
    return op->emitOpError()
           << "has scales that PyTorch qnnpack's addition does not support: "
              "each input scale divided by the output scale must be in "
              "[2^-14, 2^8), and the larger at least 2^-10";
  IntegerRange sum =
      getWeightedAddRange(getCenteredStorageRange(op.getLhs()),
                          getCenteredStorageRange(op.getRhs()),
                          params->lhsMultiplier, params->rhsMultiplier);
  if (!sum.fitsInInt32())
    return op->emitOpError()
           << "has a qnnpack weighted sum that reaches " << sum.getFarthest()
           << " and overflows int32 (qnnpack adds 8-bit values)";
  return params;
}
