//===- OutlineParallelRegions.cpp - The qopt-outline-parallel-regions pass ===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// Each `omp.parallel` region of an LLVM-dialect function becomes a function
// of its own that qopt's runtime (include/qopt/Runtime/ParallelRuntime.h)
// runs on its pool: the LLVM translation would otherwise outline it into a
// call of libomp's __kmpc_fork_call, whose fork and join of two threads
// costs ~1.45 us on the Zen 5 host against ~0.5-0.65 us for the runtime's,
// and a MobileNetV2 1x1 convolution at 7 x 7 pixels takes ~9.5 us on one
// thread.
//
// The region runs after the other conversions, when everything it uses from
// the function is an LLVM value: the values it captures go through a
// structure on the caller's stack whose address is the outlined function's
// context. Only the values that no side-effect-free operation computes
// (arguments, loads, allocations) go through it: the operations that
// compute the others from them (constants, splats, global addresses, the
// memref descriptors' fields and the pointers of views into one buffer) are
// computed again in the outlined function, so that LLVM sees there what it
// saw in the caller: which values are constants, and which pointers are
// offsets of one base. With the descriptors passed whole, LLVM lost both:
// MobileNetV2's 1x1 convolutions spilled their output rows' pointers, and
// the network took 1.57 ms at one thread instead of the OpenMP lowering's
// 1.25 ms. The call passes the structure's size, so that the runtime can
// hand the other threads a copy of it that they read with the call itself
// (qopt_parallel_run_sized) rather than from the caller's stack.
//
//===----------------------------------------------------------------------===//

#include "qopt/Codegen/Common/LayerKernels.h"
#include "qopt/Codegen/Common/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMTypes.h"
#include "mlir/Dialect/OpenMP/OpenMPDialect.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/DataLayoutInterfaces.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/RegionUtils.h"

namespace qopt::codegen {
#define GEN_PASS_DEF_OUTLINEPARALLELREGIONSPASS
#include "qopt/Codegen/Common/Passes.h.inc"
} // namespace qopt::codegen

using namespace mlir;
using qopt::codegen::kContextCopyAlignment;
using qopt::codegen::kNumThreads;
using qopt::codegen::kParallelRun;
using qopt::codegen::kThreadNum;

/// The declaration of `void qopt_parallel_run_sized(void (*)(void *,
/// int32_t, int32_t), void *, size_t)` in `module`: the module's own, or a
/// new one. A symbol of that name that is not such a declaration is an
/// error at it.
static FailureOr<LLVM::LLVMFuncOp> getParallelRun(ModuleOp module) {
  MLIRContext *context = module.getContext();
  auto ptr = LLVM::LLVMPointerType::get(context);
  auto type =
      LLVM::LLVMFunctionType::get(LLVM::LLVMVoidType::get(context),
                                  {ptr, ptr, IntegerType::get(context, 64)});
  if (Operation *symbol = module.lookupSymbol(kParallelRun)) {
    auto func = dyn_cast<LLVM::LLVMFuncOp>(symbol);
    if (func && func.isExternal() && func.getFunctionType() == type)
      return func;
    return symbol->emitError("'")
           << kParallelRun << "' is qopt's runtime function " << type
           << ", which --qopt-outline-parallel-regions calls; the module "
              "defines another symbol of that name";
  }
  OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
  return LLVM::LLVMFuncOp::create(b, module.getLoc(), kParallelRun, type);
}

