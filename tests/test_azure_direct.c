/*
 * test_azure_direct.c - ExpressRoute Direct (docs/azure.md "ExpressRoute
 * Direct"): a port pair of 10 or 100 Gbps links (1.7) and circuits carved
 * from it as Microsoft's "About ExpressRoute Direct" says (the sizes per
 * port, the subscribed bandwidth of twice the port, Dot1Q / QinQ tags):
 * - each check at its line:col, in Azure's terms, with its source;
 * - the expansion: the MSEEs' peering on the circuit's S-tag (QinQ), the
 *   customer's router linked to them at the port's speed;
 * - a run: BGP up, the router's LAN at the VNet, a ping's exact RTT;
 * - on the timeline a Direct circuit is Provisioned by its own create (no
 *   provider), and the provider's update is refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "apps.h"
#include "interconnect.h"
#include "net.h"
#include "provision.h"
#include "provision_int.h"
#include "scenario_expand.h"
#include "scenario_models.h"
#include "scenario_testutil.h"
#include "testutil.h"

static const char base[] =
    "name: erd\n"
    "seed: 1\n"
    "duration: 120s\n"
    "nodes:\n"
    "  - name: cpe\n"
    "    role: router\n"
    "    interfaces:\n"
    "      - {name: lan, address: 10.50.0.1/24}\n"
    "      - {name: erd1-primary, address: 192.168.10.1/30, vlan: 100, svlan: 1}\n"
    "      - {name: erd1-secondary, address: 192.168.10.5/30, vlan: 100, svlan: 1}\n"
    "  - name: onprem\n"
    "    role: host\n"
    "    interfaces: [{name: eth0, address: 10.50.0.10/24}]\n"
    "    routes: [{prefix: 0.0.0.0/0, via: 10.50.0.1}]\n"
    "links:\n"
    "  - {name: lan, a: \"onprem:eth0\", b: \"cpe:lan\", rate: 10Gbps, delay: 50us}\n"
    "bgp:\n"
    "  - node: cpe\n"
    "    asn: 65010\n"
    "    networks: [{prefix: 10.50.0.0/24}]\n"
    "    neighbors:\n"
    "      - {address: 192.168.10.2, remote_as: 12076}\n"
    "      - {address: 192.168.10.6, remote_as: 12076}\n"
    "azure:\n"
    "  virtual_networks:\n"
    "    - name: hub\n"
    "      location: eastus\n"
    "      address_space: { address_prefixes: [10.1.0.0/16] }\n"
    "      subnets:\n"
    "        - { name: app, address_prefix: 10.1.1.0/24 }\n"
    "        - { name: GatewaySubnet, address_prefix: 10.1.255.0/27 }\n"
    "  virtual_machines:\n"
    "    - name: app-vm\n"
    "      network_interfaces: [{ name: app-nic, subnet: hub/app }]\n"
    "  virtual_network_gateways:\n"
    "    - { name: hub-gw, gateway_type: ExpressRoute, sku: UltraPerformance, virtual_network: hub }\n"
    "  express_route_ports:\n"
    "    - name: port1\n"
    "      peering_location: Washington DC\n"
    "      bandwidth_in_gbps: 10\n"
    "      encapsulation: QinQ\n"
    "      links: [{name: link1}, {name: link2}]\n"
    "      xcsim: { router: cpe, delay: 20us }\n"
    "  express_route_circuits:\n"
    "    - name: erd1\n"
    "      express_route_port: port1\n"
    "      bandwidth_in_gbps: 10\n"
    "      sku: { tier: Premium, family: UnlimitedData }\n"
    "      private_peering:\n"
    "        primary_peer_address_prefix: 192.168.10.0/30\n"
    "        secondary_peer_address_prefix: 192.168.10.4/30\n"
    "        vlan_id: 100\n"
    "        peer_asn: 65010\n"
    "  connections:\n"
    "    - { name: hub-erd1, virtual_network_gateway: hub-gw, express_route_circuit: erd1 }\n"
    "apps:\n"
    "  - {name: ping, type: ping, node: onprem, dst: 10.1.1.4, start: 60s, interval: 1s, count: 5}\n"
    "assertions:\n"
    "  - {kind: ping-succeeds, app: ping, after: 60s}\n"
    "  - {kind: bgp-established, node: cpe, peer: 192.168.10.2, by: 10s}\n";

/* text with the first `from` replaced by `to`; frees text. */
static char *
subst(char *text, const char *from, const char *to)
{
	const char *at = strstr(text, from);
	size_t n;
	char *s;

	if (at == NULL)
		fprintf(stderr, "no '%s' in the text\n", from);
	CU_ASSERT_PTR_NOT_NULL_FATAL(at);
	n = strlen(text) - strlen(from) + strlen(to) + 1;
	s = malloc(n);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	snprintf(s, n, "%.*s%s%s", (int)(at - text), text, to,
	    at + strlen(from));
	free(text);
	return s;
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

/* A second and third circuit on port1 (bandwidths a, b; erd2's VLAN). */
#define MORE_CIRCUITS(a, b, vlan, extra) \
    "    - { name: erd2, express_route_port: port1, bandwidth_in_gbps: " a \
    ", " extra ",\n" \
    "        private_peering: { primary_peer_address_prefix: " \
    "192.168.11.0/30,\n" \
    "          secondary_peer_address_prefix: 192.168.11.4/30, " \
    "vlan_id: " vlan ", peer_asn: 65010 } }\n" \
    "    - { name: erd3, express_route_port: port1, bandwidth_in_gbps: " b \
    " }\n" \
    "  connections:\n"

struct ecase {
	const char *from, *to;	/* the edit */
	const char *at;		/* where the error points (in the edit) */
	const char *msg;
};

static const struct ecase ecases[] = {
	/* 1.7: the port's speeds, its two links */
	{ "bandwidth_in_gbps: 10\n      encapsulation",
	    "bandwidth_in_gbps: 40\n      encapsulation", "40\n",
	    "port 'port1': bandwidth_in_gbps 40 is not a port speed: "
	    "ExpressRoute Direct ports are 10 or 100 Gbps (1.7)" },
	{ "links: [{name: link1}, {name: link2}]", "links: [{name: link1}]",
	    "[{name: link1}]", "port 'port1' has 1 links: a port pair has two, "
	    "one to each MSEE" },
	{ "encapsulation: QinQ", "encapsulation: QinQQ", "QinQQ", "QinQQ" },
	/* ER Direct: the circuit sizes of a 10 Gbps port */
	{ "      bandwidth_in_gbps: 10\n      sku", "      bandwidth_in_gbps: "
	    "40\n      sku", "40\n      sku", "circuit 'erd1': "
	    "bandwidth_in_gbps 40 is not offered on a 10 Gbps ExpressRoute "
	    "Direct port: 1, 2, 5 or 10 (ER Direct)" },
	/* ER Direct: subscribed up to 20 Gbps on a 10 Gbps port */
	{ "  connections:\n", MORE_CIRCUITS("10", "5", "200", "sku: { tier: "
	    "Standard }"), "5 }", "circuit 'erd3': the circuits on port "
	    "'port1' would subscribe 25 Gbps, more than its 20: circuits are "
	    "provisioned up to the subscribed bandwidth, twice the 10 Gbps "
	    "port pair (ER Direct)" },
	/* QinQ: an S-tag each */
	{ "  connections:\n", MORE_CIRCUITS("2", "1", "100", "xcsim: { stag: "
	    "1 }, sku: { tier: Standard }"), "port1, bandwidth_in_gbps: 2",
	    "circuit 'erd2' would have S-tag 1 on port 'port1', as circuit "
	    "'erd1' has: with QinQ each circuit has its own S-tag" },
	/* Dot1Q: one tag, unique on the port */
	{ "      xcsim: { router: cpe, delay: 20us }\n",
	    "      xcsim: { router: cpe, delay: 20us }\n  express_route_"
	    "circuits:\n    - { name: erd0, express_route_port: port2, "
	    "bandwidth_in_gbps: 1 }\n", "port2", "unknown azure express "
	    "route port 'port2' (did you mean 'port1'" },
	/* no provider on a port (1.7), its bandwidth in Gbps (1.1) */
	{ "      express_route_port: port1\n", "      express_route_port: "
	    "port1\n      service_provider_name: Equinix\n", "Equinix",
	    "circuit 'erd1' is on ExpressRoute Direct port 'port1': there is "
	    "no service provider (1.7)" },
	{ "      express_route_port: port1\n", "      express_route_port: "
	    "port1\n      bandwidth_in_mbps: 1000\n", "1000",
	    "circuit 'erd1': bandwidth_in_mbps is the provider model's; a "
	    "circuit on port 'port1' has bandwidth_in_gbps (1.1)" },
	{ "      express_route_port: port1\n      bandwidth_in_gbps: 10\n",
	    "      bandwidth_in_gbps: 10\n", "10\n      sku",
	    "circuit 'erd1': bandwidth_in_gbps is an ExpressRoute Direct "
	    "circuit's: give express_route_port, or bandwidth_in_mbps with a "
	    "provider (1.1)" },
	{ "      express_route_port: port1\n      bandwidth_in_gbps: 10\n",
	    "", "erd1\n", "circuit 'erd1' has no service_provider_name: a "
	    "circuit is ordered through a provider (service_provider_name, "
	    "peering_location, bandwidth_in_mbps), or carved from an "
	    "ExpressRoute Direct port (express_route_port, bandwidth_in_gbps; "
	    "1.1, 1.7)" },
	{ "      express_route_port: port1\n", "      express_route_port: "
	    "port1\n      peering_location: London\n", "London",
	    "circuit 'erd1': peering_location 'London' is not its port "
	    "'port1''s, 'Washington DC'" },
	/* a port is in one of models/geo's peering locations */
	{ "      peering_location: Washington DC\n      bandwidth_in_gbps: 10\n"
	    "      encapsulation", "      peering_location: Washingtn DC\n"
	    "      bandwidth_in_gbps: 10\n      encapsulation", "Washingtn",
	    "port 'port1': peering_location 'Washingtn DC' is not a peering "
	    "location of models/geo (unknown; docs/geo.md) (did you mean "
	    "'Washington DC'?)" },
	{ "      peering_location: Washington DC\n      bandwidth_in_gbps: 10\n"
	    "      encapsulation", "      peering_location: eastus\n"
	    "      bandwidth_in_gbps: 10\n      encapsulation",
	    "eastus\n      bandwidth",
	    "port 'port1': peering_location 'eastus' is not a peering "
	    "location of models/geo (it is a region; docs/geo.md)" },
	/* the customer's router faces each MSEE on <circuit>-<path> */
	{ "{name: erd1-secondary,", "{name: erd1-second,", "cpe, delay",
	    "port 'port1' links router 'cpe' to circuit 'erd1''s MSEEs: the "
	    "node has no interface of that name (its interface "
	    "'erd1-secondary' faces the secondary MSEE)" },
};

static void
test_errors(void)
{
	size_t i;

	for (i = 0; i < sizeof(ecases) / sizeof(ecases[0]); i++) {
		const struct ecase *c = &ecases[i];
		char *text = subst(strdup(base), c->from, c->to), *diag = NULL;
		char at[32];
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

/* Dot1Q: a peering's VLAN unique across the port's circuits. */
static void
test_dot1q(void)
{
	char *t = subst(strdup(base), "encapsulation: QinQ",
	    "encapsulation: Dot1Q"), *diag = NULL;
	char at[32];
	struct scenario *sc;
	unsigned n = 0;

	t = subst(t, ", svlan: 1}", "}");
	t = subst(t, ", svlan: 1}", "}");
	t = subst(t, "  connections:\n", MORE_CIRCUITS("2", "1", "100",
	    "sku: { tier: Standard }"));
	where(t, "100, peer_asn: 65010 } }", at, sizeof(at));
	sc = load(t, &diag, &n);
	CU_ASSERT_PTR_NULL(sc);
	if (!has_error(diag, at, "vlan_id 100 is circuit 'erd1''s on port "
	    "'port1': with Dot1Q a peering's VLAN (the C-tag) is unique "
	    "across the port pair's circuits (ER Direct)"))
		fprintf(stderr, "%s: %s\n", at, diag);
	CU_ASSERT(has_error(diag, at, "vlan_id 100 is circuit 'erd1''s on "
	    "port 'port1': with Dot1Q a peering's VLAN (the C-tag) is unique "
	    "across the port pair's circuits (ER Direct)"));
	scenario_free(sc);
	free(diag);
	free(t);
}

/*
 * The MSEEs' peering with the circuit's S-tag (QinQ: the first circuit of
 * the port, 1) and C-tag, the customer's router linked to each at the
 * port's speed; on a 100 Gbps port a 40 Gbps circuit, policed at 40 Gbps
 * toward the gateway (1.7).
 */
static void
test_names(void)
{
	char *x = sc_expand_text(base), *t;
	static const char *const want[] = {
		"- name: msee-primary\n  role: msee\n  region: Washington DC\n"
		"  interfaces:\n  - name: private-peering\n"
		"    address: 192.168.10.2/30\n    vlan: 100\n    svlan: 1\n",
		"- name: msee-secondary\n  role: msee\n  region: Washington DC\n"
		"  interfaces:\n  - name: private-peering\n"
		"    address: 192.168.10.6/30\n    vlan: 100\n    svlan: 1\n",
		"- name: msee-primary.private-peering\n"
		"  a: msee-primary:private-peering\n  b: cpe:erd1-primary\n"
		"  rate: 10Gbps\n  delay: 20us\n  ends_unchecked: true\n",
		"- name: msee-secondary.private-peering\n"
		"  a: msee-secondary:private-peering\n  b: cpe:erd1-secondary\n"
		"  rate: 10Gbps\n",
		"- name: hub-gw.msee-primary\n  a: hub-gw:msee-primary\n"
		"  b: msee-primary:hub-gw\n  rate: 10Gbps\n  delay: 500us\n"
		"  qdisc:\n    kind: policer\n    rate: 10Gbps\n",
	};
	static const char *const want100[] = {
		"  b: cpe:erd1-primary\n  rate: 100Gbps\n",
		"  b: msee-primary:hub-gw\n  rate: 10Gbps\n  delay: 500us\n"
		"  qdisc:\n    kind: policer\n    rate: 40Gbps\n",
	};

	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	sc_want_all(x, want, sizeof(want) / sizeof(want[0]));
	free(x);
	t = subst(strdup(base), "bandwidth_in_gbps: 10\n      encapsulation",
	    "bandwidth_in_gbps: 100\n      encapsulation");
	t = subst(t, "      bandwidth_in_gbps: 10\n      sku",
	    "      bandwidth_in_gbps: 40\n      sku");
	x = sc_expand_text(t);
	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	sc_want_all(x, want100, sizeof(want100) / sizeof(want100[0]));
	free(x);
	free(t);
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
 * The customer's router on the port: BGP up with both MSEEs within the
 * first millisecond, and every probe's RTT exactly: the spans' propagation
 * (LAN 50us, port 20us, MSEE-gateway 500us, gateway-VNet 30us, VNIC 40us)
 * twice, plus each frame's serialisation per hop: 98 bytes at 10 Gbit/s
 * 79 ns, 106 with the two QinQ tags 85 ns, 98 at 100 Gbit/s 8 ns.
 */
static void
test_run(void)
{
	char *checks = NULL;
	unsigned failed;
	struct scenario *sc;
	struct run *r = run_all(base, &failed, &checks, &sc);
	const struct app *a;
	sim_time want = 2 * (SIM_US(50) + SIM_US(20) + IC_DELAY_BACKBONE +
	    IC_DELAY_FABRIC + IC_DELAY_HOST) + 2 * (79 + 85 + 79 + 8 + 79);
	size_t i;

	if (failed != 0)
		fprintf(stderr, "%s", checks);
	CU_ASSERT_EQUAL(failed, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(checks, "PASS: bgp session cpe -> "
	    "192.168.10.2 Established by 10s: Established, first Established "
	    "at 80.363us"));
	a = run_app(r, "ping");
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_EQUAL(ping_n_probes(a), 5);
	for (i = 0; i < ping_n_probes(a); i++) {
		CU_ASSERT_EQUAL(ping_probe(a, i)->result, PROBE_REPLY);
		CU_ASSERT_EQUAL(ping_probe(a, i)->rtt, want);
	}
	CU_ASSERT_EQUAL(want, 1280660);
	free(checks);
	run_free(r);
	scenario_free(sc);
}

/*
 * On the timeline a Direct circuit has no provider (1.7): its own create
 * takes serviceProviderProvisioningState to Provisioned when it
 * completes, and the provider's update is refused.
 */
static void
test_timeline(void)
{
	char *t = subst(strdup(base), "apps:\n", "timeline:\n"
	    "  - { id: c, at: 1m, create: express_route_circuits/erd1 }\n"
	    "  - { after: c, delay: 1m, update: express_route_circuits/erd1,\n"
	    "      set: { service_provider_provisioning_state: Provisioned },\n"
	    "      expect: { error: \"no provider\" } }\n"
	    "  - { after: c, delay: 1m, update: express_route_circuits/erd1,\n"
	    "      set: { bandwidth_in_mbps: 20000 },\n"
	    "      expect: { error: \"whose update is not modelled\" } }\n"
	    "  - { after: c, delay: 1m, create: connections/hub-erd1 }\n"
	    "apps:\n"), *checks = NULL;
	const struct prov_plan *p;
	struct prov_res *res;
	struct scenario *sc;
	struct run *r;
	unsigned failed;
	sim_time lo = SIM_S(60), hi = SIM_S(60 + 180), mid;
	const char *v;

	t = subst(t, "duration: 120s", "duration: 20m");
	t = subst(t, "start: 60s", "start: 19m");
	t = subst(t, "after: 60s", "after: 19m");
	t = subst(t, "by: 10s", "by: 20m");
	r = run_all(t, &failed, &checks, &sc);
	if (failed != 0)
		fprintf(stderr, "%s", checks);
	CU_ASSERT_EQUAL(failed, 0);
	p = prov_plan_of(sc);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	res = prov_find_res(p, "express_route_circuits", "erd1");
	CU_ASSERT_PTR_NOT_NULL_FATAL(res);
	v = prov_get(p, res, "serviceProviderProvisioningState", lo);
	CU_ASSERT(v != NULL && strcmp(v, "NotProvisioned") == 0);
	/* Provisioned exactly when its create completes (Succeeded) */
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		v = prov_get(p, res, "provisioningState", mid);
		if (v != NULL && strcmp(v, "Succeeded") == 0)
			hi = mid;
		else
			lo = mid;
	}
	v = prov_get(p, res, "serviceProviderProvisioningState", hi);
	CU_ASSERT(v != NULL && strcmp(v, "Provisioned") == 0);
	v = prov_get(p, res, "serviceProviderProvisioningState", hi - 1);
	CU_ASSERT(v != NULL && strcmp(v, "NotProvisioned") == 0);
	free(checks);
	run_free(r);
	scenario_free(sc);
	free(t);
}

int
main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{ "each ExpressRoute Direct check at its place", test_errors },
		{ "Dot1Q: one VLAN per peering on the port", test_dot1q },
		{ "the expansion: S-tag, the router at the port's speed",
		    test_names },
		{ "the customer's router on the port: BGP, exact RTT",
		    test_run },
		{ "a Direct circuit is Provisioned by its create (1.7)",
		    test_timeline },
		{ NULL, NULL }
	};

	scenario_models_init();
	return test_main(argc, argv, "azure_direct", cases);
}
