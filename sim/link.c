/*
 * link.c - full-duplex point-to-point links.
 *
 * Each direction is a queue discipline (qdisc.h; drop-tail by default) in
 * front of a transmitter and a wire. The transmitter is described by
 * busy_until rather than by a state flag, so a packet that finds the queue
 * empty and the transmitter idle goes straight onto the wire and costs one
 * event (its arrival) per hop; a start ("kick") event exists only while
 * packets wait, for the transmitter or for the discipline (a shaper's
 * tokens), at the exact time the one they wait for is ready. Packets on the wire sit in a ring in
 * arrival order (the delay of a direction is fixed, so arrival order is
 * transmission order) and each arrival event takes the head.
 *
 * Jitter (net.h struct link_jitter) adds a drawn extra to a frame's delay.
 * Without reorder the arrival is held to no earlier than the previous
 * frame's, so arrival order is still transmission order and the ring
 * serves; with reorder the frames on the wire are a heap by (arrival,
 * transmission order) and each arrival event takes its top. A direction
 * without jitter pays one predictable branch per frame for all this.
 *
 * Loss is drawn when a frame starts transmission (it still occupies the
 * wire) and takes effect at arrival. Taking a link down bumps its epoch:
 * frames in flight with an older epoch are dropped at arrival, frames
 * queued are dropped at once.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "net_internal.h"
#include "pkt.h"
#include "sim.h"

static void link_dir_start(struct link_dir *ld);
static void link_hdrop_flush(struct link_dir *ld);

uint64_t
iface_max_frame(const struct iface *ifc, uint32_t mtu)
{
	return (uint64_t)mtu + WIRE_ETH_HLEN +
	    (ifc->vlan != 0 ? WIRE_VLAN_HLEN : 0) +
	    (ifc->svlan != 0 ? WIRE_VLAN_HLEN : 0);
}

static uint32_t
frame_len(const struct pkt *p)
{
	return pkt_wire_len(p);
}

static bool
draw_loss(struct link_dir *ld)
{
	const struct link_loss *lm = &ld->link->prm.dir[ld->dir].loss;

	switch (lm->kind) {
	case LINK_LOSS_NONE:
		return false;
	case LINK_LOSS_BERNOULLI:
		return rng_bernoulli(&ld->rng, lm->p);
	case LINK_LOSS_GE: {
		/* State transition first, then loss in the new state. */
		if (ld->ge_bad) {
			if (rng_bernoulli(&ld->rng, lm->p_bg))
				ld->ge_bad = false;
		} else if (rng_bernoulli(&ld->rng, lm->p_gb))
			ld->ge_bad = true;
		return rng_bernoulli(&ld->rng,
		    ld->ge_bad ? lm->loss_bad : lm->loss_good);
	}
	}
	SIM_ASSERT(0, "unknown loss model %d", (int)lm->kind);
}

static void
ring_push(struct link_dir *ld, struct inflight f)
{
	if (ld->rcount == ld->rcap) {
		uint32_t ncap = ld->rcap ? ld->rcap * 2 : 64, i;
		struct inflight *nr = xmalloc(ncap * sizeof(*nr));

		for (i = 0; i < ld->rcount; i++)
			nr[i] = ld->ring[(ld->rhead + i) % ld->rcap];
		free(ld->ring);
		ld->ring = nr;
		ld->rcap = ncap;
		ld->rhead = 0;
	}
	ld->ring[(ld->rhead + ld->rcount) % ld->rcap] = f;
	ld->rcount++;
}

/* f has arrived at the far end of ld, now. */
static inline void
deliver(struct sim *sim, struct link_dir *ld, struct inflight f)
{
	struct link *l = ld->link;
	struct net *net = l->net;

	SIM_ASSERT(f.arrive == sim_now(sim), "arrival out of order on %s",
	    l->name);
	if (f.epoch != l->epoch) {
		ld->st.drops[DROP_LINK_DOWN]++;
		net_drop(net, f.p, ld->to->id, l->id, ld->dir, DROP_LINK_DOWN);
		return;
	}
	if (f.lost) {
		ld->st.drops[DROP_LOSS]++;
		net_drop(net, f.p, ld->to->id, l->id, ld->dir, DROP_LOSS);
		return;
	}
	ld->st.rx_pkts++;
	ld->st.rx_bytes += frame_len(f.p);
	trace_rx(net->tr, sim_now(sim), f.p->uid, l->id, ld->dir, ld->to->id,
	    ld->to_if);
	node_rx(ld->to, ld->to_if, f.p);
}

