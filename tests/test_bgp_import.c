/*
 * test_bgp_import.c - the speaker's import of one UPDATE carrying several
 * prefixes: the message's attribute set is interned once and shared by
 * every prefix the import policy leaves as it is, while a prefix whose
 * attributes the policy changes (LOCAL_PREF, a community) gets its own
 * set and a rejected one none; and the prefetch hook the node glue sets
 * hears every prefix of the message, each of its steps in order, before
 * that prefix is applied.
 */
#include <stdlib.h>

#include "bgp_speaker_testutil.h"

#define D SIM_MS(1)

/* The speaker's route for 10.N.0.0/16 (its best), or NULL. */
static const struct bgp_attrs *
best16(struct bs_net *b, int i, unsigned n)
{
	struct bgp_route r;

	if (!bgp_rib_best(bgp_speaker_rib(b->sp[i]), 0x0a000000u | n << 16, 16,
	    &r))
		return NULL;
	return r.a;
}

static bool
has_comm(const struct bgp_attrs *a, uint32_t c)
{
	struct bgp_attrs_var v;
	uint16_t i;

	bgp_attrs_var(a, &v);
	for (i = 0; i < v.n_comm; i++)
		if (v.comm[i] == c)
			return true;
	return false;
}

/*
 * r0 (AS 65001) originates 10.10/16 .. 10.15/16, sent to r1 in one UPDATE.
 * r1's import policy sets LOCAL_PREF 300 on 10.11/16, tags 10.13/16 with
 * 65002:7, rejects 10.14/16 and accepts the rest unchanged.
 */
