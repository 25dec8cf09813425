/*
 * azure_prov_ops.c - what Azure refuses at each step of the timeline, in
 * its words and with its code where the facts or its docs give one
 * (1.2, 1.4, 1.6, 3.1, 3.5, B1, B4, B5), and the operations beyond ARM's
 * create and delete: the circuit's update (bandwidth up only; the
 * provider's state for a provider other than Oracle), the gateway's
 * resize and the private peering's reset. docs/azure.md, "Provisioning".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "azure_prov_int.h"
#include "interconnect.h"

const struct az_subnet *
az_gateway_subnet(const struct azure *az, const struct az_gw *g)
{
	const struct az_vnet *v = &az->vnets[g->vnet_idx];
	size_t k;

	for (k = 0; k < v->n_subnets; k++)
		if (v->subnets[k].name != NULL &&
		    strcmp(v->subnets[k].name, AZ_GATEWAY_SUBNET) == 0)
			return &v->subnets[k];
	return NULL;
}

/* A NIC of VNet vi in GatewaySubnet that exists at t, or NULL. */
static const struct az_nic *
nic_in_gws(const struct prov_plan *p, const struct azure *az, size_t vi,
    sim_time t)
{
	size_t i, j;

	for (i = 0; i < az->n_vms; i++)
		for (j = 0; j < az->vms[i].n_nics; j++) {
			const struct az_nic *n = &az->vms[i].nics[j];

			if (n->in_gws && n->vnet_idx == vi && n->res != NULL &&
			    az_ready(p, n->res, t))
				return n;
		}
	return NULL;
}

static bool
subnet_refused(struct prov_ctx *c, const struct az_pm *m)
{
	const struct az_vnet *v = &m->az->vnets[m->i];
	const struct az_subnet *s = &v->subnets[m->j];
	char a[16];

	if (!az_ready(prov_ctx_plan(c), v->res, prov_now(c))) {
		az_refuse_missing(c, s->res, v->res);
		return true;
	}
	if (s->defer == AZ_DF_SUBNET_SMALL)
		prov_refuse(c, NULL, "subnet '%s' address_prefix %s/%u is "
		    "smaller than /%u, the smallest Azure subnet (5 addresses "
		    "are reserved, 2.5)", s->key, az_ip(a, s->prefix), s->plen,
		    AZ_SUBNET_PLEN_MAX);
	else if (s->defer == AZ_DF_SUBNET_OUTSIDE)
		prov_refuse(c, "NetcfgInvalidSubnet", "Subnet '%s' is not "
		    "valid in virtual network '%s': address_prefix %s/%u is "
		    "outside its address space (B4)", s->name, v->name,
		    az_ip(a, s->prefix), s->plen);
	else
		return false;
	return true;
}

/* 1.6: exactly GatewaySubnet, /29 or larger, holding nothing else. */
static bool
gateway_refused(struct prov_ctx *c, const struct az_pm *m)
{
	const struct prov_plan *p = prov_ctx_plan(c);
	const struct azure *az = m->az;
	const struct az_gw *g = &az->gws[m->i];
	const struct az_vnet *v = &az->vnets[g->vnet_idx];
	const struct az_subnet *s;
	const struct az_nic *n;
	char a[16];

	if (!az_ready(p, v->res, prov_now(c))) {
		az_refuse_missing(c, g->res, v->res);
		return true;
	}
	if (g->defer == AZ_DF_GWS_MISNAMED) {
		prov_refuse(c, NULL, "gateway '%s': subnet '%s' of virtual "
		    "network '%s' must be named exactly GatewaySubnet to hold "
		    "a gateway (1.6)", g->name,
		    v->subnets[g->bad_subnet - 1].name, v->name);
		return true;
	}
	s = az_gateway_subnet(az, g);
	if (g->defer == AZ_DF_GWS_MISSING || s == NULL) {
		prov_refuse(c, NULL, "gateway '%s': virtual network '%s' has "
		    "no subnet named GatewaySubnet (1.6)", g->name, v->name);
		return true;
	}
	if (s->plen > AZ_SUBNET_PLEN_MAX) {
		prov_refuse(c, NULL, "gateway '%s': GatewaySubnet %s/%u of "
		    "virtual network '%s' is too small: /29 at least, /27 or "
		    "larger recommended (1.6)", g->name, az_ip(a, s->prefix),
		    s->plen, v->name);
		return true;
	}
	if (!az_ready(p, s->res, prov_now(c))) {
		az_refuse_missing(c, g->res, s->res);
		return true;
	}
	if ((n = nic_in_gws(p, az, g->vnet_idx, prov_now(c))) != NULL) {
		prov_refuse(c, NULL, "gateway '%s': GatewaySubnet of virtual "
		    "network '%s' holds NIC '%s': nothing else may be deployed "
		    "in it (1.6)", g->name, v->name, n->name);
		return true;
	}
	return false;
}

