/*
 * test_scenario_expand.c - a section with an expander (scenario_expand.h):
 * what it adds is walked and checked as if written by hand, next to and
 * into the user's own items; errors in what it made point at the resource
 * it came from; its own errors stop the load before the low-level checks;
 * and `xcsim expand`'s printed form loads, runs and prints the same again.
 *
 * The test's section, `labs`, stands for a host behind a router joined by
 * hand to the user's core router: per lab a host node, a router node, a
 * link between them, an interface appended to the user's router `core`, a
 * link from it to the lab router, and routes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"
#include "scenario_expand.h"
#include "scenario_section.h"
#include "scenario_testutil.h"
#include "testutil.h"

struct lab {
	char *name;
	uint64_t k;
	struct sc_loc loc;
	struct sc_loc vloc[2];
	uint64_t keys[SC_KEYS_WORDS(2)];
};

static const struct sc_field lab_fields[] = {
	{ "name", SC_FT_NAME, SC_AT(struct lab, name), .required = true,
		.doc = "its name" },
	{ "k", SC_FT_UINT, SC_AT(struct lab, k), .min = 1, .max = 200,
		.required = true, .doc = "its subnet 10.k.0.0/16" },
};

static const struct sc_table lab_table = {
	"lab", "A host behind a router, joined to the node core.", lab_fields,
	SC_NFIELDS(lab_fields), sizeof(struct lab),
	offsetof(struct lab, loc), offsetof(struct lab, vloc),
	offsetof(struct lab, keys), -1
};

static int expanded;

static void
check_labs(struct sc_check *ck, struct sc_section_data *d)
{
	struct lab *l = d->items;
	size_t i;

	for (i = 0; i < d->n; i++) {
		sc_names_add(ck, "lab", l[i].name, i, l[i].vloc[0]);
		if (l[i].k == 13)
			sc_check_error(ck, l[i].vloc[1], "unlucky lab %s",
			    l[i].name);
	}
}

static void
add_iface(struct sc_expand *ex, int ifaces, struct sc_loc at,
    const char *name, const char *addr)
{
	int m = sc_ex_map(ex, at);

	sc_ex_set_str(ex, m, "name", name);
	sc_ex_set_str(ex, m, "address", addr);
	sc_ex_append(ex, ifaces, m);
}

static void
expand_labs(struct sc_expand *ex, const void *items, size_t n)
{
	const struct lab *l = items;
	int nodes = sc_ex_list(ex, "nodes"), links = sc_ex_list(ex, "links");
	int core = sc_ex_find(ex, "nodes", "name", "core");
	int core_ifs = sc_ex_get(ex, core, "interfaces");
	int core_rts = sc_ex_get(ex, core, "routes");
	size_t i;

	CU_ASSERT(nodes > 0 && links > 0 && core > 0 && core_ifs > 0);
	CU_ASSERT_EQUAL(sc_ex_find(ex, "nodes", "name", "nowhere"), 0);
	for (i = 0; i < n; i++) {
		struct sc_loc at = l[i].loc;
		unsigned k = (unsigned)l[i].k;
		int h, r, ifs, rts, lk, rt;
		char buf[80];

		h = sc_ex_map(ex, at);
		sc_ex_set_fmt(ex, h, "name", "%s-host", l[i].name);
		sc_ex_set_str(ex, h, "role", "host");
		ifs = sc_ex_set_seq(ex, h, "interfaces");
		snprintf(buf, sizeof(buf), "10.%u.1.10/24", k);
		add_iface(ex, ifs, at, "eth0", buf);
		rts = sc_ex_set_seq(ex, h, "routes");
		rt = sc_ex_map(ex, at);
		sc_ex_set_str(ex, rt, "prefix", "0.0.0.0/0");
		sc_ex_set_fmt(ex, rt, "via", "10.%u.1.1", k);
		sc_ex_append(ex, rts, rt);
		sc_ex_append(ex, nodes, h);

		r = sc_ex_map(ex, at);
		sc_ex_set_fmt(ex, r, "name", "%s-router", l[i].name);
		sc_ex_set_str(ex, r, "role", "router");
		ifs = sc_ex_set_seq(ex, r, "interfaces");
		snprintf(buf, sizeof(buf), "10.%u.1.1/24", k);
		add_iface(ex, ifs, at, "lan", buf);
		snprintf(buf, sizeof(buf), "192.168.%u.2/30", k);
		add_iface(ex, ifs, at, "up", buf);
		rts = sc_ex_set_seq(ex, r, "routes");
		rt = sc_ex_map(ex, at);
		sc_ex_set_str(ex, rt, "prefix", "0.0.0.0/0");
		sc_ex_set_fmt(ex, rt, "via", "192.168.%u.1", k);
		sc_ex_append(ex, rts, rt);
		sc_ex_append(ex, nodes, r);

		/* into the user's own node: an interface and a route */
		snprintf(buf, sizeof(buf), "192.168.%u.1/30", k);
		add_iface(ex, core_ifs, at, l[i].name, buf);
		rt = sc_ex_map(ex, at);
		sc_ex_set_fmt(ex, rt, "prefix", "10.%u.0.0/16", k);
		sc_ex_set_fmt(ex, rt, "via", "192.168.%u.2", k);
		sc_ex_append(ex, core_rts, rt);

		lk = sc_ex_map(ex, at);
		sc_ex_set_fmt(ex, lk, "name", "%s-lan", l[i].name);
		sc_ex_set_fmt(ex, lk, "a", "%s-host:eth0", l[i].name);
		sc_ex_set_fmt(ex, lk, "b", "%s-router:lan", l[i].name);
		sc_ex_set_str(ex, lk, "rate", "1Gbps");
		sc_ex_set_str(ex, lk, "delay", "10us");
		sc_ex_append(ex, links, lk);
		lk = sc_ex_map(ex, at);
		sc_ex_set_fmt(ex, lk, "name", "%s-up", l[i].name);
		sc_ex_set_fmt(ex, lk, "a", "core:%s", l[i].name);
		sc_ex_set_fmt(ex, lk, "b", "%s-router:up", l[i].name);
		sc_ex_set_str(ex, lk, "rate", "1Gbps");
		sc_ex_set_str(ex, lk, "delay", "100us");
		sc_ex_append(ex, links, lk);
	}
	expanded++;
}

