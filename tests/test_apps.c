/* test_apps.c - the applications' statistics: percentiles and histograms. */
#include <stdlib.h>

#include "apps.h"
#include "rng.h"
#include "testutil.h"

static void
test_nearest_rank(void)
{
	sim_time v[] = { 10, 20, 30, 40, 50, 60, 70, 80, 90, 100 };

	CU_ASSERT_EQUAL(app_percentile(v, 10, 0), 10);
	CU_ASSERT_EQUAL(app_percentile(v, 10, 50), 50);
	CU_ASSERT_EQUAL(app_percentile(v, 10, 90), 90);
	CU_ASSERT_EQUAL(app_percentile(v, 10, 91), 100);
	CU_ASSERT_EQUAL(app_percentile(v, 10, 100), 100);
	CU_ASSERT_EQUAL(app_percentile(v, 1, 99), 10);
	CU_ASSERT_EQUAL(app_percentile(v, 0, 50), 0);
}

static int
cmp(const void *a, const void *b)
{
	sim_time x = *(const sim_time *)a, y = *(const sim_time *)b;

	return x < y ? -1 : x > y;
}

static void
test_histogram_against_exact(void)
{
	static sim_time v[200000];
	static const unsigned pcts[] = { 1, 10, 50, 90, 99, 100 };
	struct lat_hist h = { 0 };
	struct rng r;
	__int128 sum = 0;
	size_t i, k;

	rng_init(&r, 3, "hist");
	for (i = 0; i < 200000; i++) {
		/* spread over 9 orders of magnitude, plus exact small values */
		v[i] = i % 10 == 0 ? (sim_time)(i % 64) :
		    (sim_time)(rng_unit(&r) * rng_unit(&r) * 1e9);
		lat_hist_add(&h, v[i]);
		sum += v[i];
	}
	qsort(v, 200000, sizeof(v[0]), cmp);
	CU_ASSERT_EQUAL(h.count, 200000);
	CU_ASSERT_EQUAL(h.min, v[0]);
	CU_ASSERT_EQUAL(h.max, v[199999]);
	CU_ASSERT_TRUE(h.sum == sum);
	for (k = 0; k < sizeof(pcts) / sizeof(pcts[0]); k++) {
		sim_time exact = app_percentile(v, 200000, pcts[k]);
		sim_time approx = lat_hist_percentile(&h, pcts[k]);
		sim_time diff = approx > exact ? approx - exact : exact - approx;

		/* within one bucket: 1/64 relative, or exact below 64 ns */
		CU_ASSERT_TRUE(diff * 64 <= exact || (exact < 64 && diff == 0));
	}
	CU_ASSERT_TRUE(h.n_buckets < 2500);	/* bounded, not per sample */
	lat_hist_free(&h);
	CU_ASSERT_EQUAL(lat_hist_percentile(&h, 50), 0);
}

static const struct test_case cases[] = {
	{ "nearest-rank percentiles", test_nearest_rank },
	{ "histogram percentiles within one bucket of exact", test_histogram_against_exact },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "apps", cases);
}
