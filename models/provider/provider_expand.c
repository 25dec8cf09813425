/*
 * provider_expand.c - a providers item expanded (docs/provider.md): per
 * path (primary, secondary) a PE on each side, the P routers between them
 * and the core links; per PE a VRF interface per VRF (its way into the
 * core: no link, the build hooks it), the link to its cloud's edge with
 * the edge's tags and the other address of the edge's /30 (for an Azure
 * circuit typed by the provider: the PE .1/.5, the MSEE .2/.6, B7), a bgp
 * speaker per VRF with eBGP to the edge and iBGP to the far PE's VRF
 * across the core; the customer's router linked into every VRF.
 *
 * The PE reads what it peers with from the document as the earlier
 * expanders (azure, oci) or the user wrote it: the edge interface's
 * address and tags, the edge's bgp speaker's AS.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "azure.h"
#include "interconnect.h"
#include "provider_int.h"
#include "scenario_expand.h"
#include "units.h"
#include "wire.h"

void pv_expand(struct sc_expand *ex, const void *items, size_t n);

/* What a PE learnt about the edge it peers with. */
struct edge {
	char node[PV_NAME_LEN], iface[PV_NAME_LEN];
	uint32_t addr, pe_addr;
	uint8_t plen;
	char vlan[8], svlan[8];
	uint32_t asn;		/* 0: no speaker found */
};

/* Per path: the bgp neighbour lists of each PE's VRFs. */
struct pe_bgp {
	int nbrs[PV_SIDES][PV_SIDES];	/* [side][vrf]; shared: [side][0] */
};

static void
set_time(struct sc_expand *ex, int m, const char *key, sim_time t)
{
	char b[32];

	sc_ex_set_str(ex, m, key, units_fmt_time(b, sizeof(b), t));
}

static void
set_rate(struct sc_expand *ex, int m, const char *key, uint64_t bps)
{
	char b[32];

	sc_ex_set_str(ex, m, key, units_fmt_rate(b, sizeof(b), bps));
}

static void
set_addr(struct sc_expand *ex, int m, const char *key, uint32_t a,
    uint8_t plen)
{
	char b[16];

	if (plen != 0)
		sc_ex_set_fmt(ex, m, key, "%s/%u", wire_ip_str(a, b), plen);
	else
		sc_ex_set_str(ex, m, key, wire_ip_str(a, b));
}

static int
push(struct sc_expand *ex, int seq, struct sc_loc loc)
{
	int m = sc_ex_map(ex, loc);

	sc_ex_append(ex, seq, m);
	return m;
}

static int
iface(struct sc_expand *ex, int ifs, struct sc_loc loc, const char *name,
    uint32_t addr, uint8_t plen, const char *vrf)
{
	int m = push(ex, ifs, loc);

	sc_ex_set_str(ex, m, "name", name);
	if (plen != 0)
		set_addr(ex, m, "address", addr, plen);
	if (vrf != NULL)
		sc_ex_set_str(ex, m, "vrf", vrf);
	return m;
}

static int
link(struct sc_expand *ex, struct sc_loc loc, const char *name,
    const char *a, const char *b, sim_time delay, uint64_t rate)
{
	int m = push(ex, sc_ex_list(ex, "links"), loc);

	sc_ex_set_str(ex, m, "name", name);
	sc_ex_set_str(ex, m, "a", a);
	sc_ex_set_str(ex, m, "b", b);
	set_rate(ex, m, "rate", rate);
	set_time(ex, m, "delay", delay);
	return m;
}

static int
router(struct sc_expand *ex, struct sc_loc loc, const char *name,
    const char *role)
{
	int m = push(ex, sc_ex_list(ex, "nodes"), loc);

	sc_ex_set_str(ex, m, "name", name);
	sc_ex_set_str(ex, m, "role", role);
	return sc_ex_set_seq(ex, m, "interfaces");
}

/*
 * The edge a PE of side s on path peers with: its interface's address and
 * tags, its AS; false after an error at the side.
 */
