/*
 * trace_fmt.c - names and helpers shared by the trace writer, reader and
 * JSON form.
 */
#include <stddef.h>
#include <string.h>

#include "trace_fmt.h"

const uint8_t xct_magic[8] = { 0x89, 'X', 'C', 'T', '\r', '\n', 0x1a, '\n' };
const uint8_t xct_trailer_magic[8] = { 'X', 'C', 'T', 'I', 'N', 'D', 'E',
    'X' };


const char *const trace_drop_name[DROP_MAX] = {
	[DROP_NONE] = "none",
	[DROP_QUEUE_FULL] = "queue_full",
	[DROP_LINK_DOWN] = "link_down",
	[DROP_LOSS] = "loss",
	[DROP_TTL] = "ttl",
	[DROP_NO_ROUTE] = "no_route",
	[DROP_MTU] = "mtu",
	[DROP_MALFORMED] = "malformed",
	[DROP_VLAN] = "vlan",
	[DROP_NO_LISTENER] = "no_listener",
	[DROP_FILTER] = "filter",
	[DROP_POLICER] = "policer",
	[DROP_NOT_ROUTER] = "not_router",
	[DROP_REASSEMBLY] = "reassembly",
	[DROP_BLACKHOLE] = "blackhole",
	[DROP_AQM] = "aqm",
};

const char *const trace_type_name[TR_TYPE_MAX] = {
	[0] = "invalid",
	[TR_NODE] = "node",
	[TR_IFACE] = "iface",
	[TR_LINK] = "link",
	[TR_PKT_ENQUEUE] = "pkt_enqueue",
	[TR_PKT_TX] = "pkt_tx",
	[TR_PKT_RX] = "pkt_rx",
	[TR_PKT_DROP] = "pkt_drop",
	[TR_LINK_STATE] = "link_state",
	[TR_ANNOTATE] = "annotate",
	[TR_APP] = "app",
	[TR_ASSERT] = "assert",
	[TR_SESSION_STATE] = "session_state",
	[TR_ROUTE] = "route",
	[TR_PROV_STATE] = "prov_state",
	[TR_KEYFRAME] = "keyframe",
	[TR_QUEUE] = "queue",
	[TR_QUEUE_DEF] = "queue_def",
	[TR_QUEUE_LEN] = "queue_len",
	[TR_FLOW] = "flow",
	[TR_FLOW_STATE] = "flow_state",
	[TR_FLOW_CWND] = "flow_cwnd",
	[TR_PKT_DATA] = "pkt_data",
	[TR_SESSION_STATS] = "session_stats",
	[TR_PROV_OP] = "prov_op",
};

const char *const trace_proto_name[TRP_MAX] = {
	[0] = "unknown",
	[TRP_TCP] = "tcp",
	[TRP_BGP] = "bgp",
	[TRP_BFD] = "bfd",
	[TRP_IKE] = "ike",
};

const char *const trace_op_outcome_name[TRO_MAX] = {
	[0] = "unknown",
	[TRO_DONE] = "done",
	[TRO_REFUSED] = "refused",
};

size_t
trace_text_len(const char *s)
{
	size_t n = strnlen(s, TRACE_TEXT_MAX + 1);

	if (n > TRACE_TEXT_MAX) {
		n = TRACE_TEXT_MAX;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	return n;
}

uint64_t
trace_fnv1a(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 0xcbf29ce484222325ULL;

	while (n--) {
		h ^= *s++;
		h *= 0x100000001b3ULL;
	}
	return h;
}


/* ---------------------------------------------------------------------- */
/* The record descriptors (docs/trace-format.md, section 4)                */

#define OFF(m)		((uint16_t)offsetof(struct trace_rec, u.m))
#define F(k, kind, m)	{ k, NULL, kind, 0, 0, OFF(m), 0, NULL, 0 }
#define FF(k, kind, m, fl) { k, NULL, kind, fl, 0, OFF(m), 0, NULL, 0 }
#define FP(k, kind, m, n) { k, NULL, kind, TFF_ARR2, n, OFF(m), 0, NULL, 0 }
#define FA(k, kind, m)	{ k, NULL, kind, TFF_ARR2, 0, OFF(m), 0, NULL, 0 }
#define LINKDIR(m)	{ "link", "dir", TF_LINKDIR, 0, 0, OFF(m.link), \
			    OFF(m.dir), NULL, 0 }
