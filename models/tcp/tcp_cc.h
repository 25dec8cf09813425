/*
 * tcp_cc.h - congestion control algorithms: NewReno (RFC 5681/6582's window
 * rules) and CUBIC (RFC 9438 with its TCP-friendly region and fast
 * convergence, and HyStart as ns-3 3.37's TcpCubic does it).
 *
 * The connection owns loss detection and recovery (tcp.c); an algorithm
 * only says how cwnd grows on new ACKs and what ssthresh becomes on a loss,
 * the split of ns-3's TcpCongestionOps (IncreaseWindow, GetSsThresh,
 * PktsAcked, CongestionStateSet), so that both simulators make the same
 * decisions at the same points. Windows are in bytes and grow in whole
 * segments of io->mss.
 *
 * struct tcp_cc is embedded in the connection (no allocation); it holds
 * every algorithm's state in a union.
 */
#ifndef XCSIM_TCP_CC_H
#define XCSIM_TCP_CC_H

#include <stdbool.h>
#include <stdint.h>

#include "tcp.h"
#include "units.h"

/* The connection's congestion state (ns-3's TcpCongState_t). */
enum tcp_ca_state {
	TCP_CA_OPEN = 0,	/* no loss suspected */
	TCP_CA_DISORDER,	/* duplicate ACKs or SACKs below the threshold */
	TCP_CA_RECOVERY,	/* fast recovery */
	TCP_CA_LOSS		/* after an RTO */
};

/* What the algorithm reads and writes; the connection fills it per call. */
struct tcp_cc_io {
	uint32_t cwnd, ssthresh;	/* bytes; the algorithm may change */
	uint32_t mss;			/* sender segment size, bytes */
	uint32_t in_flight;		/* bytes outstanding at the call */
	sim_time now;
	sim_time srtt;			/* 0 before the first sample */
	sim_time min_rtt;		/* lowest sample seen, 0 before */
};

struct tcp_cubic {
	uint32_t cnt;			/* ACKs (segments) per cwnd increment */
	uint32_t last_max_cwnd;		/* W_max in segments (fast convergence) */
	uint32_t last_cwnd;
	sim_time last_time;
	uint32_t bic_origin_point;	/* segments */
	double bic_k;			/* seconds */
	sim_time epoch_start;		/* 0: no epoch */
	uint32_t ack_cnt;
	uint32_t tcp_cwnd;		/* Reno-equivalent window (segments) */
	uint32_t cwnd_cnt;		/* for the Reno-style increase */
	/* HyStart */
	bool found;
	sim_time round_start, last_ack, delay_min, curr_rtt;
	uint32_t sample_cnt;
	uint32_t end_seq_segs;		/* in_flight at round start, segments */
};

struct tcp_cc {
	enum tcp_cc_kind kind;
	uint32_t newreno_acked;		/* bytes toward the next CA increment */
	struct tcp_cubic cubic;
};

void tcp_cc_init(struct tcp_cc *cc, enum tcp_cc_kind kind,
    const struct tcp_cfg *cfg, struct tcp_cc_io *io);
/*
 * An ACK acknowledged new data outside recovery: grow io->cwnd by slow
 * start below io->ssthresh, by the algorithm's rule above it (ns-3's
 * IncreaseWindow; segs_acked is in whole segments, at least 1).
 */
void tcp_cc_increase(struct tcp_cc *cc, struct tcp_cc_io *io,
    uint32_t segs_acked);
/*
 * Every ACK acknowledging new data, in any state, before increase, with
 * the RTT sample it gave (0 if none): CUBIC's HyStart (ns-3's PktsAcked).
 */
void tcp_cc_acked(struct tcp_cc *cc, struct tcp_cc_io *io, uint32_t segs_acked,
    sim_time rtt);
/* A loss was detected (entering recovery or after an RTO): new ssthresh. */
uint32_t tcp_cc_ssthresh(struct tcp_cc *cc, const struct tcp_cc_io *io);
/* The connection's congestion state changed (ns-3's CongestionStateSet). */
void tcp_cc_set_state(struct tcp_cc *cc, struct tcp_cc_io *io,
    enum tcp_ca_state st);

#endif
