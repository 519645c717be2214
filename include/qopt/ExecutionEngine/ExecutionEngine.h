//===- ExecutionEngine.h - Compile and run qopt IR --------------*- C++ -*-===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// Compiles a function of qopt IR to machine code, just in time for the host
// (runJit) or ahead of time to an object file and a C header (emitObject,
// emitCHeader). Both use the flat calling convention of
// qopt::LowerToLLVMOptions: one pointer per argument tensor, then one per
// result tensor, each to the row-major elements, results written into
// buffers the caller allocates. docs/aot.md documents it for applications.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_EXECUTIONENGINE_EXECUTIONENGINE_H
#define QOPT_EXECUTIONENGINE_EXECUTIONENGINE_H

#include "qopt/Interpreter/Interpreter.h"
#include "qopt/Pipelines/Pipelines.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LLVM.h"
#include "mlir/Support/Timing.h"

#include <string>

namespace llvm {
class raw_pwrite_stream;
} // namespace llvm

namespace mlir {
class PassManager;
} // namespace mlir

namespace qopt {

/// Prepares each PassManager that lowerToIntegerLevel and lowerToLLVMDialect
/// create before it runs: a tool applies MLIR's pass-manager options here
/// (PassManagerCLOptions) or adds its instrumentations. A failure stops the
/// lowering.
using ConfigurePassManager =
    llvm::function_ref<mlir::LogicalResult(mlir::PassManager &)>;

/// MLIR's pass-manager command-line options, as mlir-opt takes them, for a
/// tool that lowers with the functions below: --mlir-timing,
/// --mlir-print-ir-before/after(-all), --mlir-pass-statistics,
/// --mlir-pass-pipeline-crash-reproducer and the others of
/// mlir::registerPassManagerCLOptions. Create it after parsing the command
/// line and pass `apply` as the ConfigurePassManager; the timing report is
/// printed when it is destroyed.
class PassManagerCLOptions {
public:
  /// Registers the options, with the context and printer options that the IR
  /// printing and crash reproducers obey (--mlir-print-debuginfo,
  /// --mlir-disable-threading, ...). Call before parsing the command line
  /// and after registering the passes (qopt::registerAllPasses), which
  /// --mlir-print-ir-before/after name.
  static void registerCLOptions();

  PassManagerCLOptions();

