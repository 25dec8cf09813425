/*
 * fuzz_bgp_policy.c - libFuzzer target for routing policy: the text of
 * prefix-list entries, matches, actions and regexes, and evaluation of
 * random attribute sets against whatever compiled.
 *
 * Input: text lines, then a 0 byte, then bytes that make a route (see
 * route_of). A line's first character says what the rest is: 'p' a
 * prefix-list entry (of list "l"), 'r' a new rule, 'm' a match, 'a' an
 * action, 'd' a default, 'x' a bare regex; any other line is tried as a
 * match and as an action. The target traps on broken promises:
 *   - a refused item reports a position inside its text and a message;
 *   - evaluation never writes to its input, gives the same verdict, rule,
 *     attributes and words twice in a row (the second time through the
 *     path cache), a rule index in range, words that are terminated and
 *     cut at the buffer, and a new set only when accepted and different,
 *     with a valid AS path and has bits that agree with its arrays;
 *   - a compiled regex runs on the route's path text without failing.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bgp_policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_LINES 64

static void
check_err(int rc, const char *text, const struct bgp_pol_err *err)
{
	if (rc == 0)
		return;
	if (rc != -1 || err->pos > strlen(text) || err->msg[0] == '\0')
		abort();
}

/* k bytes at b[*i] big-endian (zeros past the end) */
static uint32_t
be(const uint8_t *b, size_t n, size_t *i, int k)
{
	uint32_t v = 0;

	while (k-- > 0) {
		v = v << 8 | (*i < n ? b[*i] : 0);
		(*i)++;
	}
	return v;
}

/* A valid route from bytes: next hop, origin, path, communities. */
static struct bgp_attrs *
route_of(const uint8_t *b, size_t n, struct bgp_pol_route *rt)
{
	static uint32_t path[600], comm[64], lcomm[48];
	struct bgp_attrs fx = { 0 };
	struct bgp_attrs_var var = { 0 };
	size_t i = 0;
	uint8_t k;

#define BYTE() ((uint8_t)be(b, n, &i, 1))
	memset(rt, 0, sizeof(*rt));
	rt->addr = be(b, n, &i, 4);
	rt->len = BYTE() % 33;
	rt->addr &= rt->len ? 0xffffffffu << (32 - rt->len) : 0;
	rt->dir = BYTE() & 1 ? BGP_POL_EXPORT : BGP_POL_IMPORT;
	rt->peer_as = 12076u + (BYTE() & 3);
	rt->local_as = 65001;
	rt->self_nh = 0xc0a86481;
	fx.has = be(b, n, &i, 2);
	fx.has &= BGP_HAS(BGP_ATTR_ORIGIN) | BGP_HAS(BGP_ATTR_NEXT_HOP) |
	    BGP_HAS(BGP_ATTR_MED) | BGP_HAS(BGP_ATTR_LOCAL_PREF);
	fx.has |= BGP_HAS(BGP_ATTR_AS_PATH);
	fx.next_hop = be(b, n, &i, 4);
	fx.origin = BYTE() % 3;
	fx.med = BYTE();
	fx.local_pref = BYTE();
	/* segments: type, count, then 2-byte ASNs */
	for (int seg = BYTE() % 4; seg > 0; seg--) {
		uint8_t t = 1 + BYTE() % 4;

		k = 1 + BYTE() % 40;
		path[var.path_len++] = BGP_SEG(t, k);
		for (uint8_t j = 0; j < k; j++)
			path[var.path_len++] = be(b, n, &i, 2);
	}
	var.path = path;
	k = BYTE() % 16;
	for (uint8_t j = 0; j < k; j++)
		comm[j] = be(b, n, &i, 4);
	var.comm = comm;
	var.n_comm = k;
	if (k)
		fx.has |= BGP_HAS(BGP_ATTR_COMMUNITIES);
	k = BYTE() % 4;
	for (uint8_t j = 0; j < 3 * k; j++)
		lcomm[j] = BYTE() % 4;
	var.lcomm = lcomm;
	var.n_lcomm = k;
	if (k)
		fx.has |= BGP_HAS(BGP_ATTR_LARGE_COMM);
#undef BYTE
	return bgp_attrs_new(&fx, &var);
}

