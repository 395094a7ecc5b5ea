#!/usr/bin/env bash
# Builds and runs the benchmarks under tests/bench/; each prints Consilium's figure, the peer's and the ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# Under Xvfb: the 3D benchmark needs an X display (VTK on Debian is GLX only); the others ignore it.
for b in build/bench/*; do
  echo "== $(basename "$b")"
  xvfb-run -a -s '-screen 0 1920x1080x24 -noreset' "$b"
done
