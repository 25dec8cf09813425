/*
 * test_azure_prov.c - the Azure resources on the timeline
 * (models/azure/azure_prov.c): each state machine's transitions against
 * cloud-facts (the section in each case's comment), each refusal at the
 * step Azure answers it with its message and code, the same seed giving
 * the same times, and the gates the expansion puts on a resource's items.
 * Times are exact: the durations are the seeded draws of provision.c
 * (prov_draw_raw, stream = the operation's index, first draw).
 */
#include "azure_prov_testutil.h"

/*
 * 1.2, 1.8, SUMMARY: a circuit is created NotProvisioned with
 * circuitProvisioningState Enabled and its service key (billing starts);
 * the provider (here an update standing for Equinix's work) takes it
 * through Provisioning to Provisioned, and back through Deprovisioning to
 * NotProvisioned; ARM provisioningState Updating -> Succeeded, Deleting
 * -> gone. The circuit carries only while Provisioned.
 */
static void
test_circuit_states(void)
{
	struct opts o = { .no_conns = true, .timeline =
	    "  - { id: c, at: 0s, create: express_route_circuits/er }\n"
	    "  - { id: up, after: c, delay: 1m, update: "
	    "express_route_circuits/er,\n"
	    "      set: { service_provider_provisioning_state: Provisioned } }\n"
	    "  - { id: down, after: up, delay: 1m, update: "
	    "express_route_circuits/er,\n"
	    "      set: { service_provider_provisioning_state: "
	    "NotProvisioned } }\n"
	    "  - { after: down, delay: 1m, delete: express_route_circuits/er "
	    "}\n" };
	const struct prov_plan *p;
	struct scenario *sc = load_ok(&o, &p);
	sim_time t1 = draw(0, MIN(1), MIN(3));
	sim_time t2 = t1 + MIN(1) + draw(1, MIN(5), MIN(15));
	sim_time t3 = t2 + MIN(1) + draw(2, MIN(5), MIN(15));
	sim_time t4 = t3 + MIN(1) + draw(3, MIN(1), MIN(3));
	const struct prov_res *r = prov_find_res(p, "express_route_circuits",
	    "er");
	char key[37], note[128];

	op_ok(p, 0, 0, t1);
	op_ok(p, 1, t1 + MIN(1), t2);
	op_ok(p, 2, t2 + MIN(1), t3);
	op_ok(p, 3, t3 + MIN(1), t4);
	FIELD_IS(p, "express_route_circuits", "er", "provisioningState", 0,
	    "Updating");
	FIELD_IS(p, "express_route_circuits", "er", "provisioningState", t1,
	    "Succeeded");
	/* (NotProvisioned, Enabled) from the create's start (1.2) */
	FIELD_IS(p, "express_route_circuits", "er",
	    "circuitProvisioningState", 0, "Enabled");
	FIELD_IS(p, "express_route_circuits", "er",
	    "serviceProviderProvisioningState", 0, "NotProvisioned");
	FIELD_IS(p, "express_route_circuits", "er", "bandwidthInMbps", 0,
	    "1000");
	FIELD_IS(p, "express_route_circuits", "er",
	    "circuitProvisioningState", t1, "Enabled");
	FIELD_IS(p, "express_route_circuits", "er",
	    "serviceProviderProvisioningState", t1 + MIN(1), "Provisioning");
	FIELD_IS(p, "express_route_circuits", "er",
	    "serviceProviderProvisioningState", t2, "Provisioned");
	FIELD_IS(p, "express_route_circuits", "er",
	    "serviceProviderProvisioningState", t2 + MIN(1),
	    "Deprovisioning");
	FIELD_IS(p, "express_route_circuits", "er",
	    "serviceProviderProvisioningState", t3, "NotProvisioned");
	FIELD_IS(p, "express_route_circuits", "er", "provisioningState",
	    t3 + MIN(1), "Deleting");
	CU_ASSERT_PTR_NULL(field(p, "express_route_circuits", "er",
	    "provisioningState", t4));
	CU_ASSERT_FALSE(prov_exists(p, r, t4));
	/* the service key exists at creation: billing starts (1.2, 3.1) */
	ic_service_key(SEED, "er", key);
	snprintf(note, sizeof(note), "service key %s issued: billing starts "
	    "(1.2, 3.1)", key);
	CU_ASSERT_EQUAL_FATAL(r->n_notes, 1);
	CU_ASSERT_EQUAL(r->notes[0].at, 0);
	CU_ASSERT_STRING_EQUAL(r->notes[0].text, note);
	/* its peering, configured with it, comes and goes with it */
	FIELD_IS(p, "peerings", "er/AzurePrivatePeering", "provisioningState",
	    t1, "Succeeded");
	FIELD_IS(p, "peerings", "er/AzurePrivatePeering", "state", t1,
	    "Enabled");
	CU_ASSERT_PTR_NULL(field(p, "peerings", "er/AzurePrivatePeering",
	    "provisioningState", t4));
	/* it carries only while Provisioned (1.2) */
	CU_ASSERT_FALSE(carries(p, "express_route_circuits", "er", t2 - 1));
	CU_ASSERT_TRUE(carries(p, "express_route_circuits", "er", t2));
	CU_ASSERT_TRUE(carries(p, "peerings", "er/AzurePrivatePeering", t2));
	CU_ASSERT_FALSE(carries(p, "express_route_circuits", "er",
	    t2 + MIN(1)));
	CU_ASSERT_FALSE(carries(p, "peerings", "er/AzurePrivatePeering",
	    t2 + MIN(1)));
	scenario_free(sc);
}

