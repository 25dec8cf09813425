/*
 * rib.c - candidates per prefix, the decision between them, and the FIB
 * they feed; the next-hop groups are rib_nhg.c's.
 *
 * Storage is sized for a million routes: a prefix (struct dest, 16 bytes) and
 * a candidate (struct rt, 40 bytes) live in index-linked pools, and an open
 * addressing table finds a prefix's dest (a slot holds the prefix and the
 * dest's index, so probing past other prefixes reads no dest). A prefix's
 * candidates form a list kept in decision order, so the best is its head and
 * an update costs one walk of a list that is rarely longer than three. The
 * ordered walk and longest-prefix match are the FIB's (fib.c), whose value is
 * a group id, so forwarding costs a FIB lookup and one array load.
 *
 * Every candidate is also on the doubly linked list of its (source,
 * instance), whose head a small open addressing table keeps: a BGP peer that
 * goes down takes its routes out in time proportional to their number, not
 * to the table's. That costs 12 bytes per candidate (its dest and the two
 * links, 8 once padding is counted).
 *
 * The decision, between two candidates of one prefix: lower preference; then
 * lower source id; then, between routes of one source, the source's own
 * comparison if it has one, lower metric and lower instance. Metrics of two
 * sources mean different things and are never compared; comparing them
 * would also make the order cyclic (a source's decision may rank a higher
 * metric first). As long as each source's comparison is a consistent order,
 * this is a total order on the (source, instance) keys, so the result never
 * depends on the order routes were added in.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rib.h"
#include "rib_int.h"
#include "util.h"

static const struct rib_source src_connected = { "connected", NULL, false,
    NULL };
static const struct rib_source src_static = { "static", NULL, false, NULL };

static uint32_t
netmask(unsigned len)
{
	return len == 0 ? 0 : ~0u << (32 - len);
}

/* --- prefixes --- */

static uint32_t
dkey(uint32_t prefix, uint8_t len, uint32_t cap)
{
	uint64_t x = ((uint64_t)prefix << 8 | len) * 0x9e3779b97f4a7c15ULL;

	return (uint32_t)(x >> 32) & (cap - 1);
}

static uint32_t
dest_find(const struct rib *r, uint32_t prefix, uint8_t len)
{
	uint32_t m, i, d;

	if (r->dhash_cap == 0)
		return NONE;
	m = r->dhash_cap - 1;
	for (i = dkey(prefix, len, r->dhash_cap); (d = r->dhash[i].d) != NONE;
	    i = (i + 1) & m)
		if (r->dhash[i].prefix == prefix && r->dest[d].len == len)
			return d;
	return NONE;
}

static void
dhash_put(struct rib *r, uint32_t d)
{
	uint32_t m = r->dhash_cap - 1;
	uint32_t i = dkey(r->dest[d].prefix, r->dest[d].len, r->dhash_cap);

	while (r->dhash[i].d != NONE)
		i = (i + 1) & m;
	r->dhash[i].prefix = r->dest[d].prefix;
	r->dhash[i].d = d;
}

static uint32_t
dest_new(struct rib *r, uint32_t prefix, uint8_t len)
{
	uint32_t d, i, old = r->dhash_cap;

	/* Keep the load at or under 3/4. */
	if ((r->n_dest + 1) * 4 > (size_t)r->dhash_cap * 3) {
		struct dslot *prev = r->dhash;

		r->dhash_cap = old ? old * 2 : 16;
		r->dhash = xcalloc(r->dhash_cap, sizeof(*r->dhash));
		r->mem += (size_t)(r->dhash_cap - old) * sizeof(*r->dhash);
		for (i = 0; i < old; i++)
			if (prev[i].d != NONE)
				dhash_put(r, prev[i].d);
		free(prev);
	}
	if (r->dest_free != NONE) {
		d = r->dest_free;
		r->dest_free = r->dest[d].head;
	} else {
		d = r->dest_used++;
		r->dest = rib_grow(r, r->dest, &r->dest_cap, r->dest_used,
		    sizeof(*r->dest), 8);
	}
	r->dest[d] = (struct dest){ .prefix = prefix, .len = len,
	    .head = NONE, .fib_nhg = NHG_NONE };
	dhash_put(r, d);
	r->n_dest++;
	return d;
}

