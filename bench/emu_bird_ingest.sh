#!/bin/sh
# emu_bird_ingest.sh - BGP ingest from a real daemon, both receivers in the
# same run: BIRD A (AS 65010) exports N static routes over eBGP, at the same
# time, to BIRD B (AS 65020) and to xcsim's simulated MSEE (AS 12076,
# bench/emu_bird_ingest: bgp_speaker on stream_sock under rt_run). Three
# network namespaces made here and removed on every path:
#
#   xeb-a-PID  a0 10.77.1.1/24 ---- x0 10.77.1.2/24  xeb-x-PID (xcsim)
#              a1 10.77.2.1/24 ---- b0 10.77.2.2/24  xeb-b-PID (BIRD B)
#
# B and xcsim are started first; A last, so both sessions come up together
# and A's one export feeds both (simultaneously, sharing A's CPU time).
# Measured per receiver: the time from the session Established to all N
# routes in its table (B: `show route count` polled every 0.1 s, the
# instant of Established BIRD's own "Since" of `show protocols`; xcsim: the
# Loc-RIB count and the node's RIB changes from inside the process, every
# 10 ms), memory per route (B: `show memory`
# routing tables + route attributes, minus the same before the feed;
# xcsim: Adj-RIB-In + Loc-RIB as bgp_ingest counts them, and the node's
# RIB+FIB separately) and the ratios xcsim/B. A's side: when its export
# counter to each receiver reached N, and when the TCP send queue to each
# first drained after that (A's export bounds both receivers).
#
# Needs root, ip netns and bird/birdc; otherwise it says why and exits 0.
# Not run by CI or run.sh (1M routes take minutes and about 1 GB).
# usage: bench/emu_bird_ingest.sh [N ...]   (default 100000 1000000)
# Environment: BUILD (build-bench), SKIP_BUILD=1 reuses BUILD as it is.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
bld=${BUILD:-$root/build-bench}

skip() {
	echo "emu_bird_ingest: $*, skipped"
	exit 0
}
command -v bird >/dev/null 2>&1 && command -v birdc >/dev/null 2>&1 ||
    skip "bird/birdc not installed (apt-get install bird2)"
command -v ip >/dev/null 2>&1 || skip "no ip (iproute2)"
[ "$(id -u)" = 0 ] || skip "not root (network namespaces)"

