/*
 * test_tcp_wire.c - TCP options: the exact bytes Linux sends for each SYN
 * and data-segment combination, round trips, every parse error (and that
 * an error leaves nothing behind), tolerance of NOP/EOL/unknown kinds,
 * reads kept inside len (every prefix parsed from an exact-size heap
 * copy, so ASan sees any overrun), and sequence-space comparisons.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"
#include "tcp_wire.h"
#include "testutil.h"

/* Parse from a heap copy of exactly len bytes: one byte more is an ASan error. */
static enum tcp_opt_err
parse_exact(const uint8_t *bytes, size_t len, struct tcp_opts *o)
{
	uint8_t *copy = malloc(len > 0 ? len : 1);
	enum tcp_opt_err err;

	CU_ASSERT_FATAL(copy != NULL);
	if (len > 0)
		memcpy(copy, bytes, len);
	err = tcp_opts_parse(len > 0 ? copy : NULL, len, o);
	free(copy);
	return err;
}

static bool
opts_zero(const struct tcp_opts *o)
{
	static const struct tcp_opts zero;

	return memcmp(o, &zero, sizeof(zero)) == 0;
}

/* A SYN's options as a client sends them: MSS 1460, WS 7, TSval 0x01020304. */
static struct tcp_opts
syn_opts(bool ts, bool sack_perm)
{
	struct tcp_opts o;

	memset(&o, 0, sizeof(o));
	o.has_mss = true;
	o.mss = 1460;
	o.has_wscale = true;
	o.wscale = 7;
	o.sack_perm = sack_perm;
	o.has_ts = ts;
	o.ts_val = 0x01020304u;
	o.ts_ecr = 0;
	return o;
}

struct layout {
	const char *what;
	struct tcp_opts o;
	bool syn;
	size_t len;
	uint8_t bytes[TCP_MAX_OPT_LEN];
};

static void
check_layout(const struct layout *l)
{
	uint8_t out[TCP_MAX_OPT_LEN];
	size_t n;

	memset(out, 0xee, sizeof(out));
	n = tcp_opts_build(&l->o, l->syn, out);
	if (n != l->len || memcmp(out, l->bytes, l->len) != 0) {
		fprintf(stderr, "%s: built %zu bytes:", l->what, n);
		for (size_t i = 0; i < n; i++)
			fprintf(stderr, " %02x", out[i]);
		fprintf(stderr, "\n");
	}
	CU_ASSERT_EQUAL(n, l->len);
	CU_ASSERT_EQUAL(n % 4, 0);
	CU_ASSERT(n <= TCP_MAX_OPT_LEN);
	CU_ASSERT_EQUAL(memcmp(out, l->bytes, l->len), 0);
}

/*
 * What Linux puts on a SYN for each setting of net.ipv4.tcp_timestamps and
 * tcp_sack, as tcpdump shows it: "mss 1460,sackOK,TS val .. ecr 0,nop,
 * wscale 7", "mss 1460,nop,nop,sackOK,nop,wscale 7", "mss 1460,nop,nop,TS
 * val .. ecr 0,nop,wscale 7", "mss 1460,nop,wscale 7".
 */
static void
test_syn_layouts(void)
{
	struct layout l[4] = {
		{ "SYN ts+sack", syn_opts(true, true), true, 20, {
			0x02, 0x04, 0x05, 0xb4, 0x04, 0x02, 0x08, 0x0a,
			0x01, 0x02, 0x03, 0x04, 0x00, 0x00, 0x00, 0x00,
			0x01, 0x03, 0x03, 0x07 } },
		{ "SYN sack", syn_opts(false, true), true, 12, {
			0x02, 0x04, 0x05, 0xb4, 0x01, 0x01, 0x04, 0x02,
			0x01, 0x03, 0x03, 0x07 } },
		{ "SYN ts", syn_opts(true, false), true, 20, {
			0x02, 0x04, 0x05, 0xb4, 0x01, 0x01, 0x08, 0x0a,
			0x01, 0x02, 0x03, 0x04, 0x00, 0x00, 0x00, 0x00,
			0x01, 0x03, 0x03, 0x07 } },
		{ "SYN bare", syn_opts(false, false), true, 8, {
			0x02, 0x04, 0x05, 0xb4, 0x01, 0x03, 0x03, 0x07 } },
	};

	for (size_t i = 0; i < 4; i++)
		check_layout(&l[i]);
}

