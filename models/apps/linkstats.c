/*
 * linkstats.c - the 100 ms sampler of link queues and utilisation.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "linkstats.h"
#include "net.h"
#include "qdisc.h"
#include "sim.h"

struct ls_dir {
	sim_time last_busy;
	uint32_t *q;		/* packets queued at each sample */
	sim_time *busy;		/* busy time of the bin before each sample */
};

struct linkstats {
	struct net *net;
	struct sim *sim;
	size_t n_links;
	struct ls_dir *dirs;	/* 2 per link */
	size_t n, cap;		/* samples */
	sim_time t0;
	sim_event_id ev;
};

/* Busy time of the direction in [0, t], rounded to the nanosecond. */
static sim_time
busy_until(const struct link *l, uint8_t d, sim_time t)
{
	return (sim_time)llround(link_utilization(l, d, t) * (double)t);
}

static void
sample(struct sim *sim, void *arg)
{
	struct linkstats *ls = arg;
	sim_time now = sim_now(sim);
	size_t i;

	if (ls->n == ls->cap) {
		ls->cap = ls->cap ? 2 * ls->cap : 64;
		for (i = 0; i < 2 * ls->n_links; i++) {
			ls->dirs[i].q = xrealloc(ls->dirs[i].q,
			    ls->cap * sizeof(*ls->dirs[i].q));
			ls->dirs[i].busy = xrealloc(ls->dirs[i].busy,
			    ls->cap * sizeof(*ls->dirs[i].busy));
		}
	}
	for (i = 0; i < 2 * ls->n_links; i++) {
		const struct link *l = net_link(ls->net, (uint32_t)(i / 2));
		struct ls_dir *ld = &ls->dirs[i];
		sim_time b = busy_until(l, (uint8_t)(i % 2), now);

		ld->q[ls->n] = qdisc_pkts(link_qdisc(l, (uint8_t)(i % 2)));
		ld->busy[ls->n] = ls->n == 0 ? 0 : b - ld->last_busy;
		ld->last_busy = b;
	}
	ls->n++;
	ls->ev = (sim_event_id){ 0, 0 };
	/* the sampler alone must not keep a finished run going */
	if (sim_pending(sim) > 0)
		ls->ev = sim_schedule(sim, LINKSTATS_BIN, sample, ls);
}

struct linkstats *
linkstats_start(struct net *net)
{
	struct linkstats *ls = xcalloc(1, sizeof(*ls));

	ls->net = net;
	ls->sim = net_sim(net);
	ls->n_links = net_n_links(net);
	ls->dirs = xcalloc(2 * ls->n_links + 1, sizeof(*ls->dirs));
	ls->t0 = sim_now(ls->sim);
	ls->ev = sim_schedule(ls->sim, 0, sample, ls);
	return ls;
}

void
linkstats_free(struct linkstats *ls)
{
	size_t i;

	if (ls == NULL)
		return;
	sim_cancel(ls->sim, ls->ev);
	for (i = 0; i < 2 * ls->n_links; i++) {
		free(ls->dirs[i].q);
		free(ls->dirs[i].busy);
	}
	free(ls->dirs);
	free(ls);
}

void
linkstats_write_csv(const struct linkstats *ls, FILE *out)
{
	size_t i, k;

	for (i = 0; i < 2 * ls->n_links; i++) {
		const char *name = link_name(net_link(ls->net,
		    (uint32_t)(i / 2)));
		const char *dir = i % 2 ? "ba" : "ab";
		const struct ls_dir *ld = &ls->dirs[i];

		for (k = 0; k < ls->n; k++)
			fprintf(out, "link:%s:%s,queue_pkts,%lld,%u\n", name,
			    dir, (long long)(ls->t0 +
			    (sim_time)k * LINKSTATS_BIN), ld->q[k]);
		for (k = 1; k < ls->n; k++)
			fprintf(out, "link:%s:%s,util,%lld,%.6f\n", name, dir,
			    (long long)(ls->t0 + (sim_time)(k - 1) *
			    LINKSTATS_BIN), (double)ld->busy[k] /
			    (double)LINKSTATS_BIN);
	}
}

size_t
linkstats_n_samples(const struct linkstats *ls)
{
	return ls->n;
}

uint32_t
linkstats_queue(const struct linkstats *ls, uint32_t link, uint8_t dir,
    size_t sample)
{
	return ls->dirs[2 * link + (dir & 1)].q[sample];
}

sim_time
linkstats_busy(const struct linkstats *ls, uint32_t link, uint8_t dir,
    size_t sample)
{
	return ls->dirs[2 * link + (dir & 1)].busy[sample];
}
