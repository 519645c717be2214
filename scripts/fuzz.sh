#!/usr/bin/env bash
#===- fuzz.sh - Build and run the libFuzzer target qopt-fuzz -------------===#
#
# Part of the qopt project.
#
#===-----------------------------------------------------------------------===#
#
# Usage: scripts/fuzz.sh [SECONDS] [LIBFUZZER_ARGS...]
#
# Installs what is missing (the packages of scripts/test.sh and clang's
# sanitizer runtimes, libclang-rt-22-dev), builds tools/qopt-fuzz with
# ASan, UBSan and coverage in build-fuzz/ (QOPT_FUZZ_BUILD_DIR), and runs it
# for SECONDS (default 600) on one job with leak detection on. The corpus
# grows in build-fuzz/fuzz/corpus across runs; it starts from every .mlir
# file of test/ and examples/, split at `// -----` and stripped of comments,
# each chunk also led by the stages (tools/qopt-fuzz) its RUN lines name and
# by a target's whole pipeline.
# A crash, leak, timeout or out-of-memory input is saved as
# build-fuzz/fuzz/artifacts/<kind>-<sha1>; reproduce it with
#   build-fuzz/bin/qopt-fuzz build-fuzz/fuzz/artifacts/<file>
# Ends with the number of executions and their rate.
#
#===-----------------------------------------------------------------------===#

set -euo pipefail
QOPT_BUILD_DIR="${QOPT_FUZZ_BUILD_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/build-fuzz}"
QOPT_CMAKE_ARGS=(-DQOPT_ENABLE_FUZZER=ON)
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"

seconds="${1:-600}"
shift || true

QOPT_PACKAGES+=(libclang-rt-22-dev)
qopt_install_deps
qopt_build qopt-fuzz

work="${QOPT_BUILD_DIR}/fuzz"
mkdir -p "${work}/corpus" "${work}/artifacts"
qopt_log "seeding from test/ and examples/"
rm -rf "${work}/seeds"
python3 - "${QOPT_SRC_ROOT}" "${work}/seeds" <<'PY'
import hashlib, pathlib, re, sys
root, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
out.mkdir()
# Each chunk also comes led by a "// qopt-fuzz:" line (tools/qopt-fuzz)
# naming each qopt pass its file's RUN lines apply (the IR is at that pass's
# level), and by one naming the whole pipeline for a target, parallel or
# not, picked by the chunk's hash so that all of them are seeded.
targets = ["generic", "host", "x86-avx2", "x86-avx512vnni", "x86-avx512ifma",
           "x86-amx", "aarch64-neon", "aarch64-dotprod", "aarch64-i8mm"]
threads = ["", " parallel=true", " parallel=true parallel-runtime=openmp"]
def write(text):
    (out / hashlib.sha1(text.encode()).hexdigest()).write_text(text)
for path in sorted(list(root.glob("test/**/*.mlir")) + list(root.glob("examples/**/*.mlir"))):
    source = path.read_text()
    stages = []
    for run in re.findall(r"^// RUN:(.*)$", source, flags=re.M):
        for m in re.finditer(r"--(qopt-[a-z0-9-]+)(?:=(\"[^\"]*\"|'[^']*'|\S+))?", run):
            if m.group(1).startswith(("qopt-check-", "qopt-export-")):
                continue
            stage = m.group(1) + ("{%s}" % m.group(2).strip("\"'") if m.group(2) else "")
            if stage not in stages:
                stages.append(stage)
    for chunk in re.split(r"^// -----.*$", source, flags=re.M):
        text = "".join(l for l in chunk.splitlines(True) if not l.lstrip().startswith("//"))
        if not text.strip():
            continue
        pick = int(hashlib.sha1(text.encode()).hexdigest(), 16)
        pipeline = "qopt-pipeline{target=%s%s}" % (
            targets[pick % len(targets)], threads[pick // len(targets) % len(threads)])
        write(text)
        for stage in stages[:4] + [pipeline]:
            write("// qopt-fuzz: %s\n%s" % (stage, text))
PY

qopt_log "fuzzing for ${seconds} s"
log="${work}/last-run.log"
status=0
# Inputs are capped at 8 KB (a large seed is mostly constants); an input
# that runs for more than 20 s or needs more than 2 GB is a finding.
ASAN_OPTIONS="detect_leaks=1:${ASAN_OPTIONS:-}" \
  "${QOPT_BUILD_DIR}/bin/qopt-fuzz" "${work}/corpus" "${work}/seeds" \
  -dict="${QOPT_SRC_ROOT}/tools/qopt-fuzz/qopt.dict" \
  -artifact_prefix="${work}/artifacts/" -max_total_time="${seconds}" \
  -max_len=8192 -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 "$@" \
  >"${log}" 2>&1 || status=$?
python3 - "${log}" <<'PY'
import re, sys
# Pass options the fuzzer mutated are echoed in their errors, any bytes.
text = open(sys.argv[1], errors="replace").read()
# The final statistics, or after a finding the last status line.
runs = re.findall(r"stat::number_of_executed_units: *(\d+)", text) or \
    re.findall(r"^#(\d+)\s", text, flags=re.M)
rate = re.findall(r"stat::average_exec_per_sec: *(\d+)", text) or \
    re.findall(r"exec/s: (\d+)", text)
print(f"{runs[-1] if runs else 0} executions, {rate[-1] if rate else 0} exec/s")
PY
# libFuzzer exits non-zero on a finding, after writing it out.
if ((status != 0)); then
  tail -60 "${log}" >&2
fi
exit "${status}"