/*
 * Without a timeline every resource is there from time zero, settled
 * (issue 10): Succeeded, the circuit Enabled and Provisioned, and
 * nothing gated.
 */
static void
test_settled(void)
{
	struct opts o = { 0 };
	const struct prov_plan *p;
	struct scenario *sc = load_ok(&o, &p);
	static const char *const ids[][2] = {
		{ "virtual_networks", "hub" }, { "subnets", "hub/app" },
		{ "subnets", "hub/GatewaySubnet" },
		{ "virtual_machines", "app-vm" },
		{ "network_interfaces", "app-nic" },
		{ "virtual_network_gateways", "hub-gw" },
		{ "express_route_circuits", "er" },
		{ "peerings", "er/AzurePrivatePeering" },
		{ "connections", "hub-er" },
	};
	size_t i;

	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		FIELD_IS(p, ids[i][0], ids[i][1], "provisioningState", 0,
		    "Succeeded");
		CU_ASSERT_TRUE(carries(p, ids[i][0], ids[i][1], 0));
		CU_ASSERT_PTR_NULL(prov_gate(sc, ids[i][0], ids[i][1]));
	}
	FIELD_IS(p, "express_route_circuits", "er", "circuitProvisioningState",
	    0, "Enabled");
	FIELD_IS(p, "express_route_circuits", "er",
	    "serviceProviderProvisioningState", 0, "Provisioned");
	scenario_free(sc);
}

/*
 * 1.2: private peering only once the provider is Provisioned; 3.5: the
 * connection only once the circuit is Provisioned (and, 1.2, its
 * peering configured). Then both go ahead, and the connection carries
 * from its completion.
 */
static void
test_provider_order(void)
{
	struct opts o = { .timeline =
	    "  - { id: c, at: 0s, create: express_route_circuits/er }\n"
	    "  - { at: 5m, create: peerings/er/AzurePrivatePeering,\n"
	    "      expect: { error: Provisioned } }\n"
	    "  - { at: 6m, create: connections/hub-er,\n"
	    "      expect: { error: NotProvisioned } }\n"
	    "  - { id: up, at: 10m, update: express_route_circuits/er,\n"
	    "      set: { service_provider_provisioning_state: Provisioned } }\n"
	    "  - { id: pp, at: 30m, create: peerings/er/AzurePrivatePeering }\n"
	    "  - { after: pp, create: connections/hub-er }\n" };
	const struct prov_plan *p;
	struct scenario *sc = load_ok(&o, &p);
	sim_time t4 = MIN(30) + draw(4, MIN(1), MIN(3));
	sim_time t5 = t4 + draw(5, MIN(1), MIN(5));

	op_ok(p, 0, 0, draw(0, MIN(1), MIN(3)));
	op_refused(p, 1, MIN(5), "circuit 'er': private peering can be "
	    "configured only once serviceProviderProvisioningState is "
	    "Provisioned, it is NotProvisioned (1.2)");
	op_refused(p, 2, MIN(6), "connection 'hub-er': circuit 'er' has "
	    "serviceProviderProvisioningState NotProvisioned: the provider "
	    "must provision it first (1.2, 3.5)");
	op_ok(p, 3, MIN(10), MIN(10) + draw(3, MIN(5), MIN(15)));
	op_ok(p, 4, MIN(30), t4);
	op_ok(p, 5, t4, t5);
	FIELD_IS(p, "connections", "hub-er", "provisioningState", t4,
	    "Updating");
	FIELD_IS(p, "connections", "hub-er", "provisioningState", t5,
	    "Succeeded");
	CU_ASSERT_FALSE(carries(p, "connections", "hub-er", t5 - 1));
	CU_ASSERT_TRUE(carries(p, "connections", "hub-er", t5));
	CU_ASSERT_PTR_NOT_NULL_FATAL(prov_gate(sc, "connections", "hub-er"));
	CU_ASSERT_STRING_EQUAL(prov_gate(sc, "connections", "hub-er"),
	    "connections/hub-er");
	scenario_free(sc);
}

