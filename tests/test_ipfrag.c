/*
 * test_ipfrag.c - IPv4 fragmentation and reassembly: byte-exact round
 * trips in any arrival order, duplicates, virtual payload, refusals and the
 * reassembly timeout.
 */
#include <string.h>

#include "ipfrag.h"
#include "pkt.h"
#include "rng.h"
#include "sim.h"
#include "testutil.h"
#include "wire.h"

struct frags {
	struct pkt *p[64];
	int n;
};

static void
collect(struct pkt *f, void *ctx)
{
	struct frags *fr = ctx;

	CU_ASSERT_FATAL(fr->n < 64);
	fr->p[fr->n++] = f;
}

/* A UDP datagram with `real` real payload bytes and `virt` virtual ones. */
static struct pkt *
datagram(struct sim *sim, uint32_t real, uint32_t virt, uint16_t id)
{
	struct pkt *p = pkt_alloc(sim, real);
	struct udp_hdr u = { .sport = 7, .dport = 9 };
	struct ipv4_hdr ip = { .ihl = 5, .id = id, .ttl = 64,
	    .proto = WIRE_IPPROTO_UDP, .src = 0x0a000001, .dst = 0x0a000102 };
	uint32_t i;

	for (i = 0; i < real; i++)
		p->data[i] = (uint8_t)(i * 7 + 1);
	p->virt_len = virt;
	wire_push_udp(sim, p, &u, ip.src, ip.dst);
	wire_push_ipv4(sim, p, &ip);
	return p;
}

static int expired;
static uint32_t expired_held;
static uint8_t expired_first[28];

static void
on_expire(void *ctx, uint64_t uid, uint32_t held, const struct pkt *first)
{
	(void)ctx;
	(void)uid;
	expired++;
	expired_held = held;
	memset(expired_first, 0, sizeof(expired_first));
	if (first != NULL)
		memcpy(expired_first, first->data, 28);
}

static void
test_round_trip_any_order(void)
{
	static const struct {
		const char *what;
		uint32_t real, virt, mtu;
	} rows[] = {
		{ "all real, 1500", 3000, 0, 1500 },
		{ "all virtual, 1500", 0, 4000, 1500 },
		{ "real head, virtual tail, 576", 1000, 3000, 576 },
		{ "real ends mid-fragment, 68", 37, 200, 68 },
		{ "max datagram, 9000", 100, 65507 - 8 - 100, 9000 },
	};
	size_t r;

	for (r = 0; r < sizeof(rows) / sizeof(rows[0]); r++) {
		struct sim *sim = sim_new(1);
		struct ipfrag_table *t = ipfrag_table_new(sim, on_expire, NULL);
		struct pkt *orig = datagram(sim, rows[r].real, rows[r].virt, 42);
		struct pkt *copy, *whole = NULL;
		struct frags fr = { .n = 0 };
		struct wire_frame f;
		struct rng rg;
		int i, refused, nfrag;
		uint8_t *flat;

		/* the sender's marks, by which a drop listener knows its own */
		orig->created = SIM_MS(7) + (sim_time)r;
		orig->cookie = 0x80000000u | (uint32_t)(r + 5);
		copy = pkt_clone(sim, orig);
		nfrag = ipfrag_fragment(sim, orig, rows[r].mtu, collect, &fr);
		CU_ASSERT_EQUAL(nfrag, fr.n);
		CU_ASSERT_TRUE(nfrag > 1);
		for (i = 0; i < fr.n; i++) {
			CU_ASSERT_TRUE(pkt_wire_len(fr.p[i]) <= rows[r].mtu);
			CU_ASSERT_EQUAL(fr.p[i]->created, copy->created);
			CU_ASSERT_EQUAL(fr.p[i]->cookie, copy->cookie);
			/* every fragment's header checksum is right */
			CU_ASSERT_EQUAL(wire_fold(wire_sum(fr.p[i]->data, 20,
			    0)), 0);
		}
		/* shuffle, and deliver the first fragment twice */
		rng_init(&rg, r, "shuffle");
		for (i = fr.n - 1; i > 0; i--) {
			int j = (int)rng_below(&rg, (uint64_t)i + 1);
			struct pkt *tmp = fr.p[i];

			fr.p[i] = fr.p[j];
			fr.p[j] = tmp;
		}
		{
			struct pkt *dup = pkt_clone(sim, fr.p[0]);

			CU_ASSERT_PTR_NULL(ipfrag_input(t, dup, &refused));
			CU_ASSERT_EQUAL(refused, 0);
		}
		for (i = 0; i < fr.n; i++) {
			struct pkt *w = ipfrag_input(t, fr.p[i], &refused);

			CU_ASSERT_EQUAL(refused, 0);
			CU_ASSERT_TRUE(w == NULL || i == fr.n - 1);
			if (w != NULL)
				whole = w;
		}
		CU_ASSERT_PTR_NOT_NULL_FATAL(whole);
		CU_ASSERT_EQUAL(whole->created, copy->created);
		CU_ASSERT_EQUAL(whole->cookie, copy->cookie);
		/* byte-identical to the original, zeros included */
		CU_ASSERT_EQUAL(pkt_wire_len(whole), pkt_wire_len(copy));
		flat = xcalloc(pkt_wire_len(copy), 1);
		memcpy(flat, copy->data, copy->len);
		{
			uint8_t *w2 = xcalloc(pkt_wire_len(whole), 1);

			memcpy(w2, whole->data, whole->len);
			CU_ASSERT_EQUAL(memcmp(flat, w2, pkt_wire_len(copy)), 0);
			free(w2);
		}
		free(flat);
		/* and the UDP checksum over it verifies */
		{
			struct pkt *e = pkt_clone(sim, whole);
			struct eth_hdr eth = { .type = WIRE_ETHERTYPE_IPV4 };

			wire_push_eth(sim, e, &eth);
			CU_ASSERT_EQUAL(wire_parse(e->data, e->len, e->virt_len,
			    true, &f), WIRE_OK);
			CU_ASSERT_TRUE(f.has_udp);
			pkt_free(sim, e);
		}
		pkt_free(sim, whole);
		pkt_free(sim, copy);
		ipfrag_table_free(t);
		CU_ASSERT_EQUAL(pkt_live(sim), 0);
		sim_free(sim);
	}
}

