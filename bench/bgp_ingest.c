/*
 * bench/bgp_ingest.c - a full table into a BGP speaker's tables, end to end.
 *
 * For 100,000 and 1,000,000 distinct IPv4 prefixes (a public table's length
 * mix, mostly /24) it builds the UPDATEs a real router sends: prefixes
 * grouped by attribute set (one set per 333 prefixes: 300 sets for 100k,
 * 3,000 for 1M; a skewed mix: a few sets carry many prefixes, most few; AS paths of 1 to 6 hops with some MEDs and
 * communities), packed by bgp_pack_announce at most 400 prefixes a message.
 * Untimed. Then, timed: each message decoded (bgp_decode), applied to the
 * peer's Adj-RIB-In (one interning per message), the decision run per
 * prefix, and the Loc-RIB installed in a node's RIB and FIB through the
 * bgp_node glue. It prints wall time, prefixes per second, bytes per route
 * by the tables' own accounting (Adj-RIB-In and Loc-RIB with the interned
 * sets; the node's RIB+FIB apart) and RSS growth; then the same with
 * a second peer sending the same prefixes (half of them better, half worse:
 * the decision picks and the FIB moves for half), and the same ingest with
 * no node attached (decode, Adj-RIB-In, decision, Loc-RIB only). Every
 * timed row also gives the thread's CPU time: on a shared machine the wall
 * time includes the time other processes held the core.
 *
 *   build/bench/bgp_ingest [N ...]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bgp_msg.h"
#include "bgp_rib.h"
#include "bgp_speaker.h"
#include "net.h"
#include "rib.h"
#include "sim.h"
#include "stream.h"
#include "tcp.h"

#define PER_MSG 400u

struct gen {
	uint64_t x;
};

static uint64_t
gen_next(struct gen *g)
{
	uint64_t z = (g->x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/*
 * CPU time of this thread: on the shared machine the wall time also counts
 * the time other processes held the core, this does not.
 */
static uint64_t
cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static size_t
rss_bytes(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	unsigned long size = 0, res = 0;

	if (f == NULL)
		return 0;
	if (fscanf(f, "%lu %lu", &size, &res) != 2)
		res = 0;
	fclose(f);
	return res * 4096u;
}

/* Roughly the length histogram of a public IPv4 BGP table, in percent. */
static unsigned
bgp_len(struct gen *g)
{
	static const struct {
		unsigned len, pct;
	} mix[] = {
		{ 24, 56 }, { 23, 10 }, { 22, 12 }, { 21, 5 }, { 20, 5 },
		{ 19, 4 }, { 18, 2 }, { 17, 1 }, { 16, 3 },
	};
	unsigned r = (unsigned)(gen_next(g) % 100), acc = 0, i;

	for (i = 0; i < sizeof(mix) / sizeof(mix[0]); i++) {
		acc += mix[i].pct;
		if (r < acc)
			return mix[i].len;
	}
	return 12 + (unsigned)(gen_next(g) % 4);	/* the last 2% */
}

/* n distinct prefixes: a set of (prefix, len) keys to weed out repeats. */
static struct bgp_prefix4 *
make_prefixes(size_t n, struct gen *g)
{
	size_t cap = 1, k = 0;
	uint64_t *set;
	struct bgp_prefix4 *p = malloc(n * sizeof(*p));

	while (cap < 4 * n)
		cap *= 2;
	set = calloc(cap, sizeof(*set));
	while (k < n) {
		unsigned len = bgp_len(g);
		uint32_t a = (uint32_t)gen_next(g) & (~0u << (32 - len));
		uint64_t key = (uint64_t)a << 8 | len | 1ull << 40, i;

		/* unicast space only, as a table would have */
		if ((a >> 24) == 0 || (a >> 24) == 10 || (a >> 24) == 127 ||
		    (a >> 24) >= 224)
			continue;
		i = (key * 0x9e3779b97f4a7c15ULL >> 20) & (cap - 1);
		while (set[i] != 0 && set[i] != key)
			i = (i + 1) & (cap - 1);
		if (set[i] == key)
			continue;
		set[i] = key;
		p[k].addr = a;
		p[k++].len = (uint8_t)len;
	}
	free(set);
	return p;
}