/// Whether the region can run as a function of the runtime: no clauses and
/// no OpenMP constructs in it (the runtime has no equivalent), and only
/// values of LLVM types from the function (which the context holds).
static LogicalResult checkOutlinable(omp::ParallelOp parallel) {
  if (parallel->getNumOperands() != 0)
    return parallel.emitError(
        "a parallel region with clauses cannot run on qopt's runtime");
  WalkResult result = parallel.getRegion().walk([](Operation *op) {
    if (isa<omp::TerminatorOp>(op) ||
        !isa<omp::OpenMPDialect>(op->getDialect()))
      return WalkResult::advance();
    op->emitError("cannot be outlined onto qopt's runtime: it has no "
                  "equivalent of OpenMP constructs in a parallel region");
    return WalkResult::interrupt();
  });
  if (result.wasInterrupted())
    return failure();
  llvm::SetVector<Value> outside;
  getUsedValuesDefinedAbove(parallel.getRegion(), outside);
  for (Value value : outside)
    if (!LLVM::isCompatibleType(value.getType()))
      return parallel.emitError("cannot be outlined onto qopt's runtime: it "
                                "uses a value of type ")
             << value.getType()
             << ", which is not an LLVM type (run the conversions to LLVM "
                "first)";
  return success();
}

/// Replaces `parallel`, in LLVM function `parent`, with a call of the
/// runtime that runs a new function `<parent>_parallel` whose body is the
/// region's.
static void outline(omp::ParallelOp parallel, LLVM::LLVMFuncOp parent,
                    LLVM::LLVMFuncOp parallelRun, SymbolTable &symbols) {
  MLIRContext *context = parallel.getContext();
  Location loc = parallel.getLoc();
  auto ptr = LLVM::LLVMPointerType::get(context);
  auto i32 = IntegerType::get(context, 32);

  // What the region uses from the function, traced back through
  // side-effect-free operations to the values that are not computed so
  // (arguments, loads, calls, allocas): those are captured, the operations
  // computed again in the outlined function, each after its operands'.
  llvm::SetVector<Value> outside, captured;
  llvm::SetVector<Operation *> copied;
  getUsedValuesDefinedAbove(parallel.getRegion(), outside);
  std::function<void(Value)> trace = [&](Value value) {
    Operation *def = value.getDefiningOp();
    if (!def || def->getNumRegions() != 0 || !isMemoryEffectFree(def)) {
      captured.insert(value);
      return;
    }
    if (copied.contains(def))
      return;
    llvm::for_each(def->getOperands(), trace);
    copied.insert(def);
  };
  llvm::for_each(outside, trace);
  auto contextType = LLVM::LLVMStructType::getLiteral(
      context, llvm::to_vector(llvm::map_range(
                   captured, [](Value value) { return value.getType(); })));

  // The outlined function, with the caller's target attributes: the
  // kernels' instructions need its features.
  OpBuilder b(context);
  auto outlined = LLVM::LLVMFuncOp::create(
      b, loc, (parent.getSymName() + "_parallel").str(),
      LLVM::LLVMFunctionType::get(LLVM::LLVMVoidType::get(context),
                                  {ptr, i32, i32}),
      LLVM::Linkage::Internal);
  outlined.setTargetCpuAttr(parent.getTargetCpuAttr());
  outlined.setTargetFeaturesAttr(parent.getTargetFeaturesAttr());
  outlined.setTuneCpuAttr(parent.getTuneCpuAttr());
  symbols.insert(outlined, std::next(Block::iterator(parent)));
  Region &body = outlined.getBody();
  body.takeBody(parallel.getRegion());
  Block &entry = body.front();
  Value contextArg = entry.addArgument(ptr, loc);
  Value thread = entry.addArgument(i32, loc);
  Value threads = entry.addArgument(i32, loc);
  b.setInsertionPointToStart(&entry);
  IRMapping inside;
  for (auto [index, value] : llvm::enumerate(captured)) {
    Value field = LLVM::GEPOp::create(
        b, loc, ptr, contextType, contextArg,
        ArrayRef<LLVM::GEPArg>{0, static_cast<int32_t>(index)});
    inside.map(value, LLVM::LoadOp::create(b, loc, value.getType(), field));
  }
  for (Operation *def : copied)
    b.clone(*def, inside);
  for (Value value : outside)
    replaceAllUsesInRegionWith(value, inside.lookup(value), body);
  outlined.walk([&](Operation *op) {
    if (auto call = dyn_cast<LLVM::CallOp>(op)) {
      std::optional<StringRef> callee = call.getCallee();
      if (callee == kThreadNum || callee == kNumThreads) {
        call.getResult().replaceAllUsesWith(callee == kThreadNum ? thread
                                                                 : threads);
        call.erase();
      }
    } else if (auto terminator = dyn_cast<omp::TerminatorOp>(op)) {
      OpBuilder tb(terminator);
      LLVM::ReturnOp::create(tb, terminator.getLoc(), ValueRange{});
      terminator.erase();
    }
  });

  // The call: the context on the caller's stack (in its entry block, so
  // that a region inside a loop does not grow the stack), filled where the
  // region was, and its size (sizeof as the address of the element after
  // it), or 0 (no copy) where it needs more alignment than the runtime's
  // copy has.
  b.setInsertionPoint(parallel);
  Value contextPtr, contextSize;
  if (captured.empty() || DataLayout::closest(parent).getTypeABIAlignment(
                              contextType) > kContextCopyAlignment)
    contextSize = LLVM::ConstantOp::create(b, loc, b.getI64Type(), 0);
  else
    contextSize = LLVM::PtrToIntOp::create(
        b, loc, b.getI64Type(),
        LLVM::GEPOp::create(b, loc, ptr, contextType,
                            LLVM::ZeroOp::create(b, loc, ptr),
                            ArrayRef<LLVM::GEPArg>{1}));
  if (captured.empty()) {
    contextPtr = LLVM::ZeroOp::create(b, loc, ptr);
  } else {
    OpBuilder eb = OpBuilder::atBlockBegin(&parent.getBody().front());
    Value one = LLVM::ConstantOp::create(eb, loc, eb.getI64Type(), 1);
    contextPtr = LLVM::AllocaOp::create(eb, loc, ptr, contextType, one);
    for (auto [index, value] : llvm::enumerate(captured)) {
      Value field = LLVM::GEPOp::create(
          b, loc, ptr, contextType, contextPtr,
          ArrayRef<LLVM::GEPArg>{0, static_cast<int32_t>(index)});
      LLVM::StoreOp::create(b, loc, value, field);
    }
  }
  Value function = LLVM::AddressOfOp::create(b, loc, outlined);
  LLVM::CallOp::create(b, loc, parallelRun,
                       ValueRange{function, contextPtr, contextSize});
  parallel.erase();
}

