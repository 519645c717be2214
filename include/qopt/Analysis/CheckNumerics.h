//===- CheckNumerics.h - Each pass checked by the interpreter ---*- C++ -*-===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// --qopt-check-numerics: a pass instrumentation that runs the reference
// interpreter on every function after every pass, on given or random inputs,
// and compares each stage with the one before (docs/numerics.md). From the
// quantized level down, passes must not change any value: every op's result
// is compared bit for bit with the value it stands for before the pass
// (related by location, as the numerics report relates layers), and the
// first difference is an error at the op naming the pass, the element and
// the input. A step that starts at the float level (batch-norm folding,
// quantization) is compared on the function's results within a stated
// tolerance. Stages the interpreter cannot run (after bufferization) are
// left to the tools, which compare the compiled code with the last stage
// the interpreter ran (checkResults).
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_ANALYSIS_CHECKNUMERICS_H
#define QOPT_ANALYSIS_CHECKNUMERICS_H

#include "qopt/Interpreter/Interpreter.h"

#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"

#include <functional>
#include <memory>
#include <string>

namespace qopt::numerics {

struct CheckNumericsOptions {
  /// .npy files, one per argument of the functions checked; none for random
  /// inputs.
  std::vector<std::string> inputFiles;
  /// Per function name, its own .npy files, in place of `inputFiles`: a
  /// module's functions seldom take the same arguments.
  llvm::StringMap<std::vector<std::string>> functionInputFiles;
  /// Random inputs (interpreter::makeRandomInputs) with seeds 1 to `seeds`.
  unsigned seeds = 1;
  /// At steps from the float level: the largest |difference| of a result
  /// allowed, relative to the largest |value| of the result before.
  double tolerance = 0.1;

  /// The files `function` runs on; empty for random inputs.
  llvm::ArrayRef<std::string> getInputFiles(llvm::StringRef function) const;

  /// Parses "inputs=A.npy:B.npy,inputs@F=C.npy,seeds=N,tolerance=T" (each
  /// part optional; `inputs@F` for function @F only).
  static llvm::Expected<CheckNumericsOptions> parse(llvm::StringRef text);
};

/// Reads the tensors of `files` for the arguments of a function (each file
/// of its argument's type), or emits an error at the function.
using InputReader =
    std::function<mlir::FailureOr<llvm::SmallVector<interpreter::Tensor>>(
        mlir::func::FuncOp, llvm::ArrayRef<std::string>)>;

/// The InputReader of qopt and qopt-compile: one .npy file per argument
/// (npy::readArgument), errors at the function.
mlir::FailureOr<llvm::SmallVector<interpreter::Tensor>>
readNpyInputs(mlir::func::FuncOp func, llvm::ArrayRef<std::string> files);

/// The state of one checked run, shared by the instrumentations of its pass
/// managers.
class NumericsChecker {
public:
  /// Without `readInputs`, readNpyInputs reads the files of `options`.
  NumericsChecker(CheckNumericsOptions options,
                  InputReader readInputs = readNpyInputs);
  ~NumericsChecker();

  /// Adds the checks to `pm`, one of the run's pass managers, and makes its
  /// context run passes on one thread: the checks share their state across
  /// functions, and silence the interpreter's diagnostics while they run,
  /// which would also silence a pass running on another function meanwhile.
  void instrument(mlir::PassManager &pm);

  /// Whether a check failed (an error has been emitted).
  bool hasFailed() const;

  /// The inputs the checks ran `function` on (one list per run) and the
  /// results of the last stage the interpreter ran, for a tool to compare
  /// compiled code with; empty when the function was never interpreted.
  llvm::ArrayRef<llvm::SmallVector<interpreter::Tensor>>
  getInputs(llvm::StringRef function) const;
  llvm::ArrayRef<llvm::SmallVector<interpreter::Tensor>>
  getResults(llvm::StringRef function) const;

  /// Compares `results` of compiled `function` on run `run` of getInputs
  /// with the interpreter's, bit for bit; on a difference emits an error at
  /// `loc` naming `stage`, the result, the element and the input.
  mlir::LogicalResult checkResults(mlir::Location loc, llvm::StringRef function,
                                   llvm::StringRef stage, size_t run,
                                   llvm::ArrayRef<interpreter::Tensor> results);

  struct State;

private:
  std::shared_ptr<State> state;
};

/// Registers --qopt-test-perturb-constant, a pass for tests only: it adds 1
/// to the first element of the first integer tensor constant of each
/// function, the kind of silent change --qopt-check-numerics must catch.
void registerTestPerturbConstantPass();

} // namespace qopt::numerics

#endif // QOPT_ANALYSIS_CHECKNUMERICS_H
