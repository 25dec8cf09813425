/*
 * rt_lateness.c - how late the real-time kernel runs events, at idle and
 * under load.
 *
 * Two hosts on a 10 Gbit/s link: a ping every 10 ms (idle), plus, for each
 * rate given, a UDP flow of 64-byte datagrams at that many packets per
 * second, emulated for SECONDS of wall time each with nothing attached.
 * Each configuration prints one key=value line: the packets per second
 * actually sent, the events per second run, and the lateness histogram
 * (p50/p99/p99.9/max and the count later than 1 ms).
 *
 * usage: rt_lateness [SECONDS [PPS ...]]   (default: 2 0 100000)
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apps.h"
#include "realtime.h"
#include "scenario.h"
#include "scenario_models.h"
#include "scenario_run.h"
#include "sim.h"

static const char yaml_fmt[] =
    "name: rt-lateness\n"
    "duration: %gs\n"
    "nodes:\n"
    "  - { name: a, role: host, interfaces: [ { name: e, address: 10.0.0.1/24 } ] }\n"
    "  - { name: b, role: host, interfaces: [ { name: e, address: 10.0.0.2/24 } ] }\n"
    "links:\n  - { name: l, a: \"a:e\", b: \"b:e\", rate: 10Gbps, delay: 100us }\n"
    "apps:\n"
    "  - { name: p, type: ping, node: a, dst: b, interval: 10ms }\n"
    "%s";

static int
one(double seconds, double pps)
{
	char flow[256], text[2048], err[512];
	struct rt_cfg cfg = { .policy = RT_LATE_WARN, .late_bound = SIM_S(1) };
	struct run_opts o = { .rt_cfg = &cfg };
	struct rt_lateness l;
	struct scenario *sc;
	struct run *r;
	struct app *a;
	unsigned nerr = 0;
	enum rt_stop why;
	uint64_t sent = 0;

	flow[0] = '\0';
	if (pps > 0)
		/* 64-byte Ethernet frames: 46 IP bytes, 18 of payload */
		snprintf(flow, sizeof(flow), "  - { name: flow, type: udp_cbr, "
		    "node: a, dst: b, dport: 9000, rate: %.0fbps, size: 18 }\n",
		    pps * 46 * 8);
	snprintf(text, sizeof(text), yaml_fmt, seconds, flow);
	if ((sc = scenario_load_buffer("rt_lateness", text, strlen(text),
	    stderr, &nerr)) == NULL)
		return -1;
	if ((r = run_new(sc, &o, err, sizeof(err))) == NULL) {
		fprintf(stderr, "rt_lateness: %s\n", err);
		scenario_free(sc);
		return -1;
	}
	why = rt_run(run_rt(r), run_end_time(r), NULL);
	rt_lateness(run_rt(r), &l);
	if ((a = run_app(r, "flow")) != NULL)
		sent = udp_cbr_sent(a);
	printf("load_pps=%.0f sent_pps=%.0f events_per_s=%.0f events=%" PRIu64
	    " p50_us=%.1f p99_us=%.1f p999_us=%.1f max_us=%.1f over_1ms=%"
	    PRIu64 " result=%s\n", pps, (double)sent / seconds,
	    (double)l.events / seconds, l.events, (double)l.p50 / 1e3,
	    (double)l.p99 / 1e3, (double)l.p999 / 1e3, (double)l.max / 1e3,
	    l.over_1ms, why == RT_DONE ? "done" : rt_error(run_rt(r)));
	fflush(stdout);
	run_free(r);
	scenario_free(sc);
	return 0;
}

int
main(int argc, char **argv)
{
	double seconds = argc > 1 ? atof(argv[1]) : 2;
	int i, rc = 0;

	scenario_models_init();
	if (seconds <= 0) {
		fprintf(stderr, "usage: rt_lateness [SECONDS [PPS ...]]\n");
		return 2;
	}
	if (argc <= 2) {
		rc |= one(seconds, 0);
		rc |= one(seconds, 100000);
	}
	for (i = 2; i < argc; i++)
		rc |= one(seconds, atof(argv[i]));
	return rc ? 1 : 0;
}
