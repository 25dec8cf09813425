/*
 * test_acl_scenario.c - the prefix_sets, acls and acl_bindings sections
 * (models/acl/acl_scenario.c): bad input with its exact messages and
 * places, and a run where a host pings through a router whose interface
 * toward the other host is bound: the echo requests die as DROP_FILTER
 * with the deny rule's name in the trace, while pings the other way pass
 * (their replies are a tracked flow), with the per-binding metrics and
 * byte-identical repeated runs; and acl_explain on a binding found in the
 * states of a built network, as the path query will use it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "acl_scenario.h"
#include "net.h"
#include "scenario.h"
#include "scenario_models.h"
#include "scenario_run.h"
#include "scenario_section.h"
#include "scenario_testutil.h"
#include "sim.h"
#include "testutil.h"
#include "trace.h"
#include "trace_read.h"

static const char bad[] =
    "duration: 1s\n"
    "nodes:\n"
    "  - { name: r, role: router, interfaces: [{ name: e0, address: "
    "10.0.1.1/24 }, { name: e1, address: 10.0.2.1/24 }] }\n"
    "prefix_sets:\n"
    "  - { name: lan, prefixes: [10.0.1.0/24, 10.0.2.1/24] }\n"	/* 5 */
    "  - { name: onprem, from_rib: [{ node: rr, source: bgp }] }\n"
    "acls:\n"
    "  - name: a1\n"
    "    rules:\n"
    "      - { name: x, direction: inbound, priority: 100 }\n"	/* 10 */
    "      - { name: y, direction: inbound, priority: 100 }\n"
    "      - { name: z, direction: outbound, priority: 100 }\n"
    "      - { direction: inbound }\n"
    "      - { name: p, direction: inbound, priority: 5, protocol: icmp, "
    "destination_ports: \"80\" }\n"
    "      - { name: q, direction: inbound, priority: 6, protocol: tcp, "
    "destination_ports: 90-80 }\n"				/* 15 */
    "      - { name: s, direction: inbound, priority: 7, source: [lna] }\n"
    "      - { name: t, direction: inbound, priority: 8, protocol: gre }\n"
    "      - { name: x, direction: outbound, priority: 9, icmp_code: 3 }\n"
    "  - name: a2\n"
    "    mode: any_allow\n"						/* 20 */
    "    rules:\n"
    "      - { direction: inbound, action: deny, priority: 10 }\n"
    "      - { direction: inbound, protocol: udp, source_ports: 1-2-3 }\n"
    "acl_bindings:\n"
    "  - { node: r, iface: e1, acls: [a1, a3] }\n"			/* 25 */
    "  - { node: r, iface: e1, acls: [a2] }\n"
    "  - { node: r, iface: e9, acls: [a2, a2] }\n";

static void
test_bad_input(void)
{
	struct scenario *sc;
	unsigned n = 0;
	char *diag = NULL;

	scenario_models_init();
	sc = load(bad, &diag, &n);
	CU_ASSERT_PTR_NULL(sc);
	if (n != 18)
		fprintf(stderr, "%s", diag);
	CU_ASSERT_EQUAL(n, 18);
	CU_ASSERT(has_error(diag, "5:42", "'prefixes': '10.0.2.1/24' is not "
	    "a prefix (a.b.c.d/len, host bits zero, or a.b.c.d)"));
	CU_ASSERT(has_error(diag, "6:40", "unknown node 'rr' (did you mean "
	    "'r'?)"));
	CU_ASSERT(has_error(diag, "11:50", "priority 100 is taken by rule 'x' "
	    "(at 10:9) among the inbound rules of acl 'a1'"));
	CU_ASSERT(has_error(diag, "13:9", "a first_match rule needs a name"));
	CU_ASSERT(has_error(diag, "13:9", "a first_match rule needs a "
	    "priority (1..65535)"));
	CU_ASSERT(has_error(diag, "14:88", "'destination_ports' needs "
	    "protocol tcp or udp"));
	CU_ASSERT(has_error(diag, "15:87", "'destination_ports': '90-80' is "
	    "not a port range (any, PORT or LOW-HIGH, 0..65535, LOW <= "
	    "HIGH)"));
	CU_ASSERT(has_error(diag, "16:62", "unknown prefix set 'lna' (did you "
	    "mean 'lan'?)"));
	CU_ASSERT(has_error(diag, "17:63", "'protocol': expected any, tcp, "
	    "udp, icmp or 0..255, got 'gre'"));
	CU_ASSERT(has_error(diag, "18:17", "duplicate rule 'x' in acl 'a1' "
	    "(first at 10:17)"));
	CU_ASSERT(has_error(diag, "18:65", "'icmp_code' needs icmp_type"));
	CU_ASSERT(has_error(diag, "22:39", "an any_allow acl only allows: "
	    "action deny needs mode first_match"));
	CU_ASSERT(has_error(diag, "22:55", "'priority' is for first_match "
	    "rules (any_allow rules have no order)"));
	CU_ASSERT(has_error(diag, "23:60", "'source_ports': '1-2-3' is not a "
	    "port range"));
	CU_ASSERT(has_error(diag, "25:38", "unknown acl 'a3' (did you mean "
	    "'a1'?)"));
	CU_ASSERT(has_error(diag, "26:5", "interface r:e1 has a binding "
	    "already (at 25:5): list every acl in one"));
	CU_ASSERT(has_error(diag, "27:23", "node 'r' has no interface 'e9' (did you "
	    "mean 'e0'?)"));
	CU_ASSERT(has_error(diag, "27:38", "acl 'a2' is twice in this "
	    "binding"));
	free(diag);
}

