/*
 * test_bgp_decide.c - the decision process, one table row per rule of
 * RFC 4271 9.1.2 (as issue 9 orders them): two routes for one prefix, the
 * winner, and the rule named against the loser, in data and in words. Each
 * row runs with the routes arriving in both orders (but the oldest-route
 * rows, where the order is the point).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bgp_rib_testutil.h"
#include "testutil.h"

#define LOCAL_AS 65000u

struct prow {
	const char *addr;
	uint32_t asn;
	const char *id;
	bool local;		/* originated here: no peer */
	struct spec s;
};

struct drow {
	const char *what;
	struct prow a, b;
	bool always_med, oldest;
	bool ordered;		/* only a first, then b */
	int winner;		/* 0: a, 1: b */
	enum bgp_rule rule;
	const char *why;
};

static const struct drow rows[] = {
	{ "next hop unreachable",
	  { "10.0.0.1", 12076, "1.1.1.1", false,
	    { "12076", 300, -1, 0, "10.9.9.9", 0 } },
	  { "10.0.0.3", 12076, "3.3.3.3", false,
	    { "12076 1 2", -1, -1, 2, NULL, 0 } },
	  false, false, false, 1, BGP_RULE_NEXTHOP,
	  "next hop 10.9.9.9 unreachable" },
	{ "highest local preference (none counts 100)",
	  { "10.0.0.1", 12076, "3.3.3.3", false,
	    { "12076 1 2", 200, -1, 2, NULL, 0 } },
	  { "10.0.0.3", 12076, "1.1.1.1", false,
	    { "12076", -1, -1, 0, NULL, 0 } },
	  false, false, false, 0, BGP_RULE_LOCAL_PREF,
	  "local preference 200 > 100" },
	{ "locally originated",
	  { NULL, 0, NULL, true, { "", -1, -1, 2, "0.0.0.0", 0 } },
	  { "10.0.0.3", 12076, "1.1.1.1", false,
	    { "12076", -1, -1, 0, NULL, 0 } },
	  false, false, false, 0, BGP_RULE_LOCAL_ORIGIN,
	  "locally originated over learned from 10.0.0.3" },
	{ "shortest AS path",
	  { "10.0.0.1", 12076, "3.3.3.3", false,
	    { "12076 31898", -1, -1, 2, NULL, 0 } },
	  { "10.0.0.3", 65001, "1.1.1.1", false,
	    { "65001 12076 31898", -1, -1, 0, NULL, 0 } },
	  false, false, false, 0, BGP_RULE_AS_PATH,
	  "AS path 2 < 3 (12076 31898 vs 65001 12076 31898)" },
	{ "an AS_SET counts 1",
	  { "10.0.0.1", 12076, "3.3.3.3", false,
	    { "12076 {1 2 3}", -1, -1, 0, NULL, 0 } },
	  { "10.0.0.3", 12076, "1.1.1.1", false,
	    { "12076 5 6", -1, -1, 0, NULL, 0 } },
	  false, false, false, 0, BGP_RULE_AS_PATH,
	  "AS path 2 < 3 (12076 {1 2 3} vs 12076 5 6)" },
	{ "confederation segments count 0",
	  { "10.0.0.1", 12076, "3.3.3.3", false,
	    { "(65010 65011) 12076 31898", -1, -1, 0, NULL, 0 } },
	  { "10.0.0.3", 12076, "1.1.1.1", false,
	    { "12076 31898 1", -1, -1, 0, NULL, 0 } },
	  false, false, false, 0, BGP_RULE_AS_PATH,
	  "AS path 2 < 3 ((65010 65011) 12076 31898 vs 12076 31898 1)" },
	{ "lowest origin",
	  { "10.0.0.1", 12076, "3.3.3.3", false,
	    { "12076", -1, -1, BGP_ORIGIN_IGP, NULL, 0 } },
	  { "10.0.0.3", 12076, "1.1.1.1", false,
	    { "12076", -1, -1, BGP_ORIGIN_INCOMPLETE, NULL, 0 } },
	  false, false, false, 0, BGP_RULE_ORIGIN, "origin IGP < INCOMPLETE" },
	{ "lowest MED from the same neighbour AS",
	  { "10.0.0.1", 12076, "3.3.3.3", false,
	    { "12076 1", -1, 10, 0, NULL, 0 } },
	  { "10.0.0.3", 12076, "1.1.1.1", false,
	    { "12076 2", -1, 20, 0, NULL, 0 } },
	  false, false, false, 0, BGP_RULE_MED,
	  "MED 10 < 20 (neighbour AS 12076)" },
	{ "a missing MED counts 0 (RFC 4271)",
	  { "10.0.0.1", 12076, "3.3.3.3", false,
	    { "12076 1", -1, -1, 0, NULL, 0 } },
	  { "10.0.0.3", 12076, "1.1.1.1", false,
	    { "12076 2", -1, 5, 0, NULL, 0 } },
	  false, false, false, 0, BGP_RULE_MED,
	  "MED 0 < 5 (neighbour AS 12076)" },
	{ "MED not compared across neighbour ASes",
	  { "10.0.0.1", 12076, "1.1.1.1", false,
	    { "12076 1", -1, 50, 0, NULL, 0 } },
	  { "10.0.0.3", 31898, "2.2.2.2", false,
	    { "31898 2", -1, 10, 0, NULL, 0 } },
	  false, false, false, 0, BGP_RULE_ROUTER_ID,
	  "router id 1.1.1.1 < 2.2.2.2" },
	{ "always-compare-med compares across neighbour ASes",
	  { "10.0.0.1", 12076, "1.1.1.1", false,
	    { "12076 1", -1, 50, 0, NULL, 0 } },
	  { "10.0.0.3", 31898, "2.2.2.2", false,
	    { "31898 2", -1, 10, 0, NULL, 0 } },
	  true, false, false, 1, BGP_RULE_MED,
	  "MED 10 < 50 (always-compare-med)" },
	{ "eBGP over iBGP",
	  { "10.0.0.1", 12076, "3.3.3.3", false,
	    { "12076", -1, -1, 0, NULL, 0 } },
	  { "10.0.0.3", LOCAL_AS, "1.1.1.1", false,
	    { "12076", -1, -1, 0, NULL, 0 } },
	  false, false, false, 0, BGP_RULE_EBGP, "eBGP over iBGP" },
	{ "lowest IGP cost to the next hop",
	  { "10.0.0.1", LOCAL_AS, "3.3.3.3", false,
	    { "12076", -1, -1, 0, "10.0.0.5", 0 } },
	  { "10.0.0.3", LOCAL_AS, "1.1.1.1", false,
	    { "12076", -1, -1, 0, "10.0.0.9", 0 } },
	  false, false, false, 0, BGP_RULE_IGP_COST, "IGP cost 5 < 9" },
	{ "oldest eBGP route (enabled)",
	  { "10.0.0.1", 12076, "3.3.3.3", false,
	    { "12076", -1, -1, 0, NULL, 0 } },
	  { "10.0.0.3", 12076, "1.1.1.1", false,
	    { "12076", -1, -1, 0, NULL, 0 } },
	  false, true, true, 0, BGP_RULE_OLDEST,
	  "older eBGP route (arrival 1 < 2)" },
	{ "oldest route off: router id",
	  { "10.0.0.1", 12076, "3.3.3.3", false,
	    { "12076", -1, -1, 0, NULL, 0 } },
	  { "10.0.0.3", 12076, "1.1.1.1", false,
	    { "12076", -1, -1, 0, NULL, 0 } },
	  false, false, true, 1, BGP_RULE_ROUTER_ID,
	  "router id 1.1.1.1 < 3.3.3.3" },
	{ "oldest route is for eBGP only",
	  { "10.0.0.1", LOCAL_AS, "3.3.3.3", false,
	    { "12076", -1, -1, 0, NULL, 0 } },
	  { "10.0.0.3", LOCAL_AS, "1.1.1.1", false,
	    { "12076", -1, -1, 0, NULL, 0 } },
	  false, true, true, 1, BGP_RULE_ROUTER_ID,
	  "router id 1.1.1.1 < 3.3.3.3" },
	{ "shortest cluster list",
	  { "10.0.0.1", LOCAL_AS, "9.9.9.9", false,
	    { "12076", -1, -1, 0, NULL, 1 } },
	  { "10.0.0.3", LOCAL_AS, "9.9.9.9", false,
	    { "12076", -1, -1, 0, NULL, 2 } },
	  false, false, false, 0, BGP_RULE_CLUSTER_LIST, "cluster list 1 < 2" },
	{ "no cluster list counts 0",
	  { "10.0.0.1", LOCAL_AS, "9.9.9.9", false,
	    { "12076", -1, -1, 0, NULL, 1 } },
	  { "10.0.0.3", LOCAL_AS, "9.9.9.9", false,
	    { "12076", -1, -1, 0, NULL, 0 } },
	  false, false, false, 1, BGP_RULE_CLUSTER_LIST, "cluster list 0 < 1" },
	{ "lowest peer address",
	  { "10.0.0.7", 12076, "9.9.9.9", false,
	    { "12076", -1, -1, 0, NULL, 0 } },
	  { "10.0.0.3", 12076, "9.9.9.9", false,
	    { "12076", -1, -1, 0, NULL, 0 } },
	  false, false, false, 1, BGP_RULE_PEER_ADDR,
	  "peer address 10.0.0.3 < 10.0.0.7" },
	{ "all equal: the lower peer id",
	  { "10.0.0.3", 12076, "9.9.9.9", false,
	    { "12076", -1, -1, 0, NULL, 0 } },
	  { "10.0.0.3", 12076, "9.9.9.9", false,
	    { "12076", -1, -1, 0, NULL, 0 } },
	  false, false, true, 0, BGP_RULE_PEER_ID, "peer id 1 < 2" },
};