#define TREL(k, m, base) { k, NULL, TF_TREL, 0, 0, OFF(m), \
			    (uint16_t)offsetof(struct trace_rec, base), NULL, 0 }
#define ENUM(k, m, tab, n) { k, NULL, TF_ENUM, 0, 0, OFF(m), 0, tab, n }
#define N(a)		((uint8_t)(sizeof(a) / sizeof((a)[0])))

static const struct trace_field f_node[] = {
	F("id", TF_U32, node.id), F("name", TF_STR, node.name),
	F("role", TF_STR, node.role), F("region", TF_STR, node.region),
	F("pos", TF_POS, node.pos),
};
static const struct trace_field f_iface[] = {
	F("node", TF_U32, iface.node), F("ifindex", TF_U32, iface.ifindex),
	F("name", TF_STR, iface.name), F("mac", TF_MAC, iface.mac),
	F("addr", TF_ADDR, iface.addr), F("plen", TF_BYTE, iface.plen),
};
static const struct trace_field f_link[] = {
	F("id", TF_U32, link.id), F("name", TF_STR, link.name),
	FP("node", TF_U32, link.node, 4), FA("ifindex", TF_U32, link.ifindex),
	FA("rate_bps", TF_U64, link.rate_bps), FA("delay", TF_DUR, link.delay),
	F("mtu", TF_U32, link.mtu), F("qlimit_pkts", TF_U32, link.qlimit_pkts),
	F("qlimit_bytes", TF_U64, link.qlimit_bytes),
};
static const struct trace_field f_enqueue[] = {
	F("uid", TF_UID, enqueue.uid), LINKDIR(enqueue),
	F("len", TF_U32, enqueue.len), F("qpkts", TF_U32, enqueue.qpkts),
	F("qbytes", TF_U64, enqueue.qbytes),
};
static const struct trace_field f_tx[] = {
	F("uid", TF_UID, tx.uid), LINKDIR(tx), F("len", TF_U32, tx.len),
	TREL("tx_end", tx.tx_end, t), TREL("arrive", tx.arrive, u.tx.tx_end),
	F("qpkts", TF_U32, tx.qpkts), F("qbytes", TF_U64, tx.qbytes),
	{ "hdr", NULL, TF_HDR, 0, 0, OFF(tx.hdr), OFF(tx.hdr_len), NULL, 0 },
};
static const struct trace_field f_rx[] = {
	F("uid", TF_UID, rx.uid), LINKDIR(rx), F("node", TF_U32, rx.node),
	F("ifindex", TF_U32, rx.ifindex),
};
static const struct trace_field f_drop[] = {
	F("uid", TF_UID, drop.uid), F("node", TF_U32, drop.node),
	ENUM("reason", drop.reason, trace_drop_name, DROP_MAX),
	F("len", TF_U32, drop.len), F("link", TF_OPTID, drop.link),
	FF("dir", TF_DIR, drop.dir, TFF_IFID),
	FF("qpkts", TF_U32, drop.qpkts, TFF_IFID),
	FF("qbytes", TF_U64, drop.qbytes, TFF_IFID),
	FF("detail", TF_STR, drop.detail, TFF_TAIL),
};
static const uint8_t j_drop[] = { 0, 1, 4, 5, 2, 3, 6, 7, 8 };
static const struct trace_field f_link_state[] = {
	F("link", TF_U32, link_state.link), F("up", TF_BOOL, link_state.up),
};
static const struct trace_field f_annotate[] = {
	F("node", TF_OPTID, annotate.node), F("text", TF_TEXT, annotate.text),
};
static const struct trace_field f_app[] = {
	F("node", TF_U32, app.node), F("app", TF_STR, app.app),
	F("seq", TF_U32, app.seq), F("ok", TF_BOOL, app.ok),
	F("rtt", TF_DUR, app.rtt), F("text", TF_TEXT, app.text),
};
static const struct trace_field f_assert[] = {
	F("pass", TF_BOOL, assertion.pass), F("text", TF_TEXT, assertion.text),
};
static const struct trace_field f_session[] = {
	ENUM("proto", session.proto, trace_proto_name, TRP_MAX),
	F("node", TF_U32, session.node), F("peer", TF_STR, session.peer),
	F("state", TF_STR, session.state), F("reason", TF_STR, session.reason),
};
static const struct trace_field f_route[] = {
	F("node", TF_U32, route.node), F("table", TF_STR, route.table),
	F("prefix", TF_ADDR, route.prefix), F("plen", TF_BYTE, route.plen),
	F("withdrawn", TF_BOOL, route.withdrawn),
	F("nexthop", TF_STR, route.nexthop), F("attrs", TF_STR, route.attrs),
};
static const struct trace_field f_prov[] = {
	F("node", TF_U32, prov.node), F("resource", TF_STR, prov.resource),
	F("field", TF_STR, prov.field), F("state", TF_STR, prov.state),
};
static const struct trace_field f_queue[] = {
	LINKDIR(queue), F("qpkts", TF_U32, queue.qpkts),
	F("qbytes", TF_U64, queue.qbytes),
};
static const struct trace_field f_qdef[] = {
	F("queue", TF_U32, qdef.queue), F("link", TF_OPTID, qdef.link),
	FF("dir", TF_DIR, qdef.dir, TFF_IFID), F("kind", TF_STR, qdef.kind),
};
static const struct trace_field f_qlen[] = {
	F("queue", TF_U32, qlen.queue), F("pkts", TF_U32, qlen.pkts),
	F("bytes", TF_U64, qlen.bytes),
};

