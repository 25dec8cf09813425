/*
 * test_bgp_policy.c - routing policy configuration and matching: prefix
 * lists (ge/le table, first match, implicit deny, a 10,000-entry list
 * against a linear reference), the AS-path regex dialect and its errors
 * with positions, community and large-community matches, the other
 * matches, and the errors of match and action text. Actions and
 * evaluation are in test_bgp_policy_eval.c.
 */
#include "bgp_policy_testutil.h"

/* ---- prefix lists ---- */

struct pl_case {
	const char *entry;
	uint32_t addr;
	uint8_t len;
	bool match;
};

static const struct pl_case pl_cases[] = {
	{ "permit 10.0.0.0/8", IP(10, 0, 0, 0), 8, true },
	{ "permit 10.0.0.0/8", IP(10, 1, 0, 0), 16, false },	/* longer */
	{ "permit 10.0.0.0/8", IP(0, 0, 0, 0), 0, false },	/* shorter */
	{ "permit 10.0.0.0/8", IP(11, 0, 0, 0), 8, false },
	{ "permit 10.0.0.0/8 le 24", IP(10, 0, 0, 0), 8, true },
	{ "permit 10.0.0.0/8 le 24", IP(10, 1, 0, 0), 16, true },
	{ "permit 10.0.0.0/8 le 24", IP(10, 1, 2, 0), 24, true },
	{ "permit 10.0.0.0/8 le 24", IP(10, 1, 2, 128), 25, false },
	{ "permit 10.0.0.0/8 le 24", IP(11, 1, 0, 0), 16, false },
	{ "permit 10.0.0.0/8 le 24", IP(0, 0, 0, 0), 4, false },
	{ "permit 10.0.0.0/8 ge 16", IP(10, 0, 0, 0), 8, false },
	{ "permit 10.0.0.0/8 ge 16", IP(10, 1, 0, 0), 16, true },
	{ "permit 10.0.0.0/8 ge 16", IP(10, 1, 2, 3), 32, true },
	{ "permit 10.0.0.0/8 ge 16 le 24", IP(10, 0, 0, 0), 15, false },
	{ "permit 10.0.0.0/8 ge 16 le 24", IP(10, 2, 0, 0), 16, true },
	{ "permit 10.0.0.0/8 ge 16 le 24", IP(10, 2, 3, 0), 24, true },
	{ "permit 10.0.0.0/8 ge 16 le 24", IP(10, 2, 3, 0), 25, false },
	{ "permit 10.0.0.0/8 ge 24 le 24", IP(10, 2, 3, 0), 24, true },
	{ "permit 10.0.0.0/8 ge 24 le 24", IP(10, 2, 0, 0), 23, false },
	{ "permit 0.0.0.0/0 le 32", IP(0, 0, 0, 0), 0, true },
	{ "permit 0.0.0.0/0 le 32", IP(200, 0, 0, 0), 5, true },
	{ "permit 0.0.0.0/0 le 32", IP(1, 2, 3, 4), 32, true },
	{ "permit 0.0.0.0/0", IP(0, 0, 0, 0), 0, true },
	{ "permit 0.0.0.0/0", IP(10, 0, 0, 0), 8, false },
	{ "permit 0.0.0.0/0 ge 32", IP(1, 2, 3, 4), 32, true },
	{ "permit 0.0.0.0/0 ge 32", IP(1, 2, 3, 4), 31, false },
	{ "permit 192.168.1.1/32", IP(192, 168, 1, 1), 32, true },
	{ "permit 192.168.1.1/32", IP(192, 168, 1, 2), 32, false },
	{ "permit 192.168.1.1/32", IP(192, 168, 1, 0), 24, false },
	{ "permit 128.0.0.0/1 le 8", IP(129, 0, 0, 0), 8, true },
	{ "permit 128.0.0.0/1 le 8", IP(127, 0, 0, 0), 8, false },
	{ NULL, 0, 0, false }
};

