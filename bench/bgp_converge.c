/*
 * bench/bgp_converge.c - BGP convergence after a link failure, on a line
 * and on a ring of ASes.
 *
 * One node and one speaker per AS (AS 65001.., router id i+1), eBGP over a
 * /30 link to each neighbour (1 Gbit/s, 1 ms), the lower-numbered end
 * connecting and the other passive, each AS originating its own
 * 172.16.i.0/24 (up to 200 nodes: 172.16+i/256...). Timers are RFC 4271's
 * suggestions (bgp_fsm_default_cfg: hold 90 s, keepalive 30 s), the eBGP
 * MRAI 0 or 30 s, with or without BFD (bfd_msee_cfg: 300 ms x 3) on every
 * session. Everything runs on the real path: the speakers over simulated
 * TCP over the simulated links, the routes into every node's RIB and FIB.
 *
 * The run: start every speaker at 0 and run to T_FAIL (long enough for the
 * initial exchange to finish even with MRAI 30 s; checked), then the
 * middle link goes silent in both directions (an ingress drop filter at
 * both ends: the carrier stays up, as when a cross-connect or a switch in
 * between fails, so only the hold timer or BFD can notice), and run for
 * a further RUN_AFTER. Reported:
 *   initial_s      the last change of any node's RIB before the failure
 *   conv_s         the last change of any node's RIB after the failure,
 *                  minus the failure time (simulated)
 *   rib_changes    best-route changes in all RIBs after the failure
 *   updates        UPDATE messages sent by all speakers after the failure
 *                  (and the prefixes announced and withdrawn in them)
 *   wall_s         wall time of the whole run, and of the part after the
 *                  failure
 *   routes_ok      every node ends with exactly the prefixes it can reach
 *                  (its side of the line; the whole ring) and the FIB
 *                  forwards to each of them
 *
 *   build/bench/bgp_converge [line|ring N mrai_s bfd(0|1)]
 * Without arguments: line 10 and ring 50, MRAI 0 and 30, BFD off and on.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bfd.h"
#include "bgp_speaker.h"
#include "net.h"
#include "rib.h"
#include "sim.h"
#include "tcp.h"

#define MAX_NODES 200
#define DELAY SIM_MS(1)
#define T_FAIL SIM_S(2000)
#define RUN_AFTER SIM_S(2000)

struct watch {
	struct sim *sim;
	sim_time fail_at;
	sim_time last_before, last_after;
	uint64_t changes_after;
};

struct cut {
	bool on;
};

struct topo {
	struct sim *sim;
	struct net *net;
	struct bfd *bfd;
	int n, nlinks;
	bool ring;
	struct node *node[MAX_NODES];
	struct bgp_speaker *sp[MAX_NODES];
	/* link k joins node a[k] (address base+1) and b[k] (base+2) */
	int a[MAX_NODES], b[MAX_NODES];
	uint32_t ifa[MAX_NODES], ifb[MAX_NODES];
	struct watch w;
	struct cut cut;
};

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint32_t
link_base(int k)
{
	return 0x0a000000u + (uint32_t)k * 4;	/* 10.0.0.0/30, 10.0.0.4/30 */
}

static uint32_t
own_prefix(int i)
{
	return 0xac100000u + ((uint32_t)i << 8);	/* 172.16.i.0/24 */
}

static void
on_change(struct rib *r, const struct rib_change *c, void *ctx)
{
	struct watch *w = ctx;
	sim_time t = sim_now(w->sim);

	(void)r;
	(void)c;
	if (t < w->fail_at) {
		w->last_before = t;
	} else {
		w->last_after = t;
		w->changes_after++;
	}
}

static enum node_verdict
cut_filter(struct node *n, uint32_t ifindex, enum node_hook_dir dir,
    const struct pkt *frame, const struct wire_frame *f, const char **reason,
    void *ctx)
{
	struct cut *c = ctx;

	(void)n;
	(void)ifindex;
	(void)dir;
	(void)frame;
	(void)f;
	*reason = "bench: link silent";
	return c->on ? NODE_DROP : NODE_ACCEPT;
}

static void
cut_now(struct sim *sim, void *arg)
{
	(void)sim;
	((struct cut *)arg)->on = true;
}

static void
die(const char *what, const char *err)
{
	fprintf(stderr, "bgp_converge: %s: %s\n", what, err);
	exit(1);
}

