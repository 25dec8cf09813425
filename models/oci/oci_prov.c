/*
 * oci_prov.c - the `oci` section's resources as the control plane sees
 * them (models/prov/provision.h): one prov_type per OCI resource with its
 * lifecycleState machine in OCI's spelling, its durations, what it
 * depends on, the nodes its state shows on, the refusals OCI answers at
 * the step where it answers them, and what a FastConnect virtual circuit
 * does to the ExpressRoute circuit its provider service key names (its
 * serviceProviderProvisioningState: cloud-facts 1.2, 3.1). docs/oci.md,
 * "Provisioning", has the tables, the facts and our choices.
 *
 * Identities (KEY/NAME, the timeline's words): vcns/VCN, subnets/VCN/SUBNET,
 * route_tables/VCN/TABLE, security_lists/VCN/LIST,
 * network_security_groups/VCN/NSG, instances/INSTANCE, drgs/DRG,
 * drg_attachments/DRG/ATTACHMENT, drg_route_tables/DRG/TABLE,
 * virtual_circuits/VC. The model of every resource is the section's
 * struct oci_sc; a resource finds its own record by its name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oci_prov.h"

/*
 * A resource kind but the virtual circuit: its lifecycleState names while
 * created, once ready, while deleted and once gone, the ranges of its
 * create and delete (no documented figure: our choice, docs/oci.md), and
 * what OCI refuses at its create and delete (true: refused).
 */
struct kind {
	struct prov_type t;		/* first: prov_res_type() is &t */
	const char *creating, *ready, *deleting, *gone;
	bool (*refuse_create)(struct prov_ctx *c, const struct oci_sc *o,
	    const char *name);
	bool (*refuse_delete)(struct prov_ctx *c, const struct oci_sc *o,
	    const char *name);
};

static const struct kind *
kind_of(const struct prov_res *r)
{
	return (const struct kind *)prov_res_type(r);
}

/* ---- the generic lifecycle ---- */

/*
 * The parts written under a VCN (subnets, route tables, security lists,
 * NSGs) or a DRG (its route tables) are one console action with it in
 * the file's shape: unless the timeline creates a part itself, it is
 * created with its parent, through the same states at the same times,
 * and exists exactly while its parent does (prov_part_of, declared with
 * part()): before its parent's create it is not there (404).
 * Not deleted with it: OCI refuses to delete a VCN or a DRG while its
 * parts exist (409, oci_prov_vcn_delete), so a timeline deletes them
 * first, as a user does.
 */
static const char *const vcn_parts[] = { "subnets", "route_tables",
	"security_lists", "network_security_groups", NULL };
static const char *const drg_parts[] = { "drg_route_tables", NULL };

static const char *const *
parts_of(const struct prov_res *r)
{
	const char *key = prov_res_type(r)->key;

	if (strcmp(key, "vcns") == 0)
		return vcn_parts;
	if (strcmp(key, "drgs") == 0)
		return drg_parts;
	return NULL;
}

/* The parent of a part ("VCN/NAME" under vcns, ...), or NULL. */
static const struct prov_res *
parent_of(const struct prov_plan *p, const struct prov_res *r)
{
	static const char *const parents[] = { "vcns", "drgs" };
	const char *key = prov_res_type(r)->key, *name = prov_res_name(r),
	    *slash = strchr(name, '/');
	char b[NAME2];
	size_t i, k;

	if (slash == NULL || (size_t)(slash - name) >= sizeof(b))
		return NULL;
	memcpy(b, name, (size_t)(slash - name));
	b[slash - name] = '\0';
	for (i = 0; i < 2; i++)
		for (k = 0; i == 0 ? vcn_parts[k] != NULL :
		    drg_parts[k] != NULL; k++)
			if (strcmp(key, i == 0 ? vcn_parts[k] :
			    drg_parts[k]) == 0)
				return prov_find_res(p, parents[i], b);
	return NULL;
}

/*
 * The parts of parent r not on the timeline follow its create: states
 * `creating` from now, `ready` from end.
 */
