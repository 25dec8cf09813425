/*
 * test_bgp_speaker_failover.c - two links between the MSEE (AS 12076,
 * r0) and Oracle's edge (AS 31898, r1), one session on each: the primary
 * path and its failover with the hold timer only and with BFD 300 ms x 3
 * when the primary link goes silent; export policy (a prepend) moving the
 * other side's best path; both sides connecting at once (a collision); a
 * malformed UPDATE written on a raw stream resetting the session with
 * its NOTIFICATION; tshark reading a captured run's BGP and BFD.
 */
#include <stdio.h>
#include <stdlib.h>

#include "bgp_speaker_testutil.h"

#define D SIM_MS(1)
#define T_CUT SIM_S(100)

struct cut {
	bool on;
};

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
	*reason = "test: link silent";
	return c->on ? NODE_DROP : NODE_ACCEPT;
}

static void
cut_now(struct sim *sim, void *arg)
{
	(void)sim;
	((struct cut *)arg)->on = true;
}

/* bs_speaker with the speaker's TCP settings (NULL: the stack's) */
static void
speaker_tcp(struct bs_net *b, int i, uint32_t asn, const char *id,
    const struct tcp_cfg *tcp)
{
	struct bgp_speaker_cfg c;
	char err[128] = "";

	bgp_speaker_cfg_init(&c, asn, bs_ip(id));
	c.ebgp_mrai = 0;
	c.bfd = b->bfd;
	c.tcp = tcp;
	b->sp[i] = bgp_speaker_new(b->n[i], &c, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(b->sp[i]);
}

/*
 * r0 - r1 twice: 10.0.0.0/30 (primary: the lower peer address wins the
 * tie) and 10.0.1.0/30. r1 originates 172.16.0.0/16; r1 passive. tcp:
 * both speakers' connections' TCP settings (NULL: the stacks' defaults).
 */
static void
two_links(struct bs_net *b, const struct bfd_cfg *bfd,
    struct bgp_policy *exp_primary, const struct tcp_cfg *tcp)
{
	const char *a0[2] = { "10.0.0.2", "10.0.1.2" };
	const char *a1[2] = { "10.0.0.1", "10.0.1.1" };
	struct bgp_neighbor_cfg nc;
	char err[128];
	int i;

	bs_init(b, 2);
	bs_link(b, 0, 1, "10.0.0.0", D);
	bs_link(b, 0, 1, "10.0.1.0", D);
	speaker_tcp(b, 0, 12076, "1.1.1.1", tcp);
	speaker_tcp(b, 1, 31898, "2.2.2.2", tcp);
	for (i = 0; i < 2; i++) {
		bgp_neighbor_cfg_init(&nc, bs_ip(a0[i]), 31898);
		nc.fsm = &bgp_fsm_msee_cfg;
		nc.bfd = bfd;
		CU_ASSERT_EQUAL_FATAL(bgp_speaker_add_neighbor(b->sp[0], &nc,
		    err, sizeof(err)), 0);
		bgp_neighbor_cfg_init(&nc, bs_ip(a1[i]), 12076);
		nc.fsm = &bgp_fsm_oci_cfg;
		nc.passive = true;
		nc.bfd = bfd;
		if (i == 0)
			nc.export = exp_primary;
		CU_ASSERT_EQUAL_FATAL(bgp_speaker_add_neighbor(b->sp[1], &nc,
		    err, sizeof(err)), 0);
	}
	bgp_speaker_add_network(b->sp[1], bs_ip("172.16.0.0"), 16);
}

static void
failover(const struct bfd_cfg *bfd, sim_time *moved, sim_time *last_rx,
    sim_time *bfd_down)
{
	struct bs_net b;
	struct bs_watch w;
	struct cut c = { false };
	struct bgp_peer_stats st;
	struct tcp_cfg tc;

	/*
	 * Linux's 15 retransmissions (tcp_retries2) rather than the ns-3
	 * default of 6, on BGP's connections (the speakers' cfg.tcp): with
	 * 6, TCP gives up on the unacknowledged KEEPALIVEs about 128 s after
	 * the cut, before a 180 s hold timer.
	 */
	tcp_cfg_default(&tc);
	tc.data_retries = 15;
	two_links(&b, bfd, NULL, &tc);
	bs_watch(&b, 0, &w, "172.16.0.0", 16);
	bs_start(&b);
	node_iface_add_filter(b.n[0], 0, NODE_INGRESS, cut_filter, &c);
	node_iface_add_filter(b.n[1], 0, NODE_INGRESS, cut_filter, &c);
	sim_schedule_at(b.sim, T_CUT, cut_now, &c);
	sim_run_until(b.sim, T_CUT);
	CU_ASSERT_EQUAL(bs_via(&b, 0, "172.16.1.1"), bs_ip("10.0.0.2"));
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(b.sp[0], bs_ip("10.0.1.2")),
	    BGP_ST_ESTABLISHED);
	bgp_speaker_peer_stats(b.sp[0], bs_ip("10.0.0.2"), &st);
	*last_rx = st.last_rx;
	sim_run_until(b.sim, T_CUT + SIM_S(400));
	CU_ASSERT_EQUAL(bs_via(&b, 0, "172.16.1.1"), bs_ip("10.0.1.2"));
	*moved = -1;
	for (int i = 0; i < w.n; i++)
		if (w.t[i] > T_CUT && w.via[i] == bs_ip("10.0.1.2")) {
			*moved = w.t[i];
			break;
		}
	*bfd_down = -1;
	if (bfd != NULL) {
		struct bfd_session *bs = bfd_session_find(b.bfd, b.n[0], 0,
		    bs_ip("10.0.0.2"));

		CU_ASSERT_PTR_NOT_NULL_FATAL(bs);
		CU_ASSERT_EQUAL(bfd_session_stats(bs)->downs, 1);
		*bfd_down = bfd_session_stats(bs)->last_change;
	}
	bgp_speaker_peer_stats(b.sp[0], bs_ip("10.0.0.2"), &st);
	CU_ASSERT_EQUAL(st.flaps, 1);
	CU_ASSERT_EQUAL(st.last_notif_sent[0], bfd != NULL ? BGP_ERR_CEASE :
	    BGP_ERR_HOLD);
	if (bfd != NULL)
		CU_ASSERT_EQUAL(st.last_notif_sent[1], BGP_CEASE_BFD_DOWN);
	bs_unwatch(&b, 0, &w);
	bs_free(&b);
}

