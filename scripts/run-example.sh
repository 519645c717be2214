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

stage() {
  qopt_log "stage $1: $2"
}
stage "1/5" "float model, parsed and verified (${model#"${QOPT_SRC_ROOT}"/})"
"${qopt}" "${print_flags[@]}" "${model}"

stage "2/5" "batch norms folded into the convolutions (--qopt-fold-batch-norm)"
"${qopt}" "${print_flags[@]}" --qopt-fold-batch-norm "${model}"

# TFLite's scheme: int8 activations, per-channel int8 weights in [-127, 127].
stage "3/5" "quantized from the range markers (--qopt-propagate-quant-params=scheme=tflite)"
"${qopt}" "${print_flags[@]}" --qopt-fold-batch-norm \
  --qopt-propagate-quant-params=scheme=tflite "${model}"

stage "4/5" "integer ops with (M0, shift) multipliers (--qopt-rewrite-multipliers)"
"${qopt}" "${print_flags[@]}" --qopt-fold-batch-norm \
  --qopt-propagate-quant-params=scheme=tflite --qopt-rewrite-multipliers \
  "${model}"

stage "5/5" "zero-point terms folded into the bias, accumulators bounded (--qopt-expand-zero-points)"
"${qopt}" "${print_flags[@]}" --qopt-fold-batch-norm \
  --qopt-propagate-quant-params=scheme=tflite --qopt-rewrite-multipliers \
  --qopt-expand-zero-points "${model}"

qopt_log "done: every stage verified"