/* Attribute set k of a peer: its path, MED, communities. */
static struct bgp_attrs *
make_set(unsigned k, uint32_t peer_as, uint32_t nh, int delta)
{
	struct bgp_attrs fixed;
	struct bgp_attrs_var var;
	uint32_t path[16], comm[4];
	unsigned hops = 2 + k % 5, i, n = 0;
	struct gen g = { 0x5eed0000u + k };

	memset(&fixed, 0, sizeof(fixed));
	memset(&var, 0, sizeof(var));
	if (delta < 0 && hops > 1)
		hops--;
	if (delta > 0)
		hops++;
	path[n++] = BGP_SEG(BGP_SEG_SEQUENCE, hops);
	path[n++] = peer_as;
	for (i = 1; i < hops; i++)
		path[n++] = 1000 + (uint32_t)(gen_next(&g) % 60000);
	fixed.has = BGP_HAS(BGP_ATTR_ORIGIN) | BGP_HAS(BGP_ATTR_AS_PATH) |
	    BGP_HAS(BGP_ATTR_NEXT_HOP);
	fixed.origin = k % 10 == 9 ? BGP_ORIGIN_INCOMPLETE : BGP_ORIGIN_IGP;
	fixed.next_hop = nh;
	if (k % 3 == 0) {
		fixed.has |= BGP_HAS(BGP_ATTR_MED);
		fixed.med = k % 100;
	}
	var.path = path;
	var.path_len = (uint16_t)n;
	for (i = 0; i < k % 5; i++)
		comm[i] = peer_as << 16 | (uint32_t)(100 + i * 10 + k % 7);
	if (k % 5 != 0) {
		fixed.has |= BGP_HAS(BGP_ATTR_COMMUNITIES);
		var.comm = comm;
		var.n_comm = (uint16_t)(k % 5);
	}
	return bgp_attrs_new(&fixed, &var);
}

struct wire {
	uint8_t *buf;
	size_t len, cap;
	size_t n_msg;
};

static void
emit(const uint8_t *msg, size_t len, void *arg)
{
	struct wire *w = arg;

	if (w->len + len > w->cap) {
		w->cap = (w->cap + len) * 2;
		w->buf = realloc(w->buf, w->cap);
	}
	memcpy(w->buf + w->len, msg, len);
	w->len += len;
	w->n_msg++;
}

/*
 * A peer's whole table as UPDATEs: prefixes assigned to sets with a skew
 * (set = n_sets * u^3: a few sets get many), grouped by set, packed.
 */
static void
make_feed(const struct bgp_prefix4 *pfx, size_t n, uint32_t peer_as,
    uint32_t nh, bool second, struct wire *w)
{
	unsigned n_sets = n / 333 < 1 ? 1 : (unsigned)(n / 333);
	unsigned *count = calloc(n_sets + 1, sizeof(*count)), s;
	struct bgp_prefix4 *sorted = malloc(n * sizeof(*sorted));
	unsigned *set_of = malloc(n * sizeof(*set_of));
	struct gen g = { 42 };
	size_t i;

	for (i = 0; i < n; i++) {
		double u = (double)(gen_next(&g) >> 11) / 9007199254740992.0;

		set_of[i] = (unsigned)(n_sets * u * u * u);
		count[set_of[i] + 1]++;
	}
	for (s = 1; s <= n_sets; s++)
		count[s] += count[s - 1];
	for (i = 0; i < n; i++)
		sorted[count[set_of[i]]++] = pfx[i];
	/* count[s] is now the end of set s */
	for (s = 0; s < n_sets; s++) {
		size_t lo = s == 0 ? 0 : count[s - 1], hi = count[s], j;
		struct bgp_attrs *a = make_set(s, peer_as, nh,
		    !second ? 0 : (s & 1) ? 1 : -1);

		for (j = lo; j < hi; j += PER_MSG)
			bgp_pack_announce(a, true, sorted + j,
			    hi - j < PER_MSG ? hi - j : PER_MSG, emit, w);
		free(a);
	}
	free(count);
	free(sorted);
	free(set_of);
}

/* Decode and apply a peer's feed; returns the prefixes applied. */
static size_t
ingest(struct bgp_rib *br, uint16_t peer, const struct wire *w)
{
	size_t off = 0, n = 0, len;
	struct bgp_msg m;
	struct bgp_result res;
	struct bgp_notify err;

	while (off < w->len) {
		if (bgp_frame(w->buf + off, w->len - off, &len, &err) !=
		    BGP_FRAME_OK)
			abort();
		if (bgp_decode(w->buf + off, len, true, &m, &res) !=
		    BGP_ACT_NONE)
			abort();
		n += bgp_rib_apply_update(br, peer, &m.u.update);
		bgp_msg_free(&m);
		off += len;
	}
	return n;
}

