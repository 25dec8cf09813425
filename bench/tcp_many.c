/*
 * tcp_many.c - many concurrent request/response TCP connections across the
 * default scenario's cross-cloud path: what a simulated application tier
 * querying a database tier costs in wall time and memory.
 *
 * The network is the six-router example (scenarios/examples/six-routers.yaml,
 * built in as xcsim emulate's default:
 * Azure VM -> ExpressRoute gateway -> MSEE -> Oracle edge -> DRG -> OCI DB
 * host), loaded and built through the scenario API with its apps, events
 * (the cross-connect cut) and assertions left out: the path, not the demo.
 * azure-vm opens --conns persistent connections to a server on oci-db port
 * 1521, starting at uniformly spread times in the first second. Each
 * client loops: think (exponential, mean --think-ms), send a --req byte
 * request, wait for the --resp byte response. The server answers each
 * complete request. Bytes are virtual. Latency is from the request's
 * first byte handed to the stream to the response's last byte read.
 *
 * usage: tcp_many [--conns N] [--seconds S] [--req B] [--resp B]
 *                 [--think-ms MS]
 * Prints key=value lines: transactions, txn_per_wall_s, events,
 * events_per_s, peak_rss_kb, rss_per_conn_kb (peak less the RSS before the
 * first connection, over the connections; each has both its ends in this
 * process), latency percentiles.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "net.h"
#include "rng.h"
#include "scenario.h"
#include "scenario_run.h"
#include "sim.h"
#include "stream.h"
#include "tcp.h"
#include "util.h"

extern const char xcsim_emulate_scenario[];
extern const size_t xcsim_emulate_scenario_len;

#define PORT 1521
#define LAT_BUCKETS 100000	/* 1 us each: latencies up to 100 ms */

struct many;

struct client {
	struct many *m;
	struct stream *s;
	size_t to_send;		/* request bytes not yet taken by the stream */
	size_t resp_left;	/* response bytes still to read */
	sim_time t0;
	bool waiting;
};

struct server {
	struct many *m;
	struct stream *s;
	size_t req_got;		/* bytes of the current request */
	size_t to_send;
};

struct many {
	struct sim *sim;
	struct stream_host *cli_host;
	struct stream_addr remote;
	struct stream_opts so;
	struct rng rng;
	size_t req, resp;
	sim_time think;
	struct client *cli;
	size_t n_cli, connected, failed;
	struct server **srv;
	size_t n_srv;
	uint64_t txns;
	uint64_t *lat;		/* histogram, 1 us buckets */
	uint64_t lat_over;
	sim_time lat_max, lat_sum;
};