/* A SYN-ACK echoes the timestamp and carries the server's own values. */
static void
test_synack_and_md5_layouts(void)
{
	struct layout l = { "SYN-ACK", syn_opts(true, true), true, 20, {
		0x02, 0x04, 0x05, 0x78, 0x04, 0x02, 0x08, 0x0a,
		0xaa, 0xbb, 0xcc, 0xdd, 0x01, 0x02, 0x03, 0x04,
		0x01, 0x03, 0x03, 0x0e } };
	/*
	 * MD5 leaves no timestamps on a SYN (Linux's tcp_syn_options(), as
	 * tcpdump shows a BGP session's SYN: "nop,nop,md5 ...,mss 1460,nop,
	 * nop,sackOK,nop,wscale 7"): SACK-permitted stands alone.
	 */
	struct layout m = { "SYN md5 all", syn_opts(true, true), true, 32, {
		0x01, 0x01, 0x13, 0x12, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
		12, 13, 14, 15,
		0x02, 0x04, 0x05, 0xb4, 0x01, 0x01, 0x04, 0x02,
		0x01, 0x03, 0x03, 0x07 } };

	l.o.mss = 1400;
	l.o.wscale = 14;
	l.o.ts_val = 0xaabbccddu;
	l.o.ts_ecr = 0x01020304u;
	check_layout(&l);
	m.o.has_md5 = true;
	for (int i = 0; i < 16; i++)
		m.o.md5[i] = (uint8_t)i;
	check_layout(&m);
}

static struct tcp_opts
data_opts(bool ts, unsigned n_sack)
{
	struct tcp_opts o;

	memset(&o, 0, sizeof(o));
	o.has_ts = ts;
	o.ts_val = 0x11223344u;
	o.ts_ecr = 0x55667788u;
	o.n_sack = (uint8_t)n_sack;
	for (unsigned i = 0; i < TCP_MAX_SACK; i++) {
		o.sack[i].start = 0x1000u * (i + 1);
		o.sack[i].end = 0x1000u * (i + 1) + 0x5a8u;
	}
	/* On a data segment MSS, WS and SACK-permitted are never written. */
	o.has_mss = o.has_wscale = o.sack_perm = true;
	o.mss = 1460;
	o.wscale = 7;
	return o;
}

#define SB(i) 0x00, 0x00, (uint8_t)(0x10 * (i)), 0x00, \
	0x00, 0x00, (uint8_t)(0x10 * (i) + 0x05), 0xa8

static void
test_data_layouts(void)
{
	struct layout l[] = {
		{ "ack ts", data_opts(true, 0), false, 12, {
			0x01, 0x01, 0x08, 0x0a, 0x11, 0x22, 0x33, 0x44,
			0x55, 0x66, 0x77, 0x88 } },
		{ "ack none", data_opts(false, 0), false, 0, { 0 } },
		{ "ack ts sack1", data_opts(true, 1), false, 24, {
			0x01, 0x01, 0x08, 0x0a, 0x11, 0x22, 0x33, 0x44,
			0x55, 0x66, 0x77, 0x88,
			0x01, 0x01, 0x05, 0x0a, SB(1) } },
		{ "ack ts sack3", data_opts(true, 3), false, 40, {
			0x01, 0x01, 0x08, 0x0a, 0x11, 0x22, 0x33, 0x44,
			0x55, 0x66, 0x77, 0x88,
			0x01, 0x01, 0x05, 0x1a, SB(1), SB(2), SB(3) } },
		/* Only three blocks fit next to timestamps: the fourth is left out. */
		{ "ack ts sack4->3", data_opts(true, 4), false, 40, {
			0x01, 0x01, 0x08, 0x0a, 0x11, 0x22, 0x33, 0x44,
			0x55, 0x66, 0x77, 0x88,
			0x01, 0x01, 0x05, 0x1a, SB(1), SB(2), SB(3) } },
		{ "ack sack4", data_opts(false, 4), false, 36, {
			0x01, 0x01, 0x05, 0x22, SB(1), SB(2), SB(3), SB(4) } },
		{ "ack sack2", data_opts(false, 2), false, 20, {
			0x01, 0x01, 0x05, 0x12, SB(1), SB(2) } },
	};

	for (size_t i = 0; i < sizeof(l) / sizeof(l[0]); i++)
		check_layout(&l[i]);
}

