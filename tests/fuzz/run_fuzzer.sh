#!/bin/sh
# run_fuzzer.sh FUZZER WORK_DIR SEED_DIR [DICT [LIBFUZZER_OPTION...]]: one bounded libFuzzer session (the CTest test
# <fuzzer>_short). DICT defaults to dicom.dict; "none" means no dictionary.
#   WORK_DIR/corpus     the inputs libFuzzer found interesting; kept between runs, so each run goes on from the last
#   WORK_DIR/artifacts  crash-*, leak-*, oom-*, timeout-* inputs (copy one to tests/fuzz/regressions/ and report it)
#   WORK_DIR/last.log   the whole session (its report is printed when it fails); last-summary.txt: final statistics
# CONSILIUM_FUZZ_SECONDS (default 30) bounds the session; CONSILIUM_FUZZ_ARGS adds libFuzzer options (e.g. -fork=2).
set -eu
fuzzer=$1
work=$2
seeds=$3
seconds=${CONSILIUM_FUZZ_SECONDS:-30}
# CONSILIUM_FUZZ_PERCENT: this target's share of CONSILIUM_FUZZ_SECONDS (the targets after fuzz_dicom_file run 15 s
# each when the session is 30 s; a longer session lengthens them alike).
seconds=$((seconds * ${CONSILIUM_FUZZ_PERCENT:-100} / 100))
here=$(cd "$(dirname "$0")" && pwd)
dict=$here/dicom.dict
if [ "$#" -ge 4 ]; then
  dict=$4
  [ "$dict" = none ] && dict=
  shift 4
else
  shift 3
fi
mkdir -p "$work/corpus" "$work/artifacts" "$seeds"

# Limits (the same in replay.sh):
#   -rss_limit_mb=2048    memory actually used; more is a finding (a header that makes the reader fill gigabytes).
#   -malloc_limit_mb=4352 one allocation. DCMTK 3.6.7 reserves a value's declared length (up to 4 GB, Uint32) before
#                         it notices that the file is shorter (regressions/dcmtk-declared-length-beyond-file.dcm: 542
#                         bytes, malloc(3.6 GB), then "premature end of stream"); those pages are never touched, so
#                         that is tolerated. Anything above 4 GB + a margin can only come from size arithmetic past
#                         32 bits, such as Rows x Columns x Samples x 4 in the decoder: a finding.
#   -timeout=20           seconds for one input; longer is a finding (a hang).
# The dictionary holds DICOM's tokens (tags, VRs, transfer syntaxes), so mutations land on the header fields.
# Third-party leaks that Consilium cannot fix, each with its reason (lsan.supp), unless the caller chose others.
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$here/lsan.supp:print_suppressions=0}"
# allocator_may_return_null=1: malloc, posix_memalign and new(nothrow) return NULL when memory runs out, as they do
# outside ASan, so C libraries that check for it (OpenJPEG asked for 34 GB on regressions/openjpeg-siz-taller-than-
# header.dcm and failed cleanly) are not reported. A throwing operator new that fails is still reported by ASan.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}allocator_may_return_null=1"
status=0
# shellcheck disable=SC2086
"$fuzzer" -max_total_time="$seconds" -rss_limit_mb=2048 -malloc_limit_mb=4352 -timeout=20 -print_final_stats=1 \
  ${dict:+-dict="$dict"} -artifact_prefix="$work/artifacts/" "$@" ${CONSILIUM_FUZZ_ARGS:-} "$work/corpus" "$seeds" \
  >"$work/last.log" 2>&1 || status=$?
if [ "$status" -ne 0 ]; then
  # The report without the progress lines (thousands in a long session; the whole session stays in last.log).
  grep -v -E '^#[0-9]+[[:space:]]+(NEW|REDUCE|pulse|RELOAD)|^[[:space:]]+NEW_FUNC' "$work/last.log" || true
  echo "run_fuzzer: $fuzzer failed (exit $status); inputs in $work/artifacts/"
  exit "$status"
fi
summary=$work/last-summary.txt
{
  grep -E '^(INFO: seed corpus|#[0-9]+[[:space:]]+(INITED|DONE)|Done [0-9]+ runs|stat::)' "$work/last.log" || true
  grep -E '^INFO: -fork=' "$work/last.log" || true                 # -fork=N reports this way
  grep -E '^#[0-9]+: cov:' "$work/last.log" | tail -n 1 || true
  echo "corpus: $(find "$work/corpus" -type f | wc -l) files, $(du -sk "$work/corpus" | cut -f1) kB in $work/corpus"
} >"$summary"
cat "$summary"
