//===- ExpandZeroPoints.cpp - Fold constant zero-point terms --------------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// The four-term expansion of sum (x - Zx)(w - Zw) of Jacob et al. (section
// 2.3), with everything that depends on constants folded into the bias by the
// shared foldZeroPointsIntoBias. The pass first bounds every accumulator and
// only then rewrites, so that an error leaves the function unchanged.
//
//===----------------------------------------------------------------------===//

#include "qopt/Dialect/QNN/IR/QNN.h"
#include "qopt/Dialect/QNN/Transforms/Passes.h"
#include "qopt/Dialect/QNN/Transforms/Patterns.h"
#include "qopt/Dialect/QNN/Utils/ConstantValues.h"
#include "qopt/Dialect/QNN/Utils/IntegerParams.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cstdlib>
#include <limits>

namespace mlir::qnn {
#define GEN_PASS_DEF_EXPANDZEROPOINTSPASS
#include "qopt/Dialect/QNN/Transforms/Passes.h.inc"
} // namespace mlir::qnn

using namespace mlir;
using namespace mlir::qnn;

namespace {

/// What the expansion needs to know of one integer contraction with constant
/// weights (and bias, if any).
struct ContractionInfo {
  /// sum_k w_k and sum_k |w_k - Zw| per output channel.
  SmallVector<int64_t> weightSums;
  SmallVector<int64_t> weightMagnitudes;
  /// Taps per output (K).
  int64_t depth;
  int64_t inputZp;
  SmallVector<int64_t> weightZps;
  SmallVector<int64_t> bias;
  /// The raw input's largest magnitude once the input zero point is gone.
  int64_t maxInput;
  /// What the input is moved by first: +128 (s8 to u8 storage), -128 (u8 to
  /// s8) or 0.
  int64_t inputShift = 0;
};

template <typename IntOp>
constexpr bool isDepthwise = std::is_same_v<IntOp, IntDepthwiseConv2DOp>;

template <typename IntOp> ArrayRef<int64_t> getWeightZps(IntOp op) {
  if constexpr (std::is_same_v<IntOp, IntFullyConnectedOp>)
    return op.getWeightsZp();
  else
    return op.getFilterZp();
}

/// Which inputs are moved to the other 8-bit signedness, so that the
/// contraction matches a target's dot-product instruction.
struct InputShifts {
  /// s8 x s8 contractions: x + 128 as u8 (x86's u8 x s8 vpdpbusd).
  bool signedToUnsigned = false;
  /// u8 x s8 contractions: x - 128 as s8 (AArch64's s8 x s8 sdot).
  bool unsignedToSigned = false;
};

static bool hasElementType(Value v, bool isUnsigned) {
  Type type = cast<RankedTensorType>(v.getType()).getElementType();
  return isUnsigned ? type.isUnsignedInteger(8) : type.isSignlessInteger(8);
}

/// Whether `op` is an s8 x s8 contraction whose input the `unsigned-input`
/// option moves to u8.
template <typename IntOp> bool isSignedBySigned(IntOp op) {
  return hasElementType(op.getInput(), /*isUnsigned=*/false) &&
         hasElementType(op->getOperand(1), /*isUnsigned=*/false);
}

/// Whether `op` is a u8 x s8 contraction whose input the `signed-input`
/// option moves to s8.
template <typename IntOp> bool isUnsignedBySigned(IntOp op) {
  return hasElementType(op.getInput(), /*isUnsigned=*/true) &&
         hasElementType(op->getOperand(1), /*isUnsigned=*/false);
}

/// A contraction whose input `shifts` moves is described as it runs after
/// the move: x + 128 with zero point Zx + 128 (s8 to u8), or x - 128 with
/// Zx - 128 (u8 to s8).
template <typename IntOp>
std::optional<ContractionInfo> getContractionInfo(IntOp op,
                                                  InputShifts shifts) {
  Value weights = op->getOperand(1);
  std::optional<SmallVector<int64_t>> values = getIntConstantValues(weights);
  std::optional<SmallVector<int64_t>> bias;
  if (op.getBias() && !(bias = getIntConstantValues(op.getBias())))
    return std::nullopt;
  if (!values)
    return std::nullopt;

  ContractionInfo info;
  ArrayRef<int64_t> shape =
      cast<RankedTensorType>(weights.getType()).getShape();
  // Output channels: axis 0 of OHWI and [O, K], axis 3 of 1HWO.
  unsigned axis = isDepthwise<IntOp> ? 3 : 0;
  int64_t channels = shape[axis];
  int64_t stride = isDepthwise<IntOp> ? 1 : values->size() / channels;
  info.depth = values->size() / channels;
  info.inputZp = op.getInputZp();
  llvm::append_range(info.weightZps, getWeightZps(op));
  info.weightSums.assign(channels, 0);
  info.weightMagnitudes.assign(channels, 0);
  for (auto [index, w] : llvm::enumerate(*values)) {
    int64_t o = isDepthwise<IntOp> ? index % channels : index / stride;
    int64_t zp = info.weightZps.size() == 1 ? info.weightZps[0]
                                            : info.weightZps[o];
    info.weightSums[o] += w;
    info.weightMagnitudes[o] += std::abs(w - zp);
  }
  if (bias)
    info.bias = std::move(*bias);
  auto [min, max] = getStorageRange(
      cast<RankedTensorType>(op.getInput().getType()).getElementType());
  info.maxInput = std::max(std::abs(min), std::abs(max));
  if (shifts.signedToUnsigned && isSignedBySigned(op)) {
    info.inputShift = 128;
    info.inputZp += 128;
    info.maxInput = 255;
  } else if (shifts.unsignedToSigned && isUnsignedBySigned(op)) {
    info.inputShift = -128;
    info.inputZp -= 128;
    info.maxInput = 128;
  }
  return info;
}

template <typename IntOp>
struct ExpandContraction : OpRewritePattern<IntOp> {
  ExpandContraction(MLIRContext *context, InputShifts shifts)
      : OpRewritePattern<IntOp>(context), shifts(shifts) {}