/* A NIC in GatewaySubnet while the VNet's gateway is there (1.6). */
static bool
nic_refused(struct prov_ctx *c, const struct az_nic *n)
{
	const struct prov_plan *p = prov_ctx_plan(c);
	const struct azure *az = az_pm_of(n->res)->az;
	const struct az_vnet *v = &az->vnets[n->vnet_idx];
	const struct az_subnet *s = &v->subnets[n->subnet_idx];

	if (!az_ready(p, s->res, prov_now(c))) {
		az_refuse_missing(c, n->res, s->res);
		return true;
	}
	if (n->in_gws && v->gw_idx != 0 &&
	    az_ready(p, az->gws[v->gw_idx - 1].res, prov_now(c))) {
		prov_refuse(c, NULL, "NIC '%s' cannot be in GatewaySubnet of "
		    "virtual network '%s': it holds only gateway '%s' (1.6)",
		    n->name, v->name, az->gws[v->gw_idx - 1].name);
		return true;
	}
	return false;
}

/* The connections of circuit ci (or of gateway gi) that exist at t. */
static size_t
conns_at(const struct prov_plan *p, const struct azure *az, size_t ci,
    size_t gi, sim_time t, const struct az_conn *skip)
{
	size_t k, n = 0;

	for (k = 0; k < az->n_conns; k++) {
		const struct az_conn *o = &az->conns[k];

		if (o == skip || o->res == NULL || !prov_exists(p, o->res, t))
			continue;
		if (ci != SIZE_MAX && o->circuit_idx == ci &&
		    o->type != AZ_CONN_IPSEC)
			n++;
		if (gi != SIZE_MAX && o->gw_idx == gi)
			n++;
	}
	return n;
}

/* 3.5, 1.2, 1.6, B5: what a connection needs when it is created. */
static bool
conn_refused(struct prov_ctx *c, const struct az_pm *m)
{
	const struct prov_plan *p = prov_ctx_plan(c);
	const struct azure *az = m->az;
	const struct az_conn *cn = &az->conns[m->i];
	const struct az_gw *g = &az->gws[cn->gw_idx];
	const struct az_circuit *ci;
	const struct az_sku_fact *f = az_sku_fact(g->sku);
	sim_time now = prov_now(c);
	const char *st;
	size_t n, k, same;

	if (!az_ready(p, g->res, now)) {
		az_refuse_missing(c, cn->res, g->res);
		return true;
	}
	/* an IPsec connection needs its gateway only (azure_vpn_check.c) */
	if (cn->type == AZ_CONN_IPSEC)
		return false;
	ci = &az->circuits[cn->circuit_idx];
	if (!az_ready(p, ci->res, now)) {
		az_refuse_missing(c, cn->res, ci->res);
		return true;
	}
	st = az_spps(p, ci, now);
	if (!az_is(st, "Provisioned")) {
		prov_refuse(c, NULL, "connection '%s': circuit '%s' has "
		    "serviceProviderProvisioningState %s: the provider must "
		    "provision it first (1.2, 3.5)", cn->name, ci->name,
		    st != NULL ? st : "NotProvisioned");
		return true;
	}
	if (ci->pp_res == NULL || (!az_pm_of(ci->pp_res)->oracle &&
	    !az_ready(p, ci->pp_res, now))) {
		prov_refuse(c, NULL, "connection '%s': circuit '%s' has no "
		    "Azure private peering configured (1.2)", cn->name,
		    ci->name);
		return true;
	}
	n = conns_at(p, az, SIZE_MAX, cn->gw_idx, now, cn);
	if (f != NULL && f->max_circuits != 0 && n >= f->max_circuits) {
		prov_refuse(c, NULL, "connection '%s': gateway '%s' (%s) takes "
		    "at most %u circuit connections (1.6, B5)", cn->name,
		    g->name, az_sku_names[g->sku - 1], f->max_circuits);
		return true;
	}
	if (n + 1 >= 16 && g->ok &&
	    az->vnets[g->vnet_idx].subnets[g->subnet_idx].plen > 26) {
		prov_refuse(c, NULL, "connection '%s': gateway '%s' with 16 "
		    "circuits needs a GatewaySubnet of /26 or larger (1.6)",
		    cn->name, g->name);
		return true;
	}
	for (k = same = 0; k < az->n_conns; k++) {
		const struct az_conn *o = &az->conns[k];
		const char *there = o->type == AZ_CONN_IPSEC ? NULL :
		    az->circuits[o->circuit_idx].location;

		same += o != cn && o->gw_idx == cn->gw_idx && o->res != NULL &&
		    prov_exists(p, o->res, now) && ci->location != NULL &&
		    there != NULL && strcmp(there, ci->location) == 0;
	}
	if (same >= AZ_CIRCUITS_PER_LOCATION) {
		prov_refuse(c, NULL, "connection '%s': virtual network '%s' "
		    "has %u circuits from peering location '%s' already, the "
		    "most one VNet takes (1.6, B1)", cn->name,
		    az->vnets[g->vnet_idx].name, AZ_CIRCUITS_PER_LOCATION,
		    ci->location);
		return true;
	}
	return false;
}

