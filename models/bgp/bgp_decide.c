/*
 * bgp_decide.c - the decision process: elimination rule by rule (RFC 4271
 * 9.1.2.2), so the result does not depend on the order of the candidates
 * even though the MED rule is not a total order, then the tie-breaks, which
 * are, as a sort.
 */
#include <stdio.h>
#include <string.h>

#include "bgp_decide.h"

const char *const bgp_rule_name[BGP_RULE_MAX] = {
	[BGP_RULE_NONE] = "best",
	[BGP_RULE_NEXTHOP] = "next hop unreachable",
	[BGP_RULE_LOCAL_PREF] = "local preference",
	[BGP_RULE_LOCAL_ORIGIN] = "locally originated",
	[BGP_RULE_AS_PATH] = "AS path length",
	[BGP_RULE_ORIGIN] = "origin",
	[BGP_RULE_MED] = "MED",
	[BGP_RULE_EBGP] = "eBGP over iBGP",
	[BGP_RULE_IGP_COST] = "IGP cost",
	[BGP_RULE_OLDEST] = "oldest eBGP route",
	[BGP_RULE_ROUTER_ID] = "router id",
	[BGP_RULE_CLUSTER_LIST] = "cluster list length",
	[BGP_RULE_PEER_ADDR] = "peer address",
	[BGP_RULE_PEER_ID] = "peer id",
};

#define DEAD_MARK 0x8000u	/* in beaten_by while deciding: not alive */

uint32_t
bgp_neighbor_as(const struct bgp_attrs *a)
{
	/* RFC 4271 9.1.2.2 c: the first AS of the path's first sequence */
	if (a == NULL || !(a->has & BGP_HAS(BGP_ATTR_AS_PATH)) ||
	    a->path_len < 2 || BGP_SEG_TYPE(a->v[0]) != BGP_SEG_SEQUENCE ||
	    BGP_SEG_N(a->v[0]) == 0)
		return 0;
	return a->v[1];
}

unsigned
bgp_cluster_len(const struct bgp_attrs *a)
{
	return a != NULL ? a->n_cluster : 0;
}

/* RFC 4456 9: a reflected route's ORIGINATOR_ID stands for the peer's id. */
static uint32_t
router_id(const struct bgp_cand *c)
{
	return (c->a->has & BGP_HAS(BGP_ATTR_ORIGINATOR_ID)) ?
	    bgp_attrs_originator(c->a) : c->bgp_id;
}

static uint32_t
local_pref(const struct bgp_cand *c, const struct bgp_decide_opts *o)
{
	return (c->a->has & BGP_HAS(BGP_ATTR_LOCAL_PREF)) ? c->a->local_pref :
	    o->default_local_pref;
}

static uint32_t
med(const struct bgp_cand *c)
{
	/* RFC 4271 9.1.2.2 c: a missing MED is the lowest value */
	return (c->a->has & BGP_HAS(BGP_ATTR_MED)) ? c->a->med : 0;
}

static unsigned
path_count(const struct bgp_cand *c)
{
	return bgp_path_count(c->a->v, c->a->path_len);
}

/* The value a rule compares; lower is better. */
static uint64_t
key(const struct bgp_cand *c, enum bgp_rule r, const struct bgp_decide_opts *o)
{
	switch (r) {
	case BGP_RULE_NEXTHOP:
		return c->reachable ? 0 : 1;
	case BGP_RULE_LOCAL_PREF:
		return UINT32_MAX - (uint64_t)local_pref(c, o);
	case BGP_RULE_LOCAL_ORIGIN:
		return c->peer == 0 ? 0 : 1;
	case BGP_RULE_AS_PATH:
		return path_count(c);
	case BGP_RULE_ORIGIN:
		return c->a->origin;
	case BGP_RULE_MED:
		return med(c);
	case BGP_RULE_EBGP:
		return c->ebgp ? 0 : 1;
	case BGP_RULE_IGP_COST:
		return c->igp_cost;
	case BGP_RULE_OLDEST:
		return o->oldest_ebgp && c->ebgp ? c->stamp : 0;
	case BGP_RULE_ROUTER_ID:
		return router_id(c);
	case BGP_RULE_CLUSTER_LIST:
		return bgp_cluster_len(c->a);
	case BGP_RULE_PEER_ADDR:
		return c->peer_addr;
	case BGP_RULE_PEER_ID:
		return c->peer;
	case BGP_RULE_NONE:
	case BGP_RULE_MAX:
		break;
	}
	return 0;
}

static bool
alive(const struct bgp_cand *c)
{
	return !(c->beaten_by & DEAD_MARK);
}

static void
kill(struct bgp_cand *c, enum bgp_rule r, unsigned by)
{
	c->rule = (uint8_t)r;
	c->beaten_by = (uint16_t)(by | DEAD_MARK);
}

