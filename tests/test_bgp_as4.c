/*
 * test_bgp_as4.c - RFC 6793 between 2-octet and 4-octet worlds: the
 * AS_PATH/AS4_PATH merge of section 4.2.3 case by case, AGGREGATOR and
 * AS4_AGGREGATOR, the AS_TRANS substitution for a 2-octet peer and back
 * through the wire; and UPDATE packing with exact prefix counts per
 * message at the 4,096-byte limit.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bgp_testutil.h"
#include "testutil.h"

#define SEQ(n) BGP_SEG(BGP_SEG_SEQUENCE, n)
#define SET(n) BGP_SEG(BGP_SEG_SET, n)
#define CSEQ(n) BGP_SEG(BGP_SEG_CONFED_SEQUENCE, n)
#define T BGP_AS_TRANS
#define BIG 4200000001u
#define BIG2 4200000002u

struct merge_case {
	const char *what;
	uint32_t path[16], as4[16], want[16];
	uint16_t n, n4, nw;
};

static const struct merge_case merges[] = {
	{ "same count: AS4_PATH is the path",
	    { SEQ(2), T, 65001 }, { SEQ(2), BIG, 65001 },
	    { SEQ(2), BIG, 65001 }, 3, 3, 3 },
	{ "a 2-octet speaker prepended one: joins the sequence",
	    { SEQ(3), 65010, T, 65001 }, { SEQ(2), BIG, 65001 },
	    { SEQ(3), 65010, BIG, 65001 }, 4, 3, 4 },
	{ "prepended twice, one 4-octet ASN further on",
	    { SEQ(4), 65010, 65010, T, T }, { SEQ(2), BIG, BIG2 },
	    { SEQ(4), 65010, 65010, BIG, BIG2 }, 5, 3, 5 },
	{ "AS4_PATH longer than AS_PATH: ignored",
	    { SEQ(1), T }, { SEQ(2), BIG, BIG2 }, { SEQ(1), T }, 2, 3, 2 },
	{ "an AS_SET counts one and is taken whole",
	    { SEQ(1), 65010, SET(2), 65020, 65030, SEQ(1), T },
	    { SEQ(1), BIG },
	    { SEQ(1), 65010, SET(2), 65020, 65030, SEQ(1), BIG }, 7, 2, 7 },
	{ "a leading confederation segment is kept",
	    { CSEQ(1), 65100, SEQ(1), T }, { SEQ(1), BIG },
	    { CSEQ(1), 65100, SEQ(1), BIG }, 4, 2, 4 },
	{ "no AS4_PATH: AS_PATH as it is",
	    { SEQ(2), 65001, 65002 }, { 0 }, { SEQ(2), 65001, 65002 }, 3, 0,
	    3 },
	{ "a sequence cut in the middle",
	    { SEQ(3), 65010, 65011, T }, { SEQ(2), BIG, 65001 },
	    { SEQ(3), 65010, BIG, 65001 }, 4, 3, 4 },
	{ NULL, { 0 }, { 0 }, { 0 }, 0, 0, 0 }
};

static void
test_merge_cases(void)
{
	for (const struct merge_case *c = merges; c->what != NULL; c++) {
		uint32_t out[32];
		int n = bgp_path_merge(c->path, c->n, c->as4, c->n4, out, 32);

		CU_ASSERT_EQUAL(n, c->nw);
		if (n == c->nw) {
			CU_ASSERT(memcmp(out, c->want, 4u * c->nw) == 0);
		} else {
			printf("\n  %s: %d words", c->what, n);
		}
		/* too small an output is refused, not overrun */
		CU_ASSERT_EQUAL(bgp_path_merge(c->path, c->n, c->as4, c->n4,
		    out, (size_t)c->nw - 1), -1);
	}
}

static struct bgp_attrs *
attrs_with(uint32_t has, const uint32_t *path, uint16_t n,
    const uint32_t *as4, uint16_t n4, uint32_t aggr, uint32_t aggr4)
{
	struct bgp_attrs fixed;
	struct bgp_attrs_var var;

	memset(&fixed, 0, sizeof(fixed));
	memset(&var, 0, sizeof(var));
	fixed.has = has | BGP_HAS(BGP_ATTR_ORIGIN) |
	    BGP_HAS(BGP_ATTR_AS_PATH) | BGP_HAS(BGP_ATTR_NEXT_HOP);
	fixed.next_hop = 0x0a000001;
	fixed.aggr_as = aggr;
	fixed.aggr_id = 0x0a000009;
	fixed.as4_aggr_as = aggr4;
	fixed.as4_aggr_id = 0x0a000009;
	var.path = path;
	var.path_len = n;
	var.as4_path = as4;
	var.as4_path_len = n4;
	return bgp_attrs_new(&fixed, &var);
}

