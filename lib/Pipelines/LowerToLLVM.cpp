//===- LowerToLLVM.cpp - The qopt-lower-to-llvm pipeline ------------------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//

#include "qopt/Pipelines/Pipelines.h"

#include "qopt/Codegen/ARM/Passes.h"
#include "qopt/Codegen/Common/Passes.h"
#include "qopt/Codegen/Common/RewriteConfig.h"
#include "qopt/Codegen/X86/Passes.h"
#include "qopt/Conversion/Passes.h"
#include "qopt/Dialect/QNN/Transforms/Passes.h"

#include "mlir/Conversion/AffineToStandard/AffineToStandard.h"
#include "mlir/Conversion/ArithToLLVM/ArithToLLVM.h"
#include "mlir/Conversion/ControlFlowToLLVM/ControlFlowToLLVM.h"
#include "mlir/Conversion/FuncToLLVM/ConvertFuncToLLVMPass.h"
#include "mlir/Conversion/IndexToLLVM/IndexToLLVM.h"
#include "mlir/Conversion/MathToLLVM/MathToLLVM.h"
#include "mlir/Conversion/MemRefToLLVM/MemRefToLLVM.h"
#include "mlir/Conversion/OpenMPToLLVM/ConvertOpenMPToLLVM.h"
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
#include "mlir/Dialect/Vector/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

using namespace mlir;
using namespace qopt;

std::optional<qopt::CodegenTarget> qopt::parseCodegenTarget(StringRef name) {
  for (CodegenTarget target :
       {CodegenTarget::Generic, CodegenTarget::Host, CodegenTarget::X86Avx2,
        CodegenTarget::X86Avx512Vnni, CodegenTarget::X86Avx512Ifma,
        CodegenTarget::X86Amx, CodegenTarget::AArch64Neon, CodegenTarget::AArch64Dotprod,
        CodegenTarget::AArch64I8mm})
    if (stringifyCodegenTarget(target) == name)
      return target;
  return std::nullopt;
}

StringRef qopt::stringifyCodegenTarget(CodegenTarget target) {
  switch (target) {
  case CodegenTarget::Generic:
    return "generic";
  case CodegenTarget::Host:
    return "host";
  case CodegenTarget::X86Avx2:
    return "x86-avx2";
  case CodegenTarget::X86Avx512Vnni:
    return "x86-avx512vnni";
  case CodegenTarget::X86Avx512Ifma:
    return "x86-avx512ifma";
  case CodegenTarget::X86Amx:
    return "x86-amx";
  case CodegenTarget::AArch64Neon:
    return "aarch64-neon";
  case CodegenTarget::AArch64Dotprod:
    return "aarch64-dotprod";
  case CodegenTarget::AArch64I8mm:
    return "aarch64-i8mm";
  }
  llvm_unreachable("unknown target");
}

StringRef qopt::stringifyParallelRuntime(ParallelRuntime runtime) {
  switch (runtime) {
  case ParallelRuntime::Qopt:
    return "qopt";
  case ParallelRuntime::OpenMP:
    return "openmp";
  }
  llvm_unreachable("unknown parallel runtime");
}

std::optional<ParallelRuntime> qopt::parseParallelRuntime(StringRef name) {
  for (ParallelRuntime runtime : {ParallelRuntime::Qopt, ParallelRuntime::OpenMP})
    if (stringifyParallelRuntime(runtime) == name)
      return runtime;
  return std::nullopt;
}

