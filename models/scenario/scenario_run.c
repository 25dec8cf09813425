/*
 * scenario_run.c - from a validated struct scenario to a finished run.
 *
 * The loader has already checked every reference and value, so anything that
 * fails here is an environment problem (an output directory that cannot be
 * written) or a broken invariant, never user input.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "apps.h"
#include "capture.h"
#include "emu_cleanup.h"
#include "linkstats.h"
#include "net.h"
#include "outfile.h"
#include "realtime.h"
#include "scenario.h"
#include "scenario_load.h"
#include "scenario_run.h"
#include "scenario_section.h"
#include "sim.h"
#include "tcp.h"
#include "trace.h"
#include "wire.h"

struct run {
	const struct scenario *sc;
	struct sim *sim;
	struct net *net;
	struct trace *tr;
	struct app **apps;	/* scenario apps first, then sinks */
	size_t n_apps;
	struct app **by_name;	/* the same, sorted by name (run_app) */
	struct linkstats *ls;	/* link queues and utilisation, if recorded */
	struct outfile *ls_of;	/* its spool, removed once metrics.csv is */
	FILE *ls_spool;
	sim_time end;
	uint64_t seed;
	struct outdir *od;	/* NULL: no outputs */
	struct outdir *volatile *od_pub;	/* run_opts.outdir_pub */
	volatile sig_atomic_t *stop;		/* run_opts.stop */
	bool finished;
	bool interrupted;	/* stopped early by run_interrupt */
	void **states;		/* what each section kept (sc_build.states) */
	struct rt *rt;		/* emulation: the real-time driver */
	struct emu_cleanup *cleanup;	/* emulation: watched while rt lives */
};

/*
 * Descriptors a run needs besides its captures: stdio, the trace, metrics,
 * the link samples' spool and the manifest being written, the directories
 * walked to reach them.
 */
#define RUN_FD_RESERVE 32u

/* Open descriptors below limit (at most 65536 looked at). */
static size_t
fds_in_use(rlim_t limit)
{
	size_t n = 0;
	int fd, top = limit == RLIM_INFINITY || limit > 65536 ? 65536 :
	    (int)limit;

	for (fd = 0; fd < top; fd++)
		if (fcntl(fd, F_GETFD) != -1)
			n++;
	return n;
}

/*
 * Each capture keeps its file open until the end of the run, so the
 * default soft limit of 1024 descriptors fails a run that records every
 * interface of a large network half-way through opening them. Raise the
 * soft limit to the hard one when the captures need it, and if that is not
 * enough, say so before anything is opened.
 */
static int
ensure_fds(size_t n_caps, char *err, size_t errlen)
{
	struct rlimit rl;
	size_t need;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY)
		return 0;	/* nothing known to check against */
	need = fds_in_use(rl.rlim_cur) + n_caps + RUN_FD_RESERVE;
	if (need <= rl.rlim_cur)
		return 0;
	if (rl.rlim_max > rl.rlim_cur) {
		struct rlimit up = rl;

		/* "unlimited" may still be capped by the kernel (nr_open) */
		up.rlim_cur = rl.rlim_max == RLIM_INFINITY ? (rlim_t)need :
		    rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &up) == 0)
			rl = up;
	}
	if (need <= rl.rlim_cur)
		return 0;
	return sim_err(err, errlen, "record.pcap captures %zu interfaces, "
	    "which needs %zu open files, but the limit is %llu (ulimit -n): "
	    "record fewer interfaces, or raise ulimit -n to at least %zu",
	    n_caps, need, (unsigned long long)rl.rlim_cur, need);
}

/*
 * The interfaces record.pcap names, each once (an interface listed twice,
 * all then by name, is captured once), in order: node, then interface.
 */
static size_t
capture_targets(const struct run *r, uint32_t (**out)[2])
{
	const struct scenario *sc = r->sc;
	size_t i, c, *first, n_if = 0, n = 0;
	uint32_t (*v)[2];
	bool *seen;

	first = xmalloc((net_n_nodes(r->net) + 1) * sizeof(*first));
	for (i = 0; i < net_n_nodes(r->net); i++) {
		first[i] = n_if;
		n_if += node_n_ifaces(net_node(r->net, (uint32_t)i));
	}
	seen = xcalloc(n_if + 1, sizeof(*seen));
	v = xmalloc((n_if + 1) * sizeof(*v));
	for (c = 0; c < sc->n_captures; c++) {
		const struct sc_capture *cp = &sc->captures[c];

		for (i = 0; i < net_n_nodes(r->net); i++) {
			struct node *nd = net_node(r->net, (uint32_t)i);
			size_t j;

			if (cp->node != NULL && strcmp(cp->node,
			    node_name(nd)) != 0)
				continue;
			for (j = 0; j < node_n_ifaces(nd); j++) {
				if ((cp->iface != NULL && strcmp(cp->iface,
				    node_iface_name(nd, (uint32_t)j)) != 0) ||
				    seen[first[i] + j])
					continue;
				seen[first[i] + j] = true;
				v[n][0] = (uint32_t)i;
				v[n++][1] = (uint32_t)j;
			}
		}
	}
	free(first);
	free(seen);
	*out = v;
	return n;
}

