/*
 * stream_sock.c - the stream API over the host's real TCP sockets
 * (stream_sock.h): the host, and streams: non-blocking sockets, ev_io
 * watchers that only record what the kernel did, and one simulation event
 * per stream that hands it to the user at the simulated time it happened.
 * Listeners are in stream_sock_lst.c.
 */
#include <errno.h>
#include <ev.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sim.h"
#include "stream_sock.h"
#include "stream_sock_int.h"
#include "util.h"

/* ---- helpers ---- */

sim_time
ss_at_now(struct sock_host *h)
{
	sim_time n = sim_now(h->sim), t = h->now != NULL ?
	    h->now(h->now_ctx) : n;

	return t < n ? n : t;
}

static enum stream_err
map_errno(int e)
{
	switch (e) {
	case ECONNREFUSED:
		return STREAM_REFUSED;
	case ECONNRESET:
	case EPIPE:
		return STREAM_RESET;
	case ETIMEDOUT:
		return STREAM_TIMEDOUT;
	default:
		return STREAM_UNREACHABLE;
	}
}

void
ss_sin_of(struct sockaddr_in *sin, uint32_t addr, uint16_t port)
{
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(addr);
	sin->sin_port = htons(port);
}

void
ss_addr_of(int fd, bool peer, struct stream_addr *a)
{
	struct sockaddr_in sin;
	socklen_t sl = sizeof(sin);
	int r;

	memset(&sin, 0, sizeof(sin));
	r = peer ? getpeername(fd, (struct sockaddr *)&sin, &sl) :
	    getsockname(fd, (struct sockaddr *)&sin, &sl);
	if (r != 0) {
		a->addr = 0;
		a->port = 0;
		return;
	}
	a->addr = ntohl(sin.sin_addr.s_addr);
	a->port = ntohs(sin.sin_port);
}

int
ss_set_int(int fd, int level, int opt, int v)
{
	return setsockopt(fd, level, opt, &v, sizeof(v));
}

/* IP_TTL 0 means the system's default (-1 to the kernel). */
int
ss_apply_ttl(int fd, uint8_t ttl, uint8_t min_ttl)
{
	if (ss_set_int(fd, IPPROTO_IP, IP_TTL, ttl == 0 ? -1 : ttl) != 0)
		return -1;
	return ss_set_int(fd, IPPROTO_IP, IP_MINTTL, min_ttl);
}

int
ss_apply_md5(int fd, uint32_t peer, const uint8_t *key, uint8_t keylen)
{
	struct tcp_md5sig m;
	struct sockaddr_in sin;

	if (keylen > STREAM_MD5_KEY_MAX || keylen > TCP_MD5SIG_MAXKEYLEN)
		return -1;
	memset(&m, 0, sizeof(m));
	ss_sin_of(&sin, peer, 0);
	memcpy(&m.tcpm_addr, &sin, sizeof(sin));
	m.tcpm_keylen = keylen;
	if (keylen > 0)
		memcpy(m.tcpm_key, key, keylen);
	if (setsockopt(fd, IPPROTO_TCP, TCP_MD5SIG, &m, sizeof(m)) == 0)
		return 0;
	/* removing a key that was never set is not an error */
	return keylen == 0 && errno == ENOENT ? 0 : -1;
}

/* The options every socket of the host gets, and those of o. */
int
ss_setup(struct sock_host *h, int fd, int nodelay, uint32_t rcvbuf)
{
	if (h->dev[0] != '\0' && setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE,
	    h->dev, (socklen_t)strlen(h->dev)) != 0)
		return -1;
	if (nodelay != 0 && ss_set_int(fd, IPPROTO_TCP, TCP_NODELAY,
	    nodelay > 0) != 0)
		return -1;
	if (rcvbuf != 0 && ss_set_int(fd, SOL_SOCKET, SO_RCVBUF, (int)rcvbuf) != 0)
		return -1;
	return 0;
}

/* ---- streams: life ---- */

static void deliver(struct sim *sim, void *arg);

static void
sched(struct sock_stream *s)
{
	struct sock_host *h = s->h;

	if (s->released || sim_is_pending(h->sim, s->ev))
		return;
	s->ev = sim_schedule_at(h->sim, ss_at_now(h), deliver, s);
}

