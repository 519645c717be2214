#!/usr/bin/env python3
#===- gen_layers.py - Generate layers.mlir --------------------------------===#
#
# Part of the qopt project.
#
#===-----------------------------------------------------------------------===#
#
# Usage: gen_layers.py > layers.mlir
#
# Integer-level layers with constant weights, on shapes that leave partial
# register tiles everywhere: rows not a multiple of any ISA's tile, output
# channels not a multiple of the 4 lanes, FC depths not a multiple of the
# groups (2, 4, 8), convolutions with input zero points and padding (which
# --qopt-expand-zero-points turns into an explicit pad), strides, and both
# input signednesses. Deterministic (a fixed seed); standard library only.
#
#===-----------------------------------------------------------------------===#

import math
import random

rng = random.Random(20261123)


def hex_bytes(values):
    return '"0x' + "".join(f"{v & 0xff:02X}" for v in values) + '"'


def requant(depth, channels, per_channel):
    """M0 and shift so that outputs spread over the 8-bit range."""
    scale = 40.0 / (5000.0 * math.sqrt(depth))
    count = channels if per_channel else 1
    mult, shift = [], []
    for _ in range(count):
        m = scale * rng.uniform(0.5, 2.0)
        exp = math.frexp(m)[1]  # m = f * 2^exp, f in [0.5, 1)
        m0 = round(m / 2.0 ** exp * 2 ** 31)
        mult.append(min(m0, 2 ** 31 - 1))
        shift.append(exp)
    return mult, shift


def array(kind, values):
    return f"array<{kind}: " + ", ".join(str(v) for v in values) + ">"


def rescale_attrs(depth, channels, per_channel, out_zp, clamp):
    mult, shift = requant(depth, channels, per_channel)
    attrs = [f"multiplier = {array('i32', mult)}",
             f"shift = {array('i32', shift)}", f"output_zp = {out_zp} : i64"]
    if clamp:
        attrs.append(f"clamp_min = {clamp[0]} : i64")
        attrs.append(f"clamp_max = {clamp[1]} : i64")
    return "{" + ", ".join(attrs) + "}"


def weights(count):
    return [rng.randint(-127, 127) for _ in range(count)]


def bias(count):
    return "[" + ", ".join(str(rng.randint(-20000, 20000))
                           for _ in range(count)) + "]"


def fc(name, rows, channels, depth, unsigned, input_zp, per_channel, clamp,
       comment):
    it = "ui8" if unsigned else "i8"
    out_zp = rng.randint(-20, 20) + (128 if unsigned else 0)
    print(f"// {comment}")
    print(f"func.func @{name}(%x: tensor<{rows}x{depth}x{it}>) "
          f"-> tensor<{rows}x{channels}x{it}> {{")
    print(f"  %w = arith.constant dense<{hex_bytes(weights(channels * depth))}>"
          f" : tensor<{channels}x{depth}xi8>")
    print(f"  %b = arith.constant dense<{bias(channels)}> : "
          f"tensor<{channels}xi32>")
    print(f"  %acc = qnn.int.fully_connected %x, %w, %b "
          f"{{input_zp = {input_zp} : i64}}")
    print(f"       : (tensor<{rows}x{depth}x{it}>, tensor<{channels}x{depth}xi8>,"
          f" tensor<{channels}xi32>) -> tensor<{rows}x{channels}xi32>")
    print(f"  %y = qnn.int.rescale %acc "
          f"{rescale_attrs(depth, channels, per_channel, out_zp, clamp)}")
    print(f"       : (tensor<{rows}x{channels}xi32>) -> "
          f"tensor<{rows}x{channels}x{it}>")
    print(f"  return %y : tensor<{rows}x{channels}x{it}>")
    print("}\n")


def conv(name, n, h, w, c, o, kh, kw, strides, padding, unsigned, input_zp,
         per_channel, comment):
    it = "ui8" if unsigned else "i8"
    out_zp = rng.randint(-20, 20) + (128 if unsigned else 0)
    oh = (h + padding[0] + padding[1] - kh) // strides[0] + 1
    ow = (w + padding[2] + padding[3] - kw) // strides[1] + 1
    depth = kh * kw * c
    in_t = f"tensor<{n}x{h}x{w}x{c}x{it}>"
    f_t = f"tensor<{o}x{kh}x{kw}x{c}xi8>"
    acc_t = f"tensor<{n}x{oh}x{ow}x{o}xi32>"
    out_t = f"tensor<{n}x{oh}x{ow}x{o}x{it}>"
    print(f"// {comment}")
    print(f"func.func @{name}(%x: {in_t}) -> {out_t} {{")
    print(f"  %f = arith.constant dense<{hex_bytes(weights(o * depth))}> : {f_t}")
    print(f"  %b = arith.constant dense<{bias(o)}> : tensor<{o}xi32>")
    print(f"  %acc = qnn.int.conv2d %x, %f, %b {{input_zp = {input_zp} : i64, "
          f"strides = {array('i64', strides)}, "
          f"padding = {array('i64', padding)}}}")
    print(f"       : ({in_t}, {f_t}, tensor<{o}xi32>) -> {acc_t}")
    print(f"  %y = qnn.int.rescale %acc "
          f"{rescale_attrs(depth, o, per_channel, out_zp, None)}")
    print(f"       : ({acc_t}) -> {out_t}")
    print(f"  return %y : {out_t}")
    print("}\n")


