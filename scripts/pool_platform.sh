#!/bin/sh
# scripts/pool_platform.sh - a platform from several calibrations of one
# kind of card (kvsim.calibration.pool: each curve and constant the median
# of theirs), optionally with a compute table, written as a Lua platform
# file that validate_open.lua and kv.run take.
#   sh scripts/pool_platform.sh OUT.lua NAME BASE_PRESET COMPUTE_TABLE|- CALIBRATE.txt...
# e.g. sh scripts/pool_platform.sh /tmp/p.lua h100-pooled h100-sxm-80gb \
#        results/2026-12-05-h100-fresh/compute_table.csv \
#        results/2026-12-05-h100-stepgap/r/calibrate.txt results/2026-12-05-h100-fresh/r/calibrate.txt
set -eu
[ $# -ge 5 ] || { echo "usage: $0 OUT.lua NAME BASE_PRESET COMPUTE_TABLE|- CALIBRATE.txt..." >&2; exit 2; }
out=$1; name=$2; base=$3; table=$4
shift 4
for c in "$@"; do
  [ -f "$c" ] || { echo "$0: $c: no such calibration report" >&2; exit 1; }
done
{
  echo "-- $name: the calibrations below pooled (scripts/pool_platform.sh)"
  echo 'local cal = require("kvsim").calibration'
  echo 'local cals = {}'
  for c in "$@"; do echo "cals[#cals + 1] = cal.read(\"$c\")"; done
  echo "local t = cal.platform_fields(cal.pool(cals), \"$base\")"
  echo "t.name = \"$name\""
  [ "$table" = - ] || echo "t.compute_table = \"$table\""
  echo 'return t'
} > "$out"
