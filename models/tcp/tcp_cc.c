/*
 * tcp_cc.c - NewReno and CUBIC (with HyStart) as ns-3 3.37's TcpNewReno and
 * TcpCubic make their decisions, so that the benchmark against ns-3 compares
 * the simulators and not two readings of the RFCs.
 *
 * Where ns-3 departs from the RFCs this file follows ns-3 and says so:
 * NewReno's slow start grows by one segment per ACK whatever it covers (RFC
 * 5681's min(N, SMSS)), CUBIC's slow start counts bytes (ns-3's stand-in for
 * Linux's QUICKACK), CUBIC grows in congestion avoidance by one segment per
 * "cnt" ACKed segments with cnt at least 2, and its Reno-friendly region
 * (RFC 9438 4.3), absent from ns-3 3.37, is an option that is off by default.
 *
 * CUBIC computes in double and in seconds (K, t, the cubic term, W_est)
 * where everything else in models/ is integer nanoseconds and bytes: ns-3's
 * TcpCubic::Update does its arithmetic in double on Time::GetSeconds(),
 * truncating to whole segments where it assigns to uint32_t, and the point
 * is to make its decisions bit for bit (a window one segment apart after a
 * truncation diverges from there on). The doubles are deterministic: the
 * same operations in the same order on every run; no fast-math.
 */
#include <math.h>
#include <string.h>

#include "tcp_cc.h"
#include "util.h"

/* TcpCubic's attribute defaults in ns-3 3.37. */
#define CUBIC_C 0.4
#define CUBIC_BETA 0.7
#define CUBIC_CNT_CLAMP 20u
#define CUBIC_DELTA SIM_MS(10)		/* no delay samples after recovery */
#define HYSTART_LOW_WINDOW 16u		/* segments */
#define HYSTART_MIN_SAMPLES 8u
#define HYSTART_ACK_DELTA SIM_MS(2)
#define HYSTART_DELAY_MIN SIM_MS(4)
#define HYSTART_DELAY_MAX SIM_MS(1000)

const char *const tcp_ca_state_name[TCP_CA_MAX] = {
	[TCP_CA_OPEN] = "open",
	[TCP_CA_DISORDER] = "disorder",
	[TCP_CA_RECOVERY] = "recovery",
	[TCP_CA_LOSS] = "loss",
};

static const char *const cc_names[TCP_CC_MAX] = {
	[TCP_CC_NEWRENO] = "newreno",
	[TCP_CC_CUBIC] = "cubic",
};

const char *
tcp_cc_kind_name(enum tcp_cc_kind k)
{
	if ((unsigned)k >= TCP_CC_MAX)
		return "?";
	return cc_names[k];
}

int
tcp_cc_kind_parse(const char *name)
{
	int k;

	if (name == NULL)
		return -1;
	for (k = 0; k < TCP_CC_MAX; k++)
		if (strcmp(name, cc_names[k]) == 0)
			return k;
	return -1;
}

/* cwnd + add without wrapping the 32-bit window. */
static uint32_t
cwnd_add(uint32_t cwnd, uint64_t add)
{
	uint64_t w = (uint64_t)cwnd + add;

	return w > UINT32_MAX ? UINT32_MAX : (uint32_t)w;
}

/* A double to uint32 as C++'s static_cast does for in-range values;
 * out-of-range ones saturate instead of being undefined. */
static uint32_t
dbl_u32(double d)
{
	if (!(d > 0.0))
		return 0;
	if (d >= 4294967295.0)
		return UINT32_MAX;
	return (uint32_t)d;
}

/* --- NewReno (ns-3 TcpNewReno) --- */

static void
newreno_increase(struct tcp_cc_io *io, uint32_t segs_acked)
{
	if (io->cwnd < io->ssthresh && segs_acked >= 1) {
		/* One segment per ACK however much it covers; the rest are
		 * left to congestion avoidance below (TcpNewReno::SlowStart). */
		io->cwnd = cwnd_add(io->cwnd, io->mss);
		segs_acked--;
	}
	if (io->cwnd >= io->ssthresh && segs_acked > 0) {
		/* Once per ACK, not per segment: max(1, mss^2 / cwnd) bytes. */
		double adder = io->cwnd == 0 ? (double)io->mss :
		    (double)io->mss * (double)io->mss / (double)io->cwnd;

		if (adder < 1.0)
			adder = 1.0;
		io->cwnd = cwnd_add(io->cwnd, dbl_u32(adder));
	}
}

static uint32_t
newreno_ssthresh(const struct tcp_cc_io *io)
{
	uint32_t half = io->in_flight / 2, min = 2 * io->mss;

	return half > min ? half : min;
}

/* --- CUBIC (ns-3 TcpCubic) --- */

static void
hystart_reset(struct tcp_cubic *cu, const struct tcp_cc_io *io)
{
	cu->round_start = cu->last_ack = io->now;
	cu->round_len = io->in_flight;
	cu->round_acked = 0;
	cu->curr_rtt = 0;
	cu->sample_cnt = 0;
}

