#!/usr/bin/env python3
#===- gen_kernels.py - qopt IR and parameters for the benchmark ---------===#
#
# Part of the qopt project.
#
#===---------------------------------------------------------------------===#
#
# Usage: gen_kernels.py OUT_DIR [TINY_CNN.mlir]
#
# The single source of the benchmark's cells, shapes and quantization
# parameters. The layer cells are the GEMMs below and every distinct layer
# shape of the real networks (MobileNetV2 and ResNet-18 at 224x224, built by
# examples/networks). For every layer it writes
#   <out>/qopt_layer<i>.mlir  integer-level qopt IR of the layer as a compiled
#                             model has it: u8 activations with a zero point,
#                             s8 per-channel weights and an int32 bias as
#                             constants (the harness's data), the padding and
#                             stride as attributes of the contraction, a
#                             per-channel rescale to u8; one argument, the
#                             input
#   <out>/parallel/qopt_layer<i>.mlir  the same layer as the function
#                             qopt_layer<i>_parallel, which run.sh compiles
#                             with parallel=true: the two-thread harness
#                             links both kernels of a layer (kParallelKernels)
#   <out>/kernels.h           the same parameters for the C++ harness, and the
#                             whole models (kModels)
#   <out>/params.json         the same parameters for the PyTorch cells
# and for each whole model (the bundled tiny_cnn, copied, and the networks,
# generated) <out>/<function>.mlir, its float-level IR, and
# <out>/<function>.input.npy, an input image; <out>/models.txt lists the
# functions (run.sh compiles each with qopt-compile). The networks are also
# cells as PyTorch quantizes them ("MobileNetV2 (PyTorch import)"):
# examples/torchvision/generate.py, run by Debian's /usr/bin/python3 (torch),
# exports torchvision's quantizable model, calibrated under the qnnpack
# qconfig, with qopt_torch, and PyTorch's qnnpack logits go to
# <out>/<function>.pytorch.npy, which run.sh requires the interpreter's
# logits to equal. QOPT_BENCH_CELLS
# (comma-separated, case-insensitive substrings of the cell names, e.g.
# "conv,dw,model,MobileNetV2") selects the cells; all by default. A selected
# network brings its layer cells with it (the library peers' network figures
# are sums over them). QOPT_BENCH_RESOLUTION (default 224) sets the
# networks' image size for a quicker look. Python standard library only
# (the export runs in a process of its own).
#
#===---------------------------------------------------------------------===#

import argparse
import collections
import json
import math
import os
import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "examples" /
                       "networks"))
import mobilenet_v2  # noqa: E402
import resnet18  # noqa: E402

# One benchmark cell: an NHWC convolution of one image with "same"-style
# symmetric padding (Layer in kernel_abi.h).
Layer = collections.namedtuple("Layer",
                               "name kind h w c o kh kw pad stride")

# Every layer is an NHWC convolution of one image (a GEMM M x N x K is a 1x1
# convolution over an M x 1 image with K channels and N filters):
# (name, kind, H, W, C, O, KH, KW, padding, stride). 196x256x2304 and
# 3136x64x576 are ResNet-50 3x3 convolutions as im2col GEMMs.
GEMMS = [
    Layer("GEMM 64x64x64", "fc", 64, 1, 64, 64, 1, 1, 0, 1),
    Layer("GEMM 256x256x256", "fc", 256, 1, 256, 256, 1, 1, 0, 1),
    Layer("GEMM 1024x1024x1024", "fc", 1024, 1, 1024, 1024, 1, 1, 0, 1),
    Layer("GEMM 196x256x2304", "fc", 196, 1, 2304, 256, 1, 1, 0, 1),
    Layer("GEMM 3136x64x576", "fc", 3136, 1, 576, 64, 1, 1, 0, 1),
]

# The real networks, generated at 224x224 by examples/networks (the
# structure of torchvision's models, random weights): each is a whole-model
# cell, and every distinct layer shape of it a cell of its own, named after
# the network. NETWORK_RESOLUTION can be lowered for a quick look.
NETWORKS = [
    ("MobileNetV2", mobilenet_v2.mobilenet_v2),
    ("ResNet-18", resnet18.resnet18),
]
NETWORK_RESOLUTION = int(os.environ.get("QOPT_BENCH_RESOLUTION", "224"))

