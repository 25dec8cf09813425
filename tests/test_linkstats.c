/*
 * test_linkstats.c - the link sampler over long runs: samples go to the
 * spool a block at a time, so what it holds in memory stays below
 * LINKSTATS_BLOCK however long the run (24 hours simulated of an idle
 * link, a keepalive every 30 s keeping the run going, at 100 ms), every
 * sample reads back as taken, the default interval follows the duration,
 * and a scenario run's metrics.csv has the link rows docs/viz.md
 * describes (one queue row per sample, one util row per bin, at exact
 * multiples of the interval) and leaves no spool behind.
 */
#include <dirent.h>
#include <stdio.h>
#include <string.h>

#include "linkstats.h"
#include "net.h"
#include "pkt.h"
#include "scenario.h"
#include "scenario_load.h"
#include "scenario_run.h"
#include "sim.h"
#include "testutil.h"
#include "util.h"
#include "wire.h"

#define DAY SIM_S(86400)
#define KEEPALIVE SIM_S(30)

static void
test_default_interval(void)
{
	CU_ASSERT_EQUAL(linkstats_default_interval(0), SIM_MS(100));
	CU_ASSERT_EQUAL(linkstats_default_interval(SIM_S(10)), SIM_MS(100));
	CU_ASSERT_EQUAL(linkstats_default_interval(SIM_S(600)), SIM_MS(100));
	CU_ASSERT_EQUAL(linkstats_default_interval(SIM_S(600) + 1), SIM_S(1));
	CU_ASSERT_EQUAL(linkstats_default_interval(SIM_S(6000)), SIM_S(1));
	CU_ASSERT_EQUAL(linkstats_default_interval(SIM_S(6001)), SIM_S(10));
	CU_ASSERT_EQUAL(linkstats_default_interval(SIM_S(3 * 3600)),
	    SIM_S(10));
	CU_ASSERT_EQUAL(linkstats_default_interval(DAY), SIM_S(60));
	CU_ASSERT_EQUAL(linkstats_default_interval(SIM_S(3600) * 1000),
	    SIM_S(600));
	CU_ASSERT_EQUAL(linkstats_default_interval(SIM_S(3600) * 10000),
	    SIM_S(3600));
}

/* A timer every 30 s, as BGP keepalives, noting the most samples held. */
struct keepalive {
	struct linkstats *ls;
	size_t max_held;
	unsigned n;
};

static void
keepalive(struct sim *sim, void *arg)
{
	struct keepalive *k = arg;

	if (linkstats_n_held(k->ls) > k->max_held)
		k->max_held = linkstats_n_held(k->ls);
	k->n++;
	sim_schedule(sim, KEEPALIVE, keepalive, k);
}

/* Two routers and one idle 1 Gbps link "ab". */
static struct net *
two_nodes(struct sim *sim)
{
	struct net *net = net_new(sim);
	struct node *a = net_add_node(net, "a", "router", NULL, NULL);
	struct node *b = net_add_node(net, "b", "router", NULL, NULL);
	struct link_params p;
	uint32_t ia, ib, addr;

	memset(&p, 0, sizeof(p));
	p.dir[0].rate_bps = p.dir[1].rate_bps = 1000000000;
	p.dir[0].delay = p.dir[1].delay = SIM_MS(1);
	p.mtu = 1500;
	CU_ASSERT_EQUAL_FATAL(wire_ip_parse("10.0.0.1", &addr), 0);
	ia = node_add_iface(a, "eth0", NULL, addr, 24, 0);
	ib = node_add_iface(b, "eth0", NULL, addr + 1, 24, 0);
	net_add_link(net, "ab", a, ia, b, ib, &p);
	return net;
}

static void
test_day_at_100ms_is_bounded(void)
{
	struct sim *sim = sim_new(1);
	struct net *net = two_nodes(sim);
	struct keepalive k = { 0 };
	FILE *spool = tmpfile();
	size_t n, i;
	long size;

	CU_ASSERT_PTR_NOT_NULL_FATAL(spool);
	k.ls = linkstats_start(net, LINKSTATS_BIN, spool);
	sim_schedule(sim, KEEPALIVE, keepalive, &k);
	sim_run_until(sim, DAY);
	CU_ASSERT_EQUAL(sim_now(sim), DAY);
	CU_ASSERT_EQUAL(k.n, DAY / KEEPALIVE);
	/* a sample at every 100 ms of the day, both ends included */
	n = linkstats_n_samples(k.ls);
	CU_ASSERT_EQUAL(n, (size_t)(DAY / LINKSTATS_BIN) + 1);
	/* what is held in memory never passed one block... */
	CU_ASSERT(k.max_held >= 1);
	CU_ASSERT(k.max_held <= LINKSTATS_BLOCK);
	CU_ASSERT(linkstats_n_held(k.ls) <= LINKSTATS_BLOCK);
	/* ...the rest is in the spool: 12 bytes per direction per sample */
	CU_ASSERT_EQUAL(fseek(spool, 0, SEEK_END), 0);
	size = ftell(spool);
	CU_ASSERT_EQUAL((size_t)size, (n - linkstats_n_held(k.ls)) * 2 * 12);
	/* an idle link: empty queues, no busy time, read back from the spool */
	for (i = 0; i < n; i += 99991) {
		CU_ASSERT_EQUAL(linkstats_queue(k.ls, 0, 0, i), 0);
		CU_ASSERT_EQUAL(linkstats_queue(k.ls, 0, 1, i), 0);
		if (i > 0)
			CU_ASSERT_EQUAL(linkstats_busy(k.ls, 0, 1, i), 0);
	}
	CU_ASSERT_FALSE(linkstats_failed(k.ls));
	linkstats_free(k.ls);
	fclose(spool);
	net_free(net);
	CU_ASSERT_EQUAL(pkt_live(sim), 0);
	sim_free(sim);
}