static void
arrive(struct sim *sim, void *arg)
{
	struct link_dir *ld = arg;
	struct inflight f;

	SIM_ASSERT(ld->rcount > 0, "arrival on %s with nothing in flight",
	    ld->link->name);
	f = ld->ring[ld->rhead];
	ld->rhead = (ld->rhead + 1) % ld->rcap;
	ld->rcount--;
	deliver(sim, ld, f);
}

/* --- jitter ---------------------------------------------------------- */

static bool
jin_before(const struct jinflight *a, const struct jinflight *b)
{
	return a->f.arrive < b->f.arrive ||
	    (a->f.arrive == b->f.arrive && a->seq < b->seq);
}

static void
heap_push(struct link_dir *ld, struct inflight f)
{
	struct jinflight *h;
	uint32_t i;

	if (ld->hcount == ld->hcap) {
		ld->hcap = ld->hcap ? ld->hcap * 2 : 64;
		ld->heap = xrealloc(ld->heap, ld->hcap * sizeof(*ld->heap));
	}
	h = ld->heap;
	i = ld->hcount++;
	h[i] = (struct jinflight){ .f = f, .seq = ld->hseq++ };
	while (i > 0 && jin_before(&h[i], &h[(i - 1) / 2])) {
		struct jinflight t = h[i];

		h[i] = h[(i - 1) / 2];
		h[(i - 1) / 2] = t;
		i = (i - 1) / 2;
	}
}

static struct inflight
heap_pop(struct link_dir *ld)
{
	struct jinflight *h = ld->heap;
	struct inflight top = h[0].f;
	uint32_t i = 0, n = --ld->hcount;

	h[0] = h[n];
	for (;;) {
		uint32_t c = 2 * i + 1, m = i;
		struct jinflight t;

		if (c < n && jin_before(&h[c], &h[m]))
			m = c;
		if (c + 1 < n && jin_before(&h[c + 1], &h[m]))
			m = c + 1;
		if (m == i)
			break;
		t = h[i];
		h[i] = h[m];
		h[m] = t;
		i = m;
	}
	return top;
}

static void
arrive_reordered(struct sim *sim, void *arg)
{
	struct link_dir *ld = arg;

	SIM_ASSERT(ld->hcount > 0, "arrival on %s with nothing in flight",
	    ld->link->name);
	deliver(sim, ld, heap_pop(ld));
}

/* The extra delay of one frame, >= 0 (net.h struct link_jitter). */
static sim_time
jitter_draw(struct link_dir *ld)
{
	const struct link_jitter *j = &ld->link->prm.dir[ld->dir].jitter;
	double x = 0, a, scale;

	switch (j->kind) {
	case LINK_JITTER_NONE:
		return 0;
	case LINK_JITTER_UNIFORM:
		/* exact: every nanosecond of [0, bound] equally likely */
		return (sim_time)rng_below(&ld->jrng, (uint64_t)j->bound + 1);
	case LINK_JITTER_NORMAL: {
		/* Box-Muller; one of the pair, so one frame is two draws */
		double u1 = rng_unit(&ld->jrng), u2 = rng_unit(&ld->jrng);

		x = fabs(sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2)) *
		    (double)j->sd;
		break;
	}
	case LINK_JITTER_PARETO:
		/*
		 * Lomax: scale (u^(-1/a) - 1), whose variance is scale^2 a /
		 * ((a - 1)^2 (a - 2)): the scale giving standard deviation sd.
		 */
		a = j->shape;
		scale = (double)j->sd * (a - 1.0) * sqrt((a - 2.0) / a);
		x = scale * (pow(rng_unit(&ld->jrng), -1.0 / a) - 1.0);
		break;
	}
	if (j->bound > 0 && x > (double)j->bound)
		return j->bound;
	/* far past any run: keeps the sum with the clock in range */
	if (x >= 1.0e18)
		return (sim_time)1000000000000000000LL;
	return (sim_time)llround(x);
}

