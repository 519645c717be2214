//===- QNNIntOps.td - QNN integer level ops ----------------*- tablegen -*-===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// Integer-level ops: plain integer tensors with every quantization parameter
// as an attribute, so that the integer arithmetic is fully described by the
// IR. These are what the multiplier and zero-point passes produce and what
// the code generators consume.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_DIALECT_QNN_IR_QNNINTOPS_TD
#define QOPT_DIALECT_QNN_IR_QNNINTOPS_TD

include "qopt/Dialect/QNN/IR/QNNBase.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

class QNN_IntOp<string mnemonic, list<Trait> traits = []>
    : QNN_Op<"int." # mnemonic, !listconcat(traits, [Pure])> {
  let hasVerifier = 1;
}

defvar QNN_IntStrides = DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">;
defvar QNN_IntDilations = DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">;
defvar QNN_IntPadding = DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">;
defvar QNN_ZeroPoint = DefaultValuedAttr<QNN_I64Attr, "0">;
defvar QNN_Rounding =
    DefaultValuedAttr<QNN_RoundingModeAttr, "::mlir::qnn::RoundingMode::DoubleRound">;

//===----------------------------------------------------------------------===//
// Contractions: int8/int16 storage in, int32 accumulator out
//===----------------------------------------------------------------------===//

