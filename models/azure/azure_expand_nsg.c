/*
 * azure_expand_nsg.c - NSGs expanded into the generic acl sections
 * (prefix_sets, acls, acl_bindings; docs/acl.md): an NSG becomes a
 * first_match acl labelled "nsg" with its rules and the default rules of
 * each direction (65000, 65001, 65500; 2.6); the service tags become
 * prefixes or the VNet's prefix set `<vnet>.VirtualNetwork` (its address
 * spaces and, live, what its gateway learns by BGP: 2.6); each NIC's
 * interface on the VNet node is bound to [subnet NSG, NIC NSG], both of
 * which must allow (B4), with Azure's flow limit per NIC (2.5).
 *
 * An NSG serving subnets or NICs of one VNet keeps its name; one serving
 * several VNets becomes one acl per VNet, `<nsg>.<vnet>`, since the
 * VirtualNetwork tag means a different set in each.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "azure_int.h"
#include "provision.h"
#include "scenario_expand.h"

#define VNET_TAG_MAX (SC_NAME_MAX + 16)

/* Which VNets use which NSG: used[nsg * n_vnets + vnet]. */
static bool *
nsg_users(const struct azure *az)
{
	bool *used = calloc(az->n_nsgs * az->n_vnets + 1, sizeof(*used));
	size_t i, j;

	if (used == NULL)
		abort();
	for (i = 0; i < az->n_vnets; i++)
		for (j = 0; j < az->vnets[i].n_subnets; j++)
			if (az->vnets[i].subnets[j].nsg_idx != 0)
				used[(az->vnets[i].subnets[j].nsg_idx - 1) *
				    az->n_vnets + i] = true;
	for (i = 0; i < az->n_vms; i++)
		for (j = 0; j < az->vms[i].n_nics; j++) {
			const struct az_nic *n = &az->vms[i].nics[j];

			if (n->nsg_idx != 0)
				used[(n->nsg_idx - 1) * az->n_vnets +
				    n->vnet_idx] = true;
		}
	return used;
}

static size_t
n_users(const struct azure *az, const bool *used, size_t nsg)
{
	size_t i, n = 0;

	for (i = 0; i < az->n_vnets; i++)
		n += used[nsg * az->n_vnets + i];
	return n;
}

static char *
acl_name(char *buf, size_t len, const struct azure *az, const bool *used,
    size_t nsg, size_t vnet)
{
	if (n_users(az, used, nsg) > 1)
		snprintf(buf, len, "%s.%s", az->nsgs[nsg].name,
		    az->vnets[vnet].name);
	else
		snprintf(buf, len, "%s", az->nsgs[nsg].name);
	return buf;
}

/* An NSG address as an acl address: "any", a prefix or a prefix set. */
static void
push_addr(struct az_ex *x, int seq, struct sc_loc loc, const char *s,
    const char *vnet)
{
	const char *v = s;

	if (strcmp(s, "*") == 0)
		v = "any";
	else if (strcmp(s, "AzureLoadBalancer") == 0)
		v = "168.63.129.16/32";
	if (strcmp(s, "VirtualNetwork") == 0 || strcmp(s, "Internet") == 0)
		sc_ex_append(x->ex, seq, sc_ex_fmt(x->ex, loc, "%s.%s", vnet,
		    s));
	else if (strcmp(v, "any") != 0 && strchr(v, '/') == NULL)
		sc_ex_append(x->ex, seq, sc_ex_fmt(x->ex, loc, "%s/32", v));
	else
		sc_ex_append(x->ex, seq, sc_ex_str(x->ex, loc, v));
}

static void
set_addrs(struct az_ex *x, int rule, const char *key, const char *one,
    char *const *many, size_t n, const struct sc_loc *locs,
    struct sc_loc loc, const char *vnet)
{
	int seq = sc_ex_set_seq(x->ex, rule, key);
	size_t i;

	if (n == 0) {
		push_addr(x, seq, loc, one != NULL ? one : "*", vnet);
		return;
	}
	for (i = 0; i < n; i++)
		push_addr(x, seq, locs[i], many[i], vnet);
}

static void
set_ports(struct az_ex *x, int rule, const char *key, const char *one,
    char *const *many, size_t n)
{
	const char *s = n > 0 ? many[0] : one;

	if (s != NULL && strcmp(s, "*") != 0)
		sc_ex_set_str(x->ex, rule, key, s);
}

static const char *const proto_acl[] = { "tcp", "udp", "icmp", "any" };

/*
 * The gate of version k of a rule that the timeline updates: its
 * identity and "#k" (#0 the rule as the file gives it).
 */
