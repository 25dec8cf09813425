/*
 * test_rib.c - the routing table under the FIB: candidates from several
 * sources and the winner, delete and replace, next-hop groups and their
 * references, multipath, a source's own decision process, change listeners
 * (exact content and order), explanations, a random churn against a brute
 * force reference, and ECMP forwarding through the node APIs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net.h"
#include "pkt.h"
#include "rib.h"
#include "sim.h"
#include "testutil.h"
#include "wire.h"

#define SRC_PROTO RIB_SRC_MODEL		/* a protocol with its own decision */
#define SRC_MP (RIB_SRC_MODEL + 1)	/* a multipath source */

static uint32_t
ip(const char *s)
{
	uint32_t a = 0;

	CU_ASSERT_EQUAL_FATAL(wire_ip_parse(s, &a), 0);
	return a;
}

/* A group of one member. */
static uint32_t
nh1(struct rib *r, const char *via, uint32_t ifindex)
{
	struct rib_nh nh = { ip(via), ifindex };

	return rib_nhg_get(r, &nh, 1);
}

static struct rib_route
route(uint8_t source, uint32_t instance, uint16_t pref, uint32_t metric,
    uint32_t nhg)
{
	return (struct rib_route){ .source = source, .instance = instance,
	    .pref = pref, .metric = metric, .nhg = nhg };
}

/* Add a one-member route; the caller's group reference is dropped. */
static int
add1p(struct rib *r, uint32_t prefix, uint8_t len, uint8_t source,
    uint32_t instance, uint16_t pref, uint32_t metric, uint32_t via,
    uint32_t ifindex)
{
	struct rib_nh nh = { via, ifindex };
	struct rib_route rt = route(source, instance, pref, metric,
	    rib_nhg_get(r, &nh, 1));
	int rc = rib_add(r, prefix, len, &rt);

	rib_nhg_put(r, rt.nhg);
	return rc;
}

static int
add1(struct rib *r, const char *pfx, uint8_t len, uint8_t source,
    uint32_t instance, uint16_t pref, uint32_t metric, const char *via,
    uint32_t ifindex)
{
	return add1p(r, ip(pfx), len, source, instance, pref, metric, ip(via),
	    ifindex);
}

static const char *
group_text(const struct rib_nhg *g, char *buf, size_t len)
{
	size_t off = 0;
	uint32_t i;
	char a[16];

	buf[0] = '\0';
	for (i = 0; g != NULL && i < g->n; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s@%u",
		    i ? "," : "", wire_ip_str(g->nh[i].via, a),
		    g->nh[i].ifindex);
	return buf;
}

/* The group a lookup of addr finds, as text ("" if none). */
static const char *
lookup_text(const struct rib *r, const char *addr, char *buf, size_t len)
{
	return group_text(rib_lookup(r, ip(addr)), buf, len);
}

/* --- a listener that records every change as one line --- */

struct log {
	char line[64][160];
	int n;
};

static void
log_change(struct rib *r, const struct rib_change *c, void *ctx)
{
	static const char *kind[] = { "added", "changed", "withdrawn" };
	struct log *lg = ctx;
	char a[16], g[128], sb[16];

	CU_ASSERT_FATAL(lg->n < 64);
	if (c->kind == RIB_WITHDRAWN) {
		CU_ASSERT_PTR_NULL(c->best);
		CU_ASSERT_PTR_NULL(c->nhg);
		snprintf(lg->line[lg->n++], 160, "%s %s %s/%u", rib_name(r),
		    kind[c->kind], wire_ip_str(c->prefix, a), c->len);
		return;
	}
	snprintf(lg->line[lg->n++], 160, "%s %s %s/%u %s#%u pref %u metric %u "
	    "[%s]", rib_name(r), kind[c->kind], wire_ip_str(c->prefix, a),
	    c->len, rib_source_name(r, c->best->source, sb, sizeof(sb)),
	    c->best->instance, c->best->pref, c->best->metric,
	    group_text(c->nhg, g, sizeof(g)));
}

static void
log_expect(struct log *lg, const char *const *want, int n)
{
	int i;

	CU_ASSERT_EQUAL(lg->n, n);
	for (i = 0; i < n && i < lg->n; i++) {
		if (strcmp(lg->line[i], want[i]) != 0)
			fprintf(stderr, "\nchange %d: got  '%s'\n"
			    "          want '%s'\n", i, lg->line[i], want[i]);
		CU_ASSERT_STRING_EQUAL(lg->line[i], want[i]);
	}
	lg->n = 0;
}

/* A decision process as BGP's: higher "local preference" (attr) wins. */
static int
proto_cmp(const struct rib_route *a, const struct rib_route *b, char *why,
    size_t wl)
{
	unsigned la = *(const unsigned *)a->attr, lb = *(const unsigned *)b->attr;

	if (la == lb)
		return 0;
	if (why != NULL)
		snprintf(why, wl, "higher local preference %u > %u",
		    la > lb ? la : lb, la > lb ? lb : la);
	return la > lb ? -1 : 1;
}

static const struct rib_source proto_src = { .name = "proto", .cmp = proto_cmp,
    .multipath = true };
static const struct rib_source mp_src = { .name = "mp", .cmp = NULL,
    .multipath = true };

static struct rib *
new_rib(struct log *lg)
{
	struct rib *r = rib_new("main");

	rib_set_source(r, SRC_PROTO, &proto_src);
	rib_set_source(r, SRC_MP, &mp_src);
	if (lg != NULL)
		rib_add_listener(r, log_change, lg);
	return r;
}

static void
free_rib(struct rib *r)
{
	rib_free(r);
}

/* --- the cases --- */

static void
test_sources_and_winner(void)
{
	struct log lg = { .n = 0 };
	struct rib *r = new_rib(&lg);
	struct rib_route best;
	char buf[128];

	/* Added worst first: each better one takes over. */
	CU_ASSERT_EQUAL(add1(r, "10.1.0.0", 16, SRC_MP, 0, 20, 5, "10.9.0.1",
	    3), 0);
	CU_ASSERT_EQUAL(add1(r, "10.1.0.0", 16, RIB_SRC_STATIC, 0,
	    RIB_PREF_STATIC, 0, "10.0.0.2", 1), 0);
	CU_ASSERT_EQUAL(add1(r, "10.1.0.0", 16, RIB_SRC_CONNECTED, 0,
	    RIB_PREF_CONNECTED, 0, "0.0.0.0", 2), 0);
	/* Added worse than the best: no change to report. */
	CU_ASSERT_EQUAL(add1(r, "10.1.0.0", 16, SRC_MP, 1, 30, 0, "10.9.0.2",
	    3), 0);
	{
		static const char *const want[] = {
			"main added 10.1.0.0/16 mp#0 pref 20 metric 5 "
			    "[10.9.0.1@3]",
			"main changed 10.1.0.0/16 static#0 pref 1 metric 0 "
			    "[10.0.0.2@1]",
			"main changed 10.1.0.0/16 connected#0 pref 0 metric 0 "
			    "[0.0.0.0@2]",
		};
		log_expect(&lg, want, 3);
	}
	CU_ASSERT_EQUAL(rib_prefix_count(r), 1);
	CU_ASSERT_EQUAL(rib_route_count(r), 4);
	CU_ASSERT_TRUE(rib_best(r, ip("10.1.0.0"), 16, &best));
	CU_ASSERT_EQUAL(best.source, RIB_SRC_CONNECTED);
	CU_ASSERT_FALSE(rib_best(r, ip("10.1.0.0"), 17, NULL));
	CU_ASSERT_STRING_EQUAL(lookup_text(r, "10.1.200.7", buf, sizeof(buf)),
	    "0.0.0.0@2");
	CU_ASSERT_STRING_EQUAL(lookup_text(r, "10.2.0.1", buf, sizeof(buf)),
	    "");
	free_rib(r);
}