def depthwise(name, h, w, c, kh, kw, stride, padding, unsigned, input_zp,
              comment):
    it = "ui8" if unsigned else "i8"
    out_zp = rng.randint(-20, 20) + (128 if unsigned else 0)
    oh = (h + padding[0] + padding[1] - kh) // stride + 1
    ow = (w + padding[2] + padding[3] - kw) // stride + 1
    in_t = f"tensor<1x{h}x{w}x{c}x{it}>"
    f_t = f"tensor<1x{kh}x{kw}x{c}xi8>"
    acc_t = f"tensor<1x{oh}x{ow}x{c}xi32>"
    out_t = f"tensor<1x{oh}x{ow}x{c}x{it}>"
    print(f"// {comment}")
    print(f"func.func @{name}(%x: {in_t}) -> {out_t} {{")
    print(f"  %f = arith.constant dense<{hex_bytes(weights(kh * kw * c))}> : {f_t}")
    print(f"  %b = arith.constant dense<{bias(c)}> : tensor<{c}xi32>")
    print(f"  %acc = qnn.int.depthwise_conv2d %x, %f, %b "
          f"{{input_zp = {input_zp} : i64, "
          f"strides = {array('i64', [stride, stride])}, "
          f"padding = {array('i64', padding)}}}")
    print(f"       : ({in_t}, {f_t}, tensor<{c}xi32>) -> {acc_t}")
    print(f"  %y = qnn.int.rescale %acc "
          f"{rescale_attrs(kh * kw, c, True, out_zp, None)}")
    print(f"       : ({acc_t}) -> {out_t}")
    print(f"  return %y : {out_t}")
    print("}\n")


print("""// Generated by Inputs/gen_layers.py; do not edit.
//
// Integer-level layers with constant weights for the AArch64 kernels: see
// the script for what the shapes exercise.
""")
fc("fc_s8_7x13x29", 7, 13, 29, False, 0, True, (-100, 90),
   "FC, s8: 7 rows, 13 channels, 29 steps; per-channel, clamped")
fc("fc_u8_9x6x1100", 9, 6, 1100, True, 0, False, None,
   "FC, u8: 9 rows, 6 channels, 1100 steps (a long reduction)")
fc("fc_u8_3x100x300", 3, 100, 300, True, 131, True, None,
   "FC, u8 with an input zero point: 3 rows, 100 channels, 300 steps")
fc("fc_s8_16x32x64", 16, 32, 64, False, -7, False, (0, 127),
   "FC, s8: whole tiles of every ISA; ReLU")
fc("fc_s8_1x17x3", 1, 17, 3, False, 0, True, None,
   "FC, s8: a single row, fewer steps than any group")
conv("conv_s8_pad", 1, 6, 7, 16, 12, 3, 3, [1, 1], [1, 1, 1, 1], False, -5,
     True, "conv 3x3, s8, padded (zero point -5), 16 input channels")
conv("conv_u8_stride2", 2, 9, 8, 8, 10, 3, 2, [2, 2], [0, 1, 0, 0], True, 3,
     False, "conv 3x2 stride 2, u8, batch 2, 8 input channels")
conv("conv_s8_1x1_depth6", 1, 5, 5, 6, 7, 1, 1, [1, 1], [0, 0, 0, 0], False,
     0, True, "conv 1x1, s8, 6 input channels (a group of 2, not 4 or 8)")
depthwise("dw_s8_pad", 9, 11, 20, 3, 3, 1, [1, 1, 1, 1], False, -3,
          "depthwise 3x3, s8, padded: 5 vectors of 4 channels, border tiles")
depthwise("dw_u8_stride2", 10, 9, 7, 3, 3, 2, [0, 1, 0, 1], True, 131,
          "depthwise 3x3 stride 2, u8 (zero point 131), a partial vector")
depthwise("dw_s8_5x5", 8, 8, 16, 5, 5, 1, [2, 2, 2, 2], False, 0,
          "depthwise 5x5, s8: two groups of kernel rows, one partial")