bool qopt::canRunOnHost(CodegenTarget target) {
  llvm::StringMap<bool> features = llvm::sys::getHostCPUFeatures();
  auto has = [&](StringRef feature) { return features.lookup(feature); };
  llvm::Triple host(llvm::sys::getProcessTriple());
  switch (target) {
  case CodegenTarget::Generic:
  case CodegenTarget::Host:
    return true;
  case CodegenTarget::X86Avx2:
    return host.isX86() && has("avx2");
  case CodegenTarget::X86Avx512Vnni:
    return host.isX86() && has("avx512vnni") && has("avx512bw") &&
           has("avx512dq") && has("avx512vl");
  case CodegenTarget::X86Avx512Ifma:
    return canRunOnHost(CodegenTarget::X86Avx512Vnni) && has("avx512vbmi") &&
           has("avx512ifma");
  case CodegenTarget::X86Amx:
    // LLVM reports the tile features only when the OS saves the tile state
    // (XCR0), as Linux does from 5.16 on; the code requests it at run time.
    return canRunOnHost(CodegenTarget::X86Avx512Ifma) && has("amx-tile") &&
           has("amx-int8");
  case CodegenTarget::AArch64Neon:
    return host.isAArch64();
  case CodegenTarget::AArch64Dotprod:
    return host.isAArch64() && has("dotprod");
  case CodegenTarget::AArch64I8mm:
    return host.isAArch64() && has("i8mm");
  }
  llvm_unreachable("unknown codegen target");
}

CodegenTarget qopt::resolveHostTarget(CodegenTarget target) {
  if (target != CodegenTarget::Host)
    return target;
  // The best first.
  for (CodegenTarget candidate :
       {CodegenTarget::X86Amx, CodegenTarget::X86Avx512Ifma,
        CodegenTarget::X86Avx512Vnni, CodegenTarget::X86Avx2,
        CodegenTarget::AArch64I8mm, CodegenTarget::AArch64Dotprod,
        CodegenTarget::AArch64Neon})
    if (canRunOnHost(candidate))
      return candidate;
  return CodegenTarget::Generic;
}

bool qopt::needsUnsignedInput(CodegenTarget target) {
  // AMX takes either (tdpbusd, tdpbssd), the vpdpbusd kernels it leaves u8.
  return target == CodegenTarget::X86Avx512Vnni ||
         target == CodegenTarget::X86Avx512Ifma ||
         target == CodegenTarget::X86Amx;
}

/// The x86 instruction set of `target`'s kernels, if it is an x86 one.
static std::optional<x86::X86Isa> getX86Isa(CodegenTarget target) {
  switch (target) {
  case CodegenTarget::X86Avx2:
    return x86::X86Isa::Avx2;
  case CodegenTarget::X86Avx512Vnni:
    return x86::X86Isa::Avx512Vnni;
  case CodegenTarget::X86Avx512Ifma:
    return x86::X86Isa::Avx512Ifma;
  case CodegenTarget::X86Amx:
    return x86::X86Isa::Amx;
  default:
    return std::nullopt;
  }
}

bool qopt::needsSignedInput(CodegenTarget target) {
  return target == CodegenTarget::AArch64Dotprod;
}

/// Adds the pass that generates `target`'s layer kernels, if it has them.
static void addLayerKernelPass(OpPassManager &pm, CodegenTarget target,
                               const LowerToLLVMOptions &options) {
  switch (target) {
  case CodegenTarget::Generic:
  case CodegenTarget::Host:
    return;
  case CodegenTarget::X86Avx2:
  case CodegenTarget::X86Avx512Vnni:
  case CodegenTarget::X86Avx512Ifma:
  case CodegenTarget::X86Amx: {
    x86::X86LowerLayersPassOptions x86Options;
    x86Options.isa = *getX86Isa(target);
    x86Options.tileRows = options.tileRows;
    x86Options.tileVectors = options.tileVectors;
    x86Options.parallel = options.parallel;
    // x86-amx's tile options are its AMX tiles', which do not fit the
    // depthwise kernels.
    if (target != CodegenTarget::X86Amx) {
      x86Options.depthwiseTileRows = options.tileRows;
      x86Options.depthwiseTileVectors = options.tileVectors;
    }
    pm.addNestedPass<func::FuncOp>(x86::createX86LowerLayersPass(x86Options));
    return;
  }
  case CodegenTarget::AArch64Neon:
  case CodegenTarget::AArch64Dotprod:
  case CodegenTarget::AArch64I8mm: {
    arm::ARMLowerLayersPassOptions armOptions;
    armOptions.isa = target == CodegenTarget::AArch64Neon ? arm::ArmIsa::Neon
                     : target == CodegenTarget::AArch64Dotprod
                         ? arm::ArmIsa::Dotprod
                         : arm::ArmIsa::I8mm;
    armOptions.tileRows = options.tileRows;
    armOptions.tileVectors = options.tileVectors;
    pm.addNestedPass<func::FuncOp>(arm::createARMLowerLayersPass(armOptions));
    return;
  }
  }
}

