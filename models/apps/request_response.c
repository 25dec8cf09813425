/*
 * request_response.c - an application tier querying a database: clients
 * that send a request, read the whole response, think, and send the next,
 * and the server that answers them.
 *
 * Both directions are Oracle Net (TNS) Data packets of at most RR_TNS_SDU
 * bytes (apps.h): a real 10-byte header (length, type Data, data flags)
 * and zeros, so a capture on port 1521 decodes as TNS. Each packet goes to
 * the stream in one call, so the stack cuts full segments from it (a
 * header written on its own would leave in a small segment of its own with
 * Nagle off). The server is told what to answer by the request itself: its
 * first packet carries the request's and the response's sizes after the
 * header. So a client draws both sizes (from its named random stream
 * "request_response/NAME") and knows when its response is complete, and
 * one server serves any number of clients; a request whose first packet
 * makes no sense resets the connection, as a listener would.
 *
 * A transaction's latency runs from the stream_send() of the request's
 * first byte to the read of the response's last byte. With one connection
 * per request, the request is queued right after stream_connect(), so the
 * handshake counts, as it does for a client that connects per query; a
 * persistent connection is opened once, before the first transaction.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "apps.h"
#include "flowstats.h"
#include "net.h"
#include "rng.h"
#include "sim.h"
#include "stream.h"
#include "tcp.h"
#include "timer.h"
#include "util.h"
#include "wire.h"

/* A message being queued as TNS Data packets. */
struct tns_tx {
	uint64_t left;		/* bytes of the message still to queue */
	uint32_t pkt_len;	/* the current packet's length */
	uint32_t pkt_off;	/* bytes of it queued */
	uint8_t head[RR_HDR];	/* its first bytes: header, then sizes or 0 */
};

/*
 * The next packet's length when left bytes remain: RR_TNS_SDU at most, and
 * never leaving a tail too short for a packet header.
 */
static uint32_t
tns_next_len(uint64_t left)
{
	if (left <= RR_TNS_SDU)
		return (uint32_t)left;
	if (left - RR_TNS_SDU < RR_TNS_DATA_HDR)
		return (uint32_t)(left - RR_TNS_DATA_HDR);
	return RR_TNS_SDU;
}

/* Start a message of len bytes; a request's sizes (8 bytes) or NULL. */
static void
tns_begin(struct tns_tx *tx, uint64_t len, const uint8_t *sizes)
{
	tx->left = len;
	tx->pkt_len = tx->pkt_off = 0;
	memset(tx->head, 0, sizeof(tx->head));
	if (sizes != NULL)
		memcpy(tx->head + RR_TNS_DATA_HDR, sizes, 8);
}

/*
 * Queue as much of the message as the send buffer takes, a packet (or what
 * is left of one) per call; buf is RR_TNS_SDU bytes of scratch, zero past
 * RR_HDR.
 */
static void
tns_pump(struct stream *s, struct tns_tx *tx, uint8_t *buf)
{
	size_t space, n, sent;

	while (tx->left > 0 && (space = stream_send_space(s)) > 0) {
		if (tx->pkt_off == tx->pkt_len) {
			tx->pkt_len = tns_next_len(tx->left);
			tx->pkt_off = 0;
			put_be16(tx->head, (uint16_t)tx->pkt_len);
			tx->head[4] = 6;	/* TNS packet type: Data */
		}
		memcpy(buf, tx->head, RR_HDR);
		n = tx->pkt_len - tx->pkt_off;
		if (n > space)
			n = space;
		sent = stream_send(s, buf + tx->pkt_off, n);
		tx->pkt_off += (uint32_t)sent;
		tx->left -= sent;
		if (tx->pkt_off == tx->pkt_len)	/* later packets: no sizes */
			memset(tx->head + RR_TNS_DATA_HDR, 0, 8);
		if (sent < n)
			break;
	}
}

static uint8_t *
tns_buf(uint8_t **buf)
{
	if (*buf == NULL)
		*buf = xcalloc(1, RR_TNS_SDU);
	return *buf;
}

struct rr_client;

