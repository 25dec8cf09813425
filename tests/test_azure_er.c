/*
 * test_azure_er.c - ExpressRoute behaviours run end to end
 * (models/azure/azure_expand_er.c, azure_expand.c): two VNets linked to
 * one circuit reach each other (B1), the circuit's bandwidth policed
 * (1.7, B1), the gateway advertising its own spaces only (1.4, B1), the
 * VNet dropping what no NIC holds. Each scenario's assertions are the
 * test: every one of them must pass, and the count of passes is exact.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "interconnect.h"
#include "scenario.h"
#include "scenario_expand.h"
#include "scenario_models.h"
#include "scenario_testutil.h"
#include "testutil.h"
#include "trace.h"
#include "trace_read.h"

/*
 * Two VNets, a VM and a gateway each, one circuit; %s: extra apps, extra
 * assertions.
 */
static const char two_fmt[] =
    "name: two-vnets\n"
    "duration: 50s\n"
    "azure:\n"
    "  virtual_networks:\n"
    "    - name: hub\n"
    "      address_space: { address_prefixes: [10.1.0.0/16] }\n"
    "      subnets:\n"
    "        - { name: app, address_prefix: 10.1.1.0/24 }\n"
    "        - { name: GatewaySubnet, address_prefix: 10.1.255.0/27 }\n"
    "    - name: spoke\n"
    "      address_space: { address_prefixes: [10.2.0.0/16] }\n"
    "      subnets:\n"
    "        - { name: app, address_prefix: 10.2.1.0/24 }\n"
    "        - { name: GatewaySubnet, address_prefix: 10.2.255.0/27 }\n"
    "  virtual_machines:\n"
    "    - { name: hub-vm, network_interfaces: [{ name: hub-nic, "
    "subnet: hub/app }] }\n"
    "    - { name: spoke-vm, network_interfaces: [{ name: spoke-nic, "
    "subnet: spoke/app }] }\n"
    "  virtual_network_gateways:\n"
    "    - { name: hub-gw, sku: Standard, virtual_network: hub }\n"
    "    - { name: spoke-gw, sku: Standard, virtual_network: spoke }\n"
    "  express_route_circuits:\n"
    "    - { name: er, service_provider_name: Equinix, "
    "peering_location: Washington DC, bandwidth_in_mbps: 1000 }\n"
    "  connections:\n"
    "    - { name: hub-er, virtual_network_gateway: hub-gw, "
    "express_route_circuit: er }\n"
    "    - { name: spoke-er, virtual_network_gateway: spoke-gw, "
    "express_route_circuit: er }\n"
    "apps:\n"
    "  - { name: h2s, type: ping, node: hub-vm, dst: spoke-vm, start: 40s, "
    "interval: 1s, count: 3 }\n"
    "  - { name: s2h, type: ping, node: spoke-vm, dst: hub-vm, start: 40s, "
    "interval: 1s, count: 3 }\n"
    "%s"
    "assertions:\n"
    "  - { kind: ping-succeeds, app: h2s }\n"
    "  - { kind: ping-succeeds, app: s2h }\n"
    "%s";

