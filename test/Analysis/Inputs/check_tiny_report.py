#!/usr/bin/env python3
#===- check_tiny_report.py - By-hand numbers of numerics-report.mlir ------===#
#
# Part of the qopt project.
#
#===-----------------------------------------------------------------------===#
#
# Recomputes, without qopt and with the standard library only, what the
# report of numerics-report.mlir must say, prints the report's values in a
# fixed format for FileCheck, and ends with "all by-hand values agree" only
# when every value matches the derivation.
#
#===-----------------------------------------------------------------------===#

import json
import math
import struct
import sys


def f32(x):
    return struct.unpack("<f", struct.pack("<f", x))[0]


def fmt(x):
    return "exact" if x is None else f"{x:.4f}"


report = json.load(open(sys.argv[1]))
layers = report["layers"]
print("layers", len(layers))

x = [-1.0, -0.203125, 0.1015625, 0.9921875]
s_in, s_out = 1 / 128, 7 / 1024
q_in = [round(v / s_in) for v in x]
m = s_in * f32(1 / 127) / s_out
fraction, shift = math.frexp(m)
m0 = round(fraction * 2**31)
rel = (m0 * 2.0 ** (shift - 31) - m) / m
acc = [127 * q for q in q_in]
q_out = [min(max(round(a * m), -128), 127) for a in acc]
errors = [s_out * q - r for q, r in zip(q_out, x)]
sqnr = 10 * math.log10(sum(r * r for r in x) / sum(e * e for e in errors))
lsb = [abs(e) / s_out for e in errors]
expected = {
    "sqnr": sqnr, "max_lsb": max(lsb), "mean_lsb": sum(lsb) / 4,
    "low": sum(round(r / s_out) < -128 for r in x),
    "high": sum(round(r / s_out) > 127 for r in x),
    "m0": m0, "shift": shift, "rel": rel, "acc": max(map(abs, acc)),
    "bound": 127 * 128,
}

ok = True
for layer in layers:
    e2e, alone = layer["end_to_end"], layer["alone"]
    sat = layer["saturation"]
    print(f"rank {layer['rank']}: {'+'.join(layer['source_ops'])} "
          f"{layer['location']} scale {layer['scale']} "
          f"zp {layer['zero_point']}")
    print(f"sqnr {fmt(e2e['sqnr_db'])} alone {fmt(alone['sqnr_db'])} "
          f"max_lsb {e2e['max_abs_error_lsb']:g} "
          f"mean_lsb {e2e['mean_abs_error_lsb']:g}")
    print(f"saturation low {sat['low']} high {sat['high']} of "
          f"{layer['elements']}")
    for mult in layer["multipliers"]:
        print(f"multiplier {mult['role']} {mult['channel']}: "
              f"M {mult['real']:.12f} M0 {mult['m0']} shift {mult['shift']} "
              f"rel {mult['relative_error']:.2g}")
    if layer["accumulator"]:
        print(f"accumulator {layer['accumulator']['max_abs']} of "
              f"{layer['accumulator']['static_bound']}")
    if layer["integer_op"] == "qnn.int.quantize":
        ok &= e2e["sqnr_db"] is None and e2e["max_abs_error_lsb"] == 0
        continue
    close = lambda a, b: abs(a - b) <= 1e-9 * max(1, abs(b))
    ok &= close(e2e["sqnr_db"], expected["sqnr"])
    ok &= close(alone["sqnr_db"], expected["sqnr"])
    ok &= close(e2e["max_abs_error_lsb"], expected["max_lsb"])
    ok &= close(e2e["mean_abs_error_lsb"], expected["mean_lsb"])
    ok &= (sat["low"], sat["high"]) == (expected["low"], expected["high"])
    ok &= len(layer["multipliers"]) == 4
    for mult in layer["multipliers"]:
        ok &= (mult["m0"], mult["shift"]) == (expected["m0"], expected["shift"])
        ok &= close(mult["real"], m) and close(mult["relative_error"], rel)
    ok &= layer["accumulator"]["max_abs"] == expected["acc"]
    ok &= layer["accumulator"]["static_bound"] == expected["bound"]
print("all by-hand values agree" if ok else "MISMATCH with the derivation")
sys.exit(0 if ok else 1)
