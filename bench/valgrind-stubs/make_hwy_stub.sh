#!/usr/bin/env bash
# Builds DIR/libhwy.so.1: the exported functions of the installed libhwy,
# each aborting, under its symbol version, with no initialiser. See
# README.md beside this script.
set -euo pipefail
out=${1:?usage: make_hwy_stub.sh DIR}
real=${LIBHWY:-/lib/x86_64-linux-gnu/libhwy.so.1}
[[ -f $real ]] || { echo "make_hwy_stub.sh: $real not found" >&2; exit 1; }
mkdir -p "$out"
{
  echo '#include <stdlib.h>'
  nm -D --defined-only "$real" | awk '$2 == "T" { sub(/@.*/, "", $3); print $3 }' |
    sort -u | while read -r name; do echo "void $name(void) { abort(); }"; done
} > "$out/hwy_stub.c"
echo 'HWY_0 { global: *; };' > "$out/hwy.map"
cc -shared -fPIC -o "$out/libhwy.so.1" -Wl,-soname,libhwy.so.1 \
  -Wl,--version-script="$out/hwy.map" "$out/hwy_stub.c"
echo "$out/libhwy.so.1"
