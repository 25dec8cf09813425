/* replay.c - apply trace records to the shown state. */
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "replay.h"
#include "util.h"

#define GROW(arr, n, cap)                                                   \
	do {                                                                \
		if ((n) == (cap)) {                                         \
			(cap) = (cap) ? (cap) * 2 : 16;                     \
			(arr) = xrealloc((arr), (cap) * sizeof(*(arr)));    \
		}                                                           \
	} while (0)

static char *
dup_or_empty(const char *s)
{
	return xstrdup(s != NULL ? s : "");
}

static void
set_str(char **dst, const char *s)
{
	if (s == NULL)
		s = "";
	if (*dst != NULL && strcmp(*dst, s) == 0)
		return;
	free(*dst);
	*dst = xstrdup(s);
}

void
replay_init(struct replay *rp, size_t nlinks, sim_time keep_sent,
    sim_time keep_drop)
{
	memset(rp, 0, sizeof(*rp));
	rp->nlinks = nlinks;
	rp->links = xcalloc(nlinks ? nlinks : 1, sizeof(*rp->links));
	rp->keep_sent = keep_sent;
	rp->keep_drop = keep_drop;
	replay_reset(rp);
}

static void
clear_strings(struct replay *rp)
{
	size_t i;

	for (i = 0; i < rp->nsess; i++) {
		free(rp->sess[i].peer);
		free(rp->sess[i].state);
		free(rp->sess[i].reason);
	}
	for (i = 0; i < rp->nroutes; i++) {
		free(rp->routes[i].table);
		free(rp->routes[i].nexthop);
		free(rp->routes[i].attrs);
	}
	for (i = 0; i < rp->nprov; i++) {
		free(rp->prov[i].resource);
		free(rp->prov[i].field);
		free(rp->prov[i].state);
	}
	for (i = 0; i < rp->nflows; i++) {
		free(rp->flows[i].label);
		free(rp->flows[i].state);
		free(rp->flows[i].reason);
	}
}

static void
free_data(struct replay *rp)
{
	size_t i;

	for (i = 0; i < rp->npkts; i++)
		free(rp->pkts[i].data);
}

void
replay_reset(struct replay *rp)
{
	size_t i;

	clear_strings(rp);
	free_data(rp);
	for (i = 0; i < rp->nlinks; i++) {
		rp->links[i].up = true;
		memset(rp->links[i].d, 0, sizeof(rp->links[i].d));
	}
	rp->npkts = rp->ndrops = rp->nsess = rp->nroutes = rp->nprov = 0;
	rp->nflows = 0;
	if (rp->fhash != NULL)
		memset(rp->fhash, 0, rp->fhash_size * sizeof(*rp->fhash));
	if (rp->queues != NULL)
		memset(rp->queues, 0, rp->nqueues * sizeof(*rp->queues));
	if (rp->rhash != NULL)
		memset(rp->rhash, 0, rp->rhash_size * sizeof(*rp->rhash));
}

void
replay_free(struct replay *rp)
{
	clear_strings(rp);
	free_data(rp);
	free(rp->links);
	free(rp->pkts);
	free(rp->drops);
	free(rp->sess);
	free(rp->routes);
	free(rp->rhash);
	free(rp->prov);
	free(rp->queues);
	free(rp->flows);
	free(rp->fhash);
	memset(rp, 0, sizeof(*rp));
}

static uint64_t
hash_str(uint64_t h, const char *s)
{
	for (; s != NULL && *s != '\0'; s++)
		h = (h ^ (uint8_t)*s) * 0x100000001b3ULL;
	return h;
}

static uint64_t
route_hash(uint32_t node, const char *table, uint32_t prefix, uint8_t plen)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	h = (h ^ node) * 0x100000001b3ULL;
	h = (h ^ prefix) * 0x100000001b3ULL;
	h = (h ^ plen) * 0x100000001b3ULL;
	return hash_str(h, table);
}

static void
rhash_insert(struct replay *rp, size_t idx)
{
	const struct replay_route *r = &rp->routes[idx];
	size_t mask = rp->rhash_size - 1;
	size_t h = (size_t)route_hash(r->node, r->table, r->prefix, r->plen);

	while (rp->rhash[h & mask] != 0)
		h++;
	rp->rhash[h & mask] = (uint32_t)idx + 1;
}