static void
check_result(const struct bgp_attrs *in, const struct bgp_pol_result *r,
    size_t nrules)
{
	struct bgp_attrs_var v;
	const struct bgp_attrs *a = r->attrs;

	if (r->rule < -1 || r->rule >= (int)nrules)
		abort();
	if (a == NULL)
		return;
	if (r->verdict != BGP_POL_ACCEPT || bgp_attrs_equal(a, in))
		abort();
	bgp_attrs_var(a, &v);
	if (!bgp_path_valid(v.path, v.path_len))
		abort();
	/* route_of keeps the bits and the arrays in step; so must actions */
	if (!!(a->has & BGP_HAS(BGP_ATTR_COMMUNITIES)) != (v.n_comm > 0) ||
	    !!(a->has & BGP_HAS(BGP_ATTR_LARGE_COMM)) != (v.n_lcomm > 0))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *zero = memchr(data, 0, size);
	size_t tlen = zero ? (size_t)(zero - data) : size;
	char *text = malloc(tlen + 1), *line, *save = NULL;
	struct bgp_polset *s = bgp_polset_new();
	struct bgp_plist *pl = bgp_plist_new(s, "l");
	struct bgp_policy *p = bgp_policy_new(s, "p");
	struct bgp_re *res[8];
	size_t nre = 0, nlines = 0;
	struct bgp_pol_route rt;
	struct bgp_pol_result r1, r2;
	struct bgp_pol_err err;
	struct bgp_attrs *in, *copy;
	char why1[256], why2[256], ptext[8000];
	struct bgp_attrs_var v;

	memcpy(text, data, tlen);
	text[tlen] = '\0';
	bgp_plist_add_str(pl, "permit 10.0.0.0/8 le 24", NULL);
	for (line = strtok_r(text, "\n", &save); line != NULL &&
	    nlines < MAX_LINES; line = strtok_r(NULL, "\n", &save), nlines++) {
		const char *rest = line + 1;

		memset(&err, 0, sizeof(err));
		switch (line[0]) {
		case 'p':
			check_err(bgp_plist_add_str(pl, rest, &err), rest, &err);
			break;
		case 'r':
			bgp_policy_rule(p, rest[0] ? rest : NULL);
			break;
		case 'm':
			check_err(bgp_policy_match(p, rest, &err), rest, &err);
			break;
		case 'a':
			check_err(bgp_policy_action(p, rest, &err), rest, &err);
			break;
		case 'd':
			check_err(bgp_policy_default_str(p, rest, &err), rest,
			    &err);
			break;
		case 'x':
			if (nre < 8) {
				res[nre] = bgp_re_compile(rest, &err);
				if (res[nre] != NULL)
					nre++;
				else
					check_err(-1, rest, &err);
			}
			break;
		default:
			check_err(bgp_policy_match(p, line, &err), line, &err);
			memset(&err, 0, sizeof(err));
			check_err(bgp_policy_action(p, line, &err), line, &err);
			break;
		}
	}
	in = route_of(zero ? zero + 1 : data, zero ? size - tlen - 1 : 0, &rt);
	copy = bgp_attrs_dup(in);
	bgp_policy_eval(p, &rt, in, &r1, why1, sizeof(why1));
	bgp_policy_eval(p, &rt, in, &r2, why2, 1 + size % sizeof(why2));
	if (!bgp_attrs_equal(in, copy) || r1.verdict != r2.verdict ||
	    r1.rule != r2.rule || (r1.attrs == NULL) != (r2.attrs == NULL) ||
	    (r1.attrs != NULL && !bgp_attrs_equal(r1.attrs, r2.attrs)) ||
	    strlen(why2) > size % sizeof(why2) ||
	    strncmp(why1, why2, strlen(why2)) != 0)
		abort();
	check_result(in, &r1, bgp_policy_rules(p));
	bgp_attrs_var(in, &v);
	bgp_path_text(v.path, v.path_len, ptext, sizeof(ptext));
	for (size_t i = 0; i < nre; i++) {
		(void)bgp_re_match(res[i], ptext);
		bgp_re_free(res[i]);
	}
	free(r1.attrs);
	free(r2.attrs);
	free(in);
	free(copy);
	bgp_polset_free(s);
	free(text);
	return 0;
}
