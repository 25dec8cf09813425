#!/bin/sh
# run_tcp.sh - the TCP benchmarks: one bulk transfer in xcsim and in ns-3
# 3.37 for each of three setups (bench/tcp_bulk.c, bench/ns3/tcp_bulk.cc),
# then many request/response connections in xcsim (bench/tcp_many.c).
#
# usage: bench/run_tcp.sh       (from anywhere; builds into build-bench/)
# Environment (all optional):
#   SETUPS="newreno newreno-4m cubic-4m"
#   SECONDS_SIM=10    simulated seconds of each bulk transfer
#   OUT=build-bench/tcp   where the CSVs and plots go
#   SKIP_BUILD=1      reuse build-bench/ as it is
#   NO_MANY=1         skip tcp_many
#
# For each setup OUT holds xcsim-SETUP.csv and ns3-SETUP.csv (rows
# "app,metric,t_ns,value": cwnd_bytes at each change, goodput_bps per
# 100 ms), both-SETUP.csv with the two side by side in one file, and
# SETUP.png, both drawn by `xcsim plot` (when xcsim was built with SDL2).
# Runs go one at a time: wall time is the point.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
bld=$root/build-bench
out=${OUT:-$bld/tcp}
SETUPS=${SETUPS:-"newreno newreno-4m cubic-4m"}
SECONDS_SIM=${SECONDS_SIM:-10}

if [ "${SKIP_BUILD:-0}" != 1 ]; then
	echo "== building xcsim (Release, -O2) in $bld"
	cmake -S "$root" -B "$bld" -DCMAKE_BUILD_TYPE=Release \
	    -DCMAKE_C_FLAGS_RELEASE="-O2 -DNDEBUG" >/dev/null
	cmake --build "$bld" -j2 >/dev/null
	echo "== building ns-3 programs"
	"$here/ns3/build.sh" "$bld/bench/ns3" >/dev/null
fi

xbulk=$bld/bench/tcp_bulk
nbulk=$bld/bench/ns3/tcp_bulk
xmany=$bld/bench/tcp_many
xcsim=$bld/xcsim
for b in "$xbulk" "$nbulk"; do
	[ -x "$b" ] || { echo "run_tcp.sh: $b missing" >&2; exit 1; }
done
mkdir -p "$out"

# kv OUTPUT KEY: the value of KEY in key=value lines.
# The value of key $2 in program output $1, or NA (so the summary's awk
# columns never shift when a program does not print a key).
kv() {
	v=$(printf '%s\n' "$1" | sed -n "s/^$2=//p" | head -n 1)
	printf '%s\n' "${v:-NA}"
}

log=$(mktemp /tmp/xcsim-bench-tcp.XXXXXX)
trap 'rm -f "$log"' EXIT INT TERM

echo "== tcp_bulk: 1 Gbit/s, 1 ms, drop-tail 100 packets, ${SECONDS_SIM} s"
printf '%-11s %-6s %12s %8s %10s %12s %9s %9s\n' setup sim goodput_mbps \
    retrans wall_s peak_rss_kb cwnd_chg final_cwnd
for s in $SETUPS; do
	xo=$("$xbulk" --setup "$s" --seconds "$SECONDS_SIM" \
	    --csv "$out/xcsim-$s.csv")
	no=$("$nbulk" --setup="$s" --time="$SECONDS_SIM" \
	    --csv="$out/ns3-$s.csv")
	for pair in "xcsim:$xo" "ns3:$no"; do
		name=${pair%%:*}
		o=${pair#*:}
		printf '%-11s %-6s %12s %8s %10s %12s %9s %9s\n' "$s" "$name" \
		    "$(kv "$o" goodput_mbps)" "$(kv "$o" retrans_segs)" \
		    "$(kv "$o" wall_s)" "$(kv "$o" peak_rss_kb)" \
		    "$(kv "$o" cwnd_changes)" "$(kv "$o" final_cwnd)"
	done
	echo "bulk $s $(kv "$xo" goodput_mbps) $(kv "$no" goodput_mbps)" \
	    "$(kv "$xo" wall_s) $(kv "$no" wall_s)" \
	    "$(kv "$xo" peak_rss_kb) $(kv "$no" peak_rss_kb)" >>"$log"
	{
		echo "app,metric,t_ns,value"
		tail -n +2 "$out/xcsim-$s.csv"
		tail -n +2 "$out/ns3-$s.csv"
	} >"$out/both-$s.csv"
	if [ -x "$xcsim" ] && "$xcsim" plot "$out/xcsim-$s.csv" \
	    "$out/ns3-$s.csv" --png "$out/$s.png" >/dev/null 2>&1; then
		echo "   plot: $out/$s.png"
	fi
done

echo "== summary (ratio = xcsim / ns-3; wall speed-up = ns-3 wall / xcsim wall)"
awk '
$1 == "bulk" {
	# a missing figure (NA) or a zero divisor is a miss, never a pass
	g = ($4 + 0 > 0 ? $3 / $4 : 0)
	sp = ($5 + 0 > 0 ? $6 / $5 : 0)
	gr = (g >= 0.95 && g <= 1.05 ? "PASS" : "MISS")
	wr = (sp >= 5 ? "PASS" : "MISS")
	printf "%-11s goodput %8.1f / %8.1f Mbit/s = %.3f (within 5%%: %s)  " \
	    "wall %7.3f / %7.3f s = %.1fx faster (>= 5x: %s)  " \
	    "peak RSS %s / %s kB\n", $2, $3, $4, g, gr, $5, $6, sp, wr, $7, $8
}' "$log"

if [ "${NO_MANY:-0}" != 1 ] && [ -x "$xmany" ]; then
	echo "== tcp_many: 1000 request/response connections, default path, 60 s"
	mo=$("$xmany")
	printf '%s\n' "$mo" | grep -E '^(connected|transactions|txn_per_sim_s|wall_s|txn_per_wall_s|events|events_per_s|lat_p50_us|lat_p99_us|peak_rss_kb|rss_per_conn_kb)='
fi