static void
test_policy_per_prefix(void)
{
	struct bs_net b;
	struct bgp_polset *ps = bgp_polset_new();
	struct bgp_policy *pol = bgp_policy_new(ps, "in");
	struct bgp_neighbor_cfg nc;
	struct bgp_peer_stats st;
	struct bgp_pol_err e;
	const struct bgp_attrs *a[6];
	char err[128];
	unsigned k;

	bgp_policy_set_default(pol, BGP_POL_ACCEPT);
	bgp_policy_rule(pol, NULL);
	CU_ASSERT_EQUAL_FATAL(bgp_policy_match(pol, "prefix 10.11.0.0/16",
	    &e), 0);
	CU_ASSERT_EQUAL_FATAL(bgp_policy_action(pol, "local-pref 300", &e), 0);
	bgp_policy_rule(pol, NULL);
	CU_ASSERT_EQUAL_FATAL(bgp_policy_match(pol, "prefix 10.13.0.0/16",
	    &e), 0);
	CU_ASSERT_EQUAL_FATAL(bgp_policy_action(pol, "community add 65002:7",
	    &e), 0);
	bgp_policy_rule(pol, NULL);
	CU_ASSERT_EQUAL_FATAL(bgp_policy_match(pol, "prefix 10.14.0.0/16",
	    &e), 0);
	CU_ASSERT_EQUAL_FATAL(bgp_policy_action(pol, "reject", &e), 0);
	bs_init(&b, 2);
	bs_link(&b, 0, 1, "10.0.0.0", D);
	bs_speaker(&b, 0, 65001, "1.1.1.1", 0);
	bs_speaker(&b, 1, 65002, "2.2.2.2", 0);
	bs_neighbor(&b, 0, "10.0.0.2", 65002, NULL, false);
	bgp_neighbor_cfg_init(&nc, bs_ip("10.0.0.1"), 65001);
	nc.passive = true;
	nc.import = pol;
	CU_ASSERT_EQUAL_FATAL(bgp_speaker_add_neighbor(b.sp[1], &nc, err,
	    sizeof(err)), 0);
	for (k = 10; k <= 15; k++)
		bgp_speaker_add_network(b.sp[0], 0x0a000000u | k << 16, 16);
	bs_start(&b);
	sim_run_until(b.sim, SIM_S(5));
	CU_ASSERT_EQUAL_FATAL(bgp_speaker_peer_state(b.sp[1],
	    bs_ip("10.0.0.1")), BGP_ST_ESTABLISHED);
	bgp_speaker_peer_stats(b.sp[1], bs_ip("10.0.0.1"), &st);
	/* the six prefixes came in one message, then the End-of-RIB */
	CU_ASSERT_EQUAL(st.updates_in, 2);
	CU_ASSERT_EQUAL(st.prefixes_in, 5);
	CU_ASSERT_EQUAL(st.rejected_policy, 1);
	for (k = 0; k < 6; k++)
		a[k] = best16(&b, 1, 10 + k);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a[0]);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a[1]);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a[3]);
	CU_ASSERT_PTR_NULL(a[4]);
	/* unchanged by the policy: one shared set */
	CU_ASSERT_PTR_EQUAL(a[2], a[0]);
	CU_ASSERT_PTR_EQUAL(a[5], a[0]);
	CU_ASSERT_FALSE(has_comm(a[0], 65002u << 16 | 7));
	CU_ASSERT_NOT_EQUAL(a[0]->local_pref, 300);
	/* changed: each its own, with only its own change */
	CU_ASSERT_PTR_NOT_EQUAL(a[1], a[0]);
	CU_ASSERT_EQUAL(a[1]->local_pref, 300);
	CU_ASSERT_FALSE(has_comm(a[1], 65002u << 16 | 7));
	CU_ASSERT_PTR_NOT_EQUAL(a[3], a[0]);
	CU_ASSERT_PTR_NOT_EQUAL(a[3], a[1]);
	CU_ASSERT_TRUE(has_comm(a[3], 65002u << 16 | 7));
	CU_ASSERT_NOT_EQUAL(a[3]->local_pref, 300);
	/* three sets in all: the shared one and the two changed */
	CU_ASSERT_EQUAL(bgp_intern_count(bgp_rib_intern(
	    bgp_speaker_rib(b.sp[1]))), 3);
	/* the node's FIB has the five accepted prefixes, not the rejected */
	CU_ASSERT_PTR_NOT_NULL(rib_lookup(node_rib(b.n[1], 0),
	    bs_ip("10.11.1.1")));
	CU_ASSERT_PTR_NULL(rib_lookup(node_rib(b.n[1], 0),
	    bs_ip("10.14.1.1")));
	bs_free(&b);
	bgp_polset_free(ps);
}

/* What a prefetch hook heard: (prefix, step) in order. */
struct heard {
	uint32_t prefix[256];
	uint8_t len[256];
	unsigned step[256];
	size_t n;
	const struct bgp_rib *br;
	size_t applied_at[64];	/* hook calls before prefix i was applied */
};

static void
hear(void *ctx, uint32_t prefix, uint8_t len, unsigned step)
{
	struct heard *h = ctx;

	CU_ASSERT_FATAL(h->n < 256);
	h->prefix[h->n] = prefix;
	h->len[h->n] = len;
	h->step[h->n++] = step;
}

static void
on_change(struct bgp_rib *br, const struct bgp_change *c, void *ctx)
{
	struct heard *h = ctx;

	(void)br;
	h->applied_at[(c->prefix >> 8) & 63] = h->n;
}

/*
 * bgp_rib_apply_update of 40 prefixes with a prefetch hook: every step
 * 0..BGP_PREFETCH_STEPS-1 of every prefix is heard, in step order, and
 * all before the prefix is applied; the tables end the same as without a
 * hook.
 */
