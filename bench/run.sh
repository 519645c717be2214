#!/usr/bin/env bash
#===- run.sh - qopt-compiled layers against int8 libraries ---------------===#
#
# Part of the qopt project.
#
#===-----------------------------------------------------------------------===#
#
# Installs the peers, builds qopt, compiles one qopt kernel per layer ahead of
# time (weights and bias as constants, as in a compiled model) and the bundled
# model examples/tiny_cnn with qopt-compile, links them into
# bench/harness.cpp with gemmlowp, oneDNN and XNNPACK, runs it and PyTorch's
# quantized engine on the same data with one and two threads, and writes the
# tables into docs/performance.md, followed by bench/arm_mca.sh's static
# (llvm-mca) estimate of the AArch64 kernels. Deliberately outside the CMake
# build and the test suite.
#
# Environment:
#   QOPT_BUILD_DIR       default: <source>/build
#   QOPT_BENCH_CPU       the core to pin the one-thread run to (default: the
#                        last one)
#   QOPT_BENCH_RUNS      runs per thread count (default 2)
#   QOPT_BENCH_COMPILE_RUNS  compilations of each model timed for the
#                        compile time table, which shows the median
#                        (default 3)
#   QOPT_BENCH_TARGET    the code generation target, generic,
#                        x86-avx512vnni, x86-avx512ifma or x86-amx (default:
#                        x86-amx on a CPU with AMX-INT8, else x86-avx512ifma
#                        on one with AVX-512 VNNI, VBMI and IFMA, else
#                        x86-avx512vnni on one with AVX-512 VNNI, else
#                        generic: what --target=host is);
#                        qopt-compile's --target for the model, and the
#                        default pipeline's
#   QOPT_BENCH_PIPELINE  the qopt flags (split on spaces) that take a layer
#                        kernel from the integer level, zero points not yet
#                        expanded, to the LLVM dialect; default
#                        "--qopt-expand-zero-points
#                        --qopt-lower-to-llvm=target=${QOPT_BENCH_TARGET}".
#                        A pipeline that does all of it is given alone, e.g.
#                        QOPT_BENCH_PIPELINE=--qopt-pipeline=target=x86-avx512vnni
#   QOPT_BENCH_CELLS     comma-separated, case-insensitive substrings of the
#                        cell names to run (e.g. "conv,dw,model"; default:
#                        all). A run restricted this way writes its tables to
#                        <build>/bench/performance.md, not to the docs.
#
#===-----------------------------------------------------------------------===#

set -euo pipefail
compile_runs="${QOPT_BENCH_COMPILE_RUNS:-3}"
if ! [[ "${compile_runs}" =~ ^[1-9][0-9]*$ ]]; then
  echo "run.sh: QOPT_BENCH_COMPILE_RUNS must be a positive integer, not '${compile_runs}'" >&2
  exit 1
fi
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/bootstrap.sh"

# The peers, and the pthreadpool header xnnpack.h includes. PyTorch is
# Debian's, for /usr/bin/python3.
QOPT_PACKAGES+=(libgemmlowp-dev libdnnl-dev libxnnpack-dev libpthreadpool-dev
  python3-torch python3-torchvision python3-numpy time)
qopt_install_deps
qopt_build qopt qopt-compile qopt-run QOptRuntime

bench="${QOPT_SRC_ROOT}/bench"
work="${QOPT_BUILD_DIR}/bench"
llvm="${QOPT_LLVM_PREFIX}/bin"
bin="${QOPT_BUILD_DIR}/bin"
cpu="${QOPT_BENCH_CPU:-$(($(nproc) - 1))}"
# The kernels are integer-level IR with zero points: by default they are
# expanded, as the full pipeline does, then lowered for this CPU's best
# target. QOPT_BENCH_PIPELINE replaces both steps at once.
default_target=generic
grep -q avx512_vnni /proc/cpuinfo && default_target=x86-avx512vnni
grep -q avx512_vnni /proc/cpuinfo && grep -q avx512vbmi /proc/cpuinfo &&
  grep -q avx512ifma /proc/cpuinfo && default_target=x86-avx512ifma
grep -q amx_int8 /proc/cpuinfo && default_target=x86-amx
target="${QOPT_BENCH_TARGET:-${default_target}}"
default_pipeline="--qopt-expand-zero-points --qopt-lower-to-llvm=target=${target}"
read -r -a pipeline <<<"${QOPT_BENCH_PIPELINE:-${default_pipeline}}"
# The two-thread runs take kernels whose tiles are distributed over the
# threads of qopt's runtime (parallel=true); with QOPT_BENCH_PIPELINE set,
# the same kernels as the one-thread runs.
parallel_pipeline=(--qopt-expand-zero-points
  "--qopt-lower-to-llvm=target=${target} parallel=true")
