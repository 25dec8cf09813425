#!/bin/sh
# cloud_overview.sh - the overview scenario with 10 minutes of traffic
# (bench/scenarios/cloud-overview-10min.yaml: 100 database transactions a
# second and a 2 GB bulk copy across Azure's NSG, the ExpressRoute
# gateway's SKU shaper, the circuit's policer and OCI's security list):
# wall time, events per second and peak memory, and what the filters and
# the shapers cost per packet, each against the same scenario without them
# in the same run: its expansion (`xcsim expand`) with the acl_bindings
# removed (the same packets, nothing judging them), and with each shaped
# or policed direction made a plain link of the bucket's rate (the same
# bottleneck, no bucket).
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
python3 - "$tmp/full.yaml" "$tmp" <<'PY'
import sys, yaml, copy
d = yaml.safe_load(open(sys.argv[1]))
# no filters: the same packets, nothing judges them
nf = copy.deepcopy(d)
nf.pop("acl_bindings", None)
yaml.safe_dump(nf, open(sys.argv[2] + "/nofilter.yaml", "w"), sort_keys=False)
# no shapers: each shaped or policed direction becomes a plain link of the
# bucket's rate, so the same bottleneck stays where it was
ns = copy.deepcopy(d)
for l in ns.get("links", []):
    for k in ("a_to_b", "b_to_a"):
        o = l.get(k)
        if isinstance(o, dict) and "qdisc" in o:
            o["rate"] = o["qdisc"]["rate"]
            del o["qdisc"]
    if "qdisc" in l:
        l["rate"] = l["qdisc"]["rate"]
        del l["qdisc"]
yaml.safe_dump(ns, open(sys.argv[2] + "/noshaper.yaml", "w"), sort_keys=False)
PY

# run NAME FILE: the run of REPS with the least CPU time (user seconds,
# less disturbed by other load than wall time), kept as "cpu rss wall"
run() {
	best=""
	i=0
	while [ $i -lt "$REPS" ]; do
		rm -rf "$tmp/out-$1"
		/usr/bin/time -f "%U %M %e" -o "$tmp/time-$1" "$xcsim" run "$2" \
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
run nofilter "$tmp/nofilter.yaml"
run noshaper "$tmp/noshaper.yaml"

python3 - "$tmp" "$tmp/full.yaml" <<'PY'
import json, sys, yaml
t = sys.argv[1]
def load(n):
    cpu, rss, wall = open(f"{t}/best-{n}").read().split()
    return float(cpu), int(rss), json.load(open(f"{t}/metrics-{n}.json"))
runs = {n: load(n) for n in ("full", "nofilter", "noshaper")}
exp = yaml.safe_load(open(sys.argv[2]))
fw, frss, fm = runs["full"]
judged = sum(b["allowed"] + b["denied"] for b in fm.get("acl_bindings", []))
def shaped_dirs(l):
    out = []
    for k, dn in (("a_to_b", "a->b"), ("b_to_a", "b->a")):
        if "qdisc" in l or (isinstance(l.get(k), dict) and "qdisc" in l[k]):
            out.append(dn)
    return out
sd = {l["name"]: shaped_dirs(l) for l in exp["links"]}
shaped = sum(l["tx_packets"] for l in fm["links"] if l["dir"] in sd.get(l["link"], []))
hops = sum(l["tx_packets"] for l in fm["links"])
print("cloud overview, 660 s simulated (10 min of traffic), least CPU of the runs:")
label = {"full": "as expanded", "nofilter": "without the filters",
         "noshaper": "shapers as plain links"}
for n in ("full", "nofilter", "noshaper"):
    w, rss, m = runs[n]
    print(f"  {label[n]:<24}: {w:7.3f} s CPU, {m['events']:>10,} events, "
          f"{m['events']/w/1e6:5.2f} M events/s, peak RSS {rss/1024:5.1f} MiB, "
          f"{w/fw:5.3f}x as expanded")
print(f"  packet hops {hops:,} ({fw/hops*1e9:.1f} ns of CPU each as expanded)")
nw = runs["nofilter"][0]
print(f"  filters: {judged:,} packets judged, {(fw-nw)/judged*1e9:6.1f} ns each "
      f"(as expanded {fw:.3f} s CPU vs without {nw:.3f} s; the same events: "
      f"{runs['nofilter'][2]['events'] == fm['events']})")
sw, sm = runs["noshaper"][0], runs["noshaper"][2]
print(f"  shapers and policers: {shaped:,} packets, {(fw-sw)/shaped*1e9:6.1f} ns each "
      f"(events {fm['events']:,} vs {sm['events']:,}: the buckets' release "
      f"events are theirs)")
PY
