/*
 * bgp_rib_testutil.h - what the BGP table tests share: attribute sets
 * written as text ("12076 {1 2} (65010)": a sequence, a set, a
 * confederation sequence), interned in a table, and dotted addresses.
 */
#ifndef XCSIM_BGP_RIB_TESTUTIL_H
#define XCSIM_BGP_RIB_TESTUTIL_H

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bgp_rib.h"

static inline uint32_t
ip(const char *s)
{
	unsigned a, b, c, d;

	if (sscanf(s, "%u.%u.%u.%u", &a, &b, &c, &d) != 4)
		abort();
	return a << 24 | b << 16 | c << 8 | d;
}

/* The words of a path written as text; returns how many. */
static inline uint16_t
path_words(const char *s, uint32_t *w)
{
	uint16_t n = 0, seg = 0;
	uint8_t cur = 0;

	while (*s != '\0') {
		char *e;

		if (isspace((unsigned char)*s)) {
			s++;
			continue;
		}
		if (*s == '{' || *s == '(') {
			cur = *s == '{' ? BGP_SEG_SET : BGP_SEG_CONFED_SEQUENCE;
			seg = n++;
			w[seg] = BGP_SEG(cur, 0);
			s++;
			continue;
		}
		if (*s == '}' || *s == ')') {
			cur = 0;
			s++;
			continue;
		}
		if (cur == 0) {
			cur = BGP_SEG_SEQUENCE;
			seg = n++;
			w[seg] = BGP_SEG(cur, 0);
		}
		w[n++] = (uint32_t)strtoul(s, &e, 10);
		w[seg]++;
		s = e;
	}
	return n;
}

/* A route's attributes: lp/med < 0 for none; cluster: CLUSTER_LIST IDs. */
struct spec {
	const char *path;
	long lp, med;
	uint8_t origin;
	const char *nh;
	unsigned cluster;
};

static inline struct bgp_attrs *
mk_attrs(const struct spec *s)
{
	struct bgp_attrs fixed;
	struct bgp_attrs_var var;
	uint32_t w[64], cl[16];

	memset(&fixed, 0, sizeof(fixed));
	memset(&var, 0, sizeof(var));
	fixed.has = BGP_HAS(BGP_ATTR_ORIGIN) | BGP_HAS(BGP_ATTR_AS_PATH) |
	    BGP_HAS(BGP_ATTR_NEXT_HOP);
	fixed.origin = s->origin;
	fixed.next_hop = ip(s->nh != NULL ? s->nh : "10.0.0.2");
	if (s->lp >= 0) {
		fixed.has |= BGP_HAS(BGP_ATTR_LOCAL_PREF);
		fixed.local_pref = (uint32_t)s->lp;
	}
	if (s->med >= 0) {
		fixed.has |= BGP_HAS(BGP_ATTR_MED);
		fixed.med = (uint32_t)s->med;
	}
	var.path = w;
	var.path_len = path_words(s->path != NULL ? s->path : "", w);
	if (s->cluster > 0) {
		unsigned i;

		for (i = 0; i < s->cluster && i < 16; i++)
			cl[i] = 0x01010101u * (i + 1);
		fixed.has |= BGP_HAS(BGP_ATTR_CLUSTER_LIST);
		var.cluster = cl;
		var.n_cluster = (uint16_t)i;
	}
	return bgp_attrs_new(&fixed, &var);
}

/* Interned in br: the caller owns one reference. */
static inline const struct bgp_attrs *
mk(struct bgp_rib *br, const struct spec *s)
{
	return bgp_intern_take(bgp_rib_intern(br), mk_attrs(s));
}

/* peer's route for prefix with attributes s (the caller's reference dropped) */
static inline int
announce(struct bgp_rib *br, uint16_t peer, const char *prefix, uint8_t len,
    const struct spec *s)
{
	const struct bgp_attrs *ia = mk(br, s);
	int rc = bgp_rib_update(br, peer, ip(prefix), len, ia);

	bgp_intern_put(bgp_rib_intern(br), ia);
	return rc;
}

static inline uint16_t
add_peer(struct bgp_rib *br, const char *addr, uint32_t asn, const char *id,
    uint32_t igp_cost)
{
	struct bgp_peer_info p;

	memset(&p, 0, sizeof(p));
	p.addr = ip(addr);
	p.asn = asn;
	p.bgp_id = ip(id);
	p.igp_cost = igp_cost;
	return bgp_rib_peer_add(br, &p);
}

#endif
