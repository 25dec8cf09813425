/*
 * test_oci_partner.c - FastConnect virtual circuits that are not the Azure
 * interconnect (docs/oci.md "Partners and dedicated circuits"): through a
 * partner (Layer 2 or Layer 3) and DEDICATED over the customer's
 * cross-connects. The Oracle edges keep their `private-peering` interface
 * with no link, for a provider's model or a hand-written link; their BGP
 * neighbour is customer_bgp_peering_ip with customer_asn (2.8, 2.9).
 * - each check at its line:col with its fact;
 * - the expansion's names and addresses: no cross-connect link, the
 *   policer on the edge <-> DRG link, remote_as the customer's ASN;
 * - a run with the customer's own router on both paths: BGP up, the VCN's
 *   subnet at the router, the router's LAN in the DRG, a ping's exact RTT;
 * - on the timeline a partner's circuit waits in PENDING_PROVIDER until
 *   the partner's update provider_state: ACTIVE, then PROVISIONING and
 *   PROVISIONED (2.1), and BGP comes up only then.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "apps.h"
#include "bgp_scenario.h"
#include "interconnect.h"
#include "net.h"
#include "provision.h"
#include "provision_int.h"
#include "scenario_expand.h"
#include "scenario_models.h"
#include "scenario_testutil.h"
#include "testutil.h"

/* The customer's router "cpe" on both paths of a Layer 2 partner's VC. */
static const char l2[] =
    "name: partner\n"
    "seed: 1\n"
    "duration: 120s\n"
    "nodes:\n"
    "  - name: onprem\n"
    "    role: host\n"
    "    interfaces: [{name: eth0, address: 10.50.0.10/24}]\n"
    "    routes: [{prefix: 0.0.0.0/0, via: 10.50.0.1}]\n"
    "  - name: cpe\n"
    "    role: router\n"
    "    interfaces:\n"
    "      - {name: lan, address: 10.50.0.1/24}\n"
    "      - {name: oci1, address: 10.255.0.2/30, vlan: 101}\n"
    "      - {name: oci2, address: 10.255.0.6/30, vlan: 102}\n"
    "links:\n"
    "  - {name: lan, a: \"onprem:eth0\", b: \"cpe:lan\", rate: 10Gbps,\n"
    "     delay: 50us}\n"
    "  - {name: mp1, a: \"cpe:oci1\", b: \"oracle-edge-primary:private-"
    "peering\",\n     rate: 10Gbps, delay: 1ms}\n"
    "  - {name: mp2, a: \"cpe:oci2\", b: \"oracle-edge-secondary:private-"
    "peering\",\n     rate: 10Gbps, delay: 1ms}\n"
    "bgp:\n"
    "  - node: cpe\n"
    "    asn: 65010\n"
    "    networks: [{prefix: 10.50.0.0/24}]\n"
    "    neighbors:\n"
    "      - {address: 10.255.0.1, remote_as: 31898}\n"
    "      - {address: 10.255.0.5, remote_as: 31898}\n"
    "oci:\n"
    "  region: us-ashburn-1\n"
    "  vcns:\n"
    "    - name: db-vcn\n"
    "      cidr_blocks: [10.2.0.0/16]\n"
    "      subnets:\n"
    "        - {name: db, cidr_block: 10.2.1.0/24, route_table: db-rt,\n"
    "           security_lists: [db-sl]}\n"
    "      route_tables:\n"
    "        - name: db-rt\n"
    "          route_rules:\n"
    "            - {destination: 10.50.0.0/16, network_entity_id: drg1}\n"
    "      security_lists:\n"
    "        - name: db-sl\n"
    "          ingress_security_rules:\n"
    "            - {source: 10.50.0.0/16, protocol: \"1\", icmp_options: "
    "{type: 8}}\n"
    "          egress_security_rules:\n"
    "            - {destination: 0.0.0.0/0, protocol: all}\n"
    "  instances:\n"
    "    - name: db1\n"
    "      vnics: [{name: db1-vnic, subnet: db-vcn/db}]\n"
    "  drgs:\n"
    "    - name: drg1\n"
    "      drg_attachments:\n"
    "        - {name: db-vcn-att, network_details: {type: VCN, id: "
    "db-vcn}}\n"
    "  virtual_circuits:\n"
    "    - name: vc1\n"
    "      provider_service_name: Megaport\n"
    "      provider_service_type: LAYER2\n"
    "      customer_asn: 65010\n"
    "      bandwidth_shape_name: 1 Gbps\n"
    "      gateway_id: drg1\n"
    "      cross_connect_mappings:\n"
    "        - {customer_bgp_peering_ip: 10.255.0.2/30,\n"
    "           oracle_bgp_peering_ip: 10.255.0.1/30, vlan: 101}\n"
    "        - {customer_bgp_peering_ip: 10.255.0.6/30,\n"
    "           oracle_bgp_peering_ip: 10.255.0.5/30, vlan: 102}\n"
    "apps:\n"
    "  - {name: ping-db, type: ping, node: onprem, dst: 10.2.1.2, start: "
    "60s,\n     interval: 1s, count: 10}\n"
    "assertions:\n"
    "  - {kind: ping-succeeds, app: ping-db, after: 60s}\n"
    "  - {kind: bgp-established, node: cpe, peer: 10.255.0.1, by: 10s}\n"
    "  - {kind: bgp-established, node: cpe, peer: 10.255.0.5, by: 10s}\n";

