/*
 * tcp.c - the simulated TCP's stack per node: registration as the node's
 * protocol 6 handler, connections in a hash table by (VRF, local address
 * and port, remote address and port), listeners, ephemeral ports,
 * observers, and the stream API backend (stream.h) over connections.
 *
 * Segment processing is in tcp_input.c, sending in tcp_output.c, timers in
 * tcp_timer.c.
 */
#include <stdlib.h>
#include <string.h>

#include "net.h"
#include "sim.h"
#include "tcp_int.h"
#include "util.h"

const char *const tcp_state_name[TCP_STATE_MAX] = {
	"CLOSED", "LISTEN", "SYN_SENT", "SYN_RECEIVED", "ESTABLISHED",
	"FIN_WAIT_1", "FIN_WAIT_2", "CLOSE_WAIT", "CLOSING", "LAST_ACK",
	"TIME_WAIT",
};

void
tcp_cfg_default(struct tcp_cfg *c)
{
	memset(c, 0, sizeof(*c));
	c->sndbuf = 131072;		/* TcpSocket::SndBufSize */
	c->rcvbuf = 131072;		/* TcpSocket::RcvBufSize */
	c->mss = 0;
	c->init_cwnd = 10;		/* TcpSocket::InitialCwnd */
	c->init_ssthresh = UINT32_MAX;	/* TcpSocket::InitialSlowStartThreshold */
	c->cc = TCP_CC_NEWRENO;		/* TcpL4Protocol::SocketType */
	c->nodelay = true;		/* TcpSocket::TcpNoDelay */
	c->timestamps = true;		/* TcpSocketBase::Timestamp */
	c->sack = true;			/* TcpSocketBase::Sack */
	c->wscale = true;		/* TcpSocketBase::WindowScaling */
	c->limited_transmit = true;	/* TcpSocketBase::LimitedTransmit */
	c->dupack_thresh = 3;		/* TcpSocketBase::ReTxThreshold */
	c->delack_count = 2;		/* TcpSocket::DelAckCount */
	c->delack_timeout = SIM_MS(200);	/* TcpSocket::DelAckTimeout */
	c->rto_initial = SIM_S(1);	/* RttEstimator::InitialEstimation */
	c->rto_min = SIM_S(1);		/* TcpSocketBase::MinRto */
	c->rto_max = SIM_S(60);		/* RFC 6298 2.5 */
	c->clock_granularity = SIM_MS(1);	/* TcpSocketBase::ClockGranularity */
	c->connect_timeout = SIM_S(3);	/* TcpSocket::ConnTimeout */
	c->syn_retries = 6;		/* TcpSocket::ConnCount */
	c->data_retries = 6;		/* TcpSocket::DataRetries */
	c->persist_timeout = SIM_S(6);	/* TcpSocket::PersistTimeout */
	c->time_wait = SIM_S(120);	/* 2 MSL, RFC 9293 */
	c->hystart = true;		/* TcpCubic::HyStart */
	c->cwnd_validation = true;	/* Linux's; ns-3 has none */
}

/* --- the stack --- */

/*
 * Connection ids are unique per network: the stacks of one network share
 * a counter, which the first stack allocates (no global state).
 */
struct tcp_idgen {
	uint64_t next;
	size_t refs;
};

struct tcp_stack_ext {
	struct tcp_stack st;
	struct tcp_idgen *ids;
};

struct tcp_stack *
tcp_stack_find(const struct node *n)
{
	return node_ip_handler_ctx(n, WIRE_IPPROTO_TCP, tcp_input);
}

