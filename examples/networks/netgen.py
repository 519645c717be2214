#===- netgen.py - Write float-level qnn networks ---------------------------===#
#
# Part of the qopt project.
#
#===-----------------------------------------------------------------------===#
#
# A small builder of float-level qnn functions (the level a trained model
# reaches qopt at: float weights, batch norms, qnn.range markers), shared by
# the network generators of this directory: the seeded random networks of the
# differential tests (random_net.py) and the real network structures
# (mobilenet_v2.py).
#
# No network is run in float here: every value carries an estimate of its
# root mean square instead, propagated layer by layer under the assumption of
# independent, zero-mean weights of variance 1 / fan-in, and its range marker
# is a multiple of it. The ranges are plausible rather than calibrated: the
# quantization they give is what qopt must then compute exactly, on every
# target, and that is what the tests check.
#
# Weights are written as hexadecimal float32 (dense<"0x...">): a MobileNetV2
# of 3.5 million weights is written in a few seconds and parsed in less.
#
# Python standard library only.
#
#===-----------------------------------------------------------------------===#

import argparse
import math
import random
import struct
import sys

RELU = (0.0, math.inf)
RELU6 = (0.0, 6.0)


def tensor_type(shape):
    return "tensor<" + "".join(f"{d}x" for d in shape) + "f32>"


def conv_output_size(size, kernel, stride, pad_before, pad_after, dilation):
    span = (kernel - 1) * dilation + 1
    return (size + pad_before + pad_after - span) // stride + 1


def f64(value):
    if value == math.inf:
        return "0x7FF0000000000000"
    return repr(float(value))


class Value:
    """An SSA value of the function being built: its name, shape, an estimate
    of its root mean square, and whether it is known to be non-negative."""

    def __init__(self, name, shape, rms, nonneg=False):
        self.name = name
        self.shape = list(shape)
        self.rms = rms
        self.nonneg = nonneg

    @property
    def type(self):
        return tensor_type(self.shape)


