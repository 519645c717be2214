//===- VectorizeElementwise.cpp - The qopt-vectorize-elementwise pass -----===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// The elementwise ops of a network (the residual adds, the moves between i8
// and u8, quantize and dequantize) lower to linalg.generic ops whose bodies
// requantize with tosa.apply_scale. As scalar loops, LLVM's loop vectorizer
// widened their 64-bit products into vectors of 64-bit lanes, with the
// extensions, narrowings and 64-bit shifts that takes: ResNet-18's eight adds
// were 14% of its time. Vectorized here, on memrefs, their apply_scale ops
// are vectors with constant operands, which the targets' requantization
// selection computes in 32-bit lanes as the layer kernels' epilogues. A loop
// with enough work is marked for --qopt-parallelize-tiles, as the layer
// kernels' tiles are: on two threads, a whole network's elementwise ops had
// run on one while the other waited (ResNet-18: its residual adds and the
// moves to u8 after them, 106 us of 2155 on two Zen 5 cores).
//
//===----------------------------------------------------------------------===//

#include "KernelBuilders.h"

#include "qopt/Codegen/Common/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "llvm/Support/FormatVariadic.h"

namespace qopt::codegen {
#define GEN_PASS_DEF_VECTORIZEELEMENTWISEPASS
#include "qopt/Codegen/Common/Passes.h.inc"
} // namespace qopt::codegen

using namespace mlir;

/// Whether `op` can be vectorized: all iterators parallel, every operand a
/// static memref with the identity layout read or written at the same
/// element (identity maps), and a body of elementwise-mappable ops on
/// scalars (and constants).
static bool isVectorizable(linalg::GenericOp op) {
  if (!op.hasPureBufferSemantics() || op.getNumDpsInits() != 1 ||
      op.getNumParallelLoops() != op.getNumLoops() || op.getNumLoops() == 0)
    return false;
  for (OpOperand &operand : op->getOpOperands()) {
    auto type = dyn_cast<MemRefType>(operand.get().getType());
    if (!type || !type.hasStaticShape() || !type.getLayout().isIdentity() ||
        !op.getMatchingIndexingMap(&operand).isIdentity())
      return false;
  }
  // Reading the output would make a read of an element depend on a write
  // of another one of its vector: an output that is also an input is fine,
  // its elements are read before they are written.
  if (op.payloadUsesValueFromOperand(op.getDpsInitOperand(0)))
    return false;
  for (Operation &inner : op.getBody()->without_terminator()) {
    if (inner.getNumRegions() != 0 ||
        !llvm::all_of(inner.getResultTypes(),
                      [](Type type) { return type.isIntOrFloat(); }))
      return false;
    if (!isa<arith::ConstantOp>(inner) &&
        !inner.hasTrait<OpTrait::Elementwise>())
      return false;
  }
  return true;
}

/// `value` (a memref with the identity layout) viewed as one dimension.
static Value flatten(OpBuilder &b, Location loc, Value value) {
  auto type = cast<MemRefType>(value.getType());
  if (type.getRank() == 1)
    return value;
  ReassociationIndices all(type.getRank());
  std::iota(all.begin(), all.end(), 0);
  return memref::CollapseShapeOp::create(b, loc, value,
                                         ArrayRef<ReassociationIndices>{all});
}

/// The body of `op` on the elements at `index` of the `flat` operands:
/// vectors of `lanes` elements, or scalars when `lanes` is 0.
static void emitBody(OpBuilder &b, Location loc, linalg::GenericOp op,
                     ArrayRef<Value> flat, Value index, int64_t lanes) {
  Block *body = op.getBody();
  IRMapping mapping;
  auto vectorOf = [&](Type type) -> Type {
    return lanes ? VectorType::get({lanes}, type) : type;
  };
  for (auto [i, input] : llvm::enumerate(op.getDpsInputs())) {
    Type element = body->getArgument(i).getType();
    Value read;
    if (lanes) {
      Value padding = arith::ConstantOp::create(b, loc, b.getZeroAttr(element));
      read = vector::TransferReadOp::create(
          b, loc, cast<VectorType>(vectorOf(element)), flat[i],
          ValueRange{index}, padding, ArrayRef<bool>{true});
    } else {
      read = memref::LoadOp::create(b, loc, flat[i], ValueRange{index});
    }
    mapping.map(body->getArgument(i), read);
  }
  // Constants (in the body, or hoisted out of it by canonicalization) as
  // splat constants, which the targets' requantization selection reads;
  // other values of the enclosing function broadcast.
  auto operandOf = [&](Value value) -> Value {
    if (Value mapped = mapping.lookupOrNull(value))
      return mapped;
    if (!lanes)
      return value;
    auto type = cast<VectorType>(vectorOf(value.getType()));
    Attribute constant;
    Value splat =
        matchPattern(value, m_Constant(&constant))
            ? arith::ConstantOp::create(
                  b, loc, SplatElementsAttr::get(type, constant))
                  .getResult()
            : vector::BroadcastOp::create(b, loc, type, value).getResult();
    mapping.map(value, splat);
    return splat;
  };
  for (Operation &inner : body->without_terminator()) {
    if (isa<arith::ConstantOp>(inner) && lanes) {
      operandOf(inner.getResult(0));
      continue;
    }
    for (Value operand : inner.getOperands())
      operandOf(operand);
    Operation *clone = b.clone(inner, mapping);
    for (Value result : clone->getResults())
      result.setType(vectorOf(result.getType()));
  }
  Value yielded = operandOf(body->getTerminator()->getOperand(0));
  if (lanes)
    vector::TransferWriteOp::create(b, loc, yielded, flat.back(),
                                    ValueRange{index}, ArrayRef<bool>{true});
  else
    memref::StoreOp::create(b, loc, yielded, flat.back(), ValueRange{index});
}