static void
dest_release(struct rib *r, uint32_t d)
{
	uint32_t m = r->dhash_cap - 1, i, j;

	i = dkey(r->dest[d].prefix, r->dest[d].len, r->dhash_cap);
	while (r->dhash[i].d != d)
		i = (i + 1) & m;
	for (j = (i + 1) & m; r->dhash[j].d != NONE; j = (j + 1) & m) {
		uint32_t k = r->dhash[j].d;
		uint32_t home = dkey(r->dhash[j].prefix, r->dest[k].len,
		    r->dhash_cap);

		if (((j - home) & m) >= ((j - i) & m)) {
			r->dhash[i] = r->dhash[j];
			i = j;
		}
	}
	r->dhash[i].d = NONE;
	r->dest[d].head = r->dest_free;
	r->dest_free = d;
	r->n_dest--;
}

static uint32_t
rt_new(struct rib *r)
{
	uint32_t i;

	if (r->rt_free != NONE) {
		i = r->rt_free;
		r->rt_free = r->rt[i].next;
	} else {
		i = r->rt_used++;
		r->rt = rib_grow(r, r->rt, &r->rt_cap, r->rt_used, sizeof(*r->rt),
		    8);
	}
	r->n_rt++;
	return i;
}

static void
rt_release(struct rib *r, uint32_t i)
{
	r->rt[i].next = r->rt_free;
	r->rt_free = i;
	r->n_rt--;
}

/* --- routes by (source, instance) --- */

static uint32_t
inst_home(uint8_t source, uint32_t instance, uint32_t cap)
{
	uint64_t x = ((uint64_t)source << 32 | instance) *
	    0x9e3779b97f4a7c15ULL;

	return (uint32_t)(x >> 32) & (cap - 1);
}

/* The slot of (source, instance), or NULL if it has no route. */
static struct inst *
inst_find(const struct rib *r, uint8_t source, uint32_t instance)
{
	uint32_t m, i;

	if (r->inst_cap == 0)
		return NULL;
	m = r->inst_cap - 1;
	for (i = inst_home(source, instance, r->inst_cap); r->inst[i].n != 0;
	    i = (i + 1) & m)
		if (r->inst[i].source == source &&
		    r->inst[i].instance == instance)
			return &r->inst[i];
	return NULL;
}

/* The first free slot from (source, instance)'s home. */
static struct inst *
inst_slot(struct rib *r, uint8_t source, uint32_t instance)
{
	uint32_t m = r->inst_cap - 1, i = inst_home(source, instance,
	    r->inst_cap);

	while (r->inst[i].n != 0)
		i = (i + 1) & m;
	return &r->inst[i];
}

/* Put route i at the head of its (source, instance)'s list. */
static void
inst_link(struct rib *r, uint32_t i)
{
	const struct rib_route *rt = &r->rt[i].pub;
	struct inst *s = inst_find(r, rt->source, rt->instance);

	if (s == NULL) {
		/* Keep the load at or under 1/2: instances come and go. */
		if ((r->n_inst + 1) * 2 > r->inst_cap) {
			struct inst *old = r->inst;
			uint32_t ocap = r->inst_cap, k;

			r->inst_cap = ocap ? ocap * 2 : 8;
			r->inst = xcalloc(r->inst_cap, sizeof(*r->inst));
			r->mem += (size_t)(r->inst_cap - ocap) *
			    sizeof(*r->inst);
			for (k = 0; k < ocap; k++)
				if (old[k].n != 0)
					*inst_slot(r, old[k].source,
					    old[k].instance) = old[k];
			free(old);
		}
		s = inst_slot(r, rt->source, rt->instance);
		*s = (struct inst){ .source = rt->source,
		    .instance = rt->instance, .head = NONE, .n = 0 };
		r->n_inst++;
	}
	r->rt[i].iprev = NONE;
	r->rt[i].inext = s->head;
	if (s->head != NONE)
		r->rt[s->head].iprev = i;
	s->head = i;
	s->n++;
}

