#!/bin/sh
# bird_ingest.sh - the real-daemon anchor for bgp_ingest: BIRD 2 ingesting the
# same feeds (bgp_ingest --dump: 100k and 1M distinct prefixes, the same
# UPDATEs as xcsim decodes, with next hop 192.0.2.2) from bench/bird_feed.py
# over a real TCP socket on loopback, in the same run as xcsim's figures so
# that the ratio is taken on the same machine and load.
#
# BIRD refuses a loopback address as a direct eBGP neighbour, so the session
# is `multihop 1` from 127.0.0.2 to 127.0.0.1 and the next hop 192.0.2.2
# resolves (recursively, through BIRD's hostcache) to a static
# 192.0.2.0/24 via lo: every route is a valid unicast route (the feeder
# checks). BIRD holds the routes in its RIB (table master4, `import all`;
# BIRD 2 keeps no separate Adj-RIB-In by default); there is no kernel
# protocol, so nothing is written to the host's FIB (a shared machine). Not run by CI or run.sh: bird2 is installed
# by hand. Skips cleanly (exit 0) when bird is absent.
#
# usage: bench/bird_ingest.sh [N ...]     (default 100000 1000000)
# Environment: SKIP_BUILD=1 reuses build-bench/ as it is; PORT (11179).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
bld=$root/build-bench
port=${PORT:-11179}

if ! command -v bird >/dev/null 2>&1 || ! command -v birdc >/dev/null 2>&1
then
	echo "bird_ingest: bird/birdc not installed, skipped"
	exit 0
fi
if [ "${SKIP_BUILD:-0}" != 1 ]; then
	cmake -S "$root" -B "$bld" -DCMAKE_BUILD_TYPE=Release \
	    -DCMAKE_C_FLAGS_RELEASE="-O2 -DNDEBUG" >/dev/null
	cmake --build "$bld" -j2 --target bench_bgp_ingest >/dev/null
fi
[ $# -gt 0 ] || set -- 100000 1000000

dir=$(mktemp -d /tmp/xcsim-bird.XXXXXX)
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null || true
	rm -rf "$dir"
}
trap cleanup EXIT INT TERM

for n in "$@"; do
	"$bld/bench/bgp_ingest" --dump "$dir/feed.bin" "$n" 0xc0000202 \
	    >/dev/null
	cat >"$dir/bird.conf" <<CONF
router id 192.0.2.1;
log "$dir/bird.log" all;
protocol device { }
protocol static { ipv4; route 192.0.2.0/24 via "lo"; }
protocol bgp feeder {
	local 127.0.0.1 port $port as 65000;
	neighbor 127.0.0.2 as 12076;
	multihop 1;
	passive on;
	hold time 90;
	ipv4 { import all; export none; };
}
CONF
	bird -f -c "$dir/bird.conf" -s "$dir/bird.ctl" -P "$dir/bird.pid" &
	pid=$!
	i=0
	while [ ! -S "$dir/bird.ctl" ] && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	b=$(python3 "$here/bird_feed.py" 127.0.0.1 "$port" "$dir/feed.bin" \
	    "$n" "$dir/bird.ctl" 127.0.0.2)
	echo "$b"
	kill "$pid"
	wait "$pid" 2>/dev/null || true
	pid=
	rm -f "$dir/bird.ctl"
	# xcsim right after, the same prefixes: the tables path (decode to
	# FIB) and the speaker over simulated TCP, one peer each
	x=$("$bld/bench/bgp_ingest" "$n")
	echo "$x" | grep -E "^(one peer|speaker, one peer)"
	# like for like: BIRD has no FIB here, "tables only" has none either
	echo "$b" "$x" | awk -v n="$n" '
	function rate(line,   i, f, k) {
		k = split(line, f, " ")
		for (i = 2; i <= k; i++)
			if (f[i] == "prefixes/s")
				return f[i - 1]
		return 0
	}
	/^daemon=bird/ {
		for (i = 1; i <= NF; i++)
			if ($i ~ /^prefixes_per_s=/) { sub(/.*=/, "", $i); bird = $i }
	}
	/^one peer, tables only/ { rib = rate($0) }
	/^one peer, into the node/ { tab = rate($0) }
	/^speaker, one peer over TCP/ { spk = rate($0) }
	END {
		printf "ratio n=%d xcsim_tables_no_fib/bird=%.2f " \
		    "xcsim_tables_to_fib/bird=%.2f xcsim_speaker/bird=%.2f\n",
		    n, rib / bird, tab / bird, spk / bird
	}'
done
