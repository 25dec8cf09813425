/*
 * gates.c - named on/off switches on a timeline (gates.h): each gate keeps
 * its state and the watchers the items it switches added; the set keeps
 * every change of every gate in time order and one pending event, for the
 * next instant at which any gate changes.
 *
 * At one instant every gate changing then changes first; then the links
 * of all of them follow (gate_watch_first), then the other watchers, gate
 * by gate in file order. So a BGP neighbour and the link it runs over,
 * whose gates open at the same time (a virtual circuit and its peering),
 * start on a link that is up, whatever order the gates were written in.
 */
#include <stdlib.h>
#include <string.h>

#include "gates_int.h"
#include "sim.h"
#include "util.h"

struct gate_watcher {
	void (*fn)(void *arg, bool open);
	void *arg;
};

struct gate_watchers {
	struct gate_watcher *w;
	size_t n, cap;
};

struct gate {
	char *name;
	bool open;
	size_t idx;		/* in file order */
	sim_time *at;		/* the changes, strictly increasing */
	size_t n_at;
	struct gate_watchers w[2];	/* [0]: first (links), [1]: others */
};

/* One change of one gate. */
struct gate_change {
	sim_time at;
	struct gate *g;
};

struct gates {
	struct sim *sim;
	struct gate **g;	/* in file order */
	size_t n, cap;
	struct gate **by_name;	/* sorted by name */
	struct gate_change *ch;	/* every change, by time then file order */
	size_t n_ch, next;
	sim_event_id ev;
};

struct gates *
gates_new(struct sim *sim)
{
	struct gates *gs = xcalloc(1, sizeof(*gs));

	gs->sim = sim;
	return gs;
}

struct gate *
gates_add(struct gates *gs, const char *name, bool open, const sim_time *at,
    size_t n)
{
	struct gate *g = xcalloc(1, sizeof(*g));

	g->name = xstrdup(name);
	g->open = open;
	g->idx = gs->n;
	if (n > 0) {
		g->at = xcalloc(n, sizeof(*g->at));
		memcpy(g->at, at, n * sizeof(*at));
	}
	g->n_at = n;
	if (gs->n == gs->cap) {
		gs->cap = gs->cap ? gs->cap * 2 : 16;
		gs->g = xrealloc(gs->g, gs->cap * sizeof(*gs->g));
	}
	gs->g[gs->n++] = g;
	free(gs->by_name);
	gs->by_name = NULL;
	return g;
}

static int
cmp_name(const void *a, const void *b)
{
	const struct gate *const *x = a, *const *y = b;

	return strcmp((*x)->name, (*y)->name);
}

static int
cmp_key(const void *key, const void *elem)
{
	const struct gate *const *y = elem;

	return strcmp(key, (*y)->name);
}

static void
index_names(struct gates *gs)
{
	if (gs->by_name != NULL || gs->n == 0)
		return;
	gs->by_name = xcalloc(gs->n, sizeof(*gs->by_name));
	memcpy(gs->by_name, gs->g, gs->n * sizeof(*gs->g));
	qsort(gs->by_name, gs->n, sizeof(*gs->by_name), cmp_name);
}

/* By time, then file order: a gate changes at most once an instant. */
static int
cmp_change(const void *a, const void *b)
{
	const struct gate_change *x = a, *y = b;

	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return x->g->idx < y->g->idx ? -1 : x->g->idx > y->g->idx;
}

static void
call(const struct gate *g, int phase)
{
	const struct gate_watchers *ws = &g->w[phase];
	size_t i, n = ws->n;

	/* a watcher added by a watcher runs from the next change on */
	for (i = 0; i < n; i++) {
		struct gate_watcher w = ws->w[i];

		w.fn(w.arg, g->open);
	}
}

static void
changes_fire(struct sim *sim, void *arg)
{
	struct gates *gs = arg;
	size_t from = gs->next, to = from, i;
	sim_time now = sim_now(sim);
	int phase;

	gs->ev = (sim_event_id){ 0, 0 };
	while (to < gs->n_ch && gs->ch[to].at == now)
		to++;
	gs->next = to;
	/* the next instant first: a watcher may look at the gates */
	if (to < gs->n_ch)
		gs->ev = sim_schedule_at(sim, gs->ch[to].at, changes_fire, gs);
	for (i = from; i < to; i++)
		gs->ch[i].g->open = !gs->ch[i].g->open;
	for (phase = 0; phase < 2; phase++)
		for (i = from; i < to; i++)
			call(gs->ch[i].g, phase);
}

void
gates_start(struct gates *gs)
{
	size_t i, k, n = 0;

	index_names(gs);
	for (i = 0; i < gs->n; i++)
		n += gs->g[i]->n_at;
	if (n == 0)
		return;
	gs->ch = xcalloc(n, sizeof(*gs->ch));
	for (i = 0; i < gs->n; i++)
		for (k = 0; k < gs->g[i]->n_at; k++)
			gs->ch[gs->n_ch++] = (struct gate_change){
			    gs->g[i]->at[k], gs->g[i] };
	qsort(gs->ch, gs->n_ch, sizeof(*gs->ch), cmp_change);
	gs->ev = sim_schedule_at(gs->sim, gs->ch[0].at, changes_fire, gs);
}

size_t
gates_count(const struct gates *gs)
{
	return gs != NULL ? gs->n : 0;
}

void
gates_free(struct gates *gs)
{
	size_t i;

	if (gs == NULL)
		return;
	if (sim_is_pending(gs->sim, gs->ev))
		sim_cancel(gs->sim, gs->ev);
	for (i = 0; i < gs->n; i++) {
		struct gate *g = gs->g[i];

		free(g->name);
		free(g->at);
		free(g->w[0].w);
		free(g->w[1].w);
		free(g);
	}
	free(gs->g);
	free(gs->by_name);
	free(gs->ch);
	free(gs);
}

struct gate *
gates_find(struct gates *gs, const char *name)
{
	struct gate **hit;

	if (gs == NULL || name == NULL || gs->n == 0)
		return NULL;
	index_names(gs);
	hit = bsearch(name, gs->by_name, gs->n, sizeof(*gs->by_name),
	    cmp_key);
	return hit != NULL ? *hit : NULL;
}

const char *
gate_name(const struct gate *g)
{
	return g->name;
}

bool
gate_is_open(const struct gate *g)
{
	return g->open;
}

static int
watch(struct gate_watchers *ws, void (*fn)(void *arg, bool open), void *arg)
{
	if (ws->n == ws->cap) {
		size_t cap = ws->cap ? ws->cap * 2 : 4;
		struct gate_watcher *w = realloc(ws->w, cap * sizeof(*w));

		if (w == NULL)
			return -1;
		ws->w = w;
		ws->cap = cap;
	}
	ws->w[ws->n].fn = fn;
	ws->w[ws->n].arg = arg;
	ws->n++;
	return 0;
}

int
gate_watch(struct gate *g, void (*fn)(void *arg, bool open), void *arg)
{
	return watch(&g->w[1], fn, arg);
}

int
gate_watch_first(struct gate *g, void (*fn)(void *arg, bool open), void *arg)
{
	return watch(&g->w[0], fn, arg);
}
