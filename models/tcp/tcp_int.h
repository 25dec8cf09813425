/*
 * tcp_int.h - the simulated TCP's internals shared by tcp.c (stack,
 * demultiplexing, stream API), tcp_input.c (segment arrival), tcp_output.c
 * (segment building and sending), tcp_timer.c (RTO, persist, delayed
 * ACK, SYN retransmission, TIME_WAIT) and tcp_power.c (the node's power).
 */
#ifndef XCSIM_TCP_INT_H
#define XCSIM_TCP_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "stream.h"
#include "tcp.h"
#include "tcp_buf.h"
#include "tcp_cc.h"
#include "tcp_md5.h"
#include "tcp_sack.h"
#include "tcp_wire.h"
#include "sim.h"
#include "timer.h"

struct sim;
struct pkt;
struct wire_frame;
struct node_icmp_err;

/* RFC 1191's smallest MTU; the floor of path MTU discovery. */
#define TCP_MIN_PMTU 68u
/* RFC 9293 3.7.1: the MSS assumed when the peer sends none. */
#define TCP_DEFAULT_MSS 536u
/* IP TTL when nothing sets one (Linux's ip_default_ttl). */
#define TCP_DEFAULT_TTL 64u
#define TCP_EPHEMERAL_LO 49152u
#define TCP_EPHEMERAL_HI 65535u

struct tcp_obs_entry {
	const struct tcp_observer *obs;	/* NULL: removed during a walk */
	void *ctx;
};

/* What a listener applies to one peer address (stream_peer_opts). */
struct tcp_peer {
	uint32_t addr;
	uint8_t ttl, min_ttl;		/* 0: the listener's */
	struct tcp_md5_key md5;		/* len 0: no key */
};

struct tcp_listener {
	struct stream_listener sl;	/* first: the handle */
	struct tcp_stack *st;
	struct tcp_listener *next;
	uint32_t vrf, addr;
	uint16_t port;
	stream_accept_fn fn;
	void *ctx;
	struct stream_opts o;		/* for the accepted streams */
	struct tcp_cfg cfg;
	struct tcp_peer *peers;		/* stream_listener_set_peer */
	size_t n_peers;
};

struct tcp_stack {
	struct stream_host host;	/* first: the handle */
	struct node *node;
	struct sim *sim;
	struct tcp_cfg cfg;
	struct tcp_conn **hash;		/* chained on hnext */
	uint32_t hash_size;		/* a power of two */
	size_t n_conns;
	struct tcp_conn *conns;		/* every connection, for the free */
	struct tcp_listener *listeners;
	uint16_t next_port;
	struct tcp_obs_entry *obs;
	size_t n_obs, cap_obs;
	unsigned obs_depth;
	bool obs_dirty;
	unsigned busy;			/* holds on its connections */
	bool dying;			/* freed when busy drops to 0 */
	struct tcp_stack_stats stats;
	sim_event_id power_ev;		/* the drop after a power off */
};

/* Flags of struct tcp_conn. */
#define TCPF_APP	0x0001u	/* the application holds the stream */
#define TCPF_PASSIVE	0x0002u	/* from a listener */
#define TCPF_FIN_QUEUED	0x0004u	/* shutdown/close: FIN after the data */
#define TCPF_FIN_SENT	0x0008u	/* our FIN is in snd_max */
#define TCPF_FIN_RCVD	0x0010u	/* the peer's FIN is in order */
#define TCPF_CLOSING	0x0020u	/* stream_close: discard what arrives */
#define TCPF_TS		0x0040u	/* timestamps negotiated */
#define TCPF_SACK	0x0080u	/* SACK negotiated */
#define TCPF_WS		0x0100u	/* window scaling negotiated */
#define TCPF_OOO_FIN	0x0200u	/* a FIN beyond a hole: rcv_fin_seq */
#define TCPF_TIMING	0x0400u	/* rtt_seq is timed (no timestamps) */
#define TCPF_NODELAY	0x0800u	/* Nagle off */
#define TCPF_ACK_NOW	0x1000u	/* send an ACK at the end of input */
#define TCPF_NOTIFIED	0x2000u	/* on_closed/on_error given */
#define TCPF_CWND_LIM	0x4000u	/* cwnd was used up in the cwv window */
#define TCPF_SYN_ACKED	0x8000u	/* our SYN is acknowledged: data at UNA */

struct tcp_conn {
	struct stream s;		/* first: the handle */
	struct tcp_stack *st;
	struct tcp_conn *hnext;		/* hash chain */
	struct tcp_conn *next, *prev;	/* the stack's list */
	struct tcp_listener *lis;	/* SYN_RECEIVED child: its listener */
	uint64_t id;
	struct stream_cb cb;
	void *ctx;
	uint32_t vrf, laddr, raddr;
	uint16_t lport, rport;
	uint16_t flags;
	uint8_t state;			/* enum tcp_state */
	uint8_t ca;			/* enum tcp_ca_state */
	uint8_t ttl, min_ttl;
	uint8_t snd_wscale, rcv_wscale;	/* as negotiated */
	uint8_t n_sack_recent;		/* entries of sack_recent in use */
	uint16_t ref;			/* inside processing: free deferred */
	uint32_t sndbuf, rcvbuf;

