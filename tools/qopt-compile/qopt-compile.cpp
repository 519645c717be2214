//===- qopt-compile.cpp - Compile qopt IR ahead of time -------------------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
//   qopt-compile FILE.mlir [--function NAME] -o FILE.o [--header FILE.h]
//                [--scheme NAME] [--numerics NAME] [--mtriple TRIPLE] [--mcpu CPU]
//                [--mattr FEATURES] [--target NAME]
//
// Compiles FILE.mlir, at the float, quantized or integer level, to an object
// file for the target, and writes a C header declaring one of its functions
// with the flat calling convention of docs/aot.md. Float- and quantized-level
// IR is first taken to the integer level with the passes of the README
// (--scheme chooses the quantization scheme of float IR and --numerics the
// numerics preset; by default the module's qnn.scheme and qnn.numerics
// attributes decide). --target is the
// `target` option of --qopt-lower-to-llvm: the code generation for an ISA,
// which compiles the functions it vectorizes for that ISA's features whatever
// --mattr says. The passes take MLIR's pass-manager options (--mlir-timing,
// --mlir-print-ir-after-all, --mlir-pass-pipeline-crash-reproducer, ...).
//
//===----------------------------------------------------------------------===//

#include "qopt/Analysis/CheckNumerics.h"
#include "qopt/ExecutionEngine/ExecutionEngine.h"
#include "qopt/InitAll.h"
#include "qopt/Support/CIdentifier.h"
#include "qopt/Support/FileUtilities.h"
#include "qopt/Support/Version.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

using namespace mlir;

static llvm::cl::opt<std::string> inputFilename(llvm::cl::Positional,
                                                llvm::cl::desc("<file.mlir>"),
                                                llvm::cl::Required);
static llvm::cl::opt<std::string> functionName(
    "function",
    llvm::cl::desc("The function the header declares (default: the first "
                   "func.func of the file); the object holds all of them"),
    llvm::cl::value_desc("name"));
static llvm::cl::opt<std::string>
    objectFilename("o", llvm::cl::desc("The object file to write"),
                   llvm::cl::value_desc("file.o"), llvm::cl::Required);
static llvm::cl::opt<std::string>
    headerFilename("header", llvm::cl::desc("The C header to write"),
                   llvm::cl::value_desc("file.h"));
static llvm::cl::opt<std::string> scheme(
    "scheme",
    llvm::cl::desc("The quantization scheme that "
                   "--qopt-propagate-quant-params applies to float-level IR "
                   "(default: the module's qnn.scheme, else the numerics', "
                   "else tflite)"),
    llvm::cl::value_desc("gemmlowp|fbgemm|qnnpack|tflite"));
static llvm::cl::opt<std::string> numerics(
    "numerics",
    llvm::cl::desc("The numerics preset of the passes (default: the "
                   "module's qnn.numerics)"),
    llvm::cl::value_desc("tflite|pytorch|pytorch-qnnpack"));
static llvm::cl::opt<std::string>
    triple("mtriple", llvm::cl::desc("The target triple (default: the host's)"),
           llvm::cl::value_desc("triple"));
static llvm::cl::opt<std::string>
    cpu("mcpu",
        llvm::cl::desc("The target CPU (default: a generic CPU of the "
                       "triple's architecture; 'native': this host's)"),
        llvm::cl::value_desc("name"));
static llvm::cl::opt<std::string>
    features("mattr",
             llvm::cl::desc("Target features, e.g. +avx512f,+avx512vnni"),
             llvm::cl::value_desc("features"));

static llvm::cl::opt<std::string> codegenTargetName(
    "target", llvm::cl::desc("What --qopt-lower-to-llvm generates code for"),
    llvm::cl::value_desc("generic|host|x86-avx2|x86-avx512vnni|x86-avx512ifma|x86-amx|aarch64-neon|aarch64-dotprod|aarch64-i8mm"),
    llvm::cl::init("generic"));

static llvm::cl::opt<bool> parallel(
    "parallel",
    llvm::cl::desc("Distribute the layer kernels over threads (the object "
                   "then needs --parallel-runtime's library; see the header)"),
    llvm::cl::init(false));

