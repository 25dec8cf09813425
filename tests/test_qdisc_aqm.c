/*
 * test_qdisc_aqm.c - RED and CoDel on their own, driven frame by frame at
 * chosen simulated times: CoDel's drop times on a constant overload against
 * the control law (computed here in floating point, independently of the
 * discipline's integer search), its drop state's re-entry rule both ways,
 * RED's average and drop probability after each arrival of a known
 * sequence (the values worked out by hand), its idle-time decay, forced
 * drops, byte mode, and RED's random drops predicted from the same named
 * stream.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net.h"
#include "pkt.h"
#include "qdisc.h"
#include "rng.h"
#include "sim.h"
#include "testutil.h"
#include "wire.h"

#define MS 1000000LL
#define FRAME 1000u

static struct pkt *
fake_pkts(size_t n, uint32_t virt_len)
{
	struct pkt *p = calloc(n, sizeof(*p));
	size_t i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	for (i = 0; i < n; i++) {
		p[i].virt_len = virt_len;
		p[i].uid = i;
	}
	return p;
}

/* Head drops as the link would see them: when, and which frame. */
#define DROPS_MAX 4096
struct drops {
	sim_time now;		/* set by the test before each dequeue */
	sim_time at[DROPS_MAX];
	uint64_t uid[DROPS_MAX];
	size_t n;
};

static void
on_drop(void *ctx, struct pkt *p, enum trace_drop why)
{
	struct drops *d = ctx;

	CU_ASSERT_EQUAL(why, DROP_AQM);
	if (d->n < DROPS_MAX) {
		d->at[d->n] = d->now;
		d->uid[d->n++] = p->uid;
	}
}

static struct qdisc *
aqm(const struct qdisc_params *qp, uint32_t limit_pkts, uint64_t rate,
    struct drops *d)
{
	struct qdisc *q = qdisc_new(qp, limit_pkts, 0);

	qdisc_attach(q, &(struct qdisc_env){ .rate_bps = rate,
	    .max_frame = 1514, .seed = 42, .stream = "test/aqm",
	    .drop = on_drop, .drop_ctx = d });
	return q;
}

static void
drain(struct qdisc *q)
{
	while (qdisc_purge(q) != NULL)
		;
}

/* --- CoDel ------------------------------------------------------------ */

static const struct qdisc_params codel_default = {
	.kind = QDISC_CODEL,
	.codel = { .target = 5 * MS, .interval = 100 * MS },
};

/* RFC 8289's control law, in doubles: interval / sqrt(count), whole ns. */
static sim_time
law(uint32_t count)
{
	return (sim_time)floor(100.0 * MS / sqrt((double)count));
}

/*
 * A constant 2:1 overload from base on: every ms two frames arrive and
 * one leaves, for ms milliseconds. Returns the next frame index.
 */
static size_t
overload(struct qdisc *q, struct drops *d, struct pkt *p, size_t next,
    sim_time base, int ms)
{
	sim_time ready;
	int k;

	for (k = 0; k < ms; k++) {
		sim_time now = base + k * MS;

		CU_ASSERT_EQUAL(qdisc_enqueue(q, &p[next], FRAME, now),
		    DROP_NONE);
		CU_ASSERT_EQUAL(qdisc_enqueue(q, &p[next + 1], FRAME, now),
		    DROP_NONE);
		next += 2;
		d->now = now;
		CU_ASSERT_PTR_NOT_NULL(qdisc_dequeue(q, now, &ready));
	}
	return next;
}

/*
 * Frame k leaves at k ms having waited ceil(k / 2) ms: over the 5 ms
 * target from k = 9, so dropping may start at 9 + 100 = 109 ms. Then each
 * drop is at the first departure at or after the previous drop's due time,
 * and the next is due interval / sqrt(count) after the previous due time
 * (not after the drop): RFC 8289 5.
 */
