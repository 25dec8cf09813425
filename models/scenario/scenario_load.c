/*
 * scenario_load.c - YAML scenario files into struct scenario: the entry
 * points, the registry of sections and timeline actions, and the drivers
 * that run their checks, builds and frees.
 *
 * Two passes. The first walks libyaml's document tree: the root's own keys
 * (name, seed, duration, record, ...) with the root table, every other key
 * with the table of the registered section of that name (scenario_walk.c).
 * The second runs each section's check, in registration order, for what
 * needs the whole file: names are unique, references resolve, link ends
 * agree, next hops are reachable. Both passes report every error they find
 * and keep going; only a file without errors becomes a struct scenario.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "net.h"
#include "scenario_expand.h"
#include "scenario_load.h"
#include "sim.h"
#include "trace.h"

#define MAX_DEPTH 64		/* deepest nesting of a file, any key */
#define READ_CHUNK 65536

/* --- the root -------------------------------------------------------- */

/* trace_pkt_level's names, in its order */
static const char *const packets_names[] = { "all", "drops", "none", NULL };
_Static_assert(sizeof(packets_names) / sizeof(packets_names[0]) ==
    TRACE_PKT_MAX + 1, "record.packets names every trace_pkt_level");

static const char *const packets_docs[] = {
	"every hop of every packet (or of 1 in packet_sample)",
	"drops only; queues sampled at each keyframe",
	"no packet records; queues sampled at each keyframe",
	NULL
};

static const struct sc_field record_fields[] = {
	[RC_TRACE] = { "trace", SC_FT_BOOL,
		SC_AT(struct scenario, record_trace), .def = "true",
		.doc = "write trace.xct" },
	[RC_METRICS] = { "metrics", SC_FT_BOOL,
		SC_AT(struct scenario, record_metrics), .def = "true",
		.doc = "write the metrics (JSON and CSV)" },
	[RC_PCAP] = { "pcap", SC_FT_PCAP, SC_AT(struct scenario, captures),
		SC_AT2(struct scenario, n_captures), .def = "none",
		.doc = "interfaces to capture: all, none, or a list of node "
		    "and node:interface" },
	[RC_KEYFRAME_EVERY] = { "keyframe_every", SC_FT_TIME,
		SC_AT(struct scenario, keyframe_every), .min = 1,
		.def_doc = "the trace writer's default",
		.doc = "interval between trace keyframes (for seeking)" },
	[RC_METRICS_INTERVAL] = { "metrics_interval", SC_FT_TIME,
		SC_AT(struct scenario, metrics_interval), .min = 1,
		.def_doc = "100ms up to 10 min of duration, then coarser "
		    "(docs/viz.md)",
		.doc = "interval of the link rows and of the goodput rows "
		    "(whole 100 ms bins) of metrics.csv" },
	[RC_PACKETS] = { "packets", SC_FT_ENUM,
		SC_AT(struct scenario, record_packets),
		.names = packets_names, .name_docs = packets_docs,
		.def = "all", .doc = "packet records the trace keeps "
		    "(docs/trace-format.md, \"What a trace keeps\")" },
	[RC_PACKET_SAMPLE] = { "packet_sample", SC_FT_UINT,
		SC_AT(struct scenario, packet_sample), .min = 1,
		.max = UINT32_MAX, .def = "1",
		.doc = "with packets: all, keep the hops of 1 packet in N "
		    "(chosen by packet uid: the same ones every run); every "
		    "drop is kept" },
};

static const struct sc_table record_table = {
	"record", "What a run writes.",
	record_fields, SC_NFIELDS(record_fields), 0, SC_NO_OFF,
	offsetof(struct scenario, rvloc), SC_NO_OFF, -1
};

