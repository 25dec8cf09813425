/*
 * test_bgp_rib.c - the BGP tables: interned attributes, Adj-RIB-In
 * (replace, withdraw, a peer going down), Adj-RIB-Out, a decoded UPDATE
 * applied whole, ECMP with 1, 2 and 4 paths, the change feed (once per
 * real change), the Loc-RIB installed in a real node's RIB, and the memory
 * held per route at 100,000 prefixes.
 */
#include <stdio.h>
#include <string.h>

#include "bgp_rib_testutil.h"
#include "net.h"
#include "rib.h"
#include "sim.h"
#include "testutil.h"

#define LOCAL_AS 65000u

static struct bgp_rib *
table(unsigned max_paths)
{
	struct bgp_rib_config cfg;

	memset(&cfg, 0, sizeof(cfg));
	cfg.local_as = LOCAL_AS;
	cfg.router_id = ip("192.0.2.1");
	cfg.decide.default_local_pref = BGP_LOCAL_PREF_DEFAULT;
	cfg.decide.max_paths = max_paths;
	return bgp_rib_new(&cfg);
}

static const struct spec s_short = { "12076", -1, -1, 0, "10.0.0.2", 0 };
static const struct spec s_long = { "12076 1 2", -1, -1, 0, "10.0.0.2", 0 };
static const struct spec s_mid = { "12076 1", -1, -1, 0, "10.0.0.2", 0 };

static void
test_intern(void)
{
	struct bgp_intern *it = bgp_intern_new();
	struct bgp_attrs *x = mk_attrs(&s_short), *y = mk_attrs(&s_short);
	struct bgp_attrs *z = mk_attrs(&s_long);
	const struct bgp_attrs *a, *b, *c;
	size_t mem0 = bgp_intern_memory(it);

	a = bgp_intern_get(it, x);
	CU_ASSERT_PTR_NOT_EQUAL(a, x);	/* a copy: x stays the caller's */
	CU_ASSERT_EQUAL(bgp_intern_refs(a), 1);
	b = bgp_intern_take(it, y);	/* equal: shared, y freed */
	CU_ASSERT_PTR_EQUAL(a, b);
	CU_ASSERT_EQUAL(bgp_intern_refs(a), 2);
	c = bgp_intern_get(it, z);
	CU_ASSERT_PTR_NOT_EQUAL(a, c);
	CU_ASSERT_EQUAL(bgp_intern_count(it), 2);
	CU_ASSERT(bgp_intern_memory(it) > mem0);
	bgp_intern_ref(c);
	CU_ASSERT_EQUAL(bgp_intern_refs(c), 2);
	bgp_intern_put(it, c);
	bgp_intern_put(it, c);		/* freed at zero */
	CU_ASSERT_EQUAL(bgp_intern_count(it), 1);
	bgp_intern_put(it, a);
	CU_ASSERT_EQUAL(bgp_intern_count(it), 1);
	CU_ASSERT_EQUAL(bgp_intern_refs(a), 1);
	bgp_intern_put(it, b);
	CU_ASSERT_EQUAL(bgp_intern_count(it), 0);
	CU_ASSERT_EQUAL(bgp_intern_memory(it), mem0);
	bgp_intern_put(it, NULL);
	/* many distinct sets: the table grows and finds each again */
	{
		const struct bgp_attrs *v[1000];
		unsigned i;

		for (i = 0; i < 1000; i++) {
			struct spec s = s_short;

			s.med = i;
			v[i] = bgp_intern_take(it, mk_attrs(&s));
		}
		CU_ASSERT_EQUAL(bgp_intern_count(it), 1000);
		for (i = 0; i < 1000; i++) {
			struct spec s = s_short;
			const struct bgp_attrs *w;

			s.med = i;
			w = bgp_intern_take(it, mk_attrs(&s));
			CU_ASSERT_PTR_EQUAL(w, v[i]);
			bgp_intern_put(it, w);
			bgp_intern_put(it, v[i]);
		}
		CU_ASSERT_EQUAL(bgp_intern_count(it), 0);
	}
	free(x);
	free(z);
	bgp_intern_free(it);
}

struct walked {
	unsigned n;
	uint32_t prefix[8];
	const struct bgp_attrs *a[8];
};

static void
walk_in(uint32_t prefix, uint8_t len, const struct bgp_attrs *ia, void *ctx)
{
	struct walked *w = ctx;

	(void)len;
	if (w->n < 8) {
		w->prefix[w->n] = prefix;
		w->a[w->n] = ia;
	}
	w->n++;
}

