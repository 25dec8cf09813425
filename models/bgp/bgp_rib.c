/*
 * bgp_rib.c - the prefix table, the candidates (Adj-RIB-Ins and Loc-RIB),
 * the decision driven per prefix and the change feed. The Adj-RIB-Outs are
 * in bgp_rib_out.c, the node glue in bgp_node.c.
 */
#include <stdlib.h>
#include <string.h>

#include "bgp_rib_int.h"
#include "util.h"

const char *const bgp_change_name[3] = {
	[BGP_CH_ADDED] = "added",
	[BGP_CH_CHANGED] = "changed",
	[BGP_CH_WITHDRAWN] = "withdrawn",
};

/* Grow a pool of elem-sized items to at least need, counting bytes. */
void *
bgp_grow(struct bgp_rib *br, void *p, uint32_t *cap, uint32_t need,
    size_t elem)
{
	uint32_t n = *cap ? *cap : 16;

	if (need <= *cap)
		return p;
	while (n < need)
		n *= 2;
	p = xrealloc(p, (size_t)n * elem);
	memset((char *)p + (size_t)*cap * elem, 0, (size_t)(n - *cap) * elem);
	br->mem += (size_t)(n - *cap) * elem;
	*cap = n;
	return p;
}

struct bgp_rib *
bgp_rib_new(const struct bgp_rib_config *cfg)
{
	struct bgp_rib *br = xcalloc(1, sizeof(*br));

	br->cfg = *cfg;
	if (br->cfg.decide.max_paths == 0)
		br->cfg.decide.max_paths = 1;
	if (br->cfg.decide.max_paths > BGP_MAX_PATHS)
		br->cfg.decide.max_paths = BGP_MAX_PATHS;
	br->it = bgp_intern_new();
	br->nh_gen = 1;
	br->mem = sizeof(*br);
	br->dest = bgp_grow(br, NULL, &br->dest_cap, 16, sizeof(*br->dest));
	br->dest_used = 1;
	br->path = bgp_grow(br, NULL, &br->path_cap, 16, sizeof(*br->path));
	br->path_used = 1;
	br->dhash = bgp_grow(br, NULL, &br->dhash_cap, 32, sizeof(*br->dhash));
	br->peer = bgp_grow(br, NULL, &br->peer_cap, 4, sizeof(*br->peer));
	br->n_peer = 1;
	br->peer[0].used = true;
	br->peer[0].info.asn = cfg->local_as;
	br->peer[0].info.bgp_id = cfg->router_id;
	return br;
}

void
bgp_rib_free(struct bgp_rib *br)
{
	uint32_t i;

	if (br == NULL)
		return;
	for (i = 1; i < br->path_used; i++)
		if (br->path[i].a != NULL)
			bgp_intern_put(br->it, br->path[i].a);
	for (i = 0; i < br->n_peer; i++)
		bgp_out_clear(br, &br->peer[i]);
	bgp_intern_free(br->it);
	free(br->dest);
	free(br->dhash);
	free(br->path);
	free(br->peer);
	free(br->ls);
	free(br->cand);
	free(br->order);
	free(br->cidx);
	free(br);
}

const struct bgp_rib_config *
bgp_rib_config(const struct bgp_rib *br)
{
	return &br->cfg;
}

struct bgp_intern *
bgp_rib_intern(struct bgp_rib *br)
{
	return br->it;
}

void
bgp_rib_set_resolver(struct bgp_rib *br, bgp_nh_fn fn, void *ctx)
{
	br->nh_fn = fn;
	br->nh_ctx = ctx;
	bgp_rib_nexthops_changed(br);
}

void
bgp_rib_set_prefetch(struct bgp_rib *br, bgp_prefetch_fn fn, void *ctx)
{
	br->pf_fn = fn;
	br->pf_ctx = ctx;
}

/* ---- the prefix table ---- */

