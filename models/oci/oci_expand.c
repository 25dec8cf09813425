/*
 * oci_expand.c - what a VCN and an instance become (docs/oci.md has the
 * names): the VCN node, an SDN fabric that is no traceroute hop, with one
 * VRF per subnet holding its route table, a VRF _vcn delivering to each
 * VNIC, the security lists and NSGs as any_allow acls bound to each VNIC's
 * interface; an instance node per instance, linked to the VCN node per
 * VNIC. The DRG and the virtual circuits are in oci_expand_drg.c.
 *
 * Every item is placed at the resource it came from, so that a low-level
 * check failing on it (a node name the user also took) points there.
 */
#include <stdio.h>
#include <string.h>

#include "oci_expand.h"
#include "oci_ipsec.h"
#include "provision.h"

#define PREF_STATIC 10		/* a route rule: beats local (B6) */
#define PREF_LOCAL 20		/* VCN-local routing, implicit (B6) */

static uint32_t
mask(unsigned plen)
{
	return plen == 0 ? 0 : UINT32_MAX << (32 - plen);
}

const char *
oci_ip(char *buf, size_t len, uint32_t a)
{
	snprintf(buf, len, "%u.%u.%u.%u", a >> 24, a >> 16 & 255, a >> 8 & 255,
	    a & 255);
	return buf;
}

void
oci_set_ip(struct sc_expand *ex, int map, const char *key, uint32_t a,
    int plen)
{
	char b[16];

	if (plen < 0)
		sc_ex_set_str(ex, map, key, oci_ip(b, sizeof(b), a));
	else
		sc_ex_set_fmt(ex, map, key, "%s/%d", oci_ip(b, sizeof(b), a),
		    plen);
}

void
oci_set_time(struct sc_expand *ex, int map, const char *key, sim_time t)
{
	char b[32];

	sc_ex_set_str(ex, map, key, units_fmt_time(b, sizeof(b), t));
}

void
oci_set_rate(struct sc_expand *ex, int map, const char *key, uint64_t bps)
{
	char b[32];

	sc_ex_set_str(ex, map, key, units_fmt_rate(b, sizeof(b), bps));
}

int
oci_node(struct sc_expand *ex, const struct oci_sc *o, struct sc_loc loc,
    const char *name, const char *role)
{
	int n = sc_ex_map(ex, loc);

	sc_ex_append(ex, sc_ex_list(ex, "nodes"), n);
	sc_ex_set_str(ex, n, "name", name);
	sc_ex_set_str(ex, n, "role", role);
	if (o->region != NULL)
		sc_ex_set_str(ex, n, "region", o->region);
	return n;
}

int
oci_iface(struct sc_expand *ex, int ifs, struct sc_loc loc, const char *name,
    uint32_t addr, int plen, const char *vrf)
{
	int f = sc_ex_map(ex, loc);

	sc_ex_append(ex, ifs, f);
	sc_ex_set_str(ex, f, "name", name);
	if (plen > 0)
		oci_set_ip(ex, f, "address", addr, plen);
	if (vrf != NULL)
		sc_ex_set_str(ex, f, "vrf", vrf);
	return f;
}

int
oci_link(struct sc_expand *ex, struct sc_loc loc, const char *a_node,
    const char *a_if, const char *b_node, const char *b_if, sim_time delay,
    uint64_t rate)
{
	int l = sc_ex_map(ex, loc);

	sc_ex_append(ex, sc_ex_list(ex, "links"), l);
	sc_ex_set_fmt(ex, l, "name", "%s.%s", a_node, a_if);
	sc_ex_set_fmt(ex, l, "a", "%s:%s", a_node, a_if);
	sc_ex_set_fmt(ex, l, "b", "%s:%s", b_node, b_if);
	oci_set_rate(ex, l, "rate", rate);
	oci_set_time(ex, l, "delay", delay);
	return l;
}

int
oci_route_table(struct sc_expand *ex, struct sc_loc loc, const char *node,
    const char *vrf)
{
	int t = sc_ex_map(ex, loc);

	sc_ex_append(ex, sc_ex_list(ex, "route_tables"), t);
	sc_ex_set_str(ex, t, "node", node);
	sc_ex_set_str(ex, t, "vrf", vrf);
	return t;
}

