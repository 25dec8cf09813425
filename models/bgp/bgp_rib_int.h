/*
 * bgp_rib_int.h - the storage of the BGP tables, shared by bgp_rib.c
 * (prefixes, candidates, decision, change feed) and bgp_rib_out.c
 * (Adj-RIB-Outs, walks, explanations). Nothing else includes it.
 */
#ifndef XCSIM_BGP_RIB_INT_H
#define XCSIM_BGP_RIB_INT_H

#include "bgp_rib.h"

#define NONE 0u			/* index 0 of each pool is unused */
#define DEST_FREE 0xffu

/* One route of one peer for one prefix: 32 bytes. */
struct path {
	const struct bgp_attrs *a;	/* interned; NULL: a free record */
	uint32_t dest;
	uint32_t next;		/* next candidate of dest, decision order;
				   for a free record, the next free */
	uint32_t pprev, pnext;	/* the peer's routes */
	uint32_t stamp;		/* arrival order (oldest-route rule) */
	uint16_t peer;
	uint16_t flags;		/* PATH_STALE */
};
#define PATH_STALE 1u

/* A prefix: 12 bytes. */
struct dest {
	uint32_t prefix;
	uint32_t head;		/* best candidate; for a free dest, next free */
	uint8_t len;		/* DEST_FREE: a free record */
	uint8_t n_mp;		/* the first n_mp candidates: multipath set */
	uint8_t pad_[2];
};

/*
 * A slot of the prefix table: the dest and its prefix, so that a probe
 * past other prefixes compares in the slot and does not fetch their
 * records; d NONE: empty.
 */
struct bgp_dslot {
	uint32_t prefix;
	uint32_t d;
};

/* An Adj-RIB-Out entry; len 0xff marks an empty slot. */
struct outent {
	const struct bgp_attrs *a;
	uint32_t prefix;
	uint8_t len;
};
#define OUT_EMPTY 0xffu

struct peer {
	struct bgp_peer_info info;
	bool used, ebgp;
	uint32_t head, tail;	/* its routes, in arrival order */
	size_t n_in;
	struct outent *out;	/* open addressing; NULL until used */
	uint32_t out_cap;
	size_t n_out;
};

struct listener {
	bgp_change_fn fn;
	void *ctx;
	bool all;		/* also the decisions that changed no best */
};

struct bgp_rib {
	struct bgp_rib_config cfg;
	struct bgp_intern *it;
	bgp_nh_fn nh_fn;
	void *nh_ctx;
	uint32_t nh_gen;	/* resolver generation, never 0 */
	bgp_prefetch_fn pf_fn;	/* the change feed's installer's hint */
	void *pf_ctx;

	struct dest *dest;	/* pool; dest[0] unused */
	uint32_t dest_cap, dest_used, dest_free;
	size_t n_dest;
	struct bgp_dslot *dhash;	/* open addressing on (prefix, len) */
	uint32_t dhash_cap;	/* a power of two, at most half full */

	struct path *path;	/* pool; path[0] unused */
	uint32_t path_cap, path_used, path_free;
	size_t n_path;
	uint32_t stamp;

	struct peer *peer;	/* by id; peer[0]: this speaker */
	uint32_t peer_cap, n_peer;

	struct listener *ls;
	size_t n_ls, ls_cap;
	size_t n_ls_all;	/* of them, added with bgp_rib_add_listener_all */
	uint64_t n_changes;

	/* scratch for one decision */
	struct bgp_cand *cand;
	uint16_t *order;
	uint32_t *cidx;
	uint32_t cand_cap;
	struct bgp_route old[BGP_MAX_PATHS], cur[BGP_MAX_PATHS];

	size_t mem;		/* bytes of everything above but the outs */
	size_t out_mem;
};

void *bgp_grow(struct bgp_rib *br, void *p, uint32_t *cap, uint32_t need,
    size_t elem);
uint32_t bgp_dest_find(const struct bgp_rib *br, uint32_t prefix,
    uint8_t len);
void bgp_route_of(struct bgp_rib *br, uint32_t p, struct bgp_route *r);
unsigned bgp_collect(struct bgp_rib *br, uint32_t d);
/* bgp_rib_out.c */
void bgp_out_clear(struct bgp_rib *br, struct peer *pr);

#endif
