/*
 * test_azure_prov_run.c - the Azure timeline end to end: the data plane
 * follows the control plane (models/azure/azure_prov.c, the gates on the
 * expansion's items, models/gates, models/prov). A gateway created at 0
 * (45 minutes or more, 1.7) and the connection created after it: a ping
 * from on-premises to a VM fails before the connection completes, works
 * after, and fails again once the connection is deleted (its links and
 * sessions go with it); the resources' states are asserted at exact times.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "provision_int.h"
#include "scenario.h"
#include "scenario_models.h"
#include "scenario_testutil.h"
#include "testutil.h"
#include "cloud_base_testutil.h"

/*
 * A hand-written CE peering with the circuit's MSEEs (as
 * tests/fuzz/scenario/azure.yaml); the gateway takes 45m (its `duration`),
 * the connection 2m after it: it carries from 47m. The MSEEs' eBGP MRAI
 * (30 s) passes before the pings of 2910s. The connection is deleted at
 * 55m (Deleting from then, 1m).
 */
static const char text[] =
    "name: azure-prov-run\nduration: 1h\nseed: 7\n"
    "nodes:\n"
    "  - name: ce\n    role: router\n    interfaces:\n"
    "      - { name: to-msee1, address: 192.168.100.129/30, vlan: 100 }\n"
    "      - { name: to-msee2, address: 192.168.100.133/30, vlan: 100 }\n"
    "      - { name: lan, address: 172.16.5.1/24 }\n"
    "  - name: onprem\n    role: host\n"
    "    interfaces: [{ name: eth0, address: 172.16.5.10/24 }]\n"
    "    routes: [{ prefix: 0.0.0.0/0, via: 172.16.5.1 }]\n"
    "links:\n"
    "  - { name: pp1, a: ce:to-msee1, b: msee-primary:private-peering, "
    "delay: 1ms }\n"
    "  - { name: pp2, a: ce:to-msee2, b: msee-secondary:private-peering, "
    "delay: 1ms }\n"
    "  - { name: lan, a: ce:lan, b: onprem:eth0, delay: 100us }\n"
    "bgp:\n  - node: ce\n    asn: 65001\n    neighbors:\n"
    "      - { address: 192.168.100.130, remote_as: 12076 }\n"
    "      - { address: 192.168.100.134, remote_as: 12076 }\n"
    "    networks: [{ prefix: 172.16.5.0/24 }]\n"
    "azure:\n  virtual_networks:\n    - name: hub\n"
    "      location: eastus\n"
    "      address_space: { address_prefixes: [10.1.0.0/16] }\n"
    "      subnets:\n"
    "        - { name: app, address_prefix: 10.1.1.0/24 }\n"
    "        - { name: GatewaySubnet, address_prefix: 10.1.255.0/27 }\n"
    "  virtual_machines:\n    - name: app-vm\n"
    "      network_interfaces: [{ name: app-nic, subnet: hub/app }]\n"
    "  virtual_network_gateways:\n"
    "    - { name: hub-gw, sku: Standard, virtual_network: hub }\n"
    "  express_route_circuits:\n    - name: er\n"
    "      service_provider_name: Equinix\n"
    "      peering_location: Washington DC\n"
    "      bandwidth_in_mbps: 1000\n"
    "      private_peering:\n"
    "        primary_peer_address_prefix: 192.168.100.128/30\n"
    "        secondary_peer_address_prefix: 192.168.100.132/30\n"
    "        vlan_id: 100\n        peer_asn: 65001\n"
    "  connections:\n"
    "    - { name: hub-er, virtual_network_gateway: hub-gw, "
    "express_route_circuit: er }\n"
    "timeline:\n"
    "  - { id: gw, at: 0s, duration: 45m, create: "
    "virtual_network_gateways/hub-gw }\n"
    "  - { id: cn, after: gw, duration: 2m, create: connections/hub-er }\n"
    "  - { at: 55m, duration: 1m, delete: connections/hub-er }\n"
    "apps:\n"
    "  - { name: before, type: ping, node: onprem, dst: 10.1.1.4, "
    "start: 46m, interval: 1s, count: 3 }\n"
    "  - { name: after, type: ping, node: onprem, dst: 10.1.1.4, "
    "start: 2910s, interval: 1s, count: 3 }\n"
    "  - { name: deleted, type: ping, node: onprem, dst: 10.1.1.4, "
    "start: 58m, interval: 1s, count: 3 }\n"
    "assertions:\n"
    "  - { kind: ping-fails, app: before }\n"
    "  - { kind: ping-succeeds, app: after }\n"
    "  - { kind: ping-fails, app: deleted }\n"
    "  - { kind: resource-state, resource: virtual_network_gateways/hub-gw,"
    " field: provisioningState, value: Updating, at: 2699s }\n"
    "  - { kind: resource-state, resource: virtual_network_gateways/hub-gw,"
    " field: provisioningState, value: Succeeded, at: 45m }\n"
    "  - { kind: resource-state, resource: connections/hub-er, "
    "field: provisioningState, value: Succeeded, at: 47m }\n"
    "  - { kind: resource-state, resource: connections/hub-er, "
    "field: provisioningState, value: Deleting, at: 3330s }\n";

