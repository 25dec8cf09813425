/*
 * test_node_power.c - a node's power (net.h node_set_powered) and what a
 * failed router loses: the listeners told in order on each change only;
 * BFD going Down silently and coming back with a new discriminator; a BGP
 * speaker powered off by node-down dropping its sessions without a
 * NOTIFICATION, forgetting its routes, and starting again from Idle at
 * node-up, its peer seeing a new OPEN (a collision while it still
 * believes in the old session, a new session once BFD dropped that one),
 * to the simulated nanosecond.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bfd.h"
#include "bgp_msg.h"
#include "bgp_scenario.h"
#include "bgp_speaker.h"
#include "net.h"
#include "rib.h"
#include "scenario.h"
#include "scenario_models.h"
#include "scenario_run.h"
#include "scenario_testutil.h"
#include "sim.h"
#include "test_bfd_util.h"
#include "testutil.h"
#include "trace.h"

/* ---- the seam ---- */

struct heard {
	char log[64];
	size_t n;
	struct node *node;
	bool remove_b, add_c;
};

static void listener_b(struct node *n, bool on, void *ctx);
static void listener_c(struct node *n, bool on, void *ctx);

static void
note(struct heard *h, char who, bool on)
{
	if (h->n + 2 < sizeof(h->log)) {
		h->log[h->n++] = who;
		h->log[h->n++] = on ? '+' : '-';
		h->log[h->n] = '\0';
	}
}

static void
listener_a(struct node *n, bool on, void *ctx)
{
	struct heard *h = ctx;

	CU_ASSERT_PTR_EQUAL(n, h->node);
	CU_ASSERT_EQUAL(node_powered(n), on);	/* set before telling */
	note(h, 'a', on);
	if (h->remove_b)
		node_remove_power_listener(n, listener_b, h);
	if (h->add_c)
		node_add_power_listener(n, listener_c, h);
	h->remove_b = h->add_c = false;
}

static void
listener_b(struct node *n, bool on, void *ctx)
{
	(void)n;
	note(ctx, 'b', on);
}

static void
listener_c(struct node *n, bool on, void *ctx)
{
	(void)n;
	note(ctx, 'c', on);
}

static void
test_listeners(void)
{
	struct sim *sim = sim_new(1);
	struct net *net = net_new(sim);
	struct node *n = net_add_node(net, "r", "router", NULL, NULL);
	struct heard h;

	memset(&h, 0, sizeof(h));
	h.node = n;
	CU_ASSERT_TRUE(node_powered(n));
	node_add_power_listener(n, listener_a, &h);
	node_add_power_listener(n, listener_b, &h);
	node_set_powered(n, true);		/* no change: no one told */
	CU_ASSERT_STRING_EQUAL(h.log, "");
	node_set_powered(n, false);
	CU_ASSERT_FALSE(node_powered(n));
	CU_ASSERT_STRING_EQUAL(h.log, "a-b-");
	node_set_powered(n, false);
	CU_ASSERT_STRING_EQUAL(h.log, "a-b-");
	/* b removed by a while told: b hears no more; c added: next time */
	h.remove_b = h.add_c = true;
	node_set_powered(n, true);
	CU_ASSERT_STRING_EQUAL(h.log, "a-b-a+");
	node_set_powered(n, false);
	CU_ASSERT_STRING_EQUAL(h.log, "a-b-a+a-c-");
	node_remove_power_listener(n, listener_a, &h);
	node_set_powered(n, true);
	CU_ASSERT_STRING_EQUAL(h.log, "a-b-a+a-c-c+");
	net_free(net);
	sim_free(sim);
}

/* ---- BFD ---- */

/*
 * a and b Up with 300 ms x 3; a fails at 5 s (its link held down first, as
 * node-down does): a's session Down at once with no diagnostic and never a
 * packet until power-on at 8 s, when it sends a Down at once with a new
 * discriminator; b declares a down at its detection time after the last
 * packet of a's it heard, and both are Up again after the handshake.
 */
