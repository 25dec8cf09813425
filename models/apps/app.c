/*
 * app.c - what every application shares: start scheduling, teardown, the
 * latency summaries used in metrics.json, and sizes drawn from a
 * distribution.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "apps.h"
#include "net.h"
#include "rng.h"
#include "sim.h"

const char *const probe_result_name[] = {
	[PROBE_PENDING] = "pending",
	[PROBE_REPLY] = "reply",
	[PROBE_TIME_EXCEEDED] = "time-exceeded",
	[PROBE_UNREACHABLE] = "unreachable",
	[PROBE_TIMEOUT] = "timeout",
	[PROBE_SEND_FAILED] = "send-failed",
};

static void
app_start_fire(struct sim *sim, void *arg)
{
	struct app *a = arg;

	(void)sim;
	a->start_ev = (sim_event_id){ 0, 0 };
	a->ops->start(a);
}

void
app_start(struct app *a)
{
	struct sim *sim = net_sim(node_net(a->node));
	sim_time at = a->start > sim_now(sim) ? a->start : sim_now(sim);

	a->start_ev = sim_schedule_at(sim, at, app_start_fire, a);
}

void
app_free(struct app *a)
{
	if (a == NULL)
		return;
	sim_cancel(net_sim(node_net(a->node)), a->start_ev);
	free(a->name);
	a->ops->destroy(a);
}

sim_time
app_percentile(const sim_time *sorted, size_t n, unsigned pct)
{
	size_t rank;

	if (n == 0)
		return 0;
	/* nearest rank: ceil(pct/100 * n), at least 1 */
	rank = ((size_t)pct * n + 99) / 100;
	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return sorted[rank - 1];
}

static int
cmp_time(const void *a, const void *b)
{
	sim_time x = *(const sim_time *)a, y = *(const sim_time *)b;

	return x < y ? -1 : x > y;
}

void
app_write_latency_json(FILE *out, sim_time *samples, size_t n)
{
	__int128 sum = 0;
	size_t i;

	if (n == 0) {
		fputs("null", out);
		return;
	}
	qsort(samples, n, sizeof(*samples), cmp_time);
	for (i = 0; i < n; i++)
		sum += samples[i];
	fprintf(out, "{\"samples\":%zu,\"min\":%lld,\"p50\":%lld,\"p90\":%lld,"
	    "\"p99\":%lld,\"max\":%lld,\"mean\":%lld}", n,
	    (long long)samples[0], (long long)app_percentile(samples, n, 50),
	    (long long)app_percentile(samples, n, 90),
	    (long long)app_percentile(samples, n, 99),
	    (long long)samples[n - 1], (long long)(sum / (__int128)n));
}

#define HIST_SUB 64u	/* buckets per power of two */

static size_t
hist_index(uint64_t v)
{
	int msb, shift;

	if (v < HIST_SUB)
		return (size_t)v;
	msb = 63 - __builtin_clzll(v);
	shift = msb - 6;	/* v >> shift is in [64, 128) */
	return (size_t)(shift + 1) * HIST_SUB + (size_t)((v >> shift) -
	    HIST_SUB);
}

/* The lowest value in bucket i, and its width. */
static uint64_t
hist_low(size_t i, uint64_t *width)
{
	size_t shift;

	if (i < HIST_SUB) {
		*width = 1;
		return i;
	}
	shift = i / HIST_SUB - 1;
	*width = (uint64_t)1 << shift;
	return (uint64_t)(i % HIST_SUB + HIST_SUB) << shift;
}

void
lat_hist_add(struct lat_hist *h, sim_time v)
{
	size_t i;

	if (v < 0)
		v = 0;
	i = hist_index((uint64_t)v);
	if (i >= h->n_buckets) {
		size_t n = i + 1 + HIST_SUB;

		h->buckets = xrealloc(h->buckets, n * sizeof(*h->buckets));
		memset(h->buckets + h->n_buckets, 0,
		    (n - h->n_buckets) * sizeof(*h->buckets));
		h->n_buckets = n;
	}
	h->buckets[i]++;
	if (h->count == 0 || v < h->min)
		h->min = v;
	if (h->count == 0 || v > h->max)
		h->max = v;
	h->count++;
	h->sum += v;
}

