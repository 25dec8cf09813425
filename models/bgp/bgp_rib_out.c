/*
 * bgp_rib_out.c - the Adj-RIB-Outs (per peer, (prefix, len) -> the
 * interned set last advertised), the sorted walks over the tables and the
 * explanation of a prefix's decision.
 */
#include <stdlib.h>
#include <string.h>

#include "bgp_rib_int.h"
#include "util.h"

static uint32_t
ohash(uint32_t prefix, uint8_t len)
{
	uint64_t x = ((uint64_t)prefix << 8 | len) * 0xc2b2ae3d27d4eb4fULL;

	return (uint32_t)(x >> 32);
}

static struct outent *
out_alloc(struct bgp_rib *br, uint32_t cap)
{
	struct outent *t = xmalloc((size_t)cap * sizeof(*t));
	uint32_t i;

	for (i = 0; i < cap; i++) {
		t[i].a = NULL;
		t[i].len = OUT_EMPTY;
	}
	br->out_mem += (size_t)cap * sizeof(*t);
	return t;
}

void
bgp_out_clear(struct bgp_rib *br, struct peer *pr)
{
	uint32_t i;

	for (i = 0; i < pr->out_cap; i++)
		if (pr->out[i].len != OUT_EMPTY)
			bgp_intern_put(br->it, pr->out[i].a);
	br->out_mem -= (size_t)pr->out_cap * sizeof(*pr->out);
	free(pr->out);
	pr->out = NULL;
	pr->out_cap = 0;
	pr->n_out = 0;
}

/* The slot of prefix/len, or the empty slot where it would go. */
static uint32_t
out_slot(const struct peer *pr, uint32_t prefix, uint8_t len)
{
	uint32_t mask = pr->out_cap - 1, i = ohash(prefix, len) & mask;

	while (pr->out[i].len != OUT_EMPTY &&
	    (pr->out[i].prefix != prefix || pr->out[i].len != len))
		i = (i + 1) & mask;
	return i;
}

static void
out_grow(struct bgp_rib *br, struct peer *pr)
{
	struct outent *old = pr->out;
	uint32_t old_cap = pr->out_cap, i;

	pr->out_cap = old_cap ? old_cap * 2 : 16;
	pr->out = out_alloc(br, pr->out_cap);
	for (i = 0; i < old_cap; i++)
		if (old[i].len != OUT_EMPTY)
			pr->out[out_slot(pr, old[i].prefix, old[i].len)] =
			    old[i];
	br->out_mem -= (size_t)old_cap * sizeof(*old);
	free(old);
}

static void
out_remove(struct peer *pr, uint32_t i)
{
	uint32_t mask = pr->out_cap - 1, j = i, k;

	for (;;) {
		pr->out[i].len = OUT_EMPTY;
		pr->out[i].a = NULL;
		for (;;) {
			j = (j + 1) & mask;
			if (pr->out[j].len == OUT_EMPTY)
				return;
			k = ohash(pr->out[j].prefix, pr->out[j].len) & mask;
			if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
				continue;
			break;
		}
		pr->out[i] = pr->out[j];
		i = j;
	}
}

static struct peer *
out_peer(const struct bgp_rib *br, uint16_t peer)
{
	if (peer == BGP_PEER_LOCAL || peer >= br->n_peer ||
	    !br->peer[peer].used)
		return NULL;
	return &br->peer[peer];
}

bool
bgp_rib_out_set(struct bgp_rib *br, uint16_t peer, uint32_t prefix,
    uint8_t len, const struct bgp_attrs *ia)
{
	struct peer *pr = out_peer(br, peer);
	uint32_t i;

	if (pr == NULL || len > 32)
		return false;
	if (ia != NULL && (pr->n_out + 1) * 2 > pr->out_cap)
		out_grow(br, pr);
	if (pr->out_cap == 0)
		return false;	/* a withdrawal of what was never sent */
	i = out_slot(pr, prefix, len);
	if (pr->out[i].len == OUT_EMPTY) {
		if (ia == NULL)
			return false;
		bgp_intern_ref(ia);
		pr->out[i].a = ia;
		pr->out[i].prefix = prefix;
		pr->out[i].len = len;
		pr->n_out++;
		return true;
	}
	if (pr->out[i].a == ia)
		return false;
	bgp_intern_put(br->it, pr->out[i].a);
	if (ia == NULL) {
		out_remove(pr, i);
		pr->n_out--;
	} else {
		bgp_intern_ref(ia);
		pr->out[i].a = ia;
	}
	return true;
}

const struct bgp_attrs *
bgp_rib_out_get(const struct bgp_rib *br, uint16_t peer, uint32_t prefix,
    uint8_t len)
{
	const struct peer *pr = out_peer(br, peer);
	uint32_t i;

	if (pr == NULL || pr->out_cap == 0 || len > 32)
		return NULL;
	i = out_slot(pr, prefix, len);
	return pr->out[i].len == OUT_EMPTY ? NULL : pr->out[i].a;
}

size_t
bgp_rib_out_count(const struct bgp_rib *br, uint16_t peer)
{
	const struct peer *pr = out_peer(br, peer);

	return pr == NULL ? 0 : pr->n_out;
}

size_t
bgp_rib_out_memory(const struct bgp_rib *br)
{
	return br->out_mem;
}

/* ---- sorted walks ---- */

struct skey {
	uint64_t key;		/* prefix, len: the walk order */
	uint32_t idx;
};

