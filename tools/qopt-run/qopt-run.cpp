//===- qopt-run.cpp - Run a function of qopt IR on .npy tensors -----------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
//   qopt-run FILE.mlir [--function NAME]
//            (--input A.npy [--input B.npy ...] | --random-inputs=SEED
//             [--save-inputs DIR])
//            [--output OUT.npy ...] [--integer] [--jit [--target NAME]]
//            [--scheme NAME] [--numerics NAME] [--max-tensor-bytes N]
//
// Runs one func.func (by default the first) of FILE.mlir with the reference
// interpreter, at whatever level the IR is: float, quantized or integer.
// Each --input is one argument in order; it must have the argument's shape
// and the dtype of its element type (float32 for f32, the storage type for
// integer and quantized tensors). Each --output receives one result; without
// --output the results are printed, one line each.
//
// With --integer, float- and quantized-level IR is first taken to the
// integer level with the passes of the README (--scheme chooses the
// quantization scheme of float IR, --numerics the numerics preset; by default
// the module's qnn.scheme and qnn.numerics attributes decide), and the
// interpreter runs the integer computation. With --jit, the function is
// compiled for the host instead and run through MLIR's ExecutionEngine, with
// the same inputs and outputs: it is taken to the integer level in the same
// way, then lowered by --qopt-lower-to-llvm for --target (its `target`
// option; default generic). The passes
// take MLIR's pass-manager options (--mlir-timing, --mlir-print-ir-after-all,
// --mlir-pass-pipeline-crash-reproducer, ...).
//
// No tensor larger than --max-tensor-bytes is created: not an argument (the
// check comes before its file is read), an op result or a result of compiled
// code.
//
//===----------------------------------------------------------------------===//

#include "Report.h"

#include "qopt/Analysis/CheckNumerics.h"
#include "qopt/ExecutionEngine/ExecutionEngine.h"
#include "qopt/InitAll.h"
#include "qopt/Interpreter/Interpreter.h"
#include "qopt/Interpreter/Npy.h"
#include "qopt/Support/FileUtilities.h"
#include "qopt/Support/Version.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/TargetParser/Host.h"

#include <cstdlib>
#include <functional>

using namespace mlir;
using namespace qopt;
using qopt::interpreter::Tensor;

static llvm::cl::opt<std::string> inputFilename(llvm::cl::Positional,
                                                llvm::cl::desc("<file.mlir>"),
                                                llvm::cl::Required);
static llvm::cl::opt<std::string>
    functionName("function",
                 llvm::cl::desc("The function to run (default: the first "
                                "func.func of the file)"),
                 llvm::cl::value_desc("name"));
static llvm::cl::list<std::string>
    inputFiles("input",
               llvm::cl::desc("A .npy file per function argument, in order"),
               llvm::cl::value_desc("file.npy"));
static llvm::cl::list<std::string>
    outputFiles("output",
                llvm::cl::desc("A .npy file per function result, in order "
                               "(default: print the results)"),
                llvm::cl::value_desc("file.npy"));
static llvm::cl::opt<uint64_t> randomSeed(
    "random-inputs",
    llvm::cl::desc("Instead of --input, generate deterministic inputs from "
                   "this seed: uniform over the storage range of integer and "
                   "quantized arguments, over [-1, 1] for float ones"),
    llvm::cl::value_desc("seed"));
static llvm::cl::opt<std::string> saveInputsDir(
    "save-inputs",
    llvm::cl::desc("With --random-inputs, also write the inputs to "
                   "DIR/input<i>.npy"),
    llvm::cl::value_desc("dir"));

static llvm::cl::opt<bool>
    jit("jit", llvm::cl::desc("Compile the function for the host and run the "
                              "machine code instead of interpreting it"));
static llvm::cl::opt<bool> integer(
    "integer",
    llvm::cl::desc("Take the IR to the integer level (as --jit does) and "
                   "interpret the integer computation"));
