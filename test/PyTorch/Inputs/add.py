# The addition of PyTorch 1.13's qnnpack engine against qopt and against a
# reference written from qnnpack's source.
#   add.py write OUT.mlir DIR    qnn.add and qnn.add + relu of every pair of
#                                u8 storage values (inputs DIR/x<n>.npy,
#                                DIR/y<n>.npy, PyTorch's results
#                                DIR/pytorch.npy) for the scales of CASES
#   add.py check DIR PREFIX      qopt's results DIR/PREFIX<i>.npy vs
#                                PyTorch's and the reference's: how many
#                                storage values differ
#   add.py reference             the reference vs PyTorch
import struct
import sys

import numpy as np
# (S_x, Z_x, S_y, Z_y, S_out, Z_out) of the additions: (x + y) / 6 is an
# exact tie in real arithmetic for a sixth of the pairs, which each library
# rounds as its float32 or 31-bit ratios and 22-bit multipliers fall; ratios
# 1/2 and 1/4, with exact ties that both round away from zero; unrelated
# scales.
CASES = [(0.1, 128, 0.1, 3, 0.6, 100),
         (0.25, 128, 0.125, 3, 0.5, 100),
         (0.0123456789, 131, 0.0456789, 7, 0.0321, 64)]
# Every pair of storage values: x[i, j] = i, y[i, j] = j.
Q = np.arange(256, dtype=np.int64)
QX, QY = np.meshgrid(Q, Q, indexing="ij")


def reference(qx, qy, sx, zx, sy, zy, so, zo, relu):
    """pytorch_qnnp_compute_add_quantization_params and
    pytorch_qnnp_add_quantize, transcribed."""
    f32 = np.float32
    a_ratio, b_ratio = f32(f32(sx) / f32(so)), f32(f32(sy) / f32(so))
    bits = struct.unpack("<I", struct.pack("<f", max(a_ratio, b_ratio)))[0]
    shift = 21 - ((bits >> 23) - 127)
    scale = f32(2.0 ** shift)
    a_mul = int(np.rint(f32(a_ratio * scale)))  # lrintf: ties to even
    b_mul = int(np.rint(f32(b_ratio * scale)))
    acc = (qx - zx) * a_mul + (qy - zy) * b_mul
    mask = (1 << shift) - 1
    rem = (acc & mask) - (acc < 0)
    acc = (acc >> shift) + (rem > (mask >> 1))
    # add_relu's lower bound is the output zero point.
    return np.clip(acc + zo, zo if relu else 0, 255)


def pytorch(qx, qy, sx, zx, sy, zy, so, zo, relu):
    import torch
    torch.backends.quantized.engine = "qnnpack"

    def quantized(q, s, z):
        return torch._make_per_tensor_quantized_tensor(
            torch.from_numpy(q.astype(np.uint8)), s, z)
    op = torch.ops.quantized.add_relu if relu else torch.ops.quantized.add
    return op(quantized(qx, sx, zx), quantized(qy, sy, zy), so,
              zo).int_repr().numpy().astype(np.int64)


def results(compute):
    return [compute(QX, QY, *case, relu) for case in CASES
            for relu in (False, True)]


if sys.argv[1] == "write":
    shape = f"tensor<256x256x!quant.uniform<u8:f32, {{}}:{{}}>>"
    real = "tensor<256x256xf32>"
    lines, outs = [], []
    for n, (sx, zx, sy, zy, so, zo) in enumerate(CASES):
        tx, ty, to = (shape.format(repr(s), z)
                      for s, z in ((sx, zx), (sy, zy), (so, zo)))
        lines += [
            f"  %qx{n} = qnn.quantize %x{n} : ({real}) -> {tx}",
            f"  %qy{n} = qnn.quantize %y{n} : ({real}) -> {ty}",
            f"  %s{n} = qnn.add %qx{n}, %qy{n} : ({tx}, {ty}) -> {to}",
            f"  %r{n} = qnn.clamp %s{n} {{min = 0.0 : f64, max = 1.0e30 : f64}}"
            f" : {to}",
        ]
        for v in (f"s{n}", f"r{n}"):
            lines.append(f"  %d{v} = qnn.dequantize %{v} : ({to}) -> {real}")
            outs.append(f"%d{v}")
        # The real values of the storage grid, which the quantizers give
        # back exactly.
        np.save(f"{sys.argv[3]}/x{n}.npy", ((QX - zx) * sx).astype(np.float32))
        np.save(f"{sys.argv[3]}/y{n}.npy", ((QY - zy) * sy).astype(np.float32))
    np.save(f"{sys.argv[3]}/pytorch.npy", np.stack(results(pytorch)))
    args = ", ".join(f"%{v}{n}: {real}" for n in range(len(CASES))
                     for v in "xy")
    types = ", ".join([real] * len(outs))
    open(sys.argv[2], "w").write(
        f"func.func @f({args}) -> ({types}) {{\n" + "\n".join(lines) +
        f"\n  return {', '.join(outs)} : {types}\n}}\n")
    sys.exit(0)

if sys.argv[1] == "reference":
    differ = sum(int((r != p).sum())
                 for r, p in zip(results(reference), results(pytorch)))
    print(f"reference vs PyTorch qnnpack: {differ} of "
          f"{2 * len(CASES) * QX.size} differ")
    sys.exit(0)

# check DIR PREFIX: DIR/PREFIX<i>.npy, qopt's dequantized results in the
# order of results().
ours = []
for i, (case, relu) in enumerate((c, r) for c in CASES for r in (False, True)):
    so, zo = case[4], case[5]
    real = np.load(f"{sys.argv[2]}/{sys.argv[3]}{i}.npy").astype(np.float64)
    ours.append(np.rint(real / so).astype(np.int64) + zo)
pytorch_results = np.load(f"{sys.argv[2]}/pytorch.npy")
for name, theirs in (("PyTorch qnnpack", pytorch_results),
                     ("the reference", results(reference))):
    differ = sum(int((o != t).sum()) for o, t in zip(ours, theirs))
    print(f"storage values differing from {name}: {differ} of "
          f"{2 * len(CASES) * QX.size}")
