#!/usr/bin/env bash
#===- test.sh - Install, build and run every qopt test --------------------===#
#
# Part of the qopt project.
#
#===-----------------------------------------------------------------------===#
#
# Usage: scripts/test.sh [--sanitize] [LIT_ARGS...]
#
# Installs missing Debian packages, builds what the tests need, runs the lit
# regression tests (test/) and the gtest unit tests (unittests/) in one lit
# run, and ends with the line "N passed, N failed". Exits non-zero when any
# test failed or could not run.
#
# --sanitize (or QOPT_SANITIZE=1): the same suite, built with AddressSanitizer
# and UndefinedBehaviorSanitizer in build-sanitize/ (see bootstrap.sh); any
# report fails its test.
#
#===-----------------------------------------------------------------------===#

set -euo pipefail
if [[ "${1:-}" == --sanitize ]]; then
  export QOPT_SANITIZE=1
  shift
fi
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"

qopt_install_deps
qopt_build qopt-test-depends

qopt_log "running tests"
results="${QOPT_BUILD_DIR}/test-results.json"
rm -f "${results}"
status=0
"${QOPT_LLVM_PREFIX}/bin/lit" -sv -o "${results}" "$@" \
  "${QOPT_BUILD_DIR}/test" "${QOPT_BUILD_DIR}/unittests" || status=$?

# lit's JSON report has one entry per test; expected failures count as
# passes, unexpected passes and unresolved tests as failures. Unsupported
# tests did not run and are not counted.
if [[ ! -f "${results}" ]]; then
  echo "0 passed, 1 failed"
  exit 1
fi
python3 - "${results}" <<'PY'
import json, sys
codes = [t["code"] for t in json.load(open(sys.argv[1]))["tests"]]
passed = sum(c in ("PASS", "XFAIL") for c in codes)
failed = sum(c in ("FAIL", "XPASS", "UNRESOLVED", "TIMEOUT") for c in codes)
print(f"{passed} passed, {failed} failed")
PY
exit "${status}"
