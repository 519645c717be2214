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
# invalid IR with a located error and a non-zero exit status.
#
#===-----------------------------------------------------------------------===#

set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"

model="${1:-${QOPT_SRC_ROOT}/examples/tiny_cnn/model.mlir}"

qopt_install_deps
qopt_build qopt

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

qopt_log "done: every stage verified"
