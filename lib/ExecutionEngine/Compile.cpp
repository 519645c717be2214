//===- Compile.cpp - Lower qopt IR and emit objects and C headers ---------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//

#include "qopt/ExecutionEngine/ExecutionEngine.h"

#include "Optimize.h"

#include "qopt/Codegen/Common/LayerKernels.h"
#include "qopt/Dialect/QNN/IR/QNN.h"
#include "qopt/Dialect/QNN/Transforms/Numerics.h"
#include "qopt/Pipelines/Pipelines.h"
#include "qopt/Support/CIdentifier.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

using namespace mlir;

func::FuncOp qopt::lookupEntryFunction(ModuleOp module, StringRef name) {
  if (name.empty()) {
    auto funcs = module.getOps<func::FuncOp>();
    if (!funcs.empty())
      return *funcs.begin();
    emitError(module.getLoc(), "no func.func to run");
    return nullptr;
  }
  auto func = module.lookupSymbol<func::FuncOp>(name);
  if (!func)
    emitError(module.getLoc()) << "no func.func @" << name;
  return func;
}

void qopt::PassManagerCLOptions::registerCLOptions() {
  registerMLIRContextCLOptions();
  registerAsmPrinterCLOptions();
  registerPassManagerCLOptions();
  registerDefaultTimingManagerCLOptions();
}

qopt::PassManagerCLOptions::PassManagerCLOptions() {
  applyDefaultTimingManagerCLOptions(timingManager);
  timing = timingManager.getRootScope();
}

LogicalResult qopt::PassManagerCLOptions::apply(PassManager &pm) {
  if (failed(applyPassManagerCLOptions(pm)))
    return failure();
  pm.enableTiming(timing);
  return success();
}

LogicalResult
qopt::lowerToIntegerLevel(ModuleOp module,
                          const QuantizationOptions &quantization,
                          CodegenTarget target,
                          ConfigurePassManager configure) {
  // The interpreter computes the quantized level in the module's numerics:
  // a tool's choice becomes the module's, so that --check-numerics compares
  // the passes with what they were asked to compute.
  if (!quantization.numerics.empty())
    module->setAttr(
        qnn::kNumericsAttrName,
        StringAttr::get(module.getContext(), quantization.numerics));
  // Each pass is a no-op on IR past its level, but for the zero-point
  // expansion, which integer-level IR takes too: it folds constant terms and
  // gives the input the signedness of the target's kernels.
  PassManager pm(module.getContext());
  addIntegerLevelPasses(pm, quantization, target);
  if (configure && failed(configure(pm)))
    return failure();
  return pm.run(module);
}

std::optional<int64_t> qopt::getBufferSize(Type type) {
  auto tensorType = dyn_cast<RankedTensorType>(type);
  if (!tensorType || !tensorType.hasStaticShape())
    return std::nullopt;
  Type element = tensorType.getElementType();
  if (!isa<IntegerType, FloatType>(element))
    return std::nullopt;
  unsigned width = element.getIntOrFloatBitWidth();
  if (width != 8 && width != 16 && width != 32 && width != 64)
    return std::nullopt;
  return tensorType.getNumElements() * width / 8;
}

LogicalResult qopt::lowerToLLVMDialect(ModuleOp module,
                                       LowerToLLVMOptions options,
                                       ConfigurePassManager configure) {
  Builder builder(module.getContext());
  for (func::FuncOp func : module.getOps<func::FuncOp>()) {
    if (!func.isPublic() || func.isExternal())
      continue;
    for (auto [index, type] :
         llvm::enumerate(func.getFunctionType().getInputs()))
      if (!getBufferSize(type))
        return func.emitError("argument #")
               << index << " has type " << type
               << ", not a statically shaped tensor of 8- to 64-bit integers "
                  "or floats that compiled code can take";
    for (auto [index, type] : llvm::enumerate(func.getResultTypes()))
      if (!getBufferSize(type))
        return func.emitError("result #")
               << index << " has type " << type
               << ", not a statically shaped tensor of 8- to 64-bit integers "
                  "or floats that compiled code can return";
    for (unsigned index = 0, e = func.getNumArguments(); index < e; ++index)
      func.setArgAttr(index,
                      bufferization::BufferizationDialect::kWritableAttrName,
                      builder.getBoolAttr(false));
  }
  PassManager pm(module.getContext());
  options.flatCallingConvention = true;
  buildLowerToLLVMPipeline(pm, options);
  if (configure && failed(configure(pm)))
    return failure();
  return pm.run(module);
}

