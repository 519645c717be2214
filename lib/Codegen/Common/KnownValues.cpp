//===- KnownValues.cpp - Compile-time lanes of kernel parameters ----------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//

#include "qopt/Codegen/Common/KnownValues.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/SymbolTable.h"

#include <algorithm>
#include <limits>

using namespace mlir;
using namespace qopt;
using codegen::KnownValues;

/// The elements of the constant `value` is (per lane: true), or of the
/// constant memref.global it is an in-bounds unmasked vector.transfer_read
/// or vector.load of (false).
static std::optional<std::pair<DenseIntElementsAttr, bool>>
getConstantElements(Value value) {
  DenseIntElementsAttr attr;
  if (matchPattern(value, m_Constant(&attr)))
    return std::make_pair(attr, true);
  Value base;
  if (auto read = value.getDefiningOp<vector::TransferReadOp>()) {
    // Lanes past the end would take the padding value.
    if (read.getMask() ||
        !llvm::all_of(read.getInBoundsValues(), [](bool b) { return b; }))
      return std::nullopt;
    base = read.getBase();
  } else if (auto load = value.getDefiningOp<vector::LoadOp>()) {
    base = load.getBase();
  } else {
    return std::nullopt;
  }
  auto getGlobal = base.getDefiningOp<memref::GetGlobalOp>();
  if (!getGlobal)
    return std::nullopt;
  auto global = SymbolTable::lookupNearestSymbolFrom<memref::GlobalOp>(
      getGlobal, getGlobal.getNameAttr());
  if (!global || !global.getConstant())
    return std::nullopt;
  auto init =
      dyn_cast_or_null<DenseIntElementsAttr>(global.getInitialValueAttr());
  if (!init)
    return std::nullopt;
  return std::make_pair(init, false);
}

std::optional<KnownValues> codegen::getKnownValues(Value value) {
  std::optional<std::pair<DenseIntElementsAttr, bool>> constant =
      getConstantElements(value);
  if (!constant)
    return std::nullopt;
  KnownValues known;
  known.perLane = constant->second;
  for (const APInt &v : constant->first.getValues<APInt>())
    known.values.push_back(v.getSExtValue());
  // A global's values, once each (sorted: a set of thousands of lanes is
  // built in linear time, not by a tree insertion per lane).
  if (!known.perLane) {
    llvm::sort(known.values);
    known.values.erase(std::unique(known.values.begin(), known.values.end()),
                       known.values.end());
  }
  return known;
}

using RangeCache = DenseMap<Value, std::optional<qnn::IntegerRange>>;

/// getKnownRange, giving up past `depth` ops (the chains it bounds are a
/// kernel tile's dot products, a few dozen ops at most); `cache` holds the
/// values already bounded, so that shared operands are visited once.
static std::optional<qnn::IntegerRange>
getKnownRange(Value value, codegen::OpRangeFn getOpRange, unsigned depth,
              RangeCache &cache, codegen::ConstantRangeCache &constants);