static void
test_codel_control_law(void)
{
	struct drops d = { .n = 0 };
	struct pkt *p = fake_pkts(8000, FRAME);
	struct qdisc *q = aqm(&codel_default, 0, 8000000, &d);
	struct qdisc_aqm_stats st;
	sim_time want[64], due;
	size_t n = 0, i;
	uint32_t count = 1;

	CU_ASSERT_STRING_EQUAL(qdisc_kind(q), "codel");
	overload(q, &d, p, 0, 0, 1500);
	/* the expected drops, from the law alone */
	want[n++] = 109 * MS;
	due = 109 * MS + law(1);
	while (due < 1500 * MS && n < 64) {
		/* departures are on whole ms */
		want[n++] = (due + MS - 1) / MS * MS;
		count++;
		due += law(count);
	}
	CU_ASSERT_EQUAL(d.n, n);
	for (i = 0; i < n && i < d.n; i++) {
		if (d.at[i] != want[i])
			fprintf(stderr, "drop %zu at %lld, want %lld\n", i,
			    (long long)d.at[i], (long long)want[i]);
		CU_ASSERT_EQUAL(d.at[i], want[i]);
	}
	/* the first drop is the frame at the head at 109 ms: frame 109 */
	CU_ASSERT_EQUAL(d.uid[0], 109);
	CU_ASSERT_EQUAL(want[1], 209 * MS);
	CU_ASSERT_EQUAL(want[2], 280 * MS);	/* 209 + 70.71 ms */
	CU_ASSERT_EQUAL(qdisc_aqm_stats(q, &st), 0);
	CU_ASSERT(st.dropping);
	CU_ASSERT_EQUAL(st.drop_count, count);
	CU_ASSERT_EQUAL(st.drop_next, due);
	CU_ASSERT_EQUAL(st.head_drops, n);
	/* what the queue holds: 3000 in, 1500 out, n dropped */
	CU_ASSERT_EQUAL(qdisc_pkts(q), 1500 - n);
	CU_ASSERT_EQUAL(qdisc_bytes(q), (1500 - n) * FRAME);
	drain(q);
	qdisc_free(q);
	free(p);
}

/* Empty the queue at now by departures; returns the frames that left. */
static int
empty_at(struct qdisc *q, struct drops *d, sim_time now)
{
	sim_time ready = 0;
	int n = 0;

	d->now = now;
	while (qdisc_dequeue(q, now, &ready) != NULL)
		n++;
	CU_ASSERT_EQUAL(ready, SIM_TIME_MAX);
	CU_ASSERT_EQUAL(qdisc_pkts(q), 0);
	return n;
}

/*
 * Back over target within 16 intervals of the last due drop: the drop
 * state resumes at count - lastcount (the rate that controlled the queue
 * last time); later than that, at 1.
 */
static void
test_codel_reentry(void)
{
	struct drops d = { .n = 0 };
	struct pkt *p = fake_pkts(12000, FRAME);
	struct qdisc *q = aqm(&codel_default, 0, 8000000, &d);
	struct qdisc_aqm_stats st, before;
	sim_time base, entry;
	size_t next;
	uint32_t delta;

	next = overload(q, &d, p, 0, 0, 1500);
	empty_at(q, &d, 1500 * MS);
	CU_ASSERT_EQUAL(qdisc_aqm_stats(q, &before), 0);
	CU_ASSERT(!before.dropping);
	/* entered with count 1 (lastcount 1): count - 1 drops since */
	CU_ASSERT(before.drop_count > 2);

	/* soon: the same overload from 1510 ms, first allowed at +109 ms */
	base = 1510 * MS;
	next = overload(q, &d, p, next, base, 109);
	CU_ASSERT_EQUAL(qdisc_aqm_stats(q, &st), 0);
	CU_ASSERT(!st.dropping);
	CU_ASSERT_EQUAL(st.drop_count, before.drop_count);
	d.n = 0;
	next = overload(q, &d, p, next, base + 109 * MS, 1);
	entry = base + 109 * MS;
	CU_ASSERT_EQUAL(d.n, 1);
	CU_ASSERT_EQUAL(d.at[0], entry);
	CU_ASSERT(entry - before.drop_next < 16 * 100 * MS);
	CU_ASSERT_EQUAL(qdisc_aqm_stats(q, &st), 0);
	CU_ASSERT(st.dropping);
	CU_ASSERT_EQUAL(st.drop_count, before.drop_count - 1);
	CU_ASSERT_EQUAL(st.drop_next, entry + law(before.drop_count - 1));

	/* run it a while, then empty it and wait past 16 intervals */
	next = overload(q, &d, p, next, entry + MS, 600);
	empty_at(q, &d, entry + 601 * MS);
	CU_ASSERT_EQUAL(qdisc_aqm_stats(q, &before), 0);
	delta = before.drop_count - st.drop_count;
	CU_ASSERT(delta > 1);	/* the rule would have resumed at delta */
	base = before.drop_next + 16 * 100 * MS;
	next = overload(q, &d, p, next, base, 109);
	d.n = 0;
	overload(q, &d, p, next, base + 109 * MS, 1);
	entry = base + 109 * MS;
	CU_ASSERT_EQUAL(d.n, 1);
	CU_ASSERT_EQUAL(d.at[0], entry);
	CU_ASSERT_EQUAL(qdisc_aqm_stats(q, &st), 0);
	CU_ASSERT_EQUAL(st.drop_count, 1);
	CU_ASSERT_EQUAL(st.drop_next, entry + 100 * MS);
	drain(q);
	qdisc_free(q);
	free(p);
}