static void
test_plist_table(void)
{
	for (const struct pl_case *c = pl_cases; c->entry != NULL; c++) {
		struct bgp_polset *s = bgp_polset_new();
		struct bgp_plist *pl = bgp_plist_new(s, "l");
		struct bgp_pol_err err;
		char deny[64];
		int entry = 7;

		CU_ASSERT_EQUAL_FATAL(bgp_plist_add_str(pl, c->entry, &err), 0);
		CU_ASSERT_EQUAL(bgp_plist_match(pl, c->addr, c->len, &entry),
		    c->match ? BGP_POL_ACCEPT : BGP_POL_REJECT);
		CU_ASSERT_EQUAL(entry, c->match ? 0 : -1);
		if ((bgp_plist_match(pl, c->addr, c->len, NULL) ==
		    BGP_POL_ACCEPT) != c->match)
			fprintf(stderr, "%s ? %08x/%u\n", c->entry, c->addr,
			    c->len);
		/* the same entry as deny: matches, and rejects */
		bgp_polset_free(s);
		s = bgp_polset_new();
		pl = bgp_plist_new(s, "l");
		snprintf(deny, sizeof(deny), "deny%s", c->entry + 6);
		CU_ASSERT_EQUAL_FATAL(bgp_plist_add_str(pl, deny, &err), 0);
		CU_ASSERT_EQUAL(bgp_plist_match(pl, c->addr, c->len, &entry),
		    BGP_POL_REJECT);
		CU_ASSERT_EQUAL(entry, c->match ? 0 : -1);
		bgp_polset_free(s);
	}
}

struct err_case {
	const char *text;
	size_t pos;
	const char *msg;
};

static const struct err_case pl_errs[] = {
	{ "permit 10.0.0.0/8 ge 8", 7, "ge 8 must be above" },
	{ "permit 10.0.0.0/8 le 8", 7, "le 8 must be above" },
	{ "permit 10.0.0.0/8 ge 24 le 16", 7, "le 16 is below ge 24" },
	{ "permit 10.0.0.0/8 ge 33", 21, "not a number 0..32" },
	{ "permit 10.0.0.1/8", 7, "did you mean 10.0.0.0/8?" },
	{ "allow 10.0.0.0/8", 0, "starts with permit or deny" },
	{ "permit 10.0.0/8", 13, "not an IPv4 address" },
	{ "permit 10.0.0.0/33", 15, "/LENGTH" },
	{ "permit 192.168.1.1/32 ge 32", 7, "must be above" },
	{ "permit 10.0.0.0/8 le 24 ge 16", 24, "expected nothing" },
	{ "permit 10.0.0.0/8 ge 16 ge 20", 24, "expected le N" },
	{ "permit 10.0.0.0/8 foo", 18, "expected ge N or le N" },
	{ "permit 10.0.0.0/8 ge", 20, "ge needs a length" },
	{ "permit 10.0.0.0/8 le 0", 21, "leave it out" },
	{ "permit", 6, "expected a prefix" },
	{ "", 0, "empty" },
	{ NULL, 0, NULL }
};

static void
check_err(const struct err_case *c, int rc, const struct bgp_pol_err *err)
{
	CU_ASSERT_EQUAL(rc, -1);
	CU_ASSERT_EQUAL(err->pos, c->pos);
	CU_ASSERT_PTR_NOT_NULL(strstr(err->msg, c->msg));
	if (rc != -1 || err->pos != c->pos || !strstr(err->msg, c->msg))
		fprintf(stderr, "'%s': rc %d pos %zu '%s'\n", c->text, rc,
		    err->pos, err->msg);
}

static void
test_plist_errors(void)
{
	struct bgp_polset *s = bgp_polset_new();
	struct bgp_plist *pl = bgp_plist_new(s, "l");
	struct bgp_pol_err err;

	for (const struct err_case *c = pl_errs; c->text != NULL; c++) {
		memset(&err, 0, sizeof(err));
		check_err(c, bgp_plist_add_str(pl, c->text, &err), &err);
	}
	CU_ASSERT_EQUAL(bgp_plist_len(pl), 0);
	CU_ASSERT_PTR_NULL(bgp_plist_new(s, "l"));	/* name taken */
	CU_ASSERT_PTR_NULL(bgp_plist_new(s, ""));
	CU_ASSERT_PTR_EQUAL(bgp_plist_get(s, "l"), pl);
	CU_ASSERT_STRING_EQUAL(bgp_polset_plist_name(s, 0), "l");
	CU_ASSERT_PTR_NULL(bgp_polset_plist_name(s, 1));
	CU_ASSERT_STRING_EQUAL(bgp_plist_name(pl), "l");
	bgp_polset_free(s);
}

