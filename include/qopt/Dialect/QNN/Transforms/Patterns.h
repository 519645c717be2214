//===- Patterns.h - QNN rewrite patterns ------------------------*- C++ -*-===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// The rewrite patterns behind the QNN passes, for embedders that run them in
// their own pattern sets.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_DIALECT_QNN_TRANSFORMS_PATTERNS_H
#define QOPT_DIALECT_QNN_TRANSFORMS_PATTERNS_H

namespace mlir {
class RewritePatternSet;
} // namespace mlir

namespace mlir::qnn {

/// Folds qnn.batch_norm into a preceding contraction with constant weights,
/// or rewrites it as a 1x1 depthwise convolution (see --qopt-fold-batch-norm).
void populateFoldBatchNormPatterns(RewritePatternSet &patterns);

} // namespace mlir::qnn

#endif // QOPT_DIALECT_QNN_TRANSFORMS_PATTERNS_H
