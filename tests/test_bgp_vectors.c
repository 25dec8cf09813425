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
		memcpy(v[n].name, e->d_name, l + 1);
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

static const struct vec *
find(const struct vec *v, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].name, name) == 0)
			return &v[i];
	CU_FAIL_FATAL("capture missing");
	return NULL;
}

static void
decode_vec(const struct vec *v, struct bgp_msg *m)
{
	struct bgp_result r;

	CU_ASSERT_EQUAL_FATAL(bgp_decode(v->buf, v->len, is_as4(v), m, &r),
	    BGP_ACT_NONE);
}

/* What bird.conf and capture.sh told the daemons to send. */
static void
test_contents(void)
{
	struct vec v[128];
	size_t n = vec_load(v, 128);
	struct bgp_attrs_var var;
	struct bgp_attrs *merged;
	struct bgp_msg m;
	char sum[512];

	/* BIRD, AS 4200000001: AS_TRANS in my AS, the real one in the capability */
	decode_vec(find(v, n, "01-bird4-open.bin"), &m);
	CU_ASSERT_EQUAL(m.u.open.my_as, BGP_AS_TRANS);
	CU_ASSERT_EQUAL(bgp_open_asn(&m.u.open), 4200000001u);
	CU_ASSERT_EQUAL(m.u.open.hold_s, 90);
	CU_ASSERT(m.u.open.caps.gr && m.u.open.caps.enhanced_rr);
	CU_ASSERT_EQUAL(m.u.open.caps.gr_time_s, 120);
	/* with "enable as4 off": no capability, so the ASN is AS_TRANS */
	decode_vec(find(v, n, "11-bird2-open.bin"), &m);
	CU_ASSERT_FALSE(m.u.open.caps.as4);
	CU_ASSERT_EQUAL(bgp_open_asn(&m.u.open), BGP_AS_TRANS);
	/* gobgp sends its capabilities out of code order */
	decode_vec(find(v, n, "00-gobgp4-open.bin"), &m);
	CU_ASSERT_EQUAL(bgp_open_asn(&m.u.open), 65003);
	CU_ASSERT_EQUAL(m.u.open.caps.order[0], BGP_CAP_ROUTE_REFRESH);

	/* 10.1.0.0/16 with communities and a large community */
	decode_vec(find(v, n, "06-bird4-update.bin"), &m);
	CU_ASSERT_STRING_EQUAL(bgp_msg_summary(&m, sum, sizeof(sum)),
	    "UPDATE 0 withdrawn, 1 NLRI, AS_PATH 4200000001, "
	    "NEXT_HOP 127.0.0.2, ORIGIN IGP, COMMUNITIES 65000:100 "
	    "no-export, LARGE_COMMUNITIES 4200000001:1:2");
	CU_ASSERT_EQUAL(m.u.update.nlri[0].addr, 0x0a010000u);
	CU_ASSERT_EQUAL(m.u.update.nlri[0].len, 16);
	bgp_msg_free(&m);
	/* the same route to a 2-octet peer: AS_TRANS + AS4_PATH, merged back */
	decode_vec(find(v, n, "15-bird2-update.bin"), &m);
	bgp_attrs_var(m.u.update.attrs, &var);
	CU_ASSERT_EQUAL(var.path[1], BGP_AS_TRANS);
	CU_ASSERT_EQUAL(var.as4_path[1], 4200000001u);
	merged = bgp_attrs_from_as2(m.u.update.attrs);
	bgp_attrs_var(merged, &var);
	CU_ASSERT_EQUAL(var.path_len, 2);
	CU_ASSERT_EQUAL(var.path[1], 4200000001u);
	CU_ASSERT_EQUAL(var.as4_path_len, 0);
	free(merged);
	bgp_msg_free(&m);
	/* gobgp: MED, no-export, a large community */
	decode_vec(find(v, n, "19-gobgp4-update.bin"), &m);
	CU_ASSERT_EQUAL(m.u.update.attrs->med, 20);
	CU_ASSERT_EQUAL(m.u.update.attrs->n_lcomm, 1);
	bgp_msg_free(&m);
	/* End-of-RIB (RFC 4724 2): an empty UPDATE */
	decode_vec(find(v, n, "09-bird4-update.bin"), &m);
	CU_ASSERT_EQUAL(find(v, n, "09-bird4-update.bin")->len,
	    BGP_UPDATE_MIN_LEN);
	CU_ASSERT(m.u.update.attrs == NULL && m.u.update.n_nlri == 0);
	CU_ASSERT(bgp_update_is_eor(&m.u.update));
	bgp_msg_free(&m);
	/* the withdrawal of 10.9.0.0/24 */
	decode_vec(find(v, n, "30-gobgp4-update.bin"), &m);
	CU_ASSERT_EQUAL(m.u.update.n_withdrawn, 1);
	CU_ASSERT_EQUAL(m.u.update.withdrawn[0].addr, 0x0a090000u);
	CU_ASSERT_FALSE(bgp_update_is_eor(&m.u.update));
	bgp_msg_free(&m);
	/* RFC 8203 shutdown communications from both daemons */
	decode_vec(find(v, n, "32-bird2-notification.bin"), &m);
	CU_ASSERT(m.u.notification.has_shutdown_msg);
	CU_ASSERT_STRING_EQUAL(m.u.notification.shutdown_msg,
	    "bird shutting down peer2 for maintenance");
	decode_vec(find(v, n, "33-gobgp4-notification.bin"), &m);
	CU_ASSERT_STRING_EQUAL(m.u.notification.shutdown_msg,
	    "gobgp maintenance: back at 06:00");
	vec_free(v, n);
}

static const struct test_case cases[] = {
	{ "what the daemons were told to send", test_contents },
	{ "every capture decodes and re-encodes byte for byte",
	    test_all_round_trip },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "bgp_vectors", cases);
}
