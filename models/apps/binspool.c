/*
 * binspool.c - series of 100 ms counters held one block at a time, the
 * full blocks spooled to an anonymous temporary file.
 */
#include <stdlib.h>
#include <string.h>

#include "binspool.h"
#include "sim.h"
#include "util.h"

/* --- the spool: full blocks of the series ----------------------------- */

/*
 * Append a block (header + n bytes); returns its offset. The spool stands
 * in for memory, so failing to write it is fatal, as running out of
 * memory is (xmalloc).
 */
int64_t
bin_spool_put(struct bin_spool *sp, int64_t prev, uint64_t first,
    const void *p, size_t n)
{
	struct blk_hdr h = { prev, first };
	int64_t off = (int64_t)sp->len;

	if (!sp->tried) {
		sp->tried = true;
		sp->f = tmpfile();
	}
	if (sp->f != NULL) {
		SIM_ASSERT(fseek(sp->f, (long)off, SEEK_SET) == 0 &&
		    fwrite(&h, sizeof(h), 1, sp->f) == 1 &&
		    fwrite(p, 1, n, sp->f) == n,
		    "binspool: cannot write the spool");
	} else {
		if (sp->len + sizeof(h) + n > sp->cap) {
			sp->cap = 2 * (sp->len + sizeof(h) + n);
			sp->mem = xrealloc(sp->mem, sp->cap);
		}
		memcpy(sp->mem + sp->len, &h, sizeof(h));
		memcpy(sp->mem + sp->len + sizeof(h), p, n);
	}
	sp->len += sizeof(h) + n;
	return off;
}

void
bin_spool_get(const struct bin_spool *sp, int64_t off, struct blk_hdr *h,
    void *p, size_t n)
{
	if (sp->f != NULL) {
		SIM_ASSERT(fseek(sp->f, (long)off, SEEK_SET) == 0 &&
		    fread(h, sizeof(*h), 1, sp->f) == 1 &&
		    fread(p, 1, n, sp->f) == n,
		    "binspool: cannot read the spool back");
		return;
	}
	memcpy(h, sp->mem + off, sizeof(*h));
	memcpy(p, sp->mem + off + sizeof(*h), n);
}

/*
 * The offsets of a chain of n blocks ending at last, oldest first (the
 * caller frees): for the writers, at the end of a run.
 */
int64_t *
bin_spool_chain(const struct bin_spool *sp, int64_t last, size_t n, size_t bsz)
{
	int64_t *offs = xmalloc((n ? n : 1) * sizeof(*offs));
	unsigned char *tmp = xmalloc(bsz);
	struct blk_hdr h;
	size_t i = n;

	while (i > 0 && last >= 0) {
		offs[--i] = last;
		bin_spool_get(sp, last, &h, tmp, bsz);
		last = h.prev;
	}
	SIM_ASSERT(i == 0 && last < 0, "binspool: spool chain broken");
	free(tmp);
	return offs;
}

/* --- goodput bins ----------------------------------------------------- */

void
bin_series_init(struct bin_series *b)
{
	memset(b, 0, sizeof(*b));
	b->last = -1;
}

/* The held block to the spool (unless all zero), then zeroed. */
static void
bin_series_flush(struct bin_spool *sp, struct bin_series *b)
{
	size_t i;

	if (b->held == NULL)
		return;
	for (i = 0; i < BINSPOOL_BLOCK && b->held[i] == 0; i++)
		;
	if (i == BINSPOOL_BLOCK)
		return;
	b->last = bin_spool_put(sp, b->last, b->first, b->held, BINSPOOL_BINS_BYTES);
	b->n_blocks++;
	memset(b->held, 0, BINSPOOL_BINS_BYTES);
}

/* Add n to the bin of now. */
void
bin_series_add(struct bin_spool *sp, struct bin_series *b, sim_time now,
    uint64_t n)
{
	size_t bin = (size_t)(now / BINSPOOL_BIN);

	if (b->held == NULL) {
		b->held = xcalloc(BINSPOOL_BLOCK, sizeof(*b->held));
		b->first = bin - bin % BINSPOOL_BLOCK;
	} else if (bin >= b->first + BINSPOOL_BLOCK) {
		bin_series_flush(sp, b);
		b->first = bin - bin % BINSPOOL_BLOCK;
	}
	b->held[bin - b->first] += n;
	if (bin + 1 > b->end)
		b->end = bin + 1;
}

