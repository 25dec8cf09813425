/*
 * test_azure_prov_ops.c - what the Azure model refuses on the timeline
 * beyond a create's prerequisites (models/azure/azure_prov_ops.c): an
 * operation while another runs on the same resource, resets of a peering
 * that is not there, deletes of what is still in use, and what a delete
 * leaves behind. Times are exact: the durations are the seeded draws of
 * provision.c (prov_draw_raw, stream = the operation's index, first
 * draw).
 */
#include "azure_prov_testutil.h"

/*
 * ARM takes one operation at a time on a resource (AnotherOperation-
 * InProgress): a delete during the gateway's create, a bandwidth set
 * while a raise runs (it would be judged against the stale 1000), a reset
 * during a reset are refused, and the running operation's states stand.
 */
static void
test_another_operation(void)
{
	struct opts o = { .no_conns = true, .timeline =
	    "  - { at: 14s, create: virtual_network_gateways/hub-gw }\n"
	    "  - { at: 10m, delete: virtual_network_gateways/hub-gw,\n"
	    "      expect: { error: AnotherOperationInProgress } }\n"
	    "  - { at: 10m, update: express_route_circuits/er,\n"
	    "      set: { bandwidth_in_mbps: 2000 } }\n"
	    "  - { at: 630s, update: express_route_circuits/er,\n"
	    "      set: { bandwidth_in_mbps: 1000 },\n"
	    "      expect: { error: AnotherOperationInProgress } }\n"
	    "  - { at: 20m, reset: peerings/er/AzurePrivatePeering }\n"
	    "  - { at: 1220s, reset: peerings/er/AzurePrivatePeering,\n"
	    "      expect: { error: AnotherOperationInProgress } }\n" };
	const struct prov_plan *p;
	struct scenario *sc = load_ok(&o, &p);
	sim_time t0 = SIM_S(14) + draw(0, MIN(45), MIN(60));
	sim_time t2 = MIN(10) + draw(2, MIN(1), MIN(5));
	sim_time t4 = MIN(20) + draw(4, SIM_S(30), MIN(2));

	op_ok(p, 0, SIM_S(14), t0);
	op_refused(p, 1, MIN(10), "AnotherOperationInProgress: Another "
	    "operation on this or dependent resource is in progress: "
	    "VirtualNetworkGateway 'hub-gw' is Updating until it completes");
	FIELD_IS(p, "virtual_network_gateways", "hub-gw", "provisioningState",
	    MIN(70), "Succeeded");
	CU_ASSERT_TRUE(prov_exists(p, prov_find_res(p,
	    "virtual_network_gateways", "hub-gw"), MIN(70)));
	op_ok(p, 2, MIN(10), t2);
	op_refused(p, 3, SIM_S(630), "AnotherOperationInProgress: Another "
	    "operation on this or dependent resource is in progress: "
	    "ExpressRouteCircuit 'er' is Updating until it completes");
	FIELD_IS(p, "express_route_circuits", "er", "bandwidthInMbps", t2,
	    "2000");
	FIELD_IS(p, "express_route_circuits", "er", "provisioningState",
	    t2 - 1, "Updating");
	op_ok(p, 4, MIN(20), t4);
	op_refused(p, 5, SIM_S(1220), "AnotherOperationInProgress: Another "
	    "operation on this or dependent resource is in progress: "
	    "ExpressRouteCircuitPeering 'er/AzurePrivatePeering' is Updating "
	    "until it completes");
	FIELD_IS(p, "peerings", "er/AzurePrivatePeering", "provisioningState",
	    t4 - 1, "Updating");
	scenario_free(sc);
}

/*
 * The messages name the right things: an update of a circuit being
 * deleted says so of the circuit itself (it read "ExpressRouteCircuit
 * 'er' needs ExpressRouteCircuit 'er', which is being deleted"), a gateway update names the key it
 * does not model, not the first one.
 */
