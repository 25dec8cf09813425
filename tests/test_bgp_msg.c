/*
 * test_bgp_msg.c - the BGP codec against bytes written by hand from the
 * RFCs (each field commented), round trips of every message type and
 * attribute, the framer at every split point of a stream, the attribute
 * set's hash and equality, summaries and NOTIFICATION names.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bgp_testutil.h"
#include "testutil.h"

#define MARKER "ffffffffffffffffffffffffffffffff"

/* decode, check clean, encode, check the same bytes */
static void
round_trip(const uint8_t *b, size_t n, bool as4, struct bgp_msg *m)
{
	uint8_t out[BGP_MAX_LEN];
	struct bgp_result r;

	CU_ASSERT_EQUAL_FATAL(decode_exact(b, n, as4, m, &r), BGP_ACT_NONE);
	CU_ASSERT_EQUAL(r.n_attr_err_all, 0);
	CU_ASSERT_EQUAL(bgp_encode(m, as4, out), n);
	CU_ASSERT(memcmp(out, b, n) == 0);
}

/* RFC 4271 4.4 */
static void
test_keepalive(void)
{
	uint8_t want[64], out[BGP_MAX_LEN];
	struct bgp_msg m;
	size_t n = hex(MARKER
	    "0013"	/* length 19 */
	    "04",	/* KEEPALIVE */
	    want, sizeof(want));

	CU_ASSERT_EQUAL(bgp_encode_keepalive(out), 19);
	CU_ASSERT(memcmp(out, want, n) == 0);
	round_trip(want, n, true, &m);
	CU_ASSERT_EQUAL(m.type, BGP_KEEPALIVE);
}

/* RFC 4271 4.2, RFC 5492, 4760, 2918, 6793, 7313 */
static void
test_open(void)
{
	uint8_t want[128], out[BGP_MAX_LEN];
	struct bgp_msg m, d;
	struct bgp_result r;
	size_t n = hex(MARKER "002f" "01"	/* length 47, OPEN */
	    "04"		/* version 4 */
	    "fde9"		/* my AS 65001 */
	    "00b4"		/* hold time 180 */
	    "0a000001"		/* BGP identifier 10.0.0.1 */
	    "12"		/* optional parameters length 18 */
	    "02 10"		/* parameter 2 (capabilities), 16 bytes */
	    "01 04 0001 00 01"	/* MP: AFI 1 (IPv4), reserved, SAFI 1 */
	    "02 00"		/* route refresh */
	    "41 04 0000fde9"	/* 4-octet AS 65001 */
	    "46 00",		/* enhanced route refresh */
	    want, sizeof(want));

	memset(&m, 0, sizeof(m));
	m.type = BGP_OPEN;
	bgp_open_init(&m.u.open, 65001, 180, 0x0a000001);
	CU_ASSERT_EQUAL(bgp_encode(&m, true, out), n);
	CU_ASSERT(memcmp(out, want, n) == 0);
	CU_ASSERT_EQUAL(decode_exact(want, n, true, &d, &r), BGP_ACT_NONE);
	CU_ASSERT_EQUAL(bgp_open_asn(&d.u.open), 65001);
	CU_ASSERT(d.u.open.caps.route_refresh && d.u.open.caps.enhanced_rr);
	CU_ASSERT_EQUAL(d.u.open.caps.n_mp, 1);
	CU_ASSERT_EQUAL(d.u.open.hold_s, 180);
}