static void
add_link(struct topo *t, int i, int j)
{
	struct link_params p;
	char ni[16], nj[16], ln[16];
	int k = t->nlinks++;
	uint32_t base = link_base(k);

	memset(&p, 0, sizeof(p));
	p.dir[0].rate_bps = p.dir[1].rate_bps = 1000000000ull;
	p.dir[0].delay = p.dir[1].delay = DELAY;
	p.qlimit_pkts = 1000;
	p.mtu = 1500;
	snprintf(ni, sizeof(ni), "e%d", k);
	snprintf(nj, sizeof(nj), "e%d", k);
	snprintf(ln, sizeof(ln), "l%d", k);
	t->a[k] = i;
	t->b[k] = j;
	t->ifa[k] = node_add_iface(t->node[i], ni, NULL, base + 1, 30, 0);
	t->ifb[k] = node_add_iface(t->node[j], nj, NULL, base + 2, 30, 0);
	net_add_link(t->net, ln, t->node[i], t->ifa[k], t->node[j], t->ifb[k],
	    &p);
}

static void
neighbor(struct topo *t, int i, uint32_t addr, int peer, bool passive,
    bool bfd)
{
	struct bgp_neighbor_cfg nc;
	char err[160] = "";

	bgp_neighbor_cfg_init(&nc, addr, 65001u + (uint32_t)peer);
	nc.passive = passive;
	nc.bfd = bfd ? &bfd_msee_cfg : NULL;
	if (bgp_speaker_add_neighbor(t->sp[i], &nc, err, sizeof(err)) != 0)
		die("add_neighbor", err);
}

static void
build(struct topo *t, bool ring, int n, sim_time mrai, bool bfd)
{
	char name[16], err[160] = "";
	int i, k;

	memset(t, 0, sizeof(*t));
	t->sim = sim_new(1);
	t->net = net_new(t->sim);
	t->bfd = bfd_new(t->net);
	t->n = n;
	t->ring = ring;
	t->w.sim = t->sim;
	t->w.fail_at = T_FAIL;
	t->w.last_before = t->w.last_after = -1;
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "as%d", 65001 + i);
		t->node[i] = net_add_node(t->net, name, "router", NULL, NULL);
		node_set_forwarding(t->node[i], true);
	}
	for (i = 0; i + 1 < n; i++)
		add_link(t, i, i + 1);
	if (ring)
		add_link(t, n - 1, 0);
	for (i = 0; i < n; i++) {
		struct bgp_speaker_cfg c;

		bgp_speaker_cfg_init(&c, 65001u + (uint32_t)i,
		    (uint32_t)i + 1);
		c.ebgp_mrai = mrai;
		c.bfd = t->bfd;
		t->sp[i] = bgp_speaker_new(t->node[i], &c, err, sizeof(err));
		if (t->sp[i] == NULL)
			die("speaker_new", err);
		if (bgp_speaker_add_network(t->sp[i], own_prefix(i), 24) != 0)
			die("add_network", "invalid");
		rib_add_listener(node_rib(t->node[i], 0), on_change, &t->w);
	}
	for (k = 0; k < t->nlinks; k++) {
		/* the end with the lower node number connects */
		bool a_active = t->a[k] < t->b[k];

		neighbor(t, t->a[k], link_base(k) + 2, t->b[k], !a_active, bfd);
		neighbor(t, t->b[k], link_base(k) + 1, t->a[k], a_active, bfd);
	}
}

static void
teardown(struct topo *t)
{
	int i;

	for (i = 0; i < t->n; i++) {
		rib_remove_listener(node_rib(t->node[i], 0), on_change, &t->w);
		bgp_speaker_free(t->sp[i]);
	}
	bfd_free(t->bfd);
	tcp_stacks_free(t->net);
	net_free(t->net);
	sim_free(t->sim);
}

struct totals {
	uint64_t updates, announced, withdrawn, flaps;
};

static void
totals(const struct topo *t, struct totals *s)
{
	int k;

	memset(s, 0, sizeof(*s));
	for (k = 0; k < t->nlinks; k++) {
		struct bgp_peer_stats st;

		if (bgp_speaker_peer_stats(t->sp[t->a[k]], link_base(k) + 2,
		    &st) == 0) {
			s->updates += st.updates_out;
			s->announced += st.prefixes_out;
			s->withdrawn += st.withdrawn_out;
			s->flaps += st.flaps;
		}
		if (bgp_speaker_peer_stats(t->sp[t->b[k]], link_base(k) + 1,
		    &st) == 0) {
			s->updates += st.updates_out;
			s->announced += st.prefixes_out;
			s->withdrawn += st.withdrawn_out;
		}
	}
}

