/*
 * test_bgp_errors.c - every NOTIFICATION the decoder can ask for, each
 * triggered by a crafted malformed message (RFC 4271 section 6, RFC 7313
 * 5), and the RFC 7606 outcome for each malformed path attribute
 * (treat-as-withdraw, attribute discard, session reset) with the RFC 4271
 * subcode it stands for. Table-driven: one row per path. Also: every
 * truncation of a valid message stays inside its bytes (ASan) and is
 * refused, and a reset leaves nothing to free.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bgp_testutil.h"
#include "testutil.h"

#define MARKER "ffffffffffffffffffffffffffffffff"
/* ORIGIN IGP, AS_PATH 65001 (4 octets), NEXT_HOP 10.0.0.1 */
#define ORIGIN "40 01 01 00 "
#define PATH4 "40 02 06 02 01 0000fde9 "
#define NH "40 03 04 0a000001 "
#define GOOD ORIGIN PATH4 NH
#define NLRI "18 0a0000"

struct ecase {
	const char *what;
	uint8_t type;		/* 0: raw is the whole message */
	const char *raw;	/* body (or the whole message) in hex */
	const char *attrs;	/* UPDATE: attribute section, NLRI after */
	const char *nlri;
	bool as4;
	enum bgp_action act;
	uint8_t code, subcode;	/* RESET: the NOTIFICATION */
	uint8_t attr;		/* else: the first record's attribute */
	const char *data;	/* RESET: the NOTIFICATION data, hex */
};

