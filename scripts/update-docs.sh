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
# every change to an op, attribute or dialect description.
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
