/*
 * test_oci_azure.c - the two clouds joined (3.1): an Azure VNet with a VM,
 * an ExpressRoute gateway and a circuit of "Oracle Cloud FastConnect", and
 * an OCI VCN with an instance behind a DRG and a FastConnect virtual
 * circuit of "Microsoft Azure: ExpressRoute" naming the circuit by its
 * service key (B2) or by its name. Needs the azure section (models/azure).
 * - the MSEEs' private peering is the virtual circuit's (oci_vc_peering:
 *   .2 of each /30, VLAN 33, peer AS 31898: 3.1, 3.3, B2);
 * - a key that matches no circuit is OCI's 404 (B2), listing the keys;
 * - after start-up the VCN's subnet reaches the MSEEs (2.8), the VNet's
 *   prefix the DRG's VCN table (2.7, 3.5) and the subnet's route table;
 * - the VM's ping to the instance is answered, with an exact RTT.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apps.h"
#include "interconnect.h"
#include "net.h"
#include "query.h"
#include "scenario_run.h"
#include "scenario_models.h"
#include "scenario_testutil.h"
#include "testutil.h"
#include "cloud_base_testutil.h"

static const char fmt[] =
    "name: cross-cloud\n"
    "duration: 120s\n"
    CLOUD_BASE_TO_VC
    "      provider_service_key_name: %s\n"
    "      bandwidth_shape_name: 1 Gbps\n"
    "      gateway_id: drg1\n"
    "      is_bfd_enabled: true\n"
    "      cross_connect_mappings:\n"
    "        - { customer_bgp_peering_ip: 169.254.0.2/30,\n"
    "            oracle_bgp_peering_ip: 169.254.0.1/30, vlan: 33 }\n"
    "        - { customer_bgp_peering_ip: 169.254.1.2/30,\n"
    "            oracle_bgp_peering_ip: 169.254.1.1/30, vlan: 33 }\n"
    "apps:\n"
    "  - { name: ping-db, type: ping, node: app-vm, dst: 10.2.1.2, start: 90s,\n"
    "      interval: 1s, count: 5 }\n"
    "assertions:\n"
    "  - { kind: ping-succeeds, app: ping-db }\n";

static char *
text_with(const char *key)
{
	size_t n = sizeof(fmt) + strlen(key);
	char *s = malloc(n);

	snprintf(s, n, fmt, key);
	return s;
}

static const struct sc_node *
node_of(const struct scenario *sc, const char *name)
{
	size_t i;

	for (i = 0; i < sc->n_nodes; i++)
		if (strcmp(sc->nodes[i].name, name) == 0)
			return &sc->nodes[i];
	return NULL;
}

static const struct sc_iface *
iface_of(const struct sc_node *n, const char *name)
{
	size_t i;

	for (i = 0; n != NULL && i < n->n_ifaces; i++)
		if (strcmp(n->ifaces[i].name, name) == 0)
			return &n->ifaces[i];
	return NULL;
}

/* 3.1: the peering "appears automatically", from the virtual circuit. */
static void
check_peering(const struct scenario *sc)
{
	const struct sc_iface *f;

	f = iface_of(node_of(sc, "msee-primary"), IC_IF_PEERING);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(f->addr, 0xa9fe0002u);	/* 169.254.0.2: .2 (3.3) */
	CU_ASSERT_EQUAL(f->plen, 30);
	CU_ASSERT_EQUAL(f->vlan, 33);
	f = iface_of(node_of(sc, "msee-secondary"), IC_IF_PEERING);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(f->addr, 0xa9fe0102u);
	f = iface_of(node_of(sc, "oracle-edge-primary"), IC_IF_PEERING);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(f->addr, 0xa9fe0001u);	/* Oracle .1 */
	CU_ASSERT_EQUAL(f->vlan, 33);
}