static int
open_captures(struct run *r, char *err, size_t errlen)
{
	char rel[1100];
	uint32_t (*t)[2];
	size_t i, n;
	int rc = 0;

	if (r->sc->n_captures == 0)
		return 0;
	n = capture_targets(r, &t);
	if (ensure_fds(n, err, errlen) < 0)
		rc = -1;
	for (i = 0; i < n && rc == 0; i++) {
		struct node *nd = net_node(r->net, t[i][0]);
		struct capture *cap;

		/*
		 * One folder per node: names may hold '-', but never '/', so
		 * no two interfaces share a file.
		 */
		snprintf(rel, sizeof(rel), "pcap/%s/%s.pcap", node_name(nd),
		    node_iface_name(nd, t[i][1]));
		cap = capture_open_at(r->od, rel, err, errlen);
		if (cap == NULL || net_attach_capture(r->net, nd, t[i][1], cap,
		    err, errlen) < 0)
			rc = -1;
	}
	free(t);
	return rc;
}

static int
app_name_cmp(const void *a, const void *b)
{
	return strcmp((*(struct app *const *)a)->name,
	    (*(struct app *const *)b)->name);
}

/* A signal while building: give up, leaving nothing behind. */
static bool
stopped(const struct run *r, char *err, size_t errlen)
{
	if (r->stop == NULL || *r->stop == 0)
		return false;
	sim_err(err, errlen, "stopped by a signal while building the network");
	return true;
}

/* Drop the link samples' spool (never an output). */
static void
close_spool(struct run *r)
{
	if (r->ls_spool != NULL)
		fclose(r->ls_spool);
	r->ls_spool = NULL;
	outfile_abort(r->ls_of);
	r->ls_of = NULL;
}

/*
 * record.metrics_interval, else the default for the duration: the link
 * rows' interval and the goodput rows'.
 */
static sim_time
metrics_interval(const struct run *r)
{
	return r->sc->metrics_interval > 0 ? r->sc->metrics_interval :
	    linkstats_default_interval(r->sc->duration);
}

/*
 * The link samples go to a temporary file of the output directory as the
 * run takes them (memory stays O(links) however long the run), which
 * metrics.csv is written from at the end, then removed.
 */
static int
start_linkstats(struct run *r, char *err, size_t errlen)
{
	sim_time iv = metrics_interval(r);
	int fd;

	if ((r->ls_of = outfile_create(r->od, ".linkstats", &fd, err,
	    errlen)) == NULL)
		return -1;
	if ((r->ls_spool = fdopen(fd, "w+")) == NULL) {
		snprintf(err, errlen, "%s: %s", outfile_tmp_path(r->ls_of),
		    strerror(errno));
		close(fd);
		close_spool(r);
		return -1;
	}
	r->ls = linkstats_start(r->net, iv, r->ls_spool);
	return 0;
}

struct run *
run_new(const struct scenario *sc, const struct run_opts *o, char *err,
    size_t errlen)
{
	struct run *r = xcalloc(1, sizeof(*r));
	struct sc_build b;
	size_t i;

	r->sc = sc;
	r->seed = o->seed_set ? o->seed : sc->run_seed;
	r->end = o->until_set ? o->until :
	    (sc->duration > 0 ? sc->duration : SIM_TIME_MAX);
	r->sim = sim_new(r->seed);
	r->net = net_new(r->sim);
	r->stop = o->stop;
	if (r->stop != NULL)
		sim_set_stop_flag(r->sim, r->stop);
	if (o->rt_cfg != NULL) {
		if ((r->rt = rt_new(r->sim, o->rt_cfg, err, errlen)) == NULL)
			goto fail;
		if ((r->cleanup = o->cleanup) != NULL &&
		    emu_cleanup_watch(r->cleanup, r->rt) < 0) {
			r->cleanup = NULL;
			sim_err(err, errlen, "cannot watch child processes");
			goto fail;
		}
	}
	if (o->out_dir != NULL) {
		if ((r->od = outdir_open(o->out_dir, err, errlen)) == NULL)
			goto fail;
		r->od_pub = o->outdir_pub;
		if (r->od_pub != NULL)
			*r->od_pub = r->od;
		if (sc->record_trace) {
			r->tr = trace_open_at(r->od, "trace.xct",
			    sc->keyframe_every, err, errlen);
			if (r->tr == NULL)
				goto fail;
			net_set_trace(r->net, r->tr);
			trace_set_packets(r->tr, sc->record_packets > 0 ?
			    (enum trace_pkt_level)(sc->record_packets - 1) :
			    TRACE_PKT_ALL, sc->packet_sample);
			if (sc->name != NULL)
				trace_annotate(r->tr, 0, TRACE_NO_ID, sc->name);
		}
	}
	/* The network, then the captures on it, then the traffic. */
	r->states = xcalloc(sc->n_sections ? sc->n_sections : 1,
	    sizeof(*r->states));
	b = (struct sc_build){ .sc = sc, .sim = r->sim, .net = r->net,
	    .apps = &r->apps, .n_apps = &r->n_apps, .err = err,
	    .errlen = errlen, .states = r->states, .rt = r->rt,
	    .cleanup = o->cleanup, .listen = o->listen,
	    .n_listen = o->n_listen, .listen_any = o->listen_any };
	if (scenario_build(&b, SC_PHASE_NET) < 0 || stopped(r, err, errlen))
		goto fail;
	if (r->od != NULL && open_captures(r, err, errlen) < 0)
		goto fail;
	if (stopped(r, err, errlen) || scenario_build(&b, SC_PHASE_APPS) < 0 ||
	    stopped(r, err, errlen))
		goto fail;
	/* Names are unique (sink names are reserved): bsearch finds one. */
	r->by_name = xmalloc((r->n_apps ? r->n_apps : 1) * sizeof(*r->by_name));
	if (r->n_apps > 0) {	/* r->apps is NULL without apps */
		memcpy(r->by_name, r->apps, r->n_apps * sizeof(*r->by_name));
		qsort(r->by_name, r->n_apps, sizeof(*r->by_name),
		    app_name_cmp);
	}
	for (i = 0; i < r->n_apps; i++)
		app_start(r->apps[i]);
	if (r->od != NULL && sc->record_metrics &&
	    start_linkstats(r, err, errlen) < 0)
		goto fail;
	return r;
fail:
	run_free(r);
	return NULL;
}