/*
 * The rows of 1 s at 250 ms, exactly; writing them ends the sampling, so
 * a run going on after it (its spool closed) takes no more samples.
 */
static void
test_rows_then_stop(void)
{
	struct sim *sim = sim_new(1);
	struct net *net = two_nodes(sim);
	struct keepalive k = { 0 };
	FILE *spool = tmpfile(), *out;
	char *text = NULL;
	size_t len = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(spool);
	k.ls = linkstats_start(net, SIM_MS(250), spool);
	sim_schedule(sim, KEEPALIVE, keepalive, &k);
	sim_run_until(sim, SIM_S(1));
	CU_ASSERT_EQUAL(linkstats_n_samples(k.ls), 5);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out = open_memstream(&text, &len));
	CU_ASSERT_EQUAL(linkstats_write_csv(k.ls, out), 0);
	fclose(out);
	CU_ASSERT_STRING_EQUAL(text,
	    "link:ab:ab,queue_pkts,0,0\n"
	    "link:ab:ab,queue_pkts,250000000,0\n"
	    "link:ab:ab,queue_pkts,500000000,0\n"
	    "link:ab:ab,queue_pkts,750000000,0\n"
	    "link:ab:ab,queue_pkts,1000000000,0\n"
	    "link:ab:ab,util,0,0.000000\n"
	    "link:ab:ab,util,250000000,0.000000\n"
	    "link:ab:ab,util,500000000,0.000000\n"
	    "link:ab:ab,util,750000000,0.000000\n"
	    "link:ab:ba,queue_pkts,0,0\n"
	    "link:ab:ba,queue_pkts,250000000,0\n"
	    "link:ab:ba,queue_pkts,500000000,0\n"
	    "link:ab:ba,queue_pkts,750000000,0\n"
	    "link:ab:ba,queue_pkts,1000000000,0\n"
	    "link:ab:ba,util,0,0.000000\n"
	    "link:ab:ba,util,250000000,0.000000\n"
	    "link:ab:ba,util,500000000,0.000000\n"
	    "link:ab:ba,util,750000000,0.000000\n");
	free(text);
	fclose(spool);
	sim_run_until(sim, SIM_S(600));
	CU_ASSERT_EQUAL(k.n, 20);
	CU_ASSERT_EQUAL(linkstats_n_samples(k.ls), 5);
	linkstats_free(k.ls);
	net_free(net);
	sim_free(sim);
}

/* Two hosts, a link, a ping every 30 s (count 0: until the end). */
#define SCN(extra)                                                          \
	"nodes:\n"                                                          \
	"  - { name: a, role: host, interfaces: [{ name: eth0, address: "   \
	"10.0.0.1/24 }] }\n"                                                \
	"  - { name: b, role: host, interfaces: [{ name: eth0, address: "   \
	"10.0.0.2/24 }] }\n"                                                \
	"links:\n  - { name: l1, a: \"a:eth0\", b: \"b:eth0\", "             \
	"rate: 100Mbps, delay: 1ms }\n"                                     \
	"apps: [{ name: ka, type: ping, node: a, dst: b, interval: 30s }]\n" \
	extra

/* The test's temporary folder, made once (removed at exit). */
static const char *
tmp_base(void)
{
	static const char *base;

	if (base == NULL)
		base = test_tmpdir("/tmp/xcsim-linkstats-XXXXXX");
	return base;
}

