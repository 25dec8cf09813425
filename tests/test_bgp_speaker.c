/*
 * test_bgp_speaker.c - the speaker end to end over simulated TCP, every
 * time exact: two eBGP speakers (the MSEE's AS 12076 and Oracle's edge AS
 * 31898) on a /30 come up and exchange their prefixes into each other's
 * FIB; withdraw on session down; AS-path loop rejection; a line of three
 * ASes converging with MRAI 0 and with MRAI 30 s.
 */
#include <stdlib.h>
#include <unistd.h>

#include "bgp_speaker_testutil.h"

#define D SIM_MS(1)
/* serialization of an n-byte frame at 1 Gbps */
#define TX(n) ((sim_time)(n) * 8)
/*
 * The active side's Established: SYN (74-byte frame), SYN-ACK (74), then
 * our ACK (66) and OPEN (66 + 45) back to back, the peer's OPEN and
 * KEEPALIVE (66 + 19) back to back after our ACK: four link delays.
 */
#define T_UP_ACTIVE (4 * D + TX(74) + TX(74) + TX(66) + TX(111) + TX(85))
/* the passive side hears our KEEPALIVE one delay later */
#define T_UP_PASSIVE (T_UP_ACTIVE + D)
/* UPDATE of one /16, path of n 4-octet ASNs: 66 + 19 + 4 + 20 + 3 + 4(n-1) */
#define TX_UPD16(n) TX(66 + 46 + 4 * ((n) - 1))

/* r0 AS 12076 (10.0.0.1, active) -- r1 AS 31898 (10.0.0.2, passive) */
static void
pair(struct bs_net *b, bool passive1, sim_time mrai)
{
	bs_init(b, 2);
	bs_link(b, 0, 1, "10.0.0.0", D);
	bs_speaker(b, 0, 12076, "1.1.1.1", mrai);
	bs_speaker(b, 1, 31898, "2.2.2.2", mrai);
	bs_neighbor(b, 0, "10.0.0.2", 31898, &bgp_fsm_msee_cfg, false);
	bs_neighbor(b, 1, "10.0.0.1", 12076, &bgp_fsm_oci_cfg, passive1);
}

static void
test_pair_up(void)
{
	struct bs_net b;
	struct bgp_peer_stats s0, s1;
	struct bs_watch w0, w1;
	char buf[64];

	pair(&b, true, 0);
	CU_ASSERT_EQUAL(bgp_speaker_add_network(b.sp[0],
	    bs_ip("10.10.0.0"), 16), 0);
	CU_ASSERT_EQUAL(bgp_speaker_add_network(b.sp[1],
	    bs_ip("172.16.0.0"), 16), 0);
	bs_watch(&b, 0, &w0, "172.16.0.0", 16);
	bs_watch(&b, 1, &w1, "10.10.0.0", 16);
	bs_start(&b);
	sim_run_until(b.sim, SIM_S(1));
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(b.sp[0], bs_ip("10.0.0.2")),
	    BGP_ST_ESTABLISHED);
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(b.sp[1], bs_ip("10.0.0.1")),
	    BGP_ST_ESTABLISHED);
	bgp_speaker_peer_stats(b.sp[0], bs_ip("10.0.0.2"), &s0);
	bgp_speaker_peer_stats(b.sp[1], bs_ip("10.0.0.1"), &s1);
	CU_ASSERT_EQUAL(T_UP_ACTIVE, 4003280);
	CU_ASSERT_EQUAL(s0.first_established, T_UP_ACTIVE);
	CU_ASSERT_EQUAL(s0.time_to_established, T_UP_ACTIVE);
	CU_ASSERT_EQUAL(s1.first_established, T_UP_PASSIVE);
	/* each sends its table as it reaches Established */
	CU_ASSERT_EQUAL(w1.t[0], T_UP_ACTIVE + D + TX_UPD16(1));
	CU_ASSERT_EQUAL(w0.t[0], T_UP_PASSIVE + D + TX_UPD16(1));
	CU_ASSERT_EQUAL(w0.n, 1);
	CU_ASSERT_EQUAL(w1.n, 1);
	CU_ASSERT_EQUAL(w0.via[0], bs_ip("10.0.0.2"));
	CU_ASSERT_EQUAL(w1.via[0], bs_ip("10.0.0.1"));
	CU_ASSERT_EQUAL(bs_via(&b, 0, "172.16.1.1"), bs_ip("10.0.0.2"));
	CU_ASSERT_STRING_EQUAL(bs_path(&b, 0, "172.16.0.0", 16, buf,
	    sizeof(buf)), "31898");
	CU_ASSERT_STRING_EQUAL(bs_path(&b, 1, "10.10.0.0", 16, buf,
	    sizeof(buf)), "12076");
	CU_ASSERT_EQUAL(s0.prefixes_in, 1);
	CU_ASSERT_EQUAL(s0.prefixes_out, 1);
	CU_ASSERT_EQUAL(s0.flaps, 0);
	bs_unwatch(&b, 0, &w0);
	bs_unwatch(&b, 1, &w1);
	bs_free(&b);
}