static void
test_delete_reveals_next(void)
{
	struct log lg = { .n = 0 };
	struct rib *r = new_rib(NULL);
	char buf[128];

	add1(r, "10.1.0.0", 16, RIB_SRC_CONNECTED, 0, 0, 0, "0.0.0.0", 2);
	add1(r, "10.1.0.0", 16, RIB_SRC_STATIC, 0, 1, 0, "10.0.0.2", 1);
	add1(r, "10.1.0.0", 16, SRC_MP, 7, 20, 0, "10.9.0.1", 3);
	add1(r, "10.0.0.0", 8, RIB_SRC_STATIC, 0, 1, 0, "10.0.0.3", 1);
	rib_add_listener(r, log_change, &lg);

	/* A loser goes: nothing changes. */
	CU_ASSERT_EQUAL(rib_del(r, ip("10.1.0.0"), 16, RIB_SRC_STATIC, 0), 0);
	CU_ASSERT_EQUAL(lg.n, 0);
	/* Absent: wrong instance, wrong source, wrong length. */
	CU_ASSERT_EQUAL(rib_del(r, ip("10.1.0.0"), 16, SRC_MP, 0), -1);
	CU_ASSERT_EQUAL(rib_del(r, ip("10.1.0.0"), 16, RIB_SRC_STATIC, 0), -1);
	CU_ASSERT_EQUAL(rib_del(r, ip("10.1.0.0"), 15, SRC_MP, 7), -1);
	CU_ASSERT_EQUAL(rib_del(r, ip("10.1.0.0"), 16, RIB_SRC_CONNECTED, 0),
	    0);
	CU_ASSERT_STRING_EQUAL(lookup_text(r, "10.1.0.9", buf, sizeof(buf)),
	    "10.9.0.1@3");
	CU_ASSERT_EQUAL(rib_del(r, ip("10.1.0.0"), 16, SRC_MP, 7), 0);
	/* The /8 covers it now. */
	CU_ASSERT_STRING_EQUAL(lookup_text(r, "10.1.0.9", buf, sizeof(buf)),
	    "10.0.0.3@1");
	{
		static const char *const want[] = {
			"main changed 10.1.0.0/16 mp#7 pref 20 metric 0 "
			    "[10.9.0.1@3]",
			"main withdrawn 10.1.0.0/16",
		};
		log_expect(&lg, want, 2);
	}
	CU_ASSERT_EQUAL(rib_prefix_count(r), 1);
	CU_ASSERT_EQUAL(rib_route_count(r), 1);
	CU_ASSERT_EQUAL(rib_nhg_count(r), 1);
	CU_ASSERT_EQUAL(rib_del(r, ip("10.0.0.0"), 8, RIB_SRC_STATIC, 0), 0);
	CU_ASSERT_EQUAL(rib_nhg_count(r), 0);
	CU_ASSERT_EQUAL(rib_prefix_count(r), 0);
	CU_ASSERT_STRING_EQUAL(lookup_text(r, "10.1.0.9", buf, sizeof(buf)),
	    "");
	free_rib(r);
}

/* Two listeners see every change, in the order they were added. */
struct tagged {
	struct log *lg;
	const char *tag;
};

static void
tag_change(struct rib *r, const struct rib_change *c, void *ctx)
{
	struct tagged *t = ctx;
	char a[16];

	(void)r;
	snprintf(t->lg->line[t->lg->n++], 160, "%s %d %s/%u", t->tag, c->kind,
	    wire_ip_str(c->prefix, a), c->len);
}

static void
test_listener_order(void)
{
	struct log lg = { .n = 0 };
	struct tagged t1 = { &lg, "trace" }, t2 = { &lg, "bgp" };
	struct rib *r = new_rib(NULL);
	static const char *const want[] = {
		"trace 0 10.0.0.0/8", "bgp 0 10.0.0.0/8",
		"trace 1 10.0.0.0/8", "bgp 1 10.0.0.0/8",
		"trace 2 10.0.0.0/8", "bgp 2 10.0.0.0/8",
	};

	rib_add_listener(r, tag_change, &t1);
	rib_add_listener(r, tag_change, &t2);
	add1(r, "10.0.0.0", 8, RIB_SRC_STATIC, 0, 1, 0, "10.0.0.1", 1);
	add1(r, "10.0.0.0", 8, RIB_SRC_STATIC, 0, 1, 0, "10.0.0.2", 1);
	rib_del(r, ip("10.0.0.0"), 8, RIB_SRC_STATIC, 0);
	log_expect(&lg, want, 6);
	free_rib(r);
}

static void
test_replace(void)
{
	struct log lg = { .n = 0 };
	struct rib *r = new_rib(&lg);
	char buf[128];

	CU_ASSERT_EQUAL(add1(r, "192.0.2.0", 24, RIB_SRC_STATIC, 0, 1, 0,
	    "10.0.0.2", 1), 0);
	/* Same route again: replaced, but nothing changed. */
	CU_ASSERT_EQUAL(add1(r, "192.0.2.0", 24, RIB_SRC_STATIC, 0, 1, 0,
	    "10.0.0.2", 1), 1);
	CU_ASSERT_EQUAL(add1(r, "192.0.2.0", 24, RIB_SRC_STATIC, 0, 1, 0,
	    "10.0.0.6", 2), 1);
	CU_ASSERT_EQUAL(rib_route_count(r), 1);
	/* The old group had no other user. */
	CU_ASSERT_EQUAL(rib_nhg_count(r), 1);
	CU_ASSERT_STRING_EQUAL(lookup_text(r, "192.0.2.77", buf, sizeof(buf)),
	    "10.0.0.6@2");
	/* A metric alone is a change too. */
	CU_ASSERT_EQUAL(add1(r, "192.0.2.0", 24, RIB_SRC_STATIC, 0, 1, 9,
	    "10.0.0.6", 2), 1);
	/* A replacement that loses its place to another candidate. */
	CU_ASSERT_EQUAL(add1(r, "192.0.2.0", 24, SRC_MP, 0, 5, 0, "10.0.0.9",
	    3), 0);
	CU_ASSERT_EQUAL(add1(r, "192.0.2.0", 24, RIB_SRC_STATIC, 0, 10, 0,
	    "10.0.0.6", 2), 1);
	{
		static const char *const want[] = {
			"main added 192.0.2.0/24 static#0 pref 1 metric 0 "
			    "[10.0.0.2@1]",
			"main changed 192.0.2.0/24 static#0 pref 1 metric 0 "
			    "[10.0.0.6@2]",
			"main changed 192.0.2.0/24 static#0 pref 1 metric 9 "
			    "[10.0.0.6@2]",
			"main changed 192.0.2.0/24 mp#0 pref 5 metric 0 "
			    "[10.0.0.9@3]",
		};
		log_expect(&lg, want, 4);
	}
	free_rib(r);
}

