#!/usr/bin/env bash
# Sets everything up, then runs the whole test suite: every CTest test of the Release build (GUI tests under Xvfb;
# -noreset because VTK aborts if the server resets between windows), then the bad-input suites again under
# AddressSanitizer/UBSan and a 30 s libFuzzer session on the DICOM reader (scripts/sanitizers.sh, tests/fuzz/README.md).
#
#   scripts/test.sh [CTEST ARGS...]          e.g. scripts/test.sh -L imaging
#   CONSILIUM_SANITIZERS=0 scripts/test.sh   the Release suite only (a quick loop while developing)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
(cd build && xvfb-run -a -s '-screen 0 1920x1080x24 -noreset' \
   ctest --output-on-failure --timeout 600 -j "$(nproc)" "$@")
if [ "${CONSILIUM_SANITIZERS:-1}" != 0 ]; then
  scripts/sanitizers.sh
fi
