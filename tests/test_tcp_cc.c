/*
 * test_tcp_cc.c - congestion control as ns-3 3.37 computes it: NewReno's
 * exact per-ACK growth and ssthresh, CUBIC's window following its cubic
 * function after a loss under simulated ACK clocking, K, fast convergence,
 * the count clamp, the optional Reno-friendly region, HyStart's delay and
 * ACK-train exits and its low window, and the reset after an RTO.
 */
#include <sys/wait.h>

#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tcp_cc.h"
#include "testutil.h"

static void
cfg_init(struct tcp_cfg *c, uint32_t init_cwnd, bool hystart)
{
	memset(c, 0, sizeof(*c));
	c->init_cwnd = init_cwnd;
	c->init_ssthresh = UINT32_MAX;
	c->hystart = hystart;
}

static void
cc_start(struct tcp_cc *cc, struct tcp_cc_io *io, enum tcp_cc_kind k,
    uint32_t mss, uint32_t init_cwnd, bool hystart)
{
	struct tcp_cfg cfg;

	cfg_init(&cfg, init_cwnd, hystart);
	memset(io, 0, sizeof(*io));
	io->mss = mss;
	tcp_cc_init(cc, k, &cfg, io);
}

/* One ACK the way the connection reports it: acked, then increase. */
static void
ack(struct tcp_cc *cc, struct tcp_cc_io *io, sim_time now, uint32_t segs,
    sim_time rtt)
{
	io->now = now;
	tcp_cc_acked(cc, io, segs, rtt);
	tcp_cc_increase(cc, io, segs);
}

static void
test_names(void)
{
	CU_ASSERT_STRING_EQUAL(tcp_cc_kind_name(TCP_CC_NEWRENO), "newreno");
	CU_ASSERT_STRING_EQUAL(tcp_cc_kind_name(TCP_CC_CUBIC), "cubic");
	CU_ASSERT_EQUAL(tcp_cc_kind_parse("newreno"), TCP_CC_NEWRENO);
	CU_ASSERT_EQUAL(tcp_cc_kind_parse("cubic"), TCP_CC_CUBIC);
	CU_ASSERT_EQUAL(tcp_cc_kind_parse("Cubic"), -1);
	CU_ASSERT_EQUAL(tcp_cc_kind_parse("reno"), -1);
	CU_ASSERT_EQUAL(tcp_cc_kind_parse(""), -1);
	CU_ASSERT_EQUAL(tcp_cc_kind_parse(NULL), -1);
}

static void
test_init(void)
{
	struct tcp_cc cc;
	struct tcp_cc_io io;

	cc_start(&cc, &io, TCP_CC_CUBIC, 1448, 10, true);
	CU_ASSERT_EQUAL(cc.kind, TCP_CC_CUBIC);
	CU_ASSERT_EQUAL(io.cwnd, 14480);
	CU_ASSERT_EQUAL(io.ssthresh, UINT32_MAX);
	CU_ASSERT_TRUE(cc.cubic.hystart);
	CU_ASSERT_TRUE(cc.cubic.fast_convergence);
	CU_ASSERT_FALSE(cc.cubic.reno_friendly);
	CU_ASSERT_EQUAL(cc.cubic.epoch_start, TCP_CC_TIME_NONE);
	cc_start(&cc, &io, TCP_CC_NEWRENO, 1000, 2, false);
	CU_ASSERT_EQUAL(cc.kind, TCP_CC_NEWRENO);
	CU_ASSERT_EQUAL(io.cwnd, 2000);
}

static void
test_ca_state_names(void)
{
	int i, j;

	for (i = 0; i < TCP_CA_MAX; i++) {
		CU_ASSERT_PTR_NOT_NULL_FATAL(tcp_ca_state_name[i]);
		for (j = 0; j < i; j++)
			CU_ASSERT(strcmp(tcp_ca_state_name[i],
			    tcp_ca_state_name[j]) != 0);
	}
	CU_ASSERT_STRING_EQUAL(tcp_ca_state_name[TCP_CA_OPEN], "open");
	CU_ASSERT_STRING_EQUAL(tcp_ca_state_name[TCP_CA_LOSS], "loss");
}