/* Take route i off its (source, instance)'s list. */
static void
inst_unlink(struct rib *r, uint32_t i)
{
	const struct rt *x = &r->rt[i];
	struct inst *s = inst_find(r, x->pub.source, x->pub.instance);
	uint32_t m, h, j;

	SIM_ASSERT(s != NULL, "rib %s: route not indexed", r->name);
	if (x->iprev != NONE)
		r->rt[x->iprev].inext = x->inext;
	else
		s->head = x->inext;
	if (x->inext != NONE)
		r->rt[x->inext].iprev = x->iprev;
	if (--s->n > 0)
		return;
	/* The instance's last route: free its slot (backward shift). */
	m = r->inst_cap - 1;
	h = (uint32_t)(s - r->inst);
	for (j = (h + 1) & m; r->inst[j].n != 0; j = (j + 1) & m) {
		uint32_t home = inst_home(r->inst[j].source,
		    r->inst[j].instance, r->inst_cap);

		if (((j - home) & m) >= ((j - h) & m)) {
			r->inst[h] = r->inst[j];
			h = j;
		}
	}
	memset(&r->inst[h], 0, sizeof(r->inst[h]));
	r->n_inst--;
}

/* --- the decision --- */

const char *
rib_source_name(const struct rib *r, uint8_t source, char *buf, size_t len)
{
	if (source < RIB_SRC_MAX && r->src[source] != NULL)
		return r->src[source]->name;
	snprintf(buf, len, "source %u", source);
	return buf;
}

const char *
rib_describe(const struct rib *r, const struct rib_route *rt, char *buf,
    size_t len)
{
	const struct rib_source *s = rt->source < RIB_SRC_MAX ?
	    r->src[rt->source] : NULL;

	if (len > 0)
		buf[0] = '\0';
	if (s != NULL && s->describe != NULL && len > 0)
		s->describe(rt, buf, len);
	return buf;
}

/*
 * < 0 if a is the better route of a prefix, > 0 if b is, by (preference,
 * source, the source's order, metric, instance); 0 only for the same
 * (source, instance). With why set, says what decided, naming the winner
 * first.
 */
static int
route_cmp(const struct rib *r, const struct rib_route *a,
    const struct rib_route *b, char *why, size_t wl)
{
	const struct rib_route *w, *l;
	const struct rib_source *s;
	char wb[16], lb[16], hw[128];
	int c;

	if (a->pref != b->pref) {
		c = a->pref < b->pref ? -1 : 1;
		w = c < 0 ? a : b;
		l = c < 0 ? b : a;
		if (why != NULL)
			snprintf(why, wl, "lower preference %u < %u (%s over %s)",
			    w->pref, l->pref,
			    rib_source_name(r, w->source, wb, sizeof(wb)),
			    rib_source_name(r, l->source, lb, sizeof(lb)));
		return c;
	}
	if (a->source != b->source) {
		c = a->source < b->source ? -1 : 1;
		w = c < 0 ? a : b;
		l = c < 0 ? b : a;
		if (why != NULL)
			snprintf(why, wl, "equal preference %u, lower source id "
			    "(%s over %s)", a->pref,
			    rib_source_name(r, w->source, wb, sizeof(wb)),
			    rib_source_name(r, l->source, lb, sizeof(lb)));
		return c;
	}
	s = r->src[a->source];
	if (s != NULL && s->cmp != NULL) {
		hw[0] = '\0';
		c = s->cmp(a, b, why != NULL ? hw : NULL, sizeof(hw));
		if (c != 0) {
			if (why != NULL)
				snprintf(why, wl, "equal preference %u, %s: %s",
				    a->pref, s->name, hw);
			return c < 0 ? -1 : 1;
		}
	}
	if (a->metric != b->metric) {
		c = a->metric < b->metric ? -1 : 1;
		if (why != NULL)
			snprintf(why, wl,
			    "equal preference %u, lower metric %u < %u",
			    a->pref, c < 0 ? a->metric : b->metric,
			    c < 0 ? b->metric : a->metric);
		return c;
	}
	if (a->instance != b->instance) {
		c = a->instance < b->instance ? -1 : 1;
		if (why != NULL)
			snprintf(why, wl, "equal preference %u and metric %u, "
			    "lower instance %u < %u", a->pref, a->metric,
			    c < 0 ? a->instance : b->instance,
			    c < 0 ? b->instance : a->instance);
		return c;
	}
	return 0;
}

