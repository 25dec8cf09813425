/*
 * test_emu_sock.c - the stream API's socket backend (stream_sock.h) on its
 * own and under the BGP speaker, in a network namespace of the test's own
 * (addresses 127.0.0.x on its lo):
 *  - callbacks run inside simulation events at now(), never from a
 *    watcher: driven by hand with a fixed now(), exact simulated times;
 *  - bytes both ways, on_sent, a graceful close (on_closed), an abort seen
 *    as a reset by the peer, a refused connect;
 *  - two simulated speakers peering over real sockets, with MD5 keys that
 *    match (up) and differ (down), GTSM on both ends (up) and on one only
 *    (down);
 *  - a raw BGP peer over a real socket sends malformed messages and gets
 *    the right NOTIFICATION, checked byte for byte;
 *  - the emulation tests' sweep of stale temporary folders (a SIGKILLed
 *    test's): dead or reused owners and old owner-less folders go, live and
 *    fresh ones, links and other names stay, and a link inside is removed,
 *    not followed.
 */
#define _GNU_SOURCE	/* unshare */
#include <arpa/inet.h>
#include <ev.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>

#include "emu/emu_testutil.h"

#define SOCK_IDX 105

static uint32_t
ip(const char *s)
{
	uint32_t a = 0;

	CU_ASSERT_EQUAL_FATAL(wire_ip_parse(s, &a), 0);
	return a;
}

/* ---- the backend alone, driven by hand ---- */

struct hand {
	struct sim *sim;
	struct ev_loop *loop;
	sim_time now;			/* what now() says */
	struct stream_host *h;
};

static sim_time
hand_now(void *ctx)
{
	return ((struct hand *)ctx)->now;
}

struct probe {
	struct sim *sim;
	struct stream *s;
	int connected, received, closed, errors;
	enum stream_err err;
	size_t freed;
	sim_time t_connected, t_received, t_closed, t_error;
	char buf[256];
	size_t len;
	bool eof;
};

static void
p_connected(struct stream *s, void *ctx)
{
	struct probe *p = ctx;

	(void)s;
	p->connected++;
	p->t_connected = sim_now(p->sim);
}

static void
p_receive(struct stream *s, void *ctx)
{
	struct probe *p = ctx;

	p->received++;
	p->t_received = sim_now(p->sim);
	p->len += stream_read(s, p->buf + p->len, sizeof(p->buf) - p->len);
	p->eof = stream_eof(s);
}

static void
p_sent(struct stream *s, size_t freed, void *ctx)
{
	(void)s;
	((struct probe *)ctx)->freed += freed;
}

static void
p_closed(struct stream *s, void *ctx)
{
	struct probe *p = ctx;

	(void)s;
	p->closed++;
	p->t_closed = sim_now(p->sim);
	p->s = NULL;
}

static void
p_error(struct stream *s, enum stream_err e, void *ctx)
{
	struct probe *p = ctx;

	(void)s;
	p->errors++;
	p->err = e;
	p->t_error = sim_now(p->sim);
	p->s = NULL;
}

static const struct stream_cb probe_cb = {
	p_connected, p_receive, p_sent, p_closed, p_error,
};

static struct probe accepted;

static void
on_accept(struct stream_listener *l, struct stream *s, void *ctx)
{
	(void)l;
	(void)ctx;
	accepted.s = s;
	stream_set_cb(s, &probe_cb, &accepted);
}

/* Let the kernel work, and the watchers record it, without any event. */
static void
hand_io(struct hand *x)
{
	int i;

	for (i = 0; i < 20; i++) {
		usleep(2000);
		ev_run(x->loop, EVRUN_NOWAIT);
	}
}

