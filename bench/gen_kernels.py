#!/usr/bin/env python3
#===- gen_kernels.py - qopt IR and parameters for the benchmark ---------===#
#
# Part of the qopt project.
#
#===---------------------------------------------------------------------===#
#
# Usage: gen_kernels.py OUT_DIR [MODEL.mlir]
#
# The single source of the benchmark's cells, shapes and quantization
# parameters. For every layer it writes
#   <out>/qopt_layer<i>.mlir  integer-level qopt IR of the layer as a compiled
#                             model has it: u8 activations with a zero point,
#                             s8 per-channel weights and an int32 bias as
#                             constants (the harness's data), the padding as
#                             an attribute of the contraction, a per-channel
#                             rescale to u8; one argument, the input
#   <out>/kernels.h           the same parameters for the C++ harness
#   <out>/params.json         the same parameters for the PyTorch cells
# and, for the whole-model cell, a copy of MODEL.mlir as <out>/model.mlir
# (run.sh compiles it with qopt-compile). QOPT_BENCH_CELLS (comma-separated,
# case-insensitive substrings of the cell names, e.g. "conv,dw,model")
# selects the cells; all by default. Python standard library only.
#
#===---------------------------------------------------------------------===#

import json
import math
import os
import re
import shutil
import sys
from pathlib import Path

# Every layer is an NHWC convolution of one image (a GEMM M x N x K is a 1x1
# convolution over an M x 1 image with K channels and N filters):
# (name, kind, H, W, C, O, KH, KW, padding). 196x256x2304 and 3136x64x576 are
# ResNet-50 3x3 convolutions as im2col GEMMs; 1x1000x1280 is MobileNetV2's
# classifier, conv1x1 one of its expansions and dw3x3 its first depthwise
# layer.
LAYERS = [
    ("GEMM 64x64x64", "fc", 64, 1, 64, 64, 1, 1, 0),
    ("GEMM 256x256x256", "fc", 256, 1, 256, 256, 1, 1, 0),
    ("GEMM 1024x1024x1024", "fc", 1024, 1, 1024, 1024, 1, 1, 0),
    ("GEMM 196x256x2304", "fc", 196, 1, 2304, 256, 1, 1, 0),
    ("GEMM 3136x64x576", "fc", 3136, 1, 576, 64, 1, 1, 0),
    ("GEMV 1x1000x1280", "fc", 1, 1, 1280, 1000, 1, 1, 0),
    ("conv1x1 56x56x24->144", "conv", 56, 56, 24, 144, 1, 1, 0),
    ("conv3x3 28x28x64->64", "conv", 28, 28, 64, 64, 3, 3, 1),
    ("dw3x3 112x112x32", "dw", 112, 112, 32, 32, 3, 3, 1),
]

# The whole-model cell: examples/tiny_cnn/model.mlir, float level, compiled by
# qopt-compile. Its multiply-adds (2 ops each): conv 3x3 3->8 over 16x16,
# depthwise 3x3 stride 2 over 8 channels to 8x8, pointwise 8->8 over 8x8, FC
# 8->4; the residual add and the average pooling are not counted.
MODEL_NAME = "tiny_cnn model 16x16x3"
MODEL_OPS = 2 * (16 * 16 * 8 * 3 * 3 * 3 + 8 * 8 * 8 * 3 * 3
                 + 8 * 8 * 8 * 8 + 8 * 4)

INPUT_SCALE = 0.05
INPUT_ZP = 131
OUTPUT_SCALE = 0.1
OUTPUT_ZP = 120


def quantize_multiplier(m):
    """TFLite's QuantizeMultiplier: m = m0 * 2^(shift - 31), m0 in [2^30, 2^31)."""
    if m == 0.0:
        return 0, 0
    q, shift = math.frexp(m)
    m0 = int(math.floor(q * (1 << 31) + 0.5))  # std::round, q > 0
    if m0 == 1 << 31:
        m0 //= 2
        shift += 1
    return m0, shift


def channel_params(n, k):
    """Per-channel weight scales, chosen so that outputs spread over u8.

    With x - Z1 and w roughly uniform in [-128, 127], the accumulator has a
    standard deviation near 5400 * sqrt(K) for depth K; M = S1 * S2[c] / S3
    maps three of them to about 127. The factor in [0.75, 1.25) makes each channel differ.
    """
    base = 127.0 / (3 * 5400.0 * math.sqrt(k))
    weight_scales, m0s, shifts = [], [], []
    for c in range(n):
        m = base * (0.75 + 0.5 * ((c * 37) % 101) / 101.0)
        s2 = m * OUTPUT_SCALE / INPUT_SCALE
        weight_scales.append(s2)
        m0, shift = quantize_multiplier(INPUT_SCALE * s2 / OUTPUT_SCALE)
        m0s.append(m0)
        shifts.append(shift)
    return weight_scales, m0s, shifts


