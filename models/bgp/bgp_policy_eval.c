/*
 * bgp_policy_eval.c - a route through a policy: the matches, the actions
 * on a working copy of the attributes (the input is only read), the
 * AS-path match cache, and the explanation in words.
 *
 * The working copy starts as the input's fixed fields and borrowed
 * pointers to its arrays; an array is copied into the policy's scratch
 * buffers the first time an action changes it, so a rule that only sets
 * LOCAL_PREF copies nothing but the header, and the one allocation per
 * changed route is the new set given back.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bgp_policy_int.h"
#include "util.h"

struct work {
	struct bgp_attrs *fx;		/* fixed fields (a copy) */
	struct bgp_attrs_var var;	/* arrays: the input's or scratch */
	bool path_own, comm_own, lcomm_own;
	bool text_ok;			/* p->text is the path's text */
	struct pc_slot *slot;		/* the path's cache slot, if any */
	bool changed;
};

struct why {
	char *buf;
	size_t cap, off;
};

static void
say(struct why *w, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (w->buf == NULL || w->off + 1 >= w->cap)
		return;
	va_start(ap, fmt);
	n = vsnprintf(w->buf + w->off, w->cap - w->off, fmt, ap);
	va_end(ap);
	if (n > 0)
		w->off = w->off + (size_t)n < w->cap ? w->off + (size_t)n :
		    w->cap - 1;
}

static void *
grow(void *buf, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return buf;
	*cap = need < 16 ? 16 : need * 2;
	return xrealloc(buf, *cap * size);
}

/* ---- matches ---- */

static uint32_t
path_hash(const uint32_t *w, uint16_t n)
{
	uint32_t h = 2166136261u;

	for (uint16_t i = 0; i < n; i++) {
		h = (h ^ w[i]) * 16777619u;
		h ^= h >> 13;
	}
	return h ^ n;
}

static const char *
path_text(struct bgp_policy *p, struct work *w)
{
	if (!w->text_ok) {
		p->text = grow(p->text, &p->text_cap,
		    12u * w->var.path_len + 1, 1);
		bgp_path_text(w->var.path, w->var.path_len, p->text,
		    p->text_cap);
		w->text_ok = true;
	}
	return p->text;
}

/*
 * AS-path regex re on the working path, through the cache: a route's
 * path is one of few (routes share paths), so most routes cost a hash of
 * the path and a compare, not a regexec.
 */
static bool
path_match(struct bgp_policy *p, struct work *w, int re)
{
	const uint32_t *path = w->var.path;
	uint16_t n = w->var.path_len;
	uint64_t bit = 1ull << (re & 63);
	struct pc_slot *s = w->slot;
	bool ok;

	if (s == NULL && re < PC_REGEXES && n <= PC_WORDS) {
		uint32_t h = path_hash(path, n);

		if (p->cache == NULL)
			p->cache = xcalloc(PC_SLOTS, sizeof(*p->cache));
		s = &p->cache[h & (PC_SLOTS - 1)];
		if (!s->used || s->hash != h || s->len != n ||
		    (n > 0 && memcmp(s->w, path, 4u * n) != 0)) {
			s->used = true;
			s->hash = h;
			s->len = n;
			if (n > 0)
				memcpy(s->w, path, 4u * n);
			s->tried = s->matched = 0;
		}
		w->slot = s;
	}
	if (re >= PC_REGEXES)
		s = NULL;
	if (s != NULL && (s->tried & bit)) {
		p->hits++;
		return (s->matched & bit) != 0;
	}
	p->misses++;
	ok = bgp_re_match(p->pre[re], path_text(p, w));
	if (s != NULL) {
		s->tried |= bit;
		if (ok)
			s->matched |= bit;
	}
	return ok;
}

static bool
has_all(const uint32_t *have, uint16_t n, const uint32_t *want, uint16_t k,
    size_t per)
{
	for (uint16_t i = 0; i < k; i++) {
		bool found = false;

		for (uint16_t j = 0; j < n && !found; j++)
			found = memcmp(&have[per * j], &want[per * i],
			    4 * per) == 0;
		if (!found)
			return false;
	}
	return true;
}

static bool
comm_re(struct bgp_policy *p, const struct work *w, bool large, int re)
{
	uint16_t n = large ? w->var.n_lcomm : w->var.n_comm;

	p->ctext = grow(p->ctext, &p->ctext_cap, (large ? 33u : 12u) * n + 1,
	    1);
	if (large)
		bgp_lcomm_text(w->var.lcomm, n, p->ctext, p->ctext_cap);
	else
		bgp_comm_text(w->var.comm, n, p->ctext, p->ctext_cap);
	return bgp_re_match(p->cre[re], p->ctext);
}