/* RFC 6793 4.2.3: AGGREGATOR decides whether AS4_* are believed. */
static void
test_from_as2_aggregator(void)
{
	static const uint32_t p2[] = { SEQ(2), 65010, T };
	static const uint32_t p4[] = { SEQ(1), BIG };
	static const uint32_t merged[] = { SEQ(2), 65010, BIG };
	struct bgp_attrs *a, *b;
	struct bgp_attrs_var v;
	uint32_t has = BGP_HAS(BGP_ATTR_AS4_PATH) |
	    BGP_HAS(BGP_ATTR_AGGREGATOR) | BGP_HAS(BGP_ATTR_AS4_AGGREGATOR);

	/* AGGREGATOR says AS_TRANS: AS4_AGGREGATOR and AS4_PATH are used */
	a = attrs_with(has, p2, 3, p4, 2, T, BIG);
	b = bgp_attrs_from_as2(a);
	bgp_attrs_var(b, &v);
	CU_ASSERT_EQUAL(b->aggr_as, BIG);
	CU_ASSERT_FALSE(b->has & BGP_HAS(BGP_ATTR_AS4_PATH));
	CU_ASSERT_FALSE(b->has & BGP_HAS(BGP_ATTR_AS4_AGGREGATOR));
	CU_ASSERT_EQUAL(v.as4_path_len, 0);
	CU_ASSERT_EQUAL_FATAL(v.path_len, 3);
	CU_ASSERT(memcmp(v.path, merged, sizeof(merged)) == 0);
	free(a);
	free(b);
	/* AGGREGATOR is a real 2-octet AS: both AS4_* are ignored */
	a = attrs_with(has, p2, 3, p4, 2, 65010, BIG);
	b = bgp_attrs_from_as2(a);
	bgp_attrs_var(b, &v);
	CU_ASSERT_EQUAL(b->aggr_as, 65010);
	CU_ASSERT(memcmp(v.path, p2, sizeof(p2)) == 0);
	free(a);
	free(b);
}

/* RFC 6793 4.2.2 and back: 4-octet path -> wire to an OLD peer -> merged. */
static void
test_to_as2_and_back(void)
{
	static const uint32_t path[] = { CSEQ(1), 65100, SEQ(3), 65001, BIG,
	    65002, SET(2), BIG2, 65003 };
	static const uint32_t want2[] = { CSEQ(1), 65100, SEQ(3), 65001, T,
	    65002, SET(2), T, 65003 };
	static const uint32_t want4[] = { SEQ(3), 65001, BIG, 65002, SET(2),
	    BIG2, 65003 };
	struct bgp_attrs *a, *o, *back, *back2;
	struct bgp_msg m, d;
	struct bgp_result r;
	struct bgp_attrs_var v;
	struct bgp_prefix4 pfx = { 0x0a000000, 8 };
	uint8_t out[BGP_MAX_LEN], want[BGP_MAX_LEN];
	size_t n, nw;

	a = attrs_with(BGP_HAS(BGP_ATTR_AGGREGATOR), path, 9, NULL, 0, BIG,
	    0);
	o = bgp_attrs_to_as2(a);
	bgp_attrs_var(o, &v);
	CU_ASSERT_EQUAL_FATAL(v.path_len, 9);
	CU_ASSERT(memcmp(v.path, want2, sizeof(want2)) == 0);
	CU_ASSERT_EQUAL_FATAL(v.as4_path_len, 7);
	CU_ASSERT(memcmp(v.as4_path, want4, sizeof(want4)) == 0);
	CU_ASSERT_EQUAL(o->aggr_as, T);
	CU_ASSERT_EQUAL(o->as4_aggr_as, BIG);
	CU_ASSERT(o->has & BGP_HAS(BGP_ATTR_AS4_AGGREGATOR));

	memset(&m, 0, sizeof(m));
	m.type = BGP_UPDATE;
	m.u.update.attrs = o;
	m.u.update.n_nlri = 1;
	m.u.update.nlri = &pfx;
	n = bgp_encode(&m, false, out);
	nw = msg_hex(BGP_UPDATE, "0000 004f"	/* 79 bytes of attributes */
	    "40 01 01 00"				/* ORIGIN IGP */
	    "40 02 12 03 01 fe4c 02 03 fde9 5ba0 fdea 01 02 5ba0 fdeb"
	    /* AS_PATH: (65100) 65001 AS_TRANS 65002 {AS_TRANS 65003} */
	    "40 03 04 0a000001"				/* NEXT_HOP */
	    "c0 07 06 5ba0 0a000009"			/* AGGREGATOR AS_TRANS */
	    "c0 11 18 02 03 0000fde9 fa56ea01 0000fdea"
	    "01 02 fa56ea02 0000fdeb"			/* AS4_PATH, no confed */
	    "c0 12 08 fa56ea01 0a000009"		/* AS4_AGGREGATOR */
	    "08 0a", want);				/* 10.0.0.0/8 */
	CU_ASSERT_EQUAL(n, nw);
	CU_ASSERT(memcmp(out, want, nw) == 0);

	/* the OLD peer's view decodes and merges back to the 4-octet one */
	CU_ASSERT_EQUAL_FATAL(decode_exact(out, n, false, &d, &r),
	    BGP_ACT_NONE);
	back = bgp_attrs_from_as2(d.u.update.attrs);
	CU_ASSERT(bgp_attrs_equal(back, a));
	/*
	 * a NEW peer gets no AS4_* even if the set has them: 23 + ORIGIN 4,
	 * AS_PATH 3 + 30, NEXT_HOP 7, AGGREGATOR 11, NLRI 2
	 */
	CU_ASSERT_EQUAL(bgp_encode(&m, true, out), 80);
	bgp_msg_free(&d);
	/* all ASNs fit: no AS4_PATH at all */
	free(a);
	free(o);
	{
		static const uint32_t small[] = { SEQ(2), 65001, 65002 };

		a = attrs_with(0, small, 3, NULL, 0, 0, 0);
		o = bgp_attrs_to_as2(a);
		CU_ASSERT(bgp_attrs_equal(a, o));
		back2 = bgp_attrs_from_as2(o);
		CU_ASSERT(bgp_attrs_equal(a, back2));
		free(back2);
	}
	free(a);
	free(o);
	free(back);
}

