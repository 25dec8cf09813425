/*
 * test_bgp_speaker_wire.c - the speaker against bytes written by hand on
 * a raw stream: OPEN and KEEPALIVE in one segment, a peer AS mismatch
 * (2/2), a connection from an address that is no neighbour (reset), a
 * malformed UPDATE split over two segments (3/1, session reset); and
 * tshark reading a captured run's BGP and BFD packets cleanly.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "bgp_speaker_testutil.h"

#define D SIM_MS(1)

struct raw {
	struct stream *s;
	uint8_t in[16384];
	size_t n;
	bool connected;
	int errors;
	enum stream_err err;
	const uint8_t *first;
	size_t first_len;
};

static void
raw_rx(struct stream *s, void *ctx)
{
	struct raw *r = ctx;
	size_t k;

	while ((k = stream_read(s, r->in + r->n, sizeof(r->in) - r->n)) > 0)
		r->n += k;
}

static void
raw_connected(struct stream *s, void *ctx)
{
	struct raw *r = ctx;

	r->connected = true;
	if (r->first_len > 0)
		stream_send(s, r->first, r->first_len);
}

static void
raw_error(struct stream *s, enum stream_err err, void *ctx)
{
	struct raw *r = ctx;

	(void)s;
	r->errors++;
	r->err = err;
	r->s = NULL;
}

static void
raw_closed(struct stream *s, void *ctx)
{
	struct raw *r = ctx;

	(void)s;
	r->s = NULL;
}

static const struct stream_cb raw_cb = {
	.on_connected = raw_connected,
	.on_receive = raw_rx,
	.on_error = raw_error,
	.on_closed = raw_closed,
};

static void
raw_connect(struct raw *r, struct node *n, const char *dst)
{
	struct stream_addr ra = { bs_ip(dst), BGP_PORT };
	struct stream_opts o;

	memset(&o, 0, sizeof(o));
	o.nodelay = 1;
	r->s = stream_connect(tcp_stack_host(tcp_stack_get(n)), &ra, &o,
	    &raw_cb, r);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r->s);
}

/* OPEN for asn and a KEEPALIVE, back to back. */
static size_t
open_ka(uint8_t *out, uint32_t asn)
{
	struct bgp_msg m;
	size_t n;

	memset(&m, 0, sizeof(m));
	m.type = BGP_OPEN;
	bgp_open_init(&m.u.open, asn, 90, bs_ip("2.2.2.2"));
	n = bgp_encode(&m, true, out);
	return n + bgp_encode_keepalive(out + n);
}

/* The type of the k-th message in r's bytes, with its first 2 body bytes. */
/* OPEN without the 4-octet AS capability, and a KEEPALIVE. */
static size_t
open_ka_as2(uint8_t *out, uint16_t asn)
{
	struct bgp_msg m;
	size_t n;

	memset(&m, 0, sizeof(m));
	m.type = BGP_OPEN;
	bgp_open_init(&m.u.open, asn, 90, bs_ip("2.2.2.2"));
	m.u.open.caps.as4 = false;
	m.u.open.caps.as4_asn = 0;
	n = bgp_encode(&m, true, out);
	return n + bgp_encode_keepalive(out + n);
}

static int
nth_msg(const struct raw *r, int k, uint8_t *b0, uint8_t *b1)
{
	size_t pos = 0, len;
	struct bgp_notify e;

	while (pos < r->n) {
		if (bgp_frame(r->in + pos, r->n - pos, &len, &e) !=
		    BGP_FRAME_OK)
			return -1;
		if (k-- == 0) {
			*b0 = len > 19 ? r->in[pos + 19] : 0;
			*b1 = len > 20 ? r->in[pos + 20] : 0;
			return r->in[pos + 18];
		}
		pos += len;
	}
	return -1;
}

static void
setup(struct bs_net *b, const char *nb)
{
	bs_init(b, 2);
	bs_link(b, 0, 1, "10.0.0.0", D);
	bs_speaker(b, 0, 12076, "1.1.1.1", 0);
	bs_neighbor(b, 0, nb, 31898, NULL, true);
	bgp_speaker_add_network(b->sp[0], bs_ip("10.10.0.0"), 16);
	bs_start(b);
}

struct half {
	struct raw *r;
	const uint8_t *p;
	size_t n;
};