static const struct sc_field scenario_fields[] = {
	[SC_NAME] = { "name", SC_FT_STRING, SC_AT(struct scenario, name),
		.def_doc = "the file name without its extension",
		.doc = "scenario name" },
	[SC_DESCRIPTION] = { "description", SC_FT_STRING,
		SC_AT(struct scenario, description), .def_doc = "none",
		.doc = "one line on what the scenario shows" },
	[SC_SEED] = { "seed", SC_FT_UINT, SC_AT(struct scenario, seed),
		.min = 0, .max = UINT64_MAX, .def = "1",
		.doc = "seed of every random stream; same seed, same run" },
	[SC_DURATION] = { "duration", SC_FT_TIME,
		SC_AT(struct scenario, duration), .def = "0s",
		.doc = "simulated time to run, 0 = until no events remain" },
	[SC_RECORD] = { "record", SC_FT_MAP, .off = 0, .sub = &record_table,
		.def_doc = "its keys' defaults", .doc = "what to write" },
};

const struct sc_table sc_table_scenario = {
	"scenario", "An xcsim scenario: topology, traffic, faults, "
	"assertions and what to record.",
	scenario_fields, SC_NFIELDS(scenario_fields), sizeof(struct scenario),
	offsetof(struct scenario, loc), offsetof(struct scenario, vloc),
	offsetof(struct scenario, keys), -1
};

/* --- the registry ---------------------------------------------------- */

static const struct sc_section *const builtin_sections[] = {
	&sc_section_nodes, &sc_section_links, &sc_section_apps,
	&sc_section_events, &sc_section_assertions,
};
#define N_BUILTIN_SECTIONS \
	(sizeof(builtin_sections) / sizeof(builtin_sections[0]))

static const struct sc_action *const builtin_actions[] = {
	&sc_action_link_down, &sc_action_link_up, &sc_action_qdisc_set,
	&sc_action_node_down, &sc_action_node_up,
};
#define N_BUILTIN_ACTIONS \
	(sizeof(builtin_actions) / sizeof(builtin_actions[0]))

/* Registered by models at start-up (and by tests). */
static const struct sc_section **ext_sections;
static size_t n_ext_sections;
static const struct sc_action **ext_actions;
static size_t n_ext_actions;

const struct sc_section *
scenario_section_at(size_t i)
{
	if (i < N_BUILTIN_SECTIONS)
		return builtin_sections[i];
	i -= N_BUILTIN_SECTIONS;
	return i < n_ext_sections ? ext_sections[i] : NULL;
}

const struct sc_action *
scenario_action_at(size_t i)
{
	if (i < N_BUILTIN_ACTIONS)
		return builtin_actions[i];
	i -= N_BUILTIN_ACTIONS;
	return i < n_ext_actions ? ext_actions[i] : NULL;
}

static const struct sc_section *
section_find(const char *name)
{
	const struct sc_section *s;
	size_t i;

	for (i = 0; (s = scenario_section_at(i)) != NULL; i++)
		if (strcmp(s->name, name) == 0)
			return s;
	return NULL;
}

const struct sc_action *
scenario_action_find(const char *name)
{
	const struct sc_action *a;
	size_t i;

	for (i = 0; (a = scenario_action_at(i)) != NULL; i++)
		if (strcmp(a->name, name) == 0)
			return a;
	return NULL;
}

static bool
root_key(const char *name)
{
	size_t i;

	for (i = 0; i < sc_table_scenario.n_fields; i++)
		if (strcmp(sc_table_scenario.fields[i].name, name) == 0)
			return true;
	return false;
}

int
scenario_register_section(const struct sc_section *s)
{
	SIM_ASSERT(s->name != NULL && s->table != NULL &&
	    s->table->size > 0 && s->phase < SC_PHASE_MAX,
	    "malformed section");
	if (section_find(s->name) != NULL || root_key(s->name))
		return -1;
	ext_sections = xrealloc(ext_sections,
	    (n_ext_sections + 1) * sizeof(*ext_sections));
	ext_sections[n_ext_sections++] = s;
	return 0;
}

void
scenario_unregister_section(const struct sc_section *s)
{
	size_t i;

	for (i = 0; i < n_ext_sections; i++)
		if (ext_sections[i] == s) {
			memmove(&ext_sections[i], &ext_sections[i + 1],
			    (n_ext_sections - i - 1) * sizeof(*ext_sections));
			n_ext_sections--;
			break;
		}
	if (n_ext_sections == 0) {
		free(ext_sections);
		ext_sections = NULL;
	}
}

