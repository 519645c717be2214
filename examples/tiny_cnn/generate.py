#!/usr/bin/env python3
#===- generate.py - Build the bundled tiny CNN at the float level ---------===#
#
# Part of the qopt project.
#
#===-----------------------------------------------------------------------===#
#
# Writes model.mlir: a small MobileNet-like network as a trained model would
# reach qopt (float weights, batch norms not yet folded), with qnn.range
# markers holding the ranges observed when running it on a calibration batch,
# the way post-training calibration or QAT's moving averages provide them.
#
# Only the Python standard library is used, with a fixed seed, so the file is
# reproducible anywhere: python3 examples/tiny_cnn/generate.py
#
#===-----------------------------------------------------------------------===#

import math
import os
import random

rng = random.Random(1712)  # arXiv 1712.05877
H = W = 16
C_IN, C = 3, 8
CLASSES = 4


def tensor(shape, scale):
    if len(shape) == 1:
        return [rng.gauss(0.0, scale) for _ in range(shape[0])]
    return [tensor(shape[1:], scale) for _ in range(shape[0])]


def conv(x, w, b, stride, pad, depthwise):
    """NHWC input x[h][w][c] (batch 1), OHWI (or 1HWO depthwise) filter."""
    kh, kw = len(w[0]), len(w[0][0])
    out_c = len(b)
    in_h, in_w = len(x), len(x[0])
    out_h = (in_h + 2 * pad - kh) // stride + 1
    out_w = (in_w + 2 * pad - kw) // stride + 1
    y = [[[b[o] for o in range(out_c)] for _ in range(out_w)] for _ in range(out_h)]
    for oy in range(out_h):
        for ox in range(out_w):
            for ky in range(kh):
                iy = oy * stride + ky - pad
                if not 0 <= iy < in_h:
                    continue
                for kx in range(kw):
                    ix = ox * stride + kx - pad
                    if not 0 <= ix < in_w:
                        continue
                    pixel = x[iy][ix]
                    for o in range(out_c):
                        if depthwise:
                            y[oy][ox][o] += pixel[o] * w[0][ky][kx][o]
                        else:
                            y[oy][ox][o] += sum(p * f for p, f in zip(pixel, w[o][ky][kx]))
    return y


def batch_norm(x, gamma, beta, mean, var, eps):
    return [[[g * (v - m) / math.sqrt(s + eps) + be
              for v, g, be, m, s in zip(px, gamma, beta, mean, var)]
             for px in row] for row in x]


def clamp(x, lo, hi):
    return [[[min(max(v, lo), hi) for v in px] for px in row] for row in x]


def add(a, b):
    return [[[u + v for u, v in zip(pa, pb)] for pa, pb in zip(ra, rb)]
            for ra, rb in zip(a, b)]


def flat(x):
    return [v for row in x for px in row for v in px] if isinstance(x[0], list) else x


class Ranges:
    """min/max of each marked tensor over the calibration batch."""

    def __init__(self):
        self.seen = {}

    def observe(self, name, x):
        values = flat(x)
        lo, hi = self.seen.get(name, (math.inf, -math.inf))
        self.seen[name] = (min(lo, min(values)), max(hi, max(values)))
        return x


def bn_params():
    return ([1.0 + rng.uniform(-0.3, 0.3) for _ in range(C)],
            [rng.uniform(-0.2, 0.2) for _ in range(C)],
            [rng.uniform(-0.3, 0.3) for _ in range(C)],
            [rng.uniform(0.5, 1.5) for _ in range(C)])


params = {
    "w1": tensor([C, 3, 3, C_IN], 0.3), "b1": tensor([C], 0.1), "bn1": bn_params(),
    "w2": tensor([1, 3, 3, C], 0.4), "b2": tensor([C], 0.1), "bn2": bn_params(),
    "w3": tensor([C, 1, 1, C], 0.35), "b3": tensor([C], 0.1),
    "w4": tensor([CLASSES, C], 0.5), "b4": tensor([CLASSES], 0.1),
}
EPS = 1e-3


def forward(image, ranges):
    x = ranges.observe("input", image)
    x = conv(x, params["w1"], params["b1"], 1, 1, False)
    x = clamp(batch_norm(x, *params["bn1"], EPS), 0.0, 6.0)
    x = ranges.observe("conv1", x)
    x = conv(x, params["w2"], params["b2"], 2, 1, True)
    x = clamp(batch_norm(x, *params["bn2"], EPS), 0.0, math.inf)
    branch = ranges.observe("dw", x)
    x = ranges.observe("pw", conv(branch, params["w3"], params["b3"], 1, 0, False))
    x = ranges.observe("residual", add(x, branch))
    pooled = [sum(px[c] for row in x for px in row) / (len(x) * len(x[0])) for c in range(C)]
    pooled = ranges.observe("pool", pooled)
    logits = [b + sum(w * p for w, p in zip(ws, pooled))
              for ws, b in zip(params["w4"], params["b4"])]
    return ranges.observe("logits", logits)


