/*
 * bgp_origin.c - the routes a speaker originates itself, all as the
 * Loc-RIB's BGP_PEER_LOCAL routes: `network` statements, aggregates (RFC
 * 4271 9.2.2.2) while a more specific route is in the Loc-RIB, and the
 * node's connected and static routes redistributed as they come and go.
 *
 * One prefix has one local route, so each originated prefix has an entry
 * saying who wants it; a network statement wins over an aggregate, an
 * aggregate over a redistributed route. Nothing here changes a table from
 * inside a listener: the Loc-RIB's feed marks aggregates dirty and the
 * node RIB's queues prefixes (and schedules an event at the same instant);
 * bgp_origin_settle() does the work when the change that fed them has
 * returned (bgp_export_flush_all calls it).
 */
#include <stdlib.h>
#include <string.h>

#include "bgp_intern.h"
#include "bgp_policy.h"
#include "bgp_rib.h"
#include "bgp_speaker_int.h"
#include "net.h"
#include "rib.h"
#include "sim.h"
#include "util.h"

/* One originated prefix and what originates it (interned sets or NULL). */
struct orig_ent {
	uint32_t addr;
	uint8_t len;
	bool net;
	const struct bgp_attrs *agg, *redist;
};

struct agg {
	uint32_t addr;
	uint8_t len;
	bool summary_only, as_set, dirty;
	struct bgp_prefix4 *c;		/* contributors, sorted */
	size_t n_c, cap_c;
	/*
	 * The MULTI_EXIT_DISC of the first contributor (has_med: present):
	 * one with another is left out (RFC 4271 9.2.2.2), not suppressed.
	 */
	bool has_med;
	uint32_t med;
};

struct bgp_origin {
	struct orig_ent *e;		/* sorted by (addr, len) */
	size_t n_e, cap_e;
	struct agg *agg;
	size_t n_agg;
	unsigned n_summary;
	bool rib_listening, settling, dirty;
	unsigned redist;		/* BGP_REDIST_* */
	struct bgp_policy *redist_pol;
	struct rib *nrib;		/* the node's table we listen to */
	struct bgp_prefix_q rq;		/* node prefixes to look at again */
	sim_event_id rev;
	/*
	 * Entries nothing wants any more stay in e[] until ent_compact (one
	 * pass for a whole batch: removing each at once cost a memmove per
	 * prefix, O(n^2) for a withdrawal of n). moved counts the entries
	 * memmove and compaction shifted, the work a test can measure.
	 */
	bool holes;
	size_t moved;
};

static int
pfx_cmp(uint32_t a, uint8_t al, uint32_t b, uint8_t bl)
{
	if (a != b)
		return a < b ? -1 : 1;
	return (int)al - (int)bl;
}

static bool
covers(uint32_t addr, uint8_t len, uint32_t p, uint8_t plen)
{
	uint32_t m = len == 0 ? 0 : 0xffffffffu << (32 - len);

	return plen > len && (p & m) == addr;
}

static struct bgp_origin *
origin(struct bgp_speaker *sp)
{
	if (sp->orig == NULL)
		sp->orig = xcalloc(1, sizeof(*sp->orig));
	return sp->orig;
}

/* Index of prefix in the sorted array, or where it would go (*found). */
static size_t
ent_pos(const struct bgp_origin *o, uint32_t addr, uint8_t len, bool *found)
{
	size_t lo = 0, hi = o->n_e;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = pfx_cmp(o->e[mid].addr, o->e[mid].len, addr, len);

		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = false;
	return lo;
}

static struct orig_ent *
ent_get(struct bgp_origin *o, uint32_t addr, uint8_t len)
{
	bool found;
	size_t i = ent_pos(o, addr, len, &found);

	if (found)
		return &o->e[i];
	if (o->n_e == o->cap_e) {
		o->cap_e = o->cap_e != 0 ? 2 * o->cap_e : 16;
		o->e = xrealloc(o->e, o->cap_e * sizeof(*o->e));
	}
	memmove(o->e + i + 1, o->e + i, (o->n_e - i) * sizeof(*o->e));
	o->moved += o->n_e - i;
	memset(&o->e[i], 0, sizeof(o->e[i]));
	o->e[i].addr = addr;
	o->e[i].len = len;
	o->n_e++;
	return &o->e[i];
}