/*
 * Nothing is dropped while the backlog behind the head is at most one
 * full frame (RFC 8289's maxpacket), however long the head waited: a
 * slow link with two frames queued never drops.
 */
static void
test_codel_min_bytes(void)
{
	struct drops d = { .n = 0 };
	struct pkt *p = fake_pkts(4000, 1500);
	struct qdisc *q = aqm(&codel_default, 0, 8000000, &d);
	sim_time ready;
	int k;

	/*
	 * One frame in every 10 ms, one out every 10 ms, each leaving 10 ms
	 * after it came (over target) with one 1500-byte frame behind it.
	 */
	CU_ASSERT_EQUAL(qdisc_enqueue(q, &p[0], 1500, 0), DROP_NONE);
	for (k = 1; k < 1000; k++) {
		sim_time now = k * 10 * MS;

		CU_ASSERT_EQUAL(qdisc_enqueue(q, &p[k], 1500, now),
		    DROP_NONE);
		d.now = now;
		CU_ASSERT_PTR_NOT_NULL(qdisc_dequeue(q, now, &ready));
	}
	CU_ASSERT_EQUAL(d.n, 0);
	CU_ASSERT_EQUAL(qdisc_pkts(q), 1);
	drain(q);
	qdisc_free(q);
	free(p);
}

/* --- on a link ---------------------------------------------------------- */

struct wire_log {
	struct sim *sim;
	struct node *a;
	sim_time at[8192];
	int n;
	int resent, aqm_drops;
};

static void
rx_log(struct node *n, struct pkt *p, const struct wire_frame *f, void *ctx)
{
	struct wire_log *w = ctx;

	(void)n;
	(void)f;
	if (w->n < 8192)
		w->at[w->n++] = sim_now(w->sim);
	pkt_free(w->sim, p);
}

/* a UDP datagram making a 1000-byte frame (958 + 8 + 20 + 14) */
static void
send_one(struct wire_log *w)
{
	struct pkt *p = pkt_alloc(w->sim, 0);
	struct udp_hdr u = { .sport = 7, .dport = 9 };
	uint32_t src = 0x0a000001, dst = 0x0a000002;

	p->virt_len = 958;
	wire_push_udp(w->sim, p, &u, src, dst);
	node_send_ip(w->a, 0, p, src, dst, WIRE_IPPROTO_UDP, 64, 0);
}

/* A listener that answers every AQM drop by sending again at once. */
static void
resend_on_drop(const struct pkt *p, enum trace_drop why, void *ctx)
{
	struct wire_log *w = ctx;

	(void)p;
	if (why != DROP_AQM)
		return;
	w->aqm_drops++;
	if (w->resent < 200) {
		w->resent++;
		send_one(w);
	}
}

