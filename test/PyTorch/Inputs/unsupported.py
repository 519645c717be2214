# qopt_torch's errors for what it cannot express: one model per kind, each
# error printed (naming the module or function and where it is), and no file
# written.
import os
import sys
import warnings

import torch
import torch.nn as nn
import torch.ao.quantization as tq

import qopt_torch

warnings.simplefilter("ignore")


class Wrap(nn.Module):
    def __init__(self, body):
        super().__init__()
        self.quant, self.body, self.dequant = tq.QuantStub(), body, \
            tq.DeQuantStub()

    def forward(self, x):
        return self.dequant(self.body(self.quant(x)))


class Sigmoid(nn.Module):
    def forward(self, x):
        return torch.sigmoid(x)


class Flip(nn.Module):
    def forward(self, x):
        return x.flip(3)


cases = {
    "module": nn.Sequential(nn.Conv2d(1, 4, 3), nn.GELU()),
    "function": nn.Sequential(nn.Conv2d(1, 4, 3), Sigmoid()),
    "method": nn.Sequential(nn.Conv2d(1, 4, 3), Flip()),
    "adaptive-pool": nn.Sequential(nn.Conv2d(1, 4, 3),
                                   nn.AdaptiveAvgPool2d(2)),
    "ceil-mode": nn.Sequential(nn.Conv2d(1, 4, 3),
                               nn.MaxPool2d(2, ceil_mode=True)),
}
path = sys.argv[1]
for name, body in cases.items():
    model = Wrap(body)
    model.qconfig = tq.get_default_qconfig("qnnpack")
    tq.prepare(model, inplace=True)
    model(torch.rand(2, 1, 9, 9))
    try:
        qopt_torch.export(model, (torch.rand(2, 1, 9, 9),), path)
        print(f"{name}: exported")
    except qopt_torch.ExportError as error:
        print(f"{name}: {str(error).splitlines()[0]}")
    print(f"{name}: file written: {os.path.exists(path)}")
