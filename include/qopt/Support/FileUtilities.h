//===- FileUtilities.h - Checked output -------------------------*- C++ -*-===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// How the qopt tools write files, so that a full disk is an error naming the
// file: a raw_fd_ostream that failed to write reports it from its destructor
// by aborting ("LLVM ERROR: IO failure on output stream").
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_SUPPORT_FILEUTILITIES_H
#define QOPT_SUPPORT_FILEUTILITIES_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

namespace llvm {
class raw_fd_ostream;
} // namespace llvm

namespace qopt {

/// Closes `os`, the stream writing `path` (flushes it, for standard output),
/// and returns the error it met (a full disk) as a message naming the file.
/// The stream's error is cleared, so that its destructor does not abort.
llvm::Error closeOutput(llvm::raw_fd_ostream &os, llvm::StringRef path);

} // namespace qopt

#endif // QOPT_SUPPORT_FILEUTILITIES_H
