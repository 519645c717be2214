#!/usr/bin/env bash
#===- report.sh - The numerics report of torchvision's networks ----------===#
#
# Part of the qopt project.
#
#===----------------------------------------------------------------------===#
#
#   examples/torchvision/report.sh [OUT_DIR]
#
# Builds torchvision's quantizable MobileNetV2 and ResNet-18 as
# generate.py does (random weights, fused, calibrated on random images with
# PyTorch's qnnpack qconfig), exports the calibrated models before
# conversion (the float level with the observers' ranges, qnn.numerics =
# "pytorch-qnnpack"), writes `qopt-run --report` of each on 4 random 64x64
# images into OUT_DIR/<name>-report, and copies the tables and plots to
# docs/numerics/<name>, which docs/numerics.md shows. About two minutes;
# needs Debian's python3-torch and python3-torchvision in /usr/bin/python3.
# Uses build/ (QOPT_BUILD_DIR).
#
#===----------------------------------------------------------------------===#
set -euo pipefail
src="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bin="${QOPT_BUILD_DIR:-${src}/build}/bin"
out="${1:-${src}/build/examples/torchvision-report}"

mkdir -p "${out}"
PYTHONPATH="${src}/python" /usr/bin/python3 \
  "${src}/examples/torchvision/generate.py" "${out}" --size 64 --batch 4 \
  --prepared
for name in mobilenet_v2 resnet18; do
  docs="${src}/docs/numerics/${name}"
  mkdir -p "${docs}"
  # From OUT_DIR, so that the report names layers by <name>.prepared.mlir.
  (cd "${out}" && rm -rf "${name}-report" &&
    "${bin}/qopt-run" "${name}.prepared.mlir" --input "${name}.input.npy" \
      --report="${name}-report")
  for file in report.md sqnr.svg saturation.svg error-histogram.svg; do
    cp "${out}/${name}-report/${file}" "${docs}/${file}"
  done
done
echo "updated docs/numerics/{mobilenet_v2,resnet18}; summarize them in" \
  "docs/numerics.md"