static llvm::cl::opt<std::string> scheme(
    "scheme",
    llvm::cl::desc("With --jit or --integer, the quantization scheme that "
                   "--qopt-propagate-quant-params applies to float-level IR "
                   "(default: the module's qnn.scheme, else the numerics', "
                   "else tflite)"),
    llvm::cl::value_desc("gemmlowp|fbgemm|qnnpack|tflite"));
static llvm::cl::opt<std::string> numericsPreset(
    "numerics",
    llvm::cl::desc("With --jit or --integer, the numerics preset of the "
                   "passes (default: the module's qnn.numerics)"),
    llvm::cl::value_desc("tflite|pytorch|pytorch-qnnpack"));

static llvm::cl::opt<std::string> target(
    "target",
    llvm::cl::desc("With --jit, what --qopt-lower-to-llvm generates code for"),
    llvm::cl::value_desc("generic|host|x86-avx2|x86-avx512vnni|x86-avx512ifma|x86-amx|aarch64-neon|aarch64-dotprod|aarch64-i8mm"),
    llvm::cl::init("generic"));

static llvm::cl::opt<uint64_t> maxTensorBytes(
    "max-tensor-bytes",
    llvm::cl::desc("Refuse to create a tensor larger than this many bytes "
                   "(an argument, an op result, a constant), counting 8 per "
                   "element as the interpreter holds them (default 4 GiB)"),
    llvm::cl::value_desc("bytes"),
    llvm::cl::init(interpreter::Limits().maxTensorBytes));

static llvm::cl::opt<bool> parallel(
    "parallel",
    llvm::cl::desc("With --jit, distribute the layer kernels over threads"),
    llvm::cl::init(false));

static llvm::cl::opt<std::string> parallelRuntimeName(
    "parallel-runtime",
    llvm::cl::desc("The threads of --parallel: qopt's pool or LLVM's OpenMP "
                   "runtime"),
    llvm::cl::value_desc("qopt|openmp"), llvm::cl::init("qopt"));

static llvm::cl::opt<bool> checkNumerics(
    "check-numerics",
    llvm::cl::desc("With --jit, run the reference interpreter after every "
                   "pass of the compilation on the same inputs, stop at the "
                   "first pass that changes a result (bit for bit from the "
                   "quantized level down) and compare the compiled results "
                   "with the last stage it ran (docs/numerics.md)"));

static int fail(const llvm::Twine &message) {
  llvm::WithColor::error(llvm::errs(), "qopt-run") << message << '\n';
  return 1;
}

/// What is wrong with `func` itself (a type it takes or returns) is an error
/// at its location, as the interpreter's and the compiler's are.
static int fail(func::FuncOp func, const llvm::Twine &message) {
  emitError(func.getLoc()) << message;
  return 1;
}

/// The interpreter's limits: --max-tensor-bytes.
static interpreter::Limits getLimits() {
  interpreter::Limits limits;
  limits.maxTensorBytes = maxTensorBytes;
  return limits;
}

/// The inputs of `func`, read from `files` (one per argument) or generated.
static std::optional<SmallVector<Tensor>>
getInputs(func::FuncOp func, ArrayRef<std::string> files) {
  ArrayRef<Type> types = func.getArgumentTypes();
  SmallVector<Tensor> inputs;
  for (auto [index, type] : llvm::enumerate(types)) {
    std::string typeText;
    llvm::raw_string_ostream(typeText) << type;
    std::string argument = "argument #" + std::to_string(index) + " of @" +
                           func.getSymName().str() + " (" + typeText + ")";
    if (!interpreter::isSupportedType(type)) {
      fail(func,
           argument + " has a type the reference interpreter does not support");
      return std::nullopt;
    }
    auto tensorType = cast<RankedTensorType>(type);
    // Before the file is read or the values generated.
    if (failed(interpreter::checkArgumentSize(func, index, getLimits())))
      return std::nullopt;
    if (randomSeed.getNumOccurrences())
      continue;
    if (!npy::getDescr(tensorType.getElementType())) {
      fail(func, argument + " has no .npy dtype");
      return std::nullopt;
    }
    llvm::Expected<Tensor> input = npy::readArgument(
        files[index], index, tensorType, getLimits().maxTensorBytes);
    if (!input) {
      fail(llvm::toString(input.takeError()));
      return std::nullopt;
    }
    inputs.push_back(std::move(*input));
  }
  if (randomSeed.getNumOccurrences()) {
    FailureOr<SmallVector<Tensor>> random =
        interpreter::makeRandomInputs(func, randomSeed, getLimits());
    if (failed(random))
      return std::nullopt;
    return std::move(*random);
  }
  return inputs;
}