  LogicalResult matchAndRewrite(IntOp op,
                                PatternRewriter &rewriter) const override {
    std::optional<ContractionInfo> info = getContractionInfo(op, shifts);
    if (!info)
      return rewriter.notifyMatchFailure(op, "weights or bias not constant");
    if (info->inputZp == 0 && info->inputShift == 0)
      return rewriter.notifyMatchFailure(op, "no input zero point");
    FailureOr<SmallVector<int32_t>> folded =
        foldZeroPointsIntoBias(info->weightSums, info->depth, info->inputZp,
                               info->weightZps, info->bias);
    if (failed(folded))
      return rewriter.notifyMatchFailure(op, "folded bias overflows int32");

    Location loc = op.getLoc();
    auto biasType = RankedTensorType::get(
        {int64_t(folded->size())}, rewriter.getI32Type());
    Value bias = arith::ConstantOp::create(
        rewriter, loc, DenseIntElementsAttr::get(biasType, *folded));

    Value input = op.getInput();
    if (info->inputShift != 0) {
      // x + 128 as u8 or x - 128 as s8, exactly: a rescale by M = 1
      // (M0 = 2^30, shift 1) with output zero point +-128, whose result
      // always fits. u8 x s8 is what vpdpbusd multiplies, s8 x s8 what sdot
      // does.
      auto inputType = cast<RankedTensorType>(input.getType());
      input = IntRescaleOp::create(
          rewriter, loc,
          inputType.clone(IntegerType::get(rewriter.getContext(), 8,
                                           info->inputShift > 0
                                               ? IntegerType::Unsigned
                                               : IntegerType::Signless)),
          input, /*input_zp=*/0, /*output_zp=*/info->inputShift,
          ArrayRef<int32_t>{1 << 30}, ArrayRef<int32_t>{1},
          RoundingMode::DoubleRound, /*clamp_min=*/nullptr,
          /*clamp_max=*/nullptr);
    }
    SmallVector<NamedAttribute> attributes(op->getAttrs());
    if constexpr (!std::is_same_v<IntOp, IntFullyConnectedOp>) {
      // K counts every tap only if padded taps hold Zx: pad explicitly.
      ArrayRef<int64_t> padding = op.getPadding();
      if (llvm::any_of(padding, [](int64_t p) { return p != 0; })) {
        auto inputType = cast<RankedTensorType>(input.getType());
        SmallVector<int64_t> shape(inputType.getShape());
        for (int dim = 0; dim < 2; ++dim)
          if (!ShapedType::isDynamic(shape[dim + 1]))
            shape[dim + 1] += padding[2 * dim] + padding[2 * dim + 1];
        input = IntPadOp::create(
            rewriter, loc, inputType.clone(shape), input,
            rewriter.getDenseI64ArrayAttr({0, 0, padding[0], padding[1],
                                           padding[2], padding[3], 0, 0}),
            info->inputZp);
        llvm::erase_if(attributes, [](NamedAttribute attr) {
          return attr.getName() == "padding";
        });
      }
    }
    llvm::erase_if(attributes, [](NamedAttribute attr) {
      return attr.getName() == "input_zp";
    });
    rewriter.replaceOpWithNewOp<IntOp>(
        op, op->getResultTypes(),
        ValueRange{input, op->getOperand(1), bias}, attributes);
    return success();
  }

