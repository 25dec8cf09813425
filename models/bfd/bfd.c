/*
 * bfd.c - BFD sessions: RFC 5880 asynchronous mode over RFC 5881.
 *
 * The state variables are RFC 5880 6.8.1's, intervals in microseconds as
 * on the wire. Two values stand apart from what a session advertises, so
 * that 6.8.3 holds while a Poll Sequence runs: tx_used is the desired min
 * TX the transmit interval is computed from (an increase waits for the
 * Final) and rx_used the required min RX the detection time is computed
 * from (a decrease waits for the Final).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bfd.h"
#include "net.h"
#include "pkt.h"
#include "rng.h"
#include "sim.h"
#include "timer.h"
#include "trace.h"
#include "util.h"
#include "wire.h"

#define US_PER_S 1000000u
#define SLOW_TX_US ((uint32_t)(BFD_SLOW_TX / 1000))

const struct bfd_cfg bfd_msee_cfg = {
	.desired_min_tx = BFD_MSEE_TX,
	.required_min_rx = BFD_MSEE_RX,
	.detect_mult = BFD_MSEE_MULT,
};

/* The port 3784 binding of one (node, VRF). */
struct bfd_bind {
	struct bfd *b;
	struct node *n;
	uint32_t vrf;
};

/*
 * Per node: the stream its discriminators are drawn from; the node's power
 * is listened to from its first session on.
 */
struct bfd_node {
	struct node *n;
	struct rng discr;
};

struct bfd {
	struct net *net;
	struct sim *sim;
	struct bfd_bind **binds;
	size_t n_binds;
	struct bfd_node *nodes;
	size_t n_nodes;
	struct bfd_session **ss;
	size_t n_ss;
	uint64_t drops[BFD_RX_ERR_MAX];
};

struct bfd_session {
	struct bfd *b;
	struct node *n;
	uint32_t vrf, local, peer;
	uint16_t sport;
	struct bfd_cfg cfg;
	bfd_state_fn fn;
	void *ctx;
	char peer_str[40];
	struct rng rng;		/* the jitter */
	struct timer_set ts;
	struct timer tx, detect;
	enum bfd_state state, remote_state;
	enum bfd_diag diag;
	uint32_t local_disc, remote_disc;
	uint32_t des_min_tx, req_min_rx;	/* as advertised */
	uint32_t tx_used, rx_used;		/* in effect (above) */
	uint32_t remote_min_rx, remote_des_tx;
	uint8_t remote_mult;
	bool remote_demand;	/* bfd.RemoteDemandMode */
	bool polling;
	bool in_cb, dead;
	/*
	 * Silent since its node lost its power (or added while off): the
	 * power-on restarts it. One its client adds during the power-on
	 * itself (a BGP neighbour started then) is new already.
	 */
	bool off;
	struct bfd_stats st;
};

static void session_free(struct bfd_session *s);
static void power_changed(struct node *n, bool on, void *ctx);

static sim_time
us_to_ns(uint32_t us)
{
	return (sim_time)us * 1000;
}

static bool
cfg_ok(const struct bfd_cfg *c, char *err, size_t errlen)
{
	const sim_time max = us_to_ns(UINT32_MAX);

	if (c->desired_min_tx <= 0 || c->desired_min_tx > max ||
	    c->desired_min_tx % 1000 != 0) {
		snprintf(err, errlen, "bfd: desired min tx must be 1 us .. "
		    "4294 s in whole microseconds");
		return false;
	}
	if (c->required_min_rx < 0 || c->required_min_rx > max ||
	    c->required_min_rx % 1000 != 0) {
		snprintf(err, errlen, "bfd: required min rx must be 0 .. "
		    "4294 s in whole microseconds");
		return false;
	}
	if (c->detect_mult == 0) {
		snprintf(err, errlen, "bfd: detect mult must be 1 .. 255");
		return false;
	}
	return true;
}

/* --- timers (RFC 5880 6.8.2 - 6.8.4, 6.8.7) ------------------------- */