/* The hash slot that holds route idx. */
static size_t
rhash_slot(const struct replay *rp, size_t idx)
{
	const struct replay_route *r = &rp->routes[idx];
	size_t mask = rp->rhash_size - 1;
	size_t h = (size_t)route_hash(r->node, r->table, r->prefix, r->plen);

	while (rp->rhash[h & mask] != (uint32_t)idx + 1)
		h++;
	return h & mask;
}

/*
 * A withdrawn route leaves the table, as it is absent from every keyframe
 * after its withdrawal: so playing to an instant and seeking to it give the
 * same table. The last route takes its place in the array.
 */
static void
route_remove(struct replay *rp, size_t idx)
{
	size_t mask = rp->rhash_size - 1, i = rhash_slot(rp, idx), j;
	size_t last = rp->nroutes - 1;

	/* backward-shift deletion keeps every probe sequence unbroken */
	for (j = (i + 1) & mask; rp->rhash[j] != 0; j = (j + 1) & mask) {
		const struct replay_route *r = &rp->routes[rp->rhash[j] - 1];
		size_t home = (size_t)route_hash(r->node, r->table, r->prefix,
		    r->plen) & mask;

		if (((j - home) & mask) >= ((j - i) & mask)) {
			rp->rhash[i] = rp->rhash[j];
			i = j;
		}
	}
	rp->rhash[i] = 0;
	free(rp->routes[idx].table);
	free(rp->routes[idx].nexthop);
	free(rp->routes[idx].attrs);
	if (idx != last) {
		rp->routes[idx] = rp->routes[last];
		rp->rhash[rhash_slot(rp, last)] = (uint32_t)idx + 1;
	}
	rp->nroutes--;
}

static void
apply_route(struct replay *rp, const struct trace_rec *rec)
{
	const char *table = rec->u.route.table ? rec->u.route.table : "";
	size_t mask, h, i;
	struct replay_route *r;

	if (rp->rhash_size < 2 * (rp->nroutes + 1)) {
		free(rp->rhash);
		rp->rhash_size = rp->rhash_size ? rp->rhash_size * 2 : 64;
		rp->rhash = xcalloc(rp->rhash_size, sizeof(*rp->rhash));
		for (i = 0; i < rp->nroutes; i++)
			rhash_insert(rp, i);
	}
	mask = rp->rhash_size - 1;
	h = (size_t)route_hash(rec->u.route.node, table, rec->u.route.prefix,
	    rec->u.route.plen);
	for (;; h++) {
		uint32_t v = rp->rhash[h & mask];

		if (v == 0)
			break;
		r = &rp->routes[v - 1];
		if (r->node == rec->u.route.node &&
		    r->prefix == rec->u.route.prefix &&
		    r->plen == rec->u.route.plen &&
		    strcmp(r->table, table) == 0) {
			if (rec->u.route.withdrawn) {
				route_remove(rp, v - 1);
				return;
			}
			set_str(&r->nexthop, rec->u.route.nexthop);
			set_str(&r->attrs, rec->u.route.attrs);
			return;
		}
	}
	if (rec->u.route.withdrawn)
		return;
	GROW(rp->routes, rp->nroutes, rp->caproutes);
	r = &rp->routes[rp->nroutes];
	r->node = rec->u.route.node;
	r->live = true;
	r->prefix = rec->u.route.prefix;
	r->plen = rec->u.route.plen;
	r->table = xstrdup(table);
	r->nexthop = dup_or_empty(rec->u.route.nexthop);
	r->attrs = dup_or_empty(rec->u.route.attrs);
	rp->nroutes++;
	rhash_insert(rp, rp->nroutes - 1);
}

static struct replay_session *
session_get(struct replay *rp, uint8_t proto, uint32_t node, const char *peer)
{
	struct replay_session *s;
	size_t i;

	if (peer == NULL)
		peer = "";
	for (i = 0; i < rp->nsess; i++) {
		s = &rp->sess[i];
		if (s->node == node && s->proto == proto &&
		    strcmp(s->peer, peer) == 0)
			return s;
	}
	GROW(rp->sess, rp->nsess, rp->capsess);
	s = &rp->sess[rp->nsess++];
	memset(s, 0, sizeof(*s));
	s->node = node;
	s->proto = proto;
	s->peer = xstrdup(peer);
	s->state = xstrdup("");
	s->reason = xstrdup("");
	return s;
}

