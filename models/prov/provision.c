/*
 * provision.c - the plan of the clouds' control plane (provision.h): the
 * resources the cloud models declare, the state histories their types'
 * state machines write, the operations applied in start order with their
 * seeded durations and outcomes, and the intervals where each resource
 * carries traffic. Everything here runs once, at load, in the timeline's
 * check (provision_scenario.c); the run only sees what the expand writes.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "provision_int.h"
#include "sim.h"
#include "util.h"

const char *const prov_op_name[PROV_OP_MAX] = {
	"create", "update", "delete", "enable", "disable", "reset",
	"maintenance"
};

#define PROV_TEXT_MAX 1024	/* longest note or refusal */

/* --- the plan and its resources ------------------------------------- */

struct prov_plan *
prov_plan_new(const struct scenario *sc, uint64_t seed, sim_time end)
{
	struct prov_plan *p = xcalloc(1, sizeof(*p));

	p->sc = sc;
	p->seed = seed;
	p->end = end;
	return p;
}

static void
res_free(struct prov_res *r)
{
	size_t i, j;

	for (i = 0; i < r->n_fields; i++) {
		for (j = 0; j < r->fields[i].n; j++)
			free(r->fields[i].ch[j].value);
		free(r->fields[i].ch);
		free(r->fields[i].name);
	}
	for (i = 0; i < r->n_notes; i++)
		free(r->notes[i].text);
	for (i = 0; i < r->n_follows; i++) {
		struct prov_follow_rec *f = &r->follows[i];

		for (j = 0; j < f->n; j++)
			free(f->s[j].node);
		free(f->s);
		free(f->field);
		free(f->up);
		free(f->down);
	}
	for (i = 0; i < r->n_nodes; i++)
		free(r->nodes[i]);
	free(r->nodes);
	free(r->fields);
	free(r->notes);
	free(r->follows);
	free(r->deps);
	free(r->parts);
	free(r->exist.v);
	free(r->carry.v);
	free(r->name);
	free(r->ident);
	free(r);
}

void
prov_plan_free(struct prov_plan *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->n_res; i++)
		res_free(p->res[i]);
	for (i = 0; i < p->n_ops; i++) {
		free(p->ops[i].set);
		free(p->ops[i].error);
	}
	for (i = 0; i < p->n_sgates; i++) {
		free(p->sgates[i].field);
		free(p->sgates[i].value);
		free(p->sgates[i].name);
		free(p->sgates[i].on.v);
	}
	free(p->sgates);
	free(p->res);
	free(p->ops);
	free(p);
}

struct prov_res *
prov_find_res(const struct prov_plan *p, const char *key, const char *name)
{
	size_t i, kl = strlen(key);

	for (i = 0; i < p->n_res; i++) {
		const char *id = p->res[i]->ident;

		if (strncmp(id, key, kl) == 0 && id[kl] == '/' &&
		    strcmp(id + kl + 1, name) == 0)
			return p->res[i];
	}
	return NULL;
}

struct prov_res *
prov_add(struct prov_plan *p, const struct prov_type *t, const char *name,
    struct sc_loc loc, void *model)
{
	struct prov_res *r;
	size_t len;

	if (p == NULL || t == NULL || name == NULL ||
	    prov_find_res(p, t->key, name) != NULL)
		return NULL;
	r = xcalloc(1, sizeof(*r));
	r->t = t;
	r->name = xstrdup(name);
	len = strlen(t->key) + strlen(name) + 2;
	r->ident = xmalloc(len);
	snprintf(r->ident, len, "%s/%s", t->key, name);
	r->loc = loc;
	r->model = model;
	r->idx = p->n_res;
	if (p->n_res == p->cap_res) {
		p->cap_res = p->cap_res ? 2 * p->cap_res : 16;
		p->res = xrealloc(p->res, p->cap_res * sizeof(*p->res));
	}
	p->res[p->n_res++] = r;
	return r;
}

void
prov_depend(struct prov_res *r, struct prov_res *dep)
{
	size_t i;

	if (r == NULL || dep == NULL)
		return;
	for (i = 0; i < r->n_deps; i++)
		if (r->deps[i] == dep)
			return;
	r->deps = xrealloc(r->deps, (r->n_deps + 1) * sizeof(*r->deps));
	r->deps[r->n_deps++] = dep;
}

