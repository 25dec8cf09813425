/*
 * qdisc.c - the built-in queue disciplines: drop-tail, token-bucket shaper
 * and token-bucket policer.
 *
 * All three are one FIFO (a singly linked list through pkt->next, as the
 * link queue always was) with packet and byte limits; the shaper adds a
 * bucket consulted when a frame would leave, the policer one consulted when
 * a frame arrives. The bucket is refilled lazily, from the time of its last
 * use, so an idle queue costs nothing and needs no event of its own.
 */
#include <stdbool.h>
#include <stdlib.h>

#include "pkt.h"
#include "qdisc.h"
#include "util.h"

/* Token units per bit: a rate in bit/s then adds exactly rate units per ns. */
#define UNITS_PER_BIT 1000000000u

typedef unsigned __int128 tb_units;

const char *const qdisc_kind_name[QDISC_KIND_MAX] = {
	[QDISC_DROPTAIL] = "droptail",
	[QDISC_SHAPER] = "shaper",
	[QDISC_POLICER] = "policer",
};

static tb_units
units_of(uint64_t bytes)
{
	return (tb_units)bytes * 8u * UNITS_PER_BIT;
}

/*
 * Time inside a bucket is scaled by its rate (ns * rate_bps), so that the
 * instant a waiting frame's tokens are complete, generally a fraction of a
 * nanosecond, is an exact integer too.
 */
struct bucket {
	uint64_t rate;		/* bit/s = units per ns */
	tb_units depth;		/* burst in units */
	tb_units tokens;	/* <= depth */
	tb_units at;		/* scaled time the tokens are as of */
	tb_units due;		/* shaper: when the waiting head's tokens are
				 * complete (scaled); 0 = nobody waits */
};

