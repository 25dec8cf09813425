/*
 * test_scenario_bfd.c - the bfd section and the bfd-up / bfd-down assertion
 * kinds (models/bfd/bfd_scenario.c): bad input with its exact messages,
 * scenarios/examples/bfd-failover.yaml passing with the simulated times of
 * its seed, bfd-down failing when detection takes longer than allowed, the
 * per-session metrics and byte-identical repeated runs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"
#include "scenario_models.h"
#include "scenario_run.h"
#include "scenario_testutil.h"
#include "testutil.h"

#define EXAMPLE XCSIM_SOURCE_DIR "/scenarios/examples/bfd-failover.yaml"

static const char bad[] =
    "duration: 2s\n"
    "nodes:\n"
    "  - { name: r1, role: router, interfaces: [{ name: e0, address: "
    "10.0.0.1/30 }, { name: e1, address: 10.0.1.1/30 }, { name: e2 }] }\n"
    "  - { name: r2, role: router, interfaces: [{ name: e0, address: "
    "10.0.0.2/30 }, { name: e1, address: 10.0.1.2/30 }] }\n"
    "  - { name: r3, role: router, interfaces: [{ name: e2 }] }\n"
    "links:\n"
    "  - { name: l0, a: r1:e0, b: r2:e0 }\n"
    "  - { name: l1, a: r1:e1, b: r2:e1 }\n"
    "  - { name: l2, a: r1:e2, b: r3:e2 }\n"
    "bfd:\n"
    "  - { name: s1, a: r1:e0, b: r2 }\n"			/* 11 */
    "  - { name: s2, a: r2:e0, b: r1:e0 }\n"
    "  - { name: s3, a: r1, b: r4 }\n"
    "  - { name: s4, a: r1:e1, b: r2, multiplier: 0 }\n"
    "  - { name: s5, a: r1:e1, b: r2:e1, tx: 500ns }\n"	/* 15 */
    "  - { name: s6, a: r1:e1, b: r2, rx: 1500us, tx: 1000500ns }\n"
    "  - { name: s1, a: r1, b: r2 }\n"
    "  - { name: s8, a: r1, b: r3 }\n"
    "  - { name: s9, a: r1, b: r1:e1 }\n"
    "  - { name: s10, a: 10.0.0.1, b: r2 }\n"		/* 20 */
    "  - { name: s11, a: r1:e9, b: r2 }\n"
    "assertions:\n"
    "  - { kind: bfd-up, session: s0 }\n"
    "  - { kind: bfd-up, session: s1, by: 1s, after: 1s }\n"
    "  - { kind: bfd-up, session: s1, after: 1s, before: 1s }\n" /* 25 */
    "  - { kind: bfd-down, session: s1, at: 1s }\n"
    "  - { kind: bfd-down, session: s1, at: 1s, within: 1s, diag: tmo }\n";

static void
test_bad_input(void)
{
	struct scenario *sc;
	unsigned n = 0;
	char *diag = NULL;

	scenario_models_init();
	sc = load(bad, &diag, &n);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT_EQUAL(n, 18);
	CU_ASSERT(has_error(diag, "12:5", "bfd session 's2' joins the same "
	    "interfaces as 's1' (at 11:5): a node has one session per peer"));
	CU_ASSERT(has_error(diag, "13:27", "unknown node 'r4' (did you mean "
	    "'r1'?)"));
	CU_ASSERT(has_error(diag, "14:46", "'multiplier' 0 is out of range "
	    "(1..255)"));
	CU_ASSERT(has_error(diag, "15:41", "'tx' 500ns is below 1us (at least "
	    "1us, at most 4294.967295s)"));
	/* a bad multiplier does not free the pair */
	CU_ASSERT(has_error(diag, "15:5", "bfd session 's5' joins the same "
	    "interfaces as 's4' (at 14:5): a node has one session per peer"));
	CU_ASSERT(has_error(diag, "16:5", "bfd session 's6' joins the same "
	    "interfaces as 's4' (at 14:5): a node has one session per peer"));
	CU_ASSERT(has_error(diag, "16:50", "'tx' must be whole microseconds "
	    "(the packet carries microseconds)"));
	CU_ASSERT(has_error(diag, "17:13", "duplicate bfd session 's1' (first "
	    "defined at 11:13)"));
	CU_ASSERT(has_error(diag, "17:20", "r1 and r2 share 2 links: name the "
	    "interfaces (node:interface)"));
	CU_ASSERT(has_error(diag, "18:20", "interface r1:e2 has no address "
	    "(BFD runs over IPv4)"));
	CU_ASSERT(has_error(diag, "19:27", "a and b are the same node 'r1'"));
	CU_ASSERT(has_error(diag, "20:21", "'a' must be a node or "
	    "node:interface, not an address"));
	CU_ASSERT(has_error(diag, "21:21", "node 'r1' has no interface 'e9' "
	    "(did you mean 'e0'?)"));
	CU_ASSERT(has_error(diag, "23:30", "unknown bfd session 's0' (did you "
	    "mean 's1'?)"));
	CU_ASSERT(has_error(diag, "24:38", "give either by or a window (after, "
	    "before), not both"));
	CU_ASSERT(has_error(diag, "25:53", "the window is empty: after (1s) "
	    "must be earlier than before (1s)"));
	CU_ASSERT(has_error(diag, "26:5", "assertion is missing required key "
	    "'within'"));
	CU_ASSERT(has_error(diag, "27:62", "unknown diag 'tmo' (one of: none, "
	    "control-detection-time-expired, "));
	if (n != 18)
		fprintf(stderr, "%s", diag);
	free(diag);
}