sim_time
run_end_time(const struct run *r)
{
	return r->end;
}

bool
run_advance(struct run *r, sim_time t)
{
	if (t > r->end)
		t = r->end;
	if (r->end == SIM_TIME_MAX && t == SIM_TIME_MAX) {
		sim_run(r->sim);
		return false;
	}
	sim_run_until(r->sim, t);
	if (r->end == SIM_TIME_MAX)
		return sim_pending(r->sim) > 0;
	return sim_now(r->sim) < r->end;
}

void *
run_section_state(const struct run *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->sc->n_sections; i++)
		if (strcmp(r->sc->sections[i].sec->name, name) == 0)
			return r->states[i];
	return NULL;
}

struct app *
run_app(const struct run *r, const char *name)
{
	struct app key = { .name = (char *)(uintptr_t)name }, *kp = &key, **a;

	if (r->n_apps == 0)
		return NULL;
	a = bsearch(&kp, r->by_name, r->n_apps, sizeof(*r->by_name),
	    app_name_cmp);
	return a != NULL ? *a : NULL;
}

/*
 * The app an assertion checks, if it is of the kind the check reads. The
 * loader makes both true (app names are unique, sink names reserved, the
 * kind matched): a mismatch fails the assertion instead of reading one
 * app's results as another's.
 */
static const struct app *
assert_app(const struct run *r, const struct sc_assert *as, const char *kind,
    char *msg, size_t len)
{
	const struct app *a = run_app(r, as->app);

	if (a != NULL && strcmp(a->ops->kind, kind) == 0)
		return a;
	snprintf(msg, len, "%s: app '%s' is %s%s, not a %s app",
	    sc_assert_kinds[as->kind - 1], as->app, a ? "a " : "",
	    a ? a->ops->kind : "missing", kind);
	return NULL;
}

static void
fmt_window(char *buf, size_t len, const struct sc_assert *as)
{
	char a[32], b[32];

	units_fmt_time(a, sizeof(a), as->after);
	if (as->before == SIM_TIME_MAX || as->before == 0)
		snprintf(buf, len, "[%s, end)", a);
	else
		snprintf(buf, len, "[%s, %s)", a,
		    units_fmt_time(b, sizeof(b), as->before));
}

/*
 * Probes still in flight when the run ended prove nothing either way: they
 * are left out of both assertions (and reported as in flight).
 */