struct sock_stream *
ss_stream_new(struct sock_host *h, int fd, uint32_t sndbuf, uint32_t rcvbuf)
{
	struct sock_stream *s = xcalloc(1, sizeof(*s));

	s->base.ops = &stream_sock_ops;
	s->h = h;
	s->fd = fd;
	s->scap = sndbuf != 0 ? sndbuf : h->sndbuf;
	s->sbuf = xmalloc(s->scap);
	s->rmax = rcvbuf > SOCK_RCV_MIN ? rcvbuf : SOCK_RCV_MIN;
	s->next = h->streams;
	if (h->streams != NULL)
		h->streams->prev = s;
	h->streams = s;
	h->n_sockets++;
	return s;
}

static void stream_rx_cb(struct ev_loop *loop, ev_io *w, int revents);
static void stream_tx_cb(struct ev_loop *loop, ev_io *w, int revents);

void
ss_watchers_init(struct sock_stream *s)
{
	ev_io_init(&s->rio, stream_rx_cb, s->fd, EV_READ);
	s->rio.data = s;
	ev_io_init(&s->wio, stream_tx_cb, s->fd, EV_WRITE);
	s->wio.data = s;
}

/* Close the socket (with a reset if abort) and stop its watchers. */
static void
stream_close_fd(struct sock_stream *s, bool abort)
{
	struct linger lg = { 1, 0 };

	if (s->fd < 0)
		return;
	ev_io_stop(s->h->loop, &s->rio);
	ev_io_stop(s->h->loop, &s->wio);
	if (abort)
		setsockopt(s->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(s->fd);
	s->fd = -1;
	s->h->n_sockets--;
}

static void
stream_free(struct sock_stream *s)
{
	struct sock_host *h = s->h;

	if (s->in_dispatch) {
		s->dead = true;
		return;
	}
	stream_close_fd(s, true);
	sim_cancel(h->sim, s->ev);
	if (s->prev != NULL)
		s->prev->next = s->next;
	else
		h->streams = s->next;
	if (s->next != NULL)
		s->next->prev = s->prev;
	free(s->sbuf);
	free(s->rbuf);
	free(s);
}

/* ---- streams: the kernel's side (watchers) ---- */

static void
tx_fail(struct sock_stream *s, int e)
{
	s->err = e;
	ev_io_stop(s->h->loop, &s->rio);
	ev_io_stop(s->h->loop, &s->wio);
	if (s->released)
		stream_free(s);
	else
		sched(s);
}

/* Write what the kernel takes; send the FIN once everything is out. */
static void
try_write(struct sock_stream *s)
{
	ssize_t n;

	if (s->fd < 0 || s->connecting || s->err != 0)
		return;
	while (s->slen > 0) {
		n = send(s->fd, s->sbuf, s->slen, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			tx_fail(s, errno);
			return;
		}
		memmove(s->sbuf, s->sbuf + n, s->slen - (size_t)n);
		s->slen -= (size_t)n;
		s->freed += (size_t)n;
		s->written += (uint64_t)n;
	}
	if (s->slen > 0) {
		ev_io_start(s->h->loop, &s->wio);
		if (s->freed > 0)
			sched(s);
		return;
	}
	ev_io_stop(s->h->loop, &s->wio);
	if (s->released) {
		/* close() finishes the connection in the kernel */
		stream_close_fd(s, false);
		stream_free(s);
		return;
	}
	if (s->wr_closed && !s->fin_sent) {
		shutdown(s->fd, SHUT_WR);
		s->fin_sent = true;
		if (s->closing && s->rx_fin)
			sched(s);
	}
	if (s->freed > 0)
		sched(s);
}

static void
rx_grow(struct sock_stream *s)
{
	if (s->rhead > 0 && s->rhead + s->rlen == s->rcap) {
		memmove(s->rbuf, s->rbuf + s->rhead, s->rlen);
		s->rhead = 0;
	}
	if (s->rhead + s->rlen == s->rcap) {
		s->rcap = s->rcap == 0 ? 16384 : 2 * s->rcap;
		s->rbuf = xrealloc(s->rbuf, s->rcap);
	}
}

static void
stream_rx_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct sock_stream *s = w->data;
	uint8_t drop[4096];
	ssize_t n;

	(void)revents;
	for (;;) {
		if (s->closing) {
			n = recv(s->fd, drop, sizeof(drop), 0);
		} else {
			if (s->rlen >= s->rmax) {
				ev_io_stop(loop, w);
				s->rx_paused = true;
				break;
			}
			rx_grow(s);
			n = recv(s->fd, s->rbuf + s->rhead + s->rlen,
			    s->rcap - s->rhead - s->rlen, 0);
			if (n > 0)
				s->rlen += (size_t)n;
		}
		if (n > 0)
			continue;
		if (n == 0) {
			s->rx_fin = true;
			ev_io_stop(loop, w);
			break;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK) {
			tx_fail(s, errno);
			return;
		}
		break;
	}
	sched(s);
}

