/*
 * trace.h - the xcsim trace (.xct): writer and reader.
 *
 * A trace is everything a replay needs, with no reference to the scenario or
 * the models: the topology (nodes with roles, interfaces, links with their
 * parameters), every packet hop (enqueue, transmit, receive, drop with its
 * reason) keyed by the packet uid, link state changes, annotations, and record
 * types for protocol sessions, route changes and provisioning states. The
 * byte format is specified in docs/trace-format.md and versioned.
 *
 * The writer streams with bounded memory: records go through a fixed buffer
 * to a temporary file that is renamed to its final name by trace_close(), so
 * a crash never leaves a half-written trace under the real name. Keyframes
 * (the state of every link, session and route at an instant) are written
 * periodically and an index of them closes the file, so a reader seeks to the
 * keyframe at or before any instant and replays only the records after it.
 * Keyframes restate keyed state (routes, sessions, ...) as deltas against a
 * base keyframe (docs/trace-format.md, section 6), so a million-route table
 * costs O(log keyframes) restatements, not one per keyframe.
 *
 * The writer never knows what a node is: ids are the caller's (dense, from 0).
 * A NULL struct trace * is valid for every trace_ write call and does nothing,
 * so models call them unconditionally.
 *
 * The writer and reader are sim/trace_*.c: trace_fmt.c describes each record
 * type once (its fields and how each is encoded), and that table drives the
 * encoder, the decoder, the JSON form and the keyframe state.
 *
 * Timed records must be written in non-decreasing time order (the kernel's
 * clock never goes back); the writer asserts it. Queue occupancy is tracked
 * by the writer: TR_PKT_TX and TR_PKT_DROP records carry the occupancy of
 * their (link, dir) queue after the event, so a replay only ever keeps the
 * latest (qpkts, qbytes) it saw for a queue. Byte counts of queues (qbytes,
 * qlimit_bytes, queue_len's bytes) are 64-bit, as the link's are.
 */
#ifndef XCSIM_TRACE_H
#define XCSIM_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "units.h"

/* 2: keyframes restate keyed state (routes, sessions, ...) as deltas from a
 * base keyframe. 2.0 keeps 1.1's drop detail, queue_def and queue_len; 2.1
 * adds the flow records (flow, flow_state, flow_cwnd); 2.2 the whole
 * frames of control-plane packets (pkt_data) and session counters
 * (session_stats); 2.3 the operations of a provisioning timeline
 * (prov_op). */
#define TRACE_VERSION 2u
#define TRACE_VERSION_MINOR 3u
/* Bytes of each transmitted frame (from the Ethernet header) kept per hop. */
#define TRACE_HDR_MAX 96u
/* Bytes of a frame kept whole (pkt_data): the rest of a longer one is cut. */
#define TRACE_DATA_MAX 16384u
#define TRACE_TEXT_MAX 255u
/* "No node" / "no link" in the optional id fields (drop.link, annotate.node). */
#define TRACE_NO_ID UINT32_MAX

enum trace_drop {
	DROP_NONE = 0,
	DROP_QUEUE_FULL,	/* egress queue limit (packets or bytes) */
	DROP_LINK_DOWN,		/* sent on, queued on, or in flight on a down link */
	DROP_LOSS,		/* the link's loss model */
	DROP_TTL,		/* TTL expired in transit */
	DROP_NO_ROUTE,		/* no FIB entry for the destination */
	DROP_MTU,		/* larger than the egress MTU with DF set */
	DROP_MALFORMED,		/* failed parsing or a checksum at the receiver */
	DROP_VLAN,		/* VLAN tags do not match the interface */
	DROP_NO_LISTENER,	/* no application on the destination port */
	DROP_FILTER,		/* an interface filter hook: NSG, security list */
	DROP_POLICER,		/* a policer's non-conforming frame */
	DROP_NOT_ROUTER,	/* not for this host, and hosts do not forward */
	DROP_REASSEMBLY,	/* fragments never completed, or refused */
	DROP_BLACKHOLE,		/* a route's next hop discards (RIB_IF_DROP) */
	DROP_AQM,		/* an AQM queue's choice: RED early, CoDel */
	DROP_MAX
};
extern const char *const trace_drop_name[DROP_MAX];

