#!/bin/sh
# results/2026-12-07-vllm-serving-predictions-layer-rate/run.sh BUILD OUT - the
# same runs as results/2026-12-07-vllm-serving-predictions/run.sh (which this
# calls), written here, with the default profile of the day (compute at the
# layer's rate).
set -eu
exec results/2026-12-07-vllm-serving-predictions/run.sh "${1:-build}" \
  "${2:-results/2026-12-07-vllm-serving-predictions-layer-rate}"