/* A kind out of range is a caller's bug: abort, not NewReno in its place. */
static void
test_init_bad_kind_aborts(void)
{
	pid_t pid;
	int st = 0;

	fflush(NULL);
	pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0) {
		struct tcp_cc cc;
		struct tcp_cc_io io;

		/* the message is expected: keep it out of the test's output */
		if (freopen("/dev/null", "w", stderr) == NULL)
			_exit(2);
		cc_start(&cc, &io, TCP_CC_MAX, 1000, 10, false);
		_exit(0);
	}
	CU_ASSERT_EQUAL_FATAL(waitpid(pid, &st, 0), pid);
	CU_ASSERT_TRUE(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT);
}

static void
test_newreno_slow_start(void)
{
	struct tcp_cc cc;
	struct tcp_cc_io io;

	cc_start(&cc, &io, TCP_CC_NEWRENO, 1000, 10, false);
	io.ssthresh = 20000;
	ack(&cc, &io, SIM_MS(1), 1, 0);
	CU_ASSERT_EQUAL(io.cwnd, 11000);
	/* A cumulative ACK of two segments still adds one (RFC 5681 (2)). */
	ack(&cc, &io, SIM_MS(2), 2, 0);
	CU_ASSERT_EQUAL(io.cwnd, 12000);
	ack(&cc, &io, SIM_MS(3), 5, 0);
	CU_ASSERT_EQUAL(io.cwnd, 13000);
	/* Reaching ssthresh: the leftover segments go to avoidance once. */
	io.cwnd = 19000;
	ack(&cc, &io, SIM_MS(4), 3, 0);
	CU_ASSERT_EQUAL(io.cwnd, 20000 + 1000 * 1000 / 20000);
	/* Exactly one segment at ssthresh - mss: no avoidance step. */
	io.cwnd = 19000;
	ack(&cc, &io, SIM_MS(5), 1, 0);
	CU_ASSERT_EQUAL(io.cwnd, 20000);
	/* Nothing ACKed, nothing grows. */
	ack(&cc, &io, SIM_MS(6), 0, 0);
	CU_ASSERT_EQUAL(io.cwnd, 20000);
}

static void
test_newreno_avoidance(void)
{
	struct tcp_cc cc;
	struct tcp_cc_io io;
	uint32_t i, w;

	cc_start(&cc, &io, TCP_CC_NEWRENO, 1448, 10, false);
	io.ssthresh = 50000;
	io.cwnd = 100000;
	/* 1448 * 1448 / 100000 = 20.97: 20 bytes. */
	ack(&cc, &io, SIM_MS(1), 1, 0);
	CU_ASSERT_EQUAL(io.cwnd, 100020);
	/* Once per ACK, not per segment it covers. */
	ack(&cc, &io, SIM_MS(2), 5, 0);
	CU_ASSERT_EQUAL(io.cwnd, 100040);
	/* Reproduce a window's worth against the formula. */
	w = io.cwnd;
	for (i = 0; i < 70; i++) {
		ack(&cc, &io, SIM_MS(3 + i), 2, 0);
		w += 1448u * 1448u / w;
	}
	CU_ASSERT_EQUAL(io.cwnd, w);
	/* Huge windows still grow by at least one byte. */
	io.cwnd = 3000000;
	ack(&cc, &io, SIM_MS(100), 1, 0);
	CU_ASSERT_EQUAL(io.cwnd, 3000001);
	io.cwnd = 4000000;
	io.mss = 1000;
	ack(&cc, &io, SIM_MS(101), 1, 0);
	CU_ASSERT_EQUAL(io.cwnd, 4000001);
	/* No wrap at the top of the window. */
	io.cwnd = UINT32_MAX - 10;
	io.ssthresh = UINT32_MAX;
	ack(&cc, &io, SIM_MS(102), 1, 0);
	CU_ASSERT_EQUAL(io.cwnd, UINT32_MAX);
}

static void
test_newreno_ssthresh(void)
{
	struct tcp_cc cc;
	struct tcp_cc_io io;

	cc_start(&cc, &io, TCP_CC_NEWRENO, 1448, 10, false);
	io.cwnd = 100000;
	io.in_flight = 60001;
	CU_ASSERT_EQUAL(tcp_cc_ssthresh(&cc, &io), 30000);
	io.in_flight = 4000;
	CU_ASSERT_EQUAL(tcp_cc_ssthresh(&cc, &io), 2 * 1448);
	io.in_flight = 0;
	CU_ASSERT_EQUAL(tcp_cc_ssthresh(&cc, &io), 2 * 1448);
	/* From the flight, not cwnd (ns-3's bytesInFlight). */
	io.cwnd = 5000;
	io.in_flight = 80000;
	CU_ASSERT_EQUAL(tcp_cc_ssthresh(&cc, &io), 40000);
	/* The state changes do not touch NewReno. */
	tcp_cc_set_state(&cc, &io, TCP_CA_LOSS);
	CU_ASSERT_EQUAL(io.cwnd, 5000);
}