/* MD5 first; what remains for SACK is 40 - 20 (- 12 with timestamps). */
static void
test_md5_data_layouts(void)
{
	struct layout l[] = {
		{ "md5 ts sack3->0", data_opts(true, 3), false, 32, {
			0x01, 0x01, 0x13, 0x12, 0xa0, 0xa1, 0xa2, 0xa3,
			0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab,
			0xac, 0xad, 0xae, 0xaf,
			0x01, 0x01, 0x08, 0x0a, 0x11, 0x22, 0x33, 0x44,
			0x55, 0x66, 0x77, 0x88 } },
		{ "md5 sack4->2", data_opts(false, 4), false, 40, {
			0x01, 0x01, 0x13, 0x12, 0xa0, 0xa1, 0xa2, 0xa3,
			0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab,
			0xac, 0xad, 0xae, 0xaf,
			0x01, 0x01, 0x05, 0x12, SB(1), SB(2) } },
	};

	for (size_t i = 0; i < 2; i++) {
		l[i].o.has_md5 = true;
		for (int j = 0; j < 16; j++)
			l[i].o.md5[j] = (uint8_t)(0xa0 + j);
		check_layout(&l[i]);
	}
}

/* Equal in every field a build with this syn flag carries. */
static void
check_carried(const struct tcp_opts *a, const struct tcp_opts *b, bool syn,
    unsigned sack_room)
{
	/* no timestamps on a SYN with MD5 */
	CU_ASSERT_EQUAL(a->has_ts && !(syn && a->has_md5), b->has_ts);
	if (b->has_ts) {
		CU_ASSERT_EQUAL(a->ts_val, b->ts_val);
		CU_ASSERT_EQUAL(a->ts_ecr, b->ts_ecr);
	}
	CU_ASSERT_EQUAL(a->has_md5, b->has_md5);
	if (a->has_md5)
		CU_ASSERT_EQUAL(memcmp(a->md5, b->md5, 16), 0);
	if (syn) {
		CU_ASSERT_EQUAL(a->has_mss, b->has_mss);
		CU_ASSERT_EQUAL(a->has_wscale, b->has_wscale);
		CU_ASSERT_EQUAL(a->sack_perm, b->sack_perm);
		if (a->has_mss)
			CU_ASSERT_EQUAL(a->mss, b->mss);
		if (a->has_wscale)
			CU_ASSERT_EQUAL(a->wscale, b->wscale);
		CU_ASSERT_EQUAL(b->n_sack, 0);
	} else {
		unsigned n = a->n_sack < sack_room ? a->n_sack : sack_room;

		CU_ASSERT_FALSE(b->has_mss || b->has_wscale || b->sack_perm);
		CU_ASSERT_EQUAL(b->n_sack, n);
		for (unsigned i = 0; i < n && i < b->n_sack; i++) {
			CU_ASSERT_EQUAL(a->sack[i].start, b->sack[i].start);
			CU_ASSERT_EQUAL(a->sack[i].end, b->sack[i].end);
		}
	}
}

static unsigned
sack_room(const struct tcp_opts *o)
{
	unsigned room = 40 - (o->has_md5 ? 20 : 0) - (o->has_ts ? 12 : 0);

	return room < 12 ? 0 : (room - 4) / 8;
}