/*
 * A link whose end did not resolve joins nothing (fuzz_scenario found the
 * check reading an interface of a node that has none).
 */
static void
test_unresolved_link(void)
{
	struct scenario *sc;
	unsigned n = 0;
	char *diag = NULL;

	sc = load("nodes:\n"
	    "  - { name: r1, role: router, interfaces: [{ name: e0, address: "
	    "10.0.0.1/30 }] }\n"
	    "  - { name: r2, role: router }\n"
	    "links:\n"
	    "  - { name: l0, a: r1:e0, b: r2:e0 }\n"
	    "bfd:\n"
	    "  - { name: s1, a: r1, b: r2 }\n", &diag, &n);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT_EQUAL(n, 2);
	CU_ASSERT(has_error(diag, "5:30", "node 'r2' has no interface 'e0'"));
	CU_ASSERT(has_error(diag, "7:27", "no link joins r1 and r2 (BFD here "
	    "is single hop, RFC 5881)"));
	free(diag);
}

/* The example with from replaced by to (NULL: as it is). */
static struct scenario *
example(const char *from, const char *to)
{
	char *text = test_slurp(EXAMPLE, NULL), *at, *buf;
	struct scenario *sc;
	size_t len;

	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	len = strlen(text) + (to ? strlen(to) : 0) + 1;
	buf = malloc(len);
	if (from != NULL && (at = strstr(text, from)) != NULL)
		snprintf(buf, len, "%.*s%s%s", (int)(at - text), text, to,
		    at + strlen(from));
	else
		snprintf(buf, len, "%s", text);
	CU_ASSERT(from == NULL || strstr(text, from) != NULL);
	sc = scenario_load_buffer("t.yaml", buf, strlen(buf), stderr, NULL);
	free(text);
	free(buf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	return sc;
}

static void
test_example_passes(void)
{
	struct scenario *sc = example(NULL, NULL);
	char *out = NULL;
	uint64_t seed;

	CU_ASSERT_EQUAL(sc_run_to_end(sc, 0, NULL, &out), 0);
	/* Up at twice the one-way time: 1ms + 66 bytes at 10Gbps */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:40: PASS: bfd session "
	    "'primary' Up on both ends in [3s, 5s): msee-primary Up since "
	    "2.000106ms, oracle-edge Up since 2.000106ms\n"));
	/* seed 1: each end 900ms after the last packet it got before 5s */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:41: PASS: bfd session "
	    "'primary' down within 900ms of 5s with diag "
	    "control-detection-time-expired: msee-primary Down at "
	    "5.732017055s (+732.017055ms, diag "
	    "control-detection-time-expired), oracle-edge Down at "
	    "5.825267447s (+825.267447ms, diag "
	    "control-detection-time-expired)\n"));
	free(out);
	/* the 900ms bound holds whatever the jitter draws */
	for (seed = 2; seed <= 6; seed++) {
		out = NULL;
		CU_ASSERT_EQUAL(sc_run_to_end(sc, seed, NULL, &out), 0);
		free(out);
	}
	scenario_free(sc);
}

