/*
 * linkstats.c - the sampler of link queues and utilisation, spooled to a
 * file a block of samples at a time.
 *
 * Spool layout: block b (LINKSTATS_BLOCK samples, the last one possibly
 * fewer, cnt) starts at b * 2 * n_links * LINKSTATS_BLOCK * LS_REC; in it,
 * direction i's cnt queue lengths (uint32_t) then its cnt busy times
 * (sim_time) start at i * cnt * LS_REC. Every offset is computed, so
 * nothing about past blocks is kept.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "linkstats.h"
#include "net.h"
#include "qdisc.h"
#include "sim.h"

#define LS_REC (sizeof(uint32_t) + sizeof(sim_time))

struct ls_dir {
	sim_time last_busy;
	uint32_t q[LINKSTATS_BLOCK];	/* queued at each held sample */
	sim_time busy[LINKSTATS_BLOCK];	/* busy time of the bin before it */
};

struct linkstats {
	struct net *net;
	struct sim *sim;
	FILE *spool;
	size_t n_links;
	struct ls_dir *dirs;	/* 2 per link */
	size_t n;		/* samples taken */
	size_t held;		/* the last ones, not yet spooled */
	sim_time t0, interval;
	sim_event_id ev;
	bool failed;
};

sim_time
linkstats_default_interval(sim_time duration)
{
	static const sim_time steps[] = { SIM_S(1), SIM_S(10), SIM_S(60),
	    SIM_S(600), SIM_S(3600) };
	size_t i;

	if (duration <= 0 || duration <= SIM_S(600))
		return LINKSTATS_BIN;
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]) - 1; i++)
		if (duration / steps[i] <= 6000)
			break;
	return steps[i];
}

/* Busy time of the direction in [0, t], rounded to the nanosecond. */
static sim_time
busy_until(const struct link *l, uint8_t d, sim_time t)
{
	return (sim_time)llround(link_utilization(l, d, t) * (double)t);
}

static long
block_off(const struct linkstats *ls, size_t block)
{
	return (long)(block * 2 * ls->n_links * LINKSTATS_BLOCK * LS_REC);
}

/* Write the held samples as the next block. */
static void
spool_block(struct linkstats *ls)
{
	size_t i, cnt = ls->held;

	if (cnt == 0)
		return;
	if (!ls->failed && fseek(ls->spool, block_off(ls, (ls->n - cnt) /
	    LINKSTATS_BLOCK), SEEK_SET) != 0)
		ls->failed = true;
	for (i = 0; i < 2 * ls->n_links && !ls->failed; i++)
		if (fwrite(ls->dirs[i].q, sizeof(uint32_t), cnt, ls->spool) !=
		    cnt || fwrite(ls->dirs[i].busy, sizeof(sim_time), cnt,
		    ls->spool) != cnt)
			ls->failed = true;
	ls->held = 0;
}

/*
 * Read direction dir's queue lengths (busy == NULL) or busy times (q ==
 * NULL) of block b, cnt samples, into the buffer.
 */
static bool
read_block(struct linkstats *ls, size_t dir, size_t b, size_t cnt,
    uint32_t *q, sim_time *busy)
{
	long off = block_off(ls, b) + (long)(dir * cnt * LS_REC);

	if (busy != NULL)
		off += (long)(cnt * sizeof(uint32_t));
	if (ls->failed || fseek(ls->spool, off, SEEK_SET) != 0 ||
	    (q != NULL && fread(q, sizeof(*q), cnt, ls->spool) != cnt) ||
	    (busy != NULL && fread(busy, sizeof(*busy), cnt, ls->spool) !=
	    cnt)) {
		ls->failed = true;
		return false;
	}
	return true;
}

static void
sample(struct sim *sim, void *arg)
{
	struct linkstats *ls = arg;
	sim_time now = sim_now(sim);
	size_t i;

	if (ls->held == LINKSTATS_BLOCK)
		spool_block(ls);
	for (i = 0; i < 2 * ls->n_links; i++) {
		const struct link *l = net_link(ls->net, (uint32_t)(i / 2));
		struct ls_dir *ld = &ls->dirs[i];
		sim_time b = busy_until(l, (uint8_t)(i % 2), now);

		ld->q[ls->held] = qdisc_pkts(link_qdisc(l, (uint8_t)(i % 2)));
		ld->busy[ls->held] = ls->n == 0 ? 0 : b - ld->last_busy;
		ld->last_busy = b;
	}
	ls->n++;
	ls->held++;
	ls->ev = (sim_event_id){ 0, 0 };
	/* the sampler alone must not keep a finished run going */
	if (sim_pending(sim) > 0)
		ls->ev = sim_schedule(sim, ls->interval, sample, ls);
}

