/*
 * azure_prov_int.h - what azure_prov.c (the types, their initial states,
 * the operations' dispatch, the declaration of the section's resources)
 * and azure_prov_ops.c (the refusals and the operations beyond ARM's
 * create and delete) share. Private to models/azure.
 */
#ifndef XCSIM_AZURE_PROV_INT_H
#define XCSIM_AZURE_PROV_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "azure_int.h"
#include "provision.h"

/* The state fields, as ARM spells them (1.2, 1.8). */
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
	size_t i, j;		/* index; the child's for nested kinds */
	bool timeline;		/* a create of the timeline names it */
	bool oracle;		/* circuit, peering: provider Oracle */
	bool vc;		/* ... and an OCI virtual circuit names it */
	uint64_t seed;		/* the service key's */
	sim_time *cr;		/* its creates, [cr[2k], cr[2k + 1]) */
	size_t n_cr;
	struct az_rate *rates;	/* its accepted rate updates, in order */
	size_t n_rates;
	struct az_upd *upds;	/* a security rule's accepted updates */
	size_t n_upds;
};

/*
 * Durations. The gateway's "45 minutes or more" is Microsoft's (1.7, B5);
 * its upper bound and every other range are our choice (no documented
 * time found): seconds for the ARM resources that are configuration,
 * minutes for VMs, circuits, peerings and connections. docs/azure.md.
 */
#define AZ_S(x) SIM_S(x)
#define AZ_MIN(x) SIM_S((x) * 60)
#define CIRCUIT_UPDATE_LO AZ_MIN(1)
#define CIRCUIT_UPDATE_HI AZ_MIN(5)
#define PROVIDER_LO AZ_MIN(5)	/* a provider other than Oracle working */
#define PROVIDER_HI AZ_MIN(15)
#define RESIZE_LO AZ_MIN(5)	/* "up to 30 min" (1.6, B5); 5 is ours */
#define RESIZE_HI AZ_MIN(30)
#define RESET_LO AZ_S(30)		/* a peering reset (1.5): our choice */
#define RESET_HI AZ_MIN(2)


/*
 * An accepted update that changes a data-plane rate, at its completion:
 * a circuit's bandwidth_in_mbps (value in Mbps) or a gateway's sku (value
 * an az_sku_names index + 1, as az_sku_fact takes).
 */
struct az_rate {
	sim_time at;
	uint32_t value;
};

/*
 * An accepted update of a security rule, at its completion: the fields
 * it set (the plan's, alive as long as the plan), from then on.
 */
struct az_upd {
	sim_time at;
	const struct prov_kv *set;
	size_t n_set;
};

struct az_pm *az_pm_of(const struct prov_res *r);
void az_rate_add(struct az_pm *m, sim_time at, uint32_t value);
/*
 * The rate updates of circuit (K_CIRCUIT) or gateway (K_GW) i of az on
 * the timeline compiled for it, in timeline order: how many, *out the
 * first (0 and NULL without a timeline or an update).
 */
size_t az_rate_changes(const struct azure *az, int kind, size_t i,
    const struct az_rate **out);
/* [a, b) is a create (or a reset) of m's resource: it does not carry. */
void az_cr_add(struct az_pm *m, sim_time a, sim_time b);
bool az_in_create(const struct az_pm *m, sim_time t);
bool az_is(const char *v, const char *want);
/* r exists at t, its create completed, not being deleted. */
bool az_ready(const struct prov_plan *p, const struct prov_res *r,
    sim_time t);
const char *az_spps(const struct prov_plan *p, const struct az_circuit *ci,
    sim_time t);
/* ResourceNotFound for dep (or dep not ready) when r needs it. */
void az_refuse_missing(struct prov_ctx *c, const struct prov_res *r,
    const struct prov_res *dep);
const struct az_subnet *az_gateway_subnet(const struct azure *az,
    const struct az_gw *g);

/* azure_prov_ops.c: true when it refused (prov_refuse called). */
bool az_create_refused(struct prov_ctx *c, struct prov_res *r);
/* A connection's delete done: its circuit Failed if torn down out of
 * order (3.1). */
void az_conn_deleted(struct prov_ctx *c, struct prov_res *r);
/*
 * An earlier operation on r still has states to come (a create, delete,
 * update or reset running): refused, ARM's AnotherOperationInProgress.
 */
bool az_busy(struct prov_ctx *c, const struct prov_res *r);
/* A subnet or VNet in use, a circuit or peering still linked (B1, 3.1). */
bool az_delete_refused(struct prov_ctx *c, struct prov_res *r);
/* The operations beyond create and delete; each returns its end. */
sim_time az_circuit_update(struct prov_ctx *c, struct prov_res *r,
    const struct prov_kv *set, size_t n_set);
sim_time az_gateway_update(struct prov_ctx *c, struct prov_res *r,
    const struct prov_kv *set, size_t n_set);
sim_time az_peering_reset(struct prov_ctx *c, struct prov_res *r);
/*
 * Planned maintenance of one link of a circuit (1.7): refused unless the
 * circuit carries traffic; then prov_maintain.
 */
sim_time az_circuit_maintain(struct prov_ctx *c, struct prov_res *r,
    const struct prov_kv *set, size_t n_set);
/* azure_prov_rule.c: a security rule's update (2.6, B4). */
sim_time az_rule_update(struct prov_ctx *c, struct prov_res *r,
    const struct prov_kv *set, size_t n_set);

#endif
