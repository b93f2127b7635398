#!/bin/sh
# scripts/code_size.sh - the size of the code, for issue reviews: files by
# lines and functions by lines (Universal Ctags' start and end lines), over
# the C, C++ and CUDA sources git tracks in core/ cli/ sim/ gpu/ kernels/.
#   sh scripts/code_size.sh [LIMIT_FN [LIMIT_FILE]]   (defaults 120, 900)
# Prints the files over LIMIT_FILE lines, the functions over LIMIT_FN lines
# (outside data tables there should be none), and the totals.
set -eu
fn_limit=${1:-120}
file_limit=${2:-900}
files=$(git ls-files 'core/*.[ch]' 'cli/*.[ch]' 'sim/*.[ch]' 'sim/*.cpp' 'gpu/*.[ch]' \
  'gpu/*.cu' 'kernels/*.cu' 'kernels/*.cuh' 'kernels/*.h')
echo "files over $file_limit lines:"
# shellcheck disable=SC2086
wc -l $files | grep -v ' total$' | sort -rn |
  awk -v l="$file_limit" '$1 > l { printf "  %6d %s\n", $1, $2; n++ }
    END { printf "  (%d files)\n", n }'
echo "functions over $fn_limit lines:"
# shellcheck disable=SC2086
ctags --languages=C,C++,CUDA --langmap=C++:+.cuh --kinds-C=f --kinds-C++=f \
  --kinds-CUDA=f --fields=+ne -f - $files 2>/dev/null |
  awk -F'\t' -v l="$fn_limit" '{
      s = e = 0
      for (i = 4; i <= NF; i++) {
        if ($i ~ /^line:/) s = substr($i, 6)
        if ($i ~ /^end:/) e = substr($i, 5)
      }
      if (s && e) { n++; len = e - s + 1; if (len > l) { printf "  %6d %s:%d %s\n", len, $2, s, $1; over++ } }
    } END { printf "  (%d of %d functions)\n", over, n }' | sort -rn
# shellcheck disable=SC2086
echo "total: $(cat $files | wc -l) lines in $(echo $files | wc -w) files"