/* One error each, at its place. */
static void
expect_errors(const char *text, unsigned want, const char *const *at,
    const char *const *msg)
{
	struct scenario *sc;
	unsigned n = 0;
	char *diag = NULL;
	size_t i;

	sc = load(text, &diag, &n);
	CU_ASSERT_PTR_NULL(sc);
	if (n != want)
		fprintf(stderr, "%s", diag);
	CU_ASSERT_EQUAL(n, want);
	for (i = 0; i < want; i++)
		if (!has_error(diag, at[i], msg[i])) {
			fprintf(stderr, "%s", diag);
			CU_FAIL("an expected error is missing");
		}
	free(diag);
	if (sc != NULL)
		scenario_free(sc);
}

#define BAD_NODES \
    "duration: 1s\n" \
    "nodes:\n" \
    "  - { name: r, role: router, interfaces: [{ name: e0, address: " \
    "10.0.1.1/24 }, { name: e1, address: 10.0.2.1/24, vrf: blue }] }\n"

static void
test_empty_address_list(void)
{
	static const char text[] = BAD_NODES
	    "acls:\n"
	    "  - name: a1\n"
	    "    rules:\n"
	    "      - { name: x, direction: inbound, priority: 1, source: [] }\n"
	    "      - { name: y, direction: inbound, priority: 2, "
	    "destination: [] }\n";
	static const char *const at[] = { "7:61", "8:66" };
	static const char *const msg[] = {
	    "'source' is empty: omit it or write any",
	    "'destination' is empty: omit it or write any" };

	expect_errors(text, 2, at, msg);
}

static void
test_reserved_set_names(void)
{
	static const char text[] = BAD_NODES
	    "prefix_sets:\n"
	    "  - { name: any, prefixes: [10.0.0.0/8] }\n"
	    "  - { name: all, prefixes: [10.0.0.0/8] }\n"
	    "  - { name: 10.0.0.0, prefixes: [10.0.0.0/8] }\n";
	static const char *const at[] = { "5:13", "6:13", "7:13" };
	static const char *const msg[] = {
	    "'any' cannot name a prefix set: rules read it as a keyword",
	    "'all' cannot name a prefix set: rules read it as a keyword",
	    ("'10.0.0.0' cannot name a prefix set: rules read it as an "
	    "address") };

	expect_errors(text, 3, at, msg);
}

static void
test_acls_not_a_list(void)
{
	static const char text[] = BAD_NODES
	    "acls:\n"
	    "  - { name: a, rules: [{ name: x, direction: inbound, "
	    "priority: 1 }] }\n"
	    "acl_bindings:\n"
	    "  - { node: r, iface: e0, acls: a }\n"
	    "  - { node: r, iface: e1, acls: [] }\n";
	static const char *const at[] = { "7:33", "8:33" };
	static const char *const msg[] = { "expected a list",
	    "'acls' is empty: a binding needs at least one acl" };

	expect_errors(text, 2, at, msg);
}

static void
test_from_rib_vrf(void)
{
	static const char text[] = BAD_NODES
	    "route_tables:\n"
	    "  - { node: r, vrf: red }\n"
	    "prefix_sets:\n"
	    "  - name: s\n"
	    "    from_rib:\n"
	    "      - { node: r, source: connected }\n"
	    "      - { node: r, vrf: blue, source: connected }\n"
	    "      - { node: r, vrf: red, source: connected }\n"
	    "      - { node: r, vrf: bleu, source: connected }\n";
	static const char *const at[] = { "12:25" };
	static const char *const msg[] = { "node 'r' has no VRF 'bleu' (no "
	    "interface in it, no route_tables item for it)" };

	expect_errors(text, 1, at, msg);
}

