/*
 * oci_check_vc.c - the rules OCI enforces on a FastConnect virtual
 * circuit (split from oci_check.c): its provider, bandwidth shape and
 * cross-connect mappings (2.8, 3.1), its service key, which must name an
 * ExpressRoute circuit of the scenario or OCI answers 404 (B2), where it
 * is (oci_location.c, 3.1, 3.2), and its /30s against the VCNs of its DRG.
 * A virtual circuit through another provider (a FastConnect partner,
 * Layer 2 or 3) or with none (DEDICATED, over the customer's
 * cross-connects) is judged by check_other: its far end is a router of
 * the customer's or the partner's, AS customer_asn (2.8, 2.9, 2.3).
 * For one the timeline creates, what OCI refuses at the create is kept as
 * its refusal instead of a load error (oci_prov.c applies it).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oci_azure.h"
#include "oci_int.h"
#include "provision.h"

/* As oci_check.c's: the netmask of plen, an address in text, overlap. */
static uint32_t
mask(unsigned plen)
{
	return plen == 0 ? 0 : UINT32_MAX << (32 - plen);
}

static const char *
ipstr(char *buf, size_t len, uint32_t a)
{
	snprintf(buf, len, "%u.%u.%u.%u", a >> 24, a >> 16 & 255, a >> 8 & 255,
	    a & 255);
	return buf;
}

static bool
overlap(uint32_t a, uint8_t al, uint32_t b, uint8_t bl)
{
	uint8_t l = al < bl ? al : bl;

	return ((a ^ b) & mask(l)) == 0;
}

/* ---- virtual circuits ---- */

static const char *
vi_name(size_t f)
{
	return f == VI_CUSTOMER_ASN ? "customer_asn" : "customer_bgp_asn";
}

static const struct {
	const char *name;
	uint64_t bps;
} shapes[] = {
	{ "1 Gbps", 1000000000ULL }, { "2 Gbps", 2000000000ULL },
	{ "5 Gbps", 5000000000ULL }, { "10 Gbps", 10000000000ULL },
	/* dedicated only, up to the cross-connect's port speed */
	{ "100 Gbps", 100000000000ULL }, { "400 Gbps", 400000000000ULL },
};
#define SHAPES_PROVIDER 4	/* the first 4: what a provider offers */

/* A cross-connect's port speeds (ListCrossConnectPortSpeedShapes names). */
static const struct {
	const char *name;
	uint64_t bps;
} speeds[] = {
	{ "1 Gbps", 1000000000ULL }, { "10 Gbps", 10000000000ULL },
	{ "100 Gbps", 100000000000ULL }, { "400 Gbps", 400000000000ULL },
};

static bool
has_key(const struct oci_mapping *m)
{
	return m->md5 != NULL && m->md5[0] != '\0';
}

/*
 * An error of a virtual circuit's mappings: at load, or, for one the
 * timeline creates, OCI's 400 at that create (B6), so a lab can expect it
 * (review 11, 8): the first such refusal is kept for oci_prov.c's apply,
 * and the circuit is not expanded (its mapping is not ok).
 */
static void __attribute__((format(printf, 4, 5)))
vc_error(struct sc_check *ck, struct oci_vc *c, struct sc_loc loc,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (!c->timeline) {
		char msg[512];

		vsnprintf(msg, sizeof(msg), fmt, ap);
		sc_check_error(ck, loc, "%s", msg);
	} else if (c->refusal[0] == '\0') {
		c->refusal_code = "400-InvalidParameter";
		vsnprintf(c->refusal, sizeof(c->refusal), fmt, ap);
	}
	va_end(ap);
}

/*
 * Azure's private peering has one MD5 key, shared by its two BGP sessions
 * (1.2): the MSEEs of both paths get the one key oci_vc_peering gives, so
 * two different keys, or a key on one path only, would leave a session
 * down for a reason no one sees. Refused here instead.
 */
