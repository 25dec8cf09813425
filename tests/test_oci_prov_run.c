/*
 * test_oci_prov_run.c - the seed walkthrough's provisioning across both
 * clouds, run end to end (the azure model's control plane and the oci
 * model's together, docs/oci.md "Provisioning"): the ExpressRoute circuit
 * created (serviceProviderProvisioningState NotProvisioned once it is
 * there: 1.2), the FastConnect virtual circuit after it with the circuit's
 * key (PROVISIONING with the circuit Provisioning, PROVISIONED with it
 * Provisioned and the Azure private peering Enabled: 2.1, 3.1, 3.5), the
 * VCN's DRG attachment after it (3.1 step 5), the connection last; BGP
 * comes up on the cross-connects once the virtual circuit is PROVISIONED
 * (bgpSessionState UP), the VCN's subnet reaches the MSEE only once the
 * attachment is ATTACHED, the VNet's prefix the DRG only once the
 * connection is there, and the VM's ping reaches the instance.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario_models.h"
#include "scenario_testutil.h"
#include "testutil.h"

static const char walk[] =
    "name: cross-cloud\n"
    "duration: 1200s\n"
    "seed: 7\n"
    "azure:\n"
    "  virtual_networks:\n"
    "    - name: app-vnet\n"
    "      location: eastus\n"
    "      address_space: { address_prefixes: [10.1.0.0/16] }\n"
    "      subnets:\n"
    "        - { name: app, address_prefix: 10.1.1.0/24 }\n"
    "        - { name: GatewaySubnet, address_prefix: 10.1.255.0/27 }\n"
    "  virtual_machines:\n"
    "    - name: app-vm\n"
    "      network_interfaces: [{ name: app-nic, subnet: app-vnet/app }]\n"
    "  virtual_network_gateways:\n"
    "    - { name: app-gw, sku: ErGw1AZ, virtual_network: app-vnet }\n"
    "  express_route_circuits:\n"
    "    - name: er-ashburn\n"
    "      service_provider_name: Oracle Cloud FastConnect\n"
    "      peering_location: Washington DC\n"
    "      bandwidth_in_mbps: 1000\n"
    "  connections:\n"
    "    - { name: app-er, virtual_network_gateway: app-gw,\n"
    "        express_route_circuit: er-ashburn }\n"
    "oci:\n"
    "  region: us-ashburn-1\n"
    "  vcns:\n"
    "    - name: db-vcn\n"
    "      cidr_blocks: [10.2.0.0/16]\n"
    "      subnets:\n"
    "        - { name: db, cidr_block: 10.2.1.0/24, route_table: db-rt,\n"
    "            security_lists: [db-sl] }\n"
    "      route_tables:\n"
    "        - name: db-rt\n"
    "          route_rules:\n"
    "            - { destination: 10.1.0.0/16, network_entity_id: drg1 }\n"
    "      security_lists:\n"
    "        - name: db-sl\n"
    "          ingress_security_rules:\n"
    "            - source: 10.1.1.0/24\n"
    "              protocol: \"6\"\n"
    "              tcp_options:\n"
    "                destination_port_range: { min: 1521, max: 1521 }\n"
    "            - { source: 10.1.1.0/24, protocol: \"1\", icmp_options: { type: 8 } }\n"
    "          egress_security_rules:\n"
    "            - { destination: 0.0.0.0/0, protocol: all }\n"
    "  instances:\n"
    "    - name: db1\n"
    "      vnics: [{ name: db1-vnic, subnet: db-vcn/db }]\n"
    "  drgs:\n"
    "    - name: drg1\n"
    "      drg_attachments:\n"
    "        - { name: db-vcn-att, network_details: { type: VCN, id: db-vcn } }\n"
    "  virtual_circuits:\n"
    "    - name: vc1\n"
    "      provider_service_name: \"Microsoft Azure: ExpressRoute\"\n"
    "      provider_service_key_name: er-ashburn\n"
    "      bandwidth_shape_name: 1 Gbps\n"
    "      gateway_id: drg1\n"
    "      is_bfd_enabled: true\n"
    "      cross_connect_mappings:\n"
    "        - { customer_bgp_peering_ip: 169.254.0.2/30,\n"
    "            oracle_bgp_peering_ip: 169.254.0.1/30, vlan: 33 }\n"
    "        - { customer_bgp_peering_ip: 169.254.1.2/30,\n"
    "            oracle_bgp_peering_ip: 169.254.1.1/30, vlan: 33 }\n"
    "apps:\n"
    "  - { name: ping-db, type: ping, node: app-vm, dst: 10.2.1.2, start: 700s,\n"
    "      interval: 1s, count: 5 }\n"
    "assertions:\n"
    "  - { kind: ping-succeeds, app: ping-db }\n"
    "  - { kind: resource-state, resource: express_route_circuits/er-ashburn,\n"
    "      field: serviceProviderProvisioningState, value: NotProvisioned,\n"
    "      at: 2m }\n"
    "  - { kind: resource-state, resource: virtual_circuits/vc1,\n"
    "      field: lifecycleState, value: PROVISIONING, at: 3m }\n"
    "  - { kind: resource-state, resource: express_route_circuits/er-ashburn,\n"
    "      field: serviceProviderProvisioningState, value: Provisioning,\n"
    "      at: 3m }\n"
    "  - { kind: resource-state, resource: virtual_circuits/vc1,\n"
    "      field: lifecycleState, value: PROVISIONED, at: 8m }\n"
    "  - { kind: resource-state, resource: virtual_circuits/vc1,\n"
    "      field: providerState, value: ACTIVE, at: 8m }\n"
    "  - { kind: resource-state, resource: express_route_circuits/er-ashburn,\n"
    "      field: serviceProviderProvisioningState, value: Provisioned, at: 8m }\n"
    "  - { kind: resource-state, resource: peerings/er-ashburn/AzurePrivatePeering,\n"
    "      field: state, value: Enabled, at: 8m }\n"
    "  - { kind: resource-state, resource: virtual_circuits/vc1,\n"
    "      field: bgpSessionState, value: DOWN, at: 479s }\n"
    "  - { kind: resource-state, resource: virtual_circuits/vc1,\n"
    "      field: bgpSessionState, value: UP, at: 481s }\n"
    "  - { kind: effective-route, table: msee-primary, prefix: 10.2.1.0/24,\n"
    "      absent: true, at: 539s }\n"
    "  - { kind: effective-route, table: msee-primary, prefix: 10.2.1.0/24,\n"
    "      source: bgp, at: 541s }\n"
    "  - { kind: effective-route, table: drg1.autogenerated-vcn,\n"
    "      prefix: 10.1.0.0/16, absent: true, at: 599s }\n"
    "  - { kind: effective-route, table: drg1.autogenerated-vcn,\n"
    "      prefix: 10.1.0.0/16, source: virtual_circuit, at: 601s }\n"
    "timeline:\n"
    "  - {id: ckt, at: 0s, create: express_route_circuits/er-ashburn, duration: 2m}\n"
    "  - {id: vc, after: ckt, delay: 1m, create: virtual_circuits/vc1, duration: 5m}\n"
    "  - {id: att, after: vc, create: drg_attachments/drg1/db-vcn-att,\n"
    "     duration: 1m}\n"
    "  - {after: att, create: connections/app-er, duration: 1m}\n";

static void
test_walkthrough(void)
{
	char *diag = NULL, *out = NULL;
	unsigned n = 0, failed;
	struct scenario *sc = load(walk, &diag, &n);

	if (sc == NULL)
		fprintf(stderr, "%s\n", diag);
	free(diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	failed = sc_run_to_end(sc, 0, NULL, &out);
	if (failed != 0)
		fprintf(stderr, "%s\n", out);
	CU_ASSERT_EQUAL(failed, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS: virtual_circuits/vc1 "
	    "bgpSessionState at 481s: UP since 480."));
	free(out);
	scenario_free(sc);
}

static const char teardown[] =
    "name: cross-cloud\n"
    "duration: 1200s\n"
    "seed: 7\n"
    "azure:\n"
    "  virtual_networks:\n"
    "    - name: app-vnet\n"
    "      location: eastus\n"
    "      address_space: { address_prefixes: [10.1.0.0/16] }\n"
    "      subnets:\n"
    "        - { name: app, address_prefix: 10.1.1.0/24 }\n"
    "        - { name: GatewaySubnet, address_prefix: 10.1.255.0/27 }\n"
    "  virtual_machines:\n"
    "    - name: app-vm\n"
    "      network_interfaces: [{ name: app-nic, subnet: app-vnet/app }]\n"
    "  virtual_network_gateways:\n"
    "    - { name: app-gw, sku: ErGw1AZ, virtual_network: app-vnet }\n"
    "  express_route_circuits:\n"
    "    - name: er-ashburn\n"
    "      service_provider_name: Oracle Cloud FastConnect\n"
    "      peering_location: Washington DC\n"
    "      bandwidth_in_mbps: 1000\n"
    "  connections:\n"
    "    - { name: app-er, virtual_network_gateway: app-gw,\n"
    "        express_route_circuit: er-ashburn }\n"
    "oci:\n"
    "  region: us-ashburn-1\n"
    "  vcns:\n"
    "    - name: db-vcn\n"
    "      cidr_blocks: [10.2.0.0/16]\n"
    "      subnets:\n"
    "        - { name: db, cidr_block: 10.2.1.0/24, route_table: db-rt,\n"
    "            security_lists: [db-sl] }\n"
    "      route_tables:\n"
    "        - name: db-rt\n"
    "          route_rules:\n"
    "            - { destination: 10.1.0.0/16, network_entity_id: drg1 }\n"
    "      security_lists:\n"
    "        - name: db-sl\n"
    "          ingress_security_rules:\n"
    "            - source: 10.1.1.0/24\n"
    "              protocol: \"6\"\n"
    "              tcp_options:\n"
    "                destination_port_range: { min: 1521, max: 1521 }\n"
    "            - { source: 10.1.1.0/24, protocol: \"1\", icmp_options: { type: 8 } }\n"
    "          egress_security_rules:\n"
    "            - { destination: 0.0.0.0/0, protocol: all }\n"
    "  instances:\n"
    "    - name: db1\n"
    "      vnics: [{ name: db1-vnic, subnet: db-vcn/db }]\n"
    "  drgs:\n"
    "    - name: drg1\n"
    "      drg_attachments:\n"
    "        - { name: db-vcn-att, network_details: { type: VCN, id: db-vcn } }\n"
    "  virtual_circuits:\n"
    "    - name: vc1\n"
    "      provider_service_name: \"Microsoft Azure: ExpressRoute\"\n"
    "      provider_service_key_name: er-ashburn\n"
    "      bandwidth_shape_name: 1 Gbps\n"
    "      gateway_id: drg1\n"
    "      is_bfd_enabled: true\n"
    "      cross_connect_mappings:\n"
    "        - { customer_bgp_peering_ip: 169.254.0.2/30,\n"
    "            oracle_bgp_peering_ip: 169.254.0.1/30, vlan: 33 }\n"
    "        - { customer_bgp_peering_ip: 169.254.1.2/30,\n"
    "            oracle_bgp_peering_ip: 169.254.1.1/30, vlan: 33 }\n"
    "apps:\n"
    "  - { name: ping-db, type: ping, node: app-vm, dst: 10.2.1.2, start: 700s,\n"
    "      interval: 1s, count: 5 }\n"
    "assertions:\n"
    "  - { kind: resource-state, resource: virtual_circuits/vc1,\n"
    "      field: bgpSessionState, value: DOWN, at: 14m }\n"
    "  - { kind: resource-state, resource: express_route_circuits/er-ashburn,\n"
    "      field: serviceProviderProvisioningState, value: Deprovisioning,\n"
    "      at: 15m }\n"
    "  - { kind: resource-state, resource: virtual_circuits/vc1,\n"
    "      field: lifecycleState, value: TERMINATED, at: 16m }\n"
    "  - { kind: resource-state, resource: express_route_circuits/er-ashburn,\n"
    "      field: serviceProviderProvisioningState, value: NotProvisioned,\n"
    "      at: 16m }\n"
    "timeline:\n"
    "  - {id: ckt, at: 0s, create: express_route_circuits/er-ashburn, duration: 2m}\n"
    "  - {id: vc, after: ckt, delay: 1m, create: virtual_circuits/vc1, duration: 5m}\n"
    "  - {id: att, after: vc, create: drg_attachments/drg1/db-vcn-att,\n"
    "     duration: 1m}\n"
    "  - {after: att, create: connections/app-er, duration: 1m}\n"
    "  - {at: 12m, delete: express_route_circuits/er-ashburn,\n"
    "     expect: {error: still has 1 connection}}\n"
    "  - {id: dc, at: 13m, delete: connections/app-er, duration: 1m}\n"
    "  - {id: dv, after: dc, delete: virtual_circuits/vc1, duration: 2m}\n"
    "  - {after: dv, delete: express_route_circuits/er-ashburn, duration: 1m}\n";

/*
 * 3.1: teardown in order, connection, virtual circuit, circuit: the
 * circuit's delete first is refused (B1, the azure model), then each step
 * succeeds; the sessions go down as the virtual circuit starts
 * TERMINATING, the circuit Deprovisioning -> NotProvisioned with it (1.2).
 */
