//===- Passes.td - QNN transformation passes ---------------*- tablegen -*-===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_DIALECT_QNN_TRANSFORMS_PASSES_TD
#define QOPT_DIALECT_QNN_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def FoldBatchNormPass : Pass<"qopt-fold-batch-norm", "func::FuncOp"> {
  let summary = "Fold batch normalization into the preceding conv / FC constants";
  let description = [{
    Rewrites `qnn.batch_norm` at the float level so that no batch norm is
    left for quantization, as TensorFlow Lite's converter and PyTorch's
    `fuse_modules` do before quantizing.

    When the batch norm's input is produced by `qnn.conv2d`,
    `qnn.depthwise_conv2d` or `qnn.fully_connected` with constant weights
    (and constant bias, if any), and the batch norm is that result's only
    user, the contraction absorbs it, per output channel `o`:

    ```
    s[o]      = gamma[o] / sqrt(variance[o] + epsilon)
    w_fold    = w * s[o]                       (along the output-channel axis)
    b_fold[o] = beta[o] + (b[o] - mean[o]) * s[o]      (b = 0 without bias)
    ```

    computed in double precision on the constants and stored in the weights'
    element type; with `precision=float32` every step is a float32
    operation in the order of PyTorch's `fuse_conv_bn_weights`
    (`r = 1 / sqrt(variance + epsilon)`, `w_fold = w * (gamma * r)`,
    `b_fold = ((b - mean) * r) * gamma + beta`), so that the folded
    constants are bit for bit those of a model converted by PyTorch. The
    default precision is the numerics' (`numerics`, else the module's
    `qnn.numerics`: float32 for `pytorch` and `pytorch-qnnpack`).
    `qnn.range` markers between the contraction and the batch norm are
    dropped: the range after the batch norm is the one the folded
    contraction produces. A `qnn.range` on the weights (a weight observer's
    range, which PyTorch's QAT `ConvBn` modules record on the folded
    weights) moves to the folded constant.

    A batch norm that cannot be folded (its producer is not a foldable
    contraction, or the pre-norm value has other users) becomes the
    per-channel scale-and-shift it is: a 1x1 `qnn.depthwise_conv2d` with
    weights `s` and bias `beta - mean * s` (on `[N, C]` tensors through
    `qnn.reshape` to `[N, 1, 1, C]`), which quantizes like any other layer.
    Batch norms with non-constant parameters are left unchanged.
  }];
  let options = [
    Option<"precision", "precision", "std::string", /*default=*/"\"\"",
           "double or float32 (PyTorch's fuse_conv_bn_weights); default: "
           "the numerics'">,
    Option<"numerics", "numerics", "std::string", /*default=*/"\"\"",
           "tflite, pytorch or pytorch-qnnpack (default: the module's "
           "qnn.numerics attribute)">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
  let statistics = [
    Statistic<"numFolded", "folded",
              "Batch norms folded into the contraction before them">,
    Statistic<"numConverted", "converted",
              "Batch norms rewritten as a 1x1 depthwise convolution">,
  ];
}