static void
test_cubic_slow_start_bytes(void)
{
	struct tcp_cc cc;
	struct tcp_cc_io io;

	cc_start(&cc, &io, TCP_CC_CUBIC, 1448, 10, false);
	/* Byte counting: a two-segment ACK adds two segments. */
	ack(&cc, &io, SIM_MS(1), 2, SIM_MS(1));
	CU_ASSERT_EQUAL(io.cwnd, 12 * 1448);
	ack(&cc, &io, SIM_MS(2), 1, SIM_MS(1));
	CU_ASSERT_EQUAL(io.cwnd, 13 * 1448);
	/* Slow start takes every segment even past ssthresh. */
	io.ssthresh = 14 * 1448;
	ack(&cc, &io, SIM_MS(3), 3, SIM_MS(1));
	CU_ASSERT_EQUAL(io.cwnd, 16 * 1448);
}

/*
 * ACK clocking at a fixed RTT: every round trip the whole window comes
 * back, one ACK per segment, spread evenly over the RTT, each with an RTT
 * sample of rtt. Runs whole rounds until *now reaches until.
 */
static void
clock_rounds(struct tcp_cc *cc, struct tcp_cc_io *io, sim_time *now,
    sim_time rtt, sim_time until)
{
	while (*now < until) {
		uint32_t n = io->cwnd / io->mss, i;

		for (i = 0; i < n; i++) {
			io->in_flight = io->cwnd;
			ack(cc, io, *now + rtt * (sim_time)i / (sim_time)n, 1,
			    rtt);
		}
		*now += rtt;
	}
}

/* W(t) of RFC 9438 (4.2), segments. */
static double
w_cubic(double t, double k, double w_max)
{
	return 0.4 * (t - k) * (t - k) * (t - k) + w_max;
}

static void
test_cubic_follows_function(void)
{
	static const double checks[] = { 0.5, 1.0, 2.0, 3.0, 4.0, 4.5, 5.0,
	    5.5, 6.0 };
	struct tcp_cc cc;
	struct tcp_cc_io io;
	const sim_time rtt = SIM_MS(20);
	sim_time now = 0, epoch;
	double k;
	size_t i;

	cc_start(&cc, &io, TCP_CC_CUBIC, 1000, 10, false);
	/* One RTT sample before the loss gives CUBIC its minimum RTT. */
	io.cwnd = 100 * 1000;
	ack(&cc, &io, now, 0, rtt);
	io.cwnd = 100 * 1000;
	io.in_flight = io.cwnd;
	io.ssthresh = tcp_cc_ssthresh(&cc, &io);
	CU_ASSERT_EQUAL(io.ssthresh, 70 * 1000);
	CU_ASSERT_EQUAL(cc.cubic.last_max_cwnd, 100);
	io.cwnd = io.ssthresh;		/* recovery over */
	now = SIM_MS(100);
	epoch = now;
	/* ns-3's std::pow(x / m_c, 1 / 3.); cbrt(75) is one ulp off it */
	k = pow(30.0 / 0.4, 1.0 / 3.0);
	for (i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
		double want, got;

		clock_rounds(&cc, &io, &now, rtt,
		    epoch + (sim_time)(checks[i] * 1e9));
		if (i == 0) {
			CU_ASSERT_EQUAL(cc.cubic.epoch_start, epoch);
			CU_ASSERT_EQUAL(cc.cubic.bic_k, k);	/* bit for bit */
			CU_ASSERT_EQUAL(cc.cubic.bic_origin_point, 100);
		}
		want = w_cubic((double)(now - epoch) / 1e9, k, 100.0);
		got = (double)io.cwnd / 1000.0;
		CU_ASSERT_DOUBLE_EQUAL(got, want, 1.0);
		if (fabs(got - want) > 1.0)
			fprintf(stderr, "t=%.3f cwnd %.0f W(t) %.2f\n",
			    (double)(now - epoch) / 1e9, got, want);
	}
	/* The plateau is at W_max, then it probes above. */
	CU_ASSERT_TRUE(io.cwnd > 100 * 1000);
}

