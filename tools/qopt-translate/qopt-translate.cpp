//===- qopt-translate.cpp - The qopt translation driver -------------------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
//   qopt-translate (--qopt-export-json | --qopt-export-c-header) [FILE.mlir]
//                  [-o FILE] [--split-input-file[=MARKER]]
//                  [--output-split-marker=MARKER] [--verify-diagnostics]
//                  [--max-ir-bytes=N]
//
// mlir-translate for quantized networks, with the qopt exports registered.
// The driver is its own rather than mlirTranslateMain, which reads the input
// without a size limit (/dev/zero until memory runs out) and aborts on a
// write error ("LLVM ERROR: IO failure on output stream"): the files are
// opened by qopt::processIRFile, which reads the input within --max-ir-bytes
// and names the output file in a write error. It runs one translation, as the exports print JSON or C that no
// other translation reads.
//
//===----------------------------------------------------------------------===//

#include "qopt/Support/FileUtilities.h"
#include "qopt/Support/Version.h"
#include "qopt/Target/ParamsExport.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Support/ToolUtilities.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/WithColor.h"

#include <cstdlib>

using namespace mlir;

static llvm::cl::opt<std::string> inputFilename(llvm::cl::Positional,
                                                llvm::cl::desc("<input file>"),
                                                llvm::cl::init("-"));
static llvm::cl::opt<std::string>
    outputFilename("o", llvm::cl::desc("Output filename"),
                   llvm::cl::value_desc("filename"), llvm::cl::init("-"));
static llvm::cl::opt<std::string> inputSplitMarker{
    "split-input-file", llvm::cl::ValueOptional,
    llvm::cl::callback([](const std::string &marker) {
      // Without a value, the default marker.
      if (marker.empty())
        inputSplitMarker.setValue(kDefaultSplitMarker);
    }),
    llvm::cl::desc("Split the input file into chunks using the given or "
                   "default marker and translate each chunk independently"),
    llvm::cl::init("")};
static llvm::cl::opt<std::string> outputSplitMarker(
    "output-split-marker",
    llvm::cl::desc("The marker between the outputs of the chunks"),
    llvm::cl::init(""));
static llvm::cl::opt<bool> verifyDiagnostics(
    "verify-diagnostics",
    llvm::cl::desc("Check that emitted diagnostics match expected-* lines on "
                   "the corresponding line"));

static int fail(const llvm::Twine &message) {
  llvm::WithColor::error(llvm::errs(), "qopt-translate") << message << '\n';
  return EXIT_FAILURE;
}

int main(int argc, char **argv) {
  llvm::InitLLVM y(argc, argv);
  qopt::registerParamsExportTranslations();
  // After the registrations: the parser makes one flag per translation.
  llvm::cl::list<const Translation *, bool, TranslationParser> translations(
      llvm::cl::desc("Translation to perform"), llvm::cl::Required);
  registerAsmPrinterCLOptions();
  registerMLIRContextCLOptions();
  registerTranslationCLOptions();
  qopt::registerIRFileCLOptions();
  llvm::cl::SetVersionPrinter(qopt::printVersion);
  llvm::cl::ParseCommandLineOptions(argc, argv,
                                    "qopt-translate: quantized network "
                                    "exports\n");
  if (translations.size() != 1)
    return fail("expected one translation, got " +
                llvm::Twine(translations.size()));
  const Translation &translation = *translations.front();

  auto translateChunk = [&](std::unique_ptr<llvm::MemoryBuffer> chunk,
                            raw_ostream &os) -> LogicalResult {
    MLIRContext context;
    context.printOpOnDiagnostic(!verifyDiagnostics);
    auto sourceMgr = std::make_shared<llvm::SourceMgr>();
    sourceMgr->AddNewSourceBuffer(std::move(chunk), llvm::SMLoc());
    if (!verifyDiagnostics) {
      SourceMgrDiagnosticHandler handler(*sourceMgr, &context);
      return translation(sourceMgr, os, &context);
    }
    // Whether the translation fails does not matter, only whether its
    // diagnostics are the expected ones.
    SourceMgrDiagnosticVerifierHandler handler(*sourceMgr, &context);
    (void)translation(sourceMgr, os, &context);
    return handler.verify();
  };
  return qopt::processIRFile(
      "qopt-translate", inputFilename, outputFilename,
      [&](std::unique_ptr<llvm::MemoryBuffer> input, raw_ostream &os) {
        return splitAndProcessBuffer(std::move(input), translateChunk, os,
                                     inputSplitMarker, outputSplitMarker);
      });
}
