/*
 * provider_scenario.c - the `providers` section (provider.h): its tables,
 * its checks, and the names, addresses and labels the expansion
 * (provider_expand.c) derives from an item. Nothing of it is built at run
 * time: the expansion writes the data plane as provider_devices items
 * (provider_devices.c), which are.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "azure.h"
#include "interconnect.h"
#include "oci.h"
#include "provider.h"
#include "provider_int.h"
#include "query_cross.h"
#include "scenario_section.h"
#include "util.h"

void pv_expand(struct sc_expand *ex, const void *items, size_t n);

#define PV(m) SC_AT(struct pv_provider, m)

static const struct sc_field core_fields[] = {
	[CO_HOPS] = { "hops", SC_FT_UINT, SC_AT(struct pv_core, hops),
		.max = PV_HOPS_MAX, .def = "2",
		.doc = "P routers between the two PEs of a path (0: the PEs "
		    "are linked directly)" },
	[CO_HOP_DELAY] = { "hop_delay", SC_FT_DELAY,
		SC_AT(struct pv_core, hop_delay), .def = "500us",
		.doc = "one-way delay of each core link (hops + 1 links)" },
	[CO_SPAN_DELAY] = { "span_delay", SC_FT_DELAY,
		SC_AT(struct pv_core, span_delay), .def_doc = "hop_delay per "
		    "link",
		.doc = "one-way delay PE to PE, split evenly over the core "
		    "links (the remainder on the last), or a span {from, to, "
		    "route_factor} between two places (docs/geo.md); instead "
		    "of hop_delay" },
	[CO_RATE] = { "rate", SC_FT_RATE, SC_AT(struct pv_core, rate),
		.min = 1, .def = "10Gbps", .doc = "core link rate" },
	[CO_MTU] = { "mtu", SC_FT_UINT, SC_AT(struct pv_core, mtu),
		.min = 1508, .max = 9216, .def = "9100",
		.doc = "core link IP MTU: room for the label stack above a "
		    "1500-byte packet" },
};

static const struct sc_table core_table = {
	"provider-core", "A provider's MPLS core, per path (primary, "
	"secondary): PE, hops P routers, PE.",
	core_fields, SC_NFIELDS(core_fields), sizeof(struct pv_core),
	offsetof(struct pv_core, loc), offsetof(struct pv_core, vloc),
	offsetof(struct pv_core, keys), -1
};

static const struct sc_field side_fields[] = {
	[SD_NAME] = { "name", SC_FT_NAME, SC_AT(struct pv_side, name),
		.required = true, .doc = "the side's name (its VRF's with "
		    "vrfs: separate; in its PEs' names)" },
	[SD_CIRCUIT] = { "circuit", SC_FT_NAME,
		SC_AT(struct pv_side, circuit), .def_doc = "none",
		.doc = "an ExpressRoute circuit of the azure section with its "
		    "private_peering typed (its peer_asn the provider's asn): "
		    "the PEs peer with its MSEEs' private-peering" },
	[SD_VC] = { "virtual_circuit", SC_FT_NAME, SC_AT(struct pv_side, vc),
		.def_doc = "none",
		.doc = "an OCI FastConnect virtual circuit of the oci section "
		    "through this provider (provider_service_name the "
		    "provider's, provider_service_type LAYER3, customer_asn "
		    "the provider's asn): the PEs take its "
		    "customer_bgp_peering_ips and peer with its Oracle edges" },
	[SD_PRIMARY] = { "primary", SC_FT_ENDPOINT,
		SC_AT(struct pv_side, peer_node[0]),
		SC_AT2(struct pv_side, peer_if[0]), .def_doc = "the circuit's",
		.doc = "node:iface the primary PE peers with (an Oracle edge's "
		    "private-peering, a router written by hand)" },
	[SD_SECONDARY] = { "secondary", SC_FT_ENDPOINT,
		SC_AT(struct pv_side, peer_node[1]),
		SC_AT2(struct pv_side, peer_if[1]), .def_doc = "the circuit's",
		.doc = "node:iface the secondary PE peers with" },
	[SD_DELAY] = { "delay", SC_FT_DELAY, SC_AT(struct pv_side, delay),
		.def = "20us", .doc = "one-way delay PE <-> the cloud's edge "
		    "(a cross-connect in the peering location)" },
	[SD_RATE] = { "rate", SC_FT_RATE, SC_AT(struct pv_side, rate),
		.min = 1, .def = "10Gbps", .doc = "rate of that link" },
	[SD_PREFIX_LIMIT] = { "prefix_limit", SC_FT_UINT,
		SC_AT(struct pv_side, prefix_limit), .max = UINT32_MAX,
		.def_doc = "none", .doc = "prefixes the PEs accept from this "
		    "cloud before dropping the session (Cease 6/1)" },
};

static const struct sc_table side_table = {
	"provider-side", "One cloud side of a provider: the edge its PEs "
	"peer with.",
	side_fields, SC_NFIELDS(side_fields), sizeof(struct pv_side),
	offsetof(struct pv_side, loc), offsetof(struct pv_side, vloc),
	offsetof(struct pv_side, keys), -1
};

static const struct sc_field cust_fields[] = {
	[CU_NODE] = { "node", SC_FT_NAME, SC_AT(struct pv_customer, node),
		.required = true, .doc = "the customer's router (a node of "
		    "the file, or made with this name)" },
	[CU_ASN] = { "asn", SC_FT_UINT, SC_AT(struct pv_customer, asn),
		.min = 1, .max = UINT32_MAX, .required = true,
		.doc = "its AS (its bgp speaker's, when the file has one)" },
	[CU_AT] = { "at", SC_FT_NAME, SC_AT(struct pv_customer, at),
		.def_doc = "the first side",
		.doc = "the side whose PEs (primary and secondary) it is "
		    "attached to, one link per VRF" },
	[CU_DELAY] = { "delay", SC_FT_DELAY,
		SC_AT(struct pv_customer, delay),
		.def = "100us", .doc = "one-way delay of those links" },
};

static const struct sc_table cust_table = {
	"provider-customer", "The customer's router attached to every VRF.",
	cust_fields, SC_NFIELDS(cust_fields), sizeof(struct pv_customer),
	offsetof(struct pv_customer, loc), offsetof(struct pv_customer, vloc),
	offsetof(struct pv_customer, keys), -1
};

static const struct sc_field pv_fields[] = {
	[PV_NAME] = { "name", SC_FT_NAME, PV(name), .required = true,
		.doc = "the provider's name (its routers' names start with "
		    "it)" },
	[PV_KIND] = { "kind", SC_FT_ENUM, PV(kind),
		.names = SC_LIST("l3", "l2"),
		.name_docs = SC_LIST("an IP VPN over MPLS (B7): the provider "
		    "runs BGP with each cloud",
		    "an Ethernet service (1.7): the provider carries the "
		    "customer's VLANs from its router to each cloud's edge, "
		    "the customer runs BGP with each cloud"),
		.required = true, .doc = "the service" },
	[PV_ASN] = { "asn", SC_FT_UINT, PV(asn), .min = 1, .max = UINT32_MAX,
		.def_doc = "none (required for l3)",
		.doc = "the provider's AS (l3: the peer_asn of the Azure private "
		    "peering)" },
	[PV_VRFS] = { "vrfs", SC_FT_ENUM, PV(vrfs),
		.names = SC_LIST("shared", "separate"),
		.name_docs = SC_LIST("one VRF for both clouds: the provider "
		    "re-advertises each cloud's routes to the other",
		    "one VRF per cloud: routes cross only through the "
		    "customer's router"),
		.def = "separate", .doc = "the customer's VRFs" },
	[PV_TTL] = { "ttl_propagate", SC_FT_BOOL, PV(ttl_propagate),
		.def = "false", .doc = "the uniform TTL model (RFC 3443): "
		    "the IP TTL goes into the labels and each P router "
		    "decrements it (they send no ICMP: a traceroute shows * "
		    "for them); false, the pipe model: the core is one IP "
		    "hop" },
	[PV_BLOCK] = { "block", SC_FT_PREFIX, PV(block),
		SC_AT2(struct pv_provider, block_plen),
		.def_doc = "100.64.N.0/24, N the provider's index",
		.doc = "the provider's own /30s: VRF ends in the core, "
		    "customer links; /24 or larger" },
	[PV_CORE] = { "core", SC_FT_MAP, PV(core), .sub = &core_table,
		.def_doc = "hops 2, 500us each", .doc = "the MPLS core" },
	[PV_SIDES_F] = { "sides", SC_FT_LIST, PV(sides),
		SC_AT2(struct pv_provider, n_sides),
		.sub = &side_table, .required = true,
		.doc = "the two clouds' edges, in order (side 0, side 1)" },
	[PV_CUSTOMER] = { "customer", SC_FT_MAP, PV(customer),
		.sub = &cust_table, .def_doc = "none",
		.doc = "the customer's router on every VRF" },
};

static const struct sc_table pv_table = {
	"provider", "A connectivity provider between the clouds "
	"(docs/provider.md).",
	pv_fields, SC_NFIELDS(pv_fields), sizeof(struct pv_provider),
	offsetof(struct pv_provider, loc), offsetof(struct pv_provider, vloc),
	offsetof(struct pv_provider, keys), -1
};

/* --- names, addresses, labels ------------------------------------- */

