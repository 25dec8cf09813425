/*
 * oci_azure.c - a virtual circuit's provider service key against the
 * scenario's ExpressRoute circuits (oci_azure.h), and the node names the
 * oci expansion will take, for the azure expansion (oci_node_named, oci.h),
 * and the virtual circuits by name, for the providers section (oci_vc_find).
 *
 * The circuits come from the azure section (models/azure/azure.h). The
 * references are weak so that the oci model also links into a program
 * without the azure model (the OCI side alone, facing MSEEs written by
 * hand): there, as in a scenario without an azure section, the circuit is
 * looked for among the user's nodes.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "oci.h"
#include "oci_azure.h"
#include "oci_ipsec.h"
#include "scenario.h"
#include "scenario_section.h"

size_t azure_n_circuits(const struct scenario *sc) __attribute__((weak));
const char *azure_circuit_name(const struct scenario *sc, size_t i)
    __attribute__((weak));
const char *azure_circuit_provider(const struct scenario *sc, size_t i)
    __attribute__((weak));
size_t azure_n_vnet_prefixes(const struct scenario *sc) __attribute__((weak));
bool azure_vnet_prefix(const struct scenario *sc, size_t i, uint32_t *net,
    uint8_t *plen, const char **vnet) __attribute__((weak));

/* The user's node called name (the nodes section is checked later). */
static const struct sc_node *
node_named(const struct scenario *sc, const char *name)
{
	size_t i, n = 0;
	const struct sc_node *nodes = scenario_section(sc, "nodes", &n);

	for (i = 0; i < n; i++)
		if (nodes[i].name != NULL && strcmp(nodes[i].name, name) == 0)
			return &nodes[i];
	return NULL;
}

static bool
has_iface(const struct sc_node *n, const char *name)
{
	size_t i;

	for (i = 0; i < n->n_ifaces; i++)
		if (n->ifaces[i].name != NULL &&
		    strcmp(n->ifaces[i].name, name) == 0)
			return true;
	return false;
}

/* No azure circuits: MSEEs by hand, named after the key. */
static bool
by_hand(struct sc_check *ck, const struct scenario *sc, struct oci_vc *c)
{
	size_t k = 0, p, n;
	const struct oci_sc *o = scenario_section(sc, "oci", &k);
	char name[2 * SC_NAME_MAX + 32];

	n = o != NULL ? o->n_vcs : 1;

	for (p = 0; p < c->n_maps && p < 2; p++) {
		const struct sc_node *m;

		ic_msee_name(name, sizeof(name), c->key, n, (enum ic_path)p);
		m = node_named(sc, name);
		if (m == NULL || !has_iface(m, IC_IF_PEERING)) {
			sc_check_error(ck, c->vloc[VI_KEY], "404-NotAuthorized"
			    "OrNotFound: no ExpressRoute circuit has service "
			    "key '%s' (B2): the scenario has no azure circuits "
			    "and no node '%s' with interface '%s' stands in "
			    "for its MSEE", sc_check_quote(ck, c->key), name,
			    IC_IF_PEERING);
			return false;
		}
	}
	if (strlen(c->key) > SC_NAME_MAX) {
		sc_check_error(ck, c->vloc[VI_KEY], "provider_service_key_name "
		    "is longer than %d characters", SC_NAME_MAX);
		return false;
	}
	snprintf(c->circuit, sizeof(c->circuit), "%s", c->key);
	c->n_circuits = n;
	return true;
}

bool
oci_match_circuit(struct sc_check *ck, const struct scenario *sc,
    struct oci_vc *c, bool defer)
{
	char key[37], hint[200];
	size_t n = 0, i, off = 0;

