//===- Optimize.h - LLVM optimization of lowered qopt modules ---*- C++ -*-===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_LIB_EXECUTIONENGINE_OPTIMIZE_H
#define QOPT_LIB_EXECUTIONENGINE_OPTIMIZE_H

#include "llvm/Support/Error.h"

#include <functional>

namespace llvm {
class Module;
class TargetMachine;
} // namespace llvm

namespace qopt::detail {

/// LLVM's -O3 on a lowered qopt module, one layer at a time (see
/// Optimize.cpp); `machine` may be null (the host's, as the JIT wants).
std::function<llvm::Error(llvm::Module *)>
makeLayerwiseOptimizer(llvm::TargetMachine *machine);

} // namespace qopt::detail

#endif // QOPT_LIB_EXECUTIONENGINE_OPTIMIZE_H
