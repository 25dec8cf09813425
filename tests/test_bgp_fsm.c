/*
 * test_bgp_fsm.c - the BGP-4 session state machine (models/bgp/bgp_fsm.h)
 * through a fake ops table that records every action in order, with its
 * simulated time: RFC 4271 8.2.2 row by row (state x event -> state,
 * actions, ConnectRetryCounter, running timers), the normal bring-up with
 * keepalives at hold/3 and the hold timer reset by KEEPALIVE and UPDATE,
 * hold expiry, hold 0, passive, DelayOpen, ConnectRetry, damping, the
 * collision rule alone and with two FSMs, ManualStop, the MSEE timers.
 */
#include <stdio.h>
#include <string.h>

#include "bgp_fsm.h"
#include "sim.h"
#include "testutil.h"

#define NACT 128

/* What the fake speaker saw. */
struct rec {
	struct sim *sim;
	char act[NACT][32];
	sim_time at[NACT];
	int n;
	char reason[128];		/* the last state_changed reason */
	int changes;
	struct bgp_fsm_reason down;	/* the last session_down */
	uint16_t open_hold;
	const struct bgp_notif *last_sent;
};

static void
rec_add(struct rec *r, const char *fmt, unsigned a, unsigned b)
{
	CU_ASSERT_FATAL(r->n < NACT);
	snprintf(r->act[r->n], sizeof(r->act[0]), fmt, a, b);
	r->at[r->n++] = sim_now(r->sim);
}

static void
op_connect(struct bgp_fsm *f, void *ctx)
{
	(void)f;
	rec_add(ctx, "connect", 0, 0);
}

static void
op_close(struct bgp_fsm *f, const struct bgp_notif *sent, void *ctx)
{
	struct rec *r = ctx;

	(void)f;
	/* the NOTIFICATION handed over is the one just sent */
	CU_ASSERT_TRUE(sent == NULL || sent == r->last_sent);
	rec_add(ctx, sent != NULL ? "close+n" : "close", 0, 0);
}

static void
op_open(struct bgp_fsm *f, uint16_t hold_s, void *ctx)
{
	struct rec *r = ctx;

	(void)f;
	r->open_hold = hold_s;
	rec_add(ctx, "open", 0, 0);
}

static void
op_ka(struct bgp_fsm *f, void *ctx)
{
	(void)f;
	rec_add(ctx, "ka", 0, 0);
}

static void
op_notif(struct bgp_fsm *f, const struct bgp_notif *n, void *ctx)
{
	struct rec *r = ctx;

	(void)f;
	r->last_sent = n;
	rec_add(ctx, "notif %u/%u", n->code, n->subcode);
}

static void
op_up(struct bgp_fsm *f, void *ctx)
{
	CU_ASSERT_EQUAL(bgp_fsm_state(f), BGP_ST_ESTABLISHED);
	rec_add(ctx, "up", 0, 0);
}

static void
op_down(struct bgp_fsm *f, const struct bgp_fsm_reason *why, void *ctx)
{
	struct rec *r = ctx;

	(void)f;
	r->down = *why;
	rec_add(ctx, "down", 0, 0);
}

static void
op_state(struct bgp_fsm *f, enum bgp_fsm_state old, enum bgp_fsm_state st,
    const char *reason, void *ctx)
{
	struct rec *r = ctx;

	CU_ASSERT_NOT_EQUAL(old, st);
	CU_ASSERT_EQUAL(bgp_fsm_state(f), st);
	snprintf(r->reason, sizeof(r->reason), "%s", reason);
	r->changes++;
}

static const struct bgp_fsm_ops fake_ops = {
	.tcp_connect = op_connect,
	.tcp_close = op_close,
	.send_open = op_open,
	.send_keepalive = op_ka,
	.send_notification = op_notif,
	.session_up = op_up,
	.session_down = op_down,
	.state_changed = op_state,
};

/* The actions since the last clear, comma-separated. */
static const char *
acts(struct rec *r)
{
	static char buf[1024];
	size_t off = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < r->n; i++)
		off += (size_t)snprintf(buf + off, sizeof(buf) - off, "%s%s",
		    i ? "," : "", r->act[i]);
	return buf;
}

static void
clear(struct rec *r)
{
	r->n = 0;
}

/* Exact times: no jitter, no automatic restart unless a test wants it. */
static struct bgp_fsm_cfg
plain_cfg(void)
{
	struct bgp_fsm_cfg c = bgp_fsm_default_cfg;

	c.jitter = false;
	c.auto_start = false;
	return c;
}

static struct bgp_fsm *
mk(struct rec *r, struct sim *sim, const struct bgp_fsm_cfg *c)
{
	memset(r, 0, sizeof(*r));
	r->sim = sim;
	return bgp_fsm_new(sim, c, &fake_ops, r, "bgp/a/10.0.0.2");
}

static void
ev(struct bgp_fsm *f, enum bgp_fsm_event e)
{
	bgp_fsm_event(f, e, NULL);
}

static void
at(struct sim *sim, sim_time t)
{
	sim_run_until(sim, t);
}

/* --- RFC 4271 8.2.2, table-driven --- */

enum setup {
	S_IDLE, S_CONNECT, S_ACTIVE, S_OPENSENT, S_OPENCONFIRM,
	S_ESTABLISHED, S_CONNECT_DO, S_ACTIVE_DO, S_MAX
};

static const enum bgp_fsm_state setup_state[S_MAX] = {
	BGP_ST_IDLE, BGP_ST_CONNECT, BGP_ST_ACTIVE, BGP_ST_OPENSENT,
	BGP_ST_OPENCONFIRM, BGP_ST_ESTABLISHED, BGP_ST_CONNECT,
	BGP_ST_ACTIVE,
};

#define F_DO	1u	/* DelayOpen, 5 s */
#define F_SNWO	2u	/* SendNOTIFICATIONwithoutOPEN */
#define F_PASV	4u	/* PassiveTcpEstablishment */

#define T_CR	(1u << BGP_TM_CONNECT_RETRY)
#define T_HOLD	(1u << BGP_TM_HOLD)
#define T_KA	(1u << BGP_TM_KEEPALIVE)
#define T_DO	(1u << BGP_TM_DELAY_OPEN)

#define E(x)	(1u << (x))
#define E_STARTS (E(1) | E(3) | E(4) | E(5) | E(6) | E(7))
#define E_ALL	(((1u << 29) - 1) & ~1u)

struct row {
	enum setup setup;
	unsigned flags;
	uint32_t events;
	enum bgp_fsm_state to;
	const char *acts;
	uint32_t crc;		/* ConnectRetryCounter after */
	unsigned timers;	/* running after */
};

#define IDLE BGP_ST_IDLE
#define CONN BGP_ST_CONNECT
#define ACTV BGP_ST_ACTIVE
#define OSNT BGP_ST_OPENSENT
#define OCNF BGP_ST_OPENCONFIRM
#define ESTB BGP_ST_ESTABLISHED