static void
version_gate(char *buf, size_t len, const struct az_nsg *g,
    const struct az_rule *r, size_t k)
{
	snprintf(buf, len, "security_rules/%s/%s#%zu", g->name, r->name, k);
}

static void
one_rule(struct az_ex *x, int rules, const struct az_nsg *g,
    const struct az_rule *r, const char *vnet, const char *gate)
{
	int m = az_push(x, rules, r->loc);
	char id[2 * SC_NAME_MAX + 2];

	sc_ex_set_str(x->ex, m, "name", r->name);
	/* the rule is there while it carries (provision.h) */
	snprintf(id, sizeof(id), "%s/%s", g->name, r->name);
	if (gate != NULL)
		sc_ex_set_str(x->ex, m, "gate", gate);
	else
		az_gate(x, m, "security_rules", id);
	sc_ex_set_str(x->ex, m, "direction", r->direction == AZ_INBOUND ?
	    "inbound" : "outbound");
	sc_ex_set_fmt(x->ex, m, "priority", "%u", r->priority);
	sc_ex_set_str(x->ex, m, "action", r->access == AZ_ALLOW ? "allow" :
	    "deny");
	sc_ex_set_str(x->ex, m, "protocol", proto_acl[r->protocol - 1]);
	set_addrs(x, m, "source", r->src, r->srcs, r->n_srcs, r->srcs_loc,
	    r->vloc[SR_SRC], vnet);
	set_addrs(x, m, "destination", r->dst, r->dsts, r->n_dsts,
	    r->dsts_loc, r->vloc[SR_DST], vnet);
	if (r->protocol == AZ_TCP || r->protocol == AZ_UDP) {
		set_ports(x, m, "source_ports", r->sport, r->sports,
		    r->n_sports);
		set_ports(x, m, "destination_ports", r->dport, r->dports,
		    r->n_dports);
	}
}

/*
 * A rule the timeline updates is one acl rule per version, each under
 * its version's gate (the versions share the name: the verdict names the
 * rule whichever holds); the others, one.
 */
static void
user_rule(struct az_ex *x, int rules, size_t gi, size_t ri, const char *vnet)
{
	const struct az_nsg *g = &x->az->nsgs[gi];
	size_t k, n = az_rule_versions(x->az, gi, ri);
	char gate[3 * SC_NAME_MAX + 32];
	struct az_rule v;
	sim_time from, to;

	if (n == 0) {
		one_rule(x, rules, g, &g->rules[ri], vnet, NULL);
		return;
	}
	for (k = 0; k < n; k++) {
		az_rule_version(x->az, gi, ri, k, &v, &from, &to);
		version_gate(gate, sizeof(gate), g, &v, k);
		one_rule(x, rules, g, &v, vnet, gate);
	}
}

/* The versions' gates, once per rule (an NSG may serve several VNets). */
static void
version_gates(struct az_ex *x)
{
	char gate[3 * SC_NAME_MAX + 32], id[2 * SC_NAME_MAX + 2];
	struct az_rule v;
	sim_time from, to;
	size_t gi, ri, k, n;

	for (gi = 0; gi < x->az->n_nsgs; gi++)
		for (ri = 0; ri < x->az->nsgs[gi].n_rules; ri++) {
			const struct az_nsg *g = &x->az->nsgs[gi];

			n = az_rule_versions(x->az, gi, ri);
			snprintf(id, sizeof(id), "%s/%s", g->name,
			    g->rules[ri].name);
			for (k = 0; k < n; k++) {
				az_rule_version(x->az, gi, ri, k, &v, &from,
				    &to);
				version_gate(gate, sizeof(gate), g, &v, k);
				(void)prov_gate_window(x->ex,
				    "security_rules", id, from, to, gate);
			}
		}
}

/* The default rules of every NSG, exactly as 2.6 lists them. */
static const struct {
	const char *name;
	bool inbound;
	unsigned priority;
	bool allow;
	const char *src, *dst;
} defaults[] = {
	{ "AllowVNetInBound", true, 65000, true, "VirtualNetwork",
	    "VirtualNetwork" },
	{ "AllowAzureLoadBalancerInBound", true, 65001, true,
	    "AzureLoadBalancer", "*" },
	{ "DenyAllInBound", true, 65500, false, "*", "*" },
	{ "AllowVnetOutBound", false, 65000, true, "VirtualNetwork",
	    "VirtualNetwork" },
	{ "AllowInternetOutBound", false, 65001, true, "*", "Internet" },
	{ "DenyAllOutBound", false, 65500, false, "*", "*" },
};

