/*===- Passes.h - C API of qopt's passes --------------------------*- C -*-===*\
|*                                                                            *|
|* Part of the qopt project.                                                  *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

/* qopt's passes through MLIR's C pass manager (mlir-c/Pass.h). For each pass
 * of a group, mlir-tblgen generates mlirCreate<Group><Pass>() and
 * mlirRegister<Group><Pass>(), and mlirRegister<Group>Passes() for the group
 * (e.g. mlirCreateQNNFoldBatchNormPass, mlirRegisterQOptX86Passes).
 * qoptRegisterAllPasses registers them all with the pipelines, so that
 * textual pipelines (mlirOpPassManagerAddPipeline, mlirParsePassPipeline)
 * can name them. */

#ifndef QOPT_C_PASSES_H
#define QOPT_C_PASSES_H

#include "mlir-c/Pass.h"

#include "qopt/Codegen/ARM/Passes.capi.h.inc"
#include "qopt/Codegen/Common/Passes.capi.h.inc"
#include "qopt/Codegen/X86/Passes.capi.h.inc"
#include "qopt/Conversion/Passes.capi.h.inc"
#include "qopt/Dialect/QNN/Transforms/Passes.capi.h.inc"

#ifdef __cplusplus
extern "C" {
#endif

/** Registers every qopt pass, the pipelines --qopt-pipeline and
 * --qopt-lower-to-llvm, and the upstream passes they run
 * (qopt::registerAllPasses). */
MLIR_CAPI_EXPORTED void qoptRegisterAllPasses(void);

#ifdef __cplusplus
}
#endif

#endif /* QOPT_C_PASSES_H */