/* Next hops: 10.9.9.9 unreachable; otherwise the cost is the last octet. */
static bool
resolve(void *ctx, uint32_t nh, uint32_t *cost)
{
	(void)ctx;
	if (nh == ip("10.9.9.9"))
		return false;
	*cost = nh & 0xff;
	return true;
}

static struct bgp_rib *
table(bool always_med, bool oldest, unsigned max_paths)
{
	struct bgp_rib_config cfg;
	struct bgp_rib *br;

	memset(&cfg, 0, sizeof(cfg));
	cfg.local_as = LOCAL_AS;
	cfg.router_id = ip("192.0.2.1");
	cfg.decide.default_local_pref = BGP_LOCAL_PREF_DEFAULT;
	cfg.decide.always_compare_med = always_med;
	cfg.decide.oldest_ebgp = oldest;
	cfg.decide.max_paths = max_paths;
	br = bgp_rib_new(&cfg);
	bgp_rib_set_resolver(br, resolve, NULL);
	return br;
}

static uint16_t
row_peer(struct bgp_rib *br, const struct prow *p)
{
	return p->local ? BGP_PEER_LOCAL : add_peer(br, p->addr, p->asn,
	    p->id, 0);
}

static void
run_row(const struct drow *r, bool b_first)
{
	struct bgp_rib *br = table(r->always_med, r->oldest, 1);
	uint16_t pa = row_peer(br, &r->a), pb = row_peer(br, &r->b);
	uint16_t want = r->winner == 0 ? pa : pb, lose = r->winner ? pa : pb;
	struct bgp_explain ex;
	struct bgp_route best;

	if (b_first)
		CU_ASSERT_EQUAL(announce(br, pb, "192.0.2.0", 24, &r->b.s), 1);
	CU_ASSERT_EQUAL(announce(br, pa, "192.0.2.0", 24, &r->a.s), 1);
	if (!b_first)
		CU_ASSERT_EQUAL(announce(br, pb, "192.0.2.0", 24, &r->b.s), 1);
	CU_ASSERT_FATAL(bgp_rib_explain(br, ip("192.0.2.0"), 24, &ex) == 0);
	CU_ASSERT_EQUAL_FATAL(ex.n, 2);
	if (ex.r[0].r.peer != want || ex.r[1].rule != r->rule ||
	    strcmp(ex.r[1].why, r->why) != 0)
		printf("\n%s (%s first): winner peer %u (want %u), rule %s "
		    "(want %s), \"%s\"\n", r->what, b_first ? "b" : "a",
		    ex.r[0].r.peer, want, bgp_rule_name[ex.r[1].rule],
		    bgp_rule_name[r->rule], ex.r[1].why);
	CU_ASSERT_EQUAL(ex.r[0].r.peer, want);
	CU_ASSERT_EQUAL(ex.r[0].rule, BGP_RULE_NONE);
	CU_ASSERT_EQUAL(ex.r[1].r.peer, lose);
	CU_ASSERT_EQUAL(ex.r[1].rule, r->rule);
	CU_ASSERT_EQUAL(ex.r[1].beaten_by, 0);
	CU_ASSERT_STRING_EQUAL(ex.r[1].why, r->why);
	/* the table's own best agrees with the explanation */
	CU_ASSERT_FATAL(bgp_rib_best(br, ip("192.0.2.0"), 24, &best));
	CU_ASSERT_EQUAL(best.peer, want);
	bgp_explain_free(&ex);
	bgp_rib_free(br);
}

