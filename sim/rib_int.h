/*
 * rib_int.h - the routing table's storage, shared by rib.c (prefixes,
 * candidates, the decision, the FIB) and rib_nhg.c (next-hop groups).
 * Nothing else includes it.
 */
#ifndef XCSIM_RIB_INT_H
#define XCSIM_RIB_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rib.h"

#define NONE 0u			/* index 0 of each pool is unused */
#define NHG_NONE UINT32_MAX

struct rt {
	struct rib_route pub;
	uint32_t next;		/* next candidate in decision order */
	uint32_t dest;		/* its prefix */
	uint32_t iprev, inext;	/* routes of its (source, instance) */
};

/* The routes of one (source, instance); n = 0: a free slot. */
struct inst {
	uint32_t instance;
	uint32_t head;		/* a route of it (list order is not meaningful) */
	uint32_t n;
	uint8_t source;
};

struct dest {
	uint32_t prefix;
	uint32_t head;		/* best candidate; for a free dest, next free */
	uint32_t fib_nhg;	/* the group in the FIB (one reference) */
	uint8_t len;
};

/*
 * A slot of the prefix hash: the dest and its prefix, so that a probe
 * past other prefixes compares in the slot and does not fetch their
 * records (an insert at 3/4 load probes several); d NONE: empty.
 */
struct dslot {
	uint32_t prefix;
	uint32_t d;
};

struct listener {
	rib_change_fn fn;
	void *ctx;
};

struct rib {
	struct rib_fwd fwd;	/* the FIB and the groups by id */
	char *name;
	const struct rib_source *src[RIB_SRC_MAX];

	struct dest *dest;	/* pool; dest[0] unused */
	uint32_t dest_cap, dest_used, dest_free;
	struct dslot *dhash;	/* open addressing on (prefix, len) */
	uint32_t dhash_cap;	/* power of two */
	size_t n_dest;

	struct rt *rt;		/* pool; rt[0] unused */
	uint32_t rt_cap, rt_used, rt_free;
	size_t n_rt;
	uint32_t src_routes[RIB_SRC_MAX];	/* routes per source */
	struct inst *inst;	/* open addressing by (source, instance) */
	uint32_t inst_cap, n_inst;	/* cap: a power of two, or 0 */

	uint32_t nhg_cap, nhg_live;	/* fwd.nhg: by id, NULL = free id */
	uint32_t *nhg_freeids;
	uint32_t n_freeids;
	uint32_t *ihash;	/* interning: id + 1, 0 = empty */
	uint32_t ihash_cap;

	struct listener *ls;	/* fn NULL: removed while calling them */
	size_t n_ls;
	bool busy;		/* calling listeners */
	bool ls_dirty;		/* a listener was removed while busy */
	size_t mem;
};

/* rib_nhg.c */
/*
 * Grow an array of elem-sized items to hold at least need of them (zeroed),
 * counting the bytes in r->mem.
 */
void *rib_grow(struct rib *r, void *p, uint32_t *cap, uint32_t need,
    size_t elem, uint32_t first);
/* Sort (by ifindex, via) and drop duplicates; returns the new count. */
uint32_t rib_nh_canon(struct rib_nh *nh, uint32_t n);
/* Intern canonical members; returns the id with one new reference. */
uint32_t rib_nhg_intern(struct rib *r, const struct rib_nh *nh, uint32_t n);
bool rib_nhg_valid(const struct rib *r, uint32_t id);
/* Free every group and the tables that find them. */
void rib_nhg_free_all(struct rib *r);

#endif