/*
 * 1.4: peer_asn 65515-65520 is Microsoft's, 12076 the MSEEs': refused
 * when the peering is created on the timeline, a load error otherwise.
 */
static void
test_reserved_asn(void)
{
	struct opts o = { .peer_asn = 65515, .timeline =
	    "  - { at: 1m, create: peerings/er/AzurePrivatePeering,\n"
	    "      expect: { error: reserved } }\n" };
	const struct prov_plan *p;
	struct scenario *sc = load_ok(&o, &p);

	op_refused(p, 0, MIN(1), "circuit 'er': peer_asn 65515 is reserved by "
	    "Microsoft (65515-65520, 1.4)");
	CU_ASSERT_FALSE(carries(p, "peerings", "er/AzurePrivatePeering",
	    MIN(2)));
	/* and so the connection, there from zero, never carries */
	CU_ASSERT_FALSE(carries(p, "connections", "hub-er", MIN(2)));
	scenario_free(sc);
	o.peer_asn = 12076;
	o.timeline = "  - { at: 1m, create: peerings/er/AzurePrivatePeering,\n"
	    "      expect: { error: own AS } }\n";
	sc = load_ok(&o, &p);
	op_refused(p, 0, MIN(1), "circuit 'er': peer_asn 12076 is the MSEEs' "
	    "own AS (1.4)");
	scenario_free(sc);
	o.peer_asn = 65517;
	o.timeline = NULL;
	load_fails(&o, "peer_asn 65517 is reserved by Microsoft (65515-65520, "
	    "1.4)");
}

/*
 * 1.7, B5: a gateway takes "45 minutes or more" (the range's upper bound
 * is ours); Updating all that time, then Succeeded, carrying from then.
 */
static void
test_gateway_create(void)
{
	struct opts o = { .timeline =
	    "  - { at: 0s, create: virtual_network_gateways/hub-gw }\n" };
	const struct prov_plan *p;
	struct scenario *sc = load_ok(&o, &p);
	sim_time t1 = draw(0, MIN(45), MIN(60));

	CU_ASSERT_TRUE(t1 >= MIN(45) && t1 <= MIN(60));
	op_ok(p, 0, 0, t1);
	FIELD_IS(p, "virtual_network_gateways", "hub-gw", "provisioningState",
	    t1 - 1, "Updating");
	FIELD_IS(p, "virtual_network_gateways", "hub-gw", "provisioningState",
	    t1, "Succeeded");
	CU_ASSERT_FALSE(carries(p, "virtual_network_gateways", "hub-gw",
	    t1 - 1));
	CU_ASSERT_TRUE(carries(p, "virtual_network_gateways", "hub-gw", t1));
	/* the connection there from zero follows its gateway */
	CU_ASSERT_FALSE(carries(p, "connections", "hub-er", t1 - 1));
	CU_ASSERT_TRUE(carries(p, "connections", "hub-er", t1));
	scenario_free(sc);
}

/*
 * 1.6: GatewaySubnet named exactly so, /29 or larger, holding nothing
 * else: refused at the gateway's create on the timeline; load errors
 * when the gateway is there from time zero.
 */
