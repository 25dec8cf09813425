/*
 * azure_prov.c - the Azure resources on the timeline (provision.h): each
 * resource of the `azure` section declared to the plan with its type's
 * state machine (ARM provisioningState Updating -> Succeeded, Deleting ->
 * gone, Failed; the circuit's circuitProvisioningState and
 * serviceProviderProvisioningState, cloud-facts 1.2, 1.8, SUMMARY), its
 * durations, its dependencies and the refusals Azure answers at the step
 * it answers them (1.2, 1.4, 1.6, 3.1, B1, B4, B5). Also the gate lookup
 * the expansion puts on the items a resource becomes. docs/azure.md,
 * "Provisioning", has the tables.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "azure.h"
#include "azure_int.h"
#include "interconnect.h"
#include "provision.h"
#include "scenario_expand.h"

#if defined(__has_include)
#if __has_include("oci.h")
#include "oci.h"
#define AZ_HAVE_OCI 1
#endif
#endif

#define PS "provisioningState"
#define SPPS "serviceProviderProvisioningState"
#define CPS "circuitProvisioningState"
#define BW "bandwidthInMbps"
#define PEERING_NAME "AzurePrivatePeering"

enum az_kind { K_VNET, K_SUBNET, K_NSG, K_RULE, K_RT, K_ROUTE, K_VM,
	K_NIC, K_GW, K_CIRCUIT, K_PEERING, K_CONN, K_MAX };

/* One resource's model record (prov_model): where it is in the section. */
struct az_pm {
	struct azure *az;
	int kind;		/* enum az_kind */
	size_t i, j;		/* index, and child index for nested kinds */
	bool timeline;		/* a create of the timeline names it */
	bool oracle;		/* circuit, peering: provider Oracle */
	bool vc;		/* ... and an OCI virtual circuit names it */
	uint64_t seed;		/* the service key's */
	sim_time *cr;		/* its creates, [cr[2k], cr[2k + 1]) */
	size_t n_cr;
};

/*
 * Durations. The gateway's "45 minutes or more" is Microsoft's (1.7, B5);
 * its upper bound and every other range are our choice (no documented
 * time found): seconds for the ARM resources that are configuration,
 * minutes for VMs, circuits, peerings and connections. docs/azure.md.
 */
#define S(x) SIM_S(x)
#define MIN(x) SIM_S((x) * 60)
#define CIRCUIT_UPDATE_LO MIN(1)
#define CIRCUIT_UPDATE_HI MIN(5)
#define PROVIDER_LO MIN(5)	/* a provider other than Oracle working */
#define PROVIDER_HI MIN(15)

static void az_initial(struct prov_ctx *c, struct prov_res *r);
static sim_time az_apply(struct prov_ctx *c, struct prov_res *r,
    enum prov_op op, const struct prov_kv *set, size_t n_set);
static bool az_carries(const struct prov_plan *p, const struct prov_res *r,
    sim_time t);

/* Create and delete; the circuit also takes update (circuit_update). */
#define CD (1u << PROV_CREATE | 1u << PROV_DELETE)
#define T(k, ty, clo, chi, dlo, dhi) { .key = k, .type = ty, \
	.cloud = "azure", .initial = az_initial, .apply = az_apply, \
	.carries = az_carries, .create_lo = clo, .create_hi = chi, \
	.delete_lo = dlo, .delete_hi = dhi, .ops = CD }