enum trace_type {
	TR_NODE = 1,		/* topology: a node */
	TR_IFACE,		/* topology: an interface of a node */
	TR_LINK,		/* topology: a full-duplex link between two ifaces */
	TR_PKT_ENQUEUE,		/* a packet entered an egress queue */
	TR_PKT_TX,		/* first bit on the wire; carries header bytes */
	TR_PKT_RX,		/* last bit arrived at the far interface */
	TR_PKT_DROP,		/* a packet died, with the reason */
	TR_LINK_STATE,		/* a link went up or down */
	TR_ANNOTATE,		/* free text attached to a node (or to none) */
	TR_APP,			/* an application result, e.g. one ping probe */
	TR_ASSERT,		/* a scenario assertion and its outcome */
	/* Reserved for the protocol and cloud models; layout documented. */
	TR_SESSION_STATE,	/* TCP, BGP, BFD, IKE session state change */
	TR_ROUTE,		/* route added / changed / withdrawn in a table */
	TR_PROV_STATE,		/* provisioning state of a cloud resource */
	TR_KEYFRAME,		/* marker before a keyframe's state (seek only) */
	TR_QUEUE,		/* occupancy of one egress queue (keyframes) */
	TR_QUEUE_DEF,		/* a queue's identity: id, (link, dir), kind */
	TR_QUEUE_LEN,		/* occupancy of a queue, by queue id */
	/* 2.1: transport flows (a TCP connection, ...), keyed by flow id */
	TR_FLOW,		/* a flow's declaration, or its end (closed) */
	TR_FLOW_STATE,		/* a flow's connection state and why */
	TR_FLOW_CWND,		/* a flow's congestion window and ssthresh */
	/* 2.2 */
	TR_PKT_DATA,		/* the whole frame of the pkt_tx before it */
	TR_SESSION_STATS,	/* a session's message counters */
	/* 2.3 */
	TR_PROV_OP,		/* an operation on a cloud resource: its span */
	TR_TYPE_MAX
};
extern const char *const trace_type_name[TR_TYPE_MAX];

enum trace_proto {		/* session protocols for TR_SESSION_STATE */
	TRP_TCP = 1, TRP_BGP, TRP_BFD, TRP_IKE, TRP_MAX
};
extern const char *const trace_proto_name[TRP_MAX];

enum trace_op_outcome {		/* how a TR_PROV_OP ended */
	TRO_DONE = 1,		/* it completed at its end */
	TRO_REFUSED,		/* the cloud refused it, at its end */
	TRO_MAX
};
extern const char *const trace_op_outcome_name[TRO_MAX];

/*
 * A session's counters since the model started it (TR_SESSION_STATS), as
 * the protocol counts them on the wire. BGP: messages of every type,
 * UPDATEs, prefixes announced (NLRI) and withdrawn, each way.
 */
struct trace_sess_stats {
	uint64_t msgs_in, msgs_out;
	uint64_t updates_in, updates_out;
	uint64_t prefixes_in, prefixes_out;
	uint64_t withdrawn_in, withdrawn_out;
};

/* A decoded record, as the reader returns it. Strings point into the
 * reader's storage and stay valid until the next trace_reader_next(). */
