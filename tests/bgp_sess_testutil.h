/*
 * bgp_sess_testutil.h - what the session tests (test_bgp_sess_*.c) share
 * on top of bgp_speaker_testutil.h: the wire times of the pair the speaker
 * tests use, a trace in a temporary file and its session records read back,
 * a peer written by hand on a raw stream.
 */
#ifndef XCSIM_BGP_SESS_TESTUTIL_H
#define XCSIM_BGP_SESS_TESTUTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "bgp_speaker_testutil.h"
#include "trace.h"

#define D SIM_MS(1)
/* serialization of an n-byte frame at 1 Gbps */
#define TX(n) ((sim_time)(n) * 8)
/*
 * The active side's Established (test_bgp_speaker.c): SYN, SYN-ACK, ACK
 * with our OPEN, the peer's OPEN and KEEPALIVE: four link delays.
 */
#define T_UP_ACTIVE (4 * D + TX(74) + TX(74) + TX(66) + TX(111) + TX(85))
#define T_UP_PASSIVE (T_UP_ACTIVE + D)

/* A trace to a temporary file. */
struct st_trace {
	char path[64];
	struct trace *tr;
};

static inline void
st_trace_open(struct st_trace *t, struct bs_net *b)
{
	char err[256];
	int fd;

	snprintf(t->path, sizeof(t->path), "/tmp/xcsim_bgpsessXXXXXX");
	fd = mkstemp(t->path);
	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
	t->tr = trace_open(t->path, 0, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(t->tr);
	net_set_trace(b->net, t->tr);
}

static inline void
st_trace_close(struct st_trace *t, struct bs_net *b)
{
	char err[256];

	net_set_trace(b->net, NULL);
	CU_ASSERT_EQUAL_FATAL(trace_close(t->tr, err, sizeof(err)), 0);
}

/*
 * Whether node's trace has a BGP session record "STATE REASON" equal to
 * want (kind 0) or starting with it (kind 2; the trace keeps strings of
 * up to 255 bytes), or an annotation containing want (kind 1), at time at
 * (-1: any); the time of the first match in *when.
 */
static inline bool
st_trace_has(struct st_trace *t, uint32_t node, int kind, const char *want,
    sim_time at, sim_time *when)
{
	struct trace_reader *rd;
	struct trace_rec rec;
	char err[256], got[700];
	bool found = false;

	rd = trace_reader_open(t->path, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
	while (!found && trace_reader_next(rd, &rec, err, sizeof(err)) == 1) {
		if (at >= 0 && rec.t != at)
			continue;
		if (kind != 1 && rec.type == TR_SESSION_STATE &&
		    rec.u.session.proto == TRP_BGP &&
		    rec.u.session.node == node) {
			snprintf(got, sizeof(got), "%s %s",
			    rec.u.session.state, rec.u.session.reason);
			found = kind == 0 ? strcmp(got, want) == 0 :
			    strncmp(got, want, strlen(want)) == 0;
		} else if (kind == 1 && rec.type == TR_ANNOTATE &&
		    rec.u.annotate.node == node) {
			found = strstr(rec.u.annotate.text, want) != NULL;
		}
		if (found && when != NULL)
			*when = rec.t;
	}
	trace_reader_close(rd);
	return found;
}

static inline void
st_trace_done(struct st_trace *t)
{
	unlink(t->path);
}

/*
 * A BGP peer written by hand on a raw stream: OPEN (AS 31898, id 2.2.2.2)
 * and KEEPALIVE once connected, then whatever the test schedules.
 */
struct raw {
	struct stream *s;
	uint8_t in[16384];
	size_t n;
	uint16_t gr_time_s;	/* 0: no GR capability in its OPEN */
};

static inline void
raw_rx(struct stream *s, void *ctx)
{
	struct raw *r = ctx;
	size_t k;

	while ((k = stream_read(s, r->in + r->n, sizeof(r->in) - r->n)) > 0)
		r->n += k;
}

static inline void
raw_connected(struct stream *s, void *ctx)
{
	struct raw *r = ctx;
	struct bgp_msg m;
	uint8_t out[BGP_MAX_LEN];
	size_t n;

	/*
	 * OPEN with enhanced route refresh, hold 0 and, if asked, GR listing
	 * IPv4 unicast with the F bit; then KEEPALIVE
	 */
	memset(&m, 0, sizeof(m));
	m.type = BGP_OPEN;
	bgp_open_init(&m.u.open, 31898, 0, bs_ip("2.2.2.2"));
	if (r->gr_time_s > 0) {
		m.u.open.caps.gr = true;
		m.u.open.caps.gr_time_s = r->gr_time_s;
		m.u.open.caps.n_gr = 1;
		m.u.open.caps.gr_af[0].afi = BGP_AFI_IPV4;
		m.u.open.caps.gr_af[0].safi = BGP_SAFI_UNICAST;
		m.u.open.caps.gr_af[0].flags = 0x80;
	}
	n = bgp_encode(&m, true, out);
	n += bgp_encode_keepalive(out + n);
	stream_send(s, out, n);
}

static inline void
raw_gone(struct stream *s, enum stream_err err, void *ctx)
{
	struct raw *r = ctx;

	(void)s;
	(void)err;
	r->s = NULL;
}

static inline void
raw_closed(struct stream *s, void *ctx)
{
	raw_gone(s, STREAM_OK, ctx);
}

static const struct stream_cb raw_cb = {
	.on_connected = raw_connected,
	.on_receive = raw_rx,
	.on_error = raw_gone,
	.on_closed = raw_closed,
};

struct sendq {
	struct raw *r;
	uint8_t b[BGP_MAX_LEN];
	size_t n;
};

static inline void
send_ev(struct sim *sim, void *arg)
{
	struct sendq *q = arg;

	(void)sim;
	if (q->r->s != NULL)
		stream_send(q->r->s, q->b, q->n);
}

static inline void
emit_to(const uint8_t *msg, size_t len, void *arg)
{
	struct sendq *q = arg;

	memcpy(q->b + q->n, msg, len);
	q->n += len;
}

/* An UPDATE from AS 31898 via 10.0.0.2 for n /24s from 172.16.0.0. */
static inline void
q_update(struct sendq *q, unsigned first, unsigned n)
{
	struct bgp_attrs a;
	struct bgp_attrs_var v;
	struct bgp_attrs *ia;
	struct bgp_prefix4 pf[4];
	uint32_t path[2] = { BGP_SEG(BGP_SEG_SEQUENCE, 1), 31898 };
	unsigned i;

	memset(&a, 0, sizeof(a));
	memset(&v, 0, sizeof(v));
	a.has = BGP_HAS(BGP_ATTR_ORIGIN) | BGP_HAS(BGP_ATTR_AS_PATH) |
	    BGP_HAS(BGP_ATTR_NEXT_HOP);
	a.next_hop = bs_ip("10.0.0.2");
	v.path = path;
	v.path_len = 2;
	ia = bgp_attrs_new(&a, &v);
	for (i = 0; i < n; i++) {
		pf[i].addr = bs_ip("172.16.0.0") + ((first + i) << 8);
		pf[i].len = 24;
	}
	CU_ASSERT_EQUAL(bgp_pack_announce(ia, true, pf, n, emit_to, q), 1);
	free(ia);
}

static inline void
q_refresh(struct sendq *q, uint8_t subtype, size_t len)
{
	struct bgp_msg m;
	uint8_t *o = q->b + q->n;

	memset(&m, 0, sizeof(m));
	m.type = BGP_ROUTE_REFRESH;
	m.u.refresh.afi = BGP_AFI_IPV4;
	m.u.refresh.safi = BGP_SAFI_UNICAST;
	m.u.refresh.subtype = subtype;
	CU_ASSERT_EQUAL(bgp_encode(&m, true, o), BGP_REFRESH_LEN);
	if (len != BGP_REFRESH_LEN) {
		memset(o + BGP_REFRESH_LEN, 0, len - BGP_REFRESH_LEN);
		o[16] = 0;
		o[17] = (uint8_t)len;
	}
	q->n += len;
}

/* The raw peer connects from node n to dst:179. */
static inline void
raw_connect(struct raw *r, struct node *n, const char *dst)
{
	struct stream_addr ra = { 0, BGP_PORT };
	struct stream_opts o;

	memset(&o, 0, sizeof(o));
	o.nodelay = 1;
	ra.addr = bs_ip(dst);
	r->n = 0;
	r->s = stream_connect(tcp_stack_host(tcp_stack_get(n)), &ra, &o,
	    &raw_cb, r);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r->s);
}

static inline void
raw_at(struct bs_net *b, sim_time t, struct sendq *q)
{
	sim_schedule_at(b->sim, t, send_ev, q);
}


#endif
