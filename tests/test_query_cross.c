/*
 * test_query_cross.c - path queries across interfaces without a link
 * that models forward through (models/query/query_cross.h): an IPsec
 * tunnel (the far headend is the next hop, the ESP packet's own way is
 * walked and shown), an MPLS provider's core (the far PE is the next
 * hop, the P routers named); and the reasons a path stops there: a
 * tunnel that is down, a tunnel whose outer packet is lost, an LSP over
 * a broken core link. The path assertion's hops key judges the exact
 * list of nodes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net.h"
#include "query.h"
#include "scenario.h"
#include "scenario_models.h"
#include "scenario_run.h"
#include "scenario_testutil.h"
#include "testutil.h"
#include "wire.h"

#define VPN XCSIM_SOURCE_DIR "/scenarios/examples/ipsec-vpn.yaml"
#define IKE XCSIM_SOURCE_DIR "/scenarios/examples/ipsec-ikev2.yaml"
#define L3 XCSIM_SOURCE_DIR "/scenarios/designs/l3-provider.yaml"

/* The file at path with each pairs[2i] replaced by pairs[2i + 1]. */
static char *
text_of(const char *path, const char *const *pairs)
{
	char *t = test_slurp(path, NULL), *at, *buf;
	size_t len;

	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	for (; pairs != NULL && pairs[0] != NULL; pairs += 2) {
		at = strstr(t, pairs[0]);
		CU_ASSERT_PTR_NOT_NULL_FATAL(at);
		len = strlen(t) + strlen(pairs[1]) + 1;
		buf = malloc(len);
		snprintf(buf, len, "%.*s%s%s", (int)(at - t), t, pairs[1],
		    at + strlen(pairs[0]));
		free(t);
		t = buf;
	}
	return t;
}

static struct run *
run_at(const char *path, const char *const *pairs, sim_time at,
    struct scenario **scp)
{
	struct run_opts o = { 0 };
	char *t = text_of(path, pairs), err[256];
	struct run *r;

	scenario_models_init();
	*scp = scenario_load_buffer("t.yaml", t, strlen(t), stderr, NULL);
	free(t);
	CU_ASSERT_PTR_NOT_NULL_FATAL(*scp);
	r = run_new(*scp, &o, err, sizeof(err));
	if (r == NULL)
		fprintf(stderr, "%s\n", err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	run_advance(r, at);
	return r;
}

/* `xcsim path --from from --to to --proto icmp` of r; caller frees. */
static char *
path(struct run *r, const char *from, const char *to, int *rc)
{
	struct query_probe p = { .proto = WIRE_IPPROTO_ICMP, .sport = 7 };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	p.dst = query_node_addr(net_find_node(run_net(r), to));
	*rc = query_path(f, r, net_find_node(run_net(r), from), &p, false);
	fclose(f);
	if (getenv("QC_DEBUG") != NULL)
		fprintf(stderr, "%s", buf);
	return buf;
}

static void
finish(struct run *r, struct scenario *sc, char *out)
{
	free(out);
	run_free(r);
	scenario_free(sc);
}

/* The ESP tunnel is one hop to the far headend; its outer way is shown. */
static void
test_ipsec_cli(void)
{
	struct scenario *sc;
	struct run *r = run_at(VPN, NULL, SIM_S(9), &sc);
	int rc;
	char *out = path(r, "azure-vm", "oci-vm", &rc);

	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out,
	    "  2  vpngw                  vnet             10.2.0.0/16 bgp via "
	    "169.254.21.1 dev t1      t1              \n"
	    "       via ESP tunnel azure-t1 to 129.146.0.2 (oci-t1 on "
	    "oci-headend); outer 20.36.0.10 -> 129.146.0.2 esp: vpngw inet "
	    "oci-headend\n"
	    "  3  oci-headend            t1               10.2.0.0/24 "
	    "connected dev vcn                vcn             \n"
	    "  4  oci-vm                 ens3             -"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "       via ESP tunnel oci-t1 to "
	    "20.36.0.10 (azure-t1 on vpngw); outer 129.146.0.2 -> 20.36.0.10 "
	    "esp: oci-headend inet vpngw\n  3  vpngw                  t1"));
	finish(r, sc, out);
}