static bool
find_edge(struct sc_expand *ex, const struct pv_provider *p, size_t s,
    size_t path, struct edge *e)
{
	const struct pv_side *sd = &p->sides[s];
	struct sc_loc at = sd->loc;
	const char *txt;
	int nd, ifs, it, sp;
	size_t i;
	uint32_t net, mask;

	memset(e, 0, sizeof(*e));
	if (sd->circuit != NULL) {
		ic_msee_name(e->node, sizeof(e->node), sd->circuit,
		    azure_n_circuits(sc_ex_scenario(ex)), (enum ic_path)path);
		snprintf(e->iface, sizeof(e->iface), "%s", IC_IF_PEERING);
		at = sd->vloc[SD_CIRCUIT];
	} else if (sd->vc != NULL) {
		if (pv_vc_edge(e->node, sc_ex_scenario(ex), sd->vc, path) ==
		    NULL)
			snprintf(e->node, sizeof(e->node), "%s", "?");
		snprintf(e->iface, sizeof(e->iface), "%s", IC_IF_PEERING);
		at = sd->vloc[SD_VC];
	} else {
		snprintf(e->node, sizeof(e->node), "%s", sd->peer_node[path]);
		snprintf(e->iface, sizeof(e->iface), "%s", sd->peer_if[path]);
		at = sd->vloc[path == 0 ? SD_PRIMARY : SD_SECONDARY];
	}
	nd = sc_ex_find(ex, "nodes", "name", e->node);
	ifs = sc_ex_get(ex, nd, "interfaces");
	for (i = 0; (it = sc_ex_item(ex, ifs, i)) != 0; i++) {
		txt = sc_ex_scalar(ex, sc_ex_get(ex, it, "name"));
		if (txt != NULL && strcmp(txt, e->iface) == 0)
			break;
	}
	if (nd == 0 || it == 0) {
		sc_ex_error(ex, at, "no interface %s:%s to peer with%s",
		    e->node, e->iface, sd->circuit != NULL ? " (does the "
		    "circuit have a private_peering?)" : "");
		return false;
	}
	txt = sc_ex_scalar(ex, sc_ex_get(ex, it, "address"));
	if (txt == NULL || wire_prefix_parse(txt, true, &e->addr, &e->plen) <
	    0 || e->plen < 30) {
		sc_ex_error(ex, at, "%s:%s has no /30 or /31 address for the "
		    "PE to share", e->node, e->iface);
		return false;
	}
	if (e->plen == 31) {
		e->pe_addr = e->addr ^ 1;
	} else {
		mask = 0xfffffffcu;
		net = e->addr & mask;
		e->pe_addr = e->addr == net + 1 ? net + 2 : net + 1;
	}
	if ((txt = sc_ex_scalar(ex, sc_ex_get(ex, it, "vlan"))) != NULL)
		snprintf(e->vlan, sizeof(e->vlan), "%s", txt);
	if ((txt = sc_ex_scalar(ex, sc_ex_get(ex, it, "svlan"))) != NULL)
		snprintf(e->svlan, sizeof(e->svlan), "%s", txt);
	sp = sc_ex_find(ex, "bgp", "node", e->node);
	if ((txt = sc_ex_scalar(ex, sc_ex_get(ex, sp, "asn"))) != NULL)
		e->asn = (uint32_t)strtoul(txt, NULL, 10);
	if (e->asn == 0) {
		sc_ex_error(ex, at, "%s runs no BGP: the PE has no AS to peer "
		    "with", e->node);
		return false;
	}
	return true;
}

static int
nbr(struct sc_expand *ex, int nbrs, struct sc_loc loc, uint32_t addr,
    uint32_t asn, const char *desc)
{
	int m = push(ex, nbrs, loc);

	set_addr(ex, m, "address", addr, 0);
	sc_ex_set_fmt(ex, m, "remote_as", "%u", asn);
	sc_ex_set_str(ex, m, "description", desc);
	return m;
}

