#!/usr/bin/env bash
#===- compile_time.sh - How long qopt takes to compile a real network -----===#
#
# Part of the qopt project.
#
#===-----------------------------------------------------------------------===#
#
# Usage: bench/compile_time.sh [MODEL.mlir]
#
# Compiles MODEL (default: MobileNetV2 at 224x224, written by
# examples/networks/mobilenet_v2.py) from the float level to an object file
# with qopt-compile for every target, and prints a Markdown table: the wall
# time and the CPU time (user + system) of the whole compilation, and the
# CPU time of its MLIR part (qopt --qopt-pipeline to the LLVM dialect); the
# rest is LLVM's translation, -O3 and code generation. CPU time is what to
# compare on a busy machine. Outside the test suite, like bench/run.sh.
#
#===-----------------------------------------------------------------------===#

set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/bootstrap.sh"
qopt_install_deps
qopt_build qopt qopt-compile

work="${QOPT_BUILD_DIR}/compile-time"
mkdir -p "${work}"
model="${1:-}"
if [[ -z "${model}" ]]; then
  model="${work}/mobilenet_v2.mlir"
  python3 "${QOPT_SRC_ROOT}/examples/networks/mobilenet_v2.py" -o "${model}"
fi
bin="${QOPT_BUILD_DIR}/bin"

# "wall cpu" seconds of a command (bash's own timing: no time(1) needed).
measure() {
  local TIMEFORMAT="%R %U %S"
  { time "$@" >/dev/null 2>"${work}/stderr"; } 2>"${work}/time" ||
    { cat "${work}/stderr" >&2; return 1; }
  awk '{ printf "%.1f %.1f\n", $1, $2 + $3 }' "${work}/time"
}

echo "| target | wall (s) | CPU (s) | of which MLIR passes, CPU (s) |"
echo "| --- | ---: | ---: | ---: |"
for target in generic x86-avx2 x86-avx512vnni x86-avx512ifma x86-amx aarch64-neon aarch64-dotprod aarch64-i8mm; do
  triple=()
  [[ ${target} == aarch64-* ]] && triple=(--mtriple=aarch64-linux-gnu)
  read -r wall cpu < <(measure "${bin}/qopt-compile" "${model}" \
    --target="${target}" "${triple[@]}" -o "${work}/${target}.o")
  read -r _ mlir < <(measure "${bin}/qopt" "${model}" \
    --qopt-pipeline=target="${target}" -o "${work}/${target}.mlir")
  echo "| ${target} | ${wall} | ${cpu} | ${mlir} |"
done