int
prov_part_of(struct prov_res *r, struct prov_res *parent)
{
	const struct prov_res *a;

	if (r == NULL || parent == NULL || r->parent != NULL)
		return -1;
	/* no cycle: existence is handed down from a root */
	for (a = parent; a != NULL; a = a->parent)
		if (a == r)
			return -1;
	r->parent = parent;
	parent->parts = xrealloc(parent->parts,
	    (parent->n_parts + 1) * sizeof(*parent->parts));
	parent->parts[parent->n_parts++] = r;
	return 0;
}

void
prov_show_on(struct prov_res *r, const char *node)
{
	size_t i;

	if (r == NULL || node == NULL)
		return;
	for (i = 0; i < r->n_nodes; i++)
		if (strcmp(r->nodes[i], node) == 0)
			return;
	r->nodes = xrealloc(r->nodes, (r->n_nodes + 1) * sizeof(*r->nodes));
	r->nodes[r->n_nodes++] = xstrdup(node);
}

static struct prov_follow_rec *
follow_find(struct prov_res *r, const char *field)
{
	size_t i;

	for (i = 0; i < r->n_follows; i++)
		if (strcmp(r->follows[i].field, field) == 0)
			return &r->follows[i];
	return NULL;
}

void
prov_follow(struct prov_res *r, const char *field, bool all, const char *up,
    const char *down)
{
	struct prov_follow_rec *f;

	if (r == NULL || field == NULL || up == NULL || down == NULL)
		return;
	if ((f = follow_find(r, field)) == NULL) {
		r->follows = xrealloc(r->follows, (r->n_follows + 1) *
		    sizeof(*r->follows));
		f = &r->follows[r->n_follows++];
		memset(f, 0, sizeof(*f));
		f->field = xstrdup(field);
	} else {
		free(f->up);
		free(f->down);
	}
	f->all = all;
	f->up = xstrdup(up);
	f->down = xstrdup(down);
}

void
prov_follow_session(struct prov_res *r, const char *field, const char *node,
    uint32_t peer)
{
	struct prov_follow_rec *f;

	if (r == NULL || field == NULL || node == NULL ||
	    (f = follow_find(r, field)) == NULL)
		return;
	f->s = xrealloc(f->s, (f->n + 1) * sizeof(*f->s));
	f->s[f->n].node = xstrdup(node);
	f->s[f->n++].peer = peer;
}

const struct prov_type *
prov_res_type(const struct prov_res *r)
{
	return r->t;
}

const char *
prov_res_name(const struct prov_res *r)
{
	return r->name;
}

void *
prov_model(const struct prov_res *r)
{
	return r->model;
}

unsigned
prov_type_ops(const struct prov_type *t)
{
	unsigned cd = 1u << PROV_CREATE | 1u << PROV_DELETE;

	if (t->ops != 0)
		return t->ops;
	return t->apply != NULL ? cd | 1u << PROV_UPDATE : cd;
}

/* --- step functions --------------------------------------------------- */

/* From at on, s is on: later steps stay (the last call at a time wins). */
static void
steps_set(struct prov_steps *s, sim_time at, bool on)
{
	size_t i = s->n;

	while (i > 0 && s->v[i - 1].at > at)
		i--;
	if (i > 0 && s->v[i - 1].at == at) {
		s->v[i - 1].on = on;
		return;
	}
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 4;
		s->v = xrealloc(s->v, s->cap * sizeof(*s->v));
	}
	memmove(&s->v[i + 1], &s->v[i], (s->n - i) * sizeof(*s->v));
	s->v[i].at = at;
	s->v[i].on = on;
	s->n++;
}

bool
prov_steps_at(const struct prov_steps *s, sim_time t)
{
	size_t lo = 0, hi = s->n;

	/* the last step at or before t */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->v[mid].at <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > 0 && s->v[lo - 1].on;
}

