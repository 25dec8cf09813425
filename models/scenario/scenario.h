/*
 * scenario.h - a scenario file, loaded and validated.
 *
 * The loader reads YAML with libyaml into the plain configuration below and
 * checks everything a run could trip on: syntax, unknown keys (with a
 * did-you-mean), types, units, ranges, addresses, names that would not be
 * safe as output file names, duplicate names, references to unknown nodes,
 * interfaces, links and applications, and overlapping addresses on one
 * link. What it returns is therefore safe to build without further checks
 * (scenario_build(), scenario_section.h).
 *
 * Every diagnostic is "file:line:column: error: what is wrong (hint)" with
 * 1-based line and column; the loader keeps going after an error so that the
 * user sees all of them, printed in file order, with control characters
 * escaped. The top-level sections (nodes, links, apps, events, assertions,
 * and whatever models register), the timeline actions and the assertion
 * kinds models add are registrations (scenario_section.h), each with its
 * field table (scenario_fields.h); the same tables generate
 * scenarios/schema.json and docs/scenario-reference.md.
 *
 * Defaults are filled in: an app's dst is resolved to an address (a node
 * name means its first numbered interface), a udp_cbr app given a rate gets
 * the interval that rate means, an app without a name is called
 * "<type>-<node>-<i>", and each link direction holds the link's rate, delay,
 * loss and queue discipline unless a_to_b / b_to_a override them.
 *
 * The struct scenario owns every string and array in it; scenario_free()
 * releases them all, driven by the field tables. The vloc and keys members
 * are the loader's record of where each value was written and which keys
 * were given (scenario_fields.h).
 */
#ifndef XCSIM_SCENARIO_H
#define XCSIM_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "scenario_fields.h"
#include "units.h"

/* Largest scenario file read (bytes); larger input is refused. */
#define SC_INPUT_MAX ((size_t)16 << 20)
/*
 * Largest queue byte limit (8 PiB). The link's limit (struct
 * link_params.qlimit_bytes in sim/net.h) and the trace's occupancy are 64
 * bits wide; this stops at 2^53, the largest integer that the schema's and
 * metrics.json's JSON numbers carry exactly, far beyond any memory.
 */
#define SC_QLIMIT_BYTES_MAX ((uint64_t)1 << 53)

/* Field indices, in table order. */
enum { IF_NAME, IF_ADDRESS, IF_MAC, IF_VLAN, IF_SVLAN, IF_VRF, IF_F_MAX };
enum { RT_PREFIX, RT_VIA, RT_IFACE, RT_VRF, RT_F_MAX };
enum { ND_NAME, ND_ROLE, ND_REGION, ND_POS, ND_IFACES, ND_ROUTES,
	ND_TRANSPARENT, ND_F_MAX };
enum { QU_PACKETS, QU_BYTES, QU_F_MAX };
enum { LS_MODEL, LS_P, LS_P_GB, LS_P_BG, LS_LOSS_GOOD, LS_LOSS_BAD,
	LS_F_MAX };
enum { QD_KIND, QD_RATE, QD_BURST, QD_PPS, QD_PPS_BURST, QD_MIN_TH,
	QD_MAX_TH, QD_MAX_P, QD_W_Q, QD_GENTLE, QD_WAIT, QD_MODE, QD_MEAN_PKT,
	QD_TARGET, QD_INTERVAL, QD_MIN_BYTES, QD_F_MAX };
enum { JT_KIND, JT_SD, JT_BOUND, JT_SHAPE, JT_REORDER, JT_F_MAX };
enum { GD_FROM, GD_TO, GD_ROUTE_FACTOR, GD_F_MAX };
enum { DR_RATE, DR_DELAY, DR_LOSS, DR_QDISC, DR_JITTER, DR_F_MAX };
enum { LK_NAME, LK_A, LK_B, LK_RATE, LK_DELAY, LK_MTU, LK_QUEUE, LK_QDISC,
	LK_LOSS, LK_A_TO_B, LK_B_TO_A, LK_CARRIER, LK_GATE, LK_UNCHECKED,
	LK_JITTER, LK_F_MAX };
