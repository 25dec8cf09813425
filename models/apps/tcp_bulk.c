/*
 * tcp_bulk.c - an iperf-like bulk transfer over the stream API, and the
 * sink that receives it.
 *
 * The bytes are virtual end to end (stream_send(s, NULL, n)): a transfer
 * of gigabytes is a length. The sender keeps its send buffer full: it
 * queues what fits at the start and tops it up as the peer acknowledges
 * (on_sent), so the connection, not the application, limits the rate.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "apps.h"
#include "flowstats.h"
#include "net.h"
#include "sim.h"
#include "stream.h"
#include "tcp.h"
#include "timer.h"
#include "wire.h"

struct tcp_bulk;

struct bulk_stream {
	struct tcp_bulk *b;
	struct stream *s;		/* NULL once closed or failed */
	int slot;			/* in the flowset, or -1 */
	uint64_t left;			/* to queue; UINT64_MAX: no limit */
	uint64_t acked;
	bool stopped;			/* no more to queue */
	sim_time done_at;		/* all queued acknowledged, or -1 */
	int err;			/* STREAM_* if it failed */
};

struct tcp_bulk {
	struct app app;
	struct tcp_bulk_cfg cfg;
	struct tcp_cfg tcp;
	struct bulk_stream *st;
	struct flowset fs;
	struct timer_set timers;
	struct timer stop;
	uint32_t n_failed;
	int first_err;
};

struct sink_conn {
	struct tcp_sink *k;
	struct stream *s;
	int slot;
	struct sink_conn *prev, *next;
};

struct tcp_sink {
	struct app app;
	uint16_t port;
	struct app_tcp_opts opts;
	struct tcp_cfg tcp;
	struct stream_listener *l;
	struct sink_conn *conns;
	struct flowset fs;
};

static struct tcp_bulk *
bulk_of(const struct app *a)
{
	return (struct tcp_bulk *)(uintptr_t)a;
}

static struct tcp_sink *
sink_of(const struct app *a)
{
	return (struct tcp_sink *)(uintptr_t)a;
}

static sim_time
app_now(const struct app *a)
{
	return sim_now(net_sim(node_net(a->node)));
}

/* Top the send buffer up; close once the limit is queued. */
static void
bulk_fill(struct bulk_stream *bs)
{
	size_t space, n;

	while (!bs->stopped && (space = stream_send_space(bs->s)) > 0) {
		n = bs->left < space ? (size_t)bs->left : space;
		n = stream_send(bs->s, NULL, n);
		if (n == 0)
			break;
		if (bs->left != UINT64_MAX)
			bs->left -= n;
		if (bs->left == 0)
			bs->stopped = true;
	}
	if (bs->stopped)
		stream_close(bs->s);	/* after what is queued */
}

static void
bulk_settle(struct bulk_stream *bs)
{
	if (bs->stopped && bs->done_at < 0 && bs->s != NULL &&
	    stream_send_queued(bs->s) == 0)
		bs->done_at = app_now(&bs->b->app);
}

static void
bulk_connected(struct stream *s, void *ctx)
{
	struct bulk_stream *bs = ctx;

	(void)s;
	if (!bs->stopped)
		bulk_fill(bs);
}

static void
bulk_receive(struct stream *s, void *ctx)
{
	(void)ctx;
	stream_read(s, NULL, SIZE_MAX);
}

static void
bulk_sent(struct stream *s, size_t freed, void *ctx)
{
	struct bulk_stream *bs = ctx;

	(void)s;
	bs->acked += freed;
	flowset_bytes(&bs->b->fs, bs->slot, freed);
	if (!bs->stopped)
		bulk_fill(bs);
	bulk_settle(bs);
}

static void
bulk_closed(struct stream *s, void *ctx)
{
	struct bulk_stream *bs = ctx;

	(void)s;
	bulk_settle(bs);
	flowset_end(&bs->b->fs, bs->slot);
	bs->s = NULL;
}

static void
bulk_failed(struct tcp_bulk *b, struct bulk_stream *bs, int err)
{
	bs->err = err;
	bs->s = NULL;
	b->n_failed++;
	if (b->first_err == 0)
		b->first_err = err;
}

static void
bulk_error(struct stream *s, enum stream_err err, void *ctx)
{
	struct bulk_stream *bs = ctx;

	(void)s;
	flowset_end(&bs->b->fs, bs->slot);
	bulk_failed(bs->b, bs, (int)err);
}

static const struct stream_cb bulk_cb = {
	.on_connected = bulk_connected,
	.on_receive = bulk_receive,
	.on_sent = bulk_sent,
	.on_closed = bulk_closed,
	.on_error = bulk_error,
};

