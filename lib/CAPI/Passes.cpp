//===- Passes.cpp - C API of qopt's passes --------------------------------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//

#include "qopt-c/Passes.h"

#include "qopt/Codegen/ARM/Passes.h"
#include "qopt/Codegen/Common/Passes.h"
#include "qopt/Codegen/X86/Passes.h"
#include "qopt/Conversion/Passes.h"
#include "qopt/Dialect/QNN/Transforms/Passes.h"
#include "qopt/InitAll.h"

#include "mlir/CAPI/Pass.h"

// The generated definitions call each group's create and register functions
// unqualified.
using namespace mlir;
using namespace mlir::qnn;
using namespace qopt::arm;
using namespace qopt::codegen;
using namespace qopt::x86;

#include "qopt/Codegen/ARM/Passes.capi.cpp.inc"
#include "qopt/Codegen/Common/Passes.capi.cpp.inc"
#include "qopt/Codegen/X86/Passes.capi.cpp.inc"
#include "qopt/Conversion/Passes.capi.cpp.inc"
#include "qopt/Dialect/QNN/Transforms/Passes.capi.cpp.inc"

void qoptRegisterAllPasses(void) { qopt::registerAllPasses(); }