class Network:
    def __init__(self, name, rng, batch_norms=True):
        self.name = name
        self.rng = rng
        self.batch_norms = batch_norms
        self.constants = []
        self.body = []
        self.arguments = []
        self.counter = 0
        # Every conv, depthwise and fully connected layer, in program order,
        # for bench/gen_kernels.py's per-layer cells: dicts with kind
        # ("conv", "dw" or "fc"), input h, w, c, output channels o, kernel
        # kh, kw, stride and padding [top, bottom, left, right].
        self.layers = []

    def fresh(self, prefix):
        self.counter += 1
        return f"%{prefix}{self.counter}"

    # -- values --------------------------------------------------------------

    def argument(self, shape, low=-1.0, high=1.0):
        value = Value(f"%arg{len(self.arguments)}", shape,
                      (high - low) / math.sqrt(12.0), nonneg=low >= 0.0)
        self.arguments.append(value)
        return self.range(value, low, high)

    def constant(self, shape, values):
        name = self.fresh("cst")
        raw = struct.pack(f"<{len(values)}f", *values)
        self.constants.append(
            f'{name} = arith.constant dense<"0x{raw.hex().upper()}"> : '
            f"{tensor_type(shape)}")
        return name

    def gauss(self, count, sigma, mean=0.0):
        return [self.rng.gauss(mean, sigma) for _ in range(count)]

    def op(self, text, shape, rms, nonneg=False, prefix="v"):
        name = self.fresh(prefix)
        self.body.append(f"{name} = {text}")
        return Value(name, shape, rms, nonneg)

    # -- markers and activations ---------------------------------------------

    def range(self, x, low=None, high=None):
        """A qnn.range marker on `x`: [low, high], or a few RMS either side."""
        if low is None:
            spread = x.rms * self.rng.uniform(2.5, 4.0)
            low = 0.0 if x.nonneg else -x.rms * self.rng.uniform(2.0, 4.0)
            high = spread
        return self.op(
            f"qnn.range {x.name} {{min = {f64(low)} : f64, max = {f64(high)} "
            f": f64}} : {x.type}", x.shape, x.rms, x.nonneg)

    def clamp(self, x, bounds):
        low, high = bounds
        rms = x.rms / math.sqrt(2.0) if low >= 0.0 else x.rms
        if high != math.inf:
            rms = min(rms, high)
        return self.op(
            f"qnn.clamp {x.name} {{min = {f64(low)} : f64, max = {f64(high)} "
            f": f64}} : {x.type}", x.shape, rms, low >= 0.0)

    def batch_norm(self, x):
        channels = x.shape[-1]
        gamma = [self.rng.uniform(0.5, 1.5) for _ in range(channels)]
        beta = self.gauss(channels, 0.2 * x.rms)
        mean = self.gauss(channels, 0.2 * x.rms)
        var = [x.rms * x.rms * self.rng.uniform(0.5, 1.5)
               for _ in range(channels)]
        operands = [x.name] + [self.constant([channels], v)
                               for v in (gamma, beta, mean, var)]
        types = ", ".join([x.type] + [tensor_type([channels])] * 4)
        return self.op(
            f"qnn.batch_norm {', '.join(operands)} {{epsilon = 1.0e-05 : f64}}"
            f" : ({types}) -> {x.type}", x.shape, 1.0)

    def activation(self, x, bounds=None, batch_norm=False, marker=True):
        """What follows a layer in a trained network: an optional batch
        norm, an optional ReLU / ReLU6, and the range marker."""
        if batch_norm and self.batch_norms:
            x = self.batch_norm(x)
        if bounds is not None:
            x = self.clamp(x, bounds)
        return self.range(x) if marker else x

    # -- layers ---------------------------------------------------------------

    def conv(self, x, out_channels, kernel, stride=1, padding=None,
             dilation=1, depthwise=False, bias=True, groups=1):
        """qnn.conv2d or qnn.depthwise_conv2d; `padding` is [top, bottom,
        left, right] (default: "same" for stride 1). A conv2d of `groups`
        groups draws the weights of the dense filter and keeps each output
        channel's group, so that grouping a layer changes nothing else of a
        seeded network."""
        n, h, w, c = x.shape
        kh, kw = (kernel, kernel) if isinstance(kernel, int) else kernel
        sh, sw = (stride, stride) if isinstance(stride, int) else stride
        if padding is None:
            padding = [(kh - 1) * dilation // 2, (kh - 1) * dilation // 2,
                       (kw - 1) * dilation // 2, (kw - 1) * dilation // 2]
        oh = conv_output_size(h, kh, sh, padding[0], padding[1], dilation)
        ow = conv_output_size(w, kw, sw, padding[2], padding[3], dilation)
        fan_in = kh * kw * (1 if depthwise else c)
        sigma = 1.0 / math.sqrt(fan_in)
        if depthwise:
            filter_shape = [1, kh, kw, out_channels]
        else:
            filter_shape = [out_channels, kh, kw, c]
        count = math.prod(filter_shape)
        values = self.gauss(count, sigma)
        if groups > 1:
            # Filter [O, KH, KW, C / groups]: the taps of o's own group, with
            # the spread of a fan-in groups times smaller.
            per_in, per_out = c // groups, out_channels // groups
            taps = [values[i:i + c] for i in range(0, count, c)]
            values = [v * math.sqrt(groups)
                      for i, tap in enumerate(taps)
                      for v in tap[(i // (kh * kw) // per_out) * per_in:]
                      [:per_in]]
            filter_shape = [out_channels, kh, kw, per_in]
        filt = self.constant(filter_shape, values)
        operands = [x.name, filt]
        types = [x.type, tensor_type(filter_shape)]
        if bias:
            operands.append(self.constant(
                [out_channels], self.gauss(out_channels, 0.1 * x.rms)))
            types.append(tensor_type([out_channels]))
        attrs = []
        if (sh, sw) != (1, 1):
            attrs.append(f"strides = array<i64: {sh}, {sw}>")
        if dilation != 1:
            attrs.append(f"dilations = array<i64: {dilation}, {dilation}>")
        if any(padding):
            attrs.append("padding = array<i64: " +
                         ", ".join(map(str, padding)) + ">")
        if groups > 1:
            attrs.append(f"groups = {groups} : i64")
        attr_text = " {" + ", ".join(attrs) + "}" if attrs else ""
        kind = "depthwise_conv2d" if depthwise else "conv2d"
        shape = [n, oh, ow, out_channels]
        self.layers.append({
            "kind": "dw" if depthwise else "conv", "h": h, "w": w, "c": c,
            "o": out_channels, "kh": kh, "kw": kw, "stride": (sh, sw),
            "dilation": dilation, "padding": list(padding)})
        return self.op(
            f"qnn.{kind} {', '.join(operands)}{attr_text} : "
            f"({', '.join(types)}) -> {tensor_type(shape)}", shape, x.rms)

    def fully_connected(self, x, out_features, bias=True):
        n, k = x.shape
        weights = self.constant([out_features, k],
                                self.gauss(out_features * k,
                                           1.0 / math.sqrt(k)))
        operands = [x.name, weights]
        types = [x.type, tensor_type([out_features, k])]
        if bias:
            operands.append(self.constant(
                [out_features], self.gauss(out_features, 0.1 * x.rms)))
            types.append(tensor_type([out_features]))
        shape = [n, out_features]
        self.layers.append({
            "kind": "fc", "h": n, "w": 1, "c": k, "o": out_features, "kh": 1,
            "kw": 1, "stride": (1, 1), "dilation": 1, "padding": [0] * 4})
        return self.op(
            f"qnn.fully_connected {', '.join(operands)} : "
            f"({', '.join(types)}) -> {tensor_type(shape)}", shape, x.rms)

    def add(self, a, b):
        return self.op(
            f"qnn.add {a.name}, {b.name} : ({a.type}, {b.type}) -> {a.type}",
            a.shape, math.hypot(a.rms, b.rms))

    def pool(self, x, kind, kernel, stride=1, padding=(0, 0, 0, 0)):
        n, h, w, c = x.shape
        kh, kw = (kernel, kernel) if isinstance(kernel, int) else kernel
        oh = conv_output_size(h, kh, stride, padding[0], padding[1], 1)
        ow = conv_output_size(w, kw, stride, padding[2], padding[3], 1)
        attrs = [f"kernel = array<i64: {kh}, {kw}>"]
        if stride != 1:
            attrs.append(f"strides = array<i64: {stride}, {stride}>")
        if any(padding):
            attrs.append("padding = array<i64: " +
                         ", ".join(map(str, padding)) + ">")
        shape = [n, oh, ow, c]
        return self.op(
            f"qnn.{kind}_pool2d {x.name} {{{', '.join(attrs)}}} : "
            f"({x.type}) -> {tensor_type(shape)}", shape, x.rms, x.nonneg)

    def concat(self, values):
        shape = list(values[0].shape)
        shape[-1] = sum(v.shape[-1] for v in values)
        rms = math.sqrt(sum(v.rms ** 2 * v.shape[-1] for v in values) /
                        shape[-1])
        return self.op(
            f"qnn.concat {', '.join(v.name for v in values)} "
            f"{{axis = {len(shape) - 1} : i64}} : "
            f"({', '.join(v.type for v in values)}) -> {tensor_type(shape)}",
            shape, rms, all(v.nonneg for v in values))

    def reshape(self, x, shape):
        return self.op(
            f"qnn.reshape {x.name} : ({x.type}) -> {tensor_type(shape)}",
            shape, x.rms, x.nonneg)

    def pad(self, x, padding):
        """Pads the two spatial dimensions by [top, bottom, left, right]."""
        n, h, w, c = x.shape
        top, bottom, left, right = padding
        shape = [n, h + top + bottom, w + left + right, c]
        return self.op(
            f"qnn.pad {x.name} {{padding = array<i64: 0, 0, {top}, {bottom}, "
            f"{left}, {right}, 0, 0>}} : ({x.type}) -> {tensor_type(shape)}",
            shape, x.rms, x.nonneg)

    def classifier(self, x, classes):
        """Global average pooling, flatten and a fully connected layer, each
        result with its range marker."""
        n, h, w, c = x.shape
        pooled = self.pool(x, "avg", (h, w))
        flat = self.range(self.reshape(pooled, [n, c]))
        return self.range(self.fully_connected(flat, classes))

    # -- the function ---------------------------------------------------------

    def module(self, header, results):
        """The module of this network's function alone."""
        return module(header, [self.function(results)])

    def function(self, results):
        args = ", ".join(f"{a.name}: {a.type}" for a in self.arguments)
        result_types = ", ".join(r.type for r in results)
        if len(results) > 1:
            result_types = f"({result_types})"
        lines = [f"  func.func @{self.name}({args}) -> {result_types} {{"]
        lines += [f"    {line}" for line in self.constants + self.body]
        lines.append(f"    return {', '.join(r.name for r in results)} : "
                     f"{', '.join(r.type for r in results)}")
        lines.append("  }")
        return "\n".join(lines)


def module(header, functions):
    comment = "".join(f"// {line}\n" if line else "//\n"
                      for line in header.splitlines())
    return comment + "module {\n" + "\n".join(functions) + "\n}\n"


def write(text, path):
    """`text` to the file `path`, or to standard output for "-"."""
    if path == "-":
        sys.stdout.write(text)
        return
    with open(path, "w") as f:
        f.write(text)


def network_main(description, build):
    """The command line of a real network's generator: `build(resolution,
    classes, seed)` returns the Network and its module text."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("-o", "--output", default="-")
    parser.add_argument("--resolution", type=int, default=224)
    parser.add_argument("--classes", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    write(build(args.resolution, args.classes, args.seed)[1], args.output)
