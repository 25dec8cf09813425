/*
 * test_tcp_md5.c - TCP MD5 signatures (RFC 2385) and the minimum TTL
 * (GTSM, RFC 5082) in the simulated TCP, through the stream API as the BGP
 * speaker uses them: the digest against vectors computed independently
 * (tests/vectors/tcp/md5_vectors.py, python3's hashlib), every segment of
 * a keyed connection signed (SYN, data, ACKs, zero-window probes, resets)
 * with a digest that verifies and the handshake as fast as without;
 * segments without a signature, with a wrong one or with an unexpected
 * one dropped unanswered and counted; per-peer listener keys and TTLs;
 * stream_set_ttl on an accepted stream; tshark seeing the option.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "tcp_int.h"
#include "tcp_md5.h"
#include "tcp_testutil.h"

#define MS SIM_MS(1)
#define PORT 179

static const uint8_t key_a[] = "xcsim-md5";
static const uint8_t key_b[] = "xcsim-md6";
#define KEYLEN ((uint8_t)(sizeof(key_a) - 1))

/* --- the digest, against tests/vectors/tcp/md5_vectors.py --- */

static const uint8_t want_keepalive[16] = { 0x09, 0x1d, 0x2a, 0xbb, 0xa6,
    0xed, 0x6f, 0xf0, 0x30, 0xf3, 0x78, 0x28, 0x6a, 0xc6, 0x9c, 0x93 };
static const uint8_t want_syn[16] = { 0xb5, 0x26, 0x7b, 0xb2, 0x67, 0x7c,
    0x6e, 0xde, 0xb7, 0x5a, 0x87, 0x93, 0x96, 0x80, 0x58, 0x04 };
static const uint8_t want_zeros[16] = { 0x1c, 0x30, 0x6c, 0x3c, 0x1f, 0x96,
    0xf9, 0x76, 0xad, 0x4e, 0xbc, 0xd1, 0xc9, 0xfb, 0x77, 0x84 };

static void
put_hdr(uint8_t *h, uint16_t sport, uint16_t dport, uint32_t seq,
    uint32_t ack, uint8_t off, uint8_t flags, uint16_t win, uint16_t csum)
{
	memset(h, 0, (size_t)off * 4);
	put_be16(h, sport);
	put_be16(h + 2, dport);
	put_be32(h + 4, seq);
	put_be32(h + 8, ack);
	h[12] = (uint8_t)(off << 4);
	h[13] = flags;
	put_be16(h + 14, win);
	put_be16(h + 16, csum);
	h[20] = h[21] = TCP_OPT_NOP;
	h[22] = TCP_OPT_MD5;
	h[23] = 18;
}

static void
test_vectors(void)
{
	uint8_t h[60], d[16], ka[19], key80[80], zeros[1000];
	uint32_t i;

	memset(ka, 0xff, 16);
	ka[16] = 0x00;
	ka[17] = 0x13;
	ka[18] = 0x04;
	put_hdr(h, 49152, 179, 0x01020304, 0x05060708, 10, 0x18, 0x1000,
	    0xabcd);
	tcp_md5_digest(key_a, KEYLEN, tt_ip("10.0.0.1"), tt_ip("10.0.0.2"), h,
	    40, ka, sizeof(ka), 0, d);
	CU_ASSERT_EQUAL(memcmp(d, want_keepalive, 16), 0);
	/* the checksum is hashed as zero: another value, the same digest */
	put_be16(h + 16, 0x1111);
	tcp_md5_digest(key_a, KEYLEN, tt_ip("10.0.0.1"), tt_ip("10.0.0.2"), h,
	    40, ka, sizeof(ka), 0, d);
	CU_ASSERT_EQUAL(memcmp(d, want_keepalive, 16), 0);
	/* one key byte different: another digest */
	tcp_md5_digest(key_b, KEYLEN, tt_ip("10.0.0.1"), tt_ip("10.0.0.2"), h,
	    40, ka, sizeof(ka), 0, d);
	CU_ASSERT_NOT_EQUAL(memcmp(d, want_keepalive, 16), 0);

	for (i = 0; i < 80; i++)
		key80[i] = (uint8_t)i;
	put_hdr(h, 179, 50000, 0xfffffff0, 0, 11, 0x02, 65535, 0x1234);
	h[40] = 2;
	h[41] = 4;
	put_be16(h + 42, 1460);
	tcp_md5_digest(key80, 80, tt_ip("192.168.1.2"), tt_ip("172.16.0.9"), h,
	    44, NULL, 0, 0, d);
	CU_ASSERT_EQUAL(memcmp(d, want_syn, 16), 0);

	/* virtual bytes hash as the zeros they are, split anywhere */
	memset(zeros, 0, sizeof(zeros));
	put_hdr(h, 1000, 2000, 7, 9, 10, 0x10, 512, 0);
	tcp_md5_digest((const uint8_t *)"k", 1, tt_ip("10.1.2.3"),
	    tt_ip("10.3.2.1"), h, 40, zeros, 1000, 0, d);
	CU_ASSERT_EQUAL(memcmp(d, want_zeros, 16), 0);
	tcp_md5_digest((const uint8_t *)"k", 1, tt_ip("10.1.2.3"),
	    tt_ip("10.3.2.1"), h, 40, NULL, 0, 1000, d);
	CU_ASSERT_EQUAL(memcmp(d, want_zeros, 16), 0);
	tcp_md5_digest((const uint8_t *)"k", 1, tt_ip("10.1.2.3"),
	    tt_ip("10.3.2.1"), h, 40, zeros, 333, 667, d);
	CU_ASSERT_EQUAL(memcmp(d, want_zeros, 16), 0);
}

