/*
 * bgp_scenario.c - the `bgp` section of a scenario file: its field tables
 * and the checks that make each item a speaker configuration the build
 * can use as it is (bgp_scenario.h). The build, the run state and
 * metrics.json are in bgp_scenario_run.c, the assertion kinds in
 * bgp_scenario_assert.c, prefix lists and policies in bgp_scenario_pol.c.
 *
 * An item is one speaker: a node (and VRF) with its AS, its neighbours,
 * the prefixes it originates. Every neighbour is resolved against the
 * node's interfaces and static routes, so a session that could never come
 * up (nobody reachable at the address) is refused at load time with the
 * place in the file, as is any ASN BGP cannot carry.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bfd_scenario.h"
#include "bgp_scenario.h"
#include "bgp_scenario_int.h"
#include "rt_scenario.h"
#include "sim.h"

static const char *const presets[] = { "default", "msee", "oci", NULL };
static const char *const preset_docs[] = {
	"RFC 4271 10's suggested timers: hold 90s, keepalive 30s, "
	"ConnectRetry 120s",
	"an MSEE (AS 12076): keepalive 60s, hold 180s, a peer's hold "
	"below 10s refused",
	"an Oracle edge router (AS 31898): keepalive 60s, hold 180s", NULL };
static const char *const transports[] = { "auto", "simulated", NULL };
static const char *const transport_docs[] = {
	"real sockets under xcsim emulate when the node is in the emulation "
	"section's bgp_sockets, "
	"else the node's simulated TCP",
	"always the node's simulated TCP: a simulated peer (an iBGP partner, "
	"an Oracle edge) of a speaker whose other neighbours are real", NULL };

/* RFC 5880 4.1 carries BFD intervals in 32-bit microseconds. */
#define BFD_US_MAX ((uint64_t)UINT32_MAX * 1000u)
/* RFC 4271 4.2: the hold time is 16 bits of seconds. */
#define S16_MAX ((uint64_t)UINT16_MAX * SIM_S(1))

static const struct sc_field bt_fields[] = {
	[BT_TX] = { "tx", SC_FT_TIME, SC_AT(struct bgp_sc_bfd_timers, tx),
		.min = 1000, .max = BFD_US_MAX, .def = "300ms",
		.doc = "desired min TX interval, whole microseconds" },
	[BT_RX] = { "rx", SC_FT_TIME, SC_AT(struct bgp_sc_bfd_timers, rx),
		.max = BFD_US_MAX, .def = "300ms",
		.doc = "required min RX interval, whole microseconds" },
	[BT_MULT] = { "multiplier", SC_FT_UINT,
		SC_AT(struct bgp_sc_bfd_timers, mult), .min = 1, .max = 255,
		.def = "3", .doc = "detect multiplier" },
};

static const struct sc_table bt_table = {
	"bgp-bfd", "BFD timers of a neighbour (default: the MSEE's 300ms x "
	"3, docs/bfd.md).",
	bt_fields, SC_NFIELDS(bt_fields), sizeof(struct bgp_sc_bfd_timers),
	offsetof(struct bgp_sc_bfd_timers, loc),
	offsetof(struct bgp_sc_bfd_timers, vloc),
	offsetof(struct bgp_sc_bfd_timers, keys), -1
};

static const struct sc_field mp_fields[] = {
	[MP_LIMIT] = { "limit", SC_FT_UINT,
		SC_AT(struct bgp_sc_max_prefix, limit), .min = 1,
		.max = UINT32_MAX, .required = true,
		.doc = "prefixes accepted from the neighbour (MSEE: 4000, "
		    "10000 with Premium)" },
	[MP_WARNING_ONLY] = { "warning_only", SC_FT_BOOL,
		SC_AT(struct bgp_sc_max_prefix, warning_only), .def = "false",
		.doc = "only trace past the limit, else Cease 6/1" },
	[MP_RESTART] = { "restart", SC_FT_TIME,
		SC_AT(struct bgp_sc_max_prefix, restart), .def = "0s",
		.doc = "start the session again this long after a teardown "
		    "(0s: stay down)" },
};

static const struct sc_table mp_table = {
	"bgp-max-prefix", "A neighbour's maximum-prefix limit.",
	mp_fields, SC_NFIELDS(mp_fields), sizeof(struct bgp_sc_max_prefix),
	offsetof(struct bgp_sc_max_prefix, loc),
	offsetof(struct bgp_sc_max_prefix, vloc),
	offsetof(struct bgp_sc_max_prefix, keys), -1
};

static const struct sc_field gr_fields[] = {
	[GR_RESTART_TIME] = { "restart_time", SC_FT_TIME,
		SC_AT(struct bgp_sc_gr, restart_time), .min = SIM_S(1),
		.max = SIM_S(4095), .def = "120s", .doc = "restart time "
		    "advertised, whole seconds (12 bits, RFC 4724 3; 0, "
		    "\"delete the routes at once\", is not offered)" },
	[GR_STALE_TIME] = { "stale_time", SC_FT_TIME,
		SC_AT(struct bgp_sc_gr, stale_time), .min = 1, .def = "360s",
		.doc = "longest a restarting peer's routes stay stale" },
};