int
oci_route(struct sc_expand *ex, int routes, struct sc_loc loc, uint32_t pfx,
    uint8_t plen, const char *source, unsigned pref, const char *nh_type)
{
	int r = sc_ex_map(ex, loc);

	sc_ex_append(ex, routes, r);
	oci_set_ip(ex, r, "prefix", pfx, plen);
	sc_ex_set_str(ex, r, "source", source);
	sc_ex_set_fmt(ex, r, "preference", "%u", pref);
	sc_ex_set_str(ex, r, "next_hop_type", nh_type);
	return r;
}

const char *
oci_gate_of(struct sc_expand *ex, const char *key, const char *parent,
    const char *name)
{
	char b[2 * SC_NAME_MAX + 2];

	if (parent != NULL)
		snprintf(b, sizeof(b), "%s/%s", parent, name);
	else
		snprintf(b, sizeof(b), "%s", name);
	return prov_gate(sc_ex_scenario(ex), key, b);
}

void
oci_gate(struct sc_expand *ex, int item, const char *gate)
{
	if (gate != NULL)
		sc_ex_set_str(ex, item, "gate", gate);
}

int
oci_alias(struct sc_expand *ex, struct sc_loc loc, const char *node,
    const char *vrf)
{
	int a = sc_ex_map(ex, loc);

	sc_ex_append(ex, sc_ex_list(ex, "aliases"), a);
	sc_ex_set_str(ex, a, "node", node);
	sc_ex_set_str(ex, a, "vrf", vrf);
	return a;
}

/* ---- security lists and NSGs -> acls ---- */

static void
port_range(struct sc_expand *ex, int r, const char *key,
    const struct oci_port_range *pr)
{
	if (!sc_key_ok(pr->keys, PR_MIN) || !sc_key_ok(pr->keys, PR_MAX))
		return;
	if (pr->min == pr->max)
		sc_ex_set_fmt(ex, r, key, "%u", pr->min);
	else
		sc_ex_set_fmt(ex, r, key, "%u-%u", pr->min, pr->max);
}

static void
acl_rule(struct sc_expand *ex, int rules, const struct oci_rule *sr,
    unsigned k, const char *gate)
{
	bool in = sr->direction == OCI_INGRESS;
	int r = sc_ex_map(ex, sr->loc), s;
	const struct oci_port_opts *po = NULL;

	sc_ex_append(ex, rules, r);
	oci_gate(ex, r, gate);
	sc_ex_set_fmt(ex, r, "name", "%s-%u", in ? "ingress" : "egress", k);
	sc_ex_set_str(ex, r, "direction", in ? "inbound" : "outbound");
	switch (sr->proto) {
	case -1:
		sc_ex_set_str(ex, r, "protocol", "any");
		break;
	case 1:
		sc_ex_set_str(ex, r, "protocol", "icmp");
		break;
	case 6:
		sc_ex_set_str(ex, r, "protocol", "tcp");
		po = &sr->tcp;
		break;
	case 17:
		sc_ex_set_str(ex, r, "protocol", "udp");
		po = &sr->udp;
		break;
	default:
		sc_ex_set_fmt(ex, r, "protocol", "%d", sr->proto);
		break;
	}
	s = sc_ex_set_seq(ex, r, in ? "source" : "destination");
	{
		char b[16];

		sc_ex_append(ex, s, sc_ex_fmt(ex, sr->loc, "%s/%u",
		    oci_ip(b, sizeof(b), sr->net), sr->plen));
	}
	if (po != NULL) {
		port_range(ex, r, "source_ports", &po->src);
		port_range(ex, r, "destination_ports", &po->dst);
	}
	if (sr->proto == 1 && sc_key_ok(sr->icmp.keys, IO_TYPE)) {
		sc_ex_set_fmt(ex, r, "icmp_type", "%u", sr->icmp.type);
		if (sc_key_ok(sr->icmp.keys, IO_CODE))
			sc_ex_set_fmt(ex, r, "icmp_code", "%u", sr->icmp.code);
	}
	if (sr->stateless)
		sc_ex_set_str(ex, r, "stateless", "true");
}

/*
 * The acl of a security list (nsg false) or an NSG of VCN v: <vcn>.<name>,
 * or <vcn>.sl.<name> / <vcn>.nsg.<name> when the VCN has a list and an NSG
 * of that name, the default list included (OCI's display names need not
 * differ).
 */
