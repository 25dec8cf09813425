/*
 * test_maintenance_bgp.c - gated policy rules (a `gate:` on a rule of the
 * policies section) and the soft reconfiguration a gate change makes: the
 * way planned maintenance is signalled over BGP (docs/bgp-policy.md,
 * "Gated rules"; shared/facts/cloud-facts.md 1.7 and 2.8).
 *
 * Three routers: r3 (AS 65003) originates 10.3.0.0/24 and peers with r1
 * directly and through r2 (r1 and r2 without MRAI, r3 with the default
 * 30 s, which a soft reconfiguration does not wait for). r1 prefers the direct path (AS path 1 < 2)
 * until r3's gated export rule toward r1 opens at 20 s; it closes at 40 s.
 * Links 1 ms, 1 Gbps: an UPDATE sent at 20 s is r1's at 20 s + 1 ms + its
 * serialisation, and the route assertions print when the best route
 * they found became best ("since").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bgp_msg.h"
#include "bgp_policy_testutil.h"
#include "bgp_rib.h"
#include "bgp_scenario.h"
#include "bgp_speaker.h"
#include "net.h"
#include "scenario.h"
#include "scenario_models.h"
#include "scenario_run.h"
#include "scenario_testutil.h"
#include "testutil.h"

#define R1_R3 0x0a000d02u	/* r3 on l13 */
#define P3 0x0a030000u		/* 10.3.0.0 */

static const char base[] =
    "duration: 60s\n"
    "nodes:\n"
    "  - { name: r1, role: router, interfaces: [{ name: b, address: "
    "10.0.12.1/30 }, { name: c, address: 10.0.13.1/30 }] }\n"
    "  - { name: r2, role: router, interfaces: [{ name: a, address: "
    "10.0.12.2/30 }, { name: c, address: 10.0.23.1/30 }] }\n"
    "  - { name: r3, role: router, interfaces: [{ name: a, address: "
    "10.0.13.2/30 }, { name: b, address: 10.0.23.2/30 }] }\n"
    "links:\n"
    "  - { name: l12, a: r1:b, b: r2:a, rate: 1Gbps, delay: 1ms }\n"
    "  - { name: l13, a: r1:c, b: r3:a, rate: 1Gbps, delay: 1ms }\n"
    "  - { name: l23, a: r2:c, b: r3:b, rate: 1Gbps, delay: 1ms }\n"
    "gates:\n"
    "  - name: maint/r3\n"
    "    open: false\n"
    "    changes: [{ at: 20s, open: true }, { at: 40s, open: false }]\n"
    "policies:\n"
    "  - name: r3-to-r1\n"
    "    default: accept\n"
    "    rules: [@EXPORT@]\n"
    "  - name: r1-from-r3\n"
    "    default: accept\n"
    "    rules: [@IMPORT@]\n"
    "bgp:\n"
    "  - node: r1\n"
    "    asn: 65001\n"
    "    ebgp_mrai: 0s\n"
    "    neighbors:\n"
    "      - { address: 10.0.12.2, remote_as: 65002 }\n"
    "      - { address: 10.0.13.2, remote_as: 65003, import: r1-from-r3 }\n"
    "  - node: r2\n"
    "    asn: 65002\n"
    "    ebgp_mrai: 0s\n"
    "    neighbors:\n"
    "      - { address: 10.0.12.1, remote_as: 65001 }\n"
    "      - { address: 10.0.23.2, remote_as: 65003 }\n"
    "  - node: r3\n"
    "    asn: 65003\n"
    "    networks: [{ prefix: 10.3.0.0/24 }]\n"
    "    neighbors:\n"
    "      - { address: 10.0.13.1, remote_as: 65001, export: r3-to-r1 }\n"
    "      - { address: 10.0.23.1, remote_as: 65002 }\n"
    "assertions:\n"
    "  - { kind: route, node: r1, prefix: 10.3.0.0/24, via: 10.0.13.2, "
    "as_path: \"65003\", at: 19s }\n"
    "  - { kind: route, node: r1, prefix: 10.3.0.0/24, via: 10.0.12.2, "
    "as_path: \"65002 65003\", at: 21s }\n"
    "  - { kind: route, node: r1, prefix: 10.3.0.0/24, via: 10.0.13.2, "
    "as_path: \"65003\", at: 41s }\n";

