#!/usr/bin/env bash
#===- update-docs.sh - Refresh the generated dialect docs -----------------===#
#
# Part of the qopt project.
#
#===-----------------------------------------------------------------------===#
#
# Usage: scripts/update-docs.sh [BUILD_DIR]
#
# Builds the `mlir-doc` target of a configured build directory (default:
# `build` in the source tree; a relative BUILD_DIR is taken relative to the
# current directory) and copies the markdown that mlir-tblgen generates from
# the ODS files into docs/Dialects/ of the source tree, where it is committed.
# test/Docs/docs-up-to-date.test fails when the two differ, so run this after
# every change to an op, attribute or dialect description. It also
# regenerates the numerics report of examples/tiny_cnn that docs/numerics.md
# shows (test/Analysis/numerics-example-up-to-date.test checks it).
#
#===-----------------------------------------------------------------------===#

set -euo pipefail

src_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${1:-${src_root}/build}"

if [[ ! -f "${build_dir}/CMakeCache.txt" ]]; then
  echo "error: '${build_dir}' is not a configured build directory" >&2
  echo "usage: $0 [BUILD_DIR]" >&2
  exit 1
fi

# The files produced by add_mlir_doc under include/qopt, relative to docs/;
# keep in sync with test/Docs/docs-up-to-date.test.
docs=(Dialects/QNNDialect Passes/QNNPasses Passes/QOptConversionPasses
  Passes/QOptX86Passes Passes/QOptARMPasses Passes/QOptCodegenPasses)

cmake --build "${build_dir}" --target mlir-doc

for doc in "${docs[@]}"; do
  generated="${build_dir}/docs/${doc}.md"
  committed="${src_root}/docs/${doc}.md"
  mkdir -p "$(dirname "${committed}")"
  if cmp -s "${generated}" "${committed}"; then
    echo "unchanged: docs/${doc}.md"
  else
    cp "${generated}" "${committed}"
    echo "updated:   docs/${doc}.md"
  fi
done

# The example of docs/numerics.md; its table is copied there by hand.
cmake --build "${build_dir}" --target qopt-run
report="$(mktemp -d)"
(cd "${src_root}" && "${build_dir}/bin/qopt-run" examples/tiny_cnn/model.mlir \
  --input examples/tiny_cnn/input.npy --report="${report}")
for file in report.md sqnr.svg saturation.svg error-histogram.svg; do
  committed="${src_root}/docs/numerics/tiny_cnn/${file}"
  if cmp -s "${report}/${file}" "${committed}"; then
    echo "unchanged: docs/numerics/tiny_cnn/${file}"
  else
    cp "${report}/${file}" "${committed}"
    echo "updated:   docs/numerics/tiny_cnn/${file}"
  fi
done
rm -rf "${report}"
if ! grep -qF "$(grep '^| 1 |' "${src_root}/docs/numerics/tiny_cnn/report.md")" \
    "${src_root}/docs/numerics.md"; then
  echo "docs/numerics.md: copy the table of docs/numerics/tiny_cnn/report.md"
fi
