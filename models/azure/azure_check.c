/*
 * azure_check.c - the cloud's rules over the `azure` section, checked
 * before any other section (scenario_expand.h): names and references
 * (with a did-you-mean), address spaces and subnets (network addresses,
 * inside the space, no overlap, /29 or larger, 2.5, B4), NSG rules
 * (priority 100-4096, unique per direction, 2.6), route tables (B3) and
 * the GatewaySubnet rules (1.6, B4). The resources with addresses and
 * ExpressRoute are checked in azure_check_res.c. What a check resolves
 * (indices, parsed prefixes, addresses) is kept in the items for the
 * expansion, which runs only on a file without errors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "azure_int.h"
#include "interconnect.h"

/* --- small helpers ----------------------------------------------------- */

/* The subnet space keeps vnet << 32 | subnet as a name's index. */
_Static_assert(sizeof(size_t) >= 8, "subnet index needs a 64-bit size_t");

const char *const az_service_tags[] = { "VirtualNetwork",
	"AzureLoadBalancer", "Internet", NULL };

char *
az_subnet_key(char *buf, size_t len, const char *vnet, const char *subnet)
{
	snprintf(buf, len, "%s/%s", vnet, subnet);
	return buf;
}

/*
 * An NSG rule's address: *, a service tag, a.b.c.d or a.b.c.d/len with
 * the host bits clear. Reports at loc.
 */
static void
check_rule_addr(struct sc_check *ck, const char *key, const char *s,
    struct sc_loc loc)
{
	uint32_t net;
	uint8_t plen;
	char a[16];
	const char *const *t;
	int r;

	if (strcmp(s, "*") == 0)
		return;
	for (t = az_service_tags; *t != NULL; t++)
		if (strcmp(*t, s) == 0)
			return;
	if (strchr(s, '/') == NULL) {
		char buf[40];

		snprintf(buf, sizeof(buf), "%s/32", s);
		if (az_prefix_parse(buf, &net, &plen) == 0)
			return;
		r = -1;
	} else {
		r = az_prefix_parse(s, &net, &plen);
	}
	if (r == -2)
		sc_check_error(ck, loc, "'%s': '%s' is not a network address "
		    "(did you mean %s/%u?)", key, sc_check_quote(ck, s),
		    az_ip(a, net), plen);
	else if (r != 0)
		sc_check_error(ck, loc, "'%s': '%s' is not an address prefix, "
		    "an address, * or a service tag (VirtualNetwork, "
		    "AzureLoadBalancer, Internet)", key, sc_check_quote(ck, s));
}

bool
az_port_range(const char *s, uint16_t *lo, uint16_t *hi)
{
	unsigned long a, b;
	char *end;

	if (strcmp(s, "*") == 0) {
		*lo = 0;
		*hi = 65535;
		return true;
	}
	if (*s < '0' || *s > '9')
		return false;
	a = strtoul(s, &end, 10);
	b = a;
	if (*end == '-') {
		if (end[1] < '0' || end[1] > '9')
			return false;
		b = strtoul(end + 1, &end, 10);
	}
	if (*end != '\0' || a > 65535 || b > 65535 || a > b)
		return false;
	*lo = (uint16_t)a;
	*hi = (uint16_t)b;
	return true;
}

static void
check_rule_ports(struct sc_check *ck, const char *key, const char *s,
    struct sc_loc loc)
{
	uint16_t lo, hi;

	if (!az_port_range(s, &lo, &hi))
		sc_check_error(ck, loc, "'%s': '%s' is not a port range (*, a "
		    "port 0-65535, or lo-hi)", key, sc_check_quote(ck, s));
}

/* Whether a rule's port key (either form) says something other than *. */
static bool
ports_given(const char *one, char *const *many, size_t n)
{
	size_t i;

	if (one != NULL && strcmp(one, "*") != 0)
		return true;
	for (i = 0; i < n; i++)
		if (many[i] != NULL && strcmp(many[i], "*") != 0)
			return true;
	return false;
}

/* One of a singular and a plural key, not both. */
static void
one_of(struct sc_check *ck, const struct az_rule *r, size_t one,
    size_t many, const char *what)
{
	if (sc_key_given(r->keys, one) && sc_key_given(r->keys, many))
		sc_check_error(ck, r->vloc[many], "rule '%s' has both %s and "
		    "%ss: give one", sc_check_quote(ck, r->name), what, what);
}

