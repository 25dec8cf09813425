/*
 * oci_ipsec_check.c - OCI's rules over CPEs and IPSec connections: names
 * and references (a CPE, a DRG), two tunnels per connection (4.3), the
 * static routes (network addresses, at most 10: facts 4), BGP inside
 * addresses in one /30 or /31 (2.8), POLICY routing not modelled, a PFS
 * group OCI supports (not GROUP1: facts 4), distinct public addresses, and
 * the /30s of xcsim's DRG link block. Messages carry OCI's error code
 * where one applies (400-InvalidParameter, B6).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oci_ipsec.h"
#include "wire.h"

#define OCI_P2P_BLOCK 512	/* /30s in IC_BLOCK_OCI (oci_check.c) */

static uint32_t
mask(uint8_t plen)
{
	return plen == 0 ? 0 : UINT32_MAX << (32 - plen);
}

/*
 * Why ip cannot be a public endpoint (NULL: it can): OCI refuses a CPE's
 * or a tunnel's address that is not unicast (400-InvalidParameter).
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
check_static(struct sc_check *ck, struct oci_ipsc *c)
{
	size_t i;
	char a[16];

	if (c->n_static > OCI_STATIC_ROUTES_MAX)
		sc_check_error(ck, c->static_loc[OCI_STATIC_ROUTES_MAX],
		    "400-InvalidParameter: IPSec connection '%s' has %zu "
		    "static routes, at most %d (facts 4)",
		    sc_check_quote(ck, c->name), c->n_static,
		    OCI_STATIC_ROUTES_MAX);
	c->st_net = calloc(c->n_static + 1, sizeof(*c->st_net));
	c->st_plen = calloc(c->n_static + 1, sizeof(*c->st_plen));
	if (c->st_net == NULL || c->st_plen == NULL)
		abort();
	for (i = 0; i < c->n_static; i++) {
		const char *s = c->static_routes[i], *sl;
		unsigned long plen;
		uint32_t net;
		char ip[20], *end;

		if (s == NULL)
			continue;
		sl = strchr(s, '/');
		plen = sl != NULL ? strtoul(sl + 1, &end, 10) : 99;
		if (sl != NULL && (size_t)(sl - s) < sizeof(ip)) {
			memcpy(ip, s, (size_t)(sl - s));
			ip[sl - s] = '\0';
		}
		if (sl == NULL || (size_t)(sl - s) >= sizeof(ip) || plen > 32 ||
		    *end != '\0' || wire_ip_parse(ip, &net) != 0) {
			sc_check_error(ck, c->static_loc[i], "static route "
			    "'%s' is not a CIDR a.b.c.d/len",
			    sc_check_quote(ck, s));
			continue;
		}
		if ((net & ~mask((uint8_t)plen)) != 0) {
			sc_check_error(ck, c->static_loc[i],
			    "400-InvalidParameter: static route '%s' is not a "
			    "network address (did you mean %s/%lu?)",
			    sc_check_quote(ck, s),
			    wire_ip_str(net & mask((uint8_t)plen), a), plen);
			continue;
		}
		c->st_net[c->n_st] = net;
		c->st_plen[c->n_st++] = (uint8_t)plen;
	}
}

/* The inside addresses of a BGP tunnel: one /30 or /31, two ends (2.8). */
static bool
check_bgp(struct sc_check *ck, const struct oci_ipsc *c,
    const struct oci_tunnel *t, size_t ti)
{
	const struct oci_bgp_info *b = &t->bgp;
	char x[16], y[16];

	if (!sc_key_given(t->keys, TU_BGP)) {
		sc_check_error(ck, t->vloc[TU_ROUTING], "400-InvalidParameter: "
		    "tunnel %zu of IPSec connection '%s' routes by BGP and "
		    "needs bgp_session_info (customer_bgp_asn, "
		    "customer_interface_ip, oracle_interface_ip: 2.8)", ti + 1,
		    sc_check_quote(ck, c->name));
		return false;
	}
	if (!sc_key_ok(b->keys, BI_CUSTOMER) || !sc_key_ok(b->keys, BI_ORACLE))
		return false;
	if ((b->customer_plen != 30 && b->customer_plen != 31) ||
	    b->customer_plen != b->oracle_plen ||
	    (b->customer & mask(b->customer_plen)) !=
	    (b->oracle & mask(b->oracle_plen)) || b->customer == b->oracle) {
		sc_check_error(ck, b->vloc[BI_ORACLE], "400-InvalidParameter: "
		    "tunnel %zu of IPSec connection '%s': oracle_interface_ip "
		    "%s/%u and customer_interface_ip %s/%u must be two "
		    "addresses of one /30 or /31 (2.8)", ti + 1,
		    sc_check_quote(ck, c->name), wire_ip_str(b->oracle, x),
		    b->oracle_plen, wire_ip_str(b->customer, y),
		    b->customer_plen);
		return false;
	}
	return true;
}

