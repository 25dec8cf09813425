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
#include "azure_prov_int.h"
#include "interconnect.h"
#include "scenario_expand.h"

#if defined(__has_include)
#if __has_include("oci.h")
#include "oci.h"
#define AZ_HAVE_OCI 1
#endif
#endif

static void az_initial(struct prov_ctx *c, struct prov_res *r);
static sim_time az_apply(struct prov_ctx *c, struct prov_res *r,
    enum prov_op op, const struct prov_kv *set, size_t n_set);
static bool az_carries(const struct prov_plan *p, const struct prov_res *r,
    sim_time t);

/*
 * Each type: its list key, ARM type, create and delete ranges in seconds
 * (see "Durations" above) and operations: create and delete, plus the
 * circuit's and the gateway's update, the peering's reset and the
 * circuit's maintenance (a what-if: Microsoft schedules it).
 */
#define CD (1u << PROV_CREATE | 1u << PROV_DELETE)
#define UP (1u << PROV_UPDATE)
#define RS (1u << PROV_RESET)
#define MT (1u << PROV_MAINTAIN)
#define T(k, ty, ti, clo, chi, dlo, dhi, o) { .key = k, .type = ty, \
	.title = ti, .cloud = "azure", .initial = az_initial, \
	.apply = az_apply, .carries = az_carries, .create_lo = AZ_S(clo), \
	.create_hi = AZ_S(chi), .delete_lo = AZ_S(dlo), \
	.delete_hi = AZ_S(dhi), .ops = o }

/* Titles: the portal's and the documents' words for each type. */
static const struct prov_type az_types[K_MAX] = {
	[K_VNET] = T("virtual_networks", "VirtualNetwork", "virtual network",
	    5, 15, 5, 15, CD),
	[K_SUBNET] = T("subnets", "Subnet", "subnet", 2, 8, 2, 8, CD),
	[K_NSG] = T("network_security_groups", "NetworkSecurityGroup",
	    "network security group", 3, 10, 3, 10, CD),
	[K_RULE] = T("security_rules", "SecurityRule", "security rule", 2, 8,
	    2, 8, CD | UP),
	[K_RT] = T("route_tables", "RouteTable", "route table", 3, 10, 3, 10,
	    CD),
	[K_ROUTE] = T("routes", "Route", "route", 2, 8, 2, 8, CD),
	[K_VM] = T("virtual_machines", "VirtualMachine", "virtual machine",
	    60, 180, 30, 120, CD),
	[K_NIC] = T("network_interfaces", "NetworkInterface",
	    "network interface", 2, 8, 2, 8, CD),
	/* "45 minutes or more" (1.7, B5); the upper bound is ours */
	[K_GW] = T("virtual_network_gateways", "VirtualNetworkGateway",
	    "virtual network gateway", 45 * 60, 60 * 60, 10 * 60, 20 * 60,
	    CD | UP),
	[K_CIRCUIT] = T("express_route_circuits", "ExpressRouteCircuit",
	    "ExpressRoute circuit", 60, 180, 60, 180, CD | UP | MT),
	[K_PEERING] = T("peerings", "ExpressRouteCircuitPeering",
	    "ExpressRoute circuit peering", 60, 180, 60, 120, CD | RS),
	[K_CONN] = T("connections", "Connection", "connection", 60, 300, 60,
	    180, CD),
};

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

	for (i = 0; i < az->n_pm; i++) {
		free(az->pm[i].cr);
		free(az->pm[i].rates);
		free(az->pm[i].upds);
	}
	free(az->pm);
	az->pm = NULL;
	az->n_pm = 0;
}

/* --- small helpers --------------------------------------------------- */

struct az_pm *
az_pm_of(const struct prov_res *r)
{
	return prov_model(r);
}

void
az_rate_add(struct az_pm *m, sim_time at, uint32_t value)
{
	struct az_rate *n = realloc(m->rates, (m->n_rates + 1) * sizeof(*n));

	if (n == NULL)
		abort();
	m->rates = n;
	m->rates[m->n_rates].at = at;
	m->rates[m->n_rates].value = value;
	m->n_rates++;
}