static void
test_bfd_power(void)
{
	const struct bfd_cfg cfg = bt_cfg(SIM_MS(300), SIM_MS(300), 3);
	struct bt t;
	uint32_t disc;
	sim_time last_rx;
	int k, last = -1;

	bt_build(&t, 7);
	bt_add(&t, 0, &cfg);
	bt_add(&t, 1, &cfg);
	sim_run_until(t.sim, SIM_S(5));
	CU_ASSERT_EQUAL_FATAL(bfd_session_state(t.s[0]), BFD_UP);
	CU_ASSERT_EQUAL_FATAL(bfd_session_state(t.s[1]), BFD_UP);
	disc = bfd_session_local_disc(t.s[0]);
	for (k = 0; k < t.tx[0].n; k++)
		if (t.tx[0].at[k] < SIM_S(5))
			last = k;
	CU_ASSERT_FATAL(last >= 0);
	last_rx = t.tx[0].at[last] + BT_D;
	t.log[0].n = t.log[1].n = 0;
	link_set_held(t.l, LINK_HOLD_NODE(0), true);
	node_set_powered(t.n[0], false);
	CU_ASSERT_EQUAL(bfd_session_state(t.s[0]), BFD_DOWN);
	CU_ASSERT_EQUAL(bfd_session_diag(t.s[0]), BFD_DIAG_NONE);
	CU_ASSERT_EQUAL(bfd_session_remote_disc(t.s[0]), 0);
	CU_ASSERT_EQUAL_FATAL(t.log[0].n, 1);
	CU_ASSERT_EQUAL(t.log[0].at[0], SIM_S(5));
	CU_ASSERT_EQUAL(t.log[0].old[0], BFD_UP);
	CU_ASSERT_EQUAL(t.log[0].state[0], BFD_DOWN);
	sim_run_until(t.sim, SIM_S(8));
	CU_ASSERT_EQUAL(bt_tx_count(&t, 0, SIM_S(5), SIM_S(8)), 0);
	CU_ASSERT_EQUAL_FATAL(t.log[1].n, 1);
	CU_ASSERT_EQUAL(t.log[1].state[0], BFD_DOWN);
	CU_ASSERT_EQUAL(t.log[1].diag[0], BFD_DIAG_TIME_EXPIRED);
	CU_ASSERT_EQUAL(t.log[1].at[0], last_rx + SIM_MS(900));
	link_set_held(t.l, LINK_HOLD_NODE(0), false);
	node_set_powered(t.n[0], true);
	CU_ASSERT_NOT_EQUAL(bfd_session_local_disc(t.s[0]), disc);
	sim_run_until(t.sim, SIM_S(12));
	k = bt_tx_after(&t, 0, SIM_S(8));
	CU_ASSERT_FATAL(k >= 0);
	CU_ASSERT_EQUAL(t.tx[0].at[k], SIM_S(8));
	CU_ASSERT_EQUAL(t.tx[0].c[k].state, BFD_DOWN);
	CU_ASSERT_EQUAL(t.tx[0].c[k].my_disc, bfd_session_local_disc(t.s[0]));
	CU_ASSERT_EQUAL(t.tx[0].c[k].your_disc, 0);
	CU_ASSERT_EQUAL(bfd_session_state(t.s[0]), BFD_UP);
	CU_ASSERT_EQUAL(bfd_session_state(t.s[1]), BFD_UP);
	bt_free(&t);
}

/* ---- BGP ---- */

/*
 * r1 (AS 65001, 10.1.0.0/24) and r2 (AS 65002, 10.2.0.0/24), hold 90 s;
 * r1 fails at 10 s and is back at 20 s, well within r2's hold time.
 */