static void
test_plist_first_match(void)
{
	struct bgp_polset *s = bgp_polset_new();
	struct bgp_plist *pl = bgp_plist_new(s, "l");
	struct bgp_plist *same = bgp_plist_new(s, "same");
	int e;

	CU_ASSERT_EQUAL(bgp_plist_add_str(pl, "deny 10.1.0.0/16 le 32", NULL),
	    0);
	CU_ASSERT_EQUAL(bgp_plist_add_str(pl, "permit 10.0.0.0/8 le 24",
	    NULL), 0);
	CU_ASSERT_EQUAL(bgp_plist_add_str(pl, "permit 10.0.0.0/8 ge 25", NULL),
	    0);
	CU_ASSERT_EQUAL(bgp_plist_match(pl, IP(10, 1, 2, 0), 24, &e),
	    BGP_POL_REJECT);
	CU_ASSERT_EQUAL(e, 0);
	CU_ASSERT_EQUAL(bgp_plist_match(pl, IP(10, 2, 0, 0), 16, &e),
	    BGP_POL_ACCEPT);
	CU_ASSERT_EQUAL(e, 1);
	CU_ASSERT_EQUAL(bgp_plist_match(pl, IP(10, 2, 3, 128), 25, &e),
	    BGP_POL_ACCEPT);
	CU_ASSERT_EQUAL(e, 2);
	/* implicit deny */
	CU_ASSERT_EQUAL(bgp_plist_match(pl, IP(11, 0, 0, 0), 8, &e),
	    BGP_POL_REJECT);
	CU_ASSERT_EQUAL(e, -1);
	/* entries of one prefix, in order */
	CU_ASSERT_EQUAL(bgp_plist_add(same, false, IP(10, 0, 0, 0), 8, 25, 0,
	    NULL), 0);
	CU_ASSERT_EQUAL(bgp_plist_add(same, true, IP(10, 0, 0, 0), 8, 0, 32,
	    NULL), 0);
	CU_ASSERT_EQUAL(bgp_plist_add(same, false, IP(10, 0, 0, 0), 8, 0, 24,
	    NULL), 0);
	CU_ASSERT_EQUAL(bgp_plist_match(same, IP(10, 0, 0, 0), 24, &e),
	    BGP_POL_ACCEPT);
	CU_ASSERT_EQUAL(e, 1);
	CU_ASSERT_EQUAL(bgp_plist_match(same, IP(10, 0, 0, 64), 26, &e),
	    BGP_POL_REJECT);
	CU_ASSERT_EQUAL(e, 0);
	CU_ASSERT_EQUAL(bgp_plist_match(same, IP(10, 0, 0, 0), 33, &e),
	    BGP_POL_REJECT);
	CU_ASSERT_EQUAL(e, -1);
	bgp_polset_free(s);
}