/* 1.2, 1.4, 3.1: the private peering, configured by hand. */
static bool
peering_refused(struct prov_ctx *c, const struct az_pm *m)
{
	const struct prov_plan *p = prov_ctx_plan(c);
	const struct az_circuit *ci = &m->az->circuits[m->i];
	const char *st;

	if (!az_ready(p, ci->res, prov_now(c))) {
		az_refuse_missing(c, ci->pp_res, ci->res);
		return true;
	}
	/* typed by hand (B2) it may be created; else it comes by itself */
	if (m->oracle && !ci->has_pp) {
		prov_refuse(c, NULL, "circuit '%s': with provider %s the "
		    "private peering appears automatically from the OCI "
		    "virtual circuit (3.1); to enter it by hand, give the "
		    "circuit's private_peering", ci->name,
		    IC_PROVIDER_ORACLE);
		return true;
	}
	st = az_spps(p, ci, prov_now(c));
	if (!az_is(st, "Provisioned")) {
		prov_refuse(c, NULL, "circuit '%s': private peering can be "
		    "configured only once serviceProviderProvisioningState is "
		    "Provisioned, it is %s (1.2)", ci->name,
		    st != NULL ? st : "NotProvisioned");
		return true;
	}
	if (ci->defer_asn == AZ_DF_ASN_RESERVED) {
		prov_refuse(c, NULL, "circuit '%s': peer_asn %u is reserved by "
		    "Microsoft (65515-65520, 1.4)", ci->name, ci->pp.peer_asn);
		return true;
	}
	if (ci->defer_asn == AZ_DF_ASN_MICROSOFT) {
		prov_refuse(c, NULL, "circuit '%s': peer_asn %u is the MSEEs' "
		    "own AS (1.4)", ci->name, ci->pp.peer_asn);
		return true;
	}
	return false;
}

/*
 * B1, 1.2, 3.1: a circuit is deleted only with no connection left and
 * its provider side deprovisioned; otherwise the delete fails and the
 * circuit is left Failed ("ends in a failed state", 3.1).
 */
static bool
circuit_delete_refused(struct prov_ctx *c, struct prov_res *r)
{
	const struct prov_plan *p = prov_ctx_plan(c);
	const struct az_pm *m = az_pm_of(r);
	const struct az_circuit *ci = &m->az->circuits[m->i];
	sim_time now = prov_now(c);
	const char *st = az_spps(p, ci, now);
	size_t n = conns_at(p, m->az, m->i, SIZE_MAX, now, NULL);

	if (n > 0)
		prov_refuse(c, NULL, "circuit '%s' still has %zu connection%s: "
		    "all virtual networks must be unlinked before it is "
		    "deleted (B1)", ci->name, n, n == 1 ? "" : "s");
	else if (az_is(st, "Provisioned") || az_is(st, "Provisioning"))
		prov_refuse(c, "ConflictError", "circuit '%s' (%s %s): The "
		    "specified dedicated circuit is not in Deprovisioned "
		    "state. Please initiate the deprovisioning process with "
		    "your service provider (1.2, 3.1)", ci->name, SPPS, st);
	else
		return false;
	prov_set(c, r, now, PS, "Failed");
	return true;
}

/* A peering with connections over it stays (MicrosoftDocs #97855). */
static bool
peering_delete_refused(struct prov_ctx *c, const struct az_pm *m)
{
	size_t n = conns_at(prov_ctx_plan(c), m->az, m->i, SIZE_MAX,
	    prov_now(c), NULL);

	if (n == 0)
		return false;
	prov_refuse(c, NULL, "private peering of circuit '%s' still carries "
	    "%zu connection%s: remove them first", m->az->circuits[m->i].name,
	    n, n == 1 ? "" : "s");
	return true;
}

/*
 * A subnet holding a gateway or a NIC that exists at t: what uses it, as
 * "<ARM type>/<name>", in buf; NULL when nothing does.
 */
static const char *
subnet_user(const struct prov_plan *p, const struct azure *az, size_t vi,
    size_t si, sim_time t, char *buf, size_t len)
{
	const struct az_vnet *v = &az->vnets[vi];
	size_t i, j;

	if (v->gw_idx != 0 && az->gws[v->gw_idx - 1].res != NULL &&
	    prov_exists(p, az->gws[v->gw_idx - 1].res, t) &&
	    az_gateway_subnet(az, &az->gws[v->gw_idx - 1]) == &v->subnets[si]) {
		snprintf(buf, len, "virtualNetworkGateways/%s",
		    az->gws[v->gw_idx - 1].name);
		return buf;
	}
	for (i = 0; i < az->n_vms; i++)
		for (j = 0; j < az->vms[i].n_nics; j++) {
			const struct az_nic *n = &az->vms[i].nics[j];

			if (n->ok && n->vnet_idx == vi && n->subnet_idx == si &&
			    n->res != NULL && prov_exists(p, n->res, t)) {
				snprintf(buf, len, "networkInterfaces/%s",
				    n->name);
				return buf;
			}
		}
	return NULL;
}