static const struct sc_table gr_table = {
	"bgp-graceful-restart", "Graceful restart (RFC 4724) on a neighbour: "
	"advertised, and honoured as a helper.",
	gr_fields, SC_NFIELDS(gr_fields), sizeof(struct bgp_sc_gr),
	offsetof(struct bgp_sc_gr, loc), offsetof(struct bgp_sc_gr, vloc),
	offsetof(struct bgp_sc_gr, keys), -1
};

#define NB(m) SC_AT(struct bgp_sc_nbr, m)

static const struct sc_field nb_fields[] = {
	[NB_ADDRESS] = { "address", SC_FT_ADDR, NB(addr), .required = true,
		.doc = "the neighbour's address; on a connected subnet, or "
		    "covered by a static route for iBGP and multihop (ttl > 1)" },
	[NB_REMOTE_AS] = { "remote_as", SC_FT_UINT, NB(remote_as),
		.max = UINT32_MAX, .required = true,
		.doc = "its AS, 1..4294967295, not 23456 (AS_TRANS); ours: "
		    "iBGP" },
	[NB_DESCRIPTION] = { "description", SC_FT_STRING, NB(description),
		.def_doc = "none", .doc = "free text" },
	[NB_PRESET] = { "preset", SC_FT_ENUM, NB(preset), .names = presets,
		.name_docs = preset_docs, .def = "default",
		.doc = "the timers the keys below override" },
	[NB_HOLD] = { "hold", SC_FT_TIME, NB(hold), .max = S16_MAX,
		.def_doc = "the preset's",
		.doc = "hold time proposed, whole seconds: 0s (none) or >= 3s" },
	[NB_KEEPALIVE] = { "keepalive", SC_FT_TIME, NB(keepalive),
		.max = S16_MAX, .def_doc = "the preset's",
		.doc = "keepalive, whole seconds (0s: a third of the "
		    "negotiated hold)" },
	[NB_CONNECT_RETRY] = { "connect_retry", SC_FT_TIME, NB(connect_retry),
		.min = SIM_S(1), .max = S16_MAX, .def_doc = "120s",
		.doc = "ConnectRetryTime, whole seconds" },
	[NB_MIN_HOLD] = { "min_hold", SC_FT_TIME, NB(min_hold),
		.max = S16_MAX, .def_doc = "the preset's (msee: 10s)",
		.doc = "refuse a peer's hold time below this (2/6)" },
	[NB_DELAY_OPEN] = { "delay_open", SC_FT_TIME, NB(delay_open),
		.max = S16_MAX, .def_doc = "off",
		.doc = "DelayOpenTime, whole seconds (turns DelayOpen on)" },
	[NB_IDLE_HOLD] = { "idle_hold", SC_FT_TIME, NB(idle_hold),
		.def_doc = "5s", .doc = "automatic restart this long after a "
		    "drop to Idle" },
	[NB_DAMPING] = { "damping", SC_FT_BOOL, NB(damping), .def = "false",
		.doc = "damp a flapping peer: idle hold 60s doubling to 300s "
		    "(forgotten after 300s)" },
	[NB_PASSIVE] = { "passive", SC_FT_BOOL, NB(passive), .def = "false",
		.doc = "never connect, only accept" },
	[NB_TTL] = { "ttl", SC_FT_UINT, NB(ttl), .min = 1, .max = 255,
		.def_doc = "1 eBGP, 64 iBGP",
		.doc = "TTL of our segments; above 1 on eBGP is multihop" },
	[NB_GTSM_HOPS] = { "gtsm_hops", SC_FT_UINT, NB(gtsm_hops), .min = 1,
		.max = 255, .def_doc = "off",
		.doc = "GTSM (RFC 5082): send TTL 255, accept >= 256 - hops" },
	[NB_MD5_KEY] = { "md5_key", SC_FT_STRING, NB(md5_key),
		.def_doc = "none", .doc = "TCP MD5 password (RFC 2385), at "
		    "most 80 bytes; both ends must agree" },
	[NB_BFD] = { "bfd", SC_FT_BOOL, NB(bfd), .def_doc = "false, true "
		"with bfd_timers", .doc = "run BFD to the neighbour and drop "
		    "the session when it goes down" },
	[NB_BFD_TIMERS] = { "bfd_timers", SC_FT_MAP, NB(bfd_timers),
		.sub = &bt_table, .doc = "BFD timers (implies bfd: true)" },
	[NB_MAX_PREFIX] = { "max_prefix", SC_FT_MAP, NB(max_prefix),
		.sub = &mp_table, .def_doc = "no limit",
		.doc = "maximum-prefix limit" },
	[NB_IMPORT] = { "import", SC_FT_NAME, NB(import),
		.def_doc = "none (rfc8212 decides)", .doc = "import policy name" },
	[NB_EXPORT] = { "export", SC_FT_NAME, NB(export),
		.def_doc = "none (rfc8212 decides)", .doc = "export policy name" },
	[NB_NEXT_HOP_SELF] = { "next_hop_self", SC_FT_BOOL, NB(next_hop_self),
		.def = "false", .doc = "iBGP: our address as next hop" },
	[NB_ALLOWAS_IN] = { "allowas_in", SC_FT_UINT, NB(allowas_in),
		.max = 10, .def = "0",
		.doc = "accept paths with our AS up to this many times" },
	[NB_MRAI] = { "mrai", SC_FT_TIME, NB(mrai),
		.def_doc = "0s iBGP, the speaker's ebgp_mrai eBGP",
		.doc = "MinRouteAdvertisementInterval" },
	[NB_RR_CLIENT] = { "rr_client", SC_FT_BOOL, NB(rr_client),
		.def = "false", .doc = "iBGP: a route-reflector client" },
	[NB_GRACEFUL_RESTART] = { "graceful_restart", SC_FT_MAP, NB(gr),
		.sub = &gr_table, .def_doc = "off",
		.doc = "graceful restart (given: on)" },
	[NB_ENHANCED_RR] = { "enhanced_rr", SC_FT_BOOL, NB(enhanced_rr),
		.def = "false", .doc = "enhanced route refresh (RFC 7313)" },
	[NB_TRANSPORT] = { "transport", SC_FT_ENUM, NB(transport),
		.names = transports, .name_docs = transport_docs,
		.def = "auto", .doc = "how the session's TCP runs "
		    "(docs/emulation-bgp.md)" },
	[NB_GATE] = { "gate", SC_FT_STRING, NB(gate),
		.def_doc = "none: configured and started at time zero",
		.doc = "a gate of the gates section: the neighbour is not "
		    "started while it is closed (no connection, no BFD); "
		    "closing stops the session (Cease 6/2, administrative "
		    "shutdown), opening starts it (docs/gates.md)" },
};