static void
test_messages(void)
{
	struct opts o = { .no_conns = true, .timeline =
	    "  - { id: dp, at: 1m, update: express_route_circuits/er,\n"
	    "      set: { service_provider_provisioning_state: NotProvisioned } }\n"
	    "  - { id: del, after: dp, delete: express_route_circuits/er }\n"
	    "  - { after: dp, delay: 30s, update: express_route_circuits/er,\n"
	    "      set: { bandwidth_in_mbps: 2000 }, expect: { error: "
	    "AnotherOperation } }\n"
	    "  - { at: 2h, update: virtual_network_gateways/hub-gw,\n"
	    "      set: { sku: HighPerformance, x: y }, expect: { error: "
	    "modelled } }\n" };
	const struct prov_plan *p;
	struct scenario *sc = load_ok(&o, &p);
	sim_time t0 = MIN(1) + draw(0, MIN(5), MIN(15));
	sim_time t1 = t0 + draw(1, MIN(1), MIN(3));

	op_ok(p, 1, t0, t1);
	op_refused(p, 2, t0 + SIM_S(30), "AnotherOperationInProgress: Another "
	    "operation on this or dependent resource is in progress: "
	    "ExpressRouteCircuit 'er' is Deleting until it completes");
	op_refused(p, 3, MIN(120), "gateway 'hub-gw': updating 'x' is not "
	    "modelled (sku)");
	scenario_free(sc);
}

/*
 * 1.2, 3.1: a reset needs the peering there and its circuit Provisioned:
 * Oracle's peering, which no virtual circuit has provisioned, is not
 * found; a configured peering whose provider deprovisioned is refused.
 */
static void
test_reset_absent(void)
{
	struct opts o = { .no_conns = true, .provider =
	    IC_PROVIDER_ORACLE, .timeline =
	    "  - { at: 1m, reset: peerings/er/AzurePrivatePeering,\n"
	    "      expect: { error: ResourceNotFound } }\n" };
	const struct prov_plan *p;
	struct scenario *sc = load_ok(&o, &p);

	op_refused(p, 0, MIN(1), "ResourceNotFound: The Resource "
	    "'Microsoft.Network/expressRouteCircuits/er/peerings/"
	    "AzurePrivatePeering' was not found: with provider Oracle the "
	    "private peering appears once the OCI virtual circuit is "
	    "provisioned (3.1)");
	CU_ASSERT_PTR_NULL(field(p, "peerings", "er/AzurePrivatePeering",
	    "provisioningState", MIN(5)));
	scenario_free(sc);
	o.provider = NULL;
	o.timeline =
	    "  - { id: dp, at: 1m, update: express_route_circuits/er,\n"
	    "      set: { service_provider_provisioning_state: NotProvisioned } }\n"
	    "  - { after: dp, reset: peerings/er/AzurePrivatePeering,\n"
	    "      expect: { error: reset only } }\n";
	sc = load_ok(&o, &p);
	op_refused(p, 1, MIN(1) + draw(0, MIN(5), MIN(15)), "circuit 'er': its "
	    "private peering can be reset only while "
	    "serviceProviderProvisioningState is Provisioned, it is "
	    "NotProvisioned (1.2)");
	scenario_free(sc);
}

/*
 * ARM does not delete what is still in use: an NSG associated with a
 * subnet (InUseNetworkSecurityGroupCannotBeDeleted), a route table
 * likewise (InUseRouteTableCannotBeDeleted), a gateway with a
 * connection; once the subnet is gone (its VNet deleted after the
 * gateway, the connection and the VM), the NSG goes.
 */
