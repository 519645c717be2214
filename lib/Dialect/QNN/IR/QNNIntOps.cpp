//===- QNNIntOps.cpp - QNN integer level ops ------------------------------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//

#include "qopt/Dialect/QNN/IR/QNN.h"

#include "QNNVerifiers.h"

#include "qopt/Dialect/QNN/Utils/IntegerParams.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/Support/MathExtras.h"

#include <cmath>
#include <cstdlib>
#include <limits>

using namespace mlir;
using namespace mlir::qnn;
using namespace mlir::qnn::detail;

#define GET_OP_CLASSES
#include "qopt/Dialect/QNN/IR/QNNIntOps.cpp.inc"

static constexpr int64_t kInt32Max = std::numeric_limits<int32_t>::max();

static Type elementType(Value value) {
  return cast<RankedTensorType>(value.getType()).getElementType();
}

//===----------------------------------------------------------------------===//
// Contractions
//===----------------------------------------------------------------------===//

/// Zero points of an integer contraction: `input_zp` in the input's range and
/// one weight zero point, or one per output channel, in the weights' range.
static LogicalResult verifyContractionZeroPoints(Operation *op, Value input,
                                                 int64_t inputZp,
                                                 Value weights,
                                                 StringRef weightsZpName,
                                                 ArrayRef<int64_t> weightsZp,
                                                 int64_t channels) {
  if (failed(verifyStorageValue(op, "input_zp", inputZp, elementType(input))))
    return failure();
  return verifyZeroPointList(op, weightsZpName, weightsZp, channels,
                             elementType(weights));
}

template <typename ConvOp>
static LogicalResult verifyIntConv(ConvOp op, bool depthwise,
                                   int64_t groups) {
  RankedTensorType filter = op.getFilter().getType();
  if (failed(verifyConvGeometry(op, op.getInput().getType(), filter,
                                optionalType(op.getBias()), op.getType(),
                                op.getStrides(), op.getDilations(),
                                op.getPadding(), depthwise, groups)))
    return failure();
  int64_t channels = filter.getDimSize(depthwise ? 3 : 0);
  return verifyContractionZeroPoints(op, op.getInput(), op.getInputZp(),
                                     op.getFilter(), "filter_zp",
                                     op.getFilterZp(), channels);
}

LogicalResult IntConv2DOp::verify() {
  return verifyIntConv(*this, /*depthwise=*/false, getGroups());
}

LogicalResult IntDepthwiseConv2DOp::verify() {
  return verifyIntConv(*this, /*depthwise=*/true, /*groups=*/1);
}

LogicalResult IntFullyConnectedOp::verify() {
  RankedTensorType weights = getWeights().getType();
  if (failed(verifyFullyConnectedGeometry(*this, getInput().getType(), weights,
                                          optionalType(getBias()), getType())))
    return failure();
  return verifyContractionZeroPoints(*this, getInput(), getInputZp(),
                                     getWeights(), "weights_zp",
                                     getWeightsZp(), weights.getDimSize(0));
}

//===----------------------------------------------------------------------===//
// Requantization
//===----------------------------------------------------------------------===//