static void
bulk_stop(struct timer *tm, void *arg)
{
	struct tcp_bulk *b = arg;
	uint32_t i;

	(void)tm;
	for (i = 0; i < b->cfg.streams; i++) {
		struct bulk_stream *bs = &b->st[i];

		if (bs->s == NULL || bs->stopped)
			continue;
		bs->stopped = true;
		stream_close(bs->s);
		bulk_settle(bs);
	}
}

static void
bulk_start(struct app *a)
{
	struct tcp_bulk *b = bulk_of(a);
	struct stream_host *h = tcp_stack_host(tcp_stack_get(a->node));
	struct stream_addr remote = { b->cfg.dst, b->cfg.dport };
	struct stream_opts o;
	uint32_t i;

	app_tcp_cfg(a->node, &b->cfg.tcp, &b->tcp);
	memset(&o, 0, sizeof(o));
	o.tcp = &b->tcp;
	for (i = 0; i < b->cfg.streams; i++) {
		struct bulk_stream *bs = &b->st[i];

		bs->s = stream_connect(h, &remote, &o, &bulk_cb, bs);
		if (bs->s == NULL) {
			bulk_failed(b, bs, STREAM_UNREACHABLE);
			continue;
		}
		bs->slot = flowset_add(&b->fs, bs->s);
		bulk_fill(bs);
	}
	if (b->cfg.duration > 0)
		timer_start(&b->stop, b->cfg.duration);
}

static void
bulk_json(const struct app *a, FILE *out)
{
	const struct tcp_bulk *b = bulk_of(a);
	sim_time done = tcp_bulk_done_at(a);
	char d[16];

	fprintf(out, "{\"name\":\"%s\",\"type\":\"tcp_bulk\",\"node\":\"%s\","
	    "\"dst\":\"%s\",\"dport\":%u,\"streams\":%u,\"cc\":\"%s\","
	    "\"bytes_acked\":%llu,\"failed\":%u,\"error\":\"%s\","
	    "\"done_ns\":%lld,\"flows\":", a->name, node_name(a->node),
	    wire_ip_str(b->cfg.dst, d), b->cfg.dport, b->cfg.streams,
	    tcp_cc_kind_name(b->tcp.cc), (unsigned long long)b->fs.bytes,
	    b->n_failed, b->first_err ? stream_err_name[b->first_err] : "",
	    (long long)done);
	flowset_write_json(&b->fs, out);
	flowset_write_json_more(&b->fs, out);
	fputc('}', out);
}

static void
bulk_csv(const struct app *a, sim_time interval, FILE *out)
{
	flowset_write_csv(&bulk_of(a)->fs, interval, out);
}

static void
bulk_destroy(struct app *a)
{
	struct tcp_bulk *b = bulk_of(a);
	uint32_t i;

	timer_set_destroy(&b->timers);
	for (i = 0; i < b->cfg.streams; i++)
		if (b->st[i].s != NULL)
			stream_release(b->st[i].s);
	flowset_free(&b->fs);
	free(b->st);
	free(b);
}

static const struct app_ops bulk_ops = {
	.kind = "tcp_bulk",
	.start = bulk_start,
	.metrics_json = bulk_json,
	.metrics_csv = bulk_csv,
	.destroy = bulk_destroy,
};

struct app *
tcp_bulk_new(struct node *n, const char *name, const struct tcp_bulk_cfg *cfg)
{
	struct tcp_bulk *b = xcalloc(1, sizeof(*b));
	uint32_t i;

	b->app.ops = &bulk_ops;
	b->app.name = xstrdup(name);
	b->app.node = n;
	b->app.start = cfg->start;
	b->cfg = *cfg;
	if (b->cfg.streams == 0)
		b->cfg.streams = 1;
	b->st = xcalloc(b->cfg.streams, sizeof(*b->st));
	for (i = 0; i < b->cfg.streams; i++) {
		struct bulk_stream *bs = &b->st[i];

		bs->b = b;
		bs->slot = -1;
		bs->done_at = -1;
		/* split evenly, the first streams take the remainder */
		bs->left = b->cfg.bytes == 0 ? UINT64_MAX :
		    b->cfg.bytes / b->cfg.streams +
		    (i < b->cfg.bytes % b->cfg.streams);
		if (bs->left == 0)
			bs->stopped = true;
	}
	flowset_init(&b->fs, &b->app);
	timer_set_init(&b->timers);
	timer_init(&b->stop, net_sim(node_net(n)), &b->timers, bulk_stop, b);
	return &b->app;
}

uint64_t
tcp_bulk_acked(const struct app *a)
{
	return bulk_of(a)->fs.bytes;
}