static void
test_gateway_subnet(void)
{
	static const char *const tl =
	    "  - { at: 0s, create: virtual_network_gateways/hub-gw,\n"
	    "      expect: { error: GatewaySubnet } }\n";
	struct opts o = { .gws_name = "Gatewaysubnet", .timeline = tl };
	const struct prov_plan *p;
	struct scenario *sc = load_ok(&o, &p);

	op_refused(p, 0, 0, "gateway 'hub-gw': subnet 'Gatewaysubnet' of "
	    "virtual network 'hub' must be named exactly GatewaySubnet to "
	    "hold a gateway (1.6)");
	CU_ASSERT_FALSE(carries(p, "virtual_network_gateways", "hub-gw",
	    MIN(90)));
	scenario_free(sc);
	o.timeline = NULL;
	load_fails(&o, "subnet 'Gatewaysubnet' of virtual network 'hub' must "
	    "be named exactly GatewaySubnet to hold gateway 'hub-gw' (1.6)");

	o.gws_name = "backend";
	o.timeline = tl;
	sc = load_ok(&o, &p);
	op_refused(p, 0, 0, "gateway 'hub-gw': virtual network 'hub' has no "
	    "subnet named GatewaySubnet (1.6)");
	scenario_free(sc);

	o.gws_name = NULL;
	o.gws_prefix = "10.1.255.0/30";
	sc = load_ok(&o, &p);
	op_refused(p, 0, 0, "gateway 'hub-gw': GatewaySubnet 10.1.255.0/30 of "
	    "virtual network 'hub' is too small: /29 at least, /27 or larger "
	    "recommended (1.6)");
	scenario_free(sc);
	o.timeline = NULL;
	load_fails(&o, "subnet 'GatewaySubnet' (10.1.255.0/30) is smaller "
	    "than /29");

	/* a VM's NIC there first: the gateway's create is refused */
	o.gws_prefix = NULL;
	o.nic_in_gws = true;
	o.timeline = tl;
	sc = load_ok(&o, &p);
	op_refused(p, 0, 0, "gateway 'hub-gw': GatewaySubnet of virtual "
	    "network 'hub' holds NIC 'gw-nic': nothing else may be deployed "
	    "in it (1.6)");
	scenario_free(sc);
	/* the gateway first: the VM's create is refused */
	o.timeline = "  - { id: gw, at: 0s, create: "
	    "virtual_network_gateways/hub-gw }\n"
	    "  - { after: gw, create: virtual_machines/gw-vm,\n"
	    "      expect: { error: GatewaySubnet } }\n";
	sc = load_ok(&o, &p);
	op_ok(p, 0, 0, draw(0, MIN(45), MIN(60)));
	op_refused(p, 1, draw(0, MIN(45), MIN(60)), "NIC 'gw-nic' cannot be "
	    "in GatewaySubnet of virtual network 'hub': it holds only gateway "
	    "'hub-gw' (1.6)");
	scenario_free(sc);
	o.timeline = NULL;
	load_fails(&o, "NIC 'gw-nic' cannot be in GatewaySubnet: it holds "
	    "only the virtual network gateway (1.6)");
}

/*
 * 1.6, B5: a Standard gateway takes 4 circuit connections: the fifth
 * created on the timeline is refused there (a load error from zero).
 */
static void
test_sku_circuits(void)
{
	struct opts o = { .gw_sku = "Standard", .n_circuits = 5, .timeline =
	    "  - { at: 0s, create: connections/hub-er }\n"
	    "  - { at: 10m, create: connections/hub-er1 }\n"
	    "  - { at: 20m, create: connections/hub-er2 }\n"
	    "  - { at: 30m, create: connections/hub-er3 }\n"
	    "  - { at: 40m, create: connections/hub-er4,\n"
	    "      expect: { error: at most 4 } }\n"
	    "  - { at: 50m, delete: connections/hub-er }\n"
	    "  - { at: 1h, create: connections/hub-er4 }\n" };
	const struct prov_plan *p;
	struct scenario *sc = load_ok(&o, &p);
	size_t i;

	for (i = 0; i < 4; i++)
		op_ok(p, i, MIN(10) * (sim_time)i, MIN(10) * (sim_time)i +
		    draw(i, MIN(1), MIN(5)));
	op_refused(p, 4, MIN(40), "connection 'hub-er4': gateway 'hub-gw' "
	    "(Standard) takes at most 4 circuit connections (1.6, B5)");
	/* once one is deleted, there is room */
	op_ok(p, 6, MIN(60), MIN(60) + draw(6, MIN(1), MIN(5)));
	scenario_free(sc);
	o.timeline = NULL;
	load_fails(&o, "gateway 'hub-gw' (Standard) takes at most 4 circuit "
	    "connections (1.6)");
}