/*
 * h1 - r - h2; r:e1 faces h2 and carries h2's acl: what r sends out of
 * e1 is inbound to h2. ICMP to h2 is denied by rule, everything from the
 * lan (a set following r's connected routes, named as a scalar rather
 * than a list) allowed, and h2 may send
 * anything out: its pings' replies pass as a tracked flow though
 * DenyIcmpIn matches them.
 */
static const char ping[] =
    "duration: 2s\n"
    "seed: 3\n"
    "nodes:\n"
    "  - { name: h1, role: host, interfaces: [{ name: eth0, address: "
    "10.0.1.2/24 }], routes: [{ prefix: 0.0.0.0/0, via: 10.0.1.1 }] }\n"
    "  - { name: r, role: router, interfaces: [{ name: e0, address: "
    "10.0.1.1/24 }, { name: e1, address: 10.0.2.1/24 }] }\n"
    "  - { name: h2, role: host, interfaces: [{ name: eth0, address: "
    "10.0.2.2/24 }], routes: [{ prefix: 0.0.0.0/0, via: 10.0.2.1 }] }\n"
    "links:\n"
    "  - { name: l1, a: h1:eth0, b: r:e0, delay: 1ms }\n"
    "  - { name: l2, a: r:e1, b: h2:eth0, delay: 1ms }\n"
    "prefix_sets:\n"
    "  - { name: lan, from_rib: [{ node: r, source: connected }] }\n"
    "acls:\n"
    "  - name: h2-nsg\n"
    "    label: nsg\n"
    "    rules:\n"
    "      - { name: DenyIcmpIn, direction: inbound, priority: 100, "
    "action: deny, "
    "protocol: icmp }\n"
    "      - { name: AllowLanIn, direction: inbound, priority: 200, "
    "source: lan }\n"
    "      - { name: AllowAllOut, direction: outbound, priority: 100 }\n"
    "acl_bindings:\n"
    "  - { node: r, iface: e1, acls: [h2-nsg], conntrack_limit: 10 }\n"
    "apps:\n"
    "  - { name: in, type: ping, node: h1, dst: h2, start: 100ms, "
    "interval: 100ms, count: 5 }\n"
    "  - { name: out, type: ping, node: h2, dst: h1, start: 150ms, "
    "interval: 100ms, count: 5 }\n"
    "assertions:\n"
    "  - { kind: ping-fails, app: in }\n"
    "  - { kind: ping-succeeds, app: out }\n";