/* A manual stop on r1: Cease 6/2 reaches r0 one link delay later. */
static void
test_withdraw_on_down(void)
{
	struct bs_net b;
	struct bs_watch w;
	struct bgp_peer_stats s0;

	pair(&b, true, 0);
	bgp_speaker_add_network(b.sp[1], bs_ip("172.16.0.0"), 16);
	bs_watch(&b, 0, &w, "172.16.0.0", 16);
	bs_start(&b);
	sim_run_until(b.sim, SIM_S(10));
	CU_ASSERT_EQUAL(w.n, 1);
	CU_ASSERT_EQUAL(bgp_speaker_peer_stop(b.sp[1], bs_ip("10.0.0.1")), 0);
	sim_run_until(b.sim, SIM_S(11));
	CU_ASSERT_EQUAL_FATAL(w.n, 2);
	CU_ASSERT_EQUAL(w.kind[1], RIB_WITHDRAWN);
	/* NOTIFICATION (19 + 2 bytes, a 87-byte frame) over one delay */
	CU_ASSERT_EQUAL(w.t[1], SIM_S(10) + D + 87 * 8);
	CU_ASSERT_EQUAL(bs_via(&b, 0, "172.16.1.1"), 0);
	bgp_speaker_peer_stats(b.sp[0], bs_ip("10.0.0.2"), &s0);
	CU_ASSERT_EQUAL(s0.flaps, 1);
	CU_ASSERT_EQUAL(s0.last_notif_rcvd[0], BGP_ERR_CEASE);
	CU_ASSERT_EQUAL(s0.last_notif_rcvd[1], BGP_CEASE_ADMIN_SHUTDOWN);
	CU_ASSERT_EQUAL(s0.last_down, SIM_S(10) + D + 87 * 8);
	bs_unwatch(&b, 0, &w);
	bs_free(&b);
}

/*
 * r0 (AS 65001) - r1 (AS 65002) - r2 (AS 65003), r1 and r2 passive
 * towards their left neighbour; r0 originates 10.10.0.0/16.
 */
static void
line3(struct bs_net *b, sim_time mrai)
{
	bs_init(b, 3);
	bs_link(b, 0, 1, "10.0.0.0", D);
	bs_link(b, 1, 2, "10.0.1.0", D);
	bs_speaker(b, 0, 65001, "1.1.1.1", mrai);
	bs_speaker(b, 1, 65002, "2.2.2.2", mrai);
	bs_speaker(b, 2, 65003, "3.3.3.3", mrai);
	bs_neighbor(b, 0, "10.0.0.2", 65002, NULL, false);
	bs_neighbor(b, 1, "10.0.0.1", 65001, NULL, true);
	bs_neighbor(b, 1, "10.0.1.2", 65003, NULL, false);
	bs_neighbor(b, 2, "10.0.1.1", 65002, NULL, true);
	bgp_speaker_add_network(b->sp[0], bs_ip("10.10.0.0"), 16);
}