static bool
check_tunnel(struct sc_check *ck, struct oci_ipsc *c, size_t ti,
    uint64_t seed)
{
	struct oci_tunnel *t = &c->tunnels[ti];
	char id[2 * SC_NAME_MAX + 8], a[16];
	bool ok = true;

	if (t->secret == NULL) {
		/* Oracle generates one: the far end cannot know it */
		snprintf(id, sizeof(id), "%s/%zu", c->name, ti + 1);
		ic_service_key(seed, id, t->gen_secret);
	}
	if (sc_key_ok(t->keys, TU_VPN_IP) && not_unicast(t->vpn_ip) != NULL) {
		sc_check_error(ck, t->vloc[TU_VPN_IP], "400-InvalidParameter: "
		    "tunnel %zu of IPSec connection '%s': vpn_ip %s is %s, not "
		    "a public address", ti + 1, sc_check_quote(ck, c->name),
		    wire_ip_str(t->vpn_ip, a), not_unicast(t->vpn_ip));
		ok = false;
	}
	if (t->routing == OCI_RT_POLICY) {
		sc_check_error(ck, t->vloc[TU_ROUTING], "tunnel %zu of IPSec "
		    "connection '%s': POLICY routing (encryption domains, one "
		    "SA per CIDR pair, 4.3) is not modelled; BGP or STATIC are",
		    ti + 1, sc_check_quote(ck, c->name));
		ok = false;
	}
	if (t->routing == OCI_RT_BGP && !check_bgp(ck, c, t, ti))
		ok = false;
	if (t->routing == OCI_RT_STATIC && c->n_static == 0) {
		sc_check_error(ck, sc_key_given(t->keys, TU_ROUTING) ?
		    t->vloc[TU_ROUTING] : c->vloc[IS_NAME],
		    "400-InvalidParameter: tunnel %zu of IPSec connection "
		    "'%s' routes STATIC, but the connection has no "
		    "static_routes", ti + 1, sc_check_quote(ck, c->name));
		ok = false;
	}
	/* facts 4: "OCI does not support group 1" */
	if (t->p2.pfs && t->p2.pfs_group == OCI_G1) {
		sc_check_error(ck, t->p2.vloc[P2_PFS_GROUP],
		    "400-InvalidParameter: tunnel %zu of IPSec connection "
		    "'%s': pfs_dh_group GROUP1 is not supported by OCI "
		    "(GROUP2, GROUP5, GROUP14, GROUP19, GROUP20, GROUP24; "
		    "with Azure GROUP2, GROUP14 or GROUP24: facts 4)", ti + 1,
		    sc_check_quote(ck, c->name));
		ok = false;
	}
	if (t->p2.custom && t->p2.encr <= 3 && sc_key_given(t->p2.keys,
	    P2_AUTH))
		sc_check_error(ck, t->p2.vloc[P2_AUTH], "400-InvalidParameter: "
		    "tunnel %zu of IPSec connection '%s': a GCM cipher takes "
		    "no custom_authentication_algorithm", ti + 1,
		    sc_check_quote(ck, c->name));
	return ok;
}

