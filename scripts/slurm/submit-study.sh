#!/usr/bin/env bash
# Run a closure study on Slurm: its toys as a job array of SHARDS shards, then the merge as a job that starts
# only when every shard succeeded (afterok).
#
#   scripts/slurm/submit-study.sh [--wait] STUDY OUT SHARDS [qmisid study flags, e.g. --toys 500 --quick]
#
# Prints the two job ids. With --wait it returns when the merge job has ended: 0 every criterion passed, 1 a
# criterion failed (the merge's own status), 3 the merge never ran (a shard failed, so afterok cancelled it). Logs: OUT/log/. The command used for
# qmisid is $QMISID (default: npx --no-install qmisid, run from the submission directory, which Slurm keeps as
# the jobs' working directory). Extra sbatch options (partition, account, memory) go in $SBATCH_ARGS.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
wait=()
if [ "${1:-}" = "--wait" ]; then
  wait=(--wait)
  shift
fi
study=${1:?usage: submit-study.sh [--wait] STUDY OUT SHARDS [qmisid study flags]}
out=${2:?usage: submit-study.sh [--wait] STUDY OUT SHARDS [qmisid study flags]}
shards=${3:?usage: submit-study.sh [--wait] STUDY OUT SHARDS [qmisid study flags]}
shift 3
case "$shards" in
'' | *[!0-9]* | 0)
  echo "submit-study.sh: SHARDS must be a positive integer, got '$shards'" >&2
  exit 2
  ;;
esac
read -r -a extra <<<"${SBATCH_ARGS:-}"
mkdir -p "$out/log"
array=$(sbatch --parsable "${extra[@]}" --array="0-$((shards - 1))" --output="$out/log/shard-%a.out" \
  "$here/study-shard.sbatch" "$study" "$out" "$shards" "$@")
array=${array%%;*}
echo "array job $array ($shards shards)"
set +e
merge=$(sbatch --parsable "${extra[@]}" "${wait[@]}" --dependency="afterok:$array" --kill-on-invalid-dep=yes \
  --output="$out/log/merge.out" "$here/study-merge.sbatch" "$out" "$shards")
status=$?
set -e
merge=${merge%%;*}
echo "merge job $merge"
[ ${#wait[@]} -eq 0 ] && exit $status
# sbatch --wait returns 0 for a merge that never ran (a shard failed, so afterok cancelled it): ask Slurm.
state=$(scontrol show job "$merge" -o 2>/dev/null | grep -o 'JobState=[A-Z_]*' | cut -d= -f2 || true)
case "$state" in
COMPLETED) exit 0 ;;
FAILED) exit "$((status == 0 ? 1 : status))" ;;
*)
  echo "submit-study.sh: the merge job $merge ended as '${state:-unknown}' (a shard failed: see $out/log/)" >&2
  exit 3
  ;;
esac
