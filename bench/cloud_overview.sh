#!/bin/sh
# cloud_overview.sh - the overview scenario with 10 minutes of traffic
# (bench/scenarios/cloud-overview-10min.yaml: 100 database transactions a
# second and a 2 GB bulk copy across Azure's NSG, the ExpressRoute
# gateway's SKU shaper, the circuit's policer and OCI's security list):
# wall time, events per second and peak memory, and what the filters and
# shapers cost per packet they judge, against the same scenario with them
# taken out of its expansion (`xcsim expand`, acl_bindings and qdiscs
# removed), measured in the same run.
#
# usage: bench/cloud_overview.sh [XCSIM]   (default: build-bench/xcsim, else build/xcsim)
# Environment: REPS=3 runs of each; the fastest is kept.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
xcsim=${1:-}
if [ -z "$xcsim" ]; then
	if [ -x "$root/build-bench/xcsim" ]; then xcsim=$root/build-bench/xcsim
	else xcsim=$root/build/xcsim; fi
fi
REPS=${REPS:-3}
scn=$here/scenarios/cloud-overview-10min.yaml
tmp=$(mktemp -d /tmp/xcsim-cloudbench.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM

# The anchor: the expansion without its filters and shapers.
"$xcsim" expand "$scn" >"$tmp/full.yaml"
python3 - "$tmp/full.yaml" "$tmp/bare.yaml" <<'PY'
import sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
d.pop("acl_bindings", None)
for l in d.get("links", []):
    l.pop("qdisc", None)
    for k in ("a_to_b", "b_to_a"):
        if isinstance(l.get(k), dict):
            l[k].pop("qdisc", None)
yaml.safe_dump(d, open(sys.argv[2], "w"), sort_keys=False)
PY

# run NAME FILE: the fastest of REPS runs; prints "wall_s events rss_kb"
run() {
	best=""
	i=0
	while [ $i -lt "$REPS" ]; do
		rm -rf "$tmp/out-$1"
		/usr/bin/time -f "%e %M" -o "$tmp/time-$1" "$xcsim" run "$2" \
		    --out "$tmp/out-$1" -q >/dev/null 2>&1 || {
			echo "xcsim run $2 failed" >&2; exit 1; }
		w=$(cut -d' ' -f1 "$tmp/time-$1")
		if [ -z "$best" ] || [ "$(echo "$w < $best" | bc)" = 1 ]; then
			best=$w
			cp "$tmp/time-$1" "$tmp/best-$1"
			cp "$tmp/out-$1/metrics.json" "$tmp/metrics-$1.json"
		fi
		i=$((i + 1))
	done
}
run full "$tmp/full.yaml"
run bare "$tmp/bare.yaml"

python3 - "$tmp" "$tmp/full.yaml" <<'PY'
import json, sys, yaml
t = sys.argv[1]
def load(n):
    w, rss = open(f"{t}/best-{n}").read().split()
    m = json.load(open(f"{t}/metrics-{n}.json"))
    return float(w), int(rss), m
fw, frss, fm = load("full")
bw, brss, bm = load("bare")
exp = yaml.safe_load(open(sys.argv[2]))
judged = sum(b["allowed"] + b["denied"] for b in fm.get("acl_bindings", []))
shaped_links = {l["name"] for l in exp["links"]
                if "qdisc" in l or any(isinstance(l.get(k), dict) and "qdisc" in l[k]
                                       for k in ("a_to_b", "b_to_a"))}
shaped = sum(l["tx_packets"] for l in fm["links"] if l["link"] in shaped_links)
hops = sum(l["tx_packets"] for l in fm["links"])
print("cloud overview, 660 s simulated (10 min of traffic), fastest of the runs:")
print(f"  with filters and shapers : {fw:7.3f} s wall, {fm['events']:>10,} events, "
      f"{fm['events']/fw/1e6:5.2f} M events/s, peak RSS {frss/1024:6.1f} MiB")
print(f"  without (the anchor)     : {bw:7.3f} s wall, {bm['events']:>10,} events, "
      f"{bm['events']/bw/1e6:5.2f} M events/s, peak RSS {brss/1024:6.1f} MiB")
print(f"  ratio with / without     : {fw/bw:5.3f} x wall")
print(f"  packet hops {hops:,}; judged by filters {judged:,}; through shapers/policers {shaped:,}")
d = fw - bw
n = judged + shaped
print(f"  cost per judged or shaped packet: {d/n*1e9:6.1f} ns "
      f"({d*1e3:.1f} ms over {n:,}; wall time per packet hop {fw/hops*1e9:.1f} ns)")
PY
