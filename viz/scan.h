/*
 * scan.h - one pass over a whole trace before replaying it.
 *
 * The scan reads the topology, the list of notable events (link changes,
 * sessions, flows' state changes, routes, provisioning, applications,
 * assertions, annotations, drops) with a one-line text each, and the shape of the run in time. The
 * timeline compresses idle stretches: records closer than a gap threshold
 * form active intervals; each interval gets width by the square root of its
 * duration and each idle gap a small fixed share, so minutes of provisioning
 * and microseconds of packets both read. It also measures the longest a
 * packet stays on the wire and in a queue, from which the player derives how
 * far back a seek must start for the replay to match playing.
 */
#ifndef XCSIM_SCAN_H
#define XCSIM_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trace.h"

struct scan_node {
	bool present;
	char *name, *role, *region;
	int32_t pos[2];
};

struct scan_iface {
	uint32_t node, ifindex;
	char *name;
	uint8_t mac[6];
	uint32_t addr;
	uint8_t plen;
};

struct scan_queue {		/* a queue with its own identity */
	bool present;
	uint32_t link;		/* UINT32_MAX: on no link */
	uint8_t dir;
	char *kind;
};

struct scan_link {
	bool present;
	char *name;
	uint32_t node[2], ifindex[2];
	uint64_t rate_bps[2];
	sim_time delay[2];
	uint32_t mtu, qlimit_pkts;
	uint64_t qlimit_bytes;
};

enum scan_level { SL_INFO, SL_GOOD, SL_WARN, SL_BAD, SL_MAX };

struct scan_event {
	sim_time t;
	uint8_t type;		/* enum trace_type */
	uint8_t level;		/* enum scan_level */
	bool milestone;		/* marked on the timeline */
	bool change;		/* a provisioning field leaving a value */
	uint32_t node;		/* UINT32_MAX for none */
	uint32_t flow;		/* a flow's state change: its id, else
				 * UINT32_MAX */
	char *text;
	char *tag;		/* a milestone's label on the timeline, short
				 * ("er-ashburn Provisioned"); NULL: text */
};

struct replay;

struct scan_pfield {		/* while scanning: a resource's field */
	char *key;		/* resource, NUL, field */
	size_t keylen;
	char *state;
	sim_time since;
};

struct scan_op {		/* an operation of the provisioning timeline */
	sim_time t0, t1;	/* its start and its end (completion or
				 * refusal), t1 >= t0 */
	uint32_t id;
	uint32_t node;		/* its resource's first tile, or UINT32_MAX */
	bool refused;
	char *verb, *resource, *title;
	char *error;		/* the cloud's words when refused, else NULL */
};

struct scan_seg {		/* an active interval on the timeline */
	sim_time t0, t1;
	float x0, x1;		/* its span in [0, 1] */
};

#define SCAN_BINS 512u
#define SCAN_MAX_EVENTS 200000u

struct scan {
	struct scan_node *nodes;
	size_t nnodes;
	struct scan_iface *ifaces;
	size_t nifaces, capifaces;
	struct scan_link *links;
	size_t nlinks;
	struct scan_queue *queues;	/* by queue id */
	size_t nqueues;
	struct scan_event *events;
	size_t nevents, capevents;
	struct scan_op *ops;	/* the prov_op records, in start order */
	size_t nops, capops;
	uint64_t events_dropped;	/* beyond SCAN_MAX_EVENTS */
	uint64_t nrecords;
	bool truncated;		/* an interrupted run's trace, read to its cut */
	sim_time end;
	sim_time max_flight;	/* longest tx start .. arrival seen */
	sim_time max_queue;	/* longest queue drain seen */
	sim_time max_delay;	/* largest link propagation delay */
	struct scan_seg *segs;
	size_t nsegs;
	uint32_t activity[SCAN_BINS];	/* records per timeline bin */
	uint32_t drops[SCAN_BINS];
	struct replay *fl;	/* while scanning: the live flows, whose
				 * labels name their events */
	/* while scanning: the last provisioning change listed (one event
	 * for all its nodes' records, in the words of the annotation that
	 * narrates it when one follows at the same instant) */
	size_t prov_ev;		/* its event, or SIZE_MAX */
	bool prov_narrated;
	sim_time prov_t;
	char *prov_key;		/* resource, field, state; NUL-separated */
	size_t prov_keylen;
	char prov_took[96];	/* " · Provisioning for 7m 10.2s" */
	struct scan_pfield *pf;	/* every field's value and since */
	size_t npf, cappf;
};

/*
 * One flow's congestion window over its life, read for the flow the viewer
 * shows (the scan keeps none: a run may hold millions of flows): every
 * flow_cwnd record of it, in time order, from its declaration to its end.
 */
struct scan_cwnd_pt {
	sim_time t;
	uint32_t cwnd, ssthresh;
};

struct scan_flow_hist {
	bool valid;		/* read, for id */
	uint32_t id;
	sim_time t0, t1;	/* declared (or first seen); the last window
				 * and a twentieth more, or the end */
	struct scan_cwnd_pt *pt;
	size_t n, cap;
	uint32_t max;		/* the largest cwnd, or set ssthresh */
};

/*
 * Read the history of flow id from the trace at path (a reader of its own,
 * so the player's position is untouched); end is the trace's end, for a
 * flow never closed. 0, or -1 with err.
 */
int scan_flow_history(const char *path, uint32_t id, sim_time end,
    struct scan_flow_hist *h, char *err, size_t errlen);
void scan_flow_hist_free(struct scan_flow_hist *h);

/*
 * Read rd from its current position to the end. Returns 0, or -1 with err
 * filled for a corrupt or truncated trace or an unusable topology.
 */
int scan_trace(struct trace_reader *rd, struct scan *s, char *err,
    size_t errlen);
void scan_free(struct scan *s);

/* Timeline mapping between time and [0, 1]; monotonic both ways. */
float scan_time_to_x(const struct scan *s, sim_time t);
sim_time scan_x_to_time(const struct scan *s, float x);
/* If t is in an idle gap, the start of the next active interval; else t. */
sim_time scan_skip_idle(const struct scan *s, sim_time t);

/* Index of the first event at or after t (nevents if none). */
size_t scan_event_at(const struct scan *s, sim_time t);
/* Whether an annotation's text narrates the provisioning change field =
 * state ("Title: field [old ->] state[ (op)]"). */
bool scan_narrates(const char *text, const char *field, const char *state);
/* Name of node id, or "?" if there is none. */
const char *scan_node_name(const struct scan *s, uint32_t id);
/* The node an address or a name refers to, or UINT32_MAX. */
uint32_t scan_find_node(const struct scan *s, const char *name_or_addr);

#endif
