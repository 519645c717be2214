#!/usr/bin/env python3
#===- random_net.py - Seeded random float-level networks -------------------===#
#
# Part of the qopt project.
#
#===-----------------------------------------------------------------------===#
#
# Usage: random_net.py SEED [-o FILE]
#
# Writes a float-level qnn module with one function, @net, a random DAG of
# the layers real networks are made of: convolutions (kernels 1 to 5,
# strides, dilations, asymmetric padding, batch norms, ReLU / ReLU6),
# depthwise convolutions (depth multipliers 1 and 2), grouped convolutions
# (2 to 4 groups, decided by a second generator so that the networks of a
# seed are those of before grouping, but for the groups), fully connected layers
# on flattened tensors, residual adds, average and max pooling, channel
# concatenation, reshapes and explicit pads, with random shapes, batch
# sizes and input ranges. Layers read the latest value most of the time and
# an older one otherwise, so that convolutions feed convolutions, values
# feed several layers and branches join again. The same seed gives the same
# module on any machine (Python's own random.Random, no other dependency).
#
# test/Integration/random-networks.test compiles a fixed set of seeds for
# every target and compares them with the interpreter;
# scripts/random-networks.sh runs as many more as asked.
#
#===-----------------------------------------------------------------------===#

import argparse
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from netgen import RELU, RELU6, Network, module, write  # noqa: E402

MAX_CHANNELS = 40
MAX_FLAT = 1536


def pick(rng, values):
    """The latest value most of the time, else any earlier one."""
    return values[-1] if rng.random() < 0.6 else rng.choice(values)


def activation_bounds(rng):
    return rng.choice([None, None, RELU, RELU6])


def maybe_marker(net, rng, x):
    """Data movement keeps its input's parameters unless a marker asks for
    others (a requantize then follows): ask now and then."""
    return net.range(x) if rng.random() < 0.3 else x


def choose_groups(group_rng, in_channels, out_channels):
    """2, 3 or 4 groups when they divide both channel counts, some of the
    time; else 1."""
    candidates = [g for g in (2, 3, 4)
                  if in_channels % g == 0 and out_channels % g == 0]
    if not candidates or group_rng.random() >= 0.6:
        return 1
    return group_rng.choice(candidates)


def conv_layer(net, rng, x, depthwise=False, group_rng=None):
    n, h, w, c = x.shape
    kernel = rng.choice([1, 1, 3, 3, 3, 5]) if min(h, w) >= 5 else \
        rng.choice([1, 3])
    kh = kernel
    kw = kernel if rng.random() < 0.8 else rng.choice([1, 3])
    dilation = 2 if kernel == 3 and min(h, w) >= 7 and rng.random() < 0.15 \
        else 1
    stride = 2 if min(h, w) >= 6 and rng.random() < 0.3 else 1
    padding = [rng.randint(0, (k - 1) * dilation) for k in (kh, kh, kw, kw)]
    # The output must keep at least one pixel.
    while (h + padding[0] + padding[1] < (kh - 1) * dilation + 1 or
           w + padding[2] + padding[3] < (kw - 1) * dilation + 1):
        padding = [p + 1 for p in padding]
    if depthwise:
        out_channels = c * (2 if 2 * c <= MAX_CHANNELS and rng.random() < 0.25
                            else 1)
    else:
        out_channels = rng.randint(1, MAX_CHANNELS)
    groups = 1 if depthwise else choose_groups(group_rng, c, out_channels)
    y = net.conv(x, out_channels, (kh, kw), stride, padding, dilation,
                 depthwise, bias=rng.random() < 0.9, groups=groups)
    return net.activation(y, activation_bounds(rng),
                          batch_norm=rng.random() < 0.5)


def residual(net, rng, x):
    """x + f(x), f a shape-preserving convolution."""
    y = net.conv(x, x.shape[-1], 3 if min(x.shape[1:3]) >= 3 else 1,
                 depthwise=rng.random() < 0.3)
    y = net.activation(y, activation_bounds(rng),
                       batch_norm=rng.random() < 0.5)
    return net.activation(net.add(x, y), activation_bounds(rng))