struct rr_slot {
	struct rr_client *c;
	struct stream *s;	/* NULL between connections, or dead */
	int flow;		/* flowset slot, or -1 */
	bool busy;		/* a transaction in flight */
	bool dead;		/* failed or finished: sends no more */
	uint32_t done;		/* transactions completed */
	struct tns_tx tx;	/* the request being queued */
	uint64_t resp_left;	/* response bytes still to read */
	sim_time t0;
	struct timer think;
};

struct rr_client {
	struct app app;
	uint8_t *pktbuf;	/* RR_TNS_SDU bytes: a packet to queue */
	struct rr_cfg cfg;
	struct tcp_cfg tcp;
	struct rng rng;
	struct rr_slot *slots;
	struct flowset fs;
	struct lat_hist lat;
	struct timer_set timers;
	uint32_t n_failed;
	int first_err;
};

struct rr_sconn {
	struct rr_server *v;
	struct stream *s;
	int flow;
	uint8_t hdr[RR_HDR];
	size_t hdr_got;
	uint64_t req_left;	/* request bytes still to read */
	struct tns_tx tx;	/* the response being queued */
	struct rr_sconn *prev, *next;
};

struct rr_server {
	struct app app;
	uint16_t port;
	struct app_tcp_opts opts;
	struct tcp_cfg tcp;
	struct stream_listener *l;
	uint8_t *pktbuf;	/* RR_TNS_SDU bytes: a packet to queue */
	struct rr_sconn *conns;
	struct flowset fs;
	uint64_t answered;
};

static struct rr_client *
client_of(const struct app *a)
{
	return (struct rr_client *)(uintptr_t)a;
}

static struct rr_server *
server_of(const struct app *a)
{
	return (struct rr_server *)(uintptr_t)a;
}

static sim_time
app_now(const struct app *a)
{
	return sim_now(net_sim(node_net(a->node)));
}

static void slot_begin(struct rr_slot *sl);

static void
slot_pump(struct rr_slot *sl)
{
	tns_pump(sl->s, &sl->tx, tns_buf(&sl->c->pktbuf));
}

static void
slot_fail(struct rr_slot *sl, int err)
{
	struct rr_client *c = sl->c;

	flowset_end(&c->fs, sl->flow);
	sl->s = NULL;
	sl->busy = false;
	c->n_failed++;
	if (c->first_err == 0)
		c->first_err = err;
	/*
	 * A pool connects again after a pause; its next transaction starts
	 * then (slot_begin connects, a slot with no stream), and the one in
	 * flight is lost: counted failed above, in no latency.
	 */
	if (c->cfg.reconnect > 0)
		timer_start(&sl->think, c->cfg.reconnect);
	else
		sl->dead = true;
}

static void
cl_connected(struct stream *s, void *ctx)
{
	struct rr_slot *sl = ctx;

	(void)s;
	if (sl->c->cfg.persistent && !sl->busy)
		slot_begin(sl);
}

static void
slot_think(struct timer *tm, void *arg)
{
	(void)tm;
	slot_begin(arg);
}

static void
cl_receive(struct stream *s, void *ctx)
{
	struct rr_slot *sl = ctx;
	struct rr_client *c = sl->c;
	size_t n;

	if (!sl->busy) {		/* nothing is expected: discard */
		stream_read(s, NULL, SIZE_MAX);
		return;
	}
	n = stream_read(s, NULL, sl->resp_left);
	sl->resp_left -= n;
	flowset_bytes(&c->fs, sl->flow, n);
	if (sl->resp_left > 0) {
		if (stream_eof(s)) {	/* the server closed mid-response */
			stream_abort(s);
			slot_fail(sl, STREAM_RESET);
		}
		return;
	}
	lat_hist_add(&c->lat, app_now(&c->app) - sl->t0);
	sl->busy = false;
	sl->done++;
	if (!c->cfg.persistent) {
		flowset_end(&c->fs, sl->flow);
		stream_release(s);
		sl->s = NULL;
	}
	if (c->cfg.think > 0)
		timer_start(&sl->think, c->cfg.think);
	else
		slot_begin(sl);
}

static void
cl_sent(struct stream *s, size_t freed, void *ctx)
{
	struct rr_slot *sl = ctx;

	(void)s, (void)freed;
	if (sl->busy)
		slot_pump(sl);
}

static void
cl_closed(struct stream *s, void *ctx)
{
	struct rr_slot *sl = ctx;

	(void)s;
	flowset_end(&sl->c->fs, sl->flow);
	sl->s = NULL;
}