static void
bucket_init(struct bucket *b, uint64_t rate, uint64_t burst)
{
	b->rate = rate;
	b->depth = units_of(burst);
	b->tokens = b->depth;	/* a bucket starts full */
	b->at = 0;
	b->due = 0;
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

struct builtin {
	struct qdisc q;
	struct pkt *head, *tail;
	uint32_t limit_pkts;	/* 0 = unlimited */
	uint64_t limit_bytes;	/* 0 = unlimited */
	struct bucket b;	/* shaper and policer */
};

static struct builtin *
builtin_of(struct qdisc *q)
{
	return (struct builtin *)q;
}

static bool
fifo_fits(const struct builtin *bq, uint32_t len)
{
	return !((bq->limit_pkts && bq->q.pkts + 1 > bq->limit_pkts) ||
	    (bq->limit_bytes && bq->q.bytes + len > bq->limit_bytes));
}

static void
fifo_push(struct builtin *bq, struct pkt *p, uint32_t len)
{
	p->next = NULL;
	if (bq->tail != NULL)
		bq->tail->next = p;
	else
		bq->head = p;
	bq->tail = p;
	bq->q.pkts++;
	bq->q.bytes += len;
}

static struct pkt *
fifo_pop(struct builtin *bq)
{
	struct pkt *p = bq->head;

	if (p == NULL)
		return NULL;
	bq->head = p->next;
	if (bq->head == NULL)
		bq->tail = NULL;
	p->next = NULL;
	bq->q.pkts--;
	bq->q.bytes -= pkt_wire_len(p);
	return p;
}

/* --- drop-tail ------------------------------------------------------- */

static enum trace_drop
droptail_enqueue(struct qdisc *q, struct pkt *p, uint32_t len, sim_time now)
{
	struct builtin *bq = builtin_of(q);

	(void)now;
	if (!fifo_fits(bq, len))
		return DROP_QUEUE_FULL;
	fifo_push(bq, p, len);
	return DROP_NONE;
}

static struct pkt *
droptail_dequeue(struct qdisc *q, sim_time now, sim_time *ready)
{
	struct pkt *p = fifo_pop(builtin_of(q));

	(void)now;
	if (p == NULL)
		*ready = SIM_TIME_MAX;
	return p;
}

static struct pkt *
builtin_purge(struct qdisc *q)
{
	struct builtin *bq = builtin_of(q);

	bq->b.due = 0;		/* the head a shaper waited for is gone */
	return fifo_pop(bq);
}

static void
builtin_free(struct qdisc *q)
{
	free(q);
}

static const struct qdisc_ops droptail_ops = {
	.kind = "droptail",
	.enqueue = droptail_enqueue,
	.dequeue = droptail_dequeue,
	.purge = builtin_purge,
	.free = builtin_free,
};

/* --- shaper ---------------------------------------------------------- */

static enum trace_drop
shaper_enqueue(struct qdisc *q, struct pkt *p, uint32_t len, sim_time now)
{
	struct builtin *bq = builtin_of(q);

	(void)now;
	/* a frame larger than the bucket would block the queue for good */
	if (units_of(len) > bq->b.depth)
		return DROP_POLICER;
	if (!fifo_fits(bq, len))
		return DROP_QUEUE_FULL;
	fifo_push(bq, p, len);
	return DROP_NONE;
}

/*
 * A frame that waited for tokens takes them at the exact (scaled) instant
 * they were complete, although it leaves at the next whole ns or when the
 * transmitter is free: so the sub-nanosecond remainder is never lost to
 * the bucket's depth, and frame k of a backlog leaves at exactly
 * ceil(((k + 1) * size - burst) / rate), with no drift.
 */
static struct pkt *
shaper_dequeue(struct qdisc *q, sim_time now, sim_time *ready)
{
	struct builtin *bq = builtin_of(q);
	struct bucket *b = &bq->b;
	tb_units need, t;

	if (bq->head == NULL) {
		*ready = SIM_TIME_MAX;
		return NULL;
	}
	t = bucket_time(b, now);
	need = units_of(pkt_wire_len(bq->head));
	if (b->due != 0 && b->due <= t) {
		bucket_refill(b, b->due);
		b->due = 0;
		SIM_ASSERT(b->tokens == need, "shaper lost count of tokens");
	} else
		bucket_refill(b, t);
	if (b->tokens < need) {
		b->due = t + (need - b->tokens);
		*ready = bucket_ns(b, b->due);
		return NULL;
	}
	b->tokens -= need;
	return fifo_pop(bq);
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
	if (!fifo_fits(bq, len))
		return DROP_QUEUE_FULL;
	bucket_refill(&bq->b, bucket_time(&bq->b, now));
	if (bq->b.tokens < need)
		return DROP_POLICER;
	bq->b.tokens -= need;
	fifo_push(bq, p, len);
	return DROP_NONE;
}

static const struct qdisc_ops policer_ops = {
	.kind = "policer",
	.enqueue = policer_enqueue,
	.dequeue = droptail_dequeue,
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
		return 0;
	case QDISC_KIND_MAX:
		break;
	}
	return sim_err(err, errlen, "unknown queue discipline %d",
	    (int)qp->kind);
}

struct qdisc *
qdisc_new(const struct qdisc_params *qp, uint32_t limit_pkts,
    uint64_t limit_bytes)
{
	static const struct qdisc_ops *const ops[QDISC_KIND_MAX] = {
		[QDISC_DROPTAIL] = &droptail_ops,
		[QDISC_SHAPER] = &shaper_ops,
		[QDISC_POLICER] = &policer_ops,
	};
	struct builtin *bq;
	char err[128];

	SIM_ASSERT(qdisc_params_check(qp, err, sizeof(err)) == 0, "%s", err);
	bq = xcalloc(1, sizeof(*bq));
	bq->q.ops = ops[qp->kind];
	bq->limit_pkts = limit_pkts;
	bq->limit_bytes = limit_bytes;
	if (qp->kind != QDISC_DROPTAIL)
		bucket_init(&bq->b, qp->rate_bps, qp->burst_bytes);
	return &bq->q;
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