static void
test_ping_follows_connection(void)
{
	char *diag = NULL, *out = NULL;
	unsigned n = 0, failed;
	struct scenario *sc = load(text, &diag, &n);

	if (sc == NULL)
		fprintf(stderr, "%s", diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	failed = sc_run_to_end(sc, 0, NULL, &out);
	if (failed != 0)
		fprintf(stderr, "%s", out);
	CU_ASSERT_EQUAL(failed, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS: ping-fails before"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS: ping-succeeds after"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS: ping-fails deleted"));
	free(out);
	free(diag);
	scenario_free(sc);
}

/* Without the timeline the same file pings from the start (issue 10). */
static void
test_no_timeline_pings(void)
{
	char *t = strdup(text), *cut, *diag = NULL, *out = NULL;
	unsigned n = 0;
	struct scenario *sc;

	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	/* drop the timeline and the state assertions; "before" now passes */
	cut = strstr(t, "timeline:\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(cut);
	memmove(cut, strstr(t, "apps:\n"), strlen(strstr(t, "apps:\n")) + 1);
	cut = strstr(t, "  - { kind: resource-state");
	CU_ASSERT_PTR_NOT_NULL_FATAL(cut);
	*cut = '\0';
	sc = load(t, &diag, &n);
	if (sc == NULL)
		fprintf(stderr, "%s", diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	CU_ASSERT_EQUAL(sc_run_to_end(sc, 0, NULL, &out), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "FAIL: ping-fails before"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS: ping-succeeds after"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "FAIL: ping-fails deleted"));
	free(out);
	free(diag);
	free(t);
	scenario_free(sc);
}

/*
 * tests/fuzz/scenario/azure-timeline.yaml, a seed of the scenario fuzzer:
 * every Azure operation and an expected refusal of each kind it meets;
 * every operation and assertion passes.
 */
static void
test_fuzz_seed(void)
{
	char *out = NULL;
	unsigned n = 0, failed;
	struct scenario *sc = scenario_load_file(XCSIM_SOURCE_DIR
	    "/tests/fuzz/scenario/azure-timeline.yaml", stderr, &n);

	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	failed = sc_run_to_end(sc, 0, NULL, &out);
	if (failed != 0)
		fprintf(stderr, "%s", out);
	CU_ASSERT_EQUAL(failed, 0);
	/* the refusals happened, at their steps */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "refused: InternalError"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "refused: ConflictError"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS: ping-fails reset"));
	free(out);
	scenario_free(sc);
}

/* test_azure_oci.c's interconnect, to tear down on a timeline. */
static const char cross[] =
    "name: teardown\n"
    "duration: 1h\n"
    CLOUD_HUB_TWO_CLOUDS
    "timeline:\n"
    "  - { at: 1m, delete: virtual_circuits/vc1 }\n"
    "  - { id: cn, at: 10m, delete: connections/hub-er }\n"
    "  - { after: cn, delete: express_route_circuits/er-ashburn }\n";

/*
 * 3.1: the virtual circuit deleted before the connection: the circuit
 * ends in a failed state, from when its provider side went (the OCI
 * model's virtual circuit writes serviceProviderProvisioningState).
 */
static void
test_wrong_teardown_order(void)
{
	char *diag = NULL;
	const struct prov_plan *p;
	const struct prov_res *ckt;
	unsigned n = 0;
	struct scenario *sc;

	sc = load(cross, &diag, &n);
	if (sc == NULL)
		fprintf(stderr, "%s", diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	p = prov_plan_of(sc);
	ckt = prov_find_res(p, "express_route_circuits", "er-ashburn");
	CU_ASSERT_PTR_NOT_NULL_FATAL(ckt);
	/* both models are in: the OCI one declares the virtual circuit */
	CU_ASSERT_PTR_NOT_NULL_FATAL(prov_find_res(p, "virtual_circuits",
	    "vc1"));
	CU_ASSERT_FALSE(p->ops[0].refused);
	CU_ASSERT_FALSE(p->ops[1].refused);
	/* Succeeded until the provider side went at 1m, Failed from then */
	CU_ASSERT_STRING_EQUAL(prov_get(p, ckt, "provisioningState",
	    SIM_S(59)), "Succeeded");
	CU_ASSERT_STRING_EQUAL(prov_get(p, ckt, "provisioningState",
	    SIM_S(60)), "Failed");
	CU_ASSERT_EQUAL_FATAL(ckt->n_notes, 2);
	CU_ASSERT_EQUAL(ckt->notes[1].at, SIM_S(60));
	CU_ASSERT_PTR_NOT_NULL(strstr(ckt->notes[1].text, "ends in a failed "
	    "state (3.1"));
	/* deprovisioned and unlinked, it is deleted */
	CU_ASSERT_FALSE(p->ops[2].refused);
	scenario_free(sc);
	free(diag);
}

/*
 * 3.1, SUMMARY "Interconnect order": a circuit there from time zero whose
 * virtual circuit the timeline creates at 10m: no Oracle peering (and
 * the provider side NotProvisioned) until the virtual circuit is
 * PROVISIONED; then the peering is Succeeded and Enabled.
 */
static void
test_peering_waits_for_vc(void)
{
	char *t = malloc(sizeof(cross) + 256), *diag = NULL;
	const struct prov_plan *p;
	const struct prov_res *pr, *ckt;
	unsigned n = 0;
	struct scenario *sc;
	sim_time done;

	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	memcpy(t, cross, sizeof(cross));
	strcpy(strstr(t, "timeline:\n"), "timeline:\n"
	    "  - { at: 10m, create: virtual_circuits/vc1 }\n");
	sc = load(t, &diag, &n);
	if (sc == NULL)
		fprintf(stderr, "%s", diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	p = prov_plan_of(sc);
	pr = prov_find_res(p, "peerings", "er-ashburn/AzurePrivatePeering");
	ckt = prov_find_res(p, "express_route_circuits", "er-ashburn");
	CU_ASSERT_PTR_NOT_NULL_FATAL(pr);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ckt);
	CU_ASSERT_FALSE_FATAL(p->ops[0].refused);
	done = p->ops[0].end;
	CU_ASSERT_TRUE(done > SIM_S(600));
	CU_ASSERT_PTR_NULL(prov_get(p, pr, "provisioningState", SIM_S(300)));
	CU_ASSERT_PTR_NULL(prov_get(p, pr, "state", done - 1));
	CU_ASSERT_STRING_EQUAL(prov_get(p, ckt,
	    "serviceProviderProvisioningState", SIM_S(300)), "NotProvisioned");
	CU_ASSERT_STRING_EQUAL(prov_get(p, pr, "provisioningState", done),
	    "Succeeded");
	CU_ASSERT_STRING_EQUAL(prov_get(p, pr, "state", done), "Enabled");
	scenario_free(sc);
	free(diag);
	free(t);
}

static const struct test_case cases[] = {
	{ "Oracle's peering waits for a virtual circuit of the timeline (3.1)",
	    test_peering_waits_for_vc },
	{ "ping follows the connection's create and delete",
	    test_ping_follows_connection },
	{ "without the timeline it pings from the start",
	    test_no_timeline_pings },
	{ "the fuzz seed azure-timeline.yaml runs clean", test_fuzz_seed },
	{ "the virtual circuit deleted before the connection (3.1)",
	    test_wrong_teardown_order },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	scenario_models_init();
	return test_main(argc, argv, "azure_prov_run", cases);
}
