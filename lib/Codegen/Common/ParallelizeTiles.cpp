//===- ParallelizeTiles.cpp - The qopt-parallelize-tiles pass -------------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// Each marked loop becomes an OpenMP parallel region in which every thread
// runs its own contiguous block of the loop's iterations, built directly
// rather than through scf.parallel and --convert-scf-to-openmp: that
// conversion wraps the body in a memref.alloca_scope, which must remain a
// single block while the kernels' inner loops are lowered to branches.
//
// The blocks are computed in the region from omp_get_thread_num and
// omp_get_num_threads, not by a worksharing loop (omp.wsloop): its runtime
// calls and the barrier at its end cost more than the fork and join of the
// region itself (under real-time priority on two cores: a region with a
// static worksharing loop 2.1 us, with the blocks computed in it 0.9 us),
// and a layer of MobileNetV2's 1x1 convolutions at 14 x 14 pixels takes 4.5
// us on one thread.
//
//===----------------------------------------------------------------------===//

#include "qopt/Codegen/Common/LayerKernels.h"
#include "qopt/Codegen/Common/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/OpenMP/OpenMPDialect.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Transforms/RegionUtils.h"

namespace qopt::codegen {
#define GEN_PASS_DEF_PARALLELIZETILESPASS
#include "qopt/Codegen/Common/Passes.h.inc"
} // namespace qopt::codegen

using namespace mlir;
using qopt::codegen::kNumThreads;
using qopt::codegen::kThreadNum;

/// The declaration of the runtime function `name`, () -> i32, in `module`:
/// the module's own, or a new one. A symbol of that name that is not such a
/// function is an error at it: the calls would not link to the runtime.
static FailureOr<func::FuncOp> getRuntimeFunction(ModuleOp module,
                                                  StringRef name) {
  OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
  FunctionType type = b.getFunctionType({}, {b.getI32Type()});
  if (Operation *symbol = module.lookupSymbol(name)) {
    auto func = dyn_cast<func::FuncOp>(symbol);
    if (func && func.getFunctionType() == type)
      return func;
    return symbol->emitError("'")
           << name << "' is the OpenMP runtime's function " << type
           << ", which --qopt-parallelize-tiles calls; the module defines "
              "another symbol of that name";
  }
  auto func = func::FuncOp::create(b, module.getLoc(), name, type);
  func.setPrivate();
  return func;
}

/// Replaces `loop` (no iteration arguments) with
///   omp.parallel {
///     t = omp_get_thread_num(), k = omp_get_num_threads()
///     scf.for j = min(t * c, n) to min((t + 1) * c, n) { body at lb + j * s }
///   }
/// where n is the loop's number of iterations and c = ceil(n / k): thread t
/// runs the t-th block of c iterations, as a static schedule would.
static void distributeOverThreads(scf::ForOp loop, func::FuncOp threadNum,
                                  func::FuncOp numThreads) {
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
  auto call = [&](func::FuncOp func) -> Value {
    Value result = func::CallOp::create(b, loc, func).getResult(0);
    return arith::IndexCastOp::create(b, loc, b.getIndexType(), result);
  };
  Value thread = call(threadNum), threads = call(numThreads);
  Value lower = loop.getLowerBound(), step = loop.getStep();
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  Value iterations = b.createOrFold<arith::CeilDivUIOp>(
      loc, b.createOrFold<arith::SubIOp>(loc, loop.getUpperBound(), lower),
      step);
  Value block = arith::CeilDivUIOp::create(b, loc, iterations, threads);
  Value begin = arith::MinUIOp::create(
      b, loc, arith::MulIOp::create(b, loc, thread, block), iterations);
  Value end = arith::MinUIOp::create(
      b, loc,
      arith::MulIOp::create(b, loc,
                            arith::AddIOp::create(b, loc, thread, one), block),
      iterations);
  scf::ForOp::create(
      b, loc, begin, end, one, ValueRange{},
      [&](OpBuilder &lb, Location lloc, Value j, ValueRange) {
        mapping.map(loop.getInductionVar(),
                    lb.createOrFold<arith::AddIOp>(
                        lloc, lower,
                        lb.createOrFold<arith::MulIOp>(lloc, j, step)));
        for (Operation &op : loop.getBody()->without_terminator())
          lb.clone(op, mapping);
        scf::YieldOp::create(lb, lloc);
      });
  omp::TerminatorOp::create(b, loc);
  loop.erase();
}

namespace {

struct ParallelizeTilesPass
    : public qopt::codegen::impl::ParallelizeTilesPassBase<
          ParallelizeTilesPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<scf::ForOp> loops;
    module.walk([&](scf::ForOp loop) {
      if (loop->hasAttr(qopt::codegen::kParallelTilesAttr) &&
          loop.getInitArgs().empty())
        loops.push_back(loop);
    });
    if (loops.empty())
      return;
    FailureOr<func::FuncOp> threadNum = getRuntimeFunction(module, kThreadNum);
    FailureOr<func::FuncOp> numThreads =
        getRuntimeFunction(module, kNumThreads);
    if (failed(threadNum) || failed(numThreads))
      return signalPassFailure();
    for (scf::ForOp loop : loops)
      distributeOverThreads(loop, *threadNum, *numThreads);
  }
};

} // namespace