static void
test_timeout_and_refusals(void)
{
	struct sim *sim = sim_new(1);
	struct ipfrag_table *t = ipfrag_table_new(sim, on_expire, NULL);
	struct frags fr = { .n = 0 };
	struct pkt *bad;
	int refused, i;

	expired = 0;
	ipfrag_fragment(sim, datagram(sim, 100, 3000, 7), 1500, collect, &fr);
	CU_ASSERT_EQUAL(fr.n, 3);
	/* the first and the last, never the middle one */
	CU_ASSERT_PTR_NULL(ipfrag_input(t, fr.p[0], &refused));
	CU_ASSERT_PTR_NULL(ipfrag_input(t, fr.p[2], &refused));
	/* a last fragment that contradicts the known length is refused */
	bad = pkt_clone(sim, fr.p[1]);
	bad->data[6] &= (uint8_t)~0x20;		/* clear MF: claims to end early */
	bad->data[10] = bad->data[11] = 0;
	{
		uint16_t c = wire_fold(wire_sum(bad->data, 20, 0));

		bad->data[10] = (uint8_t)(c >> 8);
		bad->data[11] = (uint8_t)c;
	}
	CU_ASSERT_PTR_NULL(ipfrag_input(t, bad, &refused));
	CU_ASSERT_EQUAL(refused, 1);
	pkt_free(sim, bad);
	sim_run_until(sim, IPFRAG_TIMEOUT - 1);
	CU_ASSERT_EQUAL(expired, 0);
	sim_run_until(sim, IPFRAG_TIMEOUT);
	CU_ASSERT_EQUAL(expired, 1);
	CU_ASSERT_EQUAL(expired_held, 1480 + (3108 - 2960));
	CU_ASSERT_EQUAL(expired_first[9], WIRE_IPPROTO_UDP);  /* the header */
	CU_ASSERT_EQUAL(expired_first[20], 0);		/* then UDP sport */
	CU_ASSERT_EQUAL(expired_first[21], 7);
	pkt_free(sim, fr.p[1]);

	/* at most IPFRAG_MAX_DATAGRAMS held at once */
	for (i = 0; i <= (int)IPFRAG_MAX_DATAGRAMS; i++) {
		struct frags f2 = { .n = 0 };
		struct pkt *w;

		ipfrag_fragment(sim, datagram(sim, 0, 2000, (uint16_t)(100 + i)),
		    1500, collect, &f2);
		w = ipfrag_input(t, f2.p[0], &refused);
		CU_ASSERT_PTR_NULL(w);
		CU_ASSERT_EQUAL(refused, i == (int)IPFRAG_MAX_DATAGRAMS);
		if (refused)
			pkt_free(sim, f2.p[0]);
		pkt_free(sim, f2.p[1]);
	}
	ipfrag_table_free(t);
	CU_ASSERT_EQUAL(pkt_live(sim), 0);
	sim_free(sim);
}