# The bundled model: examples/tiny_cnn/model.mlir, float level, compiled by
# qopt-compile. Its multiply-adds (2 ops each): conv 3x3 3->8 over 16x16,
# depthwise 3x3 stride 2 over 8 channels to 8x8, pointwise 8->8 over 8x8, FC
# 8->4; the residual add and the average pooling are not counted.
TINY_CNN_NAME = "tiny_cnn model 16x16x3"
TINY_CNN_OPS = 2 * (16 * 16 * 8 * 3 * 3 * 3 + 8 * 8 * 8 * 3 * 3
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


# The suffix of a layer's function compiled with parallel=true.
PARALLEL = "_parallel"


def selected(name):
    """Whether QOPT_BENCH_CELLS (comma-separated, case-insensitive
    substrings of cell names) selects the cell; unset or empty selects all."""
    patterns = [p.strip().lower()
                for p in os.environ.get("QOPT_BENCH_CELLS", "").split(",")
                if p.strip()]
    return not patterns or any(p in name.lower() for p in patterns)


def depth(layer):
    """Multiply-adds per output value (Layer::depth in kernel_abi.h)."""
    return layer.kh * layer.kw * (1 if layer.kind == "dw" else layer.c)


def output_size(layer):
    """(OH, OW) (Layer::outH and outW in kernel_abi.h)."""
    return ((layer.h + 2 * layer.pad - layer.kh) // layer.stride + 1,
            (layer.w + 2 * layer.pad - layer.kw) // layer.stride + 1)


def ops(layer):
    """2 ops per multiply-add (Layer::ops in kernel_abi.h)."""
    oh, ow = output_size(layer)
    return 2 * oh * ow * layer.o * depth(layer)


def network_cells(network, generated):
    """The distinct layer shapes of a generated network as cells named after
    it, each with the number of times the network has it."""
    counts = collections.Counter()
    for spec in generated.layers:
        top, bottom, left, right = spec["padding"]
        sh, sw = spec["stride"]
        if len({top, bottom, left, right}) != 1 or sh != sw or \
                spec["dilation"] != 1:
            sys.exit(f"{network}: a layer the harness does not model: {spec}")
        kind, h, w, c, o = (spec[k] for k in ("kind", "h", "w", "c", "o"))
        kh, kw = spec["kh"], spec["kw"]
        if kind == "fc":
            name = f"{network} FC {c}->{o}"
        else:
            stride = f"/{sh}" if sh != 1 else ""
            shape = f"{h}x{w}x{c}" + (f"->{o}" if kind == "conv" else "")
            name = f"{network} {kind}{kh}x{kw}{stride} {shape}"
        counts[Layer(name, kind, h, w, c, o, kh, kw, top, sh)] += 1
    return list(counts.items())


def harness_data(layer):
    """The harness's weights and bias (Problem in harness.cpp): the same
    xorshift64 sequence, after the input values it draws first. The weights
    come in the harness's layout: [N][K] for a GEMM, OHWI for a convolution,
    1HWO for a depthwise one."""
    mask = (1 << 64) - 1
    state = 0x9E3779B97F4A7C15 ^ (layer.h * 131 + layer.o * 17 + layer.c)

    def draw(count):
        nonlocal state
        values = []
        for _ in range(count):
            state ^= (state << 13) & mask
            state ^= state >> 7
            state ^= (state << 17) & mask
            values.append(state)
        return values

    draw(layer.h * layer.w * layer.c)
    weights = [v % 255 - 127 for v in draw(layer.o * depth(layer))]
    bias = [v % 40001 - 20000 for v in draw(layer.o)]
    return weights, bias


def hex_dense(values, width):
    """A dense attribute in MLIR's hex form: little-endian two's complement."""
    data = b"".join((v % (1 << (8 * width))).to_bytes(width, "little")
                    for v in values)
    return f'dense<"0x{data.hex().upper()}">'


def mlir(function, layer, m0s, shifts):
    name, kind, h, w, c, o, kh, kw, pad, stride = layer
    join = lambda xs: ", ".join(str(x) for x in xs)
    oh, ow = output_size(layer)
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
        if stride != 1:
            attrs += f", strides = array<i64: {stride}, {stride}>"
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
func.func @{function}(%x: tensor<{x}xui8>) -> tensor<{acc}xui8>
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


def write_npy_f32(path, shape, values):
    """A version 1 .npy file of little-endian float32 in C order."""
    header = (f"{{'descr': '<f4', 'fortran_order': False, "
              f"'shape': ({', '.join(map(str, shape))},), }}")
    header += " " * (63 - (len(header) + 10) % 64) + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)))
        f.write(header.encode())
        f.write(struct.pack(f"<{len(values)}f", *values))


