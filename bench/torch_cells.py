#!/usr/bin/python3
#===- torch_cells.py - PyTorch's quantized ops on the harness data ------===#
#
# Part of the qopt project.
#
#===---------------------------------------------------------------------===#
#
# Usage: torch_cells.py GEN_DIR WORK_DIR THREADS. Runs
# torch.ops.quantized.linear / conv2d (PyTorch 1.13, onednn engine: Debian's
# build has no FBGEMM) on the data the C++ harness wrote, checks the results
# against the harness's reference and appends rows to
# WORK_DIR/results-THREADS.tsv in the harness's format. When gen_kernels.py
# selected the whole-model cell, also times a quantized PyTorch model of the
# bundled model's structure (random weights, so its outputs are not compared)
# on the model input the harness wrote. Needs Debian's /usr/bin/python3
# (python3-torch).
#
#===---------------------------------------------------------------------===#

import json
import statistics
import sys
import time

import numpy as np
import torch


def time_calls(call):
    """Same policy as the harness: warm-up, three calls to size the repeats,
    then the median of repeats of enough calls to take ~0.1 s each."""
    call()
    once = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        call()
        once = min(once, time.perf_counter() - start)
    per_repeat = max(1, int(0.1 / once))
    repeats = 3 if once > 0.5 else 5
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(per_repeat):
            call()
        samples.append((time.perf_counter() - start) / per_repeat)
    return statistics.median(samples), per_repeat * repeats


def prepare(layer, x, w, b, q):
    """The PyTorch call for one layer (NHWC data, as the harness wrote it)."""
    s1, z1, s3, z3 = q
    h, wd, c, o = layer["h"], layer["w"], layer["c"], layer["o"]
    kh, kw, pad, stride = layer["kh"], layer["kw"], layer["pad"], \
        layer["stride"]
    s2 = torch.tensor(layer["weight_scales"], dtype=torch.double)
    # PyTorch takes a float bias and quantizes it with S1 * S2[c] itself:
    # b * S1 * S2[c] gives back the integer bias.
    bias = (torch.from_numpy(b.astype(np.float64)) * s1 * s2).float()
    zeros = torch.zeros(o, dtype=torch.long)
    if layer["kind"] == "fc":
        qx = torch._make_per_tensor_quantized_tensor(
            torch.from_numpy(x.reshape(h, c)), s1, z1)
        qw = torch._make_per_channel_quantized_tensor(
            torch.from_numpy(w.reshape(o, c)), s2, zeros, 0)
        packed = torch.ops.quantized.linear_prepack(qw, bias)
        return lambda: torch.ops.quantized.linear(qx, packed, s3, z3)
    # NCHW logically, NHWC (channels_last) in memory, as the other peers.
    nchw = np.ascontiguousarray(x.reshape(1, h, wd, c).transpose(0, 3, 1, 2))
    qx = torch._make_per_tensor_quantized_tensor(
        torch.from_numpy(nchw), s1, z1).contiguous(
            memory_format=torch.channels_last)
    if layer["kind"] == "conv":  # OHWI -> OIHW
        oihw, groups = w.reshape(o, kh, kw, c).transpose(0, 3, 1, 2), 1
    else:  # 1HWO -> O1HW
        oihw, groups = w.reshape(1, kh, kw, o).transpose(3, 0, 1, 2), c
    qw = torch._make_per_channel_quantized_tensor(
        torch.from_numpy(np.ascontiguousarray(oihw)), s2, zeros, 0)
    packed = torch.ops.quantized.conv2d_prepack(
        qw, bias, [stride, stride], [pad, pad], [1, 1], groups)
    return lambda: torch.ops.quantized.conv2d(qx, packed, s3, z3)


class TinyCnn(torch.nn.Module):
    """examples/tiny_cnn/model.mlir's structure (its batch norms already
    folded): conv 3x3 3->8 + ReLU6, depthwise 3x3 stride 2 + ReLU,
    pointwise conv 8->8, residual add, global average pooling, FC 8->4."""

    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, 8, 3, padding=1)
        self.relu6 = torch.nn.ReLU6()
        self.dw = torch.nn.Conv2d(8, 8, 3, stride=2, padding=1, groups=8)
        self.relu = torch.nn.ReLU()
        self.pw = torch.nn.Conv2d(8, 8, 1)
        self.pool = torch.nn.AdaptiveAvgPool2d(1)
        self.fc = torch.nn.Linear(8, 4)

    def forward(self, x):
        a1 = self.relu6(self.conv(x))
        a2 = self.relu(self.dw(a1))
        s = self.pw(a2) + a2
        return self.fc(torch.flatten(self.pool(s), 1))


def float_model(function):
    """The float nn.Module of a whole-model cell: TinyCnn for the bundled
    model, torchvision's MobileNetV2 and ResNet-18 for the networks (random
    weights: examples/networks builds the same structures), the imported
    networks (<network>_torch) included: PyTorch's time for the same
    structure and shapes."""
    import torchvision
    torch.manual_seed(0)
    build = {"tiny_cnn": TinyCnn, "mobilenet_v2": torchvision.models.mobilenet_v2,
             "resnet18": torchvision.models.resnet18}[
                 function.removesuffix("_torch")]
    return build().eval()


