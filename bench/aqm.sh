#!/bin/sh
# aqm.sh - drop-tail, RED and CoDel on one bottleneck, xcsim against ns-3.
#
# usage: bench/aqm.sh [XCSIM [NS3_BINARY]]
#   XCSIM       the xcsim binary (default: build/xcsim)
#   NS3_BINARY  bench/ns3/aqm_dumbbell built by bench/ns3/build.sh
#               (default: build-bench/bench/ns3/aqm_dumbbell; skipped when
#               missing)
#
# The dumbbell of bench/ns3/aqm_dumbbell.cc, written as a scenario for each
# (traffic, qdisc) pair: a -- 1 Gbit/s, 1 ms -- r -- 10 Mbit/s, 10 ms -- b,
# a 1000-packet queue at r toward b under the discipline (its defaults,
# which are ns-3's for RED and RFC 8289's for CoDel), 20 s simulated,
# a ping every 100 ms from 1 s. traffic tcp: one CUBIC bulk flow (8 MiB
# buffers); udp: 1000-byte datagrams at a constant 1375 per second (ns-3's
# OnOff at 11 Mbit/s counts the payload; xcsim's rate counts IP packets:
# 11.308 Mbit/s of 1028-byte packets is the same 1375/s).
# Prints one table row per run: goodput, drops at the bottleneck, ping RTT
# percentiles, wall time. Each run is short (well under a second for xcsim,
# about one for ns-3) and runs alone.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
xcsim=${1:-$root/build/xcsim}
ns3=${2:-$root/build-bench/bench/ns3/aqm_dumbbell}
# The bottleneck's rate: 10Mbps as in ns-3, or RATE=10.1165Mbps to carry as
# many 1000-byte datagrams per second as ns-3's link does (ns-3 frames them
# in 1030 bytes with PPP, xcsim in 1042 with Ethernet).
RATE=${RATE:-10Mbps}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

scenario() {	# traffic qdisc rate -> a scenario file
	rate=$3
	case $1 in
	tcp) load="{ name: load, type: tcp_bulk, node: a, dst: b, start: 0s, bytes: 1GB, tcp: { cc: cubic, sndbuf: 8MiB, rcvbuf: 8MiB } }" ;;
	udp) load="{ name: load, type: udp_cbr, node: a, dst: b, start: 0s, rate: 11.308Mbps, size: 1000, count: 30000 }" ;;
	esac
	cat > "$tmp/$1-$2.yaml" <<EOF
name: aqm-dumbbell-$1-$2
seed: 1
duration: 20s
nodes:
  - { name: a, role: host, interfaces: [{ name: eth0, address: 10.0.1.2/24 }], routes: [{ prefix: 0.0.0.0/0, via: 10.0.1.1 }] }
  - { name: r, role: router, interfaces: [{ name: e0, address: 10.0.1.1/24 }, { name: e1, address: 10.0.2.1/24 }] }
  - { name: b, role: host, interfaces: [{ name: eth0, address: 10.0.2.2/24 }], routes: [{ prefix: 0.0.0.0/0, via: 10.0.2.1 }] }
links:
  - { name: access, a: "a:eth0", b: "r:e0", rate: 1Gbps, delay: 1ms }
  - name: bottleneck
    a: "r:e1"
    b: "b:eth0"
    rate: $rate
    delay: 10ms
    queue: { packets: 1000 }
    a_to_b: { qdisc: { kind: $2 } }
apps:
  - $load
  - { name: ping, type: ping, node: a, dst: b, start: 1s, interval: 100ms }
EOF
}

# metrics.json -> the row's figures
summarise() {
	python3 - "$1" "$2" <<'EOF'
import json, sys
m = json.load(open(sys.argv[1]))
wall = sys.argv[2]
rx = 0
for a in m["apps"]:
    if a["type"] in ("tcp_sink", "udp_sink"):
        rx += a.get("bytes", 0)
drops = 0
for l in m["links"]:
    if l["link"] == "bottleneck" and l["dir"] == "a->b":
        drops = sum(l["drops"].values())
ping = [a for a in m["apps"] if a["name"] == "ping"][0]
r = ping["rtt_ns"]
print("%.3f %d %d %.3f %.3f %.3f %.3f %s" % (rx * 8 / 20 / 1e6, drops,
    r["samples"], r["min"] / 1e6, r["p50"] / 1e6, r["p99"] / 1e6,
    r["max"] / 1e6, wall))
EOF
}

printf '%-5s %-8s %-6s %9s %6s %7s %8s %8s %8s %8s %7s\n' traffic qdisc sim \
    goodput drops replies rtt_min rtt_p50 rtt_p99 rtt_max wall_s
for traffic in tcp udp; do
	for q in droptail red codel; do
		scenario "$traffic" "$q" "$RATE"
		t0=$(date +%s.%N)
		"$xcsim" run "$tmp/$traffic-$q.yaml" --out "$tmp/out" --quiet \
		    > /dev/null
		t1=$(date +%s.%N)
		wall=$(echo "$t1 - $t0" | bc)
		set -- $(summarise "$tmp/out/metrics.json" "$wall")
		printf '%-5s %-8s %-6s %9s %6s %7s %8s %8s %8s %8s %7.3f\n' \
		    "$traffic" "$q" xcsim "$1" "$2" "$3" "$4" "$5" "$6" "$7" "$8"
		if [ -x "$ns3" ]; then
			out=$("$ns3" --qdisc="$q" --traffic="$traffic")
			v() { echo "$out" | sed -n "s/^$1=//p"; }
			printf '%-5s %-8s %-6s %9s %6s %7s %8s %8s %8s %8s %7.3f\n' \
			    "$traffic" "$q" ns-3 "$(v goodput_mbps)" \
			    "$(v qdisc_drops)" "$(v ping_replies)" \
			    "$(v rtt_min_ms)" "$(v rtt_p50_ms)" "$(v rtt_p99_ms)" \
			    "$(v rtt_max_ms)" "$(v wall_s)"
		fi
	done
done
