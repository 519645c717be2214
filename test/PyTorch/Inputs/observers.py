# Observer ranges against PyTorch 1.13's own observers and quantizers.
#   observers.py write SCHEME OUT.mlir
#                                  a conv (fbgemm's per-channel weight
#                                  observer, reduce_range activations) and a
#                                  linear (qnnpack's per-tensor weights) at
#                                  the float level, ranges from the observers,
#                                  module attribute qnn.scheme = SCHEME
#   observers.py check PARAMS.json qopt-translate --qopt-export-json of the
#                                  quantized function vs PyTorch's numbers
import json
import warnings
import sys

import numpy as np
import torch
from torch.ao.quantization.observer import (
    MovingAverageMinMaxObserver, MovingAveragePerChannelMinMaxObserver)

from qnn_text import dense

torch.manual_seed(0)
# reduce_range is what the fbgemm qconfig uses, deprecated or not.
warnings.simplefilter("ignore", UserWarning)


def observe(observer, *tensors):
    for t in tensors:
        observer(t)
    return observer


# Activations: quint8, reduce_range for fbgemm.
x = torch.randn(1, 4, 6, 6) * 2
act_in = observe(MovingAverageMinMaxObserver(reduce_range=True), x)
conv_w = torch.randn(8, 4, 3, 3) * 0.2
conv_b = torch.randn(8) * 0.1
# The weight observer saw earlier weights too: its range is not the final
# weights' range.
w_obs = observe(MovingAveragePerChannelMinMaxObserver(
    dtype=torch.qint8, qscheme=torch.per_channel_symmetric),
    conv_w * 1.3, conv_w)
y = torch.nn.functional.conv2d(x, conv_w, conv_b)
act_conv = observe(MovingAverageMinMaxObserver(reduce_range=True), y)
fc_w = torch.randn(5, 8 * 16) * 0.1
fc_b = torch.randn(5) * 0.1
fc_obs = observe(MovingAverageMinMaxObserver(
    dtype=torch.qint8, qscheme=torch.per_tensor_symmetric), fc_w * 0.8, fc_w)
z = torch.nn.functional.linear(y.flatten(1), fc_w, fc_b)
act_fc = observe(MovingAverageMinMaxObserver(), z)


def marker(obs, extra=""):
    return (f"min = {float(obs.min_val):.9e} : f64, "
            f"max = {float(obs.max_val):.9e} : f64{extra}")


def mlir(scheme):
    ohwi = conv_w.permute(0, 2, 3, 1).numpy()
    mins = ", ".join(f"{v:.9e}" for v in w_obs.min_val.tolist())
    maxs = ", ".join(f"{v:.9e}" for v in w_obs.max_val.tolist())
    wmin, wmax = float(w_obs.min_val.min()), float(w_obs.max_val.max())
    # The flatten of NCHW before the linear, in NHWC: the weights' columns
    # permuted accordingly.
    fc_nhwc = fc_w.reshape(5, 8, 4, 4).permute(0, 2, 3, 1).reshape(5, 128)
    return f"""module attributes {{qnn.scheme = "{scheme}"}} {{
func.func @f(%arg: tensor<1x6x6x4xf32>) -> tensor<1x5xf32> {{
  %w = arith.constant {dense(ohwi)}
  %b = arith.constant {dense(conv_b.numpy())}
  %fw = arith.constant {dense(fc_nhwc.numpy())}
  %fb = arith.constant {dense(fc_b.numpy())}
  %x = qnn.range %arg {{{marker(act_in, ", reduce_range = true")}}} : tensor<1x6x6x4xf32>
  %wr = qnn.range %w {{min = {wmin:.9e} : f64, max = {wmax:.9e} : f64, symmetric = true, axis = 0 : i64, channel_min = array<f64: {mins}>, channel_max = array<f64: {maxs}>}} : tensor<8x3x3x4xf32>
  %c = qnn.conv2d %x, %wr, %b : (tensor<1x6x6x4xf32>, tensor<8x3x3x4xf32>, tensor<8xf32>) -> tensor<1x4x4x8xf32>
  %cr = qnn.range %c {{{marker(act_conv, ", reduce_range = true")}}} : tensor<1x4x4x8xf32>
  %r = qnn.reshape %cr : (tensor<1x4x4x8xf32>) -> tensor<1x128xf32>
  %fwr = qnn.range %fw {{{marker(fc_obs, ", symmetric = true")}}} : tensor<5x128xf32>
  %l = qnn.fully_connected %r, %fwr, %fb : (tensor<1x128xf32>, tensor<5x128xf32>, tensor<5xf32>) -> tensor<1x5xf32>
  %lr = qnn.range %l {{{marker(act_fc)}}} : tensor<1x5xf32>
  return %lr : tensor<1x5xf32>
}}
}}
"""


def count(name, got, expected):
    got, expected = np.asarray(got), np.asarray(expected)
    print(f"{name}: {int((got == expected).sum())} of {expected.size} equal")


if sys.argv[1] == "write":
    open(sys.argv[3], "w").write(mlir(sys.argv[2]))
    sys.exit(0)

layers = {l["kind"]: l for l in json.load(open(sys.argv[2]))["functions"][0]["layers"]}
conv, fc = layers["conv2d"], layers["fully_connected"]
s_in, z_in = act_in.calculate_qparams()
count("input scale, zero point", [conv["inputs"][0]["scale"],
                                  conv["inputs"][0]["zero_point"]],
      [float(s_in), int(z_in)])
s_w, z_w = w_obs.calculate_qparams()
count("conv weight scales", conv["weights"]["scales"], s_w.numpy())
qw = torch.quantize_per_channel(conv_w, s_w, z_w, 0, torch.qint8)
count("conv int8 weights", conv["weights"]["values"],
      qw.int_repr().permute(0, 2, 3, 1).flatten().numpy())
qb = torch.quantize_per_channel(conv_b, s_w * float(s_in),
                                torch.zeros(8, dtype=torch.long), 0,
                                torch.qint32)
count("conv int32 bias", conv["bias"], qb.int_repr().numpy())
s_c, z_c = act_conv.calculate_qparams()
count("conv output scale, zero point (reduce_range)",
      [conv["output"]["scale"], conv["output"]["zero_point"],
       conv["output"]["storage_max"]], [float(s_c), int(z_c), 255])
s_f, z_f = fc_obs.calculate_qparams()
count("linear weight scale (per tensor)", [fc["weights"]["scale"]],
      [float(s_f)])
fc_nhwc = fc_w.reshape(5, 8, 4, 4).permute(0, 2, 3, 1).reshape(5, 128)
qf = torch.quantize_per_tensor(fc_nhwc, float(s_f), 0, torch.qint8)
count("linear int8 weights", fc["weights"]["values"],
      qf.int_repr().flatten().numpy())
qfb = torch.quantize_per_tensor(fc_b, float(s_f) * float(s_c), 0, torch.qint32)
count("linear int32 bias", fc["bias"], qfb.int_repr().numpy())
