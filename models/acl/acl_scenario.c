/*
 * acl_scenario.c - the `prefix_sets`, `acls` and `acl_bindings` sections
 * (acl_scenario.h, docs/acl.md).
 *
 * The checks resolve every name (prefix sets, acls, nodes, interfaces)
 * and parse every text form (protocols, port ranges, prefixes) so that
 * the build, which parses them again with the same helpers, cannot fail
 * on input. Each section builds its own objects and keeps them for the
 * run: the prefix sets (following their RIB sources from the build on),
 * the acls using them, the bindings using those (acl_scenario_bind.c);
 * they are freed in the reverse order, bindings first.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acl_scenario.h"
#include "acl_scenario_int.h"
#include "gates.h"
#include "net.h"
#include "rt_scenario.h"
#include "sim.h"
#include "wire.h"

/* --- prefix_sets ----------------------------------------------------- */

enum { PF_NODE, PF_VRF, PF_SOURCE, PF_F_MAX };

struct ps_from {
	char *node, *vrf, *source;
	size_t node_idx;
	struct sc_loc loc;
	struct sc_loc vloc[PF_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(PF_F_MAX)];
};

static const struct sc_field pf_fields[] = {
	[PF_NODE] = { "node", SC_FT_NAME, SC_AT(struct ps_from, node),
		.required = true, .doc = "the node whose routing table is "
		    "followed" },
	[PF_VRF] = { "vrf", SC_FT_NAME, SC_AT(struct ps_from, vrf),
		.def = "default", .doc = "its VRF: one with an interface of "
		    "the node or a route_tables item" },
	[PF_SOURCE] = { "source", SC_FT_NAME, SC_AT(struct ps_from, source),
		.required = true, .doc = "a RIB source name on that node "
		    "(connected, static, bgp, a route table source, ...): the "
		    "prefixes whose best route is that source's are members "
		    "while they are" },
};

static const struct sc_table pf_table = {
	"prefix-set-source", "Dynamic members of a prefix set: the best "
	"routes of one source in a node's VRF, followed live.",
	pf_fields, SC_NFIELDS(pf_fields), sizeof(struct ps_from),
	offsetof(struct ps_from, loc), offsetof(struct ps_from, vloc),
	offsetof(struct ps_from, keys), -1
};

enum { PS_NAME, PS_PREFIXES, PS_FROM_RIB, PS_F_MAX };

struct ps_sc {
	char *name;
	char **prefixes;
	size_t n_prefixes;
	struct sc_loc *ploc;
	struct ps_from *from;
	size_t n_from;
	struct sc_loc loc;
	struct sc_loc vloc[PS_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(PS_F_MAX)];
};

static const struct sc_field ps_fields[] = {
	[PS_NAME] = { "name", SC_FT_NAME, SC_AT(struct ps_sc, name),
		.required = true, .doc = "unique name; rules use it as a "
		    "source or destination" },
	[PS_PREFIXES] = { "prefixes", SC_FT_STRINGS,
		SC_AT(struct ps_sc, prefixes), SC_AT2(struct ps_sc, n_prefixes),
		SC_AT3(struct ps_sc, ploc), .def_doc = "none",
		.doc = "static members, a.b.c.d/len (host bits zero) or a.b.c.d "
		    "(a /32)" },
	[PS_FROM_RIB] = { "from_rib", SC_FT_LIST, SC_AT(struct ps_sc, from),
		SC_AT2(struct ps_sc, n_from), .sub = &pf_table,
		.def_doc = "none", .doc = "dynamic members" },
};

static const struct sc_table ps_table = {
	"prefix-set", "A named set of prefixes for acl rules: static ones and "
	"the best routes of RIB sources, followed live (docs/acl.md).",
	ps_fields, SC_NFIELDS(ps_fields), sizeof(struct ps_sc),
	offsetof(struct ps_sc, loc), offsetof(struct ps_sc, vloc),
	offsetof(struct ps_sc, keys), -1
};

