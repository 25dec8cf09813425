/*
 * bgp_intern.c - interned attribute sets: a chained hash table of
 * refcounted copies, each one allocation (header, then the set).
 */
#include <stdlib.h>
#include <string.h>

#include "bgp_intern.h"
#include "util.h"

struct ient {
	struct ient *next;	/* bucket chain */
	uint32_t hash;
	uint32_t refs;
	struct bgp_nh_cache nh;
	uint32_t size;		/* of the whole allocation */
	/* the set follows, 8-aligned (sizeof is a multiple of 8) */
};

_Static_assert(sizeof(struct ient) % 8 == 0, "the set after a header stays aligned");

struct bgp_intern {
	struct ient **bucket;
	size_t cap;		/* a power of two */
	size_t n;
	size_t mem;
};

static struct ient *
ient_of(const struct bgp_attrs *ia)
{
	/* the set sits right after its header: give the header back */
	return (struct ient *)(void *)((char *)(uintptr_t)ia -
	    sizeof(struct ient));
}

static struct bgp_attrs *
attrs_of(struct ient *e)
{
	return (struct bgp_attrs *)(void *)(e + 1);
}

struct bgp_intern *
bgp_intern_new(void)
{
	struct bgp_intern *it = xcalloc(1, sizeof(*it));

	it->cap = 256;
	it->bucket = xcalloc(it->cap, sizeof(*it->bucket));
	it->mem = sizeof(*it) + it->cap * sizeof(*it->bucket);
	return it;
}

void
bgp_intern_free(struct bgp_intern *it)
{
	if (it == NULL)
		return;
	SIM_ASSERT(it->n == 0, "bgp_intern_free: %zu sets still referenced",
	    it->n);
	free(it->bucket);
	free(it);
}

static void
grow(struct bgp_intern *it)
{
	size_t cap = it->cap * 2, i;
	struct ient **b = xcalloc(cap, sizeof(*b));

	for (i = 0; i < it->cap; i++) {
		struct ient *e = it->bucket[i], *next;

		for (; e != NULL; e = next) {
			next = e->next;
			e->next = b[e->hash & (cap - 1)];
			b[e->hash & (cap - 1)] = e;
		}
	}
	free(it->bucket);
	it->mem += (cap - it->cap) * sizeof(*b);
	it->bucket = b;
	it->cap = cap;
}

static struct ient *
find(const struct bgp_intern *it, const struct bgp_attrs *a, uint32_t h)
{
	struct ient *e = it->bucket[h & (it->cap - 1)];

	for (; e != NULL; e = e->next)
		if (e->hash == h && bgp_attrs_equal(attrs_of(e), a))
			return e;
	return NULL;
}

const struct bgp_attrs *
bgp_intern_get(struct bgp_intern *it, const struct bgp_attrs *a)
{
	uint32_t h = bgp_attrs_hash(a);
	struct ient *e = find(it, a, h);
	size_t sz;

	if (e != NULL) {
		e->refs++;
		return attrs_of(e);
	}
	if (it->n >= it->cap)
		grow(it);
	sz = sizeof(*e) + bgp_attrs_size(a);
	e = xmalloc(sz);
	memset(e, 0, sizeof(*e));
	memcpy(attrs_of(e), a, bgp_attrs_size(a));
	e->hash = h;
	e->refs = 1;
	e->size = (uint32_t)sz;
	e->next = it->bucket[h & (it->cap - 1)];
	it->bucket[h & (it->cap - 1)] = e;
	it->n++;
	it->mem += sz;
	return attrs_of(e);
}

const struct bgp_attrs *
bgp_intern_take(struct bgp_intern *it, struct bgp_attrs *a)
{
	const struct bgp_attrs *ia = bgp_intern_get(it, a);

	free(a);
	return ia;
}

void
bgp_intern_ref(const struct bgp_attrs *ia)
{
	struct ient *e = ient_of(ia);

	SIM_ASSERT(e->refs > 0 && e->refs < UINT32_MAX,
	    "bgp_intern_ref: bad count %u", e->refs);
	e->refs++;
}

void
bgp_intern_put(struct bgp_intern *it, const struct bgp_attrs *ia)
{
	struct ient *e, **pp;

	if (ia == NULL)
		return;
	e = ient_of(ia);
	SIM_ASSERT(e->refs > 0, "bgp_intern_put: set already freed");
	if (--e->refs > 0)
		return;
	for (pp = &it->bucket[e->hash & (it->cap - 1)]; *pp != e;
	    pp = &(*pp)->next)
		SIM_ASSERT(*pp != NULL, "bgp_intern_put: set not interned here");
	*pp = e->next;
	it->n--;
	it->mem -= e->size;
	free(e);
}

uint32_t
bgp_intern_refs(const struct bgp_attrs *ia)
{
	return ient_of(ia)->refs;
}

size_t
bgp_intern_count(const struct bgp_intern *it)
{
	return it->n;
}

size_t
bgp_intern_memory(const struct bgp_intern *it)
{
	return it->mem;
}

struct bgp_nh_cache *
bgp_intern_nh(const struct bgp_attrs *ia)
{
	return &ient_of(ia)->nh;
}
