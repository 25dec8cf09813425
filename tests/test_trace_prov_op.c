/*
 * test_trace_prov_op.c - the trace's 2.3 record, prov_op (an operation of
 * a provisioning timeline with its span and outcome): written and read
 * back field by field, its JSON line, an error only on a refusal, not
 * restated by keyframes (an event: a seek past it does not return it),
 * and skipped by a 2.2 reader with the other records' times unchanged.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "trace.h"
#include "util.h"

static const char *tmpdir;

static const char *
tpath(const char *name)
{
	static char buf[4][512];
	static int k;

	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", tmpdir, name);
	return buf[k];
}

#define CIRC "express_route_circuits/er-ashburn"

/*
 * Two nodes, a link, and three operations: a create on node 1 taking 12
 * min 3 s, a refusal at once on no node, and one ending after the trace;
 * with a link change between them and keyframes every second.
 */
static void
write_ops(const char *path)
{
	static const uint32_t node[2] = { 0, 1 }, ifx[2] = { 0, 0 };
	static const uint64_t rate[2] = { 1000000000, 1000000000 };
	static const sim_time delay[2] = { SIM_US(100), SIM_US(100) };
	char err[256] = "";
	struct trace *tr = trace_open(path, SIM_S(1), err, sizeof(err));

	CU_ASSERT_PTR_NOT_NULL_FATAL(tr);
	trace_node(tr, 0, "a", "router", NULL, NULL);
	trace_node(tr, 1, "msee", "router", NULL, NULL);
	trace_link(tr, 0, "ab", node, ifx, rate, delay, 1500, 100, 0);
	trace_prov_op(tr, SIM_S(2), 0, 1, "create", CIRC,
	    "ExpressRoute circuit er-ashburn", SIM_S(2 + 723), TRO_DONE,
	    "ignored: not refused");
	trace_link_state(tr, SIM_S(3), 0, false);
	trace_prov_op(tr, SIM_S(4), 1, TRACE_NO_ID, "delete", CIRC,
	    "ExpressRoute circuit er-ashburn", SIM_S(4), TRO_REFUSED,
	    "ConflictError: the provider side is Provisioned");
	trace_link_state(tr, SIM_S(5), 0, true);
	trace_prov_op(tr, SIM_S(6), 2, 0, "update", "vcs/v", "", SIM_S(9000),
	    TRO_DONE, NULL);
	trace_annotate(tr, SIM_S(7), 0, "end");
	CU_ASSERT_EQUAL_FATAL(trace_close(tr, err, sizeof(err)), 0);
}

