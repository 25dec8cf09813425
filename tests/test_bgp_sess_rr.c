/*
 * test_bgp_sess_rr.c - enhanced route refresh (RFC 7313), times exact:
 * between two speakers, a ROUTE-REFRESH is answered with BoRR, the
 * Adj-RIB-Out and EoRR; against a peer written by hand, a BoRR marks its
 * routes stale, what it sends again is fresh, its EoRR sweeps the rest (or
 * the stale time does, without an EoRR); an EoRR without a BoRR and an
 * unknown subtype are ignored; a ROUTE-REFRESH of the wrong length is
 * answered with NOTIFICATION 7/1 (RFC 7313 5).
 */
#include "bgp_sess_testutil.h"

/* ROUTE-REFRESH: 23 bytes, a 89-byte frame; an UPDATE of one /16, 112 */
#define F_RR TX(66 + 23)
#define F_UPD16 TX(112)

static void
test_borr_eorr_sent(void)
{
	struct bgp_neighbor_cfg nc;
	struct st_trace t;
	struct bs_net b;
	char err[128];
	sim_time at = SIM_S(5), rx, back;

	bs_init(&b, 2);
	bs_link(&b, 0, 1, "10.0.0.0", D);
	bs_speaker(&b, 0, 12076, "1.1.1.1", 0);
	bs_speaker(&b, 1, 31898, "2.2.2.2", 0);
	bgp_neighbor_cfg_init(&nc, bs_ip("10.0.0.2"), 31898);
	nc.enhanced_rr = true;
	CU_ASSERT_EQUAL_FATAL(bgp_speaker_add_neighbor(b.sp[0], &nc, err,
	    sizeof(err)), 0);
	bgp_neighbor_cfg_init(&nc, bs_ip("10.0.0.1"), 12076);
	nc.enhanced_rr = true;
	nc.passive = true;
	CU_ASSERT_EQUAL_FATAL(bgp_speaker_add_neighbor(b.sp[1], &nc, err,
	    sizeof(err)), 0);
	bgp_speaker_add_network(b.sp[1], bs_ip("172.16.0.0"), 16);
	st_trace_open(&t, &b);
	bs_start(&b);
	sim_run_until(b.sim, at);
	CU_ASSERT_EQUAL(bgp_speaker_peer_refresh(b.sp[0], bs_ip("10.0.0.2")),
	    0);
	sim_run_until(b.sim, at + SIM_S(1));
	CU_ASSERT_EQUAL(bgp_speaker_peer_in(b.sp[0], bs_ip("10.0.0.2")), 1);
	CU_ASSERT_EQUAL(bs_via(&b, 0, "172.16.1.1"), bs_ip("10.0.0.2"));
	st_trace_close(&t, &b);
	bs_free(&b);
	rx = at + D + F_RR;
	back = rx + D;
	CU_ASSERT_TRUE(st_trace_has(&t, 0, 1, "caps mp(1/1) route-refresh "
	    "enhanced-route-refresh as4", -1, NULL));
	CU_ASSERT_TRUE(st_trace_has(&t, 1, 1, "bgp from 10.0.0.1: "
	    "ROUTE-REFRESH afi 1 safi 1", rx, NULL));
	CU_ASSERT_TRUE(st_trace_has(&t, 0, 1, "bgp from 10.0.0.2: "
	    "ROUTE-REFRESH afi 1 safi 1 BoRR", back + F_RR, NULL));
	CU_ASSERT_TRUE(st_trace_has(&t, 0, 1, "BoRR: routes marked stale "
	    "(1 routes)", back + F_RR, NULL));
	CU_ASSERT_TRUE(st_trace_has(&t, 0, 1, "bgp from 10.0.0.2: UPDATE",
	    back + F_RR + F_UPD16, NULL));
	CU_ASSERT_TRUE(st_trace_has(&t, 0, 1, "bgp from 10.0.0.2: "
	    "ROUTE-REFRESH afi 1 safi 1 EoRR", back + 2 * F_RR + F_UPD16,
	    NULL));
	CU_ASSERT_TRUE(st_trace_has(&t, 0, 1, "EoRR: stale routes swept "
	    "(0 routes)", back + 2 * F_RR + F_UPD16, NULL));
	st_trace_done(&t);
}

/* ---- against a peer written by hand (bgp_sess_testutil.h) ---- */

static void
raw_setup(struct bs_net *b, struct raw *r)
{
	struct bgp_neighbor_cfg nc;
	char err[128];

	bs_init(b, 2);
	bs_link(b, 0, 1, "10.0.0.0", D);
	bs_speaker(b, 0, 12076, "1.1.1.1", 0);
	bgp_neighbor_cfg_init(&nc, bs_ip("10.0.0.2"), 31898);
	nc.passive = true;
	nc.enhanced_rr = true;
	nc.gr_stale_time = SIM_S(60);
	CU_ASSERT_EQUAL_FATAL(bgp_speaker_add_neighbor(b->sp[0], &nc, err,
	    sizeof(err)), 0);
	bs_start(b);
	memset(r, 0, sizeof(*r));
	raw_connect(r, b->n[1], "10.0.0.1");
}