static void
test_rules(void)
{
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		run_row(&rows[i], false);
		if (!rows[i].ordered)
			run_row(&rows[i], true);
	}
}

/*
 * MED is not a total order: A (AS 100, MED 20, id 1) beats B (AS 200, id 2)
 * on the router id, B beats C (AS 100, MED 10, id 3), C beats A on MED.
 * Eliminating rule by rule, C removes A, then B beats C: whatever the
 * order the routes arrive in.
 */
static void
test_med_order_independent(void)
{
	static const int perm[6][3] = {
		{ 0, 1, 2 }, { 0, 2, 1 }, { 1, 0, 2 }, { 1, 2, 0 },
		{ 2, 0, 1 }, { 2, 1, 0 },
	};
	static const struct spec s[3] = {
		{ "100 7", -1, 20, 0, NULL, 0 },
		{ "200 7", -1, -1, 0, NULL, 0 },
		{ "100 8", -1, 10, 0, NULL, 0 },
	};
	unsigned i, j;

	for (i = 0; i < 6; i++) {
		struct bgp_rib *br = table(false, false, 1);
		uint16_t p[3];
		struct bgp_explain ex;

		p[0] = add_peer(br, "10.0.0.1", 100, "1.1.1.1", 0);
		p[1] = add_peer(br, "10.0.0.2", 200, "2.2.2.2", 0);
		p[2] = add_peer(br, "10.0.0.3", 100, "3.3.3.3", 0);
		for (j = 0; j < 3; j++)
			announce(br, p[perm[i][j]], "198.51.100.0", 24,
			    &s[perm[i][j]]);
		CU_ASSERT_FATAL(bgp_rib_explain(br, ip("198.51.100.0"), 24,
		    &ex) == 0);
		CU_ASSERT_EQUAL(ex.r[0].r.peer, p[1]);
		CU_ASSERT_EQUAL(ex.r[1].r.peer, p[2]);
		CU_ASSERT_EQUAL(ex.r[1].rule, BGP_RULE_ROUTER_ID);
		CU_ASSERT_EQUAL(ex.r[2].r.peer, p[0]);
		CU_ASSERT_EQUAL(ex.r[2].rule, BGP_RULE_MED);
		CU_ASSERT_EQUAL(ex.r[2].beaten_by, 1);	/* C, not the best */
		CU_ASSERT_STRING_EQUAL(ex.r[2].why,
		    "MED 10 < 20 (neighbour AS 100)");
		bgp_explain_free(&ex);
		bgp_rib_free(br);
	}
}

