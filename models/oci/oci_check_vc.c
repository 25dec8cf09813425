/*
 * oci_check_vc.c - the rules OCI enforces on a FastConnect virtual
 * circuit (split from oci_check.c): its provider, bandwidth shape and
 * cross-connect mappings (2.8, 3.1), its service key, which must name an
 * ExpressRoute circuit of the scenario or OCI answers 404 (B2), where it
 * is (oci_location.c, 3.1, 3.2), and its /30s against the VCNs of its DRG.
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

static const struct {
	const char *name;
	uint64_t bps;
} shapes[] = {
	{ "1 Gbps", 1000000000ULL }, { "2 Gbps", 2000000000ULL },
	{ "5 Gbps", 5000000000ULL }, { "10 Gbps", 10000000000ULL },
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
	if (c->provider != NULL && strcmp(c->provider, IC_PROVIDER_AZURE)) {
		sc_check_error(ck, c->vloc[VI_PROVIDER], "provider_service_name "
		    "'%s': the only provider modelled is \"%s\" (3.1)",
		    sc_check_quote(ck, c->provider), IC_PROVIDER_AZURE);
		return;
	}
	if (c->shape != NULL) {
		for (i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++)
			if (strcmp(c->shape, shapes[i].name) == 0)
				c->shape_bps = shapes[i].bps;
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
	if (c->key == NULL)
		return;
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