/* A flow's series once the flow is over: nothing held any more. */
void
bin_series_close(struct bin_spool *sp, struct bin_series *b)
{
	bin_series_flush(sp, b);
	free(b->held);
	b->held = NULL;
}

/* The sum of the bins starting in [from, to), spooled and held. */
uint64_t
bin_series_sum(const struct bin_spool *sp, const struct bin_series *b,
    sim_time from, sim_time to)
{
	uint64_t blk[BINSPOOL_BLOCK], sum = 0;
	struct blk_hdr h = { b->last, 0 };
	const uint64_t *v;
	int64_t off;
	size_t i;
	bool held = b->held != NULL;

	/* blocks in any order: a closed flow's may repeat a block's range */
	for (off = b->last; held || off >= 0; ) {
		if (held) {
			h.first = b->first;
			v = b->held;
			held = false;
		} else {
			bin_spool_get(sp, off, &h, blk, BINSPOOL_BINS_BYTES);
			v = blk;
			off = h.prev;
		}
		for (i = 0; i < BINSPOOL_BLOCK; i++) {
			sim_time t = (sim_time)(h.first + i) * BINSPOOL_BIN;

			if (t >= from && t < to)
				sum += v[i];
		}
	}
	return sum;
}

sim_time
bin_series_row_interval(sim_time metrics_interval)
{
	if (metrics_interval <= BINSPOOL_BIN)
		return BINSPOOL_BIN;
	return (metrics_interval + BINSPOOL_BIN - 1) / BINSPOOL_BIN *
	    BINSPOOL_BIN;
}

/* Rows of k bins each, summed as the bins come in order. */
struct rows {
	FILE *out;
	const char *name;
	uint64_t k;			/* bins per row */
	uint64_t bytes;			/* of the row being summed */
};

/*
 * A row's rate over its whole interval: bytes * 8 / (k * 100 ms), in
 * integers (bytes * 80 / k), exact for one bin per row.
 */
static void
row_put(struct rows *w, size_t row)
{
	fprintf(w->out, "%s,goodput_bps,%lld,%llu\n", w->name,
	    (long long)((sim_time)row * (sim_time)w->k * BINSPOOL_BIN),
	    (unsigned long long)(w->bytes * 8 * (uint64_t)(SIM_S(1) /
	    BINSPOOL_BIN) / w->k));
	w->bytes = 0;
}

static void
row_bin(struct rows *w, size_t bin, uint64_t bytes)
{
	w->bytes += bytes;
	if ((bin + 1) % w->k == 0)
		row_put(w, bin / w->k);
}

/*
 * A row per interval from 0 to the one holding the latest bin touched, in
 * order: the app's series, whose blocks are ascending and distinct (it is
 * never closed).
 */
void
bin_series_write_csv(const struct bin_spool *sp, const struct bin_series *b,
    const char *name, sim_time interval, FILE *out)
{
	int64_t *offs = bin_spool_chain(sp, b->last, b->n_blocks,
	    BINSPOOL_BINS_BYTES);
	uint64_t blk[BINSPOOL_BLOCK];
	struct rows w = { out, name,
	    (uint64_t)(bin_series_row_interval(interval) / BINSPOOL_BIN), 0 };
	struct blk_hdr h;
	size_t k, i = 0, j;

	for (k = 0; k <= b->n_blocks; k++) {
		const uint64_t *v = blk;

		if (k < b->n_blocks) {
			bin_spool_get(sp, offs[k], &h, blk,
			    BINSPOOL_BINS_BYTES);
		} else if (b->held != NULL) {
			h.first = b->first;
			v = b->held;
		} else {
			break;
		}
		for (; i < h.first && i < b->end; i++)
			row_bin(&w, i, 0);
		for (j = 0; j < BINSPOOL_BLOCK && i < b->end; j++, i++)
			row_bin(&w, i, v[j]);
	}
	for (; i < b->end; i++)
		row_bin(&w, i, 0);
	if (b->end % w.k != 0)
		row_put(&w, b->end / w.k);
	free(offs);
}

void
bin_spool_free(struct bin_spool *sp)
{
	if (sp->f != NULL)
		fclose(sp->f);
	free(sp->mem);
	memset(sp, 0, sizeof(*sp));
}

size_t
bin_series_held_bytes(const struct bin_series *b)
{
	return b->held != NULL ? BINSPOOL_BINS_BYTES : 0;
}