static void
send_half(struct sim *sim, void *arg)
{
	struct half *h = arg;

	(void)sim;
	if (h->r->s != NULL)
		stream_send(h->r->s, h->p, h->n);
}

static void
test_malformed_update(void)
{
	/* withdrawn length 16 in a 27-byte UPDATE: 3/1 */
	static const uint8_t bad[27] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0, 27, BGP_UPDATE, 0, 16, 10, 1, 2, 3, 4, 5
	};
	struct bs_net b;
	struct raw r;
	struct half h1 = { &r, bad, 10 }, h2 = { &r, bad + 10, 17 };
	struct bgp_peer_stats st;
	uint8_t buf[BGP_MAX_LEN], c0, c1;

	setup(&b, "10.0.0.2");
	memset(&r, 0, sizeof(r));
	r.first = buf;
	r.first_len = open_ka(buf, 31898);
	raw_connect(&r, b.n[1], "10.0.0.1");
	sim_run_until(b.sim, SIM_S(1));
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(b.sp[0], bs_ip("10.0.0.2")),
	    BGP_ST_ESTABLISHED);
	/* OPEN, KEEPALIVE, our table (one UPDATE), End-of-RIB */
	CU_ASSERT_EQUAL(nth_msg(&r, 0, &c0, &c1), BGP_OPEN);
	{
		/* route refresh and AS4, no enhanced RR (no BoRR/EoRR), no GR */
		struct bgp_msg m;
		struct bgp_result res;
		size_t len;
		struct bgp_notify e;

		CU_ASSERT_EQUAL_FATAL(bgp_frame(r.in, r.n, &len, &e),
		    BGP_FRAME_OK);
		CU_ASSERT_EQUAL_FATAL(bgp_decode(r.in, len, true, &m, &res),
		    BGP_ACT_NONE);
		CU_ASSERT(m.u.open.caps.route_refresh);
		CU_ASSERT(m.u.open.caps.as4);
		CU_ASSERT(!m.u.open.caps.enhanced_rr);
		CU_ASSERT(!m.u.open.caps.gr);
		bgp_msg_free(&m);
	}
	CU_ASSERT_EQUAL(nth_msg(&r, 1, &c0, &c1), BGP_KEEPALIVE);
	CU_ASSERT_EQUAL(nth_msg(&r, 2, &c0, &c1), BGP_UPDATE);
	CU_ASSERT_EQUAL(nth_msg(&r, 3, &c0, &c1), BGP_UPDATE);
	CU_ASSERT_EQUAL(bgp_speaker_peer_out(b.sp[0], bs_ip("10.0.0.2")), 1);
	/* the bad UPDATE in two segments 10 ms apart */
	sim_schedule_at(b.sim, SIM_S(2), send_half, &h1);
	sim_schedule_at(b.sim, SIM_S(2) + SIM_MS(10), send_half, &h2);
	sim_run_until(b.sim, SIM_S(3));
	CU_ASSERT_EQUAL(nth_msg(&r, 4, &c0, &c1), BGP_NOTIFICATION);
	CU_ASSERT_EQUAL(c0, BGP_ERR_UPDATE);
	CU_ASSERT_EQUAL(c1, BGP_ERR_UPD_ATTR_LIST);
	bgp_speaker_peer_stats(b.sp[0], bs_ip("10.0.0.2"), &st);
	CU_ASSERT_EQUAL(st.last_notif_sent[0], BGP_ERR_UPDATE);
	CU_ASSERT_EQUAL(st.last_notif_sent[1], BGP_ERR_UPD_ATTR_LIST);
	CU_ASSERT_EQUAL(st.flaps, 1);
	/* down when the second half arrived */
	CU_ASSERT_EQUAL(st.last_down, SIM_S(2) + SIM_MS(10) + D +
	    (66 + 17) * 8);
	CU_ASSERT_NOT_EQUAL(bgp_speaker_peer_state(b.sp[0],
	    bs_ip("10.0.0.2")), BGP_ST_ESTABLISHED);
	if (r.s != NULL)
		stream_abort(r.s);
	bs_free(&b);
}

/*
 * RFC 7606: a MULTI_EXIT_DISC of 3 bytes makes the UPDATE treat-as-
 * withdraw: the prefix announced before goes, the session stays.
 */