struct tcp_stack *
tcp_stack_get(struct node *n)
{
	struct tcp_stack_ext *x;
	struct net *net = node_net(n);
	size_t i;
	int rc;

	if ((x = (struct tcp_stack_ext *)tcp_stack_find(n)) != NULL)
		return &x->st;
	x = xcalloc(1, sizeof(*x));
	x->st.host.ops = &tcp_stream_ops;
	x->st.node = n;
	x->st.sim = net_sim(net);
	tcp_cfg_default(&x->st.cfg);
	x->st.hash_size = 64;
	x->st.hash = xcalloc(x->st.hash_size, sizeof(*x->st.hash));
	x->st.next_port = TCP_EPHEMERAL_LO;
	for (i = 0; i < net_n_nodes(net) && x->ids == NULL; i++) {
		struct tcp_stack_ext *o = (struct tcp_stack_ext *)
		    tcp_stack_find(net_node(net, (uint32_t)i));

		if (o != NULL)
			x->ids = o->ids;
	}
	if (x->ids == NULL) {
		x->ids = xcalloc(1, sizeof(*x->ids));
		x->ids->next = 1;
	}
	x->ids->refs++;
	rc = node_set_ip_handler(n, WIRE_IPPROTO_TCP, tcp_input, tcp_icmp_error,
	    &x->st);
	SIM_ASSERT(rc == 0, "node %s: protocol 6 has another handler",
	    node_name(n));
	tcp_power_attach(&x->st);
	return &x->st;
}

void
tcp_stack_set_cfg(struct tcp_stack *st, const struct tcp_cfg *c)
{
	st->cfg = *c;
}

const struct tcp_cfg *
tcp_stack_cfg(const struct tcp_stack *st)
{
	return &st->cfg;
}

struct stream_host *
tcp_stack_host(struct tcp_stack *st)
{
	return &st->host;
}

struct node *
tcp_stack_node(const struct tcp_stack *st)
{
	return st->node;
}

size_t
tcp_stack_n_conns(const struct tcp_stack *st)
{
	return st->n_conns;
}

void
tcp_stack_add_observer(struct tcp_stack *st, const struct tcp_observer *obs,
    void *ctx)
{
	if (st->n_obs == st->cap_obs) {
		st->cap_obs = st->cap_obs ? st->cap_obs * 2 : 4;
		st->obs = xrealloc(st->obs, st->cap_obs * sizeof(*st->obs));
	}
	st->obs[st->n_obs++] = (struct tcp_obs_entry){ obs, ctx };
}

void
tcp_stack_remove_observer(struct tcp_stack *st, const struct tcp_observer *obs,
    void *ctx)
{
	size_t i;

	for (i = 0; i < st->n_obs; i++)
		if (st->obs[i].obs == obs && st->obs[i].ctx == ctx) {
			if (st->obs_depth > 0) {
				st->obs[i].obs = NULL;
				st->obs_dirty = true;
				return;
			}
			memmove(&st->obs[i], &st->obs[i + 1],
			    (st->n_obs - i - 1) * sizeof(*st->obs));
			st->n_obs--;
			return;
		}
}

static void
obs_end(struct tcp_stack *st)
{
	size_t i, k;

	if (--st->obs_depth > 0 || !st->obs_dirty)
		return;
	for (i = k = 0; i < st->n_obs; i++)
		if (st->obs[i].obs != NULL)
			st->obs[k++] = st->obs[i];
	st->n_obs = k;
	st->obs_dirty = false;
}

/* Walk the observers that have callback f, calling CALL on each. */
#define OBS_EACH(st, f, CALL) do {					\
	size_t i_, n_ = (st)->n_obs;					\
									\
	if (n_ == 0)							\
		break;							\
	(st)->obs_depth++;						\
	for (i_ = 0; i_ < n_; i_++) {					\
		const struct tcp_observer *o_ = (st)->obs[i_].obs;	\
		void *octx_ = (st)->obs[i_].ctx;			\
									\
		if (o_ != NULL && o_->f != NULL)			\
			o_->f CALL;					\
	}								\
	obs_end(st);							\
} while (0)

static void
hash_remove(struct tcp_conn *c);
static void
conn_free(struct tcp_conn *c);