static void
test_line3(void)
{
	sim_time mrai[2] = { 0, SIM_S(30) };
	int k;

	for (k = 0; k < 2; k++) {
		struct bs_net b;
		struct bs_watch w1, w2;
		struct bgp_peer_stats s12;
		char buf[64];

		line3(&b, mrai[k]);
		bs_watch(&b, 1, &w1, "10.10.0.0", 16);
		bs_watch(&b, 2, &w2, "10.10.0.0", 16);
		bs_start(&b);
		sim_run_until(b.sim, SIM_S(100));
		bgp_speaker_peer_stats(b.sp[1], bs_ip("10.0.1.2"), &s12);
		CU_ASSERT_EQUAL(s12.first_established, 4003280);
		CU_ASSERT_EQUAL_FATAL(w1.n, 1);
		CU_ASSERT_EQUAL_FATAL(w2.n, 1);
		CU_ASSERT_EQUAL(w1.t[0], T_UP_ACTIVE + D + TX_UPD16(1));
		if (k == 0)	/* r1 passes it on at once */
			CU_ASSERT_EQUAL(w2.t[0], w1.t[0] + D + TX_UPD16(2));
		if (k == 1)	/* MRAI from r1's initial table to r2 */
			CU_ASSERT_EQUAL(w2.t[0], T_UP_ACTIVE + SIM_S(30) + D +
			    TX_UPD16(2));
		CU_ASSERT_EQUAL(w2.via[0], bs_ip("10.0.1.1"));
		CU_ASSERT_STRING_EQUAL(bs_path(&b, 2, "10.10.0.0", 16, buf,
		    sizeof(buf)), "65002 65001");
		bs_unwatch(&b, 1, &w1);
		bs_unwatch(&b, 2, &w2);
		bs_free(&b);
	}
}

/* r2 in AS 65001 again: the path 65002 65001 has its own AS in it. */
static void
test_loop(void)
{
	int allow;

	for (allow = 0; allow < 2; allow++) {
		struct bs_net b;
		struct bgp_neighbor_cfg nc;
		struct bgp_peer_stats st;
		char err[128], buf[64];

		bs_init(&b, 3);
		bs_link(&b, 0, 1, "10.0.0.0", D);
		bs_link(&b, 1, 2, "10.0.1.0", D);
		bs_speaker(&b, 0, 65001, "1.1.1.1", 0);
		bs_speaker(&b, 1, 65002, "2.2.2.2", 0);
		bs_speaker(&b, 2, 65001, "3.3.3.3", 0);
		bs_neighbor(&b, 0, "10.0.0.2", 65002, NULL, false);
		bs_neighbor(&b, 1, "10.0.0.1", 65001, NULL, true);
		bs_neighbor(&b, 1, "10.0.1.2", 65001, NULL, false);
		bgp_neighbor_cfg_init(&nc, bs_ip("10.0.1.1"), 65002);
		nc.passive = true;
		nc.allowas_in = (uint8_t)allow;
		CU_ASSERT_EQUAL_FATAL(bgp_speaker_add_neighbor(b.sp[2], &nc,
		    err, sizeof(err)), 0);
		bgp_speaker_add_network(b.sp[0], bs_ip("10.10.0.0"), 16);
		bs_start(&b);
		sim_run_until(b.sim, SIM_S(10));
		CU_ASSERT_EQUAL(bgp_speaker_peer_state(b.sp[2],
		    bs_ip("10.0.1.1")), BGP_ST_ESTABLISHED);
		bgp_speaker_peer_stats(b.sp[2], bs_ip("10.0.1.1"), &st);
		CU_ASSERT_EQUAL(st.rejected_loop, allow ? 0 : 1);
		CU_ASSERT_EQUAL(bgp_speaker_peer_in(b.sp[2], bs_ip("10.0.1.1")),
		    allow ? 1 : 0);
		CU_ASSERT_STRING_EQUAL(bs_path(&b, 2, "10.10.0.0", 16, buf,
		    sizeof(buf)), allow ? "65002 65001" : "none");
		CU_ASSERT_EQUAL(bs_via(&b, 2, "10.10.0.1") != 0, allow);
		bs_free(&b);
	}
}

/*
 * r1 limits r0 to limit prefixes; r0 originates 4 in one UPDATE. At
 * limit 4 nothing happens, nor at 3 with warning-only; at 3 the fourth
 * tears the session down with Cease 6/1 as the UPDATE arrives. r1 (the
 * active side here) connects again exactly 60 s later (the restart
 * time), and the same UPDATE tears it down again.
 */