static void
kick(struct sim *sim, void *arg)
{
	struct link_dir *ld = arg;

	(void)sim;
	ld->kick_pending = false;
	link_dir_start(ld);
}

/* Make sure link_dir_start runs again at t (or earlier). */
static void
kick_at(struct link_dir *ld, sim_time t)
{
	struct sim *sim = ld->link->net->sim;

	if (ld->kick_pending) {
		if (ld->kick_at <= t)
			return;
		/* a discipline became ready sooner than it said before */
		sim_cancel(sim, ld->kick_ev);
	}
	ld->kick_pending = true;
	ld->kick_at = t;
	ld->kick_ev = sim_schedule_at(sim, t, kick, ld);
}

/*
 * The queue's length by queue id, after a change. Not for drop-tail: the
 * ENQUEUE, TX and DROP records of its (link, dir) already say it all.
 */
static void
trace_qlen_write(const struct link_dir *ld)
{
	struct net *net = ld->link->net;

	trace_queue_len(net->tr, sim_now(net->sim), ld->q->id,
	    qdisc_pkts(ld->q), qdisc_bytes(ld->q));
}

static inline void
trace_qlen(const struct link_dir *ld)
{
	if (ld->trace_qlen)
		trace_qlen_write(ld);
}

/* What a frame starting on the wire leaves behind: capture and trace. */
static inline void
tx_record(struct link_dir *ld, struct pkt *p, sim_time now, uint32_t len,
    sim_time arrive_at)
{
	struct link *l = ld->link;
	struct net *net = l->net;
	struct iface *ifc = &ld->from->ifaces[ld->from_if];

	if (ifc->cap != NULL)
		capture_write(ifc->cap, now, p);
	trace_tx(net->tr, now, p->uid, l->id, ld->dir, len, ld->busy_until,
	    arrive_at, p->data,
	    (uint16_t)(p->len < TRACE_HDR_MAX ? p->len : TRACE_HDR_MAX));
	if (__builtin_expect(net->n_keep != 0, 0))
		net_trace_whole(net, now, p, l->id, ld->dir);

	trace_qlen(ld);
}

/*
 * A frame starting on a jittered wire: its arrival is arrive_at plus its
 * draw, held to no earlier than the previous one's without reorder. The
 * loss is drawn after the jitter, from its own stream, as without.
 */
static void
link_jitter_tx(struct link_dir *ld, struct pkt *p, sim_time now,
    uint32_t len, sim_time arrive_at)
{
	struct link *l = ld->link;
	struct sim *sim = l->net->sim;
	bool reorder = l->prm.dir[ld->dir].jitter.reorder;
	struct inflight f;

	arrive_at += jitter_draw(ld);
	if (!reorder && arrive_at < ld->last_arrive)
		arrive_at = ld->last_arrive;
	ld->last_arrive = arrive_at;
	tx_record(ld, p, now, len, arrive_at);
	f = (struct inflight){ .p = p, .arrive = arrive_at,
	    .epoch = l->epoch, .lost = draw_loss(ld) };
	if (reorder) {
		heap_push(ld, f);
		sim_schedule_at(sim, arrive_at, arrive_reordered, ld);
	} else {
		ring_push(ld, f);
		sim_schedule_at(sim, arrive_at, arrive, ld);
	}
}

