/*
 * azure_check_res.c - the checks of the resources that take addresses or
 * make ExpressRoute (azure_int.h): VMs and their NICs (the subnet exists,
 * not GatewaySubnet, a given address is in the subnet, not reserved, not
 * taken; the others allocated as Azure does, 2.5), gateways (exactly
 * GatewaySubnet, one per VNet, 1.6), circuits (bandwidths offered, SKU,
 * private peering, 1.3, 1.4, 1.7, B1), connections (FastPath SKUs,
 * circuits per gateway, B5) and the user-defined routes that depend on
 * the VNet a route table serves (B3).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "azure_int.h"
#include "interconnect.h"

/*
 * A NIC in GatewaySubnet waits for the timeline when the timeline creates
 * it, its VM or the VNet's gateway: the create that comes second is
 * refused (1.6: nothing else may be deployed in it).
 */
static bool
gws_deferred(struct sc_check *ck, const struct azure *az,
    const struct az_vm *vm, const struct az_nic *nic)
{
	const struct az_vnet *v = &az->vnets[nic->vnet_idx];
	size_t i;

	if (az_on_timeline(ck, "network_interfaces", nic->name) ||
	    az_on_timeline(ck, "virtual_machines", vm->name))
		return true;
	for (i = 0; i < az->n_gws; i++)
		if (az->gws[i].vnet != NULL && v->name != NULL &&
		    strcmp(az->gws[i].vnet, v->name) == 0 && az_on_timeline(ck,
		    "virtual_network_gateways", az->gws[i].name))
			return true;
	return false;
}

/* The subnet a NIC names, resolved into nic->vnet_idx/subnet_idx. */
static bool
nic_subnet(struct sc_check *ck, struct azure *az, const struct az_vm *vm,
    struct az_nic *nic)
{
	const struct az_subnet *s;
	size_t idx;

	if (nic->subnet == NULL)
		return false;
	if (strchr(nic->subnet, '/') == NULL) {
		sc_check_error(ck, nic->vloc[NI_SUBNET], "'subnet': expected "
		    "virtual_network/subnet, got '%s'",
		    sc_check_quote(ck, nic->subnet));
		return false;
	}
	if (!sc_names_lookup(ck, AZ_SP_SUBNET, nic->subnet,
	    nic->vloc[NI_SUBNET], &idx))
		return false;
	nic->vnet_idx = idx >> 32;
	nic->subnet_idx = idx & UINT32_MAX;
	s = &az->vnets[nic->vnet_idx].subnets[nic->subnet_idx];
	if (s->defer != AZ_DF_NONE) {
		sc_check_error(ck, nic->vloc[NI_SUBNET], "NIC '%s' is in subnet "
		    "'%s', whose create the timeline refuses: no address can "
		    "be given in it", sc_check_quote(ck, nic->name),
		    sc_check_quote(ck, nic->subnet));
		return false;
	}
	if (strcmp(s->name, AZ_GATEWAY_SUBNET) == 0 &&
	    gws_deferred(ck, az, vm, nic)) {
		nic->in_gws = true;	/* refused on the timeline */
		return s->ok;
	}
	if (strcmp(s->name, AZ_GATEWAY_SUBNET) == 0) {
		sc_check_error(ck, nic->vloc[NI_SUBNET], "NIC '%s' cannot be "
		    "in GatewaySubnet: it holds only the virtual network "
		    "gateway (1.6)", sc_check_quote(ck, nic->name));
		return false;
	}
	return az->vnets[nic->vnet_idx].subnets[nic->subnet_idx].ok;
}

/* The NICs with a good subnet, in file order. */
struct nic_ref {
	struct az_nic *nic;
	const struct az_vm *vm;
};