static const struct ecase cases_tab[] = {
	/* ---- RFC 4271 6.1, message header ---- */
	{ "marker not all ones", 0, "ffffffffffffffffffffffffffffff00"
	    "0013 04", NULL, NULL, true, BGP_ACT_RESET, 1, 1, 0, "" },
	{ "length 18", 0, MARKER "0012 04", NULL, NULL, true, BGP_ACT_RESET,
	    1, 2, 0, "0012" },
	{ "length 4097", 0, MARKER "1001 04", NULL, NULL, true,
	    BGP_ACT_RESET, 1, 2, 0, "1001" },
	{ "type 0", 0, MARKER "0013 00", NULL, NULL, true, BGP_ACT_RESET, 1,
	    3, 0, "00" },
	{ "type 6", 0, MARKER "0013 06", NULL, NULL, true, BGP_ACT_RESET, 1,
	    3, 0, "06" },
	{ "KEEPALIVE of 20 bytes", 0, MARKER "0014 04 00", NULL, NULL, true,
	    BGP_ACT_RESET, 1, 2, 0, "0014" },
	{ "OPEN shorter than 29", 0, MARKER "001c 01 04fde900b40a000001",
	    NULL, NULL, true, BGP_ACT_RESET, 1, 2, 0, "001c" },
	{ "UPDATE shorter than 23", 0, MARKER "0016 02 000000", NULL, NULL,
	    true, BGP_ACT_RESET, 1, 2, 0, "0016" },
	{ "NOTIFICATION shorter than 21", 0, MARKER "0014 03 06", NULL,
	    NULL, true, BGP_ACT_RESET, 1, 2, 0, "0014" },
	/* ---- RFC 4271 6.2, OPEN ---- */
	{ "version 3", BGP_OPEN, "03 fde9 00b4 0a000001 00", NULL, NULL,
	    true, BGP_ACT_RESET, 2, 1, 0, "0004" },
	{ "hold time 1", BGP_OPEN, "04 fde9 0001 0a000001 00", NULL, NULL,
	    true, BGP_ACT_RESET, 2, 6, 0, "" },
	{ "hold time 2", BGP_OPEN, "04 fde9 0002 0a000001 00", NULL, NULL,
	    true, BGP_ACT_RESET, 2, 6, 0, "" },
	{ "BGP identifier 0", BGP_OPEN, "04 fde9 00b4 00000000 00", NULL,
	    NULL, true, BGP_ACT_RESET, 2, 3, 0, "" },
	{ "my AS 0 (RFC 7607)", BGP_OPEN, "04 0000 00b4 0a000001 00", NULL,
	    NULL, true, BGP_ACT_RESET, 2, 2, 0, "" },
	{ "4-octet AS 0", BGP_OPEN, "04 5ba0 00b4 0a000001 08 02 06 41 04 "
	    "00000000", NULL, NULL, true, BGP_ACT_RESET, 2, 2, 0, "" },
	{ "optional parameter type 1", BGP_OPEN, "04 fde9 00b4 0a000001 "
	    "04 01 02 0000", NULL, NULL, true, BGP_ACT_RESET, 2, 4, 0, "" },
	{ "parameters length past the message", BGP_OPEN, "04 fde9 00b4 "
	    "0a000001 05 02 02 0200", NULL, NULL, true, BGP_ACT_RESET, 1, 2,
	    0, "0021" },
	{ "parameter past the parameters", BGP_OPEN, "04 fde9 00b4 0a000001 "
	    "04 02 03 0200", NULL, NULL, true, BGP_ACT_RESET, 2, 0, 0, "" },
	{ "capability past its parameter", BGP_OPEN, "04 fde9 00b4 0a000001 "
	    "04 02 02 4104", NULL, NULL, true, BGP_ACT_RESET, 2, 0, 0, "" },
	{ "MP capability of 3 bytes", BGP_OPEN, "04 fde9 00b4 0a000001 "
	    "07 02 05 0103 000100", NULL, NULL, true, BGP_ACT_RESET, 2, 0, 0,
	    "" },
	{ "graceful restart of 3 bytes", BGP_OPEN, "04 fde9 00b4 0a000001 "
	    "07 02 05 4003 007800", NULL, NULL, true, BGP_ACT_RESET, 2, 0, 0,
	    "" },
	{ "RFC 9072 length past the message", BGP_OPEN, "04 fde9 00b4 "
	    "0a000001 ff ff 0009 02 0002 0200", NULL, NULL, true,
	    BGP_ACT_RESET, 1, 2, 0, "0025" },
	/* ---- RFC 7313 5 ---- */
	{ "ROUTE-REFRESH of 24 bytes", BGP_ROUTE_REFRESH, "0001 00 01 00",
	    NULL, NULL, true, BGP_ACT_RESET, 7, 1, 0,
	    MARKER "0018 05 0001 00 01 00" },
	{ "ROUTE-REFRESH of 19 bytes", BGP_ROUTE_REFRESH, "", NULL, NULL,
	    true, BGP_ACT_RESET, 7, 1, 0, MARKER "0013 05" },
	/* ---- RFC 4271 6.3 / RFC 7606 5, UPDATE lengths: reset ---- */
	{ "withdrawn length past the message", BGP_UPDATE, "0005 0800 0000",
	    NULL, NULL, true, BGP_ACT_RESET, 3, 1, 0, "" },
	{ "attribute length past the message", BGP_UPDATE, "0000 0009 "
	    "40010100", NULL, NULL, true, BGP_ACT_RESET, 3, 1, 0, "" },
	{ "NLRI /33", BGP_UPDATE, NULL, GOOD, "21 0a000000 00", true,
	    BGP_ACT_RESET, 3, 10, 0, "" },
	{ "NLRI past the end", BGP_UPDATE, NULL, GOOD, "18 0a00", true,
	    BGP_ACT_RESET, 3, 10, 0, "" },
	{ "withdrawn /40", BGP_UPDATE, "0002 2800 0000", NULL, NULL, true,
	    BGP_ACT_RESET, 3, 10, 0, "" },
	{ "unrecognized well-known attribute", BGP_UPDATE, NULL,
	    GOOD "40 63 01 07", NLRI, true, BGP_ACT_RESET, 3, 2, 0,
	    "40 63 01 07" },
	{ "MP_REACH next hop of 16 bytes", BGP_UPDATE, NULL,
	    ORIGIN PATH4 "80 0e 15 0001 01 10 00000000000000000000000000000001"
	    " 00", "", true, BGP_ACT_RESET, 3, 9, 0,
	    "80 0e 15 0001 01 10 00000000000000000000000000000001 00" },
	{ "MP_REACH of 2 bytes", BGP_UPDATE, NULL, ORIGIN PATH4
	    "80 0e 02 0001", "", true, BGP_ACT_RESET, 3, 9, 0,
	    "80 0e 02 0001" },
	{ "MP_REACH bad prefix", BGP_UPDATE, NULL, ORIGIN PATH4
	    "80 0e 0a 0001 01 04 0a000001 00 21", "", true, BGP_ACT_RESET, 3,
	    9, 0, "" },
	{ "MP_UNREACH twice", BGP_UPDATE, NULL, "80 0f 03 000101 "
	    "80 0f 03 000101", "", true, BGP_ACT_RESET, 3, 1, 0, "" },
	{ "MP_REACH with well-known flags", BGP_UPDATE, NULL, ORIGIN PATH4
	    "40 0e 09 0001 01 04 0a000001 00", "", true, BGP_ACT_RESET, 3, 4,
	    0, "40 0e 09 0001 01 04 0a000001 00" },
	{ "MP_REACH length past the section", BGP_UPDATE, NULL, ORIGIN PATH4
	    "80 0e 0a 0001 01 04 0a000001 00", "", true, BGP_ACT_RESET, 3, 5,
	    0, "80 0e 0a 0001 01 04 0a000001 00" },
	/* ---- RFC 7606 7: treat-as-withdraw ---- */
	{ "ORIGIN of 2 bytes", BGP_UPDATE, NULL, "40 01 02 0000 " PATH4 NH,
	    NLRI, true, BGP_ACT_WITHDRAW, 3, 5, BGP_ATTR_ORIGIN, NULL },
	{ "ORIGIN 3", BGP_UPDATE, NULL, "40 01 01 03 " PATH4 NH, NLRI, true,
	    BGP_ACT_WITHDRAW, 3, 6, BGP_ATTR_ORIGIN, NULL },
	{ "ORIGIN with optional flags", BGP_UPDATE, NULL, "c0 01 01 00 "
	    PATH4 NH, NLRI, true, BGP_ACT_WITHDRAW, 3, 4, BGP_ATTR_ORIGIN,
	    NULL },
	{ "AS_PATH segment of 0 ASNs", BGP_UPDATE, NULL, ORIGIN
	    "40 02 02 0200 " NH, NLRI, true, BGP_ACT_WITHDRAW, 3, 11,
	    BGP_ATTR_AS_PATH, NULL },
	{ "AS_PATH segment type 5", BGP_UPDATE, NULL, ORIGIN
	    "40 02 06 0501 0000fde9 " NH, NLRI, true, BGP_ACT_WITHDRAW, 3, 11,
	    BGP_ATTR_AS_PATH, NULL },
	{ "AS_PATH segment past the attribute", BGP_UPDATE, NULL, ORIGIN
	    "40 02 06 0202 0000fde9 " NH, NLRI, true, BGP_ACT_WITHDRAW, 3, 11,
	    BGP_ATTR_AS_PATH, NULL },
	{ "AS_PATH one odd byte", BGP_UPDATE, NULL, ORIGIN
	    "40 02 07 0201 0000fde9 02 " NH, NLRI, true, BGP_ACT_WITHDRAW, 3,
	    11, BGP_ATTR_AS_PATH, NULL },
	{ "AS_PATH 2-octet read as 4-octet", BGP_UPDATE, NULL, ORIGIN
	    "40 02 04 0201 fde9 " NH, NLRI, true, BGP_ACT_WITHDRAW, 3, 11,
	    BGP_ATTR_AS_PATH, NULL },
	{ "NEXT_HOP of 5 bytes", BGP_UPDATE, NULL, ORIGIN PATH4
	    "40 03 05 0a00000100", NLRI, true, BGP_ACT_WITHDRAW, 3, 5,
	    BGP_ATTR_NEXT_HOP, NULL },
	{ "NEXT_HOP 0.0.0.0", BGP_UPDATE, NULL, ORIGIN PATH4
	    "40 03 04 00000000", NLRI, true, BGP_ACT_WITHDRAW, 3, 8,
	    BGP_ATTR_NEXT_HOP, NULL },
	{ "NEXT_HOP 224.0.0.5", BGP_UPDATE, NULL, ORIGIN PATH4
	    "40 03 04 e0000005", NLRI, true, BGP_ACT_WITHDRAW, 3, 8,
	    BGP_ATTR_NEXT_HOP, NULL },
	{ "MED of 3 bytes", BGP_UPDATE, NULL, GOOD "80 04 03 000001", NLRI,
	    true, BGP_ACT_WITHDRAW, 3, 5, BGP_ATTR_MED, NULL },
	{ "MED with transitive flags", BGP_UPDATE, NULL, GOOD
	    "c0 04 04 00000001", NLRI, true, BGP_ACT_WITHDRAW, 3, 4,
	    BGP_ATTR_MED, NULL },
	{ "LOCAL_PREF of 5 bytes", BGP_UPDATE, NULL, GOOD
	    "40 05 05 0000000100", NLRI, true, BGP_ACT_WITHDRAW, 3, 5,
	    BGP_ATTR_LOCAL_PREF, NULL },
	{ "COMMUNITIES of 5 bytes", BGP_UPDATE, NULL, GOOD
	    "c0 08 05 0000000100", NLRI, true, BGP_ACT_WITHDRAW, 3, 5,
	    BGP_ATTR_COMMUNITIES, NULL },
	{ "COMMUNITIES of 0 bytes", BGP_UPDATE, NULL, GOOD "c0 08 00", NLRI,
	    true, BGP_ACT_WITHDRAW, 3, 5, BGP_ATTR_COMMUNITIES, NULL },
	{ "LARGE_COMMUNITIES of 8 bytes", BGP_UPDATE, NULL, GOOD
	    "c0 20 08 0000000100000002", NLRI, true, BGP_ACT_WITHDRAW, 3, 5,
	    BGP_ATTR_LARGE_COMM, NULL },
	{ "missing ORIGIN", BGP_UPDATE, NULL, PATH4 NH, NLRI, true,
	    BGP_ACT_WITHDRAW, 3, 3, BGP_ATTR_ORIGIN, NULL },
	{ "missing AS_PATH", BGP_UPDATE, NULL, ORIGIN NH, NLRI, true,
	    BGP_ACT_WITHDRAW, 3, 3, BGP_ATTR_AS_PATH, NULL },
	{ "missing NEXT_HOP", BGP_UPDATE, NULL, ORIGIN PATH4, NLRI, true,
	    BGP_ACT_WITHDRAW, 3, 3, BGP_ATTR_NEXT_HOP, NULL },
	{ "missing ORIGIN with MP_REACH", BGP_UPDATE, NULL, PATH4
	    "80 0e 09 0001 01 04 0a000001 00", "", true, BGP_ACT_WITHDRAW, 3,
	    3, BGP_ATTR_ORIGIN, NULL },
	{ "attribute length past the section", BGP_UPDATE, NULL, GOOD
	    "c0 08 08 00000001", NLRI, true, BGP_ACT_WITHDRAW, 3, 5,
	    BGP_ATTR_COMMUNITIES, NULL },
	{ "two bytes of a header left", BGP_UPDATE, NULL, GOOD "c0 08", NLRI,
	    true, BGP_ACT_WITHDRAW, 3, 1, 0, NULL },
	{ "extended header cut", BGP_UPDATE, NULL, GOOD "d0 08 00", NLRI,
	    true, BGP_ACT_WITHDRAW, 3, 1, 0, NULL },
	/* ---- RFC 7606 7: attribute discard ---- */
	{ "ATOMIC_AGGREGATE of 1 byte", BGP_UPDATE, NULL, GOOD "40 06 01 00",
	    NLRI, true, BGP_ACT_DISCARD, 3, 5, BGP_ATTR_ATOMIC_AGGR, NULL },
	{ "AGGREGATOR of 6 bytes on a 4-octet session", BGP_UPDATE, NULL,
	    GOOD "c0 07 06 fde9 0a000001", NLRI, true, BGP_ACT_DISCARD, 3, 5,
	    BGP_ATTR_AGGREGATOR, NULL },
	{ "AGGREGATOR of 8 bytes on a 2-octet session", BGP_UPDATE, NULL,
	    ORIGIN "40 02 04 0201 fde9 " NH "c0 07 08 0000fde9 0a000001", NLRI,
	    false, BGP_ACT_DISCARD, 3, 5, BGP_ATTR_AGGREGATOR, NULL },
	{ "AS4_PATH from a 4-octet peer (6793 4.1)", BGP_UPDATE, NULL, GOOD
	    "c0 11 06 0201 0000fde9", NLRI, true, BGP_ACT_DISCARD, 3, 0,
	    BGP_ATTR_AS4_PATH, NULL },
	{ "AS4_PATH with a confederation segment", BGP_UPDATE, NULL, ORIGIN
	    "40 02 04 0201 5ba0 " NH "c0 11 06 0301 fa56ea01", NLRI, false,
	    BGP_ACT_DISCARD, 3, 9, BGP_ATTR_AS4_PATH, NULL },
	{ "AS4_AGGREGATOR of 6 bytes", BGP_UPDATE, NULL, ORIGIN
	    "40 02 04 0201 5ba0 " NH "c0 12 06 fde9 0a000001", NLRI, false,
	    BGP_ACT_DISCARD, 3, 5, BGP_ATTR_AS4_AGGREGATOR, NULL },
	{ "MED twice: the second discarded", BGP_UPDATE, NULL, GOOD
	    "80 04 04 00000001 80 04 04 00000002", NLRI, true,
	    BGP_ACT_DISCARD, 3, 1, BGP_ATTR_MED, NULL },
	{ NULL, 0, NULL, NULL, NULL, false, 0, 0, 0, 0, NULL }
};