static const struct prov_type az_types[K_MAX] = {
	[K_VNET] = T("virtual_networks", "VirtualNetwork", S(5), S(15), S(5),
	    S(15)),
	[K_SUBNET] = T("subnets", "Subnet", S(2), S(8), S(2), S(8)),
	[K_NSG] = T("network_security_groups", "NetworkSecurityGroup", S(3),
	    S(10), S(3), S(10)),
	[K_RULE] = T("security_rules", "SecurityRule", S(2), S(8), S(2),
	    S(8)),
	[K_RT] = T("route_tables", "RouteTable", S(3), S(10), S(3), S(10)),
	[K_ROUTE] = T("routes", "Route", S(2), S(8), S(2), S(8)),
	[K_VM] = T("virtual_machines", "VirtualMachine", MIN(1), MIN(3), S(30),
	    MIN(2)),
	[K_NIC] = T("network_interfaces", "NetworkInterface", S(2), S(8), S(2),
	    S(8)),
	[K_GW] = T("virtual_network_gateways", "VirtualNetworkGateway",
	    MIN(45), MIN(60), MIN(10), MIN(20)),
	[K_CIRCUIT] = { .key = "express_route_circuits",
	    .type = "ExpressRouteCircuit", .cloud = "azure",
	    .initial = az_initial, .apply = az_apply, .carries = az_carries,
	    .create_lo = MIN(1), .create_hi = MIN(3), .delete_lo = MIN(1),
	    .delete_hi = MIN(3), .ops = CD | 1u << PROV_UPDATE },
	[K_PEERING] = T("peerings", "ExpressRouteCircuitPeering", MIN(1),
	    MIN(3), MIN(1), MIN(2)),
	[K_CONN] = T("connections", "Connection", MIN(1), MIN(5), MIN(1),
	    MIN(3)),
};

/* --- the section's data, mutable, from the scenario ------------------- */

static struct azure *
az_mut(const struct scenario *sc)
{
	size_t i;

	for (i = 0; i < sc->n_sections; i++)
		if (sc->sections[i].sec == &azure_section)
			return sc->sections[i].given && !sc->sections[i].bad ?
			    sc->sections[i].items : NULL;
	return NULL;
}

bool
az_on_timeline(struct sc_check *ck, const char *key, const char *name)
{
	return name != NULL && prov_created_on_timeline(sc_check_scenario(ck),
	    key, name);
}

void
az_gate(struct az_ex *x, int map, const char *key, const char *name)
{
	const char *g = prov_gate(sc_ex_scenario(x->ex), key, name);

	if (g != NULL)
		sc_ex_set_str(x->ex, map, "gate", g);
}

void
az_prov_free(struct azure *az)
{
	size_t i;

	for (i = 0; i < az->n_pm; i++)
		free(az->pm[i].cr);
	free(az->pm);
	az->pm = NULL;
	az->n_pm = 0;
}

/* --- small helpers --------------------------------------------------- */

static struct az_pm *
pm_of(const struct prov_res *r)
{
	return prov_model(r);
}

static void
cr_add(struct az_pm *m, sim_time a, sim_time b)
{
	sim_time *n = realloc(m->cr, (m->n_cr + 1) * 2 * sizeof(*n));

	if (n == NULL)
		abort();
	m->cr = n;
	m->cr[2 * m->n_cr] = a;
	m->cr[2 * m->n_cr + 1] = b;
	m->n_cr++;
}

static bool
in_create(const struct az_pm *m, sim_time t)
{
	size_t k;

	for (k = 0; k < m->n_cr; k++)
		if (t >= m->cr[2 * k] && t < m->cr[2 * k + 1])
			return true;
	return false;
}

static bool
is(const char *v, const char *want)
{
	return v != NULL && strcmp(v, want) == 0;
}

/*
 * An ARM resource is there for others at t: it exists, its create has
 * completed and it is not being deleted (Failed still works: a circuit
 * whose bandwidth downgrade failed keeps carrying, B1).
 */
static bool
ready(const struct prov_plan *p, const struct prov_res *r, sim_time t)
{
	const char *ps;

	if (r == NULL || !prov_exists(p, r, t))
		return false;
	ps = prov_get(p, r, PS, t);
	return ps != NULL && !is(ps, "Deleting") && !in_create(pm_of(r), t);
}

static const char *
spps(const struct prov_plan *p, const struct az_circuit *ci, sim_time t)
{
	return ci->res != NULL ? prov_get(p, ci->res, SPPS, t) : NULL;
}

/*
 * A circuit carries once its provider side is Provisioned (1.2), whoever
 * sets that field (the OCI virtual circuit for Oracle, 3.1); its peering,
 * which depends on it, then too: Oracle's appears by itself (3.1), one
 * configured by hand once its create completed. The rest: ARM's rule.
 */
static bool
az_carries(const struct prov_plan *p, const struct prov_res *r, sim_time t)
{
	const struct az_pm *m = pm_of(r);

	if (m->kind == K_CIRCUIT)
		return ready(p, r, t) && is(prov_get(p, r, SPPS, t),
		    "Provisioned");
	if (m->kind == K_PEERING && m->oracle)
		return prov_exists(p, r, t);
	return ready(p, r, t);
}