/* "a.b.c.d/len" (host bits zero) or "a.b.c.d" (a /32). */
static bool
parse_prefix(const char *s, uint32_t *addr, uint8_t *len)
{
	if (strchr(s, '/') != NULL)
		return wire_prefix_parse(s, false, addr, len) == 0;
	*len = 32;
	return wire_ip_parse(s, addr) == 0;
}

/* Does s look like an address rather than a name? */
static bool
addr_like(const char *s)
{
	return s[0] >= '0' && s[0] <= '9' && strspn(s, "0123456789./") ==
	    strlen(s);
}

static void
check_prefix_sets(struct sc_check *ck, struct sc_section_data *d)
{
	const struct scenario *sc = sc_check_scenario(ck);
	struct ps_sc *v = d->items;
	size_t i, j;

	for (i = 0; i < d->n; i++) {
		struct ps_sc *s = &v[i];

		sc_names_add(ck, "prefix set", s->name, i, s->vloc[PS_NAME]);
		/* a rule would read these names as words or addresses */
		if (s->name != NULL && (strcmp(s->name, "any") == 0 ||
		    strcmp(s->name, "all") == 0 || addr_like(s->name)))
			sc_check_error(ck, s->vloc[PS_NAME], "'%s' cannot name "
			    "a prefix set: rules read it as %s",
			    sc_check_quote(ck, s->name), addr_like(s->name) ?
			    "an address" : "a keyword");
		for (j = 0; j < s->n_prefixes; j++) {
			uint32_t a;
			uint8_t l;

			if (s->prefixes[j] != NULL &&
			    !parse_prefix(s->prefixes[j], &a, &l))
				sc_check_error(ck, s->ploc[j], "'prefixes': '%s' "
				    "is not a prefix (a.b.c.d/len, host bits "
				    "zero, or a.b.c.d)", sc_check_quote(ck,
				    s->prefixes[j]));
		}
		for (j = 0; j < s->n_from; j++) {
			struct ps_from *f = &s->from[j];

			if (f->node == NULL || !sc_names_lookup(ck, "node",
			    f->node, f->vloc[PF_NODE], &f->node_idx))
				continue;
			/* a typo would follow an empty VRF, silently */
			if (f->vrf != NULL && !route_tables_sc_has_vrf(sc,
			    &sc->nodes[f->node_idx], f->vrf))
				sc_check_error(ck, f->vloc[PF_VRF], "node '%s' "
				    "has no VRF '%s' (no interface in it, no "
				    "route_tables item for it)", f->node,
				    sc_check_quote(ck, f->vrf));
		}
	}
}

struct ps_run {
	struct acl_pset **sets;
	size_t n;
};

static void
ps_free(void *state)
{
	struct ps_run *r = state;
	size_t i;

	for (i = 0; i < r->n; i++)
		acl_pset_free(r->sets[i]);
	free(r->sets);
	free(r);
}

static int
build_prefix_sets(struct sc_build *b, const void *items, size_t n)
{
	const struct ps_sc *v = items;
	struct ps_run *r;
	size_t i, j;

	if (n == 0)
		return 0;
	r = xcalloc(1, sizeof(*r));
	r->sets = xcalloc(n, sizeof(*r->sets));
	r->n = n;
	if (sc_build_set_state(b, r) < 0) {
		ps_free(r);
		return -1;
	}
	for (i = 0; i < n; i++) {
		const struct ps_sc *s = &v[i];

		r->sets[i] = acl_pset_new(s->name);
		for (j = 0; j < s->n_prefixes; j++) {
			uint32_t a;
			uint8_t l;

			if (parse_prefix(s->prefixes[j], &a, &l))
				acl_pset_add(r->sets[i], a, l);
		}
		for (j = 0; j < s->n_from; j++) {
			const struct ps_from *f = &s->from[j];
			struct node *nd = sc_build_node(b, f->node_idx);

			acl_pset_follow(r->sets[i], node_rib(nd, node_vrf(nd,
			    f->vrf)), f->source);
		}
	}
	return 0;
}