/* A 4-octet ASN: AS_TRANS in my AS (RFC 6793 4.1), plus graceful restart. */
static void
test_open_as4_gr(void)
{
	uint8_t want[128];
	struct bgp_msg m;
	size_t n = hex(MARKER "0039" "01"	/* length 57 */
	    "04" "5ba0"		/* version, my AS 23456 (AS_TRANS) */
	    "005a" "c0000201"	/* hold 90, id 192.0.2.1 */
	    "1c" "02 1a"	/* 28 bytes of parameters: one, 26 bytes */
	    "01 04 0001 00 01"	/* MP IPv4 unicast */
	    "40 06 8078 0001 01 80"	/* GR: restarted, 120 s; IPv4 uni, F */
	    "41 04 fa56ea01"	/* 4-octet AS 4200000001 */
	    "49 04 02766d00",	/* FQDN (73): unknown here, kept */
	    want, sizeof(want));

	round_trip(want, n, true, &m);
	CU_ASSERT_EQUAL(m.u.open.my_as, BGP_AS_TRANS);
	CU_ASSERT_EQUAL(bgp_open_asn(&m.u.open), 4200000001u);
	CU_ASSERT(m.u.open.caps.gr);
	CU_ASSERT_EQUAL(m.u.open.caps.gr_flags, 8);
	CU_ASSERT_EQUAL(m.u.open.caps.gr_time_s, 120);
	CU_ASSERT_EQUAL(m.u.open.caps.n_gr, 1);
	CU_ASSERT_EQUAL(m.u.open.caps.gr_af[0].flags, 0x80);
	CU_ASSERT_EQUAL(m.u.open.caps.unknown_len, 6);
	CU_ASSERT_FALSE(m.u.open.caps.route_refresh);
}

/* RFC 9072: 255, 255, then 2-octet lengths; and one capability per parameter. */
static void
test_open_ext_params(void)
{
	uint8_t want[128];
	struct bgp_msg m;
	size_t n = hex(MARKER "0029" "01"	/* length 41 */
	    "04" "fde9" "00b4" "0a000001"
	    "ff"		/* non-extended length 255 ... */
	    "ff"		/* ... and type 255: extended */
	    "0009"		/* extended parameters length 9 */
	    "02 0006"		/* capabilities, 2-octet length 6 */
	    "01 04 0001 00 01",
	    want, sizeof(want));

	round_trip(want, n, true, &m);
	CU_ASSERT(m.u.open.caps.ext_params);
	CU_ASSERT_EQUAL(m.u.open.caps.n_mp, 1);

	n = hex(MARKER "0029" "01" "04" "fde9" "00b4" "0a000001"
	    "0c"		/* 12 bytes of parameters */
	    "02 06 01 04 0001 00 01"	/* one capability per parameter */
	    "02 02 02 00",	/* (as gobgp and Cisco send them) */
	    want, sizeof(want));
	round_trip(want, n, true, &m);
	CU_ASSERT(m.u.open.caps.one_per_param);
	CU_ASSERT(m.u.open.caps.route_refresh);
}

/* The attributes of RFC 4271 5, 1997, 8092, 6793 in one UPDATE. */
static const char update4[] = MARKER "006f" "02"	/* length 111 */
    "0002" "08 0a"		/* withdrawn: 2 bytes, 10.0.0.0/8 */
    "004e"			/* 78 bytes of attributes */
    "40 01 01 00"		/* ORIGIN (well-known) IGP */
    "40 02 0a 02 02 0000fde9 0000fdea"	/* AS_PATH SEQ 65001 65002 */
    "40 03 04 c0000201"		/* NEXT_HOP 192.0.2.1 */
    "80 04 04 00000064"		/* MED 100 (optional) */
    "40 05 04 000000c8"		/* LOCAL_PREF 200 */
    "40 06 00"			/* ATOMIC_AGGREGATE */
    "c0 07 08 0000fde9 c0000209"	/* AGGREGATOR 65001 192.0.2.9 */
    "c0 08 08 fde90001 ffffff01"	/* COMMUNITIES 65001:1 NO_EXPORT */
    "c0 20 0c 0000fde9 00000002 00000003"	/* LARGE 65001:2:3 */
    "18 c0a801"			/* NLRI 192.168.1.0/24 */
    "11 0a0180";		/* 10.1.128.0/17 */

/* The same in a 2-octet session: ASNs and AGGREGATOR in 2 octets. */
static const char update2[] = MARKER "0069" "02"	/* length 105 */
    "0002" "08 0a" "0048"	/* 72 bytes of attributes */
    "40 01 01 00"
    "40 02 06 02 02 fde9 fdea"	/* AS_PATH SEQ 65001 65002, 2 octets */
    "40 03 04 c0000201" "80 04 04 00000064" "40 05 04 000000c8"
    "40 06 00"
    "c0 07 06 fde9 c0000209"	/* AGGREGATOR, 6 octets */
    "c0 08 08 fde90001 ffffff01"
    "c0 20 0c 0000fde9 00000002 00000003"
    "18 c0a801" "11 0a0180";

