/*
 * prov_state.c - the run of the resources section (prov_state.h): every
 * field's history (value and since), the schedule that applies the states
 * and notes at their times, the sessions followed live through
 * bgp_speaker_watch_peer, the trace records (prov_state per node, the
 * narration as annotations), the queries, `xcsim state`'s printing and the
 * "resources" member of metrics.json.
 *
 * The whole timeline of the section is one sorted list of steps with one
 * pending event at a time (not one event per state), so a day of periodic
 * operations does not fill the event queue.
 */
#include <stdlib.h>
#include <string.h>

#include "bgp_scenario.h"
#include "bgp_speaker.h"
#include "net.h"
#include "prov_state_int.h"
#include "scenario_section.h"
#include "trace.h"
#include "util.h"
#include "wire.h"

#define PROV_TEXT_MAX 512

static struct prov_field *
field_find(struct prov_res *r, const char *name)
{
	size_t k;

	for (k = 0; k < r->n_fields; k++)
		if (strcmp(r->fields[k].name, name) == 0)
			return &r->fields[k];
	return NULL;
}

static const char *
field_now(const struct prov_field *f)
{
	return f->n > 0 ? f->h[f->n - 1].value : NULL;
}

static const char *
res_title(const struct prov_res *r)
{
	return r->sc->title != NULL ? r->sc->title : r->sc->name;
}

/*
 * field takes value now: its history, one prov_state record per node of
 * the resource (the keyed state a viewer seeks to) and, when narrate, one
 * annotation in words ("title: field old -> value (op)"). The same value
 * again changes nothing.
 */
static void
field_set(struct prov_res *r, struct prov_field *f, const char *value,
    const char *op, bool narrate)
{
	struct prov_states *ps = r->ps;
	struct trace *tr = net_trace(ps->net);
	sim_time now = sim_now(ps->sim);
	const char *old = field_now(f);
	char text[PROV_TEXT_MAX];
	size_t i;

	if (old != NULL && strcmp(old, value) == 0)
		return;
	if (f->n == f->cap) {
		f->cap = f->cap ? 2 * f->cap : 4;
		f->h = xrealloc(f->h, f->cap * sizeof(*f->h));
	}
	f->h[f->n].t = now;
	f->h[f->n++].value = value;
	if (tr == NULL)
		return;
	for (i = 0; i < r->sc->n_nodes; i++)
		trace_prov(tr, now, r->node_ids[i], r->sc->name, f->name,
		    value);
	if (r->sc->n_nodes == 0)
		trace_prov(tr, now, TRACE_NO_ID, r->sc->name, f->name, value);
	if (!narrate)
		return;
	snprintf(text, sizeof(text), "%s: %s %s%s%s%s%s%s", res_title(r),
	    f->name, old != NULL ? old : "", old != NULL ? " -> " : "", value,
	    op != NULL ? " (" : "", op != NULL ? op : "", op != NULL ? ")" :
	    "");
	trace_annotate(tr, now, r->sc->n_nodes > 0 ? r->node_ids[0] :
	    TRACE_NO_ID, text);
}

/* The followed field's value from its sessions (when: any or all up). */
static const char *
follow_value(const struct prov_follow *fo)
{
	size_t i, up = 0;

	for (i = 0; i < fo->n; i++)
		up += fo->w[i].up;
	if (fo->sc->when == PROV_WHEN_ALL)
		return up == fo->n ? fo->sc->up : fo->sc->down;
	return up > 0 ? fo->sc->up : fo->sc->down;
}

static void
on_session(void *arg, uint32_t addr, bool established)
{
	struct prov_watch *w = arg;
	struct prov_follow *fo = w->f;

	(void)addr;
	w->up = established;
	/* before its start at time zero the field has no value to change */
	if (fo->field->n > 0)
		field_set(fo->r, fo->field, follow_value(fo), NULL, true);
}

static void
step_apply(const struct prov_step *s)
{
	struct prov_res *r = s->r;
	struct trace *tr;

	switch (s->kind) {
	case PROV_STEP_STATE: {
		const struct prov_sc_state *st = &r->sc->states[s->k];

		field_set(r, field_find(r, st->field), st->value, st->op, true);
		break;
	}
	case PROV_STEP_FOLLOW:
		field_set(r, r->follow[s->k].field,
		    follow_value(&r->follow[s->k]), NULL, false);
		break;
	case PROV_STEP_OP: {
		const struct prov_sc_op *o = &r->sc->ops[s->k];

		tr = net_trace(r->ps->net);
		trace_prov_op(tr, sim_now(r->ps->sim), r->ps->ops_written++,
		    r->sc->n_nodes > 0 ? r->node_ids[0] : TRACE_NO_ID, o->op,
		    r->sc->name, res_title(r), o->end,
		    o->outcome == PROV_OUT_REFUSED ? TRO_REFUSED : TRO_DONE,
		    o->error != NULL ? o->error : "");
		break;
	}
	case PROV_STEP_NOTE:
		tr = net_trace(r->ps->net);
		if (tr != NULL)
			trace_annotate(tr, sim_now(r->ps->sim),
			    r->sc->n_nodes > 0 ? r->node_ids[0] : TRACE_NO_ID,
			    r->sc->notes[s->k].text);
		break;
	}
}