const struct replay_session *
replay_session(const struct replay *rp, uint8_t proto, uint32_t node,
    const char *peer)
{
	size_t i;

	for (i = 0; i < rp->nsess; i++)
		if (rp->sess[i].node == node && rp->sess[i].proto == proto &&
		    strcmp(rp->sess[i].peer, peer) == 0)
			return &rp->sess[i];
	return NULL;
}

static void
apply_session(struct replay *rp, const struct trace_rec *rec)
{
	struct replay_session *s = session_get(rp,
	    (uint8_t)rec->u.session.proto, rec->u.session.node,
	    rec->u.session.peer);
	const char *st = rec->u.session.state ? rec->u.session.state : "";

	/* a keyframe restates a session with the time of its last change:
	 * the time it entered its state */
	if (strcmp(s->state, st) != 0 || s->state[0] == '\0')
		s->t_state = rec->t;
	set_str(&s->state, st);
	set_str(&s->reason, rec->u.session.reason);
}

static void
apply_sstats(struct replay *rp, const struct trace_rec *rec)
{
	struct replay_session *s = session_get(rp,
	    (uint8_t)rec->u.sstats.proto, rec->u.sstats.node,
	    rec->u.sstats.peer);

	s->has_stats = true;
	s->st = rec->u.sstats.s;
}

static void
apply_prov(struct replay *rp, const struct trace_rec *rec)
{
	const char *res = rec->u.prov.resource ? rec->u.prov.resource : "";
	const char *field = rec->u.prov.field ? rec->u.prov.field : "";
	struct replay_prov *p;
	size_t i;

	for (i = 0; i < rp->nprov; i++) {
		p = &rp->prov[i];
		if (p->node == rec->u.prov.node &&
		    strcmp(p->resource, res) == 0 &&
		    strcmp(p->field, field) == 0) {
			if (strcmp(p->state, rec->u.prov.state ?
			    rec->u.prov.state : "") != 0)
				p->since = rec->t;
			set_str(&p->state, rec->u.prov.state);
			return;
		}
	}
	GROW(rp->prov, rp->nprov, rp->capprov);
	p = &rp->prov[rp->nprov++];
	p->node = rec->u.prov.node;
	p->resource = xstrdup(res);
	p->field = xstrdup(field);
	p->state = dup_or_empty(rec->u.prov.state);
	p->since = rec->t;
}

static void
apply_tx(struct replay *rp, const struct trace_rec *rec)
{
	struct replay_pkt *p;
	struct replay_dir *d;
	size_t n;

	if (rec->u.tx.link >= rp->nlinks || rec->u.tx.dir > 1)
		return;
	d = &rp->links[rec->u.tx.link].d[rec->u.tx.dir];
	d->qpkts = rec->u.tx.qpkts;
	d->qbytes = rec->u.tx.qbytes;
	GROW(rp->pkts, rp->npkts, rp->cappkts);
	p = &rp->pkts[rp->npkts++];
	p->uid = rec->u.tx.uid;
	p->t = rec->t;
	p->tx_end = rec->u.tx.tx_end < rec->t ? rec->t : rec->u.tx.tx_end;
	p->arrive = rec->u.tx.arrive < p->tx_end ? p->tx_end :
	    rec->u.tx.arrive;
	p->gone = p->arrive;
	p->link = rec->u.tx.link;
	p->dir = rec->u.tx.dir;
	p->len = rec->u.tx.len;
	p->dropped = false;
	n = rec->u.tx.hdr_len;
	if (n > TRACE_HDR_MAX || rec->u.tx.hdr == NULL)
		n = rec->u.tx.hdr == NULL ? 0 : TRACE_HDR_MAX;
	p->hdr_len = (uint16_t)n;
	if (n)
		memcpy(p->hdr, rec->u.tx.hdr, n);
	p->cls = (uint8_t)decode_classify(p->hdr, n, p->len);
	p->data = NULL;
	p->data_len = 0;
}

