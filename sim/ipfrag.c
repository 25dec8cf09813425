/*
 * ipfrag.c - IPv4 fragmentation and reassembly.
 *
 * A datagram under reassembly keeps its real payload bytes in a buffer that
 * grows to the furthest real byte seen, and a bitmap of the 8-byte blocks
 * received (8192 blocks cover 65535 bytes). Bytes never written are zeros,
 * which is what a virtual payload is, so a datagram fragmented here comes
 * back byte-identical, checksum included.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "ipfrag.h"
#include "pkt.h"
#include "sim.h"
#include "wire.h"

#define BLOCKS 8192u
#define IP_MAX 65535u

struct dgram {
	struct ipfrag_table *t;
	uint32_t src, dst;
	uint16_t id;
	uint8_t proto;
	uint8_t hdr_len;		/* 0 until the first fragment came */
	uint8_t hdr[60];
	uint32_t in_iface;		/* where the first fragment arrived */
	uint8_t *buf;			/* real payload bytes, zero-filled */
	uint32_t buf_len;
	uint32_t total;			/* payload length, 0 = last not seen */
	uint32_t max_end;		/* furthest payload byte seen */
	uint32_t blocks_set;
	uint32_t held;			/* payload bytes received */
	uint64_t uid;			/* of the first fragment received */
	sim_time created;		/* the sender's marks, from it too */
	uint32_t cookie;
	sim_event_id timer;
	uint8_t have[BLOCKS / 8];
};

struct ipfrag_table {
	struct sim *sim;
	ipfrag_expire_fn fn;
	void *ctx;
	struct dgram *d[IPFRAG_MAX_DATAGRAMS];
	size_t n;
};

static void
fix_csum(uint8_t *ip, uint32_t ihl)
{
	put_be16(ip + 10, 0);
	put_be16(ip + 10, wire_fold(wire_sum(ip, ihl, 0)));
}

int
ipfrag_fragment(struct sim *sim, struct pkt *p, uint32_t mtu,
    void (*emit)(struct pkt *frag, void *ctx), void *ctx)
{
	const uint8_t *ip = p->data;
	uint32_t ihl = (uint32_t)(ip[0] & 0x0f) * 4;
	uint32_t total = pkt_wire_len(p), payload, maxf, o, n, real_payload;
	uint16_t ofrag = get_be16(ip + 6);
	uint32_t ooff = (uint32_t)(ofrag & 0x1fff) * 8;
	int count = 0;

	SIM_ASSERT(p->len >= ihl && ihl >= WIRE_IPV4_HLEN, "fragmenting a non-IP "
	    "packet");
	if (mtu <= ihl || ((mtu - ihl) & ~7u) == 0) {
		pkt_free(sim, p);
		return -1;
	}
	maxf = (mtu - ihl) & ~7u;
	payload = total - ihl;
	real_payload = p->len - ihl;
	for (o = 0; o < payload; o += n) {
		struct pkt *f;
		uint32_t real;
		uint16_t frag;

		n = payload - o < maxf ? payload - o : maxf;
		real = o < real_payload ? (real_payload - o < n ?
		    real_payload - o : n) : 0;
		f = pkt_alloc(sim, ihl + real);
		f->virt_len = n - real;
		/* the sender's marks, so that a lost fragment is its loss */
		f->created = p->created;
		f->cookie = p->cookie;
		memcpy(f->data, ip, ihl);
		memcpy(f->data + ihl, ip + ihl + o, real);
		put_be16(f->data + 2, (uint16_t)(ihl + n));
		frag = (uint16_t)((ooff + o) / 8);
		if (o + n < payload || (ofrag & WIRE_IPV4_MF))
			frag |= WIRE_IPV4_MF;
		put_be16(f->data + 6, frag);
		fix_csum(f->data, ihl);
		emit(f, ctx);
		count++;
	}
	pkt_free(sim, p);
	return count;
}

struct ipfrag_table *
ipfrag_table_new(struct sim *sim, ipfrag_expire_fn fn, void *ctx)
{
	struct ipfrag_table *t = xcalloc(1, sizeof(*t));

	t->sim = sim;
	t->fn = fn;
	t->ctx = ctx;
	return t;
}

static void
dgram_remove(struct ipfrag_table *t, struct dgram *d)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->d[i] == d) {
			t->d[i] = t->d[--t->n];
			break;
		}
	sim_cancel(t->sim, d->timer);
	free(d->buf);
	free(d);
}

void
ipfrag_table_free(struct ipfrag_table *t)
{
	if (t == NULL)
		return;
	while (t->n > 0)
		dgram_remove(t, t->d[0]);
	free(t);
}

static void
expire(struct sim *sim, void *arg)
{
	struct dgram *d = arg;
	struct ipfrag_table *t = d->t;
	struct pkt *first = NULL;

	d->timer = (sim_event_id){ 0, 0 };
	if (d->hdr_len > 0) {
		/* the first fragment's header and 8 bytes, for ICMP (RFC 792) */
		uint32_t k = d->buf_len < 8 ? d->buf_len : 8;

		first = pkt_alloc(sim, d->hdr_len + 8u);
		memcpy(first->data, d->hdr, d->hdr_len);
		memset(first->data + d->hdr_len, 0, 8);
		memcpy(first->data + d->hdr_len, d->buf, k);
		first->in_iface = d->in_iface;
		first->uid = d->uid;
	}
	t->fn(t->ctx, d->uid, d->held, first);
	pkt_free(sim, first);
	dgram_remove(t, d);
}

