/*
 * tcp_bulk.c - one TCP bulk transfer in xcsim, the counterpart of
 * bench/ns3/tcp_bulk.cc.
 *
 * Two nodes joined by one link of 1 Gbit/s and 1 ms one-way delay with a
 * drop-tail queue of 100 packets per direction (IP MTU 1500). n0 connects
 * to a listener on n1 at t = 0 and keeps its send buffer full of virtual
 * bytes (stream_send(s, NULL, n)); n1 reads everything with
 * stream_read(s, NULL, n). Goodput is what n1 read by --seconds (10) over
 * that time, as the ns-3 program counts what its PacketSink received.
 *
 * The TCP configuration is tcp_cfg_default() (ns-3 3.37's defaults, see
 * docs/tcp.md and bench/README.md), with the setup's congestion control
 * and buffers, and the payload per segment 1448 bytes (MSS 1460 less the
 * timestamp option), as ns-3's SegmentSize 1448:
 *   newreno     NewReno, 128 KiB send and receive buffers
 *   newreno-4m  NewReno, 4 MiB
 *   cubic-4m    CUBIC with HyStart, 4 MiB
 *
 * usage: tcp_bulk [--setup newreno|newreno-4m|cubic-4m] [--seconds S]
 *                 [--csv PATH]
 * Prints key=value lines with the keys of the ns-3 program. --csv writes
 * "app,metric,t_ns,value" rows, app "xcsim-<setup>": cwnd_bytes at every
 * change the sender's stack reports (a tcp_observer's on_cwnd) and
 * goodput_bps per 100 ms, which `xcsim plot` draws.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "net.h"
#include "sim.h"
#include "stream.h"
#include "tcp.h"
#include "util.h"

#define PORT 5001
#define BIN_NS SIM_MS(100)
#define MAX_BINS 100000

struct bulk {
	struct sim *sim;
	const char *app;
	FILE *csv;
	struct stream *tx, *rx;
	uint64_t received;
	uint64_t cwnd_changes;
	uint32_t last_cwnd;
	uint64_t *bins;		/* bytes read per 100 ms */
	size_t n_bins;
	int failed;
};