static void
write_ps_metrics(const void *state, FILE *f)
{
	const struct ps_run *r = state;
	size_t i;

	fputs("\"prefix_sets\": [", f);
	for (i = 0; i < r->n; i++) {
		fprintf(f, "%s\n    {\"name\":", i ? "," : "");
		scenario_json_str(f, acl_pset_name(r->sets[i]));
		fprintf(f, ",\"prefixes\":%zu}", acl_pset_count(r->sets[i]));
	}
	fputs("\n  ]", f);
}

const struct sc_section acl_sc_prefix_sets = {
	.name = "prefix_sets",
	.doc = "named address sets for acl rules, static and followed from "
	    "routing tables",
	.table = &ps_table, .list = true, .check = check_prefix_sets,
	.phase = SC_PHASE_NET, .build = build_prefix_sets,
	.state_free = ps_free, .metrics_json = write_ps_metrics,
};

/* --- acls ------------------------------------------------------------ */

enum {
	RU_NAME, RU_DIRECTION, RU_PRIORITY, RU_ACTION, RU_PROTOCOL, RU_SOURCE,
	RU_SOURCE_PORTS, RU_DESTINATION, RU_DESTINATION_PORTS, RU_ICMP_TYPE,
	RU_ICMP_CODE, RU_STATELESS, RU_GATE, RU_F_MAX
};

struct rule_sc {
	char *name;
	int direction;		/* index + 1 in directions */
	uint32_t priority;
	int action;		/* index + 1 in actions */
	char *protocol;
	char **src;
	size_t n_src;
	struct sc_loc *src_loc;
	char *sports;
	char **dst;
	size_t n_dst;
	struct sc_loc *dst_loc;
	char *dports;
	uint8_t icmp_type, icmp_code;
	bool stateless;
	char *gate;		/* models/gates, NULL = none */
	struct sc_loc loc;
	struct sc_loc vloc[RU_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(RU_F_MAX)];
};

static const char *const directions[] = { "inbound", "outbound", NULL };
static const char *const direction_docs[] = {
	"to what the binding protects: frames the node sends out of the "
	"bound interface",
	"from what the binding protects: frames the node receives on it",
	NULL };
static const char *const actions[] = { "allow", "deny", NULL };
static const char *const action_docs[] = { "let the packet pass",
	"drop it (first_match only)", NULL };

#define RU(m) SC_AT(struct rule_sc, m)