static void
check_update(const struct bgp_msg *m)
{
	const struct bgp_update *u = &m->u.update;
	const struct bgp_attrs *a = u->attrs;
	struct bgp_attrs_var v;

	CU_ASSERT_EQUAL_FATAL(m->type, BGP_UPDATE);
	CU_ASSERT_EQUAL(u->n_withdrawn, 1);
	CU_ASSERT_EQUAL(u->withdrawn[0].addr, 0x0a000000u);
	CU_ASSERT_EQUAL(u->withdrawn[0].len, 8);
	CU_ASSERT_EQUAL_FATAL(u->n_nlri, 2);
	CU_ASSERT_EQUAL(u->nlri[0].addr, 0xc0a80100u);
	CU_ASSERT_EQUAL(u->nlri[1].addr, 0x0a018000u);
	CU_ASSERT_EQUAL(u->nlri[1].len, 17);
	CU_ASSERT_FATAL(a != NULL);
	bgp_attrs_var(a, &v);
	CU_ASSERT_EQUAL(a->origin, BGP_ORIGIN_IGP);
	CU_ASSERT_EQUAL(v.path_len, 3);
	CU_ASSERT_EQUAL(v.path[0], BGP_SEG(BGP_SEG_SEQUENCE, 2));
	CU_ASSERT_EQUAL(v.path[2], 65002);
	CU_ASSERT_EQUAL(a->next_hop, 0xc0000201u);
	CU_ASSERT_EQUAL(a->med, 100);
	CU_ASSERT_EQUAL(a->local_pref, 200);
	CU_ASSERT(a->has & BGP_HAS(BGP_ATTR_ATOMIC_AGGR));
	CU_ASSERT_EQUAL(a->aggr_as, 65001);
	CU_ASSERT_EQUAL(a->aggr_id, 0xc0000209u);
	CU_ASSERT_EQUAL(v.n_comm, 2);
	CU_ASSERT_EQUAL(v.comm[1], BGP_COMM_NO_EXPORT);
	CU_ASSERT_EQUAL(v.n_lcomm, 1);
	CU_ASSERT_EQUAL(v.lcomm[2], 3);
}

static void
test_update_all_attrs(void)
{
	uint8_t b4[256], b2[256], out[BGP_MAX_LEN];
	size_t n4 = hex(update4, b4, sizeof(b4)), n2 = hex(update2, b2,
	    sizeof(b2));
	struct bgp_msg m4, m2;

	round_trip(b4, n4, true, &m4);
	check_update(&m4);
	round_trip(b2, n2, false, &m2);
	check_update(&m2);
	/* one attribute set, whatever the session's AS size */
	CU_ASSERT(bgp_attrs_equal(m4.u.update.attrs, m2.u.update.attrs));
	CU_ASSERT_EQUAL(bgp_attrs_hash(m4.u.update.attrs),
	    bgp_attrs_hash(m2.u.update.attrs));
	/* and each encodes the other's form */
	CU_ASSERT_EQUAL(bgp_encode(&m4, false, out), n2);
	CU_ASSERT(memcmp(out, b2, n2) == 0);
	bgp_msg_free(&m4);
	bgp_msg_free(&m2);
}

