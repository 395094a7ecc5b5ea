#!/bin/sh
# replay.sh FUZZER INPUT...: runs FUZZER once on each INPUT (files that once made it fail: tests/fuzz/regressions/);
# fails when one still does. No INPUT passes (libFuzzer given no file would start fuzzing instead).
set -eu
fuzzer=$1
shift
if [ "$#" -eq 0 ]; then
  echo "replay: no inputs"
  exit 0
fi
here=$(cd "$(dirname "$0")" && pwd)
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$here/lsan.supp:print_suppressions=0}"
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}allocator_may_return_null=1"  # as in run_fuzzer.sh
exec "$fuzzer" -rss_limit_mb=2048 -malloc_limit_mb=4352 -timeout=20 "$@"  # limits: see run_fuzzer.sh