/* ---- packing ---- */

struct packed {
	size_t n, total;
	size_t counts[64], lens[64];
	struct bgp_prefix4 seen[8192];
	bool as4, bad;
};

static void
collect(const uint8_t *msg, size_t len, void *arg)
{
	struct packed *p = arg;
	struct bgp_result r;
	struct bgp_msg m;
	size_t k;

	if (len > BGP_MAX_LEN || p->n >= 64 ||
	    decode_exact(msg, len, p->as4, &m, &r) != BGP_ACT_NONE) {
		p->bad = true;
		return;
	}
	k = m.u.update.n_nlri + m.u.update.n_withdrawn;
	p->counts[p->n] = k;
	p->lens[p->n] = len;
	memcpy(p->seen + p->total, m.u.update.n_nlri ? m.u.update.nlri :
	    m.u.update.withdrawn, k * sizeof(struct bgp_prefix4));
	p->total += k;
	p->n++;
	bgp_msg_free(&m);
}

/* field by field: the struct's padding is not the codec's business */
static bool
same_prefixes(const struct bgp_prefix4 *a, const struct bgp_prefix4 *b,
    size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i].addr != b[i].addr || a[i].len != b[i].len)
			return false;
	return true;
}

static void
test_pack_announce(void)
{
	static const uint32_t path[] = { SEQ(1), 65001 };
	static struct bgp_prefix4 pfx[2500];
	static struct packed p;
	struct bgp_attrs *a;

	for (size_t i = 0; i < 2500; i++) {
		pfx[i].addr = 0x0a000000u | (uint32_t)i << 8;
		pfx[i].len = 24;
	}
	/* 23 bytes of header and lengths + 20 of attributes = 43: room for
	 * 4053 bytes of /24s (4 bytes each) = 1013 prefixes, 4095 bytes */
	a = attrs_with(0, path, 2, NULL, 0, 0, 0);
	memset(&p, 0, sizeof(p));
	p.as4 = true;
	CU_ASSERT_EQUAL(bgp_pack_announce(a, true, pfx, 2500, collect, &p), 3);
	CU_ASSERT_FALSE(p.bad);
	CU_ASSERT_EQUAL(p.counts[0], 1013);
	CU_ASSERT_EQUAL(p.counts[1], 1013);
	CU_ASSERT_EQUAL(p.counts[2], 474);
	CU_ASSERT_EQUAL(p.lens[0], 4095);
	CU_ASSERT_EQUAL(p.total, 2500);
	CU_ASSERT(same_prefixes(p.seen, pfx, 2500));

	/* /32s are 5 bytes: 4053 / 5 = 810 per message, 4093 bytes */
	for (size_t i = 0; i < 2500; i++)
		pfx[i].len = 32;
	memset(&p, 0, sizeof(p));
	p.as4 = true;
	CU_ASSERT_EQUAL(bgp_pack_announce(a, true, pfx, 1621, collect, &p), 3);
	CU_ASSERT_EQUAL(p.counts[0], 810);
	CU_ASSERT_EQUAL(p.counts[1], 810);
	CU_ASSERT_EQUAL(p.counts[2], 1);
	CU_ASSERT_EQUAL(p.lens[0], 4093);
	/* exactly one message's worth: one message */
	memset(&p, 0, sizeof(p));
	p.as4 = true;
	CU_ASSERT_EQUAL(bgp_pack_announce(a, true, pfx, 810, collect, &p), 1);
	/* 2-octet encoding is 2 bytes shorter: 4055 / 5 = 811 */
	memset(&p, 0, sizeof(p));
	CU_ASSERT_EQUAL(bgp_pack_announce(a, false, pfx, 811, collect, &p),
	    1);
	CU_ASSERT_EQUAL(p.lens[0], 4096);
	CU_ASSERT_FALSE(p.bad);
	/* nothing to send: no message */
	CU_ASSERT_EQUAL(bgp_pack_announce(a, true, pfx, 0, collect, &p), 0);
	free(a);
}