static void
report(const char *what, size_t n, uint64_t ns, uint64_t cpu,
    const struct bgp_rib *br, const struct rib *r, size_t rss0)
{
	size_t routes = bgp_rib_route_count(br), rss = rss_bytes();

	printf("%-34s %8zu prefixes %8.1f ms %10.0f prefixes/s (cpu %7.1f ms)"
	    "  tables %6.1f B/route (%zu routes, %zu sets)", what, n,
	    (double)ns / 1e6, (double)n * 1e9 / (double)ns, (double)cpu / 1e6,
	    (double)bgp_rib_memory(br) / (double)routes, routes,
	    bgp_intern_count(bgp_rib_intern((struct bgp_rib *)(uintptr_t)br)));
	if (r != NULL)
		printf("  node RIB+FIB %6.1f B/prefix", (double)rib_memory(r) /
		    (double)bgp_rib_prefix_count(br));
	printf("  RSS +%.1f B/route\n", rss > rss0 ?
	    (double)(rss - rss0) / (double)routes : 0.0);
}

/* --- the same feeds to a speaker over simulated TCP --- */

/*
 * A feeding peer: a raw TCP stream to the speaker's port 179 that sends
 * OPEN and KEEPALIVE, waits for the speaker's OPEN and KEEPALIVE (the
 * session is then Established on both sides, as a router waits before
 * sending its table), then writes its UPDATEs as fast as the send buffer
 * takes them, and reads and frames (without decoding) whatever the speaker
 * sends back.
 */
struct feeder {
	struct stream *s;
	const struct wire *w;
	uint8_t open[128];
	size_t open_len, off;
	uint8_t hdr[BGP_HDR_LEN];
	size_t hdr_have, skip;	/* the current message's header, body left */
	uint64_t msgs_in;
	bool feeding;
	int errors;
};

static void
feeder_pump(struct feeder *fd)
{
	size_t k;

	if (fd->s == NULL || !fd->feeding)
		return;
	while (fd->off < fd->w->len && (k = stream_send(fd->s,
	    fd->w->buf + fd->off, fd->w->len - fd->off)) > 0)
		fd->off += k;
}

static void
feeder_rx(struct stream *s, void *ctx)
{
	struct feeder *fd = ctx;
	uint8_t buf[8192];
	size_t k, i;

	while ((k = stream_read(s, buf, sizeof(buf))) > 0) {
		for (i = 0; i < k;) {
			if (fd->skip > 0) {
				size_t t = fd->skip < k - i ? fd->skip : k - i;

				fd->skip -= t;
				i += t;
				if (fd->skip == 0)
					fd->msgs_in++;
				continue;
			}
			fd->hdr[fd->hdr_have++] = buf[i++];
			if (fd->hdr_have < BGP_HDR_LEN)
				continue;
			fd->hdr_have = 0;
			fd->skip = ((size_t)fd->hdr[16] << 8 | fd->hdr[17]) -
			    BGP_HDR_LEN;
			if (fd->skip == 0)
				fd->msgs_in++;
		}
	}
	if (!fd->feeding && fd->msgs_in >= 2) {
		fd->feeding = true;
		feeder_pump(fd);
	}
}

static void
feeder_connected(struct stream *s, void *ctx)
{
	struct feeder *fd = ctx;

	stream_send(s, fd->open, fd->open_len);
}

static void
feeder_sent(struct stream *s, size_t freed, void *ctx)
{
	(void)s;
	(void)freed;
	feeder_pump(ctx);
}

static void
feeder_gone(struct stream *s, void *ctx)
{
	struct feeder *fd = ctx;

	(void)s;
	fd->s = NULL;
	fd->errors++;
}

static void
feeder_error(struct stream *s, enum stream_err err, void *ctx)
{
	(void)err;
	feeder_gone(s, ctx);
}

static const struct stream_cb feeder_cb = {
	.on_connected = feeder_connected,
	.on_receive = feeder_rx,
	.on_sent = feeder_sent,
	.on_closed = feeder_gone,
	.on_error = feeder_error,
};

struct feeder_start {
	struct feeder *fd;
	struct node *from;
	uint32_t to;
};

