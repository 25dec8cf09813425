/*
 * test_small_s7.c - issue 11's small ones (session 7): the effective seed
 * (--seed, else the file's) draws the timeline's plan, at the load and
 * through every command that takes --seed; `xcsim routes` on a gateway
 * that does not exist yet says why; the gateway SKU saturated and resized
 * (scenarios/examples/gateway-saturation.yaml).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apps.h"
#include "net.h"
#include "prov_state.h"
#include "scenario.h"
#include "scenario_models.h"
#include "scenario_run.h"
#include "scenario_testutil.h"
#include "sim.h"
#include "testutil.h"

/* An Azure VNet and a gateway created on the timeline (its create: 45m+). */
static const char seeded[] =
    "name: seeded\n"
    "seed: 1\n"
    "duration: 2h\n"
    "azure:\n"
    "  virtual_networks:\n"
    "    - name: vnet\n"
    "      location: eastus\n"
    "      address_space: { address_prefixes: [10.1.0.0/16] }\n"
    "      subnets:\n"
    "        - { name: app, address_prefix: 10.1.1.0/24 }\n"
    "        - { name: GatewaySubnet, address_prefix: 10.1.255.0/27 }\n"
    "  virtual_machines:\n"
    "    - name: vm\n"
    "      network_interfaces: [{ name: nic, subnet: vnet/app }]\n"
    "  virtual_network_gateways:\n"
    "    - { name: gw, sku: ErGw1AZ, virtual_network: vnet }\n"
    "timeline:\n"
    "  - { id: vnet, at: 0s, create: virtual_networks/vnet }\n"
    "  - { after: vnet, create: virtual_machines/vm }\n"
    "  - { after: vnet, create: virtual_network_gateways/gw }\n";

static const char *
tmpdir(void)
{
	static char *dir;

	if (dir == NULL)
		dir = test_tmpdir("/tmp/xcsim-small-XXXXXX");
	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	return dir;
}

static const char *
seeded_file(void)
{
	static char path[300];
	FILE *f;

	if (path[0] != '\0')
		return path;
	snprintf(path, sizeof(path), "%s/seeded.yaml", tmpdir());
	f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(seeded, f);
	CU_ASSERT_EQUAL(fclose(f), 0);
	return path;
}

/*
 * When the gateway's provisioningState became Succeeded, in a run of the
 * scenario loaded with o (NULL: as the file says) and run with ro.
 */
