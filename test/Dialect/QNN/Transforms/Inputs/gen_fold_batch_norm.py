#!/usr/bin/env python3
#===- gen_fold_batch_norm.py - Inputs of fold-batch-norm-numeric.test ----===#
#
# Part of the qopt project.
#
#===-----------------------------------------------------------------------===#
#
# Writes, next to this script:
#   fold-batch-norm-numeric.mlir           a conv2d (with bias), a depthwise
#                                          conv2d (no bias, a qnn.range before
#                                          the batch norm) and a
#                                          fully_connected (with bias), each
#                                          followed by a qnn.batch_norm with
#                                          random float32 parameters;
#   fold-batch-norm-numeric.expected.json  the folded weights and bias of each
#                                          contraction, computed here in
#                                          float64 with numpy, independently
#                                          of qopt:
#     s      = gamma / sqrt(variance + epsilon)
#     w_fold = w * s            (along the output-channel axis)
#     b_fold = beta + (b - mean) * s          (b = 0 without bias)
#
# Run by hand after changing it, and commit both outputs; the test itself only
# needs the Python standard library:
#   /usr/bin/python3 test/Dialect/QNN/Transforms/Inputs/gen_fold_batch_norm.py
#
#===-----------------------------------------------------------------------===#

import json
import os

import numpy as np

rng = np.random.default_rng(20180330)
HERE = os.path.dirname(os.path.abspath(__file__))


def f32(shape, scale, offset=0.0):
    return (offset + scale * rng.standard_normal(shape)).astype(np.float32)


def decimal(value):
    """An MLIR float literal (which needs a '.') equal to `value` as a double.
    For a float32 that is exact, so the parser rounds nothing."""
    mantissa, e, exponent = repr(float(value)).partition("e")
    if "." not in mantissa:
        mantissa += ".0"
    return mantissa + e + exponent


def literal(array):
    """A dense<...> body with exactly the values of the float32 `array`."""
    if array.ndim == 0:
        return decimal(array)
    return "[" + ", ".join(literal(a) for a in array) + "]"


def ttype(array):
    return "tensor<" + "x".join(str(d) for d in array.shape) + "xf32>"


def const(name, array):
    return (f"    %{name} = arith.constant dense<{literal(array)}> : "
            f"{ttype(array)}\n")


def batch_norm_params(channels):
    return dict(gamma=rng.uniform(0.5, 1.5, channels).astype(np.float32),
                beta=f32(channels, 0.1),
                mean=f32(channels, 0.3),
                var=rng.uniform(0.2, 2.0, channels).astype(np.float32))


def fold(weights, bias, bn, eps, axis):
    w = weights.astype(np.float64)
    b = np.zeros(w.shape[axis]) if bias is None else bias.astype(np.float64)
    s = bn["gamma"].astype(np.float64) / np.sqrt(
        bn["var"].astype(np.float64) + eps)
    shape = [1] * w.ndim
    shape[axis] = -1
    folded_w = w * s.reshape(shape)
    folded_b = bn["beta"].astype(np.float64) + (
        b - bn["mean"].astype(np.float64)) * s
    return folded_w, folded_b


def function(name, op, in_shape, out_shape, weights, bias, attrs, eps, axis,
             range_before_norm):
    """One function: op(input, weights[, bias]) -> [range] -> batch_norm."""
    bn = batch_norm_params(weights.shape[axis])
    x_type = "tensor<" + "x".join(map(str, in_shape)) + "xf32>"
    y_type = "tensor<" + "x".join(map(str, out_shape)) + "xf32>"
    c_type = ttype(bn["gamma"])
    text = f"  func.func @{name}(%x: {x_type}) -> {y_type} {{\n"
    text += const("w", weights)
    operands = "%x, %w"
    types = f"{x_type}, {ttype(weights)}"
    if bias is not None:
        text += const("b", bias)
        operands += ", %b"
        types += f", {ttype(bias)}"
    for key in ("gamma", "beta", "mean", "var"):
        text += const(key, bn[key])
    text += (f"    %c = {op} {operands}{attrs} : ({types}) -> {y_type}\n")
    pre_norm = "%c"
    if range_before_norm:
        text += (f"    %r = qnn.range %c {{min = -8.0 : f64, max = 8.0 : f64}}"
                 f" : {y_type}\n")
        pre_norm = "%r"
    text += (f"    %n = qnn.batch_norm {pre_norm}, %gamma, %beta, %mean, %var "
             f"{{epsilon = {decimal(eps)} : f64}}\n"
             f"         : ({y_type}, {c_type}, {c_type}, {c_type}, {c_type}) "
             f"-> {y_type}\n")
    text += f"    return %n : {y_type}\n  }}\n"
    folded_w, folded_b = fold(weights, bias, bn, eps, axis)
    expected = {
        "op": op,
        "weights": {"shape": list(folded_w.shape),
                    "values": folded_w.ravel().tolist()},
        "bias": {"shape": list(folded_b.shape),
                 "values": folded_b.ravel().tolist()},
    }
    return text, expected


def main():
    specs = [
        # conv2d: OHWI filter, output channels on axis 0.
        dict(name="conv2d", op="qnn.conv2d", in_shape=(1, 6, 6, 4),
             out_shape=(1, 6, 6, 8), weights=f32((8, 3, 3, 4), 0.3),
             bias=f32(8, 0.1), attrs=" {padding = array<i64: 1, 1, 1, 1>}",
             eps=1e-3, axis=0, range_before_norm=False),
        # depthwise_conv2d: 1HWO filter (depth multiplier 2), axis 3.
        dict(name="depthwise_conv2d", op="qnn.depthwise_conv2d",
             in_shape=(1, 6, 6, 4), out_shape=(1, 3, 3, 8),
             weights=f32((1, 3, 3, 8), 0.3), bias=None,
             attrs=(" {strides = array<i64: 2, 2>,"
                    " padding = array<i64: 1, 1, 1, 1>}"),
             eps=1e-5, axis=3, range_before_norm=True),
        # fully_connected: [O, K] weights, axis 0.
        dict(name="fully_connected", op="qnn.fully_connected",
             in_shape=(2, 16), out_shape=(2, 10),
             weights=f32((10, 16), 0.3), bias=f32(10, 0.1), attrs="",
             eps=1e-5, axis=0, range_before_norm=False),
    ]
    text = ("// Input of fold-batch-norm-numeric.test.\n"
            "//\n"
            "// Generated by gen_fold_batch_norm.py; do not edit.\n"
            "module {\n")
    expected = {}
    for spec in specs:
        func_text, expected[spec["name"]] = function(**spec)
        text += func_text
    text += "}\n"
    with open(os.path.join(HERE, "fold-batch-norm-numeric.mlir"), "w") as f:
        f.write(text)
    with open(os.path.join(HERE, "fold-batch-norm-numeric.expected.json"),
              "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