/* 10,000 entries (the Premium limit) against a linear first match. */
static void
test_plist_large(void)
{
	struct bgp_polset *s = bgp_polset_new();
	struct bgp_plist *pl = bgp_plist_new(s, "big");
	struct ref {
		uint32_t addr;
		uint8_t len, lo, hi;
		bool permit;
	} *ref = calloc(10000, sizeof(*ref));
	uint32_t x = 1;
	size_t n = 0;

	while (n < 10000) {
		uint8_t len = (uint8_t)(8 + lcg(&x) % 17);
		uint32_t mask = 0xffffffffu << (32 - len);
		uint32_t addr = (IP(10, 0, 0, 0) | (lcg(&x) << 8 & 0xffffff)) &
		    mask;
		uint8_t ge = 0, le = 0;

		switch (lcg(&x) % 4) {
		case 1:
			le = (uint8_t)(len + 1 + lcg(&x) % (32 - len));
			break;
		case 2:
			ge = (uint8_t)(len + 1 + lcg(&x) % (32 - len));
			le = (uint8_t)(ge + lcg(&x) % (33 - ge));
			break;
		}
		ref[n] = (struct ref){ addr, len, ge ? ge : len,
		    le ? le : ge ? 32 : len, lcg(&x) % 3 != 0 };
		CU_ASSERT_EQUAL_FATAL(bgp_plist_add(pl, ref[n].permit, addr,
		    len, ge, le, NULL), 0);
		n++;
	}
	CU_ASSERT_EQUAL(bgp_plist_len(pl), 10000);
	for (int q = 0; q < 20000; q++) {
		/* half of the queries near an entry, half anywhere in 10/8 */
		const struct ref *r = &ref[lcg(&x) % n];
		uint8_t len = (uint8_t)(q % 2 ? r->len + lcg(&x) % (33 - r->len) :
		    lcg(&x) % 33);
		uint32_t addr = q % 2 ? r->addr | (lcg(&x) & ~(0xffffffffu <<
		    (32 - r->len)) * (r->len < 32)) : IP(10, 0, 0, 0) |
		    (lcg(&x) & 0xffffff);
		uint32_t mask = len ? 0xffffffffu << (32 - len) : 0;
		int want = -1, got;

		addr &= mask;
		for (size_t i = 0; i < n && want < 0; i++) {
			uint32_t m = 0xffffffffu << (32 - ref[i].len);

			if (len >= ref[i].lo && len <= ref[i].hi &&
			    ((addr ^ ref[i].addr) & m) == 0)
				want = (int)i;
		}
		CU_ASSERT_EQUAL(bgp_plist_match(pl, addr, len, &got),
		    want >= 0 && ref[want].permit ? BGP_POL_ACCEPT :
		    BGP_POL_REJECT);
		CU_ASSERT_EQUAL(got, want);
	}
	free(ref);
	bgp_polset_free(s);
}

/* ---- the regex dialect ---- */

struct re_case {
	const char *re, *path;
	bool match;
};

static const struct re_case re_cases[] = {
	{ "^$", "", true },				/* locally originated */
	{ "^$", "12076", false },
	{ "^12076_", "12076 31898", true },
	{ "^12076_", "120761 5", false },
	{ "^12076_", "12076", true },			/* end as delimiter */
	{ "_31898$", "12076 31898", true },
	{ "_31898$", "12076 131898", false },
	{ "_31898$", "31898", true },			/* start as delimiter */
	{ "_31898_", "12076 {31898 64512}", true },	/* '{' */
	{ "_64512_", "12076 {31898 64512}", true },	/* '}' */
	{ "_64512$", "12076 {31898 64512}", false },	/* '}' is last */
	{ "^(64512|64513)_", "64513 12076", true },
	{ "^(64512|64513)_", "64514 12076", false },
	{ "^(64512|64513)_", "64512", true },
	{ "_12076_", "65001 12076 31898", true },
	{ "_12076_", "112076 31898", false },
	{ "^65001(_65001)*_12076$", "65001 65001 65001 12076", true },
	{ "^65001(_65001)*_12076$", "65001 65002 12076", false },
	{ ".*", "", true },
	{ "^[0-9]+$", "64512", true },
	{ "^[0-9]+$", "64512 1", false },
	{ "^6451[0-9]_", "64513 12076", true },
	{ "^1_(2_)?3$", "1 3", true },
	{ "^1_(2_)?3$", "1 2 3", true },
	{ "^1_(2_)?3$", "1 4 3", false },
	{ "^12076_[0-9]+$", "12076 31898", true },
	{ "^12076_[0-9]+$", "12076 31898 1", false },
	{ "\\{31898", "12076 {31898 64512}", true },	/* a literal brace */
	{ "^([0-9]+_){2}[0-9]+$", "1 2 3", true },
	{ "^([0-9]+_){2}[0-9]+$", "1 2", false },
	{ "^(_?[0-9]+){1,30}$", "1 2 3", true },
	{ "^1_(2_){1,}3$", "1 2 2 3", true },
	{ "^(1_)?(2_)+3$", "2 2 3", true },
	{ "^([0-9]+_?)+$", "1 2 3", true },
	{ "_", "", true },
	{ "31898", "131898", true },			/* unanchored */
	{ "_65001_", "(65000 65001) 12076", true },	/* confed ')' */
	{ "^[^0-9]", "{1 2}", true },
	{ "^1_.*_3$", "1 2 3", true },
	{ "^1_.*_3$", "1 3", false },	/* one delimiter cannot serve twice */
	{ NULL, NULL, false }
};