/*
 * 6.8.2; 0 when the peer wants no periodic packets: a required min RX of
 * 0, or Demand mode active on it (6.8.7: D set, both sides Up).
 */
static sim_time
tx_interval(const struct bfd_session *s)
{
	if (s->remote_min_rx == 0 || (s->remote_demand &&
	    s->state == BFD_UP && s->remote_state == BFD_UP))
		return 0;
	return us_to_ns(s->tx_used > s->remote_min_rx ? s->tx_used :
	    s->remote_min_rx);
}

/* 6.8.4: the remote's multiplier times the slower of the two rates. */
static sim_time
detect_time(const struct bfd_session *s)
{
	if (s->remote_mult == 0)
		return 0;
	return (sim_time)s->remote_mult * us_to_ns(s->rx_used >
	    s->remote_des_tx ? s->rx_used : s->remote_des_tx);
}

/*
 * 6.8.7: each interval reduced by 0-25% (to 75-90% with detect mult 1),
 * drawn in whole nanoseconds from the session's stream.
 */
static sim_time
jitter(struct bfd_session *s, sim_time iv)
{
	sim_time lo = iv - iv / 4;
	sim_time hi = s->cfg.detect_mult == 1 ? iv * 9 / 10 : iv;

	if (hi < lo)
		hi = lo;
	return lo + (sim_time)rng_below(&s->rng, (uint64_t)(hi - lo) + 1);
}

/*
 * 6.8.3: bring the advertised timers to the configuration (at least 1 s
 * of desired TX while not Up). While Up a change starts a Poll Sequence
 * and only what may change at once does; otherwise all of it applies now.
 */
static void
apply_timers(struct bfd_session *s)
{
	uint32_t tx = (uint32_t)(s->cfg.desired_min_tx / 1000);
	uint32_t rx = (uint32_t)(s->cfg.required_min_rx / 1000);

	if (s->state != BFD_UP && tx < SLOW_TX_US)
		tx = SLOW_TX_US;
	if (s->state != BFD_UP) {
		s->polling = false;
		s->des_min_tx = s->tx_used = tx;
		s->req_min_rx = s->rx_used = rx;
		return;
	}
	if (tx == s->des_min_tx && rx == s->req_min_rx)
		return;
	s->des_min_tx = tx;
	s->req_min_rx = rx;
	if (tx < s->tx_used)
		s->tx_used = tx;
	if (rx > s->rx_used)
		s->rx_used = rx;
	if (!s->polling)
		s->st.polls++;
	s->polling = true;
}

/* --- transmission ---------------------------------------------------- */

static void
send_ctl(struct bfd_session *s, bool final)
{
	struct sim *sim = s->b->sim;
	struct udp_hdr udp;
	struct bfd_ctl c;
	struct pkt *p;
	sim_time iv;

	bfd_ctl_init(&c);
	c.diag = (uint8_t)s->diag;
	c.state = (uint8_t)s->state;
	/* 6.8.7: never P and F together; the Final goes out at once. */
	if (final)
		c.flags = BFD_FLAG_F;
	else if (s->polling)
		c.flags = BFD_FLAG_P;
	c.detect_mult = s->cfg.detect_mult;
	c.my_disc = s->local_disc;
	c.your_disc = s->remote_disc;
	c.des_min_tx = s->des_min_tx;
	c.req_min_rx = s->req_min_rx;
	p = pkt_alloc(sim, BFD_HDR_LEN);
	bfd_pkt_encode(&c, p->data);
	memset(&udp, 0, sizeof(udp));
	udp.sport = s->sport;
	udp.dport = BFD_PORT;
	wire_push_udp(sim, p, &udp, s->local, s->peer);
	s->st.tx++;
	node_send_ip(s->n, s->vrf, p, s->local, s->peer, WIRE_IPPROTO_UDP,
	    BFD_TTL, 0);
	iv = tx_interval(s);
	if (iv > 0)
		timer_start(&s->tx, jitter(s, iv));
	else
		timer_stop(&s->tx);
}

static void
tx_fire(struct timer *tm, void *arg)
{
	(void)tm;
	send_ctl(arg, false);
}