/*
 * A subnet (or the VNet holding it) with a gateway or a NIC in it is not
 * deleted: ARM's InUseSubnetCannotBeDeleted, worded as Azure answers it
 * (microsoft/nav-arm-templates #161, kubernetes-sigs/
 * cluster-api-provider-azure #172).
 */
static bool
subnet_delete_refused(struct prov_ctx *c, const struct az_pm *m,
    size_t si)
{
	const struct az_vnet *v = &m->az->vnets[m->i];
	char who[2 * SC_NAME_MAX + 32];

	if (subnet_user(prov_ctx_plan(c), m->az, m->i, si, prov_now(c), who,
	    sizeof(who)) == NULL)
		return false;
	prov_refuse(c, "InUseSubnetCannotBeDeleted", "Subnet %s is in use by "
	    "%s and cannot be deleted. In order to delete the subnet, delete "
	    "all the resources within the subnet (virtual network '%s')",
	    v->subnets[si].name, who, v->name);
	return true;
}

/* buf[used..] += ", " (after the first) a b c d; the new length. */
static size_t
add_user(char *buf, size_t len, size_t used, const char *a, const char *b,
    const char *c, const char *d)
{
	int k;

	if (used >= len)
		return used;
	k = snprintf(buf + used, len - used, "%s%s%s%s%s", used ? ", " : "",
	    a, b, c, d);
	return k < 0 ? used : used + (size_t)k;
}

/*
 * The subnets (and, for an NSG, the NICs) that exist at t associated
 * with NSG nsg + 1 or route table rt + 1, as "<ARM path>, ..." in buf;
 * NULL when none.
 */
static const char *
associated(const struct prov_plan *p, const struct azure *az, size_t nsg,
    size_t rt, sim_time t, char *buf, size_t len)
{
	size_t i, j, used = 0;

	for (i = 0; i < az->n_vnets; i++)
		for (j = 0; j < az->vnets[i].n_subnets; j++) {
			const struct az_subnet *s = &az->vnets[i].subnets[j];

			if (s->res != NULL && prov_exists(p, s->res, t) &&
			    ((nsg != 0 && s->nsg_idx == nsg) ||
			    (rt != 0 && s->rt_idx == rt)))
				used = add_user(buf, len, used,
				    "virtualNetworks/", az->vnets[i].name ?
				    az->vnets[i].name : "?", "/subnets/",
				    s->name ? s->name : "?");
		}
	for (i = 0; nsg != 0 && i < az->n_vms; i++)
		for (j = 0; j < az->vms[i].n_nics; j++) {
			const struct az_nic *n = &az->vms[i].nics[j];

			if (n->res != NULL && n->nsg_idx == nsg &&
			    prov_exists(p, n->res, t))
				used = add_user(buf, len, used,
				    "networkInterfaces/", n->name ? n->name :
				    "?", "", "");
		}
	return used > 0 ? buf : NULL;
}

/*
 * An NSG or route table still associated, a gateway with connections:
 * ARM's InUseNetworkSecurityGroupCannotBeDeleted (its wording as Azure
 * answered it in pulumi/pulumi-azure-native #3051 and
 * DataBiosphere/terra-workspace-manager #502) and
 * InUseRouteTableCannotBeDeleted (the same family; the code as
 * stackshy/cloudemu #967 reproduces ARM, no Azure answer found); the
 * gateway's is uncoded (none found).
 */
static bool
in_use_refused(struct prov_ctx *c, const struct az_pm *m)
{
	const struct prov_plan *p = prov_ctx_plan(c);
	char who[1024];
	size_t n;

	switch (m->kind) {
	case K_NSG:
		if (associated(p, m->az, m->i + 1, 0, prov_now(c), who,
		    sizeof(who)) == NULL)
			return false;
		prov_refuse(c, "InUseNetworkSecurityGroupCannotBeDeleted",
		    "Network security group %s cannot be deleted because it "
		    "is in use by the following resources: %s. In order to "
		    "delete the Network security group, remove the "
		    "association with the resource(s)", m->az->nsgs[m->i].name,
		    who);
		return true;
	case K_RT:
		if (associated(p, m->az, 0, m->i + 1, prov_now(c), who,
		    sizeof(who)) == NULL)
			return false;
		prov_refuse(c, "InUseRouteTableCannotBeDeleted", "Route table "
		    "%s cannot be deleted because it is in use by the "
		    "following resources: %s. In order to delete the route "
		    "table, remove the association with the resource(s)",
		    m->az->rts[m->i].name, who);
		return true;
	case K_GW:
		n = conns_at(p, m->az, SIZE_MAX, m->i, prov_now(c), NULL);
		if (n == 0)
			return false;
		prov_refuse(c, NULL, "gateway '%s' still has %zu connection%s: "
		    "delete the connections first", m->az->gws[m->i].name, n,
		    n == 1 ? "" : "s");
		return true;
	default:
		return false;
	}
}