/* Mark the blocks of [off, end); returns how many were new. */
static uint32_t
set_blocks(struct dgram *d, uint32_t off, uint32_t end)
{
	uint32_t b, fresh = 0;

	for (b = off / 8; b < (end + 7) / 8 && b < BLOCKS; b++)
		if (!(d->have[b / 8] & (1u << (b % 8)))) {
			d->have[b / 8] |= (uint8_t)(1u << (b % 8));
			fresh++;
		}
	d->blocks_set += fresh;
	return fresh;
}

/* Every block below total received (blocks past it are refused). */
static bool
complete(const struct dgram *d)
{
	uint32_t b, need = (d->total + 7) / 8;

	if (d->total == 0 || d->hdr_len == 0 || d->blocks_set < need)
		return false;
	for (b = 0; b < need; b++)
		if (!(d->have[b / 8] & (1u << (b % 8))))
			return false;
	return true;
}

struct pkt *
ipfrag_input(struct ipfrag_table *t, struct pkt *frag, int *refused)
{
	const uint8_t *ip = frag->data;
	uint32_t ihl = (uint32_t)(ip[0] & 0x0f) * 4;
	uint32_t tot = get_be16(ip + 2), off, n, real, end;
	uint16_t fr = get_be16(ip + 6);
	uint32_t src = get_be32(ip + 12), dst = get_be32(ip + 16);
	struct dgram *d = NULL;
	struct pkt *whole;
	size_t i;

	*refused = 0;
	off = (uint32_t)(fr & 0x1fff) * 8;
	n = tot > ihl ? tot - ihl : 0;
	end = off + n;
	/* non-last fragments carry a multiple of 8 bytes; never past 64 KiB */
	if (tot < ihl || frag->len < ihl || end + ihl > IP_MAX ||
	    ((fr & WIRE_IPV4_MF) && (n == 0 || n % 8 != 0))) {
		*refused = 1;
		return NULL;
	}
	for (i = 0; i < t->n; i++)
		if (t->d[i]->src == src && t->d[i]->dst == dst &&
		    t->d[i]->id == get_be16(ip + 4) && t->d[i]->proto == ip[9]) {
			d = t->d[i];
			break;
		}
	if (d == NULL) {
		if (t->n == IPFRAG_MAX_DATAGRAMS) {
			*refused = 1;
			return NULL;
		}
		d = xcalloc(1, sizeof(*d));
		d->t = t;
		d->src = src;
		d->dst = dst;
		d->id = get_be16(ip + 4);
		d->proto = ip[9];
		d->uid = frag->uid;
		d->created = frag->created;
		d->cookie = frag->cookie;
		d->timer = sim_schedule(t->sim, IPFRAG_TIMEOUT, expire, d);
		t->d[t->n++] = d;
	}
	/*
	 * Refuse what contradicts earlier fragments: a second, different end;
	 * data past the end; an end before data already seen; a datagram that
	 * would exceed 65535 bytes with the first fragment's header.
	 */
	if ((!(fr & WIRE_IPV4_MF) && d->total != 0 && d->total != end) ||
	    (d->total != 0 && end > d->total) ||
	    (!(fr & WIRE_IPV4_MF) && d->max_end > end) ||
	    (d->hdr_len != 0 && d->hdr_len + end > IP_MAX) ||
	    (off == 0 && d->hdr_len == 0 && ihl + d->max_end > IP_MAX)) {
		*refused = 1;
		if (d->held == 0)	/* created for this fragment alone */
			dgram_remove(t, d);
		return NULL;
	}
	if (!(fr & WIRE_IPV4_MF))
		d->total = end;
	if (off == 0 && d->hdr_len == 0) {
		d->hdr_len = (uint8_t)ihl;
		memcpy(d->hdr, ip, ihl);
		d->in_iface = frag->in_iface;
	}
	real = frag->len - ihl < n ? frag->len - ihl : n;
	if (off + real > d->buf_len) {
		d->buf = xrealloc(d->buf, off + real);
		memset(d->buf + d->buf_len, 0, off + real - d->buf_len);
		d->buf_len = off + real;
	}
	if (real > 0)
		memcpy(d->buf + off, ip + ihl, real);
	{
		/* count each byte once, however often it arrives */
		uint32_t fresh = set_blocks(d, off, end) * 8;

		d->held += fresh < n ? fresh : n;
	}
	if (end > d->max_end)
		d->max_end = end;
	pkt_free(t->sim, frag);

	if (!complete(d))
		return NULL;
	/* Complete: the first header, then the payload, real then virtual. */
	real = d->buf_len < d->total ? d->buf_len : d->total;
	whole = pkt_alloc(t->sim, d->hdr_len + real);
	whole->virt_len = d->total - real;
	whole->created = d->created;
	whole->cookie = d->cookie;
	memcpy(whole->data, d->hdr, d->hdr_len);
	memcpy(whole->data + d->hdr_len, d->buf, real);
	put_be16(whole->data + 2, (uint16_t)(d->hdr_len + d->total));
	put_be16(whole->data + 6, (uint16_t)(get_be16(d->hdr + 6) & WIRE_IPV4_DF));
	fix_csum(whole->data, d->hdr_len);
	whole->in_iface = d->in_iface;
	dgram_remove(t, d);
	return whole;
}