static const struct sc_field ru_fields[] = {
	[RU_NAME] = { "name", SC_FT_NAME, RU(name),
		.def_doc = "#<position> (1-based) in any_allow; required in "
		    "first_match",
		.doc = "the rule's name, as drop reasons give it" },
	[RU_DIRECTION] = { "direction", SC_FT_ENUM, RU(direction),
		.names = directions, .name_docs = direction_docs,
		.required = true, .doc = "which packets it is for" },
	[RU_PRIORITY] = { "priority", SC_FT_UINT, RU(priority), .min = 1,
		.max = 65535, .def_doc = "none (required in first_match)",
		.doc = "first_match: lower is taken first; unique per acl and "
		    "direction (but between rules under gates never open at "
		    "once)" },
	[RU_ACTION] = { "action", SC_FT_ENUM, RU(action), .names = actions,
		.name_docs = action_docs, .def = "allow",
		.doc = "what a match does" },
	[RU_PROTOCOL] = { "protocol", SC_FT_STRING, RU(protocol),
		.number_ok = true, .def = "any", .doc = "any | tcp | udp | "
		    "icmp | an IP protocol number 0..255" },
	[RU_SOURCE] = { "source", SC_FT_STRINGS, RU(src),
		SC_AT2(struct rule_sc, n_src), SC_AT3(struct rule_sc, src_loc),
		.def_doc = "any", .doc = "prefixes (a.b.c.d/len, a.b.c.d), "
		    "prefix set names, or any (0.0.0.0/0)" },
	[RU_SOURCE_PORTS] = { "source_ports", SC_FT_STRING, RU(sports),
		.number_ok = true, .def = "any",
		.doc = "any | PORT | LOW-HIGH (tcp and udp)" },
	[RU_DESTINATION] = { "destination", SC_FT_STRINGS, RU(dst),
		SC_AT2(struct rule_sc, n_dst), SC_AT3(struct rule_sc, dst_loc),
		.def_doc = "any", .doc = "as source" },
	[RU_DESTINATION_PORTS] = { "destination_ports", SC_FT_STRING,
		RU(dports), .number_ok = true, .def = "any",
		.doc = "any | PORT | LOW-HIGH (tcp and udp)" },
	[RU_ICMP_TYPE] = { "icmp_type", SC_FT_UINT, RU(icmp_type),
		.max = 255, .def_doc = "any", .doc = "icmp only" },
	[RU_ICMP_CODE] = { "icmp_code", SC_FT_UINT, RU(icmp_code),
		.max = 255, .def_doc = "any", .doc = "icmp, with icmp_type" },
	[RU_STATELESS] = { "stateless", SC_FT_BOOL, RU(stateless),
		.def = "false", .doc = "false: an allowed flow is tracked and "
		    "its return traffic passes; true: no tracking" },
	[RU_GATE] = { "gate", SC_FT_STRING, RU(gate),
		.def_doc = "none: the rule is there all the time",
		.doc = "a gate of the gates section: while it is closed the "
		    "rule is skipped as if absent (flows it let be tracked "
		    "keep their state)" },
};

static const struct sc_table ru_table = {
	"acl-rule", "One rule of an acl.",
	ru_fields, SC_NFIELDS(ru_fields), sizeof(struct rule_sc),
	offsetof(struct rule_sc, loc), offsetof(struct rule_sc, vloc),
	offsetof(struct rule_sc, keys), -1
};

enum { AC_NAME, AC_LABEL, AC_MODE, AC_RULES, AC_F_MAX };

struct acl_sc {
	char *name, *label;
	int mode;		/* index + 1 in modes */
	struct rule_sc *rules;
	size_t n_rules;
	struct sc_loc loc;
	struct sc_loc vloc[AC_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(AC_F_MAX)];
};

static const char *const modes[] = { "first_match", "any_allow", NULL };
static const char *const mode_docs[] = {
	"rules by ascending priority per direction; the first match allows "
	"or denies; none: deny",
	"allow-only rules; a packet passes if any rule allows it (stateless "
	"rules take precedence over stateful ones)", NULL };

static const struct sc_field ac_fields[] = {
	[AC_NAME] = { "name", SC_FT_NAME, SC_AT(struct acl_sc, name),
		.required = true, .doc = "unique name; bindings use it" },
	[AC_LABEL] = { "label", SC_FT_NAME, SC_AT(struct acl_sc, label),
		.def = "acl", .doc = "the word drop reasons start with (nsg, "
		    "security-list, ...)" },
	[AC_MODE] = { "mode", SC_FT_ENUM, SC_AT(struct acl_sc, mode),
		.names = modes, .name_docs = mode_docs, .def = "first_match",
		.doc = "how its rules decide" },
	[AC_RULES] = { "rules", SC_FT_LIST, SC_AT(struct acl_sc, rules),
		SC_AT2(struct acl_sc, n_rules), .sub = &ru_table,
		.def_doc = "none (first_match: deny all; any_allow: allow "
		    "nothing)", .doc = "its rules" },
};

static const struct sc_table ac_table = {
	"acl", "An access list (docs/acl.md).",
	ac_fields, SC_NFIELDS(ac_fields), sizeof(struct acl_sc),
	offsetof(struct acl_sc, loc), offsetof(struct acl_sc, vloc),
	offsetof(struct acl_sc, keys), -1
};