static size_t
build(const struct ecase *c, uint8_t *b)
{
	char body[2 * BGP_MAX_LEN];
	uint8_t tmp[BGP_MAX_LEN];
	size_t n;

	if (c->type == 0)
		return hex(c->raw, b, BGP_MAX_LEN);
	if (c->raw != NULL)
		return msg_hex(c->type, c->raw, b);
	/* UPDATE: no withdrawn routes, the attributes' length computed */
	n = hex(c->attrs, tmp, sizeof(tmp));
	snprintf(body, sizeof(body), "0000 %04zx %s %s", n, c->attrs,
	    c->nlri);
	return msg_hex(BGP_UPDATE, body, b);
}

static void
test_table(void)
{
	unsigned bad = 0, n = 0;

	for (const struct ecase *c = cases_tab; c->what != NULL; c++) {
		uint8_t b[BGP_MAX_LEN], data[BGP_MAX_LEN];
		struct bgp_result r;
		struct bgp_msg m;
		size_t len = build(c, b), dl;
		enum bgp_action a = decode_exact(b, len, c->as4, &m, &r);
		bool ok = a == c->act && r.action == c->act;

		if (c->act == BGP_ACT_RESET) {
			ok = ok && r.notify.code == c->code &&
			    r.notify.subcode == c->subcode;
			if (c->data != NULL) {
				dl = hex(c->data, data, sizeof(data));
				ok = ok && r.notify.data_len == dl &&
				    memcmp(r.notify.data, data, dl) == 0;
			}
			/* nothing is left to free after a reset */
			ok = ok && m.type == 0;
		} else {
			ok = ok && r.n_attr_err >= 1 &&
			    r.attr_err[0].type == c->attr &&
			    r.attr_err[0].action == c->act &&
			    r.attr_err[0].subcode == c->subcode;
			/* the rest of the message is still there */
			ok = ok && m.type == BGP_UPDATE;
		}
		if (c->act == BGP_ACT_DISCARD && ok) {
			/* the discarded attribute is gone, the route is not */
			ok = m.u.update.n_nlri == 1 &&
			    m.u.update.attrs != NULL &&
			    (c->attr == BGP_ATTR_MED ?
			    m.u.update.attrs->med == 1 :
			    !(m.u.update.attrs->has & BGP_HAS(c->attr)));
		}
		if (!ok) {
			printf("\n  %s: action %d code %u/%u (%u records, "
			    "first type %u subcode %u)", c->what, a,
			    r.notify.code, r.notify.subcode, r.n_attr_err,
			    r.attr_err[0].type, r.attr_err[0].subcode);
			bad++;
		}
		bgp_msg_free(&m);
		n++;
	}
	CU_ASSERT_EQUAL(bad, 0);
	CU_ASSERT(n >= 60);
}