/* Keep the routes with the lowest key of rule r. */
static void
eliminate(struct bgp_cand *c, unsigned n, enum bgp_rule r,
    const struct bgp_decide_opts *o)
{
	uint64_t best = UINT64_MAX, k;
	unsigned i, by = 0;

	for (i = 0; i < n; i++)
		if (alive(&c[i]) && (k = key(&c[i], r, o)) < best) {
			best = k;
			by = i;
		}
	for (i = 0; i < n; i++)
		if (alive(&c[i]) && key(&c[i], r, o) != best)
			kill(&c[i], r, by);
}

/* RFC 4271 9.1.2.2 c: MED only between routes of one neighbour AS. */
static void
eliminate_med(struct bgp_cand *c, unsigned n, const struct bgp_decide_opts *o)
{
	uint16_t by[n];
	unsigned i, j;

	for (i = 0; i < n; i++) {
		uint32_t nas = bgp_neighbor_as(c[i].a);

		by[i] = UINT16_MAX;
		if (!alive(&c[i]))
			continue;
		for (j = 0; j < n; j++)
			if (j != i && alive(&c[j]) &&
			    (o->always_compare_med ||
			    bgp_neighbor_as(c[j].a) == nas) &&
			    med(&c[j]) < med(&c[i]) &&
			    (by[i] == UINT16_MAX || med(&c[j]) < med(&c[by[i]])))
				by[i] = (uint16_t)j;
	}
	for (i = 0; i < n; i++)
		if (by[i] != UINT16_MAX)
			kill(&c[i], BGP_RULE_MED, by[i]);
}

/* The tie-breaks after the IGP cost: a total order. */
static enum bgp_rule
tiebreak(const struct bgp_cand *a, const struct bgp_cand *b,
    const struct bgp_decide_opts *o, int *cmp)
{
	enum bgp_rule r;

	for (r = BGP_RULE_OLDEST; r <= BGP_RULE_PEER_ID; r++) {
		uint64_t ka = key(a, r, o), kb = key(b, r, o);

		if (ka != kb) {
			*cmp = ka < kb ? -1 : 1;
			return r;
		}
	}
	*cmp = 0;
	return BGP_RULE_NONE;
}

/*
 * Two candidates, the common case of a prefix heard from two peers: rule by
 * rule as a comparison, which is what the elimination comes to for two
 * (test_bgp_decide checks that they agree).
 */
static unsigned
decide2(struct bgp_cand *c, const struct bgp_decide_opts *o, uint16_t *order)
{
	enum bgp_rule r, rule = BGP_RULE_NONE;
	unsigned w = 2, n_mp = 1;
	int cmp;

	for (r = BGP_RULE_NEXTHOP; r <= BGP_RULE_IGP_COST && w == 2; r++) {
		uint64_t k0, k1;

		if (r == BGP_RULE_MED && !o->always_compare_med &&
		    bgp_neighbor_as(c[0].a) != bgp_neighbor_as(c[1].a))
			continue;
		k0 = key(&c[0], r, o);
		k1 = key(&c[1], r, o);
		if (k0 != k1) {
			w = k0 < k1 ? 0 : 1;
			rule = r;
		}
	}
	if (w == 2) {
		/* equally good down to the IGP cost: multipath material */
		rule = tiebreak(&c[0], &c[1], o, &cmp);
		w = cmp <= 0 ? 0 : 1;
		if (o->max_paths >= 2 &&
		    bgp_neighbor_as(c[0].a) == bgp_neighbor_as(c[1].a)) {
			c[1 - w].multipath = true;
			n_mp = 2;
		}
	}
	c[w].multipath = true;
	c[1 - w].rule = (uint8_t)rule;
	c[1 - w].beaten_by = (uint16_t)w;
	order[0] = (uint16_t)w;
	order[1] = (uint16_t)(1 - w);
	return n_mp;
}