static void
stream_tx_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct sock_stream *s = w->data;
	socklen_t sl = sizeof(int);
	int e = 0;

	(void)loop;
	(void)revents;
	if (!s->connecting) {
		try_write(s);
		return;
	}
	if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &e, &sl) != 0)
		e = errno;
	if (e == EINPROGRESS || e == EALREADY)
		return;
	s->connecting = false;
	ev_io_stop(loop, w);
	if (e != 0) {
		tx_fail(s, e);
		return;
	}
	s->conn_done = true;
	ss_addr_of(s->fd, false, &s->local);
	if (!s->released)
		ev_io_start(loop, &s->rio);
	sched(s);
	try_write(s);	/* a released stream closes once written */
}

/*
 * The user's side of everything the watchers recorded, in the order it
 * happened: connected, bytes taken, bytes (or the FIN) arrived, failure,
 * close finished. A callback may end the stream; nothing runs after that.
 */
static void
deliver(struct sim *sim, void *arg)
{
	struct sock_stream *s = arg;
	enum stream_err e;
	size_t n;

	(void)sim;
	s->ev = (sim_event_id){ 0, 0 };
	s->in_dispatch = true;
	if (s->conn_done && !s->established) {
		s->established = true;
		if (s->cb->on_connected != NULL)
			s->cb->on_connected(&s->base, s->ctx);
		if (s->dead || s->released)
			goto out;
	}
	if (s->freed > 0) {
		n = s->freed;
		s->freed = 0;
		if (s->cb->on_sent != NULL)
			s->cb->on_sent(&s->base, n, s->ctx);
		if (s->dead || s->released)
			goto out;
	}
	if (s->rvis < s->rlen || (s->rx_fin && !s->fin_vis)) {
		s->rvis = s->rlen;
		s->fin_vis = s->rx_fin;
		if (!s->closing && s->cb->on_receive != NULL)
			s->cb->on_receive(&s->base, s->ctx);
		if (s->dead || s->released)
			goto out;
	}
	if (s->err != 0) {
		e = map_errno(s->err);
		s->dead = true;
		if (s->cb->on_error != NULL)
			s->cb->on_error(&s->base, e, s->ctx);
		goto out;
	}
	if (s->closing && s->fin_sent && s->fin_vis) {
		s->dead = true;
		if (s->cb->on_closed != NULL)
			s->cb->on_closed(&s->base, s->ctx);
	}
out:
	s->in_dispatch = false;
	if (s->dead)
		stream_free(s);
}

/* ---- streams: the user's side (stream_ops) ---- */

static struct stream *
sock_connect(struct stream_host *hh, const struct stream_addr *remote,
    const struct stream_opts *o, const struct stream_cb *cb, void *ctx)
{
	struct sock_host *h = (struct sock_host *)hh;
	struct stream_opts none;
	struct sockaddr_in sin;
	struct sock_stream *s;
	uint32_t laddr;
	int fd, r, e;

	if (o == NULL) {
		memset(&none, 0, sizeof(none));
		o = &none;
	}
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return NULL;
	if (ss_setup(h, fd, o->nodelay, o->rcvbuf) != 0 ||
	    ss_apply_ttl(fd, o->ttl, o->min_ttl) != 0 ||
	    (o->cc != NULL && setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION,
	    o->cc, (socklen_t)strlen(o->cc)) != 0) ||
	    (o->md5_keylen > 0 && ss_apply_md5(fd, remote->addr, o->md5_key,
	    o->md5_keylen) != 0))
		goto fail;
	laddr = o->local.addr != 0 ? o->local.addr : h->bind_addr;
	if (laddr != 0 || o->local.port != 0) {
		ss_sin_of(&sin, laddr, o->local.port);
		if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0)
			goto fail;
	}
	ss_sin_of(&sin, remote->addr, remote->port);
	r = connect(fd, (struct sockaddr *)&sin, sizeof(sin));
	e = r == 0 ? 0 : errno;
	if (e != 0 && e != EINPROGRESS && e != ECONNREFUSED)
		goto fail;	/* no route, or no such local address */
	s = ss_stream_new(h, fd, o->sndbuf, o->rcvbuf);
	s->cb = cb;
	s->ctx = ctx;
	s->remote = *remote;
	ss_watchers_init(s);
	ss_addr_of(fd, false, &s->local);
	if (r == 0) {
		s->conn_done = true;
		ev_io_start(h->loop, &s->rio);
		sched(s);
	} else if (e == ECONNREFUSED) {
		s->err = ECONNREFUSED;
		sched(s);
	} else {
		s->connecting = true;
		ev_io_start(h->loop, &s->wio);
	}
	return &s->base;