class QNN_IntConvOp<string mnemonic, dag extraAttrs = (ins)>
    : QNN_IntOp<mnemonic> {
  let arguments = !con((ins QNN_Int8or16Tensor:$input, QNN_Int8Tensor:$filter,
                            Optional<QNN_I32Tensor>:$bias,
                            QNN_ZeroPoint:$input_zp,
                            DefaultValuedAttr<DenseI64ArrayAttr, "{0}">:$filter_zp,
                            QNN_IntStrides:$strides, QNN_IntDilations:$dilations,
                            QNN_IntPadding:$padding), extraAttrs);
  let results = (outs QNN_I32Tensor:$result);
  let assemblyFormat = [{
    $input `,` $filter (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

def QNN_IntConv2DOp : QNN_IntConvOp<"conv2d",
    (ins DefaultValuedAttr<QNN_I64Attr, "1">:$groups)> {
  let summary = "integer 2-D convolution with zero points, int32 result";
  let description = [{
    `result[n, y, x, o] = bias[o] + sum_{ky, kx, c} (input[...] - input_zp) *
    (filter[o, ky, kx, c] - filter_zp[o])`, with the geometry of `qnn.conv2d`
    (its `groups` too: output channel `o` sums over the `Cg` input channels
    of its group). Padded input positions hold `input_zp`, so they
    contribute exactly 0.
    `filter_zp` has one entry or one per output channel. The result is the
    int32 accumulator; `qnn.int.rescale` brings it back to 8 bits.

    Example:
    ```mlir
    %acc = qnn.int.conv2d %input, %filter, %bias {input_zp = -128 : i64,
             padding = array<i64: 1, 1, 1, 1>}
         : (tensor<1x8x8x3xi8>, tensor<16x3x3x3xi8>, tensor<16xi32>) -> tensor<1x8x8x16xi32>
    ```
  }];
}

def QNN_IntDepthwiseConv2DOp : QNN_IntConvOp<"depthwise_conv2d"> {
  let summary = "integer depthwise 2-D convolution with zero points, int32 result";
  let description = [{
    The integer form of `qnn.depthwise_conv2d` (filter `[1, KH, KW, O]`,
    output channel `o` reads input channel `o / (O / C)`), with zero points
    as in `qnn.int.conv2d`.

    Example:
    ```mlir
    %acc = qnn.int.depthwise_conv2d %input, %filter {input_zp = 3 : i64,
             filter_zp = array<i64: 0>}
         : (tensor<1x8x8x4xui8>, tensor<1x3x3x4xui8>) -> tensor<1x6x6x4xi32>
    ```
  }];
}

def QNN_IntFullyConnectedOp : QNN_IntOp<"fully_connected"> {
  let summary = "integer fully connected layer with zero points, int32 result";
  let description = [{
    `result[n, o] = bias[o] + sum_k (input[n, k] - input_zp) *
    (weights[o, k] - weights_zp[o])`.

    Example:
    ```mlir
    %acc = qnn.int.fully_connected %input, %weights, %bias {input_zp = 128 : i64}
         : (tensor<2x64xui8>, tensor<10x64xi8>, tensor<10xi32>) -> tensor<2x10xi32>
    ```
  }];
  let arguments = (ins QNN_Int8or16Tensor:$input, QNN_Int8Tensor:$weights,
                       Optional<QNN_I32Tensor>:$bias,
                       QNN_ZeroPoint:$input_zp,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{0}">:$weights_zp);
  let results = (outs QNN_I32Tensor:$result);
  let assemblyFormat = [{
    $input `,` $weights (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

//===----------------------------------------------------------------------===//
// Requantization
//===----------------------------------------------------------------------===//

def QNN_IntRescaleOp : QNN_IntOp<"rescale"> {
  let summary = "fixed-point multiply by M0 * 2^(shift - 31), zero point, clamp";
  let description = [{
    `result = clamp(MultiplyByQuantizedMultiplier(input - input_zp, multiplier[c],
    shift[c]) + output_zp, clamp_min, clamp_max)`, with the rounding selected
    by `rounding` (see `#qnn.rounding`). `multiplier` (M0, in
    `[0, 2^31 - 1]`) and `shift` (in `[-31, 30]`; negative is a right shift)
    have one entry, or one per index `c` of the innermost dimension (the
    output channel of NHWC and NC tensors). The clamp bounds default to the
    range of the result type, and the result always saturates to it.

    Example:
    ```mlir
    %0 = qnn.int.rescale %acc {multiplier = array<i32: 1395864371, 1174405120>,
           shift = array<i32: -7, -6>, output_zp = -128 : i64,
           clamp_min = -128 : i64, clamp_max = 127 : i64}
         : (tensor<1x4x4x2xi32>) -> tensor<1x4x4x2xi8>
    ```
  }];
  let arguments = (ins QNN_IntTensor:$input,
                       QNN_ZeroPoint:$input_zp, QNN_ZeroPoint:$output_zp,
                       DenseI32ArrayAttr:$multiplier, DenseI32ArrayAttr:$shift,
                       QNN_Rounding:$rounding,
                       OptionalAttr<QNN_I64Attr>:$clamp_min,
                       OptionalAttr<QNN_I64Attr>:$clamp_max);
  let results = (outs QNN_IntTensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  // A rescale by exactly 1 (M0 = 2^30, shift 1: what
  // --qopt-expand-zero-points inserts to move an input between i8 and ui8)
  // of another rescale's only result folds into it: its zero points become
  // a shift of the producer's output zero point and clamp bounds.
  let hasCanonicalizeMethod = 1;
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

def QNN_IntAddOp : QNN_IntOp<"add"> {
  let summary = "TensorFlow Lite's integer addition of two quantized tensors";
  let description = [{
    The scheme of TensorFlow Lite's reference `Add` for inputs of different
    scales:
    ```
    a = MultiplyByQuantizedMultiplier((lhs - lhs_zp) * 2^left_shift, lhs_multiplier, lhs_shift)
    b = MultiplyByQuantizedMultiplier((rhs - rhs_zp) * 2^left_shift, rhs_multiplier, rhs_shift)
    result = clamp(MultiplyByQuantizedMultiplier(a + b, output_multiplier, output_shift)
                   + output_zp, clamp_min, clamp_max)
    ```
    `left_shift` (20 for 8-bit inputs, 15 for 16-bit) keeps precision before
    the input multipliers, which are below 1 (`lhs_shift`, `rhs_shift` <= 0,
    so that `a + b` cannot overflow); the output multiplier may be above 1.
    Operands and result have the same shape.

    Example:
    ```mlir
    %0 = qnn.int.add %a, %b {lhs_zp = -3 : i64, rhs_zp = 5 : i64, output_zp = 1 : i64,
           left_shift = 20 : i64, lhs_multiplier = 1073741824 : i32, lhs_shift = 0 : i32,
           rhs_multiplier = 1431655765 : i32, rhs_shift = -1 : i32,
           output_multiplier = 1288490189 : i32, output_shift = -18 : i32}
         : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
    ```
  }];
  let arguments = (ins QNN_Int8or16Tensor:$lhs, QNN_Int8or16Tensor:$rhs,
                       QNN_ZeroPoint:$lhs_zp, QNN_ZeroPoint:$rhs_zp,
                       QNN_ZeroPoint:$output_zp,
                       DefaultValuedAttr<QNN_I64Attr, "20">:$left_shift,
                       QNN_I32Attr:$lhs_multiplier, QNN_I32Attr:$lhs_shift,
                       QNN_I32Attr:$rhs_multiplier, QNN_I32Attr:$rhs_shift,
                       QNN_I32Attr:$output_multiplier, QNN_I32Attr:$output_shift,
                       QNN_Rounding:$rounding,
                       OptionalAttr<QNN_I64Attr>:$clamp_min,
                       OptionalAttr<QNN_I64Attr>:$clamp_max);
  let results = (outs QNN_Int8or16Tensor:$result);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
}

def QNN_IntWeightedAddOp : QNN_IntOp<"weighted_add"> {
  let summary = "addition with integer weights and one rounding (PyTorch qnnpack's)";
  let description = [{
    The addition of PyTorch's qnnpack engine (`pytorch_qnnp_add_quantize`):
    ```
    acc = (lhs - lhs_zp) * lhs_multiplier + (rhs - rhs_zp) * rhs_multiplier
    result = clamp(RoundingDivideByPOT(acc, right_shift) + output_zp, clamp_min, clamp_max)
    ```
    The weighted sum is exact (the verifier checks that it fits in int32
    for every input of the types) and rounded once, to nearest with ties
    away from zero, where `qnn.int.add` (TensorFlow Lite's) rounds each
    rescaled input and then the sum. `lhs_multiplier / 2^right_shift`
    stands for `S_lhs / S_out`: qnnpack keeps the larger of the two in
    `[2^21, 2^22]` (IntegerParams.h, getQnnpackAddParams).
    Operands and result have the same shape.

    Example:
    ```mlir
    %0 = qnn.int.weighted_add %a, %b {lhs_zp = 3 : i64, rhs_zp = 128 : i64,
           output_zp = 5 : i64, lhs_multiplier = 2796203 : i32,
           rhs_multiplier = 2097152 : i32, right_shift = 22 : i32}
         : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
    ```
  }];
  let arguments = (ins QNN_Int8or16Tensor:$lhs, QNN_Int8or16Tensor:$rhs,
                       QNN_ZeroPoint:$lhs_zp, QNN_ZeroPoint:$rhs_zp,
                       QNN_ZeroPoint:$output_zp,
                       QNN_I32Attr:$lhs_multiplier, QNN_I32Attr:$rhs_multiplier,
                       QNN_I32Attr:$right_shift,
                       OptionalAttr<QNN_I64Attr>:$clamp_min,
                       OptionalAttr<QNN_I64Attr>:$clamp_max);
  let results = (outs QNN_Int8or16Tensor:$result);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
}

def QNN_IntMulOp : QNN_IntOp<"mul"> {
  let summary = "integer multiplication of two quantized tensors";
  let description = [{
    `result = clamp(MultiplyByQuantizedMultiplier((lhs - lhs_zp) * (rhs - rhs_zp),
    multiplier, shift) + output_zp, clamp_min, clamp_max)` with
    `M = S_lhs * S_rhs / S_out`. Operands and result have the same shape.

    Example:
    ```mlir
    %0 = qnn.int.mul %a, %b {lhs_zp = 0 : i64, rhs_zp = 2 : i64, output_zp = 0 : i64,
           multiplier = 1073741824 : i32, shift = -3 : i32}
         : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
    ```
  }];
  let arguments = (ins QNN_Int8or16Tensor:$lhs, QNN_Int8or16Tensor:$rhs,
                       QNN_ZeroPoint:$lhs_zp, QNN_ZeroPoint:$rhs_zp,
                       QNN_ZeroPoint:$output_zp,
                       QNN_I32Attr:$multiplier, QNN_I32Attr:$shift,
                       QNN_Rounding:$rounding,
                       OptionalAttr<QNN_I64Attr>:$clamp_min,
                       OptionalAttr<QNN_I64Attr>:$clamp_max);
  let results = (outs QNN_Int8or16Tensor:$result);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
}

def QNN_IntClampOp : QNN_IntOp<"clamp", [SameOperandsAndResultType]> {
  let summary = "clamps storage values to [min, max]";
  let description = [{
    The integer form of `qnn.clamp`: bounds are storage values inside the
    range of the element type, `min <= max`. Canonicalization folds it into
    the `clamp_min` / `clamp_max` of a producing `qnn.int.rescale`,
    `qnn.int.add`, `qnn.int.weighted_add`, `qnn.int.mul` or
    `qnn.int.avg_pool2d`, and removes a
    clamp to the whole range.

    Example:
    ```mlir
    %0 = qnn.int.clamp %x {min = -128 : i64, max = 127 : i64} : tensor<1x8x8x16xi8>
    ```
  }];
  let arguments = (ins QNN_IntTensor:$input, QNN_I64Attr:$min, QNN_I64Attr:$max);
  // A clamp after an op that clamps its own result folds into that op's
  // bounds (the fused activation of TensorFlow Lite's kernels).
  let hasCanonicalizeMethod = 1;
  let results = (outs QNN_IntTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

//===----------------------------------------------------------------------===//
// Pooling and padding
//===----------------------------------------------------------------------===//

def QNN_IntAvgPool2DOp : QNN_IntOp<"avg_pool2d"> {
  let summary = "integer 2-D average pooling, NHWC";
  let description = [{
    The sum of each window's valid (non-padded) storage values, centred on
    `input_zp`, divided by their count and rounded to nearest, then moved
    back and clamped to `[clamp_min, clamp_max]` (default: the range of the
    element type):
    ```
    result = clamp(input_zp + round((sum - count * input_zp) / count))
    ```
    `rounding` breaks exact ties: `away_from_zero` (default) with
    `input_zp = 0` is TensorFlow Lite's integer average pool; `to_even`
    with the input's zero point is PyTorch's (the qnnpack engine rounds the
    average of `q - Z` half to even; with 2x2 windows about a quarter of the
    averages are exact ties, so the two differ by 1 on about 12% of values).
    Input and result share the element type (and the quantization
    parameters they stand for).

    Example:
    ```mlir
    %0 = qnn.int.avg_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>}
         : (tensor<1x8x8x16xui8>) -> tensor<1x4x4x16xui8>
    %1 = qnn.int.avg_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>,
           rounding = #qnn.ties<to_even>, input_zp = 3 : i64}
         : (tensor<1x8x8x16xui8>) -> tensor<1x4x4x16xui8>
    ```
  }];
  let arguments = (ins QNN_Int8or16Tensor:$input, DenseI64ArrayAttr:$kernel,
                       QNN_IntStrides:$strides, QNN_IntPadding:$padding,
                       DefaultValuedAttr<QNN_TiesAttr,
                           "::mlir::qnn::Ties::AwayFromZero">:$rounding,
                       QNN_ZeroPoint:$input_zp,
                       OptionalAttr<QNN_I64Attr>:$clamp_min,
                       OptionalAttr<QNN_I64Attr>:$clamp_max);
  let results = (outs QNN_Int8or16Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def QNN_IntPadOp : QNN_IntOp<"pad"> {
  let summary = "pads with a storage value";
  let description = [{
    The integer form of `qnn.pad`: `value` is a storage value in the range of
    the element type (normally the zero point, i.e. real 0).

    Example:
    ```mlir
    %0 = qnn.int.pad %x {padding = array<i64: 0, 0, 1, 1, 1, 1, 0, 0>, value = -128 : i64}
         : (tensor<1x8x8x16xi8>) -> tensor<1x10x10x16xi8>
    ```
  }];
  let arguments = (ins QNN_IntTensor:$input, DenseI64ArrayAttr:$padding,
                       QNN_ZeroPoint:$value);
  let results = (outs QNN_IntTensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

//===----------------------------------------------------------------------===//
// Level boundary
//===----------------------------------------------------------------------===//

def QNN_IntQuantizeOp : QNN_IntOp<"quantize"> {
  let summary = "float tensor to storage values with an explicit scale";
  let description = [{
    The integer-level form of `qnn.quantize`, where the function's float
    inputs enter the integer computation, clamped to the range of the result
    type:

    * `rounding = #qnn.ties<away_from_zero>` (default), TensorFlow Lite's
      reference quantize: `clamp(round_half_away(input / scale) +
      zero_point)`, dividing in float32;
    * `rounding = #qnn.ties<to_even>`, PyTorch's `quantize_per_tensor`:
      `clamp(nearbyint(input * (1.0f / scale)) + zero_point)`, multiplying
      by the float32 reciprocal and rounding half to even.

    Example:
    ```mlir
    %0 = qnn.int.quantize %x {scale = 0.0078125 : f64, zero_point = -1 : i64}
         : (tensor<1x8xf32>) -> tensor<1x8xi8>
    ```
  }];
  let arguments = (ins QNN_FloatTensor:$input, F64Attr:$scale,
                       QNN_ZeroPoint:$zero_point,
                       DefaultValuedAttr<QNN_TiesAttr,
                           "::mlir::qnn::Ties::AwayFromZero">:$rounding);
  let results = (outs QNN_IntTensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def QNN_IntDequantizeOp : QNN_IntOp<"dequantize"> {
  let summary = "storage values to float tensor with an explicit scale";
  let description = [{
    The integer-level form of `qnn.dequantize`:
    `result = scale * (input - zero_point)` in float32.

    Example:
    ```mlir
    %0 = qnn.int.dequantize %q {scale = 0.0078125 : f64, zero_point = -1 : i64}
         : (tensor<1x8xi8>) -> tensor<1x8xf32>
    ```
  }];
  let arguments = (ins QNN_IntTensor:$input, F64Attr:$scale,
                       QNN_ZeroPoint:$zero_point);
  let results = (outs QNN_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

#endif // QOPT_DIALECT_QNN_IR_QNNINTOPS_TD
