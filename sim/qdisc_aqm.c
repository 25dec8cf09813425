/*
 * qdisc_aqm.c - active queue management: RED and CoDel.
 *
 * Both are the built-in FIFO (qdisc.h, struct qdisc_fifo) with a rule for
 * dropping frames before the queue is full. RED decides when a frame
 * arrives, from an exponentially weighted average of the queue's length;
 * CoDel when a frame would leave, from how long it waited (its sojourn
 * time), so it keeps the time each frame was queued in a ring beside the
 * FIFO, in the same order.
 *
 * RED follows ns-3's RedQueueDisc (itself ns-2's red.cc, after Floyd and
 * Jacobson 1993) without its adaptive variants (ARED, Feng's, NLRED) and
 * without ECN marking: xcsim's data path has no ECN, so every decision is
 * a drop. CoDel follows the pseudo-code of RFC 8289 section 5, with the
 * control law computed exactly in integer nanoseconds, interval /
 * sqrt(count) rounded down, where Linux and ns-3 use a fixed-point Newton
 * step on 1.024 us units: the drop times are then the RFC's to the ns.
 *
 * Random draws (RED's) come from the discipline's own named stream, seeded
 * from the simulation's seed when the link installs it (qdisc_attach): the
 * link's loss draws are not disturbed by a change of discipline, and the
 * same seed gives the same drops.
 */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

#include "pkt.h"
#include "qdisc.h"
#include "qdisc_aqm.h"
#include "rng.h"
#include "util.h"

/* --- RED ------------------------------------------------------------- */

struct red {
	struct qdisc_fifo f;
	struct qdisc_red p;
	/* p = v_a * avg + v_b below max_th (times max_p), v_c * avg + v_d
	 * from max_th to 2 max_th when gentle */
	double v_a, v_b, v_c, v_d;
	double ptc;		/* mean_pkt frames/s the link can send */
	uint64_t rate_bps;
	bool attached;
	struct rng rng;
	double avg;
	double prob;		/* the last arrival's drop probability */
	uint32_t count;		/* arrivals since the last drop */
	uint64_t count_bytes;	/* their bytes (byte mode's count) */
	bool old;		/* avg was over min_th at the last arrival */
	/*
	 * The queue is empty: from idle_since, the instant the transmitter
	 * finished its last frame, the average decays as if frames of
	 * mean_pkt bytes had arrived to an empty queue at the link's rate.
	 */
	bool idle;
	sim_time idle_since;
	sim_time last;		/* the latest time seen (for purge) */
	uint64_t early, forced;
};

static struct red *
red_of(struct qdisc *q)
{
	return (struct red *)q;
}

/*
 * The probability of dropping this arrival (len bytes) in the early-drop
 * band, as ns-3's CalculatePNew then ModifyP: linear in the average,
 * then spread by the count of arrivals since the last drop, so drops come
 * at roughly even intervals instead of in clusters.
 */
static double
red_prob(const struct red *r, uint32_t len)
{
	const struct qdisc_red *rp = &r->p;
	double p, c;

	if (r->avg >= rp->max_th)
		p = rp->gentle ? r->v_c * r->avg + r->v_d : 1.0;
	else
		p = (r->v_a * r->avg + r->v_b) * rp->max_p;
	if (p > 1.0)
		p = 1.0;
	/* in byte mode the count is in whole mean_pkt units */
	c = rp->bytes ? (double)(r->count_bytes / rp->mean_pkt) :
	    (double)r->count;
	if (rp->wait) {
		if (c * p < 1.0)
			p = 0.0;
		else if (c * p < 2.0)
			p /= 2.0 - c * p;
		else
			p = 1.0;
	} else if (c * p < 1.0)
		p /= 1.0 - c * p;
	else
		p = 1.0;
	/* a large frame is likelier to be dropped than a small one */
	if (rp->bytes && p < 1.0)
		p = p * (double)len / (double)rp->mean_pkt;
	return p > 1.0 ? 1.0 : p;
}