static const struct sc_table nb_table = {
	"bgp-neighbor", "A BGP neighbour of the speaker.",
	nb_fields, SC_NFIELDS(nb_fields), sizeof(struct bgp_sc_nbr),
	offsetof(struct bgp_sc_nbr, loc), offsetof(struct bgp_sc_nbr, vloc),
	offsetof(struct bgp_sc_nbr, keys), -1
};

static const struct sc_field nw_fields[] = {
	[NW_PREFIX] = { "prefix", SC_FT_PREFIX,
		SC_AT(struct bgp_sc_prefix, prefix),
		SC_AT2(struct bgp_sc_prefix, plen), .required = true,
		.doc = "a.b.c.d/len originated (a `network` statement)" },
};

static const struct sc_table nw_table = {
	"bgp-network", "A prefix the speaker originates.",
	nw_fields, SC_NFIELDS(nw_fields), sizeof(struct bgp_sc_prefix),
	offsetof(struct bgp_sc_prefix, loc),
	offsetof(struct bgp_sc_prefix, vloc),
	offsetof(struct bgp_sc_prefix, keys), -1
};

static const struct sc_field ag_fields[] = {
	[AG_PREFIX] = { "prefix", SC_FT_PREFIX,
		SC_AT(struct bgp_sc_prefix, prefix),
		SC_AT2(struct bgp_sc_prefix, plen), .required = true,
		.doc = "the aggregate, a.b.c.d/len" },
	[AG_SUMMARY_ONLY] = { "summary_only", SC_FT_BOOL,
		SC_AT(struct bgp_sc_prefix, summary_only), .def = "false",
		.doc = "export only the aggregate, not its more specifics" },
	[AG_AS_SET] = { "as_set", SC_FT_BOOL,
		SC_AT(struct bgp_sc_prefix, as_set), .def = "false",
		.doc = "an AS_SET of the contributors instead of "
		    "ATOMIC_AGGREGATE" },
};

static const struct sc_table ag_table = {
	"bgp-aggregate", "An aggregate, originated while a more specific "
	"route is in the Loc-RIB (RFC 4271 9.2.2.2).",
	ag_fields, SC_NFIELDS(ag_fields), sizeof(struct bgp_sc_prefix),
	offsetof(struct bgp_sc_prefix, loc),
	offsetof(struct bgp_sc_prefix, vloc),
	offsetof(struct bgp_sc_prefix, keys), -1
};

static const struct sc_field rd_fields[] = {
	[RD_SOURCE] = { "source", SC_FT_NAME,
		SC_AT(struct bgp_sc_redist, source), .required = true,
		.doc = "the RIB source whose routes (in the speaker's VRF) are "
		    "originated: connected (the interfaces' subnets), static "
		    "(the node's static routes), or a source name of the "
		    "node's route_tables (docs/route-tables.md)" },
	[RD_POLICY] = { "policy", SC_FT_NAME,
		SC_AT(struct bgp_sc_redist, policy), .def_doc = "none (all)",
		.doc = "a policy filtering them" },
};

static const struct sc_table rd_table = {
	"bgp-redistribute", "Routes of the node originated into BGP (ORIGIN "
	"incomplete, MED the route's metric).",
	rd_fields, SC_NFIELDS(rd_fields), sizeof(struct bgp_sc_redist),
	offsetof(struct bgp_sc_redist, loc),
	offsetof(struct bgp_sc_redist, vloc),
	offsetof(struct bgp_sc_redist, keys), -1
};

