/*
 * test_gates_acl.c - acl rules and bindings following their gates: a rule
 * that starts allowing traffic when its gate opens (and, closed again,
 * lets only the flow it had tracked by), the evaluation order of the
 * other rules kept around it, and a binding that filters nothing once its
 * gate closes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acl.h"
#include "acl_scenario.h"
#include "apps.h"
#include "net.h"
#include "scenario.h"
#include "sim.h"
#include "scenario_models.h"
#include "scenario_run.h"
#include "scenario_testutil.h"
#include "testutil.h"
#include "wire.h"

#define HOSTS \
    "duration: 10s\n" \
    "nodes:\n" \
    "  - { name: h1, role: host, interfaces: [{ name: e0, address: " \
    "10.0.0.1/30 }] }\n" \
    "  - { name: h2, role: host, interfaces: [{ name: e0, address: " \
    "10.0.0.2/30 }] }\n" \
    "links:\n" \
    "  - { name: l1, a: h1:e0, b: h2:e0, delay: 1ms }\n" \
    "apps:\n" \
    "  - { name: p, type: ping, node: h1, dst: h2, start: 500ms, " \
    "interval: 1s, count: 9, timeout: 400ms }\n"

/*
 * The binding on h1:e0 protects h2: h1's echo requests are inbound to
 * it. Rule icmp (priority 100) opens at 3 s and closes at 6 s; below it
 * web (200, tcp 80) and everything else denied (4096).
 */
static const char rule_text[] = HOSTS
    "gates:\n"
    "  - { name: rule/icmp, open: false, changes: [{ at: 3s, open: true }, "
    "{ at: 6s, open: false }] }\n"
    "acls:\n"
    "  - name: nsg\n"
    "    label: nsg\n"
    "    mode: first_match\n"
    "    rules:\n"
    "      - { name: icmp, direction: inbound, priority: 100, protocol: "
    "icmp, gate: rule/icmp }\n"
    "      - { name: web, direction: inbound, priority: 200, protocol: tcp, "
    "destination_ports: 80 }\n"
    "      - { name: deny-all, direction: inbound, priority: 4096, "
    "action: deny }\n"
    "      - { name: out, direction: outbound, priority: 100 }\n"
    "acl_bindings:\n"
    "  - { node: h1, iface: e0, acls: [nsg] }\n";

