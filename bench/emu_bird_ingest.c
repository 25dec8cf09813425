/*
 * emu_bird_ingest.c - xcsim's side of bench/emu_bird_ingest.sh: the
 * simulated MSEE (AS 12076, bgp_fsm_msee_cfg, no max-prefix) on the socket
 * backend (stream_sock), paced by the real-time kernel (rt_run), takes a
 * full feed from a real BIRD over a real TCP session. Run in a network
 * namespace of the script's whose interface holds ME/24.
 *
 * It prints one key=value line: the wall-clock (CLOCK_REALTIME, comparable
 * with the script's `date +%s.%N`) instants at which the session was seen
 * Established, at which the Loc-RIB held N prefixes and at which the node's
 * RIB had made N best-route changes (its FIB); bytes per route by the
 * tables' own accounting (Adj-RIB-In + Loc-RIB, bgp_rib_memory, as
 * bench/bgp_ingest counts them), the node's RIB+FIB per prefix
 * (rib_memory) separately, the RSS growth, and the kernel's lateness.
 * The export policy rejects everything: like the BIRD receiver (`export
 * none`), nothing is sent back to the feeder.
 *
 * After converging it keeps the session up for HOLD_S more seconds (default
 * 2), so that the script can read the feeder's counters for this session.
 *
 * usage: emu_bird_ingest ME PEER PEER_AS N [TIMEOUT_S [HOLD_S]]
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bgp_policy.h"
#include "bgp_rib.h"
#include "bgp_speaker.h"
#include "net.h"
#include "realtime.h"
#include "rib.h"
#include "sim.h"
#include "stream.h"
#include "stream_sock.h"
#include "tcp.h"
#include "wire.h"

#define MSEE_AS 12076

static double
wall(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static size_t
rss_bytes(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	unsigned long size = 0, res = 0;

	if (f == NULL)
		return 0;
	if (fscanf(f, "%lu %lu", &size, &res) != 2)
		res = 0;
	fclose(f);
	return res * 4096u;
}

static sim_time
now_fn(void *ctx)
{
	return rt_now(ctx);
}

static uint64_t late_warnings;

static void
warn_fn(const char *msg, void *ctx)
{
	(void)msg;
	(void)ctx;
	late_warnings++;
}

/* Best-route changes in the node's RIB (what reaches its FIB). */
static void
rib_counted(struct rib *r, const struct rib_change *c, void *ctx)
{
	(void)r;
	(void)c;
	(*(uint64_t *)ctx)++;
}