static void
check_given_ip(struct sc_check *ck, struct azure *az, struct nic_ref *refs,
    size_t i)
{
	struct az_nic *nic = refs[i].nic;
	const struct az_subnet *s =
	    &az->vnets[nic->vnet_idx].subnets[nic->subnet_idx];
	char a[16], b[16];
	size_t j;

	if (!az_within(nic->ip, 32, s->prefix, s->plen)) {
		sc_check_error(ck, nic->vloc[NI_IP], "private_ip_address %s is "
		    "outside subnet '%s' (%s/%u)", az_ip(a, nic->ip),
		    sc_check_quote(ck, nic->subnet), az_ip(b, s->prefix),
		    s->plen);
		return;
	}
	if (az_reserved(s->prefix, s->plen, nic->ip)) {
		sc_check_error(ck, nic->vloc[NI_IP], "private_ip_address %s is "
		    "reserved in subnet '%s': Azure keeps the first four and "
		    "the last address (2.5)", az_ip(a, nic->ip),
		    sc_check_quote(ck, nic->subnet));
		return;
	}
	for (j = 0; j < i; j++) {
		const struct az_nic *o = refs[j].nic;

		if (o->ok && o->vnet_idx == nic->vnet_idx && o->addr ==
		    nic->ip) {
			sc_check_error(ck, nic->vloc[NI_IP], "private_ip_address"
			    " %s is taken by NIC '%s' (defined at %u:%u)",
			    az_ip(a, nic->ip), sc_check_quote(ck, o->name),
			    o->loc.line, o->loc.col);
			return;
		}
	}
	nic->addr = nic->ip;
	nic->ok = true;
}

/* A NIC's place for the allocation: its subnet, then file order. */
struct alloc_key {
	size_t vnet, subnet, pos;
};

