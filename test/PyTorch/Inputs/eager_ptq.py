# An eager-mode post-training quantized model (torch.ao.quantization.prepare
# after fuse_modules, calibrated) against PyTorch 1.13.
#   eager_ptq.py write OUT_DIR   exports the calibrated model (the float level)
#                                and the converted one (the quantized level,
#                                qnnpack engine), with the input and PyTorch's
#                                float and qnnpack outputs
#   eager_ptq.py check OUT_DIR   compares qopt-run's outputs with PyTorch's
import copy
import os
import sys
import warnings

import numpy as np
import torch
import torch.ao.quantization as tq
from torch import nn

import qopt_torch

warnings.simplefilter("ignore")
torch.backends.quantized.engine = "qnnpack"


class Net(nn.Module):
    """conv+bn+relu and linear+relu fuse into ConvReLU2d and LinearReLU,
    whose prepared form holds its observer as a third child."""

    def __init__(self):
        super().__init__()
        self.quant = tq.QuantStub()
        self.conv = nn.Conv2d(3, 8, 3, padding=1)
        self.bn = nn.BatchNorm2d(8)
        self.relu = nn.ReLU()
        self.fc = nn.Linear(8 * 6 * 6, 16)
        self.fc_relu = nn.ReLU()
        self.out = nn.Linear(16, 4)
        self.dequant = tq.DeQuantStub()

    def forward(self, x):
        x = self.relu(self.bn(self.conv(self.quant(x))))
        x = self.fc_relu(self.fc(torch.flatten(x, 1)))
        return self.dequant(self.out(x))


out = sys.argv[2]
if sys.argv[1] == "write":
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(0)
    model = Net().eval()
    with torch.no_grad():
        model.bn.running_mean.normal_(0.0, 0.1)
        model.bn.running_var.uniform_(0.5, 1.5)
    model = tq.fuse_modules(model, [["conv", "bn", "relu"], ["fc", "fc_relu"]])
    model.qconfig = tq.get_default_qconfig("qnnpack")
    tq.prepare(model, inplace=True)
    with torch.no_grad():
        for _ in range(8):
            model(torch.randn(4, 3, 6, 6))
    x = torch.randn(4, 3, 6, 6)
    np.save(f"{out}/input.npy", x.permute(0, 2, 3, 1).contiguous().numpy())
    qopt_torch.export(model, (x,), f"{out}/prepared.mlir", layout="nhwc")
    converted = tq.convert(copy.deepcopy(model))
    qopt_torch.export(converted, (x,), f"{out}/converted.mlir", layout="nhwc")
    with torch.no_grad():
        np.save(f"{out}/float.npy", model(x).numpy())
        np.save(f"{out}/qnnpack.npy", converted(x).numpy())
    sys.exit(0)

expected = np.load(f"{out}/float.npy")
got = np.load(f"{out}/prepared.float.npy")
print(f"float level: largest difference from PyTorch "
      f"{'below' if np.abs(got - expected).max() < 1e-5 else 'above'} 1e-5 "
      f"(outputs up to {np.abs(expected).max():.1f})")
expected = np.load(f"{out}/qnnpack.npy")
for level in ("prepared.integer", "converted"):
    got = np.load(f"{out}/{level}.npy")
    print(f"{level}: {int((got != expected).sum())} of {expected.size} "
          "outputs differ from PyTorch qnnpack")