static void
stack_free_now(struct tcp_stack *st)
{
	struct tcp_stack_ext *x = (struct tcp_stack_ext *)st;
	struct tcp_listener *l;

	tcp_power_detach(st);
	while (st->conns != NULL) {
		struct tcp_conn *c = st->conns;

		c->flags &= (uint16_t)~TCPF_APP;
		conn_free(c);
	}
	while ((l = st->listeners) != NULL) {
		st->listeners = l->next;
		tcp_listener_free_peers(l);
		free(l);
	}
	if (!st->dying)
		node_set_ip_handler(st->node, WIRE_IPPROTO_TCP, NULL, NULL,
		    NULL);
	if (--x->ids->refs == 0)
		free(x->ids);
	free(st->hash);
	free(st->obs);
	free(x);
}

/*
 * From inside the stack's own processing (an application callback: the
 * stack holds a connection) the free is deferred to the end of that
 * processing, the outermost tcp_unhold: the callers up the stack still use
 * the connection. Until then the stack is off the node (nothing new
 * arrives), no timer runs and no application hears anything more.
 */
void
tcp_stack_free(struct tcp_stack *st)
{
	struct tcp_conn *c;

	if (st->dying)
		return;
	if (st->busy == 0) {
		stack_free_now(st);
		return;
	}
	st->dying = true;
	node_set_ip_handler(st->node, WIRE_IPPROTO_TCP, NULL, NULL, NULL);
	for (c = st->conns; c != NULL; c = c->next) {
		c->flags &= (uint16_t)~TCPF_APP;
		memset(&c->cb, 0, sizeof(c->cb));
		timer_set_stop_all(&c->timers);
	}
}

void
tcp_stacks_free(struct net *net)
{
	size_t i;

	for (i = 0; i < net_n_nodes(net); i++) {
		struct tcp_stack *st = tcp_stack_find(net_node(net,
		    (uint32_t)i));

		if (st != NULL)
			tcp_stack_free(st);
	}
}

/* --- demultiplexing --- */

static uint32_t
tuple_hash(uint32_t vrf, uint32_t laddr, uint16_t lport, uint32_t raddr,
    uint16_t rport)
{
	uint64_t h = ((uint64_t)laddr << 32 | raddr) * 0x9e3779b97f4a7c15ull;

	h ^= ((uint64_t)vrf << 32 | (uint32_t)lport << 16 | rport) *
	    0xc2b2ae3d27d4eb4full;
	h ^= h >> 29;
	return (uint32_t)(h ^ h >> 32);
}

static struct tcp_conn **
hash_slot(struct tcp_stack *st, uint32_t vrf, uint32_t laddr, uint16_t lport,
    uint32_t raddr, uint16_t rport)
{
	return &st->hash[tuple_hash(vrf, laddr, lport, raddr, rport) &
	    (st->hash_size - 1)];
}

struct tcp_conn *
tcp_lookup(struct tcp_stack *st, uint32_t vrf, uint32_t laddr, uint16_t lport,
    uint32_t raddr, uint16_t rport)
{
	struct tcp_conn *c = *hash_slot(st, vrf, laddr, lport, raddr, rport);

	for (; c != NULL; c = c->hnext)
		if (c->lport == lport && c->rport == rport &&
		    c->laddr == laddr && c->raddr == raddr && c->vrf == vrf)
			return c;
	return NULL;
}

static void
hash_insert(struct tcp_conn *c)
{
	struct tcp_stack *st = c->st;
	struct tcp_conn **slot;

	if (st->n_conns + 1 > st->hash_size) {
		/* grow: keep chains short */
		struct tcp_conn **old = st->hash, *e;
		uint32_t i, n = st->hash_size;

		st->hash_size *= 2;
		st->hash = xcalloc(st->hash_size, sizeof(*st->hash));
		for (i = 0; i < n; i++)
			while ((e = old[i]) != NULL) {
				old[i] = e->hnext;
				slot = hash_slot(st, e->vrf, e->laddr, e->lport,
				    e->raddr, e->rport);
				e->hnext = *slot;
				*slot = e;
			}
		free(old);
	}
	slot = hash_slot(st, c->vrf, c->laddr, c->lport, c->raddr, c->rport);
	c->hnext = *slot;
	*slot = c;
}

