/*
 * test_scenario_sections.c - the scenario registry used the way the BGP,
 * cloud and provisioning models will use it: a section and a timeline
 * action declared and registered here, outside the loader, with their own
 * fields, checks, build, schedule and free; loaded with good and bad values,
 * built, run, and found in the generated schema and reference. Also tables
 * wider than 32 fields with more than 4 kinds, and a 40,000-node scenario.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "apps.h"
#include "net.h"
#include "scenario.h"
#include "scenario_run.h"
#include "scenario_section.h"
#include "sim.h"
#include "scenario_testutil.h"
#include "testutil.h"

/* --- a section: probes {name, from, to, every, count} ----------------- */

enum { PR_NAME, PR_FROM, PR_TO, PR_EVERY, PR_COUNT, PR_F_MAX };

struct probe_cfg {
	char *name, *from, *to;
	sim_time every;
	uint32_t count;
	size_t from_idx;	/* resolved by the check */
	uint32_t dst;
	char *label;		/* made by the check: not the table's */
	struct sc_loc loc;
	struct sc_loc vloc[PR_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(PR_F_MAX)];
};

static const struct sc_field probe_fields[] = {
	[PR_NAME] = { "name", SC_FT_NAME, SC_AT(struct probe_cfg, name),
		.required = true, .doc = "probe name" },
	[PR_FROM] = { "from", SC_FT_NAME, SC_AT(struct probe_cfg, from),
		.required = true, .doc = "node that sends" },
	[PR_TO] = { "to", SC_FT_NAME, SC_AT(struct probe_cfg, to),
		.required = true, .doc = "node probed (its first address)" },
	[PR_EVERY] = { "every", SC_FT_TIME, SC_AT(struct probe_cfg, every),
		.min = 1, .def = "100ms", .doc = "interval" },
	[PR_COUNT] = { "count", SC_FT_UINT, SC_AT(struct probe_cfg, count),
		.min = 1, .max = 1000, .def = "10", .doc = "probes to send" },
};

static const struct sc_table probe_table = {
	"probe", "A test probe between two nodes.",
	probe_fields, SC_NFIELDS(probe_fields), sizeof(struct probe_cfg),
	offsetof(struct probe_cfg, loc), offsetof(struct probe_cfg, vloc),
	offsetof(struct probe_cfg, keys), -1
};

static unsigned probes_freed;

static void
check_probes(struct sc_check *ck, struct sc_section_data *d)
{
	struct probe_cfg *p = d->items;
	const struct scenario *sc = sc_check_scenario(ck);
	size_t i, to;

	for (i = 0; i < d->n; i++) {
		sc_names_add(ck, "probe", p[i].name, i, p[i].vloc[PR_NAME]);
		sc_names_lookup(ck, "node", p[i].from, p[i].vloc[PR_FROM],
		    &p[i].from_idx);
		if (sc_names_lookup(ck, "node", p[i].to, p[i].vloc[PR_TO],
		    &to)) {
			if (sc->nodes[to].n_ifaces == 0 ||
			    sc->nodes[to].ifaces[0].plen == 0)
				sc_check_error(ck, p[i].vloc[PR_TO], "probe "
				    "target '%s' has no address",
				    sc_check_quote(ck, p[i].to));
			else
				p[i].dst = sc->nodes[to].ifaces[0].addr;
		}
		if (p[i].name != NULL) {
			p[i].label = malloc(strlen(p[i].name) + 8);
			sprintf(p[i].label, "probe-%s", p[i].name);
		}
	}
}

static int
build_probes(struct sc_build *b, const void *items, size_t n)
{
	const struct probe_cfg *p = items;
	size_t i;

	for (i = 0; i < n; i++) {
		struct ping_cfg c = { .dst = p[i].dst, .interval = p[i].every,
		    .timeout = SIM_S(1), .count = p[i].count, .size = 56,
		    .ttl = 64, .ident = (uint16_t)(100 + i) };

		sc_build_add_app(b, ping_new(sc_build_node(b, p[i].from_idx),
		    p[i].label, &c));
	}
	return 0;
}