static enum trace_drop
red_enqueue(struct qdisc *q, struct pkt *p, uint32_t len, sim_time now)
{
	struct red *r = red_of(q);
	const struct qdisc_red *rp = &r->p;
	double nq = rp->bytes ? (double)q->bytes : (double)q->pkts;
	double m = 0.0;
	bool drop = false;

	SIM_ASSERT(r->attached, "red queue used before qdisc_attach");
	r->last = now;
	if (r->idle) {
		/* the frames the link could have sent meanwhile, whole */
		if (now > r->idle_since)
			m = floor(r->ptc * ((double)(now - r->idle_since) /
			    1e9));
		r->idle = false;
	}
	r->avg = r->avg * pow(1.0 - rp->w_q, m + 1.0) + rp->w_q * nq;
	r->count++;
	r->count_bytes += len;
	if (r->avg >= rp->min_th && nq > 1.0) {
		if (r->avg >= (rp->gentle ? 2.0 * rp->max_th : rp->max_th)) {
			r->prob = 1.0;
			r->forced++;
			drop = true;
		} else if (!r->old) {
			/* just crossed min_th: start counting from here */
			r->count = 1;
			r->count_bytes = len;
			r->old = true;
			r->prob = 0.0;
		} else {
			r->prob = red_prob(r, len);
			/* drawn whatever p is: the stream does not depend on
			 * p's value */
			if (rng_unit(&r->rng) <= r->prob) {
				r->count = 0;
				r->count_bytes = 0;
				r->early++;
				drop = true;
			}
		}
	} else {
		r->prob = 0.0;
		r->old = false;
	}
	if (drop)
		return DROP_AQM;
	if (!qdisc_fifo_fits(&r->f, len))
		return DROP_QUEUE_FULL;
	qdisc_fifo_push(&r->f, p, len);
	return DROP_NONE;
}

static struct pkt *
red_dequeue(struct qdisc *q, sim_time now, sim_time *ready)
{
	struct red *r = red_of(q);
	struct pkt *p = qdisc_fifo_pop(&r->f);

	r->last = now;
	if (p == NULL) {
		*ready = SIM_TIME_MAX;
		return NULL;
	}
	if (q->pkts == 0) {
		r->idle = true;
		r->idle_since = now + units_tx_time(pkt_wire_len(p),
		    r->rate_bps);
	}
	return p;
}

static struct pkt *
red_purge(struct qdisc *q)
{
	struct red *r = red_of(q);
	struct pkt *p = qdisc_fifo_pop(&r->f);

	/* emptied by a link going down: idle from the last time seen */
	if (p != NULL && q->pkts == 0) {
		r->idle = true;
		r->idle_since = r->last;
	}
	return p;
}

static void
red_attach(struct qdisc *q, const struct qdisc_env *env)
{
	struct red *r = red_of(q);

	SIM_ASSERT(env->rate_bps > 0, "red: a link rate of 0");
	r->rate_bps = env->rate_bps;
	r->ptc = (double)env->rate_bps / (8.0 * (double)r->p.mean_pkt);
	rng_init(&r->rng, env->seed, env->stream);
	r->attached = true;
}

static void
aqm_free(struct qdisc *q)
{
	free(q);
}

static const struct qdisc_ops red_ops = {
	.kind = "red",
	.enqueue = red_enqueue,
	.dequeue = red_dequeue,
	.purge = red_purge,
	.free = aqm_free,
	.attach = red_attach,
};

static struct qdisc *
red_new(const struct qdisc_red *rp, uint32_t limit_pkts,
    uint64_t limit_bytes)
{
	struct red *r = xcalloc(1, sizeof(*r));
	double diff = rp->max_th - rp->min_th;

	r->f.q.ops = &red_ops;
	r->f.limit_pkts = limit_pkts;
	r->f.limit_bytes = limit_bytes;
	r->p = *rp;
	r->v_a = 1.0 / diff;
	r->v_b = -rp->min_th / diff;
	r->v_c = (1.0 - rp->max_p) / rp->max_th;
	r->v_d = 2.0 * rp->max_p - 1.0;
	/* ns-3: idle since time 0 until the first arrival */
	r->idle = true;
	return &r->f.q;
}

/* --- CoDel ----------------------------------------------------------- */

struct codel {
	struct qdisc_fifo f;
	struct qdisc_codel p;
	uint64_t min_bytes;	/* resolved at attach */
	bool attached;
	/* enqueue times, a ring in FIFO order: ts[ts_head] is the head's */
	sim_time *ts;
	uint32_t ts_head, ts_n, ts_cap;
	sim_time first_above;	/* 0: the sojourn time is below target */
	sim_time drop_next;
	uint32_t count, lastcount;
	bool dropping;
	uint64_t head_drops;
};

static struct codel *
codel_of(struct qdisc *q)
{
	return (struct codel *)q;
}

