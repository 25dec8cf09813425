/*
 * tcp.h - the simulated TCP: one stack per node, real segments on the wire,
 * behind the stream API of stream.h.
 *
 * A stack registers itself as the node's handler of IP protocol 6 and
 * demultiplexes segments to connections by (VRF, local address and port,
 * remote address and port), then to listeners; a segment for neither gets
 * a reset (RFC 9293 3.10.7.1). ICMP errors quoting a segment reach the
 * connection it came from: need-frag lowers its MSS (path MTU discovery),
 * hard unreachables fail a connect, the rest are soft errors.
 *
 * What it does: three-way handshake with SYN retransmission and a connect
 * timeout, FIN in both directions, simultaneous open and close, RST,
 * TIME_WAIT; MSS from the route's MTU, window scaling, timestamps with RTT
 * measurement, SACK (RFC 2018); send and receive buffers with flow control,
 * persist timer and silly-window avoidance, Nagle, delayed ACKs; RTO per
 * RFC 6298 with Karn's rule and backoff, fast retransmit with NewReno
 * recovery (RFC 6582) or SACK-based recovery (RFC 6675), limited transmit
 * (RFC 3042); congestion control per connection (tcp_cc.h). Transport
 * security as BGP uses it: MD5 signatures (RFC 2385) per connection and,
 * on a listener, per peer address, and a minimum TTL (GTSM, RFC 5082).
 *
 * Bulk data stays virtual end to end (stream.h). The connection state
 * without its buffers stays near 1 KiB.
 *
 * The defaults (tcp_cfg_default) are ns-3 3.37's, so that the comparison
 * benchmark runs both simulators with the same settings; docs/tcp.md lists
 * them with their sources.
 */
#ifndef XCSIM_TCP_H
#define XCSIM_TCP_H

#include <stdbool.h>
#include <stdint.h>

#include "stream.h"
#include "units.h"

struct node;
struct tcp_stack;
struct tcp_conn;

enum tcp_cc_kind { TCP_CC_NEWRENO = 0, TCP_CC_CUBIC, TCP_CC_MAX };

struct tcp_cfg {
	uint32_t sndbuf, rcvbuf;	/* bytes (ns-3: 131072 each) */
	uint32_t mss;			/* 0: from the route's MTU - 40 */
	uint32_t init_cwnd;		/* segments (10) */
	uint32_t init_ssthresh;		/* bytes (UINT32_MAX) */
	enum tcp_cc_kind cc;		/* NewReno */
	bool nodelay;			/* Nagle off (ns-3 default: true) */
	bool timestamps, sack, wscale;	/* offered on SYN (all true) */
	bool limited_transmit;		/* RFC 3042 (true) */
	uint32_t dupack_thresh;		/* 3 */
	uint32_t delack_count;		/* segments per ACK (2) */
	sim_time delack_timeout;	/* 200 ms */
	sim_time rto_initial;		/* 1 s (RFC 6298 2.1) */
	sim_time rto_min;		/* 1 s */
	sim_time rto_max;		/* 60 s */
	sim_time clock_granularity;	/* G of RFC 6298 (1 ms) */
	sim_time connect_timeout;	/* first SYN retransmission (3 s) */
	uint32_t syn_retries;		/* then give up (6) */
	uint32_t data_retries;		/* RTOs in a row before failing (6) */
	sim_time persist_timeout;	/* first zero-window probe (6 s) */
	sim_time time_wait;		/* 2 MSL (120 s, RFC 9293) */
	bool hystart;			/* CUBIC's HyStart (true) */
	/*
	 * Congestion window validation as Linux's tcp_is_cwnd_limited: cwnd
	 * grows only while the sender uses it (true; ns-3 3.37 has none,
	 * docs/tcp.md).
	 */
	bool cwnd_validation;
};

/* ns-3 3.37's defaults (docs/tcp.md). */
void tcp_cfg_default(struct tcp_cfg *c);
const char *tcp_cc_kind_name(enum tcp_cc_kind k);
/* By name ("newreno", "cubic"); -1 if unknown. */
int tcp_cc_kind_parse(const char *name);

enum tcp_state {
	TCP_CLOSED = 0, TCP_LISTEN, TCP_SYN_SENT, TCP_SYN_RECEIVED,
	TCP_ESTABLISHED, TCP_FIN_WAIT_1, TCP_FIN_WAIT_2, TCP_CLOSE_WAIT,
	TCP_CLOSING, TCP_LAST_ACK, TCP_TIME_WAIT, TCP_STATE_MAX
};
extern const char *const tcp_state_name[TCP_STATE_MAX];

