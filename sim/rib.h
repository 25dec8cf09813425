/*
 * rib.h - a routing table (RIB) for one VRF, and the FIB derived from it.
 *
 * The RIB holds every candidate route of every prefix: one per (source,
 * instance), where the source says who installed it (connected, static, or a
 * model's protocol) and the instance tells apart several routes of one
 * source (a BGP peer; rib_del_instance takes all of one peer's routes out
 * at once). Each candidate has an administrative preference (lower wins,
 * like a distance), a metric, an opaque attribute pointer owned by its
 * source, and a next-hop group. The best candidate of a prefix, and
 * with a multipath source the candidates equal to it, make the prefix's FIB
 * entry: prefix -> next-hop group. The FIB is updated incrementally on every
 * change that moves it, and every change of a prefix's best route is reported
 * to the table's listeners (the trace, a protocol redistributing routes).
 *
 * Next-hop groups are interned: one group per distinct set of (via, ifindex)
 * members, shared by every route using it and freed with its last
 * reference. Forwarding picks a member with a deterministic flow hash, so a
 * flow stays on one path and distinct flows spread over the members.
 *
 * Nothing here knows a protocol: a model gives its source a name and,
 * optionally, a comparison (its decision process) with rib_set_source.
 */
#ifndef XCSIM_RIB_H
#define XCSIM_RIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fib.h"

struct rib;

/*
 * Sources known to sim/; models take ids from RIB_SRC_MODEL up: the first
 * eight (BGP's and other models' fixed ids) by number, the rest through a
 * node's named sources (node_route_source in net.h).
 */
enum {
	RIB_SRC_CONNECTED = 0,
	RIB_SRC_STATIC = 1,
	RIB_SRC_MODEL = 2,
	RIB_SRC_NAMED = RIB_SRC_MODEL + 8,	/* node_route_source's */
	RIB_SRC_MAX = 32
};

/* Default preferences of the built-in sources (lower wins). */
#define RIB_PREF_CONNECTED 0
#define RIB_PREF_STATIC 1

#define RIB_NHG_MAX 64		/* members of one next-hop group */

/*
 * Special next hops: ifindex values from RIB_IF_SPECIAL up are not
 * interfaces. RIB_IF_DROP is a blackhole: forwarding drops the packet
 * (DROP_BLACKHOLE) without an ICMP error. RIB_IF_TABLE(vrf) looks the
 * destination up again in another VRF of the same node (its via is
 * ignored, 0); a packet takes at most one such step, a second is a drop
 * (DROP_NO_ROUTE), so two tables pointing at each other cannot loop.
 * Groups sort members by ifindex, so specials come after every interface
 * and a group whose first member is special has only special members.
 * IFACE_NONE (net.h, UINT32_MAX) is neither.
 */
#define RIB_IF_SPECIAL 0xfe000000u
#define RIB_IF_DROP 0xfffffffeu
#define RIB_IF_TABLE(vrf) (RIB_IF_SPECIAL | ((uint32_t)(vrf) & 0xffffffu))
#define RIB_IF_IS_TABLE(ifx) (((uint32_t)(ifx) >> 24) == 0xfeu)
#define RIB_IF_TABLE_VRF(ifx) ((uint32_t)(ifx) & 0xffffffu)

struct rib_nh {
	uint32_t via;		/* 0 = on-link */
	uint32_t ifindex;	/* an interface, or RIB_IF_DROP / RIB_IF_TABLE */
};

/* A next-hop group: members sorted by (ifindex, via), no duplicates. */
struct rib_nhg {
	uint32_t id;
	uint32_t refs;
	uint32_t hash;		/* of the members, for interning */
	uint32_t n;
	struct rib_nh nh[];
};

/* One candidate route of a prefix. */
struct rib_route {
	uint8_t source;
	uint16_t pref;
	uint32_t instance;
	uint32_t metric;
	uint32_t nhg;		/* next-hop group id */
	const void *attr;	/* the source's (BGP path attributes); the
				   table only keeps and compares the pointer */
};