static bool
user_named(const struct az_nsg *g, const char *name)
{
	size_t i;

	for (i = 0; i < g->n_rules; i++)
		if (g->rules[i].name != NULL &&
		    strcmp(g->rules[i].name, name) == 0)
			return true;
	return false;
}

static void
acl(struct az_ex *x, size_t gi, size_t vi, const char *name)
{
	const struct az_nsg *g = &x->az->nsgs[gi];
	const char *vnet = x->az->vnets[vi].name;
	int m = az_item(x, "acls", g->loc), rules, r, s;
	size_t i;

	sc_ex_set_str(x->ex, m, "name", name);
	sc_ex_set_str(x->ex, m, "label", "nsg");
	sc_ex_set_str(x->ex, m, "mode", "first_match");
	rules = sc_ex_set_seq(x->ex, m, "rules");
	for (i = 0; i < g->n_rules; i++)
		user_rule(x, rules, gi, i, vnet);
	for (i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++) {
		r = az_push(x, rules, g->loc);
		/* the defaults come and go with their NSG (2.6) */
		az_gate(x, r, "network_security_groups", g->name);
		/* a user rule may have a default's name: the default yields */
		if (user_named(g, defaults[i].name))
			sc_ex_set_fmt(x->ex, r, "name", "%s.default",
			    defaults[i].name);
		else
			sc_ex_set_str(x->ex, r, "name", defaults[i].name);
		sc_ex_set_str(x->ex, r, "direction", defaults[i].inbound ?
		    "inbound" : "outbound");
		sc_ex_set_fmt(x->ex, r, "priority", "%u",
		    defaults[i].priority);
		sc_ex_set_str(x->ex, r, "action", defaults[i].allow ? "allow" :
		    "deny");
		sc_ex_set_str(x->ex, r, "protocol", "any");
		s = sc_ex_set_seq(x->ex, r, "source");
		push_addr(x, s, g->loc, defaults[i].src, vnet);
		s = sc_ex_set_seq(x->ex, r, "destination");
		push_addr(x, s, g->loc, defaults[i].dst, vnet);
	}
}

/* `<vnet>.VirtualNetwork`: its spaces and its gateway's BGP routes. */
static void
vnet_set(struct az_ex *x, size_t vi)
{
	const struct az_vnet *v = &x->az->vnets[vi];
	int m = az_item(x, "prefix_sets", v->loc), p, f, r;
	size_t i;
	char a[16];

	sc_ex_set_fmt(x->ex, m, "name", "%s.VirtualNetwork", v->name);
	p = sc_ex_set_seq(x->ex, m, "prefixes");
	for (i = 0; i < v->sp.n; i++)
		sc_ex_append(x->ex, p, sc_ex_fmt(x->ex, v->sp.loc[i], "%s/%u",
		    az_ip(a, v->sp.net[i]), v->sp.plen[i]));
	if (v->gw_idx == 0 || !x->az->gws[v->gw_idx - 1].ok)
		return;
	f = sc_ex_set_seq(x->ex, m, "from_rib");
	r = az_push(x, f, x->az->gws[v->gw_idx - 1].loc);
	sc_ex_set_str(x->ex, r, "node", x->az->gws[v->gw_idx - 1].name);
	sc_ex_set_str(x->ex, r, "vrf", "default");
	sc_ex_set_str(x->ex, r, "source", "bgp");
}

/*
 * RFC 1918 and RFC 6598: private, never Internet; nor "this network",
 * loopback, link-local (the interconnect's own /30s: an MSEE's
 * time-exceeded is not from the Internet) and multicast/reserved, which
 * are not public space (2.6).
 */
static const struct {
	uint32_t net;
	uint8_t plen;
} private_ranges[] = {
	{ 0x0a000000u, 8 }, { 0xac100000u, 12 }, { 0xc0a80000u, 16 },
	{ 0x64400000u, 10 }, { 0x00000000u, 8 }, { 0x7f000000u, 8 },
	{ 0xa9fe0000u, 16 }, { 0xe0000000u, 3 },
};

/* Is net/plen outside (0), overlapping (1) or inside (2) the excluded? */
static int
excluded(const struct az_vnet *v, uint32_t net, uint8_t plen)
{
	int r = 0;
	size_t i;

	for (i = 0; i < v->sp.n + sizeof(private_ranges) /
	    sizeof(private_ranges[0]); i++) {
		uint32_t en = i < v->sp.n ? v->sp.net[i] :
		    private_ranges[i - v->sp.n].net;
		uint8_t el = i < v->sp.n ? v->sp.plen[i] :
		    private_ranges[i - v->sp.n].plen;

		if (az_within(net, plen, en, el))
			return 2;
		if (az_within(en, el, net, plen))
			r = 1;
	}
	return r;
}

