#!/usr/bin/env python3
#===- gen_requantization.py - tosa.apply_scale cases for the NEON path ----===#
#
# Part of the qopt project.
#
#===-----------------------------------------------------------------------===#
#
# Usage: gen_requantization.py OUTDIR
#
# Writes OUTDIR/requant.mlir, functions @F(%x: tensor<N x i32>) ->
# tensor<N x i32> that apply tosa.apply_scale to vectors of %x, and for each
# F OUTDIR/F/input0.npy and OUTDIR/F/expected.npy, and prints the names F one
# per line, so that requantization-qemu.test
# can run them compiled for AArch64 (--qopt-arm-select-requantization's NEON
# instructions) and for the generic target (tosa-to-arith) and compare both
# with the expected values:
#
#   rows_{double,single}   every requantization row of
#                          test/vectors/fixedpoint/requant_cases.csv but the
#                          85 ovf = 1 ones (outside the precondition);
#                          expected: its `scaled` (gemmlowp's double
#                          rounding) or `scaled_single_rounding` column.
#   sweep_{double,single}  an adversarial sweep: every shift in [-31, 30]
#                          with M0 in {1, 2^30, 2^30 + 1, 1288490189,
#                          2^31 - 1} (and 0), x at and around the ties of
#                          the high multiply, of the rounding shift and of
#                          the result, INT32_MIN / INT32_MAX where x * 2^l
#                          fits, 0, +-1; expected: gemmlowp's and TFLite's
#                          integer definitions, evaluated here (and checked
#                          to be tosa.apply_scale's 64-bit formula).
#
# The rows and the sweep read their per-lane (M0, shift) vectors from
# constant tensors in a loop (the kernels' per-channel parameters: the
# shift split is computed at run time); splat_*_K use splat constants
# (uniform parameters; the first 8 cases of each (M0, shift) of the sweep)
# and lanes_*_K per-lane constant vectors of 1, 2, 3, 4, 6, 8 and 16 lanes,
# 1200 cases of the sweep in random order (shifts of both signs mixed).
# Standard library only.
#
#===-----------------------------------------------------------------------===#

import csv
import os
import random
import struct
import sys

here = os.path.dirname(os.path.abspath(__file__))
vectors = os.path.join(here, "..", "..", "..", "vectors", "fixedpoint")

INT32_MIN, INT32_MAX = -(1 << 31), (1 << 31) - 1


def srdhm(a, b):
    """gemmlowp's SaturatingRoundingDoublingHighMul."""
    if a == INT32_MIN and b == INT32_MIN:
        return INT32_MAX
    ab = a * b
    nudge = (1 << 30) if ab >= 0 else 1 - (1 << 30)
    q = abs(ab + nudge) >> 31  # C++ division truncates toward zero
    return q if ab + nudge >= 0 else -q


def rdbpot(x, exponent):
    """gemmlowp's RoundingDivideByPOT."""
    mask = (1 << exponent) - 1
    remainder = x & mask
    threshold = (mask >> 1) + (1 if x < 0 else 0)
    return (x >> exponent) + (1 if remainder > threshold else 0)


def double_round(x, m0, shift):
    left, right = max(shift, 0), max(-shift, 0)
    return rdbpot(srdhm(x * (1 << left), m0), right)


def single_round(x, m0, shift):
    return (x * m0 + (1 << (30 - shift))) >> (31 - shift)


def tosa_apply_scale(x, m0, n, double):
    """tosa.apply_scale as tosa-to-arith computes it, in 64 bits."""
    rnd = 1 << (n - 1)
    if double and n > 31:
        rnd += (1 << 30) if x >= 0 else -(1 << 30)
    return (x * m0 + rnd) >> n


def in_precondition(x, m0, shift):
    """x * 2^max(shift, 0) fits in int32 (FixedPoint.h)."""
    return m0 == 0 or INT32_MIN <= x * (1 << max(shift, 0)) <= INT32_MAX


def expected(x, m0, shift, double):
    value = (double_round if double else single_round)(x, m0, shift)
    assert value == tosa_apply_scale(x, m0, 31 - shift, double), (x, m0, shift)
    assert INT32_MIN <= value <= INT32_MAX
    return value


