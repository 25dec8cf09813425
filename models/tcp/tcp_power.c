/*
 * tcp_power.c - a node's TCP when the node loses its power (net.h,
 * node_set_powered: the timeline's node-down).
 *
 * A real power cycle loses every connection: the box sends nothing as it
 * dies (no RST, no FIN) and remembers nothing when it boots. So at power
 * off every connection of the stack is gone, silently: the application
 * holding one hears STREAM_POWER_OFF ("powered off"), a connection without
 * one (TIME_WAIT, closing after stream_close) just ends. The peers learn
 * as they would of a real reboot: by their own retransmissions timing out,
 * or by the reset the rebooted stack answers their next segment with
 * (RFC 9293 3.10.7.1: no connection, a reset). Listeners stay: they are
 * the node's configuration, its services listening again once booted.
 *
 * The drop runs after every other power listener of the instant (an event
 * at the same time, scheduled by the listener): the models on the node
 * (BGP) end their own connections first, as their power-off says, not as
 * a TCP failure.
 */
#include <stdlib.h>

#include "net.h"
#include "sim.h"
#include "tcp_int.h"
#include "util.h"

static void
power_lost(struct sim *sim, void *arg)
{
	struct tcp_stack *st = arg;
	struct tcp_conn *c, **v;
	size_t i, n = 0;

	(void)sim;
	st->power_ev = (sim_event_id){ 0, 0 };
	if (st->dying || st->n_conns == 0)
		return;
	/* those of now: an application told may open new ones meanwhile */
	v = xcalloc(st->n_conns, sizeof(*v));
	for (c = st->conns; c != NULL && n < st->n_conns; c = c->next) {
		tcp_hold(c);
		v[n++] = c;
	}
	for (i = 0; i < n; i++) {
		c = v[i];
		if (c->state != TCP_CLOSED && !st->dying) {
			tcp_notify_end(c, STREAM_POWER_OFF);
			if (c->state != TCP_CLOSED)
				tcp_close_final(c, "node powered off");
		}
	}
	for (i = 0; i < n; i++)
		tcp_unhold(v[i]);
	free(v);
}

static void
power_changed(struct node *n, bool powered, void *ctx)
{
	struct tcp_stack *st = ctx;

	(void)n;
	if (powered || st->dying || sim_is_pending(st->sim, st->power_ev))
		return;
	st->power_ev = sim_schedule_at(st->sim, sim_now(st->sim), power_lost,
	    st);
}

void
tcp_power_attach(struct tcp_stack *st)
{
	node_add_power_listener(st->node, power_changed, st);
}

void
tcp_power_detach(struct tcp_stack *st)
{
	node_remove_power_listener(st->node, power_changed, st);
	/* only when one was scheduled: a test may free the sim first */
	if (st->power_ev.slot != 0 || st->power_ev.gen != 0)
		sim_cancel(st->sim, st->power_ev);
	st->power_ev = (sim_event_id){ 0, 0 };
}
