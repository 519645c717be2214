//===- QNNToLinalg.h - Integer-level qnn to linalg --------------*- C++ -*-===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// The target-independent lowering of the integer-level qnn ops to linalg,
// tensor and arith on tensors. Tiling, vectorization and ISA-specific kernels
// start from its output.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_CONVERSION_QNNTOLINALG_QNNTOLINALG_H
#define QOPT_CONVERSION_QNNTOLINALG_QNNTOLINALG_H

#include "mlir/Transforms/DialectConversion.h"

namespace mlir::qnn {

/// Converts the signed and unsigned integer element types of the integer
/// level (`ui8`, `si8`, ...) to the signless types linalg and arith compute
/// on, in scalars and ranked tensors; every other type is kept. The
/// signedness is not lost: the patterns read it from the original op.
class QNNToLinalgTypeConverter : public TypeConverter {
public:
  QNNToLinalgTypeConverter();
};

/// The patterns lowering the integer-level qnn ops (and the data-movement ops
/// on integer tensors) to linalg, tensor, arith, math and tosa.apply_scale.
/// They need static shapes: run checkStaticShapes first, as the pass does.
void populateQNNToLinalgPatterns(const TypeConverter &typeConverter,
                                 RewritePatternSet &patterns);

/// Marks the qnn dialect illegal, the dialects the patterns produce legal,
/// and every other op legal once its types are converted (function
/// signatures, calls, returns and constants change with the element types).
void configureQNNToLinalgTarget(ConversionTarget &target,
                                const TypeConverter &typeConverter);

/// Reports, at the op, the first qnn op under `root` with an operand or
/// result of a dynamically sized tensor type, which the lowering does not
/// support, and fails then.
LogicalResult checkStaticShapes(Operation *root);

} // namespace mlir::qnn

#endif // QOPT_CONVERSION_QNNTOLINALG_QNNTOLINALG_H
