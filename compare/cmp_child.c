/*
 * cmp_child.c - one run of a case, in the child process compare_run forked
 * for it, and the figures it measured.
 *
 * The figures (docs/compare.md "What the columns mean"):
 *   RTT p50/p99       nearest rank over every answered probe of every ping
 *                     app of the run;
 *   txn p50/p99/p99.9 over every completed transaction of the
 *                     request_response apps (their histograms added up);
 *   goodput           per tcp_bulk app, bytes acknowledged x 8 over the
 *                     time from its start to its end (or the run's), summed;
 *   loss              ping probes lost over probes answered or lost;
 *   the fault         the first time a link that was up went down (the
 *                     trace's link_state records: a link-down or node-down
 *                     event, a timeline's cut; not a link held down from
 *                     its creation by a closed gate), or without a trace
 *                     the first link-down / node-down event of the
 *                     scenario;
 *   failover          per ping app, from the fault to the sending of the
 *                     first answered probe after the first probe lost
 *                     (sent at or after the fault less the app's timeout);
 *                     0 when no probe was lost; the largest over the apps
 *                     that sent probes after the fault; missing when
 *                     traffic never came back while probes were sent;
 *   converge          from the fault to the last route change (the trace's
 *                     route records, any table of any node) before that
 *                     link came back up or the run ended; missing when no
 *                     route changed in that time (nothing to converge, or
 *                     not yet: a hold timer past the end of the run).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "apps.h"
#include "cmp_int.h"
#include "outfile.h"
#include "scenario.h"
#include "scenario_run.h"
#include "scenario_section.h"
#include "sim.h"
#include "trace.h"
#include "util.h"

static int
cmp_ns(const void *a, const void *b)
{
	sim_time x = *(const sim_time *)a, y = *(const sim_time *)b;

	return x < y ? -1 : x > y;
}

/* The request_response apps' histograms added up (same bucket layout). */
static void
hist_add(struct lat_hist *to, const struct lat_hist *h)
{
	size_t i;

	if (h->count == 0)
		return;
	if (h->n_buckets > to->n_buckets) {
		to->buckets = xrealloc(to->buckets, h->n_buckets *
		    sizeof(*to->buckets));
		memset(to->buckets + to->n_buckets, 0, (h->n_buckets -
		    to->n_buckets) * sizeof(*to->buckets));
		to->n_buckets = h->n_buckets;
	}
	for (i = 0; i < h->n_buckets; i++)
		to->buckets[i] += h->buckets[i];
	if (to->count == 0 || h->min < to->min)
		to->min = h->min;
	if (to->count == 0 || h->max > to->max)
		to->max = h->max;
	to->count += h->count;
	to->sum += h->sum;
}

static void
app_figures(struct run *r, const struct scenario *sc, struct cmp_fig *f)
{
	struct lat_hist txn = { 0 };
	sim_time *rtt = NULL, now = sim_now(run_sim(r));
	size_t i, k, n_rtt = 0, cap = 0, lost = 0;
	double gp = 0;
	bool bulk = false;

	for (i = 0; i < sc->n_apps; i++) {
		const struct app *a = run_app(r, sc->apps[i].name);
		const char *kind = a != NULL ? a->ops->kind : "";

		if (strcmp(kind, "ping") == 0) {
			for (k = 0; k < ping_n_probes(a); k++) {
				const struct probe *p = ping_probe(a, k);

				if (probe_lost(p))
					lost++;
				if (p->result != PROBE_REPLY)
					continue;
				if (n_rtt == cap) {
					cap = cap ? cap * 2 : 256;
					rtt = xrealloc(rtt, cap * sizeof(*rtt));
				}
				rtt[n_rtt++] = p->rtt;
			}
		} else if (strcmp(kind, "request_response") == 0) {
			hist_add(&txn, rr_latency(a));
		} else if (strcmp(kind, "tcp_bulk") == 0) {
			sim_time end = tcp_bulk_done_at(a);

			bulk = true;
			if (end < 0)
				end = now;
			if (end > a->start)
				gp += (double)tcp_bulk_acked(a) * 8e9 /
				    (double)(end - a->start);
		}
	}
	if (n_rtt > 0) {
		qsort(rtt, n_rtt, sizeof(*rtt), cmp_ns);
		f->has[CF_RTT_P50] = f->has[CF_RTT_P99] = true;
		f->v[CF_RTT_P50] = (double)app_percentile(rtt, n_rtt, 50);
		f->v[CF_RTT_P99] = (double)app_percentile(rtt, n_rtt, 99);
	}
	if (n_rtt + lost > 0) {
		f->has[CF_LOSS] = true;
		f->v[CF_LOSS] = 100.0 * (double)lost / (double)(n_rtt + lost);
	}
	if (txn.count > 0) {
		f->has[CF_TXN_P50] = f->has[CF_TXN_P99] =
		    f->has[CF_TXN_P999] = true;
		f->v[CF_TXN_P50] = (double)lat_hist_permille(&txn, 500);
		f->v[CF_TXN_P99] = (double)lat_hist_permille(&txn, 990);
		f->v[CF_TXN_P999] = (double)lat_hist_permille(&txn, 999);
	}
	if (bulk) {
		f->has[CF_GOODPUT] = true;
		f->v[CF_GOODPUT] = gp;
	}
	free(rtt);
	free(txn.buckets);
}

