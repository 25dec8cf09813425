/*
 * azure_vpn_check.c - Azure's rules over its site-to-site VPN resources:
 * a VPN gateway (gateway_type Vpn) in its VNet's GatewaySubnet beside an
 * ExpressRoute one (coexistence, B5), route-based (4.2), a VPN SKU, BGP
 * not on Basic (B5), APIPA custom BGP addresses in 169.254.21.0 -
 * 169.254.22.255 (facts 4); local network gateways; connections of type
 * IPsec (a VPN gateway, a local network gateway, a shared key, BGP only
 * when both ends have it, at most one custom policy whose algorithms the
 * model has, and no more site-to-site tunnels than the SKU takes, B5).
 * What resolves (indices, addresses, the parsed spaces) stays in the items
 * for azure_vpn_expand.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "azure_vpn.h"

/* One custom policy per connection (ARM takes a list; Azure one entry). */
#define AZ_VPN_POLICIES_MAX 1

/*
 * Why ip cannot be a public endpoint (NULL: it can): Azure refuses a
 * local network gateway's or a public IP's address that is not unicast.
 */
static const char *
not_unicast(uint32_t ip)
{
	if (ip >> 24 == 0)
		return "in 0.0.0.0/8 (this network)";
	if (ip >> 24 == 127)
		return "a loopback address (127.0.0.0/8)";
	if (ip == UINT32_MAX)
		return "the broadcast address";
	if (ip >> 28 == 14)
		return "a multicast address (224.0.0.0/4)";
	if (ip >> 28 == 15)
		return "reserved (240.0.0.0/4)";
	return NULL;
}

static void
parse_lng_space(struct sc_check *ck, struct az_lng *l)
{
	struct az_space *s = &l->space;
	size_t i;
	char a[16];

	if (s->n_prefixes == 0)
		return;
	l->sp.net = calloc(s->n_prefixes, sizeof(*l->sp.net));
	l->sp.plen = calloc(s->n_prefixes, sizeof(*l->sp.plen));
	l->sp.loc = calloc(s->n_prefixes, sizeof(*l->sp.loc));
	if (l->sp.net == NULL || l->sp.plen == NULL || l->sp.loc == NULL)
		abort();
	for (i = 0; i < s->n_prefixes; i++) {
		uint32_t net;
		uint8_t plen;
		int r;

		if (s->prefixes[i] == NULL)
			continue;
		r = az_prefix_parse(s->prefixes[i], &net, &plen);
		if (r == -2) {
			sc_check_error(ck, s->prefix_loc[i],
			    "'address_prefixes': '%s' is not a network address "
			    "(did you mean %s/%u?)", sc_check_quote(ck,
			    s->prefixes[i]), az_ip(a, net), plen);
			continue;
		}
		if (r != 0) {
			sc_check_error(ck, s->prefix_loc[i],
			    "'address_prefixes': bad prefix '%s' (expected "
			    "a.b.c.d/len, e.g. 10.2.0.0/16)",
			    sc_check_quote(ck, s->prefixes[i]));
			continue;
		}
		l->sp.net[l->sp.n] = net;
		l->sp.loc[l->sp.n] = s->prefix_loc[i];
		l->sp.plen[l->sp.n++] = plen;
	}
}

static bool
apipa(uint32_t a)
{
	return a >= AZ_APIPA_LO && a <= AZ_APIPA_HI;
}

/* The gateway's custom BGP addresses: each an address in the APIPA range. */
static void
check_apipa(struct sc_check *ck, struct az_gw *g)
{
	size_t i;
	uint32_t net;
	uint8_t plen;
	char buf[40];

	for (i = 0; i < g->bgp.n_apipa; i++) {
		const char *s = g->bgp.apipa[i];

		if (s == NULL)
			continue;
		snprintf(buf, sizeof(buf), "%s/32", s);
		if (strchr(s, '/') != NULL || az_prefix_parse(buf, &net,
		    &plen) != 0)
			sc_check_error(ck, g->bgp.apipa_loc[i],
			    "'custom_bgp_ip_addresses': '%s' is not an address "
			    "a.b.c.d", sc_check_quote(ck, s));
		else if (!apipa(net))
			sc_check_error(ck, g->bgp.apipa_loc[i], "custom BGP "
			    "address %s of gateway '%s' is outside "
			    "169.254.21.0-169.254.22.255, the APIPA range "
			    "Azure VPN gateways take (facts 4)", s,
			    sc_check_quote(ck, g->name));
	}
}