static void
hash_remove(struct tcp_conn *c)
{
	struct tcp_conn **pp = hash_slot(c->st, c->vrf, c->laddr, c->lport,
	    c->raddr, c->rport);

	for (; *pp != NULL; pp = &(*pp)->hnext)
		if (*pp == c) {
			*pp = c->hnext;
			c->hnext = NULL;
			return;
		}
}

struct tcp_listener *
tcp_find_listener(struct tcp_stack *st, uint32_t vrf, uint32_t addr,
    uint16_t port)
{
	struct tcp_listener *l, *any = NULL;

	for (l = st->listeners; l != NULL; l = l->next)
		if (l->port == port && l->vrf == vrf) {
			if (l->addr == addr)
				return l;
			if (l->addr == 0)
				any = l;
		}
	return any;
}

/* --- connections --- */

static uint64_t
mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ x >> 30) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ x >> 27) * 0x94d049bb133111ebull;
	return x ^ x >> 31;
}

sim_time
tcp_now(const struct tcp_conn *c)
{
	return sim_now(c->st->sim);
}

struct tcp_conn *
tcp_conn_new(struct tcp_stack *st, const struct tcp_cfg *cfg,
    const struct stream_opts *o, uint32_t vrf, uint32_t laddr, uint16_t lport,
    uint32_t raddr, uint16_t rport)
{
	struct tcp_stack_ext *x = (struct tcp_stack_ext *)st;
	struct tcp_conn *c = xcalloc(1, sizeof(*c));
	struct tcp_cc_io io;
	int k;

	c->s.ops = &tcp_stream_ops;
	c->st = st;
	c->id = x->ids->next++;
	c->vrf = vrf;
	c->laddr = laddr;
	c->lport = lport;
	c->raddr = raddr;
	c->rport = rport;
	c->cfg = o != NULL && o->tcp != NULL ? *o->tcp : *cfg;
	if (o != NULL) {
		if (o->sndbuf != 0)
			c->cfg.sndbuf = o->sndbuf;
		if (o->rcvbuf != 0)
			c->cfg.rcvbuf = o->rcvbuf;
		if (o->nodelay != 0)
			c->cfg.nodelay = o->nodelay > 0;
		if (o->cc != NULL && (k = tcp_cc_kind_parse(o->cc)) >= 0)
			c->cfg.cc = (enum tcp_cc_kind)k;
		c->ttl = o->ttl;
		c->min_ttl = o->min_ttl;
		c->md5 = tcp_md5_key_new(o);
	}
	if (c->ttl == 0)
		c->ttl = TCP_DEFAULT_TTL;
	c->sndbuf = c->cfg.sndbuf;
	c->rcvbuf = c->cfg.rcvbuf;
	if (c->cfg.nodelay)
		c->flags |= TCPF_NODELAY;
	/* the smallest scale that shows the whole buffer (as ns-3 picks it) */
	while (c->cfg.wscale && (c->rcvbuf >> c->rcv_wscale) > 65535 &&
	    c->rcv_wscale < TCP_MAX_WSCALE)
		c->rcv_wscale++;
	/* A deterministic, well-mixed ISS: same scenario, same numbers. */
	c->iss = (uint32_t)mix64(sim_seed(st->sim) ^ c->id << 20 ^
	    tuple_hash(vrf, laddr, lport, raddr, rport));
	c->snd_una = c->snd_nxt = c->snd_max = c->iss;
	c->recover = c->iss;
	c->cwv_seq = c->iss;
	c->stats.rto = c->cfg.rto_initial;
	c->stats.ssthresh = c->cfg.init_ssthresh;
	c->peer_mss = TCP_DEFAULT_MSS;
	tb_init(&c->snd);
	tb_init(&c->rcv);
	tr_init(&c->ooo);
	tcp_sb_init(&c->sb);
	tcp_set_mss(c);
	c->stats.cwnd = c->cfg.init_cwnd * c->stats.mss;
	memset(&io, 0, sizeof(io));
	io.cwnd = c->stats.cwnd;
	io.ssthresh = c->stats.ssthresh;
	io.mss = c->stats.mss;
	io.now = tcp_now(c);
	tcp_cc_init(&c->cc, c->cfg.cc, &c->cfg, &io);
	c->stats.cwnd = io.cwnd;
	c->stats.ssthresh = io.ssthresh;
	tcp_timers_init(c);
	c->next = st->conns;
	if (st->conns != NULL)
		st->conns->prev = c;
	st->conns = c;
	hash_insert(c);
	st->n_conns++;
	OBS_EACH(st, on_new, (octx_, c));
	return c;
}