/* --- state ----------------------------------------------------------- */

static void
change(struct bfd_session *s, enum bfd_state to, enum bfd_diag diag,
    const char *reason)
{
	struct sim *sim = s->b->sim;

	if (s->state == BFD_UP)
		s->st.downs++;
	if (to == BFD_UP)
		s->st.ups++;
	s->state = to;
	s->diag = to == BFD_UP ? BFD_DIAG_NONE : diag;
	s->st.last_change = sim_now(sim);
	apply_timers(s);
	trace_session(net_trace(s->b->net), sim_now(sim), TRP_BFD,
	    node_id(s->n), s->peer_str, bfd_state_name[to], reason);
}

/*
 * Tell the client, last of all: it may remove the session. Returns true
 * if it did (s is gone).
 */
static bool
notify(struct bfd_session *s, enum bfd_state old)
{
	if (s->fn == NULL || old == s->state)
		return false;
	s->in_cb = true;
	s->fn(s, old, s->state, s->diag, s->ctx);
	s->in_cb = false;
	if (s->dead) {
		session_free(s);
		return true;
	}
	return false;
}

static void
detect_fire(struct timer *tm, void *arg)
{
	struct bfd_session *s = arg;
	enum bfd_state old = s->state;

	(void)tm;
	/* 6.8.1: the remote's discriminator is forgotten in any state. */
	s->remote_disc = 0;
	s->remote_state = BFD_DOWN;
	if (old != BFD_INIT && old != BFD_UP)
		return;
	change(s, BFD_DOWN, BFD_DIAG_TIME_EXPIRED,
	    "control detection time expired");
	send_ctl(s, false);
	notify(s, old);
}

/* A packet that passed every check (RFC 5880 6.8.6, after the checks). */
static void
session_rx(struct bfd_session *s, const struct bfd_ctl *c)
{
	enum bfd_state old = s->state, to = s->state;
	enum bfd_diag diag = s->diag;
	const char *reason = NULL;
	sim_time iv_old = tx_interval(s), iv, dt;
	bool poll = (c->flags & BFD_FLAG_P) != 0;

	s->st.rx++;
	s->remote_disc = c->my_disc;
	s->remote_state = c->state;
	s->remote_min_rx = c->req_min_rx;
	s->remote_des_tx = c->des_min_tx;
	s->remote_mult = c->detect_mult;
	s->remote_demand = (c->flags & BFD_FLAG_D) != 0;
	if (s->polling && (c->flags & BFD_FLAG_F)) {
		s->polling = false;
		s->tx_used = s->des_min_tx;
		s->rx_used = s->req_min_rx;
		s->st.finals_rx++;
	}
	if (s->state == BFD_ADMIN_DOWN)
		return;
	if (c->state == BFD_ADMIN_DOWN) {
		if (s->state != BFD_DOWN) {
			to = BFD_DOWN;
			diag = BFD_DIAG_NEIGHBOR_DOWN;
			reason = "neighbor signaled AdminDown";
		}
	} else if (s->state == BFD_DOWN) {
		if (c->state == BFD_DOWN) {
			to = BFD_INIT;
			reason = "received Down";
		} else if (c->state == BFD_INIT) {
			to = BFD_UP;
			reason = "received Init";
		}
	} else if (s->state == BFD_INIT) {
		if (c->state == BFD_INIT || c->state == BFD_UP) {
			to = BFD_UP;
			reason = c->state == BFD_UP ? "received Up" :
			    "received Init";
		}
	} else if (c->state == BFD_DOWN) {
		to = BFD_DOWN;
		diag = BFD_DIAG_NEIGHBOR_DOWN;
		reason = "neighbor signaled Down";
	}
	if (to != old)
		change(s, to, diag, reason);
	dt = detect_time(s);
	if (dt > 0)
		timer_start(&s->detect, dt);
	if (to != old || poll) {
		/* 6.8.7: a changed packet, or the Final, goes out now. */
		send_ctl(s, poll);
	} else if ((iv = tx_interval(s)) != iv_old) {
		/* The peer moved our rate: never faster than allowed. */
		if (iv == 0)
			timer_stop(&s->tx);
		else if (iv > iv_old || !timer_is_running(&s->tx) ||
		    timer_remaining(&s->tx) > iv)
			timer_start(&s->tx, jitter(s, iv));
	}
	notify(s, old);
}