static int
key_cmp(const void *a, const void *b)
{
	const struct alloc_key *x = a, *y = b;

	if (x->vnet != y->vnet)
		return x->vnet < y->vnet ? -1 : 1;
	if (x->subnet != y->subnet)
		return x->subnet < y->subnet ? -1 : 1;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

static int
addr_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Azure's allocation (2.5): in file order, the first address after the
 * reserved ones that no NIC was given. Subnets are independent, so each
 * is done on its own: its given addresses sorted, a cursor over the rest.
 */
static void
allocate(struct sc_check *ck, struct azure *az, struct nic_ref *refs,
    size_t n)
{
	struct alloc_key *keys = calloc(n ? n : 1, sizeof(*keys));
	uint32_t *used = calloc(n ? n : 1, sizeof(*used));
	char a[16];
	size_t g, h, i, k, u;

	if (keys == NULL || used == NULL)
		abort();
	for (i = 0; i < n; i++)
		keys[i] = (struct alloc_key){ refs[i].nic->vnet_idx,
		    refs[i].nic->subnet_idx, i };
	qsort(keys, n, sizeof(*keys), key_cmp);
	for (g = 0; g < n; g = h) {
		const struct az_subnet *s =
		    &az->vnets[keys[g].vnet].subnets[keys[g].subnet];
		uint32_t next = s->prefix + AZ_RESERVED_LOW;
		uint32_t last = s->prefix | ~az_mask(s->plen);

		/* a NIC there (refused on the timeline) leaves the gateway's */
		if (strcmp(s->name, AZ_GATEWAY_SUBNET) == 0)
			next++;

		for (h = g, k = 0; h < n && keys[h].vnet == keys[g].vnet &&
		    keys[h].subnet == keys[g].subnet; h++)
			if (refs[keys[h].pos].nic->ok)
				used[k++] = refs[keys[h].pos].nic->addr;
		qsort(used, k, sizeof(*used), addr_cmp);
		for (i = g, u = 0; i < h; i++) {
			struct az_nic *nic = refs[keys[i].pos].nic;

			if (nic->ok || sc_key_given(nic->keys, NI_IP))
				continue;
			while (u < k && used[u] < next)
				u++;
			while (u < k && used[u] == next) {
				next++;
				u++;
			}
			if (next >= last) {
				sc_check_error(ck, nic->loc, "subnet '%s' "
				    "(%s/%u) has no free address left for NIC "
				    "'%s' of VM '%s': %u usable after the 5 "
				    "reserved (2.5)",
				    sc_check_quote(ck, nic->subnet),
				    az_ip(a, s->prefix), s->plen,
				    sc_check_quote(ck, nic->name),
				    sc_check_quote(ck, refs[keys[i].pos].vm->name),
				    (1u << (32 - s->plen)) - 5);
				continue;
			}
			nic->addr = next++;
			nic->ok = true;
		}
	}
	free(keys);
	free(used);
}

void
az_check_vms(struct sc_check *ck, struct azure *az)
{
	struct nic_ref *refs = NULL;
	size_t n = 0, cap = 0, i, j;

	for (i = 0; i < az->n_vms; i++) {
		struct az_vm *vm = &az->vms[i];
		bool elsewhere = false;	/* reported once a VM */

		sc_names_add(ck, AZ_SP_VM, vm->name, i, vm->vloc[VM_NAME]);
		if (az->n_regions > 0 && vm->location != NULL)
			sc_names_lookup(ck, AZ_SP_REGION, vm->location,
			    vm->vloc[VM_LOCATION], NULL);
		for (j = 0; j < vm->n_nics; j++) {
			struct az_nic *nic = &vm->nics[j];

			sc_names_add(ck, AZ_SP_NIC, nic->name, i,
			    nic->vloc[NI_NAME]);
			if (nic->nsg != NULL && sc_names_lookup(ck, AZ_SP_NSG,
			    nic->nsg, nic->vloc[NI_NSG], &nic->nsg_idx))
				nic->nsg_idx++;
			if (!nic_subnet(ck, az, vm, nic))
				continue;
			/* a NIC is in its VNet's region, and so is its VM */
			if (!elsewhere && vm->location != NULL &&
			    az->vnets[nic->vnet_idx].location != NULL &&
			    strcmp(vm->location,
			    az->vnets[nic->vnet_idx].location) != 0) {
				const struct az_vnet *v =
				    &az->vnets[nic->vnet_idx];

				sc_check_error(ck, nic->vloc[NI_SUBNET], "VM '%s' "
				    "is in %s, virtual network '%s' in %s: a "
				    "NIC's subnet is in its VM's region",
				    sc_check_quote(ck, vm->name),
				    sc_check_quote(ck, vm->location),
				    sc_check_quote(ck, v->name),
				    sc_check_quote(ck, v->location));
				elsewhere = true;
			}
			if (n == cap) {
				cap = cap ? 2 * cap : 16;
				refs = realloc(refs, cap * sizeof(*refs));
				if (refs == NULL)
					abort();
			}
			refs[n].nic = nic;
			refs[n++].vm = vm;
		}
	}
	for (i = 0; i < n; i++)
		if (sc_key_ok(refs[i].nic->keys, NI_IP))
			check_given_ip(ck, az, refs, i);
	allocate(ck, az, refs, n);
	free(refs);
}

/* --- gateways -------------------------------------------------------- */

/* Whether s contains "gateway" in any case. */
static bool
says_gateway(const char *s)
{
	for (; *s != '\0'; s++)
		if (strncasecmp(s, "gateway", 7) == 0)
			return true;
	return false;
}

/*
 * The VNet's GatewaySubnet, or an error naming a misspelt one; for a
 * gateway the timeline creates, its create's refusal (azure_prov.c).
 */
static bool
gateway_subnet(struct sc_check *ck, struct az_vnet *v, struct az_gw *g)
{
	bool later = az_on_timeline(ck, "virtual_network_gateways", g->name);
	size_t i;

	for (i = 0; i < v->n_subnets; i++)
		if (v->subnets[i].name != NULL &&
		    strcmp(v->subnets[i].name, AZ_GATEWAY_SUBNET) == 0) {
			g->subnet_idx = i;
			if (v->subnets[i].defer != AZ_DF_NONE && !later)
				sc_check_error(ck, g->vloc[GW_VNET], "gateway "
				    "'%s' is there from time zero, but the "
				    "timeline refuses the create of its "
				    "GatewaySubnet", sc_check_quote(ck,
				    g->name));
			return v->subnets[i].ok;
		}
	for (i = 0; i < v->n_subnets; i++) {
		const struct az_subnet *s = &v->subnets[i];

		if (s->name != NULL && (strcasecmp(s->name,
		    AZ_GATEWAY_SUBNET) == 0 || says_gateway(s->name)) &&
		    later) {
			g->defer = AZ_DF_GWS_MISNAMED;
			g->bad_subnet = i + 1;
			return false;
		}
		if (s->name != NULL && (strcasecmp(s->name,
		    AZ_GATEWAY_SUBNET) == 0 || says_gateway(s->name))) {
			sc_check_error(ck, s->vloc[SN_NAME], "subnet '%s' of "
			    "virtual network '%s' must be named exactly "
			    "GatewaySubnet to hold gateway '%s' (1.6)",
			    sc_check_quote(ck, s->name),
			    sc_check_quote(ck, v->name),
			    sc_check_quote(ck, g->name));
			return false;
		}
	}
	if (later) {
		g->defer = AZ_DF_GWS_MISSING;
		return false;
	}
	sc_check_error(ck, g->vloc[GW_VNET], "virtual network '%s' has no "
	    "subnet named GatewaySubnet for gateway '%s' (1.6)",
	    sc_check_quote(ck, v->name), sc_check_quote(ck, g->name));
	return false;
}

void
az_check_gws(struct sc_check *ck, struct azure *az)
{
	size_t i;

	for (i = 0; i < az->n_gws; i++) {
		struct az_gw *g = &az->gws[i];
		struct az_vnet *v;
		const struct az_subnet *s;

		sc_names_add(ck, AZ_SP_GW, g->name, i, g->vloc[GW_NAME]);
		/* a VPN gateway is azure_vpn_check.c's */
		if (g->type == AZ_GW_VPN)
			continue;
		if (g->sku >= AZ_SKU_MAX) {
			sc_check_error(ck, g->vloc[GW_SKU], "gateway '%s' is of "
			    "gateway_type ExpressRoute, but %s is a VPN SKU "
			    "(1.6, B5)", sc_check_quote(ck, g->name),
			    az_sku_names[g->sku - 1]);
			continue;
		}
		if (sc_key_given(g->keys, GW_SCALE) && g->sku != 0 &&
		    g->sku != AZ_SKU_ERGWSCALE)
			sc_check_error(ck, g->vloc[GW_SCALE], "scale_units is "
			    "for sku ErGwScale only, '%s' is %s (B5)",
			    sc_check_quote(ck, g->name),
			    az_sku_names[g->sku - 1]);
		if (g->scale_units == 0)
			g->scale_units = 1;
		if (sc_key_given(g->x.keys, GX_TUN_DELAY) ||
		    sc_key_given(g->x.keys, GX_TUN_JITTER))
			sc_check_error(ck, g->x.vloc[sc_key_given(g->x.keys,
			    GX_TUN_DELAY) ? GX_TUN_DELAY : GX_TUN_JITTER],
			    "tunnel_delay and tunnel_jitter are a VPN "
			    "gateway's; '%s' is an ExpressRoute gateway",
			    sc_check_quote(ck, g->name));
		if (g->vnet == NULL || !sc_names_lookup(ck, AZ_SP_VNET, g->vnet,
		    g->vloc[GW_VNET], &g->vnet_idx))
			continue;
		v = &az->vnets[g->vnet_idx];
		if (v->gw_idx != 0) {
			sc_check_error(ck, g->vloc[GW_VNET], "virtual network "
			    "'%s' already has ExpressRoute gateway '%s': one "
			    "per VNet (1.6, 2.5)", sc_check_quote(ck, v->name),
			    sc_check_quote(ck, az->gws[v->gw_idx - 1].name));
			continue;
		}
		/* the VNet has it (user routes may name it) even if misplaced */
		v->gw_idx = i + 1;
		if (!gateway_subnet(ck, v, g))
			continue;
		s = &v->subnets[g->subnet_idx];
		g->addr = az_alloc(s->prefix, s->plen, NULL, 0);
		g->ok = g->sku != 0;
	}
}

/* --- circuits ----------------------------------------------------------- */

/* The index + 1 of the name in names that s starts with, up to '_'. */
static int
sku_part(const char *const *names, const char *s, size_t n)
{
	int i;

	for (i = 0; names[i] != NULL; i++)
		if (strlen(names[i]) == n && strncmp(names[i], s, n) == 0)
			return i + 1;
	return 0;
}

/*
 * tier and family: from the name (<tier>_<family>, 1.1, B1: e.g.
 * Standard_MeteredData) where not given; without either, family
 * UnlimitedData for tier Local (its data transfer is included, B1).
 */
static bool
sku_defaults(struct sc_check *ck, struct az_circuit *c)
{
	struct az_sku_cfg *k = &c->sku;
	const char *us;
	int t, f;

	if (k->name != NULL) {
		us = strchr(k->name, '_');
		t = us ? sku_part(az_tier_names, k->name,
		    (size_t)(us - k->name)) : 0;
		f = us ? sku_part(az_family_names, us + 1, strlen(us + 1)) : 0;
		if (t == 0 || f == 0) {
			sc_check_error(ck, k->vloc[SK_NAME], "sku name '%s' is "
			    "not <tier>_<family>, e.g. Standard_MeteredData "
			    "(1.1)", sc_check_quote(ck, k->name));
			return false;
		}
		if (!sc_key_given(k->keys, SK_TIER))
			k->tier = t;
		if (!sc_key_given(k->keys, SK_FAMILY))
			k->family = f;
		return true;
	}
	if (k->tier == AZ_TIER_LOCAL && !sc_key_given(k->keys, SK_FAMILY))
		k->family = AZ_FAM_UNLIMITED;
	return true;
}

static void
check_sku(struct sc_check *ck, struct az_circuit *c)
{
	struct az_sku_cfg *k = &c->sku;
	char name[64];

	if (!sku_defaults(ck, c))
		return;
	if (k->tier == AZ_TIER_LOCAL && k->family == AZ_FAM_METERED)
		sc_check_error(ck, sc_key_given(k->keys, SK_FAMILY) ?
		    k->vloc[SK_FAMILY] : c->vloc[CI_SKU], "circuit '%s': tier "
		    "Local includes its data transfer: family must be "
		    "UnlimitedData, not MeteredData (B1)",
		    sc_check_quote(ck, c->name));
	if (k->name != NULL && k->tier != 0 && k->family != 0) {
		snprintf(name, sizeof(name), "%s_%s",
		    az_tier_names[k->tier - 1], az_family_names[k->family - 1]);
		if (strcmp(name, k->name) != 0)
			sc_check_error(ck, k->vloc[SK_NAME], "sku name '%s' "
			    "disagrees with tier and family (%s, 1.1)",
			    sc_check_quote(ck, k->name), name);
	}
}

/* Whether the timeline creates the circuit's private peering. */
static bool
peering_later(struct sc_check *ck, const struct az_circuit *c)
{
	char name[SC_NAME_MAX + 32];

	if (c->name == NULL)
		return false;
	snprintf(name, sizeof(name), "%s/AzurePrivatePeering", c->name);
	return az_on_timeline(ck, "peerings", name);
}

static bool
check_pp(struct sc_check *ck, const struct azure *az, struct az_circuit *c)
{
	struct az_pp *p = &c->pp;
	unsigned errs = sc_check_errors(ck);
	char a[16], b[16];
	size_t i, j, k;

	for (i = 0; i < 2; i++) {
		size_t f = i == 0 ? PP_PRIMARY : PP_SECONDARY;

		if (!sc_key_ok(p->keys, f))
			continue;
		/* 1.2, 1.3: two /30s (a /31 has no first and second usable) */
		if (p->plen[i] != 30) {
			sc_check_error(ck, p->vloc[f], "%s peer address prefix "
			    "%s/%u must be a /30 (1.3)", ic_path_name[i],
			    az_ip(a, p->prefix[i]), p->plen[i]);
			continue;
		}
		/* the internal links' block: the same address twice */
		if (az_overlap(p->prefix[i], p->plen[i], IC_BLOCK_MS, 20))
			sc_check_error(ck, p->vloc[f], "%s peer address prefix "
			    "%s/%u is inside 169.254.240.0/20, which xcsim "
			    "reserves for its internal links (gateway <-> "
			    "MSEE, Oracle edge <-> DRG; IC_BLOCK_MS): choose "
			    "another", ic_path_name[i], az_ip(a, p->prefix[i]),
			    p->plen[i]);
		for (j = 0; j < az->n_vnets; j++)
			for (k = 0; k < az->vnets[j].sp.n; k++)
				if (az_overlap(p->prefix[i], p->plen[i],
				    az->vnets[j].sp.net[k],
				    az->vnets[j].sp.plen[k]))
					sc_check_error(ck, p->vloc[f], "%s peer "
					    "address prefix %s/%u overlaps the "
					    "address space %s/%u of virtual "
					    "network '%s' (1.3)",
					    ic_path_name[i],
					    az_ip(a, p->prefix[i]), p->plen[i],
					    az_ip(b, az->vnets[j].sp.net[k]),
					    az->vnets[j].sp.plen[k],
					    sc_check_quote(ck,
					    az->vnets[j].name));
	}
	if (sc_key_ok(p->keys, PP_PRIMARY) && sc_key_ok(p->keys, PP_SECONDARY)
	    && az_overlap(p->prefix[0], p->plen[0], p->prefix[1], p->plen[1]))
		sc_check_error(ck, p->vloc[PP_SECONDARY], "secondary peer "
		    "address prefix %s/%u overlaps the primary %s/%u (1.3)",
		    az_ip(a, p->prefix[1]), p->plen[1], az_ip(b, p->prefix[0]),
		    p->plen[0]);
	if (sc_key_ok(p->keys, PP_PEER_ASN) && peering_later(ck, c) &&
	    ((p->peer_asn >= AZ_ASN_RESERVED_LO &&
	    p->peer_asn <= AZ_ASN_RESERVED_HI) ||
	    p->peer_asn == IC_ASN_MICROSOFT))
		/* 1.4, refused at the peering's create (azure_prov.c) */
		c->defer_asn = p->peer_asn == IC_ASN_MICROSOFT ?
		    AZ_DF_ASN_MICROSOFT : AZ_DF_ASN_RESERVED;
	else if (sc_key_ok(p->keys, PP_PEER_ASN) &&
	    p->peer_asn >= AZ_ASN_RESERVED_LO &&
	    p->peer_asn <= AZ_ASN_RESERVED_HI)
		sc_check_error(ck, p->vloc[PP_PEER_ASN], "peer_asn %u is "
		    "reserved by Microsoft (65515-65520, 1.4)", p->peer_asn);
	else if (sc_key_ok(p->keys, PP_PEER_ASN) &&
	    p->peer_asn == IC_ASN_MICROSOFT)
		sc_check_error(ck, p->vloc[PP_PEER_ASN], "peer_asn %u is the "
		    "MSEEs' own AS (1.4)", p->peer_asn);
	if (p->shared_key != NULL && strlen(p->shared_key) > 80)
		sc_check_error(ck, p->vloc[PP_KEY], "shared_key is %zu "
		    "characters, at most 80 (2.3: the MD5 key limit stated "
		    "for the FastConnect side; Azure states none, 1.4)",
		    strlen(p->shared_key));
	return sc_check_errors(ck) == errs;
}

void
az_check_circuits(struct sc_check *ck, struct azure *az)
{
	size_t i;

	for (i = 0; i < az->n_circuits; i++) {
		struct az_circuit *c = &az->circuits[i];

		sc_names_add(ck, AZ_SP_CIRCUIT, c->name, i, c->vloc[CI_NAME]);
		if (c->port != NULL)
			;	/* ExpressRoute Direct: az_check_direct */
		else if (sc_key_ok(c->keys, CI_BW) &&
		    !az_bandwidth_offered(c->bandwidth_mbps) &&
		    az_on_timeline(ck, "express_route_circuits", c->name))
			c->defer_bw = true;	/* refused at its create */
		else if (sc_key_ok(c->keys, CI_BW) &&
		    !az_bandwidth_offered(c->bandwidth_mbps))
			sc_check_error(ck, c->vloc[CI_BW], "bandwidth_in_mbps "
			    "%u is not offered (50, 100, 200, 500, 1000, "
			    "2000, 5000 or 10000; 1.7, B1)", c->bandwidth_mbps);
		check_sku(ck, c);
		/*
		 * An Oracle circuit's peering appears from the OCI side (3.1);
		 * given here, it is typed by hand with the values OCI returned
		 * (B2), and the MSEEs take what was typed, right or wrong.
		 */
		if (sc_key_given(c->keys, CI_PP))
			c->has_pp = check_pp(ck, az, c);
		/* a port's circuit, or a provider's fields (azure_port.c) */
		az_check_direct(ck, az, i);
	}
}

/* --- connections --------------------------------------------------------- */

/* 1.6: 16 circuits on one gateway need a /26 GatewaySubnet or larger. */
#define AZ_CIRCUITS_NEED_26 16

/*
 * VNet links a circuit takes (1.4, B1): Standard and Local 10 at every
 * size; Premium by bandwidth, 20 at 50 Mbps up to 100 at 10 Gbps.
 */
static size_t
vnet_links(const struct az_circuit *c)
{
	static const struct {
		uint32_t mbps;
		size_t links;
	} premium[] = {
		{ 50, 20 }, { 100, 25 }, { 200, 25 }, { 500, 40 },
		{ 1000, 50 }, { 2000, 60 }, { 5000, 75 },
	};
	size_t i;

	if (c->sku.tier != AZ_TIER_PREMIUM)
		return 10;
	for (i = 0; i < sizeof(premium) / sizeof(premium[0]); i++)
		if (c->bandwidth_mbps <= premium[i].mbps)
			return premium[i].links;
	return 100;
}

/*
 * The connections before i that the expansion links: two /30s each, from
 * the lower /21 of IC_BLOCK_MS (the upper /21 is IC_BLOCK_OCI, the DRGs').
 */
#define AZ_P2P_CONNS 128

static size_t
conns_linked(const struct azure *az, size_t i)
{
	size_t j, n = 0;

	for (j = 0; j < i; j++)
		n += az->conns[j].ok;
	return n;
}

void
az_check_conns(struct sc_check *ck, struct azure *az)
{
	size_t i, j, per_gw, per_c, same_loc;
	bool full = false;	/* the block is said full once */

	for (i = 0; i < az->n_conns; i++) {
		struct az_conn *c = &az->conns[i];
		const char *where;
		const struct az_gw *g;
		const struct az_sku_fact *f;
		bool g_ok, c_ok;

		sc_names_add(ck, AZ_SP_CONN, c->name, i, c->vloc[CN_NAME]);
		c->timeline = az_on_timeline(ck, "connections", c->name);
		/* an IPsec connection is azure_vpn_check.c's */
		if (c->type == AZ_CONN_IPSEC)
			continue;
		if (c->circuit == NULL) {
			sc_check_error(ck, c->loc, "ExpressRoute connection '%s' "
			    "needs express_route_circuit",
			    sc_check_quote(ck, c->name));
			continue;
		}
		g_ok = c->gw != NULL && sc_names_lookup(ck, AZ_SP_GW, c->gw,
		    c->vloc[CN_GW], &c->gw_idx);
		c_ok = c->circuit != NULL && sc_names_lookup(ck, AZ_SP_CIRCUIT,
		    c->circuit, c->vloc[CN_CIRCUIT], &c->circuit_idx);
		if (!g_ok || !c_ok)
			continue;
		g = &az->gws[c->gw_idx];
		if (g->type == AZ_GW_VPN) {
			sc_check_error(ck, c->vloc[CN_GW], "connection '%s' to "
			    "a circuit needs an ExpressRoute gateway; '%s' is a "
			    "VPN gateway (connection_type IPsec connects it to "
			    "a local network gateway)", sc_check_quote(ck,
			    c->name), sc_check_quote(ck, g->name));
			continue;
		}
		f = az_sku_fact(g->sku);
		if (c->bypass && f != NULL && !f->fastpath)
			sc_check_error(ck, c->vloc[CN_BYPASS], "FastPath "
			    "(express_route_gateway_bypass) needs an "
			    "UltraPerformance or ErGw3AZ gateway; '%s' is %s "
			    "(B5)", sc_check_quote(ck, g->name),
			    az_sku_names[g->sku - 1]);
		where = az->circuits[c->circuit_idx].location;
		for (j = per_gw = same_loc = 0; j < i; j++) {
			const struct az_conn *o = &az->conns[j];
			const char *there = az->circuits[o->circuit_idx].location;

			if (!o->ok || o->gw_idx != c->gw_idx)
				continue;
			per_gw++;
			same_loc += where != NULL && there != NULL &&
			    strcmp(where, there) == 0;
			if (o->circuit_idx == c->circuit_idx) {
				sc_check_error(ck, c->vloc[CN_CIRCUIT],
				    "circuit '%s' is already connected to "
				    "gateway '%s' by connection '%s' (at "
				    "%u:%u)", sc_check_quote(ck, c->circuit),
				    sc_check_quote(ck, c->gw),
				    sc_check_quote(ck, o->name), o->loc.line,
				    o->loc.col);
				break;
			}
		}
		if (j < i)
			continue;
		if (f != NULL && f->max_circuits != 0 &&
		    per_gw >= f->max_circuits && !c->timeline) {
			sc_check_error(ck, c->vloc[CN_GW], "gateway '%s' (%s) "
			    "takes at most %u circuit connections (1.6)",
			    sc_check_quote(ck, g->name),
			    az_sku_names[g->sku - 1], f->max_circuits);
			continue;
		}
		for (j = per_c = 0; j < i; j++)
			per_c += az->conns[j].ok &&
			    az->conns[j].circuit_idx == c->circuit_idx;
		if (per_c >= vnet_links(&az->circuits[c->circuit_idx])) {
			const struct az_circuit *ci =
			    &az->circuits[c->circuit_idx];

			sc_check_error(ck, c->vloc[CN_CIRCUIT], "circuit '%s' "
			    "(%s, %u Mbps) takes at most %zu VNet links (1.4, "
			    "B1)", sc_check_quote(ck, ci->name),
			    az_tier_names[ci->sku.tier - 1],
			    ci->bandwidth_mbps, vnet_links(ci));
			continue;
		}
		/* 1.6: "/26 or larger required to connect 16 circuits" */
		if (per_gw + 1 == AZ_CIRCUITS_NEED_26 && g->ok && !c->timeline &&
		    az->vnets[g->vnet_idx].subnets[g->subnet_idx].plen > 26) {
			sc_check_error(ck, c->vloc[CN_GW], "gateway '%s' with "
			    "%u circuits needs a GatewaySubnet of /26 or "
			    "larger, virtual network '%s' has a /%u (1.6)",
			    sc_check_quote(ck, g->name), AZ_CIRCUITS_NEED_26,
			    sc_check_quote(ck, az->vnets[g->vnet_idx].name),
			    az->vnets[g->vnet_idx].subnets[g->subnet_idx].plen);
			continue;
		}
		/* one ER gateway per VNet: its circuits are the VNet's */
		if (same_loc >= AZ_CIRCUITS_PER_LOCATION && !c->timeline) {
			sc_check_error(ck, c->vloc[CN_CIRCUIT], "virtual network "
			    "'%s' has %u circuits from peering location '%s' "
			    "already, the most one VNet takes (1.6, B1)",
			    sc_check_quote(ck, az->vnets[g->vnet_idx].name),
			    AZ_CIRCUITS_PER_LOCATION, sc_check_quote(ck, where));
			continue;
		}
		if (g->ok && conns_linked(az, i) >= AZ_P2P_CONNS) {
			if (!full)
				sc_check_error(ck, c->vloc[CN_NAME], "connection "
				    "'%s' would need /30s past 169.254.247.255: "
				    "xcsim numbers its gateway-MSEE links, two "
				    "/30s per connection, from 169.254.240.0/21, "
				    "the lower half of IC_BLOCK_MS (the upper "
				    "half is the DRGs', docs/interconnect.md): "
				    "at most %u connections",
				    sc_check_quote(ck, c->name), AZ_P2P_CONNS);
			full = true;
			continue;
		}
		c->ok = g->ok;
	}
}

/* --- user-defined routes against the VNets that use them ------------------ */

void
az_check_routes(struct sc_check *ck, struct azure *az)
{
	size_t i, j, k;
	char a[16];

	for (i = 0; i < az->n_vnets; i++) {
		const struct az_vnet *v = &az->vnets[i];

		for (j = 0; j < v->n_subnets; j++) {
			const struct az_subnet *s = &v->subnets[j];
			const struct az_rt *t;

			if (s->rt_idx == 0)
				continue;
			t = &az->rts[s->rt_idx - 1];
			for (k = 0; k < t->n_routes; k++) {
				const struct az_route *r = &t->routes[k];
				size_t m;
				bool in = false;

				if (r->nht == AZ_NH_GATEWAY && v->gw_idx == 0)
					sc_check_error(ck, r->vloc[RO_NHT],
					    "route '%s' sends to the gateway, "
					    "but virtual network '%s' (subnet "
					    "'%s') has none",
					    sc_check_quote(ck, r->name),
					    sc_check_quote(ck, v->name),
					    sc_check_quote(ck, s->name));
				/* every gateway here is ExpressRoute (1.6) */
				if (r->nht == AZ_NH_GATEWAY && v->gw_idx != 0)
					sc_check_error(ck, r->vloc[RO_NHT],
					    "route '%s' sends to '%s', an "
					    "ExpressRoute gateway: a user-defined "
					    "route cannot send to one, its routes "
					    "come by BGP (B3)",
					    sc_check_quote(ck, r->name),
					    sc_check_quote(ck,
					    az->gws[v->gw_idx - 1].name));
				if (r->nht != AZ_NH_APPLIANCE ||
				    !sc_key_ok(r->keys, RO_NHIP))
					continue;
				for (m = 0; m < v->sp.n; m++)
					if (az_within(r->nh_ip, 32,
					    v->sp.net[m], v->sp.plen[m]))
						in = true;
				if (!in)
					sc_check_error(ck, r->vloc[RO_NHIP],
					    "next hop %s of route '%s' is "
					    "outside virtual network '%s' "
					    "(subnet '%s' uses route table "
					    "'%s')", az_ip(a, r->nh_ip),
					    sc_check_quote(ck, r->name),
					    sc_check_quote(ck, v->name),
					    sc_check_quote(ck, s->name),
					    sc_check_quote(ck, t->name));
			}
		}
	}
}