static sim_time
draw_create(struct prov_ctx *c, const struct prov_res *r)
{
	const struct prov_type *t = prov_res_type(r);

	return prov_draw(c, t->create_lo, t->create_hi);
}

static sim_time
draw_delete(struct prov_ctx *c, const struct prov_res *r)
{
	const struct prov_type *t = prov_res_type(r);

	return prov_draw(c, t->delete_lo, t->delete_hi);
}

/* provisioningState Updating from t0, Succeeded at t1. */
static void
arm_created(struct prov_ctx *c, struct prov_res *r, sim_time t0,
    sim_time t1)
{
	prov_set(c, r, t0, PS, "Updating");
	prov_set(c, r, t1, PS, "Succeeded");
	cr_add(pm_of(r), t0, t1);
}

/* provisioningState Deleting from t0, gone at t1. */
static void
arm_deleted(struct prov_ctx *c, struct prov_res *r, sim_time t0,
    sim_time t1)
{
	prov_set(c, r, t0, PS, "Deleting");
	prov_set(c, r, t1, PS, NULL);
	prov_gone(c, r, t1);
}

/* "Microsoft.Network/<arm>/<name>" of a resource, for messages. */
static const char *const arm_path[K_MAX] = {
	"virtualNetworks", "virtualNetworks/subnets", "networkSecurityGroups",
	"networkSecurityGroups/securityRules", "routeTables",
	"routeTables/routes", "virtualMachines", "networkInterfaces",
	"virtualNetworkGateways", "expressRouteCircuits",
	"expressRouteCircuits/peerings", "connections",
};

/*
 * ARM's answer when what an operation references is not there (its
 * ResourceNotFound, e.g. MicrosoftDocs/azure-docs issue #52229); also when
 * it is still being created.
 */
static void
refuse_missing(struct prov_ctx *c, const struct prov_res *r,
    const struct prov_res *dep)
{
	const struct prov_plan *p = prov_ctx_plan(c);
	const struct az_pm *d = dep != NULL ? pm_of(dep) : NULL;

	if (dep != NULL && prov_exists(p, dep, prov_now(c)))
		prov_refuse(c, NULL, "%s '%s' needs %s '%s', which is %s",
		    prov_res_type(r)->type, prov_res_name(r),
		    prov_res_type(dep)->type, prov_res_name(dep),
		    in_create(d, prov_now(c)) ? "still being created "
		    "(provisioningState Updating)" : "being deleted");
	else
		prov_refuse(c, "ResourceNotFound", "%s '%s' needs the Resource "
		    "'Microsoft.Network/%s/%s', which was not found",
		    prov_res_type(r)->type, prov_res_name(r),
		    dep != NULL ? arm_path[pm_of(dep)->kind] : "?",
		    dep != NULL ? prov_res_name(dep) : "?");
}

/* --- children that come with their parent (one ARM PUT) ------------- */

/*
 * A VNet's subnets, an NSG's rules, a route table's routes, a VM's NICs
 * and a circuit's configured peering are created with it unless the
 * timeline creates them itself; they are deleted with it.
 */
static size_t
children(const struct az_pm *m, struct prov_res **out, size_t max)
{
	const struct azure *az = m->az;
	size_t n = 0, k;

#define ADD(res) do { if ((res) != NULL && n < max) out[n++] = (res); } \
	while (0)
	switch (m->kind) {
	case K_VNET:
		for (k = 0; k < az->vnets[m->i].n_subnets; k++)
			ADD(az->vnets[m->i].subnets[k].res);
		break;
	case K_NSG:
		for (k = 0; k < az->nsgs[m->i].n_rules; k++)
			ADD(az->nsgs[m->i].rules[k].res);
		break;
	case K_RT:
		for (k = 0; k < az->rts[m->i].n_routes; k++)
			ADD(az->rts[m->i].routes[k].res);
		break;
	case K_VM:
		for (k = 0; k < az->vms[m->i].n_nics; k++)
			ADD(az->vms[m->i].nics[k].res);
		break;
	case K_CIRCUIT:
		if (!m->oracle)
			ADD(az->circuits[m->i].pp_res);
		break;
	default:
		break;
	}
#undef ADD
	return n;
}

#define MAX_CHILDREN 1024

