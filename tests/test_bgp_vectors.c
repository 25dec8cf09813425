/*
 * test_bgp_vectors.c - the BGP codec against messages real daemons sent:
 * tests/vectors/bgp/NN-<sender>-<type>.bin, captured by capture.sh (by
 * hand) from bird2 and gobgpd peering on loopback, one 4-octet-AS session
 * and one where BIRD has the 4-octet AS capability off. Every file must
 * frame as one message, decode with no error in its session's AS mode,
 * and encode back to the same bytes; and the contents are checked where
 * we know what the daemons were told to send (bird.conf, capture.sh).
 */
#include <dirent.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bgp_msg.h"
#include "testutil.h"

#define VEC_DIR XCSIM_SOURCE_DIR "/tests/vectors/bgp"

struct vec {
	char name[64];
	uint8_t *buf;
	size_t len;
};

static int
vec_cmp(const void *a, const void *b)
{
	return strcmp(((const struct vec *)a)->name,
	    ((const struct vec *)b)->name);
}

static size_t
vec_load(struct vec *v, size_t cap)
{
	DIR *d = opendir(VEC_DIR);
	struct dirent *e;
	size_t n = 0;
	char path[512];

	CU_ASSERT_FATAL(d != NULL);
	while ((e = readdir(d)) != NULL && n < cap) {
		size_t l = strlen(e->d_name);

		if (l < 5 || strcmp(e->d_name + l - 4, ".bin") != 0 ||
		    l >= sizeof(v[n].name))
			continue;
		snprintf(v[n].name, sizeof(v[n].name), "%s", e->d_name);
		snprintf(path, sizeof(path), "%s/%s", VEC_DIR, e->d_name);
		v[n].buf = (uint8_t *)test_slurp(path, &v[n].len);
		CU_ASSERT_FATAL(v[n].buf != NULL);
		n++;
	}
	closedir(d);
	qsort(v, n, sizeof(*v), vec_cmp);
	return n;
}

static void
vec_free(struct vec *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].buf);
}

static bool
is_as4(const struct vec *v)
{
	return strstr(v->name, "bird4-") != NULL ||
	    strstr(v->name, "gobgp4-") != NULL;
}

/* Every capture: framed whole, decoded clean, re-encoded byte for byte. */
static void
test_all_round_trip(void)
{
	struct vec v[128];
	size_t n = vec_load(v, 128), types[BGP_TYPE_MAX] = { 0 };
	uint8_t out[BGP_MAX_LEN];

	CU_ASSERT(n >= 30);
	for (size_t i = 0; i < n; i++) {
		struct bgp_notify err;
		struct bgp_result r;
		struct bgp_msg m;
		size_t len, olen;
		char sum[512];

		CU_ASSERT_EQUAL(bgp_frame(v[i].buf, v[i].len, &len, &err),
		    BGP_FRAME_OK);
		CU_ASSERT_EQUAL(len, v[i].len);
		CU_ASSERT_EQUAL(bgp_decode(v[i].buf, v[i].len, is_as4(&v[i]),
		    &m, &r), BGP_ACT_NONE);
		CU_ASSERT_EQUAL(r.n_attr_err_all, 0);
		types[m.type]++;
		olen = bgp_encode(&m, is_as4(&v[i]), out);
		if (olen != v[i].len || memcmp(out, v[i].buf, olen) != 0) {
			printf("\n%s: re-encoded %zu bytes differ\n", v[i].name,
			    olen);
			CU_FAIL("re-encoding differs");
		}
		if (getenv("BGP_VEC_VERBOSE"))
			printf("\n%s: %s", v[i].name,
			    bgp_msg_summary(&m, sum, sizeof(sum)));
		bgp_msg_free(&m);
	}
	CU_ASSERT(types[BGP_OPEN] >= 4);
	CU_ASSERT(types[BGP_UPDATE] >= 10);
	CU_ASSERT(types[BGP_KEEPALIVE] >= 2);
	CU_ASSERT(types[BGP_NOTIFICATION] >= 2);
	CU_ASSERT(types[BGP_ROUTE_REFRESH] >= 1);
	vec_free(v, n);
}

static const struct test_case cases[] = {
	{ "every capture decodes and re-encodes byte for byte",
	    test_all_round_trip },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "bgp_vectors", cases);
}