static void
test_adj_in(void)
{
	struct bgp_rib *br = table(1);
	struct bgp_intern *it = bgp_rib_intern(br);
	uint16_t p = add_peer(br, "10.0.0.2", 12076, "2.2.2.2", 0);
	const struct bgp_attrs *ia = mk(br, &s_short), *ib = mk(br, &s_long);
	struct walked w;

	CU_ASSERT_EQUAL(bgp_rib_update(br, p, ip("192.0.2.0"), 24, ia), 1);
	CU_ASSERT_EQUAL(bgp_rib_update(br, p, ip("198.51.100.0"), 24, ia), 1);
	CU_ASSERT_EQUAL(bgp_intern_refs(ia), 3);	/* ours and 2 routes */
	CU_ASSERT_EQUAL(bgp_rib_in_count(br, p), 2);
	CU_ASSERT_PTR_EQUAL(bgp_rib_in_get(br, p, ip("192.0.2.0"), 24), ia);
	/* replace: implicit withdraw */
	CU_ASSERT_EQUAL(bgp_rib_update(br, p, ip("192.0.2.0"), 24, ib), 0);
	CU_ASSERT_PTR_EQUAL(bgp_rib_in_get(br, p, ip("192.0.2.0"), 24), ib);
	CU_ASSERT_EQUAL(bgp_intern_refs(ia), 2);
	CU_ASSERT_EQUAL(bgp_rib_in_count(br, p), 2);
	CU_ASSERT_EQUAL(bgp_rib_route_count(br), 2);
	/* invalid input */
	CU_ASSERT_EQUAL(bgp_rib_update(br, p, ip("192.0.2.1"), 24, ia), -1);
	CU_ASSERT_EQUAL(bgp_rib_update(br, p, 0, 33, ia), -1);
	CU_ASSERT_EQUAL(bgp_rib_update(br, 77, ip("192.0.2.0"), 24, ia), -1);
	memset(&w, 0, sizeof(w));
	bgp_rib_in_walk(br, p, walk_in, &w);
	CU_ASSERT_EQUAL(w.n, 2);
	CU_ASSERT_EQUAL(w.prefix[0], ip("192.0.2.0"));
	CU_ASSERT_PTR_EQUAL(w.a[0], ib);
	/* withdraw */
	CU_ASSERT_EQUAL(bgp_rib_withdraw(br, p, ip("192.0.2.0"), 24), 0);
	CU_ASSERT_EQUAL(bgp_rib_withdraw(br, p, ip("192.0.2.0"), 24), -1);
	CU_ASSERT_PTR_NULL(bgp_rib_in_get(br, p, ip("192.0.2.0"), 24));
	CU_ASSERT_EQUAL(bgp_rib_in_count(br, p), 1);
	CU_ASSERT_EQUAL(bgp_rib_prefix_count(br), 1);
	CU_ASSERT_EQUAL(bgp_intern_refs(ib), 1);
	/* the peer goes down: everything it sent goes */
	bgp_rib_peer_remove(br, p);
	CU_ASSERT_EQUAL(bgp_rib_route_count(br), 0);
	CU_ASSERT_EQUAL(bgp_rib_prefix_count(br), 0);
	CU_ASSERT_PTR_NULL(bgp_rib_peer(br, p));
	CU_ASSERT_EQUAL(bgp_intern_refs(ia), 1);
	bgp_intern_put(it, ia);
	bgp_intern_put(it, ib);
	CU_ASSERT_EQUAL(bgp_intern_count(it), 0);
	/* its id is free again */
	CU_ASSERT_EQUAL(add_peer(br, "10.0.0.9", 1, "9.9.9.9", 0), p);
	CU_ASSERT_TRUE(bgp_rib_peer_ebgp(br, p));
	{
		/* iBGP is the peer's AS against our AS on that session */
		struct bgp_peer_info pi;
		uint16_t q;

		memset(&pi, 0, sizeof(pi));
		pi.asn = 12076;
		pi.local_as = 12076;
		q = bgp_rib_peer_add(br, &pi);
		CU_ASSERT_FALSE(bgp_rib_peer_ebgp(br, q));
		pi.asn = LOCAL_AS;
		q = bgp_rib_peer_add(br, &pi);
		CU_ASSERT_FALSE(bgp_rib_peer_ebgp(br, BGP_PEER_LOCAL));
		CU_ASSERT_TRUE(bgp_rib_peer_ebgp(br, q));
		pi.local_as = 0;
		q = bgp_rib_peer_add(br, &pi);
		CU_ASSERT_FALSE(bgp_rib_peer_ebgp(br, q));
	}
	bgp_rib_free(br);
}