static void
parts_follow(struct prov_ctx *c, struct prov_res *r, sim_time now,
    sim_time end)
{
	const struct prov_plan *p = prov_ctx_plan(c);
	const struct scenario *sc = prov_plan_scenario(p);
	const char *const *parts = parts_of(r);
	char b[NAME2];
	size_t i, k;

	for (k = 0; parts != NULL && parts[k] != NULL; k++)
		for (i = 0; i < prov_plan_n_res(p); i++) {
			struct prov_res *x = prov_plan_res(p, i);
			const struct kind *xk = kind_of(x);

			if (strcmp(prov_res_type(x)->key, parts[k]) != 0 ||
			    parent_of(p, x) != r)
				continue;
			snprintf(b, sizeof(b), "%s", prov_res_name(x));
			if (prov_created_on_timeline(sc, parts[k], b))
				continue;
			prov_set(c, x, now, LS, xk->creating);
			prov_set(c, x, end, LS, xk->ready);
		}
}

static void
life_initial(struct prov_ctx *c, struct prov_res *r)
{
	const struct prov_res *par = parent_of(prov_ctx_plan(c), r);

	/*
	 * A part whose parent the timeline creates comes with that create
	 * (parts_follow); its parent, declared first, has no state at 0.
	 */
	if (par != NULL && prov_get(prov_ctx_plan(c), par, LS, 0) == NULL)
		return;
	prov_set(c, r, 0, LS, kind_of(r)->ready);
}

static bool
life_carries(const struct prov_plan *p, const struct prov_res *r, sim_time t)
{
	const char *s = prov_get(p, r, LS, t);

	return s != NULL && strcmp(s, kind_of(r)->ready) == 0;
}

/*
 * Whether an operation that started earlier still changes field of r
 * after now (the plan sets its states ahead): another operation now would
 * interleave with them.
 */
static bool
pending(const struct prov_plan *p, const struct prov_res *r,
    const char *field, sim_time now)
{
	return prov_get(p, r, field, now) != prov_get(p, r, field,
	    SIM_TIME_MAX);
}

/*
 * A resource in a transitional state takes no other operation: OCI
 * answers 409 "Resource ... is in an invalid state Provisioning" (B6).
 */
static bool
busy(struct prov_ctx *c, const struct prov_res *r, const char *what)
{
	const struct kind *k = kind_of(r);
	const char *s = prov_get(prov_ctx_plan(c), r, LS, prov_now(c));

	if (s == NULL || (strcmp(s, k->creating) != 0 &&
	    strcmp(s, k->deleting) != 0 && !pending(prov_ctx_plan(c), r, LS,
	    prov_now(c))))
		return false;
	prov_refuse(c, E409, "%s '%s' is in an invalid state %s (B6): wait "
	    "until its operation completes", what, prov_res_name(r), s);
	return true;
}

static sim_time
life_apply(struct prov_ctx *c, struct prov_res *r, enum prov_op op,
    const struct prov_kv *set, size_t n_set)
{
	const struct kind *k = kind_of(r);
	const struct oci_sc *o = prov_model(r);
	const char *name = prov_res_name(r);
	sim_time now = prov_now(c), d;

	switch (op) {
	case PROV_CREATE:
		if (k->refuse_create != NULL && k->refuse_create(c, o, name))
			return now;
		d = prov_draw(c, k->t.create_lo, k->t.create_hi);
		prov_set(c, r, now, LS, k->creating);
		prov_set(c, r, now + d, LS, k->ready);
		parts_follow(c, r, now, now + d);
		return now + d;
	case PROV_DELETE:
		if (busy(c, r, k->t.type) || (k->refuse_delete != NULL &&
		    k->refuse_delete(c, o, name)))
			return now;
		d = prov_draw(c, k->t.delete_lo, k->t.delete_hi);
		prov_set(c, r, now, LS, k->deleting);
		prov_set(c, r, now + d, LS, k->gone);
		prov_gone(c, r, now + d);
		return now + d;
	case PROV_UPDATE:
		/* the rules of a security list or an NSG (2.6) */
		if (busy(c, r, k->t.type))
			return now;
		return oci_prov_rules_update(c, r, set, n_set);
	default:
		prov_refuse(c, NULL, "%s '%s': %s is not modelled for a %s "
		    "(create and delete are)", k->t.type, name,
		    prov_op_name[op], k->t.type);
		return now;
	}
}