	if (azure_n_circuits != NULL && azure_circuit_name != NULL &&
	    azure_circuit_provider != NULL)
		n = azure_n_circuits(sc);
	if (n == 0)
		return by_hand(ck, sc, c);
	hint[0] = '\0';
	for (i = 0; i < n; i++) {
		const char *name = azure_circuit_name(sc, i);
		const char *prov = azure_circuit_provider(sc, i);

		if (name == NULL)
			continue;
		ic_service_key(sc->seed, name, key);
		if (strcmp(c->key, key) != 0 && strcmp(c->key, name) != 0) {
			if (off < sizeof(hint))
				off += (size_t)snprintf(hint + off,
				    sizeof(hint) - off, "%s%s: %s",
				    off ? ", " : "", name, key);
			continue;
		}
		if (prov == NULL || strcmp(prov, IC_PROVIDER_ORACLE) != 0) {
			sc_check_error(ck, c->vloc[VI_KEY], "ExpressRoute "
			    "circuit '%s' has service_provider_name '%s': a "
			    "FastConnect virtual circuit joins a circuit of "
			    "\"%s\" (3.1)", name,
			    prov != NULL ? sc_check_quote(ck, prov) : "",
			    IC_PROVIDER_ORACLE);
			return false;
		}
		snprintf(c->circuit, sizeof(c->circuit), "%s", name);
		c->n_circuits = n;
		return true;
	}
	if (defer) {
		/* refused at the create on the timeline, with the code */
		c->refusal_code = "404-NotAuthorizedOrNotFound";
		snprintf(c->refusal, sizeof(c->refusal), "no ExpressRoute "
		    "circuit has service key '%s' (B2; with seed %llu the keys "
		    "are %s)", c->key, (unsigned long long)sc->seed, hint);
		return false;
	}
	sc_check_error(ck, c->vloc[VI_KEY], "404-NotAuthorizedOrNotFound: no "
	    "ExpressRoute circuit has service key '%s' (B2; with seed %llu "
	    "the keys are %s)", sc_check_quote(ck, c->key),
	    (unsigned long long)sc->seed, hint);
	return false;
}

/* 1.3: a peering /30 of c must not overlap a VNet's space net/plen. */
static void
map_vnet(struct sc_check *ck, const struct oci_vc *c, uint32_t net,
    uint8_t plen, const char *vnet)
{
	size_t i;

	for (i = 0; c->ok && i < c->n_maps; i++) {
		const struct oci_mapping *mp = &c->maps[i];
		uint8_t p = plen < mp->oracle_plen ? plen : mp->oracle_plen;
		uint32_t m = p == 0 ? 0 : UINT32_MAX << (32 - p), a;

		if ((net & m) != (mp->oracle & m))
			continue;
		a = mp->oracle & (UINT32_MAX << (32 - mp->oracle_plen));
		sc_check_error(ck, mp->vloc[CM_ORACLE], "the peering "
		    "%u.%u.%u.%u/%u overlaps the address space %u.%u.%u.%u/%u "
		    "of VNet '%s': the peering subnets must not overlap the "
		    "VNets' address spaces (1.3, 3.2)", a >> 24,
		    a >> 16 & 255, a >> 8 & 255, a & 255, mp->oracle_plen,
		    net >> 24, net >> 16 & 255, net >> 8 & 255, net & 255,
		    plen, vnet);
	}
}