int
scenario_register_action(const struct sc_action *a)
{
	SIM_ASSERT(a->name != NULL && a->table != NULL && a->schedule != NULL,
	    "malformed action");
	if (scenario_action_find(a->name) != NULL)
		return -1;
	ext_actions = xrealloc(ext_actions,
	    (n_ext_actions + 1) * sizeof(*ext_actions));
	ext_actions[n_ext_actions++] = a;
	return 0;
}

void
scenario_unregister_action(const struct sc_action *a)
{
	size_t i;

	for (i = 0; i < n_ext_actions; i++)
		if (ext_actions[i] == a) {
			memmove(&ext_actions[i], &ext_actions[i + 1],
			    (n_ext_actions - i - 1) * sizeof(*ext_actions));
			n_ext_actions--;
			break;
		}
	if (n_ext_actions == 0) {
		free(ext_actions);
		ext_actions = NULL;
	}
}

/* Registered assertion kinds; the built-in ones are sc_assert_kinds. */
static const struct sc_assertion **ext_asserts;
static size_t n_ext_asserts;

const struct sc_assertion *
scenario_assertion_at(size_t i)
{
	return i < n_ext_asserts ? ext_asserts[i] : NULL;
}

const struct sc_assertion *
scenario_assertion_find(const char *name)
{
	size_t i;

	for (i = 0; i < n_ext_asserts; i++)
		if (strcmp(ext_asserts[i]->name, name) == 0)
			return ext_asserts[i];
	return NULL;
}

int
scenario_register_assertion(const struct sc_assertion *a)
{
	size_t i;

	SIM_ASSERT(a->name != NULL && a->table != NULL && a->judge != NULL,
	    "malformed assertion kind");
	for (i = 0; sc_assert_kinds[i] != NULL; i++)
		if (strcmp(sc_assert_kinds[i], a->name) == 0)
			return -1;
	if (scenario_assertion_find(a->name) != NULL)
		return -1;
	ext_asserts = xrealloc(ext_asserts,
	    (n_ext_asserts + 1) * sizeof(*ext_asserts));
	ext_asserts[n_ext_asserts++] = a;
	return 0;
}

void
scenario_unregister_assertion(const struct sc_assertion *a)
{
	size_t i;

	for (i = 0; i < n_ext_asserts; i++)
		if (ext_asserts[i] == a) {
			memmove(&ext_asserts[i], &ext_asserts[i + 1],
			    (n_ext_asserts - i - 1) * sizeof(*ext_asserts));
			n_ext_asserts--;
			break;
		}
	if (n_ext_asserts == 0) {
		free(ext_asserts);
		ext_asserts = NULL;
	}
}

/* --- the root's sections --------------------------------------------- */

struct root_walk {
	struct scenario *sc;
	struct sc_loc *keyloc;	/* where each section's key was */
};

/* Former top-level keys and where they went (scenario_register_moved_key). */
#define MOVED_MAX 8
static struct {
	const char *key, *hint;
} moved[MOVED_MAX];
static size_t n_moved;

int
scenario_register_moved_key(const char *key, const char *hint)
{
	size_t i;

	for (i = 0; i < n_moved; i++)
		if (strcmp(moved[i].key, key) == 0)
			return -1;
	if (n_moved == MOVED_MAX)
		return -1;
	moved[n_moved].key = key;
	moved[n_moved++].hint = hint;
	return 0;
}

static void
unknown_root_key(struct sc_check *ld, const struct scenario *sc,
    yaml_node_t *k, const char *key)
{
	size_t n = sc_table_scenario.n_fields + sc->n_sections, i, off;
	const char **names = xcalloc(n, sizeof(*names));
	const char *s;
	char hint[300];

	for (i = 0; i < sc_table_scenario.n_fields; i++)
		names[i] = sc_table_scenario.fields[i].name;
	for (i = 0; i < sc->n_sections; i++)
		names[sc_table_scenario.n_fields + i] =
		    sc->sections[i].sec->name;
	if ((s = suggest(ld, key, names, n, sizeof(*names), 0)) != NULL) {
		dym(ld, hint, sizeof(hint), s);
	} else {
		off = (size_t)snprintf(hint, sizeof(hint), " (valid keys: ");
		for (i = 0; i < n && off < sizeof(hint); i++)
			off += (size_t)snprintf(hint + off, sizeof(hint) - off,
			    "%s%s", i ? ", " : "", names[i]);
		if (off < sizeof(hint))
			snprintf(hint + off, sizeof(hint) - off, ")");
	}
	if (strcmp(key, "<<") == 0)
		snprintf(hint, sizeof(hint), " (YAML merge keys are not "
		    "supported: alias whole values instead, e.g. loss: *lossy)");
	for (i = 0; i < n_moved; i++)
		if (strcmp(key, moved[i].key) == 0)
			snprintf(hint, sizeof(hint), " (%s)", moved[i].hint);
	ld_error(ld, loc_of(k), "unknown key '%s' in scenario%s", q(ld, key),
	    hint);
	free(names);
}

