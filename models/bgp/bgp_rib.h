/*
 * bgp_rib.h - a BGP speaker's routing tables: the Adj-RIB-In of each peer,
 * the Loc-RIB with its decision, the Adj-RIB-Out of each peer, and the glue
 * that installs the Loc-RIB's best routes in a node's RIB (sim/rib.h).
 *
 * It knows no session and no transport: the speaker (FSM, policy) calls it
 * with what it received after import policy, and hears back, through
 * listeners, every change of a prefix's best route or multipath set, once
 * per change, to update its Adj-RIB-Outs and the node's FIB.
 *
 * Storage follows BIRD's tables: one prefix table (open addressing on
 * (prefix, len)) whose entries head a list of candidate routes, one per
 * peer that sent the prefix; a candidate is a 32-byte record pointing at an
 * interned attribute set (bgp_intern.h). The candidates of the peers are
 * their Adj-RIB-Ins (each peer also threads its own routes, so that a peer
 * going down or a ROUTE-REFRESH walks only its routes); kept in decision
 * order they are the Loc-RIB: the first n_mp form the multipath set, the
 * first is the best. Adj-RIB-Outs are small hash tables per peer of
 * (prefix, len) -> the interned set last advertised.
 *
 * Attribute sets are stored as given: the speaker strips what must not be
 * kept (a LOCAL_PREF from an eBGP peer, RFC 4271 5.1.5) and converts paths
 * from 2-octet peers to their 4-octet view (bgp_attrs_from_as2) first.
 */
#ifndef XCSIM_BGP_RIB_H
#define XCSIM_BGP_RIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "bgp_decide.h"
#include "bgp_intern.h"
#include "bgp_msg.h"

struct bgp_rib;
struct rib;

#define BGP_PEER_LOCAL 0	/* the peer id of locally originated routes */
#define BGP_PEER_MAX 4096u	/* peer ids 1..BGP_PEER_MAX-1 */

/* A peer, as the tables need it. */
struct bgp_peer_info {
	uint32_t addr;		/* the peer's address */
	uint32_t asn;		/* its AS; equal to ours: iBGP */
	uint32_t bgp_id;	/* its BGP identifier (from its OPEN) */
	uint32_t igp_cost;	/* to its next hops when no resolver is set */
	int64_t established;	/* sim time it reached Established (ns) */
	uint32_t local_as;	/* our AS on this session (a local-as
				   override); 0: the table's */
};

struct bgp_rib_config {
	uint32_t local_as;
	uint32_t router_id;
	struct bgp_decide_opts decide;	/* max_paths 0 is taken as 1 */
};

/*
 * Next-hop resolution: whether next_hop is reachable by the node's own
 * routes, and its IGP cost. Called once per distinct attribute set between
 * two bgp_rib_nexthops_changed() calls (the answer is cached in the set).
 */
typedef bool (*bgp_nh_fn)(void *ctx, uint32_t next_hop, uint32_t *igp_cost);

struct bgp_rib *bgp_rib_new(const struct bgp_rib_config *cfg);
/*
 * Frees every table; listeners are not called. Every reference the caller
 * took on the table's interned sets must have been released (asserted).
 */
void bgp_rib_free(struct bgp_rib *br);
const struct bgp_rib_config *bgp_rib_config(const struct bgp_rib *br);
/* The table's interned sets: the speaker interns what it stores with it. */
struct bgp_intern *bgp_rib_intern(struct bgp_rib *br);
/* NULL: every next hop reachable, at the peer's igp_cost. */
void bgp_rib_set_resolver(struct bgp_rib *br, bgp_nh_fn fn, void *ctx);
/*
 * Prefetching across an UPDATE. A received UPDATE carries a few hundred
 * prefixes; each costs a few cache misses in these tables and as many in
 * whatever installs the changes (a node's RIB and FIB), and one prefix's
 * misses depend on one another (a hash slot, then the record it names).
 * Whoever applies a message prefix by prefix (bgp_rib_apply_update, the
 * speaker's import) calls bgp_rib_prefetch_ahead before applying v[i]: it
 * runs step 0 of the prefetch for v[i + BGP_PREFETCH_AHEAD], step 1 for
 * the prefix BGP_PREFETCH_GAP before it, and so on, so that each prefix's
 * lines are in cache when its turn comes and the misses of the next several
 * prefixes overlap instead of following one another. The changes are still
 * applied, decided and reported one prefix at a time, in order: the
 * prefetch changes nothing but timing.
 *
 * bgp_rib_prefetch runs one step for one prefix: step 0 starts fetching
 * its slot in the prefix table, step k reads what step k-1 fetched and
 * starts fetching the next (the prefix record, its first candidate). It
 * passes each step on to the hook set with bgp_rib_set_prefetch, for the
 * consumer of the change feed that installs the changes somewhere (the
 * node glue: rib_prefetch); NULL removes it.
 */