def symbol(index):
    return f"qopt_layer{index}"


def selected(name):
    """Whether QOPT_BENCH_CELLS (comma-separated, case-insensitive
    substrings of cell names) selects the cell; unset or empty selects all."""
    patterns = [p.strip().lower()
                for p in os.environ.get("QOPT_BENCH_CELLS", "").split(",")
                if p.strip()]
    return not patterns or any(p in name.lower() for p in patterns)


def depth(layer):
    """Multiply-adds per output value (Layer::depth in kernel_abi.h)."""
    name, kind, h, w, c, o, kh, kw, pad = layer
    return kh * kw * (1 if kind == "dw" else c)


def harness_data(layer):
    """The harness's weights and bias (Problem in harness.cpp): the same
    xorshift64 sequence, after the input values it draws first. The weights
    come in the harness's layout: [N][K] for a GEMM, OHWI for a convolution,
    1HWO for a depthwise one."""
    name, kind, h, w, c, o, kh, kw, pad = layer
    mask = (1 << 64) - 1
    state = 0x9E3779B97F4A7C15 ^ (h * 131 + o * 17 + c)

    def draw(count):
        nonlocal state
        values = []
        for _ in range(count):
            state ^= (state << 13) & mask
            state ^= state >> 7
            state ^= (state << 17) & mask
            values.append(state)
        return values

    draw(h * w * c)
    weights = [v % 255 - 127 for v in draw(o * depth(layer))]
    bias = [v % 40001 - 20000 for v in draw(o)]
    return weights, bias


def hex_dense(values, width):
    """A dense attribute in MLIR's hex form: little-endian two's complement."""
    data = b"".join((v % (1 << (8 * width))).to_bytes(width, "little")
                    for v in values)
    return f'dense<"0x{data.hex().upper()}">'