/* Run text; every assertion passes and there are exactly `passes`. */
static void
run_expect(const char *text, unsigned passes)
{
	char *diag = NULL, *out = NULL;
	const char *p;
	unsigned n = 0, failed, got = 0;
	struct scenario *sc = load(text, &diag, &n);

	if (sc == NULL)
		fprintf(stderr, "%s", diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	free(diag);
	failed = sc_run_to_end(sc, 0, NULL, &out);
	for (p = out; (p = strstr(p, ": PASS: ")) != NULL; p++)
		got++;
	if (failed != 0 || got != passes)
		fprintf(stderr, "%s", out);
	CU_ASSERT_EQUAL(failed, 0);
	CU_ASSERT_EQUAL(got, passes);
	free(out);
	scenario_free(sc);
}

/*
 * B1: "VNets linked to one circuit share one routing domain". Both
 * gateways are AS 65515: without allowas_in on their MSEE sessions each
 * rejects the other's space (AS path 12076 65515) and the pings die.
 */
static void
test_one_routing_domain(void)
{
	char text[sizeof(two_fmt) + 16];

	snprintf(text, sizeof(text), two_fmt, "", "");
	run_expect(text, 2);
}

static char *tmp;

/* Run text to its end with outputs in tmp/sub; trace gets the trace. */
static void
run_trace(const char *text, const char *sub, char *trace, size_t len)
{
	char *diag = NULL, *out = NULL, dir[300];
	unsigned n = 0;
	struct scenario *sc = load(text, &diag, &n);

	if (tmp == NULL)
		tmp = test_tmpdir("/tmp/xcsim-azure-er-XXXXXX");
	CU_ASSERT_PTR_NOT_NULL_FATAL(tmp);
	if (sc == NULL)
		fprintf(stderr, "%s", diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	free(diag);
	snprintf(dir, sizeof(dir), "%s/%s", tmp, sub);
	sc_run_to_end(sc, 0, dir, &out);
	free(out);
	snprintf(trace, len, "%s/trace.xct", dir);
	scenario_free(sc);
}

/* The integer after `"key":` in the session object of node and peer. */
static long long
session_metric(const char *json, const char *node, const char *peer,
    const char *key)
{
	char want[160];

	snprintf(want, sizeof(want), "{\"node\":\"%s\",\"peer\":\"%s\"",
	    node, peer);
	if ((json = strstr(json, want)) == NULL)
		return -1;
	snprintf(want, sizeof(want), "\"%s\":", key);
	if ((json = strstr(json, want)) == NULL)
		return -1;
	return strtoll(json + strlen(want), NULL, 10);
}

/*
 * The trace's drops at node and results of app, one line each: "t drop
 * REASON" or "t APP TEXT".
 */
static void
events(const char *path, unsigned node, const char *app, char *out,
    size_t outlen)
{
	struct trace_reader *rd;
	struct trace_rec rec;
	char err[256];
	size_t used = 0;

	out[0] = '\0';
	rd = trace_reader_open(path, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
	while (trace_reader_next(rd, &rec, err, sizeof(err)) == 1) {
		if (rec.type == TR_PKT_DROP && rec.u.drop.node == node)
			used += (size_t)snprintf(out + used, outlen - used,
			    "%lld drop %u\n", (long long)rec.t,
			    (unsigned)rec.u.drop.reason);
		else if (rec.type == TR_APP &&
		    strcmp(rec.u.app.app, app) == 0)
			used += (size_t)snprintf(out + used, outlen - used,
			    "%lld %s\n", (long long)rec.t, rec.u.app.text);
		CU_ASSERT_FATAL(used < outlen);
	}
	trace_reader_close(rd);
}

/*
 * A packet to an address of the VNet's space that no NIC holds: Azure
 * drops it silently. Before the fix `_vnet` had no route for it and the
 * VNet node answered ICMP unreachable from 0.0.0.0. Node 0 is hub.
 */
static void
test_no_nic_silent(void)
{
	char text[sizeof(two_fmt) + 256], trace[400], ev[1024];
	char *t;

	snprintf(text, sizeof(text), two_fmt, "", "");
	t = strstr(text, "dst: spoke-vm");
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	memmove(t + 14, t + 13, strlen(t + 13) + 1);
	memcpy(t, "dst: 10.1.1.99", 14);
	run_trace(text, "nonic", trace, sizeof(trace));
	events(trace, 0, "h2s", ev, sizeof(ev));
	{
		char want[512];

		snprintf(want, sizeof(want),
		    "40000040079 drop %u\n41000000000 icmp_seq=0 timeout\n"
		    "41000040079 drop %u\n42000000000 icmp_seq=1 timeout\n"
		    "42000040079 drop %u\n43000000000 icmp_seq=2 timeout\n",
		    DROP_BLACKHOLE, DROP_BLACKHOLE, DROP_BLACKHOLE);
		CU_ASSERT_STRING_EQUAL(ev, want);
		if (strcmp(ev, want) != 0)
			fprintf(stderr, "%s", ev);
	}
}

/* text with the first `from` replaced by `to` (caller frees). */
static char *
subst(const char *text, const char *from, const char *to)
{
	const char *at = strstr(text, from);
	size_t n = strlen(text) - strlen(from) + strlen(to) + 1;
	char *s = malloc(n);

	CU_ASSERT_PTR_NOT_NULL_FATAL(at);
	snprintf(s, n, "%.*s%s%s", (int)(at - text), text, to,
	    at + strlen(from));
	return s;
}

/* How many packets the trace shows dropped for reason, on any node. */
static unsigned
count_drops(const char *path, unsigned reason)
{
	struct trace_reader *rd;
	struct trace_rec rec;
	char err[256];
	unsigned n = 0;

	rd = trace_reader_open(path, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
	while (trace_reader_next(rd, &rec, err, sizeof(err)) == 1)
		n += rec.type == TR_PKT_DROP && rec.u.drop.reason == reason;
	trace_reader_close(rd);
	return n;
}

/*
 * The circuit's bandwidth is policed (1.7, B1: 50 Mbps each way). 2,000
 * datagrams of 1,250 bytes (1,264 on the wire) at 100 Mbps from one VNet
 * to the other take 0.2 s: the policer at 50 Mbps with its 65,536-byte
 * bucket passes 0.2 s x 50 Mbps / 1,264 + 65,536 / 1,264 = 1,040 and drops
 * 960. Without it every datagram arrives (the gateways' 1 Gbit/s shapers
 * are far above). The pings (3 + 3, before the flood) all pass.
 */
static void
test_circuit_policed(void)
{
	char text[sizeof(two_fmt) + 256], trace[400], *t;

	snprintf(text, sizeof(text), two_fmt, "  - { name: flood, type: "
	    "udp_cbr, node: hub-vm, dst: spoke-vm, dport: 7000, rate: "
	    "100Mbps, size: 1222, start: 45s, count: 2000 }\n", "");
	t = subst(text, "bandwidth_in_mbps: 1000", "bandwidth_in_mbps: 50");
	run_expect(t, 2);
	run_trace(t, "policed", trace, sizeof(trace));
	CU_ASSERT_EQUAL(count_drops(trace, DROP_POLICER), 960);
	free(t);
}

/*
 * The NSG tag Internet (2.6) is the public space outside the VNet: a
 * rule denying Internet inbound leaves the other VNet's pings alone
 * (10.1.1.4 is RFC 1918). Before the fix Internet was 0.0.0.0/0 and
 * denied them.
 */
static void
test_internet_tag(void)
{
	char text[sizeof(two_fmt) + 16], *t, *u;

	snprintf(text, sizeof(text), two_fmt, "", "");
	t = subst(text, "address_prefix: 10.2.1.0/24 }", "address_prefix: "
	    "10.2.1.0/24, network_security_group: spoke-nsg }");
	u = subst(t, "  virtual_machines:\n", "  network_security_groups:\n"
	    "    - name: spoke-nsg\n"
	    "      security_rules:\n"
	    "        - { name: DenyInternetIn, priority: 100, direction: "
	    "Inbound, access: Deny, source_address_prefix: Internet }\n"
	    "  virtual_machines:\n");
	run_expect(u, 2);
	free(t);
	free(u);
}

/*
 * The gateway advertises its VNet's whole spaces only (B1), never what it
 * learned from the circuit (1.4: not a transit): hub (two spaces) sends
 * two prefixes to each MSEE, spoke one. Before the fix each gateway sent
 * the other VNet's spaces back out too (spoke-gw 3 on the sessions it
 * learned hub's on).
 */
static void
test_gateway_exports_own(void)
{
	static const struct {
		const char *node, *peer;
		long long out;
	} want[] = {
		{ "hub-gw", "169.254.240.2", 2 },
		{ "hub-gw", "169.254.240.6", 2 },
		{ "spoke-gw", "169.254.240.10", 1 },
		{ "spoke-gw", "169.254.240.14", 1 },
	};
	char text[sizeof(two_fmt) + 16], trace[400], path[400], *t, *json;
	size_t i;

	snprintf(text, sizeof(text), two_fmt, "", "");
	t = subst(text, "[10.1.0.0/16]", "[10.1.0.0/16, 10.11.0.0/16]");
	run_trace(t, "export", trace, sizeof(trace));
	snprintf(path, sizeof(path), "%s/export/metrics.json", tmp);
	json = test_slurp(path, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(json);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		CU_ASSERT_EQUAL(session_metric(json, want[i].node,
		    want[i].peer, "prefixes_out"), want[i].out);
	free(json);
	free(t);
}

/*
 * The circuit's service key (1.2: what customer, provider and Microsoft
 * exchange; 3.1: what OCI is given) is in the `what` of the circuit's
 * aliases, which `xcsim expand` prints and `xcsim bgp --node er.primary`
 * shows: the key ic_service_key draws from the scenario's seed.
 */
static void
test_service_key(void)
{
	char text[sizeof(two_fmt) + 16], path[400], key[37], want[160];
	char *out = NULL, *diag = NULL;
	size_t len = 0, dlen = 0;
	unsigned n = 0;
	struct scenario *sc;
	FILE *f, *o, *d;

	snprintf(text, sizeof(text), two_fmt, "", "");
	sc = load(text, &diag, &n);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	free(diag);
	diag = NULL;
	ic_service_key(sc->seed, "er", key);
	scenario_free(sc);
	if (tmp == NULL)
		tmp = test_tmpdir("/tmp/xcsim-azure-er-XXXXXX");
	CU_ASSERT_PTR_NOT_NULL_FATAL(tmp);
	snprintf(path, sizeof(path), "%s/skey.yaml", tmp);
	f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(text, f);
	fclose(f);
	o = open_memstream(&out, &len);
	d = open_memstream(&diag, &dlen);
	CU_ASSERT_EQUAL(scenario_expand_print(path, o, d), 0);
	fclose(o);
	fclose(d);
	/* (the printer quotes the `what` and folds it: its start) */
	snprintf(want, sizeof(want), "- name: er.primary\n  node: "
	    "msee-primary\n  what: 'ExpressRoute circuit er (service key %s), "
	    "primary path:", key);
	if (strstr(out, want) == NULL)
		fprintf(stderr, "want:\n%s", want);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, want));
	CU_ASSERT_EQUAL(strlen(key), 36);
	free(out);
	free(diag);
}

/* The expansion of text as `xcsim expand` prints it (caller frees). */
static char *
expand_text(const char *text)
{
	char path[400], *out = NULL, *diag = NULL;
	size_t len = 0, dlen = 0;
	FILE *f, *o, *d;
	int rc;

	if (tmp == NULL)
		tmp = test_tmpdir("/tmp/xcsim-azure-er-XXXXXX");
	CU_ASSERT_PTR_NOT_NULL_FATAL(tmp);
	snprintf(path, sizeof(path), "%s/facts.yaml", tmp);
	f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(text, f);
	fclose(f);
	o = open_memstream(&out, &len);
	d = open_memstream(&diag, &dlen);
	rc = scenario_expand_print(path, o, d);
	fclose(o);
	fclose(d);
	if (rc != 0)
		fprintf(stderr, "%s", diag);
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	free(diag);
	return out;
}

static const char facts_text[] =
    "duration: 1s\n"
    "azure:\n"
    "  virtual_networks:\n"
    "    - name: hub\n"
    "      address_space: { address_prefixes: [10.1.0.0/16, "
    "100.64.0.0/10] }\n"
    "      subnets:\n"
    "        - { name: app, address_prefix: 10.1.1.0/24, "
    "network_security_group: n }\n"
    "        - { name: GatewaySubnet, address_prefix: 10.1.255.0/27 }\n"
    "    - name: spoke\n"
    "      address_space: { address_prefixes: [10.2.0.0/16] }\n"
    "      subnets: [{ name: web, address_prefix: 10.2.1.0/24 }]\n"
    "  network_security_groups:\n"
    "    - { name: n, security_rules: [] }\n"
    "  virtual_network_gateways:\n"
    "    - { name: hub-gw, sku: ErGwScale, scale_units: 3, "
    "virtual_network: hub }\n";

/*
 * Facts the expansion carries, each by its section: the NSG defaults at
 * 65001 and AzureLoadBalancer = 168.63.129.16 (2.6); a private range
 * inside the VNet's space is Virtual network, not None, and 100.64.0.0/10
 * is None elsewhere (B3); ErGwScale's rates are per scale unit (1.6: 1
 * Gbit/s and 100,000 packets/s each).
 */
static void
test_facts_in_expansion(void)
{
	static const char *const want[] = {
		/* 2.6 */
		"  - name: AllowAzureLoadBalancerInBound\n"
		"    direction: inbound\n    priority: 65001\n"
		"    action: allow\n    protocol: any\n    source:\n"
		"    - 168.63.129.16/32\n",
		"  - name: AllowInternetOutBound\n    direction: outbound\n"
		"    priority: 65001\n    action: allow\n    protocol: any\n"
		"    source:\n    - any\n    destination:\n"
		"    - hub.Internet\n",
		/* B3: hub's 100.64.0.0/10 is its space */
		"- node: hub\n  vrf: app\n  routes:\n"
		"  - prefix: 10.1.0.0/16\n    source: system\n"
		"    preference: 30\n    next_hop_type: Virtual network\n"
		"    table: _vnet\n  - prefix: 100.64.0.0/10\n"
		"    source: system\n    preference: 30\n"
		"    next_hop_type: Virtual network\n    table: _vnet\n"
		"  - prefix: 10.0.0.0/8\n",
		/* B3: spoke's 100.64.0.0/10 is None */
		"  - prefix: 100.64.0.0/10\n    source: system\n"
		"    preference: 30\n    next_hop_type: None\n"
		"    drop: true\n",
		/* 1.6: three units */
		("    kind: shaper\n    rate: 3Gbps\n    burst: 375000\n"
		"    pps: 300000\n"),
		/* 2.6: Internet is public space: not 0/8, 127/8 ... */
		"- name: hub.Internet\n  prefixes:\n  - 1.0.0.0/8\n",
		"  - 126.0.0.0/8\n  - 128.0.0.0/3\n",
		/* ... nor link-local (the interconnect's /30s) */
		"  - 169.252.0.0/15\n  - 169.255.0.0/16\n",
		/* ... nor 224.0.0.0/3: the set ends below it */
		"  - 208.0.0.0/4\nacls:\n",
	};
	char *x = expand_text(facts_text), *hub_app, *spoke;
	size_t i;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		if (strstr(x, want[i]) == NULL)
			fprintf(stderr, "\nmissing:\n%s", want[i]);
		CU_ASSERT_PTR_NOT_NULL(strstr(x, want[i]));
	}
	/* hub's app VRF has no None route for 100.64.0.0/10 (B3) */
	hub_app = strstr(x, "- node: hub\n  vrf: app\n");
	spoke = strstr(x, "- node: spoke\n  vrf: web\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(hub_app);
	CU_ASSERT_PTR_NOT_NULL_FATAL(spoke);
	{
		const char *none = strstr(hub_app, "  - prefix: 100.64.0.0/10\n"
		    "    source: system\n    preference: 30\n"
		    "    next_hop_type: None\n");
		const char *next = strstr(hub_app + 1, "\n- node: ");

		CU_ASSERT(none == NULL || (next != NULL && none > next));
		none = strstr(spoke, "  - prefix: 100.64.0.0/10\n"
		    "    source: system\n    preference: 30\n"
		    "    next_hop_type: None\n");
		next = strstr(spoke + 1, "\n- node: ");
		CU_ASSERT(none != NULL && (next == NULL || none < next));
	}
	free(x);
}

/*
 * The gateway advertises n address spaces (n - 1 /24s and 10.200.0.0/16)
 * for 75 s; the metrics.json of the run (caller frees).
 */
static char *
advertise_spaces(unsigned n, const char *sub)
{
	size_t len = (size_t)n * 24 + 1024, used = 0;
	char *t = malloc(len), trace[400], path[400], *json;
	unsigned i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	used += (size_t)snprintf(t, len, "duration: 75s\nazure:\n"
	    "  virtual_networks:\n    - name: hub\n"
	    "      address_space: { address_prefixes: [");
	for (i = 0; i + 1 < n; i++)
		used += (size_t)snprintf(t + used, len - used, "10.%u.%u.0/24, ",
		    i / 256, i % 256);
	snprintf(t + used, len - used, "10.200.0.0/16] }\n"
	    "      subnets: [{ name: GatewaySubnet, address_prefix: "
	    "10.200.255.0/27 }]\n"
	    "  virtual_network_gateways:\n"
	    "    - { name: hub-gw, sku: Standard, virtual_network: hub }\n"
	    "  express_route_circuits:\n"
	    "    - { name: er, service_provider_name: Equinix, "
	    "peering_location: Washington DC, bandwidth_in_mbps: 1000 }\n"
	    "  connections:\n"
	    "    - { name: hub-er, virtual_network_gateway: hub-gw, "
	    "express_route_circuit: er }\n");
	run_trace(t, sub, trace, sizeof(trace));
	snprintf(path, sizeof(path), "%s/%s/metrics.json", tmp, sub);
	json = test_slurp(path, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(json);
	free(t);
	return json;
}

/*
 * B1: over 1,000 prefixes from the VNet the connection goes down, and it
 * re-establishes by itself: the MSEE tears the session down (Cease 6/1)
 * on the 1,001st, comes back after max_prefix_restart (60 s), and, still
 * over, tears it down again: two teardowns by 75 s, the last at
 * 60.005507577 s.
 * 1,000 prefixes stay up.
 */
static void
test_thousand_prefixes(void)
{
	char *json = advertise_spaces(1000, "k1000");

	CU_ASSERT_EQUAL(session_metric(json, "msee-primary", "169.254.240.1",
	    "max_prefix_teardowns"), 0);
	CU_ASSERT_EQUAL(session_metric(json, "msee-primary", "169.254.240.1",
	    "prefixes_in"), 1000);
	CU_ASSERT_EQUAL(session_metric(json, "msee-primary", "169.254.240.1",
	    "flaps"), 0);
	free(json);
	json = advertise_spaces(1001, "k1001");
	CU_ASSERT_EQUAL(session_metric(json, "msee-primary", "169.254.240.1",
	    "max_prefix_teardowns"), 2);
	CU_ASSERT_EQUAL(session_metric(json, "msee-primary", "169.254.240.1",
	    "flaps"), 2);
	CU_ASSERT_EQUAL(session_metric(json, "msee-primary", "169.254.240.1",
	    "first_established_ns"), 2500453);
	CU_ASSERT_EQUAL(session_metric(json, "msee-primary", "169.254.240.1",
	    "last_down_ns"), 60005507577LL);
	free(json);
}

static const struct test_case cases[] = {
	{ "two VNets on one circuit reach each other (B1)",
	    test_one_routing_domain },
	{ "an address no NIC holds is dropped silently", test_no_nic_silent },
	{ "the circuit's bandwidth policed each way (1.7, B1)",
	    test_circuit_policed },
	{ "NSG tag Internet: not a VNet or private source (2.6)",
	    test_internet_tag },
	{ "the gateway advertises its own spaces only (B1, 1.4)",
	    test_gateway_exports_own },
	{ "the circuit's service key in its aliases (1.2, 3.1)",
	    test_service_key },
	{ "2.6 defaults, B3 system routes, 1.6 scale units expanded",
	    test_facts_in_expansion },
	{ "over 1,000 VNet prefixes: down, back, down (B1)",
	    test_thousand_prefixes },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	scenario_models_init();
	return test_main(argc, argv, "azure_er", cases);
}
