#!/usr/bin/env bash
#===- report.sh - The numerics report of an imported PyTorch model --------===#
#
# Part of the qopt project.
#
#===----------------------------------------------------------------------===#
#
#   examples/digits_qat/report.sh [OUT_DIR]
#
# Trains the small CNN of test/PyTorch/Inputs/digits_qat.py (quantization-
# aware, PyTorch's qnnpack qconfig, on scikit-learn's load_digits), exports
# the prepared model with qopt_torch (the float level with its observers'
# ranges, qnn.numerics = "pytorch-qnnpack"), writes `qopt-run --report` of it
# on the 397 test images into OUT_DIR/report, and copies the table and the
# plots to docs/numerics/digits_qat, which docs/numerics.md shows. About 20
# seconds; needs Debian's python3-torch and python3-sklearn in
# /usr/bin/python3. Uses build/ (QOPT_BUILD_DIR).
#
#===----------------------------------------------------------------------===#
set -euo pipefail
src="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bin="${QOPT_BUILD_DIR:-${src}/build}/bin"
out="${1:-${src}/build/examples/digits_qat}"
docs="${src}/docs/numerics/digits_qat"

mkdir -p "${out}" "${docs}"
PYTHONPATH="${src}/python" /usr/bin/python3 \
  "${src}/test/PyTorch/Inputs/digits_qat.py" train qnnpack "${out}"
# From OUT_DIR, so that the report names layers by prepared.mlir:LINE:COL.
(cd "${out}" && rm -rf report &&
  "${bin}/qopt-run" prepared.mlir --input images.npy --report=report)
for file in report.md sqnr.svg saturation.svg error-histogram.svg; do
  cp "${out}/report/${file}" "${docs}/${file}"
done
cp "${out}/prepared.mlir" "${docs}/prepared.mlir"
echo "updated docs/numerics/digits_qat; copy the table of report.md to" \
  "docs/numerics.md"