static bool
root_other(struct sc_check *ld, yaml_node_t *k, yaml_node_t *v,
    const char *key, void *arg)
{
	struct root_walk *rw = arg;
	struct scenario *sc = rw->sc;
	struct sc_section_data *d = NULL;
	const struct sc_table *t;
	size_t i;

	for (i = 0; i < sc->n_sections && d == NULL; i++)
		if (strcmp(sc->sections[i].sec->name, key) == 0)
			d = &sc->sections[i];
	if (d == NULL) {
		unknown_root_key(ld, sc, k, key);
		return true;
	}
	i--;
	if (d->given) {
		ld_error(ld, loc_of(k), "duplicate key '%s' (first at %u:%u)",
		    key, rw->keyloc[i].line, rw->keyloc[i].col);
		return true;
	}
	d->given = true;
	d->loc = loc_of(v);
	rw->keyloc[i] = loc_of(k);
	t = d->sec->table;
	if (d->sec->list) {
		if (v->type != YAML_SEQUENCE_NODE) {
			ld_error(ld, loc_of(v), "'%s': expected a list, got %s",
			    key, is_null(v) ? "nothing" : kind_of(v));
			d->bad = true;
			return true;
		}
		walk_list(ld, key, t, v, &d->items, &d->n);
		return true;
	}
	if (v->type != YAML_MAPPING_NODE) {
		ld_error(ld, loc_of(v), "'%s': expected a mapping, got %s", key,
		    is_null(v) ? "nothing" : kind_of(v));
		d->bad = true;
		return true;
	}
	walk_map(ld, t, v, d->items);
	return true;
}

/* A section's storage before the walk: single mappings get their item. */
static void
sections_init(struct scenario *sc)
{
	const struct sc_section *s;
	size_t i, n = 0;

	while (scenario_section_at(n) != NULL)
		n++;
	sc->sections = xcalloc(n ? n : 1, sizeof(*sc->sections));
	sc->n_sections = n;
	for (i = 0; (s = scenario_section_at(i)) != NULL; i++) {
		sc->sections[i].sec = s;
		if (!s->list) {
			sc->sections[i].items = xcalloc(1, s->table->size);
			sc->sections[i].n = 1;
		}
	}
}

/* Does the file give a section with an expander? */
static bool
expanders_given(const struct scenario *sc)
{
	size_t i;

	for (i = 0; i < sc->n_sections; i++)
		if (sc->sections[i].sec->expand != NULL &&
		    sc->sections[i].given)
			return true;
	return false;
}

/* Required sections missing (once expanders could have added them). */
static void
sections_required(struct sc_check *ld, struct scenario *sc)
{
	size_t i;

	for (i = 0; i < sc->n_sections; i++) {
		struct sc_section_data *d = &sc->sections[i];

		if (!d->given && d->sec->required)
			ld_error(ld, sc->loc, "scenario is missing required key "
			    "'%s' (%s)", d->sec->name, d->sec->doc);
	}
}

/* Defaults of single-mapping sections not given; required ones. */
static void
sections_finish(struct sc_check *ld, struct scenario *sc)
{
	size_t i;

	if (!expanders_given(sc))
		sections_required(ld, sc);
	for (i = 0; i < sc->n_sections; i++) {
		struct sc_section_data *d = &sc->sections[i];

		if (!d->given && !d->sec->list)
			apply_defaults(ld, d->sec->table, d->items, 0, NULL,
			    sc->loc);
	}
}