const uint8_t *
replay_pkt_whole(const struct replay_pkt *p, size_t *len)
{
	if (p->data != NULL) {
		*len = p->data_len;
		return p->data;
	}
	if (p->hdr_len > 0 && (p->hdr_len < TRACE_HDR_MAX ||
	    p->hdr_len == p->len)) {
		*len = p->hdr_len;
		return p->hdr;
	}
	*len = 0;
	return NULL;
}

/* The whole frame of the pkt_tx just before it (the latest hop of uid). */
static void
apply_data(struct replay *rp, const struct trace_rec *rec)
{
	struct replay_pkt *p;
	size_t i;

	if (rec->u.data.data == NULL || rec->u.data.len == 0)
		return;
	for (i = rp->npkts; i-- > 0;) {
		p = &rp->pkts[i];
		if (p->uid != rec->u.data.uid || p->link != rec->u.data.link ||
		    p->dir != rec->u.data.dir)
			continue;
		free(p->data);
		p->data = xmalloc(rec->u.data.len);
		memcpy(p->data, rec->u.data.data, rec->u.data.len);
		p->data_len = rec->u.data.len;
		return;
	}
}

static void
apply_drop(struct replay *rp, const struct trace_rec *rec)
{
	struct replay_drop *d;
	size_t i;

	/* a frame lost on the wire stops where it was */
	if (rec->u.drop.link < rp->nlinks && rec->u.drop.dir <= 1) {
		struct replay_dir *q =
		    &rp->links[rec->u.drop.link].d[rec->u.drop.dir];

		q->qpkts = rec->u.drop.qpkts;
		q->qbytes = rec->u.drop.qbytes;
		for (i = rp->npkts; i-- > 0;) {
			struct replay_pkt *p = &rp->pkts[i];

			if (p->uid == rec->u.drop.uid &&
			    p->link == rec->u.drop.link && p->t <= rec->t &&
			    p->gone > rec->t) {
				p->gone = rec->t;
				p->dropped = true;
				break;
			}
		}
	}
	GROW(rp->drops, rp->ndrops, rp->capdrops);
	d = &rp->drops[rp->ndrops++];
	d->t = rec->t;
	d->uid = rec->u.drop.uid;
	d->node = rec->u.drop.node;
	d->link = rec->u.drop.link;
	d->dir = rec->u.drop.dir;
	d->reason = (uint8_t)(rec->u.drop.reason < DROP_MAX ?
	    rec->u.drop.reason : DROP_NONE);
	d->len = rec->u.drop.len;
}

/* Queue ids are the writer's, dense from 0; this bounds a corrupt one. */
#define REPLAY_QUEUES_MAX 1000000u

static void
apply_qlen(struct replay *rp, const struct trace_rec *rec)
{
	uint32_t id = rec->u.qlen.queue;
	size_t n;

	if (id >= REPLAY_QUEUES_MAX)
		return;
	if (id >= rp->nqueues) {
		n = rp->nqueues ? rp->nqueues : 16;
		while (n <= id)
			n *= 2;
		rp->queues = xrealloc(rp->queues, n * sizeof(*rp->queues));
		memset(rp->queues + rp->nqueues, 0, (n - rp->nqueues) *
		    sizeof(*rp->queues));
		rp->nqueues = n;
	}
	rp->queues[id].known = true;
	rp->queues[id].pkts = rec->u.qlen.pkts;
	rp->queues[id].bytes = rec->u.qlen.bytes;
}

/* --- flows: by id, through a hash of their indices --- */

static size_t
flow_home(const struct replay *rp, uint32_t id)
{
	return (size_t)(((uint64_t)id * 0x9e3779b97f4a7c15ULL) >> 32) &
	    (rp->fhash_size - 1);
}

/* The slot holding flow id, or the empty slot where it would go. */
static size_t
flow_slot(const struct replay *rp, uint32_t id)
{
	size_t mask = rp->fhash_size - 1, h = flow_home(rp, id);

	while (rp->fhash[h] != 0 && rp->flows[rp->fhash[h] - 1].id != id)
		h = (h + 1) & mask;
	return h;
}

