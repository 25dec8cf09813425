/*
 * wire.c - encoding and decoding of Ethernet, VLAN, MPLS, IPv4, ICMP, UDP
 * and TCP headers, and the Internet checksum (RFC 1071, RFC 1624).
 *
 * Every multi-byte field is read and written a byte at a time through
 * get_be16/put_be16 and friends (util.h), so alignment and host byte order never matter.
 * wire_parse takes untrusted bytes: every read is preceded by a length check
 * against buf_len, and the virtual payload (zeros) is only ever counted,
 * never read.
 */
#include <stdio.h>
#include <string.h>

#include "pkt.h"
#include "sim.h"
#include "wire.h"

const char *const wire_err_name[WIRE_ERR_MAX] = {
	[WIRE_OK] = "ok",
	[WIRE_ERR_TRUNC_ETH] = "truncated ethernet header",
	[WIRE_ERR_TRUNC_VLAN] = "truncated vlan tag",
	[WIRE_ERR_VLAN_DEPTH] = "more than two vlan tags",
	[WIRE_ERR_TRUNC_IPV4] = "truncated ipv4 header",
	[WIRE_ERR_IPV4_VERSION] = "ipv4 version is not 4",
	[WIRE_ERR_IPV4_IHL] = "ipv4 header length below 20",
	[WIRE_ERR_IPV4_LEN] = "ipv4 total length disagrees with frame",
	[WIRE_ERR_IPV4_CSUM] = "bad ipv4 header checksum",
	[WIRE_ERR_TRUNC_L4] = "truncated transport header",
	[WIRE_ERR_ICMP_CSUM] = "bad icmp checksum",
	[WIRE_ERR_UDP_LEN] = "udp length disagrees with ipv4 length",
	[WIRE_ERR_UDP_CSUM] = "bad udp checksum",
	[WIRE_ERR_TCP_OFF] = "bad tcp data offset",
	[WIRE_ERR_TCP_CSUM] = "bad tcp checksum",
	[WIRE_ERR_TRUNC_MPLS] = "truncated mpls label stack entry",
	[WIRE_ERR_MPLS_DEPTH] = "mpls label stack without bottom of stack",
};

/*
 * Words are summed in network order. An odd trailing byte is the high half of
 * a word whose low half is zero (RFC 1071 4.1), so a sum over real bytes
 * followed by virtual zeros is the same whatever the real length's parity.
 * The 32-bit accumulator folds as it goes, so any length is safe.
 */
uint32_t
wire_sum(const void *data, size_t len, uint32_t sum)
{
	const uint8_t *b = data;
	uint64_t acc = sum;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		acc += get_be16(b + i);
	if (len & 1)
		acc += (uint32_t)b[len - 1] << 8;
	while (acc >> 32)
		acc = (acc & 0xffffffffu) + (acc >> 32);
	return (uint32_t)acc;
}

uint16_t
wire_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffffu) + (sum >> 16);
	return (uint16_t)~sum;
}

/*
 * RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'). Unlike eqn. 2 it cannot produce
 * 0xffff (negative zero) for a header whose full recomputation gives 0x0000.
 */
uint16_t
wire_csum_update16(uint16_t csum, uint16_t old_word, uint16_t new_word)
{
	uint32_t sum = (uint16_t)~csum;

	sum += (uint16_t)~old_word;
	sum += new_word;
	return wire_fold(sum);
}

/* The IPv4 pseudo-header of RFC 768 / RFC 793, as an unfolded sum. */
static uint32_t
pseudo_sum(uint32_t src, uint32_t dst, uint8_t proto, uint32_t l4_len)
{
	uint32_t sum = 0;

	sum += src >> 16;
	sum += src & 0xffffu;
	sum += dst >> 16;
	sum += dst & 0xffffu;
	sum += proto;
	sum += l4_len;		/* < 65536 by construction */
	return sum;
}

int
wire_push_eth(struct sim *sim, struct pkt *p, const struct eth_hdr *h)
{
	uint8_t *b = pkt_push(sim, p, WIRE_ETH_HLEN);

	memcpy(b, h->dst, 6);
	memcpy(b + 6, h->src, 6);
	put_be16(b + 12, h->type);
	return 0;
}