static llvm::cl::opt<std::string> parallelRuntimeName(
    "parallel-runtime",
    llvm::cl::desc("The threads of --parallel: qopt's pool (libQOptRuntime) "
                   "or LLVM's OpenMP runtime (libomp)"),
    llvm::cl::value_desc("qopt|openmp"), llvm::cl::init("qopt"));

static llvm::cl::opt<std::string> checkNumerics(
    "check-numerics", llvm::cl::ValueOptional,
    llvm::cl::desc("Run the reference interpreter after every pass of the "
                   "compilation on the .npy files of inputs= or on random "
                   "inputs (seeds 1 to N) and stop at "
                   "the first pass that changes a result, as qopt "
                   "--qopt-check-numerics does (docs/numerics.md)"),
    llvm::cl::value_desc("inputs[@FUNCTION]=A.npy:B.npy,seeds=N,tolerance=T"));

/// --check-numerics ends with the compiled code: each function the
/// interpreter ran, in LLVM-dialect `module` compiled for this machine by
/// the JIT, on the inputs the passes were checked on, compared bit for bit
/// with the last stage the interpreter ran. `resultTypes` holds the
/// integer-level result types of the functions by C identifier.
static LogicalResult checkCompiledCode(
    ModuleOp module, qopt::CodegenTarget target,
    const llvm::StringMap<SmallVector<RankedTensorType>> &resultTypes,
    qopt::numerics::NumericsChecker &checker) {
  if (!qopt::canRunOnHost(target) ||
      !llvm::Triple(triple.empty() ? llvm::sys::getProcessTriple()
                                   : llvm::Triple::normalize(triple))
           .isCompatibleWith(llvm::Triple(llvm::sys::getProcessTriple()))) {
    emitWarning(module.getLoc())
        << "--check-numerics: code for target '"
        << qopt::stringifyCodegenTarget(target)
        << (triple.empty() ? "" : "' and triple '" + triple)
        << "' does not run on this machine; the passes were checked, the "
           "compiled code was not";
    return success();
  }
  for (const auto &[function, types] : resultTypes) {
    ArrayRef<SmallVector<qopt::interpreter::Tensor>> runs =
        checker.getInputs(function);
    for (auto [run, inputs] : llvm::enumerate(runs)) {
      OwningOpRef<ModuleOp> compiled(module.clone());
      FailureOr<SmallVector<qopt::interpreter::Tensor>> results =
          qopt::runJit(*compiled, function, inputs, types);
      if (failed(results) || failed(checker.checkResults(
                                 module.getLoc(), function,
                                 ("the compiled code (--target=" +
                                  qopt::stringifyCodegenTarget(target) + ")")
                                     .str(),
                                 run, *results)))
        return failure();
    }
  }
  return success();
}

static llvm::cl::opt<bool> verifyEach(
    "verify-each",
    llvm::cl::desc("Verify the IR after every pass, a check of the passes "
                   "(the input is verified when parsed, the lowered module "
                   "once before translation either way); it takes about a "
                   "sixth of a network's compile time"),
    llvm::cl::init(false));

static int fail(const llvm::Twine &message) {
  llvm::WithColor::error(llvm::errs(), "qopt-compile") << message << '\n';
  return 1;
}

