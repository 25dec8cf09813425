/*
 * test_bgp_policy_eval.c - routing policy evaluation: every action alone
 * and together (prepend counts and segments, community add/remove
 * idempotence), continue and stop, the default, the explanation in words,
 * the AS-path match cache against regexec, determinism; every evaluation
 * checks that the input set is not written to.
 */
#include "bgp_policy_testutil.h"

/*
 * A policy from lines: "rule [NAME]" starts a rule, "match ..." and
 * "do ..." add to it, "default ..." sets the default. NULL ends.
 */
static struct bgp_policy *
build(struct bgp_polset *s, const char *name, const char *const *lines)
{
	struct bgp_policy *p = bgp_policy_new(s, name);
	struct bgp_pol_err err;

	for (; *lines != NULL; lines++) {
		const char *l = *lines;
		int rc = 0;

		if (strncmp(l, "rule", 4) == 0)
			bgp_policy_rule(p, l[4] == ' ' ? l + 5 : NULL);
		else if (strncmp(l, "match ", 6) == 0)
			rc = bgp_policy_match(p, l + 6, &err);
		else if (strncmp(l, "do ", 3) == 0)
			rc = bgp_policy_action(p, l + 3, &err);
		else
			rc = bgp_policy_default_str(p, l, &err);
		CU_ASSERT_EQUAL(rc, 0);
		if (rc != 0)
			fprintf(stderr, "'%s': %zu %s\n", l, err.pos, err.msg);
	}
	return p;
}

/* One rule "do action, accept" on a; the new set (NULL: unchanged). */
static struct bgp_attrs *
apply(const char *const *actions, const struct bgp_attrs *a)
{
	struct bgp_polset *s = bgp_polset_new();
	struct bgp_policy *p = bgp_policy_new(s, "p");
	struct bgp_pol_result res;

	for (; *actions != NULL; actions++)
		CU_ASSERT_EQUAL(bgp_policy_action(p, *actions, NULL), 0);
	CU_ASSERT_EQUAL(eval(p, &rt0, a, &res, NULL, 0), BGP_POL_ACCEPT);
	CU_ASSERT_EQUAL(res.rule, 0);
	bgp_polset_free(s);
	return res.attrs;
}

#define APPLY(a, ...) apply((const char *const[]){ __VA_ARGS__, NULL }, a)