int
wire_push_vlan(struct sim *sim, struct pkt *p, const struct vlan_tag *t)
{
	uint8_t *b;

	SIM_ASSERT(p->len >= WIRE_ETH_HLEN, "vlan push on a %u-byte frame", p->len);
	SIM_ASSERT(t->pcp <= 7 && t->vid <= 4095, "vlan pcp %u vid %u",
	    t->pcp, t->vid);
	b = pkt_push(sim, p, WIRE_VLAN_HLEN);
	memmove(b, b + WIRE_VLAN_HLEN, 12);
	put_be16(b + 12, t->tpid);
	put_be16(b + 14, (uint16_t)(t->pcp << 13 | (t->dei ? 0x1000u : 0) |
	    t->vid));
	return 0;
}

/*
 * Offset of the EtherType that follows the Ethernet addresses and any tags
 * of the frame in b, or 0 when the frame ends inside them.
 */
static size_t
ethertype_off(const uint8_t *b, size_t len)
{
	size_t off = 12;
	uint16_t type;

	if (len < WIRE_ETH_HLEN)
		return 0;
	type = get_be16(b + off);
	while (type == WIRE_ETHERTYPE_VLAN || type == WIRE_ETHERTYPE_QINQ) {
		if (len - off < 2 + WIRE_VLAN_HLEN)
			return 0;
		off += WIRE_VLAN_HLEN;
		type = get_be16(b + off);
	}
	return off;
}

int
wire_push_mpls(struct sim *sim, struct pkt *p, const struct mpls_lse *l)
{
	size_t off = ethertype_off(p->data, p->len);
	bool bottom;
	uint8_t *b;

	SIM_ASSERT(off != 0, "mpls push on a %u-byte frame", p->len);
	SIM_ASSERT(l->label <= 0xfffffu && l->tc <= 7, "mpls label %u tc %u",
	    l->label, l->tc);
	bottom = get_be16(p->data + off) != WIRE_ETHERTYPE_MPLS;
	b = pkt_push(sim, p, WIRE_MPLS_HLEN);
	/* Addresses and tags move to the front; the entry goes after them. */
	memmove(b, b + WIRE_MPLS_HLEN, off);
	put_be16(b + off, WIRE_ETHERTYPE_MPLS);
	put_be32(b + off + 2, l->label << 12 | (uint32_t)l->tc << 9 |
	    (bottom ? 0x100u : 0) | l->ttl);
	return 0;
}

int
wire_pop_mpls(struct sim *sim, struct pkt *p, struct mpls_lse *l)
{
	size_t off = ethertype_off(p->data, p->len);
	uint16_t type = WIRE_ETHERTYPE_MPLS;
	uint32_t v;

	(void)sim;
	if (off == 0 || get_be16(p->data + off) != WIRE_ETHERTYPE_MPLS ||
	    p->len - off - 2 < WIRE_MPLS_HLEN)
		return -1;
	v = get_be32(p->data + off + 2);
	if (v & 0x100u) {
		/* MPLS names no payload type: IPv4 is the only one we carry. */
		if (p->len <= off + 2 + WIRE_MPLS_HLEN ||
		    p->data[off + 2 + WIRE_MPLS_HLEN] >> 4 != 4)
			return -1;
		type = WIRE_ETHERTYPE_IPV4;
	}
	if (l != NULL) {
		l->label = v >> 12;
		l->tc = (uint8_t)(v >> 9 & 7u);
		l->s = (v & 0x100u) != 0;
		l->ttl = (uint8_t)v;
	}
	memmove(p->data + WIRE_MPLS_HLEN, p->data, off);
	pkt_pull(p, WIRE_MPLS_HLEN);
	put_be16(p->data + off, type);
	return 0;
}