static const char two_routers[] =
    "duration: 40s\n"
    "nodes:\n"
    "  - { name: r1, role: router, interfaces: [{ name: e0, address: "
    "10.0.0.1/30 }] }\n"
    "  - { name: r2, role: router, interfaces: [{ name: e0, address: "
    "10.0.0.2/30 }] }\n"
    "links:\n"
    "  - { name: l1, a: r1:e0, b: r2:e0, delay: 1ms }\n"
    "bgp:\n"
    "  - { node: r1, asn: 65001, networks: [{ prefix: 10.1.0.0/24 }], "
    "neighbors: [{ address: 10.0.0.2, remote_as: 65002, hold: 90s, "
    "bfd: BFD }] }\n"
    "  - { node: r2, asn: 65002, networks: [{ prefix: 10.2.0.0/24 }], "
    "neighbors: [{ address: 10.0.0.1, remote_as: 65001, hold: 90s, "
    "bfd: BFD }] }\n"
    "events:\n"
    "  - { at: 10s, action: node-down, node: r1 }\n"
    "  - { at: 20s, action: node-up, node: r1 }\n";

#define R1 0x0a000001u
#define R2 0x0a000002u
#define NET1 0x0a010000u
#define NET2 0x0a020000u

struct two {
	struct scenario *sc;
	struct run *r;
	struct node *n[2];
	struct bgp_speaker *sp[2];
};

