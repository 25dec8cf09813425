/*
 * traceroute.c - the classic UDP traceroute: probes to port 33434 + n with
 * TTL 1, 2, ... sent one at a time; each router on the path answers with
 * ICMP time exceeded, the destination with port unreachable. A hop is done
 * when all its probes are answered or timed out; the trace is done after the
 * hop the destination answered, or after max_hops.
 */
#include <stdlib.h>
#include <string.h>

#include "apps.h"
#include "net.h"
#include "pkt.h"
#include "sim.h"
#include "trace.h"
#include "wire.h"

#define TR_BASE_PORT 33434u
#define TR_SRC_PORT_BASE 40000u
#define TR_PAYLOAD 32u

struct traceroute {
	struct app app;
	struct traceroute_cfg cfg;
	struct probe *probes;
	size_t n, cap;
	sim_event_id timer;
	bool done;
	bool reached;		/* the destination answered at this TTL */
	bool listening;
};

static struct traceroute *
tr_of(const struct app *a)
{
	return (struct traceroute *)(uintptr_t)a;
}

static void send_next(struct traceroute *t);

static void
report(struct traceroute *t, const struct probe *pr)
{
	struct sim *sim = net_sim(node_net(t->app.node));
	char text[96], a[16];

	if (pr->result == PROBE_TIMEOUT)
		snprintf(text, sizeof(text), "ttl=%u *", pr->ttl);
	else
		snprintf(text, sizeof(text), "ttl=%u %s %s", pr->ttl,
		    wire_ip_str(pr->from, a), probe_result_name[pr->result]);
	trace_app(net_trace(node_net(t->app.node)), sim_now(sim),
	    node_id(t->app.node), t->app.name, pr->seq,
	    pr->result != PROBE_TIMEOUT, pr->result == PROBE_TIMEOUT ? 0 :
	    pr->rtt, text);
}

/* Settle the outstanding probe (the last one sent) and move on. */
static void
finish_probe(struct traceroute *t, enum probe_result res, uint32_t from,
    uint8_t type, uint8_t code)
{
	struct sim *sim = net_sim(node_net(t->app.node));
	struct probe *pr = &t->probes[t->n - 1];

	sim_cancel(sim, t->timer);
	pr->result = res;
	pr->from = from;
	pr->icmp_type = type;
	pr->icmp_code = code;
	if (res != PROBE_TIMEOUT)
		pr->rtt = sim_now(sim) - pr->sent;
	if (res == PROBE_REPLY || res == PROBE_UNREACHABLE)
		t->reached = true;
	report(t, pr);
	send_next(t);
}

static void
probe_timeout(struct sim *sim, void *arg)
{
	struct traceroute *t = arg;

	(void)sim;
	finish_probe(t, PROBE_TIMEOUT, 0, 0, 0);
}

static void
send_next(struct traceroute *t)
{
	struct node *n = t->app.node;
	struct sim *sim = net_sim(node_net(n));
	uint8_t ttl;
	struct probe *pr;
	struct udp_hdr udp;
	struct pkt *p;
	uint32_t src;

	if (t->n == 0) {
		ttl = 1;
	} else {
		const struct probe *last = &t->probes[t->n - 1];

		ttl = last->ttl;
		if (t->n % t->cfg.probes == 0) {	/* hop complete */
			if (t->reached || ttl >= t->cfg.max_hops) {
				t->done = true;
				return;
			}
			ttl++;
		}
	}
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 32;
		t->probes = xrealloc(t->probes, t->cap * sizeof(*pr));
	}
	pr = &t->probes[t->n];
	memset(pr, 0, sizeof(*pr));
	pr->seq = (uint32_t)t->n;
	pr->ttl = ttl;
	pr->sent = sim_now(sim);
	t->n++;

	src = node_source_for(n, VRF_DEFAULT, t->cfg.dst);
	p = pkt_alloc(sim, 0);
	p->virt_len = TR_PAYLOAD;
	memset(&udp, 0, sizeof(udp));
	udp.sport = (uint16_t)(TR_SRC_PORT_BASE + t->cfg.ident);
	udp.dport = (uint16_t)(TR_BASE_PORT + pr->seq);
	wire_push_udp(sim, p, &udp, src, t->cfg.dst);
	t->timer = sim_schedule(sim, t->cfg.timeout, probe_timeout, t);
	node_send_ip(n, VRF_DEFAULT, p, src, t->cfg.dst, WIRE_IPPROTO_UDP, ttl, 0);
}