static void
test_cubic_fast_convergence(void)
{
	struct tcp_cc cc;
	struct tcp_cc_io io;

	cc_start(&cc, &io, TCP_CC_CUBIC, 1000, 10, false);
	io.cwnd = 100 * 1000;
	io.ssthresh = tcp_cc_ssthresh(&cc, &io);
	CU_ASSERT_EQUAL(cc.cubic.last_max_cwnd, 100);
	/*
	 * The next loss comes below W_max: W_max = 90 (1 + 0.7) / 2; and
	 * ssthresh is 62, not 63, segments: 90 * 0.7 is 62.999... in binary
	 * and ns-3 truncates it.
	 */
	io.cwnd = 90 * 1000 + 999;	/* whole segments count */
	io.ssthresh = tcp_cc_ssthresh(&cc, &io);
	CU_ASSERT_EQUAL(cc.cubic.last_max_cwnd, 76);
	CU_ASSERT_EQUAL(io.ssthresh, 62 * 1000);
	CU_ASSERT_EQUAL(cc.cubic.epoch_start, TCP_CC_TIME_NONE);
	/* The epoch after it aims at the lowered W_max. */
	io.cwnd = io.ssthresh;
	ack(&cc, &io, SIM_S(1), 1, SIM_MS(10));
	CU_ASSERT_EQUAL(cc.cubic.bic_origin_point, 76);
	CU_ASSERT_EQUAL(cc.cubic.bic_k, pow(14.0 / 0.4, 1.0 / 3.0));
	/* A loss above W_max sets it to the window. */
	io.cwnd = 120 * 1000;
	tcp_cc_ssthresh(&cc, &io);
	CU_ASSERT_EQUAL(cc.cubic.last_max_cwnd, 120);
	/* Without fast convergence the lower loss point is W_max. */
	cc.cubic.fast_convergence = false;
	io.cwnd = 90 * 1000;
	tcp_cc_ssthresh(&cc, &io);
	CU_ASSERT_EQUAL(cc.cubic.last_max_cwnd, 90);
	/* ssthresh never below two segments. */
	io.cwnd = 2 * 1000;
	CU_ASSERT_EQUAL(tcp_cc_ssthresh(&cc, &io), 2 * 1000);
}

/*
 * On an RTO the connection asks for ssthresh before entering LOSS (ns-3's
 * ReTxTimeout): GetSsThresh records W_max, then CubicReset forgets it, so
 * the epoch after the timeout starts at the window it has (K = 0). The
 * other order would keep W_max = 100 and aim the curve at it.
 */
static void
test_cubic_rto_order(void)
{
	struct tcp_cc cc;
	struct tcp_cc_io io;
	int order;

	for (order = 0; order < 2; order++) {
		cc_start(&cc, &io, TCP_CC_CUBIC, 1000, 10, false);
		io.cwnd = 100 * 1000;
		io.ssthresh = 50 * 1000;
		ack(&cc, &io, SIM_MS(100), 1, SIM_MS(20));
		CU_ASSERT_NOT_EQUAL(cc.cubic.epoch_start, TCP_CC_TIME_NONE);
		io.cwnd = 100 * 1000;
		io.in_flight = io.cwnd;
		if (order == 0) {
			/* the documented order */
			io.ssthresh = tcp_cc_ssthresh(&cc, &io);
			tcp_cc_set_state(&cc, &io, TCP_CA_LOSS);
		} else {
			tcp_cc_set_state(&cc, &io, TCP_CA_LOSS);
			io.ssthresh = tcp_cc_ssthresh(&cc, &io);
		}
		CU_ASSERT_EQUAL(io.ssthresh, 70 * 1000);
		CU_ASSERT_EQUAL(cc.cubic.last_max_cwnd, order == 0 ? 0 : 100);
		/* slow start back to ssthresh, then the first avoidance ACK */
		io.cwnd = 70 * 1000;
		ack(&cc, &io, SIM_S(2), 1, SIM_MS(20));
		CU_ASSERT_EQUAL(cc.cubic.epoch_start, SIM_S(2));
		if (order == 0) {
			CU_ASSERT_EQUAL(cc.cubic.bic_origin_point, 70);
			CU_ASSERT_EQUAL(cc.cubic.bic_k, 0.0);
		} else {
			CU_ASSERT_EQUAL(cc.cubic.bic_origin_point, 100);
			CU_ASSERT_EQUAL(cc.cubic.bic_k,
			    pow(30.0 / 0.4, 1.0 / 3.0));
		}
	}
}

