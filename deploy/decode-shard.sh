#!/usr/bin/env bash
# One shard of an `earshot decode` (or, with --analyze, `earshot analyze`) over a large corpus, as a
# Slurm array task or a Kubernetes Indexed Job pod runs it. See deploy/README.md.
#
#   sbatch --array=0-15 deploy/decode-shard.sh CORPUS OUTDIR [decode options…]
#   decode-shard.sh [--shards N] [--analyze] CORPUS OUTDIR [options…]      (any scheduler)
#
# The shard index comes from SLURM_ARRAY_TASK_ID (counted from SLURM_ARRAY_TASK_MIN, so
# --array=1-16 works too) or JOB_COMPLETION_INDEX; the shard count from --shards, else
# SLURM_ARRAY_TASK_COUNT. Each task writes OUTDIR/part-<i>-of-<n>.jsonl (a session, .json, with
# --analyze); a re-run of a decode task (requeued, preempted, retried) resumes its file, of an
# analyze task redoes it. `earshot merge` joins the parts.
# EARSHOT names the command (default: earshot on PATH), e.g. EARSHOT="node /opt/earshot/bin/earshot.js".
#
#SBATCH --job-name=earshot-decode
#SBATCH --cpus-per-task=2
#SBATCH --mem=2G
#SBATCH --time=04:00:00
#SBATCH --requeue
#SBATCH --output=earshot-decode-%A_%a.log
set -euo pipefail

fail() {
  echo "decode-shard: $*" >&2
  exit 1
}

count=""
command=decode
extension=jsonl
while [[ $# -gt 0 ]]; do
  case "$1" in
    --shards)
      [[ $# -ge 2 ]] || fail "--shards needs a number"
      count="$2"
      shift 2
      ;;
    --analyze)
      command=analyze
      extension=json
      shift
      ;;
    *) break ;;
  esac
done
[[ $# -ge 2 ]] || fail "usage: decode-shard.sh [--shards N] [--analyze] CORPUS OUTDIR [earshot decode|analyze options…]"
input="$1"
outdir="$2"
shift 2

whole() { [[ "$2" =~ ^[0-9]+$ ]] || fail "$1 must be a whole number, not \"$2\""; }
if [[ -n "${SLURM_ARRAY_TASK_ID:-}" ]]; then
  whole SLURM_ARRAY_TASK_ID "$SLURM_ARRAY_TASK_ID"
  whole SLURM_ARRAY_TASK_MIN "${SLURM_ARRAY_TASK_MIN:-0}"
  index=$((SLURM_ARRAY_TASK_ID - ${SLURM_ARRAY_TASK_MIN:-0}))
  count="${count:-${SLURM_ARRAY_TASK_COUNT:-}}"
elif [[ -n "${JOB_COMPLETION_INDEX:-}" ]]; then
  whole JOB_COMPLETION_INDEX "$JOB_COMPLETION_INDEX"
  index="$JOB_COMPLETION_INDEX"
else
  fail "no shard index: run as a Slurm array task (SLURM_ARRAY_TASK_ID) or a Kubernetes Indexed Job pod (JOB_COMPLETION_INDEX)"
fi
[[ -n "$count" ]] || fail "no shard count: pass --shards N (SLURM_ARRAY_TASK_COUNT is set only for array jobs)"
[[ "$count" =~ ^[1-9][0-9]*$ ]] || fail "the shard count must be a positive whole number, not \"$count\""
((index >= 0 && index < count)) || fail "shard index $index is outside 0…$((count - 1)); the array must have exactly $count consecutive tasks (e.g. --array=0-$((count - 1)))"

# One worker thread per CPU Slurm gave the task (without task affinity, Node would count the whole node's).
# (The ${a[@]+…} form: bash before 4.4, still on clusters, calls an empty array unbound under set -u.)
workers=()
if [[ -n "${SLURM_CPUS_PER_TASK:-}" && " $* " != *" --workers "* ]]; then
  workers=(--workers "$SLURM_CPUS_PER_TASK")
fi
read -r -a earshot <<<"${EARSHOT:-earshot}"
mkdir -p "$outdir"
out="$outdir/part-$index-of-$count.$extension"
echo "decode-shard: earshot $command, shard $index/$count of $input into $out" >&2
exec "${earshot[@]}" "$command" "$input" --out "$out" --shard "$index/$count" ${workers[@]+"${workers[@]}"} "$@"