/* tcp_md5_sign on a segment wire_push_tcp built: the vector's digest, a
 * checksum that verifies, and the check's verdicts. */
static void
test_sign_and_check(void)
{
	struct sim *sim = sim_new(1);
	struct tcp_md5_key k, kb;
	struct tcp_opts o, none;
	uint8_t ph[12] = { 0 };
	uint8_t optbuf[TCP_MAX_OPT_LEN];
	struct tcp_hdr h;
	struct pkt *p = pkt_alloc(sim, 19);
	uint32_t src = tt_ip("10.0.0.1"), dst = tt_ip("10.0.0.2");
	size_t optlen;

	memset(p->data, 0xff, 16);
	p->data[16] = 0x00;
	p->data[17] = 0x13;
	p->data[18] = 0x04;
	memset(&o, 0, sizeof(o));
	o.has_md5 = true;
	optlen = tcp_opts_build(&o, false, optbuf);
	CU_ASSERT_EQUAL(optlen, TCP_MD5_OPT_SPACE);
	memset(&h, 0, sizeof(h));
	h.sport = 49152;
	h.dport = 179;
	h.seq = 0x01020304;
	h.ack = 0x05060708;
	h.off = (uint8_t)(5 + optlen / 4);
	h.flags = 0x18;
	h.win = 0x1000;
	h.opt = optbuf;
	CU_ASSERT_EQUAL_FATAL(wire_push_tcp(sim, p, &h, src, dst), 0);
	memset(&k, 0, sizeof(k));
	k.len = KEYLEN;
	memcpy(k.key, key_a, KEYLEN);
	kb = k;
	kb.key[0] ^= 1;
	tcp_md5_sign(p, src, dst, &k);
	CU_ASSERT_EQUAL(memcmp(p->data + 24, want_keepalive, 16), 0);
	/* the checksum still verifies with the digest in place */
	put_be32(ph, src);
	put_be32(ph + 4, dst);
	put_be16(ph + 8, WIRE_IPPROTO_TCP);
	put_be16(ph + 10, 59);
	CU_ASSERT_EQUAL(wire_fold(wire_sum(p->data, 59, wire_sum(ph, 12, 0))),
	    0);
	CU_ASSERT_EQUAL_FATAL(tcp_opts_parse(p->data + 20, 20, &o),
	    TCP_OPT_OK);
	CU_ASSERT_TRUE(o.has_md5);
	memset(&none, 0, sizeof(none));
	CU_ASSERT_EQUAL(tcp_md5_check(&k, &o, src, dst, p->data, 40, 19, 0),
	    TCP_MD5_OK);
	CU_ASSERT_EQUAL(tcp_md5_check(&kb, &o, src, dst, p->data, 40, 19, 0),
	    TCP_MD5_MISMATCH);
	/* the addresses are in the digest: a spoofed source fails */
	CU_ASSERT_EQUAL(tcp_md5_check(&k, &o, src + 1, dst, p->data, 40, 19,
	    0), TCP_MD5_MISMATCH);
	CU_ASSERT_EQUAL(tcp_md5_check(&k, &none, src, dst, p->data, 40, 19,
	    0), TCP_MD5_MISSING);
	CU_ASSERT_EQUAL(tcp_md5_check(NULL, &o, src, dst, p->data, 40, 19, 0),
	    TCP_MD5_UNEXPECTED);
	CU_ASSERT_EQUAL(tcp_md5_check(NULL, &none, src, dst, p->data, 40, 19,
	    0), TCP_MD5_OK);
	/* so are the data */
	p->data[58] ^= 1;
	CU_ASSERT_EQUAL(tcp_md5_check(&k, &o, src, dst, p->data, 40, 19, 0),
	    TCP_MD5_MISMATCH);
	pkt_free(sim, p);
	sim_free(sim);
}

/* --- a tap that verifies every signature leaving the line's ends --- */

struct sigs {
	const uint8_t *key;
	size_t keylen;
	int good, bad, unsigned_segs;
	uint32_t max_payload;
	bool syn_ts;			/* a SYN carried timestamps */
	int drop_rst_from;		/* node whose next RST is lost, -1 none */
};

