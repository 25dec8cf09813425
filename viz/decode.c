/* decode.c - bounded header parsing for display. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "decode.h"

const char *const decode_class_name[DC_MAX] = {
	[DC_OTHER] = "other",
	[DC_ICMP] = "ICMP",
	[DC_TCP_DATA] = "TCP data",
	[DC_TCP_ACK] = "TCP ACK",
	[DC_BGP] = "BGP",
	[DC_BFD] = "BFD",
	[DC_ESP] = "ESP",
	[DC_UDP] = "UDP",
};

/* Where the layers of a frame start; 0 offsets mean "not present". */
struct layers {
	const uint8_t *p;
	size_t len;
	uint32_t wire_len;
	size_t ntags;
	size_t tag_off[4];
	uint16_t ethertype;
	size_t l3;		/* IPv4 header offset, 0 if none */
	size_t ihl;
	uint8_t proto;
	uint16_t ip_total;
	bool fragment;		/* not the first fragment: no L4 header */
	size_t l4;		/* L4 offset, 0 if not available */
};

static uint16_t
rd16(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

static uint32_t
rd32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
	    ((uint32_t)p[2] << 8) | p[3];
}

static void
parse(const uint8_t *p, size_t len, uint32_t wire_len, struct layers *l)
{
	size_t off;

	memset(l, 0, sizeof(*l));
	l->p = p;
	l->len = len;
	l->wire_len = wire_len;
	if (p == NULL || len < 14)
		return;
	off = 12;
	l->ethertype = rd16(p + off);
	while ((l->ethertype == 0x8100 || l->ethertype == 0x88a8 ||
	    l->ethertype == 0x9100) && l->ntags < 4 && off + 6 <= len) {
		l->tag_off[l->ntags++] = off;
		off += 4;
		l->ethertype = rd16(p + off);
	}
	off += 2;
	if (l->ethertype != 0x0800 || off + 20 > len)
		return;
	if ((p[off] >> 4) != 4 || (p[off] & 0xf) < 5)
		return;
	l->l3 = off;
	l->ihl = (size_t)(p[off] & 0xf) * 4;
	l->proto = p[off + 9];
	l->ip_total = rd16(p + off + 2);
	l->fragment = (rd16(p + off + 6) & 0x1fff) != 0;
	if (!l->fragment && off + l->ihl < len)
		l->l4 = off + l->ihl;
}

/* L4 payload bytes, from the IP total length (the capture is truncated). */
static long
l4_payload(const struct layers *l, size_t l4hdr)
{
	return (long)l->ip_total - (long)l->ihl - (long)l4hdr;
}

enum decode_class
decode_classify(const uint8_t *hdr, size_t len, uint32_t wire_len)
{
	struct layers l;
	uint16_t sp, dp;
	size_t thl;

	parse(hdr, len, wire_len, &l);
	if (l.l3 == 0)
		return DC_OTHER;
	if (l.proto == 50)
		return DC_ESP;
	if (l.proto == 1)
		return DC_ICMP;
	if (l.l4 == 0)
		return l.proto == 17 ? DC_UDP : DC_OTHER;
	if (l.proto == 6) {
		if (l.l4 + 13 > len)
			return DC_TCP_DATA;
		sp = rd16(hdr + l.l4);
		dp = rd16(hdr + l.l4 + 2);
		if (sp == 179 || dp == 179)
			return DC_BGP;
		thl = (size_t)(hdr[l.l4 + 12] >> 4) * 4;
		return l4_payload(&l, thl) > 0 ? DC_TCP_DATA : DC_TCP_ACK;
	}
	if (l.proto == 17) {
		if (l.l4 + 4 > len)
			return DC_UDP;
		sp = rd16(hdr + l.l4);
		dp = rd16(hdr + l.l4 + 2);
		if (dp == 3784 || dp == 4784 || sp == 3784 || sp == 4784)
			return DC_BFD;
		return DC_UDP;
	}
	return DC_OTHER;
}

struct out {
	struct decode_field *f;
	size_t n, max;
	const char *layer;
};

static void
add(struct out *o, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
add(struct out *o, const char *name, const char *fmt, ...)
{
	va_list ap;
	struct decode_field *f;

	if (o->n >= o->max)
		return;
	f = &o->f[o->n++];
	snprintf(f->layer, sizeof(f->layer), "%s", o->layer);
	snprintf(f->name, sizeof(f->name), "%s", name);
	va_start(ap, fmt);
	vsnprintf(f->value, sizeof(f->value), fmt, ap);
	va_end(ap);
}

static void
fmt_mac(char *b, size_t n, const uint8_t *m)
{
	snprintf(b, n, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3],
	    m[4], m[5]);
}