static void
ts_push(struct codel *c, sim_time t)
{
	if (c->ts_n == c->ts_cap) {
		uint32_t ncap = c->ts_cap ? c->ts_cap * 2 : 64, i;
		sim_time *n = xmalloc(ncap * sizeof(*n));

		for (i = 0; i < c->ts_n; i++)
			n[i] = c->ts[(c->ts_head + i) % c->ts_cap];
		free(c->ts);
		c->ts = n;
		c->ts_cap = ncap;
		c->ts_head = 0;
	}
	c->ts[(c->ts_head + c->ts_n) % c->ts_cap] = t;
	c->ts_n++;
}

static sim_time
ts_pop(struct codel *c)
{
	sim_time t = c->ts[c->ts_head];

	c->ts_head = (c->ts_head + 1) % c->ts_cap;
	c->ts_n--;
	return t;
}

/* The head and its enqueue time, or NULL. */
static struct pkt *
codel_pop(struct codel *c, sim_time *t)
{
	struct pkt *p = qdisc_fifo_pop(&c->f);

	if (p != NULL)
		*t = ts_pop(c);
	return p;
}

/*
 * floor(interval / sqrt(count)) exactly: the largest d with
 * d^2 count <= interval^2 (< 2^128: interval <= an hour, count < 2^32).
 */
static sim_time
codel_gap(sim_time interval, uint32_t count)
{
	unsigned __int128 i2 = (unsigned __int128)(uint64_t)interval *
	    (uint64_t)interval;
	uint64_t d;

	SIM_ASSERT(count > 0 && interval > 0 &&
	    interval <= QDISC_CODEL_INTERVAL_MAX, "codel gap %lld / sqrt(%u)",
	    (long long)interval, count);
	d = (uint64_t)((double)interval / sqrt((double)count));
	while ((unsigned __int128)(d + 1) * (d + 1) * count <= i2)
		d++;
	while ((unsigned __int128)d * d * count > i2)
		d--;
	return (sim_time)d;
}

static sim_time
control_law(const struct codel *c, sim_time t)
{
	return t + codel_gap(c->p.interval, c->count);
}

static enum trace_drop
codel_enqueue(struct qdisc *q, struct pkt *p, uint32_t len, sim_time now)
{
	struct codel *c = codel_of(q);

	SIM_ASSERT(c->attached, "codel queue used before qdisc_attach");
	if (!qdisc_fifo_fits(&c->f, len))
		return DROP_QUEUE_FULL;
	qdisc_fifo_push(&c->f, p, len);
	ts_push(c, now);
	return DROP_NONE;
}

/*
 * RFC 8289's dodequeue: the head, and whether its sojourn time has been
 * at or over target for at least interval (*ok) with more than min_bytes
 * still queued behind it.
 */
static struct pkt *
codel_dodequeue(struct codel *c, sim_time now, bool *ok)
{
	sim_time t = 0;
	struct pkt *p = codel_pop(c, &t);

	*ok = false;
	if (p == NULL) {
		c->first_above = 0;
		return NULL;
	}
	if (now - t < c->p.target || c->f.q.bytes <= c->min_bytes)
		c->first_above = 0;
	else if (c->first_above == 0)
		c->first_above = now + c->p.interval;
	else if (now >= c->first_above)
		*ok = true;
	return p;
}

static void
codel_drop(struct codel *c, struct pkt *p)
{
	c->head_drops++;
	c->f.q.drop(c->f.q.drop_ctx, p, DROP_AQM);
}

static struct pkt *
codel_dequeue(struct qdisc *q, sim_time now, sim_time *ready)
{
	struct codel *c = codel_of(q);
	struct pkt *p;
	bool ok;

	p = codel_dodequeue(c, now, &ok);
	if (c->dropping) {
		if (!ok)
			c->dropping = false;
		/* a backlog may call for several drops at once */
		while (c->dropping && now >= c->drop_next) {
			codel_drop(c, p);
			if (c->count < UINT32_MAX)
				c->count++;
			p = codel_dodequeue(c, now, &ok);
			if (!ok)
				c->dropping = false;
			else
				c->drop_next = control_law(c, c->drop_next);
		}
	} else if (ok) {
		int64_t delta = (int64_t)c->count - (int64_t)c->lastcount;

		codel_drop(c, p);
		p = codel_dodequeue(c, now, &ok);
		c->dropping = true;
		/*
		 * Back over target soon after leaving the drop state (within
		 * 16 intervals of the drop that was due next): resume at the
		 * rate that controlled the queue last time (RFC 8289's, the
		 * Linux rule).
		 */
		c->count = 1;
		if (delta > 1 && now - c->drop_next < 16 * c->p.interval)
			c->count = (uint32_t)delta;
		c->drop_next = control_law(c, now);
		c->lastcount = c->count;
	}
	if (p == NULL)
		*ready = SIM_TIME_MAX;
	return p;
}

