/*
 * udp.c - UDP sources at a constant bit rate or with Poisson arrivals, and
 * a sink.
 *
 * The first 16 payload bytes are real: a sequence number and the send time
 * (both big-endian 64-bit), so the sink measures one-way latency and
 * reordering from the packet itself; the rest of the payload is virtual.
 */
#include <stdlib.h>
#include <string.h>

#include "apps.h"
#include "binspool.h"
#include "net.h"
#include "pkt.h"
#include "rng.h"
#include "sim.h"
#include "wire.h"

#define UDP_SRC_PORT_BASE 50000u
#define UDP_STAMP 16u

struct udp_cbr {
	struct app app;
	struct udp_cbr_cfg cfg;
	uint64_t sent;
	uint32_t src;
	sim_event_id next;
};

struct udp_poisson {
	struct app app;
	struct udp_poisson_cfg cfg;
	struct rng rng;
	uint64_t sent, digest;
	uint32_t src;
	sim_event_id next;
};

struct udp_sink {
	struct app app;
	uint32_t vrf;
	uint16_t port;
	bool bound;
	uint64_t received, bytes, reordered, max_seq;
	struct lat_hist lat;	/* one-way latency */
	struct bin_series bins;	/* bytes received per BINSPOOL_BIN */
	struct bin_spool spool;
};

static struct udp_cbr *
cbr_of(const struct app *a)
{
	return (struct udp_cbr *)(uintptr_t)a;
}

static struct udp_sink *
sink_of(const struct app *a)
{
	return (struct udp_sink *)(uintptr_t)a;
}

/* One datagram: sequence number and send time, then virtual bytes. */
static void
udp_send_stamped(struct node *n, uint64_t seq, uint32_t src, uint32_t dst,
    uint16_t sport, uint16_t dport, uint32_t size, bool df)
{
	struct sim *sim = net_sim(node_net(n));
	struct udp_hdr udp;
	struct pkt *p;

	p = pkt_alloc(sim, UDP_STAMP);
	p->virt_len = size - UDP_STAMP;
	put_be64(p->data, seq);
	put_be64(p->data + 8, (uint64_t)sim_now(sim));
	memset(&udp, 0, sizeof(udp));
	udp.sport = sport;
	udp.dport = dport;
	wire_push_udp(sim, p, &udp, src, dst);
	node_send_ip(n, VRF_DEFAULT, p, src, dst, WIRE_IPPROTO_UDP, 64,
	    df ? WIRE_IPV4_DF : 0);
}

static void
cbr_send(struct sim *sim, void *arg)
{
	struct udp_cbr *c = arg;

	if (c->cfg.count != 0 && c->sent >= c->cfg.count)
		return;
	udp_send_stamped(c->app.node, c->sent, c->src, c->cfg.dst,
	    (uint16_t)(UDP_SRC_PORT_BASE + c->cfg.ident), c->cfg.dport,
	    c->cfg.size, c->cfg.df);
	c->sent++;
	if (c->cfg.count == 0 || c->sent < c->cfg.count)
		c->next = sim_schedule(sim, c->cfg.interval, cbr_send, c);
}

static void
cbr_start(struct app *a)
{
	struct udp_cbr *c = cbr_of(a);

	c->src = node_source_for(a->node, VRF_DEFAULT, c->cfg.dst);
	cbr_send(net_sim(node_net(a->node)), c);
}

static void
cbr_json(const struct app *a, FILE *out)
{
	const struct udp_cbr *c = cbr_of(a);
	char d[16];

	fprintf(out, "{\"name\":\"%s\",\"type\":\"udp_cbr\",\"node\":\"%s\","
	    "\"dst\":\"%s\",\"dport\":%u,\"sent\":%llu,\"size\":%u,"
	    "\"interval_ns\":%lld}", a->name, node_name(a->node),
	    wire_ip_str(c->cfg.dst, d), c->cfg.dport,
	    (unsigned long long)c->sent, c->cfg.size,
	    (long long)c->cfg.interval);
}

static void
cbr_destroy(struct app *a)
{
	struct udp_cbr *c = cbr_of(a);

	sim_cancel(net_sim(node_net(a->node)), c->next);
	free(c);
}