static void
test_sock_events_at_now(void)
{
	struct hand x;
	struct stream_sock_cfg c;
	struct stream_addr la = { 0, 7000 }, ra = { ip("127.0.0.11"), 7000 };
	struct stream_listener *l;
	struct probe cp;
	char err[128];

	memset(&x, 0, sizeof(x));
	memset(&cp, 0, sizeof(cp));
	memset(&accepted, 0, sizeof(accepted));
	x.sim = sim_new(1);
	x.loop = ev_loop_new(EVFLAG_AUTO);
	cp.sim = accepted.sim = x.sim;
	memset(&c, 0, sizeof(c));
	c.bind_addr = ip("127.0.0.11");
	x.h = stream_sock_host_new(x.sim, x.loop, hand_now, &x, &c, err,
	    sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(x.h);
	l = stream_listen(x.h, &la, NULL, on_accept, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(l);
	cp.s = stream_connect(x.h, &ra, NULL, &probe_cb, &cp);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cp.s);
	/* queued before the connect completes */
	CU_ASSERT_EQUAL(stream_send(cp.s, "hello", 5), 5);
	x.now = SIM_MS(5);
	hand_io(&x);
	/* the kernel connected and accepted; nobody was told yet */
	CU_ASSERT_EQUAL(cp.connected, 0);
	CU_ASSERT_PTR_NULL(accepted.s);
	CU_ASSERT(sim_pending(x.sim) >= 2);
	sim_run(x.sim);
	CU_ASSERT_EQUAL(cp.connected, 1);
	CU_ASSERT_EQUAL(cp.t_connected, SIM_MS(5));
	CU_ASSERT_PTR_NOT_NULL_FATAL(accepted.s);
	CU_ASSERT_EQUAL(sim_now(x.sim), SIM_MS(5));
	/* the bytes arrive later, and are seen at that event only */
	x.now = SIM_MS(9);
	hand_io(&x);
	CU_ASSERT_EQUAL(accepted.received, 0);
	CU_ASSERT_EQUAL(stream_readable(accepted.s), 0);
	sim_run(x.sim);
	CU_ASSERT_EQUAL(accepted.received, 1);
	CU_ASSERT_EQUAL(accepted.t_received, SIM_MS(9));
	CU_ASSERT_EQUAL(accepted.len, 5);
	CU_ASSERT_EQUAL(memcmp(accepted.buf, "hello", 5), 0);
	CU_ASSERT_EQUAL(cp.freed, 5);	/* the kernel took them */
	/* and back, then a graceful close from the connecting side */
	CU_ASSERT_EQUAL(stream_send(accepted.s, "world!", 6), 6);
	stream_close(cp.s);
	x.now = SIM_MS(12);
	hand_io(&x);
	sim_run(x.sim);
	/* close discards what arrives after it: the accepted side saw FIN */
	CU_ASSERT_EQUAL(cp.len, 0);
	CU_ASSERT(accepted.eof);
	x.now = SIM_MS(20);
	stream_close(accepted.s);
	hand_io(&x);
	sim_run(x.sim);
	CU_ASSERT_EQUAL(cp.closed, 1);
	/* the closing side is done when the peer's FIN came */
	CU_ASSERT_EQUAL(cp.t_closed, SIM_MS(20));
	CU_ASSERT_EQUAL(accepted.closed, 1);
	CU_ASSERT_EQUAL(accepted.t_closed, SIM_MS(20));
	CU_ASSERT_EQUAL(cp.errors + accepted.errors, 0);
	/* a refused connect: nobody on 7001 */
	memset(&cp, 0, sizeof(cp));
	cp.sim = x.sim;
	ra.port = 7001;
	cp.s = stream_connect(x.h, &ra, NULL, &probe_cb, &cp);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cp.s);
	x.now = SIM_MS(30);
	hand_io(&x);
	sim_run(x.sim);
	CU_ASSERT_EQUAL(cp.errors, 1);
	CU_ASSERT_EQUAL(cp.err, STREAM_REFUSED);
	CU_ASSERT_EQUAL(cp.t_error, SIM_MS(30));
	/* an abort is a reset at the peer */
	memset(&cp, 0, sizeof(cp));
	memset(&accepted, 0, sizeof(accepted));
	cp.sim = accepted.sim = x.sim;
	ra.port = 7000;
	cp.s = stream_connect(x.h, &ra, NULL, &probe_cb, &cp);
	x.now = SIM_MS(40);
	hand_io(&x);
	sim_run(x.sim);
	CU_ASSERT_PTR_NOT_NULL_FATAL(accepted.s);
	stream_abort(cp.s);
	x.now = SIM_MS(50);
	hand_io(&x);
	sim_run(x.sim);
	CU_ASSERT_EQUAL(accepted.errors, 1);
	CU_ASSERT_EQUAL(accepted.err, STREAM_RESET);
	CU_ASSERT_EQUAL(accepted.t_error, SIM_MS(50));
	/* released before it even connected: the bytes still go, then FIN */
	memset(&cp, 0, sizeof(cp));
	memset(&accepted, 0, sizeof(accepted));
	cp.sim = accepted.sim = x.sim;
	cp.s = stream_connect(x.h, &ra, NULL, &probe_cb, &cp);
	CU_ASSERT_EQUAL(stream_send(cp.s, "bye", 3), 3);
	stream_release(cp.s);
	x.now = SIM_MS(60);
	hand_io(&x);
	sim_run(x.sim);
	hand_io(&x);
	sim_run(x.sim);
	CU_ASSERT_EQUAL(cp.connected + cp.closed + cp.errors, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(accepted.s);
	CU_ASSERT_EQUAL(accepted.len, 3);
	CU_ASSERT_EQUAL(memcmp(accepted.buf, "bye", 3), 0);
	CU_ASSERT(accepted.eof);
	stream_abort(accepted.s);
	stream_unlisten(l);
	CU_ASSERT_EQUAL(stream_sock_host_sockets(x.h), 0);
	stream_sock_host_free(x.h);
	ev_loop_destroy(x.loop);
	sim_free(x.sim);
}

/* ---- two simulated speakers over real sockets ---- */

struct pair {
	struct sim *sim;
	struct net *net;
	struct rt *rt;
	struct node *n[2];
	struct stream_host *h[2];
	struct bgp_speaker *sp[2];
	uint32_t a[2];
};

static sim_time
pair_now(void *ctx)
{
	return rt_now(ctx);
}

static void
pair_new(struct pair *p, const char *key0, const char *key1, uint8_t gtsm0,
    uint8_t gtsm1)
{
	static const char *const addr[2] = { "127.0.0.11", "127.0.0.12" };
	const char *key[2] = { key0, key1 };
	uint8_t gtsm[2] = { gtsm0, gtsm1 };
	struct stream_sock_cfg sc;
	struct bgp_speaker_cfg c;
	struct bgp_neighbor_cfg nc;
	struct rt_cfg rc;
	char err[256] = "", name[8];
	int i;

	memset(p, 0, sizeof(*p));
	p->sim = sim_new(1);
	p->net = net_new(p->sim);
	memset(&rc, 0, sizeof(rc));
	p->rt = rt_new(p->sim, &rc, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(p->rt);
	for (i = 0; i < 2; i++) {
		p->a[i] = ip(addr[i]);
		snprintf(name, sizeof(name), "r%d", i);
		p->n[i] = net_add_node(p->net, name, "router", NULL, NULL);
		node_add_iface(p->n[i], "lo", NULL, p->a[i], 8, 0);
		memset(&sc, 0, sizeof(sc));
		sc.bind_addr = p->a[i];
		p->h[i] = stream_sock_host_new(p->sim, rt_loop(p->rt),
		    pair_now, p->rt, &sc, err, sizeof(err));
		bgp_speaker_cfg_init(&c, i == 0 ? EMU_MSEE_AS : EMU_PEER_AS,
		    p->a[i]);
		c.host = p->h[i];
		p->sp[i] = bgp_speaker_new(p->n[i], &c, err, sizeof(err));
		CU_ASSERT_PTR_NOT_NULL_FATAL(p->sp[i]);
	}
	for (i = 0; i < 2; i++) {
		bgp_neighbor_cfg_init(&nc, p->a[1 - i], i == 0 ? EMU_PEER_AS :
		    EMU_MSEE_AS);
		nc.fsm = &bgp_fsm_msee_cfg;
		snprintf(nc.md5_key, sizeof(nc.md5_key), "%s", key[i]);
		nc.gtsm_hops = gtsm[i];
		CU_ASSERT_EQUAL_FATAL(bgp_speaker_add_neighbor(p->sp[i], &nc,
		    err, sizeof(err)), 0);
	}
	CU_ASSERT_EQUAL(bgp_speaker_add_network(p->sp[1], 0x0a0b0000, 16), 0);
	for (i = 0; i < 2; i++)
		CU_ASSERT_EQUAL_FATAL(bgp_speaker_start(p->sp[i], err,
		    sizeof(err)), 0);
}

static void
pair_free(struct pair *p)
{
	int i;

	for (i = 0; i < 2; i++) {
		bgp_speaker_free(p->sp[i]);
		CU_ASSERT_EQUAL(stream_sock_host_sockets(p->h[i]), 0);
		stream_sock_host_free(p->h[i]);
	}
	rt_free(p->rt);
	tcp_stacks_free(p->net);
	net_free(p->net);
	sim_free(p->sim);
}

/* Run in real time for wall seconds (50 ms steps) or until up. */
static bool
pair_up(struct pair *p, double secs)
{
	double end = emu_wall() + secs;

	while (emu_wall() < end) {
		if (bgp_speaker_peer_state(p->sp[0], p->a[1]) ==
		    BGP_ST_ESTABLISHED &&
		    bgp_speaker_peer_in(p->sp[0], p->a[1]) == 1)
			return true;
		CU_ASSERT_EQUAL_FATAL(rt_run(p->rt, sim_now(p->sim) +
		    SIM_MS(50), NULL), RT_DONE);
	}
	return false;
}

static void
test_sock_speakers_md5_gtsm(void)
{
	struct pair p;
	const struct rib_nhg *g;

	pair_new(&p, "xcsim-md5", "xcsim-md5", 0, 0);
	CU_ASSERT(pair_up(&p, 10));
	g = rib_lookup(node_rib(p.n[0], 0), ip("10.11.1.1"));
	CU_ASSERT_FATAL(g != NULL && g->n == 1);
	CU_ASSERT_EQUAL(g->nh[0].via, p.a[1]);
	pair_free(&p);

	/* keys differ: TCP drops every segment, nothing comes up */
	pair_new(&p, "xcsim-md5", "other-key", 0, 0);
	CU_ASSERT_FALSE(pair_up(&p, 3));
	CU_ASSERT_NOT_EQUAL(bgp_speaker_peer_state(p.sp[1], p.a[0]),
	    BGP_ST_ESTABLISHED);
	pair_free(&p);

	/* GTSM both ends (TTL 255, IP_MINTTL 255) */
	pair_new(&p, "", "", 1, 1);
	CU_ASSERT(pair_up(&p, 10));
	pair_free(&p);

	/* GTSM on the listener only: the peer's TTL 1 is below 255 */
	pair_new(&p, "", "", 1, 0);
	CU_ASSERT_FALSE(pair_up(&p, 3));
	pair_free(&p);
}

/* ---- a raw BGP peer over a real socket ---- */

struct raw {
	int fd;
	uint8_t in[4096];
	size_t len;
	bool eof;
};

static void
raw_poll(struct raw *r)
{
	ssize_t n;

	while (r->len < sizeof(r->in)) {
		n = recv(r->fd, r->in + r->len, sizeof(r->in) - r->len,
		    MSG_DONTWAIT);
		if (n > 0) {
			r->len += (size_t)n;
			continue;
		}
		if (n == 0)
			r->eof = true;
		break;
	}
}

static void
raw_send(struct raw *r, const uint8_t *m, size_t len)
{
	CU_ASSERT_EQUAL(send(r->fd, m, len, MSG_NOSIGNAL), (ssize_t)len);
}

/* The header: marker, length, type. */
static size_t
raw_hdr(uint8_t *m, size_t len, uint8_t type)
{
	memset(m, 0xff, 16);
	m[16] = (uint8_t)(len >> 8);
	m[17] = (uint8_t)len;
	m[18] = type;
	return len;
}

/* Run until the raw peer holds want bytes (or the peer closed). */
static void
raw_wait(struct emu_sim *s, struct raw *r, size_t want, double secs)
{
	double end = emu_wall() + secs;

	while (emu_wall() < end && r->len < want && !r->eof) {
		CU_ASSERT_EQUAL_FATAL(rt_run(s->rt, sim_now(s->sim) +
		    SIM_MS(20), NULL), RT_DONE);
		raw_poll(r);
	}
}

/*
 * A speaker (AS 12076, active neighbour 127.0.0.13 of AS 65013) and a raw
 * peer established with it; the raw buffer is empty after.
 */
static void
raw_up(struct emu_sim *s, struct raw *r)
{
	static const uint8_t open_body[] = {
		4, 0xfd, 0xf5, 0, 90, 127, 0, 0, 13,	/* AS 65013, hold 90 */
		16, 2, 14,
		1, 4, 0, 1, 0, 1,			/* IPv4 unicast */
		65, 4, 0, 0, 0xfd, 0xf5,		/* 4-octet AS */
		2, 0,					/* route refresh */
	};
	struct stream_sock_cfg sc;
	struct bgp_speaker_cfg c;
	struct bgp_neighbor_cfg nc;
	struct sockaddr_in sin;
	struct rt_cfg rc;
	uint8_t m[128];
	char err[256] = "";
	size_t n;

	memset(s, 0, sizeof(*s));
	s->sim = sim_new(1);
	s->net = net_new(s->sim);
	s->node = net_add_node(s->net, "msee", "router", NULL, NULL);
	node_add_iface(s->node, "lo", NULL, ip("127.0.0.11"), 8, 0);
	memset(&rc, 0, sizeof(rc));
	s->rt = rt_new(s->sim, &rc, err, sizeof(err));
	memset(&sc, 0, sizeof(sc));
	sc.bind_addr = ip("127.0.0.11");
	s->host = stream_sock_host_new(s->sim, rt_loop(s->rt), emu_now, s->rt,
	    &sc, err, sizeof(err));
	bgp_speaker_cfg_init(&c, EMU_MSEE_AS, ip("127.0.0.11"));
	c.host = s->host;
	s->sp = bgp_speaker_new(s->node, &c, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(s->sp);
	bgp_neighbor_cfg_init(&nc, ip("127.0.0.13"), 65013);
	nc.fsm = &bgp_fsm_msee_cfg;
	/*
	 * Active, as an MSEE is: its connect to 127.0.0.13:179, where nothing
	 * listens, is refused before we connect; connect_fail_active (the
	 * preset's) keeps it accepting (docs/emulation-bgp.md).
	 */
	CU_ASSERT_TRUE(nc.fsm->connect_fail_active);
	CU_ASSERT_EQUAL_FATAL(bgp_speaker_add_neighbor(s->sp, &nc, err,
	    sizeof(err)), 0);
	CU_ASSERT_EQUAL_FATAL(bgp_speaker_start(s->sp, err, sizeof(err)), 0);

	memset(r, 0, sizeof(*r));
	r->fd = socket(AF_INET, SOCK_STREAM, 0);
	CU_ASSERT_FATAL(r->fd >= 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(ip("127.0.0.13"));
	CU_ASSERT_EQUAL_FATAL(bind(r->fd, (struct sockaddr *)&sin,
	    sizeof(sin)), 0);
	sin.sin_addr.s_addr = htonl(ip("127.0.0.11"));
	sin.sin_port = htons(179);
	CU_ASSERT_EQUAL_FATAL(connect(r->fd, (struct sockaddr *)&sin,
	    sizeof(sin)), 0);
	n = raw_hdr(m, 19 + sizeof(open_body), 1);
	memcpy(m + 19, open_body, sizeof(open_body));
	raw_send(r, m, n);
	/* the speaker's OPEN, then its KEEPALIVE */
	raw_wait(s, r, 19, 5);
	CU_ASSERT_FATAL(r->len >= 19 && r->in[18] == 1);
	n = (size_t)r->in[16] << 8 | r->in[17];
	raw_wait(s, r, n + 19, 5);
	CU_ASSERT_FATAL(r->len >= n + 19);
	CU_ASSERT_EQUAL(r->in[n + 18], 4);
	/* the OPEN's AS field: AS_TRANS-free 12076, hold 180 */
	CU_ASSERT_EQUAL(r->in[20] << 8 | r->in[21], EMU_MSEE_AS);
	CU_ASSERT_EQUAL(r->in[22] << 8 | r->in[23], 180);
	raw_send(r, m, raw_hdr(m, 19, 4));
	r->len = 0;
	emu_run_until(s, NULL, NULL, 0.3);
	CU_ASSERT_EQUAL_FATAL(bgp_speaker_peer_state(s->sp, ip("127.0.0.13")),
	    BGP_ST_ESTABLISHED);
	raw_poll(r);
	r->len = 0;	/* End-of-RIB and the like */
}

/* Send m, expect exactly the NOTIFICATION want (with its header). */
static void
raw_expect(const uint8_t *m, size_t mlen, const uint8_t *want, size_t wlen)
{
	struct emu_sim s;
	struct raw r;
	uint8_t hdr[19];
	size_t off = 0;

	raw_up(&s, &r);
	raw_send(&r, m, mlen);
	raw_wait(&s, &r, 4096, 3);
	CU_ASSERT(r.eof);	/* the speaker closed after it */
	/* skip KEEPALIVEs and UPDATEs sent before the error */
	while (off + 19 <= r.len && r.in[off + 18] != 3)
		off += (size_t)r.in[off + 16] << 8 | r.in[off + 17];
	raw_hdr(hdr, 19 + wlen, 3);
	CU_ASSERT_EQUAL_FATAL(r.len, off + 19 + wlen);
	CU_ASSERT_EQUAL(memcmp(r.in + off, hdr, 19), 0);
	CU_ASSERT_EQUAL(memcmp(r.in + off + 19, want, wlen), 0);
	CU_ASSERT_NOT_EQUAL(bgp_speaker_peer_state(s.sp, ip("127.0.0.13")),
	    BGP_ST_ESTABLISHED);
	close(r.fd);
	emu_sim_free(&s);
}

static void
test_sock_malformed(void)
{
	uint8_t m[64];
	size_t n;

	/* a length below the header's: 1/2 with the length field */
	n = raw_hdr(m, 18, 4);
	raw_expect(m, 19, (const uint8_t []){ 1, 2, 0, 18 }, 4);
	/* an unknown type 9: 1/3 with the type */
	n = raw_hdr(m, 19, 9);
	raw_expect(m, n, (const uint8_t []){ 1, 3, 9 }, 3);
	/* a marker not all ones: 1/1 */
	n = raw_hdr(m, 19, 4);
	m[3] = 0;
	raw_expect(m, n, (const uint8_t []){ 1, 1 }, 2);
	/*
	 * An UPDATE whose total path attribute length runs past the
	 * message: Malformed Attribute List, 3/1 (RFC 7606 keeps the
	 * session reset for this one).
	 */
	n = raw_hdr(m, 19 + 4 + 3, 2);
	memcpy(m + 19, (const uint8_t []){ 0, 0, 0, 40, 0x40, 1, 1 }, 7);
	raw_expect(m, n, (const uint8_t []){ 3, 1 }, 2);
}

/* dir/name as a folder (owner: "PID START", NULL: none); its path. */
static const char *
fake_tmp(char *path, size_t len, const char *name, const char *owner)
{
	char f[400];
	FILE *o;

	snprintf(path, len, "%s/%s", emu_env()->dir, name);
	CU_ASSERT_EQUAL_FATAL(mkdir(path, 0700), 0);
	if (owner != NULL) {
		snprintf(f, sizeof(f), "%s/owner", path);
		CU_ASSERT_PTR_NOT_NULL_FATAL(o = fopen(f, "w"));
		fprintf(o, "%s\n", owner);
		fclose(o);
	}
	return path;
}

static void
test_sweep_stale(void)
{
	char p[300], q[400], own[64], keep[300];
	struct timeval old[2];
	pid_t dead;
	int st;
	FILE *f;

	/* a dead owner: a child that exited and was reaped */
	dead = fork();
	CU_ASSERT_FATAL(dead >= 0);
	if (dead == 0)
		_exit(0);
	CU_ASSERT_FATAL(waitpid(dead, &st, 0) == dead);
	/* a file outside, reached by a link from a stale folder */
	snprintf(keep, sizeof(keep), "%s/keep", emu_env()->dir);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f = fopen(keep, "w"));
	fclose(f);

	snprintf(own, sizeof(own), "%d 1", (int)dead);
	fake_tmp(p, sizeof(p), EMU_TMP_PREFIX "-dead-a", own);
	snprintf(q, sizeof(q), "%s/sub", p);
	CU_ASSERT_EQUAL(mkdir(q, 0700), 0);
	snprintf(q, sizeof(q), "%s/sub/link", p);
	CU_ASSERT_EQUAL(symlink(keep, q), 0);
	/* this process's pid, another start time: a reused pid */
	snprintf(own, sizeof(own), "%d %llu", (int)getpid(),
	    emu_pid_start(getpid()) + 1);
	fake_tmp(p, sizeof(p), EMU_TMP_PREFIX "-reused-a", own);
	/* this process, itself: running */
	snprintf(own, sizeof(own), "%d %llu", (int)getpid(),
	    emu_pid_start(getpid()));
	fake_tmp(p, sizeof(p), EMU_TMP_PREFIX "-live-a", own);
	/* no owner: by age */
	fake_tmp(p, sizeof(p), EMU_TMP_PREFIX "-old-a", NULL);
	memset(old, 0, sizeof(old));
	old[0].tv_sec = old[1].tv_sec = time(NULL) - EMU_STALE_S - 60;
	CU_ASSERT_EQUAL(utimes(p, old), 0);
	fake_tmp(p, sizeof(p), EMU_TMP_PREFIX "-new-a", NULL);
	/* a link by the name, to an old folder; another name, dead owner */
	fake_tmp(p, sizeof(p), "other-old", NULL);
	CU_ASSERT_EQUAL(utimes(p, old), 0);
	snprintf(q, sizeof(q), "%s/" EMU_TMP_PREFIX "-link-a",
	    emu_env()->dir);
	CU_ASSERT_EQUAL(symlink(p, q), 0);
	snprintf(own, sizeof(own), "%d 1", (int)dead);
	fake_tmp(p, sizeof(p), "xcsim-other-a", own);

	CU_ASSERT_EQUAL(emu_sweep_stale(emu_env()->dir), 3);
#define GONE(n) (snprintf(q, sizeof(q), "%s/%s", emu_env()->dir, n), \
	    access(q, F_OK) != 0 && errno == ENOENT)
	CU_ASSERT_TRUE(GONE(EMU_TMP_PREFIX "-dead-a"));
	CU_ASSERT_TRUE(GONE(EMU_TMP_PREFIX "-reused-a"));
	CU_ASSERT_TRUE(GONE(EMU_TMP_PREFIX "-old-a"));
	CU_ASSERT_FALSE(GONE(EMU_TMP_PREFIX "-live-a"));
	CU_ASSERT_FALSE(GONE(EMU_TMP_PREFIX "-new-a"));
	CU_ASSERT_FALSE(GONE(EMU_TMP_PREFIX "-link-a"));
	CU_ASSERT_FALSE(GONE("other-old"));
	CU_ASSERT_FALSE(GONE("xcsim-other-a"));
	CU_ASSERT_FALSE(GONE("keep"));
#undef GONE
	/* this run's own folder is owned by this process: kept */
	CU_ASSERT_FALSE(emu_tmp_stale(emu_env()->dir, &(struct stat){ 0 }));
}

static const struct test_case cases[] = {
	{ "callbacks in events at now()", test_sock_events_at_now },
	{ "speakers over sockets: MD5, GTSM", test_sock_speakers_md5_gtsm },
	{ "raw peer: malformed messages", test_sock_malformed },
	{ "stale temporary folders swept", test_sweep_stale },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	int r;

	if ((r = emu_prepare(SOCK_IDX, "sock")) != 0)
		return r;
	return test_main(argc, argv, "emu_sock", cases);
}
