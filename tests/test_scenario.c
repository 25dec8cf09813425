/*
 * test_scenario.c - the scenario loader: the default scenario, one row per
 * kind of error (with its exact line:column), defaults, per-direction link
 * overrides, aliases, hostile input, and the generated schema and reference
 * staying in step with the field tables.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"
#include "scenario_models.h"
#include "scenario_section.h"
#include "scenario_testutil.h"
#include "testutil.h"

#define SRC XCSIM_SOURCE_DIR

static unsigned
count_lines(const char *s)
{
	unsigned n = 0;

	for (; *s != '\0'; s++)
		n += *s == '\n';
	return n;
}

static const struct sc_link *
find_link(const struct scenario *sc, const char *name)
{
	size_t i;

	for (i = 0; i < sc->n_links; i++)
		if (strcmp(sc->links[i].name, name) == 0)
			return &sc->links[i];
	return NULL;
}

static const struct sc_app *
find_app(const struct scenario *sc, const char *name)
{
	size_t i;

	for (i = 0; i < sc->n_apps; i++)
		if (strcmp(sc->apps[i].name, name) == 0)
			return &sc->apps[i];
	return NULL;
}

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (b) << 16 | (c) << 8 | (d))

static void
test_default_scenario(void)
{
	unsigned n_err = 99;
	char *diag = NULL;
	size_t dlen = 0;
	FILE *d = open_memstream(&diag, &dlen);
	struct scenario *sc = scenario_load_file(SRC "/scenarios/examples/six-routers.yaml",
	    d, &n_err);
	const struct sc_node *n;
	const struct sc_link *l;
	const struct sc_app *a;

	fclose(d);
	CU_ASSERT_EQUAL(n_err, 0);
	CU_ASSERT_STRING_EQUAL(diag, "");
	free(diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	CU_ASSERT_STRING_EQUAL(sc->name, "cross-cloud-ping");
	CU_ASSERT_EQUAL(sc->seed, 1);
	CU_ASSERT_EQUAL(sc->duration, SIM_S(8));
	CU_ASSERT_EQUAL(sc->n_nodes, 6);
	CU_ASSERT_EQUAL(sc->n_links, 5);
	CU_ASSERT_EQUAL(sc->n_apps, 3);
	CU_ASSERT_EQUAL(sc->n_events, 2);
	CU_ASSERT_EQUAL(sc->n_asserts, 5);

	n = scenario_node(sc, "msee-primary");
	CU_ASSERT_PTR_NOT_NULL_FATAL(n);
	CU_ASSERT_STRING_EQUAL(n->role, "msee");
	CU_ASSERT_STRING_EQUAL(n->region, "ashburn");
	CU_ASSERT_EQUAL_FATAL(n->n_ifaces, 2);
	CU_ASSERT_STRING_EQUAL(n->ifaces[1].name, "fastconnect");
	CU_ASSERT_EQUAL(n->ifaces[1].addr, IP(192, 168, 100, 130));
	CU_ASSERT_EQUAL(n->ifaces[1].plen, 30);
	CU_ASSERT_EQUAL(n->ifaces[1].vlan, 200);
	CU_ASSERT_EQUAL(n->ifaces[1].svlan, 100);
	CU_ASSERT_EQUAL(n->ifaces[0].vlan, 0);
	CU_ASSERT_FALSE(n->ifaces[0].has_mac);
	CU_ASSERT_PTR_NULL(n->ifaces[0].vrf);
	CU_ASSERT_EQUAL_FATAL(n->n_routes, 2);
	CU_ASSERT_EQUAL(n->routes[1].prefix, IP(10, 2, 0, 0));
	CU_ASSERT_EQUAL(n->routes[1].plen, 16);
	CU_ASSERT_EQUAL(n->routes[1].via, IP(192, 168, 100, 129));
	CU_ASSERT_PTR_NULL(n->routes[1].iface);
	CU_ASSERT_EQUAL(n->loc.line, 38);
	CU_ASSERT_EQUAL(n->loc.col, 5);
	n = scenario_node(sc, "azure-vm");
	CU_ASSERT_PTR_NOT_NULL_FATAL(n);
	CU_ASSERT_EQUAL(n->routes[0].prefix, 0);
	CU_ASSERT_EQUAL(n->routes[0].plen, 0);
	CU_ASSERT_EQUAL(n->routes[0].via, IP(10, 1, 1, 1));
	CU_ASSERT_PTR_NULL(scenario_node(sc, "nope"));

	l = find_link(sc, "cross-connect");
	CU_ASSERT_PTR_NOT_NULL_FATAL(l);
	CU_ASSERT_STRING_EQUAL(l->node[0], "msee-primary");
	CU_ASSERT_STRING_EQUAL(l->iface[0], "fastconnect");
	CU_ASSERT_STRING_EQUAL(l->node[1], "oracle-edge");
	CU_ASSERT_STRING_EQUAL(l->iface[1], "expressroute");
	CU_ASSERT_EQUAL(l->dir[0].rate_bps, 1000000000ULL);
	CU_ASSERT_EQUAL(l->dir[1].rate_bps, 1000000000ULL);
	CU_ASSERT_EQUAL(l->dir[0].delay, SIM_US(5));
	CU_ASSERT_EQUAL(l->dir[1].delay, SIM_US(5));
	CU_ASSERT_EQUAL(l->dir[0].loss.kind, SC_LOSS_NONE);
	CU_ASSERT_EQUAL(l->mtu, 1500);
	CU_ASSERT_EQUAL(l->qlimit_pkts, 1000);
	CU_ASSERT_EQUAL(l->qlimit_bytes, 0);
	l = find_link(sc, "edge-drg");
	CU_ASSERT_PTR_NOT_NULL_FATAL(l);
	CU_ASSERT_EQUAL(l->dir[1].delay, SIM_US(400));
	CU_ASSERT_EQUAL(l->dir[1].rate_bps, 10000000000ULL);

	a = find_app(sc, "ping");
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_EQUAL(a->kind, SC_APP_PING);
	CU_ASSERT_STRING_EQUAL(a->node, "azure-vm");
	CU_ASSERT_STRING_EQUAL(a->dst_text, "oci-db");
	CU_ASSERT_EQUAL(a->dst, IP(10, 2, 1, 10));
	CU_ASSERT_EQUAL(a->start, SIM_S(1));
	CU_ASSERT_EQUAL(a->interval, SIM_MS(250));
	CU_ASSERT_EQUAL(a->count, 24);
	CU_ASSERT_EQUAL(a->size, 56);
	CU_ASSERT_EQUAL(a->ttl, 64);
	CU_ASSERT_EQUAL(a->timeout, SIM_S(1));
	CU_ASSERT_FALSE(a->df);
	a = find_app(sc, "trace");
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_EQUAL(a->kind, SC_APP_TRACEROUTE);
	CU_ASSERT_EQUAL(a->dst, IP(10, 2, 1, 10));
	CU_ASSERT_EQUAL(a->ttl, 30);
	CU_ASSERT_EQUAL(a->start, SIM_MS(500));

	CU_ASSERT_EQUAL(sc->events[0].at, SIM_S(3));
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc->events[0].action);
	CU_ASSERT_STRING_EQUAL(sc->events[0].action->name, "link-down");
	CU_ASSERT_STRING_EQUAL(((const struct sc_link_state *)
	    sc->events[0].args)->link, "cross-connect");
	CU_ASSERT_EQUAL(((const struct sc_link_state *)
	    sc->events[0].args)->link_idx, 2);
	CU_ASSERT_STRING_EQUAL(sc->links[2].name, "cross-connect");
	CU_ASSERT_STRING_EQUAL(sc->events[1].action->name, "link-up");

	CU_ASSERT_EQUAL(sc->asserts[0].kind, SC_ASSERT_PING);
	CU_ASSERT_STRING_EQUAL(sc->asserts[0].app, "ping");
	CU_ASSERT_EQUAL(sc->asserts[0].after, 0);
	CU_ASSERT_EQUAL(sc->asserts[0].before, SIM_S(3));
	CU_ASSERT_EQUAL(sc->asserts[0].rtt_max, SIM_MS(3));
	CU_ASSERT_EQUAL(sc->asserts[0].min_replies, 1);
	CU_ASSERT_EQUAL(sc->asserts[1].kind, SC_ASSERT_PING_FAILS);
	CU_ASSERT_EQUAL(sc->asserts[1].after, SIM_S(3));
	CU_ASSERT_EQUAL(sc->asserts[1].before, SIM_S(5));
	CU_ASSERT_EQUAL(sc->asserts[2].before, SIM_TIME_MAX);
	CU_ASSERT_EQUAL(sc->asserts[3].kind, SC_ASSERT_TRACEROUTE);
	CU_ASSERT_EQUAL_FATAL(sc->asserts[3].n_path, 5);
	CU_ASSERT_STRING_EQUAL(sc->asserts[3].path[0], "er-gateway");
	CU_ASSERT_STRING_EQUAL(sc->asserts[3].path[4], "oci-db");

	CU_ASSERT_TRUE(sc->record_trace);
	CU_ASSERT_TRUE(sc->record_metrics);
	CU_ASSERT_EQUAL_FATAL(sc->n_captures, 1);
	CU_ASSERT_PTR_NULL(sc->captures[0].node);
	CU_ASSERT_PTR_NULL(sc->captures[0].iface);
	scenario_free(sc);
}

/* Two hosts on 10.0.0.0/24: lines 1-3. */
#define N2                                                                  \
	"nodes:\n"                                                          \
	"  - { name: a, role: host, interfaces: [{ name: eth0, address: "   \
	"10.0.0.1/24 }] }\n"                                                \
	"  - { name: b, role: host, interfaces: [{ name: eth0, address: "   \
	"10.0.0.2/24 }] }\n"