namespace {

struct OutlineParallelRegionsPass
    : public qopt::codegen::impl::OutlineParallelRegionsPassBase<
          OutlineParallelRegionsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<omp::ParallelOp> regions;
    module.walk([&](omp::ParallelOp parallel) {
      // Nested regions are errors of the outer one's check.
      if (!parallel->getParentOfType<omp::ParallelOp>())
        regions.push_back(parallel);
    });
    if (regions.empty())
      return;
    for (omp::ParallelOp parallel : regions) {
      if (!parallel->getParentOfType<LLVM::LLVMFuncOp>()) {
        parallel.emitError("cannot be outlined onto qopt's runtime: it is "
                           "not in an LLVM function");
        return signalPassFailure();
      }
      if (failed(checkOutlinable(parallel)))
        return signalPassFailure();
    }
    FailureOr<LLVM::LLVMFuncOp> parallelRun = getParallelRun(module);
    if (failed(parallelRun))
      return signalPassFailure();
    SymbolTable symbols(module);
    for (omp::ParallelOp parallel : regions)
      outline(parallel, parallel->getParentOfType<LLVM::LLVMFuncOp>(),
              *parallelRun, symbols);
    // The OpenMP queries are the outlined functions' arguments now.
    for (StringRef name : {kThreadNum, kNumThreads}) {
      auto query = symbols.lookup<LLVM::LLVMFuncOp>(name);
      if (query && query.isExternal() &&
          SymbolTable::symbolKnownUseEmpty(query, module))
        query.erase();
    }
  }
};

} // namespace