/* --- reception ------------------------------------------------------- */

/*
 * Drop with the reason in the trace. p is at the UDP payload: step back
 * over the UDP header that local delivery pulled, so the drop's length is
 * the datagram's like every other drop.
 */
static void
rx_drop(struct bfd *b, struct bfd_session *s, struct node *n, struct pkt *p,
    const struct wire_frame *f, enum bfd_rx_err err)
{
	enum trace_drop why = DROP_MALFORMED;

	if (s != NULL)
		s->st.rx_drops[err]++;
	else
		b->drops[err]++;
	if (err == BFD_RX_NO_SESSION)
		why = DROP_NO_LISTENER;
	else if (err == BFD_RX_TTL || err == BFD_RX_AUTH)
		why = DROP_FILTER;
	pkt_push(b->sim, p, WIRE_UDP_HLEN);
	node_drop_l4(n, p, f, why, bfd_rx_err_name[err]);
}

static struct bfd_session *
find_disc(const struct bfd *b, const struct node *n, uint32_t vrf,
    uint32_t disc)
{
	size_t i;

	for (i = 0; i < b->n_ss; i++)
		if (b->ss[i]->n == n && b->ss[i]->local_disc == disc)
			return b->ss[i]->vrf == vrf ? b->ss[i] : NULL;
	return NULL;
}

static void
udp_rx(struct node *n, struct pkt *p, const struct wire_frame *f, void *ctx)
{
	struct bfd_bind *bd = ctx;
	struct bfd *b = bd->b;
	struct bfd_session *s;
	uint8_t buf[BFD_HDR_LEN];
	struct bfd_ctl c;
	enum bfd_rx_err err;
	size_t real = p->len < sizeof(buf) ? p->len : sizeof(buf);

	/* Virtual payload bytes are zeros. */
	memset(buf, 0, sizeof(buf));
	memcpy(buf, p->data, real);
	err = bfd_pkt_decode(buf, pkt_wire_len(p), &c);
	if (err != BFD_RX_OK) {
		rx_drop(b, NULL, n, p, f, err);
		return;
	}
	if (c.your_disc != 0)
		s = find_disc(b, n, bd->vrf, c.your_disc);
	else {
		s = bfd_session_find(b, n, bd->vrf, f->ip.src);
		if (s != NULL && s->local != f->ip.dst)
			s = NULL;
	}
	if (s == NULL) {
		rx_drop(b, NULL, n, p, f, BFD_RX_NO_SESSION);
		return;
	}
	if (f->ip.ttl != BFD_TTL) {
		rx_drop(b, s, n, p, f, BFD_RX_TTL);
		return;
	}
	if (c.flags & BFD_FLAG_A) {
		rx_drop(b, s, n, p, f, BFD_RX_AUTH);
		return;
	}
	pkt_free(b->sim, p);
	session_rx(s, &c);
}

/* Nothing is sent to a session's source port: drop what comes. */
static void
sport_rx(struct node *n, struct pkt *p, const struct wire_frame *f,
    void *ctx)
{
	struct bfd_session *s = ctx;

	rx_drop(s->b, NULL, n, p, f, BFD_RX_NO_SESSION);
}

/* Port unreachable (no BFD at the peer) and the like. */
static void
sport_err(struct node *n, const struct node_icmp_err *e, void *ctx)
{
	struct bfd_session *s = ctx;

	(void)n;
	(void)e;
	s->st.icmp_errors++;
}

/* --- sessions -------------------------------------------------------- */

struct bfd *
bfd_new(struct net *net)
{
	struct bfd *b = xcalloc(1, sizeof(*b));

	b->net = net;
	b->sim = net_sim(net);
	return b;
}