static uint32_t
dhash_of(uint32_t prefix, uint8_t len)
{
	uint64_t x = ((uint64_t)prefix << 8 | len) * 0x9e3779b97f4a7c15ULL;

	return (uint32_t)(x >> 32);
}

uint32_t
bgp_dest_find(const struct bgp_rib *br, uint32_t prefix, uint8_t len)
{
	uint32_t mask = br->dhash_cap - 1, i = dhash_of(prefix, len) & mask, d;

	while ((d = br->dhash[i].d) != NONE) {
		if (br->dhash[i].prefix == prefix && br->dest[d].len == len)
			return d;
		i = (i + 1) & mask;
	}
	return NONE;
}

void
bgp_rib_prefetch(const struct bgp_rib *br, uint32_t prefix, uint8_t len,
    unsigned step)
{
	uint32_t i, d;

	if (len > 32)
		return;
	if (br->pf_fn != NULL)
		br->pf_fn(br->pf_ctx, prefix, len, step);
	i = dhash_of(prefix, len) & (br->dhash_cap - 1);
	if (step == 0) {
		__builtin_prefetch(&br->dhash[i]);
		return;
	}
	/* the first probe's record if it is this prefix, then its best */
	if (br->dhash[i].prefix != prefix || (d = br->dhash[i].d) == NONE)
		return;
	if (step == 1)
		__builtin_prefetch(&br->dest[d]);
	else if (step == 2 && br->dest[d].len == len &&
	    br->dest[d].head != NONE)
		__builtin_prefetch(&br->path[br->dest[d].head]);
}

void
bgp_rib_prefetch_ahead(const struct bgp_rib *br, const struct bgp_prefix4 *v,
    size_t n, size_t i)
{
	size_t j, last;
	unsigned s;

	for (s = 0; s < BGP_PREFETCH_STEPS; s++) {
		last = i + BGP_PREFETCH_AHEAD - s * BGP_PREFETCH_GAP;
		/* the first call fills the pipeline */
		for (j = i == 0 ? 0 : last; j <= last && j < n; j++)
			bgp_rib_prefetch(br, v[j].addr, v[j].len, s);
	}
}

static void
dhash_put(struct bgp_rib *br, uint32_t d)
{
	uint32_t mask = br->dhash_cap - 1;
	uint32_t i = dhash_of(br->dest[d].prefix, br->dest[d].len) & mask;

	while (br->dhash[i].d != NONE)
		i = (i + 1) & mask;
	br->dhash[i].prefix = br->dest[d].prefix;
	br->dhash[i].d = d;
}

static void
dhash_grow(struct bgp_rib *br)
{
	uint32_t old_cap = br->dhash_cap, i;
	struct bgp_dslot *old = br->dhash;

	br->dhash_cap = old_cap * 2;
	br->dhash = xcalloc(br->dhash_cap, sizeof(*br->dhash));
	br->mem += (size_t)old_cap * sizeof(*br->dhash);
	for (i = 0; i < old_cap; i++)
		if (old[i].d != NONE)
			dhash_put(br, old[i].d);
	free(old);
}

static uint32_t
dest_add(struct bgp_rib *br, uint32_t prefix, uint8_t len)
{
	uint32_t d;

	if ((br->n_dest + 1) * 2 > br->dhash_cap)
		dhash_grow(br);
	if (br->dest_free != NONE) {
		d = br->dest_free;
		br->dest_free = br->dest[d].head;
	} else {
		br->dest = bgp_grow(br, br->dest, &br->dest_cap,
		    br->dest_used + 1, sizeof(*br->dest));
		d = br->dest_used++;
	}
	memset(&br->dest[d], 0, sizeof(br->dest[d]));
	br->dest[d].prefix = prefix;
	br->dest[d].len = len;
	dhash_put(br, d);
	br->n_dest++;
	return d;
}

