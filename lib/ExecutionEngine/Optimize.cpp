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
// to its loops.
//
//===----------------------------------------------------------------------===//

#include "Optimize.h"

#include "mlir/ExecutionEngine/OptUtils.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/IR/Module.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Transforms/IPO/LoopExtractor.h"
#include "llvm/Transforms/Utils/LoopSimplify.h"

std::function<llvm::Error(llvm::Module *)>
qopt::detail::makeLayerwiseOptimizer(llvm::TargetMachine *machine) {
  auto optimize = mlir::makeOptimizingTransformer(/*optLevel=*/3,
                                                  /*sizeLevel=*/0, machine);
  return [optimize, machine](llvm::Module *module) -> llvm::Error {
    llvm::SmallPtrSet<llvm::Function *, 8> original;
    for (llvm::Function &function : *module)
      original.insert(&function);
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
    llvm::ModulePassManager extract;
    extract.addPass(
        llvm::createModuleToFunctionPassAdaptor(llvm::LoopSimplifyPass()));
    extract.addPass(llvm::LoopExtractorPass());
    extract.run(*module, moduleAnalyses);
    for (llvm::Function &function : *module)
      if (!original.contains(&function))
        function.addFnAttr(llvm::Attribute::NoInline);
    return optimize(module);
  };
}
