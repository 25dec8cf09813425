/*
 * gates.c - named on/off switches on a timeline (gates.h): each gate keeps
 * its state, one pending event for its next change, and the watchers the
 * items it switches added.
 *
 * A gate has one event in the queue at a time (its next change schedules
 * the one after), so a timeline of a thousand resources costs a thousand
 * pending events, not one per change.
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

struct gate {
	char *name;
	bool open;
	sim_time *at;		/* the changes, strictly increasing */
	size_t n_at, next;	/* next: the change to come */
	struct gate_watcher *w;
	size_t n_w, cap_w;
	struct gates *gs;
	sim_event_id ev;
};

struct gates {
	struct sim *sim;
	struct gate **g;	/* in file order */
	size_t n, cap;
	struct gate **by_name;	/* sorted by name, made by gates_start */
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
	if (n > 0) {
		g->at = xcalloc(n, sizeof(*g->at));
		memcpy(g->at, at, n * sizeof(*at));
	}
	g->n_at = n;
	g->gs = gs;
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

static void
change_fire(struct sim *sim, void *arg)
{
	struct gate *g = arg;
	size_t i, n = g->n_w;

	g->ev = (sim_event_id){ 0, 0 };
	g->open = !g->open;
	g->next++;
	/* the next change first: a watcher may look at the gate */
	if (g->next < g->n_at)
		g->ev = sim_schedule_at(sim, g->at[g->next], change_fire, g);
	/* a watcher added by a watcher runs from the next change on */
	for (i = 0; i < n; i++) {
		struct gate_watcher w = g->w[i];

		w.fn(w.arg, g->open);
	}
}

void
gates_start(struct gates *gs)
{
	size_t i;

	index_names(gs);
	for (i = 0; i < gs->n; i++) {
		struct gate *g = gs->g[i];

		if (g->n_at > 0)
			g->ev = sim_schedule_at(gs->sim, g->at[0], change_fire,
			    g);
	}
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
	for (i = 0; i < gs->n; i++) {
		struct gate *g = gs->g[i];

		if (sim_is_pending(gs->sim, g->ev))
			sim_cancel(gs->sim, g->ev);
		free(g->name);
		free(g->at);
		free(g->w);
		free(g);
	}
	free(gs->g);
	free(gs->by_name);
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

int
gate_watch(struct gate *g, void (*fn)(void *arg, bool open), void *arg)
{
	if (g->n_w == g->cap_w) {
		size_t cap = g->cap_w ? g->cap_w * 2 : 4;
		struct gate_watcher *w = realloc(g->w, cap * sizeof(*w));

		if (w == NULL)
			return -1;
		g->w = w;
		g->cap_w = cap;
	}
	g->w[g->n_w].fn = fn;
	g->w[g->n_w].arg = arg;
	g->n_w++;
	return 0;
}
