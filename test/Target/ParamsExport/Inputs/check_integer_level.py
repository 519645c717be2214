#!/usr/bin/env python3
#===- check_integer_level.py - Export against the integer level ----------===#
#
# Part of the qopt project.
#
#===-----------------------------------------------------------------------===#
#
# Usage: check_integer_level.py PARAMS.json INTEGER.mlir
#
# PARAMS.json is the --qopt-export-json output of a network at the quantized
# level; INTEGER.mlir is the same network after
# --qopt-rewrite-multipliers --qopt-expand-zero-points. The two must hold the
# same integers, since both derive them with IntegerParams.h:
#   * the (M0, shift) of every requantization, in program order: the
#     qnn.int.rescale after each contraction (one entry stands for all
#     channels), requantize and scale-changing avg_pool2d, and the
#     multipliers of qnn.int.add, qnn.int.weighted_add (PyTorch qnnpack's
#     addition) and qnn.int.mul, with their clamp bounds (none at the
#     integer level is the whole storage range);
#   * the rounding of every qnn.int.rescale: the function's
#     "arithmetic"."requantization";
#   * the folded bias of every contraction, as the i32 vector constants of
#     the integer level (in any order: the passes hoist constants).
# Prints each disagreement and exits with 1 if there is any. Standard library
# only.
#
#===-----------------------------------------------------------------------===#

import json
import re
import sys


def integers(text):
    return [int(v) for v in re.findall(r"-?\d+", text)]


def scalar(line, name):
    return int(re.search(name + r" = (-?\d+) : i32", line).group(1))


def clamp(line):
    bounds = [re.search(name + r" = (-?\d+) : i64", line) for name in ("clamp_min", "clamp_max")]
    return tuple(int(b.group(1)) for b in bounds) if all(bounds) else None


def integer_level(ir):
    """Requantizations in program order, the roundings of the rescales and
    the i32 vector constants."""
    steps, roundings, constants = [], [], []
    for line in ir.splitlines():
        if "qnn.int.rescale" in line:
            rounding = re.search(r"#qnn.rounding<(\w+)>", line)
            roundings.append(rounding.group(1) if rounding else "double_round")
            steps.append(("rescale",
                          integers(re.search(r"multiplier = array<i32:([^>]*)>", line).group(1)),
                          integers(re.search(r"shift = array<i32:([^>]*)>", line).group(1)),
                          clamp(line)))
        elif "qnn.int.add" in line:
            steps.append(("add", [scalar(line, n + "_multiplier") for n in ("lhs", "rhs", "output")],
                          [scalar(line, n + "_shift") for n in ("lhs", "rhs", "output")],
                          clamp(line)))
        elif "qnn.int.weighted_add" in line:
            steps.append(("weighted_add", [scalar(line, n + "_multiplier") for n in ("lhs", "rhs")],
                          [scalar(line, "right_shift")], clamp(line)))
        elif "qnn.int.mul" in line:
            steps.append(("rescale", [scalar(line, "multiplier")], [scalar(line, "shift")],
                          clamp(line)))
        constant = re.search(r"arith.constant dense<(\[[-\d, ]*\]|-?\d+)> : tensor<(\d+)xi32>", line)
        if constant:
            values = integers(constant.group(1))
            constants.append(values * int(constant.group(2)) if len(values) == 1 else values)
    return steps, roundings, constants


def exported(layers):
    """The same from the export."""
    steps, biases = [], []
    for layer in layers:
        bounds = (layer.get("clamp_min"), layer.get("clamp_max"))
        output = layer["output"]
        if bounds == (output.get("storage_min"), output.get("storage_max")):
            bounds = None
        if layer["kind"] == "add" and "right_shift" in layer:
            steps.append(("weighted_add", [layer[n + "_multiplier"] for n in ("lhs", "rhs")],
                          [layer["right_shift"]], bounds))
        elif layer["kind"] == "add":
            steps.append(("add", [layer[n + "_multiplier"] for n in ("lhs", "rhs", "output")],
                          [layer[n + "_shift"] for n in ("lhs", "rhs", "output")], bounds))
        elif "multiplier" in layer:
            multiplier, shift = layer["multiplier"], layer["shift"]
            steps.append(("rescale", multiplier if isinstance(multiplier, list) else [multiplier],
                          shift if isinstance(shift, list) else [shift], bounds))
        if "folded_bias" in layer:
            biases.append(layer["folded_bias"])
    return steps, biases


def main():
    params = json.load(open(sys.argv[1]))
    steps, roundings, constants = integer_level(open(sys.argv[2]).read())
    # Functions are printed in the order they are exported.
    expected_steps, biases = exported(
        [layer for function in params["functions"] for layer in function["layers"]])
    errors = []
    if len(steps) != len(expected_steps):
        errors.append(f"{len(expected_steps)} requantizations exported, "
                      f"{len(steps)} at the integer level")
    for i, (got, want) in enumerate(zip(steps, expected_steps)):
        # A per-tensor multiplier is one entry at the integer level.
        if got[0] == "rescale" and len(got[1]) == 1:
            got = (got[0], got[1] * len(want[1]), got[2] * len(want[2]), got[3])
        if got != want:
            errors.append(f"requantization #{i}: exported {want}, integer level {got}")
    expected_roundings = {function["arithmetic"]["requantization"]
                          for function in params["functions"]}
    for rounding in sorted(set(roundings) - expected_roundings):
        errors.append(f"a rescale rounds by {rounding}, the export states "
                      f"{sorted(expected_roundings)}")
    for bias in biases:
        if bias not in constants:
            errors.append(f"folded bias {bias} is not an i32 constant of the integer level")
    for error in errors:
        print(error)
    if not errors:
        print(f"{len(steps)} requantizations and {len(biases)} folded biases agree")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