/* The framer gives the same verdict as the decoder on a bad header. */
static void
test_framer_agrees(void)
{
	for (const struct ecase *c = cases_tab; c->what != NULL; c++) {
		uint8_t b[BGP_MAX_LEN];
		struct bgp_notify err;
		size_t len = build(c, b), flen;
		enum bgp_frame f = bgp_frame(b, len, &flen, &err);

		if (c->type == 0) {
			CU_ASSERT_EQUAL(f, BGP_FRAME_BAD);
			CU_ASSERT_EQUAL(err.subcode, c->subcode);
		} else {
			CU_ASSERT_EQUAL(f, BGP_FRAME_OK);
			CU_ASSERT_EQUAL(flen, len);
		}
	}
}

/* Treat-as-withdraw still hands over every prefix to withdraw. */
static void
test_withdraw_keeps_prefixes(void)
{
	uint8_t b[BGP_MAX_LEN];
	struct bgp_result r;
	struct bgp_msg m;
	size_t n = msg_hex(BGP_UPDATE, "0000 0018 " ORIGIN
	    "40 02 02 0200 "	/* malformed AS_PATH */
	    "80 0e 0c 0001 01 04 0a000001 00 10 0a02 "	/* MP 10.2/16 */
	    "18 0a0000 18 0a0001", b);

	/* attribute length 0x18 = 4 + 5 + 15, then two body NLRI */
	CU_ASSERT_EQUAL(decode_exact(b, n, true, &m, &r), BGP_ACT_WITHDRAW);
	CU_ASSERT_EQUAL(m.u.update.n_nlri, 2);
	CU_ASSERT_EQUAL(m.u.update.n_mp_nlri, 1);
	CU_ASSERT_EQUAL(r.attr_err[0].type, BGP_ATTR_AS_PATH);
	/* NEXT_HOP is missing too: both are reported */
	CU_ASSERT_EQUAL(r.n_attr_err, 2);
	bgp_msg_free(&m);
}