static bool
check_ping(const struct run *r, const struct sc_assert *as, bool want_ok,
    char *msg, size_t len)
{
	const struct app *a = assert_app(r, as, "ping", msg, len);
	size_t i, n = 0, ok = 0, bad_rtt = 0, flying = 0, off;
	sim_time before = as->before > 0 ? as->before : SIM_TIME_MAX;
	sim_time max_rtt = 0;
	char win[80], t1[32], t2[32];
	uint32_t need = as->min_replies ? as->min_replies : 1;
	bool pass;

	if (a == NULL)
		return false;
	fmt_window(win, sizeof(win), as);
	for (i = 0; i < ping_n_probes(a); i++) {
		const struct probe *pr = ping_probe(a, i);

		if (pr->sent < as->after || pr->sent >= before)
			continue;
		if (probe_in_flight(pr)) {
			flying++;
			continue;
		}
		n++;
		if (pr->result != PROBE_REPLY)
			continue;
		ok++;
		if (pr->rtt > max_rtt)
			max_rtt = pr->rtt;
		if (as->rtt_max > 0 && pr->rtt > as->rtt_max)
			bad_rtt++;
	}
	if (want_ok) {
		pass = n > 0 && ok == n && ok >= need && bad_rtt == 0;
		off = (size_t)snprintf(msg, len, "ping-succeeds %s %s: %zu/%zu "
		    "replies, max rtt %s%s%s", as->app, win, ok, n,
		    units_fmt_time(t1, sizeof(t1), max_rtt),
		    as->rtt_max > 0 ? (bad_rtt ? " > " : " <= ") : "",
		    as->rtt_max > 0 ? units_fmt_time(t2, sizeof(t2),
		    as->rtt_max) : "");
	} else {
		pass = n > 0 && ok == 0;
		off = (size_t)snprintf(msg, len, "ping-fails %s %s: %zu/%zu "
		    "replies", as->app, win, ok, n);
	}
	if (flying && off < len)
		snprintf(msg + off, len - off, " (%zu still in flight at the "
		    "end, not counted)", flying);
	return pass;
}

static bool
check_traceroute(const struct run *r, const struct sc_assert *as, char *msg,
    size_t len)
{
	const struct app *a = assert_app(r, as, "traceroute", msg, len);
	uint32_t hops[256];
	size_t n, i, off;
	bool pass;

	if (a == NULL)
		return false;
	n = traceroute_path(a, hops, 256);
	pass = n == as->n_path;

	off = (size_t)snprintf(msg, len, "traceroute-path %s: ", as->app);
	for (i = 0; i < n && off < len; i++) {
		const struct node *owner = hops[i] ?
		    net_node_by_addr(r->net, hops[i]) : NULL;
		const char *name = owner ? node_name(owner) : "*";

		if (i >= as->n_path || strcmp(name, as->path[i]) != 0)
			pass = false;
		off += (size_t)snprintf(msg + off, len - off, "%s%s",
		    i ? " > " : "", name);
	}
	if (!traceroute_done(a))
		pass = false;
	if (!pass && off < len) {
		off += (size_t)snprintf(msg + off, len - off, " (expected ");
		for (i = 0; i < as->n_path && off < len; i++)
			off += (size_t)snprintf(msg + off, len - off, "%s%s",
			    i ? " > " : "", as->path[i]);
		if (off < len)
			snprintf(msg + off, len - off, "%s)",
			    traceroute_done(a) ? "" : "; not finished");
	}
	return pass;
}

/* The TCP assertions, on an app of a kind they read (scenario_tcp.c). */
static bool
check_tcp(const struct run *r, const struct sc_assert *as, char *msg,
    size_t len)
{
	const struct app *a = run_app(r, as->app);
	unsigned want = sc_assert_app_kinds(as->kind);
	int k;

	for (k = 1; a != NULL && sc_app_kinds[k - 1] != NULL; k++)
		if ((want & 1u << k) && strcmp(a->ops->kind,
		    sc_app_kinds[k - 1]) == 0)
			return sc_judge_tcp_assert(as, a, sim_now(r->sim), msg,
			    len);
	snprintf(msg, len, "%s: app '%s' is %s%s, not of a kind it reads",
	    sc_assert_kinds[as->kind - 1], as->app, a ? "a " : "",
	    a ? a->ops->kind : "missing");
	return false;
}

bool
run_judge(struct run *r, size_t i, char *msg, size_t len)
{
	const struct scenario *sc = r->sc;
	const struct sc_assert *as = &sc->asserts[i];
	bool pass = false;

	msg[0] = '\0';
	if (as->reg != NULL) {
		const struct sc_judge j = { sc, r->sim, r->net, r->states };

		pass = as->reg->judge(&j, as, as->args, msg, len);
	} else switch (as->kind) {
	case SC_ASSERT_PING:
		pass = check_ping(r, as, true, msg, len);
		break;
	case SC_ASSERT_PING_FAILS:
		pass = check_ping(r, as, false, msg, len);
		break;
	case SC_ASSERT_TRACEROUTE:
		pass = check_traceroute(r, as, msg, len);
		break;
	case SC_ASSERT_TCP_GOODPUT:
	case SC_ASSERT_TXN_LATENCY:
	case SC_ASSERT_TRANSFER:
	case SC_ASSERT_CONN_FAILS:
		pass = check_tcp(r, as, msg, len);
		break;
	case SC_ASSERT_MAX:
		SIM_ASSERT(0, "bad assertion kind");
	}
	trace_assert(r->tr, sim_now(r->sim), pass, msg);
	return pass;
}

/* Up to this many kinds fold; more print one line each (none does today). */
#define FOLD_KINDS 4