/* Put the next frame of the queue on the wire if the transmitter is free. */
static void
link_dir_start(struct link_dir *ld)
{
	struct link *l = ld->link;
	struct net *net = l->net;
	struct sim *sim = net->sim;
	sim_time now = sim_now(sim), tx_time, arrive_at, ready;
	struct pkt *p;
	uint32_t len;

	if (qdisc_pkts(ld->q) == 0)
		return;
	if (now < ld->busy_until) {
		kick_at(ld, ld->busy_until);
		return;
	}
	p = qdisc_dequeue(ld->q, now, &ready);
	if (p == NULL) {
		/* the discipline holds it back (a shaper short of tokens) */
		SIM_ASSERT(ready > now, "%s queue on %s stalls at %lld",
		    qdisc_kind(ld->q), l->name, (long long)now);
		if (ready != SIM_TIME_MAX)
			kick_at(ld, ready);
		if (__builtin_expect(ld->hdrop != NULL, 0)) {
			/* it dropped all it had (the length is not traced
			 * below: nothing leaves) */
			trace_qlen(ld);
			link_hdrop_flush(ld);
		}
		return;
	}
	len = frame_len(p);

	tx_time = units_tx_time(len, l->prm.dir[ld->dir].rate_bps);
	ld->busy_until = now + tx_time;
	arrive_at = ld->busy_until + l->prm.dir[ld->dir].delay;
	ld->st.tx_pkts++;
	ld->st.tx_bytes += len;
	ld->st.busy += tx_time;

	if (__builtin_expect(ld->jitter, 0)) {
		link_jitter_tx(ld, p, now, len, arrive_at);
	} else {
		tx_record(ld, p, now, len, arrive_at);
		ring_push(ld, (struct inflight){ .p = p, .arrive = arrive_at,
		    .epoch = l->epoch, .lost = draw_loss(ld) });
		sim_schedule_at(sim, arrive_at, arrive, ld);
	}

	if (qdisc_pkts(ld->q) != 0)
		kick_at(ld, ld->busy_until);
	if (__builtin_expect(ld->hdrop != NULL, 0))
		link_hdrop_flush(ld);
}

void
link_output(struct link *l, uint8_t dir, struct pkt *p)
{
	struct link_dir *ld = &l->d[dir];
	struct net *net = l->net;
	uint32_t len = frame_len(p);
	sim_time now = sim_now(net->sim);
	enum trace_drop why;

	if (!l->up) {
		ld->st.drops[DROP_LINK_DOWN]++;
		net_drop(net, p, ld->from->id, l->id, dir, DROP_LINK_DOWN);
		return;
	}
	why = qdisc_enqueue(ld->q, p, len, now);
	if (why != DROP_NONE) {
		ld->st.drops[why]++;
		net_drop(net, p, ld->from->id, l->id, dir, why);
		return;
	}
	if (qdisc_pkts(ld->q) > ld->st.max_qpkts)
		ld->st.max_qpkts = qdisc_pkts(ld->q);
	if (qdisc_bytes(ld->q) > ld->st.max_qbytes)
		ld->st.max_qbytes = qdisc_bytes(ld->q);
	trace_enqueue(net->tr, now, p->uid, l->id, dir, len,
	    qdisc_pkts(ld->q), qdisc_bytes(ld->q));
	trace_qlen(ld);
	link_dir_start(ld);
}

/*
 * A frame the discipline dropped after admitting it (CoDel, at the head):
 * only set aside here, inside qdisc_dequeue. A drop listener may send, and
 * its frame may come back to this direction: it must find the discipline
 * out of its dequeue and the transmitter's state settled, so the drops are
 * reported at the end of link_dir_start (link_hdrop_flush).
 */
static void
link_qdisc_drop(void *ctx, struct pkt *p, enum trace_drop why)
{
	struct link_dir *ld = ctx;

	SIM_ASSERT(ld->hdrop == NULL || ld->hdrop_why == why,
	    "link %s: two drop reasons in one dequeue", ld->link->name);
	p->next = NULL;
	if (ld->hdrop_tail != NULL)
		ld->hdrop_tail->next = p;
	else
		ld->hdrop = p;
	ld->hdrop_tail = p;
	ld->hdrop_why = why;
}

static void
link_hdrop_flush(struct link_dir *ld)
{
	struct link *l = ld->link;
	struct pkt *p;

	while ((p = ld->hdrop) != NULL) {
		ld->hdrop = p->next;
		if (ld->hdrop == NULL)
			ld->hdrop_tail = NULL;
		p->next = NULL;
		ld->st.drops[ld->hdrop_why]++;
		net_drop(l->net, p, ld->from->id, l->id, ld->dir,
		    ld->hdrop_why);
	}
}

