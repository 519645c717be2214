//===- qopt-fuzz.cpp - libFuzzer target over the whole compiler -----------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// Each input is the text of a module, optionally led by a line that names
// what to run it through:
//
//   // qopt-fuzz: NAME[{OPTIONS}]
//
// where NAME is any qopt pass or pipeline as `qopt` spells it without the
// dashes (qopt-x86-lower-layers, qopt-fold-batch-norm, qopt-pipeline, ...)
// and OPTIONS its options as in a textual pass pipeline, e.g.
// `qopt-pipeline{target=aarch64-i8mm parallel=true parallel-runtime=openmp}`.
// One stage runs on its own, as `qopt --NAME` or an embedder's pass manager
// runs it on IR of any level; without the line (or with a NAME that is no
// qopt pass) the stage is qopt-pipeline{target=host}. The input goes through
// what a user's file goes through: the parser and the verifiers, the
// reference interpreter on every function small enough to run, both
// exports of qopt-translate, then the stage. The fuzzer mutates the line
// too, so it explores the targets, the parallel runtimes and every pass's
// options; scripts/fuzz.sh seeds it from the passes of each test's RUN lines.
//
// Diagnostics are the expected answer to bad input and are swallowed; what
// the fuzzer reports is what a user must never see: a crash, an assertion,
// "LLVM ERROR", a sanitizer report, a leak, a timeout or running out of
// memory. Built only with -DQOPT_ENABLE_FUZZER=ON; scripts/fuzz.sh builds
// and runs it.
//
//===----------------------------------------------------------------------===//

#include "qopt/InitAll.h"
#include "qopt/Interpreter/Interpreter.h"
#include "qopt/Pipelines/Pipelines.h"
#include "qopt/Target/ParamsExport.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/Support/raw_ostream.h"

#include <cstddef>
#include <cstdint>
#include <string>

using namespace mlir;
using qopt::interpreter::Tensor;

/// The interpreter holds every value of a function in memory and evaluates
/// contractions naively: it runs only functions whose tensors all have at
/// most this many elements, so that an input spends its time on code paths
/// rather than on arithmetic (a 1024-element conv output over a
/// 1024-element window is about a million multiply-adds).
static constexpr int64_t kMaxInterpretedElements = 1024;

/// ASan's options when nothing overrides them. libMLIR.so is not
/// instrumented, but the LLVM allocators inlined into qopt's code are: a slab
/// that qopt's copy of BumpPtrAllocator starts is poisoned by it, and
/// libMLIR's copy then hands out the rest of the slab without unpoisoning
/// (a "use-after-poison" in the parser, writing a location into the
/// context's attribute storage after qopt created a #qnn.ties there). The
/// allocators' manual poisoning cannot be coherent across the two; turning it
/// off leaves ASan's own heap, stack and global checks as they are. Set here
/// rather than in scripts/fuzz.sh so that rerunning an artifact sees the same.
extern "C" const char *__asan_default_options() {
  return "allow_user_poisoning=0";
}

static DialectRegistry &getRegistry() {
  static DialectRegistry registry;
  return registry;
}

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  qopt::registerAllDialects(getRegistry());
  qopt::registerAllPasses();
  return 0;
}

/// Whether every tensor `func` takes, returns or computes is one the
/// interpreter can hold and small enough to evaluate quickly.
static bool isSmallEnoughToInterpret(func::FuncOp func) {
  auto isSmall = [](Type type) {
    auto tensorType = dyn_cast<RankedTensorType>(type);
    if (!tensorType)
      return !isa<ShapedType>(type);
    return tensorType.hasStaticShape() &&
           tensorType.getNumElements() <= kMaxInterpretedElements;
  };
  if (!llvm::all_of(func.getArgumentTypes(), isSmall))
    return false;
  WalkResult walk = func.walk([&](Operation *op) {
    return llvm::all_of(op->getResultTypes(), isSmall) ? WalkResult::advance()
                                                       : WalkResult::interrupt();
  });
  return !walk.wasInterrupted();
}