static void
two_per_ms(struct sim *sim, void *arg)
{
	struct wire_log *w = arg;

	send_one(w);
	send_one(w);
	if (sim_now(sim) < 1500 * MS)
		sim_schedule_at(sim, sim_now(sim) + MS, two_per_ms, w);
}

/*
 * CoDel's head drops happen inside the link's dequeue. A drop listener that
 * sends on the same link at once must find the transmitter consistent:
 * frames still leave one at a time, 1 ms apart at 8 Mbit/s, none lost or
 * duplicated (every frame sent is received or dropped).
 */
static void
test_codel_drop_listener_sends(void)
{
	struct wire_log *w = calloc(1, sizeof(*w));
	struct link_params lp;
	struct net *net;
	struct node *b;
	struct link *l;
	uint32_t ia, ib;
	int i, sent;

	CU_ASSERT_PTR_NOT_NULL_FATAL(w);
	memset(&lp, 0, sizeof(lp));
	lp.dir[0].rate_bps = lp.dir[1].rate_bps = 8000000;
	lp.mtu = 1500;
	lp.dir[0].qdisc = codel_default;
	w->sim = sim_new(1);
	net = net_new(w->sim);
	w->a = net_add_node(net, "a", "host", NULL, NULL);
	b = net_add_node(net, "b", "host", NULL, NULL);
	ia = node_add_iface(w->a, "eth0", NULL, 0x0a000001, 24, 0);
	ib = node_add_iface(b, "eth0", NULL, 0x0a000002, 24, 0);
	l = net_add_link(net, "ab", w->a, ia, b, ib, &lp);
	CU_ASSERT_STRING_EQUAL(qdisc_kind(link_qdisc(l, 0)), "codel");
	CU_ASSERT_EQUAL(node_bind_udp(b, VRF_DEFAULT, 9, rx_log, NULL, w), 0);
	net_add_drop_listener(net, resend_on_drop, w);
	sim_schedule_at(w->sim, 0, two_per_ms, w);
	sim_run(w->sim);
	sent = 2 * 1501 + w->resent;
	CU_ASSERT(w->aqm_drops > 0);
	CU_ASSERT(w->resent > 0);
	CU_ASSERT_EQUAL(link_get_stats(l, 0)->drops[DROP_AQM],
	    (uint64_t)w->aqm_drops);
	CU_ASSERT_EQUAL(w->n + w->aqm_drops, sent);
	/* back to back from the first: frame k arrives at (k + 1) ms */
	for (i = 0; i < w->n; i++)
		if (w->at[i] != (sim_time)(i + 1) * MS)
			break;
	CU_ASSERT_EQUAL(i, w->n);
	net_free(net);
	CU_ASSERT_EQUAL(pkt_live(w->sim), 0);
	sim_free(w->sim);
	free(w);
}

/* --- RED -------------------------------------------------------------- */

/*
 * w_q 1/2 so that the average moves by exact binary fractions: frames
 * arrive to a queue holding 0, 1, 2, ... and the average after each is
 * avg / 2 + q / 2.
 */
static const struct qdisc_params red_half = {
	.kind = QDISC_RED,
	.red = { .min_th = 2, .max_th = 6, .max_p = 0.5, .w_q = 0.5,
	    .mean_pkt = 1000, .gentle = true, .wait = false },
};

