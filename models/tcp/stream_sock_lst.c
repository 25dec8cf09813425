/*
 * stream_sock_lst.c - the socket backend's listeners (stream_sock.h):
 * accept4 in a watcher, the accepted sockets handed to the user in one
 * simulation event at now(), MD5 keys and TTL rules per peer address.
 */
#define _GNU_SOURCE	/* accept4 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sim.h"
#include "stream_sock.h"
#include "stream_sock_int.h"
#include "util.h"

static void lst_deliver(struct sim *sim, void *arg);

static void
lst_accept_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct sock_lst *l = w->data;
	int fd;

	(void)loop;
	(void)revents;
	while (l->n_pending < SOCK_ACCEPT_MAX) {
		fd = accept4(l->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			break;
		}
		l->pending[l->n_pending++] = fd;
		l->h->n_sockets++;
	}
	if (l->n_pending == SOCK_ACCEPT_MAX)
		ev_io_stop(l->h->loop, &l->io);	/* until the event took them */
	if (l->n_pending > 0 && !sim_is_pending(l->h->sim, l->ev))
		l->ev = sim_schedule_at(l->h->sim, ss_at_now(l->h), lst_deliver,
		    l);
}

static struct sock_peer *
lst_peer(const struct sock_lst *l, uint32_t addr)
{
	size_t i;

	for (i = 0; i < l->n_peers; i++)
		if (l->peers[i].addr == addr)
			return &l->peers[i];
	return NULL;
}

void
ss_lst_free(struct sock_lst *l)
{
	struct sock_host *h = l->h;
	size_t i;

	if (l->in_dispatch) {
		l->dead = true;
		return;
	}
	for (i = 0; i < l->n_pending; i++) {
		close(l->pending[i]);
		h->n_sockets--;
	}
	ev_io_stop(h->loop, &l->io);
	close(l->fd);
	h->n_sockets--;
	sim_cancel(h->sim, l->ev);
	if (l->prev != NULL)
		l->prev->next = l->next;
	else
		h->lsts = l->next;
	if (l->next != NULL)
		l->next->prev = l->prev;
	free(l->peers);
	free(l);
}

static void
lst_deliver(struct sim *sim, void *arg)
{
	struct sock_lst *l = arg;
	const struct sock_peer *p;
	struct sock_stream *s;
	size_t i;
	int fd;

	(void)sim;
	l->ev = (sim_event_id){ 0, 0 };
	l->in_dispatch = true;
	for (i = 0; i < l->n_pending && !l->dead; i++) {
		fd = l->pending[i];
		l->pending[i] = -1;
		/* counted as the listener's pending until now */
		l->h->n_sockets--;
		s = ss_stream_new(l->h, fd, l->sndbuf, l->rcvbuf);
		s->established = true;
		ss_watchers_init(s);
		ss_addr_of(fd, false, &s->local);
		ss_addr_of(fd, true, &s->remote);
		p = lst_peer(l, s->remote.addr);
		ss_apply_ttl(fd, p != NULL && p->ttl != 0 ? p->ttl : l->ttl,
		    p != NULL && p->min_ttl != 0 ? p->min_ttl : l->min_ttl);
		ss_setup(l->h, fd, l->nodelay, 0);
		ev_io_start(l->h->loop, &s->rio);
		l->fn(&l->base, &s->base, l->ctx);
	}
	for (; i < l->n_pending; i++) {
		if (l->pending[i] >= 0) {
			close(l->pending[i]);
			l->h->n_sockets--;
		}
	}
	l->n_pending = 0;
	l->in_dispatch = false;
	if (l->dead) {
		ss_lst_free(l);
		return;
	}
	ev_io_start(l->h->loop, &l->io);
}

struct stream_listener *
ss_listen(struct stream_host *hh, const struct stream_addr *local,
    const struct stream_opts *o, stream_accept_fn fn, void *ctx)
{
	struct sock_host *h = (struct sock_host *)hh;
	struct stream_opts none;
	struct sockaddr_in sin;
	struct sock_lst *l;
	int fd;

	if (o == NULL) {
		memset(&none, 0, sizeof(none));
		o = &none;
	}
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return NULL;
	ss_sin_of(&sin, local->addr != 0 ? local->addr : h->bind_addr,
	    local->port);
	if (ss_set_int(fd, SOL_SOCKET, SO_REUSEADDR, 1) != 0 ||
	    ss_setup(h, fd, o->nodelay, o->rcvbuf) != 0 ||
	    ss_apply_ttl(fd, o->ttl, o->min_ttl) != 0 ||
	    bind(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0 ||
	    listen(fd, SOCK_ACCEPT_MAX) != 0) {
		close(fd);
		return NULL;
	}
	l = xcalloc(1, sizeof(*l));
	l->base.ops = &stream_sock_ops;
	l->h = h;
	l->fd = fd;
	l->fn = fn;
	l->ctx = ctx;
	l->ttl = o->ttl;
	l->min_ttl = o->min_ttl;
	l->nodelay = o->nodelay;
	l->sndbuf = o->sndbuf;
	l->rcvbuf = o->rcvbuf;
	ev_io_init(&l->io, lst_accept_cb, fd, EV_READ);
	l->io.data = l;
	ev_io_start(h->loop, &l->io);
	l->next = h->lsts;
	if (h->lsts != NULL)
		h->lsts->prev = l;
	h->lsts = l;
	h->n_sockets++;
	return &l->base;
}

void
ss_unlisten(struct stream_listener *ll)
{
	ss_lst_free((struct sock_lst *)ll);
}

/* The listening socket's TTL: the largest of its peers', IP_MINTTL the
 * smallest (a peer's 0 is the listener's own). */
static void
lst_apply_ttl(struct sock_lst *l)
{
	uint8_t ttl = l->ttl, min_ttl = l->min_ttl, t, m;
	size_t i;

	for (i = 0; i < l->n_peers; i++) {
		t = l->peers[i].ttl != 0 ? l->peers[i].ttl : l->ttl;
		m = l->peers[i].min_ttl != 0 ? l->peers[i].min_ttl :
		    l->min_ttl;
		if (i == 0 || t > ttl)
			ttl = t;
		if (i == 0 || m < min_ttl)
			min_ttl = m;
	}
	ss_apply_ttl(l->fd, ttl, min_ttl);
}

int
ss_listener_set_peer(struct stream_listener *ll, uint32_t peer_addr,
    const struct stream_peer_opts *po)
{
	struct sock_lst *l = (struct sock_lst *)ll;
	struct sock_peer *p = lst_peer(l, peer_addr);

	if (po != NULL && po->md5_keylen > STREAM_MD5_KEY_MAX)
		return -1;
	if (ss_apply_md5(l->fd, peer_addr, po != NULL ? po->md5_key : NULL,
	    po != NULL ? po->md5_keylen : 0) != 0)
		return -1;
	if (po == NULL) {
		if (p != NULL) {
			*p = l->peers[--l->n_peers];
			lst_apply_ttl(l);
		}
		return 0;
	}
	if (p == NULL) {
		l->peers = xrealloc(l->peers, (l->n_peers + 1) *
		    sizeof(*l->peers));
		p = &l->peers[l->n_peers++];
	}
	p->addr = peer_addr;
	p->ttl = po->ttl;
	p->min_ttl = po->min_ttl;
	lst_apply_ttl(l);
	return 0;
}