/* Every combination of present options, both segment kinds. */
static void
test_round_trips(void)
{
	for (unsigned mask = 0; mask < 64; mask++)
		for (unsigned n = 0; n <= TCP_MAX_SACK; n++)
			for (int syn = 0; syn < 2; syn++) {
				struct tcp_opts a = data_opts(mask & 1, n), b;
				uint8_t out[TCP_MAX_OPT_LEN];
				size_t len;

				a.has_mss = mask & 2;
				a.has_wscale = mask & 4;
				a.sack_perm = mask & 8;
				a.has_md5 = mask & 16;
				if (mask & 32) {
					a.mss = 0xffff;
					a.wscale = 0xff;
					a.ts_val = 0xffffffffu;
				}
				for (int i = 0; i < 16; i++)
					a.md5[i] = (uint8_t)(i * 17 + mask);
				len = tcp_opts_build(&a, syn, out);
				CU_ASSERT(len <= TCP_MAX_OPT_LEN);
				CU_ASSERT_EQUAL(len % 4, 0);
				CU_ASSERT_EQUAL(parse_exact(out, len, &b),
				    TCP_OPT_OK);
				check_carried(&a, &b, syn, sack_room(&a));
			}
}

/* EOL ends the list, whatever follows; NOPs anywhere; unknown kinds skipped. */
static void
test_tolerated(void)
{
	static const uint8_t eol[] = {
		0x02, 0x04, 0x05, 0xb4, 0x00, 0x02, 0x07, 0xff, 0x13,
	};
	static const uint8_t unknown[] = {
		0x01, 0x1e, 0x04, 0xde, 0xad, 0x1e, 0x02, 0x22, 0x06,
		0x01, 0x02, 0x03, 0x04, 0x03, 0x03, 0x0f, 0xfe, 0x02,
		0x01, 0x01, 0x01,
	};
	static const uint8_t nops[] = { 0x01, 0x01, 0x01, 0x01 };
	static const uint8_t eol_only[] = { 0x00, 0x00, 0x00, 0x00 };
	struct tcp_opts o;

	CU_ASSERT_EQUAL(parse_exact(eol, sizeof(eol), &o), TCP_OPT_OK);
	CU_ASSERT(o.has_mss && o.mss == 1460);
	CU_ASSERT_FALSE(o.has_wscale || o.has_ts || o.has_md5);

	/* MPTCP (30) twice, TFO (34), then window scale 15 reported as sent. */
	CU_ASSERT_EQUAL(parse_exact(unknown, sizeof(unknown), &o), TCP_OPT_OK);
	CU_ASSERT(o.has_wscale && o.wscale == 15);
	CU_ASSERT_FALSE(o.has_mss || o.sack_perm || o.has_ts);

	CU_ASSERT_EQUAL(parse_exact(nops, sizeof(nops), &o), TCP_OPT_OK);
	CU_ASSERT(opts_zero(&o));
	CU_ASSERT_EQUAL(parse_exact(eol_only, sizeof(eol_only), &o),
	    TCP_OPT_OK);
	CU_ASSERT(opts_zero(&o));
	CU_ASSERT_EQUAL(parse_exact(NULL, 0, &o), TCP_OPT_OK);
	CU_ASSERT(opts_zero(&o));
}

struct bad {
	const char *what;
	size_t len;
	uint8_t bytes[48];
	enum tcp_opt_err err;
};