static bool
same_key(struct sc_check *ck, struct oci_vc *c)
{
	const struct oci_mapping *p = &c->maps[0], *s = &c->maps[1];

	if (has_key(p) != has_key(s)) {
		const struct oci_mapping *k = has_key(p) ? p : s;

		vc_error(ck, c, k->vloc[CM_MD5], "bgp_md5auth_key on the "
		    "%s path only: Azure's private peering has one MD5 key "
		    "for both BGP sessions (1.2), give both mappings the same "
		    "key or neither", k == p ? "primary" : "secondary");
		return false;
	}
	if (has_key(p) && strcmp(p->md5, s->md5) != 0) {
		vc_error(ck, c, s->vloc[CM_MD5], "bgp_md5auth_key differs "
		    "from the primary path's: Azure's private peering has one "
		    "MD5 key for both BGP sessions (1.2)");
		return false;
	}
	return true;
}

static void
check_mappings(struct sc_check *ck, struct oci_vc *c)
{
	char a[16], b[16], d[16];
	size_t i;

	/* the only provider modelled is Azure, whose private peering is a
	 * pair of BGP sessions on two /30s (1.2, 1.3, 3.1) */
	if (c->n_maps != 2) {
		vc_error(ck, c, c->vloc[VI_MAPPINGS], "a virtual circuit to "
		    "Azure has 2 cross_connect_mappings, a primary and a "
		    "secondary path: ExpressRoute's private peering is a pair "
		    "of BGP sessions on two /30s (1.2, 1.3, 3.1), got %zu",
		    c->n_maps);
		return;
	}
	for (i = 0; i < c->n_maps; i++) {
		struct oci_mapping *m = &c->maps[i];
		uint32_t net, first, second;

		if (!sc_key_ok(m->keys, CM_CUSTOMER) ||
		    !sc_key_ok(m->keys, CM_ORACLE))
			continue;
		if (m->oracle_plen != 30 && m->oracle_plen != 31) {
			vc_error(ck, c, m->vloc[CM_ORACLE], "BGP peering "
			    "addresses use a /30 or /31 (2.8), not /%u",
			    m->oracle_plen);
			continue;
		}
		if (m->oracle_plen == 31) {
			vc_error(ck, c, m->vloc[CM_ORACLE], "a /31: with "
			    "provider \"%s\" the peering is ExpressRoute's "
			    "private peering, two /30s (1.2, 1.3, 3.1); OCI's "
			    "/31 (2.8) is for other providers",
			    IC_PROVIDER_AZURE);
			continue;
		}
		net = m->oracle & mask(m->oracle_plen);
		if (m->customer_plen != m->oracle_plen ||
		    (m->customer & mask(m->oracle_plen)) != net) {
			vc_error(ck, c, m->vloc[CM_CUSTOMER], "customer (MSEE) "
			    "%s/%u is not in Oracle's subnet %s/%u: both ends "
			    "are in one /30 or /31 (2.8)",
			    ipstr(a, sizeof(a), m->customer), m->customer_plen,
			    ipstr(b, sizeof(b), net), m->oracle_plen);
			continue;
		}
		first = m->oracle_plen == 31 ? net : net + 1;
		second = first + 1;
		if (m->oracle != first || m->customer != second) {
			vc_error(ck, c, m->vloc[CM_ORACLE], "Oracle takes "
			    "the first usable address of the %s/%u and the "
			    "MSEE the second (3.1, 3.3): oracle_bgp_peering_ip "
			    "%s/%u, customer_bgp_peering_ip %s/%u",
			    ipstr(a, sizeof(a), net), m->oracle_plen,
			    ipstr(b, sizeof(b), first), m->oracle_plen,
			    ipstr(d, sizeof(d), second), m->oracle_plen);
			continue;
		}
		if (overlap(net, m->oracle_plen, IC_BLOCK_MS, 20)) {
			vc_error(ck, c, m->vloc[CM_ORACLE], "the peering "
			    "%s/%u is inside %s, which xcsim reserves for its "
			    "internal %s links (%s, docs/interconnect.md): "
			    "choose a /30 outside 169.254.240.0/20",
			    ipstr(a, sizeof(a), net), m->oracle_plen,
			    overlap(net, m->oracle_plen, IC_BLOCK_OCI, 21) ?
			    "169.254.248.0/21" : "169.254.240.0/20",
			    overlap(net, m->oracle_plen, IC_BLOCK_OCI, 21) ?
			    "DRG" : "gateway-MSEE",
			    overlap(net, m->oracle_plen, IC_BLOCK_OCI, 21) ?
			    "IC_BLOCK_OCI" : "IC_BLOCK_MS");
			continue;
		}
		if (m->md5 != NULL && strlen(m->md5) > 80) {
			vc_error(ck, c, m->vloc[CM_MD5], "bgp_md5auth_key is "
			    "%zu characters, at most 80 (2.3)",
			    strlen(m->md5));
			continue;
		}
		m->ok = true;
	}
	if (c->n_maps == 2 && c->maps[0].ok && c->maps[1].ok) {
		const struct oci_mapping *p = &c->maps[0], *s = &c->maps[1];

		if (overlap(p->oracle, p->oracle_plen, s->oracle,
		    s->oracle_plen)) {
			vc_error(ck, c, s->vloc[CM_ORACLE], "the secondary "
			    "path's /%u overlaps the primary's: two "
			    "non-overlapping subnets (3.1)", s->oracle_plen);
			c->maps[1].ok = false;
		}
		if (p->vlan != s->vlan) {
			vc_error(ck, c, s->vloc[CM_VLAN], "vlan %u differs "
			    "from the primary path's %u: the private peering "
			    "has one VLAN (B2)", s->vlan, p->vlan);
			c->maps[1].ok = false;
		}
		if (!same_key(ck, c))
			c->maps[1].ok = false;
	}
}