/* No reachable next hop: no best, every route lost on its next hop. */
static void
test_none_reachable(void)
{
	static const struct spec s = { "12076", -1, -1, 0, "10.9.9.9", 0 };
	struct bgp_rib *br = table(false, false, 1);
	uint16_t a = add_peer(br, "10.0.0.1", 12076, "1.1.1.1", 0);
	uint16_t b = add_peer(br, "10.0.0.3", 12076, "3.3.3.3", 0);
	struct bgp_explain ex;
	struct bgp_route best;

	announce(br, a, "192.0.2.0", 24, &s);
	announce(br, b, "192.0.2.0", 24, &s);
	CU_ASSERT_FALSE(bgp_rib_best(br, ip("192.0.2.0"), 24, &best));
	CU_ASSERT_FATAL(bgp_rib_explain(br, ip("192.0.2.0"), 24, &ex) == 0);
	CU_ASSERT_EQUAL(ex.n, 2);
	CU_ASSERT_EQUAL(ex.n_mp, 0);
	CU_ASSERT_EQUAL(ex.r[0].rule, BGP_RULE_NEXTHOP);
	CU_ASSERT_EQUAL(ex.r[1].rule, BGP_RULE_NEXTHOP);
	CU_ASSERT_STRING_EQUAL(ex.r[0].why, "next hop 10.9.9.9 unreachable");
	bgp_explain_free(&ex);
	bgp_rib_free(br);
}