static sim_time
gateway_ready(const struct sc_load_opts *o, const struct run_opts *ro)
{
	char *diag = NULL, err[256];
	size_t len = 0, i, n;
	FILE *d = open_memstream(&diag, &len);
	struct scenario *sc;
	const struct prov_states *ps;
	struct run *r;
	sim_time since = -1;
	const char *v;

	sc = scenario_load_buffer_opts("t.yaml", seeded, strlen(seeded), o, d,
	    NULL);
	fclose(d);
	if (sc == NULL)
		fprintf(stderr, "%s", diag);
	free(diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	CU_ASSERT_EQUAL(sc->seed, 1);
	CU_ASSERT_EQUAL(sc->run_seed, o != NULL && o->seed_set ? o->seed : 1);
	r = run_new(sc, ro, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	run_advance(r, run_end_time(r));
	ps = run_section_state(r, "resources");
	n = prov_n_resources(ps);
	for (i = 0; i < n; i++)
		if (strcmp(prov_resource_name(ps, i),
		    "virtual_network_gateways/gw") == 0) {
			v = prov_field_at(ps, i, "provisioningState",
			    sim_now(run_sim(r)), &since);
			CU_ASSERT_STRING_EQUAL(v, "Succeeded");
		}
	run_free(r);
	scenario_free(sc);
	return since;
}

/*
 * The plan is drawn from the load's seed: two seeds, two gateway times
 * (both in the documented 45..60 min after the VNet's 5..15 s); the same
 * seed, the same time; no seed, the file's. A run's own --seed (run_opts)
 * does not redraw a plan the load already fixed.
 */
static void
test_seed_draws_plan(void)
{
	struct sc_load_opts s1 = { true, 1 }, s7 = { true, 7 };
	struct run_opts none = { 0 }, r7 = { .seed_set = true, .seed = 7 };
	sim_time file = gateway_ready(NULL, &none);
	sim_time one = gateway_ready(&s1, &none);
	sim_time seven = gateway_ready(&s7, &none);

	CU_ASSERT_EQUAL(file, one);
	CU_ASSERT_NOT_EQUAL(one, seven);
	CU_ASSERT_EQUAL(gateway_ready(&s7, &r7), seven);
	CU_ASSERT_EQUAL(gateway_ready(&s7, &none), seven);
	CU_ASSERT_EQUAL(gateway_ready(NULL, &r7), file);
	CU_ASSERT(seven >= SIM_S(45 * 60) && seven <= SIM_S(60 * 60 + 15));
	CU_ASSERT(one >= SIM_S(45 * 60) && one <= SIM_S(60 * 60 + 15));
}

/* "Succeeded  SINCE" of the gateway in `xcsim state --seed N`. */
static void
state_since(const char *seed, char *out, size_t len)
{
	char buf[2048], *p;

	CU_ASSERT_EQUAL(test_sh(buf, sizeof(buf), "%s state %s %s --at 2h "
	    "--resource virtual_network_gateways/gw", XCSIM_BINARY,
	    seeded_file(), seed), 0);
	p = strstr(buf, "provisioningState  Succeeded  ");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	snprintf(out, len, "%s", p + strlen("provisioningState  Succeeded  "));
	if ((p = strchr(out, '\n')) != NULL)
		*p = '\0';
}

static bool
same_file(const char *a, const char *b)
{
	size_t la = 0, lb = 0;
	char *x = test_slurp(a, &la), *y = test_slurp(b, &lb);
	bool same = x != NULL && y != NULL && la == lb && la > 0 &&
	    memcmp(x, y, la) == 0;

	free(x);
	free(y);
	return same;
}

/*
 * The commands agree: `xcsim state --seed N` shows what `xcsim run --seed
 * N` traces, which is what `xcsim expand --seed N` writes (its output runs
 * to the same trace byte for byte); the same seed twice, the same trace;
 * another seed, another.
 */
static void
test_seed_cli(void)
{
	const char *d = tmpdir(), *f = seeded_file();
	char a[64], b[64], c[64], p[4][400];
	int i;

	state_since("", a, sizeof(a));
	state_since("--seed 7", b, sizeof(b));
	state_since("--seed 1", c, sizeof(c));
	CU_ASSERT_STRING_NOT_EQUAL(a, b);
	CU_ASSERT_STRING_EQUAL(a, c);
	for (i = 0; i < 3; i++)
		CU_ASSERT_EQUAL(test_sh(NULL, 0, "%s run %s --seed %d --out "
		    "%s/run%d --quiet", XCSIM_BINARY, f, i < 2 ? 7 : 8, d, i),
		    0);
	CU_ASSERT_EQUAL(test_sh(NULL, 0, "%s expand %s --seed 7 > %s/e.yaml "
	    "&& grep -qx 'seed: 7' %s/e.yaml && %s run %s/e.yaml --out %s/run3 "
	    "--quiet", XCSIM_BINARY, f, d, d, XCSIM_BINARY, d, d), 0);
	for (i = 0; i < 4; i++)
		snprintf(p[i], sizeof(p[i]), "%s/run%d/trace.xct", d, i);
	CU_ASSERT(same_file(p[0], p[1]));
	CU_ASSERT(!same_file(p[0], p[2]));
	CU_ASSERT(same_file(p[0], p[3]));
	/* a bad --seed is refused by expand as by run */
	CU_ASSERT_EQUAL(test_sh(NULL, 0, "%s expand %s --seed x",
	    XCSIM_BINARY, f), 2);
	CU_ASSERT_EQUAL(test_sh(NULL, 0, "%s expand %s --seed",
	    XCSIM_BINARY, f), 2);
}

/*
 * xcsim routes on the gateway before it exists (the built-in walkthrough,
 * seed 1: the VNet is created at 0s in 14.05s, then the gateway in ~59
 * min): its table has the VNet's static route, and the answer says the
 * gateway does not exist yet, which operation creates it and when; while
 * it is created, its state and the next one.
 */
static void
test_routes_before_gateway(void)
{
	char out[8192];

	CU_ASSERT_EQUAL(test_sh(out, sizeof(out), "%s routes --node app-gw "
	    "--at 0s", XCSIM_BINARY), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "10.1.0.0/16        Active   "
	    "static"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "Why, at 0s:\n"
	    "  virtual_network_gateways/app-gw (VirtualNetworkGateway): does "
	    "not exist yet: it appears at 14.053278502s, by a create "
	    "(provisioningState Updating)\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "  link app-gw.vnet is down: its "
	    "gate virtual_network_gateways/app-gw is closed"));
	CU_ASSERT_EQUAL(test_sh(out, sizeof(out), "%s routes --node app-gw "
	    "--at 10m", XCSIM_BINARY), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "Why, at 600s:\n"
	    "  virtual_network_gateways/app-gw (VirtualNetworkGateway): "
	    "provisioningState Updating since 14.053278502s; next: "
	    "provisioningState Succeeded at 3569.482544594s (create)\n"));
	/* --seed draws another gateway (the plan follows it) */
	CU_ASSERT_EQUAL(test_sh(out, sizeof(out), "%s routes --node app-gw "
	    "--at 10m --seed 7", XCSIM_BINARY), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "provisioningState Updating since "));
	CU_ASSERT_PTR_NULL(strstr(out, "Succeeded at 3569.482544594s"));
	/* once everything is up: the table alone */
	CU_ASSERT_EQUAL(test_sh(out, sizeof(out), "%s routes --node app-gw "
	    "--at 70m", XCSIM_BINARY), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "10.2.1.0/24"));
	CU_ASSERT_PTR_NULL(strstr(out, "Why"));
}