static void
free_probes(void *items, size_t n)
{
	struct probe_cfg *p = items;
	size_t i;

	for (i = 0; i < n; i++)
		free(p[i].label);
	probes_freed++;
}

static const struct sc_section probes_section = {
	.name = "probes", .doc = "test probes", .table = &probe_table,
	.list = true, .check = check_probes, .phase = SC_PHASE_APPS,
	.build = build_probes, .free = free_probes,
};

/* --- an action: link-flap {link, for} --------------------------------- */

struct flap_args {
	char *link;
	sim_time dur;
	size_t link_idx;
	struct sc_loc loc;
	struct sc_loc vloc[2];
	uint64_t keys[SC_KEYS_WORDS(2)];
};

static const struct sc_field flap_fields[] = {
	{ "link", SC_FT_NAME, SC_AT(struct flap_args, link),
		.required = true, .doc = "the link that flaps" },
	{ "for", SC_FT_TIME, SC_AT(struct flap_args, dur), .min = 1,
		.required = true, .doc = "how long it stays down" },
};

static const struct sc_table flap_table = {
	"link-flap", "The arguments of link-flap.",
	flap_fields, SC_NFIELDS(flap_fields), sizeof(struct flap_args),
	offsetof(struct flap_args, loc), offsetof(struct flap_args, vloc),
	offsetof(struct flap_args, keys), -1
};

static void
check_flap(struct sc_check *ck, struct sc_event *ev, void *args)
{
	struct flap_args *a = args;
	const struct scenario *sc = sc_check_scenario(ck);

	sc_names_lookup(ck, "link", a->link, a->vloc[0], &a->link_idx);
	if (sc_key_ok(a->keys, 1) && sc->duration != 0 &&
	    ev->at + a->dur > sc->duration)
		sc_check_error(ck, a->vloc[1], "the link comes back up after "
		    "the end of the run");
}

static int
schedule_flap(struct sc_build *b, const struct sc_event *ev, const void *args)
{
	const struct flap_args *a = args;
	struct link *l = sc_build_link(b, a->link_idx);

	link_schedule_state(l, ev->at, false);
	link_schedule_state(l, ev->at + a->dur, true);
	return 0;
}

static const struct sc_action flap_action = {
	.name = "link-flap", .doc = "take a link down for a while",
	.table = &flap_table, .check = check_flap, .schedule = schedule_flap,
};

/* --- helpers ---------------------------------------------------------- */

static bool
has_line(const char *diag, const char *line)
{
	const char *p = strstr(diag, line);

	return p != NULL && (p == diag || p[-1] == '\n');
}

#define TWO_HOSTS                                                          \
	"duration: 1s\n"                                                   \
	"nodes:\n"                                                         \
	"  - { name: a, role: host, interfaces: [{ name: e, address: "     \
	"10.0.0.1/24 }] }\n"                                               \
	"  - { name: b, role: host, interfaces: [{ name: e, address: "     \
	"10.0.0.2/24 }] }\n"                                               \
	"links:\n"                                                         \
	"  - { name: l, a: \"a:e\", b: \"b:e\", delay: 1ms }\n"
/* lines 1-6; what follows starts on line 7 */