/* "any" | "all" | tcp | udp | icmp | 0..255: the number, or ACL_PROTO_ANY. */
static bool
parse_proto(const char *s, int *proto)
{
	char *end;
	long v;

	if (strcmp(s, "any") == 0 || strcmp(s, "all") == 0)
		*proto = ACL_PROTO_ANY;
	else if (strcmp(s, "tcp") == 0)
		*proto = WIRE_IPPROTO_TCP;
	else if (strcmp(s, "udp") == 0)
		*proto = WIRE_IPPROTO_UDP;
	else if (strcmp(s, "icmp") == 0)
		*proto = WIRE_IPPROTO_ICMP;
	else {
		if (s[0] < '0' || s[0] > '9')
			return false;
		v = strtol(s, &end, 10);
		if (*end != '\0' || v > 255)
			return false;
		*proto = (int)v;
	}
	return true;
}

static bool
parse_port(const char *s, char **end, uint16_t *port)
{
	unsigned long v;

	if (*s < '0' || *s > '9')
		return false;
	v = strtoul(s, end, 10);
	if (v > 65535)
		return false;
	*port = (uint16_t)v;
	return true;
}

/* "any" | "P" | "LO-HI" (LO <= HI). */
static bool
parse_ports(const char *s, uint16_t range[2])
{
	char *end;

	if (strcmp(s, "any") == 0) {
		range[0] = 0;
		range[1] = 65535;
		return true;
	}
	if (!parse_port(s, &end, &range[0]))
		return false;
	if (*end == '\0') {
		range[1] = range[0];
		return true;
	}
	if (*end != '-' || !parse_port(end + 1, &end, &range[1]) ||
	    *end != '\0')
		return false;
	return range[0] <= range[1];
}

/* A source or destination entry: any, a prefix, or a set's index. */
static bool
check_addr(struct sc_check *ck, const char *key, const char *s,
    struct sc_loc loc)
{
	uint32_t a;
	uint8_t l;
	size_t idx;

	if (strcmp(s, "any") == 0)
		return true;
	if (addr_like(s)) {
		if (parse_prefix(s, &a, &l))
			return true;
		sc_check_error(ck, loc, "'%s': '%s' is not a prefix "
		    "(a.b.c.d/len, host bits zero, or a.b.c.d)", key,
		    sc_check_quote(ck, s));
		return false;
	}
	return sc_names_lookup(ck, "prefix set", s, loc, &idx);
}

static bool
is_tcp_udp(int proto)
{
	return proto == WIRE_IPPROTO_TCP || proto == WIRE_IPPROTO_UDP;
}

static void
check_ports(struct sc_check *ck, const struct rule_sc *r, size_t key,
    const char *s, int proto, bool proto_ok)
{
	uint16_t range[2];

	if (s == NULL || !sc_key_given(r->keys, key))
		return;
	if (!parse_ports(s, range)) {
		sc_check_error(ck, r->vloc[key], "'%s': '%s' is not a port "
		    "range (any, PORT or LOW-HIGH, 0..65535, LOW <= HIGH)",
		    ru_fields[key].name, sc_check_quote(ck, s));
		return;
	}
	if (proto_ok && !is_tcp_udp(proto) && strcmp(s, "any") != 0)
		sc_check_error(ck, r->vloc[key], "'%s' needs protocol tcp or "
		    "udp", ru_fields[key].name);
}

