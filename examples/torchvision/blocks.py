#!/usr/bin/env python3
"""ResNet-18 block by block against PyTorch's qnnpack engine.

    PYTHONPATH=python examples/torchvision/blocks.py [OUT_DIR]
        [--numerics pytorch-qnnpack]

Builds generate.py's quantized ResNet-18 (qnnpack qconfig and engine, the
same weights and images) and, for each prefix of the network (the stem,
then one more residual block each time), exports the prefix with
qopt_torch, runs it with qopt-run's interpreter of the integer level under
`--numerics` and counts the outputs that differ from PyTorch's, in steps of
the prefix's output scale. The first prefix that differs locates the
operation whose arithmetic differs (docs/pytorch.md).
"""
import argparse
import os
import subprocess
import sys
import warnings

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..",
                                "python"))
import generate  # noqa: E402
import qopt_torch  # noqa: E402

warnings.simplefilter("ignore")


class Prefix(torch.nn.Module):
    """The converted network up to and including its first `count` blocks,
    dequantized."""

    def __init__(self, model, blocks):
        super().__init__()
        self.model = model
        self.blocks = torch.nn.Sequential(*blocks)

    def forward(self, x):
        m = self.model
        x = m.maxpool(m.relu(m.bn1(m.conv1(m.quant(x)))))
        return m.dequant(self.blocks(x))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    src = os.path.join(os.path.dirname(__file__), "..", "..")
    parser.add_argument("out", nargs="?",
                        default=os.path.join(src, "build", "examples",
                                             "torchvision", "blocks"))
    parser.add_argument("--numerics", default="pytorch-qnnpack")
    args = parser.parse_args()
    bin_dir = os.path.join(os.environ.get("QOPT_BUILD_DIR",
                                          os.path.join(src, "build")), "bin")
    os.makedirs(args.out, exist_ok=True)
    torch.backends.quantized.engine = "qnnpack"
    torch.set_num_threads(1)
    model = generate.build("resnet18", "qnnpack", 96, 4)
    torch.manual_seed(1)
    images = torch.rand(4, 3, 96, 96)
    inputs = os.path.join(args.out, "input.npy")
    np.save(inputs, images.permute(0, 2, 3, 1).contiguous().numpy())
    blocks = [(f"layer{i}.{j}", getattr(model, f"layer{i}")[j])
              for i in range(1, 5) for j in range(2)]
    for count in range(len(blocks) + 1):
        prefix = Prefix(model, [block for _, block in blocks[:count]]).eval()
        with torch.no_grad():
            theirs = prefix(images).permute(0, 2, 3, 1).numpy()
        path = os.path.join(args.out, "prefix.mlir")
        qopt_torch.export(prefix, (images,), path, layout="nhwc")
        ours = os.path.join(args.out, "prefix.npy")
        subprocess.run([os.path.join(bin_dir, "qopt-run"), path, "--integer",
                        f"--numerics={args.numerics}", "--input", inputs,
                        "--output", ours], check=True)
        name, last = blocks[count - 1] if count else ("stem", None)
        scale = last.add_relu.scale if last else model.conv1.scale
        steps = np.rint(np.abs(np.load(ours) - theirs) / scale)
        print(f"after {name}: {int((steps != 0).sum())} of {steps.size} "
              f"differ, by at most {int(steps.max())} step(s)", flush=True)


if __name__ == "__main__":
    main()
