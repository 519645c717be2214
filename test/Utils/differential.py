#!/usr/bin/env python3
#===- differential.py - Compiled code against the interpreter, per target --===#
#
# Part of the qopt project.
#
#===-----------------------------------------------------------------------===#
#
# Usage:
#   differential.py --tools DIR --work DIR --targets T1,T2,... [options]
#                   MODEL.mlir [MODEL.mlir ...]
#
# For each float-level MODEL: the integer passes (with --scheme) give the
# integer level, which the reference interpreter runs on seeded random
# inputs; then the model is compiled from the float level for each target
# and run on the same inputs, and every result is compared with the
# interpreter's bit for bit. x86 and `generic` targets run through
# `qopt-run --jit`; `aarch64-*` targets are compiled by qopt-compile for
# aarch64-linux-gnu, linked with test/Utils/npy_harness.c by --aarch64-cc
# and run under --qemu on a CPU that has the target's instructions.
#
# Prints one line per model and target, "MODEL TARGET: identical" or what
# differs, and exits 1 if anything differed or failed. Failures keep their
# files in --work and print the command that reproduces them.
#
# Options: --function NAME (default: the model's first function), --scheme
# (tflite, gemmlowp or fbgemm; "cycle" takes them in turn, model by model),
# --seed (of the random inputs), --parallel (two threads: OMP_NUM_THREADS=2,
# which qopt's runtime obeys too), --parallel-runtime (qopt, the default:
# the AArch64 programs then compile lib/Runtime/ParallelRuntime.c with them;
# openmp: they link LLVM's libomp.so.5 from --aarch64-openmp), --jobs N
# (models at a time).
#
# Standard library only.
#
#===-----------------------------------------------------------------------===#

import argparse
import concurrent.futures
import os
import re
import shlex
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import npy  # noqa: E402

SCHEMES = ["tflite", "gemmlowp", "fbgemm"]
# The qemu CPU of each AArch64 target: the smallest one that has its
# instructions.
QEMU_CPUS = {"aarch64-neon": "cortex-a53", "aarch64-dotprod": "neoverse-n1",
             "aarch64-i8mm": "max"}
HARNESS = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                       "npy_harness.c")
SOURCE_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
RUNTIME = os.path.join(SOURCE_ROOT, "lib", "Runtime", "ParallelRuntime.c")


class Failure(Exception):
    pass


def run(command, env=None):
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        # The end of a crash's stack dump is main() and below: keep the top.
        stderr = "\n".join(result.stderr.strip().splitlines()[:12])
        raise Failure(f"{shlex.join(command)}\n{stderr}")
    return result.stdout


