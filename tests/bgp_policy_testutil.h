/*
 * bgp_policy_testutil.h - what the policy tests share: AS paths written
 * as show commands print them, attribute sets built from them, a route,
 * and evaluation that checks the input set is left as it was.
 */
#ifndef XCSIM_BGP_POLICY_TESTUTIL_H
#define XCSIM_BGP_POLICY_TESTUTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bgp_policy.h"
#include "testutil.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | \
	(uint32_t)(c) << 8 | (uint32_t)(d))
#define COMM(a, v) ((uint32_t)(a) << 16 | (uint32_t)(v))

/* "12076 {31898 64512} (1 2)" into path words; returns the word count */
static inline uint16_t
path_of(const char *s, uint32_t *w)
{
	uint16_t n = 0, seg = 0;
	uint8_t type = 0;
	char *end;

	while (*s != '\0') {
		if (*s == ' ') {
			s++;
			continue;
		}
		if (*s == '{' || *s == '(' || *s == '}' || *s == ')') {
			type = 0;
			if (*s == '{' || *s == '(') {
				type = *s == '{' ? BGP_SEG_SET :
				    BGP_SEG_CONFED_SEQUENCE;
				seg = n;
				w[n++] = BGP_SEG(type, 0);
			}
			s++;
			continue;
		}
		if (type == 0) {
			type = BGP_SEG_SEQUENCE;
			seg = n;
			w[n++] = BGP_SEG(type, 0);
		}
		w[n++] = (uint32_t)strtoul(s, &end, 10);
		s = end;
		w[seg]++;
		if (type == BGP_SEG_SEQUENCE && *s == ' ' && (s[1] == '{' ||
		    s[1] == '('))
			type = 0;
	}
	return n;
}

/* A route's attributes: ORIGIN IGP, the path, NEXT_HOP, communities. */
static inline struct bgp_attrs *
mk(const char *path, const uint32_t *comm, uint16_t nc,
    const uint32_t *lc, uint16_t nl, uint32_t nh)
{
	uint32_t w[512];
	struct bgp_attrs fx = { 0 };
	struct bgp_attrs_var var = { 0 };

	fx.has = BGP_HAS(BGP_ATTR_ORIGIN) | BGP_HAS(BGP_ATTR_AS_PATH) |
	    BGP_HAS(BGP_ATTR_NEXT_HOP) |
	    (nc ? BGP_HAS(BGP_ATTR_COMMUNITIES) : 0) |
	    (nl ? BGP_HAS(BGP_ATTR_LARGE_COMM) : 0);
	fx.next_hop = nh;
	fx.origin = BGP_ORIGIN_IGP;
	var.path = w;
	var.path_len = path_of(path, w);
	var.comm = comm;
	var.n_comm = nc;
	var.lcomm = lc;
	var.n_lcomm = nl;
	return bgp_attrs_new(&fx, &var);
}

static const struct bgp_pol_route rt0 = {
	.addr = IP(10, 1, 0, 0), .len = 16, .dir = BGP_POL_EXPORT,
	.peer_as = 12076, .local_as = 65001, .self_nh = IP(192, 168, 100, 129),
};

/* Evaluate and check that in was not touched. */
static inline enum bgp_pol_verdict
eval(struct bgp_policy *p, const struct bgp_pol_route *rt,
    const struct bgp_attrs *in, struct bgp_pol_result *res, char *why,
    size_t len)
{
	struct bgp_attrs *copy = bgp_attrs_dup(in);
	enum bgp_pol_verdict v = bgp_policy_eval(p, rt, in, res, why, len);

	CU_ASSERT(bgp_attrs_equal(copy, in));
	CU_ASSERT_EQUAL(v, res->verdict);
	free(copy);
	return v;
}

static inline char *
path_str(const struct bgp_attrs *a, char *buf, size_t cap)
{
	struct bgp_attrs_var var;

	bgp_attrs_var(a, &var);
	bgp_path_text(var.path, var.path_len, buf, cap);
	return buf;
}

static inline uint32_t
lcg(uint32_t *x)
{
	*x = *x * 1103515245u + 12345u;
	return *x >> 8;
}

#endif
