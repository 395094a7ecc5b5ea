#!/bin/sh
# copy_seeds.sh SEED_DIR MAX_BYTES NAME_PATTERN PATH...: (re)creates SEED_DIR from files (taken as they are) and
# folders (their files matching NAME_PATTERN, a find -iname glob, of at most MAX_BYTES). Missing paths are skipped
# (../shared/data may be absent): the corpus may end up empty, and the fuzzer still runs.
set -eu
out=$1
max=$2
pattern=$3
shift 3
rm -rf "$out"
mkdir -p "$out"
for path in "$@"; do
  if [ -f "$path" ]; then
    cp "$path" "$out/"
  elif [ -d "$path" ]; then
    find "$path" -type f -iname "$pattern" -size -"$((max + 1))"c | LC_ALL=C sort | while IFS= read -r file; do
      rel=${file#"$path"/}
      cp "$file" "$out/$(basename "$path")_$(printf '%s' "$rel" | tr '/ ' '__')"
    done
  else
    echo "copy_seeds: $path is absent"
  fi
done
echo "copy_seeds: $(find "$out" -type f | wc -l) seed files ($(du -sb "$out" | cut -f1) bytes) in $out"