bool
az_delete_refused(struct prov_ctx *c, struct prov_res *r)
{
	const struct az_pm *m = az_pm_of(r);
	size_t k;

	switch (m->kind) {
	case K_SUBNET:
		return subnet_delete_refused(c, m, m->j);
	case K_VNET:
		for (k = 0; k < m->az->vnets[m->i].n_subnets; k++)
			if (subnet_delete_refused(c, m, k))
				return true;
		return false;
	case K_CIRCUIT:
		return circuit_delete_refused(c, r);
	case K_PEERING:
		return peering_delete_refused(c, m);
	default:
		return in_use_refused(c, m);
	}
}

/* Whether an operation that started earlier still sets field after now. */
static bool
pending(const struct prov_plan *p, const struct prov_res *r,
    const char *field, sim_time now)
{
	return prov_get(p, r, field, now) != prov_get(p, r, field,
	    SIM_TIME_MAX);
}

/*
 * ARM runs one operation at a time on a resource: another one meanwhile
 * is answered AnotherOperationInProgress, "Another operation on this or
 * dependent resource is in progress" (as seen in microsoft/AzureTRE
 * #2222 and #1823). Every operation of this model sets provisioningState
 * at its end (a reset too); a provider's own work (a circuit's
 * serviceProviderProvisioningState for a provider other than Oracle)
 * and a bandwidth being set count as well. Oracle's provider state is
 * the OCI virtual circuit's, not an operation on the circuit.
 */
/* A connection of gateway or circuit m whose operation still runs. */
static const struct az_conn *
conn_pending(const struct prov_plan *p, const struct az_pm *m,
    sim_time now)
{
	size_t k;

	if (m->kind != K_GW && m->kind != K_CIRCUIT)
		return NULL;
	for (k = 0; k < m->az->n_conns; k++) {
		const struct az_conn *o = &m->az->conns[k];
		size_t of = m->kind == K_GW ? o->gw_idx :
		    o->type == AZ_CONN_IPSEC ? SIZE_MAX : o->circuit_idx;

		if (o->res != NULL && of == m->i && pending(p, o->res, PS, now))
			return o;
	}
	return NULL;
}

bool
az_busy(struct prov_ctx *c, const struct prov_res *r)
{
	const struct prov_plan *p = prov_ctx_plan(c);
	const struct az_pm *m = az_pm_of(r);
	sim_time now = prov_now(c);
	const char *ps = prov_get(p, r, PS, now);
	const struct az_conn *o;

	if (ps == NULL || az_is(ps, "Succeeded") || az_is(ps, "Failed"))
		ps = prov_get(p, r, SPPS, now);
	if (pending(p, r, PS, now) || az_in_create(m, now) ||
	    (m->kind == K_CIRCUIT && (pending(p, r, BW, now) ||
	    (!m->oracle && pending(p, r, SPPS, now))))) {
		prov_refuse(c, "AnotherOperationInProgress", "Another "
		    "operation on this or dependent resource is in progress: "
		    "%s '%s' is %s until it completes", prov_res_type(r)->type,
		    prov_res_name(r), ps != NULL ? ps : "Updating");
		return true;
	}
	/* a dependent resource: a connection of it being made or removed */
	if ((o = conn_pending(p, m, now)) == NULL)
		return false;
	prov_refuse(c, "AnotherOperationInProgress", "Another operation on "
	    "this or dependent resource is in progress: connection '%s' of "
	    "%s '%s' is %s until it completes", o->name,
	    prov_res_type(r)->type, prov_res_name(r),
	    prov_get(p, o->res, PS, now));
	return true;
}

/*
 * 3.1: the teardown is the connection, then the virtual circuit, then the
 * circuit; "other order -> ER circuit ends in a failed state". A
 * connection deleted after its circuit's provider side went (the OCI
 * virtual circuit deleted first: serviceProviderProvisioningState no
 * longer Provisioned) leaves the circuit Failed from the moment it went.
 */