struct md5_tap {
	struct tt_tapctx tc;
	struct sigs *sg;
};

static bool
sig_tap(struct node *n, uint32_t ifindex, const struct pkt *frame, void *ctx)
{
	struct md5_tap *mt = ctx;
	struct sigs *sg = mt->sg;
	struct wire_frame f;
	struct tcp_opts o;
	uint32_t hlen, real;
	uint8_t d[16];
	const uint8_t *th;

	tt_tap(n, ifindex, frame, &mt->tc);
	if (wire_parse(frame->data, frame->len, frame->virt_len, true, &f) !=
	    WIRE_OK || !f.has_tcp)
		return false;
	th = frame->data + f.l4_off;
	hlen = (uint32_t)f.tcp.off * 4;
	real = frame->len - f.payload_off < f.payload_len ?
	    frame->len - f.payload_off : f.payload_len;
	CU_ASSERT_EQUAL_FATAL(tcp_opts_parse(th + 20, hlen - 20, &o),
	    TCP_OPT_OK);
	if ((f.tcp.flags & WIRE_TCP_SYN) && o.has_ts)
		sg->syn_ts = true;
	if (f.payload_len > sg->max_payload)
		sg->max_payload = f.payload_len;
	if (!o.has_md5)
		sg->unsigned_segs++;
	else {
		tcp_md5_digest(sg->key, sg->keylen, f.ip.src, f.ip.dst, th,
		    hlen, th + hlen, real, f.payload_len - real, d);
		if (memcmp(d, o.md5, 16) == 0)
			sg->good++;
		else
			sg->bad++;
	}
	if ((f.tcp.flags & WIRE_TCP_RST) && sg->drop_rst_from == mt->tc.node) {
		sg->drop_rst_from = -1;
		return true;	/* taken: lost on the way */
	}
	return false;
}

static struct md5_tap taps[TT_MAX_NODES];

static void
sig_tap_ends(struct tt_net *t, struct sigs *sg)
{
	int ends[2] = { 0, t->len - 1 }, k;

	sg->drop_rst_from = -1;
	for (k = 0; k < 2; k++) {
		int i = ends[k];

		taps[i].tc.t = t;
		taps[i].tc.node = i;
		taps[i].sg = sg;
		node_iface_set_frame_out(t->n[i], 0, sig_tap, &taps[i]);
	}
}

/* Drops for a filter (TTL, signatures) anywhere in the net. */
static void
count_filter(const struct pkt *p, enum trace_drop reason, void *ctx)
{
	(void)p;
	if (reason == DROP_FILTER)
		++*(int *)ctx;
}

static void
set_peer(struct stream_listener *l, uint32_t addr, const uint8_t *key,
    uint8_t ttl, uint8_t min_ttl)
{
	struct stream_peer_opts po;

	memset(&po, 0, sizeof(po));
	po.md5_key = key;
	po.md5_keylen = key != NULL ? KEYLEN : 0;
	po.ttl = ttl;
	po.min_ttl = min_ttl;
	CU_ASSERT_EQUAL(stream_listener_set_peer(l, addr, &po), 0);
}

/*
 * A transfer between a keyed client and a listener with the same key for
 * it: every segment both ways signed right, the data intact, the MSS 20
 * bytes smaller (and no timestamps: Linux leaves them off a signed SYN),
 * and the connect as fast as an unsigned one.
 */
static sim_time
transfer(bool keyed, struct sigs *sg, struct tt_sink *k)
{
	struct tt_net t;
	struct tt_src c;
	struct stream_opts o;
	static uint8_t data[100000], keep[100000];
	sim_time conn;
	size_t i;

	for (i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7 + i / 251);
	tt_build(&t, 2, 10000000000000ull, MS, 0, 0);
	memset(sg, 0, sizeof(*sg));
	sg->key = key_a;
	sg->keylen = KEYLEN;
	sig_tap_ends(&t, sg);
	memset(k, 0, sizeof(*k));
	memset(keep, 0, sizeof(keep));
	k->keep = keep;
	k->keep_cap = sizeof(keep);
	tt_sink_listen(k, t.n[1], PORT, NULL);
	if (keyed)
		set_peer(k->l, tt_addr(&t, 0), key_a, 0, 0);
	memset(&c, 0, sizeof(c));
	c.data = data;
	c.total = sizeof(data);
	memset(&o, 0, sizeof(o));
	if (keyed) {
		o.md5_key = key_a;
		o.md5_keylen = KEYLEN;
	}
	tt_src_connect(&c, t.n[0], tt_addr(&t, 1), PORT, &o);
	sim_run_until(t.sim, SIM_S(5));
	CU_ASSERT_TRUE(c.connected);
	CU_ASSERT_EQUAL(k->bytes, sizeof(data));
	CU_ASSERT_EQUAL(memcmp(keep, data, sizeof(data)), 0);
	CU_ASSERT_TRUE(k->closed);
	CU_ASSERT_EQUAL(c.errors + k->errors, 0);
	conn = c.t_connected;
	tt_free(&t);
	return conn;
}

