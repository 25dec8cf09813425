/*
 * test_compare.c - xcsim compare in process (compare/compare.h): the
 * Student-t table and the interval, two designs whose RTTs are known
 * exactly, a zero-width interval for a deterministic figure and a wider
 * one for a random one, a --set sweep, the same table at --jobs 1 and 2,
 * finished runs reused, the traffic's endpoints resolved per design.
 */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CUnit/Basic.h>

#include "compare.h"
#include "scenario_models.h"
#include "testutil.h"

static const char *tmpdir;

/*
 * Two hosts on one 8 Gbit/s link: a 98-byte echo frame (14 Ethernet + 20
 * IPv4 + 8 ICMP + 56 payload) takes 98 ns to send, so a ping's RTT is
 * exactly 2 x (delay + 98 ns). Node names differ per design; the roles
 * are what the traffic file names.
 */
static const char design_fmt[] =
    "name: %s\nduration: 3s\n"
    "nodes:\n"
    "  - { name: %s-vm, role: azure-vm, interfaces: [ { name: e, address: 10.0.0.1/24 } ] }\n"
    "  - { name: %s-db, role: oci-instance, interfaces: [ { name: e, address: 10.0.0.2/24 } ] }\n"
    "links:\n"
    "  - { name: l, a: \"%s-vm:e\", b: \"%s-db:e\", rate: 8Gbps, delay: %s%s }\n"
    "apps:\n"
    "  - { name: own, type: ping, node: %s-vm, dst: %s-db, count: 1 }\n"
    "assertions:\n  - { kind: ping-succeeds, app: own }\n";

static const char traffic[] =
    "# the same traffic in every design\n"
    "apps:\n"
    "  - { name: ping, type: ping, node: azure-vm, dst: oci-instance, start: 1s,\n"
    "      interval: 100ms, count: 10 }\n"
    "assertions:\n"
    "  - { kind: ping-succeeds, app: ping }\n";

static char *
write_tmp(const char *name, const char *text)
{
	char *path = malloc(strlen(tmpdir) + strlen(name) + 2);
	FILE *f;

	sprintf(path, "%s/%s", tmpdir, name);
	f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static char *
design(const char *name, const char *delay, const char *extra)
{
	char text[2048], file[64];

	snprintf(text, sizeof(text), design_fmt, name, name, name, name, name,
	    delay, extra, name, name);
	snprintf(file, sizeof(file), "%s.yaml", name);
	return write_tmp(file, text);
}

struct result {
	int rc;
	char *out, *diag;
	size_t nout, ndiag;
};

static void
result_free(struct result *r)
{
	free(r->out);
	free(r->diag);
}

/* compare_run with the table and the messages kept in r. */
static void
compare(struct result *r, const char *const *designs, size_t n,
    const char *traffic_path, unsigned seeds, const struct cmp_set *sets,
    size_t nsets, unsigned jobs, const char *out)
{
	struct cmp_opts o = { 0 };
	FILE *fo, *fd;

	memset(r, 0, sizeof(*r));
	o.designs = designs;
	o.n_designs = n;
	o.traffic = traffic_path;
	o.seeds = seeds;
	o.sets = sets;
	o.n_sets = nsets;
	o.out = out;
	o.jobs = jobs;
	o.plots = true;
	fo = open_memstream(&r->out, &r->nout);
	fd = open_memstream(&r->diag, &r->ndiag);
	r->rc = compare_run(&o, fo, fd);
	fclose(fo);
	fclose(fd);
}

/* The table's line starting with head contains what. */
static bool
row_has(const char *table, const char *head, const char *what)
{
	const char *p = table;
	size_t n = strlen(head);

	while (p != NULL && *p) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if (strncmp(p, head, n) == 0) {
			char *line = strndup(p, len);
			bool ok = strstr(line, what) != NULL;

			free(line);
			return ok;
		}
		p = e ? e + 1 : NULL;
	}
	return false;
}

static char *
out_path(const char *sub)
{
	char *p = malloc(strlen(tmpdir) + strlen(sub) + 2);

	sprintf(p, "%s/%s", tmpdir, sub);
	return p;
}

/* The mean and the interval of figure key in row i of compare.json. */
static bool
json_fig(const char *json, int row, const char *key, double *mean,
    double *ci)
{
	const char *p = json;
	char pat[64];
	int i;

	for (i = 0; i <= row; i++)
		if ((p = strstr(p + 1, "\"design\": ")) == NULL)
			return false;
	snprintf(pat, sizeof(pat), "\"%s\": {\"n\": ", key);
	if ((p = strstr(p, pat)) == NULL)
		return false;
	p = strstr(p, "\"mean\": ") + 8;
	*mean = strtod(p, NULL);
	p = strstr(p, "\"ci95\": ") + 8;
	*ci = strncmp(p, "null", 4) == 0 ? -1 : strtod(p, NULL);
	return true;
}

