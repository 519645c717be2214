//===- PlanBuffers.cpp - The qopt-plan-buffers pass -----------------------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// A network's function allocates a buffer for every intermediate
// activation, and the ownership-based deallocation pipeline frees them all
// at the end of the block that holds them: every temporary of the network
// lives for the whole call. ResNet-18 at 224 x 224 pixels allocated 67
// buffers, 7.9 MB, per call; the allocator returned most of it to the system
// when the call freed it and faulted it in again on the next call (1.5 ms of
// a 2.4 ms call without a tuned malloc), and the layers read their inputs
// from memory that no cache still held.
//
// This pass is the static memory planning of TFLite's arena planner and
// XLA's buffer assignment, on the straight-line body that a network lowers
// to: each buffer lives from its allocation to the last operation of the
// block that uses it or a view of it; the buffers are placed, largest
// first, at the lowest offset of one allocation that no buffer alive at the
// same time already occupies (greedy by size), and become views of that
// allocation. One allocation per call instead of dozens, and a footprint
// that is the peak of the live buffers, not their sum.
//
//===----------------------------------------------------------------------===//

#include "qopt/Codegen/Common/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Interfaces/CallInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "llvm/Support/MathExtras.h"

namespace qopt::codegen {
#define GEN_PASS_DEF_PLANBUFFERSPASS
#include "qopt/Codegen/Common/Passes.h.inc"
} // namespace qopt::codegen

using namespace mlir;

namespace {

/// A buffer of the block and the positions of the block's operations
/// between which it is alive (both included).
struct Lifetime {
  memref::AllocOp alloc;
  memref::DeallocOp dealloc;
  int64_t bytes;
  int64_t begin, end;
  int64_t offset = 0;
};

} // namespace

/// The bytes of `type` if the pass can place it: a static shape with the
/// identity layout in the default memory space, of integers or floats of
/// whole bytes (what memref.view can make of an i8 buffer).
static std::optional<int64_t> getPlaceableBytes(MemRefType type) {
  if (!type.hasStaticShape() || !type.getLayout().isIdentity() ||
      type.getMemorySpace())
    return std::nullopt;
  Type element = type.getElementType();
  if (!element.isIntOrFloat() || element.getIntOrFloatBitWidth() % 8 != 0)
    return std::nullopt;
  return type.getNumElements() * (element.getIntOrFloatBitWidth() / 8);
}

/// The lifetime of `alloc` in `block` (its own block), with `positions`
/// the index of each of the block's operations; nothing if the buffer may
/// outlive its uses there: a view or the buffer itself returned, yielded,
/// passed to a call or turned into anything but a view (a pointer, a
/// descriptor), or freed other than once by a memref.dealloc of the block.
static std::optional<Lifetime>
getLifetime(memref::AllocOp alloc, Block &block,
            const DenseMap<Operation *, int64_t> &positions) {
  std::optional<int64_t> bytes = getPlaceableBytes(alloc.getType());
  if (!bytes || !alloc.getDynamicSizes().empty() ||
      !alloc.getSymbolOperands().empty())
    return std::nullopt;
  Lifetime lifetime{alloc, nullptr, *bytes, positions.lookup(alloc),
                    positions.lookup(alloc)};
  SmallVector<Value> aliases = {alloc.getResult()};
  while (!aliases.empty()) {
    Value alias = aliases.pop_back_val();
    for (OpOperand &use : alias.getUses()) {
      Operation *user = use.getOwner();
      if (auto dealloc = dyn_cast<memref::DeallocOp>(user)) {
        if (alias != alloc.getResult() || lifetime.dealloc ||
            dealloc->getBlock() != &block)
          return std::nullopt;
        lifetime.dealloc = dealloc;
        continue;
      }
      auto view = dyn_cast<ViewLikeOpInterface>(user);
      if (view && view.getViewSource() == alias) {
        aliases.append(user->result_begin(), user->result_end());
      } else if (user->hasTrait<OpTrait::IsTerminator>() ||
                 isa<CallOpInterface>(user) ||
                 llvm::any_of(user->getResultTypes(),
                              llvm::IsaPred<BaseMemRefType>) ||
                 isa<memref::ExtractAlignedPointerAsIndexOp,
                     UnrealizedConversionCastOp>(user)) {
        return std::nullopt;
      }
      Operation *ancestor = block.findAncestorOpInBlock(*user);
      if (!ancestor)
        return std::nullopt;
      lifetime.end = std::max(lifetime.end, positions.lookup(ancestor));
    }
  }
  if (!lifetime.dealloc || positions.lookup(lifetime.dealloc) < lifetime.end)
    return std::nullopt;
  return lifetime;
}