/* Per connection counters, for metrics and tests. */
struct tcp_stats {
	uint64_t segs_out, segs_in;
	uint64_t bytes_sent;		/* payload bytes sent, retransmits too */
	uint64_t bytes_acked;		/* distinct payload bytes acknowledged */
	uint64_t bytes_received;	/* distinct payload bytes delivered */
	uint64_t retrans_segs, retrans_bytes;
	uint64_t rto_expiries;
	uint64_t fast_recoveries;	/* entries into fast recovery */
	uint64_t dupacks_in;
	uint64_t rtt_samples;
	uint64_t zero_window_probes;
	uint64_t bad_segs;		/* dropped as malformed */
	sim_time srtt, rttvar, rto, min_rtt, last_rtt;
	uint32_t cwnd, ssthresh, mss, snd_wnd, rcv_wnd;
};

/*
 * What a stack tells an observer (metrics, the trace): every connection's
 * state changes, cwnd/ssthresh changes, RTT samples, retransmissions.
 * Called synchronously; an observer must not call back into the stack
 * (except to remove itself).
 */
struct tcp_observer {
	void (*on_new)(void *ctx, const struct tcp_conn *c);
	void (*on_state)(void *ctx, const struct tcp_conn *c,
	    enum tcp_state from, enum tcp_state to, const char *why);
	void (*on_cwnd)(void *ctx, const struct tcp_conn *c, uint32_t cwnd,
	    uint32_t ssthresh);
	void (*on_rtt)(void *ctx, const struct tcp_conn *c, sim_time sample);
	void (*on_retransmit)(void *ctx, const struct tcp_conn *c,
	    uint32_t seq, uint32_t len, bool rto);
	/* The connection is about to be freed (after CLOSED). */
	void (*on_free)(void *ctx, const struct tcp_conn *c);
};

/*
 * The node's stack, created on first use with defaults (tcp_cfg_default)
 * and registered as its protocol 6 handler.
 */
struct tcp_stack *tcp_stack_get(struct node *n);
/* The stack if the node has one, else NULL. */
struct tcp_stack *tcp_stack_find(const struct node *n);
/* Defaults for connections created after this call. */
void tcp_stack_set_cfg(struct tcp_stack *st, const struct tcp_cfg *c);
const struct tcp_cfg *tcp_stack_cfg(const struct tcp_stack *st);
struct stream_host *tcp_stack_host(struct tcp_stack *st);
struct node *tcp_stack_node(const struct tcp_stack *st);
/*
 * Observers hear every connection of the stack (metrics and the trace are
 * two); obs must outlive its registration. Removing one from inside a
 * callback is allowed.
 */
void tcp_stack_add_observer(struct tcp_stack *st,
    const struct tcp_observer *obs, void *ctx);
void tcp_stack_remove_observer(struct tcp_stack *st,
    const struct tcp_observer *obs, void *ctx);
/*
 * Free the stack and every connection and listener on it, without sending
 * anything and without callbacks (the end of a run); unregisters it.
 * Called from an application callback of this stack, it takes effect when
 * the stack's processing returns (the stack is unregistered and silent
 * from the call on; the callback may still use its stream until it
 * returns).
 */
void tcp_stack_free(struct tcp_stack *st);
/* tcp_stack_free for every node of the network that has a stack. */
struct net;
void tcp_stacks_free(struct net *net);

/* Connection introspection (for observers, metrics, tests). */
uint64_t tcp_conn_id(const struct tcp_conn *c);	/* unique per run, from 1 */
struct node *tcp_conn_node(const struct tcp_conn *c);
enum tcp_state tcp_conn_state(const struct tcp_conn *c);
void tcp_conn_endpoints(const struct tcp_conn *c, struct stream_addr *local,
    struct stream_addr *remote);
const struct tcp_stats *tcp_conn_stats(const struct tcp_conn *c);
enum tcp_cc_kind tcp_conn_cc(const struct tcp_conn *c);
/* The connection behind a simulated stream (NULL for another backend). */
struct tcp_conn *tcp_stream_conn(const struct stream *s);
/* Live connections on the stack, TIME_WAIT included. */
size_t tcp_stack_n_conns(const struct tcp_stack *st);

/*
 * Segments the stack refused for its transport security options, as
 * Linux's MIB counts them (TCPMinTTLDrop, TCPMD5NotFound, TCPMD5Failure,
 * TCPMD5Unexpected); each is also a traced drop (DROP_FILTER, with the
 * reason in words).
 */
struct tcp_stack_stats {
	uint64_t min_ttl_drops;		/* TTL below the minimum (GTSM) */
	uint64_t md5_missing;		/* keyed, no signature */
	uint64_t md5_mismatch;		/* keyed, wrong signature */
	uint64_t md5_unexpected;	/* a signature where no key is */
};
const struct tcp_stack_stats *tcp_stack_stats(const struct tcp_stack *st);

#endif
