/*
 * qdisc.c - the built-in queue disciplines: drop-tail, token-bucket shaper
 * and token-bucket policer; RED and CoDel are in qdisc_aqm.c.
 *
 * All three are one FIFO (a singly linked list through pkt->next, as the
 * link queue always was) with packet and byte limits; the shaper adds a
 * bucket consulted when a frame would leave, the policer one consulted when
 * a frame arrives. The bucket is refilled lazily, from the time of its last
 * use, so an idle queue costs nothing and needs no event of its own.
 *
 * With a packet rate, each has a second bucket of packets beside the one of
 * bits, counted the same way (a packet is 10^9 units, a rate of R packet/s
 * adds R units per ns), and a frame needs its tokens in both.
 */
#include <stdbool.h>
#include <stdlib.h>

#include "pkt.h"
#include "qdisc.h"
#include "qdisc_aqm.h"
#include "util.h"

/* Token units per bit: a rate in bit/s then adds exactly rate units per ns. */
#define UNITS_PER_BIT 1000000000u

typedef unsigned __int128 tb_units;

const char *const qdisc_kind_name[QDISC_KIND_MAX] = {
	[QDISC_DROPTAIL] = "droptail",
	[QDISC_SHAPER] = "shaper",
	[QDISC_POLICER] = "policer",
	[QDISC_RED] = "red",
	[QDISC_CODEL] = "codel",
};

static tb_units
units_of(uint64_t bytes)
{
	return (tb_units)bytes * 8u * UNITS_PER_BIT;
}

/* A packet in a packet bucket: as a bit in a bit bucket. */
#define PKT_UNITS ((tb_units)UNITS_PER_BIT)

/*
 * Time inside a bucket is scaled by its rate (ns * rate_bps), so that the
 * instant a waiting frame's tokens are complete, generally a fraction of a
 * nanosecond, is an exact integer too.
 */
struct bucket {
	uint64_t rate;		/* bit/s (packet/s) = units per ns; 0 = none */
	tb_units depth;		/* burst in units */
	tb_units tokens;	/* <= depth */
	tb_units at;		/* scaled time the tokens are as of */
};

static void
bucket_init(struct bucket *b, uint64_t rate, tb_units depth)
{
	b->rate = rate;
	b->depth = depth;
	b->tokens = b->depth;	/* a bucket starts full */
	b->at = 0;
}

static tb_units
bucket_time(const struct bucket *b, sim_time now)
{
	/* < 2^63 * 2^64 */
	return (tb_units)b->rate * (uint64_t)now;
}

static void
bucket_refill(struct bucket *b, tb_units to)
{
	tb_units add;

	if (to <= b->at)
		return;
	add = to - b->at;
	b->tokens = b->depth - b->tokens <= add ? b->depth : b->tokens + add;
	b->at = to;
}

/* The first whole ns at or after the scaled time t. */
static sim_time
bucket_ns(const struct bucket *b, tb_units t)
{
	tb_units ns = (t + b->rate - 1) / b->rate;

	return ns >= (tb_units)SIM_TIME_MAX ? SIM_TIME_MAX : (sim_time)ns;
}

/*
 * The later of two exact instants, each a scaled time of its own bucket:
 * true if a's instant ta is before b's tb. Whole ns first, then the
 * fractions ra / rate_a and rb / rate_b cross-multiplied (< 2^128).
 */
static bool
instant_before(const struct bucket *a, tb_units ta, const struct bucket *b,
    tb_units tb)
{
	tb_units qa = ta / a->rate, qb = tb / b->rate;

	if (qa != qb)
		return qa < qb;
	return (ta % a->rate) * b->rate < (tb % b->rate) * a->rate;
}

/* The instant t of bucket a in bucket b's scale, rounded down. */
static tb_units
instant_in(const struct bucket *a, tb_units t, const struct bucket *b)
{
	return t / a->rate * b->rate + t % a->rate * b->rate / a->rate;
}

struct builtin {
	struct qdisc_fifo f;
	struct bucket b;	/* shaper and policer: bits */
	struct bucket pb;	/* packets, rate 0: no packet limit */
	/*
	 * Shaper: the bucket the waiting head's tokens are complete last in
	 * (NULL: nobody waits), and that instant in its scale.
	 */
	struct bucket *wait;
	tb_units due;
};

static struct builtin *
builtin_of(struct qdisc *q)
{
	return (struct builtin *)q;
}

/* --- drop-tail ------------------------------------------------------- */

/* Called only by other code than qdisc_enqueue/qdisc_dequeue's fast path. */
static enum trace_drop
droptail_enqueue(struct qdisc *q, struct pkt *p, uint32_t len, sim_time now)
{
	struct qdisc_fifo *f = &builtin_of(q)->f;

	(void)now;
	if (!qdisc_fifo_fits(f, len))
		return DROP_QUEUE_FULL;
	qdisc_fifo_push(f, p, len);
	return DROP_NONE;
}