size_t
az_rate_changes(const struct azure *az, int kind, size_t i,
    const struct az_rate **out)
{
	size_t k;

	*out = NULL;
	for (k = 0; k < az->n_pm; k++)
		if (az->pm[k].az == az && az->pm[k].kind == kind &&
		    az->pm[k].i == i) {
			*out = az->pm[k].rates;
			return az->pm[k].n_rates;
		}
	return 0;
}

void
az_cr_add(struct az_pm *m, sim_time a, sim_time b)
{
	sim_time *n = realloc(m->cr, (m->n_cr + 1) * 2 * sizeof(*n));

	if (n == NULL)
		abort();
	m->cr = n;
	m->cr[2 * m->n_cr] = a;
	m->cr[2 * m->n_cr + 1] = b;
	m->n_cr++;
}

bool
az_in_create(const struct az_pm *m, sim_time t)
{
	size_t k;

	for (k = 0; k < m->n_cr; k++)
		if (t >= m->cr[2 * k] && t < m->cr[2 * k + 1])
			return true;
	return false;
}

bool
az_is(const char *v, const char *want)
{
	return v != NULL && strcmp(v, want) == 0;
}

/*
 * An ARM resource is there for others at t: it exists, its create has
 * completed and it is not being deleted (Failed still works: a circuit
 * whose bandwidth downgrade failed keeps carrying, B1).
 */
bool
az_ready(const struct prov_plan *p, const struct prov_res *r, sim_time t)
{
	const char *ps;

	if (r == NULL || !prov_exists(p, r, t))
		return false;
	ps = prov_get(p, r, PS, t);
	return ps != NULL && !az_is(ps, "Deleting") &&
	    !az_in_create(az_pm_of(r), t);
}

