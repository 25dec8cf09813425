/*
 * azure_prov_testutil.h - the Azure timeline tests' file maker and
 * assertions (test_azure_prov.c, test_azure_prov_ops.c): a hub with a
 * gateway, circuits and connections shaped by struct opts, its plan, and
 * exact checks of fields, carrying and operations' outcomes.
 */
#ifndef XCSIM_AZURE_PROV_TESTUTIL_H
#define XCSIM_AZURE_PROV_TESTUTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "interconnect.h"
#include "provision_int.h"
#include "scenario.h"
#include "scenario_expand.h"
#include "scenario_models.h"
#include "scenario_testutil.h"
#include "testutil.h"

#define TEXT_MAX 16384
#define SEED 42
#define MIN(x) SIM_S((x) * 60)

/* What the file is made of; zero values are the plain hub. */
struct opts {
	const char *gws_name;	/* default GatewaySubnet */
	const char *gws_prefix;	/* default 10.1.255.0/27 */
	const char *gw_sku;	/* default UltraPerformance */
	const char *provider;	/* default Equinix */
	unsigned peer_asn;	/* default 65001 */
	unsigned n_circuits;	/* er, er1, ...; default 1 */
	bool no_conns;		/* no connections section */
	bool nic_in_gws;	/* a second VM with its NIC in GatewaySubnet */
	bool nsg;		/* app-nsg on subnet app, rule AllowDb */
	bool rt;		/* app-rt on subnet app, route nva */
	const char *extra_subnet;	/* one more subnet line */
	uint64_t seed;		/* default SEED */
	const char *timeline;	/* its items, or NULL: no timeline */
};

static inline char *
az_text(const struct opts *o)
{
	char *t = malloc(TEXT_MAX);
	size_t used = 0, i, n = o->n_circuits ? o->n_circuits : 1;

	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
#define ADD(...) used += (size_t)snprintf(t + used, TEXT_MAX - used, \
	__VA_ARGS__)
	ADD("duration: 3h\nseed: %llu\nazure:\n  virtual_networks:\n"
	    "    - name: hub\n      location: eastus\n"
	    "      address_space: { address_prefixes: [10.1.0.0/16] }\n"
	    "      subnets:\n"
	    "        - { name: app, address_prefix: 10.1.1.0/24%s%s }\n"
	    "        - { name: %s, address_prefix: %s }\n",
	    (unsigned long long)(o->seed ? o->seed : SEED),
	    o->nsg ? ", network_security_group: app-nsg" : "",
	    o->rt ? ", route_table: app-rt" : "",
	    o->gws_name ? o->gws_name : "GatewaySubnet",
	    o->gws_prefix ? o->gws_prefix : "10.1.255.0/27");
	if (o->extra_subnet != NULL)
		ADD("        - %s\n", o->extra_subnet);
	if (o->nsg)
		ADD("  network_security_groups:\n    - name: app-nsg\n"
		    "      security_rules:\n        - { name: AllowDb, "
		    "priority: 100, direction: Inbound, access: Allow, "
		    "protocol: Tcp, destination_port_range: \"1521\" }\n");
	if (o->rt)
		ADD("  route_tables:\n    - name: app-rt\n      routes: [{ "
		    "name: nva, address_prefix: 10.9.0.0/16, next_hop_type: "
		    "VirtualAppliance, next_hop_ip_address: 10.1.1.10 }]\n");
	ADD("  virtual_machines:\n    - name: app-vm\n"
	    "      network_interfaces: [{ name: app-nic, subnet: hub/app }]\n");
	if (o->nic_in_gws)
		ADD("    - name: gw-vm\n      network_interfaces: [{ name: "
		    "gw-nic, subnet: hub/GatewaySubnet }]\n");
	ADD("  virtual_network_gateways:\n    - { name: hub-gw, sku: %s, "
	    "virtual_network: hub }\n", o->gw_sku ? o->gw_sku :
	    "UltraPerformance");
	ADD("  express_route_circuits:\n");
	for (i = 0; i < n; i++) {
		char name[16];

		snprintf(name, sizeof(name), i == 0 ? "er" : "er%zu", i);
		ADD("    - name: %s\n      service_provider_name: %s\n"
		    "      peering_location: loc%zu\n"
		    "      bandwidth_in_mbps: 1000\n", name,
		    o->provider ? o->provider : "Equinix", i);
		if (o->provider != NULL)
			continue;
		ADD("      private_peering:\n"
		    "        primary_peer_address_prefix: 192.168.%zu.128/30\n"
		    "        secondary_peer_address_prefix: 192.168.%zu.132/30\n"
		    "        vlan_id: 100\n        peer_asn: %u\n", 100 + i,
		    100 + i, o->peer_asn ? o->peer_asn : 65001);
	}
	if (!o->no_conns) {
		ADD("  connections:\n");
		for (i = 0; i < n; i++) {
			char c[16];

			snprintf(c, sizeof(c), i == 0 ? "er" : "er%zu", i);
			ADD("    - { name: hub-%s, virtual_network_gateway: "
			    "hub-gw, express_route_circuit: %s }\n", c, c);
		}
	}
	if (o->timeline != NULL)
		ADD("timeline:\n%s", o->timeline);