const struct replay_flow *
replay_flow(const struct replay *rp, uint32_t id)
{
	size_t h;

	if (rp->nflows == 0)
		return NULL;
	h = flow_slot(rp, id);
	return rp->fhash[h] != 0 ? &rp->flows[rp->fhash[h] - 1] : NULL;
}

/* The flow id, created (no state, no window) when it is new. */
static struct replay_flow *
flow_get(struct replay *rp, uint32_t id)
{
	struct replay_flow *f;
	size_t i, h;

	if (rp->fhash_size < 2 * (rp->nflows + 1)) {
		free(rp->fhash);
		rp->fhash_size = rp->fhash_size ? rp->fhash_size * 2 : 64;
		rp->fhash = xcalloc(rp->fhash_size, sizeof(*rp->fhash));
		for (i = 0; i < rp->nflows; i++)
			rp->fhash[flow_slot(rp, rp->flows[i].id)] =
			    (uint32_t)i + 1;
	}
	h = flow_slot(rp, id);
	if (rp->fhash[h] != 0)
		return &rp->flows[rp->fhash[h] - 1];
	GROW(rp->flows, rp->nflows, rp->capflows);
	f = &rp->flows[rp->nflows];
	memset(f, 0, sizeof(*f));
	f->id = id;
	f->node = UINT32_MAX;
	f->ssthresh = UINT32_MAX;
	f->label = xstrdup("");
	f->state = xstrdup("");
	f->reason = xstrdup("");
	rp->fhash[h] = (uint32_t)++rp->nflows;
	return f;
}

/* A closed flow leaves, its state and window with it; the last flow
 * takes its place (backward-shift deletion keeps the probes whole). */
static void
flow_remove(struct replay *rp, uint32_t id)
{
	size_t mask = rp->fhash_size - 1, i, j, idx, last;

	if (rp->nflows == 0)
		return;
	i = flow_slot(rp, id);
	if (rp->fhash[i] == 0)
		return;
	idx = rp->fhash[i] - 1;
	for (j = (i + 1) & mask; rp->fhash[j] != 0; j = (j + 1) & mask) {
		size_t home = flow_home(rp, rp->flows[rp->fhash[j] - 1].id);

		if (((j - home) & mask) >= ((j - i) & mask)) {
			rp->fhash[i] = rp->fhash[j];
			i = j;
		}
	}
	rp->fhash[i] = 0;
	free(rp->flows[idx].label);
	free(rp->flows[idx].state);
	free(rp->flows[idx].reason);
	last = rp->nflows - 1;
	if (idx != last) {
		rp->flows[idx] = rp->flows[last];
		rp->fhash[flow_slot(rp, rp->flows[idx].id)] = (uint32_t)idx + 1;
	}
	rp->nflows--;
}

static void
apply_flow(struct replay *rp, const struct trace_rec *rec)
{
	struct replay_flow *f;

	if (rec->u.flow.closed) {
		flow_remove(rp, rec->u.flow.id);
		return;
	}
	/* a declaration restated by a keyframe keeps the state it has */
	f = flow_get(rp, rec->u.flow.id);
	f->node = rec->u.flow.node;
	f->ip_proto = rec->u.flow.ip_proto;
	set_str(&f->label, rec->u.flow.label);
}

static void
apply_fstate(struct replay *rp, const struct trace_rec *rec)
{
	struct replay_flow *f = flow_get(rp, rec->u.fstate.id);

	set_str(&f->state, rec->u.fstate.state);
	set_str(&f->reason, rec->u.fstate.reason);
	f->t_state = rec->t;
}

static void
apply_fcwnd(struct replay *rp, const struct trace_rec *rec)
{
	struct replay_flow *f = flow_get(rp, rec->u.fcwnd.id);

	f->has_cwnd = true;
	f->cwnd = rec->u.fcwnd.cwnd;
	f->ssthresh = rec->u.fcwnd.ssthresh;
}