static void
test_invalid(void)
{
	struct rib *r = new_rib(NULL);
	struct rib_nh many[RIB_NHG_MAX + 1];
	struct rib_route rt;
	size_t i;

	rt = route(RIB_SRC_STATIC, 0, 1, 0, nh1(r, "10.0.0.1", 0));
	CU_ASSERT_EQUAL(rib_add(r, ip("10.0.0.1"), 24, &rt), -1);
	CU_ASSERT_EQUAL(rib_add(r, ip("10.0.0.0"), 33, &rt), -1);
	rt.source = RIB_SRC_MAX;
	CU_ASSERT_EQUAL(rib_add(r, ip("10.0.0.0"), 24, &rt), -1);
	rt.source = RIB_SRC_STATIC;
	rt.nhg = 12345;
	CU_ASSERT_EQUAL(rib_add(r, ip("10.0.0.0"), 24, &rt), -1);
	CU_ASSERT_EQUAL(rib_del(r, ip("10.0.0.1"), 24, RIB_SRC_STATIC, 0), -1);
	CU_ASSERT_EQUAL(rib_del(r, ip("10.0.0.0"), 24, RIB_SRC_STATIC, 0), -1);
	CU_ASSERT_EQUAL(rib_nhg_get(r, many, 0), UINT32_MAX);
	for (i = 0; i <= RIB_NHG_MAX; i++)
		many[i] = (struct rib_nh){ (uint32_t)i + 1, 0 };
	CU_ASSERT_EQUAL(rib_nhg_get(r, many, RIB_NHG_MAX + 1), UINT32_MAX);
	CU_ASSERT_EQUAL(rib_prefix_count(r), 0);
	CU_ASSERT_EQUAL(rib_route_count(r), 0);
	rib_nhg_put(r, 0);
	CU_ASSERT_EQUAL(rib_nhg_count(r), 0);
	free_rib(r);
}

