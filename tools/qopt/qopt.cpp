//===- qopt.cpp - The qopt driver -----------------------------------------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// mlir-opt for quantized networks: every flag of MlirOptMain, with the qopt
// dialects, passes and pipelines registered, and --qopt-check-numerics, which
// checks every pass with the reference interpreter (docs/numerics.md).
//
//===----------------------------------------------------------------------===//

#include "qopt/Analysis/CheckNumerics.h"
#include "qopt/InitAll.h"
#include "qopt/Support/Version.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"

using namespace mlir;

static llvm::cl::opt<std::string> checkNumerics(
    "qopt-check-numerics", llvm::cl::ValueOptional,
    llvm::cl::desc("Run the reference interpreter after every pass on random "
                   "inputs (seeds 1 to N) and stop at the first pass that "
                   "changes a result: bit for bit from the quantized level "
                   "down, within the tolerance (relative to the largest "
                   "result) at float-level steps (docs/numerics.md)"),
    llvm::cl::value_desc("seeds=N,tolerance=T"));

int main(int argc, char **argv) {
  DialectRegistry registry;
  qopt::registerAllDialects(registry);
  qopt::registerAllPasses();
  qopt::numerics::registerTestPerturbConstantPass();
  llvm::cl::SetVersionPrinter(qopt::printVersion);
  auto [inputFilename, outputFilename] = registerAndParseCLIOptions(
      argc, argv, "qopt: quantized neural network optimizer\n", registry);
  MlirOptMainConfig config = MlirOptMainConfig::createFromCLOptions();

  std::unique_ptr<qopt::numerics::NumericsChecker> checker;
  if (checkNumerics.getNumOccurrences()) {
    llvm::Expected<qopt::numerics::CheckNumericsOptions> options =
        qopt::numerics::CheckNumericsOptions::parse(checkNumerics);
    if (options && !options->inputFiles.empty())
      options = llvm::createStringError(
          "--qopt-check-numerics: inputs= is for qopt-run; qopt checks on "
          "random inputs (seeds=N)");
    if (!options) {
      llvm::WithColor::error(llvm::errs(), "qopt")
          << llvm::toString(options.takeError()) << '\n';
      return 1;
    }
    checker = std::make_unique<qopt::numerics::NumericsChecker>(
        std::move(*options), nullptr);
    MlirOptMainConfig pipeline = config;
    config.setPassPipelineSetupFn([pipeline, &checker](PassManager &pm) {
      if (failed(pipeline.setupPassPipeline(pm)))
        return failure();
      pm.addInstrumentation(checker->createInstrumentation());
      return success();
    });
  }

  std::string error;
  std::unique_ptr<llvm::MemoryBuffer> input =
      openInputFile(inputFilename, &error);
  if (!input) {
    llvm::errs() << error << '\n';
    return 1;
  }
  std::unique_ptr<llvm::ToolOutputFile> output =
      openOutputFile(outputFilename, &error);
  if (!output) {
    llvm::errs() << error << '\n';
    return 1;
  }
  if (failed(MlirOptMain(output->os(), std::move(input), registry, config)) ||
      (checker && checker->hasFailed()))
    return 1;
  output->keep();
  return 0;
}