static void
test_adj_out(void)
{
	struct bgp_rib *br = table(1);
	struct bgp_intern *it = bgp_rib_intern(br);
	uint16_t p = add_peer(br, "10.0.0.2", 12076, "2.2.2.2", 0);
	const struct bgp_attrs *ia = mk(br, &s_short), *ib = mk(br, &s_long);
	struct walked w;
	unsigned i;

	CU_ASSERT_FALSE(bgp_rib_out_set(br, p, ip("192.0.2.0"), 24, NULL));
	CU_ASSERT_TRUE(bgp_rib_out_set(br, p, ip("192.0.2.0"), 24, ia));
	CU_ASSERT_FALSE(bgp_rib_out_set(br, p, ip("192.0.2.0"), 24, ia));
	CU_ASSERT_TRUE(bgp_rib_out_set(br, p, ip("192.0.2.0"), 24, ib));
	CU_ASSERT_PTR_EQUAL(bgp_rib_out_get(br, p, ip("192.0.2.0"), 24), ib);
	CU_ASSERT_TRUE(bgp_rib_out_set(br, p, ip("10.0.0.0"), 8, ia));
	CU_ASSERT_EQUAL(bgp_rib_out_count(br, p), 2);
	/* ROUTE-REFRESH: what was sent, in prefix order */
	memset(&w, 0, sizeof(w));
	bgp_rib_out_walk(br, p, walk_in, &w);
	CU_ASSERT_EQUAL(w.n, 2);
	CU_ASSERT_EQUAL(w.prefix[0], ip("10.0.0.0"));
	CU_ASSERT_EQUAL(w.prefix[1], ip("192.0.2.0"));
	CU_ASSERT_TRUE(bgp_rib_out_set(br, p, ip("192.0.2.0"), 24, NULL));
	CU_ASSERT_FALSE(bgp_rib_out_set(br, p, ip("192.0.2.0"), 24, NULL));
	CU_ASSERT_PTR_NULL(bgp_rib_out_get(br, p, ip("192.0.2.0"), 24));
	CU_ASSERT_EQUAL(bgp_rib_out_count(br, p), 1);
	/* many, then all withdrawn: the deletion keeps every entry findable */
	for (i = 0; i < 5000; i++)
		bgp_rib_out_set(br, p, (ip("20.0.0.0") + i) << 8 & ~0xffu, 24,
		    (i & 1) ? ia : ib);
	CU_ASSERT_EQUAL(bgp_rib_out_count(br, p), 5001);
	for (i = 0; i < 5000; i += 2)
		CU_ASSERT_TRUE(bgp_rib_out_set(br, p,
		    (ip("20.0.0.0") + i) << 8 & ~0xffu, 24, NULL));
	for (i = 0; i < 5000; i++)
		CU_ASSERT_PTR_EQUAL(bgp_rib_out_get(br, p,
		    (ip("20.0.0.0") + i) << 8 & ~0xffu, 24),
		    (i & 1) ? ia : NULL);
	CU_ASSERT_EQUAL(bgp_rib_out_count(br, p), 2501);
	bgp_rib_peer_remove(br, p);
	CU_ASSERT_EQUAL(bgp_rib_out_count(br, p), 0);
	CU_ASSERT_EQUAL(bgp_rib_out_memory(br), 0);
	CU_ASSERT_EQUAL(bgp_intern_refs(ia), 1);
	bgp_intern_put(it, ia);
	bgp_intern_put(it, ib);
	bgp_rib_free(br);
}

/* ---- the change feed ---- */

struct feed {
	unsigned n[3];
	struct bgp_change last;
	uint16_t peers[8];
};

static void
on_change(struct bgp_rib *br, const struct bgp_change *c, void *ctx)
{
	struct feed *f = ctx;
	unsigned i;

	(void)br;
	f->n[c->kind]++;
	f->last = *c;
	for (i = 0; i < c->n_paths && i < 8; i++)
		f->peers[i] = c->paths[i].peer;
	f->last.paths = NULL;
}

static unsigned
total(const struct feed *f)
{
	return f->n[0] + f->n[1] + f->n[2];
}