/*
 * The internet link fails at 5 s; at 6 s BGP over the tunnel still holds
 * its route (hold time 90 s) and the manual SAs stay, but the ESP packet
 * has no way: the path stops at the tunnel, saying where the outer packet
 * is lost.
 */
static void
test_ipsec_outer_lost(void)
{
	static const char *const pairs[] = { "apps:\n", "events:\n"
	    "  - { at: 5s, action: link-down, link: azure-inet }\napps:\n",
	    NULL };
	struct scenario *sc;
	struct run *r = run_at(VPN, pairs, SIM_S(6), &sc);
	int rc;
	char *out = path(r, "azure-vm", "oci-vm", &rc);

	CU_ASSERT_EQUAL(rc, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "       via ESP tunnel azure-t1 to "
	    "129.146.0.2 (oci-t1 on oci-headend); outer 20.36.0.10 -> "
	    "129.146.0.2 esp: vpngw => dropped: the link is down\n"
	    "     => dropped: the tunnel's outer packet does not arrive\n"));
	finish(r, sc, out);
}

/*
 * IKE fails (another key at the responder): the tunnel never has an SA.
 * A static route still points into it: the path says the tunnel is down
 * and why.
 */
static void
test_ipsec_down(void)
{
	static const char *const pairs[] = {
		"    initiator: false\n    psk: example-key\n",
		"    initiator: false\n    psk: another-key\n",
		"      - { prefix: 0.0.0.0/0, via: 20.36.0.9 }\n",
		"      - { prefix: 0.0.0.0/0, via: 20.36.0.9 }\n"
		"      - { prefix: 10.2.0.0/16, via: 169.254.21.1 }\n", NULL };
	struct scenario *sc;
	struct run *r = run_at(IKE, pairs, SIM_S(10), &sc);
	int rc;
	char *out = path(r, "azure-vm", "oci-vm", &rc);

	CU_ASSERT_EQUAL(rc, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "       via ipsec tunnel azure-t1 "
	    "to 129.146.0.2 is down (no outbound SA; IKE failed: "
	    "authentication-failed)\n     => dropped: ipsec tunnel azure-t1 "
	    "to 129.146.0.2 is down (no outbound SA; IKE failed: "
	    "authentication-failed)\n"));
	finish(r, sc, out);
}

/* The provider's core is one hop from PE to PE; its P routers named. */
static void
test_mpls_cli(void)
{
	struct scenario *sc;
	struct run *r = run_at(L3, NULL, SIM_S(50), &sc);
	int rc;
	char *out = path(r, "app-vm", "db1", &rc);

	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "vrf-ipvpn       \n"
	    "       via MPLS LSP via ipvpn-p1-secondary, ipvpn-p2-secondary to "
	    "ipvpn-pe-oci-secondary (VPN label 1000)\n"
	    "  6  ipvpn-pe-oci-secondary vrf-ipvpn        10.2.1.0/24 bgp via "
	    "10.255.0.5 dev cloud     cloud"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "       via MPLS LSP via "
	    "ipvpn-p2-primary, ipvpn-p1-primary to ipvpn-pe-azure-primary "
	    "(VPN label 1000)\n  6  ipvpn-pe-azure-primary vrf-ipvpn"));
	finish(r, sc, out);
}

/*
 * A core link of the primary path breaks at 45 s; at 46 s the PEs' iBGP
 * over it has not timed out, so the reply still routes into the primary
 * core and stops where the LSP breaks.
 */
static void
test_mpls_link_down(void)
{
	static const char *const pairs[] = { "apps:\n", "events:\n"
	    "  - { at: 45s, action: link-down, link: ipvpn-core-primary-2 }\n"
	    "apps:\n", NULL };
	struct scenario *sc;
	struct run *r = run_at(L3, pairs, SIM_S(46), &sc);
	int rc;
	char *out = path(r, "db1", "app-vm", &rc);

	CU_ASSERT_EQUAL(rc, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "     => dropped: MPLS LSP from "
	    "ipvpn-p2-primary: link down: ipvpn-core-primary-2\n"));
	finish(r, sc, out);
}

/*
 * An interface without a link no model takes (the ipsec crossing is asked
 * and says it is not its own): the walk stops there as before.
 */
