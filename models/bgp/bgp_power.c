/*
 * bgp_power.c - the speaker of a node that loses its power (net.h,
 * node_set_powered: the timeline's node-down) and gets it back.
 *
 * Powered off, a router keeps nothing it learnt: every connection is gone
 * without a NOTIFICATION (nothing leaves a dead box), the Adj-RIBs-In and
 * -Out with them, so its Loc-RIB and the node's table lose every learnt
 * route; no timer of its sessions runs. What it was configured with stays
 * (neighbours, networks, aggregates, policies: the start-up config), and
 * so do its own originated routes in the Loc-RIB, which go nowhere while
 * no session is up. Powered on, each neighbour that was running starts
 * again from Idle with a fresh FSM, as after bgp_speaker_start: its peers,
 * still Established until their hold timer, BFD or a reset from the
 * rebooted TCP tells them otherwise, see a new connection and OPEN.
 *
 * The TCP connections are reset (stream_abort) after the node-down has
 * held its links down, so the resets die on the node (never on the wire):
 * the simulated stack keeps no connection the reboot would have lost.
 */
#include <stdio.h>

#include "bgp_fsm.h"
#include "bgp_speaker_int.h"
#include "net.h"
#include "sim.h"
#include "trace.h"
#include "wire.h"

/* The trace's Idle for a connection that was not. */
static void
note_idle(struct bgp_peer *p, struct bgp_conn *c)
{
	char a[16];

	if (c == NULL || c->dead || bgp_fsm_state(c->fsm) == BGP_ST_IDLE)
		return;
	wire_ip_str(p->cfg.addr, a);
	trace_session(net_trace(node_net(p->sp->node)), sim_now(p->sp->sim),
	    TRP_BGP, node_id(p->sp->node), a,
	    bgp_fsm_state_name[BGP_ST_IDLE], "node powered off");
}

static void
peer_off(struct bgp_peer *p)
{
	struct bgp_fsm_reason r = { .why = BGP_WHY_NONE,
	    .event = BGP_EV_NONE, .when = sim_now(p->sp->sim) };
	int k;

	note_idle(p, p->c[0]);
	note_idle(p, p->c[1]);
	/* BGP_WHY_NONE: no graceful restart keeps anything of a dead box */
	if (p->up != NULL)
		bgp_peer_session_down(p->up, &r);
	bgp_gr_forget(p);
	for (k = 0; k < 2; k++)
		if (p->c[k] != NULL)
			bgp_conn_bury(p->c[k]);
	/* a fresh FSM in Idle: the power-on (or a peer_start) starts it */
	bgp_conn_new(p, 0);
}

static void
peer_on(struct bgp_peer *p)
{
	if (!p->run)
		return;
	/*
	 * bgp_speaker_peer_start's path: a neighbour whose BFD session
	 * comes with its start (the removed one) gets it back; the others'
	 * sessions restart on their own (bfd.c listens to the power too).
	 */
	(void)bgp_speaker_peer_start(p->sp, p->cfg.addr);
}

void
bgp_power_changed(struct node *n, bool on, void *ctx)
{
	struct bgp_speaker *sp = ctx;
	size_t i;

	(void)n;
	if (on) {
		for (i = 0; i < sp->n_peers; i++)
			peer_on(sp->peers[i]);
		return;
	}
	sp->busy++;
	for (i = 0; i < sp->n_peers; i++)
		peer_off(sp->peers[i]);
	sp->busy--;
	bgp_export_flush_all(sp);
	/* what was still being delivered after a NOTIFICATION dies too */
	bgp_linger_free_all(sp);
}
