#!/usr/bin/env bash
# Sets everything up, then runs the whole test suite through CTest. GUI tests need an X display: the suite runs
# under Xvfb (-noreset: VTK aborts if the server resets between windows).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cd build
exec xvfb-run -a -s '-screen 0 1920x1080x24 -noreset' \
     ctest --output-on-failure --timeout 600 -j "$(nproc)" "$@"