/* b is as good as the best a and shares its load. */
static bool
multipath_equal(const struct rib *r, const struct rib_route *a,
    const struct rib_route *b)
{
	const struct rib_source *s = r->src[a->source];

	if (s == NULL || !s->multipath || a->source != b->source ||
	    a->pref != b->pref || a->metric != b->metric)
		return false;
	return s->cmp == NULL || s->cmp(a, b, NULL, 0) == 0;
}

/* The FIB group of d: the best's, or the union over the multipath routes. */
static uint32_t
fib_group(struct rib *r, const struct dest *d)
{
	const struct rt *best = &r->rt[d->head], *x;
	struct rib_nh u[RIB_NHG_MAX * 2];
	uint32_t n = 0, i;

	if (best->next == NONE ||
	    !multipath_equal(r, &best->pub, &r->rt[best->next].pub)) {
		r->fwd.nhg[best->pub.nhg]->refs++;
		return best->pub.nhg;
	}
	/* Members past RIB_NHG_MAX are left out, lowest kept: deterministic. */
	for (x = best; ; x = &r->rt[x->next]) {
		const struct rib_nhg *g = r->fwd.nhg[x->pub.nhg];

		for (i = 0; i < g->n; i++) {
			if (n == RIB_NHG_MAX * 2) {
				n = rib_nh_canon(u, n);
				if (n > RIB_NHG_MAX)
					n = RIB_NHG_MAX;
			}
			u[n++] = g->nh[i];
		}
		if (x->next == NONE ||
		    !multipath_equal(r, &best->pub, &r->rt[x->next].pub))
			break;
	}
	n = rib_nh_canon(u, n);
	return rib_nhg_intern(r, u, n < RIB_NHG_MAX ? n : RIB_NHG_MAX);
}

static bool
route_same(const struct rib_route *a, const struct rib_route *b)
{
	return a->source == b->source && a->instance == b->instance &&
	    a->pref == b->pref && a->metric == b->metric &&
	    a->nhg == b->nhg && a->attr == b->attr;
}

static void
notify(struct rib *r, const struct rib_change *c)
{
	size_t i, k, n = r->n_ls;

	/*
	 * A listener may add or remove listeners (itself included): one
	 * added now hears the next change, one removed is skipped (fn NULL)
	 * and compacted away after the loop. It cannot nest: a listener
	 * must not change the table.
	 */
	r->busy = true;
	for (i = 0; i < n; i++)
		if (r->ls[i].fn != NULL)
			r->ls[i].fn(r, c, r->ls[i].ctx);
	r->busy = false;
	if (r->ls_dirty) {
		for (i = k = 0; i < r->n_ls; i++)
			if (r->ls[i].fn != NULL)
				r->ls[k++] = r->ls[i];
		r->mem -= (r->n_ls - k) * sizeof(*r->ls);
		r->n_ls = k;
		r->ls_dirty = false;
	}
}

/*
 * d's list changed; old is its best before (NULL if it had none). Bring the
 * FIB in step, tell the listeners, and free d if it is empty now.
 */
static void
dest_sync(struct rib *r, uint32_t di, const struct rib_route *old)
{
	struct dest *d = &r->dest[di];
	struct rib_change c = { .prefix = d->prefix, .len = d->len };
	uint32_t g, was = d->fib_nhg;

	if (d->head == NONE) {
		SIM_ASSERT(fib_del(r->fwd.fib, d->prefix, d->len) == 0,
		    "rib %s: FIB out of step", r->name);
		dest_release(r, di);
		rib_nhg_put(r, was);
		c.kind = RIB_WITHDRAWN;
		notify(r, &c);
		return;
	}
	g = fib_group(r, d);
	if (g != was) {
		SIM_ASSERT(fib_add(r->fwd.fib, d->prefix, d->len, g) >= 0,
		    "rib %s: bad prefix", r->name);
		d->fib_nhg = g;
		if (was != NHG_NONE)
			rib_nhg_put(r, was);
	} else {
		rib_nhg_put(r, g);
	}
	if (old != NULL && g == was && route_same(old, &r->rt[d->head].pub))
		return;
	c.kind = old == NULL ? RIB_ADDED : RIB_CHANGED;
	c.best = &r->rt[d->head].pub;
	c.nhg = r->fwd.nhg[g];
	notify(r, &c);
}

