#!/bin/sh
# capture.sh - BGP messages from real daemons, for tests/test_bgp_vectors.c.
#
# RUN BY HAND, NOT IN CI: it needs root, bird2, gobgpd/gobgp and tshark, and
# it starts daemons on loopback. The committed *.bin files are its output;
# rerun it only to refresh them (then check the tests still pass and read the
# diff: message contents depend on the daemon versions).
#
# BIRD (AS 4200000001, bird.conf) peers with gobgpd (AS 65003, gobgpd.toml)
# on 127.0.0.2 <-> 127.0.0.3 and 127.0.0.4 <-> 127.0.0.5, ports 1791/1790 so that nothing
# else on the machine is disturbed. Session "peer4" is a normal 4-octet AS
# session with graceful restart, session "peer2" has BIRD's 4-octet AS
# capability off (OPEN with AS_TRANS, AS_PATH 23456 + AS4_PATH). Both sides
# announce prefixes with MED, communities and large communities; then a
# route refresh each way (BIRD answers with the RFC 7313 BoRR/EoRR
# markers), a withdrawal, and a shutdown NOTIFICATION with an RFC 8203
# message from each daemon. tshark captures on lo; extract.py cuts the TCP
# streams into one file per BGP message:
#   NN-<sender>-<type>.bin     (sender: bird4, bird2, gobgp4, gobgp2)
# and bgp.pcap is kept next to them.
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
api=127.0.0.1:50071
pids=""

cleanup() {
	for p in $pids; do
		kill "$p" 2>/dev/null || true
	done
	sleep 1
}
trap cleanup EXIT INT TERM

tshark -q -i lo -f "tcp port 1790 or tcp port 1791" -w "$work/bgp.pcap" \
    >"$work/tshark.log" 2>&1 &
pids="$pids $!"
sleep 3
gobgpd -f "$here/gobgpd.toml" --api-hosts "$api" >"$work/gobgpd.log" 2>&1 &
pids="$pids $!"
sleep 1
bird -f -c "$here/bird.conf" -s "$work/bird.ctl" >"$work/bird.log" 2>&1 &
pids="$pids $!"
sleep 10

g() { gobgp -u 127.0.0.1 -p 50071 "$@"; }
b() { birdc -s "$work/bird.ctl" "$@"; }

g global rib add 10.9.0.0/24 community 65003:7,no-export large-community 65003:1:1 med 20
g global rib add 10.9.1.0/24 origin egp local-pref 300 community no-advertise
g global rib add 100.64.0.0/10 nexthop 127.0.0.3
sleep 4
g neighbor
b show protocols all peer4 || true
# ROUTE-REFRESH both ways; BIRD brackets its answer with BoRR/EoRR.
g neighbor 127.0.0.2 softresetin
sleep 2
b reload in peer4 || true
sleep 2
g global rib del 10.9.0.0/24
sleep 2
b disable peer2 "\"bird shutting down peer2 for maintenance\"" || \
    b disable peer2 || true
sleep 2
g neighbor 127.0.0.2 shutdown --reason "gobgp maintenance: back at 06:00" || \
    g neighbor 127.0.0.2 disable || true
sleep 3
cleanup
pids=""
trap - EXIT INT TERM

rm -f "$here"/[0-9]*.bin
cp "$work/bgp.pcap" "$here/bgp.pcap"
python3 "$here/extract.py" "$here/bgp.pcap" "$here"
echo "logs in $work"