#define OPS_CD (1u << PROV_CREATE | 1u << PROV_DELETE)
#define KIND(...) KIND_(OPS_CD, __VA_ARGS__)
/* ... and with an update (of its rules: oci_prov_rules.c) */
#define KIND_U(...) KIND_(OPS_CD | 1u << PROV_UPDATE, __VA_ARGS__)
#define KIND_(ops_, key_, type_, title_, c_, r_, d_, g_, clo, chi, dlo, \
    dhi, rc, rd) { \
	.t = { .key = key_, .type = type_, .title = title_, .cloud = "oci", \
	    .initial = life_initial, .apply = life_apply, \
	    .carries = life_carries, .create_lo = clo, .create_hi = chi, \
	    .delete_lo = dlo, .delete_hi = dhi, .ops = ops_ }, \
	.creating = c_, .ready = r_, .deleting = d_, .gone = g_, \
	.refuse_create = rc, .refuse_delete = rd }

#define OCI_LIFE "PROVISIONING", "AVAILABLE", "TERMINATING", "TERMINATED"

/*
 * Durations: none documented (docs corpus searched): our choice. Titles:
 * the console's and the documents' words for each type.
 */
static const struct kind k_vcn = KIND("vcns", "Vcn", "VCN", OCI_LIFE,
    SIM_S(5), SIM_S(20), SIM_S(5), SIM_S(20), NULL, oci_prov_vcn_delete);
static const struct kind k_subnet = KIND("subnets", "Subnet", "subnet",
    OCI_LIFE, SIM_S(5), SIM_S(20), SIM_S(5), SIM_S(20),
    oci_prov_subnet_create, oci_prov_subnet_delete);
static const struct kind k_rt = KIND("route_tables", "RouteTable",
    "route table", OCI_LIFE, SIM_S(2), SIM_S(10), SIM_S(2), SIM_S(10),
    oci_prov_rt_create, oci_prov_rt_delete);
static const struct kind k_sl = KIND_U("security_lists", "SecurityList",
    "security list", OCI_LIFE, SIM_S(2), SIM_S(10), SIM_S(2), SIM_S(10),
    oci_prov_seclist_create, oci_prov_seclist_delete);
static const struct kind k_nsg = KIND_U("network_security_groups",
    "NetworkSecurityGroup", "network security group", OCI_LIFE, SIM_S(2),
    SIM_S(10), SIM_S(2), SIM_S(10), oci_prov_nsg_create,
    oci_prov_nsg_delete);
static const struct kind k_inst = KIND("instances", "Instance", "instance",
    "PROVISIONING", "RUNNING", "TERMINATING", "TERMINATED", MIN(1), MIN(3),
    SIM_S(30), MIN(2), oci_prov_instance_create, NULL);
static const struct kind k_drg = KIND("drgs", "Drg", "DRG", OCI_LIFE,
    MIN(1), MIN(3), MIN(1), MIN(3), NULL, oci_prov_drg_delete);
static const struct kind k_att = KIND("drg_attachments", "DrgAttachment",
    "DRG attachment", "ATTACHING", "ATTACHED", "DETACHING", "DETACHED",
    SIM_S(30), SIM_S(90), SIM_S(30), SIM_S(90), oci_prov_att_create,
    oci_prov_att_delete);
static const struct kind k_drt = KIND("drg_route_tables", "DrgRouteTable",
    "DRG route table", OCI_LIFE, SIM_S(2), SIM_S(10), SIM_S(2), SIM_S(10),
    oci_prov_drg_table_create, oci_prov_drg_table_delete);

/* ---- the FastConnect virtual circuit ---- */

#define VC_PROV_LO MIN(3)	/* PROVISIONING -> PROVISIONED */
#define VC_PROV_HI MIN(10)
#define VC_TERM_LO MIN(1)	/* TERMINATING -> TERMINATED */
#define VC_TERM_HI MIN(5)
#define VC_OFF_LO SIM_S(10)	/* bgpAdminState DISABLED -> INACTIVE */
#define VC_OFF_HI SIM_S(60)
#define VC_ON_LO SIM_S(30)	/* ENABLED: PROVISIONING -> PROVISIONED */
#define VC_ON_HI MIN(3)
/* How far the VC waits in PENDING_PROVIDER for its circuit's create. */
#define VC_PENDING_MAX SIM_S(7 * 24 * 3600)

static const struct oci_vc *
vc_of(const struct prov_res *r)
{
	return oci_prov_vc(prov_model(r), prov_res_name(r));
}

static struct prov_res *
circuit_of(const struct prov_plan *p, const struct oci_vc *vc)
{
	if (vc == NULL || vc->circuit[0] == '\0')
		return NULL;
	return prov_find_res(p, "express_route_circuits", vc->circuit);
}

