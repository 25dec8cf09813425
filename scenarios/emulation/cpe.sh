#!/bin/sh
# cpe.sh up|down|vtysh ARGS: the customer edge of msee-pair-cpe.yaml.
#
# up: a network namespace xcsim-cpe joined to the host by two veth pairs
# (primary: xc-msee1 192.168.10.2/30 on the host, cpe1 192.168.10.1/30 in
# the namespace; secondary: xc-msee2 192.168.10.6/30, cpe2 192.168.10.5/30),
# and FRR's bgpd in it with cpe-frr.conf (or $CPE_CONF), standalone (no
# zebra: it installs nothing in the namespace's kernel table).
# down: stops bgpd and deletes the namespace (the veths go with it).
# vtysh ARGS: FRR's shell on that bgpd, e.g. cpe.sh vtysh -c 'show bgp summary'.
# taps: print msee-pair-cpe.yaml with the two TAPs that carry the CE's
# packets into the simulation (xcsim emulate makes them in a namespace
# ce-data and prints its holder's pid); e.g. cpe.sh taps > /tmp/pair.yaml.
# data PID: join the CE to that namespace (xcsim's ce-data, held by PID):
# a veth xc-data0 10.99.0.1/30 <-> xc-data1 10.99.0.2/30, the CE's LAN
# address 172.16.1.1/24 on its lo, routes both ways, forwarding.
# ping [ARGS]: ping the simulated OCI instance 10.2.0.10 from the CE's LAN
# address (after data).
# A step that fails part way undoes itself: up runs down (the namespace,
# the veths, bgpd), data removes its veth (the CE stays up for a retry).
# CPE_PREFIX (at most 6 characters, default none) goes in front of every
# name this script gives the host (the namespace, the run directory, the
# host's veths), so that two users' CEs do not collide by name; give each
# the same CPE_PREFIX for every step. The addresses are the scenario's:
# two CEs at once on one host each need their own copy of it with other
# addresses (or each its own network namespace, e.g. unshare -n).
# Needs root, iproute2 and frr (apt-get install frr).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
prefix=${CPE_PREFIX:-}
if [ ${#prefix} -gt 6 ]; then
	echo "cpe: CPE_PREFIX '$prefix' is longer than 6 characters" \
	    "(device names have at most 15)" >&2
	exit 2
fi
ns=${prefix}xcsim-cpe
m1=${prefix}xc-msee1
m2=${prefix}xc-msee2
run=${CPE_RUN:-/run/${prefix}xcsim-cpe}
conf=${CPE_CONF:-$here/cpe-frr.conf}

down() {
	if [ -f "$run/bgpd.pid" ]; then
		kill "$(cat "$run/bgpd.pid")" 2>/dev/null || true
	fi
	ip netns del "$ns" 2>/dev/null || true
	# the veths go with the namespace; these are for a half-made one
	ip link del "$m1" 2>/dev/null || true
	ip link del "$m2" 2>/dev/null || true
	rm -rf "$run"
}

# On any failure (set -e) or interruption of a step: undo it ($1), say so.
undo_on_error() {
	trap "st=\$?; trap - EXIT; if [ \$st -ne 0 ]; then
	    echo 'cpe: $2 failed: undone' >&2; $1; fi; exit \$st" EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
}

case "${1:-}" in
up)
	undo_on_error down up
	ip netns add $ns
	ip -n $ns link set lo up
	ip link add $m1 type veth peer name cpe1 netns $ns
	ip link add $m2 type veth peer name cpe2 netns $ns
	ip addr add 192.168.10.2/30 dev $m1
	ip addr add 192.168.10.6/30 dev $m2
	ip link set $m1 up
	ip link set $m2 up
	ip -n $ns addr add 192.168.10.1/30 dev cpe1
	ip -n $ns addr add 192.168.10.5/30 dev cpe2
	ip -n $ns link set cpe1 up
	ip -n $ns link set cpe2 up
	mkdir -p "$run"
	cp "$conf" "$run/bgpd.conf"
	ip netns exec $ns /usr/lib/frr/bgpd -d -f "$run/bgpd.conf" \
	    -i "$run/bgpd.pid" -z "$run/zserv.api" --vty_socket "$run" \
	    -S -Z -n --log "file:$run/bgpd.log"
	echo "cpe: up (bgpd pid $(cat "$run/bgpd.pid")); now: xcsim emulate" \
	    "$here/msee-pair-cpe.yaml --listen 192.168.10.2 --listen" \
	    "192.168.10.6"
	;;
down)
	down
	;;
vtysh)
	shift
	exec vtysh --vty_socket "$run" -d bgpd "$@"
	;;
taps)
	cat "$here/msee-pair-cpe.yaml"
	cat <<'EOF'
  taps:
    - { node: ce, iface: msee1, device: xc-ce1, netns: ce-data, host_routes: [{ prefix: 10.2.0.0/24, via: 192.168.10.2 }] }
    - { node: ce, iface: msee2, device: xc-ce2, netns: ce-data, host_routes: [] }
EOF
	;;
data)
	pid=${2:?usage: $0 data PID (the ce-data holder xcsim emulate printed)}
	undo_on_error "ip -n $ns link del xc-data0 2>/dev/null || true" data
	ip link add xc-data0 netns $ns type veth peer name xc-data1 \
	    netns "/proc/$pid/ns/net"
	ip -n $ns addr add 10.99.0.1/30 dev xc-data0
	ip -n $ns link set xc-data0 up
	ip -n $ns addr add 172.16.1.1/24 dev lo
	ip -n $ns route add 10.2.0.0/24 via 10.99.0.2
	nsenter -t "$pid" -n sh -c 'ip link set lo up &&
	    ip addr add 10.99.0.2/30 dev xc-data1 && ip link set xc-data1 up &&
	    ip route add 172.16.0.0/16 via 10.99.0.1 &&
	    sysctl -qw net.ipv4.ip_forward=1 &&
	    for f in /proc/sys/net/ipv4/conf/*/rp_filter; do echo 0 > $f; done'
	echo "cpe: data path up; cpe.sh ping"
	;;
ping)
	shift
	exec ip netns exec $ns ping -I 172.16.1.1 "$@" 10.2.0.10
	;;
*)
	echo "usage: $0 up|down|vtysh [ARGS]|taps|data PID|ping [ARGS]" >&2
	exit 2
	;;
esac