void
az_conn_deleted(struct prov_ctx *c, struct prov_res *r)
{
	const struct prov_plan *p = prov_ctx_plan(c);
	const struct az_pm *m = az_pm_of(r);
	const struct az_conn *cn = &m->az->conns[m->i];
	const struct az_circuit *ci;
	sim_time lo = 0, hi = prov_now(c), mid;

	if (cn->type == AZ_CONN_IPSEC)
		return;
	ci = &m->az->circuits[cn->circuit_idx];
	if (ci->res == NULL || az_is(az_spps(p, ci, hi), "Provisioned") ||
	    !prov_exists(p, ci->res, hi))
		return;
	/* since the connection was made (it needed Provisioned then) */
	if (m->n_cr > 0)
		lo = m->cr[2 * m->n_cr - 1];
	if (!az_is(az_spps(p, ci, lo), "Provisioned"))
		return;
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (az_is(az_spps(p, ci, mid), "Provisioned"))
			lo = mid;
		else
			hi = mid;
	}
	prov_set(c, ci->res, hi, PS, "Failed");
	prov_note(c, ci->res, hi, "the provider side went while connection "
	    "'%s' still linked the circuit: it ends in a failed state (3.1: "
	    "delete the connection, then the virtual circuit, then the "
	    "circuit)", cn->name);
}

static bool
parse_u32(const char *s, uint32_t *out)
{
	char *end;
	unsigned long v;

	if (s == NULL || *s < '0' || *s > '9')
		return false;
	v = strtoul(s, &end, 10);
	if (*end != '\0' || v > UINT32_MAX)
		return false;
	*out = (uint32_t)v;
	return true;
}

/*
 * A circuit's update: bandwidth_in_mbps up only (B1: a decrease fails and
 * leaves provisioningState Failed; the data plane keeps the file's
 * bandwidth: states only), and, for a provider other than Oracle,
 * service_provider_provisioning_state, which stands for the provider's
 * own work (Oracle's is the OCI virtual circuit's).
 */
sim_time
az_circuit_update(struct prov_ctx *c, struct prov_res *r,
    const struct prov_kv *set, size_t n_set)
{
	const struct prov_plan *p = prov_ctx_plan(c);
	const struct az_pm *m = az_pm_of(r);
	const struct az_circuit *ci = &m->az->circuits[m->i];
	sim_time now = prov_now(c), end = now, d;
	size_t k;

	if (!az_ready(p, r, now)) {
		az_refuse_missing(c, r, r);
		return now;
	}
	for (k = 0; k < n_set; k++) {
		const char *key = set[k].key, *val = set[k].value;
		const char *cur;
		uint32_t bw, old;

		if (strcmp(key, "bandwidth_in_mbps") == 0 &&
		    ci->port != NULL) {
			prov_refuse(c, NULL, "circuit '%s' is on ExpressRoute "
			    "Direct port '%s': its bandwidth is "
			    "bandwidth_in_gbps, whose update is not modelled",
			    ci->name, ci->port);
			return now;
		} else if (strcmp(key, "bandwidth_in_mbps") == 0) {
			cur = prov_get(p, r, BW, now);
			if (!parse_u32(val, &bw) || !az_bandwidth_offered(bw)) {
				prov_refuse(c, NULL, "circuit '%s': "
				    "bandwidth_in_mbps %s is not offered (50, "
				    "100, 200, 500, 1000, 2000, 5000 or 10000; "
				    "1.7, B1)", ci->name, val);
				return now;
			}
			if (cur != NULL && parse_u32(cur, &old) && bw < old) {
				prov_refuse(c, "InternalError", "circuit '%s': "
				    "bandwidth_in_mbps %u is below its %u: the "
				    "bandwidth of a circuit cannot be "
				    "decreased (create a smaller circuit and "
				    "delete this one, B1)", ci->name, bw, old);
				prov_set(c, r, now, PS, "Failed");
				return now;
			}
			d = prov_draw(c, CIRCUIT_UPDATE_LO, CIRCUIT_UPDATE_HI);
			prov_set(c, r, now, PS, "Updating");
			prov_set(c, r, now + d, PS, "Succeeded");
			prov_set(c, r, now + d, BW, val);
			az_rate_add(az_pm_of(r), now + d, bw);
			if (now + d > end)
				end = now + d;
		} else if (strcmp(key, "service_provider_provisioning_state")
		    == 0) {
			cur = prov_get(p, r, SPPS, now);
			if (m->oracle) {
				prov_refuse(c, NULL, "circuit '%s': with "
				    "provider %s, %s follows the OCI virtual "
				    "circuit (3.1)", ci->name,
				    IC_PROVIDER_ORACLE, SPPS);
				return now;
			}
			if (ci->port != NULL) {
				prov_refuse(c, NULL, "circuit '%s' is on "
				    "ExpressRoute Direct port '%s': there is "
				    "no provider to set %s (1.7)", ci->name,
				    ci->port, SPPS);
				return now;
			}
			if (strcmp(val, "Provisioned") != 0 &&
			    strcmp(val, "NotProvisioned") != 0) {
				prov_refuse(c, NULL, "circuit '%s': the "
				    "provider sets %s to Provisioned or "
				    "NotProvisioned, not '%s' (1.2, 1.8)",
				    ci->name, SPPS, val);
				return now;
			}
			if (az_is(cur, val))
				continue;
			if (strcmp(val, "NotProvisioned") == 0 &&
			    conns_at(p, m->az, m->i, SIZE_MAX, now, NULL) > 0) {
				prov_refuse(c, NULL, "circuit '%s': "
				    "connections must be removed before the "
				    "provider deprovisions it (B1)", ci->name);
				return now;
			}
			d = prov_draw(c, PROVIDER_LO, PROVIDER_HI);
			prov_set(c, r, now, SPPS, strcmp(val, "Provisioned") ==
			    0 ? "Provisioning" : "Deprovisioning");
			prov_set(c, r, now + d, SPPS, val);
			if (now + d > end)
				end = now + d;
		} else {
			prov_refuse(c, NULL, "circuit '%s': updating '%s' is "
			    "not modelled (bandwidth_in_mbps, "
			    "service_provider_provisioning_state)", ci->name,
			    key);
			return now;
		}
	}
	return end;
}