def sweep_cases():
    multipliers = [1, 1 << 30, (1 << 30) + 1, 1288490189, INT32_MAX]
    cases = []
    for shift in range(-31, 31):
        left, right = max(shift, 0), max(-shift, 0)
        for m0 in multipliers + ([0] if shift in (-31, -1, 0, 30) else []):
            xs = [INT32_MIN, INT32_MIN + 1, INT32_MAX, INT32_MAX - 1, 0, 1, -1,
                  2, -2, 3, -3]
            if m0:
                scale = m0 * (1 << left)
                # The high multiply's ties: x * M0 * 2^l = (k + 1/2) 2^31.
                # The rounding shift's ties: h = (k + 1/2) 2^r. The result's
                # ties: x * M = k + 1/2. Each for k of both signs, and the
                # x next to them.
                for k in (0, 1, 2, 5, 1000, 123456, 1 << 20):
                    for sign in (1, -1):
                        targets = [
                            (sign * k + 0.5) * (1 << 31),
                            (sign * k * (1 << right) + (1 << right) / 2)
                            * (1 << 31),
                            (sign * k + 0.5) * (1 << (31 + right)),
                        ]
                        for t in targets:
                            base = int(round(t / scale))
                            xs += [base - 1, base, base + 1]
            seen = set()
            for x in xs:
                if (INT32_MIN <= x <= INT32_MAX and x not in seen and
                        in_precondition(x, m0, shift)):
                    seen.add(x)
                    cases.append((x, m0, shift))
    return cases


def row_cases():
    with open(os.path.join(vectors, "requant_cases.csv")) as f:
        rows = [r for r in csv.DictReader(f) if r["ovf"] == "0"]
    cases = []
    for r in rows:
        x, m0, shift = int(r["acc"]), int(r["M0"]), int(r["shift"])
        # The vectors are gemmlowp's and TFLite's own outputs: the model
        # above must agree with them before it checks anything.
        assert double_round(x, m0, shift) == int(r["scaled"]), r
        assert single_round(x, m0, shift) == int(r["scaled_single_rounding"]), r
        cases.append((x, m0, shift, int(r["scaled"]),
                      int(r["scaled_single_rounding"])))
    return cases


def write_npy(path, values):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    header = "{'descr': '<i4', 'fortran_order': False, 'shape': (%d,), }" % (
        len(values))
    header += " " * (63 - (10 + len(header)) % 64) + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)))
        f.write(header.encode())
        f.write(struct.pack("<%di" % len(values), *values))


def dense(values):
    return "dense<[%s]>" % ", ".join(str(v) for v in values)


def dense_rows(values, width):
    """A dense literal of a [len / width, width] tensor."""
    values = list(values)
    return "dense<[%s]>" % ", ".join(
        "[%s]" % ", ".join(str(v) for v in values[i:i + width])
        for i in range(0, len(values), width))


def mode_name(double):
    return "DOUBLE_ROUND" if double else "SINGLE_ROUND"


def loop_function(name, cases, double):
    """Per-lane parameters read from constant tensors, 4 lanes per step."""
    cases = list(cases)
    while len(cases) % 4:
        cases.append((0, 0, 0))  # M0 = 0: 0 in both
    n, chunks = len(cases), len(cases) // 4
    m0s = [c[1] for c in cases]
    shifts = [31 - c[2] for c in cases]
    text = f"""
func.func @{name}(%x: tensor<{n}xi32>) -> tensor<{n}xi32> {{
  %m = arith.constant {dense_rows(m0s, 4)} : tensor<{chunks}x4xi32>
  %n = arith.constant {dense_rows(shifts, 4)} : tensor<{chunks}x4xi8>
  %init = tensor.empty() : tensor<{n}xi32>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %chunks = arith.constant {chunks} : index
  %p32 = arith.constant 0 : i32
  %p8 = arith.constant 0 : i8
  %r = scf.for %i = %c0 to %chunks step %c1 iter_args(%out = %init) -> (tensor<{n}xi32>) {{
    %o = arith.muli %i, %c4 : index
    %xv = vector.transfer_read %x[%o], %p32 {{in_bounds = [true]}} : tensor<{n}xi32>, vector<4xi32>
    %mv = vector.transfer_read %m[%i, %c0], %p32 {{in_bounds = [true]}} : tensor<{chunks}x4xi32>, vector<4xi32>
    %nv = vector.transfer_read %n[%i, %c0], %p8 {{in_bounds = [true]}} : tensor<{chunks}x4xi8>, vector<4xi8>
    %y = tosa.apply_scale %xv, %mv, %nv {{rounding_mode = {mode_name(double)}}} : (vector<4xi32>, vector<4xi32>, vector<4xi8>) -> vector<4xi32>
    %w = vector.transfer_write %y, %out[%o] {{in_bounds = [true]}} : vector<4xi32>, tensor<{n}xi32>
    scf.yield %w : tensor<{n}xi32>
  }}
  return %r : tensor<{n}xi32>
}}
"""
    return text, cases