static void
test_max_prefix(void)
{
	uint32_t limit[3] = { 4, 3, 3 };
	int k, i;

	for (k = 0; k < 3; k++) {
		struct bs_net b;
		struct bgp_neighbor_cfg nc;
		struct bgp_peer_stats s0, s1;
		sim_time down1;
		char err[128];

		bs_init(&b, 2);
		bs_link(&b, 0, 1, "10.0.0.0", D);
		bs_speaker(&b, 0, 12076, "1.1.1.1", 0);
		bs_speaker(&b, 1, 31898, "2.2.2.2", 0);
		bs_neighbor(&b, 0, "10.0.0.2", 31898, NULL, true);
		bgp_neighbor_cfg_init(&nc, bs_ip("10.0.0.1"), 12076);
		nc.max_prefix = limit[k];
		nc.max_prefix_warning_only = k == 2;
		nc.max_prefix_restart = SIM_S(60);
		CU_ASSERT_EQUAL_FATAL(bgp_speaker_add_neighbor(b.sp[1], &nc,
		    err, sizeof(err)), 0);
		for (i = 0; i < 4; i++)
			bgp_speaker_add_network(b.sp[0], bs_ip("10.10.0.0") +
			    ((uint32_t)i << 8), 24);
		bs_start(&b);
		sim_run_until(b.sim, SIM_S(30));
		bgp_speaker_peer_stats(b.sp[0], bs_ip("10.0.0.2"), &s0);
		bgp_speaker_peer_stats(b.sp[1], bs_ip("10.0.0.1"), &s1);
		if (k != 1) {
			CU_ASSERT_EQUAL(bgp_speaker_peer_state(b.sp[1],
			    bs_ip("10.0.0.1")), BGP_ST_ESTABLISHED);
			CU_ASSERT_EQUAL(bgp_speaker_peer_in(b.sp[1],
			    bs_ip("10.0.0.1")), 4);
			CU_ASSERT_EQUAL(s1.max_prefix_teardowns, 0);
			CU_ASSERT_EQUAL(s1.flaps, 0);
			bs_free(&b);
			continue;
		}
		CU_ASSERT_EQUAL(s1.max_prefix_teardowns, 1);
		CU_ASSERT_EQUAL(s1.prefixes_in, 4);
		CU_ASSERT_EQUAL(s1.last_notif_sent[0], BGP_ERR_CEASE);
		CU_ASSERT_EQUAL(s1.last_notif_sent[1], BGP_CEASE_MAX_PREFIX);
		CU_ASSERT_EQUAL(s0.last_notif_rcvd[0], BGP_ERR_CEASE);
		CU_ASSERT_EQUAL(s0.last_notif_rcvd[1], BGP_CEASE_MAX_PREFIX);
		CU_ASSERT_EQUAL(bgp_speaker_peer_in(b.sp[1], bs_ip("10.0.0.1")),
		    0);
		CU_ASSERT_EQUAL(bs_via(&b, 1, "10.10.0.1"), 0);
		CU_ASSERT_NOT_EQUAL(bgp_speaker_peer_state(b.sp[1],
		    bs_ip("10.0.0.1")), BGP_ST_ESTABLISHED);
		/* r0 (passive) sends its table on Established: an UPDATE of
		 * four /24s, a 125-byte frame */
		down1 = T_UP_PASSIVE + D + TX(125);
		CU_ASSERT_EQUAL(s1.last_down, down1);
		sim_run_until(b.sim, SIM_S(90));
		bgp_speaker_peer_stats(b.sp[1], bs_ip("10.0.0.1"), &s1);
		CU_ASSERT_EQUAL(s1.last_established, down1 + SIM_S(60) +
		    T_UP_ACTIVE);
		CU_ASSERT_EQUAL(s1.last_down, down1 + SIM_S(60) + down1);
		CU_ASSERT_EQUAL(s1.max_prefix_teardowns, 2);
		CU_ASSERT_EQUAL(s1.flaps, 2);
		/* and every 60 s after: the fourth at 3 x down1 + 180 s */
		sim_run_until(b.sim, SIM_S(200));
		bgp_speaker_peer_stats(b.sp[1], bs_ip("10.0.0.1"), &s1);
		CU_ASSERT_EQUAL(s1.max_prefix_teardowns, 4);
		CU_ASSERT_EQUAL(s1.last_down, 4 * down1 + SIM_S(180));
		bs_free(&b);
	}
}

/*
 * r0 (AS 65001) -eBGP- r1 (AS 65002) -iBGP- r2 (AS 65002) -iBGP- r3
 * (AS 65002): r1 passes r0's route to r2 with next-hop-self and LOCAL_PREF
 * 100; r2 does not pass an iBGP-learned route to r3 (RFC 4271 9.1.3).
 */