static void
test_actions_alone(void)
{
	static const uint32_t c[] = { COMM(1, 1), COMM(2, 2) };
	static const uint32_t lc[] = { 1, 2, 3 };
	struct bgp_attrs *a = mk("12076 31898", c, 2, lc, 1, IP(10, 0, 0, 1));
	struct bgp_attrs *b;
	struct bgp_attrs_var v;
	char t[256];

	b = APPLY(a, "local-pref 200");
	CU_ASSERT_EQUAL(b->local_pref, 200);
	CU_ASSERT(b->has & BGP_HAS(BGP_ATTR_LOCAL_PREF));
	CU_ASSERT_EQUAL(b->has & ~BGP_HAS(BGP_ATTR_LOCAL_PREF), a->has);
	free(b);
	b = APPLY(a, "med 50");
	CU_ASSERT_EQUAL(b->med, 50);
	CU_ASSERT(b->has & BGP_HAS(BGP_ATTR_MED));
	free(b);
	b = APPLY(a, "prepend 65001 3");
	CU_ASSERT_STRING_EQUAL(path_str(b, t, sizeof(t)),
	    "65001 65001 65001 12076 31898");
	bgp_attrs_var(b, &v);
	CU_ASSERT_EQUAL(v.path_len, 6);		/* one segment of 5 */
	free(b);
	b = APPLY(a, "prepend self x2");
	CU_ASSERT_STRING_EQUAL(path_str(b, t, sizeof(t)),
	    "65001 65001 12076 31898");
	free(b);
	b = APPLY(a, "prepend 7");
	CU_ASSERT_STRING_EQUAL(path_str(b, t, sizeof(t)), "7 12076 31898");
	free(b);
	b = APPLY(a, "community add 12076:100");
	bgp_attrs_var(b, &v);
	CU_ASSERT_EQUAL(v.n_comm, 3);
	CU_ASSERT_EQUAL(v.comm[2], COMM(12076, 100));
	free(b);
	b = APPLY(a, "community remove 1:1 9:9");
	bgp_attrs_var(b, &v);
	CU_ASSERT_EQUAL(v.n_comm, 1);
	CU_ASSERT_EQUAL(v.comm[0], COMM(2, 2));
	free(b);
	b = APPLY(a, "community remove 1:1 2:2");
	bgp_attrs_var(b, &v);
	CU_ASSERT_EQUAL(v.n_comm, 0);
	CU_ASSERT_FALSE(b->has & BGP_HAS(BGP_ATTR_COMMUNITIES));
	free(b);
	b = APPLY(a, "community set 5:5 no-export 5:5");
	bgp_attrs_var(b, &v);
	CU_ASSERT_EQUAL(v.n_comm, 2);
	CU_ASSERT_EQUAL(v.comm[0], COMM(5, 5));
	CU_ASSERT_EQUAL(v.comm[1], BGP_COMM_NO_EXPORT);
	free(b);
	b = APPLY(a, "community set none");
	bgp_attrs_var(b, &v);
	CU_ASSERT_EQUAL(v.n_comm, 0);
	CU_ASSERT_FALSE(b->has & BGP_HAS(BGP_ATTR_COMMUNITIES));
	CU_ASSERT_EQUAL(v.n_lcomm, 1);
	free(b);
	b = APPLY(a, "large-community add 12076:0:1");
	bgp_attrs_var(b, &v);
	CU_ASSERT_EQUAL(v.n_lcomm, 2);
	CU_ASSERT(v.lcomm[3] == 12076 && v.lcomm[4] == 0 && v.lcomm[5] == 1);
	free(b);
	b = APPLY(a, "large-community remove 1:2:3");
	bgp_attrs_var(b, &v);
	CU_ASSERT_EQUAL(v.n_lcomm, 0);
	CU_ASSERT_FALSE(b->has & BGP_HAS(BGP_ATTR_LARGE_COMM));
	free(b);
	b = APPLY(a, "large-community set 4:5:6");
	bgp_attrs_var(b, &v);
	CU_ASSERT(v.n_lcomm == 1 && v.lcomm[0] == 4 && v.lcomm[2] == 6);
	CU_ASSERT_EQUAL(v.n_comm, 2);
	free(b);
	b = APPLY(a, "next-hop 192.0.2.1");
	CU_ASSERT_EQUAL(b->next_hop, IP(192, 0, 2, 1));
	free(b);
	b = APPLY(a, "next-hop self");
	CU_ASSERT_EQUAL(b->next_hop, rt0.self_nh);
	free(b);
	/* changes that change nothing give no new set */
	CU_ASSERT_PTR_NULL(APPLY(a, "community add 1:1"));
	CU_ASSERT_PTR_NULL(APPLY(a, "community remove 3:3"));
	CU_ASSERT_PTR_NULL(APPLY(a, "next-hop 10.0.0.1"));
	CU_ASSERT_PTR_NULL(APPLY(a, "large-community set 1:2:3"));
	free(a);
}