static struct pkt *
fifo_dequeue(struct qdisc *q, sim_time now, sim_time *ready)
{
	struct pkt *p = qdisc_fifo_pop(&builtin_of(q)->f);

	(void)now;
	if (p == NULL)
		*ready = SIM_TIME_MAX;
	return p;
}

static struct pkt *
builtin_purge(struct qdisc *q)
{
	struct builtin *bq = builtin_of(q);

	bq->wait = NULL;	/* the head a shaper waited for is gone */
	return qdisc_fifo_pop(&bq->f);
}

static void
builtin_free(struct qdisc *q)
{
	free(q);
}

const struct qdisc_ops qdisc_droptail_ops = {
	.kind = "droptail",
	.enqueue = droptail_enqueue,
	.dequeue = fifo_dequeue,
	.purge = builtin_purge,
	.free = builtin_free,
};

/* --- shaper ---------------------------------------------------------- */

static enum trace_drop
shaper_enqueue(struct qdisc *q, struct pkt *p, uint32_t len, sim_time now)
{
	struct builtin *bq = builtin_of(q);

	(void)now;
	/*
	 * A frame larger than the bucket would block the queue for good; the
	 * link refuses such a burst (qdisc_params_check_frame), so none comes.
	 */
	SIM_ASSERT(units_of(len) <= bq->b.depth, "shaper: a %u-byte frame "
	    "over its burst of %llu bytes", len,
	    (unsigned long long)qdisc_max_frame(q));
	if (!qdisc_fifo_fits(&bq->f, len))
		return DROP_QUEUE_FULL;
	qdisc_fifo_push(&bq->f, p, len);
	return DROP_NONE;
}

/*
 * A frame that waited for tokens takes them at the exact (scaled) instant
 * they were complete, although it leaves at the next whole ns or when the
 * transmitter is free: so the sub-nanosecond remainder is never lost to
 * the bucket's depth, and frame k of a backlog leaves at exactly
 * ceil(((k + 1) * size - burst) / rate), with no drift.
 *
 * With two buckets, that instant is the later of the two at which each
 * holds the frame's tokens (compared exactly). The bucket it belongs to
 * is refilled to it exactly; the other to the same instant in its own
 * scale, rounded down (less than one unit, 10^-9 of a bit or a packet, is
 * left for later, never taken early), so a frame never leaves before both
 * buckets hold its tokens, and the binding bucket keeps the exact release
 * times above.
 */
static struct pkt *
shaper_dequeue(struct qdisc *q, sim_time now, sim_time *ready)
{
	struct builtin *bq = builtin_of(q);
	struct bucket *b = &bq->b, *pb = &bq->pb, *late = NULL;
	tb_units need, t, pt = 0, due = 0;

	if (bq->f.head == NULL) {
		*ready = SIM_TIME_MAX;
		return NULL;
	}
	t = bucket_time(b, now);
	if (pb->rate != 0)
		pt = bucket_time(pb, now);
	need = units_of(pkt_wire_len(bq->f.head));
	if (bq->wait != NULL && bq->due <= (bq->wait == b ? t : pt)) {
		struct bucket *o = bq->wait == b ? pb : b;

		bucket_refill(bq->wait, bq->due);
		if (o->rate != 0)
			bucket_refill(o, instant_in(bq->wait, bq->due, o));
		/* the binding bucket holds the frame's tokens exactly */
		SIM_ASSERT(bq->wait->tokens == (bq->wait == b ? need :
		    PKT_UNITS) && b->tokens >= need && (pb->rate == 0 ||
		    pb->tokens >= PKT_UNITS), "shaper lost count of tokens");
		bq->wait = NULL;
	} else {
		bucket_refill(b, t);
		if (pb->rate != 0)
			bucket_refill(pb, pt);
	}
	if (b->tokens < need) {
		late = b;
		due = t + (need - b->tokens);
	}
	if (pb->rate != 0 && pb->tokens < PKT_UNITS) {
		tb_units pdue = pt + (PKT_UNITS - pb->tokens);

		if (late == NULL || instant_before(late, due, pb, pdue)) {
			late = pb;
			due = pdue;
		}
	}
	if (late != NULL) {
		bq->wait = late;
		bq->due = due;
		*ready = bucket_ns(late, due);
		return NULL;
	}
	b->tokens -= need;
	if (pb->rate != 0)
		pb->tokens -= PKT_UNITS;
	return qdisc_fifo_pop(&bq->f);
}

static const struct qdisc_ops shaper_ops = {
	.kind = "shaper",
	.enqueue = shaper_enqueue,
	.dequeue = shaper_dequeue,
	.purge = builtin_purge,
	.free = builtin_free,
};

/* --- policer --------------------------------------------------------- */