size_t
pv_n_vrfs(const struct pv_provider *p)
{
	return p->vrfs == PV_VRFS_SHARED ? 1 : p->n_sides;
}

const char *
pv_vrf_name(const struct pv_provider *p, size_t v)
{
	return p->vrfs == PV_VRFS_SHARED ? p->name : p->sides[v].name;
}

size_t
pv_side_vrf(const struct pv_provider *p, size_t s)
{
	return p->vrfs == PV_VRFS_SHARED ? 0 : s;
}

char *
pv_pe_name(char *buf, const struct pv_provider *p, size_t side, size_t path)
{
	snprintf(buf, PV_NAME_LEN, "%s-pe-%s-%s", p->name,
	    p->sides[side].name, ic_path_name[path]);
	return buf;
}

char *
pv_p_name(char *buf, const struct pv_provider *p, size_t hop, size_t path)
{
	snprintf(buf, PV_NAME_LEN, "%s-p%zu-%s", p->name, hop,
	    ic_path_name[path]);
	return buf;
}

char *
pv_sw_name(char *buf, const struct pv_provider *p, size_t side, size_t path)
{
	snprintf(buf, PV_NAME_LEN, "%s-sw-%s-%s", p->name,
	    p->sides[side].name, ic_path_name[path]);
	return buf;
}