static struct orig_ent *
ent_find(const struct bgp_origin *o, uint32_t addr, uint8_t len)
{
	bool found;
	size_t i;

	if (o == NULL)
		return NULL;
	i = ent_pos(o, addr, len, &found);
	return found ? &o->e[i] : NULL;
}

/* A local set: empty AS_PATH, NEXT_HOP set per session on export. */
static struct bgp_attrs *
local_set(uint8_t origin, bool has_med, uint32_t med)
{
	struct bgp_attrs a;
	struct bgp_attrs_var v;

	memset(&a, 0, sizeof(a));
	memset(&v, 0, sizeof(v));
	a.has = BGP_HAS(BGP_ATTR_ORIGIN) | BGP_HAS(BGP_ATTR_AS_PATH) |
	    BGP_HAS(BGP_ATTR_NEXT_HOP);
	a.origin = origin;
	if (has_med) {
		a.has |= BGP_HAS(BGP_ATTR_MED);
		a.med = med;
	}
	return bgp_attrs_new(&a, &v);
}

static bool
ent_empty(const struct orig_ent *e)
{
	return !e->net && e->agg == NULL && e->redist == NULL;
}

/* Drop the entries nothing wants, in one pass. */
static void
ent_compact(struct bgp_origin *o)
{
	size_t i, k = 0;

	if (o == NULL || !o->holes)
		return;
	for (i = 0; i < o->n_e; i++) {
		if (ent_empty(&o->e[i]))
			continue;
		if (k != i) {
			o->e[k] = o->e[i];
			o->moved++;
		}
		k++;
	}
	o->n_e = k;
	o->holes = false;
}

/*
 * Put the entry's winner into the Loc-RIB (or take the local route out);
 * an entry nothing wants is left for ent_compact, which whoever changed
 * entries calls once done. The caller holds sp->busy.
 */
static void
ent_sync(struct bgp_speaker *sp, uint32_t addr, uint8_t len)
{
	struct bgp_origin *o = sp->orig;
	struct bgp_intern *it = bgp_rib_intern(sp->rib);
	struct orig_ent *e = ent_find(o, addr, len);
	const struct bgp_attrs *want = NULL, *own = NULL;

	if (e != NULL && e->net)
		want = own = bgp_intern_take(it, local_set(BGP_ORIGIN_IGP,
		    false, 0));
	else if (e != NULL)
		want = e->agg != NULL ? e->agg : e->redist;
	if (want != NULL)
		bgp_rib_update(sp->rib, BGP_PEER_LOCAL, addr, len, want);
	else
		bgp_rib_withdraw(sp->rib, BGP_PEER_LOCAL, addr, len);
	bgp_intern_put(it, own);
	if (e != NULL && ent_empty(e))
		o->holes = true;
}

static bool
pfx_ok(uint32_t prefix, uint8_t len)
{
	return len <= 32 && (len == 32 || (prefix & (0xffffffffu >> len)) ==
	    0);
}

/* One network statement on or off; the caller holds sp->busy. */
static bool
net_set(struct bgp_speaker *sp, uint32_t prefix, uint8_t len, bool on)
{
	struct orig_ent *e;

	if (on) {
		ent_get(origin(sp), prefix, len)->net = true;
	} else {
		e = ent_find(sp->orig, prefix, len);
		if (e == NULL || !e->net)
			return false;
		e->net = false;
	}
	ent_sync(sp, prefix, len);
	return true;
}

int
bgp_speaker_add_network(struct bgp_speaker *sp, uint32_t prefix, uint8_t len)
{
	return bgp_speaker_set_networks(sp, &prefix, &len, 1, true);
}