static const struct row rows[] = {
	/* Idle: starts, and everything else ignored */
	{ S_IDLE, 0, E(1) | E(3) | E(6) | E(13), CONN, "connect", 0, T_CR },
	{ S_IDLE, 0, E(4) | E(5) | E(7), ACTV, "", 0, T_CR },
	{ S_IDLE, F_PASV, E(13), ACTV, "", 0, T_CR },
	{ S_IDLE, 0, E_ALL & ~(E(1) | E(3) | E(4) | E(5) | E(6) | E(7) |
	    E(13)), IDLE, "", 0, 0 },
	/* Connect */
	{ S_CONNECT, 0, E(2), IDLE, "close", 0, 0 },
	{ S_CONNECT, 0, E(9), CONN, "close,connect", 0, T_CR },
	{ S_CONNECT, 0, E(12) | E(16) | E(17), OSNT, "open", 0, T_HOLD },
	{ S_CONNECT, 0, E_STARTS | E(14) | E(15), CONN, "", 0, T_CR },
	{ S_CONNECT, 0, E(18), IDLE, "close", 0, 0 },
	{ S_CONNECT, 0, E(20), OCNF, "open,ka", 0, T_HOLD | T_KA },
	{ S_CONNECT, 0, E(21) | E(22) | E(24), IDLE, "close", 1, 0 },
	{ S_CONNECT, 0, E(8) | E(10) | E(11) | E(13) | E(19) | E(23) |
	    E(25) | E(26) | E(27) | E(28), IDLE, "close", 1, 0 },
	{ S_CONNECT, F_SNWO, E(21), IDLE, "notif 1/2,close+n", 1, 0 },
	{ S_CONNECT, F_SNWO, E(22), IDLE, "notif 2/2,close+n", 1, 0 },
	/* Connect, TCP up, DelayOpenTimer running */
	{ S_CONNECT_DO, F_DO, E(12), OSNT, "open", 0, T_HOLD },
	{ S_CONNECT_DO, F_DO, E(9), CONN, "close,connect", 0, T_CR },
	{ S_CONNECT_DO, F_DO, E(18), ACTV, "", 0, T_CR },
	{ S_CONNECT_DO, F_DO, E(20), OCNF, "open,ka", 0, T_HOLD | T_KA },
	{ S_CONNECT_DO, F_DO, E(24), IDLE, "close", 0, 0 },
	{ S_CONNECT_DO, F_DO, E(2), IDLE, "close", 0, 0 },
	{ S_CONNECT_DO, F_DO, E(26), IDLE, "close", 1, 0 },
	{ S_CONNECT_DO, F_DO, E_STARTS | E(14) | E(15), CONN, "", 0, T_DO },
	/* Active */
	{ S_ACTIVE, 0, E(2), IDLE, "close", 0, 0 },
	{ S_ACTIVE, 0, E(9), CONN, "connect", 0, T_CR },
	{ S_ACTIVE, F_PASV, E(9), ACTV, "", 0, T_CR },
	{ S_ACTIVE, 0, E(12) | E(16) | E(17), OSNT, "open", 0, T_HOLD },
	{ S_ACTIVE, 0, E_STARTS | E(14) | E(15), ACTV, "", 0, T_CR },
	{ S_ACTIVE, 0, E(18), IDLE, "close", 1, 0 },
	{ S_ACTIVE, 0, E(20), OCNF, "open,ka", 0, T_HOLD | T_KA },
	{ S_ACTIVE, 0, E(21) | E(22) | E(24), IDLE, "close", 1, 0 },
	{ S_ACTIVE, 0, E(8) | E(10) | E(11) | E(13) | E(19) | E(23) |
	    E(25) | E(26) | E(27) | E(28), IDLE, "close", 1, 0 },
	{ S_ACTIVE, F_SNWO, E(22), IDLE, "notif 2/2,close+n", 1, 0 },
	/* Active, TCP up, DelayOpenTimer running */
	{ S_ACTIVE_DO, F_DO, E(2), IDLE, "close", 0, 0 },
	{ S_ACTIVE_DO, F_DO | F_SNWO, E(2), IDLE, "notif 6/2,close+n", 0, 0 },
	{ S_ACTIVE_DO, F_DO, E(12), OSNT, "open", 0, T_HOLD },
	{ S_ACTIVE_DO, F_DO, E(20), OCNF, "open,ka", 0, T_HOLD | T_KA },
	{ S_ACTIVE_DO, F_DO, E(24), IDLE, "close", 0, 0 },
	{ S_ACTIVE_DO, F_DO, E(18), IDLE, "close", 1, 0 },
	/* OpenSent */
	{ S_OPENSENT, 0, E(2), IDLE, "notif 6/2,close+n", 0, 0 },
	{ S_OPENSENT, 0, E(8), IDLE, "notif 6/1,close+n", 1, 0 },
	{ S_OPENSENT, 0, E(10), IDLE, "notif 4/0,close+n", 1, 0 },
	{ S_OPENSENT, 0, E_STARTS | E(14) | E(15) | E(16) | E(17), OSNT, "",
	    0, T_HOLD },
	{ S_OPENSENT, 0, E(18), ACTV, "close", 0, T_CR },
	{ S_OPENSENT, 0, E(19), OCNF, "ka", 0, T_HOLD | T_KA },
	{ S_OPENSENT, 0, E(21), IDLE, "notif 1/2,close+n", 1, 0 },
	{ S_OPENSENT, 0, E(22), IDLE, "notif 2/2,close+n", 1, 0 },
	{ S_OPENSENT, 0, E(23), IDLE, "notif 6/7,close+n", 1, 0 },
	{ S_OPENSENT, 0, E(24), IDLE, "close", 0, 0 },
	{ S_OPENSENT, 0, E(9) | E(11) | E(12) | E(13) | E(20) | E(25) |
	    E(26) | E(27) | E(28), IDLE, "notif 5/1,close+n", 1, 0 },
	/* OpenConfirm */
	{ S_OPENCONFIRM, 0, E(2), IDLE, "notif 6/2,close+n", 0, 0 },
	{ S_OPENCONFIRM, 0, E(8), IDLE, "notif 6/1,close+n", 1, 0 },
	{ S_OPENCONFIRM, 0, E(10), IDLE, "notif 4/0,close+n", 1, 0 },
	{ S_OPENCONFIRM, 0, E(11), OCNF, "ka", 0, T_HOLD | T_KA },
	{ S_OPENCONFIRM, 0, E_STARTS | E(14) | E(15) | E(16) | E(17) | E(19),
	    OCNF, "", 0, T_HOLD | T_KA },
	{ S_OPENCONFIRM, 0, E(18) | E(24) | E(25), IDLE, "close", 1, 0 },
	{ S_OPENCONFIRM, 0, E(21), IDLE, "notif 1/2,close+n", 1, 0 },
	{ S_OPENCONFIRM, 0, E(22), IDLE, "notif 2/2,close+n", 1, 0 },
	{ S_OPENCONFIRM, 0, E(23), IDLE, "notif 6/7,close+n", 1, 0 },
	{ S_OPENCONFIRM, 0, E(26), ESTB, "up", 0, T_HOLD | T_KA },
	{ S_OPENCONFIRM, 0, E(9) | E(12) | E(13) | E(20) | E(27) | E(28),
	    IDLE, "notif 5/2,close+n", 1, 0 },
	/* Established */
	{ S_ESTABLISHED, 0, E(2), IDLE, "notif 6/2,close+n,down", 0, 0 },
	{ S_ESTABLISHED, 0, E(8), IDLE, "notif 6/1,close+n,down", 1, 0 },
	{ S_ESTABLISHED, 0, E(10), IDLE, "notif 4/0,close+n,down", 1, 0 },
	{ S_ESTABLISHED, 0, E(11), ESTB, "ka", 0, T_HOLD | T_KA },
	{ S_ESTABLISHED, 0, E_STARTS | E(14) | E(15) | E(16) | E(17) | E(19) |
	    E(26) | E(27), ESTB, "", 0, T_HOLD | T_KA },
	{ S_ESTABLISHED, 0, E(18) | E(24) | E(25), IDLE, "close,down", 1, 0 },
	{ S_ESTABLISHED, 0, E(21), IDLE, "notif 1/2,close+n,down", 1, 0 },
	{ S_ESTABLISHED, 0, E(23), IDLE, "notif 6/7,close+n,down", 1, 0 },
	{ S_ESTABLISHED, 0, E(28), IDLE, "notif 3/11,close+n,down", 1, 0 },
	{ S_ESTABLISHED, 0, E(9) | E(12) | E(13) | E(20) | E(22), IDLE,
	    "notif 5/3,close+n,down", 1, 0 },
};

