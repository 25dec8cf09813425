#!/bin/sh
# provisioning.sh - the provisioning control plane under load (issue 11):
# the default walkthrough (`xcsim run` with no scenario, 80 simulated
# minutes), and bench/scenarios/provisioning-24h.yaml cut to each length of
# LENGTHS (the walkthrough's set-up, then every hour an NSG rule deleted and
# re-created, the virtual circuit disabled and enabled and the private
# peering reset, with ten database transactions a second and a ping every
# 5 s from 70m; the queries pause in each hour's :10-:25 window). For
# each: user CPU and wall time, events per second, peak RSS, trace.xct and
# metrics.csv per simulated hour, and the queries answered (a failed one is
# reported on stderr). The anchor, run in the
# same invocation: the same scenario without its timeline (every resource
# there from time zero, the same traffic), so the control plane's cost is a
# ratio. Every operation must go as the timeline expects (the run exits 1
# otherwise, and so does this script). Then each length once more with each
# trace level of LEVELS (record.packets, or sampleN for packet_sample: N):
# trace bytes per simulated hour at each level, and the peak RSS, which is
# flat with the length when memory is bounded.
#
# usage: bench/provisioning.sh [XCSIM]   (default: build-bench/xcsim, else build/xcsim)
# Environment:
#   REPS=3           runs of each configuration up to 6 h; the least user CPU
#                    is kept (wall time is noisy on a shared machine)
#   LENGTHS="2h 6h"  simulated lengths of the timeline scenario, in hours;
#                    PROV_24H=1 adds 24h (one run each way, about 40 s of wall
#                    time and 6 GB of trace at record.packets all: past
#                    run.sh's budget)
#   LEVELS="drops none sample100"  the other trace levels, one run each
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
xcsim=${1:-}
if [ -z "$xcsim" ]; then
	if [ -x "$root/build-bench/xcsim" ]; then xcsim=$root/build-bench/xcsim
	else xcsim=$root/build/xcsim; fi
fi
REPS=${REPS:-3}
LENGTHS=${LENGTHS:-2h 6h}
LEVELS=${LEVELS-drops none sample100}
[ "${PROV_24H:-0}" = 1 ] && LENGTHS="$LENGTHS 24h"
scn=$here/scenarios/provisioning-24h.yaml
tmp=$(mktemp -d /tmp/xcsim-provbench.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM

# variants: each length with its timeline cut to what completes in it, and
# the anchor (no timeline: the resources from time zero, the same apps)
python3 - "$scn" "$tmp" "$LEVELS" $LENGTHS <<'PY'
import sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
def minutes(t):
    t = str(t)
    for u, f in (("ms", 1 / 60000), ("s", 1 / 60), ("m", 1), ("h", 60)):
        if t.endswith(u) and t[: -len(u)].replace(".", "").isdigit():
            return float(t[: -len(u)]) * f
    raise SystemExit(f"provisioning.sh: time {t!r}")
levels = sys.argv[3].split()
for length in sys.argv[4:]:
    end = minutes(length)
    v = dict(d, duration=length)
    # an hour's operations are over by its 20th minute (the longest draw:
    # an enable of 3 min at :17); the apps that start in the run
    v["timeline"] = [t for t in d["timeline"]
                     if "at" not in t or minutes(t["at"]) + 10 <= end]
    v["apps"] = [a for a in d["apps"] if minutes(a["start"]) < end]
    yaml.safe_dump(v, open(f"{sys.argv[2]}/tl-{length}.yaml", "w"), sort_keys=False)
    for lv in levels:
        rec = ({"packet_sample": int(lv[6:])} if lv.startswith("sample")
               else {"packets": lv})
        yaml.safe_dump(dict(v, record=rec), open(f"{sys.argv[2]}/tl-{length}-{lv}.yaml", "w"),
                       sort_keys=False)
    a = dict(v)
    a.pop("timeline")
    yaml.safe_dump(a, open(f"{sys.argv[2]}/anchor-{length}.yaml", "w"), sort_keys=False)
PY

# run NAME REPS [FILE]: the run with the least user CPU of REPS, kept as
# "user rss wall" in best-NAME plus its metrics.json and output sizes
run() {
	name=$1 n=$2
	shift 2
	best=""
	i=0
	while [ $i -lt "$n" ]; do
		rm -rf "$tmp/out"
		/usr/bin/time -f "%U %M %e" -o "$tmp/time" "$xcsim" run "$@" \
		    --out "$tmp/out" -q >"$tmp/log" 2>&1 || {
			echo "provisioning.sh: xcsim run $* failed:" >&2
			cat "$tmp/log" >&2
			exit 1
		}
		u=$(cut -d' ' -f1 "$tmp/time")
		if [ -z "$best" ] || [ "$(echo "$u < $best" | bc)" = 1 ]; then
			best=$u
			echo "$(cat "$tmp/time") $(stat -c %s "$tmp/out/trace.xct")" \
			    "$(stat -c %s "$tmp/out/metrics.csv")" >"$tmp/best-$name"
			cp "$tmp/out/metrics.json" "$tmp/metrics-$name.json"
		fi
		i=$((i + 1))
	done
	rm -rf "$tmp/out"
}

run walkthrough "$REPS"
for l in $LENGTHS; do
	r=$REPS
	[ "$l" = 24h ] && r=1
	run "tl-$l" "$r" "$tmp/tl-$l.yaml"
	run "anchor-$l" "$r" "$tmp/anchor-$l.yaml"
	for lv in $LEVELS; do
		run "tl-$l-$lv" 1 "$tmp/tl-$l-$lv.yaml"
	done
done

python3 - "$tmp" "$LEVELS" $LENGTHS <<'PY'
import json, sys
t = sys.argv[1]
levels = sys.argv[2].split()
def load(n):
    u, rss, wall, trace, csv = open(f"{t}/best-{n}").read().split()
    m = json.load(open(f"{t}/metrics-{n}.json"))
    return float(u), int(rss), float(wall), int(trace), int(csv), m
def row(label, n, hours, anchor=None):
    u, rss, wall, trace, csv, m = load(n)
    ev = m["events"]
    rr = [a for a in m["apps"] if a["type"] == "request_response"]
    tx = sum(a["transactions"] for a in rr)
    failed = sum(a["failed"] for a in rr)
    if failed:
        print(f"provisioning.sh: {n}: {failed} transactions failed", file=sys.stderr)
    s = (f"  {label:<22} {u:7.2f} {wall:7.2f} {ev:>11,} {ev / u / 1e6:6.2f} "
         f"{rss / 1024:7.1f} {trace / hours / 2**20:9.1f} {csv / hours / 2**20:8.2f} {tx:>9,}")
    if anchor:
        au = load(anchor)[0]
        s += f"  {u / au:5.3f}x"
    print(s)
print("provisioning (least user CPU of the runs; trace and csv per simulated hour):")
print(f"  {'configuration':<22} {'CPU s':>7} {'wall s':>7} {'events':>11} "
      f"{'Mev/s':>6} {'RSS MiB':>7} {'trace MiB/h':>9} {'csv MiB/h':>8} {'queries':>9}  CPU vs anchor")
row("walkthrough (80 min)", "walkthrough", 80 / 60)
for l in sys.argv[3:]:
    h = float(l.rstrip("h"))
    row(f"timeline {l}", f"tl-{l}", h, f"anchor-{l}")
    row(f"anchor {l} (no timeline)", f"anchor-{l}", h)
    for lv in levels:
        row(f"timeline {l} {lv}", f"tl-{l}-{lv}", h)
PY
