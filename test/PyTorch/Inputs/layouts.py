# Small calibrated models of several channels exported with qopt_torch's
# default layout (NCHW arguments and results) and compared with PyTorch
# 1.13's qnnpack engine.
#   layouts.py write MODEL DIR   calibrate MODEL (see MODELS), write
#                                DIR/prepared.mlir, DIR/converted.mlir,
#                                DIR/images.npy (NCHW float32) and
#                                DIR/torch.npy (the converted model's result)
#   layouts.py check DIR OUT.npy qopt's NCHW result vs PyTorch's: how many
#                                storage values differ
import sys
import warnings

import numpy as np
import torch
import torch.nn as nn
import torch.ao.quantization as tq

warnings.simplefilter("ignore")
torch.manual_seed(0)
torch.set_num_threads(1)
torch.backends.quantized.engine = "qnnpack"


class Rgb(nn.Module):
    """Three input channels, several output channels, an NCHW result."""

    def __init__(self):
        super().__init__()
        self.quant = tq.QuantStub()
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1)
        self.relu1 = nn.ReLU()
        self.pool = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(8, 5, 3, stride=2, padding=1)
        self.dequant = tq.DeQuantStub()

    def forward(self, x):
        x = self.pool(self.relu1(self.conv1(self.quant(x))))
        return self.dequant(self.conv2(x))


class Grouped(nn.Module):
    """Grouped convolutions (2 and 4 groups, neither dense nor depthwise)."""

    def __init__(self):
        super().__init__()
        self.quant = tq.QuantStub()
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1)
        self.relu1 = nn.ReLU()
        self.conv2 = nn.Conv2d(8, 8, 3, padding=1, groups=2)
        self.relu2 = nn.ReLU()
        self.conv3 = nn.Conv2d(8, 4, 1, stride=2, groups=4)
        self.dequant = tq.DeQuantStub()

    def forward(self, x):
        x = self.relu1(self.conv1(self.quant(x)))
        x = self.relu2(self.conv2(x))
        return self.dequant(self.conv3(x))


class Permuted(nn.Module):
    """Transposes and permutes of quantized activations: the image's height
    and width swapped between convolutions, channels moved in the result."""

    def __init__(self):
        super().__init__()
        self.quant = tq.QuantStub()
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1)
        self.relu1 = nn.ReLU()
        self.conv2 = nn.Conv2d(8, 5, 3, stride=2, padding=1)
        self.dequant = tq.DeQuantStub()

    def forward(self, x):
        x = self.relu1(self.conv1(self.quant(x))).transpose(2, 3)
        x = torch.transpose(self.conv2(x), -1, 1)
        return self.dequant(x.permute(0, 2, 3, 1))


# Each model, its modules to fuse and its last quantized layer (whose scale
# is the result's step).
MODELS = {"rgb": (Rgb, [["conv1", "relu1"]], "conv2"),
          "grouped": (Grouped, [["conv1", "relu1"], ["conv2", "relu2"]],
                      "conv3"),
          "permuted": (Permuted, [["conv1", "relu1"]], "conv2")}


def write(name, out):
    import qopt_torch
    cls, fuse, last = MODELS[name]
    model = cls().eval()
    tq.fuse_modules(model, fuse, inplace=True)
    # Per-tensor min / max observers (qnnpack's weight observer).
    model.qconfig = tq.QConfig(
        activation=tq.MinMaxObserver.with_args(dtype=torch.quint8),
        weight=tq.default_weight_observer)
    tq.prepare(model, inplace=True)
    images = torch.rand(4, 3, 12, 10) * 2 - 1
    with torch.no_grad():
        for _ in range(4):
            model(torch.rand(4, 3, 12, 10) * 2 - 1)
    qopt_torch.export(model, (images,), f"{out}/prepared.mlir")
    converted = tq.convert(model)
    qopt_torch.export(converted, (images,), f"{out}/converted.mlir")
    np.save(f"{out}/images.npy", images.numpy())
    with torch.no_grad():
        np.save(f"{out}/torch.npy", converted(images).numpy())
    scale = getattr(converted, last).scale
    with open(f"{out}/scale", "w") as f:
        f.write(repr(float(scale)))
    print(f"result shape {list(converted(images).shape)}")


def check(out, got_path):
    expected = np.load(f"{out}/torch.npy").astype(np.float64)
    got = np.load(got_path).astype(np.float64)
    scale = float(open(f"{out}/scale").read())
    if got.shape != expected.shape:
        print(f"shape {list(got.shape)} but PyTorch's is "
              f"{list(expected.shape)}")
        sys.exit(1)
    steps = np.rint((got - expected) / scale).astype(np.int64)
    print(f"storage values differing from PyTorch qnnpack: "
          f"{int((steps != 0).sum())} of {steps.size}")


if sys.argv[1] == "write":
    write(sys.argv[2], sys.argv[3])
else:
    check(sys.argv[2], sys.argv[3])