def read_text(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError as error:
        raise Failure(str(error))


def first_function(path):
    match = re.search(r"func\.func @([\w$.-]+)", read_text(path))
    if not match:
        raise Failure(f"{path}: no function")
    return match.group(1)


class Model:
    def __init__(self, args, path, index):
        self.args = args
        self.path = path
        self.name = os.path.splitext(os.path.basename(path))[0]
        self.work = os.path.join(args.work, self.name)
        os.makedirs(self.work, exist_ok=True)
        self.scheme = (SCHEMES[index % len(SCHEMES)]
                       if args.scheme == "cycle" else args.scheme)
        self.function = args.function or first_function(path)

    def tool(self, name):
        return os.path.join(self.args.tools, name)

    def reference(self):
        """The interpreter's results at the integer level on random inputs;
        returns the input and expected result files."""
        integer = os.path.join(self.work, "integer.mlir")
        run([self.tool("qopt"), self.path, "--qopt-fold-batch-norm",
             f"--qopt-propagate-quant-params=scheme={self.scheme}",
             "--qopt-rewrite-multipliers", "--qopt-expand-zero-points",
             "-o", integer])
        # qopt-run takes exactly one --input per argument and one --output
        # per result: count them in the signature.
        signature = re.search(
            r"func\.func @" + re.escape(self.function) +
            r"\((.*?)\)\s*->\s*(\(.*?\)|tensor<[^>]*>)", read_text(integer))
        if not signature:
            raise Failure(f"{integer}: no function @{self.function}")
        self.num_inputs = len(re.findall(r"tensor<", signature.group(1)))
        self.num_outputs = len(re.findall(r"tensor<", signature.group(2)))
        expected = [os.path.join(self.work, f"expected{i}.npy")
                    for i in range(self.num_outputs)]
        command = [self.tool("qopt-run"), integer, "--function", self.function,
                   f"--random-inputs={self.args.seed}", "--save-inputs",
                   self.work]
        for path in expected:
            command += ["--output", path]
        run(command)
        self.inputs = [os.path.join(self.work, f"input{i}.npy")
                       for i in range(self.num_inputs)]
        self.expected = expected

    def outputs(self, target):
        return [os.path.join(self.work, f"{target}.{i}.npy")
                for i in range(self.num_outputs)]

    def thread_env(self):
        if not self.args.parallel:
            return None
        return dict(os.environ, OMP_NUM_THREADS="2")

    def run_jit(self, target):
        command = [self.tool("qopt-run"), self.path, "--function",
                   self.function, "--jit", f"--target={target}",
                   f"--scheme={self.scheme}"]
        if self.args.parallel:
            command += ["--parallel",
                        f"--parallel-runtime={self.args.parallel_runtime}"]
        for path in self.inputs:
            command += ["--input", path]
        for path in self.outputs(target):
            command += ["--output", path]
        run(command, self.thread_env())
        return command

    def run_aarch64(self, target):
        obj = os.path.join(self.work, f"{target}.o")
        program = os.path.join(self.work, target)
        compile_command = [self.tool("qopt-compile"), self.path, "--function",
                           self.function, f"--target={target}",
                           f"--scheme={self.scheme}",
                           "--mtriple=aarch64-linux-gnu", "-o", obj]
        if self.args.parallel:
            compile_command += [
                "--parallel",
                f"--parallel-runtime={self.args.parallel_runtime}"]
        run(compile_command)
        link = [self.args.aarch64_cc, "-std=gnu11", "-O2",
                f"-DFUNC={self.function}", f"-DNUM_INPUTS={self.num_inputs}",
                f"-DNUM_OUTPUTS={self.num_outputs}", HARNESS, obj, "-lm"]
        if self.args.parallel and self.args.parallel_runtime == "openmp":
            # The objects call LLVM's OpenMP runtime (__kmpc_fork_call),
            # which gcc's libgomp does not provide; Debian has it as a
            # shared library only.
            openmp = self.args.aarch64_openmp
            link += [f"-L{openmp}", "-l:libomp.so.5", f"-Wl,-rpath,{openmp}"]
        else:
            # qopt's runtime is C11 and POSIX threads: compiled for the
            # target with the program.
            if self.args.parallel:
                link += [f"-I{SOURCE_ROOT}/include", RUNTIME, "-pthread"]
            link.append("-static")
        run(link + ["-o", program])
        command = shlex.split(self.args.qemu) + [
            "-cpu", QEMU_CPUS[target], program] + self.inputs + \
            self.expected + self.outputs(target)
        run(command, self.thread_env())
        return [*compile_command, "&&", *command]

    def check(self, target):
        try:
            if target.startswith("aarch64-"):
                command = self.run_aarch64(target)
            else:
                command = self.run_jit(target)
        except Failure as failure:
            return False, f"failed: {failure}"
        differences = [(path, npy.compare(path, expected)) for path, expected
                       in zip(self.outputs(target), self.expected)]
        differences = [(p, d) for p, d in differences if d is not None]
        if not differences:
            return True, "identical"
        return False, "; ".join(f"{os.path.basename(p)}: {d}"
                                for p, d in differences) + \
            f"\n  reproduce: {shlex.join(command)}"


def check_model(args, path, index):
    try:
        model = Model(args, path, index)
        model.reference()
    except Failure as failure:
        return [(False, f"{path}: failed: {failure}")]
    lines = []
    for target in args.targets:
        ok, text = model.check(target)
        lines.append((ok, f"{model.name} {target} ({model.scheme}): {text}"))
    return lines


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("models", nargs="+")
    parser.add_argument("--tools", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--targets", required=True,
                        type=lambda s: [t for t in s.split(",") if t])
    parser.add_argument("--function")
    parser.add_argument("--scheme", default="tflite",
                        choices=SCHEMES + ["cycle"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--parallel", action="store_true")
    parser.add_argument("--parallel-runtime", default="qopt",
                        choices=["qopt", "openmp"])
    parser.add_argument("--qemu", default="qemu-aarch64 -L /usr/aarch64-linux-gnu")
    parser.add_argument("--aarch64-cc", default="aarch64-linux-gnu-gcc")
    parser.add_argument("--aarch64-openmp",
                        help="directory of LLVM's libomp.so.5 for AArch64, "
                        "which --parallel links the AArch64 targets with")
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    unknown = [t for t in args.targets if t.startswith("aarch64-") and
               t not in QEMU_CPUS]
    if unknown:
        sys.exit(f"no qemu CPU known for {', '.join(unknown)}")
    if args.parallel and args.parallel_runtime == "openmp" and \
            any(t.startswith("aarch64-") for t in args.targets) and \
            not os.path.exists(os.path.join(args.aarch64_openmp or "",
                                            "libomp.so.5")):
        sys.exit("--parallel on AArch64 targets needs --aarch64-openmp: "
                 "a directory with LLVM's OpenMP runtime for AArch64, "
                 "libomp.so.5 (scripts/bootstrap.sh's "
                 "qopt_fetch_aarch64_openmp)")

    failed = 0
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        results = pool.map(lambda item: check_model(args, item[1], item[0]),
                           enumerate(args.models))
        for lines in results:
            for ok, text in lines:
                failed += not ok
                print(text, flush=True)
    print(f"{failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
