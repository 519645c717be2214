#!/usr/bin/env python3
#===- resnet18.py - ResNet-18 at the float level ---------------------------===#
#
# Part of the qopt project.
#
#===-----------------------------------------------------------------------===#
#
# Usage: resnet18.py [-o FILE] [--resolution 224] [--classes 1000] [--seed 1]
#
# Writes torchvision's ResNet-18 as a float-level qnn function @resnet18 on
# an NHWC image: the 7x7 stride-2 stem with its batch norm, ReLU and 3x3
# stride-2 max pool, four stages of two basic blocks (3x3 convolutions with
# batch norms; a 1x1 stride-2 convolution on the shortcut where a stage
# halves the image), the residual adds followed by ReLU, global average
# pooling and the classifier: 20 convolutions, 8 adds, 11.7 million random
# weights (seeded; nothing is downloaded). The ranges are estimates (see
# netgen.py): the network's structure and shapes, for compiling and timing.
#
# Written at test and benchmark time, not committed (about 90 MB).
#
#===-----------------------------------------------------------------------===#

import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from netgen import RELU, Network, network_main  # noqa: E402

STAGES = [(64, 1), (128, 2), (256, 2), (512, 2)]


def conv_bn(net, x, channels, kernel, stride=1, activation=RELU,
            marker=True):
    y = net.conv(x, channels, kernel, stride, bias=False)
    return net.activation(y, activation, batch_norm=True, marker=marker)


def basic_block(net, x, channels, stride):
    y = conv_bn(net, x, channels, 3, stride)
    y = conv_bn(net, y, channels, 3, activation=None)
    shortcut = x
    if stride != 1 or x.shape[-1] != channels:
        shortcut = conv_bn(net, x, channels, 1, stride, activation=None)
    return net.activation(net.add(y, shortcut), RELU)


def resnet18(resolution, classes, seed):
    net = Network("resnet18", random.Random(seed))
    x = net.argument([1, resolution, resolution, 3], -2.1179, 2.6400)
    x = conv_bn(net, x, 64, 7, 2)
    x = net.pool(x, "max", 3, 2, (1, 1, 1, 1))
    for channels, stride in STAGES:
        x = basic_block(net, x, channels, stride)
        x = basic_block(net, x, channels, 1)
    logits = net.classifier(x, classes)
    return net, net.module(
        "ResNet-18 (torchvision's structure, random weights): "
        f"examples/networks/resnet18.py --resolution {resolution} "
        f"--classes {classes} --seed {seed}",
        [logits])


if __name__ == "__main__":
    network_main(__doc__, resnet18)