static void
dest_del(struct bgp_rib *br, uint32_t d)
{
	uint32_t mask = br->dhash_cap - 1, i, j, k;

	i = dhash_of(br->dest[d].prefix, br->dest[d].len) & mask;
	while (br->dhash[i].d != d)
		i = (i + 1) & mask;
	/* backward-shift deletion: no tombstones */
	j = i;
	for (;;) {
		br->dhash[i].d = NONE;
		for (;;) {
			j = (j + 1) & mask;
			if (br->dhash[j].d == NONE)
				goto done;
			k = dhash_of(br->dhash[j].prefix,
			    br->dest[br->dhash[j].d].len) & mask;
			/* stays if its home k lies cyclically in (i, j] */
			if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
				continue;
			break;
		}
		br->dhash[i] = br->dhash[j];
		i = j;
	}
done:
	br->dest[d].head = br->dest_free;
	br->dest[d].n_mp = 0;
	br->dest[d].len = DEST_FREE;
	br->dest_free = d;
	br->n_dest--;
}

/* ---- candidates ---- */

static uint32_t
path_alloc(struct bgp_rib *br)
{
	uint32_t p;

	if (br->path_free != NONE) {
		p = br->path_free;
		br->path_free = br->path[p].next;
	} else {
		br->path = bgp_grow(br, br->path, &br->path_cap,
		    br->path_used + 1, sizeof(*br->path));
		p = br->path_used++;
	}
	memset(&br->path[p], 0, sizeof(br->path[p]));
	br->n_path++;
	return p;
}

static void
path_release(struct bgp_rib *br, uint32_t p)
{
	bgp_intern_put(br->it, br->path[p].a);
	br->path[p].a = NULL;
	br->path[p].next = br->path_free;
	br->path_free = p;
	br->n_path--;
}

static void
resolve(struct bgp_rib *br, const struct path *p, bool *ok, uint32_t *cost)
{
	struct bgp_nh_cache *c;

	if (p->peer == BGP_PEER_LOCAL) {
		*ok = true;
		*cost = 0;
		return;
	}
	if (br->nh_fn == NULL) {
		*ok = true;
		*cost = br->peer[p->peer].info.igp_cost;
		return;
	}
	c = bgp_intern_nh(p->a);
	if (c->gen != br->nh_gen) {
		c->igp_cost = 0;
		c->reachable = br->nh_fn(br->nh_ctx, p->a->next_hop,
		    &c->igp_cost);
		c->gen = br->nh_gen;
	}
	*ok = c->reachable;
	*cost = c->igp_cost;
}

void
bgp_route_of(struct bgp_rib *br, uint32_t p, struct bgp_route *r)
{
	bool ok;

	r->peer = br->path[p].peer;
	r->ebgp = br->peer[r->peer].ebgp;
	r->a = br->path[p].a;
	resolve(br, &br->path[p], &ok, &r->igp_cost);
}

/* The candidates of d into br->cand (index cidx), for bgp_decide. */
unsigned
bgp_collect(struct bgp_rib *br, uint32_t d)
{
	unsigned k = 0;
	uint32_t p;

	for (p = br->dest[d].head; p != NONE; p = br->path[p].next) {
		struct bgp_cand *c;
		const struct peer *pr = &br->peer[br->path[p].peer];

		if (k >= br->cand_cap) {
			uint32_t cap = br->cand_cap, cap2 = br->cand_cap,
			    cap3 = br->cand_cap;

			br->cand = bgp_grow(br, br->cand, &cap, k + 1,
			    sizeof(*br->cand));
			br->order = bgp_grow(br, br->order, &cap2, k + 1,
			    sizeof(*br->order));
			br->cidx = bgp_grow(br, br->cidx, &cap3, k + 1,
			    sizeof(*br->cidx));
			br->cand_cap = cap;
		}
		c = &br->cand[k];
		c->a = br->path[p].a;
		c->peer_addr = pr->info.addr;
		c->bgp_id = pr->info.bgp_id;
		c->stamp = br->path[p].stamp;
		c->peer = br->path[p].peer;
		c->ebgp = pr->ebgp;
		resolve(br, &br->path[p], &c->reachable, &c->igp_cost);
		br->cidx[k++] = p;
	}
	return k;
}