/* Each headend's public address once: connection i's against those before. */
static bool
vpn_ips_unique(struct sc_check *ck, const struct oci_sc *o, size_t i)
{
	const struct oci_ipsc *c = &o->ipscs[i];
	size_t j, t, u;
	uint32_t ip;
	char a[16];

	for (t = 0; t < OCI_IPSEC_TUNNELS; t++) {
		ip = oci_tunnel_vpn_ip(c, i, t);
		for (j = 0; j <= i; j++)
			for (u = 0; u < OCI_IPSEC_TUNNELS; u++) {
				if ((j == i && u >= t) ||
				    oci_tunnel_vpn_ip(&o->ipscs[j], j, u) != ip)
					continue;
				sc_check_error(ck, c->vloc[IS_NAME],
				    "tunnel %zu of IPSec connection '%s' has "
				    "vpn_ip %s, as tunnel %zu of '%s'", t + 1,
				    sc_check_quote(ck, c->name),
				    wire_ip_str(ip, a), u + 1,
				    sc_check_quote(ck, o->ipscs[j].name));
				return false;
			}
	}
	return true;
}

void
oci_check_ipsec(struct sc_check *ck, struct oci_sc *o)
{
	uint64_t seed = sc_check_scenario(ck)->seed;
	size_t i, t;

	for (i = 0; i < o->n_cpes; i++) {
		const struct oci_cpe *p = &o->cpes[i];
		char a[16];

		sc_names_add(ck, "OCI CPE", p->name, i, p->vloc[CP_NAME]);
		if (sc_key_ok(p->keys, CP_IP) && not_unicast(p->ip) != NULL)
			sc_check_error(ck, p->vloc[CP_IP],
			    "400-InvalidParameter: CPE '%s': ip_address %s is "
			    "%s, not a public address", sc_check_quote(ck,
			    p->name), wire_ip_str(p->ip, a), not_unicast(p->ip));
	}
	for (i = 0; i < o->n_ipscs; i++) {
		struct oci_ipsc *c = &o->ipscs[i];
		bool ok = true;

		sc_names_add(ck, "OCI IPSec connection", c->name, i,
		    c->vloc[IS_NAME]);
		if (c->cpe == NULL || !sc_names_lookup(ck, "OCI CPE", c->cpe,
		    c->vloc[IS_CPE], &c->cpe_idx))
			ok = false;
		if (c->drg == NULL || !sc_names_lookup(ck, "OCI DRG", c->drg,
		    c->vloc[IS_DRG], &c->drg_idx))
			ok = false;
		check_static(ck, c);
		if (c->n_tunnels != 0 && c->n_tunnels != OCI_IPSEC_TUNNELS) {
			sc_check_error(ck, c->vloc[IS_TUNNELS],
			    "400-InvalidParameter: IPSec connection '%s' has "
			    "two tunnels, on two Oracle headends (4.3): "
			    "configure both or neither", sc_check_quote(ck,
			    c->name));
			ok = false;
		}
		for (t = 0; t < c->n_tunnels; t++)
			if (!check_tunnel(ck, c, t, seed))
				ok = false;
		if (c->n_tunnels == 0 && c->n_static == 0) {
			sc_check_error(ck, c->vloc[IS_NAME],
			    "400-InvalidParameter: IPSec connection '%s': its "
			    "default tunnels route STATIC and it has no "
			    "static_routes", sc_check_quote(ck, c->name));
			ok = false;
		}
		if (o->n_vcns + 2 * o->n_vcs + 2 * (i + 1) > OCI_P2P_BLOCK) {
			sc_check_error(ck, c->vloc[IS_NAME], "IPSec connection "
			    "'%s' would need /30s past the %d of "
			    "169.254.248.0/21, the block xcsim numbers its DRG "
			    "links from (IC_BLOCK_OCI, docs/interconnect.md)",
			    sc_check_quote(ck, c->name), OCI_P2P_BLOCK);
			ok = false;
		}
		c->ok = ok && vpn_ips_unique(ck, o, i);
	}
}