static const struct bad bads[] = {
	{ "kind alone", 1, { 0x02 }, TCP_OPT_TRUNC },
	{ "kind alone after nops", 3, { 0x01, 0x01, 0x08 }, TCP_OPT_TRUNC },
	{ "unknown kind alone", 1, { 0xfe }, TCP_OPT_TRUNC },
	{ "mss then kind alone", 5, { 0x02, 0x04, 0x05, 0xb4, 0x03 },
		TCP_OPT_TRUNC },
	{ "length 0", 4, { 0x02, 0x00, 0x05, 0xb4 }, TCP_OPT_BAD_LEN },
	{ "length 1", 4, { 0x02, 0x01, 0x05, 0xb4 }, TCP_OPT_BAD_LEN },
	{ "unknown length 1", 4, { 0x1e, 0x01, 0x01, 0x01 }, TCP_OPT_BAD_LEN },
	{ "unknown length 0", 2, { 0x1e, 0x00 }, TCP_OPT_BAD_LEN },
	{ "mss past end", 3, { 0x02, 0x04, 0x05 }, TCP_OPT_BAD_LEN },
	{ "unknown past end", 4, { 0x1e, 0x05, 0x00, 0x00 }, TCP_OPT_BAD_LEN },
	{ "ts past end", 8, { 0x01, 0x01, 0x08, 0x0a, 0, 0, 0, 0 },
		TCP_OPT_BAD_LEN },
	{ "mss length 3", 4, { 0x02, 0x03, 0x05, 0x01 }, TCP_OPT_BAD_LEN },
	{ "mss length 6", 6, { 0x02, 0x06, 0x05, 0xb4, 0, 0 },
		TCP_OPT_BAD_LEN },
	{ "wscale length 2", 2, { 0x03, 0x02 }, TCP_OPT_BAD_LEN },
	{ "wscale length 4", 4, { 0x03, 0x04, 0x07, 0x00 }, TCP_OPT_BAD_LEN },
	{ "sack-perm length 3", 3, { 0x04, 0x03, 0x00 }, TCP_OPT_BAD_LEN },
	{ "ts length 8", 8, { 0x08, 0x08, 0, 0, 0, 0, 0, 0 },
		TCP_OPT_BAD_LEN },
	{ "ts length 12", 12, { 0x08, 0x0c }, TCP_OPT_BAD_LEN },
	{ "md5 length 16", 16, { 0x13, 0x10 }, TCP_OPT_BAD_LEN },
	{ "md5 length 20", 20, { 0x13, 0x14 }, TCP_OPT_BAD_LEN },
	{ "sack no blocks", 4, { 0x01, 0x01, 0x05, 0x02 },
		TCP_OPT_SACK_BLOCKS },
	{ "sack half block", 6, { 0x05, 0x06 }, TCP_OPT_SACK_BLOCKS },
	{ "sack 1.5 blocks", 14, { 0x05, 0x0e }, TCP_OPT_SACK_BLOCKS },
	{ "sack 5 blocks", 42, { 0x05, 0x2a }, TCP_OPT_SACK_BLOCKS },
	{ "sack odd length", 11, { 0x05, 0x0b }, TCP_OPT_SACK_BLOCKS },
	/* The first bad option decides, even with a good one before it. */
	{ "good then bad", 8, { 0x02, 0x04, 0x05, 0xb4, 0x03, 0x02, 0, 0 },
		TCP_OPT_BAD_LEN },
};

/* Each error, and nothing of a half-parsed list left in the result. */
static void
test_errors(void)
{
	for (size_t i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		struct tcp_opts o;
		enum tcp_opt_err err;

		memset(&o, 0x5a, sizeof(o));
		err = parse_exact(bads[i].bytes, bads[i].len, &o);
		if (err != bads[i].err)
			fprintf(stderr, "%s: %s\n", bads[i].what,
			    tcp_opt_err_name[err]);
		CU_ASSERT_EQUAL(err, bads[i].err);
		CU_ASSERT(opts_zero(&o));
	}
}

/*
 * An option seen twice: the last one wins and the segment stands, as in
 * Linux's tcp_parse_options() (each one overwrites what the one before
 * set). A bad one after a good one still fails the list.
 */