static void
fmt_ip(char *b, size_t n, const uint8_t *a)
{
	snprintf(b, n, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
}

static const char *
icmp_type_name(uint8_t type)
{
	switch (type) {
	case 0:
		return "echo reply";
	case 3:
		return "unreachable";
	case 8:
		return "echo request";
	case 11:
		return "time exceeded";
	default:
		return "";
	}
}

static void
tcp_flags(char *b, size_t n, uint8_t fl)
{
	static const char *const names[8] = { "FIN", "SYN", "RST", "PSH",
		"ACK", "URG", "ECE", "CWR" };
	size_t used = 0;
	int i;

	b[0] = '\0';
	for (i = 0; i < 8; i++) {
		if (!(fl & (1u << i)))
			continue;
		used += (size_t)snprintf(b + used, used < n ? n - used : 0,
		    "%s%s", used ? " " : "", names[i]);
		if (used >= n)
			break;
	}
	if (b[0] == '\0')
		snprintf(b, n, "none");
}

static void
fields_l4(const struct layers *l, struct out *o)
{
	const uint8_t *p = l->p + l->l4;
	size_t avail = l->len - l->l4;
	char b[48];
	size_t thl;

	switch (l->proto) {
	case 1:
		o->layer = "ICMP";
		if (avail < 4)
			return;
		add(o, "type", "%u %s", p[0], icmp_type_name(p[0]));
		add(o, "code", "%u", p[1]);
		add(o, "checksum", "0x%04x", rd16(p + 2));
		if (avail >= 8 && (p[0] == 0 || p[0] == 8)) {
			add(o, "identifier", "%u", rd16(p + 4));
			add(o, "sequence", "%u", rd16(p + 6));
		}
		break;
	case 6:
		o->layer = "TCP";
		if (avail < 20)
			return;
		add(o, "source port", "%u", rd16(p));
		add(o, "dest port", "%u", rd16(p + 2));
		add(o, "sequence", "%u", rd32(p + 4));
		add(o, "ack", "%u", rd32(p + 8));
		thl = (size_t)(p[12] >> 4) * 4;
		add(o, "header length", "%zu", thl);
		tcp_flags(b, sizeof(b), p[13]);
		add(o, "flags", "%s", b);
		add(o, "window", "%u", rd16(p + 14));
		add(o, "checksum", "0x%04x", rd16(p + 16));
		add(o, "payload", "%ld bytes", l4_payload(l, thl));
		if ((rd16(p) == 179 || rd16(p + 2) == 179) && thl >= 20 &&
		    avail >= thl + 19) {
			static const char *const bgp_types[6] = { "?", "OPEN",
				"UPDATE", "NOTIFICATION", "KEEPALIVE",
				"ROUTE-REFRESH" };
			uint8_t t = p[thl + 18];

			o->layer = "BGP";
			add(o, "length", "%u", rd16(p + thl + 16));
			add(o, "type", "%u %s", t, t < 6 ? bgp_types[t] : "");
		}
		break;
	case 17:
		o->layer = "UDP";
		if (avail < 8)
			return;
		add(o, "source port", "%u", rd16(p));
		add(o, "dest port", "%u", rd16(p + 2));
		add(o, "length", "%u", rd16(p + 4));
		add(o, "checksum", "0x%04x", rd16(p + 6));
		if ((rd16(p + 2) == 3784 || rd16(p + 2) == 4784) &&
		    avail >= 8 + 16) {
			static const char *const st[4] = { "AdminDown", "Down",
				"Init", "Up" };
			const uint8_t *b2 = p + 8;

			o->layer = "BFD";
			add(o, "version", "%u", b2[0] >> 5);
			add(o, "diag", "%u", b2[0] & 0x1f);
			add(o, "state", "%s", st[b2[1] >> 6]);
			add(o, "detect mult", "%u", b2[2]);
			add(o, "my discr", "%u", rd32(b2 + 4));
			add(o, "your discr", "%u", rd32(b2 + 8));
			add(o, "min tx", "%u us", rd32(b2 + 12));
		}
		break;
	case 50:
		o->layer = "ESP";
		if (avail < 8)
			return;
		add(o, "SPI", "0x%08x", rd32(p));
		add(o, "sequence", "%u", rd32(p + 4));
		break;
	default:
		break;
	}
}

size_t
decode_fields(const uint8_t *hdr, size_t len, uint32_t wire_len,
    struct decode_field *out, size_t max)
{
	struct layers l;
	struct out o = { out, 0, max, "" };
	char a[32], b[32];
	size_t i;
	const uint8_t *ip;

	parse(hdr, len, wire_len, &l);
	if (hdr == NULL || len < 14) {
		o.layer = "Frame";
		add(&o, "length", "%u bytes on the wire", wire_len);
		add(&o, "captured", "%zu bytes", len);
		return o.n;
	}
	o.layer = "Ethernet";
	fmt_mac(a, sizeof(a), hdr);
	add(&o, "destination", "%s", a);
	fmt_mac(a, sizeof(a), hdr + 6);
	add(&o, "source", "%s", a);
	add(&o, "type", "0x%04x%s", l.ethertype,
	    l.ethertype == 0x0800 ? " IPv4" : "");
	for (i = 0; i < l.ntags; i++) {
		const uint8_t *t = hdr + l.tag_off[i];
		uint16_t tci = rd16(t + 2);

		o.layer = "VLAN tags";
		add(&o, rd16(t) == 0x88a8 ? "S-tag (802.1ad)" : "C-tag (802.1Q)",
		    "VID %u  PCP %u  DEI %u", tci & 0xfff, tci >> 13,
		    (tci >> 12) & 1);
	}
	if (l.l3 == 0)
		return o.n;
	ip = hdr + l.l3;
	o.layer = "IPv4";
	add(&o, "version / IHL", "4 / %zu bytes", l.ihl);
	add(&o, "DSCP / ECN", "%u / %u", ip[1] >> 2, ip[1] & 3);
	add(&o, "total length", "%u", l.ip_total);
	add(&o, "identification", "0x%04x", rd16(ip + 4));
	snprintf(a, sizeof(a), "%s%s", (rd16(ip + 6) & 0x4000) ? "DF " : "",
	    (rd16(ip + 6) & 0x2000) ? "MF" : "");
	add(&o, "flags", "%s", a[0] ? a : "none");
	add(&o, "fragment offset", "%u", (rd16(ip + 6) & 0x1fff) * 8);
	add(&o, "TTL", "%u", ip[8]);
	add(&o, "protocol", "%u %s", ip[9], ip[9] == 1 ? "ICMP" :
	    ip[9] == 6 ? "TCP" : ip[9] == 17 ? "UDP" : ip[9] == 50 ? "ESP" :
	    "");
	add(&o, "checksum", "0x%04x", rd16(ip + 10));
	fmt_ip(a, sizeof(a), ip + 12);
	fmt_ip(b, sizeof(b), ip + 16);
	add(&o, "source", "%s", a);
	add(&o, "destination", "%s", b);
	if (l.l4 != 0)
		fields_l4(&l, &o);
	return o.n;
}

void
decode_summary(const uint8_t *hdr, size_t len, uint32_t wire_len, char *buf,
    size_t buflen)
{
	struct layers l;
	char a[20], b[20];
	const uint8_t *p;
	enum decode_class c;

	parse(hdr, len, wire_len, &l);
	if (l.l3 == 0) {
		snprintf(buf, buflen, "frame, %u bytes", wire_len);
		return;
	}
	fmt_ip(a, sizeof(a), hdr + l.l3 + 12);
	fmt_ip(b, sizeof(b), hdr + l.l3 + 16);
	c = decode_classify(hdr, len, wire_len);
	p = l.l4 ? hdr + l.l4 : NULL;
	if (c == DC_ICMP && p != NULL && l.l4 + 2 <= len) {
		const char *n = icmp_type_name(p[0]);

		snprintf(buf, buflen, "ICMP %s %s > %s", n[0] ? n : "message",
		    a, b);
	} else if (p != NULL && l.l4 + 4 <= len &&
	    (l.proto == 6 || l.proto == 17)) {
		snprintf(buf, buflen, "%s %s:%u > %s:%u",
		    decode_class_name[c], a, rd16(p), b, rd16(p + 2));
	} else {
		snprintf(buf, buflen, "%s %s > %s", decode_class_name[c], a, b);
	}
}

int
decode_payload(const uint8_t *frame, size_t len, uint8_t *proto,
    uint16_t *sport, uint16_t *dport, size_t *off, size_t *n)
{
	struct layers l;
	size_t thl, end;

	parse(frame, len, (uint32_t)len, &l);
	if (l.l4 == 0)
		return -1;
	*proto = l.proto;
	if (l.proto == 6 && l.l4 + 20 <= len)
		thl = (size_t)(frame[l.l4 + 12] >> 4) * 4;
	else if (l.proto == 17 && l.l4 + 8 <= len)
		thl = 8;
	else
		return -1;
	if (thl < 8 || l.l4 + thl > len)
		return -1;
	*sport = rd16(frame + l.l4);
	*dport = rd16(frame + l.l4 + 2);
	/* the IP total length, not the frame's: Ethernet pads short ones */
	end = l.l3 + l.ip_total;
	if (end > len || l.ip_total < l.ihl + thl)
		end = len;
	*off = l.l4 + thl;
	*n = end > *off ? end - *off : 0;
	return 0;
}