static void
test_borr_received(void)
{
	static struct sendq q[6];
	struct bs_watch w0, w1;
	struct bs_net b;
	struct raw r;

	memset(q, 0, sizeof(q));
	raw_setup(&b, &r);
	bs_watch(&b, 0, &w0, "172.16.0.0", 24);
	bs_watch(&b, 0, &w1, "172.16.1.0", 24);
	for (int i = 0; i < 6; i++)
		q[i].r = &r;
	q_update(&q[0], 0, 2);			/* 1 s: two /24s */
	raw_at(&b, SIM_S(1), &q[0]);
	q_refresh(&q[1], BGP_RR_EORR, BGP_REFRESH_LEN);	/* ignored */
	raw_at(&b, SIM_S(2), &q[1]);
	q_refresh(&q[2], BGP_RR_BORR, BGP_REFRESH_LEN);	/* 3 s */
	q_update(&q[2], 0, 1);			/* only the first again */
	q_refresh(&q[2], 3, BGP_REFRESH_LEN);	/* unknown: ignored */
	raw_at(&b, SIM_S(3), &q[2]);
	q_refresh(&q[3], BGP_RR_EORR, BGP_REFRESH_LEN);	/* 4 s: sweep */
	raw_at(&b, SIM_S(4), &q[3]);
	q_refresh(&q[4], BGP_RR_BORR, BGP_REFRESH_LEN);	/* 5 s, no EoRR */
	raw_at(&b, SIM_S(5), &q[4]);
	sim_run_until(b.sim, SIM_S(3) + SIM_MS(500));
	CU_ASSERT_EQUAL(bgp_speaker_peer_in(b.sp[0], bs_ip("10.0.0.2")), 2);
	CU_ASSERT_EQUAL(w0.n, 1);
	CU_ASSERT_EQUAL(w1.n, 1);
	sim_run_until(b.sim, SIM_S(5) - 1);
	/* the EoRR (a 89-byte frame) swept the /24 not sent again */
	CU_ASSERT_EQUAL(w0.n, 1);
	CU_ASSERT_EQUAL_FATAL(w1.n, 2);
	CU_ASSERT_EQUAL(w1.kind[1], RIB_WITHDRAWN);
	CU_ASSERT_EQUAL(w1.t[1], SIM_S(4) + D + F_RR);
	CU_ASSERT_EQUAL(bgp_speaker_peer_in(b.sp[0], bs_ip("10.0.0.2")), 1);
	/* no EoRR after the second BoRR: swept after the stale time */
	sim_run_until(b.sim, SIM_S(5) + D + F_RR + SIM_S(60) - 1);
	CU_ASSERT_EQUAL(w0.n, 1);
	sim_run_until(b.sim, SIM_S(70));
	CU_ASSERT_EQUAL_FATAL(w0.n, 2);
	CU_ASSERT_EQUAL(w0.t[1], SIM_S(5) + D + F_RR + SIM_S(60));
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(b.sp[0], bs_ip("10.0.0.2")),
	    BGP_ST_ESTABLISHED);
	bs_unwatch(&b, 0, &w0);
	bs_unwatch(&b, 0, &w1);
	if (r.s != NULL)
		stream_abort(r.s);
	bs_free(&b);
}

/* 7313 5: a BoRR 2 bytes too long is a ROUTE-REFRESH Message Error. */
static void
test_refresh_bad_length(void)
{
	static struct sendq q;
	struct bgp_peer_stats s0;
	struct bs_net b;
	struct raw r;
	size_t pos = 0, len;
	struct bgp_notify e;
	int notif = 0;

	memset(&q, 0, sizeof(q));
	raw_setup(&b, &r);
	q.r = &r;
	q_refresh(&q, BGP_RR_BORR, BGP_REFRESH_LEN + 2);
	raw_at(&b, SIM_S(1), &q);
	sim_run_until(b.sim, SIM_S(2));
	bgp_speaker_peer_stats(b.sp[0], bs_ip("10.0.0.2"), &s0);
	CU_ASSERT_EQUAL(s0.last_notif_sent[0], BGP_ERR_REFRESH);
	CU_ASSERT_EQUAL(s0.last_notif_sent[1], BGP_ERR_REFRESH_LEN);
	CU_ASSERT_EQUAL(s0.last_down, SIM_S(1) + D + TX(66 + 25));
	/* the raw peer read the NOTIFICATION 7/1, with the message as data */
	while (pos < r.n && bgp_frame(r.in + pos, r.n - pos, &len, &e) ==
	    BGP_FRAME_OK) {
		if (r.in[pos + 18] == BGP_NOTIFICATION) {
			CU_ASSERT_EQUAL(r.in[pos + 19], BGP_ERR_REFRESH);
			CU_ASSERT_EQUAL(r.in[pos + 20], BGP_ERR_REFRESH_LEN);
			CU_ASSERT_EQUAL(len, 21 + 25);
			notif++;
		}
		pos += len;
	}
	CU_ASSERT_EQUAL(notif, 1);
	if (r.s != NULL)
		stream_abort(r.s);
	bs_free(&b);
}

static const struct test_case cases[] = {
	{ "ROUTE-REFRESH answered with BoRR, routes, EoRR",
	    test_borr_eorr_sent },
	{ "BoRR marks stale, EoRR or the stale time sweeps",
	    test_borr_received },
	{ "a ROUTE-REFRESH of the wrong length: 7/1",
	    test_refresh_bad_length },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "bgp_sess_rr", cases);
}