/* Give q the next queue id of the network and attach it to ld. */
static void
link_dir_attach(struct link_dir *ld, struct qdisc *q)
{
	struct net *net = ld->link->net;
	char stream[300];

	q->id = net->n_queues++;
	ld->q = q;
	ld->trace_qlen = q->ops != &qdisc_droptail_ops;
	/* each queue its own stream: a new one does not replay the old */
	snprintf(stream, sizeof(stream), "link/%s/%s/queue%u", ld->link->name,
	    ld->dir == 0 ? "a->b" : "b->a", q->id);
	qdisc_attach(q, &(struct qdisc_env){
	    .rate_bps = ld->link->prm.dir[ld->dir].rate_bps,
	    .max_frame = iface_max_frame(&ld->from->ifaces[ld->from_if],
	    ld->link->prm.mtu),
	    .seed = sim_seed(net->sim), .stream = stream,
	    .drop = link_qdisc_drop, .drop_ctx = ld });
	trace_queue(net->tr, q->id, ld->link->id, ld->dir, qdisc_kind(q));
}

bool
link_jitter_check(const struct link_jitter *j)
{
	switch (j->kind) {
	case LINK_JITTER_NONE:
		return true;
	case LINK_JITTER_UNIFORM:
		return j->bound > 0;
	case LINK_JITTER_NORMAL:
		return j->sd > 0 && j->bound >= 0;
	case LINK_JITTER_PARETO:
		/* written so a NaN fails: the variance needs a > 2 */
		return j->sd > 0 && j->bound >= 0 && j->shape > 2.0 &&
		    j->shape <= 1000.0;
	}
	return false;
}

struct link *
net_add_link(struct net *net, const char *name, struct node *a, uint32_t ifa,
    struct node *b, uint32_t ifb, const struct link_params *params)
{
	struct link *l;
	struct node *ends[2] = { a, b };
	uint32_t ifs[2] = { ifa, ifb };
	uint32_t tnode[2], tif[2];
	uint64_t rate[2];
	sim_time delay[2];
	int i;
	char sname[256], err[192];

	SIM_ASSERT(ifa < a->n_ifaces && ifb < b->n_ifaces,
	    "link %s: bad interface", name);
	SIM_ASSERT(a->ifaces[ifa].link == NULL && b->ifaces[ifb].link == NULL,
	    "link %s: interface already attached", name);
	SIM_ASSERT(net_find_link(net, name) == NULL, "duplicate link %s", name);
	l = xcalloc(1, sizeof(*l));
	l->net = net;
	l->id = (uint32_t)net->n_links;
	l->name = xstrdup(name);
	name_ix_add(&net->link_ix, l->name, l->id);
	l->prm = *params;
	l->up = true;
	for (i = 0; i < 2; i++) {
		SIM_ASSERT(params->dir[i].rate_bps > 0, "link %s: zero rate",
		    name);
		SIM_ASSERT(params->dir[i].delay >= 0, "link %s: negative delay",
		    name);
		SIM_ASSERT(link_jitter_check(&params->dir[i].jitter),
		    "link %s: bad jitter", name);
		SIM_ASSERT(qdisc_params_check_frame(&params->dir[i].qdisc,
		    iface_max_frame(&ends[i]->ifaces[ifs[i]], params->mtu),
		    err, sizeof(err)) == 0, "link %s: %s", name, err);
	}
	for (i = 0; i < 2; i++) {
		struct link_dir *ld = &l->d[i];

		ld->link = l;
		ld->dir = (uint8_t)i;
		ld->from = ends[i];
		ld->from_if = ifs[i];
		ld->to = ends[1 - i];
		ld->to_if = ifs[1 - i];
		snprintf(sname, sizeof(sname), "link/%s/%s", name,
		    i == 0 ? "a->b" : "b->a");
		rng_init(&ld->rng, sim_seed(net->sim), sname);
		ld->jitter = params->dir[i].jitter.kind != LINK_JITTER_NONE;
		if (ld->jitter) {
			/* its own stream: jitter on changes no loss draw */
			snprintf(sname, sizeof(sname), "link/%s/%s/jitter",
			    name, i == 0 ? "a->b" : "b->a");
			rng_init(&ld->jrng, sim_seed(net->sim), sname);
		}
		ends[i]->ifaces[ifs[i]].link = l;
		ends[i]->ifaces[ifs[i]].dir = (uint8_t)i;
		tnode[i] = ends[i]->id;
		tif[i] = ifs[i];
		rate[i] = params->dir[i].rate_bps;
		delay[i] = params->dir[i].delay;
	}
	if (net->n_links == net->cap_links) {
		net->cap_links = net->cap_links ? net->cap_links * 2 : 16;
		net->links = xrealloc(net->links,
		    net->cap_links * sizeof(*net->links));
	}
	net->links[net->n_links++] = l;
	trace_link(net->tr, l->id, name, tnode, tif, rate, delay, params->mtu,
	    params->qlimit_pkts, params->qlimit_bytes);
	for (i = 0; i < 2; i++)
		link_dir_attach(&l->d[i], qdisc_new(&params->dir[i].qdisc,
		    params->qlimit_pkts, params->qlimit_bytes));
	return l;
}