/*
 * B1, 1.2, 3.1: a circuit with a connection left, or whose provider side
 * is still Provisioned, cannot be deleted: the delete fails and leaves it
 * Failed. Deprovisioned and unlinked, it goes, its peering with it.
 */
static void
test_circuit_delete(void)
{
	struct opts o = { .timeline =
	    "  - { at: 1m, delete: express_route_circuits/er,\n"
	    "      expect: { error: connection } }\n"
	    "  - { id: cn, at: 2m, delete: connections/hub-er }\n"
	    "  - { id: d1, after: cn, delete: express_route_circuits/er,\n"
	    "      expect: { error: ConflictError } }\n"
	    "  - { id: dp, after: d1, update: express_route_circuits/er,\n"
	    "      set: { service_provider_provisioning_state: "
	    "NotProvisioned } }\n"
	    "  - { after: dp, delete: express_route_circuits/er }\n" };
	const struct prov_plan *p;
	struct scenario *sc = load_ok(&o, &p);
	sim_time t1 = MIN(2) + draw(1, MIN(1), MIN(3));
	sim_time t3 = t1 + draw(3, MIN(5), MIN(15));
	sim_time t4 = t3 + draw(4, MIN(1), MIN(3));

	op_refused(p, 0, MIN(1), "circuit 'er' still has 1 connection: all "
	    "virtual networks must be unlinked before it is deleted (B1)");
	FIELD_IS(p, "express_route_circuits", "er", "provisioningState",
	    MIN(1), "Failed");
	op_ok(p, 1, MIN(2), t1);
	op_refused(p, 2, t1, "ConflictError: circuit 'er' "
	    "(serviceProviderProvisioningState Provisioned): The specified "
	    "dedicated circuit is not in Deprovisioned state. Please initiate "
	    "the deprovisioning process with your service provider (1.2, "
	    "3.1)");
	op_ok(p, 3, t1, t3);
	op_ok(p, 4, t3, t4);
	/* a Failed circuit still carries until the provider deprovisions */
	CU_ASSERT_TRUE(carries(p, "express_route_circuits", "er", MIN(2)));
	CU_ASSERT_FALSE(prov_exists(p, prov_find_res(p,
	    "express_route_circuits", "er"), t4));
	CU_ASSERT_FALSE(prov_exists(p, prov_find_res(p, "peerings",
	    "er/AzurePrivatePeering"), t4));
	scenario_free(sc);
}

/*
 * B1: a bandwidth increase is an update (Updating -> Succeeded); a
 * decrease is not possible: refused (InternalError in the 2015 CLI test
 * B1 cites) and the circuit left Failed; a size not offered is refused.
 */
static void
test_bandwidth(void)
{
	struct opts o = { .timeline =
	    "  - { at: 1m, update: express_route_circuits/er,\n"
	    "      set: { bandwidth_in_mbps: 500 }, expect: { error: "
	    "decreased } }\n"
	    "  - { at: 2m, update: express_route_circuits/er,\n"
	    "      set: { bandwidth_in_mbps: 2000 } }\n"
	    "  - { at: 1h, update: express_route_circuits/er,\n"
	    "      set: { bandwidth_in_mbps: 300 }, expect: { error: "
	    "offered } }\n" };
	const struct prov_plan *p;
	struct scenario *sc = load_ok(&o, &p);
	sim_time t1 = MIN(2) + draw(1, MIN(1), MIN(5));

	op_refused(p, 0, MIN(1), "InternalError: circuit 'er': "
	    "bandwidth_in_mbps 500 is below its 1000: the bandwidth of a "
	    "circuit cannot be decreased (create a smaller circuit and delete "
	    "this one, B1)");
	FIELD_IS(p, "express_route_circuits", "er", "provisioningState",
	    MIN(1), "Failed");
	FIELD_IS(p, "express_route_circuits", "er", "bandwidthInMbps", MIN(1),
	    "1000");
	op_ok(p, 1, MIN(2), t1);
	FIELD_IS(p, "express_route_circuits", "er", "provisioningState",
	    MIN(2), "Updating");
	FIELD_IS(p, "express_route_circuits", "er", "provisioningState", t1,
	    "Succeeded");
	FIELD_IS(p, "express_route_circuits", "er", "bandwidthInMbps", t1 - 1,
	    "1000");
	FIELD_IS(p, "express_route_circuits", "er", "bandwidthInMbps", t1,
	    "2000");
	op_refused(p, 2, MIN(60), "circuit 'er': bandwidth_in_mbps 300 is not "
	    "offered (50, 100, 200, 500, 1000, 2000, 5000 or 10000; 1.7, B1)");
	/* the circuit carries through its updates */
	CU_ASSERT_TRUE(carries(p, "express_route_circuits", "er", MIN(3)));
	scenario_free(sc);
}