/* Run text into a fresh directory; metrics.csv's text (caller frees). */
static char *
run_csv(const char *text, const char *dir)
{
	unsigned n_err = 0;
	struct scenario *sc = scenario_load_buffer("t.yaml", text,
	    strlen(text), stderr, &n_err);
	char err[256], path[512];
	struct run *r;
	DIR *d;
	struct dirent *e;

	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	r = run_new(sc, &(struct run_opts){ .out_dir = dir }, err,
	    sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	run_advance(r, run_end_time(r));
	CU_ASSERT_EQUAL(sim_now(run_sim(r)), sc->duration);
	CU_ASSERT_EQUAL_FATAL(run_finish(r, err, sizeof(err)), 0);
	run_free(r);
	scenario_free(sc);
	/* the spool was a temporary file: only the outputs remain */
	CU_ASSERT_PTR_NOT_NULL_FATAL(d = opendir(dir));
	while ((e = readdir(d)) != NULL)
		CU_ASSERT(strcmp(e->d_name, ".") == 0 ||
		    strcmp(e->d_name, "..") == 0 ||
		    strcmp(e->d_name, ".xcsim-outputs") == 0 ||
		    strcmp(e->d_name, "trace.xct") == 0 ||
		    strcmp(e->d_name, "metrics.json") == 0 ||
		    strcmp(e->d_name, "metrics.csv") == 0);
	closedir(d);
	snprintf(path, sizeof(path), "%s/metrics.csv", dir);
	return test_slurp(path, NULL);
}

/*
 * The link rows of one direction: count queue and util rows, check their
 * times are 0, iv, 2 iv, ... in order, the queue empty, the share a
 * number in [0, 1].
 */
static void
check_rows(const char *csv, const char *dir, sim_time iv, size_t n_queue)
{
	char qp[64], up[64];
	size_t nq = 0, nu = 0;
	const char *p;

	snprintf(qp, sizeof(qp), "link:l1:%s,queue_pkts,", dir);
	snprintf(up, sizeof(up), "link:l1:%s,util,", dir);
	for (p = csv; p != NULL && *p != '\0'; p = strchr(p, '\n'),
	    p = p != NULL ? p + 1 : NULL) {
		long long t;
		double share;
		unsigned q;

		if (strncmp(p, qp, strlen(qp)) == 0) {
			CU_ASSERT_EQUAL(sscanf(p + strlen(qp), "%lld,%u", &t,
			    &q), 2);
			CU_ASSERT_EQUAL(t, (long long)nq * iv);
			CU_ASSERT_EQUAL(q, 0);
			nq++;
		} else if (strncmp(p, up, strlen(up)) == 0) {
			CU_ASSERT_EQUAL(sscanf(p + strlen(up), "%lld,%lf", &t,
			    &share), 2);
			CU_ASSERT_EQUAL(t, (long long)nu * iv);
			CU_ASSERT(share >= 0 && share <= 1);
			nu++;
		}
	}
	CU_ASSERT_EQUAL(nq, n_queue);
	CU_ASSERT_EQUAL(nu, n_queue - 1);
}

static void
test_day_run_rows(void)
{
	const char *tmp = tmp_base();
	char dir[300];
	char *csv;

	CU_ASSERT_PTR_NOT_NULL_FATAL(tmp);
	snprintf(dir, sizeof(dir), "%s/day", tmp);
	csv = run_csv(SCN("duration: 24h\n"), dir);
	CU_ASSERT_PTR_NOT_NULL_FATAL(csv);
	/* 24 h: a row per minute, the last queue row at the end */
	check_rows(csv, "ab", SIM_S(60), 1441);
	check_rows(csv, "ba", SIM_S(60), 1441);
	CU_ASSERT_PTR_NOT_NULL(strstr(csv, "\nlink:l1:ba,queue_pkts,"
	    "86400000000000,0\n"));
	free(csv);
}

static void
test_interval_knob(void)
{
	const char *tmp = tmp_base();
	char dir[300];
	char *csv;

	CU_ASSERT_PTR_NOT_NULL_FATAL(tmp);
	/* 20 min: 1 s by default... */
	snprintf(dir, sizeof(dir), "%s/default", tmp);
	csv = run_csv(SCN("duration: 20m\n"), dir);
	CU_ASSERT_PTR_NOT_NULL_FATAL(csv);
	check_rows(csv, "ab", SIM_S(1), 1201);
	free(csv);
	/* ...100 ms when asked, as a short run has by default */
	snprintf(dir, sizeof(dir), "%s/fine", tmp);
	csv = run_csv(SCN("duration: 20m\n"
	    "record: { metrics_interval: 100ms }\n"), dir);
	CU_ASSERT_PTR_NOT_NULL_FATAL(csv);
	check_rows(csv, "ab", SIM_MS(100), 12001);
	check_rows(csv, "ba", SIM_MS(100), 12001);
	free(csv);
	/* a 10 min run keeps 100 ms */
	snprintf(dir, sizeof(dir), "%s/short", tmp);
	csv = run_csv(SCN("duration: 10m\n"), dir);
	CU_ASSERT_PTR_NOT_NULL_FATAL(csv);
	check_rows(csv, "ab", SIM_MS(100), 6001);
	free(csv);
}

static const struct test_case cases[] = {
	{ "the default interval follows the duration", test_default_interval },
	{ "24 h at 100 ms: at most a block held, the rest spooled", test_day_at_100ms_is_bounded },
	{ "exact rows of 1 s at 250 ms; writing them stops the sampler", test_rows_then_stop },
	{ "a 24 h run: a link row per minute, no spool left", test_day_run_rows },
	{ "record.metrics_interval overrides the default", test_interval_knob },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "linkstats", cases);
}
