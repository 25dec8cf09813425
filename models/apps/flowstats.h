/*
 * flowstats.h - per-flow metrics of the stream applications: what each of
 * an application's TCP connections did (bytes, retransmissions, RTO
 * expiries, fast recoveries, RTT, cwnd and ssthresh over time) and the
 * application's goodput in 100 ms bins.
 *
 * A flowset belongs to one application. It listens to the TCP stack of the
 * application's node as an observer (tcp.h) and keeps only the connections
 * the application handed it (flowset_add), so several applications on one
 * node each see their own. Memory is bounded whatever the run length: the
 * first FLOWSET_DETAIL flows are kept one by one, later ones are summed into
 * one aggregate; cwnd rows stop at FLOWSET_CWND_ROWS. The goodput bins (one
 * counter per 100 ms, for the app and for each of its first FLOWSET_BINNED
 * flows) and the cwnd rows are series that hold one block of FLOWSET_BLOCK
 * in memory: a full block goes to the flowset's spool (binspool.h)
 * and is read back for metrics.csv and the goodput assertions. A block of
 * bins that is all zero is not written, and a flow's series starts at its
 * own first bin, so the spool grows with the traffic, not with the time.
 * flowset_mem_bytes counts what stays in memory: constant with the run's
 * length for a steady set of flows.
 *
 * Streams of another backend (emulation) have no connection behind them:
 * they count in goodput only.
 */
#ifndef XCSIM_FLOWSTATS_H
#define XCSIM_FLOWSTATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "binspool.h"
#include "stream.h"
#include "tcp.h"
#include "units.h"

#define FLOWSET_BIN BINSPOOL_BIN
#define FLOWSET_DETAIL 256u
#define FLOWSET_CWND_ROWS ((size_t)1 << 20)
#define FLOWSET_BINNED 64u	/* flows with goodput bins of their own */
#define FLOWSET_BLOCK BINSPOOL_BLOCK	/* bins or cwnd rows held per series */

struct node;
struct app;

struct flow {
	uint64_t conn_id;		/* 0: not a simulated TCP stream */
	const struct tcp_conn *conn;	/* NULL once the stack freed it */
	uint32_t no;			/* 1-based within the app */
	struct stream_addr local, remote;
	enum tcp_cc_kind cc;
	struct tcp_stats st;		/* last seen (final once freed) */
	sim_time start, end;		/* end: -1 while open */
	uint32_t last_cwnd, last_ssthresh;
	struct bin_series bins;		/* the first FLOWSET_BINNED flows */
};

struct cwnd_row {
	sim_time t;
	uint32_t flow_no;
	uint32_t cwnd, ssthresh;
};

struct flowset {
	const struct app *app;
	struct node *node;
	bool observing;
	struct flow *flows;		/* the first FLOWSET_DETAIL */
	size_t n_flows, cap_flows;
	uint64_t n_total;		/* every flow added */
	struct tcp_stats agg;		/* sums of flows past the detail */
	uint64_t n_agg;
	struct {			/* live conn id -> flow slot + 1 */
		uint64_t *id;
		uint32_t *slot;		/* 0: aggregated only */
		const struct tcp_conn **conn;
		size_t cap, n;
	} live;
	struct bin_series bins;		/* goodput bytes per FLOWSET_BIN */
	uint64_t bytes;			/* goodput bytes in all */
	struct cwnd_row *rows;		/* the held block */
	size_t n_rows;			/* in all, spooled or held */
	size_t rows_held;		/* the latest, in rows */
	int64_t rows_last;		/* spool offset of the newest block */
	bool rows_cut;			/* FLOWSET_CWND_ROWS reached */
	struct bin_spool spool;
};

void flowset_init(struct flowset *fs, const struct app *a);
void flowset_free(struct flowset *fs);
/*
 * Track the connection behind s (from now on). Returns the flow's slot
 * (>= 0) if kept in detail, else -1.
 */
int flowset_add(struct flowset *fs, struct stream *s);
/* The application finished with the flow in slot (-1: nothing). */
void flowset_end(struct flowset *fs, int slot);
/* Goodput: n application bytes delivered now, by the flow in slot. */
void flowset_bytes(struct flowset *fs, int slot, uint64_t n);
/*
 * Goodput bytes in the bins starting in [from, to): of the app (flow 0) or
 * of flow no (1-based, at most FLOWSET_BINNED).
 */
uint64_t flowset_bytes_between(const struct flowset *fs, uint32_t flow,
    sim_time from, sim_time to);
/* Counters of flow i, current (live flows read their connection). */
const struct tcp_stats *flowset_stats(const struct flowset *fs, size_t i);
/*
 * Heap bytes the flowset holds (flows, live table, the held blocks), not
 * counting what is spooled; and the bytes spooled.
 */
size_t flowset_mem_bytes(const struct flowset *fs);
size_t flowset_spooled_bytes(const struct flowset *fs);

/*
 * "flows":[...] (without the key) for metrics.json; and the members
 * ,"flows_total":N and, past FLOWSET_DETAIL flows, ,"flows_more":{count,
 * bytes, retransmits, rto_expiries, fast_recoveries} summing the others.
 */
void flowset_write_json(const struct flowset *fs, FILE *out);
void flowset_write_json_more(const struct flowset *fs, FILE *out);
/*
 * metrics.csv rows: goodput_bps per row interval (bin_series_write_csv:
 * per bin for 100 ms or less), then cwnd_bytes and ssthresh_bytes per
 * change ("app" or "app/flowN" with several flows).
 */
void flowset_write_csv(const struct flowset *fs, sim_time interval,
    FILE *out);

/* The flowsets of the stream applications (kind tcp_bulk, tcp_sink,
 * request_response, rr_server), for assertions and tests. */
const struct flowset *tcp_bulk_flows(const struct app *a);
const struct flowset *tcp_sink_flows(const struct app *a);
const struct flowset *rr_client_flows(const struct app *a);
const struct flowset *rr_server_flows(const struct app *a);

#endif