/*
 * The circuit's private peering, which for the Oracle provider "appears
 * automatically" once the provider side is Provisioned (3.1): the azure
 * model declares it (peerings/CIRCUIT/AzurePrivatePeering) but applies
 * nothing to it when no operation names it, so its fields are written
 * where the provider side changes, here.
 */
static void
peering_state(struct prov_ctx *c, const struct oci_vc *vc, sim_time at,
    bool on)
{
	char b[NAME2];
	struct prov_res *pr;

	snprintf(b, sizeof(b), "%s/AzurePrivatePeering", vc->circuit);
	pr = prov_find_res(prov_ctx_plan(c), "peerings", b);
	/* one created by hand on the timeline (B2) has its own states */
	if (pr == NULL || prov_created_on_timeline(prov_plan_scenario(
	    prov_ctx_plan(c)), "peerings", b))
		return;
	if (on)
		prov_set(c, pr, at, "provisioningState", "Succeeded");
	prov_set(c, pr, at, "state", on ? "Enabled" : "Disabled");
}

static bool
circuit_ready(const struct prov_plan *p, const struct prov_res *ckt,
    sim_time t)
{
	const char *s = prov_get(p, ckt, "provisioningState", t);

	return prov_exists(p, ckt, t) && (s == NULL ||
	    strcmp(s, "Succeeded") == 0);
}

/*
 * When the circuit, existing at t0, has finished its own create (ARM
 * provisioningState Succeeded, set by the azure model): the provider side
 * can start then. -1 if not within VC_PENDING_MAX. Its states are those
 * its operations (all starting before t0) set, Updating then Succeeded:
 * the first time it is ready is found by bisection.
 */
static sim_time
circuit_ready_at(const struct prov_plan *p, const struct prov_res *ckt,
    sim_time t0)
{
	sim_time lo = t0, hi = t0 + VC_PENDING_MAX, mid;

	if (circuit_ready(p, ckt, t0))
		return t0;
	if (!circuit_ready(p, ckt, hi))
		return -1;
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (circuit_ready(p, ckt, mid))
			hi = mid;
		else
			lo = mid;
	}
	return hi;
}

static void
vc_initial(struct prov_ctx *c, struct prov_res *r)
{
	const struct oci_vc *vc = vc_of(r);
	struct prov_res *ckt = circuit_of(prov_ctx_plan(c), vc);

	prov_set(c, r, 0, "bgpAdminState", "ENABLED");
	if (vc != NULL && vc->circuit_later) {
		/* its circuit does not exist yet: nothing provisions it */
		prov_set(c, r, 0, LS, "PENDING_PROVIDER");
		prov_set(c, r, 0, "providerState", "INACTIVE");
		prov_note(c, r, 0, "ExpressRoute circuit %s is created on the "
		    "timeline: the virtual circuit waits for the provider "
		    "(create the virtual circuit after the circuit)",
		    vc->circuit);
		return;
	}
	prov_set(c, r, 0, LS, "PROVISIONED");
	prov_set(c, r, 0, "providerState", "ACTIVE");
	if (ckt != NULL)
		prov_set(c, ckt, 0, SPPS, "Provisioned");
}

static bool
vc_carries(const struct prov_plan *p, const struct prov_res *r, sim_time t)
{
	const char *s = prov_get(p, r, LS, t);
	const char *a = prov_get(p, r, "bgpAdminState", t);

	return s != NULL && strcmp(s, "PROVISIONED") == 0 &&
	    (a == NULL || strcmp(a, "DISABLED") != 0);
}

/*
 * The states an operation is taken in (NULL-terminated); in any other OCI
 * answers 409 "is in an invalid state" (B6). true when it refused.
 */
static bool
vc_busy(struct prov_ctx *c, const struct prov_res *r,
    const char *const *ok)
{
	const struct prov_plan *p = prov_ctx_plan(c);
	const char *s = prov_get(p, r, LS, prov_now(c));
	/* still PROVISIONED while disabling, PENDING_PROVIDER while created */
	bool moving = pending(p, r, LS, prov_now(c)) ||
	    pending(p, r, "bgpAdminState", prov_now(c));

	if (s == NULL)
		return false;
	for (; !moving && *ok != NULL; ok++)
		if (strcmp(s, *ok) == 0)
			return false;
	prov_refuse(c, E409, "virtual circuit '%s' is in an invalid state %s "
	    "(B6)%s", prov_res_name(r), s, moving ? ": an earlier operation "
	    "on it is still in progress" : "");
	return true;
}