static void
test_feed(void)
{
	struct bgp_rib *br = table(2);
	uint16_t a = add_peer(br, "10.0.0.1", 12076, "1.1.1.1", 0);
	uint16_t b = add_peer(br, "10.0.0.3", 12076, "3.3.3.3", 0);
	uint16_t c = add_peer(br, "10.0.0.4", 31898, "4.4.4.4", 0);
	uint16_t d = add_peer(br, "10.0.0.5", 12076, "5.5.5.5", 0);
	struct feed f;

	memset(&f, 0, sizeof(f));
	bgp_rib_add_listener(br, on_change, &f);
	announce(br, a, "192.0.2.0", 24, &s_mid);
	CU_ASSERT_EQUAL(f.n[BGP_CH_ADDED], 1);
	CU_ASSERT_EQUAL(f.last.n_paths, 1);
	CU_ASSERT_EQUAL(f.peers[0], a);
	announce(br, a, "192.0.2.0", 24, &s_mid);	/* the same again */
	CU_ASSERT_EQUAL(total(&f), 1);
	announce(br, b, "192.0.2.0", 24, &s_long);	/* a worse one */
	CU_ASSERT_EQUAL(total(&f), 1);
	announce(br, c, "192.0.2.0", 24, &s_short);	/* a better one */
	CU_ASSERT_EQUAL(f.n[BGP_CH_CHANGED], 1);
	CU_ASSERT_EQUAL(f.peers[0], c);
	CU_ASSERT_EQUAL(f.last.n_paths, 1);
	bgp_rib_withdraw(br, b, ip("192.0.2.0"), 24);	/* a loser goes */
	CU_ASSERT_EQUAL(total(&f), 2);
	bgp_rib_withdraw(br, c, ip("192.0.2.0"), 24);	/* the best goes */
	CU_ASSERT_EQUAL(f.n[BGP_CH_CHANGED], 2);
	CU_ASSERT_EQUAL(f.peers[0], a);
	announce(br, d, "192.0.2.0", 24, &s_mid);	/* an equal one: ECMP */
	CU_ASSERT_EQUAL(f.n[BGP_CH_CHANGED], 3);
	CU_ASSERT_EQUAL(f.last.n_paths, 2);
	CU_ASSERT_EQUAL(f.peers[0], a);
	CU_ASSERT_EQUAL(f.peers[1], d);
	announce(br, a, "192.0.2.0", 24, &s_long);	/* new attributes */
	CU_ASSERT_EQUAL(f.n[BGP_CH_CHANGED], 4);
	CU_ASSERT_EQUAL(f.last.n_paths, 1);
	CU_ASSERT_EQUAL(f.peers[0], d);
	bgp_rib_peer_remove(br, d);
	CU_ASSERT_EQUAL(f.n[BGP_CH_CHANGED], 5);
	CU_ASSERT_EQUAL(f.peers[0], a);
	bgp_rib_withdraw(br, a, ip("192.0.2.0"), 24);
	CU_ASSERT_EQUAL(f.n[BGP_CH_WITHDRAWN], 1);
	CU_ASSERT_EQUAL(f.last.n_paths, 0);
	CU_ASSERT_EQUAL(f.last.prefix, ip("192.0.2.0"));
	CU_ASSERT_EQUAL(total(&f), 7);
	bgp_rib_remove_listener(br, on_change, &f);
	announce(br, a, "192.0.2.0", 24, &s_mid);
	CU_ASSERT_EQUAL(total(&f), 7);
	bgp_rib_free(br);
}

/* Next hops: 10.9.9.9 unreachable until the node's routes change. */
static bool reach_all;

static bool
resolve(void *ctx, uint32_t nh, uint32_t *cost)
{
	(void)ctx;
	*cost = 0;
	return reach_all || nh != ip("10.9.9.9");
}

static void
test_feed_nexthop(void)
{
	static const struct spec s_far = { "12076", -1, -1, 0, "10.9.9.9", 0 };
	struct bgp_rib *br = table(1);
	uint16_t a = add_peer(br, "10.0.0.1", 12076, "1.1.1.1", 0);
	struct feed f;

	memset(&f, 0, sizeof(f));
	reach_all = false;
	bgp_rib_set_resolver(br, resolve, NULL);
	bgp_rib_add_listener(br, on_change, &f);
	announce(br, a, "192.0.2.0", 24, &s_far);
	CU_ASSERT_EQUAL(total(&f), 0);
	bgp_rib_nexthops_changed(br);
	CU_ASSERT_EQUAL(total(&f), 0);
	reach_all = true;
	bgp_rib_nexthops_changed(br);
	CU_ASSERT_EQUAL(f.n[BGP_CH_ADDED], 1);
	reach_all = false;
	bgp_rib_nexthops_changed(br);
	CU_ASSERT_EQUAL(f.n[BGP_CH_WITHDRAWN], 1);
	CU_ASSERT_EQUAL(bgp_rib_route_count(br), 1);	/* still held */
	CU_ASSERT_EQUAL(total(&f), 2);
	/* prefixes come and go: freed prefix records are not decided again */
	reach_all = true;
	bgp_rib_nexthops_changed(br);
	CU_ASSERT_EQUAL(f.n[BGP_CH_ADDED], 2);
	announce(br, a, "198.51.100.0", 24, &s_far);
	announce(br, a, "203.0.113.0", 24, &s_far);
	announce(br, a, "203.0.114.0", 24, &s_far);
	bgp_rib_withdraw(br, a, ip("198.51.100.0"), 24);
	bgp_rib_withdraw(br, a, ip("203.0.113.0"), 24);
	CU_ASSERT_EQUAL(f.n[BGP_CH_ADDED], 5);
	CU_ASSERT_EQUAL(f.n[BGP_CH_WITHDRAWN], 3);
	reach_all = false;
	bgp_rib_nexthops_changed(br);
	CU_ASSERT_EQUAL(f.n[BGP_CH_WITHDRAWN], 5);
	CU_ASSERT_EQUAL(f.n[BGP_CH_ADDED], 5);
	CU_ASSERT_EQUAL(bgp_rib_prefix_count(br), 2);
	bgp_rib_free(br);
}