void *
scenario_section(const struct scenario *sc, const char *name, size_t *n)
{
	size_t i;

	for (i = 0; i < sc->n_sections; i++)
		if (strcmp(sc->sections[i].sec->name, name) == 0) {
			if (n != NULL)
				*n = sc->sections[i].n;
			return sc->sections[i].items;
		}
	if (n != NULL)
		*n = 0;
	return NULL;
}

/* --- building -------------------------------------------------------- */

int
sc_build_set_state(struct sc_build *b, void *state)
{
	const struct sc_section *s = b->sc->sections[b->cur].sec;

	SIM_ASSERT(s->state_free != NULL, "section '%s' keeps a state it "
	    "cannot free", s->name);
	if (b->states == NULL) {
		sim_err(b->err, b->errlen, "section '%s' needs a run to keep "
		    "its state", s->name);
		s->state_free(state);
		return -1;
	}
	b->states[b->cur] = state;
	return 0;
}

void *
sc_judge_state(const struct sc_judge *j, const char *name)
{
	size_t i;

	for (i = 0; i < j->sc->n_sections; i++)
		if (strcmp(j->sc->sections[i].sec->name, name) == 0)
			return j->states != NULL ? j->states[i] : NULL;
	return NULL;
}

void *
sc_build_state(const struct sc_build *b, const char *name)
{
	size_t i;

	for (i = 0; i < b->sc->n_sections; i++)
		if (strcmp(b->sc->sections[i].sec->name, name) == 0)
			return b->states != NULL ? b->states[i] : NULL;
	return NULL;
}

int
scenario_build(struct sc_build *b, enum sc_phase phase)
{
	const struct scenario *sc = b->sc;
	size_t i;

	for (i = 0; i < sc->n_sections; i++) {
		const struct sc_section_data *d = &sc->sections[i];

		if (d->sec->phase != phase || d->sec->build == NULL)
			continue;
		b->cur = i;
		if (d->sec->build(b, d->items, d->n) < 0)
			return -1;
	}
	return 0;
}

void
sc_build_add_app(struct sc_build *b, struct app *a)
{
	*b->apps = xrealloc(*b->apps, (*b->n_apps + 1) * sizeof(**b->apps));
	(*b->apps)[(*b->n_apps)++] = a;
}

struct node *
sc_build_node(const struct sc_build *b, size_t i)
{
	return net_node(b->net, (uint32_t)i);
}

struct link *
sc_build_link(const struct sc_build *b, size_t i)
{
	return net_link(b->net, (uint32_t)i);
}

/* --- freeing --------------------------------------------------------- */

void
scenario_free(struct scenario *sc)
{
	size_t i;

	if (sc == NULL)
		return;
	for (i = 0; i < sc->n_sections; i++) {
		struct sc_section_data *d = &sc->sections[i];

		if (d->sec->free != NULL && d->items != NULL)
			d->sec->free(d->items, d->n);
		free_items(d->sec->table, d->items, d->n);
	}
	free(sc->sections);
	free_obj(&sc_table_scenario, (char *)sc);
	if (sc->node_names != NULL) {
		names_free(sc->node_names);
		free(sc->node_names);
	}
	free(sc->file);
	free(sc);
}

const struct sc_node *
scenario_node(const struct scenario *sc, const char *name)
{
	const size_t *v = names_find(sc->node_names, name, NULL);

	if (v == NULL || strcmp(sc->nodes[*v].name, name) != 0)
		return NULL;
	return &sc->nodes[*v];
}

/* --- entry points ---------------------------------------------------- */

/* Line and column of byte offset off, for reader errors without a mark. */
static struct sc_loc
offset_loc(const char *text, size_t len, size_t off)
{
	struct sc_loc l = { 1, 1 };
	size_t i;

	for (i = 0; i < off && i < len; i++) {
		if (text[i] == '\n') {
			l.line++;
			l.col = 1;
		} else if (((unsigned char)text[i] & 0xc0) != 0x80) {
			l.col++;
		}
	}
	return l;
}

