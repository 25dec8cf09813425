/*
 * bgp_fsm.c - RFC 4271 section 8.2.2, state by state.
 *
 * One entry point, bgp_fsm_event, drops what no state reacts to and then
 * switches on the state and the event. Every transition goes through
 * set_state, which runs the entry actions (Idle stops the timers and may
 * arm IdleHold; Established and leaving it call session_up/_down), counts
 * and reports it. Every drop of the connection goes through drop().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bgp_fsm.h"
#include "rng.h"
#include "sim.h"
#include "timer.h"
#include "util.h"

struct bgp_fsm {
	struct sim *sim;
	struct bgp_fsm_cfg cfg;
	const struct bgp_fsm_ops *ops;
	void *ctx;
	enum bgp_fsm_state state;
	uint32_t connect_retry_counter;
	bool outgoing;
	bool enabled;		/* started and not ManualStopped */
	bool busy;		/* inside an event: no re-entry */
	uint16_t hold_s;	/* negotiated */
	sim_time keepalive_iv;
	sim_time idle_hold_cur;	/* damping: the last IdleHoldTime, 0: none */
	sim_time last_damp;	/* damping: the restart after the last drop */
	/* the next Idle entry's IdleHoldTime (AutomaticStop's arg): > 0
	 * that, < 0 no restart, 0 as configured */
	sim_time idle_hold_once;
	struct rng rng;
	struct timer_set timers;
	struct timer tm[BGP_TM_MAX];
	struct bgp_fsm_stats st;
	char reason[400];	/* room for a 255-byte shutdown text */
};

const char *const bgp_fsm_state_name[BGP_ST_MAX] = {
	[BGP_ST_IDLE] = "Idle",
	[BGP_ST_CONNECT] = "Connect",
	[BGP_ST_ACTIVE] = "Active",
	[BGP_ST_OPENSENT] = "OpenSent",
	[BGP_ST_OPENCONFIRM] = "OpenConfirm",
	[BGP_ST_ESTABLISHED] = "Established",
};

const char *const bgp_fsm_event_name[BGP_EV_MAX] = {
	[BGP_EV_NONE] = "none",
	[BGP_EV_MANUAL_START] = "ManualStart",
	[BGP_EV_MANUAL_STOP] = "ManualStop",
	[BGP_EV_AUTO_START] = "AutomaticStart",
	[BGP_EV_MANUAL_START_PASSIVE] =
	    "ManualStart_with_PassiveTcpEstablishment",
	[BGP_EV_AUTO_START_PASSIVE] =
	    "AutomaticStart_with_PassiveTcpEstablishment",
	[BGP_EV_AUTO_START_DAMP] = "AutomaticStart_with_DampPeerOscillations",
	[BGP_EV_AUTO_START_DAMP_PASSIVE] = ("AutomaticStart_with_"
	    "DampPeerOscillations_and_PassiveTcpEstablishment"),
	[BGP_EV_AUTO_STOP] = "AutomaticStop",
	[BGP_EV_CONNECT_RETRY_TIMER] = "ConnectRetryTimer_Expires",
	[BGP_EV_HOLD_TIMER] = "HoldTimer_Expires",
	[BGP_EV_KEEPALIVE_TIMER] = "KeepaliveTimer_Expires",
	[BGP_EV_DELAY_OPEN_TIMER] = "DelayOpenTimer_Expires",
	[BGP_EV_IDLE_HOLD_TIMER] = "IdleHoldTimer_Expires",
	[BGP_EV_TCP_VALID] = "TcpConnection_Valid",
	[BGP_EV_TCP_CR_INVALID] = "Tcp_CR_Invalid",
	[BGP_EV_TCP_CR_ACKED] = "Tcp_CR_Acked",
	[BGP_EV_TCP_CONFIRMED] = "TcpConnectionConfirmed",
	[BGP_EV_TCP_FAILS] = "TcpConnectionFails",
	[BGP_EV_OPEN] = "BGPOpen",
	[BGP_EV_OPEN_DELAYED] = "BGPOpen with DelayOpenTimer running",
	[BGP_EV_HEADER_ERR] = "BGPHeaderErr",
	[BGP_EV_OPEN_ERR] = "BGPOpenMsgErr",
	[BGP_EV_COLLISION_DUMP] = "OpenCollisionDump",
	[BGP_EV_NOTIF_VER_ERR] = "NotifMsgVerErr",
	[BGP_EV_NOTIF] = "NotifMsg",
	[BGP_EV_KEEPALIVE] = "KeepAliveMsg",
	[BGP_EV_UPDATE] = "UpdateMsg",
	[BGP_EV_UPDATE_ERR] = "UpdateMsgErr",
};