static void
test_actions_edges(void)
{
	static const uint32_t c[] = { COMM(1, 1) };
	struct bgp_attrs *a = mk("", c, 1, NULL, 0, 1), *b, *b2, *big;
	struct bgp_attrs_var v;
	char t[2048], s254[1400] = "";

	/* idempotence: adding twice is adding once; remove after add */
	b = APPLY(a, "community add 7:7 8:8");
	b2 = APPLY(a, "community add 7:7 8:8", "community add 8:8 7:7");
	CU_ASSERT(bgp_attrs_equal(b, b2));
	free(b2);
	CU_ASSERT_PTR_NULL(APPLY(a, "community add 7:7",
	    "community remove 7:7"));
	free(b);
	/* prepend on the empty path (locally originated) */
	b = APPLY(a, "prepend 65001 3");
	CU_ASSERT_STRING_EQUAL(path_str(b, t, sizeof(t)), "65001 65001 65001");
	free(b);
	free(a);
	/* a path starting with a set gets a new sequence before it */
	a = mk("{1 2} 3", NULL, 0, NULL, 0, 1);
	b = APPLY(a, "prepend 9 2");
	CU_ASSERT_STRING_EQUAL(path_str(b, t, sizeof(t)), "9 9 {1 2} 3");
	free(b);
	free(a);
	/* a full first sequence (254 + 3 > 255): a new segment */
	for (int i = 0; i < 254; i++)
		snprintf(s254 + strlen(s254), sizeof(s254) - strlen(s254),
		    "%s%d", i ? " " : "", 1000 + i);
	a = mk(s254, NULL, 0, NULL, 0, 1);
	b = APPLY(a, "prepend 9 3");
	bgp_attrs_var(b, &v);
	CU_ASSERT_EQUAL(v.path_len, 255 + 4);
	CU_ASSERT_EQUAL(v.path[0], BGP_SEG(BGP_SEG_SEQUENCE, 3));
	CU_ASSERT_EQUAL(v.path[4], BGP_SEG(BGP_SEG_SEQUENCE, 254));
	CU_ASSERT(bgp_path_valid(v.path, v.path_len));
	CU_ASSERT_EQUAL(bgp_path_count(v.path, v.path_len), 257);
	free(b);
	b = APPLY(a, "prepend 9 2");	/* 256 does not fit */
	bgp_attrs_var(b, &v);
	CU_ASSERT_EQUAL(v.path[0], BGP_SEG(BGP_SEG_SEQUENCE, 2));
	CU_ASSERT_EQUAL(v.path_len, 255 + 3);
	free(b);
	b = APPLY(a, "prepend 9 1");	/* 255 fits */
	bgp_attrs_var(b, &v);
	CU_ASSERT_EQUAL(v.path[0], BGP_SEG(BGP_SEG_SEQUENCE, 255));
	free(b);
	free(a);
	/* a path at the word limit is left alone, and said so */
	{
		struct bgp_attrs fx = { .has = BGP_HAS(BGP_ATTR_AS_PATH) };
		struct bgp_attrs_var var = { 0 };
		uint32_t *pw = calloc(BGP_PATH_MAX_WORDS, 4);
		struct bgp_polset *s = bgp_polset_new();
		const char *const l[] = { "do prepend 1 5", NULL };
		struct bgp_policy *p = build(s, "p", l);
		struct bgp_pol_result res;

		for (size_t i = 0; i < BGP_PATH_MAX_WORDS; i += 256) {
			pw[i] = BGP_SEG(BGP_SEG_SEQUENCE, 255);
			for (size_t j = 1; j < 256; j++)
				pw[i + j] = 64512;
		}
		var.path = pw;
		var.path_len = BGP_PATH_MAX_WORDS;
		big = bgp_attrs_new(&fx, &var);
		CU_ASSERT_EQUAL(eval(p, &rt0, big, &res, t, sizeof(t)),
		    BGP_POL_ACCEPT);
		CU_ASSERT_PTR_NULL(res.attrs);
		CU_ASSERT_PTR_NOT_NULL(strstr(t, "prepend 1 x5 skipped"));
		free(big);
		free(pw);
		bgp_polset_free(s);
	}
}

