/*
 * test_query_path.c - path queries (models/query/query_path.c): the hops
 * of a packet with the route at each, the filter verdicts by rule name and
 * priority where it comes in and goes out, the reply passing a stateful
 * filter as a tracked flow, a stateless one needing its own rule, drops by
 * a rule, by a missing route and on a down link, and that asking changes
 * nothing in the run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acl.h"
#include "net.h"
#include "query.h"
#include "scenario.h"
#include "scenario_models.h"
#include "scenario_run.h"
#include "scenario_testutil.h"
#include "testutil.h"
#include "wire.h"

/*
 * app (10.1.1.4) -- r -- db (10.2.1.10). On r's interface toward db, an
 * NSG-like first_match acl allows tcp 1521 from 10.1.0.0/16 and denies the
 * rest inbound; toward app, an OCI-like any_allow list allows udp 53 from
 * anywhere statelessly and nothing else, so a reply to app passes only as
 * a tracked flow. The link r--db goes down at 5 s.
 */
static const char text[] =
	"name: p\n"
	"duration: 10s\n"
	"nodes:\n"
	"  - name: app\n"
	"    role: host\n"
	"    interfaces: [{ name: eth0, address: 10.1.1.4/24 }]\n"
	"    routes: [{ prefix: 0.0.0.0/0, via: 10.1.1.1 }]\n"
	"  - name: r\n"
	"    role: router\n"
	"    interfaces:\n"
	"      - { name: to-app, address: 10.1.1.1/24 }\n"
	"      - { name: to-db, address: 10.2.1.1/24 }\n"
	"  - name: db\n"
	"    role: host\n"
	"    interfaces: [{ name: ens3, address: 10.2.1.10/24 }]\n"
	"    routes: [{ prefix: 0.0.0.0/0, via: 10.2.1.1 }]\n"
	"links:\n"
	"  - { name: l1, a: 'app:eth0', b: 'r:to-app', rate: 1Gbps, "
	"delay: 1ms }\n"
	"  - { name: l2, a: 'r:to-db', b: 'db:ens3', rate: 1Gbps, "
	"delay: 1ms }\n"
	"events:\n"
	"  - { at: 5s, action: link-down, link: l2 }\n"
	"acls:\n"
	"  - name: db-nsg\n"
	"    label: nsg\n"
	"    rules:\n"
	"      - { name: AllowDb, direction: inbound, priority: 100, "
	"protocol: tcp, source: [10.1.0.0/16], destination_ports: \"1521\" }\n"
	"      - { name: DenyAll, direction: inbound, priority: 4096, "
	"action: deny }\n"
	"      - { name: AllowOut, direction: outbound, priority: 100 }\n"
	"  - name: app-list\n"
	"    label: security-list\n"
	"    mode: any_allow\n"
	"    rules:\n"
	"      - { name: dns, direction: inbound, protocol: udp, "
	"destination_ports: \"53\", stateless: true }\n"
	"      - { name: out, direction: outbound }\n"
	"acl_bindings:\n"
	"  - { node: r, iface: to-db, acls: [db-nsg] }\n"
	"  - { node: r, iface: to-app, acls: [app-list], combine: any }\n";

static struct run *
run_to(struct scenario **scp, sim_time at)
{
	struct run_opts o = { 0 };
	char *diag = NULL, err[256];
	unsigned nerr = 0;
	struct run *r;

	scenario_models_init();
	*scp = load(text, &diag, &nerr);
	if (*scp == NULL)
		fprintf(stderr, "%s", diag);
	free(diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(*scp);
	r = run_new(*scp, &o, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	run_advance(r, at);
	return r;
}

static char *
path(struct run *r, const char *from, uint8_t proto, uint16_t dport,
    bool json, int *rc)
{
	struct query_probe p = { .dst = 0, .proto = proto, .sport = 40000,
	    .dport = dport };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct node *n = net_find_node(run_net(r), from);

	p.dst = strcmp(from, "app") == 0 ? 0x0a02010a : 0x0a010104;
	*rc = query_path(f, r, n, &p, json);
	fclose(f);
	return buf;
}

static void
test_allowed_both_ways(void)
{
	struct scenario *sc;
	struct run *r = run_to(&sc, SIM_S(1));
	char *out;
	int rc;

	out = path(r, "app", WIRE_IPPROTO_TCP, 1521, false, &rc);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "Path from app (10.1.1.4) to "
	    "10.2.1.10, tcp 40000 -> 1521"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "10.2.1.0/24 connected dev to-db"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "out: nsg db-nsg allows (rule "
	    "AllowDb, priority 100)"));
	/*
	 * The way back: both filters let the request through by stateful
	 * rules, so the reply passes each as part of the tracked flow,
	 * whatever their rules say of it (AllowOut is never consulted).
	 */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "in: allowed as the reply of a "
	    "tracked flow"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "out: allowed as the reply of a "
	    "tracked flow"));
	CU_ASSERT_PTR_NULL(strstr(out, "AllowOut"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "     => delivered\n\nReturn path "
	    "from db (10.2.1.10)"));
	free(out);
	run_free(r);
	scenario_free(sc);
}