/* B5: the resizes Azure does in place; anything else is a new gateway. */
static bool
resize_supported(int from, int to)
{
	static const int ok[][2] = {
		{ AZ_SKU_STANDARD, AZ_SKU_HIGHPERF },
		{ AZ_SKU_STANDARD, AZ_SKU_ULTRA },
		{ AZ_SKU_HIGHPERF, AZ_SKU_ULTRA },
		{ AZ_SKU_ERGW1AZ, AZ_SKU_ERGW2AZ },
		{ AZ_SKU_ERGW1AZ, AZ_SKU_ERGW3AZ },
		{ AZ_SKU_ERGW2AZ, AZ_SKU_ERGW3AZ },
		{ AZ_SKU_HIGHPERF, AZ_SKU_STANDARD },
		{ AZ_SKU_ERGW2AZ, AZ_SKU_ERGW1AZ },
	};
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (ok[i][0] == from && ok[i][1] == to)
			return true;
	return false;
}

static int
sku_index(const char *name)
{
	int i;

	for (i = 0; name != NULL && az_sku_names[i] != NULL; i++)
		if (strcmp(az_sku_names[i], name) == 0)
			return i + 1;
	return 0;
}

/*
 * A gateway resize (1.6, B5): the supported ones in place, Updating up
 * to 30 minutes, the connections it has fitting the new SKU; the data
 * plane takes the new SKU's rates at the completion (az_rate_changes: the
 * expansion's qdisc-set events).
 */
sim_time
az_gateway_update(struct prov_ctx *c, struct prov_res *r,
    const struct prov_kv *set, size_t n_set)
{
	const struct prov_plan *p = prov_ctx_plan(c);
	const struct az_pm *m = az_pm_of(r);
	const struct az_gw *g = &m->az->gws[m->i];
	sim_time now = prov_now(c), d;
	const struct az_sku_fact *f;
	int from, to;
	size_t n, k;

	for (k = 0; k < n_set; k++)
		if (strcmp(set[k].key, "sku") != 0) {
			prov_refuse(c, NULL, "gateway '%s': updating '%s' is "
			    "not modelled (sku)", g->name, set[k].key);
			return now;
		}
	if (n_set != 1) {
		prov_refuse(c, NULL, "gateway '%s': an update sets exactly one "
		    "sku (set: { sku: NAME })", g->name);
		return now;
	}
	if (!az_ready(p, r, now)) {
		az_refuse_missing(c, r, r);
		return now;
	}
	from = sku_index(prov_get(p, r, "sku", now));
	if ((to = sku_index(set[0].value)) == 0) {
		prov_refuse(c, NULL, "gateway '%s': sku '%s' is not an "
		    "ExpressRoute gateway SKU (1.6)", g->name, set[0].value);
		return now;
	}
	if (from == to)
		return now;
	if (!resize_supported(from, to)) {
		prov_refuse(c, NULL, "gateway '%s': resizing %s to %s is not "
		    "supported: delete and recreate the gateway (downtime; "
		    "1.6, B5)", g->name, from ? az_sku_names[from - 1] : "?",
		    az_sku_names[to - 1]);
		return now;
	}
	f = az_sku_fact(to);
	n = conns_at(p, m->az, SIZE_MAX, m->i, now, NULL);
	if (f != NULL && f->max_circuits != 0 && n > f->max_circuits) {
		prov_refuse(c, NULL, "gateway '%s': %s takes at most %u "
		    "circuit connections, it has %zu (1.6, B5)", g->name,
		    az_sku_names[to - 1], f->max_circuits, n);
		return now;
	}
	d = prov_draw(c, RESIZE_LO, RESIZE_HI);
	prov_set(c, r, now, PS, "Updating");
	prov_set(c, r, now + d, PS, "Succeeded");
	prov_set(c, r, now + d, "sku", az_sku_names[to - 1]);
	az_rate_add(az_pm_of(r), now + d, (uint32_t)to);
	return now + d;
}