static void
test_ibgp(void)
{
	struct bs_net b;
	struct bgp_neighbor_cfg nc;
	struct bgp_route r;
	char err[128], buf[64];

	bs_init(&b, 4);
	bs_link(&b, 0, 1, "10.0.0.0", D);
	bs_link(&b, 1, 2, "10.0.1.0", D);
	bs_link(&b, 2, 3, "10.0.2.0", D);
	bs_speaker(&b, 0, 65001, "1.1.1.1", 0);
	bs_speaker(&b, 1, 65002, "2.2.2.2", 0);
	bs_speaker(&b, 2, 65002, "3.3.3.3", 0);
	bs_speaker(&b, 3, 65002, "4.4.4.4", 0);
	bs_neighbor(&b, 0, "10.0.0.2", 65002, NULL, false);
	bs_neighbor(&b, 1, "10.0.0.1", 65001, NULL, true);
	bgp_neighbor_cfg_init(&nc, bs_ip("10.0.1.2"), 65002);
	nc.next_hop_self = true;
	CU_ASSERT_EQUAL_FATAL(bgp_speaker_add_neighbor(b.sp[1], &nc, err,
	    sizeof(err)), 0);
	bs_neighbor(&b, 2, "10.0.1.1", 65002, NULL, true);
	bs_neighbor(&b, 2, "10.0.2.2", 65002, NULL, false);
	bs_neighbor(&b, 3, "10.0.2.1", 65002, NULL, true);
	bgp_speaker_add_network(b.sp[0], bs_ip("10.10.0.0"), 16);
	bs_start(&b);
	sim_run_until(b.sim, SIM_S(10));
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(b.sp[2], bs_ip("10.0.2.2")),
	    BGP_ST_ESTABLISHED);
	CU_ASSERT_FATAL(bgp_rib_best(bgp_speaker_rib(b.sp[2]),
	    bs_ip("10.10.0.0"), 16, &r));
	CU_ASSERT_FALSE(r.ebgp);
	CU_ASSERT_EQUAL(r.a->next_hop, bs_ip("10.0.1.1"));
	CU_ASSERT_EQUAL(r.a->local_pref, 100);
	CU_ASSERT_STRING_EQUAL(bs_path(&b, 2, "10.10.0.0", 16, buf,
	    sizeof(buf)), "65001");
	CU_ASSERT_EQUAL(bs_via(&b, 2, "10.10.0.1"), bs_ip("10.0.1.1"));
	CU_ASSERT_STRING_EQUAL(bs_path(&b, 3, "10.10.0.0", 16, buf,
	    sizeof(buf)), "none");
	CU_ASSERT_EQUAL(bgp_speaker_peer_out(b.sp[2], bs_ip("10.0.2.2")), 0);
	bs_free(&b);
}

/* r1 tags r0's route NO_EXPORT on import: r2 (another AS) never gets it. */
static void
test_no_export(void)
{
	struct bs_net b;
	struct bgp_polset *ps = bgp_polset_new();
	struct bgp_policy *pol = bgp_policy_new(ps, "tag");
	struct bgp_neighbor_cfg nc;
	struct bgp_pol_err e;
	char err[128], buf[64];

	bgp_policy_rule(pol, NULL);
	CU_ASSERT_EQUAL_FATAL(bgp_policy_action(pol, "community add no-export",
	    &e), 0);
	bs_init(&b, 3);
	bs_link(&b, 0, 1, "10.0.0.0", D);
	bs_link(&b, 1, 2, "10.0.1.0", D);
	bs_speaker(&b, 0, 65001, "1.1.1.1", 0);
	bs_speaker(&b, 1, 65002, "2.2.2.2", 0);
	bs_speaker(&b, 2, 65003, "3.3.3.3", 0);
	bs_neighbor(&b, 0, "10.0.0.2", 65002, NULL, false);
	bgp_neighbor_cfg_init(&nc, bs_ip("10.0.0.1"), 65001);
	nc.passive = true;
	nc.import = pol;
	CU_ASSERT_EQUAL_FATAL(bgp_speaker_add_neighbor(b.sp[1], &nc, err,
	    sizeof(err)), 0);
	bs_neighbor(&b, 1, "10.0.1.2", 65003, NULL, false);
	bs_neighbor(&b, 2, "10.0.1.1", 65002, NULL, true);
	bgp_speaker_add_network(b.sp[0], bs_ip("10.10.0.0"), 16);
	bs_start(&b);
	sim_run_until(b.sim, SIM_S(10));
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(b.sp[2], bs_ip("10.0.1.1")),
	    BGP_ST_ESTABLISHED);
	CU_ASSERT_STRING_EQUAL(bs_path(&b, 1, "10.10.0.0", 16, buf,
	    sizeof(buf)), "65001");
	CU_ASSERT_STRING_EQUAL(bs_path(&b, 2, "10.10.0.0", 16, buf,
	    sizeof(buf)), "none");
	bs_free(&b);
	bgp_polset_free(ps);
}