/* Append a step unless it repeats the state: the steps stay minimal. */
static void
steps_push(struct prov_steps *s, sim_time at, bool on)
{
	if (s->n > 0 && s->v[s->n - 1].on == on)
		return;
	if (s->n > 0 && s->v[s->n - 1].at == at) {
		s->v[s->n - 1].on = on;
		if (s->n > 1 && s->v[s->n - 2].on == on)
			s->n--;
		return;
	}
	steps_set(s, at, on);
}

/* --- the context of an apply ---------------------------------------- */

struct prov_plan *
prov_ctx_plan(struct prov_ctx *c)
{
	return c->p;
}

sim_time
prov_now(const struct prov_ctx *c)
{
	return c->now;
}

/* SplitMix64's finaliser: a good 64-bit mix of a counter. */
static uint64_t
mix(uint64_t z)
{
	z += 0x9e3779b97f4a7c15ULL;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

sim_time
prov_draw_raw(uint64_t seed, uint64_t stream, uint64_t k, sim_time lo,
    sim_time hi)
{
	uint64_t v = mix(mix(mix(seed) ^ stream) ^ k), span;

	if (hi <= lo)
		return lo;
	/* modulo bias is below span / 2^64: nothing at these spans */
	span = (uint64_t)hi - (uint64_t)lo + 1;
	return span == 0 ? (sim_time)v : lo + (sim_time)(v % span);
}

sim_time
prov_draw(struct prov_ctx *c, sim_time lo, sim_time hi)
{
	uint32_t k = c->draws++;

	if (k == 0 && c->o != NULL && c->o->has_duration)
		return c->o->duration;
	return prov_draw_raw(c->p->seed, c->stream, k, lo, hi);
}

static struct prov_field *
field_get(struct prov_res *r, const char *name)
{
	struct prov_field *f;
	size_t i;

	for (i = 0; i < r->n_fields; i++)
		if (strcmp(r->fields[i].name, name) == 0)
			return &r->fields[i];
	r->fields = xrealloc(r->fields, (r->n_fields + 1) *
	    sizeof(*r->fields));
	f = &r->fields[r->n_fields++];
	memset(f, 0, sizeof(*f));
	f->name = xstrdup(name);
	return f;
}

void
prov_set(struct prov_ctx *c, struct prov_res *r, sim_time at,
    const char *field, const char *value)
{
	struct prov_field *f;
	size_t i;

	if (r == NULL || field == NULL)
		return;
	f = field_get(r, field);
	i = f->n;
	while (i > 0 && f->ch[i - 1].at > at)
		i--;
	if (f->n == f->cap) {
		f->cap = f->cap ? 2 * f->cap : 4;
		f->ch = xrealloc(f->ch, f->cap * sizeof(*f->ch));
	}
	memmove(&f->ch[i + 1], &f->ch[i], (f->n - i) * sizeof(*f->ch));
	f->ch[i].at = at;
	f->ch[i].value = value != NULL ? xstrdup(value) : NULL;
	f->ch[i].op = c->o != NULL ? (size_t)(c->o - c->p->ops) + 1 : 0;
	f->ch[i].seq = c->p->seq++;
	f->n++;
}

const char *
prov_get(const struct prov_plan *p, const struct prov_res *r,
    const char *field, sim_time t)
{
	const struct prov_field *f = NULL;
	size_t i, lo, hi;

	(void)p;
	for (i = 0; i < r->n_fields && f == NULL; i++)
		if (strcmp(r->fields[i].name, field) == 0)
			f = &r->fields[i];
	if (f == NULL)
		return NULL;
	/* the last change at or before t (carries() asks this a lot) */
	lo = 0;
	hi = f->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (f->ch[mid].at <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > 0 ? f->ch[lo - 1].value : NULL;
}

void
prov_note(struct prov_ctx *c, struct prov_res *r, sim_time at,
    const char *fmt, ...)
{
	char buf[PROV_TEXT_MAX];
	va_list ap;

	if (r == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	r->notes = xrealloc(r->notes, (r->n_notes + 1) * sizeof(*r->notes));
	r->notes[r->n_notes].at = at;
	r->notes[r->n_notes].text = xstrdup(buf);
	r->notes[r->n_notes++].seq = c->p->seq++;
}

void
prov_refuse(struct prov_ctx *c, const char *code, const char *fmt, ...)
{
	char msg[PROV_TEXT_MAX], buf[PROV_TEXT_MAX + 128];
	va_list ap;

	/* an initial() has no operation to refuse */
	if (c->o == NULL || c->o->refused)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (code != NULL)
		snprintf(buf, sizeof(buf), "%s: %s", code, msg);
	else
		snprintf(buf, sizeof(buf), "%s", msg);
	c->o->refused = true;
	c->o->error = xstrdup(buf);
}

/*
 * r exists (on) or is gone from at on, and so are its parts: all of them
 * go with it, those no create names come again with it.
 */
static void
exist_set(struct prov_res *r, sim_time at, bool on)
{
	size_t i;

	steps_set(&r->exist, at, on);
	for (i = 0; i < r->n_parts; i++)
		if (!on || !r->parts[i]->created)
			exist_set(r->parts[i], at, on);
}

void
prov_gone(struct prov_ctx *c, struct prov_res *r, sim_time at)
{
	(void)c;
	if (r != NULL)
		exist_set(r, at, false);
}

bool
prov_depends_on(const struct prov_res *r, const struct prov_res *dep)
{
	size_t k;

	for (k = 0; k < r->n_deps; k++)
		if (r->deps[k] == dep)
			return true;
	return false;
}

const struct scenario *
prov_plan_scenario(const struct prov_plan *p)
{
	return p->sc;
}

size_t
prov_plan_n_res(const struct prov_plan *p)
{
	return p->n_res;
}

struct prov_res *
prov_plan_res(const struct prov_plan *p, size_t i)
{
	return i < p->n_res ? p->res[i] : NULL;
}

bool
prov_exists(const struct prov_plan *p, const struct prov_res *r, sim_time t)
{
	(void)p;
	return prov_steps_at(&r->exist, t);
}

/* --- applying the timeline ------------------------------------------ */

/* ARM-like create and delete for a type with no apply of its own. */
static sim_time
default_apply(struct prov_ctx *c, struct prov_res *r, enum prov_op op)
{
	const struct prov_type *t = r->t;
	sim_time now = c->now, d;

	switch (op) {
	case PROV_CREATE:
		d = prov_draw(c, t->create_lo, t->create_hi);
		prov_set(c, r, now, "provisioningState", "Updating");
		prov_set(c, r, now + d, "provisioningState", "Succeeded");
		return now + d;
	case PROV_DELETE:
		d = prov_draw(c, t->delete_lo, t->delete_hi);
		prov_set(c, r, now, "provisioningState", "Deleting");
		prov_set(c, r, now + d, "provisioningState", NULL);
		prov_gone(c, r, now + d);
		return now + d;
	default:
		/* the check refused what the type does not support */
		return now;
	}
}

static void
apply_one(struct prov_plan *p, size_t i)
{
	struct prov_opr *o = &p->ops[i];
	struct prov_res *r = o->r;
	struct prov_ctx c = { p, o, i, 0, o->start };
	char tb[32];
	bool exists = prov_exists(p, r, o->start);
	sim_time end;

	if (o->op == PROV_CREATE && exists) {
		prov_refuse(&c, NULL, "%s already exists at %s", r->ident,
		    units_fmt_time(tb, sizeof(tb), o->start));
		end = o->start;
	} else if (o->op != PROV_CREATE && !exists) {
		if (r->parent != NULL && !r->created &&
		    !prov_exists(p, r->parent, o->start))
			prov_refuse(&c, NULL, "%s does not exist at %s (%s "
			    "does not: not created yet, or deleted)", r->ident,
			    units_fmt_time(tb, sizeof(tb), o->start),
			    r->parent->ident);
		else
			prov_refuse(&c, NULL, "%s does not exist at %s (%s)",
			    r->ident, units_fmt_time(tb, sizeof(tb), o->start),
			    r->created ? "not created yet, or deleted" :
			    "deleted");
		end = o->start;
	} else if (r->t->apply != NULL) {
		end = r->t->apply(&c, r, o->op, o->set, o->n_set);
	} else {
		end = default_apply(&c, r, o->op);
	}
	o->end = end > o->start ? (end < PROV_HORIZON ? end : PROV_HORIZON) :
	    o->start;
	o->done = true;
	if (o->op == PROV_CREATE && !o->refused)
		exist_set(r, o->start, true);
}

/* A min-heap of ready operations by (start, file order). */
struct heap {
	size_t *v, n;
	const struct prov_opr *ops;
};

static bool
before(const struct heap *h, size_t a, size_t b)
{
	const struct prov_opr *x = &h->ops[a], *y = &h->ops[b];

	return x->start < y->start || (x->start == y->start && a < b);
}

static void
heap_push(struct heap *h, size_t op)
{
	size_t i = h->n++, up;

	h->v[i] = op;
	while (i > 0 && before(h, h->v[i], h->v[up = (i - 1) / 2])) {
		size_t tmp = h->v[i];

		h->v[i] = h->v[up];
		h->v[up] = tmp;
		i = up;
	}
}

static size_t
heap_pop(struct heap *h)
{
	size_t top = h->v[0], i = 0;

	h->v[0] = h->v[--h->n];
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i, tmp;

		if (l < h->n && before(h, h->v[l], h->v[m]))
			m = l;
		if (r < h->n && before(h, h->v[r], h->v[m]))
			m = r;
		if (m == i)
			break;
		tmp = h->v[i];
		h->v[i] = h->v[m];
		h->v[m] = tmp;
		i = m;
	}
	return top;
}

/*
 * t + d, held at PROV_HORIZON: a long chain of long delays must not
 * overflow simulated time (the applies add their durations to a start).
 */
static sim_time
later(sim_time t, sim_time d)
{
	return t > PROV_HORIZON - d ? PROV_HORIZON : t + d;
}

/*
 * An operation starts at its `at`, or when the one it follows completes
 * plus its delay. Completion is never before the start, so taking the
 * earliest known start each time applies them in time order: whatever
 * becomes known later starts no earlier than what made it known.
 */
void
prov_plan_run(struct prov_plan *p)
{
	struct heap h = { NULL, 0, p->ops };
	size_t *first, *next, i, j;

	for (i = 0; i < p->n_ops; i++)
		p->ops[i].r->created = p->ops[i].r->created ||
		    p->ops[i].op == PROV_CREATE;
	for (i = 0; i < p->n_res; i++) {
		struct prov_res *r = p->res[i];
		struct prov_ctx c = { p, NULL, 0, 0, 0 };
		const struct prov_res *a;

		/* a part is there from zero only if its whole line is */
		for (a = r; a != NULL && !a->created; a = a->parent)
			;
		if (a != NULL)
			continue;
		/* its own stream, apart from every operation's */
		c.stream = (uint64_t)1 << 63 | r->idx;
		steps_set(&r->exist, 0, true);
		if (r->t->initial != NULL)
			r->t->initial(&c, r);
	}
	if (p->n_ops == 0)
		return;
	/* followers of each operation, in file order */
	first = xcalloc(p->n_ops, sizeof(*first));
	next = xcalloc(p->n_ops, sizeof(*next));
	for (i = p->n_ops; i-- > 0;)
		if (p->ops[i].after != 0) {
			j = p->ops[i].after - 1;
			next[i] = first[j];
			first[j] = i + 1;
		}
	h.v = xcalloc(p->n_ops, sizeof(*h.v));
	for (i = 0; i < p->n_ops; i++)
		if (p->ops[i].after == 0) {
			p->ops[i].start = p->ops[i].at;
			heap_push(&h, i);
		}
	while (h.n > 0) {
		i = heap_pop(&h);
		apply_one(p, i);
		for (j = first[i]; j != 0; j = next[j - 1]) {
			p->ops[j - 1].start = later(p->ops[i].end,
			    p->ops[j - 1].delay);
			heap_push(&h, j - 1);
		}
	}
	free(h.v);
	free(first);
	free(next);
}

/* --- carrying ---------------------------------------------------------- */

static int
cmp_time(const void *a, const void *b)
{
	sim_time x = *(const sim_time *)a, y = *(const sim_time *)b;

	return x < y ? -1 : x > y;
}

/*
 * Every time any resource changes, sorted, once each: carries() may read
 * other resources' fields too (a circuit's state written by the virtual
 * circuit's apply), so it is asked at all of them.
 */
static sim_time *
change_points(const struct prov_plan *p, size_t *np)
{
	sim_time *pts;
	size_t n = 1, i, j, k;

	for (i = 0; i < p->n_res; i++) {
		n += p->res[i]->exist.n;
		for (j = 0; j < p->res[i]->n_fields; j++)
			n += p->res[i]->fields[j].n;
	}
	pts = xmalloc(n * sizeof(*pts));
	n = 0;
	pts[n++] = 0;
	for (i = 0; i < p->n_res; i++) {
		const struct prov_res *r = p->res[i];

		for (j = 0; j < r->exist.n; j++)
			pts[n++] = r->exist.v[j].at;
		for (j = 0; j < r->n_fields; j++)
			for (k = 0; k < r->fields[j].n; k++)
				pts[n++] = r->fields[j].ch[k].at;
	}
	qsort(pts, n, sizeof(*pts), cmp_time);
	for (i = j = 0; i < n; i++)
		if (pts[i] >= 0 && (j == 0 || pts[i] != pts[j - 1]))
			pts[j++] = pts[i];
	*np = j;
	return pts;
}

/* r's own carrying: existence, and its type's carries() where it exists. */
static void
own_carry(const struct prov_plan *p, struct prov_res *r,
    const sim_time *pts, size_t n)
{
	size_t i;

	if (r->t->carries == NULL) {
		steps_push(&r->carry, 0, prov_steps_at(&r->exist, 0));
		for (i = 0; i < r->exist.n; i++)
			steps_push(&r->carry, r->exist.v[i].at,
			    r->exist.v[i].on);
		return;
	}
	for (i = 0; i < n; i++)
		steps_push(&r->carry, pts[i], prov_steps_at(&r->exist,
		    pts[i]) && r->t->carries(p, r, pts[i]));
}

/* carry = carry AND d (both start at 0). */
static void
steps_and(struct prov_steps *carry, const struct prov_steps *d)
{
	struct prov_steps out = { NULL, 0, 0 };
	size_t i = 0, j = 0;

	while (i < carry->n || j < d->n) {
		sim_time t;

		if (j >= d->n || (i < carry->n && carry->v[i].at <= d->v[j].at))
			t = carry->v[i].at;
		else
			t = d->v[j].at;
		while (i < carry->n && carry->v[i].at == t)
			i++;
		while (j < d->n && d->v[j].at == t)
			j++;
		steps_push(&out, t, prov_steps_at(carry, t) &&
		    prov_steps_at(d, t));
	}
	free(carry->v);
	*carry = out;
}

/* Depth first: a resource carries only while each dependency does. */
struct carry_walk {
	struct prov_res **stack;
	const sim_time *pts;
	size_t n_pts;
	char *why;
	size_t len;
};

static struct prov_res *
carry_of(const struct prov_plan *p, struct prov_res *r,
    struct carry_walk *w, size_t depth)
{
	struct prov_res *bad;
	size_t i, k, off;

	if (r->mark == 2)
		return NULL;
	if (r->mark == 1) {
		/* the cycle: from r's place on the stack back to r */
		for (k = 0; k < depth && w->stack[k] != r; k++)
			;
		off = 0;
		for (i = k; i < depth && off < w->len; i++)
			off += (size_t)snprintf(w->why + off, w->len - off,
			    "%s -> ", w->stack[i]->ident);
		if (off < w->len)
			snprintf(w->why + off, w->len - off, "%s", r->ident);
		return w->stack[k];
	}
	r->mark = 1;
	w->stack[depth] = r;
	own_carry(p, r, w->pts, w->n_pts);
	for (i = 0; i < r->n_deps; i++) {
		if ((bad = carry_of(p, r->deps[i], w, depth + 1)) != NULL)
			return bad;
		steps_and(&r->carry, &r->deps[i]->carry);
	}
	r->mark = 2;
	return NULL;
}

struct prov_res *
prov_plan_carry(struct prov_plan *p, char *why, size_t len)
{
	struct carry_walk w = { NULL, NULL, 0, why, len };
	struct prov_res *bad = NULL;
	sim_time *pts;
	size_t i;

	if (len > 0)
		why[0] = '\0';
	w.stack = xcalloc(p->n_res + 1, sizeof(*w.stack));
	w.pts = pts = change_points(p, &w.n_pts);
	for (i = 0; i < p->n_res && bad == NULL; i++)
		bad = carry_of(p, p->res[i], &w, 0);
	free(w.stack);
	free(pts);
	return bad;
}

bool
prov_res_gated(const struct prov_plan *p, const struct prov_res *r)
{
	size_t i;

	for (i = 0; i < r->carry.n; i++) {
		if (p->end > 0 && r->carry.v[i].at > p->end)
			break;
		if (!r->carry.v[i].on)
			return true;
	}
	return r->carry.n == 0;
}

/* --- gates on a state ------------------------------------------------- */

const char *
prov_state_gate(const struct scenario *sc, const char *key,
    const char *name, const char *field, const char *value)
{
	struct prov_plan *p = prov_plan_of(sc);
	struct prov_steps on = { 0 };
	const struct prov_field *f = NULL;
	struct prov_sgate *g;
	struct prov_res *r;
	size_t i, len;
	bool ever = false;

	if (p == NULL || key == NULL || name == NULL || field == NULL ||
	    value == NULL || (r = prov_find_res(p, key, name)) == NULL)
		return NULL;
	for (i = 0; i < p->n_sgates; i++)
		if (p->sgates[i].r == r &&
		    strcmp(p->sgates[i].field, field) == 0 &&
		    strcmp(p->sgates[i].value, value) == 0)
			return p->sgates[i].name;
	for (i = 0; i < r->n_fields; i++)
		if (strcmp(r->fields[i].name, field) == 0)
			f = &r->fields[i];
	if (f == NULL)
		return NULL;
	steps_push(&on, 0, false);
	for (i = 0; i < f->n; i++) {
		bool eq = f->ch[i].value != NULL &&
		    strcmp(f->ch[i].value, value) == 0;

		if (p->end > 0 && f->ch[i].at > p->end)
			break;
		steps_push(&on, f->ch[i].at, eq);
		ever = ever || eq;
	}
	/* the last change at a time wins: was it ever on after all? */
	for (i = 0, ever = false; i < on.n; i++)
		ever = ever || on.v[i].on;
	if (!ever) {
		free(on.v);
		return NULL;
	}
	p->sgates = xrealloc(p->sgates, (p->n_sgates + 1) *
	    sizeof(*p->sgates));
	g = &p->sgates[p->n_sgates++];
	g->r = r;
	g->field = xstrdup(field);
	g->value = xstrdup(value);
	len = strlen(r->ident) + strlen(field) + strlen(value) + 3;
	g->name = xmalloc(len);
	snprintf(g->name, len, "%s:%s=%s", r->ident, field, value);
	g->on = on;
	return g->name;
}

/* --- maintenance ------------------------------------------------------ */

sim_time
prov_maintain(struct prov_ctx *c, struct prov_res *r,
    const struct prov_kv *set, size_t n_set)
{
	const char *link = NULL, *now_on;
	sim_time now = c->now, end;
	char tb[32];
	size_t i;

	for (i = 0; i < n_set; i++)
		if (strcmp(set[i].key, "link") == 0)
			link = set[i].value;
	SIM_ASSERT(link != NULL, "maintenance of %s without a link", r->ident);
	now_on = prov_get(c->p, r, PROV_MAINT_FIELD, now);
	if (now_on != NULL) {
		prov_refuse(c, NULL, "%s '%s': the %s link is under "
		    "maintenance already (primary and secondary are maintained "
		    "separately, one window at a time)", r->t->type, r->name,
		    now_on);
		return now;
	}
	end = now + prov_draw(c, PROV_MAINT_WINDOW, PROV_MAINT_WINDOW);
	prov_set(c, r, now, PROV_MAINT_FIELD, link);
	prov_set(c, r, end, PROV_MAINT_FIELD, NULL);
	prov_note(c, r, now, "planned maintenance of the %s link for %s",
	    link, units_fmt_time(tb, sizeof(tb), end - now));
	return end;
}