/* Graceful restart: stale routes stay, those not sent again are swept. */
static void
test_stale(void)
{
	struct bgp_rib *br = table(1);
	uint16_t p = add_peer(br, "10.0.0.2", 12076, "2.2.2.2", 0);
	uint16_t q = add_peer(br, "10.0.1.2", 31898, "3.3.3.3", 0);
	struct feed f;
	struct bgp_route best;

	announce(br, p, "192.0.2.0", 24, &s_short);
	announce(br, p, "198.51.100.0", 24, &s_short);
	announce(br, p, "203.0.113.0", 24, &s_short);
	announce(br, q, "198.51.100.0", 24, &s_long);
	memset(&f, 0, sizeof(f));
	bgp_rib_add_listener(br, on_change, &f);
	CU_ASSERT_EQUAL(bgp_rib_peer_mark_stale(br, p), 3);
	CU_ASSERT_EQUAL(total(&f), 0);
	CU_ASSERT_TRUE(bgp_rib_best(br, ip("192.0.2.0"), 24, &best));
	/* the restarted peer sends one unchanged, one changed */
	announce(br, p, "192.0.2.0", 24, &s_short);
	announce(br, p, "203.0.113.0", 24, &s_mid);
	CU_ASSERT_EQUAL(f.n[BGP_CH_CHANGED], 1);
	/* End-of-RIB: 198.51.100.0/24 was not sent again: q's route takes over */
	CU_ASSERT_EQUAL(bgp_rib_peer_sweep_stale(br, p), 1);
	CU_ASSERT_EQUAL(f.n[BGP_CH_CHANGED], 2);
	CU_ASSERT_TRUE(bgp_rib_best(br, ip("198.51.100.0"), 24, &best));
	CU_ASSERT_EQUAL(best.peer, q);
	CU_ASSERT_EQUAL(bgp_rib_in_count(br, p), 2);
	CU_ASSERT_EQUAL(bgp_rib_peer_sweep_stale(br, p), 0);
	CU_ASSERT_EQUAL(bgp_rib_peer_sweep_stale(br, q), 0);
	bgp_rib_free(br);
}

/* ---- ECMP ---- */

static void
ecmp_case(unsigned max_paths, unsigned want)
{
	struct bgp_rib *br = table(max_paths);
	static const char *const addr[5] = {
		"10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5",
	};
	static const char *const id[5] = {
		"1.1.1.5", "1.1.1.4", "1.1.1.3", "1.1.1.2", "1.1.1.1",
	};
	uint16_t p[6];
	struct bgp_explain ex;
	unsigned i;

	/* five links to AS 12076 (as an MSEE pair would be), one to 31898 */
	for (i = 0; i < 5; i++) {
		struct spec s = s_mid;

		s.nh = addr[i];
		p[i] = add_peer(br, addr[i], 12076, id[i], 0);
		announce(br, p[i], "192.0.2.0", 24, &s);
	}
	p[5] = add_peer(br, "10.0.0.6", 31898, "1.1.1.0", 0);
	{
		struct spec s = { "31898 1", -1, -1, 0, "10.0.0.6", 0 };

		announce(br, p[5], "192.0.2.0", 24, &s);
	}
	CU_ASSERT_FATAL(bgp_rib_explain(br, ip("192.0.2.0"), 24, &ex) == 0);
	CU_ASSERT_EQUAL(ex.n, 6);
	CU_ASSERT_EQUAL(ex.n_mp, want);
	/* best: the lowest router id; AS 31898's has a lower one still, but
	 * a different neighbour AS is not in the multipath set */
	CU_ASSERT_EQUAL(ex.r[0].r.peer, p[5]);
	for (i = 0; i < ex.n; i++)
		CU_ASSERT_EQUAL(ex.r[i].multipath, i < want);
	bgp_explain_free(&ex);
	bgp_rib_free(br);
}