/* Decide d again and keep its candidates in decision order. */
static void
decide(struct bgp_rib *br, uint32_t d)
{
	unsigned k = bgp_collect(br, d), n_mp, i;

	if (k == 1) {
		/* one candidate (one peer): no race */
		br->dest[d].n_mp = br->cand[0].reachable ? 1 : 0;
		return;
	}
	n_mp = k ? bgp_decide(br->cand, k, &br->cfg.decide, br->order) : 0;
	br->dest[d].n_mp = (uint8_t)n_mp;
	if (k == 0)
		return;
	br->dest[d].head = br->cidx[br->order[0]];
	for (i = 0; i + 1 < k; i++)
		br->path[br->cidx[br->order[i]]].next =
		    br->cidx[br->order[i + 1]];
	br->path[br->cidx[br->order[k - 1]]].next = NONE;
}

/* The multipath set of d before a change, to tell whether it changed. */
static unsigned
snapshot(struct bgp_rib *br, uint32_t d, struct bgp_route *out)
{
	unsigned i = 0;
	uint32_t p = br->dest[d].head;

	for (; i < br->dest[d].n_mp; i++, p = br->path[p].next) {
		out[i].peer = br->path[p].peer;
		out[i].a = br->path[p].a;
	}
	return i;
}

static void
report(struct bgp_rib *br, uint32_t d, unsigned old_n)
{
	struct bgp_change c;
	unsigned n = br->dest[d].n_mp, i;
	uint32_t p = br->dest[d].head;
	bool same = n == old_n;

	for (i = 0; i < n; i++, p = br->path[p].next) {
		bgp_route_of(br, p, &br->cur[i]);
		if (same && (br->cur[i].peer != br->old[i].peer ||
		    br->cur[i].a != br->old[i].a))
			same = false;
	}
	if (same && br->n_ls_all == 0)
		return;
	c.kind = old_n == 0 ? BGP_CH_ADDED : n == 0 ? BGP_CH_WITHDRAWN :
	    BGP_CH_CHANGED;
	c.prefix = br->dest[d].prefix;
	c.len = br->dest[d].len;
	c.n_paths = n;
	c.paths = br->cur;
	if (!same)
		br->n_changes++;
	for (i = 0; i < br->n_ls; i++)
		if (!same || br->ls[i].all)
			br->ls[i].fn(br, &c, br->ls[i].ctx);
}

static bool
valid(const struct bgp_rib *br, uint16_t peer, uint32_t prefix, uint8_t len)
{
	if (peer >= br->n_peer || !br->peer[peer].used || len > 32)
		return false;
	return len == 32 || (prefix & (UINT32_MAX >> len)) == 0;
}

int
bgp_rib_update(struct bgp_rib *br, uint16_t peer, uint32_t prefix,
    uint8_t len, const struct bgp_attrs *ia)
{
	uint32_t d, p;
	unsigned old_n;
	struct peer *pr;
	bool fresh;

	if (!valid(br, peer, prefix, len) || ia == NULL)
		return -1;
	if ((d = bgp_dest_find(br, prefix, len)) == NONE)
		d = dest_add(br, prefix, len);
	for (p = br->dest[d].head; p != NONE; p = br->path[p].next)
		if (br->path[p].peer == peer)
			break;
	if (p != NONE) {
		br->path[p].flags &= (uint16_t)~PATH_STALE;
		if (br->path[p].a == ia)
			return 0;
	}
	fresh = p == NONE;
	old_n = snapshot(br, d, br->old);
	bgp_intern_ref(ia);
	br->stamp++;
	if (!fresh) {
		/* implicit withdraw: a new route, arrived now */
		bgp_intern_put(br->it, br->path[p].a);
		br->path[p].a = ia;
		br->path[p].stamp = br->stamp;
	} else {
		p = path_alloc(br);
		pr = &br->peer[peer];
		br->path[p].a = ia;
		br->path[p].dest = d;
		br->path[p].peer = peer;
		br->path[p].stamp = br->stamp;
		br->path[p].next = br->dest[d].head;
		br->dest[d].head = p;
		br->path[p].pprev = pr->tail;
		br->path[p].pnext = NONE;
		if (pr->tail != NONE)
			br->path[pr->tail].pnext = p;
		else
			pr->head = p;
		pr->tail = p;
		pr->n_in++;
	}
	decide(br, d);
	report(br, d, old_n);
	return fresh ? 1 : 0;
}

