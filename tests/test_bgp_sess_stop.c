/*
 * test_bgp_sess_stop.c - how a session is stopped and restarted, times
 * exact: an RFC 8203/9003 shutdown communication in Cease 6/2 (quoted in
 * both ends' trace reasons, cut at 255 bytes on a character boundary);
 * the max-prefix idle restart through the FSM's IdleHoldTimer, damped
 * when the neighbour damps (IdleHold 10, 20, 40, 80, 80 s), or no restart
 * at all until a ManualStart.
 */
#include "bgp_sess_testutil.h"

/* r0 AS 12076 (10.0.0.1, active) -- r1 AS 31898 (10.0.0.2, passive) */
static void
pair(struct bs_net *b)
{
	bs_init(b, 2);
	bs_link(b, 0, 1, "10.0.0.0", D);
	bs_speaker(b, 0, 12076, "1.1.1.1", 0);
	bs_speaker(b, 1, 31898, "2.2.2.2", 0);
	bs_neighbor(b, 0, "10.0.0.2", 31898, NULL, false);
	bs_neighbor(b, 1, "10.0.0.1", 12076, NULL, true);
}

static void
test_shutdown_text(void)
{
	const char *text = "maintenance until 06:00 UTC, ticket 4711";
	struct bgp_peer_stats s0, s1;
	struct st_trace t;
	struct bs_net b;
	char want[256];
	sim_time at = SIM_S(5), rx;

	pair(&b);
	st_trace_open(&t, &b);
	bs_start(&b);
	sim_run_until(b.sim, at);
	CU_ASSERT_EQUAL(bgp_speaker_peer_shutdown(b.sp[1], bs_ip("10.0.0.1"),
	    text), 0);
	CU_ASSERT_EQUAL(bgp_speaker_peer_shutdown(b.sp[1], bs_ip("10.9.9.9"),
	    text), -1);
	sim_run_until(b.sim, SIM_S(6));
	bgp_speaker_peer_stats(b.sp[0], bs_ip("10.0.0.2"), &s0);
	bgp_speaker_peer_stats(b.sp[1], bs_ip("10.0.0.1"), &s1);
	CU_ASSERT_EQUAL(s1.last_notif_sent[0], BGP_ERR_CEASE);
	CU_ASSERT_EQUAL(s1.last_notif_sent[1], BGP_CEASE_ADMIN_SHUTDOWN);
	CU_ASSERT_EQUAL(s0.last_notif_rcvd[0], BGP_ERR_CEASE);
	CU_ASSERT_EQUAL(s0.last_notif_rcvd[1], BGP_CEASE_ADMIN_SHUTDOWN);
	/* NOTIFICATION: 21 bytes, the length octet, 40 of text; one frame */
	rx = at + D + TX(66 + 21 + 1 + 40);
	CU_ASSERT_EQUAL(s0.last_down, rx);
	CU_ASSERT_EQUAL(s1.last_down, at);
	st_trace_close(&t, &b);
	bs_free(&b);
	snprintf(want, sizeof(want), "Idle Cease / Administrative Shutdown "
	    "\"%s\"", text);
	CU_ASSERT_TRUE(st_trace_has(&t, 1, 0, want, at, NULL));
	snprintf(want, sizeof(want), "Idle received Cease / Administrative "
	    "Shutdown \"%s\"", text);
	CU_ASSERT_TRUE(st_trace_has(&t, 0, 0, want, rx, NULL));
	/* the message annotation decodes it too */
	CU_ASSERT_TRUE(st_trace_has(&t, 0, 1, text, rx, NULL));
	st_trace_done(&t);
}

/*
 * RFC 9003 2: at most 255 bytes, never cut inside a character: 127 "é"
 * (254 bytes) and one more "é" does not fit, so 254 go.
 */
static void
test_shutdown_long(void)
{
	char text[300], want[400], cut[260];
	struct bgp_peer_stats s0;
	struct st_trace t;
	struct bs_net b;
	sim_time at = SIM_S(5);
	int i;

	for (i = 0; i < 128; i++)
		memcpy(text + 2 * i, "\xc3\xa9", 2);
	text[256] = '\0';
	memcpy(cut, text, 254);
	cut[254] = '\0';
	pair(&b);
	st_trace_open(&t, &b);
	bs_start(&b);
	sim_run_until(b.sim, at);
	bgp_speaker_peer_shutdown(b.sp[1], bs_ip("10.0.0.1"), text);
	sim_run_until(b.sim, SIM_S(6));
	bgp_speaker_peer_stats(b.sp[0], bs_ip("10.0.0.2"), &s0);
	CU_ASSERT_EQUAL(s0.last_down, at + D + TX(66 + 21 + 1 + 254));
	st_trace_close(&t, &b);
	bs_free(&b);
	/* the trace record keeps the reason's first 255 bytes */
	snprintf(want, sizeof(want), "Idle received Cease / Administrative "
	    "Shutdown \"%.200s", cut);
	CU_ASSERT_TRUE(st_trace_has(&t, 0, 2, want, -1, NULL));
	/* no text: the plain reason, as before */
	st_trace_done(&t);
	pair(&b);
	st_trace_open(&t, &b);
	bs_start(&b);
	sim_run_until(b.sim, at);
	bgp_speaker_peer_shutdown(b.sp[1], bs_ip("10.0.0.1"), "");
	sim_run_until(b.sim, SIM_S(6));
	bgp_speaker_peer_stats(b.sp[0], bs_ip("10.0.0.2"), &s0);
	CU_ASSERT_EQUAL(s0.last_down, at + D + TX(66 + 21));
	st_trace_close(&t, &b);
	bs_free(&b);
	CU_ASSERT_TRUE(st_trace_has(&t, 0, 0, "Idle received Cease / "
	    "Administrative Shutdown", -1, NULL));
	st_trace_done(&t);
}

