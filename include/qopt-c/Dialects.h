/*===- Dialects.h - C API of qopt's dialects ----------------------*- C -*-===*\
|*                                                                            *|
|* Part of the qopt project.                                                  *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

/* The qnn dialect's handle, in the style of MLIR's C API (mlir-c/), and the
 * registration of every dialect qopt's IR and pipelines use. A C program
 * loads them into a context and parses qnn IR:
 *
 *   MlirDialectRegistry registry = mlirDialectRegistryCreate();
 *   qoptRegisterAllDialects(registry);
 *   MlirContext context = mlirContextCreateWithRegistry(registry, false);
 *   mlirContextLoadAllAvailableDialects(context);
 */

#ifndef QOPT_C_DIALECTS_H
#define QOPT_C_DIALECTS_H

#include "mlir-c/IR.h"
#include "mlir-c/Support.h"

#ifdef __cplusplus
extern "C" {
#endif

MLIR_DECLARE_CAPI_DIALECT_REGISTRATION(QNN, qnn);

/** Inserts into `registry` the qnn dialect and every dialect and interface
 * model qopt's IR and pipelines use (qopt::registerAllDialects). */
MLIR_CAPI_EXPORTED void qoptRegisterAllDialects(MlirDialectRegistry registry);

#ifdef __cplusplus
}
#endif

#endif /* QOPT_C_DIALECTS_H */
