/*
 * scenario.h - a scenario file, loaded and validated.
 *
 * The loader (scenario_load.c) reads YAML with libyaml into the plain
 * configuration below and checks everything a run could trip on: syntax,
 * unknown keys (with a did-you-mean), types, units, ranges, addresses,
 * duplicate names, references to unknown nodes, interfaces, links and
 * applications, and overlapping addresses on one link. What it returns is
 * therefore safe to build without further checks (scenario_build.c).
 *
 * Every diagnostic is "file:line:column: error: what is wrong (hint)" with
 * 1-based line and column; the loader keeps going after an error so that the
 * user sees all of them, printed in file order. The accepted fields are
 * declared once, in tables (scenario_fields.c), which also generate
 * scenarios/schema.json and docs/scenario-reference.md (scenario_schema.c).
 *
 * Defaults are filled in: an app's dst is resolved to an address (a node
 * name means its first numbered interface), a udp_cbr app given a rate gets
 * the interval that rate means, an app without a name is called
 * "<type>-<node>-<i>", and each link direction holds the link's rate, delay
 * and loss unless a_to_b / b_to_a override them.
 *
 * The struct scenario owns every string and array in it; scenario_free()
 * releases them all.
 */
#ifndef XCSIM_SCENARIO_H
#define XCSIM_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "units.h"

struct sc_loc {			/* where a value was written, 1-based */
	uint32_t line, col;
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
};

struct sc_route {
	uint32_t prefix;
	uint8_t plen;
	uint32_t via;		/* next-hop address, 0 = directly out iface */
	char *iface;		/* egress interface name, NULL = resolve via */
	char *vrf;		/* NULL = default VRF */
	struct sc_loc loc;
};

struct sc_node {
	char *name;
	char *role;		/* one of scenario_roles[] */
	char *region;		/* free text, e.g. "westeurope"; may be NULL */
	bool has_pos;
	int32_t pos[2];		/* layout override, permille of the canvas */
	struct sc_iface *ifaces;
	size_t n_ifaces;
	struct sc_route *routes;
	size_t n_routes;
	struct sc_loc loc;
};

enum sc_loss_kind { SC_LOSS_NONE = 0, SC_LOSS_BERNOULLI, SC_LOSS_GE };

struct sc_loss {
	enum sc_loss_kind kind;
	double p;		/* Bernoulli loss probability */
	double p_gb, p_bg;	/* Gilbert-Elliott transition probabilities */
	double loss_good, loss_bad; /* loss probability in each state */
};

struct sc_link_dir {		/* one direction of a link */
	uint64_t rate_bps;
	sim_time delay;
	struct sc_loss loss;
};

struct sc_link {
	char *name;
	char *node[2];		/* endpoints a and b */
	char *iface[2];
	struct sc_link_dir dir[2]; /* [0] a->b, [1] b->a */
	uint32_t mtu;		/* IP MTU in bytes (default 1500) */
	uint32_t qlimit_pkts;	/* drop-tail limits per direction */
	uint32_t qlimit_bytes;
	struct sc_loc loc;
};

enum sc_app_kind { SC_APP_PING = 1, SC_APP_TRACEROUTE, SC_APP_UDP_CBR };

struct sc_app {
	char *name;		/* unique; defaults to kind-node-index */
	enum sc_app_kind kind;
	char *node;		/* where it runs */
	uint32_t dst;		/* resolved destination address */
	char *dst_text;		/* as written (address or node name) */
	sim_time start;
	sim_time interval;	/* ping/udp: between probes/packets */
	uint32_t count;		/* probes (ping) / packets (udp), 0 = until end */
	uint32_t size;		/* ICMP/UDP payload bytes */
	uint8_t ttl;		/* ping: IP TTL; traceroute: max hops */
	sim_time timeout;	/* probe timeout */
	uint64_t rate_bps;	/* udp cbr: sending rate (sets interval) */
	uint16_t dport;		/* udp */
	bool df;		/* set the Don't Fragment bit */
	struct sc_loc loc;
};

enum sc_event_kind { SC_EV_LINK_DOWN = 1, SC_EV_LINK_UP };

struct sc_event {
	sim_time at;
	enum sc_event_kind kind;
	char *link;
	struct sc_loc loc;
};

enum sc_assert_kind {
	SC_ASSERT_PING = 1,	/* app's probes sent after `after` all succeed,
				 * each with RTT <= rtt_max (if set) */
	SC_ASSERT_PING_FAILS,	/* ... all fail (reachability lost) */
	SC_ASSERT_TRACEROUTE,	/* app's hops are exactly `path` (node names) */
	SC_ASSERT_MAX
};

struct sc_assert {
	enum sc_assert_kind kind;
	char *app;
	sim_time after;		/* consider probes sent at or after this */
	sim_time before;	/* ... and before this (SIM_TIME_MAX = end) */
	sim_time rtt_max;	/* 0 = no bound */
	uint32_t min_replies;	/* at least this many replies (default 1) */
	char **path;		/* traceroute: node names, in order */
	size_t n_path;
	struct sc_loc loc;
};

struct sc_capture {		/* one interface to capture, or all */
	char *node;		/* NULL = every interface of every node */
	char *iface;		/* NULL = every interface of node */
	struct sc_loc loc;
};

struct scenario {
	char *file;		/* path as given, for messages */
	char *name;
	char *description;
	uint64_t seed;
	sim_time duration;	/* run until; 0 = until no events remain */
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
};

/* Known node roles (NULL-terminated) and their one-line descriptions. */
extern const char *const scenario_roles[];
extern const char *const scenario_role_docs[];
/* Whether a role is an end host (does not forward): host, azure-vm, oci-instance. */
bool scenario_role_is_host(const char *role);

/*
 * Load and validate. name is what messages call the file. Diagnostics go to
 * diag (one per line). Returns the scenario, or NULL after printing at least
 * one diagnostic; *n_errors (may be NULL) gets the number of errors.
 */
struct scenario *scenario_load_file(const char *path, FILE *diag,
    unsigned *n_errors);
struct scenario *scenario_load_buffer(const char *name, const char *text,
    size_t len, FILE *diag, unsigned *n_errors);
void scenario_free(struct scenario *sc);

/* Write s as a JSON string literal (quotes and control characters escaped). */
void scenario_json_str(FILE *out, const char *s);

/* Write the JSON Schema of the format / the Markdown field reference. */
void scenario_write_schema(FILE *out);
void scenario_write_reference(FILE *out);

/* Look up a node/app by name; NULL if absent. */
const struct sc_node *scenario_node(const struct scenario *sc,
    const char *name);

#endif
