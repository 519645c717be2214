//===- Version.h - The version every qopt tool prints -----------*- C++ -*-===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_SUPPORT_VERSION_H
#define QOPT_SUPPORT_VERSION_H

namespace llvm {
class raw_ostream;
} // namespace llvm

namespace qopt {

/// Prints qopt's version, the git revision it was built from (when built from
/// a git checkout) and the version of the LLVM and MLIR it was built against.
/// Every tool's --version: install it with llvm::cl::SetVersionPrinter before
/// parsing the command line.
void printVersion(llvm::raw_ostream &os);

} // namespace qopt

#endif // QOPT_SUPPORT_VERSION_H
