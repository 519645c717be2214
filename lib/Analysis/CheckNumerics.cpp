//===- CheckNumerics.cpp - Every pass checked against the interpreter -----===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//

#include "qopt/Analysis/CheckNumerics.h"

#include "qopt/Analysis/Numerics.h"
#include "qopt/Dialect/QNN/IR/QNN.h"
#include "qopt/Interpreter/Npy.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassInstrumentation.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/Format.h"

#include <cmath>

using namespace mlir;
using namespace qopt;
using namespace qopt::numerics;
using interpreter::Tensor;

llvm::Expected<CheckNumericsOptions>
CheckNumericsOptions::parse(StringRef text) {
  CheckNumericsOptions options;
  SmallVector<StringRef> parts;
  text.split(parts, ',', -1, /*KeepEmpty=*/false);
  for (StringRef part : parts) {
    auto [key, value] = part.split('=');
    auto [name, function] = key.split('@');
    if (name == "inputs") {
      if (key.contains('@') && function.empty())
        return llvm::createStringError(
            "inputs@=" + value + ": expected a function name after '@'");
      std::vector<std::string> &files =
          function.empty() ? options.inputFiles
                           : options.functionInputFiles[function];
      SmallVector<StringRef> parts;
      value.split(parts, ':', -1, /*KeepEmpty=*/false);
      for (StringRef file : parts)
        files.push_back(file.str());
    } else if (key == "seeds") {
      if (value.getAsInteger(10, options.seeds) || options.seeds == 0)
        return llvm::createStringError("seeds=" + value +
                                       ": expected a positive integer");
    } else if (key == "tolerance") {
      if (value.getAsDouble(options.tolerance) || !(options.tolerance >= 0))
        return llvm::createStringError("tolerance=" + value +
                                       ": expected a nonnegative number");
    } else {
      return llvm::createStringError(
          "unknown option '" + key +
          "' of --qopt-check-numerics (inputs=A.npy:B.npy, "
          "inputs@FUNCTION=A.npy:B.npy, seeds=N, tolerance=T)");
    }
  }
  return options;
}

ArrayRef<std::string>
CheckNumericsOptions::getInputFiles(StringRef function) const {
  auto it = functionInputFiles.find(function);
  return it != functionInputFiles.end() ? ArrayRef(it->second)
                                        : ArrayRef(inputFiles);
}

namespace {

/// One stage of one function: a copy of the IR and its values on each run.
struct Stage {
  /// The copy of the function, in a module with the attributes of its own:
  /// the quantized level computes in the module's numerics.
  OwningOpRef<ModuleOp> module;
  func::FuncOp func;
  std::vector<interpreter::Environment> values;
  std::vector<SmallVector<Tensor>> results;
  /// The pass that produced it, or empty for the input.
  std::string pass;
};

/// Whether a stage computes at the float level: some qnn op other than the
/// dequantizations produces a float tensor.
bool isFloatLevel(func::FuncOp func) {
  bool found = false;
  func.walk([&](Operation *op) {
    if (!isa<qnn::QNNDialect>(op->getDialect()) ||
        isa<qnn::DequantizeOp, qnn::IntDequantizeOp>(op))
      return;
    found |= llvm::any_of(op->getResultTypes(), [](Type type) {
      return isa<FloatType>(getElementTypeOrSelf(type));
    });
  });
  return found;
}

std::string formatNumber(double value) {
  std::string text;
  llvm::raw_string_ostream(text) << llvm::format("%.6g", value);
  return text;
}

std::string formatElement(const Tensor &tensor, size_t index) {
  std::string text;
  llvm::raw_string_ostream os(text);
  if (tensor.isFloat())
    os << formatNumber(tensor.floats[index]);
  else
    os << tensor.ints[index];
  return text;
}

std::string formatIndex(ArrayRef<int64_t> shape, int64_t linear) {
  SmallVector<int64_t> index(shape.size());
  for (int64_t d = shape.size() - 1; d >= 0; --d) {
    index[d] = linear % shape[d];
    linear /= shape[d];
  }
  return "[" +
         llvm::join(llvm::map_range(
                        index, [](int64_t i) { return std::to_string(i); }),
                    ", ") +
         "]";
}

/// The first element where two tensors of one shape differ, if any.
std::optional<size_t> findDifference(const Tensor &a, const Tensor &b) {
  if (a.isFloat() != b.isFloat())
    return 0;
  size_t size = a.isFloat() ? a.floats.size() : a.ints.size();
  for (size_t i = 0; i < size; ++i) {
    bool same = a.isFloat()
                    ? (a.floats[i] == b.floats[i] ||
                       (std::isnan(a.floats[i]) && std::isnan(b.floats[i])))
                    : a.ints[i] == b.ints[i];
    if (!same)
      return i;
  }
  return std::nullopt;
}

} // namespace