static struct pkt *
codel_purge(struct qdisc *q)
{
	struct codel *c = codel_of(q);
	sim_time t;
	struct pkt *p = codel_pop(c, &t);

	if (p != NULL && q->pkts == 0) {
		/* an empty queue is below target: as RFC 8289's dequeue */
		c->first_above = 0;
		c->dropping = false;
	}
	return p;
}

static void
codel_attach(struct qdisc *q, const struct qdisc_env *env)
{
	struct codel *c = codel_of(q);

	SIM_ASSERT(env->drop != NULL, "codel needs a drop callback");
	c->min_bytes = c->p.min_bytes != 0 ? c->p.min_bytes : env->max_frame;
	c->attached = true;
}

static void
codel_free(struct qdisc *q)
{
	struct codel *c = codel_of(q);

	free(c->ts);
	free(c);
}

static const struct qdisc_ops codel_ops = {
	.kind = "codel",
	.enqueue = codel_enqueue,
	.dequeue = codel_dequeue,
	.purge = codel_purge,
	.free = codel_free,
	.attach = codel_attach,
};

static struct qdisc *
codel_new(const struct qdisc_codel *cp, uint32_t limit_pkts,
    uint64_t limit_bytes)
{
	struct codel *c = xcalloc(1, sizeof(*c));

	c->f.q.ops = &codel_ops;
	c->f.limit_pkts = limit_pkts;
	c->f.limit_bytes = limit_bytes;
	c->p = *cp;
	return &c->f.q;
}

/* --- shared ---------------------------------------------------------- */

int
qdisc_aqm_check(const struct qdisc_params *qp, char *err, size_t errlen)
{
	const struct qdisc_red *rp = &qp->red;
	const struct qdisc_codel *cp = &qp->codel;

	if (qp->kind == QDISC_RED) {
		/* written so that NaN fails too */
		if (!(rp->min_th >= 0.0))
			return sim_err(err, errlen, "red min_th must be >= 0");
		if (!(rp->max_th > rp->min_th))
			return sim_err(err, errlen, "red max_th (%g) must be "
			    "more than min_th (%g)", rp->max_th, rp->min_th);
		if (!(rp->max_p > 0.0 && rp->max_p <= 1.0))
			return sim_err(err, errlen, "red max_p must be in "
			    "(0, 1]");
		if (!(rp->w_q > 0.0 && rp->w_q <= 1.0))
			return sim_err(err, errlen, "red w_q must be in "
			    "(0, 1]");
		if (rp->mean_pkt == 0)
			return sim_err(err, errlen, "red mean_pkt must be > 0");
		return 0;
	}
	if (cp->target <= 0)
		return sim_err(err, errlen, "codel target must be > 0");
	if (cp->interval <= 0 || cp->interval > QDISC_CODEL_INTERVAL_MAX)
		return sim_err(err, errlen, "codel interval must be > 0 and "
		    "at most an hour");
	return 0;
}

struct qdisc *
qdisc_aqm_new(const struct qdisc_params *qp, uint32_t limit_pkts,
    uint64_t limit_bytes)
{
	if (qp->kind == QDISC_RED)
		return red_new(&qp->red, limit_pkts, limit_bytes);
	SIM_ASSERT(qp->kind == QDISC_CODEL, "not an AQM kind: %d",
	    (int)qp->kind);
	return codel_new(&qp->codel, limit_pkts, limit_bytes);
}

int
qdisc_aqm_stats(const struct qdisc *q, struct qdisc_aqm_stats *st)
{
	*st = (struct qdisc_aqm_stats){ .avg = 0.0 };
	if (q->ops == &red_ops) {
		const struct red *r = (const struct red *)(const void *)q;

		st->avg = r->avg;
		st->prob = r->prob;
		st->count = r->count;
		st->early_drops = r->early;
		st->forced_drops = r->forced;
		return 0;
	}
	if (q->ops == &codel_ops) {
		const struct codel *c = (const struct codel *)(const void *)q;

		st->dropping = c->dropping;
		st->drop_count = c->count;
		st->drop_next = c->drop_next;
		st->head_drops = c->head_drops;
		return 0;
	}
	return -1;
}
