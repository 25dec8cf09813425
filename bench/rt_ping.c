/*
 * rt_ping.c - a real ping across an emulated path: the round-trip time a
 * host sees, and its jitter, against the simulated path's.
 *
 * The process moves into a network namespace of its own first (so the
 * TAP, and everything else, vanishes with it). Host a's interface is a TAP
 * (the emulation section): the namespace takes a's place, 10.0.0.1/24, on
 * a link of RATE and DELAY to the simulated host b, 10.0.0.2, which
 * answers pings. A child runs the system's ping (COUNT echoes, one every
 * INTERVAL) while rt_run drives the simulation in real time; its output
 * is read during the run by a watcher on the rt's loop (a pipe holds only
 * about 1,000 lines: read afterwards, ping would block and lose echoes). One
 * key=value line: the echoes answered, the first echo's RTT (it waits for
 * ARP) and, over the others, the RTT's min/p50/mean/p99/max,
 * its standard deviation and its jitter (the mean difference between
 * consecutive RTTs, RFC 3550's estimator without the smoothing), the
 * path's own RTT, and the kernel's lateness meanwhile.
 * bench/ns3/rt_ping.cc is the same ping through ns-3's realtime scheduler
 * and a TapBridge, printing the same line (bench/README.md).
 *
 * usage: rt_ping [COUNT [INTERVAL_MS [DELAY_US [RATE]]]]
 *        (default 200 10 1000 1Gbps; root: namespaces, TAPs)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <ev.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "emu_cleanup.h"
#include "realtime.h"
#include "scenario.h"
#include "scenario_models.h"
#include "scenario_run.h"
#include "sim.h"

static const char yaml_fmt[] =
    "name: rt-ping\n"
    "duration: 1h\n"
    "nodes:\n"
    "  - { name: a, role: host, interfaces: [ { name: e, address: 10.0.0.1/24 } ] }\n"
    "  - { name: b, role: host, interfaces: [ { name: e, address: 10.0.0.2/24 } ] }\n"
    "links:\n  - { name: l, a: \"a:e\", b: \"b:e\", rate: %s, delay: %dus }\n"
    "emulation:\n"
    "  taps:\n"
    "    - { node: a, iface: e, device: xcrtping0 }\n";

/* ping's output, read as it comes */
struct out {
	ev_io w;
	char *buf;
	size_t len, cap;
	int failed;
};

/* Reads what fd has; 0 at its end (or out of memory), 1 otherwise. */
static int
out_read(struct out *o, int fd)
{
	ssize_t k;
	char *nb;

	for (;;) {
		if (o->len + 4096 + 1 > o->cap) {
			if ((nb = realloc(o->buf, o->cap * 2)) == NULL) {
				o->failed = 1;
				return 0;
			}
			o->buf = nb;
			o->cap *= 2;
		}
		k = read(fd, o->buf + o->len, o->cap - 1 - o->len);
		if (k < 0 && errno == EINTR)
			continue;
		if (k == 0 || (k < 0 && errno != EAGAIN))
			return 0;
		if (k < 0)
			return 1;
		o->len += (size_t)k;
	}
}

static void
out_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	(void)revents;
	/* end of file (ping exited) or no memory: stop watching */
	if (!out_read((struct out *)w, w->fd))
		ev_io_stop(loop, w);
}

static int
cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The RTTs (ms) of ping's "time=X ms" lines in out; how many. */
static size_t
rtts(const char *out, double *v, size_t max)
{
	const char *p = out;
	size_t n = 0;

	while (n < max && (p = strstr(p, "time=")) != NULL) {
		v[n++] = atof(p + 5);
		p += 5;
	}
	return n;
}

