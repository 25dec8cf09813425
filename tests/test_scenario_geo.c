/*
 * test_scenario_geo.c - a scenario's delays written as spans between
 * places (SC_FT_DELAY: `delay: {from, to, route_factor}`) and its links'
 * jitter: the exact delays the spans give (the metro rule inside a pair,
 * the published distance across), in the loaded scenario, on the built
 * link and in a ping's round trips; the clouds' xcsim delays taking spans;
 * the errors at line:column for unknown places (with a did-you-mean) and
 * bad jitter; and a jittered scenario's round trips, exact from the
 * link's seeded stream and the same for the same seed.
 */
#include <string.h>

#include "apps.h"
#include "geo.h"
#include "net.h"
#include "rng.h"
#include "scenario.h"
#include "scenario_models.h"
#include "scenario_run.h"
#include "scenario_testutil.h"
#include "testutil.h"
#include "units.h"
#include "cloud_base_testutil.h"

#define TWO_HOSTS \
    "name: geo\n" \
    "duration: 3s\n" \
    "nodes:\n" \
    "  - name: a\n" \
    "    role: host\n" \
    "    interfaces: [{name: e0, address: 10.0.0.1/24}]\n" \
    "  - name: b\n" \
    "    role: host\n" \
    "    interfaces: [{name: e0, address: 10.0.0.2/24}]\n" \
    "apps:\n" \
    "  - {name: p, type: ping, node: a, dst: b, interval: 100ms, count: 20}\n" \
    "links:\n" \
    "  - name: l\n" \
    "    a: a:e0\n" \
    "    b: b:e0\n"

/* The 98-byte frame of a 56-byte ping at the default 10 Gbit/s. */
static sim_time
ping_tx(void)
{
	return units_tx_time(98, 10000000000ULL);
}

static struct scenario *
load_ok(const char *text)
{
	char *diag = NULL;
	unsigned n = 0;
	struct scenario *sc = load(text, &diag, &n);

	if (n != 0)
		fprintf(stderr, "%s", diag);
	CU_ASSERT_EQUAL(n, 0);
	free(diag);
	return sc;
}

/* A run of sc to its end (seed 0: the file's); the ping's RTTs. */
static size_t
ping_rtts(const struct scenario *sc, uint64_t seed, sim_time *rtt,
    size_t max, struct link_params *lp)
{
	struct run_opts o = { .seed_set = seed != 0, .seed = seed };
	char err[256];
	struct run *r = run_new(sc, &o, err, sizeof(err));
	const struct app *a;
	size_t i, n;

	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	while (run_advance(r, run_end_time(r)))
		;
	if (lp != NULL)
		*lp = *link_get_params(net_find_link(run_net(r), "l"));
	a = run_app(r, "p");
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	n = ping_n_probes(a);
	for (i = 0; i < n && i < max; i++) {
		CU_ASSERT_EQUAL(ping_probe(a, i)->result, PROBE_REPLY);
		rtt[i] = ping_probe(a, i)->rtt;
	}
	run_free(r);
	return n;
}

/*
 * East US to OCI Ashburn: one metro (the pair of Washington DC), so 21 km
 * at 8.5 µs/km, 178.5 µs; London to Frankfurt (peering locations of two
 * pairs) at route factor 1.5: the published distance, 637.8 km.
 */