void
link_set_up(struct link *l, bool up)
{
	link_set_held(l, LINK_HOLD_ADMIN, !up);
}

void
link_set_held(struct link *l, unsigned bit, bool held)
{
	struct net *net = l->net;
	bool up;
	int i;

	SIM_ASSERT(bit < 32, "link %s: holder bit %u", l->name, bit);
	if (held)
		l->held |= 1u << bit;
	else
		l->held &= ~(1u << bit);
	up = l->held == 0;
	if (l->up == up)
		return;
	l->up = up;
	trace_link_state(net->tr, sim_now(net->sim), l->id, up);
	/* each end's connected route goes with the link, and comes back */
	for (i = 0; l->prm.carrier && i < 2; i++)
		node_iface_carrier(l->d[i].from, l->d[i].from_if, up);
	if (up)
		return;
	l->epoch++;
	for (i = 0; i < 2; i++) {
		struct link_dir *ld = &l->d[i];
		struct pkt *p;

		if (qdisc_pkts(ld->q) == 0)
			continue;
		while ((p = qdisc_purge(ld->q)) != NULL) {
			ld->st.drops[DROP_LINK_DOWN]++;
			net_drop(net, p, ld->from->id, l->id, ld->dir,
			    DROP_LINK_DOWN);
		}
		trace_qlen(ld);
	}
}

void
link_set_qdisc(struct link *l, uint8_t dir, struct qdisc *q)
{
	struct link_dir *ld = &l->d[dir & 1];
	struct qdisc *old = ld->q;
	sim_time now = sim_now(l->net->sim);
	struct pkt *p;

	bool had = qdisc_pkts(old) != 0;

	SIM_ASSERT(q != NULL && q->pkts == 0, "link %s: new qdisc not empty",
	    l->name);
	SIM_ASSERT(qdisc_max_frame(q) >= iface_max_frame(
	    &ld->from->ifaces[ld->from_if], l->prm.mtu),
	    "link %s: %s burst less than one full frame", l->name,
	    q->ops->kind);
	/* the old queue, if its length was traced, is left empty */
	if (had && ld->trace_qlen)
		trace_queue_len(l->net->tr, now, old->id, 0, 0);
	link_dir_attach(ld, q);
	while ((p = qdisc_purge(old)) != NULL) {
		enum trace_drop why = qdisc_enqueue(q, p, frame_len(p), now);

		if (why != DROP_NONE) {
			ld->st.drops[why]++;
			net_drop(l->net, p, ld->from->id, l->id, ld->dir, why);
		}
	}
	qdisc_free(old);
	if (had)
		trace_qlen(ld);
	link_dir_start(ld);
}

const struct qdisc *
link_qdisc(const struct link *l, uint8_t dir)
{
	return l->d[dir & 1].q;
}

static void
link_down_fire(struct sim *sim, void *arg)
{
	(void)sim;
	link_set_up(arg, false);
}