static void
test_down_too_slow(void)
{
	struct scenario *sc;
	char *out = NULL;

	/* oracle-edge needs 825.267447ms with seed 1 */
	sc = example("within: 900ms", "within: 825267446ns");
	CU_ASSERT_EQUAL(sc_run_to_end(sc, 0, NULL, &out), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:41: FAIL: bfd session "
	    "'primary' down within 825.267446ms of 5s with diag "
	    "control-detection-time-expired: msee-primary Down at "
	    "5.732017055s (+732.017055ms, "));
	free(out);
	scenario_free(sc);
	out = NULL;
	sc = example("within: 900ms", "within: 825267447ns");
	CU_ASSERT_EQUAL(sc_run_to_end(sc, 0, NULL, &out), 0);
	free(out);
	scenario_free(sc);
	/* the wrong diagnostic */
	out = NULL;
	sc = example("diag: control-detection-time-expired",
	    "diag: neighbor-signaled-down");
	CU_ASSERT_EQUAL(sc_run_to_end(sc, 0, NULL, &out), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:41: FAIL: "));
	free(out);
	scenario_free(sc);
	/* Up is not held past the cut; not yet Up at 1ms (Init at 1.000053ms) */
	out = NULL;
	sc = example("before: 5s }", "before: 6s }\n"
	    "  - { kind: bfd-up, session: primary, by: 1ms }");
	CU_ASSERT_EQUAL(sc_run_to_end(sc, 0, NULL, &out), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:40: FAIL: bfd session "
	    "'primary' Up on both ends in [3s, 6s): msee-primary Down at "
	    "5.732017055s, oracle-edge Down at 5.825267447s\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:41: FAIL: bfd session "
	    "'primary' Up on both ends by 1ms: msee-primary Down at 1ms, "
	    "oracle-edge Down at 1ms\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:42: PASS: "));
	free(out);
	scenario_free(sc);
}

static void
test_metrics_and_determinism(void)
{
	struct scenario *sc = example(NULL, NULL);
	char *base = test_tmpdir("/tmp/xcsim-bfdsc-XXXXXX"), d1[300], d2[300], p1[400], p2[400];
	const char *files[] = { "metrics.json", "trace.xct" };
	char *out = NULL, *a, *b;
	size_t la = 0, lb = 0, i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(base);
	snprintf(d1, sizeof(d1), "%s/one", base);
	snprintf(d2, sizeof(d2), "%s/two", base);
	CU_ASSERT_EQUAL(sc_run_to_end(sc, 0, d1, &out), 0);
	free(out);
	out = NULL;
	CU_ASSERT_EQUAL(sc_run_to_end(sc, 0, d2, &out), 0);
	free(out);
	for (i = 0; i < 2; i++) {
		snprintf(p1, sizeof(p1), "%s/%s", d1, files[i]);
		snprintf(p2, sizeof(p2), "%s/%s", d2, files[i]);
		a = test_slurp(p1, &la);
		b = test_slurp(p2, &lb);
		CU_ASSERT_PTR_NOT_NULL_FATAL(a);
		CU_ASSERT_PTR_NOT_NULL_FATAL(b);
		CU_ASSERT(la == lb && memcmp(a, b, la) == 0);
		if (i == 0) {
			CU_ASSERT_PTR_NOT_NULL(strstr(a, "\"bfd\": [\n    "
			    "{\"session\":\"primary\",\"node\":\"msee-primary\","
			    "\"peer\":\"192.168.100.129\",\"state\":\"Down\","));
			CU_ASSERT_PTR_NOT_NULL(strstr(a, "\"ups\":1,\"downs\":1,"
			    "\"detections\":1,\"time_up_ns\":5730016949,"
			    "\"changes\":[{\"t_ns\":1000053,\"state\":\"Init\","
			    "\"diag\":0},{\"t_ns\":2000106,\"state\":\"Up\","
			    "\"diag\":0},{\"t_ns\":5732017055,\"state\":"
			    "\"Down\",\"diag\":1}]}"));
			CU_ASSERT_PTR_NOT_NULL(strstr(a, "\"node\":"
			    "\"oracle-edge\",\"peer\":\"192.168.100.130\""));
		}
		free(a);
		free(b);
	}
	scenario_free(sc);
}

static const struct test_case cases[] = {
	{ "bad bfd sections and assertions, exact messages", test_bad_input },
	{ "a link that did not resolve joins nothing", test_unresolved_link },
	{ "the bfd-failover example passes at exact times",
	    test_example_passes },
	{ "bfd-down fails when detection is slower than within",
	    test_down_too_slow },
	{ "per-session metrics; repeated runs are identical",
	    test_metrics_and_determinism },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	scenario_models_init();
	return test_main(argc, argv, "scenario_bfd", cases);
}
