/*
 * qdisc.h - queue disciplines: what a link direction's transmitter takes its
 * next frame from.
 *
 * A queue discipline owns the packets queued in it and decides three
 * things: whether an arriving frame is admitted (or dropped, and why), which
 * frame leaves next, and when it may leave. The link asks for a frame when
 * its transmitter is free; a discipline that is not ready yet (a shaper
 * short of tokens) says at which exact nanosecond it will be, and the link
 * comes back then. Built in:
 *
 *   drop-tail  a FIFO with limits in packets and bytes (the default);
 *   shaper     a token bucket (rate, burst) in front of such a FIFO: frames
 *              wait until the bucket holds their size;
 *   policer    a token bucket that drops non-conforming frames on arrival
 *              (DROP_POLICER) and queues the others in such a FIFO;
 *   red        Random Early Detection (Floyd and Jacobson 1993, as ns-3's
 *              RedQueueDisc): arrivals dropped at random (DROP_AQM) with a
 *              probability that grows with the average queue;
 *   codel      Controlled Delay (RFC 8289): frames that waited longer than
 *              target for longer than interval are dropped at the head
 *              (DROP_AQM), at the pace of the control law.
 *
 * RED and CoDel live in qdisc_aqm.c; docs/qdisc.md gives their parameters
 * and sources.
 *
 * A shaper or policer may also limit packets per second: a second bucket
 * (rate_pps, burst_pkts) in which every frame needs one token. A frame
 * then conforms when both buckets hold its tokens: a shaper holds it until
 * then, a policer drops it unless both do (and takes from neither).
 *
 * Token arithmetic is exact: a bucket counts bit-nanoseconds per second (one
 * bit is 10^9 units, a rate of R bit/s adds R units per ns; a packet in the
 * packet bucket likewise) in 128-bit integers, so "rate * t + burst" holds to the bit and a waiting frame is
 * released at the first nanosecond its tokens are there. Frame sizes are
 * those the link serialises (Ethernet header included).
 *
 * Another discipline is a struct qdisc_ops plus a struct that begins with
 * struct qdisc, installed with link_set_qdisc(): the link touches a queue
 * only through the ops and the pkts/bytes counters below.
 */
#ifndef XCSIM_QDISC_H
#define XCSIM_QDISC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pkt.h"
#include "trace.h"
#include "units.h"

struct qdisc;

enum qdisc_kind {
	QDISC_DROPTAIL = 0,	/* the zero value: today's link queue */
	QDISC_SHAPER,
	QDISC_POLICER,
	QDISC_RED,
	QDISC_CODEL,
	QDISC_KIND_MAX
};
extern const char *const qdisc_kind_name[QDISC_KIND_MAX];

/*
 * RED's parameters, as ns-3's RedQueueDisc names them in brackets. The
 * thresholds count packets, or bytes in byte mode; the average follows
 * avg = (1 - w_q)^(m + 1) * avg + w_q * q at each arrival, m the frames
 * the link could have sent while the queue was idle.
 */
struct qdisc_red {
	double min_th;		/* [MinTh] >= 0, as qdisc_aqm_check and the
				 * loader take it (0: early drops at any
				 * average) */
	double max_th;		/* [MaxTh] > min_th */
	double max_p;		/* [1 / LInterm] in (0, 1] */
	double w_q;		/* [QW] in (0, 1] */
	uint32_t mean_pkt;	/* [MeanPktSize] bytes, > 0: the idle decay's
				 * and byte mode's unit */
	bool gentle;		/* [Gentle] p rises to 1 from max_th to
				 * 2 max_th instead of jumping to 1 */
	bool wait;		/* [Wait] space drops out (count * p < 1: 0) */
	bool bytes;		/* thresholds and queue in bytes, p scaled by
				 * the frame's size over mean_pkt */
};

/* CoDel's parameters (RFC 8289 4.2, 4.3). */
struct qdisc_codel {
	sim_time target;	/* > 0, the acceptable standing delay (5 ms);
				 * RFC 8289 4.4 advises 5-10% of interval,
				 * the loader warns above interval */
	sim_time interval;	/* > 0, <= QDISC_CODEL_INTERVAL_MAX (100 ms) */
	/*
	 * No drop while this many bytes or fewer remain queued (RFC 8289's
	 * maxpacket, Linux's mtu): 0 = one full frame of the link.
	 */
	uint64_t min_bytes;
};
#define QDISC_CODEL_INTERVAL_MAX ((sim_time)3600 * 1000000000)

