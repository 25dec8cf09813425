/* scan.c - topology, events and the compressed timeline of a trace. */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "provops.h"
#include "provview.h"
#include "replay.h"
#include "scan.h"
#include "style.h"
#include "util.h"

#define MAX_NODES 100000u
#define MAX_LINKS 1000000u
#define MAX_QUEUES 1000000u
#define MAX_SEGS 600u
#define FINE_BINS 65536u

struct builder {
	struct scan *s;
	sim_time gap;		/* records further apart start a new interval */
	sim_time *iv;		/* interval pairs t0, t1 */
	size_t niv, capiv;
	uint32_t *fine_act, *fine_drop;
	sim_time fine_w;
};

static char *
dup_or_empty(const char *s)
{
	return xstrdup(s != NULL ? s : "");
}

const char *
scan_node_name(const struct scan *s, uint32_t id)
{
	if (id < s->nnodes && s->nodes[id].present)
		return s->nodes[id].name;
	return "?";
}

static const char *
link_name(const struct scan *s, uint32_t id)
{
	if (id < s->nlinks && s->links[id].present)
		return s->links[id].name;
	return "?";
}

uint32_t
scan_find_node(const struct scan *s, const char *what)
{
	unsigned a, b, c, d;
	char tail;
	size_t i;

	if (what == NULL)
		return UINT32_MAX;
	for (i = 0; i < s->nnodes; i++)
		if (s->nodes[i].present && strcmp(s->nodes[i].name, what) == 0)
			return (uint32_t)i;
	if (sscanf(what, "%u.%u.%u.%u%c", &a, &b, &c, &d, &tail) == 4 &&
	    a < 256 && b < 256 && c < 256 && d < 256) {
		uint32_t addr = (a << 24) | (b << 16) | (c << 8) | d;

		for (i = 0; i < s->nifaces; i++)
			if (s->ifaces[i].addr == addr &&
			    s->ifaces[i].node < s->nnodes)
				return s->ifaces[i].node;
	}
	return UINT32_MAX;
}