#define BG(m) SC_AT(struct bgp_sc, m)

static const struct sc_field bg_fields[] = {
	[BG_NODE] = { "node", SC_FT_NAME, BG(node), .required = true,
		.doc = "the node the speaker runs on" },
	[BG_VRF] = { "vrf", SC_FT_NAME, BG(vrf), .def_doc = "the default VRF",
		.doc = "its VRF: one speaker per node and VRF" },
	[BG_ASN] = { "asn", SC_FT_UINT, BG(asn), .max = UINT32_MAX,
		.required = true, .doc = "the local AS, 1..4294967295, not "
		    "23456 (AS_TRANS)" },
	[BG_ROUTER_ID] = { "router_id", SC_FT_ADDR, BG(router_id),
		.def_doc = "the highest address of its interfaces",
		.doc = "BGP identifier, a.b.c.d, not 0.0.0.0" },
	[BG_MAX_PATHS] = { "max_paths", SC_FT_UINT, BG(max_paths), .min = 1,
		.max = 64, .def = "1", .doc = "ECMP: routes installed per "
		    "prefix" },
	[BG_EBGP_MRAI] = { "ebgp_mrai", SC_FT_TIME, BG(ebgp_mrai),
		.def = "30s", .doc = "MRAI of eBGP neighbours by default" },
	[BG_RFC8212] = { "rfc8212", SC_FT_BOOL, BG(rfc8212), .def = "false",
		.doc = "eBGP without a policy accepts and sends nothing" },
	[BG_CLUSTER_ID] = { "cluster_id", SC_FT_ADDR, BG(cluster_id),
		.def_doc = "the router id", .doc = "route-reflection cluster "
		    "id, a.b.c.d" },
	[BG_ALWAYS_COMPARE_MED] = { "always_compare_med", SC_FT_BOOL,
		BG(always_compare_med), .def = "false",
		.doc = "compare MED across neighbour ASes" },
	[BG_OLDEST_EBGP] = { "oldest_ebgp", SC_FT_BOOL, BG(oldest_ebgp),
		.def = "false", .doc = "prefer the oldest eBGP route" },
	[BG_NEIGHBORS] = { "neighbors", SC_FT_LIST, BG(nbrs),
		SC_AT2(struct bgp_sc, n_nbrs), .sub = &nb_table,
		.doc = "its neighbours" },
	[BG_NETWORKS] = { "networks", SC_FT_LIST, BG(networks),
		SC_AT2(struct bgp_sc, n_networks), .sub = &nw_table,
		.doc = "prefixes it originates" },
	[BG_AGGREGATES] = { "aggregates", SC_FT_LIST, BG(aggregates),
		SC_AT2(struct bgp_sc, n_aggregates), .sub = &ag_table,
		.doc = "aggregates it originates" },
	[BG_REDISTRIBUTE] = { "redistribute", SC_FT_LIST, BG(redist),
		SC_AT2(struct bgp_sc, n_redist), .sub = &rd_table,
		.doc = "the node's routes it originates" },
};

static const struct sc_table bg_table = {
	"bgp-speaker", "A BGP-4 speaker on a node (docs/bgp-scenario.md).",
	bg_fields, SC_NFIELDS(bg_fields), sizeof(struct bgp_sc),
	offsetof(struct bgp_sc, loc), offsetof(struct bgp_sc, vloc),
	offsetof(struct bgp_sc, keys), -1
};

/* --- checks ---------------------------------------------------------- */

static char *
ip_str(char *buf, size_t len, uint32_t a)
{
	snprintf(buf, len, "%u.%u.%u.%u", a >> 24, a >> 16 & 255, a >> 8 & 255,
	    a & 255);
	return buf;
}