/* RFC 8212 on r0: no policy on an eBGP session accepts and sends nothing. */
static void
test_rfc8212(void)
{
	struct bs_net b;
	struct bgp_speaker_cfg c;
	struct bgp_peer_stats s0;
	char err[128], buf[64];

	pair(&b, true, 0);
	bgp_speaker_free(b.sp[0]);
	bgp_speaker_cfg_init(&c, 12076, bs_ip("1.1.1.1"));
	c.rfc8212 = true;
	b.sp[0] = bgp_speaker_new(b.n[0], &c, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(b.sp[0]);
	bs_neighbor(&b, 0, "10.0.0.2", 31898, &bgp_fsm_msee_cfg, false);
	bgp_speaker_add_network(b.sp[0], bs_ip("10.10.0.0"), 16);
	bgp_speaker_add_network(b.sp[1], bs_ip("172.16.0.0"), 16);
	bs_start(&b);
	sim_run_until(b.sim, SIM_S(5));
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(b.sp[0], bs_ip("10.0.0.2")),
	    BGP_ST_ESTABLISHED);
	bgp_speaker_peer_stats(b.sp[0], bs_ip("10.0.0.2"), &s0);
	CU_ASSERT_EQUAL(s0.rejected_policy, 1);
	CU_ASSERT_EQUAL(s0.prefixes_out, 0);
	CU_ASSERT_STRING_EQUAL(bs_path(&b, 0, "172.16.0.0", 16, buf,
	    sizeof(buf)), "none");
	CU_ASSERT_STRING_EQUAL(bs_path(&b, 1, "10.10.0.0", 16, buf,
	    sizeof(buf)), "none");
	bs_free(&b);
}

static void
stop_ev(struct sim *sim, void *arg)
{
	struct bs_net *b = arg;

	(void)sim;
	bgp_speaker_peer_stop(b->sp[1], bs_ip("10.0.0.1"));
}

static void
start_ev(struct sim *sim, void *arg)
{
	struct bs_net *b = arg;

	(void)sim;
	bgp_speaker_peer_start(b->sp[1], bs_ip("10.0.0.1"));
}

/*
 * Warning-only max-prefix warns once per session: the limit (3) passed in
 * the first session and again in the next one gives two annotations.
 */
