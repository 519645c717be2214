#!/usr/bin/env python3
#===- jit_harness.py - Run qopt functions with mlir-runner in tests -------===#
#
# Part of the qopt project.
#
#===-----------------------------------------------------------------------===#
#
# Usage:
#   jit_harness.py wrap MODULE.mlir FUNCTION [INPUT.npy ...]
#       prints MODULE with a @main that calls FUNCTION on the inputs (as
#       constants) and prints each result with printMemrefF32 (float) or
#       printMemrefI32 (integer results, widened to i32 by an identity
#       qnn.int.rescale, M = 2^30 * 2^(1 - 31) = 1), for mlir-runner
#   jit_harness.py compare RUNNER_OUTPUT QOPT_RUN_OUTPUT
#       compares the memrefs mlir-runner printed with the results qopt-run
#       printed, in order: integers exactly, floats to the 6 significant
#       digits printMemrefF32 prints; prints "N of M results identical" and
#       exits 1 unless all are
#
# Standard library only, like npy.py.
#
#===-----------------------------------------------------------------------===#

import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
import npy  # noqa: E402

ELEMENT_TYPES = {"<f4": "f32", "|i1": "i8", "|u1": "ui8", "<i2": "i16",
                 "<i4": "i32"}
NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|nan|inf)")


def tensor_type(shape, element):
    return "tensor<" + "".join(f"{d}x" for d in shape) + element + ">"


def constant(path):
    dtype, shape, raw = npy.read(path)
    element = ELEMENT_TYPES[dtype]
    # repr of a float32 widened to a double is exact and parses back to the
    # same float32.
    flat = [repr(v) if element == "f32" else str(v)
            for v in npy.values(dtype, raw)]
    text = str(npy.nest(flat, shape)).replace("'", "")
    return f"dense<{text}>", tensor_type(shape, element)


def result_types(module, function):
    match = re.search(r"func\.func @" + re.escape(function) +
                      r"\((.*?)\)\s*->\s*(.*?)\s*(?:attributes.*)?\{", module)
    if not match:
        sys.exit(f"no function @{function} with results")
    return re.findall(r"tensor<[^>]*>", match.group(2))


def wrap(module_path, function, inputs):
    with open(module_path) as f:
        module = f.read()
    results = result_types(module, function)
    body, args = [], []
    for i, path in enumerate(inputs):
        value, type_ = constant(path)
        body.append(f"    %in{i} = arith.constant {value} : {type_}")
        args.append((f"%in{i}", type_))
    names = [f"%r{i}" for i in range(len(results))]
    body.append(f"    {', '.join(names)} = func.call @{function}("
                f"{', '.join(a for a, _ in args)}) : "
                f"({', '.join(t for _, t in args)}) -> "
                f"({', '.join(results)})")
    for i, type_ in enumerate(results):
        element = type_[type_.rindex("x") + 1:-1]
        value = names[i]
        if element[0] == "f":
            printer, unranked = "printMemrefF32", "tensor<*xf32>"
        else:
            printer, unranked = "printMemrefI32", "tensor<*xi32>"
            if element != "i32":
                wide = type_.replace(element + ">", "i32>")
                body.append(
                    f"    %w{i} = qnn.int.rescale {value} {{multiplier = "
                    f"array<i32: 1073741824>, shift = array<i32: 1>}} : "
                    f"({type_}) -> {wide}")
                value, type_ = f"%w{i}", wide
        body.append(f"    %u{i} = tensor.cast {value} : {type_} to {unranked}")
        body.append(f"    func.call @{printer}(%u{i}) : ({unranked}) -> ()")
    main = ["  func.func @main() {"] + body + [
        "    return", "  }",
        "  func.func private @printMemrefF32(tensor<*xf32>)",
        "  func.func private @printMemrefI32(tensor<*xi32>)"]
    if re.search(r"^module", module, re.M):
        end = module.rindex("}")
        print(module[:end] + "\n".join(main) + "\n}")
    else:
        print(module + "\n".join(main))


def runner_results(text):
    # Each memref: a header line "Unranked Memref base@ = ... data =" and the
    # nested values after it.
    parts = re.split(r"Unranked Memref[^\n]*data =", text)[1:]
    return [NUMBER.findall(part) for part in parts]


def qopt_run_results(text):
    return [NUMBER.findall(line.split(": ", 1)[1])
            for line in text.splitlines() if ": " in line]


def same(actual, expected):
    if len(actual) != len(expected):
        return False
    for a, e in zip(actual, expected):
        if "." in a or "." in e or "e" in a.lower() or "e" in e.lower():
            a, e = float(a), float(e)
            if abs(a - e) > 1e-5 * max(1.0, abs(e)):
                return False
        elif int(a) != int(e):
            return False
    return True


def compare(runner_path, qopt_run_path):
    with open(runner_path) as f:
        actual = runner_results(f.read())
    with open(qopt_run_path) as f:
        expected = qopt_run_results(f.read())
    if len(actual) != len(expected):
        print(f"{len(actual)} results from mlir-runner, "
              f"{len(expected)} from qopt-run")
        return 1
    identical = 0
    for i, (a, e) in enumerate(zip(actual, expected)):
        ok = same(a, e)
        identical += ok
        print(f"result {i}: {len(a)} values "
              f"{'identical' if ok else 'DIFFER'}")
        if not ok:
            print(f"  mlir-runner: {' '.join(a)}\n  qopt-run:    {' '.join(e)}")
    print(f"{identical} of {len(expected)} results identical")
    return 0 if identical == len(expected) else 1


def main(argv):
    if len(argv) >= 3 and argv[1] == "wrap":
        wrap(argv[2], argv[3], argv[4:])
        return 0
    if len(argv) == 4 and argv[1] == "compare":
        return compare(argv[2], argv[3])
    sys.exit(__doc__ if __doc__ else "usage: see the file header")


if __name__ == "__main__":
    sys.exit(main(sys.argv))