enum { AP_NAME, AP_TYPE, AP_NODE, AP_DST, AP_START, AP_INTERVAL, AP_COUNT,
	AP_SIZE, AP_TTL, AP_TIMEOUT, AP_RATE, AP_DPORT, AP_DF, AP_DURATION,
	AP_BYTES, AP_STREAMS, AP_CONCURRENCY, AP_PERSISTENT, AP_THINK, AP_RECONNECT,
	AP_REQUEST, AP_RESPONSE, AP_TCP, AP_SERVER, AP_F_MAX };
enum { SZ_DIST, SZ_SIZE, SZ_MIN, SZ_MAX, SZ_P99, SZ_F_MAX };
enum { TO_CC, TO_SNDBUF, TO_RCVBUF, TO_NODELAY, TO_DELACK_COUNT,
	TO_DELACK_TIMEOUT, TO_MIN_RTO, TO_MSS, TO_INIT_CWND, TO_CWND_VALIDATION,
	TO_F_MAX };
enum { EV_AT, EV_ACTION, EV_F_MAX };
enum { AS_KIND, AS_APP, AS_AFTER, AS_BEFORE, AS_RTT_BELOW, AS_MIN_REPLIES,
	AS_PATH, AS_MIN_GOODPUT, AS_FLOW, AS_PERCENTILE, AS_BELOW, AS_BY,
	AS_FAILURE, AS_F_MAX };
enum { RC_TRACE, RC_METRICS, RC_PCAP, RC_KEYFRAME_EVERY, RC_METRICS_INTERVAL,
    RC_PACKETS, RC_PACKET_SAMPLE, RC_F_MAX };
enum { SC_NAME, SC_DESCRIPTION, SC_SEED, SC_DURATION, SC_RECORD,
	SC_F_MAX };

struct sc_loc {			/* where a value was written, 1-based */
	uint32_t line, col;
};

/* One pair of a SC_FT_KV mapping: the key and its scalar, as text. */
struct sc_kv {
	char *key, *value;
	struct sc_loc kloc, vloc;	/* of the key, of the value */
};

struct sc_iface {
	char *name;		/* unique within the node */
	uint32_t addr;		/* host order; 0 with plen 0 = unnumbered */
	uint8_t plen;
	bool has_mac;
	uint8_t mac[6];		/* else derived from node and iface index */
	uint16_t vlan;		/* 802.1Q C-tag, 0 = untagged */
	uint16_t svlan;		/* 802.1ad S-tag (QinQ outer), 0 = none */
	char *vrf;		/* NULL = the default VRF */
	struct sc_loc loc;
	size_t link;		/* index + 1 of the link it is on, 0 = none */
	struct sc_loc vloc[IF_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(IF_F_MAX)];
};

struct sc_route {
	uint32_t prefix;
	uint8_t plen;
	uint32_t via;		/* next-hop address, 0 = directly out iface */
	char *iface;		/* egress interface name, NULL = resolve via */
	char *vrf;		/* NULL = default VRF */
	struct sc_loc loc;
	struct sc_loc vloc[RT_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(RT_F_MAX)];
};

struct sc_node {
	char *name;
	char *role;		/* one of scenario_roles[] */
	char *region;		/* free text, e.g. "westeurope"; may be NULL */
	bool has_pos;
	int32_t pos[2];		/* layout override, permille of the canvas */
	bool transparent;	/* forwards without a TTL decrement */
	struct sc_iface *ifaces;
	size_t n_ifaces;
	struct sc_route *routes;
	size_t n_routes;
	struct sc_loc loc;
	bool dup;		/* a node of the same name came first */
	struct sc_loc vloc[ND_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(ND_F_MAX)];
};

enum sc_loss_kind { SC_LOSS_NONE = 0, SC_LOSS_BERNOULLI, SC_LOSS_GE };

