/*
 * apps.h - traffic applications that run on simulated nodes: ping,
 * traceroute, and a UDP constant-bit-rate source with its sink.
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

struct app_ops {
	const char *kind;	/* "ping", "traceroute", "udp_cbr", "udp_sink" */
	void (*start)(struct app *a);
	/* One JSON object (no trailing newline) with the app's figures. */
	void (*metrics_json)(const struct app *a, FILE *out);
	/* Rows "app,metric,t_ns,value" for time series (may be NULL). */
	void (*metrics_csv)(const struct app *a, FILE *out);
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

/* A sink counting what arrives on port; one-way latency from the payload. */
struct app *udp_sink_new(struct node *n, const char *name, uint16_t port);
uint64_t udp_sink_received(const struct app *a);
uint64_t udp_sink_bytes(const struct app *a);
uint16_t udp_sink_port(const struct app *a);

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
/* Same JSON shape as app_write_latency_json. */
void lat_hist_write_json(const struct lat_hist *h, FILE *out);

/* Percentile (nearest rank, 0..100) of n sorted samples. */
sim_time app_percentile(const sim_time *sorted, size_t n, unsigned pct);
/* Write {"min":..,"p50":..,"p90":..,"p99":..,"max":..,"mean":..} in ns. */
void app_write_latency_json(FILE *out, sim_time *samples, size_t n);

#endif
