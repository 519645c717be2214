#!/usr/bin/env python3
#===- mobilenet_v2.py - MobileNetV2 at the float level ---------------------===#
#
# Part of the qopt project.
#
#===-----------------------------------------------------------------------===#
#
# Usage: mobilenet_v2.py [-o FILE] [--resolution 224] [--classes 1000]
#                        [--seed 1]
#
# Writes torchvision's MobileNetV2 (width 1.0) as a float-level qnn function
# @mobilenet_v2 on an NHWC image: the first 3x3 stride-2 convolution, the 17
# inverted residual blocks (1x1 expansion, 3x3 depthwise, 1x1 linear
# projection, each with its batch norm; ReLU6 after the first two; a
# residual add where the block keeps its shape), the last 1x1 convolution to
# 1280 channels, global average pooling and the classifier: 52 convolutions,
# 10 adds, 3.5 million random weights (seeded; nothing is downloaded) and a
# range marker where a quantized network has its activation observers. The
# ranges are estimates (see netgen.py), not a calibration: this is the
# network's structure and shapes, for compiling and timing, not a classifier.
#
# Written at test and benchmark time, not committed (about 14 MB).
#
#===-----------------------------------------------------------------------===#

import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from netgen import RELU6, Network, network_main  # noqa: E402

# torchvision.models.mobilenetv2's inverted_residual_setting: expansion t,
# output channels c, repeats n, first stride s.
INVERTED_RESIDUALS = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2),
                      (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2),
                      (6, 320, 1, 1)]


def conv_bn(net, x, channels, kernel, stride=1, depthwise=False,
            activation=RELU6):
    """torchvision's Conv2dNormActivation: convolution without bias, batch
    norm, ReLU6 (or nothing: the linear projection)."""
    y = net.conv(x, channels, kernel, stride, depthwise=depthwise, bias=False)
    return net.activation(y, activation, batch_norm=True)


def inverted_residual(net, x, expansion, channels, stride):
    hidden = x.shape[-1] * expansion
    y = x
    if expansion != 1:
        y = conv_bn(net, y, hidden, 1)
    y = conv_bn(net, y, hidden, 3, stride, depthwise=True)
    y = conv_bn(net, y, channels, 1, activation=None)
    if stride == 1 and x.shape[-1] == channels:
        y = net.range(net.add(x, y))
    return y


def mobilenet_v2(resolution, classes, seed):
    net = Network("mobilenet_v2", random.Random(seed))
    # ImageNet-normalized pixels: (x - mean) / std lies in about [-2.1, 2.7].
    x = net.argument([1, resolution, resolution, 3], -2.1179, 2.6400)
    x = conv_bn(net, x, 32, 3, 2)
    for expansion, channels, repeats, stride in INVERTED_RESIDUALS:
        for i in range(repeats):
            x = inverted_residual(net, x, expansion, channels,
                                  stride if i == 0 else 1)
    x = conv_bn(net, x, 1280, 1)
    logits = net.classifier(x, classes)
    return net, net.module(
        "MobileNetV2 (torchvision's structure, random weights): "
        f"examples/networks/mobilenet_v2.py --resolution {resolution} "
        f"--classes {classes} --seed {seed}",
        [logits])


if __name__ == "__main__":
    network_main(__doc__, mobilenet_v2)
