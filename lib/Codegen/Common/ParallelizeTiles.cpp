//===- ParallelizeTiles.cpp - The qopt-parallelize-tiles pass -------------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// Each marked loop becomes the worksharing loop of an OpenMP parallel region,
// built directly rather than through scf.parallel and
// --convert-scf-to-openmp: that conversion wraps the body in a
// memref.alloca_scope, which must remain a single block while the kernels'
// inner loops are lowered to branches.
//
//===----------------------------------------------------------------------===//

#include "qopt/Codegen/Common/LayerKernels.h"
#include "qopt/Codegen/Common/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/OpenMP/OpenMPDialect.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Transforms/RegionUtils.h"

namespace qopt::codegen {
#define GEN_PASS_DEF_PARALLELIZETILESPASS
#include "qopt/Codegen/Common/Passes.h.inc"
} // namespace qopt::codegen

using namespace mlir;

/// Replaces `loop` (no iteration arguments) with
///   omp.parallel { omp.wsloop { omp.loop_nest (%iv) = (lb) to (ub) step (s)
///   { body } } }
/// whose static schedule gives each thread a contiguous block of iterations.
static void distributeOverThreads(scf::ForOp loop) {
  Location loc = loop.getLoc();
  OpBuilder b(loop);
  auto parallel = omp::ParallelOp::create(b, loc, omp::ParallelOperands{});
  b.createBlock(&parallel.getRegion());
  // The kernels' stack buffers (the x86-amx kernels' accumulator tiles) are
  // scratch that an iteration writes before it reads: each thread gets its
  // own.
  IRMapping mapping;
  llvm::SetVector<Value> outside;
  getUsedValuesDefinedAbove(loop.getRegion(), outside);
  for (Value value : outside)
    if (auto alloca = value.getDefiningOp<memref::AllocaOp>())
      mapping.map(value, b.clone(*alloca)->getResult(0));
  auto wsloop = omp::WsloopOp::create(b, loc, omp::WsloopOperands{});
  omp::TerminatorOp::create(b, loc);
  b.createBlock(&wsloop.getRegion());
  omp::LoopNestOperands bounds;
  bounds.loopLowerBounds.push_back(loop.getLowerBound());
  bounds.loopUpperBounds.push_back(loop.getUpperBound());
  bounds.loopSteps.push_back(loop.getStep());
  auto nest = omp::LoopNestOp::create(b, loc, bounds);
  Block *body = b.createBlock(&nest.getRegion(), {},
                              {loop.getInductionVar().getType()}, {loc});
  mapping.map(loop.getInductionVar(), body->getArgument(0));
  for (Operation &op : loop.getBody()->without_terminator())
    b.clone(op, mapping);
  omp::YieldOp::create(b, loc);
  loop.erase();
}

namespace {

struct ParallelizeTilesPass
    : public qopt::codegen::impl::ParallelizeTilesPassBase<
          ParallelizeTilesPass> {
  void runOnOperation() override {
    SmallVector<scf::ForOp> loops;
    getOperation().walk([&](scf::ForOp loop) {
      if (loop->hasAttr(qopt::codegen::kParallelTilesAttr) &&
          loop.getInitArgs().empty())
        loops.push_back(loop);
    });
    for (scf::ForOp loop : loops)
      distributeOverThreads(loop);
  }
};

} // namespace
