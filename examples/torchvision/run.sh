#!/usr/bin/env bash
#===- run.sh - torchvision's quantizable networks through qopt -----------===#
#
# Part of the qopt project.
#
#===----------------------------------------------------------------------===#
#
#   examples/torchvision/run.sh [OUT_DIR]
#
# Generates MobileNetV2 and ResNet-18 (generate.py), runs each with the
# reference interpreter at the integer level and compiled for the host with
# one and two threads, and compares: the three qopt results must be equal
# bit for bit; the differences from PyTorch's engines are counted. Minutes,
# not part of the default test suite. Uses build/ (QOPT_BUILD_DIR).
#
#===----------------------------------------------------------------------===#
set -euo pipefail
src="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bin="${QOPT_BUILD_DIR:-${src}/build}/bin"
out="${1:-${src}/build/examples/torchvision}"
python=/usr/bin/python3

PYTHONPATH="${src}/python" "${python}" "${src}/examples/torchvision/generate.py" "${out}"
for name in mobilenet_v2 resnet18; do
  model="${out}/${name}.mlir"
  input="${out}/${name}.input.npy"
  "${bin}/qopt-run" "${model}" --integer --input "${input}" \
    --output "${out}/${name}.interpreter.npy"
  OMP_NUM_THREADS=1 "${bin}/qopt-run" "${model}" --jit --target=host \
    --input "${input}" --output "${out}/${name}.host1.npy"
  OMP_NUM_THREADS=2 "${bin}/qopt-run" "${model}" --jit --target=host \
    --parallel --input "${input}" --output "${out}/${name}.host2.npy"
  "${python}" "${src}/examples/torchvision/compare.py" "${out}" "${name}"
done