static const char *
acl_name(char *buf, size_t len, const struct oci_vcn *v, const char *name,
    bool nsg)
{
	bool both = false;
	size_t i, j;

	for (i = 0; i < v->n_sls && !both; i++)
		for (j = 0; j < v->n_nsgs && !both; j++)
			both = strcmp(v->sls[i].name, name) == 0 &&
			    strcmp(v->nsgs[j].name, name) == 0;
	/* the implicit default list is not in v->sls */
	for (j = 0; j < v->n_nsgs && !both && v->default_sl; j++)
		both = strcmp(name, OCI_DEFAULT_SL) == 0 &&
		    strcmp(v->nsgs[j].name, name) == 0;
	if (both)
		snprintf(buf, len, "%s.%s.%s", v->name, nsg ? "nsg" : "sl",
		    name);
	else
		snprintf(buf, len, "%s.%s", v->name, name);
	return buf;
}

static int
acl(struct sc_expand *ex, struct sc_loc loc, const struct oci_vcn *v,
    const char *name, bool nsg, const char *label)
{
	int a = sc_ex_map(ex, loc);
	char b[2 * SC_NAME_MAX + 8];

	sc_ex_append(ex, sc_ex_list(ex, "acls"), a);
	sc_ex_set_str(ex, a, "name", acl_name(b, sizeof(b), v, name, nsg));
	sc_ex_set_str(ex, a, "label", label);
	sc_ex_set_str(ex, a, "mode", "any_allow");
	return sc_ex_set_seq(ex, a, "rules");
}

/*
 * The gates of the versions the timeline's updates make of list or NSG
 * KEY/VCN/NAME (oci_prov_rules.c), "KEY/VCN/NAME#V": how many (0: none).
 */
static size_t
version_gates(struct sc_expand *ex, const struct oci_sc *o, const char *key,
    const struct oci_vcn *v, const char *name)
{
	char id[2 * SC_NAME_MAX + 2], gate[3 * SC_NAME_MAX + 48];
	const struct oci_upd *u = NULL;
	sim_time from = 0, to;
	size_t n, i, k = 0;

	snprintf(id, sizeof(id), "%s/%s", v->name, name);
	n = oci_rules_versions(o, key, id);
	for (i = 0; i < n; i++) {
		for (to = -1; k < o->n_upds; k++) {
			u = &o->upds[k];
			if (strcmp(u->key, key) == 0 &&
			    strcmp(u->name, id) == 0) {
				to = u->at;
				k++;
				break;
			}
		}
		snprintf(gate, sizeof(gate), "%s/%s#%zu", key, id, i);
		(void)prov_gate_window(ex, key, id, from, to, gate);
		from = to;
	}
	return n;
}

/*
 * Rule k of direction dir of the list or NSG: once, under the list's gate;
 * or, when the timeline updates it, once per version of the list under
 * the version's gate (the versions share the name ingress-K / egress-K).
 */
static void
rule_versions(struct sc_expand *ex, int rules, const struct oci_sc *o,
    const char *key, const struct oci_vcn *v, const char *name,
    const struct oci_rule *r, size_t k, size_t n, const char *gate)
{
	char id[2 * SC_NAME_MAX + 2], g[3 * SC_NAME_MAX + 48];
	struct oci_rule x;
	sim_time from, to;
	size_t i;

	snprintf(id, sizeof(id), "%s/%s", v->name, name);
	if (n == 0 || !oci_rules_touched(o, key, id, r->direction, k)) {
		acl_rule(ex, rules, r, (unsigned)k, gate);
		return;
	}
	for (i = 0; i < n; i++) {
		oci_rules_version(o, key, id, r->direction, k, i, &x, &from,
		    &to);
		snprintf(g, sizeof(g), "%s/%s#%zu", key, id, i);
		acl_rule(ex, rules, &x, (unsigned)k, g);
	}
}

static void
seclist_acl(struct sc_expand *ex, const struct oci_sc *o,
    const struct oci_vcn *v, const struct oci_seclist *l)
{
	static const char key[] = "security_lists";
	int rules = acl(ex, l->loc, v, l->name, false, "security-list");
	const char *g = oci_gate_of(ex, key, v->name, l->name);
	size_t i, n = version_gates(ex, o, key, v, l->name);

	for (i = 0; i < l->n_ingress; i++)
		rule_versions(ex, rules, o, key, v, l->name, &l->ingress[i],
		    i + 1, n, g);
	for (i = 0; i < l->n_egress; i++)
		rule_versions(ex, rules, o, key, v, l->name, &l->egress[i],
		    i + 1, n, g);
}