struct sc_loss {
	enum sc_loss_kind kind;
	double p;		/* Bernoulli loss probability */
	double p_gb, p_bg;	/* Gilbert-Elliott transition probabilities */
	double loss_good, loss_bad; /* loss probability in each state */
};

/* A link direction's queue discipline (sim/qdisc.h); 0 = drop-tail too. */
enum sc_qdisc_kind { SC_QDISC_DEFAULT = 0, SC_QDISC_DROPTAIL,
	SC_QDISC_SHAPER, SC_QDISC_POLICER, SC_QDISC_RED, SC_QDISC_CODEL };
enum sc_red_mode { SC_RED_DEFAULT = 0, SC_RED_PACKETS, SC_RED_BYTES };

struct sc_qdisc {
	enum sc_qdisc_kind kind;
	uint64_t rate_bps;	/* shaper, policer: token rate */
	uint64_t burst_bytes;	/* shaper, policer: bucket depth, at least
				 * one full frame of the link */
	uint64_t rate_pps;	/* shaper, policer: packets/s, 0 = no limit */
	uint32_t burst_pkts;	/* packet bucket depth, 0 = the default
				 * (sc_qdisc_pps_burst) */
	uint64_t min_th, max_th;	/* red: packets (x mean_pkt in bytes) */
	double max_p, w_q;	/* red */
	bool gentle, wait;	/* red */
	enum sc_red_mode mode;	/* red */
	uint32_t mean_pkt;	/* red: bytes */
	sim_time target, interval;	/* codel */
	uint64_t min_bytes;	/* codel: 0 = one full frame */
	struct sc_loc vloc[QD_F_MAX];	/* travels with the value */
};

/* A link direction's jitter (sim/net.h struct link_jitter). */
enum sc_jitter_kind { SC_JITTER_NONE = 0, SC_JITTER_UNIFORM,
	SC_JITTER_NORMAL, SC_JITTER_PARETO };

struct sc_jitter {
	enum sc_jitter_kind kind;
	sim_time sd;		/* normal, pareto */
	sim_time bound;		/* uniform: the largest; else a cap */
	double shape;		/* pareto: alpha > 2 */
	bool reorder;
	struct sc_loc vloc[JT_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(JT_F_MAX)];
};

/*
 * A delay written as a span between two places of models/geo
 * (SC_FT_DELAY's mapping form): only while it is read.
 */
struct sc_geo_delay {
	char *from, *to;
	double route_factor;
	struct sc_loc vloc[GD_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(GD_F_MAX)];
};

struct sc_link_dir {		/* one direction of a link */
	uint64_t rate_bps;
	sim_time delay;
	struct sc_loss loss;
	struct sc_qdisc qdisc;
	struct sc_jitter jitter;
};

struct sc_dir_over {		/* a_to_b / b_to_a: overrides of the link's */
	struct sc_link_dir v;
	struct sc_loc vloc[DR_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(DR_F_MAX)];
};

struct sc_link {
	char *name;
	char *node[2];		/* endpoints a and b */
	char *iface[2];
	size_t node_idx[2];	/* resolved: index in scenario.nodes */
	size_t iface_idx[2];	/* ... and in that node's ifaces */
	struct sc_link_dir dir[2]; /* [0] a->b, [1] b->a */
	uint32_t mtu;		/* IP MTU in bytes (default 1500) */
	bool carrier;		/* the ends see it down: connected routes go */
	char *gate;		/* the gate it follows (gates.h), NULL = none */
	bool unchecked;		/* ends typed by two parties: may disagree */
	uint32_t qlimit_pkts;	/* queue limits per direction (the FIFO */
	uint64_t qlimit_bytes;	/* of every discipline); bytes 0 = none,
				 * <= SC_QLIMIT_BYTES_MAX */
	struct sc_loc loc;
	struct sc_link_dir base;	/* rate, delay, loss, qdisc of both
					 * directions */
	struct sc_dir_over over[2];	/* a_to_b, b_to_a as written */
	struct sc_loc vloc[LK_F_MAX];
	struct sc_loc qvloc[QU_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(LK_F_MAX)];
};