int
bgp_speaker_remove_network(struct bgp_speaker *sp, uint32_t prefix,
    uint8_t len)
{
	bool was;

	if (!pfx_ok(prefix, len))
		return -1;
	sp->busy++;
	was = net_set(sp, prefix, len, false);
	ent_compact(sp->orig);
	sp->busy--;
	bgp_export_flush_all(sp);
	return was ? 0 : -1;
}

int
bgp_speaker_set_networks(struct bgp_speaker *sp, const uint32_t *addr,
    const uint8_t *len, size_t n, bool on)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!pfx_ok(addr[i], len[i]))
			return -1;
	sp->busy++;
	for (i = 0; i < n; i++)
		(void)net_set(sp, addr[i], len[i], on);
	ent_compact(sp->orig);
	sp->busy--;
	bgp_export_flush_all(sp);
	return 0;
}

/* ---- aggregation ---- */

static void
contrib_set(struct agg *g, uint32_t addr, uint8_t len, bool present)
{
	size_t lo = 0, hi = g->n_c;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = pfx_cmp(g->c[mid].addr, g->c[mid].len, addr, len);

		if (c == 0) {
			if (!present) {
				memmove(g->c + mid, g->c + mid + 1,
				    (g->n_c - mid - 1) * sizeof(*g->c));
				g->n_c--;
			}
			return;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!present)
		return;
	if (g->n_c == g->cap_c) {
		g->cap_c = g->cap_c != 0 ? 2 * g->cap_c : 16;
		g->c = xrealloc(g->c, g->cap_c * sizeof(*g->c));
	}
	memmove(g->c + lo + 1, g->c + lo, (g->n_c - lo) * sizeof(*g->c));
	g->c[lo].addr = addr;
	g->c[lo].len = len;
	g->n_c++;
}

/* The Loc-RIB's feed: which aggregates gained, lost or changed a route. */
static void
agg_on_change(struct bgp_rib *br, const struct bgp_change *ch, void *ctx)
{
	struct bgp_origin *o = ctx;
	size_t i;

	(void)br;
	for (i = 0; i < o->n_agg; i++) {
		struct agg *g = &o->agg[i];

		if (!covers(g->addr, g->len, ch->prefix, ch->len))
			continue;
		contrib_set(g, ch->prefix, ch->len, ch->n_paths > 0);
		g->dirty = true;
		o->dirty = true;
	}
}

/* One AS of a path with its segment type: RFC 4271 9.2.2.2's tuple. */
struct tuple {
	uint8_t type;
	uint32_t as;
};

static size_t
path_tuples(const struct bgp_attrs *a, struct tuple **t, size_t *cap)
{
	size_t i = 0, n = 0;

	while (i < a->path_len) {
		uint8_t ty = BGP_SEG_TYPE(a->v[i]);
		size_t k = BGP_SEG_N(a->v[i]);

		for (size_t j = 1; j <= k && i + j < a->path_len; j++) {
			if (n == *cap) {
				*cap = *cap != 0 ? 2 * *cap : 64;
				*t = xrealloc(*t, *cap * sizeof(**t));
			}
			(*t)[n].type = ty;
			(*t)[n++].as = a->v[i + j];
		}
		i += 1 + k;
	}
	return n;
}

static int
u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * RFC 4271 9.2.2.2 AS_PATH: the longest leading run of tuples common to
 * every contributor, then the rest of their ASes as an AS_SET (sorted, so
 * the result does not depend on the order of the contributors), an AS
 * already in the leading run left out of the set; runs of one type merged
 * into segments of at most 255. Returns the words written to *out.
 */