static void
conn_free(struct tcp_conn *c)
{
	struct tcp_stack *st = c->st;

	OBS_EACH(st, on_free, (octx_, c));
	hash_remove(c);
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		st->conns = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	st->n_conns--;
	timer_set_destroy(&c->timers);
	tb_free(&c->snd);
	tb_free(&c->rcv);
	tr_free(&c->ooo);
	tcp_sb_free(&c->sb);
	free(c->md5);
	free(c);
}

void
tcp_set_state(struct tcp_conn *c, enum tcp_state to, const char *why)
{
	enum tcp_state from = (enum tcp_state)c->state;

	if (from == to)
		return;
	c->state = (uint8_t)to;
	OBS_EACH(c->st, on_state, (octx_, c, from, to, why));
}

void
tcp_notify_cwnd(struct tcp_conn *c, uint32_t old_cwnd, uint32_t old_ssthresh)
{
	if (c->stats.cwnd == old_cwnd && c->stats.ssthresh == old_ssthresh)
		return;
	OBS_EACH(c->st, on_cwnd, (octx_, c, c->stats.cwnd,
	    c->stats.ssthresh));
}

void
tcp_notify_rtt(struct tcp_conn *c, sim_time sample)
{
	OBS_EACH(c->st, on_rtt, (octx_, c, sample));
}

void
tcp_notify_retransmit(struct tcp_conn *c, uint32_t seq, uint32_t len, bool rto)
{
	OBS_EACH(c->st, on_retransmit, (octx_, c, seq, len, rto));
}

void
tcp_hold(struct tcp_conn *c)
{
	c->ref++;
	c->st->busy++;
}

void
tcp_unhold(struct tcp_conn *c)
{
	struct tcp_stack *st = c->st;

	if (--c->ref == 0 && c->state == TCP_CLOSED)
		conn_free(c);
	if (--st->busy == 0 && st->dying)
		stack_free_now(st);
}

void
tcp_close_final(struct tcp_conn *c, const char *why)
{
	tcp_set_state(c, TCP_CLOSED, why);
	timer_set_stop_all(&c->timers);
	hash_remove(c);
	c->flags &= (uint16_t)~TCPF_APP;
	if (c->ref == 0)
		conn_free(c);
}

void
tcp_notify_end(struct tcp_conn *c, enum stream_err err)
{
	struct stream_cb cb = c->cb;
	void *ctx = c->ctx;

	if (!(c->flags & TCPF_APP))
		return;
	c->flags &= (uint16_t)~TCPF_APP;
	c->flags |= TCPF_NOTIFIED;
	tcp_hold(c);
	if (err == STREAM_OK) {
		if (cb.on_closed != NULL)
			cb.on_closed(&c->s, ctx);
	} else if (cb.on_error != NULL)
		cb.on_error(&c->s, err, ctx);
	tcp_unhold(c);
}