struct NumericsChecker::State {
  CheckNumericsOptions options;
  InputReader readInputs;
  bool failed = false;
  /// By function name.
  llvm::StringMap<std::vector<SmallVector<Tensor>>> inputs;
  llvm::StringMap<Stage> stages;

  /// Whether the functions named by inputs@ were looked up.
  bool checkedFunctionNames = false;

  /// "seed 2" or "inputs a.npy".
  std::string describeRun(StringRef function, size_t run) const {
    ArrayRef<std::string> files = options.getInputFiles(function);
    if (!files.empty())
      return "inputs " + llvm::join(files, ", ");
    return "input seed " + std::to_string(run + 1);
  }

  /// inputs@F for a function the module does not define is a typo that
  /// would silently check F on random inputs.
  LogicalResult checkFunctionNames(func::FuncOp func) {
    if (checkedFunctionNames)
      return success();
    checkedFunctionNames = true;
    auto module = func->getParentOfType<ModuleOp>();
    for (const auto &entry : options.functionInputFiles) {
      auto named = module ? module.lookupSymbol<func::FuncOp>(entry.getKey())
                          : func::FuncOp();
      if (!named || named.isExternal()) {
        emitError(module ? module.getLoc() : func.getLoc())
            << "--qopt-check-numerics: inputs@" << entry.getKey()
            << " names no function defined in the module";
        return failure();
      }
    }
    return success();
  }

  FailureOr<std::vector<SmallVector<Tensor>> *> getRuns(func::FuncOp func) {
    auto it = inputs.find(func.getSymName());
    if (it != inputs.end())
      return &it->second;
    if (::failed(checkFunctionNames(func))) {
      failed = true;
      return failure();
    }
    std::vector<SmallVector<Tensor>> runs;
    ArrayRef<std::string> files = options.getInputFiles(func.getSymName());
    if (!files.empty()) {
      // Files that cannot be read stop the check (and fail the tool).
      FailureOr<SmallVector<Tensor>> run = readInputs(func, files);
      if (::failed(run)) {
        failed = true;
        return failure();
      }
      runs.push_back(std::move(*run));
    } else {
      // Arguments the interpreter cannot hold, of a type it does not support
      // or larger than it may allocate, are past what it runs: no error.
      ScopedDiagnosticHandler silence(func.getContext(),
                                      [](Diagnostic &) { return success(); });
      for (unsigned seed = 1; seed <= options.seeds; ++seed) {
        for (Type type : func.getArgumentTypes())
          if (!interpreter::isSupportedType(type))
            return failure();
        FailureOr<SmallVector<Tensor>> run =
            interpreter::makeRandomInputs(func, seed);
        if (::failed(run))
          return failure();
        runs.push_back(std::move(*run));
      }
    }
    return &inputs.insert({func.getSymName(), std::move(runs)}).first->second;
  }

  /// The function interpreted on every run; failure when the interpreter
  /// cannot run it (its diagnostics are dropped: the stage is simply past
  /// what the interpreter runs).
  FailureOr<Stage> interpret(func::FuncOp func, StringRef pass) {
    FailureOr<std::vector<SmallVector<Tensor>> *> runs = getRuns(func);
    if (::failed(runs))
      return failure();
    Stage stage;
    stage.module = ModuleOp::create(func.getLoc());
    if (auto parent = func->getParentOfType<ModuleOp>())
      (*stage.module)->setAttrs(parent->getAttrDictionary());
    stage.func = func.clone();
    stage.module->push_back(stage.func);
    stage.pass = pass.str();
    ScopedDiagnosticHandler silence(func.getContext(),
                                    [](Diagnostic &) { return success(); });
    for (const SmallVector<Tensor> &run : **runs) {
      stage.values.emplace_back();
      FailureOr<SmallVector<Tensor>> results =
          interpreter::interpret(stage.func, run, &stage.values.back());
      if (::failed(results))
        return failure();
      stage.results.push_back(std::move(*results));
    }
    return stage;
  }

  void snapshot(func::FuncOp func, StringRef pass) {
    auto it = stages.find(func.getSymName());
    if (it != stages.end() && it->second.func)
      return;
    FailureOr<Stage> stage = interpret(func, pass);
    if (::succeeded(stage))
      stages[func.getSymName()] = std::move(*stage);
  }

  LogicalResult compare(func::FuncOp func, Pass *pass);
};