static void
test_duplicates_last_wins(void)
{
	static const uint8_t mss[] = { 0x02, 0x04, 0x05, 0xb4,
	    0x02, 0x04, 0x02, 0x18 };
	static const uint8_t mss0[] = { 0x02, 0x04, 0x05, 0xb4,
	    0x02, 0x04, 0x00, 0x00 };
	static const uint8_t ws[] = { 0x01, 0x03, 0x03, 0x07,
	    0x01, 0x03, 0x03, 0x02 };
	static const uint8_t sp[] = { 0x04, 0x02, 0x04, 0x02 };
	static const uint8_t ts[] = { 0x08, 0x0a, 0, 0, 0, 1, 0, 0, 0, 2,
	    0x08, 0x0a, 0, 0, 0, 3, 0, 0, 0, 4 };
	static const uint8_t sack[] = { 0x05, 0x12, 0, 0, 0, 1, 0, 0, 0, 2,
	    0, 0, 0, 5, 0, 0, 0, 6,
	    0x05, 0x0a, 0, 0, 0, 3, 0, 0, 0, 4 };
	static const uint8_t md5[36] = { 0x13, 0x12, 1, [18] = 0x13, 0x12, 2 };
	static const uint8_t dup_bad[] = { 0x02, 0x04, 0x05, 0xb4,
	    0x02, 0x03, 0x05 };
	struct tcp_opts o;

	CU_ASSERT_EQUAL(parse_exact(mss, sizeof(mss), &o), TCP_OPT_OK);
	CU_ASSERT(o.has_mss && o.mss == 536);
	/* reported as sent: the receiver clamps to TCP_MIN_MSS */
	CU_ASSERT_EQUAL(parse_exact(mss0, sizeof(mss0), &o), TCP_OPT_OK);
	CU_ASSERT(o.has_mss && o.mss == 0);
	CU_ASSERT(o.mss < TCP_MIN_MSS);
	CU_ASSERT_EQUAL(parse_exact(ws, sizeof(ws), &o), TCP_OPT_OK);
	CU_ASSERT(o.has_wscale && o.wscale == 2);
	CU_ASSERT_EQUAL(parse_exact(sp, sizeof(sp), &o), TCP_OPT_OK);
	CU_ASSERT(o.sack_perm);
	CU_ASSERT_EQUAL(parse_exact(ts, sizeof(ts), &o), TCP_OPT_OK);
	CU_ASSERT(o.has_ts && o.ts_val == 3 && o.ts_ecr == 4);
	/* the second SACK option's one block replaces the first's two */
	CU_ASSERT_EQUAL(parse_exact(sack, sizeof(sack), &o), TCP_OPT_OK);
	CU_ASSERT_EQUAL(o.n_sack, 1);
	CU_ASSERT(o.sack[0].start == 3 && o.sack[0].end == 4);
	CU_ASSERT_EQUAL(parse_exact(md5, sizeof(md5), &o), TCP_OPT_OK);
	CU_ASSERT(o.has_md5 && o.md5[0] == 2);
	memset(&o, 0x5a, sizeof(o));
	CU_ASSERT_EQUAL(parse_exact(dup_bad, sizeof(dup_bad), &o),
	    TCP_OPT_BAD_LEN);
	CU_ASSERT(opts_zero(&o));
}

/* Bytes after EOL are not looked at, even when they would be an error. */
static void
test_eol_hides_errors(void)
{
	for (size_t i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		uint8_t buf[49];
		struct tcp_opts o;

		buf[0] = TCP_OPT_EOL;
		memcpy(buf + 1, bads[i].bytes, bads[i].len);
		CU_ASSERT_EQUAL(parse_exact(buf, bads[i].len + 1, &o),
		    TCP_OPT_OK);
		CU_ASSERT(opts_zero(&o));
	}
}

/*
 * Every prefix of every built list parses without reading past its end:
 * a prefix that cuts an option is TRUNC or BAD_LEN, never a read of the
 * missing bytes (the copy is exactly the prefix's size).
 */
static void
test_prefixes(void)
{
	for (unsigned mask = 0; mask < 32; mask++)
		for (unsigned n = 0; n <= TCP_MAX_SACK; n++)
			for (int syn = 0; syn < 2; syn++) {
				struct tcp_opts a = data_opts(mask & 1, n), b;
				uint8_t out[TCP_MAX_OPT_LEN];
				size_t len, cut;

				a.has_mss = mask & 2;
				a.has_wscale = mask & 4;
				a.sack_perm = mask & 8;
				a.has_md5 = mask & 16;
				len = tcp_opts_build(&a, syn, out);
				for (cut = 0; cut <= len; cut++) {
					enum tcp_opt_err err =
					    parse_exact(out, cut, &b);

					CU_ASSERT(err == TCP_OPT_OK ||
					    err == TCP_OPT_TRUNC ||
					    err == TCP_OPT_BAD_LEN);
				}
			}
}

/*
 * Random option lists (a seeded stream, so the run is the same every time):
 * whatever parses must rebuild and reparse to the same carried fields;
 * whatever fails must leave the result empty.
 */