static void
cl_error(struct stream *s, enum stream_err err, void *ctx)
{
	(void)s;
	slot_fail(ctx, (int)err);
}

static const struct stream_cb client_cb = {
	.on_connected = cl_connected,
	.on_receive = cl_receive,
	.on_sent = cl_sent,
	.on_closed = cl_closed,
	.on_error = cl_error,
};

static bool
slot_connect(struct rr_slot *sl)
{
	struct rr_client *c = sl->c;
	struct stream_host *h = tcp_stack_host(tcp_stack_get(c->app.node));
	struct stream_addr remote = { c->cfg.dst, c->cfg.dport };
	struct stream_opts o;

	memset(&o, 0, sizeof(o));
	o.tcp = &c->tcp;
	sl->s = stream_connect(h, &remote, &o, &client_cb, sl);
	if (sl->s == NULL) {
		slot_fail(sl, STREAM_UNREACHABLE);
		return false;
	}
	sl->flow = flowset_add(&c->fs, sl->s);
	return true;
}

/* The next transaction of a client, if it has one. */
static void
slot_begin(struct rr_slot *sl)
{
	struct rr_client *c = sl->c;
	sim_time now = app_now(&c->app);
	uint64_t req, resp;
	uint8_t sizes[8];

	if (sl->dead)
		return;
	if ((c->cfg.count != 0 && sl->done >= c->cfg.count) ||
	    (c->cfg.duration > 0 && now >= c->app.start + c->cfg.duration)) {
		sl->dead = true;
		if (sl->s != NULL)
			stream_close(sl->s);
		return;
	}
	if (sl->s == NULL && !slot_connect(sl))
		return;
	req = size_dist_draw(&c->cfg.request, &c->rng, RR_HDR);
	resp = size_dist_draw(&c->cfg.response, &c->rng, RR_TNS_DATA_HDR);
	if (req > UINT32_MAX)
		req = UINT32_MAX;
	if (resp > UINT32_MAX)
		resp = UINT32_MAX;
	put_be32(sizes, (uint32_t)req);
	put_be32(sizes + 4, (uint32_t)resp);
	sl->busy = true;
	sl->t0 = now;
	sl->resp_left = resp;
	tns_begin(&sl->tx, req, sizes);
	slot_pump(sl);
}

static void
client_start(struct app *a)
{
	struct rr_client *c = client_of(a);
	uint32_t i;

	app_tcp_cfg(a->node, &c->cfg.tcp, &c->tcp);
	for (i = 0; i < c->cfg.concurrency; i++) {
		struct rr_slot *sl = &c->slots[i];

		if (c->cfg.persistent)
			slot_connect(sl);	/* the first on_connected */
		else
			slot_begin(sl);
	}
}

static void
client_json(const struct app *a, FILE *out)
{
	const struct rr_client *c = client_of(a);
	char d[16];

	fprintf(out, "{\"name\":\"%s\",\"type\":\"request_response\","
	    "\"node\":\"%s\",\"dst\":\"%s\",\"dport\":%u,\"concurrency\":%u,"
	    "\"persistent\":%s,\"cc\":\"%s\",\"transactions\":%llu,"
	    "\"failed\":%u,\"error\":\"%s\",\"latency\":", a->name,
	    node_name(a->node), wire_ip_str(c->cfg.dst, d), c->cfg.dport,
	    c->cfg.concurrency, c->cfg.persistent ? "true" : "false",
	    tcp_cc_kind_name(c->tcp.cc), (unsigned long long)c->lat.count,
	    c->n_failed, c->first_err ? stream_err_name[c->first_err] : "");
	lat_hist_write_summary(&c->lat, out);
	fputs(",\"flows\":", out);
	flowset_write_json(&c->fs, out);
	flowset_write_json_more(&c->fs, out);
	fputc('}', out);
}

static void
client_csv(const struct app *a, sim_time interval, FILE *out)
{
	const struct rr_client *c = client_of(a);
	size_t i;

	flowset_write_csv(&c->fs, interval, out);
	for (i = 0; i < c->lat.n_buckets; i++)
		if (c->lat.buckets[i] != 0)
			fprintf(out, "%s,txn_latency_hist,%lld,%llu\n", a->name,
			    (long long)lat_hist_bucket_value(&c->lat, i),
			    (unsigned long long)c->lat.buckets[i]);
}