/* How a link direction queues; all zero is drop-tail. */
struct qdisc_params {
	enum qdisc_kind kind;
	uint64_t rate_bps;	/* shaper, policer: token rate, > 0 */
	uint64_t burst_bytes;	/* shaper, policer: bucket depth, > 0 */
	uint64_t rate_pps;	/* shaper, policer: packets/s, 0 = no limit */
	uint32_t burst_pkts;	/* with rate_pps: packet bucket depth, >= 1;
				 * 0 without */
	struct qdisc_red red;	/* red */
	struct qdisc_codel codel;	/* codel */
};

/*
 * Where a discipline reports a frame it drops after admitting it (CoDel
 * drops at the head, as a frame would leave): the frame is already out of
 * pkts and bytes, and the callee owns it.
 */
typedef void (*qdisc_drop_fn)(void *ctx, struct pkt *p, enum trace_drop why);

/*
 * What a discipline learns of the link direction it serves, when it is
 * installed there (qdisc_attach; the link does it, a unit test may too).
 */
struct qdisc_env {
	uint64_t rate_bps;	/* the transmitter's: RED's idle decay */
	uint64_t max_frame;	/* its largest frame: CoDel's min_bytes 0 */
	uint64_t seed;		/* the simulation's seed... */
	const char *stream;	/* ...and the name of the discipline's own
				 * random stream (rng.h) */
	qdisc_drop_fn drop;	/* see qdisc_drop_fn; NULL = only refusals */
	void *drop_ctx;
};

struct qdisc_ops {
	const char *kind;	/* names the queue in the trace */
	/*
	 * Admit p (len bytes on the wire) at now: DROP_NONE when it is queued
	 * (the discipline owns it), or the reason it was refused (the caller
	 * still owns it and drops it).
	 */
	enum trace_drop (*enqueue)(struct qdisc *q, struct pkt *p,
	    uint32_t len, sim_time now);
	/*
	 * The frame to transmit at now, or NULL with *ready set to the
	 * earliest time one may leave (> now; SIM_TIME_MAX when empty).
	 */
	struct pkt *(*dequeue)(struct qdisc *q, sim_time now,
	    sim_time *ready);
	/* Remove any one queued frame regardless of timing, NULL if empty. */
	struct pkt *(*purge)(struct qdisc *q);
	/* Free the discipline itself; it is empty by then. */
	void (*free)(struct qdisc *q);
	/* Optional: learn env (called by qdisc_attach, before any frame). */
	void (*attach)(struct qdisc *q, const struct qdisc_env *env);
};

/*
 * The part every discipline shares. pkts and bytes are what is queued now;
 * the discipline keeps them current in enqueue, dequeue and purge. id is
 * the queue's identity in the trace, set by whoever installs it.
 */
struct qdisc {
	const struct qdisc_ops *ops;
	uint32_t pkts;
	uint64_t bytes;
	uint32_t id;
	qdisc_drop_fn drop;	/* from qdisc_attach */
	void *drop_ctx;
};

/* Install q on a link direction described by env (see struct qdisc_env). */
void qdisc_attach(struct qdisc *q, const struct qdisc_env *env);

/* Returns 0, or -1 with err saying what is wrong with qp. */
int qdisc_params_check(const struct qdisc_params *qp, char *err,
    size_t errlen);
/*
 * qdisc_params_check for a link direction whose largest frame is max_frame
 * bytes: the IP MTU, 14 bytes of Ethernet header and 4 per VLAN tag of the
 * sending interface. A token bucket never holds more than its burst, so a
 * shaper could never release a larger frame and a policer never admit one:
 * a burst below max_frame is refused (-1). net_add_link and link_set_qdisc
 * abort on such a burst (a caller bug: the scenario loader reports it
 * first, with the same rule), so a shaper never drops a frame for its size;
 * a policer drops a frame that finds too few tokens (DROP_POLICER).
 */
int qdisc_params_check_frame(const struct qdisc_params *qp, uint64_t max_frame,
    char *err, size_t errlen);
/*
 * The largest frame q can ever pass: a built-in token bucket's burst in
 * bytes, UINT64_MAX for drop-tail or a discipline not built in.
 */