int
main(int argc, char **argv)
{
	int count = argc > 1 ? atoi(argv[1]) : 200;
	int interval_ms = argc > 2 ? atoi(argv[2]) : 10;
	int delay_us = argc > 3 ? atoi(argv[3]) : 1000;
	const char *rate = argc > 4 ? argv[4] : "1Gbps";
	struct rt_cfg cfg = { .policy = RT_LATE_WARN, .late_bound = SIM_S(1) };
	struct emu_cleanup *cu;
	struct run_opts o = { .rt_cfg = &cfg };
	struct rt_lateness l;
	struct scenario *sc;
	struct run *r;
	struct out po = { .cap = 1 << 16 };
	char text[2048], err[512], cmd[128], *out;
	double *v, sum = 0, sd = 0, jit = 0, secs, first;
	size_t n, i, recv;
	unsigned nerr = 0;
	int pfd[2];
	pid_t kid;

	if (count <= 0 || interval_ms < 2 || delay_us < 0) {
		fprintf(stderr, "usage: rt_ping [COUNT [INTERVAL_MS (>= 2) "
		    "[DELAY_US [RATE]]]]\n");
		return 2;
	}
	if (unshare(CLONE_NEWNET) < 0) {
		perror("rt_ping: unshare(CLONE_NEWNET) (run as root)");
		return 2;
	}
	scenario_models_init();
	snprintf(text, sizeof(text), yaml_fmt, rate, delay_us);
	if ((sc = scenario_load_buffer("rt_ping", text, strlen(text), stderr,
	    &nerr)) == NULL)
		return 2;
	cu = emu_cleanup_new();
	o.cleanup = cu;
	if ((r = run_new(sc, &o, err, sizeof(err))) == NULL) {
		fprintf(stderr, "rt_ping: %s\n", err);
		scenario_free(sc);
		emu_cleanup_free(cu);
		return 2;
	}
	if (pipe(pfd) < 0 || (kid = fork()) < 0)
		return 2;
	if (kid == 0) {
		close(pfd[0]);
		dup2(pfd[1], 1);
		dup2(pfd[1], 2);
		char cnt[16];

		snprintf(cnt, sizeof(cnt), "%d", count);
		snprintf(cmd, sizeof(cmd), "%d.%03d", interval_ms / 1000,
		    interval_ms % 1000);
		execlp("ping", "ping", "-n", "-c", cnt, "-i", cmd, "-W", "1",
		    "10.0.0.2", (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);
	if ((po.buf = malloc(po.cap)) == NULL ||
	    fcntl(pfd[0], F_SETFL, O_NONBLOCK) < 0)
		return 3;
	ev_io_init(&po.w, out_cb, pfd[0], EV_READ);
	ev_io_start(rt_loop(run_rt(r)), &po.w);
	/* the echoes, the last one's timeout, and a margin */
	secs = count * interval_ms / 1e3 + 2;
	rt_run(run_rt(r), sim_now(run_sim(r)) + (sim_time)(secs * 1e9), NULL);
	rt_lateness(run_rt(r), &l);
	ev_io_stop(rt_loop(run_rt(r)), &po.w);
	/* what is left (ping's summary), blocking to its end */
	fcntl(pfd[0], F_SETFL, 0);
	if (!po.failed)
		out_read(&po, pfd[0]);
	close(pfd[0]);
	waitpid(kid, NULL, 0);
	emu_cleanup_run(cu);
	run_free(r);
	scenario_free(sc);
	emu_cleanup_free(cu);
	if (po.failed)
		return 3;
	out = po.buf;
	out[po.len] = '\0';
	v = calloc((size_t)count + 1, sizeof(*v));
	n = rtts(out, v, (size_t)count);
	/* the first echo apart: it pays for the host's ARP (and ns-3's) */
	first = n > 0 ? v[0] : 0;
	recv = n;
	if (n > 1)
		memmove(v, v + 1, --n * sizeof(*v));
	for (i = 0; i < n; i++) {
		sum += v[i];
		if (i > 0)
			jit += fabs(v[i] - v[i - 1]);
	}
	if (n > 0) {
		for (i = 0; i < n; i++)
			sd += (v[i] - sum / (double)n) * (v[i] - sum / (double)n);
		sd = sqrt(sd / (double)n);
		jit = n > 1 ? jit / (double)(n - 1) : 0;
	}
	qsort(v, n, sizeof(*v), cmp_d);
	printf("impl=xcsim count=%d received=%zu path_rtt_ms=%.3f "
	    "first_ms=%.3f rtt_min_ms=%.3f rtt_p50_ms=%.3f rtt_mean_ms=%.3f "
	    "rtt_p99_ms=%.3f rtt_max_ms=%.3f rtt_sd_us=%.1f jitter_us=%.1f "
	    "late_p50_us=%.1f late_p99_us=%.1f late_max_us=%.1f\n", count,
	    recv,
	    2 * delay_us / 1e3, first, n ? v[0] : 0, n ? v[n / 2] : 0,
	    n ? sum / (double)n : 0, n ? v[(size_t)((double)(n - 1) * 0.99)] :
	    0, n ? v[n - 1] : 0, sd * 1e3, jit * 1e3, (double)l.p50 / 1e3,
	    (double)l.p99 / 1e3, (double)l.max / 1e3);
	if (n == 0)
		fputs(out, stderr);
	free(v);
	free(out);
	return n > 0 ? 0 : 1;
}
