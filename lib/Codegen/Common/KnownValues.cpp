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
#include "llvm/ADT/SmallSet.h"

using namespace mlir;
using namespace qopt;
using codegen::KnownValues;

std::optional<KnownValues> codegen::getKnownValues(Value value) {
  KnownValues known;
  DenseIntElementsAttr attr;
  if (matchPattern(value, m_Constant(&attr))) {
    known.perLane = true;
    for (const APInt &v : attr.getValues<APInt>())
      known.values.push_back(v.getSExtValue());
    return known;
  }
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
  llvm::SmallSet<int64_t, 16> seen;
  for (const APInt &v : init.getValues<APInt>())
    if (seen.insert(v.getSExtValue()).second)
      known.values.push_back(v.getSExtValue());
  return known;
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