/* The fewest prefixes covering net/plen minus the excluded ones. */
static void
complement(struct az_ex *x, int seq, struct sc_loc loc,
    const struct az_vnet *v, uint32_t net, uint8_t plen)
{
	char a[16];

	switch (excluded(v, net, plen)) {
	case 0:
		sc_ex_append(x->ex, seq, sc_ex_fmt(x->ex, loc, "%s/%u",
		    az_ip(a, net), plen));
		break;
	case 1:
		complement(x, seq, loc, v, net, (uint8_t)(plen + 1));
		complement(x, seq, loc, v, net | 1u << (31 - plen),
		    (uint8_t)(plen + 1));
		break;
	default:
		break;
	}
}

/*
 * `<vnet>.Internet`: the tag means the public space outside the VNet
 * (2.6). With no internet in the scenario the set is static: everything
 * but the VNet's spaces, RFC 1918 and 100.64.0.0/10, so a VNet or a
 * private (OCI, on-premises) source never matches it.
 */
static void
internet_set(struct az_ex *x, size_t vi)
{
	const struct az_vnet *v = &x->az->vnets[vi];
	int m = az_item(x, "prefix_sets", v->loc);

	sc_ex_set_fmt(x->ex, m, "name", "%s.Internet", v->name);
	complement(x, sc_ex_set_seq(x->ex, m, "prefixes"), v->loc, v, 0, 0);
}

static void
bindings(struct az_ex *x, const bool *used)
{
	const struct azure *az = x->az;
	char name[2 * SC_NAME_MAX + 2];
	size_t i, j;

	for (i = 0; i < az->n_vms; i++)
		for (j = 0; j < az->vms[i].n_nics; j++) {
			const struct az_nic *n = &az->vms[i].nics[j];
			const struct az_subnet *s =
			    &az->vnets[n->vnet_idx].subnets[n->subnet_idx];
			int m, acls;

			if (s->nsg_idx == 0 && n->nsg_idx == 0)
				continue;	/* no NSG: everything passes */
			m = az_item(x, "acl_bindings", n->loc);
			sc_ex_set_str(x->ex, m, "node",
			    az->vnets[n->vnet_idx].name);
			sc_ex_set_str(x->ex, m, "iface", n->name);
			/* inbound order; the binding reverses it outbound */
			acls = sc_ex_set_seq(x->ex, m, "acls");
			if (s->nsg_idx != 0)
				sc_ex_append(x->ex, acls, sc_ex_str(x->ex,
				    s->vloc[SN_NSG], acl_name(name,
				    sizeof(name), az, used, s->nsg_idx - 1,
				    n->vnet_idx)));
			if (n->nsg_idx != 0)
				sc_ex_append(x->ex, acls, sc_ex_str(x->ex,
				    n->vloc[NI_NSG], acl_name(name,
				    sizeof(name), az, used, n->nsg_idx - 1,
				    n->vnet_idx)));
			sc_ex_set_str(x->ex, m, "combine", "all");
			/*
			 * The association follows the NSG: the subnet's when
			 * there is one (one gate a binding: a NIC NSG created
			 * later than its subnet's is bound with it).
			 */
			az_gate(x, m, "network_security_groups",
			    az->nsgs[(s->nsg_idx != 0 ? s->nsg_idx :
			    n->nsg_idx) - 1].name);
			sc_ex_set_fmt(x->ex, m, "conntrack_limit", "%u",
			    AZ_CONNTRACK_LIMIT);
		}
}

void
az_expand_nsgs(struct az_ex *x)
{
	const struct azure *az = x->az;
	bool *used = nsg_users(az);
	char name[2 * SC_NAME_MAX + 2];
	size_t i, j;

	for (i = 0; i < az->n_vnets; i++) {
		bool any = false;

		for (j = 0; j < az->n_nsgs; j++)
			any |= used[j * az->n_vnets + i];
		if (any) {
			vnet_set(x, i);
			internet_set(x, i);
		}
	}
	for (j = 0; j < az->n_nsgs; j++)
		for (i = 0; i < az->n_vnets; i++)
			if (used[j * az->n_vnets + i])
				acl(x, j, i, acl_name(name, sizeof(name), az,
				    used, j, i));
	bindings(x, used);
	version_gates(x);
	free(used);
}