static const char *const vc_settled[] = { "PROVISIONED", "INACTIVE",
	"PENDING_PROVIDER", "FAILED", NULL };
static const char *const vc_running[] = { "PROVISIONED", "INACTIVE", NULL };

/* The refusals of a create, in the order OCI validates (B2, 2.9, 3.1). */
static bool
vc_refuse_create(struct prov_ctx *c, const struct oci_vc *vc,
    const struct prov_res *ckt)
{
	const struct prov_plan *p = prov_ctx_plan(c);
	sim_time now = prov_now(c);
	const char *bw;
	char b[32];

	if (vc->refusal[0] != '\0') {
		prov_refuse(c, vc->refusal_code, "%s", vc->refusal);
		return true;
	}
	if (ckt != NULL && !prov_exists(p, ckt, now)) {
		prov_refuse(c, E404, "no ExpressRoute circuit has service key "
		    "'%s' at %s: circuit '%s' does not exist then (not yet "
		    "created, or deleted; B2)", vc->key,
		    units_fmt_time(b, sizeof(b), now), vc->circuit);
		return true;
	}
	if (vc->gateway != NULL && oci_prov_need(c, "virtual circuit",
	    vc->name, "drgs", "DRG (gateway_id)", vc->gateway))
		return true;
	bw = ckt != NULL ? prov_get(p, ckt, "bandwidthInMbps", now) : NULL;
	if (bw != NULL && vc->shape_bps != 0 &&
	    strtoull(bw, NULL, 10) * 1000000ULL != vc->shape_bps) {
		prov_refuse(c, E400, "bandwidth_shape_name '%s' differs from "
		    "ExpressRoute circuit '%s', %s Mbps: both sides take the "
		    "same bandwidth (3.1)", vc->shape, vc->circuit, bw);
		return true;
	}
	return false;
}

static sim_time
vc_create(struct prov_ctx *c, struct prov_res *r, const struct oci_vc *vc)
{
	const struct prov_plan *p = prov_ctx_plan(c);
	struct prov_res *ckt = circuit_of(p, vc);
	sim_time now = prov_now(c), start, done, d;

	/*
	 * A circuit there from time zero may have been settled Provisioned
	 * by the azure model when a virtual circuit names it; this one is
	 * created on the timeline, so its provider side was not there yet.
	 */
	if (ckt != NULL && prov_exists(p, ckt, 0) && !prov_exists(p, r, 0)) {
		const char *s0 = prov_get(p, ckt, SPPS, 0);

		/* (the same setting at now: nothing has changed it since) */
		if (s0 != NULL && strcmp(s0, "Provisioned") == 0 &&
		    prov_get(p, ckt, SPPS, now) == s0)
			prov_set(c, ckt, 0, SPPS, "NotProvisioned");
	}
	if (vc_refuse_create(c, vc, ckt))
		return now;
	d = prov_draw(c, VC_PROV_LO, VC_PROV_HI);
	prov_set(c, r, now, "bgpAdminState", "ENABLED");
	prov_set(c, r, now, "providerState", "INACTIVE");
	if (vc->kind == OCI_VC_PARTNER) {
		/*
		 * The partner is outside the scenario: as for an ExpressRoute
		 * circuit of another provider (docs/azure.md), the timeline
		 * stands in for it, `update: virtual_circuits/NAME, set: {
		 * provider_state: ACTIVE }` (2.1: PENDING_PROVIDER until the
		 * provider side is done).
		 */
		prov_set(c, r, now, LS, "PENDING_PROVIDER");
		prov_note(c, r, now, "waiting for partner \"%s\" to provision "
		    "its side (the timeline's update provider_state: ACTIVE "
		    "stands for it)", vc->provider);
		return now;
	}
	start = ckt != NULL ? circuit_ready_at(p, ckt, now) : now;
	if (start != now)
		prov_set(c, r, now, LS, "PENDING_PROVIDER");
	if (start < 0) {
		prov_note(c, r, now, "ExpressRoute circuit %s does not finish "
		    "its create: the provider side never starts",
		    vc->circuit);
		return now;
	}
	done = start + d;
	prov_set(c, r, start, LS, "PROVISIONING");
	prov_set(c, r, done, LS, "PROVISIONED");
	prov_set(c, r, done, "providerState", "ACTIVE");
	if (ckt != NULL) {
		prov_set(c, ckt, start, SPPS, "Provisioning");
		prov_set(c, ckt, done, SPPS, "Provisioned");
		peering_state(c, vc, done, true);
	}
	return done;
}

