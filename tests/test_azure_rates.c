/*
 * test_azure_rates.c - the data plane follows an accepted rate update of
 * the Azure timeline (models/azure/azure_expand_er.c, the qdisc-set events
 * it emits): a circuit's bandwidth raised from 1000 to 2000 Mbps, and a
 * gateway resized from Standard to HighPerformance (1 to 2 Gbit/s, 1.6),
 * measured as a UDP flow's goodput through them before and after; what
 * `xcsim expand` prints; no timeline, no change. Each update's `duration`
 * fixes its completion (no draw): 10m + 1m = 660 s.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apps.h"
#include "net.h"
#include "scenario.h"
#include "scenario_expand.h"
#include "scenario_models.h"
#include "scenario_run.h"
#include "scenario_testutil.h"
#include "testutil.h"

/*
 * As test_azure_prov_run.c: a CE peering with the circuit's MSEEs, an
 * on-premises host behind it, a VM (app-vm) in the hub. The flows are
 * 1,250-byte frames (1,208 bytes of UDP payload) every 2 us: 5 Gbit/s
 * for 20 ms, one at 300 s (before the update), one at 700 s (after),
 * into one sink (before-sink: the first app to a destination adds it).
 */
#define HEAD                                                                \
	"name: azure-rates\nduration: 800s\nseed: 7\n"                      \
	"nodes:\n"                                                          \
	"  - name: ce\n    role: router\n    interfaces:\n"                 \
	"      - { name: to-msee1, address: 192.168.100.129/30, vlan: 100 }\n" \
	"      - { name: to-msee2, address: 192.168.100.133/30, vlan: 100 }\n" \
	"      - { name: lan, address: 172.16.5.1/24 }\n"                   \
	"  - name: onprem\n    role: host\n"                                \
	"    interfaces: [{ name: eth0, address: 172.16.5.10/24 }]\n"       \
	"    routes: [{ prefix: 0.0.0.0/0, via: 172.16.5.1 }]\n"            \
	"links:\n"                                                          \
	"  - { name: pp1, a: ce:to-msee1, b: msee-primary:private-peering, " \
	"delay: 1ms }\n"                                                    \
	"  - { name: pp2, a: ce:to-msee2, b: msee-secondary:private-peering, " \
	"delay: 1ms }\n"                                                    \
	"  - { name: lan, a: ce:lan, b: onprem:eth0, delay: 100us }\n"      \
	"bgp:\n  - node: ce\n    asn: 65001\n    neighbors:\n"              \
	"      - { address: 192.168.100.130, remote_as: 12076 }\n"          \
	"      - { address: 192.168.100.134, remote_as: 12076 }\n"          \
	"    networks: [{ prefix: 172.16.5.0/24 }]\n"                       \
	"apps:\n"                                                           \
	"  - { name: before, type: udp_cbr, node: onprem, dst: app-vm, "    \
	"start: 300s, interval: 2us, size: 1208, count: 10000 }\n"           \
	"  - { name: after, type: udp_cbr, node: onprem, dst: app-vm, "     \
	"start: 700s, interval: 2us, size: 1208, count: 10000 }\n"           \
	"azure:\n  virtual_networks:\n    - name: hub\n"                    \
	"      location: eastus\n"                                          \
	"      address_space: { address_prefixes: [10.1.0.0/16] }\n"        \
	"      subnets:\n"                                                  \
	"        - { name: app, address_prefix: 10.1.1.0/24 }\n"            \
	"        - { name: GatewaySubnet, address_prefix: 10.1.255.0/27 }\n" \
	"  virtual_machines:\n    - name: app-vm\n"                         \
	"      network_interfaces: [{ name: app-nic, subnet: hub/app }]\n"  \
	"  connections:\n"                                                  \
	"    - { name: hub-er, virtual_network_gateway: hub-gw, "           \
	"express_route_circuit: er }\n"                                     \
	"  express_route_circuits:\n    - name: er\n"                       \
	"      service_provider_name: Equinix\n"                            \
	"      peering_location: Washington DC\n"                           \
	"      private_peering:\n"                                          \
	"        primary_peer_address_prefix: 192.168.100.128/30\n"         \
	"        secondary_peer_address_prefix: 192.168.100.132/30\n"       \
	"        vlan_id: 100\n        peer_asn: 65001\n"

