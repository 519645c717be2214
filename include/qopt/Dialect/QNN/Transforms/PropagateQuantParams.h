//===- PropagateQuantParams.h - Float to quantized level --------*- C++ -*-===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// The C++ entry point of --qopt-propagate-quant-params, for embedders that
// quantize functions with a scheme of their own.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_DIALECT_QNN_TRANSFORMS_PROPAGATEQUANTPARAMS_H
#define QOPT_DIALECT_QNN_TRANSFORMS_PROPAGATEQUANTPARAMS_H

#include "qopt/Dialect/QNN/Utils/QuantParams.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace mlir::qnn {

/// Everything that decides how a float network is quantized.
struct QuantizationScheme {
  /// Whose formulas choose scales and zero points and round constants.
  RangeConvention convention = RangeConvention::Gemmlowp;
  /// int8 (true) or uint8 (false) storage, for activations and weights.
  bool signedActivations = false;
  bool signedWeights = false;
  bool perChannelWeights = false;
  bool symmetricWeights = false;
  /// The lowest weight storage value is unused (int8 in [-127, 127]).
  bool narrowRangeWeights = false;
  /// Concat inputs take the output's parameters where their producers allow
  /// (else they are requantized).
  bool unifyConcat = true;

  /// The presets: "gemmlowp", "fbgemm" (PyTorch x86), "qnnpack" (PyTorch
  /// ARM) and "tflite".
  static FailureOr<QuantizationScheme> get(StringRef name);
};

/// Rewrites `func` from the float level to the quantized level (see the
/// description of --qopt-propagate-quant-params). On failure, errors have
/// been emitted at the offending ops and `func` is unchanged.
LogicalResult propagateQuantParams(func::FuncOp func,
                                   const QuantizationScheme &scheme);

} // namespace mlir::qnn

#endif // QOPT_DIALECT_QNN_TRANSFORMS_PROPAGATEQUANTPARAMS_H