/* The bandwidth shape's rate among the first n shapes; 0 if not there. */
static uint64_t
shape_bps(const char *name, size_t n)
{
	size_t i;

	for (i = 0; name != NULL && i < n; i++)
		if (strcmp(name, shapes[i].name) == 0)
			return shapes[i].bps;
	return 0;
}

void
oci_check_cross_connects(struct sc_check *ck, struct oci_sc *o)
{
	size_t i, k;

	for (i = 0; i < o->n_ccs; i++) {
		struct oci_cross_connect *x = &o->ccs[i];

		if (x->name == NULL)
			continue;
		sc_names_add(ck, "OCI cross-connect", x->name, i,
		    x->vloc[XC_NAME]);
		for (k = 0; x->speed != NULL &&
		    k < sizeof(speeds) / sizeof(speeds[0]); k++)
			if (strcmp(x->speed, speeds[k].name) == 0)
				x->bps = speeds[k].bps;
		if (x->speed != NULL && x->bps == 0)
			sc_check_error(ck, x->vloc[XC_SPEED], "port speed "
			    "shape '%s' is not offered: one of \"1 Gbps\", "
			    "\"10 Gbps\", \"100 Gbps\", \"400 Gbps\" "
			    "(ListCrossConnectPortSpeedShapes; docs/oci.md)",
			    sc_check_quote(ck, x->speed));
	}
}

/*
 * One mapping of a partner's or a dedicated virtual circuit: both ends in
 * one /30 or /31 (2.8), distinct (the loader refuses a /30's network and
 * broadcast addresses); not in xcsim's
 * internal blocks; its cross-connect (dedicated only) able to carry the
 * shape. Who takes which address is the customer's or the partner's
 * choice (2.8: the customer, or the provider, specifies them).
 */
static void
check_other_mapping(struct sc_check *ck, struct oci_sc *o, struct oci_vc *c,
    struct oci_mapping *m)
{
	char a[16], b[16];
	uint32_t net;

