/*
 * trace_api.c - the trace_ record calls: the writer's state follows each
 * record, then the record is encoded.
 */
#include <string.h>

#include "trace_write.h"

void
trace_node(struct trace *tr, uint32_t id, const char *name, const char *role,
    const char *region, const int32_t pos[2])
{
	struct trace_rec r = { .type = TR_NODE };

	if (tr == NULL)
		return;
	r.t = tr->last_t;
	r.u.node.id = id;
	r.u.node.name = name;
	r.u.node.role = role;
	r.u.node.region = region;
	r.u.node.pos[0] = pos ? pos[0] : TRACE_POS_AUTO;
	r.u.node.pos[1] = pos ? pos[1] : TRACE_POS_AUTO;
	topology(tr, &r);
}

void
trace_iface(struct trace *tr, uint32_t node, uint32_t ifindex,
    const char *name, const uint8_t mac[6], uint32_t addr, uint8_t plen)
{
	struct trace_rec r = { .type = TR_IFACE };

	if (tr == NULL)
		return;
	r.t = tr->last_t;
	r.u.iface.node = node;
	r.u.iface.ifindex = ifindex;
	r.u.iface.name = name;
	if (mac != NULL)
		memcpy(r.u.iface.mac, mac, 6);
	r.u.iface.addr = addr;
	r.u.iface.plen = plen;
	topology(tr, &r);
}

void
trace_link(struct trace *tr, uint32_t id, const char *name,
    const uint32_t node[2], const uint32_t ifindex[2],
    const uint64_t rate_bps[2], const sim_time delay[2], uint32_t mtu,
    uint32_t qlimit_pkts, uint64_t qlimit_bytes)
{
	struct trace_rec r = { .type = TR_LINK };
	int i;

	if (tr == NULL)
		return;
	link_get(tr, id);
	r.t = tr->last_t;
	r.u.link.id = id;
	r.u.link.name = name;
	for (i = 0; i < 2; i++) {
		r.u.link.node[i] = node[i];
		r.u.link.ifindex[i] = ifindex[i];
		r.u.link.rate_bps[i] = rate_bps[i];
		r.u.link.delay[i] = delay[i];
	}
	r.u.link.mtu = mtu;
	r.u.link.qlimit_pkts = qlimit_pkts;
	r.u.link.qlimit_bytes = qlimit_bytes;
	topology(tr, &r);
}

void
trace_enqueue(struct trace *tr, sim_time t, uint64_t uid, uint32_t link,
    uint8_t dir, uint32_t len, uint32_t qpkts, uint64_t qbytes)
{
	struct trace_rec r = { .type = TR_PKT_ENQUEUE, .t = t };
	struct link_st *ls;
	struct pkt_ent *e;

	if (tr == NULL)
		return;
	SIM_ASSERT(dir <= 1, "trace: dir %u", dir);
	if (__builtin_expect(tr->pkt_filter, 0) && pkt_hidden(tr, uid))
		timed_hidden(tr, t);
	else
		timed(tr, t);
	ls = link_get(tr, link);
	ls->qpkts[dir] = qpkts;
	ls->qbytes[dir] = qbytes;
	e = pkt_get(tr, uid, link, dir);
	e->state = PK_QUEUED;
	e->len = len;
	if (__builtin_expect(tr->pkt_filter, 0)) {
		if (pkt_hidden(tr, uid))
			return;
		queue_seen(ls, dir);
	}
	r.u.enqueue.uid = uid;
	r.u.enqueue.link = link;
	r.u.enqueue.dir = dir;
	r.u.enqueue.len = len;
	r.u.enqueue.qpkts = qpkts;
	r.u.enqueue.qbytes = qbytes;
	emit(tr, &r);
}