static void
check_rule(struct sc_check *ck, const struct az_nsg *g, size_t ri)
{
	const struct az_rule *r = &g->rules[ri];
	size_t i;

	if (sc_key_ok(r->keys, SR_PRIORITY) &&
	    (r->priority < AZ_NSG_PRIO_MIN || r->priority > AZ_NSG_PRIO_MAX))
		sc_check_error(ck, r->vloc[SR_PRIORITY], "priority %u of rule "
		    "'%s' is outside %u-%u (cloud-facts 2.6)", r->priority,
		    sc_check_quote(ck, r->name), AZ_NSG_PRIO_MIN,
		    AZ_NSG_PRIO_MAX);
	for (i = 0; i < ri; i++) {
		const struct az_rule *o = &g->rules[i];

		if (r->name != NULL && o->name != NULL &&
		    strcmp(r->name, o->name) == 0)
			sc_check_error(ck, r->vloc[SR_NAME], "duplicate rule "
			    "'%s' in NSG '%s' (first defined at %u:%u)",
			    sc_check_quote(ck, r->name),
			    sc_check_quote(ck, g->name), o->loc.line,
			    o->loc.col);
		if (sc_key_ok(r->keys, SR_PRIORITY) &&
		    sc_key_ok(o->keys, SR_PRIORITY) &&
		    r->priority == o->priority &&
		    r->direction == o->direction && r->direction != 0)
			sc_check_error(ck, r->vloc[SR_PRIORITY], "duplicate "
			    "priority %u in direction %s of NSG '%s' (rule "
			    "'%s' at %u:%u, 2.6)", r->priority,
			    r->direction == AZ_INBOUND ? "Inbound" :
			    "Outbound", sc_check_quote(ck, g->name),
			    sc_check_quote(ck, o->name), o->loc.line,
			    o->loc.col);
	}
	one_of(ck, r, SR_SRC, SR_SRCS, "source_address_prefix");
	one_of(ck, r, SR_DST, SR_DSTS, "destination_address_prefix");
	one_of(ck, r, SR_SPORT, SR_SPORTS, "source_port_range");
	one_of(ck, r, SR_DPORT, SR_DPORTS, "destination_port_range");
	if (r->src != NULL)
		check_rule_addr(ck, "source_address_prefix", r->src,
		    r->vloc[SR_SRC]);
	for (i = 0; i < r->n_srcs; i++)
		if (r->srcs[i] != NULL)
			check_rule_addr(ck, "source_address_prefixes",
			    r->srcs[i], r->srcs_loc[i]);
	if (r->dst != NULL)
		check_rule_addr(ck, "destination_address_prefix", r->dst,
		    r->vloc[SR_DST]);
	for (i = 0; i < r->n_dsts; i++)
		if (r->dsts[i] != NULL)
			check_rule_addr(ck, "destination_address_prefixes",
			    r->dsts[i], r->dsts_loc[i]);
	if (r->sport != NULL)
		check_rule_ports(ck, "source_port_range", r->sport,
		    r->vloc[SR_SPORT]);
	if (r->dport != NULL)
		check_rule_ports(ck, "destination_port_range", r->dport,
		    r->vloc[SR_DPORT]);
	/*
	 * The acl rule an NSG rule becomes matches ports on tcp or udp only
	 * (docs/acl.md): protocol * with a port range would need two rules
	 * of one priority.
	 */
	if (r->protocol == AZ_ANY && (ports_given(r->sport, r->sports,
	    r->n_sports) || ports_given(r->dport, r->dports, r->n_dports)))
		sc_check_error(ck, sc_key_given(r->keys, SR_PROTOCOL) ?
		    r->vloc[SR_PROTOCOL] : r->loc, "rule '%s': a port range "
		    "needs protocol Tcp or Udp here (write a rule for each)",
		    sc_check_quote(ck, r->name));
	/* ICMP has no ports: the range would be ignored */
	if (r->protocol == AZ_ICMP && (ports_given(r->sport, r->sports,
	    r->n_sports) || ports_given(r->dport, r->dports, r->n_dports)))
		sc_check_error(ck, r->vloc[SR_PROTOCOL], "rule '%s': a port "
		    "range needs protocol Tcp or Udp; Icmp has no ports (give "
		    "\"*\")", sc_check_quote(ck, r->name));
	/* the acl rule a rule becomes has one port range a side */
	if (r->n_sports > 1)
		sc_check_error(ck, r->sports_loc[1], "rule '%s': one source "
		    "port range per rule (write a rule per range)",
		    sc_check_quote(ck, r->name));
	else if (r->n_sports == 1 && r->sports[0] != NULL)
		check_rule_ports(ck, "source_port_ranges", r->sports[0],
		    r->sports_loc[0]);
	if (r->n_dports > 1)
		sc_check_error(ck, r->dports_loc[1], "rule '%s': one "
		    "destination port range per rule (write a rule per "
		    "range)", sc_check_quote(ck, r->name));
	else if (r->n_dports == 1 && r->dports[0] != NULL)
		check_rule_ports(ck, "destination_port_ranges", r->dports[0],
		    r->dports_loc[0]);
}