/* A provider_devices item for node, of kind. */
static int
device(struct sc_expand *ex, struct sc_loc at, const char *node,
    const char *kind, const struct pv_provider *p)
{
	int m = push(ex, sc_ex_list(ex, "provider_devices"), at);

	sc_ex_set_str(ex, m, "node", node);
	sc_ex_set_str(ex, m, "kind", kind);
	if (p != NULL && p->ttl_propagate)
		sc_ex_set_str(ex, m, "ttl_propagate", "true");
	return m;
}

/*
 * The PE's core side: per VRF the VPN label the far PE gave it (per-VRF
 * allocation, the same at both ends) under the transport label of the
 * first P router toward the far side.
 */
static void
pe_device(struct sc_expand *ex, const struct pv_provider *p, size_t s,
    const char *name)
{
	struct sc_loc at = p->sides[s].loc;
	char vif[PV_NAME_LEN];
	size_t h = p->core.hops, v;
	int m = device(ex, at, name, "pe", p), vrfs, e;

	sc_ex_set_str(ex, m, "core", PV_IF_CORE);
	vrfs = sc_ex_set_seq(ex, m, "vrfs");
	for (v = 0; v < pv_n_vrfs(p); v++) {
		e = push(ex, vrfs, at);
		sc_ex_set_str(ex, e, "iface", pv_vrf_if(vif, p, v));
		sc_ex_set_fmt(ex, e, "local", "%u", PV_LABEL_VPN_BASE +
		    (unsigned)v);
		sc_ex_set_fmt(ex, e, "remote", "%u", PV_LABEL_VPN_BASE +
		    (unsigned)v);
		if (h != 0)
			sc_ex_set_fmt(ex, e, "transport", "%u", s == 0 ?
			    pv_transport_label(1, 1) :
			    pv_transport_label(h, 0));
	}
}

static void
lfib(struct sc_expand *ex, struct sc_loc at, int seq, const char *in,
    uint32_t label, const char *out, uint32_t out_label, bool pop)
{
	int e = push(ex, seq, at);

	sc_ex_set_str(ex, e, "in", in);
	sc_ex_set_fmt(ex, e, "label", "%u", label);
	sc_ex_set_str(ex, e, "out", out);
	if (pop)
		sc_ex_set_str(ex, e, "out_label", "pop");
	else
		sc_ex_set_fmt(ex, e, "out_label", "%u", out_label);
}

/*
 * P router i (1..hops): toward side 1 its label is swapped for P i + 1's
 * and popped at the last (PHP: the egress PE advertised implicit null);
 * toward side 0 likewise down to P 1.
 */
static void
p_device(struct sc_expand *ex, const struct pv_provider *p, size_t i,
    struct sc_loc at, const char *name)
{
	size_t h = p->core.hops;
	int m = device(ex, at, name, "p", p), seq = sc_ex_set_seq(ex, m,
	    "lfib");

	lfib(ex, at, seq, PV_IF_A, pv_transport_label(i, 1), PV_IF_B,
	    i < h ? pv_transport_label(i + 1, 1) : 0, i == h);
	lfib(ex, at, seq, PV_IF_B, pv_transport_label(i, 0), PV_IF_A,
	    i > 1 ? pv_transport_label(i - 1, 0) : 0, i == 1);
}

/* A PE of side s on path: node, core VRF ends, cloud link, speakers. */
static void
pe(struct sc_expand *ex, const struct pv_provider *p, size_t s, size_t path,
    struct pe_bgp *bg)
{
	char name[PV_NAME_LEN], vif[PV_NAME_LEN], ep[2 * PV_NAME_LEN + 2];
	char lname[3 * PV_NAME_LEN], me[2 * PV_NAME_LEN + 2];
	struct sc_loc at = p->sides[s].loc;
	struct edge e;
	bool ok = find_edge(ex, p, s, path, &e);
	int ifs, m;
	size_t v;
	uint32_t lo, hi;