/* What the speaker hands over with each event in the table. */
static struct bgp_fsm_arg
row_arg(enum bgp_fsm_event e)
{
	struct bgp_fsm_arg a = { .peer_hold_s = 90 };

	switch (e) {
	case BGP_EV_HEADER_ERR:
		a.notif.code = 1, a.notif.subcode = 2;
		break;
	case BGP_EV_OPEN_ERR:
		a.notif.code = 2, a.notif.subcode = 2;
		break;
	case BGP_EV_UPDATE_ERR:
		a.notif.code = 3, a.notif.subcode = 11;
		break;
	case BGP_EV_NOTIF_VER_ERR:
		a.notif.code = 2, a.notif.subcode = 1;
		break;
	case BGP_EV_NOTIF:
		a.notif.code = 6, a.notif.subcode = 4;
		break;
	case BGP_EV_AUTO_STOP:
		a.notif.subcode = BGP_CEASE_MAX_PREFIX;
		break;
	default:
		break;
	}
	return a;
}

static void
do_setup(struct bgp_fsm *f, struct sim *sim, enum setup s)
{
	switch (s) {
	case S_IDLE:
		break;
	case S_CONNECT:
	case S_CONNECT_DO:
		ev(f, BGP_EV_MANUAL_START);
		at(sim, SIM_S(1));
		if (s == S_CONNECT_DO)
			ev(f, BGP_EV_TCP_CR_ACKED);
		break;
	case S_ACTIVE:
	case S_ACTIVE_DO:
		ev(f, BGP_EV_MANUAL_START_PASSIVE);
		at(sim, SIM_S(1));
		if (s == S_ACTIVE_DO)
			ev(f, BGP_EV_TCP_CONFIRMED);
		break;
	case S_OPENSENT:
	case S_OPENCONFIRM:
	case S_ESTABLISHED:
		ev(f, BGP_EV_MANUAL_START);
		at(sim, SIM_S(1));
		ev(f, BGP_EV_TCP_CR_ACKED);
		if (s >= S_OPENCONFIRM)
			bgp_fsm_rx_open(f, 90);
		if (s == S_ESTABLISHED)
			ev(f, BGP_EV_KEEPALIVE);
		break;
	default:
		CU_FAIL_FATAL("setup");
	}
}

static unsigned
timers_running(const struct bgp_fsm *f)
{
	unsigned m = 0;
	int t;

	for (t = 0; t < BGP_TM_MAX; t++)
		if (bgp_fsm_timer_expiry(f, (enum bgp_fsm_timer)t) !=
		    SIM_TIME_MAX)
			m |= 1u << t;
	return m;
}

static void
test_table(void)
{
	uint32_t covered[BGP_ST_MAX] = { 0 };
	size_t i;
	int e, st, checked = 0;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *rw = &rows[i];

		if (rw->flags == 0 && rw->setup < S_CONNECT_DO)
			covered[setup_state[rw->setup]] |= rw->events;
		for (e = 1; e < BGP_EV_MAX; e++) {
			struct bgp_fsm_cfg c = plain_cfg();
			struct bgp_fsm_arg a = row_arg((enum bgp_fsm_event)e);
			struct sim *sim;
			struct bgp_fsm *f;
			struct rec r;
			bool ok;

			if (!(rw->events & E(e)))
				continue;
			c.delay_open = (rw->flags & F_DO) != 0;
			c.delay_open_s = 5;
			c.send_notif_without_open = (rw->flags & F_SNWO) != 0;
			c.passive = (rw->flags & F_PASV) != 0;
			sim = sim_new(1);
			f = mk(&r, sim, &c);
			do_setup(f, sim, rw->setup);
			CU_ASSERT_EQUAL_FATAL(bgp_fsm_state(f),
			    setup_state[rw->setup]);
			clear(&r);
			bgp_fsm_event(f, (enum bgp_fsm_event)e, &a);
			ok = bgp_fsm_state(f) == rw->to &&
			    strcmp(acts(&r), rw->acts) == 0 &&
			    bgp_fsm_connect_retry_counter(f) == rw->crc &&
			    timers_running(f) == rw->timers;
			if (!ok)
				fprintf(stderr, "row %zu %s + %s: got %s [%s] "
				    "crc %u timers %#x\n", i,
				    bgp_fsm_state_name[setup_state[rw->setup]],
				    bgp_fsm_event_name[e],
				    bgp_fsm_state_name[bgp_fsm_state(f)],
				    acts(&r), bgp_fsm_connect_retry_counter(f),
				    timers_running(f));
			CU_ASSERT_TRUE(ok);
			checked++;
			bgp_fsm_free(f);
			sim_free(sim);
		}
	}
	/* every event of 8.1 in every state, with the default attributes */
	for (st = 0; st < BGP_ST_MAX; st++)
		CU_ASSERT_EQUAL(covered[st], E_ALL);
	CU_ASSERT_TRUE(checked > 6 * 28);
}

/* --- the scenarios, with exact times --- */

/* Bring a session up at 0 s / 1 s / 2 s / 3 s with the peer's hold. */
static void
bring_up(struct bgp_fsm *f, struct sim *sim, sim_time t0, uint16_t hold)
{
	at(sim, t0);
	bgp_fsm_start(f);
	at(sim, t0 + SIM_S(1));
	ev(f, BGP_EV_TCP_CR_ACKED);
	at(sim, t0 + SIM_S(2));
	bgp_fsm_rx_open(f, hold);
	at(sim, t0 + SIM_S(3));
	ev(f, BGP_EV_KEEPALIVE);
}

