//===- ExpandZeroPoints.cpp - Fold constant zero-point terms --------------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// The four-term expansion of sum (x - Zx)(w - Zw) of Jacob et al. (section
// 2.3), with everything that depends on constants folded into the bias by the
// shared foldZeroPointsIntoBias. The pass first bounds every accumulator
// (checkExpandZeroPoints, which embedders of the patterns call too) and only
// then rewrites, so that an error leaves the function unchanged.
//
//===----------------------------------------------------------------------===//

#include "qopt/Dialect/QNN/IR/QNN.h"
#include "qopt/Dialect/QNN/Transforms/Passes.h"
#include "qopt/Dialect/QNN/Transforms/Patterns.h"
#include "qopt/Dialect/QNN/Utils/ConstantValues.h"
#include "qopt/Dialect/QNN/Utils/IntegerParams.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::qnn {
#define GEN_PASS_DEF_EXPANDZEROPOINTSPASS
#include "qopt/Dialect/QNN/Transforms/Passes.h.inc"
} // namespace mlir::qnn

using namespace mlir;
using namespace mlir::qnn;

namespace {

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

/// What the expansion and the overflow check need to know of one integer
/// contraction.
struct ContractionInfo {
  /// Taps per output (K); dynamic when the shapes do not say.
  int64_t depth;
  /// The input zero point as the expansion sees it, after the input shift.
  int64_t inputZp;
  SmallVector<int64_t> weightZps;
  /// The constant bias, empty without a bias or with a non-constant one.
  SmallVector<int64_t> bias;
  bool constantBias = true;
  /// sum_k w_k per output channel, for constant weights only.
  std::optional<SmallVector<int64_t>> weightSums;
  /// With constant weights, the sums of the positive and of the negative
  /// w_k - Zw per output channel (the accumulator's range).
  SmallVector<int64_t> positiveSums, negativeSums;
  /// What the input is moved by first: +128 (s8 to u8 storage), -128 (u8 to
  /// s8) or 0.
  int64_t inputShift = 0;
  /// x - Zx over the input type, before any shift (which leaves every
  /// accumulator unchanged).
  IntegerRange input;
  /// The exact range of each output channel's accumulator (see
  /// getAccumulatorRange), from the constant weights or else from the
  /// weights' type; empty when the depth is dynamic. A non-constant bias
  /// counts as 0: nothing bounds it but its own producer.
  SmallVector<IntegerRange> accumulators;

  /// Whether the expansion applies: constant weights and bias.
  bool isExpandable() const { return weightSums && constantBias; }
  /// The zero point of output channel `o`'s weights.
  int64_t getWeightZp(int64_t o) const {
    return weightZps.size() == 1 ? weightZps.front() : weightZps[o];
  }
};

/// A contraction whose input `shifts` moves is described as it runs after
/// the move: x + 128 with zero point Zx + 128 (s8 to u8), or x - 128 with
/// Zx - 128 (u8 to s8).
template <typename IntOp>
ContractionInfo getContractionInfo(IntOp op, InputShifts shifts) {
  Value weights = op->getOperand(1);
  auto weightsType = cast<RankedTensorType>(weights.getType());
  ArrayRef<int64_t> shape = weightsType.getShape();
  // Output channels: axis 0 of OHWI and [O, K], axis 3 of 1HWO.
  unsigned axis = isDepthwise<IntOp> ? 3 : 0;
  int64_t channels = shape[axis];
  ContractionInfo info;
  info.depth = ShapedType::kDynamic;
  if (weightsType.hasStaticShape())
    info.depth = channels == 0 ? 0 : weightsType.getNumElements() / channels;
  info.inputZp = op.getInputZp();
  llvm::append_range(info.weightZps, getWeightZps(op));
  if (op.getBias()) {
    std::optional<SmallVector<int64_t>> bias =
        getIntConstantValues(op.getBias());
    info.constantBias = bias.has_value();
    if (bias)
      info.bias = std::move(*bias);
  }
  auto biasOf = [&](int64_t o) { return info.bias.empty() ? 0 : info.bias[o]; };
  info.input = getCenteredRange(
      cast<RankedTensorType>(op.getInput().getType()).getElementType(),
      info.inputZp);

  if (std::optional<SmallVector<int64_t>> values =
          getIntConstantValues(weights)) {
    int64_t stride = isDepthwise<IntOp> ? 1 : info.depth;
    info.positiveSums.assign(channels, 0);
    info.negativeSums.assign(channels, 0);
    info.weightSums.emplace(channels, 0);
    for (auto [index, w] : llvm::enumerate(*values)) {
      int64_t o = isDepthwise<IntOp> ? index % channels : index / stride;
      (*info.weightSums)[o] += w;
      int64_t d = w - info.getWeightZp(o);
      (d > 0 ? info.positiveSums[o] : info.negativeSums[o]) += d;
    }
    for (int64_t o = 0; o < channels; ++o)
      info.accumulators.push_back(getAccumulatorRange(
          info.input, info.positiveSums[o], info.negativeSums[o], biasOf(o)));
  } else if (!ShapedType::isDynamic(info.depth)) {
    for (int64_t o = 0; o < channels; ++o)
      info.accumulators.push_back(getAccumulatorRange(
          info.input,
          getCenteredRange(weightsType.getElementType(), info.getWeightZp(o)),
          info.depth, biasOf(o)));
  }

  if (shifts.signedToUnsigned && isSignedBySigned(op)) {
    info.inputShift = 128;
    info.inputZp += 128;
  } else if (shifts.unsignedToSigned && isUnsignedBySigned(op)) {
    info.inputShift = -128;
    info.inputZp -= 128;
  }
  return info;
}

template <typename IntOp>
struct ExpandContraction : OpRewritePattern<IntOp> {
  ExpandContraction(MLIRContext *context, InputShifts shifts)
      : OpRewritePattern<IntOp>(context), shifts(shifts) {}

