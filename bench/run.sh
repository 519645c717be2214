#!/usr/bin/env bash
#===- run.sh - qopt-compiled layers against int8 libraries ---------------===#
#
# Part of the qopt project.
#
#===-----------------------------------------------------------------------===#
#
# Installs the peers, builds qopt, compiles one qopt kernel per shape ahead of
# time, links them into bench/harness.cpp with gemmlowp, oneDNN and XNNPACK,
# runs it and PyTorch's quantized engine on the same data with one and two
# threads, and writes the tables into docs/performance.md. Deliberately
# outside the CMake build and the test suite.
#
# Environment: QOPT_BUILD_DIR (default: <source>/build), QOPT_BENCH_CPU (the
# core to pin the one-thread run to; default: the last one), QOPT_BENCH_RUNS
# (runs per thread count, default 2), QOPT_BENCH_PIPELINE (the qopt lowering
# to measure, one word; default --qopt-lower-to-llvm=target=x86-avx512vnni on
# a CPU with AVX-512 VNNI, else the generic target).
#
#===-----------------------------------------------------------------------===#

set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/bootstrap.sh"

# The peers, and the pthreadpool header xnnpack.h includes. PyTorch is
# Debian's, for /usr/bin/python3.
QOPT_PACKAGES+=(libgemmlowp-dev libdnnl-dev libxnnpack-dev libpthreadpool-dev
  python3-torch python3-numpy)
qopt_install_deps
qopt_build qopt

bench="${QOPT_SRC_ROOT}/bench"
work="${QOPT_BUILD_DIR}/bench"
llvm="${QOPT_LLVM_PREFIX}/bin"
cpu="${QOPT_BENCH_CPU:-$(($(nproc) - 1))}"
# The kernels are integer-level IR with zero points: expand them, as the full
# pipeline does, then lower for this CPU's best target.
target=generic
grep -q avx512_vnni /proc/cpuinfo && target=x86-avx512vnni
pipeline="${QOPT_BENCH_PIPELINE:---qopt-lower-to-llvm=target=${target}}"
rm -rf "${work}" && mkdir -p "${work}"

qopt_log "generating and compiling the qopt kernels"
python3 "${bench}/gen_kernels.py" "${work}"
for mlir in "${work}"/*.mlir; do
  "${QOPT_BUILD_DIR}/bin/qopt" --qopt-expand-zero-points "${pipeline}" "${mlir}" |
    "${llvm}/mlir-translate" --mlir-to-llvmir |
    "${llvm}/llc" -O3 -mcpu=native -relocation-model=pic -filetype=obj \
      -o "${mlir%.mlir}.o"
done

qopt_log "building the harness"
# GEMMLOWP_ENABLE_AVX2 selects gemmlowp's best x86 kernels. The padded
# convolutions' lowering calls memrefCopy, from MLIR's C runner utilities.
clang++-22 -std=c++17 -O2 -march=native -DGEMMLOWP_ENABLE_AVX2 \
  -I "${work}" -I "${bench}" "${bench}/harness.cpp" "${work}"/*.o \
  -ldnnl -lXNNPACK -lpthreadpool -lpthread \
  -L "${QOPT_LLVM_PREFIX}/lib" -lmlir_c_runner_utils \
  -Wl,-rpath,"${QOPT_LLVM_PREFIX}/lib" -fuse-ld=lld -o "${work}/harness"

# One thread pinned to one core, then two threads on two cores, each
# QOPT_BENCH_RUNS times (the report keeps the better run of each cell: the
# machine is shared). oneDNN and PyTorch thread with OpenMP.
run() {
  local threads="$1" cpus="$2" i
  for ((i = 1; i <= ${QOPT_BENCH_RUNS:-2}; ++i)); do
    qopt_log "run ${i}: ${threads} thread(s) on cores ${cpus}"
    OMP_NUM_THREADS="${threads}" taskset -c "${cpus}" \
      "${work}/harness" "${work}" "${threads}"
    OMP_NUM_THREADS="${threads}" taskset -c "${cpus}" /usr/bin/python3 \
      "${bench}/torch_cells.py" "${work}" "${work}" "${threads}"
    mv "${work}/results-${threads}.tsv" "${work}/results-${threads}-${i}.tsv"
    results+=("${work}/results-${threads}-${i}.tsv")
  done
}
results=()
run 1 "${cpu}"
if (($(nproc) >= 2)); then
  run 2 0,1
fi

command="bench/run.sh"
for var in QOPT_BENCH_RUNS QOPT_BENCH_PIPELINE; do
  if [[ -n "${!var:-}" ]]; then
    command="${var}='${!var}' ${command}"
  fi
done
python3 "${bench}/report.py" "${QOPT_SRC_ROOT}/docs/performance.md" \
  "${command}" "${results[@]}"
qopt_log "tables written to docs/performance.md"