static size_t
agg_path(const struct bgp_attrs *const *ca, size_t n, uint32_t **out)
{
	struct tuple *lead = NULL, *t = NULL;
	size_t cap_l = 0, cap_t = 0, n_lead, nt, i, j, n_set = 0, cap_s = 0;
	uint32_t *set = NULL, *w;
	size_t nw = 0;

	n_lead = n > 0 ? path_tuples(ca[0], &lead, &cap_l) : 0;
	for (i = 1; i < n; i++) {
		nt = path_tuples(ca[i], &t, &cap_t);
		for (j = 0; j < n_lead && j < nt && lead[j].type ==
		    t[j].type && lead[j].as == t[j].as; j++)
			;
		n_lead = j;
	}
	for (i = 0; i < n; i++) {
		nt = path_tuples(ca[i], &t, &cap_t);
		for (j = n_lead; j < nt; j++) {
			if (n_set == cap_s) {
				cap_s = cap_s != 0 ? 2 * cap_s : 64;
				set = xrealloc(set, cap_s * sizeof(*set));
			}
			set[n_set++] = t[j].as;
		}
	}
	if (n_set > 0)
		qsort(set, n_set, sizeof(*set), u32_cmp);
	/* unique, and not already in the leading run */
	for (i = 0, j = 0; i < n_set; i++) {
		bool dup = j > 0 && set[j - 1] == set[i];

		for (size_t k = 0; !dup && k < n_lead; k++)
			dup = lead[k].as == set[i];
		if (!dup)
			set[j++] = set[i];
	}
	n_set = j;
	w = xcalloc(2 * (n_lead + n_set) + 2, sizeof(*w));
	for (i = 0; i < n_lead; i = j) {
		for (j = i; j < n_lead && j - i < 255 &&
		    lead[j].type == lead[i].type; j++)
			;
		w[nw++] = BGP_SEG(lead[i].type, j - i);
		for (size_t k = i; k < j; k++)
			w[nw++] = lead[k].as;
	}
	for (i = 0; i < n_set; i = j) {
		j = i + 255 < n_set ? i + 255 : n_set;
		w[nw++] = BGP_SEG(BGP_SEG_SET, j - i);
		memcpy(w + nw, set + i, (j - i) * sizeof(*w));
		nw += j - i;
	}
	free(lead);
	free(t);
	free(set);
	*out = w;
	return nw;
}

static bool
same_med(const struct agg *g, const struct bgp_attrs *a)
{
	bool has = (a->has & BGP_HAS(BGP_ATTR_MED)) != 0;

	return has == g->has_med && (!has || a->med == g->med);
}

/*
 * The aggregate's set from its contributors now (none: NULL); g's MED
 * becomes its first contributor's.
 */
static struct bgp_attrs *
agg_attrs(struct bgp_speaker *sp, struct agg *g)
{
	const struct bgp_attrs **ca;
	struct bgp_attrs fixed, *a;
	struct bgp_attrs_var v;
	struct bgp_route r;
	uint32_t *path = NULL;
	bool atomic = !g->as_set, same = true;
	uint8_t org = BGP_ORIGIN_IGP;
	size_t i, n = 0;

	if (g->n_c == 0)
		return NULL;
	ca = xcalloc(g->n_c, sizeof(*ca));
	for (i = 0; i < g->n_c; i++) {
		if (!bgp_rib_best(sp->rib, g->c[i].addr, g->c[i].len, &r))
			continue;
		if (n == 0) {
			g->has_med = (r.a->has & BGP_HAS(BGP_ATTR_MED)) != 0;
			g->med = g->has_med ? r.a->med : 0;
		} else if (!same_med(g, r.a)) {
			/* 9.2.2.2: different MEDs SHALL NOT be aggregated */
			continue;
		}
		ca[n++] = r.a;
		/* 9.2.2.2: INCOMPLETE over EGP over IGP */
		if (r.a->origin > org)
			org = r.a->origin;
		if (r.a->has & BGP_HAS(BGP_ATTR_ATOMIC_AGGR))
			atomic = true;
		if (r.a->path_len != ca[0]->path_len ||
		    memcmp(r.a->v, ca[0]->v, 4u * r.a->path_len) != 0)
			same = false;
	}
	memset(&fixed, 0, sizeof(fixed));
	memset(&v, 0, sizeof(v));
	fixed.has = BGP_HAS(BGP_ATTR_ORIGIN) | BGP_HAS(BGP_ATTR_AS_PATH) |
	    BGP_HAS(BGP_ATTR_NEXT_HOP) | BGP_HAS(BGP_ATTR_AGGREGATOR);
	fixed.origin = org;
	fixed.aggr_as = sp->cfg.asn;
	fixed.aggr_id = sp->cfg.router_id;
	if (atomic)
		fixed.has |= BGP_HAS(BGP_ATTR_ATOMIC_AGGR);
	if (g->as_set && n > 0) {
		if (same) {
			/* 9.2.2.2: identical paths are kept as they are */
			v.path = ca[0]->v;
			v.path_len = ca[0]->path_len;
		} else {
			size_t nw = agg_path(ca, n, &path);

			if (nw <= BGP_PATH_MAX_WORDS) {
				v.path_len = (uint16_t)nw;
				v.path = path;
			} else {
				/* no UPDATE could carry it: the ASes are lost */
				fixed.has |= BGP_HAS(BGP_ATTR_ATOMIC_AGGR);
			}
		}
	}
	a = bgp_attrs_new(&fixed, &v);
	free(path);
	free(ca);
	return a;
}