static void
two_start(struct two *t, bool bfd, const char *dir)
{
	char text[sizeof(two_routers) + 8], *diag = NULL, err[256];
	struct run_opts o = { .out_dir = dir };
	const char *s = two_routers, *p;
	size_t k = 0;
	unsigned n_err = 0;
	int i;

	/* each BFD becomes true or false */
	while ((p = strstr(s, "BFD")) != NULL) {
		memcpy(text + k, s, (size_t)(p - s));
		k += (size_t)(p - s);
		k += (size_t)sprintf(text + k, "%s", bfd ? "true" : "false");
		s = p + 3;
	}
	snprintf(text + k, sizeof(text) - k, "%s", s);
	t->sc = load(text, &diag, &n_err);
	if (t->sc == NULL)
		fprintf(stderr, "%s", diag);
	free(diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t->sc);
	t->r = run_new(t->sc, &o, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(t->r);
	for (i = 0; i < 2; i++) {
		t->n[i] = net_find_node(run_net(t->r), i == 0 ? "r1" : "r2");
		CU_ASSERT_PTR_NOT_NULL_FATAL(t->n[i]);
		t->sp[i] = bgp_scenario_speaker(run_section_state(t->r, "bgp"),
		    t->n[i], 0);
		CU_ASSERT_PTR_NOT_NULL_FATAL(t->sp[i]);
	}
}

static void
two_free(struct two *t)
{
	run_free(t->r);
	scenario_free(t->sc);
}

static enum bgp_fsm_state
state(struct two *t, int i)
{
	return bgp_speaker_peer_state(t->sp[i], i == 0 ? R2 : R1);
}

static struct bgp_peer_stats
stats(struct two *t, int i)
{
	struct bgp_peer_stats st;

	CU_ASSERT_EQUAL(bgp_speaker_peer_stats(t->sp[i], i == 0 ? R2 : R1,
	    &st), 0);
	return st;
}

/* Node i's table has prefix/24 (BGP's or none). */
static bool
has_route(struct two *t, int i, uint32_t prefix)
{
	struct rib_route rt;

	return rib_best(node_rib(t->n[i], 0), prefix, 24, &rt);
}

/*
 * Without BFD: r1 is Idle at 10 s having sent nothing, with no route of
 * r2's left; r2 still believes in the session. At node-up r1 connects
 * (OPEN at 20.002000120 s): r2, Established, closes the new connection
 * as a collision (Cease 6/7, RFC 4271 6.8) at 20.003000262 s, and again
 * at r1's automatic retry 5 s later, until its own keepalive reaches r1,
 * whose TCP knows no such connection and resets it: r2's session fails at
 * 28.458566876 s, its retry at 33.46 s makes the new session, Established
 * at r2 at 33.462567206 s and at r1 at 33.463567206 s, the routes back.
 */
static void
test_bgp_reboot(void)
{
	struct two t;
	struct bgp_peer_stats st0, st;

	two_start(&t, false, NULL);
	run_advance(t.r, SIM_S(10) - 1);
	CU_ASSERT_EQUAL_FATAL(state(&t, 0), BGP_ST_ESTABLISHED);
	CU_ASSERT_TRUE(has_route(&t, 0, NET2));
	st0 = stats(&t, 0);
	run_advance(t.r, SIM_S(10));
	CU_ASSERT_FALSE(node_powered(t.n[0]));
	CU_ASSERT_EQUAL(state(&t, 0), BGP_ST_IDLE);
	CU_ASSERT_FALSE(has_route(&t, 0, NET2));
	CU_ASSERT_EQUAL(bgp_speaker_peer_in(t.sp[0], R2), 0);
	CU_ASSERT_EQUAL(bgp_speaker_peer_out(t.sp[0], R2), 0);
	st = stats(&t, 0);
	CU_ASSERT_EQUAL(st.msgs_out, st0.msgs_out);	/* no NOTIFICATION */
	CU_ASSERT_EQUAL(st.flaps, st0.flaps + 1);
	CU_ASSERT_EQUAL(st.last_down, SIM_S(10));
	run_advance(t.r, SIM_S(20) - 1);
	CU_ASSERT_EQUAL(state(&t, 0), BGP_ST_IDLE);	/* no timer ran */
	CU_ASSERT_EQUAL(stats(&t, 0).msgs_out, st0.msgs_out);
	CU_ASSERT_EQUAL(state(&t, 1), BGP_ST_ESTABLISHED);
	CU_ASSERT_TRUE(has_route(&t, 1, NET1));
	CU_ASSERT_EQUAL(stats(&t, 1).last_notif_rcvd[0], 0);
	run_advance(t.r, SIM_S(20));
	CU_ASSERT_TRUE(node_powered(t.n[0]));
	CU_ASSERT_EQUAL(state(&t, 0), BGP_ST_CONNECT);
	run_advance(t.r, SIM_NS(20003000262));
	st = stats(&t, 1);
	CU_ASSERT_EQUAL(st.last_notif_sent[0], BGP_ERR_CEASE);
	CU_ASSERT_EQUAL(st.last_notif_sent[1], BGP_CEASE_COLLISION);
	CU_ASSERT_EQUAL(state(&t, 1), BGP_ST_ESTABLISHED);
	run_advance(t.r, SIM_NS(28458566876) - 1);
	CU_ASSERT_EQUAL(state(&t, 1), BGP_ST_ESTABLISHED);
	run_advance(t.r, SIM_NS(28458566876));
	CU_ASSERT_NOT_EQUAL(state(&t, 1), BGP_ST_ESTABLISHED);
	CU_ASSERT_FALSE(has_route(&t, 1, NET1));
	run_advance(t.r, SIM_NS(33462567206) - 1);
	CU_ASSERT_NOT_EQUAL(state(&t, 1), BGP_ST_ESTABLISHED);
	run_advance(t.r, SIM_NS(33462567206));
	CU_ASSERT_EQUAL(state(&t, 1), BGP_ST_ESTABLISHED);
	CU_ASSERT_NOT_EQUAL(state(&t, 0), BGP_ST_ESTABLISHED);
	run_advance(t.r, SIM_NS(33463567206));
	CU_ASSERT_EQUAL(state(&t, 0), BGP_ST_ESTABLISHED);
	CU_ASSERT_EQUAL(stats(&t, 0).last_established, SIM_NS(33463567206));
	run_advance(t.r, SIM_S(34));
	CU_ASSERT_TRUE(has_route(&t, 0, NET2));
	CU_ASSERT_TRUE(has_route(&t, 1, NET1));
	two_free(&t);
}

/* The last BGP session record of node `node` in the trace: its state. */
static void
last_bgp_state(const char *dir, unsigned node, char *out, size_t len)
{
	char path[300], err[256];
	struct trace_reader *rd;
	struct trace_rec rec;
	int rc;

	snprintf(path, sizeof(path), "%s/trace.xct", dir);
	out[0] = '\0';
	rd = trace_reader_open(path, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
	while ((rc = trace_reader_next(rd, &rec, err, sizeof(err))) == 1)
		if (rec.type == TR_SESSION_STATE &&
		    rec.u.session.proto == TRP_BGP &&
		    rec.u.session.node == node)
			snprintf(out, len, "%lld %s", (long long)rec.t,
			    rec.u.session.state);
	CU_ASSERT_EQUAL(rc, 0);
	trace_reader_close(rd);
}

/*
 * With BFD: r2 drops the session at its detection time (10.864252962 s)
 * and is back to connecting; at node-up r1's BFD starts from Down and its
 * new connection is a new session at once: Established at r1 at
 * 20.004000330 s, at r2 at 20.005000330 s. r2's own connect, still trying
 * (Connect), is dropped without a word: the trace's last record of r2's
 * session says Established.
 */
static void
test_bgp_reboot_bfd(void)
{
	char *dir = test_tmpdir("/tmp/xcsim-nodepower-XXXXXX"), last[128],
	    err[256];
	struct two t;

	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	two_start(&t, true, dir);
	run_advance(t.r, SIM_NS(10864252962) - 1);
	CU_ASSERT_EQUAL(state(&t, 1), BGP_ST_ESTABLISHED);
	run_advance(t.r, SIM_NS(10864252962));
	CU_ASSERT_EQUAL(state(&t, 1), BGP_ST_IDLE);
	CU_ASSERT_EQUAL(stats(&t, 1).last_notif_sent[1], BGP_CEASE_BFD_DOWN);
	run_advance(t.r, SIM_NS(20004000330) - 1);
	CU_ASSERT_NOT_EQUAL(state(&t, 0), BGP_ST_ESTABLISHED);
	run_advance(t.r, SIM_NS(20004000330));
	CU_ASSERT_EQUAL(state(&t, 0), BGP_ST_ESTABLISHED);
	run_advance(t.r, SIM_NS(20005000330));
	CU_ASSERT_EQUAL(state(&t, 1), BGP_ST_ESTABLISHED);
	CU_ASSERT_EQUAL(bgp_speaker_peer_conns(t.sp[1], R1), 1);
	while (run_advance(t.r, run_end_time(t.r)))
		;
	CU_ASSERT_EQUAL(run_finish(t.r, err, sizeof(err)), 0);
	CU_ASSERT_TRUE(has_route(&t, 0, NET2));
	CU_ASSERT_TRUE(has_route(&t, 1, NET1));
	two_free(&t);
	last_bgp_state(dir, 1, last, sizeof(last));
	CU_ASSERT_STRING_EQUAL(last, "20005000330 Established");
}

/*
 * A neighbour following a gate (a closed gate stops it, docs/gates.md)
 * while its node is off from 10 s to 20 s: a stop or start asked then is
 * applied at power-on. GATE is the gate's first state and changes.
 */
static const char gated[] =
    "duration: 150s\n"
    "nodes:\n"
    "  - { name: r1, role: router, interfaces: [{ name: e0, address: "
    "10.0.0.1/30 }] }\n"
    "  - { name: r2, role: router, interfaces: [{ name: e0, address: "
    "10.0.0.2/30 }] }\n"
    "links:\n"
    "  - { name: l1, a: r1:e0, b: r2:e0, delay: 1ms }\n"
    "gates:\n"
    "  - { name: g, GATE }\n"
    "bgp:\n"
    "  - { node: r1, asn: 65001, neighbors: [{ address: 10.0.0.2, "
    "remote_as: 65002, gate: g }] }\n"
    "  - { node: r2, asn: 65002, neighbors: [{ address: 10.0.0.1, "
    "remote_as: 65001, passive: true }] }\n"
    "events:\n"
    "  - { at: 10s, action: node-down, node: r1 }\n"
    "  - { at: 20s, action: node-up, node: r1 }\n";

static struct run *
gated_run(const char *gate, struct scenario **sc, struct bgp_speaker **sp)
{
	char text[sizeof(gated) + 128], *diag = NULL, err[256];
	const char *p = strstr(gated, "GATE");
	struct run_opts o = { 0 };
	unsigned n_err = 0;
	struct run *r;

	snprintf(text, sizeof(text), "%.*s%s%s", (int)(p - gated), gated,
	    gate, p + 4);
	*sc = load(text, &diag, &n_err);
	if (*sc == NULL)
		fprintf(stderr, "%s", diag);
	free(diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(*sc);
	r = run_new(*sc, &o, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	*sp = bgp_scenario_speaker(run_section_state(r, "bgp"),
	    net_find_node(run_net(r), "r1"), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(*sp);
	return r;
}

static void
test_gate_while_off(void)
{
	struct scenario *sc;
	struct bgp_speaker *sp;
	struct run *r;

	/* open, closed at 15 s (off), open again at 25 s */
	r = gated_run("open: true, changes: [{ at: 15s, open: false }, "
	    "{ at: 25s, open: true }]", &sc, &sp);
	run_advance(r, SIM_S(10) - 1);
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(sp, R2), BGP_ST_ESTABLISHED);
	run_advance(r, SIM_S(20));
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(sp, R2), BGP_ST_IDLE);
	run_advance(r, SIM_S(25) - 1);
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(sp, R2), BGP_ST_IDLE);
	run_advance(r, SIM_S(25));
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(sp, R2), BGP_ST_CONNECT);
	/*
	 * r2 still believes in the old session: it closes the new
	 * connection (Cease 6/7, RFC 4271 6.8), its KEEPALIVE meets r1's
	 * reset at 25.858734605 s, it waits passive from 30.858734605 s
	 * while r1, refused again in Idle at 30.008000558 s, waits in
	 * Active for its ConnectRetryTimer.
	 */
	run_advance(r, SIM_NS(25004000332));
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(sp, R2), BGP_ST_IDLE);
	run_advance(r, SIM_NS(147184494260) - 1);
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(sp, R2), BGP_ST_OPENCONFIRM);
	run_advance(r, SIM_NS(147184494260));
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(sp, R2), BGP_ST_ESTABLISHED);
	run_free(r);
	scenario_free(sc);
	/* closed, opened at 15 s while off: started at power-on */
	r = gated_run("open: false, changes: [{ at: 15s, open: true }]", &sc,
	    &sp);
	run_advance(r, SIM_S(20) - 1);
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(sp, R2), BGP_ST_IDLE);
	run_advance(r, SIM_S(20));
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(sp, R2), BGP_ST_CONNECT);
	run_advance(r, SIM_S(21));
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(sp, R2), BGP_ST_ESTABLISHED);
	run_free(r);
	scenario_free(sc);
}