static bool
match(struct bgp_policy *p, struct work *w, const struct bgp_pol_route *rt,
    const struct pol_match *m)
{
	uint32_t mask;

	switch (m->type) {
	case PM_PLIST:
		return bgp_plist_match(m->pl, rt->addr, rt->len, NULL) ==
		    BGP_POL_ACCEPT;
	case PM_PREFIX:
		return pl_covers(m->addr, m->len, m->lo, m->hi, rt->addr,
		    rt->len);
	case PM_ASPATH:
		return path_match(p, w, m->re);
	case PM_COMM:
		return has_all(w->var.comm, w->var.n_comm, m->vals, m->nvals,
		    1);
	case PM_LCOMM:
		return has_all(w->var.lcomm, w->var.n_lcomm, m->vals,
		    m->nvals, 3);
	case PM_COMM_RE:
	case PM_LCOMM_RE:
		return comm_re(p, w, m->type == PM_LCOMM_RE, m->re);
	case PM_NEXT_HOP:
		mask = m->len == 0 ? 0 : 0xffffffffu << (32 - m->len);
		return (w->fx->has & BGP_HAS(BGP_ATTR_NEXT_HOP)) &&
		    ((w->fx->next_hop ^ m->addr) & mask) == 0;
	case PM_PEER_AS:
		return rt->peer_as == m->num;
	case PM_ORIGIN:
		return (w->fx->has & BGP_HAS(BGP_ATTR_ORIGIN)) &&
		    w->fx->origin == m->num;
	}
	return false;
}

/* ---- actions ---- */

/* Prepend asn count times; false if the path would get too long. */
static bool
prepend(struct bgp_policy *p, struct work *w, uint32_t asn, uint32_t count)
{
	uint16_t n = w->var.path_len;
	bool merge = n > 0 && BGP_SEG_TYPE(w->var.path[0]) ==
	    BGP_SEG_SEQUENCE && BGP_SEG_N(w->var.path[0]) + count <= 255;
	size_t len = n + count + (merge ? 0 : 1);
	uint32_t *path;

	if (len > BGP_PATH_MAX_WORDS)
		return false;
	if (!w->path_own) {
		p->path = grow(p->path, &p->path_cap, len, 4);
		if (n > 0)
			memcpy(p->path, w->var.path, 4u * n);
		w->path_own = true;
	} else {
		p->path = grow(p->path, &p->path_cap, len, 4);
	}
	path = p->path;
	if (merge) {
		memmove(path + 1 + count, path + 1, 4u * (n - 1u));
		path[0] = BGP_SEG(BGP_SEG_SEQUENCE, BGP_SEG_N(path[0]) + count);
	} else {
		memmove(path + 1 + count, path, 4u * n);
		path[0] = BGP_SEG(BGP_SEG_SEQUENCE, count);
	}
	for (uint32_t i = 1; i <= count; i++)
		path[i] = asn;
	w->var.path = path;
	w->var.path_len = (uint16_t)len;
	w->fx->has |= BGP_HAS(BGP_ATTR_AS_PATH);
	w->text_ok = false;
	w->slot = NULL;
	return true;
}

/*
 * Add, remove or set values (per words each) in a community array of the
 * working copy: additions keep the order carried and append what is
 * missing, in the order given, so adding twice is adding once.
 */
static void
comm_edit(struct bgp_policy *p, struct work *w, bool large, int op,
    const uint32_t *vals, uint16_t k)
{
	size_t per = large ? 3 : 1;
	uint32_t **buf = large ? &p->lcomm : &p->comm;
	size_t *cap = large ? &p->lcomm_cap : &p->comm_cap;
	bool *own = large ? &w->lcomm_own : &w->comm_own;
	const uint32_t **cur = large ? &w->var.lcomm : &w->var.comm;
	uint16_t *n = large ? &w->var.n_lcomm : &w->var.n_comm;
	uint32_t bit = BGP_HAS(large ? BGP_ATTR_LARGE_COMM :
	    BGP_ATTR_COMMUNITIES);
	size_t m = op == 2 ? 0 : *n;

	*buf = grow(*buf, cap, per * ((size_t)*n + k), 4);
	if (!*own && op != 2 && m > 0)
		memcpy(*buf, *cur, 4 * per * m);
	*own = true;
	if (op == 1) {		/* remove */
		size_t out = 0;

		for (size_t i = 0; i < m; i++) {
			const uint32_t *c = *buf + per * i;

			if (!has_all(vals, k, c, 1, per)) {
				memmove(*buf + per * out, c, 4 * per);
				out++;
			}
		}
		m = out;
	} else {		/* add, set */
		for (uint16_t i = 0; i < k; i++)
			if (!has_all(*buf, (uint16_t)m, vals + per * i, 1,
			    per)) {
				memcpy(*buf + per * m, vals + per * i,
				    4 * per);
				m++;
			}
	}
	*cur = *buf;
	*n = (uint16_t)m;
	if (m > 0)
		w->fx->has |= bit;
	else
		w->fx->has &= ~bit;
}

static void
say_values(struct why *y, const uint32_t *v, uint16_t k, bool large)
{
	for (uint16_t i = 0; i < k; i++) {
		const char *name = large ? NULL : bgp_pol_comm_name(v[i]);

		if (name != NULL)
			say(y, " %s", name);
		else if (large)
			say(y, " %u:%u:%u", v[3 * i], v[3 * i + 1],
			    v[3 * i + 2]);
		else
			say(y, " %u:%u", v[i] >> 16, v[i] & 0xffff);
	}
	if (k == 0)
		say(y, " none");
}