void
tcp_accept(struct tcp_conn *c)
{
	struct tcp_listener *l = c->lis;

	c->lis = NULL;
	if (l == NULL) {
		/* the listener went away while the handshake ran */
		tcp_send_rst(c);
		tcp_close_final(c, "listener closed");
		return;
	}
	c->flags |= TCPF_APP;
	tcp_hold(c);
	l->fn(&l->sl, &c->s, l->ctx);
	tcp_unhold(c);
}

/* --- introspection --- */

uint64_t
tcp_conn_id(const struct tcp_conn *c)
{
	return c->id;
}

struct node *
tcp_conn_node(const struct tcp_conn *c)
{
	return c->st->node;
}

enum tcp_state
tcp_conn_state(const struct tcp_conn *c)
{
	return (enum tcp_state)c->state;
}

void
tcp_conn_endpoints(const struct tcp_conn *c, struct stream_addr *local,
    struct stream_addr *remote)
{
	if (local != NULL)
		*local = (struct stream_addr){ c->laddr, c->lport };
	if (remote != NULL)
		*remote = (struct stream_addr){ c->raddr, c->rport };
}

const struct tcp_stats *
tcp_conn_stats(const struct tcp_conn *c)
{
	return &c->stats;
}

enum tcp_cc_kind
tcp_conn_cc(const struct tcp_conn *c)
{
	return c->cc.kind;
}

struct tcp_conn *
tcp_stream_conn(const struct stream *s)
{
	if (s == NULL || s->ops != &tcp_stream_ops)
		return NULL;
	return (struct tcp_conn *)(uintptr_t)s;
}

/* --- the stream backend --- */

static struct tcp_conn *
conn_of(const struct stream *s)
{
	return (struct tcp_conn *)(uintptr_t)s;
}

static bool
port_in_use(struct tcp_stack *st, uint32_t vrf, uint32_t laddr, uint16_t port,
    uint32_t raddr, uint16_t rport)
{
	return tcp_lookup(st, vrf, laddr, port, raddr, rport) != NULL ||
	    tcp_find_listener(st, vrf, laddr, port) != NULL;
}

static struct stream *
tcp_connect(struct stream_host *h, const struct stream_addr *remote,
    const struct stream_opts *o, const struct stream_cb *cb, void *ctx)
{
	struct tcp_stack *st = (struct tcp_stack *)h;
	uint32_t vrf = o != NULL ? o->vrf : VRF_DEFAULT;
	uint32_t laddr = o != NULL ? o->local.addr : 0;
	uint16_t lport = o != NULL ? o->local.port : 0;
	struct tcp_conn *c;
	uint32_t tries;

	if (remote == NULL || remote->addr == 0 || remote->port == 0)
		return NULL;
	if (o != NULL && (o->md5_keylen > STREAM_MD5_KEY_MAX ||
	    (o->md5_keylen > 0 && o->md5_key == NULL)))
		return NULL;
	if (node_mtu_for(st->node, vrf, remote->addr) == 0)
		return NULL;	/* no route */
	if (laddr == 0)
		laddr = node_source_for(st->node, vrf, remote->addr);
	if (laddr == 0)
		return NULL;
	if (lport != 0) {
		if (tcp_lookup(st, vrf, laddr, lport, remote->addr,
		    remote->port) != NULL)
			return NULL;
	} else {
		for (tries = 0; tries <= TCP_EPHEMERAL_HI - TCP_EPHEMERAL_LO;
		    tries++) {
			uint16_t p = st->next_port;

			st->next_port = p == TCP_EPHEMERAL_HI ?
			    (uint16_t)TCP_EPHEMERAL_LO : (uint16_t)(p + 1);
			if (!port_in_use(st, vrf, laddr, p, remote->addr,
			    remote->port)) {
				lport = p;
				break;
			}
		}
		if (lport == 0)
			return NULL;
	}
	c = tcp_conn_new(st, &st->cfg, o, vrf, laddr, lport, remote->addr,
	    remote->port);
	if (cb != NULL)
		c->cb = *cb;
	c->ctx = ctx;
	c->flags |= TCPF_APP;
	tcp_set_state(c, TCP_SYN_SENT, "connect");
	tcp_send_syn(c);
	tcp_syn_arm(c);
	return &c->s;
}