char *
bgp_fsm_reason_text(char *buf, size_t len, const struct bgp_fsm_reason *r)
{
	char n[96] = "";

	if (r->has_notif)
		bgp_notification_name(r->code, r->subcode, n, sizeof(n));
	switch (r->why) {
	case BGP_WHY_NONE:
		snprintf(buf, len, "%s", bgp_fsm_event_name[r->event]);
		break;
	case BGP_WHY_TCP_FAILED:
		snprintf(buf, len, "TCP connection failed");
		break;
	case BGP_WHY_NOTIF_RCVD:
		snprintf(buf, len, "received %s", n);
		break;
	case BGP_WHY_NOTIF_SENT:
		snprintf(buf, len, "sent %s", n);
		break;
	case BGP_WHY_UNEXPECTED:
		snprintf(buf, len, "unexpected %s",
		    bgp_fsm_event_name[r->event]);
		break;
	case BGP_WHY_MANUAL_STOP:
	case BGP_WHY_AUTO_STOP:
	case BGP_WHY_HOLD_EXPIRED:
	case BGP_WHY_COLLISION:
		snprintf(buf, len, "%s", r->has_notif ? n :
		    bgp_fsm_event_name[r->event]);
		break;
	default:
		SIM_ASSERT(0, "bgp_fsm: reason %d", (int)r->why);
	}
	return buf;
}

/*
 * The reason, and an RFC 8203/9003 shutdown communication (the length
 * octet, then that much text) its Cease 6/2 or 6/4 carried, quoted.
 */
static void
reason_text_data(char *buf, size_t len, const struct bgp_fsm_reason *r,
    const struct bgp_fsm_notif *n)
{
	size_t k;

	bgp_fsm_reason_text(buf, len, r);
	if (n == NULL || n->code != BGP_ERR_CEASE ||
	    (n->subcode != BGP_CEASE_ADMIN_SHUTDOWN &&
	    n->subcode != BGP_CEASE_ADMIN_RESET) || n->data == NULL ||
	    n->data_len < 2 || (size_t)n->data[0] + 1 != n->data_len)
		return;
	k = strlen(buf);
	if (k + 4 < len)
		snprintf(buf + k, len - k, " \"%.*s\"", (int)n->data[0],
		    (const char *)n->data + 1);
}

/* --- configurations --- */

/* What every preset shares: section 10's ConnectRetry, BIRD's waits. */
#define CFG_COMMON							\
	.connect_retry_s = BGP_CONNECT_RETRY_S,				\
	.jitter = true,							\
	.connect_fail_active = true,					\
	.auto_start = true,						\
	.idle_hold = SIM_S(5),						\
	.damp_min = SIM_S(60),						\
	.damp_max = SIM_S(300),						\
	.damp_forget = SIM_S(300)

const struct bgp_fsm_cfg bgp_fsm_default_cfg = {
	.hold_s = BGP_HOLD_S,
	CFG_COMMON,
};

const struct bgp_fsm_cfg bgp_fsm_msee_cfg = {
	.hold_s = BGP_MSEE_HOLD_S,
	.keepalive_s = BGP_MSEE_KEEPALIVE_S,
	.min_hold_s = BGP_MSEE_MIN_HOLD_S,
	CFG_COMMON,
};

const struct bgp_fsm_cfg bgp_fsm_oci_cfg = {
	.hold_s = 180,
	.keepalive_s = 60,
	CFG_COMMON,
};

int
bgp_fsm_cfg_check(const struct bgp_fsm_cfg *c, char *err, size_t errlen)
{
	const char *why = NULL;

	if (c->hold_s == 1 || c->hold_s == 2)
		why = "hold time must be 0 or at least 3 s (RFC 4271 4.2)";
	else if (c->hold_s != 0 && c->keepalive_s > c->hold_s / 3)
		why = "keepalive must be at most a third of the hold time";
	else if (c->hold_s != 0 && c->min_hold_s > c->hold_s)
		why = "minimum hold time above the hold time";
	else if (c->connect_retry_s == 0)
		why = "ConnectRetryTime must be positive";
	else if (c->delay_open && c->delay_open_s == 0)
		why = "DelayOpen needs a positive DelayOpenTime";
	else if (c->idle_hold < 0)
		why = "IdleHoldTime must not be negative";
	else if (c->damp && (c->damp_min <= 0 || c->damp_max < c->damp_min ||
	    c->damp_forget < 0))
		why = "damping needs 0 < min <= max and forget >= 0";
	if (why == NULL)
		return 0;
	if (err != NULL)
		snprintf(err, errlen, "%s", why);
	return -1;
}

/* --- timers --- */

/* RFC 4271 10: base x a uniform factor in 0.75-1.0, whole nanoseconds. */
static sim_time
jittered(struct bgp_fsm *f, sim_time iv)
{
	sim_time lo = iv - iv / 4;

	if (!f->cfg.jitter || iv <= 0)
		return iv;
	return lo + (sim_time)rng_below(&f->rng, (uint64_t)(iv - lo) + 1);
}

static void
start_cr(struct bgp_fsm *f)
{
	timer_start(&f->tm[BGP_TM_CONNECT_RETRY],
	    jittered(f, SIM_S(f->cfg.connect_retry_s)));
}