static void
test_mtu_too_small(void)
{
	struct sim *sim = sim_new(1);
	struct frags fr = { .n = 0 };

	CU_ASSERT_EQUAL(ipfrag_fragment(sim, datagram(sim, 0, 100, 1), 27,
	    collect, &fr), -1);
	CU_ASSERT_EQUAL(fr.n, 0);
	CU_ASSERT_EQUAL(pkt_live(sim), 0);
	sim_free(sim);
}

/* A hand-made fragment: n payload bytes at off (virtual), ihl bytes of header. */
static struct pkt *
frag(struct sim *sim, uint32_t off, uint32_t n, int mf, uint32_t ihl)
{
	struct pkt *p = pkt_alloc(sim, ihl);
	uint16_t fr = (uint16_t)(off / 8 | (mf ? WIRE_IPV4_MF : 0)), c;

	memset(p->data, 0, ihl);
	p->data[0] = (uint8_t)(0x40 | ihl / 4);
	p->data[2] = (uint8_t)((ihl + n) >> 8);
	p->data[3] = (uint8_t)(ihl + n);
	p->data[4] = 0x12;
	p->data[6] = (uint8_t)(fr >> 8);
	p->data[7] = (uint8_t)fr;
	p->data[8] = 64;
	p->data[9] = WIRE_IPPROTO_UDP;
	p->data[12] = 10;
	p->data[15] = 1;
	p->data[16] = 10;
	p->data[19] = 2;
	c = wire_fold(wire_sum(p->data, ihl, 0));
	p->data[10] = (uint8_t)(c >> 8);
	p->data[11] = (uint8_t)c;
	p->virt_len = n;
	return p;
}

static void
test_crafted_sequences(void)
{
	struct sim *sim = sim_new(1);
	struct ipfrag_table *t = ipfrag_table_new(sim, on_expire, NULL);
	struct pkt *p, *w;
	int refused;
	uint32_t off;

	/*
	 * Blocks past an end learned later must not count: 800+800 (MF),
	 * then a last fragment ending at 504 is refused (data seen beyond it).
	 */
	CU_ASSERT_PTR_NULL(ipfrag_input(t, frag(sim, 800, 800, 1, 20),
	    &refused));
	p = frag(sim, 400, 104, 0, 20);
	CU_ASSERT_PTR_NULL(ipfrag_input(t, p, &refused));
	CU_ASSERT_EQUAL(refused, 1);
	pkt_free(sim, p);
	/* a first fragment with no real payload bytes (no NULL memcpy) */
	CU_ASSERT_PTR_NULL(ipfrag_input(t, frag(sim, 0, 8, 1, 20), &refused));
	CU_ASSERT_EQUAL(refused, 0);
	ipfrag_table_free(t);

	/* Holes: last fragment first, then only the start: never complete. */
	t = ipfrag_table_new(sim, on_expire, NULL);
	CU_ASSERT_PTR_NULL(ipfrag_input(t, frag(sim, 400, 104, 0, 20),
	    &refused));
	CU_ASSERT_PTR_NULL(ipfrag_input(t, frag(sim, 0, 8, 1, 20), &refused));
	w = ipfrag_input(t, frag(sim, 8, 392, 1, 20), &refused);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w);	/* now it is whole: 504 bytes */
	CU_ASSERT_EQUAL(pkt_wire_len(w), 20 + 504);
	pkt_free(sim, w);
	ipfrag_table_free(t);

	/* A 60-byte first header must not push the datagram past 65535. */
	t = ipfrag_table_new(sim, on_expire, NULL);
	CU_ASSERT_PTR_NULL(ipfrag_input(t, frag(sim, 0, 1480, 1, 60),
	    &refused));
	CU_ASSERT_EQUAL(refused, 0);
	for (off = 1480; off + 1480 < 65480; off += 1480)
		CU_ASSERT_PTR_NULL(ipfrag_input(t, frag(sim, off, 1480, 1, 20),
		    &refused));
	p = frag(sim, off, 65504 - off, 0, 20);		/* 60 + 65504 > 65535 */
	CU_ASSERT_PTR_NULL(ipfrag_input(t, p, &refused));
	CU_ASSERT_EQUAL(refused, 1);
	pkt_free(sim, p);
	ipfrag_table_free(t);
	CU_ASSERT_EQUAL(pkt_live(sim), 0);
	sim_free(sim);
}

static const struct test_case cases[] = {
	{ "fragments reassemble byte-exact in any order, with duplicates, keeping the sender's marks", test_round_trip_any_order },
	{ "incomplete datagrams expire; contradictions and overflow refused", test_timeout_and_refusals },
	{ "an MTU with no room for 8 payload bytes fails cleanly", test_mtu_too_small },
	{ "crafted sequences: holes, late ends, 64 KiB overflow", test_crafted_sequences },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "ipfrag", cases);
}