static void
test_red_average_and_probability(void)
{
	static const double avg[] = { 0, 0.5, 1.25, 2.125, 3.0625 };
	struct drops d = { .n = 0 };
	struct pkt *p = fake_pkts(16, FRAME);
	struct qdisc *q = aqm(&red_half, 0, 8000000, &d);
	struct qdisc_aqm_stats st;
	struct rng r;
	double pb, pa;
	enum trace_drop why;
	int i;

	CU_ASSERT_STRING_EQUAL(qdisc_kind(q), "red");
	/* all at time 0: the queue was idle since 0, nothing to decay */
	for (i = 0; i < 4; i++) {
		CU_ASSERT_EQUAL(qdisc_enqueue(q, &p[i], FRAME, 0), DROP_NONE);
		CU_ASSERT_EQUAL(qdisc_aqm_stats(q, &st), 0);
		CU_ASSERT_EQUAL(st.avg, avg[i]);
		CU_ASSERT_EQUAL(st.prob, 0.0);
	}
	/* the 4th arrival crossed min_th: the count restarts at 1 */
	CU_ASSERT_EQUAL(st.count, 1);
	/*
	 * The 5th: avg 3.0625, p_b = max_p (avg - min_th) / (max_th -
	 * min_th) = 0.1328125; count 2, so p_a = p_b / (1 - 2 p_b).
	 */
	pb = 0.5 * (3.0625 - 2.0) / 4.0;
	CU_ASSERT_EQUAL(pb, 0.1328125);
	pa = pb / (1.0 - 2.0 * pb);
	rng_init(&r, 42, "test/aqm");
	why = qdisc_enqueue(q, &p[4], FRAME, 0);
	CU_ASSERT_EQUAL(qdisc_aqm_stats(q, &st), 0);
	CU_ASSERT_EQUAL(st.avg, avg[4]);
	CU_ASSERT_DOUBLE_EQUAL(st.prob, pa, 1e-15);
	CU_ASSERT_DOUBLE_EQUAL(st.prob, 0.18085106382978723, 1e-15);
	/* the draw comes from the queue's own stream: predictable */
	CU_ASSERT_EQUAL(why, rng_unit(&r) <= st.prob ? DROP_AQM : DROP_NONE);
	CU_ASSERT_EQUAL(st.early_drops, why == DROP_AQM ? 1 : 0);
	CU_ASSERT_EQUAL(st.count, why == DROP_AQM ? 0 : 2);
	drain(q);
	qdisc_free(q);
	free(p);
}

/*
 * Over the sequence, every early decision matches a draw of the same
 * stream; drops are DROP_AQM and the queue does not take them.
 */
static void
test_red_draws_predicted(void)
{
	struct qdisc_params qp = red_half;
	struct drops d = { .n = 0 };
	struct pkt *p = fake_pkts(64, FRAME);
	struct qdisc *q;
	struct qdisc_aqm_stats st;
	struct rng r;
	sim_time ready;
	int i, early = 0, queued = 0;

	qp.red.max_th = 30;	/* stays in the early band */
	qp.red.w_q = 0.25;
	q = aqm(&qp, 0, 8000000, &d);
	rng_init(&r, 42, "test/aqm");
	for (i = 0; i < 40; i++) {
		uint32_t before = qdisc_pkts(q);
		enum trace_drop why = qdisc_enqueue(q, &p[i], FRAME, i);
		bool band;

		CU_ASSERT_EQUAL(qdisc_aqm_stats(q, &st), 0);
		band = st.avg >= 2.0 && before > 1 && st.prob > 0.0;
		if (band) {
			bool drop = rng_unit(&r) <= st.prob;

			CU_ASSERT_EQUAL(why, drop ? DROP_AQM : DROP_NONE);
			early += drop;
		} else
			CU_ASSERT_EQUAL(why, DROP_NONE);
		queued += why == DROP_NONE;
		CU_ASSERT_EQUAL(qdisc_pkts(q), (uint32_t)(queued - i / 4));
		/* one frame leaves every fourth arrival */
		if (i % 4 == 3)
			CU_ASSERT_PTR_NOT_NULL(qdisc_dequeue(q, i, &ready));
	}
	CU_ASSERT(early > 0);
	CU_ASSERT_EQUAL(st.early_drops, (uint64_t)early);
	CU_ASSERT_EQUAL(st.forced_drops, 0);
	drain(q);
	qdisc_free(q);
	free(p);
}

/*
 * While the queue is empty the average decays as if frames of mean_pkt
 * bytes had arrived to it at the link's rate, counted from the end of the
 * last frame's transmission: 8 Mbit/s and 1000-byte frames are 1 per ms.
 */
