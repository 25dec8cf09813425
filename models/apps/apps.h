/*
 * apps.h - traffic applications that run on simulated nodes: ping,
 * traceroute, UDP constant-bit-rate and Poisson sources with their sink,
 * and on the stream API (models/tcp/stream.h) an iperf-like bulk transfer
 * and a request/response client (an application tier querying a
 * database) with their servers.
 *
 * Each application is a struct app (BIRD's protocol pattern: a const ops
 * table and the base struct first in each implementation). It owns its
 * results, which it reports as trace records while it runs (one TR_APP per
 * probe) and as metrics afterwards. All of them take their randomness, if
 * any, from named streams and their time from the simulation.
 */
#ifndef XCSIM_APPS_H
#define XCSIM_APPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sim.h"
#include "units.h"

struct node;
struct app;
struct rng;
struct tcp_cfg;

struct app_ops {
	const char *kind;	/* "ping", "traceroute", "udp_cbr", "udp_sink",
				 * "udp_poisson", "tcp_bulk", "tcp_sink",
				 * "request_response", "rr_server" */
	void (*start)(struct app *a);
	/* One JSON object (no trailing newline) with the app's figures. */
	void (*metrics_json)(const struct app *a, FILE *out);
	/*
	 * Rows "app,metric,t_ns,value" for time series (may be NULL);
	 * interval: record.metrics_interval's value for the run (the
	 * goodput rows follow it, bin_series_row_interval).
	 */
	void (*metrics_csv)(const struct app *a, sim_time interval,
	    FILE *out);
	void (*destroy)(struct app *a);
};

struct app {
	const struct app_ops *ops;
	char *name;
	struct node *node;
	sim_time start;
	sim_event_id start_ev;	/* the pending start, if any */
};

/* Schedule the app's start (at a->start); the app then runs by itself. */
void app_start(struct app *a);
/*
 * Stop and free: the app cancels its pending events and removes its hooks
 * from the node first, so the simulation may go on without it.
 */
void app_free(struct app *a);

/* --- ping: ICMP echo, one probe per interval --- */

struct ping_cfg {
	uint32_t dst;
	sim_time start, interval, timeout;
	uint32_t count;		/* 0 = until the simulation ends */
	uint32_t size;		/* ICMP payload bytes */
	uint8_t ttl;
	bool df;
	uint16_t ident;		/* ICMP identifier, unique per node */
};

enum probe_result {
	PROBE_PENDING = 0,
	PROBE_REPLY,		/* echo reply / port unreachable from dst */
	PROBE_TIME_EXCEEDED,	/* ICMP time exceeded from a router */
	PROBE_UNREACHABLE,	/* another ICMP unreachable */
	PROBE_TIMEOUT,
	PROBE_SEND_FAILED	/* dropped before leaving the node (no route, MTU) */
};
extern const char *const probe_result_name[];

struct probe {
	uint32_t seq;
	uint8_t ttl;
	bool dropped;		/* the network dropped its request or reply */
	sim_time sent;
	sim_time rtt;		/* valid unless PENDING or TIMEOUT */
	uint64_t uid;		/* the request packet's */
	enum probe_result result;
	uint32_t from;		/* address that answered */
	uint8_t icmp_type, icmp_code;
};

/*
 * When the run ends, a probe is answered (PROBE_REPLY), failed with an
 * error, lost (timed out, or dropped by the network and not answered), or
 * still in flight: neither answered nor lost, so it proves nothing either
 * way and assertions leave it out.
 */
static inline bool
probe_lost(const struct probe *pr)
{
	return pr->result == PROBE_TIMEOUT ||
	    (pr->result == PROBE_PENDING && pr->dropped);
}

static inline bool
probe_in_flight(const struct probe *pr)
{
	return pr->result == PROBE_PENDING && !pr->dropped;
}

struct app *ping_new(struct node *n, const char *name,
    const struct ping_cfg *cfg);
size_t ping_n_probes(const struct app *a);
const struct probe *ping_probe(const struct app *a, size_t i);

/* --- traceroute: UDP probes with rising TTL (classic, port 33434+) --- */

struct traceroute_cfg {
	uint32_t dst;
	sim_time start, timeout;
	uint8_t max_hops;
	uint8_t probes;		/* per hop */
	uint16_t ident;		/* source port offset, unique per node */
};

struct app *traceroute_new(struct node *n, const char *name,
    const struct traceroute_cfg *cfg);
/* Probes in order sent; hop = probe.ttl. */
size_t traceroute_n_probes(const struct app *a);
const struct probe *traceroute_probe(const struct app *a, size_t i);
bool traceroute_done(const struct app *a);
/*
 * The path: for each TTL from 1 the first address that answered (0 if no
 * probe of that TTL was answered). Returns the number of hops written.
 */