/* --- API --- */

struct rib *
rib_new(const char *name)
{
	struct rib *r = xcalloc(1, sizeof(*r));

	r->name = xstrdup(name);
	r->fwd.fib = fib_new();
	r->src[RIB_SRC_CONNECTED] = &src_connected;
	r->src[RIB_SRC_STATIC] = &src_static;
	r->dest_used = r->rt_used = 1;
	r->mem = sizeof(*r) + strlen(name) + 1;
	return r;
}

void
rib_free(struct rib *r)
{
	if (r == NULL)
		return;
	rib_nhg_free_all(r);
	free(r->dest);
	free(r->dhash);
	free(r->rt);
	free(r->inst);
	free(r->ls);
	fib_free(r->fwd.fib);
	free(r->name);
	free(r);
}

const char *
rib_name(const struct rib *r)
{
	return r->name;
}

void
rib_set_source(struct rib *r, uint8_t source, const struct rib_source *s)
{
	SIM_ASSERT(source >= RIB_SRC_MODEL && source < RIB_SRC_MAX,
	    "rib %s: source %u is not a model's", r->name, source);
	/* Its routes are ordered by its decision: it cannot change under them. */
	SIM_ASSERT(r->src_routes[source] == 0,
	    "rib %s: source %u set while it has routes", r->name, source);
	r->src[source] = s;
}

void
rib_add_listener(struct rib *r, rib_change_fn fn, void *ctx)
{
	r->ls = xrealloc(r->ls, (r->n_ls + 1) * sizeof(*r->ls));
	r->ls[r->n_ls++] = (struct listener){ fn, ctx };
	r->mem += sizeof(*r->ls);
}

void
rib_remove_listener(struct rib *r, rib_change_fn fn, void *ctx)
{
	size_t i;

	for (i = 0; i < r->n_ls; i++)
		if (r->ls[i].fn == fn && r->ls[i].ctx == ctx) {
			if (r->busy) {
				/* being called: notify's indices stay */
				r->ls[i].fn = NULL;
				r->ls_dirty = true;
				return;
			}
			memmove(&r->ls[i], &r->ls[i + 1],
			    (r->n_ls - i - 1) * sizeof(*r->ls));
			r->n_ls--;
			r->mem -= sizeof(*r->ls);
			return;
		}
}

void
rib_prefetch(const struct rib *r, uint32_t prefix, uint8_t len, unsigned step)
{
	uint32_t d;

	if (len > 32)
		return;
	fib_prefetch_step(r->fwd.fib, prefix, len, step);
	if (r->dhash_cap == 0)
		return;
	d = dkey(prefix, len, r->dhash_cap);
	if (step == 0) {
		/* an insert's probe at 3/4 load often runs into the next line */
		__builtin_prefetch(&r->dhash[d]);
		__builtin_prefetch(&r->dhash[(d + 8) & (r->dhash_cap - 1)]);
		return;
	}
	/* the first probe's record if it is this prefix, then its best */
	if (r->dhash[d].prefix != prefix || (d = r->dhash[d].d) == NONE)
		return;
	if (step == 1)
		__builtin_prefetch(&r->dest[d]);
	else if (step == 2 && r->dest[d].len == len &&
	    r->dest[d].head != NONE)
		__builtin_prefetch(&r->rt[r->dest[d].head]);
}

