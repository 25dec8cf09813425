/*
 * replay.h - the state of a traced network at the current instant.
 *
 * The replay is fed trace records in time order and keeps what a frame shows:
 * per link whether it is up and each direction's queue occupancy, the packets
 * on the wire (and those recently sent, for utilisation), recent drops,
 * protocol sessions with their counters, route tables (the routes in them now: a withdrawn
 * route leaves its table), provisioning states and the live flows (TCP
 * connections: each one's state and congestion window; a closed flow
 * leaves). It is a pure
 * function of the records it saw: after a seek the player resets it and feeds
 * the keyframe and the records that follow, so seeking gives the same state
 * as playing to the same instant (as long as the seek reaches back far enough
 * for every packet still shown; see scan.h, lookback).
 *
 * Topology records are ignored here: the topology is read once by scan.
 */
#ifndef XCSIM_REPLAY_H
#define XCSIM_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trace.h"

struct replay_pkt {
	uint64_t uid;
	sim_time t;		/* first bit on the wire */
	sim_time tx_end;	/* last bit on the wire */
	sim_time arrive;	/* last bit at the far end */
	sim_time gone;		/* when it left the wire (drop or arrive) */
	uint32_t link;
	uint32_t len;
	uint8_t dir;
	uint8_t cls;		/* enum decode_class */
	bool dropped;
	uint16_t hdr_len;
	uint8_t hdr[TRACE_HDR_MAX];
	/* the whole frame when the trace kept it (pkt_data), owned */
	uint8_t *data;
	uint32_t data_len;
};

/*
 * The packet's frame as far as the trace has it whole: its pkt_data, or
 * its header bytes when they are all of its real bytes (fewer than
 * TRACE_HDR_MAX, or its whole length); else NULL (only the first bytes).
 */
const uint8_t *replay_pkt_whole(const struct replay_pkt *p, size_t *len);

struct replay_drop {
	sim_time t;
	uint64_t uid;
	uint32_t node, link;	/* link UINT32_MAX: at the node */
	uint8_t dir;
	uint8_t reason;		/* enum trace_drop */
	uint32_t len;
};

struct replay_session {
	uint32_t node;
	uint8_t proto;		/* enum trace_proto */
	char *peer, *state, *reason;	/* never NULL ("" before a state) */
	sim_time t_state;	/* when it entered the state */
	bool has_stats;		/* a session_stats record came */
	struct trace_sess_stats st;
};

/* A route in a node's table; a withdrawn one leaves the table. */
struct replay_route {
	uint32_t node;
	bool live;		/* always true (panels.c still tests it) */
	uint32_t prefix;
	uint8_t plen;
	char *table, *nexthop, *attrs;
};

struct replay_prov {		/* a (node, resource, field)'s latest state */
	uint32_t node;
	char *resource, *field, *state;
	sim_time since;		/* when it took that state */
};

struct replay_dir {
	uint32_t qpkts;
	uint64_t qbytes;
};

struct replay_queue {		/* by queue id (TR_QUEUE_LEN) */
	bool known;		/* a length was reported */
	uint32_t pkts;
	uint64_t bytes;
};

/* A live flow: its declaration, latest state and latest window. */
struct replay_flow {
	uint32_t id, node;
	uint8_t ip_proto;
	bool has_cwnd;
	uint32_t cwnd, ssthresh;	/* bytes; ssthresh UINT32_MAX: unset */
	sim_time t_state;		/* when the state was entered */
	char *label, *state, *reason;	/* never NULL */
};

struct replay_link {
	bool up;
	struct replay_dir d[2];
};

struct replay {
	size_t nlinks;
	struct replay_link *links;
	sim_time keep_sent;	/* how long a sent packet stays (utilisation) */
	sim_time keep_drop;	/* how long a drop stays shown */

	struct replay_pkt *pkts;
	size_t npkts, cappkts;
	struct replay_drop *drops;
	size_t ndrops, capdrops;
	struct replay_session *sess;
	size_t nsess, capsess;
	struct replay_route *routes;
	size_t nroutes, caproutes;
	uint32_t *rhash;	/* open addressing: route index + 1, 0 empty */
	size_t rhash_size;
	struct replay_prov *prov;
	size_t nprov, capprov;
	struct replay_queue *queues;
	size_t nqueues;
	struct replay_flow *flows;	/* in no particular order */
	size_t nflows, capflows;
	uint32_t *fhash;	/* open addressing: flow index + 1, 0 empty */
	size_t fhash_size;
};

void replay_init(struct replay *rp, size_t nlinks, sim_time keep_sent,
    sim_time keep_drop);
void replay_free(struct replay *rp);
/* Forget all dynamic state (before feeding a keyframe). */
void replay_reset(struct replay *rp);
/* Apply one record. Records about unknown links are ignored. */
void replay_apply(struct replay *rp, const struct trace_rec *rec);
/* The live flow id, or NULL. */
const struct replay_flow *replay_flow(const struct replay *rp, uint32_t id);
/*
 * The live flow after (dir > 0) or before (dir < 0) id in id order, among
 * those of node (SCENE_NONE-like UINT32_MAX: any node), wrapping around; id
 * UINT32_MAX starts from either end. UINT32_MAX when there is none.
 */
uint32_t replay_flow_step(const struct replay *rp, uint32_t id,
    uint32_t node, int dir);
/* The session (proto, node, peer), or NULL. */
const struct replay_session *replay_session(const struct replay *rp,
    uint8_t proto, uint32_t node, const char *peer);
/* Drop what is no longer shown at time now. Order is kept. */
void replay_prune(struct replay *rp, sim_time now);

#endif