	pv_pe_name(name, p, s, path);
	ifs = router(ex, at, name, "provider-edge");
	iface(ex, ifs, at, PV_IF_CORE, 0, 0, NULL);
	pe_device(ex, p, s, name);
	for (v = 0; v < pv_n_vrfs(p); v++) {
		pv_p2p(p, pv_k_vrf(path, v), &lo, &hi);
		iface(ex, ifs, at, pv_vrf_if(vif, p, v), s == 0 ? lo : hi, 30,
		    pv_vrf_name(p, v));
		m = push(ex, sc_ex_list(ex, "bgp"), at);
		sc_ex_set_str(ex, m, "node", name);
		sc_ex_set_str(ex, m, "vrf", pv_vrf_name(p, v));
		sc_ex_set_fmt(ex, m, "asn", "%u", p->asn);
		bg->nbrs[s][v] = sc_ex_set_seq(ex, m, "neighbors");
		/* iBGP to the far PE's VRF end, over the core's LSP */
		m = nbr(ex, bg->nbrs[s][v], at, s == 0 ? hi : lo, p->asn,
		    "iBGP across the core");
		sc_ex_set_str(ex, m, "next_hop_self", "true");
		/* a route the customer passed between VRFs holds our AS */
		if (p->vrfs == PV_VRFS_SEPARATE && pv_has_customer(p))
			sc_ex_set_str(ex, m, "allowas_in", "1");
	}
	if (!ok)
		return;
	v = pv_side_vrf(p, s);
	m = iface(ex, ifs, at, PV_IF_CLOUD, e.pe_addr, e.plen,
	    pv_vrf_name(p, v));
	if (e.vlan[0] != '\0')
		sc_ex_set_str(ex, m, "vlan", e.vlan);
	if (e.svlan[0] != '\0')
		sc_ex_set_str(ex, m, "svlan", e.svlan);
	snprintf(ep, sizeof(ep), "%s:%s", e.node, e.iface);
	snprintf(lname, sizeof(lname), "%s.%s", name, PV_IF_CLOUD);
	snprintf(me, sizeof(me), "%s:%s", name, PV_IF_CLOUD);
	link(ex, at, lname, me, ep, p->sides[s].delay, p->sides[s].rate);
	m = nbr(ex, bg->nbrs[s][v], at, e.addr, e.asn, "the cloud's edge");
	/*
	 * The MSEEs run BFD on the private peering (1.5); the provider
	 * answers. Oracle offers none to a Layer-3 partner (2.3, B7).
	 */
	if (p->sides[s].circuit != NULL)
		sc_ex_set_str(ex, m, "bfd", "true");
	if (p->sides[s].prefix_limit != 0) {
		int mp = sc_ex_set_map(ex, m, "max_prefix");

		sc_ex_set_fmt(ex, mp, "limit", "%u", p->sides[s].prefix_limit);
	}
}

/* The core of one path: PE a - P1 - ... - Pn - PE b. */
static void
core(struct sc_expand *ex, const struct pv_provider *p, size_t path)
{
	char prev[2 * PV_NAME_LEN + 2], cur[2 * PV_NAME_LEN + 2];
	char name[PV_NAME_LEN], lname[2 * PV_NAME_LEN];
	struct sc_loc at = p->core.loc.line != 0 ? p->core.loc : p->loc;
	size_t i, h = p->core.hops;
	int ifs, m;

	snprintf(prev, sizeof(prev), "%s:%s", pv_pe_name(name, p, 0, path),
	    PV_IF_CORE);
	for (i = 1; i <= h + 1; i++) {
		if (i <= h) {
			ifs = router(ex, at, pv_p_name(name, p, i, path),
			    "provider-core");
			iface(ex, ifs, at, PV_IF_A, 0, 0, NULL);
			iface(ex, ifs, at, PV_IF_B, 0, 0, NULL);
			p_device(ex, p, i, at, name);
			snprintf(cur, sizeof(cur), "%s:%s", name, PV_IF_A);
		} else {
			snprintf(cur, sizeof(cur), "%s:%s",
			    pv_pe_name(name, p, 1, path), PV_IF_CORE);
		}
		snprintf(lname, sizeof(lname), "%s-core-%s-%zu", p->name,
		    ic_path_name[path], i);
		m = link(ex, at, lname, prev, cur, pv_core_link_delay(p, i - 1),
		    p->core.rate);
		sc_ex_set_fmt(ex, m, "mtu", "%u", p->core.mtu);
		if (i <= h)
			snprintf(prev, sizeof(prev), "%s:%s", name, PV_IF_B);
	}
}

