/*
 * gates_scenario.c - the `gates` section (gates.h): its field tables, the
 * checks (unique names in the "gate" name space, changes that move forward
 * in time and flip the state), the links' `gate` keys (links are built
 * before any registered section, so this section follows them), and the
 * build into the run's struct gates.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gates.h"
#include "gates_int.h"
#include "net.h"
#include "scenario_section.h"
#include "sim.h"
#include "util.h"

/* Longest gate name: a cloud's KEY/NAME fits with room to spare. */
#define GATE_NAME_MAX 255

enum { GC_AT, GC_OPEN, GC_F_MAX };
enum { GT_NAME, GT_OPEN, GT_CHANGES, GT_WHAT, GT_F_MAX };

struct gate_sc_change {
	sim_time at;
	bool open;
	struct sc_loc loc;
	struct sc_loc vloc[GC_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(GC_F_MAX)];
};

struct gate_sc {
	char *name;
	bool open;
	struct gate_sc_change *changes;
	size_t n_changes;
	char *what;
	struct sc_loc loc;
	struct sc_loc vloc[GT_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(GT_F_MAX)];
};

static const struct sc_field change_fields[] = {
	[GC_AT] = { "at", SC_FT_TIME, SC_AT(struct gate_sc_change, at),
		.required = true, .doc = "when the gate changes: after the "
		    "previous change" },
	[GC_OPEN] = { "open", SC_FT_BOOL, SC_AT(struct gate_sc_change, open),
		.required = true, .doc = "the state it changes to: the other "
		    "one than before" },
};

static const struct sc_table change_table = {
	"gate-change", "A change of a gate's state at a simulated time.",
	change_fields, SC_NFIELDS(change_fields),
	sizeof(struct gate_sc_change), offsetof(struct gate_sc_change, loc),
	offsetof(struct gate_sc_change, vloc),
	offsetof(struct gate_sc_change, keys), -1
};

static const struct sc_field gate_fields[] = {
	[GT_NAME] = { "name", SC_FT_STRING, SC_AT(struct gate_sc, name),
		.required = true, .doc = "unique gate name (items name it with "
		    "their gate key); any printable text without spaces, such "
		    "as connection/app-er" },
	[GT_OPEN] = { "open", SC_FT_BOOL, SC_AT(struct gate_sc, open),
		.def = "true", .doc = "its state at time zero" },
	[GT_CHANGES] = { "changes", SC_FT_LIST, SC_AT(struct gate_sc, changes),
		SC_AT2(struct gate_sc, n_changes), .sub = &change_table,
		.def_doc = "none", .doc = "its changes, at strictly increasing "
		    "times, each to the other state" },
	[GT_WHAT] = { "what", SC_FT_STRING, SC_AT(struct gate_sc, what),
		.def_doc = "none", .doc = "what it stands for, in words" },
};

static const struct sc_table gate_table = {
	"gate", "A named on/off switch on the timeline: the links, BGP "
	"neighbours, ACL rules and bindings and route table entries that name "
	"it exist only while it is open (docs/gates.md).",
	gate_fields, SC_NFIELDS(gate_fields), sizeof(struct gate_sc),
	offsetof(struct gate_sc, loc), offsetof(struct gate_sc, vloc),
	offsetof(struct gate_sc, keys), -1
};

extern const struct sc_section gates_sc_section;

/* --- checks ---------------------------------------------------------- */

/* Why name cannot be a gate's, or NULL. */
static const char *
name_problem(const char *name)
{
	const unsigned char *p;

	if (name[0] == '\0')
		return "is empty";
	if (strlen(name) > GATE_NAME_MAX)
		return "is longer than 255 characters";
	for (p = (const unsigned char *)name; *p != '\0'; p++)
		if (*p <= ' ' || *p == 0x7f)
			return "has a space or a control character";
	return NULL;
}

static void
check_changes(struct sc_check *ck, struct gate_sc *g)
{
	bool open = g->open;
	size_t k;
	char t1[32], t2[32];

	for (k = 0; k < g->n_changes; k++) {
		const struct gate_sc_change *c = &g->changes[k];
		const struct gate_sc_change *p = k > 0 ? &g->changes[k - 1] : NULL;

		if (!sc_key_ok(c->keys, GC_AT) || !sc_key_ok(c->keys, GC_OPEN))
			return;
		if (p != NULL && c->at <= p->at) {
			sc_check_error(ck, c->vloc[GC_AT], "gate '%s' changes at "
			    "%s, not after its previous change at %s (%u:%u): "
			    "give the changes in time order, at different times",
			    sc_check_quote(ck, g->name),
			    units_fmt_time(t1, sizeof(t1), c->at),
			    units_fmt_time(t2, sizeof(t2), p->at), p->loc.line,
			    p->loc.col);
			return;
		}
		if (c->open == open) {
			sc_check_error(ck, c->vloc[GC_OPEN], "gate '%s' is "
			    "already %s at %s: a change flips the state (open: "
			    "%s changes nothing; leave it out)",
			    sc_check_quote(ck, g->name), open ? "open" : "closed",
			    units_fmt_time(t1, sizeof(t1), c->at),
			    open ? "true" : "false");
			return;
		}
		open = c->open;
	}
}