LogicalResult NumericsChecker::State::compare(func::FuncOp func, Pass *pass) {
  auto old = stages.find(func.getSymName());
  if (old == stages.end() || !old->second.func)
    return success();
  StringRef passName = pass->getArgument();
  FailureOr<Stage> next = interpret(func, passName);
  if (::failed(next)) {
    // Past the interpreter: the last stage it ran stays the reference for
    // the compiled code.
    return success();
  }
  Stage &before = old->second;
  if (isFloatLevel(before.func)) {
    // Quantization and float rewrites change values: the results must stay
    // within the tolerance.
    for (size_t run = 0; run < next->results.size(); ++run)
      for (auto [index, pair] : llvm::enumerate(
               llvm::zip_equal(before.results[run], next->results[run]))) {
        auto [a, b] = pair;
        if (!a.isFloat() || !b.isFloat() || a.floats.size() != b.floats.size())
          continue;
        double scale = 0, worst = 0;
        size_t at = 0;
        for (size_t i = 0; i < a.floats.size(); ++i) {
          scale = std::max(scale, std::abs(a.floats[i]));
          double d = std::abs(a.floats[i] - b.floats[i]);
          if (d > worst || std::isnan(d)) {
            worst = d;
            at = i;
          }
        }
        if (!(worst <= options.tolerance * scale)) {
          emitError(func.getLoc())
              << "--qopt-check-numerics: pass '" << passName
              << "' changed result #" << index << " by " << formatNumber(worst)
              << " at " << formatIndex(a.getShape(), at) << " ("
              << formatNumber(a.floats[at]) << " before, "
              << formatNumber(b.floats[at])
              << " after), more than the tolerance "
              << formatNumber(options.tolerance)
              << " times its largest magnitude " << formatNumber(scale) << " ("
              << describeRun(func.getSymName(), run) << ")";
          return failure();
        }
      }
    before = std::move(*next);
    return success();
  }

  // Exact: every value is compared with the value it stands for before the
  // pass, in program order, so the first difference names the op at fault.
  ValueIndex index(before.func);
  for (size_t run = 0; run < next->results.size(); ++run) {
    bool changed = false;
    next->func.walk([&](Operation *op) {
      if (changed || isConstant(op) || op->getNumResults() != 1)
        return;
      Value result = op->getResult(0);
      Value counterpart = index.findCounterpart(result, TypeMatch::Storage);
      if (!counterpart)
        return;
      const Tensor *a = before.values[run].lookup(counterpart);
      const Tensor *b = next->values[run].lookup(result);
      if (!a || !b)
        return;
      std::optional<size_t> at = findDifference(*a, *b);
      if (!at)
        return;
      // At the op's location, which the live IR shares.
      emitError(op->getLoc())
          << "--qopt-check-numerics: pass '" << passName
          << "' changed the result of " << op->getName() << ": element "
          << formatIndex(b->getShape(), *at) << " is " << formatElement(*b, *at)
          << ", was " << formatElement(*a, *at) << " ("
          << describeRun(func.getSymName(), run) << ")";
      changed = true;
    });
    if (changed)
      return failure();
    for (auto [i, pair] : llvm::enumerate(
             llvm::zip_equal(before.results[run], next->results[run]))) {
      auto [a, b] = pair;
      if (std::optional<size_t> at = findDifference(a, b)) {
        emitError(func.getLoc())
            << "--qopt-check-numerics: pass '" << passName
            << "' changed result #" << i << ": element "
            << formatIndex(b.getShape(), *at) << " is " << formatElement(b, *at)
            << ", was " << formatElement(a, *at) << " ("
            << describeRun(func.getSymName(), run) << ")";
        return failure();
      }
    }
  }
  before = std::move(*next);
  return success();
}

namespace {

/// The functions a pass ran on.
SmallVector<func::FuncOp> getFunctions(Operation *op) {
  SmallVector<func::FuncOp> funcs;
  if (auto func = dyn_cast<func::FuncOp>(op))
    funcs.push_back(func);
  else if (auto module = dyn_cast<ModuleOp>(op))
    for (auto func : module.getOps<func::FuncOp>())
      if (!func.isExternal())
        funcs.push_back(func);
  return funcs;
}

class CheckNumericsInstrumentation : public PassInstrumentation {
public:
  explicit CheckNumericsInstrumentation(
      std::shared_ptr<NumericsChecker::State> state)
      : state(std::move(state)) {}

  void runBeforePass(Pass *pass, Operation *op) override {
    // Pass managers' adaptors have no argument: their passes are checked.
    if (state->failed || pass->getArgument().empty())
      return;
    for (func::FuncOp func : getFunctions(op))
      state->snapshot(func, "");
  }

  void runAfterPass(Pass *pass, Operation *op) override {
    if (state->failed || pass->getArgument().empty())
      return;
    for (func::FuncOp func : getFunctions(op))
      if (failed(state->compare(func, pass))) {
        state->failed = true;
        return;
      }
  }