/*
 * The customer's router: a link into each VRF of the PEs of side `at`
 * (both paths), eBGP on each. The PE lets its own AS back in from it
 * (allowas_in: what a provider sets for a hub CE that passes routes from
 * one VRF to another, each crossing the provider's AS twice).
 */
/* The customer's router's interfaces and bgp neighbours, made if none. */
static void
cust_node(struct sc_expand *ex, const struct pv_provider *p, int *ifs,
    int *nbrs)
{
	const struct pv_customer *c = &p->customer;
	int nd = sc_ex_find(ex, "nodes", "name", c->node), sp;

	if (nd == 0)
		*ifs = router(ex, c->loc, c->node, "router");
	else if ((*ifs = sc_ex_get(ex, nd, "interfaces")) == 0)
		*ifs = sc_ex_set_seq(ex, nd, "interfaces");
	sp = sc_ex_find(ex, "bgp", "node", c->node);
	if (sp == 0) {
		sp = push(ex, sc_ex_list(ex, "bgp"), c->loc);
		sc_ex_set_str(ex, sp, "node", c->node);
		sc_ex_set_fmt(ex, sp, "asn", "%u", c->asn);
	}
	if ((*nbrs = sc_ex_get(ex, sp, "neighbors")) == 0)
		*nbrs = sc_ex_set_seq(ex, sp, "neighbors");
}

static void
customer(struct sc_expand *ex, const struct pv_provider *p,
    struct pe_bgp bg[PV_PATHS])
{
	const struct pv_customer *c = &p->customer;
	struct sc_loc at = c->loc;
	char pe_n[PV_NAME_LEN], cif[PV_NAME_LEN], nif[2 * PV_NAME_LEN];
	char a[3 * PV_NAME_LEN], b[2 * PV_NAME_LEN + 2];
	size_t s = strcmp(c->at, p->sides[0].name) == 0 ? 0 : 1, path, v;
	int ifs, nbrs, m;
	uint32_t lo, hi;

	cust_node(ex, p, &ifs, &nbrs);
	for (path = 0; path < PV_PATHS; path++)
		for (v = 0; v < pv_n_vrfs(p); v++) {
			pv_p2p(p, pv_k_cust(path, v), &lo, &hi);
			pv_pe_name(pe_n, p, s, path);
			snprintf(nif, sizeof(nif), "%s-%s-%s", p->name,
			    ic_path_name[path], pv_vrf_name(p, v));
			iface(ex, ifs, at, nif, lo, 30, NULL);
			m = push(ex, sc_ex_get(ex, sc_ex_find(ex, "nodes",
			    "name", pe_n), "interfaces"), at);
			sc_ex_set_str(ex, m, "name", pv_cust_if(cif, p, v));
			set_addr(ex, m, "address", hi, 30);
			sc_ex_set_str(ex, m, "vrf", pv_vrf_name(p, v));
			snprintf(a, sizeof(a), "%s:%s", c->node, nif);
			snprintf(b, sizeof(b), "%s:%s", pe_n, cif);
			link(ex, at, nif, a, b, c->delay, p->sides[s].rate);
			nbr(ex, nbrs, at, hi, p->asn, "the provider");
			m = nbr(ex, bg[path].nbrs[s][v], at, lo, c->asn,
			    "the customer's router");
			if (p->vrfs == PV_VRFS_SEPARATE)
				sc_ex_set_str(ex, m, "allowas_in", "1");
		}
}

/*
 * kind l2, per side and path: the provider's switch between the
 * customer's router (the cloud's C-tag) and the cloud's edge (S-tag and
 * C-tag, as the edge's interface has them), the service's delay on the
 * customer's link; the customer's router takes the other address of the
 * edge's /30 and runs eBGP with it.
 */
