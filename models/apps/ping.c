/*
 * ping.c - ICMP echo (RFC 792), one probe per interval, each with its own
 * timeout. A reply or an ICMP error quoting one of our requests settles the
 * probe; a late reply after the timeout is ignored, as ping(8) reports it
 * as lost.
 */
#include <stdlib.h>
#include <string.h>

#include "apps.h"
#include "net.h"
#include "pkt.h"
#include "sim.h"
#include "timer.h"
#include "trace.h"
#include "wire.h"

struct ping {
	struct app app;
	struct ping_cfg cfg;
	struct probe *probes;
	size_t n, cap;
	size_t first_unexpired;	/* probes before it are past their timeout */
	struct timer_set timers;	/* cancelled together on destroy */
	struct timer next;		/* the next probe */
	struct timer timeout;		/* deadline of probes[first_unexpired] */
	bool listening;
};

/* The request's cookie, which the echo reply keeps: low bits of its uid. */
static uint32_t
probe_cookie(uint64_t uid)
{
	return (uint32_t)uid | 1u << 31;	/* never 0, the untagged cookie */
}

static struct ping *
ping_of(const struct app *a)
{
	return (struct ping *)(uintptr_t)a;
}

static void
report(struct ping *pg, const struct probe *pr)
{
	struct sim *sim = net_sim(node_net(pg->app.node));
	char text[96], a[16];

	if (pr->result == PROBE_TIMEOUT || pr->result == PROBE_SEND_FAILED)
		snprintf(text, sizeof(text), "icmp_seq=%u %s", pr->seq,
		    probe_result_name[pr->result]);
	else
		snprintf(text, sizeof(text), "icmp_seq=%u %s from %s", pr->seq,
		    probe_result_name[pr->result], wire_ip_str(pr->from, a));
	trace_app(net_trace(node_net(pg->app.node)), sim_now(sim),
	    node_id(pg->app.node), pg->app.name, pr->seq,
	    pr->result == PROBE_REPLY, pr->result == PROBE_TIMEOUT ||
	    pr->result == PROBE_SEND_FAILED ? 0 : pr->rtt,
	    text);
}

static void
probe_timeout(struct timer *tm, void *arg)
{
	struct ping *pg = arg;
	struct sim *sim = timer_sim(tm);

	/* Deadlines come in send order: expire from the oldest. */
	while (pg->first_unexpired < pg->n) {
		struct probe *pr = &pg->probes[pg->first_unexpired];

		if (pr->sent + pg->cfg.timeout > sim_now(sim)) {
			/* one timer at a time, for the oldest live probe */
			timer_start_at(tm, pr->sent + pg->cfg.timeout);
			break;
		}
		if (pr->result == PROBE_PENDING) {
			pr->result = PROBE_TIMEOUT;
			report(pg, pr);
		}
		pg->first_unexpired++;
	}
}

static void
send_probe(struct timer *tm, void *arg)
{
	struct ping *pg = arg;
	struct sim *sim = timer_sim(tm);
	struct node *n = pg->app.node;
	struct probe *pr;
	struct icmp_hdr icmp;
	struct pkt *p;
	uint32_t seq = (uint32_t)pg->n;

	if (pg->cfg.count != 0 && seq >= pg->cfg.count)
		return;
	if (pg->n == pg->cap) {
		pg->cap = pg->cap ? pg->cap * 2 : 64;
		pg->probes = xrealloc(pg->probes, pg->cap * sizeof(*pr));
	}
	pr = &pg->probes[pg->n++];
	memset(pr, 0, sizeof(*pr));
	pr->seq = seq;
	pr->ttl = pg->cfg.ttl;
	pr->sent = sim_now(sim);

	/* The payload is virtual: zeros, as the checksum and pcap see it. */
	p = pkt_alloc(sim, 0);
	p->virt_len = pg->cfg.size;
	p->cookie = probe_cookie(p->uid);
	pr->uid = p->uid;
	memset(&icmp, 0, sizeof(icmp));
	icmp.type = WIRE_ICMP_ECHO;
	icmp.rest = (uint32_t)pg->cfg.ident << 16 | (seq & 0xffff);
	wire_push_icmp(sim, p, &icmp);
	if (node_send_ip(n, VRF_DEFAULT, p, 0, pg->cfg.dst, WIRE_IPPROTO_ICMP,
	    pg->cfg.ttl, pg->cfg.df ? WIRE_IPV4_DF : 0) < 0) {
		/* as ping(8) reports "Message too long" or "unreachable" */
		pr->result = PROBE_SEND_FAILED;
		report(pg, pr);
	}
	if (!timer_is_running(&pg->timeout))
		timer_start(&pg->timeout, pg->cfg.timeout);
	if (pg->cfg.count == 0 || pg->n < pg->cfg.count)
		timer_start(tm, pg->cfg.interval);
}