static void
test_bring_up(void)
{
	struct sim *sim = sim_new(1);
	struct bgp_fsm_cfg c = plain_cfg();
	struct rec r;
	struct bgp_fsm *f = mk(&r, sim, &c);
	const struct bgp_fsm_stats *st = bgp_fsm_stats(f);
	int i;

	bgp_fsm_start(f);
	CU_ASSERT_EQUAL(bgp_fsm_state(f), BGP_ST_CONNECT);
	CU_ASSERT_STRING_EQUAL(acts(&r), "connect");
	CU_ASSERT_STRING_EQUAL(r.reason, "ManualStart");
	CU_ASSERT_EQUAL(bgp_fsm_timer_expiry(f, BGP_TM_CONNECT_RETRY),
	    SIM_S(120));
	CU_ASSERT_TRUE(bgp_fsm_accepts(f));
	at(sim, SIM_S(1));
	ev(f, BGP_EV_TCP_CR_ACKED);
	CU_ASSERT_EQUAL(bgp_fsm_state(f), BGP_ST_OPENSENT);
	CU_ASSERT_TRUE(bgp_fsm_outgoing(f));
	CU_ASSERT_EQUAL(r.open_hold, 90);
	/* 8.2.2: the large initial hold of 4 minutes */
	CU_ASSERT_EQUAL(bgp_fsm_timer_expiry(f, BGP_TM_HOLD), SIM_S(241));
	CU_ASSERT_EQUAL(bgp_fsm_timer_expiry(f, BGP_TM_CONNECT_RETRY),
	    SIM_TIME_MAX);
	at(sim, SIM_S(2));
	bgp_fsm_rx_open(f, 90);
	CU_ASSERT_EQUAL(bgp_fsm_state(f), BGP_ST_OPENCONFIRM);
	CU_ASSERT_EQUAL(bgp_fsm_hold_s(f), 90);
	CU_ASSERT_EQUAL(bgp_fsm_keepalive_interval(f), SIM_S(30));
	CU_ASSERT_EQUAL(bgp_fsm_timer_expiry(f, BGP_TM_HOLD), SIM_S(92));
	CU_ASSERT_EQUAL(bgp_fsm_timer_expiry(f, BGP_TM_KEEPALIVE), SIM_S(32));
	at(sim, SIM_S(3));
	ev(f, BGP_EV_KEEPALIVE);
	CU_ASSERT_EQUAL(bgp_fsm_state(f), BGP_ST_ESTABLISHED);
	CU_ASSERT_STRING_EQUAL(acts(&r), "connect,open,ka,up");
	CU_ASSERT_STRING_EQUAL(r.reason, "KeepAliveMsg");
	CU_ASSERT_EQUAL(st->last_established, SIM_S(3));
	CU_ASSERT_EQUAL(st->established, 1);
	CU_ASSERT_EQUAL(st->transitions, 4);
	CU_ASSERT_EQUAL(r.changes, 4);
	CU_ASSERT_EQUAL(bgp_fsm_timer_expiry(f, BGP_TM_HOLD), SIM_S(93));
	clear(&r);

	/* keepalives every hold/3 = 30 s; the peer's KEEPALIVE and UPDATE
	 * push the hold timer; an UPDATE we send pushes our keepalive */
	at(sim, SIM_S(50));
	ev(f, BGP_EV_KEEPALIVE);
	CU_ASSERT_EQUAL(bgp_fsm_timer_expiry(f, BGP_TM_HOLD), SIM_S(140));
	at(sim, SIM_S(100));
	ev(f, BGP_EV_UPDATE);
	CU_ASSERT_EQUAL(bgp_fsm_timer_expiry(f, BGP_TM_HOLD), SIM_S(190));
	at(sim, SIM_S(101));
	bgp_fsm_msg_out(f, BGP_MSG_UPDATE);
	CU_ASSERT_EQUAL(bgp_fsm_timer_expiry(f, BGP_TM_KEEPALIVE),
	    SIM_S(131));
	at(sim, SIM_S(189));
	CU_ASSERT_EQUAL(bgp_fsm_state(f), BGP_ST_ESTABLISHED);
	CU_ASSERT_STRING_EQUAL(acts(&r), "ka,ka,ka,ka,ka");
	{
		static const int64_t want[] = { 32, 62, 92, 131, 161 };

		for (i = 0; i < 5; i++)
			CU_ASSERT_EQUAL(r.at[i], SIM_S(want[i]));
	}
	/* the peer went silent at 100 s: hold expires at 190 s */
	at(sim, SIM_S(190));
	CU_ASSERT_STRING_EQUAL(acts(&r),
	    "ka,ka,ka,ka,ka,notif 4/0,close+n,down");
	CU_ASSERT_EQUAL(r.at[7], SIM_S(190));
	CU_ASSERT_EQUAL(sim_pending(sim), 0);
	bgp_fsm_free(f);
	sim_free(sim);
}

static void
test_hold_expiry(void)
{
	struct sim *sim = sim_new(1);
	struct bgp_fsm_cfg c = plain_cfg();
	struct rec r;
	struct bgp_fsm *f = mk(&r, sim, &c);
	const struct bgp_fsm_stats *st = bgp_fsm_stats(f);

	bring_up(f, sim, 0, 90);
	clear(&r);
	at(sim, SIM_S(93) + 1);		/* silent peer: hold from 3 s */
	CU_ASSERT_STRING_EQUAL(acts(&r), "ka,ka,ka,notif 4/0,close+n,down");
	CU_ASSERT_EQUAL(r.at[3], SIM_S(93));
	CU_ASSERT_EQUAL(r.at[5], SIM_S(93));
	CU_ASSERT_EQUAL(bgp_fsm_state(f), BGP_ST_IDLE);
	CU_ASSERT_STRING_EQUAL(r.reason, "Hold Timer Expired");
	CU_ASSERT_EQUAL(r.down.why, BGP_WHY_HOLD_EXPIRED);
	CU_ASSERT_EQUAL(r.down.code, 4);
	CU_ASSERT_EQUAL(st->flaps, 1);
	CU_ASSERT_EQUAL(st->last_down, SIM_S(93));
	CU_ASSERT_EQUAL(st->last_error.why, BGP_WHY_HOLD_EXPIRED);
	CU_ASSERT_EQUAL(st->last_error.when, SIM_S(93));
	CU_ASSERT_EQUAL(bgp_fsm_connect_retry_counter(f), 1);
	CU_ASSERT_FALSE(bgp_fsm_accepts(f));
	/* nothing left running: no automatic restart configured */
	CU_ASSERT_EQUAL(sim_pending(sim), 0);
	bgp_fsm_free(f);
	sim_free(sim);
}

static void
test_hold_zero(void)
{
	uint16_t ours[] = { 90, 0 }, theirs[] = { 0, 90 };
	int i;

	for (i = 0; i < 2; i++) {
		struct sim *sim = sim_new(1);
		struct bgp_fsm_cfg c = plain_cfg();
		struct rec r;
		struct bgp_fsm *f;

		c.hold_s = ours[i];
		f = mk(&r, sim, &c);
		bring_up(f, sim, 0, theirs[i]);
		CU_ASSERT_EQUAL(bgp_fsm_state(f), BGP_ST_ESTABLISHED);
		CU_ASSERT_EQUAL(bgp_fsm_hold_s(f), 0);
		CU_ASSERT_EQUAL(bgp_fsm_keepalive_interval(f), 0);
		clear(&r);
		at(sim, SIM_S(3600));
		ev(f, BGP_EV_UPDATE);
		bgp_fsm_msg_out(f, BGP_MSG_UPDATE);
		at(sim, SIM_S(7200));
		CU_ASSERT_EQUAL(bgp_fsm_state(f), BGP_ST_ESTABLISHED);
		CU_ASSERT_EQUAL(r.n, 0);
		CU_ASSERT_EQUAL(sim_pending(sim), 0);
		bgp_fsm_free(f);
		sim_free(sim);
	}
}