int
rib_add(struct rib *r, uint32_t prefix, uint8_t len,
    const struct rib_route *rt)
{
	struct rib_route old = { 0 }, gone = { 0 };
	uint32_t di, *link, i, nw;
	bool had_best, replaced = false;

	SIM_ASSERT(!r->busy, "rib %s: changed from its own listener", r->name);
	if (len > 32 || (prefix & ~netmask(len)) != 0 ||
	    rt->source >= RIB_SRC_MAX || !rib_nhg_valid(r, rt->nhg))
		return -1;
	fib_prefetch(r->fwd.fib, prefix, len);
	di = dest_find(r, prefix, len);
	if (di == NONE)
		di = dest_new(r, prefix, len);
	had_best = r->dest[di].head != NONE;
	if (had_best)
		old = r->rt[r->dest[di].head].pub;
	/* Unlink the route this one replaces. */
	for (link = &r->dest[di].head; (i = *link) != NONE;
	    link = &r->rt[i].next)
		if (r->rt[i].pub.source == rt->source &&
		    r->rt[i].pub.instance == rt->instance) {
			gone = r->rt[i].pub;
			*link = r->rt[i].next;
			inst_unlink(r, i);
			rt_release(r, i);
			r->src_routes[gone.source]--;
			replaced = true;
			break;
		}
	nw = rt_new(r);		/* may move r->rt, not r->dest */
	r->rt[nw].pub = *rt;
	r->rt[nw].dest = di;
	inst_link(r, nw);
	r->fwd.nhg[rt->nhg]->refs++;
	r->src_routes[rt->source]++;
	for (link = &r->dest[di].head; (i = *link) != NONE;
	    link = &r->rt[i].next)
		if (route_cmp(r, rt, &r->rt[i].pub, NULL, 0) < 0)
			break;
	r->rt[nw].next = i;
	*link = nw;
	dest_sync(r, di, had_best ? &old : NULL);
	/* Only now, so that its id cannot be reused while comparing. */
	if (replaced)
		rib_nhg_put(r, gone.nhg);
	return replaced ? 1 : 0;
}

int
rib_del(struct rib *r, uint32_t prefix, uint8_t len, uint8_t source,
    uint32_t instance)
{
	struct rib_route old, gone;
	uint32_t di, *link, i;

	SIM_ASSERT(!r->busy, "rib %s: changed from its own listener", r->name);
	if (len > 32 || (prefix & ~netmask(len)) != 0)
		return -1;
	di = dest_find(r, prefix, len);
	if (di == NONE)
		return -1;
	old = r->rt[r->dest[di].head].pub;
	for (link = &r->dest[di].head; (i = *link) != NONE;
	    link = &r->rt[i].next)
		if (r->rt[i].pub.source == source &&
		    r->rt[i].pub.instance == instance)
			break;
	if (i == NONE)
		return -1;
	gone = r->rt[i].pub;
	*link = r->rt[i].next;
	inst_unlink(r, i);
	rt_release(r, i);
	r->src_routes[source]--;
	dest_sync(r, di, &old);
	rib_nhg_put(r, gone.nhg);
	return 0;
}

struct del_key {
	uint64_t key;		/* prefix << 8 | len: rib_walk's order */
	uint32_t rt;
};

static int
del_key_cmp(const void *a, const void *b)
{
	const struct del_key *x = a, *y = b;

	return x->key < y->key ? -1 : x->key > y->key;
}

size_t
rib_del_instance(struct rib *r, uint8_t source, uint32_t instance)
{
	const struct inst *s;
	struct del_key *k;
	size_t n, j;
	uint32_t i;

	SIM_ASSERT(!r->busy, "rib %s: changed from its own listener", r->name);
	if (source >= RIB_SRC_MAX ||
	    (s = inst_find(r, source, instance)) == NULL)
		return 0;
	/*
	 * The list is in no useful order; the listeners hear the changes in
	 * (prefix, len) order, as a walk of the table would visit them. Routes
	 * neither move nor get reused while others are removed, so their
	 * indices stay valid through the loop.
	 */
	n = s->n;
	k = xmalloc(n * sizeof(*k));
	for (j = 0, i = s->head; i != NONE; i = r->rt[i].inext, j++) {
		const struct dest *d = &r->dest[r->rt[i].dest];

		k[j].key = (uint64_t)d->prefix << 8 | d->len;
		k[j].rt = i;
	}
	SIM_ASSERT(j == n, "rib %s: instance list out of step", r->name);
	qsort(k, n, sizeof(*k), del_key_cmp);
	for (j = 0; j < n; j++) {
		uint32_t di = r->rt[k[j].rt].dest, *link;
		struct rib_route old = r->rt[r->dest[di].head].pub, gone;

		for (link = &r->dest[di].head; *link != k[j].rt;
		    link = &r->rt[*link].next)
			;
		gone = r->rt[k[j].rt].pub;
		*link = r->rt[k[j].rt].next;
		inst_unlink(r, k[j].rt);
		rt_release(r, k[j].rt);
		r->src_routes[source]--;
		dest_sync(r, di, &old);
		rib_nhg_put(r, gone.nhg);
	}
	free(k);
	return n;
}