static void
test_cubic_cnt_clamp(void)
{
	struct tcp_cc cc;
	struct tcp_cc_io io;
	int i;

	/* Left slow start without a loss (HyStart): W_max is 0. */
	cc_start(&cc, &io, TCP_CC_CUBIC, 1000, 10, false);
	io.cwnd = io.ssthresh = 100 * 1000;
	for (i = 1; i < 20; i++) {
		ack(&cc, &io, SIM_MS(10) + i, 1, SIM_MS(1));
		CU_ASSERT_EQUAL(io.cwnd, 100 * 1000);
	}
	ack(&cc, &io, SIM_MS(10) + 20, 1, SIM_MS(1));
	CU_ASSERT_EQUAL(io.cwnd, 101 * 1000);
	CU_ASSERT_EQUAL(cc.cubic.cwnd_cnt, 0);
	/* And at most one segment per two ACKed whatever the target. */
	cc_start(&cc, &io, TCP_CC_CUBIC, 1000, 10, false);
	cc.cubic.last_max_cwnd = 5;
	io.cwnd = io.ssthresh = 10 * 1000;
	/* a 10 s minimum RTT puts the target 400 segments ahead */
	ack(&cc, &io, SIM_MS(10), 1, SIM_S(10));
	CU_ASSERT_EQUAL(io.cwnd, 10 * 1000);
	ack(&cc, &io, SIM_MS(10), 1, SIM_S(10));
	CU_ASSERT_EQUAL(io.cwnd, 11 * 1000);
}

/*
 * RFC 9438 4.3's W_est in closed form, segments, t seconds into the
 * epoch: W_max * beta + [3(1 - beta)/(1 + beta)] * t/RTT, the slope 1 per
 * RTT once it passed the window of the last loss (cwnd_prior, 4.3's
 * "alpha_cubic = 1"). Written from the RFC's words, not from the per-ACK
 * recurrence the implementation runs.
 */
static double
w_est_rfc(double t, double rtt, double w_max, double prior)
{
	const double beta = 0.7, alpha = 3.0 * (1.0 - beta) / (1.0 + beta);
	double w = w_max * beta + alpha * t / rtt, t1;

	if (w <= prior)
		return w;
	t1 = (prior - w_max * beta) / alpha * rtt;
	return prior + (t - t1) / rtt;
}

/*
 * With the Reno-friendly region on, a small window at a short RTT follows
 * W_est (the cubic curve alone stays under W_max); off, it does not.
 */
static void
test_cubic_reno_friendly(void)
{
	struct tcp_cc on, off;
	struct tcp_cc_io io_on, io_off;
	const sim_time rtt = SIM_MS(1), epoch = SIM_MS(50);
	sim_time now_on, now_off;
	double want;
	uint32_t n, i, r;

	cc_start(&on, &io_on, TCP_CC_CUBIC, 1000, 10, false);
	cc_start(&off, &io_off, TCP_CC_CUBIC, 1000, 10, false);
	on.cubic.reno_friendly = true;
	io_on.cwnd = io_off.cwnd = 10 * 1000;
	ack(&on, &io_on, 0, 0, rtt);
	ack(&off, &io_off, 0, 0, rtt);
	io_on.ssthresh = tcp_cc_ssthresh(&on, &io_on);
	io_off.ssthresh = tcp_cc_ssthresh(&off, &io_off);
	io_on.cwnd = io_on.ssthresh;
	io_off.cwnd = io_off.ssthresh;
	now_on = now_off = epoch;
	clock_rounds(&off, &io_off, &now_off, rtt, SIM_MS(250));
	/* Small window, short RTT: the cubic curve stays under W_max. */
	CU_ASSERT_TRUE(io_off.cwnd <= 10 * 1000);
	for (r = 0; now_on < SIM_MS(250); r++) {
		n = io_on.cwnd / 1000;
		for (i = 0; i < n; i++) {
			io_on.in_flight = io_on.cwnd;
			ack(&on, &io_on, now_on + rtt * i / n, 1, rtt);
		}
		now_on += rtt;
		CU_ASSERT_EQUAL(on.cubic.epoch_start, epoch);
		/*
		 * After each round of ACKs the window tracks W_est within one
		 * segment (it grows in whole segments) over 200 RTTs and a
		 * 25-fold growth. A wrong alpha (1 from the start: 2.7 apart
		 * at the end) or a missing switch to 1 (90 apart) is caught.
		 */
		want = w_est_rfc((double)(now_on - epoch) / 1e9, 1e-3, 10.0,
		    10.0);
		CU_ASSERT_DOUBLE_EQUAL((double)io_on.cwnd / 1000.0, want, 1.0);
		CU_ASSERT_DOUBLE_EQUAL(on.cubic.w_est, want, 1.0);
	}
	CU_ASSERT_TRUE(r == 200);
	/* 3/alpha = 5.7 RTTs from 7 to 10, then one a round: 204.3 */
	CU_ASSERT_EQUAL(io_on.cwnd, 204 * 1000);
	CU_ASSERT_TRUE(io_on.cwnd > io_off.cwnd + 150 * 1000);
}