static void
test_max_prefix_warn_per_session(void)
{
	char path[] = "/tmp/xcsim_bgpwarnXXXXXX", err[256];
	struct trace_reader *rd;
	struct trace_rec rec;
	struct trace *tr;
	struct bs_net b;
	struct bgp_neighbor_cfg nc;
	struct bgp_peer_stats s1;
	int fd, rc, i, warns = 0;

	fd = mkstemp(path);
	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
	tr = trace_open(path, 0, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(tr);
	bs_init(&b, 2);
	net_set_trace(b.net, tr);
	bs_link(&b, 0, 1, "10.0.0.0", D);
	bs_speaker(&b, 0, 12076, "1.1.1.1", 0);
	bs_speaker(&b, 1, 31898, "2.2.2.2", 0);
	bs_neighbor(&b, 0, "10.0.0.2", 31898, NULL, true);
	bgp_neighbor_cfg_init(&nc, bs_ip("10.0.0.1"), 12076);
	nc.max_prefix = 3;
	nc.max_prefix_warning_only = true;
	CU_ASSERT_EQUAL_FATAL(bgp_speaker_add_neighbor(b.sp[1], &nc, err,
	    sizeof(err)), 0);
	for (i = 0; i < 4; i++)
		bgp_speaker_add_network(b.sp[0], bs_ip("10.10.0.0") +
		    ((uint32_t)i << 8), 24);
	bs_start(&b);
	sim_schedule_at(b.sim, SIM_S(30), stop_ev, &b);
	sim_schedule_at(b.sim, SIM_S(31), start_ev, &b);
	sim_run_until(b.sim, SIM_S(300));
	bgp_speaker_peer_stats(b.sp[1], bs_ip("10.0.0.1"), &s1);
	CU_ASSERT_EQUAL(s1.flaps, 1);
	CU_ASSERT_EQUAL(s1.max_prefix_teardowns, 0);
	CU_ASSERT(s1.last_established > SIM_S(31));
	CU_ASSERT_EQUAL(bgp_speaker_peer_in(b.sp[1], bs_ip("10.0.0.1")), 4);
	net_set_trace(b.net, NULL);
	CU_ASSERT_EQUAL_FATAL(trace_close(tr, err, sizeof(err)), 0);
	bs_free(&b);
	rd = trace_reader_open(path, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
	while ((rc = trace_reader_next(rd, &rec, err, sizeof(err))) == 1)
		if (rec.type == TR_ANNOTATE && rec.u.annotate.node == 1 &&
		    strstr(rec.u.annotate.text, "bgp 10.0.0.1: more than 3 "
		    "prefixes (warning only)") != NULL)
			warns++;
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_EQUAL(warns, 2);
	trace_reader_close(rd);
	unlink(path);
}

struct restart_twice {
	struct bs_net *b;
	int connects;
	size_t pending;
};

/*
 * Stop and start a neighbour with no route twice in one event (two
 * connects, each failing at once), then free the speaker: no connect
 * failure may be left pending for the freed connection.
 */
static void
restart_twice_ev(struct sim *sim, void *arg)
{
	struct restart_twice *rt = arg;
	struct bs_net *b = rt->b;
	int k;

	for (k = 0; k < 2; k++) {
		bgp_speaker_peer_stop(b->sp[0], bs_ip("192.0.2.1"));
		CU_ASSERT_EQUAL(bgp_speaker_peer_start(b->sp[0],
		    bs_ip("192.0.2.1")), 0);
		if (bgp_speaker_peer_state(b->sp[0], bs_ip("192.0.2.1")) ==
		    BGP_ST_CONNECT)
			rt->connects++;
	}
	bgp_speaker_free(b->sp[0]);
	b->sp[0] = NULL;
	rt->pending = sim_pending(sim);
}

static void
test_connect_fail_cancelled(void)
{
	struct bs_net b;
	struct restart_twice rt;

	bs_init(&b, 2);
	bs_link(&b, 0, 1, "10.0.0.0", D);
	bs_speaker(&b, 0, 12076, "1.1.1.1", 0);
	bs_neighbor(&b, 0, "192.0.2.1", 31898, NULL, false);
	bs_start(&b);
	sim_run_until(b.sim, SIM_S(1));
	CU_ASSERT_NOT_EQUAL(bgp_speaker_peer_state(b.sp[0],
	    bs_ip("192.0.2.1")), BGP_ST_ESTABLISHED);
	memset(&rt, 0, sizeof(rt));
	rt.b = &b;
	sim_schedule_at(b.sim, SIM_S(2), restart_twice_ev, &rt);
	/* a stale failure event would read the freed connection */
	sim_run_until(b.sim, SIM_S(3));
	CU_ASSERT_EQUAL(rt.connects, 2);
	/* the speaker was the only thing scheduling: nothing left */
	CU_ASSERT_EQUAL(rt.pending, 0);
	bs_free(&b);
}

static const struct test_case cases[] = {
	{ "a failed connect's event is cancelled by the next connect",
	    test_connect_fail_cancelled },
	{ "warning-only max-prefix warns once per session",
	    test_max_prefix_warn_per_session },
	{ "two eBGP speakers come up and exchange routes", test_pair_up },
	{ "routes withdrawn on session down", test_withdraw_on_down },
	{ "a line of three ASes converges (MRAI 0, 30 s)", test_line3 },
	{ "AS-path loop rejected, allowas-in", test_loop },
	{ "max-prefix teardown at limit+1 with Cease 6/1", test_max_prefix },
	{ "iBGP: next-hop-self, no iBGP re-advertisement", test_ibgp },
	{ "NO_EXPORT honoured towards another AS", test_no_export },
	{ "RFC 8212: no policy, nothing in or out on eBGP", test_rfc8212 },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "bgp_speaker", cases);
}