static void
test_treat_as_withdraw(void)
{
#define HDR 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, \
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff
#define ATTRS 0x40, 1, 1, 0, 0x40, 2, 6, 2, 1, 0, 0, 0x7c, 0x9a, \
	0x40, 3, 4, 10, 0, 0, 2
	static const uint8_t good[46] = {
		HDR, 0, 46, BGP_UPDATE, 0, 0, 0, 20, ATTRS, 16, 172, 16
	};
	static const uint8_t bad[52] = {
		HDR, 0, 52, BGP_UPDATE, 0, 0, 0, 26, ATTRS,
		0x80, 4, 3, 0, 0, 0, 16, 172, 16
	};
#undef HDR
#undef ATTRS
	struct bs_net b;
	struct raw r;
	struct half h1 = { &r, good, sizeof(good) };
	struct half h2 = { &r, bad, sizeof(bad) };
	struct bgp_peer_stats st;
	uint8_t buf[BGP_MAX_LEN];
	char pb[64];

	setup(&b, "10.0.0.2");
	memset(&r, 0, sizeof(r));
	r.first = buf;
	r.first_len = open_ka(buf, 31898);
	raw_connect(&r, b.n[1], "10.0.0.1");
	sim_schedule_at(b.sim, SIM_S(2), send_half, &h1);
	sim_run_until(b.sim, SIM_S(3));
	CU_ASSERT_STRING_EQUAL(bs_path(&b, 0, "172.16.0.0", 16, pb,
	    sizeof(pb)), "31898");
	sim_schedule_at(b.sim, SIM_S(4), send_half, &h2);
	sim_run_until(b.sim, SIM_S(5));
	CU_ASSERT_STRING_EQUAL(bs_path(&b, 0, "172.16.0.0", 16, pb,
	    sizeof(pb)), "none");
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(b.sp[0], bs_ip("10.0.0.2")),
	    BGP_ST_ESTABLISHED);
	bgp_speaker_peer_stats(b.sp[0], bs_ip("10.0.0.2"), &st);
	CU_ASSERT_EQUAL(st.updates_in, 2);
	CU_ASSERT_EQUAL(st.withdrawn_in, 1);
	CU_ASSERT_EQUAL(st.flaps, 0);
	if (r.s != NULL)
		stream_abort(r.s);
	bs_free(&b);
}

/*
 * RFC 4271 6.3: an UPDATE whose NEXT_HOP is r0's own address (10.0.0.1)
 * is ignored: the prefix announced before with a good next hop goes, it
 * is counted, the session stays.
 */
static void
test_next_hop_self(void)
{
#define HDR 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, \
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff
#define ATTRS(nh) 0x40, 1, 1, 0, 0x40, 2, 6, 2, 1, 0, 0, 0x7c, 0x9a, \
	0x40, 3, 4, 10, 0, 0, nh
	static const uint8_t good[46] = {
		HDR, 0, 46, BGP_UPDATE, 0, 0, 0, 20, ATTRS(2), 16, 172, 16
	};
	static const uint8_t self[46] = {
		HDR, 0, 46, BGP_UPDATE, 0, 0, 0, 20, ATTRS(1), 16, 172, 16
	};
#undef HDR
#undef ATTRS
	struct bs_net b;
	struct raw r;
	struct half h1 = { &r, good, sizeof(good) };
	struct half h2 = { &r, self, sizeof(self) };
	struct bgp_peer_stats st;
	uint8_t buf[BGP_MAX_LEN];
	char pb[64];

	setup(&b, "10.0.0.2");
	memset(&r, 0, sizeof(r));
	r.first = buf;
	r.first_len = open_ka(buf, 31898);
	raw_connect(&r, b.n[1], "10.0.0.1");
	sim_schedule_at(b.sim, SIM_S(2), send_half, &h1);
	sim_run_until(b.sim, SIM_S(3));
	CU_ASSERT_EQUAL(bs_via(&b, 0, "172.16.1.1"), bs_ip("10.0.0.2"));
	sim_schedule_at(b.sim, SIM_S(4), send_half, &h2);
	sim_run_until(b.sim, SIM_S(5));
	CU_ASSERT_STRING_EQUAL(bs_path(&b, 0, "172.16.0.0", 16, pb,
	    sizeof(pb)), "none");
	CU_ASSERT_EQUAL(bs_via(&b, 0, "172.16.1.1"), 0);
	CU_ASSERT_EQUAL(bgp_speaker_peer_in(b.sp[0], bs_ip("10.0.0.2")), 0);
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(b.sp[0], bs_ip("10.0.0.2")),
	    BGP_ST_ESTABLISHED);
	bgp_speaker_peer_stats(b.sp[0], bs_ip("10.0.0.2"), &st);
	CU_ASSERT_EQUAL(st.updates_in, 2);
	CU_ASSERT_EQUAL(st.withdrawn_in, 1);
	CU_ASSERT_EQUAL(st.rejected_nh, 1);
	CU_ASSERT_EQUAL(st.flaps, 0);
	if (r.s != NULL)
		stream_abort(r.s);
	bs_free(&b);
}

