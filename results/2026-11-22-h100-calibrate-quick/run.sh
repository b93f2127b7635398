#!/bin/sh
set -u
B=build-cal/carry
export LD_LIBRARY_PATH=$B:/usr/local/cuda/lib64
s=$(date +%s); $B/kvsim-calibrate --quick --lua $OUT/h100-quick.lua > $OUT/calibrate-quick.txt 2>&1; echo "rc=$? wall=$(( $(date +%s) - s )) s"
grep -E "sm_duplex|SM copy both" $OUT/calibrate-quick.txt $OUT/h100-quick.lua
