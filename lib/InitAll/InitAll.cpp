//===- InitAll.cpp - Register everything qopt provides --------------------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//

#include "qopt/InitAll.h"

#include "qopt/Codegen/ARM/Passes.h"
#include "qopt/Codegen/Common/Passes.h"
#include "qopt/Codegen/X86/Passes.h"
#include "qopt/Conversion/Passes.h"
#include "qopt/Dialect/QNN/IR/QNN.h"
#include "qopt/Dialect/QNN/Transforms/Passes.h"
#include "qopt/Pipelines/Pipelines.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/AMX/AMXDialect.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Transforms/BufferDeallocationOpInterfaceImpl.h"
#include "mlir/Dialect/Arith/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/ArmNeon/ArmNeonDialect.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Bufferization/Transforms/FuncBufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/Linalg/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/Dialect/UB/IR/UBOps.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Vector/Transforms/Passes.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Target/LLVMIR/Dialect/ArmNeon/ArmNeonToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/OpenMP/OpenMPToLLVMIRTranslation.h"
#include "mlir/Transforms/Passes.h"

void qopt::registerAllDialects(mlir::DialectRegistry &registry) {
  registry.insert<mlir::qnn::QNNDialect, mlir::quant::QuantDialect,
                  mlir::func::FuncDialect, mlir::arith::ArithDialect,
                  mlir::tensor::TensorDialect>();
  // What --qopt-convert-qnn-to-linalg produces, so that its output parses
  // again, and how --qopt-lower-to-llvm bufferizes it.
  registry.insert<mlir::linalg::LinalgDialect, mlir::math::MathDialect,
                  mlir::tosa::TosaDialect>();
  // Bufferized IR, so that every stage of --qopt-lower-to-llvm parses again.
  registry.insert<mlir::memref::MemRefDialect>();
  // The layer kernels' loops and vector code, at every stage.
  registry.insert<mlir::scf::SCFDialect, mlir::vector::VectorDialect,
                  mlir::LLVM::LLVMDialect, mlir::ub::UBDialect>();
  // The layer kernels' loops and vectors, so that the output of the
  // --qopt-*-lower-layers passes, and the instruction selection tests'
  // input, parse too.
  registry.insert<mlir::scf::SCFDialect, mlir::vector::VectorDialect>();
  // The AArch64 kernels' instructions (--qopt-arm-lower-layers), and their
  // translation to LLVM intrinsics for qopt-compile.
  registry.insert<mlir::arm_neon::ArmNeonDialect>();
  mlir::registerArmNeonDialectTranslation(registry);
  // The x86 AMX kernels' tiles and the buffers they load from
  // (--qopt-x86-lower-layers=isa=amx), and the branches that carry tiles
  // into --qopt-x86-lower-amx-to-llvm.
  registry.insert<mlir::amx::AMXDialect,
                  mlir::bufferization::BufferizationDialect,
                  mlir::cf::ControlFlowDialect>();
  // The OpenMP constructs of kernels compiled with parallel=true.
  mlir::registerOpenMPDialectTranslation(registry);
  mlir::arith::registerBufferizableOpInterfaceExternalModels(registry);
  mlir::arith::registerBufferDeallocationOpInterfaceExternalModels(registry);
  mlir::bufferization::func_ext::registerBufferizableOpInterfaceExternalModels(
      registry);
  mlir::linalg::registerBufferizableOpInterfaceExternalModels(registry);
  mlir::tensor::registerBufferizableOpInterfaceExternalModels(registry);
  // The targets' layer kernels: loops and vector transfers on tensors.
  mlir::scf::registerBufferizableOpInterfaceExternalModels(registry);
  mlir::vector::registerBufferizableOpInterfaceExternalModels(registry);
}

/// The upstream passes qopt's pipelines run, so that what
/// --dump-pass-pipeline prints for them parses again with --pass-pipeline
/// (test/Pipelines/dump-pass-pipeline.test).
static void registerPipelinePasses() {
  using namespace mlir;
  bufferization::registerOneShotBufferizePass();
  bufferization::registerBufferResultsToOutParamsPass();
  bufferization::registerOwnershipBasedBufferDeallocationPass();
  bufferization::registerBufferDeallocationSimplificationPass();
  bufferization::registerLowerDeallocationsPass();
  memref::registerExpandReallocPass();
  memref::registerExpandStridedMetadataPass();
  registerTosaToArithPass();
  registerConvertLinalgToLoopsPass();
  registerLowerAffinePass();
  registerSCFToControlFlowPass();
  registerConvertVectorToLLVMPass();
  vector::registerLowerVectorMultiReductionPass();
  registerUBToLLVMConversionPass();
  registerConvertMathToLLVMPass();
  registerArithToLLVMConversionPass();
  registerConvertIndexToLLVMPass();
  registerFinalizeMemRefToLLVMConversionPass();
  registerConvertControlFlowToLLVMPass();
  registerConvertFuncToLLVMPass();
  registerConvertOpenMPToLLVMPass();
  registerReconcileUnrealizedCastsPass();
}

void qopt::registerAllPasses() {
  // Registration is idempotent by construction: each call re-inserts the
  // same factories under the same names.
  mlir::registerTransformsPasses();
  mlir::qnn::registerQNNPasses();
  mlir::qnn::registerQOptConversionPasses();
  qopt::arm::registerQOptARMPasses();
  qopt::codegen::registerQOptCodegenPasses();
  qopt::x86::registerQOptX86Passes();
  qopt::registerPipelines();
  registerPipelinePasses();
}