static void
wr32(uint8_t *o, uint32_t v)
{
	o[0] = (uint8_t)(v >> 24);
	o[1] = (uint8_t)(v >> 16);
	o[2] = (uint8_t)(v >> 8);
	o[3] = (uint8_t)v;
}

/*
 * An UPDATE from AS 31898 for pfx/plen with next hop 10.0.0.2 and an
 * AS_PATH of full 255-AS segments then one of last ASes (31898 first).
 */
static size_t
long_path_update(uint8_t *o, int full, int last, uint8_t plen, uint32_t pfx)
{
	size_t i, alen, plenpos, k;
	int sg, j;

	memset(o, 0xff, 16);
	i = 18;
	o[i++] = BGP_UPDATE;
	o[i++] = 0;
	o[i++] = 0;
	alen = i;
	i += 2;
	o[i++] = 0x40;		/* ORIGIN IGP */
	o[i++] = 1;
	o[i++] = 1;
	o[i++] = 0;
	o[i++] = 0x50;		/* AS_PATH, extended length */
	o[i++] = 2;
	plenpos = i;
	i += 2;
	k = i;
	for (sg = 0; sg <= full; sg++) {
		int n = sg < full ? 255 : last;

		if (n == 0)
			break;
		o[i++] = BGP_SEG_SEQUENCE;
		o[i++] = (uint8_t)n;
		for (j = 0; j < n; j++) {
			uint32_t a = sg == 0 && j == 0 ? 31898 :
			    100000u + (uint32_t)sg * 1000 + (uint32_t)j;

			wr32(o + i, a);
			i += 4;
		}
	}
	o[plenpos] = (uint8_t)((i - k) >> 8);
	o[plenpos + 1] = (uint8_t)(i - k);
	o[i++] = 0x40;		/* NEXT_HOP 10.0.0.2 */
	o[i++] = 3;
	o[i++] = 4;
	wr32(o + i, bs_ip("10.0.0.2"));
	i += 4;
	o[alen] = (uint8_t)((i - alen - 2) >> 8);
	o[alen + 1] = (uint8_t)(i - alen - 2);
	o[i++] = plen;
	for (j = 0; j < (plen + 7) / 8; j++)
		o[i++] = (uint8_t)(pfx >> (24 - 8 * j));
	o[16] = (uint8_t)(i >> 8);
	o[17] = (uint8_t)i;
	return i;
}

/*
 * A route r0 accepts (its UPDATE fits) but cannot pass on to r2 once it
 * has prepended its AS: first a short path to 44/8, which r2 gets, then
 * a path that fills 4,096 bytes: r0 withdraws 44/8 from r2, counts it
 * and keeps nothing in its Adj-RIB-Out that r2 never saw.
 */
