#!/bin/bash
# tests/sweeps/fake_sbatch.sh - a stand-in for sbatch (tests/sweeps/slurm.sh):
# runs the job here and now, an array job as one process per task with
# SLURM_ARRAY_TASK_ID set (the ids of its #SBATCH --array= line), and
# prints a job id for --parsable. Every call is logged to $FAKE_SBATCH_LOG;
# a plain job's stdout goes to $FAKE_SBATCH_OUT.
set -euo pipefail
file=${!#}
echo "sbatch $*" >> "${FAKE_SBATCH_LOG:-/dev/null}"
array=$(sed -n 's/^#SBATCH --array=//p' "$file")
if [ -n "$array" ]; then
  for part in ${array//,/ }; do
    lo=${part%-*} hi=${part#*-}
    for ((id = lo; id <= hi; id++)); do
      SLURM_ARRAY_TASK_ID=$id bash "$file" > /dev/null
    done
  done
else
  bash "$file" >> "${FAKE_SBATCH_OUT:-/dev/null}"
fi
echo $$