static void
cubic_init(struct tcp_cubic *cu, const struct tcp_cfg *cfg)
{
	memset(cu, 0, sizeof(*cu));
	cu->hystart = cfg->hystart;
	cu->fast_convergence = true;
	cu->reno_friendly = false;
	cu->epoch_start = TCP_CC_TIME_NONE;
	cu->round_start = cu->last_ack = TCP_CC_TIME_NONE;
}

static sim_time
hystart_delay_thresh(sim_time t)
{
	if (t > HYSTART_DELAY_MAX)
		return HYSTART_DELAY_MAX;
	if (t < HYSTART_DELAY_MIN)
		return HYSTART_DELAY_MIN;
	return t;
}

static void
hystart_update(struct tcp_cubic *cu, struct tcp_cc_io *io, sim_time delay)
{
	sim_time now = io->now;

	if (cu->found)
		return;
	/* ACK train: ACKs closely spaced for longer than the minimum RTT. */
	if (cu->last_ack != TCP_CC_TIME_NONE &&
	    now - cu->last_ack <= HYSTART_ACK_DELTA) {
		cu->last_ack = now;
		if (now - cu->round_start > cu->delay_min)
			cu->found = true;
	}
	/* Delay: the round's lowest of the first samples well above min. */
	if (cu->sample_cnt < HYSTART_MIN_SAMPLES) {
		if (cu->curr_rtt == 0 || cu->curr_rtt > delay)
			cu->curr_rtt = delay;
		cu->sample_cnt++;
	} else if (cu->curr_rtt > cu->delay_min +
	    hystart_delay_thresh(cu->delay_min)) {
		cu->found = true;
	}
	if (cu->found)
		io->ssthresh = io->cwnd;
}

static void
cubic_acked(struct tcp_cubic *cu, struct tcp_cc_io *io, uint32_t segs_acked,
    sim_time rtt)
{
	cu->round_acked = (uint32_t)cwnd_add(cu->round_acked,
	    (uint64_t)segs_acked * io->mss);
	/* ns-3 passes its last RTT sample with every ACK. */
	if (rtt > 0)
		cu->last_rtt = rtt;
	if (cu->last_rtt <= 0)
		return;
	rtt = cu->last_rtt;
	/* Delay samples right after a reduction are discarded. */
	if (cu->epoch_start != TCP_CC_TIME_NONE &&
	    io->now - cu->epoch_start < CUBIC_DELTA)
		return;
	if (cu->delay_min == 0 || cu->delay_min > rtt)
		cu->delay_min = rtt;
	if (cu->hystart && io->cwnd <= io->ssthresh &&
	    (uint64_t)io->cwnd >= (uint64_t)HYSTART_LOW_WINDOW * io->mss)
		hystart_update(cu, io, rtt);
}

/*
 * ACKed segments per one-segment increase, from the cubic function one
 * minimum RTT ahead (TcpCubic::Update), and with reno_friendly from RFC
 * 9438 4.3's W_est when that is ahead of the cubic window.
 */
static uint32_t
cubic_update(struct tcp_cubic *cu, const struct tcp_cc_io *io,
    uint32_t segs_acked)
{
	uint32_t seg_cwnd = io->cwnd / io->mss, delta, target, cnt;
	double t, offs;

	if (cu->epoch_start == TCP_CC_TIME_NONE) {
		cu->epoch_start = io->now;
		if (cu->last_max_cwnd <= seg_cwnd) {
			cu->bic_k = 0.0;
			cu->bic_origin_point = seg_cwnd;
		} else {
			/* pow(x, 1/3.), as ns-3: cbrt() differs in the last
			 * bit for some x (75, say), and K feeds every target. */
			cu->bic_k = pow((double)(cu->last_max_cwnd -
			    seg_cwnd) / CUBIC_C, 1.0 / 3.0);
			cu->bic_origin_point = cu->last_max_cwnd;
		}
		cu->w_est = seg_cwnd;
	}
	t = (double)(io->now + cu->delay_min - cu->epoch_start) / 1e9;
	offs = t < cu->bic_k ? cu->bic_k - t : t - cu->bic_k;
	delta = dbl_u32(CUBIC_C * offs * offs * offs);
	if (t < cu->bic_k)
		target = cu->bic_origin_point > delta ?
		    cu->bic_origin_point - delta : 0;
	else
		target = cwnd_add(cu->bic_origin_point, delta);
	if (target > seg_cwnd)
		cnt = seg_cwnd / (target - seg_cwnd);
	else
		cnt = seg_cwnd > UINT32_MAX / 100 ? UINT32_MAX : 100 * seg_cwnd;
	if (cu->last_max_cwnd == 0 && cnt > CUBIC_CNT_CLAMP)
		cnt = CUBIC_CNT_CLAMP;
	if (cu->reno_friendly) {
		/*
		 * W_est grows like Reno with CUBIC's beta: alpha segments per
		 * window of ACKed segments, alpha = 3(1-beta)/(1+beta), then 1
		 * once it reaches the window of the last loss.
		 */
		double alpha = 3.0 * (1.0 - CUBIC_BETA) / (1.0 + CUBIC_BETA);

		if (cu->w_est >= (double)cu->prior_cwnd)
			alpha = 1.0;
		if (seg_cwnd > 0)
			cu->w_est += alpha * segs_acked / seg_cwnd;
		if (cu->w_est > (double)seg_cwnd) {
			uint32_t max_cnt = dbl_u32((double)seg_cwnd /
			    (cu->w_est - (double)seg_cwnd));

			if (cnt > max_cnt)
				cnt = max_cnt;
		}
	}
	return cnt > 2 ? cnt : 2;
}

