/*
 * test_rib_withdraw.c - taking out every route of one (source, instance) at
 * once, as BGP does when a peer goes down: the exact change reports and
 * their order on a small table, then random tables with ECMP groups against
 * a brute-force reference (rib_del of each of the peer's routes in (prefix,
 * len) order on a twin table), with every next-hop group freed at the end.
 * Kept out of test_rib.c, which is long enough.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rib.h"
#include "sim.h"
#include "testutil.h"
#include "util.h"
#include "wire.h"

#define SRC_BGP RIB_SRC_MODEL		/* multipath, with its own decision */
#define SRC_MP (RIB_SRC_MODEL + 1)	/* multipath, the metric decides */

static uint32_t
ip(const char *s)
{
	uint32_t a = 0;

	CU_ASSERT_EQUAL_FATAL(wire_ip_parse(s, &a), 0);
	return a;
}

/* Higher "local preference" (attr) wins, as in BGP. */
static int
lpref_cmp(const struct rib_route *a, const struct rib_route *b, char *why,
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

static const struct rib_source bgp_src = { .name = "bgp", .cmp = lpref_cmp,
    .multipath = true };
static const struct rib_source mp_src = { .name = "mp", .cmp = NULL,
    .multipath = true };
static const unsigned lprefs[2] = { 100, 200 };

/* --- every change as text, in one growing buffer --- */

struct text {
	char *s;
	size_t len, cap;
	size_t n;		/* changes */
};

static void
text_add(struct text *t, const char *line)
{
	size_t l = strlen(line);

	if (t->len + l + 2 > t->cap) {
		t->cap = (t->len + l + 2) * 2;
		t->s = xrealloc(t->s, t->cap);
	}
	memcpy(t->s + t->len, line, l);
	t->len += l;
	t->s[t->len++] = '\n';
	t->s[t->len] = '\0';
}

static void
text_clear(struct text *t)
{
	t->len = 0;
	t->n = 0;
	if (t->s != NULL)
		t->s[0] = '\0';
}

static const char *
group_text(const struct rib_nhg *g, char *buf, size_t len)
{
	size_t off = 0;
	uint32_t i;
	char a[16];

	buf[0] = '\0';
	for (i = 0; g != NULL && i < g->n && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s@%u",
		    i ? "," : "", wire_ip_str(g->nh[i].via, a),
		    g->nh[i].ifindex);
	return buf;
}

static void
log_change(struct rib *r, const struct rib_change *c, void *ctx)
{
	static const char *kind[] = { "added", "changed", "withdrawn" };
	struct text *t = ctx;
	char line[1200], a[16], g[1024], sb[16];

	t->n++;
	if (c->kind == RIB_WITHDRAWN) {
		CU_ASSERT_PTR_NULL(c->best);
		snprintf(line, sizeof(line), "withdrawn %s/%u",
		    wire_ip_str(c->prefix, a), c->len);
	} else {
		snprintf(line, sizeof(line), "%s %s/%u %s#%u pref %u metric %u "
		    "[%s]", kind[c->kind], wire_ip_str(c->prefix, a), c->len,
		    rib_source_name(r, c->best->source, sb, sizeof(sb)),
		    c->best->instance, c->best->pref, c->best->metric,
		    group_text(c->nhg, g, sizeof(g)));
	}
	text_add(t, line);
}

static void
dump_one(uint32_t prefix, uint8_t len, const struct rib_route *best,
    const struct rib_nhg *nhg, void *ctx)
{
	char line[1200], a[16], g[1024];

	snprintf(line, sizeof(line), "%s/%u %u#%u pref %u metric %u [%s]",
	    wire_ip_str(prefix, a), len, best->source, best->instance,
	    best->pref, best->metric, group_text(nhg, g, sizeof(g)));
	text_add(ctx, line);
}

/* The table's FIB view as text: every prefix, its best and its group. */
static void
dump(const struct rib *r, struct text *t)
{
	text_clear(t);
	rib_walk(r, dump_one, t);
}

static struct rib *
new_rib(struct text *log)
{
	struct rib *r = rib_new("main");

	rib_set_source(r, SRC_BGP, &bgp_src);
	rib_set_source(r, SRC_MP, &mp_src);
	if (log != NULL)
		rib_add_listener(r, log_change, log);
	return r;
}

static int
add_via(struct rib *r, const char *pfx, uint8_t len, uint8_t source,
    uint32_t instance, uint16_t pref, const unsigned *attr, const char *via,
    uint32_t ifindex)
{
	struct rib_nh nh = { ip(via), ifindex };
	struct rib_route rt = { .source = source, .instance = instance,
	    .pref = pref, .attr = attr, .nhg = rib_nhg_get(r, &nh, 1) };
	int rc = rib_add(r, ip(pfx), len, &rt);

	rib_nhg_put(r, rt.nhg);
	return rc;
}

/*
 * Two BGP peers (instances 1 and 2) share three prefixes and ECMP over one;
 * peer 1 alone has two more, one under a static route. Peer 1 goes down.
 */
static void
test_peer_down_changes(void)
{
	struct text log = { 0 };
	struct rib *r = new_rib(&log);
	const unsigned *lp = lprefs;

	/* added in no particular order: the reports come in prefix order */
	add_via(r, "10.3.0.0", 16, SRC_BGP, 1, 20, &lp[0], "192.0.2.1", 1);
	add_via(r, "10.1.0.0", 16, SRC_BGP, 1, 20, &lp[1], "192.0.2.1", 1);
	add_via(r, "10.1.0.0", 16, SRC_BGP, 2, 20, &lp[0], "192.0.2.2", 2);
	add_via(r, "10.2.0.0", 16, SRC_BGP, 2, 20, &lp[0], "192.0.2.2", 2);
	add_via(r, "10.2.0.0", 16, SRC_BGP, 1, 20, &lp[0], "192.0.2.1", 1);
	add_via(r, "10.0.0.0", 8, SRC_BGP, 1, 20, &lp[0], "192.0.2.1", 1);
	add_via(r, "10.2.0.0", 24, SRC_BGP, 2, 20, &lp[0], "192.0.2.2", 2);
	add_via(r, "10.9.0.0", 16, RIB_SRC_STATIC, 0, 1, NULL, "192.0.2.9", 3);
	add_via(r, "10.9.0.0", 16, SRC_BGP, 1, 20, &lp[0], "192.0.2.1", 1);
	CU_ASSERT_EQUAL(rib_instance_count(r, SRC_BGP, 1), 5);
	CU_ASSERT_EQUAL(rib_instance_count(r, SRC_BGP, 2), 3);
	CU_ASSERT_EQUAL(rib_instance_count(r, SRC_BGP, 3), 0);
	CU_ASSERT_EQUAL(rib_instance_count(r, RIB_SRC_STATIC, 0), 1);
	CU_ASSERT_EQUAL(rib_instance_count(r, RIB_SRC_MAX, 0), 0);
	text_clear(&log);

	CU_ASSERT_EQUAL(rib_del_instance(r, SRC_BGP, 1), 5);
	/*
	 * 10.0/8 and 10.3/16 go; 10.1/16 falls back to peer 2 (it won on
	 * local preference); 10.2/16 leaves ECMP; 10.9/16 lost only a loser
	 * to the static route, and 10.2.0/24 was never peer 1's.
	 */
	CU_ASSERT_STRING_EQUAL(log.s,
	    "withdrawn 10.0.0.0/8\n"
	    "changed 10.1.0.0/16 bgp#2 pref 20 metric 0 [192.0.2.2@2]\n"
	    "changed 10.2.0.0/16 bgp#2 pref 20 metric 0 [192.0.2.2@2]\n"
	    "withdrawn 10.3.0.0/16\n");
	CU_ASSERT_EQUAL(rib_instance_count(r, SRC_BGP, 1), 0);
	CU_ASSERT_EQUAL(rib_route_count(r), 4);
	CU_ASSERT_EQUAL(rib_prefix_count(r), 4);
	CU_ASSERT_PTR_NULL(rib_lookup(r, ip("10.3.1.1")));
	/* gone already: nothing to do, nothing reported */
	text_clear(&log);
	CU_ASSERT_EQUAL(rib_del_instance(r, SRC_BGP, 1), 0);
	CU_ASSERT_EQUAL(rib_del_instance(r, RIB_SRC_MAX, 1), 0);
	CU_ASSERT_EQUAL(log.n, 0);
	/* the peer comes back: its routes are indexed again */
	add_via(r, "10.3.0.0", 16, SRC_BGP, 1, 20, &lp[0], "192.0.2.1", 1);
	CU_ASSERT_EQUAL(rib_instance_count(r, SRC_BGP, 1), 1);
	CU_ASSERT_EQUAL(rib_del_instance(r, SRC_BGP, 2), 3);
	CU_ASSERT_EQUAL(rib_del_instance(r, SRC_BGP, 1), 1);
	CU_ASSERT_EQUAL(rib_del_instance(r, RIB_SRC_STATIC, 0), 1);
	CU_ASSERT_EQUAL(rib_route_count(r), 0);
	CU_ASSERT_EQUAL(rib_prefix_count(r), 0);
	CU_ASSERT_EQUAL(rib_nhg_count(r), 0);
	rib_free(r);
	free(log.s);
}

/* --- random tables against rib_del route by route --- */

#define W_PFX 200
#define W_INST 12

static const uint8_t w_src[] = { RIB_SRC_STATIC, SRC_BGP, SRC_MP };
#define W_SRC (sizeof(w_src) / sizeof(w_src[0]))

static uint64_t
prng(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Nested: 10/8, 10.k/16 (k < 8), then /24s and /32s inside those. */
static void
pfx_of(unsigned k, uint32_t *prefix, uint8_t *len)
{
	if (k == 0) {
		*prefix = 10u << 24;
		*len = 8;
	} else if (k < 8) {
		*prefix = 10u << 24 | k << 16;
		*len = 16;
	} else if (k < 100) {
		*prefix = 10u << 24 | (k % 7 + 1) << 16 | k << 8;
		*len = 24;
	} else {
		*prefix = 10u << 24 | (k % 7 + 1) << 16 | (k - 92) << 8 | k;
		*len = 32;
	}
}

/* Add the same random route to both tables. */
static void
add_random(struct rib *a, struct rib *b, uint64_t *x, unsigned k, unsigned s,
    unsigned i)
{
	struct rib_nh nh[2];
	struct rib_route rt;
	uint32_t prefix;
	uint8_t len;
	unsigned n = 1 + (unsigned)(prng(x) % 2), j;
	struct rib *t[2] = { a, b };

	pfx_of(k, &prefix, &len);
	for (j = 0; j < n; j++)
		nh[j] = (struct rib_nh){ (192u << 24 | 168u << 16) |
		    (uint32_t)(1 + prng(x) % 5), (uint32_t)(1 + prng(x) % 3) };
	memset(&rt, 0, sizeof(rt));
	rt.source = w_src[s];
	rt.instance = i;
	/* few values, so that ties (ECMP) are common */
	rt.pref = (uint16_t)(w_src[s] == RIB_SRC_STATIC ? 30 :
	    20 + prng(x) % 2);
	rt.metric = (uint32_t)(prng(x) % 2);
	rt.attr = w_src[s] == SRC_BGP ? &lprefs[prng(x) % 2] : NULL;
	for (j = 0; j < 2; j++) {
		rt.nhg = rib_nhg_get(t[j], nh, n);
		CU_ASSERT_FATAL(rib_add(t[j], prefix, len, &rt) >= 0);
		rib_nhg_put(t[j], rt.nhg);
	}
}

static int
u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void
test_random_vs_route_by_route(void)
{
	static bool live[W_PFX][W_SRC][W_INST];
	struct text la = { 0 }, lb = { 0 }, da = { 0 }, db = { 0 };
	struct rib *a = new_rib(&la), *b = new_rib(&lb);
	uint64_t x = 7, keys[W_PFX];
	unsigned round, step, k, s, i, order[W_SRC * W_INST], n_order;
	size_t n, routes = 0, changes = 0;

	memset(live, 0, sizeof(live));
	for (round = 0; round < 6; round++) {
		/* fill: most peers hold many prefixes, some overlap */
		for (step = 0; step < 1500; step++) {
			k = (unsigned)(prng(&x) % W_PFX);
			s = (unsigned)(prng(&x) % W_SRC);
			i = (unsigned)(prng(&x) % W_INST);
			add_random(a, b, &x, k, s, i);
			live[k][s][i] = true;
		}
		dump(a, &da);
		dump(b, &db);
		CU_ASSERT_STRING_EQUAL_FATAL(da.s, db.s);
		/* every (source, instance), in a random order */
		for (n_order = 0; n_order < W_SRC * W_INST; n_order++)
			order[n_order] = n_order;
		for (n_order = W_SRC * W_INST; n_order > 1; n_order--) {
			unsigned j = (unsigned)(prng(&x) % n_order), t;

			t = order[j];
			order[j] = order[n_order - 1];
			order[n_order - 1] = t;
		}
		/* the last round empties the tables; others keep a few */
		for (n_order = 0; n_order < W_SRC * W_INST -
		    (round < 5 ? 4 : 0); n_order++) {
			size_t want = 0;

			s = order[n_order] / W_INST;
			i = order[n_order] % W_INST;
			text_clear(&la);
			text_clear(&lb);
			/* the reference: rib_del of each in (prefix, len) order */
			for (k = 0; k < W_PFX; k++) {
				uint32_t prefix;
				uint8_t len;

				if (!live[k][s][i])
					continue;
				pfx_of(k, &prefix, &len);
				keys[want++] = (uint64_t)prefix << 8 | len;
				live[k][s][i] = false;
			}
			qsort(keys, want, sizeof(keys[0]), u64_cmp);
			for (k = 0; k < want; k++)
				CU_ASSERT_EQUAL(rib_del(b, (uint32_t)(keys[k] >> 8),
				    (uint8_t)keys[k], w_src[s], i), 0);
			CU_ASSERT_EQUAL(rib_instance_count(a, w_src[s], i),
			    want);
			n = rib_del_instance(a, w_src[s], i);
			CU_ASSERT_EQUAL(n, want);
			CU_ASSERT_EQUAL(rib_instance_count(a, w_src[s], i), 0);
			routes += n;
			changes += la.n;
			/* the same changes in the same order */
			CU_ASSERT_EQUAL(la.n, lb.n);
			if (la.s != NULL && lb.s != NULL &&
			    strcmp(la.s, lb.s) != 0)
				fprintf(stderr, "\nround %u (%u, %u):\n%s--- "
				    "want\n%s", round, w_src[s], i, la.s, lb.s);
			CU_ASSERT_FATAL(la.n == 0 || strcmp(la.s, lb.s) == 0);
			CU_ASSERT_EQUAL(rib_route_count(a), rib_route_count(b));
			CU_ASSERT_EQUAL(rib_prefix_count(a),
			    rib_prefix_count(b));
			CU_ASSERT_EQUAL(rib_nhg_count(a), rib_nhg_count(b));
		}
		dump(a, &da);
		dump(b, &db);
		CU_ASSERT_STRING_EQUAL_FATAL(da.s != NULL ? da.s : "",
		    db.s != NULL ? db.s : "");
	}
	/* it was exercised: many routes and changes, and all of them gone */
	CU_ASSERT(routes > 5000);
	CU_ASSERT(changes > 1000);
	CU_ASSERT_EQUAL(rib_route_count(a), 0);
	CU_ASSERT_EQUAL(rib_prefix_count(a), 0);
	CU_ASSERT_EQUAL(rib_nhg_count(a), 0);
	CU_ASSERT_EQUAL(rib_nhg_count(b), 0);
	CU_ASSERT_PTR_NULL(rib_lookup(a, ip("10.1.2.3")));
	rib_free(a);
	rib_free(b);
	free(la.s);
	free(lb.s);
	free(da.s);
	free(db.s);
}

/*
 * A full table from one peer and one route from another: the small peer's
 * withdrawal touches its own route only (the big table's routes keep their
 * best, their FIB group and their reference counts), and the big one then
 * goes in one call with one report per prefix.
 */
static void
test_large_peer(void)
{
	enum { N = 200000 };
	struct text log = { 0 };
	struct rib *r = new_rib(&log);
	struct rib_nh nh1 = { 0xc0000201u, 1 }, nh2 = { 0xc0000202u, 2 };
	uint32_t g1 = rib_nhg_get(r, &nh1, 1), g2 = rib_nhg_get(r, &nh2, 1);
	struct rib_route rt = { .source = SRC_MP, .instance = 1, .pref = 20,
	    .nhg = g1 };
	uint32_t k;

	for (k = 0; k < N; k++)
		CU_ASSERT_EQUAL_FATAL(rib_add(r, (20u << 24) | k << 8, 24, &rt),
		    0);
	rt.instance = 2;
	rt.nhg = g2;
	CU_ASSERT_EQUAL(rib_add(r, (20u << 24) | 77u << 8, 24, &rt), 0);
	/* ECMP for that one prefix: a third group, the union */
	CU_ASSERT_EQUAL(rib_nhg_count(r), 3);
	CU_ASSERT_EQUAL(rib_nhg(r, g1)->refs, 1 + 2 * N - 1);
	text_clear(&log);
	CU_ASSERT_EQUAL(rib_del_instance(r, SRC_MP, 2), 1);
	CU_ASSERT_STRING_EQUAL(log.s, "changed 20.0.77.0/24 mp#1 pref 20 "
	    "metric 0 [192.0.2.1@1]\n");
	CU_ASSERT_EQUAL(rib_nhg_count(r), 2);
	CU_ASSERT_EQUAL(rib_nhg(r, g1)->refs, 1 + 2 * N);
	CU_ASSERT_EQUAL(rib_nhg(r, g2)->refs, 1);
	text_clear(&log);
	CU_ASSERT_EQUAL(rib_del_instance(r, SRC_MP, 1), N);
	CU_ASSERT_EQUAL(log.n, N);
	CU_ASSERT_EQUAL(strncmp(log.s, "withdrawn 20.0.0.0/24\n"
	    "withdrawn 20.0.1.0/24\n", 44), 0);
	CU_ASSERT_EQUAL(rib_route_count(r), 0);
	CU_ASSERT_EQUAL(rib_nhg(r, g1)->refs, 1);
	rib_nhg_put(r, g1);
	rib_nhg_put(r, g2);
	CU_ASSERT_EQUAL(rib_nhg_count(r), 0);
	rib_free(r);
	free(log.s);
}

static const struct test_case cases[] = {
	{ "a peer goes down: exact changes in prefix order",
	    test_peer_down_changes },
	{ "random tables vs rib_del route by route", test_random_vs_route_by_route },
	{ "a full table and a one-route peer", test_large_peer },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "rib_withdraw", cases);
}