def mlir(index, layer, m0s, shifts):
    name, kind, h, w, c, o, kh, kw, pad = layer
    join = lambda xs: ", ".join(str(x) for x in xs)
    oh, ow = h + 2 * pad - kh + 1, w + 2 * pad - kw + 1
    if kind == "fc":
        x, f, acc = f"{h}x{c}", f"{o}x{c}", f"{h}x{o}"
        op, attrs = "fully_connected", "weights_zp = array<i64: 0>"
    else:
        x, acc = f"1x{h}x{w}x{c}", f"1x{oh}x{ow}x{o}"
        pads = f"padding = array<i64: {pad}, {pad}, {pad}, {pad}>"
        if kind == "conv":
            f, op = f"{o}x{kh}x{kw}x{c}", "conv2d"
        else:
            f, op = f"1x{kh}x{kw}x{o}", "depthwise_conv2d"
        attrs = f"filter_zp = array<i64: 0>, {pads}"
    # A compiled model has its weights and bias as constants: that lets
    # --qopt-expand-zero-points fold the input zero point into the bias and
    # the code generator pack the weights at compile time. Every kernel
    # carries the harness's weights and bias, so the harness's reference
    # check catches any difference. The input stays unpadded: the padding is
    # the contraction's attribute, which --qopt-expand-zero-points turns into
    # a qnn.int.pad with the input zero point inside the kernel, so the
    # padded copy is part of the timed call, as in a model.
    wv, bv = harness_data(layer)
    return f"""// {name}. Generated by bench/gen_kernels.py. Part of the qopt project.
func.func @{symbol(index)}(%x: tensor<{x}xui8>) -> tensor<{acc}xui8>
    attributes {{llvm.emit_c_interface}} {{
  %w = arith.constant {hex_dense(wv, 1)} : tensor<{f}xi8>
  %b = arith.constant {hex_dense(bv, 4)} : tensor<{o}xi32>
  %acc = qnn.int.{op} %x, %w, %b
           {{input_zp = {INPUT_ZP} : i64, {attrs}}}
       : (tensor<{x}xui8>, tensor<{f}xi8>, tensor<{o}xi32>) -> tensor<{acc}xi32>
  %y = qnn.int.rescale %acc {{multiplier = array<i32: {join(m0s)}>,
         shift = array<i32: {join(shifts)}>, output_zp = {OUTPUT_ZP} : i64}}
     : (tensor<{acc}xi32>) -> tensor<{acc}xui8>
  return %y : tensor<{acc}xui8>
}}
"""


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: gen_kernels.py OUT_DIR [MODEL.mlir]")
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    model = Path(sys.argv[2]) if len(sys.argv) == 3 else None
    with_model = model is not None and selected(MODEL_NAME)
    header = [
        "// Generated by bench/gen_kernels.py. Part of the qopt project.",
        "#include \"kernel_abi.h\"",
        "",
        "#include <array>",
        "#include <cstddef>",
        "",
        f"constexpr double kInputScale = {INPUT_SCALE!r};",
        f"constexpr int kInputZp = {INPUT_ZP};",
        f"constexpr double kOutputScale = {OUTPUT_SCALE!r};",
        f"constexpr int kOutputZp = {OUTPUT_ZP};",
        "",
    ]
    table, params = [], []
    layers = [layer for layer in LAYERS if selected(layer[0])]
    for index, layer in enumerate(layers):
        name, kind, h, w, c, o, kh, kw, pad = layer
        scales, m0s, shifts = channel_params(o, depth(layer))
        f = symbol(index)
        Path(out, f + ".mlir").write_text(mlir(index, layer, m0s, shifts))
        header += [
            f'extern "C" void _mlir_ciface_{f}(void *, void *);',
            f"static const double {f}_scales[] = {{{', '.join(map(repr, scales))}}};",
            f"static const int32_t {f}_m0[] = {{{', '.join(map(str, m0s))}}};",
            f"static const int32_t {f}_shift[] = {{{', '.join(map(str, shifts))}}};",
            "",
        ]
        kinds = {"fc": "Layer::FullyConnected", "conv": "Layer::Conv",
                 "dw": "Layer::Depthwise"}
        table.append(f'    Layer{{"{name}", {kinds[kind]}, {h}, {w}, {c}, '
                     f"{o}, {kh}, {kw}, {pad}, _mlir_ciface_{f}, {f}_scales, "
                     f"{f}_m0, {f}_shift}},")
        params.append({"name": name, "kind": kind, "h": h, "w": w, "c": c,
                       "o": o, "kh": kh, "kw": kw, "pad": pad,
                       "weight_scales": scales})
    header += [f"static const std::array<Layer, {len(layers)}> kLayers = {{{{",
               *table, "}};", ""]
    if with_model:
        # run.sh compiles model.mlir with qopt-compile into model.o and its
        # header model.h (the flat calling convention of docs/aot.md).
        shutil.copyfile(model, Path(out, "model.mlir"))
        function, inputs, outputs = model_signature(model)
        header += ["#define QOPT_BENCH_MODEL 1",
                   '#include "model.h"',
                   f'constexpr const char *kModelName = "{MODEL_NAME}";',
                   f"constexpr double kModelOps = {MODEL_OPS};",
                   f"constexpr auto kModel = {function};",
                   f"constexpr std::size_t kModelInputElements = "
                   f"{math.prod(inputs)};",
                   f"constexpr std::size_t kModelOutputElements = "
                   f"{math.prod(outputs)};", ""]
    Path(out, "kernels.h").write_text("\n".join(header))
    Path(out, "params.json").write_text(json.dumps({
        "input_scale": INPUT_SCALE, "input_zp": INPUT_ZP,
        "output_scale": OUTPUT_SCALE, "output_zp": OUTPUT_ZP,
        "layers": params,
        "model": {"name": MODEL_NAME, "ops": MODEL_OPS,
                  "input_shape": model_signature(model)[1]} if with_model
        else None}))


def model_signature(model):
    """The first func.func of the model (the one qopt-compile's header
    declares), which must take one f32 tensor and return one: its name and
    the two shapes."""
    found = re.search(r"func\.func\s+@(\w+)\(%\w+:\s*tensor<([0-9x]+)xf32>\)"
                      r"\s*->\s*\(?tensor<([0-9x]+)xf32>\)?\s*\{",
                      model.read_text())
    if not found:
        sys.exit(f"{model}: the first function must map one f32 tensor to "
                 "one f32 tensor")
    shape = lambda text: [int(d) for d in text.split("x")]
    return found.group(1), shape(found.group(2)), shape(found.group(3))


if __name__ == "__main__":
    main()