uint32_t
replay_flow_step(const struct replay *rp, uint32_t id, uint32_t node,
    int dir)
{
	uint32_t best = UINT32_MAX, wrap = UINT32_MAX;
	size_t i;

	/* the nearest id past the current one, else the far end's */
	for (i = 0; i < rp->nflows; i++) {
		uint32_t fid = rp->flows[i].id;

		if (node != UINT32_MAX && rp->flows[i].node != node)
			continue;
		if (dir > 0) {
			if ((id == UINT32_MAX || fid > id) &&
			    (best == UINT32_MAX || fid < best))
				best = fid;
			if (wrap == UINT32_MAX || fid < wrap)
				wrap = fid;
		} else {
			if ((id == UINT32_MAX || fid < id) &&
			    (best == UINT32_MAX || fid > best))
				best = fid;
			if (wrap == UINT32_MAX || fid > wrap)
				wrap = fid;
		}
	}
	return best != UINT32_MAX ? best : wrap;
}

static struct replay_dir *
dir_of(struct replay *rp, uint32_t link, uint8_t dir)
{
	return link < rp->nlinks && dir <= 1 ? &rp->links[link].d[dir] : NULL;
}

static void
apply_enqueue(struct replay *rp, const struct trace_rec *rec)
{
	struct replay_dir *d = dir_of(rp, rec->u.enqueue.link,
	    rec->u.enqueue.dir);

	if (d != NULL) {
		d->qpkts = rec->u.enqueue.qpkts;
		d->qbytes = rec->u.enqueue.qbytes;
	}
}

static void
apply_queue(struct replay *rp, const struct trace_rec *rec)
{
	struct replay_dir *d = dir_of(rp, rec->u.queue.link, rec->u.queue.dir);

	if (d != NULL) {
		d->qpkts = rec->u.queue.qpkts;
		d->qbytes = rec->u.queue.qbytes;
	}
}

static void
apply_keyframe(struct replay *rp, const struct trace_rec *rec)
{
	(void)rec;
	/* the keyframe's state follows and replaces ours */
	replay_reset(rp);
}

static void
apply_link_state(struct replay *rp, const struct trace_rec *rec)
{
	if (rec->u.link_state.link < rp->nlinks)
		rp->links[rec->u.link_state.link].up = rec->u.link_state.up;
}

/*
 * What each record type does to the shown state, by type: the state half
 * of the record descriptors (sim/trace_fmt.c). Types without an entry
 * (topology, rx, annotations, apps, asserts, and types newer than this
 * viewer) are not state.
 */
static void (*const apply_fn[TR_TYPE_MAX])(struct replay *,
    const struct trace_rec *) = {
	[TR_PKT_ENQUEUE] = apply_enqueue,
	[TR_PKT_TX] = apply_tx,
	[TR_PKT_DROP] = apply_drop,
	[TR_LINK_STATE] = apply_link_state,
	[TR_SESSION_STATE] = apply_session,
	[TR_ROUTE] = apply_route,
	[TR_PROV_STATE] = apply_prov,
	[TR_KEYFRAME] = apply_keyframe,
	[TR_QUEUE] = apply_queue,
	[TR_QUEUE_LEN] = apply_qlen,
	[TR_FLOW] = apply_flow,
	[TR_FLOW_STATE] = apply_fstate,
	[TR_FLOW_CWND] = apply_fcwnd,
	[TR_PKT_DATA] = apply_data,
	[TR_SESSION_STATS] = apply_sstats,
};

void
replay_apply(struct replay *rp, const struct trace_rec *rec)
{
	unsigned t = (unsigned)rec->type;

	if (t < TR_TYPE_MAX && apply_fn[t] != NULL)
		apply_fn[t](rp, rec);
}

void
replay_prune(struct replay *rp, sim_time now)
{
	size_t i, j;

	for (i = j = 0; i < rp->npkts; i++) {
		const struct replay_pkt *p = &rp->pkts[i];
		sim_time keep = p->tx_end + rp->keep_sent;

		if (keep < p->gone)
			keep = p->gone;
		if (keep < now) {
			free(p->data);
			continue;
		}
		if (i != j)
			rp->pkts[j] = *p;
		j++;
	}
	rp->npkts = j;
	for (i = j = 0; i < rp->ndrops; i++) {
		if (rp->drops[i].t + rp->keep_drop < now)
			continue;
		if (i != j)
			rp->drops[j] = rp->drops[i];
		j++;
	}
	rp->ndrops = j;
}