struct trace_rec {
	enum trace_type type;
	sim_time t;
	union {
		struct { uint32_t id; const char *name; const char *role;
			const char *region; int32_t pos[2]; } node;
			/* pos: layout override in permille of the
			 * canvas (x, y), TRACE_POS_AUTO when absent */
		struct { uint32_t node, ifindex; const char *name;
			uint8_t mac[6]; uint32_t addr; uint8_t plen; } iface;
		struct { uint32_t id; const char *name;
			uint32_t node[2], ifindex[2];
			uint64_t rate_bps[2]; sim_time delay[2];
			uint32_t mtu; uint32_t qlimit_pkts;
			uint64_t qlimit_bytes; } link;
		struct { uint64_t uid; uint32_t link; uint8_t dir;
			uint32_t len; uint32_t qpkts; uint64_t qbytes; } enqueue;
		struct { uint64_t uid; uint32_t link; uint8_t dir;
			uint32_t len; sim_time tx_end, arrive;
			uint32_t qpkts;	/* queue after dequeue */
			uint64_t qbytes;
			uint16_t hdr_len; const uint8_t *hdr; } tx;
			/* hdr_len is 0 in a keyframe's copy of a packet
			 * in flight: the bytes are in the original TX. */
		struct { uint64_t uid; uint32_t link; uint8_t dir;
			uint32_t node, ifindex; } rx;
		struct { uint64_t uid; uint32_t node; uint32_t link;
			uint8_t dir; enum trace_drop reason;
			/* bytes of the IPv4 datagram (header + payload; no
			 * Ethernet header, tags or padding) at every drop
			 * site; a frame with no IPv4 header: all of it */
			uint32_t len;
			uint32_t qpkts; uint64_t qbytes;
			const char *detail; } drop;
			/* link = TRACE_NO_ID when not on a link; then dir
			 * and the queue fields are 0. detail: which rule
			 * or limit dropped it (an NSG rule), or NULL */
		struct { uint32_t link; bool up; } link_state;
		struct { uint32_t node; const char *text; } annotate;
			/* node = TRACE_NO_ID: attached to no node */
		struct { uint32_t node; const char *app; uint32_t seq;
			bool ok; sim_time rtt; const char *text; } app;
		struct { bool pass; const char *text; } assertion;
		struct { enum trace_proto proto; uint32_t node;
			const char *peer; const char *state;
			const char *reason; } session;
		struct { uint32_t node; const char *table; uint32_t prefix;
			uint8_t plen; bool withdrawn; const char *nexthop;
			const char *attrs; } route;
		struct { uint32_t node; const char *resource;
			const char *field; const char *state; } prov;
		struct { uint32_t link; uint8_t dir;
			uint32_t qpkts; uint64_t qbytes; } queue;
		struct { uint32_t queue; uint32_t link; uint8_t dir;
			const char *kind; } qdef;
			/* link = TRACE_NO_ID: attached to no link; dir 0 */
		struct { uint32_t queue; uint32_t pkts;
			uint64_t bytes; } qlen;
		struct { uint32_t id; uint32_t node; uint8_t ip_proto;
			const char *label; bool closed; } flow;
			/* closed: the flow is gone, with its state and
			 * window; the other fields repeat its declaration */
		struct { uint32_t id; const char *state;
			const char *reason; } fstate;
		struct { uint32_t id; uint32_t cwnd;
			uint32_t ssthresh; } fcwnd;
			/* bytes; ssthresh UINT32_MAX: not set yet */
		struct { uint64_t uid; uint32_t link; uint8_t dir;
			uint32_t len; const uint8_t *data; } data;
			/* the frame of the pkt_tx of (uid, link, dir),
			 * from its Ethernet header, len bytes */
		struct { enum trace_proto proto; uint32_t node;
			const char *peer; struct trace_sess_stats s; } sstats;
		struct { uint32_t id; uint32_t node; const char *verb;
			const char *resource; const char *title;
			sim_time end; enum trace_op_outcome outcome;
			const char *error; } op;
			/* t is its start, end >= t its completion (or
			 * refusal); node: the resource's first tile, or
			 * TRACE_NO_ID; error NULL unless refused */
	} u;
};

struct trace;
struct outdir;

/*
 * Open a trace for writing at path (via "path.tmp", created by sim/outfile:
 * never through a symlink, never over an existing file). keyframe_every is the
 * simulated time between keyframes (0 picks a default). Returns NULL and
 * fills err on failure.
 */
struct trace *trace_open(const char *path, sim_time keyframe_every,
    char *err, size_t errlen);
/*
 * The same for rel under an output directory: trace_close then leaves the
 * rename to outdir_finish, with the run's other outputs.
 */
struct trace *trace_open_at(struct outdir *d, const char *rel,
    sim_time keyframe_every, char *err, size_t errlen);
/*
 * Flush, write the index, fsync, rename to the final name and free. Returns 0,
 * or -1 with err set when any write failed (ENOSPC, EFBIG, ...): then the
 * temporary file is removed and nothing appears under path.
 */
int trace_close(struct trace *tr, char *err, size_t errlen);
/* Remove the temporary file and free: for runs that fail. */
void trace_abort(struct trace *tr);
/*
 * Bytes the writer holds on the heap: the output buffer, the packet map
 * (bounded by packets queued or in flight), the link table and the latest
 * record per session, route, provisioning and queue key (bounded by the
 * tables, plus withdrawn routes until the next full keyframe). Independent
 * of the number of records and of keyframes.
 */
size_t trace_mem_bytes(const struct trace *tr);