static void
test_geo_delay_link(void)
{
	const char *text = TWO_HOSTS
	    "    delay: {from: eastus, to: us-ashburn-1}\n"
	    "    b_to_a:\n"
	    "      delay: {from: London, to: FRANKFURT, route_factor: 1.5}\n";
	sim_time lf = geo_delay(geo_find("London"), geo_find("Frankfurt"), 1.5);
	struct scenario *sc = load_ok(text);
	struct link_params lp;
	sim_time rtt[20];
	size_t i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	CU_ASSERT_EQUAL(sc->links[0].dir[0].delay, SIM_NS(178500));
	/* 637.8 km x 1.5 x 4.9 µs/km */
	CU_ASSERT(lf > SIM_US(4670) && lf < SIM_US(4690));
	CU_ASSERT_EQUAL(sc->links[0].dir[1].delay, lf);
	CU_ASSERT_EQUAL(ping_rtts(sc, 0, rtt, 20, &lp), 20);
	CU_ASSERT_EQUAL(lp.dir[0].delay, SIM_NS(178500));
	CU_ASSERT_EQUAL(lp.dir[1].delay, lf);
	for (i = 0; i < 20; i++)
		CU_ASSERT_EQUAL(rtt[i], 2 * ping_tx() + SIM_NS(178500) + lf);
	scenario_free(sc);

	/* display names, a route factor of 1 and the time form still */
	sc = load_ok(TWO_HOSTS
	    "    delay: {from: East US, to: US East (Ashburn), route_factor: 1}\n"
	    "    b_to_a: {delay: 3ms}\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	CU_ASSERT_EQUAL(sc->links[0].dir[0].delay, SIM_NS(102900));
	CU_ASSERT_EQUAL(sc->links[0].dir[1].delay, SIM_MS(3));
	scenario_free(sc);
}

static void
expect_errors(const char *text, unsigned want, const char *at[],
    const char *msg[])
{
	char *diag = NULL;
	unsigned n = 0, i;
	struct scenario *sc = load(text, &diag, &n);

	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT_EQUAL(n, want);
	for (i = 0; i < want; i++) {
		CU_ASSERT(has_error(diag, at[i], msg[i]));
		if (!has_error(diag, at[i], msg[i]))
			fprintf(stderr, "wanted %s: %s in:\n%s", at[i], msg[i],
			    diag);
	}
	free(diag);
	if (sc != NULL)
		scenario_free(sc);
}

static void
test_geo_delay_errors(void)
{
	const char *at[] = { "16:19", "16:37", "17:40", "18:63" };
	const char *msg[] = {
		("'from': unknown place 'Washingtn DC' (did you mean "
		"'Washington DC'?)"),
		("'to': unknown place 'us-ashburn-2' (did you mean "
		"'us-ashburn-1'?)"),
		"'to': unknown place 'Wst Europe' (did you mean 'West Europe'?)",
		"'route_factor' 0.5 is out of range (1..100)",
	};
	const char *at2[] = { "16:12", "17:21", "18:63" };
	const char *msg2[] = {
		"geo-delay is missing required key 'to'",
		"'delay': bad time 'far'",
		"'route_factor': expected a number, got 'x'",
	};

	expect_errors(TWO_HOSTS
	    "    delay: {from: Washingtn DC, to: us-ashburn-2}\n"
	    "    a_to_b: {delay: {from: eastus, to: Wst Europe}}\n"
	    "    b_to_a: {delay: {from: eastus, to: uksouth, route_factor: 0.5}}\n",
	    4, at, msg);
	expect_errors(TWO_HOSTS
	    "    delay: {from: eastus}\n"
	    "    a_to_b: {delay: far}\n"
	    "    b_to_a: {delay: {from: eastus, to: uksouth, route_factor: x}}\n",
	    3, at2, msg2);
}

static void
test_jitter_fields(void)
{
	struct scenario *sc = load_ok(TWO_HOSTS
	    "    delay: 1ms\n"
	    "    jitter: {kind: normal, sd: 2ms}\n"
	    "    b_to_a:\n"
	    "      jitter: {kind: pareto, sd: 1ms, shape: 2.5, bound: 20ms,\n"
	    "               reorder: true}\n");
	struct link_params lp;
	sim_time rtt[20];

	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	ping_rtts(sc, 0, rtt, 20, &lp);
	CU_ASSERT_EQUAL(lp.dir[0].jitter.kind, LINK_JITTER_NORMAL);
	CU_ASSERT_EQUAL(lp.dir[0].jitter.sd, SIM_MS(2));
	CU_ASSERT_EQUAL(lp.dir[0].jitter.bound, 0);
	CU_ASSERT_FALSE(lp.dir[0].jitter.reorder);
	CU_ASSERT_EQUAL(lp.dir[1].jitter.kind, LINK_JITTER_PARETO);
	CU_ASSERT_EQUAL(lp.dir[1].jitter.sd, SIM_MS(1));
	CU_ASSERT_EQUAL(lp.dir[1].jitter.bound, SIM_MS(20));
	CU_ASSERT_DOUBLE_EQUAL(lp.dir[1].jitter.shape, 2.5, 0);
	CU_ASSERT_TRUE(lp.dir[1].jitter.reorder);
	scenario_free(sc);

	/* the pareto default shape; no jitter at all */
	sc = load_ok(TWO_HOSTS "    a_to_b: {jitter: {kind: pareto, sd: 1ms}}\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	CU_ASSERT_DOUBLE_EQUAL(sc->links[0].dir[0].jitter.shape, 3.0, 0);
	CU_ASSERT_EQUAL(sc->links[0].dir[1].jitter.kind, SC_JITTER_NONE);
	scenario_free(sc);
}

static void
test_jitter_errors(void)
{
	const char *at[] = { "16:13", "17:53", "18:29" };
	const char *msg[] = {
		"the uniform jitter of link 'l' needs bound > 0",
		("the pareto jitter of link 'l' (a_to_b) has shape 2: it must "
		"be more than 2"),
		"unknown kind 'gauss'",
	};
	const char *at2[] = { "16:29" };
	const char *msg2[] = { "'sd'" };

	expect_errors(TWO_HOSTS
	    "    jitter: {kind: uniform}\n"
	    "    a_to_b: {jitter: {kind: pareto, sd: 1ms, shape: 2}}\n"
	    "    b_to_a: {jitter: {kind: gauss}}\n",
	    3, at, msg);
	expect_errors(TWO_HOSTS
	    "    jitter: {kind: uniform, sd: 1ms, bound: 1ms}\n", 1, at2, msg2);
}

/*
 * Uniform jitter a to b only, pings 100 ms apart (never held): each round
 * trip is both frames' serialisation + both delays + its request's draw
 * from "link/l/a->b/jitter" at the run's seed. Same seed, same RTTs.
 */
static void
test_jitter_run_exact(void)
{
	struct scenario *sc = load_ok("seed: 5\n" TWO_HOSTS
	    "    delay: 2ms\n"
	    "    a_to_b: {jitter: {kind: uniform, bound: 3ms}}\n");
	sim_time rtt[20], again[20], other[20];
	struct rng r;
	size_t i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	CU_ASSERT_EQUAL(ping_rtts(sc, 0, rtt, 20, NULL), 20);
	rng_init(&r, 5, "link/l/a->b/jitter");
	for (i = 0; i < 20; i++)
		CU_ASSERT_EQUAL(rtt[i], 2 * ping_tx() + SIM_MS(4) +
		    (sim_time)rng_below(&r, SIM_MS(3) + 1));
	ping_rtts(sc, 5, again, 20, NULL);
	CU_ASSERT_EQUAL(memcmp(rtt, again, sizeof(rtt)), 0);
	ping_rtts(sc, 6, other, 20, NULL);
	CU_ASSERT_NOT_EQUAL(memcmp(rtt, other, sizeof(rtt)), 0);
	scenario_free(sc);
}

/* The two-cloud base with the circuit's and virtual circuit's xcsim. */
static char *
clouds(const char *circuit_delay, const char *cc_delay)
{
	static const char vc[] =
	    "      provider_service_key_name: er-ashburn\n"
	    "      bandwidth_shape_name: 1 Gbps\n"
	    "      gateway_id: drg1\n"
	    "      cross_connect_mappings:\n"
	    "        - { customer_bgp_peering_ip: 169.254.0.2/30,\n"
	    "            oracle_bgp_peering_ip: 169.254.0.1/30, vlan: 33 }\n"
	    "        - { customer_bgp_peering_ip: 169.254.1.2/30,\n"
	    "            oracle_bgp_peering_ip: 169.254.1.1/30, vlan: 33 }\n";
	const char *base = "name: c\nduration: 10s\n" CLOUD_BASE_TO_VC;
	const char *cut = strstr(base, "      bandwidth_in_mbps: 1000\n");
	char *s = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&s, &len);

	CU_ASSERT_PTR_NOT_NULL_FATAL(cut);
	cut += strlen("      bandwidth_in_mbps: 1000\n");
	fprintf(f, "%.*s      xcsim: {delay: %s}\n%s%s"
	    "      xcsim: {cross_connect_delay: %s}\n", (int)(cut - base),
	    base, circuit_delay, cut, vc, cc_delay);
	fclose(f);
	return s;
}

/* Every link's delays, in order, into d (2 a link). */
static size_t
all_delays(const struct scenario *sc, sim_time *d, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < sc->n_links && n + 2 <= max; i++) {
		d[n++] = sc->links[i].dir[0].delay;
		d[n++] = sc->links[i].dir[1].delay;
	}
	return n;
}

