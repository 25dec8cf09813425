/*
 * bgp_trace.c - a speaker's Loc-RIB and message counters in the trace
 * (bgp_trace.h). It keeps no state of its own: a route record says what
 * the Loc-RIB decided at every decision of the prefix (a listener of
 * every decision, so a new runner-up that changes no best still updates
 * why the best won), and the counters are the writer's last record of the
 * session plus one message.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "bgp_msg.h"
#include "bgp_speaker_int.h"
#include "bgp_trace.h"
#include "net.h"
#include "trace.h"
#include "wire.h"

static const char *const origin_name[3] = { "IGP", "EGP", "incomplete" };

/* Append to buf (at most len bytes with the NUL) without overrunning. */
static void
cat(char *buf, size_t len, size_t *at, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*at + 1 >= len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *at, len - *at, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	*at += (size_t)n < len - *at ? (size_t)n : len - *at - 1;
}

const char *
bgp_trace_table(uint32_t vrf, char *buf, size_t len)
{
	if (vrf == 0)
		snprintf(buf, len, "bgp");
	else
		snprintf(buf, len, "bgp/%u", vrf);
	return buf;
}

char *
bgp_trace_nexthop(const struct bgp_change *c, char *buf, size_t len)
{
	char a[16];
	size_t at = 0;
	unsigned i;

	buf[0] = '\0';
	for (i = 0; i < c->n_paths; i++) {
		if (c->paths[i].peer == BGP_PEER_LOCAL)
			snprintf(a, sizeof(a), "self");
		else
			wire_ip_str(c->paths[i].a->next_hop, a);
		cat(buf, len, &at, "%s%s", i ? "," : "", a);
	}
	return buf;
}

static void
comm_cat(char *buf, size_t len, size_t *at, uint32_t c)
{
	switch (c) {
	case BGP_COMM_NO_EXPORT:
		cat(buf, len, at, " no-export");
		break;
	case BGP_COMM_NO_ADVERTISE:
		cat(buf, len, at, " no-advertise");
		break;
	case BGP_COMM_NO_EXPORT_SUBCONFED:
		cat(buf, len, at, " no-export-subconfed");
		break;
	default:
		cat(buf, len, at, " %u:%u", c >> 16, c & 0xffff);
	}
}

/* Why the best won over the runner-up, from the decision's explanation. */
static void
why_cat(struct bgp_rib *br, const struct bgp_change *c, char *buf,
    size_t len, size_t *at)
{
	struct bgp_explain ex;
	const struct bgp_explain_route *r;
	const struct bgp_peer_info *pi;
	char a[16];

	if (bgp_rib_explain(br, c->prefix, c->len, &ex) != 0 || ex.n < 2) {
		if (ex.r != NULL)
			bgp_explain_free(&ex);
		cat(buf, len, at, "; best: only route");
		return;
	}
	r = &ex.r[1];
	pi = bgp_rib_peer(br, r->r.peer);
	if (r->r.peer == BGP_PEER_LOCAL || pi == NULL)
		snprintf(a, sizeof(a), "local");
	else
		wire_ip_str(pi->addr, a);
	cat(buf, len, at, "; best by %s over %s: %s",
	    bgp_rule_name[r->rule < BGP_RULE_MAX ? r->rule : 0], a, r->why);
	bgp_explain_free(&ex);
}