/*
 * Which packet records the trace keeps (record.packets): every hop
 * (TRACE_PKT_ALL; with sample > 1, the hops of one packet in sample, chosen
 * by its uid, so the same ones every run, and every drop), the drops only
 * (TRACE_PKT_DROPS), or no packet record at all (TRACE_PKT_NONE). What is
 * left out is still followed: keyframes restate the queues, and with any
 * level but every hop the writer adds a `queue` record of each (link, dir)
 * whose occupancy changed after each keyframe, so a replay's queues are
 * sampled at the keyframe interval; `queue_len` records then appear in
 * keyframes only. Sets the header's TRACE_FLAG_PKT_* bit and writes an
 * annotation saying what was left out. Call it before the first timed
 * record (once); TRACE_PKT_ALL with sample <= 1 changes nothing.
 */
enum trace_pkt_level {
	TRACE_PKT_ALL = 0, TRACE_PKT_DROPS, TRACE_PKT_NONE, TRACE_PKT_MAX
};
extern const char *const trace_pkt_level_name[TRACE_PKT_MAX];
void trace_set_packets(struct trace *tr, enum trace_pkt_level lvl,
    uint32_t sample);
/* Optional header flags (docs/trace-format.md section 3). */
#define TRACE_FLAG_PKT_SAMPLED	0x1u	/* hops of 1 packet in N */
#define TRACE_FLAG_PKT_DROPS	0x2u	/* drops only */
#define TRACE_FLAG_PKT_NONE	0x4u	/* no packet records */

#define TRACE_POS_AUTO INT32_MIN
void trace_node(struct trace *tr, uint32_t id, const char *name,
    const char *role, const char *region, const int32_t pos[2]);
void trace_iface(struct trace *tr, uint32_t node, uint32_t ifindex,
    const char *name, const uint8_t mac[6], uint32_t addr, uint8_t plen);
void trace_link(struct trace *tr, uint32_t id, const char *name,
    const uint32_t node[2], const uint32_t ifindex[2],
    const uint64_t rate_bps[2], const sim_time delay[2], uint32_t mtu,
    uint32_t qlimit_pkts, uint64_t qlimit_bytes);

/*
 * Packet hops. dir is 0 (node[0] -> node[1]) or 1; t <= tx_end <= arrive;
 * RX is written at arrive. qpkts/qbytes of enqueue: the queue after the
 * packet joined it. Per call: no allocation beyond amortised growth of the
 * map of packets queued or in flight, no I/O beyond a full 64 KiB buffer.
 */
void trace_enqueue(struct trace *tr, sim_time t, uint64_t uid, uint32_t link,
    uint8_t dir, uint32_t len, uint32_t qpkts, uint64_t qbytes);
void trace_tx(struct trace *tr, sim_time t, uint64_t uid, uint32_t link,
    uint8_t dir, uint32_t len, sim_time tx_end, sim_time arrive,
    const uint8_t *hdr, uint16_t hdr_len);
/*
 * The whole frame of a packet trace_tx has just recorded (same t, uid, link
 * and dir): a pkt_data record, for the control-plane packets the network
 * keeps whole (net_trace_keep_whole), when the frame is longer than the
 * pkt_tx's TRACE_HDR_MAX bytes (a shorter one is whole there already).
 * len above TRACE_DATA_MAX is cut.
 */
void trace_tx_data(struct trace *tr, sim_time t, uint64_t uid,
    uint32_t link, uint8_t dir, const uint8_t *frame, uint32_t len);
void trace_rx(struct trace *tr, sim_time t, uint64_t uid, uint32_t link,
    uint8_t dir, uint32_t node, uint32_t ifindex);
void trace_drop(struct trace *tr, sim_time t, uint64_t uid, uint32_t node,
    uint32_t link, uint8_t dir, enum trace_drop reason, uint32_t len);
/*
 * trace_drop with the words of whoever dropped it, e.g. the NSG rule
 * "deny-ssh (priority 100)"; detail NULL is exactly trace_drop.
 */
void trace_drop_detail(struct trace *tr, sim_time t, uint64_t uid,
    uint32_t node, uint32_t link, uint8_t dir, enum trace_drop reason,
    uint32_t len, const char *detail);
/*
 * Queues with an identity of their own, so a queue that is not a link's
 * transmitter queue (a shaper in front of it) can be drawn. queue_id is the
 * caller's, dense from 0. trace_queue declares it: the (link, dir) it sits
 * on (link TRACE_NO_ID for none) and its kind ("droptail", "shaper",
 * "policer"); like a node it may come before or after the first timed
 * record. trace_queue_len reports its occupancy after a change; keyframes
 * restate the latest one per queue. The (link, dir) occupancy carried by
 * ENQUEUE / TX / DROP records is unchanged by these.
 */
