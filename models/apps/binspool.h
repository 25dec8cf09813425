/*
 * binspool.h - series of counters per 100 ms bin whose memory does not
 * grow with the run's length, for the applications' goodput (flowstats,
 * the UDP sink).
 *
 * A series holds one block of BINSPOOL_BLOCK bins in memory; a full block
 * goes to a spool, an anonymous temporary file (tmpfile(3); its blocks in
 * memory if none can be made), and is read back for metrics.csv and the
 * goodput assertions. A block that is all zero is not written and a series
 * starts at its own first bin, so the spool grows with the traffic, not
 * with the time. Several series may share one spool; the spool also takes
 * blocks of other fixed-size records (flowstats' cwnd rows).
 */
#ifndef XCSIM_BINSPOOL_H
#define XCSIM_BINSPOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "units.h"

#define BINSPOOL_BIN SIM_MS(100)
#define BINSPOOL_BLOCK 256u	/* bins (or records) held per series */
#define BINSPOOL_BINS_BYTES (BINSPOOL_BLOCK * sizeof(uint64_t))

/* Where full blocks go: a temporary file, or memory when none opens. */
struct bin_spool {
	FILE *f;
	bool tried;			/* tmpfile() was called */
	unsigned char *mem;
	size_t len, cap;		/* of mem, or of the file */
};

/* A spooled block's header: the blocks of a series chain backwards. */
struct blk_hdr {
	int64_t prev;			/* the series' block before, -1 */
	uint64_t first;			/* bin or row number of its start */
};

/*
 * A series of bins: the block being filled (bins [first, first +
 * BINSPOOL_BLOCK), first a multiple of BINSPOOL_BLOCK; NULL before the
 * first count and once closed) and the spooled blocks before it, each
 * pointing to the previous.
 */
struct bin_series {
	uint64_t *held;
	size_t first;
	size_t end;			/* one past the latest bin touched */
	int64_t last;			/* spool offset of the newest block, -1 */
	size_t n_blocks;		/* spooled */
};

/*
 * Append a block (header + n bytes) chained to prev; returns its offset.
 * The spool stands in for memory: failing to write it is fatal.
 */
int64_t bin_spool_put(struct bin_spool *sp, int64_t prev, uint64_t first,
    const void *p, size_t n);
void bin_spool_get(const struct bin_spool *sp, int64_t off,
    struct blk_hdr *h, void *p, size_t n);
/* The offsets of a chain of n blocks of bsz bytes ending at last, oldest
 * first (the caller frees). */
int64_t *bin_spool_chain(const struct bin_spool *sp, int64_t last, size_t n,
    size_t bsz);
void bin_spool_free(struct bin_spool *sp);

void bin_series_init(struct bin_series *b);
/* Add n to the bin of now (times never go backwards). */
void bin_series_add(struct bin_spool *sp, struct bin_series *b,
    sim_time now, uint64_t n);
/* No more counts: the held block to the spool, nothing held any more. */
void bin_series_close(struct bin_spool *sp, struct bin_series *b);
/* The sum of the bins starting in [from, to), spooled and held. */
uint64_t bin_series_sum(const struct bin_spool *sp,
    const struct bin_series *b, sim_time from, sim_time to);
/*
 * The interval of the goodput rows for record.metrics_interval: a whole
 * number of bins, at least one (so 100 ms or less gives a row per bin).
 */
sim_time bin_series_row_interval(sim_time metrics_interval);
/*
 * metrics.csv rows "name,goodput_bps,t,bps", for a series never closed
 * (its blocks ascending): one per row interval (bin_series_row_interval)
 * from 0 to the one holding the latest bin touched, t its start, bps the
 * bytes of its bins * 8 over the whole interval (rounded down; exact with
 * one bin per row). The bins themselves stay 100 ms (bin_series_sum).
 */
void bin_series_write_csv(const struct bin_spool *sp,
    const struct bin_series *b, const char *name, sim_time interval,
    FILE *out);
/* The heap bytes the series holds (its held block). */
size_t bin_series_held_bytes(const struct bin_series *b);

#endif
