/*
 * fib.h - an IPv4 forwarding table with longest-prefix match.
 *
 * Maps prefixes to an opaque 32-bit value (for a node's tables, the id of
 * the next-hop group that rib.c derives from the best route). One fib per
 * VRF, owned by its RIB. Lookups stay fast at 100,000 routes and more and
 * never allocate; adds and deletes may. Nothing here knows what the value
 * means.
 */
#ifndef XCSIM_FIB_H
#define XCSIM_FIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fib;

struct fib *fib_new(void);
void fib_free(struct fib *f);

/*
 * Insert or replace prefix/len -> value (host-order prefix, host bits must be
 * zero, len 0..32). Returns 1 if it replaced a route, 0 if new, -1 if invalid.
 */
int fib_add(struct fib *f, uint32_t prefix, uint8_t len, uint32_t value);
/*
 * A hint that prefix/len is about to be added or removed: starts fetching
 * what that will touch, so that the caller's own cache misses (a RIB's
 * prefix lookup) overlap with the table's. Changes nothing.
 */
void fib_prefetch(const struct fib *f, uint32_t prefix, uint8_t len);
/*
 * The same, as one stage of a pipeline: step 0 starts fetching the first
 * line the change will need that may not be in cache, step k reads what
 * step k-1 fetched (so it stalls only if that has not arrived yet) and
 * starts fetching the next. A caller that knows the next changes calls
 * step 0 for the prefix several changes ahead, then steps 1, 2, ... for it
 * on the following changes: with FIB_PREFETCH_STEPS steps a /24's node is
 * in cache when its change comes, and no step waited long. Changes nothing.
 */
#define FIB_PREFETCH_STEPS 3
void fib_prefetch_step(const struct fib *f, uint32_t prefix, uint8_t len,
    unsigned step);
/* Remove prefix/len; returns 0, or -1 if absent. */
int fib_del(struct fib *f, uint32_t prefix, uint8_t len);
/* Exact-match lookup of a route. */
bool fib_get(const struct fib *f, uint32_t prefix, uint8_t len,
    uint32_t *value);
/*
 * Longest-prefix match for addr. Returns true and sets *value (and *len if
 * len is not NULL) when a route covers addr.
 */
bool fib_lookup(const struct fib *f, uint32_t addr, uint32_t *value,
    uint8_t *len);
size_t fib_count(const struct fib *f);
/* Bytes this table has allocated (its own accounting, for benchmarks). */
size_t fib_memory(const struct fib *f);

typedef void (*fib_walk_fn)(uint32_t prefix, uint8_t len, uint32_t value,
    void *ctx);
/* Visit every route in (prefix, len) order. */
void fib_walk(const struct fib *f, fib_walk_fn fn, void *ctx);

#endif