/* Every DROP_FILTER of the trace at path, "node detail\n" each. */
static void
filter_drops(const char *path, char *out, size_t outlen)
{
	struct trace_reader *rd;
	struct trace_rec rec;
	char err[256];
	size_t used = 0;
	int rc;

	out[0] = '\0';
	rd = trace_reader_open(path, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
	while ((rc = trace_reader_next(rd, &rec, err, sizeof(err))) == 1) {
		if (rec.type != TR_PKT_DROP ||
		    rec.u.drop.reason != DROP_FILTER)
			continue;
		used += (size_t)snprintf(out + used, outlen - used, "%u %s\n",
		    rec.u.drop.node, rec.u.drop.detail ? rec.u.drop.detail :
		    "(none)");
		CU_ASSERT_FATAL(used < outlen);
	}
	CU_ASSERT_EQUAL(rc, 0);
	trace_reader_close(rd);
}

static void
test_ping_through_binding(void)
{
	char *base = test_tmpdir("/tmp/xcsim-aclsc-XXXXXX");
	char d1[300], d2[300], p1[400], p2[400], drops[2048], *out = NULL;
	const char *files[] = { "metrics.json", "trace.xct" };
	struct scenario *sc;
	char *diag = NULL, *a, *b;
	unsigned n = 0;
	size_t la = 0, lb = 0, i;
	const char *line = "1 nsg h2-nsg rule DenyIcmpIn priority 100 "
	    "(inbound)\n";

	CU_ASSERT_PTR_NOT_NULL_FATAL(base);
	sc = load(ping, &diag, &n);
	if (sc == NULL)
		fprintf(stderr, "%s", diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	free(diag);
	snprintf(d1, sizeof(d1), "%s/one", base);
	snprintf(d2, sizeof(d2), "%s/two", base);
	CU_ASSERT_EQUAL(sc_run_to_end(sc, 0, d1, &out), 0);
	if (strstr(out, "FAIL") != NULL)
		fprintf(stderr, "%s", out);
	free(out);
	out = NULL;
	CU_ASSERT_EQUAL(sc_run_to_end(sc, 0, d2, &out), 0);
	free(out);
	snprintf(p1, sizeof(p1), "%s/trace.xct", d1);
	filter_drops(p1, drops, sizeof(drops));
	/* five echo requests, each dropped at r (node 1) by the rule */
	{
		const char *s = drops;
		int k;

		for (k = 0; k < 5; k++) {
			CU_ASSERT_EQUAL(strncmp(s, line, strlen(line)), 0);
			s += strlen(line);
		}
		CU_ASSERT_STRING_EQUAL(s, "");
	}
	for (i = 0; i < 2; i++) {
		snprintf(p1, sizeof(p1), "%s/%s", d1, files[i]);
		snprintf(p2, sizeof(p2), "%s/%s", d2, files[i]);
		a = test_slurp(p1, &la);
		b = test_slurp(p2, &lb);
		CU_ASSERT_PTR_NOT_NULL_FATAL(a);
		CU_ASSERT_PTR_NOT_NULL_FATAL(b);
		CU_ASSERT(la == lb && memcmp(a, b, la) == 0);
		if (i == 0) {
			if (strstr(a, "\"acl_bindings\"") == NULL)
				fprintf(stderr, "%s\n", a);
			/* 5 requests out (the first opens the flow) + 5 replies in */
			CU_ASSERT_PTR_NOT_NULL(strstr(a, "\"acl_bindings\": [\n"
			    "    {\"node\":\"r\",\"iface\":\"e1\",\"acls\":"
			    "[\"h2-nsg\"],\"allowed\":10,\"allowed_tracked\":9,"
			    "\"denied\":5,\"table_full\":0,\"flows\":1,"
			    "\"flows_peak\":1,\"flows_created\":1,\"denied_by\":"
			    "[{\"acl\":\"h2-nsg\",\"rule\":\"DenyIcmpIn\","
			    "\"priority\":100,\"packets\":5}]}\n  ]"));
			CU_ASSERT_PTR_NOT_NULL(strstr(a, "\"prefix_sets\": [\n"
			    "    {\"name\":\"lan\",\"prefixes\":2}\n  ]"));
		}
		free(a);
		free(b);
	}
	scenario_free(sc);
}

/*
 * The flows of metrics.json are those live at the end: the pings' flow
 * (ICMP, 30 s idle) is gone 30 s after the last reply at 0.551 s.
 */
static void
test_metrics_live_flows(void)
{
	char *base = test_tmpdir("/tmp/xcsim-aclsc-XXXXXX");
	char dir[300], path[400], *text, *out = NULL, *diag = NULL;
	const char *d2 = strstr(ping, "duration: 2s\n");
	struct scenario *sc;
	unsigned n = 0;
	size_t len = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(base);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d2);
	text = malloc(strlen(ping) + 2);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	snprintf(text, strlen(ping) + 2, "duration: 40s\n%s",
	    d2 + strlen("duration: 2s\n"));
	sc = load(text, &diag, &n);
	free(text);
	free(diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	snprintf(dir, sizeof(dir), "%s/one", base);
	CU_ASSERT_EQUAL(sc_run_to_end(sc, 0, dir, &out), 0);
	free(out);
	snprintf(path, sizeof(path), "%s/metrics.json", dir);
	text = test_slurp(path, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"table_full\":0,\"flows\":0,"
	    "\"flows_peak\":1,\"flows_created\":1,"));
	free(text);
	scenario_free(sc);
}

/*
 * What `xcsim path` will do: build the network, find the binding of an
 * interface in the run's states and ask acl_explain, with no packet sent.
 */
static void
test_explain_from_states(void)
{
	struct scenario *sc;
	struct sim *sim = sim_new(1);
	struct net *net = net_new(sim);
	struct app **apps = NULL;
	size_t n_apps = 0, i;
	char err[256], *diag = NULL;
	unsigned n = 0;
	void **states;
	struct sc_build b;
	struct sc_judge j;
	struct acl_binding *bd;
	struct acl_decision d;
	struct acl_tuple t;

	sc = load(ping, &diag, &n);
	free(diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	states = calloc(sc->n_sections, sizeof(*states));
	b = (struct sc_build){ .sc = sc, .sim = sim, .net = net,
	    .apps = &apps, .n_apps = &n_apps, .err = err,
	    .errlen = sizeof(err), .states = states };
	CU_ASSERT_EQUAL_FATAL(scenario_build(&b, SC_PHASE_NET), 0);
	j = (struct sc_judge){ .sc = sc, .sim = sim, .net = net,
	    .states = states };
	CU_ASSERT_PTR_NULL(acl_scenario_binding(sc_judge_state(&j,
	    "acl_bindings"), "r", "e0"));
	bd = acl_scenario_binding(sc_judge_state(&j, "acl_bindings"), "r",
	    "e1");
	CU_ASSERT_PTR_NOT_NULL_FATAL(bd);
	memset(&t, 0, sizeof(t));
	t.src = 0x0a000102;	/* h1 */
	t.dst = 0x0a000202;	/* h2 */
	t.proto = 1;
	t.icmp_type = 8;
	t.icmp_code = 0;
	t.l4 = true;
	CU_ASSERT_EQUAL(acl_explain(bd, ACL_INBOUND, &t, &d), 0);
	CU_ASSERT(!d.allow);
	CU_ASSERT_STRING_EQUAL(d.hit[d.decider].rule->name, "DenyIcmpIn");
	CU_ASSERT_STRING_EQUAL(d.reason, "nsg h2-nsg rule DenyIcmpIn priority "
	    "100 (inbound)");
	/* the lan set holds r's connected routes from the build on */
	t.proto = 6;
	t.icmp_type = t.icmp_code = -1;
	t.sport = 40000;
	t.dport = 22;
	CU_ASSERT_EQUAL(acl_explain(bd, ACL_INBOUND, &t, &d), 0);
	CU_ASSERT(d.allow);
	CU_ASSERT_STRING_EQUAL(d.hit[d.decider].rule->name, "AllowLanIn");
	CU_ASSERT_EQUAL(d.hit[d.decider].rule->priority, 200);
	t.src = 0xc0000201;	/* 192.0.2.1: not in the lan */
	CU_ASSERT_EQUAL(acl_explain(bd, ACL_INBOUND, &t, &d), 0);
	CU_ASSERT(!d.allow);
	CU_ASSERT_STRING_EQUAL(d.reason, "nsg h2-nsg: no rule matched "
	    "(inbound)");
	CU_ASSERT_EQUAL(acl_binding_counters(bd)->denied, 0);
	for (i = sc->n_sections; i-- > 0;)
		if (states[i] != NULL)
			sc->sections[i].sec->state_free(states[i]);
	free(states);
	net_free(net);
	sim_free(sim);
	scenario_free(sc);
}

/* The cells of a Markdown table row: its '|' not escaped, less one. */
static int
md_cells(const char *line, size_t len)
{
	int n = 0;
	size_t i;

	for (i = 0; i < len; i++)
		if (line[i] == '|' && (i == 0 || line[i - 1] != '\\'))
			n++;
	return n - 1;
}

/*
 * The reference's tables (docs/scenario-reference.md): every row has its
 * header's cells, though the acl rules' docs write "any | tcp | ...".
 */
static void
test_reference_rows(void)
{
	char *text = NULL, *p, *nl;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int header = -1, broken = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	scenario_write_reference(f);
	CU_ASSERT_EQUAL_FATAL(fclose(f), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "| `protocol` | string or integer "
	    "| `any` | any \\| tcp \\| udp \\| icmp \\| an IP protocol "
	    "number 0..255 |\n"));
	for (p = text; *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		if (nl == NULL)
			break;
		if (*p != '|') {
			header = -1;
			continue;
		}
		if (header < 0)
			header = md_cells(p, (size_t)(nl - p));
		else if (md_cells(p, (size_t)(nl - p)) != header) {
			fprintf(stderr, "%.*s\n", (int)(nl - p), p);
			broken++;
		}
	}
	CU_ASSERT_EQUAL(broken, 0);
	free(text);
}

static const struct test_case cases[] = {
	{ "bad acl sections, exact messages and places", test_bad_input },
	{ "an empty source or destination list is refused",
	    test_empty_address_list },
	{ "prefix set names a rule cannot use are refused",
	    test_reserved_set_names },
	{ "acls not a list: one error",
	    test_acls_not_a_list },
	{ "from_rib: a VRF the node does not have is refused",
	    test_from_rib_vrf },
	{ "a ping denied by rule shows as DROP_FILTER with the rule",
	    test_ping_through_binding },
	{ "metrics: flows are those live at the end",
	    test_metrics_live_flows },
	{ "acl_explain on a binding found in the run's states",
	    test_explain_from_states },
	{ "the reference's table rows keep their columns",
	    test_reference_rows },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	scenario_models_init();
	return test_main(argc, argv, "acl_scenario", cases);
}