static void
test_negotiation(void)
{
	static const struct {
		uint16_t ours, ka, theirs, hold;
		sim_time ka_iv;
	} tc[] = {
		{ 90, 0, 30, 30, SIM_S(10) },	/* the lower wins */
		{ 90, 0, 240, 90, SIM_S(30) },
		{ 180, 60, 180, 180, SIM_S(60) },	/* MSEE */
		{ 180, 60, 90, 90, SIM_S(30) },	/* hold/3 below 60 */
		{ 90, 0, 3, 3, SIM_S(1) },	/* the RFC's minimum */
		{ 10, 0, 10, 10, SIM_S(10) / 3 },	/* exact ns */
	};
	sim_time want;
	size_t i;

	for (i = 0; i < sizeof(tc) / sizeof(tc[0]); i++) {
		struct sim *sim = sim_new(1);
		struct bgp_fsm_cfg c = plain_cfg();
		struct rec r;
		struct bgp_fsm *f;

		c.hold_s = tc[i].ours;
		c.keepalive_s = tc[i].ka;
		f = mk(&r, sim, &c);
		bring_up(f, sim, 0, tc[i].theirs);
		CU_ASSERT_EQUAL(bgp_fsm_hold_s(f), tc[i].hold);
		CU_ASSERT_EQUAL(bgp_fsm_keepalive_interval(f), tc[i].ka_iv);
		/* set at 2 s; bring_up ran to 3 s */
		want = SIM_S(2) + tc[i].ka_iv;
		while (want <= SIM_S(3))
			want += tc[i].ka_iv;
		CU_ASSERT_EQUAL(bgp_fsm_timer_expiry(f, BGP_TM_KEEPALIVE),
		    want);
		bgp_fsm_free(f);
		sim_free(sim);
	}
}

/* 4.2: 1 and 2 are refused with 2/6; so is below the MSEE's minimum. */
static void
test_bad_hold(void)
{
	static const struct {
		const struct bgp_fsm_cfg *cfg;
		uint16_t theirs;
	} tc[] = {
		{ &bgp_fsm_default_cfg, 1 },
		{ &bgp_fsm_default_cfg, 2 },
		{ &bgp_fsm_msee_cfg, 9 },
	};
	size_t i;

	for (i = 0; i < sizeof(tc) / sizeof(tc[0]); i++) {
		struct sim *sim = sim_new(1);
		struct bgp_fsm_cfg c = *tc[i].cfg;
		struct rec r;
		struct bgp_fsm *f;

		c.jitter = false;
		c.auto_start = false;
		f = mk(&r, sim, &c);
		bgp_fsm_start(f);
		ev(f, BGP_EV_TCP_CR_ACKED);
		clear(&r);
		bgp_fsm_rx_open(f, tc[i].theirs);
		CU_ASSERT_EQUAL(bgp_fsm_state(f), BGP_ST_IDLE);
		CU_ASSERT_STRING_EQUAL(acts(&r), "notif 2/6,close+n");
		CU_ASSERT_STRING_EQUAL(r.reason,
		    "sent OPEN Message Error / Unacceptable Hold Time");
		bgp_fsm_free(f);
		sim_free(sim);
	}
}

static void
test_passive(void)
{
	struct sim *sim = sim_new(1);
	struct bgp_fsm_cfg c = plain_cfg();
	struct rec r;
	struct bgp_fsm *f;

	c.passive = true;
	f = mk(&r, sim, &c);
	bgp_fsm_start(f);
	CU_ASSERT_EQUAL(bgp_fsm_state(f), BGP_ST_ACTIVE);
	CU_ASSERT_STRING_EQUAL(r.reason,
	    "ManualStart_with_PassiveTcpEstablishment");
	CU_ASSERT_TRUE(bgp_fsm_accepts(f));
	at(sim, SIM_S(1000));
	/* never connects, however long it waits */
	CU_ASSERT_EQUAL(bgp_fsm_state(f), BGP_ST_ACTIVE);
	CU_ASSERT_EQUAL(r.n, 0);
	ev(f, BGP_EV_TCP_CONFIRMED);
	CU_ASSERT_EQUAL(bgp_fsm_state(f), BGP_ST_OPENSENT);
	CU_ASSERT_FALSE(bgp_fsm_outgoing(f));
	CU_ASSERT_STRING_EQUAL(acts(&r), "open");
	CU_ASSERT_EQUAL(bgp_fsm_timer_expiry(f, BGP_TM_HOLD), SIM_S(1240));
	bgp_fsm_free(f);
	sim_free(sim);
}

static void
test_delay_open(void)
{
	int peer_first;

	for (peer_first = 0; peer_first < 2; peer_first++) {
		struct sim *sim = sim_new(1);
		struct bgp_fsm_cfg c = plain_cfg();
		struct rec r;
		struct bgp_fsm *f;

		c.delay_open = true;
		c.delay_open_s = 5;
		f = mk(&r, sim, &c);
		bgp_fsm_start(f);
		at(sim, SIM_S(1));
		ev(f, BGP_EV_TCP_CR_ACKED);
		CU_ASSERT_EQUAL(bgp_fsm_state(f), BGP_ST_CONNECT);
		CU_ASSERT_EQUAL(bgp_fsm_timer_expiry(f, BGP_TM_DELAY_OPEN),
		    SIM_S(6));
		CU_ASSERT_EQUAL(bgp_fsm_timer_expiry(f,
		    BGP_TM_CONNECT_RETRY), SIM_TIME_MAX);
		if (peer_first) {
			at(sim, SIM_S(3));
			bgp_fsm_rx_open(f, 90);
			CU_ASSERT_EQUAL(bgp_fsm_state(f),
			    BGP_ST_OPENCONFIRM);
			CU_ASSERT_STRING_EQUAL(acts(&r), "connect,open,ka");
			CU_ASSERT_EQUAL(r.at[1], SIM_S(3));
			CU_ASSERT_STRING_EQUAL(r.reason,
			    "BGPOpen with DelayOpenTimer running");
			CU_ASSERT_EQUAL(bgp_fsm_timer_expiry(f, BGP_TM_HOLD),
			    SIM_S(93));
		} else {
			at(sim, SIM_S(10));
			CU_ASSERT_EQUAL(bgp_fsm_state(f), BGP_ST_OPENSENT);
			CU_ASSERT_STRING_EQUAL(acts(&r), "connect,open");
			CU_ASSERT_EQUAL(r.at[1], SIM_S(6));
			CU_ASSERT_STRING_EQUAL(r.reason,
			    "DelayOpenTimer_Expires");
		}
		bgp_fsm_free(f);
		sim_free(sim);
	}
}

static void
test_connect_retry(void)
{
	struct sim *sim = sim_new(1);
	struct bgp_fsm_cfg c = plain_cfg();
	struct rec r;
	struct bgp_fsm *f = mk(&r, sim, &c);

	bgp_fsm_start(f);
	at(sim, SIM_S(250));
	CU_ASSERT_EQUAL(bgp_fsm_state(f), BGP_ST_CONNECT);
	CU_ASSERT_STRING_EQUAL(acts(&r),
	    "connect,close,connect,close,connect");
	CU_ASSERT_EQUAL(r.at[2], SIM_S(120));
	CU_ASSERT_EQUAL(r.at[4], SIM_S(240));
	CU_ASSERT_EQUAL(r.changes, 1);		/* no transition */
	CU_ASSERT_EQUAL(bgp_fsm_timer_expiry(f, BGP_TM_CONNECT_RETRY),
	    SIM_S(360));
	/* the peer's SYN arrives while we are still trying */
	ev(f, BGP_EV_TCP_CONFIRMED);
	CU_ASSERT_EQUAL(bgp_fsm_state(f), BGP_ST_OPENSENT);
	bgp_fsm_free(f);
	sim_free(sim);
}