/* The clouds' xcsim delays take spans: the same links as the times. */
static void
test_cloud_delays(void)
{
	char *geo = clouds("{from: eastus, to: Washington DC}",
	    "{from: Washington DC, to: us-ashburn-1, route_factor: 1}");
	char *times = clouds("178500ns", "102900ns");
	char *dflt = clouds("500us", "20us");
	struct scenario *a = load_ok(geo), *b = load_ok(times),
	    *c = load_ok(dflt);
	static sim_time da[400], db[400], dc[400];
	size_t na, nb, nc;

	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	na = all_delays(a, da, 400);
	nb = all_delays(b, db, 400);
	nc = all_delays(c, dc, 400);
	CU_ASSERT(na > 4);
	CU_ASSERT_EQUAL(na, nb);
	CU_ASSERT_EQUAL(na, nc);
	CU_ASSERT_EQUAL(memcmp(da, db, na * sizeof(da[0])), 0);
	CU_ASSERT_NOT_EQUAL(memcmp(da, dc, na * sizeof(da[0])), 0);
	scenario_free(a);
	scenario_free(b);
	scenario_free(c);
	free(geo);
	free(times);
	free(dflt);
}

static const struct test_case cases[] = {
	{ "geo delay: metro rule and published distance, exact RTTs",
	    test_geo_delay_link },
	{ "geo delay: unknown places at line:col with did-you-mean",
	    test_geo_delay_errors },
	{ "jitter: fields onto the link, per direction", test_jitter_fields },
	{ "jitter: errors at line:col", test_jitter_errors },
	{ "jitter: exact seeded RTTs, same seed same run",
	    test_jitter_run_exact },
	{ "clouds' xcsim delays take spans", test_cloud_delays },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	scenario_models_init();
	return test_main(argc, argv, "scenario_geo", cases);
}