def unrolled_function(name, groups, double, splat):
    """One tosa.apply_scale per group of cases, on constant vectors."""
    n = sum(len(g) for g in groups)
    lines = [f"func.func @{name}(%x: tensor<{n}xi32>) -> tensor<{n}xi32> {{",
             f"  %t0 = tensor.empty() : tensor<{n}xi32>",
             "  %p32 = arith.constant 0 : i32"]
    offset = 0
    for i, group in enumerate(groups):
        k = len(group)
        vec32, vec8 = f"vector<{k}xi32>", f"vector<{k}xi8>"
        if splat:
            assert len({(c[1], c[2]) for c in group}) == 1
            m0s, shifts = f"dense<{group[0][1]}>", f"dense<{31 - group[0][2]}>"
        else:
            m0s, shifts = dense(c[1] for c in group), dense(31 - c[2]
                                                             for c in group)
        lines += [
            f"  %o{i} = arith.constant {offset} : index",
            f"  %x{i} = vector.transfer_read %x[%o{i}], %p32 {{in_bounds = [true]}} : tensor<{n}xi32>, {vec32}",
            f"  %m{i} = arith.constant {m0s} : {vec32}",
            f"  %n{i} = arith.constant {shifts} : {vec8}",
            f"  %y{i} = tosa.apply_scale %x{i}, %m{i}, %n{i} {{rounding_mode = {mode_name(double)}}} : ({vec32}, {vec32}, {vec8}) -> {vec32}",
            f"  %t{i + 1} = vector.transfer_write %y{i}, %t{i}[%o{i}] {{in_bounds = [true]}} : {vec32}, tensor<{n}xi32>",
        ]
        offset += k
    lines += [f"  return %t{len(groups)} : tensor<{n}xi32>", "}", ""]
    return "\n".join(lines), [c for g in groups for c in g]


def unrolled_functions(name, groups, double, splat):
    """unrolled_function over parts of at most PART groups, named
    name_0, name_1, ...: one-shot bufferization takes time quadratic in the
    length of a chain of vector.transfer_write on one tensor."""
    PART = 128
    functions = []
    for i in range(0, len(groups), PART):
        part = f"{name}_{i // PART}"
        functions.append((part, double, *unrolled_function(
            part, groups[i:i + PART], double, splat)))
    return functions


def main(outdir):
    rows = row_cases()
    sweep = sweep_cases()
    functions = []
    for double in (True, False):
        suffix = "double" if double else "single"
        cases = [(x, m0, s) for x, m0, s, _, _ in rows]
        functions.append((f"rows_{suffix}", double,
                          *loop_function(f"rows_{suffix}", cases, double)))
        functions.append((f"sweep_{suffix}", double,
                          *loop_function(f"sweep_{suffix}", sweep, double)))
        # Splat constants: per (M0, shift), its first 8 cases (the edge
        # values and the ties around k = 0), 4 lanes at a time.
        by_pair = {}
        for case in sweep:
            by_pair.setdefault(case[1:], []).append(case)
        groups = []
        for pair_cases in by_pair.values():
            chosen = pair_cases[:8]
            while len(chosen) % 4:
                chosen.append((0,) + chosen[0][1:])
            groups += [chosen[i:i + 4] for i in range(0, len(chosen), 4)]
        functions += unrolled_functions(f"splat_{suffix}", groups, double,
                                        splat=True)
        # Per-lane constants, mixed pairs, vectors of several lengths.
        mixed = list(sweep)
        random.Random(6).shuffle(mixed)
        mixed = mixed[:1200]
        groups, i, lengths = [], 0, [1, 2, 3, 4, 6, 8, 16]
        while i < len(mixed):
            k = lengths[len(groups) % len(lengths)]
            groups.append(mixed[i:i + k])
            i += k
        functions += unrolled_functions(f"lanes_{suffix}", groups, double,
                                        splat=False)

    os.makedirs(outdir, exist_ok=True)
    with open(os.path.join(outdir, "requant.mlir"), "w") as f:
        f.write("// Generated by gen_requantization.py.\n")
        for name, double, text, cases in functions:
            f.write(text)
            write_npy(os.path.join(outdir, name, "input0.npy"),
                      [c[0] for c in cases])
            write_npy(os.path.join(outdir, name, "expected.npy"),
                      [expected(x, m0, s, double) for x, m0, s in cases])
    for name, _, _, cases in functions:
        print(name)


if __name__ == "__main__":
    main(sys.argv[1])