na=xeb-a-$$ nb=xeb-b-$$ nx=xeb-x-$$
dir=
pa= pb= px=
cleanup() {
	for p in $px $pa $pb; do
		kill "$p" 2>/dev/null || true
	done
	for p in $px $pa $pb; do
		wait "$p" 2>/dev/null || true
	done
	for ns in $na $nb $nx; do
		ip netns del "$ns" 2>/dev/null || true
	done
	[ -n "$dir" ] && rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ip netns add "$na" 2>/dev/null || skip "cannot create a network namespace"
ip netns add "$nb"
ip netns add "$nx"
ip -n "$na" link add a0 type veth peer name x0 netns "$nx"
ip -n "$na" link add a1 type veth peer name b0 netns "$nb"
for ns in $na $nb $nx; do
	ip -n "$ns" link set lo up
done
ip -n "$na" addr add 10.77.1.1/24 dev a0
ip -n "$na" addr add 10.77.2.1/24 dev a1
ip -n "$nx" addr add 10.77.1.2/24 dev x0
ip -n "$nb" addr add 10.77.2.2/24 dev b0
ip -n "$na" link set a0 up
ip -n "$na" link set a1 up
ip -n "$nx" link set x0 up
ip -n "$nb" link set b0 up

if [ "${SKIP_BUILD:-0}" != 1 ]; then
	cmake -S "$root" -B "$bld" -DCMAKE_BUILD_TYPE=Release \
	    -DCMAKE_C_FLAGS_RELEASE="-O2 -DNDEBUG" >/dev/null
	cmake --build "$bld" -j2 --target bench_emu_bird_ingest >/dev/null
fi
dir=$(mktemp -d /tmp/xcsim-emubird.XXXXXX)
chmod 755 "$dir"
[ $# -gt 0 ] || set -- 100000 1000000

now() { date +%s.%N; }
ca() { birdc -s "$dir/a.ctl" "$@" 2>/dev/null || true; }
cb() { birdc -s "$dir/b.ctl" "$@" 2>/dev/null || true; }
# "Routing tables:  5706.7 kB  3581.3 kB" (effective, overhead): bytes of
# one line, "EFFECTIVE OVERHEAD"
mem() {
	cb show memory | awk -v what="$1" '
	function b(v, u) {
		m = 1
		if (u == "kB") m = 1024
		if (u == "MB") m = 1048576
		if (u == "GB") m = 1073741824
		return v * m
	}
	index($0, what ":") == 1 { printf "%.0f %.0f\n", b($3, $4), b($5, $6) }'
}
wait_sock() {
	i=0
	while [ ! -S "$1" ] && [ $i -lt 600 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -S "$1" ]
}
# A's TCP send queue to a receiver (bytes), "" when no session
sendq() {
	ip netns exec "$na" ss -Htn state established "( dst $1 )" |
	    awk '{ s += $2 } END { print s + 0 }'
}

for n in "$@"; do
	echo "== n=$n  $(uptime)"
	awk -v n="$n" 'BEGIN {
		print "protocol static feed {\n  ipv4;"
		for (i = 0; i < n; i++)
			printf "  route %d.%d.%d.0/24 blackhole;\n", \
			    16 + int(i / 65536), int(i / 256) % 256, i % 256
		print "}"
	}' >"$dir/routes.conf"
	cat >"$dir/a.conf" <<CONF
router id 10.77.1.1;
protocol device { }
include "$dir/routes.conf";
protocol bgp to_x {
	local 10.77.1.1 as 65010;
	neighbor 10.77.1.2 as 12076;
	connect delay time 1;
	ipv4 { import none; export where source = RTS_STATIC; };
}
protocol bgp to_b {
	local 10.77.2.1 as 65010;
	neighbor 10.77.2.2 as 65020;
	connect delay time 1;
	ipv4 { import none; export where source = RTS_STATIC; };
}
CONF
	cat >"$dir/b.conf" <<CONF
router id 10.77.2.2;
protocol device { }
protocol bgp from_a {
	local 10.77.2.2 as 65020;
	neighbor 10.77.2.1 as 65010;
	passive on;
	ipv4 { import all; export none; };
}
CONF
	rm -f "$dir/a.ctl" "$dir/b.ctl"
	ip netns exec "$nb" bird -f -c "$dir/b.conf" -s "$dir/b.ctl" \
	    >"$dir/b.log" 2>&1 &
	pb=$!
	wait_sock "$dir/b.ctl" || { cat "$dir/b.log"; exit 1; }
	b_tab0=$(mem "Routing tables")
	b_att0=$(mem "Route attributes")
	ip netns exec "$nx" "$bld/bench/emu_bird_ingest" 10.77.1.2 10.77.1.1 \
	    65010 "$n" 900 5 >"$dir/x.out" 2>"$dir/x.err" &
	px=$!
	t_a0=$(now)
	ip netns exec "$na" bird -f -c "$dir/a.conf" -s "$dir/a.ctl" \
	    >"$dir/a.log" 2>&1 &
	pa=$!
	wait_sock "$dir/a.ctl" || { cat "$dir/a.log"; exit 1; }
	t_a_up=$(now)
	b_est= b_done= ax_exp= ab_exp= ax_q0= ab_q0=
	limit=$(( $(date +%s) + 900 ))
	while [ "$(date +%s)" -lt $limit ]; do
		t=$(now)
		# B's own instant of Established ("Since", ms, local time),
		# not the poll's: the poll may see it only with the routes
		if [ -z "$b_est" ]; then
			since=$(cb show protocols from_a |
			    awk '$1 == "from_a" && /Established/ { print $5 }')
			[ -n "$since" ] && b_est=$(date -d "$since" +%s.%N)
		fi
		if [ -n "$b_est" ] && [ -z "$b_done" ]; then
			c=$(cb show route count | sed -n \
			    's/^\([0-9]*\) of .* in table master4$/\1/p')
			[ "${c:-0}" -ge "$n" ] && b_done=$(now)
		fi
		for p in x b; do
			eval e=\$a${p}_exp q=\$a${p}_q0
			if [ -z "$e" ] && ca show protocols all "to_$p" |
			    grep -Eq "Routes: +[0-9]+ imported, $n exported"
			then
				eval a${p}_exp=$t
				e=$t
			fi
			if [ -n "$e" ] && [ -z "$q" ]; then
				[ $p = x ] && d=10.77.1.2 || d=10.77.2.2
				[ "$(sendq $d)" = 0 ] && eval a${p}_q0=$(now)
			fi
		done
		# xcsim holds its session 5 s after converging, for A's
		# counters; once it is gone they cannot come any more
		if [ -n "$b_done" ] && [ -n "$ab_q0" ] &&
		    ! kill -0 "$px" 2>/dev/null; then
			break
		fi
		sleep 0.1
	done
	wait "$px" || true
	px=
	if [ -z "$b_done" ] || ! grep -q '^xcsim ' "$dir/x.out"; then
		echo "emu_bird_ingest: n=$n did not converge" \
		    "(bird B done: ${b_done:-no})"
		cat "$dir/x.err"
		tail -5 "$dir/a.log" "$dir/b.log"
		exit 1
	fi
	b_tab=$(mem "Routing tables")
	b_att=$(mem "Route attributes")
	x=$(cat "$dir/x.out")
	echo "$x"
	kill "$pa" "$pb"
	wait "$pa" "$pb" 2>/dev/null || true
	pa= pb=
	echo "$x" | awk -v n="$n" -v a0="$t_a0" -v aup="$t_a_up" \
	    -v best="$b_est" -v bdone="$b_done" -v axe="$ax_exp" \
	    -v abe="$ab_exp" -v axq="$ax_q0" -v abq="$ab_q0" \
	    -v bt0="$b_tab0" -v ba0="$b_att0" -v bt="$b_tab" -v ba="$b_att" '
	{
		for (i = 2; i <= NF; i++) {
			split($i, kv, "=")
			x[kv[1]] = kv[2]
		}
		bconv = bdone - best
		split(bt0, t0, " "); split(ba0, a0_, " ")
		split(bt, t1, " "); split(ba, a1, " ")
		btab = (t1[1] - t0[1]) / n; batt = (a1[1] - a0_[1]) / n
		bmem = btab + batt
		bovh = (t1[2] - t0[2] + a1[2] - a0_[2]) / n
		printf "bird_a n=%d ctl_up_s=%.2f est_x_s=%.2f est_b_s=%.2f " \
		    "exported_x_s=%.2f exported_b_s=%.2f sendq0_x_s=%.2f " \
		    "sendq0_b_s=%.2f (seconds since A was started)\n", n,
		    aup - a0, x["t_established"] - a0, best - a0, axe - a0,
		    abe - a0, axq - a0, abq - a0
		printf "done n=%d xcsim_s=%.2f bird_b_s=%.2f " \
		    "(all N in the table, seconds since A was started)\n", n,
		    x["t_loc_rib"] - a0, bdone - a0
		printf "bird_b n=%d converge_s=%.2f tables_bytes_per_route=%.1f " \
		    "attrs_bytes_per_route=%.1f bytes_per_route=%.1f " \
		    "overhead_bytes_per_route=%.1f\n", n, bconv, btab, batt,
		    bmem, bovh
		printf "ratio n=%d xcsim/bird_b converge=%.2f " \
		    "converge_fib=%.2f bytes_per_route=%.2f " \
		    "bytes_per_route_with_fib=%.2f\n", n,
		    x["converge_s"] / bconv, x["converge_fib_s"] / bconv,
		    x["rib_bytes_per_route"] / bmem,
		    (x["rib_bytes_per_route"] + x["fib_bytes_per_prefix"]) / bmem
	}'
done