enum sc_app_kind { SC_APP_PING = 1, SC_APP_TRACEROUTE, SC_APP_UDP_CBR,
	SC_APP_UDP_POISSON, SC_APP_TCP_BULK, SC_APP_REQUEST_RESPONSE };

/* A request or response size: fixed or drawn (apps.h struct size_dist). */
enum sc_size_dist { SC_SIZE_FIXED = 1, SC_SIZE_EXPONENTIAL, SC_SIZE_UNIFORM,
	SC_SIZE_LOGNORMAL };

struct sc_size {
	enum sc_size_dist dist;
	uint64_t size;		/* fixed; exponential: mean; lognormal: median */
	uint64_t min, max;	/* uniform range; max also caps the others */
	uint64_t p99;		/* lognormal: 99th percentile */
	struct sc_loc vloc[SZ_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(SZ_F_MAX)];
};

/* Per-application TCP settings; keys not given keep the stack's. */
struct sc_tcp {
	int cc;			/* index + 1 in sc_tcp_ccs */
	uint32_t sndbuf, rcvbuf;
	bool nodelay;
	uint32_t delack_count;
	sim_time delack_timeout, min_rto;
	uint32_t mss, init_cwnd;
	bool cwnd_validation;
	struct sc_loc vloc[TO_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(TO_F_MAX)];
};

struct sc_app {
	char *name;		/* unique; defaults to kind-node-index */
	enum sc_app_kind kind;
	char *node;		/* where it runs */
	size_t node_idx;	/* resolved: index in scenario.nodes */
	uint32_t dst;		/* resolved destination address */
	size_t dst_node;	/* index + 1 of the node dst names, 0 = an
				 * address given as such */
	char *dst_text;		/* as written (address or node name) */
	sim_time start;
	sim_time interval;	/* ping/udp: between probes/packets */
	uint32_t count;		/* probes (ping) / packets (udp), 0 = until end */
	uint32_t size;		/* ICMP/UDP payload bytes */
	uint8_t ttl;		/* ping: IP TTL; traceroute: max hops */
	sim_time timeout;	/* probe timeout */
	uint64_t rate_bps;	/* udp cbr: sending rate (sets interval) */
	uint16_t dport;		/* udp, tcp */
	bool df;		/* set the Don't Fragment bit */
	sim_time duration;	/* tcp_bulk, request_response: 0 = no limit */
	uint64_t bytes;		/* tcp_bulk: 0 = no limit */
	uint32_t streams;	/* tcp_bulk: parallel connections */
	uint32_t concurrency;	/* request_response: parallel clients */
	bool persistent;	/* request_response: one connection per client */
	sim_time think;		/* request_response: between transactions */
	sim_time reconnect;	/* request_response: after a failed connection */
	struct sc_size request, response;
	struct sc_tcp tcp;
	bool server;		/* tcp: add the sink or server on dst */
	size_t srv_node;	/* tcp: index + 1 of the node dst is on, 0 = none */
	struct sc_loc loc;
	struct sc_loc vloc[AP_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(AP_F_MAX)];
};

struct sc_action;

/*
 * One entry of the timeline: at `at`, the registered action does what its
 * arguments say. args is the action's own struct, filled by its table.
 */
struct sc_event {
	sim_time at;
	const struct sc_action *action;
	void *args;
	struct sc_loc loc;
	struct sc_loc vloc[EV_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(EV_F_MAX)];
};

/* The arguments of link-down and link-up. */
struct sc_link_state {
	char *link;
	size_t link_idx;	/* resolved: index in scenario.links */
	struct sc_loc loc;
	struct sc_loc vloc[1];
	uint64_t keys[SC_KEYS_WORDS(1)];
};

