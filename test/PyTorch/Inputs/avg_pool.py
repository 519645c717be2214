# Average pooling and input quantization against PyTorch 1.13's qnnpack
# engine.
#   avg_pool.py write OUT.mlir IN.npy  a quantize, 2x2 average pool and
#                                      dequantize at the quantized level, and
#                                      an input full of exact ties
#   avg_pool.py check OUT.npy          qopt's result vs PyTorch's: how many of
#                                      the storage values differ
import sys

import numpy as np
import torch

torch.backends.quantized.engine = "qnnpack"
torch.manual_seed(0)
S, Z = 0.05, 3
# Multiples of S / 2: every input is a tie of the quantizer (PyTorch rounds
# it half to even, TFLite away from zero), and 2x2 averages are ties often.
x = (torch.randint(-60, 400, (1, 8, 12, 12)).float() * (S / 2)).float()

if sys.argv[1] == "write":
    q = f"!quant.uniform<u8:f32, {S!r}:{Z}>"
    open(sys.argv[2], "w").write(f"""!q = {q}
func.func @f(%x: tensor<1x12x12x8xf32>) -> tensor<1x6x6x8xf32> {{
  %q = qnn.quantize %x : (tensor<1x12x12x8xf32>) -> tensor<1x12x12x8x!q>
  %p = qnn.avg_pool2d %q {{kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>}} : (tensor<1x12x12x8x!q>) -> tensor<1x6x6x8x!q>
  %d = qnn.dequantize %p : (tensor<1x6x6x8x!q>) -> tensor<1x6x6x8xf32>
  return %d : tensor<1x6x6x8xf32>
}}
""")
    np.save(sys.argv[3], x.permute(0, 2, 3, 1).numpy())
    sys.exit(0)

qx = torch.quantize_per_tensor(x, S, Z, torch.quint8)
expected = torch.nn.functional.avg_pool2d(qx, 2).int_repr()
expected = expected.permute(0, 2, 3, 1).numpy().astype(np.int64)
got = np.rint(np.load(sys.argv[2]).astype(np.float64) / S).astype(np.int64) + Z
print(f"storage values differing from PyTorch qnnpack: "
      f"{int((got != expected).sum())} of {expected.size}")