#undef ADD
	CU_ASSERT_FATAL(used < TEXT_MAX);
	return t;
}

/* Loads o's file, which must have no error; its plan in *p. */
static inline struct scenario *
load_ok(const struct opts *o, const struct prov_plan **p)
{
	char *text = az_text(o), *diag = NULL;
	unsigned n = 0;
	struct scenario *sc = load(text, &diag, &n);

	if (sc == NULL || n != 0)
		fprintf(stderr, "%s\n%s", text, diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	*p = prov_plan_of(sc);
	CU_ASSERT_PTR_NOT_NULL_FATAL(*p);
	free(text);
	free(diag);
	return sc;
}

/* Loads o's file, which must fail with msg among its errors. */
static inline void
load_fails(const struct opts *o, const char *msg)
{
	char *text = az_text(o), *diag = NULL;
	unsigned n = 0;
	struct scenario *sc = load(text, &diag, &n);

	if (sc != NULL || strstr(diag, msg) == NULL)
		fprintf(stderr, "want: %s\ngot:\n%s", msg, diag);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT_PTR_NOT_NULL(strstr(diag, msg));
	scenario_free(sc);
	free(text);
	free(diag);
}

static inline const char *
field(const struct prov_plan *p, const char *key, const char *name,
    const char *f, sim_time t)
{
	const struct prov_res *r = prov_find_res(p, key, name);

	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	return prov_get(p, r, f, t);
}

#define FIELD_IS(p, key, name, f, t, want) do { \
	const char *v_ = field(p, key, name, f, t); \
	if (v_ == NULL || strcmp(v_, want) != 0) \
		fprintf(stderr, "%s/%s %s at %lld: %s, want %s\n", key, name, \
		    f, (long long)(t), v_ ? v_ : "(none)", want); \
	CU_ASSERT_PTR_NOT_NULL(v_); \
	if (v_ != NULL) \
		CU_ASSERT_STRING_EQUAL(v_, want); \
} while (0)

static inline bool
carries(const struct prov_plan *p, const char *key, const char *name,
    sim_time t)
{
	const struct prov_res *r = prov_find_res(p, key, name);

	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	return prov_steps_at(&r->carry, t);
}

/* Operation i succeeded, from start to end. */
static inline void
op_ok(const struct prov_plan *p, size_t i, sim_time start, sim_time end)
{
	const struct prov_opr *o = &p->ops[i];

	CU_ASSERT_FATAL(i < p->n_ops);
	if (o->refused)
		fprintf(stderr, "op %zu refused: %s\n", i, o->error);
	CU_ASSERT_FALSE(o->refused);
	CU_ASSERT_EQUAL(o->start, start);
	CU_ASSERT_EQUAL(o->end, end);
}

/* Operation i was refused at start with exactly error. */
static inline void
op_refused(const struct prov_plan *p, size_t i, sim_time start,
    const char *error)
{
	const struct prov_opr *o = &p->ops[i];

	CU_ASSERT_FATAL(i < p->n_ops);
	if (!o->refused || o->error == NULL || strcmp(o->error, error) != 0)
		fprintf(stderr, "op %zu: %s\nwant: %s\n", i,
		    o->error ? o->error : "(not refused)", error);
	CU_ASSERT_TRUE(o->refused);
	CU_ASSERT_EQUAL(o->start, start);
	CU_ASSERT_PTR_NOT_NULL_FATAL(o->error);
	CU_ASSERT_STRING_EQUAL(o->error, error);
}

static inline sim_time
draw(size_t op, sim_time lo, sim_time hi)
{
	return prov_draw_raw(SEED, op, 0, lo, hi);
}

#endif