static void
test_registered_section_and_action(void)
{
	char *diag = NULL;
	unsigned n_err = 99;
	struct scenario *sc;
	struct run_opts o = { 0 };
	struct run *r;
	const struct app *a;
	const struct probe_cfg *p;
	char err[256];
	size_t i, n;

	CU_ASSERT_EQUAL(scenario_register_section(&probes_section), 0);
	CU_ASSERT_EQUAL(scenario_register_action(&flap_action), 0);
	/* Names are unique across built-ins, root keys and extensions. */
	CU_ASSERT_EQUAL(scenario_register_section(&probes_section), -1);
	CU_ASSERT_EQUAL(scenario_register_action(&flap_action), -1);
	probes_freed = 0;
	sc = load(TWO_HOSTS
	    "probes:\n"
	    "  - { name: p, from: a, to: b, every: 100ms, count: 10 }\n"
	    "events:\n"
	    "  - { at: 250ms, action: link-flap, link: l, for: 200ms }\n",
	    &diag, &n_err);
	CU_ASSERT_EQUAL(n_err, 0);
	CU_ASSERT_STRING_EQUAL(diag, "");
	free(diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	p = scenario_section(sc, "probes", &n);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_EQUAL(p[0].every, SIM_MS(100));
	CU_ASSERT_EQUAL(p[0].dst, 0x0a000002u);
	CU_ASSERT_EQUAL_FATAL(sc->n_events, 1);
	CU_ASSERT_PTR_EQUAL(sc->events[0].action, &flap_action);
	CU_ASSERT_EQUAL(((const struct flap_args *)sc->events[0].args)->dur,
	    SIM_MS(200));

	r = run_new(sc, &o, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	run_advance(r, SIM_TIME_MAX);
	a = run_app(r, "probe-p");
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_EQUAL_FATAL(ping_n_probes(a), 10);
	/* Down from 250ms to 450ms: the probes of 300ms and 400ms are lost. */
	for (i = 0; i < 10; i++) {
		const struct probe *pr = ping_probe(a, i);
		bool lost = i == 3 || i == 4;

		CU_ASSERT_EQUAL(pr->sent, SIM_MS(100) * (sim_time)i);
		CU_ASSERT_EQUAL(pr->result == PROBE_REPLY, !lost);
		if (!lost)
			CU_ASSERT_EQUAL(pr->rtt, ping_probe(a, 0)->rtt);
	}
	CU_ASSERT_TRUE(ping_probe(a, 0)->rtt > SIM_MS(2));
	CU_ASSERT_TRUE(ping_probe(a, 0)->rtt < SIM_MS(3));
	run_free(r);
	scenario_free(sc);
	CU_ASSERT_EQUAL(probes_freed, 1);

	/* Bad values: each where it was written, all at once. */
	sc = load(TWO_HOSTS
	    "probes:\n"
	    "  - { name: p, from: c, to: b, every: 0s, count: 5000 }\n"
	    "  - { name: p, from: a, to: b, evry: 1s }\n"
	    "events:\n"
	    "  - { at: 900ms, action: link-flap, link: m, for: 200ms }\n"
	    "  - { at: 1ms, action: link-down, link: l, for: 1s }\n"
	    "  - { at: 1ms, action: link-flop, link: l }\n",
	    &diag, &n_err);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT_EQUAL(n_err, 9);
	CU_ASSERT_TRUE(has_line(diag, "t.yaml:8:22: error: unknown node 'c'\n"));
	CU_ASSERT_TRUE(has_line(diag, "t.yaml:8:39: error: 'every' must be "
	    "greater than 0\n"));
	CU_ASSERT_TRUE(has_line(diag, "t.yaml:8:50: error: 'count' 5000 is out "
	    "of range (1..1000)\n"));
	CU_ASSERT_TRUE(has_line(diag, "t.yaml:9:13: error: duplicate probe 'p' "
	    "(first defined at 8:13)\n"));
	CU_ASSERT_TRUE(has_line(diag, "t.yaml:9:32: error: unknown key 'evry' "
	    "in probe (did you mean 'every'?)\n"));
	CU_ASSERT_TRUE(has_line(diag, "t.yaml:11:43: error: unknown link 'm'\n"));
	CU_ASSERT_TRUE(has_line(diag, "t.yaml:11:51: error: the link comes "
	    "back up after the end of the run\n"));
	CU_ASSERT_TRUE(has_line(diag, "t.yaml:12:44: error: unknown key 'for' "
	    "in event (valid keys: at, action, link)\n"));
	CU_ASSERT_TRUE(has_line(diag, "t.yaml:13:24: error: unknown action "
	    "'link-flop' (did you mean 'link-flap'?) (one of: link-down, "
	    "link-up, qdisc-set, node-down, node-up, link-flap)\n"));
	if (n_err != 9 || getenv("SHOW"))
		fprintf(stderr, "\n%s", diag);
	free(diag);

	/* Both appear in the generated schema and reference. */
	{
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);

		scenario_write_schema(f);
		fclose(f);
		CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"probes\": {\n          "
		    "\"description\": \"test probes\",\n          \"type\": "
		    "\"array\",\n          \"items\": { \"$ref\": "
		    "\"#/$defs/probe\" }"));
		CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"probe\": {"));
		CU_ASSERT_PTR_NOT_NULL(strstr(buf, "{ \"const\": \"link-flap\", "
		    "\"description\": \"take a link down for a while\" }"));
		CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"link-flap\": {"));
		free(buf);
		buf = NULL;
		f = open_memstream(&buf, &len);
		scenario_write_reference(f);
		fclose(f);
		CU_ASSERT_PTR_NOT_NULL(strstr(buf, "| `probes` | list of "
		    "[probe](#probe) | none | test probes |"));
		CU_ASSERT_PTR_NOT_NULL(strstr(buf, "## probe\n"));
		CU_ASSERT_PTR_NOT_NULL(strstr(buf, "| `every` | time > 0 | "
		    "`100ms` | interval |"));
		CU_ASSERT_PTR_NOT_NULL(strstr(buf, "| `link-flap` | take a link "
		    "down for a while | [link-flap](#link-flap) |"));
		free(buf);
	}

	/* Unregistered, they are unknown keys again. */
	scenario_unregister_section(&probes_section);
	scenario_unregister_action(&flap_action);
	sc = load(TWO_HOSTS "probes: []\n", &diag, &n_err);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT_TRUE(has_line(diag, "t.yaml:7:1: error: unknown key 'probes' "
	    "in scenario"));
	free(diag);
}