static void
test_unclaimed(void)
{
	static const char *const pairs[] = {
		"      - { name: t1, address: 169.254.21.2/30 }\n",
		"      - { name: t1, address: 169.254.21.2/30 }\n"
		"      - { name: t9, address: 169.254.99.1/30 }\n",
		"      - { prefix: 0.0.0.0/0, via: 20.36.0.9 }\n",
		"      - { prefix: 0.0.0.0/0, via: 20.36.0.9 }\n"
		"      - { prefix: 10.9.0.0/16, via: 169.254.99.2 }\n", NULL };
	struct query_probe p = { .dst = 0x0a090001,
	    .proto = WIRE_IPPROTO_ICMP, .sport = 7 };
	struct scenario *sc;
	struct run *r = run_at(VPN, pairs, SIM_S(9), &sc);
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	CU_ASSERT_EQUAL(query_path(f, r, net_find_node(run_net(r),
	    "azure-vm"), &p, false), 1);
	fclose(f);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "10.9.0.0/16 static via "
	    "169.254.99.2 dev t9   t9              \n"
	    "     => dropped: the interface has no link\n"));
	CU_ASSERT_PTR_NULL(strstr(out, "       via "));
	finish(r, sc, out);
}

/* The path assertion's hops: the exact nodes, across both kinds. */
static void
test_assert_hops(void)
{
	static const char *const vpn[] = { "  - { kind: ping-fails, app: "
	    "big-df }\n", "  - { kind: ping-fails, app: big-df }\n"
	    "  - { kind: path, from: azure-vm, to: oci-vm, proto: icmp, "
	    "hops: [azure-vm, vpngw, oci-headend, oci-vm] }\n"
	    "  - { kind: path, from: azure-vm, to: oci-vm, proto: icmp, "
	    "hops: [azure-vm, vpngw, inet, oci-headend, oci-vm] }\n", NULL };
	static const char *const l3[] = { "assertions:\n", "assertions:\n"
	    "  - { kind: path, from: app-vm, to: db1, proto: icmp, hops: "
	    "[app-vm, app-vnet, app-gw, msee-secondary, "
	    "ipvpn-pe-azure-secondary, ipvpn-pe-oci-secondary, "
	    "oracle-edge-secondary, drg1, db-vcn, db1] }\n", NULL };
	struct scenario *sc;
	char *t, *out = NULL;

	scenario_models_init();
	t = text_of(VPN, vpn);
	sc = scenario_load_buffer("t.yaml", t, strlen(t), stderr, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	CU_ASSERT_EQUAL(sc_run_to_end(sc, 0, NULL, &out), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:99: PASS: path azure-vm -> "
	    "oci-vm: delivered [azure-vm vpngw oci-headend oci-vm]; back: "
	    "delivered\n"));
	/* the underlay is no hop of the inner packet */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:100: FAIL: path azure-vm -> "
	    "oci-vm: delivered [azure-vm vpngw oci-headend oci-vm]"));
	free(out);
	free(t);
	scenario_free(sc);
	t = text_of(L3, l3);
	sc = scenario_load_buffer("t.yaml", t, strlen(t), stderr, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	out = NULL;
	CU_ASSERT_EQUAL(sc_run_to_end(sc, 0, NULL, &out), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS: path app-vm -> db1: "
	    "delivered [app-vm app-vnet app-gw msee-secondary "
	    "ipvpn-pe-azure-secondary ipvpn-pe-oci-secondary "
	    "oracle-edge-secondary drg1 db-vcn db1]; back: delivered\n"));
	free(out);
	free(t);
	scenario_free(sc);
}

static const struct test_case cases[] = {
	{ "ipsec: xcsim path across the tunnel", test_ipsec_cli },
	{ "ipsec: the outer packet lost", test_ipsec_outer_lost },
	{ "ipsec: the tunnel down", test_ipsec_down },
	{ "mpls: xcsim path across the core", test_mpls_cli },
	{ "mpls: a core link down", test_mpls_link_down },
	{ "an interface no model takes", test_unclaimed },
	{ "path assertion: exact hops", test_assert_hops },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "query_cross", cases);
}