#define BGP_PREFETCH_AHEAD 8
#define BGP_PREFETCH_GAP 2
#define BGP_PREFETCH_STEPS 3	/* steps 0..2 */
typedef void (*bgp_prefetch_fn)(void *ctx, uint32_t prefix, uint8_t len,
    unsigned step);
void bgp_rib_set_prefetch(struct bgp_rib *br, bgp_prefetch_fn fn, void *ctx);
void bgp_rib_prefetch(const struct bgp_rib *br, uint32_t prefix, uint8_t len,
    unsigned step);
/* The steps due before v[i] of v[0..n) is applied (all at once for i 0). */
void bgp_rib_prefetch_ahead(const struct bgp_rib *br,
    const struct bgp_prefix4 *v, size_t n, size_t i);
/*
 * The node's routes changed (an interface, a static or IGP route): resolve
 * every next hop again and decide every prefix again, reporting changes.
 */
void bgp_rib_nexthops_changed(struct bgp_rib *br);

/* ---- peers ---- */

/* A new peer (copied); returns its id (1..), or 0 if BGP_PEER_MAX are used. */
uint16_t bgp_rib_peer_add(struct bgp_rib *br, const struct bgp_peer_info *p);
/*
 * The peer's session came up again with its routes kept (graceful restart):
 * its new BGP Identifier, established time and the rest (copied; the
 * address stays its id's). With a new established time its routes count
 * as arrived now (the oldest-eBGP rule). Every prefix it has a route for
 * is decided again, changes reported. 0, or -1 if no such peer.
 */
int bgp_rib_peer_update(struct bgp_rib *br, uint16_t peer,
    const struct bgp_peer_info *p);
/*
 * The peer's session went down: its Adj-RIB-In is withdrawn route by route
 * (changes reported) and its Adj-RIB-Out emptied; the id is freed.
 */
void bgp_rib_peer_remove(struct bgp_rib *br, uint16_t peer);
/*
 * Graceful restart helper (RFC 4724 4.2) and enhanced route refresh
 * (RFC 7313 4): mark every route of the peer stale (they stay in use); a
 * route the peer sends again, even unchanged, is fresh again; after its
 * End-of-RIB (or EoRR) sweep withdraws those still stale (changes
 * reported). Each returns how many routes it marked or withdrew.
 */
size_t bgp_rib_peer_mark_stale(struct bgp_rib *br, uint16_t peer);
size_t bgp_rib_peer_sweep_stale(struct bgp_rib *br, uint16_t peer);
/* NULL if no such peer (BGP_PEER_LOCAL describes this speaker). */
const struct bgp_peer_info *bgp_rib_peer(const struct bgp_rib *br,
    uint16_t peer);
bool bgp_rib_peer_ebgp(const struct bgp_rib *br, uint16_t peer);

/* ---- Adj-RIB-In and Loc-RIB ---- */

/*
 * Store ia (interned in bgp_rib_intern(br); the table takes its own
 * reference) as peer's route for prefix/len, replacing the one it had (an
 * implicit withdraw), and decide the prefix again. peer BGP_PEER_LOCAL
 * originates the route (a network statement, redistribution). Returns 1 if
 * the route is new, 0 if it replaced one (or was the same), -1 if invalid
 * (no such peer, len > 32, host bits set).
 */