static void
nsg_acl(struct sc_expand *ex, const struct oci_sc *o, const struct oci_vcn *v,
    const struct oci_nsg *g)
{
	static const char key[] = "network_security_groups";
	int rules = acl(ex, g->loc, v, g->name, true, "nsg");
	const char *gate = oci_gate_of(ex, key, v->name, g->name);
	size_t i, k[3] = { 0, 0, 0 }, n = version_gates(ex, o, key, v,
	    g->name);

	for (i = 0; i < g->n_rules; i++) {
		const struct oci_rule *r = &g->rules[i];

		rule_versions(ex, rules, o, key, v, g->name, r,
		    ++k[r->direction], n, gate);
	}
}

/*
 * The default security list of a VCN (2.6, verified in B6): stateful
 * ingress TCP 22 and ICMP 3/4 from anywhere, ICMP 3 from the VCN's CIDRs;
 * stateful egress to anywhere.
 */
static void
default_acl(struct sc_expand *ex, const struct oci_vcn *v)
{
	int rules = acl(ex, v->loc, v, OCI_DEFAULT_SL, false,
	    "security-list");
	const char *g = oci_gate_of(ex, "vcns", NULL, v->name);
	struct oci_rule r;
	unsigned k = 0;
	size_t i;

	memset(&r, 0, sizeof(r));
	r.loc = v->loc;
	r.direction = OCI_INGRESS;
	r.proto = 6;
	r.tcp.dst.min = r.tcp.dst.max = 22;
	r.tcp.dst.keys[0] = 1 | 1 << 2;	/* min, max given */
	acl_rule(ex, rules, &r, ++k, g);
	memset(&r.tcp, 0, sizeof(r.tcp));
	r.proto = 1;
	r.icmp.type = 3;
	r.icmp.code = 4;
	r.icmp.keys[0] = 1 | 1 << 2;
	acl_rule(ex, rules, &r, ++k, g);
	r.icmp.keys[0] = 1;		/* type 3, every code */
	for (i = 0; i < v->n_ok; i++) {
		r.net = v->cidr[i];
		r.plen = v->cplen[i];
		acl_rule(ex, rules, &r, ++k, g);
	}
	memset(&r, 0, sizeof(r));
	r.loc = v->loc;
	r.direction = OCI_EGRESS;
	r.proto = -1;
	acl_rule(ex, rules, &r, 1, g);
}

/* ---- the VCN ---- */

uint32_t
oci_p2p_vcn(const struct oci_sc *o, size_t v, uint32_t *drg_side)
{
	uint32_t lo, hi;

	(void)o;
	ic_p2p(IC_BLOCK_OCI, (uint32_t)v, &lo, &hi);
	*drg_side = lo;
	return hi;
}

/* The VNIC interfaces on VCN node v and their /32s in _vcn. */
static void
vnics(struct sc_expand *ex, const struct oci_sc *o, size_t vi, int ifs,
    int vcn_routes)
{
	const struct oci_vcn *v = &o->vcns[vi];
	char an[2 * SC_NAME_MAX + 8];
	size_t i, j, k;

	for (i = 0; i < o->n_insts; i++)
		for (j = 0; j < o->insts[i].n_vnics; j++) {
			const struct oci_vnic *n = &o->insts[i].vnics[j];
			const struct oci_subnet *s;
			const char *g;
			int r, b, acls;

			if (n->vcn != vi)
				continue;
			s = &v->subnets[n->sn];
			g = oci_gate_of(ex, "instances", NULL,
			    o->insts[i].name);
			oci_iface(ex, ifs, n->loc, n->name, 0, 0, s->name);
			r = oci_route(ex, vcn_routes, n->loc, n->addr, 32,
			    "local", PREF_LOCAL, "VNIC");
			sc_ex_set_str(ex, r, "iface", n->name);
			oci_gate(ex, r, g);
			b = sc_ex_map(ex, n->loc);
			sc_ex_append(ex, sc_ex_list(ex, "acl_bindings"), b);
			oci_gate(ex, b, g);
			sc_ex_set_str(ex, b, "node", v->name);
			sc_ex_set_str(ex, b, "iface", n->name);
			acls = sc_ex_set_seq(ex, b, "acls");
			for (k = 0; k < s->n_seclists; k++)
				sc_ex_append(ex, acls, sc_ex_str(ex, n->loc,
				    acl_name(an, sizeof(an), v,
				    s->seclists[k], false)));
			if (s->n_seclists == 0)
				sc_ex_append(ex, acls, sc_ex_str(ex, n->loc,
				    acl_name(an, sizeof(an), v,
				    OCI_DEFAULT_SL, false)));
			for (k = 0; k < n->n_nsgs; k++)
				sc_ex_append(ex, acls, sc_ex_str(ex, n->loc,
				    acl_name(an, sizeof(an), v, n->nsgs[k],
				    true)));
			sc_ex_set_str(ex, b, "combine", "any");
		}
}

