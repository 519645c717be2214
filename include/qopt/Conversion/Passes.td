//===- Passes.td - qopt conversion passes ------------------*- tablegen -*-===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_CONVERSION_PASSES_TD
#define QOPT_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertQNNToLinalgPass
    : Pass<"qopt-convert-qnn-to-linalg", "ModuleOp"> {
  let summary = "Lower the integer-level qnn ops to linalg, tensor and arith";
  let description = [{
    The target-independent code-generation entry: every `qnn.int.*` op and
    the data-movement ops on integer tensors become `linalg.generic`,
    `tensor.pad`, `tensor.collapse_shape` / `expand_shape` and `arith` on
    tensors, with the requantization multiplies as `tosa.apply_scale`
    (lowered to `arith` by `tosa-to-arith{include-apply-rescale}`), bit-exact
    with the op descriptions (gemmlowp / TensorFlow Lite).

    Signed and unsigned element types (`ui8`) become signless ones, so
    function signatures, calls and `arith.constant` weights are converted
    too; the lowering of each op extends its operands with the signedness
    of the original type. Zero points are subtracted inside the reduction
    loops, so the IR before and after `--qopt-expand-zero-points` both
    lower.

    Shapes must be static: a qnn op with a dynamically sized operand or
    result is an error at the op, reported before anything is converted
    (`checkStaticShapes`); qopt compiles one shape per function.

    Ops without a lowering (float- and quantized-level ops) make the pass
    fail with an error at the op.

    Example:
    ```mlir
    %0 = qnn.int.rescale %acc {multiplier = array<i32: 1073741824>,
           shift = array<i32: -1>} : (tensor<4xi32>) -> tensor<4xi8>
    ```
    becomes a `linalg.generic` whose body is
    ```mlir
    %s = tosa.apply_scale %x, %c1073741824_i32, %c32_i8 {rounding_mode = DOUBLE_ROUND}
           : (i32, i32, i8) -> i32
    ```
    followed by the zero point, the clamp and `arith.trunci`.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::tosa::TosaDialect",
  ];
}

#endif // QOPT_CONVERSION_PASSES_TD