static void
ecmp_same_as(unsigned max_paths, unsigned want)
{
	struct bgp_rib *br = table(max_paths);
	uint16_t p[5];
	struct bgp_explain ex;
	struct feed f;
	unsigned i;
	char addr[16], id[16];

	memset(&f, 0, sizeof(f));
	bgp_rib_add_listener(br, on_change, &f);
	for (i = 0; i < 5; i++) {
		struct spec s = s_mid;

		snprintf(addr, sizeof(addr), "10.0.0.%u", i + 1);
		snprintf(id, sizeof(id), "1.1.1.%u", 9 - i);
		s.nh = addr;
		p[i] = add_peer(br, addr, 12076, id, 0);
		announce(br, p[i], "192.0.2.0", 24, &s);
	}
	/* one worse (longer path) from a sixth link: never in the set */
	p[4] = add_peer(br, "10.0.0.9", 12076, "1.1.1.0", 0);
	announce(br, p[4], "192.0.2.0", 24, &s_long);
	CU_ASSERT_FATAL(bgp_rib_explain(br, ip("192.0.2.0"), 24, &ex) == 0);
	CU_ASSERT_EQUAL(ex.n_mp, want);
	CU_ASSERT_EQUAL(f.last.n_paths, want);
	/* lowest router id first: the last added of the five */
	CU_ASSERT_EQUAL(ex.r[0].r.peer, 5);
	for (i = 1; i < want; i++) {
		CU_ASSERT_TRUE(ex.r[i].multipath);
		CU_ASSERT_EQUAL(ex.r[i].rule, BGP_RULE_ROUTER_ID);
		CU_ASSERT_EQUAL(ex.r[i].r.peer, 5 - i);
	}
	CU_ASSERT_EQUAL(ex.r[ex.n - 1].rule, BGP_RULE_AS_PATH);
	CU_ASSERT_FALSE(ex.r[ex.n - 1].multipath);
	bgp_explain_free(&ex);
	bgp_rib_free(br);
}

static void
test_ecmp(void)
{
	ecmp_case(1, 1);
	ecmp_case(2, 1);
	ecmp_case(4, 1);
	ecmp_same_as(1, 1);
	ecmp_same_as(2, 2);
	ecmp_same_as(4, 4);
}

/* ---- a decoded UPDATE applied whole ---- */

struct packed {
	unsigned n;
	uint8_t msg[4][BGP_MAX_LEN];
	size_t len[4];
};

static void
collect(const uint8_t *msg, size_t len, void *arg)
{
	struct packed *p = arg;

	if (p->n < 4) {
		memcpy(p->msg[p->n], msg, len);
		p->len[p->n] = len;
	}
	p->n++;
}

static void
test_apply_update(void)
{
	struct bgp_rib *br = table(1);
	uint16_t p = add_peer(br, "10.0.0.2", 12076, "2.2.2.2", 0);
	struct bgp_attrs *a = mk_attrs(&s_long);
	struct bgp_prefix4 nlri[1200];
	struct packed *pk = calloc(1, sizeof(*pk));
	struct bgp_msg m;
	struct bgp_result res;
	unsigned i;
	size_t n = 0;

	for (i = 0; i < 1200; i++) {
		nlri[i].addr = ip("100.64.0.0") + (i << 8);
		nlri[i].len = 24;
	}
	CU_ASSERT_EQUAL(bgp_pack_announce(a, true, nlri, 1200, collect, pk), 2);
	for (i = 0; i < pk->n; i++) {
		CU_ASSERT_EQUAL_FATAL(bgp_decode(pk->msg[i], pk->len[i], true,
		    &m, &res), BGP_ACT_NONE);
		n += bgp_rib_apply_update(br, p, &m.u.update);
		bgp_msg_free(&m);
	}
	CU_ASSERT_EQUAL(n, 1200);
	CU_ASSERT_EQUAL(bgp_rib_in_count(br, p), 1200);
	/* one interned set for all of them */
	CU_ASSERT_EQUAL(bgp_intern_count(bgp_rib_intern(br)), 1);
	CU_ASSERT_TRUE(bgp_attrs_equal(bgp_rib_in_get(br, p,
	    ip("100.64.5.0"), 24), a));
	pk->n = 0;
	CU_ASSERT_EQUAL(bgp_pack_withdraw(nlri, 100, collect, pk), 1);
	CU_ASSERT_EQUAL_FATAL(bgp_decode(pk->msg[0], pk->len[0], true, &m,
	    &res), BGP_ACT_NONE);
	CU_ASSERT_EQUAL(bgp_rib_apply_update(br, p, &m.u.update), 0);
	bgp_msg_free(&m);
	CU_ASSERT_EQUAL(bgp_rib_in_count(br, p), 1100);
	/* MP_REACH_NLRI: its next hop, not NEXT_HOP's (RFC 4760 3) */
	{
		struct bgp_update u;
		struct bgp_prefix4 mp = { ip("100.100.0.0"), 16 };
		const struct bgp_attrs *got;

		memset(&u, 0, sizeof(u));
		u.attrs = a;
		u.has_mp_reach = true;
		u.mp_next_hop = ip("10.0.0.77");
		u.n_mp_nlri = 1;
		u.mp_nlri = &mp;
		u.n_withdrawn = 1;
		u.withdrawn = &nlri[100];
		CU_ASSERT_EQUAL(bgp_rib_apply_update(br, p, &u), 1);
		got = bgp_rib_in_get(br, p, mp.addr, 16);
		CU_ASSERT_FATAL(got != NULL);
		CU_ASSERT_EQUAL(got->next_hop, ip("10.0.0.77"));
		CU_ASSERT_EQUAL(got->path_len, a->path_len);
		CU_ASSERT_EQUAL(bgp_rib_in_count(br, p), 1100);
		CU_ASSERT_EQUAL(bgp_intern_count(bgp_rib_intern(br)), 2);
	}
	free(a);
	free(pk);
	bgp_rib_free(br);
}

