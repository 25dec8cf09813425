/*
 * test_grade.c - xcsim run STUDENT --check CHECKS (docs/grading.md): the
 * lab's example checks (scenarios/labs/checks/02-app-db-nsg.checks.yaml)
 * against the reference solution (17/17, exit 0), against a student whose
 * NSG rule opens the wrong port (9/17, exit 1, the failed checks say what
 * was seen), against one whose names differ (a failed check with the
 * loader's message, not a crash), the JSON grade, and a malformed checks
 * file (exit 2, every error at its line:col in the checks file).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"
#include "scenario_checks.h"
#include "scenario_models.h"
#include "scenario_run.h"
#include "testutil.h"

#define OVERVIEW XCSIM_SOURCE_DIR "/scenarios/overview/app-db-interconnect.yaml"
#define CHECKS XCSIM_SOURCE_DIR "/scenarios/labs/checks/02-app-db-nsg.checks.yaml"

static const char *
dir(void)
{
	static char *d;

	if (d == NULL)
		d = test_tmpdir("/tmp/xcsim-grade-XXXXXX");
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	return d;
}

/* The overview scenario with every `from` replaced by `to`, as file name. */
static const char *
student(const char *name, const char *from, const char *to)
{
	static char path[4][300];
	static int k;
	char *text = test_slurp(OVERVIEW, NULL), *p, *s;
	size_t hits = 0;
	FILE *f;

	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	s = path[k++ % 4];
	snprintf(s, 300, "%s/%s", dir(), name);
	f = fopen(s, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	for (p = text; (s = strstr(p, from)) != NULL; p = s + strlen(from)) {
		fwrite(p, 1, (size_t)(s - p), f);
		fputs(to, f);
		hits++;
	}
	fputs(p, f);
	CU_ASSERT_EQUAL(fclose(f), 0);
	CU_ASSERT(hits > 0);
	free(text);
	return path[(k - 1) % 4];
}

static void
test_pass(void)
{
	char out[16384], json[300], *j;

	snprintf(json, sizeof(json), "%s/pass.json", dir());
	CU_ASSERT_EQUAL(test_sh(out, sizeof(out), "%s run %s --check %s "
	    "--out %s/o1 --json %s", XCSIM_BINARY, OVERVIEW, CHECKS, dir(),
	    json), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "  PASS   1/1  the circuit is "
	    "provisioned by the provider (resource-state, line 9): "
	    "express_route_circuits/er-ashburn "
	    "serviceProviderProvisioningState at 1s: Provisioned since 0s\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "  PASS   3/3  a query to port "
	    "1521 reaches the database and back (path, line 22): at 61s: path "
	    "app-vm -> db-vm: delivered"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out,
	    "Total: 17/17 points (9 of 9 checks passed)\n"
	    "The scenario's own assertions (not graded):\n"));
	/* the scenario's assertions are judged too, apart */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "app-db-interconnect.yaml:131: "
	    "PASS: connection-fails ssh"));
	CU_ASSERT_PTR_NULL(strstr(out, "FAIL"));
	j = test_slurp(json, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(j);
	CU_ASSERT_PTR_NOT_NULL(strstr(j, "\"name\": \"Lab 2: app tier to "
	    "database tier\", \"scenario\": \"" OVERVIEW "\", \"points\": 17, "
	    "\"max_points\": 17, \"passed\": 9, \"failed\": 0, \"checks\": "
	    "[{\"name\": \"the circuit is provisioned by the provider\", "
	    "\"kind\": \"resource-state\", \"line\": 9, \"pass\": true, "
	    "\"points\": 1, \"max_points\": 1, \"applies\": true, "));
	CU_ASSERT_PTR_NOT_NULL(strstr(j, "\"own_assertions\": [{\"line\": "
	    "116, \"kind\": \"bgp-established\", \"pass\": true, "));
	CU_ASSERT_EQUAL(j[strlen(j) - 1], '\n');
	free(j);
	/* written under a temporary name and renamed: none left */
	CU_ASSERT(!test_exists(XCSIM_SOURCE_DIR "/pass.json.tmp"));
	snprintf(json, sizeof(json), "%s/pass.json.tmp", dir());
	CU_ASSERT(!test_exists(json));
}