  /// The copies of the IR belong to the pass manager's context, which may
  /// go before the checker: only the results stay, for checkResults. The
  /// next pass manager starts from its own input.
  ~CheckNumericsInstrumentation() override {
    for (auto &entry : state->stages) {
      entry.second.func = nullptr;
      entry.second.module = nullptr;
      entry.second.values.clear();
    }
  }

private:
  std::shared_ptr<NumericsChecker::State> state;
};

} // namespace

NumericsChecker::NumericsChecker(CheckNumericsOptions options,
                                 InputReader readInputs)
    : state(std::make_shared<State>()) {
  state->options = std::move(options);
  state->readInputs = std::move(readInputs);
}

NumericsChecker::~NumericsChecker() = default;

void NumericsChecker::instrument(PassManager &pm) {
  pm.getContext()->disableMultithreading();
  pm.addInstrumentation(std::make_unique<CheckNumericsInstrumentation>(state));
}

bool NumericsChecker::hasFailed() const { return state->failed; }

ArrayRef<SmallVector<Tensor>>
NumericsChecker::getInputs(StringRef function) const {
  auto it = state->inputs.find(function);
  if (it == state->inputs.end() || !state->stages.count(function))
    return {};
  return it->second;
}

ArrayRef<SmallVector<Tensor>>
NumericsChecker::getResults(StringRef function) const {
  auto it = state->stages.find(function);
  if (it == state->stages.end())
    return {};
  return it->second.results;
}

LogicalResult NumericsChecker::checkResults(Location loc, StringRef function,
                                            StringRef stage, size_t run,
                                            ArrayRef<Tensor> results) {
  ArrayRef<SmallVector<Tensor>> expected = getResults(function);
  if (run >= expected.size())
    return success();
  for (auto [i, pair] :
       llvm::enumerate(llvm::zip_equal(expected[run], results))) {
    auto [a, b] = pair;
    if (std::optional<size_t> at = findDifference(a, b)) {
      emitError(loc) << "--qopt-check-numerics: " << stage << " of @"
                     << function << " changed result #" << i << ": element "
                     << formatIndex(b.getShape(), *at) << " is "
                     << formatElement(b, *at) << ", the interpreter gives "
                     << formatElement(a, *at) << " after pass '"
                     << state->stages[function].pass << "' ("
                     << state->describeRun(function, run) << ")";
      state->failed = true;
      return failure();
    }
  }
  return success();
}

FailureOr<SmallVector<Tensor>>
numerics::readNpyInputs(func::FuncOp func, ArrayRef<std::string> files) {
  if (files.size() != func.getNumArguments())
    return emitError(func.getLoc(), "--qopt-check-numerics: @")
           << func.getSymName() << " takes " << func.getNumArguments()
           << " arguments but " << files.size() << " input files were given";
  SmallVector<Tensor> inputs;
  interpreter::Limits limits;
  for (auto [index, type] : llvm::enumerate(func.getArgumentTypes())) {
    if (!interpreter::isSupportedType(type))
      return emitError(func.getLoc(), "--qopt-check-numerics: argument #")
             << index << " has type " << type
             << ", which the reference interpreter does not support";
    llvm::Expected<Tensor> input =
        npy::readArgument(files[index], index, cast<RankedTensorType>(type),
                          limits.maxTensorBytes);
    if (!input)
      return emitError(func.getLoc(), "--qopt-check-numerics: ")
             << llvm::toString(input.takeError());
    inputs.push_back(std::move(*input));
  }
  return inputs;
}

//===----------------------------------------------------------------------===//
// --qopt-test-perturb-constant
//===----------------------------------------------------------------------===//

namespace {

struct TestPerturbConstantPass
    : PassWrapper<TestPerturbConstantPass, OperationPass<func::FuncOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(TestPerturbConstantPass)

  StringRef getArgument() const final { return "qopt-test-perturb-constant"; }
  StringRef getDescription() const final {
    return "For tests only: adds 1 to the first element of the first integer "
           "tensor constant (what --qopt-check-numerics must catch)";
  }

  void runOnOperation() override {
    getOperation().walk([&](arith::ConstantOp op) {
      auto values = dyn_cast<DenseIntElementsAttr>(op.getValue());
      if (!values || values.empty())
        return WalkResult::advance();
      SmallVector<APInt> perturbed(values.getValues<APInt>());
      perturbed.front() += 1;
      op.setValueAttr(DenseIntElementsAttr::get(values.getType(), perturbed));
      return WalkResult::interrupt();
    });
  }
};

} // namespace

void numerics::registerTestPerturbConstantPass() {
  PassRegistration<TestPerturbConstantPass>();
}