/* A VPN gateway: its VNet's GatewaySubnet, an address there, its SKU. */
static void
check_gw(struct sc_check *ck, struct azure *az, size_t gi)
{
	struct az_gw *g = &az->gws[gi];
	struct az_vnet *v;
	const struct az_subnet *s = NULL;
	uint32_t used[1];
	size_t i, n = 0;
	char a[16];

	if (g->sku != 0 && !az_sku_is_vpn(g->sku)) {
		sc_check_error(ck, g->vloc[GW_SKU], "gateway '%s' is of "
		    "gateway_type Vpn, but %s is an ExpressRoute SKU (Basic, "
		    "VpnGw1-5 or VpnGw1AZ-5AZ: 4.2, B5)",
		    sc_check_quote(ck, g->name), az_sku_names[g->sku - 1]);
		return;
	}
	if (g->vpn_type == 2) {
		sc_check_error(ck, g->vloc[GW_VPN_TYPE], "gateway '%s': "
		    "PolicyBased is not modelled (Basic only, one IKEv1 "
		    "tunnel, no BGP: 4.2, B5); OCI's tunnels are route-based "
		    "(4.3)", sc_check_quote(ck, g->name));
		return;
	}
	if (!sc_key_given(g->keys, GW_PIP)) {
		sc_check_error(ck, g->loc, "VPN gateway '%s' needs "
		    "public_ip_address: the address of its public IP, the "
		    "tunnels' outer address", sc_check_quote(ck, g->name));
		return;
	}
	if (sc_key_ok(g->keys, GW_PIP) && not_unicast(g->public_ip) != NULL) {
		sc_check_error(ck, g->vloc[GW_PIP], "VPN gateway '%s': "
		    "public_ip_address %s is %s, not a public address",
		    sc_check_quote(ck, g->name), az_ip(a, g->public_ip),
		    not_unicast(g->public_ip));
		return;
	}
	if (g->enable_bgp && g->sku == AZ_SKU_BASIC) {
		sc_check_error(ck, g->vloc[GW_BGP], "gateway '%s': the Basic "
		    "SKU does not support BGP (B5)", sc_check_quote(ck,
		    g->name));
		return;
	}
	if (!sc_key_given(g->bgp.keys, BS_ASN))
		g->bgp.asn = AZ_VPN_ASN_DEFAULT;
	if (sc_key_given(g->bgp.keys, BS_PEER))
		sc_check_error(ck, g->bgp.vloc[BS_PEER], "gateway '%s': "
		    "bgp_peering_address is Azure's to give (the gateway's "
		    "address in GatewaySubnet); write custom_bgp_ip_addresses",
		    sc_check_quote(ck, g->name));
	check_apipa(ck, g);
	if (g->vnet == NULL || !sc_names_lookup(ck, AZ_SP_VNET, g->vnet,
	    g->vloc[GW_VNET], &g->vnet_idx))
		return;
	v = &az->vnets[g->vnet_idx];
	if (v->vpn_gw_idx != 0) {
		sc_check_error(ck, g->vloc[GW_VNET], "virtual network '%s' "
		    "already has VPN gateway '%s': one per VNet (1.6)",
		    sc_check_quote(ck, v->name), sc_check_quote(ck,
		    az->gws[v->vpn_gw_idx - 1].name));
		return;
	}
	v->vpn_gw_idx = gi + 1;
	for (i = 0; i < v->n_subnets; i++)
		if (v->subnets[i].name != NULL &&
		    strcmp(v->subnets[i].name, AZ_GATEWAY_SUBNET) == 0)
			s = &v->subnets[i];
	if (s == NULL) {
		sc_check_error(ck, g->vloc[GW_VNET], "virtual network '%s' "
		    "has no subnet named GatewaySubnet for gateway '%s' (1.6)",
		    sc_check_quote(ck, v->name), sc_check_quote(ck, g->name));
		return;
	}
	if (!s->ok)
		return;
	g->subnet_idx = (size_t)(s - v->subnets);
	/* beside an ExpressRoute gateway (coexistence, B5): the next address */
	if (v->gw_idx != 0 && az->gws[v->gw_idx - 1].ok)
		used[n++] = az->gws[v->gw_idx - 1].addr;
	g->addr = az_alloc(s->prefix, s->plen, used, n);
	if (g->addr == 0) {
		sc_check_error(ck, g->vloc[GW_VNET], "GatewaySubnet of virtual "
		    "network '%s' has no address left for gateway '%s'",
		    sc_check_quote(ck, v->name), sc_check_quote(ck, g->name));
		return;
	}
	g->ok = g->sku != 0;
}

