/*
 * tcp_trace.h - TCP connections in the trace: an observer on every node's
 * stack (tcp.h) writing the protocol-neutral flow records of sim/trace.h.
 *
 * Each connection is a flow, flow id = tcp_conn_id(c) (unique per run): a
 * declaration when it is created, labelled "SRC:PORT>DST:PORT cc" from its
 * own end (so the two ends of a connection are two flows, each on its
 * node), every state change with the stack's reason, its congestion window
 * and ssthresh, and its end when the stack frees it. cwnd records are
 * bounded: one only when cwnd moved by at least one MSS from the last one
 * written, or ssthresh changed (a bulk transfer in congestion avoidance
 * writes about one per round trip, not one per ACK).
 *
 * The observer keeps no state of its own: the trace is the network's
 * (net_trace), the time its simulator's, and the last window written is
 * the writer's (trace_flow_cwnd_last). So there is nothing to free, and a
 * network without a trace costs one test per callback.
 */
#ifndef XCSIM_TCP_TRACE_H
#define XCSIM_TCP_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct net;
struct tcp_conn;

/*
 * Add the observer to every node's stack (creating the stacks, as the
 * scenario build does for every node anyway). Call once per network, after
 * its nodes exist; nodes added later are not observed.
 */
void tcp_trace_attach(struct net *net);
/* Remove it from every stack that has it (not needed before freeing). */
void tcp_trace_detach(struct net *net);

/* The flow label of c: "10.1.0.4:50001>10.2.0.5:1521 cubic". */
void tcp_trace_label(const struct tcp_conn *c, char *buf, size_t len);

/*
 * Whether a window (cwnd, ssthresh) is worth a record after the last one
 * written (have_last false: none yet): ssthresh changed, or cwnd moved by
 * at least mss bytes either way.
 */
static inline bool
tcp_trace_cwnd_due(bool have_last, uint32_t last_cwnd,
    uint32_t last_ssthresh, uint32_t cwnd, uint32_t ssthresh, uint32_t mss)
{
	uint32_t moved = cwnd > last_cwnd ? cwnd - last_cwnd :
	    last_cwnd - cwnd;

	return !have_last || ssthresh != last_ssthresh ||
	    moved >= (mss > 0 ? mss : 1);
}

#endif
