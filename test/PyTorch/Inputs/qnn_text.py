# Helpers of the PyTorch tests: float tensors as MLIR dense attributes that
# round-trip bit for bit (hex), and the float constants qopt prints read back.
import re

import numpy as np


def dense(array):
    """An f32 tensor attribute holding exactly `array`'s float32 values."""
    array = np.ascontiguousarray(array, dtype="<f4")
    shape = "x".join(str(d) for d in array.shape)
    return f'dense<"0x{array.tobytes().hex().upper()}"> : tensor<{shape}xf32>'


def read_constants(path):
    """The f32 arith.constant values of a file qopt printed, in order: large
    ones in hex, the others with the 9 significant digits that round-trip a
    float32."""
    values = []
    for body, shape in re.findall(
            r"arith.constant dense<([^>]*)> : tensor<([0-9x]+)xf32>",
            open(path).read()):
        dims = [int(d) for d in shape.split("x")]
        if body.startswith('"0x'):  # large constants are printed in hex
            array = np.frombuffer(bytes.fromhex(body[3:-1]), "<f4")
        else:
            numbers = re.findall(r"[-+0-9.eE]+", body)
            array = np.array([np.float32(n) for n in numbers], "<f4")
        values.append(array.reshape(dims))
    return values