static void
steps_fire(struct sim *sim, void *arg)
{
	struct prov_states *ps = arg;
	sim_time now = sim_now(sim);

	while (ps->next < ps->n_steps && ps->steps[ps->next].t <= now)
		step_apply(&ps->steps[ps->next++]);
	if (ps->next < ps->n_steps)
		ps->ev = sim_schedule_at(sim, ps->steps[ps->next].t, steps_fire,
		    ps);
}

static void
step_add(struct prov_states *ps, size_t *cap, sim_time t,
    enum prov_step_kind kind, struct prov_res *r, size_t k)
{
	if (ps->n_steps == *cap) {
		*cap = *cap ? 2 * *cap : 16;
		ps->steps = xrealloc(ps->steps, *cap * sizeof(*ps->steps));
	}
	ps->steps[ps->n_steps++] = (struct prov_step){ t, kind, r, k,
		ps->n_steps };
}

/* By time, then in the order added (file order): qsort is not stable. */
static int
step_cmp(const void *a, const void *b)
{
	const struct prov_step *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Fields in the order the file names them: states first, then follow. */
static void
res_fields(struct prov_res *r)
{
	const struct prov_sc_res *sc = r->sc;
	size_t k;

	r->fields = xcalloc(sc->n_states + sc->n_follow + 1,
	    sizeof(*r->fields));
	for (k = 0; k < sc->n_states; k++)
		if (field_find(r, sc->states[k].field) == NULL)
			r->fields[r->n_fields++].name = sc->states[k].field;
	for (k = 0; k < sc->n_follow; k++)
		if (field_find(r, sc->follow[k].field) == NULL)
			r->fields[r->n_fields++].name = sc->follow[k].field;
}

struct prov_states *
prov_states_new(struct sim *sim, struct net *net,
    const struct prov_sc_res *items, size_t n)
{
	struct prov_states *ps = xcalloc(1, sizeof(*ps));
	size_t i, k, cap = 0;

	ps->sim = sim;
	ps->net = net;
	ps->res = xcalloc(n + 1, sizeof(*ps->res));
	ps->n = n;
	for (i = 0; i < n; i++) {
		struct prov_res *r = &ps->res[i];
		const struct prov_sc_res *sc = &items[i];

		r->ps = ps;
		r->sc = sc;
		res_fields(r);
		r->node_ids = xcalloc(sc->n_nodes + 1, sizeof(*r->node_ids));
		for (k = 0; k < sc->n_nodes; k++) {
			struct node *nd = net_find_node(net, sc->nodes[k]);

			r->node_ids[k] = nd != NULL ? node_id(nd) : TRACE_NO_ID;
		}
		r->follow = xcalloc(sc->n_follow + 1, sizeof(*r->follow));
		r->n_follow = sc->n_follow;
		for (k = 0; k < sc->n_follow; k++) {
			struct prov_follow *fo = &r->follow[k];
			size_t j;

			fo->r = r;
			fo->sc = &sc->follow[k];
			fo->field = field_find(r, fo->sc->field);
			fo->n = fo->sc->n_sessions;
			fo->w = xcalloc(fo->n + 1, sizeof(*fo->w));
			for (j = 0; j < fo->n; j++)
				fo->w[j].f = fo;
		}
		/* an operation's record before the states it sets */
		for (k = 0; k < sc->n_ops; k++)
			step_add(ps, &cap, sc->ops[k].at, PROV_STEP_OP, r, k);
		for (k = 0; k < sc->n_states; k++)
			step_add(ps, &cap, sc->states[k].at, PROV_STEP_STATE, r,
			    k);
		for (k = 0; k < sc->n_follow; k++)
			step_add(ps, &cap, 0, PROV_STEP_FOLLOW, r, k);
		for (k = 0; k < sc->n_notes; k++)
			step_add(ps, &cap, sc->notes[k].at, PROV_STEP_NOTE, r,
			    k);
	}
	if (ps->n_steps > 0) {
		qsort(ps->steps, ps->n_steps, sizeof(*ps->steps), step_cmp);
		ps->ev = sim_schedule_at(sim, ps->steps[0].t, steps_fire, ps);
	}
	return ps;
}

/* The speaker of node (in whichever VRF) with neighbour peer, or NULL. */
static struct bgp_speaker *
speaker_with(void *bgp_state, struct node *nd, uint32_t peer)
{
	struct bgp_speaker *sp;
	size_t v, k;

	for (v = 0; v < node_n_vrfs(nd); v++) {
		sp = bgp_scenario_speaker(bgp_state, nd, (uint32_t)v);
		for (k = 0; sp != NULL && k < bgp_speaker_n_neighbors(sp); k++)
			if (bgp_speaker_neighbor(sp, k)->addr == peer)
				return sp;
	}
	return NULL;
}

int
prov_states_follow(struct prov_states *ps, void *bgp_state, char *err,
    size_t errlen)
{
	size_t i, k, j;
	char a[16];

	for (i = 0; i < ps->n; i++)
		for (k = 0; k < ps->res[i].n_follow; k++) {
			struct prov_follow *fo = &ps->res[i].follow[k];

			for (j = 0; j < fo->n; j++) {
				const struct prov_sc_session *s =
				    &fo->sc->sessions[j];
				struct node *nd = net_find_node(ps->net,
				    s->node);
				struct bgp_speaker *sp = NULL;

				if (nd != NULL && bgp_state != NULL)
					sp = speaker_with(bgp_state, nd,
					    s->peer);
				if (sp == NULL || bgp_speaker_watch_peer(sp,
				    s->peer, on_session, &fo->w[j]) != 0) {
					snprintf(err, errlen, "resource '%s': "
					    "no bgp session of %s with %s to "
					    "follow", ps->res[i].sc->name,
					    s->node, wire_ip_str(s->peer, a));
					return -1;
				}
				fo->w[j].up = bgp_speaker_peer_state(sp,
				    s->peer) == BGP_ST_ESTABLISHED;
			}
		}
	return 0;
}

void
prov_states_free(struct prov_states *ps)
{
	size_t i, k;

	if (ps == NULL)
		return;
	sim_cancel(ps->sim, ps->ev);
	for (i = 0; i < ps->n; i++) {
		struct prov_res *r = &ps->res[i];

		for (k = 0; k < r->n_fields; k++)
			free(r->fields[k].h);
		free(r->fields);
		free(r->node_ids);
		for (k = 0; k < r->n_follow; k++)
			free(r->follow[k].w);
		free(r->follow);
	}
	free(ps->res);
	free(ps->steps);
	free(ps);
}

/* ---- queries ---- */

size_t
prov_n_resources(const struct prov_states *ps)
{
	return ps != NULL ? ps->n : 0;
}

long
prov_find(const struct prov_states *ps, const char *name)
{
	size_t i;

	for (i = 0; ps != NULL && i < ps->n; i++)
		if (strcmp(ps->res[i].sc->name, name) == 0)
			return (long)i;
	return -1;
}

const char *
prov_resource_name(const struct prov_states *ps, size_t i)
{
	return i < prov_n_resources(ps) ? ps->res[i].sc->name : NULL;
}

const char *
prov_resource_type(const struct prov_states *ps, size_t i)
{
	return i < prov_n_resources(ps) ? ps->res[i].sc->type : NULL;
}

bool
prov_resource_on(const struct prov_states *ps, size_t i, const char *node)
{
	size_t k;

	for (k = 0; i < prov_n_resources(ps) && k < ps->res[i].sc->n_nodes;
	    k++)
		if (strcmp(ps->res[i].sc->nodes[k], node) == 0)
			return true;
	return false;
}

const char *
prov_resource_title(const struct prov_states *ps, size_t i)
{
	return i < prov_n_resources(ps) ? res_title(&ps->res[i]) : NULL;
}

const char *
prov_field_at(const struct prov_states *ps, size_t i, const char *field,
    sim_time at, sim_time *since)
{
	const struct prov_field *f;
	size_t lo = 0, hi, mid;

	if (i >= prov_n_resources(ps) ||
	    (f = field_find(&ps->res[i], field)) == NULL)
		return NULL;
	/* the last change at or before at */
	hi = f->n;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (f->h[mid].t <= at)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	if (since != NULL)
		*since = f->h[lo - 1].t;
	return f->h[lo - 1].value;
}

size_t
prov_n_fields(const struct prov_states *ps, size_t i)
{
	return i < prov_n_resources(ps) ? ps->res[i].n_fields : 0;
}

const char *
prov_field_name(const struct prov_states *ps, size_t i, size_t k)
{
	return k < prov_n_fields(ps, i) ? ps->res[i].fields[k].name : NULL;
}

/* ---- printing ---- */

/* One resource as a JSON object, its fields at at. */
static void
res_json(const struct prov_states *ps, size_t i, sim_time at, FILE *out)
{
	const struct prov_res *r = &ps->res[i];
	const char *v;
	sim_time since;
	size_t k;

	fputs("{\"name\": ", out);
	scenario_json_str(out, r->sc->name);
	fputs(", \"type\": ", out);
	scenario_json_str(out, r->sc->type);
	fputs(", \"title\": ", out);
	scenario_json_str(out, res_title(r));
	fputs(", \"nodes\": [", out);
	for (k = 0; k < r->sc->n_nodes; k++) {
		fputs(k ? ", " : "", out);
		scenario_json_str(out, r->sc->nodes[k]);
	}
	fputs("], \"fields\": [", out);
	for (k = 0; k < r->n_fields; k++) {
		fprintf(out, "%s{\"field\": ", k ? ", " : "");
		scenario_json_str(out, r->fields[k].name);
		fputs(", \"value\": ", out);
		v = prov_field_at(ps, i, r->fields[k].name, at, &since);
		if (v == NULL) {
			fputs("null, \"since_ns\": null}", out);
			continue;
		}
		scenario_json_str(out, v);
		fprintf(out, ", \"since_ns\": %lld}", (long long)since);
	}
	fputs("]}", out);
}

/* The rows of the text form: resource, type, field, value, since. */
#define COLS 5

static void
row_cells(const struct prov_states *ps, size_t i, size_t k, sim_time at,
    const char *cell[COLS], char *since_buf, size_t len)
{
	const struct prov_res *r = &ps->res[i];
	sim_time since;

	cell[0] = r->sc->name;
	cell[1] = r->sc->type;
	cell[2] = k < r->n_fields ? r->fields[k].name : "-";
	cell[3] = k < r->n_fields ? prov_field_at(ps, i, cell[2], at, &since) :
	    NULL;
	cell[4] = cell[3] != NULL ? units_fmt_time(since_buf, len, since) :
	    "-";
	if (cell[3] == NULL)
		cell[3] = "-";
}

/* Each resource's rows: one a field, one for a resource with none. */
static size_t
res_rows(const struct prov_states *ps, size_t i)
{
	return ps->res[i].n_fields > 0 ? ps->res[i].n_fields : 1;
}

int
prov_states_print(const struct prov_states *ps, sim_time at,
    const char *only, bool json, FILE *out)
{
	static const char *const head[COLS] = { "Resource", "Type", "Field",
		"Value", "Since" };
	const char *cell[COLS];
	size_t i, k, c, w[COLS], n = prov_n_resources(ps), shown = 0;
	long one = -1;
	char tb[32], sb[32];

	if (only != NULL && (one = prov_find(ps, only)) < 0)
		return -1;
	if (json) {
		fprintf(out, "{\"at_ns\": %lld, \"at\": \"%s\", "
		    "\"resources\": [", (long long)at,
		    units_fmt_time(tb, sizeof(tb), at));
		for (i = 0; i < n; i++) {
			if (one >= 0 && (size_t)one != i)
				continue;
			fputs(shown++ ? ", " : "", out);
			res_json(ps, i, at, out);
		}
		fputs("]}\n", out);
		return 0;
	}
	for (c = 0; c < COLS; c++)
		w[c] = strlen(head[c]);
	for (i = 0; i < n; i++)
		for (k = 0; k < res_rows(ps, i); k++) {
			if (one >= 0 && (size_t)one != i)
				continue;
			row_cells(ps, i, k, at, cell, sb, sizeof(sb));
			for (c = 0; c < COLS; c++)
				if (strlen(cell[c]) > w[c])
					w[c] = strlen(cell[c]);
		}
	fprintf(out, "Resources at %s\n", units_fmt_time(tb, sizeof(tb), at));
	fprintf(out, "%-*s  %-*s  %-*s  %-*s  %s\n", (int)w[0], head[0],
	    (int)w[1], head[1], (int)w[2], head[2], (int)w[3], head[3],
	    head[4]);
	for (i = 0; i < n; i++)
		for (k = 0; k < res_rows(ps, i); k++) {
			if (one >= 0 && (size_t)one != i)
				continue;
			row_cells(ps, i, k, at, cell, sb, sizeof(sb));
			fprintf(out, "%-*s  %-*s  %-*s  %-*s  %s\n", (int)w[0],
			    cell[0], (int)w[1], cell[1], (int)w[2], cell[2],
			    (int)w[3], cell[3], cell[4]);
			shown++;
		}
	if (shown == 0)
		fputs("(no resources)\n", out);
	return 0;
}

void
prov_states_metrics(const void *state, FILE *out)
{
	const struct prov_states *ps = state;
	size_t i;

	fputs("\"resources\": [", out);
	for (i = 0; i < ps->n; i++) {
		fputs(i ? ",\n    " : "\n    ", out);
		res_json(ps, i, sim_now(ps->sim), out);
	}
	fputs("\n  ]", out);
}
