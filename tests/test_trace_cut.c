/*
 * test_trace_cut.c - the trace of an interrupted run (no index, cut in the
 * middle of a record), as the viewer reads it: the scan takes every whole
 * record before the cut, the replay shows the same state as the complete
 * trace up to there (played or reached by a seek), and `xcsim viz --png`
 * renders it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"
#include "trace.h"
#include "util.h"

#ifdef XCSIM_HAVE_VIZ
#include "replay.h"
#include "scan.h"
#include "viz.h"

static void
tmp_path(char *p, size_t n, const char *name)
{
	snprintf(p, n, "/tmp/xct_cut_%ld_%s", (long)getpid(), name);
}

/* The default scenario's trace, written by the real xcsim. */
static const char *
real_trace(void)
{
	static char path[600];
	static bool done;
	char cmd[1400], out[512];

	tmp_path(out, sizeof(out), "out");
	if (!done) {
		snprintf(cmd, sizeof(cmd), "'%s' run --out '%s' >/dev/null 2>&1",
		    XCSIM_BINARY, out);
		if (system(cmd) != 0)
			return NULL;
		snprintf(path, sizeof(path), "%s/trace.xct", out);
		done = true;
	}
	return path;
}

static void
cut_copy(const char *from, const char *to, size_t n)
{
	size_t len = 0;
	char *b = test_slurp(from, &len);
	FILE *f;

	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_FATAL(n <= len);
	f = fopen(to, "wb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(fwrite(b, 1, n, f), n);
	fclose(f);
	free(b);
}

/* The replay at t: reached by reading from the start, or by a seek. */
static int
replay_at(const char *path, size_t nlinks, sim_time t, bool seek,
    struct replay *rp)
{
	struct trace_reader *rd;
	struct trace_rec r;
	char err[256];
	int rc;

	rd = trace_reader_open(path, err, sizeof(err));
	if (rd == NULL)
		return -1;
	replay_init(rp, nlinks, SIM_MS(1), SIM_MS(1));
	if (seek && trace_reader_seek(rd, t, err, sizeof(err)) != 0) {
		trace_reader_close(rd);
		return -1;
	}
	while ((rc = trace_reader_next(rd, &r, err, sizeof(err))) == 1) {
		if (trace_type_is_decl(r.type))
			continue;
		if (r.t > t)
			break;
		replay_apply(rp, &r);
	}
	if (rc < 0 && !trace_reader_at_cut(rd))
		rc = -2;
	trace_reader_close(rd);
	return rc == -2 ? -1 : 0;
}

static bool
replay_same(const struct replay *a, const struct replay *b)
{
	size_t i;

	if (a->nlinks != b->nlinks || a->nroutes != b->nroutes ||
	    a->nsess != b->nsess || a->nprov != b->nprov)
		return false;
	for (i = 0; i < a->nlinks; i++)
		if (a->links[i].up != b->links[i].up ||
		    memcmp(a->links[i].d, b->links[i].d,
		    sizeof(a->links[i].d)) != 0)
			return false;
	return true;
}

static void
test_cut_trace_opens_in_viewer(void)
{
	const char *full = real_trace();
	char cut[512], png[512], cmd[1200];
	struct scan sf, sc;
	struct replay a, b, c;
	struct trace_reader *rd;
	struct viz_opts o = { 640, 360, NULL, NULL, NULL };
	char err[256];
	struct stat st;
	size_t size, at;
	sim_time t;
	int k;

	CU_ASSERT_PTR_NOT_NULL_FATAL(full);
	tmp_path(cut, sizeof(cut), "cut.xct");
	tmp_path(png, sizeof(png), "cut.png");
	CU_ASSERT_EQUAL_FATAL(stat(full, &st), 0);
	size = (size_t)st.st_size;
	rd = trace_reader_open(full, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
	CU_ASSERT_EQUAL_FATAL(scan_trace(rd, &sf, err, sizeof(err)), 0);
	CU_ASSERT_FALSE(sf.truncated);
	trace_reader_close(rd);

	for (k = 1; k <= 9; k++) {
		/* odd offsets: in the middle of records, and of the index */
		at = size * (size_t)k / 10 + (size_t)k * 7 + 3;
		if (k == 9)
			at = size - 5;	/* only the trailer is cut */
		cut_copy(full, cut, at);
		err[0] = '\0';
		rd = trace_reader_open(cut, err, sizeof(err));
		CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
		CU_ASSERT_TRUE(trace_reader_truncated(rd));
		CU_ASSERT_EQUAL(strncmp(err, "warning: ", 9), 0);
		if (scan_trace(rd, &sc, err, sizeof(err)) != 0) {
			fprintf(stderr, "cut at %zu: %s\n", at, err);
			CU_FAIL("scan of a cut trace");
			trace_reader_close(rd);
			continue;
		}
		trace_reader_close(rd);
		CU_ASSERT_TRUE(sc.truncated);
		CU_ASSERT_EQUAL(sc.nlinks, sf.nlinks);
		CU_ASSERT_TRUE(k == 9 ? sc.nrecords == sf.nrecords :
		    sc.nrecords < sf.nrecords);
		CU_ASSERT_TRUE(sc.nrecords > 0);

		/* Until just before the last instant recorded before the
		 * cut (whose records may be cut in part), the cut trace
		 * shows what the whole one does, played or sought. */
		rd = trace_reader_open(cut, err, sizeof(err));
		CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
		t = trace_reader_end_time(rd) - 1;
		trace_reader_close(rd);
		CU_ASSERT_TRUE(t > 0);
		CU_ASSERT_EQUAL(replay_at(full, sf.nlinks, t, false, &a), 0);
		CU_ASSERT_EQUAL(replay_at(cut, sf.nlinks, t, false, &b), 0);
		CU_ASSERT_EQUAL(replay_at(cut, sf.nlinks, t, true, &c), 0);
		CU_ASSERT_TRUE(replay_same(&a, &b));
		CU_ASSERT_TRUE(replay_same(&a, &c));
		replay_free(&a);
		replay_free(&b);
		replay_free(&c);

		/* The viewer's own path: open, seek, play to the end, PNG. */
		CU_ASSERT_EQUAL(viz_png(cut, png, t / 2, &o, err,
		    sizeof(err)), 0);
		CU_ASSERT_EQUAL(stat(png, &st), 0);
		scan_free(&sc);
		unlink(png);
	}
	scan_free(&sf);
	unlink(cut);
	tmp_path(cut, sizeof(cut), "out");
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", cut);
	CU_ASSERT_EQUAL(system(cmd), 0);
}

static const struct test_case cases[] = {
	{ "a cut trace opens in the viewer", test_cut_trace_opens_in_viewer },
	{ NULL, NULL },
};
#else
static const struct test_case cases[] = {
	{ NULL, NULL },
};
#endif

/* This run's files go at exit, also after a case stopped half-way. */
static void
remove_tmp(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf /tmp/xct_cut_%ld_*", (long)getpid());
	if (system(cmd) != 0)
		fprintf(stderr, "could not run: %s\n", cmd);
}

int
main(int argc, char **argv)
{
	atexit(remove_tmp);
	return test_main(argc, argv, "trace_cut", cases);
}