static sim_time
vc_delete(struct prov_ctx *c, struct prov_res *r, const struct oci_vc *vc)
{
	const struct prov_plan *p = prov_ctx_plan(c);
	struct prov_res *ckt = circuit_of(p, vc);
	sim_time now = prov_now(c), d;
	const char *s;

	if (vc_busy(c, r, vc_settled))
		return now;
	d = prov_draw(c, VC_TERM_LO, VC_TERM_HI);
	prov_set(c, r, now, LS, "TERMINATING");
	prov_set(c, r, now, "providerState", "INACTIVE");
	prov_set(c, r, now + d, LS, "TERMINATED");
	prov_gone(c, r, now + d);
	s = ckt != NULL && prov_exists(p, ckt, now) ?
	    prov_get(p, ckt, SPPS, now) : NULL;
	if (s != NULL && strcmp(s, "NotProvisioned") != 0) {
		prov_set(c, ckt, now, SPPS, "Deprovisioning");
		prov_set(c, ckt, now + d, SPPS, "NotProvisioned");
		peering_state(c, vc, now + d, false);
	}
	return now + d;
}

static sim_time
vc_admin(struct prov_ctx *c, struct prov_res *r, bool on)
{
	sim_time now = prov_now(c), d;
	const char *s = prov_get(prov_ctx_plan(c), r, LS, now);

	if (vc_busy(c, r, vc_running))
		return now;
	if (s != NULL && strcmp(s, on ? "PROVISIONED" : "INACTIVE") == 0)
		return now;		/* already so: nothing changes */
	if (on) {
		d = prov_draw(c, VC_ON_LO, VC_ON_HI);
		prov_set(c, r, now, "bgpAdminState", "ENABLED");
		prov_set(c, r, now, LS, "PROVISIONING");
		prov_set(c, r, now + d, LS, "PROVISIONED");
	} else {
		d = prov_draw(c, VC_OFF_LO, VC_OFF_HI);
		prov_set(c, r, now, "bgpAdminState", "DISABLED");
		prov_set(c, r, now + d, LS, "INACTIVE");
	}
	return now + d;
}

/*
 * The partner provisions its side of a partner virtual circuit waiting in
 * PENDING_PROVIDER: providerState ACTIVE, then PROVISIONING and
 * PROVISIONED after the drawn time (2.1). The timeline stands in for the
 * partner, as it does for an ExpressRoute circuit's provider.
 */
static sim_time
vc_provider(struct prov_ctx *c, struct prov_res *r, const struct oci_vc *vc,
    const char *val)
{
	const struct prov_plan *p = prov_ctx_plan(c);
	sim_time now = prov_now(c), d;
	const char *s = prov_get(p, r, LS, now);

	if (vc->kind != OCI_VC_PARTNER) {
		prov_refuse(c, NULL, "virtual circuit '%s': providerState is "
		    "a partner's to set; %s", vc->name,
		    vc->kind == OCI_VC_AZURE ? "with Microsoft Azure it "
		    "follows the ExpressRoute circuit (3.1)" : "a DEDICATED "
		    "one has no provider");
		return now;
	}
	if (strcmp(val, "ACTIVE") != 0) {
		prov_refuse(c, NULL, "virtual circuit '%s': the partner sets "
		    "provider_state ACTIVE (modelled), not '%s' (2.1)",
		    vc->name, val);
		return now;
	}
	if (s == NULL || strcmp(s, "PENDING_PROVIDER") != 0) {
		prov_refuse(c, E409, "virtual circuit '%s' is in an invalid "
		    "state %s: the partner provisions one in PENDING_PROVIDER "
		    "(2.1, B6)", vc->name, s != NULL ? s : "none (it does "
		    "not exist)");
		return now;
	}
	d = prov_draw(c, VC_PROV_LO, VC_PROV_HI);
	prov_set(c, r, now, "providerState", "ACTIVE");
	prov_set(c, r, now, LS, "PROVISIONING");
	prov_set(c, r, now + d, LS, "PROVISIONED");
	return now + d;
}