static void
walk_seed(const struct bgp_change *c, void *ctx)
{
	struct agg *g = ctx;

	if (covers(g->addr, g->len, c->prefix, c->len))
		contrib_set(g, c->prefix, c->len, true);
}

static void
queue_all_peers(struct bgp_speaker *sp, uint32_t addr, uint8_t len)
{
	for (size_t i = 0; i < sp->n_peers; i++) {
		struct bgp_prefix_q *q = &sp->peers[i]->pend;

		if (sp->peers[i]->up == NULL)
			continue;
		if (q->n == q->cap) {
			q->cap = q->cap != 0 ? q->cap * 2 : 64;
			q->v = xrealloc(q->v, q->cap * sizeof(*q->v));
		}
		q->v[q->n].addr = addr;
		q->v[q->n++].len = len;
	}
}

int
bgp_speaker_add_aggregate(struct bgp_speaker *sp, uint32_t prefix,
    uint8_t len, bool summary_only, bool as_set)
{
	struct bgp_origin *o;
	struct agg *g;
	size_t i;

	if (len >= 32 || (prefix & (0xffffffffu >> len)) != 0)
		return -1;	/* a /32 has nothing more specific */
	o = origin(sp);
	for (i = 0; i < o->n_agg; i++)
		if (o->agg[i].addr == prefix && o->agg[i].len == len)
			return -1;
	if (!o->rib_listening) {
		bgp_rib_add_listener(sp->rib, agg_on_change, o);
		o->rib_listening = true;
	}
	o->agg = bgp_grow_pow2(o->agg, o->n_agg, sizeof(*o->agg));
	g = &o->agg[o->n_agg++];
	memset(g, 0, sizeof(*g));
	g->addr = prefix;
	g->len = len;
	g->summary_only = summary_only;
	g->as_set = as_set;
	g->dirty = o->dirty = true;
	bgp_rib_walk(sp->rib, walk_seed, g);
	if (summary_only) {
		o->n_summary++;
		/* what was sent of the more specifics goes */
		for (i = 0; i < g->n_c; i++)
			queue_all_peers(sp, g->c[i].addr, g->c[i].len);
	}
	bgp_export_flush_all(sp);
	return 0;
}

bool
bgp_origin_suppressed(const struct bgp_speaker *sp, uint32_t prefix,
    uint8_t len, const struct bgp_attrs *a)
{
	const struct bgp_origin *o = sp->orig;
	size_t i;

	if (o == NULL || o->n_summary == 0)
		return false;
	for (i = 0; i < o->n_agg; i++)
		if (o->agg[i].summary_only && o->agg[i].n_c > 0 &&
		    covers(o->agg[i].addr, o->agg[i].len, prefix, len) &&
		    same_med(&o->agg[i], a))
			return true;
	return false;
}