/* ---- the node's RIB ---- */

static void
test_node_rib(void)
{
	static const struct spec sa = { "12076 1", -1, -1, 0, "10.0.0.2", 0 };
	static const struct spec sb = { "12076 1", -1, -1, 0, "10.0.1.2", 0 };
	static const struct spec sc = { "12076 1", 100, -1, 0, "10.5.5.5", 0 };
	static const struct spec sd = { "12076 1", 100, -1, 0, "10.7.1.1", 0 };
	struct sim *sim = sim_new(1);
	struct net *net = net_new(sim);
	struct node *n = net_add_node(net, "msee", "router", NULL, NULL);
	struct bgp_rib *br = table(2);
	struct bgp_node_glue *g;
	struct rib *r;
	struct rib_route rt;
	const struct rib_nhg *nhg;
	uint16_t a, b, c;
	size_t groups;
	char err[128];

	node_add_iface(n, "e0", NULL, ip("10.0.0.1"), 24, VRF_DEFAULT);
	node_add_iface(n, "e1", NULL, ip("10.0.1.1"), 24, VRF_DEFAULT);
	r = node_rib(n, VRF_DEFAULT);
	groups = rib_nhg_count(r);
	a = add_peer(br, "10.0.0.2", 12076, "1.1.1.1", 0);
	b = add_peer(br, "10.0.1.2", 12076, "2.2.2.2", 0);
	c = add_peer(br, "10.0.0.9", LOCAL_AS, "3.3.3.3", 0);
	/* a route before the glue is attached is installed by it */
	announce(br, a, "192.0.2.0", 24, &sa);
	g = bgp_node_attach(br, r, RIB_SRC_MODEL, 0);
	CU_ASSERT_FATAL(rib_best(r, ip("192.0.2.0"), 24, &rt));
	CU_ASSERT_EQUAL(rt.source, RIB_SRC_MODEL);
	CU_ASSERT_EQUAL(rt.pref, BGP_PREF_EBGP);
	nhg = rib_nhg(r, rt.nhg);
	CU_ASSERT_EQUAL_FATAL(nhg->n, 1);
	CU_ASSERT_EQUAL(nhg->nh[0].via, ip("10.0.0.2"));
	CU_ASSERT_EQUAL(nhg->nh[0].ifindex, 0);
	/* a second, equal path: ECMP over both links */
	announce(br, b, "192.0.2.0", 24, &sb);
	nhg = rib_lookup(r, ip("192.0.2.77"));
	CU_ASSERT_EQUAL_FATAL(nhg->n, 2);
	CU_ASSERT_EQUAL(nhg->nh[0].via, ip("10.0.0.2"));
	CU_ASSERT_EQUAL(nhg->nh[0].ifindex, 0);
	CU_ASSERT_EQUAL(nhg->nh[1].via, ip("10.0.1.2"));
	CU_ASSERT_EQUAL(nhg->nh[1].ifindex, 1);
	/* withdrawals */
	bgp_rib_withdraw(br, a, ip("192.0.2.0"), 24);
	nhg = rib_lookup(r, ip("192.0.2.77"));
	CU_ASSERT_EQUAL_FATAL(nhg->n, 1);
	CU_ASSERT_EQUAL(nhg->nh[0].via, ip("10.0.1.2"));
	bgp_rib_withdraw(br, b, ip("192.0.2.0"), 24);
	CU_ASSERT_FALSE(rib_best(r, ip("192.0.2.0"), 24, &rt));
	CU_ASSERT_PTR_NULL(rib_lookup(r, ip("192.0.2.77")));
	/* iBGP, next hop not reachable yet: held, not installed */
	announce(br, c, "198.51.100.0", 24, &sc);
	CU_ASSERT_FALSE(rib_best(r, ip("198.51.100.0"), 24, &rt));
	CU_ASSERT_EQUAL(node_add_route(n, VRF_DEFAULT, ip("10.5.5.0"), 24,
	    ip("10.0.1.2"), IFACE_NONE, err, sizeof(err)), 0);
	bgp_rib_nexthops_changed(br);
	CU_ASSERT_FATAL(rib_best(r, ip("198.51.100.0"), 24, &rt));
	CU_ASSERT_EQUAL(rt.pref, BGP_PREF_IBGP);
	nhg = rib_nhg(r, rt.nhg);
	CU_ASSERT_EQUAL_FATAL(nhg->n, 1);
	CU_ASSERT_EQUAL(nhg->nh[0].via, ip("10.0.1.2"));	/* the gateway */
	CU_ASSERT_EQUAL(nhg->nh[0].ifindex, 1);
	/* a next hop covered only by a BGP route is not reachable */
	announce(br, a, "10.7.0.0", 16, &sa);
	CU_ASSERT_TRUE(rib_best(r, ip("10.7.0.0"), 16, &rt));
	announce(br, c, "203.0.113.0", 24, &sd);
	CU_ASSERT_FALSE(rib_best(r, ip("203.0.113.0"), 24, &rt));
	/* a static route for the same prefix wins over BGP (1 < 200) */
	CU_ASSERT_EQUAL(node_add_route(n, VRF_DEFAULT, ip("198.51.100.0"), 24,
	    ip("10.0.0.2"), IFACE_NONE, err, sizeof(err)), 0);
	CU_ASSERT_FATAL(rib_best(r, ip("198.51.100.0"), 24, &rt));
	CU_ASSERT_EQUAL(rt.source, RIB_SRC_STATIC);
	/* the session goes down: its routes leave the node */
	bgp_rib_peer_remove(br, a);
	CU_ASSERT_FALSE(rib_best(r, ip("10.7.0.0"), 16, &rt));
	bgp_node_detach(g);
	CU_ASSERT_EQUAL(rib_instance_count(r, RIB_SRC_MODEL, 0), 0);
	CU_ASSERT_EQUAL(rib_nhg_count(r), groups + 2);	/* the statics' */
	bgp_rib_free(br);
	net_free(net);
	sim_free(sim);
}