static void
start_ka(struct bgp_fsm *f)
{
	if (f->keepalive_iv > 0)
		timer_start(&f->tm[BGP_TM_KEEPALIVE],
		    jittered(f, f->keepalive_iv));
}

static void
restart_hold(struct bgp_fsm *f)
{
	if (f->hold_s > 0)
		timer_start(&f->tm[BGP_TM_HOLD], SIM_S(f->hold_s));
}

static void
stop(struct bgp_fsm *f, enum bgp_fsm_timer t)
{
	timer_stop(&f->tm[t]);
}

static bool
running(const struct bgp_fsm *f, enum bgp_fsm_timer t)
{
	return timer_is_running(&f->tm[t]);
}

/* 4.2, 8.2.2 (OpenSent, BGPOpen): the lower hold wins; a third of it. */
static void
negotiate(struct bgp_fsm *f, uint16_t peer_hold_s)
{
	sim_time ka;

	f->hold_s = peer_hold_s < f->cfg.hold_s ? peer_hold_s : f->cfg.hold_s;
	ka = SIM_S(f->hold_s) / 3;
	if (f->cfg.keepalive_s != 0 && SIM_S(f->cfg.keepalive_s) < ka)
		ka = SIM_S(f->cfg.keepalive_s);
	f->keepalive_iv = f->hold_s > 0 ? ka : 0;
	stop(f, BGP_TM_HOLD);
	stop(f, BGP_TM_KEEPALIVE);
	restart_hold(f);
	start_ka(f);
}

/* --- transitions --- */

static void
set_state(struct bgp_fsm *f, enum bgp_fsm_state to,
    const struct bgp_fsm_reason *r, const struct bgp_fsm_notif *n)
{
	enum bgp_fsm_state old = f->state;

	reason_text_data(f->reason, sizeof(f->reason), r, n);
	f->state = to;
	f->st.transitions++;
	if (to == BGP_ST_IDLE) {
		timer_set_stop_all(&f->timers);
		f->hold_s = 0;
		f->keepalive_iv = 0;
		if (f->idle_hold_once != 0) {
			/* an AutomaticStop's own restart time, damped */
			sim_time ih = f->idle_hold_once;

			if (f->cfg.damp && f->idle_hold_cur > ih)
				ih = f->idle_hold_cur;
			if (ih > 0 && f->enabled)
				timer_start(&f->tm[BGP_TM_IDLE_HOLD], ih);
			f->idle_hold_once = 0;
		} else if (f->enabled && f->cfg.auto_start) {
			timer_start(&f->tm[BGP_TM_IDLE_HOLD],
			    bgp_fsm_idle_hold_time(f));
		}
	}
	if (old == BGP_ST_ESTABLISHED) {
		f->st.flaps++;
		f->st.last_down = sim_now(f->sim);
		f->ops->session_down(f, r, f->ctx);
	}
	f->ops->state_changed(f, old, to, f->reason, f->ctx);
	if (to == BGP_ST_ESTABLISHED) {
		f->st.established++;
		f->st.last_established = sim_now(f->sim);
		f->ops->session_up(f, f->ctx);
	}
}

static void
go(struct bgp_fsm *f, enum bgp_fsm_state to, enum bgp_fsm_event ev)
{
	struct bgp_fsm_reason r = { .why = BGP_WHY_NONE, .event = ev,
	    .when = sim_now(f->sim) };

	set_state(f, to, &r, NULL);
}

/*
 * BIRD's bgp_update_startup_delay (docs/bgp-fsm.md), except that the
 * stable time is counted from the restart after the previous drop, not
 * from the drop: the wait itself is not stability.
 */
static void
damp(struct bgp_fsm *f)
{
	sim_time now = sim_now(f->sim);

	if (!f->cfg.damp)
		return;
	if (f->idle_hold_cur > 0 && now - f->last_damp >= f->cfg.damp_forget)
		f->idle_hold_cur = 0;
	if (f->idle_hold_cur == 0)
		f->idle_hold_cur = f->cfg.damp_min;
	else if (f->idle_hold_cur > f->cfg.damp_max / 2)
		f->idle_hold_cur = f->cfg.damp_max;
	else
		f->idle_hold_cur *= 2;
	f->last_damp = now;
	f->st.damped++;
}

/* What a drop to Idle does, besides the state. */
enum {
	D_COUNT = 1,		/* ConnectRetryCounter + 1 and damping */
	D_RESET = 2,		/* ConnectRetryCounter = 0 (ManualStop) */
};

/*
 * Drop the connection to Idle: send n first if not NULL, close, count,
 * damp. The ConnectRetryTimer (and every other) stops on Idle's entry.
 */