static void
test_teardown(void)
{
	char *diag = NULL, *out = NULL;
	unsigned n = 0, failed;
	struct scenario *sc = load(teardown, &diag, &n);

	if (sc == NULL)
		fprintf(stderr, "%s\n", diag);
	free(diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	failed = sc_run_to_end(sc, 0, NULL, &out);
	if (failed != 0)
		fprintf(stderr, "%s\n", out);
	CU_ASSERT_EQUAL(failed, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS: delete on virtual_circuits/"
	    "vc1 at 840s: succeeded"));
	free(out);
	scenario_free(sc);
}

/*
 * tests/fuzz/scenario/oci-timeline.yaml, a seed of the scenario fuzzer:
 * every OCI resource created on the timeline, the virtual circuit
 * disabled, enabled and deleted, and a refusal of each kind (404, 409,
 * an operation while another is under way); every assertion passes.
 */
static void
test_fuzz_seed(void)
{
	char *out = NULL;
	unsigned n = 0, failed;
	struct scenario *sc = scenario_load_file(XCSIM_SOURCE_DIR
	    "/tests/fuzz/scenario/oci-timeline.yaml", stderr, &n);

	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	failed = sc_run_to_end(sc, 0, NULL, &out);
	if (failed != 0)
		fprintf(stderr, "%s", out);
	CU_ASSERT_EQUAL(failed, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "refused: 404-NotAuthorized"
	    "OrNotFound: subnet 'db-vcn/db'"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "refused: 409-IncorrectState: DRG "
	    "'drg1'"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "still in progress"));
	free(out);
	scenario_free(sc);
}

static const struct test_case cases[] = {
	{ "circuit, virtual circuit, attachment, connection: states, BGP, "
	    "routes, ping (1.2, 2.1, 2.7, 3.1, 3.5)", test_walkthrough },
	{ "teardown: connection, virtual circuit, circuit (3.1, 1.2, B1)",
	    test_teardown },
	{ "the fuzz seed oci-timeline.yaml runs, its refusals at their steps",
	    test_fuzz_seed },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	scenario_models_init();
	return test_main(argc, argv, "oci_prov_run", cases);
}
