/*
 * scenario_fields.h - the field tables of the scenario format (private to
 * models/scenario).
 *
 * Every mapping kind of a scenario file (the file itself, node, interface,
 * route, link, ...) is one struct sc_table listing its keys: type, where the
 * value goes, whether it is required, its default as it would be written in a
 * file, its range and a one-line doc. The loader (scenario_load.c) walks the
 * YAML tree with these tables; scenario_schema.c turns the same tables into
 * scenarios/schema.json and docs/scenario-reference.md. Adding a key means
 * adding a row here (and, if it needs a cross-reference check, a few lines
 * in the loader's second pass).
 *
 * The loader parses into the staging structs below (ld_*), which wrap the
 * public structs of scenario.h with what the cross-reference checks need:
 * where each value was written and which keys were given.
 */
#ifndef XCSIM_SCENARIO_FIELDS_H
#define XCSIM_SCENARIO_FIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scenario.h"

#define SC_NO_OFF ((size_t)-1)
#define SC_NAME_MAX 64		/* longest node/interface/link/app name */

enum sc_ftype {
	SC_FT_STRING,		/* free text */
	SC_FT_NAME,		/* [A-Za-z0-9_.-]+, at most SC_NAME_MAX */
	SC_FT_UINT,		/* decimal integer in [min, max], width bytes */
	SC_FT_BOOL,		/* true | false */
	SC_FT_TIME,		/* units_parse_time, >= min, <= max if max */
	SC_FT_RATE,		/* units_parse_rate */
	SC_FT_SIZE,		/* units_parse_bytes, width bytes */
	SC_FT_PROB,		/* number in [0, 1] (double) */
	SC_FT_IFADDR,		/* a.b.c.d/len host address: off addr, off2 plen */
	SC_FT_PREFIX,		/* a.b.c.d/len, host bits zero: off, off2 */
	SC_FT_ADDR,		/* a.b.c.d */
	SC_FT_MAC,		/* xx:xx:xx:xx:xx:xx: off bytes, off2 bool */
	SC_FT_ENUM,		/* one of names[]: int index + 1, or a string */
	SC_FT_ENDPOINT,		/* node:iface: off node, off2 iface */
	SC_FT_DST,		/* address, node or node:iface (text) */
	SC_FT_POS,		/* [x, y] in [min, max]: off int32[2], off2 bool */
	SC_FT_NAMES,		/* list of names: struct ld_names at off */
	SC_FT_PCAP,		/* all | none | list of node[:iface] */
	SC_FT_LIST,		/* list of sub: off pointer, off2 size_t count */
	SC_FT_MAP,		/* mapping of sub at obj + off */
	SC_FT_MAX
};

struct sc_table;

struct sc_field {
	const char *name;
	enum sc_ftype type;
	uint8_t width;		/* bytes of the integer stored at off */
	size_t off, off2;
	const struct sc_table *sub;	/* LIST, MAP */
	const char *const *names;	/* ENUM: NULL-terminated values */
	const char *const *name_docs;	/* ENUM: one line each, or NULL */
	bool enum_str;		/* ENUM: store a copy of the string */
	bool required;		/* (for the kinds it is valid for) */
	uint32_t kinds;		/* bit k: valid when the table's kind is k;
				 * 0 = always */
	uint64_t min, max;	/* UINT, TIME, RATE, SIZE, POS; max 0 = none */
	const char *def;	/* default, written as in a file */
	const char *kdef[4];	/* default for kind k, overrides def */
	const char *def_doc;	/* a default that is not a value, in words */
	const char *doc;
};

struct sc_table {
	const char *name;	/* "node": $defs key and section title */
	const char *doc;
	const struct sc_field *fields;
	size_t n_fields;
	size_t size;		/* element size (LIST) */
	size_t loc_off;		/* struct sc_loc: the mapping's start */
	size_t vloc_off;	/* struct sc_loc[n_fields]: each value */
	size_t given_off;	/* uint32_t: bit i = field i was given */
	int disc;		/* index of the field choosing the kind, or -1 */
};

struct ld_names {		/* a list of names and where each was written */
	char **v;
	struct sc_loc *loc;
	size_t n;
};

/* Field indices, in table order. */
enum { IF_NAME, IF_ADDRESS, IF_MAC, IF_VLAN, IF_SVLAN, IF_VRF, IF_F_MAX };
enum { RT_PREFIX, RT_VIA, RT_IFACE, RT_VRF, RT_F_MAX };
enum { ND_NAME, ND_ROLE, ND_REGION, ND_POS, ND_IFACES, ND_ROUTES,
	ND_F_MAX };
enum { QU_PACKETS, QU_BYTES, QU_F_MAX };
enum { LS_MODEL, LS_P, LS_P_GB, LS_P_BG, LS_LOSS_GOOD, LS_LOSS_BAD,
	LS_F_MAX };