void qopt::buildLowerToLLVMPipeline(OpPassManager &pm,
                                    const LowerToLLVMOptions &options) {
  CodegenTarget target = resolveHostTarget(options.target);
  addLayerKernelPass(pm, target, options);
  pm.addPass(qnn::createConvertQNNToLinalgPass());
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
  pm.addPass(createCanonicalizerPass(codegen::getStructuredRewriteConfig()));
  bufferization::buildBufferDeallocationPipeline(pm);
  std::optional<x86::X86Isa> x86Isa = getX86Isa(target);
  if (x86Isa) {
    // The elementwise layers (adds, quantize, ...) as vectors, whose
    // requantization the selection below computes in 32-bit lanes.
    pm.addNestedPass<func::FuncOp>(codegen::createVectorizeElementwisePass());
    x86::X86SelectDotProductsPassOptions selectOptions;
    selectOptions.isa = *x86Isa;
    pm.addNestedPass<func::FuncOp>(
        x86::createX86SelectDotProductsPass(selectOptions));
    // The dot products of no instruction's shape (a depthwise kernel's
    // partial vector of channels, or a group of taps all in the padding)
    // stay portable.
    pm.addNestedPass<func::FuncOp>(
        vector::createLowerVectorMultiReductionPass());
    // The epilogues' requantization in 32-bit lanes.
    pm.addNestedPass<func::FuncOp>(x86::createX86SelectRequantizationPass());
  }
  // NEON's fixed-point instructions for the kernels' requantization
  // (intrinsic calls, hence after the deallocation pipeline too).
  if (target == CodegenTarget::AArch64Neon ||
      target == CodegenTarget::AArch64Dotprod ||
      target == CodegenTarget::AArch64I8mm)
    pm.addNestedPass<func::FuncOp>(arm::createARMSelectRequantizationPass());
  pm.addNestedPass<func::FuncOp>(codegen::createExpandStridedCopiesPass());
  // One allocation per call for the temporaries, reused between buffers
  // that are not alive together; after the copies' expansion, which tells a
  // copy's source from its destination by their allocations.
  pm.addNestedPass<func::FuncOp>(codegen::createPlanBuffersPass());
  if (options.parallel)
    pm.addPass(codegen::createParallelizeTilesPass());
  // The requantization multiplies (tosa.apply_scale, scalar in the linalg
  // bodies, vectors in the kernels' epilogues), in 64 bits. After
  // bufferization, so that a target can first select its own fixed-point
  // instructions for them.
  TosaToArithPassOptions tosaOptions;
  tosaOptions.includeApplyRescale = true;
  pm.addNestedPass<func::FuncOp>(createTosaToArithPass(tosaOptions));

  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  // Views of reshaped and padded buffers become explicit offsets and
  // strides, whose affine arithmetic (and that of the depthwise and pooling
  // window indexing) lowers with the loops.
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  // The AMX kernels' tiles, which the reduction loops carry in branches,
  // and the functions' request for the AMX state.
  if (target == CodegenTarget::X86Amx)
    pm.addPass(x86::createX86LowerAmxToLLVMPass());
  // The kernels' vector ops; vector transfers leave ub.poison as the
  // padding of in-bounds reads.
  pm.addPass(createConvertVectorToLLVMPass());
  pm.addPass(createUBToLLVMConversionPass());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  ConvertFuncToLLVMPassOptions funcOptions;
  funcOptions.useBarePtrCallConv = options.flatCallingConvention;
  pm.addPass(createConvertFuncToLLVMPass(funcOptions));
  // After the functions: this conversion would otherwise convert them too,
  // with the default calling convention.
  if (options.parallel && options.parallelRuntime == ParallelRuntime::OpenMP)
    pm.addPass(createConvertOpenMPToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  // Once every value the regions capture is an LLVM one (no conversion
  // casts left), which their context structures can hold.
  if (options.parallel && options.parallelRuntime == ParallelRuntime::Qopt)
    pm.addPass(codegen::createOutlineParallelRegionsPass());
}

void qopt::addIntegerLevelPasses(OpPassManager &pm,
                                 const QuantizationOptions &quantization,
                                 CodegenTarget target) {
  // Built pass by pass, not parsed from text: option values (the scheme)
  // reach their pass as values, which that pass validates, and cannot add
  // passes of their own to the pipeline. Empty options leave the choice to
  // the module's qnn.scheme and qnn.numerics.
  target = resolveHostTarget(target);
  OpPassManager &funcPm = pm.nest<func::FuncOp>();
  qnn::FoldBatchNormPassOptions fold;
  fold.numerics = quantization.numerics;
  funcPm.addPass(qnn::createFoldBatchNormPass(fold));
  qnn::PropagateQuantParamsPassOptions propagate;
  propagate.scheme = quantization.scheme;
  propagate.numerics = quantization.numerics;
  propagate.defaultScheme = "tflite";
  funcPm.addPass(qnn::createPropagateQuantParamsPass(propagate));
  qnn::RewriteMultipliersPassOptions rewrite;
  rewrite.numerics = quantization.numerics;
  funcPm.addPass(qnn::createRewriteMultipliersPass(rewrite));
  qnn::ExpandZeroPointsPassOptions expand;
  expand.unsignedInput = needsUnsignedInput(target);
  expand.signedInput = needsSignedInput(target);
  funcPm.addPass(qnn::createExpandZeroPointsPass(expand));
  // Folds the signedness moves into the requantization before them.
  funcPm.addPass(createCanonicalizerPass());
}

void qopt::buildCompilePipeline(OpPassManager &pm,
                                const CompilePipelineOptions &options) {
  addIntegerLevelPasses(pm, options.quantization, options.lowering.target);
  buildLowerToLLVMPipeline(pm, options.lowering);
}

namespace {

/// The options both pipelines share.
template <typename Derived>
struct TargetOptions : public PassPipelineOptions<Derived> {
  using Base = PassPipelineOptions<Derived>;
  typename Base::template Option<CodegenTarget> target{
      *this, "target", llvm::cl::desc("What to generate code for"),
      llvm::cl::init(CodegenTarget::Generic),
      llvm::cl::values(
          clEnumValN(CodegenTarget::Generic, "generic",
                     "Scalar loops, for any CPU LLVM targets"),
          clEnumValN(CodegenTarget::Host, "host",
                     "The best of the targets below this machine has"),
          clEnumValN(CodegenTarget::X86Avx2, "x86-avx2",
                     "Layer kernels on vpmaddwd (AVX2)"),
          clEnumValN(CodegenTarget::X86Avx512Vnni, "x86-avx512vnni",
                     "Layer kernels on vpdpbusd (AVX-512 VNNI)"),
          clEnumValN(CodegenTarget::X86Avx512Ifma, "x86-avx512ifma",
                     "x86-avx512vnni's kernels with AVX-512 VBMI and IFMA"),
          clEnumValN(CodegenTarget::X86Amx, "x86-amx",
                     "Contractions on AMX-INT8 tiles, the other layers on "
                     "vpdpbusd"),
          clEnumValN(CodegenTarget::AArch64Neon, "aarch64-neon",
                     "Layer kernels on widening multiplies (Advanced SIMD)"),
          clEnumValN(CodegenTarget::AArch64Dotprod, "aarch64-dotprod",
                     "Layer kernels on sdot (Armv8.2 dot product)"),
          clEnumValN(CodegenTarget::AArch64I8mm, "aarch64-i8mm",
                     "Layer kernels on smmla / usmmla (Armv8.6 i8mm)"))};
  typename Base::template Option<int64_t> tileRows{
      *this, "tile-rows",
      llvm::cl::desc("Output rows of the kernels' register tiles, the "
                     "depthwise kernels' too (x86-amx: of its AMX tiles only, "
                     "a multiple of 16; 0: the target's defaults)"),
      llvm::cl::init(0)};
  typename Base::template Option<bool> parallel{
      *this, "parallel",
      llvm::cl::desc("Distribute the layer kernels' tiles over threads "
                     "(the code then needs parallel-runtime's library)"),
      llvm::cl::init(false)};
  typename Base::template Option<ParallelRuntime> parallelRuntime{
      *this, "parallel-runtime",
      llvm::cl::desc("The threads of parallel=true"),
      llvm::cl::init(ParallelRuntime::Qopt),
      llvm::cl::values(
          clEnumValN(ParallelRuntime::Qopt, "qopt",
                     "qopt's thread pool (libQOptRuntime)"),
          clEnumValN(ParallelRuntime::OpenMP, "openmp",
                     "LLVM's OpenMP runtime (libomp)"))};
  typename Base::template Option<int64_t> tileVectors{
      *this, "tile-vectors",
      llvm::cl::desc("Accumulator vectors of output channels per tile row, "
                     "the depthwise kernels' too (x86-amx: columns of 16 "
                     "channels of its AMX tiles only; 0: the target's "
                     "defaults)"),
      llvm::cl::init(0)};

  LowerToLLVMOptions getLowering() const {
    LowerToLLVMOptions options;
    options.target = target;
    options.tileRows = tileRows;
    options.tileVectors = tileVectors;
    options.parallel = parallel;
    options.parallelRuntime = parallelRuntime;
    return options;
  }
};

struct LowerToLLVMPipelineOptions
    : public TargetOptions<LowerToLLVMPipelineOptions> {};

struct CompilePipelineCLOptions
    : public TargetOptions<CompilePipelineCLOptions> {
  Option<std::string> scheme{
      *this, "scheme",
      llvm::cl::desc("--qopt-propagate-quant-params scheme for float-level "
                     "input (gemmlowp, fbgemm, qnnpack, tflite; default: the "
                     "module's qnn.scheme, else the numerics', else tflite)"),
      llvm::cl::init("")};
  Option<std::string> numerics{
      *this, "numerics",
      llvm::cl::desc("numerics preset of every pass (tflite, pytorch, "
                     "pytorch-qnnpack; default: the module's qnn.numerics)"),
      llvm::cl::init("")};
};

} // namespace

void qopt::registerPipelines() {
  PassPipelineRegistration<LowerToLLVMPipelineOptions>(
      "qopt-lower-to-llvm",
      "Lower integer-level qnn IR to the LLVM dialect (the target's layer "
      "kernels, qnn to linalg, bufferization, loops, LLVM)",
      [](OpPassManager &pm, const LowerToLLVMPipelineOptions &options) {
        buildLowerToLLVMPipeline(pm, options.getLowering());
      });
  PassPipelineRegistration<CompilePipelineCLOptions>(
      "qopt-pipeline",
      "Compile qnn IR at any level (float with range markers, quantized, "
      "integer) to the LLVM dialect for a target",
      [](OpPassManager &pm, const CompilePipelineCLOptions &options) {
        CompilePipelineOptions compile;
        compile.lowering = options.getLowering();
        compile.quantization = {options.scheme, options.numerics};
        buildCompilePipeline(pm, compile);
      });
}