static void
check_rule(struct sc_check *ck, const struct acl_sc *a, struct rule_sc *r)
{
	bool fm = a->mode == 1, proto_ok = false;
	int proto = ACL_PROTO_ANY;
	size_t j;

	if (fm && r->name == NULL && !sc_key_given(r->keys, RU_NAME))
		sc_check_error(ck, r->loc, "a first_match rule needs a name");
	if (fm && !sc_key_given(r->keys, RU_PRIORITY))
		sc_check_error(ck, r->loc, "a first_match rule needs a "
		    "priority (1..65535)");
	if (!fm && sc_key_given(r->keys, RU_PRIORITY))
		sc_check_error(ck, r->vloc[RU_PRIORITY], "'priority' is for "
		    "first_match rules (any_allow rules have no order)");
	if (!fm && r->action == 2)
		sc_check_error(ck, r->vloc[RU_ACTION], "an any_allow acl only "
		    "allows: action deny needs mode first_match");
	if (r->protocol != NULL) {
		proto_ok = parse_proto(r->protocol, &proto);
		if (!proto_ok)
			sc_check_error(ck, r->vloc[RU_PROTOCOL], "'protocol': "
			    "expected any, tcp, udp, icmp or 0..255, got '%s'",
			    sc_check_quote(ck, r->protocol));
	}
	check_ports(ck, r, RU_SOURCE_PORTS, r->sports, proto, proto_ok);
	check_ports(ck, r, RU_DESTINATION_PORTS, r->dports, proto, proto_ok);
	if (proto_ok && proto != WIRE_IPPROTO_ICMP &&
	    sc_key_given(r->keys, RU_ICMP_TYPE))
		sc_check_error(ck, r->vloc[RU_ICMP_TYPE], "'icmp_type' needs "
		    "protocol icmp");
	if (sc_key_given(r->keys, RU_ICMP_CODE) &&
	    !sc_key_given(r->keys, RU_ICMP_TYPE))
		sc_check_error(ck, r->vloc[RU_ICMP_CODE], "'icmp_code' needs "
		    "icmp_type");
	/* an empty list would read as any: say which was meant */
	if (r->n_src == 0 && sc_key_ok(r->keys, RU_SOURCE))
		sc_check_error(ck, r->vloc[RU_SOURCE], "'source' is empty: "
		    "omit it or write any");
	if (r->n_dst == 0 && sc_key_ok(r->keys, RU_DESTINATION))
		sc_check_error(ck, r->vloc[RU_DESTINATION], "'destination' is "
		    "empty: omit it or write any");
	for (j = 0; j < r->n_src; j++)
		if (r->src[j] != NULL)
			check_addr(ck, "source", r->src[j], r->src_loc[j]);
	for (j = 0; j < r->n_dst; j++)
		if (r->dst[j] != NULL)
			check_addr(ck, "destination", r->dst[j], r->dst_loc[j]);
	if (sc_key_ok(r->keys, RU_GATE))
		(void)sc_names_lookup(ck, "gate", r->gate, r->vloc[RU_GATE], &j);
}

/*
 * Two rules that never exist together: under gates never open at once
 * (versions of one rule over time, as a cloud rule's update writes them).
 * Rules under gates that can be open together would both be in the acl,
 * and which is taken would be the file's order: not that.
 */
static bool
apart_in_time(struct sc_check *ck, const struct rule_sc *a,
    const struct rule_sc *b)
{
	return a->gate != NULL && b->gate != NULL &&
	    strcmp(a->gate, b->gate) != 0 &&
	    !gates_check_overlap(ck, a->gate, b->gate);
}

/*
 * ": gates 'g2' and 'g1' can be open at once" for rules under two gates,
 * else "" (gate names are checked printable and short: no quoting).
 */
static const char *
together(const struct rule_sc *a, const struct rule_sc *b, char *buf,
    size_t len)
{
	if (a->gate == NULL || b->gate == NULL || strcmp(a->gate, b->gate) == 0)
		return "";
	snprintf(buf, len, ": gates '%s' and '%s' can be open at once",
	    a->gate, b->gate);
	return buf;
}