sim_time
tcp_bulk_done_at(const struct app *a)
{
	const struct tcp_bulk *b = bulk_of(a);
	sim_time last = -1;
	uint32_t i;

	for (i = 0; i < b->cfg.streams; i++) {
		if (b->st[i].done_at < 0)
			return -1;
		if (b->st[i].done_at > last)
			last = b->st[i].done_at;
	}
	return last;
}

uint32_t
tcp_bulk_failed(const struct app *a, int *first_err)
{
	const struct tcp_bulk *b = bulk_of(a);

	if (first_err != NULL)
		*first_err = b->first_err;
	return b->n_failed;
}

const struct flowset *
tcp_bulk_flows(const struct app *a)
{
	return &bulk_of(a)->fs;
}

/* --- the sink -------------------------------------------------------- */

static void
conn_unlink(struct sink_conn *c)
{
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		c->k->conns = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	free(c);
}

static void
sink_receive(struct stream *s, void *ctx)
{
	struct sink_conn *c = ctx;
	size_t n = stream_read(s, NULL, SIZE_MAX);

	if (n > 0)
		flowset_bytes(&c->k->fs, c->slot, n);
	if (stream_eof(s))
		stream_close(s);
}

static void
sink_closed(struct stream *s, void *ctx)
{
	struct sink_conn *c = ctx;

	(void)s;
	flowset_end(&c->k->fs, c->slot);
	conn_unlink(c);
}

static void
sink_error(struct stream *s, enum stream_err err, void *ctx)
{
	(void)err;
	sink_closed(s, ctx);
}

static const struct stream_cb sink_cb = {
	.on_receive = sink_receive,
	.on_closed = sink_closed,
	.on_error = sink_error,
};

static void
sink_accept(struct stream_listener *l, struct stream *s, void *ctx)
{
	struct tcp_sink *k = ctx;
	struct sink_conn *c = xcalloc(1, sizeof(*c));

	(void)l;
	c->k = k;
	c->s = s;
	c->next = k->conns;
	if (k->conns != NULL)
		k->conns->prev = c;
	k->conns = c;
	stream_set_cb(s, &sink_cb, c);
	c->slot = flowset_add(&k->fs, s);
}

static void
sink_start(struct app *a)
{
	struct tcp_sink *k = sink_of(a);
	struct stream_addr local = { 0, k->port };
	struct stream_opts o;

	app_tcp_cfg(a->node, &k->opts, &k->tcp);
	memset(&o, 0, sizeof(o));
	o.tcp = &k->tcp;
	k->l = stream_listen(tcp_stack_host(tcp_stack_get(a->node)), &local,
	    &o, sink_accept, k);
	SIM_ASSERT(k->l != NULL, "%s: TCP port %u already in use", a->name,
	    k->port);
}

static void
sink_json(const struct app *a, FILE *out)
{
	const struct tcp_sink *k = sink_of(a);

	fprintf(out, "{\"name\":\"%s\",\"type\":\"tcp_sink\",\"node\":\"%s\","
	    "\"port\":%u,\"bytes\":%llu,\"connections\":%llu,\"flows\":",
	    a->name, node_name(a->node), k->port,
	    (unsigned long long)k->fs.bytes,
	    (unsigned long long)k->fs.n_total);
	flowset_write_json(&k->fs, out);
	flowset_write_json_more(&k->fs, out);
	fputc('}', out);
}

static void
sink_csv(const struct app *a, sim_time interval, FILE *out)
{
	flowset_write_csv(&sink_of(a)->fs, interval, out);
}

static void
sink_destroy(struct app *a)
{
	struct tcp_sink *k = sink_of(a);

	if (k->l != NULL)
		stream_unlisten(k->l);
	while (k->conns != NULL) {
		stream_release(k->conns->s);
		conn_unlink(k->conns);
	}
	flowset_free(&k->fs);
	free(k);
}

static const struct app_ops sink_ops = {
	.kind = "tcp_sink",
	.start = sink_start,
	.metrics_json = sink_json,
	.metrics_csv = sink_csv,
	.destroy = sink_destroy,
};

struct app *
tcp_sink_new(struct node *n, const char *name, uint16_t port,
    const struct app_tcp_opts *tcp)
{
	struct tcp_sink *k = xcalloc(1, sizeof(*k));

	k->app.ops = &sink_ops;
	k->app.name = xstrdup(name);
	k->app.node = n;
	k->port = port;
	if (tcp != NULL)
		k->opts = *tcp;
	else
		app_tcp_opts_default(&k->opts);
	flowset_init(&k->fs, &k->app);
	return &k->app;
}

uint64_t
tcp_sink_bytes(const struct app *a)
{
	return sink_of(a)->fs.bytes;
}

uint16_t
tcp_sink_port(const struct app *a)
{
	return sink_of(a)->port;
}

const struct flowset *
tcp_sink_flows(const struct app *a)
{
	return &sink_of(a)->fs;
}