static void
test_hystart_delay(void)
{
	struct tcp_cc cc;
	struct tcp_cc_io io;
	sim_time now = 0;
	uint32_t i, exit_cwnd = 0;

	cc_start(&cc, &io, TCP_CC_CUBIC, 1000, 10, true);
	/*
	 * ACKs 3 ms apart (no ACK train) with RTT samples of 10 to 16 ms,
	 * until a round starts with at least 64 segments: no exit.
	 */
	for (i = 0;; i++) {
		io.in_flight = io.cwnd;
		now += SIM_MS(3);
		ack(&cc, &io, now, 1, SIM_MS(10) + (i % 3) * SIM_MS(3));
		CU_ASSERT_EQUAL_FATAL(io.ssthresh, UINT32_MAX);
		if (cc.cubic.round_start == now && io.cwnd >= 64 * 1000)
			break;
	}
	CU_ASSERT_EQUAL(cc.cubic.delay_min, SIM_MS(10));
	CU_ASSERT_EQUAL(cc.cubic.sample_cnt, 0);
	/*
	 * This round's RTT rises past 10 ms + max(4 ms, 10 ms): eight
	 * samples fix its minimum, the ninth exits slow start.
	 */
	for (i = 0; i < 20; i++) {
		uint32_t before = io.cwnd;

		io.in_flight = io.cwnd;
		now += SIM_MS(3);
		ack(&cc, &io, now, 1, SIM_MS(21));
		if (i < 8) {
			CU_ASSERT_EQUAL(io.ssthresh, UINT32_MAX);
			CU_ASSERT_EQUAL(io.cwnd, before + 1000);
		} else if (i == 8) {
			CU_ASSERT_TRUE(cc.cubic.found);
			CU_ASSERT_EQUAL(io.ssthresh, before);
			/* then avoidance, not slow start, for this ACK */
			CU_ASSERT_EQUAL(io.cwnd, before);
			exit_cwnd = before;
		}
	}
	CU_ASSERT_EQUAL(io.ssthresh, exit_cwnd);
	/* An RTO starts HyStart over. */
	tcp_cc_set_state(&cc, &io, TCP_CA_LOSS);
	CU_ASSERT_FALSE(cc.cubic.found);
	CU_ASSERT_EQUAL(cc.cubic.delay_min, 0);
	CU_ASSERT_EQUAL(cc.cubic.last_max_cwnd, 0);
	CU_ASSERT_EQUAL(cc.cubic.round_start, now);
	CU_ASSERT_EQUAL(cc.cubic.sample_cnt, 0);
}

