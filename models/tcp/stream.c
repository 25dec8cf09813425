/*
 * stream.c - the stream API's entry points (stream.h): each dispatches
 * through the ops of the backend that made the stream, listener or host.
 */
#include <stddef.h>

#include "stream.h"

const char *const stream_err_name[STREAM_ERR_MAX] = {
	"ok", "refused", "reset", "timed out", "unreachable", "powered off",
};

struct stream *
stream_connect(struct stream_host *h, const struct stream_addr *remote,
    const struct stream_opts *o, const struct stream_cb *cb, void *ctx)
{
	return h->ops->connect(h, remote, o, cb, ctx);
}

struct stream_listener *
stream_listen(struct stream_host *h, const struct stream_addr *local,
    const struct stream_opts *o, stream_accept_fn fn, void *ctx)
{
	return h->ops->listen(h, local, o, fn, ctx);
}

void
stream_unlisten(struct stream_listener *l)
{
	l->ops->unlisten(l);
}

int
stream_listener_set_peer(struct stream_listener *l, uint32_t peer_addr,
    const struct stream_peer_opts *po)
{
	return l->ops->listener_set_peer(l, peer_addr, po);
}

int
stream_set_ttl(struct stream *s, uint8_t ttl, uint8_t min_ttl)
{
	return s->ops->set_ttl(s, ttl, min_ttl);
}

void
stream_set_cb(struct stream *s, const struct stream_cb *cb, void *ctx)
{
	s->ops->set_cb(s, cb, ctx);
}

size_t
stream_send(struct stream *s, const void *data, size_t len)
{
	return s->ops->send(s, data, len);
}

size_t
stream_send_space(const struct stream *s)
{
	return s->ops->send_space(s);
}

size_t
stream_send_queued(const struct stream *s)
{
	return s->ops->send_queued(s);
}

size_t
stream_read(struct stream *s, void *buf, size_t max)
{
	return s->ops->read(s, buf, max);
}

size_t
stream_readable(const struct stream *s)
{
	return s->ops->readable(s);
}

bool
stream_eof(const struct stream *s)
{
	return s->ops->eof(s);
}

void
stream_shutdown(struct stream *s)
{
	s->ops->shutdown(s);
}

void
stream_close(struct stream *s)
{
	s->ops->close(s);
}

void
stream_release(struct stream *s)
{
	s->ops->release(s);
}

void
stream_abort(struct stream *s)
{
	s->ops->abort(s);
}

void
stream_get_info(const struct stream *s, struct stream_info *info)
{
	s->ops->get_info(s, info);
}