static bool
tr_icmp(struct node *n, struct pkt *p, const struct wire_frame *f, void *ctx)
{
	struct traceroute *t = ctx;
	const uint8_t *q = p->data;
	uint32_t ihl;
	uint16_t sport, dport;
	enum probe_result res;

	if (t->done || t->n == 0 ||
	    t->probes[t->n - 1].result != PROBE_PENDING)
		return false;
	if (f->icmp.type != WIRE_ICMP_UNREACH && f->icmp.type != WIRE_ICMP_TIME_EXCEEDED)
		return false;
	if (p->len < WIRE_IPV4_HLEN)
		return false;
	ihl = (uint32_t)(q[0] & 0x0f) * 4;
	if (ihl < WIRE_IPV4_HLEN || p->len < ihl + WIRE_UDP_HLEN ||
	    q[9] != WIRE_IPPROTO_UDP)
		return false;
	sport = get_be16(q + ihl);
	dport = get_be16(q + ihl + 2);
	if (sport != TR_SRC_PORT_BASE + t->cfg.ident ||
	    dport != (uint16_t)(TR_BASE_PORT + t->probes[t->n - 1].seq))
		return false;
	if (f->icmp.type == WIRE_ICMP_TIME_EXCEEDED)
		res = PROBE_TIME_EXCEEDED;
	else if (f->icmp.code == WIRE_ICMP_UNREACH_PORT)
		res = PROBE_REPLY;
	else
		res = PROBE_UNREACHABLE;
	pkt_free(net_sim(node_net(n)), p);
	finish_probe(t, res, f->ip.src, f->icmp.type, f->icmp.code);
	return true;
}

static void
tr_start(struct app *a)
{
	struct traceroute *t = tr_of(a);

	node_add_icmp_listener(a->node, tr_icmp, t);
	t->listening = true;
	send_next(t);
}

size_t
traceroute_path(const struct app *a, uint32_t *hops, size_t max)
{
	const struct traceroute *t = tr_of(a);
	size_t i, n = 0;

	for (i = 0; i < t->n; i++) {
		const struct probe *pr = &t->probes[i];
		size_t h = (size_t)pr->ttl - 1;

		if (h >= max)
			break;
		while (n <= h)
			hops[n++] = 0;
		if (hops[h] == 0 && pr->result != PROBE_TIMEOUT &&
		    pr->result != PROBE_PENDING)
			hops[h] = pr->from;
	}
	return n;
}

static void
tr_json(const struct app *a, FILE *out)
{
	const struct traceroute *t = tr_of(a);
	uint32_t hops[256];
	size_t n = traceroute_path(a, hops, 256), i, j;
	char s[16];

	fprintf(out, "{\"name\":\"%s\",\"type\":\"traceroute\",\"node\":\"%s\","
	    "\"dst\":\"%s\",\"reached\":%s,\"hops\":[", a->name,
	    node_name(a->node), wire_ip_str(t->cfg.dst, s),
	    t->reached ? "true" : "false");
	for (i = 0; i < n; i++) {
		const struct node *owner = hops[i] ?
		    net_node_by_addr(node_net(a->node), hops[i]) : NULL;

		fprintf(out, "%s{\"ttl\":%zu,\"addr\":", i ? "," : "", i + 1);
		if (hops[i])
			fprintf(out, "\"%s\"", wire_ip_str(hops[i], s));
		else
			fputs("null", out);
		fprintf(out, ",\"node\":");
		if (owner)
			fprintf(out, "\"%s\"", node_name(owner));
		else
			fputs("null", out);
		fputs(",\"rtt_ns\":[", out);
		for (j = 0; j < t->n; j++) {
			const struct probe *pr = &t->probes[j];

			if (pr->ttl != i + 1)
				continue;
			if (pr->result == PROBE_TIMEOUT ||
			    pr->result == PROBE_PENDING)
				fprintf(out, "%snull", j % t->cfg.probes ?
				    "," : "");
			else
				fprintf(out, "%s%lld", j % t->cfg.probes ?
				    "," : "", (long long)pr->rtt);
		}
		fputs("]}", out);
	}
	fputs("]}", out);
}

static void
tr_destroy(struct app *a)
{
	struct traceroute *t = tr_of(a);

	sim_cancel(net_sim(node_net(a->node)), t->timer);
	if (t->listening)
		node_remove_icmp_listener(a->node, tr_icmp, t);
	free(t->probes);
	free(t);
}

static const struct app_ops traceroute_ops = {
	.kind = "traceroute",
	.start = tr_start,
	.metrics_json = tr_json,
	.metrics_csv = NULL,
	.destroy = tr_destroy,
};

struct app *
traceroute_new(struct node *n, const char *name,
    const struct traceroute_cfg *cfg)
{
	struct traceroute *t = xcalloc(1, sizeof(*t));

	t->app.ops = &traceroute_ops;
	t->app.name = xstrdup(name);
	t->app.node = n;
	t->app.start = cfg->start;
	t->cfg = *cfg;
	if (t->cfg.probes == 0)
		t->cfg.probes = 3;
	if (t->cfg.max_hops == 0)
		t->cfg.max_hops = 30;
	if (t->cfg.timeout <= 0)
		t->cfg.timeout = SIM_S(1);
	return &t->app;
}

size_t
traceroute_n_probes(const struct app *a)
{
	return tr_of(a)->n;
}

const struct probe *
traceroute_probe(const struct app *a, size_t i)
{
	const struct traceroute *t = tr_of(a);

	return i < t->n ? &t->probes[i] : NULL;
}

bool
traceroute_done(const struct app *a)
{
	return tr_of(a)->done;
}
