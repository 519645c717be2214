# Batch-norm folding against PyTorch's own fuse_conv_bn_weights.
#   fold_batch_norm.py write OUT.mlir     a conv + batch norm at the float level
#   fold_batch_norm.py check FOLDED.mlir  folded constants vs PyTorch's, bit
#                                         for bit: how many differ
import sys

import numpy as np
import torch
from torch.nn.utils.fusion import fuse_conv_bn_weights

from qnn_text import dense, read_constants

torch.manual_seed(0)
O, C, K = 16, 8, 3
w = torch.randn(O, C, K, K) * 0.3
b = torch.randn(O) * 0.1
gamma = torch.rand(O) + 0.5
beta = torch.randn(O) * 0.1
mean = torch.randn(O) * 0.2
var = torch.rand(O) * 2 + 0.01
eps = 1e-5
ohwi = w.permute(0, 2, 3, 1).numpy()

if sys.argv[1] == "write":
    with open(sys.argv[2], "w") as f:
        f.write(f"""func.func @f(%x: tensor<1x6x6x{C}xf32>) -> tensor<1x4x4x{O}xf32> {{
  %w = arith.constant {dense(ohwi)}
  %b = arith.constant {dense(b.numpy())}
  %g = arith.constant {dense(gamma.numpy())}
  %be = arith.constant {dense(beta.numpy())}
  %m = arith.constant {dense(mean.numpy())}
  %v = arith.constant {dense(var.numpy())}
  %c = qnn.conv2d %x, %w, %b : (tensor<1x6x6x{C}xf32>, tensor<{O}x{K}x{K}x{C}xf32>, tensor<{O}xf32>) -> tensor<1x4x4x{O}xf32>
  %n = qnn.batch_norm %c, %g, %be, %m, %v {{epsilon = {eps:.17e} : f64}} : (tensor<1x4x4x{O}xf32>, tensor<{O}xf32>, tensor<{O}xf32>, tensor<{O}xf32>, tensor<{O}xf32>) -> tensor<1x4x4x{O}xf32>
  return %n : tensor<1x4x4x{O}xf32>
}}
""")
else:
    fw, fb = fuse_conv_bn_weights(w, b, mean, var, eps, gamma, beta)
    weights, bias = read_constants(sys.argv[2])
    expected_w = fw.detach().permute(0, 2, 3, 1).numpy()
    expected_b = fb.detach().numpy()
    print(f"weights differing: {int((weights != expected_w).sum())} of "
          f"{weights.size}")
    print(f"biases differing: {int((bias != expected_b).sum())} of "
          f"{bias.size}")