static void
check_nsgs(struct sc_check *ck, struct azure *az)
{
	size_t i, j;

	for (i = 0; i < az->n_nsgs; i++) {
		struct az_nsg *g = &az->nsgs[i];

		sc_names_add(ck, AZ_SP_NSG, g->name, i, g->vloc[NS_NAME]);
		for (j = 0; j < g->n_rules; j++)
			check_rule(ck, g, j);
	}
}

static void
check_rts(struct sc_check *ck, struct azure *az)
{
	size_t i, j, k;
	char a[16];

	for (i = 0; i < az->n_rts; i++) {
		struct az_rt *t = &az->rts[i];

		sc_names_add(ck, AZ_SP_RT, t->name, i, t->vloc[RB_NAME]);
		for (j = 0; j < t->n_routes; j++) {
			struct az_route *r = &t->routes[j];
			bool has_ip = sc_key_given(r->keys, RO_NHIP);

			for (k = 0; k < j; k++)
				if (r->name != NULL && t->routes[k].name !=
				    NULL && strcmp(r->name,
				    t->routes[k].name) == 0)
					sc_check_error(ck, r->vloc[RO_NAME],
					    "duplicate route '%s' in route "
					    "table '%s' (first defined at "
					    "%u:%u)", sc_check_quote(ck,
					    r->name), sc_check_quote(ck,
					    t->name), t->routes[k].loc.line,
					    t->routes[k].loc.col);
			if (r->nht == AZ_NH_APPLIANCE && !has_ip)
				sc_check_error(ck, r->loc, "route '%s': "
				    "next_hop_type VirtualAppliance needs "
				    "next_hop_ip_address (B3)",
				    sc_check_quote(ck, r->name));
			else if (r->nht != AZ_NH_APPLIANCE && r->nht != 0 &&
			    has_ip)
				sc_check_error(ck, r->vloc[RO_NHIP], "route "
				    "'%s': next_hop_ip_address %s is only for "
				    "next_hop_type VirtualAppliance",
				    sc_check_quote(ck, r->name),
				    az_ip(a, r->nh_ip));
		}
	}
}

/* --- virtual networks and subnets -------------------------------------- */

static void
parse_space(struct sc_check *ck, struct az_vnet *v)
{
	struct az_space *s = &v->space;
	size_t i, j;
	char a[16], b[16];

	if (s->n_prefixes == 0)
		return;
	v->sp.net = calloc(s->n_prefixes, sizeof(*v->sp.net));
	v->sp.plen = calloc(s->n_prefixes, sizeof(*v->sp.plen));
	v->sp.loc = calloc(s->n_prefixes, sizeof(*v->sp.loc));
	if (v->sp.net == NULL || v->sp.plen == NULL || v->sp.loc == NULL)
		abort();
	for (i = 0; i < s->n_prefixes; i++) {
		uint32_t net;
		uint8_t plen;
		int r;

		if (s->prefixes[i] == NULL)
			continue;
		r = az_prefix_parse(s->prefixes[i], &net, &plen);
		if (r == -2) {
			sc_check_error(ck, s->prefix_loc[i], "'address_prefixes'"
			    ": '%s' is not a network address (did you mean "
			    "%s/%u?)", sc_check_quote(ck, s->prefixes[i]),
			    az_ip(a, net), plen);
			continue;
		}
		if (r != 0) {
			sc_check_error(ck, s->prefix_loc[i], "'address_prefixes'"
			    ": bad prefix '%s' (expected a.b.c.d/len, e.g. "
			    "10.1.0.0/16)", sc_check_quote(ck, s->prefixes[i]));
			continue;
		}
		for (j = 0; j < v->sp.n; j++)
			if (az_overlap(net, plen, v->sp.net[j], v->sp.plen[j]))
				break;
		if (j < v->sp.n) {
			sc_check_error(ck, s->prefix_loc[i], "address space "
			    "%s/%u of virtual network '%s' overlaps its %s/%u",
			    az_ip(a, net), plen, sc_check_quote(ck, v->name),
			    az_ip(b, v->sp.net[j]), v->sp.plen[j]);
			continue;
		}
		v->sp.net[v->sp.n] = net;
		v->sp.loc[v->sp.n] = s->prefix_loc[i];
		v->sp.plen[v->sp.n++] = plen;
	}
}