static void
cubic_increase(struct tcp_cubic *cu, struct tcp_cc_io *io, uint32_t segs_acked)
{
	if (io->cwnd < io->ssthresh) {
		if (cu->hystart && cu->round_acked > cu->round_len)
			hystart_reset(cu, io);
		/* Byte counting: ns-3's approximation of Linux's QUICKACK. */
		io->cwnd = cwnd_add(io->cwnd, (uint64_t)segs_acked * io->mss);
		segs_acked = 0;
	}
	if (io->cwnd >= io->ssthresh && segs_acked > 0) {
		uint32_t cnt;

		cu->cwnd_cnt += segs_acked;
		cnt = cubic_update(cu, io, segs_acked);
		if (cu->cwnd_cnt >= cnt) {
			io->cwnd = cwnd_add(io->cwnd, io->mss);
			cu->cwnd_cnt -= cnt;
		}
	}
}

static uint32_t
cubic_ssthresh(struct tcp_cubic *cu, const struct tcp_cc_io *io)
{
	uint32_t seg_cwnd = io->cwnd / io->mss, ss;

	/* Fast convergence: a loss below the last W_max yields bandwidth. */
	if (seg_cwnd < cu->last_max_cwnd && cu->fast_convergence)
		cu->last_max_cwnd = dbl_u32(seg_cwnd * (1.0 + CUBIC_BETA) /
		    2.0);
	else
		cu->last_max_cwnd = seg_cwnd;
	cu->prior_cwnd = seg_cwnd;
	cu->epoch_start = TCP_CC_TIME_NONE;
	ss = dbl_u32(seg_cwnd * CUBIC_BETA);
	if (ss < 2)
		ss = 2;
	return (uint32_t)cwnd_add(0, (uint64_t)ss * io->mss);
}

static void
cubic_set_state(struct tcp_cubic *cu, struct tcp_cc_io *io,
    enum tcp_ca_state st)
{
	if (st != TCP_CA_LOSS)
		return;
	/* After an RTO CUBIC starts over, HyStart included (CubicReset). */
	cu->last_max_cwnd = 0;
	cu->bic_origin_point = 0;
	cu->bic_k = 0.0;
	cu->delay_min = 0;
	cu->found = false;
	hystart_reset(cu, io);
}

/* --- dispatch --- */

void
tcp_cc_init(struct tcp_cc *cc, enum tcp_cc_kind kind,
    const struct tcp_cfg *cfg, struct tcp_cc_io *io)
{
	/* A silent fallback would run NewReno where the user asked for
	 * something else: a bad kind is a bug in the caller. */
	SIM_ASSERT((unsigned)kind < TCP_CC_MAX, "tcp_cc_init: bad kind %d",
	    (int)kind);
	memset(cc, 0, sizeof(*cc));
	cc->kind = kind;
	cubic_init(&cc->cubic, cfg);
	io->cwnd = (uint32_t)cwnd_add(0, (uint64_t)cfg->init_cwnd * io->mss);
	io->ssthresh = cfg->init_ssthresh;
}

void
tcp_cc_increase(struct tcp_cc *cc, struct tcp_cc_io *io, uint32_t segs_acked)
{
	if (io->mss == 0)
		return;
	switch (cc->kind) {
	case TCP_CC_CUBIC:
		cubic_increase(&cc->cubic, io, segs_acked);
		break;
	default:
		newreno_increase(io, segs_acked);
		break;
	}
}

void
tcp_cc_acked(struct tcp_cc *cc, struct tcp_cc_io *io, uint32_t segs_acked,
    sim_time rtt)
{
	if (cc->kind == TCP_CC_CUBIC && io->mss != 0)
		cubic_acked(&cc->cubic, io, segs_acked, rtt);
}

uint32_t
tcp_cc_ssthresh(struct tcp_cc *cc, const struct tcp_cc_io *io)
{
	if (cc->kind == TCP_CC_CUBIC && io->mss != 0)
		return cubic_ssthresh(&cc->cubic, io);
	return newreno_ssthresh(io);
}

void
tcp_cc_set_state(struct tcp_cc *cc, struct tcp_cc_io *io,
    enum tcp_ca_state st)
{
	if (cc->kind == TCP_CC_CUBIC)
		cubic_set_state(&cc->cubic, io, st);
}