	/* send sequence space (RFC 9293 3.3.1) */
	uint32_t iss, snd_una, snd_nxt, snd_max;
	uint32_t snd_wl1, snd_wl2, max_snd_wnd;
	uint32_t recover;		/* RFC 6582 / RFC 6675 RecoveryPoint */
	uint32_t dupacks;
	uint32_t mss_base;		/* MSS option value we may send to */
	uint32_t peer_mss;
	uint32_t rtt_seq;		/* timed segment's end (no TS) */
	sim_time rtt_time;
	sim_time oow_at;		/* last ACK to an out-of-window ACK */
	uint32_t retries;		/* RTOs (or SYNs) in a row */
	uint32_t persist_shift;
	uint32_t acked_rem;		/* bytes acked short of a segment */
	/* congestion window validation (tcp_cwnd_validate) */
	uint32_t cwv_seq;		/* the tracking window ends here */
	uint32_t cwv_flight;		/* the largest flight in it */

	/* receive sequence space */
	uint32_t irs, rcv_nxt, rcv_adv;	/* rcv_adv: right edge advertised */
	uint32_t rcv_fin_seq;
	uint32_t ts_recent, last_ack_sent;
	uint32_t delack_segs;
	uint32_t sack_recent[TCP_MAX_SACK];	/* seqs of recent blocks (any
						 * value, 0 too: counted) */

	struct tcp_cfg cfg;
	struct tcp_stats stats;		/* cwnd, ssthresh, mss, srtt... live */
	struct tcp_cc cc;
	struct tcp_sb sb;
	struct tcp_bytes snd;		/* from snd_data_seq() on */
	struct tcp_bytes rcv;		/* in order, unread */
	struct tcp_reasm ooo;
	struct tcp_md5_key *md5;	/* RFC 2385 key, NULL: unsigned */
	struct timer_set timers;
	struct timer rtx;		/* RTO, SYN, TIME_WAIT */
	struct timer persist;
	struct timer delack;
};

/* tcp.c */
extern const struct stream_ops tcp_stream_ops;
struct tcp_conn *tcp_lookup(struct tcp_stack *st, uint32_t vrf,
    uint32_t laddr, uint16_t lport, uint32_t raddr, uint16_t rport);
struct tcp_listener *tcp_find_listener(struct tcp_stack *st, uint32_t vrf,
    uint32_t addr, uint16_t port);
struct tcp_conn *tcp_conn_new(struct tcp_stack *st, const struct tcp_cfg *cfg,
    const struct stream_opts *o, uint32_t vrf, uint32_t laddr, uint16_t lport,
    uint32_t raddr, uint16_t rport);
void tcp_set_state(struct tcp_conn *c, enum tcp_state to, const char *why);
/* Fail the stream (err), or finish it cleanly (STREAM_OK): tell the app. */
void tcp_notify_end(struct tcp_conn *c, enum stream_err err);
/* Enter CLOSED: free now, or when the processing that holds it returns. */
void tcp_close_final(struct tcp_conn *c, const char *why);
void tcp_hold(struct tcp_conn *c);
void tcp_unhold(struct tcp_conn *c);
void tcp_notify_cwnd(struct tcp_conn *c, uint32_t old_cwnd,
    uint32_t old_ssthresh);
void tcp_notify_rtt(struct tcp_conn *c, sim_time sample);
void tcp_notify_retransmit(struct tcp_conn *c, uint32_t seq, uint32_t len,
    bool rto);
void tcp_accept(struct tcp_conn *c);
sim_time tcp_now(const struct tcp_conn *c);

/* tcp_power.c: follow the node's power (net.h) from creation to free. */
void tcp_power_attach(struct tcp_stack *st);
void tcp_power_detach(struct tcp_stack *st);

/* tcp_input.c */
void tcp_input(struct node *n, struct pkt *p, const struct wire_frame *f,
    uint32_t vrf, uint32_t ifindex, void *ctx);
void tcp_icmp_error(struct node *n, const struct node_icmp_err *e, void *ctx);
/* The peer's window reopened after a read: maybe a window update. */
void tcp_rcv_window_update(struct tcp_conn *c);

/* tcp_output.c */
/* The sequence number of the first byte in c->snd. */
uint32_t tcp_snd_data_seq(const struct tcp_conn *c);
/* Send what the windows allow (data, FIN). */
void tcp_output(struct tcp_conn *c);
/* Send what a window smaller than a segment takes (SWS override). */
void tcp_output_force(struct tcp_conn *c);
/* Send one segment of [seq, seq + len) from the send buffer with flags. */
void tcp_send_data(struct tcp_conn *c, uint32_t seq, uint32_t len,
    uint8_t flags, bool rexmit);