def PropagateQuantParamsPass : Pass<"qopt-propagate-quant-params", "func::FuncOp"> {
  let summary = "Quantize a float-level function from its range markers";
  let description = [{
    Takes a function from the float level to the quantized level: every
    tensor between the `qnn.quantize` of an argument and the
    `qnn.dequantize` before a float use (the return) gets a
    `!quant.uniform` type, weights and biases become integer `qnn.const`
    values, and the `qnn.range` markers disappear. The function signature
    stays float.

    * **Activations.** Each `qnn.range` gives its tensor a scale and zero
      point, chosen from `[min, max]` (widened to contain 0 and nudged so
      that real 0 is exact) by the scheme's convention; the marker's
      `num_bits`, `narrow_range` and `symmetric` select the storage range.
      Several markers on one tensor: the last wins. A `qnn.clamp` whose input
      feeds nothing else takes the range after it, so that the producer
      quantizes to the clamped range, as TensorFlow Lite fuses ReLU / ReLU6.
    * **Propagation.** `qnn.max_pool2d`, `qnn.reshape`, `qnn.transpose`,
      `qnn.pad` (whose real pad value, 0 by default, quantizes to the zero
      point), `qnn.clamp` and `qnn.avg_pool2d` keep their input's parameters
      unless a marker says otherwise; where a marker asks `max_pool2d`,
      `reshape`, `transpose`, `pad` or `clamp` for other parameters, a
      `qnn.requantize` follows them.
      `qnn.add` and `qnn.mul` keep each operand's parameters (the integer
      passes rescale them) and need a marker on their result, as the
      contractions do.
    * **Concat.** `concat=unify` (default) gives every input the output's
      parameters (its marker's, else the union of the inputs' ranges) by
      changing the producers' output types, as TensorFlow Lite does; inputs
      whose type cannot change (arguments, values with other users,
      data-movement results) get a `qnn.requantize`. `concat=requantize`
      requantizes every input whose parameters differ.
    * **Weights and bias.** Constant weights (`arith.constant`) are quantized
      at compile time per tensor or per output channel, symmetric or not;
      a bias becomes `i32` with zero point 0 and scale
      `S_input * S_weights[c]`.

    `scheme` picks the defaults, which the other options override. The
    pass defaults to `gemmlowp`; `--qopt-pipeline`, `qopt-run --jit` and
    `qopt-compile`, which run it for float-level input, default to `tflite`.

    | scheme | activations | weights | convention |
    | --- | --- | --- | --- |
    | `gemmlowp` | uint8 | uint8, per tensor, asymmetric | gemmlowp `ChooseQuantizationParams` |
    | `fbgemm` | uint8 | int8, per channel, symmetric | PyTorch observers (x86 / fbgemm qconfig) |
    | `qnnpack` | uint8 | int8, per tensor, symmetric | PyTorch observers (ARM / qnnpack qconfig) |
    | `tflite` | int8 | int8 in [-127, 127], per channel, symmetric | TensorFlow fake-quant nudging |

    Without a `scheme` option the module's `qnn.scheme` attribute names it,
    else the scheme of the numerics (`numerics`, else the module's
    `qnn.numerics`: `tflite`, `fbgemm` for `pytorch`, `qnnpack` for
    `pytorch-qnnpack`), else `default-scheme`. Under the PyTorch convention
    (`fbgemm`, `qnnpack`) the bias is quantized as PyTorch's qnnpack engine
    quantizes it, `nearbyint(b * (1.0f / (S_in * S_w)))` in float32.

    **Observer ranges.** A marker with `reduce_range` (PyTorch's `fbgemm`
    activations) chooses the scale and zero point for one bit less and
    stores in the whole range. A marker on the constant weights of a
    contraction replaces the weights' own range (per channel with `axis`,
    `channel_min` and `channel_max`, else per tensor, whatever the scheme's
    `per-channel`), with the marker's `symmetric`, `narrow_range` and
    `num_bits`; the scheme still decides whether weights are signed.

    Errors (at the offending op): a tensor that needs a range and has none,
    non-constant weights, NaN or infinite constants, a bias that does not
    fit in int32, a `qnn.batch_norm` that was not folded.
  }];
  let options = [
    Option<"scheme", "scheme", "std::string", /*default=*/"\"\"",
           "quantization scheme: gemmlowp, fbgemm, qnnpack or tflite "
           "(default: the module's qnn.scheme, else the numerics', else "
           "default-scheme)">,
    Option<"defaultScheme", "default-scheme", "std::string",
           /*default=*/"\"gemmlowp\"",
           "the scheme when neither the options, the module nor the "
           "numerics name one">,
    Option<"numerics", "numerics", "std::string", /*default=*/"\"\"",
           "tflite, pytorch or pytorch-qnnpack (default: the module's "
           "qnn.numerics attribute)">,
    Option<"activationType", "activation-type", "std::string",
           /*default=*/"\"\"", "uint8 or int8 (default: the scheme's)">,
    Option<"weightType", "weight-type", "std::string", /*default=*/"\"\"",
           "uint8 or int8 (default: the scheme's)">,
    // Strings rather than bools: an empty value means "the scheme's", which
    // a bool cannot say once the options are copied from C++ (copying marks
    // every option as given).
    Option<"perChannel", "per-channel", "std::string", /*default=*/"\"\"",
           "true or false: quantize weights per output channel (default: the "
           "scheme's)">,
    Option<"symmetricWeights", "symmetric-weights", "std::string",
           /*default=*/"\"\"",
           "true or false: symmetric weight quantization (default: the "
           "scheme's)">,
    Option<"narrowRangeWeights", "narrow-range-weights", "std::string",
           /*default=*/"\"\"",
           "true or false: leave the lowest weight storage value unused, e.g. "
           "int8 in [-127, 127] (default: the scheme's)">,
    Option<"concatMode", "concat", "std::string", /*default=*/"\"unify\"",
           "unify or requantize">,
  ];
  let dependentDialects = ["::mlir::quant::QuantDialect"];
}

