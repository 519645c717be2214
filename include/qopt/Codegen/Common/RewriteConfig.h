//===- RewriteConfig.h - Greedy rewrites of structured kernels --*- C++ -*-===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// The greedy rewrite driver simplifies the function's regions after every
// round of patterns by default: it erases unreachable blocks and runs a
// liveness analysis of the whole region tree to delete dead values. The
// code generation passes run before the loops become branches, on regions
// of one block each, where that finds nothing the driver's own dead-op
// removal misses, but it walks every op of a network's one function at
// least twice per pass (about 0.3 s of the 5 s MobileNetV2 took to compile
// for x86-avx512vnni; the lowered IR is the same without it).
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_CODEGEN_COMMON_REWRITECONFIG_H
#define QOPT_CODEGEN_COMMON_REWRITECONFIG_H

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace qopt::codegen {

/// The greedy driver's defaults without region simplification, for passes
/// that run on structured control flow.
inline mlir::GreedyRewriteConfig getStructuredRewriteConfig() {
  mlir::GreedyRewriteConfig config;
  config.setRegionSimplificationLevel(
      mlir::GreedySimplifyRegionLevel::Disabled);
  return config;
}

} // namespace qopt::codegen

#endif // QOPT_CODEGEN_COMMON_REWRITECONFIG_H