/* Take path p out of its prefix and its peer, and decide the prefix again. */
static void
path_del(struct bgp_rib *br, uint32_t p)
{
	uint32_t d = br->path[p].dest, *pp;
	struct peer *pr = &br->peer[br->path[p].peer];
	unsigned old_n = snapshot(br, d, br->old);

	for (pp = &br->dest[d].head; *pp != p; pp = &br->path[*pp].next)
		;
	*pp = br->path[p].next;
	if (br->path[p].pprev != NONE)
		br->path[br->path[p].pprev].pnext = br->path[p].pnext;
	else
		pr->head = br->path[p].pnext;
	if (br->path[p].pnext != NONE)
		br->path[br->path[p].pnext].pprev = br->path[p].pprev;
	else
		pr->tail = br->path[p].pprev;
	pr->n_in--;
	path_release(br, p);
	decide(br, d);
	report(br, d, old_n);
	if (br->dest[d].head == NONE)
		dest_del(br, d);
}

static uint32_t
path_find(const struct bgp_rib *br, uint16_t peer, uint32_t prefix,
    uint8_t len)
{
	uint32_t d, p;

	if ((d = bgp_dest_find(br, prefix, len)) == NONE)
		return NONE;
	for (p = br->dest[d].head; p != NONE; p = br->path[p].next)
		if (br->path[p].peer == peer)
			return p;
	return NONE;
}

int
bgp_rib_withdraw(struct bgp_rib *br, uint16_t peer, uint32_t prefix,
    uint8_t len)
{
	uint32_t p;

	if (!valid(br, peer, prefix, len) ||
	    (p = path_find(br, peer, prefix, len)) == NONE)
		return -1;
	path_del(br, p);
	return 0;
}

size_t
bgp_rib_apply_update(struct bgp_rib *br, uint16_t peer,
    const struct bgp_update *u)
{
	const struct bgp_attrs *ia;
	size_t i, n = 0;

	for (i = 0; i < u->n_withdrawn; i++) {
		bgp_rib_prefetch_ahead(br, u->withdrawn, u->n_withdrawn, i);
		bgp_rib_withdraw(br, peer, u->withdrawn[i].addr,
		    u->withdrawn[i].len);
	}
	for (i = 0; i < u->n_mp_withdrawn; i++) {
		bgp_rib_prefetch_ahead(br, u->mp_withdrawn,
		    u->n_mp_withdrawn, i);
		bgp_rib_withdraw(br, peer, u->mp_withdrawn[i].addr,
		    u->mp_withdrawn[i].len);
	}
	if (u->attrs == NULL)
		return 0;
	if (u->n_nlri > 0) {
		ia = bgp_intern_get(br->it, u->attrs);
		for (i = 0; i < u->n_nlri; i++) {
			bgp_rib_prefetch_ahead(br, u->nlri, u->n_nlri, i);
			if (bgp_rib_update(br, peer, u->nlri[i].addr,
			    u->nlri[i].len, ia) >= 0)
				n++;
		}
		bgp_intern_put(br->it, ia);
	}
	if (u->has_mp_reach && u->n_mp_nlri > 0) {
		/* RFC 4760 3: the next hop is MP_REACH_NLRI's */
		struct bgp_attrs *a = bgp_attrs_dup(u->attrs);

		a->next_hop = u->mp_next_hop;
		ia = bgp_intern_take(br->it, a);
		for (i = 0; i < u->n_mp_nlri; i++) {
			bgp_rib_prefetch_ahead(br, u->mp_nlri, u->n_mp_nlri,
			    i);
			if (bgp_rib_update(br, peer, u->mp_nlri[i].addr,
			    u->mp_nlri[i].len, ia) >= 0)
				n++;
		}
		bgp_intern_put(br->it, ia);
	}
	return n;
}