static std::optional<qnn::IntegerRange>
computeKnownRange(Value value, codegen::OpRangeFn getOpRange, unsigned depth,
                  RangeCache &cache, codegen::ConstantRangeCache &constants) {
  auto type = dyn_cast<IntegerType>(getElementTypeOrSelf(value.getType()));
  if (!type || type.getWidth() > 32 || depth == 0)
    return std::nullopt;
  unsigned width = type.getWidth();
  // The range if it fits in the element type (a wider one would have
  // wrapped), else none.
  auto fitting = [&](qnn::IntegerRange range)
      -> std::optional<qnn::IntegerRange> {
    if (range.min < -(int64_t(1) << (width - 1)) ||
        range.max >= (int64_t(1) << (width - 1)))
      return std::nullopt;
    return range;
  };
  auto rangeOf = [&](Value v) {
    return getKnownRange(v, getOpRange, depth - 1, cache, constants);
  };
  if (std::optional<std::pair<DenseIntElementsAttr, bool>> constant =
          getConstantElements(value)) {
    // Once per constant: a depthwise tile's dot products read its packed
    // weights (tens of thousands of bytes) for every accumulator.
    auto [it, inserted] = constants.try_emplace(constant->first);
    if (inserted && !constant->first.empty()) {
      qnn::IntegerRange range{std::numeric_limits<int64_t>::max(),
                              std::numeric_limits<int64_t>::min()};
      for (const APInt &v : constant->first.getValues<APInt>()) {
        range.min = std::min(range.min, v.getSExtValue());
        range.max = std::max(range.max, v.getSExtValue());
      }
      it->second = range;
    }
    return it->second;
  }
  Operation *op = value.getDefiningOp();
  if (!op)
    return std::nullopt;
  if (isa<arith::ExtUIOp, arith::ExtSIOp>(op)) {
    if (std::optional<qnn::IntegerRange> in = rangeOf(op->getOperand(0)))
      if (isa<arith::ExtSIOp>(op) || in->min >= 0)
        return *in;
    unsigned from =
        getElementTypeOrSelf(op->getOperand(0).getType()).getIntOrFloatBitWidth();
    if (isa<arith::ExtUIOp>(op))
      return qnn::IntegerRange{0, (int64_t(1) << from) - 1};
    return qnn::IntegerRange{-(int64_t(1) << (from - 1)),
                             (int64_t(1) << (from - 1)) - 1};
  }
  if (isa<arith::AddIOp, arith::SubIOp, arith::MulIOp>(op)) {
    std::optional<qnn::IntegerRange> lhs = rangeOf(op->getOperand(0));
    std::optional<qnn::IntegerRange> rhs =
        lhs ? rangeOf(op->getOperand(1)) : std::nullopt;
    if (!rhs)
      return std::nullopt;
    if (isa<arith::AddIOp>(op))
      return fitting({lhs->min + rhs->min, lhs->max + rhs->max});
    if (isa<arith::SubIOp>(op))
      return fitting({lhs->min - rhs->max, lhs->max - rhs->min});
    return fitting(qnn::getProductRange(*lhs, *rhs));
  }
  if (isa<arith::ShLIOp>(op)) {
    // By a constant: a multiplication by its power of two (TFLite's add
    // shifts its operands left by 20 before rescaling them).
    std::optional<qnn::IntegerRange> lhs = rangeOf(op->getOperand(0));
    std::optional<qnn::IntegerRange> shift =
        lhs ? rangeOf(op->getOperand(1)) : std::nullopt;
    if (!shift || shift->min != shift->max || shift->min < 0 ||
        shift->min >= width)
      return std::nullopt;
    int64_t factor = int64_t(1) << shift->min;
    return fitting({lhs->min * factor, lhs->max * factor});
  }
  if (auto scale = dyn_cast<tosa::ApplyScaleOp>(op)) {
    // A requantization feeding another (TFLite's add rescales its operands,
    // then their sum). With M0 >= 0 and a right shift n >= 1, either
    // rounding is within 1 of x M0 / 2^n (double rounding: 1/2 from each
    // step, the first one's divided by 2^(n - 31)), so |result| <=
    // floor(|x| M0 / 2^n) + 1; |x| <= 2^31 and M0 < 2^31 keep the product
    // exact in 64 bits.
    auto stated =
        scale->getAttrOfType<DenseI64ArrayAttr>(codegen::kValueRangeAttrName);
    std::optional<qnn::IntegerRange> in =
        stated && stated.size() == 2 && stated[0] <= stated[1]
            ? qnn::IntegerRange{stated[0], stated[1]}
            : rangeOf(scale.getValue());
    std::optional<KnownValues> m =
        codegen::getKnownValues(scale.getMultiplier());
    std::optional<KnownValues> n = codegen::getKnownValues(scale.getShift());
    if (!in || !m || !n || m->values.empty() || n->values.empty() ||
        m->any([](int64_t v) { return v < 0 || v >= int64_t(1) << 31; }) ||
        n->any([](int64_t v) { return v < 1 || v > 62; }))
      return std::nullopt;
    int64_t magnitude = std::max(-in->min, in->max);
    int64_t bound =
        (magnitude * *llvm::max_element(m->values) >>
         *llvm::min_element(n->values)) +
        1;
    return fitting({-bound, bound});
  }
  if (auto select = dyn_cast<arith::SelectOp>(op)) {
    std::optional<qnn::IntegerRange> a = rangeOf(select.getTrueValue());
    std::optional<qnn::IntegerRange> b =
        a ? rangeOf(select.getFalseValue()) : std::nullopt;
    if (!b)
      return std::nullopt;
    return qnn::IntegerRange{std::min(a->min, b->min),
                             std::max(a->max, b->max)};
  }
  if (!getOpRange)
    return std::nullopt;
  std::optional<qnn::IntegerRange> range = getOpRange(op, rangeOf);
  return range ? fitting(*range) : std::nullopt;
}