/* A subnet's VRF: the implicit local routes and its route table's rules. */
static void
subnet_table(struct sc_expand *ex, const struct oci_sc *o,
    const struct oci_vcn *v, const struct oci_subnet *s)
{
	int t = oci_route_table(ex, s->loc, v->name, s->name), routes, r, a;
	const char *g;
	uint32_t drg_side;
	size_t i, j;

	a = oci_alias(ex, s->loc, v->name, s->name);
	sc_ex_set_fmt(ex, a, "name", "%s.%s", v->name, s->name);
	if (s->rt != 0)
		sc_ex_set_fmt(ex, a, "what", "subnet %s of VCN %s (route "
		    "table %s)", s->name, v->name, v->rts[s->rt - 1].name);
	else
		sc_ex_set_fmt(ex, a, "what", "subnet %s of VCN %s (the "
		    "default route table)", s->name, v->name);
	/* a route table: the VRF of the first subnet using it */
	for (j = 0; s->rt != 0 && j < (size_t)(s - v->subnets); j++)
		if (v->subnets[j].rt == s->rt)
			break;
	if (s->rt != 0 && j == (size_t)(s - v->subnets)) {
		const char *rt = v->rts[s->rt - 1].name;

		/* <vcn>.rt.<table> when a subnet has the table's name */
		for (i = 0; i < v->n_subnets; i++)
			if (strcmp(v->subnets[i].name, rt) == 0)
				break;
		a = oci_alias(ex, v->rts[s->rt - 1].loc, v->name, s->name);
		sc_ex_set_fmt(ex, a, "name", "%s.%s%s", v->name,
		    i < v->n_subnets ? "rt." : "", rt);
		sc_ex_set_fmt(ex, a, "what", "route table %s of VCN %s (as "
		    "subnet %s uses it)", v->rts[s->rt - 1].name, v->name,
		    s->name);
	}
	routes = sc_ex_set_seq(ex, t, "routes");
	g = oci_gate_of(ex, "subnets", v->name, s->name);
	for (i = 0; i < v->n_ok; i++) {
		r = oci_route(ex, routes, s->loc, v->cidr[i], v->cplen[i],
		    "local", PREF_LOCAL, "local");
		sc_ex_set_str(ex, r, "table", OCI_VRF_VCN);
		oci_gate(ex, r, g);
	}
	if (s->rt == 0 || v->drg == 0)
		return;
	oci_p2p_vcn(o, (size_t)(v - o->vcns), &drg_side);
	g = oci_gate_of(ex, "route_tables", v->name, v->rts[s->rt - 1].name);
	for (i = 0; i < v->rts[s->rt - 1].n_rules; i++) {
		const struct oci_route_rule *rr = &v->rts[s->rt - 1].rules[i];

		r = oci_route(ex, routes, rr->loc, rr->dest, rr->plen,
		    "static", PREF_STATIC, "DRG");
		oci_set_ip(ex, r, "via", drg_side, -1);
		sc_ex_set_str(ex, r, "iface", OCI_IF_DRG);
		oci_gate(ex, r, g);
	}
}

void
oci_expand_vcn(struct sc_expand *ex, const struct oci_sc *o, size_t vi)
{
	const struct oci_vcn *v = &o->vcns[vi];
	int n = oci_node(ex, o, v->loc, v->name, "oci-vcn"), ifs, t, routes;
	uint32_t hi, lo;
	size_t i;

	sc_ex_set_str(ex, n, "transparent", "true");
	ifs = sc_ex_set_seq(ex, n, "interfaces");
	if (v->drg != 0) {
		hi = oci_p2p_vcn(o, vi, &lo);
		oci_iface(ex, ifs, o->drgs[v->drg - 1].atts[v->att - 1].loc,
		    OCI_IF_DRG, hi, 30, OCI_VRF_VCN);
	}
	t = oci_route_table(ex, v->loc, v->name, OCI_VRF_VCN);
	routes = sc_ex_set_seq(ex, t, "routes");
	vnics(ex, o, vi, ifs, routes);
	for (i = 0; i < v->n_subnets; i++)
		subnet_table(ex, o, v, &v->subnets[i]);
	for (i = 0; i < v->n_sls; i++)
		seclist_acl(ex, o, v, &v->sls[i]);
	for (i = 0; i < v->n_nsgs; i++)
		nsg_acl(ex, o, v, &v->nsgs[i]);
	if (v->default_sl)
		default_acl(ex, v);
}

