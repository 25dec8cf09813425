#!/bin/sh
# compare.sh - the wall time of an xcsim compare at --jobs 1 and --jobs 2,
# and the speed-up.
#
# usage: bench/compare.sh [XCSIM [SEEDS [DURATION [DESIGN...]]]]
#   XCSIM     the xcsim binary (default: build/xcsim)
#   SEEDS     seeds per design (default 10)
#   DURATION  simulated time of each run, written over each design's
#             `duration` with --set (default 600s: the issue's ten minutes)
#   DESIGN    scenario files (default: the four designs of docs/designs.md,
#             scenarios/designs/compare/{direct,l3-provider,l2-provider,vpn}.yaml)
#
# The default designs run scenarios/designs/compare/designs.traffic.yaml (a ping,
# the database session and a 100 MB copy); designs named on the command
# line run bench/scenarios/compare-traffic.yaml (a ping and the database
# session, which every design of scenarios/ and the labs allow). Both comparisons
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
traffic=$here/scenarios/compare-traffic.yaml
if [ $# -eq 0 ]; then
	d=$root/scenarios/designs/compare
	set -- "$d/direct.yaml" "$d/l3-provider.yaml" "$d/l2-provider.yaml" \
	    "$d/vpn.yaml"
	traffic=$d/designs.traffic.yaml
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
	"$xcsim" compare "$@" --traffic "$traffic" \
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