/* The partner's lines of l2, and a DEDICATED circuit's in their place. */
#define PARTNER "      provider_service_name: Megaport\n" \
    "      provider_service_type: LAYER2\n"
#define DEDICATED_MAPS \
    "        - {customer_bgp_peering_ip: 10.255.0.2/30,\n" \
    "           oracle_bgp_peering_ip: 10.255.0.1/30, vlan: 101,\n" \
    "           cross_connect_or_cross_connect_group_id: cc1}\n" \
    "        - {customer_bgp_peering_ip: 10.255.0.6/30,\n" \
    "           oracle_bgp_peering_ip: 10.255.0.5/30, vlan: 102,\n" \
    "           cross_connect_or_cross_connect_group_id: cc2}\n"
#define CCS "  cross_connects:\n" \
    "    - {name: cc1, location_name: \"Equinix DC2\", " \
    "port_speed_shape_name: 10 Gbps}\n" \
    "    - {name: cc2, location_name: \"Equinix DC2\", " \
    "port_speed_shape_name: 10 Gbps}\n"

/* text with the first `from` replaced by `to`; caller frees text too. */
static char *
subst(char *text, const char *from, const char *to)
{
	const char *at = strstr(text, from);
	size_t n;
	char *s;

	CU_ASSERT_PTR_NOT_NULL_FATAL(at);
	n = strlen(text) - strlen(from) + strlen(to) + 1;
	s = malloc(n);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	snprintf(s, n, "%.*s%s%s", (int)(at - text), text, to,
	    at + strlen(from));
	free(text);
	return s;
}

/* l2 made DEDICATED over cross-connects cc1 and cc2 (caller frees). */
static char *
dedicated(void)
{
	char *t = strdup(l2);
	const char *maps = strstr(l2, "        - {customer_bgp_peering_ip: "
	    "10.255.0.2/30");
	char old[1024];

	snprintf(old, sizeof(old), "%s", maps);
	*strstr(old, "apps:") = '\0';
	t = subst(t, PARTNER, "");
	t = subst(t, old, DEDICATED_MAPS);
	return subst(t, "  instances:\n", CCS "  instances:\n");
}

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
	bool ded;		/* edit the dedicated variant, else l2 */
	const char *from, *to;	/* the edit */
	const char *at;		/* where the error points (in the edit) */
	const char *msg;
};

