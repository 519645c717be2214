//===- FileUtilities.cpp - Checked output ---------------------------------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//

#include "qopt/Support/FileUtilities.h"

#include "llvm/Support/raw_ostream.h"

using namespace qopt;

llvm::Error qopt::closeOutput(llvm::raw_fd_ostream &os, llvm::StringRef path) {
  // Standard output stays open for whatever else the tool prints.
  if (path == "-")
    os.flush();
  else
    os.close();
  if (!os.has_error())
    return llvm::Error::success();
  std::string message = os.error().message();
  os.clear_error();
  return llvm::createStringError((path == "-" ? "<stdout>" : path) +
                                 ": cannot write: " + message);
}