static void
test_unencodable_export(void)
{
	static uint8_t u1[BGP_MAX_LEN], u2[BGP_MAX_LEN];
	struct bs_net b;
	struct raw r;
	struct half h1 = { &r, u1, 0 }, h2 = { &r, u2, 0 };
	struct bgp_peer_stats st;
	uint8_t buf[BGP_MAX_LEN];
	char pb[8192];

	bs_init(&b, 3);
	bs_link(&b, 0, 1, "10.0.0.0", D);
	bs_link(&b, 0, 2, "10.0.1.0", D);
	bs_speaker(&b, 0, 12076, "1.1.1.1", 0);
	bs_speaker(&b, 2, 65003, "3.3.3.3", 0);
	bs_neighbor(&b, 0, "10.0.0.2", 31898, NULL, true);
	bs_neighbor(&b, 0, "10.0.1.2", 65003, NULL, false);
	bs_neighbor(&b, 2, "10.0.1.1", 12076, NULL, true);
	bs_start(&b);
	h1.n = long_path_update(u1, 0, 2, 8, bs_ip("44.0.0.0"));
	h2.n = long_path_update(u2, 3, 247, 8, bs_ip("44.0.0.0"));
	CU_ASSERT(h2.n > BGP_MAX_LEN - 8 && h2.n <= BGP_MAX_LEN);
	memset(&r, 0, sizeof(r));
	r.first = buf;
	r.first_len = open_ka(buf, 31898);
	raw_connect(&r, b.n[1], "10.0.0.1");
	sim_schedule_at(b.sim, SIM_S(2), send_half, &h1);
	sim_run_until(b.sim, SIM_S(3));
	CU_ASSERT_STRING_EQUAL(bs_path(&b, 2, "44.0.0.0", 8, pb, sizeof(pb)),
	    "12076 31898 100001");
	sim_schedule_at(b.sim, SIM_S(4), send_half, &h2);
	sim_run_until(b.sim, SIM_S(5));
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(b.sp[0], bs_ip("10.0.0.2")),
	    BGP_ST_ESTABLISHED);
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(b.sp[0], bs_ip("10.0.1.2")),
	    BGP_ST_ESTABLISHED);
	CU_ASSERT_EQUAL(bgp_speaker_peer_in(b.sp[0], bs_ip("10.0.0.2")), 1);
	CU_ASSERT_EQUAL(bgp_speaker_peer_out(b.sp[0], bs_ip("10.0.1.2")), 0);
	CU_ASSERT_EQUAL(bgp_speaker_peer_in(b.sp[2], bs_ip("10.0.1.1")), 0);
	CU_ASSERT_STRING_EQUAL(bs_path(&b, 2, "44.0.0.0", 8, pb, sizeof(pb)),
	    "none");
	bgp_speaker_peer_stats(b.sp[0], bs_ip("10.0.1.2"), &st);
	CU_ASSERT_EQUAL(st.unsendable, 1);
	CU_ASSERT_EQUAL(st.prefixes_out, 1);
	CU_ASSERT_EQUAL(st.withdrawn_out, 1);
	if (r.s != NULL)
		stream_abort(r.s);
	bs_free(&b);
}

static void
test_peer_as_mismatch(void)
{
	struct bs_net b;
	struct raw r;
	struct bgp_peer_stats st;
	uint8_t buf[BGP_MAX_LEN], c0, c1;

	setup(&b, "10.0.0.2");
	memset(&r, 0, sizeof(r));
	r.first = buf;
	r.first_len = open_ka(buf, 65000);
	raw_connect(&r, b.n[1], "10.0.0.1");
	sim_run_until(b.sim, SIM_S(1));
	CU_ASSERT_EQUAL(nth_msg(&r, 0, &c0, &c1), BGP_OPEN);
	CU_ASSERT_EQUAL(nth_msg(&r, 1, &c0, &c1), BGP_NOTIFICATION);
	CU_ASSERT_EQUAL(c0, BGP_ERR_OPEN);
	CU_ASSERT_EQUAL(c1, BGP_ERR_OPEN_PEER_AS);
	bgp_speaker_peer_stats(b.sp[0], bs_ip("10.0.0.2"), &st);
	CU_ASSERT_EQUAL(st.first_established, -1);
	if (r.s != NULL)
		stream_abort(r.s);
	bs_free(&b);
}

static void
test_not_a_neighbour(void)
{
	struct bs_net b;
	struct raw r;
	uint8_t buf[BGP_MAX_LEN];

	setup(&b, "10.0.0.6");
	memset(&r, 0, sizeof(r));
	r.first = buf;
	r.first_len = open_ka(buf, 31898);
	raw_connect(&r, b.n[1], "10.0.0.1");
	sim_run_until(b.sim, SIM_S(1));
	CU_ASSERT_EQUAL(r.errors, 1);
	CU_ASSERT_EQUAL(r.err, STREAM_RESET);
	CU_ASSERT_EQUAL(r.n, 0);
	bs_free(&b);
}