static struct app *
app_of(struct run *r, const char *name)
{
	struct app *a = run_app(r, name);

	if (a == NULL)
		fprintf(stderr, "\n  no app %s", name);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	return a;
}

/*
 * The gateway SKU saturated (facts 1.6, B1), then resized: 53,334
 * datagrams of 1,372 bytes (1,414-byte frames) every 7.5 us, from 60 s and
 * from 33m, toward the database host through an ErGw1AZ gateway (1 Gbit/s,
 * 100,000 packets/s: the byte cap binds, 88,402 frames a second), resized
 * to ErGw2AZ (2 Gbit/s, 200,000 packets/s) from 2m.
 */
static void
test_gateway_saturation(void)
{
	struct sc_load_opts none = { false, 0 };
	struct run_opts o = { 0 };
	const struct link_stats *st;
	struct scenario *sc;
	struct run *r;
	struct link *l;
	char err[256], *out = NULL;
	size_t len = 0;
	unsigned nerr = 0;
	uint64_t sat, rel, limit;
	FILE *f;

	sc = scenario_load_file_opts(XCSIM_SOURCE_DIR
	    "/scenarios/examples/gateway-saturation.yaml", &none, stderr,
	    &nerr);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	r = run_new(sc, &o, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	run_advance(r, run_end_time(r));
	f = open_memstream(&out, &len);
	CU_ASSERT_EQUAL(run_check(r, f), 0);
	fclose(f);
	CU_ASSERT_PTR_NULL(strstr(out, "FAIL"));
	free(out);

	/*
	 * Saturated: the shaper's 125,000-byte bucket (88 frames), then
	 * 10^9 / 8 / 1,414 frames a second over the 399.9975 ms from the first
	 * datagram to the last (35,360), then the 1,000 its queue holds at the
	 * end: 36,448 at most, less the queries' packets that took places in
	 * the same queue. The rest is dropped at the gateway (queue_full).
	 */
	sat = udp_sink_received(app_of(r, "bulk-saturated-sink"));
	limit = 125000 / 1414 + (uint64_t)(1e9 / 8 / 1414 * 0.3999975) + 1000;
	CU_ASSERT_EQUAL(limit, 36448);
	CU_ASSERT(sat <= limit && sat > limit - 100);
	CU_ASSERT_EQUAL(sat, 36440);
	l = net_find_link(run_net(r), "app-gw.vnet");
	CU_ASSERT_PTR_NOT_NULL_FATAL(l);
	/* direction 1: from the VNet (b) into the gateway (a) */
	st = link_get_stats(l, 1);
	/* every datagram not delivered, and 36 of the queries' segments */
	CU_ASSERT_EQUAL(st->drops[DROP_QUEUE_FULL], 53334 - 36440 + 36);
	CU_ASSERT_EQUAL(link_get_stats(l, 0)->drops[DROP_QUEUE_FULL], 0);
	/* relieved: 1.5 Gbit/s whole under ErGw2AZ's 2 Gbit/s, no drop */
	rel = udp_sink_received(app_of(r, "bulk-relieved-sink"));
	CU_ASSERT_EQUAL(rel, 53334);

	/*
	 * The queries: 1.73 ms quiet; behind the full queue (1,000 frames of
	 * 1,414 bytes at 1 Gbit/s: 11.312 ms) the request waits, so 12 to 13
	 * ms and fewer of them in the 400 ms (19 against 34); relieved, as
	 * quiet again.
	 */
	CU_ASSERT_EQUAL(rr_latency(app_of(r, "query-quiet"))->count, 34);
	CU_ASSERT_EQUAL(rr_latency(app_of(r, "query-quiet"))->max, 1732400);
	CU_ASSERT_EQUAL(rr_latency(app_of(r, "query-saturated"))->count, 19);
	CU_ASSERT(rr_latency(app_of(r, "query-saturated"))->max >
	    SIM_US(1732) + SIM_MS(11));
	CU_ASSERT(rr_latency(app_of(r, "query-saturated"))->max <=
	    1732400 + 1000 * (sim_time)1414 * 8);
	CU_ASSERT(lat_hist_percentile(rr_latency(app_of(r,
	    "query-saturated")), 50) > SIM_MS(11));
	CU_ASSERT_EQUAL(rr_latency(app_of(r, "query-relieved"))->count, 34);
	CU_ASSERT(rr_latency(app_of(r, "query-relieved"))->max < SIM_MS(2));
	run_free(r);
	scenario_free(sc);
}

/*
 * A UDP app's sink listens where its datagrams are delivered: on the node
 * that has dst, in the VRF of dst's interface. Before, the sink always
 * listened in the default VRF: an address on a router's interface of VRF
 * blue got a sink that never received (every datagram dropped, no
 * listener). Destinations by address, by node and by node:interface, for
 * udp_cbr and udp_poisson; two VRFs of one node on one port get a sink
 * each.
 */
static const char vrf_text[] =
    "duration: 20ms\n"
    "nodes:\n"
    "  - { name: a, role: host, interfaces: [{ name: eth0, address: "
    "10.0.0.1/24 }],\n"
    "      routes: [{ prefix: 0.0.0.0/0, via: 10.0.0.2 }] }\n"
    "  - name: r\n    role: router\n    interfaces:\n"
    "      - { name: eth0, address: 10.0.0.2/24 }\n"
    "      - { name: blue0, address: 10.0.1.2/24, vrf: blue }\n"
    "  - { name: b, role: host, interfaces: [{ name: eth0, address: "
    "10.0.1.3/24 }],\n"
    "      routes: [{ prefix: 0.0.0.0/0, via: 10.0.1.2 }] }\n"
    "links:\n"
    "  - { name: l1, a: a:eth0, b: r:eth0 }\n"
    "  - { name: l2, a: b:eth0, b: r:blue0 }\n"
    "apps:\n"
    "  - { name: to-blue, type: udp_cbr, node: b, dst: 10.0.1.2, dport: "
    "7000, start: 0s, interval: 1ms, size: 100, count: 5 }\n"
    "  - { name: to-blue-iface, type: udp_poisson, node: b, dst: r:blue0, "
    "dport: 7001, start: 0s, interval: 1ms, size: 100, count: 5 }\n"
    "  - { name: to-default, type: udp_cbr, node: a, dst: 10.0.0.2, dport: "
    "7000, start: 0s, interval: 1ms, size: 100, count: 5 }\n"
    "  - { name: to-host, type: udp_poisson, node: r, dst: 10.0.0.1, "
    "dport: 7000, start: 0s, interval: 1ms, size: 100, count: 5 }\n"
    "  - { name: to-node, type: udp_cbr, node: a, dst: r, dport: 7002, "
    "start: 0s, interval: 1ms, size: 100, count: 5 }\n";

static void
test_udp_sink_vrf(void)
{
	struct run_opts o = { 0 };
	char *diag = NULL, err[256];
	unsigned n = 0;
	struct scenario *sc = load(vrf_text, &diag, &n);
	struct run *r;
	struct app *s;
	size_t i;
	uint64_t drops;
	static const char *const names[] = { "to-blue-sink",
	    "to-blue-iface-sink", "to-default-sink", "to-host-sink",
	    "to-node-sink" };
	static const char *const nodes[] = { "r", "r", "r", "a", "r" };
	static const bool blue[] = { true, true, false, false, false };

	if (sc == NULL)
		fprintf(stderr, "%s", diag);
	free(diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	r = run_new(sc, &o, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	run_advance(r, run_end_time(r));
	for (i = 0; i < 5; i++) {
		s = app_of(r, names[i]);
		CU_ASSERT_STRING_EQUAL(s->ops->kind, "udp_sink");
		CU_ASSERT_STRING_EQUAL(node_name(s->node), nodes[i]);
		CU_ASSERT_EQUAL(udp_sink_vrf(s) != VRF_DEFAULT, blue[i]);
		CU_ASSERT_EQUAL(udp_sink_vrf(s) == node_find_vrf(s->node,
		    "blue"), blue[i]);
	}
	/* the cbr apps send all 5 in the window; the poisson ones some */
	CU_ASSERT_EQUAL(udp_sink_received(app_of(r, "to-blue-sink")), 5);
	CU_ASSERT_EQUAL(udp_sink_received(app_of(r, "to-default-sink")), 5);
	CU_ASSERT_EQUAL(udp_sink_received(app_of(r, "to-node-sink")), 5);
	CU_ASSERT_EQUAL(udp_sink_received(app_of(r, "to-blue-iface-sink")),
	    udp_poisson_sent(app_of(r, "to-blue-iface")));
	CU_ASSERT_EQUAL(udp_sink_received(app_of(r, "to-host-sink")),
	    udp_poisson_sent(app_of(r, "to-host")));
	CU_ASSERT(udp_poisson_sent(app_of(r, "to-host")) > 0);
	/* nothing went unheard */
	drops = 0;
	for (i = 0; i < net_n_nodes(run_net(r)); i++)
		drops += node_drops(net_node(run_net(r),
		    (uint32_t)i))[DROP_NO_LISTENER];
	CU_ASSERT_EQUAL(drops, 0);
	run_free(r);
	scenario_free(sc);
}

static const struct test_case cases[] = {
	{ "a UDP sink listens in the VRF of its destination",
	    test_udp_sink_vrf },
	{ "the gateway SKU saturated, then resized",
	    test_gateway_saturation },
	{ "routes on the gateway before it exists say why",
	    test_routes_before_gateway },
	{ "the load's seed draws the timeline's plan", test_seed_draws_plan },
	{ "state, run and expand agree on --seed", test_seed_cli },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	scenario_models_init();
	return test_main(argc, argv, "small_s7", cases);
}