static void
test_round_trip(void)
{
	const char *path = tpath("ops.xct");
	struct trace_reader *rd;
	struct trace_rec r;
	char err[256] = "", js[1024];
	int rc, k = 0;
	uint8_t *b;
	size_t n;

	write_ops(path);
	b = (uint8_t *)test_slurp(path, &n);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_EQUAL(b[8], 2);
	CU_ASSERT_EQUAL(b[10], 3);	/* 2.3 */
	/* a refusal's error is free text, written as it is */
	CU_ASSERT_PTR_NOT_NULL(memmem(b, n, "ConflictError: the provider",
	    27));
	CU_ASSERT_PTR_NULL(memmem(b, n, "ignored: not refused", 20));
	free(b);
	rd = trace_reader_open(path, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
	while ((rc = trace_reader_next(rd, &r, err, sizeof(err))) == 1) {
		if (r.type != TR_PROV_OP)
			continue;
		trace_rec_json(&r, js, sizeof(js));
		switch (k++) {
		case 0:
			CU_ASSERT_EQUAL(r.t, SIM_S(2));
			CU_ASSERT_EQUAL(r.u.op.id, 0);
			CU_ASSERT_EQUAL(r.u.op.node, 1);
			CU_ASSERT_STRING_EQUAL(r.u.op.verb, "create");
			CU_ASSERT_STRING_EQUAL(r.u.op.resource, CIRC);
			CU_ASSERT_STRING_EQUAL(r.u.op.title,
			    "ExpressRoute circuit er-ashburn");
			CU_ASSERT_EQUAL(r.u.op.end, SIM_S(725));
			CU_ASSERT_EQUAL(r.u.op.outcome, TRO_DONE);
			CU_ASSERT_PTR_NULL(r.u.op.error);
			CU_ASSERT_STRING_EQUAL(js, "{\"t\":2000000000,\"type\":"
			    "\"prov_op\",\"id\":0,\"node\":1,\"verb\":\"create\","
			    "\"resource\":\"" CIRC "\",\"title\":"
			    "\"ExpressRoute circuit er-ashburn\",\"end\":"
			    "725000000000,\"outcome\":\"done\"}");
			break;
		case 1:
			CU_ASSERT_EQUAL(r.t, SIM_S(4));
			CU_ASSERT_EQUAL(r.u.op.id, 1);
			CU_ASSERT_EQUAL(r.u.op.node, TRACE_NO_ID);
			CU_ASSERT_STRING_EQUAL(r.u.op.verb, "delete");
			CU_ASSERT_EQUAL(r.u.op.end, SIM_S(4));
			CU_ASSERT_EQUAL(r.u.op.outcome, TRO_REFUSED);
			CU_ASSERT_STRING_EQUAL(r.u.op.error, "ConflictError: "
			    "the provider side is Provisioned");
			CU_ASSERT_STRING_EQUAL(js, "{\"t\":4000000000,\"type\":"
			    "\"prov_op\",\"id\":1,\"node\":null,\"verb\":"
			    "\"delete\",\"resource\":\"" CIRC "\",\"title\":"
			    "\"ExpressRoute circuit er-ashburn\",\"end\":"
			    "4000000000,\"outcome\":\"refused\",\"error\":"
			    "\"ConflictError: the provider side is "
			    "Provisioned\"}");
			break;
		case 2:
			/* an end past the trace's is kept as it is */
			CU_ASSERT_EQUAL(r.t, SIM_S(6));
			CU_ASSERT_EQUAL(r.u.op.node, 0);
			CU_ASSERT_STRING_EQUAL(r.u.op.title, "");
			CU_ASSERT_EQUAL(r.u.op.end, SIM_S(9000));
			break;
		}
	}
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_EQUAL(k, 3);
	CU_ASSERT_EQUAL(trace_reader_end_time(rd), SIM_S(7));
	trace_reader_close(rd);
	unlink(path);
}

/*
 * An event, not state: a seek to 5.5 s (through the keyframe of 5 s)
 * returns the operation written at 6 s, after it in the file, and not the
 * two of 2 s and 4 s, which no keyframe restates.
 */
static void
test_not_restated(void)
{
	const char *path = tpath("seek.xct");
	struct trace_reader *rd;
	struct trace_rec r;
	char err[256] = "";
	bool marker = false;
	int rc, n = 0;

	write_ops(path);
	rd = trace_reader_open(path, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
	CU_ASSERT_EQUAL_FATAL(trace_reader_seek(rd, SIM_MS(5500), err,
	    sizeof(err)), 0);
	while ((rc = trace_reader_next(rd, &r, err, sizeof(err))) == 1) {
		if (r.type == TR_KEYFRAME)
			marker = true;
		if (r.type == TR_PROV_OP) {
			n++;
			/* only the one written after the keyframe */
			CU_ASSERT_EQUAL(r.u.op.id, 2);
			CU_ASSERT(r.t > SIM_S(5));
		}
	}
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT(marker);
	CU_ASSERT_EQUAL(n, 1);
	trace_reader_close(rd);
	unlink(path);
}

/*
 * Rewrite the prov_op records' type code (24) to one a 2.2 reader does
 * not know either (30), walking the frames; keyframe bodies hold none.
 */
static size_t
hide_ops(uint8_t *p, size_t n, size_t at)
{
	size_t count = 0;

	while (at < n) {
		uint64_t type = 0, len = 0;
		unsigned sh = 0;
		size_t tpos = at;

		do
			type |= (uint64_t)(p[at] & 0x7f) << sh, sh += 7;
		while (p[at++] & 0x80);
		if (type == 33)
			break;	/* the index */
		sh = 0;
		do
			len |= (uint64_t)(p[at] & 0x7f) << sh, sh += 7;
		while (p[at++] & 0x80);
		if (type == TR_PROV_OP) {
			p[tpos] = 30;
			count++;
		}
		at += len;
	}
	return count;
}

/* A 2.2 reader skips them (rule 1 of section 4): the rest reads the same. */
static void
test_older_reader(void)
{
	const char *path = tpath("v.xct"), *hidden = tpath("hidden.xct");
	struct trace_reader *a, *b;
	struct trace_rec ra, rb;
	char err[256] = "";
	uint8_t *buf;
	size_t n = 0;
	FILE *f;
	int rc;

	write_ops(path);
	buf = (uint8_t *)test_slurp(path, &n);
	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	CU_ASSERT_EQUAL(hide_ops(buf, n - 16, 16), 3);
	buf[10] = 2;
	f = fopen(hidden, "wb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(fwrite(buf, 1, n, f), n);
	fclose(f);
	free(buf);
	a = trace_reader_open(path, err, sizeof(err));
	b = trace_reader_open(hidden, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	for (;;) {
		do
			rc = trace_reader_next(a, &ra, err, sizeof(err));
		while (rc == 1 && ra.type == TR_PROV_OP);
		CU_ASSERT_EQUAL_FATAL(trace_reader_next(b, &rb, err,
		    sizeof(err)), rc);
		if (rc != 1)
			break;
		CU_ASSERT_EQUAL(ra.type, rb.type);
		CU_ASSERT_EQUAL(ra.t, rb.t);
	}
	CU_ASSERT_EQUAL(rc, 0);
	trace_reader_close(a);
	trace_reader_close(b);
	unlink(path);
	unlink(hidden);
}

static const struct test_case cases[] = {
	{ "prov_op: fields, JSON, error only when refused", test_round_trip },
	{ "prov_op is an event: keyframes do not restate it",
	    test_not_restated },
	{ "a 2.2 reader skips prov_op", test_older_reader },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	if ((tmpdir = test_tmpdir("/tmp/test_trace_prov_op.XXXXXX")) == NULL)
		return 2;
	return test_main(argc, argv, "trace_prov_op", cases);
}