static const struct trace_field f_flow[] = {
	F("id", TF_U32, flow.id), F("node", TF_U32, flow.node),
	F("ip_proto", TF_BYTE, flow.ip_proto), F("label", TF_STR, flow.label),
	F("closed", TF_BOOL, flow.closed),
};
static const struct trace_field f_fstate[] = {
	F("id", TF_U32, fstate.id), F("state", TF_STR, fstate.state),
	F("reason", TF_STR, fstate.reason),
};
static const struct trace_field f_fcwnd[] = {
	F("id", TF_U32, fcwnd.id), F("cwnd", TF_U32, fcwnd.cwnd),
	F("ssthresh", TF_U32, fcwnd.ssthresh),
};

static const struct trace_field f_data[] = {
	F("uid", TF_UIDREF, data.uid), LINKDIR(data),
	{ "data", NULL, TF_DATA, 0, 0, OFF(data.data), OFF(data.len), NULL,
	    0 },
};
static const struct trace_field f_sstats[] = {
	ENUM("proto", sstats.proto, trace_proto_name, TRP_MAX),
	F("node", TF_U32, sstats.node), F("peer", TF_STR, sstats.peer),
	F("msgs_in", TF_U64, sstats.s.msgs_in),
	F("msgs_out", TF_U64, sstats.s.msgs_out),
	F("updates_in", TF_U64, sstats.s.updates_in),
	F("updates_out", TF_U64, sstats.s.updates_out),
	F("prefixes_in", TF_U64, sstats.s.prefixes_in),
	F("prefixes_out", TF_U64, sstats.s.prefixes_out),
	F("withdrawn_in", TF_U64, sstats.s.withdrawn_in),
	F("withdrawn_out", TF_U64, sstats.s.withdrawn_out),
};

static const struct trace_field f_op[] = {
	F("id", TF_U32, op.id), F("node", TF_OPTID, op.node),
	F("verb", TF_STR, op.verb), F("resource", TF_STR, op.resource),
	F("title", TF_STR, op.title), TREL("end", op.end, t),
	ENUM("outcome", op.outcome, trace_op_outcome_name, TRO_MAX),
	FF("error", TF_TEXT, op.error, TFF_TAIL),
};