/* RFC 4760 3 and 4 for IPv4 unicast; an empty AS_PATH (iBGP). */
static void
test_update_mp(void)
{
	uint8_t b[128];
	struct bgp_msg m;
	struct bgp_result res;
	size_t n = hex(MARKER "0036" "02"	/* length 54 */
	    "0000" "001f"	/* no withdrawn; 31 bytes of attributes */
	    "40 01 01 00"	/* ORIGIN IGP */
	    "40 02 00"		/* AS_PATH empty */
	    "80 0e 0c 0001 01"	/* MP_REACH, 12 bytes: AFI 1 SAFI 1 */
	    "04 0a000001 00"	/* next hop 10.0.0.1, reserved */
	    "10 0a02"		/* NLRI 10.2.0.0/16 */
	    "80 0f 06 0001 01"	/* MP_UNREACH: AFI 1 SAFI 1 */
	    "10 0a03",		/* withdrawn 10.3.0.0/16 */
	    b, sizeof(b));

	round_trip(b, n, true, &m);
	CU_ASSERT_FALSE(bgp_update_is_eor(&m.u.update));
	CU_ASSERT(m.u.update.has_mp_reach && m.u.update.has_mp_unreach);
	CU_ASSERT_EQUAL(m.u.update.mp_next_hop, 0x0a000001u);
	CU_ASSERT_EQUAL(m.u.update.n_mp_nlri, 1);
	CU_ASSERT_EQUAL(m.u.update.mp_nlri[0].addr, 0x0a020000u);
	CU_ASSERT_EQUAL(m.u.update.n_mp_withdrawn, 1);
	CU_ASSERT_EQUAL(m.u.update.mp_withdrawn[0].addr, 0x0a030000u);
	CU_ASSERT_EQUAL(m.u.update.attrs->path_len, 0);
	bgp_msg_free(&m);

	/* End-of-RIB (RFC 4724 2) both ways */
	n = hex(MARKER "0017" "02" "0000 0000", b, sizeof(b));
	round_trip(b, n, true, &m);
	CU_ASSERT(bgp_update_is_eor(&m.u.update));
	bgp_msg_free(&m);
	n = hex(MARKER "001d" "02" "0000 0006"
	    "80 0f 03 0001 01",	/* MP_UNREACH IPv4 unicast, nothing in it */
	    b, sizeof(b));
	round_trip(b, n, true, &m);
	CU_ASSERT(bgp_update_is_eor(&m.u.update));
	bgp_msg_free(&m);
	/*
	 * Another family's End-of-RIB (IPv6 unicast, AFI 2 SAFI 1): an UPDATE
	 * with nothing for IPv4 in it, but not IPv4's End-of-RIB; nor is
	 * IPv4's empty MP_UNREACH with an attribute that is ignored (unknown
	 * optional non-transitive, RFC 4271 5).
	 */
	n = hex(MARKER "001d" "02" "0000 0006" "80 0f 03 0002 01", b,
	    sizeof(b));
	CU_ASSERT_EQUAL_FATAL(decode_exact(b, n, true, &m, &res), BGP_ACT_NONE);
	CU_ASSERT_EQUAL(m.u.update.n_attr, 1);
	CU_ASSERT_FALSE(m.u.update.has_mp_unreach);
	CU_ASSERT(m.u.update.attrs == NULL && m.u.update.n_mp_withdrawn == 0);
	CU_ASSERT_FALSE(bgp_update_is_eor(&m.u.update));
	bgp_msg_free(&m);
	n = hex(MARKER "0022" "02" "0000 000b" "80 0f 03 0001 01"
	    "90 fe 0001 00", b, sizeof(b));	/* extended length */
	CU_ASSERT_EQUAL_FATAL(decode_exact(b, n, true, &m, &res), BGP_ACT_NONE);
	CU_ASSERT_EQUAL(m.u.update.n_attr, 2);
	CU_ASSERT(m.u.update.has_mp_unreach);
	CU_ASSERT_FALSE(bgp_update_is_eor(&m.u.update));
	bgp_msg_free(&m);
}

/*
 * RFC 4271 5: an unknown optional transitive attribute is kept and passed
 * on with the partial bit; an unknown optional non-transitive one is
 * dropped. The extended-length flag on a short attribute survives.
 */