/*
 * 2.5, B4: a subnet smaller than /29 or outside its VNet, created on the
 * timeline, is refused there (B4's NetcfgInvalidSubnet for the latter).
 */
static void
test_subnet_refusals(void)
{
	struct opts o = { .extra_subnet = "{ name: tiny, address_prefix: "
	    "10.1.3.0/30 }", .timeline =
	    "  - { at: 0s, create: subnets/hub/tiny, expect: { error: "
	    "smaller } }\n" };
	const struct prov_plan *p;
	struct scenario *sc = load_ok(&o, &p);

	op_refused(p, 0, 0, "subnet 'hub/tiny' address_prefix 10.1.3.0/30 is "
	    "smaller than /29, the smallest Azure subnet (5 addresses are "
	    "reserved, 2.5)");
	scenario_free(sc);
	o.extra_subnet = "{ name: far, address_prefix: 10.9.0.0/24 }";
	o.timeline = "  - { at: 0s, create: subnets/hub/far, expect: { error: "
	    "NetcfgInvalidSubnet } }\n";
	sc = load_ok(&o, &p);
	op_refused(p, 0, 0, "NetcfgInvalidSubnet: Subnet 'far' is not valid in "
	    "virtual network 'hub': address_prefix 10.9.0.0/24 is outside its "
	    "address space (B4)");
	scenario_free(sc);
	o.timeline = NULL;
	load_fails(&o, "Subnet 'far' is not valid in virtual network 'hub'");
}

/*
 * 1.6, B5: the supported resizes happen in place (Updating up to 30
 * minutes, the sku field then the new one); a downgrade the gateway's
 * connections do not fit, or a change B5 does not list, is refused.
 */
static void
test_gateway_resize(void)
{
	struct opts o = { .gw_sku = "HighPerformance", .n_circuits = 5,
	    .timeline =
	    "  - { at: 1m, update: virtual_network_gateways/hub-gw,\n"
	    "      set: { sku: Standard }, expect: { error: at most 4 } }\n"
	    "  - { id: up, at: 2m, update: virtual_network_gateways/hub-gw,\n"
	    "      set: { sku: UltraPerformance } }\n"
	    "  - { after: up, update: virtual_network_gateways/hub-gw,\n"
	    "      set: { sku: ErGw1AZ }, expect: { error: not supported } }\n" };
	const struct prov_plan *p;
	struct scenario *sc = load_ok(&o, &p);
	sim_time t1 = MIN(2) + draw(1, MIN(5), MIN(30));

	FIELD_IS(p, "virtual_network_gateways", "hub-gw", "sku", 0,
	    "HighPerformance");
	op_refused(p, 0, MIN(1), "gateway 'hub-gw': Standard takes at most 4 "
	    "circuit connections, it has 5 (1.6, B5)");
	op_ok(p, 1, MIN(2), t1);
	FIELD_IS(p, "virtual_network_gateways", "hub-gw", "provisioningState",
	    MIN(2), "Updating");
	FIELD_IS(p, "virtual_network_gateways", "hub-gw", "sku", t1 - 1,
	    "HighPerformance");
	FIELD_IS(p, "virtual_network_gateways", "hub-gw", "sku", t1,
	    "UltraPerformance");
	/* it carries through a resize (B1: maintenance one instance at a time) */
	CU_ASSERT_TRUE(carries(p, "virtual_network_gateways", "hub-gw",
	    MIN(3)));
	op_refused(p, 2, t1, "gateway 'hub-gw': resizing UltraPerformance to "
	    "ErGw1AZ is not supported: delete and recreate the gateway "
	    "(downtime; 1.6, B5)");
	scenario_free(sc);
}

/*
 * 1.5: a peering reset (how BFD is enabled on an existing peering) takes
 * its sessions down until it completes: the peering and the connection
 * over it do not carry meanwhile.
 */
