#!/usr/bin/env bash
#===- run-example.sh - The README's main command ---------------------------===#
#
# Part of the qopt project.
#
#===-----------------------------------------------------------------------===#
#
# Usage: scripts/run-example.sh [MODEL.mlir]
#
# Installs missing Debian packages, builds qopt, and takes the bundled model
# (default: examples/tiny_cnn/model.mlir) through every stage qopt implements
# today, printing the IR of each stage. Each stage is verified: qopt rejects
# invalid IR with a located error and a non-zero exit status. Then it runs
# the model on an input (INPUT.npy beside the model, else a random one) three
# ways: the reference interpreter on the integer level, the model compiled
# just in time (qopt-run --jit) and, for the bundled model, compiled ahead of
# time into a C application (qopt-compile, examples/tiny_cnn/main.c). It
# fails unless the three results are identical bit for bit.
#
#===-----------------------------------------------------------------------===#

set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"

model="${1:-${QOPT_SRC_ROOT}/examples/tiny_cnn/model.mlir}"

qopt_install_deps
qopt_build qopt qopt-run qopt-compile

qopt="${QOPT_BUILD_DIR}/bin/qopt"
# Weights are long; the structure is what each stage changes.
print_flags=(--mlir-elide-elementsattrs-if-larger=8)

qopt_log "float model, parsed and verified (${model#"${QOPT_SRC_ROOT}"/})"
"${qopt}" "${print_flags[@]}" "${model}"

# TFLite's scheme: int8 activations, per-channel int8 weights in [-127, 127].
# Each pass's output follows its "IR Dump After" header.
pipeline=(
  --qopt-fold-batch-norm
  --qopt-propagate-quant-params=scheme=tflite
  --qopt-rewrite-multipliers
  --qopt-expand-zero-points
)
qopt_log "the stages of ${pipeline[*]}"
"${qopt}" "${print_flags[@]}" --mlir-print-ir-after-all "${pipeline[@]}" \
  "${model}" -o /dev/null 2>&1

qopt_log "the compiled model against the reference interpreter"
bin="${QOPT_BUILD_DIR}/bin"
work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT
"${qopt}" "${pipeline[@]}" "${model}" -o "${work}/integer.mlir"
# The bundled input.npy was made by `qopt-run model.mlir --random-inputs=1712
# --save-inputs DIR` (DIR/input0.npy): uniform in [-1, 1], reproducible.
input="$(dirname "${model}")/input.npy"
if [[ ! -f "${input}" ]]; then
  "${bin}/qopt-run" "${model}" --random-inputs=1 --save-inputs "${work}" \
    --output /dev/null
  input="${work}/input0.npy"
fi
echo "input: ${input#"${QOPT_SRC_ROOT}"/}"
# qopt-run prints the shortest decimal that reads back to each value, so
# equal lines are equal bits.
interpreted="$("${bin}/qopt-run" "${work}/integer.mlir" --input "${input}")"
# --target=host: the layer kernels of the best target this CPU has
# (x86-amx, x86-avx512ifma, x86-avx512vnni, x86-avx2, aarch64-*; generic
# elsewhere).
jitted="$("${bin}/qopt-run" "${model}" --jit --target=host --input "${input}")"
echo "interpreter (integer level): ${interpreted}"
echo "compiled, JIT (--jit):       ${jitted}"
[[ "${interpreted}" == "${jitted}" ]] ||
  { echo "the JIT-compiled result differs from the interpreter's" >&2; exit 1; }

if [[ "${model}" -ef "${QOPT_SRC_ROOT}/examples/tiny_cnn/model.mlir" ]]; then
  example="${QOPT_SRC_ROOT}/examples/tiny_cnn"
  "${bin}/qopt-compile" "${model}" --target=host -o "${work}/tiny_cnn.o" \
    --header "${work}/tiny_cnn.h"
  clang-22 -std=c99 -O2 -I"${work}" "${example}/main.c" "${work}/tiny_cnn.o" \
    -lm -o "${work}/tiny_cnn"
  "${work}/tiny_cnn" "${input}" "${work}/aot.npy"
  "${bin}/qopt-run" "${work}/integer.mlir" --input "${input}" \
    --output "${work}/interpreted.npy"
  # npy.py prints each float32 widened to a double.
  echo "compiled, AOT (main.c):      $(python3 \
    "${QOPT_SRC_ROOT}/test/Utils/npy.py" print "${work}/aot.npy")"
  python3 "${QOPT_SRC_ROOT}/test/Utils/npy.py" compare "${work}/aot.npy" \
    "${work}/interpreted.npy" >/dev/null ||
    { echo "the AOT-compiled result differs from the interpreter's" >&2; exit 1; }
fi

qopt_log "done: every stage verified, compiled results identical to the interpreter's"
