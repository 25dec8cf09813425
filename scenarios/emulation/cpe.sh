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
# Needs root, iproute2 and frr (apt-get install frr).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
ns=xcsim-cpe
run=${CPE_RUN:-/run/xcsim-cpe}
conf=${CPE_CONF:-$here/cpe-frr.conf}

case "${1:-}" in
up)
	ip netns add $ns
	ip -n $ns link set lo up
	ip link add xc-msee1 type veth peer name cpe1 netns $ns
	ip link add xc-msee2 type veth peer name cpe2 netns $ns
	ip addr add 192.168.10.2/30 dev xc-msee1
	ip addr add 192.168.10.6/30 dev xc-msee2
	ip link set xc-msee1 up
	ip link set xc-msee2 up
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
	if [ -f "$run/bgpd.pid" ]; then
		kill "$(cat "$run/bgpd.pid")" 2>/dev/null || true
	fi
	ip netns del $ns 2>/dev/null || true
	rm -rf "$run"
	;;
vtysh)
	shift
	exec vtysh --vty_socket "$run" -d bgpd "$@"
	;;
*)
	echo "usage: $0 up|down|vtysh [ARGS]" >&2
	exit 2
	;;
esac
