/*
 * rib_nhg.c - next-hop groups: interned sets of (via, ifindex) shared by
 * every route and FIB entry that uses them, found by id for forwarding and
 * by a hash of their members for interning, freed with their last
 * reference. Ids are reused lowest first, so they stay dense.
 */
#include <stdlib.h>
#include <string.h>

#include "rib_int.h"
#include "util.h"

/*
 * Grow an array of elem-sized items to hold at least need of them, by half
 * again: at a million routes, doubling would leave a third of the pools idle.
 */
void *
rib_grow(struct rib *r, void *p, uint32_t *cap, uint32_t need,
    size_t elem, uint32_t first)
{
	uint32_t c = *cap ? *cap : first;

	while (c < need) {
		SIM_ASSERT(c < UINT32_MAX / 3 * 2, "rib: table too large");
		c += c / 2;
	}
	if (c == *cap)
		return p;
	p = xrealloc(p, (size_t)c * elem);
	memset((char *)p + (size_t)*cap * elem, 0, (size_t)(c - *cap) * elem);
	r->mem += (size_t)(c - *cap) * elem;
	*cap = c;
	return p;
}

static uint32_t
nhg_hash(const struct rib_nh *nh, uint32_t n)
{
	uint64_t x = n;
	uint32_t i;

	for (i = 0; i < n; i++) {
		x ^= ((uint64_t)nh[i].via << 32 | nh[i].ifindex);
		x *= 0x9e3779b97f4a7c15ULL;
		x ^= x >> 29;
	}
	return (uint32_t)(x >> 32);
}

static int
nh_cmp(const struct rib_nh *a, const struct rib_nh *b)
{
	if (a->ifindex != b->ifindex)
		return a->ifindex < b->ifindex ? -1 : 1;
	if (a->via != b->via)
		return a->via < b->via ? -1 : 1;
	return 0;
}

/* Insertion sort: groups are small. */
uint32_t
rib_nh_canon(struct rib_nh *nh, uint32_t n)
{
	uint32_t i, j, k;

	for (i = 1; i < n; i++) {
		struct rib_nh x = nh[i];

		for (j = i; j > 0 && nh_cmp(&nh[j - 1], &x) > 0; j--)
			nh[j] = nh[j - 1];
		nh[j] = x;
	}
	for (i = k = 0; i < n; i++)
		if (k == 0 || nh_cmp(&nh[k - 1], &nh[i]) != 0)
			nh[k++] = nh[i];
	return k;
}

static size_t
nhg_size(uint32_t n)
{
	return sizeof(struct rib_nhg) + (size_t)n * sizeof(struct rib_nh);
}

static void
ihash_put(struct rib *r, uint32_t id)
{
	uint32_t m = r->ihash_cap - 1, i = r->fwd.nhg[id]->hash & m;

	while (r->ihash[i] != 0)
		i = (i + 1) & m;
	r->ihash[i] = id + 1;
}

static void
ihash_grow(struct rib *r)
{
	uint32_t old = r->ihash_cap, i;

	if ((r->nhg_live + 1) * 2 <= r->ihash_cap)
		return;
	free(r->ihash);
	r->mem -= (size_t)old * sizeof(*r->ihash);
	r->ihash_cap = old ? old * 2 : 16;
	r->ihash = xcalloc(r->ihash_cap, sizeof(*r->ihash));
	r->mem += (size_t)r->ihash_cap * sizeof(*r->ihash);
	for (i = 0; i < r->nhg_cap; i++)
		if (r->fwd.nhg[i] != NULL)
			ihash_put(r, i);
}

/* Remove id from the interning table (backward-shift deletion). */
static void
ihash_del(struct rib *r, uint32_t id)
{
	uint32_t m = r->ihash_cap - 1, i = r->fwd.nhg[id]->hash & m, j;

	while (r->ihash[i] != id + 1)
		i = (i + 1) & m;
	for (j = (i + 1) & m; r->ihash[j] != 0; j = (j + 1) & m) {
		uint32_t home = r->fwd.nhg[r->ihash[j] - 1]->hash & m;

		/* Move j into the hole at i unless its home lies in (i, j]. */
		if (((j - home) & m) >= ((j - i) & m)) {
			r->ihash[i] = r->ihash[j];
			i = j;
		}
	}
	r->ihash[i] = 0;
}