/// The shortest "%g" form of `value` that reads back as `value` in `type`,
/// as numpy prints floats.
static std::string formatFloat(double value, FloatType type) {
  std::string text;
  for (int precision = 1; precision <= 17; ++precision) {
    text.clear();
    llvm::raw_string_ostream(text) << llvm::format("%.*g", precision, value);
    if (interpreter::roundToFloatType(std::strtod(text.c_str(), nullptr),
                                      type) == value)
      break;
  }
  return text;
}

/// Nested brackets in row-major order, as numpy prints arrays; an empty
/// tensor is "[]", as numpy prints it, which also spares walking the
/// dimensions of, say, a 2^62x0 tensor.
static void printValues(const Tensor &tensor, llvm::raw_ostream &os) {
  if (llvm::is_contained(tensor.getShape(), 0)) {
    os << "[]";
    return;
  }
  ArrayRef<int64_t> shape = tensor.getShape();
  auto floatType = dyn_cast<FloatType>(tensor.getElementType());
  int64_t index = 0;
  std::function<void(size_t)> print = [&](size_t dim) {
    if (dim == shape.size()) {
      if (floatType)
        os << formatFloat(tensor.floats[index++], floatType);
      else
        os << tensor.ints[index++];
      return;
    }
    os << '[';
    for (int64_t i = 0; i < shape[dim]; ++i) {
      if (i)
        os << ", ";
      print(dim + 1);
    }
    os << ']';
  };
  print(0);
}

/// Runs `func` of `module` compiled for the host on `inputs`: a clone is taken
/// to the integer level and lowered, so that the IR the user gave stays as it
/// was. Results have the types of `func`, whose storage types are those of
/// the integer level.
static FailureOr<SmallVector<Tensor>>
runCompiled(ModuleOp module, func::FuncOp func, ArrayRef<Tensor> inputs,
            CodegenTarget codegenTarget, ParallelRuntime parallelRuntime,
            ConfigurePassManager configure) {
  // The JIT compiles for the machine it runs on.
  if (failed(checkTargetArchitecture(module, codegenTarget,
                                     llvm::sys::getProcessTriple())))
    return failure();
  // Else the first kernel instruction the CPU lacks kills the process.
  if (!canRunOnHost(codegenTarget))
    return emitError(module.getLoc())
           << "--jit: this machine lacks instructions that target '"
           << stringifyCodegenTarget(codegenTarget)
           << "' uses (qopt-compile --target="
           << stringifyCodegenTarget(codegenTarget)
           << " compiles it for another machine)";
  OwningOpRef<ModuleOp> compiled(module.clone());
  if (failed(lowerToIntegerLevel(*compiled, {scheme, numericsPreset},
                                 codegenTarget, configure)))
    return failure();
  auto integerFunc = compiled->lookupSymbol<func::FuncOp>(func.getSymName());
  FunctionType integerType = integerFunc.getFunctionType();
  for (auto [index, input] : llvm::enumerate(inputs)) {
    std::optional<int64_t> size = getBufferSize(integerType.getInput(index));
    if (size && *size != interpreter::getByteSize(input.type)) {
      fail(func, "argument #" + llvm::Twine(index) + " of @" +
                     func.getSymName() + " changed type at the integer level");
      return failure();
    }
  }
  SmallVector<RankedTensorType> resultTypes;
  for (auto [type, integerResultType] :
       llvm::zip_equal(func.getResultTypes(), integerType.getResults())) {
    auto tensorType = cast<RankedTensorType>(type);
    std::optional<int64_t> size = getBufferSize(integerResultType);
    if (!size || *size != interpreter::getByteSize(tensorType)) {
      std::string typeText;
      llvm::raw_string_ostream(typeText) << integerResultType;
      fail(func, "@" + func.getSymName() + " returns a " + typeText +
                     ", which compiled code cannot return");
      return failure();
    }
    // The buffer, then the tensor the result becomes.
    if (failed(interpreter::checkTensorSize(
            [&] { return emitError(func.getLoc()); },
            "result #" + std::to_string(resultTypes.size()), tensorType,
            getLimits())))
      return failure();
    resultTypes.push_back(tensorType);
  }

  LowerToLLVMOptions options;
  options.target = codegenTarget;
  options.parallel = parallel;
  options.parallelRuntime = parallelRuntime;
  if (failed(lowerToLLVMDialect(*compiled, options, configure)))
    return failure();
  return runJit(*compiled, func.getSymName(), inputs, resultTypes);
}

