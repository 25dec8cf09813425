#!/usr/bin/env python3
# md5_vectors.py - the expected RFC 2385 digests of tests/test_tcp_md5.c,
# computed independently of xcsim (python3's hashlib) straight from RFC 2385
# section 2.0: pseudo-header (src, dst, zero, protocol 6, segment length),
# the TCP header without options with its checksum zeroed, the data, the key.
# Run by hand; the test holds the bytes it prints.
import hashlib
import struct


def ip(s):
    return bytes(int(x) for x in s.split("."))


def digest(src, dst, hdr, data, key):
    seglen = len(hdr) + len(data)
    ph = ip(src) + ip(dst) + struct.pack("!BBH", 0, 6, seglen)
    th = bytearray(hdr[:20])
    th[16] = th[17] = 0
    return hashlib.md5(ph + bytes(th) + data + key).digest()


def header(sport, dport, seq, ack, off, flags, win, csum, opts):
    h = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, off << 4, flags,
                    win, csum, 0)
    return h + opts


def show(name, d):
    print("%s: { %s }" % (name, ", ".join("0x%02x" % b for b in d)))


# 1: an ACK carrying a BGP KEEPALIVE, options NOP NOP MD5 (digest zeros:
# only the first 20 header bytes are hashed, so they do not matter)
opts = bytes([1, 1, 19, 18]) + bytes(16)
hdr = header(49152, 179, 0x01020304, 0x05060708, 10, 0x18, 0x1000, 0xabcd,
             opts)
ka = bytes([0xff] * 16) + bytes([0x00, 0x13, 0x04])
show("keepalive", digest("10.0.0.1", "10.0.0.2", hdr, ka, b"xcsim-md5"))

# 2: a SYN, no data, a key of 80 bytes 0..79
opts = bytes([1, 1, 19, 18]) + bytes(16) + bytes([2, 4, 0x05, 0xb4])
hdr = header(179, 50000, 0xfffffff0, 0, 11, 0x02, 65535, 0x1234, opts)
show("syn", digest("192.168.1.2", "172.16.0.9", hdr, b"", bytes(range(80))))

# 3: 1000 data bytes, all zero (as virtual bytes are), key "k"
opts = bytes([1, 1, 19, 18]) + bytes(16)
hdr = header(1000, 2000, 7, 9, 10, 0x10, 512, 0, opts)
show("zeros", digest("10.1.2.3", "10.3.2.1", hdr, bytes(1000), b"k"))