/* VNets must not overlap each other (3.2: VNet and VCN spaces neither). */
static void
check_vnet_overlap(struct sc_check *ck, struct azure *az, size_t vi)
{
	struct az_vnet *v = &az->vnets[vi];
	size_t i, j, k;
	char a[16], b[16];

	for (i = 0; i < v->sp.n; i++)
		for (j = 0; j < vi; j++)
			for (k = 0; k < az->vnets[j].sp.n; k++) {
				const struct az_vnet *o = &az->vnets[j];

				if (!az_overlap(v->sp.net[i], v->sp.plen[i],
				    o->sp.net[k], o->sp.plen[k]))
					continue;
				sc_check_error(ck, v->sp.loc[i], "address "
				    "space %s/%u of virtual network '%s' "
				    "overlaps %s/%u of '%s' (defined at %u:%u)",
				    az_ip(a, v->sp.net[i]), v->sp.plen[i],
				    sc_check_quote(ck, v->name),
				    az_ip(b, o->sp.net[k]), o->sp.plen[k],
				    sc_check_quote(ck, o->name), o->loc.line,
				    o->loc.col);
				return;
			}
}

/*
 * Whether what Azure refuses at the subnet's create waits for it: the
 * timeline creates the subnet, or it is the GatewaySubnet of a gateway
 * the timeline creates (whose create then refuses it, 1.6).
 */
static bool
subnet_deferred(struct sc_check *ck, const struct azure *az,
    const struct az_vnet *v, const struct az_subnet *s)
{
	size_t i;

	if (s->key != NULL && az_on_timeline(ck, "subnets", s->key))
		return true;
	if (s->name == NULL || strcmp(s->name, AZ_GATEWAY_SUBNET) != 0 ||
	    v->name == NULL)
		return false;
	for (i = 0; i < az->n_gws; i++)
		if (az->gws[i].vnet != NULL && strcmp(az->gws[i].vnet,
		    v->name) == 0 && az_on_timeline(ck,
		    "virtual_network_gateways", az->gws[i].name))
			return true;
	return false;
}