	if (c->kind == OCI_VC_DEDICATED && m->cc == NULL) {
		vc_error(ck, c, m->loc, "a DEDICATED virtual circuit (no "
		    "provider_service_name) runs over the customer's "
		    "cross-connects: give cross_connect_or_cross_connect_"
		    "group_id (2.8)");
		return;
	}
	if (c->kind == OCI_VC_PARTNER && m->cc != NULL) {
		vc_error(ck, c, m->vloc[CM_CROSS_CONNECT], "with provider "
		    "\"%s\" the partner's ports carry the circuit: "
		    "cross_connect_or_cross_connect_group_id is a DEDICATED "
		    "virtual circuit's (2.8)", c->provider);
		return;
	}
	if (m->cc != NULL) {
		const struct oci_cross_connect *x;

		if (!sc_names_lookup(ck, "OCI cross-connect", m->cc,
		    m->vloc[CM_CROSS_CONNECT], &m->cci))
			return;
		x = &o->ccs[m->cci];
		if (x->bps != 0 && c->shape_bps > x->bps) {
			vc_error(ck, c, m->vloc[CM_CROSS_CONNECT],
			    "cross-connect '%s' is a %s port: bandwidth shape "
			    "'%s' does not fit on it", x->name, x->speed,
			    c->shape);
			return;
		}
	}
	if (!sc_key_ok(m->keys, CM_CUSTOMER) || !sc_key_ok(m->keys, CM_ORACLE))
		return;
	if (m->oracle_plen != 30 && m->oracle_plen != 31) {
		vc_error(ck, c, m->vloc[CM_ORACLE], "BGP peering addresses "
		    "use a /30 or /31 (2.8), not /%u", m->oracle_plen);
		return;
	}
	net = m->oracle & mask(m->oracle_plen);
	if (m->customer_plen != m->oracle_plen ||
	    (m->customer & mask(m->oracle_plen)) != net) {
		vc_error(ck, c, m->vloc[CM_CUSTOMER], "customer %s/%u is not "
		    "in Oracle's subnet %s/%u: both ends are in one /30 or "
		    "/31 (2.8)", ipstr(a, sizeof(a), m->customer),
		    m->customer_plen, ipstr(b, sizeof(b), net),
		    m->oracle_plen);
		return;
	}
	if (m->customer == m->oracle) {
		vc_error(ck, c, m->vloc[CM_CUSTOMER], "customer and Oracle "
		    "have the same address %s: one each (2.8)",
		    ipstr(a, sizeof(a), m->customer));
		return;
	}
	if (overlap(net, m->oracle_plen, IC_BLOCK_MS, 20)) {
		vc_error(ck, c, m->vloc[CM_ORACLE], "the peering %s/%u is "
		    "inside 169.254.240.0/20, which xcsim reserves for its "
		    "internal links (docs/interconnect.md): choose a subnet "
		    "outside it", ipstr(a, sizeof(a), net), m->oracle_plen);
		return;
	}
	if (m->md5 != NULL && strlen(m->md5) > 80) {
		vc_error(ck, c, m->vloc[CM_MD5], "bgp_md5auth_key is %zu "
		    "characters, at most 80 (2.3)", strlen(m->md5));
		return;
	}
	m->ok = true;
}

/*
 * A virtual circuit through a FastConnect partner, or DEDICATED over the
 * customer's cross-connects: the far end of each mapping is the partner's
 * or the customer's router, AS customer_asn (2.9), and nothing of the
 * scenario's azure section is involved. BFD is refused on a Layer 3
 * partner's (2.3).
 */