static void
test_failover_hold(void)
{
	sim_time moved, last_rx, bd;

	failover(NULL, &moved, &last_rx, &bd);
	/* the route moves when the hold timer (180 s) expires: 180 s after
	 * the last KEEPALIVE, which came at 50.040623564 s (jittered 60 s) */
	CU_ASSERT_EQUAL(moved, last_rx + SIM_S(180));
	CU_ASSERT_EQUAL(last_rx, 50040623564);
	CU_ASSERT_EQUAL(moved - T_CUT, 130040623564);
	CU_ASSERT(moved - T_CUT > SIM_S(120));
}

static void
test_failover_bfd(void)
{
	sim_time moved, last_rx, bd;

	failover(&bfd_msee_cfg, &moved, &last_rx, &bd);
	/* in the very event BFD declares the path down (Cease 6/10) */
	CU_ASSERT_EQUAL(moved, bd);
	/* measured: 680.892523 ms after the cut */
	CU_ASSERT_EQUAL(moved - T_CUT, 680892523);
	/* detection: 3 x 300 ms after the last packet, sent at most one
	 * (jittered) interval before the cut */
	CU_ASSERT(moved > T_CUT + SIM_MS(600));
	CU_ASSERT(moved <= T_CUT + SIM_MS(900));
}

static void
test_export_prepend(void)
{
	struct bgp_polset *ps = bgp_polset_new();
	struct bgp_policy *pol = bgp_policy_new(ps, "prepend-primary");
	struct bgp_pol_err e;
	struct bs_net b;
	char buf[64];

	bgp_policy_rule(pol, NULL);
	CU_ASSERT_EQUAL_FATAL(bgp_policy_action(pol, "prepend self 3", &e), 0);
	CU_ASSERT_EQUAL_FATAL(bgp_policy_action(pol, "accept", &e), 0);
	two_links(&b, NULL, pol, NULL);
	bs_start(&b);
	sim_run_until(b.sim, SIM_S(10));
	/* the primary's path is longer now: the secondary wins */
	CU_ASSERT_EQUAL(bs_via(&b, 0, "172.16.1.1"), bs_ip("10.0.1.2"));
	CU_ASSERT_STRING_EQUAL(bs_path(&b, 0, "172.16.0.0", 16, buf,
	    sizeof(buf)), "31898");
	CU_ASSERT_EQUAL(bgp_speaker_peer_in(b.sp[0], bs_ip("10.0.0.2")), 1);
	bs_free(&b);
	bgp_polset_free(ps);
}