bool qopt::callsMemrefCopy(ModuleOp module) {
  return static_cast<bool>(module.lookupSymbol<LLVM::LLVMFuncOp>("memrefCopy"));
}

std::optional<qopt::ParallelRuntime>
qopt::getParallelRuntime(ModuleOp module) {
  if (module.lookupSymbol<LLVM::LLVMFuncOp>(qopt::codegen::kParallelRun))
    return ParallelRuntime::Qopt;
  bool found = false;
  module.walk([&](Operation *op) {
    found |= op->getDialect() && op->getDialect()->getNamespace() == "omp";
    return found ? WalkResult::interrupt() : WalkResult::advance();
  });
  if (found)
    return ParallelRuntime::OpenMP;
  return std::nullopt;
}

LogicalResult qopt::checkTargetArchitecture(ModuleOp module,
                                            CodegenTarget target,
                                            StringRef triple) {
  llvm::Triple llvmTriple(triple.empty() ? llvm::sys::getDefaultTargetTriple()
                                         : triple.str());
  CodegenTarget resolved = resolveHostTarget(target);
  bool x86 = resolved == CodegenTarget::X86Avx2 ||
             resolved == CodegenTarget::X86Avx512Vnni ||
             resolved == CodegenTarget::X86Avx512Ifma ||
             resolved == CodegenTarget::X86Amx;
  bool aarch64 = resolved == CodegenTarget::AArch64Neon ||
                 resolved == CodegenTarget::AArch64Dotprod ||
                 resolved == CodegenTarget::AArch64I8mm;
  // AMX exists in 64-bit mode only: for i386 LLVM cannot even allocate the
  // registers of the tile-state request (--qopt-x86-lower-amx-to-llvm).
  bool x86Triple = resolved == CodegenTarget::X86Amx
                       ? llvmTriple.getArch() == llvm::Triple::x86_64
                       : llvmTriple.isX86();
  if ((!x86 && !aarch64) || (x86 && x86Triple) ||
      (aarch64 && llvmTriple.isAArch64()))
    return success();
  InFlightDiagnostic diag = emitError(module.getLoc())
                            << "target '" << stringifyCodegenTarget(target)
                            << "'";
  if (target == CodegenTarget::Host)
    diag << " (on this " << llvm::sys::getProcessTriple() << " host, '"
         << stringifyCodegenTarget(resolved) << "')";
  diag << " generates " << (x86 ? "x86-64" : "AArch64")
       << " code, but the target triple is '" << llvmTriple.str() << "'";
  if (triple.empty())
    diag << " (the host's)";
  return diag;
}

/// The LLVM target machine of `target`, or null after an error at `module`'s
/// location (the module itself, which may be a whole network, not printed)
/// when LLVM cannot generate code for its triple or CPU.
static std::unique_ptr<llvm::TargetMachine>
createTargetMachine(ModuleOp module, const qopt::TargetOptions &target) {
  // Every target LLVM was built with, so that the triple alone selects one
  // (x86-64 today, AArch64 next).
  llvm::InitializeAllTargetInfos();
  llvm::InitializeAllTargets();
  llvm::InitializeAllTargetMCs();
  llvm::InitializeAllAsmPrinters();
  // The x86-amx functions' inline `syscall` (--qopt-x86-lower-amx-to-llvm)
  // is assembled.
  llvm::InitializeAllAsmParsers();

  llvm::Triple triple(target.triple.empty()
                          ? llvm::sys::getDefaultTargetTriple()
                          : target.triple);
  std::string error;
  const llvm::Target *llvmTarget =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!llvmTarget) {
    emitError(module.getLoc(), "cannot generate code for '")
        << triple.str() << "': " << error;
    return nullptr;
  }
  // LLVM only warns about an unknown CPU, then generates code for a CPU
  // without the triple's features (or stops in a fatal error).
  if (!target.cpu.empty()) {
    std::unique_ptr<llvm::MCSubtargetInfo> subtarget(
        llvmTarget->createMCSubtargetInfo(triple, "", ""));
    if (!subtarget || !subtarget->isCPUStringValid(target.cpu)) {
      emitError(module.getLoc(), "'")
          << target.cpu << "' is not a CPU of '" << triple.str() << "'";
      return nullptr;
    }
  }
  // Position-independent, so that the object links into the PIE executables
  // and shared libraries distributions build by default.
  std::unique_ptr<llvm::TargetMachine> machine(llvmTarget->createTargetMachine(
      triple, target.cpu, target.features, llvm::TargetOptions(),
      llvm::Reloc::PIC_, std::nullopt, llvm::CodeGenOptLevel::Aggressive));
  if (!machine)
    emitError(module.getLoc(), "cannot create a target machine for '")
        << triple.str() << "'";
  return machine;
}

