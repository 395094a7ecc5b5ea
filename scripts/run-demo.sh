#!/usr/bin/env bash
# Sets everything up (packages, build), creates the built-in demo case if it is not there yet, and opens the
# workstation on it. Uses $CONSILIUM_HOME (default ~/.local/share/consilium).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
consilium=build/bin/consilium
# `consilium demo` is idempotent; its last line starts with the demo case's reference.
reference=$("$consilium" demo | tee /dev/stderr | tail -n1 | cut -d' ' -f1)
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  echo "run-demo: no display found; starting the workstation under Xvfb is only useful for tests." >&2
  exit 1
fi
exec "$consilium" --user "${CONSILIUM_USER:-Demo Board Chair}" --role "${CONSILIUM_ROLE:-board-chair}" \
     ${reference:+--case "$reference"} "$@"