static void
check_acls(struct sc_check *ck, struct sc_section_data *d)
{
	struct acl_sc *v = d->items;
	size_t i, j, k;
	char why[600];

	for (i = 0; i < d->n; i++) {
		struct acl_sc *a = &v[i];

		sc_names_add(ck, "acl", a->name, i, a->vloc[AC_NAME]);
		for (j = 0; j < a->n_rules; j++) {
			struct rule_sc *r = &a->rules[j];

			check_rule(ck, a, r);
			for (k = 0; k < j; k++) {
				const struct rule_sc *o = &a->rules[k];

				if (apart_in_time(ck, r, o))
					continue;
				if (r->name != NULL && o->name != NULL &&
				    strcmp(r->name, o->name) == 0) {
					sc_check_error(ck, r->vloc[RU_NAME],
					    "duplicate rule '%s' in acl '%s' "
					    "(first at %u:%u)%s", r->name,
					    a->name, o->vloc[RU_NAME].line,
					    o->vloc[RU_NAME].col,
					    together(r, o, why, sizeof(why)));
					break;
				}
			}
			for (k = 0; a->mode == 1 && k < j; k++) {
				const struct rule_sc *o = &a->rules[k];

				if (apart_in_time(ck, r, o) ||
				    !sc_key_ok(r->keys, RU_PRIORITY) ||
				    !sc_key_ok(o->keys, RU_PRIORITY) ||
				    o->priority != r->priority ||
				    o->direction != r->direction)
					continue;
				sc_check_error(ck, r->vloc[RU_PRIORITY],
				    "priority %u is taken by rule '%s' (at "
				    "%u:%u) among the %s rules of acl '%s'%s",
				    r->priority, o->name ? o->name : "?",
				    o->loc.line, o->loc.col,
				    r->direction > 0 ?
				    directions[r->direction - 1] : "?",
				    a->name, together(r, o, why, sizeof(why)));
				break;
			}
		}
	}
}

static void
acls_free(void *state)
{
	struct acls_run *r = state;
	size_t i;

	for (i = 0; i < r->n; i++)
		acl_free(r->acls[i]);
	free(r->acls);
	free(r->gated);
	free(r);
}

static struct acl_pset *
find_set(const struct ps_run *ps, const char *name)
{
	size_t i;

	for (i = 0; ps != NULL && i < ps->n; i++)
		if (strcmp(acl_pset_name(ps->sets[i]), name) == 0)
			return ps->sets[i];
	return NULL;
}

static void
build_addrs(const struct ps_run *ps, char *const *v, size_t n,
    struct acl_addrs *x)
{
	size_t j;

	memset(x, 0, sizeof(*x));
	x->any = n == 0;
	if (n == 0)
		return;
	x->prefix = xcalloc(n, sizeof(*x->prefix));
	x->len = xcalloc(n, sizeof(*x->len));
	x->sets = xcalloc(n, sizeof(*x->sets));
	for (j = 0; j < n; j++) {
		struct acl_pset *s;

		if (strcmp(v[j], "any") == 0)
			x->any = true;
		else if (parse_prefix(v[j], &x->prefix[x->n], &x->len[x->n]))
			x->n++;
		else if ((s = find_set(ps, v[j])) != NULL)
			x->sets[x->n_sets++] = s;
	}
}

static void
free_addrs(struct acl_addrs *x)
{
	free(x->prefix);
	free(x->len);
	free(x->sets);
}

static void
build_rule(struct acl *acl, const struct ps_run *ps, const struct rule_sc *r,
    size_t idx)
{
	struct acl_rule ar;
	char name[32];

	memset(&ar, 0, sizeof(ar));
	snprintf(name, sizeof(name), "#%zu", idx + 1);
	ar.name = r->name != NULL ? r->name : name;
	ar.dir = r->direction == 2 ? ACL_OUTBOUND : ACL_INBOUND;
	ar.priority = acl_mode(acl) == ACL_FIRST_MATCH ? r->priority : 0;
	ar.allow = r->action != 2;
	ar.stateless = r->stateless;
	parse_proto(r->protocol, &ar.proto);
	parse_ports(r->sports, ar.sport);
	parse_ports(r->dports, ar.dport);
	ar.icmp_type = sc_key_ok(r->keys, RU_ICMP_TYPE) ? r->icmp_type : -1;
	ar.icmp_code = sc_key_ok(r->keys, RU_ICMP_CODE) ? r->icmp_code : -1;
	build_addrs(ps, r->src, r->n_src, &ar.src);
	build_addrs(ps, r->dst, r->n_dst, &ar.dst);
	acl_add_rule(acl, &ar);
	free_addrs(&ar.src);
	free_addrs(&ar.dst);
}