void
sc_yaml_error(struct sc_check *ld, const yaml_parser_t *p, const char *text,
    size_t len)
{
	struct sc_loc l = { (uint32_t)p->problem_mark.line + 1,
		(uint32_t)p->problem_mark.column + 1 };
	const char *problem = p->problem ? p->problem : "cannot parse";

	if (p->error == YAML_READER_ERROR) {
		l = offset_loc(text, len, p->problem_offset);
		ld_error(ld, l, "%s (the file must be UTF-8 text)", problem);
	} else if (p->error == YAML_MEMORY_ERROR) {
		xcsim_oom();	/* not the input's fault: as xmalloc */
	} else if (p->context != NULL) {
		ld_error(ld, l, "YAML syntax: %s (%s at %u:%u)", problem,
		    p->context, (unsigned)p->context_mark.line + 1,
		    (unsigned)p->context_mark.column + 1);
	} else {
		ld_error(ld, l, "YAML syntax: %s", problem);
	}
}

/*
 * libyaml's scanner looks at every open flow level for each token, so deep
 * nesting costs quadratic time before the tree even exists; and nothing a
 * scenario holds nests more than a few levels. So stream the events once
 * and refuse deep files before building the tree.
 */
static bool
depth_ok(struct sc_check *ld, const char *text, size_t len)
{
	yaml_parser_t p;
	yaml_event_t ev;
	yaml_event_type_t type;
	int depth = 0;
	bool good = true;

	if (!yaml_parser_initialize(&p))
		xcsim_oom();	/* its only failure */
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	do {
		if (!yaml_parser_parse(&p, &ev)) {
			sc_yaml_error(ld, &p, text, len);
			good = false;
			break;
		}
		type = ev.type;
		if (type == YAML_SEQUENCE_START_EVENT ||
		    type == YAML_MAPPING_START_EVENT) {
			if (++depth > MAX_DEPTH) {
				struct sc_loc l = {
					(uint32_t)ev.start_mark.line + 1,
					(uint32_t)ev.start_mark.column + 1 };

				ld_error(ld, l, "nested more than %d levels deep",
				    MAX_DEPTH);
				good = false;
			}
		} else if (type == YAML_SEQUENCE_END_EVENT ||
		    type == YAML_MAPPING_END_EVENT) {
			depth--;
		}
		yaml_event_delete(&ev);
	} while (good && type != YAML_STREAM_END_EVENT);
	yaml_parser_delete(&p);
	return good;
}

static char *
default_name(const char *file)
{
	const char *base = strrchr(file, '/');
	char *name, *dot;

	name = xstrdup(base != NULL ? base + 1 : file);
	if ((dot = strrchr(name, '.')) != NULL && dot != name)
		*dot = '\0';
	return name;
}

/* Every section's check but the expanders' (sc_expanders_check). */
static void
check_all(struct sc_check *ld)
{
	struct scenario *sc = ld->sc;
	size_t i;

	for (i = 0; i < sc->n_sections; i++)
		if (sc->sections[i].sec->check != NULL &&
		    sc->sections[i].sec->expand == NULL)
			sc->sections[i].sec->check(ld, &sc->sections[i]);
	sc_check_reg_asserts(ld);
	sc_check_captures(ld);
}

/*
 * Expander sections first: when one is wrong, the items it would have
 * made are missing, and the other sections' checks would only report
 * what follows from that (a link to a router that was not made).
 */
static void
check_and_expand(struct sc_check *ld, yaml_document_t *doc)
{
	if (sc_expanders_check(ld)) {
		if (ld->n_errors > 0 || ld->exhausted)
			return;
		sc_expanders_run(ld, doc);
		if (expanders_given(ld->sc))
			sections_required(ld, ld->sc);
		if (ld->n_errors > 0 || ld->exhausted)
			return;
	}
	check_all(ld);
}

static void
walk_root(struct sc_check *ld, yaml_node_t *root)
{
	struct root_walk rw = { ld->sc, NULL };

	rw.keyloc = xcalloc(ld->sc->n_sections + 1, sizeof(*rw.keyloc));
	walk_map_ext(ld, &sc_table_scenario, root, (char *)ld->sc, root_other,
	    &rw);
	free(rw.keyloc);
	sections_finish(ld, ld->sc);
}

