/*===- main.c - A C program that embeds qopt ------------------------------===*\
|*                                                                            *|
|* Part of the qopt project.                                                  *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

/* Usage: qopt-c-consumer <pipeline>
 *
 * Uses only the installed qopt package's C API (include/qopt-c) and MLIR's
 * (mlir-c): creates a context, loads the qnn dialect, parses a small qnn
 * module, runs it through the C pass manager twice, once with a pass object
 * (mlirCreateQNNExpandZeroPointsPass), once with the textual `pipeline`,
 * and prints the module after each run to stdout. On failure, the
 * diagnostic goes to stderr and the exit code is non-zero. */

#include "qopt-c/Dialects.h"
#include "qopt-c/Passes.h"

#include "mlir-c/IR.h"
#include "mlir-c/Pass.h"
#include "mlir-c/Support.h"

#include <stdio.h>
#include <string.h>

/* An integer-level fully connected layer with an input zero point, which
 * --qopt-expand-zero-points folds into the bias. */
static const char *const kModule =
    "func.func @fc(%x: tensor<1x3xi8>) -> tensor<1x2xi32> {\n"
    "  %w = arith.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi8>\n"
    "  %b = arith.constant dense<[10, -20]> : tensor<2xi32>\n"
    "  %acc = qnn.int.fully_connected %x, %w, %b {input_zp = 1 : i64}\n"
    "       : (tensor<1x3xi8>, tensor<2x3xi8>, tensor<2xi32>)\n"
    "      -> tensor<1x2xi32>\n"
    "  return %acc : tensor<1x2xi32>\n"
    "}\n";

static void printToFile(MlirStringRef text, void *userData) {
  fwrite(text.data, 1, text.length, (FILE *)userData);
}

static int run(MlirPassManager pm, MlirModule module) {
  MlirLogicalResult result =
      mlirPassManagerRunOnOp(pm, mlirModuleGetOperation(module));
  if (mlirLogicalResultIsFailure(result)) {
    fprintf(stderr, "qopt-c-consumer: the pass manager failed\n");
    return 1;
  }
  mlirOperationPrint(mlirModuleGetOperation(module), printToFile, stdout);
  fputc('\n', stdout);
  return 0;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s <pipeline>\n", argv[0]);
    return 1;
  }
  MlirDialectRegistry registry = mlirDialectRegistryCreate();
  qoptRegisterAllDialects(registry);
  MlirContext context = mlirContextCreateWithRegistry(registry, false);
  mlirDialectRegistryDestroy(registry);
  qoptRegisterAllPasses();

  /* The qnn dialect through its handle, as every MLIR C API dialect. */
  MlirDialect qnn =
      mlirDialectHandleLoadDialect(mlirGetDialectHandle__qnn__(), context);
  MlirStringRef ns = mlirDialectGetNamespace(qnn);
  printf("dialect: %.*s\n", (int)ns.length, ns.data);

  int status = 1;
  MlirModule module =
      mlirModuleCreateParse(context, mlirStringRefCreateFromCString(kModule));
  if (mlirModuleIsNull(module)) {
    fprintf(stderr, "qopt-c-consumer: the module does not parse\n");
    goto destroyContext;
  }

  /* A pass object, nested on func.func. */
  MlirPassManager pm = mlirPassManagerCreate(context);
  MlirOpPassManager funcPm = mlirPassManagerGetNestedUnder(
      pm, mlirStringRefCreateFromCString("func.func"));
  mlirOpPassManagerAddOwnedPass(funcPm, mlirCreateQNNExpandZeroPointsPass());
  status = run(pm, module);
  mlirPassManagerDestroy(pm);
  if (status != 0)
    goto destroyModule;

  /* A textual pipeline, which names registered passes. */
  pm = mlirPassManagerCreate(context);
  MlirLogicalResult parsed = mlirParsePassPipeline(
      mlirPassManagerGetAsOpPassManager(pm),
      mlirStringRefCreateFromCString(argv[1]), printToFile, stderr);
  if (mlirLogicalResultIsFailure(parsed)) {
    fputc('\n', stderr);
    status = 1;
  } else {
    status = run(pm, module);
  }
  mlirPassManagerDestroy(pm);

destroyModule:
  mlirModuleDestroy(module);
destroyContext:
  mlirContextDestroy(context);
  return status;
}
