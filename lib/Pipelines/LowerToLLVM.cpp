//===- LowerToLLVM.cpp - The qopt-lower-to-llvm pipeline ------------------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//

#include "qopt/Pipelines/Pipelines.h"

#include "qopt/Conversion/Passes.h"

#include "mlir/Conversion/AffineToStandard/AffineToStandard.h"
#include "mlir/Conversion/ArithToLLVM/ArithToLLVM.h"
#include "mlir/Conversion/ControlFlowToLLVM/ControlFlowToLLVM.h"
#include "mlir/Conversion/FuncToLLVM/ConvertFuncToLLVMPass.h"
#include "mlir/Conversion/IndexToLLVM/IndexToLLVM.h"
#include "mlir/Conversion/MathToLLVM/MathToLLVM.h"
#include "mlir/Conversion/MemRefToLLVM/MemRefToLLVM.h"
#include "mlir/Conversion/ReconcileUnrealizedCasts/ReconcileUnrealizedCasts.h"
#include "mlir/Conversion/SCFToControlFlow/SCFToControlFlow.h"
#include "mlir/Conversion/TosaToArith/TosaToArith.h"
#include "mlir/Conversion/UBToLLVM/UBToLLVM.h"
#include "mlir/Conversion/VectorToLLVM/ConvertVectorToLLVMPass.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/StringSwitch.h"

using namespace mlir;
using namespace qopt;

std::optional<qopt::CodegenTarget> qopt::parseCodegenTarget(StringRef name) {
  return llvm::StringSwitch<std::optional<CodegenTarget>>(name)
      .Case("generic", CodegenTarget::Generic)
      .Case("x86-avx512vnni", CodegenTarget::X86Avx512Vnni)
      .Default(std::nullopt);
}

void qopt::buildLowerToLLVMPipeline(OpPassManager &pm,
                                    const LowerToLLVMOptions &options) {
  pm.addPass(qnn::createConvertQNNToLinalgPass());
  // The requantization multiplies, 64-bit: the 32-bit variant is a
  // target-specific choice for later.
  TosaToArithPassOptions tosaOptions;
  tosaOptions.includeApplyRescale = true;
  pm.addNestedPass<func::FuncOp>(createTosaToArithPass(tosaOptions));

  // Whole-program bufferization with plain (identity-layout) memrefs in
  // function signatures, which mlir-runner and C harnesses can pass.
  bufferization::OneShotBufferizePassOptions bufferizeOptions;
  bufferizeOptions.bufferizeFunctionBoundaries = true;
  bufferizeOptions.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferizeOptions));
  if (options.flatCallingConvention) {
    // Results written straight into the caller's buffers: hoisting the
    // static allocations of returned buffers removes the copy into them.
    bufferization::BufferResultsToOutParamsPassOptions outParamsOptions;
    outParamsOptions.hoistStaticAllocs = true;
    outParamsOptions.modifyPublicFunctions = true;
    pm.addPass(
        bufferization::createBufferResultsToOutParamsPass(outParamsOptions));
  }
  // One-shot bufferization can leave a self-copy that would become a call to
  // memrefCopy (a runtime-library dependency): CSE and canonicalization
  // remove it.
  pm.addPass(createCSEPass());
  pm.addPass(createCanonicalizerPass());
  bufferization::buildBufferDeallocationPipeline(pm);

  if (options.target == CodegenTarget::X86Avx512Vnni) {
    x86::X86VectorizeContractionsPassOptions x86Options;
    x86Options.tileM = options.tileM;
    x86Options.tileN = options.tileN;
    x86Options.tileK = options.tileK;
    x86Options.targetFeatures = x86::kAvx512VnniFeatures;
    pm.addNestedPass<func::FuncOp>(
        x86::createX86VectorizeContractionsPass(x86Options));
  }
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  // Views of reshaped and padded buffers become explicit offsets and
  // strides, whose affine arithmetic (and that of the depthwise and pooling
  // window indexing) lowers with the loops.
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  if (options.target != CodegenTarget::Generic) {
    // Vectorization leaves ub.poison as the padding of in-bounds reads.
    pm.addPass(createConvertVectorToLLVMPass());
    pm.addPass(createUBToLLVMConversionPass());
  }
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  ConvertFuncToLLVMPassOptions funcOptions;
  funcOptions.useBarePtrCallConv = options.flatCallingConvention;
  pm.addPass(createConvertFuncToLLVMPass(funcOptions));
  pm.addPass(createReconcileUnrealizedCastsPass());
}

namespace {

struct LowerToLLVMPipelineOptions
    : public PassPipelineOptions<LowerToLLVMPipelineOptions> {
  Option<CodegenTarget> target{
      *this, "target", llvm::cl::desc("What to generate code for"),
      llvm::cl::init(CodegenTarget::Generic),
      llvm::cl::values(
          clEnumValN(CodegenTarget::Generic, "generic",
                     "Scalar loops, for any CPU LLVM targets"),
          clEnumValN(CodegenTarget::X86Avx512Vnni, "x86-avx512vnni",
                     "u8 x s8 contractions as vpdpbusd (AVX-512 VNNI)"))};
  Option<int64_t> tileM{*this, "tile-m",
                        llvm::cl::desc("Rows of the register tile"),
                        llvm::cl::init(x86::kDefaultTileM)};
  Option<int64_t> tileN{*this, "tile-n",
                        llvm::cl::desc("Columns of the register tile"),
                        llvm::cl::init(x86::kDefaultTileN)};
  Option<int64_t> tileK{*this, "tile-k",
                        llvm::cl::desc("Reduction steps of the register tile"),
                        llvm::cl::init(x86::kDefaultTileK)};
};

} // namespace

void qopt::registerPipelines() {
  PassPipelineRegistration<LowerToLLVMPipelineOptions>(
      "qopt-lower-to-llvm",
      "Lower integer-level qnn IR to the LLVM dialect (qnn to linalg, "
      "bufferization, tiling and vectorization for the target, loops, LLVM)",
      [](OpPassManager &pm, const LowerToLLVMPipelineOptions &pipelineOptions) {
        LowerToLLVMOptions options;
        options.target = pipelineOptions.target;
        options.tileM = pipelineOptions.tileM;
        options.tileN = pipelineOptions.tileN;
        options.tileK = pipelineOptions.tileK;
        buildLowerToLLVMPipeline(pm, options);
      });
}