int bgp_rib_update(struct bgp_rib *br, uint16_t peer, uint32_t prefix,
    uint8_t len, const struct bgp_attrs *ia);
/* Withdraw peer's route; 0, or -1 if it had none. */
int bgp_rib_withdraw(struct bgp_rib *br, uint16_t peer, uint32_t prefix,
    uint8_t len);
/*
 * A whole decoded UPDATE from peer with no import policy in between: its
 * withdrawals (both kinds), then its NLRI (both kinds) with its attributes,
 * interned once. Returns the prefixes announced.
 */
size_t bgp_rib_apply_update(struct bgp_rib *br, uint16_t peer,
    const struct bgp_update *u);

/* The peer's route for prefix/len in its Adj-RIB-In (borrowed), or NULL. */
const struct bgp_attrs *bgp_rib_in_get(const struct bgp_rib *br,
    uint16_t peer, uint32_t prefix, uint8_t len);
size_t bgp_rib_in_count(const struct bgp_rib *br, uint16_t peer);
typedef void (*bgp_in_walk_fn)(uint32_t prefix, uint8_t len,
    const struct bgp_attrs *ia, void *ctx);
/* The peer's routes, oldest first; the table must not change meanwhile. */
void bgp_rib_in_walk(const struct bgp_rib *br, uint16_t peer,
    bgp_in_walk_fn fn, void *ctx);

/* A route of the Loc-RIB, as listeners and walkers see it (borrowed). */
struct bgp_route {
	uint16_t peer;
	bool ebgp;
	const struct bgp_attrs *a;	/* interned */
	uint32_t igp_cost;
};

enum bgp_change_kind { BGP_CH_ADDED, BGP_CH_CHANGED, BGP_CH_WITHDRAWN };
extern const char *const bgp_change_name[3];

/*
 * A prefix whose best route or multipath set changed: paths[0] is the
 * best, paths[0..n_paths) the multipath set; n_paths is 0 when withdrawn.
 * Valid during the call.
 */
struct bgp_change {
	enum bgp_change_kind kind;
	uint32_t prefix;
	uint8_t len;
	unsigned n_paths;
	const struct bgp_route *paths;
};

/* Must not change br. Called in the order added. */
typedef void (*bgp_change_fn)(struct bgp_rib *br, const struct bgp_change *c,
    void *ctx);
void bgp_rib_add_listener(struct bgp_rib *br, bgp_change_fn fn, void *ctx);
/*
 * A listener that also hears every decision that left the multipath set
 * as it was (a losing route came, changed or went: kind BGP_CH_CHANGED,
 * the same paths), for who shows why the best won against the runner-up
 * (bgp_trace.c). Removed with bgp_rib_remove_listener.
 */
void bgp_rib_add_listener_all(struct bgp_rib *br, bgp_change_fn fn,
    void *ctx);
void bgp_rib_remove_listener(struct bgp_rib *br, bgp_change_fn fn, void *ctx);

/* The best route of prefix/len (exact); false if none is usable. */
bool bgp_rib_best(const struct bgp_rib *br, uint32_t prefix, uint8_t len,
    struct bgp_route *out);
typedef void (*bgp_walk_fn)(const struct bgp_change *c, void *ctx);
/* Every prefix with a best route, in (prefix, len) order, kind ADDED. */
void bgp_rib_walk(const struct bgp_rib *br, bgp_walk_fn fn, void *ctx);

/* Every candidate of a prefix with the rule that decided against it. */
struct bgp_explain_route {
	struct bgp_route r;
	uint8_t rule;		/* enum bgp_rule; BGP_RULE_NONE: the best */
	bool multipath;
	unsigned beaten_by;	/* index in the explanation */
	char why[192];		/* "" for the best */
};
struct bgp_explain {
	unsigned n, n_mp;
	struct bgp_explain_route *r;	/* best first, decision order */
};
/* Returns 0, or -1 if no peer has a route for prefix/len. */
int bgp_rib_explain(struct bgp_rib *br, uint32_t prefix, uint8_t len,
    struct bgp_explain *ex);