/*
 * The probe a reply or an error answers, or NULL. The 16-bit sequence
 * number wraps, so with more than 65,536 probes outstanding several pending
 * probes share it: candidates are 65,536 apart, from the oldest unexpired
 * one. An echo reply is our request turned around (net_local.c), so it keeps
 * the request's cookie, which names its probe exactly. An ICMP error is a
 * new packet that quotes only the header: delivery is in order on a path,
 * so the oldest pending candidate is the one it answers.
 */
static struct probe *
match(struct ping *pg, uint16_t seq16, uint32_t cookie)
{
	size_t i;

	if (pg->first_unexpired >= pg->n)
		return NULL;
	/* the first index >= first_unexpired whose low 16 bits are seq16 */
	i = pg->first_unexpired +
	    ((seq16 - pg->first_unexpired) & (size_t)0xffff);
	for (; i < pg->n; i += 0x10000) {
		struct probe *pr = &pg->probes[i];

		if (cookie >> 31) {
			if (probe_cookie(pr->uid) == cookie)
				return pr->result == PROBE_PENDING ? pr : NULL;
		} else if (pr->result == PROBE_PENDING)
			return pr;
	}
	return NULL;
}

static void
settle(struct ping *pg, uint16_t seq16, uint32_t cookie,
    enum probe_result res, uint32_t from, const struct wire_frame *f)
{
	struct sim *sim = net_sim(node_net(pg->app.node));
	struct probe *pr;

	/* Probes before first_unexpired are settled or timed out. */
	if ((pr = match(pg, seq16, cookie)) == NULL)
		return;
	pr->result = res;
	pr->rtt = sim_now(sim) - pr->sent;
	pr->from = from;
	pr->icmp_type = f->icmp.type;
	pr->icmp_code = f->icmp.code;
	report(pg, pr);
}

/* One of our requests or replies dropped: the probe will not be answered. */
static void
ping_drop(const struct pkt *p, enum trace_drop reason, void *ctx)
{
	struct ping *pg = ctx;
	size_t lo, hi, mid;

	(void)reason;
	if (!(p->cookie >> 31) || pg->n == 0 || p->created < pg->probes[0].sent)
		return;
	/* Probes go out in time order: find the one created then. */
	lo = pg->first_unexpired;
	hi = pg->n;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (pg->probes[mid].sent < p->created)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < pg->n && pg->probes[lo].sent == p->created &&
	    probe_cookie(pg->probes[lo].uid) == p->cookie)
		pg->probes[lo].dropped = true;
}

static bool
ping_icmp(struct node *n, struct pkt *p, const struct wire_frame *f,
    void *ctx)
{
	struct ping *pg = ctx;
	const uint8_t *q = p->data;
	uint32_t ihl;

	if (f->icmp.type == WIRE_ICMP_ECHO_REPLY) {
		if ((f->icmp.rest >> 16) != pg->cfg.ident)
			return false;
		settle(pg, (uint16_t)f->icmp.rest, p->cookie, PROBE_REPLY,
		    f->ip.src, f);
		pkt_free(net_sim(node_net(n)), p);
		return true;
	}
	if (f->icmp.type != WIRE_ICMP_UNREACH && f->icmp.type != WIRE_ICMP_TIME_EXCEEDED)
		return false;
	/* The quote: our IPv4 header, then our echo header. */
	if (p->len < WIRE_IPV4_HLEN)
		return false;
	ihl = (uint32_t)(q[0] & 0x0f) * 4;
	if (ihl < WIRE_IPV4_HLEN || p->len < ihl + WIRE_ICMP_HLEN ||
	    q[9] != WIRE_IPPROTO_ICMP || q[ihl] != WIRE_ICMP_ECHO ||
	    get_be32(q + 16) != pg->cfg.dst ||
	    get_be16(q + ihl + 4) != pg->cfg.ident)
		return false;
	settle(pg, get_be16(q + ihl + 6), 0,
	    f->icmp.type == WIRE_ICMP_TIME_EXCEEDED ? PROBE_TIME_EXCEEDED :
	    PROBE_UNREACHABLE, f->ip.src, f);
	pkt_free(net_sim(node_net(n)), p);
	return true;
}

