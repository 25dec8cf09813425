#!/usr/bin/env python3
"""extract.py PCAP OUTDIR - cut the BGP TCP streams of PCAP into messages.

Used by capture.sh (by hand, not in CI). tshark lists every TCP payload
with its stream, sender and raw sequence number; each direction is put
back in sequence order (duplicates dropped), then cut at the BGP header's
length field. Files are numbered in capture order of the first byte."""
import subprocess
import sys

TYPES = {1: "open", 2: "update", 3: "notification", 4: "keepalive",
         5: "refresh"}


def sender(ip, as4_addr="127.0.0.2", as2_addr="127.0.0.4", peer_ip=None):
    """Who sent it: BIRD or gobgp, on the 4-octet or the 2-octet session."""
    if ip == as4_addr:
        return "bird4"
    if ip == as2_addr:
        return "bird2"
    return "gobgp4" if peer_ip == as4_addr else "gobgp2"


def main():
    pcap, out = sys.argv[1], sys.argv[2]
    rows = subprocess.run(
        ["tshark", "-r", pcap, "-Y", "tcp.len > 0", "-T", "fields",
         "-e", "frame.number", "-e", "tcp.stream", "-e", "ip.src",
         "-e", "ip.dst", "-e", "tcp.seq_raw", "-e", "tcp.payload"],
        check=True, capture_output=True, text=True).stdout.splitlines()
    flows = {}
    for r in rows:
        frame, stream, src, dst, seq, payload = r.split("\t")
        key = (int(stream), src, dst)
        f = flows.setdefault(key, {"first": int(frame), "segs": {}})
        f["segs"].setdefault(int(seq), (int(frame),
                             bytes.fromhex(payload.replace(":", ""))))
    msgs = []
    for (stream, src, dst), f in flows.items():
        segs = sorted(f["segs"].items())
        data = b""
        frames = []
        nxt = segs[0][0]
        for seq, (fr, p) in segs:
            if seq < nxt:
                p = p[nxt - seq:]
                seq = nxt
            if seq != nxt:
                break
            frames.append((len(data), fr))
            data += p
            nxt += len(p)
        off = 0
        idx = 0
        while off + 19 <= len(data):
            n = int.from_bytes(data[off + 16:off + 18], "big")
            if n < 19 or off + n > len(data):
                break
            fr = max(x for o, x in frames if o <= off)
            msgs.append((fr, idx, sender(src, peer_ip=dst),
                         data[off:off + n]))
            off += n
            idx += 1
    msgs.sort(key=lambda m: (m[0], m[1]))
    for i, (_, _, who, m) in enumerate(msgs):
        name = "%s/%02d-%s-%s.bin" % (out, i, who, TYPES.get(m[18], "type%d" % m[18]))
        with open(name, "wb") as fh:
            fh.write(m)
        print(name, len(m))


if __name__ == "__main__":
    main()
