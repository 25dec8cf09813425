/*
 * bgp_decide.h - the BGP decision process (RFC 4271 9.1.2) over the
 * candidates of one prefix, with the reason each loser lost.
 *
 * The rules, in order (each one only among the routes still in the race,
 * as RFC 4271 9.1.2.2 eliminates them):
 *   1. the next hop is reachable (the node's RIB says, through a resolver)
 *   2. highest LOCAL_PREF (a route without one counts the default, 100)
 *   3. locally originated over learned
 *   4. shortest AS_PATH (a set counts 1, confederation segments 0)
 *   5. lowest ORIGIN (IGP < EGP < INCOMPLETE)
 *   6. lowest MED among routes from the same neighbour AS (the first AS of
 *      the path; every route with always-compare-med); no MED counts 0
 *   7. eBGP-learned over iBGP-learned
 *   8. lowest IGP cost to the next hop
 *   9. oldest eBGP route (the one received first), when enabled
 *  10. lowest BGP identifier of the peer, or the route's ORIGINATOR_ID
 *      when it has one (RFC 4456 9)
 *  11. shortest CLUSTER_LIST (none counts 0)
 *  12. lowest peer address
 * and, as a last resort that only a test can reach, the lower peer id.
 *
 * The routes left after rule 8 are equally good for forwarding: the best
 * and those of them from the same neighbour AS as the best, from other
 * peers, up to max_paths, form the multipath set (ECMP).
 */
#ifndef XCSIM_BGP_DECIDE_H
#define XCSIM_BGP_DECIDE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bgp_msg.h"

enum bgp_rule {
	BGP_RULE_NONE = 0,	/* not decided against: the best */
	BGP_RULE_NEXTHOP,
	BGP_RULE_LOCAL_PREF,
	BGP_RULE_LOCAL_ORIGIN,
	BGP_RULE_AS_PATH,
	BGP_RULE_ORIGIN,
	BGP_RULE_MED,
	BGP_RULE_EBGP,
	BGP_RULE_IGP_COST,
	BGP_RULE_OLDEST,
	BGP_RULE_ROUTER_ID,
	BGP_RULE_CLUSTER_LIST,
	BGP_RULE_PEER_ADDR,
	BGP_RULE_PEER_ID,
	BGP_RULE_MAX
};
/* "local preference", "AS path", ... */
extern const char *const bgp_rule_name[BGP_RULE_MAX];

#define BGP_LOCAL_PREF_DEFAULT 100u
#define BGP_MAX_PATHS 64u	/* RIB_NHG_MAX */

struct bgp_decide_opts {
	uint32_t default_local_pref;	/* 100 */
	bool always_compare_med;
	bool oldest_ebgp;		/* rule 9 */
	unsigned max_paths;		/* 1 = no multipath; at most 64 */
};

/* One candidate route, as the decision sees it. */
struct bgp_cand {
	const struct bgp_attrs *a;
	uint32_t peer_addr;
	uint32_t bgp_id;
	uint32_t stamp;		/* arrival order: lower is older */
	uint32_t igp_cost;
	uint16_t peer;		/* peer id; 0 = locally originated */
	bool ebgp;
	bool reachable;
	/* set by bgp_decide: */
	uint8_t rule;		/* enum bgp_rule that decided against it */
	bool multipath;		/* in the multipath set (the best is) */
	uint16_t beaten_by;	/* index of the route it lost to */
};

/*
 * Decide between c[0..n): fills each candidate's rule, multipath and
 * beaten_by, and order[0..n) with the indexes best first, then the rest of
 * the multipath set, then the losers (those that went further in the race
 * first). Returns the size of the multipath set: 0 if no candidate is
 * usable (none has a reachable next hop), else 1..max_paths.
 */
unsigned bgp_decide(struct bgp_cand *c, unsigned n,
    const struct bgp_decide_opts *o, uint16_t *order);

/*
 * Why loser lost to winner under rule, in words, the winner's value first:
 * "AS path 2 < 3 (12076 31898 vs 65001 12076 31898)", "local preference
 * 200 > 100". Always NUL-terminated. Returns buf.
 */
char *bgp_decide_why(const struct bgp_cand *winner,
    const struct bgp_cand *loser, enum bgp_rule rule,
    const struct bgp_decide_opts *o, char *buf, size_t len);

/* Helpers the decision uses, for the speaker and the tests. */
uint32_t bgp_neighbor_as(const struct bgp_attrs *a);
/* CLUSTER_LIST length in ids (0: none). */
unsigned bgp_cluster_len(const struct bgp_attrs *a);

#endif