ranges = Ranges()
for _ in range(4):
    forward([[[rng.uniform(-1.0, 1.0) for _ in range(C_IN)] for _ in range(W)] for _ in range(H)],
            ranges)


def dense(values):
    if isinstance(values, list):
        return "[" + ", ".join(dense(v) for v in values) + "]"
    return f"{values:.6e}"


def shape(values):
    dims = []
    while isinstance(values, list):
        dims.append(len(values))
        values = values[0]
    return "x".join(map(str, dims)) + "xf32"


lines = []


def const(name, values):
    lines.append(f"    %{name} = arith.constant dense<{dense(values)}> : tensor<{shape(values)}>")


def rng_marker(result, operand, name, t):
    lo, hi = ranges.seen[name]
    lines.append(f"    %{result} = qnn.range %{operand} {{min = {lo:.6e} : f64, max = {hi:.6e} : f64}}"
                 f" : {t}")


for name in ("w1", "b1", "w2", "b2", "w3", "b3", "w4", "b4"):
    const(name, params[name])
for bn in ("bn1", "bn2"):
    for part, values in zip(("gamma", "beta", "mean", "var"), params[bn]):
        const(f"{bn}_{part}", values)

t_in, t1, t2 = "tensor<1x16x16x3xf32>", "tensor<1x16x16x8xf32>", "tensor<1x8x8x8xf32>"
rng_marker("x", "input", "input", t_in)
lines += [
    f"    %c1 = qnn.conv2d %x, %w1, %b1 {{padding = array<i64: 1, 1, 1, 1>}}"
    f" : ({t_in}, tensor<8x3x3x3xf32>, tensor<8xf32>) -> {t1}",
    f"    %n1 = qnn.batch_norm %c1, %bn1_gamma, %bn1_beta, %bn1_mean, %bn1_var"
    f" {{epsilon = {EPS:.1e} : f64}} : ({t1}, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>,"
    f" tensor<8xf32>) -> {t1}",
    f"    %r1 = qnn.clamp %n1 {{min = 0.0 : f64, max = 6.0 : f64}} : {t1}",
]
rng_marker("a1", "r1", "conv1", t1)
lines += [
    f"    %c2 = qnn.depthwise_conv2d %a1, %w2, %b2 {{strides = array<i64: 2, 2>,"
    f" padding = array<i64: 1, 1, 1, 1>}} : ({t1}, tensor<1x3x3x8xf32>, tensor<8xf32>) -> {t2}",
    f"    %n2 = qnn.batch_norm %c2, %bn2_gamma, %bn2_beta, %bn2_mean, %bn2_var"
    f" {{epsilon = {EPS:.1e} : f64}} : ({t2}, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>,"
    f" tensor<8xf32>) -> {t2}",
    f"    %r2 = qnn.clamp %n2 {{min = 0.0 : f64, max = 0x7FF0000000000000 : f64}} : {t2}",
]
rng_marker("a2", "r2", "dw", t2)
lines.append(f"    %c3 = qnn.conv2d %a2, %w3, %b3 : ({t2}, tensor<8x1x1x8xf32>, tensor<8xf32>) -> {t2}")
rng_marker("a3", "c3", "pw", t2)
lines.append(f"    %s = qnn.add %a3, %a2 : ({t2}, {t2}) -> {t2}")
rng_marker("a4", "s", "residual", t2)
lines += [
    f"    %p = qnn.avg_pool2d %a4 {{kernel = array<i64: 8, 8>}} : ({t2}) -> tensor<1x1x1x8xf32>",
    "    %f = qnn.reshape %p : (tensor<1x1x1x8xf32>) -> tensor<1x8xf32>",
]
rng_marker("a5", "f", "pool", "tensor<1x8xf32>")
lines.append("    %l = qnn.fully_connected %a5, %w4, %b4"
             " : (tensor<1x8xf32>, tensor<4x8xf32>, tensor<4xf32>) -> tensor<1x4xf32>")
rng_marker("logits", "l", "logits", "tensor<1x4xf32>")
lines.append("    return %logits : tensor<1x4xf32>")

header = """// A MobileNet-like block at the float level, as a trained model reaches
// qopt: conv + batch_norm + ReLU6, depthwise conv + batch_norm + ReLU, a
// pointwise conv, a residual add of two differently-ranged tensors, global
// average pooling and a fully connected classifier. qnn.range markers hold
// the ranges observed on a calibration batch.
//
// Generated by examples/tiny_cnn/generate.py; do not edit.
"""
body = "\n".join(lines)
text = (header + "module {\n  func.func @tiny_cnn(%input: tensor<1x16x16x3xf32>) -> tensor<1x4xf32> {\n"
        + body + "\n  }\n}\n")
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "model.mlir"), "w") as f:
    f.write(text)
