/*
 * tcp_trace.c - the stack observer that writes TCP connections into the
 * trace as flow records (tcp_trace.h).
 */
#include <stdio.h>

#include "net.h"
#include "sim.h"
#include "tcp.h"
#include "tcp_trace.h"
#include "trace.h"

#define IPPROTO_TCP_NUM 6

/* The connection's trace and the time now; NULL when tracing is off. */
static struct trace *
conn_trace(const struct tcp_conn *c, sim_time *now)
{
	struct net *net = node_net(tcp_conn_node(c));
	struct trace *tr = net_trace(net);

	if (tr != NULL)
		*now = sim_now(net_sim(net));
	return tr;
}

void
tcp_trace_label(const struct tcp_conn *c, char *buf, size_t len)
{
	struct stream_addr l, r;

	tcp_conn_endpoints(c, &l, &r);
	snprintf(buf, len, "%u.%u.%u.%u:%u>%u.%u.%u.%u:%u %s",
	    l.addr >> 24, (l.addr >> 16) & 255, (l.addr >> 8) & 255,
	    l.addr & 255, l.port, r.addr >> 24, (r.addr >> 16) & 255,
	    (r.addr >> 8) & 255, r.addr & 255, r.port,
	    tcp_cc_kind_name(tcp_conn_cc(c)));
}

static const char *
state_name(enum tcp_state s)
{
	return s < TCP_STATE_MAX ? tcp_state_name[s] : "?";
}

/* The window now, bounded as tcp_trace.h says. */
static void
write_cwnd(struct trace *tr, sim_time now, const struct tcp_conn *c,
    uint32_t cwnd, uint32_t ssthresh)
{
	uint32_t id = (uint32_t)tcp_conn_id(c), lc = 0, ls = 0;
	bool have = trace_flow_cwnd_last(tr, id, &lc, &ls);

	if (tcp_trace_cwnd_due(have, lc, ls, cwnd, ssthresh,
	    tcp_conn_stats(c)->mss))
		trace_flow_cwnd(tr, now, id, cwnd, ssthresh);
}

static void
obs_new(void *ctx, const struct tcp_conn *c)
{
	struct trace *tr;
	sim_time now = 0;
	char label[96];

	(void)ctx;
	if ((tr = conn_trace(c, &now)) == NULL)
		return;
	tcp_trace_label(c, label, sizeof(label));
	trace_flow_at(tr, now, (uint32_t)tcp_conn_id(c),
	    node_id(tcp_conn_node(c)), IPPROTO_TCP_NUM, label);
	/* a connection born past CLOSED (a passive open) says where */
	if (tcp_conn_state(c) != TCP_CLOSED)
		trace_flow_state(tr, now, (uint32_t)tcp_conn_id(c),
		    state_name(tcp_conn_state(c)), "new");
}

static void
obs_state(void *ctx, const struct tcp_conn *c, enum tcp_state from,
    enum tcp_state to, const char *why)
{
	const struct tcp_stats *st;
	struct trace *tr;
	sim_time now = 0;

	(void)ctx;
	(void)from;
	if ((tr = conn_trace(c, &now)) == NULL)
		return;
	trace_flow_state(tr, now, (uint32_t)tcp_conn_id(c), state_name(to),
	    why);
	/* the initial window, once there is one to show */
	st = tcp_conn_stats(c);
	if (to == TCP_ESTABLISHED && st->cwnd > 0)
		write_cwnd(tr, now, c, st->cwnd, st->ssthresh);
}

static void
obs_cwnd(void *ctx, const struct tcp_conn *c, uint32_t cwnd,
    uint32_t ssthresh)
{
	struct trace *tr;
	sim_time now = 0;

	(void)ctx;
	if ((tr = conn_trace(c, &now)) != NULL)
		write_cwnd(tr, now, c, cwnd, ssthresh);
}

static void
obs_free(void *ctx, const struct tcp_conn *c)
{
	struct trace *tr;
	sim_time now = 0;

	(void)ctx;
	if ((tr = conn_trace(c, &now)) != NULL)
		trace_flow_end(tr, now, (uint32_t)tcp_conn_id(c));
}

/* Not traced; present so that a stack may call every callback. */
static void
obs_rtt(void *ctx, const struct tcp_conn *c, sim_time sample)
{
	(void)ctx;
	(void)c;
	(void)sample;
}

static void
obs_retransmit(void *ctx, const struct tcp_conn *c, uint32_t seq,
    uint32_t len, bool rto)
{
	(void)ctx;
	(void)c;
	(void)seq;
	(void)len;
	(void)rto;
}

static const struct tcp_observer trace_obs = {
	.on_new = obs_new,
	.on_state = obs_state,
	.on_cwnd = obs_cwnd,
	.on_rtt = obs_rtt,
	.on_retransmit = obs_retransmit,
	.on_free = obs_free,
};

void
tcp_trace_attach(struct net *net)
{
	size_t i, n = net_n_nodes(net);

	for (i = 0; i < n; i++)
		tcp_stack_add_observer(tcp_stack_get(net_node(net,
		    (uint32_t)i)), &trace_obs, NULL);
}

void
tcp_trace_detach(struct net *net)
{
	struct tcp_stack *st;
	size_t i, n = net_n_nodes(net);

	for (i = 0; i < n; i++)
		if ((st = tcp_stack_find(net_node(net, (uint32_t)i))) != NULL)
			tcp_stack_remove_observer(st, &trace_obs, NULL);
}