/* The circuit's test: a gateway (10 Gbit/s) that never limits. */
#define CIRCUIT HEAD                                                        \
	"      bandwidth_in_mbps: 1000\n"                                   \
	"  virtual_network_gateways:\n"                                     \
	"    - { name: hub-gw, sku: UltraPerformance, virtual_network: hub }\n"
#define CIRCUIT_TL                                                          \
	"timeline:\n"                                                       \
	"  - { at: 10m, duration: 1m, update: express_route_circuits/er, "  \
	"set: { bandwidth_in_mbps: 2000 } }\n"

/* The gateway's test: a circuit (10 Gbit/s) that never limits. */
#define GATEWAY HEAD                                                        \
	"      bandwidth_in_mbps: 10000\n"                                  \
	"  virtual_network_gateways:\n"                                     \
	"    - { name: hub-gw, sku: Standard, virtual_network: hub }\n"
#define GATEWAY_TL                                                          \
	"timeline:\n"                                                       \
	"  - { at: 10m, duration: 1m, update: virtual_network_gateways/hub-gw, " \
	"set: { sku: HighPerformance } }\n"

#define FRAME_BITS (1250 * 8)

/* The goodput at the VM's sink over [from, to), in bit/s. */
static double
rate_between(struct run *r, sim_time from, sim_time to)
{
	struct app *sink;
	uint64_t n0;

	run_advance(r, from);
	sink = run_app(r, "before-sink");
	CU_ASSERT_PTR_NOT_NULL_FATAL(sink);
	n0 = udp_sink_received(sink);
	run_advance(r, to);
	return (double)(udp_sink_received(sink) - n0) * FRAME_BITS * 1e9 /
	    (double)(to - from);
}

/*
 * Within a window of w ns a token bucket of rate R passes R * w plus at
 * most its bucket (a millisecond of the rate, at least 64 KiB) and a frame
 * at each edge.
 */
static bool
near(double got, double want, sim_time w)
{
	double bucket = want / 1000 > 65536 * 8 ? want / 1000 : 65536 * 8;
	double slack = (bucket + 2.0 * FRAME_BITS) * 1e9 / (double)w;

	if (got > want - slack && got < want + slack)
		return true;
	fprintf(stderr, "\n  rate %.0f, want %.0f +- %.0f", got, want, slack);
	return false;
}

/*
 * The goodput of the flows at 300 s and 700 s, measured from 2 to 18 ms
 * into each (the buckets spent, the queues filled), against want0, want1.
 */