static std::optional<qnn::IntegerRange>
getKnownRange(Value value, codegen::OpRangeFn getOpRange, unsigned depth,
              RangeCache &cache, codegen::ConstantRangeCache &constants) {
  auto it = cache.find(value);
  if (it != cache.end())
    return it->second;
  std::optional<qnn::IntegerRange> range =
      computeKnownRange(value, getOpRange, depth, cache, constants);
  cache[value] = range;
  return range;
}

std::optional<qnn::IntegerRange>
codegen::getKnownRange(Value value, OpRangeFn getOpRange,
                       ConstantRangeCache *constants) {
  RangeCache cache;
  ConstantRangeCache local;
  return ::getKnownRange(value, getOpRange, /*depth=*/64, cache,
                         constants ? *constants : local);
}

void codegen::setStatedRange(tosa::ApplyScaleOp op, qnn::IntegerRange range) {
  op->setAttr(kValueRangeAttrName,
              DenseI64ArrayAttr::get(op.getContext(), {range.min, range.max}));
}

std::optional<qnn::IntegerRange>
codegen::getValueRange(tosa::ApplyScaleOp op, OpRangeFn getOpRange,
                       ConstantRangeCache *constants) {
  if (auto stated = op->getAttrOfType<DenseI64ArrayAttr>(kValueRangeAttrName);
      stated && stated.size() == 2 && stated[0] <= stated[1])
    return qnn::IntegerRange{stated[0], stated[1]};
  return getKnownRange(op.getValue(), getOpRange, constants);
}

FailureOr<std::pair<KnownValues, KnownValues>>
codegen::getKnownScaleParameters(tosa::ApplyScaleOp op,
                                 PatternRewriter &rewriter) {
  auto type = dyn_cast<VectorType>(op.getValue().getType());
  if (!type || type.getRank() != 1 || type.isScalable() ||
      !type.getElementType().isInteger(32) ||
      !getElementTypeOrSelf(op.getMultiplier().getType()).isInteger(32) ||
      !getElementTypeOrSelf(op.getShift().getType()).isInteger(8))
    return rewriter.notifyMatchFailure(op, "not a 1-D vector of i32");
  std::optional<KnownValues> multipliers = getKnownValues(op.getMultiplier());
  std::optional<KnownValues> shifts = getKnownValues(op.getShift());
  if (!multipliers || !shifts)
    return rewriter.notifyMatchFailure(
        op, "multiplier or shift not known at compile time");
  if (!multipliers->all([](int64_t m) { return m >= 0; }) ||
      !shifts->all([](int64_t n) { return n >= 1 && n <= 62; }))
    return rewriter.notifyMatchFailure(
        op, "multiplier or shift outside qnn's range");
  return std::make_pair(std::move(*multipliers), std::move(*shifts));
}

Value codegen::splat(OpBuilder &b, Location loc, VectorType type,
                     int64_t value) {
  return arith::ConstantOp::create(
      b, loc,
      DenseElementsAttr::get(type,
                             b.getIntegerAttr(type.getElementType(), value)));
}