static void
test_combined_and_continue(void)
{
	static const uint32_t c1[] = { COMM(1, 1) };
	struct bgp_attrs *with = mk("12076", c1, 1, NULL, 0, 1);
	struct bgp_attrs *without = mk("12076", NULL, 0, NULL, 0, 1);
	struct bgp_polset *s = bgp_polset_new();
	const char *const l1[] = {
		"rule", "match community 1:1", "do local-pref 300",
		"do continue",
		"rule", "match peer-as 12076", "do med 10", "do accept",
		"rule", "do reject", NULL
	};
	const char *const l2[] = {
		"rule", "match community 1:1", "do local-pref 300",
		"do continue", "default accept", NULL
	};
	const char *const l3[] = {
		"rule", "do community add 9:9", "do prepend 65001",
		"do continue",
		"rule", "match community 9:9", "match as-path ^65001_12076$",
		"do local-pref 5", "do next-hop self", "do accept", NULL
	};
	struct bgp_policy *p1 = build(s, "p1", l1);
	struct bgp_policy *p2 = build(s, "p2", l2);
	const char *const l4[] = {
		"rule", "do med 1", "do stop", "rule", "do med 2", NULL
	};
	struct bgp_policy *p3 = build(s, "p3", l3);
	struct bgp_policy *p4 = build(s, "p4", l4);
	struct bgp_pol_route rt = rt0;
	struct bgp_pol_result res;
	struct bgp_attrs_var v;
	char t[256];

	CU_ASSERT_EQUAL(eval(p1, &rt, with, &res, NULL, 0), BGP_POL_ACCEPT);
	CU_ASSERT_EQUAL(res.rule, 1);
	CU_ASSERT(res.attrs->local_pref == 300 && res.attrs->med == 10);
	free(res.attrs);
	CU_ASSERT_EQUAL(eval(p1, &rt, without, &res, NULL, 0), BGP_POL_ACCEPT);
	CU_ASSERT(res.attrs->med == 10 &&
	    !(res.attrs->has & BGP_HAS(BGP_ATTR_LOCAL_PREF)));
	free(res.attrs);
	rt.peer_as = 999;
	CU_ASSERT_EQUAL(eval(p1, &rt, with, &res, NULL, 0), BGP_POL_REJECT);
	CU_ASSERT_EQUAL(res.rule, 2);
	CU_ASSERT_PTR_NULL(res.attrs);
	/* continue past the last rule: the default decides, with changes */
	CU_ASSERT_EQUAL(eval(p2, &rt, with, &res, NULL, 0), BGP_POL_ACCEPT);
	CU_ASSERT_EQUAL(res.rule, -1);
	CU_ASSERT_EQUAL(res.attrs->local_pref, 300);
	free(res.attrs);
	bgp_policy_set_default(p2, BGP_POL_REJECT);
	CU_ASSERT_EQUAL(eval(p2, &rt, with, &res, NULL, 0), BGP_POL_REJECT);
	CU_ASSERT_PTR_NULL(res.attrs);
	/* stop is accept: the next rule is not reached */
	CU_ASSERT_EQUAL(eval(p4, &rt, with, &res, NULL, 0), BGP_POL_ACCEPT);
	CU_ASSERT_EQUAL(res.rule, 0);
	CU_ASSERT_EQUAL(res.attrs->med, 1);
	free(res.attrs);
	/* later rules see what earlier ones changed; all actions together */
	CU_ASSERT_EQUAL(eval(p3, &rt, without, &res, NULL, 0), BGP_POL_ACCEPT);
	CU_ASSERT_EQUAL(res.rule, 1);
	bgp_attrs_var(res.attrs, &v);
	CU_ASSERT(v.n_comm == 1 && v.comm[0] == COMM(9, 9));
	CU_ASSERT_STRING_EQUAL(path_str(res.attrs, t, sizeof(t)),
	    "65001 12076");
	CU_ASSERT_EQUAL(res.attrs->local_pref, 5);
	CU_ASSERT_EQUAL(res.attrs->next_hop, rt0.self_nh);
	free(res.attrs);
	bgp_polset_free(s);
	free(with);
	free(without);
}

