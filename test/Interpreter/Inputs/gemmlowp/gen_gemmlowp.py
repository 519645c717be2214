#!/usr/bin/env python3
#===- gen_gemmlowp.py - The gemmlowp GEMM cases as qopt IR ----------------===#
#
# Part of the qopt project.
#
#===-----------------------------------------------------------------------===#
#
# Expresses each of the 23 uint8 GEMMs of test/vectors/gemm (computed by
# gemmlowp's GemmWithOutputPipeline, see test/vectors/README.md) as qopt IR
# and writes:
#   ../../gemmlowp.mlir         the lit test: per case a function
#                               @int_<case> at the integer level and
#                               @quant_<case> at the quantized level, and RUN
#                               lines running both and comparing them with
#                               gemmlowp's output;
#   <case>.input.npy            the fully connected input, uint8 [rows, K];
#   <case>.weights.npy          the weights, uint8 [O, K];
#   <case>.expected.npy         gemmlowp's `out`, uint8 [rows, O].
#
# gemmlowp computes, for lhs [M, K] and rhs [K, N],
#   acc[i][j] = sum_k (lhs[i][k] - Z_lhs)(rhs[k][j] - Z_rhs) + bias
#   out[i][j] = clamp(MultiplyByQuantizedMultiplier(acc, M0[c], exponent[c])
#                     + Z_out, clamp_min, clamp_max), saturated to uint8
# with the bias and the multiplier index c per row i ("col" bias, PC_Col
# stage) or per column j ("row" bias, PC_Row stage). qnn.fully_connected
# computes result[n][o] = sum_k (input[n][k] - Z_in)(weights[o][k] - Z_w[o])
# + bias[o], with its per-channel quantities along o, the innermost result
# dimension. So the matrix whose index carries the bias and the multipliers
# becomes the weights:
#   per row i:     weights = lhs [M, K], input = rhs^T [N, K], result = out^T;
#   per column j:  weights = rhs^T [N, K], input = lhs [M, K], result = out;
#   neither:       the second form.
#
# Integer level: qnn.int.fully_connected (ui8 x ui8, input_zp, weights_zp,
# i32 bias) and qnn.int.rescale with gemmlowp's (M0, exponent), output zero
# point and clamp, taken from gemm_cases.json as they are.
#
# Quantized level: the same GEMM with !quant.uniform types built from the
# float32 scales of gemm_cases.json, a qnn.const i32 bias of scale
# S_in * S_w[c], and a qnn.clamp for a clamp narrower than uint8. The
# interpreter derives the integers from the scales, so this script emits a
# case only after proving that the derivation gives gemmlowp's integers:
#   * M[c] = (S_in * S_w[c]) / S_out in double (IntegerParams'
#     getContractionMultipliers) equals the json's real_multiplier, and
#     TensorFlow Lite's QuantizeMultiplier of it (as FixedPoint's
#     quantizeMultiplier computes it) is the json's (M0, exponent);
#   * the clamp to [S_out (clamp_min - Z_out), S_out (clamp_max - Z_out)]
#     gives back [clamp_min, clamp_max] in storage units (getClampBounds);
#   * zero points and bias values are copied.
# Only the products S_in * S_w[c] enter the arithmetic. The per-channel cases
# give per-channel scales for the channel index of the multipliers
# (scale_rhs_per_channel_f32), which become the weights' scales, and the
# other matrix gets scale_lhs_f32; for PC_Col that moves the per-channel
# scales to the lhs, which is exact since multiplication commutes.
#
# Run by hand after changing it, with Debian's python3 (which has numpy), and
# commit the outputs; the test itself needs only the standard library:
#   /usr/bin/python3 test/Interpreter/Inputs/gemmlowp/gen_gemmlowp.py
#
#===-----------------------------------------------------------------------===#

import json
import math
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
VECTORS = os.path.join(HERE, "..", "..", "..", "vectors", "gemm")
TEST = os.path.join(HERE, "..", "..", "gemmlowp.mlir")


def quantize_multiplier(m):
    """TensorFlow Lite's QuantizeMultiplier (FixedPoint's quantizeMultiplier)
    for 0 < m < 2^30: m = q * 2^e, M0 = round(q * 2^31) half away from zero."""
    q, e = math.frexp(m)
    m0 = math.floor(q * 2**31 + 0.5)
    if m0 == 2**31:
        m0, e = m0 // 2, e + 1
    assert -31 <= e <= 30
    return m0, e