static void
drop(struct bgp_fsm *f, enum bgp_fsm_event ev, enum bgp_fsm_why why,
    const struct bgp_fsm_notif *n, const struct bgp_fsm_notif *rcvd, int how)
{
	struct bgp_fsm_reason r = { .why = why, .event = ev,
	    .when = sim_now(f->sim) };

	if (n != NULL) {
		r.has_notif = true;
		r.code = n->code;
		r.subcode = n->subcode;
		f->ops->send_notification(f, n, f->ctx);
	} else if (rcvd != NULL) {
		r.has_notif = true;
		r.code = rcvd->code;
		r.subcode = rcvd->subcode;
	}
	f->ops->tcp_close(f, n, f->ctx);
	if (how & D_COUNT) {
		f->connect_retry_counter++;
		damp(f);
	}
	if (how & D_RESET)
		f->connect_retry_counter = 0;
	if (why != BGP_WHY_MANUAL_STOP)
		f->st.last_error = r;
	set_state(f, BGP_ST_IDLE, &r, n != NULL ? n : rcvd);
}

#define notif(c, s) \
	((struct bgp_fsm_notif){ .code = (c), .subcode = (s) })

/* ManualStop's Cease 6/2, with the shutdown communication if any. */
static struct bgp_fsm_notif
stop_notif(const struct bgp_fsm_arg *arg)
{
	struct bgp_fsm_notif n = notif(BGP_ERR_CEASE,
	    BGP_CEASE_ADMIN_SHUTDOWN);

	if (arg != NULL && arg->notif.data_len > 0) {
		n.data = arg->notif.data;
		n.data_len = arg->notif.data_len;
	}
	return n;
}

/* The NOTIFICATION an error event sends: the speaker's, or code/0. */
static struct bgp_fsm_notif
err_notif(const struct bgp_fsm_arg *arg, uint8_t code)
{
	if (arg != NULL && arg->notif.code != 0)
		return arg->notif;
	return notif(code, 0);
}

static const struct bgp_fsm_notif *
rcvd_notif(const struct bgp_fsm_arg *arg)
{
	return arg != NULL && arg->notif.code != 0 ? &arg->notif : NULL;
}

/* Idle + ManualStart/AutomaticStart (passive or not). */
static void
start(struct bgp_fsm *f, bool passive, enum bgp_fsm_event ev)
{
	stop(f, BGP_TM_IDLE_HOLD);
	f->enabled = true;
	f->connect_retry_counter = 0;
	start_cr(f);
	if (passive) {
		go(f, BGP_ST_ACTIVE, ev);
		return;
	}
	f->ops->tcp_connect(f, f->ctx);
	go(f, BGP_ST_CONNECT, ev);
}

/* Send our OPEN and wait for the peer's with the large hold time. */
static void
send_open(struct bgp_fsm *f, enum bgp_fsm_event ev)
{
	f->ops->send_open(f, f->cfg.hold_s, f->ctx);
	timer_start(&f->tm[BGP_TM_HOLD], BGP_OPENSENT_HOLD);
	go(f, BGP_ST_OPENSENT, ev);
}

/* Connect, Active + Tcp_CR_Acked / TcpConnectionConfirmed. */
static void
tcp_up(struct bgp_fsm *f, enum bgp_fsm_event ev)
{
	f->outgoing = ev == BGP_EV_TCP_CR_ACKED;
	stop(f, BGP_TM_CONNECT_RETRY);
	if (f->cfg.delay_open) {
		timer_start(&f->tm[BGP_TM_DELAY_OPEN],
		    SIM_S(f->cfg.delay_open_s));
		return;
	}
	send_open(f, ev);
}

/* Connect, Active + BGPOpen with DelayOpenTimer running. */
static void
open_delayed(struct bgp_fsm *f, const struct bgp_fsm_arg *arg)
{
	stop(f, BGP_TM_CONNECT_RETRY);
	stop(f, BGP_TM_DELAY_OPEN);
	f->ops->send_open(f, f->cfg.hold_s, f->ctx);
	f->ops->send_keepalive(f, f->ctx);
	negotiate(f, arg->peer_hold_s);
	go(f, BGP_ST_OPENCONFIRM, BGP_EV_OPEN_DELAYED);
}

