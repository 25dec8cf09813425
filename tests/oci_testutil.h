/*
 * oci_testutil.h - the scenario the OCI tests start from: hand-written
 * MSEEs and an Azure-side host (AS 12076 and a CE stand-in), the VCN
 * db-vcn with subnets db and other, the instance db1, the DRG drg1 and
 * the virtual circuit vc1 with key er1. test_oci.c edits it one place at a
 * time for each check (edit: base with the first `from` replaced by
 * `to`); test_oci_expand.c expands and runs it.
 */
#ifndef XCSIM_OCI_TESTUTIL_H
#define XCSIM_OCI_TESTUTIL_H

static const char base[] =
    "name: t\n"
    "nodes:\n"
    "  - name: msee-primary\n"
    "    role: msee\n"
    "    interfaces:\n"
    "      - {name: private-peering, address: 169.254.0.2/30, vlan: 33}\n"
    "  - name: msee-secondary\n"
    "    role: msee\n"
    "    interfaces:\n"
    "      - {name: private-peering, address: 169.254.1.2/30, vlan: 33}\n"
    "oci:\n"
    "  region: us-ashburn-1\n"
    "  vcns:\n"
    "    - name: db-vcn\n"
    "      cidr_blocks: [10.2.0.0/16]\n"
    "      subnets:\n"
    "        - name: db\n"
    "          cidr_block: 10.2.1.0/24\n"
    "          route_table: db-rt\n"
    "          security_lists: [db-sl]\n"
    "        - name: app\n"
    "          cidr_block: 10.2.2.0/24\n"
    "      route_tables:\n"
    "        - name: db-rt\n"
    "          route_rules:\n"
    "            - {destination: 10.1.0.0/16, network_entity_id: drg1}\n"
    "      security_lists:\n"
    "        - name: db-sl\n"
    "          ingress_security_rules:\n"
    "            - source: 10.1.0.0/16\n"
    "              protocol: \"6\"\n"
    "              tcp_options: {destination_port_range: {min: 1521, "
    "max: 1521}}\n"
    "            - {source: 10.1.0.0/16, protocol: \"1\", icmp_options: "
    "{type: 8}}\n"
    "          egress_security_rules:\n"
    "            - {destination: 0.0.0.0/0, protocol: all}\n"
    "      network_security_groups:\n"
    "        - name: db-nsg\n"
    "          security_rules:\n"
    "            - {direction: INGRESS, source: 10.1.2.0/24, protocol: "
    "\"17\"}\n"
    "  instances:\n"
    "    - name: db1\n"
    "      vnics: [{name: db1-vnic, subnet: db-vcn/db, nsg_ids: [db-nsg]}]\n"
    "    - name: db2\n"
    "      vnics: [{name: db2-vnic, subnet: db-vcn/db, private_ip: "
    "10.2.1.2}]\n"
    "  drgs:\n"
    "    - name: drg1\n"
    "      drg_attachments:\n"
    "        - name: db-vcn-att\n"
    "          network_details: {type: VCN, id: db-vcn}\n"
    "    - name: drg2\n"
    "  virtual_circuits:\n"
    "    - name: vc1\n"
    "      type: PRIVATE\n"
    "      provider_service_name: \"Microsoft Azure: ExpressRoute\"\n"
    "      provider_service_key_name: er1\n"
    "      bandwidth_shape_name: 1 Gbps\n"
    "      gateway_id: drg1\n"
    "      is_bfd_enabled: true\n"
    "      cross_connect_mappings:\n"
    "        - {customer_bgp_peering_ip: 169.254.0.2/30, "
    "oracle_bgp_peering_ip: 169.254.0.1/30, vlan: 33, bgp_md5auth_key: "
    "s3cret}\n"
    "        - {customer_bgp_peering_ip: 169.254.1.2/30, "
    "oracle_bgp_peering_ip: 169.254.1.1/30, vlan: 33, bgp_md5auth_key: "
    "s3cret}\n";

/* base with the first `from` replaced by `to`; caller frees. */
static char *
edit(const char *from, const char *to)
{
	const char *at = strstr(base, from);
	size_t n;
	char *s;

	CU_ASSERT_PTR_NOT_NULL_FATAL(at);
	n = strlen(base) - strlen(from) + strlen(to) + 1;
	s = malloc(n);
	snprintf(s, n, "%.*s%s%s", (int)(at - base), base, to,
	    at + strlen(from));
	return s;
}

#endif