static void
say_ip(struct why *y, uint32_t a)
{
	say(y, "%u.%u.%u.%u", a >> 24, a >> 16 & 255, a >> 8 & 255, a & 255);
}

static void
act(struct bgp_policy *p, struct work *w, const struct bgp_pol_route *rt,
    const struct pol_action *a, struct why *y)
{
	static const char *const op[] = { "add", "remove", "set" };
	uint32_t asn;

	switch (a->type) {
	case PA_LOCAL_PREF:
		w->fx->local_pref = a->num;
		w->fx->has |= BGP_HAS(BGP_ATTR_LOCAL_PREF);
		say(y, "set local-pref %u", a->num);
		break;
	case PA_MED:
		w->fx->med = a->num;
		w->fx->has |= BGP_HAS(BGP_ATTR_MED);
		say(y, "set med %u", a->num);
		break;
	case PA_PREPEND:
	case PA_PREPEND_SELF:
		asn = a->type == PA_PREPEND ? a->num : rt->local_as;
		say(y, "prepend %u x%u", asn, a->count);
		if (!prepend(p, w, asn, a->count))
			say(y, " skipped (the path would be too long)");
		break;
	case PA_COMM_ADD:
	case PA_COMM_REMOVE:
	case PA_COMM_SET:
		comm_edit(p, w, false, a->type - PA_COMM_ADD, a->vals,
		    a->nvals);
		say(y, "%s community", op[a->type - PA_COMM_ADD]);
		say_values(y, a->vals, a->nvals, false);
		break;
	case PA_LCOMM_ADD:
	case PA_LCOMM_REMOVE:
	case PA_LCOMM_SET:
		comm_edit(p, w, true, a->type - PA_LCOMM_ADD, a->vals,
		    a->nvals);
		say(y, "%s large-community", op[a->type - PA_LCOMM_ADD]);
		say_values(y, a->vals, a->nvals, true);
		break;
	case PA_NEXT_HOP:
	case PA_NEXT_HOP_SELF:
		w->fx->next_hop = a->type == PA_NEXT_HOP ? a->num : rt->self_nh;
		w->fx->has |= BGP_HAS(BGP_ATTR_NEXT_HOP);
		say(y, a->type == PA_NEXT_HOP ? "set next-hop " :
		    "set next-hop self ");
		if (a->type == PA_NEXT_HOP_SELF)
			say(y, "(");
		say_ip(y, w->fx->next_hop);
		if (a->type == PA_NEXT_HOP_SELF)
			say(y, ")");
		break;
	}
	w->changed = true;
}

/* ---- the policy ---- */

enum bgp_pol_verdict
bgp_policy_eval(struct bgp_policy *p, const struct bgp_pol_route *rt,
    const struct bgp_attrs *in, struct bgp_pol_result *res, char *whybuf,
    size_t whylen)
{
	static const char *const disp_word[] = {
		[DISP_ACCEPT] = "accept",
		[DISP_REJECT] = "reject",
		[DISP_CONTINUE] = "continue",
	};
	const char *dir = rt->dir == BGP_POL_EXPORT ? "export" : "import";
	struct why y = { whybuf, whylen, 0 };
	struct bgp_attrs fx = *in;
	struct work w = { .fx = &fx };

	if (whybuf != NULL && whylen > 0)
		whybuf[0] = '\0';
	bgp_attrs_var(in, &w.var);
	res->verdict = p->def;
	res->rule = -1;
	res->attrs = NULL;
	for (size_t i = 0; i < p->nr; i++) {
		const struct pol_rule *r = &p->r[i];
		size_t j;

		/* a gated rule whose gate is closed is as if absent */
		if (r->off)
			continue;
		for (j = 0; j < r->nm; j++)
			if (!match(p, &w, rt, &r->m[j]))
				break;
		if (j < r->nm)
			continue;
		say(&y, "%s%s policy %s rule %zu", y.off > 0 ? "\n" : "", dir,
		    p->name, i + 1);
		if (r->name != NULL)
			say(&y, " (%s)", r->name);
		say(&y, ": ");
		for (j = 0; j < r->na; j++) {
			act(p, &w, rt, &r->a[j], &y);
			say(&y, ", ");
		}
		say(&y, "%s", disp_word[r->disp]);
		if (r->disp != DISP_CONTINUE) {
			res->verdict = r->disp == DISP_ACCEPT ?
			    BGP_POL_ACCEPT : BGP_POL_REJECT;
			res->rule = (int)i;
			break;
		}
	}
	if (res->rule < 0)
		say(&y, "%s%s policy %s: no rule decided, default %s",
		    y.off > 0 ? "\n" : "", dir, p->name,
		    p->def == BGP_POL_ACCEPT ? "accept" : "reject");
	if (res->verdict == BGP_POL_ACCEPT && w.changed) {
		struct bgp_attrs *a = bgp_attrs_new(&fx, &w.var);

		if (bgp_attrs_equal(a, in))
			free(a);
		else
			res->attrs = a;
	}
	return res->verdict;
}