[[ -n "${QOPT_BENCH_PIPELINE:-}" ]] && parallel_pipeline=("${pipeline[@]}")
# LLVM's name for this CPU, for qopt-compile (llc takes -mcpu=native).
host_cpu="$("${llvm}/llc" --version | sed -n 's/^ *Host CPU: *//p')"
model="${QOPT_SRC_ROOT}/examples/tiny_cnn/model.mlir"
rm -rf "${work}" && mkdir -p "${work}"
: >"${work}/compile-times.tsv"

qopt_log "generating and compiling the qopt kernels (${pipeline[*]})"
python3 "${bench}/gen_kernels.py" "${work}" "${model}"
shopt -s nullglob
kernels=("${work}"/qopt_layer*.mlir)
shopt -u nullglob
if ((${#kernels[@]} == 0)) && [[ ! -s "${work}/models.txt" ]]; then
  echo "QOPT_BENCH_CELLS='${QOPT_BENCH_CELLS:-}' selects no cell" >&2
  exit 1
fi
# The LLVM dialect on stdin to the object $1, optimized as qopt-compile and
# the JIT optimize a network (-O3), not by llc's code generation alone:
# without the IR optimizer the kernels of the parallel pipeline, whose tiles
# run in an outlined OpenMP region, recompute addresses in their innermost
# loops and spill accumulators, 20-25% slower per thread than the same
# kernels with it. For the host's triple, as qopt-compile sets it:
# mlir-translate's module has none, and without one opt knows neither the
# data layout nor that memset exists, so the padded copies' border fills
# became byte-at-a-time loops (4096 one-byte stores for a padding row of
# a 14x14x256 input).
host_triple="$("${llvm}/llvm-config" --host-target)"
to_object() {
  "${llvm}/mlir-translate" --mlir-to-llvmir |
    "${llvm}/opt" -O3 -mtriple="${host_triple}" -mcpu=native |
    "${llvm}/llc" -O3 -mtriple="${host_triple}" -mcpu=native \
      -relocation-model=pic -filetype=obj -o "$1"
}
for mlir in "${kernels[@]}"; do
  "${bin}/qopt" "${pipeline[@]}" "${mlir}" | to_object "${mlir%.mlir}.o"
  # The same layer under the name the two-thread harness calls it by.
  parallel_mlir="${work}/parallel/$(basename "${mlir}")"
  "${bin}/qopt" "${parallel_pipeline[@]}" "${parallel_mlir}" |
    to_object "${parallel_mlir%.mlir}.o"
done

# The whole models (the bundled one and the real networks), compiled as an
# application would (docs/aot.md): float model in, object and C header out,
# for this CPU. Their reference is the interpreter's run of the integer
# level that qopt-compile's default options give (qopt-run --integer).
mapfile -t models <"${work}/models.txt"
for function in "${models[@]}"; do
  qopt_log "compiling ${function} with qopt-compile --target=${target}"
  # Its compile time (CPU seconds, user + system) for the report, of
  # QOPT_BENCH_COMPILE_RUNS compilations: one alone on a shared machine
  # read 5.13 s where five more right after took 4.01-4.68.
  for ((attempt = 0; attempt < compile_runs; ++attempt)); do
    /usr/bin/time -f "${function}\t%U\t%S\t%e" -a -o "${work}/compile-times.tsv" \
      "${bin}/qopt-compile" "${work}/${function}.mlir" --target="${target}" \
      --mcpu="${host_cpu}" -o "${work}/${function}.o" \
      --header "${work}/${function}.h"
  done
  "${bin}/qopt-compile" "${work}/${function}.mlir" --target="${target}" \
    --parallel --mcpu="${host_cpu}" -o "${work}/parallel/${function}.o"
  "${bin}/qopt-run" "${work}/${function}.mlir" --integer \
    --input "${work}/${function}.input.npy" \
    --output "${work}/${function}.ref.npy" >/dev/null
  # A network imported from PyTorch: the interpreter's logits (which the
  # harness requires of the compiled code) are PyTorch's qnnpack engine's.
  if [[ -f "${work}/${function}.pytorch.npy" ]]; then
    /usr/bin/python3 - "${work}/${function}.ref.npy" \
      "${work}/${function}.pytorch.npy" <<'PY'
import sys
import numpy as np
ours, theirs = (np.load(path).reshape(-1) for path in sys.argv[1:])
differ = int((ours != theirs).sum())
print(f"{sys.argv[1]}: {differ} of {ours.size} logits differ from PyTorch qnnpack's")
sys.exit(differ != 0)
PY
  fi
done

qopt_log "building the harness"
# GEMMLOWP_ENABLE_AVX2 selects gemmlowp's best x86 kernels. The parallel
# kernels need qopt's runtime (libQOptRuntime.a); the two-thread harness
# links the one-thread layer kernels too, to time them side by side with
# the parallel ones. oneDNN's GNU OpenMP calls
# are served by LLVM's OpenMP runtime (libomp implements the GOMP_* entry
# points), which the harness also times against qopt's: -lomp comes first.
link_harness() {
  local output="$1" define="$2" objects=("${@:3}")
  clang++-22 -std=c++17 -O2 -march=native -DGEMMLOWP_ENABLE_AVX2 ${define} \
    -I "${work}" -I "${bench}" -I "${QOPT_SRC_ROOT}/include" \
    "${bench}/harness.cpp" "${objects[@]}" \
    "${QOPT_BUILD_DIR}/lib/libQOptRuntime.a" -L "${QOPT_LLVM_PREFIX}/lib" -lomp \
    -ldnnl -lXNNPACK -lpthreadpool -lpthread \
    -Wl,-rpath,"${QOPT_LLVM_PREFIX}/lib" -fuse-ld=lld -o "${output}"
}
link_harness "${work}/harness" "" "${work}"/*.o
if [[ -z "${QOPT_BENCH_PIPELINE:-}" ]]; then
  link_harness "${work}/harness-parallel" "-DQOPT_BENCH_PARALLEL -fopenmp=libomp" \
    "${kernels[@]/%.mlir/.o}" "${work}"/parallel/*.o
else
  cp "${work}/harness" "${work}/harness-parallel"
fi

# One thread pinned to one core, then two threads on two cores, each
# QOPT_BENCH_RUNS times (the report keeps the better run of each cell: the
# machine is shared). oneDNN and PyTorch thread with OpenMP. Where the
# scheduler permits it (root), the timed processes run at real-time
# priority (SCHED_FIFO), so that the builds of others on the machine do not
# preempt their threads: two-thread cells otherwise wait at every barrier
# for a thread another process holds.
priority=()
if chrt -f 50 true 2>/dev/null; then
  priority=(chrt -f 50)
fi
run() {
  local threads="$1" cpus="$2" i
  for ((i = 1; i <= ${QOPT_BENCH_RUNS:-2}; ++i)); do
    qopt_log "run ${i}: ${threads} thread(s) on cores ${cpus}${priority[*]:+, ${priority[*]}}"
    local harness="${work}/harness"
    ((threads > 1)) && harness="${work}/harness-parallel"
    OMP_NUM_THREADS="${threads}" "${priority[@]}" taskset -c "${cpus}" \
      "${harness}" "${work}" "${threads}"
    OMP_NUM_THREADS="${threads}" "${priority[@]}" taskset -c "${cpus}" \
      /usr/bin/python3 "${bench}/torch_cells.py" "${work}" "${work}" "${threads}"
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
for var in QOPT_BENCH_RUNS QOPT_BENCH_TARGET QOPT_BENCH_PIPELINE \
  QOPT_BENCH_CELLS; do
  if [[ -n "${!var:-}" ]]; then
    command="${var}='${!var}' ${command}"
  fi
done
# A run of some of the cells must not replace the full tables.
doc="${QOPT_SRC_ROOT}/docs/performance.md"
if [[ -n "${QOPT_BENCH_CELLS:-}" ]]; then
  cp "${doc}" "${work}/performance.md"
  doc="${work}/performance.md"
fi
# The AArch64 kernels' static estimate (there is no ARM hardware here),
# after the tables. Without llvm-mca, or if the estimate fails otherwise,
# the section says so and the run goes on.
arm_section="${work}/arm_mca.md"
if ! QOPT_BUILD_DIR="${QOPT_BUILD_DIR}" LLVM_BIN="${llvm}" \
  "${bench}/arm_mca.sh" >"${arm_section}" 2>"${work}/arm_mca.log"; then
  {
    echo "### AArch64 kernels: static estimate (llvm-mca)"
    echo
    echo "Not estimated in this run: \`bench/arm_mca.sh\` failed:"
    echo "\`$(head -n 1 "${work}/arm_mca.log")\`."
  } >"${arm_section}"
fi
python3 "${bench}/report.py" "${doc}" "${command}" --append "${arm_section}" \
  --compile-times "${work}/compile-times.tsv" --params "${work}/params.json" \
  "${results[@]}"
qopt_log "tables written to ${doc#"${QOPT_SRC_ROOT}"/}"
