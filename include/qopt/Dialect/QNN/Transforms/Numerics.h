//===- Numerics.h - Named sets of numerics choices --------------*- C++ -*-===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// A model is validated against one library's arithmetic, and every pass that
// decides a number has to make that library's choice. `numerics` names the
// set of choices once: each pass takes it as an option (--qopt-pipeline,
// qopt-run and qopt-compile pass it on) and, when the option is not given,
// reads it from the module attribute `qnn.numerics`, so that an importer can
// state in the IR what the model needs and default tool options reproduce
// it. Likewise `qnn.scheme` names the model's quantization scheme.
//
//   numerics          batch-norm fold   scheme     requantize    avg pool / input quantize
//   (none)            double            the pass's double_round  ties away from zero (TFLite)
//   tflite            double            tflite     double_round  ties away from zero (TFLite)
//   pytorch           float32           fbgemm     double_round  ties away from zero (TFLite)
//   pytorch-qnnpack   float32           qnnpack    float32       ties to even (PyTorch qnnpack)
//                                                  (additions: qnnpack's weighted add)
//
// "pytorch" is PyTorch's quantization (its observers' scales, its float32
// batch-norm fold) with TensorFlow Lite's integer kernels; "pytorch-qnnpack"
// also computes as PyTorch's qnnpack engine does (float32 requantization
// of contractions; additions weigh the inputs with integer multipliers and
// round once, qnn.int.weighted_add; average pools round the average of
// q - Z half to even; inputs are quantized as nearbyint(r * (1.0f / S)) + Z).
// The scheme of a preset is a default: an explicit scheme option or a
// `qnn.scheme` attribute wins.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_DIALECT_QNN_TRANSFORMS_NUMERICS_H
#define QOPT_DIALECT_QNN_TRANSFORMS_NUMERICS_H

#include "qopt/Dialect/QNN/Transforms/Patterns.h"

#include "mlir/IR/Operation.h"

#include <string>

namespace mlir::qnn {

/// The module attribute holding the numerics name, and the one holding the
/// quantization scheme.
inline constexpr llvm::StringLiteral kNumericsAttrName = "qnn.numerics";
inline constexpr llvm::StringLiteral kSchemeAttrName = "qnn.scheme";

struct Numerics {
  /// Batch norms fold in float32 as PyTorch's fuse_conv_bn_weights does,
  /// rather than in double.
  bool float32BatchNorm = false;
  /// The default quantization scheme; empty: the pass's own default.
  std::string scheme;
  IntegerArithmetic arithmetic;

  /// The preset `name` ("" is the default set); fails on an unknown name.
  static FailureOr<Numerics> get(StringRef name);
};

/// The string attribute `name` of the module enclosing `op` (or of `op`
/// itself when it is the module), or "" when there is none.
std::string getModuleString(Operation *op, StringRef name);

/// The numerics `option` names or, when it is empty, those of the module's
/// `qnn.numerics` attribute; an unknown name is an error at `op`.
FailureOr<Numerics> getNumerics(Operation *op, StringRef option);

/// The quantization scheme's name for `op`: `option`, else the module's
/// `qnn.scheme`, else the scheme of the numerics `numericsOption` (or of the
/// module's `qnn.numerics`), else "" (the caller's default). An unknown
/// numerics name is an error at `op`.
FailureOr<std::string> getSchemeName(Operation *op, StringRef option,
                                     StringRef numericsOption);

} // namespace mlir::qnn

#endif // QOPT_DIALECT_QNN_TRANSFORMS_NUMERICS_H