static struct scan_event *
add_event(struct scan *s, const struct trace_rec *rec, uint32_t node,
    enum scan_level level, bool milestone, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* The event added, or NULL past SCAN_MAX_EVENTS. */
static struct scan_event *
add_event(struct scan *s, const struct trace_rec *rec, uint32_t node,
    enum scan_level level, bool milestone, const char *fmt, ...)
{
	struct scan_event *e;
	char buf[320];
	va_list ap;

	if (s->nevents >= SCAN_MAX_EVENTS) {
		s->events_dropped++;
		return NULL;
	}
	if (s->nevents == s->capevents) {
		s->capevents = s->capevents ? s->capevents * 2 : 256;
		s->events = xrealloc(s->events,
		    s->capevents * sizeof(*s->events));
	}
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	e = &s->events[s->nevents++];
	e->t = rec->t;
	e->type = (uint8_t)rec->type;
	e->level = (uint8_t)level;
	e->milestone = milestone;
	e->change = false;
	e->node = node;
	e->flow = UINT32_MAX;
	e->text = xstrdup(buf);
	e->tag = NULL;
	return e;
}

static const char *const proto_names[TRP_MAX] = {
	[TRP_TCP] = "TCP", [TRP_BGP] = "BGP", [TRP_BFD] = "BFD",
	[TRP_IKE] = "IKE",
};

static const char *
proto_name(enum trace_proto p)
{
	return p > 0 && p < TRP_MAX ? proto_names[p] : "session";
}

static void
fmt_prefix(char *b, size_t n, uint32_t p, uint8_t plen)
{
	snprintf(b, n, "%u.%u.%u.%u/%u", p >> 24, (p >> 16) & 255,
	    (p >> 8) & 255, p & 255, plen);
}

static int
decl_node(struct scan *s, const struct trace_rec *rec, char *err,
    size_t errlen)
{
	uint32_t id = rec->u.node.id;
	struct scan_node *nd;

	if (id >= MAX_NODES)
		return sim_err(err, errlen, "node id %u out of range",
		    id);
	if (id >= s->nnodes) {
		s->nodes = xrealloc(s->nodes, (id + 1) *
		    sizeof(*s->nodes));
		memset(s->nodes + s->nnodes, 0, (id + 1 - s->nnodes) *
		    sizeof(*s->nodes));
		s->nnodes = id + 1;
	}
	nd = &s->nodes[id];
	if (nd->present)
		return 0;	/* repeated after a seek */
	nd->present = true;
	nd->name = dup_or_empty(rec->u.node.name);
	nd->role = dup_or_empty(rec->u.node.role);
	nd->region = dup_or_empty(rec->u.node.region);
	nd->pos[0] = rec->u.node.pos[0];
	nd->pos[1] = rec->u.node.pos[1];
	return 0;
}

static int
decl_iface(struct scan *s, const struct trace_rec *rec, char *err,
    size_t errlen)
{
	struct scan_iface *f;
	size_t i;

	(void)err;
	(void)errlen;
	for (i = 0; i < s->nifaces; i++)
		if (s->ifaces[i].node == rec->u.iface.node &&
		    s->ifaces[i].ifindex == rec->u.iface.ifindex)
			return 0;
	if (s->nifaces == s->capifaces) {
		s->capifaces = s->capifaces ? s->capifaces * 2 : 16;
		s->ifaces = xrealloc(s->ifaces, s->capifaces *
		    sizeof(*s->ifaces));
	}
	f = &s->ifaces[s->nifaces++];
	f->node = rec->u.iface.node;
	f->ifindex = rec->u.iface.ifindex;
	f->name = dup_or_empty(rec->u.iface.name);
	memcpy(f->mac, rec->u.iface.mac, 6);
	f->addr = rec->u.iface.addr;
	f->plen = rec->u.iface.plen;
	return 0;
}

static int
decl_link(struct scan *s, const struct trace_rec *rec, char *err,
    size_t errlen)
{
	uint32_t id = rec->u.link.id;
	struct scan_link *l;
	size_t i;

	if (id >= MAX_LINKS)
		return sim_err(err, errlen, "link id %u out of range",
		    id);
	if (id >= s->nlinks) {
		s->links = xrealloc(s->links, (id + 1) *
		    sizeof(*s->links));
		memset(s->links + s->nlinks, 0, (id + 1 - s->nlinks) *
		    sizeof(*s->links));
		s->nlinks = id + 1;
	}
	l = &s->links[id];
	if (l->present)
		return 0;
	l->present = true;
	l->name = dup_or_empty(rec->u.link.name);
	for (i = 0; i < 2; i++) {
		l->node[i] = rec->u.link.node[i];
		l->ifindex[i] = rec->u.link.ifindex[i];
		l->rate_bps[i] = rec->u.link.rate_bps[i];
		l->delay[i] = rec->u.link.delay[i] < 0 ? 0 :
		    rec->u.link.delay[i];
		if (l->delay[i] > s->max_delay)
			s->max_delay = l->delay[i];
	}
	l->mtu = rec->u.link.mtu;
	l->qlimit_pkts = rec->u.link.qlimit_pkts;
	l->qlimit_bytes = rec->u.link.qlimit_bytes;
	return 0;
}

static int
decl_queue(struct scan *s, const struct trace_rec *rec, char *err,
    size_t errlen)
{
	uint32_t id = rec->u.qdef.queue;
	struct scan_queue *q;

	if (id >= MAX_QUEUES)
		return sim_err(err, errlen, "queue id %u out of range",
		    id);
	if (id >= s->nqueues) {
		s->queues = xrealloc(s->queues, (id + 1) *
		    sizeof(*s->queues));
		memset(s->queues + s->nqueues, 0, (id + 1 -
		    s->nqueues) * sizeof(*s->queues));
		s->nqueues = id + 1;
	}
	q = &s->queues[id];
	if (q->present)
		return 0;
	q->present = true;
	q->link = rec->u.qdef.link;
	q->dir = rec->u.qdef.dir;
	q->kind = dup_or_empty(rec->u.qdef.kind);
	return 0;
}

/* Declarations: what exists (topology, queue ids), by type. */
static int (*const decl_fn[TR_TYPE_MAX])(struct scan *,
    const struct trace_rec *, char *, size_t) = {
	[TR_NODE] = decl_node,
	[TR_IFACE] = decl_iface,
	[TR_LINK] = decl_link,
	[TR_QUEUE_DEF] = decl_queue,
};

static int
topology(struct scan *s, const struct trace_rec *rec, char *err,
    size_t errlen)
{
	unsigned t = (unsigned)rec->type;

	return t < TR_TYPE_MAX && decl_fn[t] != NULL ?
	    decl_fn[t](s, rec, err, errlen) : 0;
}

static void
ev_link_state(struct scan *s, const struct trace_rec *rec)
{
	uint32_t none = UINT32_MAX;

	add_event(s, rec, none, rec->u.link_state.up ? SL_GOOD : SL_BAD,
	    true, "link %s %s", link_name(s, rec->u.link_state.link),
	    rec->u.link_state.up ? "up" : "down");
}

static void
ev_drop(struct scan *s, const struct trace_rec *rec)
{
	add_event(s, rec, rec->u.drop.node, SL_BAD, false,
	    "drop at %s: %s (%u bytes)%s%s",
	    scan_node_name(s, rec->u.drop.node),
	    rec->u.drop.reason < DROP_MAX ?
	    trace_drop_name[rec->u.drop.reason] : "?",
	    rec->u.drop.len, rec->u.drop.detail ? ": " : "",
	    rec->u.drop.detail ? rec->u.drop.detail : "");
}

/*
 * Whether text narrates the provisioning change field = state, the way the
 * resources section writes it: "Title: field [old ->] state[ (op)]".
 */
bool
scan_narrates(const char *text, const char *field, const char *state)
{
	const char *p, *v, *arrow;
	size_t fl = strlen(field), sl = strlen(state);

	for (p = strstr(text, ": "); p != NULL; p = strstr(p + 1, ": ")) {
		if (strncmp(p + 2, field, fl) != 0 || p[2 + fl] != ' ')
			continue;
		v = p + 3 + fl;
		arrow = strstr(v, " -> ");
		if (arrow != NULL)
			v = arrow + 4;
		if (strncmp(v, state, sl) == 0 &&
		    (v[sl] == '\0' || strncmp(v + sl, " (", 2) == 0))
			return true;
	}
	return false;
}

static void
ev_annotate(struct scan *s, const struct trace_rec *rec)
{
	const char *text = rec->u.annotate.text ? rec->u.annotate.text : "";
	const char *field, *state;

	/* the narration of the change just listed: its words replace the
	 * change's, rather than listing it twice */
	if (s->prov_ev < s->nevents && !s->prov_narrated &&
	    rec->t == s->prov_t) {
		field = s->prov_key + strlen(s->prov_key) + 1;
		state = field + strlen(field) + 1;
		if (scan_narrates(text, field, state)) {
			char buf[400];

			snprintf(buf, sizeof(buf), "%s%s", text, s->prov_took);
			free(s->events[s->prov_ev].text);
			s->events[s->prov_ev].text = xstrdup(buf);
			s->prov_narrated = true;
			return;
		}
	}
	/* a BGP message's narration is an event, not a milestone: the
	 * keepalives of a long run would bury the timeline */
	add_event(s, rec, rec->u.annotate.node, SL_INFO,
	    strncmp(text, "bgp to ", 7) != 0 &&
	    strncmp(text, "bgp from ", 9) != 0, "%s%s%s",
	    rec->u.annotate.node < s->nnodes ?
	    scan_node_name(s, rec->u.annotate.node) : "",
	    rec->u.annotate.node < s->nnodes ? ": " : "", text);
}

static void
ev_app(struct scan *s, const struct trace_rec *rec)
{
	char rtt[32];

	if (rec->u.app.ok)
		units_fmt_time(rtt, sizeof(rtt), rec->u.app.rtt);
	add_event(s, rec, rec->u.app.node,
	    rec->u.app.ok ? SL_GOOD : SL_BAD, !rec->u.app.ok,
	    "%s %s seq %u: %s%s%s", rec->u.app.app ? rec->u.app.app :
	    "app", scan_node_name(s, rec->u.app.node), rec->u.app.seq,
	    rec->u.app.ok ? rtt : "failed",
	    rec->u.app.text && rec->u.app.text[0] ? " " : "",
	    rec->u.app.text ? rec->u.app.text : "");
}

static void
ev_assert(struct scan *s, const struct trace_rec *rec)
{
	uint32_t none = UINT32_MAX;

	add_event(s, rec, none,
	    rec->u.assertion.pass ? SL_GOOD : SL_BAD, true,
	    "assert %s: %s", rec->u.assertion.pass ? "PASS" : "FAIL",
	    rec->u.assertion.text ? rec->u.assertion.text : "");
}

static void
ev_session(struct scan *s, const struct trace_rec *rec)
{
	add_event(s, rec, rec->u.session.node,
	    style_state_level(rec->u.session.state), true,
	    "%s %s \xe2\x86\x92 %s: %s%s%s",
	    proto_name(rec->u.session.proto),
	    scan_node_name(s, rec->u.session.node),
	    rec->u.session.peer ? rec->u.session.peer : "?",
	    rec->u.session.state ? rec->u.session.state : "?",
	    rec->u.session.reason && rec->u.session.reason[0] ?
	    " \xc2\xb7 " : "",
	    rec->u.session.reason ? rec->u.session.reason : "");
}

static void
ev_route(struct scan *s, const struct trace_rec *rec)
{
	char pfx[24];

	fmt_prefix(pfx, sizeof(pfx), rec->u.route.prefix,
	    rec->u.route.plen);
	const char *tb = rec->u.route.table ? rec->u.route.table : "";
	/* a protocol's own table (BGP's Loc-RIB) says so; the VRF's not */
	bool own = strncmp(tb, "bgp", 3) == 0;

	add_event(s, rec, rec->u.route.node,
	    rec->u.route.withdrawn ? SL_WARN : SL_INFO, false,
	    "route %s%s%s %s %s%s%s", scan_node_name(s, rec->u.route.node),
	    own ? " " : "", own ? tb : "",
	    rec->u.route.withdrawn ? "withdraw" : "add", pfx,
	    rec->u.route.withdrawn ? "" : " via ",
	    rec->u.route.withdrawn ? "" : (rec->u.route.nexthop ?
	    rec->u.route.nexthop : "?"));
}

/*
 * A provisioning change, once for all the nodes it is recorded on (their
 * records follow each other), on its first node or, for a resource on no
 * node, as a timeline entry, with how long the field was in its previous
 * value. A milestone when it reaches a settled or a failed state.
 */
static void
ev_prov(struct scan *s, const struct trace_rec *rec)
{
	const char *res = rec->u.prov.resource ? rec->u.prov.resource : "";
	const char *field = rec->u.prov.field ? rec->u.prov.field : "";
	const char *state = rec->u.prov.state ? rec->u.prov.state : "";
	size_t rl = strlen(res), fl = strlen(field), sl = strlen(state);
	size_t kl = rl + fl + sl + 3, tl;
	bool global = rec->u.prov.node >= s->nnodes;
	enum scan_level lv = provview_level(field, state);
	struct scan_event *e;

	if (s->prov_ev < s->nevents && s->prov_t == rec->t &&
	    s->prov_keylen == kl && memcmp(s->prov_key, res, rl + 1) == 0 &&
	    memcmp(s->prov_key + rl + 1, field, fl + 1) == 0 &&
	    memcmp(s->prov_key + rl + fl + 2, state, sl + 1) == 0)
		return;		/* the same change on another node */
	provops_took(s, rec->t, res, rl, field, fl, state);
	e = add_event(s, rec, global ? UINT32_MAX : rec->u.prov.node, lv,
	    lv == SL_GOOD || lv == SL_BAD, "%s%s%s%s: %s%s",
	    global ? "timeline \xc2\xb7 " : "", res, fl ? " " : "", field,
	    sl ? state : "?", s->prov_took);
	if (e == NULL)
		return;
	/* on the timeline: the resource and what it became, whole */
	tl = strlen(provview_short_name(res)) + sl + 3;
	e->tag = xmalloc(tl);
	snprintf(e->tag, tl, "%s %s", provview_short_name(res),
	    sl ? state : "?");
	e->change = s->prov_took[0] != '\0';
	s->prov_ev = (size_t)(e - s->events);
	s->prov_t = rec->t;
	s->prov_narrated = false;
	free(s->prov_key);
	s->prov_key = xmalloc(kl);
	memcpy(s->prov_key, res, rl + 1);
	memcpy(s->prov_key + rl + 1, field, fl + 1);
	memcpy(s->prov_key + rl + fl + 2, state, sl + 1);
	s->prov_keylen = kl;
}

/* An operation: kept for the timeline's bars, and narrated once at its
 * start with its duration ("create ExpressRoute circuit er-ashburn (12m
 * 3s)"); a refused one is a milestone, tagged with the bar's words. */
static void
ev_prov_op(struct scan *s, const struct trace_rec *rec)
{
	const struct scan_op *o = provops_add(s, rec);
	struct scan_event *e;
	char buf[320];

	provops_text(buf, sizeof(buf), o);
	e = add_event(s, rec, o->node < s->nnodes ? o->node : UINT32_MAX,
	    o->refused ? SL_BAD : SL_INFO, o->refused, "%s", buf);
	if (e != NULL && o->refused) {
		provops_label(buf, sizeof(buf), o);
		e->tag = xstrdup(buf);
	}
}

/* A flow's state change, named by its label ("TCP app 10.1.0.4:50001>
 * 10.2.0.5:1521 cubic: ESTABLISHED"); not a milestone: a run may open
 * thousands of connections. */
static void
ev_flow_state(struct scan *s, const struct trace_rec *rec)
{
	const struct replay_flow *f = replay_flow(s->fl, rec->u.fstate.id);
	uint32_t node = f != NULL ? f->node : UINT32_MAX;
	struct scan_event *e;
	char lab[48];

	if (f == NULL || f->label[0] == '\0')
		snprintf(lab, sizeof(lab), "flow %u", rec->u.fstate.id);
	e = add_event(s, rec, node, style_state_level(rec->u.fstate.state),
	    false,
	    "%s %s %s: %s%s%s", f != NULL && f->ip_proto == 6 ? "TCP" : "flow",
	    scan_node_name(s, node), f != NULL && f->label[0] ? f->label : lab,
	    rec->u.fstate.state ? rec->u.fstate.state : "?",
	    rec->u.fstate.reason && rec->u.fstate.reason[0] ?
	    " \xc2\xb7 " : "",
	    rec->u.fstate.reason ? rec->u.fstate.reason : "");
	if (e != NULL)
		e->flow = rec->u.fstate.id;
}

/* Notable events and their one-line text, by type. */
static void (*const event_fn[TR_TYPE_MAX])(struct scan *,
    const struct trace_rec *) = {
	[TR_LINK_STATE] = ev_link_state,
	[TR_PKT_DROP] = ev_drop,
	[TR_ANNOTATE] = ev_annotate,
	[TR_APP] = ev_app,
	[TR_ASSERT] = ev_assert,
	[TR_SESSION_STATE] = ev_session,
	[TR_ROUTE] = ev_route,
	[TR_PROV_STATE] = ev_prov,
	[TR_FLOW_STATE] = ev_flow_state,
	[TR_PROV_OP] = ev_prov_op,
};

static void
events(struct scan *s, const struct trace_rec *rec)
{
	unsigned t = (unsigned)rec->type;

	if (t < TR_TYPE_MAX && event_fn[t] != NULL)
		event_fn[t](s, rec);
	/* after its event: a state names the flow as it was declared */
	if (t == TR_FLOW || t == TR_FLOW_STATE)
		replay_apply(s->fl, rec);
}

static void
note_time(struct builder *b, sim_time t)
{
	size_t i, j;

	if (b->niv > 0 && t <= b->iv[2 * b->niv - 1] + b->gap) {
		if (t > b->iv[2 * b->niv - 1])
			b->iv[2 * b->niv - 1] = t;
		return;
	}
	if (b->niv > 0 && t < b->iv[2 * b->niv - 2])
		return;		/* out of order: keep the intervals sorted */
	if (b->niv == b->capiv) {
		b->capiv = b->capiv ? b->capiv * 2 : 64;
		b->iv = xrealloc(b->iv, 2 * b->capiv * sizeof(*b->iv));
	}
	b->iv[2 * b->niv] = b->iv[2 * b->niv + 1] = t;
	b->niv++;
	/* too many intervals: coarsen the threshold and merge */
	while (b->niv > MAX_SEGS) {
		b->gap *= 2;
		for (i = 0, j = 1; j < b->niv; j++) {
			if (b->iv[2 * j] <= b->iv[2 * i + 1] + b->gap) {
				if (b->iv[2 * j + 1] > b->iv[2 * i + 1])
					b->iv[2 * i + 1] = b->iv[2 * j + 1];
			} else {
				i++;
				b->iv[2 * i] = b->iv[2 * j];
				b->iv[2 * i + 1] = b->iv[2 * j + 1];
			}
		}
		b->niv = i + 1;
	}
}

static void
build_segments(struct builder *b)
{
	struct scan *s = b->s;
	double *w, total = 0, gapfrac, gapw, x;
	size_t i, ngaps;
	double floor_d = (double)b->gap / 20.0;

	if (b->niv == 0) {
		b->iv = xrealloc(b->iv, 2 * sizeof(*b->iv));
		b->iv[0] = 0;
		b->iv[1] = s->end;
		b->niv = 1;
	}
	/* the last interval reaches the end of the trace if it is near */
	if (s->end > b->iv[2 * b->niv - 1] && s->end - b->iv[2 * b->niv - 1]
	    <= b->gap)
		b->iv[2 * b->niv - 1] = s->end;
	ngaps = b->niv - 1 + (s->end > b->iv[2 * b->niv - 1] ? 1 : 0) +
	    (b->iv[0] > 0 ? 1 : 0);
	w = xmalloc(b->niv * sizeof(*w));
	for (i = 0; i < b->niv; i++) {
		double d = (double)(b->iv[2 * i + 1] - b->iv[2 * i]);

		w[i] = sqrt(d > floor_d ? d : floor_d);
		total += w[i];
	}
	gapfrac = ngaps ? fmin(0.3, 0.05 * (double)ngaps) : 0;
	gapw = ngaps ? gapfrac / (double)ngaps : 0;
	s->segs = xmalloc(b->niv * sizeof(*s->segs));
	s->nsegs = b->niv;
	x = b->iv[0] > 0 ? gapw : 0;
	for (i = 0; i < b->niv; i++) {
		s->segs[i].t0 = b->iv[2 * i];
		s->segs[i].t1 = b->iv[2 * i + 1];
		s->segs[i].x0 = (float)x;
		x += (1 - gapfrac) * w[i] / total;
		s->segs[i].x1 = (float)x;
		x += gapw;
	}
	/* rounding: the end maps exactly to 1 */
	if (s->end <= s->segs[s->nsegs - 1].t1)
		s->segs[s->nsegs - 1].x1 = 1.0f;
	free(w);
}

float
scan_time_to_x(const struct scan *s, sim_time t)
{
	size_t lo = 0, hi = s->nsegs;
	const struct scan_seg *g;

	if (s->nsegs == 0 || s->end <= 0)
		return 0;
	if (t <= 0)
		return s->segs[0].t0 <= 0 ? s->segs[0].x0 : 0;
	/* first segment whose t1 >= t */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (s->segs[mid].t1 < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == s->nsegs) {	/* in the final gap */
		g = &s->segs[s->nsegs - 1];
		if (t >= s->end || s->end <= g->t1)
			return 1.0f;
		return g->x1 + (1.0f - g->x1) * (float)((double)(t - g->t1) /
		    (double)(s->end - g->t1));
	}
	g = &s->segs[lo];
	if (t >= g->t0) {
		if (g->t1 == g->t0)
			return g->x0;
		return g->x0 + (g->x1 - g->x0) * (float)((double)(t - g->t0) /
		    (double)(g->t1 - g->t0));
	}
	/* in the gap before segment lo */
	{
		sim_time pt = lo ? s->segs[lo - 1].t1 : 0;
		float px = lo ? s->segs[lo - 1].x1 : 0;

		if (g->t0 == pt)
			return g->x0;
		return px + (g->x0 - px) * (float)((double)(t - pt) /
		    (double)(g->t0 - pt));
	}
}

sim_time
scan_x_to_time(const struct scan *s, float x)
{
	size_t i;
	sim_time pt = 0;
	float px = 0;

	if (s->nsegs == 0 || x <= 0)
		return 0;
	for (i = 0; i < s->nsegs; i++) {
		const struct scan_seg *g = &s->segs[i];

		if (x < g->x0) {
			return pt + (sim_time)((double)(g->t0 - pt) *
			    (double)(x - px) / (double)(g->x0 - px));
		}
		if (x <= g->x1) {
			if (g->x1 <= g->x0)
				return g->t0;
			return g->t0 + (sim_time)((double)(g->t1 - g->t0) *
			    (double)(x - g->x0) / (double)(g->x1 - g->x0));
		}
		pt = g->t1;
		px = g->x1;
	}
	if (x >= 1 || px >= 1)
		return s->end;
	return pt + (sim_time)((double)(s->end - pt) * (double)(x - px) /
	    (double)(1 - px));
}

sim_time
scan_skip_idle(const struct scan *s, sim_time t)
{
	size_t i;

	for (i = 0; i < s->nsegs; i++) {
		if (t < s->segs[i].t0)
			return s->segs[i].t0;
		if (t <= s->segs[i].t1)
			return t;
	}
	return t;
}

size_t
scan_event_at(const struct scan *s, sim_time t)
{
	size_t lo = 0, hi = s->nevents;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (s->events[mid].t < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void
fill_bins(struct builder *b)
{
	struct scan *s = b->s;
	size_t i;

	for (i = 0; i < FINE_BINS; i++) {
		sim_time t0, t1;
		float x0, x1;
		size_t b0, b1, k;

		if (b->fine_act[i] == 0 && b->fine_drop[i] == 0)
			continue;
		t0 = (sim_time)i * b->fine_w;
		t1 = t0 + b->fine_w;
		x0 = scan_time_to_x(s, t0);
		x1 = scan_time_to_x(s, t1);
		b0 = (size_t)(x0 * (float)SCAN_BINS);
		b1 = (size_t)(x1 * (float)SCAN_BINS);
		if (b0 >= SCAN_BINS)
			b0 = SCAN_BINS - 1;
		if (b1 >= SCAN_BINS)
			b1 = SCAN_BINS - 1;
		if (b1 < b0)
			b1 = b0;
		/* spread over the bins the fine bucket covers */
		for (k = b0; k <= b1; k++) {
			uint32_t n = (uint32_t)(b1 - b0 + 1);

			s->activity[k] += (b->fine_act[i] + n - 1) / n;
			s->drops[k] += (b->fine_drop[i] + n - 1) / n;
		}
	}
}

int
scan_trace(struct trace_reader *rd, struct scan *s, char *err, size_t errlen)
{
	struct builder b = { 0 };
	struct trace_rec rec;
	int r, ret = -1;
	size_t i;

	memset(s, 0, sizeof(*s));
	b.s = s;
	s->fl = xmalloc(sizeof(*s->fl));
	replay_init(s->fl, 0, 0, 0);
	s->prov_ev = SIZE_MAX;
	s->end = trace_reader_end_time(rd);
	if (s->end < 0)
		s->end = 0;
	b.gap = s->end / 60 > 1000 ? s->end / 60 : 1000;
	b.fine_w = s->end / (sim_time)FINE_BINS + 1;
	b.fine_act = xcalloc(FINE_BINS, sizeof(uint32_t));
	b.fine_drop = xcalloc(FINE_BINS, sizeof(uint32_t));
	note_time(&b, 0);
	while ((r = trace_reader_next(rd, &rec, err, errlen)) == 1) {
		size_t fb;

		s->nrecords++;
		if (rec.t < 0) {
			sim_err(err, errlen, "record %llu has negative time",
			    (unsigned long long)s->nrecords);
			goto out;
		}
		if (trace_type_is_decl(rec.type)) {
			if (topology(s, &rec, err, errlen) < 0)
				goto out;
			continue;
		}
		if (rec.type == TR_KEYFRAME)
			continue;
		if (rec.t > s->end)
			s->end = rec.t;
		note_time(&b, rec.t);
		fb = (size_t)(rec.t / b.fine_w);
		if (fb >= FINE_BINS)
			fb = FINE_BINS - 1;
		b.fine_act[fb]++;
		if (rec.type == TR_PKT_DROP)
			b.fine_drop[fb]++;
		if (rec.type == TR_PKT_TX) {
			sim_time f = rec.u.tx.arrive - rec.t;

			if (f > s->max_flight)
				s->max_flight = f;
			if (rec.u.tx.arrive > s->end)
				s->end = rec.u.tx.arrive;
		} else if (rec.type == TR_PKT_ENQUEUE &&
		    rec.u.enqueue.link < s->nlinks) {
			const struct scan_link *l =
			    &s->links[rec.u.enqueue.link];
			uint64_t rate = l->rate_bps[rec.u.enqueue.dir & 1];

			if (rate > 0) {
				sim_time q = units_tx_time(rec.u.enqueue.qbytes,
				    rate);

				if (q > s->max_queue)
					s->max_queue = q;
			}
		}
		events(s, &rec);
	}
	/* An interrupted run's trace: show what was recorded before the cut. */
	if (r < 0 && trace_reader_at_cut(rd)) {
		s->truncated = true;
		r = 0;
	}
	if (r < 0)
		goto out;
	for (i = 0; i < s->nlinks; i++) {
		struct scan_link *l = &s->links[i];

		if (l->present && (l->node[0] >= s->nnodes ||
		    l->node[1] >= s->nnodes || !s->nodes[l->node[0]].present ||
		    !s->nodes[l->node[1]].present)) {
			sim_err(err, errlen, "link %s joins an unknown node",
			    l->name);
			goto out;
		}
	}
	build_segments(&b);
	fill_bins(&b);
	ret = 0;
out:
	free(b.iv);
	free(b.fine_act);
	free(b.fine_drop);
	if (ret < 0) {
		scan_free(s);
	} else {
		/* only the scan needed the live flows */
		replay_free(s->fl);
		free(s->fl);
		s->fl = NULL;
		free(s->prov_key);
		s->prov_key = NULL;
		provops_pfields_free(s);
	}
	return ret;
}

void
scan_free(struct scan *s)
{
	size_t i;

	for (i = 0; i < s->nnodes; i++) {
		free(s->nodes[i].name);
		free(s->nodes[i].role);
		free(s->nodes[i].region);
	}
	for (i = 0; i < s->nifaces; i++)
		free(s->ifaces[i].name);
	for (i = 0; i < s->nlinks; i++)
		free(s->links[i].name);
	for (i = 0; i < s->nqueues; i++)
		free(s->queues[i].kind);
	free(s->queues);
	for (i = 0; i < s->nevents; i++) {
		free(s->events[i].text);
		free(s->events[i].tag);
	}
	free(s->nodes);
	free(s->ifaces);
	free(s->links);
	free(s->events);
	provops_free(s);
	free(s->segs);
	free(s->prov_key);
	s->prov_key = NULL;
	provops_pfields_free(s);
	if (s->fl != NULL) {
		replay_free(s->fl);
		free(s->fl);
	}
	memset(s, 0, sizeof(*s));
}

void
scan_flow_hist_free(struct scan_flow_hist *h)
{
	free(h->pt);
	memset(h, 0, sizeof(*h));
}

int
scan_flow_history(const char *path, uint32_t id, sim_time end,
    struct scan_flow_hist *h, char *err, size_t errlen)
{
	struct trace_reader *rd;
	struct trace_rec rec;
	bool seen = false;
	char e2[256];
	int r;

	scan_flow_hist_free(h);
	e2[0] = '\0';
	if ((rd = trace_reader_open(path, e2, sizeof(e2))) == NULL)
		return sim_err(err, errlen, "%s: %s", path, e2);
	h->id = id;
	h->t1 = end;
	while ((r = trace_reader_next(rd, &rec, e2, sizeof(e2))) == 1) {
		if (rec.type == TR_FLOW && rec.u.flow.id == id) {
			if (!seen)
				h->t0 = rec.t;
			seen = true;
			if (rec.u.flow.closed) {
				h->t1 = rec.t;
				break;
			}
		} else if (rec.type == TR_FLOW_CWND && rec.u.fcwnd.id == id) {
			if (!seen)
				h->t0 = rec.t;
			seen = true;
			if (h->n == h->cap) {
				h->cap = h->cap ? 2 * h->cap : 256;
				h->pt = xrealloc(h->pt, h->cap * sizeof(*h->pt));
			}
			h->pt[h->n++] = (struct scan_cwnd_pt){ rec.t,
			    rec.u.fcwnd.cwnd, rec.u.fcwnd.ssthresh };
			if (rec.u.fcwnd.cwnd > h->max)
				h->max = rec.u.fcwnd.cwnd;
			if (rec.u.fcwnd.ssthresh != UINT32_MAX &&
			    rec.u.fcwnd.ssthresh > h->max)
				h->max = rec.u.fcwnd.ssthresh;
		}
	}
	/* a cut trace: what was recorded before the cut */
	if (r < 0 && !trace_reader_at_cut(rd)) {
		trace_reader_close(rd);
		scan_flow_hist_free(h);
		return sim_err(err, errlen, "%s: %s", path, e2);
	}
	trace_reader_close(rd);
	/* the span the window changed in, and a little after: a bulk
	 * flow's minutes of TIME_WAIT would flatten its story */
	if (h->n > 0 && h->pt[h->n - 1].t < h->t1)
		h->t1 = h->pt[h->n - 1].t + (h->pt[h->n - 1].t - h->t0) / 20;
	if (h->t1 <= h->t0)
		h->t1 = h->t0 + 1;
	h->valid = true;
	return 0;
}