static sim_time
vc_apply(struct prov_ctx *c, struct prov_res *r, enum prov_op op,
    const struct prov_kv *set, size_t n_set)
{
	const struct oci_vc *vc = vc_of(r);
	sim_time now = prov_now(c);
	size_t i;

	if (vc == NULL)
		return now;
	switch (op) {
	case PROV_CREATE:
		return vc_create(c, r, vc);
	case PROV_DELETE:
		return vc_delete(c, r, vc);
	case PROV_ENABLE:
		return vc_admin(c, r, true);
	case PROV_DISABLE:
		return vc_admin(c, r, false);
	case PROV_UPDATE:
		if (n_set == 1 && strcmp(set[0].key, "provider_state") == 0)
			return vc_provider(c, r, vc, set[0].value);
		/* bgp_admin_state is what enable/disable write (2.9) */
		for (i = 0; i < n_set; i++)
			if (strcmp(set[i].key, "bgp_admin_state") != 0 ||
			    (strcmp(set[i].value, "ENABLED") != 0 &&
			    strcmp(set[i].value, "DISABLED") != 0)) {
				prov_refuse(c, NULL, "virtual circuit '%s': "
				    "updating %s is not modelled (its data "
				    "plane is fixed at load); bgp_admin_state "
				    "ENABLED or DISABLED is", vc->name,
				    set[i].key);
				return now;
			}
		if (n_set == 0)
			return now;
		return vc_admin(c, r, strcmp(set[n_set - 1].value,
		    "ENABLED") == 0);
	case PROV_MAINTAIN:
		/*
		 * Planned FastConnect maintenance (2.8): Oracle's edge of
		 * that link tags and prepends while it lasts. Only on a
		 * virtual circuit that carries traffic; the refusal's words
		 * are ours (Oracle schedules maintenance, no API error).
		 */
		if (!vc_carries(prov_ctx_plan(c), r, now)) {
			const char *ls = prov_get(prov_ctx_plan(c), r, LS,
			    now);

			prov_refuse(c, NULL, "virtual circuit '%s' carries no "
			    "traffic (lifecycleState %s): there is nothing to "
			    "maintain", vc->name, ls != NULL ? ls :
			    "none: it does not exist");
			return now;
		}
		return prov_maintain(c, r, set, n_set);
	default:
		prov_refuse(c, NULL, "virtual circuit '%s': %s is not an "
		    "operation of a FastConnect virtual circuit", vc->name,
		    prov_op_name[op]);
		return now;
	}
}

static const struct prov_type t_vc = {
	.key = "virtual_circuits", .type = "VirtualCircuit",
	.title = "FastConnect virtual circuit", .cloud = "oci",
	.initial = vc_initial, .apply = vc_apply, .carries = vc_carries,
	.create_lo = VC_PROV_LO, .create_hi = VC_PROV_HI,
	.delete_lo = VC_TERM_LO, .delete_hi = VC_TERM_HI,
	.ops = 1u << PROV_CREATE | 1u << PROV_UPDATE | 1u << PROV_DELETE |
	    1u << PROV_ENABLE | 1u << PROV_DISABLE | 1u << PROV_MAINTAIN,
};

/* ---- declaring the section's resources ---- */

static struct prov_res *
add(struct prov_plan *p, const struct kind *k, const struct prov_type *t,
    struct oci_sc *o, const char *parent, const char *name,
    struct sc_loc loc)
{
	char b[NAME2];

	if (name == NULL)
		return NULL;
	if (parent != NULL)
		snprintf(b, sizeof(b), "%s/%s", parent, name);
	else
		snprintf(b, sizeof(b), "%s", name);
	/* the model is the whole section: a resource finds itself by name */
	return prov_add(p, k != NULL ? &k->t : t, b, loc, o);
}

static void
depend(struct prov_res *r, struct prov_res *dep)
{
	if (r != NULL && dep != NULL)
		prov_depend(r, dep);
}

/*
 * A part of parent (parts_of): it depends on it, and exists while it does
 * unless the timeline creates it itself (prov_part_of).
 */
static void
part(struct prov_res *r, struct prov_res *parent)
{
	if (r != NULL && parent != NULL) {
		prov_depend(r, parent);
		prov_part_of(r, parent);
	}
}

static void
show(struct prov_res *r, const char *node)
{
	if (r != NULL && node != NULL)
		prov_show_on(r, node);
}

