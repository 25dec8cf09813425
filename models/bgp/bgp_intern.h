/*
 * bgp_intern.h - interned BGP attribute sets: one refcounted copy of each
 * distinct struct bgp_attrs, shared by every route that carries it.
 *
 * A full table holds about a million routes but only tens of thousands of
 * distinct attribute sets, so routes point at a shared copy (BIRD's rta,
 * bgpd's rde_aspath). A set is found by bgp_attrs_hash()/bgp_attrs_equal()
 * in an open hash table; lookup-or-insert returns a reference and the last
 * release frees the copy. The reference is the interned set's address, so
 * two routes have the same attributes exactly when their pointers are equal.
 *
 * Each interned set also carries a small cache of what its NEXT_HOP
 * resolves to (reachable, IGP cost), stamped with the resolver generation
 * of its owner (bgp_rib): next hops are resolved once per set, not once per
 * route.
 */
#ifndef XCSIM_BGP_INTERN_H
#define XCSIM_BGP_INTERN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bgp_msg.h"

struct bgp_intern;

struct bgp_intern *bgp_intern_new(void);
/* Every reference must have been released (asserted: a leak is a bug). */
void bgp_intern_free(struct bgp_intern *it);
/*
 * The interned copy of a (a itself is only read and stays the caller's),
 * with one reference for the caller.
 */
const struct bgp_attrs *bgp_intern_get(struct bgp_intern *it,
    const struct bgp_attrs *a);
/* The same, taking ownership of a (freed if an equal set is interned). */
const struct bgp_attrs *bgp_intern_take(struct bgp_intern *it,
    struct bgp_attrs *a);
/* One more reference to an interned set. */
void bgp_intern_ref(const struct bgp_attrs *ia);
/* Drop a reference; the set is freed with its last. NULL is a no-op. */
void bgp_intern_put(struct bgp_intern *it, const struct bgp_attrs *ia);
uint32_t bgp_intern_refs(const struct bgp_attrs *ia);
/* Distinct sets held. */
size_t bgp_intern_count(const struct bgp_intern *it);
/* Bytes allocated: the sets, their headers and the hash table. */
size_t bgp_intern_memory(const struct bgp_intern *it);

/* The next-hop cache of an interned set (see above). */
struct bgp_nh_cache {
	uint32_t gen;		/* resolver generation; 0 = never resolved */
	uint32_t igp_cost;
	bool reachable;
};
struct bgp_nh_cache *bgp_intern_nh(const struct bgp_attrs *ia);

#endif
