//===- Correspondence.cpp - Relate values across levels by location -------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//

#include "qopt/Analysis/Numerics.h"

#include "qopt/Dialect/QNN/IR/QNN.h"
#include "qopt/Dialect/QNN/Utils/IntegerParams.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"

using namespace mlir;
using namespace qopt;
using namespace qopt::numerics;

SmallVector<Location> numerics::getLocationLeaves(Location loc) {
  SmallVector<Location> leaves;
  if (auto fused = dyn_cast<FusedLoc>(loc)) {
    for (Location inner : fused.getLocations())
      llvm::append_range(leaves, getLocationLeaves(inner));
    return leaves;
  }
  // An unknown location names nothing: it must not relate unrelated values.
  if (!isa<UnknownLoc>(loc))
    leaves.push_back(loc);
  return leaves;
}

Location numerics::getValueLoc(Value value) {
  if (Operation *op = value.getDefiningOp())
    return op->getLoc();
  return cast<BlockArgument>(value).getLoc();
}

bool numerics::isConstant(Operation *op) {
  return isa<arith::ConstantOp, qnn::ConstOp>(op);
}

/// `inner` is non-empty and each of its leaves is a leaf of `outer`.
static bool isWithin(ArrayRef<Location> inner, ArrayRef<Location> outer) {
  return !inner.empty() && llvm::all_of(inner, [&](Location leaf) {
    return llvm::is_contained(outer, leaf);
  });
}

/// The integer type a tensor's elements are stored in, or the float type.
static Type getStorageElementType(Type element) {
  if (auto quantized = dyn_cast<quant::QuantizedType>(element))
    return qnn::getStorageIntegerType(quantized);
  return element;
}

static bool matches(Type a, Type b, TypeMatch match) {
  auto tensorA = dyn_cast<RankedTensorType>(a);
  auto tensorB = dyn_cast<RankedTensorType>(b);
  if (!tensorA || !tensorB || tensorA.getShape() != tensorB.getShape())
    return false;
  return match == TypeMatch::Shape ||
         getStorageElementType(tensorA.getElementType()) ==
             getStorageElementType(tensorB.getElementType());
}

ValueIndex::ValueIndex(func::FuncOp func) {
  for (BlockArgument arg : func.getArguments())
    entries.push_back({arg, getLocationLeaves(arg.getLoc())});
  func.walk([&](Operation *op) {
    if (isConstant(op))
      return;
    SmallVector<Location> leaves = getLocationLeaves(op->getLoc());
    for (Value result : op->getResults())
      entries.push_back({result, leaves});
  });
}

Value ValueIndex::findCounterpart(Value value, TypeMatch match) const {
  SmallVector<Location> leaves = getLocationLeaves(getValueLoc(value));
  for (const Entry &entry : llvm::reverse(entries))
    if (isWithin(entry.leaves, leaves) &&
        matches(entry.value.getType(), value.getType(), match))
      return entry.value;
  return nullptr;
}

SmallVector<Operation *> ValueIndex::getOpsWithin(Location loc) const {
  SmallVector<Location> leaves = getLocationLeaves(loc);
  SmallVector<Operation *> ops;
  for (const Entry &entry : entries) {
    Operation *op = entry.value.getDefiningOp();
    if (op && isWithin(entry.leaves, leaves) && !llvm::is_contained(ops, op))
      ops.push_back(op);
  }
  return ops;
}