static void
test_re_dialect(void)
{
	struct bgp_pol_err err;
	char text[256];
	uint32_t w[64];

	for (const struct re_case *c = re_cases; c->re != NULL; c++) {
		struct bgp_re *re = bgp_re_compile(c->re, &err);
		uint16_t n = path_of(c->path, w);

		CU_ASSERT_PTR_NOT_NULL_FATAL(re);
		bgp_path_text(w, n, text, sizeof(text));
		CU_ASSERT_STRING_EQUAL(text, c->path);
		CU_ASSERT_EQUAL(bgp_re_match(re, text), c->match);
		if (bgp_re_match(re, text) != c->match)
			fprintf(stderr, "%s on '%s'\n", c->re, text);
		bgp_re_free(re);
	}
}

static void
test_re_translation(void)
{
	struct bgp_re *re = bgp_re_compile("^1_2_", NULL);

	CU_ASSERT_STRING_EQUAL(bgp_re_ere(re),
	    "^1(^|[][ ,{}()]|$)2(^|[][ ,{}()]|$)");
	CU_ASSERT_STRING_EQUAL(bgp_re_pattern(re), "^1_2_");
	/* a comma delimits too (Cisco's AS_SET form), and brackets */
	CU_ASSERT(bgp_re_match(re, "1,2"));
	CU_ASSERT(bgp_re_match(re, "1[2]"));
	CU_ASSERT_FALSE(bgp_re_match(re, "1:2"));
	bgp_re_free(re);
	re = bgp_re_compile("[_]\\_", NULL);	/* literal underscores */
	CU_ASSERT_STRING_EQUAL(bgp_re_ere(re), "[_]_");
	bgp_re_free(re);
}

static const struct err_case re_errs[] = {
	{ "", 0, "empty regular expression" },
	{ "(12076", 0, "unmatched '('" },
	{ "^(1|(2)", 1, "unmatched '('" },
	{ "12076)", 5, "unmatched ')'" },
	{ "^[0-9", 1, "unmatched '['" },
	{ "*12076", 0, "'*' has nothing to repeat" },
	{ "^*", 1, "nothing to repeat" },
	{ "(+1)", 1, "nothing to repeat" },
	{ "1**", 2, "follows another repetition" },
	{ "1+{2}", 2, "follows another repetition" },
	{ "(1|)", 3, "empty alternative before ')'" },
	{ "(|1)", 1, "empty alternative before '|'" },
	{ "1|", 2, "empty alternative at the end" },
	{ "()", 1, "empty alternative" },
	{ "[9-0]", 1, "range 9-0 is backwards" },
	{ "1{2", 1, "repetition count {m,n}" },
	{ "1{3,2}", 1, "below the minimum" },
	{ "1{300}", 1, "above 255" },
	{ "1{3000000000000}", 1, "above 255" },
	{ "1{1,99999}", 1, "above 255" },
	{ "((1{255}){255}){255}", 9, "too large with its repetitions" },
	{ "(_[0-9]{50}){100}", 12, "too large with its repetitions" },
	{ "(_1){40}", 4, "too large with its repetitions" },
	{ "(_)+", 3, "'+' repeats what can match no text" },
	{ "1_*", 2, "'*' repeats what can match no text" },
	{ "(1|_){2}", 5, "'{' repeats what can match no text" },
	{ "(1*){2}", 4, "'{' repeats what can match no text" },
	{ "((1)?(2)*)+", 10, "'+' repeats what can match no text" },
	{ "_1_2_3_4_5_6_7_8_9_0_1_2_3_4_5_6_7_8_9_0_1_2_3_4_5_6_7_8_9_0_1_2_3",
	    64, "too many '_' (at most 32)" },
	{ "{1}", 0, "nothing to repeat" },
	{ "12}", 2, "unmatched '}'" },
	{ "12]", 2, "unmatched ']'" },
	{ "\\d", 0, "'\\d' is not an escape" },
	{ "12\\", 2, "at the end of the pattern" },
	{ "[[:digit:]]", 1, "character classes" },
	{ "1\t", 1, "unexpected byte 0x09" },
	{ "((((((((((((((((((((((((((((((((((1))))))))))))))))))))))))))))))"
	    "))))", 32, "nested deeper than 32" },
	{ NULL, 0, NULL }
};

