/*
 * test_oci.c - the `oci` section's checks, table-driven: each case edits a
 * valid scenario (one VCN with a subnet, a route table to the DRG and a
 * security list; an instance; a DRG; a FastConnect virtual circuit facing
 * hand-written MSEEs) in one place and expects one error at the place it
 * names, citing the fact of ../shared/facts/cloud-facts.md it enforces.
 * What a valid one expands into is in test_oci_expand.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "interconnect.h"
#include "scenario_models.h"
#include "scenario_testutil.h"
#include "testutil.h"

#include "oci_testutil.h"

/* "line:col" of the first `what` in text. */
static void
where(const char *text, const char *what, char *out, size_t len)
{
	const char *at = strstr(text, what), *p;
	unsigned line = 1, col = 1;

	CU_ASSERT_PTR_NOT_NULL_FATAL(at);
	for (p = text; p < at; p++) {
		if (*p == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	snprintf(out, len, "%u:%u", line, col);
}

struct ecase {
	const char *from, *to;	/* the edit */
	const char *at;		/* where the error points (in the edit) */
	const char *msg;
};

static const struct ecase ecases[] = {
	/* 2.5, B6: VCN CIDRs */
	{ "[10.2.0.0/16]", "[10.0.0.0/8]", "10.0.0.0/8",
	    "VCN CIDR block '10.0.0.0/8' must be /16 to /30 (2.5, B6)" },
	{ "[10.2.0.0/16]", "[10.2.0.0/31]", "10.2.0.0/31",
	    "must be /16 to /30" },
	{ "[10.2.0.0/16]", "[10.2.0.1/16]", "10.2.0.1/16",
	    "is not a network address (did you mean 10.2.0.0/16?)" },
	{ "[10.2.0.0/16]", "[10.2.0.0/16, 10.2.128.0/17]", "10.2.128.0/17",
	    "overlaps another of the VCN's blocks" },
	{ "[10.2.0.0/16]", "[ten]", "ten", "is not a CIDR block" },
	/* 2.5: subnets */
	{ "cidr_block: 10.2.1.0/24", "cidr_block: 10.3.1.0/24",
	    "10.3.1.0/24", "subnet 10.3.1.0/24 is outside the VCN's "
	    "cidr_blocks (2.5)" },
	{ "cidr_block: 10.2.2.0/24", "cidr_block: 10.2.1.128/25",
	    "10.2.1.128/25", "overlaps subnet 'db'" },
	{ "cidr_block: 10.2.2.0/24", "cidr_block: 10.2.2.0/31",
	    "10.2.2.0/31", "the smallest subnet is a /30" },
	{ "cidr_block: 10.2.1.0/24", "cidr_block: 10.2.1.1/24",
	    "10.2.1.1/24", "host bits" },
	{ "route_table: db-rt", "route_table: db-rtx", "db-rtx",
	    "unknown db-vcn route table 'db-rtx' (did you mean 'db-rt'?)" },
	{ "security_lists: [db-sl]", "security_lists: [db-sk]", "db-sk",
	    "unknown db-vcn security list 'db-sk' (did you mean 'db-sl'?)" },
	{ "security_lists: [db-sl]", "security_lists: [db-sl, db-sl, db-sl, "
	    "db-sl, db-sl, db-sl]", "[db-sl, db-sl", "at most 5 security "
	    "lists (2.6)" },
	/* VNICs: subnet, addresses (2.5), NSGs (2.6) */
	{ "subnet: db-vcn/db,", "subnet: db-vcn/dbx,", "db-vcn/dbx",
	    "unknown subnet (VCN/SUBNET) 'db-vcn/dbx' (did you mean "
	    "'db-vcn/db'?)" },
	{ "private_ip: 10.2.1.2", "private_ip: 10.2.1.1", "10.2.1.1}",
	    "private_ip 10.2.1.1 is one of the 3 addresses OCI reserves in "
	    "subnet 'db' (network, gateway .1, broadcast: 2.5)" },
	{ "private_ip: 10.2.1.2", "private_ip: 10.2.1.255", "10.2.1.255",
	    "one of the 3 addresses OCI reserves" },
	{ "private_ip: 10.2.1.2", "private_ip: 10.2.1.0", "10.2.1.0}",
	    "one of the 3 addresses OCI reserves" },
	{ "private_ip: 10.2.1.2", "private_ip: 10.2.2.9", "10.2.2.9",
	    "private_ip 10.2.2.9 is outside subnet 'db' (10.2.1.0/24)" },
	{ "nsg_ids: [db-nsg]", "nsg_ids: [db-nsh]", "db-nsh",
	    "unknown db-vcn network security group 'db-nsh' (did you mean "
	    "'db-nsg'?)" },
	{ "    - name: db2\n      vnics: [{name: db2-vnic, subnet: db-vcn/db, "
	    "private_ip: 10.2.1.2}]\n", "    - name: db2\n      vnics: []\n",
	    "[]\n", "an instance has at least one VNIC, its primary" },
	/* security rules */
	{ "protocol: \"6\"", "protocol: tcp", "tcp\n",
	    "protocol 'tcp' is not \"all\" or a protocol number 0..255" },
	{ "protocol: \"6\"", "protocol: \"17\"", "{destination_port_range",
	    "tcp_options need protocol \"6\"" },
	{ "{type: 8}", "{type: 8, code: 300}", "300", "300" },
	{ "{min: 1521, max: 1521}", "{min: 1522, max: 1521}", "1521}}",
	    "port range 1522..1521 is empty" },
	{ "{direction: INGRESS, source:", "{direction: INGRESS, destination:",
	    "10.1.2.0/24", "an INGRESS rule has a source, not a destination" },
	{ "source: 10.1.0.0/16\n", "source: 10.1.0.1/16\n", "10.1.0.1/16",
	    "source '10.1.0.1/16' is not a network address" },
	/* route rules and DRG attachments (2.7, 2.9) */
	{ "network_entity_id: drg1", "network_entity_id: drg2", "drg2}",
	    "VCN 'db-vcn' is not attached to DRG 'drg2'" },
	{ "network_entity_id: drg1", "network_entity_id: drg3", "drg3",
	    "unknown OCI DRG 'drg3'" },
	{ "    - name: drg2\n", "    - name: drg2\n      drg_attachments:\n"
	    "        - {name: again, network_details: {type: VCN, id: "
	    "db-vcn}}\n", "db-vcn}}", "VCN 'db-vcn' is already attached to "
	    "DRG 'drg1' (", },
	{ "{type: VCN, id: db-vcn}", "{type: IPSEC_TUNNEL, id: db-vcn}",
	    "IPSEC_TUNNEL", "IPSEC_TUNNEL attachments come with their "
	    "ip_sec_connections item (its drg_id): write none here" },
	{ "{type: VCN, id: db-vcn}", "{type: VCN, id: db-vnc}", "db-vnc",
	    "unknown OCI VCN 'db-vnc' (did you mean 'db-vcn'?)" },
	{ "    - name: drg2\n", "    - name: drg2\n      drg_attachments:\n"
	    "        - {name: v, network_details: {type: VIRTUAL_CIRCUIT, id: "
	    "vc1}}\n", "vc1}}", "virtual circuit 'vc1' terminates on DRG "
	    "'drg1' (its gateway_id), not on 'drg2'" },
	{ "    - name: drg2\n", "    - name: drg2\n      drg_route_tables:\n"
	    "        - {name: autogenerated-vcn}\n", "autogenerated-vcn",
	    "is the name of an autogenerated DRG route table (2.7)" },
	/* virtual circuits: the key (B2), provider, shape (3.1), mappings */
	{ "  - name: msee-primary\n", "  - name: msee-1\n", "er1",
	    "404-NotAuthorizedOrNotFound: no ExpressRoute circuit has "
	    "service key 'er1' (B2): the scenario has no azure circuits and "
	    "no node 'msee-primary' with interface 'private-peering' stands "
	    "in for its MSEE" },
	{ "\"Microsoft Azure: ExpressRoute\"", "\"Megaport\"", "\"Megaport\"",
	    "provider \"Megaport\" is a FastConnect partner (not \"Microsoft "
	    "Azure: ExpressRoute\"): give provider_service_type LAYER2 or "
	    "LAYER3" },
	/* 2.9, 3.5: Azure's side fills the far end's ASN, 12076 */
	{ "provider_service_key_name: er1\n", "provider_service_key_name: "
	    "er1\n      customer_asn: 65000\n", "65000", "with provider "
	    "\"Microsoft Azure: ExpressRoute\" the far end is Microsoft's "
	    "MSEE, AS 12076, which the provider side fills in (2.9, 3.5): "
	    "leave customer_asn out" },
	{ "provider_service_key_name: er1\n", "provider_service_key_name: "
	    "er1\n      provider_service_type: LAYER3\n", "LAYER3",
	    "with provider \"Microsoft Azure: ExpressRoute\" there is no "
	    "partner: provider_service_type is a partner's (3.1)" },
	{ "      provider_service_key_name: er1\n", "", "\"Microsoft Azure: "
	    "ExpressRoute\"\n", "with provider \"Microsoft Azure: "
	    "ExpressRoute\" give provider_service_key_name, the ExpressRoute "
	    "circuit's service key (B2) or its name" },
	{ "bandwidth_shape_name: 1 Gbps", "bandwidth_shape_name: 3 Gbps",
	    "3 Gbps", "bandwidth shape '3 Gbps' is not offered" },
	{ "type: PRIVATE", "type: PUBLIC", "PUBLIC",
	    "PUBLIC virtual circuits are not modelled" },
	{ "gateway_id: drg1", "gateway_id: drg", "drg\n",
	    "unknown OCI DRG 'drg' (did you mean 'drg1'?)" },
	{ "oracle_bgp_peering_ip: 169.254.0.1/30",
	    "oracle_bgp_peering_ip: 169.254.0.1/29", "169.254.0.1/29",
	    "BGP peering addresses use a /30 or /31 (2.8), not /29" },
	{ "customer_bgp_peering_ip: 169.254.0.2/30",
	    "customer_bgp_peering_ip: 169.254.2.2/30", "169.254.2.2/30",
	    "customer (MSEE) 169.254.2.2/30 is not in Oracle's subnet "
	    "169.254.0.0/30" },
	{ "{customer_bgp_peering_ip: 169.254.0.2/30, oracle_bgp_peering_ip: "
	    "169.254.0.1/30", "{customer_bgp_peering_ip: 169.254.0.1/30, "
	    "oracle_bgp_peering_ip: 169.254.0.2/30", "169.254.0.2/30, vlan: 33, bgp",
	    "Oracle takes the first usable address of the 169.254.0.0/30 and "
	    "the MSEE the second (3.1, 3.3)" },
	{ "oracle_bgp_peering_ip: 169.254.1.1/30, vlan: 33,",
	    "oracle_bgp_peering_ip: 169.254.1.1/30, vlan: 34,", "34,",
	    "vlan 34 differs from the primary path's 33" },
	{ "bgp_md5auth_key: s3cret", "bgp_md5auth_key: "
	    "123456789012345678901234567890123456789012345678901234567890"
	    "123456789012345678901", "1234567", "at most 80 (2.3)" },
	/* display names OCI accepts that would be one name in the expansion */
	{ "        - name: db-sl\n          ingress", "        - name: "
	    "default-security-list\n          ingress", "default-security-list",
	    "security list name 'default-security-list' is the one xcsim "
	    "gives the default security list of VCN 'db-vcn', which a subnet "
	    "naming no list uses: rename this list" },
	{ "name: db1-vnic,", "name: drg,", "drg, subnet",
	    "VNIC name 'drg' is taken by the interface of VCN 'db-vcn' to its "
	    "DRG (docs/oci.md): rename the VNIC" },
	{ "    - name: drg2\n", "    - name: db-vcn\n",
	    "db-vcn\n  virtual_circuits", "DRG 'db-vcn' makes node 'db-vcn', "
	    "as VCN 'db-vcn' (14:13) does (docs/oci.md): rename one" },
	{ "name: app\n", "name: _vcn\n", "_vcn", "subnet name '_vcn' is "
	    "taken by the VCN node's delivery VRF (docs/oci.md): rename the "
	    "subnet" },
	{ "    - name: db2\n", "    - name: oracle-edge-secondary\n",
	    "vc1\n", "virtual circuit 'vc1' makes node "
	    "'oracle-edge-secondary', as instance 'oracle-edge-secondary' "
	    "(43:13) does (docs/oci.md): rename one" },
	/* the internal blocks (docs/interconnect.md) */
	{ "customer_bgp_peering_ip: 169.254.0.2/30, oracle_bgp_peering_ip: "
	    "169.254.0.1/30", "customer_bgp_peering_ip: 169.254.248.2/30, "
	    "oracle_bgp_peering_ip: 169.254.248.1/30", "169.254.248.1/30",
	    "the peering 169.254.248.0/30 is inside 169.254.248.0/21, which "
	    "xcsim reserves for its internal DRG links (IC_BLOCK_OCI, "
	    "docs/interconnect.md): choose a /30 outside 169.254.240.0/20" },
	{ "customer_bgp_peering_ip: 169.254.0.2/30, oracle_bgp_peering_ip: "
	    "169.254.0.1/30", "customer_bgp_peering_ip: 169.254.241.2/30, "
	    "oracle_bgp_peering_ip: 169.254.241.1/30", "169.254.241.1/30",
	    "the peering 169.254.241.0/30 is inside 169.254.240.0/20, which "
	    "xcsim reserves for its internal gateway-MSEE links (IC_BLOCK_MS, "
	    "docs/interconnect.md)" },
	/* 1.3, 3.2: not inside a VCN of the circuit's DRG */
	{ "customer_bgp_peering_ip: 169.254.0.2/30, oracle_bgp_peering_ip: "
	    "169.254.0.1/30", "customer_bgp_peering_ip: 10.2.1.2/30, "
	    "oracle_bgp_peering_ip: 10.2.1.1/30", "10.2.1.1/30",
	    "the peering 10.2.1.0/30 overlaps block 10.2.0.0/16 of VCN "
	    "'db-vcn' on DRG 'drg1': the peering subnets must not overlap the "
	    "address spaces they join (1.3, 3.2)" },
	/* 1.2: one key for the peering's two sessions */
	{ "169.254.1.1/30, vlan: 33, bgp_md5auth_key: s3cret}",
	    "169.254.1.1/30, vlan: 33, bgp_md5auth_key: other}", "other",
	    "bgp_md5auth_key differs from the primary path's: Azure's "
	    "private peering has one MD5 key for both BGP sessions (1.2)" },
	{ "169.254.1.1/30, vlan: 33, bgp_md5auth_key: s3cret}",
	    "169.254.1.1/30, vlan: 33}", "s3cret", "bgp_md5auth_key on the "
	    "primary path only: Azure's "
	    "private peering has one MD5 key for both BGP sessions (1.2)" },
	{ "is_bfd_enabled: true", "is_bfd_enabled: true\n      ip_mtu: "
	    "MTU_4000", "MTU_4000", "MTU_4000" },
};

static void
test_errors(void)
{
	size_t i;

	for (i = 0; i < sizeof(ecases) / sizeof(ecases[0]); i++) {
		const struct ecase *c = &ecases[i];
		char *text = edit(c->from, c->to), *diag = NULL, at[32];
		struct scenario *sc;
		unsigned n = 0;

		where(text, c->at, at, sizeof(at));
		sc = load(text, &diag, &n);
		if (sc != NULL || !has_error(diag, at, c->msg))
			fprintf(stderr, "case %zu (%s): want %s: ...%s...\n"
			    "got:\n%s\n", i, c->to, at, c->msg,
			    diag != NULL ? diag : "");
		CU_ASSERT_PTR_NULL(sc);
		CU_ASSERT(has_error(diag, at, c->msg));
		scenario_free(sc);
		free(diag);
		free(text);
	}
}

/*
 * 512 /30s in 169.254.248.0/21 for the DRG's links, one per VCN, one per
 * virtual circuit path: the 513th refused where it is needed.
 */
static void
test_block(void)
{
	size_t extra, i, len;
	char *text, *diag, *p;
	struct scenario *sc;
	unsigned n;

	for (extra = 509; extra <= 510; extra++) {
		const char *at = strstr(base, "  instances:\n");

		CU_ASSERT_PTR_NOT_NULL_FATAL(at);
		len = strlen(base) + extra * 64 + 1;
		text = malloc(len);
		p = text + snprintf(text, len, "%.*s", (int)(at - base), base);
		for (i = 0; i < extra; i++)
			p += snprintf(p, len - (size_t)(p - text), "    - {name: "
			    "v%zu, cidr_blocks: [10.2.0.0/16]}\n", i);
		snprintf(p, len - (size_t)(p - text), "%s", at);
		diag = NULL;
		n = 0;
		sc = load(text, &diag, &n);
		if (extra == 509) {
			/* 510 VCNs and vc1's 2 paths: 512, the block full */
			if (sc == NULL)
				fprintf(stderr, "%s\n", diag);
			CU_ASSERT_PTR_NOT_NULL(sc);
		} else {
			CU_ASSERT_PTR_NULL(sc);
			CU_ASSERT_PTR_NOT_NULL_FATAL(diag);
			CU_ASSERT_PTR_NOT_NULL(strstr(diag, "error: virtual "
			    "circuit 'vc1' would need /30 number 513 of "
			    "169.254.248.0/21, the block xcsim numbers its DRG "
			    "links from (IC_BLOCK_OCI, docs/interconnect.md), "
			    "which holds 512"));
			CU_ASSERT_EQUAL(n, 1);
		}
		scenario_free(sc);
		free(diag);
		free(text);
	}
}

/* The same with vc1 unnamed (its own error): no "(null)" in the message. */
static void
test_block_unnamed(void)
{
	size_t extra = 510, i, len;
	char *b = edit("    - name: vc1\n      type", "    - type");
	const char *at = strstr(b, "  instances:\n");
	char *text, *diag = NULL, *p;
	struct scenario *sc;
	unsigned n = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(at);
	len = strlen(b) + extra * 64 + 1;
	text = malloc(len);
	p = text + snprintf(text, len, "%.*s", (int)(at - b), b);
	for (i = 0; i < extra; i++)
		p += snprintf(p, len - (size_t)(p - text), "    - {name: "
		    "v%zu, cidr_blocks: [10.2.0.0/16]}\n", i);
	snprintf(p, len - (size_t)(p - text), "%s", at);
	sc = load(text, &diag, &n);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT_PTR_NOT_NULL_FATAL(diag);
	if (strstr(diag, "(null)") != NULL)
		fprintf(stderr, "%s\n", diag);
	CU_ASSERT_PTR_NOT_NULL(strstr(diag, "error: virtual circuit '' would "
	    "need /30 number 513"));
	CU_ASSERT_PTR_NULL(strstr(diag, "(null)"));
	scenario_free(sc);
	free(diag);
	free(text);
	free(b);
}

static const struct test_case cases[] = {
	{ "each OCI rule refused where it is broken", test_errors },
	{ "the DRG links' block holds 512 /30s", test_block },
	{ "the block's message with an unnamed circuit", test_block_unnamed },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	scenario_models_init();
	return test_main(argc, argv, "oci", cases);
}
