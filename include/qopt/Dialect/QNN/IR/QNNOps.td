//===- QNNOps.td - QNN float and quantized level ops -------*- tablegen -*-===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// Ops of the float level (float tensors) and the quantized level (tensors of
// `!quant.uniform` element type). The same compute op serves both levels: the
// verifier accepts an op whose tensors are all float or all quantized.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_DIALECT_QNN_IR_QNNOPS_TD
#define QOPT_DIALECT_QNN_IR_QNNOPS_TD

include "qopt/Dialect/QNN/IR/QNNBase.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

class QNN_PureOp<string mnemonic, list<Trait> traits = []>
    : QNN_Op<mnemonic, !listconcat(traits, [Pure])> {
  let hasVerifier = 1;
}

// Window attributes shared by convolutions and pooling. `padding` is
// [top, bottom, left, right] and is explicit, as in TensorFlow Lite after
// "SAME" has been resolved.
defvar QNN_Strides = DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">;
defvar QNN_Dilations = DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">;
defvar QNN_Padding = DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">;

//===----------------------------------------------------------------------===//
// Contractions
//===----------------------------------------------------------------------===//

def QNN_Conv2DOp : QNN_PureOp<"conv2d"> {
  let summary = "2-D convolution, NHWC input, OHWI filter, optionally grouped";
  let description = [{
    `result[n, y, x, o] = bias[o] + sum_{ky, kx, c} input[n, y*sy + ky*dy - pad_top,
    x*sx + kx*dx - pad_left, g*Cg + c] * filter[o, ky, kx, c]`, where positions in
    the padding hold real 0 (the input zero point at the quantized level).

    `groups` (default 1) splits the `C` input and `O` output channels into
    `G` groups of `Cg = C / G` and `Og = O / G` channels (both must divide):
    output channel `o` belongs to group `g = o / Og` and reads only the
    input channels `[g*Cg, (g+1)*Cg)`, so the filter is `[O, KH, KW, Cg]`
    (PyTorch's `groups`, with OHWI for its OIHW). `G = C` with one filter
    channel is a depthwise convolution, which `qnn.depthwise_conv2d`
    expresses in TensorFlow Lite's layout.

    At the quantized level the input and result are quantized per tensor, the
    filter per tensor or per output channel (axis 0), and the optional bias is
    `i32` storage with zero point 0 and scale `S_input * S_filter` (per channel
    when the filter is).

    Example:
    ```mlir
    %0 = qnn.conv2d %input, %filter, %bias {strides = array<i64: 2, 2>,
           padding = array<i64: 1, 1, 1, 1>}
         : (tensor<1x8x8x3xf32>, tensor<16x3x3x3xf32>, tensor<16xf32>)
         -> tensor<1x4x4x16xf32>
    %1 = qnn.conv2d %x, %f {groups = 2 : i64}
         : (tensor<1x8x8x16xf32>, tensor<8x3x3x8xf32>) -> tensor<1x6x6x8xf32>
    ```
  }];
  let arguments = (ins QNN_FloatOrQuantTensor:$input,
                       QNN_FloatOrQuantTensor:$filter,
                       Optional<QNN_FloatOrQuantTensor>:$bias,
                       QNN_Strides:$strides, QNN_Dilations:$dilations,
                       QNN_Padding:$padding,
                       DefaultValuedAttr<QNN_I64Attr, "1">:$groups);
  let results = (outs QNN_FloatOrQuantTensor:$result);
  let assemblyFormat = [{
    $input `,` $filter (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

def QNN_DepthwiseConv2DOp : QNN_PureOp<"depthwise_conv2d"> {
  let summary = "depthwise 2-D convolution, NHWC input, 1HWO filter";
  let description = [{
    Each input channel `c` is convolved with `M = O / C` filters (the depth
    multiplier): output channel `o = c * M + m` reads input channel
    `o / M`. The filter has shape `[1, KH, KW, O]` as in TensorFlow Lite, so
    per-channel quantization of the filter is along axis 3. Padding, strides,
    dilations, bias and quantization rules are those of `qnn.conv2d`.

    Example:
    ```mlir
    %0 = qnn.depthwise_conv2d %input, %filter, %bias {padding = array<i64: 1, 1, 1, 1>}
         : (tensor<1x8x8x4xf32>, tensor<1x3x3x8xf32>, tensor<8xf32>)
         -> tensor<1x8x8x8xf32>
    ```
  }];
  let arguments = (ins QNN_FloatOrQuantTensor:$input,
                       QNN_FloatOrQuantTensor:$filter,
                       Optional<QNN_FloatOrQuantTensor>:$bias,
                       QNN_Strides:$strides, QNN_Dilations:$dilations,
                       QNN_Padding:$padding);
  let results = (outs QNN_FloatOrQuantTensor:$result);
  let assemblyFormat = [{
    $input `,` $filter (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

def QNN_FullyConnectedOp : QNN_PureOp<"fully_connected"> {
  let summary = "fully connected layer (matmul with transposed weights)";
  let description = [{
    `result[n, o] = bias[o] + sum_k input[n, k] * weights[o, k]`. Weights are
    `[O, K]` as in TensorFlow Lite and PyTorch's `nn.Linear`; per-channel
    weight quantization is along axis 0. Bias and quantization rules are
    those of `qnn.conv2d`.

    Example:
    ```mlir
    %0 = qnn.fully_connected %input, %weights, %bias
         : (tensor<2x64xf32>, tensor<10x64xf32>, tensor<10xf32>) -> tensor<2x10xf32>
    ```
  }];
  let arguments = (ins QNN_FloatOrQuantTensor:$input,
                       QNN_FloatOrQuantTensor:$weights,
                       Optional<QNN_FloatOrQuantTensor>:$bias);
  let results = (outs QNN_FloatOrQuantTensor:$result);
  let assemblyFormat = [{
    $input `,` $weights (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

//===----------------------------------------------------------------------===//
// Float-only ops: batch norm and range markers
//===----------------------------------------------------------------------===//

def QNN_BatchNormOp : QNN_PureOp<"batch_norm"> {
  let summary = "inference batch normalization over the innermost dimension";
  let description = [{
    `result = gamma * (input - mean) / sqrt(variance + epsilon) + beta`, with
    the per-channel vectors indexed by the innermost (channel) dimension of
    an NHWC or NC tensor. Float level only: `--qopt-fold-batch-norm` folds it
    into the producing convolution or fully connected layer.

    Example:
    ```mlir
    %0 = qnn.batch_norm %x, %gamma, %beta, %mean, %var {epsilon = 1.0e-05 : f64}
         : (tensor<1x8x8x16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>,
            tensor<16xf32>) -> tensor<1x8x8x16xf32>
    ```
  }];
  let arguments = (ins QNN_FloatTensor:$input, QNN_FloatTensor:$gamma,
                       QNN_FloatTensor:$beta, QNN_FloatTensor:$mean,
                       QNN_FloatTensor:$variance,
                       DefaultValuedAttr<F64Attr, "1.0e-5">:$epsilon);
  let results = (outs QNN_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $gamma `,` $beta `,` $mean `,` $variance attr-dict `:`
    functional-type(operands, results)
  }];
}

def QNN_RangeOp : QNN_PureOp<"range", [SameOperandsAndResultType]> {
  let summary = "records the real range of a float tensor";
  let description = [{
    An identity on values that records the `[min, max]` observed for this
    tensor during quantization-aware training (the exponential moving averages
    of the paper) or calibration, and how it is to be quantized: `num_bits`,
    `narrow_range` (the lowest storage value is unused, e.g. int8 in
    [-127, 127]) and `symmetric` (zero point at the middle of the range).
    `--qopt-propagate-quant-params` turns it into a quantized type.

    `reduce_range` is PyTorch's observer option of that name (the x86
    `fbgemm` qconfig sets it for activations): the scale and zero point are
    chosen for one bit less (`[0, 127]` for 8-bit unsigned storage, so the
    scale is about twice as large), but the tensor is stored with the full
    `num_bits`, and kernels producing it clamp to the full storage range
    (`[0, 255]`), as PyTorch's converted kernels do.

    **Weights.** A marker on the constant weights of `qnn.conv2d`,
    `qnn.depthwise_conv2d` or `qnn.fully_connected` gives the range the
    weight observer recorded (a QAT weight fake-quant keeps its own moving
    averages, which differ from the final weights' min / max); the quantizer
    then uses it instead of the constant's own range, with the marker's
    `num_bits`, `narrow_range` and `symmetric`. A per-channel observer's
    ranges are `channel_min` / `channel_max`, one entry per index of
    dimension `axis` (the output-channel axis of the weights' layout: 0 for
    OHWI and `[O, K]`, 3 for 1HWO), with `min` / `max` their overall bounds;
    the weights are then quantized per channel whatever the scheme says, and
    per tensor otherwise. Markers with `axis` are only valid on weights.

    Example:
    ```mlir
    %0 = qnn.range %x {min = -1.5 : f64, max = 6.0 : f64} : tensor<1x8x8x16xf32>
    %w = qnn.range %cst {min = -0.5 : f64, max = 0.75 : f64, symmetric = true,
           axis = 0 : i64, channel_min = array<f64: -0.5, -0.25>,
           channel_max = array<f64: 0.5, 0.75>} : tensor<2x3x3x8xf32>
    ```
  }];
  let arguments = (ins QNN_FloatTensor:$input, F64Attr:$min, F64Attr:$max,
                       DefaultValuedAttr<QNN_I64Attr, "8">:$num_bits,
                       DefaultValuedAttr<BoolAttr, "false">:$narrow_range,
                       DefaultValuedAttr<BoolAttr, "false">:$symmetric,
                       DefaultValuedAttr<BoolAttr, "false">:$reduce_range,
                       OptionalAttr<QNN_I64Attr>:$axis,
                       OptionalAttr<DenseF64ArrayAttr>:$channel_min,
                       OptionalAttr<DenseF64ArrayAttr>:$channel_max);
  let results = (outs QNN_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

//===----------------------------------------------------------------------===//
// Elementwise arithmetic
//===----------------------------------------------------------------------===//

class QNN_BinaryOp<string mnemonic, string op> : QNN_PureOp<mnemonic> {
  let summary = "elementwise " # op;
  let description = [{
    Elementwise }] # op # [{ of two tensors of the same shape. At the
    quantized level each operand keeps its own per-tensor scale and zero
    point; the integer passes derive the rescaling.

    Example:
    ```mlir
    %0 = qnn.}] # mnemonic # [{ %a, %b : (tensor<1x8x8x16xf32>, tensor<1x8x8x16xf32>)
         -> tensor<1x8x8x16xf32>
    ```
  }];
  let arguments = (ins QNN_FloatOrQuantTensor:$lhs, QNN_FloatOrQuantTensor:$rhs);
  let results = (outs QNN_FloatOrQuantTensor:$result);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
}

def QNN_AddOp : QNN_BinaryOp<"add", "addition">;
def QNN_MulOp : QNN_BinaryOp<"mul", "multiplication">;

def QNN_ClampOp : QNN_PureOp<"clamp", [SameOperandsAndResultType]> {
  let summary = "clamps real values to [min, max] (ReLU, ReLU6)";
  let description = [{
    `result = min(max(input, min), max)` on real values; `min = 0` with an
    infinite `max` is ReLU, `[0, 6]` is ReLU6. At the quantized level input
    and result have the same type and the bounds are still real values;
    the integer level has `qnn.int.clamp` with storage bounds.

    Example:
    ```mlir
    %0 = qnn.clamp %x {min = 0.0 : f64, max = 6.0 : f64} : tensor<1x8x8x16xf32>
    ```
  }];
  let arguments = (ins QNN_FloatOrQuantTensor:$input, F64Attr:$min, F64Attr:$max);
  let results = (outs QNN_FloatOrQuantTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

def QNN_AvgPool2DOp : QNN_PureOp<"avg_pool2d"> {
  let summary = "2-D average pooling, NHWC";
  let description = [{
    The average of each `kernel` window; padded positions are excluded from
    both the sum and the count, as in TensorFlow Lite. At the quantized level
    input and result are quantized per tensor.

    Example:
    ```mlir
    %0 = qnn.avg_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>}
         : (tensor<1x8x8x16xf32>) -> tensor<1x4x4x16xf32>
    ```
  }];
  let arguments = (ins QNN_FloatOrQuantTensor:$input, DenseI64ArrayAttr:$kernel,
                       QNN_Strides:$strides, QNN_Padding:$padding);
  let results = (outs QNN_FloatOrQuantTensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def QNN_MaxPool2DOp : QNN_PureOp<"max_pool2d"> {
  let summary = "2-D max pooling, NHWC, at any level";
  let description = [{
    The maximum of each `kernel` window, ignoring padded positions. Since
    scales are positive, the maximum of storage values is the maximum of real
    values, so the op accepts float, quantized (per tensor, result of the same
    type) and integer tensors alike.

    Example:
    ```mlir
    %0 = qnn.max_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>,
           padding = array<i64: 1, 1, 1, 1>}
         : (tensor<1x8x8x16xi8>) -> tensor<1x4x4x16xi8>
    ```
  }];
  let arguments = (ins QNN_AnyLevelTensor:$input, DenseI64ArrayAttr:$kernel,
                       QNN_Strides:$strides, QNN_Padding:$padding);
  let results = (outs QNN_AnyLevelTensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

def QNN_ConcatOp : QNN_PureOp<"concat"> {
  let summary = "concatenation along one dimension, at any level";
  let description = [{
    All inputs and the result have the same element type (at the quantized
    level, the same scale and zero point: `--qopt-propagate-quant-params`
    unifies them or inserts `qnn.requantize`).

    Example:
    ```mlir
    %0 = qnn.concat %a, %b {axis = 3 : i64}
         : (tensor<1x8x8x16xf32>, tensor<1x8x8x8xf32>) -> tensor<1x8x8x24xf32>
    ```
  }];
  let arguments = (ins Variadic<QNN_AnyLevelTensor>:$inputs, QNN_I64Attr:$axis);
  let results = (outs QNN_AnyLevelTensor:$result);
  let assemblyFormat = "$inputs attr-dict `:` functional-type(operands, results)";
}

def QNN_ReshapeOp : QNN_PureOp<"reshape"> {
  let summary = "reshape, at any level";
  let description = [{
    Same elements in row-major order, same element type, new shape.

    Example:
    ```mlir
    %0 = qnn.reshape %x : (tensor<1x1x1x64xf32>) -> tensor<1x64xf32>
    ```
  }];
  let arguments = (ins QNN_AnyLevelTensor:$input);
  let results = (outs QNN_AnyLevelTensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def QNN_TransposeOp : QNN_PureOp<"transpose"> {
  let summary = "permutes the dimensions, at any level";
  let description = [{
    `result[i] = input[j]` with `j[permutation[k]] = i[k]` for every `k`:
    dimension `k` of the result is dimension `permutation[k]` of the input
    (as `tosa.transpose` and `linalg.transpose`). It moves values without
    arithmetic, so it accepts float, quantized and integer tensors; the
    element type is unchanged, except that a per-axis quantized type's axis
    follows its dimension. It is how an importer keeps a framework's layout
    at a function's boundary (PyTorch's NCHW to qnn's NHWC and back).
    A transpose of a transpose folds into one, and the identity permutation
    into its input.

    Example:
    ```mlir
    %0 = qnn.transpose %x {permutation = array<i64: 0, 2, 3, 1>}
         : (tensor<1x3x8x8xf32>) -> tensor<1x8x8x3xf32>
    ```
  }];
  let arguments = (ins QNN_AnyLevelTensor:$input,
                       DenseI64ArrayAttr:$permutation);
  let results = (outs QNN_AnyLevelTensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def QNN_PadOp : QNN_PureOp<"pad"> {
  let summary = "pads with a real constant";
  let description = [{
    `padding` holds `[low_0, high_0, low_1, high_1, ...]`, one pair per
    dimension, all non-negative. `value` is the real value of the new
    elements (default 0); at the quantized level it is rounded to the nearest
    storage value, which must lie in the storage range. Real 0 becomes the
    zero point exactly.

    Example:
    ```mlir
    %0 = qnn.pad %x {padding = array<i64: 0, 0, 1, 1, 1, 1, 0, 0>}
         : (tensor<1x8x8x16xf32>) -> tensor<1x10x10x16xf32>
    ```
  }];
  let arguments = (ins QNN_FloatOrQuantTensor:$input, DenseI64ArrayAttr:$padding,
                       DefaultValuedAttr<F64Attr, "0.0">:$value);
  let results = (outs QNN_FloatOrQuantTensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

//===----------------------------------------------------------------------===//
// Level changes
//===----------------------------------------------------------------------===//

def QNN_ConstOp : QNN_Op<"const", [ConstantLike, Pure]> {
  let summary = "quantized constant";
  let description = [{
    A tensor of quantized element type whose storage values are `value`
    (integers of the storage width). Float and plain integer constants use
    `arith.constant`.

    Example:
    ```mlir
    %w = qnn.const dense<[[1, -2], [3, 127]]> : tensor<2x2xi8>
         -> tensor<2x2x!quant.uniform<i8:f32:0, {0.5, 0.25}>>
    ```
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs QNN_QuantTensor:$result);
  let assemblyFormat = "$value attr-dict `->` type($result)";
  let hasFolder = 1;
  let hasVerifier = 1;
}

def QNN_QuantizeOp : QNN_PureOp<"quantize"> {
  let summary = "float tensor to quantized tensor";
  let description = [{
    `q = clamp(round_half_away(r / S) + Z, storage_min, storage_max)` (the
    rounding of TensorFlow Lite's reference quantize).

    Example:
    ```mlir
    %0 = qnn.quantize %x : (tensor<1x8x8x3xf32>)
         -> tensor<1x8x8x3x!quant.uniform<u8:f32, 0.0078125:128>>
    ```
  }];
  let arguments = (ins QNN_FloatTensor:$input);
  let results = (outs QNN_QuantTensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def QNN_DequantizeOp : QNN_PureOp<"dequantize"> {
  let summary = "quantized tensor to float tensor";
  let description = [{
    `r = S * (q - Z)`.

    Example:
    ```mlir
    %0 = qnn.dequantize %x : (tensor<1x10x!quant.uniform<u8:f32, 0.1:0>>)
         -> tensor<1x10xf32>
    ```
  }];
  let arguments = (ins QNN_QuantTensor:$input);
  let results = (outs QNN_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def QNN_RequantizeOp : QNN_PureOp<"requantize"> {
  let summary = "changes the scale and zero point of a quantized tensor";
  let description = [{
    `q_out = clamp(round((S_in / S_out) * (q_in - Z_in)) + Z_out)`, with the
    multiplier `S_in / S_out` applied in fixed point once
    `--qopt-rewrite-multipliers` has run. Input and result are quantized per
    tensor and have the same shape.

    Example:
    ```mlir
    %0 = qnn.requantize %x : (tensor<4x!quant.uniform<i8:f32, 0.5:-3>>)
         -> tensor<4x!quant.uniform<i8:f32, 0.25:10>>
    ```
  }];
  let arguments = (ins QNN_QuantTensor:$input);
  let results = (outs QNN_QuantTensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

#endif // QOPT_DIALECT_QNN_IR_QNNOPS_TD