/* One site per address: lngs[i]'s against those before it. */
static void
check_lng_ip(struct sc_check *ck, const struct azure *az, size_t i)
{
	const struct az_lng *l = &az->lngs[i], *o;
	size_t j;
	char a[16];

	if (!sc_key_ok(l->keys, LG_IP))
		return;
	if (not_unicast(l->ip) != NULL) {
		sc_check_error(ck, l->vloc[LG_IP], "local network gateway "
		    "'%s': gateway_ip_address %s is %s, not a site's public "
		    "address", sc_check_quote(ck, l->name), az_ip(a, l->ip),
		    not_unicast(l->ip));
		return;
	}
	for (j = 0; j < i; j++) {
		o = &az->lngs[j];
		if (o->ip != l->ip)
			continue;
		sc_check_error(ck, l->vloc[LG_IP], "local network gateway '%s' "
		    "has gateway_ip_address %s, as '%s' (at %u:%u): one site "
		    "per address", sc_check_quote(ck, l->name),
		    az_ip(a, l->ip), sc_check_quote(ck, o->name), o->loc.line,
		    o->loc.col);
		return;
	}
}

static void
check_lngs(struct sc_check *ck, struct azure *az)
{
	size_t i;

	for (i = 0; i < az->n_lngs; i++) {
		struct az_lng *l = &az->lngs[i];

		sc_names_add(ck, AZ_SP_LNG, l->name, i, l->vloc[LG_NAME]);
		parse_lng_space(ck, l);
		if (sc_key_given(l->bgp.keys, BS_APIPA))
			sc_check_error(ck, l->bgp.vloc[BS_APIPA], "local "
			    "network gateway '%s': custom_bgp_ip_addresses are "
			    "a VPN gateway's; the site's speaker is "
			    "bgp_peering_address", sc_check_quote(ck, l->name));
		if (sc_key_given(l->keys, LG_BGP) &&
		    (!sc_key_given(l->bgp.keys, BS_ASN) ||
		    !sc_key_given(l->bgp.keys, BS_PEER)))
			sc_check_error(ck, l->vloc[LG_BGP], "local network "
			    "gateway '%s': bgp_settings needs asn and "
			    "bgp_peering_address (facts 4: 31898 and the OCI "
			    "tunnel's inside address)", sc_check_quote(ck,
			    l->name));
		check_lng_ip(ck, az, i);
	}
}

/* A custom policy's algorithms: those the ipsec section has. */
static void
check_policy(struct sc_check *ck, const struct az_conn *c,
    const struct az_ipsec_policy *p)
{
	bool gcm = p->ipsec_encr >= AZ_IE_GCMAES128;

	if (p->ipsec_encr != 0 && az_vpn_encr(0, p->ipsec_encr) == NULL)
		sc_check_error(ck, p->vloc[IP_ENCR], "connection '%s': "
		    "ipsec_encryption %s is not modelled (DES3, AES128-256, "
		    "GCMAES128-256)", sc_check_quote(ck, c->name),
		    az_ipsec_encr_names[p->ipsec_encr - 1]);
	if (p->ike_encr != 0 && az_vpn_encr(1, p->ike_encr) == NULL)
		sc_check_error(ck, p->vloc[IP_IKE_ENCR], "connection '%s': "
		    "ike_encryption %s is not modelled (DES3, AES128-256, "
		    "GCMAES128/256)", sc_check_quote(ck, c->name),
		    az_ike_encr_names[p->ike_encr - 1]);
	if (p->ipsec_integ == AZ_II_MD5 || p->ike_integ == AZ_KI_MD5)
		sc_check_error(ck, p->vloc[p->ipsec_integ == AZ_II_MD5 ?
		    IP_INTEG : IP_IKE_INTEG], "connection '%s': MD5 is not "
		    "modelled (SHA1, SHA256, SHA384)", sc_check_quote(ck,
		    c->name));
	/* a GCM cipher is its own integrity: the same name on both (ARM) */
	if (p->ipsec_encr != 0 && p->ipsec_integ != 0 && gcm !=
	    (p->ipsec_integ >= AZ_II_GCMAES128))
		sc_check_error(ck, p->vloc[IP_INTEG], "connection '%s': "
		    "ipsec_integrity %s does not go with ipsec_encryption %s "
		    "(a GCM cipher takes the same GCM name as integrity, "
		    "another cipher MD5, SHA1 or SHA256)",
		    sc_check_quote(ck, c->name),
		    az_ipsec_integ_names[p->ipsec_integ - 1],
		    az_ipsec_encr_names[p->ipsec_encr - 1]);
	if (p->dh == AZ_DH_NONE)
		sc_check_error(ck, p->vloc[IP_DH], "connection '%s': the IKE "
		    "SA needs a DH group (dh_group None)", sc_check_quote(ck,
		    c->name));
}