static struct bfd_node *
node_info(struct bfd *b, struct node *n)
{
	char name[300];
	size_t i;

	for (i = 0; i < b->n_nodes; i++)
		if (b->nodes[i].n == n)
			return &b->nodes[i];
	b->nodes = xrealloc(b->nodes, (b->n_nodes + 1) * sizeof(*b->nodes));
	b->nodes[b->n_nodes].n = n;
	snprintf(name, sizeof(name), "bfd/discr/%s", node_name(n));
	rng_init(&b->nodes[b->n_nodes].discr, sim_seed(b->sim), name);
	node_add_power_listener(n, power_changed, b);
	return &b->nodes[b->n_nodes++];
}

/* 6.8.1: nonzero, unique on the node, random. */
static uint32_t
new_disc(struct bfd *b, struct node *n)
{
	struct bfd_node *bn = node_info(b, n);
	size_t i;
	uint32_t d;

	for (;;) {
		d = (uint32_t)rng_u64(&bn->discr);
		if (d == 0)
			continue;
		for (i = 0; i < b->n_ss; i++)
			if (b->ss[i]->n == n && b->ss[i]->local_disc == d)
				break;
		if (i == b->n_ss)
			return d;
	}
}

static struct bfd_bind *
find_bind(const struct bfd *b, const struct node *n, uint32_t vrf)
{
	size_t i;

	for (i = 0; i < b->n_binds; i++)
		if (b->binds[i]->n == n && b->binds[i]->vrf == vrf)
			return b->binds[i];
	return NULL;
}

static bool
sport_used(const struct bfd *b, const struct node *n, uint16_t port)
{
	size_t i;

	for (i = 0; i < b->n_ss; i++)
		if (b->ss[i]->n == n && b->ss[i]->sport == port)
			return true;
	return false;
}

/* RFC 5881 4: a source port of the range, unique on the node. */
static int
bind_sport(struct bfd_session *s)
{
	uint32_t port;

	for (port = BFD_SPORT_MIN; port <= BFD_SPORT_MAX; port++) {
		if (sport_used(s->b, s->n, (uint16_t)port))
			continue;
		if (node_bind_udp(s->n, s->vrf, (uint16_t)port, sport_rx,
		    sport_err, s) == 0) {
			s->sport = (uint16_t)port;
			return 0;
		}
	}
	return -1;
}

struct bfd_session *
bfd_session_add(struct bfd *b, struct node *n, uint32_t vrf, uint32_t local,
    uint32_t peer, const struct bfd_cfg *cfg, bfd_state_fn fn, void *ctx,
    char *err, size_t errlen)
{
	struct bfd_session *s;
	struct bfd_bind *bd;
	char pa[16], name[340];

	if (!cfg_ok(cfg, err, errlen))
		return NULL;
	wire_ip_str(peer, pa);
	if (bfd_session_find(b, n, vrf, peer) != NULL) {
		snprintf(err, errlen, "bfd: %s already has a session to %s",
		    node_name(n), pa);
		return NULL;
	}
	if (local == 0 && (local = node_source_for(n, vrf, peer)) == 0) {
		snprintf(err, errlen, "bfd: %s has no route to %s",
		    node_name(n), pa);
		return NULL;
	}
	if ((bd = find_bind(b, n, vrf)) == NULL) {
		bd = xcalloc(1, sizeof(*bd));
		bd->b = b;
		bd->n = n;
		bd->vrf = vrf;
		if (node_bind_udp(n, vrf, BFD_PORT, udp_rx, NULL, bd) != 0) {
			free(bd);
			snprintf(err, errlen, "bfd: udp port %u of %s is taken",
			    BFD_PORT, node_name(n));
			return NULL;
		}
		b->binds = xrealloc(b->binds,
		    (b->n_binds + 1) * sizeof(*b->binds));
		b->binds[b->n_binds++] = bd;
	}
	s = xcalloc(1, sizeof(*s));
	s->b = b;
	s->n = n;
	s->vrf = vrf;
	s->local = local;
	s->peer = peer;
	s->cfg = *cfg;
	s->fn = fn;
	s->ctx = ctx;
	if (bind_sport(s) != 0) {
		free(s);
		snprintf(err, errlen, "bfd: %s has no free source port",
		    node_name(n));
		return NULL;
	}
	if (vrf == VRF_DEFAULT)
		snprintf(s->peer_str, sizeof(s->peer_str), "%s", pa);
	else
		snprintf(s->peer_str, sizeof(s->peer_str), "%s vrf %u", pa,
		    vrf);
	snprintf(name, sizeof(name), "bfd/%s/%s", node_name(n), s->peer_str);
	rng_init(&s->rng, sim_seed(b->sim), name);
	s->local_disc = new_disc(b, n);
	s->state = s->remote_state = BFD_DOWN;
	s->remote_min_rx = 1;	/* 6.8.1 */
	apply_timers(s);
	timer_set_init(&s->ts);
	timer_init(&s->tx, b->sim, &s->ts, tx_fire, s);
	timer_init(&s->detect, b->sim, &s->ts, detect_fire, s);
	b->ss = xrealloc(b->ss, (b->n_ss + 1) * sizeof(*b->ss));
	b->ss[b->n_ss++] = s;
	if (net_trace(b->net) != NULL)	/* the viewer decodes its packets */
		(void)net_trace_keep_whole(b->net, WIRE_IPPROTO_UDP, BFD_PORT);
	trace_session(net_trace(b->net), sim_now(b->sim), TRP_BFD, node_id(n),
	    s->peer_str, bfd_state_name[BFD_DOWN], "session added");
	/* on a node powered off: silent until it is back (power_on) */
	s->off = !node_powered(n);
	if (!s->off)
		timer_start(&s->tx, 0);
	return s;
}