static void
link_up_fire(struct sim *sim, void *arg)
{
	(void)sim;
	link_set_up(arg, true);
}

void
link_schedule_state(struct link *l, sim_time at, bool up)
{
	sim_schedule_at(l->net->sim, at, up ? link_up_fire : link_down_fire,
	    l);
}

struct link_qdisc_change {
	struct link *l;
	uint8_t dir;
	struct qdisc_params qp;
};

static void
link_qdisc_fire(struct sim *sim, void *arg)
{
	struct link_qdisc_change *c = arg;
	struct link *l = c->l;

	(void)sim;
	l->prm.dir[c->dir].qdisc = c->qp;
	link_set_qdisc(l, c->dir, qdisc_new(&c->qp, l->prm.qlimit_pkts,
	    l->prm.qlimit_bytes));
}

void
link_schedule_qdisc(struct link *l, sim_time at, uint8_t dir,
    const struct qdisc_params *qp)
{
	struct link_dir *ld = &l->d[dir & 1];
	struct link_qdisc_change *c;
	char err[160];

	if (qdisc_params_check_frame(qp, iface_max_frame(
	    &ld->from->ifaces[ld->from_if], l->prm.mtu), err,
	    sizeof(err)) < 0)
		SIM_ASSERT(0, "link %s: %s", l->name, err);
	c = xmalloc(sizeof(*c));
	c->l = l;
	c->dir = dir & 1;
	c->qp = *qp;
	l->chg = xrealloc(l->chg, (l->n_chg + 1) * sizeof(*l->chg));
	l->chg[l->n_chg++] = c;
	sim_schedule_at(l->net->sim, at, link_qdisc_fire, c);
}

void
link_destroy(struct link *l)
{
	size_t k;
	int i;

	for (k = 0; k < l->n_chg; k++)
		free(l->chg[k]);
	free(l->chg);

	for (i = 0; i < 2; i++) {
		struct link_dir *ld = &l->d[i];
		struct pkt *p;

		while ((p = qdisc_purge(ld->q)) != NULL)
			pkt_free(l->net->sim, p);
		qdisc_free(ld->q);
		while (ld->rcount > 0) {
			pkt_free(l->net->sim, ld->ring[ld->rhead].p);
			ld->rhead = (ld->rhead + 1) % ld->rcap;
			ld->rcount--;
		}
		free(ld->ring);
		while (ld->hcount > 0)
			pkt_free(l->net->sim, ld->heap[--ld->hcount].f.p);
		free(ld->heap);
	}
	free(l->name);
	free(l);
}

uint32_t
link_id(const struct link *l)
{
	return l->id;
}

const char *
link_name(const struct link *l)
{
	return l->name;
}

struct node *
link_dst(const struct link *l, uint8_t dir, uint32_t *ifindex)
{
	const struct link_dir *ld = &l->d[dir & 1];

	if (ifindex != NULL)
		*ifindex = ld->to_if;
	return ld->to;
}

bool
link_is_up(const struct link *l)
{
	return l->up;
}

const struct link_stats *
link_get_stats(const struct link *l, uint8_t dir)
{
	return &l->d[dir & 1].st;
}

double
link_utilization(const struct link *l, uint8_t dir, sim_time now)
{
	const struct link_dir *ld = &l->d[dir & 1];
	sim_time busy = ld->st.busy;

	/* busy counts whole frames when they start; drop what is still ahead */
	if (ld->busy_until > now)
		busy -= ld->busy_until - now;
	if (now <= 0 || busy <= 0)
		return 0.0;
	return (double)busy / (double)now;
}

const struct link_params *
link_get_params(const struct link *l)
{
	return &l->prm;
}

size_t
net_n_links(const struct net *net)
{
	return net->n_links;
}

struct link *
net_link(const struct net *net, uint32_t id)
{
	return id < net->n_links ? net->links[id] : NULL;
}

struct link *
net_find_link(const struct net *net, const char *name)
{
	uint32_t id;

	return name_ix_find(&net->link_ix, name, &id) ? net->links[id] : NULL;
}