char *
pv_vrf_if(char *buf, const struct pv_provider *p, size_t v)
{
	snprintf(buf, PV_NAME_LEN, "vrf-%s", pv_vrf_name(p, v));
	return buf;
}

char *
pv_cust_if(char *buf, const struct pv_provider *p, size_t v)
{
	snprintf(buf, PV_NAME_LEN, "cust-%s", pv_vrf_name(p, v));
	return buf;
}

void
pv_p2p(const struct pv_provider *p, uint32_t k, uint32_t *lo, uint32_t *hi)
{
	*lo = p->block + 4 * k + 1;
	*hi = *lo + 1;
}

sim_time
pv_core_link_delay(const struct pv_provider *p, size_t k)
{
	sim_time n = (sim_time)p->core.hops + 1, each;

	if (!sc_key_given(p->core.keys, CO_SPAN_DELAY))
		return p->core.hop_delay;
	each = p->core.span_delay / n;
	return k + 1 == (size_t)n ? p->core.span_delay - each * (n - 1) :
	    each;
}

const char *
pv_vc_edge(char *buf, const struct scenario *sc, const char *vc, size_t path)
{
	size_t n = 0;
	bool partner = false;

	if (oci_vc_find(sc, vc, &partner, &n) != OCI_VC_FOUND)
		return NULL;
	ic_oracle_edge_name(buf, PV_NAME_LEN, vc, n, (enum ic_path)path);
	return oci_node_named(sc, buf) ? buf : NULL;
}