void trace_queue(struct trace *tr, uint32_t queue_id, uint32_t link,
    uint8_t dir, const char *kind);
void trace_queue_len(struct trace *tr, sim_time t, uint32_t queue_id,
    uint32_t pkts, uint64_t bytes);
void trace_link_state(struct trace *tr, sim_time t, uint32_t link, bool up);
void trace_annotate(struct trace *tr, sim_time t, uint32_t node,
    const char *text);
void trace_app(struct trace *tr, sim_time t, uint32_t node, const char *app,
    uint32_t seq, bool ok, sim_time rtt, const char *text);
void trace_assert(struct trace *tr, sim_time t, bool pass, const char *text);
void trace_session(struct trace *tr, sim_time t, enum trace_proto proto,
    uint32_t node, const char *peer, const char *state, const char *reason);
/*
 * A session's counters after a change (keyed like trace_session, restated
 * by keyframes, so a viewer has them exactly at any instant it seeks to).
 * trace_session_stats_last gives the latest written for the key: true, or
 * false (s zeroed) when there is none, so a model that counts messages as
 * it traces them keeps no counters of its own.
 */
void trace_session_stats(struct trace *tr, sim_time t, enum trace_proto proto,
    uint32_t node, const char *peer, const struct trace_sess_stats *s);
bool trace_session_stats_last(struct trace *tr, enum trace_proto proto,
    uint32_t node, const char *peer, struct trace_sess_stats *s);
void trace_route(struct trace *tr, sim_time t, uint32_t node,
    const char *table, uint32_t prefix, uint8_t plen, bool withdrawn,
    const char *nexthop, const char *attrs);
/*
 * Whether the latest route written for (node, table, prefix, plen), not
 * withdrawn, has exactly this nexthop and attrs (each compared as the
 * writer keeps it, cut at TRACE_TEXT_MAX): a model that hears the same
 * decision again writes nothing.
 */
bool trace_route_is(struct trace *tr, uint32_t node, const char *table,
    uint32_t prefix, uint8_t plen, const char *nexthop, const char *attrs);
void trace_prov(struct trace *tr, sim_time t, uint32_t node,
    const char *resource, const char *field, const char *state);
/*
 * An operation of a provisioning timeline, written at its start t: its id
 * (the caller's, unique per run), the verb ("create"), the resource's
 * identity and its title in words, when it completes (end >= t) and how
 * (error: the cloud's words when refused, else NULL). An event, not keyed
 * state: the whole timeline's operations are known up front, so a viewer
 * reads them in its scan of the trace, not from keyframes.
 */
void trace_prov_op(struct trace *tr, sim_time t, uint32_t id, uint32_t node,
    const char *verb, const char *resource, const char *title,
    sim_time end, enum trace_op_outcome outcome, const char *error);

/*
 * Flows: a transport connection (TCP is the first user) seen from one end,
 * named by the caller's flow_id (unique per run). trace_flow declares it:
 * the node it lives on, its IP protocol and a label ("10.1.0.4:50001>
 * 10.2.0.5:1521 cubic"), at the time of the latest timed record, like
 * trace_queue; trace_flow_at gives the time. Its state ("ESTABLISHED",
 * with the reason of the change) and its congestion window and ssthresh
 * in bytes are the latest records of each; trace_flow_end says it is gone
 * (its state and window with it; so declare a flow before its state or
 * window, as a reader drops them with the declaration). Unlike the
 * topology, flows come and go: keyframes restate the live ones only (keyed
 * state, section 6 of docs/trace-format.md), so a run of a million short
 * connections does not make every keyframe a million records long, and a
 * flow opened and closed between two keyframes leaves nothing behind in
 * the writer.
 */
void trace_flow(struct trace *tr, uint32_t flow_id, uint32_t node,
    uint8_t ip_proto, const char *label);
void trace_flow_at(struct trace *tr, sim_time t, uint32_t flow_id,
    uint32_t node, uint8_t ip_proto, const char *label);
void trace_flow_state(struct trace *tr, sim_time t, uint32_t flow_id,
    const char *state, const char *reason);
