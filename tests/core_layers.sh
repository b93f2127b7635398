#!/bin/sh
# tests/core_layers.sh - core/ is in layers, lowest first: base inputs
# strategy engine run lua. A file may include its own layer's headers and
# those of the layers below it, never one above (CMakeLists.txt puts every
# layer on the include path, so only this check keeps the order).
#   sh tests/core_layers.sh SOURCE_DIR
# Exit 1 with one line per offending include (file:line: header, layers).
set -eu
src=${1:-.}
layers="base inputs strategy engine run lua"
rank() { # rank LAYER: its position in $layers
  i=0
  for l in $layers; do
    [ "$l" = "$1" ] && { echo $i; return; }
    i=$((i + 1))
  done
  echo 99
}
# header -> layer
map=$(for l in $layers; do for h in "$src"/core/$l/*.h; do
  [ -e "$h" ] && echo "$(basename "$h") $l"; done; done)
bad=0
for l in $layers; do
  r=$(rank "$l")
  for f in "$src"/core/$l/*.[ch]; do
    [ -e "$f" ] || continue
    # lines "N:#include "x.h""
    grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f" |
      sed 's/^\([0-9]*\):.*"\(.*\)".*/\1 \2/' > "${TMPDIR:-/tmp}/core_layers.$$"
    while read -r line hdr; do
      hl=$(echo "$map" | awk -v h="$hdr" '$1 == h { print $2 }')
      [ -n "$hl" ] || continue # not a core header
      if [ "$(rank "$hl")" -gt "$r" ]; then
        echo "core/$l/$(basename "$f"):$line: includes $hdr (layer $hl, above $l)"
        bad=1
      fi
    done < "${TMPDIR:-/tmp}/core_layers.$$"
    rm -f "${TMPDIR:-/tmp}/core_layers.$$"
  done
done
n=$(for l in $layers; do ls "$src"/core/$l/*.[ch]; done | wc -l)
[ "$bad" -eq 0 ] && echo "core_layers: $n files, no include goes up a layer"
exit $bad