static void
session_free(struct bfd_session *s)
{
	timer_set_destroy(&s->ts);
	node_unbind_udp(s->n, s->vrf, s->sport);
	free(s);
}

void
bfd_session_remove(struct bfd_session *s)
{
	struct bfd *b = s->b;
	size_t i;

	for (i = 0; i < b->n_ss; i++)
		if (b->ss[i] == s) {
			b->ss[i] = b->ss[--b->n_ss];
			break;
		}
	trace_session(net_trace(b->net), sim_now(b->sim), TRP_BFD,
	    node_id(s->n), s->peer_str, bfd_state_name[BFD_ADMIN_DOWN],
	    "session removed");
	if (s->in_cb) {
		/* notify() frees it once the callback returns */
		timer_set_destroy(&s->ts);
		s->dead = true;
		return;
	}
	session_free(s);
}

void
bfd_free(struct bfd *b)
{
	size_t i;

	if (b == NULL)
		return;
	for (i = 0; i < b->n_ss; i++)
		session_free(b->ss[i]);
	for (i = 0; i < b->n_nodes; i++)
		node_remove_power_listener(b->nodes[i].n, power_changed, b);
	for (i = 0; i < b->n_binds; i++) {
		node_unbind_udp(b->binds[i]->n, b->binds[i]->vrf, BFD_PORT);
		free(b->binds[i]);
	}
	free(b->ss);
	free(b->binds);
	free(b->nodes);
	free(b);
}

/*
 * The node lost its power: its sessions go Down at once (not AdminDown:
 * that is a state a live system signals, and a dead one sends nothing),
 * forget everything they learnt from the peer and stop their timers. At
 * power-on each starts again as a new session would, with a new
 * discriminator (6.8.1: a restarted system picks one afresh), so the peer,
 * still Up until its detection time, hears Down and goes through the
 * handshake again.
 */
static void
power_off(struct bfd_session *s)
{
	enum bfd_state old = s->state;

	s->off = true;
	timer_set_stop_all(&s->ts);
	s->remote_disc = 0;
	s->remote_state = BFD_DOWN;
	s->remote_min_rx = 1;
	s->remote_des_tx = 0;
	s->remote_mult = 0;
	s->remote_demand = false;
	s->polling = false;
	if (old != BFD_DOWN)
		change(s, BFD_DOWN, BFD_DIAG_NONE, "node powered off");
	s->diag = BFD_DIAG_NONE;
	notify(s, old);
}

