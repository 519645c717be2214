//===- Optimize.cpp - LLVM optimization of lowered qopt modules -----------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// A network lowers to one function whose body is the loop nests of all its
// layers, one after the other. LLVM's IndVarSimplify invalidates and
// recomputes scalar evolutions across the whole function for every loop it
// visits, so -O3 takes time quadratic in the number of layers: 80% of the
// 7-10 s -O3 spent on MobileNetV2's 66 layers went there. Every outermost
// loop nest (a layer, or the loop of a padded copy) is therefore moved into a
// function of its own first, marked noinline so that the inliner does not
// undo it; -O3 then optimizes each layer alone, in about a tenth of the
// time. The layers lose nothing: their shapes, strides and packed weights
// are constants inside the loops, and a call per layer costs nothing next
// to its loops. This is LLVM's LoopExtractor, except that it leaves alone
// the functions that are one loop nest, and the loop
// nests that take or give x86 AMX tiles (an x86-amx kernel's reduction loop
// that no other loop encloses): a tile lives only in a tile register, and
// can neither be an argument nor go through the memory that returns an
// extracted function's results (LLVM then fails to select the load).
//
//===----------------------------------------------------------------------===//

#include "Optimize.h"

#include "mlir/ExecutionEngine/OptUtils.h"
#include "llvm/IR/Module.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Analysis/LoopInfo.h"
#include "llvm/IR/Dominators.h"
#include "llvm/IR/Instructions.h"
#include "llvm/Transforms/Utils/CodeExtractor.h"
#include "llvm/Transforms/Utils/LoopSimplify.h"

/// Moves `loop` into a function of its own, unless AMX tiles flow into or
/// out of it; returns the function.
static llvm::Function *extractLoop(llvm::Loop *loop,
                                   llvm::DominatorTree &dominators,
                                   llvm::CodeExtractorAnalysisCache &cache) {
  // Allocas inside the loop move with it: the x86-amx kernels store each
  // accumulator tile to a stack buffer scoped to one iteration
  // (stacksave/stackrestore around it), which the extracted function keeps.
  llvm::CodeExtractor extractor(loop->getBlocks(), &dominators,
                                /*AggregateArgs=*/false, /*BFI=*/nullptr,
                                /*BPI=*/nullptr, /*AC=*/nullptr,
                                /*AllowVarArgs=*/false, /*AllowAlloca=*/true);
  if (!extractor.isEligible())
    return nullptr;
  llvm::SetVector<llvm::Value *> inputs, outputs, allocas;
  extractor.findInputsOutputs(inputs, outputs, allocas);
  auto isTile = [](llvm::Value *value) {
    return value->getType()->isX86_AMXTy();
  };
  if (llvm::any_of(inputs, isTile) || llvm::any_of(outputs, isTile))
    return nullptr;
  return extractor.extractCodeRegion(cache);
}

/// Each outermost loop nest of `function`, if it has several, into a
/// function of its own, marked noinline.
static void extractLoopNests(llvm::Function &function) {
  if (function.isDeclaration() || function.hasOptNone())
    return;
  llvm::DominatorTree dominators(function);
  llvm::LoopInfo loops(dominators);
  if (loops.empty())
    return;
  // A function that is one loop nest is optimized alone already (the
  // functions of parallel regions, --qopt-outline-parallel-regions, are
  // each a part of one layer): extracting the nest, or the nests inside it
  // as LLVM's LoopExtractor does, would only turn their live-ins into
  // arguments, which LLVM cannot relate to each other. The kernels of
  // MobileNetV2's parallel regions then took the pointers of their output
  // rows as unrelated arguments, most on the stack, reloaded at every
  // store: 1.45-1.56 ms at one thread instead of 1.16-1.18 ms.
  if (std::next(loops.begin()) == loops.end())
    return;
  llvm::SmallVector<llvm::Loop *> nests(loops.begin(), loops.end());
  // One analysis of the function for all its nests, as HotColdSplitting
  // does (the nests are disjoint): built per nest, it scanned the whole
  // function each time, quadratic in the layers of a network.
  llvm::CodeExtractorAnalysisCache cache(function);
  for (llvm::Loop *nest : nests)
    if (llvm::Function *extracted = extractLoop(nest, dominators, cache))
      extracted->addFnAttr(llvm::Attribute::NoInline);
}

std::function<llvm::Error(llvm::Module *)>
qopt::detail::makeLayerwiseOptimizer(llvm::TargetMachine *machine) {
  auto optimize = mlir::makeOptimizingTransformer(/*optLevel=*/3,
                                                  /*sizeLevel=*/0, machine);
  return [optimize, machine](llvm::Module *module) -> llvm::Error {
    llvm::SmallVector<llvm::Function *> original;
    for (llvm::Function &function : *module)
      original.push_back(&function);
    llvm::LoopAnalysisManager loopAnalyses;
    llvm::FunctionAnalysisManager functionAnalyses;
    llvm::CGSCCAnalysisManager sccAnalyses;
    llvm::ModuleAnalysisManager moduleAnalyses;
    llvm::PassBuilder builder(machine);
    builder.registerModuleAnalyses(moduleAnalyses);
    builder.registerCGSCCAnalyses(sccAnalyses);
    builder.registerFunctionAnalyses(functionAnalyses);
    builder.registerLoopAnalyses(loopAnalyses);
    builder.crossRegisterProxies(loopAnalyses, functionAnalyses, sccAnalyses,
                                 moduleAnalyses);
    llvm::ModulePassManager simplify;
    simplify.addPass(
        llvm::createModuleToFunctionPassAdaptor(llvm::LoopSimplifyPass()));
    simplify.run(*module, moduleAnalyses);
    for (llvm::Function *function : original)
      extractLoopNests(*function);
    return optimize(module);
  };
}