static void
test_re_errors(void)
{
	struct bgp_polset *s = bgp_polset_new();
	struct bgp_policy *p = bgp_policy_new(s, "p");
	struct bgp_pol_err err;

	for (const struct err_case *c = re_errs; c->text != NULL; c++) {
		struct bgp_re *re;

		memset(&err, 0, sizeof(err));
		re = bgp_re_compile(c->text, &err);
		check_err(c, re == NULL ? -1 : 0, &err);
		bgp_re_free(re);
	}
	/* in a policy, the position is in the item's text */
	CU_ASSERT_EQUAL(bgp_policy_match(p, "as-path   ^(123", &err), -1);
	CU_ASSERT_EQUAL(err.pos, 11);
	CU_ASSERT_EQUAL(bgp_policy_match(p, "community-regex 1:[", &err), -1);
	CU_ASSERT_EQUAL(err.pos, 18);
	CU_ASSERT_EQUAL(bgp_policy_match(p, "as-path  ", &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "expected a regular"));
	bgp_polset_free(s);
}

/* ---- matches ---- */

/* Whether a one-rule policy "text, accept" accepts the route. */
static bool
matches(const char *text, const struct bgp_attrs *a,
    const struct bgp_pol_route *rt)
{
	struct bgp_polset *s = bgp_polset_new();
	struct bgp_policy *p = bgp_policy_new(s, "p");
	struct bgp_plist *pl = bgp_plist_new(s, "vnets");
	struct bgp_pol_result res;
	struct bgp_pol_err err;
	bool ok;

	CU_ASSERT_EQUAL(bgp_plist_add_str(pl, "permit 10.0.0.0/8 le 24", NULL),
	    0);
	CU_ASSERT_EQUAL_FATAL(bgp_policy_match(p, text, &err), 0);
	CU_ASSERT_EQUAL(bgp_policy_action(p, "accept", &err), 0);
	ok = eval(p, rt, a, &res, NULL, 0) == BGP_POL_ACCEPT;
	CU_ASSERT_PTR_NULL(res.attrs);
	CU_ASSERT_EQUAL(res.rule, ok ? 0 : -1);
	bgp_polset_free(s);
	return ok;
}

static void
test_community_match(void)
{
	static const uint32_t c[] = { COMM(12076, 100), BGP_COMM_NO_EXPORT,
	    COMM(65535, 0) };
	static const uint32_t lc[] = { 12076, 1, 2, 31898, 0, 7 };
	static const uint32_t sub[] = { BGP_COMM_NO_EXPORT_SUBCONFED };
	struct bgp_attrs *a = mk("12076", c, 3, lc, 2, IP(10, 0, 0, 1));
	struct bgp_attrs *none = mk("12076", NULL, 0, NULL, 0, 1);
	struct bgp_attrs *b = mk("1", sub, 1, NULL, 0, 1);

	CU_ASSERT(matches("community 12076:100", a, &rt0));
	CU_ASSERT(matches("community 12076:100 no-export", a, &rt0));
	CU_ASSERT_FALSE(matches("community 12076:100 12076:200", a, &rt0));
	CU_ASSERT_FALSE(matches("community no-advertise", a, &rt0));
	CU_ASSERT(matches("community graceful-shutdown", a, &rt0));
	CU_ASSERT(matches("community 65535:65281", a, &rt0));
	CU_ASSERT(matches("community local-as", b, &rt0));
	CU_ASSERT(matches("community no-export-subconfed", b, &rt0));
	CU_ASSERT_FALSE(matches("community local-as", a, &rt0));
	CU_ASSERT(matches("community-regex ^12076:1[0-9]+_", a, &rt0));
	CU_ASSERT(matches("community-regex _65535:65281_", a, &rt0));
	CU_ASSERT_FALSE(matches("community-regex ^31898:", a, &rt0));
	CU_ASSERT(matches("community-regex ^$", none, &rt0));
	CU_ASSERT_FALSE(matches("community 12076:100", none, &rt0));
	CU_ASSERT(matches("large-community 31898:0:7", a, &rt0));
	CU_ASSERT(matches("large-community 31898:0:7 12076:1:2", a, &rt0));
	CU_ASSERT_FALSE(matches("large-community 31898:0:8", a, &rt0));
	CU_ASSERT(matches("large-community-regex ^12076:1:", a, &rt0));
	CU_ASSERT(matches("large-community-regex _31898:0:7$", a, &rt0));
	CU_ASSERT_FALSE(matches("large-community-regex ^31898", a, &rt0));
	CU_ASSERT_FALSE(matches("large-community 1:2:3", none, &rt0));
	free(a);
	free(none);
	free(b);
}