static unsigned
check_all(struct run *r, FILE *out, bool fold, size_t *folded)
{
	const struct scenario *sc = r->sc;
	const struct sc_assertion *kind[FOLD_KINDS];
	size_t count[FOLD_KINDS], n_kinds = 0, k;
	unsigned failed = 0;
	size_t i;

	if (folded != NULL)
		*folded = 0;
	for (i = 0; i < sc->n_asserts; i++) {
		const struct sc_assert *as = &sc->asserts[i];
		char msg[1024];
		bool pass = run_judge(r, i, msg, sizeof(msg));

		if (!pass)
			failed++;
		if (fold && pass && as->reg != NULL && as->reg->fold != NULL) {
			for (k = 0; k < n_kinds && kind[k] != as->reg; k++)
				continue;
			if (k == n_kinds && n_kinds < FOLD_KINDS) {
				kind[n_kinds] = as->reg;
				count[n_kinds++] = 0;
			}
			if (k < n_kinds) {
				count[k]++;
				if (folded != NULL)
					(*folded)++;
				continue;
			}
		}
		/* Scenario text may hold control characters: escape them. */
		if (out != NULL) {
			fputs_escaped(sc->file, out);
			fprintf(out, ":%u: %s: ", as->loc.line,
			    pass ? "PASS" : "FAIL");
			fputs_escaped(msg, out);
			fputc('\n', out);
		}
	}
	for (k = 0; out != NULL && k < n_kinds; k++) {
		fputs_escaped(sc->file, out);
		fprintf(out, ": PASS: %zu %s\n", count[k], kind[k]->fold);
	}
	return failed;
}

unsigned
run_check(struct run *r, FILE *out)
{
	return check_all(r, out, false, NULL);
}

unsigned
run_check_folded(struct run *r, FILE *out, size_t *folded)
{
	return check_all(r, out, true, folded);
}

/* Write rel.tmp through fn; it is renamed with the run's other outputs. */
static int
write_tmp(struct run *r, const char *rel,
    void (*fn)(const struct run *, FILE *), char *err, size_t errlen)
{
	struct outfile *of;
	FILE *f;
	int fd;

	if ((of = outfile_create(r->od, rel, &fd, err, errlen)) == NULL)
		return -1;
	if ((f = fdopen(fd, "w")) == NULL) {
		snprintf(err, errlen, "%s: %s", outfile_tmp_path(of),
		    strerror(errno));
		close(fd);
		outfile_abort(of);
		return -1;
	}
	fn(r, f);
	if (ferror(f) | (fclose(f) != 0)) {
		snprintf(err, errlen, "%s: write failed", outfile_tmp_path(of));
		outfile_abort(of);
		return -1;
	}
	return outfile_commit(of, err, errlen);
}

static void
write_metrics_json(const struct run *r, FILE *f)
{
	size_t i;
	int d, k;

	fputs("{\n  \"scenario\": ", f);
	scenario_json_str(f, r->sc->name ? r->sc->name : "");
	fprintf(f, ",\n  \"seed\": %llu,\n"
	    "  \"sim_time_ns\": %lld,\n  \"events\": %llu,\n"
	    "  \"interrupted\": %s,\n  \"apps\": [",
	    (unsigned long long)r->seed,
	    (long long)sim_now(r->sim),
	    (unsigned long long)sim_events_run(r->sim),
	    r->interrupted ? "true" : "false");
	for (i = 0; i < r->n_apps; i++) {
		fputs(i ? ",\n    " : "\n    ", f);
		r->apps[i]->ops->metrics_json(r->apps[i], f);
	}
	fputs("\n  ],\n  \"links\": [", f);
	for (i = 0; i < net_n_links(r->net); i++) {
		const struct link *l = net_link(r->net, (uint32_t)i);

		for (d = 0; d < 2; d++) {
			const struct link_stats *st = link_get_stats(l,
			    (uint8_t)d);
			sim_time now = sim_now(r->sim);
			int first = 1;

			fprintf(f, "%s\n    {\"link\":\"%s\",\"dir\":\"%s\","
			    "\"tx_packets\":%llu,\"tx_bytes\":%llu,"
			    "\"rx_packets\":%llu,\"max_queue_packets\":%u,"
			    "\"max_queue_bytes\":%llu,\"utilization\":%.6f,"
			    "\"drops\":{", i || d ? "," : "", link_name(l),
			    d ? "b->a" : "a->b",
			    (unsigned long long)st->tx_pkts,
			    (unsigned long long)st->tx_bytes,
			    (unsigned long long)st->rx_pkts, st->max_qpkts,
			    (unsigned long long)st->max_qbytes,
			    link_utilization(l, (uint8_t)d,
			    now));
			for (k = 1; k < DROP_MAX; k++) {
				if (st->drops[k] == 0)
					continue;
				fprintf(f, "%s\"%s\":%llu", first ? "" : ",",
				    trace_drop_name[k],
				    (unsigned long long)st->drops[k]);
				first = 0;
			}
			fputs("}}", f);
		}
	}
	fputs("\n  ],\n  ", f);
	for (i = 0; i < r->sc->n_sections; i++) {
		const struct sc_section *s = r->sc->sections[i].sec;

		if (r->states[i] != NULL && s->metrics_json != NULL) {
			s->metrics_json(r->states[i], f);
			fputs(",\n  ", f);
		}
	}
	if (r->rt != NULL) {
		struct rt_lateness l;

		/* One line: without it the file is xcsim run's (tested). */
		rt_lateness(r->rt, &l);
		fprintf(f, "\"emulation\": {\"events\":%llu,\"late_p50_ns\":%lld,"
		    "\"late_p99_ns\":%lld,\"late_p999_ns\":%lld,"
		    "\"late_max_ns\":%lld,\"late_over_1ms\":%llu},\n  ",
		    (unsigned long long)l.events, (long long)l.p50,
		    (long long)l.p99, (long long)l.p999, (long long)l.max,
		    (unsigned long long)l.over_1ms);
	}
	fputs("\"nodes\": [", f);
	for (i = 0; i < net_n_nodes(r->net); i++) {
		const struct node *n = net_node(r->net, (uint32_t)i);
		const uint64_t *drops = node_drops(n);
		int first = 1;

		fprintf(f, "%s\n    {\"node\":", i ? "," : "");
		scenario_json_str(f, node_name(n));
		fputs(",\"drops\":{", f);
		for (k = 1; k < DROP_MAX; k++) {
			if (drops[k] == 0)
				continue;
			fprintf(f, "%s\"%s\":%llu", first ? "" : ",",
			    trace_drop_name[k], (unsigned long long)drops[k]);
			first = 0;
		}
		fputs("}}", f);
	}
	fputs("\n  ]\n}\n", f);
}