/* The arguments of node-down and node-up. */
struct sc_node_state {
	char *node;
	size_t node_idx;	/* resolved: index in scenario.nodes */
	struct sc_loc loc;
	struct sc_loc vloc[1];
	uint64_t keys[SC_KEYS_WORDS(1)];
};

/* The arguments of qdisc-set. */
enum { QS_LINK, QS_DIR, QS_QDISC, QS_F_MAX };
enum sc_qs_dir { SC_QS_BOTH = 1, SC_QS_A_TO_B, SC_QS_B_TO_A };
struct sc_qdisc_set {
	char *link;
	size_t link_idx;	/* resolved: index in scenario.links */
	enum sc_qs_dir dir;
	struct sc_qdisc qdisc;
	struct sc_loc loc;
	struct sc_loc vloc[QS_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(QS_F_MAX)];
};

enum sc_assert_kind {
	SC_ASSERT_PING = 1,	/* app's probes sent after `after` all succeed,
				 * each with RTT <= rtt_max (if set) */
	SC_ASSERT_PING_FAILS,	/* ... all fail (reachability lost) */
	SC_ASSERT_TRACEROUTE,	/* app's hops are exactly `path` (node names) */
	SC_ASSERT_TCP_GOODPUT,	/* app's goodput in [after, before) >= min */
	SC_ASSERT_TXN_LATENCY,	/* app's latency percentile <= below */
	SC_ASSERT_TRANSFER,	/* app's bulk transfer acknowledged by `by` */
	SC_ASSERT_CONN_FAILS,	/* app's connections fail (as `failure`) */
	SC_ASSERT_MAX
};

struct sc_assertion;

struct sc_assert {
	enum sc_assert_kind kind;	/* 0 for a registered kind */
	const struct sc_assertion *reg;	/* a registered kind, or NULL */
	void *args;		/* its arguments, filled by reg->table */
	char *app;
	sim_time after;		/* consider probes sent at or after this */
	sim_time before;	/* ... and before this (SIM_TIME_MAX = end) */
	sim_time rtt_max;	/* 0 = no bound */
	uint32_t min_replies;	/* at least this many replies (default 1) */
	char **path;		/* traceroute: node names, in order */
	size_t n_path;
	uint64_t min_goodput;	/* tcp-goodput: bits per second */
	uint32_t flow;		/* tcp-goodput: 1-based flow, 0 = the app */
	int percentile;		/* transaction-latency: index + 1 */
	sim_time below;		/* transaction-latency bound */
	sim_time by;		/* transfer-completes deadline */
	int failure;		/* connection-fails: index + 1, 0 = any */
	struct sc_loc loc;
	struct sc_loc *path_loc; /* where each of path was written */
	struct sc_loc vloc[AS_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(AS_F_MAX)];
};

struct sc_capture {		/* one interface to capture, or all */
	char *node;		/* NULL = every interface of every node */
	char *iface;		/* NULL = every interface of node */
	struct sc_loc loc;
};

struct sc_section;
struct sc_names;

/* The items of one registered section, as loaded. */
struct sc_section_data {
	const struct sc_section *sec;
	void *items;		/* sec->table->size bytes each */
	size_t n;
	bool given;		/* the key was in the file */
	bool bad;		/* ... and its value was not a list/mapping */
	struct sc_loc loc;	/* where its value starts */
};