/* RFC 4271 10: each ConnectRetry and Keepalive drawn in 0.75-1.0. */
static void
test_jitter(void)
{
	sim_time first[2][8];
	int run, i;

	for (run = 0; run < 2; run++) {
		struct sim *sim = sim_new(7);
		struct bgp_fsm_cfg c = bgp_fsm_default_cfg;
		struct rec r;
		struct bgp_fsm *f;
		sim_time prev = 0;

		c.auto_start = false;
		f = mk(&r, sim, &c);
		bgp_fsm_start(f);
		at(sim, SIM_S(1000));
		CU_ASSERT_TRUE(r.n >= 17);
		for (i = 0; i < 8; i++) {
			sim_time t = r.at[2 + 2 * i], d = t - prev;

			CU_ASSERT_STRING_EQUAL(r.act[2 + 2 * i], "connect");
			CU_ASSERT_TRUE(d >= SIM_S(90) && d <= SIM_S(120));
			first[run][i] = t;
			prev = t;
		}
		bgp_fsm_free(f);
		sim_free(sim);
	}
	/* same seed and name: the same draws; and not all the same */
	CU_ASSERT_EQUAL(memcmp(first[0], first[1], sizeof(first[0])), 0);
	CU_ASSERT_NOT_EQUAL(first[0][1] - first[0][0],
	    first[0][2] - first[0][1]);
	{
		struct sim *sim = sim_new(7);
		struct bgp_fsm_cfg c = bgp_fsm_default_cfg;
		struct rec r;
		struct bgp_fsm *f;
		sim_time prev, d;

		c.auto_start = false;
		f = mk(&r, sim, &c);
		bring_up(f, sim, 0, 90);
		clear(&r);
		prev = SIM_S(2);	/* keepalive timer set at BGPOpen */
		for (i = 0; i < 6; i++) {
			at(sim, prev + SIM_S(30));
			CU_ASSERT_EQUAL_FATAL(r.n, i + 1);
			d = r.at[i] - prev;
			CU_ASSERT_TRUE(d >= SIM_MS(22500) && d <= SIM_S(30));
			prev = r.at[i];
			ev(f, BGP_EV_KEEPALIVE);
		}
		bgp_fsm_free(f);
		sim_free(sim);
	}
}

/* A flapping peer: BIRD's doubling IdleHoldTime, capped, then forgotten. */
static void
test_damping(void)
{
	static const int64_t want[] = { 60, 120, 240, 300, 300 };
	struct sim *sim = sim_new(1);
	struct bgp_fsm_cfg c = plain_cfg();
	struct rec r;
	struct bgp_fsm *f;
	sim_time t = 0;
	size_t i;

	c.auto_start = true;
	c.damp = true;
	f = mk(&r, sim, &c);
	CU_ASSERT_EQUAL(bgp_fsm_idle_hold_time(f), SIM_S(5));
	bring_up(f, sim, 0, 90);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		struct bgp_fsm_arg a = { .notif = { 6, 4, NULL, 0 } };

		t = sim_now(sim) + SIM_S(10);
		at(sim, t);
		bgp_fsm_event(f, BGP_EV_NOTIF, &a);	/* peer resets */
		CU_ASSERT_EQUAL(bgp_fsm_state(f), BGP_ST_IDLE);
		CU_ASSERT_STRING_EQUAL(r.reason,
		    "received Cease / Administrative Reset");
		CU_ASSERT_EQUAL(bgp_fsm_idle_hold_time(f), SIM_S(want[i]));
		CU_ASSERT_EQUAL(bgp_fsm_timer_expiry(f, BGP_TM_IDLE_HOLD),
		    t + SIM_S(want[i]));
		/* an AutomaticStart with damping waits for it */
		ev(f, BGP_EV_AUTO_START_DAMP);
		CU_ASSERT_EQUAL(bgp_fsm_state(f), BGP_ST_IDLE);
		clear(&r);
		at(sim, t + SIM_S(want[i]));
		CU_ASSERT_EQUAL(bgp_fsm_state(f), BGP_ST_CONNECT);
		CU_ASSERT_STRING_EQUAL(acts(&r), "connect");
		CU_ASSERT_EQUAL(r.at[0], t + SIM_S(want[i]));
		CU_ASSERT_STRING_EQUAL(r.reason, "IdleHoldTimer_Expires");
		ev(f, BGP_EV_TCP_CR_ACKED);
		bgp_fsm_rx_open(f, 90);
		ev(f, BGP_EV_KEEPALIVE);
	}
	CU_ASSERT_EQUAL(bgp_fsm_stats(f)->flaps, 5);
	CU_ASSERT_EQUAL(bgp_fsm_stats(f)->damped, 5);
	CU_ASSERT_EQUAL(bgp_fsm_stats(f)->established, 6);
	/* up again 299 s after the restart: still growing (capped) */
	t = sim_now(sim);		/* the restart */
	for (i = 0; i < 9; i++) {
		at(sim, sim_now(sim) + SIM_S(30));
		ev(f, BGP_EV_KEEPALIVE);
	}
	at(sim, t + SIM_S(299));
	ev(f, BGP_EV_TCP_FAILS);
	CU_ASSERT_EQUAL(bgp_fsm_idle_hold_time(f), SIM_S(300));
	/* stable for the forget time (300 s since the restart): reset */
	at(sim, t + SIM_S(599));
	CU_ASSERT_EQUAL(bgp_fsm_state(f), BGP_ST_CONNECT);
	ev(f, BGP_EV_TCP_CR_ACKED);
	bgp_fsm_rx_open(f, 90);
	ev(f, BGP_EV_KEEPALIVE);
	for (i = 0; i < 10; i++) {
		at(sim, sim_now(sim) + SIM_S(30));
		ev(f, BGP_EV_KEEPALIVE);
	}
	CU_ASSERT_EQUAL(sim_now(sim), t + SIM_S(899));
	CU_ASSERT_EQUAL(bgp_fsm_state(f), BGP_ST_ESTABLISHED);
	ev(f, BGP_EV_TCP_FAILS);
	CU_ASSERT_STRING_EQUAL(r.reason, "TCP connection failed");
	CU_ASSERT_EQUAL(bgp_fsm_idle_hold_time(f), SIM_S(60));
	/* a ManualStop in Idle cancels the automatic restart */
	ev(f, BGP_EV_MANUAL_STOP);
	CU_ASSERT_EQUAL(sim_pending(sim), 0);
	bgp_fsm_free(f);
	sim_free(sim);

	/* without damping: the fixed IdleHoldTime every time */
	sim = sim_new(1);
	c.damp = false;
	f = mk(&r, sim, &c);
	bring_up(f, sim, 0, 90);
	for (i = 0; i < 3; i++) {
		t = sim_now(sim);
		ev(f, BGP_EV_TCP_FAILS);
		CU_ASSERT_EQUAL(bgp_fsm_timer_expiry(f, BGP_TM_IDLE_HOLD),
		    t + SIM_S(5));
		at(sim, t + SIM_S(5));
		CU_ASSERT_EQUAL(bgp_fsm_state(f), BGP_ST_CONNECT);
		ev(f, BGP_EV_TCP_CR_ACKED);
		bgp_fsm_rx_open(f, 90);
		ev(f, BGP_EV_KEEPALIVE);
	}
	bgp_fsm_free(f);
	sim_free(sim);
}