static void
test_peering_reset(void)
{
	struct opts o = { .timeline =
	    "  - { at: 10m, reset: peerings/er/AzurePrivatePeering }\n" };
	const struct prov_plan *p;
	struct scenario *sc = load_ok(&o, &p);
	sim_time t1 = MIN(10) + draw(0, SIM_S(30), MIN(2));

	op_ok(p, 0, MIN(10), t1);
	FIELD_IS(p, "peerings", "er/AzurePrivatePeering", "provisioningState",
	    MIN(10), "Updating");
	FIELD_IS(p, "peerings", "er/AzurePrivatePeering", "provisioningState",
	    t1, "Succeeded");
	CU_ASSERT_TRUE(carries(p, "peerings", "er/AzurePrivatePeering",
	    MIN(10) - 1));
	CU_ASSERT_FALSE(carries(p, "peerings", "er/AzurePrivatePeering",
	    MIN(10)));
	CU_ASSERT_FALSE(carries(p, "connections", "hub-er", t1 - 1));
	CU_ASSERT_TRUE(carries(p, "connections", "hub-er", t1));
	CU_ASSERT_PTR_NOT_NULL(prov_gate(sc, "peerings",
	    "er/AzurePrivatePeering"));
	scenario_free(sc);
}

/*
 * ARM's InUseSubnetCannotBeDeleted: a subnet holding the gateway or a
 * NIC, or the VNet holding it, is not deleted; torn down in order (the
 * connection, the gateway, the VM with its NIC), the VNet goes with its
 * subnets.
 */
static void
test_delete_in_use(void)
{
	struct opts o = { .timeline =
	    "  - { at: 1m, delete: subnets/hub/GatewaySubnet,\n"
	    "      expect: { error: InUseSubnetCannotBeDeleted } }\n"
	    "  - { at: 2m, delete: virtual_networks/hub,\n"
	    "      expect: { error: InUseSubnetCannotBeDeleted } }\n"
	    "  - { id: cn, at: 3m, delete: connections/hub-er }\n"
	    "  - { id: gw, after: cn, delete: virtual_network_gateways/hub-gw }\n"
	    "  - { id: vm, after: gw, delete: virtual_machines/app-vm }\n"
	    "  - { after: vm, delete: virtual_networks/hub }\n" };
	const struct prov_plan *p;
	struct scenario *sc = load_ok(&o, &p);
	sim_time t2 = MIN(3) + draw(2, MIN(1), MIN(3));
	sim_time t3 = t2 + draw(3, MIN(10), MIN(20));
	sim_time t4 = t3 + draw(4, SIM_S(30), MIN(2));
	sim_time t5 = t4 + draw(5, SIM_S(5), SIM_S(15));

	op_refused(p, 0, MIN(1), "InUseSubnetCannotBeDeleted: Subnet "
	    "GatewaySubnet is in use by virtualNetworkGateways/hub-gw and "
	    "cannot be deleted. In order to delete the subnet, delete all the "
	    "resources within the subnet (virtual network 'hub')");
	op_refused(p, 1, MIN(2), "InUseSubnetCannotBeDeleted: Subnet app is in "
	    "use by networkInterfaces/app-nic and cannot be deleted. In order "
	    "to delete the subnet, delete all the resources within the subnet "
	    "(virtual network 'hub')");
	op_ok(p, 2, MIN(3), t2);
	op_ok(p, 3, t2, t3);
	op_ok(p, 4, t3, t4);
	op_ok(p, 5, t4, t5);
	/* the VM's NIC went with it, the subnets with their VNet */
	CU_ASSERT_FALSE(prov_exists(p, prov_find_res(p, "network_interfaces",
	    "app-nic"), t4));
	CU_ASSERT_TRUE(prov_exists(p, prov_find_res(p, "subnets", "hub/app"),
	    t5 - 1));
	CU_ASSERT_FALSE(prov_exists(p, prov_find_res(p, "subnets", "hub/app"),
	    t5));
	FIELD_IS(p, "subnets", "hub/app", "provisioningState", t4, "Deleting");
	scenario_free(sc);
}