static void
test_prefetch_hook(void)
{
	struct bgp_rib_config cfg;
	struct bgp_peer_info pi = { 0x0a000002u, 65001, 0x01010101u, 0, 0, 0 };
	struct bgp_prefix4 v[40];
	struct bgp_update u;
	struct bgp_attrs fixed;
	struct bgp_attrs_var var;
	uint32_t path[2] = { BGP_SEG(BGP_SEG_SEQUENCE, 1), 65001 };
	struct bgp_rib *br[2];
	struct heard *h = calloc(1, sizeof(*h));
	unsigned seen[40][BGP_PREFETCH_STEPS];
	size_t i, k;
	int t;

	memset(&cfg, 0, sizeof(cfg));
	cfg.local_as = 65000;
	cfg.router_id = 0xc0000201u;
	memset(&fixed, 0, sizeof(fixed));
	memset(&var, 0, sizeof(var));
	fixed.has = BGP_HAS(BGP_ATTR_ORIGIN) | BGP_HAS(BGP_ATTR_AS_PATH) |
	    BGP_HAS(BGP_ATTR_NEXT_HOP);
	fixed.next_hop = 0x0a000002u;
	var.path = path;
	var.path_len = 2;
	memset(&u, 0, sizeof(u));
	u.attrs = bgp_attrs_new(&fixed, &var);
	for (i = 0; i < 40; i++) {
		v[i].addr = 0xc6000000u | (uint32_t)i << 8;	/* 198.0.i.0/24 */
		v[i].len = 24;
	}
	u.nlri = v;
	u.n_nlri = 40;
	for (t = 0; t < 2; t++) {
		br[t] = bgp_rib_new(&cfg);
		CU_ASSERT_EQUAL(bgp_rib_peer_add(br[t], &pi), 1);
	}
	bgp_rib_set_prefetch(br[1], hear, h);
	bgp_rib_add_listener(br[1], on_change, h);
	CU_ASSERT_EQUAL(bgp_rib_apply_update(br[0], 1, &u), 40);
	CU_ASSERT_EQUAL(bgp_rib_apply_update(br[1], 1, &u), 40);
	memset(seen, 0, sizeof(seen));
	for (k = 0; k < h->n; k++) {
		i = (h->prefix[k] >> 8) & 0xff;
		CU_ASSERT_FATAL(i < 40 && h->len[k] == 24);
		CU_ASSERT_FATAL(h->step[k] < BGP_PREFETCH_STEPS);
		/* its steps in order, each once */
		CU_ASSERT_EQUAL(seen[i][h->step[k]], 0);
		if (h->step[k] > 0)
			CU_ASSERT(seen[i][h->step[k] - 1] != 0);
		seen[i][h->step[k]] = (unsigned)k + 1;
	}
	for (i = 0; i < 40; i++) {
		/* step 0 of every prefix came before the prefix was applied */
		CU_ASSERT(seen[i][0] != 0 && seen[i][0] <= h->applied_at[i]);
		CU_ASSERT_PTR_NOT_NULL(bgp_rib_in_get(br[0], 1, v[i].addr,
		    24));
		CU_ASSERT_PTR_NOT_NULL(bgp_rib_in_get(br[1], 1, v[i].addr,
		    24));
	}
	/* every step of every prefix, each before the prefix is applied */
	for (i = 0; i < 40; i++)
		for (k = 0; k < BGP_PREFETCH_STEPS; k++)
			CU_ASSERT(seen[i][k] != 0 &&
			    seen[i][k] <= h->applied_at[i]);
	CU_ASSERT_EQUAL(bgp_rib_route_count(br[1]),
	    bgp_rib_route_count(br[0]));
	bgp_rib_set_prefetch(br[1], NULL, NULL);
	bgp_rib_remove_listener(br[1], on_change, h);
	for (t = 0; t < 2; t++)
		bgp_rib_free(br[t]);
	free((void *)u.attrs);
	free(h);
}

static const struct test_case cases[] = {
	{ "one UPDATE, import policy per prefix: one shared set, own sets "
	    "for the changed", test_policy_per_prefix },
	{ "the prefetch hook hears every prefix's steps before it is applied",
	    test_prefetch_hook },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "bgp_import", cases);
}