  InputShifts shifts;
};

/// Bounds the accumulator of `op` as it will run after the expansion (raw
/// inputs, folded bias) and reports a possible overflow.
template <typename IntOp>
LogicalResult checkAccumulator(IntOp op, bool warnOnly, InputShifts shifts) {
  std::optional<ContractionInfo> info = getContractionInfo(op, shifts);
  if (!info)
    return success();
  FailureOr<SmallVector<int32_t>> folded =
      foldZeroPointsIntoBias(info->weightSums, info->depth, info->inputZp,
                             info->weightZps, info->bias);
  if (failed(folded))
    return op.emitOpError("the bias with the zero-point terms folded in does "
                          "not fit in int32");
  // After the expansion the inputs are raw storage values.
  SmallVector<int64_t> bias(folded->begin(), folded->end());
  int64_t maxInput = info->maxInput;
  int64_t bound = getAccumulatorBound(info->weightMagnitudes, maxInput, bias);
  constexpr int64_t kInt32Max = std::numeric_limits<int32_t>::max();
  if (bound > kInt32Max) {
    auto worst = llvm::max_element(info->weightMagnitudes);
    int64_t channel = std::distance(info->weightMagnitudes.begin(), worst);
    InFlightDiagnostic diag = warnOnly ? op.emitWarning() : op.emitOpError();
    diag << "int32 accumulator can reach " << bound
         << ", above 2^31 - 1 (output channel " << channel << ": inputs up to "
         << maxInput << " in magnitude times sum |w - zw| = " << *worst
         << ", plus the bias)";
    return success(warnOnly);
  }
  // A multiplier >= 1 shifts the accumulator left before the high multiply
  // (MultiplyByQuantizedMultiplier's x * 2^shift), which must stay in int32.
  for (Operation *user : op->getUsers()) {
    auto rescale = dyn_cast<IntRescaleOp>(user);
    if (!rescale)
      continue;
    int32_t shift = *llvm::max_element(rescale.getShift());
    if (shift <= 0 || (bound << shift) <= kInt32Max)
      continue;
    InFlightDiagnostic diag =
        warnOnly ? rescale.emitWarning() : rescale.emitOpError();
    diag << "left shift by " << shift << " of an accumulator that can reach "
         << bound << " overflows int32";
    return success(warnOnly);
  }
  return success();
}

struct ExpandZeroPointsPass
    : qnn::impl::ExpandZeroPointsPassBase<ExpandZeroPointsPass> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (accumulatorOverflow != "error" && accumulatorOverflow != "warning") {
      emitError(func.getLoc())
          << "unknown accumulator-overflow '" << accumulatorOverflow
          << "'; expected error or warning";
      return signalPassFailure();
    }
    // Together they would move each other's results back and forth.
    if (unsignedInput && signedInput) {
      emitError(func.getLoc())
          << "unsigned-input and signed-input are mutually exclusive";
      return signalPassFailure();
    }
    bool warnOnly = accumulatorOverflow == "warning";
    InputShifts shifts{unsignedInput, signedInput};
    bool ok = true;
    func.walk([&](Operation *op) {
      if (auto conv = dyn_cast<IntConv2DOp>(op))
        ok &= succeeded(checkAccumulator(conv, warnOnly, shifts));
      else if (auto depthwise = dyn_cast<IntDepthwiseConv2DOp>(op))
        ok &= succeeded(checkAccumulator(depthwise, warnOnly, shifts));
      else if (auto fc = dyn_cast<IntFullyConnectedOp>(op))
        ok &= succeeded(checkAccumulator(fc, warnOnly, shifts));
    });
    if (!ok)
      return signalPassFailure();

    RewritePatternSet patterns(&getContext());
    populateExpandZeroPointsPatterns(patterns, unsignedInput, signedInput);
    if (failed(applyPatternsGreedily(func, std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void mlir::qnn::populateExpandZeroPointsPatterns(RewritePatternSet &patterns,
                                                 bool shiftSignedInput,
                                                 bool shiftUnsignedInput) {
  assert(!(shiftSignedInput && shiftUnsignedInput) &&
         "the two shifts undo each other");
  patterns.add<ExpandContraction<IntConv2DOp>,
               ExpandContraction<IntDepthwiseConv2DOp>,
               ExpandContraction<IntFullyConnectedOp>>(
      patterns.getContext(), InputShifts{shiftSignedInput, shiftUnsignedInput});
}