static void
test_fail(void)
{
	const char *s = student("wrong-port.yaml",
	    "destination_port_range: \"1521\"", "destination_port_range: "
	    "\"1522\"");
	char out[16384], json[300], *j;

	snprintf(json, sizeof(json), "%s/fail.json", dir());
	CU_ASSERT_EQUAL(test_sh(out, sizeof(out), "%s run %s --check %s "
	    "--out %s/o2 --json %s --quiet", XCSIM_BINARY, s, CHECKS, dir(),
	    json), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out,
	    "  FAIL   0/3  a query to port 1521 reaches the database and back "
	    "(path, line 22): at 61s: path app-vm -> db-vm: dropped by a "
	    "filter where it came in [app-vm app-vnet]\n"
	    "  FAIL   0/2  the NSG rule AllowDbOut lets the query out "
	    "(rule-verdict, line 24): at 61s: acl app-nsg on path app-vm -> "
	    "db-vm: deny by DenyOciOut\n"
	    "  FAIL   0/3  the database answers every query within 5 ms "
	    "(transaction-latency, line 30): transaction-latency query: no "
	    "transaction completed\n"
	    "Total: 9/17 points (6 of 9 checks passed)\n"));
	/* quiet: no passed check, no own assertion */
	CU_ASSERT_PTR_NULL(strstr(out, "PASS"));
	CU_ASSERT_PTR_NULL(strstr(out, "not graded"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "xcsim run: 3 checks failed\n"));
	j = test_slurp(json, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(j);
	CU_ASSERT_PTR_NOT_NULL(strstr(j, "\"points\": 9, \"max_points\": 17, "
	    "\"passed\": 6, \"failed\": 3, "));
	CU_ASSERT_PTR_NOT_NULL(strstr(j, "{\"name\": \"the NSG rule AllowDbOut "
	    "lets the query out\", \"kind\": \"rule-verdict\", \"line\": 24, "
	    "\"pass\": false, \"points\": 0, \"max_points\": 2, \"applies\": "
	    "true, \"message\": \"at 61s: acl app-nsg on path app-vm -> db-vm: "
	    "deny by DenyOciOut\"}"));
	free(j);
}

/* Names the student's scenario lacks: failed checks, with the reason. */
static void
test_unknown_names(void)
{
	const char *s = student("renamed.yaml", "app-vm", "web-vm");
	char out[16384];

	CU_ASSERT_EQUAL(test_sh(out, sizeof(out), "%s run %s --check %s "
	    "--out %s/o3 --quiet", XCSIM_BINARY, s, CHECKS, dir()), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "  FAIL   0/3  a query to port "
	    "1521 reaches the database and back (path, line 22): does not "
	    "apply to this scenario: 23:25: unknown node 'app-vm' (did you "
	    "mean 'app-gw'?)\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out,
	    "Total: 10/17 points (6 of 9 checks passed)\n"));
}

/* xcsim check --check: both files, without a run; what would not apply */
static void
test_check_only(void)
{
	const char *s = student("renamed2.yaml", "app-vm", "web-vm");
	char out[8192];

	CU_ASSERT_EQUAL(test_sh(out, sizeof(out), "cd %s && %s check %s "
	    "--check %s", dir(), XCSIM_BINARY, OVERVIEW, CHECKS), 0);
	CU_ASSERT_STRING_EQUAL(out, CHECKS ": ok against " OVERVIEW
	    " (9 checks, 17 points)\n");
	CU_ASSERT_EQUAL(test_sh(out, sizeof(out), "%s check %s --check %s",
	    XCSIM_BINARY, s, CHECKS), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, CHECKS ": check 'SSH to the "
	    "database is refused by the NSG' does not apply: 28:33: unknown "
	    "node 'app-vm' (did you mean 'app-gw'?)\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "(9 checks, 17 points; 3 do not "
	    "apply)\n"));
}