void
oci_check_vnet_overlap(struct sc_check *ck, const struct scenario *sc,
    const struct oci_sc *o)
{
	size_t i, j, k, n;
	const char *vnet;
	uint32_t net, m;
	uint8_t plen;

	if (azure_n_vnet_prefixes == NULL || azure_vnet_prefix == NULL)
		return;
	n = azure_n_vnet_prefixes(sc);
	for (k = 0; k < n && azure_vnet_prefix(sc, k, &net, &plen, &vnet);
	    k++)
		for (i = 0; vnet != NULL && i < o->n_vcns; i++) {
			const struct oci_vcn *v = &o->vcns[i];

			/* all parsed: cidr[j] is the one written at j */
			for (j = 0; v->ok && v->name != NULL && j < v->n_ok;
			    j++) {
				uint8_t p = plen < v->cplen[j] ? plen :
				    v->cplen[j];

				m = p == 0 ? 0 : UINT32_MAX << (32 - p);
				if ((net & m) != (v->cidr[j] & m))
					continue;
				sc_check_error(ck, v->cidr_loc[j], "VCN '%s' "
				    "block %u.%u.%u.%u/%u overlaps the address "
				    "space %u.%u.%u.%u/%u of VNet '%s': the "
				    "VNet's and the VCN's addresses must not "
				    "overlap (3.2)", v->name, v->cidr[j] >> 24,
				    v->cidr[j] >> 16 & 255,
				    v->cidr[j] >> 8 & 255, v->cidr[j] & 255,
				    v->cplen[j], net >> 24, net >> 16 & 255,
				    net >> 8 & 255, net & 255, plen, vnet);
			}
		}
	for (k = 0; k < n && azure_vnet_prefix(sc, k, &net, &plen, &vnet);
	    k++)
		for (i = 0; vnet != NULL && i < o->n_vcs; i++)
			map_vnet(ck, &o->vcs[i], net, plen, vnet);
}

/* a is name (a resource without a name, refused by the checks, is none) */
static bool
named(const char *a, const char *name)
{
	return a != NULL && strcmp(a, name) == 0;
}

bool
oci_node_named(const struct scenario *sc, const char *name)
{
	size_t n = 0, i, p;
	const struct oci_sc *o = scenario_section(sc, "oci", &n);
	char edge[SC_NAME_MAX + 32];

	if (o == NULL || n == 0 || !o->checked || name == NULL)
		return false;
	for (i = 0; i < o->n_vcns; i++)
		if (named(o->vcns[i].name, name))
			return true;
	for (i = 0; i < o->n_insts; i++)
		if (named(o->insts[i].name, name))
			return true;
	for (i = 0; i < o->n_drgs; i++)
		if (named(o->drgs[i].name, name))
			return true;
	for (i = 0; i < o->n_vcs; i++)
		for (p = 0; o->vcs[i].name != NULL && p < 2 &&
		    p < o->vcs[i].n_maps; p++) {
			ic_oracle_edge_name(edge, sizeof(edge), o->vcs[i].name,
			    o->n_vcs, (enum ic_path)p);
			if (strcmp(edge, name) == 0)
				return true;
		}
	for (i = 0; i < o->n_ipscs; i++)
		for (p = 0; p < OCI_IPSEC_TUNNELS && o->ipscs[i].ok; p++) {
			oci_headend_name(edge, sizeof(edge), &o->ipscs[i], p);
			if (strcmp(edge, name) == 0)
				return true;
		}
	return false;
}

enum oci_vc_find
oci_vc_find(const struct scenario *sc, const char *name, bool *partner,
    size_t *n_vcs)
{
	size_t n = 0, i;
	const struct oci_sc *o = scenario_section(sc, "oci", &n);

	if (o == NULL || n == 0 || name == NULL)
		return OCI_VC_UNKNOWN;
	if (!o->checked)
		return OCI_VC_UNJUDGED;
	for (i = 0; i < o->n_vcs; i++)
		if (o->vcs[i].name != NULL &&
		    strcmp(o->vcs[i].name, name) == 0) {
			*partner = o->vcs[i].kind == OCI_VC_PARTNER;
			*n_vcs = o->n_vcs;
			return OCI_VC_FOUND;
		}
	return OCI_VC_UNKNOWN;
}

const char *
oci_vc_dym(struct sc_check *ck, char *buf, size_t len, const char *name)
{
	size_t n = 0;
	const struct oci_sc *o = scenario_section(sc_check_scenario(ck), "oci",
	    &n);

	if (o == NULL || n == 0) {
		buf[0] = '\0';
		return buf;
	}
	return sc_check_dym(ck, buf, len, name, o->vcs, o->n_vcs,
	    sizeof(o->vcs[0]), offsetof(struct oci_vc, name));
}