static void
power_on(struct bfd_session *s)
{
	if (!s->off)
		return;		/* added by a client told first: running */
	s->off = false;
	s->local_disc = new_disc(s->b, s->n);
	apply_timers(s);
	trace_session(net_trace(s->b->net), sim_now(s->b->sim), TRP_BFD,
	    node_id(s->n), s->peer_str, bfd_state_name[s->state],
	    "node powered on");
	timer_start(&s->tx, 0);
}

static void
power_changed(struct node *n, bool on, void *ctx)
{
	struct bfd *b = ctx;
	struct bfd_session **v;
	size_t i, k, cnt = 0;

	/* a client told may remove sessions: work on a copy, checked */
	v = xmalloc((b->n_ss + 1) * sizeof(*v));
	for (i = 0; i < b->n_ss; i++)
		if (b->ss[i]->n == n)
			v[cnt++] = b->ss[i];
	for (i = 0; i < cnt; i++) {
		for (k = 0; k < b->n_ss && b->ss[k] != v[i]; k++)
			;
		if (k == b->n_ss)
			continue;	/* removed by an earlier one's client */
		if (on)
			power_on(v[i]);
		else
			power_off(v[i]);
	}
	free(v);
}

void
bfd_session_admin(struct bfd_session *s, bool down)
{
	enum bfd_state old = s->state;

	if (down == (old == BFD_ADMIN_DOWN) || s->dead)
		return;
	if (down) {
		/* 6.8.16: no detection while administratively down. */
		timer_stop(&s->detect);
		change(s, BFD_ADMIN_DOWN, BFD_DIAG_ADMIN_DOWN,
		    "administratively down");
	} else
		change(s, BFD_DOWN, s->diag, "administratively enabled");
	send_ctl(s, false);
	notify(s, old);
}

int
bfd_session_set_cfg(struct bfd_session *s, const struct bfd_cfg *cfg)
{
	char err[128];
	uint32_t tx = s->des_min_tx, rx = s->req_min_rx;
	uint8_t mult = s->cfg.detect_mult;

	if (!cfg_ok(cfg, err, sizeof(err)))
		return -1;
	s->cfg = *cfg;
	apply_timers(s);
	if (!s->dead && (tx != s->des_min_tx || rx != s->req_min_rx ||
	    mult != s->cfg.detect_mult))
		send_ctl(s, false);
	return 0;
}

struct bfd_session *
bfd_session_find(const struct bfd *b, const struct node *n, uint32_t vrf,
    uint32_t peer)
{
	size_t i;

	for (i = 0; i < b->n_ss; i++)
		if (b->ss[i]->n == n && b->ss[i]->vrf == vrf &&
		    b->ss[i]->peer == peer)
			return b->ss[i];
	return NULL;
}

enum bfd_state
bfd_session_state(const struct bfd_session *s)
{
	return s->state;
}

enum bfd_state
bfd_session_remote_state(const struct bfd_session *s)
{
	return s->remote_state;
}

enum bfd_diag
bfd_session_diag(const struct bfd_session *s)
{
	return s->diag;
}

const struct bfd_stats *
bfd_session_stats(const struct bfd_session *s)
{
	return &s->st;
}

uint32_t
bfd_session_local_disc(const struct bfd_session *s)
{
	return s->local_disc;
}

uint32_t
bfd_session_remote_disc(const struct bfd_session *s)
{
	return s->remote_disc;
}

uint16_t
bfd_session_sport(const struct bfd_session *s)
{
	return s->sport;
}

uint32_t
bfd_session_local_addr(const struct bfd_session *s)
{
	return s->local;
}

bool
bfd_session_polling(const struct bfd_session *s)
{
	return s->polling;
}

sim_time
bfd_session_tx_interval(const struct bfd_session *s)
{
	return tx_interval(s);
}

sim_time
bfd_session_detect_time(const struct bfd_session *s)
{
	return detect_time(s);
}

const uint64_t *
bfd_rx_drops(const struct bfd *b)
{
	return b->drops;
}