/* --- initial: settled states from time zero --------------------------- */

/* Whether r's parent is created on the timeline (then it creates r). */
static bool
parent_on_timeline(const struct az_pm *m)
{
	const struct azure *az = m->az;
	const struct prov_res *par = NULL;

	switch (m->kind) {
	case K_SUBNET:
		par = az->vnets[m->i].res;
		break;
	case K_RULE:
		par = az->nsgs[m->i].res;
		break;
	case K_ROUTE:
		par = az->rts[m->i].res;
		break;
	case K_NIC:
		par = az->vms[m->i].res;
		break;
	case K_PEERING:
		par = az->circuits[m->i].res;
		break;
	default:
		return false;
	}
	return par != NULL && pm_of(par)->timeline;
}

static void
circuit_settled(struct prov_ctx *c, struct prov_res *r, sim_time t,
    const char *provider_state)
{
	const struct az_pm *m = pm_of(r);
	const struct az_circuit *ci = &m->az->circuits[m->i];
	char key[37], bw[16];

	/* 1.2: Enabled from creation; the service key is issued: billing */
	prov_set(c, r, t, CPS, "Enabled");
	prov_set(c, r, t, SPPS, provider_state);
	snprintf(bw, sizeof(bw), "%u", ci->bandwidth_mbps);
	prov_set(c, r, t, BW, bw);
	ic_service_key(m->seed, ci->name, key);
	prov_note(c, r, t, "service key %s issued: billing starts (1.2, "
	    "3.1)", key);
}

static void
az_initial(struct prov_ctx *c, struct prov_res *r)
{
	const struct az_pm *m = pm_of(r);

	if (parent_on_timeline(m))
		return;
	/* Oracle's peering exists only once the OCI side provisioned it */
	if (m->kind == K_PEERING && m->oracle && !m->vc)
		return;
	prov_set(c, r, 0, PS, "Succeeded");
	if (m->kind == K_PEERING)
		prov_set(c, r, 0, "state", "Enabled");
	/*
	 * A circuit there from time zero is settled (issue 10's world):
	 * Provisioned, but for Oracle only when an OCI virtual circuit
	 * names it (3.1: the provider side is the virtual circuit, which
	 * writes this field from then on; one created on the timeline sets
	 * NotProvisioned from 0 itself, the last set at a time winning).
	 */
	if (m->kind == K_CIRCUIT)
		circuit_settled(c, r, 0, m->oracle && !m->vc ?
		    "NotProvisioned" : "Provisioned");
}

/* --- refusals and the types' operations --------------------------------- */