static void
check_subnet(struct sc_check *ck, const struct azure *az, struct az_vnet *v,
    size_t vi, size_t si)
{
	struct az_subnet *s = &v->subnets[si];
	char a[16], b[16];
	size_t i, len;
	bool inside = false;

	if (s->name != NULL && v->name != NULL) {
		len = strlen(v->name) + strlen(s->name) + 2;
		if ((s->key = malloc(len)) == NULL)
			abort();
		sc_names_add(ck, AZ_SP_SUBNET, az_subnet_key(s->key, len,
		    v->name, s->name), vi << 32 | si, s->vloc[SN_NAME]);
	}
	if (s->nsg != NULL && sc_names_lookup(ck, AZ_SP_NSG, s->nsg,
	    s->vloc[SN_NSG], &s->nsg_idx))
		s->nsg_idx++;
	if (s->route_table != NULL && sc_names_lookup(ck, AZ_SP_RT,
	    s->route_table, s->vloc[SN_RT], &s->rt_idx))
		s->rt_idx++;
	if (s->name != NULL && strcmp(s->name, AZ_GATEWAY_SUBNET) == 0 &&
	    s->nsg != NULL)
		sc_check_error(ck, s->vloc[SN_NSG], "GatewaySubnet of virtual "
		    "network '%s' cannot have an NSG (not supported, 1.6, B4)",
		    sc_check_quote(ck, v->name));
	if (!sc_key_ok(s->keys, SN_PREFIX))
		return;
	if (s->plen > AZ_SUBNET_PLEN_MAX && subnet_deferred(ck, az, v, s)) {
		s->defer = AZ_DF_SUBNET_SMALL;	/* refused at its create */
		return;
	}
	if (s->plen > AZ_SUBNET_PLEN_MAX) {
		sc_check_error(ck, s->vloc[SN_PREFIX], "subnet '%s' (%s/%u) is "
		    "smaller than /%u, the smallest Azure subnet (5 addresses "
		    "are reserved, 2.5)", sc_check_quote(ck, s->name),
		    az_ip(a, s->prefix), s->plen, AZ_SUBNET_PLEN_MAX);
		return;
	}
	for (i = 0; i < v->sp.n; i++)
		if (az_within(s->prefix, s->plen, v->sp.net[i], v->sp.plen[i]))
			inside = true;
	if (!inside && v->sp.n > 0 && subnet_deferred(ck, az, v, s)) {
		s->defer = AZ_DF_SUBNET_OUTSIDE;	/* B4, at its create */
		return;
	}
	if (!inside) {
		if (v->sp.n > 0)
			sc_check_error(ck, s->vloc[SN_PREFIX], "Subnet '%s' is "
			    "not valid in virtual network '%s': %s/%u is "
			    "outside its address space (B4)",
			    sc_check_quote(ck, s->name),
			    sc_check_quote(ck, v->name), az_ip(a, s->prefix),
			    s->plen);
		return;
	}
	for (i = 0; i < si; i++) {
		const struct az_subnet *o = &v->subnets[i];

		if (o->ok && az_overlap(s->prefix, s->plen, o->prefix,
		    o->plen)) {
			sc_check_error(ck, s->vloc[SN_PREFIX], "subnet '%s' "
			    "(%s/%u) overlaps subnet '%s' (%s/%u, defined at "
			    "%u:%u)", sc_check_quote(ck, s->name),
			    az_ip(a, s->prefix), s->plen,
			    sc_check_quote(ck, o->name), az_ip(b, o->prefix),
			    o->plen, o->loc.line, o->loc.col);
			return;
		}
	}
	s->ok = true;
}

static void
check_vnets(struct sc_check *ck, struct azure *az)
{
	size_t i, j;

	for (i = 0; i < az->n_regions; i++)
		sc_names_add(ck, AZ_SP_REGION, az->regions[i], i,
		    az->regions_loc[i]);
	for (i = 0; i < az->n_vnets; i++) {
		struct az_vnet *v = &az->vnets[i];

		sc_names_add(ck, AZ_SP_VNET, v->name, i, v->vloc[VN_NAME]);
		if (az->n_regions > 0 && v->location != NULL)
			sc_names_lookup(ck, AZ_SP_REGION, v->location,
			    v->vloc[VN_LOCATION], NULL);
		parse_space(ck, v);
		check_vnet_overlap(ck, az, i);
		for (j = 0; j < v->n_subnets; j++)
			check_subnet(ck, az, v, i, j);
	}
}

/* --- the expansion's shared namespace (docs/azure.md) ------------------- */

struct az_named {
	const char *kind, *name;
	struct sc_loc loc;
};

/*
 * VNets, VMs and gateways all become nodes: two of different kinds with
 * one name would be one node twice. Reported at the later one; one named
 * like a circuit's MSEE at itself.
 */