static void
write_metrics_csv(const struct run *r, FILE *f)
{
	sim_time iv = metrics_interval(r);
	size_t i;

	fputs("app,metric,t_ns,value\n", f);
	for (i = 0; i < r->n_apps; i++)
		if (r->apps[i]->ops->metrics_csv != NULL)
			r->apps[i]->ops->metrics_csv(r->apps[i], iv, f);
	if (r->ls != NULL)
		(void)linkstats_write_csv(r->ls, f);	/* run_write checks */
}

/*
 * The names a run writes: what the manifest of an earlier run may make us
 * remove. Nothing else is ever removed, whatever the manifest says.
 */
/* RUN_EXTRA_PREFIX NAME RUN_EXTRA_SUFFIX, NAME a plain file name */
static bool
is_extra_name(const char *rel)
{
	size_t n = strlen(rel), pre = strlen(RUN_EXTRA_PREFIX),
	    suf = strlen(RUN_EXTRA_SUFFIX);

	return n > pre + suf && strncmp(rel, RUN_EXTRA_PREFIX, pre) == 0 &&
	    strcmp(rel + n - suf, RUN_EXTRA_SUFFIX) == 0 &&
	    strchr(rel, '/') == NULL && rel[pre] != '.';
}

static bool
is_output_name(const char *rel)
{
	const char *p;
	size_t n;

	if (strcmp(rel, "trace.xct") == 0 || strcmp(rel, "metrics.json") == 0 ||
	    strcmp(rel, "metrics.csv") == 0 || is_extra_name(rel))
		return true;
	/* pcap/NODE/IFACE.pcap */
	if (strncmp(rel, "pcap/", 5) != 0 || (p = strchr(rel + 5, '/')) ==
	    NULL || strchr(p + 1, '/') != NULL)
		return false;
	n = strlen(p + 1);
	return n > 5 && strcmp(p + 1 + n - 5, ".pcap") == 0;
}

/* Abort whatever is still being written and remove what this run created. */
static void
abort_outputs(struct run *r)
{
	net_abort_captures(r->net);
	close_spool(r);
	if (r->tr != NULL) {
		trace_abort(r->tr);
		r->tr = NULL;
		net_set_trace(r->net, NULL);
	}
	if (r->od != NULL)
		outdir_discard(r->od);
	r->finished = true;	/* nothing left to abort */
}

int
run_write(struct run *r, char *err, size_t errlen)
{
	if (r->od == NULL)
		return 0;
	if (r->interrupted) {
		char t[32], text[80];

		snprintf(text, sizeof(text), "interrupted at %s",
		    units_fmt_time(t, sizeof(t), sim_now(r->sim)));
		trace_annotate(r->tr, sim_now(r->sim), TRACE_NO_ID, text);
	}
	if (r->sc->record_metrics &&
	    (write_tmp(r, "metrics.json", write_metrics_json, err, errlen) < 0 ||
	    write_tmp(r, "metrics.csv", write_metrics_csv, err, errlen) < 0))
		goto fail;
	if (r->ls != NULL && linkstats_failed(r->ls)) {
		snprintf(err, errlen, "%s: write or read failed",
		    outfile_tmp_path(r->ls_of));
		goto fail;
	}
	close_spool(r);
	if (net_close_captures(r->net, err, errlen) < 0)
		goto fail;
	if (r->tr != NULL) {
		struct trace *tr = r->tr;

		r->tr = NULL;
		net_set_trace(r->net, NULL);
		if (trace_close(tr, err, errlen) < 0)
			goto fail;
	}
	return 0;
fail:
	abort_outputs(r);
	return -1;
}