static void
test_other_matches(void)
{
	struct bgp_attrs *a = mk("12076 31898", NULL, 0, NULL, 0,
	    IP(10, 1, 1, 1));
	struct bgp_attrs_var var;
	struct bgp_attrs fx;
	struct bgp_pol_route rt = rt0;
	struct bgp_attrs *egp;

	CU_ASSERT(matches("next-hop 10.0.0.0/8", a, &rt));
	CU_ASSERT(matches("next-hop 10.1.1.1", a, &rt));
	CU_ASSERT_FALSE(matches("next-hop 10.1.1.2", a, &rt));
	CU_ASSERT_FALSE(matches("next-hop 11.0.0.0/8", a, &rt));
	CU_ASSERT(matches("next-hop 0.0.0.0/0", a, &rt));
	CU_ASSERT(matches("peer-as 12076", a, &rt));
	CU_ASSERT_FALSE(matches("peer-as 31898", a, &rt));
	CU_ASSERT(matches("origin igp", a, &rt));
	CU_ASSERT_FALSE(matches("origin egp", a, &rt));
	CU_ASSERT(matches("prefix-list vnets", a, &rt));
	CU_ASSERT(matches("prefix 10.0.0.0/8 le 16", a, &rt));
	CU_ASSERT_FALSE(matches("prefix 10.0.0.0/8 ge 24", a, &rt));
	CU_ASSERT(matches("as-path _31898$", a, &rt));
	rt.addr = IP(10, 1, 2, 128);
	rt.len = 25;
	CU_ASSERT_FALSE(matches("prefix-list vnets", a, &rt));
	bgp_attrs_var(a, &var);
	fx = *a;
	fx.origin = BGP_ORIGIN_EGP;
	fx.has &= ~BGP_HAS(BGP_ATTR_NEXT_HOP);
	egp = bgp_attrs_new(&fx, &var);
	CU_ASSERT(matches("origin egp", egp, &rt));
	CU_ASSERT_FALSE(matches("next-hop 0.0.0.0/0", egp, &rt));
	free(egp);
	free(a);
}

static const struct err_case item_errs[] = {
	{ "prefix-list nosuch", 12, "no prefix list named 'nosuch'" },
	{ "prefix-list", 11, "needs a name" },
	{ "prefix 10.0.0.0/8 ge 4", 7, "must be above" },
	{ "community 65536:1", 10, "not a community ASN:VALUE" },
	{ "community 1:2 1:2:3", 14, "not a community" },
	{ "community no-exports", 10, "well-known name" },
	{ "community", 9, "expected communities" },
	{ "large-community 1:2", 16, "not a large community" },
	{ "large-community 1:2:4294967296", 16, "not a large community" },
	{ "next-hop 10.0.0.1/8", 9, "host bits" },
	{ "next-hop 10.0.0.0/8 x", 20, "unexpected 'x'" },
	{ "peer-as 4294967296", 8, "not a number 0..4294967295" },
	{ "origin bgp", 7, "origin is igp, egp or incomplete" },
	{ "as-paths ^1", 0, "unknown match 'as-paths'" },
	{ "", 0, "empty match" },
	{ NULL, 0, NULL }
};