/* The parsed tree of text, or false after reporting why not. */
bool
sc_parse_doc(struct sc_check *ld, const char *text, size_t len,
    yaml_document_t *doc)
{
	yaml_parser_t parser;
	yaml_document_t extra;
	bool ok = true;

	if (!depth_ok(ld, text, len))
		return false;
	if (!yaml_parser_initialize(&parser))
		xcsim_oom();
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, doc)) {
		sc_yaml_error(ld, &parser, text, len);
		yaml_parser_delete(&parser);
		return false;
	}
	if (yaml_document_get_root_node(doc) != NULL) {
		if (!yaml_parser_load(&parser, &extra)) {
			sc_yaml_error(ld, &parser, text, len);
			ok = false;
		} else {
			if (yaml_document_get_root_node(&extra) != NULL) {
				struct sc_loc l = {
					(uint32_t)extra.start_mark.line + 1,
					(uint32_t)extra.start_mark.column + 1 };

				ld_error(ld, l, "a second YAML document: a "
				    "scenario file holds exactly one");
			}
			yaml_document_delete(&extra);
		}
	}
	yaml_parser_delete(&parser);
	if (!ok)
		yaml_document_delete(doc);
	return ok;
}

/*
 * Load text; with out set, also print the expanded low-level document there
 * (*write_err when that fails); with then set, call it once the file has
 * no error, while its names are still known (sc_load_then).
 */
static struct scenario *
load_text(const char *name, const char *text, size_t len,
    const struct sc_load_opts *o, FILE *diag, unsigned *n_errors, FILE *out,
    bool *write_err, void (*then)(struct sc_check *ld, void *arg), void *arg)
{
	struct sc_check ld = { .file = name, .diag = diag };
	struct scenario *sc = xcalloc(1, sizeof(*sc));
	yaml_document_t doc;
	yaml_node_t *root;
	size_t i;

	ld.sc = sc;
	ld.doc = &doc;
	sections_init(sc);
	if (text == NULL)
		text = "";
	if (len > SC_INPUT_MAX) {
		struct sc_loc l = { 1, 1 };

		ld_error(&ld, l, "the file is larger than %zu MiB, the most a "
		    "scenario may be", SC_INPUT_MAX >> 20);
	} else if (sc_parse_doc(&ld, text, len, &doc)) {
		ld.max_visits = 16 * (uint64_t)(doc.nodes.top -
		    doc.nodes.start) + 100000;
		root = yaml_document_get_root_node(&doc);
		if (root == NULL) {
			struct sc_loc l = { 1, 1 };

			ld_error(&ld, l, "the file is empty (a scenario needs at "
			    "least nodes)");
		} else if (root->type != YAML_MAPPING_NODE) {
			ld_error(&ld, loc_of(root), "a scenario must be a mapping "
			    "of keys (name, nodes, links, ...), not %s",
			    kind_of(root));
		} else {
			walk_root(&ld, root);
			sc->run_seed = o != NULL && o->seed_set ? o->seed :
			    sc->seed;
			if (!ld.exhausted)
				check_and_expand(&ld, &doc);
			if (then != NULL && ld.n_errors == 0)
				then(&ld, arg);
		}
		if (out != NULL && ld.n_errors == 0) {
			*write_err = !sc_expanded_emit(&doc, name, o, out);
		} else {
			yaml_document_delete(&doc);
		}
	}
	if (sc->name == NULL && ld.n_errors == 0)
		sc->name = default_name(name);
	sc->file = xstrdup(name);
	for (i = 0; i < ld.n_spaces && ld.n_errors == 0; i++)
		if (strcmp(ld.spaces[i]->space, "node") == 0) {
			sc->node_names = ld.spaces[i];
			ld.spaces[i] = xcalloc(1, sizeof(struct sc_names));
			ld.spaces[i]->space = xstrdup("node");
		}
	ld_free_spaces(&ld);
	ld_flush(&ld);
	if (n_errors != NULL)
		*n_errors = ld.n_errors;
	if (ld.n_errors > 0) {
		scenario_free(sc);
		return NULL;
	}
	return sc;
}

struct scenario *
scenario_load_buffer(const char *name, const char *text, size_t len,
    FILE *diag, unsigned *n_errors)
{
	return load_text(name, text, len, NULL, diag, n_errors, NULL, NULL,
	    NULL, NULL);
}