/* A 2-octet peer: its AS_PATH read in 2 octets, ours sent in 2. */
static void
test_as2_peer(void)
{
	struct bs_net b;
	struct raw r;
	struct half h;
	struct bgp_msg m, dm;
	struct bgp_result res;
	struct bgp_attrs fixed;
	struct bgp_attrs_var v;
	struct bgp_prefix4 pf = { 0, 16 };
	uint32_t path[2] = { BGP_SEG(BGP_SEG_SEQUENCE, 1), 31898 };
	uint8_t buf[BGP_MAX_LEN], upd[BGP_MAX_LEN], c0, c1;
	char pb[64];
	size_t pos = 0, len;
	struct bgp_notify e;
	int k;
	char path_tr[] = "/tmp/xcsim_bgpas2XXXXXX", err[256];
	struct trace_reader *rd;
	struct trace_rec rec;
	struct trace *tr;
	int fd, rc, sent_upd = 0, rcvd_upd = 0;

	fd = mkstemp(path_tr);
	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
	tr = trace_open(path_tr, 0, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(tr);
	setup(&b, "10.0.0.2");
	net_set_trace(b.net, tr);
	memset(&r, 0, sizeof(r));
	r.first = buf;
	r.first_len = open_ka_as2(buf, 31898);
	raw_connect(&r, b.n[1], "10.0.0.1");
	sim_run_until(b.sim, SIM_S(1));
	CU_ASSERT_EQUAL_FATAL(bgp_speaker_peer_state(b.sp[0],
	    bs_ip("10.0.0.2")), BGP_ST_ESTABLISHED);
	/* our table to it: the third message, decoded in 2-octet mode */
	CU_ASSERT_EQUAL(nth_msg(&r, 2, &c0, &c1), BGP_UPDATE);
	for (k = 0; k < 2; k++) {
		CU_ASSERT_EQUAL_FATAL(bgp_frame(r.in + pos, r.n - pos, &len,
		    &e), BGP_FRAME_OK);
		pos += len;
	}
	CU_ASSERT_EQUAL_FATAL(bgp_frame(r.in + pos, r.n - pos, &len, &e),
	    BGP_FRAME_OK);
	CU_ASSERT_NOT_EQUAL_FATAL(bgp_decode(r.in + pos, len, false, &dm,
	    &res), BGP_ACT_RESET);
	bgp_attrs_var(dm.u.update.attrs, &v);
	CU_ASSERT_STRING_EQUAL(bgp_path_str(v.path, v.path_len, pb,
	    sizeof(pb)), "12076");
	bgp_msg_free(&dm);
	/* its route, in 2 octets */
	memset(&fixed, 0, sizeof(fixed));
	memset(&v, 0, sizeof(v));
	fixed.has = BGP_HAS(BGP_ATTR_ORIGIN) | BGP_HAS(BGP_ATTR_AS_PATH) |
	    BGP_HAS(BGP_ATTR_NEXT_HOP);
	fixed.next_hop = bs_ip("10.0.0.2");
	v.path = path;
	v.path_len = 2;
	pf.addr = bs_ip("172.16.0.0");
	memset(&m, 0, sizeof(m));
	m.type = BGP_UPDATE;
	m.u.update.attrs = bgp_attrs_new(&fixed, &v);
	m.u.update.nlri = &pf;
	m.u.update.n_nlri = 1;
	h.r = &r;
	h.p = upd;
	h.n = bgp_encode(&m, false, upd);
	free(m.u.update.attrs);
	CU_ASSERT_FATAL(h.n > 0);
	sim_schedule_at(b.sim, SIM_S(2), send_half, &h);
	sim_run_until(b.sim, SIM_S(3));
	CU_ASSERT_STRING_EQUAL(bs_path(&b, 0, "172.16.0.0", 16, pb,
	    sizeof(pb)), "31898");
	CU_ASSERT_EQUAL(bs_via(&b, 0, "172.16.1.1"), bs_ip("10.0.0.2"));
	if (r.s != NULL)
		stream_abort(r.s);
	net_set_trace(b.net, NULL);
	CU_ASSERT_EQUAL_FATAL(trace_close(tr, err, sizeof(err)), 0);
	bs_free(&b);
	/* the trace summarises both ways' UPDATEs in 2 octets, as sent */
	rd = trace_reader_open(path_tr, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
	while ((rc = trace_reader_next(rd, &rec, err, sizeof(err))) == 1) {
		if (rec.type != TR_ANNOTATE || rec.u.annotate.node != 0)
			continue;
		if (strstr(rec.u.annotate.text, "bgp to 10.0.0.2: UPDATE 0 "
		    "withdrawn, 1 NLRI, AS_PATH 12076, NEXT_HOP 10.0.0.1") !=
		    NULL)
			sent_upd++;
		if (strstr(rec.u.annotate.text, "bgp from 10.0.0.2: UPDATE 0 "
		    "withdrawn, 1 NLRI, AS_PATH 31898, NEXT_HOP 10.0.0.2") !=
		    NULL)
			rcvd_upd++;
		CU_ASSERT(strstr(rec.u.annotate.text, " bytes") == NULL);
	}
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_EQUAL(sent_upd, 1);
	CU_ASSERT_EQUAL(rcvd_upd, 1);
	trace_reader_close(rd);
	unlink(path_tr);
}

static char *
run_cmd(const char *cmd)
{
	FILE *f = popen(cmd, "r");
	size_t cap = 1 << 20, n = 0, k;
	char *out = xcalloc(cap, 1);

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	while (n + 1 < cap && (k = fread(out + n, 1, cap - 1 - n, f)) > 0)
		n += k;
	out[n] = 0;
	pclose(f);
	return out;
}

static void
test_tshark(void)
{
	struct bs_net b;
	char dir[] = "/tmp/xcsim_bgpXXXXXX", path[128], cmd[512], err[256];
	char *out;
	struct bgp_neighbor_cfg nc;

	if (system("command -v tshark >/dev/null 2>&1") != 0) {
		CU_FAIL("tshark is not on PATH");
		return;
	}
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/bgp.pcap", dir);
	bs_init(&b, 2);
	bs_link(&b, 0, 1, "192.168.100.128", D);
	CU_ASSERT_EQUAL_FATAL(net_capture_iface(b.net, b.n[0], 0, path, err,
	    sizeof(err)), 0);
	bs_speaker(&b, 0, 12076, "1.1.1.1", 0);
	bs_speaker(&b, 1, 31898, "2.2.2.2", 0);
	bgp_neighbor_cfg_init(&nc, bs_ip("192.168.100.130"), 31898);
	nc.bfd = &bfd_msee_cfg;
	CU_ASSERT_EQUAL_FATAL(bgp_speaker_add_neighbor(b.sp[0], &nc, err,
	    sizeof(err)), 0);
	bgp_neighbor_cfg_init(&nc, bs_ip("192.168.100.129"), 12076);
	nc.bfd = &bfd_msee_cfg;
	nc.passive = true;
	CU_ASSERT_EQUAL_FATAL(bgp_speaker_add_neighbor(b.sp[1], &nc, err,
	    sizeof(err)), 0);
	bgp_speaker_add_network(b.sp[0], bs_ip("10.1.0.0"), 16);
	bgp_speaker_add_network(b.sp[1], bs_ip("10.2.0.0"), 16);
	bgp_speaker_add_network(b.sp[1], bs_ip("10.3.0.0"), 24);
	bs_start(&b);
	sim_run_until(b.sim, SIM_S(5));
	bgp_speaker_peer_stop(b.sp[0], bs_ip("192.168.100.130"));
	sim_run_until(b.sim, SIM_S(6));
	CU_ASSERT_EQUAL(net_close_captures(b.net, err, sizeof(err)), 0);
	bs_free(&b);

	snprintf(cmd, sizeof(cmd), "tshark -r '%s' -V -Y bgp 2>&1", path);
	out = run_cmd(cmd);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "My AS: 12076"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "My AS: 31898"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "10.1.0.0/16"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "10.2.0.0/16"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "10.3.0.0/24"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "NOTIFICATION"));
	free(out);
	snprintf(cmd, sizeof(cmd), "tshark -r '%s' -Y bfd 2>&1 | wc -l",
	    path);
	out = run_cmd(cmd);
	CU_ASSERT(atoi(out) > 5);
	free(out);
	snprintf(cmd, sizeof(cmd), "tshark -r '%s' -q -z expert,warn "
	    "-o tcp.check_checksum:TRUE 2>&1", path);
	out = run_cmd(cmd);
	CU_ASSERT_PTR_NULL(strstr(out, "Malformed"));
	CU_ASSERT_PTR_NULL(strstr(out, "Error"));
	CU_ASSERT_PTR_NULL(strstr(out, "checksum"));
	free(out);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	CU_ASSERT_EQUAL(system(cmd), 0);
}

