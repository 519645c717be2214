//===- CIdentifier.h - IR names as C identifiers ----------------*- C++ -*-===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// MLIR symbol names may be any string (`@"my-func"`, `@0start`, `@int`); the
// C headers qopt writes (qopt-compile's declaration, qopt-translate's
// parameter tables) need identifiers, and qopt-compile's object must define
// the symbol its header declares. Both take the name from here.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_SUPPORT_CIDENTIFIER_H
#define QOPT_SUPPORT_CIDENTIFIER_H

#include "llvm/ADT/StringRef.h"

#include <string>

namespace qopt {

/// `name` as an identifier C99 and C++ accept and that a C program can link
/// with: every character other than a letter, a digit or '_' becomes '_', a
/// leading digit (or an empty name) gets an 'f' in front, and a C or C++
/// keyword, `main`, or a C library function the compiled code calls
/// (`malloc`, `free`, `memcpy`, `memset`, `memrefCopy`, ...) gets a '_'
/// appended. Names that are already such identifiers are unchanged; distinct
/// names can map to the same identifier, which callers check.
std::string getCIdentifier(llvm::StringRef name);

} // namespace qopt

#endif // QOPT_SUPPORT_CIDENTIFIER_H
