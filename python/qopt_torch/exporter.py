"""The exporter: a traced PyTorch graph written as qopt MLIR text.

Values are kept in qopt's layouts (NHWC activations, OHWI / 1HWO / [O, K]
weights); only the function's signature follows `layout`. Nothing is written
unless the whole model converts.
"""

import math
import operator
import warnings

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.fx.passes.shape_prop import ShapeProp

# PyTorch 1.13 keeps the quantization modules in torch.ao.nn / torch.nn.*;
# the names below are the public aliases.
import torch.nn.intrinsic as nni
import torch.nn.intrinsic.qat as nniqat
import torch.nn.intrinsic.quantized as nniq
import torch.nn.qat as nnqat
import torch.nn.quantized as nnq
from torch.ao.quantization import DeQuantStub, QuantStub
from torch.ao.quantization.fake_quantize import FakeQuantizeBase
from torch.ao.quantization.observer import HistogramObserver, ObserverBase


def weight_quantization(qw):
    """Whether the quantized weight `qw` is per channel, and its scales and
    zero points (one each when per tensor)."""
    if qw.qscheme() in (torch.per_channel_affine, torch.per_channel_symmetric):
        return (True, qw.q_per_channel_scales().tolist(),
                qw.q_per_channel_zero_points().tolist())
    return False, [qw.q_scale()], [qw.q_zero_point()]


class ExportError(Exception):
    """A model qopt_torch cannot express; the message names the module or
    function and where it is in the model."""


class _LeafTracer(torch.fx.Tracer):
    """Every module of PyTorch's own (fused modules included, which are
    Sequentials) is one node; user modules are traced through."""

    def is_leaf_module(self, m, qualified_name):
        return (type(m).__module__.startswith("torch.")
                and type(m) not in (nn.Sequential, nn.ModuleList,
                                    nn.ModuleDict))


def _trace(model):
    if isinstance(model, torch.fx.GraphModule):
        return model
    return torch.fx.GraphModule(model, _LeafTracer().trace(model))


class _Value:
    """An SSA value: its name, qopt shape (NHWC for rank 4) and element type
    (`f32` or a quantized type alias), with the quantization parameters of a
    per-tensor quantized value."""

    def __init__(self, name, shape, element, scale=None, zero_point=None,
                 dtype=None):
        self.name, self.shape, self.element = name, list(shape), element
        self.scale, self.zero_point, self.dtype = scale, zero_point, dtype
        # A 4-D value already in PyTorch's layout (a result).
        self.nchw = False

    @property
    def type(self):
        return _tensor_type(self.shape, self.element)


def _tensor_type(shape, element):
    return "tensor<" + "".join(f"{d}x" for d in shape) + element + ">"


def _f64(value):
    """A float attribute that round-trips (repr is the shortest exact
    decimal)."""
    value = float(value)
    if math.isinf(value):
        return "0x7FF0000000000000" if value > 0 else "0xFFF0000000000000"
    text = repr(value)
    if "e" not in text and "." not in text:
        text += ".0"
    if "e" in text and "." not in text.split("e")[0]:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}.0e{exponent}"
    return text


def _dense_f32(array):
    array = np.ascontiguousarray(np.asarray(array, dtype="<f4"))
    shape = "".join(f"{d}x" for d in array.shape)
    return (f'dense<"0x{array.tobytes().hex().upper()}"> : '
            f"tensor<{shape}f32>")


def _dense_int(array, element, bits):
    array = np.ascontiguousarray(np.asarray(array, dtype=f"<i{bits // 8}"))
    shape = "".join(f"{d}x" for d in array.shape)
    return (f'dense<"0x{array.tobytes().hex().upper()}"> : '
            f"tensor<{shape}{element}>")


# qnn.transpose permutations between PyTorch's layout and qopt's.
_NCHW_TO_NHWC = (0, 2, 3, 1)
_NHWC_TO_NCHW = (0, 3, 1, 2)


def _storage(dtype):
    return {torch.quint8: ("u8", 0, 255), torch.qint8: ("i8", -128, 127),
            torch.qint32: ("i32", -2**31, 2**31 - 1)}[dtype]