static void
test_signed_transfer(void)
{
	struct sigs sg;
	struct tt_sink k;
	sim_time plain, keyed;

	plain = transfer(false, &sg, &k);
	CU_ASSERT_EQUAL(sg.good + sg.bad, 0);
	CU_ASSERT_EQUAL(sg.max_payload, 1448);		/* 1460 - timestamps */
	CU_ASSERT_TRUE(sg.syn_ts);
	keyed = transfer(true, &sg, &k);
	CU_ASSERT_EQUAL(sg.unsigned_segs, 0);
	CU_ASSERT_EQUAL(sg.bad, 0);
	CU_ASSERT(sg.good > 70);			/* data, ACKs, FINs */
	CU_ASSERT_EQUAL(sg.max_payload, 1440);		/* 1460 - MD5 */
	CU_ASSERT_FALSE(sg.syn_ts);
	/* 2 delays and the two 1 ns serialisations either way */
	CU_ASSERT_EQUAL(plain, 2 * MS + 2);
	CU_ASSERT_EQUAL(keyed, plain);
}

/*
 * A key on one side only, or different keys: every SYN dropped at the
 * server, unanswered (no RST, nothing at all), counted by its reason and
 * traced with it, on its arrival.
 */
enum mismatch { CLIENT_ONLY, SERVER_ONLY, DIFFERENT, NO_LISTENER };

