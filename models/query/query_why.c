/*
 * query_why.c - why `xcsim routes` finds no route or `xcsim path` stops,
 * in the clouds' words (the issue: the queries answer before the circuit
 * is provisioned "and then say why there is no route"): the states of
 * the cloud resources shown on the nodes asked about, and the links on
 * them that a closed gate holds down. Nothing here knows a cloud: it
 * reads the resources section (prov_state.h) and the gates (gates.h).
 */
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

/* "Why, at T:" before the first line. */
static void
head(FILE *out, size_t *lines, sim_time now)
{
	char tb[32];

	if ((*lines)++ == 0)
		fprintf(out, "Why, at %s:\n", units_fmt_time(tb, sizeof(tb),
		    now));
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
			fprintf(out, "%s %s %s since %s", any ? "," : "", f, v,
			    units_fmt_time(tb, sizeof(tb), since));
			any = true;
		}
		fputs(any ? "\n" : " does not exist yet\n", out);
	}
	for (i = 0; gs != NULL && sc != NULL && i < sc->n_links; i++) {
		const struct sc_link *l = &sc->links[i];
		struct gate *g;

		if (l->gate == NULL || (!among(nodes, n, l->node[0]) &&
		    !among(nodes, n, l->node[1])))
			continue;
		g = gates_find(gs, l->gate);
		if (g == NULL || gate_is_open(g))
			continue;
		head(out, &lines, now);
		fprintf(out, "  link %s is down: its gate %s is closed (the "
		    "resource does not carry traffic now)\n", l->name,
		    gate_name(g));
	}
	return lines;
}