/* The links' gate keys: links are checked before any registered section. */
static void
check_links(struct sc_check *ck)
{
	struct scenario *sc = sc_check_scenario(ck);
	size_t i, idx;

	for (i = 0; i < sc->n_links; i++) {
		const struct sc_link *l = &sc->links[i];

		if (l->gate != NULL && sc_key_ok(l->keys, LK_GATE))
			(void)sc_names_lookup(ck, "gate", l->gate,
			    l->vloc[LK_GATE], &idx);
	}
}

static void
check_gates(struct sc_check *ck, struct sc_section_data *d)
{
	struct gate_sc *v = d->items;
	size_t i;

	for (i = 0; i < d->n; i++) {
		struct gate_sc *g = &v[i];
		const char *why;

		if (g->name == NULL || !sc_key_ok(g->keys, GT_NAME))
			continue;
		why = name_problem(g->name);
		if (why != NULL) {
			sc_check_error(ck, g->vloc[GT_NAME], "gate name '%s' %s",
			    sc_check_quote(ck, g->name), why);
			continue;
		}
		if (!sc_names_add(ck, "gate", g->name, i, g->vloc[GT_NAME]))
			continue;
		check_changes(ck, g);
	}
	check_links(ck);
}

/* The gate item called name, as checked, or NULL. */
static const struct gate_sc *
checked_gate(struct sc_check *ck, const char *name)
{
	const struct scenario *sc = sc_check_scenario(ck);
	const struct gate_sc *v;
	size_t i, idx;

	if (name == NULL || !sc_names_find(ck, "gate", name, &idx))
		return NULL;
	for (i = 0; i < sc->n_sections; i++) {
		if (sc->sections[i].sec != &gates_sc_section)
			continue;
		if (idx >= sc->sections[i].n)
			return NULL;
		v = sc->sections[i].items;
		return strcmp(v[idx].name, name) == 0 ? &v[idx] : NULL;
	}
	return NULL;
}

bool
gates_check_overlap(struct sc_check *ck, const char *a, const char *b)
{
	const struct gate_sc *ga = checked_gate(ck, a);
	const struct gate_sc *gb = checked_gate(ck, b);
	sim_time end = sc_check_scenario(ck)->duration, cur = 0, t;
	bool oa, ob;
	size_t i = 0, j = 0;

	if (ga == NULL || gb == NULL)
		return true;
	oa = ga->open;
	ob = gb->open;
	/* walk both timelines: each stretch [cur, next change) of length > 0 */
	for (;;) {
		bool more_a = i < ga->n_changes, more_b = j < gb->n_changes;

		if (!more_a && !more_b)
			return oa && ob;
		t = more_a ? ga->changes[i].at : gb->changes[j].at;
		if (more_b && gb->changes[j].at < t)
			t = gb->changes[j].at;
		if (end > 0 && t > end)
			t = end;
		if (t > cur && oa && ob)
			return true;
		if (end > 0 && t >= end)
			return false;
		while (i < ga->n_changes && ga->changes[i].at <= t)
			oa = ga->changes[i++].open;
		while (j < gb->n_changes && gb->changes[j].at <= t)
			ob = gb->changes[j++].open;
		cur = t;
	}
}

/* --- build ----------------------------------------------------------- */

/* The gates' own hold on a link, apart from the timeline's link-down/up. */
#define GATES_LINK_HOLD LINK_HOLD_GATE

static void
link_follow(void *arg, bool open)
{
	link_set_held(arg, GATES_LINK_HOLD, !open);
}

static int
build_gates(struct sc_build *b, const void *items, size_t n)
{
	const struct gate_sc *v = items;
	const struct scenario *sc = b->sc;
	struct gates *gs;
	sim_time *at = NULL;
	size_t i, k, cap = 0;

	if (n == 0)
		return 0;
	gs = gates_new(b->sim);
	if (sc_build_set_state(b, gs) < 0) {
		gates_free(gs);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (v[i].n_changes > cap) {
			cap = v[i].n_changes;
			at = xrealloc(at, cap * sizeof(*at));
		}
		for (k = 0; k < v[i].n_changes; k++)
			at[k] = v[i].changes[k].at;
		gates_add(gs, v[i].name, v[i].open, at, v[i].n_changes);
	}
	free(at);
	/* the links are built: a closed gate unplugs its links now */
	for (i = 0; i < sc->n_links; i++) {
		struct link *l;
		struct gate *g;

		if (sc->links[i].gate == NULL)
			continue;
		l = sc_build_link(b, i);
		g = gates_find(gs, sc->links[i].gate);
		SIM_ASSERT(g != NULL, "link %s: gate %s not checked",
		    sc->links[i].name, sc->links[i].gate);
		if (!gate_is_open(g))
			link_set_held(l, GATES_LINK_HOLD, true);
		if (gate_watch_first(g, link_follow, l) < 0) {
			snprintf(b->err, b->errlen, "out of memory");
			return -1;
		}
	}
	gates_start(gs);
	return 0;
}

static void
state_free(void *state)
{
	gates_free(state);
}

const struct sc_section gates_sc_section = {
	.name = "gates",
	.doc = "named on/off switches on the timeline: the items naming one "
	    "exist only while it is open",
	.table = &gate_table, .list = true, .check = check_gates,
	.phase = SC_PHASE_NET, .build = build_gates, .state_free = state_free,
};

int
gates_scenario_register(void)
{
	return scenario_register_section(&gates_sc_section);
}

struct gates *
gates_of_build(const struct sc_build *b)
{
	return sc_build_state(b, "gates");
}

struct gates *
gates_of_judge(const struct sc_judge *j)
{
	return sc_judge_state(j, "gates");
}