static bool
same_vrf(const char *a, const char *b)
{
	return (a == NULL && b == NULL) ||
	    (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static uint32_t
mask(uint8_t plen)
{
	return plen == 0 ? 0 : UINT32_MAX << (32 - plen);
}

/* An AS number BGP can carry as a real AS: error at loc if not. */
static bool
check_asn(struct sc_check *ck, const uint64_t *keys, size_t key,
    const char *what, uint32_t asn, struct sc_loc loc)
{
	if (!sc_key_ok(keys, key))
		return false;
	if (asn == 0) {
		sc_check_error(ck, loc, "%s 0 is reserved (RFC 7607): an AS "
		    "number is 1..4294967295", what);
		return false;
	}
	if (asn == 23456) {
		sc_check_error(ck, loc, "%s 23456 is AS_TRANS (RFC 6793), the "
		    "stand-in a 2-octet speaker sees, not a real AS", what);
		return false;
	}
	return true;
}

/* A time key that must be whole seconds (the protocol carries seconds). */
static bool
whole(struct sc_check *ck, const struct bgp_sc_nbr *nb, size_t key,
    sim_time unit, const char *units)
{
	if (!sc_key_ok(nb->keys, key) ||
	    *(const sim_time *)((const char *)nb + nb_fields[key].off) %
	    unit == 0)
		return true;
	sc_check_error(ck, nb->vloc[key], "'%s' must be whole %s",
	    nb_fields[key].name, units);
	return false;
}

static void
fill_fsm(struct sc_check *ck, struct bgp_sc_nbr *nb)
{
	const struct bgp_fsm_cfg *base = nb->preset == BGP_SC_PRESET_MSEE ?
	    &bgp_fsm_msee_cfg : nb->preset == BGP_SC_PRESET_OCI ?
	    &bgp_fsm_oci_cfg : &bgp_fsm_default_cfg;
	struct bgp_fsm_cfg *c = &nb->fsm;
	char err[160];
	bool ok = true;
	size_t k;

	*c = *base;
	for (k = NB_HOLD; k <= NB_DELAY_OPEN; k++)
		if (!whole(ck, nb, k, SIM_S(1), "seconds"))
			ok = false;
	if (!ok)
		return;
	if (sc_key_ok(nb->keys, NB_HOLD))
		c->hold_s = (uint16_t)(nb->hold / SIM_S(1));
	if (sc_key_ok(nb->keys, NB_KEEPALIVE))
		c->keepalive_s = (uint16_t)(nb->keepalive / SIM_S(1));
	if (sc_key_ok(nb->keys, NB_CONNECT_RETRY))
		c->connect_retry_s = (uint16_t)(nb->connect_retry / SIM_S(1));
	if (sc_key_ok(nb->keys, NB_MIN_HOLD))
		c->min_hold_s = (uint16_t)(nb->min_hold / SIM_S(1));
	if (sc_key_ok(nb->keys, NB_DELAY_OPEN) && nb->delay_open > 0) {
		c->delay_open = true;
		c->delay_open_s = (uint16_t)(nb->delay_open / SIM_S(1));
	}
	if (sc_key_ok(nb->keys, NB_IDLE_HOLD))
		c->idle_hold = nb->idle_hold;
	c->damp = nb->damping;
	c->passive = nb->passive;
	if (bgp_fsm_cfg_check(c, err, sizeof(err)) < 0) {
		sc_check_error(ck, nb->loc, "neighbor timers: %s", err);
		return;
	}
	nb->ok = true;
}

/* Connected subnets of n in vrf, as text for a hint. */
static void
subnets(const struct sc_node *n, const char *vrf, char *buf, size_t len)
{
	size_t i, off = 0;
	char a[16];

	buf[0] = '\0';
	for (i = 0; i < n->n_ifaces && off < len; i++) {
		const struct sc_iface *f = &n->ifaces[i];

		if (f->plen == 0 || !same_vrf(f->vrf, vrf))
			continue;
		off += (size_t)snprintf(buf + off, len - off, "%s%s/%u",
		    off ? ", " : "", ip_str(a, sizeof(a), f->addr), f->plen);
	}
	if (off == 0)
		snprintf(buf, len, "none");
}

/*
 * Can s reach nb's address: on a connected subnet, or (multihop: iBGP or
 * a ttl or GTSM above one hop) through a static route of the node.
 */
static void
check_reach(struct sc_check *ck, const struct bgp_sc *s, struct bgp_sc_nbr *nb)
{
	const struct scenario *sc = sc_check_scenario(ck);
	const struct sc_node *n = &sc->nodes[s->node_idx];
	bool multihop = nb->remote_as == s->asn ||
	    (sc_key_ok(nb->keys, NB_TTL) && nb->ttl > 1) ||
	    (sc_key_ok(nb->keys, NB_GTSM_HOPS) && nb->gtsm_hops > 1);
	char a[16], list[256];
	size_t i;

	for (i = 0; i < n->n_ifaces; i++) {
		const struct sc_iface *f = &n->ifaces[i];

		if (f->plen == 0 || !same_vrf(f->vrf, s->vrf))
			continue;
		if (f->addr == nb->addr) {
			sc_check_error(ck, nb->vloc[NB_ADDRESS], "neighbor %s is "
			    "an address of node '%s' itself (interface '%s')",
			    ip_str(a, sizeof(a), nb->addr), n->name, f->name);
			nb->ok = false;
			return;
		}
		if (((f->addr ^ nb->addr) & mask(f->plen)) == 0)
			return;
	}
	for (i = 0; multihop && i < n->n_routes; i++) {
		const struct sc_route *rt = &n->routes[i];

		if (same_vrf(rt->vrf, s->vrf) &&
		    ((rt->prefix ^ nb->addr) & mask(rt->plen)) == 0)
			return;
	}
	subnets(n, s->vrf, list, sizeof(list));
	if (multihop)
		sc_check_error(ck, nb->vloc[NB_ADDRESS], "no interface of node "
		    "'%s' reaches neighbor %s: not in a connected subnet (%s) "
		    "and no route of the node covers it", n->name,
		    ip_str(a, sizeof(a), nb->addr), list);
	else
		sc_check_error(ck, nb->vloc[NB_ADDRESS], "no interface of node "
		    "'%s' reaches neighbor %s: not in a connected subnet (%s); "
		    "an eBGP neighbor further away needs ttl (multihop) and a "
		    "route", n->name, ip_str(a, sizeof(a), nb->addr), list);
	nb->ok = false;
}

static void
check_nbr(struct sc_check *ck, struct bgp_sc *s, size_t k)
{
	struct bgp_sc_nbr *nb = &s->nbrs[k];
	const char *bfd_name;
	size_t j, idx;
	bool asn_ok;
	char a[16];

	nb->ok = false;
	if (!sc_key_ok(nb->keys, NB_ADDRESS))
		return;
	for (j = 0; j < k; j++)
		if (s->nbrs[j].addr == nb->addr &&
		    sc_key_ok(s->nbrs[j].keys, NB_ADDRESS)) {
			sc_check_error(ck, nb->vloc[NB_ADDRESS], "duplicate "
			    "neighbor %s (first at %u:%u)",
			    ip_str(a, sizeof(a), nb->addr),
			    s->nbrs[j].vloc[NB_ADDRESS].line,
			    s->nbrs[j].vloc[NB_ADDRESS].col);
			return;
		}
	/* every problem of the neighbour is reported, not just the first */
	asn_ok = check_asn(ck, nb->keys, NB_REMOTE_AS, "remote_as",
	    nb->remote_as, nb->vloc[NB_REMOTE_AS]);
	fill_fsm(ck, nb);
	if (!asn_ok)
		nb->ok = false;
	if (sc_key_ok(nb->keys, NB_IMPORT) && !sc_names_lookup(ck, "policy",
	    nb->import, nb->vloc[NB_IMPORT], &idx))
		nb->ok = false;
	if (sc_key_ok(nb->keys, NB_EXPORT) && !sc_names_lookup(ck, "policy",
	    nb->export, nb->vloc[NB_EXPORT], &idx))
		nb->ok = false;
	if (nb->md5_key != NULL && strlen(nb->md5_key) > BGP_MD5_KEY_MAX) {
		sc_check_error(ck, nb->vloc[NB_MD5_KEY], "md5_key is %zu bytes, "
		    "at most %d (RFC 2385 keys as Linux takes them)",
		    strlen(nb->md5_key), BGP_MD5_KEY_MAX);
		nb->ok = false;
	}
	if (sc_key_given(nb->keys, NB_BFD_TIMERS)) {
		int t;

		if (sc_key_ok(nb->keys, NB_BFD) && !nb->bfd) {
			sc_check_error(ck, nb->vloc[NB_BFD_TIMERS], "bfd_timers "
			    "with bfd: false");
			nb->ok = false;
		}
		nb->bfd = true;
		for (t = BT_TX; t <= BT_RX; t++)
			if (sc_key_ok(nb->bfd_timers.keys, (size_t)t) &&
			    (t ? nb->bfd_timers.rx : nb->bfd_timers.tx) %
			    1000 != 0) {
				sc_check_error(ck, nb->bfd_timers.vloc[t], "'%s' "
				    "must be whole microseconds",
				    bt_fields[t].name);
				nb->ok = false;
			}
	}
	if (nb->rr_client && nb->remote_as != s->asn) {
		sc_check_error(ck, nb->vloc[NB_RR_CLIENT], "rr_client on an "
		    "eBGP neighbor (remote_as %u, asn %u): route reflection "
		    "is iBGP's (RFC 4456)", nb->remote_as, s->asn);
		nb->ok = false;
	}
	if (nb->bfd && (bfd_name = bfd_scenario_session_to(
	    sc_check_scenario(ck), s->node_idx, nb->addr)) != NULL) {
		sc_check_error(ck, nb->vloc[sc_key_given(nb->keys, NB_BFD) ?
		    NB_BFD : NB_BFD_TIMERS], "bfd session '%s' already runs "
		    "to %s: a node has one BFD session per peer (drop one; "
		    "BGP does not hear the bfd section's)", bfd_name,
		    ip_str(a, sizeof(a), nb->addr));
		nb->ok = false;
	}
	if (sc_key_ok(nb->gr.keys, GR_RESTART_TIME) &&
	    nb->gr.restart_time % SIM_S(1) != 0) {
		sc_check_error(ck, nb->gr.vloc[GR_RESTART_TIME], "'restart_time' "
		    "must be whole seconds");
		nb->ok = false;
	}
	if (sc_key_ok(nb->keys, NB_GATE) && !sc_names_lookup(ck, "gate",
	    nb->gate, nb->vloc[NB_GATE], &idx))
		nb->ok = false;
	/* whatever else is wrong with it, say whether it can be reached */
	if (sc_key_ok(nb->keys, NB_REMOTE_AS))
		check_reach(ck, s, nb);
}

/* The cfg of a checked neighbour (policies are set by the build). */
static void
fill_nbr_cfg(const struct bgp_sc *s, struct bgp_sc_nbr *nb)
{
	struct bgp_neighbor_cfg *c = &nb->cfg;

	(void)s;
	bgp_neighbor_cfg_init(c, nb->addr, nb->remote_as);
	c->fsm = &nb->fsm;
	c->passive = nb->passive;
	if (sc_key_ok(nb->keys, NB_TTL))
		c->ttl = nb->ttl;
	if (nb->bfd) {
		nb->bfdc = (struct bfd_cfg){ nb->bfd_timers.tx,
		    nb->bfd_timers.rx, nb->bfd_timers.mult };
		c->bfd = &nb->bfdc;
	}
	if (sc_key_given(nb->keys, NB_MAX_PREFIX)) {
		c->max_prefix = nb->max_prefix.limit;
		c->max_prefix_warning_only = nb->max_prefix.warning_only;
		c->max_prefix_restart = nb->max_prefix.restart;
	}
	c->next_hop_self = nb->next_hop_self;
	c->allowas_in = nb->allowas_in;
	if (sc_key_ok(nb->keys, NB_MRAI))
		c->mrai = nb->mrai;
	if (nb->md5_key != NULL)
		snprintf(c->md5_key, sizeof(c->md5_key), "%s", nb->md5_key);
	if (sc_key_ok(nb->keys, NB_GTSM_HOPS))
		c->gtsm_hops = nb->gtsm_hops;
	c->rr_client = nb->rr_client;
	if (sc_key_given(nb->keys, NB_GRACEFUL_RESTART)) {
		c->graceful_restart = true;
		c->gr_restart_s = (uint16_t)(nb->gr.restart_time / SIM_S(1));
		c->gr_stale_time = nb->gr.stale_time;
	}
	c->enhanced_rr = nb->enhanced_rr;
}

/* The highest address of n's interfaces in vrf (0: none). */
static uint32_t
highest_addr(const struct sc_node *n, const char *vrf)
{
	uint32_t best = 0;
	size_t i;

	for (i = 0; i < n->n_ifaces; i++)
		if (n->ifaces[i].plen != 0 && same_vrf(n->ifaces[i].vrf, vrf) &&
		    n->ifaces[i].addr > best)
			best = n->ifaces[i].addr;
	return best;
}

static bool
node_has_vrf(const struct sc_node *n, const char *vrf)
{
	size_t i;

	for (i = 0; i < n->n_ifaces; i++)
		if (same_vrf(n->ifaces[i].vrf, vrf))
			return true;
	return false;
}

/*
 * A redistributed source: connected, static or a route table's source of
 * the node and VRF. The speaker takes one policy for all its sources
 * (bgp_speaker_redistribute), so the entries must agree on it.
 */
static bool
check_redist(struct sc_check *ck, struct bgp_sc *s, size_t k)
{
	struct bgp_sc_redist *rd = &s->redist[k];
	const struct bgp_sc_redist *o;
	bool ok = true;
	size_t idx, j;

	rd->pol_ok = !sc_key_given(rd->keys, RD_POLICY) ||
	    (sc_key_ok(rd->keys, RD_POLICY) && sc_names_lookup(ck, "policy",
	    rd->policy, rd->vloc[RD_POLICY], &idx));
	if (!rd->pol_ok)
		ok = false;
	if (!sc_key_ok(rd->keys, RD_SOURCE))
		return false;
	if (strcmp(rd->source, "bgp") == 0) {
		sc_check_error(ck, rd->vloc[RD_SOURCE], "source 'bgp': the "
		    "speaker's own routes are BGP's already");
		ok = false;
	} else if (strcmp(rd->source, "connected") != 0 &&
	    strcmp(rd->source, "static") != 0 &&
	    !route_tables_sc_has_source(sc_check_scenario(ck), s->node,
	    s->vrf, rd->source)) {
		sc_check_error(ck, rd->vloc[RD_SOURCE], "unknown source '%s' "
		    "(one of: connected, static) and no route_tables item puts "
		    "routes of that source in vrf %s of node '%s'",
		    sc_check_quote(ck, rd->source), s->vrf ? s->vrf : "default",
		    s->node);
		ok = false;
	}
	for (j = 0; j < k; j++) {
		o = &s->redist[j];
		if (sc_key_ok(o->keys, RD_SOURCE) &&
		    strcmp(o->source, rd->source) == 0) {
			sc_check_error(ck, rd->vloc[RD_SOURCE], "source '%s' is "
			    "redistributed already (at %u:%u)", rd->source,
			    o->loc.line, o->loc.col);
			return false;
		}
		/* (a policy already reported unknown is not compared) */
		if (o->pol_ok && rd->pol_ok && ((o->policy == NULL) !=
		    (rd->policy == NULL) || (o->policy != NULL &&
		    strcmp(o->policy, rd->policy) != 0))) {
			sc_check_error(ck, rd->loc, "redistribute: policy %s here "
			    "but %s at %u:%u: a speaker filters every source it "
			    "redistributes with one policy",
			    rd->policy ? rd->policy : "none",
			    o->policy ? o->policy : "none", o->loc.line,
			    o->loc.col);
			return false;
		}
	}
	return ok;
}

bool
bgp_scenario_has_speaker(const struct scenario *sc, const char *node,
    const char *vrf)
{
	const struct bgp_sc *v;
	size_t n, i;

	v = scenario_section(sc, "bgp", &n);
	for (i = 0; i < n; i++)
		if (v[i].node != NULL && strcmp(v[i].node, node) == 0 &&
		    strcmp(v[i].vrf ? v[i].vrf : "default",
		    vrf ? vrf : "default") == 0)
			return true;
	return false;
}

bool
bgp_scenario_node_has_speaker(const struct scenario *sc, const char *node)
{
	const struct bgp_sc *v;
	size_t n, i;

	v = scenario_section(sc, "bgp", &n);
	for (i = 0; i < n; i++)
		if (v[i].node != NULL && strcmp(v[i].node, node) == 0)
			return true;
	return false;
}

bool
bgp_scenario_has_neighbor(const struct scenario *sc, const char *node,
    uint32_t addr)
{
	const struct bgp_sc *v;
	size_t n, i, k;

	v = scenario_section(sc, "bgp", &n);
	for (i = 0; i < n; i++)
		for (k = 0; v[i].node != NULL && strcmp(v[i].node, node) == 0 &&
		    k < v[i].n_nbrs; k++)
			if (v[i].nbrs[k].addr == addr)
				return true;
	return false;
}

static void
check_item(struct sc_check *ck, struct bgp_sc *v, size_t i)
{
	const struct scenario *sc = sc_check_scenario(ck);
	struct bgp_sc *s = &v[i];
	const struct sc_node *n;
	size_t j, k;
	bool ok = true;

	s->ok = s->on_node = false;
	if (!sc_key_ok(s->keys, BG_NODE) ||
	    !sc_names_lookup(ck, "node", s->node, s->vloc[BG_NODE],
	    &s->node_idx))
		return;
	n = &sc->nodes[s->node_idx];
	for (j = 0; j < i; j++)
		if (v[j].on_node && v[j].node_idx == s->node_idx &&
		    same_vrf(v[j].vrf, s->vrf)) {
			sc_check_error(ck, s->vloc[BG_NODE], "node '%s' already "
			    "has a bgp speaker%s%s (at %u:%u): one per node "
			    "and VRF", n->name, s->vrf ? " in vrf " : "",
			    s->vrf ? s->vrf : "", v[j].loc.line, v[j].loc.col);
			return;
		}
	s->on_node = true;
	if (s->vrf != NULL && !node_has_vrf(n, s->vrf)) {
		sc_check_error(ck, s->vloc[BG_VRF], "node '%s' has no interface "
		    "in vrf %s", n->name, s->vrf);
		return;
	}
	if (!check_asn(ck, s->keys, BG_ASN, "asn", s->asn, s->vloc[BG_ASN]))
		ok = false;
	if (!sc_key_given(s->keys, BG_ROUTER_ID)) {
		s->router_id = highest_addr(n, s->vrf);
		if (s->router_id == 0) {
			sc_check_error(ck, s->vloc[BG_NODE], "node '%s' has no "
			    "numbered interface to take a router id from: give "
			    "router_id", n->name);
			ok = false;
		}
	} else if (sc_key_ok(s->keys, BG_ROUTER_ID) && s->router_id == 0) {
		sc_check_error(ck, s->vloc[BG_ROUTER_ID], "router_id must not be "
		    "0.0.0.0 (RFC 4271 4.2)");
		ok = false;
	}
	for (k = 0; k < s->n_nbrs; k++) {
		check_nbr(ck, s, k);
		if (!s->nbrs[k].ok)
			ok = false;
		else
			fill_nbr_cfg(s, &s->nbrs[k]);
	}
	for (k = 0; k < s->n_redist; k++)
		if (!check_redist(ck, s, k))
			ok = false;
	s->ok = ok;
}

static void
check_speakers(struct sc_check *ck, struct sc_section_data *d)
{
	struct bgp_sc *v = d->items;
	size_t i;

	for (i = 0; i < d->n; i++)
		check_item(ck, v, i);
}

const struct sc_section bgp_sc_section = {
	.name = "bgp",
	.doc = "BGP-4 speakers: one per node (and VRF)",
	.table = &bg_table, .list = true, .check = check_speakers,
	.phase = SC_PHASE_APPS, .build = bgp_sc_build,
	.state_free = bgp_sc_run_free, .metrics_json = bgp_sc_metrics,
};

int
bgp_scenario_register(void)
{
	static const struct sc_assertion *const kinds[] = {
		&bgp_sc_assert_established, &bgp_sc_assert_route,
		&bgp_sc_assert_failover, &bgp_sc_assert_converged };
	size_t i, k;

	if (scenario_register_section(&bgp_sc_plist_section) < 0)
		return -1;
	if (scenario_register_section(&bgp_sc_policy_section) < 0)
		goto fail_pl;
	if (scenario_register_section(&bgp_sc_section) < 0)
		goto fail_po;
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (scenario_register_assertion(kinds[i]) < 0)
			goto fail_kinds;
	if (scenario_register_action(&bgp_sc_action_announce) < 0)
		goto fail_kinds;
	if (scenario_register_action(&bgp_sc_action_withdraw) < 0) {
		scenario_unregister_action(&bgp_sc_action_announce);
		goto fail_kinds;
	}
	return 0;
fail_kinds:
	for (k = 0; k < i; k++)
		scenario_unregister_assertion(kinds[k]);
	scenario_unregister_section(&bgp_sc_section);
fail_po:
	scenario_unregister_section(&bgp_sc_policy_section);
fail_pl:
	scenario_unregister_section(&bgp_sc_plist_section);
	return -1;
}
