#!/usr/bin/env python3
"""bird_feed.py - play a BGP feed (UPDATE messages, as bench/bgp_ingest --dump
writes them) to a real daemon over a real TCP socket and time its ingest.

  bird_feed.py HOST PORT FEED N BIRDC_SOCKET [SOURCE] [AS] [ROUTER_ID]

Connects, sends OPEN (4-octet AS, IPv4 unicast, route refresh; hold 90 s)
and waits for the daemon's OPEN and KEEPALIVE, answers with a KEEPALIVE,
then writes the feed as fast as the socket takes it (KEEPALIVEs every
30 s meanwhile) and polls `birdc show route count` until the table holds
N routes. Prints key=value: the wall time from the first UPDATE byte to
the poll that saw N routes (polls every 20 ms, so the figure is at most
that much late), the prefixes per second, and the daemon's own memory
accounting (`show memory`). Run by bench/bird_ingest.sh, not by CI.
"""
import re
import socket
import struct
import subprocess
import sys
import time


def msg(mtype, body):
    return b"\xff" * 16 + struct.pack("!HB", 19 + len(body), mtype) + body


def open_msg(asn, router_id):
    caps = b""
    caps += bytes([1, 4]) + struct.pack("!HBB", 1, 0, 1)  # IPv4 unicast
    caps += bytes([2, 0])                                 # route refresh
    caps += bytes([65, 4]) + struct.pack("!I", asn)       # 4-octet AS
    opt = bytes([2, len(caps)]) + caps
    my_as = asn if asn < 65536 else 23456
    body = struct.pack("!BHH", 4, my_as, 90) + socket.inet_aton(router_id)
    return msg(1, body + bytes([len(opt)]) + opt)


def read_msg(s, buf):
    while True:
        if len(buf) >= 19:
            n = struct.unpack("!H", buf[16:18])[0]
            if len(buf) >= n:
                return buf[18], buf[n:]
        chunk = s.recv(65536)
        if not chunk:
            raise SystemExit("bird_feed: connection closed by the daemon")
        buf += chunk


def birdc(sock, *cmd):
    return subprocess.run(["birdc", "-s", sock] + list(cmd),
                          capture_output=True, text=True).stdout


def route_count(sock):
    m = re.search(r"(\d+) of \d+ routes", birdc(sock, "show", "route",
                                                 "count"))
    return int(m.group(1)) if m else 0


def memory(sock):
    out = birdc(sock, "show", "memory")
    res = {}
    for line in out.splitlines():
        # "Routing tables:   5706.7 kB   3581.3 kB" (effective, overhead)
        m = re.match(r"\s*([A-Za-z ]+):\s+([\d.]+)\s*([kMG]?B)"
                     r"(?:\s+([\d.]+)\s*([kMG]?B))?", line)
        if m:
            mult = {"B": 1, "kB": 1024, "MB": 1024 ** 2, "GB": 1024 ** 3}
            res[m.group(1).strip()] = float(m.group(2)) * mult[m.group(3)]
            if m.group(4):
                res[m.group(1).strip() + "+"] = (float(m.group(4)) *
                                                 mult[m.group(5)])
    return res


def main():
    host, port, feed, n, sock = sys.argv[1:6]
    src = sys.argv[6] if len(sys.argv) > 6 else None
    asn = int(sys.argv[7]) if len(sys.argv) > 7 else 12076
    rid = sys.argv[8] if len(sys.argv) > 8 else "1.1.1.1"
    port, n = int(port), int(n)
    data = open(feed, "rb").read()
    s = socket.create_connection((host, port),
                                 source_address=(src, 0) if src else None)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    s.sendall(open_msg(asn, rid))
    buf = b""
    seen = set()
    while not {1, 4} <= seen:
        t, buf = read_msg(s, buf)
        if t == 3:
            raise SystemExit("bird_feed: NOTIFICATION from the daemon")
        seen.add(t)
    ka = msg(4, b"")
    s.sendall(ka)
    time.sleep(0.5)         # the daemon settles in Established
    base = route_count(sock)
    t0 = time.monotonic()
    s.setblocking(False)
    off, last_ka = 0, t0
    while off < len(data):
        try:
            off += s.send(data[off:off + 262144])
        except BlockingIOError:
            time.sleep(0.001)
        try:
            s.recv(65536)   # the daemon's KEEPALIVEs; never an UPDATE here
        except BlockingIOError:
            pass
        if time.monotonic() - last_ka > 30:
            s.setblocking(True)
            s.sendall(ka)
            s.setblocking(False)
            last_ka = time.monotonic()
    t_sent = time.monotonic()
    while route_count(sock) < base + n:
        time.sleep(0.02)
        if time.monotonic() - last_ka > 30:
            s.setblocking(True)
            s.sendall(ka)
            s.setblocking(False)
            last_ka = time.monotonic()
    t1 = time.monotonic()
    mem = memory(sock)
    tables = mem.get("Routing tables", 0) + mem.get("Route attributes", 0)
    over = mem.get("Routing tables+", 0) + mem.get("Route attributes+", 0)
    unreach = birdc(sock, "show", "route", "count", "where",
                    "dest != RTD_UNICAST")
    m = re.search(r"(\d+) of \d+ routes", unreach)
    print("daemon=bird prefixes=%d wall_s=%.3f send_s=%.3f "
          "prefixes_per_s=%.0f tables_bytes=%.0f bytes_per_route=%.1f "
          "overhead_bytes_per_route=%.1f total_bytes=%.0f "
          "not_unicast=%s" % (n, t1 - t0, t_sent - t0, n / (t1 - t0),
                              tables, tables / n, over / n,
                              mem.get("Total", 0), m.group(1) if m else "?"))
    s.close()


if __name__ == "__main__":
    main()