static void
test_rule_names(void)
{
	int r;

	for (r = 0; r < BGP_RULE_MAX; r++)
		CU_ASSERT_PTR_NOT_NULL(bgp_rule_name[r]);
	CU_ASSERT_STRING_EQUAL(bgp_rule_name[BGP_RULE_AS_PATH],
	    "AS path length");
	CU_ASSERT_EQUAL(bgp_neighbor_as(NULL), 0);
}

/* The text `xcsim routes` prints, exactly. */
static void
test_explain_print(void)
{
	static const struct spec sa = { "12076 31898", -1, -1, 0, "10.0.0.2",
	    0 };
	static const struct spec sb = { "65001 12076 31898", -1, -1, 0,
	    "10.0.0.4", 0 };
	static const struct spec sl = { "", -1, -1, 0, "0.0.0.0", 0 };
	struct bgp_rib *br = table(false, false, 1);
	uint16_t a = add_peer(br, "10.0.0.1", 12076, "1.1.1.1", 0);
	uint16_t b = add_peer(br, "10.0.0.3", 65001, "3.3.3.3", 0);
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	announce(br, b, "192.0.2.0", 24, &sb);
	announce(br, a, "192.0.2.0", 24, &sa);
	announce(br, BGP_PEER_LOCAL, "198.51.100.0", 24, &sl);
	CU_ASSERT_EQUAL(bgp_rib_explain_print(br, ip("192.0.2.0"), 24, out), 0);
	CU_ASSERT_EQUAL(bgp_rib_explain_print(br, ip("198.51.100.0"), 24,
	    out), 0);
	CU_ASSERT_EQUAL(bgp_rib_explain_print(br, ip("203.0.113.0"), 24, out),
	    -1);
	fclose(out);
	CU_ASSERT_STRING_EQUAL(buf,
	    "192.0.2.0/24: 2 routes, 1 in the multipath set\n"
	    "  * 10.0.0.1 AS 12076 via 10.0.0.2 path 12076 31898: best\n"
	    "    10.0.0.3 AS 65001 via 10.0.0.4 path 65001 12076 31898: "
	    "AS path 2 < 3 (12076 31898 vs 65001 12076 31898)\n"
	    "198.51.100.0/24: 1 route, 1 in the multipath set\n"
	    "  * local path (empty): best\n");
	free(buf);
	bgp_rib_free(br);
}

/*
 * Two candidates are decided by a comparison (the fast path); with a third,
 * unreachable one (out at the first rule) the elimination runs. Random
 * pairs must come out the same both ways: winner, rule, multipath.
 */