static void
check_other(struct sc_check *ck, struct oci_sc *o, struct oci_vc *c)
{
	bool partner = c->kind == OCI_VC_PARTNER;
	uint32_t asn;
	size_t i;

	if (partner && !sc_key_ok(c->keys, VI_PROVIDER_TYPE)) {
		sc_check_error(ck, c->vloc[VI_PROVIDER], "provider \"%s\" is "
		    "a FastConnect partner (not \"%s\"): give "
		    "provider_service_type LAYER2 or LAYER3, its provider "
		    "service's type (docs/oci.md)",
		    sc_check_quote(ck, c->provider), IC_PROVIDER_AZURE);
		return;
	}
	if (!partner && sc_key_ok(c->keys, VI_PROVIDER_TYPE)) {
		sc_check_error(ck, c->vloc[VI_PROVIDER_TYPE],
		    "provider_service_type is a partner's: without "
		    "provider_service_name the virtual circuit is DEDICATED, "
		    "over cross-connects (2.8)");
		return;
	}
	if (partner && c->ptype == OCI_LAYER3 && c->bfd) {
		sc_check_error(ck, c->vloc[VI_BFD], "BFD is not available on "
		    "Layer 3 partner connections (2.3): is_bfd_enabled must "
		    "be false with provider_service_type LAYER3");
		return;
	}
	if (c->customer_asn != 0 && c->customer_bgp_asn != 0 &&
	    c->customer_asn != c->customer_bgp_asn) {
		sc_check_error(ck, c->vloc[VI_CUSTOMER_BGP_ASN],
		    "customer_bgp_asn %u differs from customer_asn %u: the "
		    "same field under its older name (2.9), give one",
		    c->customer_bgp_asn, c->customer_asn);
		return;
	}
	asn = c->customer_asn != 0 ? c->customer_asn : c->customer_bgp_asn;
	if (asn == 0) {
		sc_check_error(ck, c->vloc[VI_NAME], "virtual circuit '%s' "
		    "has no customer_asn: the ASN of %s (2.9)", c->name,
		    !partner ? "the customer's router on the cross-connect" :
		    c->ptype == OCI_LAYER3 ? "the partner's edge, which the "
		    "partner gives" : "the customer's router behind the "
		    "partner's Layer 2 service");
		return;
	}
	if (asn == IC_ASN_ORACLE) {
		sc_check_error(ck, c->vloc[c->customer_asn != 0 ?
		    VI_CUSTOMER_ASN : VI_CUSTOMER_BGP_ASN], "customer_asn "
		    "%u is Oracle's own (2.2): the session to Oracle's edge "
		    "is eBGP", asn);
		return;
	}
	c->asn = asn;
	if (c->shape != NULL) {
		c->shape_bps = shape_bps(c->shape, partner ? SHAPES_PROVIDER :
		    sizeof(shapes) / sizeof(shapes[0]));
		if (c->shape_bps == 0) {
			vc_error(ck, c, c->vloc[VI_SHAPE], "bandwidth shape "
			    "'%s' is not offered: one of \"1 Gbps\", \"2 "
			    "Gbps\", \"5 Gbps\", \"10 Gbps\"%s (docs/oci.md)",
			    c->shape, partner ? " through a partner" :
			    ", \"100 Gbps\", \"400 Gbps\" up to the "
			    "cross-connect's port speed");
			return;
		}
	}
	if (c->n_maps < 1 || c->n_maps > 2) {
		vc_error(ck, c, c->vloc[VI_MAPPINGS], "a virtual circuit here "
		    "has 1 or 2 cross_connect_mappings (a primary path, "
		    "optionally a secondary), got %zu", c->n_maps);
		return;
	}
	for (i = 0; i < c->n_maps; i++)
		check_other_mapping(ck, o, c, &c->maps[i]);
	if (c->n_maps == 2 && c->maps[0].ok && c->maps[1].ok) {
		const struct oci_mapping *p = &c->maps[0], *s = &c->maps[1];

		if (overlap(p->oracle, p->oracle_plen, s->oracle,
		    s->oracle_plen)) {
			vc_error(ck, c, s->vloc[CM_ORACLE], "the secondary "
			    "path's /%u overlaps the primary's: two "
			    "non-overlapping subnets (2.8)", s->oracle_plen);
			c->maps[1].ok = false;
		} else if (p->cc != NULL && s->cc != NULL &&
		    p->cci == s->cci && p->vlan == s->vlan) {
			vc_error(ck, c, s->vloc[CM_VLAN], "vlan %u is the "
			    "primary path's on the same cross-connect '%s': "
			    "one VLAN per path on a port", s->vlan, s->cc);
			c->maps[1].ok = false;
		}
	}
	if (c->gateway != NULL && !sc_names_lookup(ck, "OCI DRG", c->gateway,
	    c->vloc[VI_GATEWAY], &c->drg))
		return;
	/* as oci_check_location's for Azure's: the DRG's region */
	if (c->region != NULL && o->region != NULL &&
	    strcmp(c->region, o->region) != 0) {
		char msg[400];

		snprintf(msg, sizeof(msg), "virtual circuit '%s' is in %s, "
		    "its DRG '%s' in %s (the section's region): a virtual "
		    "circuit attaches to a DRG of its own region (OCI "
		    "resources are regional; our inference)", c->name,
		    c->region, c->gateway != NULL ? c->gateway : "?",
		    o->region);
		if (c->timeline) {
			c->refusal_code = "400-InvalidParameter";
			snprintf(c->refusal, sizeof(c->refusal), "%s", msg);
		} else {
			sc_check_error(ck, c->vloc[VI_REGION], "400-Invalid"
			    "Parameter: %s", msg);
		}
		return;
	}
	for (i = 0; i < c->n_maps; i++)
		if (!c->maps[i].ok)
			return;
	c->ok = c->shape_bps != 0 && sc_key_ok(c->keys, VI_GATEWAY);
}