static void
test_in_use(void)
{
	struct opts o = { .nsg = true, .timeline =
	    "  - { at: 1m, delete: network_security_groups/app-nsg,\n"
	    "      expect: { error: InUseNetworkSecurityGroup } }\n"
	    "  - { at: 2m, delete: virtual_network_gateways/hub-gw,\n"
	    "      expect: { error: connection } }\n"
	    "  - { id: cn, at: 3m, delete: connections/hub-er }\n"
	    "  - { id: gw, after: cn, delete: virtual_network_gateways/hub-gw }\n"
	    "  - { id: vm, after: gw, delete: virtual_machines/app-vm }\n"
	    "  - { id: vn, after: vm, delete: virtual_networks/hub }\n"
	    "  - { after: vn, delete: network_security_groups/app-nsg }\n" };
	const struct prov_plan *p;
	struct scenario *sc = load_ok(&o, &p);
	sim_time t2 = MIN(3) + draw(2, MIN(1), MIN(3));
	sim_time t3 = t2 + draw(3, MIN(10), MIN(20));
	sim_time t4 = t3 + draw(4, SIM_S(30), MIN(2));
	sim_time t5 = t4 + draw(5, SIM_S(5), SIM_S(15));
	sim_time t6 = t5 + draw(6, SIM_S(3), SIM_S(10));

	op_refused(p, 0, MIN(1), "InUseNetworkSecurityGroupCannotBeDeleted: "
	    "Network security group app-nsg cannot be deleted because it is in "
	    "use by the following resources: virtualNetworks/hub/subnets/app. "
	    "In order to delete the Network security group, remove the "
	    "association with the resource(s)");
	op_refused(p, 1, MIN(2), "gateway 'hub-gw' still has 1 connection: "
	    "delete the connections first");
	CU_ASSERT_TRUE(carries(p, "network_security_groups", "app-nsg",
	    MIN(3)));
	op_ok(p, 3, t2, t3);
	op_ok(p, 6, t5, t6);
	CU_ASSERT_FALSE(prov_exists(p, prov_find_res(p,
	    "network_security_groups", "app-nsg"), t6));
	scenario_free(sc);
	/* a route table associated with a subnet: InUseRouteTable... */
	o.nsg = false;
	o.rt = true;
	o.timeline = "  - { at: 1m, delete: route_tables/app-rt,\n"
	    "      expect: { error: InUseRouteTable } }\n";
	sc = load_ok(&o, &p);
	op_refused(p, 0, MIN(1), "InUseRouteTableCannotBeDeleted: Route table "
	    "app-rt cannot be deleted because it is in use by the following "
	    "resources: virtualNetworks/hub/subnets/app. In order to delete the "
	    "route table, remove the association with the resource(s)");
	scenario_free(sc);
}

/*
 * A circuit's delete takes its peering with it, Oracle's too (which its
 * virtual circuit, not the circuit's create, brings), and leaves no
 * field reading as if the circuit were alive.
 */
static void
test_circuit_delete_children(void)
{
	struct opts o = { .no_conns = true, .provider =
	    IC_PROVIDER_ORACLE, .timeline =
	    "  - { at: 1m, delete: express_route_circuits/er }\n" };
	const struct prov_plan *p;
	struct scenario *sc = load_ok(&o, &p);
	sim_time t0 = MIN(1) + draw(0, MIN(1), MIN(3));
	const struct prov_res *pr = prov_find_res(p, "peerings",
	    "er/AzurePrivatePeering");

	op_ok(p, 0, MIN(1), t0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pr);
	CU_ASSERT_TRUE(prov_exists(p, pr, t0 - 1));
	CU_ASSERT_FALSE(prov_exists(p, pr, t0));
	FIELD_IS(p, "express_route_circuits", "er", "circuitProvisioningState",
	    t0 - 1, "Enabled");
	CU_ASSERT_PTR_NULL(field(p, "express_route_circuits", "er",
	    "circuitProvisioningState", t0));
	CU_ASSERT_PTR_NULL(field(p, "express_route_circuits", "er",
	    "serviceProviderProvisioningState", t0));
	CU_ASSERT_PTR_NULL(field(p, "express_route_circuits", "er",
	    "bandwidthInMbps", t0));
	scenario_free(sc);
	/* a configured peering: Deleting with it, then gone, state too */
	o.provider = NULL;
	o.timeline =
	    "  - { id: dp, at: 1m, update: express_route_circuits/er,\n"
	    "      set: { service_provider_provisioning_state: NotProvisioned } }\n"
	    "  - { after: dp, delete: express_route_circuits/er }\n";
	sc = load_ok(&o, &p);
	t0 = MIN(1) + draw(0, MIN(5), MIN(15));
	FIELD_IS(p, "peerings", "er/AzurePrivatePeering", "provisioningState",
	    t0, "Deleting");
	CU_ASSERT_PTR_NULL(field(p, "peerings", "er/AzurePrivatePeering",
	    "state", t0 + draw(1, MIN(1), MIN(3))));
	scenario_free(sc);
}