static void
test_update_unknown_extlen(void)
{
	uint8_t b[128], out[BGP_MAX_LEN], want[128];
	struct bgp_result r;
	struct bgp_msg m;
	size_t n = hex(MARKER "0034" "02" "0000" "0019"	/* 25 bytes */
	    "40 01 01 02"	/* ORIGIN INCOMPLETE */
	    "50 02 0006 02 01 0000fde9"	/* AS_PATH with extended length */
	    "40 03 04 0a000001"
	    "80 64 01 00"	/* type 100, optional non-transitive: dropped */
	    "18 0a0000",	/* 10.0.0.0/24 */
	    b, sizeof(b));
	size_t nw = hex(MARKER "0030" "02" "0000" "0015"
	    "40 01 01 02" "50 02 0006 02 01 0000fde9" "40 03 04 0a000001"
	    "18 0a0000", want, sizeof(want));

	CU_ASSERT_EQUAL_FATAL(decode_exact(b, n, true, &m, &r), BGP_ACT_NONE);
	CU_ASSERT_FATAL(m.u.update.attrs != NULL);
	CU_ASSERT_EQUAL(m.u.update.attrs->unknown_len, 0);
	CU_ASSERT_EQUAL(bgp_encode(&m, true, out), nw);
	CU_ASSERT(memcmp(out, want, nw) == 0);
	bgp_msg_free(&m);

	n = hex(MARKER "002e" "02" "0000" "0013"
	    "40 01 01 00" "40 02 00" "40 03 04 0a000001"
	    "c0 63 02 abcd"	/* type 99, optional transitive: kept */
	    "18 0a0000", b, sizeof(b));
	round_trip(b, n, true, &m);
	CU_ASSERT_EQUAL(m.u.update.attrs->unknown_len, 5);
	bgp_msg_free(&m);

	/* type 0 is reserved but still an unknown attribute (fuzz finding:
	 * it was kept but never sent) */
	n = hex(MARKER "002d" "02" "0000" "0012"
	    "c0 00 01 aa"	/* type 0, optional transitive */
	    "40 01 01 00" "40 02 00" "40 03 04 0a000001"
	    "18 0a0000", b, sizeof(b));
	round_trip(b, n, true, &m);
	CU_ASSERT_EQUAL(m.u.update.attrs->unknown_len, 4);
	bgp_msg_free(&m);

	n = hex(MARKER "002e" "02" "0000" "0013"
	    "40 01 01 00" "40 02 00" "40 03 04 0a000001"
	    "c0 63 02 abcd"
	    "18 0a0000", b, sizeof(b));
	round_trip(b, n, true, &m);
	bgp_attrs_set_partial(m.u.update.attrs);
	CU_ASSERT_EQUAL(bgp_encode(&m, true, out), n);
	CU_ASSERT_EQUAL(out[19 + 4 + 4 + 3 + 7], 0xe0);	/* O, T and P */
	bgp_msg_free(&m);
}

/* RFC 8203/9003 shutdown communication; RFC 4271 4.5 otherwise. */
static void
test_notification(void)
{
	uint8_t want[64], out[BGP_MAX_LEN];
	struct bgp_msg m;
	size_t n = hex(MARKER "0019" "03"	/* length 25, NOTIFICATION */
	    "06 02"		/* Cease, Administrative Shutdown */
	    "03 627965",	/* length 3, "bye" */
	    want, sizeof(want));

	CU_ASSERT_EQUAL(bgp_encode_shutdown(BGP_CEASE_ADMIN_SHUTDOWN, "bye",
	    out), n);
	CU_ASSERT(memcmp(out, want, n) == 0);
	round_trip(want, n, true, &m);
	CU_ASSERT(m.u.notification.has_shutdown_msg);
	CU_ASSERT_STRING_EQUAL(m.u.notification.shutdown_msg, "bye");

	/* a bad length or bad UTF-8 is data, not a message */
	n = hex(MARKER "0019" "03" "06 02" "05 627965", want, sizeof(want));
	round_trip(want, n, true, &m);
	CU_ASSERT_FALSE(m.u.notification.has_shutdown_msg);
	CU_ASSERT_EQUAL(m.u.notification.data_len, 4);
	n = hex(MARKER "0018" "03" "06 04" "02 c328", want, sizeof(want));
	round_trip(want, n, true, &m);
	CU_ASSERT_FALSE(m.u.notification.has_shutdown_msg);
	/* two-byte UTF-8 is fine; subcode 4 (Administrative Reset) too */
	n = hex(MARKER "0018" "03" "06 04" "02 c3a9", want, sizeof(want));
	round_trip(want, n, true, &m);
	CU_ASSERT(m.u.notification.has_shutdown_msg);
	CU_ASSERT_STRING_EQUAL(m.u.notification.shutdown_msg, "\xc3\xa9");
	/* Hold Timer Expired, no data */
	n = hex(MARKER "0015" "03" "04 00", want, sizeof(want));
	CU_ASSERT_EQUAL(bgp_encode_notification(4, 0, NULL, 0, out), n);
	CU_ASSERT(memcmp(out, want, n) == 0);
}