int
run_write_extra(struct run *r, const char *rel,
    void (*fn)(void *ctx, FILE *f), void *ctx, char *err, size_t errlen)
{
	struct outfile *of;
	FILE *f;
	int fd;

	if (r->od == NULL)
		return sim_err(err, errlen, "%s: the run has no output "
		    "directory", rel);
	if (!is_extra_name(rel))
		return sim_err(err, errlen, "%s: not a name of the form "
		    RUN_EXTRA_PREFIX "NAME" RUN_EXTRA_SUFFIX, rel);
	if ((of = outfile_create(r->od, rel, &fd, err, errlen)) == NULL)
		return -1;
	if ((f = fdopen(fd, "w")) == NULL) {
		snprintf(err, errlen, "%s: %s", outfile_tmp_path(of),
		    strerror(errno));
		close(fd);
		outfile_abort(of);
		return -1;
	}
	fn(ctx, f);
	if (ferror(f) | (fclose(f) != 0)) {
		snprintf(err, errlen, "%s: write failed", outfile_tmp_path(of));
		outfile_abort(of);
		return -1;
	}
	return outfile_commit(of, err, errlen);
}

int
run_commit(struct run *r, char *err, size_t errlen)
{
	if (r->od == NULL) {
		r->finished = true;
		return 0;
	}
	/*
	 * The version before listed only captures, as --out was spelled:
	 * DIR/pcap/NODE/IFACE.pcap.
	 */
	outdir_legacy_manifest(r->od, "pcap/.xcsim-captures", 3);
	if (outdir_finish(r->od, is_output_name, err, errlen) < 0) {
		abort_outputs(r);
		return -1;
	}
	r->finished = true;
	return 0;
}

int
run_finish(struct run *r, char *err, size_t errlen)
{
	if (run_write(r, err, errlen) < 0)
		return -1;
	return run_commit(r, err, errlen);
}

void
run_interrupt(struct run *r)
{
	r->interrupted = true;
}

struct outdir *
run_outdir(const struct run *r)
{
	return r->od;
}

/* Names come from the scenario: escape control characters on a terminal. */
void
run_summary_head(const struct run *r, FILE *out)
{
	char t[32];

	fputs_escaped(r->sc->name ? r->sc->name : r->sc->file, out);
	fprintf(out, ": seed %llu, %s simulated, %llu events%s\n",
	    (unsigned long long)r->seed,
	    units_fmt_time(t, sizeof(t), sim_now(r->sim)),
	    (unsigned long long)sim_events_run(r->sim),
	    r->interrupted ? " (interrupted)" : "");
}