static void
test_default_and_explain(void)
{
	static const uint32_t na[] = { BGP_COMM_NO_ADVERTISE };
	struct bgp_polset *s = bgp_polset_new();
	struct bgp_plist *pl = bgp_plist_new(s, "vnets");
	const char *const lo[] = {
		"rule", "match community no-advertise", "do reject",
		"rule", "match prefix-list vnets", "do prepend 65001 3",
		"do accept", NULL
	};
	const char *const li[] = {
		"rule prefer-primary", "match next-hop 192.168.100.130",
		"do local-pref 300", "do community add 12076:1 no-export",
		"do continue", NULL
	};
	struct bgp_policy *empty = bgp_policy_new(s, "empty"), *po, *pi;
	struct bgp_attrs *a = mk("12076", NULL, 0, NULL, 0,
	    IP(192, 168, 100, 130));
	struct bgp_attrs *b = mk("12076", na, 1, NULL, 0, 1);
	struct bgp_pol_route rti = rt0;
	struct bgp_pol_result res;
	char why[512], small[10];

	CU_ASSERT_EQUAL(bgp_plist_add_str(pl, "permit 10.0.0.0/8 le 24", NULL),
	    0);
	po = build(s, "to-oracle", lo);
	pi = build(s, "from-msee", li);
	rti.dir = BGP_POL_IMPORT;
	CU_ASSERT_EQUAL(eval(empty, &rt0, a, &res, why, sizeof(why)),
	    BGP_POL_REJECT);
	CU_ASSERT_EQUAL(res.rule, -1);
	CU_ASSERT_STRING_EQUAL(why,
	    "export policy empty: no rule decided, default reject");
	bgp_policy_set_default(empty, BGP_POL_ACCEPT);
	CU_ASSERT_EQUAL(eval(empty, &rt0, a, &res, NULL, 0), BGP_POL_ACCEPT);
	CU_ASSERT_PTR_NULL(res.attrs);
	CU_ASSERT_EQUAL(eval(po, &rt0, a, &res, why, sizeof(why)),
	    BGP_POL_ACCEPT);
	CU_ASSERT_STRING_EQUAL(why,
	    "export policy to-oracle rule 2: prepend 65001 x3, accept");
	free(res.attrs);
	CU_ASSERT_EQUAL(eval(po, &rt0, b, &res, why, sizeof(why)),
	    BGP_POL_REJECT);
	CU_ASSERT_STRING_EQUAL(why, "export policy to-oracle rule 1: reject");
	CU_ASSERT_EQUAL(eval(pi, &rti, a, &res, why, sizeof(why)),
	    BGP_POL_REJECT);
	CU_ASSERT_STRING_EQUAL(why, "import policy from-msee rule 1 "
	    "(prefer-primary): set local-pref 300, add community 12076:1 "
	    "no-export, continue\n"
	    "import policy from-msee: no rule decided, default reject");
	/* cut, always terminated */
	CU_ASSERT_EQUAL(eval(po, &rt0, a, &res, small, sizeof(small)),
	    BGP_POL_ACCEPT);
	CU_ASSERT_STRING_EQUAL(small, "export po");
	free(res.attrs);
	/* RFC 8212 when no policy is configured */
	CU_ASSERT_EQUAL(bgp_policy_absent(true, true), BGP_POL_REJECT);
	CU_ASSERT_EQUAL(bgp_policy_absent(true, false), BGP_POL_ACCEPT);
	CU_ASSERT_EQUAL(bgp_policy_absent(false, true), BGP_POL_ACCEPT);
	bgp_polset_free(s);
	free(a);
	free(b);
}