def add_layer(net, rng, x, values):
    same = [v for v in values if v.shape == x.shape and v is not x]
    if not same:
        return residual(net, rng, x)
    return net.activation(net.add(x, rng.choice(same)),
                          activation_bounds(rng))


def pool_layer(net, rng, x):
    n, h, w, c = x.shape
    kernel = min(rng.choice([2, 2, 3]), h, w)
    stride = rng.choice([1, 2])
    if rng.random() < 0.5:
        padding = [rng.randint(0, kernel - 1) for _ in range(4)] \
            if rng.random() < 0.5 else [0, 0, 0, 0]
        y = net.pool(x, "max", kernel, stride, padding)
    else:
        y = net.pool(x, "avg", kernel, stride)
    return maybe_marker(net, rng, y)


def concat_layer(net, rng, x, values):
    n, h, w, c = x.shape
    partners = [v for v in values if v is not x and len(v.shape) == 4 and
                v.shape[:3] == x.shape[:3] and
                c + v.shape[-1] <= MAX_CHANNELS]
    if partners:
        other = rng.choice(partners)
    else:
        other = net.activation(net.conv(x, rng.randint(1, 8), 1),
                               activation_bounds(rng))
    y = net.concat([x, other] if rng.random() < 0.5 else [other, x])
    return maybe_marker(net, rng, y)


def dense_layer(net, rng, x):
    """Flatten, a fully connected layer, and back to an image of one
    pixel (which 1x1 convolutions, adds and concats can take)."""
    n, h, w, c = x.shape
    flat = net.reshape(x, [n, h * w * c])
    flat = maybe_marker(net, rng, flat)
    y = net.fully_connected(flat, rng.randint(1, MAX_CHANNELS),
                            bias=rng.random() < 0.9)
    y = net.activation(y, activation_bounds(rng))
    return net.reshape(y, [n, 1, 1, y.shape[1]])


def pad_layer(net, rng, x):
    y = net.pad(x, [rng.randint(0, 2) for _ in range(4)])
    return maybe_marker(net, rng, y)


def random_network(seed):
    rng = random.Random(seed)
    group_rng = random.Random(f"groups {seed}")
    net = Network("net", rng)
    batch = rng.choice([1, 1, 1, 2, 3])
    shape = [batch, rng.randint(4, 14), rng.randint(4, 14),
             rng.choice([1, 2, 3, 4, 8, 13, 16, 24, 32])]
    low = rng.choice([-1.0, -0.5, 0.0, -2.0])
    x = net.argument(shape, low, low + rng.choice([1.0, 2.0, 3.0]))
    values = [x]
    for _ in range(rng.randint(3, 9)):
        x = pick(rng, values)
        n, h, w, c = x.shape
        kinds = ["conv"] * 4 + ["depthwise"] * 2 + ["add"] * 2 + \
            ["concat"] * 2 + ["pool", "pad"]
        if h * w * c <= MAX_FLAT:
            kinds.append("dense")
        kind = rng.choice(kinds)
        if kind == "conv":
            y = conv_layer(net, rng, x, group_rng=group_rng)
        elif kind == "depthwise":
            y = conv_layer(net, rng, x, depthwise=True)
        elif kind == "add":
            y = add_layer(net, rng, x, values)
        elif kind == "concat":
            y = concat_layer(net, rng, x, values)
        elif kind == "pool":
            y = pool_layer(net, rng, x)
        elif kind == "pad":
            y = pad_layer(net, rng, x)
        else:
            y = dense_layer(net, rng, x)
        values.append(y)
    results = [values[-1]]
    if rng.random() < 0.5:
        # A classifier head on the last value: global average pool, flatten,
        # fully connected.
        results = [net.classifier(results[0], rng.randint(2, 12))]
    if len(values) > 2 and rng.random() < 0.4:
        # A second result: an intermediate value, so that a wrong layer in
        # the middle cannot hide behind a saturated end.
        results.append(rng.choice(values[1:-1]))
    return module(f"A random network: examples/networks/random_net.py {seed}",
                  [net.function(results)])


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("seed", type=int)
    parser.add_argument("-o", "--output", default="-")
    args = parser.parse_args()
    write(random_network(args.seed), args.output)


if __name__ == "__main__":
    main()