static void
test_pair_matches_elimination(void)
{
	static const char *const paths[] = {
		"12076", "12076 1", "12076 2", "31898 1", "65000 {1 2}",
		"(65010) 12076", "",
	};
	static const long lps[] = { -1, 100, 200 }, meds[] = { -1, 0, 5, 10 };
	static const char *const nhs[] = { "10.0.0.2", "10.0.0.5", "10.9.9.9" };
	uint64_t x = 12345;
	unsigned it, i;

	for (it = 0; it < 20000; it++) {
		struct bgp_attrs *a[3];
		struct bgp_cand two[2], three[3];
		struct bgp_decide_opts o;
		uint16_t o2[2], o3[3];
		unsigned n2, n3;

		memset(two, 0, sizeof(two));
		for (i = 0; i < 3; i++) {
			struct spec s;

			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
			s.path = paths[(x >> 33) % 7];
			s.lp = lps[(x >> 40) % 3];
			s.med = meds[(x >> 45) % 4];
			s.origin = (uint8_t)((x >> 50) % 3);
			s.nh = i == 2 ? "10.9.9.9" : nhs[(x >> 52) % 3];
			s.cluster = (unsigned)((x >> 55) % 2);
			a[i] = mk_attrs(&s);
			if (i == 2)
				break;
			two[i].a = a[i];
			two[i].peer = (uint16_t)(1 + (x >> 57) % 2 + 2 * i);
			two[i].ebgp = (x >> 59) & 1;
			two[i].reachable = s.nh[5] != '9';
			two[i].igp_cost = two[i].reachable ?
			    (uint32_t)(ip(s.nh) & 0xff) : 0;
			two[i].bgp_id = (uint32_t)((x >> 60) % 2);
			two[i].peer_addr = (uint32_t)((x >> 61) % 2);
			two[i].stamp = (uint32_t)((x >> 62) % 2 + 2 * i);
		}
		memset(&o, 0, sizeof(o));
		o.default_local_pref = 100;
		o.always_compare_med = (x >> 20) & 1;
		o.oldest_ebgp = (x >> 21) & 1;
		o.max_paths = 1 + (unsigned)((x >> 22) & 1);
		three[0] = two[0];
		three[1] = two[1];
		memset(&three[2], 0, sizeof(three[2]));
		three[2].a = a[2];
		three[2].peer = 9;
		n2 = bgp_decide(two, 2, &o, o2);
		n3 = bgp_decide(three, 3, &o, o3);
		CU_ASSERT_EQUAL(n2, n3);
		CU_ASSERT_EQUAL(o2[0], o3[0]);
		CU_ASSERT_EQUAL(o2[1], o3[1]);
		CU_ASSERT_EQUAL(three[2].rule, BGP_RULE_NEXTHOP);
		for (i = 0; i < 2; i++) {
			CU_ASSERT_EQUAL(two[i].rule, three[i].rule);
			CU_ASSERT_EQUAL(two[i].multipath, three[i].multipath);
			CU_ASSERT_EQUAL(two[i].beaten_by, three[i].beaten_by);
		}
		if (o2[0] != o3[0] || two[o2[1]].rule != three[o2[1]].rule)
			printf("\npair %u: two says %u (%s), three %u (%s)\n", it,
			    o2[0], bgp_rule_name[two[o2[1]].rule], o3[0],
			    bgp_rule_name[three[o3[1]].rule]);
		for (i = 0; i < 3; i++)
			free(a[i]);
	}
}

static const struct test_case cases[] = {
	{ "two candidates: the comparison agrees with the elimination",
	  test_pair_matches_elimination },
	{ "explanation as text", test_explain_print },
	{ "one row per rule, winner and rule against the loser", test_rules },
	{ "MED elimination does not depend on arrival order",
	  test_med_order_independent },
	{ "no reachable next hop: no best", test_none_reachable },
	{ "rule names", test_rule_names },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "bgp_decide", cases);
}