enum { DR_RATE, DR_DELAY, DR_LOSS, DR_F_MAX };
enum { LK_NAME, LK_A, LK_B, LK_RATE, LK_DELAY, LK_MTU, LK_QUEUE, LK_LOSS,
	LK_A_TO_B, LK_B_TO_A, LK_F_MAX };
enum { AP_NAME, AP_TYPE, AP_NODE, AP_DST, AP_START, AP_INTERVAL, AP_COUNT,
	AP_SIZE, AP_TTL, AP_TIMEOUT, AP_RATE, AP_DPORT, AP_DF, AP_F_MAX };
enum { EV_AT, EV_ACTION, EV_LINK, EV_F_MAX };
enum { AS_KIND, AS_APP, AS_AFTER, AS_BEFORE, AS_RTT_BELOW, AS_MIN_REPLIES,
	AS_PATH, AS_F_MAX };
enum { RC_TRACE, RC_METRICS, RC_PCAP, RC_KEYFRAME_EVERY, RC_F_MAX };
enum { SC_NAME, SC_DESCRIPTION, SC_SEED, SC_DURATION, SC_NODES, SC_LINKS,
	SC_APPS, SC_EVENTS, SC_ASSERTIONS, SC_RECORD, SC_F_MAX };

struct ld_iface {
	struct sc_iface pub;
	struct sc_loc vloc[IF_F_MAX];
	uint32_t given;
	size_t link;		/* index + 1 of the link it is on, 0 = none */
};

struct ld_route {
	struct sc_route pub;
	struct sc_loc vloc[RT_F_MAX];
	uint32_t given;
};

struct ld_node {
	struct sc_node pub;
	struct ld_iface *ifaces;
	size_t n_ifaces;
	struct ld_route *routes;
	size_t n_routes;
	struct sc_loc vloc[ND_F_MAX];
	uint32_t given;
};

struct ld_dir {			/* a_to_b / b_to_a: overrides of the link's */
	struct sc_link_dir v;
	struct sc_loc vloc[DR_F_MAX];
	uint32_t given;
};

struct ld_link {
	struct sc_link pub;
	struct sc_link_dir base;	/* rate, delay, loss of both directions */
	struct ld_dir over[2];		/* a_to_b, b_to_a */
	struct sc_loc vloc[LK_F_MAX];
	struct sc_loc qvloc[QU_F_MAX];
	uint32_t given;
};

struct ld_app {
	struct sc_app pub;
	struct sc_loc vloc[AP_F_MAX];
	uint32_t given;
};

struct ld_event {
	struct sc_event pub;
	struct sc_loc vloc[EV_F_MAX];
	uint32_t given;
};

struct ld_assert {
	struct sc_assert pub;
	struct ld_names path;
	struct sc_loc vloc[AS_F_MAX];
	uint32_t given;
};

struct ld_scenario {
	struct scenario pub;
	struct ld_node *nodes;
	size_t n_nodes;
	struct ld_link *links;
	size_t n_links;
	struct ld_app *apps;
	size_t n_apps;
	struct ld_event *events;
	size_t n_events;
	struct ld_assert *asserts;
	size_t n_asserts;
	struct sc_loc loc;
	struct sc_loc vloc[SC_F_MAX];
	struct sc_loc rvloc[RC_F_MAX];
	uint32_t given;
};

extern const struct sc_table sc_table_scenario;
/* Every table, root first, each after the one that first refers to it. */
extern const struct sc_table *const sc_tables[];

extern const char *const sc_app_kinds[];	/* index = enum sc_app_kind - 1 */
extern const char *const sc_event_kinds[];
extern const char *const sc_assert_kinds[];
extern const char *const sc_loss_models[];

/* Regular expressions of the text forms, for the schema. */
#define SC_RE_TIME "^-?[0-9]+(\\.[0-9]+)?(ns|us|ms|s|m|h)$"
#define SC_RE_RATE "^[0-9]+(\\.[0-9]+)?(bps|kbps|Kbps|Mbps|Gbps|Tbps)$"
#define SC_RE_SIZE "^[0-9]+(\\.[0-9]+)?(B|KB|MB|GB|KiB|MiB|GiB)?$"
#define SC_RE_NAME "^[A-Za-z0-9_.-]+$"
#define SC_RE_IPV4 "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])" \
	"(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}"
#define SC_RE_ADDR "^" SC_RE_IPV4 "$"
#define SC_RE_PREFIX "^" SC_RE_IPV4 "/(3[0-2]|[12]?[0-9])$"
#define SC_RE_MAC "^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$"
#define SC_RE_ENDPOINT "^[A-Za-z0-9_.-]+:[A-Za-z0-9_.-]+$"
#define SC_RE_DST "^[A-Za-z0-9_.-]+(:[A-Za-z0-9_.-]+)?$"

#endif