static double
wall(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Keep the send buffer full: the sender is never application-limited. */
static void
fill(struct stream *s)
{
	size_t n = stream_send_space(s);

	if (n > 0)
		stream_send(s, NULL, n);
}

static void
tx_connected(struct stream *s, void *ctx)
{
	(void)ctx;
	fill(s);
}

static void
tx_sent(struct stream *s, size_t freed, void *ctx)
{
	(void)freed;
	(void)ctx;
	fill(s);
}

static void
on_error(struct stream *s, enum stream_err err, void *ctx)
{
	struct bulk *b = ctx;

	fprintf(stderr, "tcp_bulk: stream failed: %s\n", stream_err_name[err]);
	if (s == b->tx)
		b->tx = NULL;
	else
		b->rx = NULL;
	b->failed = 1;
}

static void
rx_receive(struct stream *s, void *ctx)
{
	struct bulk *b = ctx;
	size_t n = stream_read(s, NULL, stream_readable(s));
	size_t bin = (size_t)(sim_now(b->sim) / BIN_NS);

	b->received += n;
	if (bin < MAX_BINS) {
		if (bin >= b->n_bins) {
			b->bins = xrealloc(b->bins, (bin + 1) * sizeof(*b->bins));
			memset(b->bins + b->n_bins, 0,
			    (bin + 1 - b->n_bins) * sizeof(*b->bins));
			b->n_bins = bin + 1;
		}
		b->bins[bin] += n;
	}
}

static const struct stream_cb tx_cb = {
	.on_connected = tx_connected,
	.on_sent = tx_sent,
	.on_error = on_error,
};

static const struct stream_cb rx_cb = {
	.on_receive = rx_receive,
	.on_error = on_error,
};

static void
on_accept(struct stream_listener *l, struct stream *s, void *ctx)
{
	struct bulk *b = ctx;

	(void)l;
	b->rx = s;
	stream_set_cb(s, &rx_cb, b);
}

static void
on_cwnd(void *ctx, const struct tcp_conn *c, uint32_t cwnd, uint32_t ssthresh)
{
	struct bulk *b = ctx;

	(void)c;
	(void)ssthresh;
	if (cwnd == b->last_cwnd)
		return;		/* an ssthresh change alone */
	b->cwnd_changes++;
	b->last_cwnd = cwnd;
	if (b->csv != NULL)
		fprintf(b->csv, "%s,cwnd_bytes,%lld,%" PRIu32 "\n", b->app,
		    (long long)sim_now(b->sim), cwnd);
}

static const struct tcp_observer cwnd_obs = { .on_cwnd = on_cwnd };

static int
setup_cfg(const char *setup, struct tcp_cfg *c)
{
	tcp_cfg_default(c);
	/* Stated here although they are the defaults: they decide the comparison. */
	c->mss = 1460;
	c->init_cwnd = 10;
	c->init_ssthresh = UINT32_MAX;
	c->delack_count = 2;
	c->delack_timeout = SIM_MS(200);
	c->rto_min = SIM_S(1);
	c->rto_initial = SIM_S(1);
	c->clock_granularity = SIM_MS(1);
	c->timestamps = c->sack = c->wscale = true;
	c->limited_transmit = true;
	c->dupack_thresh = 3;
	c->nodelay = true;
	c->hystart = true;
	c->cwnd_validation = false;	/* ns-3 3.37 grows cwnd on every ACK */
	if (strcmp(setup, "newreno") == 0) {
		c->cc = TCP_CC_NEWRENO;
		c->sndbuf = c->rcvbuf = 131072;
	} else if (strcmp(setup, "newreno-4m") == 0) {
		c->cc = TCP_CC_NEWRENO;
		c->sndbuf = c->rcvbuf = 4u << 20;
	} else if (strcmp(setup, "cubic-4m") == 0) {
		c->cc = TCP_CC_CUBIC;
		c->sndbuf = c->rcvbuf = 4u << 20;
	} else {
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	const char *setup = "newreno", *csv_path = NULL;
	double seconds = 10.0, w0, w1;
	struct sim *sim;
	struct net *net;
	struct node *n0, *n1;
	struct link_params lp;
	struct tcp_cfg cfg;
	struct tcp_stack *st0, *st1;
	struct stream_listener *l;
	struct stream_addr remote = { (10u << 24) | 2, PORT };
	struct stream_addr local = { 0, PORT };
	struct stream_opts so;
	struct bulk b;
	struct rusage ru;
	char app[64];
	uint64_t events;
	int i;

	for (i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--setup") == 0)
			setup = argv[i + 1];
		else if (strcmp(argv[i], "--seconds") == 0)
			seconds = atof(argv[i + 1]);
		else if (strcmp(argv[i], "--csv") == 0)
			csv_path = argv[i + 1];
	}
	if (setup_cfg(setup, &cfg) < 0 || seconds <= 0) {
		fprintf(stderr, "usage: tcp_bulk [--setup newreno|newreno-4m|"
		    "cubic-4m] [--seconds S] [--csv PATH]\n");
		return 2;
	}
	memset(&b, 0, sizeof(b));
	snprintf(app, sizeof(app), "xcsim-%s", setup);
	b.app = app;
	if (csv_path != NULL) {
		if ((b.csv = fopen(csv_path, "w")) == NULL) {
			perror(csv_path);
			return 1;
		}
		fputs("app,metric,t_ns,value\n", b.csv);
	}

	sim = sim_new(1);
	net = net_new(sim);
	b.sim = sim;
	memset(&lp, 0, sizeof(lp));
	for (i = 0; i < 2; i++) {
		lp.dir[i].rate_bps = 1000000000ULL;
		lp.dir[i].delay = SIM_MS(1);
	}
	lp.mtu = 1500;
	lp.qlimit_pkts = 100;
	n0 = net_add_node(net, "n0", "host", NULL, NULL);
	n1 = net_add_node(net, "n1", "host", NULL, NULL);
	net_add_link(net, "l0",
	    n0, node_add_iface(n0, "eth0", NULL, (10u << 24) | 1, 24, 0),
	    n1, node_add_iface(n1, "eth0", NULL, (10u << 24) | 2, 24, 0), &lp);

	st0 = tcp_stack_get(n0);
	st1 = tcp_stack_get(n1);
	tcp_stack_set_cfg(st0, &cfg);
	tcp_stack_set_cfg(st1, &cfg);
	tcp_stack_add_observer(st0, &cwnd_obs, &b);

	memset(&so, 0, sizeof(so));
	so.tcp = &cfg;
	l = stream_listen(tcp_stack_host(st1), &local, &so, on_accept, &b);
	b.tx = stream_connect(tcp_stack_host(st0), &remote, &so, &tx_cb, &b);
	if (l == NULL || b.tx == NULL) {
		fprintf(stderr, "tcp_bulk: listen or connect refused\n");
		return 1;
	}
	fill(b.tx);

	w0 = wall();
	sim_run_until(sim, (sim_time)(seconds * 1e9));
	w1 = wall();
	getrusage(RUSAGE_SELF, &ru);
	events = sim_events_run(sim);

	if (b.csv != NULL) {
		for (size_t k = 0; k < b.n_bins; k++)
			fprintf(b.csv, "%s,goodput_bps,%lld,%.0f\n", b.app,
			    (long long)((sim_time)k * BIN_NS),
			    (double)b.bins[k] * 8.0 * 1e9 / (double)BIN_NS);
		if (fclose(b.csv) != 0) {
			perror(csv_path);
			return 1;
		}
	}
	printf("bench=tcp_bulk\n");
	printf("sim=xcsim\n");
	printf("setup=%s\n", setup);
	printf("sim_s=%.3f\n", seconds);
	printf("bytes_received=%" PRIu64 "\n", b.received);
	printf("goodput_mbps=%.3f\n", (double)b.received * 8.0 / seconds / 1e6);
	printf("cwnd_changes=%" PRIu64 "\n", b.cwnd_changes);
	printf("final_cwnd=%" PRIu32 "\n", b.last_cwnd);
	if (b.tx != NULL) {
		const struct tcp_stats *ts =
		    tcp_conn_stats(tcp_stream_conn(b.tx));

		printf("retrans_segs=%" PRIu64 "\n", ts->retrans_segs);
		printf("rto_expiries=%" PRIu64 "\n", ts->rto_expiries);
		printf("fast_recoveries=%" PRIu64 "\n", ts->fast_recoveries);
	}
	printf("events=%" PRIu64 "\n", events);
	printf("wall_s=%.6f\n", w1 - w0);
	printf("events_per_s=%.0f\n", (double)events / (w1 - w0));
	printf("peak_rss_kb=%ld\n", ru.ru_maxrss);

	stream_unlisten(l);
	tcp_stacks_free(net);
	net_free(net);
	sim_free(sim);
	free(b.bins);
	return b.failed ? 1 : 0;
}