const char *
az_spps(const struct prov_plan *p, const struct az_circuit *ci, sim_time t)
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
	const struct az_pm *m = az_pm_of(r);

	if (m->kind == K_CIRCUIT)
		return az_ready(p, r, t) && az_is(prov_get(p, r, SPPS, t),
		    "Provisioned");
	/* a reset is a create interval too: down until it completes */
	if (m->kind == K_PEERING && m->oracle)
		return prov_exists(p, r, t) && !az_in_create(m, t);
	return az_ready(p, r, t);
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
	az_cr_add(az_pm_of(r), t0, t1);
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
void
az_refuse_missing(struct prov_ctx *c, const struct prov_res *r,
    const struct prov_res *dep)
{
	const struct prov_plan *p = prov_ctx_plan(c);
	const struct az_pm *d = dep != NULL ? az_pm_of(dep) : NULL;

	/* the resource itself (an update or delete of it): say so */
	if (dep == r && prov_exists(p, dep, prov_now(c)))
		prov_refuse(c, NULL, "%s '%s' is %s", prov_res_type(r)->type,
		    prov_res_name(r), az_in_create(d, prov_now(c)) ? "not "
		    "ready yet (provisioningState Updating)" : "being deleted");
	else if (dep == r)
		prov_refuse(c, "ResourceNotFound", "The Resource "
		    "'Microsoft.Network/%s/%s' was not found", arm_path[d->kind],
		    prov_res_name(r));
	else if (dep != NULL && prov_exists(p, dep, prov_now(c)))
		prov_refuse(c, NULL, "%s '%s' needs %s '%s', which is %s",
		    prov_res_type(r)->type, prov_res_name(r),
		    prov_res_type(dep)->type, prov_res_name(dep),
		    az_in_create(d, prov_now(c)) ? "not ready yet "
		    "(provisioningState Updating)" : "being deleted");
	else
		prov_refuse(c, "ResourceNotFound", "%s '%s' needs the Resource "
		    "'Microsoft.Network/%s/%s', which was not found",
		    prov_res_type(r)->type, prov_res_name(r),
		    dep != NULL ? arm_path[az_pm_of(dep)->kind] : "?",
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
		/* Oracle's comes with the virtual circuit, goes with this */
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

/* The gateway's sku (ARM sku.name) from t, as the file gives it. */
static void
gateway_sku(struct prov_ctx *c, struct prov_res *r, sim_time t)
{
	const struct az_pm *m = az_pm_of(r);
	int sku = m->az->gws[m->i].sku;

	if (sku > 0 && sku < AZ_SKU_MAX)
		prov_set(c, r, t, "sku", az_sku_names[sku - 1]);
}

/*
 * The resource r is a part of (one ARM PUT with it: a VNet's subnet, an
 * NSG's rule, a route table's route, a VM's NIC, a circuit's peering), or
 * NULL.
 */
static struct prov_res *
az_parent(const struct az_pm *m)
{
	const struct azure *az = m->az;

	switch (m->kind) {
	case K_SUBNET:
		return az->vnets[m->i].res;
	case K_RULE:
		return az->nsgs[m->i].res;
	case K_ROUTE:
		return az->rts[m->i].res;
	case K_NIC:
		return az->vms[m->i].res;
	case K_PEERING:
		return az->circuits[m->i].res;
	default:
		return NULL;
	}
}

/* Whether r's parent is created on the timeline (then it creates r). */
static bool
parent_on_timeline(const struct az_pm *m)
{
	const struct prov_res *par = az_parent(m);

	return par != NULL && az_pm_of(par)->timeline;
}

static void
circuit_settled(struct prov_ctx *c, struct prov_res *r, sim_time t,
    const char *provider_state)
{
	const struct az_pm *m = az_pm_of(r);
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

/*
 * Whether an OCI virtual circuit there from time zero (no create of the
 * timeline names it) depends on circuit ckt: then the provider side is
 * Provisioned from zero. One created on the timeline writes the circuit's
 * provider state and its Oracle peering when it provisions (the OCI
 * model), so from zero there is nothing to show.
 */
static bool
vc_from_zero(const struct prov_plan *p, const struct prov_res *ckt)
{
	const struct scenario *sc = prov_plan_scenario(p);
	size_t i;

	for (i = 0; ckt != NULL && i < prov_plan_n_res(p); i++) {
		const struct prov_res *x = prov_plan_res(p, i);

		if (strcmp(prov_res_type(x)->key, "virtual_circuits") == 0 &&
		    !prov_created_on_timeline(sc, "virtual_circuits",
		    prov_res_name(x)) && prov_depends_on(x, ckt))
			return true;
	}
	return false;
}

static void
az_initial(struct prov_ctx *c, struct prov_res *r)
{
	const struct az_pm *m = az_pm_of(r);
	bool vc = m->vc && vc_from_zero(prov_ctx_plan(c),
	    m->az->circuits[m->i].res);

	if (parent_on_timeline(m))
		return;
	/* Oracle's peering exists only once the OCI side provisioned it */
	if (m->kind == K_PEERING && m->oracle && !vc)
		return;
	prov_set(c, r, 0, PS, "Succeeded");
	if (m->kind == K_PEERING)
		prov_set(c, r, 0, "state", "Enabled");
	if (m->kind == K_GW)
		gateway_sku(c, r, 0);
	/*
	 * A circuit there from time zero is settled (issue 10's world):
	 * Provisioned, but for Oracle only when an OCI virtual circuit
	 * there from zero names it (3.1: the provider side is the virtual
	 * circuit, which writes this field from then on).
	 */
	if (m->kind == K_CIRCUIT)
		circuit_settled(c, r, 0, m->oracle && !vc ?
		    "NotProvisioned" : "Provisioned");
}

static sim_time
az_apply(struct prov_ctx *c, struct prov_res *r, enum prov_op op,
    const struct prov_kv *set, size_t n_set)
{
	const struct prov_plan *p = prov_ctx_plan(c);
	struct az_pm *m = az_pm_of(r);
	struct prov_res *kids[MAX_CHILDREN];
	sim_time now = prov_now(c), end;
	size_t n, k;

	switch (op) {
	case PROV_CREATE:
		if (az_create_refused(c, r))
			return now;
		end = now + draw_create(c, r);
		arm_created(c, r, now, end);
		if (m->kind == K_PEERING)
			prov_set(c, r, end, "state", "Enabled");
		/*
		 * 1.2: (NotProvisioned, Enabled) "from the moment the circuit
		 * is created": ARM shows them, the bandwidth and the service
		 * key while provisioningState is still Updating.
		 */
		if (m->kind == K_CIRCUIT)
			circuit_settled(c, r, now, "NotProvisioned");
		/*
		 * ExpressRoute Direct: no provider between (1.7), the
		 * circuit's own create provisions its side on the port
		 */
		if (m->kind == K_CIRCUIT && m->az->circuits[m->i].port != NULL)
			prov_set(c, r, end, SPPS, "Provisioned");
		if (m->kind == K_GW)
			gateway_sku(c, r, end);
		/* the children the timeline does not create come with it */
		n = children(m, kids, MAX_CHILDREN);
		for (k = 0; k < n; k++)
			if (!az_pm_of(kids[k])->timeline &&
			    !(az_pm_of(kids[k])->kind == K_PEERING &&
			    az_pm_of(kids[k])->oracle)) {
				arm_created(c, kids[k], now, end);
				if (az_pm_of(kids[k])->kind == K_PEERING)
					prov_set(c, kids[k], end, "state",
					    "Enabled");
			}
		return end;
	case PROV_DELETE:
		if (!prov_exists(p, r, now)) {
			az_refuse_missing(c, r, r);
			return now;
		}
		if (az_busy(c, r) || az_delete_refused(c, r))
			return now;
		end = now + draw_delete(c, r);
		arm_deleted(c, r, now, end);
		if (m->kind == K_CONN)
			az_conn_deleted(c, r);
		/* a gone circuit or gateway reads as gone, not as alive */
		if (m->kind == K_CIRCUIT) {
			prov_set(c, r, end, CPS, NULL);
			prov_set(c, r, end, SPPS, NULL);
			prov_set(c, r, end, BW, NULL);
		}
		if (m->kind == K_GW)
			prov_set(c, r, end, "sku", NULL);
		n = children(m, kids, MAX_CHILDREN);
		for (k = 0; k < n; k++) {
			if (!prov_exists(p, kids[k], now))
				continue;
			/* (Oracle's peering that never appeared just goes) */
			if (prov_get(p, kids[k], PS, now) != NULL)
				arm_deleted(c, kids[k], now, end);
			else
				prov_gone(c, kids[k], end);
			if (az_pm_of(kids[k])->kind == K_PEERING)
				prov_set(c, kids[k], end, "state", NULL);
		}
		return end;
	case PROV_UPDATE:
		if (prov_exists(p, r, now) && az_busy(c, r))
			return now;
		if (m->kind == K_CIRCUIT)
			return az_circuit_update(c, r, set, n_set);
		if (m->kind == K_GW)
			return az_gateway_update(c, r, set, n_set);
		if (m->kind == K_RULE)
			return az_rule_update(c, r, set, n_set);
		prov_refuse(c, NULL, "%s '%s': update is not modelled for this "
		    "type (circuits, gateways and security rules only)",
		    prov_res_type(r)->type, prov_res_name(r));
		return now;
	case PROV_RESET:
		if (prov_exists(p, r, now) && az_busy(c, r))
			return now;
		if (m->kind == K_PEERING)
			return az_peering_reset(c, r);
		break;
	case PROV_MAINTAIN:
		if (m->kind == K_CIRCUIT)
			return az_circuit_maintain(c, r, set, n_set);
		break;
	default:
		break;
	}
	prov_refuse(c, NULL, "%s '%s': Azure has no %s operation for this "
	    "type", prov_res_type(r)->type, prov_res_name(r), prov_op_name[op]);
	return now;
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
		s = az_gateway_subnet(az, g);
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
			az_pm_of(ci->res)->oracle = oracle;
#ifdef AZ_HAVE_OCI
			az_pm_of(ci->res)->vc = oracle && oci_vc_peering(d->sc,
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
			az_pm_of(ci->pp_res)->oracle = oracle;
			az_pm_of(ci->pp_res)->vc = az_pm_of(ci->res)->vc;
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
	struct azure *az = az_section(sc);
	struct decl d = { .p = p, .az = az, .sc = sc };
	size_t i;

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
	/*
	 * A part exists exactly while its parent does, unless the timeline
	 * creates it itself (provision.h prov_part_of): not before a VNet
	 * created on the timeline, gone with its delete, back with a
	 * re-create.
	 */
	for (i = 0; i < prov_plan_n_res(p); i++) {
		struct prov_res *r = prov_plan_res(p, i);

		if (strcmp(prov_res_type(r)->cloud, "azure") == 0)
			prov_part_of(r, az_parent(az_pm_of(r)));
	}
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