static void
test_hystart_low_window(void)
{
	struct tcp_cc cc;
	struct tcp_cc_io io;
	sim_time now = SIM_MS(1);
	uint32_t i;

	cc_start(&cc, &io, TCP_CC_CUBIC, 1000, 15, true);
	io.in_flight = io.cwnd;
	ack(&cc, &io, now, 0, SIM_MS(10));
	tcp_cc_increase(&cc, &io, 0);
	/* 15 segments: the RTT may triple, HyStart does not look. */
	for (i = 0; i < 40; i++) {
		now += SIM_MS(3);
		io.now = now;
		tcp_cc_acked(&cc, &io, 0, SIM_MS(100));
	}
	CU_ASSERT_EQUAL(io.ssthresh, UINT32_MAX);
	CU_ASSERT_EQUAL(cc.cubic.sample_cnt, 0);
	/* At 16 it does: eight samples, then the exit. */
	io.cwnd = 16 * 1000;
	for (i = 0; i < 9; i++) {
		now += SIM_MS(3);
		io.now = now;
		tcp_cc_acked(&cc, &io, 0, SIM_MS(100));
		CU_ASSERT_EQUAL(io.ssthresh, i < 8 ? UINT32_MAX : 16 * 1000);
	}
	/* Off in the configuration, never. */
	cc_start(&cc, &io, TCP_CC_CUBIC, 1000, 16, false);
	ack(&cc, &io, now, 0, SIM_MS(10));
	for (i = 0; i < 40; i++) {
		now += SIM_US(100);
		io.now = now;
		tcp_cc_acked(&cc, &io, 0, SIM_MS(100));
	}
	CU_ASSERT_EQUAL(io.ssthresh, UINT32_MAX);
}

/*
 * The delay exit needs the round's RTT strictly above the minimum plus the
 * threshold, the minimum clamped to [4 ms, 1 s].
 */
static void
test_hystart_delay_threshold(void)
{
	static const struct {
		sim_time min, rise;
		bool exits;
	} c[] = {
		{ SIM_MS(10), SIM_MS(20), false },
		{ SIM_MS(10), SIM_MS(20) + 1, true },
		{ SIM_MS(1), SIM_MS(5), false },
		{ SIM_MS(1), SIM_MS(5) + 1, true },
		{ SIM_S(2), SIM_S(3), false },
		{ SIM_S(2), SIM_S(3) + 1, true },
	};
	struct tcp_cc cc;
	struct tcp_cc_io io;
	sim_time now = SIM_MS(1);
	size_t r;
	uint32_t i;

	for (r = 0; r < sizeof(c) / sizeof(c[0]); r++) {
		cc_start(&cc, &io, TCP_CC_CUBIC, 1000, 15, true);
		/* below the low window: only the minimum RTT is taken */
		io.now = now;
		tcp_cc_acked(&cc, &io, 1, c[r].min);
		CU_ASSERT_EQUAL(cc.cubic.delay_min, c[r].min);
		CU_ASSERT_EQUAL(cc.cubic.sample_cnt, 0);
		io.cwnd = 16 * 1000;
		for (i = 0; i < 30; i++) {
			io.now = now += SIM_S(3);	/* no ACK train */
			tcp_cc_acked(&cc, &io, 1, c[r].rise);
			CU_ASSERT_EQUAL(io.ssthresh, !c[r].exits || i < 8 ?
			    UINT32_MAX : 16 * 1000);
		}
	}
}

static void
test_hystart_ack_train(void)
{
	struct tcp_cc cc;
	struct tcp_cc_io io;
	sim_time now = 0, prev_gap = 0;
	uint32_t i;
	bool exited = false;

	cc_start(&cc, &io, TCP_CC_CUBIC, 1000, 10, true);
	/* Reach 32 segments with widely spaced ACKs (no train). */
	for (i = 0; i < 22; i++) {
		io.in_flight = io.cwnd;
		now += SIM_MS(5);
		ack(&cc, &io, now, 1, SIM_MS(10));
	}
	CU_ASSERT_EQUAL(io.cwnd, 32 * 1000);
	CU_ASSERT_EQUAL(io.ssthresh, UINT32_MAX);
	/*
	 * A train: ACKs 1 ms apart at a flat 10 ms RTT. HyStart exits at
	 * the first ACK more than delay_min after the round started.
	 */
	for (i = 0; i < 200 && !exited; i++) {
		sim_time rs;

		io.in_flight = io.cwnd;
		now += SIM_MS(1);
		ack(&cc, &io, now, 1, SIM_MS(10));
		rs = cc.cubic.round_start;
		if (io.ssthresh != UINT32_MAX) {
			exited = true;
			CU_ASSERT_TRUE(now - rs > SIM_MS(10));
			CU_ASSERT_TRUE(prev_gap <= SIM_MS(10));
			CU_ASSERT_EQUAL(cc.cubic.sample_cnt, 8);
			CU_ASSERT_EQUAL(io.ssthresh + 0, io.cwnd);
		}
		prev_gap = now - rs;
	}
	CU_ASSERT_TRUE(exited);
	CU_ASSERT_EQUAL(i, 23);
	/* The same ACKs 3 ms apart: no train, no exit. */
	cc_start(&cc, &io, TCP_CC_CUBIC, 1000, 32, true);
	for (i = 0; i < 200; i++) {
		io.in_flight = io.cwnd;
		now += SIM_MS(3);
		ack(&cc, &io, now, 1, SIM_MS(10));
	}
	CU_ASSERT_EQUAL(io.ssthresh, UINT32_MAX);
	CU_ASSERT_EQUAL(io.cwnd, 232 * 1000);
}