/* The path cache: hits for paths seen, and the same answers as regexec. */
static void
test_path_cache(void)
{
	struct bgp_polset *s = bgp_polset_new();
	const char *const l[] = {
		"rule", "match as-path _12076_", "do accept",
		"rule", "match as-path _12076_", "match as-path ^(1|2)_",
		"do accept", NULL
	};
	struct bgp_policy *p = build(s, "p", l);
	struct bgp_re *re = bgp_re_compile("_12076_", NULL);
	struct bgp_pol_result res;
	uint64_t hits, misses;
	uint32_t x = 7;

	bgp_policy_cache_stats(p, &hits, &misses);
	CU_ASSERT(hits == 0 && misses == 0);
	for (int i = 0; i < 6000; i++) {
		char path[400] = "", text[600];
		int len = 1 + (int)(lcg(&x) % (i % 3 ? 4 : 30));
		struct bgp_attrs *a;
		uint32_t w[64];

		for (int k = 0; k < len; k++)
			snprintf(path + strlen(path), sizeof(path) -
			    strlen(path), "%s%u", k ? " " : "",
			    lcg(&x) % 5 ? 12000 + lcg(&x) % 100 : 12076);
		a = mk(path, NULL, 0, NULL, 0, 1);
		bgp_path_text(w, path_of(path, w), text, sizeof(text));
		CU_ASSERT_EQUAL(eval(p, &rt0, a, &res, NULL, 0) ==
		    BGP_POL_ACCEPT, bgp_re_match(re, text));
		free(a);
	}
	bgp_policy_cache_stats(p, &hits, &misses);
	CU_ASSERT(hits > 0 && misses > 0);
	/* one path again and again: one regexec, then hits */
	{
		struct bgp_attrs *a = mk("3 12076", NULL, 0, NULL, 0, 1);
		uint64_t h0, m0;

		bgp_policy_cache_stats(p, &h0, &m0);
		for (int i = 0; i < 10; i++)
			CU_ASSERT_EQUAL(eval(p, &rt0, a, &res, NULL, 0),
			    BGP_POL_ACCEPT);
		bgp_policy_cache_stats(p, &hits, &misses);
		CU_ASSERT(misses - m0 <= 1);
		CU_ASSERT(hits - h0 >= 9);
		free(a);
	}
	bgp_re_free(re);
	bgp_polset_free(s);
}

/* Two sets built alike give byte-identical results and words. */
static void
test_determinism(void)
{
	const char *const l[] = {
		"rule", "match as-path _12076_", "do prepend self 2",
		"do community add 12076:5", "do continue",
		"rule", "match community-regex ^12076:", "do med 7",
		"do large-community add 1:2:3", "do accept", NULL
	};
	uint32_t hash[2][50];
	char why[2][50][200];

	for (int run = 0; run < 2; run++) {
		struct bgp_polset *s = bgp_polset_new();
		struct bgp_policy *p = build(s, "d", l);
		uint32_t x = 99;

		for (int i = 0; i < 50; i++) {
			char path[64];
			struct bgp_attrs *a;
			struct bgp_pol_result res;

			snprintf(path, sizeof(path), "%u %u", lcg(&x) % 3 ?
			    12076 : 1, lcg(&x) % 10);
			a = mk(path, NULL, 0, NULL, 0, 1);
			eval(p, &rt0, a, &res, why[run][i], sizeof(why[0][0]));
			hash[run][i] = res.attrs ? bgp_attrs_hash(res.attrs) :
			    (uint32_t)res.verdict;
			free(res.attrs);
			free(a);
		}
		bgp_polset_free(s);
	}
	CU_ASSERT(memcmp(hash[0], hash[1], sizeof(hash[0])) == 0);
	for (int i = 0; i < 50; i++)
		CU_ASSERT_STRING_EQUAL(why[0][i], why[1][i]);
	CU_ASSERT_PTR_NOT_NULL(strstr(why[0][0], "rule"));
}

static const struct test_case cases[] = {
	{ "every action alone", test_actions_alone },
	{ "idempotence and prepend edges", test_actions_edges },
	{ "combined actions, continue and stop", test_combined_and_continue },
	{ "default action and explanation", test_default_and_explain },
	{ "AS-path match cache", test_path_cache },
	{ "determinism", test_determinism },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "bgp_policy_eval", cases);
}