static enum trace_drop
policer_enqueue(struct qdisc *q, struct pkt *p, uint32_t len, sim_time now)
{
	struct builtin *bq = builtin_of(q);
	tb_units need = units_of(len);

	/* the queue limit first: a frame it refuses takes no tokens */
	if (!qdisc_fifo_fits(&bq->f, len))
		return DROP_QUEUE_FULL;
	bucket_refill(&bq->b, bucket_time(&bq->b, now));
	if (bq->pb.rate != 0)
		bucket_refill(&bq->pb, bucket_time(&bq->pb, now));
	/* tokens in both buckets, or none taken from either */
	if (bq->b.tokens < need ||
	    (bq->pb.rate != 0 && bq->pb.tokens < PKT_UNITS))
		return DROP_POLICER;
	bq->b.tokens -= need;
	if (bq->pb.rate != 0)
		bq->pb.tokens -= PKT_UNITS;
	qdisc_fifo_push(&bq->f, p, len);
	return DROP_NONE;
}

static const struct qdisc_ops policer_ops = {
	.kind = "policer",
	.enqueue = policer_enqueue,
	.dequeue = fifo_dequeue,
	.purge = builtin_purge,
	.free = builtin_free,
};

/* --- construction ---------------------------------------------------- */

int
qdisc_params_check(const struct qdisc_params *qp, char *err, size_t errlen)
{
	switch (qp->kind) {
	case QDISC_DROPTAIL:
		return 0;
	case QDISC_SHAPER:
	case QDISC_POLICER:
		if (qp->rate_bps == 0)
			return sim_err(err, errlen, "%s rate must be > 0",
			    qdisc_kind_name[qp->kind]);
		if (qp->burst_bytes == 0)
			return sim_err(err, errlen, "%s burst must be > 0",
			    qdisc_kind_name[qp->kind]);
		if (qp->rate_pps != 0 && qp->burst_pkts == 0)
			return sim_err(err, errlen, "%s packet burst must be "
			    ">= 1 with a packet rate",
			    qdisc_kind_name[qp->kind]);
		if (qp->rate_pps == 0 && qp->burst_pkts != 0)
			return sim_err(err, errlen, "%s packet burst without "
			    "a packet rate", qdisc_kind_name[qp->kind]);
		return 0;
	case QDISC_RED:
	case QDISC_CODEL:
		return qdisc_aqm_check(qp, err, errlen);
	case QDISC_KIND_MAX:
		break;
	}
	return sim_err(err, errlen, "unknown queue discipline %d",
	    (int)qp->kind);
}

int
qdisc_params_check_frame(const struct qdisc_params *qp, uint64_t max_frame,
    char *err, size_t errlen)
{
	if (qdisc_params_check(qp, err, errlen) < 0)
		return -1;
	if ((qp->kind == QDISC_SHAPER || qp->kind == QDISC_POLICER) &&
	    qp->burst_bytes < max_frame)
		return sim_err(err, errlen, "%s burst of %llu bytes is less "
		    "than one full frame (%llu bytes)",
		    qdisc_kind_name[qp->kind],
		    (unsigned long long)qp->burst_bytes,
		    (unsigned long long)max_frame);
	return 0;
}

uint64_t
qdisc_max_frame(const struct qdisc *q)
{
	if (q->ops != &shaper_ops && q->ops != &policer_ops)
		return UINT64_MAX;
	/* a built-in begins with its fifo, which begins with struct qdisc */
	return (uint64_t)(((const struct builtin *)(const void *)q)->b.depth /
	    units_of(1));
}

struct qdisc *
qdisc_new(const struct qdisc_params *qp, uint32_t limit_pkts,
    uint64_t limit_bytes)
{
	static const struct qdisc_ops *const ops[QDISC_KIND_MAX] = {
		[QDISC_DROPTAIL] = &qdisc_droptail_ops,
		[QDISC_SHAPER] = &shaper_ops,
		[QDISC_POLICER] = &policer_ops,
	};
	struct builtin *bq;
	char err[128];

	SIM_ASSERT(qdisc_params_check(qp, err, sizeof(err)) == 0, "%s", err);
	if (qp->kind == QDISC_RED || qp->kind == QDISC_CODEL)
		return qdisc_aqm_new(qp, limit_pkts, limit_bytes);
	bq = xcalloc(1, sizeof(*bq));
	bq->f.q.ops = ops[qp->kind];
	bq->f.limit_pkts = limit_pkts;
	bq->f.limit_bytes = limit_bytes;
	if (qp->kind != QDISC_DROPTAIL) {
		bucket_init(&bq->b, qp->rate_bps, units_of(qp->burst_bytes));
		if (qp->rate_pps != 0)
			bucket_init(&bq->pb, qp->rate_pps,
			    (tb_units)qp->burst_pkts * PKT_UNITS);
	}
	return &bq->f.q;
}

void
qdisc_attach(struct qdisc *q, const struct qdisc_env *env)
{
	q->drop = env->drop;
	q->drop_ctx = env->drop_ctx;
	if (q->ops->attach != NULL)
		q->ops->attach(q, env);
}

void
qdisc_free(struct qdisc *q)
{
	if (q == NULL)
		return;
	SIM_ASSERT(q->pkts == 0, "%s queue freed with %u packets",
	    q->ops->kind, q->pkts);
	q->ops->free(q);
}