static void
test_group_sharing_and_refs(void)
{
	struct rib *r = new_rib(NULL);
	struct rib_nh ab[3] = { { ip("10.0.2.1"), 2 }, { ip("10.0.1.1"), 1 },
	    { ip("10.0.2.1"), 2 } };
	struct rib_nh ba[2] = { { ip("10.0.1.1"), 1 }, { ip("10.0.2.1"), 2 } };
	uint32_t g1, g2, i;
	struct rib_route rt;
	char buf[128], pfx[32];
	const struct rib_nhg *g;

	/* Member order and duplicates do not make another group. */
	g1 = rib_nhg_get(r, ab, 3);
	g2 = rib_nhg_get(r, ba, 2);
	CU_ASSERT_EQUAL(g1, g2);
	g = rib_nhg(r, g1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(g);
	CU_ASSERT_EQUAL(g->n, 2);
	CU_ASSERT_STRING_EQUAL(group_text(g, buf, sizeof(buf)),
	    "10.0.1.1@1,10.0.2.1@2");
	CU_ASSERT_EQUAL(g->refs, 2);
	rib_nhg_put(r, g2);

	/* 100 prefixes share it: one reference per route, one per FIB entry. */
	rt = route(RIB_SRC_STATIC, 0, 1, 0, g1);
	for (i = 0; i < 100; i++) {
		snprintf(pfx, sizeof(pfx), "172.16.%u.0", i);
		CU_ASSERT_EQUAL(rib_add(r, ip(pfx), 24, &rt), 0);
	}
	CU_ASSERT_EQUAL(rib_nhg(r, g1)->refs, 1 + 200);
	rib_nhg_put(r, g1);
	CU_ASSERT_EQUAL(rib_nhg(r, g1)->refs, 200);
	CU_ASSERT_EQUAL(rib_nhg_count(r), 1);
	CU_ASSERT_STRING_EQUAL(lookup_text(r, "172.16.42.1", buf, sizeof(buf)),
	    "10.0.1.1@1,10.0.2.1@2");
	/* A loser keeps its route's reference, not a FIB one. */
	CU_ASSERT_EQUAL(add1(r, "172.16.0.0", 24, SRC_MP, 0, 50, 0, "10.0.1.1",
	    1), 0);
	CU_ASSERT_EQUAL(rib_nhg_count(r), 2);
	for (i = 0; i < 100; i++) {
		snprintf(pfx, sizeof(pfx), "172.16.%u.0", i);
		CU_ASSERT_EQUAL(rib_del(r, ip(pfx), 24, RIB_SRC_STATIC, 0), 0);
		if (i < 99)
			CU_ASSERT_EQUAL(rib_nhg(r, g1)->refs, 198 - 2 * i);
	}
	/* The last group left is the loser's, now in the FIB. */
	CU_ASSERT_PTR_NULL(rib_nhg(r, g1));
	CU_ASSERT_EQUAL(rib_nhg_count(r), 1);
	CU_ASSERT_STRING_EQUAL(lookup_text(r, "172.16.0.1", buf, sizeof(buf)),
	    "10.0.1.1@1");
	CU_ASSERT_EQUAL(rib_del(r, ip("172.16.0.0"), 24, SRC_MP, 0), 0);
	CU_ASSERT_EQUAL(rib_nhg_count(r), 0);
	free_rib(r);
}

static void
test_multipath(void)
{
	struct log lg = { .n = 0 };
	struct rib *r = new_rib(&lg);
	struct rib_explain ex;
	char buf[128];

	add1(r, "198.51.100.0", 24, SRC_MP, 1, 20, 10, "10.0.1.1", 1);
	add1(r, "198.51.100.0", 24, SRC_MP, 2, 20, 10, "10.0.2.1", 2);
	add1(r, "198.51.100.0", 24, SRC_MP, 3, 20, 11, "10.0.3.1", 3);
	/* Same members again through another route: no new member. */
	add1(r, "198.51.100.0", 24, SRC_MP, 4, 20, 10, "10.0.2.1", 2);
	CU_ASSERT_STRING_EQUAL(lookup_text(r, "198.51.100.1", buf,
	    sizeof(buf)), "10.0.1.1@1,10.0.2.1@2");
	CU_ASSERT_EQUAL(rib_explain(r, ip("198.51.100.0"), 24, &ex), 0);
	CU_ASSERT_EQUAL(ex.n, 4);
	CU_ASSERT_EQUAL(ex.n_multipath, 3);
	CU_ASSERT_EQUAL(ex.cand[0].instance, 1);
	CU_ASSERT_EQUAL(ex.cand[1].instance, 2);
	CU_ASSERT_EQUAL(ex.cand[2].instance, 4);
	CU_ASSERT_EQUAL(ex.cand[3].instance, 3);
	CU_ASSERT_STRING_EQUAL(ex.why, "equal preference 20 and metric 10: "
	    "ecmp over 3 routes, ecmp over 2 next hops");
	rib_explain_free(&ex);
	/* Instance 3 improves to equal: it joins the group. */
	add1(r, "198.51.100.0", 24, SRC_MP, 3, 20, 10, "10.0.3.1", 3);
	/* Instance 1 gets worse: the best is instance 2 now. */
	add1(r, "198.51.100.0", 24, SRC_MP, 1, 20, 12, "10.0.1.1", 1);
	rib_del(r, ip("198.51.100.0"), 24, SRC_MP, 4);
	rib_del(r, ip("198.51.100.0"), 24, SRC_MP, 3);
	{
		static const char *const want[] = {
			"main added 198.51.100.0/24 mp#1 pref 20 metric 10 "
			    "[10.0.1.1@1]",
			"main changed 198.51.100.0/24 mp#1 pref 20 metric 10 "
			    "[10.0.1.1@1,10.0.2.1@2]",
			"main changed 198.51.100.0/24 mp#1 pref 20 metric 10 "
			    "[10.0.1.1@1,10.0.2.1@2,10.0.3.1@3]",
			"main changed 198.51.100.0/24 mp#2 pref 20 metric 10 "
			    "[10.0.2.1@2,10.0.3.1@3]",
			/* instance 4 was a duplicate member: no change */
			"main changed 198.51.100.0/24 mp#2 pref 20 metric 10 "
			    "[10.0.2.1@2]",
		};
		log_expect(&lg, want, 5);
	}
	rib_del(r, ip("198.51.100.0"), 24, SRC_MP, 2);
	rib_del(r, ip("198.51.100.0"), 24, SRC_MP, 1);
	CU_ASSERT_EQUAL(rib_nhg_count(r), 0);
	free_rib(r);
}

static void
test_source_decision(void)
{
	struct log lg = { .n = 0 };
	struct rib *r = new_rib(&lg);
	static const unsigned lp100 = 100, lp200 = 200, lp200b = 200;
	struct rib_route a, b, c;
	struct rib_explain ex;
	char buf[128];

	/* Lower metric but lower local preference: the source decides. */
	a = route(SRC_PROTO, 1, 20, 0, nh1(r, "10.0.1.1", 1));
	a.attr = &lp100;
	b = route(SRC_PROTO, 2, 20, 50, nh1(r, "10.0.2.1", 2));
	b.attr = &lp200;
	CU_ASSERT_EQUAL(rib_add(r, ip("203.0.113.0"), 24, &a), 0);
	CU_ASSERT_EQUAL(rib_add(r, ip("203.0.113.0"), 24, &b), 0);
	CU_ASSERT_EQUAL(rib_explain(r, ip("203.0.113.0"), 24, &ex), 0);
	CU_ASSERT_EQUAL(ex.cand[0].instance, 2);
	CU_ASSERT_EQUAL(ex.n_multipath, 1);
	CU_ASSERT_STRING_EQUAL(ex.why, "equal preference 20, proto: higher "
	    "local preference 200 > 100");
	rib_explain_free(&ex);
	/* Equal for the source and the metric: multipath. */
	c = route(SRC_PROTO, 3, 20, 50, nh1(r, "10.0.3.1", 3));
	c.attr = &lp200b;
	CU_ASSERT_EQUAL(rib_add(r, ip("203.0.113.0"), 24, &c), 0);
	CU_ASSERT_STRING_EQUAL(lookup_text(r, "203.0.113.1", buf, sizeof(buf)),
	    "10.0.2.1@2,10.0.3.1@3");
	{
		static const char *const want[] = {
			"main added 203.0.113.0/24 proto#1 pref 20 metric 0 "
			    "[10.0.1.1@1]",
			"main changed 203.0.113.0/24 proto#2 pref 20 metric 50 "
			    "[10.0.2.1@2]",
			"main changed 203.0.113.0/24 proto#2 pref 20 metric 50 "
			    "[10.0.2.1@2,10.0.3.1@3]",
		};
		log_expect(&lg, want, 3);
	}
	rib_nhg_put(r, a.nhg);
	rib_nhg_put(r, b.nhg);
	rib_nhg_put(r, c.nhg);
	free_rib(r);
}

/*
 * The decision is an order: whatever order routes come in, the candidates
 * line up the same. The source's own decision ranks a higher metric first
 * here; another source's metric lies between, and must not be compared.
 */
static void
test_order_independent(void)
{
	static const unsigned lp200 = 200, lp100 = 100;
	static const int perm[6][3] = { { 0, 1, 2 }, { 0, 2, 1 }, { 1, 0, 2 },
	    { 1, 2, 0 }, { 2, 0, 1 }, { 2, 1, 0 } };
	struct rib_route rt[3];
	struct rib_explain ex;
	int p, k;

	for (p = 0; p < 6; p++) {
		struct rib *r = new_rib(NULL);

		rt[0] = route(SRC_PROTO, 1, 20, 20, nh1(r, "10.0.1.1", 1));
		rt[0].attr = &lp200;
		rt[1] = route(SRC_PROTO, 2, 20, 10, nh1(r, "10.0.2.1", 2));
		rt[1].attr = &lp100;
		rt[2] = route(SRC_MP, 0, 20, 15, nh1(r, "10.0.3.1", 3));
		for (k = 0; k < 3; k++)
			CU_ASSERT_EQUAL(rib_add(r, ip("10.30.0.0"), 16,
			    &rt[perm[p][k]]), 0);
		CU_ASSERT_EQUAL_FATAL(rib_explain(r, ip("10.30.0.0"), 16, &ex),
		    0);
		CU_ASSERT_EQUAL(ex.cand[0].instance, 1);
		CU_ASSERT_EQUAL(ex.cand[0].source, SRC_PROTO);
		CU_ASSERT_EQUAL(ex.cand[1].instance, 2);
		CU_ASSERT_EQUAL(ex.cand[1].source, SRC_PROTO);
		CU_ASSERT_EQUAL(ex.cand[2].source, SRC_MP);
		CU_ASSERT_STRING_EQUAL(ex.why, "equal preference 20, proto: "
		    "higher local preference 200 > 100");
		rib_explain_free(&ex);
		for (k = 0; k < 3; k++)
			rib_nhg_put(r, rt[k].nhg);
		free_rib(r);
	}
}

static void
test_explain_reasons(void)
{
	struct rib *r = new_rib(NULL);
	struct rib_explain ex;
	char sb[16];
	static const struct {
		uint8_t src;
		uint32_t inst;
		uint16_t pref;
		uint32_t metric;
		const char *why;	/* after adding this one */
	} steps[] = {
		{ SRC_PROTO + 2, 9, 1, 7, "only candidate" },
		{ SRC_PROTO + 2, 4, 1, 7, "equal preference 1 and metric 7, "
		    "lower instance 4 < 9" },
		{ SRC_PROTO + 2, 2, 1, 3, "equal preference 1, lower metric "
		    "3 < 7" },
		/* a higher metric: metrics of two sources are not compared */
		{ RIB_SRC_STATIC, 0, 1, 50, "equal preference 1, lower source "
		    "id (static over source 4)" },
		{ RIB_SRC_CONNECTED, 0, 0, 99, "lower preference 0 < 1 "
		    "(connected over static)" },
	};
	size_t i;

	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		add1(r, "10.20.0.0", 16, steps[i].src, steps[i].inst,
		    steps[i].pref, steps[i].metric, "10.0.0.1", 1);
		CU_ASSERT_EQUAL_FATAL(rib_explain(r, ip("10.20.0.0"), 16, &ex),
		    0);
		CU_ASSERT_EQUAL(ex.n, i + 1);
		CU_ASSERT_STRING_EQUAL(ex.why, steps[i].why);
		CU_ASSERT_EQUAL(ex.cand[0].source, steps[i].src);
		rib_explain_free(&ex);
	}
	CU_ASSERT_EQUAL(rib_explain(r, ip("10.20.0.0"), 16, &ex), 0);
	/* Every candidate, in decision order. */
	CU_ASSERT_EQUAL(ex.cand[0].source, RIB_SRC_CONNECTED);
	CU_ASSERT_EQUAL(ex.cand[1].source, RIB_SRC_STATIC);
	CU_ASSERT_EQUAL(ex.cand[2].instance, 2);
	CU_ASSERT_EQUAL(ex.cand[3].instance, 4);
	CU_ASSERT_EQUAL(ex.cand[4].instance, 9);
	rib_explain_free(&ex);
	CU_ASSERT_EQUAL(rib_explain(r, ip("10.20.0.0"), 17, &ex), -1);
	CU_ASSERT_PTR_NULL(ex.cand);
	CU_ASSERT_STRING_EQUAL(rib_source_name(r, SRC_MP, sb, sizeof(sb)),
	    "mp");
	CU_ASSERT_STRING_EQUAL(rib_source_name(r, 30, sb, sizeof(sb)),
	    "source 30");
	free_rib(r);
}

