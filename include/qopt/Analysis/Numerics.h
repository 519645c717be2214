//===- Numerics.h - Per-layer numerics of quantized networks ----*- C++ -*-===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// What quantization does to a network, layer by layer: the float level is run
// as the reference and the integer program (the integer-level passes the
// tools use) as the thing measured, both with the reference interpreter, and
// each layer's dequantized integer result is compared with the float result
// (docs/numerics.md documents the statistics and the report's schema).
//
// Layers are related across levels by their ops' locations. The passes keep
// them: an op a pass creates takes the location of the op it replaces, ops
// that merge take a FusedLoc of both (a batch norm folded into its conv, a
// clamp fused into the requantization before it), and a requantize that
// honours a range marker takes the marker's location. So the value an
// integer-level op computes stands for the value of the latest source op
// among those its location names (see findCounterpart).
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_ANALYSIS_NUMERICS_H
#define QOPT_ANALYSIS_NUMERICS_H

#include "qopt/Interpreter/Interpreter.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"

#include <optional>
#include <string>
#include <vector>

namespace qopt::numerics {

//===----------------------------------------------------------------------===//
// Values across levels
//===----------------------------------------------------------------------===//

/// The locations `loc` is made of: the locations a FusedLoc fuses,
/// recursively, or `loc` itself.
llvm::SmallVector<mlir::Location> getLocationLeaves(mlir::Location loc);

/// The location of the op defining `value`, or of the block argument.
mlir::Location getValueLoc(mlir::Value value);

/// How the type of a counterpart must relate to the type of the value it
/// stands for.
enum class TypeMatch {
  /// The same shape and the same storage: an integer type, or a
  /// !quant.uniform type whose storage is that integer type (signless for
  /// signed storage), or the same float type.
  Storage,
  /// The same shape, any element type (a float value for a quantized one).
  Shape,
};

/// The values of a function (arguments, then op results in program order,
/// constants excepted) indexed by the leaves of their locations.
class ValueIndex {
public:
  explicit ValueIndex(mlir::func::FuncOp func);

  /// The value of the indexed function that `value`, of a function derived
  /// from it by passes, computes: the latest value whose location leaves are
  /// all leaves of `value`'s location and whose type matches. Null when there
  /// is none.
  mlir::Value findCounterpart(mlir::Value value, TypeMatch match) const;

  /// The ops of the indexed function whose location leaves are all leaves of
  /// `loc`, in program order, constants excepted.
  llvm::SmallVector<mlir::Operation *> getOpsWithin(mlir::Location loc) const;

private:
  struct Entry {
    mlir::Value value;
    llvm::SmallVector<mlir::Location> leaves;
  };
  std::vector<Entry> entries;
};

/// Whether `op` is a constant (arith.constant, qnn.const): constants are no
/// layer and are never compared.
bool isConstant(mlir::Operation *op);

//===----------------------------------------------------------------------===//
// The report
//===----------------------------------------------------------------------===//

/// The dequantized integer result of a layer against the float result.
struct ErrorStats {
  /// 10 log10(sum r^2 / sum (r' - r)^2); none when the error is 0.
  std::optional<double> sqnrDb;
  /// |r' - r| / S, the error in units of the output's last bit.
  double maxAbsErrorLsb = 0;
  double meanAbsErrorLsb = 0;
};

/// One (M0, shift) of a layer against the real multiplier it encodes.
struct MultiplierError {
  /// "output", or "lhs" / "rhs" for an add's input multipliers.
  std::string role;
  /// The output channel (0 for a per-tensor multiplier).
  int64_t channel;
  double real;
  int32_t m0;
  int32_t shift;
  /// (M0 * 2^(shift - 31) - real) / real.
  double relativeError;
};

struct AccumulatorStats {
  /// The largest |int32 accumulator| seen on the inputs.
  int64_t maxAbs;
  /// What --qopt-expand-zero-points proves it cannot exceed.
  int64_t staticBound;
};

/// One layer: an integer-level op producing a quantized tensor (with the
/// ops the passes created for it, e.g. the padding and the contraction
/// before a requantization).
struct LayerStats {
  /// The layer's position in the network (0 for the first), and the
  /// positions of the layers it reads.
  int64_t position;
  std::vector<int64_t> inputs;
  /// The source ops the layer computes, e.g. qnn.conv2d, qnn.batch_norm,
  /// qnn.clamp, and the integer-level op that produces its result.
  std::vector<std::string> sourceOps;
  std::string integerOp;
  /// The first source op's location, "file:line:col".
  std::string location;
  std::vector<int64_t> shape;
  std::string storageType;
  double scale;
  int64_t zeroPoint;
  /// The storage or activation bounds of the result.
  int64_t clampMin, clampMax;
  /// Elements over all inputs.
  int64_t elements = 0;
  ErrorStats endToEnd, alone;
  /// Elements whose float value lies beyond what the result can hold,
  /// i.e. Z + round(r / S) below clampMin (above clampMax).
  int64_t saturatedLow = 0, saturatedHigh = 0;
  /// (max r - min r) over the real interval the result can hold.
  double rangeUse = 0;
  std::vector<MultiplierError> multipliers;
  std::optional<AccumulatorStats> accumulator;
  /// The signed end-to-end errors in LSBs of every element, for histograms.
  std::vector<double> errorsLsb;
  /// A layer whose SQNR alone is far below the others' (the error it adds
  /// itself), and the likely cause.
  bool outlier = false;
  std::string cause;

  double getMaxMultiplierError() const;
  /// The source ops without their dialect, e.g. "conv2d+batch_norm+clamp".
  std::string getName() const;
};

struct NumericsReport {
  std::string model;
  std::string function;
  std::string scheme;
  /// The numerics preset of the integer arithmetic (Numerics.h).
  std::string numerics;
  int64_t numInputs = 0;
  /// The median SQNR alone of the layers and the margin below it that makes
  /// an outlier.
  double medianSqnrDb = 0;
  static constexpr double kOutlierMarginDb = 10;
  /// Worst end-to-end SQNR first.
  std::vector<LayerStats> layers;
};

/// Measures every layer of float-level `func` (range markers included) on
/// `inputs` (one list of arguments per run), quantized with `scheme`, with
/// the interpreter's `limits`. `module` holds `func` and is left unchanged.
/// On failure a diagnostic has been emitted.
mlir::FailureOr<NumericsReport> computeNumericsReport(
    mlir::ModuleOp module, mlir::func::FuncOp func,
    llvm::ArrayRef<llvm::SmallVector<interpreter::Tensor>> inputs,
    llvm::StringRef scheme, const interpreter::Limits &limits = {});

/// Writes report.json, report.md, sqnr.svg, saturation.svg,
/// error-histogram.svg and index.html into `dir`, which is created if
/// needed. Returns an error message on failure.
std::optional<std::string> writeNumericsReport(const NumericsReport &report,
                                               llvm::StringRef dir);

} // namespace qopt::numerics

#endif // QOPT_ANALYSIS_NUMERICS_H
