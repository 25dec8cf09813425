/*
 * trace_routes.c - trace cost of a BGP-sized route table: ROUTES routes
 * announced at 1 ms, then KEYFRAMES keyframe intervals of 1 ms, each
 * withdrawing and re-announcing CHURN of them. Keyframes restate keyed
 * state as deltas (docs/trace-format.md, section 6), so the trace grows
 * with log2(keyframes) tables, not one table per keyframe, and the writer
 * holds each route once.
 *
 *   trace_routes [--routes N] [--keyframes K] [--churn C] [--out FILE]
 *
 * Prints key=value lines: routes, keyframes, churn, trace_bytes,
 * bytes_per_route, writer_mem_bytes, writer_mem_per_route,
 * writer_mem_end_bytes, wall_s, seek_wall_s (a seek to the last instant,
 * reading the keyframe chain), seek_routes.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "trace.h"
#include "util.h"

static double
wall(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Routes present at t, after a seek (a key may come once per delta). */
static unsigned long
seek_routes(const char *path, sim_time t, unsigned long nroutes)
{
	struct trace_reader *rd;
	struct trace_rec r;
	bool *present = xcalloc(nroutes, sizeof(*present));
	unsigned long n = 0, i, p;
	char err[256];

	rd = trace_reader_open(path, err, sizeof(err));
	if (rd == NULL || trace_reader_seek(rd, t, err, sizeof(err)) != 0) {
		fprintf(stderr, "trace_routes: %s\n", err);
		exit(1);
	}
	while (trace_reader_next(rd, &r, err, sizeof(err)) == 1) {
		if (r.type == TR_KEYFRAME)
			continue;
		if (r.t > t)
			break;
		p = r.u.route.prefix >> 8;
		if (r.type == TR_ROUTE && p < nroutes)
			present[p] = !r.u.route.withdrawn;
	}
	trace_reader_close(rd);
	for (i = 0; i < nroutes; i++)
		n += present[i];
	free(present);
	return n;
}

int
main(int argc, char **argv)
{
	static const char *const nh[2] = { "169.254.21.1", "169.254.22.1" };
	unsigned long routes = 1000000, churn = 1000, i, p;
	const char *out = "/tmp/trace_routes.xct";
	int keyframes = 64, k;
	size_t mem_loaded, mem_end;
	double w0, w1, w2;
	struct trace *tr;
	struct stat st;
	char err[256];
	sim_time t;

	for (k = 1; k < argc; k++) {
		if (strcmp(argv[k], "--routes") == 0 && k + 1 < argc)
			routes = strtoul(argv[++k], NULL, 10);
		else if (strcmp(argv[k], "--keyframes") == 0 && k + 1 < argc)
			keyframes = atoi(argv[++k]);
		else if (strcmp(argv[k], "--churn") == 0 && k + 1 < argc)
			churn = strtoul(argv[++k], NULL, 10);
		else if (strcmp(argv[k], "--out") == 0 && k + 1 < argc)
			out = argv[++k];
		else {
			fprintf(stderr, "usage: trace_routes [--routes N] "
			    "[--keyframes K] [--churn C] [--out FILE]\n");
			return 2;
		}
	}
	if (routes == 0 || routes > (1ul << 24) || churn > routes ||
	    keyframes < 0) {
		fprintf(stderr, "trace_routes: bad sizes\n");
		return 2;
	}
	w0 = wall();
	tr = trace_open(out, SIM_MS(1), err, sizeof(err));
	if (tr == NULL) {
		fprintf(stderr, "trace_routes: %s\n", err);
		return 1;
	}
	trace_node(tr, 0, "edge", "router", NULL, NULL);
	for (i = 0; i < routes; i++)
		trace_route(tr, SIM_MS(1), 0, "bgp", (uint32_t)(i << 8), 24,
		    false, nh[0], "as_path 65010 65020");
	mem_loaded = trace_mem_bytes(tr);
	for (k = 2; k < keyframes + 2; k++) {
		t = SIM_MS(k);
		trace_annotate(tr, t, 0, "tick");
		/* 104729 is prime: the churned routes are distinct */
		for (i = 0; i < churn; i++) {
			p = ((unsigned long)k * 7919ul + i * 104729ul) % routes;
			trace_route(tr, t, 0, "bgp", (uint32_t)(p << 8), 24,
			    true, NULL, NULL);
		}
		for (i = 0; i < churn; i++) {
			p = ((unsigned long)k * 7919ul + i * 104729ul) % routes;
			trace_route(tr, t + 1, 0, "bgp", (uint32_t)(p << 8),
			    24, false, nh[k & 1], "as_path 65010 65030");
		}
	}
	mem_end = trace_mem_bytes(tr);
	if (trace_close(tr, err, sizeof(err)) != 0) {
		fprintf(stderr, "trace_routes: %s\n", err);
		return 1;
	}
	w1 = wall();
	stat(out, &st);
	i = seek_routes(out, SIM_MS(keyframes + 1) + 1, routes);
	w2 = wall();
	printf("routes=%lu\nkeyframes=%d\nchurn=%lu\ntrace_bytes=%lld\n"
	    "bytes_per_route=%.1f\nwriter_mem_bytes=%zu\n"
	    "writer_mem_per_route=%.1f\nwriter_mem_end_bytes=%zu\n"
	    "wall_s=%.3f\nseek_wall_s=%.3f\nseek_routes=%lu\n", routes,
	    keyframes, churn, (long long)st.st_size,
	    (double)st.st_size / (double)routes, mem_loaded,
	    (double)mem_loaded / (double)routes, mem_end, w1 - w0, w2 - w1, i);
	unlink(out);
	return i == routes ? 0 : 1;
}