/*
 * r0 (passive) sends four /24s to r1 whose limit is 3: r1 tears down
 * (Cease 6/1) when the UPDATE arrives, down1 after start, and each
 * restart takes down1 - T_UP_ACTIVE to Established... the same down1 to
 * the next teardown.
 */
#define DOWN1 (T_UP_PASSIVE + D + TX(125))

static void
max_prefix_pair(struct bs_net *b, const struct bgp_fsm_cfg *fc,
    sim_time restart)
{
	struct bgp_neighbor_cfg nc;
	char err[128];
	int i;

	bs_init(b, 2);
	bs_link(b, 0, 1, "10.0.0.0", D);
	bs_speaker(b, 0, 12076, "1.1.1.1", 0);
	bs_speaker(b, 1, 31898, "2.2.2.2", 0);
	bs_neighbor(b, 0, "10.0.0.2", 31898, NULL, true);
	bgp_neighbor_cfg_init(&nc, bs_ip("10.0.0.1"), 12076);
	nc.fsm = fc;
	nc.max_prefix = 3;
	nc.max_prefix_restart = restart;
	CU_ASSERT_EQUAL_FATAL(bgp_speaker_add_neighbor(b->sp[1], &nc, err,
	    sizeof(err)), 0);
	for (i = 0; i < 4; i++)
		bgp_speaker_add_network(b->sp[0], bs_ip("10.10.0.0") +
		    ((uint32_t)i << 8), 24);
	bs_start(b);
}

static void
test_max_prefix_damped(void)
{
	/* IdleHold: max(restart 5 s, damped 10, 20, 40, 80, 80 s) */
	static const sim_time hold[] = { SIM_S(10), SIM_S(20), SIM_S(40),
	    SIM_S(80), SIM_S(80) };
	struct bgp_fsm_cfg fc = bgp_fsm_default_cfg;
	struct bgp_peer_stats s1;
	struct bs_net b;
	sim_time down = DOWN1;
	unsigned k;

	fc.damp = true;
	fc.damp_min = SIM_S(10);
	fc.damp_max = SIM_S(80);
	fc.damp_forget = SIM_S(300);
	max_prefix_pair(&b, &fc, SIM_S(5));
	for (k = 0; k < 5; k++) {
		/* just before the restart: still down, k + 1 teardowns */
		sim_run_until(b.sim, down + hold[k] - 1);
		bgp_speaker_peer_stats(b.sp[1], bs_ip("10.0.0.1"), &s1);
		CU_ASSERT_EQUAL(s1.max_prefix_teardowns, k + 1);
		CU_ASSERT_EQUAL(s1.last_down, down);
		CU_ASSERT_EQUAL(bgp_speaker_peer_state(b.sp[1],
		    bs_ip("10.0.0.1")), BGP_ST_IDLE);
		sim_run_until(b.sim, down + hold[k] + DOWN1);
		bgp_speaker_peer_stats(b.sp[1], bs_ip("10.0.0.1"), &s1);
		CU_ASSERT_EQUAL(s1.last_established, down + hold[k] +
		    T_UP_ACTIVE);
		down += hold[k] + DOWN1;
		CU_ASSERT_EQUAL(s1.last_down, down);
		CU_ASSERT_EQUAL(s1.max_prefix_teardowns, k + 2);
		CU_ASSERT_EQUAL(s1.flaps, k + 2);
	}
	/* an operator's stop cancels the pending restart */
	bgp_speaker_peer_stop(b.sp[1], bs_ip("10.0.0.1"));
	sim_run_until(b.sim, down + SIM_S(600));
	bgp_speaker_peer_stats(b.sp[1], bs_ip("10.0.0.1"), &s1);
	CU_ASSERT_EQUAL(s1.max_prefix_teardowns, 6);
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(b.sp[1], bs_ip("10.0.0.1")),
	    BGP_ST_IDLE);
	bs_free(&b);
}

/* A restart time of 0: down until a ManualStart, then the same again. */
static void
test_max_prefix_no_restart(void)
{
	struct bgp_peer_stats s1;
	struct bs_net b;
	sim_time at = SIM_S(700);

	max_prefix_pair(&b, NULL, 0);
	sim_run_until(b.sim, SIM_S(600));
	bgp_speaker_peer_stats(b.sp[1], bs_ip("10.0.0.1"), &s1);
	CU_ASSERT_EQUAL(s1.max_prefix_teardowns, 1);
	CU_ASSERT_EQUAL(s1.last_down, DOWN1);
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(b.sp[1], bs_ip("10.0.0.1")),
	    BGP_ST_IDLE);
	sim_run_until(b.sim, at);
	CU_ASSERT_EQUAL(bgp_speaker_peer_start(b.sp[1], bs_ip("10.0.0.1")),
	    0);
	sim_run_until(b.sim, at + SIM_S(100));
	bgp_speaker_peer_stats(b.sp[1], bs_ip("10.0.0.1"), &s1);
	CU_ASSERT_EQUAL(s1.last_established, at + T_UP_ACTIVE);
	CU_ASSERT_EQUAL(s1.last_down, at + DOWN1);
	CU_ASSERT_EQUAL(s1.max_prefix_teardowns, 2);
	bs_free(&b);
}

static const struct test_case cases[] = {
	{ "peer_shutdown: Cease 6/2 with its text, traced",
	    test_shutdown_text },
	{ "peer_shutdown: 255 bytes at most, no text",
	    test_shutdown_long },
	{ "max-prefix restart through IdleHold, damped",
	    test_max_prefix_damped },
	{ "max-prefix without restart: down until started",
	    test_max_prefix_no_restart },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "bgp_sess_stop", cases);
}