static double
wall(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static long
rss_now_kb(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	long pages = 0, rss = 0;

	if (f == NULL)
		return 0;
	if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
		rss = 0;
	fclose(f);
	return rss * 4;
}

/*
 * The default scenario's text without the sections named here: the
 * top-level key's line and every indented or blank line after it.
 */
static char *
strip_sections(const char *text, size_t len, size_t *out_len)
{
	static const char *const drop[] = { "apps:", "events:", "assertions:" };
	char *out = xmalloc(len + 1);
	size_t i = 0, o = 0;
	bool skipping = false;

	while (i < len) {
		size_t e = i;

		while (e < len && text[e] != '\n')
			e++;
		if (e < len)
			e++;
		if (text[i] != ' ' && text[i] != '\t' && text[i] != '\n' &&
		    text[i] != '#') {
			skipping = false;
			for (size_t k = 0; k < sizeof(drop) / sizeof(drop[0]);
			    k++)
				if (e - i >= strlen(drop[k]) &&
				    strncmp(text + i, drop[k],
				    strlen(drop[k])) == 0)
					skipping = true;
		}
		if (!skipping) {
			memcpy(out + o, text + i, e - i);
			o += e - i;
		}
		i = e;
	}
	out[o] = '\0';
	*out_len = o;
	return out;
}

static void client_request(struct sim *sim, void *arg);

static void
push_client(struct client *c)
{
	if (c->to_send > 0)
		c->to_send -= stream_send(c->s, NULL, c->to_send);
}

static void
push_server(struct server *sv)
{
	if (sv->to_send > 0)
		sv->to_send -= stream_send(sv->s, NULL, sv->to_send);
}

static void
client_think(struct client *c)
{
	sim_schedule(c->m->sim, rng_exp_time(&c->m->rng, c->m->think),
	    client_request, c);
}

static void
client_request(struct sim *sim, void *arg)
{
	struct client *c = arg;

	if (c->s == NULL)
		return;
	c->t0 = sim_now(sim);
	c->to_send = c->m->req;
	c->resp_left = c->m->resp;
	c->waiting = true;
	push_client(c);
}

static void
cli_connected(struct stream *s, void *ctx)
{
	struct client *c = ctx;

	(void)s;
	c->m->connected++;
	client_think(c);
}

static void
cli_sent(struct stream *s, size_t freed, void *ctx)
{
	(void)s;
	(void)freed;
	push_client(ctx);
}

static void
cli_receive(struct stream *s, void *ctx)
{
	struct client *c = ctx;
	struct many *m = c->m;
	size_t n = stream_read(s, NULL, stream_readable(s));
	sim_time lat;

	if (!c->waiting)
		return;
	c->resp_left -= n < c->resp_left ? n : c->resp_left;
	if (c->resp_left > 0)
		return;
	c->waiting = false;
	lat = sim_now(m->sim) - c->t0;
	m->txns++;
	m->lat_sum += lat;
	if (lat > m->lat_max)
		m->lat_max = lat;
	if (lat / 1000 < LAT_BUCKETS)
		m->lat[lat / 1000]++;
	else
		m->lat_over++;
	client_think(c);
}

static void
cli_error(struct stream *s, enum stream_err err, void *ctx)
{
	struct client *c = ctx;

	(void)s;
	if (c->m->failed++ == 0)
		fprintf(stderr, "tcp_many: a client failed: %s\n",
		    stream_err_name[err]);
	c->s = NULL;
}

static const struct stream_cb cli_cb = {
	.on_connected = cli_connected,
	.on_receive = cli_receive,
	.on_sent = cli_sent,
	.on_error = cli_error,
};

static void
srv_receive(struct stream *s, void *ctx)
{
	struct server *sv = ctx;
	size_t n = stream_read(s, NULL, stream_readable(s));

	sv->req_got += n;
	while (sv->req_got >= sv->m->req) {
		sv->req_got -= sv->m->req;
		sv->to_send += sv->m->resp;
	}
	push_server(sv);
}

static void
srv_sent(struct stream *s, size_t freed, void *ctx)
{
	(void)s;
	(void)freed;
	push_server(ctx);
}

static void
srv_error(struct stream *s, enum stream_err err, void *ctx)
{
	struct server *sv = ctx;

	(void)s;
	(void)err;
	sv->s = NULL;
}

static const struct stream_cb srv_cb = {
	.on_receive = srv_receive,
	.on_sent = srv_sent,
	.on_error = srv_error,
};

static void
on_accept(struct stream_listener *l, struct stream *s, void *ctx)
{
	struct many *m = ctx;
	struct server *sv = xcalloc(1, sizeof(*sv));

	(void)l;
	sv->m = m;
	sv->s = s;
	m->srv = xrealloc(m->srv, (m->n_srv + 1) * sizeof(*m->srv));
	m->srv[m->n_srv++] = sv;
	stream_set_cb(s, &srv_cb, sv);
}

static void
client_connect(struct sim *sim, void *arg)
{
	struct client *c = arg;

	(void)sim;
	c->s = stream_connect(c->m->cli_host, &c->m->remote, &c->m->so,
	    &cli_cb, c);
	if (c->s == NULL && c->m->failed++ == 0)
		fprintf(stderr, "tcp_many: connect refused locally\n");
}

/* The latency below which a share q of the transactions fall, in us. */
static double
lat_quantile(const struct many *m, double q)
{
	uint64_t want = (uint64_t)(q * (double)m->txns), seen = 0;

	for (size_t i = 0; i < LAT_BUCKETS; i++) {
		seen += m->lat[i];
		if (seen > want)
			return (double)i + 1;
	}
	return (double)m->lat_max / 1000.0;
}

int
main(int argc, char **argv)
{
	size_t conns = 1000, len, i;
	double seconds = 60.0, think_ms = 50.0, w0, w1;
	struct many m;
	struct scenario *sc;
	struct run *run;
	struct run_opts ro;
	struct net *net;
	struct node *vm, *db;
	struct tcp_stack *st_vm, *st_db;
	struct stream_listener *l;
	struct stream_addr local = { 0, PORT };
	struct rusage ru;
	char *text, err[512];
	long base_kb;
	uint64_t events0, events;

	memset(&m, 0, sizeof(m));
	m.req = 200;
	m.resp = 2000;
	for (int a = 1; a + 1 < argc; a += 2) {
		if (strcmp(argv[a], "--conns") == 0)
			conns = (size_t)atol(argv[a + 1]);
		else if (strcmp(argv[a], "--seconds") == 0)
			seconds = atof(argv[a + 1]);
		else if (strcmp(argv[a], "--req") == 0)
			m.req = (size_t)atol(argv[a + 1]);
		else if (strcmp(argv[a], "--resp") == 0)
			m.resp = (size_t)atol(argv[a + 1]);
		else if (strcmp(argv[a], "--think-ms") == 0)
			think_ms = atof(argv[a + 1]);
	}
	if (conns == 0 || seconds <= 0 || m.req == 0 || m.resp == 0 ||
	    think_ms < 0) {
		fprintf(stderr, "usage: tcp_many [--conns N] [--seconds S] "
		    "[--req B] [--resp B] [--think-ms MS]\n");
		return 2;
	}
	m.think = (sim_time)(think_ms * 1e6);

	text = strip_sections(xcsim_emulate_scenario,
	    xcsim_emulate_scenario_len, &len);
	sc = scenario_load_buffer("default.yaml", text, len, stderr, NULL);
	free(text);
	if (sc == NULL)
		return 1;
	memset(&ro, 0, sizeof(ro));
	ro.until_set = true;
	ro.until = (sim_time)(seconds * 1e9);
	if ((run = run_new(sc, &ro, err, sizeof(err))) == NULL) {
		fprintf(stderr, "tcp_many: %s\n", err);
		return 1;
	}
	net = run_net(run);
	m.sim = run_sim(run);
	vm = net_find_node(net, "azure-vm");
	db = net_find_node(net, "oci-db");
	if (vm == NULL || db == NULL) {
		fprintf(stderr, "tcp_many: the default scenario has no "
		    "azure-vm or oci-db\n");
		return 1;
	}
	st_vm = tcp_stack_get(vm);
	st_db = tcp_stack_get(db);
	m.cli_host = tcp_stack_host(st_vm);
	m.remote.addr = node_iface_addr(db, 0);
	m.remote.port = PORT;
	rng_init(&m.rng, 1, "tcp_many");
	m.lat = xcalloc(LAT_BUCKETS, sizeof(*m.lat));
	memset(m.lat, 0, LAT_BUCKETS * sizeof(*m.lat));	/* touch it now */
	m.cli = xcalloc(conns, sizeof(*m.cli));
	memset(m.cli, 0, conns * sizeof(*m.cli));
	m.n_cli = conns;
	l = stream_listen(tcp_stack_host(st_db), &local, &m.so, on_accept, &m);
	if (l == NULL) {
		fprintf(stderr, "tcp_many: listen refused\n");
		return 1;
	}
	base_kb = rss_now_kb();
	for (i = 0; i < conns; i++) {
		m.cli[i].m = &m;
		sim_schedule(m.sim, (sim_time)rng_below(&m.rng, SIM_S(1)),
		    client_connect, &m.cli[i]);
	}

	events0 = sim_events_run(m.sim);
	w0 = wall();
	run_advance(run, ro.until);
	w1 = wall();
	events = sim_events_run(m.sim) - events0;
	getrusage(RUSAGE_SELF, &ru);

	printf("bench=tcp_many\n");
	printf("sim=xcsim\n");
	printf("conns=%zu\n", conns);
	printf("connected=%zu\n", m.connected);
	printf("failed=%zu\n", m.failed);
	printf("live_conns=%zu\n",
	    tcp_stack_n_conns(st_vm) + tcp_stack_n_conns(st_db));
	printf("sim_s=%.3f\n", seconds);
	printf("req_bytes=%zu\n", m.req);
	printf("resp_bytes=%zu\n", m.resp);
	printf("think_ms=%.3f\n", think_ms);
	printf("transactions=%" PRIu64 "\n", m.txns);
	printf("txn_per_sim_s=%.0f\n", (double)m.txns / seconds);
	printf("wall_s=%.6f\n", w1 - w0);
	printf("txn_per_wall_s=%.0f\n", (double)m.txns / (w1 - w0));
	printf("events=%" PRIu64 "\n", events);
	printf("events_per_s=%.0f\n", (double)events / (w1 - w0));
	printf("lat_mean_us=%.1f\n", m.txns ? (double)m.lat_sum /
	    (double)m.txns / 1000.0 : 0.0);
	printf("lat_p50_us=%.0f\n", lat_quantile(&m, 0.50));
	printf("lat_p99_us=%.0f\n", lat_quantile(&m, 0.99));
	printf("lat_max_us=%.1f\n", (double)m.lat_max / 1000.0);
	printf("base_rss_kb=%ld\n", base_kb);
	printf("peak_rss_kb=%ld\n", ru.ru_maxrss);
	printf("rss_per_conn_kb=%.2f\n",
	    (double)(ru.ru_maxrss - base_kb) / (double)conns);

	stream_unlisten(l);
	tcp_stacks_free(net);	/* before the net; run_free finds none left */
	run_free(run);
	scenario_free(sc);
	for (i = 0; i < m.n_srv; i++)
		free(m.srv[i]);
	free(m.srv);
	free(m.cli);
	free(m.lat);
	return m.failed == 0 && m.txns > 0 ? 0 : 1;
}