static void
feeder_connect(struct sim *sim, void *arg)
{
	struct feeder_start *st = arg;
	struct stream_addr ra = { st->to, BGP_PORT };
	struct stream_opts o;

	(void)sim;
	memset(&o, 0, sizeof(o));
	o.nodelay = 1;
	st->fd->s = stream_connect(tcp_stack_host(tcp_stack_get(st->from)),
	    &ra, &o, &feeder_cb, st->fd);
	if (st->fd->s == NULL)
		abort();
}

static void
feeder_init(struct feeder *fd, const struct wire *w, uint32_t asn,
    uint32_t id)
{
	struct bgp_msg m;

	memset(fd, 0, sizeof(*fd));
	fd->w = w;
	memset(&m, 0, sizeof(m));
	m.type = BGP_OPEN;
	bgp_open_init(&m.u.open, asn, 90, id);
	fd->open_len = bgp_encode(&m, true, fd->open);
	fd->open_len += bgp_encode_keepalive(fd->open + fd->open_len);
}

/* Best-route changes in the node's RIB: how many, and the last one's time. */
struct rib_count {
	struct sim *sim;
	uint64_t n;
	sim_time last;
};

static void
rib_counted(struct rib *r, const struct rib_change *c, void *ctx)
{
	struct rib_count *rc = ctx;

	(void)r;
	(void)c;
	rc->n++;
	rc->last = sim_now(rc->sim);
}

static struct node *
feeder_node(struct net *net, struct node *r, const char *name, uint32_t base)
{
	struct node *f = net_add_node(net, name, "router", NULL, NULL);
	struct link_params p;
	uint32_t ia, ib;

	memset(&p, 0, sizeof(p));
	p.dir[0].rate_bps = p.dir[1].rate_bps = 10000000000ull;
	p.dir[0].delay = p.dir[1].delay = SIM_US(100);
	p.qlimit_pkts = 1000;
	p.mtu = 1500;
	ia = node_add_iface(r, name, NULL, base + 1, 24, 0);
	ib = node_add_iface(f, "e0", NULL, base + 2, 24, 0);
	net_add_link(net, name, r, ia, f, ib, &p);
	return f;
}

static void
speaker_report(const char *what, size_t n, uint64_t ns, uint64_t cpu,
    sim_time t0, const struct rib_count *rc, struct bgp_speaker *sp,
    struct rib *r, size_t rss0, size_t routes)
{
	struct bgp_rib *br = bgp_speaker_rib(sp);
	size_t rss = rss_bytes();

	printf("%-34s %8zu prefixes %8.1f ms %10.0f prefixes/s (cpu %7.1f ms)"
	    "  tables %6.1f B/route (%zu routes)  node RIB+FIB %6.1f B/prefix  "
	    "Adj-RIB-Out %.1f MB  RSS +%.1f B/route  sim %.3f ms\n", what, n,
	    (double)ns / 1e6, (double)n * 1e9 / (double)ns, (double)cpu / 1e6,
	    (double)bgp_rib_memory(br) / (double)routes, routes,
	    (double)rib_memory(r) / (double)bgp_rib_prefix_count(br),
	    (double)bgp_rib_out_memory(br) / 1e6,
	    rss > rss0 ? (double)(rss - rss0) / (double)routes : 0.0,
	    (double)(rc->last - t0) / 1e6);
}

/*
 * The speaker path: node r runs a bgp_speaker (AS 65000) with two passive
 * eBGP neighbours, each a feeder on its own 10 Gbit/s link. Feeder 1 sends
 * its table; then feeder 2 connects and sends its own while the speaker
 * also advertises its table (feeder 1's routes) to feeder 2, as a router
 * does. Everything a received UPDATE goes through in a router runs: TCP,
 * framing, decoding, the RFC 7606 checks, loop check, import (no policy:
 * accept all), Adj-RIB-In, decision, Loc-RIB, the node's RIB and FIB, and
 * the export side.
 */