def prepare_model(function, engine, x):
    """The model quantized by FX graph mode for `engine` (onednn: u8
    activations, per-channel s8 weights; qnnpack: per-tensor weights),
    calibrated on the input and on random images: a float image in, float
    logits out, the quantization and dequantization at the ends inside the
    call."""
    from torch.ao.quantization import get_default_qconfig_mapping
    from torch.ao.quantization.quantize_fx import convert_fx, prepare_fx
    torch.backends.quantized.engine = engine
    prepared = prepare_fx(float_model(function),
                          get_default_qconfig_mapping(engine),
                          example_inputs=(x,))
    with torch.no_grad():
        prepared(x)
        for _ in range(4):
            prepared(torch.rand_like(x) * 2 - 1)
    quantized = convert_fx(prepared)
    return lambda: quantized(x)


# The PyTorch peers of the whole models: its quantized engines.
ENGINES = [("PyTorch", "onednn"), ("PyTorch qnnpack", "qnnpack")]


def model_rows(work, model):
    """The PyTorch cells of a whole model on WORK/<function>.x.bin (NHWC
    float32): rows in the harness's format, with -1 for "not compared"."""
    shape = model["input_shape"]  # NHWC
    nhwc = np.fromfile(f"{work}/{model['function']}.x.bin",
                       np.float32).reshape(shape)
    x = torch.from_numpy(np.ascontiguousarray(nhwc.transpose(0, 3, 1, 2)))
    x = x.contiguous(memory_format=torch.channels_last)
    rows = []
    for peer, engine in ENGINES:
        name = model["name"]
        try:
            call = prepare_model(model["function"], engine, x)
            with torch.no_grad():
                call()
                seconds, calls = time_calls(call)
        except Exception as error:  # The cell says why instead of a number.
            print(f"{name:34} {peer} not run: {error}", flush=True)
            rows.append(f"{name}\t{peer}\tnan\t0\t-1\t-1\t-1\t"
                        f"n/a: {type(error).__name__}\n")
            continue
        ops = model["ops"]
        print(f"{name:34} {peer} {seconds * 1e3:10.3f} ms "
              f"{ops / seconds / 1e9:8.2f} GOP/s  calls {calls:<6} "
              f"not compared (random weights)", flush=True)
        rows.append(f"{name}\t{peer}\t{seconds:.6e}\t{ops:.0f}\t{calls}\t"
                    f"-1\t-1\tFX convert_fx, {engine} engine, random "
                    f"weights\n")
    return rows


def main():
    gen, work, threads = sys.argv[1], sys.argv[2], int(sys.argv[3])
    torch.backends.quantized.engine = "onednn"
    torch.set_num_threads(threads)
    params = json.load(open(f"{gen}/params.json"))
    q = (params["input_scale"], params["input_zp"], params["output_scale"],
         params["output_zp"])
    rows = []
    for index, layer in enumerate(params["layers"]):
        base = f"{work}/layer{index}"
        x = np.fromfile(f"{base}.x.bin", np.uint8)
        w = np.fromfile(f"{base}.w.bin", np.int8)
        b = np.fromfile(f"{base}.b.bin", np.int32)
        ref = np.fromfile(f"{base}.ref.bin", np.uint8)
        call = prepare(layer, x, w, b, q)
        got = call().int_repr()
        if got.dim() == 4:  # NCHW view back to NHWC
            got = got.permute(0, 2, 3, 1)
        delta = np.abs(got.contiguous().numpy().reshape(-1).astype(np.int32)
                       - ref.astype(np.int32))
        seconds, calls = time_calls(call)
        oh = (layer["h"] + 2 * layer["pad"] - layer["kh"]) // \
            layer["stride"] + 1
        ow = (layer["w"] + 2 * layer["pad"] - layer["kw"]) // \
            layer["stride"] + 1
        depth = layer["kh"] * layer["kw"] * (
            1 if layer["kind"] == "dw" else layer["c"])
        ops = 2.0 * oh * ow * layer["o"] * depth
        mismatches, max_abs = int((delta != 0).sum()), int(delta.max())
        note = "quantized.linear" if layer["kind"] == "fc" else \
            "quantized.conv2d"
        rows.append(f"{layer['name']}\tPyTorch\t{seconds:.6e}\t{ops:.0f}\t"
                    f"{calls}\t{mismatches}\t{max_abs}\t{note}\n")
        print(f"{layer['name']:34} PyTorch   {seconds * 1e3:10.3f} ms "
              f"{ops / seconds / 1e9:8.2f} GOP/s  calls {calls:<6} "
              f"mismatches {mismatches} (max {max_abs})", flush=True)
    for model in params["models"]:
        rows += model_rows(work, model)
    with open(f"{work}/results-{threads}.tsv", "a") as tsv:
        tsv.writelines(rows)


if __name__ == "__main__":
    main()