sim_time
pv_core_delay(const struct pv_provider *p)
{
	sim_time t = 0;
	size_t k;

	for (k = 0; k <= p->core.hops; k++)
		t += pv_core_link_delay(p, k);
	return t;
}

/* --- checks ------------------------------------------------------- */

static bool
circuit_known(const struct scenario *sc, const char *name)
{
	size_t i, n = azure_n_circuits(sc);
	const char *c;

	/* a circuit without a valid name was reported by the azure check */
	for (i = 0; i < n; i++)
		if ((c = azure_circuit_name(sc, i)) != NULL &&
		    strcmp(c, name) == 0)
			return true;
	return false;
}

/* The side's virtual_circuit against the oci section's. */
static void
check_vc(struct sc_check *ck, const struct pv_side *s)
{
	struct scenario *sc = sc_check_scenario(ck);
	bool partner = false;
	size_t n = 0;
	char hint[160], buf[PV_NAME_LEN];

	switch (oci_vc_find(sc, s->vc, &partner, &n)) {
	case OCI_VC_UNJUDGED:
		return;
	case OCI_VC_UNKNOWN:
		sc_check_error(ck, s->vloc[SD_VC], "unknown virtual circuit "
		    "'%s': none in the oci section has this name%s",
		    sc_check_quote(ck, s->vc),
		    oci_vc_dym(ck, hint, sizeof(hint), s->vc));
		return;
	case OCI_VC_FOUND:
		break;
	}
	if (!partner)
		sc_check_error(ck, s->vloc[SD_VC], "virtual circuit '%s' is "
		    "not through a FastConnect partner (its "
		    "provider_service_name is Azure's interconnect, or it has "
		    "none: a dedicated circuit): a provider's side is a "
		    "partner's virtual circuit (1.7)",
		    sc_check_quote(ck, s->vc));
	else if (pv_vc_edge(buf, sc, s->vc, 0) == NULL)
		sc_check_error(ck, s->vloc[SD_VC], "virtual circuit '%s' has "
		    "no Oracle edge to peer with (no cross_connect_mappings?)",
		    sc_check_quote(ck, s->vc));
}

/*
 * A key whose value was refused (a misspelt or missing name, a list where
 * a name goes) was reported by the walk: only values parsed are checked,
 * so that nothing here reads a NULL.
 */
static void
check_side(struct sc_check *ck, struct pv_provider *p, size_t si)
{
	struct pv_side *s = &p->sides[si];
	bool c = sc_key_given(s->keys, SD_CIRCUIT);
	bool vc = sc_key_given(s->keys, SD_VC);
	bool pr = sc_key_given(s->keys, SD_PRIMARY);
	bool se = sc_key_given(s->keys, SD_SECONDARY);
	size_t k;

	if ((c || vc) && (pr || se))
		sc_check_error(ck, s->vloc[pr ? SD_PRIMARY : SD_SECONDARY],
		    "give circuit, virtual_circuit or primary/secondary, not "
		    "more");
	else if (c && vc)
		sc_check_error(ck, s->vloc[SD_VC], "give circuit, "
		    "virtual_circuit or primary/secondary, not more");
	else if (!c && !vc && !(pr && se))
		sc_check_error(ck, s->loc, "side '%s' needs circuit, "
		    "virtual_circuit, or both primary and secondary",
		    s->name != NULL ? sc_check_quote(ck, s->name) : "");
	if (s->circuit != NULL && !circuit_known(sc_check_scenario(ck),
	    s->circuit))
		sc_check_error(ck, s->vloc[SD_CIRCUIT], "unknown "
		    "ExpressRoute circuit '%s' (none in the azure section "
		    "has this name)", sc_check_quote(ck, s->circuit));
	if (s->vc != NULL && !c)
		check_vc(ck, s);
	if (s->name == NULL || p->name == NULL)
		return;
	/* "<provider>-pe-<side>-secondary" must be a node name */
	if (strlen(p->name) + strlen(s->name) + 14 > SC_NAME_MAX)
		sc_check_error(ck, s->vloc[SD_NAME], "provider and side "
		    "names too long together for its routers' names (at most "
		    "%d characters)", SC_NAME_MAX - 14);
	for (k = 0; k < si; k++)
		if (p->sides[k].name != NULL &&
		    strcmp(p->sides[k].name, s->name) == 0)
			sc_check_error(ck, s->vloc[SD_NAME], "duplicate side "
			    "'%s'", sc_check_quote(ck, s->name));
}