/*
 * "this or dependent resource": a gateway resize while a connection on it
 * is being created is refused too.
 */
static void
test_dependent_busy(void)
{
	struct opts o = { .gw_sku = "HighPerformance", .timeline =
	    "  - { at: 1m, create: connections/hub-er }\n"
	    "  - { at: 90s, update: virtual_network_gateways/hub-gw,\n"
	    "      set: { sku: UltraPerformance }, expect: { error: "
	    "AnotherOperation } }\n" };
	const struct prov_plan *p;
	struct scenario *sc = load_ok(&o, &p);

	op_ok(p, 0, MIN(1), MIN(1) + draw(0, MIN(1), MIN(5)));
	op_refused(p, 1, SIM_S(90), "AnotherOperationInProgress: Another "
	    "operation on this or dependent resource is in progress: "
	    "connection 'hub-er' of VirtualNetworkGateway 'hub-gw' is Updating "
	    "until it completes");
	FIELD_IS(p, "virtual_network_gateways", "hub-gw", "sku", MIN(60),
	    "HighPerformance");
	scenario_free(sc);
}


/*
 * A VNet's subnets are parts of it (one ARM PUT): with the VNet created
 * at 1m, a VM created at 10s finds no subnet (ResourceNotFound, not "being
 * deleted"), the subnets exist from the VNet's create on, and the VM
 * created after it succeeds.
 */
static void
test_parts_follow_parent(void)
{
	struct opts o = { .no_conns = true, .timeline =
	    "  - { at: 10s, create: virtual_machines/app-vm,\n"
	    "      expect: { error: ResourceNotFound } }\n"
	    "  - { id: v, at: 1m, create: virtual_networks/hub }\n"
	    "  - { after: v, create: virtual_machines/app-vm }\n" };
	const struct prov_plan *p;
	struct scenario *sc = load_ok(&o, &p);
	const struct prov_res *sub = prov_find_res(p, "subnets", "hub/app");
	sim_time t1 = MIN(1) + draw(1, SIM_S(5), SIM_S(15));

	CU_ASSERT_PTR_NOT_NULL_FATAL(sub);
	CU_ASSERT_FALSE(prov_exists(p, sub, 0));
	CU_ASSERT_FALSE(prov_exists(p, sub, SIM_S(30)));
	CU_ASSERT_TRUE(prov_exists(p, sub, t1));
	CU_ASSERT_PTR_NOT_NULL(strstr(p->ops[0].error, "ResourceNotFound"));
	CU_ASSERT_PTR_NULL(strstr(p->ops[0].error, "being deleted"));
	CU_ASSERT_FALSE(p->ops[2].refused);
	FIELD_IS(p, "subnets", "hub/app", "provisioningState", t1,
	    "Succeeded");
	scenario_free(sc);
}

static const struct test_case cases[] = {
	{ "a VNet's subnets exist only with it (a VM before it: ResourceNotFound)",
	    test_parts_follow_parent },
	{ "a resize while a connection of the gateway is made",
	    test_dependent_busy },
	{ "a circuit's delete takes its peering and fields",
	    test_circuit_delete_children },
	{ "in-use NSG and gateway deletes refused", test_in_use },
	{ "reset of a peering not there or not Provisioned (1.2, 3.1)",
	    test_reset_absent },
	{ "messages name the resource and key at fault", test_messages },
	{ "an operation while another runs (AnotherOperationInProgress)",
	    test_another_operation },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	scenario_models_init();
	return test_main(argc, argv, "azure_prov_ops", cases);
}