struct scenario {
	char *file;		/* path as given, for messages */
	char *name;
	char *description;
	uint64_t seed;
	/*
	 * The seed this load was given (struct sc_load_opts: --seed), else
	 * seed: what the timeline's plan draws its durations from and a run
	 * defaults to. seed itself stays the file's, as the identities
	 * derived from it do (a circuit's service key pasted into the file).
	 */
	uint64_t run_seed;
	sim_time duration;	/* run until; 0 = until no events remain */
	/* The built-in sections' items (owned by sections[]). */
	struct sc_node *nodes;
	size_t n_nodes;
	struct sc_link *links;
	size_t n_links;
	struct sc_app *apps;
	size_t n_apps;
	struct sc_event *events;
	size_t n_events;
	struct sc_assert *asserts;
	size_t n_asserts;
	bool record_trace;	/* default true */
	bool record_metrics;	/* default true */
	struct sc_capture *captures; /* record.pcap */
	size_t n_captures;
	sim_time keyframe_every; /* record.keyframe_every, 0 = default */
	sim_time metrics_interval; /* record.metrics_interval, 0 = default */
	int record_packets;	/* record.packets: trace_pkt_level + 1, 0 all */
	uint32_t packet_sample;	/* record.packet_sample, 0 = 1 */
	/* Every registered section, in registration order. */
	struct sc_section_data *sections;
	size_t n_sections;
	struct sc_names *node_names;	/* name -> index in nodes */
	struct sc_loc loc;
	struct sc_loc vloc[SC_F_MAX];
	struct sc_loc rvloc[RC_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(SC_F_MAX)];
};

/* Known node roles (NULL-terminated) and their one-line descriptions. */
extern const char *const scenario_roles[];
extern const char *const scenario_role_docs[];
/* Whether a role is an end host (does not forward): host, azure-vm, oci-instance. */
bool scenario_role_is_host(const char *role);
/*
 * The packet bucket depth a shaper or policer gets: its pps_burst, or by
 * default as many packets as its byte burst lasts at its byte rate
 * (ceil(pps * burst * 8 / rate), at least 1); 0 without pps.
 */
uint32_t sc_qdisc_pps_burst(const struct sc_qdisc *qd);

extern const char *const sc_app_kinds[];	/* index = enum sc_app_kind - 1 */
extern const char *const sc_assert_kinds[];
extern const char *const sc_tcp_ccs[];		/* index = sc_tcp.cc - 1 */
extern const char *const sc_percentiles[];	/* "p50", ..., "max" */
extern const unsigned sc_percentile_permille[];	/* 500, ..., 1000 */
extern const char *const sc_failures[];	/* "refused", ... */

/*
 * Load and validate. name is what messages call the file. Diagnostics go to
 * diag (one per line). Returns the scenario, or NULL after printing at least
 * one diagnostic; *n_errors (may be NULL) gets the number of errors. A file
 * is read in bounded chunks (pipes and devices too) and refused past
 * SC_INPUT_MAX bytes.
 */
struct scenario *scenario_load_file(const char *path, FILE *diag,
    unsigned *n_errors);
struct scenario *scenario_load_buffer(const char *name, const char *text,
    size_t len, FILE *diag, unsigned *n_errors);

/*
 * What a command line changes of a file as it is loaded. The seed is
 * given to the load, not only to the run, because the load draws from
 * it: the timeline's plan (docs/provisioning.md) is compiled there.
 */
struct sc_load_opts {
	bool seed_set;
	uint64_t seed;		/* in place of the file's `seed` */
};

/* As above, with o applied (NULL: none). */
struct scenario *scenario_load_file_opts(const char *path,
    const struct sc_load_opts *o, FILE *diag, unsigned *n_errors);
struct scenario *scenario_load_buffer_opts(const char *name, const char *text,
    size_t len, const struct sc_load_opts *o, FILE *diag, unsigned *n_errors);
void scenario_free(struct scenario *sc);

/* Write s as a JSON string literal (quotes and control characters escaped). */
void scenario_json_str(FILE *out, const char *s);

/*
 * Write the JSON Schema of the format / the Markdown field reference, from
 * the tables of every section and action registered now.
 */
void scenario_write_schema(FILE *out);
void scenario_write_reference(FILE *out);

/* A node by name, in constant time; NULL if absent. */
const struct sc_node *scenario_node(const struct scenario *sc,
    const char *name);
/* The items of a registered section by its key; NULL (and *n 0) if none. */
void *scenario_section(const struct scenario *sc, const char *name,
    size_t *n);

#endif