char *
bgp_trace_attrs(struct bgp_rib *br, const struct bgp_change *c, char *buf,
    size_t len)
{
	const struct bgp_route *best = &c->paths[0];
	const struct bgp_attrs *ia = best->a;
	const struct bgp_peer_info *pi = bgp_rib_peer(br, best->peer);
	struct bgp_attrs_var v;
	char path[200], a[16];
	size_t at = 0;
	unsigned i;

	buf[0] = '\0';
	if (best->peer == BGP_PEER_LOCAL || pi == NULL) {
		cat(buf, len, &at, "from local");
	} else {
		wire_ip_str(pi->addr, a);
		cat(buf, len, &at, "from %s AS %u", a, pi->asn);
	}
	bgp_path_str(ia->v, ia->path_len, path, sizeof(path));
	cat(buf, len, &at, "; path %s", path[0] != '\0' ? path : "(empty)");
	if (ia->has & BGP_HAS(BGP_ATTR_ORIGIN))
		cat(buf, len, &at, "; origin %s",
		    origin_name[ia->origin < 3 ? ia->origin : 2]);
	if (ia->has & BGP_HAS(BGP_ATTR_MED))
		cat(buf, len, &at, "; med %u", ia->med);
	if (ia->has & BGP_HAS(BGP_ATTR_LOCAL_PREF))
		cat(buf, len, &at, "; lp %u", ia->local_pref);
	bgp_attrs_var(ia, &v);
	if (v.n_comm > 0) {
		cat(buf, len, &at, "; comm");
		for (i = 0; i < v.n_comm; i++)
			comm_cat(buf, len, &at, v.comm[i]);
	}
	if (v.n_lcomm > 0) {
		cat(buf, len, &at, "; lcomm");
		for (i = 0; i < v.n_lcomm; i++)
			cat(buf, len, &at, " %u:%u:%u", v.lcomm[3 * i],
			    v.lcomm[3 * i + 1], v.lcomm[3 * i + 2]);
	}
	if (c->n_paths > 1)
		cat(buf, len, &at, "; paths %u", c->n_paths);
	why_cat(br, c, buf, len, &at);
	return buf;
}

static void
route_record(struct bgp_speaker *sp, struct bgp_rib *br,
    const struct bgp_change *c)
{
	struct trace *tr = net_trace(node_net(sp->node));
	char table[24], nh[128], attrs[TRACE_TEXT_MAX + 1];

	/* the trace was taken off the net (a run being torn down) */
	if (tr == NULL)
		return;
	bgp_trace_table(sp->cfg.vrf, table, sizeof(table));
	if (c->n_paths == 0) {
		trace_route(tr, sim_now(sp->sim), node_id(sp->node), table,
		    c->prefix, c->len, true, NULL, NULL);
		return;
	}
	bgp_trace_nexthop(c, nh, sizeof(nh));
	bgp_trace_attrs(br, c, attrs, sizeof(attrs));
	/* a decision that changed nothing shown (every one is heard) */
	if (trace_route_is(tr, node_id(sp->node), table, c->prefix, c->len,
	    nh, attrs))
		return;
	trace_route(tr, sim_now(sp->sim), node_id(sp->node), table,
	    c->prefix, c->len, false, nh, attrs);
}

static void
on_change(struct bgp_rib *br, const struct bgp_change *c, void *ctx)
{
	route_record(ctx, br, c);
}

static void
on_walk(const struct bgp_change *c, void *ctx)
{
	struct bgp_speaker *sp = ctx;

	route_record(sp, sp->rib, c);
}

void
bgp_trace_attach(struct bgp_speaker *sp)
{
	struct net *net = node_net(sp->node);

	if (net_trace(net) == NULL)
		return;
	(void)net_trace_keep_whole(net, WIRE_IPPROTO_TCP, BGP_PORT);
	bgp_rib_walk(sp->rib, on_walk, sp);
	bgp_rib_add_listener_all(sp->rib, on_change, sp);
}

void
bgp_trace_count(struct bgp_speaker *sp, uint32_t peer, bool out,
    const struct bgp_msg *m)
{
	struct trace *tr = net_trace(node_net(sp->node));
	struct trace_sess_stats s;
	const struct bgp_update *u;
	uint64_t ann = 0, wd = 0;
	char a[16];

	if (tr == NULL)
		return;
	wire_ip_str(peer, a);
	trace_session_stats_last(tr, TRP_BGP, node_id(sp->node), a, &s);
	if (m != NULL && m->type == BGP_UPDATE) {
		u = &m->u.update;
		ann = (uint64_t)u->n_nlri + u->n_mp_nlri;
		wd = (uint64_t)u->n_withdrawn + u->n_mp_withdrawn;
	}
	if (out) {
		s.msgs_out++;
		s.updates_out += m != NULL && m->type == BGP_UPDATE;
		s.prefixes_out += ann;
		s.withdrawn_out += wd;
	} else {
		s.msgs_in++;
		s.updates_in += m != NULL && m->type == BGP_UPDATE;
		s.prefixes_in += ann;
		s.withdrawn_in += wd;
	}
	trace_session_stats(tr, sim_now(sp->sim), TRP_BGP, node_id(sp->node),
	    a, &s);
}
