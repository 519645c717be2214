//===- ParamsExport.h - Per-layer integer parameters ------------*- C++ -*-===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// Writes, for every layer of a network at the quantized level, the integers
// an accelerator needs to reproduce qopt's (and TensorFlow Lite's or PyTorch
// qnnpack's, as the network's numerics say) results bit for bit: zero points,
// the per-channel (M0, shift) multipliers, the int32 bias with the zero-point
// terms folded in, clamp bounds and the integer weights, plus the real scales
// they come from. docs/params-export.md gives the schema and the formula the
// hardware must apply to each layer kind.
//
// Every integer is derived with the helpers of
// qopt/Dialect/QNN/Utils/IntegerParams.h, the ones --qopt-rewrite-multipliers
// uses, so the export agrees with the integer level of the same network.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_TARGET_PARAMSEXPORT_H
#define QOPT_TARGET_PARAMSEXPORT_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LLVM.h"

namespace qopt {

/// Writes the parameters of every function of `module` as JSON (the
/// "qopt-params" schema of docs/params-export.md), in the arithmetic of the
/// numerics preset `numerics` (Numerics.h) or, when it is empty, of the
/// module's `qnn.numerics`, as --qopt-rewrite-multipliers chooses it. Input
/// that is not at the quantized level, and ops the schema has no entry for,
/// are errors reported at the op; nothing is written then.
mlir::LogicalResult exportParamsAsJson(mlir::ModuleOp module,
                                       llvm::raw_ostream &os,
                                       llvm::StringRef numerics = "");

/// Writes the same parameters as a self-contained C99 header: a #define per
/// scalar and a `static const` array per table. Fails as exportParamsAsJson
/// does.
mlir::LogicalResult exportParamsAsCHeader(mlir::ModuleOp module,
                                          llvm::raw_ostream &os,
                                          llvm::StringRef numerics = "");

/// Registers the translations --qopt-export-json and --qopt-export-c-header
/// for mlir::mlirTranslateMain.
void registerParamsExportTranslations();

} // namespace qopt

#endif // QOPT_TARGET_PARAMSEXPORT_H