static void
test_random_lists(void)
{
	static const uint8_t kinds[] = { 0, 1, 2, 3, 4, 5, 8, 19, 30, 254 };
	struct rng r;
	unsigned ok = 0;

	rng_init(&r, 8, "tcp_wire");
	for (int iter = 0; iter < 20000; iter++) {
		uint8_t buf[TCP_MAX_OPT_LEN], out[TCP_MAX_OPT_LEN];
		size_t len = (size_t)rng_below(&r, TCP_MAX_OPT_LEN + 1), i = 0;
		struct tcp_opts a, b;

		while (i < len) {
			uint8_t k = kinds[rng_below(&r, sizeof(kinds))];
			size_t ol = k == 2 ? 4 : k == 3 ? 3 : k == 4 ? 2 :
			    k == 8 ? 10 : k == 19 ? 18 :
			    k == 5 ? 2 + 8 * (1 + rng_below(&r, 4)) : 4;

			if (k <= 1 || rng_below(&r, 16) == 0) {
				buf[i++] = k <= 1 ? k :
				    (uint8_t)rng_u64(&r);
				continue;
			}
			if (rng_below(&r, 32) == 0)
				ol = (size_t)rng_below(&r, 48);
			buf[i++] = k;
			if (i < len)
				buf[i++] = (uint8_t)ol;
			for (size_t j = 2; j < ol && i < len; j++)
				buf[i++] = (uint8_t)rng_u64(&r);
		}
		if (parse_exact(buf, len, &a) != TCP_OPT_OK) {
			CU_ASSERT(opts_zero(&a));
			continue;
		}
		ok++;
		for (int syn = 0; syn < 2; syn++) {
			size_t n = tcp_opts_build(&a, syn, out);

			CU_ASSERT(n <= TCP_MAX_OPT_LEN && n % 4 == 0);
			CU_ASSERT_EQUAL(parse_exact(out, n, &b), TCP_OPT_OK);
			check_carried(&a, &b, syn, sack_room(&a));
		}
	}
	/* The generator must reach the round trip often, or it tests nothing. */
	CU_ASSERT(ok > 2000);
}

static void
test_err_names(void)
{
	for (int i = 0; i < TCP_OPT_ERR_MAX; i++) {
		CU_ASSERT_PTR_NOT_NULL_FATAL(tcp_opt_err_name[i]);
		for (int j = 0; j < i; j++)
			CU_ASSERT(strcmp(tcp_opt_err_name[i],
			    tcp_opt_err_name[j]) != 0);
	}
	CU_ASSERT_STRING_EQUAL(tcp_opt_err_name[TCP_OPT_OK], "ok");
}

/* RFC 9293 3.4: comparisons hold across the 2^32 wrap. */
static void
test_seq_compare(void)
{
	CU_ASSERT(seq_lt(1, 2));
	CU_ASSERT(seq_lt(0xfffffff0u, 0x10u));
	CU_ASSERT(seq_gt(0x10u, 0xfffffff0u));
	CU_ASSERT(seq_le(5, 5) && seq_ge(5, 5));
	CU_ASSERT_FALSE(seq_lt(5, 5) || seq_gt(5, 5));
	CU_ASSERT(seq_lt(0x7fffffffu, 0x80000000u));
	CU_ASSERT(seq_ge(0, 0xffffffffu));
	CU_ASSERT_FALSE(seq_le(0, 0xffffffffu));
}

static const struct test_case cases[] = {
	{ "SYN layouts as Linux sends them", test_syn_layouts },
	{ "SYN-ACK and MD5 SYN layouts", test_synack_and_md5_layouts },
	{ "a duplicate option: the last one wins", test_duplicates_last_wins },
	{ "data segment layouts, SACK blocks that fit", test_data_layouts },
	{ "MD5 takes room from SACK blocks", test_md5_data_layouts },
	{ "build/parse round trips", test_round_trips },
	{ "EOL, NOP and unknown kinds", test_tolerated },
	{ "every parse error, result cleared", test_errors },
	{ "nothing after EOL is read", test_eol_hides_errors },
	{ "every prefix stays inside len", test_prefixes },
	{ "random lists round trip", test_random_lists },
	{ "error names", test_err_names },
	{ "sequence-space comparisons", test_seq_compare },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "tcp_wire", cases);
}
