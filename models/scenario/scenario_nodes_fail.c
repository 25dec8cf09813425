/*
 * scenario_nodes_fail.c - the timeline actions node-down and node-up: a
 * router failing as if powered off (an MSEE, an Oracle edge router) and
 * coming back.
 *
 * A failed node is cut off: every link attached to it is held down with
 * the node's own holder bit (LINK_HOLD_NODE, sim/net.h), so a node-down
 * composes with link-down/up and with gates. A link that was also taken
 * down on its own stays down after node-up until its link-up, and a link
 * whose resource is gone stays down too. The node is powered off too
 * (node_set_powered): the models running on it (BGP, BFD, TCP) lose what
 * they held and start again from scratch at node-up, while its peers lose
 * their sessions by their own timers, by carrier or by a reset, as they
 * would.
 *
 * Order at one instant: the links are held down before the power goes
 * (what the dying node's models reset then dies on it, never on the
 * wire) and come back before the power does (what it sends first finds
 * its links up).
 */
#include <stdio.h>

#include "net.h"
#include "scenario_load.h"
#include "sim.h"
#include "trace.h"

static const struct sc_field node_state_fields[] = {
	{ "node", SC_FT_NAME, SC_AT(struct sc_node_state, node),
		.required = true, .doc = "the node it happens to" },
};

static const struct sc_table node_state_table = {
	"node-state", "The arguments of node-down and node-up.",
	node_state_fields, SC_NFIELDS(node_state_fields),
	sizeof(struct sc_node_state), offsetof(struct sc_node_state, loc),
	offsetof(struct sc_node_state, vloc),
	offsetof(struct sc_node_state, keys), -1
};

static void
check_node_state(struct sc_check *ck, struct sc_event *ev, void *args)
{
	struct sc_node_state *a = args;

	(void)ev;
	if (a->node != NULL)
		sc_names_lookup(ck, "node", a->node, a->vloc[0], &a->node_idx);
}

/* One callback per (state, end): the event's argument is only the link. */
static void
down_end0(struct sim *sim, void *arg)
{
	(void)sim;
	link_set_held(arg, LINK_HOLD_NODE(0), true);
}

static void
down_end1(struct sim *sim, void *arg)
{
	(void)sim;
	link_set_held(arg, LINK_HOLD_NODE(1), true);
}

static void
up_end0(struct sim *sim, void *arg)
{
	(void)sim;
	link_set_held(arg, LINK_HOLD_NODE(0), false);
}

static void
up_end1(struct sim *sim, void *arg)
{
	(void)sim;
	link_set_held(arg, LINK_HOLD_NODE(1), false);
}

static void
power_off(struct sim *sim, void *arg)
{
	(void)sim;
	node_set_powered(arg, false);
}

static void
power_on(struct sim *sim, void *arg)
{
	(void)sim;
	node_set_powered(arg, true);
}

static void
note(struct sim *sim, struct node *n, const char *what)
{
	char text[SC_NAME_MAX + 32];

	snprintf(text, sizeof(text), "node %s %s", node_name(n), what);
	trace_annotate(net_trace(node_net(n)), sim_now(sim), node_id(n), text);
}

static void
note_failed(struct sim *sim, void *arg)
{
	note(sim, arg, "failed");
}

static void
note_back(struct sim *sim, void *arg)
{
	note(sim, arg, "back");
}

static int
schedule_node(struct sc_build *b, const struct sc_event *ev,
    const struct sc_node_state *a, bool up)
{
	static const sim_event_fn fire[2][2] = {
		{ down_end0, down_end1 }, { up_end0, up_end1 },
	};
	const struct scenario *sc = b->sc;
	struct node *n = sc_build_node(b, a->node_idx);
	size_t i;
	int e;

	/* the note first: in the trace it comes before the links' states */
	sim_schedule_at(b->sim, ev->at, up ? note_back : note_failed, n);
	for (i = 0; i < sc->n_links; i++)
		for (e = 0; e < 2; e++)
			if (sc->links[i].node_idx[e] == a->node_idx)
				sim_schedule_at(b->sim, ev->at, fire[up][e],
				    sc_build_link(b, i));
	sim_schedule_at(b->sim, ev->at, up ? power_on : power_off, n);
	return 0;
}

static int
schedule_node_down(struct sc_build *b, const struct sc_event *ev,
    const void *args)
{
	return schedule_node(b, ev, args, false);
}

static int
schedule_node_up(struct sc_build *b, const struct sc_event *ev,
    const void *args)
{
	return schedule_node(b, ev, args, true);
}

const struct sc_action sc_action_node_down = {
	.name = "node-down",
	.doc = "the node fails as if powered off: every link attached to it "
	"goes down (a link taken down on its own stays down after node-up "
	"until its link-up), its BGP and BFD lose their sessions, routes "
	"and timers and its TCP every connection (its applications told "
	"'powered off'; its listeners stay), all without sending anything; "
	"its peers' sessions fail by their timers or carrier, their TCP "
	"connections by timing out or by the reset the node answers with "
	"once back",
	.table = &node_state_table, .check = check_node_state,
	.schedule = schedule_node_down,
};

const struct sc_action sc_action_node_up = {
	.name = "node-up",
	.doc = "the failed node is back: its links come up, except those "
	"still held down by a link-down or a closed gate, and its BGP and "
	"BFD start again from Idle / Down as at the start",
	.table = &node_state_table, .check = check_node_state,
	.schedule = schedule_node_up,
};