/* Both active at once: one session survives, routes flow. */
static void
test_collision(void)
{
	struct bs_net b;
	char err[128];
	struct bgp_neighbor_cfg nc;

	bs_init(&b, 2);
	bs_link(&b, 0, 1, "10.0.0.0", D);
	bs_speaker(&b, 0, 12076, "1.1.1.1", 0);
	bs_speaker(&b, 1, 31898, "2.2.2.2", 0);
	bgp_neighbor_cfg_init(&nc, bs_ip("10.0.0.2"), 31898);
	CU_ASSERT_EQUAL_FATAL(bgp_speaker_add_neighbor(b.sp[0], &nc, err,
	    sizeof(err)), 0);
	bgp_neighbor_cfg_init(&nc, bs_ip("10.0.0.1"), 12076);
	CU_ASSERT_EQUAL_FATAL(bgp_speaker_add_neighbor(b.sp[1], &nc, err,
	    sizeof(err)), 0);
	bgp_speaker_add_network(b.sp[1], bs_ip("172.16.0.0"), 16);
	bs_start(&b);
	sim_run_until(b.sim, SIM_S(60));
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(b.sp[0], bs_ip("10.0.0.2")),
	    BGP_ST_ESTABLISHED);
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(b.sp[1], bs_ip("10.0.0.1")),
	    BGP_ST_ESTABLISHED);
	CU_ASSERT_EQUAL(bgp_speaker_peer_conns(b.sp[0], bs_ip("10.0.0.2")), 1);
	CU_ASSERT_EQUAL(bgp_speaker_peer_conns(b.sp[1], bs_ip("10.0.0.1")), 1);
	CU_ASSERT_EQUAL(bs_via(&b, 0, "172.16.1.1"), bs_ip("10.0.0.2"));
	/* the collision path really ran: each side dumped one of its two
	 * connections with Cease 6/7, and no session went down */
	{
		struct bgp_peer_stats s0, s1;

		bgp_speaker_peer_stats(b.sp[0], bs_ip("10.0.0.2"), &s0);
		bgp_speaker_peer_stats(b.sp[1], bs_ip("10.0.0.1"), &s1);
		CU_ASSERT_EQUAL(s0.last_notif_sent[0], BGP_ERR_CEASE);
		CU_ASSERT_EQUAL(s0.last_notif_sent[1], BGP_CEASE_COLLISION);
		CU_ASSERT_EQUAL(s1.last_notif_sent[0], BGP_ERR_CEASE);
		CU_ASSERT_EQUAL(s1.last_notif_sent[1], BGP_CEASE_COLLISION);
		CU_ASSERT_EQUAL(s0.flaps, 0);
		CU_ASSERT_EQUAL(s1.flaps, 0);
	}
	bs_free(&b);
}

/* ECMP: two equal paths over the two links, both in the FIB group. */
static void
test_ecmp(void)
{
	unsigned paths;

	for (paths = 1; paths <= 2; paths++) {
		struct bs_net b;
		struct bgp_speaker_cfg c;
		const struct rib_nhg *g;
		char err[128];

		two_links(&b, NULL, NULL, NULL);
		/* r0 again with max-paths */
		bgp_speaker_free(b.sp[0]);
		bgp_speaker_cfg_init(&c, 12076, bs_ip("1.1.1.1"));
		c.max_paths = paths;
		b.sp[0] = bgp_speaker_new(b.n[0], &c, err, sizeof(err));
		CU_ASSERT_PTR_NOT_NULL_FATAL(b.sp[0]);
		bs_neighbor(&b, 0, "10.0.0.2", 31898, &bgp_fsm_msee_cfg, false);
		bs_neighbor(&b, 0, "10.0.1.2", 31898, &bgp_fsm_msee_cfg, false);
		bs_start(&b);
		sim_run_until(b.sim, SIM_S(10));
		g = rib_lookup(node_rib(b.n[0], 0), bs_ip("172.16.1.1"));
		CU_ASSERT_PTR_NOT_NULL_FATAL(g);
		CU_ASSERT_EQUAL(g->n, paths);
		/* a refresh brings the same route again: nothing changes */
		CU_ASSERT_EQUAL(bgp_speaker_peer_refresh(b.sp[0],
		    bs_ip("10.0.0.2")), 0);
		sim_run_until(b.sim, SIM_S(11));
		{
			struct bgp_peer_stats s0, s1;

			bgp_speaker_peer_stats(b.sp[0], bs_ip("10.0.0.2"), &s0);
			bgp_speaker_peer_stats(b.sp[1], bs_ip("10.0.0.1"), &s1);
			/* the table, its End-of-RIB, the refresh's */
			CU_ASSERT_EQUAL(s1.updates_out, 3);
			CU_ASSERT_EQUAL(s0.prefixes_in, 2);
		}
		g = rib_lookup(node_rib(b.n[0], 0), bs_ip("172.16.1.1"));
		CU_ASSERT_EQUAL(g->n, paths);
		bs_free(&b);
	}
}