static struct run *
start(const char *text, struct scenario **sc)
{
	struct run_opts o = { 0 };
	char *diag = NULL, err[256];
	unsigned n = 0;
	struct run *r;

	*sc = load(text, &diag, &n);
	if (*sc == NULL)
		fprintf(stderr, "%s", diag);
	free(diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(*sc);
	r = run_new(*sc, &o, err, sizeof(err));
	if (r == NULL)
		fprintf(stderr, "run_new: %s\n", err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	return r;
}

/* What the binding says of a new flow: the deciding rule's name or "". */
static const char *
verdict(struct acl_binding *b, uint8_t proto, uint16_t dport, bool *allow)
{
	struct acl_tuple t;
	static struct acl_decision d;

	memset(&t, 0, sizeof(t));
	t.src = 0x0a000001u;
	t.dst = 0x0a000002u;
	t.proto = proto;
	t.l4 = true;
	t.sport = 40000;
	t.dport = dport;
	t.icmp_type = proto == WIRE_IPPROTO_ICMP ? (int)WIRE_ICMP_ECHO : -1;
	t.icmp_code = proto == WIRE_IPPROTO_ICMP ? 0 : -1;
	CU_ASSERT_EQUAL(acl_explain(b, ACL_INBOUND, &t, &d), 0);
	*allow = d.allow;
	if (d.decider >= d.n_hits || d.hit[d.decider].rule == NULL)
		return "";
	return d.hit[d.decider].rule->name;
}

static void
test_rule(void)
{
	const struct acl_counters *c;
	struct acl_binding *b;
	struct scenario *sc;
	const struct app *a;
	struct run *r;
	bool allow;
	size_t i;

	r = start(rule_text, &sc);
	b = acl_scenario_binding(run_section_state(r, "acl_bindings"), "h1",
	    "e0");
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	/* closed: as if absent; the others in their order */
	CU_ASSERT_FALSE(acl_rule_active(acl_binding_acl(b, 0), 0));
	CU_ASSERT_TRUE(acl_rule_active(acl_binding_acl(b, 0), 1));
	CU_ASSERT_STRING_EQUAL(verdict(b, WIRE_IPPROTO_ICMP, 0, &allow),
	    "deny-all");
	CU_ASSERT_FALSE(allow);
	CU_ASSERT_STRING_EQUAL(verdict(b, WIRE_IPPROTO_TCP, 80, &allow),
	    "web");
	CU_ASSERT_TRUE(allow);
	run_advance(r, SIM_S(3) - 1);
	CU_ASSERT_STRING_EQUAL(verdict(b, WIRE_IPPROTO_ICMP, 0, &allow),
	    "deny-all");
	run_advance(r, SIM_S(3));
	CU_ASSERT_TRUE(acl_rule_active(acl_binding_acl(b, 0), 0));
	CU_ASSERT_STRING_EQUAL(verdict(b, WIRE_IPPROTO_ICMP, 0, &allow),
	    "icmp");
	CU_ASSERT_TRUE(allow);
	CU_ASSERT_STRING_EQUAL(verdict(b, WIRE_IPPROTO_TCP, 80, &allow),
	    "web");
	run_advance(r, SIM_S(6));
	/* closed again: a new flow is denied, the tracked ping goes on */
	CU_ASSERT_STRING_EQUAL(verdict(b, WIRE_IPPROTO_ICMP, 0, &allow),
	    "deny-all");
	CU_ASSERT_FALSE(allow);
	while (run_advance(r, run_end_time(r)))
		;
	a = run_app(r, "p");
	CU_ASSERT_EQUAL_FATAL(ping_n_probes(a), 9);
	for (i = 0; i < 9; i++) {
		const struct probe *pr = ping_probe(a, i);

		CU_ASSERT_EQUAL(pr->sent, SIM_MS(500) + (sim_time)i * SIM_S(1));
		CU_ASSERT_EQUAL(pr->result == PROBE_REPLY, i >= 3);
	}
	c = acl_binding_counters(b);
	/* the three before 3 s, each by deny-all (rule 2) */
	CU_ASSERT_EQUAL(c->denied, 3);
	CU_ASSERT_EQUAL(acl_binding_denials(b, 0, 2), 3);
	CU_ASSERT_EQUAL(c->flows_created, 1);
	/*
	 * the request of 3.5 s by the rule, every later packet of its flow
	 * (one echo identifier) as tracked, after 6 s too
	 */
	CU_ASSERT_EQUAL(c->allowed, 12);
	CU_ASSERT_EQUAL(c->allowed_tracked, 11);
	run_free(r);
	scenario_free(sc);
}

/* Every ping is denied, until the binding's gate closes at 3 s. */
static const char bind_text[] = HOSTS
    "gates:\n"
    "  - { name: nsg/h1, changes: [{ at: 3s, open: false }] }\n"
    "acls:\n"
    "  - name: nsg\n"
    "    label: nsg\n"
    "    mode: first_match\n"
    "    rules:\n"
    "      - { name: deny-all, direction: inbound, priority: 4096, "
    "action: deny }\n"
    "acl_bindings:\n"
    "  - { node: h1, iface: e0, acls: [nsg], gate: nsg/h1 }\n";

static void
test_binding(void)
{
	struct acl_binding *b;
	struct scenario *sc;
	const struct app *a;
	struct run *r;
	bool allow;
	size_t i;

	r = start(bind_text, &sc);
	b = acl_scenario_binding(run_section_state(r, "acl_bindings"), "h1",
	    "e0");
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_TRUE(acl_binding_active(b));
	CU_ASSERT_STRING_EQUAL(verdict(b, WIRE_IPPROTO_ICMP, 0, &allow),
	    "deny-all");
	CU_ASSERT_FALSE(allow);
	run_advance(r, SIM_S(3));
	CU_ASSERT_FALSE(acl_binding_active(b));
	verdict(b, WIRE_IPPROTO_ICMP, 0, &allow);
	CU_ASSERT_TRUE(allow);
	while (run_advance(r, run_end_time(r)))
		;
	a = run_app(r, "p");
	CU_ASSERT_EQUAL_FATAL(ping_n_probes(a), 9);
	for (i = 0; i < 9; i++)
		CU_ASSERT_EQUAL(ping_probe(a, i)->result == PROBE_REPLY, i >= 3);
	/* closed, it counted nothing more */
	CU_ASSERT_EQUAL(acl_binding_counters(b)->denied, 3);
	CU_ASSERT_EQUAL(acl_binding_counters(b)->allowed, 0);
	run_free(r);
	scenario_free(sc);
}

static void
api_rule(struct acl *a, const char *name, uint32_t prio, bool allow,
    uint16_t dport)
{
	struct acl_rule r;

	memset(&r, 0, sizeof(r));
	r.name = (char *)(uintptr_t)name;
	r.dir = ACL_INBOUND;
	r.priority = prio;
	r.allow = allow;
	r.proto = WIRE_IPPROTO_TCP;
	r.sport[1] = 65535;
	r.dport[0] = dport;
	r.dport[1] = dport != 0 ? dport : 65535;
	r.icmp_type = r.icmp_code = -1;
	r.src.any = r.dst.any = true;
	acl_add_rule(a, &r);
}

/*
 * The acl API alone: a rule set inactive before others are added keeps
 * its index, and the order of the active ones stays by priority.
 */
static void
test_api_order(void)
{
	struct sim *sim = sim_new(1);
	struct net *net = net_new(sim);
	struct node *n = net_add_node(net, "v", "router", NULL, NULL);
	uint32_t ifx = node_add_iface(n, "nic", NULL, 0x0a000001u, 24, 0);
	struct acl *a = acl_new("a", "nsg", ACL_FIRST_MATCH);
	struct acl_binding *b;
	char err[128];
	bool allow;

	api_rule(a, "allow-22", 100, true, 22);		/* 0 */
	api_rule(a, "deny-tcp", 300, false, 0);		/* 1 */
	acl_rule_set_active(a, 0, false);
	api_rule(a, "deny-22", 200, false, 22);		/* 2 */
	api_rule(a, "allow-80", 50, true, 80);		/* 3 */
	CU_ASSERT_EQUAL(acl_n_rules(a), 4);
	CU_ASSERT_STRING_EQUAL(acl_rule_at(a, 2)->name, "deny-22");
	b = acl_bind(n, ifx, &a, 1, ACL_ALL, 10, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_STRING_EQUAL(verdict(b, WIRE_IPPROTO_TCP, 22, &allow),
	    "deny-22");
	CU_ASSERT_FALSE(allow);
	CU_ASSERT_STRING_EQUAL(verdict(b, WIRE_IPPROTO_TCP, 80, &allow),
	    "allow-80");
	CU_ASSERT_STRING_EQUAL(verdict(b, WIRE_IPPROTO_TCP, 81, &allow),
	    "deny-tcp");
	/* bound, back in its place ahead of deny-22 */
	acl_rule_set_active(a, 0, true);
	CU_ASSERT_STRING_EQUAL(verdict(b, WIRE_IPPROTO_TCP, 22, &allow),
	    "allow-22");
	CU_ASSERT_TRUE(allow);
	acl_rule_set_active(a, 3, false);
	CU_ASSERT_STRING_EQUAL(verdict(b, WIRE_IPPROTO_TCP, 80, &allow),
	    "deny-tcp");
	acl_unbind(b);
	acl_free(a);
	net_free(net);
	sim_free(sim);
}

static void
test_errors(void)
{
	static const char bad[] = HOSTS
	    "gates:\n"
	    "  - { name: nsg/h1 }\n"
	    "acls:\n"					/* 11 */
	    "  - name: nsg\n"
	    "    label: nsg\n"
	    "    mode: first_match\n"
	    "    rules:\n"
	    "      - { name: a, direction: inbound, priority: 1, gate: nsg/h2 }\n"
	    "acl_bindings:\n"
	    "  - { node: h1, iface: e0, acls: [nsg], gate: nsg/g1 }\n";
	struct scenario *sc;
	char *diag = NULL;
	unsigned n = 0;

	sc = load(bad, &diag, &n);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT(has_error(diag, "16:59", "unknown gate 'nsg/h2' (did you "
	    "mean 'nsg/h1'?)"));
	CU_ASSERT(has_error(diag, "18:47", "unknown gate 'nsg/g1' (did you "
	    "mean 'nsg/h1'?)"));
	CU_ASSERT_EQUAL(n, 2);
	free(diag);
}

/*
 * Rules sharing a name and a priority under two gates: accepted only
 * when the gates are never open at once (one closing at 4 s as the other
 * opens: versions of one rule over time); gates open together from 4 s
 * would put both in the acl, the file's order deciding: refused, in
 * either order. A gate opening only after the run's end is never open in
 * it.
 */
static void
test_versions(void)
{
	static const char *const gates[] = {
		/* disjoint: accepted */
		"  - { name: g1, changes: [{ at: 4s, open: false }] }\n"
		"  - { name: g2, open: false, changes: [{ at: 4s, open: true }] }\n",
		/* open together from 6 s: refused */
		"  - { name: g1, changes: [{ at: 4s, open: false }, "
		"{ at: 6s, open: true }] }\n"
		"  - { name: g2, open: false, changes: [{ at: 4s, open: true }] }\n",
		/* both open (the reviewer's acl4/acl5): refused */
		"  - { name: g1 }\n  - { name: g2 }\n",
		/* together only from 20 s, after the run (10 s): accepted */
		"  - { name: g1, changes: [{ at: 4s, open: false }, "
		"{ at: 20s, open: true }] }\n"
		"  - { name: g2, open: false, changes: [{ at: 4s, open: true }] }\n",
	};
	static const bool ok[] = { true, false, false, true };
	static const char *const order[2][2] = { { "g1", "g2" },
		{ "g2", "g1" } };
	size_t i, k;

	for (i = 0; i < sizeof(gates) / sizeof(gates[0]); i++)
		for (k = 0; k < 2; k++) {
			char text[2048], msg[160];
			struct scenario *sc;
			char *diag = NULL;
			unsigned n = 0;

			snprintf(text, sizeof(text), HOSTS "gates:\n%s"
			    "acls:\n  - name: x\n    mode: first_match\n"
			    "    rules:\n"
			    "      - { name: r, direction: inbound, priority: "
			    "100, protocol: icmp, gate: %s }\n"
			    "      - { name: r, direction: inbound, priority: "
			    "100, action: deny, protocol: icmp, gate: %s }\n"
			    "acl_bindings:\n  - { node: h1, iface: e0, "
			    "acls: [x] }\n", gates[i], order[k][0],
			    order[k][1]);
			sc = load(text, &diag, &n);
			if ((sc != NULL) != ok[i])
				fprintf(stderr, "case %zu/%zu:\n%s", i, k,
				    diag != NULL ? diag : "loaded\n");
			CU_ASSERT_EQUAL(sc != NULL, ok[i]);
			if (!ok[i]) {
				snprintf(msg, sizeof(msg), ":17:17: error: "
				    "duplicate rule 'r' in acl 'x' (first at "
				    "16:17): gates '%s' and '%s' can be open "
				    "at once", order[k][1], order[k][0]);
				if (strstr(diag, msg) == NULL)
					fprintf(stderr, "want %s in:\n%s", msg,
					    diag);
				CU_ASSERT(strstr(diag, msg) != NULL);
				CU_ASSERT(strstr(diag, "priority 100 is taken "
				    "by rule 'r'") != NULL);
				CU_ASSERT_EQUAL(n, 2);
			}
			if (sc != NULL)
				scenario_free(sc);
			free(diag);
		}
}

int
main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{ "rule", test_rule },
		{ "binding", test_binding },
		{ "api_order", test_api_order },
		{ "errors", test_errors },
		{ "versions", test_versions },
		{ NULL, NULL }
	};

	scenario_models_init();
	return test_main(argc, argv, "gates_acl", cases);
}