void
bgp_rib_nexthops_changed(struct bgp_rib *br)
{
	uint32_t d;

	if (++br->nh_gen == 0)
		br->nh_gen = 1;
	/* dest indexes are stable: a prefix keeps its candidates here */
	for (d = 1; d < br->dest_used; d++) {
		unsigned old_n;

		if (br->dest[d].len == DEST_FREE)
			continue;
		old_n = snapshot(br, d, br->old);
		decide(br, d);
		report(br, d, old_n);
	}
}

/* ---- peers ---- */

uint16_t
bgp_rib_peer_add(struct bgp_rib *br, const struct bgp_peer_info *p)
{
	uint32_t id;

	for (id = 1; id < br->n_peer; id++)
		if (!br->peer[id].used)
			break;
	if (id >= BGP_PEER_MAX)
		return 0;
	if (id == br->n_peer) {
		br->peer = bgp_grow(br, br->peer, &br->peer_cap, id + 1,
		    sizeof(*br->peer));
		br->n_peer++;
	}
	memset(&br->peer[id], 0, sizeof(br->peer[id]));
	br->peer[id].info = *p;
	br->peer[id].used = true;
	br->peer[id].ebgp = p->asn != (p->local_as != 0 ? p->local_as :
	    br->cfg.local_as);
	return (uint16_t)id;
}

int
bgp_rib_peer_update(struct bgp_rib *br, uint16_t peer,
    const struct bgp_peer_info *p)
{
	struct peer *pr;
	uint32_t q;
	bool newer;

	if (peer == BGP_PEER_LOCAL || peer >= br->n_peer ||
	    !br->peer[peer].used)
		return -1;
	pr = &br->peer[peer];
	newer = p->established != pr->info.established;
	pr->info = *p;
	pr->ebgp = p->asn != (p->local_as != 0 ? p->local_as :
	    br->cfg.local_as);
	/* one route per prefix and peer: each of its prefixes once */
	for (q = pr->head; q != NONE; q = br->path[q].pnext) {
		uint32_t d = br->path[q].dest;
		unsigned old_n = snapshot(br, d, br->old);

		if (newer)
			br->path[q].stamp = ++br->stamp;
		decide(br, d);
		report(br, d, old_n);
	}
	return 0;
}

void
bgp_rib_peer_remove(struct bgp_rib *br, uint16_t peer)
{
	if (peer == BGP_PEER_LOCAL || peer >= br->n_peer ||
	    !br->peer[peer].used)
		return;
	while (br->peer[peer].head != NONE)
		path_del(br, br->peer[peer].head);
	bgp_out_clear(br, &br->peer[peer]);
	br->peer[peer].used = false;
}

size_t
bgp_rib_peer_mark_stale(struct bgp_rib *br, uint16_t peer)
{
	size_t n = 0;
	uint32_t p;

	if (peer >= br->n_peer || !br->peer[peer].used)
		return 0;
	for (p = br->peer[peer].head; p != NONE; p = br->path[p].pnext, n++)
		br->path[p].flags |= PATH_STALE;
	return n;
}

size_t
bgp_rib_peer_sweep_stale(struct bgp_rib *br, uint16_t peer)
{
	size_t n = 0;
	uint32_t p, next;

	if (peer >= br->n_peer || !br->peer[peer].used)
		return 0;
	for (p = br->peer[peer].head; p != NONE; p = next) {
		next = br->path[p].pnext;
		if (br->path[p].flags & PATH_STALE) {
			path_del(br, p);
			n++;
		}
	}
	return n;
}