struct linkstats *
linkstats_start(struct net *net, sim_time interval, FILE *spool)
{
	struct linkstats *ls = xcalloc(1, sizeof(*ls));

	ls->net = net;
	ls->sim = net_sim(net);
	ls->spool = spool;
	ls->n_links = net_n_links(net);
	ls->dirs = xcalloc(2 * ls->n_links + 1, sizeof(*ls->dirs));
	ls->t0 = sim_now(ls->sim);
	ls->interval = interval;
	ls->ev = sim_schedule(ls->sim, 0, sample, ls);
	return ls;
}

void
linkstats_free(struct linkstats *ls)
{
	if (ls == NULL)
		return;
	sim_cancel(ls->sim, ls->ev);
	free(ls->dirs);
	free(ls);
}

int
linkstats_write_csv(struct linkstats *ls, FILE *out)
{
	size_t i, k, b, nb;
	uint32_t q[LINKSTATS_BLOCK];
	sim_time busy[LINKSTATS_BLOCK];

	/*
	 * The rows are final: sampling stops (the caller may close the
	 * spool), and the held samples go to it so every block reads alike.
	 */
	sim_cancel(ls->sim, ls->ev);
	ls->ev = (sim_event_id){ 0, 0 };
	spool_block(ls);
	nb = (ls->n + LINKSTATS_BLOCK - 1) / LINKSTATS_BLOCK;
	for (i = 0; i < 2 * ls->n_links && !ls->failed; i++) {
		const char *name = link_name(net_link(ls->net,
		    (uint32_t)(i / 2)));
		const char *dir = i % 2 ? "ba" : "ab";

		for (b = 0; b < nb; b++) {
			size_t base = b * LINKSTATS_BLOCK, cnt = ls->n - base;

			if (cnt > LINKSTATS_BLOCK)
				cnt = LINKSTATS_BLOCK;
			if (!read_block(ls, i, b, cnt, q, NULL))
				break;
			for (k = 0; k < cnt; k++)
				fprintf(out, "link:%s:%s,queue_pkts,%lld,%u\n",
				    name, dir, (long long)(ls->t0 +
				    (sim_time)(base + k) * ls->interval),
				    q[k]);
		}
		for (b = 0; b < nb && !ls->failed; b++) {
			size_t base = b * LINKSTATS_BLOCK, cnt = ls->n - base;

			if (cnt > LINKSTATS_BLOCK)
				cnt = LINKSTATS_BLOCK;
			if (!read_block(ls, i, b, cnt, NULL, busy))
				break;
			/* sample 0 has no bin before it */
			for (k = base == 0 ? 1 : 0; k < cnt; k++)
				fprintf(out, "link:%s:%s,util,%lld,%.6f\n",
				    name, dir, (long long)(ls->t0 +
				    (sim_time)(base + k - 1) * ls->interval),
				    (double)busy[k] / (double)ls->interval);
		}
	}
	return ls->failed ? -1 : 0;
}

bool
linkstats_failed(const struct linkstats *ls)
{
	return ls->failed;
}

sim_time
linkstats_interval(const struct linkstats *ls)
{
	return ls->interval;
}

size_t
linkstats_n_samples(const struct linkstats *ls)
{
	return ls->n;
}

size_t
linkstats_n_held(const struct linkstats *ls)
{
	return ls->held;
}

uint32_t
linkstats_queue(struct linkstats *ls, uint32_t link, uint8_t dir,
    size_t sample)
{
	size_t d = 2 * (size_t)link + (dir & 1), b = sample / LINKSTATS_BLOCK;
	size_t base = b * LINKSTATS_BLOCK, cnt = ls->n - base;
	uint32_t q[LINKSTATS_BLOCK];

	if (sample >= ls->n - ls->held)
		return ls->dirs[d].q[sample - (ls->n - ls->held)];
	if (cnt > LINKSTATS_BLOCK)
		cnt = LINKSTATS_BLOCK;
	return read_block(ls, d, b, cnt, q, NULL) ? q[sample - base] : 0;
}

sim_time
linkstats_busy(struct linkstats *ls, uint32_t link, uint8_t dir,
    size_t sample)
{
	size_t d = 2 * (size_t)link + (dir & 1), b = sample / LINKSTATS_BLOCK;
	size_t base = b * LINKSTATS_BLOCK, cnt = ls->n - base;
	sim_time busy[LINKSTATS_BLOCK];

	if (sample >= ls->n - ls->held)
		return ls->dirs[d].busy[sample - (ls->n - ls->held)];
	if (cnt > LINKSTATS_BLOCK)
		cnt = LINKSTATS_BLOCK;
	return read_block(ls, d, b, cnt, NULL, busy) ? busy[sample - base] : 0;
}