/*
 * r1's neighbour r2 follows a gate opened at 15 s while r1 is off (10 s
 * to 20 s); its neighbour r3 runs throughout. At power-on the BGP speaker
 * starts r2's neighbour and with it a new BFD session: that one is new
 * already and is not restarted again by BFD's own power-on (review7
 * finding 11: a second discriminator and a second "Down" record). r1's
 * BFD records at 20 s: r2's "session added", r3's "node powered on";
 * both Up at 20.002000173 s.
 */
static const char gated_bfd[] =
    "duration: 25s\n"
    "nodes:\n"
    "  - { name: r1, role: router, interfaces: [{ name: e0, address: "
    "10.0.0.1/30 }, { name: e1, address: 10.0.1.1/30 }] }\n"
    "  - { name: r2, role: router, interfaces: [{ name: e0, address: "
    "10.0.0.2/30 }] }\n"
    "  - { name: r3, role: router, interfaces: [{ name: e0, address: "
    "10.0.1.2/30 }] }\n"
    "links:\n"
    "  - { name: l1, a: r1:e0, b: r2:e0, delay: 1ms }\n"
    "  - { name: l2, a: r1:e1, b: r3:e0, delay: 1ms }\n"
    "gates:\n"
    "  - { name: g, open: false, changes: [{ at: 15s, open: true }] }\n"
    "bgp:\n"
    "  - { node: r1, asn: 65001, neighbors: [{ address: 10.0.0.2, "
    "remote_as: 65002, gate: g, bfd: true }, { address: 10.0.1.2, "
    "remote_as: 65003, bfd: true }] }\n"
    "  - { node: r2, asn: 65002, neighbors: [{ address: 10.0.0.1, "
    "remote_as: 65001, bfd: true }] }\n"
    "  - { node: r3, asn: 65003, neighbors: [{ address: 10.0.1.1, "
    "remote_as: 65001, bfd: true }] }\n"
    "events:\n"
    "  - { at: 10s, action: node-down, node: r1 }\n"
    "  - { at: 20s, action: node-up, node: r1 }\n";

