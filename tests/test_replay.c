/*
 * test_replay.c - the viewer's replay state reached by playing a trace from
 * its start and by seeking (a keyframe, then the records after it) must be
 * the same: here the route tables of a trace whose routes are added,
 * changed, withdrawn and added again across keyframes. A withdrawn route
 * leaves the table in both. The player's own loop (viz.c) is followed
 * record for record, without drawing anything.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

#ifdef XCSIM_HAVE_VIZ
#include "replay.h"
#include "trace.h"
#include "util.h"

#define KF_EVERY SIM_MS(1)
#define N_BULK 300u
#define END SIM_MS(8)

/*
 * The trace goes in a folder of its own, removed at exit whatever happened
 * (a case that failed half-way used to leave the trace and its .tmp).
 */
static char dir[] = "/tmp/xcsim-test-replay-XXXXXX";
static char path[sizeof(dir) + 16];
static bool made;

static void
remove_dir(void)
{
	char cmd[sizeof(dir) + 16];

	if (!made)
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
}

static uint64_t
prng(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Something every 250 us up to t, so that keyframes come on time. */
static void
tick_to(struct trace *tr, sim_time *next, sim_time t)
{
	for (; *next <= t; *next += SIM_US(250))
		trace_annotate(tr, *next, TRACE_NO_ID, "tick");
}

static void
route(struct trace *tr, sim_time *next, sim_time t, uint32_t node,
    const char *table, uint32_t prefix, uint8_t plen, bool withdrawn,
    const char *nexthop, const char *attrs)
{
	tick_to(tr, next, t);
	trace_route(tr, t, node, table, prefix, plen, withdrawn, nexthop,
	    attrs);
}

static void
write_routes_trace(void)
{
	char err[256];
	int32_t pos[2] = { TRACE_POS_AUTO, TRACE_POS_AUTO };
	struct trace *tr;
	uint32_t order[N_BULK], i, k;
	uint64_t x = 3;
	sim_time t, tick = SIM_US(250);

	tr = trace_open(path, KF_EVERY, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(tr);
	trace_node(tr, 0, "msee", "msee", "", pos);
	trace_node(tr, 1, "edge", "oci-edge", "", pos);
	/* A: added, withdrawn before the first keyframe, added again later */
	route(tr, &tick, SIM_US(100), 0, "main", 0x0a010000u, 16, false,
	    "192.0.2.1", "as-path 12076");
	route(tr, &tick, SIM_US(100), 0, "main", 0x0a020000u, 16, false,
	    "192.0.2.1", "as-path 12076");
	route(tr, &tick, SIM_US(100), 1, "main", 0x0a030000u, 16, false,
	    "192.0.2.2", "as-path 31898");
	route(tr, &tick, SIM_US(500), 0, "main", 0x0a010000u, 16, true, "", "");
	/* B: in the first keyframe, withdrawn after it */
	route(tr, &tick, SIM_US(1500), 0, "main", 0x0a020000u, 16, true, "",
	    "");
	route(tr, &tick, SIM_US(1600), 0, "main", 0x0a040000u, 16, false,
	    "192.0.2.1", "");
	/* the same prefix in another table is another route */
	route(tr, &tick, SIM_US(1600), 0, "blue", 0x0a040000u, 16, false,
	    "192.0.2.9", "");
	route(tr, &tick, SIM_US(2500), 1, "main", 0x0a030000u, 16, false,
	    "192.0.2.3", "as-path 31898 31898");
	route(tr, &tick, SIM_US(3200), 0, "main", 0x0a040000u, 16, true, "", "");
	route(tr, &tick, SIM_US(3300), 0, "main", 0x0a010000u, 16, false,
	    "192.0.2.5", "as-path 12076 65001");
	/* a table's worth, then most of it withdrawn in a shuffled order */
	for (i = 0; i < N_BULK; i++) {
		route(tr, &tick, SIM_US(4100), i % 2, "main",
		    0x14000000u | i << 8, 24, false, "192.0.2.7", "");
		order[i] = i;
	}
	for (i = N_BULK; i > 1; i--) {
		uint32_t j = (uint32_t)(prng(&x) % i), s = order[j];

		order[j] = order[i - 1];
		order[i - 1] = s;
	}
	for (k = 0; k < N_BULK - 20; k++) {
		i = order[k];
		t = SIM_US(4200) + (sim_time)k * SIM_US(10);
		route(tr, &tick, t, i % 2, "main", 0x14000000u | i << 8, 24,
		    true, "", "");
	}
	/* what is left still changes in place, never twice over */
	for (k = N_BULK - 20; k < N_BULK; k++) {
		i = order[k];
		route(tr, &tick, SIM_US(7200), i % 2, "main",
		    0x14000000u | i << 8, 24, false, "192.0.2.8", "moved");
	}
	route(tr, &tick, SIM_US(7300), 1, "main", 0x0a030000u, 16, true, "", "");
	tick_to(tr, &tick, END);
	CU_ASSERT_EQUAL_FATAL(trace_close(tr, err, sizeof(err)), 0);
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The route tables as sorted text, one route a line (order is not state). */
static char *
routes_text(const struct replay *rp)
{
	char **line = xmalloc((rp->nroutes + 1) * sizeof(*line));
	size_t i, len = 1;
	char *out;

	for (i = 0; i < rp->nroutes; i++) {
		const struct replay_route *r = &rp->routes[i];
		char buf[256];

		snprintf(buf, sizeof(buf), "%u %s %u.%u.%u.%u/%u %s %s%s\n",
		    r->node, r->table, r->prefix >> 24, (r->prefix >> 16) & 255,
		    (r->prefix >> 8) & 255, r->prefix & 255, r->plen,
		    r->nexthop, r->attrs, r->live ? "" : " (withdrawn)");
		line[i] = xstrdup(buf);
		len += strlen(buf);
	}
	qsort(line, rp->nroutes, sizeof(*line), str_cmp);
	out = xmalloc(len);
	out[0] = '\0';
	for (i = 0; i < rp->nroutes; i++) {
		strcat(out, line[i]);
		free(line[i]);
	}
	free(line);
	return out;
}

/*
 * Feed rp the records up to t as viz_play_to does: declarations whenever
 * they come, timed records up to t. The record past t is left unread by the
 * caller's next call only in the player; here each call starts afresh.
 */
static void
feed_to(struct trace_reader *rd, struct replay *rp, sim_time t)
{
	struct trace_rec rec;
	char err[256];
	int r;

	while ((r = trace_reader_next(rd, &rec, err, sizeof(err))) == 1) {
		if (rec.t > t && !trace_type_is_decl(rec.type))
			break;
		replay_apply(rp, &rec);
	}
	CU_ASSERT(r >= 0);
}

static void
test_routes_seek_equals_play(void)
{
	char err[256];
	struct trace_reader *rd;
	struct replay play, jump;
	sim_time t;
	int compared = 0;

	write_routes_trace();
	rd = trace_reader_open(path, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
	replay_init(&play, 0, 0, 0);
	replay_init(&jump, 0, 0, 0);
	for (t = 0; t <= END; t += SIM_US(50)) {
		char *a, *b;

		/* play: from the start, every record in file order */
		replay_reset(&play);
		CU_ASSERT_EQUAL_FATAL(trace_reader_seek(rd, 0, err,
		    sizeof(err)), 0);
		feed_to(rd, &play, t);
		/* seek: the keyframe at or before t, then what follows */
		replay_reset(&jump);
		CU_ASSERT_EQUAL_FATAL(trace_reader_seek(rd, t, err,
		    sizeof(err)), 0);
		feed_to(rd, &jump, t);
		a = routes_text(&play);
		b = routes_text(&jump);
		if (strcmp(a, b) != 0)
			fprintf(stderr, "\nat %lld ns, played:\n%sseeked:\n%s",
			    (long long)t, a, b);
		CU_ASSERT_STRING_EQUAL(a, b);
		CU_ASSERT_EQUAL(play.nroutes, jump.nroutes);
		if (t == SIM_US(1700))
			CU_ASSERT_STRING_EQUAL(a,
			    "0 blue 10.4.0.0/16 192.0.2.9 \n"
			    "0 main 10.4.0.0/16 192.0.2.1 \n"
			    "1 main 10.3.0.0/16 192.0.2.2 as-path 31898\n");
		if (t == SIM_US(3500))
			CU_ASSERT_STRING_EQUAL(a,
			    "0 blue 10.4.0.0/16 192.0.2.9 \n"
			    "0 main 10.1.0.0/16 192.0.2.5 as-path 12076 65001\n"
			    "1 main 10.3.0.0/16 192.0.2.3 as-path 31898 31898\n");
		if (t == SIM_US(4150))
			CU_ASSERT_EQUAL(play.nroutes, 3 + N_BULK);
		if (t == END) {
			/* the bulk's 20 survivors moved, A and blue's D */
			CU_ASSERT_EQUAL(play.nroutes, 22);
			CU_ASSERT_PTR_NOT_NULL(strstr(a, "192.0.2.8 moved"));
			CU_ASSERT_PTR_NULL(strstr(a, "192.0.2.7"));
		}
		free(a);
		free(b);
		compared++;
	}
	CU_ASSERT_EQUAL(compared, 161);
	replay_free(&play);
	replay_free(&jump);
	trace_reader_close(rd);
	unlink(path);
}

static const struct test_case cases[] = {
	{ "route tables: seeking gives what playing gives",
	    test_routes_seek_equals_play },
	{ NULL, NULL },
};

#else

/* The replay is built with the viewer; without SDL2 there is none. */
static const struct test_case cases[] = {
	{ NULL, NULL },
};

#endif

int
main(int argc, char **argv)
{
#ifdef XCSIM_HAVE_VIZ
	if (mkdtemp(dir) == NULL)
		return 2;
	made = true;
	snprintf(path, sizeof(path), "%s/routes.xct", dir);
	atexit(remove_dir);
#endif
	return test_main(argc, argv, "replay", cases);
}