/* RFC 2918 3 and RFC 7313 3 */
static void
test_route_refresh(void)
{
	static const uint8_t subs[] = { BGP_RR_NORMAL, BGP_RR_BORR,
	    BGP_RR_EORR };
	uint8_t want[64];
	struct bgp_msg m;
	char hexs[128];

	for (size_t i = 0; i < sizeof(subs); i++) {
		size_t n;

		snprintf(hexs, sizeof(hexs), MARKER "0017" "05"	/* 23 */
		    "0001"	/* AFI IPv4 */
		    "%02x"	/* subtype (reserved in 2918) */
		    "01", subs[i]);	/* SAFI unicast */
		n = hex(hexs, want, sizeof(want));
		round_trip(want, n, true, &m);
		CU_ASSERT_EQUAL(m.u.refresh.subtype, subs[i]);
		CU_ASSERT_EQUAL(m.u.refresh.afi, 1);
		CU_ASSERT_EQUAL(m.u.refresh.safi, 1);
	}
}

/* ---- framer ---- */

struct frames {
	size_t n, lens[16];
	uint8_t types[16];
};

/* Feed the stream in chunks cut at the given points; collect messages. */
static int
feed(const uint8_t *s, size_t n, const size_t *cuts, size_t ncuts,
    struct frames *f)
{
	uint8_t acc[2 * BGP_MAX_LEN];
	size_t have = 0, pos = 0, c = 0;
	struct bgp_notify err;

	f->n = 0;
	while (pos < n) {
		size_t end = c < ncuts ? cuts[c++] : n, len;
		enum bgp_frame fr;

		memcpy(acc + have, s + pos, end - pos);
		have += end - pos;
		pos = end;
		while ((fr = bgp_frame(acc, have, &len, &err)) == BGP_FRAME_OK) {
			if (f->n < 16) {
				f->lens[f->n] = len;
				f->types[f->n] = acc[18];
			}
			f->n++;
			memmove(acc, acc + len, have - len);
			have -= len;
		}
		if (fr == BGP_FRAME_BAD)
			return -1;
	}
	return have == 0 ? 0 : -1;
}

static void
test_framer_every_split(void)
{
	uint8_t s[1024];
	size_t n = 0, lens[4], i, j, bad = 0;
	struct frames f;

	n += lens[0] = bgp_encode_keepalive(s);
	n += lens[1] = hex(update4, s + n, sizeof(s) - n);
	n += lens[2] = bgp_encode_shutdown(2, "maintenance", s + n);
	n += lens[3] = bgp_encode_keepalive(s + n);
	/* all in one read */
	CU_ASSERT_EQUAL(feed(s, n, NULL, 0, &f), 0);
	CU_ASSERT_EQUAL(f.n, 4);
	/* every two-way and three-way split (the header split included) */
	for (i = 1; i < n; i++) {
		size_t cut[2] = { i, 0 };

		if (feed(s, n, cut, 1, &f) != 0 || f.n != 4 ||
		    f.lens[1] != lens[1] || f.types[2] != BGP_NOTIFICATION)
			bad++;
		for (j = i + 1; j < n; j++) {
			cut[1] = j;
			if (feed(s, n, cut, 2, &f) != 0 || f.n != 4 ||
			    f.lens[0] != 19 || f.lens[2] != lens[2] ||
			    f.types[3] != BGP_KEEPALIVE)
				bad++;
		}
	}
	CU_ASSERT_EQUAL(bad, 0);
	/* one byte at a time */
	{
		size_t cuts[1024];

		for (i = 0; i < n - 1; i++)
			cuts[i] = i + 1;
		CU_ASSERT_EQUAL(feed(s, n, cuts, n - 1, &f), 0);
		CU_ASSERT_EQUAL(f.n, 4);
	}
}

/* The framer judges a header as soon as it has 19 bytes, not later. */
static void
test_framer_bad_header(void)
{
	uint8_t b[64];
	struct bgp_notify err;
	size_t len, n = hex(MARKER "0fff" "02", b, sizeof(b));

	CU_ASSERT_EQUAL(bgp_frame(b, 18, &len, &err), BGP_FRAME_MORE);
	CU_ASSERT_EQUAL(bgp_frame(b, n, &len, &err), BGP_FRAME_MORE);
	b[17] = 0x01;
	b[16] = 0x10;	/* 4097 */
	CU_ASSERT_EQUAL(bgp_frame(b, n, &len, &err), BGP_FRAME_BAD);
	CU_ASSERT_EQUAL(err.code, 1);
	CU_ASSERT_EQUAL(err.subcode, 2);
	CU_ASSERT_EQUAL(err.data_len, 2);
	CU_ASSERT_EQUAL(get_be16(err.data), 4097);
	b[3] = 0;
	CU_ASSERT_EQUAL(bgp_frame(b, n, &len, &err), BGP_FRAME_BAD);
	CU_ASSERT_EQUAL(err.subcode, 1);
}