static void
test_bfd_added_at_power_on(void)
{
	char *dir = test_tmpdir_path(), err[256], path[300], *diag = NULL,
	    got[512] = "";
	struct run_opts o = { 0 };
	struct trace_reader *rd;
	struct trace_rec rec;
	struct scenario *sc;
	struct run *r;
	unsigned n_err = 0;
	size_t k = 0;
	int rc;

	/* the suite's folder (bgp_reboot_bfd's, if it ran) */
	if (dir[0] == '\0')
		dir = test_tmpdir("/tmp/xcsim-nodepower-XXXXXX");
	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	o.out_dir = dir;
	sc = load(gated_bfd, &diag, &n_err);
	if (sc == NULL)
		fprintf(stderr, "%s", diag);
	free(diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	r = run_new(sc, &o, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	while (run_advance(r, run_end_time(r)))
		;
	CU_ASSERT_EQUAL(run_finish(r, err, sizeof(err)), 0);
	run_free(r);
	scenario_free(sc);
	snprintf(path, sizeof(path), "%s/trace.xct", dir);
	rd = trace_reader_open(path, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
	while ((rc = trace_reader_next(rd, &rec, err, sizeof(err))) == 1)
		if (rec.type == TR_SESSION_STATE &&
		    rec.u.session.proto == TRP_BFD && rec.u.session.node == 0 &&
		    rec.t >= SIM_S(20) && k < sizeof(got))
			k += (size_t)snprintf(got + k, sizeof(got) - k,
			    "%lld %s %s %s|", (long long)rec.t,
			    rec.u.session.peer, rec.u.session.state,
			    rec.u.session.reason);
	CU_ASSERT_EQUAL(rc, 0);
	trace_reader_close(rd);
	CU_ASSERT_STRING_EQUAL(got,
	    "20000000000 10.0.0.2 Down session added|"
	    "20000000000 10.0.1.2 Down node powered on|"
	    "20002000173 10.0.0.2 Up received Init|"
	    "20002000173 10.0.1.2 Up received Init|");
}

int
main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{ "listeners", test_listeners },
		{ "bfd_power", test_bfd_power },
		{ "bgp_reboot", test_bgp_reboot },
		{ "bgp_reboot_bfd", test_bgp_reboot_bfd },
		{ "gate_while_off", test_gate_while_off },
		{ "bfd_added_at_power_on", test_bfd_added_at_power_on },
		{ NULL, NULL }
	};

	scenario_models_init();
	return test_main(argc, argv, "node_power", cases);
}