/* ---- memory ---- */

static void
fill(struct bgp_rib *br, uint16_t peer, unsigned n, unsigned n_sets)
{
	const struct bgp_attrs **set = calloc(n_sets, sizeof(*set));
	unsigned i;

	for (i = 0; i < n_sets; i++) {
		char path[64];
		struct spec s = { path, -1, (long)i, 0, "10.0.0.2", 0 };

		snprintf(path, sizeof(path), "12076 %u %u", 1000 + i % 97,
		    20000 + i);
		set[i] = mk(br, &s);
	}
	for (i = 0; i < n; i++)
		CU_ASSERT(bgp_rib_update(br, peer, (0x0b000000u + i) << 8, 24,
		    set[i % n_sets]) >= 0);
	for (i = 0; i < n_sets; i++)
		bgp_intern_put(bgp_rib_intern(br), set[i]);
	free(set);
}

static void
test_memory(void)
{
	struct bgp_rib *br = table(1);
	uint16_t a = add_peer(br, "10.0.0.2", 12076, "1.1.1.1", 0);
	uint16_t b = add_peer(br, "10.0.1.2", 12076, "2.2.2.2", 0);
	double per;

	fill(br, a, 100000, 2000);
	CU_ASSERT_EQUAL(bgp_rib_route_count(br), 100000);
	per = (double)bgp_rib_memory(br) / 100000;
	printf("\n  one peer: %.1f bytes per route", per);
	CU_ASSERT(per <= 200);
	fill(br, b, 100000, 2000);
	CU_ASSERT_EQUAL(bgp_rib_route_count(br), 200000);
	CU_ASSERT_EQUAL(bgp_rib_prefix_count(br), 100000);
	per = (double)bgp_rib_memory(br) / 200000;
	printf(", two peers: %.1f bytes per route\n", per);
	CU_ASSERT(per <= 200);
	bgp_rib_peer_remove(br, a);
	bgp_rib_peer_remove(br, b);
	CU_ASSERT_EQUAL(bgp_intern_count(bgp_rib_intern(br)), 0);
	bgp_rib_free(br);
}

static const struct test_case cases[] = {
	{ "interning: sharing, refcounts, freed at zero", test_intern },
	{ "Adj-RIB-In: replace, withdraw, peer down", test_adj_in },
	{ "Adj-RIB-Out: changes only, walk, withdraw", test_adj_out },
	{ "graceful restart: stale routes marked and swept", test_stale },
	{ "change feed: once per real change", test_feed },
	{ "change feed: next hops resolved again", test_feed_nexthop },
	{ "ECMP with 1, 2 and 4 paths", test_ecmp },
	{ "a decoded UPDATE applied whole", test_apply_update },
	{ "best and multipath next hops in a node's RIB", test_node_rib },
	{ "memory per route at 100,000 prefixes", test_memory },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "bgp_rib", cases);
}