/* base with the two policies' rules (an empty list each by default). */
static char *
scenario_text(const char *export_rules, const char *import_rules)
{
	const char *ins[2] = { export_rules, import_rules };
	const char *marks[2] = { "@EXPORT@", "@IMPORT@" };
	char *t = strdup(base);
	int i;

	for (i = 0; i < 2; i++) {
		char *at = strstr(t, marks[i]), *n;
		size_t pre = (size_t)(at - t);

		n = malloc(strlen(t) + strlen(ins[i]) + 1);
		memcpy(n, t, pre);
		strcpy(n + pre, ins[i]);
		strcat(n, at + strlen(marks[i]));
		free(t);
		t = n;
	}
	return t;
}

static struct scenario *
load_ok(const char *text)
{
	struct scenario *sc;
	char *diag = NULL;
	unsigned nerr = 0;

	sc = load(text, &diag, &nerr);
	if (sc == NULL)
		fprintf(stderr, "%s", diag);
	free(diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	return sc;
}

/* Does out have what (a check line or part of one)? */
static bool
has_pass(const char *out, const char *what)
{
	if (strstr(out, what) == NULL) {
		fprintf(stderr, "missing \"%s\" in:\n%s", what, out);
		return false;
	}
	return true;
}

static struct bgp_speaker *
speaker(struct run *r, const char *node)
{
	struct node *n = net_find_node(run_net(r), node);

	CU_ASSERT_PTR_NOT_NULL_FATAL(n);
	return bgp_scenario_speaker(run_section_state(r, "bgp"), n, 0);
}

/* r1's candidates for 10.3.0.0/24 in words. */
static char *
explain(struct run *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	CU_ASSERT_EQUAL(bgp_rib_explain_print(bgp_speaker_rib(speaker(r,
	    "r1")), P3, 24, f), 0);
	fclose(f);
	return buf;
}

/*
 * The export rule prepends 65003 three times while the gate is open: r3
 * sends an UPDATE with the longer path to r1 at 20 s (not 30 s of MRAI
 * later), r1 moves to r2's path, and back at 40 s. Nothing else changes
 * r3's session: no reset, no flap.
 */
static void
test_export_prepend(void)
{
	char *text = scenario_text("{ name: maintenance, gate: maint/r3, "
	    "prepend: 3, then: accept }", "");
	struct scenario *sc = load_ok(text);
	struct run_opts o = { 0 };
	struct bgp_peer_stats st;
	char err[256], *out = NULL, *ex;
	size_t len = 0;
	struct run *r;
	FILE *f;

	free(text);
	r = run_new(sc, &o, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	run_advance(r, SIM_S(20) - 1);
	ex = explain(r);
	CU_ASSERT_PTR_NOT_NULL(strstr(ex, "10.0.13.2 AS 65003 via 10.0.13.2 "
	    "path 65003: best"));
	free(ex);
	CU_ASSERT_EQUAL(bgp_speaker_peer_stats(speaker(r, "r3"), 0x0a000d01u,
	    &st), 0);
	CU_ASSERT_EQUAL(st.updates_out, 2);	/* the table and End-of-RIB */
	run_advance(r, SIM_S(21));
	/* what r3 put on the wire: the prepended path */
	ex = explain(r);
	CU_ASSERT_PTR_NOT_NULL(strstr(ex, "10.0.13.2 AS 65003 via 10.0.13.2 "
	    "path 65003 65003 65003 65003"));
	CU_ASSERT_PTR_NOT_NULL(strstr(ex, "10.0.12.2 AS 65002 via 10.0.12.2 "
	    "path 65002 65003: best"));
	free(ex);
	CU_ASSERT_EQUAL(bgp_speaker_peer_stats(speaker(r, "r3"), 0x0a000d01u,
	    &st), 0);
	CU_ASSERT_EQUAL(st.updates_out, 3);
	CU_ASSERT_EQUAL(st.flaps, 0);
	while (run_advance(r, run_end_time(r)))
		;
	CU_ASSERT_EQUAL(bgp_speaker_peer_stats(speaker(r, "r3"), 0x0a000d01u,
	    &st), 0);
	CU_ASSERT_EQUAL(st.updates_out, 4);
	CU_ASSERT_EQUAL(st.flaps, 0);
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(speaker(r, "r1"), R1_R3),
	    BGP_ST_ESTABLISHED);
	f = open_memstream(&out, &len);
	CU_ASSERT_EQUAL(run_check(r, f), 0);
	fclose(f);
	/*
	 * Exact: sent at the gate's change, then 1 ms of delay and the
	 * segment at 1 Gbps; the prepended UPDATE is 12 bytes (three 4-octet
	 * ASes) longer, 96 ns more on the wire.
	 */
	CU_ASSERT(has_pass(out, "via 10.0.12.2 path \"65002 65003\" since "
	    "20.001001s\n"));
	CU_ASSERT(has_pass(out, "via 10.0.13.2 path \"65003\" since "
	    "40.001000904s\n"));
	free(out);
	run_free(r);
	scenario_free(sc);
}

/* Run text to its end; the check's lines (caller frees); failures in *nf. */
static char *
run_text(const char *text, unsigned *nf)
{
	struct scenario *sc = load_ok(text);
	char *out = NULL;

	*nf = sc_run_to_end(sc, 0, NULL, &out);
	scenario_free(sc);
	return out;
}

/*
 * A gated import rule on r1: LOCAL_PREF 50 on r3's routes while open. At
 * the change r1 asks r3 for its routes again (ROUTE-REFRESH, the
 * Adj-RIB-In holding what the policy returned): the re-evaluated route
 * is r1's one round trip later.
 */
static void
test_import_refresh(void)
{
	char *text = scenario_text("", "{ name: maintenance, gate: maint/r3, "
	    "local_pref: 50 }");
	unsigned nf;
	char *out = run_text(text, &nf);

	CU_ASSERT_EQUAL(nf, 0);
	/*
	 * The ROUTE-REFRESH out at 20 s (23 bytes, 89 with TCP/IP and
	 * framing: 712 ns at 1 Gbps) and r3's UPDATE back (47 bytes, 113
	 * framed: 904 ns, as in export_prepend): two delays and both.
	 */
	CU_ASSERT(has_pass(out, "via 10.0.12.2 path \"65002 65003\" since "
	    "20.002001616s\n"));
	CU_ASSERT(has_pass(out, "via 10.0.13.2 path \"65003\" since "
	    "40.002001616s\n"));
	free(out);
	free(text);
}

/*
 * RFC 8326: r3 tags what it sends r1 with GRACEFUL_SHUTDOWN (65535:0)
 * while the gate is open; r1's import policy honours it (LOCAL_PREF 0),
 * as the RFC's section 3 asks of a receiver, by policy.
 */
static void
test_graceful_shutdown(void)
{
	char *text = scenario_text("{ name: gshut, gate: maint/r3, "
	    "add_communities: graceful-shutdown }", "{ name: rfc8326, "
	    "community: graceful-shutdown, local_pref: 0 }");
	unsigned nf;
	char *out = run_text(text, &nf);

	CU_ASSERT_EQUAL(nf, 0);
	/* the COMMUNITIES attribute is 7 bytes more: 56 ns */
	CU_ASSERT(has_pass(out, "via 10.0.12.2 path \"65002 65003\" since "
	    "20.00100096s\n"));
	CU_ASSERT(has_pass(out, "via 10.0.13.2 path \"65003\" since "
	    "40.001000904s\n"));
	free(out);
	free(text);

	/* without the import rule the community alone moves nothing */
	text = scenario_text("{ name: gshut, gate: maint/r3, "
	    "add_communities: graceful-shutdown }", "");
	out = run_text(text, &nf);
	CU_ASSERT_EQUAL(nf, 1);
	CU_ASSERT(has_pass(out, "t.yaml:42: FAIL: route 10.3.0.0/24 at r1 at "
	    "21s via 10.0.12.2"));
	free(out);
	free(text);
}

/*
 * bgp_policy_rule_enable: a rule switched off is skipped as if absent (the
 * next rule and the default decide, the explanation does not name it),
 * on again it applies; a rule index past the last is refused.
 */
static void
test_rule_enable(void)
{
	struct bgp_polset *s = bgp_polset_new();
	struct bgp_policy *p = bgp_policy_new(s, "maint");
	struct bgp_attrs *a = mk("65003", NULL, 0, NULL, 0, IP(10, 0, 0, 1));
	struct bgp_pol_result res;
	char why[256], buf[64];

	bgp_policy_set_default(p, BGP_POL_ACCEPT);
	CU_ASSERT_EQUAL(bgp_policy_rule(p, "drop-gshut"), 0);
	CU_ASSERT_EQUAL(bgp_policy_action(p, "reject", NULL), 0);
	CU_ASSERT_EQUAL(bgp_policy_rule(p, "planned"), 1);
	CU_ASSERT_EQUAL(bgp_policy_action(p, "prepend self 3", NULL), 0);
	CU_ASSERT_EQUAL(bgp_policy_action(p, "accept", NULL), 0);
	CU_ASSERT(bgp_policy_rule_enabled(p, 0));
	CU_ASSERT(bgp_policy_rule_enabled(p, 1));
	/* rule 1 on: everything rejected */
	CU_ASSERT_EQUAL(eval(p, &rt0, a, &res, NULL, 0), BGP_POL_REJECT);
	CU_ASSERT_EQUAL(res.rule, 0);
	/* off: rule 2 prepends */
	CU_ASSERT_EQUAL(bgp_policy_rule_enable(p, 0, false), 0);
	CU_ASSERT_FALSE(bgp_policy_rule_enabled(p, 0));
	CU_ASSERT_EQUAL(eval(p, &rt0, a, &res, why, sizeof(why)),
	    BGP_POL_ACCEPT);
	CU_ASSERT_EQUAL(res.rule, 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(res.attrs);
	CU_ASSERT_STRING_EQUAL(path_str(res.attrs, buf, sizeof(buf)),
	    "65001 65001 65001 65003");
	CU_ASSERT_STRING_EQUAL(why, "export policy maint rule 2 (planned): "
	    "prepend 65001 x3, accept");
	free(res.attrs);
	/* both off: the default, unchanged */
	CU_ASSERT_EQUAL(bgp_policy_rule_enable(p, 1, false), 0);
	CU_ASSERT_EQUAL(eval(p, &rt0, a, &res, NULL, 0), BGP_POL_ACCEPT);
	CU_ASSERT_EQUAL(res.rule, -1);
	CU_ASSERT_PTR_NULL(res.attrs);
	/* on again */
	CU_ASSERT_EQUAL(bgp_policy_rule_enable(p, 0, true), 0);
	CU_ASSERT_EQUAL(eval(p, &rt0, a, &res, NULL, 0), BGP_POL_REJECT);
	CU_ASSERT_EQUAL(bgp_policy_rule_enable(p, 2, true), -1);
	CU_ASSERT_FALSE(bgp_policy_rule_enabled(p, 2));
	free(a);
	bgp_polset_free(s);
}

/* A rule's gate must be a gate of the file. */
static void
test_unknown_gate(void)
{
	char *text = scenario_text("{ gate: maint/r4, prepend: 2 }", "");
	struct scenario *sc;
	char *diag = NULL;
	unsigned n = 0;

	sc = load(text, &diag, &n);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT(has_error(diag, "17:21", "unknown gate 'maint/r4' (did you "
	    "mean 'maint/r3'?)"));
	free(diag);
	free(text);
}

int
main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{ "rule_enable", test_rule_enable },
		{ "export_prepend", test_export_prepend },
		{ "import_refresh", test_import_refresh },
		{ "graceful_shutdown", test_graceful_shutdown },
		{ "unknown_gate", test_unknown_gate },
		{ NULL, NULL }
	};

	scenario_models_init();
	return test_main(argc, argv, "maintenance_bgp", cases);
}
