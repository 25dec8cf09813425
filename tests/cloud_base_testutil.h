/*
 * cloud_base_testutil.h - the two-cloud scenarios the interconnect tests
 * share, as string literal pieces.
 *
 * test_oci_azure.c's and test_oci_prov_run.c's: from `seed:` to the
 * virtual circuit's provider_service_name, an Azure VNet with a VM, an
 * ExpressRoute gateway, a circuit er-ashburn with provider Oracle Cloud
 * FastConnect and its connection; an OCI VCN with a database subnet, its route table and
 * security list, an instance db1, a DRG with its attachment and a virtual
 * circuit vc1, whose other fields each test writes.
 */
#ifndef XCSIM_CLOUD_BASE_TESTUTIL_H
#define XCSIM_CLOUD_BASE_TESTUTIL_H

#define CLOUD_BASE_TO_VC \
    "seed: 7\n" \
    "azure:\n" \
    "  virtual_networks:\n" \
    "    - name: app-vnet\n" \
    "      location: eastus\n" \
    "      address_space: { address_prefixes: [10.1.0.0/16] }\n" \
    "      subnets:\n" \
    "        - { name: app, address_prefix: 10.1.1.0/24 }\n" \
    "        - { name: GatewaySubnet, address_prefix: 10.1.255.0/27 }\n" \
    "  virtual_machines:\n" \
    "    - name: app-vm\n" \
    "      network_interfaces: [{ name: app-nic, subnet: app-vnet/app }]\n" \
    "  virtual_network_gateways:\n" \
    "    - { name: app-gw, sku: ErGw1AZ, virtual_network: app-vnet }\n" \
    "  express_route_circuits:\n" \
    "    - name: er-ashburn\n" \
    "      service_provider_name: Oracle Cloud FastConnect\n" \
    "      peering_location: Washington DC\n" \
    "      bandwidth_in_mbps: 1000\n" \
    "  connections:\n" \
    "    - { name: app-er, virtual_network_gateway: app-gw,\n" \
    "        express_route_circuit: er-ashburn }\n" \
    "oci:\n" \
    "  region: us-ashburn-1\n" \
    "  vcns:\n" \
    "    - name: db-vcn\n" \
    "      cidr_blocks: [10.2.0.0/16]\n" \
    "      subnets:\n" \
    "        - { name: db, cidr_block: 10.2.1.0/24, route_table: db-rt,\n" \
    "            security_lists: [db-sl] }\n" \
    "      route_tables:\n" \
    "        - name: db-rt\n" \
    "          route_rules:\n" \
    "            - { destination: 10.1.0.0/16, network_entity_id: drg1 }\n" \
    "      security_lists:\n" \
    "        - name: db-sl\n" \
    "          ingress_security_rules:\n" \
    "            - source: 10.1.1.0/24\n" \
    "              protocol: \"6\"\n" \
    "              tcp_options:\n" \
    "                destination_port_range: { min: 1521, max: 1521 }\n" \
    "            - { source: 10.1.1.0/24, protocol: \"1\", icmp_options: { type: 8 } }\n" \
    "          egress_security_rules:\n" \
    "            - { destination: 0.0.0.0/0, protocol: all }\n" \
    "  instances:\n" \
    "    - name: db1\n" \
    "      vnics: [{ name: db1-vnic, subnet: db-vcn/db }]\n" \
    "  drgs:\n" \
    "    - name: drg1\n" \
    "      drg_attachments:\n" \
    "        - { name: db-vcn-att, network_details: { type: VCN, id: db-vcn } }\n" \
    "  virtual_circuits:\n" \
    "    - name: vc1\n" \
    "      provider_service_name: \"Microsoft Azure: ExpressRoute\"\n"

