#!/bin/bash
# scripts/slurm_array.sh - run an experiment's runs as a Slurm job array and
# merge them (docs/sweeps.md).
#
#   scripts/slurm_array.sh [--kvsim PATH] [--run-dir DIR] [--submit]
#       SCRIPT [SBATCH OPTIONS...] [-- SCRIPT ARGS...]
#
# Lists the current round of SCRIPT's runs (kvsim SCRIPT ARGS --list) and
# writes, under DIR/slurm/:
#   round-N.sbatch  an array job, one task per run still to do:
#                   kvsim SCRIPT ARGS --run $SLURM_ARRAY_TASK_ID --run-dir DIR
#   merge.sbatch    the merge step: if the next round (an adaptive
#                   experiment) has runs to do, it calls this script again
#                   with --submit; else kvsim SCRIPT ARGS --merge --run-dir DIR
# SBATCH OPTIONS (--partition=x, --time=10, --mem=4G, ...) become #SBATCH
# lines of both files. With --submit it runs
#   sbatch --parsable round-N.sbatch   and
#   sbatch --dependency=afterok:JOBID merge.sbatch
# else it prints those two commands. Tasks run in the directory this script
# was started from, with the same kvsim (default: build/kvsim next to this
# script, or $KVSIM); DIR (default kvsim-runs/SCRIPT-NAME) must be on a file
# system every node sees.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
kvsim=${KVSIM:-$here/../build/kvsim}
dir= submit=0
while [ $# -gt 0 ]; do
  case $1 in
  --kvsim) kvsim=$2; shift 2 ;;
  --run-dir) dir=$2; shift 2 ;;
  --submit) submit=1; shift ;;
  -h|--help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  -*) echo "slurm_array.sh: unknown option '$1' (SCRIPT comes first)" >&2; exit 1 ;;
  *) break ;;
  esac
done
[ $# -ge 1 ] || { echo "usage: slurm_array.sh [--kvsim PATH] [--run-dir DIR] [--submit] SCRIPT [SBATCH OPTIONS] [-- ARGS]" >&2; exit 1; }
script=$1; shift
[ -f "$script" ] || { echo "slurm_array.sh: $script: no such file" >&2; exit 1; }
sbopts=() args=()
while [ $# -gt 0 ]; do
  if [ "$1" = -- ]; then shift; args=("$@"); break; fi
  sbopts+=("$1"); shift
done
[ -x "$kvsim" ] || { echo "slurm_array.sh: kvsim not found at $kvsim (--kvsim PATH)" >&2; exit 1; }
kvsim=$(cd "$(dirname "$kvsim")" && pwd)/$(basename "$kvsim")
name=$(basename "$script" .lua)
[ -n "$dir" ] || dir=kvsim-runs/$name
mkdir -p "$dir/slurm"
dir=$(cd "$dir" && pwd)
cwd=$(pwd)

list=$("$kvsim" "$script" "${args[@]}" --list --run-dir "$dir")
todo=$(printf '%s\n' "$list" | awk -F'\t' '$3 == "todo" { print $1 }')
round=$(ls "$dir/slurm" | grep -c '^round-[0-9]*\.sbatch$' || true)
round=$((round + 1))

# "0 1 2 5 7 8" -> "0-2,5,7-8"
ranges() {
  awk 'BEGIN { ORS = "" } { v = $1 + 0
    if (NR == 1) { lo = hi = v; next }
    if (v == hi + 1) { hi = v; next }
    print (n++ ? "," : "") (lo == hi ? lo : lo "-" hi); lo = hi = v }
    END { if (NR) print (n ? "," : "") (lo == hi ? lo : lo "-" hi); print "\n" }'
}

q() { local s; s=$(printf '%q ' "$@"); printf '%s' "${s% }"; }
header() { # $1 job name
  echo "#!/bin/bash"
  echo "#SBATCH --job-name=$1"
  for o in "${sbopts[@]}"; do echo "#SBATCH $o"; done
}

merge=$dir/slurm/merge.sbatch
{
  header "kvsim-$name-merge"
  echo "#SBATCH --output=$dir/slurm/merge-%j.out"
  echo "# written by scripts/slurm_array.sh: merge the runs of $script, or queue"
  echo "# the next round when the experiment (adaptive) has more runs to do"
  echo "set -euo pipefail"
  echo "cd $(q "$cwd")"
  echo "if $(q "$kvsim" "$script" "${args[@]}" --list --run-dir "$dir") | awk -F'\\t' '\$3 == \"todo\" { t = 1 } END { exit !t }'; then"
  echo "  exec $(q "$here/slurm_array.sh" --kvsim "$kvsim" --run-dir "$dir" --submit "$script" "${sbopts[@]}") -- $(q "${args[@]}")"
  echo "fi"
  echo "exec $(q "$kvsim" "$script" "${args[@]}" --merge --run-dir "$dir")"
} > "$merge"

if [ -z "$todo" ]; then
  echo "slurm_array.sh: every run of $script is done; the merge: sbatch $merge" >&2
  if [ $submit = 1 ]; then exec sbatch "$merge"; fi
  exit 0
fi
n=$(printf '%s\n' "$todo" | wc -l)
array=$(printf '%s\n' "$todo" | ranges)
file=$dir/slurm/round-$round.sbatch
{
  header "kvsim-$name-r$round"
  echo "#SBATCH --array=$array"
  echo "#SBATCH --output=$dir/slurm/round-$round-%a.out"
  echo "# written by scripts/slurm_array.sh: round $round of $script, $n runs"
  echo "set -euo pipefail"
  echo ": \"\${SLURM_ARRAY_TASK_ID:?not set: run under sbatch, or set it}\""
  echo "cd $(q "$cwd")"
  echo "exec $(q "$kvsim" "$script" "${args[@]}") --run \"\$SLURM_ARRAY_TASK_ID\" --run-dir $(q "$dir")"
} > "$file"

echo "slurm_array.sh: round $round of $script: $n runs ($array) in $file; merge step $merge" >&2
if [ $submit = 1 ]; then
  jid=$(sbatch --parsable "$file")
  jid=${jid%%;*}
  sbatch --dependency=afterok:"$jid" "$merge"
else
  echo "jid=\$(sbatch --parsable $(q "$file")) && sbatch --dependency=afterok:\${jid%%;*} $(q "$merge")"
fi