static void
check_conn(struct sc_check *ck, struct azure *az, size_t ci, size_t *tunnels)
{
	struct az_conn *c = &az->conns[ci];
	struct az_gw *g;
	const struct az_lng *l;
	const struct az_vpn_fact *f;
	size_t gi, li, i;
	bool ok = true;

	if (c->gw == NULL || !sc_names_lookup(ck, AZ_SP_GW, c->gw,
	    c->vloc[CN_GW], &gi))
		ok = false;
	if (c->lng == NULL) {
		sc_check_error(ck, c->loc, "IPsec connection '%s' needs "
		    "local_network_gateway", sc_check_quote(ck, c->name));
		ok = false;
	} else if (!sc_names_lookup(ck, AZ_SP_LNG, c->lng, c->vloc[CN_LNG],
	    &li)) {
		ok = false;
	}
	if (c->shared_key == NULL) {
		sc_check_error(ck, c->loc, "IPsec connection '%s' needs "
		    "shared_key (the pre-shared key, as the OCI tunnel's "
		    "shared_secret)", sc_check_quote(ck, c->name));
		ok = false;
	}
	if (sc_key_given(c->keys, CN_CIRCUIT) || sc_key_given(c->keys,
	    CN_BYPASS) || sc_key_given(c->keys, CN_WEIGHT))
		sc_check_error(ck, c->vloc[sc_key_given(c->keys, CN_CIRCUIT) ?
		    CN_CIRCUIT : sc_key_given(c->keys, CN_BYPASS) ? CN_BYPASS :
		    CN_WEIGHT], "connection '%s' is IPsec: "
		    "express_route_circuit, express_route_gateway_bypass and "
		    "routing_weight are ExpressRoute's",
		    sc_check_quote(ck, c->name));
	if (c->n_policies > AZ_VPN_POLICIES_MAX)
		sc_check_error(ck, c->policies[1].loc, "connection '%s': one "
		    "custom IPsec/IKE policy per connection",
		    sc_check_quote(ck, c->name));
	for (i = 0; i < c->n_policies; i++)
		check_policy(ck, c, &c->policies[i]);
	if (!ok)
		return;
	g = &az->gws[gi];
	l = &az->lngs[li];
	c->gw_idx = gi;
	c->lng_idx = li;
	if (g->type != AZ_GW_VPN) {
		sc_check_error(ck, c->vloc[CN_GW], "IPsec connection '%s' "
		    "needs a VPN gateway; '%s' is an ExpressRoute gateway",
		    sc_check_quote(ck, c->name), sc_check_quote(ck, g->name));
		return;
	}
	if (c->enable_bgp && !g->enable_bgp) {
		sc_check_error(ck, c->vloc[CN_BGP], "connection '%s' has "
		    "enable_bgp, gateway '%s' has not", sc_check_quote(ck,
		    c->name), sc_check_quote(ck, g->name));
		return;
	}
	if (c->enable_bgp && !sc_key_given(l->keys, LG_BGP)) {
		sc_check_error(ck, c->vloc[CN_BGP], "connection '%s' has "
		    "enable_bgp, local network gateway '%s' has no "
		    "bgp_settings", sc_check_quote(ck, c->name),
		    sc_check_quote(ck, l->name));
		return;
	}
	if (c->enable_bgp && g->bgp.n_apipa == 0) {
		sc_check_error(ck, c->vloc[CN_BGP], "connection '%s' has "
		    "enable_bgp, gateway '%s' has no custom_bgp_ip_addresses: "
		    "BGP with OCI runs between APIPA addresses (facts 4)",
		    sc_check_quote(ck, c->name), sc_check_quote(ck, g->name));
		return;
	}
	if (!c->enable_bgp && l->sp.n == 0) {
		sc_check_error(ck, c->loc, "connection '%s' routes statically "
		    "(no enable_bgp), but local network gateway '%s' has no "
		    "address_space", sc_check_quote(ck, c->name),
		    sc_check_quote(ck, l->name));
		return;
	}
	f = az_vpn_fact(g->sku);
	if (f != NULL && ++tunnels[gi] > f->tunnels) {
		sc_check_error(ck, c->vloc[CN_GW], "gateway '%s' (%s) takes "
		    "at most %u site-to-site tunnels; connection '%s' is "
		    "tunnel %zu (B5)", sc_check_quote(ck, g->name),
		    az_sku_names[g->sku - 1], f->tunnels,
		    sc_check_quote(ck, c->name), tunnels[gi]);
		return;
	}
	c->ok = g->ok;
}

void
az_check_vpn(struct sc_check *ck, struct azure *az)
{
	size_t i, *tunnels;

	for (i = 0; i < az->n_gws; i++)
		if (az->gws[i].type == AZ_GW_VPN)
			check_gw(ck, az, i);
	check_lngs(ck, az);
	tunnels = calloc(az->n_gws + 1, sizeof(*tunnels));
	if (tunnels == NULL)
		abort();
	for (i = 0; i < az->n_conns; i++)
		if (az->conns[i].type == AZ_CONN_IPSEC)
			check_conn(ck, az, i, tunnels);
	free(tunnels);
}
