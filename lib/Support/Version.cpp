//===- Version.cpp - The version every qopt tool prints -------------------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//

#include "qopt/Support/Version.h"

// QOPT_VERSION, from the project() version at configure time.
#include "Version.inc"
// QOPT_REVISION, regenerated when the checkout's HEAD moves (see
// lib/Support/CMakeLists.txt), so that a commit rebuilds this file alone.
#include "VCSRevision.h"

#include "llvm/Config/llvm-config.h"
#include "llvm/Support/raw_ostream.h"

void qopt::printVersion(llvm::raw_ostream &os) {
  os << "qopt version " << QOPT_VERSION << '\n';
#ifdef QOPT_REVISION
  os << "  git revision " << QOPT_REVISION << '\n';
#endif
  os << "  built with LLVM and MLIR " << LLVM_VERSION_STRING << '\n';
}
