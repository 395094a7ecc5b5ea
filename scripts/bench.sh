#!/usr/bin/env bash
# Builds and runs the benchmarks under tests/bench/; each prints Consilium's figure, the peer's and the ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
for b in build/bench/*; do
  echo "== $(basename "$b")"
  "$b"
done