void
trace_tx(struct trace *tr, sim_time t, uint64_t uid, uint32_t link,
    uint8_t dir, uint32_t len, sim_time tx_end, sim_time arrive,
    const uint8_t *hdr, uint16_t hdr_len)
{
	struct trace_rec r = { .type = TR_PKT_TX, .t = t };
	struct link_st *ls;
	struct pkt_ent *e;
	bool hide;

	if (tr == NULL)
		return;
	SIM_ASSERT(dir <= 1, "trace: dir %u", dir);
	SIM_ASSERT(t <= tx_end && tx_end <= arrive,
	    "trace: tx times out of order");
	hide = __builtin_expect(tr->pkt_filter, 0) && pkt_hidden(tr, uid);
	if (hide)
		timed_hidden(tr, t);
	else
		timed(tr, t);
	ls = link_get(tr, link);
	e = pkt_get(tr, uid, link, dir);
	if (e->state == PK_QUEUED)
		queue_take(ls, dir, e->len);
	e->state = PK_FLIGHT;
	e->len = len;
	e->t = t;
	e->tx_end = tx_end;
	e->arrive = arrive;
	if (hide)
		return;
	if (__builtin_expect(tr->pkt_filter, 0))
		queue_seen(ls, dir);
	r.u.tx.uid = uid;
	r.u.tx.link = link;
	r.u.tx.dir = dir;
	r.u.tx.len = len;
	r.u.tx.tx_end = tx_end;
	r.u.tx.arrive = arrive;
	r.u.tx.qpkts = ls->qpkts[dir];
	r.u.tx.qbytes = ls->qbytes[dir];
	r.u.tx.hdr = hdr;
	r.u.tx.hdr_len = hdr ? (hdr_len < TRACE_HDR_MAX ? hdr_len :
	    TRACE_HDR_MAX) : 0;
	emit(tr, &r);
}

void
trace_rx(struct trace *tr, sim_time t, uint64_t uid, uint32_t link,
    uint8_t dir, uint32_t node, uint32_t ifindex)
{
	struct trace_rec r = { .type = TR_PKT_RX, .t = t };
	struct pkt_ent *e;
	bool hide;

	if (tr == NULL)
		return;
	SIM_ASSERT(dir <= 1, "trace: dir %u", dir);
	hide = __builtin_expect(tr->pkt_filter, 0) && pkt_hidden(tr, uid);
	if (hide)
		timed_hidden(tr, t);
	else
		timed(tr, t);
	e = pkt_find(&tr->pm, uid, link, dir);
	if (e != NULL && e->state == PK_FLIGHT)
		pkt_del(&tr->pm, e);
	if (hide)
		return;
	r.u.rx.uid = uid;
	r.u.rx.link = link;
	r.u.rx.dir = dir;
	r.u.rx.node = node;
	r.u.rx.ifindex = ifindex;
	emit(tr, &r);
}

void
trace_drop(struct trace *tr, sim_time t, uint64_t uid, uint32_t node,
    uint32_t link, uint8_t dir, enum trace_drop reason, uint32_t len)
{
	trace_drop_detail(tr, t, uid, node, link, dir, reason, len, NULL);
}

void
trace_drop_detail(struct trace *tr, sim_time t, uint64_t uid, uint32_t node,
    uint32_t link, uint8_t dir, enum trace_drop reason, uint32_t len,
    const char *detail)
{
	struct trace_rec r = { .type = TR_PKT_DROP, .t = t };
	struct link_st *ls;
	struct pkt_ent *e;
	bool hide;

	if (tr == NULL)
		return;
	hide = __builtin_expect(tr->pkt_filter, 0) &&
	    tr->pkt_level == TRACE_PKT_NONE;
	if (hide)
		timed_hidden(tr, t);
	else
		timed(tr, t);
	r.u.drop.uid = uid;
	r.u.drop.node = node;
	r.u.drop.link = link;
	r.u.drop.reason = reason;
	r.u.drop.len = len;
	r.u.drop.detail = detail;
	if (link != TRACE_NO_ID) {
		SIM_ASSERT(dir <= 1, "trace: dir %u", dir);
		ls = link_get(tr, link);
		e = pkt_find(&tr->pm, uid, link, dir);
		if (e != NULL) {
			if (e->state == PK_QUEUED)
				queue_take(ls, dir, e->len);
			pkt_del(&tr->pm, e);
		}
		r.u.drop.dir = dir;
		r.u.drop.qpkts = ls->qpkts[dir];
		r.u.drop.qbytes = ls->qbytes[dir];
		if (__builtin_expect(tr->pkt_filter, 0) && !hide)
			queue_seen(ls, dir);
	}
	if (!hide)
		emit(tr, &r);
}