static void
test_red_idle_decay(void)
{
	struct drops d = { .n = 0 };
	struct pkt *p = fake_pkts(8, FRAME);
	struct qdisc *q = aqm(&red_half, 0, 8000000, &d);
	struct qdisc_aqm_stats st;
	sim_time ready;
	double a;

	CU_ASSERT_EQUAL(qdisc_enqueue(q, &p[0], FRAME, 0), DROP_NONE);
	CU_ASSERT_EQUAL(qdisc_enqueue(q, &p[1], FRAME, 0), DROP_NONE);
	CU_ASSERT_EQUAL(qdisc_enqueue(q, &p[2], FRAME, 0), DROP_NONE);
	CU_ASSERT_EQUAL(qdisc_aqm_stats(q, &st), 0);
	a = st.avg;
	CU_ASSERT_EQUAL(a, 1.25);
	CU_ASSERT_PTR_NOT_NULL(qdisc_dequeue(q, 1 * MS, &ready));
	CU_ASSERT_PTR_NOT_NULL(qdisc_dequeue(q, 2 * MS, &ready));
	/* the last leaves at 10 ms; the link is idle from 11 ms */
	CU_ASSERT_PTR_NOT_NULL(qdisc_dequeue(q, 10 * MS, &ready));
	/* at 14.5 ms: 3 whole frames' time, then this arrival: (1/2)^4 */
	CU_ASSERT_EQUAL(qdisc_enqueue(q, &p[3], FRAME, 14500000), DROP_NONE);
	CU_ASSERT_EQUAL(qdisc_aqm_stats(q, &st), 0);
	CU_ASSERT_EQUAL(st.avg, a / 16.0);
	/* not idle any more: the next arrival decays by one step only */
	a = st.avg;
	CU_ASSERT_EQUAL(qdisc_enqueue(q, &p[4], FRAME, 30 * MS), DROP_NONE);
	CU_ASSERT_EQUAL(qdisc_aqm_stats(q, &st), 0);
	CU_ASSERT_EQUAL(st.avg, a / 2.0 + 0.5);
	/* an arrival during the last frame's transmission: no decay */
	CU_ASSERT_PTR_NOT_NULL(qdisc_dequeue(q, 40 * MS, &ready));
	CU_ASSERT_PTR_NOT_NULL(qdisc_dequeue(q, 41 * MS, &ready));
	a = st.avg;
	CU_ASSERT_EQUAL(qdisc_enqueue(q, &p[5], FRAME, 41500000), DROP_NONE);
	CU_ASSERT_EQUAL(qdisc_aqm_stats(q, &st), 0);
	CU_ASSERT_EQUAL(st.avg, a / 2.0);
	drain(q);
	qdisc_free(q);
	free(p);
}

/*
 * Not gentle: an average at max_th drops every arrival (forced, p 1).
 * Gentle: from max_th to 2 max_th, p rises linearly from max_p to 1 (then
 * the count correction), worked out here arrival by arrival with w_q 1 (the
 * average is the queue) and each draw taken from the same stream.
 */