int main(int argc, char **argv) {
  llvm::InitLLVM y(argc, argv);
  llvm::cl::SetVersionPrinter(qopt::printVersion);
  // The passes are registered for --mlir-print-ir-before/after to name them.
  qopt::registerAllPasses();
  qopt::registerIRFileCLOptions();
  qopt::PassManagerCLOptions::registerCLOptions();
  llvm::cl::ParseCommandLineOptions(
      argc, argv,
      "qopt-compile: compiles qopt IR to an object file and a C header\n");

  std::unique_ptr<qopt::numerics::NumericsChecker> checker;
  if (checkNumerics.getNumOccurrences()) {
    llvm::Expected<qopt::numerics::CheckNumericsOptions> options =
        qopt::numerics::CheckNumericsOptions::parse(checkNumerics);
    if (!options)
      return fail(llvm::toString(options.takeError()));
    checker =
        std::make_unique<qopt::numerics::NumericsChecker>(std::move(*options));
  }
  qopt::PassManagerCLOptions passManagerOptions;
  auto configure = [&](PassManager &pm) {
    if (checker)
      checker->instrument(pm);
    pm.enableVerifier(verifyEach);
    return passManagerOptions.apply(pm);
  };
  std::optional<qopt::CodegenTarget> codegenTarget =
      qopt::parseCodegenTarget(codegenTargetName);
  if (!codegenTarget)
    return fail("unknown target '" + codegenTargetName + "'");
  std::optional<qopt::ParallelRuntime> parallelRuntime =
      qopt::parseParallelRuntime(parallelRuntimeName);
  if (!parallelRuntime)
    return fail("unknown parallel runtime '" + parallelRuntimeName +
                "' (qopt, openmp)");
  if (parallelRuntimeName.getNumOccurrences() && !parallel)
    return fail("--parallel-runtime needs --parallel");

  DialectRegistry registry;
  qopt::registerAllDialects(registry);
  MLIRContext context(registry);
  std::string errorMessage;
  std::unique_ptr<llvm::MemoryBuffer> file =
      qopt::openIRFile(inputFilename, &errorMessage);
  if (!file)
    return fail(errorMessage);
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  // As llc and clang take it; a cross triple then names a CPU of another
  // architecture, which checkObjectTarget reports.
  std::string cpuName =
      cpu == "native" ? llvm::sys::getHostCPUName().str() : cpu.getValue();
  qopt::TargetOptions target{triple, cpuName, features};
  // The LLVM target is checked before the MLIR passes, which take seconds
  // on a real network.
  if (!module ||
      failed(qopt::checkTargetArchitecture(*module, *codegenTarget, triple)) ||
      failed(qopt::checkObjectTarget(*module, target)) ||
      failed(qopt::lowerToIntegerLevel(*module, {scheme, numerics},
                                       *codegenTarget, configure)))
    return 1;

  func::FuncOp func = qopt::lookupEntryFunction(*module, functionName);
  if (!func)
    return 1;
  // The header is written from the integer-level signature, which lowering
  // replaces.
  std::string header;
  llvm::raw_string_ostream headerStream(header);
  OwningOpRef<func::FuncOp> signature(func.clone());
  // What --check-numerics runs the compiled functions with.
  llvm::StringMap<SmallVector<RankedTensorType>> resultTypes;
  if (checker)
    for (auto candidate : module->getOps<func::FuncOp>()) {
      SmallVector<RankedTensorType> types;
      for (Type type : candidate.getResultTypes())
        if (auto tensorType = dyn_cast<RankedTensorType>(type);
            tensorType && qopt::getBufferSize(tensorType))
          types.push_back(tensorType);
      if (candidate.isPublic() && !candidate.isExternal() &&
          types.size() == candidate.getNumResults())
        resultTypes[qopt::getCIdentifier(candidate.getSymName())] = types;
    }
  // The object defines the symbols the header declares.
  if (failed(qopt::renameToCIdentifiers(*module)))
    return 1;
  qopt::LowerToLLVMOptions options;
  options.target = *codegenTarget;
  options.parallel = parallel;
  options.parallelRuntime = *parallelRuntime;
  if (failed(qopt::lowerToLLVMDialect(*module, options, configure)) ||
      failed(verify(*module)) ||
      (checker && (checker->hasFailed() ||
                   failed(checkCompiledCode(*module, *codegenTarget,
                                            resultTypes, *checker)))))
    return 1;
  if (!headerFilename.empty() &&
      failed(qopt::emitCHeader(*signature, qopt::callsMemrefCopy(*module),
                               qopt::getParallelRuntime(*module),
                               headerStream)))
    return 1;

  std::error_code ec;
  llvm::ToolOutputFile object(objectFilename, ec, llvm::sys::fs::OF_None);
  if (ec)
    return fail(objectFilename + ": " + ec.message());
  if (failed(qopt::emitObject(*module, target, object.os())))
    return 1;
  if (llvm::Error err = qopt::closeOutput(object.os(), objectFilename))
    return fail(llvm::toString(std::move(err)));
  if (!headerFilename.empty()) {
    llvm::ToolOutputFile headerFile(headerFilename, ec, llvm::sys::fs::OF_Text);
    if (ec)
      return fail(headerFilename + ": " + ec.message());
    headerFile.os() << header;
    if (llvm::Error err = qopt::closeOutput(headerFile.os(), headerFilename))
      return fail(llvm::toString(std::move(err)));
    headerFile.keep();
  }
  object.keep();
  return 0;
}