/* The trace: session states with reasons, message summaries, routes once. */
static void
test_trace(void)
{
	static const char *const want[] = {
		"Connect ManualStart", "OpenSent Tcp_CR_Acked",
		"OpenConfirm BGPOpen", "Established KeepAliveMsg",
		"Idle received Cease / Administrative Shutdown",
	};
	char path[] = "/tmp/xcsim_bgptrXXXXXX", err[256], got[256];
	struct trace_reader *rd;
	struct trace_rec rec;
	struct trace *tr;
	struct bs_net b;
	int fd, rc, n = 0, opens = 0, routes = 0, bgp_routes = 0;

	fd = mkstemp(path);
	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
	tr = trace_open(path, 0, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(tr);
	bs_init(&b, 2);
	net_set_trace(b.net, tr);
	bs_link(&b, 0, 1, "10.0.0.0", D);
	bs_speaker(&b, 0, 12076, "1.1.1.1", 0);
	bs_speaker(&b, 1, 31898, "2.2.2.2", 0);
	bs_neighbor(&b, 0, "10.0.0.2", 31898, NULL, false);
	bs_neighbor(&b, 1, "10.0.0.1", 12076, NULL, true);
	bgp_speaker_add_network(b.sp[1], bs_ip("172.16.0.0"), 16);
	bs_start(&b);
	sim_run_until(b.sim, SIM_S(5));
	bgp_speaker_peer_stop(b.sp[1], bs_ip("10.0.0.1"));
	sim_run_until(b.sim, SIM_S(6));
	net_set_trace(b.net, NULL);
	CU_ASSERT_EQUAL_FATAL(trace_close(tr, err, sizeof(err)), 0);
	bs_free(&b);
	rd = trace_reader_open(path, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
	while ((rc = trace_reader_next(rd, &rec, err, sizeof(err))) == 1) {
		if (rec.type == TR_ANNOTATE && rec.u.annotate.node == 0 &&
		    strstr(rec.u.annotate.text, "bgp to 10.0.0.2: OPEN AS "
		    "12076") != NULL)
			opens++;
		if (rec.type == TR_ROUTE && rec.u.route.node == 0 &&
		    rec.u.route.prefix == bs_ip("172.16.0.0")) {
			/* the FIB's table, and the Loc-RIB's (bgp_trace) */
			if (strcmp(rec.u.route.table, "bgp") == 0)
				bgp_routes++;
			else
				routes++;
		}
		if (rec.type != TR_SESSION_STATE ||
		    rec.u.session.proto != TRP_BGP || rec.u.session.node != 0)
			continue;
		CU_ASSERT_STRING_EQUAL(rec.u.session.peer, "10.0.0.2");
		snprintf(got, sizeof(got), "%s %s", rec.u.session.state,
		    rec.u.session.reason);
		CU_ASSERT_FATAL(n < (int)(sizeof(want) / sizeof(want[0])));
		CU_ASSERT_STRING_EQUAL(got, want[n]);
		n++;
	}
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_EQUAL(n, (int)(sizeof(want) / sizeof(want[0])));
	CU_ASSERT_EQUAL(opens, 1);
	CU_ASSERT_EQUAL(routes, 2);	/* installed, withdrawn: once each */
	CU_ASSERT_EQUAL(bgp_routes, 2);
	trace_reader_close(rd);
	unlink(path);
}

static const struct test_case cases[] = {
	{ "a route too long to pass on is withdrawn, not lost",
	    test_unencodable_export },
	{ "NEXT_HOP = our own address: route ignored, session kept",
	    test_next_hop_self },
	{ "a malformed UPDATE resets with 3/1", test_malformed_update },
	{ "RFC 7606 treat-as-withdraw keeps the session",
	    test_treat_as_withdraw },
	{ "a peer AS mismatch is refused with 2/2", test_peer_as_mismatch },
	{ "a connection from no neighbour is reset", test_not_a_neighbour },
	{ "a 2-octet AS peer", test_as2_peer },
	{ "tshark decodes BGP and BFD cleanly", test_tshark },
	{ "the trace: states, reasons, summaries, routes", test_trace },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "bgp_speaker_wire", cases);
}