static void
grow(bool **up, sim_time **born, size_t *cap, uint32_t l)
{
	size_t n = (size_t)l + 64;

	if (l < *cap)
		return;
	*up = xrealloc(*up, n * sizeof(**up));
	*born = xrealloc(*born, n * sizeof(**born));
	memset(*up + *cap, 0, (n - *cap) * sizeof(**up));
	memset(*born + *cap, 0, (n - *cap) * sizeof(**born));
	*cap = n;
}

/*
 * The fault and the last route change after it, from the trace; false
 * when it cannot be read.
 */
static bool
trace_figures(const char *dir, sim_time *fault, sim_time *last_route)
{
	struct trace_reader *rd;
	struct trace_rec rec;
	char path[4096], err[256];
	bool *up = NULL;
	sim_time *born = NULL;
	size_t cap = 0;
	uint32_t link = 0;
	sim_time restore = -1;
	bool ok;
	int rc;

	snprintf(path, sizeof(path), "%s/trace.xct", dir);
	if ((rd = trace_reader_open(path, err, sizeof(err))) == NULL)
		return false;
	*fault = -1;
	*last_route = -1;
	while ((rc = trace_reader_next(rd, &rec, err, sizeof(err))) > 0) {
		if (rec.type == TR_LINK_STATE) {
			uint32_t l = rec.u.link_state.link;

			grow(&up, &born, &cap, l);
			/*
			 * A link held down from its creation (its gate still
			 * closed) is not a fault: a link that was up is.
			 */
			if (*fault < 0 && up[l] && !rec.u.link_state.up &&
			    rec.t > born[l]) {
				*fault = rec.t;
				link = l;
			} else if (*fault >= 0 && restore < 0 && l == link &&
			    rec.u.link_state.up) {
				restore = rec.t;
			}
			up[l] = rec.u.link_state.up;
		} else if (rec.type == TR_LINK) {
			uint32_t l = rec.u.link.id;

			grow(&up, &born, &cap, l);
			up[l] = true;	/* links start up */
			born[l] = rec.t;
		} else if (rec.type == TR_ROUTE && *fault >= 0 &&
		    restore < 0 && rec.t >= *fault) {
			*last_route = rec.t;
		}
	}
	ok = rc == 0 || trace_reader_at_cut(rd);
	trace_reader_close(rd);
	free(up);
	free(born);
	return ok;
}

/* Without a trace: the scenario's first link-down or node-down event. */
static sim_time
event_fault(const struct scenario *sc)
{
	size_t i;

	for (i = 0; i < sc->n_events; i++)
		if (strcmp(sc->events[i].action->name, "link-down") == 0 ||
		    strcmp(sc->events[i].action->name, "node-down") == 0)
			return sc->events[i].at;
	return -1;
}

static void
failover(struct run *r, const struct scenario *sc, sim_time fault,
    struct cmp_fig *f)
{
	size_t i, k;
	double worst = 0;
	bool any = false, never = false;