LogicalResult IntRescaleOp::verify() {
  RankedTensorType input = getInput().getType();
  RankedTensorType result = getType();
  if (failed(verifySameShape(*this, {named("input", getInput()),
                                     named("result", getResult())})))
    return failure();
  // An int32 accumulator has no zero point, and subtracting one could
  // overflow before the multiplier is applied.
  if (input.getElementType().isInteger(32) && getInputZp() != 0)
    return emitOpError() << "'input_zp' must be 0 for an i32 input, got "
                         << getInputZp();
  if (failed(verifyStorageValue(*this, "input_zp", getInputZp(),
                                input.getElementType())) ||
      failed(verifyStorageValue(*this, "output_zp", getOutputZp(),
                                result.getElementType())))
    return failure();

  ArrayRef<int32_t> multipliers = getMultiplier();
  ArrayRef<int32_t> shifts = getShift();
  if (multipliers.size() != shifts.size())
    return emitOpError() << "'multiplier' has " << multipliers.size()
                         << " entries but 'shift' has " << shifts.size();
  if (multipliers.empty())
    return emitOpError("'multiplier' must not be empty");
  if (multipliers.size() > 1) {
    int64_t channels =
        input.getRank() == 0 ? 1 : input.getDimSize(input.getRank() - 1);
    if (ShapedType::isDynamic(channels) ||
        channels != int64_t(multipliers.size()))
      return emitOpError() << "per-channel 'multiplier' has "
                           << multipliers.size()
                           << " entries but the innermost dimension has size "
                           << channels;
  }
  for (auto [multiplier, shift] : llvm::zip_equal(multipliers, shifts))
    if (failed(verifyMultiplier(*this, "multiplier", multiplier, "shift",
                                shift)))
      return failure();
  // 8- and 16-bit inputs are bounded by their type; an int32 accumulator is
  // bounded by its contraction, which --qopt-expand-zero-points checks.
  if (input.getElementType().getIntOrFloatBitWidth() < 32) {
    IntegerRange centered =
        getCenteredRange(input.getElementType(), getInputZp());
    for (int32_t shift : shifts)
      if (failed(verifyLeftShift(*this, "'input' minus 'input_zp'", centered,
                                 "shift", shift)))
        return failure();
  }
  return verifyIntClamp(*this, getClampMin(), getClampMax(),
                        result.getElementType());
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

/// Operands and result of integer add/mul share shape and element type, and
/// the zero points lie in that type's range.
static LogicalResult verifyIntBinary(Operation *op, Value lhs, Value rhs,
                                     Value result, int64_t lhsZp,
                                     int64_t rhsZp, int64_t outputZp) {
  SmallVector<NamedTensor> tensors = {named("lhs", lhs), named("rhs", rhs),
                                      named("result", result)};
  if (failed(verifySameShape(op, tensors)) ||
      failed(verifySameElementType(op, tensors)))
    return failure();
  Type element = elementType(lhs);
  if (failed(verifyStorageValue(op, "lhs_zp", lhsZp, element)) ||
      failed(verifyStorageValue(op, "rhs_zp", rhsZp, element)) ||
      failed(verifyStorageValue(op, "output_zp", outputZp, element)))
    return failure();
  return success();
}

LogicalResult IntAddOp::verify() {
  if (failed(verifyIntBinary(*this, getLhs(), getRhs(), getResult(),
                             getLhsZp(), getRhsZp(), getOutputZp())))
    return failure();
  Type element = elementType(getLhs());
  // Each rescaled input is at most |q - zp| * 2^left_shift times a multiplier
  // below 1; bounding the shifted value by 2^30 keeps the sum of both inputs
  // inside int32 (TensorFlow Lite's 20-bit shift of 8-bit values gives
  // 255 * 2^20 < 2^28; its 16-bit scheme, zero point 0 and shift 15, 2^30).
  int64_t leftShift = getLeftShift();
  if (leftShift < 0 || leftShift > 30)
    return emitOpError() << "'left_shift' (" << leftShift
                         << ") must be in [0, 30]";
  int64_t magnitude =
      std::max(getCenteredRange(element, getLhsZp()).getMagnitude(),
               getCenteredRange(element, getRhsZp()).getMagnitude());
  if ((magnitude << leftShift) > (int64_t(1) << 30))
    return emitOpError() << "'left_shift' (" << leftShift
                         << ") overflows int32: an input minus its zero point "
                            "reaches "
                         << magnitude << ", and the sum of two such inputs "
                         << "shifted left must stay within 2^31";
  for (auto [name, shift] : {std::pair{"lhs_shift", getLhsShift()},
                             std::pair{"rhs_shift", getRhsShift()}})
    if (shift > 0)
      return emitOpError() << "'" << name << "' (" << shift
                           << ") must be <= 0: input multipliers are below 1";
  if (failed(verifyMultiplier(*this, "lhs_multiplier", getLhsMultiplier(),
                              "lhs_shift", getLhsShift())) ||
      failed(verifyMultiplier(*this, "rhs_multiplier", getRhsMultiplier(),
                              "rhs_shift", getRhsShift())) ||
      failed(verifyMultiplier(*this, "output_multiplier",
                              getOutputMultiplier(), "output_shift",
                              getOutputShift())))
    return failure();
  AddParams params{static_cast<int32_t>(leftShift),
                   {getLhsMultiplier(), getLhsShift()},
                   {getRhsMultiplier(), getRhsShift()},
                   {getOutputMultiplier(), getOutputShift()}};
  IntegerRange sum = getAddSumRange(getCenteredRange(element, getLhsZp()),
                                    getCenteredRange(element, getRhsZp()),
                                    params, getRounding());
  if (failed(verifyLeftShift(*this, "the sum of the rescaled inputs", sum,
                             "output_shift", getOutputShift())))
    return failure();
  return verifyIntClamp(*this, getClampMin(), getClampMax(), element);
}

LogicalResult IntWeightedAddOp::verify() {
  if (failed(verifyIntBinary(*this, getLhs(), getRhs(), getResult(),
                             getLhsZp(), getRhsZp(), getOutputZp())))
    return failure();
  for (auto [name, multiplier] :
       {std::pair{"lhs_multiplier", getLhsMultiplier()},
        std::pair{"rhs_multiplier", getRhsMultiplier()}})
    if (multiplier < 0)
      return emitOpError() << "'" << name << "' (" << multiplier
                           << ") must be nonnegative";
  if (getRightShift() < 0 || getRightShift() > 31)
    return emitOpError() << "'right_shift' (" << getRightShift()
                         << ") must be in [0, 31]";
  // The weighted sum is computed in int32, exactly.
  Type element = elementType(getLhs());
  IntegerRange sum =
      getWeightedAddRange(getCenteredRange(element, getLhsZp()),
                          getCenteredRange(element, getRhsZp()),
                          getLhsMultiplier(), getRhsMultiplier());
  if (!sum.fitsInInt32())
    return emitOpError() << "the weighted sum of the inputs minus their zero "
                            "points reaches "
                         << sum.getFarthest() << " and overflows int32";
  // So does the output zero point added to the rounded sum (rounding is
  // monotonic: the ends are enough).
  for (int64_t end : {sum.min, sum.max}) {
    int64_t out =
        roundingDivideByPOT(int32_t(end), getRightShift()) + getOutputZp();
    if (!llvm::isInt<32>(out))
      return emitOpError() << "the rounded weighted sum plus 'output_zp' "
                              "reaches "
                           << out << " and overflows int32";
  }
  return verifyIntClamp(*this, getClampMin(), getClampMax(), element);
}

LogicalResult IntMulOp::verify() {
  if (failed(verifyIntBinary(*this, getLhs(), getRhs(), getResult(),
                             getLhsZp(), getRhsZp(), getOutputZp())))
    return failure();
  Type element = elementType(getLhs());
  IntegerRange product = getProductRange(getCenteredRange(element, getLhsZp()),
                                         getCenteredRange(element, getRhsZp()));
  if (!product.fitsInInt32())
    return emitOpError() << "the product of the zero-point-adjusted operands "
                            "reaches "
                         << product.getFarthest() << " and overflows int32";
  if (failed(verifyMultiplier(*this, "multiplier", getMultiplier(), "shift",
                              getShift())) ||
      failed(verifyLeftShift(*this,
                             "the product of the zero-point-adjusted operands",
                             product, "shift", getShift())))
    return failure();
  return verifyIntClamp(*this, getClampMin(), getClampMax(), element);
}

LogicalResult IntClampOp::verify() {
  return verifyIntClamp(*this, getMin(), getMax(),
                        getInput().getType().getElementType(), "min", "max");
}

/// Whether `op` multiplies by exactly 1: MultiplyByQuantizedMultiplier(x,
/// 2^30, 1) is x in both rounding conventions (x * 2 * 2^30 / 2^31 has no
/// fraction to round) for every x whose double fits in int32, which holds
/// for the 8- and 16-bit inputs such a rescale takes.
static bool isIdentityMultiplier(IntRescaleOp op) {
  return op.getMultiplier().size() == 1 &&
         op.getMultiplier().front() == (1 << 30) &&
         op.getShift().size() == 1 && op.getShift().front() == 1 &&
         op.getInput().getType().getElementType().getIntOrFloatBitWidth() <= 16;
}

LogicalResult IntRescaleOp::canonicalize(IntRescaleOp op,
                                         PatternRewriter &rewriter) {
  auto producer = op.getInput().getDefiningOp<IntRescaleOp>();
  if (!isIdentityMultiplier(op) || !producer || !producer->hasOneUse())
    return failure();
  // The producer's result y = clamp(v, lo, hi) (v its unclamped value) and
  // op's z = clamp(y + d, lo', hi') with d = output_zp - input_zp make
  //   z = clamp(v + d, max(lo + d, lo'), min(hi + d, hi'))
  // when that range is not empty.
  int64_t d = op.getOutputZp() - op.getInputZp();
  auto [lo, hi] = getStorageRange(elementType(producer.getResult()));
  lo = producer.getClampMin().value_or(lo);
  hi = producer.getClampMax().value_or(hi);
  auto [outLo, outHi] = getStorageRange(elementType(op.getResult()));
  int64_t min = std::max(lo + d, op.getClampMin().value_or(outLo));
  int64_t max = std::min(hi + d, op.getClampMax().value_or(outHi));
  int64_t zeroPoint = producer.getOutputZp() + d;
  if (min > max || zeroPoint < outLo || zeroPoint > outHi)
    return failure();
  // Both locations, so that tools can still relate the result to the ops
  // of the source it computes (docs/numerics.md).
  auto fused = IntRescaleOp::create(
      rewriter, rewriter.getFusedLoc({producer.getLoc(), op.getLoc()}),
      op.getType(), producer.getInput(), producer.getInputZpAttr(),
      rewriter.getI64IntegerAttr(zeroPoint), producer.getMultiplierAttr(),
      producer.getShiftAttr(), producer.getRoundingAttr(),
      rewriter.getI64IntegerAttr(min), rewriter.getI64IntegerAttr(max));
  rewriter.replaceOp(op, fused.getResult());
  rewriter.eraseOp(producer);
  return success();
}

/// Intersects a clamp with the optional clamp attributes of `producer`.
template <typename ProducerOp>
static LogicalResult fuseClamp(IntClampOp clamp, Operation *producer,
                               PatternRewriter &rewriter) {
  auto op = dyn_cast<ProducerOp>(producer);
  if (!op)
    return failure();
  auto [lo, hi] = getStorageRange(elementType(op.getResult()));
  int64_t min = std::max(op.getClampMin().value_or(lo), clamp.getMin());
  int64_t max = std::min(op.getClampMax().value_or(hi), clamp.getMax());
  // Disjoint ranges clamp everything to one value; keep both ops then.
  if (min > max)
    return failure();
  // The producer now computes the clamp's result too: it takes the clamp's
  // location as well (docs/numerics.md relates values by location).
  rewriter.modifyOpInPlace(op, [&] {
    op.setClampMinAttr(rewriter.getI64IntegerAttr(min));
    op.setClampMaxAttr(rewriter.getI64IntegerAttr(max));
    op->setLoc(rewriter.getFusedLoc({op.getLoc(), clamp.getLoc()}));
  });
  rewriter.replaceOp(clamp, op.getResult());
  return success();
}

LogicalResult IntClampOp::canonicalize(IntClampOp op,
                                       PatternRewriter &rewriter) {
  auto [lo, hi] = getStorageRange(elementType(op.getInput()));
  Operation *producer = op.getInput().getDefiningOp();
  if (op.getMin() <= lo && op.getMax() >= hi) {
    // The producer's result is the clamp's too: it takes the clamp's
    // location as well (docs/numerics.md relates values by location).
    if (producer && op.getInput().hasOneUse())
      rewriter.modifyOpInPlace(producer, [&] {
        producer->setLoc(
            rewriter.getFusedLoc({producer->getLoc(), op.getLoc()}));
      });
    rewriter.replaceOp(op, op.getInput());
    return success();
  }
  if (!producer || !op.getInput().hasOneUse())
    return failure();
  return success(
      succeeded(fuseClamp<IntRescaleOp>(op, producer, rewriter)) ||
      succeeded(fuseClamp<IntAddOp>(op, producer, rewriter)) ||
      succeeded(fuseClamp<IntWeightedAddOp>(op, producer, rewriter)) ||
      succeeded(fuseClamp<IntMulOp>(op, producer, rewriter)) ||
      succeeded(fuseClamp<IntAvgPool2DOp>(op, producer, rewriter)));
}

//===----------------------------------------------------------------------===//
// Pooling and padding
//===----------------------------------------------------------------------===//

LogicalResult IntAvgPool2DOp::verify() {
  if (failed(verifyPoolGeometry(*this, getInput().getType(), getType(),
                                getKernel(), getStrides(), getPadding())) ||
      failed(verifySameElementType(*this, {named("input", getInput()),
                                           named("result", getResult())})))
    return failure();
  Type element = elementType(getInput());
  auto [min, max] = getStorageRange(element);
  int64_t windowSize = getKernel()[0] * getKernel()[1];
  if (windowSize * std::max(std::abs(min), std::abs(max)) > kInt32Max)
    return emitOpError() << "a " << getKernel()[0] << "x" << getKernel()[1]
                         << " window sum of " << element
                         << " values overflows int32";
  return verifyIntClamp(*this, getClampMin(), getClampMax(), element);
}

LogicalResult IntPadOp::verify() {
  RankedTensorType input = getInput().getType();
  if (failed(verifyPadGeometry(*this, input, getType(), getPadding())) ||
      failed(verifySameElementType(*this, {named("input", getInput()),
                                           named("result", getResult())})))
    return failure();
  return verifyStorageValue(*this, "value", getValue(),
                            input.getElementType());
}

//===----------------------------------------------------------------------===//
// Level boundary
//===----------------------------------------------------------------------===//

/// quantize / dequantize at the integer level: same shape, a valid scale and
/// a zero point inside the storage type's range.
static LogicalResult verifyIntLevelChange(Operation *op, Value input,
                                          Value result, double scale,
                                          int64_t zeroPoint, Type storage) {
  if (failed(verifySameShape(op, {named("input", input),
                                  named("result", result)})))
    return failure();
  if (!(scale > 0.0) || !std::isfinite(scale))
    return op->emitOpError() << "'scale' (" << scale
                             << ") must be positive and finite";
  return verifyStorageValue(op, "zero_point", zeroPoint, storage);
}

LogicalResult IntQuantizeOp::verify() {
  return verifyIntLevelChange(*this, getInput(), getResult(),
                              getScale().convertToDouble(), getZeroPoint(),
                              elementType(getResult()));
}

LogicalResult IntDequantizeOp::verify() {
  return verifyIntLevelChange(*this, getInput(), getResult(),
                              getScale().convertToDouble(), getZeroPoint(),
                              elementType(getInput()));
}