static void
run_speaker(size_t n, const struct wire *w1, const struct wire *w2)
{
	struct sim *sim = sim_new(1);
	struct net *net = net_new(sim);
	struct node *r = net_add_node(net, "r", "router", NULL, NULL);
	struct node *f1 = feeder_node(net, r, "f1", 0x0a000000u);
	struct node *f2 = feeder_node(net, r, "f2", 0x0a000100u);
	struct bgp_speaker_cfg c;
	struct bgp_neighbor_cfg nc;
	struct bgp_speaker *sp;
	struct feeder fd1, fd2;
	struct feeder_start s1 = { &fd1, f1, 0x0a000001u };
	struct feeder_start s2 = { &fd2, f2, 0x0a000101u };
	struct rib_count rc = { sim, 0, 0 };
	struct rib *rib = node_rib(r, 0);
	char err[160] = "";
	size_t rss0;
	uint64_t t0, t1, t2, c0, c1, c2;
	const sim_time phase = SIM_S(10);	/* within the 90 s hold */

	node_set_forwarding(r, true);
	bgp_speaker_cfg_init(&c, 65000, 0xc0000201u);
	c.ebgp_mrai = 0;
	if ((sp = bgp_speaker_new(r, &c, err, sizeof(err))) == NULL)
		abort();
	bgp_neighbor_cfg_init(&nc, 0x0a000002u, 12076);
	nc.passive = true;
	if (bgp_speaker_add_neighbor(sp, &nc, err, sizeof(err)) != 0)
		abort();
	bgp_neighbor_cfg_init(&nc, 0x0a000102u, 31898);
	nc.passive = true;
	if (bgp_speaker_add_neighbor(sp, &nc, err, sizeof(err)) != 0)
		abort();
	feeder_init(&fd1, w1, 12076, 0x01010101u);
	feeder_init(&fd2, w2, 31898, 0x02020202u);
	rib_add_listener(rib, rib_counted, &rc);
	if (bgp_speaker_start(sp, err, sizeof(err)) != 0)
		abort();
	sim_schedule_at(sim, SIM_MS(1), feeder_connect, &s1);
	sim_schedule_at(sim, phase, feeder_connect, &s2);
	rss0 = rss_bytes();
	c0 = cpu_ns();
	t0 = now_ns();
	sim_run_until(sim, phase - 1);
	t1 = now_ns();
	c1 = cpu_ns();
	if (bgp_rib_prefix_count(bgp_speaker_rib(sp)) != n || fd1.errors)
		printf("speaker: feed 1 incomplete (%zu of %zu)\n",
		    bgp_rib_prefix_count(bgp_speaker_rib(sp)), n);
	speaker_report("speaker, one peer over TCP", n, t1 - t0, c1 - c0,
	    SIM_MS(1), &rc, sp, rib, rss0, n);
	c1 = cpu_ns();
	t1 = now_ns();
	sim_run_until(sim, 2 * phase - 1);
	t2 = now_ns();
	c2 = cpu_ns();
	if (bgp_rib_route_count(bgp_speaker_rib(sp)) != 2 * n || fd2.errors)
		{
		struct bgp_peer_stats st;

		bgp_speaker_peer_stats(sp, 0x0a000102u, &st);
		printf("speaker: feed 2 incomplete (%zu of %zu routes; feeder "
		    "errors %d, sent %zu of %zu; session state %d, flaps %llu, "
		    "notification sent %u/%u, prefixes in %llu)\n",
		    bgp_rib_route_count(bgp_speaker_rib(sp)), 2 * n,
		    fd2.errors, fd2.off, w2->len,
		    (int)bgp_speaker_peer_state(sp, 0x0a000102u),
		    (unsigned long long)st.flaps, st.last_notif_sent[0],
		    st.last_notif_sent[1], (unsigned long long)st.prefixes_in);
		}
	speaker_report("speaker, second peer (+ export)", n, t2 - t1, c2 - c1,
	    phase, &rc, sp, rib, rss0, 2 * n);
	printf("speaker: %llu messages from the speaker to feeder 2 "
	    "(its table)\n", (unsigned long long)fd2.msgs_in);
	rib_remove_listener(rib, rib_counted, &rc);
	bgp_speaker_free(sp);
	tcp_stacks_free(net);
	net_free(net);
	sim_free(sim);
}