static struct stream_listener *
tcp_listen(struct stream_host *h, const struct stream_addr *local,
    const struct stream_opts *o, stream_accept_fn fn, void *ctx)
{
	struct tcp_stack *st = (struct tcp_stack *)h;
	uint32_t vrf = o != NULL ? o->vrf : VRF_DEFAULT;
	struct tcp_listener *l;

	if (local == NULL || local->port == 0 || fn == NULL)
		return NULL;
	for (l = st->listeners; l != NULL; l = l->next)
		if (l->port == local->port && l->vrf == vrf &&
		    (l->addr == local->addr || l->addr == 0 ||
		    local->addr == 0))
			return NULL;
	l = xcalloc(1, sizeof(*l));
	l->sl.ops = &tcp_stream_ops;
	l->st = st;
	l->vrf = vrf;
	l->addr = local->addr;
	l->port = local->port;
	l->fn = fn;
	l->ctx = ctx;
	if (o != NULL)
		l->o = *o;
	l->cfg = o != NULL && o->tcp != NULL ? *o->tcp : st->cfg;
	/* the caller's pointers need not outlive the call: copy what they say */
	if (l->o.cc != NULL) {
		int k = tcp_cc_kind_parse(l->o.cc);

		if (k >= 0)
			l->cfg.cc = (enum tcp_cc_kind)k;
	}
	l->o.cc = NULL;
	l->o.tcp = NULL;
	l->o.md5_key = NULL;		/* keys are per peer on a listener */
	l->o.md5_keylen = 0;
	l->next = st->listeners;
	st->listeners = l;
	return &l->sl;
}

static void
tcp_unlisten(struct stream_listener *sl)
{
	struct tcp_listener *l = (struct tcp_listener *)sl, **pp;
	struct tcp_conn *c;

	for (pp = &l->st->listeners; *pp != NULL; pp = &(*pp)->next)
		if (*pp == l) {
			*pp = l->next;
			break;
		}
	for (c = l->st->conns; c != NULL; c = c->next)
		if (c->lis == l)
			c->lis = NULL;
	tcp_listener_free_peers(l);
	free(l);
}

static void
tcp_set_cb(struct stream *s, const struct stream_cb *cb, void *ctx)
{
	struct tcp_conn *c = conn_of(s);

	if (cb != NULL)
		c->cb = *cb;
	else
		memset(&c->cb, 0, sizeof(c->cb));
	c->ctx = ctx;
}

static size_t
tcp_send_space(const struct stream *s)
{
	const struct tcp_conn *c = conn_of(s);

	if (c->flags & TCPF_FIN_QUEUED || c->state == TCP_CLOSED)
		return 0;
	return c->snd.len < c->sndbuf ? c->sndbuf - c->snd.len : 0;
}

static size_t
tcp_send(struct stream *s, const void *data, size_t len)
{
	struct tcp_conn *c = conn_of(s);
	size_t room = tcp_send_space(s);

	if (len > room)
		len = room;
	if (len == 0)
		return 0;
	tb_append(&c->snd, data, (uint32_t)len);
	if (c->state != TCP_SYN_SENT && c->state != TCP_SYN_RECEIVED) {
		tcp_hold(c);
		tcp_output(c);
		tcp_unhold(c);
	}
	return len;
}

static size_t
tcp_send_queued(const struct stream *s)
{
	return conn_of(s)->snd.len;
}