  LogicalResult matchAndRewrite(IntOp op,
                                PatternRewriter &rewriter) const override {
    ContractionInfo info = getContractionInfo(op, shifts);
    if (!info.isExpandable())
      return rewriter.notifyMatchFailure(op, "weights or bias not constant");
    // Without a zero point or shift there is still the padding to make
    // explicit: the layer kernels read padded layers through a qnn.int.pad.
    bool padded = false;
    if constexpr (!std::is_same_v<IntOp, IntFullyConnectedOp>)
      padded = llvm::any_of(op.getPadding(), [](int64_t p) { return p != 0; });
    if (info.inputZp == 0 && info.inputShift == 0 && !padded)
      return rewriter.notifyMatchFailure(op, "no input zero point or padding");
    FailureOr<SmallVector<int32_t>> folded = foldZeroPointsIntoBias(
        *info.weightSums, info.depth, info.inputZp, info.weightZps, info.bias);
    if (failed(folded))
      return rewriter.notifyMatchFailure(op, "folded bias overflows int32");

    Location loc = op.getLoc();
    auto biasType = RankedTensorType::get(
        {int64_t(folded->size())}, rewriter.getI32Type());
    Value bias = arith::ConstantOp::create(
        rewriter, loc, DenseIntElementsAttr::get(biasType, *folded));

    Value input = op.getInput();
    if (info.inputShift != 0) {
      // x + 128 as u8 or x - 128 as s8, exactly: a rescale by M = 1
      // (M0 = 2^30, shift 1) with output zero point +-128, whose result
      // always fits. u8 x s8 is what vpdpbusd multiplies, s8 x s8 what sdot
      // does.
      auto inputType = cast<RankedTensorType>(input.getType());
      input = IntRescaleOp::create(
          rewriter, loc,
          inputType.clone(IntegerType::get(rewriter.getContext(), 8,
                                           info.inputShift > 0
                                               ? IntegerType::Unsigned
                                               : IntegerType::Signless)),
          input, /*input_zp=*/0, /*output_zp=*/info.inputShift,
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
            rewriter.getDenseI64ArrayAttr(
                {0, 0, padding[0], padding[1], padding[2], padding[3], 0, 0}),
            info.inputZp);
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

/// Reports a contraction whose accumulator can leave int32, a following
/// rescale whose left shift can, and a bias the expansion cannot fold.
template <typename IntOp>
LogicalResult checkContraction(IntOp op, bool warnOnly, InputShifts shifts) {
  ContractionInfo info = getContractionInfo(op, shifts);
  auto worst = llvm::max_element(
      info.accumulators, [](const IntegerRange &a, const IntegerRange &b) {
        return a.getMagnitude() < b.getMagnitude();
      });
  if (worst != info.accumulators.end() && !worst->fitsInInt32()) {
    int64_t o = std::distance(info.accumulators.begin(), worst);
    InFlightDiagnostic diag = warnOnly ? op.emitWarning() : op.emitOpError();
    diag << "int32 accumulator of output channel " << o << " can reach "
         << worst->getFarthest() << ", outside int32 (" << info.depth
         << " taps of x - zx in [" << info.input.min << ", " << info.input.max
         << "] times ";
    if (info.weightSums) {
      diag << "constant w - zw whose positive ones sum to "
           << info.positiveSums[o] << " and negative ones to "
           << info.negativeSums[o];
    } else {
      IntegerRange weights = getCenteredRange(
          cast<RankedTensorType>(op->getOperand(1).getType()).getElementType(),
          info.getWeightZp(o));
      diag << "w - zw in [" << weights.min << ", " << weights.max << "]";
    }
    diag << (info.bias.empty() ? ")" : ", plus the bias)");
    if (!warnOnly)
      return failure();
  }
  // The folded bias is the accumulator at raw input 0 (x' = 0 after a shift,
  // an input value too), so only an accepted overflow leaves it outside
  // int32.
  if (info.isExpandable() &&
      failed(foldZeroPointsIntoBias(*info.weightSums, info.depth, info.inputZp,
                                    info.weightZps, info.bias)))
    return op.emitOpError("the bias with the zero-point terms folded in does "
                          "not fit in int32");
  // A multiplier >= 1 shifts the accumulator left before the high multiply
  // (MultiplyByQuantizedMultiplier's x * 2^shift), which must stay in int32.
  for (Operation *user : op->getUsers()) {
    auto rescale = dyn_cast<IntRescaleOp>(user);
    if (!rescale || info.accumulators.empty())
      continue;
    ArrayRef<int32_t> rescaleShifts = rescale.getShift();
    for (auto [o, accumulator] : llvm::enumerate(info.accumulators)) {
      int32_t shift =
          rescaleShifts.size() == 1 ? rescaleShifts.front() : rescaleShifts[o];
      std::optional<int64_t> overflow =
          findMultiplierInputOverflow(accumulator, shift);
      if (!overflow)
        continue;
      InFlightDiagnostic diag =
          warnOnly ? rescale.emitWarning() : rescale.emitOpError();
      diag << "left shift by " << shift << " of an accumulator that can reach "
           << *overflow << " overflows int32";
      return success(warnOnly);
    }
  }
  return success();
}

/// The move `d` (+128: i8 to u8, -128: u8 to i8) that `op` makes if it is
/// one of the input shifts ExpandContraction inserts (a rescale by 1 from
/// zero point 0 to +-128, unclamped); 0 otherwise.
static int64_t getInputShift(Operation *op) {
  auto rescale = dyn_cast_or_null<IntRescaleOp>(op);
  if (!rescale || rescale.getInputZp() != 0 ||
      std::abs(rescale.getOutputZp()) != 128 ||
      rescale.getMultiplier() != ArrayRef<int32_t>{1 << 30} ||
      rescale.getShift() != ArrayRef<int32_t>{1} || rescale.getClampMin() ||
      rescale.getClampMax())
    return 0;
  Type from = getElementTypeOrSelf(rescale.getInput());
  Type to = getElementTypeOrSelf(rescale.getResult());
  bool toUnsigned = rescale.getOutputZp() > 0;
  if (from.getIntOrFloatBitWidth() != 8 || to.getIntOrFloatBitWidth() != 8 ||
      from.isUnsignedInteger() == toUnsigned ||
      to.isUnsignedInteger() != toUnsigned)
    return 0;
  return rescale.getOutputZp();
}

/// Moves the value an input shift reads to the shift's type where every
/// user of it is that shift, another alike, a qnn.int.add or a max pool:
/// the add's other operand and result, the pool's result, then move too,
/// and so on, as long as each value comes from a rescale, an add or a
/// quantize, which produce the moved values at zero points and clamps moved
/// by d, or from a max pool of a moved value (the maximum of x + d over a
/// window's taps, padding excluded, is their maximum plus d). Every shift
/// of that web disappears, and each add computes the same sum from operands
/// and zero points moved alike. In MobileNetV2 every residual block's output
/// feeds both the next add and, through a shift, the next block's first
/// convolution: 15 passes over an activation, and one over the input image,
/// become none (at two threads on Zen 5 a shift read the half of its input
/// the other core had written: 2.2 us for 56 x 56 x 24); ResNet-18's
/// stages start with a max pool and end with an average pool (whose
/// rounding does not commute with the move): 11 of 12 go.
static void moveShiftWebs(func::FuncOp func) {
  SmallVector<Operation *> shifts;
  func.walk([&](IntRescaleOp op) {
    if (getInputShift(op) != 0)
      shifts.push_back(op);
  });
  llvm::SmallPtrSet<Operation *, 16> erased;
  for (Operation *shift : shifts) {
    if (erased.contains(shift))
      continue;
    int64_t d = getInputShift(shift);
    Type from = getElementTypeOrSelf(shift->getOperand(0));
    Type to = getElementTypeOrSelf(shift->getResult(0));
    llvm::SetVector<Value> web;
    llvm::SetVector<Operation *> adds, webShifts;
    SmallVector<Value> worklist = {shift->getOperand(0)};
    bool movable = true;
    while (movable && !worklist.empty()) {
      Value value = worklist.pop_back_val();
      if (!web.insert(value))
        continue;
      Operation *producer = value.getDefiningOp();
      movable = getElementTypeOrSelf(value) == from &&
                isa_and_nonnull<IntRescaleOp, IntAddOp, IntQuantizeOp,
                                MaxPool2DOp>(producer);
      if (auto add = dyn_cast_or_null<IntAddOp>(producer)) {
        adds.insert(add);
        worklist.append({add.getLhs(), add.getRhs()});
      } else if (auto pool = dyn_cast_or_null<MaxPool2DOp>(producer)) {
        worklist.push_back(pool.getInput());
      }
      for (Operation *user : value.getUsers()) {
        if (auto add = dyn_cast<IntAddOp>(user)) {
          adds.insert(add);
          worklist.append({add.getLhs(), add.getRhs(), add.getResult()});
        } else if (auto pool = dyn_cast<MaxPool2DOp>(user)) {
          worklist.push_back(pool.getResult());
        } else if (getInputShift(user) == d) {
          webShifts.insert(user);
        } else {
          movable = false;
        }
      }
    }
    if (!movable)
      continue;
    Builder b(func.getContext());
    auto moved = [&](std::optional<int64_t> v) -> IntegerAttr {
      return v ? b.getI64IntegerAttr(*v + d) : IntegerAttr();
    };
    for (Value value : web) {
      Operation *producer = value.getDefiningOp();
      value.setType(cast<RankedTensorType>(value.getType()).clone(to));
      if (auto rescale = dyn_cast<IntRescaleOp>(producer)) {
        rescale.setOutputZp(rescale.getOutputZp() + d);
        rescale.setClampMinAttr(moved(rescale.getClampMin()));
        rescale.setClampMaxAttr(moved(rescale.getClampMax()));
      } else if (auto add = dyn_cast<IntAddOp>(producer)) {
        add.setOutputZp(add.getOutputZp() + d);
        add.setClampMinAttr(moved(add.getClampMin()));
        add.setClampMaxAttr(moved(add.getClampMax()));
      } else if (auto quantize = dyn_cast<IntQuantizeOp>(producer)) {
        quantize.setZeroPoint(quantize.getZeroPoint() + d);
      }
    }
    for (Operation *op : adds) {
      auto add = cast<IntAddOp>(op);
      add.setLhsZp(add.getLhsZp() + d);
      add.setRhsZp(add.getRhsZp() + d);
    }
    for (Operation *op : webShifts) {
      op->getResult(0).replaceAllUsesWith(op->getOperand(0));
      erased.insert(op);
      op->erase();
    }
  }
}

} // namespace

LogicalResult mlir::qnn::checkExpandZeroPoints(Operation *root, bool warnOnly,
                                               bool shiftSignedInput,
                                               bool shiftUnsignedInput) {
  InputShifts shifts{shiftSignedInput, shiftUnsignedInput};
  bool ok = true;
  root->walk([&](Operation *op) {
    if (auto conv = dyn_cast<IntConv2DOp>(op))
      ok &= succeeded(checkContraction(conv, warnOnly, shifts));
    else if (auto depthwise = dyn_cast<IntDepthwiseConv2DOp>(op))
      ok &= succeeded(checkContraction(depthwise, warnOnly, shifts));
    else if (auto fc = dyn_cast<IntFullyConnectedOp>(op))
      ok &= succeeded(checkContraction(fc, warnOnly, shifts));
  });
  return success(ok);
}

std::optional<int64_t>
mlir::qnn::getContractionAccumulatorBound(Operation *op) {
  std::optional<ContractionInfo> info;
  if (auto conv = dyn_cast<IntConv2DOp>(op))
    info = getContractionInfo(conv, InputShifts());
  else if (auto depthwise = dyn_cast<IntDepthwiseConv2DOp>(op))
    info = getContractionInfo(depthwise, InputShifts());
  else if (auto fc = dyn_cast<IntFullyConnectedOp>(op))
    info = getContractionInfo(fc, InputShifts());
  if (!info || info->accumulators.empty())
    return std::nullopt;
  int64_t bound = 0;
  for (const IntegerRange &range : info->accumulators)
    bound = std::max(bound, range.getMagnitude());
  return bound;
}

namespace {

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
    if (failed(checkExpandZeroPoints(func, accumulatorOverflow == "warning",
                                     unsignedInput, signedInput)))
      return signalPassFailure();

    RewritePatternSet patterns(&getContext());
    populateExpandZeroPointsPatterns(patterns, unsignedInput, signedInput);
    if (failed(applyPatternsGreedily(func, std::move(patterns))))
      return signalPassFailure();
    moveShiftWebs(func);
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
