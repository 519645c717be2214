#!/usr/bin/env bash
#===- random-networks.sh - Many random networks, every target -------------===#
#
# Part of the qopt project.
#
#===-----------------------------------------------------------------------===#
#
# Usage: scripts/random-networks.sh [FIRST [LAST]] [differential.py options]
#
# Generates the random networks of seeds FIRST..LAST (default 1..200) with
# examples/networks/random_net.py, compiles each for every target this
# machine runs (x86 natively, AArch64 under qemu; override with
# --targets=...) under the three schemes in turn, and compares every result
# with the interpreter bit for bit (test/Utils/differential.py). The suite
# runs a fixed set of seeds (test/Integration/Networks); this runs as many
# more as asked. Ends with "N failed"; a failure prints the command that
# reproduces it, and its files stay in ${QOPT_BUILD_DIR}/random-networks.
#
#===-----------------------------------------------------------------------===#

set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"

first=1
last=200
if [[ $# -gt 0 && $1 != -* ]]; then first=$1; shift; fi
if [[ $# -gt 0 && $1 != -* ]]; then last=$1; shift; fi

qopt_install_deps
qopt_build qopt qopt-run qopt-compile

targets="$(qopt_runnable_targets)"

work="${QOPT_BUILD_DIR}/random-networks"
rm -rf "${work}"
mkdir -p "${work}/models"
qopt_log "seeds ${first}..${last} on ${targets}"
models=()
for seed in $(seq "${first}" "${last}"); do
  python3 "${QOPT_SRC_ROOT}/examples/networks/random_net.py" "${seed}" \
    -o "${work}/models/random${seed}.mlir"
  models+=("${work}/models/random${seed}.mlir")
done
python3 "${QOPT_SRC_ROOT}/test/Utils/differential.py" \
  --tools "${QOPT_BUILD_DIR}/bin" --work "${work}/run" --scheme cycle \
  --targets "${targets}" \
  --aarch64-openmp "${QOPT_BUILD_DIR}/deps/aarch64-openmp" \
  --jobs "$(nproc)" "$@" "${models[@]}"