static void
test_t_table(void)
{
	unsigned df;

	CU_ASSERT_DOUBLE_EQUAL(cmp_t975(1), 12.7062, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(cmp_t975(4), 2.7764, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(cmp_t975(9), 2.2622, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(cmp_t975(30), 2.0423, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(cmp_t975(40), 2.0211, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(cmp_t975(120), 1.9799, 1e-9);
	/* between rows: between their values, falling towards 1.96 */
	CU_ASSERT_TRUE(cmp_t975(50) < 2.0211 && cmp_t975(50) > 2.0003);
	for (df = 1; df < 2000; df++)
		CU_ASSERT_TRUE(cmp_t975(df + 1) <= cmp_t975(df));
	CU_ASSERT_TRUE(cmp_t975(100000) > 1.96 && cmp_t975(100000) < 1.961);
}

static void
test_interval(void)
{
	const double same[4] = { 0.1, 0.1, 0.1, 0.1 };
	const double x[5] = { 1, 2, 3, 4, 5 };
	struct cmp_stat st;

	/* a deterministic figure: its value exactly, a zero width */
	cmp_stat_of(same, 4, &st);
	CU_ASSERT_EQUAL(st.n, 4);
	CU_ASSERT_TRUE(st.mean == 0.1);
	CU_ASSERT_TRUE(st.hw == 0);
	/* one sample: no interval */
	cmp_stat_of(x, 1, &st);
	CU_ASSERT_TRUE(st.mean == 1 && st.hw < 0);
	/* s = sqrt(2.5), t(4) = 2.7764: 2.7764 * 1.58114 / sqrt(5) */
	cmp_stat_of(x, 5, &st);
	CU_ASSERT_DOUBLE_EQUAL(st.mean, 3, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(st.hw, 2.7764 * sqrt(2.5) / sqrt(5), 1e-12);
	cmp_stat_of(x, 0, &st);
	CU_ASSERT_EQUAL(st.n, 0);
}

static void
test_set_parse(void)
{
	struct cmp_set s;
	char err[256];

	CU_ASSERT_EQUAL(cmp_set_parse("links.oracle-edge.private-peering."
	    "delay=1ms,5ms", &s, err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(s.field, "links.oracle-edge.private-peering."
	    "delay");
	CU_ASSERT_EQUAL(s.n_values, 2);
	CU_ASSERT_STRING_EQUAL(s.values[1], "5ms");
	cmp_set_free(&s);
	CU_ASSERT_EQUAL(cmp_set_parse("duration", &s, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "FIELD=V1,V2"));
	CU_ASSERT_EQUAL(cmp_set_parse("duration=1s,,2s", &s, err,
	    sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "empty value"));
	CU_ASSERT_EQUAL(cmp_set_parse("links..delay=1ms", &s, err,
	    sizeof(err)), -1);
	CU_ASSERT_EQUAL(cmp_set_parse("=1ms", &s, err, sizeof(err)), -1);
}

static void
test_fig_file(void)
{
	struct cmp_fig f = { .fault_ns = 120000000000LL, .failed = 2 }, g;
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	f.has[CF_RTT_P50] = true;
	f.v[CF_RTT_P50] = 0.1 + 0.2;	/* not a short decimal */
	f.has[CF_LOSS] = true;
	f.v[CF_LOSS] = 100.0 / 3;
	cmp_fig_write(&f, 0x1234, 7, m);
	fclose(m);
	m = fmemopen(buf, len, "r");
	CU_ASSERT_EQUAL(cmp_fig_read(m, 0x1234, &g), 0);
	fclose(m);
	CU_ASSERT_TRUE(g.has[CF_RTT_P50] && g.v[CF_RTT_P50] == 0.1 + 0.2);
	CU_ASSERT_TRUE(g.has[CF_LOSS] && g.v[CF_LOSS] == 100.0 / 3);
	CU_ASSERT_FALSE(g.has[CF_RTT_P99]);
	CU_ASSERT_EQUAL(g.fault_ns, 120000000000LL);
	CU_ASSERT_EQUAL(g.failed, 2);
	/* another run's figures do not pass for these */
	m = fmemopen(buf, len, "r");
	CU_ASSERT_EQUAL(cmp_fig_read(m, 0x1235, &g), -1);
	fclose(m);
	free(buf);
}

/*
 * Two designs, 1 ms and 5 ms links: the table says 2.000 and 10.000 ms
 * and compare.json the exact nanoseconds, with zero-width intervals over
 * 3 seeds; the traffic's roles found each design's nodes.
 */
static void
test_two_designs_exact(void)
{
	char *a = design("fast", "1ms", ""), *b = design("slow", "5ms", ""),
	    *t = write_tmp("traffic.yaml", traffic), *out = out_path("two"),
	    *json, *p;
	const char *designs[2] = { a, b };
	struct result r;
	double mean, ci;

	compare(&r, designs, 2, t, 3, NULL, 0, 1, out);
	if (r.rc != 0)
		fprintf(stderr, "%s%s", r.out, r.diag);
	CU_ASSERT_EQUAL(r.rc, 0);
	CU_ASSERT_TRUE(row_has(r.out, "fast ", "3/3   2.000 \xc2\xb1" "0.000"
	    "   2.000 \xc2\xb1" "0.000 "));
	CU_ASSERT_TRUE(row_has(r.out, "slow ", "3/3  10.000 \xc2\xb1" "0.000"
	    "  10.000 \xc2\xb1" "0.000 "));
	p = out_path("two/compare.json");
	json = test_slurp(p, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(json);
	CU_ASSERT_TRUE(json_fig(json, 0, "rtt_p50_ns", &mean, &ci));
	CU_ASSERT_TRUE(mean == 2000196 && ci == 0);
	CU_ASSERT_TRUE(json_fig(json, 0, "rtt_p99_ns", &mean, &ci));
	CU_ASSERT_TRUE(mean == 2000196 && ci == 0);
	CU_ASSERT_TRUE(json_fig(json, 1, "rtt_p50_ns", &mean, &ci));
	CU_ASSERT_TRUE(mean == 10000196 && ci == 0);
	CU_ASSERT_TRUE(json_fig(json, 1, "loss_pct", &mean, &ci));
	CU_ASSERT_TRUE(mean == 0 && ci == 0);
	/* the design's own app was replaced by the traffic's */
	CU_ASSERT_PTR_NOT_NULL(strstr(json, "\"failed_assertions\": 0"));
	free(json);
	free(p);
	p = out_path("two/fast/default/seed-2/metrics.json");
	json = test_slurp(p, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(json);
	CU_ASSERT_PTR_NOT_NULL(strstr(json, "\"name\":\"ping\""));
	CU_ASSERT_PTR_NULL(strstr(json, "\"name\":\"own\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(json, "\"seed\": 2"));
	free(json);
	free(p);
	p = out_path("two/compare.csv");
	json = test_slurp(p, NULL);
	CU_ASSERT_PTR_NOT_NULL(json);
	CU_ASSERT_PTR_NOT_NULL(strstr(json, "slow,default,rtt_p50_ns,ns,3,"
	    "10000196,0,10000196,10000196\n"));
	free(json);
	free(p);
	result_free(&r);
	free(a);
	free(b);
	free(t);
	free(out);
}

/*
 * A lossy link (10% each way, the link's seeded stream): loss differs
 * between seeds and gets an interval wider than zero, while the RTT of the
 * answered probes stays exact with a zero width.
 */
static void
test_interval_random_vs_deterministic(void)
{
	char *a = design("lossy", "1ms", ", loss: { model: bernoulli, p: 0.1 }"),
	    *t = write_tmp("traffic.yaml", traffic), *out = out_path("lossy"),
	    *json, *p;
	const char *designs[1] = { a };
	struct result r;
	double mean, ci;

	compare(&r, designs, 1, t, 4, NULL, 0, 2, out);
	CU_ASSERT_TRUE(r.rc == 0 || r.rc == 1);	/* a ping may fail */
	p = out_path("lossy/compare.json");
	json = test_slurp(p, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(json);
	CU_ASSERT_TRUE(json_fig(json, 0, "rtt_p50_ns", &mean, &ci));
	CU_ASSERT_TRUE(mean == 2000196 && ci == 0);
	CU_ASSERT_TRUE(json_fig(json, 0, "loss_pct", &mean, &ci));
	CU_ASSERT_TRUE(ci > 0);
	CU_ASSERT_TRUE(mean > 0 && mean < 100);
	free(json);
	free(p);
	result_free(&r);
	free(a);
	free(t);
	free(out);
}

/* --set over the link's delay: a row per value, the RTT following it. */
static void
test_sweep(void)
{
	char *a = design("swept", "1ms", ""), *t = write_tmp("traffic.yaml",
	    traffic), *out = out_path("sweep"), *json, *p, err[128];
	const char *designs[1] = { a };
	struct cmp_set s[2];
	struct result r;
	double mean, ci;

	CU_ASSERT_EQUAL_FATAL(cmp_set_parse("links.l.delay=1ms,3ms", &s[0],
	    err, sizeof(err)), 0);
	CU_ASSERT_EQUAL_FATAL(cmp_set_parse("apps.ping.count=4,20", &s[1],
	    err, sizeof(err)), 0);
	compare(&r, designs, 1, t, 2, s, 2, 2, out);
	if (r.rc != 0)
		fprintf(stderr, "%s%s", r.out, r.diag);
	CU_ASSERT_EQUAL(r.rc, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "links.l.delay=1ms,"
	    "apps.ping.count=4 "));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "links.l.delay=3ms,"
	    "apps.ping.count=20"));
	p = out_path("sweep/compare.json");
	json = test_slurp(p, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(json);
	CU_ASSERT_TRUE(json_fig(json, 0, "rtt_p50_ns", &mean, &ci));
	CU_ASSERT_TRUE(mean == 2000196 && ci == 0);
	CU_ASSERT_TRUE(json_fig(json, 1, "rtt_p50_ns", &mean, &ci));
	CU_ASSERT_TRUE(mean == 2000196);
	CU_ASSERT_TRUE(json_fig(json, 2, "rtt_p50_ns", &mean, &ci));
	CU_ASSERT_TRUE(mean == 6000196 && ci == 0);
	CU_ASSERT_TRUE(json_fig(json, 3, "rtt_p50_ns", &mean, &ci));
	CU_ASSERT_TRUE(mean == 6000196);
	free(json);
	free(p);
	/* the value went into the run's scenario: 4 probes, then 20 */
	p = out_path("sweep/swept/links.l.delay=3ms,apps.ping.count=4/seed-1/"
	    "metrics.json");
	json = test_slurp(p, NULL);
	CU_ASSERT_PTR_NOT_NULL(json);
	CU_ASSERT_PTR_NOT_NULL(json ? strstr(json, "\"sent\":4,") : NULL);
	free(json);
	free(p);
	cmp_set_free(&s[0]);
	cmp_set_free(&s[1]);
	result_free(&r);
	free(a);
	free(t);
	free(out);
}

/*
 * --jobs 2 gives the table and the files of --jobs 1, byte for byte; a
 * second compare into the same folder reuses every run and still says
 * the same; another value is run afresh.
 */
static void
test_jobs_and_reuse(void)
{
	char *a = design("ja", "1ms", ", loss: { model: bernoulli, p: 0.05 }"), *b = design("jb", "2ms",
	    ""), *t = write_tmp("traffic.yaml", traffic), *o1 = out_path("j1"),
	    *o2 = out_path("j2"), *p, *q, *x, *y;
	const char *designs[2] = { a, b };
	static const char *const files[] = { "compare.csv", "compare.json",
	    "ja/default/seed-3/metrics.json" };
	struct result r1, r2, r3;
	size_t i, lx = 0, ly = 0;

	compare(&r1, designs, 2, t, 3, NULL, 0, 1, o1);
	compare(&r2, designs, 2, t, 3, NULL, 0, 2, o2);
	CU_ASSERT_EQUAL(r1.rc, r2.rc);
	CU_ASSERT_TRUE(r1.nout == r2.nout && memcmp(r1.out, r2.out,
	    r1.nout) == 0);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		p = malloc(strlen(o1) + strlen(files[i]) + 2);
		q = malloc(strlen(o2) + strlen(files[i]) + 2);
		sprintf(p, "%s/%s", o1, files[i]);
		sprintf(q, "%s/%s", o2, files[i]);
		x = test_slurp(p, &lx);
		y = test_slurp(q, &ly);
		CU_ASSERT_TRUE(x != NULL && y != NULL && lx == ly &&
		    memcmp(x, y, lx) == 0);
		free(x);
		free(y);
		free(p);
		free(q);
	}
	CU_ASSERT_PTR_NULL(strstr(r1.diag, "reused"));
	/* again into o1: nothing runs, the same table */
	compare(&r3, designs, 2, t, 3, NULL, 0, 2, o1);
	CU_ASSERT_PTR_NOT_NULL(strstr(r3.diag, "6 of 6 runs finished"));
	CU_ASSERT_TRUE(r1.nout == r3.nout && memcmp(r1.out, r3.out,
	    r1.nout) == 0);
	result_free(&r3);
	/* four seeds: three reused, the fourth run */
	compare(&r3, designs, 2, t, 4, NULL, 0, 2, o1);
	CU_ASSERT_PTR_NOT_NULL(strstr(r3.diag, "6 of 8 runs finished"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r3.out, "4/4"));
	result_free(&r3);
	result_free(&r1);
	result_free(&r2);
	free(a);
	free(b);
	free(t);
	free(o1);
	free(o2);
}

/* A PNG's width and height from its IHDR, or false. */
static bool
png_size(const char *path, unsigned *w, unsigned *h)
{
	size_t n = 0;
	unsigned char *b = (unsigned char *)test_slurp(path, &n);
	bool ok = b != NULL && n > 24 && memcmp(b, "\x89PNG\r\n\x1a\n", 8) == 0 &&
	    memcmp(b + 12, "IHDR", 4) == 0;

	if (ok) {
		*w = (unsigned)b[16] << 24 | (unsigned)b[17] << 16 |
		    (unsigned)b[18] << 8 | b[19];
		*h = (unsigned)b[20] << 24 | (unsigned)b[21] << 16 |
		    (unsigned)b[22] << 8 | b[23];
	}
	free(b);
	return ok;
}

/* The failover labs: BFD fails over in under a second, the hold timer not. */
static void
test_failover_labs(void)
{
	static const char lab_traffic[] =
	    "apps:\n"
	    "  - { name: ping, type: ping, node: azure-vm, dst: oci-instance, "
	    "start: 100s, interval: 100ms, count: 3000, timeout: 1s }\n";
	char *t = write_tmp("lab-traffic.yaml", lab_traffic),
	    *out = out_path("labs"), *json, *p;
	const char *designs[2] = {
		XCSIM_SOURCE_DIR "/scenarios/labs/03a-failover-bfd.yaml",
		XCSIM_SOURCE_DIR "/scenarios/labs/03b-failover-hold.yaml" };
	struct result r;
	double mean, ci;

	compare(&r, designs, 2, t, 1, NULL, 0, 2, out);
	if (r.rc != 0)
		fprintf(stderr, "%s%s", r.out, r.diag);
	CU_ASSERT_EQUAL(r.rc, 0);
	p = out_path("labs/compare.json");
	json = test_slurp(p, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(json);
	/*
	 * Seed 1, lab 03a's own measurement: probes sent from 120.0 s to
	 * 120.6 s are lost, the one at 120.7 s answered: 700 ms.
	 */
	CU_ASSERT_TRUE(json_fig(json, 0, "failover_ns", &mean, &ci));
	CU_ASSERT_TRUE(mean == 700000000.0);
	CU_ASSERT_TRUE(json_fig(json, 0, "converge_ns", &mean, &ci));
	CU_ASSERT_TRUE(mean > 600000000.0 && mean < 1000000000.0);
	/* without BFD: the hold timer, 120 s to 180 s after the cut */
	CU_ASSERT_TRUE(json_fig(json, 1, "failover_ns", &mean, &ci));
	CU_ASSERT_TRUE(mean >= 120e9 && mean <= 181e9);
	CU_ASSERT_TRUE(json_fig(json, 1, "converge_ns", &mean, &ci));
	CU_ASSERT_TRUE(mean >= 120e9 && mean <= 181e9);
	free(json);
	free(p);
#ifdef XCSIM_HAVE_VIZ
	p = out_path("labs/plots/failover-default.png");
	{
		unsigned w = 0, h = 0;

		/* one 70-pixel lane per design under a 120-pixel head */
		CU_ASSERT_TRUE(png_size(p, &w, &h) && w == 1200 &&
		    h == 120 + 70 * 2);
	}
	free(p);
	p = out_path("labs/plots/metrics-default.png");
	CU_ASSERT_TRUE(test_exists(p));
	free(p);
#endif
	result_free(&r);
	free(t);
	free(out);
}

/*
 * The stream apps: a bulk copy's goodput and a database session's
 * transaction latencies, deterministic on a loss-free link (zero-width
 * intervals), the goodput below the link's rate; the plots drawn.
 */
static void
test_stream_figures(void)
{
	static const char bulk[] =
	    "apps:\n"
	    "  - { name: copy, type: tcp_bulk, node: azure-vm, dst: oci-instance, start: 1s, bytes: 4MB }\n"
	    "  - { name: query, type: request_response, node: azure-vm, dst: oci-instance, start: 1s,\n"
	    "      think: 100ms, request: { size: 400 }, response: { size: 8KB } }\n";
	char *a = design("streams", "1ms", ""), *t = write_tmp("bulk.yaml",
	    bulk), *out = out_path("streams"), *json, *p;
	const char *designs[1] = { a };
	struct result r;
	double mean, ci, p50, p999;
	unsigned w = 0, h = 0;

	compare(&r, designs, 1, t, 2, NULL, 0, 2, out);
	if (r.rc != 0)
		fprintf(stderr, "%s%s", r.out, r.diag);
	CU_ASSERT_EQUAL(r.rc, 0);
	p = out_path("streams/compare.json");
	json = test_slurp(p, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(json);
	CU_ASSERT_TRUE(json_fig(json, 0, "goodput_bps", &mean, &ci));
	CU_ASSERT_TRUE(mean > 1e6 && mean < 8e9 && ci == 0);
	CU_ASSERT_TRUE(json_fig(json, 0, "txn_p50_ns", &p50, &ci));
	/* at least the 2 ms round trip the 8 KB answer needs */
	CU_ASSERT_TRUE(p50 >= 2000000 && ci == 0);
	CU_ASSERT_TRUE(json_fig(json, 0, "txn_p999_ns", &p999, &ci));
	CU_ASSERT_TRUE(p999 >= p50 && ci == 0);
	/* no ping, no fault: those figures are null */
	CU_ASSERT_PTR_NOT_NULL(strstr(json, "\"rtt_p50_ns\": null"));
	CU_ASSERT_PTR_NOT_NULL(strstr(json, "\"failover_ns\": null"));
	free(json);
	free(p);
#ifdef XCSIM_HAVE_VIZ
	p = out_path("streams/plots/metrics-default.png");
	CU_ASSERT_TRUE(png_size(p, &w, &h) && w == 1400 && h == 800);
	free(p);
	/* no fault: no failover timeline */
	p = out_path("streams/plots/failover-default.png");
	CU_ASSERT_FALSE(test_exists(p));
	free(p);
#else
	(void)w;
	(void)h;
	(void)png_size;
#endif
	result_free(&r);
	free(a);
	free(t);
	free(out);
}

/*
 * The walkthrough's links are held down by their gates from their creation
 * until provisioned: not a fault. The fault is the cross-connect's cut at
 * 72 min, and routing converges after it.
 */
static void
test_gated_links_are_no_fault(void)
{
	const char *designs[1] = {
		XCSIM_SOURCE_DIR "/scenarios/labs/01-walkthrough.yaml" };
	char *out = out_path("walk"), *p, *txt;
	struct result r;
	double mean, ci;

	compare(&r, designs, 1, NULL, 1, NULL, 0, 1, out);
	CU_ASSERT_EQUAL(r.rc, 0);
	p = out_path("walk/01-walkthrough/default/seed-1/compare-run.txt");
	txt = test_slurp(p, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(txt);
	CU_ASSERT_PTR_NOT_NULL(strstr(txt, "\nfault_ns 4320000000000\n"));
	free(txt);
	free(p);
	p = out_path("walk/compare.json");
	txt = test_slurp(p, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(txt);
	CU_ASSERT_TRUE(json_fig(txt, 0, "converge_ns", &mean, &ci));
	CU_ASSERT_TRUE(mean > 0 && mean < 5e9 && ci < 0);
	free(txt);
	free(p);
	result_free(&r);
	free(out);
}

/*
 * The cut 1.55 s .. 1.95 s of the only link: probes sent every 100 ms
 * from 1 s; those of 1.6 s to 1.9 s are lost, the one of 2.0 s answered:
 * failover 450 ms exactly, loss 4 of 20, whether the fault is read from
 * the trace or, without one, from the scenario's events. No route
 * changes (the ends see no carrier loss): no convergence figure.
 */
static void
test_failover_exact(void)
{
	static const char fmt[] =
	    "name: cut\nduration: 4s\n"
	    "nodes:\n"
	    "  - { name: a, role: azure-vm, interfaces: [ { name: e, address: 10.0.0.1/24 } ] }\n"
	    "  - { name: b, role: oci-instance, interfaces: [ { name: e, address: 10.0.0.2/24 } ] }\n"
	    "links:\n  - { name: l, a: \"a:e\", b: \"b:e\", rate: 8Gbps, delay: 1ms }\n"
	    "events:\n"
	    "  - { at: 1550ms, action: link-down, link: l }\n"
	    "  - { at: 1950ms, action: link-up, link: l }\n"
	    "record: { trace: %s }\n";
	char text[1024], *d[2], *t = write_tmp("cut-traffic.yaml", "apps:\n"
	    "  - { name: ping, type: ping, node: azure-vm, dst: oci-instance, "
	    "start: 1s, interval: 100ms, count: 20 }\n"), *out = out_path("cut"),
	    *json, *p;
	const char *designs[2];
	struct result r;
	double mean, ci;
	int i;

	snprintf(text, sizeof(text), fmt, "true");
	d[0] = write_tmp("traced.yaml", text);
	snprintf(text, sizeof(text), fmt, "false");
	d[1] = write_tmp("untraced.yaml", text);
	designs[0] = d[0];
	designs[1] = d[1];
	compare(&r, designs, 2, t, 2, NULL, 0, 2, out);
	CU_ASSERT_EQUAL(r.rc, 0);
	p = out_path("cut/compare.json");
	json = test_slurp(p, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(json);
	for (i = 0; i < 2; i++) {
		CU_ASSERT_TRUE(json_fig(json, i, "failover_ns", &mean, &ci));
		CU_ASSERT_TRUE(mean == 450000000.0 && ci == 0);
		CU_ASSERT_TRUE(json_fig(json, i, "loss_pct", &mean, &ci));
		CU_ASSERT_TRUE(mean == 20.0 && ci == 0);
		CU_ASSERT_FALSE(json_fig(json, i, "converge_ns", &mean, &ci));
	}
	free(json);
	free(p);
	result_free(&r);
	free(d[0]);
	free(d[1]);
	free(t);
	free(out);
}

/* Bad input: the place, exit 2, nothing run. */
static void
test_bad_input(void)
{
	char *a = design("bad", "1ms", ""), *t, *out = out_path("bad"), err[64];
	const char *designs[1] = { a };
	struct cmp_set s;
	struct result r;

	/* a value the loader refuses, at its place in the design */
	CU_ASSERT_EQUAL_FATAL(cmp_set_parse("links.l.delay=fast", &s, err,
	    sizeof(err)), 0);
	compare(&r, designs, 1, NULL, 1, &s, 1, 1, out);
	CU_ASSERT_EQUAL(r.rc, 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.diag, "bad.yaml:7:"));
	CU_ASSERT_FALSE(test_exists(out));
	result_free(&r);
	cmp_set_free(&s);
	/* a path to nowhere */
	CU_ASSERT_EQUAL_FATAL(cmp_set_parse("links.nope.delay=1ms", &s, err,
	    sizeof(err)), 0);
	compare(&r, designs, 1, NULL, 1, &s, 1, 1, out);
	CU_ASSERT_EQUAL(r.rc, 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.diag, "--set links.nope.delay: no "
	    "item called 'nope'"));
	result_free(&r);
	cmp_set_free(&s);
	/* a traffic endpoint no node is, at its place in the traffic file */
	t = write_tmp("bad-traffic.yaml", "apps:\n"
	    "  - { name: p, type: ping, node: azure-vm, dst: oci-db }\n");
	compare(&r, designs, 1, t, 1, NULL, 0, 1, out);
	CU_ASSERT_EQUAL(r.rc, 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.diag, "bad-traffic.yaml:2:49: error: "
	    "'oci-db' is neither a node nor the role of a node in design"));
	result_free(&r);
	free(t);
	/* an error of the traffic's part of the scenario: the traffic's line */
	t = write_tmp("bad-traffic.yaml", "# line 1\napps:\n"
	    "  - { name: p, type: ping, node: azure-vm, dst: oci-instance,\n"
	    "      interval: 5 }\n");
	compare(&r, designs, 1, t, 1, NULL, 0, 1, out);
	CU_ASSERT_EQUAL(r.rc, 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.diag, "bad-traffic.yaml:4:17: "));
	result_free(&r);
	free(t);
	/* a missing design */
	designs[0] = "/nonexistent/design.yaml";
	compare(&r, designs, 1, NULL, 1, NULL, 0, 1, out);
	CU_ASSERT_EQUAL(r.rc, 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.diag, "/nonexistent/design.yaml: "));
	result_free(&r);
	free(a);
	free(out);
}

static void
test_set_refused(void)
{
	struct cmp_set s;
	char err[128];

	CU_ASSERT_EQUAL(cmp_set_parse("seed=1,2", &s, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "--set seed: the seeds come from "
	    "--seeds N"));
	CU_ASSERT_EQUAL(cmp_set_parse("duration=1s,2s,1s", &s, err,
	    sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "--set duration: the value '1s' "
	    "is given twice"));
	/* a field ending in seed is the scenario's, not compare's */
	CU_ASSERT_EQUAL_FATAL(cmp_set_parse("apps.p.seed=1,2", &s, err,
	    sizeof(err)), 0);
	cmp_set_free(&s);
}

/*
 * 11 sets of 64 values: 2^66 combinations wrapped to 0 (an empty table,
 * exit 0); 6 sets: 2^36, an allocation of 2^40 bytes (abort). Both are
 * refused before anything is loaded, as is the first sweep above
 * CMP_RUNS_MAX runs (the fields are checked only later: "f0" is no path
 * in the design, which is what a sweep under the cap is told).
 */
static void
test_sweep_cap(void)
{
	char *a = design("capped", "1ms", ""), *out = out_path("cap"),
	    arg[600], err[128];
	const char *designs[2] = { a, a };
	struct cmp_set s[11];
	struct result r;
	size_t i, len;
	int k;

	for (k = 0; k < 11; k++) {
		len = (size_t)snprintf(arg, sizeof(arg), "f%d=", k);
		for (i = 1; i <= 64; i++)
			len += (size_t)snprintf(arg + len, sizeof(arg) - len,
			    "%s%zums", i > 1 ? "," : "", i);
		CU_ASSERT_EQUAL_FATAL(cmp_set_parse(arg, &s[k], err,
		    sizeof(err)), 0);
	}
	compare(&r, designs, 1, NULL, 1, s, 11, 1, out);
	CU_ASSERT_EQUAL(r.rc, 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.diag, "too many runs: 1 design x 64 "
	    "(--set f0) x "));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.diag, "64 (--set f10) x 1 seed "
	    "(--seeds) is more than 100000"));
	CU_ASSERT_EQUAL(r.nout, 0);
	CU_ASSERT_FALSE(test_exists(out));
	result_free(&r);
	compare(&r, designs, 1, NULL, 1, s, 6, 1, out);
	CU_ASSERT_EQUAL(r.rc, 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.diag, "too many runs"));
	result_free(&r);
	/* 64 x 64 x 24 = 98,304 runs pass the cap; x 25 = 102,400 not */
	compare(&r, designs, 1, NULL, 25, s, 2, 1, out);
	CU_ASSERT_EQUAL(r.rc, 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.diag, "x 25 seeds (--seeds) is more "
	    "than 100000"));
	result_free(&r);
	compare(&r, designs, 1, NULL, 24, s, 2, 1, out);
	CU_ASSERT_EQUAL(r.rc, 2);
	CU_ASSERT_PTR_NULL(strstr(r.diag, "too many runs"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.diag, "unknown key 'f0'"));
	result_free(&r);
	/* two designs count twice: 2 x 64 x 64 x 13 = 106,496 */
	compare(&r, designs, 2, NULL, 13, s, 2, 1, out);
	CU_ASSERT_EQUAL(r.rc, 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.diag, "too many runs: 2 designs x "));
	result_free(&r);
	/* one field in two --set options */
	cmp_set_free(&s[1]);
	CU_ASSERT_EQUAL_FATAL(cmp_set_parse("f0=9ms", &s[1], err, sizeof(err)),
	    0);
	compare(&r, designs, 1, NULL, 1, s, 2, 1, out);
	CU_ASSERT_EQUAL(r.rc, 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.diag, "--set f0 is given twice: give "
	    "its values in one --set (f0=V1,V2,...)"));
	CU_ASSERT_FALSE(test_exists(out));
	result_free(&r);
	for (k = 0; k < 11; k++)
		cmp_set_free(&s[k]);
	free(a);
	free(out);
}

/* The sub-folders of dir, each with its compare-set.txt in sets[]. */
static size_t
set_dirs(const char *dir, char sets[][400], char names[][300], size_t max)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL && n < max) {
		char path[1024], *t;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s/compare-set.txt", dir,
		    e->d_name);
		t = test_slurp(path, NULL);
		snprintf(sets[n], 400, "%s", t ? t : "");
		snprintf(names[n], 300, "%s", e->d_name);
		free(t);
		n++;
	}
	closedir(d);
	return n;
}

