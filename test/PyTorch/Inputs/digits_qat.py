# A small CNN QAT-trained on scikit-learn's load_digits, exported with
# qopt_torch and compared with PyTorch 1.13's converted model.
#   digits_qat.py train QCONFIG DIR [fx]
#                                     train (fbgemm or qnnpack qconfig; eager
#                                     mode, or FX with `fx`), write
#                                     DIR/prepared.mlir, DIR/converted.mlir,
#                                     DIR/images.npy (NCHW float32) and
#                                     DIR/torch.npz (qnnpack engine's logits
#                                     in storage units, labels)
#   digits_qat.py params A.json B.json  the layers' integers of two
#                                     qopt-translate exports: how many differ
#   digits_qat.py logits DIR OUT.npy  qopt's logits vs PyTorch's
import json
import sys
import warnings

import numpy as np
import torch
import torch.nn as nn
import torch.ao.quantization as tq
from sklearn.datasets import load_digits

warnings.simplefilter("ignore")
torch.manual_seed(0)
torch.set_num_threads(1)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.quant = tq.QuantStub()
        self.conv1 = nn.Conv2d(1, 8, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(8)
        self.relu1 = nn.ReLU()
        self.conv2 = nn.Conv2d(8, 8, 3, padding=1)
        self.bn2 = nn.BatchNorm2d(8)
        self.skip = nn.quantized.FloatFunctional()
        self.pool = nn.AvgPool2d(2)
        self.conv3 = nn.Conv2d(8, 16, 3, padding=1)
        self.bn3 = nn.BatchNorm2d(16)
        self.relu3 = nn.ReLU()
        self.gap = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(16, 10)
        self.dequant = tq.DeQuantStub()

    def forward(self, x):
        x = self.relu1(self.bn1(self.conv1(self.quant(x))))
        x = self.skip.add_relu(self.bn2(self.conv2(x)), x)
        x = self.relu3(self.bn3(self.conv3(self.pool(x))))
        x = torch.flatten(self.gap(x), 1)
        return self.dequant(self.fc(x))


def data():
    digits = load_digits()
    images = (digits.images / 16.0).astype(np.float32)[:, None]
    return torch.from_numpy(images), torch.from_numpy(digits.target)


def train(qconfig, out, mode):
    sys.path.insert(0, __import__("os").environ.get("PYTHONPATH", "python"))
    import qopt_torch
    from torch.ao.quantization.quantize_fx import convert_fx, prepare_qat_fx
    images, labels = data()
    train_x, train_y = images[:1400], labels[:1400]
    test_x, test_y = images[1400:], labels[1400:]
    model = Net().train()
    if mode == "fx":
        model = prepare_qat_fx(model, tq.get_default_qat_qconfig_mapping(
            qconfig), (train_x[:2],))
    else:
        tq.fuse_modules_qat(model, [["conv1", "bn1", "relu1"],
                                    ["conv2", "bn2"],
                                    ["conv3", "bn3", "relu3"]], inplace=True)
        model.qconfig = tq.get_default_qat_qconfig(qconfig)
        tq.prepare_qat(model, inplace=True)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    for epoch in range(8):
        for i in range(0, 1400, 50):
            optimizer.zero_grad()
            loss = nn.functional.cross_entropy(model(train_x[i:i + 50]),
                                               train_y[i:i + 50])
            loss.backward()
            optimizer.step()
        if epoch == 5:
            model.apply(tq.disable_observer)
            model.apply(nn.intrinsic.qat.freeze_bn_stats)
    model.eval()
    qopt_torch.export(model, (test_x,), f"{out}/prepared.mlir")
    # Weights are packed for the engine selected at conversion.
    torch.backends.quantized.engine = "qnnpack"
    converted = convert_fx(model) if mode == "fx" else tq.convert(model)
    qopt_torch.export(converted, (test_x,), f"{out}/converted.mlir")
    # The logits in storage units of the last layer's output.
    fc = converted.fc
    logits = converted(test_x).numpy()
    storage = np.rint(logits / fc.scale).astype(np.int64) + fc.zero_point
    print(f"{mode} {qconfig}: test accuracy "
          f"{(logits.argmax(1) == test_y.numpy()).mean():.3f}")
    np.save(f"{out}/images.npy", test_x.numpy())
    np.savez(f"{out}/torch.npz", storage=storage, labels=test_y.numpy(),
             scale=fc.scale, zero_point=fc.zero_point)


def layer_integers(path):
    layers = json.load(open(path))["functions"][0]["layers"]
    keys = ("scale", "zero_point", "scales", "zero_points", "values",
            "bias", "multiplier", "shift", "input_zp", "output_zp",
            "clamp_min", "clamp_max", "lhs_multiplier", "rhs_multiplier",
            "output_multiplier", "lhs_shift", "rhs_shift", "output_shift")
    found = []
    for layer in layers:
        def walk(obj, prefix):
            if isinstance(obj, dict):
                for k, v in obj.items():
                    if k in keys and not isinstance(v, dict):
                        found.append((layer["kind"], prefix + k, v))
                    else:
                        walk(v, prefix + k + ".")
            elif isinstance(obj, list):
                for item in obj:
                    walk(item, prefix)
        walk(layer, "")
    return found


def params(a, b):
    left, right = layer_integers(a), layer_integers(b)
    numbers = sum(np.size(v) for _, _, v in left)
    differing = sum(int(np.sum(np.asarray(x[2]) != np.asarray(y[2])))
                    if np.size(x[2]) == np.size(y[2]) else np.size(x[2])
                    for x, y in zip(left, right))
    print(f"layers: {len(json.load(open(a))['functions'][0]['layers'])}, "
          f"numbers compared: {numbers}, differing: {differing}, "
          f"entries {len(left)} vs {len(right)}")


def logits(out, path):
    expected = np.load(f"{out}/torch.npz")
    got = np.load(path)
    storage = np.rint(got / expected["scale"]).astype(np.int64) + \
        expected["zero_point"]
    diff = np.abs(storage - expected["storage"])
    labels = expected["labels"]
    ours = (storage.argmax(1) == labels).mean()
    theirs = (expected["storage"].argmax(1) == labels).mean()
    print(f"logits: {storage.size}, differing: {int((diff != 0).sum())}, "
          f"max difference: {int(diff.max())}, labels differing: "
          f"{int((storage.argmax(1) != expected['storage'].argmax(1)).sum())}, "
          f"accuracy equal: {ours == theirs}")


if __name__ == "__main__":
    {"train": lambda: train(sys.argv[2], sys.argv[3],
                            sys.argv[4] if len(sys.argv) > 4 else "eager"),
     "params": lambda: params(sys.argv[2], sys.argv[3]),
     "logits": lambda: logits(sys.argv[2], sys.argv[3])}[sys.argv[1]]()