void
trace_queue(struct trace *tr, uint32_t queue_id, uint32_t link, uint8_t dir,
    const char *kind)
{
	struct trace_rec r = { .type = TR_QUEUE_DEF };

	if (tr == NULL)
		return;
	SIM_ASSERT(link == TRACE_NO_ID ? dir == 0 : dir <= 1,
	    "trace: queue %u dir %u", queue_id, dir);
	r.t = tr->last_t;
	r.u.qdef.queue = queue_id;
	r.u.qdef.link = link;
	r.u.qdef.dir = dir;
	r.u.qdef.kind = kind;
	topology(tr, &r);
}

void
trace_queue_len(struct trace *tr, sim_time t, uint32_t queue_id,
    uint32_t pkts, uint64_t bytes)
{
	struct trace_rec r = { .type = TR_QUEUE_LEN, .t = t };

	if (tr == NULL)
		return;
	/* left out with the hops: keyframes restate it */
	if (__builtin_expect(tr->pkt_filter, 0))
		timed_hidden(tr, t);
	else
		timed(tr, t);
	r.u.qlen.queue = queue_id;
	r.u.qlen.pkts = pkts;
	r.u.qlen.bytes = bytes;
	keyed_set(tr, &r);
	if (!tr->pkt_filter)
		emit(tr, &r);
}

void
trace_link_state(struct trace *tr, sim_time t, uint32_t link, bool up)
{
	struct trace_rec r = { .type = TR_LINK_STATE, .t = t };
	struct link_st *ls;

	if (tr == NULL)
		return;
	timed(tr, t);
	ls = link_get(tr, link);
	ls->up = up;
	ls->t_change = t;
	r.u.link_state.link = link;
	r.u.link_state.up = up;
	emit(tr, &r);
}

void
trace_annotate(struct trace *tr, sim_time t, uint32_t node, const char *text)
{
	struct trace_rec r = { .type = TR_ANNOTATE, .t = t };

	if (tr == NULL)
		return;
	timed(tr, t);
	r.u.annotate.node = node;
	r.u.annotate.text = text;
	emit(tr, &r);
}

void
trace_app(struct trace *tr, sim_time t, uint32_t node, const char *app,
    uint32_t seq, bool ok, sim_time rtt, const char *text)
{
	struct trace_rec r = { .type = TR_APP, .t = t };

	if (tr == NULL)
		return;
	timed(tr, t);
	r.u.app.node = node;
	r.u.app.app = app;
	r.u.app.seq = seq;
	r.u.app.ok = ok;
	r.u.app.rtt = rtt;
	r.u.app.text = text;
	emit(tr, &r);
}

void
trace_assert(struct trace *tr, sim_time t, bool pass, const char *text)
{
	struct trace_rec r = { .type = TR_ASSERT, .t = t };

	if (tr == NULL)
		return;
	timed(tr, t);
	r.u.assertion.pass = pass;
	r.u.assertion.text = text;
	emit(tr, &r);
}

void
trace_session(struct trace *tr, sim_time t, enum trace_proto proto,
    uint32_t node, const char *peer, const char *state, const char *reason)
{
	struct trace_rec r = { .type = TR_SESSION_STATE, .t = t };

	if (tr == NULL)
		return;
	timed(tr, t);
	r.u.session.proto = proto;
	r.u.session.node = node;
	r.u.session.peer = peer;
	r.u.session.state = state;
	r.u.session.reason = reason;
	keyed_set(tr, &r);
	emit(tr, &r);
}