fail:
	close(fd);
	return NULL;
}

static void
sock_set_cb(struct stream *ss, const struct stream_cb *cb, void *ctx)
{
	struct sock_stream *s = (struct sock_stream *)ss;

	s->cb = cb;
	s->ctx = ctx;
}

static size_t
sock_send_space(const struct stream *ss)
{
	const struct sock_stream *s = (const struct sock_stream *)ss;

	if (s->wr_closed || s->err != 0)
		return 0;
	return s->scap - s->slen;
}

static size_t
sock_send(struct stream *ss, const void *data, size_t len)
{
	struct sock_stream *s = (struct sock_stream *)ss;
	size_t n = sock_send_space(ss);

	if (len < n)
		n = len;
	if (n == 0)
		return 0;
	if (data != NULL)
		memcpy(s->sbuf + s->slen, data, n);
	else
		memset(s->sbuf + s->slen, 0, n);
	s->slen += n;
	try_write(s);
	return n;
}

static size_t
sock_send_queued(const struct stream *ss)
{
	const struct sock_stream *s = (const struct sock_stream *)ss;
	int outq = 0;

	if (s->fd >= 0 && ioctl(s->fd, SIOCOUTQ, &outq) != 0)
		outq = 0;
	return s->slen + (size_t)(outq > 0 ? outq : 0);
}

static size_t
sock_read(struct stream *ss, void *buf, size_t max)
{
	struct sock_stream *s = (struct sock_stream *)ss;
	size_t n = s->rvis < max ? s->rvis : max;

	if (n == 0)
		return 0;
	if (buf != NULL)
		memcpy(buf, s->rbuf + s->rhead, n);
	s->rhead += n;
	s->rlen -= n;
	s->rvis -= n;
	s->bytes_received += n;
	if (s->rlen == 0)
		s->rhead = 0;
	if (s->rx_paused && s->rlen < s->rmax && s->fd >= 0) {
		s->rx_paused = false;
		ev_io_start(s->h->loop, &s->rio);
	}
	return n;
}

static size_t
sock_readable(const struct stream *ss)
{
	return ((const struct sock_stream *)ss)->rvis;
}

static bool
sock_eof(const struct stream *ss)
{
	const struct sock_stream *s = (const struct sock_stream *)ss;

	return s->fin_vis && s->rvis == 0;
}

static void
sock_shutdown(struct stream *ss)
{
	struct sock_stream *s = (struct sock_stream *)ss;

	s->wr_closed = true;
	try_write(s);
}

static void
sock_close(struct stream *ss)
{
	struct sock_stream *s = (struct sock_stream *)ss;

	s->wr_closed = true;
	s->closing = true;
	s->rhead = s->rlen = s->rvis = 0;
	if (s->rx_paused && s->fd >= 0) {
		s->rx_paused = false;
		ev_io_start(s->h->loop, &s->rio);
	}
	try_write(s);
}

static void
sock_release(struct stream *ss)
{
	struct sock_stream *s = (struct sock_stream *)ss;

	s->released = true;
	s->wr_closed = true;
	sim_cancel(s->h->sim, s->ev);
	ev_io_stop(s->h->loop, &s->rio);
	if (s->fd < 0 || s->err != 0 || (s->slen == 0 && !s->connecting)) {
		/* nothing left for us to write: the kernel finishes it */
		stream_close_fd(s, false);
		stream_free(s);
		return;
	}
	try_write(s);
}

static void
sock_abort(struct stream *ss)
{
	struct sock_stream *s = (struct sock_stream *)ss;

	s->released = true;
	stream_close_fd(s, true);
	stream_free(s);
}