/* 6.8, the rule alone. */
static void
test_collision_rule(void)
{
	static const struct {
		enum bgp_fsm_state rx, other;
		bool rx_out;
		uint32_t local, peer, las, pas;
		bool detect_est;
		enum bgp_collision want;
	} tc[] = {
		/* the peer's identifier is higher: keep what it opened */
		{ OCNF, OCNF, true, 0x0a000001, 0x0a000002, 1, 2, false,
		    BGP_COLLISION_DUMP_RX },
		{ OSNT, OCNF, false, 0x0a000001, 0x0a000002, 1, 2, false,
		    BGP_COLLISION_DUMP_OTHER },
		/* ours is higher: keep what we opened */
		{ OSNT, OCNF, true, 0x0a000002, 0x0a000001, 1, 2, false,
		    BGP_COLLISION_DUMP_OTHER },
		{ OSNT, OCNF, false, 0x0a000002, 0x0a000001, 1, 2, false,
		    BGP_COLLISION_DUMP_RX },
		/* unsigned: 128.0.0.1 is above 0.0.0.2 */
		{ OSNT, OCNF, false, 0x80000001, 0x00000002, 1, 2, false,
		    BGP_COLLISION_DUMP_RX },
		{ OSNT, OCNF, true, 0x00000002, 0x80000001, 1, 2, false,
		    BGP_COLLISION_DUMP_RX },
		/* equal identifiers: the higher AS (RFC 6286) */
		{ OSNT, OCNF, true, 7, 7, 65001, 65002, false,
		    BGP_COLLISION_DUMP_RX },
		{ OSNT, OCNF, true, 7, 7, 65002, 65001, false,
		    BGP_COLLISION_DUMP_OTHER },
		/* no OPEN on the other yet */
		{ OSNT, IDLE, true, 1, 2, 1, 2, false, BGP_COLLISION_NONE },
		{ OSNT, CONN, true, 1, 2, 1, 2, false, BGP_COLLISION_NONE },
		{ OSNT, ACTV, true, 1, 2, 1, 2, false, BGP_COLLISION_NONE },
		{ OSNT, OSNT, true, 1, 2, 1, 2, false, BGP_COLLISION_NONE },
		/* Established: the new one goes, unless detection is on */
		{ OSNT, ESTB, false, 1, 2, 1, 2, false,
		    BGP_COLLISION_DUMP_RX },
		{ OSNT, ESTB, false, 1, 2, 1, 2, true,
		    BGP_COLLISION_DUMP_OTHER },
		{ OSNT, ESTB, true, 1, 2, 1, 2, true,
		    BGP_COLLISION_DUMP_RX },
	};
	size_t i;

	for (i = 0; i < sizeof(tc) / sizeof(tc[0]); i++) {
		struct bgp_collision_conn rx = { tc[i].rx, tc[i].rx_out };
		struct bgp_collision_conn ot = { tc[i].other, !tc[i].rx_out };

		CU_ASSERT_EQUAL(bgp_fsm_collision(&rx, &ot, tc[i].local,
		    tc[i].peer, tc[i].las, tc[i].pas, tc[i].detect_est),
		    tc[i].want);
		/* the same direction twice is no collision */
		ot.outgoing = rx.outgoing;
		CU_ASSERT_EQUAL(bgp_fsm_collision(&rx, &ot, tc[i].local,
		    tc[i].peer, tc[i].las, tc[i].pas, tc[i].detect_est),
		    BGP_COLLISION_NONE);
	}
}

/* 6.8 with two FSMs as the speaker will run them, both ways. */
static void
test_collision_fsms(void)
{
	int local_higher;

	for (local_higher = 0; local_higher < 2; local_higher++) {
		struct sim *sim = sim_new(1);
		struct bgp_fsm_cfg c = plain_cfg();
		struct rec ro, ri;
		struct bgp_fsm *out = mk(&ro, sim, &c), *in;
		uint32_t lid = local_higher ? 0xc0000002 : 0x0a000001;
		uint32_t pid = 0x0a000002;
		struct bgp_fsm *dumped, *kept;
		enum bgp_collision res;

		in = mk(&ri, sim, &c);
		bgp_fsm_start(out);
		ev(out, BGP_EV_TCP_CR_ACKED);
		bgp_fsm_rx_open(out, 90);	/* out: OpenConfirm */
		/* the peer's connection, accepted */
		ev(in, BGP_EV_MANUAL_START_PASSIVE);
		ev(in, BGP_EV_TCP_CONFIRMED);
		bgp_fsm_rx_open(in, 90);
		CU_ASSERT_EQUAL(bgp_fsm_state(in), BGP_ST_OPENCONFIRM);
		res = bgp_fsm_collision_of(in, out, lid, pid, 65001, 12076);
		CU_ASSERT_EQUAL(res, local_higher ? BGP_COLLISION_DUMP_RX :
		    BGP_COLLISION_DUMP_OTHER);
		dumped = res == BGP_COLLISION_DUMP_RX ? in : out;
		kept = dumped == in ? out : in;
		CU_ASSERT_EQUAL(bgp_fsm_outgoing(kept), local_higher != 0);
		clear(&ro);
		clear(&ri);
		ev(dumped, BGP_EV_COLLISION_DUMP);
		CU_ASSERT_EQUAL(bgp_fsm_state(dumped), BGP_ST_IDLE);
		CU_ASSERT_STRING_EQUAL(acts(dumped == in ? &ri : &ro),
		    "notif 6/7,close+n");
		CU_ASSERT_STRING_EQUAL((dumped == in ? &ri : &ro)->reason,
		    "Cease / Connection Collision Resolution");
		ev(kept, BGP_EV_KEEPALIVE);
		CU_ASSERT_EQUAL(bgp_fsm_state(kept), BGP_ST_ESTABLISHED);
		CU_ASSERT_STRING_EQUAL(acts(kept == in ? &ri : &ro), "up");
		bgp_fsm_free(in);
		bgp_fsm_free(out);
		sim_free(sim);
	}
}

static void
test_manual_stop(void)
{
	struct sim *sim = sim_new(1);
	struct bgp_fsm_cfg c = plain_cfg();
	struct rec r;
	struct bgp_fsm *f;

	c.auto_start = true;
	f = mk(&r, sim, &c);
	bring_up(f, sim, 0, 90);
	clear(&r);
	at(sim, SIM_S(20));
	ev(f, BGP_EV_MANUAL_STOP);
	CU_ASSERT_EQUAL(bgp_fsm_state(f), BGP_ST_IDLE);
	CU_ASSERT_STRING_EQUAL(acts(&r), "notif 6/2,close+n,down");
	CU_ASSERT_STRING_EQUAL(r.reason, "Cease / Administrative Shutdown");
	CU_ASSERT_EQUAL(r.down.why, BGP_WHY_MANUAL_STOP);
	CU_ASSERT_EQUAL(r.down.code, 6);
	CU_ASSERT_EQUAL(r.down.subcode, 2);
	CU_ASSERT_EQUAL(bgp_fsm_connect_retry_counter(f), 0);
	/* no automatic restart after an operator's stop; not an error */
	CU_ASSERT_EQUAL(sim_pending(sim), 0);
	CU_ASSERT_EQUAL(bgp_fsm_stats(f)->last_error.why, BGP_WHY_NONE);
	at(sim, SIM_S(1000));
	CU_ASSERT_EQUAL(bgp_fsm_state(f), BGP_ST_IDLE);
	bgp_fsm_free(f);
	sim_free(sim);
}