void
trace_route(struct trace *tr, sim_time t, uint32_t node, const char *table,
    uint32_t prefix, uint8_t plen, bool withdrawn, const char *nexthop,
    const char *attrs)
{
	struct trace_rec r = { .type = TR_ROUTE, .t = t };

	if (tr == NULL)
		return;
	timed(tr, t);
	r.u.route.node = node;
	r.u.route.table = table;
	r.u.route.prefix = prefix;
	r.u.route.plen = plen;
	r.u.route.withdrawn = withdrawn;
	r.u.route.nexthop = nexthop;
	r.u.route.attrs = attrs;
	keyed_set(tr, &r);
	emit(tr, &r);
}

void
trace_prov(struct trace *tr, sim_time t, uint32_t node, const char *resource,
    const char *field, const char *state)
{
	struct trace_rec r = { .type = TR_PROV_STATE, .t = t };

	if (tr == NULL)
		return;
	timed(tr, t);
	r.u.prov.node = node;
	r.u.prov.resource = resource;
	r.u.prov.field = field;
	r.u.prov.state = state;
	keyed_set(tr, &r);
	emit(tr, &r);
}

void
trace_prov_op(struct trace *tr, sim_time t, uint32_t id, uint32_t node,
    const char *verb, const char *resource, const char *title, sim_time end,
    enum trace_op_outcome outcome, const char *error)
{
	struct trace_rec r = { .type = TR_PROV_OP, .t = t };

	if (tr == NULL)
		return;
	SIM_ASSERT(end >= t, "trace: operation %u ends before it starts", id);
	timed(tr, t);
	r.u.op.id = id;
	r.u.op.node = node;
	r.u.op.verb = verb;
	r.u.op.resource = resource;
	r.u.op.title = title;
	r.u.op.end = end;
	r.u.op.outcome = outcome;
	r.u.op.error = outcome == TRO_REFUSED ? error : NULL;
	emit(tr, &r);
}

void
trace_flow(struct trace *tr, uint32_t flow_id, uint32_t node,
    uint8_t ip_proto, const char *label)
{
	if (tr == NULL)
		return;
	trace_flow_at(tr, tr->last_t, flow_id, node, ip_proto, label);
}

void
trace_flow_at(struct trace *tr, sim_time t, uint32_t flow_id, uint32_t node,
    uint8_t ip_proto, const char *label)
{
	struct trace_rec r = { .type = TR_FLOW, .t = t };

	if (tr == NULL)
		return;
	timed(tr, t);
	r.u.flow.id = flow_id;
	r.u.flow.node = node;
	r.u.flow.ip_proto = ip_proto;
	r.u.flow.label = label;
	keyed_set(tr, &r);
	emit(tr, &r);
}

void
trace_flow_state(struct trace *tr, sim_time t, uint32_t flow_id,
    const char *state, const char *reason)
{
	struct trace_rec r = { .type = TR_FLOW_STATE, .t = t };

	if (tr == NULL)
		return;
	timed(tr, t);
	r.u.fstate.id = flow_id;
	r.u.fstate.state = state;
	r.u.fstate.reason = reason;
	keyed_set(tr, &r);
	emit(tr, &r);
}

void
trace_flow_cwnd(struct trace *tr, sim_time t, uint32_t flow_id,
    uint32_t cwnd, uint32_t ssthresh)
{
	struct trace_rec r = { .type = TR_FLOW_CWND, .t = t };

	if (tr == NULL)
		return;
	timed(tr, t);
	r.u.fcwnd.id = flow_id;
	r.u.fcwnd.cwnd = cwnd;
	r.u.fcwnd.ssthresh = ssthresh;
	keyed_set(tr, &r);
	emit(tr, &r);
}

/*
 * The closing record repeats the declaration (as a withdrawn route does
 * its prefix), so a dump reads on its own. The flow's state and window
 * are forgotten outright: a reader drops them with the flow, so no
 * keyframe needs to say so, and the writer keeps nothing of a closed flow
 * past the next full keyframe.
 */