/* --- a table of 41 fields and 6 kinds --------------------------------- */

#define WIDE 40

struct wide {
	int kind;
	uint32_t v[WIDE];
	struct sc_loc loc;
	struct sc_loc vloc[WIDE + 1];
	uint64_t keys[SC_KEYS_WORDS(WIDE + 1)];
};

static const char *const wide_kinds[] = { "k1", "k2", "k3", "k4", "k5",
	"k6", NULL };
static char wide_names[WIDE][8];
static struct sc_field wide_fields[WIDE + 1];
static const struct sc_table wide_table = {
	"wide", "A table wider than 32 fields.", wide_fields, WIDE + 1,
	sizeof(struct wide), offsetof(struct wide, loc),
	offsetof(struct wide, vloc), offsetof(struct wide, keys), 0
};
static const struct sc_section wide_section = {
	.name = "wides", .doc = "wide things", .table = &wide_table,
	.list = true,
};

static void
test_wide_table_many_kinds(void)
{
	char *diag = NULL;
	unsigned n_err = 99;
	struct scenario *sc;
	const struct wide *w;
	size_t i, n;

	wide_fields[0] = (struct sc_field){ "kind", SC_FT_ENUM,
	    SC_AT(struct wide, kind), .names = wide_kinds, .required = true,
	    .doc = "kind" };
	for (i = 0; i < WIDE; i++) {
		snprintf(wide_names[i], sizeof(wide_names[i]), "f%zu", i);
		wide_fields[i + 1] = (struct sc_field){ wide_names[i],
		    SC_FT_UINT, SC_AT(struct wide, v[i]), .max = 1000,
		    .def = "7", .doc = "a value" };
	}
	wide_fields[WIDE].kinds = SC_LIST("k5", "k6");
	wide_fields[WIDE].kdefs = SC_LIST("k6", "66");
	wide_fields[WIDE - 1].required = true;
	wide_fields[WIDE - 1].kinds = SC_LIST("k6");
	CU_ASSERT_EQUAL_FATAL(scenario_register_section(&wide_section), 0);
	sc = load("nodes: [{ name: a, role: host }]\n"
	    "wides:\n"
	    "  - { kind: k6, f38: 1, f0: 0x10 }\n"
	    "  - { kind: k5, f33: 3 }\n"
	    "  - { kind: k2 }\n", &diag, &n_err);
	CU_ASSERT_EQUAL(n_err, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	w = scenario_section(sc, "wides", &n);
	CU_ASSERT_EQUAL_FATAL(n, 3);
	CU_ASSERT_EQUAL(w[0].v[0], 16);
	CU_ASSERT_EQUAL(w[0].v[38], 1);
	CU_ASSERT_EQUAL(w[0].v[39], 66);	/* k6's own default */
	CU_ASSERT_EQUAL(w[1].v[39], 7);		/* the common one */
	CU_ASSERT_EQUAL(w[1].v[33], 3);
	CU_ASSERT_EQUAL(w[1].v[32], 7);
	CU_ASSERT_EQUAL(w[2].v[39], 0);		/* not for k2 */
	CU_ASSERT_TRUE(sc_key_given(w[1].keys, 34));
	CU_ASSERT_FALSE(sc_key_given(w[1].keys, 33));
	scenario_free(sc);
	free(diag);

	sc = load("nodes: [{ name: a, role: host }]\n"
	    "wides:\n"
	    "  - { kind: k5, f38: 1, f35: 2, f35: 3, f39: 4 }\n"
	    "  - { kind: k6 }\n", &diag, &n_err);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT_EQUAL(n_err, 3);
	CU_ASSERT_TRUE(has_line(diag, "t.yaml:3:17: error: key 'f38' does not "
	    "apply when kind is k5 (only for k6)\n"));
	CU_ASSERT_TRUE(has_line(diag, "t.yaml:3:33: error: duplicate key 'f35' "
	    "(first at 3:25)\n"));
	CU_ASSERT_TRUE(has_line(diag, "t.yaml:4:5: error: wide is missing "
	    "required key 'f38' (a value)\n"));
	if (n_err != 3)
		fprintf(stderr, "\n%s", diag);
	free(diag);
	scenario_unregister_section(&wide_section);
}

/* --- a single-mapping section, required -------------------------------- */

struct settings {
	uint32_t speed;
	bool fast;
	struct sc_loc loc;
	struct sc_loc vloc[2];
	uint64_t keys[SC_KEYS_WORDS(2)];
};

static const struct sc_field settings_fields[] = {
	{ "speed", SC_FT_UINT, SC_AT(struct settings, speed), .min = 1,
		.max = 9, .def = "5", .doc = "how fast" },
	{ "fast", SC_FT_BOOL, SC_AT(struct settings, fast), .def = "true",
		.doc = "whether fast" },
};

static const struct sc_table settings_table = {
	"settings", "Settings of a model.", settings_fields,
	SC_NFIELDS(settings_fields), sizeof(struct settings),
	offsetof(struct settings, loc), offsetof(struct settings, vloc),
	offsetof(struct settings, keys), -1
};

static const struct sc_section settings_section = {
	.name = "settings", .doc = "model settings", .table = &settings_table,
	.required = true,
};

static void
test_single_mapping_section(void)
{
	char *diag = NULL;
	unsigned n_err = 99;
	struct scenario *sc;
	const struct settings *st;
	size_t n;

	CU_ASSERT_EQUAL_FATAL(scenario_register_section(&settings_section), 0);
	/* A root key cannot be taken. */
	{
		struct sc_section dup = settings_section;

		dup.name = "seed";
		CU_ASSERT_EQUAL(scenario_register_section(&dup), -1);
	}
	sc = load("nodes: [{ name: a, role: host }]\nsettings: { speed: 7 }\n",
	    &diag, &n_err);
	CU_ASSERT_EQUAL(n_err, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	st = scenario_section(sc, "settings", &n);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_EQUAL(st->speed, 7);
	CU_ASSERT_TRUE(st->fast);
	CU_ASSERT_EQUAL(st->vloc[0].line, 2);
	CU_ASSERT_EQUAL(st->vloc[0].col, 20);
	scenario_free(sc);
	free(diag);
	sc = load("nodes: [{ name: a, role: host }]\n", &diag, &n_err);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT_STRING_EQUAL(diag, "t.yaml:1:1: error: scenario is missing "
	    "required key 'settings' (model settings)\n");
	free(diag);
	sc = load("nodes: [{ name: a, role: host }]\nsettings: [1]\n"
	    "settings: { speed: 10 }\n", &diag, &n_err);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT_EQUAL(n_err, 2);
	CU_ASSERT_TRUE(has_line(diag, "t.yaml:2:11: error: 'settings': expected "
	    "a mapping, got a list\n"));
	CU_ASSERT_TRUE(has_line(diag, "t.yaml:3:1: error: duplicate key "
	    "'settings' (first at 2:1)\n"));
	free(diag);
	scenario_unregister_section(&settings_section);
}

/* --- many nodes ------------------------------------------------------- */

/*
 * A chain of 40,000 routers: names are looked up in hash tables, so loading
 * and checking stay linear. The time is printed, not asserted.
 */
static void
test_forty_thousand_nodes(void)
{
	size_t n = 40000, i;
	char *text = NULL, *diag = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	struct scenario *sc;
	struct run_opts o = { 0 };

	struct run *r;
	unsigned n_err = 99;
	char err[256];
	struct timespec t0, t1, t2;

	fputs("duration: 1s\nnodes:\n", f);
	for (i = 0; i < n; i++)
		fprintf(f, "  - { name: r%zu, role: router, interfaces: "
		    "[{ name: w, address: %zu.%zu.%zu.2/30 }, { name: e, "
		    "address: %zu.%zu.%zu.1/30 }] }\n", i,
		    10 + (i >> 14), i >> 6 & 0xff, (i & 63) << 2,
		    10 + ((i + 1) >> 14), (i + 1) >> 6 & 0xff,
		    ((i + 1) & 63) << 2);
	fputs("links:\n", f);
	for (i = 0; i + 1 < n; i++)
		fprintf(f, "  - { name: l%zu, a: \"r%zu:e\", b: \"r%zu:w\" }\n",
		    i, i, i + 1);
	fclose(f);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	sc = load(text, &diag, &n_err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	CU_ASSERT_EQUAL(n_err, 0);
	if (n_err != 0)
		fprintf(stderr, "\n%.2000s", diag);
	free(diag);
	free(text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	CU_ASSERT_EQUAL(sc->n_nodes, n);
	CU_ASSERT_PTR_EQUAL(scenario_node(sc, "r39999"), &sc->nodes[39999]);
	CU_ASSERT_PTR_NULL(scenario_node(sc, "R39999"));
	r = run_new(sc, &o, err, sizeof(err));
	clock_gettime(CLOCK_MONOTONIC, &t2);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_EQUAL(net_n_nodes(run_net(r)), n);
	CU_ASSERT_EQUAL(net_n_links(run_net(r)), n - 1);
	fprintf(stderr, "\n  40,000 nodes: loaded and checked in %.2f s, "
	    "built in %.2f s\n", (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9,
	    (double)(t2.tv_sec - t1.tv_sec) +
	    (double)(t2.tv_nsec - t1.tv_nsec) * 1e-9);
	run_free(r);
	scenario_free(sc);
}

static const struct test_case cases[] = {
	{ "a section and an action registered outside the loader",
	    test_registered_section_and_action },
	{ "tables of more than 32 fields and 4 kinds", test_wide_table_many_kinds },
	{ "a required single-mapping section", test_single_mapping_section },
	{ "40,000 nodes load, check and build", test_forty_thousand_nodes },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "scenario_sections", cases);
}
