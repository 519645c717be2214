#!/usr/bin/env python3
#===- check_folded_constants.py - Compare folded constants with references -===#
#
# Part of the qopt project.
#
#===-----------------------------------------------------------------------===#
#
# Usage: check_folded_constants.py OUTPUT.mlir EXPECTED.json
#
# OUTPUT.mlir is qopt output printed with --mlir-print-op-generic and
# --mlir-print-elementsattrs-with-hex-if-larger=-1 (so that every element is
# a decimal or hex float). EXPECTED.json maps function names to
#   {"op": "qnn.conv2d",
#    "weights": {"shape": [...], "values": [...]},   (row-major)
#    "bias": {"shape": [...], "values": [...]}}
# For each function, the one op of that name must take arith.constant weights
# (operand 1) and bias (operand 2) whose shapes match and whose values a
# satisfy |a - e| <= 1e-6 * max(|e|, FLT_MIN) against the expected values e.
# Anything missing or of a different size is an error. Standard library only.
#
#===-----------------------------------------------------------------------===#

import json
import math
import re
import struct
import sys

RTOL = 1e-6
# The smallest normal float32, so that values near 0 are not compared
# relative to a vanishing denominator.
TINY = 2.0**-126

FUNC = re.compile(r'"func\.func"\(\).*\bsym_name = "([^"]+)"')
CONST = re.compile(r'^\s*(%[\w#]+) = "arith\.constant"\(\) '
                   r'<\{value = dense<(.*)> : tensor<([^>]*)>\}>')
OP = re.compile(r'^\s*%[\w#]+ = "([\w.]+)"\(([^)]*)\)')
# Bit patterns of the element types qopt may print in hex.
HEX_FORMATS = {"f16": ("<H", "<e"), "f32": ("<I", "<f"), "f64": ("<Q", "<d")}


class CheckError(Exception):
    pass


def parse_tensor_type(text):
    *dims, element = text.split("x")
    return [int(d) for d in dims], element


def parse_element(token, element):
    if token.startswith("0x"):
        if element not in HEX_FORMATS:
            raise CheckError(f"cannot decode hex {token} of type {element}")
        int_format, float_format = HEX_FORMATS[element]
        return struct.unpack(float_format,
                             struct.pack(int_format, int(token, 16)))[0]
    return float(token)


def parse_dense(body, type_text):
    """The row-major values of dense<body> : tensor<type_text>."""
    if body.startswith('"'):
        raise CheckError("elements printed as a hex blob: run qopt with "
                         "--mlir-print-elementsattrs-with-hex-if-larger=-1")
    shape, element = parse_tensor_type(type_text)
    tokens = [t.strip() for t in re.sub(r"[\[\]]", " ", body).split(",")]
    values = [parse_element(t, element) for t in tokens if t]
    count = math.prod(shape)
    if "[" not in body and len(values) == 1:  # splat
        values *= count
    if len(values) != count:
        raise CheckError(f"dense<...> holds {len(values)} values, "
                         f"tensor<{type_text}> {count}")
    return shape, values


def parse_functions(lines):
    """Per function: its constants by SSA name, and its ops as (name,
    operands). Generic-form SSA names restart in each function."""
    functions = {}
    current = None
    for line in lines:
        match = FUNC.search(line)
        if match:
            current = functions.setdefault(match.group(1),
                                           {"constants": {}, "ops": []})
            continue
        if current is None:
            continue
        match = CONST.match(line)
        if match:
            current["constants"][match.group(1)] = parse_dense(
                match.group(2), match.group(3))
            continue
        match = OP.match(line)
        if match:
            operands = [o.strip() for o in match.group(2).split(",")]
            current["ops"].append((match.group(1), operands))
    return functions


def compare(where, actual, expected):
    shape, values = actual
    if shape != expected["shape"]:
        raise CheckError(f"{where}: shape {shape}, expected "
                         f"{expected['shape']}")
    if len(values) != len(expected["values"]):
        raise CheckError(f"{where}: {len(values)} values, expected "
                         f"{len(expected['values'])}")
    for i, (a, e) in enumerate(zip(values, expected["values"])):
        if not abs(a - e) <= RTOL * max(abs(e), TINY):
            raise CheckError(f"{where}[{i}] (row-major) = {a!r}, expected "
                             f"{e!r} within {RTOL} relative")
    return len(values)


def check(output_path, expected_path):
    with open(output_path) as f:
        functions = parse_functions(f.read().splitlines())
    with open(expected_path) as f:
        expected = json.load(f)
    if not expected:
        raise CheckError(f"{expected_path} expects nothing")
    checked = 0
    for name, reference in expected.items():
        if name not in functions:
            raise CheckError(f"function @{name} not found in {output_path}")
        function = functions[name]
        ops = [operands for op, operands in function["ops"]
               if op == reference["op"]]
        if len(ops) != 1:
            raise CheckError(f"@{name}: {len(ops)} {reference['op']} ops, "
                             f"expected 1")
        operands = ops[0]
        for index, key in ((1, "weights"), (2, "bias")):
            where = f"@{name} {reference['op']} {key}"
            if index >= len(operands):
                raise CheckError(f"{where}: missing operand")
            constant = function["constants"].get(operands[index])
            if constant is None:
                raise CheckError(f"{where}: {operands[index]} is not an "
                                 f"arith.constant dense tensor")
            checked += compare(where, constant, reference[key])
    print(f"{checked} folded values in {len(expected)} functions match "
          f"within {RTOL} relative")


def main():
    if len(sys.argv) != 3:
        sys.exit(f"usage: {sys.argv[0]} OUTPUT.mlir EXPECTED.json")
    try:
        check(sys.argv[1], sys.argv[2])
    except (CheckError, OSError, ValueError, KeyError) as error:
        sys.exit(f"error: {error}")


if __name__ == "__main__":
    main()