def models(out, tiny_cnn):
    """The whole-model cells, (name, ops, function, input shape, output
    shape, [(layer, count)]) each, whose float-level IR goes to
    <out>/<function>.mlir and an input image to <out>/<function>.input.npy;
    and the layer cells of the networks that are selected on their own."""
    found, layers = [], []
    if tiny_cnn is not None and selected(TINY_CNN_NAME):
        function, inputs, outputs = model_signature(tiny_cnn)
        shutil.copyfile(tiny_cnn, Path(out, function + ".mlir"))
        shutil.copyfile(Path(tiny_cnn).parent / "input.npy",
                        Path(out, function + ".input.npy"))
        found.append((TINY_CNN_NAME, TINY_CNN_OPS, function, inputs, outputs,
                      []))
    for network, build in NETWORKS:
        generated, text = build(NETWORK_RESOLUTION, 1000, 1)
        cells = network_cells(network, generated)
        if not selected(network):
            layers += [layer for layer, _ in cells if selected(layer.name)]
            continue
        function = generated.name
        Path(out, function + ".mlir").write_text(text)
        shape = generated.arguments[0].shape
        # ImageNet-normalized pixels, the range the generator marks.
        state, pixels = 12345, []
        for _ in range(math.prod(shape)):
            state = (state * 1103515245 + 12345) % (1 << 31)
            pixels.append(-2.1179 + 4.7579 * state / (1 << 31))
        write_npy_f32(Path(out, function + ".input.npy"), shape, pixels)
        found.append((network, sum(ops(l) * n for l, n in cells), function,
                      shape, [1, 1000], cells))
    for network, build in NETWORKS:
        name = f"{network} {IMPORT_SUFFIX}"
        if not selected(name):
            continue
        generated, _ = build(NETWORK_RESOLUTION, 1000, 1)
        found.append(import_network(out, name, generated.name,
                                    sum(ops(l) * n for l, n in
                                        network_cells(network, generated))))
    return found, layers


IMPORT_SUFFIX = "(PyTorch import)"


def import_network(out, name, network, network_ops):
    """The whole-model cell of torchvision's `network` as qopt_torch exports
    it from PyTorch's post-training quantization (examples/torchvision/
    generate.py, one image of NETWORK_RESOLUTION pixels), as its function
    <network>_torch; no library cells (they have no importer)."""
    exported = Path(out, "torch-import")
    if not Path(exported, network + ".mlir").exists():
        root = Path(__file__).resolve().parent.parent
        subprocess.run(
            ["/usr/bin/python3", str(root / "examples" / "torchvision" /
                                     "generate.py"), str(exported),
             "--size", str(NETWORK_RESOLUTION), "--batch", "1"],
            check=True, stdout=sys.stderr,
            env={**os.environ, "PYTHONPATH": str(root / "python")})
    function = network + "_torch"
    text = Path(exported, network + ".mlir").read_text()
    Path(out, function + ".mlir").write_text(
        re.sub(r"@forward\b", "@" + function, text))
    for suffix, target in ((".input.npy", ".input.npy"),
                           (".qnnpack.npy", ".pytorch.npy")):
        shutil.copyfile(Path(exported, network + suffix),
                        Path(out, function + target))
    _, inputs, outputs = model_signature(Path(out, function + ".mlir"))
    return (name, network_ops, function, inputs, outputs, [])