static const struct app_ops cbr_ops = {
	.kind = "udp_cbr",
	.start = cbr_start,
	.metrics_json = cbr_json,
	.metrics_csv = NULL,
	.destroy = cbr_destroy,
};

struct app *
udp_cbr_new(struct node *n, const char *name, const struct udp_cbr_cfg *cfg)
{
	struct udp_cbr *c = xcalloc(1, sizeof(*c));

	c->app.ops = &cbr_ops;
	c->app.name = xstrdup(name);
	c->app.node = n;
	c->app.start = cfg->start;
	c->cfg = *cfg;
	if (c->cfg.size < UDP_STAMP)
		c->cfg.size = UDP_STAMP;
	if (c->cfg.interval <= 0)
		c->cfg.interval = SIM_MS(1);
	return &c->app;
}

uint64_t
udp_cbr_sent(const struct app *a)
{
	return cbr_of(a)->sent;
}

static struct udp_poisson *
poisson_of(const struct app *a)
{
	return (struct udp_poisson *)(uintptr_t)a;
}

/*
 * Gaps are drawn before each packet, the first one too: a Poisson process
 * started at start has its first arrival an exponential gap later.
 */
static void
poisson_send(struct sim *sim, void *arg)
{
	struct udp_poisson *u = arg;
	uint64_t t = (uint64_t)sim_now(sim);
	sim_time gap;
	int i;

	udp_send_stamped(u->app.node, u->sent, u->src, u->cfg.dst,
	    (uint16_t)(UDP_SRC_PORT_BASE + u->cfg.ident), u->cfg.dport,
	    u->cfg.size, u->cfg.df);
	u->sent++;
	for (i = 0; i < 8; i++) {	/* FNV-1a over the send time */
		u->digest ^= t >> (8 * i) & 0xff;
		u->digest *= 0x100000001b3ULL;
	}
	if (u->cfg.count != 0 && u->sent >= u->cfg.count)
		return;
	gap = rng_exp_time(&u->rng, u->cfg.mean_interval);
	if (u->cfg.stop != 0 && sim_now(sim) + gap >= u->cfg.stop)
		return;
	u->next = sim_schedule(sim, gap, poisson_send, u);
}

static void
poisson_start(struct app *a)
{
	struct udp_poisson *u = poisson_of(a);
	struct sim *sim = net_sim(node_net(a->node));
	sim_time gap = rng_exp_time(&u->rng, u->cfg.mean_interval);

	u->src = node_source_for(a->node, VRF_DEFAULT, u->cfg.dst);
	if (u->cfg.stop != 0 && sim_now(sim) + gap >= u->cfg.stop)
		return;
	u->next = sim_schedule(sim, gap, poisson_send, u);
}

static void
poisson_json(const struct app *a, FILE *out)
{
	const struct udp_poisson *u = poisson_of(a);
	char d[16];

	fprintf(out, "{\"name\":\"%s\",\"type\":\"udp_poisson\","
	    "\"node\":\"%s\",\"dst\":\"%s\",\"dport\":%u,\"sent\":%llu,"
	    "\"size\":%u,\"mean_interval_ns\":%lld}", a->name,
	    node_name(a->node), wire_ip_str(u->cfg.dst, d), u->cfg.dport,
	    (unsigned long long)u->sent, u->cfg.size,
	    (long long)u->cfg.mean_interval);
}

static void
poisson_destroy(struct app *a)
{
	struct udp_poisson *u = poisson_of(a);

	sim_cancel(net_sim(node_net(a->node)), u->next);
	free(u);
}

static const struct app_ops poisson_ops = {
	.kind = "udp_poisson",
	.start = poisson_start,
	.metrics_json = poisson_json,
	.metrics_csv = NULL,
	.destroy = poisson_destroy,
};

struct app *
udp_poisson_new(struct node *n, const char *name,
    const struct udp_poisson_cfg *cfg)
{
	struct udp_poisson *u = xcalloc(1, sizeof(*u));
	char stream[300];

	u->app.ops = &poisson_ops;
	u->app.name = xstrdup(name);
	u->app.node = n;
	u->app.start = cfg->start;
	u->cfg = *cfg;
	if (u->cfg.size < UDP_STAMP)
		u->cfg.size = UDP_STAMP;
	if (u->cfg.mean_interval <= 0)
		u->cfg.mean_interval = SIM_MS(1);
	u->digest = 0xcbf29ce484222325ULL;
	snprintf(stream, sizeof(stream), "udp_poisson/%s", name);
	rng_init(&u->rng, sim_seed(net_sim(node_net(n))), stream);
	return &u->app;
}