/// The alignment of every buffer in the arena: a cache line, and at least
/// what each allocation asked for.
static constexpr int64_t kAlignment = 64;

/// Places `buffers` greedily by size: the largest first, each at the lowest
/// aligned offset where it overlaps no placed buffer that is alive at the
/// same time. Returns the arena's size.
static int64_t placeBySize(MutableArrayRef<Lifetime> buffers) {
  SmallVector<Lifetime *> order;
  for (Lifetime &buffer : buffers)
    order.push_back(&buffer);
  // Ties in program order: the plan does not depend on the sort.
  llvm::sort(order, [](const Lifetime *a, const Lifetime *b) {
    return std::make_pair(-a->bytes, a->begin) <
           std::make_pair(-b->bytes, b->begin);
  });
  int64_t size = 0;
  SmallVector<Lifetime *> placed;
  for (Lifetime *buffer : order) {
    int64_t alignment =
        std::max<int64_t>(kAlignment, buffer->alloc.getAlignment().value_or(1));
    SmallVector<Lifetime *> live;
    for (Lifetime *other : placed)
      if (other->begin <= buffer->end && buffer->begin <= other->end)
        live.push_back(other);
    llvm::sort(live, [](const Lifetime *a, const Lifetime *b) {
      return a->offset < b->offset;
    });
    int64_t offset = 0;
    for (Lifetime *other : live) {
      if (offset + buffer->bytes <= other->offset)
        break;
      offset = std::max<int64_t>(
          offset, llvm::alignTo(other->offset + other->bytes, alignment));
    }
    buffer->offset = offset;
    size = std::max(size, offset + buffer->bytes);
    placed.push_back(buffer);
  }
  return size;
}

LogicalResult qopt::codegen::planBuffers(Block &block, int64_t *planned,
                                         int64_t *unplannedBytes,
                                         int64_t *arenaBytes) {
  DenseMap<Operation *, int64_t> positions;
  for (auto [index, op] : llvm::enumerate(block))
    positions[&op] = index;
  SmallVector<Lifetime> buffers;
  for (auto alloc : block.getOps<memref::AllocOp>())
    if (std::optional<Lifetime> lifetime = getLifetime(alloc, block, positions))
      buffers.push_back(*lifetime);
  // One buffer gains nothing from an arena.
  if (buffers.size() < 2 || !block.mightHaveTerminator())
    return failure();
  int64_t size = placeBySize(buffers);
  int64_t sum = 0;
  for (const Lifetime &buffer : buffers)
    sum += buffer.bytes;

  Location loc = buffers.front().alloc.getLoc();
  OpBuilder b = OpBuilder::atBlockBegin(&block);
  auto arenaType = MemRefType::get({size}, b.getI8Type());
  Value arena = memref::AllocOp::create(b, loc, arenaType,
                                        b.getI64IntegerAttr(kAlignment));
  b.setInsertionPoint(block.getTerminator());
  memref::DeallocOp::create(b, loc, arena);
  for (Lifetime &buffer : buffers) {
    b.setInsertionPoint(buffer.alloc);
    Value offset =
        arith::ConstantIndexOp::create(b, buffer.alloc.getLoc(), buffer.offset);
    Value view =
        memref::ViewOp::create(b, buffer.alloc.getLoc(), buffer.alloc.getType(),
                               arena, offset, ValueRange{});
    buffer.dealloc.erase();
    buffer.alloc.replaceAllUsesWith(view);
    buffer.alloc.erase();
  }
  if (planned)
    *planned = buffers.size();
  if (unplannedBytes)
    *unplannedBytes = sum;
  if (arenaBytes)
    *arenaBytes = size;
  return success();
}

namespace {

struct PlanBuffersPass
    : public qopt::codegen::impl::PlanBuffersPassBase<PlanBuffersPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;
    int64_t planned = 0, sum = 0, size = 0;
    if (failed(qopt::codegen::planBuffers(func.getBody().front(), &planned,
                                          &sum, &size)))
      return;
    numBuffers += planned;
    numBytesBefore += sum;
    numBytesAfter += size;
  }
};

} // namespace