/* Connect and Active share every row but three (8.2.2). */
static void
connect_active(struct bgp_fsm *f, enum bgp_fsm_event ev,
    const struct bgp_fsm_arg *arg)
{
	struct bgp_fsm_notif n;
	bool delaying = running(f, BGP_TM_DELAY_OPEN);

	switch (ev) {
	case BGP_EV_MANUAL_STOP:
		f->enabled = false;
		n = stop_notif(arg);
		drop(f, ev, BGP_WHY_MANUAL_STOP, f->state == BGP_ST_ACTIVE &&
		    delaying && f->cfg.send_notif_without_open ? &n : NULL,
		    NULL, D_RESET);
		break;
	case BGP_EV_CONNECT_RETRY_TIMER:
		if (f->state == BGP_ST_ACTIVE && f->cfg.passive)
			break;	/* a passive peer never connects (as BIRD) */
		if (f->state == BGP_ST_CONNECT) {
			/* drop the attempt and try again */
			f->ops->tcp_close(f, NULL, f->ctx);
			stop(f, BGP_TM_DELAY_OPEN);
			start_cr(f);
			f->ops->tcp_connect(f, f->ctx);
			break;
		}
		start_cr(f);
		f->ops->tcp_connect(f, f->ctx);
		go(f, BGP_ST_CONNECT, ev);
		break;
	case BGP_EV_DELAY_OPEN_TIMER:
		stop(f, BGP_TM_CONNECT_RETRY);
		stop(f, BGP_TM_DELAY_OPEN);
		send_open(f, ev);
		break;
	case BGP_EV_TCP_CR_ACKED:
	case BGP_EV_TCP_CONFIRMED:
		tcp_up(f, ev);
		break;
	case BGP_EV_TCP_FAILS:
		if (f->state == BGP_ST_CONNECT && (delaying ||
		    f->cfg.connect_fail_active)) {
			/* keep listening */
			stop(f, BGP_TM_DELAY_OPEN);
			start_cr(f);
			go(f, BGP_ST_ACTIVE, ev);
			break;
		}
		drop(f, ev, BGP_WHY_TCP_FAILED, NULL, NULL,
		    f->state == BGP_ST_ACTIVE ? D_COUNT : 0);
		break;
	case BGP_EV_OPEN_DELAYED:
		open_delayed(f, arg);
		break;
	case BGP_EV_HEADER_ERR:
	case BGP_EV_OPEN_ERR:
		n = err_notif(arg, ev == BGP_EV_HEADER_ERR ? BGP_ERR_HEADER :
		    BGP_ERR_OPEN);
		drop(f, ev, BGP_WHY_NOTIF_SENT,
		    f->cfg.send_notif_without_open ? &n : NULL, NULL, D_COUNT);
		break;
	case BGP_EV_NOTIF_VER_ERR:
		drop(f, ev, BGP_WHY_NOTIF_RCVD, NULL, rcvd_notif(arg),
		    delaying ? 0 : D_COUNT);
		break;
	default:
		/* 8, 10-11, 13, 19, 23, 25-28 */
		drop(f, ev, ev == BGP_EV_NOTIF ? BGP_WHY_NOTIF_RCVD :
		    BGP_WHY_UNEXPECTED, NULL, rcvd_notif(arg), D_COUNT);
		break;
	}
}

/* OpenSent, OpenConfirm, Established: the rows they share. */
static bool
opened_common(struct bgp_fsm *f, enum bgp_fsm_event ev,
    const struct bgp_fsm_arg *arg)
{
	struct bgp_fsm_notif n;

	switch (ev) {
	case BGP_EV_MANUAL_STOP:
		f->enabled = false;
		n = stop_notif(arg);
		drop(f, ev, BGP_WHY_MANUAL_STOP, &n, NULL, D_RESET);
		return true;
	case BGP_EV_AUTO_STOP:
		n = notif(BGP_ERR_CEASE, arg != NULL ? arg->notif.subcode : 0);
		f->idle_hold_once = arg != NULL ? arg->idle_hold : 0;
		drop(f, ev, BGP_WHY_AUTO_STOP, &n, NULL, D_COUNT);
		return true;
	case BGP_EV_HOLD_TIMER:
		n = notif(BGP_ERR_HOLD, 0);
		drop(f, ev, BGP_WHY_HOLD_EXPIRED, &n, NULL, D_COUNT);
		return true;
	case BGP_EV_COLLISION_DUMP:
		n = notif(BGP_ERR_CEASE, BGP_CEASE_COLLISION);
		drop(f, ev, BGP_WHY_COLLISION, &n, NULL, D_COUNT);
		return true;
	default:
		return false;
	}
}

/* The row "any other event": FSM Error with RFC 6608's subcode. */
static void
fsm_error(struct bgp_fsm *f, enum bgp_fsm_event ev)
{
	static const uint8_t sub[BGP_ST_MAX] = {
		[BGP_ST_OPENSENT] = 1,
		[BGP_ST_OPENCONFIRM] = 2,
		[BGP_ST_ESTABLISHED] = 3,
	};
	struct bgp_fsm_notif n = notif(BGP_ERR_FSM, sub[f->state]);

	drop(f, ev, BGP_WHY_NOTIF_SENT, &n, NULL, D_COUNT);
}