#define D(name, timed, role, f) { name, timed, role, N(f), f, NULL, 0, \
	{ 0 }, -1 }

const struct trace_desc trace_desc[TR_TYPE_MAX] = {
	[TR_NODE] = D("node", false, TS_DECL, f_node),
	[TR_IFACE] = D("iface", false, TS_DECL, f_iface),
	[TR_LINK] = D("link", false, TS_DECL, f_link),
	[TR_PKT_ENQUEUE] = D("pkt_enqueue", true, TS_PACKET, f_enqueue),
	[TR_PKT_TX] = D("pkt_tx", true, TS_PACKET, f_tx),
	[TR_PKT_RX] = D("pkt_rx", true, TS_PACKET, f_rx),
	[TR_PKT_DROP] = { "pkt_drop", true, TS_PACKET, N(f_drop), f_drop,
	    j_drop, 0, { 0 }, -1 },
	[TR_LINK_STATE] = D("link_state", true, TS_PACKET, f_link_state),
	[TR_ANNOTATE] = D("annotate", true, TS_EVENT, f_annotate),
	[TR_APP] = D("app", true, TS_EVENT, f_app),
	[TR_ASSERT] = D("assert", true, TS_EVENT, f_assert),
	[TR_SESSION_STATE] = { "session_state", true, TS_KEYED, N(f_session),
	    f_session, NULL, 3, { 0, 1, 2 }, -1 },
	[TR_ROUTE] = { "route", true, TS_KEYED, N(f_route), f_route, NULL, 4,
	    { 0, 1, 2, 3 }, 4 },
	[TR_PROV_STATE] = { "prov_state", true, TS_KEYED, N(f_prov), f_prov,
	    NULL, 3, { 0, 1, 2 }, -1 },
	[TR_KEYFRAME] = { "keyframe", false, TS_EVENT, 0, NULL, NULL, 0,
	    { 0 }, -1 },
	[TR_QUEUE] = D("queue", true, TS_PACKET, f_queue),
	[TR_QUEUE_DEF] = D("queue_def", true, TS_DECL, f_qdef),
	[TR_QUEUE_LEN] = { "queue_len", true, TS_KEYED, N(f_qlen), f_qlen,
	    NULL, 1, { 0 }, -1 },
	/* A flow's declaration is keyed, not topology: flows end, and a
	 * closed one leaves the keyframes (trace_flow_end also forgets its
	 * state and window, which the closing record takes with it). */
	[TR_FLOW] = { "flow", true, TS_KEYED, N(f_flow), f_flow, NULL, 1,
	    { 0 }, 4 },
	[TR_FLOW_STATE] = { "flow_state", true, TS_KEYED, N(f_fstate),
	    f_fstate, NULL, 1, { 0 }, -1 },
	[TR_FLOW_CWND] = { "flow_cwnd", true, TS_KEYED, N(f_fcwnd), f_fcwnd,
	    NULL, 1, { 0 }, -1 },
	/* Belongs to its pkt_tx, as the header bytes do: keyframes restate
	 * packets in flight without their bytes, so this is not state. */
	[TR_PKT_DATA] = D("pkt_data", true, TS_EVENT, f_data),
	[TR_SESSION_STATS] = { "session_stats", true, TS_KEYED, N(f_sstats),
	    f_sstats, NULL, 3, { 0, 1, 2 }, -1 },
	/* The plan knows every operation when the run starts: a viewer
	 * reads them all in its scan, so keyframes need not restate them. */
	[TR_PROV_OP] = D("prov_op", true, TS_EVENT, f_op),
};

int
trace_rec_strs(struct trace_rec *r, const char **f[TRACE_REC_STRS])
{
	const struct trace_desc *d = trace_desc_of(r->type);
	int i, n = 0;

	if (d == NULL)
		return 0;
	for (i = 0; i < d->nfields; i++)
		if (d->f[i].kind == TF_STR || d->f[i].kind == TF_TEXT)
			f[n++] = rec_at(r, d->f[i].off);
	return n;
}

bool
trace_type_is_decl(enum trace_type type)
{
	return is_decl((unsigned)type);
}