size_t
rib_instance_count(const struct rib *r, uint8_t source, uint32_t instance)
{
	const struct inst *s = source < RIB_SRC_MAX ?
	    inst_find(r, source, instance) : NULL;

	return s != NULL ? s->n : 0;
}

bool
rib_best(const struct rib *r, uint32_t prefix, uint8_t len,
    struct rib_route *out)
{
	uint32_t di = len <= 32 ? dest_find(r, prefix, len) : NONE;

	if (di == NONE)
		return false;
	if (out != NULL)
		*out = r->rt[r->dest[di].head].pub;
	return true;
}

size_t
rib_prefix_count(const struct rib *r)
{
	return r->n_dest;
}

size_t
rib_route_count(const struct rib *r)
{
	return r->n_rt;
}

size_t
rib_memory(const struct rib *r)
{
	return r->mem + (size_t)r->nhg_cap * sizeof(*r->nhg_freeids) +
	    fib_memory(r->fwd.fib);
}

const struct fib *
rib_fib(const struct rib *r)
{
	return r->fwd.fib;
}

const struct rib_nhg *
rib_lookup(const struct rib *r, uint32_t addr)
{
	return rib_fwd_lookup(&r->fwd, addr);
}

const struct rib_fwd *
rib_fwd(const struct rib *r)
{
	return &r->fwd;
}

struct walk_ctx {
	const struct rib *r;
	rib_walk_fn fn;
	void *ctx;
};

static void
walk_one(uint32_t prefix, uint8_t len, uint32_t value, void *arg)
{
	struct walk_ctx *w = arg;
	uint32_t di = dest_find(w->r, prefix, len);

	w->fn(prefix, len, &w->r->rt[w->r->dest[di].head].pub,
	    w->r->fwd.nhg[value], w->ctx);
}

void
rib_walk(const struct rib *r, rib_walk_fn fn, void *ctx)
{
	struct walk_ctx w = { r, fn, ctx };

	fib_walk(r->fwd.fib, walk_one, &w);
}

int
rib_explain(const struct rib *r, uint32_t prefix, uint8_t len,
    struct rib_explain *ex)
{
	uint32_t di = len <= 32 ? dest_find(r, prefix, len) : NONE, i;
	const struct rib_nhg *g;
	size_t k;
	int off;

	memset(ex, 0, sizeof(*ex));
	if (di == NONE)
		return -1;
	for (i = r->dest[di].head; i != NONE; i = r->rt[i].next)
		ex->n++;
	ex->cand = xmalloc(ex->n * sizeof(*ex->cand));
	for (k = 0, i = r->dest[di].head; i != NONE; i = r->rt[i].next)
		ex->cand[k++] = r->rt[i].pub;
	ex->n_multipath = 1;
	while (ex->n_multipath < ex->n &&
	    multipath_equal(r, &ex->cand[0], &ex->cand[ex->n_multipath]))
		ex->n_multipath++;
	if (ex->n == 1)
		off = snprintf(ex->why, sizeof(ex->why), "only candidate");
	else if (ex->n_multipath > 1)
		off = snprintf(ex->why, sizeof(ex->why), "equal preference %u "
		    "and metric %u: ecmp over %zu routes", ex->cand[0].pref,
		    ex->cand[0].metric, ex->n_multipath);
	else
		off = route_cmp(r, &ex->cand[0], &ex->cand[1], ex->why,
		    sizeof(ex->why)) < 0 ? (int)strlen(ex->why) : 0;
	g = r->fwd.nhg[r->dest[di].fib_nhg];
	if (g->n > 1 && off >= 0 && (size_t)off < sizeof(ex->why))
		snprintf(ex->why + off, sizeof(ex->why) - (size_t)off,
		    ", ecmp over %u next hops", g->n);
	return 0;
}

void
rib_explain_free(struct rib_explain *ex)
{
	free(ex->cand);
	ex->cand = NULL;
	ex->n = 0;
}
