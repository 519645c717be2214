# Requantization against PyTorch 1.13's qnnpack engine on a convolution
# whose multiplier is a power of two (M = 0.5 * 0.25 / 0.5 = 2^-2), so that
# a quarter of the outputs are exact ties.
#   requantize.py write OUT.mlir IN.npy   the convolution at the quantized
#                                         level, PyTorch's int8 weights and
#                                         int32 bias, and its input
#   requantize.py check OUT.npy           qopt's storage values vs PyTorch's
import sys

import numpy as np
import torch

torch.backends.quantized.engine = "qnnpack"
torch.manual_seed(0)
N, C, O, H = 2, 64, 16, 6
S_IN, Z_IN, S_W, S_OUT, Z_OUT = 0.5, 37, 0.25, 0.5, 128
x = (Z_IN + torch.randint(-3, 4, (N, C, H, H))).to(torch.uint8)
w = torch.randint(-2, 3, (O, C, 3, 3)).to(torch.int8)
bias = torch.randn(O) * 5


def reference():
    conv = torch.nn.quantized.Conv2d(C, O, 3)
    conv.set_weight_bias(torch._make_per_tensor_quantized_tensor(w, S_W, 0),
                         bias)
    conv.scale, conv.zero_point = S_OUT, Z_OUT
    qx = torch._make_per_tensor_quantized_tensor(x, S_IN, Z_IN)
    return conv(qx).int_repr().permute(0, 2, 3, 1).numpy().astype(np.int64)


if sys.argv[1] == "write":
    qin = f"!quant.uniform<u8:f32, {S_IN}:{Z_IN}>"
    qw = f"!quant.uniform<i8:f32, {S_W}>"
    qb = f"!quant.uniform<i32:f32, {S_IN * S_W}>"
    qout = f"!quant.uniform<u8:f32, {S_OUT}:{Z_OUT}>"
    qbias = torch.quantize_per_tensor(bias, S_IN * S_W, 0, torch.qint32)
    weights = w.permute(0, 2, 3, 1).numpy()
    wtext = np.ascontiguousarray(weights).tobytes().hex().upper()
    btext = qbias.int_repr().numpy().astype("<i4").tobytes().hex().upper()
    # Float input and output (exact: the inputs are multiples of S_IN from
    # the zero point, the outputs multiples of S_OUT).
    open(sys.argv[2], "w").write(f"""func.func @f(%in: tensor<{N}x{H}x{H}x{C}xf32>) -> tensor<{N}x{H-2}x{H-2}x{O}xf32> {{
  %x = qnn.quantize %in : (tensor<{N}x{H}x{H}x{C}xf32>) -> tensor<{N}x{H}x{H}x{C}x{qin}>
  %w = qnn.const dense<"0x{wtext}"> : tensor<{O}x3x3x{C}xi8> -> tensor<{O}x3x3x{C}x{qw}>
  %b = qnn.const dense<"0x{btext}"> : tensor<{O}xi32> -> tensor<{O}x{qb}>
  %y = qnn.conv2d %x, %w, %b : (tensor<{N}x{H}x{H}x{C}x{qin}>, tensor<{O}x3x3x{C}x{qw}>, tensor<{O}x{qb}>) -> tensor<{N}x{H-2}x{H-2}x{O}x{qout}>
  %out = qnn.dequantize %y : (tensor<{N}x{H-2}x{H-2}x{O}x{qout}>) -> tensor<{N}x{H-2}x{H-2}x{O}xf32>
  return %out : tensor<{N}x{H-2}x{H-2}x{O}xf32>
}}
""")
    real = (x.permute(0, 2, 3, 1).numpy().astype(np.float32) - Z_IN) * S_IN
    np.save(sys.argv[3], real.astype(np.float32))
    sys.exit(0)

expected = reference()
got = np.rint(np.load(sys.argv[2]) / S_OUT).astype(np.int64) + Z_OUT
print(f"storage values differing from PyTorch qnnpack: "
      f"{int((got != expected).sum())} of {expected.size}")