int
wire_push_ipv4(struct sim *sim, struct pkt *p, const struct ipv4_hdr *h)
{
	unsigned ihl = h->ihl ? h->ihl : 5;
	uint32_t hlen = ihl * 4;
	uint64_t total = (uint64_t)hlen + pkt_wire_len(p);
	uint8_t *b;

	SIM_ASSERT(ihl >= 5 && ihl <= 15, "ipv4 ihl %u", ihl);
	if (total > 0xffffu)
		return -1;
	b = pkt_push(sim, p, hlen);
	b[0] = (uint8_t)(0x40 | ihl);
	b[1] = h->tos;
	put_be16(b + 2, (uint16_t)total);
	put_be16(b + 4, h->id);
	put_be16(b + 6, h->frag);
	b[8] = h->ttl;
	b[9] = h->proto;
	put_be16(b + 10, 0);
	put_be32(b + 12, h->src);
	put_be32(b + 16, h->dst);
	/* Options we have no content for are End of Option List bytes. */
	memset(b + WIRE_IPV4_HLEN, 0, hlen - WIRE_IPV4_HLEN);
	put_be16(b + 10, wire_fold(wire_sum(b, hlen, 0)));
	return 0;
}

/* Sum of the real bytes of p; the virtual zeros that follow add nothing. */
static uint32_t
payload_sum(const struct pkt *p, uint32_t sum)
{
	return wire_sum(p->data, p->len, sum);
}

int
wire_push_icmp(struct sim *sim, struct pkt *p, const struct icmp_hdr *h)
{
	uint32_t sum;
	uint8_t *b;

	if ((uint64_t)WIRE_ICMP_HLEN + pkt_wire_len(p) > 0xffffu)
		return -1;
	sum = payload_sum(p, 0);
	b = pkt_push(sim, p, WIRE_ICMP_HLEN);
	b[0] = h->type;
	b[1] = h->code;
	put_be16(b + 2, 0);
	put_be32(b + 4, h->rest);
	put_be16(b + 2, wire_fold(wire_sum(b, WIRE_ICMP_HLEN, sum)));
	return 0;
}

int
wire_push_udp(struct sim *sim, struct pkt *p, const struct udp_hdr *h,
    uint32_t src, uint32_t dst)
{
	uint64_t len = (uint64_t)WIRE_UDP_HLEN + pkt_wire_len(p);
	uint16_t csum;
	uint32_t sum;
	uint8_t *b;

	if (len > 0xffffu)
		return -1;
	sum = payload_sum(p, pseudo_sum(src, dst, WIRE_IPPROTO_UDP, (uint32_t)len));
	b = pkt_push(sim, p, WIRE_UDP_HLEN);
	put_be16(b, h->sport);
	put_be16(b + 2, h->dport);
	put_be16(b + 4, (uint16_t)len);
	put_be16(b + 6, 0);
	csum = wire_fold(wire_sum(b, WIRE_UDP_HLEN, sum));
	/* 0 means "no checksum" in UDP, so a computed 0 is sent as -0. */
	put_be16(b + 6, csum ? csum : 0xffffu);
	return 0;
}

int
wire_push_tcp(struct sim *sim, struct pkt *p, const struct tcp_hdr *h,
    uint32_t src, uint32_t dst)
{
	unsigned off = h->off ? h->off : 5;
	uint32_t hlen = off * 4;
	uint64_t len = (uint64_t)hlen + pkt_wire_len(p);
	uint32_t sum;
	uint8_t *b;

	SIM_ASSERT(off >= 5 && off <= 15, "tcp data offset %u", off);
	if (len > 0xffffu)
		return -1;
	sum = payload_sum(p, pseudo_sum(src, dst, WIRE_IPPROTO_TCP, (uint32_t)len));
	b = pkt_push(sim, p, hlen);
	put_be16(b, h->sport);
	put_be16(b + 2, h->dport);
	put_be32(b + 4, h->seq);
	put_be32(b + 8, h->ack);
	b[12] = (uint8_t)(off << 4);
	b[13] = h->flags;
	put_be16(b + 14, h->win);
	put_be16(b + 16, 0);
	put_be16(b + 18, h->urg);
	if (hlen > WIRE_TCP_HLEN) {
		if (h->opt != NULL)
			memcpy(b + WIRE_TCP_HLEN, h->opt, hlen - WIRE_TCP_HLEN);
		else
			memset(b + WIRE_TCP_HLEN, 0, hlen - WIRE_TCP_HLEN);
	}
	put_be16(b + 16, wire_fold(wire_sum(b, hlen, sum)));
	return 0;
}

