#!/bin/sh
# results/2026-12-05-h200-compute/analyze.sh - the simulated half and the
# tables, from what the device run left in this folder (r/ unpacked from
# r.tar.gz). Run from the repository root after `cmake --build build`:
#   sh results/2026-12-05-h200-compute/analyze.sh
exec sh scripts/analyze_device_run.sh results/2026-12-05-h200-compute h200
