/*
 * test_prov_ops.c - the operations of a timeline in the trace: the plan's
 * expansion gives each resource its `operations` (start, end, verb,
 * outcome and the cloud's error), in start order; the run writes one
 * prov_op record per operation at its start, ids in start order, on the
 * resource's first node, with exactly the plan's times; the resources
 * section refuses an operation that ends before it starts or an error on
 * one that is not refused. The fake cloud of provision_testutil.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "provision_testutil.h"
#include "scenario_expand.h"
#include "scenario_testutil.h"
#include "testutil.h"
#include "trace.h"

static const char *tmpdir;

static const char lab[] =
	"name: t\n"
	"seed: 5\n"
	"duration: 10m\n"
	"nodes:\n"
	"  - { name: edge, role: router }\n"
	"fakes:\n"
	"  - { name: d, kind: disk }\n"
	"  - { name: v, kind: vc, needs: [d] }\n"
	"  - { name: w, kind: vc }\n"
	"timeline:\n"
	"  - { id: disk, at: 10s, create: disks/d, duration: 15s }\n"
	"  - { id: vc, after: disk, delay: 5s, create: v, duration: 60s }\n"
	"  - { at: 5m, update: vcs/v, set: { bandwidth: 500 },\n"
	"      expect: { error: BandwidthDecrease } }\n"
	"  - { at: 6m, update: w, set: { bandwidth: 100 },\n"
	"      expect: { error: BandwidthDecrease } }\n";

/*
 * The vc's create ends a second draw after PROVISIONED (1..2s, the second
 * draw of the operation's stream, its index 1; the first is the 60s of
 * its duration): computed here from the seed, independently of the plan.
 */
static sim_time
vc_end(void)
{
	return SIM_S(90) + prov_draw_raw(5, 1, 1, SIM_S(1), SIM_S(2));
}

/* Each resource's operations, after its notes, in start order. */
static void
test_expand_ops(void)
{
	char want[1024], end[32];
	int rc;
	char *out;

	fake_setup();
	out = prov_test_expand(lab, &rc);
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	units_fmt_time(end, sizeof(end), vc_end());
	CU_ASSERT(vc_end() > SIM_S(91) && vc_end() < SIM_S(92));
	snprintf(want, sizeof(want),
	    "- name: disks/d\n"
	    "  operations:\n"
	    "  - at: 10s\n"
	    "    end: 25s\n"
	    "    op: create\n"
	    "- name: vcs/v\n"
	    "  operations:\n"
	    "  - at: 30s\n"
	    "    end: %s\n"
	    "    op: create\n"
	    "  - at: 300s\n"
	    "    end: 300s\n"
	    "    op: update\n"
	    "    outcome: refused\n"
	    "    error: 'BandwidthDecrease: v: bandwidth 500 is below 1000'\n"
	    "- name: vcs/w\n"
	    "  operations:\n"
	    "  - at: 360s\n"
	    "    end: 360s\n"
	    "    op: update\n"
	    "    outcome: refused\n", end);
	CU_ASSERT(prov_test_has_lines(out, want));
	/* a done one says nothing of its outcome (the default) */
	CU_ASSERT_PTR_NULL(strstr(out, "outcome: done"));
	free(out);
}