static void
two_rates(const char *text, double want0, double want1)
{
	char *diag = NULL, err[256] = "";
	unsigned n = 0;
	struct scenario *sc = load(text, &diag, &n);
	struct run_opts o = { .out_dir = NULL };
	struct run *r;

	if (sc == NULL)
		fprintf(stderr, "%s", diag);
	free(diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	r = run_new(sc, &o, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_TRUE(near(rate_between(r, SIM_S(300) + SIM_MS(2),
	    SIM_S(300) + SIM_MS(18)), want0, SIM_MS(16)));
	CU_ASSERT_TRUE(near(rate_between(r, SIM_S(700) + SIM_MS(2),
	    SIM_S(700) + SIM_MS(18)), want1, SIM_MS(16)));
	run_free(r);
	scenario_free(sc);
}

/* 1.7, B1: the circuit's policer from 1 to 2 Gbit/s at the completion. */
static void
test_circuit_bandwidth(void)
{
	two_rates(CIRCUIT CIRCUIT_TL, 1e9, 2e9);
}

/* 1.6, B5: Standard (1 Gbit/s) resized to HighPerformance (2 Gbit/s). */
static void
test_gateway_resize(void)
{
	two_rates(GATEWAY GATEWAY_TL, 1e9, 2e9);
}

/* Without the timeline the file's rates hold all along. */
static void
test_no_timeline(void)
{
	two_rates(CIRCUIT, 1e9, 1e9);
	two_rates(GATEWAY, 1e9, 1e9);
}

static char *
expansion(const char *text)
{
	char *dir = test_tmpdir("/tmp/xcsim-azrates-XXXXXX"), path[300];
	char *out = NULL, *diag = NULL;
	size_t len = 0, dlen = 0;
	FILE *f, *o, *d;

	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	snprintf(path, sizeof(path), "%s/in.yaml", dir);
	f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(text, f);
	fclose(f);
	o = open_memstream(&out, &len);
	d = open_memstream(&diag, &dlen);
	CU_ASSERT_EQUAL(scenario_expand_print(path, o, d), 0);
	fclose(o);
	fclose(d);
	free(diag);
	return out;
}

/* text with the connection's express_route_gateway_bypass on (caller frees) */
static char *
with_fastpath(const char *text)
{
	const char *k = "express_route_circuit: er }";
	const char *at = strstr(text, k);
	size_t n = strlen(text) + 64;
	char *out = malloc(n);

	CU_ASSERT_PTR_NOT_NULL_FATAL(at);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	snprintf(out, n, "%.*sexpress_route_circuit: er, "
	    "express_route_gateway_bypass: true }%s", (int)(at - text), text,
	    at + strlen(k));
	return out;
}

/*
 * `xcsim expand` shows the events: one per link the rate is on, at the
 * completion (660 s), with the new rate's buckets; none without a
 * timeline, for a refused update or after the run.
 */
static void
test_expand_shows_events(void)
{
	char *x = expansion(CIRCUIT CIRCUIT_TL), *y;
	const char *p;
	int n = 0;

	for (p = x; (p = strstr(p, "action: qdisc-set")) != NULL; p++)
		n++;
	/* the two gateway <-> MSEE links */
	CU_ASSERT_EQUAL(n, 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(x, "link: hub-gw.msee-primary"));
	CU_ASSERT_PTR_NOT_NULL(strstr(x, "link: hub-gw.msee-secondary"));
	CU_ASSERT_PTR_NOT_NULL(strstr(x, "  action: qdisc-set\n"
	    "  link: hub-gw.msee-primary\n  qdisc:\n    kind: policer\n"
	    "    rate: 2Gbps\n    burst: 250000\n"));
	if (n != 2)
		fprintf(stderr, "%s", x);
	free(x);
	x = expansion(GATEWAY GATEWAY_TL);
	CU_ASSERT_PTR_NOT_NULL(strstr(x, "link: hub-gw.vnet"));
	CU_ASSERT_PTR_NOT_NULL(strstr(x, "- at: 660s\n  action: qdisc-set\n"
	    "  link: hub-gw.vnet\n  qdisc:\n    kind: shaper\n"
	    "    rate: 2Gbps\n    burst: 250000\n    pps: 200000\n"
	    "    pps_burst: 200\n"));
	free(x);
	x = expansion(CIRCUIT);
	CU_ASSERT_PTR_NULL(strstr(x, "qdisc-set"));
	free(x);
	/* FastPath (B5): its MSEE <-> VNet links are policed too */
	x = with_fastpath(CIRCUIT CIRCUIT_TL);
	y = expansion(x);
	for (n = 0, p = y; (p = strstr(p, "action: qdisc-set")) != NULL; p++)
		n++;
	CU_ASSERT_EQUAL(n, 4);
	CU_ASSERT_PTR_NOT_NULL(strstr(y, "link: msee-primary.fastpath-hub\n"
	    "  qdisc:\n    kind: policer\n    rate: 2Gbps\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(y, "link: msee-secondary.fastpath-hub"));
	free(y);
	free(x);
	/* a refused update (a decrease, B1) changes nothing */
	x = expansion(CIRCUIT "timeline:\n"
	    "  - { at: 10m, update: express_route_circuits/er, set: "
	    "{ bandwidth_in_mbps: 500 }, expect: { error: decreased } }\n");
	CU_ASSERT_PTR_NULL(strstr(x, "qdisc-set"));
	free(x);
	/* nor one completing after the end of the run (790 + 60 > 800 s) */
	x = expansion(CIRCUIT "timeline:\n"
	    "  - { at: 790s, duration: 1m, update: express_route_circuits/er, "
	    "set: { bandwidth_in_mbps: 2000 } }\n");
	CU_ASSERT_PTR_NULL(strstr(x, "qdisc-set"));
	free(x);
}

static const struct test_case cases[] = {
	{ "a circuit's bandwidth increase raises its policer",
	    test_circuit_bandwidth },
	{ "a gateway resize raises its shaper", test_gateway_resize },
	{ "without the timeline the file's rates", test_no_timeline },
	{ "xcsim expand shows the qdisc-set events", test_expand_shows_events },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	scenario_models_init();
	return test_main(argc, argv, "azure_rates", cases);
}