void
trace_flow_end(struct trace *tr, sim_time t, uint32_t flow_id)
{
	struct trace_rec r = { .type = TR_FLOW, .t = t }, kept, k;

	if (tr == NULL)
		return;
	/* first: a keyframe here decodes kept records too */
	timed(tr, t);
	r.u.flow.id = flow_id;
	if (keyed_get(tr, &r, &kept)) {
		r.u.flow.node = kept.u.flow.node;
		r.u.flow.ip_proto = kept.u.flow.ip_proto;
		r.u.flow.label = kept.u.flow.label;
	}
	r.u.flow.closed = true;
	k = (struct trace_rec){ .type = TR_FLOW_STATE };
	k.u.fstate.id = flow_id;
	keyed_forget(tr, &k);
	k = (struct trace_rec){ .type = TR_FLOW_CWND };
	k.u.fcwnd.id = flow_id;
	keyed_forget(tr, &k);
	keyed_set(tr, &r);
	emit(tr, &r);
}

bool
trace_flow_cwnd_last(struct trace *tr, uint32_t flow_id, uint32_t *cwnd,
    uint32_t *ssthresh)
{
	struct trace_rec r = { .type = TR_FLOW_CWND }, kept;

	if (tr == NULL)
		return false;
	r.u.fcwnd.id = flow_id;
	if (!keyed_get(tr, &r, &kept))
		return false;
	*cwnd = kept.u.fcwnd.cwnd;
	*ssthresh = kept.u.fcwnd.ssthresh;
	return true;
}

void
trace_tx_data(struct trace *tr, sim_time t, uint64_t uid, uint32_t link,
    uint8_t dir, const uint8_t *frame, uint32_t len)
{
	struct trace_rec r = { .type = TR_PKT_DATA, .t = t };

	if (tr == NULL || frame == NULL)
		return;
	SIM_ASSERT(dir <= 1, "trace: dir %u", dir);
	if (__builtin_expect(tr->pkt_filter, 0) && pkt_hidden(tr, uid)) {
		timed_hidden(tr, t);
		return;
	}
	timed(tr, t);
	if (len > TRACE_DATA_MAX)
		len = TRACE_DATA_MAX;
	r.u.data.uid = uid;
	r.u.data.link = link;
	r.u.data.dir = dir;
	r.u.data.len = len;
	r.u.data.data = frame;
	emit_data(tr, &r, frame, len);
}

void
trace_session_stats(struct trace *tr, sim_time t, enum trace_proto proto,
    uint32_t node, const char *peer, const struct trace_sess_stats *s)
{
	struct trace_rec r = { .type = TR_SESSION_STATS, .t = t };

	if (tr == NULL)
		return;
	timed(tr, t);
	r.u.sstats.proto = proto;
	r.u.sstats.node = node;
	r.u.sstats.peer = peer;
	r.u.sstats.s = *s;
	keyed_set(tr, &r);
	emit(tr, &r);
}

bool
trace_session_stats_last(struct trace *tr, enum trace_proto proto,
    uint32_t node, const char *peer, struct trace_sess_stats *s)
{
	struct trace_rec r = { .type = TR_SESSION_STATS }, kept;

	memset(s, 0, sizeof(*s));
	if (tr == NULL)
		return false;
	r.u.sstats.proto = proto;
	r.u.sstats.node = node;
	r.u.sstats.peer = peer;
	if (!keyed_get(tr, &r, &kept))
		return false;
	*s = kept.u.sstats.s;
	return true;
}

bool
trace_route_is(struct trace *tr, uint32_t node, const char *table,
    uint32_t prefix, uint8_t plen, const char *nexthop, const char *attrs)
{
	struct trace_rec r = { .type = TR_ROUTE }, kept;

	if (tr == NULL)
		return false;
	r.u.route.node = node;
	r.u.route.table = table;
	r.u.route.prefix = prefix;
	r.u.route.plen = plen;
	if (!keyed_get(tr, &r, &kept))
		return false;
	return kept.u.route.nexthop != NULL && kept.u.route.attrs != NULL &&
	    strncmp(kept.u.route.nexthop, nexthop, TRACE_TEXT_MAX) == 0 &&
	    strncmp(kept.u.route.attrs, attrs, TRACE_TEXT_MAX) == 0;
}