	for (i = 0; i < sc->n_apps; i++) {
		const struct app *a = run_app(r, sc->apps[i].name);
		size_t n;
		bool lost = false;
		double v = 0;

		if (a == NULL || strcmp(a->ops->kind, "ping") != 0)
			continue;
		n = ping_n_probes(a);
		/* an app that sent nothing after the fault measures nothing */
		if (n == 0 || ping_probe(a, n - 1)->sent < fault)
			continue;
		for (k = 0; k < n; k++) {
			const struct probe *p = ping_probe(a, k);

			if (!lost && probe_lost(p) && p->sent >= fault -
			    sc->apps[i].timeout)
				lost = true;
			else if (lost && p->result == PROBE_REPLY)
				break;
		}
		if (lost && k == n) {
			never = true;	/* never came back: no figure */
			continue;
		}
		if (lost) {
			const struct probe *p = ping_probe(a, k);

			v = p->sent > fault ? (double)(p->sent - fault) : 0;
		}
		any = true;
		if (v > worst)
			worst = v;
	}
	if (any && !never) {
		f->has[CF_FAILOVER] = true;
		f->v[CF_FAILOVER] = worst;
	}
}

static int
write_figures(const char *dir, const struct cmp_fig *f, uint64_t hash,
    uint64_t seed)
{
	struct outfile *of;
	char path[4096], err[512];
	FILE *out;
	int fd;

	snprintf(path, sizeof(path), "%s/" CMP_RUN_FILE, dir);
	if ((of = outfile_create_path(path, &fd, err, sizeof(err))) == NULL) {
		fprintf(stderr, "xcsim compare: %s\n", err);
		return -1;
	}
	if ((out = fdopen(fd, "w")) == NULL) {
		close(fd);
		outfile_abort(of);
		return -1;
	}
	cmp_fig_write(f, hash, seed, out);
	if (ferror(out) | (fclose(out) != 0)) {
		outfile_abort(of);
		fprintf(stderr, "xcsim compare: %s: write failed\n", path);
		return -1;
	}
	if (outfile_commit(of, err, sizeof(err)) < 0) {
		fprintf(stderr, "xcsim compare: %s\n", err);
		return -1;
	}
	return 0;
}

int
cmp_child_run(const struct cmp_case *cs, const struct cmp_design *d,
    const struct cmp_traffic *t, uint64_t seed, const char *dir,
    uint64_t hash, volatile sig_atomic_t *stop)
{
	struct run_opts ro = { 0 };
	struct cmp_fig f = { .fault_ns = -1 };
	struct scenario *sc;
	struct run *r;
	sim_time fault = -1, last = -1;
	char err[512];
	sigset_t set, old;
	bool traced = false;
	int rc;

	if ((sc = cmp_case_load(cs, d, t, seed, stderr)) == NULL)
		return 2;
	ro.seed_set = true;
	ro.seed = seed;
	ro.out_dir = dir;
	ro.stop = stop;
	if ((r = run_new(sc, &ro, err, sizeof(err))) == NULL) {
		if (!*stop)
			fprintf(stderr, "xcsim compare: %s: %s\n", dir, err);
		scenario_free(sc);
		return *stop ? 128 + SIGTERM : 2;
	}
	run_advance(r, run_end_time(r));
	if (*stop) {
		run_free(r);	/* removes what it wrote */
		scenario_free(sc);
		return 128 + SIGTERM;
	}
	f.failed = run_check(r, NULL);
	app_figures(r, sc, &f);
	rc = run_write(r, err, sizeof(err));
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, &old);
	if (rc == 0)
		rc = run_commit(r, err, sizeof(err));
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (rc < 0) {
		fprintf(stderr, "xcsim compare: %s: %s\n", dir, err);
		run_free(r);
		scenario_free(sc);
		return 2;
	}
	if (sc->record_trace)
		traced = trace_figures(dir, &fault, &last);
	if (!traced)
		fault = event_fault(sc);
	if (fault >= 0) {
		f.fault_ns = fault;
		failover(r, sc, fault, &f);
		if (traced && last >= fault) {
			f.has[CF_CONVERGE] = true;
			f.v[CF_CONVERGE] = (double)(last - fault);
		}
	}
	rc = write_figures(dir, &f, hash, seed);
	run_free(r);
	scenario_free(sc);
	return rc < 0 ? 2 : 0;
}