int main(int argc, char **argv) {
  llvm::InitLLVM y(argc, argv);
  llvm::cl::SetVersionPrinter(qopt::printVersion);
  // The passes are registered for --mlir-print-ir-before/after to name them.
  qopt::registerAllPasses();
  qopt::registerIRFileCLOptions();
  PassManagerCLOptions::registerCLOptions();
  llvm::cl::ParseCommandLineOptions(
      argc, argv,
      "qopt-run: runs a function of qopt IR on .npy tensors with the "
      "reference interpreter\n");
  if (randomSeed.getNumOccurrences() && !inputFiles.empty())
    return fail("--input and --random-inputs exclude each other");
  if (!saveInputsDir.empty() && !randomSeed.getNumOccurrences())
    return fail("--save-inputs needs --random-inputs");
  if (scheme.getNumOccurrences() && !jit && !integer && !wantsReport())
    return fail("--scheme needs --jit, --integer or --report");
  if (numericsPreset.getNumOccurrences() && !jit && !integer && !wantsReport())
    return fail("--numerics needs --jit, --integer or --report");
  if (integer && jit)
    return fail("--integer and --jit exclude each other");
  if (wantsReport() && (jit || integer || !outputFiles.empty()))
    return fail("--report excludes --jit, --integer and --output");
  if (target.getNumOccurrences() && !jit)
    return fail("--target needs --jit");
  if (parallel && !jit)
    return fail("--parallel needs --jit");
  std::optional<ParallelRuntime> parallelRuntime =
      parseParallelRuntime(parallelRuntimeName);
  if (!parallelRuntime)
    return fail("unknown parallel runtime '" + parallelRuntimeName +
                "' (qopt, openmp)");
  if (parallelRuntimeName.getNumOccurrences() && !parallel)
    return fail("--parallel-runtime needs --parallel");
  std::optional<CodegenTarget> codegenTarget = parseCodegenTarget(target);
  if (!codegenTarget)
    return fail("unknown target '" + target + "'");

  if (checkNumerics && !jit)
    return fail("--check-numerics needs --jit");
  PassManagerCLOptions passManagerOptions;
  std::unique_ptr<numerics::NumericsChecker> checker;
  auto configure = [&](PassManager &pm) {
    if (checker)
      checker->instrument(pm);
    return passManagerOptions.apply(pm);
  };

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
  if (!module)
    return 1;

  func::FuncOp func = qopt::lookupEntryFunction(*module, functionName);
  if (!func)
    return 1;

  unsigned numArguments = func.getNumArguments();
  if (wantsReport()) {
    // Every numArguments --input files are the arguments of one run; a
    // function without arguments has one run, with no file.
    size_t numRuns = 1;
    if (!randomSeed.getNumOccurrences()) {
      if (numArguments ? inputFiles.empty() || inputFiles.size() % numArguments
                       : !inputFiles.empty())
        return fail("--report: @" + func.getSymName() + " takes " +
                    llvm::Twine(numArguments) + " arguments per run but " +
                    llvm::Twine(inputFiles.size()) +
                    " --input files were given");
      if (numArguments)
        numRuns = inputFiles.size() / numArguments;
    }
    SmallVector<SmallVector<Tensor>> runs;
    for (size_t run = 0; run < numRuns; ++run) {
      std::optional<SmallVector<Tensor>> inputs =
          getInputs(func, randomSeed.getNumOccurrences()
                              ? ArrayRef<std::string>()
                              : ArrayRef<std::string>(inputFiles)
                                    .slice(run * numArguments, numArguments));
      if (!inputs)
        return 1;
      runs.push_back(std::move(*inputs));
    }
    return runReport(*module, func, runs, scheme, inputFilename, getLimits());
  }
  if (!randomSeed.getNumOccurrences() && inputFiles.size() != numArguments)
    return fail("@" + func.getSymName() + " takes " +
                llvm::Twine(numArguments) + " arguments but " +
                llvm::Twine(inputFiles.size()) + " --input files were given");
  unsigned numResults = func.getNumResults();
  if (!outputFiles.empty() && outputFiles.size() != numResults)
    return fail("@" + func.getSymName() + " returns " +
                llvm::Twine(numResults) + " results but " +
                llvm::Twine(outputFiles.size()) + " --output files were given");
  for (auto [index, type] : llvm::enumerate(func.getResultTypes())) {
    auto tensorType = dyn_cast<RankedTensorType>(type);
    if (!outputFiles.empty() &&
        (!tensorType || !npy::getDescr(tensorType.getElementType())))
      return fail(func, "result #" + llvm::Twine(index) + " of @" +
                            func.getSymName() +
                            " has no .npy dtype to write it with");
  }

  std::optional<SmallVector<Tensor>> inputs = getInputs(func, inputFiles);
  if (!inputs)
    return 1;
  if (!saveInputsDir.empty()) {
    if (std::error_code ec = llvm::sys::fs::create_directories(saveInputsDir))
      return fail(saveInputsDir + ": " + ec.message());
    for (auto [index, input] : llvm::enumerate(*inputs)) {
      if (!npy::getDescr(input.getElementType()))
        return fail(func, "argument #" + llvm::Twine(index) + " of @" +
                              func.getSymName() +
                              " has no .npy dtype to save it with");
      SmallString<128> path(saveInputsDir);
      llvm::sys::path::append(path, "input" + llvm::Twine(index) + ".npy");
      if (llvm::Error err = npy::writeFile(path, npy::fromTensor(input)))
        return fail(llvm::toString(std::move(err)));
    }
  }

  if (checkNumerics) {
    // The checks run on this run's inputs.
    numerics::CheckNumericsOptions options;
    options.inputFiles = inputFiles;
    if (randomSeed.getNumOccurrences())
      options.inputFiles = {"--random-inputs=" + std::to_string(randomSeed)};
    checker = std::make_unique<numerics::NumericsChecker>(
        options, [&](func::FuncOp, ArrayRef<std::string>) { return *inputs; });
  }

  // The generic target: no kernel needs another input signedness, so the
  // integer computation is the one the passes produce.
  if (integer && failed(lowerToIntegerLevel(*module, {scheme, numericsPreset},
                                            CodegenTarget::Generic, configure)))
    return 1;
  FailureOr<SmallVector<Tensor>> results =
      jit ? runCompiled(*module, func, *inputs, *codegenTarget,
                        *parallelRuntime, configure)
          : interpreter::interpret(func, *inputs, /*values=*/nullptr,
                                   getLimits());
  if (failed(results) || (checker && checker->hasFailed()))
    return 1;
  if (checker &&
      failed(checker->checkResults(
          func.getLoc(), func.getSymName(),
          "the compiled code (--target=" + target + ")", 0, *results)))
    return 1;
  if (outputFiles.empty()) {
    for (const Tensor &result : *results) {
      llvm::outs() << result.type << ": ";
      printValues(result, llvm::outs());
      llvm::outs() << '\n';
    }
    return 0;
  }
  for (auto [path, result] : llvm::zip_equal(outputFiles, *results))
    if (llvm::Error err = npy::writeFile(path, npy::fromTensor(result)))
      return fail(llvm::toString(std::move(err)));
  return 0;
}