static void
run(size_t n, int which)
{
	struct gen g = { n };
	struct bgp_prefix4 *pfx = make_prefixes(n, &g);
	struct wire w1 = { 0 }, w2 = { 0 };
	struct bgp_rib_config cfg;
	struct bgp_peer_info p1 = { 0x0a000002u, 12076, 0x01010101u, 0, 0, 0 };
	struct bgp_peer_info p2 = { 0x0a000102u, 31898, 0x02020202u, 0, 0, 0 };
	int with_node;

	make_feed(pfx, n, 12076, p1.addr, false, &w1);
	make_feed(pfx, n, 31898, p2.addr, true, &w2);
	printf("%zu prefixes: %zu + %zu UPDATEs (%.0f prefixes each), "
	    "%.1f + %.1f MB on the wire\n", n, w1.n_msg, w2.n_msg,
	    (double)n / (double)w1.n_msg, (double)w1.len / 1e6,
	    (double)w2.len / 1e6);
	memset(&cfg, 0, sizeof(cfg));
	cfg.local_as = 65000;
	cfg.router_id = 0xc0000201u;
	cfg.decide.default_local_pref = BGP_LOCAL_PREF_DEFAULT;
	cfg.decide.max_paths = 1;
	for (with_node = 0; with_node <= 1 && which != 2; with_node++) {
		struct sim *sim = sim_new(1);
		struct net *net = net_new(sim);
		struct node *nd = net_add_node(net, "r", "router", NULL, NULL);
		struct rib *r = NULL;
		struct bgp_node_glue *glue = NULL;
		struct bgp_rib *br;
		uint16_t a, b;
		size_t rss0, got;
		uint64_t t0, t1, t2, c0, c1, c2;

		node_add_iface(nd, "e0", NULL, 0x0a000001u, 24, VRF_DEFAULT);
		node_add_iface(nd, "e1", NULL, 0x0a000101u, 24, VRF_DEFAULT);
		rss0 = rss_bytes();
		br = bgp_rib_new(&cfg);
		if (with_node) {
			r = node_rib(nd, VRF_DEFAULT);
			glue = bgp_node_attach(br, r, RIB_SRC_MODEL, 0);
		}
		a = bgp_rib_peer_add(br, &p1);
		b = bgp_rib_peer_add(br, &p2);
		c0 = cpu_ns();
		t0 = now_ns();
		got = ingest(br, a, &w1);
		t1 = now_ns();
		c1 = cpu_ns();
		report(with_node ? "one peer, into the node's FIB" :
		    "one peer, tables only", got, t1 - t0, c1 - c0, br, r,
		    rss0);
		c1 = cpu_ns();
		t1 = now_ns();
		got = ingest(br, b, &w2);
		t2 = now_ns();
		c2 = cpu_ns();
		report(with_node ? "second peer (decision), FIB" :
		    "second peer (decision), tables", got, t2 - t1, c2 - c1,
		    br, r, rss0);
		report(with_node ? "both peers, into the FIB" :
		    "both peers, tables only", 2 * n, t2 - t0, c2 - c0, br, r,
		    rss0);
		bgp_node_detach(glue);
		bgp_rib_free(br);
		net_free(net);
		sim_free(sim);
	}
	if (which != 1)
		run_speaker(n, &w1, &w2);
	free(w1.buf);
	free(w2.buf);
	free(pfx);
}

/*
 * bgp_ingest [--tables | --speaker] [N ...]: both paths by default, or only
 * the tables path (decode to FIB) or only the speaker over TCP.
 * bgp_ingest --dump FILE N [NEXT_HOP]: write peer 1's feed and exit.
 */
/*
 * Peer 1's feed for n prefixes (the same bytes the runs above decode) into
 * path, with next hop nh: for bench/bird_ingest.sh, which plays it to a
 * real daemon.
 */
static int
dump(const char *path, size_t n, uint32_t nh)
{
	struct gen g = { n };
	struct bgp_prefix4 *pfx = make_prefixes(n, &g);
	struct wire w = { 0 };
	FILE *f = fopen(path, "wb");

	if (f == NULL) {
		perror(path);
		return 1;
	}
	make_feed(pfx, n, 12076, nh, false, &w);
	if (fwrite(w.buf, 1, w.len, f) != w.len || fclose(f) != 0) {
		perror(path);
		return 1;
	}
	printf("prefixes=%zu updates=%zu bytes=%zu\n", n, w.n_msg, w.len);
	free(w.buf);
	free(pfx);
	return 0;
}

int
main(int argc, char **argv)
{
	int i = 1, which = 0;

	if (argc >= 4 && strcmp(argv[1], "--dump") == 0)
		return dump(argv[2], (size_t)strtoul(argv[3], NULL, 10),
		    argc > 4 ? (uint32_t)strtoul(argv[4], NULL, 0) :
		    0x0a000002u);

	if (argc > 1 && strcmp(argv[1], "--tables") == 0)
		which = 1, i++;
	else if (argc > 1 && strcmp(argv[1], "--speaker") == 0)
		which = 2, i++;
	if (i < argc) {
		for (; i < argc; i++)
			run((size_t)strtoul(argv[i], NULL, 10), which);
		return 0;
	}
	run(100000, which);
	run(1000000, which);
	return 0;
}