static void
ping_start(struct app *a)
{
	struct ping *pg = ping_of(a);

	node_add_icmp_listener(a->node, ping_icmp, pg);
	net_add_drop_listener(node_net(a->node), ping_drop, pg);
	pg->listening = true;
	send_probe(&pg->next, pg);	/* the first probe now */
}

static void
ping_json(const struct app *a, FILE *out)
{
	const struct ping *pg = ping_of(a);
	sim_time *rtt = xmalloc((pg->n + 1) * sizeof(*rtt));
	size_t i, nr = 0, lost = 0, errors = 0, pending = 0, done;
	char dst[16];

	for (i = 0; i < pg->n; i++) {
		const struct probe *pr = &pg->probes[i];

		if (pr->result == PROBE_REPLY)
			rtt[nr++] = pr->rtt;
		else if (probe_lost(pr))
			lost++;
		else if (probe_in_flight(pr))
			pending++;
		else
			errors++;
	}
	/* Probes still in flight are neither received nor lost. */
	done = pg->n - pending;
	fprintf(out, "{\"name\":\"%s\",\"type\":\"ping\",\"node\":\"%s\","
	    "\"dst\":\"%s\",\"sent\":%zu,\"received\":%zu,\"lost\":%zu,"
	    "\"errors\":%zu,\"pending\":%zu,\"loss_pct\":%.3f,\"rtt_ns\":",
	    a->name, node_name(a->node), wire_ip_str(pg->cfg.dst, dst), pg->n,
	    nr, lost, errors, pending,
	    done ? 100.0 * (double)(done - nr) / (double)done : 0.0);
	app_write_latency_json(out, rtt, nr);
	fputs(",\"probes\":[", out);
	for (i = 0; i < pg->n; i++) {
		const struct probe *pr = &pg->probes[i];

		fprintf(out, "%s{\"seq\":%u,\"sent_ns\":%lld,\"result\":\"%s\"",
		    i ? "," : "", pr->seq, (long long)pr->sent,
		    pr->result == PROBE_PENDING && pr->dropped ? "dropped" :
		    probe_result_name[pr->result]);
		if (pr->result != PROBE_PENDING && pr->result != PROBE_TIMEOUT &&
		    pr->result != PROBE_SEND_FAILED)
			fprintf(out, ",\"rtt_ns\":%lld,\"from\":\"%s\"",
			    (long long)pr->rtt, wire_ip_str(pr->from, dst));
		fputc('}', out);
	}
	fputs("]}", out);
	free(rtt);
}

static void
ping_csv(const struct app *a, sim_time interval, FILE *out)
{
	const struct ping *pg = ping_of(a);
	size_t i;

	(void)interval;		/* a row per probe, whatever the interval */
	for (i = 0; i < pg->n; i++)
		if (pg->probes[i].result == PROBE_REPLY)
			fprintf(out, "%s,rtt_ns,%lld,%lld\n", a->name,
			    (long long)pg->probes[i].sent,
			    (long long)pg->probes[i].rtt);
}

static void
ping_destroy(struct app *a)
{
	struct ping *pg = ping_of(a);

	timer_set_destroy(&pg->timers);
	if (pg->listening) {
		node_remove_icmp_listener(a->node, ping_icmp, pg);
		net_remove_drop_listener(node_net(a->node), ping_drop, pg);
	}
	free(pg->probes);
	free(pg);
}

static const struct app_ops ping_ops = {
	.kind = "ping",
	.start = ping_start,
	.metrics_json = ping_json,
	.metrics_csv = ping_csv,
	.destroy = ping_destroy,
};

struct app *
ping_new(struct node *n, const char *name, const struct ping_cfg *cfg)
{
	struct ping *pg = xcalloc(1, sizeof(*pg));

	pg->app.ops = &ping_ops;
	pg->app.name = xstrdup(name);
	pg->app.node = n;
	pg->app.start = cfg->start;
	pg->cfg = *cfg;
	if (pg->cfg.interval <= 0)
		pg->cfg.interval = SIM_S(1);
	if (pg->cfg.timeout <= 0)
		pg->cfg.timeout = SIM_S(1);
	timer_set_init(&pg->timers);
	timer_init(&pg->next, net_sim(node_net(n)), &pg->timers, send_probe,
	    pg);
	timer_init(&pg->timeout, net_sim(node_net(n)), &pg->timers,
	    probe_timeout, pg);
	return &pg->app;
}

size_t
ping_n_probes(const struct app *a)
{
	return ping_of(a)->n;
}

const struct probe *
ping_probe(const struct app *a, size_t i)
{
	const struct ping *pg = ping_of(a);

	return i < pg->n ? &pg->probes[i] : NULL;
}