static const struct ecase ecases[] = {
	/* a partner says its provider service's type */
	{ false, "      provider_service_type: LAYER2\n", "", "Megaport\n",
	    "provider \"Megaport\" is a FastConnect partner (not \"Microsoft "
	    "Azure: ExpressRoute\"): give provider_service_type LAYER2 or "
	    "LAYER3" },
	/* 2.3: no BFD on a Layer 3 partner's */
	{ false, "type: LAYER2\n", "type: LAYER3\n      is_bfd_enabled: "
	    "true\n", "true\n", "BFD is not available on Layer 3 partner "
	    "connections (2.3)" },
	/* 2.9: the far end's ASN */
	{ false, "      customer_asn: 65010\n", "", "vc1\n",
	    "virtual circuit 'vc1' has no customer_asn: the ASN of the "
	    "customer's router behind the partner's Layer 2 service (2.9)" },
	{ false, "customer_asn: 65010", "customer_asn: 31898",
	    "31898\n      bandwidth",
	    "customer_asn 31898 is Oracle's own (2.2): the session to "
	    "Oracle's edge is eBGP" },
	{ false, "customer_asn: 65010", "customer_asn: 65010\n"
	    "      customer_bgp_asn: 65011", "65011",
	    "customer_bgp_asn 65011 differs from customer_asn 65010: the "
	    "same field under its older name (2.9)" },
	/* its DRG's region (OCI resources are regional) */
	{ false, "      customer_asn: 65010\n", "      customer_asn: 65010\n"
	    "      region: uk-london-1\n", "uk-london-1",
	    "400-InvalidParameter: virtual circuit 'vc1' is in uk-london-1, "
	    "its DRG 'drg1' in us-ashburn-1 (the section's region)" },
	/* the shapes a partner offers */
	{ false, "1 Gbps", "100 Gbps", "100 Gbps",
	    "bandwidth shape '100 Gbps' is not offered: one of \"1 Gbps\", "
	    "\"2 Gbps\", \"5 Gbps\", \"10 Gbps\" through a partner" },
	/* 2.8: /30 or /31, both ends in it, usable */
	{ false, "oracle_bgp_peering_ip: 10.255.0.1/30",
	    "oracle_bgp_peering_ip: 10.255.0.1/29", "10.255.0.1/29",
	    "BGP peering addresses use a /30 or /31 (2.8), not /29" },
	{ false, "customer_bgp_peering_ip: 10.255.0.2/30",
	    "customer_bgp_peering_ip: 10.255.1.2/30", "10.255.1.2/30",
	    "customer 10.255.1.2/30 is not in Oracle's subnet 10.255.0.0/30" },
	{ false, "oracle_bgp_peering_ip: 10.255.0.1/30",
	    "oracle_bgp_peering_ip: 10.255.0.3/30", "10.255.0.3/30",
	    "10.255.0.3/30 is the broadcast address of its subnet" },
	{ false, "oracle_bgp_peering_ip: 10.255.0.5/30",
	    "oracle_bgp_peering_ip: 10.255.0.1/30", "10.255.0.6/30,\n",
	    "customer 10.255.0.6/30 is not in Oracle's subnet" },
	{ false, "10.255.0.5/30, vlan: 102}\n", "10.255.0.5/30, vlan: 102}\n"
	    "        - {customer_bgp_peering_ip: 10.255.0.10/30,\n"
	    "           oracle_bgp_peering_ip: 10.255.0.9/30, vlan: 103}\n",
	    "- {customer_bgp_peering_ip: 10.255.0.2/30",
	    "a virtual circuit here has 1 or 2 cross_connect_mappings (a "
	    "primary path, optionally a secondary), got 3" },
	{ false, "10.255.0.1/30, vlan: 101}", "10.255.0.1/30, vlan: 101,\n           cross_connect_or_"
	    "cross_connect_group_id: cc1}", "cc1",
	    "with provider \"Megaport\" the partner's ports carry the "
	    "circuit: cross_connect_or_cross_connect_group_id is a DEDICATED "
	    "virtual circuit's (2.8)" },
	{ false, "oracle_bgp_peering_ip: 10.255.0.1/30",
	    "oracle_bgp_peering_ip: 10.255.0.2/30", "10.255.0.2/30,\n           oracle",
	    "customer and Oracle have the same address 10.255.0.2: one each "
	    "(2.8)" },
	{ false, "customer_bgp_peering_ip: 10.255.0.2/30,\n           "
	    "oracle_bgp_peering_ip: 10.255.0.1/30", "customer_bgp_peering_ip: "
	    "169.254.241.2/30,\n           oracle_bgp_peering_ip: "
	    "169.254.241.1/30", "169.254.241.1/30", "the peering "
	    "169.254.241.0/30 is inside 169.254.240.0/20, which xcsim "
	    "reserves for its internal links" },
	{ false, "type: LAYER2\n      customer_asn: 65010\n", "type: LAYER3\n",
	    "vc1\n", "virtual circuit 'vc1' has no customer_asn: the ASN of "
	    "the partner's edge, which the partner gives (2.9)" },
	/* dedicated: over the customer's cross-connects */
	{ true, "vlan: 101,\n           cross_connect_or_cross_connect_group_"
	    "id: cc1}", "vlan: 101}", "{customer_bgp_peering_ip: 10.255.0.2",
	    "a DEDICATED virtual circuit (no provider_service_name) runs over "
	    "the customer's cross-connects: give cross_connect_or_cross_"
	    "connect_group_id (2.8)" },
	{ true, "group_id: cc2}", "group_id: cc3}", "cc3",
	    "unknown OCI cross-connect 'cc3' (did you mean 'cc1'" },
	{ true, "bandwidth_shape_name: 1 Gbps", "bandwidth_shape_name: "
	    "100 Gbps", "cc1}", "cross-connect 'cc1' is a 10 Gbps port: "
	    "bandwidth shape '100 Gbps' does not fit on it" },
	{ true, "port_speed_shape_name: 10 Gbps}", "port_speed_shape_name: "
	    "40 Gbps}", "40 Gbps", "port speed shape '40 Gbps' is not offered" },
	{ true, "vlan: 102,\n           cross_connect_or_cross_connect_group_"
	    "id: cc2}", "vlan: 101,\n           cross_connect_or_cross_connect_"
	    "group_id: cc1}", "101,\n           cross_connect_or_cross_connect_"
	    "group_id: cc1}\napps", "vlan 101 is the primary path's on the "
	    "same cross-connect 'cc1': one VLAN per path on a port" },
	{ true, "customer_asn: 65010", "customer_asn: 65010\n"
	    "      provider_service_type: LAYER2", "LAYER2",
	    "provider_service_type is a partner's: without "
	    "provider_service_name the virtual circuit is DEDICATED" },
};