/* OpenSent: our OPEN is out, waiting for the peer's. */
static void
opensent(struct bgp_fsm *f, enum bgp_fsm_event ev,
    const struct bgp_fsm_arg *arg)
{
	struct bgp_fsm_notif n;

	switch (ev) {
	case BGP_EV_TCP_CR_ACKED:
	case BGP_EV_TCP_CONFIRMED:
		break;		/* a second connection: the speaker's */
	case BGP_EV_TCP_FAILS:
		f->ops->tcp_close(f, NULL, f->ctx);
		stop(f, BGP_TM_HOLD);
		start_cr(f);
		go(f, BGP_ST_ACTIVE, ev);
		break;
	case BGP_EV_OPEN:
		stop(f, BGP_TM_DELAY_OPEN);
		stop(f, BGP_TM_CONNECT_RETRY);
		f->ops->send_keepalive(f, f->ctx);
		negotiate(f, arg->peer_hold_s);
		go(f, BGP_ST_OPENCONFIRM, ev);
		break;
	case BGP_EV_HEADER_ERR:
	case BGP_EV_OPEN_ERR:
		n = err_notif(arg, ev == BGP_EV_HEADER_ERR ? BGP_ERR_HEADER :
		    BGP_ERR_OPEN);
		drop(f, ev, BGP_WHY_NOTIF_SENT, &n, NULL, D_COUNT);
		break;
	case BGP_EV_NOTIF_VER_ERR:
		drop(f, ev, BGP_WHY_NOTIF_RCVD, NULL, rcvd_notif(arg), 0);
		break;
	default:
		/* 9, 11-13, 20, 25-28 */
		fsm_error(f, ev);
		break;
	}
}

/* OpenConfirm: OPENs exchanged, waiting for the peer's KEEPALIVE. */
static void
openconfirm(struct bgp_fsm *f, enum bgp_fsm_event ev,
    const struct bgp_fsm_arg *arg)
{
	struct bgp_fsm_notif n;

	switch (ev) {
	case BGP_EV_KEEPALIVE_TIMER:
		f->ops->send_keepalive(f, f->ctx);
		start_ka(f);
		break;
	case BGP_EV_TCP_CR_ACKED:
	case BGP_EV_TCP_CONFIRMED:
	case BGP_EV_OPEN:
		break;		/* the speaker tracks it / checks collision */
	case BGP_EV_TCP_FAILS:
	case BGP_EV_NOTIF_VER_ERR:
	case BGP_EV_NOTIF:
		drop(f, ev, ev == BGP_EV_TCP_FAILS ? BGP_WHY_TCP_FAILED :
		    BGP_WHY_NOTIF_RCVD, NULL, rcvd_notif(arg), D_COUNT);
		break;
	case BGP_EV_HEADER_ERR:
	case BGP_EV_OPEN_ERR:
		n = err_notif(arg, ev == BGP_EV_HEADER_ERR ? BGP_ERR_HEADER :
		    BGP_ERR_OPEN);
		drop(f, ev, BGP_WHY_NOTIF_SENT, &n, NULL, D_COUNT);
		break;
	case BGP_EV_KEEPALIVE:
		restart_hold(f);
		go(f, BGP_ST_ESTABLISHED, ev);
		break;
	default:
		/* 9, 12-13, 20, 27-28 */
		fsm_error(f, ev);
		break;
	}
}

/* Established: exchanging UPDATEs. */
static void
established(struct bgp_fsm *f, enum bgp_fsm_event ev,
    const struct bgp_fsm_arg *arg)
{
	struct bgp_fsm_notif n;

	switch (ev) {
	case BGP_EV_KEEPALIVE_TIMER:
		f->ops->send_keepalive(f, f->ctx);
		start_ka(f);
		break;
	case BGP_EV_TCP_CR_ACKED:
	case BGP_EV_TCP_CONFIRMED:
	case BGP_EV_OPEN:
		break;		/* the speaker tracks it / checks collision */
	case BGP_EV_TCP_FAILS:
	case BGP_EV_NOTIF_VER_ERR:
	case BGP_EV_NOTIF:
		drop(f, ev, ev == BGP_EV_TCP_FAILS ? BGP_WHY_TCP_FAILED :
		    BGP_WHY_NOTIF_RCVD, NULL, rcvd_notif(arg), D_COUNT);
		break;
	case BGP_EV_KEEPALIVE:
	case BGP_EV_UPDATE:
		restart_hold(f);
		break;
	case BGP_EV_UPDATE_ERR:
		n = err_notif(arg, BGP_ERR_UPDATE);
		drop(f, ev, BGP_WHY_NOTIF_SENT, &n, NULL, D_COUNT);
		break;
	case BGP_EV_HEADER_ERR:
		/* 6.1 asks for the Message Header Error itself */
		n = err_notif(arg, BGP_ERR_HEADER);
		drop(f, ev, BGP_WHY_NOTIF_SENT, &n, NULL, D_COUNT);
		break;
	default:
		/* 9, 12-13, 20, 22 */
		fsm_error(f, ev);
		break;
	}
}