static uint32_t
node_named(const char *path, const char *name)
{
	struct trace_reader *rd;
	struct trace_rec r;
	char err[256] = "";
	uint32_t id = UINT32_MAX - 1;

	rd = trace_reader_open(path, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
	while (trace_reader_next(rd, &r, err, sizeof(err)) == 1)
		if (r.type == TR_NODE && strcmp(r.u.node.name, name) == 0)
			id = r.u.node.id;
	trace_reader_close(rd);
	return id;
}

/* The run's prov_op records: the plan's spans exactly, in start order. */
static void
test_run_trace(void)
{
	char *diag = NULL, *res = NULL, path[600], err[256] = "";
	struct trace_reader *rd;
	struct scenario *sc;
	struct trace_rec r;
	unsigned n = 0;
	uint32_t edge;
	int k = 0, rc;

	fake_setup();
	sc = load(lab, &diag, &n);
	if (sc == NULL)
		fprintf(stderr, "\n%s", diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	CU_ASSERT_EQUAL(sc_run_to_end(sc, 0, tmpdir, &res), 0);
	snprintf(path, sizeof(path), "%s/trace.xct", tmpdir);
	edge = node_named(path, "edge");
	CU_ASSERT(edge < 16);
	rd = trace_reader_open(path, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
	while ((rc = trace_reader_next(rd, &r, err, sizeof(err))) == 1) {
		if (r.type != TR_PROV_OP)
			continue;
		CU_ASSERT_EQUAL(r.u.op.id, (uint32_t)k);
		switch (k++) {
		case 0:
			CU_ASSERT_EQUAL(r.t, SIM_S(10));
			CU_ASSERT_EQUAL(r.u.op.end, SIM_S(25));
			CU_ASSERT_EQUAL(r.u.op.node, TRACE_NO_ID);
			CU_ASSERT_STRING_EQUAL(r.u.op.verb, "create");
			CU_ASSERT_STRING_EQUAL(r.u.op.resource, "disks/d");
			CU_ASSERT_STRING_EQUAL(r.u.op.title, "Disk d");
			CU_ASSERT_EQUAL(r.u.op.outcome, TRO_DONE);
			CU_ASSERT_PTR_NULL(r.u.op.error);
			break;
		case 1:
			CU_ASSERT_EQUAL(r.t, SIM_S(30));
			CU_ASSERT_EQUAL(r.u.op.end, vc_end());
			CU_ASSERT_EQUAL(r.u.op.node, edge);
			CU_ASSERT_STRING_EQUAL(r.u.op.resource, "vcs/v");
			CU_ASSERT_EQUAL(r.u.op.outcome, TRO_DONE);
			break;
		case 2:
			CU_ASSERT_EQUAL(r.t, SIM_S(300));
			CU_ASSERT_EQUAL(r.u.op.end, SIM_S(300));
			CU_ASSERT_STRING_EQUAL(r.u.op.verb, "update");
			CU_ASSERT_EQUAL(r.u.op.outcome, TRO_REFUSED);
			CU_ASSERT_STRING_EQUAL(r.u.op.error, "BandwidthDecrease: "
			    "v: bandwidth 500 is below 1000");
			break;
		case 3:
			CU_ASSERT_EQUAL(r.t, SIM_S(360));
			CU_ASSERT_STRING_EQUAL(r.u.op.resource, "vcs/w");
			CU_ASSERT_EQUAL(r.u.op.outcome, TRO_REFUSED);
			break;
		}
	}
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_EQUAL(k, 4);
	trace_reader_close(rd);
	scenario_free(sc);
	free(res);
	free(diag);
}

/* The low-level form by hand: its checks. */
static void
test_section_checks(void)
{
	static const char *const bad[][2] = {
		{ "{ at: 5s, end: 4s, op: create }",
		    "resource 'a/b': operation create ends at 4s, before its "
		    "start at 5s" },
		{ "{ at: 5s, end: 6s, op: create, error: nope }",
		    "operation create has an error but is not refused (give "
		    "outcome: refused)" },
		{ "{ at: 5s, end: 6s, op: create, outcome: maybe }",
		    "maybe" },
		{ "{ at: 5s, op: create }", "end" },
	};
	char text[1024], *diag = NULL;
	struct scenario *sc;
	unsigned n = 0;
	size_t i;

	fake_setup();
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), "duration: 10s\n"
		    "nodes:\n  - { name: r, role: router }\n"
		    "resources:\n  - name: a/b\n    type: T\n"
		    "    operations:\n      - %s\n", bad[i][0]);
		diag = NULL;
		n = 0;
		sc = load(text, &diag, &n);
		CU_ASSERT_PTR_NULL(sc);
		CU_ASSERT(n >= 1);
		CU_ASSERT_PTR_NOT_NULL(diag);
		if (diag != NULL && strstr(diag, bad[i][1]) == NULL) {
			fprintf(stderr, "\nwanted '%s' in:\n%s", bad[i][1],
			    diag);
			CU_FAIL("message");
		}
		scenario_free(sc);
		free(diag);
	}
	/* a good one loads: refused with its error, done without */
	snprintf(text, sizeof(text), "duration: 10s\n"
	    "nodes:\n  - { name: r, role: router }\n"
	    "resources:\n  - name: a/b\n    type: T\n    nodes: [r]\n"
	    "    operations:\n"
	    "      - { at: 1s, end: 3s, op: create }\n"
	    "      - { at: 4s, end: 4s, op: delete, outcome: refused, "
	    "error: 'Conflict: no' }\n");
	diag = NULL;
	n = 0;
	sc = load(text, &diag, &n);
	if (sc == NULL)
		fprintf(stderr, "\n%s", diag);
	CU_ASSERT_PTR_NOT_NULL(sc);
	CU_ASSERT_EQUAL(n, 0);
	scenario_free(sc);
	free(diag);
}

static const struct test_case cases[] = {
	{ "the expansion's operations per resource", test_expand_ops },
	{ "the run's prov_op records, the plan's times", test_run_trace },
	{ "the resources section's operations: checks", test_section_checks },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	if ((tmpdir = test_tmpdir("/tmp/test_prov_ops.XXXXXX")) == NULL)
		return 2;
	return test_main(argc, argv, "prov_ops", cases);
}