static void
check_node_names(struct sc_check *ck, const struct azure *az)
{
	size_t n = az->n_vnets + az->n_vms + az->n_gws, i, j, k = 0;
	struct az_named *all = calloc(n + 1, sizeof(*all));

	if (all == NULL)
		abort();
	for (i = 0; i < az->n_vnets; i++)
		all[k++] = (struct az_named){ "virtual network",
		    az->vnets[i].name, az->vnets[i].vloc[VN_NAME] };
	for (i = 0; i < az->n_vms; i++)
		all[k++] = (struct az_named){ "virtual machine",
		    az->vms[i].name, az->vms[i].vloc[VM_NAME] };
	for (i = 0; i < az->n_gws; i++)
		all[k++] = (struct az_named){ "virtual network gateway",
		    az->gws[i].name, az->gws[i].vloc[GW_NAME] };
	for (i = 0; i < n; i++)
		for (j = 0; j < i; j++) {
			if (all[i].name == NULL || all[j].name == NULL ||
			    strcmp(all[i].kind, all[j].kind) == 0 ||
			    strcmp(all[i].name, all[j].name) != 0)
				continue;
			sc_check_error(ck, all[i].loc, "%s '%s' has the name "
			    "of %s '%s' (at %u:%u): both become nodes, one "
			    "namespace (docs/azure.md)", all[i].kind,
			    sc_check_quote(ck, all[i].name), all[j].kind,
			    sc_check_quote(ck, all[j].name), all[j].loc.line,
			    all[j].loc.col);
			break;
		}
	/* each circuit's two MSEEs are nodes too (docs/azure.md) */
	for (j = 0; j < 2 * az->n_circuits; j++) {
		char ms[SC_NAME_MAX + 32];

		if (az->circuits[j / 2].name == NULL)
			continue;
		ic_msee_name(ms, sizeof(ms), az->circuits[j / 2].name,
		    az->n_circuits, (enum ic_path)(j % 2));
		for (i = 0; i < n; i++)
			if (all[i].name != NULL && strcmp(all[i].name, ms) == 0)
				sc_check_error(ck, all[i].loc, "%s '%s' has the "
				    "name of the MSEE of ExpressRoute circuit "
				    "'%s' (%s path): both become nodes, one "
				    "namespace (docs/azure.md)", all[i].kind,
				    sc_check_quote(ck, all[i].name),
				    sc_check_quote(ck,
				    az->circuits[j / 2].name),
				    ic_path_name[j % 2]);
	}
	free(all);
}

/* Does NSG gi serve subnets or NICs of more than one VNet? */
static bool
nsg_shared(const struct azure *az, size_t gi)
{
	size_t i, j, first = SIZE_MAX;

	for (i = 0; i < az->n_vnets; i++)
		for (j = 0; j < az->vnets[i].n_subnets; j++)
			if (az->vnets[i].subnets[j].nsg_idx == gi + 1) {
				if (first != SIZE_MAX && first != i)
					return true;
				first = i;
			}
	for (i = 0; i < az->n_vms; i++)
		for (j = 0; j < az->vms[i].n_nics; j++) {
			const struct az_nic *c = &az->vms[i].nics[j];

			if (!c->ok || c->nsg_idx != gi + 1)
				continue;
			if (first != SIZE_MAX && first != c->vnet_idx)
				return true;
			first = c->vnet_idx;
		}
	return false;
}

/* Does NSG gi serve a subnet or a NIC of VNet vi? */
static bool
nsg_serves(const struct azure *az, size_t gi, size_t vi)
{
	size_t i, j;

	for (j = 0; j < az->vnets[vi].n_subnets; j++)
		if (az->vnets[vi].subnets[j].nsg_idx == gi + 1)
			return true;
	for (i = 0; i < az->n_vms; i++)
		for (j = 0; j < az->vms[i].n_nics; j++)
			if (az->vms[i].nics[j].ok &&
			    az->vms[i].nics[j].nsg_idx == gi + 1 &&
			    az->vms[i].nics[j].vnet_idx == vi)
				return true;
	return false;
}

/*
 * FastPath gives the VNet node an interface fastpath-<msee> per path of
 * the connection (azure_expand_er.c): a NIC of that name would be a
 * second one.
 */
static void
fastpath_name(struct sc_check *ck, const struct azure *az,
    const struct az_nic *c)
{
	char ms[SC_NAME_MAX + 32], ifn[SC_NAME_MAX + 48];
	size_t i, p;

	for (i = 0; i < az->n_conns; i++) {
		const struct az_conn *cn = &az->conns[i];

		if (!cn->ok || !cn->bypass ||
		    az->gws[cn->gw_idx].vnet_idx != c->vnet_idx)
			continue;
		for (p = 0; p < 2; p++) {
			ic_msee_name(ms, sizeof(ms),
			    az->circuits[cn->circuit_idx].name,
			    az->n_circuits, (enum ic_path)p);
			snprintf(ifn, sizeof(ifn), "fastpath-%s", ms);
			if (strcmp(c->name, ifn) == 0)
				sc_check_error(ck, c->vloc[NI_NAME], "network "
				    "interface '%s' has the name of the "
				    "interface FastPath connection '%s' makes "
				    "on its virtual network's node: rename the "
				    "interface (docs/azure.md)",
				    sc_check_quote(ck, c->name),
				    sc_check_quote(ck, cn->name));
		}
	}
}