struct scenario *
scenario_load_buffer_opts(const char *name, const char *text, size_t len,
    const struct sc_load_opts *o, FILE *diag, unsigned *n_errors)
{
	return load_text(name, text, len, o, diag, n_errors, NULL, NULL, NULL,
	    NULL);
}

struct scenario *
sc_load_then(const char *name, const char *text, size_t len,
    const struct sc_load_opts *o, FILE *diag, unsigned *n_errors,
    void (*then)(struct sc_check *ld, void *arg), void *arg)
{
	return load_text(name, text, len, o, diag, n_errors, NULL, NULL,
	    then, arg);
}

static struct scenario *
load_failed(const char *path, FILE *diag, unsigned *n_errors,
    const char *what)
{
	if (diag != NULL) {
		fputs_escaped(path, diag);
		fprintf(diag, ": error: %s\n", what);
	}
	if (n_errors != NULL)
		*n_errors = 1;
	return NULL;
}

/*
 * Read in bounded chunks whatever the file is (a pipe, a device, a FIFO:
 * st_size cannot be trusted), and stop one byte past the limit. NULL with
 * msg set when it cannot be read or is too large.
 */
char *
sc_slurp(const char *path, size_t *lenp, char *msg, size_t msglen)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (f == NULL) {
		snprintf(msg, msglen, "cannot open: %s", strerror(errno));
		return NULL;
	}
	do {
		if (cap - len < READ_CHUNK) {
			cap = cap ? 2 * cap : READ_CHUNK;
			if (cap > SC_INPUT_MAX + READ_CHUNK)
				cap = SC_INPUT_MAX + READ_CHUNK;
			buf = xrealloc(buf, cap);
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n > 0 && len <= SC_INPUT_MAX);
	if (ferror(f)) {
		snprintf(msg, msglen, "cannot read: %s", strerror(errno));
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	if (len > SC_INPUT_MAX) {
		free(buf);
		snprintf(msg, msglen, "the file is larger than %zu MiB, "
		    "the most a scenario may be", SC_INPUT_MAX >> 20);
		return NULL;
	}
	*lenp = len;
	return buf;
}

struct scenario *
scenario_load_file_opts(const char *path, const struct sc_load_opts *o,
    FILE *diag, unsigned *n_errors)
{
	struct scenario *sc;
	char *buf, msg[300];
	size_t len = 0;

	if ((buf = sc_slurp(path, &len, msg, sizeof(msg))) == NULL)
		return load_failed(path, diag, n_errors, msg);
	sc = scenario_load_buffer_opts(path, buf, len, o, diag, n_errors);
	free(buf);
	return sc;
}

struct scenario *
scenario_load_file(const char *path, FILE *diag, unsigned *n_errors)
{
	return scenario_load_file_opts(path, NULL, diag, n_errors);
}

int
scenario_expand_print_buffer_opts(const char *name, const char *text,
    size_t len, const struct sc_load_opts *o, FILE *out, FILE *diag)
{
	struct scenario *sc;
	bool write_err = false;

	sc = load_text(name, text, len, o, diag, NULL, out, &write_err, NULL,
	    NULL);
	if (sc == NULL)
		return 2;
	scenario_free(sc);
	return write_err ? 1 : 0;
}

int
scenario_expand_print_buffer(const char *name, const char *text, size_t len,
    FILE *out, FILE *diag)
{
	return scenario_expand_print_buffer_opts(name, text, len, NULL, out,
	    diag);
}

int
scenario_expand_print_opts(const char *path, const struct sc_load_opts *o,
    FILE *out, FILE *diag)
{
	char *buf, msg[300];
	size_t len = 0;
	int rc;

	if ((buf = sc_slurp(path, &len, msg, sizeof(msg))) == NULL) {
		load_failed(path, diag, NULL, msg);
		return 2;
	}
	rc = scenario_expand_print_buffer_opts(path, buf, len, o, out, diag);
	free(buf);
	return rc;
}

int
scenario_expand_print(const char *path, FILE *out, FILE *diag)
{
	return scenario_expand_print_opts(path, NULL, out, diag);
}
