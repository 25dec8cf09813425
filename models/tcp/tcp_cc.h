/*
 * tcp_cc.h - congestion control algorithms: NewReno (RFC 5681/6582's window
 * rules) and CUBIC (RFC 9438 with its TCP-friendly region and fast
 * convergence, and HyStart as ns-3 3.37's TcpCubic does it).
 *
 * The connection owns loss detection and recovery (tcp.c); an algorithm
 * only says how cwnd grows on new ACKs and what ssthresh becomes on a loss,
 * the split of ns-3's TcpCongestionOps (IncreaseWindow, GetSsThresh,
 * PktsAcked, CongestionStateSet), so that both simulators make the same
 * decisions at the same points. Windows are in bytes; CUBIC grows them in
 * whole segments of io->mss, NewReno's avoidance by max(1, mss^2 / cwnd)
 * bytes per ACK (ns-3's TcpNewReno, not RFC 5681's byte counting).
 *
 * struct tcp_cc is embedded in the connection (no allocation); it holds
 * the kind and CUBIC's state side by side (NewReno has none of its own),
 * not in a union: CUBIC's few dozen bytes are not worth the tagging.
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
	TCP_CA_LOSS,		/* after an RTO */
	TCP_CA_MAX
};
/* "open", "disorder", "recovery", "loss": for traces and logs. */
extern const char *const tcp_ca_state_name[TCP_CA_MAX];

/* What the algorithm reads and writes; the connection fills it per call. */
struct tcp_cc_io {
	uint32_t cwnd, ssthresh;	/* bytes; the algorithm may change */
	uint32_t mss;			/* sender segment size, bytes */
	/*
	 * Bytes outstanding at the call: with SACK, RFC 6675's pipe (ns-3's
	 * BytesInFlight: sent - SACKed - lost + retransmitted, tcp_sb_pipe()),
	 * not snd_max - snd_una; NewReno's ssthresh is half of it.
	 */
	uint32_t in_flight;
	sim_time now;
	sim_time srtt;			/* 0 before the first sample */
	sim_time min_rtt;		/* lowest sample seen, 0 before */
};

/*
 * CUBIC's state, in ns-3 3.37 TcpCubic's terms (windows in whole segments,
 * as GetCwndInSegments() gives them). Times of TCP_CC_TIME_NONE are unset
 * (ns-3's Time::Min()).
 */
#define TCP_CC_TIME_NONE INT64_MIN

struct tcp_cubic {
	/* configuration, from tcp_cfg at init; may be changed after */
	bool hystart;			/* cfg->hystart */
	bool fast_convergence;		/* true, as ns-3 */
	/*
	 * RFC 9438 4.3's Reno-friendly region. ns-3 3.37's TcpCubic has none,
	 * so it is off by default to keep the ns-3 comparison fair.
	 */
	bool reno_friendly;
	uint32_t cwnd_cnt;		/* segments ACKed toward the next +1 */
	uint32_t last_max_cwnd;		/* W_max in segments (fast convergence) */
	uint32_t prior_cwnd;		/* cwnd at the last loss (segments) */
	uint32_t bic_origin_point;	/* segments */
	double bic_k;			/* K, seconds */
	sim_time epoch_start;		/* TCP_CC_TIME_NONE: no epoch */
	double w_est;			/* RFC 9438 W_est (segments) */
	/* HyStart */
	bool found;
	sim_time delay_min;		/* 0: no sample yet */
	sim_time last_rtt;		/* last RTT sample (ns-3's m_lastRtt) */
	sim_time round_start, last_ack;	/* TCP_CC_TIME_NONE before a round */
	sim_time curr_rtt;		/* 0: none this round */
	uint32_t sample_cnt;
	/*
	 * The round ends when the cumulative ACK passes what was outstanding
	 * at its start (ns-3: m_lastAckedSeq > m_endSeq, with m_endSeq the
	 * high transmit mark): bytes outstanding then, and bytes ACKed since.
	 */
	uint32_t round_len, round_acked;
};

struct tcp_cc {
	enum tcp_cc_kind kind;
	struct tcp_cubic cubic;
};

/*
 * Start an algorithm: io->cwnd becomes cfg->init_cwnd segments of io->mss
 * and io->ssthresh cfg->init_ssthresh (ns-3's initial window settings).
 * kind must be a valid enum tcp_cc_kind (SIM_ASSERT): the configuration
 * layer has already turned names into kinds with tcp_cc_kind_parse().
 */
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
 * the RTT sample it gave (0 if none; the last one is used then, as ns-3
 * passes m_lastRtt): CUBIC's HyStart (ns-3's PktsAcked). segs_acked must
 * be the segments the cumulative ACK advanced: HyStart's round ends when
 * they pass what was in flight at its start (ns-3: m_lastAckedSeq >
 * m_endSeq), so calls for duplicate ACKs would end rounds early.
 */
void tcp_cc_acked(struct tcp_cc *cc, struct tcp_cc_io *io, uint32_t segs_acked,
    sim_time rtt);
/*
 * A loss was detected (entering recovery or after an RTO): new ssthresh.
 * On an RTO the caller asks for it BEFORE tcp_cc_set_state(TCP_CA_LOSS),
 * as ns-3's TcpSocketBase::ReTxTimeout does: CUBIC records W_max here from
 * the window at the loss and entering LOSS then forgets it (CubicReset,
 * like Linux's bictcp_state), so the epoch after a timeout starts from the
 * window it has, not toward the old W_max. The other order would keep
 * W_max and aim the cubic function at it.
 */
uint32_t tcp_cc_ssthresh(struct tcp_cc *cc, const struct tcp_cc_io *io);
/* The connection's congestion state changed (ns-3's CongestionStateSet). */
void tcp_cc_set_state(struct tcp_cc *cc, struct tcp_cc_io *io,
    enum tcp_ca_state st);

#endif