static const struct sc_section labs_section = {
	.name = "labs", .doc = "labs behind the core router",
	.table = &lab_table, .list = true, .check = check_labs,
	.expand = expand_labs,
};

static void
reg(void)
{
	CU_ASSERT_EQUAL_FATAL(scenario_register_section(&labs_section), 0);
	expanded = 0;
}

static void
unreg(void)
{
	scenario_unregister_section(&labs_section);
}

/*
 * Two labs behind core: a ping from one lab host to the other crosses
 * four generated links and the user's router, and its RTT is theirs.
 */
static const char two_labs[] =
	"name: two-labs\n"
	"duration: 2s\n"
	"labs:\n"
	"  - { name: red, k: 1 }\n"
	"  - { name: blue, k: 2 }\n"
	"nodes:\n"
	"  - name: core\n"
	"    role: router\n"
	"    interfaces: []\n"
	"    routes: []\n"
	"apps:\n"
	"  - { name: p, type: ping, node: red-host, dst: blue-host, "
	"start: 100ms, count: 3, interval: 100ms }\n"
	"assertions:\n"
	"  - { kind: ping-succeeds, app: p, rtt_below: 447us }\n"
	"  - { kind: ping-succeeds, app: p, rtt_below: 446us }\n";

static void
test_expands_into_user_items(void)
{
	struct scenario *sc;
	char *diag = NULL, *out = NULL;
	unsigned nerr = 0, failed;

	reg();
	sc = load(two_labs, &diag, &nerr);
	if (sc == NULL) {
		fprintf(stderr, "%s", diag);
		unreg();
	}
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	CU_ASSERT_EQUAL(expanded, 1);
	CU_ASSERT_EQUAL(sc->n_nodes, 5);
	CU_ASSERT_EQUAL(sc->n_links, 4);
	CU_ASSERT_STRING_EQUAL(sc->nodes[0].name, "core");
	CU_ASSERT_EQUAL(sc->nodes[0].n_ifaces, 2);
	CU_ASSERT_STRING_EQUAL(sc->nodes[1].name, "red-host");
	/*
	 * 4 links each way, 10 + 100 + 100 + 10 us of propagation twice, plus
	 * serialisation and the first ping's ARP on the 10 us LANs: the
	 * largest RTT is 446.272 us.
	 */
	failed = sc_run_to_end(sc, 0, NULL, &out);
	if (failed != 1)
		fprintf(stderr, "%s", out);
	CU_ASSERT_EQUAL(failed, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS"));
	scenario_free(sc);
	free(out);
	free(diag);
	unreg();
}

/* What the expander made is checked: a clash points at the lab. */
static void
test_generated_error_points_at_resource(void)
{
	struct scenario *sc;
	char *diag = NULL;
	unsigned nerr = 0;

	reg();
	sc = load("labs:\n"
	    "  - { name: red, k: 1 }\n"
	    "nodes:\n"
	    "  - name: core\n"
	    "    role: router\n"
	    "    interfaces: []\n"
	    "    routes: []\n"
	    "  - { name: red-host, role: host }\n", &diag, &nerr);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT(has_error(diag, "2:5", "duplicate node 'red-host'"));
	free(diag);
	unreg();
}

/* An expander section's own error stops before the low-level checks. */
static void
test_own_error_stops_expansion(void)
{
	struct scenario *sc;
	char *diag = NULL;
	unsigned nerr = 0;

	reg();
	sc = load("labs:\n"
	    "  - { name: red, k: 13 }\n"
	    "nodes:\n"
	    "  - { name: core, role: router }\n"
	    "links:\n"
	    "  - { name: l, a: 'core:x', b: 'red-router:up', rate: 1Gbps, "
	    "delay: 1ms }\n", &diag, &nerr);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT_EQUAL(expanded, 0);
	CU_ASSERT_EQUAL(nerr, 1);
	CU_ASSERT(has_error(diag, "2:21", "unlucky lab red"));
	free(diag);
	unreg();
}

static char *
expand_text(const char *name, const char *text, int *rc)
{
	char *buf = NULL, *diag = NULL;
	size_t len = 0, dlen = 0;
	FILE *out = open_memstream(&buf, &len);
	FILE *d = open_memstream(&diag, &dlen);

	*rc = scenario_expand_print_buffer(name, text, strlen(text), out, d);
	fclose(out);
	fclose(d);
	if (*rc != 0)
		fprintf(stderr, "%s", diag);
	free(diag);
	return buf;
}

/*
 * The printed expansion has no labs key, loads without the labs section
 * registered, runs to the same verdicts, and prints itself unchanged.
 */
static void
test_print_runs_and_is_a_fixpoint(void)
{
	struct scenario *sc;
	char *first, *second, *diag = NULL, *out = NULL, *body;
	unsigned nerr = 0;
	int rc;

	reg();
	first = expand_text("t.yaml", two_labs, &rc);
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	unreg();
	CU_ASSERT_PTR_NULL(strstr(first, "labs:"));
	CU_ASSERT_PTR_NOT_NULL(strstr(first, "name: red-router"));
	CU_ASSERT_PTR_NOT_NULL(strstr(first, "# The low-level scenario"));
	sc = load(first, &diag, &nerr);
	if (sc == NULL)
		fprintf(stderr, "%s\n---\n%s", diag, first);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	CU_ASSERT_EQUAL(sc->n_nodes, 5);
	CU_ASSERT_EQUAL(sc_run_to_end(sc, 0, NULL, &out), 1);
	second = expand_text("t.yaml", first, &rc);
	CU_ASSERT_EQUAL(rc, 0);
	/* the same after the comment lines naming the source */
	body = strstr(first, "\nname:");
	CU_ASSERT_PTR_NOT_NULL_FATAL(body);
	CU_ASSERT_PTR_NOT_NULL(strstr(second, body));
	scenario_free(sc);
	free(first);
	free(second);
	free(diag);
	free(out);
}

/*
 * A registered expander section the file does not give changes nothing:
 * every low-level error is still reported.
 */
static void
test_absent_expander_keeps_errors(void)
{
	struct scenario *sc;
	char *diag = NULL;
	unsigned nerr = 0;

	reg();
	sc = load("nodes:\n"
	    "  - { name: a, role: router }\n"
	    "  - { name: a, role: router }\n"
	    "links:\n"
	    "  - { name: l, a: 'a:x', b: 'zz:y', rate: 1Gbps, delay: 1ms }\n",
	    &diag, &nerr);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT(has_error(diag, "3:13", "duplicate node 'a'"));
	CU_ASSERT(has_error(diag, "5:29", "unknown node 'zz'"));
	free(diag);
	unreg();
}

/* A value spelled like YAML's null stays text: "Null" is a node name. */
static void
test_null_spelled_text(void)
{
	struct scenario *sc;
	char *diag = NULL;
	unsigned nerr = 0;

	reg();
	sc = load("labs:\n"
	    "  - { name: \"Null\", k: 3 }\n"
	    "nodes:\n"
	    "  - name: core\n"
	    "    role: router\n"
	    "    interfaces: []\n"
	    "    routes: []\n", &diag, &nerr);
	if (sc == NULL) {
		fprintf(stderr, "%s", diag);
		unreg();
	}
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	CU_ASSERT_STRING_EQUAL(sc->nodes[0].ifaces[0].name, "Null");
	scenario_free(sc);
	free(diag);
	unreg();
}

/* A bad scenario prints nothing and says why, with status 2. */
static void
test_print_bad_scenario(void)
{
	char *text;
	int rc;

	reg();
	text = expand_text("t.yaml", "labs:\n  - { name: red, k: 13 }\n",
	    &rc);
	CU_ASSERT_EQUAL(rc, 2);
	CU_ASSERT(text == NULL || text[0] == '\0');
	free(text);
	unreg();
}

/*
 * An expander adds to one user item whose value an anchor shares with
 * another: only that item gets the addition.
 */
static void
test_aliases_unshared(void)
{
	struct scenario *sc;
	char *diag = NULL;
	unsigned nerr = 0;

	reg();
	sc = load("labs:\n"
	    "  - { name: red, k: 1 }\n"
	    "nodes:\n"
	    "  - name: core\n"
	    "    role: router\n"
	    "    interfaces: &none []\n"
	    "    routes: &common []\n"
	    "  - name: other\n"
	    "    role: router\n"
	    "    interfaces: *none\n"
	    "    routes: *common\n", &diag, &nerr);
	if (sc == NULL) {
		fprintf(stderr, "%s", diag);
		unreg();
	}
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	CU_ASSERT_STRING_EQUAL(sc->nodes[0].name, "core");
	CU_ASSERT_EQUAL(sc->nodes[0].n_ifaces, 1);
	CU_ASSERT_EQUAL(sc->nodes[0].n_routes, 1);
	CU_ASSERT_STRING_EQUAL(sc->nodes[1].name, "other");
	CU_ASSERT_EQUAL(sc->nodes[1].n_ifaces, 0);
	CU_ASSERT_EQUAL(sc->nodes[1].n_routes, 0);
	scenario_free(sc);
	free(diag);
	unreg();
}

static const struct test_case cases[] = {
	{ "expansion adds nodes, links, and to the user's node",
	    test_expands_into_user_items },
	{ "an error in generated items points at the resource",
	    test_generated_error_points_at_resource },
	{ "an expander section's error stops before expanding",
	    test_own_error_stops_expansion },
	{ "the printed expansion runs and prints itself",
	    test_print_runs_and_is_a_fixpoint },
	{ "a bad scenario prints nothing", test_print_bad_scenario },
	{ "text spelled like null stays text", test_null_spelled_text },
	{ "an expander section not given keeps the other errors",
	    test_absent_expander_keeps_errors },
	{ "an anchor's value is not added to through an alias",
	    test_aliases_unshared },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "scenario_expand", cases);
}
