#!/usr/bin/env bash
#===- networks.sh - The real networks on every target ---------------------===#
#
# Part of the qopt project.
#
#===-----------------------------------------------------------------------===#
#
# Usage: scripts/networks.sh [differential.py options]
#
# Writes MobileNetV2 and ResNet-18 at 224x224 (examples/networks: torchvision's
# structures, random weights), compiles each from the float level for every
# target this machine runs (x86 natively, AArch64 under qemu; override with
# --targets=...) and compares the 1000 logits of one image with the
# interpreter's, bit for bit (test/Utils/differential.py). The suite runs
# MobileNetV2 (test/Integration/Networks); ResNet-18's 1.8 G multiply-adds
# under qemu take a minute or more, so it runs here. Ends with "N failed";
# a failure prints the command that reproduces it, and its files stay in
# ${QOPT_BUILD_DIR}/networks.
#
#===-----------------------------------------------------------------------===#

set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"

qopt_install_deps
qopt_build qopt qopt-run qopt-compile

targets="$(qopt_runnable_targets)"
work="${QOPT_BUILD_DIR}/networks"
rm -rf "${work}"
mkdir -p "${work}/models"
qopt_log "MobileNetV2 and ResNet-18 on ${targets}"
for network in mobilenet_v2 resnet18; do
  python3 "${QOPT_SRC_ROOT}/examples/networks/${network}.py" \
    -o "${work}/models/${network}.mlir"
done
python3 "${QOPT_SRC_ROOT}/test/Utils/differential.py" \
  --tools "${QOPT_BUILD_DIR}/bin" --work "${work}/run" \
  --targets "${targets}" \
  --aarch64-openmp "${QOPT_BUILD_DIR}/deps/aarch64-openmp" --jobs 1 "$@" \
  "${work}/models/mobilenet_v2.mlir" "${work}/models/resnet18.mlir"
