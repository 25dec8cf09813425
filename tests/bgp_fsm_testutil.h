/*
 * bgp_fsm_testutil.h - the fake speaker of the BGP FSM tests: an ops
 * table that records every action the FSM asks for, in order, with its
 * simulated time, and the helpers that drive a session up.
 */
#ifndef XCSIM_BGP_FSM_TESTUTIL_H
#define XCSIM_BGP_FSM_TESTUTIL_H

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
	const struct bgp_fsm_notif *last_sent;
	bool send_on_up;	/* session_up sends an UPDATE, as the speaker */
};

static inline void
rec_add(struct rec *r, const char *fmt, unsigned a, unsigned b)
{
	CU_ASSERT_FATAL(r->n < NACT);
	snprintf(r->act[r->n], sizeof(r->act[0]), fmt, a, b);
	r->at[r->n++] = sim_now(r->sim);
}

static inline void
op_connect(struct bgp_fsm *f, void *ctx)
{
	(void)f;
	rec_add(ctx, "connect", 0, 0);
}

static inline void
op_close(struct bgp_fsm *f, const struct bgp_fsm_notif *sent, void *ctx)
{
	struct rec *r = ctx;

	(void)f;
	/* the NOTIFICATION handed over is the one just sent */
	CU_ASSERT_TRUE(sent == NULL || sent == r->last_sent);
	rec_add(ctx, sent != NULL ? "close+n" : "close", 0, 0);
}

static inline void
op_open(struct bgp_fsm *f, uint16_t hold_s, void *ctx)
{
	struct rec *r = ctx;

	(void)f;
	r->open_hold = hold_s;
	rec_add(ctx, "open", 0, 0);
}

static inline void
op_ka(struct bgp_fsm *f, void *ctx)
{
	(void)f;
	rec_add(ctx, "ka", 0, 0);
}

static inline void
op_notif(struct bgp_fsm *f, const struct bgp_fsm_notif *n, void *ctx)
{
	struct rec *r = ctx;

	(void)f;
	r->last_sent = n;
	rec_add(ctx, "notif %u/%u", n->code, n->subcode);
}

static inline void
op_up(struct bgp_fsm *f, void *ctx)
{
	struct rec *r = ctx;

	CU_ASSERT_EQUAL(bgp_fsm_state(f), BGP_ST_ESTABLISHED);
	rec_add(ctx, "up", 0, 0);
	if (r->send_on_up)
		bgp_fsm_msg_out(f, BGP_UPDATE);
}

static inline void
op_down(struct bgp_fsm *f, const struct bgp_fsm_reason *why, void *ctx)
{
	struct rec *r = ctx;

	(void)f;
	r->down = *why;
	rec_add(ctx, "down", 0, 0);
}

static inline void
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
static inline const char *
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

static inline void
clear(struct rec *r)
{
	r->n = 0;
}

/* Exact times: no jitter, no automatic restart unless a test wants it. */
static inline struct bgp_fsm_cfg
plain_cfg(void)
{
	struct bgp_fsm_cfg c = bgp_fsm_default_cfg;

	c.jitter = false;
	c.auto_start = false;
	c.connect_fail_active = false;	/* the table is RFC 4271's */
	return c;
}

static inline struct bgp_fsm *
mk(struct rec *r, struct sim *sim, const struct bgp_fsm_cfg *c)
{
	memset(r, 0, sizeof(*r));
	r->sim = sim;
	return bgp_fsm_new(sim, c, &fake_ops, r, "bgp/a/10.0.0.2");
}

static inline void
ev(struct bgp_fsm *f, enum bgp_fsm_event e)
{
	bgp_fsm_event(f, e, NULL);
}

static inline void
at(struct sim *sim, sim_time t)
{
	sim_run_until(sim, t);
}

/* Bring a session up at 0 s / 1 s / 2 s / 3 s with the peer's hold. */
static inline void
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

#endif