def clamp_bound(real, scale, zero_point):
    """getClampBounds' Z + round_half_away(r / S)."""
    x = real / scale
    return zero_point + int(math.copysign(math.floor(abs(x) + 0.5), x))


def f32(value):
    """A float32 scale of the json as the double MLIR parses from repr()."""
    return float(np.float32(value))


def ints(values):
    return "[" + ", ".join(str(int(v)) for v in values) + "]"


def array(values):
    return ", ".join(str(int(v)) for v in values)


def tensor(shape, element):
    return "tensor<" + "x".join(str(d) for d in shape) + "x" + element + ">"


def uniform(scale, zero_point):
    return f"!quant.uniform<u8:f32, {scale!r}:{zero_point}>"


def generate(case, arrays):
    name = case["name"]
    lhs, rhs, out = (arrays[f"{name}__{a}"] for a in ("lhs", "rhs", "out"))
    bias = arrays.get(f"{name}__bias")
    stage = case["output_stage"]
    per_row = case["bias"].startswith("col") or stage.endswith("PC_Col")
    assert not (per_row and (case["bias"].startswith("row") or
                             stage.endswith("PC_Row")))
    if per_row:
        weights, inputs, expected = lhs, rhs.T, out.T
        z_w, z_in = case["lhs_zero_point"], case["rhs_zero_point"]
        s_w, s_in = case["scale_lhs_f32"], case["scale_rhs_f32"]
    else:
        weights, inputs, expected = rhs.T, lhs, out
        z_w, z_in = case["rhs_zero_point"], case["lhs_zero_point"]
        s_w, s_in = case["scale_rhs_f32"], case["scale_lhs_f32"]
    channels = weights.shape[0]
    per_channel = "scale_rhs_per_channel_f32" in case
    if per_channel:
        s_in = case["scale_lhs_f32"]
        s_ws = [f32(s) for s in case["scale_rhs_per_channel_f32"]]
    else:
        s_ws = [f32(s_w)]
    s_in, s_out = f32(s_in), f32(case["scale_out_f32"])
    z_out = case["output_zero_point"]
    m0s, shifts = case["fixedpoint_multiplier"], case["exponent"]
    assert len(m0s) == len(s_ws)

    # The proof that the quantized level derives gemmlowp's integers.
    for c, s in enumerate(s_ws):
        m = s_in * s / s_out
        assert m == case["real_multiplier"][c], (name, c)
        assert quantize_multiplier(m) == (m0s[c], shifts[c]), (name, c)
    clamp_min, clamp_max = case["clamp_min"], case["clamp_max"]
    narrow = (clamp_min, clamp_max) != (0, 255)
    real_min = s_out * (clamp_min - z_out)
    real_max = s_out * (clamp_max - z_out)
    assert clamp_bound(real_min, s_out, z_out) == clamp_min, name
    assert clamp_bound(real_max, s_out, z_out) == clamp_max, name

    for suffix, data in (("input", inputs), ("weights", weights),
                         ("expected", expected)):
        np.save(os.path.join(HERE, f"{name}.{suffix}.npy"),
                np.ascontiguousarray(data, dtype=np.uint8))

    rows, depth = inputs.shape
    in_shape, w_shape, out_shape = [rows, depth], [channels, depth], [
        rows, channels]
    description = (f"// {name}: M={case['M']} N={case['N']} K={case['K']}, "
                   f"{stage}, bias {case['bias']}, weights = "
                   f"{'lhs' if per_row else 'rhs^T'}\n")

    # Integer level.
    acc = tensor(out_shape, "i32")
    operands = "%input, %weights" + (", %bias" if bias is not None else "")
    types = (tensor(in_shape, "ui8") + ", " + tensor(w_shape, "ui8") +
             (", " + tensor([channels], "i32") if bias is not None else ""))
    clamp = (f", clamp_min = {clamp_min} : i64, clamp_max = {clamp_max} : i64"
             if narrow else "")
    text = description
    text += (f"func.func @int_{name}(%input: {tensor(in_shape, 'ui8')}, "
             f"%weights: {tensor(w_shape, 'ui8')}) -> "
             f"{tensor(out_shape, 'ui8')} {{\n")
    if bias is not None:
        text += (f"  %bias = arith.constant dense<{ints(bias)}> : "
                 f"{tensor([channels], 'i32')}\n")
    text += (f"  %acc = qnn.int.fully_connected {operands} "
             f"{{input_zp = {z_in} : i64, weights_zp = array<i64: {z_w}>}}\n"
             f"       : ({types}) -> {acc}\n"
             f"  %out = qnn.int.rescale %acc {{multiplier = array<i32: "
             f"{array(m0s)}>,\n"
             f"       shift = array<i32: {array(shifts)}>, output_zp = "
             f"{z_out} : i64{clamp}}}\n"
             f"       : ({acc}) -> {tensor(out_shape, 'ui8')}\n"
             f"  return %out : {tensor(out_shape, 'ui8')}\n}}\n\n")

    # Quantized level.
    q_in = tensor(in_shape, uniform(s_in, z_in))
    if per_channel:
        q_w = tensor(w_shape, "!quant.uniform<u8:f32:0, {" + ", ".join(
            f"{s!r}:{z_w}" for s in s_ws) + "}>")
        q_bias = tensor([channels], "!quant.uniform<i32:f32:0, {" +
                        ", ".join(repr(s_in * s) for s in s_ws) + "}>")
    else:
        q_w = tensor(w_shape, uniform(s_ws[0], z_w))
        q_bias = tensor([channels],
                        f"!quant.uniform<i32:f32, {s_in * s_ws[0]!r}>")
    q_out = tensor(out_shape, uniform(s_out, z_out))
    q_types = q_in + ", " + q_w + (", " + q_bias if bias is not None else "")
    text += description
    text += (f"func.func @quant_{name}(%input: {q_in},\n    %weights: {q_w})\n"
             f"    -> {q_out} {{\n")
    if bias is not None:
        text += (f"  %bias = qnn.const dense<{ints(bias)}> : "
                 f"{tensor([channels], 'i32')}\n       -> {q_bias}\n")
    text += (f"  %out = qnn.fully_connected {operands}\n"
             f"       : ({q_types})\n       -> {q_out}\n")
    result = "%out"
    if narrow:
        text += (f"  %clamped = qnn.clamp %out {{min = {real_min!r} : f64, "
                 f"max = {real_max!r} : f64}} : {q_out}\n")
        result = "%clamped"
    text += f"  return {result} : {q_out}\n}}\n\n"
    return text