/*
 * Long --set values: the label (305 bytes) made a folder name past a file
 * system's 255 (the run failed: ENAMETOOLONG). The folder is now a prefix
 * and a hash, distinct for two labels of one prefix, and the whole label
 * is in compare-set.txt and the table. '/' made '_' no longer puts two
 * labels in one folder: the short name stays the label's own.
 */
static void
test_long_labels(void)
{
	char *a = design("longlab", "1ms", ""), *out = out_path("long"),
	    arg[700], x[301], y[301], lx[310], ly[310], sets[4][400],
	    names[4][300], err[128], *sub;
	const char *designs[1] = { a };
	struct cmp_set s;
	struct result r;
	size_t i, n;
	int found = 0;

	memset(x, 'x', 300);
	x[300] = '\0';
	memcpy(y, x, sizeof(y));
	y[299] = 'y';
	snprintf(arg, sizeof(arg), "name=%s,%s", x, y);
	snprintf(lx, sizeof(lx), "name=%s\n", x);
	snprintf(ly, sizeof(ly), "name=%s\n", y);
	CU_ASSERT_EQUAL_FATAL(cmp_set_parse(arg, &s, err, sizeof(err)), 0);
	compare(&r, designs, 1, NULL, 1, &s, 1, 1, out);
	if (r.rc != 0)
		fprintf(stderr, "%s", r.diag);
	CU_ASSERT_EQUAL(r.rc, 0);
	sub = out_path("long/compare.json");
	{
		char *j = test_slurp(sub, NULL);

		/* the whole labels, in the JSON and the table */
		CU_ASSERT_TRUE(j != NULL && strstr(j, x) != NULL &&
		    strstr(j, y) != NULL);
		free(j);
	}
	free(sub);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, y));
	sub = out_path("long/longlab");
	n = set_dirs(sub, sets, names, 4);
	CU_ASSERT_EQUAL(n, 2);
	for (i = 0; i < n; i++) {
		char p[1024];

		CU_ASSERT_TRUE(strlen(names[i]) <= CMP_DIR_MAX);
		CU_ASSERT_EQUAL(strncmp(names[i], "name=xxxx", 9), 0);
		found |= strcmp(sets[i], lx) == 0 ? 1 :
		    strcmp(sets[i], ly) == 0 ? 2 : 0;
		snprintf(p, sizeof(p), "%s/%s/seed-1/compare-run.txt", sub,
		    names[i]);
		CU_ASSERT_TRUE(test_exists(p));
	}
	CU_ASSERT_EQUAL(found, 3);
	CU_ASSERT_TRUE(n < 2 || strcmp(names[0], names[1]) != 0);
	free(sub);
	result_free(&r);
	cmp_set_free(&s);
	/* a/b and a_b: the short one keeps its name, the other hashes */
	CU_ASSERT_EQUAL_FATAL(cmp_set_parse("name=a/b,a_b", &s, err,
	    sizeof(err)), 0);
	compare(&r, designs, 1, NULL, 1, &s, 1, 1, out);
	CU_ASSERT_EQUAL(r.rc, 0);
	sub = out_path("long/longlab/name=a_b/compare-set.txt");
	{
		char *t = test_slurp(sub, NULL);

		CU_ASSERT_TRUE(t != NULL && strcmp(t, "name=a_b\n") == 0);
		free(t);
	}
	free(sub);
	sub = out_path("long/longlab");
	n = set_dirs(sub, sets, names, 4);
	found = 0;
	for (i = 0; i < n; i++)
		if (strcmp(sets[i], "name=a/b\n") == 0 && strncmp(names[i],
		    "name=a_b-", 9) == 0 && strlen(names[i]) == 9 + 16)
			found++;
	CU_ASSERT_EQUAL(found, 1);
	free(sub);
	result_free(&r);
	cmp_set_free(&s);
	free(a);
	free(out);
}