static const char bad[] =
    "name: bad\n"
    "checks:\n"
    "  - { name: a, points: -1, kind: path, from: app-vm, to: db-vm }\n"
    "  - { name: a, kind: path, form: app-vm, to: db-vm }\n"
    "  - { points: 2, kind: rule-verdict, from: app-vm, to: db-vm, acl: "
    "app-nsg, verdict: maybe }\n"
    "  - [ not, a, mapping ]\n"
    "  - { name: x, kind: nosuch }\n"
    "  - { name: y, points: 1000001, kind: bgp-established, node: r1, "
    "peer: 10.0.0.1 }\n"
    "nme: typo\n";

static void
test_bad_checks(void)
{
	char out[8192], path[300], cmd[400];
	FILE *f;

	snprintf(path, sizeof(path), "%s/bad.checks.yaml", dir());
	f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(bad, f);
	CU_ASSERT_EQUAL(fclose(f), 0);
	snprintf(cmd, sizeof(cmd), "cd %s && %s run %s --check "
	    "bad.checks.yaml --out o4 --json g.json", dir(), XCSIM_BINARY,
	    OVERVIEW);
	CU_ASSERT_EQUAL(test_sh(out, sizeof(out), "%s", cmd), 2);
	CU_ASSERT_STRING_EQUAL(out,
	    "bad.checks.yaml:3:24: error: 'points': expected a whole number, "
	    "got '-1'\n"
	    "bad.checks.yaml:4:5: error: assertion is missing required key "
	    "'from' (the node the packet starts from)\n"
	    "bad.checks.yaml:4:13: error: duplicate check 'a' (first defined "
	    "at 3:13)\n"
	    "bad.checks.yaml:4:28: error: unknown key 'form' in "
	    "path-assertion (did you mean 'from'?)\n"
	    "bad.checks.yaml:5:5: error: check is missing required key 'name' "
	    "(what the check checks, as the report names it (unique in the "
	    "file))\n"
	    "bad.checks.yaml:5:86: error: unknown verdict 'maybe' (one of: "
	    "allow, deny)\n"
	    "bad.checks.yaml:6:5: error: each item of 'checks' must be a "
	    "mapping (an assertion with name and points), got a list\n"
	    "bad.checks.yaml:7:22: error: unknown kind 'nosuch' (one of: "
	    "ping-succeeds, ping-fails, traceroute-path, tcp-goodput, "
	    "transaction-latency, transfer-completes, connection-fails, "
	    "bfd-up, bfd-down, ipsec-established, ipsec-fails, bgp-established, "
	    "route, failover, converged, "
	    "resource-state, operation, effective-route, path, "
	    "rule-verdict)\n"
	    "bad.checks.yaml:8:24: error: 'points' 1000001 is out of range "
	    "(0..1000000)\n"
	    "bad.checks.yaml:9:1: error: unknown key 'nme' in checks file "
	    "(did you mean 'name'?)\n"
	    "bad.checks.yaml: 10 errors\n");
	/* nothing run, nothing written */
	snprintf(path, sizeof(path), "%s/o4", dir());
	CU_ASSERT(!test_exists(path));
	snprintf(path, sizeof(path), "%s/g.json", dir());
	CU_ASSERT(!test_exists(path));
}