/* ---- redistribution ---- */

static bool
redist_source(const struct bgp_origin *o, uint8_t source)
{
	return source < RIB_SRC_MAX && (o->redist & BGP_REDIST_SOURCE(source));
}

static void
redist_ev(struct sim *sim, void *arg)
{
	struct bgp_speaker *sp = arg;

	(void)sim;
	sp->orig->rev = (sim_event_id){ 0, 0 };
	bgp_export_flush_all(sp);
}

static void
rq_push(struct bgp_speaker *sp, uint32_t addr, uint8_t len)
{
	struct bgp_prefix_q *q = &sp->orig->rq;

	if (q->n == q->cap) {
		q->cap = q->cap != 0 ? q->cap * 2 : 64;
		q->v = xrealloc(q->v, q->cap * sizeof(*q->v));
	}
	q->v[q->n].addr = addr;
	q->v[q->n++].len = len;
}

/*
 * The node's table changed a best route: look at the prefix again once the
 * change has returned (an event now: this may be the BGP glue's own
 * install, inside the Loc-RIB's change). Only prefixes that are or were
 * ours to redistribute are queued, so BGP's own installs cost a lookup.
 */
static void
redist_on_change(struct rib *r, const struct rib_change *c, void *ctx)
{
	struct bgp_speaker *sp = ctx;
	struct bgp_origin *o = sp->orig;
	struct orig_ent *e;

	(void)r;
	if (c->best == NULL || !redist_source(o, c->best->source)) {
		e = ent_find(o, c->prefix, c->len);
		if (e == NULL || e->redist == NULL)
			return;
	}
	rq_push(sp, c->prefix, c->len);
	if (!sim_is_pending(sp->sim, o->rev))
		o->rev = sim_schedule(sp->sim, 0, redist_ev, sp);
}

/* The prefix's redistributed set, from the node's table now. */
static void
redist_one(struct bgp_speaker *sp, uint32_t addr, uint8_t len)
{
	struct bgp_origin *o = sp->orig;
	struct bgp_intern *it = bgp_rib_intern(sp->rib);
	const struct bgp_attrs *ia = NULL;
	struct orig_ent *e;
	struct rib_route rt;

	if (o->redist != 0 && rib_best(o->nrib, addr, len, &rt) &&
	    redist_source(o, rt.source)) {
		struct bgp_attrs *na = local_set(BGP_ORIGIN_INCOMPLETE, true,
		    rt.metric);
		struct bgp_pol_result res;
		struct bgp_pol_route pr;

		memset(&res, 0, sizeof(res));
		if (o->redist_pol == NULL) {
			ia = bgp_intern_take(it, na);
		} else {
			memset(&pr, 0, sizeof(pr));
			pr.addr = addr;
			pr.len = len;
			pr.dir = BGP_POL_IMPORT;
			pr.local_as = sp->cfg.asn;
			if (bgp_policy_eval(o->redist_pol, &pr, na, &res, NULL,
			    0) == BGP_POL_ACCEPT)
				ia = res.attrs != NULL ?
				    bgp_intern_take(it, res.attrs) :
				    bgp_intern_get(it, na);
			free(na);
		}
	}
	e = ia != NULL ? ent_get(o, addr, len) : ent_find(o, addr, len);
	if (e == NULL)
		return;
	bgp_intern_put(it, e->redist);
	e->redist = ia;
	ent_sync(sp, addr, len);
}

static void
walk_node(uint32_t prefix, uint8_t len, const struct rib_route *best,
    const struct rib_nhg *nhg, void *ctx)
{
	(void)best;
	(void)nhg;
	rq_push(ctx, prefix, len);
}

/* Everything again: what now qualifies, and what no longer does. */
static void
redist_all(struct bgp_speaker *sp)
{
	struct bgp_origin *o = sp->orig;
	size_t i;

	rib_walk(o->nrib, walk_node, sp);
	for (i = 0; i < o->n_e; i++)
		if (o->e[i].redist != NULL)
			rq_push(sp, o->e[i].addr, o->e[i].len);
}