static void
client_destroy(struct app *a)
{
	struct rr_client *c = client_of(a);
	uint32_t i;

	timer_set_destroy(&c->timers);
	for (i = 0; i < c->cfg.concurrency; i++)
		if (c->slots[i].s != NULL)
			stream_release(c->slots[i].s);
	flowset_free(&c->fs);
	lat_hist_free(&c->lat);
	free(c->pktbuf);
	free(c->slots);
	free(c);
}

static const struct app_ops client_ops = {
	.kind = "request_response",
	.start = client_start,
	.metrics_json = client_json,
	.metrics_csv = client_csv,
	.destroy = client_destroy,
};

struct app *
rr_client_new(struct node *n, const char *name, const struct rr_cfg *cfg)
{
	struct rr_client *c = xcalloc(1, sizeof(*c));
	struct sim *sim = net_sim(node_net(n));
	char stream[300];
	uint32_t i;

	c->app.ops = &client_ops;
	c->app.name = xstrdup(name);
	c->app.node = n;
	c->app.start = cfg->start;
	c->cfg = *cfg;
	if (c->cfg.concurrency == 0)
		c->cfg.concurrency = 1;
	snprintf(stream, sizeof(stream), "request_response/%s", name);
	rng_init(&c->rng, sim_seed(sim), stream);
	flowset_init(&c->fs, &c->app);
	timer_set_init(&c->timers);
	c->slots = xcalloc(c->cfg.concurrency, sizeof(*c->slots));
	for (i = 0; i < c->cfg.concurrency; i++) {
		c->slots[i].c = c;
		c->slots[i].flow = -1;
		timer_init(&c->slots[i].think, sim, &c->timers, slot_think,
		    &c->slots[i]);
	}
	return &c->app;
}

const struct lat_hist *
rr_latency(const struct app *a)
{
	return &client_of(a)->lat;
}

uint64_t
rr_completed(const struct app *a)
{
	return client_of(a)->lat.count;
}

uint32_t
rr_failed(const struct app *a, int *first_err)
{
	const struct rr_client *c = client_of(a);

	if (first_err != NULL)
		*first_err = c->first_err;
	return c->n_failed;
}

const struct flowset *
rr_client_flows(const struct app *a)
{
	return &client_of(a)->fs;
}

/* --- the server ------------------------------------------------------ */

static void
sconn_unlink(struct rr_sconn *k)
{
	if (k->prev != NULL)
		k->prev->next = k->next;
	else
		k->v->conns = k->next;
	if (k->next != NULL)
		k->next->prev = k->prev;
	free(k);
}

static void
sv_pump(struct rr_sconn *k)
{
	tns_pump(k->s, &k->tx, tns_buf(&k->v->pktbuf));
}

static void sv_closed(struct stream *s, void *ctx);

static void
sv_receive(struct stream *s, void *ctx)
{
	struct rr_sconn *k = ctx;
	size_t n;

	while (stream_readable(s) > 0) {
		if (k->hdr_got < RR_HDR) {
			k->hdr_got += stream_read(s, k->hdr + k->hdr_got,
			    RR_HDR - k->hdr_got);
			if (k->hdr_got < RR_HDR)
				break;
			/*
			 * A TNS Data packet of at least RR_HDR bytes, a
			 * request no shorter than it, a response that holds
			 * a header, and one transaction at a time (a client
			 * waits for its answer): else reset, as a listener
			 * given garbage would.
			 */
			if (get_be16(k->hdr) < RR_HDR || k->hdr[4] != 6 ||
			    get_be32(k->hdr + RR_TNS_DATA_HDR) <
			    get_be16(k->hdr) ||
			    get_be32(k->hdr + RR_TNS_DATA_HDR + 4) <
			    RR_TNS_DATA_HDR || k->tx.left > 0) {
				stream_abort(s);
				sv_closed(s, k);
				return;
			}
			k->req_left = get_be32(k->hdr + RR_TNS_DATA_HDR) -
			    RR_HDR;
		}
		n = stream_read(s, NULL, k->req_left);
		k->req_left -= n;
		if (k->req_left > 0)
			break;
		/* the whole request is in: answer it */
		tns_begin(&k->tx, get_be32(k->hdr + RR_TNS_DATA_HDR + 4),
		    NULL);
		k->hdr_got = 0;
		k->v->answered++;
		sv_pump(k);
	}
	if (stream_eof(s))
		stream_close(s);
}