static void
refused(enum mismatch m)
{
	struct tt_net t;
	struct tt_sink k;
	struct tt_src c;
	struct stream_opts o;
	struct sigs sg;
	const struct tcp_stack_stats *ss;
	static const char *const why[] = { "tcp: md5 unexpected",
	    "tcp: md5 missing", "tcp: md5 mismatch", "tcp: md5 unexpected" };
	char path[] = "/tmp/xcsim-tcp-md5-XXXXXX", err[256];
	struct trace_reader *rd;
	struct trace_rec rec;
	struct trace *tr;
	int filtered = 0, syns, fd, rc, n = 0;

	fd = mkstemp(path);
	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
	tr = trace_open(path, 0, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(tr);
	tt_build(&t, 2, 1000000000ull, MS, 0, 0);
	net_set_trace(t.net, tr);
	memset(&sg, 0, sizeof(sg));
	sg.key = key_a;
	sg.keylen = KEYLEN;
	sig_tap_ends(&t, &sg);
	net_add_drop_listener(t.net, count_filter, &filtered);
	memset(&k, 0, sizeof(k));
	if (m != NO_LISTENER) {
		tt_sink_listen(&k, t.n[1], PORT, NULL);
		if (m == SERVER_ONLY)
			set_peer(k.l, tt_addr(&t, 0), key_a, 0, 0);
		if (m == DIFFERENT)
			set_peer(k.l, tt_addr(&t, 0), key_b, 0, 0);
	} else
		tcp_stack_get(t.n[1]);
	memset(&c, 0, sizeof(c));
	c.total = 1000;
	memset(&o, 0, sizeof(o));
	if (m != SERVER_ONLY) {
		o.md5_key = key_a;
		o.md5_keylen = KEYLEN;
	}
	tt_src_connect(&c, t.n[0], tt_addr(&t, 1), PORT, &o);
	sim_run_until(t.sim, SIM_S(20));
	syns = tt_count(&t, 0, WIRE_TCP_SYN);
	/* SYNs at 0, 3, 9 s (doubling from the 3 s connect timeout) */
	CU_ASSERT_EQUAL(syns, 3);
	CU_ASSERT_EQUAL(tt_count(&t, 0, 0), syns);
	CU_ASSERT_EQUAL(tt_count(&t, 1, 0), 0);		/* no RST, nothing */
	CU_ASSERT_FALSE(c.connected);
	CU_ASSERT_PTR_NULL(k.s);
	ss = tcp_stack_stats(tcp_stack_find(t.n[1]));
	CU_ASSERT_EQUAL(filtered, syns);
	CU_ASSERT_EQUAL(ss->md5_missing, m == SERVER_ONLY ? 3u : 0u);
	CU_ASSERT_EQUAL(ss->md5_mismatch, m == DIFFERENT ? 3u : 0u);
	CU_ASSERT_EQUAL(ss->md5_unexpected, m == CLIENT_ONLY ||
	    m == NO_LISTENER ? 3u : 0u);
	CU_ASSERT_EQUAL(ss->min_ttl_drops, 0);
	CU_ASSERT_EQUAL(tcp_stack_n_conns(tcp_stack_find(t.n[1])), 0);
	net_remove_drop_listener(t.net, count_filter, &filtered);
	net_set_trace(t.net, NULL);
	CU_ASSERT_EQUAL_FATAL(trace_close(tr, err, sizeof(err)), 0);
	rd = trace_reader_open(path, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
	while ((rc = trace_reader_next(rd, &rec, err, sizeof(err))) == 1) {
		const struct tt_seg *syn;

		if (rec.type != TR_PKT_DROP)
			continue;
		CU_ASSERT_EQUAL(rec.u.drop.node, 1);
		CU_ASSERT_EQUAL(rec.u.drop.reason, DROP_FILTER);
		CU_ASSERT_STRING_EQUAL(rec.u.drop.detail != NULL ?
		    rec.u.drop.detail : "", why[m]);
		/* when the SYN arrived: sent, serialised, one delay */
		syn = tt_nth(&t, 0, n);
		CU_ASSERT_PTR_NOT_NULL_FATAL(syn);
		CU_ASSERT_EQUAL(rec.t, syn->t + MS + 8 * (14 + 20 + syn->hlen));
		n++;
	}
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_EQUAL(n, syns);
	trace_reader_close(rd);
	unlink(path);
	tt_free(&t);
}

static void
test_key_on_client_only(void)
{
	refused(CLIENT_ONLY);
}

static void
test_key_on_server_only(void)
{
	refused(SERVER_ONLY);
}

static void
test_different_keys(void)
{
	refused(DIFFERENT);
}

static void
test_signed_syn_closed_port(void)
{
	refused(NO_LISTENER);
}

/*
 * Resets are signed: the client's abort reaches the server as a signed RST
 * the server takes; with the server's own abort lost on the way, the
 * listener answers the client's next segment with a reset signed with the
 * peer's key, which the client takes.
 */
struct resetter {
	struct stream *s;
	int errors;
	enum stream_err err;
};

static void
rs_error(struct stream *s, enum stream_err err, void *ctx)
{
	struct resetter *r = ctx;

	(void)s;
	r->errors++;
	r->err = err;
	r->s = NULL;
}

static const struct stream_cb rs_cb = { .on_error = rs_error };

static void
test_signed_resets(void)
{
	struct tt_net t;
	struct tt_sink k;
	struct tt_src c;
	struct stream_opts o;
	struct sigs sg;
	struct resetter r;
	const struct tt_seg *rst = NULL;
	int i;

	tt_build(&t, 2, 1000000000ull, MS, 0, 0);
	memset(&sg, 0, sizeof(sg));
	sg.key = key_a;
	sg.keylen = KEYLEN;
	sig_tap_ends(&t, &sg);
	memset(&k, 0, sizeof(k));
	tt_sink_listen(&k, t.n[1], PORT, NULL);
	set_peer(k.l, tt_addr(&t, 0), key_a, 0, 0);
	memset(&o, 0, sizeof(o));
	o.md5_key = key_a;
	o.md5_keylen = KEYLEN;
	/* the client aborts: its RST is signed, the server takes it */
	memset(&c, 0, sizeof(c));
	c.total = 100;
	c.no_close = true;
	tt_src_connect(&c, t.n[0], tt_addr(&t, 1), PORT, &o);
	sim_run_until(t.sim, 100 * MS);
	CU_ASSERT_EQUAL_FATAL(k.bytes, 100);
	stream_abort(c.s);
	c.s = NULL;
	sim_run_until(t.sim, 200 * MS);
	CU_ASSERT_EQUAL(k.errors, 1);
	CU_ASSERT_EQUAL(k.err, STREAM_RESET);
	/* the server aborts and its RST is lost: the client's data meets
	 * the listener, whose reset is signed with the peer's key */
	memset(&r, 0, sizeof(r));
	memset(&c, 0, sizeof(c));
	c.total = 100;
	c.no_close = true;
	tt_src_connect(&c, t.n[0], tt_addr(&t, 1), PORT, &o);
	sim_run_until(t.sim, 300 * MS);
	CU_ASSERT_PTR_NOT_NULL_FATAL(k.s);
	sg.drop_rst_from = 1;
	stream_abort(k.s);
	k.s = NULL;
	stream_set_cb(c.s, &rs_cb, &r);
	r.s = c.s;
	CU_ASSERT_EQUAL(stream_send(r.s, NULL, 10), 10);
	sim_run_until(t.sim, 400 * MS);
	CU_ASSERT_EQUAL(sg.drop_rst_from, -1);		/* the lost one */
	CU_ASSERT_EQUAL(r.errors, 1);
	CU_ASSERT_EQUAL(r.err, STREAM_RESET);
	for (i = 0; i < t.nsegs; i++)
		if (t.segs[i].node == 1 && (t.segs[i].flags & WIRE_TCP_RST))
			rst = &t.segs[i];
	CU_ASSERT_PTR_NOT_NULL_FATAL(rst);
	CU_ASSERT(rst->t > 300 * MS);
	CU_ASSERT_EQUAL(rst->hlen, 40u);		/* the MD5 option */
	CU_ASSERT_EQUAL(sg.unsigned_segs, 0);
	CU_ASSERT_EQUAL(sg.bad, 0);
	tt_free(&t);
}

/*
 * A paused receiver: the window closes, and the sender's zero-window
 * probes are signed like everything else.
 */
static void
test_signed_probes(void)
{
	struct tt_net t;
	struct tt_sink k;
	struct tt_src c;
	struct stream_opts o;
	struct sigs sg;

	tt_build(&t, 2, 1000000000ull, MS, 0, 0);
	memset(&sg, 0, sizeof(sg));
	sg.key = key_a;
	sg.keylen = KEYLEN;
	sig_tap_ends(&t, &sg);
	memset(&k, 0, sizeof(k));
	k.paused = true;
	tt_sink_listen(&k, t.n[1], PORT, NULL);
	set_peer(k.l, tt_addr(&t, 0), key_a, 0, 0);
	memset(&o, 0, sizeof(o));
	o.md5_key = key_a;
	o.md5_keylen = KEYLEN;
	memset(&c, 0, sizeof(c));
	c.total = 1000000;		/* virtual bytes: hashed as zeros */
	c.no_close = true;
	tt_src_connect(&c, t.n[0], tt_addr(&t, 1), PORT, &o);
	sim_run_until(t.sim, SIM_S(20));
	CU_ASSERT(tcp_conn_stats(tcp_stream_conn(c.s))->zero_window_probes >
	    0);
	CU_ASSERT(sg.good > 100);
	CU_ASSERT_EQUAL(sg.unsigned_segs, 0);
	CU_ASSERT_EQUAL(sg.bad, 0);
	CU_ASSERT_EQUAL(tcp_stack_stats(tcp_stack_find(t.n[1]))->md5_mismatch,
	    0);
	tt_free(&t);
}

/*
 * GTSM over a router: n0 sends with TTL 255, its SYN reaches n2 with 254.
 * A listener that wants 255 from n0 (one hop) drops it; one that wants
 * 254 (two hops) accepts, and its SYN,ACK goes with the peer's TTL 255 so
 * that n0's own minimum lets it in.
 */
static void
gtsm(uint8_t hops)
{
	struct tt_net t;
	struct tt_sink k;
	struct tt_src c;
	struct stream_opts o;
	const struct tt_seg *sa;
	const struct tcp_stack_stats *ss;

	tt_build(&t, 3, 1000000000ull, MS, 0, 0);
	node_set_forwarding(t.n[1], true);
	tt_tap_ends(&t);
	memset(&k, 0, sizeof(k));
	tt_sink_listen(&k, t.n[2], PORT, NULL);
	set_peer(k.l, tt_addr(&t, 0), NULL, 255, (uint8_t)(256 - hops));
	memset(&o, 0, sizeof(o));
	o.ttl = 255;
	o.min_ttl = 254;
	memset(&c, 0, sizeof(c));
	c.total = 5000;
	tt_src_connect(&c, t.n[0], tt_addr(&t, 2), PORT, &o);
	sim_run_until(t.sim, SIM_S(5));
	ss = tcp_stack_stats(tcp_stack_find(t.n[2]));
	CU_ASSERT_EQUAL(tt_nth(&t, 0, 0)->ttl, 255);
	if (hops == 1) {
		CU_ASSERT_FALSE(c.connected);
		CU_ASSERT_EQUAL(ss->min_ttl_drops, 2);	/* SYNs at 0 and 3 s */
		CU_ASSERT_EQUAL(tt_count(&t, 2, 0), 0);
	} else {
		CU_ASSERT_TRUE(c.connected);
		CU_ASSERT_EQUAL(k.bytes, 5000);
		CU_ASSERT_EQUAL(ss->min_ttl_drops, 0);
		sa = tt_nth(&t, 2, 0);
		CU_ASSERT_PTR_NOT_NULL_FATAL(sa);
		CU_ASSERT_EQUAL(sa->flags, WIRE_TCP_SYN | WIRE_TCP_ACK);
		CU_ASSERT_EQUAL(sa->ttl, 255);
		CU_ASSERT_EQUAL(tt_nth(&t, 2, 1)->ttl, 255);
		CU_ASSERT_EQUAL(tcp_stack_stats(tcp_stack_find(t.n[0]))->
		    min_ttl_drops, 0);
	}
	tt_free(&t);
}

static void
test_gtsm_one_hop_refused(void)
{
	gtsm(1);
}

static void
test_gtsm_two_hops_accepted(void)
{
	gtsm(2);
}

/*
 * stream_set_ttl on an accepted stream: what it sends from then on goes
 * with the new TTL, and a minimum above what arrives drops the peer's
 * segments (counted), until it is lifted.
 */
static void
test_set_ttl(void)
{
	struct tt_net t;
	struct tt_sink k;
	struct tt_src c;
	int i, n_before;

	tt_build(&t, 2, 1000000000ull, MS, 0, 0);
	tt_tap_ends(&t);
	memset(&k, 0, sizeof(k));
	k.close_at_eof = false;
	tt_sink_listen(&k, t.n[1], PORT, NULL);
	k.close_at_eof = false;
	memset(&c, 0, sizeof(c));
	c.total = 1000;
	c.no_close = true;
	tt_src_connect(&c, t.n[0], tt_addr(&t, 1), PORT, NULL);
	sim_run_until(t.sim, 100 * MS);
	CU_ASSERT_PTR_NOT_NULL_FATAL(k.s);
	CU_ASSERT_EQUAL(tt_nth(&t, 1, 0)->ttl, 64);	/* the SYN,ACK */
	n_before = t.nsegs;
	CU_ASSERT_EQUAL(stream_set_ttl(k.s, 1, 65), 0);
	CU_ASSERT_EQUAL(stream_send(k.s, NULL, 100), 100);
	c.total = 2000;
	tt_src_fill(&c);
	sim_run_until(t.sim, 200 * MS);
	for (i = n_before; i < t.nsegs; i++)
		if (t.segs[i].node == 1)
			CU_ASSERT_EQUAL(t.segs[i].ttl, 1);
	/* the client's new 1000 bytes (TTL 64 < 65) were dropped; its ACK
	 * of our 100 is delayed past 200 ms */
	CU_ASSERT_EQUAL(k.bytes, 1000);
	CU_ASSERT_EQUAL(tcp_stack_stats(tcp_stack_find(t.n[1]))->min_ttl_drops,
	    1);
	CU_ASSERT_EQUAL(stream_set_ttl(k.s, 0, 0), 0);
	sim_run_until(t.sim, SIM_S(3));
	CU_ASSERT_EQUAL(k.bytes, 2000);			/* retransmitted */
	CU_ASSERT_EQUAL(t.segs[t.nsegs - 1].ttl, 64);
	tt_free(&t);
}

/* Per-peer entries: errors, replacement, removal; other peers unkeyed. */
static void
test_listener_peers(void)
{
	struct tt_net t;
	struct tt_sink k;
	struct tt_src c;
	struct stream_peer_opts po;
	struct stream_opts o;
	uint8_t big[STREAM_MD5_KEY_MAX + 1];
	struct stream_addr a;

	tt_build(&t, 2, 1000000000ull, MS, 0, 0);
	memset(&k, 0, sizeof(k));
	tt_sink_listen(&k, t.n[1], PORT, NULL);
	memset(big, 'k', sizeof(big));
	memset(&po, 0, sizeof(po));
	po.md5_key = big;
	po.md5_keylen = STREAM_MD5_KEY_MAX + 1;
	CU_ASSERT_EQUAL(stream_listener_set_peer(k.l, tt_addr(&t, 0), &po), -1);
	po.md5_key = NULL;
	po.md5_keylen = 1;
	CU_ASSERT_EQUAL(stream_listener_set_peer(k.l, tt_addr(&t, 0), &po), -1);
	/* a connect with a key too long, or a length without a key */
	memset(&o, 0, sizeof(o));
	o.md5_key = big;
	o.md5_keylen = STREAM_MD5_KEY_MAX + 1;
	a = (struct stream_addr){ tt_addr(&t, 1), PORT };
	CU_ASSERT_PTR_NULL(stream_connect(tcp_stack_host(tcp_stack_get(
	    t.n[0])), &a, &o, &tt_src_cb, &c));
	o.md5_key = NULL;
	o.md5_keylen = 3;
	CU_ASSERT_PTR_NULL(stream_connect(tcp_stack_host(tcp_stack_get(
	    t.n[0])), &a, &o, &tt_src_cb, &c));
	/* an 80-byte key is fine; then replaced; then forgotten */
	po.md5_key = big;
	po.md5_keylen = STREAM_MD5_KEY_MAX;
	CU_ASSERT_EQUAL(stream_listener_set_peer(k.l, tt_addr(&t, 0), &po), 0);
	set_peer(k.l, tt_ip("10.9.9.9"), key_b, 0, 0);	/* someone else */
	set_peer(k.l, tt_addr(&t, 0), key_a, 0, 0);
	CU_ASSERT_EQUAL(((struct tcp_listener *)k.l)->n_peers, 2);
	memset(&o, 0, sizeof(o));
	o.md5_key = key_a;
	o.md5_keylen = KEYLEN;
	memset(&c, 0, sizeof(c));
	c.total = 100;
	tt_src_connect(&c, t.n[0], tt_addr(&t, 1), PORT, &o);
	sim_run_until(t.sim, SIM_S(1));
	CU_ASSERT_TRUE(c.connected);
	CU_ASSERT_EQUAL(k.bytes, 100);
	CU_ASSERT_EQUAL(stream_listener_set_peer(k.l, tt_addr(&t, 0), NULL), 0);
	CU_ASSERT_EQUAL(stream_listener_set_peer(k.l, tt_addr(&t, 0), NULL), 0);
	CU_ASSERT_EQUAL(((struct tcp_listener *)k.l)->n_peers, 1);
	/* unkeyed now: an unsigned connect gets through */
	memset(&c, 0, sizeof(c));
	c.total = 100;
	k.bytes = 0;
	tt_src_connect(&c, t.n[0], tt_addr(&t, 1), PORT, NULL);
	sim_run_until(t.sim, SIM_S(2));
	CU_ASSERT_TRUE(c.connected);
	CU_ASSERT_EQUAL(k.bytes, 100);
	tt_free(&t);
}

/* --- tshark sees the option on every segment of a keyed connection --- */

static char *
run_cmd(const char *cmd)
{
	char *out = NULL;
	size_t len = 0, cap = 0, n;
	FILE *f = popen(cmd, "r");

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	do {
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 65536;
			out = xrealloc(out, cap);
		}
		n = fread(out + len, 1, cap - len - 1, f);
		len += n;
	} while (n > 0);
	out[len] = '\0';
	CU_ASSERT_EQUAL(pclose(f), 0);
	return out;
}

static int
count_char(const char *s, char ch)
{
	int n = 0;

	for (; *s != '\0'; s++)
		n += *s == ch;
	return n;
}

static void
test_tshark(void)
{
	char dir[] = "/tmp/xcsim_tcp_md5_XXXXXX", path[128], cmd[512];
	char err[256], want[64];
	struct tt_net t;
	struct tt_sink k;
	struct tt_src c;
	struct stream_opts o;
	char *out;
	int i;

	if (system("command -v tshark >/dev/null 2>&1") != 0) {
		CU_FAIL("tshark is not on PATH (apt-get install tshark)");
		return;
	}
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/md5.pcap", dir);
	tt_build(&t, 2, 1000000000ull, MS, 0, 0);
	tt_tap_ends(&t);
	CU_ASSERT_EQUAL_FATAL(net_capture_iface(t.net, t.n[0], 0, path, err,
	    sizeof(err)), 0);
	memset(&k, 0, sizeof(k));
	tt_sink_listen(&k, t.n[1], PORT, NULL);
	set_peer(k.l, tt_addr(&t, 0), key_a, 0, 0);
	memset(&o, 0, sizeof(o));
	o.md5_key = key_a;
	o.md5_keylen = KEYLEN;
	memset(&c, 0, sizeof(c));
	c.total = 20000;
	tt_src_connect(&c, t.n[0], tt_addr(&t, 1), PORT, &o);
	sim_run_until(t.sim, SIM_S(2));
	CU_ASSERT_EQUAL(k.bytes, 20000);
	CU_ASSERT_EQUAL(net_close_captures(t.net, err, sizeof(err)), 0);
	/* every segment that crossed n0's interface: one line each */
	snprintf(cmd, sizeof(cmd), "tshark -r '%s' -Y 'tcp.options.md5 && "
	    "!_ws.malformed && tcp.checksum.status == 1' -o "
	    "tcp.check_checksum:TRUE -T fields -e tcp.options.md5.digest "
	    "2>/dev/null", path);
	out = run_cmd(cmd);
	CU_ASSERT_EQUAL(count_char(out, '\n'), t.nsegs);
	/* the SYN's digest as tshark shows it */
	want[0] = '\0';
	for (i = 0; i < 16; i++)
		snprintf(want + 2 * i, sizeof(want) - 2 * (size_t)i, "%02x",
		    t.segs[0].hdr[24 + i]);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, want));
	free(out);
	tt_free(&t);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	CU_ASSERT_EQUAL(system(cmd), 0);
}

static const struct test_case cases[] = {
	{ "digests against independent vectors", test_vectors },
	{ "signing a built segment, the check's verdicts",
	    test_sign_and_check },
	{ "a signed transfer, as fast as an unsigned one",
	    test_signed_transfer },
	{ "key on the client only: md5 unexpected", test_key_on_client_only },
	{ "key on the server only: md5 missing", test_key_on_server_only },
	{ "different keys: md5 mismatch", test_different_keys },
	{ "a signed SYN to a closed port: no reset",
	    test_signed_syn_closed_port },
	{ "resets are signed", test_signed_resets },
	{ "zero-window probes are signed", test_signed_probes },
	{ "GTSM: one hop wanted, two away: refused",
	    test_gtsm_one_hop_refused },
	{ "GTSM: two hops wanted, two away: accepted",
	    test_gtsm_two_hops_accepted },
	{ "stream_set_ttl on an accepted stream", test_set_ttl },
	{ "listener peers: errors, replace, forget", test_listener_peers },
	{ "tshark decodes the option on every segment", test_tshark },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "tcp_md5", cases);
}