LogicalResult qopt::checkObjectTarget(ModuleOp module,
                                      const TargetOptions &target) {
  return success(createTargetMachine(module, target) != nullptr);
}

LogicalResult qopt::emitObject(ModuleOp module, const TargetOptions &target,
                               llvm::raw_pwrite_stream &os) {
  std::unique_ptr<llvm::TargetMachine> machine =
      createTargetMachine(module, target);
  if (!machine)
    return failure();
  const llvm::Triple &triple = machine->getTargetTriple();

  registerBuiltinDialectTranslation(*module.getContext());
  registerLLVMDialectTranslation(*module.getContext());
  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, llvmContext);
  if (!llvmModule)
    return emitError(module.getLoc(), "cannot translate the module to LLVM IR");
  llvmModule->setTargetTriple(triple);
  llvmModule->setDataLayout(machine->createDataLayout());

  auto optimize = detail::makeLayerwiseOptimizer(machine.get());
  if (llvm::Error err = optimize(llvmModule.get()))
    return emitError(module.getLoc(), "LLVM optimization failed: ")
           << llvm::toString(std::move(err));

  llvm::legacy::PassManager codegen;
  if (machine->addPassesToEmitFile(codegen, os, nullptr,
                                   llvm::CodeGenFileType::ObjectFile))
    return emitError(module.getLoc(), "'")
           << triple.str() << "' cannot emit objects";
  codegen.run(*llvmModule);
  return success();
}

/// The C type of the elements of a buffer of `type` (getBufferSize), and the
/// comment to write beside it when C has no such type.
static std::pair<StringRef, StringRef> getCElementType(Type type) {
  Type element = cast<RankedTensorType>(type).getElementType();
  if (element.isF32())
    return {"float", ""};
  if (element.isF64())
    return {"double", ""};
  if (isa<FloatType>(element))
    return {"uint16_t", " (the bits of each 16-bit float)"};
  bool isUnsigned = element.isUnsignedInteger();
  switch (element.getIntOrFloatBitWidth()) {
  case 8:
    return {isUnsigned ? "uint8_t" : "int8_t", ""};
  case 16:
    return {isUnsigned ? "uint16_t" : "int16_t", ""};
  case 32:
    return {isUnsigned ? "uint32_t" : "int32_t", ""};
  default:
    return {isUnsigned ? "uint64_t" : "int64_t", ""};
  }
}

LogicalResult qopt::renameToCIdentifiers(ModuleOp module) {
  SymbolTable symbols(module);
  for (auto func : llvm::make_early_inc_range(module.getOps<func::FuncOp>())) {
    if (!func.isPublic() || func.isExternal())
      continue;
    std::string name = getCIdentifier(func.getSymName());
    if (name == func.getSymName())
      continue;
    if (Operation *other = symbols.lookup(name))
      return func.emitError("@") << func.getSymName() << " is named '" << name
                                 << "' in C, which is already the name of @"
                                 << cast<SymbolOpInterface>(other).getName();
    if (failed(symbols.rename(func, name)))
      return failure();
  }
  return success();
}

