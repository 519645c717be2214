#!/usr/bin/env python3
"""compare.py OUT_DIR NAME: qopt's results for NAME (interpreter, compiled
with 1 and 2 threads) against each other and PyTorch's engines, in units of
the logits' quantization step."""
import os
import re
import sys

import numpy as np

out, name = sys.argv[1], sys.argv[2]
path = os.path.join(out, name)
text = open(f"{path}.mlir").read()
# The last dequantize's scale: the logits' step.
scale = float(re.findall(r"qnn.dequantize %\w+ : \(tensor<[0-9x]+x!quant."
                         r"uniform<u8:f32, ([^:]+):", text)[-1])
interpreter = np.load(f"{path}.interpreter.npy")
for run in ("host1", "host2"):
    compiled = np.load(f"{path}.{run}.npy")
    print(f"{name}: interpreter vs compiled ({run}): "
          f"{int((compiled != interpreter).sum())} of {interpreter.size} "
          "differ")
for engine in ("qnnpack", "onednn"):
    if not os.path.exists(f"{path}.{engine}.npy"):
        print(f"{name}: PyTorch {engine}: did not run")
        continue
    theirs = np.load(f"{path}.{engine}.npy")
    steps = np.rint(np.abs(theirs - interpreter) / scale).astype(np.int64)
    labels = (theirs.argmax(1) != interpreter.argmax(1)).sum()
    print(f"{name}: vs PyTorch {engine}: {int((steps != 0).sum())} of "
          f"{steps.size} logits differ, by at most {int(steps.max())} "
          f"step(s); top-1 labels differing: {int(labels)} of "
          f"{theirs.shape[0]}")