/* The MSEE: keepalive 60 s, hold 180 s (cloud-facts 1.5). */
static void
test_msee(void)
{
	struct sim *sim = sim_new(1);
	struct bgp_fsm_cfg c = bgp_fsm_msee_cfg;
	struct rec r;
	struct bgp_fsm *f;

	CU_ASSERT_EQUAL(bgp_fsm_msee_cfg.keepalive_s, 60);
	CU_ASSERT_EQUAL(bgp_fsm_msee_cfg.hold_s, 180);
	CU_ASSERT_EQUAL(bgp_fsm_msee_cfg.min_hold_s, 10);
	CU_ASSERT_EQUAL(bgp_fsm_cfg_check(&bgp_fsm_msee_cfg, NULL, 0), 0);
	CU_ASSERT_EQUAL(bgp_fsm_cfg_check(&bgp_fsm_oci_cfg, NULL, 0), 0);
	CU_ASSERT_EQUAL(bgp_fsm_cfg_check(&bgp_fsm_default_cfg, NULL, 0), 0);
	c.jitter = false;
	c.auto_start = false;
	f = mk(&r, sim, &c);
	bring_up(f, sim, 0, 180);
	CU_ASSERT_EQUAL(r.open_hold, 180);
	CU_ASSERT_EQUAL(bgp_fsm_hold_s(f), 180);
	clear(&r);
	at(sim, SIM_S(183) + 1);	/* a silent peer: 3 keepalives, then */
	CU_ASSERT_STRING_EQUAL(acts(&r), "ka,ka,ka,notif 4/0,close+n,down");
	CU_ASSERT_EQUAL(r.at[0], SIM_S(62));
	CU_ASSERT_EQUAL(r.at[2], SIM_S(182));
	CU_ASSERT_EQUAL(r.at[3], SIM_S(183));
	bgp_fsm_free(f);
	sim_free(sim);
}

static void
test_cfg_check(void)
{
	struct bgp_fsm_cfg c = bgp_fsm_default_cfg;
	char err[96];

	c.hold_s = 2;
	CU_ASSERT_EQUAL(bgp_fsm_cfg_check(&c, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "hold"));
	c = bgp_fsm_default_cfg;
	c.keepalive_s = 31;
	CU_ASSERT_EQUAL(bgp_fsm_cfg_check(&c, err, sizeof(err)), -1);
	c = bgp_fsm_default_cfg;
	c.delay_open = true;
	CU_ASSERT_EQUAL(bgp_fsm_cfg_check(&c, err, sizeof(err)), -1);
	c.delay_open_s = 1;
	CU_ASSERT_EQUAL(bgp_fsm_cfg_check(&c, err, sizeof(err)), 0);
	c.damp = true;
	c.damp_max = SIM_S(1);
	CU_ASSERT_EQUAL(bgp_fsm_cfg_check(&c, err, sizeof(err)), -1);
}

static void
test_texts(void)
{
	char b[96];

	CU_ASSERT_STRING_EQUAL(bgp_fsm_notif_text(b, sizeof(b), 6, 2),
	    "Cease / Administrative Shutdown");
	CU_ASSERT_STRING_EQUAL(bgp_fsm_notif_text(b, sizeof(b), 4, 0),
	    "Hold Timer Expired");
	CU_ASSERT_STRING_EQUAL(bgp_fsm_notif_text(b, sizeof(b), 3, 11),
	    "UPDATE Message Error / Malformed AS_PATH");
	CU_ASSERT_STRING_EQUAL(bgp_fsm_notif_text(b, sizeof(b), 5, 3),
	    "Finite State Machine Error / Receive Unexpected Message in "
	    "Established State");
	CU_ASSERT_STRING_EQUAL(bgp_fsm_notif_text(b, sizeof(b), 6, 1),
	    "Cease / Maximum Number of Prefixes Reached");
	CU_ASSERT_STRING_EQUAL(bgp_fsm_notif_text(b, sizeof(b), 2, 9),
	    "OPEN Message Error / subcode 9");
	CU_ASSERT_STRING_EQUAL(bgp_fsm_notif_text(b, sizeof(b), 9, 1),
	    "code 9 / subcode 1");
	CU_ASSERT_STRING_EQUAL(bgp_fsm_notif_text(b, sizeof(b), 0, 0),
	    "code 0 / subcode 0");
	CU_ASSERT_STRING_EQUAL(bgp_fsm_notif_text(b, sizeof(b), 6, 255),
	    "Cease / subcode 255");
}

/* Counters, and the max-prefix teardown the speaker will ask for. */
static void
test_counters(void)
{
	struct sim *sim = sim_new(1);
	struct bgp_fsm_cfg c = plain_cfg();
	struct bgp_fsm_arg a = { .notif = { 0, BGP_CEASE_MAX_PREFIX, NULL,
	    0 } };
	struct rec r;
	struct bgp_fsm *f = mk(&r, sim, &c);
	const struct bgp_fsm_stats *st = bgp_fsm_stats(f);

	bring_up(f, sim, 0, 90);
	bgp_fsm_msg_out(f, BGP_MSG_OPEN);
	bgp_fsm_msg_in(f, BGP_MSG_OPEN);
	bgp_fsm_msg_in(f, BGP_MSG_UPDATE);
	bgp_fsm_msg_in(f, BGP_MSG_UPDATE);
	bgp_fsm_msg_in(f, 77);
	CU_ASSERT_EQUAL(st->msg_in[BGP_MSG_UPDATE], 2);
	CU_ASSERT_EQUAL(st->msg_in[BGP_MSG_OPEN], 1);
	CU_ASSERT_EQUAL(st->msg_in[0], 1);
	CU_ASSERT_EQUAL(st->msg_out[BGP_MSG_OPEN], 1);
	clear(&r);
	at(sim, SIM_S(10));
	bgp_fsm_event(f, BGP_EV_AUTO_STOP, &a);
	CU_ASSERT_STRING_EQUAL(acts(&r), "notif 6/1,close+n,down");
	CU_ASSERT_STRING_EQUAL(r.reason,
	    "Cease / Maximum Number of Prefixes Reached");
	CU_ASSERT_EQUAL(st->last_error.why, BGP_WHY_AUTO_STOP);
	CU_ASSERT_EQUAL(st->last_error.when, SIM_S(10));
	CU_ASSERT_EQUAL(st->transitions, 5);
	CU_ASSERT_EQUAL(st->flaps, 1);
	CU_ASSERT_EQUAL(st->last_established, SIM_S(3));
	bgp_fsm_free(f);
	sim_free(sim);
}

static const struct test_case cases[] = {
	{ "RFC 4271 8.2.2 table", test_table },
	{ "bring-up, keepalives, hold reset", test_bring_up },
	{ "hold expiry", test_hold_expiry },
	{ "hold time 0", test_hold_zero },
	{ "hold negotiation", test_negotiation },
	{ "unacceptable hold", test_bad_hold },
	{ "passive", test_passive },
	{ "DelayOpen", test_delay_open },
	{ "ConnectRetry", test_connect_retry },
	{ "jitter", test_jitter },
	{ "damping", test_damping },
	{ "collision rule", test_collision_rule },
	{ "collision with two FSMs", test_collision_fsms },
	{ "ManualStop", test_manual_stop },
	{ "MSEE timers", test_msee },
	{ "configuration check", test_cfg_check },
	{ "NOTIFICATION texts", test_texts },
	{ "counters, AutomaticStop", test_counters },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "bgp_fsm", cases);
}