/* Idle: refuses connections; waits for a start. */
static void
idle(struct bgp_fsm *f, enum bgp_fsm_event ev)
{
	switch (ev) {
	case BGP_EV_MANUAL_START:
	case BGP_EV_AUTO_START:
		start(f, false, ev);
		break;
	case BGP_EV_MANUAL_START_PASSIVE:
	case BGP_EV_AUTO_START_PASSIVE:
		start(f, true, ev);
		break;
	case BGP_EV_AUTO_START_DAMP:
	case BGP_EV_AUTO_START_DAMP_PASSIVE:
		/* a damped start waits for the IdleHoldTimer if it runs */
		if (!running(f, BGP_TM_IDLE_HOLD))
			start(f, ev == BGP_EV_AUTO_START_DAMP_PASSIVE, ev);
		break;
	case BGP_EV_IDLE_HOLD_TIMER:
		f->last_damp = sim_now(f->sim);
		start(f, f->cfg.passive, ev);
		break;
	case BGP_EV_MANUAL_STOP:
		/* ignored by 8.2.2, but it must cancel an automatic restart */
		f->enabled = false;
		stop(f, BGP_TM_IDLE_HOLD);
		break;
	default:
		break;		/* 8.2.2: every other event is ignored */
	}
}

static bool
is_start(enum bgp_fsm_event ev)
{
	return ev == BGP_EV_MANUAL_START ||
	    (ev >= BGP_EV_AUTO_START && ev <= BGP_EV_AUTO_START_DAMP_PASSIVE);
}

void
bgp_fsm_event(struct bgp_fsm *f, enum bgp_fsm_event ev,
    const struct bgp_fsm_arg *arg)
{
	struct bgp_fsm_arg bad;

	SIM_ASSERT(ev > BGP_EV_NONE && ev < BGP_EV_MAX, "bgp_fsm: event %d",
	    (int)ev);
	SIM_ASSERT(!f->busy, "bgp_fsm: %s fed from inside an op",
	    bgp_fsm_event_name[ev]);
	/* 4.2: a hold of 1 or 2 is refused, and below our minimum (MSEE) */
	if ((ev == BGP_EV_OPEN || ev == BGP_EV_OPEN_DELAYED) &&
	    (arg == NULL || (arg->peer_hold_s > 0 && (arg->peer_hold_s < 3 ||
	    arg->peer_hold_s < f->cfg.min_hold_s)))) {
		memset(&bad, 0, sizeof(bad));
		bad.notif = notif(BGP_ERR_OPEN, BGP_ERR_OPEN_HOLD);
		ev = BGP_EV_OPEN_ERR;
		arg = &bad;
	}
	/* no state acts on these two; starts only act in Idle */
	if (ev == BGP_EV_TCP_VALID || ev == BGP_EV_TCP_CR_INVALID ||
	    (f->state != BGP_ST_IDLE && is_start(ev)))
		return;
	f->busy = true;
	switch (f->state) {
	case BGP_ST_IDLE:
		idle(f, ev);
		break;
	case BGP_ST_CONNECT:
	case BGP_ST_ACTIVE:
		connect_active(f, ev, arg);
		break;
	case BGP_ST_OPENSENT:
		if (!opened_common(f, ev, arg))
			opensent(f, ev, arg);
		break;
	case BGP_ST_OPENCONFIRM:
		if (!opened_common(f, ev, arg))
			openconfirm(f, ev, arg);
		break;
	case BGP_ST_ESTABLISHED:
		if (!opened_common(f, ev, arg))
			established(f, ev, arg);
		break;
	default:
		SIM_ASSERT(0, "bgp_fsm: state %d", (int)f->state);
	}
	f->busy = false;
}

void
bgp_fsm_start(struct bgp_fsm *f)
{
	bgp_fsm_event(f, f->cfg.passive ? BGP_EV_MANUAL_START_PASSIVE :
	    BGP_EV_MANUAL_START, NULL);
}

void
bgp_fsm_rx_open(struct bgp_fsm *f, uint16_t peer_hold_s)
{
	struct bgp_fsm_arg a = { .peer_hold_s = peer_hold_s };

	bgp_fsm_event(f, running(f, BGP_TM_DELAY_OPEN) ? BGP_EV_OPEN_DELAYED :
	    BGP_EV_OPEN, &a);
}

/* --- timers to events --- */

static const enum bgp_fsm_event timer_event[BGP_TM_MAX] = {
	[BGP_TM_CONNECT_RETRY] = BGP_EV_CONNECT_RETRY_TIMER,
	[BGP_TM_HOLD] = BGP_EV_HOLD_TIMER,
	[BGP_TM_KEEPALIVE] = BGP_EV_KEEPALIVE_TIMER,
	[BGP_TM_DELAY_OPEN] = BGP_EV_DELAY_OPEN_TIMER,
	[BGP_TM_IDLE_HOLD] = BGP_EV_IDLE_HOLD_TIMER,
};

static void
timer_fired(struct timer *tm, void *arg)
{
	struct bgp_fsm *f = arg;

	bgp_fsm_event(f, timer_event[tm - f->tm], NULL);
}