static void
test_key_and_name(void)
{
	char key[37], *text, *diag = NULL;
	struct scenario *sc;
	unsigned n = 0;

	ic_service_key(7, "er-ashburn", key);
	text = text_with(key);
	sc = load(text, &diag, &n);
	if (sc == NULL)
		fprintf(stderr, "%s\n", diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	check_peering(sc);
	scenario_free(sc);
	free(diag);
	free(text);

	diag = NULL;
	text = text_with("er-ashburn");
	sc = load(text, &diag, &n);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	check_peering(sc);
	scenario_free(sc);
	free(diag);
	free(text);

	/* B2: OCI answers an unknown key with 404; the keys of seed 7 */
	diag = NULL;
	text = text_with("00000000-0000-4000-8000-000000000000");
	sc = load(text, &diag, &n);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT_PTR_NOT_NULL(strstr(diag, "error: 404-NotAuthorizedOrNotFound"
	    ": no ExpressRoute circuit has service key "
	    "'00000000-0000-4000-8000-000000000000' (B2; with seed 7 the keys "
	    "are er-ashburn: "));
	CU_ASSERT_PTR_NOT_NULL(strstr(diag, key));
	scenario_free(sc);
	free(diag);
	free(text);
}

static char *
routes_of(struct run *r, const char *name)
{
	struct node *n = net_find_node(run_net(r), name);
	char *out = NULL, *p, *q;
	size_t len = 0;
	FILE *f;

	CU_ASSERT_PTR_NOT_NULL_FATAL(n);
	f = open_memstream(&out, &len);
	node_dump_routes(n, f);
	fclose(f);
	for (p = q = out; *p != '\0'; p++)
		if (*p != ' ' || q == out || q[-1] != ' ')
			*q++ = *p;
	*q = '\0';
	return out;
}

static void
test_run(void)
{
	char key[37], *text, *diag = NULL, *checks = NULL, err[256], *d;
	struct run_opts o = { 0 };
	const struct app *a;
	struct scenario *sc;
	unsigned n = 0;
	struct run *r;
	size_t len = 0, i;
	FILE *f;

	ic_service_key(7, "er-ashburn", key);
	text = text_with(key);
	sc = load(text, &diag, &n);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	r = run_new(sc, &o, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	while (run_advance(r, run_end_time(r)))
		;
	f = open_memstream(&checks, &len);
	CU_ASSERT_EQUAL(run_check(r, f), 0);
	fclose(f);
	CU_ASSERT_PTR_NOT_NULL(strstr(checks, "PASS: ping-succeeds ping-db"));

	/* 2.8: the subnet's CIDR at the MSEE, learned from Oracle */
	d = routes_of(r, "msee-primary");
	CU_ASSERT_PTR_NOT_NULL(strstr(d, "default 10.2.1.0/24 via 169.254.0.1 "
	    "dev private-peering proto bgp\n"));
	CU_ASSERT_PTR_NULL(strstr(d, "10.2.0.0/16"));
	free(d);
	/* 2.7, 3.5: the VNet's prefix in the DRG's table for VCNs */
	d = routes_of(r, "drg1");
	CU_ASSERT_PTR_NOT_NULL(strstr(d, "autogenerated-vcn 10.1.0.0/16 via "
	    "169.254.248.6 dev vc1-primary proto virtual_circuit\n"));
	CU_ASSERT_PTR_NULL(strstr(d, "autogenerated-vc-ipsec-rpc 10.1."));
	free(d);

	/*
	 * The RTT: twice the spans' delays (interconnect.h: VM-VNet 40us,
	 * VNet-gateway 30us, gateway-MSEE 500us, cross-connect 20us,
	 * edge-DRG 200us, DRG-VCN 30us, VCN-instance 40us) and each 98-byte
	 * frame's serialisation rounded up per hop: 79 ns at 10 Gbit/s (the
	 * VM, gateway-MSEE and instance links), 82 ns with the cross-connect's
	 * 802.1Q tag, 8 ns at 100 Gbit/s (the three fabric links).
	 */
	a = run_app(r, "ping-db");
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_EQUAL(ping_n_probes(a), 5);
	for (i = 0; i < ping_n_probes(a); i++) {
		CU_ASSERT_EQUAL(ping_probe(a, i)->result, PROBE_REPLY);
		CU_ASSERT_EQUAL(ping_probe(a, i)->rtt, 2 * (IC_DELAY_HOST +
		    IC_DELAY_FABRIC + IC_DELAY_BACKBONE +
		    IC_DELAY_CROSS_CONNECT + IC_DELAY_ORACLE + IC_DELAY_FABRIC +
		    IC_DELAY_HOST) + 2 * (79 + 8 + 79 + 82 + 8 + 8 + 79));
	}
	/*
	 * The circuit's paths by name, as the portal's private peering shows
	 * them: its route table (the VCN subnet from Oracle, AS 31898), the
	 * summary with both neighbours Established, the ARP rows.
	 */
	{
		struct query_table t;
		char *out = NULL;
		size_t olen = 0;
		FILE *q;

		CU_ASSERT_EQUAL_FATAL(query_resolve(run_net(r), sc,
		    "er-ashburn.secondary", &t, err, sizeof(err)), 0);
		CU_ASSERT_STRING_EQUAL(node_name(t.node), "msee-secondary");
		q = open_memstream(&out, &olen);
		CU_ASSERT_EQUAL(query_bgp(q, r, &t, QUERY_BGP_ALL, false, err,
		    sizeof(err)), 0);
		fclose(q);
		CU_ASSERT_PTR_NOT_NULL(strstr(out, "10.2.1.0/24        "
		    "169.254.1.1        100      0  31898"));
		CU_ASSERT_PTR_NOT_NULL(strstr(out, "169.254.1.1     4      "
		    "31898"));
		CU_ASSERT_PTR_NOT_NULL(strstr(out, "private-peering  "
		    "169.254.1.1"));
		free(out);
	}
	free(checks);
	run_free(r);
	scenario_free(sc);
	free(diag);
	free(text);
}

/*
 * 3.2: the VNet's and the VCN's address spaces must not overlap: refused
 * at the VCN's block, naming the VNet's.
 */
static void
test_overlap(void)
{
	char *base = text_with("er-ashburn"), *text, *diag = NULL, *at;
	const char *from = "cidr_blocks: [10.2.0.0/16]";
	const char *to = "cidr_blocks: [10.2.0.0/16, 10.1.128.0/17]";
	struct scenario *sc;
	unsigned n = 0, line = 1;
	const char *p;
	size_t len;

	at = strstr(base, from);
	CU_ASSERT_PTR_NOT_NULL_FATAL(at);
	len = strlen(base) + strlen(to) + 1;
	text = malloc(len);
	snprintf(text, len, "%.*s%s%s", (int)(at - base), base, to,
	    at + strlen(from));
	for (p = base; p < at; p++)
		line += *p == '\n';
	sc = load(text, &diag, &n);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT_PTR_NOT_NULL_FATAL(diag);
	{
		char want[64];

		/* the second block, at its column */
		snprintf(want, sizeof(want), ":%u:34: error: VCN 'db-vcn' "
		    "block 10.1.128.0/17", line);
		if (strstr(diag, want) == NULL || n != 1)
			fprintf(stderr, "%s\n", diag);
		CU_ASSERT_PTR_NOT_NULL(strstr(diag, want));
		CU_ASSERT_PTR_NOT_NULL(strstr(diag, "overlaps the address "
		    "space 10.1.0.0/16 of VNet 'app-vnet': the VNet's and the "
		    "VCN's addresses must not overlap (3.2)"));
	}
	CU_ASSERT_EQUAL(n, 1);
	scenario_free(sc);
	free(diag);
	free(text);
	free(base);
}

/*
 * 1.3: a peering /30 must not overlap the VNet's space either (the MSEE
 * would own a VM's address): one error at the mapping.
 */
static void
test_peering_in_vnet(void)
{
	char *base = text_with("er-ashburn"), *text, *diag = NULL, *at;
	const char *from = "oracle_bgp_peering_ip: 169.254.0.1/30";
	const char *to = "oracle_bgp_peering_ip: 10.1.200.1/30";
	const char *from2 = "customer_bgp_peering_ip: 169.254.0.2/30";
	const char *to2 = "customer_bgp_peering_ip: 10.1.200.2/30";
	struct scenario *sc;
	unsigned n = 0, line = 1;
	const char *p;
	size_t len;
	char *t1;

	at = strstr(base, from2);
	CU_ASSERT_PTR_NOT_NULL_FATAL(at);
	len = strlen(base) + strlen(to2) + 1;
	t1 = malloc(len);
	snprintf(t1, len, "%.*s%s%s", (int)(at - base), base, to2,
	    at + strlen(from2));
	at = strstr(t1, from);
	CU_ASSERT_PTR_NOT_NULL_FATAL(at);
	len = strlen(t1) + strlen(to) + 1;
	text = malloc(len);
	snprintf(text, len, "%.*s%s%s", (int)(at - t1), t1, to,
	    at + strlen(from));
	for (p = t1; p < at; p++)
		line += *p == '\n';
	sc = load(text, &diag, &n);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT_PTR_NOT_NULL_FATAL(diag);
	{
		char want[64];

		snprintf(want, sizeof(want), ":%u:36: error: the peering "
		    "10.1.200.0/30", line);
		if (strstr(diag, want) == NULL || n != 1)
			fprintf(stderr, "%s\n", diag);
		CU_ASSERT_PTR_NOT_NULL(strstr(diag, want));
		CU_ASSERT_PTR_NOT_NULL(strstr(diag, "overlaps the address "
		    "space 10.1.0.0/16 of VNet 'app-vnet': the peering subnets "
		    "must not overlap the VNets' address spaces (1.3, 3.2)"));
	}
	CU_ASSERT_EQUAL(n, 1);
	scenario_free(sc);
	free(diag);
	free(text);
	free(t1);
	free(base);
}

/*
 * An Azure NIC named like an OCI instance gets no alias, as one named like
 * an Azure node (docs/azure.md): the file loads.
 */
static void
test_nic_named_instance(void)
{
	char *base = text_with("er-ashburn"), *text, *diag = NULL, *at;
	const char *from = "{ name: app-nic, subnet";
	const char *to = "{ name: db1, subnet";
	struct scenario *sc;
	unsigned n = 0;
	size_t len;

	at = strstr(base, from);
	CU_ASSERT_PTR_NOT_NULL_FATAL(at);
	len = strlen(base) + strlen(to) + 1;
	text = malloc(len);
	snprintf(text, len, "%.*s%s%s", (int)(at - base), base, to,
	    at + strlen(from));
	sc = load(text, &diag, &n);
	if (sc == NULL)
		fprintf(stderr, "%s\n", diag);
	CU_ASSERT_PTR_NOT_NULL(sc);
	CU_ASSERT_EQUAL(n, 0);
	scenario_free(sc);
	free(diag);
	free(text);
	free(base);
}

/*
 * A VNet without a name (its own error) overlapping a VCN: the overlap is
 * not reported with a NULL name (printf's "(null)", undefined in C11).
 */
static void
test_unnamed_vnet(void)
{
	char *base = text_with("er-ashburn"), *t1, *text, *diag = NULL, *at;
	const char *from = "    - name: app-vnet\n      location";
	const char *to = "    - location";
	const char *from2 = "cidr_blocks: [10.2.0.0/16]";
	const char *to2 = "cidr_blocks: [10.1.0.0/16]";
	struct scenario *sc;
	unsigned n = 0;
	size_t len;

	at = strstr(base, from);
	CU_ASSERT_PTR_NOT_NULL_FATAL(at);
	len = strlen(base) + 1;
	t1 = malloc(len);
	snprintf(t1, len, "%.*s%s%s", (int)(at - base), base, to,
	    at + strlen(from));
	at = strstr(t1, from2);
	CU_ASSERT_PTR_NOT_NULL_FATAL(at);
	len = strlen(t1) + 1;
	text = malloc(len);
	snprintf(text, len, "%.*s%s%s", (int)(at - t1), t1, to2,
	    at + strlen(from2));
	sc = load(text, &diag, &n);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT_PTR_NOT_NULL_FATAL(diag);
	if (strstr(diag, "(null)") != NULL)
		fprintf(stderr, "%s\n", diag);
	CU_ASSERT_PTR_NOT_NULL(strstr(diag, "missing required key 'name'"));
	CU_ASSERT_PTR_NULL(strstr(diag, "(null)"));
	scenario_free(sc);
	free(diag);
	free(text);
	free(t1);
	free(base);
}

static const struct test_case cases[] = {
	{ "the circuit by key or name; 404 (3.1, 3.3, B2)", test_key_and_name },
	{ "BGP across, DRG tables, a ping VM to instance (2.7, 2.8)",
	    test_run },
	{ "a VCN overlapping a VNet refused (3.2)", test_overlap },
	{ "a peering /30 in a VNet's space refused (1.3)",
	    test_peering_in_vnet },
	{ "an Azure NIC named like an OCI instance", test_nic_named_instance },
	{ "an unnamed VNet overlapping a VCN: no NULL name",
	    test_unnamed_vnet },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	scenario_models_init();
	return test_main(argc, argv, "oci_azure", cases);
}