void bgp_explain_free(struct bgp_explain *ex);
/*
 * The explanation as text, for `xcsim routes` and the viewer:
 *   192.0.2.0/24: 2 routes, 1 in the multipath set
 *     * 10.0.0.1 AS 12076 via 10.0.0.2 path 12076 31898: best
 *       10.0.0.3 AS 65001 via 10.0.0.2 path 65001 12076 31898: AS path 2 < 3 (...)
 * ('*': in the multipath set; "local" for a locally originated route).
 * Returns 0, or -1 (nothing printed) if no peer has a route for it.
 */
int bgp_rib_explain_print(struct bgp_rib *br, uint32_t prefix, uint8_t len,
    FILE *out);

/* ---- Adj-RIB-Out ---- */

/*
 * Record what the speaker is about to advertise to peer for prefix/len:
 * ia (interned; the table keeps a reference), or NULL for a withdrawal.
 * Returns true if it differs from what was last advertised, that is if an
 * UPDATE must go out.
 */
bool bgp_rib_out_set(struct bgp_rib *br, uint16_t peer, uint32_t prefix,
    uint8_t len, const struct bgp_attrs *ia);
const struct bgp_attrs *bgp_rib_out_get(const struct bgp_rib *br,
    uint16_t peer, uint32_t prefix, uint8_t len);
size_t bgp_rib_out_count(const struct bgp_rib *br, uint16_t peer);
/* What was advertised to peer, in (prefix, len) order: ROUTE-REFRESH. */
void bgp_rib_out_walk(const struct bgp_rib *br, uint16_t peer,
    bgp_in_walk_fn fn, void *ctx);

/* ---- accounting ---- */

/* Routes held: every peer's Adj-RIB-In plus the locally originated ones. */
size_t bgp_rib_route_count(const struct bgp_rib *br);
size_t bgp_rib_prefix_count(const struct bgp_rib *br);
/*
 * Bytes allocated for the Adj-RIB-Ins and the Loc-RIB (prefix table,
 * candidates, interned sets, peers); the Adj-RIB-Outs apart.
 */
size_t bgp_rib_memory(const struct bgp_rib *br);
size_t bgp_rib_out_memory(const struct bgp_rib *br);

/* ---- the node's RIB ---- */

/* Administrative distances, as routers use them (lower wins). */
#define BGP_PREF_EBGP 20
#define BGP_PREF_IBGP 200

struct sim;
struct bgp_node_glue;
/*
 * Install the Loc-RIB in a node's table: source (RIB_SRC_MODEL..) is named
 * "bgp" in r, and each prefix with a learned best route gets one route of
 * (source, instance) with preference 20 (eBGP best) or 200 (iBGP best) and
 * the next-hop group of its multipath set, each BGP next hop resolved
 * through r's own routes (on-link: via the next hop on its interface;
 * through a gateway: that gateway's members). Locally originated bests are
 * not installed (the node has the route already). It also sets br's
 * resolver to bgp_node_resolve on r. Prefixes already in br are installed.
 */
struct bgp_node_glue *bgp_node_attach(struct bgp_rib *br, struct rib *r,
    uint8_t source, uint32_t instance);
/*
 * Follow r's changes too: when a best route of another source changes (a
 * static route added or removed, a connected route taken out),
 * every BGP next hop is resolved again and every route installed again,
 * once per instant, from an event at that instant on sim; then done(ctx)
 * (the speaker's export flush). Changes of the glue's own routes are not
 * followed. Once per glue; stopped by bgp_node_detach.
 */
void bgp_node_follow(struct bgp_node_glue *g, struct sim *sim,
    void (*done)(void *), void *ctx);
/* Removes the routes it installed and its listeners. */
void bgp_node_detach(struct bgp_node_glue *g);
/*
 * The resolver on a node's table: reachable if the longest route covering
 * next_hop is not BGP's own (no resolution through BGP routes, so no
 * recursion loop); that route's metric is the IGP cost.
 */
bool bgp_node_resolve(void *glue, uint32_t next_hop, uint32_t *igp_cost);

#endif