static void
test_denied_by_rule(void)
{
	struct scenario *sc;
	struct run *r = run_to(&sc, SIM_S(1));
	char *out;
	int rc;

	out = path(r, "app", WIRE_IPPROTO_TCP, 22, false, &rc);
	CU_ASSERT_EQUAL(rc, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "out: nsg db-nsg denies (rule "
	    "DenyAll, priority 4096)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "=> dropped by a filter where it "
	    "went out"));
	CU_ASSERT_PTR_NULL(strstr(out, "Return path"));
	free(out);
	/* from db, tcp 80 toward app: app-list has no rule for it */
	out = path(r, "db", WIRE_IPPROTO_TCP, 80, false, &rc);
	CU_ASSERT_EQUAL(rc, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "out: security-list app-list "
	    "denies (no rule matched)"));
	free(out);
	run_free(r);
	scenario_free(sc);
}

/* A stateless allow is not tracked: the reply needs a rule of its own. */
static void
test_stateless_reply_needs_a_rule(void)
{
	struct scenario *sc;
	struct run *r = run_to(&sc, SIM_S(1));
	char *out;
	int rc;

	out = path(r, "db", WIRE_IPPROTO_UDP, 53, false, &rc);
	/* there: db-nsg outbound AllowOut, app-list inbound dns (stateless) */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "out: security-list app-list "
	    "allows (rule dns, stateless)"));
	/* back: app-list judges the reply by its rules (outbound 'out') */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "in: security-list app-list allows "
	    "(rule out)"));
	/* and db-nsg tracked its outbound allow: the reply passes as such */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "allowed as the reply of a tracked "
	    "flow"));
	CU_ASSERT_EQUAL(rc, 0);
	free(out);
	run_free(r);
	scenario_free(sc);
}

static void
test_link_down_and_json(void)
{
	struct scenario *sc;
	struct run *r = run_to(&sc, SIM_S(6));
	char *out;
	int rc;

	/* an echo is denied at to-db before the link matters */
	out = path(r, "app", WIRE_IPPROTO_ICMP, 0, false, &rc);
	CU_ASSERT_EQUAL(rc, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "denies (rule DenyAll, priority "
	    "4096)"));
	free(out);
	out = path(r, "app", WIRE_IPPROTO_TCP, 1521, false, &rc);
	CU_ASSERT_EQUAL(rc, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "(link l2 is down)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "=> dropped: the link is down"));
	free(out);
	out = path(r, "app", WIRE_IPPROTO_TCP, 1521, true, &rc);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "{\"from\": \"app\", \"src\": "
	    "\"10.1.1.4\", \"dst\": \"10.2.1.10\", \"proto\": 6, \"sport\": "
	    "40000, \"dport\": 1521, \"there\": {\"hops\": [{\"node\": "
	    "\"app\", \"in\": \"\", \"vrf\": \"default\", \"route\": "
	    "\"0.0.0.0/0 static via 10.1.1.1 dev eth0\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"result\": \"dropped: the link is "
	    "down\", \"delivered\": false}}"));
	free(out);
	run_free(r);
	scenario_free(sc);
}

/* Asking twice answers the same, and the run's counters do not move. */
static void
test_no_side_effects(void)
{
	struct scenario *sc;
	struct run *r = run_to(&sc, SIM_S(1));
	char *a, *b;
	int rc;

	a = path(r, "app", WIRE_IPPROTO_TCP, 1521, false, &rc);
	b = path(r, "app", WIRE_IPPROTO_TCP, 1521, false, &rc);
	CU_ASSERT_STRING_EQUAL(a, b);
	free(a);
	free(b);
	run_free(r);
	scenario_free(sc);
}

static char *
concat(const char *a, const char *b)
{
	char *s = malloc(strlen(a) + strlen(b) + 1);

	strcpy(s, a);
	strcat(s, b);
	return s;
}

/*
 * The same questions as assertions: sampled at their `at` (the link goes
 * down at 5 s) or at the end, each PASS or FAIL as expected.
 */