static void
rule_follow(void *arg, bool open)
{
	const struct acl_sc_gated *g = arg;

	acl_rule_set_active(g->acl, g->rule, open);
}

/* Every gated rule is there only while its gate is open. */
static int
follow_gates(struct sc_build *b, struct acls_run *r, const struct acl_sc *v,
    size_t n)
{
	struct gates *gs = gates_of_build(b);
	size_t i, j, m = 0;

	for (i = 0; i < n; i++)
		for (j = 0; j < v[i].n_rules; j++)
			m += v[i].rules[j].gate != NULL;
	if (m == 0)
		return 0;
	r->gated = xcalloc(m, sizeof(*r->gated));
	for (i = 0; i < n; i++)
		for (j = 0; j < v[i].n_rules; j++) {
			struct acl_sc_gated *g = &r->gated[r->n_gated];
			struct gate *gt;

			if (v[i].rules[j].gate == NULL)
				continue;
			gt = gates_find(gs, v[i].rules[j].gate);
			SIM_ASSERT(gt != NULL, "acl %s: gate %s not checked",
			    v[i].name, v[i].rules[j].gate);
			g->acl = r->acls[i];
			g->rule = j;
			r->n_gated++;
			acl_rule_set_active(g->acl, j, gate_is_open(gt));
			if (gate_watch(gt, rule_follow, g) < 0)
				return sim_err(b->err, b->errlen,
				    "out of memory");
		}
	return 0;
}

static int
build_acls(struct sc_build *b, const void *items, size_t n)
{
	const struct acl_sc *v = items;
	const struct ps_run *ps = sc_build_state(b, "prefix_sets");
	struct acls_run *r;
	size_t i, j;

	if (n == 0)
		return 0;
	r = xcalloc(1, sizeof(*r));
	r->acls = xcalloc(n, sizeof(*r->acls));
	r->n = n;
	if (sc_build_set_state(b, r) < 0) {
		acls_free(r);
		return -1;
	}
	for (i = 0; i < n; i++) {
		const struct acl_sc *a = &v[i];

		r->acls[i] = acl_new(a->name, a->label, a->mode == 2 ?
		    ACL_ANY_ALLOW : ACL_FIRST_MATCH);
		for (j = 0; j < a->n_rules; j++)
			build_rule(r->acls[i], ps, &a->rules[j], j);
	}
	return follow_gates(b, r, v, n);
}

const struct sc_section acl_sc_acls = {
	.name = "acls",
	.doc = "access lists: first_match (priorities, allow and deny) or "
	    "any_allow (allow-only) rules, stateful or stateless",
	.table = &ac_table, .list = true, .check = check_acls,
	.phase = SC_PHASE_NET, .build = build_acls, .state_free = acls_free,
};

int
acl_scenario_register(void)
{
	if (scenario_register_section(&acl_sc_prefix_sets) < 0)
		return -1;
	if (scenario_register_section(&acl_sc_acls) < 0) {
		scenario_unregister_section(&acl_sc_prefix_sets);
		return -1;
	}
	if (scenario_register_section(&acl_sc_bindings) < 0) {
		scenario_unregister_section(&acl_sc_acls);
		scenario_unregister_section(&acl_sc_prefix_sets);
		return -1;
	}
	return 0;
}