/*
 * The decision between candidates: lower preference, then lower source id,
 * then (two routes of one source) the source's comparison, lower metric,
 * lower instance. Metrics of different sources are never compared.
 *
 * A source's comparison of two of its routes for one prefix (called only when
 * their preferences are equal): < 0 if a is better, > 0 if b is, 0 if equally
 * good (then the metric decides, and equal routes of a multipath source share
 * the load). It must be a consistent order. When why is not NULL and the
 * result is not 0, it writes the reason ("higher local preference 200 >
 * 100").
 */
typedef int (*rib_cmp_fn)(const struct rib_route *a, const struct rib_route *b,
    char *why, size_t whylen);

struct rib_source {
	const char *name;
	rib_cmp_fn cmp;		/* NULL: the metric decides */
	bool multipath;		/* equal best routes form one FIB group */
	/*
	 * A route's attributes in words, for route queries ("AS path 12076
	 * 31898, local pref 100", "Virtual network gateway"); NULL: none.
	 */
	void (*describe)(const struct rib_route *rt, char *buf, size_t len);
};

enum rib_change_kind { RIB_ADDED, RIB_CHANGED, RIB_WITHDRAWN };

/*
 * A change of a prefix's best route. best and nhg (the FIB's group, the
 * union of the multipath routes' groups) are NULL when withdrawn; they are
 * valid during the callback only.
 */
struct rib_change {
	enum rib_change_kind kind;
	uint32_t prefix;
	uint8_t len;
	const struct rib_route *best;
	const struct rib_nhg *nhg;
};

/* Must not change the table it is called for. */
typedef void (*rib_change_fn)(struct rib *r, const struct rib_change *c,
    void *ctx);

struct rib *rib_new(const char *name);
void rib_free(struct rib *r);
const char *rib_name(const struct rib *r);
/* rt's attributes in words (its source's describe), "" if none; buf. */
const char *rib_describe(const struct rib *r, const struct rib_route *rt,
    char *buf, size_t len);
/*
 * Give a source id (RIB_SRC_MODEL .. RIB_SRC_MAX-1) its name and decision
 * process; s is borrowed and must outlive the table. The source must have
 * no route in the table yet (its routes are kept in its decision order).
 */
void rib_set_source(struct rib *r, uint8_t source, const struct rib_source *s);
/* The source's name ("connected", "static", a model's, or "source N"). */
const char *rib_source_name(const struct rib *r, uint8_t source, char *buf,
    size_t len);
/*
 * Listeners are called in the order they were added. A listener may add
 * and remove listeners, itself included: one added during a change hears
 * the next change, one removed is not called again (not even for the
 * change under way). Remove a listener before its ctx is freed; removing
 * one that is not there is a no-op.
 */
void rib_add_listener(struct rib *r, rib_change_fn fn, void *ctx);
void rib_remove_listener(struct rib *r, rib_change_fn fn, void *ctx);

/*
 * The group of these members (sorted and deduplicated here), created if
 * needed, with one reference for the caller. Returns its id, or UINT32_MAX
 * if n is 0 or above RIB_NHG_MAX.
 */
uint32_t rib_nhg_get(struct rib *r, const struct rib_nh *nh, size_t n);
/* Drop a reference; the group is freed with its last. */
void rib_nhg_put(struct rib *r, uint32_t id);
const struct rib_nhg *rib_nhg(const struct rib *r, uint32_t id);
/* Live groups (for tests: every group is freed with its last user). */
size_t rib_nhg_count(const struct rib *r);

/*
 * Add rt for prefix/len, replacing the route of the same (source, instance).
 * The table takes its own reference on rt->nhg. Returns 1 if it replaced a
 * route, 0 if new, -1 if invalid (host bits set, len > 32, no such group,
 * source out of range).
 */
int rib_add(struct rib *r, uint32_t prefix, uint8_t len,
    const struct rib_route *rt);
/*
 * A hint that prefix/len is about to be added or removed, as one stage of
 * a pipeline (fib_prefetch_step): step 0 starts fetching the prefix's hash
 * slot and the FIB's first line, each step k < RIB_PREFETCH_STEPS reads
 * what step k-1 fetched and starts fetching the next (the prefix's record,
 * its best route; the FIB's path to its node). A caller that knows the
 * next several changes (the prefixes of one BGP UPDATE) runs the steps for
 * each a few changes ahead, so that their cache misses overlap instead of
 * following one another. Changes nothing.
 */