struct bgp_fsm *
bgp_fsm_new(struct sim *sim, const struct bgp_fsm_cfg *cfg,
    const struct bgp_fsm_ops *ops, void *ctx, const char *name)
{
	struct bgp_fsm *f = xcalloc(1, sizeof(*f));
	char err[96];
	int i;

	SIM_ASSERT(bgp_fsm_cfg_check(cfg, err, sizeof(err)) == 0,
	    "bgp_fsm %s: %s", name, err);
	f->sim = sim;
	f->cfg = *cfg;
	f->ops = ops;
	f->ctx = ctx;
	f->state = BGP_ST_IDLE;
	f->st.last_established = f->st.last_down = -1;
	rng_init(&f->rng, sim_seed(sim), name);
	timer_set_init(&f->timers);
	for (i = 0; i < BGP_TM_MAX; i++)
		timer_init(&f->tm[i], sim, &f->timers, timer_fired, f);
	return f;
}

void
bgp_fsm_free(struct bgp_fsm *f)
{
	if (f == NULL)
		return;
	timer_set_destroy(&f->timers);
	free(f);
}

void
bgp_fsm_halt(struct bgp_fsm *f)
{
	timer_set_stop_all(&f->timers);
}

void
bgp_fsm_msg_in(struct bgp_fsm *f, unsigned type)
{
	f->st.msg_in[type < BGP_TYPE_MAX ? type : 0]++;
}

void
bgp_fsm_msg_out(struct bgp_fsm *f, unsigned type)
{
	f->st.msg_out[type < BGP_TYPE_MAX ? type : 0]++;
	if (type == BGP_UPDATE && f->state == BGP_ST_ESTABLISHED)
		start_ka(f);
}

const struct bgp_fsm_stats *
bgp_fsm_stats(const struct bgp_fsm *f)
{
	return &f->st;
}

enum bgp_fsm_state
bgp_fsm_state(const struct bgp_fsm *f)
{
	return f->state;
}

uint32_t
bgp_fsm_connect_retry_counter(const struct bgp_fsm *f)
{
	return f->connect_retry_counter;
}

uint16_t
bgp_fsm_hold_s(const struct bgp_fsm *f)
{
	return f->hold_s;
}

sim_time
bgp_fsm_keepalive_interval(const struct bgp_fsm *f)
{
	return f->keepalive_iv;
}

sim_time
bgp_fsm_idle_hold_time(const struct bgp_fsm *f)
{
	return f->cfg.damp && f->idle_hold_cur > 0 ? f->idle_hold_cur :
	    f->cfg.idle_hold;
}

bool
bgp_fsm_outgoing(const struct bgp_fsm *f)
{
	return f->outgoing;
}

bool
bgp_fsm_accepts(const struct bgp_fsm *f)
{
	return f->state != BGP_ST_IDLE;
}

const struct bgp_fsm_cfg *
bgp_fsm_cfg(const struct bgp_fsm *f)
{
	return &f->cfg;
}

sim_time
bgp_fsm_timer_expiry(const struct bgp_fsm *f, enum bgp_fsm_timer t)
{
	SIM_ASSERT(t >= 0 && t < BGP_TM_MAX, "bgp_fsm: timer %d", (int)t);
	return timer_expiry(&f->tm[t]);
}

/* --- collision (6.8) --- */

enum bgp_collision
bgp_fsm_collision(const struct bgp_collision_conn *rx,
    const struct bgp_collision_conn *other, uint32_t local_id,
    uint32_t peer_id, uint32_t local_as, uint32_t peer_as,
    bool collision_detect_established)
{
	bool peer_wins;

	switch (other->state) {
	case BGP_ST_OPENCONFIRM:
		if (rx->outgoing == other->outgoing)
			return BGP_COLLISION_NONE;
		break;
	case BGP_ST_ESTABLISHED:
		/* 6.8: whatever the direction of either */
		if (!collision_detect_established)
			return BGP_COLLISION_DUMP_RX;
		/* a peer opens a second one only once it lost the first */
		if (rx->outgoing == other->outgoing)
			return BGP_COLLISION_DUMP_OTHER;
		break;
	default:
		return BGP_COLLISION_NONE;
	}
	peer_wins = local_id < peer_id ||
	    (local_id == peer_id && local_as < peer_as);
	/* keep the connection the higher identifier opened */
	if (peer_wins == rx->outgoing)
		return BGP_COLLISION_DUMP_RX;
	return BGP_COLLISION_DUMP_OTHER;
}

enum bgp_collision
bgp_fsm_collision_of(const struct bgp_fsm *rx, const struct bgp_fsm *other,
    uint32_t local_id, uint32_t peer_id, uint32_t local_as, uint32_t peer_as)
{
	struct bgp_collision_conn a = { rx->state, rx->outgoing };
	struct bgp_collision_conn b = { other->state, other->outgoing };

	return bgp_fsm_collision(&a, &b, local_id, peer_id, local_as, peer_as,
	    rx->cfg.collision_detect_established);
}