static void
test_red_forced_and_gentle(void)
{
	struct qdisc_params qp = red_half;
	struct drops d = { .n = 0 };
	struct pkt *p = fake_pkts(64, FRAME);
	struct qdisc *q;
	struct qdisc_aqm_stats st;
	struct rng r;
	uint32_t count = 0;
	bool old = false;
	int i, drops = 0, above = 0;

	qp.red.gentle = false;
	qp.red.w_q = 1.0;
	qp.red.max_p = 1e-9;	/* no early drop in the band */
	q = aqm(&qp, 0, 8000000, &d);
	for (i = 0; i < 6; i++)
		CU_ASSERT_EQUAL(qdisc_enqueue(q, &p[i], FRAME, 0), DROP_NONE);
	/* the 7th finds 6 queued: avg 6 = max_th */
	CU_ASSERT_EQUAL(qdisc_enqueue(q, &p[6], FRAME, 0), DROP_AQM);
	CU_ASSERT_EQUAL(qdisc_aqm_stats(q, &st), 0);
	CU_ASSERT_EQUAL(st.avg, 6.0);
	CU_ASSERT_EQUAL(st.prob, 1.0);
	CU_ASSERT_EQUAL(st.forced_drops, 1);
	CU_ASSERT_EQUAL(st.early_drops, 0);
	CU_ASSERT_EQUAL(qdisc_pkts(q), 6);
	drain(q);
	qdisc_free(q);

	qp.red.gentle = true;
	qp.red.max_p = 0.1;
	q = aqm(&qp, 0, 8000000, &d);
	rng_init(&r, 42, "test/aqm");
	for (i = 0; i < 64; i++) {
		double qlen = (double)qdisc_pkts(q), pe = 0.0;
		enum trace_drop why = qdisc_enqueue(q, &p[i], FRAME, 0);
		bool drop = false;

		count++;
		if (qlen >= 2.0 && qlen > 1.0) {
			if (!old) {
				count = 1;
				old = true;
			} else {
				pe = qlen >= 6.0 ? 0.9 / 6.0 * qlen - 0.8 :
				    0.1 * (qlen - 2.0) / 4.0;
				pe = count * pe < 1.0 ? pe / (1.0 - count * pe) :
				    1.0;
				pe = pe > 1.0 ? 1.0 : pe;
				drop = rng_unit(&r) <= pe;
				above += qlen >= 6.0;
			}
		} else
			old = false;
		CU_ASSERT_EQUAL(qdisc_aqm_stats(q, &st), 0);
		CU_ASSERT_EQUAL(st.avg, qlen);
		if (fabs(st.prob - pe) > 1e-12)
			fprintf(stderr, "arrival %d: q %g count %u p %g, want "
			    "%g\n", i, qlen, st.count, st.prob, pe);
		CU_ASSERT_DOUBLE_EQUAL(st.prob, pe, 1e-12);
		CU_ASSERT_EQUAL(why, drop ? DROP_AQM : DROP_NONE);
		if (drop) {
			count = 0;
			drops++;
		}
		CU_ASSERT_EQUAL(st.count, count);
	}
	/* the gentle band was reached and it dropped there */
	CU_ASSERT(above > 0);
	CU_ASSERT(drops > 0);
	CU_ASSERT_EQUAL(st.early_drops, (uint64_t)drops);
	CU_ASSERT_EQUAL(st.forced_drops, 0);
	drain(q);
	qdisc_free(q);
	free(p);
}

/*
 * Byte mode: the average counts bytes, the count is in whole mean_pkt
 * units and p grows with the frame's size over mean_pkt.
 */
static void
test_red_bytes(void)
{
	struct qdisc_params qp = red_half;
	struct drops d = { .n = 0 };
	struct pkt *p = fake_pkts(8, 500);
	struct qdisc *q;
	struct qdisc_aqm_stats st;
	double pb;
	int i;

	qp.red.bytes = true;
	qp.red.min_th = 2000;	/* 2 x mean_pkt */
	qp.red.max_th = 6000;
	q = aqm(&qp, 0, 8000000, &d);
	/* 500-byte frames: the queue holds 0, 500, 1000, ... bytes */
	for (i = 0; i < 6; i++)
		CU_ASSERT_EQUAL(qdisc_enqueue(q, &p[i], 500, 0), DROP_NONE);
	/* averages 0, 250, 625, 1062.5, 1531.25, 2015.625 (crossed) */
	CU_ASSERT_EQUAL(qdisc_aqm_stats(q, &st), 0);
	CU_ASSERT_EQUAL(st.avg, 2015.625);
	CU_ASSERT_EQUAL(st.prob, 0.0);
	p[6].virt_len = 1500;
	qdisc_enqueue(q, &p[6], 1500, 0);
	CU_ASSERT_EQUAL(qdisc_aqm_stats(q, &st), 0);
	/*
	 * avg 2015.625 / 2 + 3000 / 2; the count restarted at the 6th
	 * (500 bytes), + 1500 = 2000 bytes: 2 units of mean_pkt
	 */
	CU_ASSERT_EQUAL(st.avg, 2507.8125);
	pb = 0.5 * (2507.8125 - 2000.0) / 4000.0;
	CU_ASSERT_DOUBLE_EQUAL(st.prob, pb / (1.0 - 2.0 * pb) * 1.5, 1e-15);
	drain(q);
	qdisc_free(q);
	free(p);
}