class _Exporter:
    def __init__(self, model, gm, layout, numerics):
        self.model, self.gm, self.layout = model, gm, layout
        self.numerics = numerics
        self.lines, self.env = [], {}
        self.counter = 0
        self.per_channel_weights = False

    # -- Text ---------------------------------------------------------------

    def fresh(self):
        self.counter += 1
        return f"%v{self.counter}"

    def emit(self, text):
        self.lines.append("    " + text)

    def constant(self, attr):
        name = self.fresh()
        self.emit(f"{name} = arith.constant {attr}")
        return name

    def quant_alias(self, dtype, scale, zero_point):
        element, qmin, qmax = _storage(dtype)
        return f"!quant.uniform<{element}:f32, {_f64(scale)}:{zero_point}>"

    # -- Errors -------------------------------------------------------------

    def fail(self, node, what):
        where = node.target if node.op in ("call_module", "get_attr") \
            else node.name
        stack = node.meta.get("stack_trace")
        raise ExportError(f"{what} at '{where}' ({node.format_node()})"
                          + (f"\n{stack}" if stack else ""))

    # -- Shapes -------------------------------------------------------------

    def torch_shape(self, node):
        meta = node.meta.get("tensor_meta")
        if meta is None:
            self.fail(node, "no shape known")
        return list(meta.shape)

    def qopt_shape(self, node):
        shape = self.torch_shape(node)
        if len(shape) == 4:
            n, c, h, w = shape
            return [n, h, w, c]
        return shape

    # -- Values -------------------------------------------------------------

    def value(self, node, arg):
        if not isinstance(arg, torch.fx.Node) or arg not in self.env:
            self.fail(node, f"operand {arg} is not a tensor qopt_torch knows")
        return self.env[arg]

    def result(self, node, op_text, element, operands="", scale=None,
               zero_point=None, dtype=None):
        shape = self.qopt_shape(node)
        name = self.fresh()
        value = _Value(name, shape, element, scale, zero_point, dtype)
        self.emit(op_text.replace("{name}", name).replace("{type}",
                                                          value.type))
        return value

    def same_type(self, node, op, source, attrs=""):
        shape = self.qopt_shape(node)
        name = self.fresh()
        value = _Value(name, shape, source.element, source.scale,
                       source.zero_point, source.dtype)
        attr_text = f" {{{attrs}}}" if attrs else ""
        self.emit(f"{name} = {op} {source.name}{attr_text} : "
                  f"({source.type}) -> {value.type}")
        return value

    def reshape(self, node, source, shape):
        name = self.fresh()
        value = _Value(name, shape, source.element, source.scale,
                       source.zero_point, source.dtype)
        self.emit(f"{name} = qnn.reshape {source.name} : ({source.type}) -> "
                  f"{value.type}")
        return value

    def relayout(self, node, source, permutation):
        """`source` with its dimensions permuted (NCHW <-> NHWC at the
        function's boundary): a reshape when the dimensions of more than one
        element keep their order, else a qnn.transpose."""
        shape = [source.shape[p] for p in permutation]
        moved = [p for p in permutation if source.shape[p] != 1]
        if moved == sorted(moved):
            return self.reshape(node, source, shape)
        name = self.fresh()
        value = _Value(name, shape, source.element, source.scale,
                       source.zero_point, source.dtype)
        self.emit(f"{name} = qnn.transpose {source.name} {{permutation = "
                  f"array<i64: {', '.join(map(str, permutation))}>}} : "
                  f"({source.type}) -> {value.type}")
        return value

    # -- Observers ----------------------------------------------------------

    @staticmethod
    def observer_of(module):
        """The observer holding min / max of an observer or fake-quant
        module, or None."""
        if isinstance(module, FakeQuantizeBase):
            return getattr(module, "activation_post_process", None)
        if isinstance(module, ObserverBase):
            return module
        return None

    def marker(self, node, source, module):
        observer = self.observer_of(module)
        if observer is None or not hasattr(observer, "min_val"):
            return source
        if observer.min_val.numel() != 1:
            self.fail(node, "a per-channel observer on an activation")
        if not torch.isfinite(observer.min_val) or observer.min_val > \
                observer.max_val:
            self.fail(node, "an observer that has seen no data "
                            "(calibrate or train the model first)")
        lo, hi = observer.min_val, observer.max_val
        if isinstance(observer, HistogramObserver):
            # Its scale and zero point come from the range that minimizes
            # the quantization error of its histogram, not from the range
            # it saw (HistogramObserver.calculate_qparams).
            lo, hi = observer._non_linear_param_search()
        attrs = f"min = {_f64(lo)} : f64, max = {_f64(hi)} : f64"
        if observer.dtype != torch.quint8:
            self.fail(node, f"an activation observer of {observer.dtype} "
                            "(qopt_torch takes quint8 activations)")
        span = observer.quant_max - observer.quant_min
        if observer.reduce_range or span == 127:
            attrs += ", reduce_range = true"
        elif span != 255:
            self.fail(node, f"an activation range [{observer.quant_min}, "
                            f"{observer.quant_max}]")
        if observer.qscheme not in (torch.per_tensor_affine,):
            self.fail(node, f"an activation qscheme {observer.qscheme}")
        pending = self.argument_relayouts.pop(source.name, None)
        if pending is not None:
            # The NCHW -> NHWC layout change of an argument: the marker goes
            # on the argument, which the reshape or transpose then carries
            # (they need a quantized input).
            line, argument = pending
            name = self.fresh()
            self.lines[line] = self.lines[line].replace(
                f" {argument.name} ", f" {name} ", 1)
            self.lines.insert(line, f"    {name} = qnn.range {argument.name} "
                              f"{{{attrs}}} : {argument.type}")
            return source
        name = self.fresh()
        value = _Value(name, source.shape, source.element)
        self.emit(f"{name} = qnn.range {source.name} {{{attrs}}} : "
                  f"{source.type}")
        return value

    def weight_marker(self, node, module, weights_name, type_text, axis):
        fake_quant = getattr(module, "weight_fake_quant", None)
        observer = self.observer_of(fake_quant) if fake_quant else None
        if observer is None:
            return weights_name
        lo, hi = observer.min_val, observer.max_val
        symmetric = observer.qscheme in (torch.per_tensor_symmetric,
                                         torch.per_channel_symmetric)
        attrs = (f"min = {_f64(lo.min())} : f64, max = {_f64(hi.max())} : "
                 f"f64, symmetric = {'true' if symmetric else 'false'}")
        if observer.dtype != torch.qint8:
            self.fail(node, f"a weight observer of {observer.dtype}")
        if observer.quant_max - observer.quant_min != 255:
            self.fail(node, f"a weight range [{observer.quant_min}, "
                            f"{observer.quant_max}]")
        if lo.numel() > 1:
            if observer.ch_axis != 0:
                self.fail(node, "a per-channel weight observer not on the "
                                "output channels")
            self.per_channel_weights = True
            mins = ", ".join(_f64(v) for v in lo.tolist())
            maxs = ", ".join(_f64(v) for v in hi.tolist())
            attrs += (f", axis = {axis} : i64, channel_min = array<f64: "
                      f"{mins}>, channel_max = array<f64: {maxs}>")
        name = self.fresh()
        self.emit(f"{name} = qnn.range {weights_name} {{{attrs}}} : "
                  f"{type_text}")
        return name

    # -- Weights ------------------------------------------------------------

    def conv_geometry(self, node, module, depthwise):
        if getattr(module, "padding_mode", "zeros") != "zeros":
            self.fail(node, f"padding mode '{module.padding_mode}'")
        if isinstance(module.padding, str):
            self.fail(node, f"padding '{module.padding}'")
        ph, pw = module.padding
        geometry = (f"strides = array<i64: {module.stride[0]}, "
                    f"{module.stride[1]}>, dilations = array<i64: "
                    f"{module.dilation[0]}, {module.dilation[1]}>, padding = "
                    f"array<i64: {ph}, {ph}, {pw}, {pw}>")
        if module.groups > 1 and not depthwise:
            geometry += f", groups = {module.groups} : i64"
        return geometry

    @staticmethod
    def conv_weights(weights, groups, in_channels):
        """OIHW weights (I = in_channels / groups) in qopt's layout: 1HWO
        for a depthwise convolution, else OHWI (a grouped qnn.conv2d has the
        same [O, KH, KW, I / groups] filter as PyTorch). Returns (array,
        is_depthwise)."""
        if groups > 1 and groups == in_channels and weights.shape[1] == 1:
            return np.transpose(weights, (1, 2, 3, 0)), True
        return np.transpose(weights, (0, 2, 3, 1)), False

    # -- Float level (prepared models) ---------------------------------------

    def float_conv(self, node, module, conv, bn, relu):
        x = self.value(node, node.args[0])
        w = conv.weight.detach().numpy()
        in_channels = x.shape[-1]
        filt, depthwise = self.conv_weights(w, conv.groups, in_channels)
        w_name = self.weight_marker(
            node, module, self.constant(_dense_f32(filt)),
            _tensor_type(filt.shape, "f32"), 3 if depthwise else 0)
        out_channels = w.shape[0]
        bias = conv.bias.detach().numpy() if conv.bias is not None else None
        operands = f"{x.name}, {w_name}"
        types = f"{x.type}, {_tensor_type(filt.shape, 'f32')}"
        if bias is not None:
            operands += ", " + self.constant(_dense_f32(bias))
            types += f", {_tensor_type([out_channels], 'f32')}"
        op = "qnn.depthwise_conv2d" if depthwise else "qnn.conv2d"
        geometry = self.conv_geometry(node, conv, depthwise)
        out = self.result(node, f"{{name}} = {op} {operands} {{{geometry}}}"
                          f" : ({types}) -> {{type}}", "f32")
        if bn is not None:
            out = self.batch_norm(node, bn, out)
        if relu:
            out = self.clamp(out, 0.0, math.inf)
        return out

    def batch_norm(self, node, bn, x):
        if bn.running_mean is None or not bn.affine:
            self.fail(node, "a batch norm without running statistics or "
                            "affine parameters")
        params = [self.constant(_dense_f32(t.detach().numpy()))
                  for t in (bn.weight, bn.bias, bn.running_mean,
                            bn.running_var)]
        vec = _tensor_type([x.shape[-1]], "f32")
        name = self.fresh()
        self.emit(f"{name} = qnn.batch_norm {x.name}, {', '.join(params)} "
                  f"{{epsilon = {_f64(bn.eps)} : f64}} : ({x.type}, {vec}, "
                  f"{vec}, {vec}, {vec}) -> {x.type}")
        return _Value(name, x.shape, x.element, x.scale, x.zero_point,
                      x.dtype)

    def clamp(self, x, lo, hi):
        name = self.fresh()
        self.emit(f"{name} = qnn.clamp {x.name} {{min = {_f64(lo)} : f64, "
                  f"max = {_f64(hi)} : f64}} : {x.type}")
        return _Value(name, x.shape, x.element, x.scale, x.zero_point,
                      x.dtype)

    def fc_weight_columns(self, node, x_node, weights):
        """A Linear after a flatten of NCHW reads its input in C, H, W order;
        qopt's flatten of NHWC is H, W, C: permute the weights' columns."""
        source = self.flatten_sources.get(x_node)
        if source is None:
            return weights
        n, c, h, w = source
        out = weights.shape[0]
        return weights.reshape(out, c, h, w).transpose(0, 2, 3, 1) \
            .reshape(out, c * h * w)

    def float_linear(self, node, module, linear, relu):
        x = self.value(node, node.args[0])
        w = self.fc_weight_columns(node, node.args[0],
                                   linear.weight.detach().numpy())
        w_name = self.weight_marker(node, module,
                                    self.constant(_dense_f32(w)),
                                    _tensor_type(w.shape, "f32"), 0)
        operands = f"{x.name}, {w_name}"
        types = f"{x.type}, {_tensor_type(w.shape, 'f32')}"
        if linear.bias is not None:
            operands += ", " + self.constant(
                _dense_f32(linear.bias.detach().numpy()))
            types += f", {_tensor_type([w.shape[0]], 'f32')}"
        out = self.result(node, f"{{name}} = qnn.fully_connected {operands} "
                          f": ({types}) -> {{type}}", "f32")
        return self.clamp(out, 0.0, math.inf) if relu else out

    # -- Quantized level (converted models) ----------------------------------

    def quantized_conv(self, node, module, relu):
        x = self.value(node, node.args[0])
        if x.scale is None:
            self.fail(node, "a quantized convolution of a float input")
        qw = module.weight()
        w = qw.int_repr().numpy().astype(np.int64)
        per_channel, scales, zps = weight_quantization(qw)
        filt, depthwise = self.conv_weights(w, module.groups, x.shape[-1])
        axis = 3 if depthwise else 0
        return self.quantized_contraction(
            node, module, x, filt, scales, zps, per_channel, axis,
            "qnn.depthwise_conv2d" if depthwise else "qnn.conv2d",
            " {" + self.conv_geometry(node, module, depthwise) + "}", relu)

    def quantized_linear(self, node, module, relu):
        x = self.value(node, node.args[0])
        if x.scale is None:
            self.fail(node, "a quantized linear layer of a float input")
        qw = module.weight()
        w = self.fc_weight_columns(node, node.args[0],
                                   qw.int_repr().numpy().astype(np.int64))
        per_channel, scales, zps = weight_quantization(qw)
        return self.quantized_contraction(
            node, module, x, w, scales, zps, per_channel, 0,
            "qnn.fully_connected", "", relu)

    def quantized_contraction(self, node, module, x, weights, scales, zps,
                              per_channel, axis, op, attrs, relu):
        self.per_channel_weights |= per_channel
        if per_channel:
            pairs = ", ".join(f"{_f64(s)}:{z}" for s, z in zip(scales, zps))
            w_element = f"!quant.uniform<i8:f32:{axis}, {{{pairs}}}>"
        else:
            w_element = (f"!quant.uniform<i8:f32, {_f64(scales[0])}:"
                         f"{zps[0]}>")
        w_type = _tensor_type(weights.shape, w_element)
        w_name = self.fresh()
        self.emit(f"{w_name} = qnn.const "
                  f"{_dense_int(weights, 'i8', 8)} -> {w_type}")
        operands, types = f"{x.name}, {w_name}", f"{x.type}, {w_type}"
        bias = module.bias()
        out_channels = len(scales) if per_channel else weights.shape[
            axis]
        if bias is not None:
            # The int32 bias as PyTorch's qnnpack engine quantizes it at run
            # time: scale S_in * S_w, zero point 0, half to even.
            bias_scales = [x.scale * s for s in scales]
            if per_channel:
                qb = torch.quantize_per_channel(
                    bias.detach().float(), torch.tensor(bias_scales,
                                                        dtype=torch.double),
                    torch.zeros(len(scales), dtype=torch.long), 0,
                    torch.qint32)
                pairs = ", ".join(f"{_f64(s)}:0" for s in bias_scales)
                b_element = f"!quant.uniform<i32:f32:0, {{{pairs}}}>"
            else:
                qb = torch.quantize_per_tensor(bias.detach().float(),
                                               bias_scales[0], 0,
                                               torch.qint32)
                b_element = f"!quant.uniform<i32:f32, {_f64(bias_scales[0])}>"
            b_type = _tensor_type([bias.numel()], b_element)
            b_name = self.fresh()
            self.emit(f"{b_name} = qnn.const "
                      f"{_dense_int(qb.int_repr().numpy(), 'i32', 32)} -> "
                      f"{b_type}")
            operands += f", {b_name}"
            types += f", {b_type}"
        alias = self.quant_alias(torch.quint8, module.scale,
                                 module.zero_point)
        out = self.result(node, f"{{name}} = {op} {operands}{attrs} : "
                          f"({types}) -> {{type}}", alias,
                          scale=float(module.scale),
                          zero_point=int(module.zero_point),
                          dtype=torch.quint8)
        return self.clamp(out, 0.0, math.inf) if relu else out

    def quantize(self, node, x, scale, zero_point, dtype):
        if dtype != torch.quint8:
            self.fail(node, f"quantization to {dtype}")
        alias = self.quant_alias(dtype, scale, zero_point)
        pending = self.argument_relayouts.pop(x.name, None)
        if pending is not None:
            # Quantize the NCHW argument, then change its layout: the
            # parameter export reads the quantized level only.
            line, argument = pending
            del self.lines[line]
            name = self.fresh()
            quantized = _Value(name, argument.shape, alias, float(scale),
                               int(zero_point), dtype)
            self.emit(f"{name} = qnn.quantize {argument.name} : "
                      f"({argument.type}) -> {quantized.type}")
            return self.relayout(node, quantized, _NCHW_TO_NHWC)
        return self.result(node, f"{{name}} = qnn.quantize {x.name} : "
                           f"({x.type}) -> {{type}}", alias,
                           scale=float(scale), zero_point=int(zero_point),
                           dtype=dtype)

    def dequantize(self, node, x):
        """A dequantizer. That of a 4-D result of the function comes after
        the result's change to NCHW, so that the transpose stays at the
        quantized level (a converted model has no range to quantize a float
        op after its dequantizer with)."""
        if not (self.layout == "nchw" and len(x.shape) == 4 and
                all(user.op == "output" for user in node.users)):
            return self.result(node, f"{{name}} = qnn.dequantize {x.name} : "
                               f"({x.type}) -> {{type}}", "f32")
        x = self.relayout(node, x, _NHWC_TO_NCHW)
        value = _Value(self.fresh(), x.shape, "f32")
        value.nchw = True
        self.emit(f"{value.name} = qnn.dequantize {x.name} : ({x.type}) -> "
                  f"{value.type}")
        return value

    def quantized_binary(self, node, args, scale, zero_point, relu):
        lhs, rhs = (self.value(node, a) for a in args[:2])
        scale = self.get_attr_value(scale)
        zero_point = self.get_attr_value(zero_point)
        alias = self.quant_alias(torch.quint8, scale, zero_point)
        out = self.result(node, f"{{name}} = qnn.add {lhs.name}, {rhs.name} "
                          f": ({lhs.type}, {rhs.type}) -> {{type}}", alias,
                          scale=float(scale), zero_point=int(zero_point),
                          dtype=torch.quint8)
        return self.clamp(out, 0.0, math.inf) if relu else out

    # -- Shared ops ---------------------------------------------------------

    def pool(self, node, x, kind, kernel, stride, padding, ceil_mode=False,
             count_include_pad=False):
        pair = lambda v: (v, v) if isinstance(v, int) else tuple(v)
        kernel, stride, padding = pair(kernel), pair(stride or kernel), \
            pair(padding)
        if ceil_mode:
            self.fail(node, "ceil_mode pooling")
        if kind == "avg" and count_include_pad and any(padding):
            self.fail(node, "average pooling counting padded positions "
                            "(count_include_pad=True with padding)")
        op = "qnn.avg_pool2d" if kind == "avg" else "qnn.max_pool2d"
        return self.same_type(
            node, op, x,
            f"kernel = array<i64: {kernel[0]}, {kernel[1]}>, strides = "
            f"array<i64: {stride[0]}, {stride[1]}>, padding = array<i64: "
            f"{padding[0]}, {padding[0]}, {padding[1]}, {padding[1]}>")

    def adaptive_pool(self, node, x, output_size):
        size = output_size if isinstance(output_size, (tuple, list)) else (
            output_size, output_size)
        if tuple(size) != (1, 1):
            self.fail(node, f"adaptive average pooling to {tuple(size)} "
                            "(qopt_torch takes 1x1)")
        return self.pool(node, x, "avg", (x.shape[1], x.shape[2]), 1, 0)

    def flatten(self, node, x):
        torch_shape = self.torch_shape(node.args[0])
        out_shape = self.torch_shape(node)
        if len(out_shape) != 2:
            self.fail(node, f"a reshape to {out_shape} (qopt_torch takes "
                            "flattening to [N, features])")
        if len(torch_shape) == 4 and (torch_shape[2] != 1 or
                                      torch_shape[3] != 1):
            self.flatten_sources[node] = torch_shape
        return self.reshape(node, x, out_shape)

    def permute(self, node, x, permutation):
        """PyTorch's permute (or transpose) of `x`. A 4-D value is NHWC here
        for PyTorch's NCHW, before and after: the permutation of qopt's
        dimensions composes the change to NCHW, PyTorch's permutation and
        the change back."""
        rank = len(x.shape)
        permutation = [d % rank for d in permutation]
        if sorted(permutation) != list(range(rank)):
            self.fail(node, f"a permutation {permutation} of {rank} "
                            "dimensions")
        if rank == 4:
            permutation = [_NHWC_TO_NCHW[permutation[d]]
                           for d in _NCHW_TO_NHWC]
        return self.relayout(node, x, permutation)

    @staticmethod
    def swapped(rank, dim0, dim1):
        """The permutation of transpose(dim0, dim1)."""
        permutation = list(range(rank))
        dim0, dim1 = dim0 % rank, dim1 % rank
        permutation[dim0], permutation[dim1] = dim1, dim0
        return permutation

    def concat(self, node, tensors, dim, scale=None, zero_point=None):
        values = [self.value(node, t) for t in tensors]
        rank = len(values[0].shape)
        dim = dim % rank
        axis = [0, 3, 1, 2][dim] if rank == 4 else dim
        if scale is not None:
            scale = self.get_attr_value(scale)
            zero_point = self.get_attr_value(zero_point)
            element = self.quant_alias(torch.quint8, scale, zero_point)
        else:
            element = values[0].element
        types = ", ".join(v.type for v in values)
        return self.result(
            node, f"{{name}} = qnn.concat {', '.join(v.name for v in values)}"
            f" {{axis = {axis} : i64}} : ({types}) -> {{type}}", element,
            scale=None if scale is None else float(scale),
            zero_point=None if zero_point is None else int(zero_point),
            dtype=torch.quint8 if scale is not None else None)

    # -- Dispatch -----------------------------------------------------------

    def call_module(self, node):
        module = self.gm.get_submodule(node.target)
        x = self.value(node, node.args[0]) if node.args else None
        t = type(module)
        out = None
        if isinstance(module, (FakeQuantizeBase, ObserverBase)):
            return self.marker(node, x, module)
        if isinstance(module, QuantStub):
            out = x
        elif isinstance(module, DeQuantStub):
            return x
        elif isinstance(module, nnq.Quantize):
            return self.quantize(node, x, float(module.scale),
                                 int(module.zero_point), module.dtype)
        elif isinstance(module, nnq.DeQuantize):
            return self.dequantize(node, x)
        elif t in (nniqat.ConvBn2d, nniqat.ConvBnReLU2d):
            out = self.float_conv(node, module, module, module.bn,
                                  t is nniqat.ConvBnReLU2d)
        elif t in (nniqat.ConvReLU2d, nnqat.Conv2d, nn.Conv2d):
            out = self.float_conv(node, module, module, None,
                                  t is nniqat.ConvReLU2d)
        elif t in (nni.ConvBn2d, nni.ConvBnReLU2d, nni.ConvReLU2d):
            # Prepared, the fused module also holds its observer as a child.
            out = self.float_conv(node, module, module[0],
                                  module[1] if len(module) > 1 and
                                  isinstance(module[1], nn.BatchNorm2d)
                                  else None,
                                  any(isinstance(child, nn.ReLU)
                                      for child in module.children()))
        elif t in (nniqat.LinearReLU, nnqat.Linear, nn.Linear):
            out = self.float_linear(node, module, module,
                                    t is nniqat.LinearReLU)
        elif t is nni.LinearReLU:
            out = self.float_linear(node, module, module[0], True)
        elif t in (nnq.Conv2d, nniq.ConvReLU2d):
            return self.quantized_conv(node, module, t is nniq.ConvReLU2d)
        elif t in (nnq.Linear, nniq.LinearReLU):
            return self.quantized_linear(node, module, t is nniq.LinearReLU)
        elif t is nn.BatchNorm2d:
            if x.scale is not None:
                self.fail(node, "a quantized batch norm (fuse it into the "
                                "convolution before preparing)")
            out = self.batch_norm(node, module, x)
        elif t in (nn.ReLU, nn.ReLU6, nn.Hardtanh, nnq.ReLU6):
            lo, hi = {nn.ReLU: (0.0, math.inf)}.get(t, (0.0, 6.0))
            if t is nn.Hardtanh:
                lo, hi = module.min_val, module.max_val
            out = self.clamp(x, lo, hi)
        elif isinstance(module, (nn.Dropout, nn.Identity)):
            return x  # nothing in eval mode (the quantized Dropout too)
        elif t is nn.AvgPool2d:
            if module.divisor_override:
                self.fail(node, "average pooling with divisor_override")
            out = self.pool(node, x, "avg", module.kernel_size, module.stride,
                            module.padding, module.ceil_mode,
                            module.count_include_pad)
        elif t is nn.AdaptiveAvgPool2d:
            out = self.adaptive_pool(node, x, module.output_size)
        elif t is nn.MaxPool2d:
            dilation = module.dilation
            if dilation not in (1, (1, 1)):
                self.fail(node, "dilated max pooling")
            out = self.pool(node, x, "max", module.kernel_size, module.stride,
                            module.padding, module.ceil_mode)
        elif t is nn.Flatten:
            out = self.flatten(node, x)
        else:
            self.fail(node, f"unsupported module {t.__module__}."
                            f"{t.__qualname__}")
        # Eager prepare observes a module's output with a forward hook.
        observer = getattr(module, "activation_post_process", None)
        if observer is not None and out is not None and out.scale is None:
            out = self.marker(node, out, observer)
        return out

    def call_function(self, node):
        f, args, kwargs = node.target, node.args, node.kwargs
        if f in (torch.add, operator.add, operator.iadd):
            lhs, rhs = (self.value(node, a) for a in args[:2])
            if lhs.scale is not None:
                self.fail(node, "an addition of quantized tensors outside "
                                "quantized.add")
            return self.result(node, f"{{name}} = qnn.add {lhs.name}, "
                               f"{rhs.name} : ({lhs.type}, {rhs.type}) -> "
                               "{type}", "f32")
        if f in (torch.ops.quantized.add, torch.ops.quantized.add_relu):
            return self.quantized_binary(
                node, args, kwargs.get("scale", args[2] if len(args) > 2
                                       else None),
                kwargs.get("zero_point", args[3] if len(args) > 3 else None),
                f is torch.ops.quantized.add_relu)
        if f in (F.relu, torch.relu):
            return self.clamp(self.value(node, args[0]), 0.0, math.inf)
        if f in (F.relu6,):
            return self.clamp(self.value(node, args[0]), 0.0, 6.0)
        if f in (F.hardtanh,):
            lo = kwargs.get("min_val", args[1] if len(args) > 1 else -1.0)
            hi = kwargs.get("max_val", args[2] if len(args) > 2 else 1.0)
            return self.clamp(self.value(node, args[0]), lo, hi)
        if f in (torch.flatten,):
            return self.flatten(node, self.value(node, args[0]))
        if f is torch.cat:
            tensors = args[0]
            dim = kwargs.get("dim", args[1] if len(args) > 1 else 0)
            return self.concat(node, tensors, dim)
        if f is torch.ops.quantized.cat:
            return self.concat(node, args[0], kwargs.get("dim", args[1]),
                               kwargs.get("scale", args[2]),
                               kwargs.get("zero_point", args[3]))
        if f is torch.quantize_per_tensor:
            scale, zero_point, dtype = (self.get_attr_value(a)
                                        for a in args[1:4])
            return self.quantize(node, self.value(node, args[0]),
                                 float(scale), int(zero_point), dtype)
        if f in (F.adaptive_avg_pool2d,):
            return self.adaptive_pool(node, self.value(node, args[0]),
                                      args[1])
        if f in (F.dropout,):
            return self.value(node, args[0])
        if f is torch.permute:
            return self.permute(node, self.value(node, args[0]),
                                kwargs.get("dims", args[1] if len(args) > 1
                                           else None))
        if f is torch.transpose:
            x = self.value(node, args[0])
            return self.permute(node, x, self.swapped(len(x.shape),
                                                      *args[1:3]))
        self.fail(node, f"unsupported function {getattr(f, '__name__', f)}")

    def call_method(self, node):
        name, args = node.target, node.args
        if name in ("view", "reshape", "flatten"):
            return self.flatten(node, self.value(node, args[0]))
        if name == "size":
            return None
        if name == "dequantize":
            return self.dequantize(node, self.value(node, args[0]))
        if name in ("relu", "relu_"):
            return self.clamp(self.value(node, args[0]), 0.0, math.inf)
        if name == "permute":
            dims = args[1] if len(args) == 2 and isinstance(
                args[1], (list, tuple)) else args[1:]
            return self.permute(node, self.value(node, args[0]),
                                node.kwargs.get("dims", dims))
        if name == "transpose":
            x = self.value(node, args[0])
            return self.permute(node, x, self.swapped(len(x.shape),
                                                      *args[1:3]))
        self.fail(node, f"unsupported method .{name}()")

    def get_attr_value(self, arg):
        if isinstance(arg, torch.fx.Node) and arg.op == "get_attr":
            value = self.gm
            for part in arg.target.split("."):
                value = getattr(value, part)
            return value.item() if torch.is_tensor(value) else value
        return arg

    def argument(self, node, index):
        shape = self.torch_shape(node)
        element = "f32"
        if len(shape) != 4:
            name = f"%arg{index}"
            self.signature.append(f"{name}: {_tensor_type(shape, element)}")
            return _Value(name, shape, element)
        n, c, h, w = shape
        name = f"%arg{index}"
        if self.layout == "nhwc":
            self.signature.append(f"{name}: {_tensor_type([n, h, w, c], element)}")
            return _Value(name, [n, h, w, c], element)
        self.signature.append(f"{name}: {_tensor_type(shape, element)}")
        argument = _Value(name, shape, element)
        value = self.relayout(node, argument, _NCHW_TO_NHWC)
        self.argument_relayouts[value.name] = (len(self.lines) - 1, argument)
        return value

    def run(self):
        self.signature, self.flatten_sources = [], {}
        self.argument_relayouts = {}
        results = []
        for node in self.gm.graph.nodes:
            if node.op == "placeholder":
                self.env[node] = self.argument(node, len(self.signature))
            elif node.op == "get_attr":
                continue
            elif node.op == "call_module":
                self.env[node] = self.call_module(node)
            elif node.op == "call_function":
                self.env[node] = self.call_function(node)
            elif node.op == "call_method":
                self.env[node] = self.call_method(node)
            elif node.op == "output":
                outputs = node.args[0]
                if not isinstance(outputs, (tuple, list)):
                    outputs = (outputs,)
                for out in outputs:
                    value = self.value(node, out)
                    if value.scale is not None:
                        self.fail(node, "a quantized result (end the model "
                                        "with a DeQuantStub)")
                    results.append(value)
        returns = []
        for value in results:
            if len(value.shape) == 4 and self.layout == "nchw" and \
                    not value.nchw:
                value = self.relayout(node, value, _NHWC_TO_NCHW)
            returns.append(value)
        self.emit("return " + ", ".join(v.name for v in returns) + " : " +
                  ", ".join(v.type for v in returns))
        scheme = "fbgemm" if self.per_channel_weights else "qnnpack"
        header = [f'module attributes {{qnn.scheme = "{scheme}", '
                  f'qnn.numerics = "{self.numerics}"}} {{']
        header.append(f"  func.func @forward({', '.join(self.signature)}) -> "
                      f"({', '.join(v.type for v in returns)}) {{")
        body = "\n".join(self.lines)
        return "\n".join(header) + "\n" + body + "\n  }\n}\n"


def export(model, example_inputs, path=None, layout="nchw",
           numerics="pytorch-qnnpack"):
    """qopt MLIR text of `model`'s forward function, written to `path` when
    given (see the package docstring). Raises ExportError, writing nothing,
    for a model qopt_torch cannot express."""
    if layout not in ("nchw", "nhwc"):
        raise ExportError(f"unknown layout '{layout}' (nchw or nhwc)")
    if not isinstance(example_inputs, (tuple, list)):
        example_inputs = (example_inputs,)
    model.eval()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            gm = _trace(model)
        except ExportError:
            raise
        except Exception as error:  # tracing failures name the code
            raise ExportError(f"cannot trace the model: {error}") from error
        with torch.no_grad():
            ShapeProp(gm).propagate(*example_inputs)
        text = _Exporter(model, gm, layout, numerics).run()
    if path is not None:
        with open(path, "w") as f:
            f.write(text)
    return text