static size_t
tcp_read(struct stream *s, void *buf, size_t max)
{
	struct tcp_conn *c = conn_of(s);
	uint32_t n = max < c->rcv.len ? (uint32_t)max : c->rcv.len;

	if (n == 0)
		return 0;
	tb_consume(&c->rcv, n, buf);
	tcp_hold(c);
	tcp_rcv_window_update(c);
	tcp_unhold(c);
	return n;
}

static size_t
tcp_readable(const struct stream *s)
{
	return conn_of(s)->rcv.len;
}

static bool
tcp_eof(const struct stream *s)
{
	const struct tcp_conn *c = conn_of(s);

	return (c->flags & TCPF_FIN_RCVD) && c->rcv.len == 0;
}

/* Queue our FIN after the data (RFC 9293 3.10.4 CLOSE). */
static void
queue_fin(struct tcp_conn *c)
{
	if (c->flags & TCPF_FIN_QUEUED)
		return;
	c->flags |= TCPF_FIN_QUEUED;
	switch (c->state) {
	case TCP_ESTABLISHED:
		tcp_set_state(c, TCP_FIN_WAIT_1, "close");
		break;
	case TCP_CLOSE_WAIT:
		tcp_set_state(c, TCP_LAST_ACK, "close");
		break;
	default:
		/* SYN states: the FIN waits for ESTABLISHED */
		return;
	}
	tcp_output(c);
}

static void
tcp_shutdown(struct stream *s)
{
	struct tcp_conn *c = conn_of(s);

	tcp_hold(c);
	queue_fin(c);
	tcp_unhold(c);
}

static void
tcp_close(struct stream *s)
{
	struct tcp_conn *c = conn_of(s);

	c->flags |= TCPF_CLOSING;
	tb_consume(&c->rcv, c->rcv.len, NULL);
	tcp_shutdown(s);
}

static void
tcp_release(struct stream *s)
{
	struct tcp_conn *c = conn_of(s);

	memset(&c->cb, 0, sizeof(c->cb));
	c->ctx = NULL;
	tcp_hold(c);
	tcp_close(s);
	c->flags &= (uint16_t)~TCPF_APP;
	tcp_unhold(c);
}

static void
tcp_abort(struct stream *s)
{
	struct tcp_conn *c = conn_of(s);

	memset(&c->cb, 0, sizeof(c->cb));
	c->flags &= (uint16_t)~TCPF_APP;
	if (c->state != TCP_SYN_SENT && c->state != TCP_CLOSED &&
	    c->state != TCP_TIME_WAIT)
		tcp_send_rst(c);
	tcp_close_final(c, "abort");
}

static void
tcp_get_info(const struct stream *s, struct stream_info *info)
{
	const struct tcp_conn *c = conn_of(s);

	memset(info, 0, sizeof(*info));
	tcp_conn_endpoints(c, &info->local, &info->remote);
	info->state = tcp_state_name[c->state];
	info->bytes_sent = c->stats.bytes_acked;
	info->bytes_received = c->stats.bytes_received;
	info->mss = c->stats.mss;
	info->srtt_ns = (uint64_t)c->stats.srtt;
	info->rttvar_ns = (uint64_t)c->stats.rttvar;
	info->cwnd = c->stats.cwnd;
	info->ssthresh = c->stats.ssthresh;
	info->retransmits = c->stats.retrans_segs;
}

const struct stream_ops tcp_stream_ops = {
	.name = "sim-tcp",
	.connect = tcp_connect,
	.listen = tcp_listen,
	.unlisten = tcp_unlisten,
	.set_cb = tcp_set_cb,
	.send = tcp_send,
	.send_space = tcp_send_space,
	.send_queued = tcp_send_queued,
	.read = tcp_read,
	.readable = tcp_readable,
	.eof = tcp_eof,
	.shutdown = tcp_shutdown,
	.close = tcp_close,
	.release = tcp_release,
	.abort = tcp_abort,
	.get_info = tcp_get_info,
	.listener_set_peer = tcp_listener_set_peer,
	.set_ttl = tcp_set_ttl,
};