uint64_t
udp_poisson_sent(const struct app *a)
{
	return poisson_of(a)->sent;
}

uint64_t
udp_poisson_digest(const struct app *a)
{
	return poisson_of(a)->digest;
}

static void
sink_rx(struct node *n, struct pkt *p, const struct wire_frame *f, void *ctx)
{
	struct udp_sink *s = ctx;
	struct sim *sim = net_sim(node_net(n));
	sim_time now = sim_now(sim);

	s->received++;
	s->bytes += f->payload_len;
	if (p->len >= UDP_STAMP) {
		uint64_t seq = get_be64(p->data);
		sim_time sent = (sim_time)get_be64(p->data + 8);

		if (seq + 1 < s->max_seq)
			s->reordered++;
		if (seq + 1 > s->max_seq)
			s->max_seq = seq + 1;
		if (sent >= 0 && sent <= now)
			lat_hist_add(&s->lat, now - sent);
	}
	bin_series_add(&s->spool, &s->bins, now, f->payload_len);
	pkt_free(sim, p);
}

static void
sink_start(struct app *a)
{
	struct udp_sink *s = sink_of(a);

	SIM_ASSERT(node_bind_udp(a->node, s->vrf, s->port, sink_rx, NULL,
	    s) == 0, "%s: port %u already bound", a->name, s->port);
	s->bound = true;
}

static void
sink_json(const struct app *a, FILE *out)
{
	const struct udp_sink *s = sink_of(a);

	fprintf(out, "{\"name\":\"%s\",\"type\":\"udp_sink\",\"node\":\"%s\","
	    "\"port\":%u,\"received\":%llu,\"bytes\":%llu,\"reordered\":%llu,"
	    "\"one_way_ns\":", a->name, node_name(a->node), s->port,
	    (unsigned long long)s->received, (unsigned long long)s->bytes,
	    (unsigned long long)s->reordered);
	lat_hist_write_json(&s->lat, out);
	fputc('}', out);
}

static void
sink_csv(const struct app *a, sim_time interval, FILE *out)
{
	const struct udp_sink *s = sink_of(a);

	bin_series_write_csv(&s->spool, &s->bins, a->name, interval, out);
}

static void
sink_destroy(struct app *a)
{
	struct udp_sink *s = sink_of(a);

	if (s->bound)
		node_unbind_udp(a->node, s->vrf, s->port);
	lat_hist_free(&s->lat);
	free(s->bins.held);
	bin_spool_free(&s->spool);
	free(s);
}

static const struct app_ops sink_ops = {
	.kind = "udp_sink",
	.start = sink_start,
	.metrics_json = sink_json,
	.metrics_csv = sink_csv,
	.destroy = sink_destroy,
};

struct app *
udp_sink_new_vrf(struct node *n, const char *name, uint32_t vrf,
    uint16_t port)
{
	struct udp_sink *s = xcalloc(1, sizeof(*s));

	s->app.ops = &sink_ops;
	s->app.name = xstrdup(name);
	s->app.node = n;
	s->app.start = 0;
	s->vrf = vrf;
	s->port = port;
	bin_series_init(&s->bins);
	return &s->app;
}

struct app *
udp_sink_new(struct node *n, const char *name, uint16_t port)
{
	return udp_sink_new_vrf(n, name, VRF_DEFAULT, port);
}

uint64_t
udp_sink_received(const struct app *a)
{
	return sink_of(a)->received;
}

size_t
udp_sink_mem_bytes(const struct app *a)
{
	const struct udp_sink *s = sink_of(a);

	return bin_series_held_bytes(&s->bins) + s->spool.cap;
}

size_t
udp_sink_spooled_bytes(const struct app *a)
{
	return sink_of(a)->spool.len;
}

uint64_t
udp_sink_bytes(const struct app *a)
{
	return sink_of(a)->bytes;
}

uint16_t
udp_sink_port(const struct app *a)
{
	return sink_of(a)->port;
}

uint32_t
udp_sink_vrf(const struct app *a)
{
	return sink_of(a)->vrf;
}