def RewriteMultipliersPass : Pass<"qopt-rewrite-multipliers", "func::FuncOp"> {
  let summary = "Rewrite the quantized level into integer ops with (M0, shift) multipliers";
  let description = [{
    A dialect conversion from the quantized level to the integer level: every
    `!quant.uniform` tensor becomes its storage integer tensor (`i8`, `ui8`,
    `i16`, `i32`), and every real multiplier becomes an int32 `M0` and a
    shift with `M = M0 * 2^(shift - 31)` (TensorFlow Lite's
    `QuantizeMultiplier`: M >= 1 gives a left shift, M below 2^-32 flushes to
    0, M0 rounding up to 2^31 is halved with shift + 1):

    | quantized op | integer form | multiplier |
    | --- | --- | --- |
    | `conv2d`, `depthwise_conv2d`, `fully_connected` | `qnn.int.*` contraction (zero points as attributes, i32 bias) + `qnn.int.rescale` | `S_in * S_w[c] / S_out`, per channel |
    | `add` | `qnn.int.add` | TFLite's: left shift 20 (15 for 16-bit), inputs `S / (2 max(S_lhs, S_rhs))`, output `2 max(S_lhs, S_rhs) / (2^shift S_out)` |
    | `add` (numerics `pytorch-qnnpack`) | `qnn.int.weighted_add` | qnnpack's: `S / S_out` in float32 as integer multipliers over `2^right_shift`, the larger in `[2^21, 2^22]` |
    | `mul` | `qnn.int.mul` | `S_lhs * S_rhs / S_out` |
    | `requantize` | `qnn.int.rescale` | `S_in / S_out` |
    | `avg_pool2d` | `qnn.int.avg_pool2d` (+ `qnn.int.rescale` if the scale changes) | `S_in / S_out` |
    | `clamp` | `qnn.int.clamp` with TFLite's `CalculateActivationRangeQuantized` bounds, then fused into the producing rescale / add / mul / pool | |
    | `pad` | `qnn.int.pad` with the quantized pad value | |
    | `quantize`, `dequantize`, `const` | `qnn.int.quantize`, `qnn.int.dequantize`, `arith.constant` | |

    `max_pool2d`, `reshape`, `transpose` and `concat` keep their op on
    storage values.
    `rounding` selects the convention of every multiplier (see the
    dialect's rounding modes). A multiplier that cannot be encoded
    (M >= 2^30) is a located error.

    `numerics` (default: the module's `qnn.numerics` attribute) picks the
    integer arithmetic of a library (`Numerics.h`): with `pytorch-qnnpack`
    contractions are requantized in float32 as qnnpack does
    (`#qnn.rounding<float32>`, with `M = (S_w * S_in) * (1 / S_out)` in
    float32), additions are qnnpack's (`qnn.int.weighted_add`: integer
    weights, one rounding; scales whose ratios qnnpack refuses are a
    located error), average pools round the average of `q - Z` half to
    even (`#qnn.ties<to_even>` with the input's zero point) and float inputs
    are quantized as PyTorch does (`nearbyint(r * (1 / S))`); otherwise
    TensorFlow Lite's (double rounding, `qnn.int.add`, averages of storage
    values and `r / S` rounded half away from zero). `rounding`, when
    given, overrides the preset's rounding of `(M0, shift)` multipliers;
    it does not change the form of the additions.
  }];
  let options = [
    Option<"rounding", "rounding", "std::string", /*default=*/"\"\"",
           "double (gemmlowp / TFLite, the default), single "
           "(TFLITE_SINGLE_ROUNDING) or float32 (PyTorch's qnnpack; "
           "qnn.int.add keeps double); default: the numerics'">,
    Option<"numerics", "numerics", "std::string", /*default=*/"\"\"",
           "tflite, pytorch or pytorch-qnnpack (default: the module's "
           "qnn.numerics attribute, else TFLite's arithmetic)">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def ExpandZeroPointsPass : Pass<"qopt-expand-zero-points", "func::FuncOp"> {
  let summary = "Fold the constant zero-point terms of integer contractions into the bias";
  let description = [{
    Rewrites each `qnn.int.conv2d`, `qnn.int.depthwise_conv2d` and
    `qnn.int.fully_connected` with constant weights into a contraction on
    raw input storage values (`input_zp = 0`), following

    ```
    sum_k (x_k - Zx)(w_k - Zw) + b
      = sum_k x_k (w_k - Zw)  +  (b - Zx sum_k w_k + K Zx Zw)
    ```

    The second term depends on constants only and becomes one int32 bias
    per output channel, computed at compile time (`K` is the number of taps:
    `KH * KW * C`, `KH * KW` for depthwise, the FC depth). The weight zero
    point stays on the op: the input-sum term `-Zw sum_k x_k` is computed at
    run time, and only when `Zw != 0`. Padded positions must hold `Zx` for
    `K` to count every tap, so a padded convolution gets an explicit
    `qnn.int.pad` with value `Zx` and no padding of its own.

    Accumulator safety: for every integer contraction, with constant
    weights or not, the pass computes the exact range of each output
    channel's int32 accumulator `sum_k (x_k - Zx)(w_k - Zw) + b` over every
    input the input type holds, from the constant weights and bias or else
    from the weights' type (a bias that is not constant counts as 0), and
    reports a located error (or, with `accumulator-overflow=warning`, a
    warning) with the value when some input takes it outside int32, or when
    a following `qnn.int.rescale` shifts it left (a multiplier >= 1) out of
    int32. The expansion and the input moves below do not change the
    accumulator: int32 sums with wrapping adds are exact modulo `2^32`. A
    folded bias that does not fit in int32 (possible only where an overflow
    was accepted) is always an error. Nothing is rewritten when an error is
    reported. Embedders of the patterns get the same check from
    `checkExpandZeroPoints` (`Patterns.h`).

    Dot-product instructions take one signedness of input bytes: x86's
    `vpdpbusd` u8 x s8, AArch64's `sdot` s8 x s8. With constant weights the
    input can be moved to the other one exactly, `x' = x + d` by a
    `qnn.int.rescale` with `M = 1` and output zero point `d`, its zero point
    with it (`Zx' = Zx + d`), so that the folding above absorbs the change
    (`-d sum_k w_k` more in the bias): `unsigned-input` moves s8 x s8
    contractions to u8 (`d = +128`), `signed-input` moves u8 x s8
    contractions to s8 (`d = -128`).

    Where the moved input is read by other ops too, the move costs a pass
    over the activation of its own: the canonicalizer folds it into a
    requantization only when that is its one use. A residual block's output
    feeds both the next block and the next residual add. So a value that
    only moves (one or more moves by the same `d`) and feeds `qnn.int.add`
    and `qnn.max_pool2d` ops, whose operands and results do the same, and
    so on, each produced by a `qnn.int.rescale`, `qnn.int.add`,
    `qnn.int.quantize` or a max pool, moves itself: the producers write
    `x + d` (zero point and clamps plus `d`; a max pool of moved values is
    their maximum moved), the adds read their operands' zero points plus
    `d` and compute the same sums, and the moves disappear. MobileNetV2's 16
    moves (its input image and 15 residual outputs) and 11 of ResNet-18's 12
    (its last add also feeds the average pool, whose rounding does not
    commute with the move) no longer take a pass of their own.
  }];
  let options = [
    Option<"accumulatorOverflow", "accumulator-overflow", "std::string",
           /*default=*/"\"error\"",
           "what a possible int32 accumulator overflow is: error or warning">,
    Option<"unsignedInput", "unsigned-input", "bool", /*default=*/"false",
           "move the input of s8 x s8 contractions to u8 (x + 128, an exact "
           "qnn.int.rescale) and fold the extra -128 * sum w into the bias, "
           "so that x86's u8 x s8 dot products (vpdpbusd) apply">,
    Option<"signedInput", "signed-input", "bool", /*default=*/"false",
           "move the input of u8 x s8 contractions to s8 (x - 128, an exact "
           "qnn.int.rescale) and fold the extra +128 * sum w into the bias, "
           "so that AArch64's s8 x s8 dot products (sdot) apply; exclusive "
           "with unsigned-input">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

#endif // QOPT_DIALECT_QNN_TRANSFORMS_PASSES_TD
