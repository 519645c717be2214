//===- JIT.cpp - Run lowered qopt IR on the host --------------------------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//

#include "qopt/ExecutionEngine/ExecutionEngine.h"

#include "Optimize.h"
#include "qopt/Codegen/Common/LayerKernels.h"
#include "qopt/Runtime/ParallelRuntime.h"

#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/Support/TargetSelect.h"

using namespace mlir;
using qopt::interpreter::Tensor;

LogicalResult qopt::runJit(ModuleOp module, StringRef function,
                           ArrayRef<const void *> inputs,
                           ArrayRef<void *> outputs) {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  // The x86-amx functions' inline `syscall` (--qopt-x86-lower-amx-to-llvm)
  // is assembled.
  llvm::InitializeNativeTargetAsmParser();
  registerBuiltinDialectTranslation(*module.getContext());
  registerLLVMDialectTranslation(*module.getContext());

  // The host's target machine, as the engine's own code generator builds
  // it, so that LLVM's IR optimizer sees the target's costs (vector widths,
  // memset, the data layout) as qopt-compile's does: without one, the
  // padded copies' border fills became loops of single-byte stores.
  llvm::Expected<llvm::orc::JITTargetMachineBuilder> machineBuilder =
      llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!machineBuilder)
    return module.emitError("cannot target this host: ")
           << llvm::toString(machineBuilder.takeError());
  machineBuilder->setCodeGenOptLevel(llvm::CodeGenOptLevel::Aggressive);
  llvm::Expected<std::unique_ptr<llvm::TargetMachine>> machine =
      machineBuilder->createTargetMachine();
  if (!machine)
    return module.emitError("cannot target this host: ")
           << llvm::toString(machine.takeError());

  ExecutionEngineOptions options;
  // The options hold a function_ref: the optimizer must outlive the engine's
  // creation.
  auto optimize = detail::makeLayerwiseOptimizer(machine->get());
  options.transformer = optimize;
  // The path of LLVM's libraries is fixed when qopt is configured, as for
  // the libMLIR.so the tools link.
  SmallVector<StringRef, 2> sharedLibs;
  if (callsMemrefCopy(module))
    sharedLibs.push_back(QOPT_MLIR_C_RUNNER_UTILS);
  std::optional<ParallelRuntime> parallelRuntime = getParallelRuntime(module);
  if (parallelRuntime == ParallelRuntime::OpenMP)
    sharedLibs.push_back(QOPT_LIBOMP);
  options.sharedLibPaths = sharedLibs;
  llvm::Expected<std::unique_ptr<ExecutionEngine>> engine =
      ExecutionEngine::create(module, options);
  if (!engine)
    return module.emitError("cannot JIT-compile the module: ")
           << llvm::toString(engine.takeError());

  // qopt's runtime is linked into this library: its pool is the process's,
  // shared by every JIT-compiled function.
  if (parallelRuntime == ParallelRuntime::Qopt)
    (*engine)->registerSymbols([](llvm::orc::MangleAndInterner interner) {
      llvm::orc::SymbolMap symbols;
      symbols[interner(qopt::codegen::kParallelRun)] = {
          llvm::orc::ExecutorAddr::fromPtr(&qopt_parallel_run_sized),
          llvm::JITSymbolFlags::Exported};
      return symbols;
    });

  // The packed entry point ExecutionEngine generates takes a pointer to each
  // argument of the flat calling convention, itself a pointer to a buffer.
  SmallVector<void *> buffers;
  for (const void *input : inputs)
    buffers.push_back(const_cast<void *>(input));
  llvm::append_range(buffers, outputs);
  SmallVector<void *> packed;
  for (void *&buffer : buffers)
    packed.push_back(&buffer);
  if (llvm::Error err = (*engine)->invokePacked(function, packed))
    return module.emitError("cannot call @")
           << function << ": " << llvm::toString(std::move(err));
  return success();
}

FailureOr<SmallVector<Tensor>>
qopt::runJit(ModuleOp module, StringRef function, ArrayRef<Tensor> inputs,
             ArrayRef<RankedTensorType> resultTypes) {
  std::vector<std::vector<char>> arguments, results;
  for (const Tensor &input : inputs)
    arguments.push_back(
        qopt::interpreter::toBytes(input, llvm::endianness::native));
  for (RankedTensorType type : resultTypes)
    results.emplace_back(qopt::interpreter::getByteSize(type));
  SmallVector<const void *> inputBuffers;
  for (const std::vector<char> &argument : arguments)
    inputBuffers.push_back(argument.data());
  SmallVector<void *> outputBuffers;
  for (std::vector<char> &result : results)
    outputBuffers.push_back(result.data());
  if (failed(runJit(module, function, inputBuffers, outputBuffers)))
    return failure();
  SmallVector<Tensor> tensors;
  for (auto [bytes, type] : llvm::zip_equal(results, resultTypes))
    tensors.push_back(
        qopt::interpreter::fromBytes(bytes, type, llvm::endianness::native));
  return tensors;
}