/// The vector ops of a tosa.apply_scale once the targets' requantization
/// selection computes it in 32-bit lanes.
constexpr int64_t kApplyScaleOps = 16;
/// Below this much work, vectors times the ops of the body, a loop is faster
/// on one thread than shared out: MobileNetV2's residual adds of 43 ops a
/// vector, on two Zen 5 cores, took 13 us on one thread and 8.7 us shared
/// out at 4704 vectors (202k), 4.7 and 4.2 us at 1568 (67k), 2.7 and 4.1 us
/// at 784 (34k); a shift to u8 of 4704 vectors of 5 ops (24k) 2.2 and 4.1.
constexpr int64_t kMinParallelVectorOps = int64_t(1) << 16;

/// Whether the vector loop of `op`, `vectors` iterations, is marked for
/// --qopt-parallelize-tiles: enough work, and not nested in another loop,
/// which a region of threads would run once per iteration. Stated by an
/// analysis remark (--remarks-filter=qopt-parallel-tiles).
static bool isSharedOut(linalg::GenericOp op, int64_t vectors, int64_t lanes) {
  if (op->getParentOfType<LoopLikeOpInterface>())
    return false;
  int64_t ops = 0;
  for (Operation &inner : op.getBody()->without_terminator())
    ops += isa<tosa::ApplyScaleOp>(inner) ? kApplyScaleOps
           : isa<arith::ConstantOp>(inner) ? 0
                                           : 1;
  bool shared = vectors * ops >= kMinParallelVectorOps;
  qopt::codegen::remarkThreadSplit(
      op.getLoc(),
      llvm::formatv("elementwise loop of {0} vectors of {1} lanes, {2} ops "
                    "each: {3}",
                    vectors, lanes, ops,
                    shared ? "threads share out halves of its vectors"
                           : "one thread (less work than forking threads)")
          .str());
  return shared;
}

void qopt::codegen::vectorizeElementwise(linalg::GenericOp op, int64_t lanes) {
  OpBuilder b(op);
  Location loc = op.getLoc();
  SmallVector<Value> flat = llvm::map_to_vector(
      op->getOperands(), [&](Value v) { return flatten(b, loc, v); });
  int64_t size = cast<MemRefType>(flat.back().getType()).getNumElements();
  int64_t whole = size - size % lanes;
  auto index = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(b, loc, v);
  };
  // Whole vectors, then the remainder element by element.
  if (whole > 0) {
    auto loop = scf::ForOp::create(
        b, loc, index(0), index(whole), index(lanes), ValueRange{},
        [&](OpBuilder &lb, Location lloc, Value i, ValueRange) {
          emitBody(lb, lloc, op, flat, i, lanes);
          scf::YieldOp::create(lb, lloc);
        });
    if (isSharedOut(op, whole / lanes, lanes))
      loop->setAttr(kParallelTilesAttr, b.getUnitAttr());
  }
  if (whole < size) {
    scf::ForOp::create(b, loc, index(whole), index(size), index(1),
                       ValueRange{},
                       [&](OpBuilder &lb, Location lloc, Value i, ValueRange) {
                         emitBody(lb, lloc, op, flat, i, /*lanes=*/0);
                         scf::YieldOp::create(lb, lloc);
                       });
  }
  op.erase();
}

namespace {

struct VectorizeElementwisePass
    : public qopt::codegen::impl::VectorizeElementwisePassBase<
          VectorizeElementwisePass> {
  using Base::Base;

  void runOnOperation() override {
    if (lanes < 1) {
      getOperation()->emitError()
          << "--qopt-vectorize-elementwise: 'lanes' must be at least 1, got "
          << static_cast<int64_t>(lanes);
      return signalPassFailure();
    }
    SmallVector<linalg::GenericOp> ops;
    getOperation().walk([&](linalg::GenericOp op) {
      if (isVectorizable(op))
        ops.push_back(op);
    });
    for (linalg::GenericOp op : ops)
      qopt::codegen::vectorizeElementwise(op, lanes);
  }
};

} // namespace
