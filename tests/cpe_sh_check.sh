#!/bin/sh
# cpe_sh_check.sh - scenarios/emulation/cpe.sh's own cleanup and names: a
# failing `up` undoes itself (no namespace, veth or run directory left),
# two CEs with different CPE_PREFIXes come up side by side and go down
# one at a time, and a CPE_PREFIX too long for a device name is refused.
# Everything happens in a network and mount namespace of its own (a tmpfs
# on /run for `ip netns` and the run directories), so the host sees
# nothing and a killed test leaves nothing. Exit 77 without root or FRR.
#
# usage: cpe_sh_check.sh SOURCE_DIR
set -u
src=${1:?usage: $0 SOURCE_DIR}
cpe=$src/scenarios/emulation/cpe.sh

if [ -z "${XCFIX_CPE_INNER:-}" ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "SKIP: cpe.sh needs root (namespaces, veths)"
		exit 77
	fi
	if [ ! -x /usr/lib/frr/bgpd ]; then
		echo "SKIP: cpe.sh needs FRR's bgpd (apt-get install frr)"
		exit 77
	fi
	XCFIX_CPE_INNER=1 exec unshare -n -m --propagation private \
	    sh -c 'mount -t tmpfs xcfix-run /run && exec sh "$0" "$1"' \
	    "$0" "$src"
fi

fails=0
check() {	# check WHAT COMMAND...: COMMAND must succeed
	what=$1
	shift
	if "$@" >/dev/null 2>&1; then
		echo "ok: $what"
	else
		echo "FAIL: $what"
		fails=$((fails + 1))
	fi
}
no() {		# no WHAT COMMAND...: COMMAND must fail
	what=$1
	shift
	if "$@" >/dev/null 2>&1; then
		echo "FAIL: $what"
		fails=$((fails + 1))
	else
		echo "ok: $what"
	fi
}
netns_count() { ip netns list | wc -l; }

ip link set lo up

# a failing up (its configuration is missing: after the veths) undoes itself
no "up with a missing configuration fails" \
    env CPE_CONF=/nonexistent/xcfix.conf sh "$cpe" up
check "... and leaves no namespace" test "$(netns_count)" -eq 0
no "... no host veth" ip link show xc-msee1
no "... no second host veth" ip link show xc-msee2
no "... no run directory" test -e /run/xcsim-cpe

# two CEs by prefix, side by side
check "up with CPE_PREFIX=xa-" env CPE_PREFIX=xa- sh "$cpe" up
check "up with CPE_PREFIX=xb-" env CPE_PREFIX=xb- sh "$cpe" up
check "two namespaces" test "$(netns_count)" -eq 2
check "xa-'s veth" ip link show xa-xc-msee1
check "xb-'s veth" ip link show xb-xc-msee2
pa=$(cat /run/xa-xcsim-cpe/bgpd.pid 2>/dev/null || echo 0)
pb=$(cat /run/xb-xcsim-cpe/bgpd.pid 2>/dev/null || echo 0)
check "xa-'s bgpd runs" kill -0 "$pa"
check "xb-'s bgpd runs" kill -0 "$pb"
check "down xa-" env CPE_PREFIX=xa- sh "$cpe" down
no "xa-'s namespace gone" ip netns pids xa-xcsim-cpe
no "xa-'s veth gone" ip link show xa-xc-msee1
check "xb-'s still there" ip link show xb-xc-msee1
check "down xb-" env CPE_PREFIX=xb- sh "$cpe" down
check "no namespace left" test "$(netns_count)" -eq 0
# bgpd stops on SIGTERM in its own time: up to 5 s
i=0
while [ $i -lt 50 ] && { kill -0 "$pa" || kill -0 "$pb"; } 2>/dev/null; do
	sleep 0.1
	i=$((i + 1))
done
no "xa-'s bgpd stopped" kill -0 "$pa"
no "xb-'s bgpd stopped" kill -0 "$pb"

# a prefix too long for a device name
no "CPE_PREFIX of 7 characters refused" env CPE_PREFIX=xcfix-x sh "$cpe" up
check "... having made nothing" test "$(netns_count)" -eq 0

# whatever a failure above left: the namespaces die with this process
for n in $(ip netns list | cut -d' ' -f1); do
	ip netns pids "$n" | xargs -r kill 2>/dev/null
	ip netns del "$n"
done
echo "cpe_sh_check: $fails failure(s)"
[ "$fails" -eq 0 ]