int
bgp_speaker_redistribute(struct bgp_speaker *sp, unsigned what,
    struct bgp_policy *pol)
{
	struct bgp_origin *o;

	if (what & BGP_REDIST_SOURCE(sp->cfg.rib_source))
		return -1;
	o = origin(sp);
	o->redist = what;
	o->redist_pol = pol;
	if (o->nrib == NULL) {
		o->nrib = node_rib(sp->node, sp->cfg.vrf);
		rib_add_listener(o->nrib, redist_on_change, sp);
	}
	redist_all(sp);
	bgp_export_flush_all(sp);
	return 0;
}

bool
bgp_origin_redist_policy_changed(struct bgp_speaker *sp,
    const struct bgp_policy *pol)
{
	struct bgp_origin *o = sp->orig;

	if (o == NULL || o->nrib == NULL || o->redist_pol != pol)
		return false;
	redist_all(sp);
	return true;
}

/* ---- settling ---- */

void
bgp_origin_settle(struct bgp_speaker *sp)
{
	struct bgp_origin *o = sp->orig;
	struct bgp_intern *it;
	size_t i;

	if (o == NULL || o->settling || (!o->dirty && o->rq.n == 0))
		return;
	it = bgp_rib_intern(sp->rib);
	o->settling = true;
	sp->busy++;
	while (o->dirty || o->rq.n > 0) {
		/* redistributed routes first: they may contribute */
		while (o->rq.n > 0) {
			struct bgp_prefix4 pf = o->rq.v[--o->rq.n];

			redist_one(sp, pf.addr, pf.len);
		}
		o->dirty = false;
		/* shorter aggregates last: a nested one contributes to them */
		for (int len = 31; len >= 0; len--) {
			for (i = 0; i < o->n_agg; i++) {
				struct agg *g = &o->agg[i];
				struct orig_ent *e;
				struct bgp_attrs *na;
				bool had = g->has_med;
				uint32_t med = g->med;

				if (g->len != len || !g->dirty)
					continue;
				g->dirty = false;
				na = agg_attrs(sp, g);
				/*
				 * Another first MED: which more specifics
				 * summary_only keeps back changes.
				 */
				if (g->summary_only && (had != g->has_med ||
				    med != g->med))
					for (size_t k = 0; k < g->n_c; k++)
						queue_all_peers(sp, g->c[k].addr,
						    g->c[k].len);
				e = na != NULL ? ent_get(o, g->addr, g->len) :
				    ent_find(o, g->addr, g->len);
				if (e == NULL)
					continue;
				bgp_intern_put(it, e->agg);
				e->agg = na != NULL ? bgp_intern_take(it, na) :
				    NULL;
				ent_sync(sp, g->addr, g->len);
			}
		}
	}
	ent_compact(o);
	sp->busy--;
	o->settling = false;
}

size_t
bgp_origin_moved(const struct bgp_speaker *sp)
{
	return sp->orig != NULL ? sp->orig->moved : 0;
}

void
bgp_origin_free(struct bgp_speaker *sp)
{
	struct bgp_origin *o = sp->orig;
	struct bgp_intern *it = bgp_rib_intern(sp->rib);
	size_t i;

	if (o == NULL)
		return;
	if (o->nrib != NULL)
		rib_remove_listener(o->nrib, redist_on_change, sp);
	if (o->rib_listening)
		bgp_rib_remove_listener(sp->rib, agg_on_change, o);
	sim_cancel(sp->sim, o->rev);
	for (i = 0; i < o->n_e; i++) {
		bgp_intern_put(it, o->e[i].agg);
		bgp_intern_put(it, o->e[i].redist);
	}
	for (i = 0; i < o->n_agg; i++)
		free(o->agg[i].c);
	free(o->agg);
	free(o->e);
	bgp_prefix_q_free(&o->rq);
	free(o);
	sp->orig = NULL;
}