size_t traceroute_path(const struct app *a, uint32_t *hops, size_t max);

/* --- UDP constant bit rate and its sink --- */

struct udp_cbr_cfg {
	uint32_t dst;
	uint16_t dport;
	sim_time start, interval;
	uint32_t count;		/* 0 = until the simulation ends */
	uint32_t size;		/* UDP payload bytes, >= 16 */
	bool df;
	uint16_t ident;		/* source port offset, unique per node */
};

struct app *udp_cbr_new(struct node *n, const char *name,
    const struct udp_cbr_cfg *cfg);
uint64_t udp_cbr_sent(const struct app *a);

/*
 * UDP with exponential gaps of the given mean (a Poisson process of packets),
 * drawn from the named random stream "udp_poisson/NAME"; the same payload
 * as udp_cbr, so the same sink counts it.
 */
struct udp_poisson_cfg {
	uint32_t dst;
	uint16_t dport;
	sim_time start, mean_interval;
	sim_time stop;		/* no packet at or after this; 0 = none */
	uint32_t count;		/* 0 = until the simulation ends */
	uint32_t size;		/* UDP payload bytes, >= 16 */
	bool df;
	uint16_t ident;		/* source port offset, unique per node */
};

struct app *udp_poisson_new(struct node *n, const char *name,
    const struct udp_poisson_cfg *cfg);
uint64_t udp_poisson_sent(const struct app *a);
/* A digest of every send time, in order (same seed, same digest). */
uint64_t udp_poisson_digest(const struct app *a);

/* A sink counting what arrives on port; one-way latency from the payload. */
struct app *udp_sink_new(struct node *n, const char *name, uint16_t port);
/*
 * The same listening in vrf: a datagram is delivered in the VRF of the
 * interface it is addressed to, so a sink for an address on an interface
 * of another VRF than the default listens there.
 */
struct app *udp_sink_new_vrf(struct node *n, const char *name, uint32_t vrf,
    uint16_t port);
uint64_t udp_sink_received(const struct app *a);
uint64_t udp_sink_bytes(const struct app *a);
/*
 * The heap bytes the sink's goodput bins hold (one block, binspool.h:
 * constant with the run's length) and the bytes spooled.
 */
size_t udp_sink_mem_bytes(const struct app *a);
size_t udp_sink_spooled_bytes(const struct app *a);
uint16_t udp_sink_port(const struct app *a);
uint32_t udp_sink_vrf(const struct app *a);

/*
 * A latency histogram with bounded memory for high-rate flows: exact below
 * 64 ns, then 64 log-spaced buckets per power of two (relative error under
 * 1.6%); min, max and mean are exact.
 */
struct lat_hist {
	uint64_t *buckets;
	size_t n_buckets;
	uint64_t count;
	sim_time min, max;
	__int128 sum;
};

void lat_hist_add(struct lat_hist *h, sim_time v);
void lat_hist_free(struct lat_hist *h);
/* The nearest-rank percentile, as the midpoint of its bucket. */
sim_time lat_hist_percentile(const struct lat_hist *h, unsigned pct);
/* The same in thousandths (999: p99.9), 0..1000. */
sim_time lat_hist_permille(const struct lat_hist *h, unsigned pm);
/* Same JSON shape as app_write_latency_json. */
void lat_hist_write_json(const struct lat_hist *h, FILE *out);
/*
 * {"count":..,"min":..,"p50":..,"p90":..,"p99":..,"p999":..,"max":..,
 * "mean":..} in ns, or null when empty (metrics.json "latency").
 */
void lat_hist_write_summary(const struct lat_hist *h, FILE *out);
/* The value bucket i stands for (its midpoint, within [min, max]). */
sim_time lat_hist_bucket_value(const struct lat_hist *h, size_t i);

/*
 * A size drawn per use: fixed, exponential (mean size), uniform in
 * [min, max], or lognormal (median size, 99th percentile p99); draws are
 * clamped to [lo, max] (max 0: no upper clamp).
 */
enum size_dist_kind { SIZE_FIXED = 0, SIZE_EXPONENTIAL, SIZE_UNIFORM,
	SIZE_LOGNORMAL };
struct size_dist {
	enum size_dist_kind kind;
	uint64_t size, min, max, p99;
};
uint64_t size_dist_draw(const struct size_dist *d, struct rng *r,
    uint64_t lo);

/* --- applications on the stream API (simulated TCP) --- */

/*
 * Per-connection TCP settings of an application: the stack's defaults
 * (tcp_stack_cfg) with these overrides. set_* say which are given.
 */
