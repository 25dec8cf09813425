#!/bin/sh
# compare.sh - the wall time of an xcsim compare at --jobs 1 and --jobs 2,
# and the speed-up.
#
# usage: bench/compare.sh [XCSIM [SEEDS [DURATION [DESIGN...]]]]
#   XCSIM     the xcsim binary (default: build/xcsim)
#   SEEDS     seeds per design (default 10)
#   DURATION  simulated time of each run, written over each design's
#             `duration` with --set (default 600s: the issue's ten minutes)
#   DESIGN    scenario files (default: scenarios/designs/*.yaml, or the
#             failover labs 03a and 03b when there are none)
#
# Every design runs bench/scenarios/compare-traffic.yaml. Both comparisons
# start from an empty output directory (a compare reuses finished runs:
# the second would measure nothing). Prints key=value lines. The issue's
# benchmark is 4 designs x 10 seeds x 600 s; on a shared machine try a
# short one first, e.g. bench/compare.sh build/xcsim 2 200s.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
xcsim=${1:-$root/build/xcsim}
seeds=${2:-10}
duration=${3:-600s}
[ $# -gt 3 ] && shift 3 || set --
if [ $# -eq 0 ]; then
	for f in "$root"/scenarios/designs/*.yaml; do
		[ -e "$f" ] && set -- "$@" "$f"
	done
fi
if [ $# -eq 0 ]; then
	set -- "$root/scenarios/labs/03a-failover-bfd.yaml" \
	    "$root/scenarios/labs/03b-failover-hold.yaml"
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

now() { date +%s.%N; }

echo "designs=$#"
echo "seeds=$seeds"
echo "duration=$duration"
echo "runs=$(( $# * seeds ))"
echo "cpus=$(getconf _NPROCESSORS_ONLN)"
for j in 1 2; do
	t0=$(now)
	"$xcsim" compare "$@" --traffic "$here/scenarios/compare-traffic.yaml" \
	    --seeds "$seeds" --set "duration=$duration" --jobs "$j" \
	    --no-plots --out "$tmp/jobs$j" > "$tmp/table$j.txt" 2>"$tmp/err$j" ||
	    { rc=$?; [ "$rc" -eq 1 ] || { cat "$tmp/err$j" >&2; exit "$rc"; }; }
	t1=$(now)
	echo "wall_s_jobs$j=$(echo "$t1 - $t0" | bc -l | sed 's/^\./0./')"
	eval "w$j=\$(echo \"\$t1 - \$t0\" | bc -l)"
done
cmp -s "$tmp/table1.txt" "$tmp/table2.txt" && echo "same_table=yes" ||
    echo "same_table=NO"
echo "speedup=$(echo "scale=3; $w1 / $w2" | bc -l | sed 's/^\./0./')"
echo
cat "$tmp/table1.txt"