def main():
    parser = argparse.ArgumentParser(
        description="qopt IR and parameters of the benchmark's cells")
    parser.add_argument("out", metavar="OUT_DIR")
    parser.add_argument("tiny_cnn", metavar="TINY_CNN.mlir", nargs="?")
    args = parser.parse_args()
    out = Path(args.out)
    Path(out, "parallel").mkdir(parents=True, exist_ok=True)
    tiny_cnn = Path(args.tiny_cnn) if args.tiny_cnn else None
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
    whole, network_layers = models(out, tiny_cnn)
    # A network's layers are cells even when only the network is selected:
    # its peers' figures are the sums of theirs.
    layers = [layer for layer in GEMMS if selected(layer.name)]
    for network, *_, cells in whole:
        layers += [layer for layer, _ in cells]
    layers += network_layers
    table, params = [], []
    kinds = {"fc": "Layer::FullyConnected", "conv": "Layer::Conv",
             "dw": "Layer::Depthwise"}
    for index, layer in enumerate(layers):
        scales, m0s, shifts = channel_params(layer.o, depth(layer))
        f = symbol(index)
        Path(out, f + ".mlir").write_text(mlir(f, layer, m0s, shifts))
        Path(out, "parallel", f + ".mlir").write_text(
            mlir(f + PARALLEL, layer, m0s, shifts))
        header += [
            f'extern "C" void _mlir_ciface_{f}(void *, void *);',
            f"static const double {f}_scales[] = {{{', '.join(map(repr, scales))}}};",
            f"static const int32_t {f}_m0[] = {{{', '.join(map(str, m0s))}}};",
            f"static const int32_t {f}_shift[] = {{{', '.join(map(str, shifts))}}};",
            "",
        ]
        table.append(f'    Layer{{"{layer.name}", {kinds[layer.kind]}, '
                     f"{layer.h}, {layer.w}, {layer.c}, {layer.o}, "
                     f"{layer.kh}, {layer.kw}, {layer.pad}, {layer.stride}, "
                     f"_mlir_ciface_{f}, {f}_scales, {f}_m0, {f}_shift}},")
        params.append({**layer._asdict(), "weight_scales": scales})
    header += [f"static const std::array<Layer, {len(layers)}> kLayers = {{{{",
               *table, "}};", ""]
    # The kernels compiled with parallel=true, kLayers' order, for the
    # harness built with them.
    parallel = [f"_mlir_ciface_{symbol(i)}{PARALLEL}"
                for i in range(len(layers))]
    header += ["#ifdef QOPT_BENCH_PARALLEL",
               *(f'extern "C" void {k}(void *, void *);' for k in parallel),
               f"static const std::array<LayerKernel, {len(layers)}> "
               "kParallelKernels = {{",
               *(f"    {k}," for k in parallel), "}};", "#endif", ""]
    # run.sh compiles <function>.mlir with qopt-compile into <function>.o
    # and its header (the flat calling convention of docs/aot.md).
    rows = []
    for name, model_ops, function, inputs, outputs, cells in whole:
        header.append(f'#include "{function}.h"')
        indices = [layers.index(layer) for layer, _ in cells]
        counts = [count for _, count in cells]
        header += [
            f"static const int {function}_cells[] = {{{', '.join(map(str, indices)) or '-1'}}};",
            f"static const int {function}_counts[] = {{{', '.join(map(str, counts)) or '0'}}};"]
        rows.append(f'    Model{{"{name}", "{function}", {model_ops}, '
                    f"{function}, {math.prod(inputs)}, {math.prod(outputs)}, "
                    f"{function}_cells, {function}_counts, {len(cells)}}},")
    header += [f"static const std::array<Model, {len(whole)}> kModels = {{{{",
               *rows, "}};", ""]
    Path(out, "kernels.h").write_text("\n".join(header))
    Path(out, "models.txt").write_text(
        "".join(f"{function}\n" for _, _, function, *_ in whole))
    Path(out, "params.json").write_text(json.dumps({
        "input_scale": INPUT_SCALE, "input_zp": INPUT_ZP,
        "output_scale": OUTPUT_SCALE, "output_zp": OUTPUT_ZP,
        "layers": params,
        "models": [{"name": name, "ops": model_ops, "function": function,
                    "input_shape": inputs}
                   for name, model_ops, function, inputs, *_ in whole]}))


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