LogicalResult
qopt::emitCHeader(func::FuncOp func, bool callsMemrefCopy,
                  std::optional<ParallelRuntime> parallelRuntime,
                  llvm::raw_ostream &os) {
  std::string name = getCIdentifier(func.getSymName());
  SmallVector<std::pair<std::string, Type>> parameters;
  for (auto [index, type] : llvm::enumerate(func.getArgumentTypes()))
    parameters.push_back({"input" + std::to_string(index), type});
  for (auto [index, type] : llvm::enumerate(func.getResultTypes()))
    parameters.push_back({"output" + std::to_string(index), type});
  for (const auto &[parameter, type] : parameters)
    if (!getBufferSize(type))
      return func.emitError("cannot declare ")
             << parameter << " of type " << type << " in C";

  std::string guard = "QOPT_" + StringRef(name).upper() + "_H";
  os << "/* Generated by qopt-compile: @" << func.getSymName()
     << " compiled ahead of time";
  if (name != func.getSymName())
    os << " as " << name << ", its name in C";
  os << ".\n"
     << " *\n"
     << " * Calling convention (docs/aot.md): one pointer per input tensor,\n"
     << " * then one per output tensor, each to the first of its elements in\n"
     << " * row-major (C) order, densely packed. The caller allocates every\n"
     << " * buffer; the function reads the inputs, never writes them, and\n"
     << " * writes every element of the outputs. Inputs and outputs must not\n"
     << " * overlap. It allocates its temporaries with malloc and frees\n"
     << " * them before it returns; it keeps no state, so concurrent calls\n"
     << " * with distinct outputs are safe.\n"
     << " *\n"
     << " * Link with the C library (malloc, free, memset, memcpy) and -lm\n"
     << " * (roundf and the like).\n";
  if (callsMemrefCopy)
    os << " *\n"
       << " * The object calls memrefCopy from MLIR's runtime library: link\n"
       << " * with -lmlir_c_runner_utils (in LLVM 22's lib directory, e.g.\n"
       << " * -L/usr/lib/llvm-22/lib -Wl,-rpath,/usr/lib/llvm-22/lib).\n";
  if (parallelRuntime == ParallelRuntime::Qopt)
    os << " *\n"
       << " * The object distributes its layers over threads of qopt's\n"
       << " * runtime: link with libQOptRuntime.a and -lpthread (CMake:\n"
       << " * QOpt::QOptRuntime), or compile lib/Runtime/ParallelRuntime.c\n"
       << " * with the application. The number of threads is\n"
       << " * qopt_set_num_threads's (qopt/Runtime/ParallelRuntime.h), else\n"
       << " * QOPT_NUM_THREADS's, else OMP_NUM_THREADS's, else one per CPU.\n"
       << " * The outputs do not depend on it.\n";
  if (parallelRuntime == ParallelRuntime::OpenMP)
    os << " *\n"
       << " * The object distributes its layers over OpenMP threads: link\n"
       << " * with the OpenMP runtime (clang: -fopenmp=libomp, or -lomp); the\n"
       << " * runtime chooses the number of threads (OMP_NUM_THREADS). The\n"
       << " * outputs do not depend on it.\n";
  os << " */\n\n"
     << "#ifndef " << guard << "\n#define " << guard << "\n\n"
     << "#include <stdint.h>\n\n"
     << "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n";
  os << "/*\n";
  for (const auto &[parameter, type] : parameters) {
    auto [cType, note] = getCElementType(type);
    auto tensorType = cast<RankedTensorType>(type);
    os << " * " << parameter << ": " << cType;
    for (int64_t size : tensorType.getShape())
      os << '[' << size << ']';
    os << ", " << tensorType.getNumElements() << " elements" << note << " ("
       << type << ")\n";
  }
  os << " */\n";
  os << "void " << name << '(';
  unsigned numInputs = func.getNumArguments();
  for (auto [index, parameter] : llvm::enumerate(parameters)) {
    if (index)
      os << ", ";
    os << (index < numInputs ? "const " : "")
       << getCElementType(parameter.second).first << " *" << parameter.first;
  }
  if (parameters.empty())
    os << "void";
  os << ");\n\n"
     << "#ifdef __cplusplus\n} /* extern \"C\" */\n#endif\n\n"
     << "#endif /* " << guard << " */\n";
  return success();
}