/*
 * An NSG serving several VNets becomes `<nsg>.<vnet>` in each it serves;
 * an NSG already named so would be a second acl of that name. A NIC named
 * like its VNet's gateway or a FastPath interface would be a second
 * interface of that name on the VNet node, a connected gateway named
 * private-peering a second one on the MSEEs.
 */
static void
check_generated_names(struct sc_check *ck, const struct azure *az)
{
	char name[2 * SC_NAME_MAX + 2];
	size_t i, j, k;

	for (i = 0; i < az->n_nsgs; i++) {
		if (az->nsgs[i].name == NULL || !nsg_shared(az, i))
			continue;
		for (j = 0; j < az->n_vnets; j++) {
			if (az->vnets[j].name == NULL || !nsg_serves(az, i, j))
				continue;
			snprintf(name, sizeof(name), "%s.%s", az->nsgs[i].name,
			    az->vnets[j].name);
			for (k = 0; k < az->n_nsgs; k++)
				if (az->nsgs[k].name != NULL &&
				    strcmp(az->nsgs[k].name, name) == 0)
					sc_check_error(ck,
					    az->nsgs[k].vloc[NS_NAME],
					    "network security group '%s' has "
					    "the name of the acl that NSG '%s' "
					    "becomes in virtual network '%s' "
					    "(it serves several): rename one "
					    "(docs/azure.md)",
					    sc_check_quote(ck, name),
					    sc_check_quote(ck,
					    az->nsgs[i].name),
					    sc_check_quote(ck,
					    az->vnets[j].name));
		}
	}
	for (i = 0; i < az->n_vms; i++)
		for (j = 0; j < az->vms[i].n_nics; j++) {
			const struct az_nic *c = &az->vms[i].nics[j];
			const struct az_vnet *v;

			if (!c->ok || c->name == NULL)
				continue;
			v = &az->vnets[c->vnet_idx];
			/* a gateway without a name was reported already */
			if (v->gw_idx != 0 && az->gws[v->gw_idx - 1].name !=
			    NULL && strcmp(c->name,
			    az->gws[v->gw_idx - 1].name) == 0)
				sc_check_error(ck, c->vloc[NI_NAME], "network "
				    "interface '%s' has the name of gateway "
				    "'%s' of its virtual network: both become "
				    "interfaces of node '%s' (docs/azure.md)",
				    sc_check_quote(ck, c->name),
				    sc_check_quote(ck, c->name),
				    sc_check_quote(ck, v->name));
			fastpath_name(ck, az, c);
		}
	/* a connected gateway names an interface on each MSEE */
	for (i = 0; i < az->n_conns; i++) {
		const struct az_gw *g;

		if (!az->conns[i].ok)
			continue;
		g = &az->gws[az->conns[i].gw_idx];
		for (j = 0; j < i; j++)
			if (az->conns[j].ok &&
			    az->conns[j].gw_idx == az->conns[i].gw_idx)
				break;
		if (j == i && g->name != NULL &&
		    strcmp(g->name, IC_IF_PEERING) == 0)
			sc_check_error(ck, g->vloc[GW_NAME], "gateway '%s' "
			    "has the name of the MSEE's private peering "
			    "interface, and a connection makes it an interface "
			    "of the MSEE too: rename the gateway "
			    "(docs/azure.md)", IC_IF_PEERING);
	}
}

void
az_check(struct sc_check *ck, struct sc_section_data *d)
{
	struct azure *az = d->items;

	if (az == NULL || !d->given || d->bad)
		return;
	az->given = true;
	check_nsgs(ck, az);
	check_rts(ck, az);
	check_vnets(ck, az);
	az_check_vms(ck, az);
	az_check_gws(ck, az);
	az_check_ports(ck, az);
	az_check_circuits(ck, az);
	az_check_conns(ck, az);
	az_check_vpn(ck, az);
	az_check_routes(ck, az);
	check_node_names(ck, az);
	check_generated_names(ck, az);
}
