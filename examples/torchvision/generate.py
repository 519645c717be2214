#!/usr/bin/env python3
"""torchvision's quantizable MobileNetV2 and ResNet-18 as qopt MLIR.

    PYTHONPATH=python examples/torchvision/generate.py OUT_DIR [--size 96]
        [--qconfig qnnpack] [--batch 4] [--prepared]

For each network: random weights (nothing is downloaded), fused, calibrated
on random images (PyTorch's post-training static quantization), converted,
and exported by qopt_torch (layout nhwc) to OUT_DIR/<name>.mlir, with
OUT_DIR/<name>.input.npy (random images, NHWC) and PyTorch's logits under
each of its engines, OUT_DIR/<name>.{qnnpack,onednn}.npy, where the engine
runs the network.
examples/torchvision/run.sh runs and compares them. With --prepared, the
calibrated models are exported before conversion instead, to
OUT_DIR/<name>.prepared.mlir: the float level with the observers' ranges,
which `qopt-run --report` measures (examples/torchvision/report.sh).
"""
import argparse
import multiprocessing
import os
import sys
import warnings

import numpy as np
import torch
import torch.ao.quantization as tq
from torchvision.models import quantization as models

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..",
                                "python"))
import qopt_torch  # noqa: E402

warnings.simplefilter("ignore")


def calibrate(name, qconfig, size, batch):
    """The network fused, prepared and calibrated, not converted."""
    torch.manual_seed(0)
    model = getattr(models, name)(weights=None, quantize=False).eval()
    # torchvision's initialization (batch norms at identity, a classifier of
    # standard deviation 0.01) leaves MobileNetV2's logits all in the zero
    # point's bucket: give the batch norms and the classifier the spread of
    # a trained network.
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, torch.nn.BatchNorm2d):
                module.weight.uniform_(0.5, 1.5)
                module.bias.normal_(0.0, 0.2)
                module.running_mean.normal_(0.0, 0.1)
                module.running_var.uniform_(0.5, 1.5)
            elif isinstance(module, torch.nn.Linear):
                module.weight.normal_(0.0, 0.05)
                module.bias.normal_(0.0, 0.1)
    model.fuse_model()
    model.qconfig = tq.get_default_qconfig(qconfig)
    tq.prepare(model, inplace=True)
    with torch.no_grad():
        for _ in range(4):
            model(torch.rand(batch, 3, size, size))
    return model


def build(name, qconfig, size, batch):
    return tq.convert(calibrate(name, qconfig, size, batch))


def run_engine(name, engine, args, path, export):
    """Converts and runs the network under `engine` (in a child process:
    Debian's onednn build aborts on MobileNetV2's depthwise layers)."""
    torch.backends.quantized.engine = engine
    torch.set_num_threads(1)
    model = build(name, args.qconfig, args.size, args.batch)
    images = torch.from_numpy(np.load(f"{path}.input.npy")).permute(0, 3, 1,
                                                                     2)
    with torch.no_grad():
        np.save(f"{path}.{engine}.npy", model(images).numpy())
    if export:
        qopt_torch.export(model, (images,), f"{path}.mlir", layout="nhwc")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--size", type=int, default=96)
    parser.add_argument("--batch", type=int, default=4)
    parser.add_argument("--qconfig", default="qnnpack",
                        choices=["qnnpack", "fbgemm"])
    parser.add_argument("--prepared", action="store_true",
                        help="export the calibrated models, not converted")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    for name in ("mobilenet_v2", "resnet18"):
        torch.manual_seed(1)
        images = torch.rand(args.batch, 3, args.size, args.size)
        path = os.path.join(args.out, name)
        np.save(f"{path}.input.npy",
                images.permute(0, 2, 3, 1).contiguous().numpy())
        if args.prepared:
            model = calibrate(name, args.qconfig, args.size, args.batch)
            qopt_torch.export(model, (images,), f"{path}.prepared.mlir",
                              layout="nhwc")
            print(f"{path}.prepared.mlir: "
                  f"{os.path.getsize(path + '.prepared.mlir')} bytes")
            continue
        # A converted model's weights are packed for the engine selected when
        # it is converted, and run only under that engine.
        for engine in ("qnnpack", "onednn"):
            child = multiprocessing.Process(
                target=run_engine,
                args=(name, engine, args, path, engine == "qnnpack"))
            child.start()
            child.join()
            status = "ok" if child.exitcode == 0 else \
                f"failed (exit code {child.exitcode})"
            print(f"{name} under {engine}: {status}")
        print(f"{path}.mlir: {os.path.getsize(path + '.mlir')} bytes")


if __name__ == "__main__":
    main()