static uint32_t
clamp32(uint64_t v)
{
	return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

/* Everything after off, real and virtual, as the payload of the last layer. */
static void
set_payload_rest(struct wire_frame *out, size_t off, size_t buf_len,
    size_t virt_len)
{
	out->payload_off = clamp32(off);
	out->payload_len = clamp32((uint64_t)(buf_len - off) +
	    (virt_len > UINT32_MAX ? UINT32_MAX : virt_len));
}

static enum wire_err
parse_icmp(const uint8_t *l4, size_t real, uint32_t l4_len, bool verify,
    struct wire_frame *out)
{
	if (real < WIRE_ICMP_HLEN)
		return WIRE_ERR_TRUNC_L4;
	out->icmp.type = l4[0];
	out->icmp.code = l4[1];
	out->icmp.csum = get_be16(l4 + 2);
	out->icmp.rest = get_be32(l4 + 4);
	if (verify && wire_fold(wire_sum(l4, real, 0)) != 0)
		return WIRE_ERR_ICMP_CSUM;
	out->has_icmp = true;
	out->payload_len = l4_len - WIRE_ICMP_HLEN;
	return WIRE_OK;
}

static enum wire_err
parse_udp(const uint8_t *l4, size_t real, uint32_t l4_len, bool verify,
    struct wire_frame *out)
{
	uint16_t ulen;

	if (real < WIRE_UDP_HLEN)
		return WIRE_ERR_TRUNC_L4;
	out->udp.sport = get_be16(l4);
	out->udp.dport = get_be16(l4 + 2);
	out->udp.len = ulen = get_be16(l4 + 4);
	out->udp.csum = get_be16(l4 + 6);
	/* A datagram longer than its UDP length is padding (RFC 768). */
	if (ulen < WIRE_UDP_HLEN || ulen > l4_len)
		return WIRE_ERR_UDP_LEN;
	if (real > ulen)
		real = ulen;
	if (verify && out->udp.csum != 0 &&
	    wire_fold(wire_sum(l4, real, pseudo_sum(out->ip.src, out->ip.dst,
	    WIRE_IPPROTO_UDP, ulen))) != 0)
		return WIRE_ERR_UDP_CSUM;
	out->has_udp = true;
	out->payload_len = ulen - WIRE_UDP_HLEN;
	return WIRE_OK;
}

static enum wire_err
parse_tcp(const uint8_t *l4, size_t real, uint32_t l4_len, bool verify,
    struct wire_frame *out)
{
	uint32_t hlen;

	if (real < WIRE_TCP_HLEN)
		return WIRE_ERR_TRUNC_L4;
	out->tcp.sport = get_be16(l4);
	out->tcp.dport = get_be16(l4 + 2);
	out->tcp.seq = get_be32(l4 + 4);
	out->tcp.ack = get_be32(l4 + 8);
	out->tcp.off = l4[12] >> 4;
	out->tcp.flags = l4[13];
	out->tcp.win = get_be16(l4 + 14);
	out->tcp.csum = get_be16(l4 + 16);
	out->tcp.urg = get_be16(l4 + 18);
	hlen = out->tcp.off * 4u;
	if (out->tcp.off < 5 || hlen > l4_len)
		return WIRE_ERR_TCP_OFF;
	if (hlen > real)
		return WIRE_ERR_TRUNC_L4;
	out->tcp.opt = hlen > WIRE_TCP_HLEN ? l4 + WIRE_TCP_HLEN : NULL;
	if (verify && wire_fold(wire_sum(l4, real, pseudo_sum(out->ip.src,
	    out->ip.dst, WIRE_IPPROTO_TCP, l4_len))) != 0)
		return WIRE_ERR_TCP_CSUM;
	out->has_tcp = true;
	out->payload_off = out->l4_off + hlen;
	out->payload_len = l4_len - hlen;
	return WIRE_OK;
}

/*
 * off is the offset of the IPv4 header. Bytes after the datagram's total
 * length are link padding and ignored. Fragments stop at the IPv4 layer: only
 * the whole datagram has a checkable transport header.
 */
static enum wire_err
parse_ipv4(const uint8_t *buf, size_t buf_len, size_t virt_len, size_t off,
    bool verify, struct wire_frame *out)
{
	const uint8_t *ip = buf + off;
	size_t avail_real = buf_len - off;
	uint32_t hlen, l4_len, total;
	size_t l4_real;
	enum wire_err err;
	const uint8_t *l4;

	if (avail_real < WIRE_IPV4_HLEN)
		return WIRE_ERR_TRUNC_IPV4;
	out->l3_off = (uint32_t)off;
	out->ip.ihl = ip[0] & 0x0f;
	out->ip.tos = ip[1];
	out->ip.total_len = get_be16(ip + 2);
	out->ip.id = get_be16(ip + 4);
	out->ip.frag = get_be16(ip + 6);
	out->ip.ttl = ip[8];
	out->ip.proto = ip[9];
	out->ip.csum = get_be16(ip + 10);
	out->ip.src = get_be32(ip + 12);
	out->ip.dst = get_be32(ip + 16);
	if (ip[0] >> 4 != 4)
		return WIRE_ERR_IPV4_VERSION;
	if (out->ip.ihl < 5)
		return WIRE_ERR_IPV4_IHL;
	hlen = out->ip.ihl * 4u;
	if (avail_real < hlen)
		return WIRE_ERR_TRUNC_IPV4;
	total = out->ip.total_len;
	if (total < hlen)
		return WIRE_ERR_IPV4_LEN;
	if (total > avail_real && total - avail_real > virt_len)
		return WIRE_ERR_IPV4_LEN;
	if (verify && wire_fold(wire_sum(ip, hlen, 0)) != 0)
		return WIRE_ERR_IPV4_CSUM;
	out->has_ipv4 = true;

	l4_len = total - hlen;
	l4_real = (total < avail_real ? total : avail_real) - hlen;
	l4 = ip + hlen;
	out->payload_off = (uint32_t)(off + hlen);
	out->payload_len = l4_len;
	if (out->ip.frag & (WIRE_IPV4_MF | 0x1fffu))
		return WIRE_OK;
	out->l4_off = (uint32_t)(off + hlen);
	switch (out->ip.proto) {
	case WIRE_IPPROTO_ICMP:
		out->payload_off = out->l4_off + WIRE_ICMP_HLEN;
		err = parse_icmp(l4, l4_real, l4_len, verify, out);
		break;
	case WIRE_IPPROTO_UDP:
		out->payload_off = out->l4_off + WIRE_UDP_HLEN;
		err = parse_udp(l4, l4_real, l4_len, verify, out);
		break;
	case WIRE_IPPROTO_TCP:
		err = parse_tcp(l4, l4_real, l4_len, verify, out);
		break;
	default:
		out->l4_off = 0;
		return WIRE_OK;
	}
	if (err != WIRE_OK) {
		out->payload_off = 0;
		out->payload_len = 0;
	}
	return err;
}

/*
 * off is the offset of the first label stack entry. The stack ends at the
 * first entry with the S bit; an IPv4 header under it is parsed as one
 * straight after the tags would be.
 */
static enum wire_err
parse_mpls(const uint8_t *buf, size_t buf_len, size_t virt_len, size_t off,
    bool verify, struct wire_frame *out)
{
	struct mpls_lse *l;
	uint32_t v;

	do {
		if (out->nmpls == WIRE_MPLS_MAX)
			return WIRE_ERR_MPLS_DEPTH;
		if (buf_len - off < WIRE_MPLS_HLEN)
			return WIRE_ERR_TRUNC_MPLS;
		v = get_be32(buf + off);
		l = &out->lse[out->nmpls++];
		l->label = v >> 12;
		l->tc = (uint8_t)(v >> 9 & 7u);
		l->s = (v & 0x100u) != 0;
		l->ttl = (uint8_t)v;
		off += WIRE_MPLS_HLEN;
	} while (!l->s);
	if (off < buf_len && buf[off] >> 4 == 4)
		return parse_ipv4(buf, buf_len, virt_len, off, verify, out);
	set_payload_rest(out, off, buf_len, virt_len);
	return WIRE_OK;
}

enum wire_err
wire_parse(const uint8_t *buf, size_t buf_len, size_t virt_len, bool verify,
    struct wire_frame *out)
{
	size_t off;
	uint16_t type;

	memset(out, 0, sizeof(*out));
	if (buf_len < WIRE_ETH_HLEN)
		return WIRE_ERR_TRUNC_ETH;
	memcpy(out->eth.dst, buf, 6);
	memcpy(out->eth.src, buf + 6, 6);
	off = 12;
	type = get_be16(buf + off);
	while (type == WIRE_ETHERTYPE_VLAN || type == WIRE_ETHERTYPE_QINQ) {
		struct vlan_tag *t;
		uint16_t tci;

		if (out->nvlan == 2)
			return WIRE_ERR_VLAN_DEPTH;
		/* The tag and the EtherType after it. */
		if (buf_len - off < 2 + WIRE_VLAN_HLEN)
			return WIRE_ERR_TRUNC_VLAN;
		tci = get_be16(buf + off + 2);
		t = &out->vlan[out->nvlan++];
		t->tpid = type;
		t->pcp = (uint8_t)(tci >> 13);
		t->dei = (tci & 0x1000u) != 0;
		t->vid = tci & 0x0fffu;
		off += WIRE_VLAN_HLEN;
		type = get_be16(buf + off);
	}
	out->eth.type = type;
	off += 2;
	if (type != WIRE_ETHERTYPE_IPV4) {
		if (type == WIRE_ETHERTYPE_MPLS)
			return parse_mpls(buf, buf_len, virt_len, off, verify,
			    out);
		set_payload_rest(out, off, buf_len, virt_len);
		return WIRE_OK;
	}
	return parse_ipv4(buf, buf_len, virt_len, off, verify, out);
}

char *
wire_ip_str(uint32_t addr, char *buf)
{
	snprintf(buf, 16, "%u.%u.%u.%u", addr >> 24, (addr >> 16) & 0xffu,
	    (addr >> 8) & 0xffu, addr & 0xffu);
	return buf;
}

/*
 * One decimal number of at most max, digits only, no sign, no leading zero
 * (which inet_aton would read as octal). Returns the text after it, or NULL.
 */
static const char *
parse_dec(const char *s, unsigned max, unsigned *out)
{
	unsigned v = 0;
	int n = 0;

	if (s[0] == '0' && s[1] >= '0' && s[1] <= '9')
		return NULL;
	while (*s >= '0' && *s <= '9') {
		v = v * 10 + (unsigned)(*s++ - '0');
		if (++n > 3 || v > max)
			return NULL;
	}
	if (n == 0)
		return NULL;
	*out = v;
	return s;
}

/* A dotted quad at the start of s; returns the text after it, or NULL. */
static const char *
parse_quad(const char *s, uint32_t *addr)
{
	uint32_t a = 0;
	unsigned v;
	int i;

	for (i = 0; i < 4; i++) {
		if (i > 0 && *s++ != '.')
			return NULL;
		if ((s = parse_dec(s, 255, &v)) == NULL)
			return NULL;
		a = a << 8 | v;
	}
	*addr = a;
	return s;
}

int
wire_ip_parse(const char *s, uint32_t *addr)
{
	uint32_t a;

	s = parse_quad(s, &a);
	if (s == NULL || *s != '\0')
		return -1;
	*addr = a;
	return 0;
}

int
wire_prefix_parse(const char *s, bool allow_host, uint32_t *addr,
    uint8_t *len)
{
	uint32_t a, mask;
	unsigned l;

	s = parse_quad(s, &a);
	if (s == NULL || *s++ != '/')
		return -1;
	s = parse_dec(s, 32, &l);
	if (s == NULL || *s != '\0')
		return -1;
	mask = l == 0 ? 0 : UINT32_MAX << (32 - l);
	if (!allow_host && (a & ~mask) != 0)
		return -1;
	*addr = a;
	*len = (uint8_t)l;
	return 0;
}