static const struct az_subnet *
gateway_subnet(const struct azure *az, const struct az_gw *g)
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
			    ready(p, n->res, t))
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

	if (!ready(prov_ctx_plan(c), v->res, prov_now(c))) {
		refuse_missing(c, s->res, v->res);
		return true;
	}
	if (s->defer == AZ_DF_SUBNET_SMALL)
		prov_refuse(c, NULL, "subnet '%s' address_prefix %s/%u is "
		    "smaller than /%u, the smallest Azure subnet (5 addresses "
		    "are reserved, 2.5)", s->key, az_ip(a, s->prefix), s->plen,
		    AZ_SUBNET_PLEN_MAX);
	else if (s->defer == AZ_DF_SUBNET_OUTSIDE)
		prov_refuse(c, "NetcfgInvalidSubnet", "Subnet '%s' is not valid "
		    "in virtual network '%s': address_prefix %s/%u is outside "
		    "its address space (B4)", s->name, v->name,
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

	if (!ready(p, v->res, prov_now(c))) {
		refuse_missing(c, g->res, v->res);
		return true;
	}
	if (g->defer == AZ_DF_GWS_MISNAMED) {
		prov_refuse(c, NULL, "gateway '%s': subnet '%s' of virtual "
		    "network '%s' must be named exactly GatewaySubnet to hold "
		    "a gateway (1.6)", g->name,
		    v->subnets[g->bad_subnet - 1].name, v->name);
		return true;
	}
	s = gateway_subnet(az, g);
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
	if (!ready(p, s->res, prov_now(c))) {
		refuse_missing(c, g->res, s->res);
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
	const struct azure *az = pm_of(n->res)->az;
	const struct az_vnet *v = &az->vnets[n->vnet_idx];
	const struct az_subnet *s = &v->subnets[n->subnet_idx];

	if (!ready(p, s->res, prov_now(c))) {
		refuse_missing(c, n->res, s->res);
		return true;
	}
	if (n->in_gws && v->gw_idx != 0 &&
	    ready(p, az->gws[v->gw_idx - 1].res, prov_now(c))) {
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
		if (ci != SIZE_MAX && o->circuit_idx == ci)
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
	const struct az_circuit *ci = &az->circuits[cn->circuit_idx];
	const struct az_sku_fact *f = az_sku_fact(g->sku);
	sim_time now = prov_now(c);
	const char *st;
	size_t n, k, same;

	if (!ready(p, g->res, now)) {
		refuse_missing(c, cn->res, g->res);
		return true;
	}
	if (!ready(p, ci->res, now)) {
		refuse_missing(c, cn->res, ci->res);
		return true;
	}
	st = spps(p, ci, now);
	if (!is(st, "Provisioned")) {
		prov_refuse(c, NULL, "connection '%s': circuit '%s' has "
		    "serviceProviderProvisioningState %s: the provider must "
		    "provision it first (1.2, 3.5)", cn->name, ci->name,
		    st != NULL ? st : "NotProvisioned");
		return true;
	}
	if (ci->pp_res == NULL || (!pm_of(ci->pp_res)->oracle &&
	    !ready(p, ci->pp_res, now))) {
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
		const char *there = az->circuits[o->circuit_idx].location;

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

	if (!ready(p, ci->res, prov_now(c))) {
		refuse_missing(c, ci->pp_res, ci->res);
		return true;
	}
	if (m->oracle) {
		prov_refuse(c, NULL, "circuit '%s': with provider %s the "
		    "private peering appears automatically from the OCI "
		    "virtual circuit (3.1)", ci->name, IC_PROVIDER_ORACLE);
		return true;
	}
	st = spps(p, ci, prov_now(c));
	if (!is(st, "Provisioned")) {
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
	const struct az_pm *m = pm_of(r);
	const struct az_circuit *ci = &m->az->circuits[m->i];
	sim_time now = prov_now(c);
	const char *st = spps(p, ci, now);
	size_t n = conns_at(p, m->az, m->i, SIZE_MAX, now, NULL);

	if (n > 0)
		prov_refuse(c, NULL, "circuit '%s' still has %zu connection%s: "
		    "all virtual networks must be unlinked before it is "
		    "deleted (B1)", ci->name, n, n == 1 ? "" : "s");
	else if (is(st, "Provisioned") || is(st, "Provisioning"))
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
static sim_time
circuit_update(struct prov_ctx *c, struct prov_res *r,
    const struct prov_kv *set, size_t n_set)
{
	const struct prov_plan *p = prov_ctx_plan(c);
	const struct az_pm *m = pm_of(r);
	const struct az_circuit *ci = &m->az->circuits[m->i];
	sim_time now = prov_now(c), end = now, d;
	size_t k;

	if (!ready(p, r, now)) {
		refuse_missing(c, r, r);
		return now;
	}
	for (k = 0; k < n_set; k++) {
		const char *key = set[k].key, *val = set[k].value;
		const char *cur;
		uint32_t bw, old;

		if (strcmp(key, "bandwidth_in_mbps") == 0) {
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
			if (strcmp(val, "Provisioned") != 0 &&
			    strcmp(val, "NotProvisioned") != 0) {
				prov_refuse(c, NULL, "circuit '%s': the "
				    "provider sets %s to Provisioned or "
				    "NotProvisioned, not '%s' (1.2, 1.8)",
				    ci->name, SPPS, val);
				return now;
			}
			if (is(cur, val))
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
			prov_refuse(c, NULL, "circuit '%s': updating '%s' is not "
			    "modelled (bandwidth_in_mbps, "
			    "service_provider_provisioning_state)", ci->name,
			    key);
			return now;
		}
	}
	return end;
}

/* The create's refusals, by kind; false when it may go ahead. */
static bool
create_refused(struct prov_ctx *c, struct prov_res *r)
{
	const struct prov_plan *p = prov_ctx_plan(c);
	const struct az_pm *m = pm_of(r);
	const struct azure *az = m->az;
	sim_time now = prov_now(c);
	size_t k;

	switch (m->kind) {
	case K_SUBNET:
		return subnet_refused(c, m);
	case K_RULE:
		if (!ready(p, az->nsgs[m->i].res, now)) {
			refuse_missing(c, r, az->nsgs[m->i].res);
			return true;
		}
		return false;
	case K_ROUTE:
		if (!ready(p, az->rts[m->i].res, now)) {
			refuse_missing(c, r, az->rts[m->i].res);
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
			if (pm_of(n->res)->timeline && !ready(p, n->res, now)) {
				refuse_missing(c, r, n->res);
				return true;
			}
			if (!pm_of(n->res)->timeline && nic_refused(c, n))
				return true;
		}
		return false;
	case K_GW:
		return gateway_refused(c, m);
	case K_CIRCUIT:
		if (az->circuits[m->i].defer_bw) {
			prov_refuse(c, NULL, "circuit '%s': bandwidth_in_mbps %u "
			    "is not offered (50, 100, 200, 500, 1000, 2000, "
			    "5000 or 10000; 1.7, B1)", az->circuits[m->i].name,
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

static sim_time
az_apply(struct prov_ctx *c, struct prov_res *r, enum prov_op op,
    const struct prov_kv *set, size_t n_set)
{
	const struct prov_plan *p = prov_ctx_plan(c);
	struct az_pm *m = pm_of(r);
	struct prov_res *kids[MAX_CHILDREN];
	sim_time now = prov_now(c), end;
	size_t n, k;

	switch (op) {
	case PROV_CREATE:
		if (create_refused(c, r))
			return now;
		end = now + draw_create(c, r);
		arm_created(c, r, now, end);
		if (m->kind == K_PEERING)
			prov_set(c, r, end, "state", "Enabled");
		if (m->kind == K_CIRCUIT)
			circuit_settled(c, r, end, "NotProvisioned");
		/* the children the timeline does not create come with it */
		n = children(m, kids, MAX_CHILDREN);
		for (k = 0; k < n; k++)
			if (!pm_of(kids[k])->timeline) {
				arm_created(c, kids[k], now, end);
				if (pm_of(kids[k])->kind == K_PEERING)
					prov_set(c, kids[k], end, "state",
					    "Enabled");
			}
		return end;
	case PROV_DELETE:
		if (!prov_exists(p, r, now)) {
			refuse_missing(c, r, r);
			return now;
		}
		if (m->kind == K_CIRCUIT && circuit_delete_refused(c, r))
			return now;
		if (m->kind == K_PEERING && peering_delete_refused(c, m))
			return now;
		end = now + draw_delete(c, r);
		arm_deleted(c, r, now, end);
		n = children(m, kids, MAX_CHILDREN);
		for (k = 0; k < n; k++)
			if (prov_exists(p, kids[k], now))
				arm_deleted(c, kids[k], now, end);
		return end;
	case PROV_UPDATE:
		if (m->kind == K_CIRCUIT)
			return circuit_update(c, r, set, n_set);
		prov_refuse(c, NULL, "%s '%s': update is not modelled for this "
		    "type (circuits only: bandwidth_in_mbps, "
		    "service_provider_provisioning_state)",
		    prov_res_type(r)->type, prov_res_name(r));
		return now;
	default:
		prov_refuse(c, NULL, "%s '%s': Azure has no %s operation for "
		    "this type", prov_res_type(r)->type, prov_res_name(r),
		    prov_op_name[op]);
		return now;
	}
}

/* --- declaring the section's resources ----------------------------------- */

struct decl {
	struct prov_plan *p;
	struct azure *az;
	const struct scenario *sc;
	size_t k;		/* next model record */
};

static struct prov_res *
declare(struct decl *d, int kind, const char *name, struct sc_loc loc,
    size_t i, size_t j)
{
	struct az_pm *m;
	struct prov_res *r;

	if (name == NULL || d->k >= d->az->n_pm)
		return NULL;
	m = &d->az->pm[d->k++];
	m->az = d->az;
	m->kind = kind;
	m->i = i;
	m->j = j;
	m->seed = d->sc->seed;
	m->timeline = prov_created_on_timeline(d->sc, az_types[kind].key,
	    name);
	r = prov_add(d->p, &az_types[kind], name, loc, m);
	return r;
}

static void
show_msees(struct prov_res *r, const struct azure *az, size_t ci)
{
	char name[2 * SC_NAME_MAX + 16];
	int k;

	if (r == NULL)
		return;
	for (k = 0; k < 2; k++) {
		ic_msee_name(name, sizeof(name), az->circuits[ci].name,
		    az->n_circuits, (enum ic_path)k);
		prov_show_on(r, name);
	}
}

static void
show(struct prov_res *r, const char *node)
{
	if (r != NULL && node != NULL)
		prov_show_on(r, node);
}

static void
depend(struct prov_res *r, struct prov_res *dep)
{
	if (r != NULL && dep != NULL)
		prov_depend(r, dep);
}

/* The VNets an NSG (nsg + 1) or route table (rt + 1) serves: its tiles. */
static void
show_users(struct prov_res *r, const struct azure *az, size_t nsg, size_t rt)
{
	size_t i, j, k;

	for (i = 0; r != NULL && i < az->n_vnets; i++) {
		bool uses = false;

		for (j = 0; j < az->vnets[i].n_subnets; j++) {
			const struct az_subnet *s = &az->vnets[i].subnets[j];

			uses |= (nsg != 0 && s->nsg_idx == nsg) ||
			    (rt != 0 && s->rt_idx == rt);
		}
		for (j = 0; nsg != 0 && j < az->n_vms; j++)
			for (k = 0; k < az->vms[j].n_nics; k++)
				uses |= az->vms[j].nics[k].ok &&
				    az->vms[j].nics[k].vnet_idx == i &&
				    az->vms[j].nics[k].nsg_idx == nsg;
		if (uses)
			prov_show_on(r, az->vnets[i].name);
	}
}

static size_t
count(const struct azure *az)
{
	size_t n = az->n_vnets + az->n_nsgs + az->n_rts + az->n_vms +
	    az->n_gws + 2 * az->n_circuits + az->n_conns, i;

	for (i = 0; i < az->n_vnets; i++)
		n += az->vnets[i].n_subnets;
	for (i = 0; i < az->n_nsgs; i++)
		n += az->nsgs[i].n_rules;
	for (i = 0; i < az->n_rts; i++)
		n += az->rts[i].n_routes;
	for (i = 0; i < az->n_vms; i++)
		n += az->vms[i].n_nics;
	return n;
}

static void
declare_network(struct decl *d)
{
	struct azure *az = d->az;
	char name[2 * SC_NAME_MAX + 2];
	size_t i, j;

	for (i = 0; i < az->n_vnets; i++) {
		struct az_vnet *v = &az->vnets[i];

		v->res = declare(d, K_VNET, v->name, v->loc, i, 0);
		show(v->res, v->name);
		for (j = 0; j < v->n_subnets; j++) {
			struct az_subnet *s = &v->subnets[j];

			s->res = declare(d, K_SUBNET, s->key, s->loc, i, j);
			depend(s->res, v->res);
			show(s->res, v->name);
		}
	}
	for (i = 0; i < az->n_nsgs; i++) {
		struct az_nsg *g = &az->nsgs[i];

		g->res = declare(d, K_NSG, g->name, g->loc, i, 0);
		show_users(g->res, az, i + 1, 0);
		for (j = 0; j < g->n_rules && g->name != NULL; j++) {
			struct az_rule *ru = &g->rules[j];

			if (ru->name == NULL)
				continue;
			snprintf(name, sizeof(name), "%s/%s", g->name,
			    ru->name);
			ru->res = declare(d, K_RULE, name, ru->loc, i, j);
			depend(ru->res, g->res);
			show_users(ru->res, az, i + 1, 0);
		}
	}
	for (i = 0; i < az->n_rts; i++) {
		struct az_rt *t = &az->rts[i];

		t->res = declare(d, K_RT, t->name, t->loc, i, 0);
		show_users(t->res, az, 0, i + 1);
		for (j = 0; j < t->n_routes && t->name != NULL; j++) {
			struct az_route *ro = &t->routes[j];

			if (ro->name == NULL)
				continue;
			snprintf(name, sizeof(name), "%s/%s", t->name,
			    ro->name);
			ro->res = declare(d, K_ROUTE, name, ro->loc, i, j);
			depend(ro->res, t->res);
			show_users(ro->res, az, 0, i + 1);
		}
	}
	for (i = 0; i < az->n_vms; i++) {
		struct az_vm *vm = &az->vms[i];

		vm->res = declare(d, K_VM, vm->name, vm->loc, i, 0);
		show(vm->res, vm->name);
		for (j = 0; j < vm->n_nics; j++) {
			struct az_nic *n = &vm->nics[j];

			n->res = declare(d, K_NIC, n->name, n->loc, i, j);
			/* a NIC carries on a running VM in its subnet */
			depend(n->res, vm->res);
			if (n->ok)
				depend(n->res, az->vnets[n->vnet_idx].subnets[
				    n->subnet_idx].res);
			show(n->res, vm->name);
		}
	}
}

static void
declare_er(struct decl *d)
{
	struct azure *az = d->az;
	char name[SC_NAME_MAX + sizeof(PEERING_NAME) + 2];
	size_t i;

	for (i = 0; i < az->n_gws; i++) {
		struct az_gw *g = &az->gws[i];
		const struct az_subnet *s;

		g->res = declare(d, K_GW, g->name, g->loc, i, 0);
		/* a gateway refused for good is no node (azure_expand_er.c) */
		if (g->ok)
			show(g->res, g->name);
		if (g->vnet == NULL || az->vnets[g->vnet_idx].gw_idx != i + 1)
			continue;
		s = gateway_subnet(az, g);
		depend(g->res, s != NULL ? s->res :
		    az->vnets[g->vnet_idx].res);
	}
	for (i = 0; i < az->n_circuits; i++) {
		struct az_circuit *ci = &az->circuits[i];
		bool oracle = ci->provider != NULL &&
		    strcmp(ci->provider, IC_PROVIDER_ORACLE) == 0;
		struct ic_peering pp;

		ci->res = declare(d, K_CIRCUIT, ci->name, ci->loc, i, 0);
		if (ci->res != NULL) {
			pm_of(ci->res)->oracle = oracle;
#ifdef AZ_HAVE_OCI
			pm_of(ci->res)->vc = oracle && oci_vc_peering(d->sc,
			    ci->name, d->sc->seed, &pp);
#else
			(void)pp;
#endif
		}
		show_msees(ci->res, az, i);
		if (ci->name == NULL || (!oracle &&
		    !sc_key_given(ci->keys, CI_PP)))
			continue;
		snprintf(name, sizeof(name), "%s/%s", ci->name, PEERING_NAME);
		ci->pp_res = declare(d, K_PEERING, name, ci->has_pp ?
		    ci->vloc[CI_PP] : ci->loc, i, 0);
		if (ci->pp_res != NULL && ci->res != NULL) {
			pm_of(ci->pp_res)->oracle = oracle;
			pm_of(ci->pp_res)->vc = pm_of(ci->res)->vc;
		}
		depend(ci->pp_res, ci->res);
		show_msees(ci->pp_res, az, i);
	}
	for (i = 0; i < az->n_conns; i++) {
		struct az_conn *cn = &az->conns[i];

		cn->res = declare(d, K_CONN, cn->name, cn->loc, i, 0);
		if (cn->gw == NULL || cn->circuit == NULL ||
		    cn->gw_idx >= az->n_gws ||
		    cn->circuit_idx >= az->n_circuits)
			continue;
		depend(cn->res, az->gws[cn->gw_idx].res);
		depend(cn->res, az->circuits[cn->circuit_idx].res);
		depend(cn->res, az->circuits[cn->circuit_idx].pp_res);
		if (cn->ok)
			show(cn->res, az->gws[cn->gw_idx].name);
		show_msees(cn->res, az, cn->circuit_idx);
	}
}

static void
az_resources(struct prov_plan *p, const struct scenario *sc)
{
	struct azure *az = az_mut(sc);
	struct decl d = { .p = p, .az = az, .sc = sc };

	if (az == NULL || !az->given)
		return;
	az_prov_free(az);
	az->n_pm = count(az);
	if (az->n_pm == 0)
		return;
	if ((az->pm = calloc(az->n_pm, sizeof(*az->pm))) == NULL)
		abort();
	declare_network(&d);
	declare_er(&d);
}

int
az_prov_register(void)
{
	static const struct prov_cloud cloud = {
		.name = "azure",
		.resources = az_resources,
	};

	return prov_register_cloud(&cloud);
}