unsigned
bgp_decide(struct bgp_cand *c, unsigned n, const struct bgp_decide_opts *o,
    uint16_t *order)
{
	unsigned i, j, n_s = 0, n_mp = 0, best;
	enum bgp_rule r;
	uint32_t nas;

	for (i = 0; i < n; i++) {
		c[i].rule = BGP_RULE_NONE;
		c[i].multipath = false;
		c[i].beaten_by = 0;
	}
	for (i = 0; i < n && !c[i].reachable; i++)
		;
	if (i == n) {
		/* nothing usable: every route lost on its next hop */
		for (i = 0; i < n; i++) {
			c[i].rule = BGP_RULE_NEXTHOP;
			c[i].beaten_by = (uint16_t)i;
			order[i] = (uint16_t)i;
		}
		return 0;
	}
	if (n == 2)
		return decide2(c, o, order);
	for (r = BGP_RULE_NEXTHOP; r <= BGP_RULE_IGP_COST; r++) {
		if (r == BGP_RULE_MED)
			eliminate_med(c, n, o);
		else
			eliminate(c, n, r, o);
	}
	/* the survivors in tie-break order, insertion-sorted */
	for (i = 0; i < n; i++) {
		int cmp;

		if (!alive(&c[i]))
			continue;
		for (j = n_s; j > 0; j--) {
			tiebreak(&c[order[j - 1]], &c[i], o, &cmp);
			if (cmp <= 0)
				break;
			order[j] = order[j - 1];
		}
		order[j] = (uint16_t)i;
		n_s++;
	}
	if (n_s > 0) {
		best = order[0];
		nas = bgp_neighbor_as(c[best].a);
		for (i = 0; i < n_s; i++) {
			struct bgp_cand *x = &c[order[i]];
			int cmp;

			if (i > 0) {
				x->rule = (uint8_t)tiebreak(&c[best], x, o,
				    &cmp);
				x->beaten_by = (uint16_t)best;
			}
			if (n_mp < o->max_paths &&
			    bgp_neighbor_as(x->a) == nas) {
				x->multipath = true;
				/* the multipath set first, in order */
				memmove(order + n_mp + 1, order + n_mp,
				    (i - n_mp) * sizeof(*order));
				order[n_mp++] = (uint16_t)(x - c);
			}
		}
	}
	/* then the losers, those that lasted longer first */
	j = n_s;
	for (r = BGP_RULE_IGP_COST; r >= BGP_RULE_NEXTHOP; r--)
		for (i = 0; i < n; i++)
			if (!alive(&c[i]) && c[i].rule == r)
				order[j++] = (uint16_t)i;
	for (i = 0; i < n; i++)
		c[i].beaten_by &= (uint16_t)~DEAD_MARK;
	return n_mp;
}

static char *
ip_str(uint32_t a, char *buf)
{
	snprintf(buf, 16, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255,
	    (a >> 8) & 255, a & 255);
	return buf;
}

static const char *const origin_name[] = { "IGP", "EGP", "INCOMPLETE" };

static const char *
origin_str(uint8_t o)
{
	return o < 3 ? origin_name[o] : "?";
}

char *
bgp_decide_why(const struct bgp_cand *w, const struct bgp_cand *l,
    enum bgp_rule rule, const struct bgp_decide_opts *o, char *buf,
    size_t len)
{
	char pa[128], pb[128], ia[16], ib[16];

	switch (rule) {
	case BGP_RULE_NEXTHOP:
		snprintf(buf, len, "next hop %s unreachable",
		    ip_str(l->a->next_hop, ia));
		break;
	case BGP_RULE_LOCAL_PREF:
		snprintf(buf, len, "local preference %u > %u",
		    local_pref(w, o), local_pref(l, o));
		break;
	case BGP_RULE_LOCAL_ORIGIN:
		snprintf(buf, len, "locally originated over learned from %s",
		    ip_str(l->peer_addr, ia));
		break;
	case BGP_RULE_AS_PATH:
		bgp_path_str(w->a->v, w->a->path_len, pa, sizeof(pa));
		bgp_path_str(l->a->v, l->a->path_len, pb, sizeof(pb));
		snprintf(buf, len, "AS path %u < %u (%s vs %s)", path_count(w),
		    path_count(l), pa, pb);
		break;
	case BGP_RULE_ORIGIN:
		snprintf(buf, len, "origin %s < %s", origin_str(w->a->origin),
		    origin_str(l->a->origin));
		break;
	case BGP_RULE_MED:
		if (o->always_compare_med)
			snprintf(buf, len, "MED %u < %u (always-compare-med)",
			    med(w), med(l));
		else
			snprintf(buf, len, "MED %u < %u (neighbour AS %u)",
			    med(w), med(l), bgp_neighbor_as(l->a));
		break;
	case BGP_RULE_EBGP:
		snprintf(buf, len, "eBGP over iBGP");
		break;
	case BGP_RULE_IGP_COST:
		snprintf(buf, len, "IGP cost %u < %u", w->igp_cost,
		    l->igp_cost);
		break;
	case BGP_RULE_OLDEST:
		snprintf(buf, len, "older eBGP route (arrival %u < %u)",
		    w->stamp, l->stamp);
		break;
	case BGP_RULE_ROUTER_ID:
		snprintf(buf, len, "router id %s < %s", ip_str(router_id(w), ia),
		    ip_str(router_id(l), ib));
		break;
	case BGP_RULE_CLUSTER_LIST:
		snprintf(buf, len, "cluster list %u < %u", bgp_cluster_len(w->a),
		    bgp_cluster_len(l->a));
		break;
	case BGP_RULE_PEER_ADDR:
		snprintf(buf, len, "peer address %s < %s",
		    ip_str(w->peer_addr, ia), ip_str(l->peer_addr, ib));
		break;
	case BGP_RULE_PEER_ID:
		snprintf(buf, len, "peer id %u < %u", w->peer, l->peer);
		break;
	case BGP_RULE_NONE:
	case BGP_RULE_MAX:
		snprintf(buf, len, "best");
		break;
	}
	return buf;
}