/*
 * A peering reset (1.5: how BFD is enabled on an existing peering): its
 * sessions go down and come back when it completes.
 */
sim_time
az_peering_reset(struct prov_ctx *c, struct prov_res *r)
{
	const struct prov_plan *p = prov_ctx_plan(c);
	const struct az_pm *m = az_pm_of(r);
	const struct az_circuit *ci = &m->az->circuits[m->i];
	sim_time now = prov_now(c), end;
	const char *st = az_spps(p, ci, now);

	/* Oracle's appears only once the virtual circuit provisioned (3.1) */
	if (prov_get(p, r, PS, now) == NULL) {
		prov_refuse(c, "ResourceNotFound", "The Resource "
		    "'Microsoft.Network/expressRouteCircuits/%s/peerings/%s' "
		    "was not found%s", ci->name, PEERING_NAME, m->oracle ?
		    ": with provider Oracle the private peering appears once "
		    "the OCI virtual circuit is provisioned (3.1)" : "");
		return now;
	}
	if (!az_is(st, "Provisioned")) {
		prov_refuse(c, NULL, "circuit '%s': its private peering can be "
		    "reset only while serviceProviderProvisioningState is "
		    "Provisioned, it is %s (1.2)", ci->name,
		    st != NULL ? st : "NotProvisioned");
		return now;
	}
	end = now + prov_draw(c, RESET_LO, RESET_HI);
	prov_set(c, r, now, PS, "Updating");
	prov_set(c, r, end, PS, "Succeeded");
	az_cr_add(az_pm_of(r), now, end);
	return end;
}

/*
 * Planned maintenance (1.7: "primary and secondary are maintained
 * separately; during maintenance one link advertises a longer AS path"):
 * only on a circuit that carries traffic, its provider side Provisioned.
 * The refusal's words are ours (Microsoft schedules maintenance; there
 * is no API error to quote).
 */
sim_time
az_circuit_maintain(struct prov_ctx *c, struct prov_res *r,
    const struct prov_kv *set, size_t n_set)
{
	const struct prov_plan *p = prov_ctx_plan(c);
	const struct az_pm *m = az_pm_of(r);
	const struct az_circuit *ci = &m->az->circuits[m->i];
	sim_time now = prov_now(c);
	const char *st = az_spps(p, ci, now);

	if (!az_ready(p, r, now) || !az_is(st, "Provisioned")) {
		prov_refuse(c, NULL, "circuit '%s' carries no traffic (%s, "
		    "serviceProviderProvisioningState %s): there is nothing "
		    "to maintain", ci->name, prov_exists(p, r, now) ?
		    "it exists" : "it does not exist", st != NULL ? st :
		    "NotProvisioned");
		return now;
	}
	return prov_maintain(c, r, set, n_set);
}

/* The create's refusals, by kind; false when it may go ahead. */
bool
az_create_refused(struct prov_ctx *c, struct prov_res *r)
{
	const struct prov_plan *p = prov_ctx_plan(c);
	const struct az_pm *m = az_pm_of(r);
	const struct azure *az = m->az;
	sim_time now = prov_now(c);
	size_t k;

	switch (m->kind) {
	case K_SUBNET:
		return subnet_refused(c, m);
	case K_RULE:
		if (!az_ready(p, az->nsgs[m->i].res, now)) {
			az_refuse_missing(c, r, az->nsgs[m->i].res);
			return true;
		}
		return false;
	case K_ROUTE:
		if (!az_ready(p, az->rts[m->i].res, now)) {
			az_refuse_missing(c, r, az->rts[m->i].res);
			return true;
		}
		return false;
	case K_NIC:
		return nic_refused(c, &az->vms[m->i].nics[m->j]);
	case K_VM:
		/* its NICs: made with it, or there already (ARM references) */
		for (k = 0; k < az->vms[m->i].n_nics; k++) {
			const struct az_nic *n = &az->vms[m->i].nics[k];

			if (n->res == NULL)
				continue;
			if (az_pm_of(n->res)->timeline &&
			    !az_ready(p, n->res, now)) {
				az_refuse_missing(c, r, n->res);
				return true;
			}
			if (!az_pm_of(n->res)->timeline && nic_refused(c, n))
				return true;
		}
		return false;
	case K_GW:
		return gateway_refused(c, m);
	case K_CIRCUIT:
		if (az->circuits[m->i].defer_bw) {
			prov_refuse(c, NULL, "circuit '%s': "
			    "bandwidth_in_mbps %u is not offered (50, 100, "
			    "200, 500, 1000, 2000, 5000 or 10000; 1.7, B1)", az->circuits[m->i].name,
			    az->circuits[m->i].bandwidth_mbps);
			return true;
		}
		return false;
	case K_PEERING:
		return peering_refused(c, m);
	case K_CONN:
		return conn_refused(c, m);
	default:
		return false;
	}
}