static void
test_bad_usage(void)
{
	char out[4096];

	/* the file itself: empty, no checks, not a mapping, YAML syntax */
	CU_ASSERT_EQUAL(test_sh(out, sizeof(out), "cd %s && printf '' > "
	    "e.yaml && %s run %s --check e.yaml --out o5", dir(),
	    XCSIM_BINARY, OVERVIEW), 2);
	CU_ASSERT_STRING_EQUAL(out, "e.yaml:1:1: error: the file is empty (a "
	    "checks file needs 'checks')\ne.yaml: 1 error\n");
	CU_ASSERT_EQUAL(test_sh(out, sizeof(out), "cd %s && printf 'name: "
	    "x\\n' > n.yaml && %s run %s --check n.yaml --out o5", dir(),
	    XCSIM_BINARY, OVERVIEW), 2);
	CU_ASSERT_STRING_EQUAL(out, "n.yaml:1:1: error: a checks file needs "
	    "'checks', a list of assertions each with name and points\n"
	    "n.yaml: 1 error\n");
	CU_ASSERT_EQUAL(test_sh(out, sizeof(out), "cd %s && printf 'checks: "
	    "[]\\nchecks: x\\n' > d.yaml && %s run %s --check d.yaml --out o5",
	    dir(), XCSIM_BINARY, OVERVIEW), 2);
	CU_ASSERT_STRING_EQUAL(out, "d.yaml:1:9: error: 'checks' is empty: "
	    "give at least one\nd.yaml:2:1: error: duplicate key 'checks' "
	    "(first at 1:1)\nd.yaml: 2 errors\n");
	CU_ASSERT_EQUAL(test_sh(out, sizeof(out), "cd %s && printf 'checks: "
	    "[ {\\n' > y.yaml && %s run %s --check y.yaml --out o5", dir(),
	    XCSIM_BINARY, OVERVIEW), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "y.yaml:2:1: error: YAML syntax: "));
	CU_ASSERT_EQUAL(test_sh(out, sizeof(out), "%s run %s --check "
	    "%s/missing.yaml --out %s/o5", XCSIM_BINARY, OVERVIEW, dir(),
	    dir()), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "missing.yaml: error: cannot open: "
	    "No such file or directory\n"));
	/* --json only with --check */
	CU_ASSERT_EQUAL(test_sh(out, sizeof(out), "%s run %s --json x.json",
	    XCSIM_BINARY, OVERVIEW), 2);
	CU_ASSERT_STRING_EQUAL(out, "xcsim run: --json writes the grade of "
	    "--check: give --check CHECKS too\n");
	/* a bad scenario is reported as such, before the checks */
	CU_ASSERT_EQUAL(test_sh(out, sizeof(out), "cd %s && printf 'nodes: "
	    "3\\n' > s.yaml && %s run s.yaml --check %s --out o5", dir(),
	    XCSIM_BINARY, CHECKS), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "s.yaml:1:8: error: "));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "s.yaml: 1 error\n"));
}