uint64_t qdisc_max_frame(const struct qdisc *q);
/*
 * A built-in discipline. limit_pkts and limit_bytes bound its FIFO (0 =
 * unlimited); a frame that would pass either is refused with
 * DROP_QUEUE_FULL. qp must pass qdisc_params_check.
 */
struct qdisc *qdisc_new(const struct qdisc_params *qp, uint32_t limit_pkts,
    uint64_t limit_bytes);
/* Free an empty discipline (purge it first). NULL is ignored. */
void qdisc_free(struct qdisc *q);

/*
 * What RED and CoDel decided so far, for tests and the curious: 0 and the
 * fields filled if q is one of them, -1 otherwise.
 */
struct qdisc_aqm_stats {
	/* red */
	double avg;		/* the average queue after the last arrival */
	double prob;		/* the drop probability that arrival faced
				 * (after the count correction; 0 below
				 * min_th, 1 for a forced drop) */
	uint32_t count;		/* arrivals since the last drop (ns-3's) */
	uint64_t early_drops;	/* random drops (unforced) */
	uint64_t forced_drops;	/* avg over max_th (2 max_th gentle) */
	/* codel */
	bool dropping;		/* in the drop state */
	uint32_t drop_count;	/* RFC 8289's count */
	sim_time drop_next;	/* the next drop's time while dropping */
	uint64_t head_drops;	/* frames dropped at the head */
};
int qdisc_aqm_stats(const struct qdisc *q, struct qdisc_aqm_stats *st);

/*
 * The FIFO under every built-in discipline. Private to qdisc.c, except that
 * drop-tail, the default of every link, is inlined below: one predictable
 * branch instead of two calls per hop keeps the common case as fast as the
 * queue that was hard-wired in link.c.
 */
struct qdisc_fifo {
	struct qdisc q;
	struct pkt *head, *tail;
	uint32_t limit_pkts;	/* 0 = unlimited */
	uint64_t limit_bytes;	/* 0 = unlimited */
};
extern const struct qdisc_ops qdisc_droptail_ops;

static inline bool
qdisc_fifo_fits(const struct qdisc_fifo *f, uint32_t len)
{
	return !((f->limit_pkts && f->q.pkts + 1 > f->limit_pkts) ||
	    (f->limit_bytes && f->q.bytes + len > f->limit_bytes));
}

static inline void
qdisc_fifo_push(struct qdisc_fifo *f, struct pkt *p, uint32_t len)
{
	p->next = NULL;
	if (f->tail != NULL)
		f->tail->next = p;
	else
		f->head = p;
	f->tail = p;
	f->q.pkts++;
	f->q.bytes += len;
}

static inline struct pkt *
qdisc_fifo_pop(struct qdisc_fifo *f)
{
	struct pkt *p = f->head;

	if (p == NULL)
		return NULL;
	f->head = p->next;
	if (f->head == NULL)
		f->tail = NULL;
	p->next = NULL;
	f->q.pkts--;
	f->q.bytes -= pkt_wire_len(p);
	return p;
}

static inline enum trace_drop
qdisc_enqueue(struct qdisc *q, struct pkt *p, uint32_t len, sim_time now)
{
	if (q->ops == &qdisc_droptail_ops) {
		struct qdisc_fifo *f = (struct qdisc_fifo *)q;

		if (!qdisc_fifo_fits(f, len))
			return DROP_QUEUE_FULL;
		qdisc_fifo_push(f, p, len);
		return DROP_NONE;
	}
	return q->ops->enqueue(q, p, len, now);
}

static inline struct pkt *
qdisc_dequeue(struct qdisc *q, sim_time now, sim_time *ready)
{
	if (q->ops == &qdisc_droptail_ops) {
		struct pkt *p = qdisc_fifo_pop((struct qdisc_fifo *)q);

		if (p == NULL)
			*ready = SIM_TIME_MAX;
		return p;
	}
	return q->ops->dequeue(q, now, ready);
}

static inline struct pkt *
qdisc_purge(struct qdisc *q)
{
	return q->ops->purge(q);
}

static inline uint32_t
qdisc_pkts(const struct qdisc *q)
{
	return q->pkts;
}

static inline uint64_t
qdisc_bytes(const struct qdisc *q)
{
	return q->bytes;
}

static inline const char *
qdisc_kind(const struct qdisc *q)
{
	return q->ops->kind;
}

#endif