/* RED's queue limit still refuses (queue_full) what RED admits. */
static void
test_red_queue_limit(void)
{
	struct qdisc_params qp = red_half;
	struct drops d = { .n = 0 };
	struct pkt *p = fake_pkts(8, FRAME);
	struct qdisc *q;

	qp.red.w_q = 1e-6;	/* the average stays under min_th */
	q = aqm(&qp, 3, 8000000, &d);
	CU_ASSERT_EQUAL(qdisc_enqueue(q, &p[0], FRAME, 0), DROP_NONE);
	CU_ASSERT_EQUAL(qdisc_enqueue(q, &p[1], FRAME, 0), DROP_NONE);
	CU_ASSERT_EQUAL(qdisc_enqueue(q, &p[2], FRAME, 0), DROP_NONE);
	CU_ASSERT_EQUAL(qdisc_enqueue(q, &p[3], FRAME, 0), DROP_QUEUE_FULL);
	drain(q);
	qdisc_free(q);
	free(p);
}

static void
test_params_check(void)
{
	struct qdisc_params qp = red_half;
	char err[160];

	CU_ASSERT_EQUAL(qdisc_params_check(&qp, err, sizeof(err)), 0);
	qp.red.max_th = 2;
	CU_ASSERT_EQUAL(qdisc_params_check(&qp, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "max_th"));
	qp = red_half;
	qp.red.max_p = 0;
	CU_ASSERT_EQUAL(qdisc_params_check(&qp, err, sizeof(err)), -1);
	qp = red_half;
	qp.red.w_q = 1.5;
	CU_ASSERT_EQUAL(qdisc_params_check(&qp, err, sizeof(err)), -1);
	qp = red_half;
	qp.red.mean_pkt = 0;
	CU_ASSERT_EQUAL(qdisc_params_check(&qp, err, sizeof(err)), -1);
	qp = red_half;
	qp.red.min_th = NAN;
	CU_ASSERT_EQUAL(qdisc_params_check(&qp, err, sizeof(err)), -1);

	qp = codel_default;
	CU_ASSERT_EQUAL(qdisc_params_check(&qp, err, sizeof(err)), 0);
	/* no token bucket: any frame passes, whatever burst says */
	CU_ASSERT_EQUAL(qdisc_params_check_frame(&qp, 9000, err,
	    sizeof(err)), 0);
	qp.codel.target = 0;
	CU_ASSERT_EQUAL(qdisc_params_check(&qp, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "target"));
	qp = codel_default;
	qp.codel.interval = QDISC_CODEL_INTERVAL_MAX + 1;
	CU_ASSERT_EQUAL(qdisc_params_check(&qp, err, sizeof(err)), -1);
	CU_ASSERT_STRING_EQUAL(qdisc_kind_name[QDISC_RED], "red");
	CU_ASSERT_STRING_EQUAL(qdisc_kind_name[QDISC_CODEL], "codel");
	CU_ASSERT_STRING_EQUAL(trace_drop_name[DROP_AQM], "aqm");
}

static const struct test_case cases[] = {
	{ "codel: drop times follow the control law", test_codel_control_law },
	{ "codel: the drop state's re-entry rule", test_codel_reentry },
	{ "codel: no drop at one frame of backlog", test_codel_min_bytes },
	{ "codel: a drop listener sends on the link",
	    test_codel_drop_listener_sends },
	{ "red: average and probability", test_red_average_and_probability },
	{ "red: draws predicted from the stream", test_red_draws_predicted },
	{ "red: idle-time decay", test_red_idle_decay },
	{ "red: forced and gentle", test_red_forced_and_gentle },
	{ "red: byte mode", test_red_bytes },
	{ "red: queue limit", test_red_queue_limit },
	{ "params check", test_params_check },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "qdisc_aqm", cases);
}