/* The API as the CLI calls it, on text, with a timed check and totals. */
static void
test_api(void)
{
	static const char scen[] =
	    "duration: 10s\n"
	    "nodes:\n"
	    "  - { name: h1, role: host, interfaces: [{ name: e0, address: "
	    "10.0.0.1/30 }] }\n"
	    "  - { name: h2, role: host, interfaces: [{ name: e0, address: "
	    "10.0.0.2/30 }] }\n"
	    "links:\n"
	    "  - { name: l0, a: h1:e0, b: h2:e0, delay: 1ms }\n"
	    "apps:\n"
	    "  - { name: p, type: ping, node: h1, dst: h2, start: 1s, "
	    "interval: 1s, count: 8 }\n"
	    "events:\n"
	    "  - { at: 4500ms, action: link-down, link: l0 }\n"
	    "assertions:\n"
	    "  - { kind: ping-succeeds, app: p }\n";
	static const char checks[] =
	    "checks:\n"
	    "  - { name: up first, points: 4, kind: ping-succeeds, app: p, "
	    "before: 4s }\n"
	    "  - { name: down after, points: 3, kind: ping-fails, app: p, "
	    "after: 5s }\n"
	    "  - { name: never, points: 2, kind: ping-succeeds, app: p, "
	    "after: 5s }\n"
	    "  - { name: other app, kind: ping-succeeds, app: q }\n";
	struct sc_src s = { "s.yaml", scen, sizeof(scen) - 1, NULL },
	    c = { "c.yaml", checks, sizeof(checks) - 1, NULL };
	struct run_opts o = { 0 };
	struct scenario *sc;
	struct sc_checks *ck;
	struct run *r;
	unsigned long got, max;
	char err[256], *buf = NULL;
	size_t len = 0;
	FILE *f;

	CU_ASSERT_EQUAL_FATAL(sc_checks_load(&s, &c, stderr, &sc, &ck), 0);
	CU_ASSERT_EQUAL(sc_checks_count(ck), 4);
	/* the three that resolve follow the scenario's own one */
	CU_ASSERT_EQUAL(sc->n_asserts, 4);
	CU_ASSERT(sc_checks_resolved(ck, 0));
	CU_ASSERT(!sc_checks_resolved(ck, 3));
	CU_ASSERT_STRING_EQUAL(sc_checks_message(ck, 3),
	    "5:50: unknown app 'q'");
	CU_ASSERT_EQUAL(sc_checks_points(ck, 3), 1);	/* the default */
	CU_ASSERT_STRING_EQUAL(sc_checks_name(ck, 1), "down after");
	r = run_new(sc, &o, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	while (run_advance(r, SIM_TIME_MAX))
		;
	CU_ASSERT_EQUAL(sc_checks_judge(ck, r), 2);
	CU_ASSERT(sc_checks_passed(ck, 0));
	CU_ASSERT(sc_checks_passed(ck, 1));
	CU_ASSERT(!sc_checks_passed(ck, 2));
	CU_ASSERT_STRING_EQUAL(sc_checks_message(ck, 1),
	    "ping-fails p [5s, end): 0/4 replies");
	sc_checks_total(ck, &got, &max);
	CU_ASSERT_EQUAL(got, 7);
	CU_ASSERT_EQUAL(max, 10);
	f = open_memstream(&buf, &len);
	sc_checks_print(ck, false, f);
	fclose(f);
	CU_ASSERT_STRING_EQUAL(buf,
	    "Checks of c.yaml on s.yaml\n"
	    "  PASS   4/4  up first (ping-succeeds, line 2): ping-succeeds p "
	    "[0s, 4s): 3/3 replies, max rtt 2.000158ms\n"
	    "  PASS   3/3  down after (ping-fails, line 3): ping-fails p "
	    "[5s, end): 0/4 replies\n"
	    "  FAIL   0/2  never (ping-succeeds, line 4): ping-succeeds p "
	    "[5s, end): 0/4 replies, max rtt 0s\n"
	    "  FAIL   0/1  other app (ping-succeeds, line 5): does not apply "
	    "to this scenario: 5:50: unknown app 'q'\n"
	    "Total: 7/10 points (2 of 4 checks passed)\n"
	    "The scenario's own assertions (not graded):\n"
	    "  s.yaml:12: FAIL: ping-succeeds p [0s, end): 4/8 replies, max "
	    "rtt 2.000158ms\n");
	free(buf);
	buf = NULL;
	f = open_memstream(&buf, &len);
	sc_checks_json(ck, f);
	fclose(f);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "{\"checks_file\": \"c.yaml\", "
	    "\"name\": null, \"scenario\": \"s.yaml\", \"points\": 7, "
	    "\"max_points\": 10, \"passed\": 2, \"failed\": 2, \"checks\": ["));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "{\"name\": \"other app\", "
	    "\"kind\": \"ping-succeeds\", \"line\": 5, \"pass\": false, "
	    "\"points\": 0, \"max_points\": 1, \"applies\": false, "
	    "\"message\": \"5:50: unknown app 'q'\"}], "
	    "\"own_assertions\": [{\"line\": 12, \"kind\": \"ping-succeeds\", "
	    "\"pass\": false, "));
	free(buf);
	run_free(r);
	sc_checks_free(ck);
	scenario_free(sc);
}

static const struct test_case cases[] = {
	{ "--check: the reference solution earns every point", test_pass },
	{ "--check: a wrong NSG port fails three checks", test_fail },
	{ "--check: names the scenario lacks fail their checks",
	    test_unknown_names },
	{ "--check: a malformed checks file, errors at line:col",
	    test_bad_checks },
	{ "--check: empty, missing, syntax, usage", test_bad_usage },
	{ "xcsim check --check: validate without a run", test_check_only },
	{ "sc_checks_* on text: resolve, judge, total, print, json",
	    test_api },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	scenario_models_init();
	return test_main(argc, argv, "grade", cases);
}