/* ---- attribute sets ---- */

static void
test_attrs_hash_equal(void)
{
	static const uint32_t path[] = { BGP_SEG(BGP_SEG_SEQUENCE, 2), 12076,
	    31898 };
	static const uint32_t comm[] = { BGP_COMM_NO_EXPORT };
	struct bgp_attrs fixed, *a, *b, *c;
	struct bgp_attrs_var var;

	memset(&fixed, 0, sizeof(fixed));
	memset(&var, 0, sizeof(var));
	fixed.has = BGP_HAS(BGP_ATTR_ORIGIN) | BGP_HAS(BGP_ATTR_AS_PATH) |
	    BGP_HAS(BGP_ATTR_NEXT_HOP) | BGP_HAS(BGP_ATTR_COMMUNITIES);
	fixed.next_hop = 0xc0a86482u;
	fixed.med = 77;		/* not present: must not count */
	var.path = path;
	var.path_len = 3;
	var.comm = comm;
	var.n_comm = 1;
	a = bgp_attrs_new(&fixed, &var);
	fixed.med = 0;
	b = bgp_attrs_new(&fixed, &var);
	CU_ASSERT(bgp_attrs_equal(a, b));
	CU_ASSERT_EQUAL(bgp_attrs_hash(a), bgp_attrs_hash(b));
	/* FNV-1a of the fields in network order, computed apart (Python) */
	CU_ASSERT_EQUAL(bgp_attrs_hash(a), 0x70a36369u);
	CU_ASSERT_EQUAL(bgp_attrs_size(a), sizeof(struct bgp_attrs) + 16);
	CU_ASSERT(bgp_attrs_size(a) <= 64);
	fixed.has |= BGP_HAS(BGP_ATTR_MED);
	fixed.med = 1;
	c = bgp_attrs_new(&fixed, &var);
	CU_ASSERT_FALSE(bgp_attrs_equal(a, c));
	CU_ASSERT_NOT_EQUAL(bgp_attrs_hash(a), bgp_attrs_hash(c));
	free(c);
	c = bgp_attrs_dup(a);
	CU_ASSERT(bgp_attrs_equal(a, c));
	free(a);
	free(b);
	free(c);
}

/* ---- words ---- */

static void
test_summary(void)
{
	static const uint32_t path[] = { BGP_SEG(BGP_SEG_SEQUENCE, 2), 12076,
	    31898 };
	struct bgp_prefix4 pfx[123];
	struct bgp_attrs fixed;
	struct bgp_attrs_var var;
	struct bgp_msg m;
	char buf[256];

	memset(&m, 0, sizeof(m));
	memset(&fixed, 0, sizeof(fixed));
	memset(&var, 0, sizeof(var));
	memset(pfx, 0, sizeof(pfx));
	fixed.has = BGP_HAS(BGP_ATTR_AS_PATH) | BGP_HAS(BGP_ATTR_NEXT_HOP);
	fixed.next_hop = 0xc0a86482u;
	var.path = path;
	var.path_len = 3;
	m.type = BGP_UPDATE;
	m.u.update.attrs = bgp_attrs_new(&fixed, &var);
	m.u.update.n_withdrawn = 3;
	m.u.update.withdrawn = pfx;
	m.u.update.n_nlri = 120;
	m.u.update.nlri = pfx + 3;
	CU_ASSERT_STRING_EQUAL(bgp_msg_summary(&m, buf, sizeof(buf)),
	    "UPDATE 3 withdrawn, 120 NLRI, AS_PATH 12076 31898, "
	    "NEXT_HOP 192.168.100.130");
	/* truncation keeps a string */
	CU_ASSERT_EQUAL(strlen(bgp_msg_summary(&m, buf, 10)), 9);
	free(m.u.update.attrs);

	memset(&m, 0, sizeof(m));
	m.type = BGP_NOTIFICATION;
	m.u.notification.code = 6;
	m.u.notification.subcode = 2;
	m.u.notification.has_shutdown_msg = true;
	strcpy(m.u.notification.shutdown_msg, "bye\n");
	CU_ASSERT_STRING_EQUAL(bgp_msg_summary(&m, buf, sizeof(buf)),
	    "NOTIFICATION Cease / Administrative Shutdown \"bye\\n\"");
	memset(&m, 0, sizeof(m));
	m.type = BGP_OPEN;
	bgp_open_init(&m.u.open, 4200000001u, 180, 0x01020304);
	CU_ASSERT_STRING_EQUAL(bgp_msg_summary(&m, buf, sizeof(buf)),
	    "OPEN AS 4200000001 hold 180 id 1.2.3.4 caps mp(1/1) "
	    "route-refresh enhanced-route-refresh as4");
}