void
lat_hist_free(struct lat_hist *h)
{
	free(h->buckets);
	memset(h, 0, sizeof(*h));
}

sim_time
lat_hist_permille(const struct lat_hist *h, unsigned pm)
{
	uint64_t rank, seen = 0;
	size_t i;

	if (h->count == 0)
		return 0;
	rank = ((uint64_t)pm * h->count + 999) / 1000;
	if (rank < 1)
		rank = 1;
	for (i = 0; i < h->n_buckets; i++) {
		seen += h->buckets[i];
		if (seen >= rank)
			break;
	}
	return lat_hist_bucket_value(h, i);
}

sim_time
lat_hist_percentile(const struct lat_hist *h, unsigned pct)
{
	return lat_hist_permille(h, pct * 10);
}

sim_time
lat_hist_bucket_value(const struct lat_hist *h, size_t i)
{
	uint64_t width, low;

	low = hist_low(i, &width);
	low += width / 2;
	if ((sim_time)low < h->min)
		return h->min;
	if ((sim_time)low > h->max)
		return h->max;
	return (sim_time)low;
}

void
lat_hist_write_json(const struct lat_hist *h, FILE *out)
{
	if (h->count == 0) {
		fputs("null", out);
		return;
	}
	fprintf(out, "{\"samples\":%llu,\"min\":%lld,\"p50\":%lld,"
	    "\"p90\":%lld,\"p99\":%lld,\"max\":%lld,\"mean\":%lld}",
	    (unsigned long long)h->count, (long long)h->min,
	    (long long)lat_hist_percentile(h, 50),
	    (long long)lat_hist_percentile(h, 90),
	    (long long)lat_hist_percentile(h, 99), (long long)h->max,
	    (long long)(h->sum / (__int128)h->count));
}

void
lat_hist_write_summary(const struct lat_hist *h, FILE *out)
{
	if (h->count == 0) {
		fputs("null", out);
		return;
	}
	fprintf(out, "{\"count\":%llu,\"min\":%lld,\"p50\":%lld,"
	    "\"p90\":%lld,\"p99\":%lld,\"p999\":%lld,\"max\":%lld,"
	    "\"mean\":%lld}", (unsigned long long)h->count, (long long)h->min,
	    (long long)lat_hist_permille(h, 500),
	    (long long)lat_hist_permille(h, 900),
	    (long long)lat_hist_permille(h, 990),
	    (long long)lat_hist_permille(h, 999), (long long)h->max,
	    (long long)(h->sum / (__int128)h->count));
}

/* The standard normal quantile of 0.99. */
#define Z99 2.3263478740408408

uint64_t
size_dist_draw(const struct size_dist *d, struct rng *r, uint64_t lo)
{
	double v;

	switch (d->kind) {
	case SIZE_EXPONENTIAL:
		v = -log(rng_unit(r)) * (double)d->size;
		break;
	case SIZE_UNIFORM:
		v = (double)(d->min + rng_below(r, d->max - d->min + 1));
		break;
	case SIZE_LOGNORMAL: {
		/* Box-Muller; sigma so that the 99th percentile is p99 */
		double sigma = log((double)d->p99 / (double)d->size) / Z99;
		double z = sqrt(-2.0 * log(rng_unit(r))) *
		    cos(2.0 * M_PI * rng_unit(r));

		v = exp(log((double)d->size) + sigma * z);
		break;
	}
	case SIZE_FIXED:
	default:
		v = (double)d->size;
		break;
	}
	if (d->max != 0 && v > (double)d->max)
		v = (double)d->max;
	if (v > 1e15)
		v = 1e15;
	v = floor(v + 0.5);
	return v < (double)lo ? lo : (uint64_t)v;
}