/* A design named as compare's own outputs, or as another design. */
static void
test_design_names(void)
{
	static const char *const bad[] = { "compare.csv.yaml",
		"compare.json.yaml", "plots.yaml", "compare.csv.tmp.yaml" };
	char *out = out_path("names"), text[2048], *p, *q, *dx, *dy;
	const char *designs[2];
	struct result r;
	size_t i;

	snprintf(text, sizeof(text), design_fmt, "n", "n", "n", "n", "n",
	    "1ms", "", "n", "n");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		p = write_tmp(bad[i], text);
		designs[0] = p;
		compare(&r, designs, 1, NULL, 1, NULL, 0, 1, out);
		CU_ASSERT_EQUAL(r.rc, 2);
		CU_ASSERT_PTR_NOT_NULL(strstr(r.diag, "which is compare's own "
		    "output: rename the file"));
		CU_ASSERT_FALSE(test_exists(out));
		result_free(&r);
		free(p);
	}
	dx = out_path("dx");
	dy = out_path("dy");
	CU_ASSERT_EQUAL_FATAL(mkdir(dx, 0755), 0);
	CU_ASSERT_EQUAL_FATAL(mkdir(dy, 0755), 0);
	p = write_tmp("dx/same.yaml", text);
	q = write_tmp("dy/same.yaml", text);
	designs[0] = p;
	designs[1] = q;
	compare(&r, designs, 2, NULL, 1, NULL, 0, 1, out);
	CU_ASSERT_EQUAL(r.rc, 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.diag, "would share the folder"));
	CU_ASSERT_FALSE(test_exists(out));
	result_free(&r);
	free(p);
	free(q);
	free(dx);
	free(dy);
	free(out);
}

int
main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{ "Student t table", test_t_table },
		{ "mean and interval", test_interval },
		{ "--set parsing", test_set_parse },
		{ "a run's figures on disk", test_fig_file },
		{ "two designs, exact RTTs", test_two_designs_exact },
		{ "random vs deterministic interval",
		    test_interval_random_vs_deterministic },
		{ "--set sweep", test_sweep },
		{ "--jobs 1 = --jobs 2, reuse", test_jobs_and_reuse },
		{ "failover labs 03a/03b", test_failover_labs },
		{ "goodput and transactions", test_stream_figures },
		{ "gated links are no fault", test_gated_links_are_no_fault },
		{ "failover exact, with and without a trace",
		    test_failover_exact },
		{ "bad input", test_bad_input },
		{ "--set seed and repeated values", test_set_refused },
		{ "the sweep's cap", test_sweep_cap },
		{ "long --set labels", test_long_labels },
		{ "design names", test_design_names },
		{ NULL, NULL }
	};

	scenario_models_init();
	if ((tmpdir = test_tmpdir("/tmp/xcsim-test-compare-XXXXXX")) == NULL)
		return 2;
	return test_main(argc, argv, "compare", cases);
}