/* Every prefix of a valid message: refused, never read past (ASan). */
static void
test_truncations(void)
{
	static const char *const bodies[] = {
	    "0002 080a 002a " GOOD "c0 08 04 fde90001 c0 20 0c "
	    "000000010000000200000003 " NLRI,
	    "0000 0013 " ORIGIN "40 02 00 80 0e 09 0001 01 04 0a000001 00",
	};
	unsigned bad = 0;

	for (size_t k = 0; k < 2; k++) {
		uint8_t b[BGP_MAX_LEN];
		size_t n = msg_hex(BGP_UPDATE, bodies[k], b);
		struct bgp_result r;
		struct bgp_msg m;

		CU_ASSERT_EQUAL(decode_exact(b, n, true, &m, &r),
		    BGP_ACT_NONE);
		bgp_msg_free(&m);
		for (size_t cut = 0; cut < n; cut++) {
			/* the header's length no longer matches: 1/2 */
			if (decode_exact(b, cut, true, &m, &r) !=
			    BGP_ACT_RESET || r.notify.code != 1)
				bad++;
			/* and with the length field patched to the cut */
			if (cut >= 23) {
				uint8_t c[BGP_MAX_LEN];

				memcpy(c, b, cut);
				put_be16(c + 16, (uint16_t)cut);
				(void)decode_exact(c, cut, true, &m, &r);
				bgp_msg_free(&m);
			}
		}
	}
	CU_ASSERT_EQUAL(bad, 0);
}

static void
test_action_names(void)
{
	CU_ASSERT_STRING_EQUAL(bgp_action_name[BGP_ACT_WITHDRAW],
	    "treat-as-withdraw");
	CU_ASSERT_STRING_EQUAL(bgp_action_name[BGP_ACT_DISCARD],
	    "attribute-discard");
	CU_ASSERT_STRING_EQUAL(bgp_action_name[BGP_ACT_RESET],
	    "session-reset");
}

static const struct test_case cases[] = {
	{ "every NOTIFICATION and RFC 7606 outcome", test_table },
	{ "the framer agrees on headers", test_framer_agrees },
	{ "treat-as-withdraw keeps the prefixes", test_withdraw_keeps_prefixes },
	{ "truncations are refused inside the bytes", test_truncations },
	{ "action names", test_action_names },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "bgp_errors", cases);
}