static void
declare_vcn(struct prov_plan *p, struct oci_sc *o,
    const struct oci_vcn *v)
{
	struct prov_res *rv = add(p, &k_vcn, NULL, o, NULL, v->name, v->loc),
	    *x;
	size_t i;

	show(rv, v->name);
	for (i = 0; i < v->n_subnets; i++) {
		x = add(p, &k_subnet, NULL, o, v->name, v->subnets[i].name,
		    v->subnets[i].loc);
		part(x, rv);
		show(x, v->name);
	}
	for (i = 0; i < v->n_rts; i++) {
		x = add(p, &k_rt, NULL, o, v->name, v->rts[i].name,
		    v->rts[i].loc);
		part(x, rv);
		show(x, v->name);
	}
	for (i = 0; i < v->n_sls; i++) {
		x = add(p, &k_sl, NULL, o, v->name, v->sls[i].name,
		    v->sls[i].loc);
		part(x, rv);
		show(x, v->name);
	}
	for (i = 0; i < v->n_nsgs; i++) {
		x = add(p, &k_nsg, NULL, o, v->name, v->nsgs[i].name,
		    v->nsgs[i].loc);
		part(x, rv);
		show(x, v->name);
	}
}

static void
declare_vc(struct prov_plan *p, struct oci_sc *o, const struct oci_vc *vc)
{
	struct prov_res *r = add(p, NULL, &t_vc, o, NULL, vc->name, vc->loc);
	char edge[NAME2];
	size_t k;

	if (r == NULL)
		return;
	if (vc->gateway != NULL)
		depend(r, prov_find_res(p, "drgs", vc->gateway));
	depend(r, circuit_of(p, vc));
	if (!vc->ok)
		return;		/* never expanded: no edge, no session */
	prov_follow(r, "bgpSessionState", false, "UP", "DOWN");
	for (k = 0; k < vc->n_maps && k < 2; k++) {
		ic_oracle_edge_name(edge, sizeof(edge), vc->name, o->n_vcs,
		    (enum ic_path)k);
		show(r, edge);
		prov_follow_session(r, "bgpSessionState", edge,
		    vc->maps[k].customer);
	}
}

static void
declare_drg(struct prov_plan *p, struct oci_sc *o,
    const struct oci_drg *g)
{
	struct prov_res *rg = prov_find_res(p, "drgs", g->name), *x;
	size_t i;

	for (i = 0; i < g->n_tables; i++) {
		x = add(p, &k_drt, NULL, o, g->name, g->tables[i].name,
		    g->tables[i].loc);
		part(x, rg);
		show(x, g->name);
	}
	for (i = 0; i < g->n_atts; i++) {
		const struct oci_drg_attachment *a = &g->atts[i];

		x = add(p, &k_att, NULL, o, g->name, a->name, a->loc);
		depend(x, rg);
		show(x, g->name);
		if (a->nd.id == NULL)
			continue;
		if (a->nd.type == OCI_ATT_VCN) {
			depend(x, prov_find_res(p, "vcns", a->nd.id));
			show(x, a->nd.id);
		} else {
			depend(x, prov_find_res(p, "virtual_circuits",
			    a->nd.id));
		}
	}
}

static void
declare(struct prov_plan *p, const struct scenario *sc)
{
	size_t n = 0, i, j;
	struct oci_sc *o = scenario_section(sc, "oci", &n);
	struct prov_res *x;

	if (o == NULL || n == 0)
		return;
	/* this plan's updates only (a file is compiled once a load) */
	oci_rules_reset(o);
	for (i = 0; i < o->n_vcns; i++)
		if (o->vcns[i].name != NULL)
			declare_vcn(p, o, &o->vcns[i]);
	for (i = 0; i < o->n_drgs; i++)
		show(add(p, &k_drg, NULL, o, NULL, o->drgs[i].name,
		    o->drgs[i].loc), o->drgs[i].name);
	for (i = 0; i < o->n_vcs; i++)
		if (o->vcs[i].name != NULL)
			declare_vc(p, o, &o->vcs[i]);
	for (i = 0; i < o->n_drgs; i++)
		if (o->drgs[i].name != NULL)
			declare_drg(p, o, &o->drgs[i]);
	for (i = 0; i < o->n_insts; i++) {
		const struct oci_instance *in = &o->insts[i];

		x = add(p, &k_inst, NULL, o, NULL, in->name, in->loc);
		show(x, in->name);
		for (j = 0; j < in->n_vnics; j++)
			if (in->vnics[j].subnet != NULL)
				depend(x, prov_find_res(p, "subnets",
				    in->vnics[j].subnet));
	}
}

const struct prov_cloud oci_prov_cloud = {
	.name = "oci",
	.resources = declare,
};