static const char *
tcp_state_name(unsigned st)
{
	static const char *const names[] = {
		"CLOSED", "ESTABLISHED", "SYN_SENT", "SYN_RECEIVED",
		"FIN_WAIT_1", "FIN_WAIT_2", "TIME_WAIT", "CLOSED",
		"CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING",
	};

	return st < sizeof(names) / sizeof(names[0]) ? names[st] : "CLOSED";
}

static void
sock_get_info(const struct stream *ss, struct stream_info *info)
{
	const struct sock_stream *s = (const struct sock_stream *)ss;
	struct tcp_info ti;
	socklen_t sl = sizeof(ti);
	size_t q = sock_send_queued(ss) - s->slen;

	memset(info, 0, sizeof(*info));
	info->local = s->local;
	info->remote = s->remote;
	info->state = "CLOSED";
	info->bytes_sent = s->written - q;
	info->bytes_received = s->bytes_received;
	memset(&ti, 0, sizeof(ti));
	if (s->fd < 0 || getsockopt(s->fd, IPPROTO_TCP, TCP_INFO, &ti,
	    &sl) != 0)
		return;
	info->state = tcp_state_name(ti.tcpi_state);
	info->mss = ti.tcpi_snd_mss;
	info->srtt_ns = (uint64_t)ti.tcpi_rtt * 1000;
	info->rttvar_ns = (uint64_t)ti.tcpi_rttvar * 1000;
	info->cwnd = ti.tcpi_snd_cwnd * ti.tcpi_snd_mss;
	info->ssthresh = ti.tcpi_snd_ssthresh >= 0x7fffffff ? UINT32_MAX :
	    ti.tcpi_snd_ssthresh * ti.tcpi_snd_mss;
	info->retransmits = ti.tcpi_total_retrans;
}

static int
sock_set_ttl(struct stream *ss, uint8_t ttl, uint8_t min_ttl)
{
	struct sock_stream *s = (struct sock_stream *)ss;

	if (s->fd < 0)
		return -1;
	return ss_apply_ttl(s->fd, ttl, min_ttl);
}

const struct stream_ops stream_sock_ops = {
	.name = "socket",
	.connect = sock_connect,
	.listen = ss_listen,
	.unlisten = ss_unlisten,
	.set_cb = sock_set_cb,
	.send = sock_send,
	.send_space = sock_send_space,
	.send_queued = sock_send_queued,
	.read = sock_read,
	.readable = sock_readable,
	.eof = sock_eof,
	.shutdown = sock_shutdown,
	.close = sock_close,
	.release = sock_release,
	.abort = sock_abort,
	.get_info = sock_get_info,
	.listener_set_peer = ss_listener_set_peer,
	.set_ttl = sock_set_ttl,
};

/* ---- the host ---- */

struct stream_host *
stream_sock_host_new(struct sim *sim, struct ev_loop *loop,
    stream_sock_now_fn now, void *now_ctx, const struct stream_sock_cfg *cfg,
    char *err, size_t errlen)
{
	struct sock_host *h;

	if (cfg != NULL && cfg->bind_dev != NULL &&
	    strlen(cfg->bind_dev) >= IFNAMSIZ) {
		snprintf(err, errlen, "device name %s too long", cfg->bind_dev);
		return NULL;
	}
	h = xcalloc(1, sizeof(*h));
	h->base.ops = &stream_sock_ops;
	h->sim = sim;
	h->loop = loop;
	h->now = now;
	h->now_ctx = now_ctx;
	h->sndbuf = SOCK_SNDBUF_DEFAULT;
	if (cfg != NULL) {
		h->bind_addr = cfg->bind_addr;
		if (cfg->bind_dev != NULL)
			snprintf(h->dev, sizeof(h->dev), "%s", cfg->bind_dev);
		if (cfg->sndbuf != 0)
			h->sndbuf = cfg->sndbuf;
	}
	return &h->base;
}

void
stream_sock_host_free(struct stream_host *hh)
{
	struct sock_host *h = (struct sock_host *)hh;

	if (h == NULL)
		return;
	while (h->streams != NULL) {
		h->streams->in_dispatch = false;
		stream_free(h->streams);
	}
	while (h->lsts != NULL) {
		h->lsts->in_dispatch = false;
		ss_lst_free(h->lsts);
	}
	free(h);
}

size_t
stream_sock_host_sockets(const struct stream_host *hh)
{
	return ((const struct sock_host *)hh)->n_sockets;
}