/*
 * test_azure_oci.c's and test_azure_prov_run.c's: from `azure:` to the
 * virtual circuit's second cross-connect mapping, a hub VNet with an NSG,
 * a VM, an ExpressRoute gateway, a circuit with provider Oracle Cloud
 * FastConnect and its connection hub-er; a VCN with a database instance
 * db1, a DRG and a virtual circuit vc1 on the circuit.
 */
#define CLOUD_HUB_TWO_CLOUDS \
    "azure:\n" \
    "  virtual_networks:\n" \
    "    - name: hub\n" \
    "      location: eastus\n" \
    "      address_space: { address_prefixes: [10.1.0.0/16] }\n" \
    "      subnets:\n" \
    "        - { name: app, address_prefix: 10.1.1.0/24, network_security_group: app-nsg }\n" \
    "        - { name: GatewaySubnet, address_prefix: 10.1.255.0/27 }\n" \
    "  network_security_groups:\n" \
    "    - name: app-nsg\n" \
    "      security_rules:\n" \
    "        - { name: AllowOci, priority: 100, direction: Inbound, access: Allow, source_address_prefix: 10.2.0.0/16 }\n" \
    "  virtual_machines:\n" \
    "    - name: app-vm\n" \
    "      network_interfaces: [{ name: app-nic, subnet: hub/app }]\n" \
    "  virtual_network_gateways:\n" \
    "    - { name: hub-gw, sku: UltraPerformance, virtual_network: hub }\n" \
    "  express_route_circuits:\n" \
    "    - name: er-ashburn\n" \
    "      service_provider_name: Oracle Cloud FastConnect\n" \
    "      peering_location: Washington DC\n" \
    "      bandwidth_in_mbps: 1000\n" \
    "  connections:\n" \
    "    - { name: hub-er, virtual_network_gateway: hub-gw, express_route_circuit: er-ashburn }\n" \
    "oci:\n" \
    "  region: us-ashburn-1\n" \
    "  vcns:\n" \
    "    - name: db-vcn\n" \
    "      cidr_blocks: [10.2.0.0/16]\n" \
    "      subnets:\n" \
    "        - { name: db, cidr_block: 10.2.1.0/24, route_table: db-rt, security_lists: [db-sl] }\n" \
    "      route_tables:\n" \
    "        - name: db-rt\n" \
    "          route_rules:\n" \
    "            - { destination: 10.1.0.0/16, network_entity_id: drg1 }\n" \
    "      security_lists:\n" \
    "        - name: db-sl\n" \
    "          ingress_security_rules:\n" \
    "            - source: 10.1.0.0/16\n" \
    "              protocol: \"6\"\n" \
    "              tcp_options: { destination_port_range: { min: 1521, max: 1521 } }\n" \
    "            - { source: 10.1.0.0/16, protocol: \"1\", icmp_options: { type: 8 } }\n" \
    "          egress_security_rules:\n" \
    "            - { destination: 0.0.0.0/0, protocol: all }\n" \
    "  instances:\n" \
    "    - name: db1\n" \
    "      vnics: [{ name: db1-vnic, subnet: db-vcn/db }]\n" \
    "  drgs:\n" \
    "    - name: drg1\n" \
    "      drg_attachments:\n" \
    "        - { name: db-vcn-att, network_details: { type: VCN, id: db-vcn } }\n" \
    "  virtual_circuits:\n" \
    "    - name: vc1\n" \
    "      type: PRIVATE\n" \
    "      provider_service_name: \"Microsoft Azure: ExpressRoute\"\n" \
    "      provider_service_key_name: er-ashburn\n" \
    "      bandwidth_shape_name: 1 Gbps\n" \
    "      gateway_id: drg1\n" \
    "      cross_connect_mappings:\n" \
    "        - { customer_bgp_peering_ip: 169.254.0.2/30, oracle_bgp_peering_ip: 169.254.0.1/30, vlan: 33 }\n" \
    "        - { customer_bgp_peering_ip: 169.254.1.2/30, oracle_bgp_peering_ip: 169.254.1.1/30, vlan: 33 }\n"

#endif