#define RIB_PREFETCH_STEPS FIB_PREFETCH_STEPS
void rib_prefetch(const struct rib *r, uint32_t prefix, uint8_t len,
    unsigned step);
/* Remove the route of (source, instance) for prefix/len; 0, or -1 if absent. */
int rib_del(struct rib *r, uint32_t prefix, uint8_t len, uint8_t source,
    uint32_t instance);
/*
 * Remove every route of (source, instance) at once, as when a BGP peer goes
 * down. Routes are indexed by (source, instance), so the cost grows with
 * the routes removed (n log n to order them), not with the table. Each
 * change of a best route is reported as rib_del would report it, prefixes
 * in (prefix, len) order (rib_walk's): the same calls, in the same order,
 * as rib_del of each of those routes in that order. Returns how many
 * routes were removed (0 if none).
 */
size_t rib_del_instance(struct rib *r, uint8_t source, uint32_t instance);
/* The routes of (source, instance) in the table: O(1). */
size_t rib_instance_count(const struct rib *r, uint8_t source,
    uint32_t instance);
/* The best route of prefix/len (exact match); false if none. */
bool rib_best(const struct rib *r, uint32_t prefix, uint8_t len,
    struct rib_route *out);
size_t rib_prefix_count(const struct rib *r);
size_t rib_route_count(const struct rib *r);
/* Bytes allocated by the table, its FIB and groups included. */
size_t rib_memory(const struct rib *r);
/* The FIB (prefix -> group id), for lookups. */
const struct fib *rib_fib(const struct rib *r);

/* Longest-prefix match: the FIB's group for addr, or NULL. */
const struct rib_nhg *rib_lookup(const struct rib *r, uint32_t addr);

/*
 * The forwarding view of a table: its FIB and its groups by id. The view's
 * address is fixed for the table's life (its fields are not), so forwarding
 * keeps it and inlines the lookup: one FIB lookup and one load.
 */
struct rib_fwd {
	struct fib *fib;
	struct rib_nhg **nhg;
};

const struct rib_fwd *rib_fwd(const struct rib *r);

static inline const struct rib_nhg *
rib_fwd_lookup(const struct rib_fwd *f, uint32_t addr)
{
	uint32_t id;

	if (!fib_lookup(f->fib, addr, &id, NULL))
		return NULL;
	return f->nhg[id];
}

/*
 * A flow's hash, from its 5-tuple (ports 0 where there are none) and a
 * per-router seed (so that routers in a row do not all split alike).
 */
static inline uint32_t
rib_flow_hash(uint32_t seed, uint32_t src, uint32_t dst, uint8_t proto,
    uint16_t sport, uint16_t dport)
{
	uint64_t x = ((uint64_t)src << 32 | dst) ^
	    ((uint64_t)seed * 0x9e3779b97f4a7c15ULL);

	x ^= ((uint64_t)sport << 24 | (uint64_t)dport << 8 | proto) *
	    0xc2b2ae3d27d4eb4fULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return (uint32_t)((x ^ (x >> 31)) >> 32);
}

/* The member a flow of this hash takes (hash-threshold, RFC 2992). */
static inline const struct rib_nh *
rib_nh_pick(const struct rib_nhg *g, uint32_t hash)
{
	return &g->nh[((uint64_t)hash * g->n) >> 32];
}

typedef void (*rib_walk_fn)(uint32_t prefix, uint8_t len,
    const struct rib_route *best, const struct rib_nhg *nhg, void *ctx);
/* Visit every prefix's best route and FIB group in (prefix, len) order. */
void rib_walk(const struct rib *r, rib_walk_fn fn, void *ctx);

/*
 * Every candidate for prefix/len, best first in decision order; the first
 * n_multipath of them make the FIB group. why says why the best one won over
 * the next ("lower preference 0 < 1 (connected over static)").
 */
struct rib_explain {
	size_t n;
	size_t n_multipath;
	struct rib_route *cand;
	char why[192];
};
/* Returns 0, or -1 if the prefix has no route; free with rib_explain_free. */
int rib_explain(const struct rib *r, uint32_t prefix, uint8_t len,
    struct rib_explain *ex);
void rib_explain_free(struct rib_explain *ex);

#endif