/* ... and a link between them: lines 4-5; a duration: line 6. */
#define L1 "links:\n  - { name: l1, a: \"a:eth0\", b: \"b:eth0\" }\n"
#define D "duration: 10s\n"
#define BASE N2 L1 D

static void
test_minimal_and_defaults(void)
{
	char *diag = NULL;
	unsigned n_err = 99;
	struct scenario *sc = load(BASE
	    "apps:\n"
	    "  - { type: ping, node: a, dst: b }\n"
	    "  - { type: udp_cbr, node: b, dst: \"a:eth0\", rate: 8Mbps }\n"
	    "  - { type: traceroute, node: a, dst: 10.0.0.2 }\n",
	    &diag, &n_err);
	const struct sc_app *a;
	const struct sc_link *l;

	CU_ASSERT_EQUAL(n_err, 0);
	CU_ASSERT_STRING_EQUAL(diag, "");
	free(diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	CU_ASSERT_STRING_EQUAL(sc->name, "t");	/* from "t.yaml" */
	CU_ASSERT_STRING_EQUAL(sc->file, "t.yaml");
	CU_ASSERT_PTR_NULL(sc->description);
	CU_ASSERT_EQUAL(sc->seed, 1);
	CU_ASSERT_TRUE(sc->record_trace);
	CU_ASSERT_TRUE(sc->record_metrics);
	CU_ASSERT_EQUAL(sc->n_captures, 0);
	CU_ASSERT_EQUAL(sc->keyframe_every, 0);
	CU_ASSERT_PTR_NULL(sc->nodes[0].region);
	CU_ASSERT_FALSE(sc->nodes[0].has_pos);
	CU_ASSERT_EQUAL(sc->nodes[0].n_routes, 0);

	l = &sc->links[0];
	CU_ASSERT_EQUAL(l->dir[0].rate_bps, 10000000000ULL);
	CU_ASSERT_EQUAL(l->dir[1].rate_bps, 10000000000ULL);
	CU_ASSERT_EQUAL(l->dir[0].delay, 0);
	CU_ASSERT_EQUAL(l->mtu, 1500);
	CU_ASSERT_EQUAL(l->qlimit_pkts, 1000);
	CU_ASSERT_EQUAL(l->qlimit_bytes, 0);
	CU_ASSERT_EQUAL(l->dir[0].loss.kind, SC_LOSS_NONE);

	a = find_app(sc, "ping-a-0");
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_EQUAL(a->dst, IP(10, 0, 0, 2));
	CU_ASSERT_EQUAL(a->start, 0);
	CU_ASSERT_EQUAL(a->interval, SIM_S(1));
	CU_ASSERT_EQUAL(a->count, 0);
	CU_ASSERT_EQUAL(a->size, 56);
	CU_ASSERT_EQUAL(a->ttl, 64);
	CU_ASSERT_EQUAL(a->timeout, SIM_S(1));
	CU_ASSERT_FALSE(a->df);
	a = find_app(sc, "udp_cbr-b-1");
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_EQUAL(a->dst, IP(10, 0, 0, 1));
	CU_ASSERT_EQUAL(a->size, 1000);
	CU_ASSERT_EQUAL(a->dport, 9);
	CU_ASSERT_EQUAL(a->rate_bps, 8000000);
	/* (1000 + 28) bytes * 8 / 8 Mbit/s = 1.028 ms */
	CU_ASSERT_EQUAL(a->interval, SIM_US(1028));
	a = find_app(sc, "traceroute-a-2");
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_EQUAL(a->dst, IP(10, 0, 0, 2));
	CU_ASSERT_EQUAL(a->ttl, 30);
	CU_ASSERT_EQUAL(a->timeout, SIM_S(1));
	scenario_free(sc);
}

static void
test_link_directions(void)
{
	char *diag = NULL;
	unsigned n_err = 99;
	struct scenario *sc = load(N2
	    "links:\n"
	    "  - name: l1\n"
	    "    a: a:eth0\n"
	    "    b: b:eth0\n"
	    "    rate: 1Gbps\n"
	    "    delay: 2ms\n"
	    "    mtu: 9000\n"
	    "    queue: { packets: 50, bytes: 64KB }\n"
	    "    loss: { model: bernoulli, p: 0.01 }\n"
	    "    a_to_b: { rate: 100Mbps }\n"
	    "    b_to_a:\n"
	    "      delay: 3.5ms\n"
	    "      loss: { model: gilbert_elliott, p_gb: 0.1, p_bg: 0.5 }\n",
	    &diag, &n_err);
	const struct sc_link *l;

	CU_ASSERT_EQUAL(n_err, 0);
	CU_ASSERT_STRING_EQUAL(diag, "");
	free(diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	l = &sc->links[0];
	CU_ASSERT_EQUAL(l->mtu, 9000);
	CU_ASSERT_EQUAL(l->qlimit_pkts, 50);
	CU_ASSERT_EQUAL(l->qlimit_bytes, 64000);
	/* a->b: own rate, the link's delay and loss */
	CU_ASSERT_EQUAL(l->dir[0].rate_bps, 100000000ULL);
	CU_ASSERT_EQUAL(l->dir[0].delay, SIM_MS(2));
	CU_ASSERT_EQUAL(l->dir[0].loss.kind, SC_LOSS_BERNOULLI);
	CU_ASSERT_DOUBLE_EQUAL(l->dir[0].loss.p, 0.01, 1e-12);
	/* b->a: the link's rate, own delay and loss (defaults filled in) */
	CU_ASSERT_EQUAL(l->dir[1].rate_bps, 1000000000ULL);
	CU_ASSERT_EQUAL(l->dir[1].delay, SIM_US(3500));
	CU_ASSERT_EQUAL(l->dir[1].loss.kind, SC_LOSS_GE);
	CU_ASSERT_DOUBLE_EQUAL(l->dir[1].loss.p_gb, 0.1, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(l->dir[1].loss.p_bg, 0.5, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(l->dir[1].loss.loss_good, 0.0, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(l->dir[1].loss.loss_bad, 1.0, 1e-12);
	scenario_free(sc);
}

static void
test_everything_else_parses(void)
{
	char *diag = NULL;
	unsigned n_err = 99;
	struct scenario *sc = load(
	    "name: full\n"
	    "description: every optional key\n"
	    "seed: 18446744073709551615\n"
	    "duration: 1m\n"
	    "nodes:\n"
	    "  - name: r1\n"
	    "    role: router\n"
	    "    region: westeurope\n"
	    "    pos: [100, 900]\n"
	    "    interfaces:\n"
	    "      - { name: e0, address: 10.0.0.1/31, mac: \"02:00:00:00:00:0a\", vrf: blue }\n"
	    "      - { name: e1, address: 192.0.2.1/32 }\n"
	    "      - { name: e2 }\n"
	    "    routes:\n"
	    "      - { prefix: 10.9.0.0/16, via: 10.0.0.0, vrf: blue }\n"
	    "      - { prefix: 10.8.0.0/16, iface: e2 }\n"
	    "      - { prefix: 10.7.0.0/16, iface: e0, via: 1.2.3.4, vrf: blue }\n"
	    "  - { name: r2, role: oci-drg, interfaces: [{ name: e0, address: 10.0.0.0/31, vrf: blue }] }\n"
	    "links:\n"
	    "  - { name: x, a: \"r1:e0\", b: \"r2:e0\" }\n"
	    "apps:\n"
	    "  - { name: u, type: udp_cbr, node: r1, dst: r2, interval: 1ms, count: 5, size: 1KiB, dport: 5001, df: true }\n"
	    "  - { name: p, type: ping, node: r1, dst: 10.0.0.0, ttl: 1, timeout: 200ms }\n"
	    "assertions:\n"
	    "  - { kind: ping-succeeds, app: p, after: 1s, min_replies: 3 }\n"
	    "record: { trace: false, metrics: false, pcap: [r1, \"r2:e0\"], keyframe_every: 100ms }\n",
	    &diag, &n_err);
	const struct sc_node *n;
	const struct sc_app *a;

	CU_ASSERT_EQUAL(n_err, 0);
	CU_ASSERT_STRING_EQUAL(diag, "");
	free(diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	CU_ASSERT_STRING_EQUAL(sc->name, "full");
	CU_ASSERT_STRING_EQUAL(sc->description, "every optional key");
	CU_ASSERT_EQUAL(sc->seed, UINT64_MAX);
	CU_ASSERT_EQUAL(sc->duration, SIM_S(60));
	n = scenario_node(sc, "r1");
	CU_ASSERT_PTR_NOT_NULL_FATAL(n);
	CU_ASSERT_TRUE(n->has_pos);
	CU_ASSERT_EQUAL(n->pos[0], 100);
	CU_ASSERT_EQUAL(n->pos[1], 900);
	CU_ASSERT_TRUE(n->ifaces[0].has_mac);
	CU_ASSERT_EQUAL(n->ifaces[0].mac[0], 0x02);
	CU_ASSERT_EQUAL(n->ifaces[0].mac[5], 0x0a);
	CU_ASSERT_STRING_EQUAL(n->ifaces[0].vrf, "blue");
	CU_ASSERT_EQUAL(n->ifaces[1].plen, 32);
	CU_ASSERT_EQUAL(n->ifaces[2].addr, 0);
	CU_ASSERT_EQUAL(n->ifaces[2].plen, 0);
	CU_ASSERT_STRING_EQUAL(n->routes[0].vrf, "blue");
	CU_ASSERT_EQUAL(n->routes[0].via, IP(10, 0, 0, 0));
	CU_ASSERT_STRING_EQUAL(n->routes[1].iface, "e2");
	CU_ASSERT_EQUAL(n->routes[1].via, 0);
	a = find_app(sc, "u");
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_EQUAL(a->interval, SIM_MS(1));
	CU_ASSERT_EQUAL(a->count, 5);
	CU_ASSERT_EQUAL(a->size, 1024);
	CU_ASSERT_EQUAL(a->dport, 5001);
	CU_ASSERT_TRUE(a->df);
	CU_ASSERT_EQUAL(a->dst, IP(10, 0, 0, 0));
	a = find_app(sc, "p");
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_EQUAL(a->ttl, 1);
	CU_ASSERT_EQUAL(a->timeout, SIM_MS(200));
	CU_ASSERT_EQUAL(sc->asserts[0].min_replies, 3);
	CU_ASSERT_EQUAL(sc->asserts[0].after, SIM_S(1));
	CU_ASSERT_EQUAL(sc->asserts[0].rtt_max, 0);
	CU_ASSERT_FALSE(sc->record_trace);
	CU_ASSERT_FALSE(sc->record_metrics);
	CU_ASSERT_EQUAL(sc->keyframe_every, SIM_MS(100));
	CU_ASSERT_EQUAL_FATAL(sc->n_captures, 2);
	CU_ASSERT_STRING_EQUAL(sc->captures[0].node, "r1");
	CU_ASSERT_PTR_NULL(sc->captures[0].iface);
	CU_ASSERT_STRING_EQUAL(sc->captures[1].node, "r2");
	CU_ASSERT_STRING_EQUAL(sc->captures[1].iface, "e0");
	scenario_free(sc);
}

struct bad {
	const char *what;
	const char *text;
	const char *at;		/* "line:col" of the error */
	const char *msg;	/* a substring of its message */
	unsigned n;		/* errors in total */
};

/* Ten e-acutes: 20 bytes of UTF-8. */
#define E10 "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9" \
	"\xc3\xa9\xc3\xa9"

static const struct bad bad_inputs[] = {
	{ "YAML syntax: unclosed flow sequence",
	    "nodes: [a, b\nname: x\n", "2:5",
	    "YAML syntax: did not find expected ',' or ']' (while parsing "
	    "a flow sequence at 1:8)", 1 },
	{ "YAML syntax: bad indentation",
	    "name: x\n  seed: 1\n", "2:7",
	    "mapping values are not allowed", 1 },
	{ "YAML: tab indentation",
	    "nodes:\n\t- name: a\n", "2:1", "YAML syntax: found character "
	    "that cannot start any token", 1 },
	{ "YAML: undefined alias",
	    N2 "links: *nope\n", "4:8", "found undefined alias", 1 },
	{ "YAML: invalid UTF-8",
	    N2 "name: \"\xc3\x28\"\n", "4:9", "invalid", 1 },
	{ "empty file", "", "1:1", "the file is empty", 1 },
	{ "only a comment", "# nothing\n", "1:1", "the file is empty", 1 },
	{ "root is a list", "- a\n- b\n", "1:1",
	    "a scenario must be a mapping", 1 },
	{ "two documents",
	    BASE "---\nname: again\n", "7:1", "a second YAML document", 1 },
	{ "unknown top-level key with did-you-mean",
	    BASE "evnts: []\n", "7:1",
	    "unknown key 'evnts' in scenario (did you mean 'events'?)", 1 },
	{ "unknown key without a close match lists the valid ones",
	    BASE "colour: red\n", "7:1",
	    "unknown key 'colour' in scenario (valid keys: name, description",
	    1 },
	{ "unknown interface key (transposition)",
	    "nodes:\n  - { name: a, role: host, interfaces: [{ name: e, "
	    "adress: 10.0.0.1/24 }] }\n", "2:52",
	    "unknown key 'adress' in interface (did you mean 'address'?)", 1 },
	{ "duplicate key in a mapping",
	    BASE "seed: 1\nseed: 2\n", "8:1",
	    "duplicate key 'seed' (first at 7:1)", 1 },
	{ "missing required key points at the mapping",
	    "nodes:\n  - name: a\n    region: x\n", "2:5",
	    "node is missing required key 'role'", 1 },
	{ "missing nodes", "name: x\n", "1:1",
	    "scenario is missing required key 'nodes'", 1 },
	{ "nodes is a scalar", "nodes: many\n", "1:8",
	    "'nodes': expected a list, got a scalar", 1 },
	{ "list item is not a mapping",
	    "nodes:\n  - a\n", "2:5",
	    "each item of 'nodes' must be a mapping (a node), got a scalar",
	    1 },
	{ "record is a list", BASE "record: [trace]\n", "7:9",
	    "'record': expected a mapping, got a list", 1 },
	{ "name is a mapping",
	    "nodes:\n  - { name: { x: 1 }, role: host }\n", "2:13",
	    "'name': expected a single value, got a mapping", 1 },
	{ "value missing", "nodes:\n  - { name: a, role: }\n", "2:22",
	    "'role' has no value", 1 },
	{ "quoted number", N2 L1 D "seed: \"5\"\n", "7:7",
	    "'seed': expected a whole number, got the string '5'", 1 },
	{ "mtu not a number",
	    N2 "links:\n  - { name: l1, a: \"a:eth0\", b: \"b:eth0\", "
	    "mtu: big }\n" D, "5:48", "'mtu': expected a whole number, got "
	    "'big'", 1 },
	{ "bool not true/false",
	    BASE "apps: [{ type: ping, node: a, dst: b, df: yes }]\n", "7:43",
	    "'df': expected true or false, got 'yes'", 1 },
	{ "time without unit",
	    N2 "links:\n  - { name: l1, a: \"a:eth0\", b: \"b:eth0\", "
	    "delay: 5 }\n" D, "5:50", "'delay': bad time '5': time unit missing",
	    1 },
	{ "time with an unknown unit", N2 "duration: 5sec\n", "4:11",
	    "'duration': bad time '5sec': time unit 'sec' unknown", 1 },
	{ "bad rate",
	    N2 "links:\n  - { name: l1, a: \"a:eth0\", b: \"b:eth0\", "
	    "rate: 1Gbit }\n" D, "5:49", "'rate': bad rate '1Gbit': rate unit "
	    "'Gbit' unknown", 1 },
	{ "bad size",
	    BASE "apps: [{ type: ping, node: a, dst: b, size: 1kb }]\n",
	    "7:45", "'size': bad size '1kb': size unit 'kb' unknown", 1 },
	{ "negative delay",
	    N2 "links:\n  - { name: l1, a: \"a:eth0\", b: \"b:eth0\", "
	    "delay: -1ms }\n" D, "5:50", "'delay' must not be negative", 1 },
	{ "zero bandwidth",
	    N2 "links:\n  - { name: l1, a: \"a:eth0\", b: \"b:eth0\", "
	    "rate: 0bps }\n" D, "5:49", "'rate' must be more than 0bps (zero "
	    "bandwidth)", 1 },
	{ "zero bandwidth in one direction",
	    N2 "links:\n  - { name: l1, a: \"a:eth0\", b: \"b:eth0\", "
	    "b_to_a: { rate: 0Gbps } }\n" D, "5:59", "'rate' must be more "
	    "than 0bps", 1 },
	{ "probability above 1",
	    N2 "links:\n  - { name: l1, a: \"a:eth0\", b: \"b:eth0\", "
	    "loss: { model: bernoulli, p: 1.5 } }\n" D, "5:72",
	    "'p' is a probability and must be between 0 and 1, not 1.5", 1 },
	{ "probability not a number",
	    N2 "links:\n  - { name: l1, a: \"a:eth0\", b: \"b:eth0\", "
	    "loss: { model: bernoulli, p: nan } }\n" D, "5:72",
	    "'p': expected a probability between 0 and 1, got 'nan'", 1 },
	{ "Gilbert-Elliott without its transition probabilities",
	    N2 "links:\n  - { name: l1, a: \"a:eth0\", b: \"b:eth0\", "
	    "loss: { model: gilbert_elliott, p_gb: 0.1 } }\n" D, "5:49",
	    "loss is missing required key 'p_bg'", 1 },
	{ "loss key of the other model",
	    N2 "links:\n  - { name: l1, a: \"a:eth0\", b: \"b:eth0\", "
	    "loss: { model: bernoulli, p: 0.1, p_gb: 0.2 } }\n" D, "5:77",
	    "key 'p_gb' does not apply when model is bernoulli (only for "
	    "gilbert_elliott)", 1 },
	{ "mtu out of range",
	    N2 "links:\n  - { name: l1, a: \"a:eth0\", b: \"b:eth0\", "
	    "mtu: 60 }\n" D, "5:48", "'mtu' 60 is out of range (68..65535)",
	    1 },
	{ "vlan out of range",
	    "nodes:\n  - { name: a, role: host, interfaces: [{ name: e, "
	    "vlan: 4095 }] }\n", "2:58", "'vlan' 4095 is out of range "
	    "(1..4094)", 1 },
	{ "count too big",
	    BASE "apps: [{ type: ping, node: a, dst: b, count: 1000000000 "
	    "}]\n", "7:46", "'count' 1000000000 is out of range", 1 },
	{ "ttl zero",
	    BASE "apps: [{ type: ping, node: a, dst: b, ttl: 0 }]\n", "7:44",
	    "'ttl' 0 is out of range (1..255)", 1 },
	{ "interval zero",
	    BASE "apps: [{ type: ping, node: a, dst: b, interval: 0s }]\n",
	    "7:49", "'interval' must be greater than 0", 1 },
	{ "bad address octet",
	    "nodes:\n  - { name: a, role: host, interfaces: [{ name: e, "
	    "address: 10.0.0.256/24 }] }\n", "2:61",
	    "'address': bad address '10.0.0.256/24'", 1 },
	{ "address without prefix length",
	    "nodes:\n  - { name: a, role: host, interfaces: [{ name: e, "
	    "address: 10.0.0.1 }] }\n", "2:61",
	    "'address': missing the prefix length in '10.0.0.1'", 1 },
	{ "network address on an interface",
	    "nodes:\n  - { name: a, role: host, interfaces: [{ name: e, "
	    "address: 10.0.0.0/24 }] }\n", "2:61",
	    "10.0.0.0/24 is the network address of its subnet", 1 },
	{ "broadcast address on an interface",
	    "nodes:\n  - { name: a, role: host, interfaces: [{ name: e, "
	    "address: 172.16.0.3/30 }] }\n", "2:61",
	    "172.16.0.3/30 is the broadcast address", 1 },
	{ "prefix with host bits",
	    "nodes:\n  - { name: a, role: host, routes: [{ prefix: "
	    "10.1.1.4/16, iface: x }], interfaces: [{ name: x }] }\n", "2:47",
	    "'prefix': 10.1.1.4/16 has host bits set (did you mean "
	    "10.1.0.0/16?)", 1 },
	{ "bad next-hop address",
	    N2 "  - { name: c, role: host, routes: [{ prefix: 0.0.0.0/0, "
	    "via: 10.0.0.01 }] }\n", "4:63",
	    "'via': bad IPv4 address '10.0.0.01'", 1 },
	{ "route via outside every connected subnet",
	    "nodes:\n  - { name: a, role: host, interfaces: [{ name: e, "
	    "address: 10.0.0.1/24 }], routes: [{ prefix: 0.0.0.0/0, via: "
	    "10.0.1.1 }] }\n", "2:112",
	    "via 10.0.1.1 is not in a connected subnet of node 'a' in the "
	    "default VRF", 1 },
	{ "route via in another VRF's subnet",
	    "nodes:\n  - { name: a, role: host, interfaces: [{ name: e, "
	    "address: 10.0.0.1/24, vrf: red }], routes: [{ prefix: "
	    "0.0.0.0/0, via: 10.0.0.9 }] }\n", "2:122",
	    "via 10.0.0.9 is not in a connected subnet of node 'a' in the "
	    "default VRF", 1 },
	{ "route via the node's own address",
	    "nodes:\n  - { name: a, role: host, interfaces: [{ name: e, "
	    "address: 10.0.0.1/24 }], routes: [{ prefix: 0.0.0.0/0, via: "
	    "10.0.0.1 }] }\n", "2:112",
	    "via 10.0.0.1 is the node's own address (interface 'e')", 1 },
	{ "route with neither via nor iface",
	    "nodes:\n  - { name: a, role: host, routes: [{ prefix: "
	    "0.0.0.0/0 }] }\n", "2:37",
	    "route to 0.0.0.0/0 needs via, iface or both", 1 },
	{ "route iface unknown",
	    "nodes:\n  - { name: a, role: host, interfaces: [{ name: eth0 }], "
	    "routes: [{ prefix: 0.0.0.0/0, iface: eht0 }] }\n", "2:95",
	    "node 'a' has no interface 'eht0' (did you mean 'eth0'?)", 1 },
	{ "unknown role with did-you-mean",
	    "nodes:\n  - { name: a, role: rooter }\n", "2:22",
	    "unknown role 'rooter' (did you mean 'router'?) (one of: host, "
	    "router", 1 },
	{ "bad node name",
	    "nodes:\n  - { name: \"a b\", role: host }\n", "2:13",
	    "'name': name 'a b' may only contain letters", 1 },
	{ "node name '..' would be a path outside pcap/",
	    "nodes:\n  - { name: .., role: host }\n", "2:13",
	    "'name': name '..' is not a usable name (names become file "
	    "names)", 1 },
	{ "node name '.'",
	    "nodes:\n  - { name: ., role: host }\n", "2:13",
	    "'name': name '.' is not a usable name", 1 },
	{ "node name starting with '-'",
	    "nodes:\n  - { name: -rf, role: host }\n", "2:13",
	    "'name': name '-rf' must start with a letter, a digit or '_'", 1 },
	{ "node name starting with '.' (the capture manifest is .xcsim-*)",
	    "nodes:\n  - { name: .xcsim-captures, role: host }\n", "2:13",
	    "'name': name '.xcsim-captures' must start with a letter", 1 },
	{ "interface name '..'",
	    "nodes:\n  - { name: a, role: host, interfaces: [{ name: \"..\", "
	    "address: 10.0.0.1/24 }] }\n", "2:49",
	    "'name': name '..' is not a usable name", 1 },
	{ "node names that differ only in case share a pcap folder",
	    "nodes:\n  - { name: R1, role: host }\n"
	    "  - { name: r1, role: host }\n", "3:13",
	    "node 'r1' differs from node 'R1' (defined at 2:13) only in case "
	    "(their captures would share a file on a case-insensitive file "
	    "system)", 1 },
	{ "interface names that differ only in case share a pcap file",
	    "nodes:\n  - { name: a, role: host, interfaces: [{ name: eth0 }, "
	    "{ name: ETH0 }] }\n", "2:65",
	    "interface 'ETH0' on node 'a' differs from interface 'eth0' "
	    "(defined at 2:49) only in case", 1 },
	{ "interface address /0 is not unnumbered",
	    "nodes:\n  - { name: a, role: host, interfaces: [{ name: e, "
	    "address: 10.0.0.1/0 }] }\n", "2:61",
	    "'address': 10.0.0.1/0 has prefix length 0, which leaves no "
	    "subnet (use the subnet's length, e.g. /24; leave out address "
	    "for an unnumbered interface)", 1 },
	{ "prefix length past 32",
	    "nodes:\n  - { name: a, role: host, routes: [{ prefix: "
	    "10.0.0.0/33, iface: x }], interfaces: [{ name: x }] }\n", "2:47",
	    "'prefix': bad prefix length in '10.0.0.0/33': it must be a number "
	    "from 0 to 32 (e.g. 10.2.0.0/16)", 1 },
	{ "scientific notation in a time",
	    N2 "duration: 1e30s\n", "4:11", "'duration': bad time '1e30s': "
	    "scientific notation is not supported", 1 },
	{ "a space between number and unit",
	    N2 "duration: 10 ms\n", "4:11", "'duration': bad time '10 ms': "
	    "remove the space between the number and the unit ('10ms')", 1 },
	{ "queue byte limit past what JSON numbers carry exactly",
	    N2 "links:\n  - { name: l1, a: \"a:eth0\", b: \"b:eth0\", queue: "
	    "{ bytes: 8388609GiB } }\n", "5:59",
	    "'bytes' 8388609GiB is out of range (0..9007199254740992)", 1 },
	{ "NUL inside a name",
	    "nodes:\n  - { name: \"a\\0b\", role: host }\n", "2:13",
	    "'name' contains a NUL character", 1 },
	{ "multicast MAC",
	    "nodes:\n  - { name: a, role: host, interfaces: [{ name: e, "
	    "mac: \"01:00:5e:00:00:01\" }] }\n", "2:57",
	    "is a multicast address", 1 },
	{ "malformed MAC",
	    "nodes:\n  - { name: a, role: host, interfaces: [{ name: e, "
	    "mac: 02-00-00-00-00-01 }] }\n", "2:57",
	    "'mac': bad MAC address '02-00-00-00-00-01'", 1 },
	{ "svlan without vlan",
	    "nodes:\n  - { name: a, role: host, interfaces: [{ name: e, "
	    "svlan: 100 }] }\n", "2:59", "svlan needs vlan", 1 },
	{ "pos outside the canvas",
	    "nodes:\n  - { name: a, role: host, pos: [10, 1001] }\n", "2:38",
	    "'pos': y '1001' must be a whole number from 0 to 1000", 1 },
	{ "duplicate node",
	    N2 "  - { name: a, role: router }\n", "4:13",
	    "duplicate node 'a' (first defined at 2:13)", 1 },
	{ "duplicate node: only the first one's interfaces count (fuzz)",
	    "nodes:\n  - { name: a, role: host }\n"
	    "  - { name: a, role: host, interfaces: [{ name: e }] }\n"
	    "record: { pcap: [\"a:e\"] }\n", "3:13",
	    "duplicate node 'a' (first defined at 2:13)", 2 },
	{ "duplicate node: its routes see its own interfaces (fuzz)",
	    "nodes:\n  - { name: a, role: host, interfaces: [{ name: x }] }\n"
	    "  - { name: a, role: host, interfaces: [{ name: e }], routes: "
	    "[{ prefix: 0.0.0.0/0, iface: e }] }\n", "3:13",
	    "duplicate node 'a' (first defined at 2:13)", 1 },
	{ "node without a name still has its interfaces checked (fuzz)",
	    "nodes:\n  - { role: host, interfaces: [{ name: e, address: "
	    "10.0.0.1/24 }], routes: [{ prefix: 0.0.0.0/0, iface: e }] }\n",
	    "2:5", "node is missing required key 'name'", 1 },
	{ "duplicate interface",
	    "nodes:\n  - name: a\n    role: host\n    interfaces:\n"
	    "      - { name: e0 }\n      - { name: e0 }\n", "6:17",
	    "duplicate interface 'e0' on node 'a' (first defined at 5:17)", 1 },
	{ "overlapping subnets on one node",
	    "nodes:\n  - name: a\n    role: host\n    interfaces:\n"
	    "      - { name: e0, address: 10.0.0.1/16 }\n"
	    "      - { name: e1, address: 10.0.5.1/24 }\n", "6:30",
	    "address 10.0.5.1/24 overlaps 10.0.0.1/16 of interface 'e0'", 1 },
	{ "duplicate address on one node",
	    "nodes:\n  - name: a\n    role: host\n    interfaces:\n"
	    "      - { name: e0, address: 10.0.0.1/24 }\n"
	    "      - { name: e1, address: 10.0.0.1/24 }\n", "6:30",
	    "duplicate address 10.0.0.1/24 (interface 'e0' has it too, in the "
	    "default VRF)", 1 },
	{ "duplicate link",
	    N2 L1 "  - { name: l1, a: \"a:eth0\", b: \"b:eth0\" }\n" D,
	    "6:13", "duplicate link 'l1' (first defined at 5:13)", 3 },
	{ "interface on two links",
	    N2 "  - { name: c, role: host, interfaces: [{ name: eth0, "
	    "address: 10.0.0.3/24 }] }\n"
	    "links:\n  - { name: l1, a: \"a:eth0\", b: \"b:eth0\" }\n"
	    "  - { name: l2, a: \"c:eth0\", b: \"a:eth0\" }\n" D, "7:33",
	    "interface a:eth0 is already on link 'l1' (defined at 6:5)", 1 },
	{ "link to itself",
	    N2 "links:\n  - { name: l1, a: \"a:eth0\", b: \"a:eth0\" }\n" D,
	    "5:33", "link 'l1' connects interface a:eth0 to itself", 1 },
	{ "link to an unknown node",
	    N2 "links:\n  - { name: l1, a: \"a:eth0\", b: \"bb:eth0\" }\n" D,
	    "5:33", "unknown node 'bb' (did you mean 'b'?)", 1 },
	{ "link to an unknown interface",
	    N2 "links:\n  - { name: l1, a: \"a:eht0\", b: \"b:eth0\" }\n" D,
	    "5:20", "node 'a' has no interface 'eht0' (did you mean 'eth0'?)",
	    1 },
	{ "link endpoint without an interface",
	    N2 "links:\n  - { name: l1, a: a, b: \"b:eth0\" }\n" D, "5:20",
	    "'a': expected node:interface, got 'a'", 1 },
	{ "link ends in different subnets",
	    "nodes:\n"
	    "  - { name: a, role: host, interfaces: [{ name: e, address: "
	    "10.0.0.1/24 }] }\n"
	    "  - { name: b, role: host, interfaces: [{ name: e, address: "
	    "10.0.1.1/24 }] }\n"
	    "links: [{ name: l, a: \"a:e\", b: \"b:e\" }]\n", "4:33",
	    "the ends of link 'l' are in different subnets: a is "
	    "10.0.0.1/24, b is 10.0.1.1/24", 1 },
	{ "link ends with the same address",
	    "nodes:\n"
	    "  - { name: a, role: host, interfaces: [{ name: e, address: "
	    "10.0.0.1/24 }] }\n"
	    "  - { name: b, role: host, interfaces: [{ name: e, address: "
	    "10.0.0.1/24 }] }\n"
	    "links: [{ name: l, a: \"a:e\", b: \"b:e\" }]\n", "4:33",
	    "both ends of link 'l' have address 10.0.0.1", 1 },
	{ "link ends with different VLAN tags",
	    "nodes:\n"
	    "  - { name: a, role: host, interfaces: [{ name: e, vlan: 200, "
	    "svlan: 100 }] }\n"
	    "  - { name: b, role: host, interfaces: [{ name: e, vlan: 201, "
	    "svlan: 100 }] }\n"
	    "links: [{ name: l, a: \"a:e\", b: \"b:e\" }]\n", "4:33",
	    "the ends of link 'l' have different VLAN tags: vlan 200 at a, "
	    "201 at b", 1 },
	{ "link ends with different S-tags",
	    "nodes:\n"
	    "  - { name: a, role: host, interfaces: [{ name: e, vlan: 200, "
	    "svlan: 100 }] }\n"
	    "  - { name: b, role: host, interfaces: [{ name: e, vlan: 200 }] }\n"
	    "links: [{ name: l, a: \"a:e\", b: \"b:e\" }]\n", "4:33",
	    "different VLAN tags: svlan 100 at a, none at b", 1 },
	{ "app on an unknown node",
	    BASE "apps: [{ type: ping, node: c, dst: b }]\n", "7:28",
	    "unknown node 'c'", 1 },
	{ "app dst unknown node with did-you-mean",
	    N2 "  - { name: server, role: host, interfaces: [{ name: e, "
	    "address: 10.0.0.3/24 }] }\n" D
	    "apps: [{ type: ping, node: a, dst: sever }]\n", "6:36",
	    "unknown node 'sever' (did you mean 'server'?)", 1 },
	{ "app dst bad address",
	    BASE "apps: [{ type: ping, node: a, dst: 10.0.0 }]\n", "7:36",
	    "'dst': bad IPv4 address '10.0.0'", 1 },
	{ "app dst unnumbered interface",
	    N2 "  - { name: c, role: host, interfaces: [{ name: e }] }\n" D
	    "apps: [{ type: ping, node: a, dst: \"c:e\" }]\n", "6:36",
	    "'dst': interface c:e is unnumbered", 1 },
	{ "app type unknown",
	    BASE "apps: [{ type: pong, node: a, dst: b }]\n", "7:16",
	    "unknown type 'pong' (did you mean 'ping'?)", 1 },
	{ "key of another app type",
	    BASE "apps: [{ type: ping, node: a, dst: b, dport: 53 }]\n",
	    "7:39", "key 'dport' does not apply when type is ping (only for "
	    "udp_cbr, udp_poisson, tcp_bulk, request_response)", 1 },
	{ "traceroute has no count",
	    BASE "apps: [{ type: traceroute, node: a, dst: b, count: 3 }]\n",
	    "7:45", "key 'count' does not apply when type is traceroute (only "
	    "for ping, udp_cbr, udp_poisson, request_response)", 1 },
	{ "udp_cbr with both rate and interval",
	    BASE "apps: [{ type: udp_cbr, node: a, dst: b, count: 1, "
	    "rate: 1Mbps, interval: 1ms }]\n", "7:58",
	    "give rate or interval, not both", 1 },
	{ "udp_cbr with neither rate nor interval",
	    BASE "apps: [{ type: udp_cbr, node: a, dst: b }]\n", "7:8",
	    "udp_cbr app needs rate or interval", 1 },
	{ "ping for ever without a duration",
	    N2 L1 "apps: [{ name: p, type: ping, node: a, dst: b }]\n", "6:8",
	    "app 'p' sends until the end of the run (count 0), but the "
	    "scenario has no duration", 1 },
	{ "app starts after the end",
	    BASE "apps: [{ type: ping, node: a, dst: b, start: 11s }]\n",
	    "7:46", "app starts at 11s, after the end of the run (duration "
	    "10s)", 1 },
	{ "duplicate app (generated name)",
	    BASE "apps:\n  - { type: ping, node: a, dst: b }\n"
	    "  - { name: ping-a-0, type: ping, node: a, dst: b }\n", "9:13",
	    "duplicate app 'ping-a-0' (first defined at 8:5)", 1 },
	{ "event on an unknown link",
	    BASE "events: [{ at: 1s, action: link-down, link: l2 }]\n", "7:45",
	    "unknown link 'l2' (did you mean 'l1'?)", 1 },
	{ "event action unknown",
	    BASE "events: [{ at: 1s, action: link-dwn, link: l1 }]\n", "7:28",
	    "unknown action 'link-dwn' (did you mean 'link-down'?)", 1 },
	{ "event after the end",
	    BASE "events: [{ at: 1m, action: link-down, link: l1 }]\n", "7:16",
	    "event at 60s is after the end of the run (duration 10s)", 1 },
	{ "event missing its time",
	    BASE "events: [{ action: link-down, link: l1 }]\n", "7:10",
	    "event is missing required key 'at'", 1 },
	{ "assertion on an unknown app",
	    BASE "apps: [{ name: ping1, type: ping, node: a, dst: b }]\n"
	    "assertions: [{ kind: ping-succeeds, app: pign1 }]\n", "8:42",
	    "unknown app 'pign1' (did you mean 'ping1'?)", 1 },
	{ "assertion on an app of the wrong type",
	    BASE "apps: [{ name: t, type: traceroute, node: a, dst: b }]\n"
	    "assertions: [{ kind: ping-fails, app: t }]\n", "8:39",
	    "a ping-fails assertion needs a ping app, but 't' is a "
	    "traceroute app", 1 },
	{ "traceroute path through an unknown node",
	    BASE "apps: [{ name: t, type: traceroute, node: a, dst: b }]\n"
	    "assertions: [{ kind: traceroute-path, app: t, path: [a, bb] }]\n",
	    "8:57", "unknown node 'bb' (did you mean 'b'?)", 1 },
	{ "traceroute-path without a path",
	    BASE "apps: [{ name: t, type: traceroute, node: a, dst: b }]\n"
	    "assertions: [{ kind: traceroute-path, app: t }]\n", "8:14",
	    "assertion is missing required key 'path'", 1 },
	{ "assertion window empty",
	    BASE "apps: [{ name: p, type: ping, node: a, dst: b }]\n"
	    "assertions: [{ kind: ping-fails, app: p, after: 5s, before: "
	    "3s }]\n", "8:61", "the window is empty: after (5s) must be "
	    "earlier than before (3s)", 1 },
	{ "rtt_below on ping-fails",
	    BASE "apps: [{ name: p, type: ping, node: a, dst: b }]\n"
	    "assertions: [{ kind: ping-fails, app: p, rtt_below: 3ms }]\n",
	    "8:42", "key 'rtt_below' does not apply when kind is ping-fails "
	    "(only for ping-succeeds)", 1 },
	{ "pcap on an unknown interface",
	    BASE "record: { pcap: [a, \"b:eth1\"] }\n", "7:21",
	    "node 'b' has no interface 'eth1' (did you mean 'eth0'?)", 1 },
	{ "pcap neither all, none nor a list",
	    BASE "record: { pcap: some }\n", "7:17",
	    "'pcap': expected all, none or a list", 1 },
	{ "keyframe_every zero",
	    BASE "record: { keyframe_every: 0s }\n", "7:27",
	    "'keyframe_every' must be greater than 0", 1 },
	{ "empty node list", "nodes: []\n", "1:8",
	    "'nodes' is empty: a scenario needs at least one node", 1 },
	{ "merge keys are not supported, and say so",
	    N2 D "links:\n  - { <<: { rate: 1Gbps }, name: l1, a: \"a:eth0\", "
	    "b: \"b:eth0\" }\n", "6:7", "unknown key '<<' in link (YAML merge "
	    "keys are not supported", 1 },
	{ "a key with a NUL is not the key before the NUL",
	    BASE "\"seed\\0x\": 1\n", "7:1", "a key of scenario contains "
	    "a NUL character", 1 },
	{ "a key that is a list",
	    BASE "[a]: 1\n", "7:1", "a key of scenario must be a plain name", 1 },
	{ "an app named like a udp_cbr app's automatic sink",
	    BASE "apps:\n  - { name: u, type: udp_cbr, node: a, dst: b, rate: "
	    "1Mbps }\n  - { name: u-sink, type: ping, node: a, dst: b }\n"
	    "assertions: [{ kind: ping-succeeds, app: u-sink }]\n", "9:13",
	    "app name 'u-sink' is reserved for the UDP sink of udp_cbr app "
	    "'u' (defined at 8:5): rename one of them", 1 },
	{ "the sink name taken before its udp_cbr app",
	    BASE "apps:\n  - { name: u-sink, type: udp_cbr, node: b, dst: a, "
	    "rate: 1Mbps }\n  - { name: u, type: udp_cbr, node: a, dst: b, "
	    "rate: 1Mbps }\n", "8:13",
	    "app name 'u-sink' is reserved for the UDP sink of udp_cbr app "
	    "'u' (defined at 9:5)", 1 },
	{ "assertion window whose only probe goes out as the run ends",
	    BASE "apps: [{ name: p, type: ping, node: a, dst: b }]\n"
	    "assertions: [{ kind: ping-succeeds, app: p, after: 10s }]\n",
	    "8:52", "app 'p' has no probe to judge in the assertion window "
	    "[10s, end): its only one there is sent as the run ends, at 10s, "
	    "and is still on its way then", 1 },
	{ "assertion window after the end of the run",
	    BASE "apps: [{ name: p, type: ping, node: a, dst: b }]\n"
	    "assertions: [{ kind: ping-succeeds, app: p, after: 10500ms }]\n",
	    "8:52", "app 'p' sends no probe in the assertion window [10.5s, "
	    "end): the run ends at 10s", 1 },
	{ "assertion window after the app's last probe",
	    BASE "apps: [{ name: p, type: ping, node: a, dst: b, count: 5, "
	    "interval: 100ms }]\nassertions: [{ kind: ping-fails, app: p, "
	    "after: 401ms }]\n", "8:49", "app 'p' sends no probe in the "
	    "assertion window [401ms, end): it sends its last (count 5) at "
	    "400ms", 1 },
	{ "assertion window between two probes",
	    BASE "apps: [{ name: p, type: ping, node: a, dst: b, start: 1s, "
	    "interval: 2s }]\nassertions: [{ kind: ping-fails, app: p, after: "
	    "1200ms, before: 3s }]\n", "8:49", "app 'p' sends no probe in the "
	    "assertion window [1.2s, 3s): the first one in it would be sent at "
	    "3s", 1 },
	{ "assertion window before the app starts",
	    BASE "apps: [{ name: p, type: ping, node: a, dst: b, start: 5s }]\n"
	    "assertions: [{ kind: ping-succeeds, app: p, before: 5s }]\n",
	    "8:53", "app 'p' sends no probe in the assertion window [0s, 5s): "
	    "the first one in it would be sent at 5s", 1 },
	{ "a size in hexadecimal",
	    BASE "apps: [{ type: ping, node: a, dst: b, size: 0x40 }]\n",
	    "7:45", "'size': bad size '0x40': hexadecimal is for counts: write "
	    "a size in decimal (0x40 is 64)", 1 },
	{ "a time in hexadecimal",
	    N2 "duration: 0x10s\n", "4:11", "'duration': bad time '0x10s': "
	    "hexadecimal is for counts: write a time in decimal", 1 },
	{ "a count past 64 bits",
	    BASE "apps: [{ type: ping, node: a, dst: b, count: "
	    "18446744073709551616 }]\n", "7:46",
	    "'count': 18446744073709551616 is too large (at most 100000000)",
	    1 },
	{ "a seed past 64 bits, in hexadecimal",
	    N2 "seed: 0x10000000000000000\n", "4:7",
	    "'seed': 0x10000000000000000 is too large (at most "
	    "18446744073709551615)", 1 },
	{ "a name in UTF-8 is quoted as written",
	    "nodes:\n  - { name: \"\xc3\xb1od\xc3\xa9\", role: host }\n",
	    "2:13", "'name': name '\xc3\xb1od\xc3\xa9' may only contain", 1 },
	{ "a control character in a name is escaped",
	    "nodes:\n  - { name: \"a\\x01b\", role: host }\n",
	    "2:13", "'name': name 'a\\x01b' may only contain", 1 },
	{ "a long UTF-8 name is shortened between characters",
	    "nodes:\n  - { name: \"" E10 E10 E10 E10 E10 E10 "\", role: host "
	    "}\n", "2:13", "'name': name '" E10 E10 E10 E10 "\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9...' is longer "
	    "than 64 characters", 1 },
	{ "an anchor used inside itself",
	    "nodes: &x\n  - { name: a, role: host }\n  - *x\n", "1:8",
	    "each item of 'nodes' must be a mapping (a node), got a list", 1 },
	{ "an item not a mapping: 'an' before a vowel",
	    "nodes:\n  - { name: a, role: host }\nevents: [1]\n", "3:10",
	    "each item of 'events' must be a mapping (an event), got a "
	    "scalar", 1 },
	{ "an acl item not a mapping",
	    "nodes:\n  - { name: a, role: host }\nacls: [x]\n", "3:8",
	    "each item of 'acls' must be a mapping (an acl), got a scalar",
	    1 },
};

/* Each message of diag, then its line of text with a caret under it. */
static void
show_errors(const char *text, const char *diag)
{
	const char *m = diag;

	while (m != NULL && *m != '\0') {
		const char *nl = strchr(m, '\n');
		unsigned line = 0, col = 0, i;
		const char *t = text;

		fprintf(stderr, "    %.*s\n", (int)(nl ? nl - m : (long)strlen(m)),
		    m);
		if (sscanf(m, "t.yaml:%u:%u:", &line, &col) == 2) {
			for (i = 1; i < line && t != NULL; i++)
				if ((t = strchr(t, '\n')) != NULL)
					t++;
			if (t != NULL) {
				fprintf(stderr, "      %.*s\n      %*s^\n",
				    (int)strcspn(t, "\n"), t, (int)col - 1, "");
			}
		}
		m = nl ? nl + 1 : NULL;
	}
}

static void
test_bad_inputs(void)
{
	size_t i;

	CU_ASSERT_TRUE(sizeof(bad_inputs) / sizeof(bad_inputs[0]) >= 30);
	for (i = 0; i < sizeof(bad_inputs) / sizeof(bad_inputs[0]); i++) {
		const struct bad *b = &bad_inputs[i];
		char *diag = NULL;
		unsigned n_err = 0;
		struct scenario *sc = load(b->text, &diag, &n_err);
		bool hit = has_error(diag, b->at, b->msg);

		CU_ASSERT_PTR_NULL(sc);
		CU_ASSERT_TRUE(hit);
		CU_ASSERT_EQUAL(n_err, b->n);
		CU_ASSERT_EQUAL(count_lines(diag), n_err);
		if (!hit || n_err != b->n || sc != NULL) {
			fprintf(stderr, "\n  row '%s': want %s '%s' (%u), got:"
			    "\n", b->what, b->at, b->msg, b->n);
			show_errors(b->text, diag);
		}
		scenario_free(sc);
		free(diag);
	}
}

static void
test_every_error_is_reported(void)
{
	char *diag = NULL;
	unsigned n_err = 0;
	struct scenario *sc = load(
	    "nodes:\n"
	    "  - { name: a, role: hots, interfaces: [{ name: e, address: 10.0.0.1/24 }] }\n"
	    "  - { name: b, role: host, colour: red, interfaces: [{ name: e, address: 10.0.0.2/33 }] }\n"
	    "links:\n"
	    "  - { name: l, a: \"a:e\", b: \"b:e\", delay: -3ms, mtu: 70000 }\n"
	    "apps:\n"
	    "  - { type: ping, node: c, dst: b, count: 3 }\n"
	    "events:\n"
	    "  - { at: 1s, action: link-up, link: m }\n",
	    &diag, &n_err);

	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT_EQUAL(n_err, 7);
	CU_ASSERT_EQUAL(count_lines(diag), 7);
	CU_ASSERT_TRUE(has_error(diag, "2:22", "unknown role 'hots'"));
	CU_ASSERT_TRUE(has_error(diag, "3:28", "unknown key 'colour'"));
	CU_ASSERT_TRUE(has_error(diag, "3:74", "bad prefix length in "
	    "'10.0.0.2/33': it must be a number from 0 to 32"));
	CU_ASSERT_TRUE(has_error(diag, "5:43", "must not be negative"));
	CU_ASSERT_TRUE(has_error(diag, "5:54", "'mtu' 70000 is out of range"));
	CU_ASSERT_TRUE(has_error(diag, "7:25", "unknown node 'c'"));
	CU_ASSERT_TRUE(has_error(diag, "9:38", "unknown link 'm'"));
	/* In file order, though the checks across the file run last. */
	{
		const char *m = diag;
		unsigned line, col, last = 0;

		while (m != NULL && sscanf(m, "t.yaml:%u:%u:", &line,
		    &col) == 2) {
			CU_ASSERT_TRUE(line * 1000 + col >= last);
			last = line * 1000 + col;
			if ((m = strchr(m, '\n')) != NULL)
				m++;
		}
		CU_ASSERT_EQUAL(last, 9038);
	}
	free(diag);
}

static void
test_aliases(void)
{
	char *diag = NULL;
	unsigned n_err = 99;
	struct scenario *sc = load(N2 D
	    "links:\n"
	    "  - name: l1\n"
	    "    a: a:eth0\n"
	    "    b: b:eth0\n"
	    "    loss: &lossy { model: bernoulli, p: 0.25 }\n"
	    "    b_to_a: { loss: *lossy, delay: &d 7ms }\n",
	    &diag, &n_err);

	CU_ASSERT_EQUAL(n_err, 0);
	CU_ASSERT_STRING_EQUAL(diag, "");
	free(diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	CU_ASSERT_EQUAL(sc->links[0].dir[1].loss.kind, SC_LOSS_BERNOULLI);
	CU_ASSERT_DOUBLE_EQUAL(sc->links[0].dir[1].loss.p, 0.25, 1e-12);
	CU_ASSERT_EQUAL(sc->links[0].dir[1].delay, SIM_MS(7));
	CU_ASSERT_EQUAL(sc->links[0].dir[0].delay, 0);
	scenario_free(sc);
}

/*
 * Aliases can make a small file expand to a huge tree: here 3000 nodes,
 * each with the same 3000 interfaces (9 million values from 60 KB). The
 * walk stops with an error instead of expanding it.
 */
static void
test_alias_bomb(void)
{
	char *text = NULL, *diag = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	unsigned n_err = 0;
	struct scenario *sc;
	int i;

	fputs("x: &i { name: e }\ny: &l [", f);
	for (i = 0; i < 3000; i++)
		fputs(i ? ", *i" : "*i", f);
	fputs("]\nz: &n { name: n, role: host, interfaces: *l }\nnodes: [", f);
	for (i = 0; i < 3000; i++)
		fputs(i ? ", *n" : "*n", f);
	fputs("]\n", f);
	fclose(f);
	sc = load(text, &diag, &n_err);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT_TRUE(n_err >= 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(diag, "aliases expand the document to "
	    "too many values"));
	free(text);
	free(diag);
}

/* Deep nesting is refused or ignored without recursion. */
static void
test_deep_nesting(void)
{
	size_t depth = 200000, i;
	char *text = malloc(2 * depth + 64), *p = text, *diag = NULL;
	unsigned n_err = 0;
	struct scenario *sc;

	p += sprintf(p, "nodes: ");
	for (i = 0; i < depth; i++)
		*p++ = '[';
	for (i = 0; i < depth; i++)
		*p++ = ']';
	*p++ = '\n';
	*p = '\0';
	sc = load(text, &diag, &n_err);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT_EQUAL(n_err, 1);
	CU_ASSERT_TRUE(has_error(diag, "1:71", "nested more than 64 levels "
	    "deep"));
	free(diag);
	free(text);
}

static void
test_missing_file(void)
{
	char *diag = NULL;
	size_t len = 0;
	FILE *d = open_memstream(&diag, &len);
	unsigned n_err = 0;
	struct scenario *sc = scenario_load_file("/nonexistent/x.yaml", d,
	    &n_err);

	fclose(d);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT_EQUAL(n_err, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(diag, "/nonexistent/x.yaml: error: "
	    "cannot open"));
	free(diag);
}

static void
test_no_diag_stream(void)
{
	unsigned n_err = 0;

	CU_ASSERT_PTR_NULL(scenario_load_buffer("x", "nodes: 1\n", 9, NULL,
	    &n_err));
	CU_ASSERT_EQUAL(n_err, 1);
	/* Not NUL-terminated: the length is what counts. */
	CU_ASSERT_PTR_NULL(scenario_load_buffer("x", "nodes: [", 7, NULL,
	    NULL));
}

/*
 * The committed schema and reference are what the tables generate. With
 * XCSIM_UPDATE_GENERATED=1 in the environment, rewrite them instead.
 */
static void
check_generated(const char *path, void (*gen)(FILE *))
{
	char *want = NULL, *have;
	size_t len = 0;
	FILE *f = open_memstream(&want, &len);

	gen(f);
	fclose(f);
	if (getenv("XCSIM_UPDATE_GENERATED") != NULL) {
		FILE *out = fopen(path, "w");

		CU_ASSERT_PTR_NOT_NULL_FATAL(out);
		fputs(want, out);
		fclose(out);
	}
	have = test_slurp(path, NULL);
	CU_ASSERT_PTR_NOT_NULL(have);
	if (have == NULL || strcmp(have, want) != 0) {
		CU_FAIL("generated file is stale");
		fprintf(stderr, "\n  %s is stale: run XCSIM_UPDATE_GENERATED=1 "
		    "build/test_scenario and commit it\n", path);
	}
	free(have);
	free(want);
}

static void
test_schema_up_to_date(void)
{
	check_generated(SRC "/scenarios/schema.json", scenario_write_schema);
}

static void
test_reference_up_to_date(void)
{
	check_generated(SRC "/docs/scenario-reference.md",
	    scenario_write_reference);
}

/* The seed corpus of the fuzzer: good files load, bad files do not. */
static void
test_fuzz_corpus(void)
{
	static const struct {
		const char *file;
		bool good;
	} files[] = {
		{ "default.yaml", true },
		{ "minimal.yaml", true },
		{ "directions.yaml", true },
		{ "bad-keys.yaml", false },
		{ "bad-refs.yaml", false },
		{ "bad-syntax.yaml", false },
		{ "timeline.yaml", true },
		{ "bad-names.yaml", false },
		{ "tcp.yaml", true },
		{ "bad-tcp.yaml", false },
		{ "bfd.yaml", true },
		{ "bad-bfd.yaml", false },
		{ "bgp.yaml", true },
		{ "bad-bgp.yaml", false },
	};
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[512];
		unsigned n_err = 0;
		struct scenario *sc;

		snprintf(path, sizeof(path), "%s/tests/fuzz/scenario/%s", SRC,
		    files[i].file);
		sc = scenario_load_file(path, NULL, &n_err);
		CU_ASSERT_EQUAL(sc != NULL, files[i].good);
		CU_ASSERT_EQUAL(n_err == 0, files[i].good);
		if ((sc != NULL) != files[i].good)
			fprintf(stderr, "\n  %s: %u errors\n", path, n_err);
		scenario_free(sc);
	}
}

static const struct test_case cases[] = {
	{ "default.yaml loads with the expected contents", test_default_scenario },
	{ "defaults are applied", test_minimal_and_defaults },
	{ "per-direction link overrides", test_link_directions },
	{ "every optional key parses", test_everything_else_parses },
	{ "each bad input: exact line:col and message", test_bad_inputs },
	{ "every error in a file is reported", test_every_error_is_reported },
	{ "anchors and aliases share values", test_aliases },
	{ "alias bombs stop with an error", test_alias_bomb },
	{ "deep nesting does not recurse", test_deep_nesting },
	{ "a missing file is an error", test_missing_file },
	{ "no diag stream, unterminated buffer", test_no_diag_stream },
	{ "scenarios/schema.json is up to date", test_schema_up_to_date },
	{ "docs/scenario-reference.md is up to date", test_reference_up_to_date },
	{ "fuzz seed corpus loads as labelled", test_fuzz_corpus },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	scenario_models_init();	/* the generated files show every model */
	return test_main(argc, argv, "scenario", cases);
}