void tcp_send_syn(struct tcp_conn *c);
/* A zero-window probe: SEQ = SND.UNA - 1, no data (as Linux). */
void tcp_send_probe(struct tcp_conn *c);
void tcp_send_ack(struct tcp_conn *c);
/* A reset from c (RFC 9293: SEQ=SND.NXT), and one answering a segment. */
void tcp_send_rst(struct tcp_conn *c);
/* ttl 0: TCP_DEFAULT_TTL (a connection's c->ttl, tcp_reset_ttl's). */
void tcp_send_reset(struct tcp_stack *st, uint32_t vrf, uint32_t laddr,
    uint16_t lport, uint32_t raddr, uint16_t rport, uint32_t seq,
    uint32_t ack, bool with_ack, const struct tcp_md5_key *md5, uint8_t ttl);
/* The window to advertise now (updates rcv_adv), before scaling. */
uint32_t tcp_rcv_window(struct tcp_conn *c);
/* The MSS option value for a SYN, and the sending MSS after negotiation. */
uint32_t tcp_mss_option(const struct tcp_conn *c);
void tcp_set_mss(struct tcp_conn *c);
uint32_t tcp_ts_now(const struct tcp_conn *c);
/* Retransmit the segment at snd_una (fast retransmit, partial ACK). */
void tcp_retransmit_una(struct tcp_conn *c);
/* SACK recovery: send by RFC 6675 NextSeg while pipe < cwnd. */
void tcp_sack_output(struct tcp_conn *c);
/*
 * Congestion window validation (Linux's tcp_cwnd_validate and
 * tcp_is_cwnd_limited): after sending, note the flight and whether cwnd
 * stopped the sender; on an ACK, whether cwnd may grow.
 */
void tcp_cwnd_validate(struct tcp_conn *c, bool limited);
bool tcp_cwnd_limited(const struct tcp_conn *c);

/* tcp_peer.c */
/* A listener's entry for a peer address, NULL if it has none. */
const struct tcp_peer *tcp_listener_peer(const struct tcp_listener *l,
    uint32_t addr);
/* o (a copy of l->o) with what l applies to addr's connections. */
void tcp_peer_opts(const struct tcp_listener *l, uint32_t addr,
    struct stream_opts *o);
/*
 * The TTL of a reset answering addr with no connection, at listener l
 * (NULL: a closed port): what l's connections to addr would send with
 * (its peer entry's, else l's own), 0 for the default.
 */
uint8_t tcp_reset_ttl(const struct tcp_listener *l, uint32_t addr);
/* The key of a connection from options (NULL: none); o valid. */
struct tcp_md5_key *tcp_md5_key_new(const struct stream_opts *o);
/*
 * Whether an arrived segment passes the connection's (or, c NULL, the
 * listener l's for its source; both NULL: a closed port, which has no
 * key) minimum TTL and MD5 signature check, with real of the segment's
 * payload bytes real (f->payload_len in all). One that does not is dropped
 * (traced and counted) and false returned; *key (may be NULL) is the key
 * a reply to it is signed with.
 */
bool tcp_admit(struct tcp_stack *st, const struct tcp_conn *c,
    const struct tcp_listener *l, struct pkt *p, const struct wire_frame *f,
    const struct tcp_opts *o, uint32_t hlen, uint32_t real,
    const struct tcp_md5_key **key);
void tcp_listener_free_peers(struct tcp_listener *l);
int tcp_listener_set_peer(struct stream_listener *sl, uint32_t addr,
    const struct stream_peer_opts *po);
int tcp_set_ttl(struct stream *s, uint8_t ttl, uint8_t min_ttl);

/* tcp_timer.c */
void tcp_timers_init(struct tcp_conn *c);
/* Arm the RTO for outstanding data (RFC 6298 5.1). */
void tcp_rtx_arm(struct tcp_conn *c, bool restart);
void tcp_rtt_sample(struct tcp_conn *c, sim_time r);
void tcp_delack_schedule(struct tcp_conn *c);
void tcp_persist_arm(struct tcp_conn *c);
void tcp_time_wait_arm(struct tcp_conn *c);
void tcp_syn_arm(struct tcp_conn *c);
/* The congestion state changed: tell the algorithm and the observers. */
void tcp_ca_set(struct tcp_conn *c, enum tcp_ca_state st);
/* Call the algorithm with an io filled from c, write back, notify. */
void tcp_cc_call_acked(struct tcp_conn *c, uint32_t segs, sim_time rtt,
    bool increase);
uint32_t tcp_cc_loss_ssthresh(struct tcp_conn *c);
uint32_t tcp_in_flight(const struct tcp_conn *c);

#endif