static void
test_pack_withdraw(void)
{
	static struct bgp_prefix4 pfx[3000];
	static struct packed p;

	for (size_t i = 0; i < 3000; i++) {
		pfx[i].addr = 0xc0000000u | (uint32_t)i << 8;
		pfx[i].len = 24;
	}
	/* 4096 - 23 = 4073 bytes of withdrawn routes: 1018 /24s (4072) */
	memset(&p, 0, sizeof(p));
	p.as4 = true;
	CU_ASSERT_EQUAL(bgp_pack_withdraw(pfx, 3000, collect, &p), 3);
	CU_ASSERT_FALSE(p.bad);
	CU_ASSERT_EQUAL(p.counts[0], 1018);
	CU_ASSERT_EQUAL(p.counts[1], 1018);
	CU_ASSERT_EQUAL(p.counts[2], 964);
	CU_ASSERT_EQUAL(p.lens[0], 4095);
	CU_ASSERT(same_prefixes(p.seen, pfx, 3000));
	/* /0 is one byte: 4073 per message, 4096 bytes */
	memset(pfx, 0, sizeof(pfx));
	memset(&p, 0, sizeof(p));
	CU_ASSERT_EQUAL(bgp_pack_withdraw(pfx, 3000, collect, &p), 1);
	memset(&p, 0, sizeof(p));
	CU_ASSERT_EQUAL(bgp_pack_withdraw(pfx, 2, collect, &p), 1);
	CU_ASSERT_EQUAL(p.lens[0], 25);
}

/* Attributes that leave no room for a prefix are refused. */
static void
test_pack_too_big(void)
{
	static uint32_t comm[1020];
	struct bgp_attrs fixed, *a;
	struct bgp_attrs_var var;
	struct bgp_prefix4 pfx = { 0x0a000000, 8 };
	struct packed *p = calloc(1, sizeof(*p));

	memset(&fixed, 0, sizeof(fixed));
	memset(&var, 0, sizeof(var));
	fixed.has = BGP_HAS(BGP_ATTR_COMMUNITIES);
	var.comm = comm;
	var.n_comm = 1020;	/* 4080 + 4 bytes */
	a = bgp_attrs_new(&fixed, &var);
	CU_ASSERT_EQUAL(bgp_pack_announce(a, true, &pfx, 1, collect, p), -1);
	CU_ASSERT_EQUAL(p->n, 0);
	free(a);
	free(p);
}

static const struct test_case cases[] = {
	{ "AS_PATH/AS4_PATH merge cases (6793 4.2.3)", test_merge_cases },
	{ "AGGREGATOR decides on AS4_*", test_from_as2_aggregator },
	{ "AS_TRANS for a 2-octet peer, and back", test_to_as2_and_back },
	{ "announcements packed to 4096 bytes", test_pack_announce },
	{ "withdrawals packed to 4096 bytes", test_pack_withdraw },
	{ "attributes too big to pack", test_pack_too_big },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "bgp_as4", cases);
}