/*
 * The RTT CUBIC sees: none before the first sample, the last one when an
 * ACK brings none, and nothing in the 10 ms after an epoch starts.
 */
static void
test_cubic_rtt_samples(void)
{
	struct tcp_cc cc;
	struct tcp_cc_io io;
	sim_time t0;

	cc_start(&cc, &io, TCP_CC_CUBIC, 1000, 16, true);
	io.now = SIM_MS(1);
	tcp_cc_acked(&cc, &io, 1, 0);
	CU_ASSERT_EQUAL(cc.cubic.delay_min, 0);
	CU_ASSERT_EQUAL(cc.cubic.sample_cnt, 0);
	io.now = SIM_MS(2);
	tcp_cc_acked(&cc, &io, 1, SIM_MS(10));
	CU_ASSERT_EQUAL(cc.cubic.delay_min, SIM_MS(10));
	CU_ASSERT_EQUAL(cc.cubic.sample_cnt, 1);
	io.now = SIM_MS(5);
	tcp_cc_acked(&cc, &io, 1, 0);
	CU_ASSERT_EQUAL(cc.cubic.sample_cnt, 2);
	CU_ASSERT_EQUAL(cc.cubic.curr_rtt, SIM_MS(10));
	/* a loss, then the epoch's first ACK at t0 */
	io.cwnd = 40 * 1000;
	io.ssthresh = tcp_cc_ssthresh(&cc, &io);
	io.cwnd = io.ssthresh;
	t0 = SIM_MS(100);
	ack(&cc, &io, t0, 1, SIM_MS(10));
	CU_ASSERT_EQUAL(cc.cubic.epoch_start, t0);
	ack(&cc, &io, t0 + SIM_MS(10) - 1, 1, SIM_MS(3));
	CU_ASSERT_EQUAL(cc.cubic.delay_min, SIM_MS(10));
	ack(&cc, &io, t0 + SIM_MS(10), 1, SIM_MS(3));
	CU_ASSERT_EQUAL(cc.cubic.delay_min, SIM_MS(3));
	/* NewReno ignores all of it */
	cc_start(&cc, &io, TCP_CC_NEWRENO, 1000, 16, true);
	tcp_cc_acked(&cc, &io, 1, SIM_MS(10));
	CU_ASSERT_EQUAL(io.cwnd, 16 * 1000);
	CU_ASSERT_EQUAL(io.ssthresh, UINT32_MAX);
}

static const struct test_case cases[] = {
	{ "names", test_names },
	{ "init", test_init },
	{ "ca state names", test_ca_state_names },
	{ "init with a bad kind aborts", test_init_bad_kind_aborts },
	{ "newreno slow start", test_newreno_slow_start },
	{ "newreno congestion avoidance", test_newreno_avoidance },
	{ "newreno ssthresh", test_newreno_ssthresh },
	{ "cubic slow start counts bytes", test_cubic_slow_start_bytes },
	{ "cubic follows W(t)", test_cubic_follows_function },
	{ "cubic fast convergence", test_cubic_fast_convergence },
	{ "cubic on an RTO: ssthresh before LOSS", test_cubic_rto_order },
	{ "cubic cnt clamp", test_cubic_cnt_clamp },
	{ "cubic reno-friendly region", test_cubic_reno_friendly },
	{ "cubic rtt samples", test_cubic_rtt_samples },
	{ "hystart delay exit", test_hystart_delay },
	{ "hystart low window", test_hystart_low_window },
	{ "hystart delay threshold", test_hystart_delay_threshold },
	{ "hystart ack train", test_hystart_ack_train },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "tcp_cc", cases);
}