static void
sv_sent(struct stream *s, size_t freed, void *ctx)
{
	struct rr_sconn *k = ctx;

	(void)s;
	flowset_bytes(&k->v->fs, k->flow, freed);
	sv_pump(k);
}

static void
sv_closed(struct stream *s, void *ctx)
{
	struct rr_sconn *k = ctx;

	(void)s;
	flowset_end(&k->v->fs, k->flow);
	sconn_unlink(k);
}

static void
sv_error(struct stream *s, enum stream_err err, void *ctx)
{
	(void)err;
	sv_closed(s, ctx);
}

static const struct stream_cb server_cb = {
	.on_receive = sv_receive,
	.on_sent = sv_sent,
	.on_closed = sv_closed,
	.on_error = sv_error,
};

static void
sv_accept(struct stream_listener *l, struct stream *s, void *ctx)
{
	struct rr_server *v = ctx;
	struct rr_sconn *k = xcalloc(1, sizeof(*k));

	(void)l;
	k->v = v;
	k->s = s;
	k->next = v->conns;
	if (v->conns != NULL)
		v->conns->prev = k;
	v->conns = k;
	stream_set_cb(s, &server_cb, k);
	k->flow = flowset_add(&v->fs, s);
}

static void
server_start(struct app *a)
{
	struct rr_server *v = server_of(a);
	struct stream_addr local = { 0, v->port };
	struct stream_opts o;

	app_tcp_cfg(a->node, &v->opts, &v->tcp);
	memset(&o, 0, sizeof(o));
	o.tcp = &v->tcp;
	v->l = stream_listen(tcp_stack_host(tcp_stack_get(a->node)), &local,
	    &o, sv_accept, v);
	SIM_ASSERT(v->l != NULL, "%s: TCP port %u already in use", a->name,
	    v->port);
}

static void
server_json(const struct app *a, FILE *out)
{
	const struct rr_server *v = server_of(a);

	fprintf(out, "{\"name\":\"%s\",\"type\":\"rr_server\",\"node\":\"%s\","
	    "\"port\":%u,\"answered\":%llu,\"bytes\":%llu,"
	    "\"connections\":%llu,\"flows\":", a->name, node_name(a->node),
	    v->port, (unsigned long long)v->answered,
	    (unsigned long long)v->fs.bytes,
	    (unsigned long long)v->fs.n_total);
	flowset_write_json(&v->fs, out);
	flowset_write_json_more(&v->fs, out);
	fputc('}', out);
}

static void
server_csv(const struct app *a, sim_time interval, FILE *out)
{
	flowset_write_csv(&server_of(a)->fs, interval, out);
}

static void
server_destroy(struct app *a)
{
	struct rr_server *v = server_of(a);

	if (v->l != NULL)
		stream_unlisten(v->l);
	while (v->conns != NULL) {
		stream_release(v->conns->s);
		sconn_unlink(v->conns);
	}
	flowset_free(&v->fs);
	free(v->pktbuf);
	free(v);
}

static const struct app_ops server_ops = {
	.kind = "rr_server",
	.start = server_start,
	.metrics_json = server_json,
	.metrics_csv = server_csv,
	.destroy = server_destroy,
};

struct app *
rr_server_new(struct node *n, const char *name, uint16_t port,
    const struct app_tcp_opts *tcp)
{
	struct rr_server *v = xcalloc(1, sizeof(*v));

	v->app.ops = &server_ops;
	v->app.name = xstrdup(name);
	v->app.node = n;
	v->port = port;
	if (tcp != NULL)
		v->opts = *tcp;
	else
		app_tcp_opts_default(&v->opts);
	flowset_init(&v->fs, &v->app);
	return &v->app;
}

uint64_t
rr_server_answered(const struct app *a)
{
	return server_of(a)->answered;
}

uint16_t
rr_server_port(const struct app *a)
{
	return server_of(a)->port;
}

const struct flowset *
rr_server_flows(const struct app *a)
{
	return &server_of(a)->fs;
}