int
main(int argc, char **argv)
{
	struct stream_sock_cfg sc;
	struct bgp_speaker_cfg c;
	struct bgp_neighbor_cfg nc;
	struct bgp_fsm_cfg fsm;
	struct rt_cfg rc;
	struct rt_lateness lt;
	struct sim *sim;
	struct net *net;
	struct node *node;
	struct rt *rt;
	struct stream_host *host;
	struct bgp_speaker *sp;
	struct bgp_polset *ps;
	struct bgp_policy *none;
	struct bgp_rib *br;
	struct rib *rib;
	uint32_t me, peer, peer_as;
	uint64_t fib_changes = 0;
	size_t n, rss0;
	double timeout = 300, hold = 2, t_est = 0, t_rib = 0, t_fib = 0, end;
	char err[256] = "";
	int rv = 1;

	if (argc < 5 || wire_ip_parse(argv[1], &me) != 0 ||
	    wire_ip_parse(argv[2], &peer) != 0) {
		fprintf(stderr, "usage: emu_bird_ingest ME PEER PEER_AS N "
		    "[TIMEOUT_S [HOLD_S]]\n");
		return 2;
	}
	peer_as = (uint32_t)strtoul(argv[3], NULL, 10);
	n = (size_t)strtoull(argv[4], NULL, 10);
	if (argc > 5)
		timeout = atof(argv[5]);
	if (argc > 6)
		hold = atof(argv[6]);
	rss0 = rss_bytes();
	sim = sim_new(1);
	net = net_new(sim);
	node = net_add_node(net, "msee", "router", NULL, NULL);
	node_add_iface(node, "x0", NULL, me, 24, 0);
	rib = node_rib(node, 0);
	rib_add_listener(rib, rib_counted, &fib_changes);
	memset(&rc, 0, sizeof(rc));
	rc.policy = RT_LATE_WARN;
	rc.warn = warn_fn;
	rt = rt_new(sim, &rc, err, sizeof(err));
	if (rt == NULL) {
		fprintf(stderr, "emu_bird_ingest: rt_new: %s\n", err);
		return 1;
	}
	memset(&sc, 0, sizeof(sc));
	sc.bind_addr = me;
	host = stream_sock_host_new(sim, rt_loop(rt), now_fn, rt, &sc, err,
	    sizeof(err));
	if (host == NULL) {
		fprintf(stderr, "emu_bird_ingest: host: %s\n", err);
		return 1;
	}
	ps = bgp_polset_new();
	none = bgp_policy_new(ps, "none");
	bgp_policy_set_default(none, BGP_POL_REJECT);
	bgp_speaker_cfg_init(&c, MSEE_AS, me);
	c.host = host;
	sp = bgp_speaker_new(node, &c, err, sizeof(err));
	if (sp == NULL) {
		fprintf(stderr, "emu_bird_ingest: speaker: %s\n", err);
		return 1;
	}
	fsm = bgp_fsm_msee_cfg;
	fsm.connect_retry_s = 1;
	bgp_neighbor_cfg_init(&nc, peer, peer_as);
	nc.fsm = &fsm;
	nc.max_prefix = 0;
	nc.export = none;
	if (bgp_speaker_add_neighbor(sp, &nc, err, sizeof(err)) != 0 ||
	    bgp_speaker_start(sp, err, sizeof(err)) != 0) {
		fprintf(stderr, "emu_bird_ingest: neighbour: %s\n", err);
		goto out;
	}
	br = bgp_speaker_rib(sp);
	end = wall() + timeout;
	/* 10 ms steps: the instants below are good to about that much */
	while (wall() < end && (t_rib == 0 || t_fib == 0)) {
		if (rt_run(rt, sim_now(sim) + SIM_MS(10), NULL) != RT_DONE) {
			fprintf(stderr, "emu_bird_ingest: rt: %s\n",
			    rt_error(rt));
			goto out;
		}
		if (t_est == 0 && bgp_speaker_peer_state(sp, peer) ==
		    BGP_ST_ESTABLISHED)
			t_est = wall();
		if (t_est != 0 && t_rib == 0 && bgp_rib_prefix_count(br) >= n)
			t_rib = wall();
		if (t_est != 0 && t_fib == 0 && fib_changes >= n)
			t_fib = wall();
	}
	rt_lateness(rt, &lt);
	if (t_rib == 0 || t_fib == 0) {
		fprintf(stderr, "emu_bird_ingest: timeout: established=%d "
		    "loc_rib=%zu fib_changes=%" PRIu64 " of %zu\n", t_est != 0,
		    bgp_rib_prefix_count(br), fib_changes, n);
		goto out;
	}
	printf("xcsim n=%zu t_established=%.3f t_loc_rib=%.3f t_fib=%.3f "
	    "converge_s=%.3f converge_fib_s=%.3f "
	    "rib_bytes_per_route=%.1f routes=%zu fib_bytes_per_prefix=%.1f "
	    "rss_bytes_per_route=%.1f late_warnings=%" PRIu64
	    " late_max_us=%.0f\n", n, t_est, t_rib, t_fib, t_rib - t_est,
	    t_fib - t_est, (double)bgp_rib_memory(br) /
	    (double)bgp_rib_route_count(br), bgp_rib_route_count(br),
	    (double)rib_memory(rib) / (double)n,
	    (double)(rss_bytes() - rss0) / (double)n, late_warnings,
	    (double)lt.max / 1e3);
	fflush(stdout);
	end = wall() + hold;
	while (wall() < end && rt_run(rt, sim_now(sim) + SIM_MS(10), NULL) ==
	    RT_DONE)
		;
	rv = 0;
out:
	rib_remove_listener(rib, rib_counted, &fib_changes);
	bgp_speaker_free(sp);
	bgp_polset_free(ps);
	stream_sock_host_free(host);
	rt_free(rt);
	tcp_stacks_free(net);
	net_free(net);
	sim_free(sim);
	return rv;
}