void
oci_check_vc(struct sc_check *ck, struct oci_sc *o, size_t ci)
{
	const struct scenario *sc = sc_check_scenario(ck);
	struct oci_vc *c = &o->vcs[ci];
	bool timeline;
	size_t i, k;

	if (c->name == NULL)
		return;
	timeline = prov_created_on_timeline(sc, "virtual_circuits", c->name);
	c->timeline = timeline;
	sc_names_add(ck, "OCI virtual circuit", c->name, ci, c->vloc[VI_NAME]);
	if (sc_key_ok(c->keys, VI_TYPE) && c->type != 1) {
		sc_check_error(ck, c->vloc[VI_TYPE], "PUBLIC virtual circuits "
		    "are not modelled: the interconnect is a PRIVATE one "
		    "(3.1)");
		return;
	}
	c->kind = c->provider == NULL ? OCI_VC_DEDICATED :
	    strcmp(c->provider, IC_PROVIDER_AZURE) == 0 ? OCI_VC_AZURE :
	    OCI_VC_PARTNER;
	if (c->kind != OCI_VC_AZURE) {
		check_other(ck, o, c);
		return;
	}
	/* the far end is the MSEE, AS 12076, which Azure fills in (2.9) */
	c->asn = IC_ASN_MICROSOFT;
	for (i = VI_CUSTOMER_ASN; i <= VI_CUSTOMER_BGP_ASN; i++)
		if (sc_key_ok(c->keys, i) && (i == VI_CUSTOMER_ASN ?
		    c->customer_asn : c->customer_bgp_asn) !=
		    IC_ASN_MICROSOFT) {
			sc_check_error(ck, c->vloc[i], "with provider \"%s\" "
			    "the far end is Microsoft's MSEE, AS %u, which the "
			    "provider side fills in (2.9, 3.5): leave %s out",
			    IC_PROVIDER_AZURE, IC_ASN_MICROSOFT,
			    vi_name(i));
			return;
		}
	if (sc_key_ok(c->keys, VI_PROVIDER_TYPE)) {
		sc_check_error(ck, c->vloc[VI_PROVIDER_TYPE], "with provider "
		    "\"%s\" there is no partner: provider_service_type is a "
		    "partner's (3.1)", IC_PROVIDER_AZURE);
		return;
	}
	if (c->shape != NULL) {
		c->shape_bps = shape_bps(c->shape, SHAPES_PROVIDER);
		if (c->shape_bps == 0 && timeline) {
			/* OCI answers this create 400 (B6), at its step */
			c->refusal_code = "400-InvalidParameter";
			snprintf(c->refusal, sizeof(c->refusal), "bandwidth "
			    "shape '%s' is not offered by \"%s\": one of \"1 "
			    "Gbps\", \"2 Gbps\", \"5 Gbps\", \"10 Gbps\" (3.1)",
			    c->shape, IC_PROVIDER_AZURE);
			return;
		}
		if (c->shape_bps == 0) {
			sc_check_error(ck, c->vloc[VI_SHAPE], "bandwidth shape "
			    "'%s' is not offered by \"%s\": one of \"1 Gbps\", "
			    "\"2 Gbps\", \"5 Gbps\", \"10 Gbps\" (3.1)",
			    sc_check_quote(ck, c->shape), IC_PROVIDER_AZURE);
			return;
		}
	}
	if (c->gateway != NULL && !sc_names_lookup(ck, "OCI DRG", c->gateway,
	    c->vloc[VI_GATEWAY], &c->drg))
		return;
	check_mappings(ck, c);
	if (c->key == NULL) {
		sc_check_error(ck, c->vloc[VI_PROVIDER], "with provider \"%s\" "
		    "give provider_service_key_name, the ExpressRoute "
		    "circuit's service key (B2) or its name",
		    IC_PROVIDER_AZURE);
		return;
	}
	if (!oci_match_circuit(ck, sc, c, timeline) ||
	    !oci_check_location(ck, sc, o, c))
		return;
	c->circuit_later = !timeline && prov_created_on_timeline(sc,
	    "express_route_circuits", c->circuit);
	for (k = 0; k < ci; k++)
		if (o->vcs[k].ok && strcmp(o->vcs[k].circuit, c->circuit) == 0) {
			sc_check_error(ck, c->vloc[VI_KEY], "ExpressRoute "
			    "circuit '%s' already has virtual circuit '%s' "
			    "(%u:%u)", c->circuit, o->vcs[k].name,
			    o->vcs[k].loc.line, o->vcs[k].loc.col);
			return;
		}
	for (i = 0; i < c->n_maps; i++)
		if (!c->maps[i].ok)
			return;
	c->ok = c->n_maps > 0 && sc_key_ok(c->keys, VI_SHAPE) &&
	    sc_key_ok(c->keys, VI_GATEWAY);
}