void trace_flow_cwnd(struct trace *tr, sim_time t, uint32_t flow_id,
    uint32_t cwnd, uint32_t ssthresh);
void trace_flow_end(struct trace *tr, sim_time t, uint32_t flow_id);
/*
 * The latest cwnd and ssthresh written for flow_id and not ended: true and
 * *cwnd, *ssthresh set, else false. The writer keeps them for its keyframes
 * anyway, so a caller that bounds its cwnd records (one MSS of change) needs
 * no state of its own.
 */
bool trace_flow_cwnd_last(struct trace *tr, uint32_t flow_id,
    uint32_t *cwnd, uint32_t *ssthresh);

/* Reader. */
struct trace_reader;

/*
 * Opens and validates the header and the index. NULL + err on failure. A
 * trace without a valid index (the writer never finished) still opens: its
 * records are scanned once to find the keyframes, err receives a warning
 * and trace_reader_truncated() is true; sequential reading then ends in -1
 * with an error saying where the trace was cut. err never names path: the
 * caller prefixes it, as for every other reader error.
 */
struct trace_reader *trace_reader_open(const char *path, char *err,
    size_t errlen);
void trace_reader_close(struct trace_reader *rd);
/*
 * Next record in file order. Returns 1 with *rec filled, 0 at the end, -1 on
 * a corrupt or truncated file (err says where and what).
 */
int trace_reader_next(struct trace_reader *rd, struct trace_rec *rec,
    char *err, size_t errlen);
/*
 * Position the reader so that the following trace_reader_next() calls return
 * every record a replay needs to show the instant t: the topology, a keyframe
 * at or before t, and the records after it. Returns 0 or -1.
 *
 * Concretely: the topology records of the file's start, then a TR_KEYFRAME
 * marker (t = the keyframe's time; the replay clears its state here), then
 * the keyed records (TR_SESSION_STATE, TR_ROUTE, TR_PROV_STATE, TR_QUEUE_LEN,
 * TR_FLOW, TR_FLOW_STATE, TR_FLOW_CWND, TR_SESSION_STATS)
 * of the keyframe's chain of bases, oldest first, then the keyframe's state
 * as ordinary records (late topology, TR_LINK_STATE of every link, TR_PKT_TX
 * of every packet in flight, TR_QUEUE of every queue, the keyed records that
 * changed since its base), then the records that follow the keyframe in the
 * file. A key may come more than once: the latest counts. When t is before
 * the first keyframe, the reader just restarts from the beginning (no
 * marker). Sequential reading never returns markers nor keyframe state.
 */
int trace_reader_seek(struct trace_reader *rd, sim_time t, char *err,
    size_t errlen);
/* Time of the last record (from the index, or the scan of a cut trace). */
sim_time trace_reader_end_time(const struct trace_reader *rd);
uint32_t trace_reader_version(const struct trace_reader *rd);
/* The header's flags (TRACE_FLAG_*: what the writer left out). */
uint32_t trace_reader_flags(const struct trace_reader *rd);
bool trace_reader_truncated(const struct trace_reader *rd);
/*
 * True when the last trace_reader_next() returned -1 only because it reached
 * the end of the whole records of a truncated trace: everything before the
 * cut has been returned and is sound. A viewer treats that as the end of
 * the trace; trace dump still reports it.
 */
bool trace_reader_at_cut(const struct trace_reader *rd);
/* Records a sequential read returns (topology and timed; from the index). */
uint64_t trace_reader_record_count(const struct trace_reader *rd);

/*
 * The string fields of rec, so a caller that keeps a record beyond the next
 * read (the viewer holding one back) copies them without per-type code.
 * Returns how many; *f[i] is each field (NULL when the string is absent).
 * TR_PKT_TX's hdr and TR_PKT_DATA's data bytes are not strings: copy
 * them separately.
 */
#define TRACE_REC_STRS 4
int trace_rec_strs(struct trace_rec *rec, const char **f[TRACE_REC_STRS]);
/*
 * Declarations (the topology, queue ids): they describe what exists rather
 * than something that happened, so a viewer takes them whenever they come.
 */
bool trace_type_is_decl(enum trace_type type);

/*
 * Write rec as one line of JSON (no newline) to buf, always NUL-terminated
 * when len > 0. Returns the length of the whole line, like snprintf: a
 * value >= len means buf was too small and the line was cut.
 */
size_t trace_rec_json(const struct trace_rec *rec, char *buf, size_t len);

#endif