/// A tensor of `type` with values spread over its value range (floats over
/// [-1, 1]), so that inputs are neither all zero nor all saturated.
static Tensor makeInput(RankedTensorType type) {
  Tensor tensor{type, {}, {}};
  Type element = type.getElementType();
  int64_t numElements = type.getNumElements();
  if (auto floatType = dyn_cast<FloatType>(element)) {
    for (int64_t i = 0; i < numElements; ++i)
      tensor.floats.push_back(qopt::interpreter::roundToFloatType(
          double((i * 37) % 65) / 32 - 1, floatType));
    return tensor;
  }
  auto [min, max] = qopt::interpreter::getValueRange(element);
  // The number of values, 0 (2^64) for 64-bit storage.
  uint64_t count = uint64_t(max) - uint64_t(min) + 1;
  for (int64_t i = 0; i < numElements; ++i) {
    uint64_t bits = uint64_t(i) * 0x9e3779b97f4a7c15u;
    tensor.ints.push_back(int64_t(uint64_t(min) + (count ? bits % count : bits)));
  }
  return tensor;
}

static void interpretSmallFunctions(ModuleOp module) {
  module.walk([](func::FuncOp func) {
    if (func.isExternal() || !isSmallEnoughToInterpret(func))
      return;
    SmallVector<Tensor> inputs;
    for (Type type : func.getArgumentTypes()) {
      if (!qopt::interpreter::isSupportedType(type))
        return;
      inputs.push_back(makeInput(cast<RankedTensorType>(type)));
    }
    (void)qopt::interpreter::interpret(func, inputs);
  });
}

/// The leading line that names an input's stage.
static constexpr llvm::StringLiteral kStagePrefix = "// qopt-fuzz:";

/// Adds the stage that `text`'s leading line names to `pm`, else
/// qopt-pipeline{target=host}. Fails when the line names a qopt pass with
/// options it rejects, which is a diagnostic as qopt would give.
static LogicalResult addStage(StringRef text, OpPassManager &pm) {
  auto errorHandler = [](const Twine &) { return failure(); };
  if (text.consume_front(kStagePrefix)) {
    StringRef line = text.take_until([](char c) { return c == '\n'; }).trim();
    // The options are what the outermost braces hold.
    auto [name, options] = line.split('{');
    name = name.trim();
    options = options.substr(0, options.rfind('}'));
    // Only qopt's own stages: an upstream pass crashing on IR it was never
    // meant for is no finding of qopt's.
    if (name.starts_with("qopt-")) {
      if (const PassInfo *pass = PassInfo::lookup(name))
        return pass->addToPipeline(pm, options, errorHandler);
      if (const PassPipelineInfo *pipeline = PassPipelineInfo::lookup(name))
        return pipeline->addToPipeline(pm, options, errorHandler);
    }
  }
  qopt::CompilePipelineOptions options;
  options.lowering.target = qopt::CodegenTarget::Host;
  qopt::buildCompilePipeline(pm, options);
  return success();
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // One context per input, so that nothing one input creates (uniqued
  // types and attributes, loaded dialects) outlives it; no thread pool, as
  // the fuzzer runs one input at a time.
  MLIRContext context(getRegistry(), MLIRContext::Threading::DISABLED);
  ScopedDiagnosticHandler swallow(&context,
                                  [](Diagnostic &) { return success(); });

  // The parser verifies what it parsed. MLIR's lexer finds the end of its
  // buffer by the NUL after it, as every tool's buffer (read from a file)
  // has; libFuzzer's input has none, so it is copied into a string that has.
  std::string text(reinterpret_cast<const char *>(data), size);
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(text, &context);
  if (!module)
    return 0;

  // The interpreter and the exports only read the IR; the stage then
  // rewrites it.
  interpretSmallFunctions(*module);
  (void)qopt::exportParamsAsJson(*module, llvm::nulls());
  (void)qopt::exportParamsAsCHeader(*module, llvm::nulls());

  // Function passes nest on every func.func, as qopt nests them.
  PassManager pm(&context, ModuleOp::getOperationName(),
                 OpPassManager::Nesting::Implicit);
  if (succeeded(addStage(text, pm)))
    (void)pm.run(*module);
  return 0;
}
