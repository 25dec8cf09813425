/*
 * query_why.c - why `xcsim routes` finds no route or `xcsim path` stops,
 * in the clouds' words (the issue: the queries answer before the circuit
 * is provisioned "and then say why there is no route"): the states of
 * the cloud resources shown on the nodes asked about with what each waits
 * for (the operation that creates it and when, or its next state), and
 * the links on them that a closed gate holds down. A table that has
 * routes gets the same answer while a resource on its node does not exist
 * yet or a link of it is held down (query_why_pending). Nothing here
 * knows a cloud: it reads the resources section (prov_state.h) and the
 * gates (gates.h).
 */
#include <stdbool.h>
#include <string.h>

#include "gates.h"
#include "net.h"
#include "prov_state.h"
#include "query.h"
#include "scenario.h"
#include "scenario_run.h"
#include "sim.h"
#include "units.h"

static bool
among(struct node *const *nodes, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(node_name(nodes[i]), name) == 0)
			return true;
	return false;
}

/*
 * What resource i waits for, after its states now: the operation that
 * creates it and when (it does not exist yet, or is gone), or its next
 * state.
 */
static void
next_change(FILE *out, const struct prov_states *ps, size_t i, sim_time now,
    bool exists, bool gone)
{
	struct prov_change c;
	char tb[32];

	if (!prov_next_change(ps, i, now, &c)) {
		if (!exists && !gone)
			fputs(": it is not created on the timeline", out);
		return;
	}
	units_fmt_time(tb, sizeof(tb), c.at);
	/* the op may be another's: a peering appears by a circuit's create */
	if (!exists)
		fprintf(out, ": it appears at %s%s%s (%s %s)", tb,
		    c.op != NULL ? ", by a " : "", c.op != NULL ? c.op : "",
		    c.field, c.value);
	else
		fprintf(out, "; next: %s %s at %s%s%s%s", c.field, c.value, tb,
		    c.op != NULL ? " (" : "", c.op != NULL ? c.op : "",
		    c.op != NULL ? ")" : "");
}

/* "Why, at T:" before the first line. */
static void
head(FILE *out, size_t *lines, sim_time now)
{
	char tb[32];

	if ((*lines)++ == 0)
		fprintf(out, "Why, at %s:\n", units_fmt_time(tb, sizeof(tb),
		    now));
}

/* A link of sc on one of nodes that a closed gate holds down. */
static struct gate *
closed_gate(struct gates *gs, const struct sc_link *l,
    struct node *const *nodes, size_t n)
{
	struct gate *g;

	if (gs == NULL || l->gate == NULL || (!among(nodes, n, l->node[0]) &&
	    !among(nodes, n, l->node[1])))
		return NULL;
	g = gates_find(gs, l->gate);
	return g != NULL && !gate_is_open(g) ? g : NULL;
}

bool
query_why_pending(struct run *r, const struct scenario *sc,
    struct node *const *nodes, size_t n)
{
	const struct prov_states *ps = run_section_state(r, "resources");
	struct gates *gs = run_section_state(r, "gates");
	size_t i, k, j;

	for (i = 0; i < prov_n_resources(ps); i++) {
		bool on = false, any = false;

		for (k = 0; k < n && !on; k++)
			on = prov_resource_on(ps, i, node_name(nodes[k]));
		for (j = 0; on && !any && j < prov_n_fields(ps, i); j++) {
			const char *v = prov_field_at(ps, i,
			    prov_field_name(ps, i, j), sim_now(run_sim(r)),
			    NULL);

			any = v != NULL && v[0] != '\0';
		}
		if (on && !any)
			return true;
	}
	for (i = 0; sc != NULL && i < sc->n_links; i++)
		if (closed_gate(gs, &sc->links[i], nodes, n) != NULL)
			return true;
	return false;
}

size_t
query_why(FILE *out, struct run *r, const struct scenario *sc,
    struct node *const *nodes, size_t n)
{
	const struct prov_states *ps = run_section_state(r, "resources");
	struct gates *gs = run_section_state(r, "gates");
	sim_time now = sim_now(run_sim(r)), since;
	size_t lines = 0, i, k, j;
	char tb[32];

	for (i = 0; i < prov_n_resources(ps); i++) {
		bool on = false, any = false;
		sim_time gone = -1;

		for (k = 0; k < n && !on; k++)
			on = prov_resource_on(ps, i, node_name(nodes[k]));
		if (!on)
			continue;
		head(out, &lines, now);
		fprintf(out, "  %s (%s):", prov_resource_name(ps, i),
		    prov_resource_type(ps, i));
		for (j = 0; j < prov_n_fields(ps, i); j++) {
			const char *f = prov_field_name(ps, i, j),
			    *v = prov_field_at(ps, i, f, now, &since);

			if (v == NULL)
				continue;
			/* the plan writes a field that is gone as "" */
			if (v[0] == '\0') {
				gone = since > gone ? since : gone;
				continue;
			}
			fprintf(out, "%s %s %s since %s", any ? "," : "", f, v,
			    units_fmt_time(tb, sizeof(tb), since));
			any = true;
		}
		if (!any && gone >= 0)
			fprintf(out, " gone since %s", units_fmt_time(tb,
			    sizeof(tb), gone));
		else if (!any)
			fputs(" does not exist yet", out);
		next_change(out, ps, i, now, any, gone >= 0);
		fputc('\n', out);
	}
	for (i = 0; gs != NULL && sc != NULL && i < sc->n_links; i++) {
		const struct sc_link *l = &sc->links[i];
		struct gate *g = closed_gate(gs, l, nodes, n);

		if (g == NULL)
			continue;
		head(out, &lines, now);
		fprintf(out, "  link %s is down: its gate %s is closed (the "
		    "resource does not carry traffic now)\n", l->name,
		    gate_name(g));
	}
	return lines;
}