def main():
    with open(os.path.join(VECTORS, "gemm_cases.json")) as f:
        cases = json.load(f)["cases"]
    arrays = np.load(os.path.join(VECTORS, "gemm_cases.npz"))
    arrays = {key: arrays[key] for key in arrays.files}
    inputs = "%S/Inputs/gemmlowp"
    runs, int_pairs, quant_pairs = [], [], []
    for case in cases:
        name = case["name"]
        for level, pairs in (("int", int_pairs), ("quant", quant_pairs)):
            runs.append(f"// RUN: qopt-run %s --function {level}_{name} "
                        f"--input {inputs}/{name}.input.npy \\\n"
                        f"// RUN:   --input {inputs}/{name}.weights.npy "
                        f"--output %t/{level}_{name}.npy")
            pairs.append(f"%t/{level}_{name}.npy "
                         f"{inputs}/{name}.expected.npy")
    compare = "%python %qopt_src_root/test/Utils/npy.py compare"
    header = [
        "// Generated by Inputs/gemmlowp/gen_gemmlowp.py; do not edit.",
        "//",
        "// The 23 uint8 GEMMs of test/vectors/gemm, computed by gemmlowp's",
        "// GemmWithOutputPipeline, as qopt IR at the integer level (@int_*)",
        "// and at the quantized level (@quant_*): the reference interpreter",
        "// must reproduce gemmlowp's outputs bit for bit at both levels.",
        "//",
        "// RUN: rm -rf %t && mkdir -p %t",
    ] + runs + [
        f"// RUN: {compare} \\",
        *[f"// RUN:   {pair} \\" for pair in int_pairs],
        "// RUN:   | FileCheck %s --check-prefix=INT",
        f"// RUN: {compare} \\",
        *[f"// RUN:   {pair} \\" for pair in quant_pairs],
        "// RUN:   | FileCheck %s --check-prefix=QUANT",
        f"// INT: {len(cases)} of {len(cases)} identical",
        f"// QUANT: {len(cases)} of {len(cases)} identical",
        "",
        "",
    ]
    with open(TEST, "w") as f:
        f.write("\n".join(header))
        for case in cases:
            f.write(generate(case, arrays))


if __name__ == "__main__":
    main()