/*
 * Node i should reach exactly the ASes on its side: all of them on a ring
 * (it has another way round), its own half of a line cut at link cut.
 */
static bool
routes_ok(const struct topo *t, int cut)
{
	int i, j;

	for (i = 0; i < t->n; i++) {
		const struct rib *r = node_rib(t->node[i], 0);
		size_t expect = 0;

		for (j = 0; j < t->n; j++) {
			bool reach = t->ring || (i <= cut) == (j <= cut);
			struct rib_route best;
			bool have = rib_best(r, own_prefix(j), 24, &best);

			if (j == i)
				continue;
			if (have != reach)
				return false;
			if (reach && rib_lookup(r, own_prefix(j) + 1) == NULL)
				return false;
			expect += reach;
		}
		(void)expect;
	}
	return true;
}

static int
run(bool ring, int n, int mrai_s, bool bfd)
{
	struct topo t;
	struct totals s0, s1;
	uint64_t w0, w1, w2;
	char err[160] = "";
	int mid = n / 2 - 1, ok_before;

	if (n < 2 || n > MAX_NODES || (ring && n < 3)) {
		fprintf(stderr, "bgp_converge: 2..%d nodes (3 for a ring)\n",
		    MAX_NODES);
		return 1;
	}
	build(&t, ring, n, SIM_S(mrai_s), bfd);
	w0 = now_ns();
	for (int i = 0; i < n; i++)
		if (bgp_speaker_start(t.sp[i], err, sizeof(err)) != 0)
			die("start", err);
	/* link mid joins nodes mid and mid + 1: the middle of the line and
	 * the link opposite link n - 1 (n-1 to 0) on the ring */
	node_iface_add_filter(t.node[t.a[mid]], t.ifa[mid], NODE_INGRESS,
	    cut_filter, &t.cut);
	node_iface_add_filter(t.node[t.b[mid]], t.ifb[mid], NODE_INGRESS,
	    cut_filter, &t.cut);
	sim_schedule_at(t.sim, T_FAIL, cut_now, &t.cut);
	sim_run_until(t.sim, T_FAIL - 1);
	ok_before = routes_ok(&t, n);	/* nothing cut yet: all reachable */
	totals(&t, &s0);
	w1 = now_ns();
	sim_run_until(t.sim, T_FAIL + RUN_AFTER);
	w2 = now_ns();
	totals(&t, &s1);
	printf("topo=%s n=%d mrai_s=%d bfd=%d initial_s=%.6f conv_s=%.6f "
	    "rib_changes=%llu updates=%llu announced=%llu withdrawn=%llu "
	    "sessions_down=%llu wall_s=%.3f wall_after_s=%.3f "
	    "routes_ok_before=%d routes_ok=%d\n",
	    ring ? "ring" : "line", n, mrai_s, bfd ? 1 : 0,
	    (double)t.w.last_before / 1e9,
	    t.w.last_after < 0 ? -1.0 :
	    (double)(t.w.last_after - T_FAIL) / 1e9,
	    (unsigned long long)t.w.changes_after,
	    (unsigned long long)(s1.updates - s0.updates),
	    (unsigned long long)(s1.announced - s0.announced),
	    (unsigned long long)(s1.withdrawn - s0.withdrawn),
	    (unsigned long long)(s1.flaps - s0.flaps),
	    (double)(w2 - w0) / 1e9, (double)(w2 - w1) / 1e9, ok_before,
	    routes_ok(&t, mid));
	teardown(&t);
	return 0;
}

int
main(int argc, char **argv)
{
	static const int mrai[2] = { 0, 30 };
	int m, b;

	if (argc == 5) {
		bool ring = strcmp(argv[1], "ring") == 0;

		if (!ring && strcmp(argv[1], "line") != 0) {
			fprintf(stderr, "usage: bgp_converge [line|ring N "
			    "MRAI_S BFD]\n");
			return 1;
		}
		return run(ring, atoi(argv[2]), atoi(argv[3]),
		    atoi(argv[4]) != 0);
	}
	for (m = 0; m < 2; m++)
		for (b = 0; b < 2; b++) {
			run(false, 10, mrai[m], b);
			run(true, 50, mrai[m], b);
		}
	return 0;
}
