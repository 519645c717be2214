//===- qopt.cpp - The qopt driver -----------------------------------------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// mlir-opt for quantized networks: every flag of MlirOptMain, with the qopt
// dialects, passes and pipelines registered, and --qopt-check-numerics, which
// checks every pass with the reference interpreter (docs/numerics.md). The
// files are opened by qopt::processIRFile, where MlirOptMain(argc, argv, ...)
// would read the input without a size limit (/dev/zero until memory runs
// out) and abort on a write error ("LLVM ERROR: IO failure on output
// stream"): the input is read within --max-ir-bytes and a write error names
// the output file.
//
//===----------------------------------------------------------------------===//

#include "qopt/Analysis/CheckNumerics.h"
#include "qopt/InitAll.h"
#include "qopt/Support/FileUtilities.h"
#include "qopt/Support/Version.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/WithColor.h"

using namespace mlir;

static llvm::cl::opt<std::string> checkNumerics(
    "qopt-check-numerics", llvm::cl::ValueOptional,
    llvm::cl::desc("Run the reference interpreter after every pass on the "
                   ".npy files of inputs= (one per argument) or on random "
                   "inputs (seeds 1 to N) and stop at the first pass that "
                   "changes a result: bit for bit from the quantized level "
                   "down, within the tolerance (relative to the largest "
                   "result) at float-level steps (docs/numerics.md)"),
    llvm::cl::value_desc("inputs[@FUNCTION]=A.npy:B.npy,seeds=N,tolerance=T"));

static int fail(const llvm::Twine &message) {
  llvm::WithColor::error(llvm::errs(), "qopt") << message << '\n';
  return EXIT_FAILURE;
}

int main(int argc, char **argv) {
  llvm::InitLLVM y(argc, argv);
  DialectRegistry registry;
  qopt::registerAllDialects(registry);
  qopt::registerAllPasses();
  qopt::registerIRFileCLOptions();
  qopt::numerics::registerTestPerturbConstantPass();
  llvm::cl::SetVersionPrinter(qopt::printVersion);
  auto [inputFilename, outputFilename] = registerAndParseCLIOptions(
      argc, argv, "qopt: quantized neural network optimizer\n", registry);
  MlirOptMainConfig config = MlirOptMainConfig::createFromCLOptions();

  // These print what is registered and read no input.
  if (config.shouldShowDialects() || config.shouldListPasses())
    return asMainReturnCode(MlirOptMain(
        llvm::outs(), llvm::MemoryBuffer::getMemBuffer(""), registry, config));

  std::unique_ptr<qopt::numerics::NumericsChecker> checker;
  if (checkNumerics.getNumOccurrences()) {
    llvm::Expected<qopt::numerics::CheckNumericsOptions> options =
        qopt::numerics::CheckNumericsOptions::parse(checkNumerics);
    if (!options)
      return fail(llvm::toString(options.takeError()));
    checker =
        std::make_unique<qopt::numerics::NumericsChecker>(std::move(*options));
    MlirOptMainConfig pipeline = config;
    config.setPassPipelineSetupFn([pipeline, &checker](PassManager &pm) {
      if (failed(pipeline.setupPassPipeline(pm)))
        return failure();
      checker->instrument(pm);
      return success();
    });
  }

  return qopt::processIRFile(
      "qopt", inputFilename, outputFilename,
      [&](std::unique_ptr<llvm::MemoryBuffer> input, llvm::raw_ostream &os) {
        if (failed(MlirOptMain(os, std::move(input), registry, config)))
          return failure();
        return failure(checker && checker->hasFailed());
      });
}