/* --- random churn against a brute-force reference --- */

struct ref {
	bool live;
	uint16_t pref;
	uint32_t metric;
	uint32_t via;
};

#define R_PFX 24
#define R_SRC 3
#define R_INST 3

static uint64_t
prng(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void
pfx_of(unsigned k, uint32_t *prefix, uint8_t *len)
{
	/* Nested: 10.0.0.0/8, seven /16s in it, sixteen /24s in those. */
	*len = k == 0 ? 8 : k < 8 ? 16 : 24;
	*prefix = (10u << 24) | (k == 0 ? 0 : k < 8 ? k << 16 :
	    ((k % 7 + 1) << 16) | (k << 8));
}

/* The expected FIB group of prefix k as group_text() writes it. */
static bool
ref_group(struct ref ref[R_PFX][R_SRC][R_INST], const uint8_t *srcs,
    unsigned k, char *buf, size_t len)
{
	unsigned s, i, bs = R_SRC, bi = 0, n = 0, j;
	uint32_t vias[R_INST], v;
	size_t off = 0;
	char a[16];

	/*
	 * (preference, source, metric, instance): visited in (source,
	 * instance) order, a later route wins only if strictly better.
	 */
	for (s = 0; s < R_SRC; s++)
		for (i = 0; i < R_INST; i++) {
			const struct ref *e = &ref[k][s][i], *b;

			if (!e->live)
				continue;
			b = bs < R_SRC ? &ref[k][bs][bi] : NULL;
			if (b == NULL || e->pref < b->pref ||
			    (e->pref == b->pref && s == bs &&
			    e->metric < b->metric)) {
				bs = s;
				bi = i;
			}
		}
	if (bs == R_SRC)
		return false;
	for (i = 0; i < R_INST; i++) {
		const struct ref *e = &ref[k][bs][i], *b = &ref[k][bs][bi];

		if (i != bi && (srcs[bs] != SRC_MP || !e->live ||
		    e->pref != b->pref || e->metric != b->metric))
			continue;
		/* insert sorted, no duplicates */
		v = e->via;
		for (j = 0; j < n && vias[j] < v; j++)
			;
		if (j < n && vias[j] == v)
			continue;
		memmove(&vias[j + 1], &vias[j], (n - j) * sizeof(vias[0]));
		vias[j] = v;
		n++;
	}
	buf[0] = '\0';
	for (j = 0; j < n; j++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s@1",
		    j ? "," : "", wire_ip_str(vias[j], a));
	return true;
}

static void
test_random_vs_reference(void)
{
	static const uint8_t srcs[R_SRC] = { RIB_SRC_STATIC, SRC_MP,
	    SRC_MP + 1 };
	static struct ref ref[R_PFX][R_SRC][R_INST];
	struct rib *r = new_rib(NULL);
	uint64_t x = 42;
	unsigned step, k, s, i, k2;
	char want[128], got[128], a[16];

	memset(ref, 0, sizeof(ref));
	for (step = 0; step < 20000; step++) {
		uint32_t prefix, addr;
		uint8_t len, best_len = 0;
		int best_k = -1;

		k = (unsigned)(prng(&x) % R_PFX);
		s = (unsigned)(prng(&x) % R_SRC);
		i = (unsigned)(prng(&x) % R_INST);
		pfx_of(k, &prefix, &len);
		/* prefetch hints (this prefix, and a next one) change nothing */
		rib_prefetch(r, prefix, len, step % (RIB_PREFETCH_STEPS + 1));
		pfx_of((k + 1) % R_PFX, &addr, &best_len);
		rib_prefetch(r, addr, best_len, (step + 1) % 4);
		best_len = 0;
		if (prng(&x) % 3 == 0) {
			CU_ASSERT_EQUAL(rib_del(r, prefix, len, srcs[s], i),
			    ref[k][s][i].live ? 0 : -1);
			ref[k][s][i].live = false;
		} else {
			struct ref *e = &ref[k][s][i];

			e->pref = (uint16_t)(prng(&x) % 3);
			e->metric = (uint32_t)(prng(&x) % 3);
			e->via = (192u << 24) | (168u << 16) |
			    (uint32_t)(1 + prng(&x) % 4);
			CU_ASSERT_EQUAL(add1p(r, prefix, len, srcs[s], i,
			    e->pref, e->metric, e->via, 1), e->live ? 1 : 0);
			e->live = true;
		}
		/* Longest match of an address inside the changed prefix. */
		addr = prefix | (uint32_t)(prng(&x) & ~(~0u << (32 - len)));
		for (k2 = 0; k2 < R_PFX; k2++) {
			uint32_t p2;
			uint8_t l2;

			pfx_of(k2, &p2, &l2);
			if (((addr ^ p2) & ~(~0u >> l2)) == 0 && l2 > best_len &&
			    ref_group(ref, srcs, k2, want, sizeof(want))) {
				best_k = (int)k2;
				best_len = l2;
			}
		}
		if (best_k < 0) {
			CU_ASSERT_PTR_NULL(rib_lookup(r, addr));
			continue;
		}
		ref_group(ref, srcs, (unsigned)best_k, want, sizeof(want));
		group_text(rib_lookup(r, addr), got, sizeof(got));
		if (strcmp(want, got) != 0)
			fprintf(stderr, "\nstep %u: %s want %s got %s\n", step,
			    wire_ip_str(addr, a), want, got);
		CU_ASSERT_STRING_EQUAL_FATAL(got, want);
		CU_ASSERT_EQUAL(rib_prefix_count(r) <= R_PFX, 1);
	}
	/* Everything out: every group goes with its last user. */
	for (k = 0; k < R_PFX; k++)
		for (s = 0; s < R_SRC; s++)
			for (i = 0; i < R_INST; i++)
				if (ref[k][s][i].live) {
					uint32_t prefix;
					uint8_t len;

					pfx_of(k, &prefix, &len);
					CU_ASSERT_EQUAL(rib_del(r, prefix, len,
					    srcs[s], i), 0);
				}
	CU_ASSERT_EQUAL(rib_route_count(r), 0);
	CU_ASSERT_EQUAL(rib_prefix_count(r), 0);
	CU_ASSERT_EQUAL(rib_nhg_count(r), 0);
	CU_ASSERT_EQUAL(rib_lookup(r, ip("10.1.2.3")), NULL);
	free_rib(r);
}

/* --- through the node APIs --- */

static struct link_params
params(void)
{
	struct link_params p;

	memset(&p, 0, sizeof(p));
	p.dir[0].rate_bps = p.dir[1].rate_bps = 1000000000;
	p.dir[0].delay = p.dir[1].delay = SIM_US(10);
	p.mtu = 1500;
	return p;
}

/*
 * a - r = b - c: r reaches c's subnet over two parallel links to b, one
 * ECMP route of two members.
 */
struct diamond {
	struct sim *sim;
	struct net *net;
	struct node *a, *r, *b, *c;
	struct link *l1, *l2;
	uint64_t rx;
};

static void
sink(struct node *n, struct pkt *p, const struct wire_frame *f, void *ctx)
{
	struct diamond *d = ctx;

	(void)f;
	d->rx++;
	pkt_free(net_sim(node_net(n)), p);
}

static void
diamond_build(struct diamond *d, struct trace *tr)
{
	struct link_params p = params();
	struct rib_nh nh[2];
	struct rib_route rt = { .source = RIB_SRC_STATIC,
	    .pref = RIB_PREF_STATIC };
	struct rib *rib;
	char err[128];

	memset(d, 0, sizeof(*d));
	d->sim = sim_new(1);
	d->net = net_new(d->sim);
	net_set_trace(d->net, tr);
	d->a = net_add_node(d->net, "a", "host", NULL, NULL);
	d->r = net_add_node(d->net, "r", "router", NULL, NULL);
	d->b = net_add_node(d->net, "b", "router", NULL, NULL);
	d->c = net_add_node(d->net, "c", "host", NULL, NULL);
	node_add_iface(d->a, "e0", NULL, ip("10.0.0.1"), 24, 0);
	node_add_iface(d->r, "e0", NULL, ip("10.0.0.2"), 24, 0);
	node_add_iface(d->r, "e1", NULL, ip("10.1.1.1"), 24, 0);
	node_add_iface(d->r, "e2", NULL, ip("10.1.2.1"), 24, 0);
	node_add_iface(d->b, "e1", NULL, ip("10.1.1.2"), 24, 0);
	node_add_iface(d->b, "e2", NULL, ip("10.1.2.2"), 24, 0);
	node_add_iface(d->b, "e3", NULL, ip("10.2.0.1"), 24, 0);
	node_add_iface(d->c, "e0", NULL, ip("10.2.0.2"), 24, 0);
	net_add_link(d->net, "ar", d->a, 0, d->r, 0, &p);
	d->l1 = net_add_link(d->net, "rb1", d->r, 1, d->b, 0, &p);
	d->l2 = net_add_link(d->net, "rb2", d->r, 2, d->b, 1, &p);
	net_add_link(d->net, "bc", d->b, 2, d->c, 0, &p);
	CU_ASSERT_EQUAL(node_add_route(d->a, 0, 0, 0, ip("10.0.0.2"),
	    IFACE_NONE, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(node_add_route(d->c, 0, 0, 0, ip("10.2.0.1"),
	    IFACE_NONE, err, sizeof(err)), 0);
	rib = node_rib(d->r, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rib);
	CU_ASSERT_PTR_NULL(node_rib(d->r, 1));
	nh[0] = (struct rib_nh){ ip("10.1.2.2"), 2 };
	nh[1] = (struct rib_nh){ ip("10.1.1.2"), 1 };
	rt.nhg = rib_nhg_get(rib, nh, 2);
	CU_ASSERT_EQUAL(rib_add(rib, ip("10.2.0.0"), 24, &rt), 0);
	rib_nhg_put(rib, rt.nhg);
	CU_ASSERT_EQUAL(node_bind_udp(d->c, VRF_DEFAULT, 9, sink, NULL, d), 0);
}

static void
diamond_free(struct diamond *d)
{
	net_free(d->net);
	CU_ASSERT_EQUAL(pkt_live(d->sim), 0);
	sim_free(d->sim);
}

static void
send_flow(struct node *from, uint32_t src, uint16_t sport)
{
	struct sim *sim = net_sim(node_net(from));
	struct pkt *p = pkt_alloc(sim, 0);
	struct udp_hdr u = { .sport = sport, .dport = 9 };
	uint32_t dst = ip("10.2.0.2");

	p->virt_len = 100;
	wire_push_udp(sim, p, &u, src ? src : node_source_for(from, 0, dst),
	    dst);
	CU_ASSERT_EQUAL(node_send_ip(from, 0, p, src, dst, WIRE_IPPROTO_UDP,
	    64, 0), 0);
}

/* Flows from one node: each sticks to one link, the links share them. */
static void
check_spread(struct diamond *d, struct node *from, uint32_t src)
{
	uint64_t n1 = 0, n2 = 0, t1, t2;
	uint16_t f;
	int k, per1 = 0, per2 = 0;

	for (f = 0; f < 64; f++) {
		t1 = link_get_stats(d->l1, 0)->tx_pkts;
		t2 = link_get_stats(d->l2, 0)->tx_pkts;
		for (k = 0; k < 4; k++)
			send_flow(from, src, (uint16_t)(1000 + f));
		sim_run(d->sim);
		t1 = link_get_stats(d->l1, 0)->tx_pkts - t1;
		t2 = link_get_stats(d->l2, 0)->tx_pkts - t2;
		/* the whole flow on one member */
		CU_ASSERT_TRUE((t1 == 4 && t2 == 0) || (t1 == 0 && t2 == 4));
		per1 += t1 == 4;
		per2 += t2 == 4;
		n1 += t1;
		n2 += t2;
	}
	CU_ASSERT_EQUAL(n1 + n2, 256);
	/* 64 flows over two members: far from all on one (p < 1e-6). */
	CU_ASSERT_TRUE(per1 >= 12 && per2 >= 12);
	CU_ASSERT_EQUAL(per1 + per2, 64);
}

static void
test_ecmp_forwarding(void)
{
	struct diamond d;

	diamond_build(&d, NULL);
	/* Forwarded: r hashes a's flows. */
	check_spread(&d, d.a, 0);
	CU_ASSERT_EQUAL(d.rx, 256);
	/* Sent by r itself: the source is the first member's interface. */
	CU_ASSERT_EQUAL(node_source_for(d.r, 0, ip("10.2.0.2")),
	    ip("10.1.1.1"));
	check_spread(&d, d.r, 0);
	CU_ASSERT_EQUAL(d.rx, 512);
	diamond_free(&d);
}

static char *
dump_text(const struct node *n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	node_dump_routes(n, f);
	fclose(f);
	return buf;
}

static char *
explain_text(const struct node *n, uint32_t vrf, const char *pfx,
    uint8_t plen)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(node_explain_route(n, vrf, ip(pfx), plen, f), 0);
	fclose(f);
	return buf;
}

static void
test_node_routes_and_dump(void)
{
	static const struct rib_source model = { .name = "model", .cmp = NULL,
    .multipath = false };
	static const struct rib_source mpm = { .name = "mpm", .cmp = NULL,
    .multipath = true };
	struct diamond d;
	struct rib_route rt = { .source = RIB_SRC_MODEL, .pref = 20 };
	struct rib_explain ex;
	struct rib_nh nh = { ip("10.1.1.2"), 1 }, nh2 = { ip("10.1.2.2"), 2 };
	struct rib *rib;
	char err[128], *text;

	diamond_build(&d, NULL);
	rib = node_rib(d.r, 0);
	/* Static over a connected prefix: the connected route stays. */
	CU_ASSERT_EQUAL(node_add_route(d.r, 0, ip("10.1.2.0"), 24,
	    ip("10.1.1.2"), IFACE_NONE, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(rib_explain(rib, ip("10.1.2.0"), 24, &ex), 0);
	CU_ASSERT_EQUAL(ex.n, 2);
	CU_ASSERT_STRING_EQUAL(ex.why,
	    "lower preference 0 < 1 (connected over static)");
	rib_explain_free(&ex);
	/* A model's route shows its source. */
	rib_set_source(rib, RIB_SRC_MODEL, &model);
	rt.nhg = rib_nhg_get(rib, &nh, 1);
	CU_ASSERT_EQUAL(rib_add(rib, ip("192.0.2.0"), 24, &rt), 0);
	rib_nhg_put(rib, rt.nhg);
	CU_ASSERT_EQUAL(node_add_route(d.r, 0, ip("198.51.100.0"), 24, 0, 2,
	    err, sizeof(err)), 0);
	text = explain_text(d.r, 0, "10.1.2.0", 24);
	CU_ASSERT_STRING_EQUAL(text,
	    "default 10.1.2.0/24: lower preference 0 < 1 (connected over "
	    "static)\n"
	    "  * connected pref 0 metric 0 dev e2\n"
	    "    static pref 1 metric 0 via 10.1.1.2 dev e1\n");
	free(text);
	text = explain_text(d.r, 0, "10.2.0.0", 24);
	CU_ASSERT_STRING_EQUAL(text,
	    "default 10.2.0.0/24: only candidate, ecmp over 2 next hops\n"
	    "  * static pref 1 metric 0 via 10.1.1.2 dev e1, "
	    "via 10.1.2.2 dev e2\n");
	free(text);
	/* Two instances of a multipath source: both in the FIB. */
	rib_set_source(rib, RIB_SRC_MODEL + 1, &mpm);
	rt = (struct rib_route){ .source = RIB_SRC_MODEL + 1, .instance = 1,
	    .pref = 20, .nhg = rib_nhg_get(rib, &nh, 1) };
	CU_ASSERT_EQUAL(rib_add(rib, ip("203.0.113.0"), 24, &rt), 0);
	rib_nhg_put(rib, rt.nhg);
	rt.instance = 2;
	rt.nhg = rib_nhg_get(rib, &nh2, 1);
	CU_ASSERT_EQUAL(rib_add(rib, ip("203.0.113.0"), 24, &rt), 0);
	rib_nhg_put(rib, rt.nhg);
	text = explain_text(d.r, 0, "203.0.113.0", 24);
	CU_ASSERT_STRING_EQUAL(text,
	    "default 203.0.113.0/24: equal preference 20 and metric 0: ecmp "
	    "over 2 routes, ecmp over 2 next hops\n"
	    "  * mpm[1] pref 20 metric 0 via 10.1.1.2 dev e1\n"
	    "  * mpm[2] pref 20 metric 0 via 10.1.2.2 dev e2\n");
	free(text);
	CU_ASSERT_EQUAL(node_explain_route(d.r, 0, ip("10.2.0.0"), 23, stderr),
	    -1);
	CU_ASSERT_EQUAL(node_explain_route(d.r, 5, ip("10.2.0.0"), 24, stderr),
	    -1);
	text = dump_text(d.r);
	CU_ASSERT_STRING_EQUAL(text,
	    "default  10.0.0.0/24 connected  dev e0\n"
	    "default  10.1.1.0/24 connected  dev e1\n"
	    "default  10.1.2.0/24 connected  dev e2\n"
	    "default  10.2.0.0/24 via 10.1.1.2 dev e1\n"
	    "default  10.2.0.0/24 via 10.1.2.2 dev e2\n"
	    "default  192.0.2.0/24 via 10.1.1.2 dev e1 proto model\n"
	    "default  198.51.100.0/24 via 0.0.0.0 dev e2\n"
	    "default  203.0.113.0/24 via 10.1.1.2 dev e1 proto mpm\n"
	    "default  203.0.113.0/24 via 10.1.2.2 dev e2 proto mpm\n");
	free(text);
	/* Errors as before. */
	CU_ASSERT_EQUAL(node_add_route(d.r, 0, ip("10.9.0.0"), 24,
	    ip("10.7.0.1"), IFACE_NONE, err, sizeof(err)), -1);
	CU_ASSERT_STRING_EQUAL(err, "next hop 10.7.0.1 is not on a connected "
	    "subnet of r");
	CU_ASSERT_EQUAL(node_add_route(d.r, 0, ip("10.9.0.1"), 24, 0, 1, err,
	    sizeof(err)), -1);
	CU_ASSERT_EQUAL(node_add_route(d.r, 0, ip("10.9.0.0"), 24, 0, 9, err,
	    sizeof(err)), -1);
	CU_ASSERT_STRING_EQUAL(err, "no such interface");
	diamond_free(&d);
}

/* The trace's route records come from the table's change listener. */
static void
test_trace_records(void)
{
	char path[256], err[256] = "", line[64][160], a[16];
	static const struct rib_source model = { .name = "model", .cmp = NULL,
    .multipath = false };
	struct trace_reader *rd;
	struct trace_rec rec;
	struct trace *tr;
	struct diamond d;
	struct rib *rib;
	struct rib_route rt = { .source = RIB_SRC_MODEL, .pref = 0 };
	struct rib_nh nh = { ip("10.1.2.2"), 2 };
	int n = 0, i;
	static const char *const want[] = {
		"a default 10.0.0.0/24 dev e0 (connected)",
		"r default 10.0.0.0/24 dev e0 (connected)",
		"r default 10.1.1.0/24 dev e1 (connected)",
		"r default 10.1.2.0/24 dev e2 (connected)",
		"b default 10.1.1.0/24 dev e1 (connected)",
		"b default 10.1.2.0/24 dev e2 (connected)",
		"b default 10.2.0.0/24 dev e3 (connected)",
		"c default 10.2.0.0/24 dev e0 (connected)",
		"a default 0.0.0.0/0 via 10.0.0.2 dev e0 (static)",
		"c default 0.0.0.0/0 via 10.2.0.1 dev e0 (static)",
		"r default 10.2.0.0/24 via 10.1.1.2 dev e1, "
		    "via 10.1.2.2 dev e2 (static)",
		/* below: after the build */
		"r default 10.2.0.0/24 via 10.1.2.2 dev e2 (model)",
		"r default 10.2.0.0/24 via 10.1.1.2 dev e1, "
		    "via 10.1.2.2 dev e2 (static)",
		"r default 10.2.0.0/24 withdrawn",
		"r blue 10.2.0.0/24 dev e1 (static)",
	};

	snprintf(path, sizeof(path), "/tmp/xct_test_rib_%ld.trace",
	    (long)getpid());
	tr = trace_open(path, SIM_MS(1), err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(tr);
	diamond_build(&d, tr);
	rib = node_rib(d.r, 0);
	rib_set_source(rib, RIB_SRC_MODEL, &model);
	/* A better route of another source, then gone again. */
	rt.nhg = rib_nhg_get(rib, &nh, 1);
	CU_ASSERT_EQUAL(rib_add(rib, ip("10.2.0.0"), 24, &rt), 0);
	rib_nhg_put(rib, rt.nhg);
	CU_ASSERT_EQUAL(rib_del(rib, ip("10.2.0.0"), 24, RIB_SRC_MODEL, 0), 0);
	/* The same static again: no change, no record. */
	CU_ASSERT_EQUAL(node_add_route(d.r, 0, ip("10.0.0.0"), 24,
	    ip("10.0.0.1"), IFACE_NONE, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(rib_del(rib, ip("10.2.0.0"), 24, RIB_SRC_STATIC, 0),
	    0);
	CU_ASSERT_EQUAL(node_add_route(d.r, node_vrf(d.r, "blue"),
	    ip("10.2.0.0"), 24, 0, 1, err, sizeof(err)), 0);
	diamond_free(&d);
	CU_ASSERT_EQUAL_FATAL(trace_close(tr, err, sizeof(err)), 0);

	rd = trace_reader_open(path, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
	while (trace_reader_next(rd, &rec, err, sizeof(err)) == 1) {
		static const char *names[] = { "a", "r", "b", "c" };

		if (rec.type != TR_ROUTE)
			continue;
		CU_ASSERT_FATAL(n < 64 && rec.u.route.node < 4);
		CU_ASSERT_EQUAL(rec.t, 0);
		if (rec.u.route.withdrawn)
			snprintf(line[n++], 160, "%s %s %s/%u withdrawn",
			    names[rec.u.route.node], rec.u.route.table,
			    wire_ip_str(rec.u.route.prefix, a),
			    rec.u.route.plen);
		else
			snprintf(line[n++], 160, "%s %s %s/%u %s (%s)",
			    names[rec.u.route.node], rec.u.route.table,
			    wire_ip_str(rec.u.route.prefix, a),
			    rec.u.route.plen, rec.u.route.nexthop,
			    rec.u.route.attrs);
	}
	trace_reader_close(rd);
	unlink(path);
	CU_ASSERT_EQUAL(n, (int)(sizeof(want) / sizeof(want[0])));
	for (i = 0; i < n && i < (int)(sizeof(want) / sizeof(want[0])); i++) {
		if (strcmp(line[i], want[i]) != 0)
			fprintf(stderr, "\nrecord %d: got  '%s'\n"
			    "          want '%s'\n", i, line[i], want[i]);
		CU_ASSERT_STRING_EQUAL(line[i], want[i]);
	}
}

static const struct test_case cases[] = {
	{ "sources for one prefix and the winner", test_sources_and_winner },
	{ "delete reveals the next candidate", test_delete_reveals_next },
	{ "replace", test_replace },
	{ "listeners called in the order added", test_listener_order },
	{ "invalid input rejected", test_invalid },
	{ "next-hop groups shared, references freed",
	    test_group_sharing_and_refs },
	{ "multipath routes make one FIB group", test_multipath },
	{ "a source's own decision process", test_source_decision },
	{ "explanations name the deciding step", test_explain_reasons },
	{ "the order of adds does not matter", test_order_independent },
	{ "random churn vs a brute-force reference", test_random_vs_reference },
	{ "ECMP: a flow keeps its member, flows spread",
	    test_ecmp_forwarding },
	{ "node routes and their dump", test_node_routes_and_dump },
	{ "trace route records from the change listener", test_trace_records },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "rib", cases);
}