/* The same file and seed: the same times; another seed: others. */
static void
test_same_seed(void)
{
	struct opts o = { .timeline =
	    "  - { id: g, at: 0s, create: virtual_network_gateways/hub-gw }\n"
	    "  - { after: g, create: connections/hub-er }\n" };
	const struct prov_plan *p, *q;
	struct scenario *a = load_ok(&o, &p), *b = load_ok(&o, &q), *c;

	CU_ASSERT_EQUAL(p->ops[0].end, q->ops[0].end);
	CU_ASSERT_EQUAL(p->ops[1].start, q->ops[1].start);
	CU_ASSERT_EQUAL(p->ops[1].end, q->ops[1].end);
	o.seed = SEED + 1;
	c = load_ok(&o, &q);
	CU_ASSERT_EQUAL(q->ops[0].end, prov_draw_raw(SEED + 1, 0, 0, MIN(45),
	    MIN(60)));
	CU_ASSERT_NOT_EQUAL(p->ops[0].end, q->ops[0].end);
	scenario_free(a);
	scenario_free(b);
	scenario_free(c);
}

/* The expansion of o's file as text (caller frees). */
static char *
expand(const struct opts *o)
{
	char *text = az_text(o), *out = NULL, *diag = NULL;
	size_t olen = 0, dlen = 0;
	FILE *f = open_memstream(&out, &olen), *d = open_memstream(&diag,
	    &dlen);
	int rc = scenario_expand_print_buffer("t.yaml", text, strlen(text),
	    f, d);

	fclose(f);
	fclose(d);
	if (rc != 0)
		fprintf(stderr, "%s", diag);
	CU_ASSERT_EQUAL(rc, 0);
	free(text);
	free(diag);
	return out;
}

static size_t
count(const char *s, const char *what)
{
	size_t n = 0;

	while ((s = strstr(s, what)) != NULL) {
		n++;
		s += strlen(what);
	}
	return n;
}

/*
 * The items of a resource created at 10m carry its gate (contract,
 * "Gates on items"): a connection's two links and four BGP neighbours,
 * an NSG rule's acl rule, a NIC's link and delivery route; none without
 * a timeline.
 */
static void
test_gates_in_expansion(void)
{
	struct opts o = { .nsg = true };
	char *out = expand(&o);

	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	CU_ASSERT_EQUAL(count(out, "gate:"), 0);
	free(out);
	o.timeline = "  - { at: 10m, create: connections/hub-er }\n"
	    "  - { at: 10m, create: security_rules/app-nsg/AllowDb }\n"
	    "  - { at: 10m, create: network_interfaces/app-nic }\n";
	out = expand(&o);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	CU_ASSERT_EQUAL(count(out, "gate: connections/hub-er"), 6);
	CU_ASSERT_EQUAL(count(out, "gate: security_rules/app-nsg/AllowDb"), 1);
	/* the VM's link and its /32 in the VNet's delivery table */
	CU_ASSERT_EQUAL(count(out, "gate: network_interfaces/app-nic"), 2);
	/* nothing else is gated: the rest is there from time zero */
	CU_ASSERT_EQUAL(count(out, "gate:"), 9);
	/* the timeline compiles into the gates the items name */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "name: connections/hub-er"));
	free(out);
}

static const struct test_case cases[] = {
	{ "circuit states: create, provider, delete (1.2, 1.8)",
	    test_circuit_states },
	{ "no timeline: settled from time zero, no gate", test_settled },
	{ "peering and connection wait for Provisioned (1.2, 3.5)",
	    test_provider_order },
	{ "reserved peer ASN at the peering's create (1.4)",
	    test_reserved_asn },
	{ "gateway: 45 minutes or more (1.7, B5)", test_gateway_create },
	{ "GatewaySubnet refusals at the gateway's create (1.6)",
	    test_gateway_subnet },
	{ "circuits per gateway SKU at the connection's create (1.6, B5)",
	    test_sku_circuits },
	{ "circuit delete prerequisites (B1, 1.2, 3.1)", test_circuit_delete },
	{ "bandwidth: increase only (B1)", test_bandwidth },
	{ "subnet refusals at create (2.5, B4)", test_subnet_refusals },
	{ "gateway resize (1.6, B5)", test_gateway_resize },
	{ "peering reset (1.5)", test_peering_reset },
	{ "in-use subnets and VNets are not deleted", test_delete_in_use },
	{ "same seed, same times", test_same_seed },
	{ "gates on a timeline resource's items", test_gates_in_expansion },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	scenario_models_init();
	return test_main(argc, argv, "azure_prov", cases);
}