static int
skey_cmp(const void *a, const void *b)
{
	const struct skey *x = a, *y = b;

	return x->key < y->key ? -1 : x->key > y->key;
}

void
bgp_rib_out_walk(const struct bgp_rib *br, uint16_t peer, bgp_in_walk_fn fn,
    void *ctx)
{
	const struct peer *pr = out_peer(br, peer);
	struct skey *k;
	size_t n = 0, i;

	if (pr == NULL || pr->n_out == 0)
		return;
	k = xmalloc(pr->n_out * sizeof(*k));
	for (i = 0; i < pr->out_cap; i++)
		if (pr->out[i].len != OUT_EMPTY) {
			k[n].key = (uint64_t)pr->out[i].prefix << 8 |
			    pr->out[i].len;
			k[n++].idx = (uint32_t)i;
		}
	qsort(k, n, sizeof(*k), skey_cmp);
	for (i = 0; i < n; i++) {
		const struct outent *e = &pr->out[k[i].idx];

		fn(e->prefix, e->len, e->a, ctx);
	}
	free(k);
}

void
bgp_rib_walk(const struct bgp_rib *br, bgp_walk_fn fn, void *ctx)
{
	struct bgp_rib *w = (struct bgp_rib *)(uintptr_t)br;
	struct bgp_route r[BGP_MAX_PATHS];
	struct bgp_change c;
	struct skey *k;
	size_t n = 0, i;
	uint32_t d;

	if (br->n_dest == 0)
		return;
	k = xmalloc(br->n_dest * sizeof(*k));
	for (d = 1; d < br->dest_used; d++)
		if (br->dest[d].len != DEST_FREE && br->dest[d].n_mp > 0) {
			k[n].key = (uint64_t)br->dest[d].prefix << 8 |
			    br->dest[d].len;
			k[n++].idx = d;
		}
	qsort(k, n, sizeof(*k), skey_cmp);
	for (i = 0; i < n; i++) {
		const struct dest *dp = &br->dest[k[i].idx];
		uint32_t p = dp->head;
		unsigned j;

		/* resolve() only fills the sets' caches */
		for (j = 0; j < dp->n_mp; j++, p = br->path[p].next)
			bgp_route_of(w, p, &r[j]);
		c.kind = BGP_CH_ADDED;
		c.prefix = dp->prefix;
		c.len = dp->len;
		c.n_paths = dp->n_mp;
		c.paths = r;
		fn(&c, ctx);
	}
	free(k);
}

/* ---- explanation ---- */

int
bgp_rib_explain(struct bgp_rib *br, uint32_t prefix, uint8_t len,
    struct bgp_explain *ex)
{
	uint32_t d = bgp_dest_find(br, prefix, len);
	unsigned k, i, n_mp;
	unsigned pos[BGP_PEER_MAX];

	memset(ex, 0, sizeof(*ex));
	if (d == NONE || br->dest[d].head == NONE)
		return -1;
	k = bgp_collect(br, d);
	n_mp = bgp_decide(br->cand, k, &br->cfg.decide, br->order);
	ex->n = k;
	ex->n_mp = n_mp;
	ex->r = xcalloc(k, sizeof(*ex->r));
	for (i = 0; i < k; i++)
		pos[br->order[i]] = i;
	for (i = 0; i < k; i++) {
		const struct bgp_cand *c = &br->cand[br->order[i]];
		struct bgp_explain_route *e = &ex->r[i];

		bgp_route_of(br, br->cidx[br->order[i]], &e->r);
		e->rule = c->rule;
		e->multipath = c->multipath;
		e->beaten_by = pos[c->beaten_by];
		if (c->rule != BGP_RULE_NONE)
			bgp_decide_why(&br->cand[c->beaten_by], c,
			    (enum bgp_rule)c->rule, &br->cfg.decide, e->why,
			    sizeof(e->why));
	}
	return 0;
}

void
bgp_explain_free(struct bgp_explain *ex)
{
	free(ex->r);
	memset(ex, 0, sizeof(*ex));
}

static void
ip_print(FILE *out, uint32_t a)
{
	fprintf(out, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255,
	    a & 255);
}

int
bgp_rib_explain_print(struct bgp_rib *br, uint32_t prefix, uint8_t len,
    FILE *out)
{
	struct bgp_explain ex;
	char path[256];
	unsigned i;

	if (bgp_rib_explain(br, prefix, len, &ex) != 0)
		return -1;
	ip_print(out, prefix);
	fprintf(out, "/%u: %u route%s, %u in the multipath set\n", len, ex.n,
	    ex.n == 1 ? "" : "s", ex.n_mp);
	for (i = 0; i < ex.n; i++) {
		const struct bgp_explain_route *e = &ex.r[i];
		const struct bgp_peer_info *p = bgp_rib_peer(br, e->r.peer);

		fprintf(out, "  %c ", e->multipath ? '*' : ' ');
		if (e->r.peer == BGP_PEER_LOCAL) {
			fprintf(out, "local");
		} else {
			ip_print(out, p->addr);
			fprintf(out, " AS %u via ", p->asn);
			ip_print(out, e->r.a->next_hop);
		}
		bgp_path_str(e->r.a->v, e->r.a->path_len, path, sizeof(path));
		fprintf(out, " path %s: %s\n", path[0] != '\0' ? path : "(empty)",
		    e->rule == BGP_RULE_NONE ? "best" : e->why);
	}
	bgp_explain_free(&ex);
	return 0;
}