static void
test_path_str(void)
{
	static const uint32_t path[] = { BGP_SEG(BGP_SEG_CONFED_SEQUENCE, 1),
	    65100, BGP_SEG(BGP_SEG_SEQUENCE, 2), 12076, 31898,
	    BGP_SEG(BGP_SEG_SET, 2), 64512, 64513 };
	char buf[128];

	CU_ASSERT_STRING_EQUAL(bgp_path_str(path, 8, buf, sizeof(buf)),
	    "(65100) 12076 31898 {64512 64513}");
	CU_ASSERT_EQUAL(bgp_path_count(path, 8), 3);
	CU_ASSERT(bgp_path_valid(path, 8));
	CU_ASSERT_FALSE(bgp_path_valid(path, 7));
}

static void
test_notification_names(void)
{
	char b[96];

	CU_ASSERT_STRING_EQUAL(bgp_notification_name(6, 1, b, sizeof(b)),
	    "Cease / Maximum Number of Prefixes Reached");
	CU_ASSERT_STRING_EQUAL(bgp_notification_name(3, 11, b, sizeof(b)),
	    "UPDATE Message Error / Malformed AS_PATH");
	CU_ASSERT_STRING_EQUAL(bgp_notification_name(1, 2, b, sizeof(b)),
	    "Message Header Error / Bad Message Length");
	CU_ASSERT_STRING_EQUAL(bgp_notification_name(2, 6, b, sizeof(b)),
	    "OPEN Message Error / Unacceptable Hold Time");
	CU_ASSERT_STRING_EQUAL(bgp_notification_name(7, 1, b, sizeof(b)),
	    "ROUTE-REFRESH Message Error / Invalid Message Length");
	CU_ASSERT_STRING_EQUAL(bgp_notification_name(4, 0, b, sizeof(b)),
	    "Hold Timer Expired");
	CU_ASSERT_STRING_EQUAL(bgp_notification_name(2, 5, b, sizeof(b)),
	    "OPEN Message Error / subcode 5");
	CU_ASSERT_STRING_EQUAL(bgp_notification_name(9, 1, b, sizeof(b)),
	    "error 9 / 1");
	CU_ASSERT_STRING_EQUAL(bgp_notification_name(6, 255, b, sizeof(b)),
	    "Cease / subcode 255");
}

static const struct test_case cases[] = {
	{ "KEEPALIVE bytes", test_keepalive },
	{ "OPEN bytes and capabilities", test_open },
	{ "OPEN with AS_TRANS, graceful restart, unknown kept",
	    test_open_as4_gr },
	{ "OPEN: RFC 9072 extended parameters, one per parameter",
	    test_open_ext_params },
	{ "UPDATE with every attribute, 2- and 4-octet",
	    test_update_all_attrs },
	{ "UPDATE MP_REACH/MP_UNREACH IPv4 unicast", test_update_mp },
	{ "UPDATE unknown attributes, partial bit, extended length",
	    test_update_unknown_extlen },
	{ "NOTIFICATION and shutdown communication", test_notification },
	{ "ROUTE-REFRESH and BoRR/EoRR", test_route_refresh },
	{ "framer at every split point", test_framer_every_split },
	{ "framer rejects a bad header at once", test_framer_bad_header },
	{ "attribute set hash and equality", test_attrs_hash_equal },
	{ "summary strings", test_summary },
	{ "AS path strings and counts", test_path_str },
	{ "NOTIFICATION names", test_notification_names },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "bgp_msg", cases);
}
