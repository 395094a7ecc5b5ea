#!/bin/sh
# slide_seeds.sh SEED_DIR FUZZER SLIDES_DIR: the seed corpus of fuzz_slide_open. Each input's first byte picks the
# file name's extension (fuzz_slide_open.cpp), so every slide under SLIDES_DIR (../shared/data/slides; skipped when
# absent) gets the byte of its own extension in front; the fuzzer itself adds a small synthetic Aperio slide.
set -eu
out=$1
fuzzer=$2
slides=$3
rm -rf "$out"
mkdir -p "$out"
CONSILIUM_FUZZ_MAKE_SEED="$out/synthetic-aperio.svs" "$fuzzer"
if [ -d "$slides" ]; then
  find "$slides" -type f | LC_ALL=C sort | while IFS= read -r file; do
    case "$file" in  # the order of kExtensions in fuzz_slide_open.cpp
      *.svs) byte='\000' ;; *.tif|*.tiff) byte='\001' ;; *.ndpi) byte='\002' ;; *.scn) byte='\003' ;;
      *.bif) byte='\004' ;; *.vms) byte='\005' ;; *.svslide) byte='\006' ;; *) continue ;;
    esac
    seed="$out/$(basename "$file")"
    printf "$byte" >"$seed"
    cat "$file" >>"$seed"
  done
else
  echo "slide_seeds: $slides is absent; only the synthetic slide"
fi
echo "slide_seeds: $(find "$out" -type f | wc -l) seed files ($(du -sb "$out" | cut -f1) bytes) in $out"