/* ---- instances ---- */

void
oci_expand_instance(struct sc_expand *ex, const struct oci_sc *o, size_t ii)
{
	const struct oci_instance *in = &o->insts[ii];
	int n = oci_node(ex, o, in->loc, in->name, "oci-instance"), ifs;
	const char *gate = oci_gate_of(ex, "instances", NULL, in->name);
	size_t j;

	ifs = sc_ex_set_seq(ex, n, "interfaces");
	for (j = 0; j < in->n_vnics; j++) {
		const struct oci_vnic *v = &in->vnics[j];
		const struct oci_vcn *vcn = &o->vcns[v->vcn];
		const struct oci_subnet *s = &vcn->subnets[v->sn];

		oci_iface(ex, ifs, v->loc, v->name, v->addr, s->plen, NULL);
		oci_gate(ex, oci_link(ex, v->loc, in->name, v->name, vcn->name,
		    v->name, in->xcsim.delay, in->xcsim.rate), gate);
		if (j == 0) {
			/* the subnet's gateway, its first usable address */
			int routes = sc_ex_set_seq(ex, n, "routes");
			int r = sc_ex_map(ex, v->loc);

			sc_ex_append(ex, routes, r);
			sc_ex_set_str(ex, r, "prefix", "0.0.0.0/0");
			oci_set_ip(ex, r, "via", (s->cidr & mask(s->plen)) + 1,
			    -1);
		}
	}
}

/* Does a VNIC other than the j-th of instance i have n's name? */
static bool
vnic_name_shared(const struct oci_sc *o, size_t i, size_t j, const char *n)
{
	size_t x, y;

	for (x = 0; x < o->n_insts; x++)
		for (y = 0; y < o->insts[x].n_vnics; y++)
			if ((x != i || y != j) &&
			    strcmp(o->insts[x].vnics[y].name, n) == 0)
				return true;
	return false;
}

/*
 * A VNIC's alias (its subnet's table on the VCN node), once every node is
 * made: named as the VNIC, or <instance>.<vnic> when a node has the
 * VNIC's name (OCI names an instance's primary VNIC as the instance) or
 * another VCN has a VNIC of that name (unique only per VCN, 2.5).
 */
static void
vnic_aliases(struct sc_expand *ex, const struct oci_sc *o)
{
	size_t i, j;

	for (i = 0; i < o->n_insts; i++)
		for (j = 0; j < o->insts[i].n_vnics; j++) {
			const struct oci_vnic *n = &o->insts[i].vnics[j];
			const struct oci_vcn *v = &o->vcns[n->vcn];
			const char *sn = v->subnets[n->sn].name;
			int a = oci_alias(ex, n->loc, v->name, sn);

			if (sc_ex_find(ex, "nodes", "name", n->name) == 0 &&
			    !vnic_name_shared(o, i, j, n->name))
				sc_ex_set_str(ex, a, "name", n->name);
			else
				sc_ex_set_fmt(ex, a, "name", "%s.%s",
				    o->insts[i].name, n->name);
			sc_ex_set_fmt(ex, a, "what", "VNIC %s of %s in subnet "
			    "%s/%s", n->name, o->insts[i].name, v->name, sn);
		}
}

void
oci_expand(struct sc_expand *ex, const void *items, size_t n)
{
	const struct oci_sc *o = items;
	size_t i;

	if (n == 0 || o == NULL || !o->checked)
		return;
	for (i = 0; i < o->n_vcns; i++)
		oci_expand_vcn(ex, o, i);
	for (i = 0; i < o->n_insts; i++)
		oci_expand_instance(ex, o, i);
	for (i = 0; i < o->n_drgs; i++)
		oci_expand_drg(ex, o, i);
	for (i = 0; i < o->n_vcs; i++)
		oci_expand_vc(ex, o, i);
	oci_expand_ipsec(ex, o);
	vnic_aliases(ex, o);
}