static void
check_provider(struct sc_check *ck, struct pv_provider *p, size_t idx)
{
	size_t i;

	if (p->loc.line == 0)
		return;
	if (p->name != NULL)
		sc_names_add(ck, "provider", p->name, idx, p->vloc[PV_NAME]);
	if (p->kind == PV_KIND_L3 && !sc_key_given(p->keys, PV_ASN))
		sc_check_error(ck, p->loc, "kind l3 needs asn (the AS the "
		    "provider's routers run)");
	if (p->kind == PV_KIND_L2 && !pv_has_customer(p))
		sc_check_error(ck, p->loc, "kind l2 needs customer (the "
		    "router that runs BGP with each cloud)");
	if (sc_key_given(p->keys, PV_ASN) && (p->asn == IC_ASN_MICROSOFT ||
	    p->asn == IC_ASN_ORACLE || (p->asn >= 65515 && p->asn <= 65520)))
		sc_check_error(ck, p->vloc[PV_ASN], "asn %u is a cloud's "
		    "(12076 Microsoft, 31898 Oracle, 65515-65520 reserved by "
		    "Azure, 1.4)", p->asn);
	if (!sc_key_given(p->keys, PV_BLOCK)) {
		p->block = 0x64400000u + ((uint32_t)idx << 8);
		p->block_plen = 24;
	} else if (p->block_plen > 24) {
		sc_check_error(ck, p->vloc[PV_BLOCK], "block must be a /24 or "
		    "larger (it holds 64 /30s)");
	}
	if (sc_key_given(p->core.keys, CO_SPAN_DELAY) &&
	    sc_key_given(p->core.keys, CO_HOP_DELAY))
		sc_check_error(ck, p->core.vloc[CO_SPAN_DELAY], "give "
		    "hop_delay or span_delay, not both");
	if (p->name != NULL && strlen(p->name) + 16 > SC_NAME_MAX)
		sc_check_error(ck, p->vloc[PV_NAME], "provider name too long "
		    "for its routers' names");
	if (p->n_sides != PV_SIDES) {
		sc_check_error(ck, p->vloc[PV_SIDES_F], "a provider joins "
		    "two sides, not %zu", p->n_sides);
		return;
	}
	for (i = 0; i < p->n_sides; i++)
		check_side(ck, p, i);
	if (!pv_has_customer(p) || p->sides[0].name == NULL ||
	    p->sides[1].name == NULL)
		return;
	if (p->customer.at == NULL) {
		p->customer.at = xstrdup(p->sides[0].name);
	} else if (strcmp(p->customer.at, p->sides[0].name) != 0 &&
	    strcmp(p->customer.at, p->sides[1].name) != 0) {
		sc_check_error(ck, p->customer.vloc[CU_AT], "unknown side "
		    "'%s'", sc_check_quote(ck, p->customer.at));
	}
}

static void
check_providers(struct sc_check *ck, struct sc_section_data *d)
{
	struct pv_provider *p = d->items;
	size_t i;

	for (i = 0; i < d->n; i++)
		check_provider(ck, &p[i], i);
}

const struct sc_section provider_section = {
	.name = "providers",
	.doc = "connectivity providers between the clouds: an IP VPN over "
	    "MPLS or an Ethernet service (docs/provider.md)",
	.table = &pv_table, .list = true, .check = check_providers,
	.expand = pv_expand,
};

int
provider_scenario_register(void)
{
	if (scenario_register_section(&provider_devices_section) < 0)
		return -1;
	if (scenario_register_section(&provider_section) < 0) {
		scenario_unregister_section(&provider_devices_section);
		return -1;
	}
	/* xcsim path and the path assertion cross the MPLS cores */
	return query_crossing_register(&provider_devices_crossing);
}