void
run_summary(const struct run *r, FILE *out)
{
	size_t i;
	char t[32];
	uint64_t drops[DROP_MAX] = { 0 };
	int d, k;

	run_summary_head(r, out);
	for (i = 0; i < r->n_apps; i++) {
		const struct app *a = r->apps[i];

		fputs("  ", out);
		fputs_escaped(a->name, out);
		if (strcmp(a->ops->kind, "ping") == 0) {
			size_t n = ping_n_probes(a), j, ok = 0, flying = 0;
			sim_time mn = SIM_TIME_MAX, mx = 0;
			char s1[32], s2[32];

			for (j = 0; j < n; j++) {
				const struct probe *pr = ping_probe(a, j);

				if (probe_in_flight(pr))
					flying++;
				if (pr->result != PROBE_REPLY)
					continue;
				ok++;
				mn = pr->rtt < mn ? pr->rtt : mn;
				mx = pr->rtt > mx ? pr->rtt : mx;
			}
			fprintf(out, " (ping): %zu/%zu replies", ok, n - flying);
			if (flying)
				fprintf(out, ", %zu in flight at the end",
				    flying);
			if (ok)
				fprintf(out, ", rtt %s .. %s",
				    units_fmt_time(s1, sizeof(s1), mn),
				    units_fmt_time(s2, sizeof(s2), mx));
			fputc('\n', out);
		} else if (strcmp(a->ops->kind, "traceroute") == 0) {
			uint32_t hops[256];
			size_t n = traceroute_path(a, hops, 256), j;

			fputs(" (traceroute):", out);
			for (j = 0; j < n; j++) {
				const struct node *o = hops[j] ?
				    net_node_by_addr(r->net, hops[j]) : NULL;

				fputc(' ', out);
				fputs_escaped(o ? node_name(o) : "*", out);
			}
			fputc('\n', out);
		} else if (strcmp(a->ops->kind, "udp_sink") == 0) {
			fprintf(out, ": %llu packets, %llu bytes\n",
			    (unsigned long long)udp_sink_received(a),
			    (unsigned long long)udp_sink_bytes(a));
		} else if (strcmp(a->ops->kind, "udp_cbr") == 0) {
			fprintf(out, " (udp_cbr): %llu packets sent\n",
			    (unsigned long long)udp_cbr_sent(a));
		} else if (strcmp(a->ops->kind, "udp_poisson") == 0) {
			fprintf(out, " (udp_poisson): %llu packets sent\n",
			    (unsigned long long)udp_poisson_sent(a));
		} else if (strcmp(a->ops->kind, "tcp_bulk") == 0) {
			sim_time done = tcp_bulk_done_at(a);
			int err = 0;
			uint32_t nf = tcp_bulk_failed(a, &err);

			fprintf(out, " (tcp_bulk): %llu bytes acknowledged",
			    (unsigned long long)tcp_bulk_acked(a));
			if (done >= 0)
				fprintf(out, ", done at %s",
				    units_fmt_time(t, sizeof(t), done));
			if (nf)
				fprintf(out, ", %u failed (%s)", nf,
				    stream_err_name[err]);
			fputc('\n', out);
		} else if (strcmp(a->ops->kind, "request_response") == 0) {
			const struct lat_hist *h = rr_latency(a);
			int err = 0;
			uint32_t nf = rr_failed(a, &err);
			char s1[32], s2[32];

			fprintf(out, " (request_response): %llu transactions",
			    (unsigned long long)h->count);
			if (h->count)
				fprintf(out, ", latency p50 %s p99 %s",
				    units_fmt_time(s1, sizeof(s1),
				    lat_hist_permille(h, 500)),
				    units_fmt_time(s2, sizeof(s2),
				    lat_hist_permille(h, 990)));
			if (nf)
				fprintf(out, ", %u connections failed (%s)",
				    nf, stream_err_name[err]);
			fputc('\n', out);
		} else if (strcmp(a->ops->kind, "tcp_sink") == 0) {
			fprintf(out, ": %llu bytes received\n",
			    (unsigned long long)tcp_sink_bytes(a));
		} else if (strcmp(a->ops->kind, "rr_server") == 0) {
			fprintf(out, ": %llu requests answered\n",
			    (unsigned long long)rr_server_answered(a));
		} else {
			fputc('\n', out);
		}
	}
	for (i = 0; i < net_n_links(r->net); i++)
		for (d = 0; d < 2; d++)
			for (k = 1; k < DROP_MAX; k++)
				drops[k] += link_get_stats(net_link(r->net,
				    (uint32_t)i), (uint8_t)d)->drops[k];
	for (i = 0; i < net_n_nodes(r->net); i++)
		for (k = 1; k < DROP_MAX; k++)
			drops[k] += node_drops(net_node(r->net,
			    (uint32_t)i))[k];
	for (k = 1; k < DROP_MAX; k++)
		if (drops[k])
			fprintf(out, "  drops (%s): %llu\n",
			    trace_drop_name[k], (unsigned long long)drops[k]);
	if (r->rt != NULL) {
		struct rt_lateness l;
		char a[32], b[32], c[32], m[32];

		rt_lateness(r->rt, &l);
		fprintf(out, "  lateness (%llu events): p50 %s p99 %s p99.9 %s "
		    "max %s, %llu later than 1ms\n",
		    (unsigned long long)l.events,
		    units_fmt_time(a, sizeof(a), l.p50),
		    units_fmt_time(b, sizeof(b), l.p99),
		    units_fmt_time(c, sizeof(c), l.p999),
		    units_fmt_time(m, sizeof(m), l.max),
		    (unsigned long long)l.over_1ms);
	}
}

void
run_free(struct run *r)
{
	size_t i;

	if (r == NULL)
		return;
	/*
	 * Undo what the emulation created while the section states the undo
	 * functions use still exist, on every path (a failed run_new too);
	 * the registry runs each entry once, so a caller that ran it is fine.
	 */
	if (r->cleanup != NULL)
		emu_cleanup_run(r->cleanup);
	if (!r->finished)
		abort_outputs(r);
	linkstats_free(r->ls);
	for (i = 0; i < r->n_apps; i++)
		app_free(r->apps[i]);
	free(r->apps);
	free(r->by_name);
	/*
	 * After the apps, before the network the states' sessions are on;
	 * last built first, so a section may hold what an earlier one built.
	 */
	for (i = r->sc->n_sections; r->states != NULL && i-- > 0;)
		if (r->states[i] != NULL)
			r->sc->sections[i].sec->state_free(r->states[i]);
	free(r->states);
	/* after the apps, which let go of their streams, before the nodes */
	tcp_stacks_free(r->net);
	net_free(r->net);
	/* After everything that may hold a watcher on its loop. */
	if (r->cleanup != NULL)
		emu_cleanup_watch(r->cleanup, NULL);
	rt_free(r->rt);
	sim_free(r->sim);
	if (r->od_pub != NULL)
		*r->od_pub = NULL;	/* before a handler could use it freed */
	outdir_free(r->od);
	free(r);
}

struct sim *
run_sim(const struct run *r)
{
	return r->sim;
}

struct rt *
run_rt(const struct run *r)
{
	return r->rt;
}

struct net *
run_net(const struct run *r)
{
	return r->net;
}