static void
admin_down_ev(struct sim *sim, void *arg)
{
	(void)sim;
	bfd_session_admin(arg, true);
}

/*
 * RFC 5882 3.2: BFD AdminDown, ours (link 10.0.1.0: r0 sets it) or the
 * neighbour's (link 10.0.0.0: r1 sets it, r0 sees Down, diag 3, remote
 * AdminDown), leaves both BGP sessions Established.
 */
static void
test_bfd_admin_down(void)
{
	struct bs_net b;
	struct bfd_session *peer, *local;
	struct bgp_peer_stats s0, s1;
	int i;
	const char *a0[2] = { "10.0.0.2", "10.0.1.2" };

	two_links(&b, &bfd_msee_cfg, NULL, NULL);
	bs_start(&b);
	sim_run_until(b.sim, SIM_S(10));
	peer = bfd_session_find(b.bfd, b.n[1], 0, bs_ip("10.0.0.1"));
	local = bfd_session_find(b.bfd, b.n[0], 0, bs_ip("10.0.1.2"));
	CU_ASSERT_PTR_NOT_NULL_FATAL(peer);
	CU_ASSERT_PTR_NOT_NULL_FATAL(local);
	CU_ASSERT_EQUAL(bfd_session_state(peer), BFD_UP);
	CU_ASSERT_EQUAL(bfd_session_state(local), BFD_UP);
	sim_schedule_at(b.sim, SIM_S(20), admin_down_ev, peer);
	sim_schedule_at(b.sim, SIM_S(20), admin_down_ev, local);
	sim_run_until(b.sim, SIM_S(25));
	/* the BFD sessions did go down, as the neighbour saw them */
	CU_ASSERT_EQUAL(bfd_session_state(bfd_session_find(b.bfd, b.n[0], 0,
	    bs_ip("10.0.0.2"))), BFD_DOWN);
	CU_ASSERT_EQUAL(bfd_session_remote_state(bfd_session_find(b.bfd,
	    b.n[0], 0, bs_ip("10.0.0.2"))), BFD_ADMIN_DOWN);
	CU_ASSERT_EQUAL(bfd_session_state(local), BFD_ADMIN_DOWN);
	for (i = 0; i < 2; i++) {
		CU_ASSERT_EQUAL(bgp_speaker_peer_state(b.sp[0], bs_ip(a0[i])),
		    BGP_ST_ESTABLISHED);
		bgp_speaker_peer_stats(b.sp[0], bs_ip(a0[i]), &s0);
		CU_ASSERT_EQUAL(s0.flaps, 0);
		CU_ASSERT_EQUAL(s0.last_notif_sent[0], 0);
	}
	bgp_speaker_peer_stats(b.sp[1], bs_ip("10.0.0.1"), &s1);
	CU_ASSERT_EQUAL(s1.flaps, 0);
	bgp_speaker_peer_stats(b.sp[1], bs_ip("10.0.1.1"), &s1);
	CU_ASSERT_EQUAL(s1.flaps, 0);
	bs_free(&b);
}

static const struct test_case cases[] = {
	{ "hold-timer failover at exactly the hold expiry", test_failover_hold },
	{ "BFD 300 ms x 3 failover within 900 ms", test_failover_bfd },
	{ "export prepend moves the other side's best path",
	    test_export_prepend },
	{ "a connection collision leaves one session", test_collision },
	{ "BFD AdminDown (local or the peer's) keeps BGP up",
	    test_bfd_admin_down },
	{ "ECMP over two sessions; ROUTE-REFRESH answered", test_ecmp },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "bgp_speaker_failover", cases);
}