const struct bgp_peer_info *
bgp_rib_peer(const struct bgp_rib *br, uint16_t peer)
{
	if (peer >= br->n_peer || !br->peer[peer].used)
		return NULL;
	return &br->peer[peer].info;
}

bool
bgp_rib_peer_ebgp(const struct bgp_rib *br, uint16_t peer)
{
	return peer < br->n_peer && br->peer[peer].used && br->peer[peer].ebgp;
}

/* ---- queries ---- */

const struct bgp_attrs *
bgp_rib_in_get(const struct bgp_rib *br, uint16_t peer, uint32_t prefix,
    uint8_t len)
{
	uint32_t p;

	if (!valid(br, peer, prefix, len) ||
	    (p = path_find(br, peer, prefix, len)) == NONE)
		return NULL;
	return br->path[p].a;
}

size_t
bgp_rib_in_count(const struct bgp_rib *br, uint16_t peer)
{
	if (peer >= br->n_peer || !br->peer[peer].used)
		return 0;
	return br->peer[peer].n_in;
}

void
bgp_rib_in_walk(const struct bgp_rib *br, uint16_t peer, bgp_in_walk_fn fn,
    void *ctx)
{
	uint32_t p;

	if (peer >= br->n_peer || !br->peer[peer].used)
		return;
	for (p = br->peer[peer].head; p != NONE; p = br->path[p].pnext) {
		const struct dest *d = &br->dest[br->path[p].dest];

		fn(d->prefix, d->len, br->path[p].a, ctx);
	}
}

static void
listener_add(struct bgp_rib *br, bgp_change_fn fn, void *ctx, bool all)
{
	uint32_t cap = (uint32_t)br->ls_cap;

	br->ls = bgp_grow(br, br->ls, &cap, (uint32_t)br->n_ls + 1,
	    sizeof(*br->ls));
	br->ls_cap = cap;
	br->ls[br->n_ls].fn = fn;
	br->ls[br->n_ls].all = all;
	br->ls[br->n_ls++].ctx = ctx;
	br->n_ls_all += all;
}

void
bgp_rib_add_listener(struct bgp_rib *br, bgp_change_fn fn, void *ctx)
{
	listener_add(br, fn, ctx, false);
}

void
bgp_rib_add_listener_all(struct bgp_rib *br, bgp_change_fn fn, void *ctx)
{
	listener_add(br, fn, ctx, true);
}

void
bgp_rib_remove_listener(struct bgp_rib *br, bgp_change_fn fn, void *ctx)
{
	size_t i;

	for (i = 0; i < br->n_ls; i++)
		if (br->ls[i].fn == fn && br->ls[i].ctx == ctx) {
			br->n_ls_all -= br->ls[i].all;
			memmove(&br->ls[i], &br->ls[i + 1],
			    (br->n_ls - i - 1) * sizeof(*br->ls));
			br->n_ls--;
			return;
		}
}

bool
bgp_rib_best(const struct bgp_rib *br, uint32_t prefix, uint8_t len,
    struct bgp_route *out)
{
	uint32_t d = bgp_dest_find(br, prefix, len);

	if (d == NONE || br->dest[d].n_mp == 0)
		return false;
	/* resolve() only fills a cache: the table does not change */
	bgp_route_of((struct bgp_rib *)(uintptr_t)br, br->dest[d].head, out);
	return true;
}

size_t
bgp_rib_route_count(const struct bgp_rib *br)
{
	return br->n_path;
}

size_t
bgp_rib_prefix_count(const struct bgp_rib *br)
{
	return br->n_dest;
}

size_t
bgp_rib_memory(const struct bgp_rib *br)
{
	return br->mem + bgp_intern_memory(br->it);
}