/*
 * A peering /30 inside a VCN of the circuit's DRG: the Oracle edge and the
 * MSEE would own the VCN's addresses (1.3: the peering subnets must not
 * overlap the address spaces the circuit joins; 3.2). The VNets' spaces
 * are oci_check_vnet_overlap's.
 */
void
oci_check_map_vcns(struct sc_check *ck, struct oci_sc *o, struct oci_vc *c)
{
	char a[16], b[16];
	size_t i, j, k;

	for (i = 0; i < c->n_maps; i++) {
		struct oci_mapping *m = &c->maps[i];

		for (k = 0; m->ok && k < o->n_vcns; k++) {
			const struct oci_vcn *v = &o->vcns[k];

			if (v->drg != c->drg + 1 || v->name == NULL)
				continue;
			for (j = 0; m->ok && j < v->n_ok; j++) {
				if (!overlap(m->oracle, m->oracle_plen,
				    v->cidr[j], v->cplen[j]))
					continue;
				vc_error(ck, c, m->vloc[CM_ORACLE], "the "
				    "peering %s/%u overlaps block %s/%u of "
				    "VCN '%s' on DRG '%s': the peering "
				    "subnets must not overlap the address "
				    "spaces they join (1.3, 3.2)",
				    ipstr(a, sizeof(a), m->oracle &
				    mask(m->oracle_plen)), m->oracle_plen,
				    ipstr(b, sizeof(b), v->cidr[j]),
				    v->cplen[j], v->name, c->gateway);
				m->ok = false;
				c->ok = false;
			}
		}
	}
}