uint32_t
rib_nhg_intern(struct rib *r, const struct rib_nh *nh, uint32_t n)
{
	uint32_t h = nhg_hash(nh, n), id, i, m;
	struct rib_nhg *g;

	if (r->ihash_cap > 0) {
		m = r->ihash_cap - 1;
		for (i = h & m; r->ihash[i] != 0; i = (i + 1) & m) {
			g = r->fwd.nhg[r->ihash[i] - 1];
			if (g->hash == h && g->n == n &&
			    memcmp(g->nh, nh, n * sizeof(*nh)) == 0) {
				g->refs++;
				return g->id;
			}
		}
	}
	ihash_grow(r);
	if (r->n_freeids > 0) {
		id = r->nhg_freeids[--r->n_freeids];
	} else {
		id = r->nhg_cap;
		r->fwd.nhg = rib_grow(r, r->fwd.nhg, &r->nhg_cap, id + 1, sizeof(*r->fwd.nhg),
		    8);
		/* Room for every id to be freed at once; the new ones are
		 * pushed highest first so that ids are taken in order. */
		r->nhg_freeids = xrealloc(r->nhg_freeids,
		    (size_t)r->nhg_cap * sizeof(*r->nhg_freeids));
		for (i = r->nhg_cap - 1; i > id; i--)
			r->nhg_freeids[r->n_freeids++] = i;
	}
	g = xmalloc(nhg_size(n));
	r->mem += nhg_size(n);
	g->id = id;
	g->refs = 1;
	g->hash = h;
	g->n = n;
	memcpy(g->nh, nh, n * sizeof(*nh));
	r->fwd.nhg[id] = g;
	r->nhg_live++;
	ihash_put(r, id);
	return id;
}

uint32_t
rib_nhg_get(struct rib *r, const struct rib_nh *nh, size_t n)
{
	struct rib_nh c[RIB_NHG_MAX];

	if (n == 0 || n > RIB_NHG_MAX)
		return NHG_NONE;
	/*
	 * One member is canonical as it is (and a memcpy of it would be a
	 * `rep movsq`, slow to start): a route's commonest group.
	 */
	if (n == 1)
		return rib_nhg_intern(r, nh, 1);
	memcpy(c, nh, n * sizeof(*nh));
	return rib_nhg_intern(r, c, rib_nh_canon(c, (uint32_t)n));
}

bool
rib_nhg_valid(const struct rib *r, uint32_t id)
{
	return id < r->nhg_cap && r->fwd.nhg[id] != NULL;
}

void
rib_nhg_put(struct rib *r, uint32_t id)
{
	struct rib_nhg *g;

	SIM_ASSERT(rib_nhg_valid(r, id), "rib %s: no next-hop group %u", r->name,
	    id);
	g = r->fwd.nhg[id];
	if (--g->refs > 0)
		return;
	ihash_del(r, id);
	r->fwd.nhg[id] = NULL;
	r->nhg_freeids[r->n_freeids++] = id;
	r->nhg_live--;
	r->mem -= nhg_size(g->n);
	free(g);
}

const struct rib_nhg *
rib_nhg(const struct rib *r, uint32_t id)
{
	return rib_nhg_valid(r, id) ? r->fwd.nhg[id] : NULL;
}

size_t
rib_nhg_count(const struct rib *r)
{
	return r->nhg_live;
}

void
rib_nhg_free_all(struct rib *r)
{
	uint32_t i;

	for (i = 0; i < r->nhg_cap; i++)
		free(r->fwd.nhg[i]);
	free(r->fwd.nhg);
	free(r->nhg_freeids);
	free(r->ihash);
}