  /// Applies the options to `pm`; every PassManager of one run reports its
  /// times under the same root.
  mlir::LogicalResult apply(mlir::PassManager &pm);

private:
  mlir::DefaultTimingManager timingManager;
  mlir::TimingScope timing;
};

/// Takes IR at any level to the integer level with the passes of the README
/// (addIntegerLevelPasses: --qopt-fold-batch-norm,
/// --qopt-propagate-quant-params, --qopt-rewrite-multipliers with
/// `quantization`'s scheme and numerics, --qopt-expand-zero-points), each a
/// no-op on IR past its level; the zero-point expansion also gives
/// integer-level IR the input signedness of `target`'s layer kernels (u8 for
/// x86 AVX-512 VNNI, s8 for AArch64 dotprod).
mlir::LogicalResult
lowerToIntegerLevel(mlir::ModuleOp module,
                    const QuantizationOptions &quantization,
                    CodegenTarget target,
                    ConfigurePassManager configure = nullptr);

/// The function the tools run or compile: the one named `name`, or the first
/// func.func when `name` is empty. Emits an error at the module and returns
/// null when there is none.
mlir::func::FuncOp lookupEntryFunction(mlir::ModuleOp module,
                                       llvm::StringRef name);

/// The size in bytes of a buffer holding a value of `type`: a ranked tensor
/// type of static shape with integer or float elements of 8 to 64 bits.
/// None for other types.
std::optional<int64_t> getBufferSize(mlir::Type type);

/// Lowers integer-level `module` to the LLVM dialect for `options.target`,
/// always with the flat calling convention. Every argument of a public function
/// is marked read-only for bufferization, so that compiled code never writes
/// its inputs (the C header declares them const). Every argument and result
/// type of the public functions must have a getBufferSize.
mlir::LogicalResult
lowerToLLVMDialect(mlir::ModuleOp module, LowerToLLVMOptions options = {},
                   ConfigurePassManager configure = nullptr);

/// Compiles LLVM-dialect `module` (from lowerToLLVMDialect) for the host and
/// calls `function` on `inputs`, one buffer per argument, writing its results
/// into `outputs`, one buffer per result. Each buffer holds the row-major
/// elements of one tensor in the host's byte order and must have the size
/// getBufferSize gives for the function's type before lowering, which the
/// caller checks. On failure, an error has been emitted at the module.
mlir::LogicalResult runJit(mlir::ModuleOp module, llvm::StringRef function,
                           llvm::ArrayRef<const void *> inputs,
                           llvm::ArrayRef<void *> outputs);

/// runJit on tensors: `inputs` are the arguments and `resultTypes` the types
/// of the results, tensors whose bytes (interpreter::toBytes, in the host's
/// byte order) are the buffers `function` takes and writes.
mlir::FailureOr<llvm::SmallVector<interpreter::Tensor>>
runJit(mlir::ModuleOp module, llvm::StringRef function,
       llvm::ArrayRef<interpreter::Tensor> inputs,
       llvm::ArrayRef<mlir::RankedTensorType> resultTypes);

/// Fails, with an error at `module`, when the layer kernels of `target` (Host
/// resolved to this machine's best target) are for another architecture than
/// `triple` (empty: the host's), e.g. AArch64 kernels for an x86-64 triple:
/// LLVM cannot select their instructions ("Cannot select") and aborts.
mlir::LogicalResult checkTargetArchitecture(mlir::ModuleOp module,
                                            CodegenTarget target,
                                            llvm::StringRef triple);

/// Where code is generated for (emitObject).
struct TargetOptions {
  /// An LLVM target triple; empty for the host's.
  std::string triple;
  /// An LLVM CPU name (e.g. "znver5", "cortex-a76"); empty for a generic CPU
  /// of the triple's architecture.
  std::string cpu;
  /// LLVM target features, e.g. "+avx512f,+avx512vnni".
  std::string features;
};

/// Fails, with an error at `module`, when emitObject could not generate code
/// for `target`: an unknown triple, or a CPU that is not one of the triple's.
/// Cheap, so that a compiler can check its options before lowering.
mlir::LogicalResult checkObjectTarget(mlir::ModuleOp module,
                                      const TargetOptions &target);

/// Compiles LLVM-dialect `module` to an object file for `target`, at -O3,
/// written to `os`. On failure, an error has been emitted at the module.
mlir::LogicalResult emitObject(mlir::ModuleOp module,
                               const TargetOptions &target,
                               llvm::raw_pwrite_stream &os);

/// Renames every public function `module` defines to its C identifier
/// (getCIdentifier), so that the object's symbols are what a C header can
/// declare and a C program can link with (`@"my-func"` becomes `my_func`,
/// `@main` `main_`). Fails, with an error at the function, when the new name
/// is another function's.
mlir::LogicalResult renameToCIdentifiers(mlir::ModuleOp module);

/// Writes a C header declaring integer-level `func`, under its C identifier
/// (the symbol renameToCIdentifiers gives it), with the flat calling
/// convention, the shape of every buffer and the libraries the object needs
/// in comments: the C library and libm, MLIR's libmlir_c_runner_utils when
/// `callsMemrefCopy`, the `parallelRuntime` the object calls, if any.
mlir::LogicalResult
emitCHeader(mlir::func::FuncOp func, bool callsMemrefCopy,
            std::optional<ParallelRuntime> parallelRuntime,
            llvm::raw_ostream &os);

/// Whether LLVM-dialect `module` calls memrefCopy, which lives in MLIR's
/// libmlir_c_runner_utils (copies into padded buffers bufferize to it).
bool callsMemrefCopy(mlir::ModuleOp module);

/// The runtime whose threads LLVM-dialect `module` runs code on (compiled
/// with LowerToLLVMOptions::parallel), which it needs at run time: qopt's
/// (libQOptRuntime) or LLVM's OpenMP runtime (libomp); none if it runs on
/// the calling thread only.
std::optional<ParallelRuntime> getParallelRuntime(mlir::ModuleOp module);

} // namespace qopt

#endif // QOPT_EXECUTIONENGINE_EXECUTIONENGINE_H
