/*
 * cmp_stats.c - the statistics over seeds and one run's figures on disk
 * (compare-run.txt).
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmp_int.h"
#include "util.h"

char *
cmp_printf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	s = xmalloc((size_t)(n < 0 ? 0 : n) + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)(n < 0 ? 0 : n) + 1, fmt, ap);
	va_end(ap);
	return s;
}

const char *const cmp_fig_key[CF_MAX] = {
	"rtt_p50_ns", "rtt_p99_ns", "txn_p50_ns", "txn_p99_ns",
	"txn_p999_ns", "goodput_bps", "loss_pct", "failover_ns",
	"converge_ns",
};

const char *const cmp_fig_title[CF_MAX] = {
	"RTT p50 ms", "RTT p99 ms", "txn p50 ms", "txn p99 ms",
	"txn p99.9 ms", "goodput Mbit/s", "loss %", "failover ms",
	"converge ms",
};

/*
 * Student's t, two-sided 95% (the 0.975 quantile), for 1..30 degrees of
 * freedom; beyond, linear in 1/df between 30, 40, 60, 120 and infinity
 * (the standard tables' rows, e.g. NIST/SEMATECH e-Handbook 1.3.6.7.2).
 */
static const double t975_small[30] = {
	12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060,
	2.2622, 2.2281, 2.2010, 2.1788, 2.1604, 2.1448, 2.1314, 2.1199,
	2.1098, 2.1009, 2.0930, 2.0860, 2.0796, 2.0739, 2.0687, 2.0639,
	2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423,
};

static const struct {
	double df, t;
} t975_big[] = { { 30, 2.0423 }, { 40, 2.0211 }, { 60, 2.0003 },
	{ 120, 1.9799 }, { 1e300, 1.9600 } };

double
cmp_t975(unsigned df)
{
	size_t i;

	if (df == 0)
		return 0;
	if (df <= 30)
		return t975_small[df - 1];
	for (i = 1; i < sizeof(t975_big) / sizeof(t975_big[0]); i++) {
		double a = 1 / t975_big[i - 1].df, b = 1 / t975_big[i].df,
		    x = 1 / (double)df;

		if ((double)df <= t975_big[i].df)
			return t975_big[i - 1].t + (t975_big[i].t -
			    t975_big[i - 1].t) * (a - x) / (a - b);
	}
	return 1.96;
}

void
cmp_stat_of(const double *x, size_t n, struct cmp_stat *st)
{
	double sum = 0, ss = 0;
	size_t i;
	bool same = true;

	st->n = n;
	st->mean = 0;
	st->hw = -1;
	if (n == 0)
		return;
	for (i = 1; i < n; i++)
		if (x[i] != x[0])
			same = false;
	/* A deterministic figure: its value and a zero-width interval. */
	if (same) {
		st->mean = x[0];
		st->hw = n > 1 ? 0 : -1;
		return;
	}
	/* Deviations from the first sample: exact for equal ones. */
	for (i = 0; i < n; i++)
		sum += x[i] - x[0];
	st->mean = x[0] + sum / (double)n;
	for (i = 0; i < n; i++)
		ss += (x[i] - st->mean) * (x[i] - st->mean);
	st->hw = cmp_t975((unsigned)(n - 1)) * sqrt(ss / (double)(n - 1)) /
	    sqrt((double)n);
}

#define FIG_MAGIC "xcsim-compare-run 1"

void
cmp_fig_write(const struct cmp_fig *f, uint64_t hash, uint64_t seed,
    FILE *out)
{
	int k;

	fprintf(out, FIG_MAGIC "\nhash %016llx\nseed %llu\nfault_ns %lld\n"
	    "failed %u\n", (unsigned long long)hash, (unsigned long long)seed,
	    (long long)f->fault_ns, f->failed);
	/* %.17g: read back to the same double, so a reused run is equal */
	for (k = 0; k < CF_MAX; k++)
		if (f->has[k])
			fprintf(out, "%s %.17g\n", cmp_fig_key[k], f->v[k]);
}

int
cmp_fig_read(FILE *in, uint64_t hash, struct cmp_fig *f)
{
	char line[256], key[64];
	unsigned long long h = 0;
	bool got_hash = false;
	int k;

	memset(f, 0, sizeof(*f));
	f->fault_ns = -1;
	if (fgets(line, sizeof(line), in) == NULL ||
	    strcmp(line, FIG_MAGIC "\n") != 0)
		return -1;
	while (fgets(line, sizeof(line), in) != NULL) {
		char *val, *end;
		double v;

		if (sscanf(line, "%63s", key) != 1 ||
		    (val = strchr(line, ' ')) == NULL)
			return -1;
		val++;
		if (strcmp(key, "hash") == 0) {
			h = strtoull(val, &end, 16);
			got_hash = true;
			continue;
		}
		v = strtod(val, &end);
		if (end == val || (*end != '\n' && *end != '\0'))
			return -1;
		if (strcmp(key, "fault_ns") == 0) {
			f->fault_ns = (int64_t)v;
			continue;
		}
		if (strcmp(key, "failed") == 0) {
			f->failed = (unsigned)v;
			continue;
		}
		if (strcmp(key, "seed") == 0)
			continue;
		for (k = 0; k < CF_MAX; k++)
			if (strcmp(key, cmp_fig_key[k]) == 0)
				break;
		if (k == CF_MAX)
			return -1;
		f->has[k] = true;
		f->v[k] = v;
	}
	return got_hash && h == hash ? 0 : -1;
}