static void
test_assertions(void)
{
	static const char asserts[] =
	    "assertions:\n"
	    "  - { kind: path, from: app, to: db, at: 1s, via: [r] }\n"
	    "  - { kind: path, from: app, to: db, at: 6s, delivered: false }\n"
	    "  - { kind: path, from: app, to: db, port: 22, delivered: false }\n"
	    "  - { kind: path, from: app, to: 10.2.1.10, at: 1s, via: [db, r] }\n"
	    "  - { kind: rule-verdict, from: app, to: db, port: 22, acl: "
	    "db-nsg, rule: DenyAll, verdict: deny, at: 2s }\n"
	    "  - { kind: rule-verdict, from: app, to: db, acl: db-nsg, rule: "
	    "AllowDb, verdict: allow, at: 2s }\n"
	    "  - { kind: rule-verdict, from: app, to: db, acl: app-list, "
	    "verdict: deny, at: 2s }\n"
	    "  - { kind: effective-route, table: r, dst: 10.2.1.10, source: "
	    "connected, at: 1s }\n"
	    "  - { kind: effective-route, table: app, prefix: 0.0.0.0/0, "
	    "next_hop: 10.1.1.1, source: static }\n"
	    "  - { kind: effective-route, table: app, prefix: 10.9.0.0/16, "
	    "absent: true }\n"
	    "  - { kind: effective-route, table: r, prefix: 10.9.0.0/16 }\n";
	char *textall = concat(text, asserts), *diag = NULL,
	    *out = NULL;
	struct scenario *sc;
	unsigned nerr = 0, failed;

	scenario_models_init();
	sc = load(textall, &diag, &nerr);
	if (sc == NULL)
		fprintf(stderr, "%s", diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	failed = sc_run_to_end(sc, 0, NULL, &out);
	/* the 4th (db before r), 7th (app-list allows) and 11th fail */
	CU_ASSERT_EQUAL(failed, 3);
	if (failed != 3)
		fprintf(stderr, "%s", out);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:42: FAIL: at 1s: path app -> "
	    "10.2.1.10: delivered [app r db]"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:40: PASS: at 6s: path app -> "
	    "db: dropped: the link is down [app r]"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:43: PASS: at 2s: acl db-nsg "
	    "on path app -> db: deny by DenyAll"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:45: FAIL: at 2s: acl "
	    "app-list on path app -> db: allow by out"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:47: PASS: app/default "
	    "0.0.0.0/0: static via 10.1.1.1 dev eth0"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:49: FAIL: r/default "
	    "10.9.0.0/16: none"));
	scenario_free(sc);
	free(textall);
	free(diag);
	free(out);
}

static void
test_assertion_errors(void)
{
	static const char bad[] =
	    "assertions:\n"
	    "  - { kind: path, from: ap, to: db }\n"
	    "  - { kind: path, from: app, to: 10.2.1 }\n"
	    "  - { kind: rule-verdict, from: app, to: db, acl: db-nsgg, "
	    "verdict: deny }\n"
	    "  - { kind: effective-route, table: rr/x, prefix: 10.0.0.0/8, "
	    "dst: 10.0.0.1 }\n"
	    "  - { kind: effective-route, table: r, prefix: 10.0.0.0/8, "
	    "absent: true, source: bgp }\n";
	char *textall = concat(text, bad), *diag = NULL;
	unsigned nerr = 0;

	scenario_models_init();
	CU_ASSERT_PTR_NULL(load(textall, &diag, &nerr));
	CU_ASSERT(has_error(diag, "39:25", "unknown node 'ap'"));
	CU_ASSERT(has_error(diag, "40:34", "unknown node '10.2.1'"));
	CU_ASSERT(has_error(diag, "41:51", "unknown acl 'db-nsgg'"));
	CU_ASSERT(has_error(diag, "42:37", "unknown node 'rr'"));
	CU_ASSERT(has_error(diag, "42:5", "give exactly one of prefix and dst"));
	CU_ASSERT(has_error(diag, "43:68", "absent: true with source"));
	CU_ASSERT_EQUAL(nerr, 6);
	if (nerr != 6)
		fprintf(stderr, "%s", diag);
	free(textall);
	free(diag);
}

static const struct test_case cases[] = {
	{ "allowed there and back, a tracked reply", test_allowed_both_ways },
	{ "denied by a rule, by name and priority", test_denied_by_rule },
	{ "a stateless allow needs a rule for the reply",
	    test_stateless_reply_needs_a_rule },
	{ "a down link, and the JSON form", test_link_down_and_json },
	{ "asking changes nothing", test_no_side_effects },
	{ "path, rule-verdict and effective-route assertions",
	    test_assertions },
	{ "assertion errors", test_assertion_errors },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "query_path", cases);
}