struct app_tcp_opts {
	int cc;			/* enum tcp_cc_kind, -1 = the stack's */
	uint32_t sndbuf, rcvbuf, mss, init_cwnd, delack_count;
	int nodelay;		/* 1 on, 0 off, -1 the stack's */
	int cwnd_validation;	/* 1 on, 0 off, -1 the stack's */
	sim_time delack_timeout, min_rto;	/* 0 = the stack's */
};
void app_tcp_opts_default(struct app_tcp_opts *o);
/* The stack's configuration of node n with o applied. */
void app_tcp_cfg(struct node *n, const struct app_tcp_opts *o,
    struct tcp_cfg *out);

/*
 * iperf-like bulk transfer: streams parallel connections to dst:dport,
 * each sending virtual bytes until bytes (split evenly over the streams;
 * 0 = no limit) are sent or duration has passed (0 = no limit), then
 * closing. The receiving side is a tcp_sink (tcp_sink_new) on dst.
 */
struct tcp_bulk_cfg {
	uint32_t dst;
	uint16_t dport;
	sim_time start, duration;
	uint64_t bytes;
	uint32_t streams;
	struct app_tcp_opts tcp;
};
struct app *tcp_bulk_new(struct node *n, const char *name,
    const struct tcp_bulk_cfg *cfg);
/* Bytes acknowledged by the receiver, over every stream. */
uint64_t tcp_bulk_acked(const struct app *a);
/*
 * When the last stream had every byte acknowledged and closed (bytes given
 * or duration over), or -1 while not finished.
 */
sim_time tcp_bulk_done_at(const struct app *a);
/* Streams that failed, and how (STREAM_* of the first failure, or 0). */
uint32_t tcp_bulk_failed(const struct app *a, int *first_err);

/* Accepts on port and reads (discards) everything; goodput per 100 ms. */
struct app *tcp_sink_new(struct node *n, const char *name, uint16_t port,
    const struct app_tcp_opts *tcp);
uint64_t tcp_sink_bytes(const struct app *a);
uint16_t tcp_sink_port(const struct app *a);

/*
 * A client of a request/response server (a database on port 1521): each of
 * concurrency clients sends a request, reads the whole response, waits
 * think, and sends the next, over one persistent connection or a new
 * connection per request. The first 8 bytes of a request are real: the
 * sizes of the request and of the response wanted (big-endian 32-bit
 * each); the rest is virtual. A transaction's latency runs from the
 * stream_send() of its first request byte to the read of the last
 * response byte.
 */
struct rr_cfg {
	uint32_t dst;
	uint16_t dport;
	sim_time start, duration;	/* no new transaction after start +
					 * duration; 0 = no limit */
	uint32_t count;		/* transactions per client, 0 = no limit */
	uint32_t concurrency;
	bool persistent;
	sim_time think;
	sim_time reconnect;	/* after a failed connection; 0 = stop */
	struct size_dist request, response;
	struct app_tcp_opts tcp;
};
/*
 * Requests and responses travel as Oracle Net (TNS) Data packets, so that
 * Wireshark's TNS dissector, which claims port 1521, reads them: each
 * packet of at most RR_TNS_SDU bytes starts with RR_TNS_DATA_HDR bytes (the
 * 8-byte TNS header and the data flags), the rest zeros. A request's first
 * packet then carries the request's and the response's sizes (32-bit,
 * big-endian): RR_HDR bytes at least. Sizes count every byte on the stream,
 * headers included.
 */
#define RR_TNS_SDU 8192u	/* Oracle Net's default session data unit */
#define RR_TNS_DATA_HDR 10u
#define RR_HDR (RR_TNS_DATA_HDR + 8u)	/* a request's smallest size */
struct app *rr_client_new(struct node *n, const char *name,
    const struct rr_cfg *cfg);
/* Completed transactions' latencies. */
const struct lat_hist *rr_latency(const struct app *a);
uint64_t rr_completed(const struct app *a);
/* Connections that failed, and how (STREAM_* of the first, or 0). */
uint32_t rr_failed(const struct app *a, int *first_err);

/* The server: answers each request with the response size it asks for. */
struct app *rr_server_new(struct node *n, const char *name, uint16_t port,
    const struct app_tcp_opts *tcp);
uint64_t rr_server_answered(const struct app *a);
uint16_t rr_server_port(const struct app *a);

/* Percentile (nearest rank, 0..100) of n sorted samples. */
sim_time app_percentile(const sim_time *sorted, size_t n, unsigned pct);
/* Write {"min":..,"p50":..,"p90":..,"p99":..,"max":..,"mean":..} in ns. */
void app_write_latency_json(FILE *out, sim_time *samples, size_t n);

#endif