static void
l2(struct sc_expand *ex, const struct pv_provider *p)
{
	const struct pv_customer *c = &p->customer;
	char sw[PV_NAME_LEN], nif[2 * PV_NAME_LEN], a[3 * PV_NAME_LEN];
	char b[2 * PV_NAME_LEN + 2];
	size_t s, path;
	int ifs, nbrs, swifs, m;
	struct edge e;

	cust_node(ex, p, &ifs, &nbrs);
	for (s = 0; s < PV_SIDES; s++)
		for (path = 0; path < PV_PATHS; path++) {
			struct sc_loc at = p->sides[s].loc;

			if (!find_edge(ex, p, s, path, &e))
				continue;
			pv_sw_name(sw, p, s, path);
			swifs = router(ex, at, sw, "provider-core");
			m = iface(ex, swifs, at, PV_IF_SW_CUST, 0, 0, NULL);
			if (e.vlan[0] != '\0')
				sc_ex_set_str(ex, m, "vlan", e.vlan);
			m = iface(ex, swifs, at, PV_IF_SW_CLOUD, 0, 0, NULL);
			if (e.vlan[0] != '\0')
				sc_ex_set_str(ex, m, "vlan", e.vlan);
			if (e.svlan[0] != '\0')
				sc_ex_set_str(ex, m, "svlan", e.svlan);
			m = device(ex, at, sw, "switch", NULL);
			sc_ex_set_str(ex, m, "customer", PV_IF_SW_CUST);
			sc_ex_set_str(ex, m, "cloud", PV_IF_SW_CLOUD);
			sc_ex_set_str(ex, m, "stag", e.svlan[0] != '\0' ?
			    e.svlan : "0");
			snprintf(nif, sizeof(nif), "%s-%s-%s", p->name,
			    p->sides[s].name, ic_path_name[path]);
			m = iface(ex, ifs, c->loc, nif, e.pe_addr, e.plen,
			    NULL);
			if (e.vlan[0] != '\0')
				sc_ex_set_str(ex, m, "vlan", e.vlan);
			snprintf(a, sizeof(a), "%s:%s", c->node, nif);
			snprintf(b, sizeof(b), "%s:%s", sw, PV_IF_SW_CUST);
			link(ex, at, nif, a, b, pv_core_delay(p), p->core.rate);
			snprintf(a, sizeof(a), "%s.%s", sw, PV_IF_SW_CLOUD);
			snprintf(b, sizeof(b), "%s:%s", sw, PV_IF_SW_CLOUD);
			snprintf(nif, sizeof(nif), "%s:%s", e.node, e.iface);
			link(ex, at, a, b, nif, p->sides[s].delay,
			    p->sides[s].rate);
			m = nbr(ex, nbrs, at, e.addr, e.asn, p->sides[s].circuit
			    != NULL ? "ExpressRoute private peering" :
			    "the cloud's edge");
			if (p->sides[s].circuit != NULL)
				sc_ex_set_str(ex, m, "bfd", "true");
		}
}

void
pv_expand(struct sc_expand *ex, const void *items, size_t n)
{
	const struct pv_provider *p = items;
	struct pe_bgp bg[PV_PATHS];
	size_t i, path;

	for (i = 0; i < n; i++) {
		if (p[i].loc.line == 0 || p[i].n_sides != PV_SIDES)
			continue;
		if (p[i].kind == PV_KIND_L2) {
			if (pv_has_customer(&p[i]))
				l2(ex, &p[i]);
			continue;
		}
		memset(bg, 0, sizeof(bg));
		for (path = 0; path < PV_PATHS; path++) {
			pe(ex, &p[i], 0, path, &bg[path]);
			pe(ex, &p[i], 1, path, &bg[path]);
			core(ex, &p[i], path);
		}
		if (pv_has_customer(&p[i]))
			customer(ex, &p[i], bg);
	}
}