static void
test_errors(void)
{
	size_t i;

	for (i = 0; i < sizeof(ecases) / sizeof(ecases[0]); i++) {
		const struct ecase *c = &ecases[i];
		char *text = c->ded ? dedicated() : strdup(l2), *diag = NULL;
		char at[32];
		struct scenario *sc;
		unsigned n = 0;

		text = subst(text, c->from, c->to);
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
 * The edges: `private-peering` on Oracle's address and the mapping's VLAN,
 * linked to nothing the expansion makes (the user's links above are the
 * user's), the edge <-> DRG link policed at the shape, BGP toward the
 * customer's address and ASN (2.8, 2.9).
 */
static void
test_names(void)
{
	char *x = sc_expand_text(l2), *d;
	static const char *const want[] = {
		"- name: oracle-edge-primary\n  role: oci-edge\n"
		"  region: us-ashburn-1\n  interfaces:\n"
		"  - name: private-peering\n    address: 10.255.0.1/30\n"
		"    vlan: 101\n  - name: drg\n    address: 169.254.248.6/30\n",
		"- name: oracle-edge-secondary\n  role: oci-edge\n"
		"  region: us-ashburn-1\n  interfaces:\n"
		"  - name: private-peering\n    address: 10.255.0.5/30\n"
		"    vlan: 102\n  - name: drg\n    address: 169.254.248.10/30\n",
		"- name: oracle-edge-primary.drg\n  a: oracle-edge-primary:drg\n"
		"  b: drg1:vc1-primary\n  rate: 100Gbps\n  delay: 200us\n"
		"  qdisc:\n    kind: policer\n    rate: 1Gbps\n",
		"- node: oracle-edge-primary\n  asn: 31898\n  neighbors:\n"
		"  - address: 10.255.0.2\n    remote_as: 65010\n"
		"    preset: oci\n",
		"- node: oracle-edge-secondary\n  asn: 31898\n  neighbors:\n"
		"  - address: 10.255.0.6\n    remote_as: 65010\n"
		"    preset: oci\n",
	};

	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	sc_want_all(x, want, sizeof(want) / sizeof(want[0]));
	/* no cross-connect of the expansion's, no MSEE */
	CU_ASSERT_PTR_NULL(strstr(x, "name: oracle-edge-primary.private-"
	    "peering\n"));
	CU_ASSERT_PTR_NULL(strstr(x, "msee"));
	free(x);

	/* dedicated: the same edges; a policer, no provider */
	d = dedicated();
	x = sc_expand_text(d);
	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	sc_want_all(x, want, sizeof(want) / sizeof(want[0]));
	free(x);
	free(d);
}

/* node_dump_routes of name, runs of blanks made one; caller frees. */
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

static bool
has_line(const char *text, const char *line)
{
	size_t n = strlen(line);
	const char *p;

	for (p = text; (p = strstr(p, line)) != NULL; p += n)
		if ((p == text || p[-1] == '\n') &&
		    (p[n] == '\n' || p[n] == '\0'))
			return true;
	return false;
}

/* Load and run text to its end; *sc to free after the run. */
static struct run *
run_all(const char *text, unsigned *failed, char **checks,
    struct scenario **scp)
{
	struct run_opts o = { 0 };
	char err[256], *diag = NULL;
	struct scenario *sc;
	struct run *r;
	size_t len = 0;
	unsigned n = 0;
	FILE *f;

	sc = load(text, &diag, &n);
	if (sc == NULL)
		fprintf(stderr, "%s\n", diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	free(diag);
	r = run_new(sc, &o, err, sizeof(err));
	if (r == NULL)
		fprintf(stderr, "run_new: %s\n", err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	while (run_advance(r, run_end_time(r)))
		;
	f = open_memstream(checks, &len);
	*failed = run_check(r, f);
	fclose(f);
	*scp = sc;
	return r;
}

/*
 * The customer's router on both paths: BGP up on both, the VCN's subnet
 * (2.8) at the router, its LAN in the DRG's VCN table over the primary
 * path (2.7), and every probe's RTT exactly: the spans' propagation
 * (host link 50us, the partner's 1ms, edge-DRG 200us, DRG-VCN 30us, VNIC
 * 40us) twice, plus each frame's serialisation per hop: 98 bytes at
 * 10 Gbit/s 79 ns, 102 with the 802.1Q tag 82 ns, 98 at 100 Gbit/s 8 ns.
 */
static void
run_case(const char *text)
{
	char *checks = NULL, *d;
	unsigned failed;
	struct scenario *sc;
	struct run *r = run_all(text, &failed, &checks, &sc);
	const struct app *a;
	sim_time want = 2 * (SIM_US(50) + SIM_MS(1) + IC_DELAY_ORACLE +
	    IC_DELAY_FABRIC + IC_DELAY_HOST) + 2 * (79 + 82 + 8 + 8 + 79);
	size_t i;

	if (failed != 0)
		fprintf(stderr, "%s", checks);
	CU_ASSERT_EQUAL(failed, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(checks, "PASS: bgp session cpe -> "
	    "10.255.0.5 Established by 10s: Established, first Established at "
	    "5.000475ms"));
	d = routes_of(r, "cpe");
	CU_ASSERT(has_line(d, "default 10.2.1.0/24 via 10.255.0.1 dev oci1 "
	    "proto bgp"));
	free(d);
	d = routes_of(r, "drg1");
	if (!has_line(d, "autogenerated-vcn 10.50.0.0/24 via 169.254.248.6 "
	    "dev vc1-primary proto virtual_circuit"))
		fprintf(stderr, "%s", d);
	CU_ASSERT(has_line(d, "autogenerated-vcn 10.50.0.0/24 via "
	    "169.254.248.6 dev vc1-primary proto virtual_circuit"));
	free(d);
	a = run_app(r, "ping-db");
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_EQUAL(ping_n_probes(a), 10);
	for (i = 0; i < ping_n_probes(a); i++) {
		CU_ASSERT_EQUAL(ping_probe(a, i)->result, PROBE_REPLY);
		CU_ASSERT_EQUAL(ping_probe(a, i)->rtt, want);
	}
	CU_ASSERT_EQUAL(want, 2640512);
	free(checks);
	run_free(r);
	scenario_free(sc);
}

static void
test_run(void)
{
	char *d = dedicated();

	run_case(l2);
	run_case(d);
	free(d);
}

/* The first instant in [lo, hi] where KEY/NAME's field reads want. */
static sim_time
first_at(const struct prov_plan *p, const char *key, const char *name,
    const char *field, const char *want, sim_time lo, sim_time hi)
{
	struct prov_res *r = prov_find_res(p, key, name);
	const char *v;

	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	v = prov_get(p, r, field, hi);
	CU_ASSERT_FATAL(v != NULL && strcmp(v, want) == 0);
	while (hi - lo > 1) {
		sim_time mid = lo + (hi - lo) / 2;

		v = prov_get(p, r, field, mid);
		if (v != NULL && strcmp(v, want) == 0)
			hi = mid;
		else
			lo = mid;
	}
	return hi;
}

/*
 * 2.1 on the timeline: the partner's circuit, created at 1m, waits in
 * PENDING_PROVIDER (providerState INACTIVE) until the partner provisions
 * its side, which the timeline's update provider_state: ACTIVE stands for
 * (at 5m); then PROVISIONING and, after the drawn 3-10 min, PROVISIONED;
 * the sessions come up only then. A second update is refused 409, as is
 * provider_state on a DEDICATED circuit.
 */
static void
test_timeline(void)
{
	char *t = strdup(l2), *checks = NULL;
	const struct prov_plan *p;
	struct scenario *sc;
	struct run *r;
	unsigned failed;
	sim_time up;

	t = subst(t, "duration: 120s", "duration: 20m");
	t = subst(t, "start: 60s", "start: 19m");
	t = subst(t, "after: 60s}\n", "after: 19m}\n"
	    "  - {kind: bgp-established, node: cpe, peer: 10.255.0.1, "
	    "by: 496s}\n"
	    "timeline:\n"
	    "  - { at: 1m, create: virtual_circuits/vc1 }\n"
	    "  - { at: 5m, update: virtual_circuits/vc1,\n"
	    "      set: { provider_state: ACTIVE } }\n"
	    "  - { at: 15m, update: virtual_circuits/vc1,\n"
	    "      set: { provider_state: ACTIVE }, expect: { error: \"409\" } "
	    "}\n");
	t = subst(t, "  - {kind: bgp-established, node: cpe, peer: 10.255.0.1, "
	    "by: 10s}\n", "");
	t = subst(t, "  - {kind: bgp-established, node: cpe, peer: 10.255.0.5, "
	    "by: 10s}\n", "");
	r = run_all(t, &failed, &checks, &sc);
	if (failed != 0)
		fprintf(stderr, "%s", checks);
	CU_ASSERT_EQUAL(failed, 0);
	p = prov_plan_of(sc);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(first_at(p, "virtual_circuits", "vc1",
	    "lifecycleState", "PENDING_PROVIDER", 0, SIM_S(120)), SIM_S(60));
	CU_ASSERT_EQUAL(first_at(p, "virtual_circuits", "vc1",
	    "lifecycleState", "PROVISIONING", SIM_S(60), SIM_S(300)),
	    SIM_S(300));
	CU_ASSERT_EQUAL(first_at(p, "virtual_circuits", "vc1",
	    "providerState", "ACTIVE", SIM_S(60), SIM_S(300)), SIM_S(300));
	up = first_at(p, "virtual_circuits", "vc1", "lifecycleState",
	    "PROVISIONED", SIM_S(300), SIM_S(900));
	/* drawn in 3-10 min from the seed; the router sees the session up
	 * 5 ms after (the edge's connect, the 1 ms link) */
	CU_ASSERT(up >= SIM_S(480) && up <= SIM_S(900));
	if (up != 495421263570LL)
		fprintf(stderr, "PROVISIONED at %lld\n", (long long)up);
	CU_ASSERT_EQUAL(up, 495421263570LL);
	CU_ASSERT_PTR_NOT_NULL(strstr(checks, "Established, first "
	    "Established at 495.426263916s"));
	free(checks);
	run_free(r);
	scenario_free(sc);
	free(t);
}

int
main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{ "each partner / dedicated check at its place", test_errors },
		{ "the expansion's names and addresses (2.8, 2.9)",
		    test_names },
		{ "the customer's router on both paths: BGP, routes, RTT",
		    test_run },
		{ "a partner's circuit waits for the provider (2.1)",
		    test_timeline },
		{ NULL, NULL }
	};

	scenario_models_init();
	return test_main(argc, argv, "oci_partner", cases);
}
