#!/bin/sh
# seed_corpus.sh SOURCE_DIR SEED_DIR [MAX_BYTES]: (re)creates SEED_DIR, the seed corpus of fuzz_dicom_file, from the
# real DICOM files under SOURCE_DIR (../shared/data/dicom). A missing SOURCE_DIR leaves SEED_DIR empty: the fuzzer
# then starts from nothing, which still works, only more slowly.
#
# Taken: every regular file of at most MAX_BYTES (default 300 kB, which takes the 263 kB character-set samples),
# except that a folder with more than 20 files (a series: slices that differ only in their values) gives its first 2.
# Added: two truncated variants of each file under single/ (the transfer-syntax and character-set zoo), one cut inside
# the header (after 600 bytes) and one at half its length, because "cut short" is the commonest damage in real life.
set -eu
src=$1
out=$2
max=${3:-307200}

rm -rf "$out"
mkdir -p "$out"
if [ ! -d "$src" ]; then
  echo "seed_corpus: $src is absent; the corpus stays empty"
  exit 0
fi

# Folders first, then files in a stable order, so that the corpus is the same on every machine.
find "$src" -type d | LC_ALL=C sort | while IFS= read -r dir; do
  n=$(find "$dir" -maxdepth 1 -type f | wc -l)
  limit=$n
  [ "$n" -gt 20 ] && limit=2
  find "$dir" -maxdepth 1 -type f | LC_ALL=C sort | head -n "$limit" | while IFS= read -r file; do
    size=$(stat -c %s "$file")
    [ "$size" -le "$max" ] || continue
    rel=${file#"$src"/}
    name=$(printf '%s' "$rel" | tr '/ ' '__')
    cp "$file" "$out/$name"
    case "$rel" in
      single/*)
        [ "$size" -gt 600 ] && head -c 600 "$file" >"$out/$name.cut600"
        head -c $((size / 2)) "$file" >"$out/$name.cuthalf"
        ;;
    esac
  done
done
files=$(find "$out" -type f | wc -l)
bytes=$(du -sb "$out" | cut -f1)
echo "seed_corpus: $files seed files ($bytes bytes) in $out from $src"