static const struct err_case action_errs[] = {
	{ "prepend 65001 x0", 14, "not a number 1..64" },
	{ "prepend 65001 65", 14, "not a number 1..64" },
	{ "prepend", 7, "needs an AS number or self" },
	{ "prepend 65001 3 4", 16, "unexpected '4'" },
	{ "local-pref -1", 11, "not a number" },
	{ "med", 3, "med needs a number" },
	{ "next-hop 10.0.0.0/8", 9, "an address, not a prefix" },
	{ "community push 1:1", 9, "takes add, remove or set" },
	{ "community add none", 14, "not a community" },
	{ "community set none 1:1", 19, "nothing goes after 'none'" },
	{ "large-community add", 19, "expected large communities" },
	{ "accept now", 7, "unexpected 'now'" },
	{ "frobnicate", 0, "unknown action 'frobnicate'" },
	{ NULL, 0, NULL }
};

static void
test_item_errors(void)
{
	struct bgp_polset *s = bgp_polset_new();
	struct bgp_policy *p = bgp_policy_new(s, "p");
	struct bgp_pol_err err;

	for (const struct err_case *c = item_errs; c->text != NULL; c++) {
		memset(&err, 0, sizeof(err));
		check_err(c, bgp_policy_match(p, c->text, &err), &err);
	}
	for (const struct err_case *c = action_errs; c->text != NULL; c++) {
		memset(&err, 0, sizeof(err));
		check_err(c, bgp_policy_action(p, c->text, &err), &err);
	}
	/* the disposition comes last; a rejecting rule changes nothing */
	CU_ASSERT_EQUAL(bgp_policy_action(p, "med 5", &err), 0);
	CU_ASSERT_EQUAL(bgp_policy_action(p, "reject", &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "cannot also change"));
	CU_ASSERT_EQUAL(bgp_policy_action(p, "continue", &err), 0);
	CU_ASSERT_EQUAL(bgp_policy_action(p, "med 6", &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "already ends with continue"));
	CU_ASSERT_EQUAL(bgp_policy_rules(p), 1);
	CU_ASSERT_PTR_NULL(bgp_policy_new(s, "p"));
	CU_ASSERT_PTR_EQUAL(bgp_policy_get(s, "p"), p);
	CU_ASSERT_PTR_NOT_NULL(bgp_policy_new(s, "q2"));
	CU_ASSERT_STRING_EQUAL(bgp_polset_policy_name(s, 0), "p");
	CU_ASSERT_STRING_EQUAL(bgp_polset_policy_name(s, 1), "q2");
	CU_ASSERT_PTR_NULL(bgp_polset_policy_name(s, 2));
	CU_ASSERT_PTR_NULL(bgp_polset_plist_name(s, 0));
	CU_ASSERT_STRING_EQUAL(bgp_policy_name(p), "p");
	CU_ASSERT_PTR_NULL(bgp_policy_get(s, "q"));
	CU_ASSERT_EQUAL(bgp_policy_default_str(p, "default maybe", &err), -1);
	CU_ASSERT_EQUAL(err.pos, 8);
	CU_ASSERT_EQUAL(bgp_policy_default_str(p, "default", &err), -1);
	CU_ASSERT_EQUAL(bgp_policy_default_str(p, "default accept x", &err),
	    -1);
	CU_ASSERT_EQUAL(err.pos, 15);
	bgp_polset_free(s);
}

static const struct test_case cases[] = {
	{ "prefix list ge/le table", test_plist_table },
	{ "prefix list errors with positions", test_plist_errors },
	{ "prefix list first match, implicit deny", test_plist_first_match },
	{ "prefix list of 10,000 against linear", test_plist_large },
	{ "AS-path regex dialect table", test_re_dialect },
	{ "AS-path regex translation of _", test_re_translation },
	{ "regex errors with positions", test_re_errors },
	{ "community and large-community matches", test_community_match },
	{ "next hop, peer AS, origin, prefix", test_other_matches },
	{ "match and action errors", test_item_errors },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "bgp_policy", cases);
}
