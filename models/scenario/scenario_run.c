/*
 * scenario_run.c - from a validated struct scenario to a finished run.
 *
 * The loader has already checked every reference and value, so anything that
 * fails here is an environment problem (an output directory that cannot be
 * written) or a broken invariant, never user input.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "apps.h"
#include "net.h"
#include "scenario.h"
#include "scenario_run.h"
#include "scenario_section.h"
#include "sim.h"
#include "trace.h"
#include "wire.h"

struct run {
	const struct scenario *sc;
	struct sim *sim;
	struct net *net;
	struct trace *tr;
	struct app **apps;	/* scenario apps first, then sinks */
	size_t n_apps;
	sim_time end;
	uint64_t seed;
	char *out_dir;
	char **outputs;		/* final paths of this run's files */
	size_t n_outputs;
	bool finished;
};

static void
add_output(struct run *r, const char *path)
{
	r->outputs = xrealloc(r->outputs,
	    (r->n_outputs + 1) * sizeof(*r->outputs));
	r->outputs[r->n_outputs++] = xstrdup(path);
}

static bool
is_output(const struct run *r, const char *path)
{
	size_t i;

	for (i = 0; i < r->n_outputs; i++)
		if (strcmp(r->outputs[i], path) == 0)
			return true;
	return false;
}

static int
mkdir_p(const char *path, char *err, size_t errlen)
{
	char buf[4096];
	size_t i, n = strlen(path);

	if (n == 0 || n >= sizeof(buf)) {
		snprintf(err, errlen, "bad output directory '%s'", path);
		return -1;
	}
	memcpy(buf, path, n + 1);
	for (i = 1; i <= n; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		buf[i] = '\0';
		if (mkdir(buf, 0777) < 0 && errno != EEXIST) {
			snprintf(err, errlen, "cannot create %s: %s", buf,
			    strerror(errno));
			return -1;
		}
		buf[i] = i < n ? '/' : '\0';
	}
	return 0;
}

static int
open_captures(struct run *r, char *err, size_t errlen)
{
	const struct scenario *sc = r->sc;
	char dir[4096], ndir[4400], path[4600];
	size_t i, c;

	if (sc->n_captures == 0)
		return 0;
	snprintf(dir, sizeof(dir), "%s/pcap", r->out_dir);
	if (mkdir_p(dir, err, errlen) < 0)
		return -1;
	for (c = 0; c < sc->n_captures; c++) {
		const struct sc_capture *cp = &sc->captures[c];

		for (i = 0; i < net_n_nodes(r->net); i++) {
			struct node *n = net_node(r->net, (uint32_t)i);
			size_t j;

			if (cp->node != NULL && strcmp(cp->node,
			    node_name(n)) != 0)
				continue;
			for (j = 0; j < node_n_ifaces(n); j++) {
				const char *ifn = node_iface_name(n,
				    (uint32_t)j);
				char why[256];

				if (cp->iface != NULL && strcmp(cp->iface,
				    ifn) != 0)
					continue;
				/*
				 * One directory per node: names may hold '-',
				 * but never '/', so no two interfaces share
				 * a file.
				 */
				snprintf(ndir, sizeof(ndir), "%s/%s", dir,
				    node_name(n));
				snprintf(path, sizeof(path), "%s/%s.pcap", ndir,
				    ifn);
				if (is_output(r, path))
					continue;	/* listed twice */
				if (mkdir_p(ndir, err, errlen) < 0)
					return -1;
				if (net_capture_iface(r->net, n, (uint32_t)j,
				    path, why, sizeof(why)) < 0) {
					snprintf(err, errlen, "%s: %s", path,
					    why);
					return -1;
				}
				add_output(r, path);
			}
		}
	}
	return 0;
}

struct run *
run_new(const struct scenario *sc, const struct run_opts *o, char *err,
    size_t errlen)
{
	struct run *r = xcalloc(1, sizeof(*r));
	struct sc_build b;
	char path[4200];
	size_t i;

	r->sc = sc;
	r->seed = o->seed_set ? o->seed : sc->seed;
	r->end = o->until_set ? o->until :
	    (sc->duration > 0 ? sc->duration : SIM_TIME_MAX);
	r->sim = sim_new(r->seed);
	r->net = net_new(r->sim);
	if (o->out_dir != NULL) {
		r->out_dir = xstrdup(o->out_dir);
		if (mkdir_p(r->out_dir, err, errlen) < 0)
			goto fail;
		if (sc->record_trace) {
			snprintf(path, sizeof(path), "%s/trace.xct",
			    r->out_dir);
			r->tr = trace_open(path, sc->keyframe_every, err,
			    errlen);
			if (r->tr == NULL)
				goto fail;
			add_output(r, path);
			net_set_trace(r->net, r->tr);
			if (sc->name != NULL)
				trace_annotate(r->tr, 0, TRACE_NO_ID, sc->name);
		}
	}
	/* The network, then the captures on it, then the traffic. */
	b = (struct sc_build){ .sc = sc, .sim = r->sim, .net = r->net,
	    .apps = &r->apps, .n_apps = &r->n_apps, .err = err,
	    .errlen = errlen };
	if (scenario_build(&b, SC_PHASE_NET) < 0)
		goto fail;
	if (r->out_dir != NULL && open_captures(r, err, errlen) < 0)
		goto fail;
	if (scenario_build(&b, SC_PHASE_APPS) < 0)
		goto fail;
	for (i = 0; i < r->n_apps; i++)
		app_start(r->apps[i]);
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

struct app *
run_app(const struct run *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->n_apps; i++)
		if (strcmp(r->apps[i]->name, name) == 0)
			return r->apps[i];
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

static bool
check_ping(const struct run *r, const struct sc_assert *as, bool want_ok,
    char *msg, size_t len)
{
	const struct app *a = run_app(r, as->app);
	size_t i, n = 0, ok = 0, bad_rtt = 0;
	sim_time before = as->before > 0 ? as->before : SIM_TIME_MAX;
	sim_time max_rtt = 0;
	char win[80], t1[32], t2[32];
	uint32_t need = as->min_replies ? as->min_replies : 1;

	fmt_window(win, sizeof(win), as);
	for (i = 0; i < ping_n_probes(a); i++) {
		const struct probe *pr = ping_probe(a, i);

		if (pr->sent < as->after || pr->sent >= before)
			continue;
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
		bool pass = n > 0 && ok == n && ok >= need && bad_rtt == 0;

		snprintf(msg, len, "ping-succeeds %s %s: %zu/%zu replies, "
		    "max rtt %s%s%s", as->app, win, ok, n,
		    units_fmt_time(t1, sizeof(t1), max_rtt),
		    as->rtt_max > 0 ? (bad_rtt ? " > " : " <= ") : "",
		    as->rtt_max > 0 ? units_fmt_time(t2, sizeof(t2),
		    as->rtt_max) : "");
		return pass;
	}
	snprintf(msg, len, "ping-fails %s %s: %zu/%zu replies", as->app, win,
	    ok, n);
	return n > 0 && ok == 0;
}

static bool
check_traceroute(const struct run *r, const struct sc_assert *as, char *msg,
    size_t len)
{
	const struct app *a = run_app(r, as->app);
	uint32_t hops[256];
	size_t n = traceroute_path(a, hops, 256), i, off;
	bool pass = n == as->n_path;

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

unsigned
run_check(struct run *r, FILE *out)
{
	const struct scenario *sc = r->sc;
	unsigned failed = 0;
	size_t i;

	for (i = 0; i < sc->n_asserts; i++) {
		const struct sc_assert *as = &sc->asserts[i];
		char msg[1024];
		bool pass = false;

		switch (as->kind) {
		case SC_ASSERT_PING:
			pass = check_ping(r, as, true, msg, sizeof(msg));
			break;
		case SC_ASSERT_PING_FAILS:
			pass = check_ping(r, as, false, msg, sizeof(msg));
			break;
		case SC_ASSERT_TRACEROUTE:
			pass = check_traceroute(r, as, msg, sizeof(msg));
			break;
		case SC_ASSERT_MAX:
			SIM_ASSERT(0, "bad assertion kind");
		}
		if (!pass)
			failed++;
		trace_assert(r->tr, sim_now(r->sim), pass, msg);
		if (out != NULL)
			fprintf(out, "%s:%u: %s: %s\n", sc->file, as->loc.line,
			    pass ? "PASS" : "FAIL", msg);
	}
	return failed;
}

/* Write path.tmp through fn; the caller renames it. */
static int
write_tmp(const char *path, void (*fn)(const struct run *, FILE *),
    const struct run *r, char *err, size_t errlen)
{
	char tmp[4300];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if ((f = fopen(tmp, "w")) == NULL) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		return -1;
	}
	fn(r, f);
	if (ferror(f) | (fclose(f) != 0)) {
		snprintf(err, errlen, "%s: write failed", tmp);
		unlink(tmp);
		return -1;
	}
	return 0;
}

static int
rename_tmp(const char *path, char *err, size_t errlen)
{
	char tmp[4300];

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if (rename(tmp, path) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

static void
write_metrics_json(const struct run *r, FILE *f)
{
	size_t i;
	int d, k;

	fputs("{\n  \"scenario\": ", f);
	scenario_json_str(f, r->sc->name ? r->sc->name : "");
	fprintf(f, ",\n  \"seed\": %llu,\n"
	    "  \"sim_time_ns\": %lld,\n  \"events\": %llu,\n  \"apps\": [",
	    (unsigned long long)r->seed,
	    (long long)sim_now(r->sim),
	    (unsigned long long)sim_events_run(r->sim));
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
			    "\"max_queue_bytes\":%u,\"utilization\":%.6f,"
			    "\"drops\":{", i || d ? "," : "", link_name(l),
			    d ? "b->a" : "a->b",
			    (unsigned long long)st->tx_pkts,
			    (unsigned long long)st->tx_bytes,
			    (unsigned long long)st->rx_pkts, st->max_qpkts,
			    st->max_qbytes, link_utilization(l, (uint8_t)d,
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
	fputs("\n  ],\n  \"nodes\": [", f);
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
	size_t i;

	fputs("app,metric,t_ns,value\n", f);
	for (i = 0; i < r->n_apps; i++)
		if (r->apps[i]->ops->metrics_csv != NULL)
			r->apps[i]->ops->metrics_csv(r->apps[i], f);
}

/* Remove every output of this run (and its temporary form). */
static void
remove_outputs(const struct run *r)
{
	char tmp[4300];
	size_t i;

	for (i = 0; i < r->n_outputs; i++) {
		unlink(r->outputs[i]);
		snprintf(tmp, sizeof(tmp), "%s.tmp", r->outputs[i]);
		unlink(tmp);
	}
}

/*
 * Captures of an earlier run into the same directory would read as this
 * run's. Each run lists the captures it wrote in DIR/pcap/.xcsim-captures;
 * the next run removes those it did not write again. Files xcsim did not
 * write are never touched.
 */
static void
remove_stale_captures(const struct run *r)
{
	char dir[4200], manifest[4300], tmp[4400], line[4800];
	FILE *f;
	size_t i, nw = 0;

	snprintf(dir, sizeof(dir), "%s/pcap", r->out_dir);
	snprintf(manifest, sizeof(manifest), "%s/.xcsim-captures", dir);
	if ((f = fopen(manifest, "r")) != NULL) {
		while (fgets(line, sizeof(line), f) != NULL) {
			char *slash;

			line[strcspn(line, "\n")] = '\0';
			if (line[0] == '\0' || strstr(line, "..") != NULL ||
			    is_output(r, line) ||
			    strncmp(line, dir, strlen(dir)) != 0)
				continue;
			unlink(line);
			if ((slash = strrchr(line, '/')) != NULL) {
				*slash = '\0';
				rmdir(line);	/* only if now empty */
			}
		}
		fclose(f);
	}
	for (i = 0; i < r->n_outputs; i++)
		if (strncmp(r->outputs[i], dir, strlen(dir)) == 0)
			nw++;
	if (nw == 0) {
		unlink(manifest);
		rmdir(dir);
		return;
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp", manifest);
	if ((f = fopen(tmp, "w")) == NULL)
		return;
	for (i = 0; i < r->n_outputs; i++)
		if (strncmp(r->outputs[i], dir, strlen(dir)) == 0)
			fprintf(f, "%s\n", r->outputs[i]);
	if (fclose(f) != 0 || rename(tmp, manifest) != 0)
		unlink(tmp);
}

int
run_finish(struct run *r, char *err, size_t errlen)
{
	char json[4200], csv[4200];
	bool metrics = r->out_dir != NULL && r->sc->record_metrics;

	if (r->out_dir == NULL) {
		r->finished = true;
		return 0;
	}
	/*
	 * Everything is written under a temporary name first and renamed last;
	 * if anything fails, every file of this run is removed.
	 */
	snprintf(json, sizeof(json), "%s/metrics.json", r->out_dir);
	snprintf(csv, sizeof(csv), "%s/metrics.csv", r->out_dir);
	if (metrics) {
		add_output(r, json);
		add_output(r, csv);
		if (write_tmp(json, write_metrics_json, r, err, errlen) < 0 ||
		    write_tmp(csv, write_metrics_csv, r, err, errlen) < 0)
			goto fail;
	}
	if (net_close_captures(r->net, err, errlen) < 0)
		goto fail;
	if (r->tr != NULL) {
		struct trace *tr = r->tr;

		r->tr = NULL;
		net_set_trace(r->net, NULL);
		if (trace_close(tr, err, errlen) < 0)
			goto fail;
	}
	if (metrics && (rename_tmp(json, err, errlen) < 0 ||
	    rename_tmp(csv, err, errlen) < 0))
		goto fail;
	remove_stale_captures(r);
	r->finished = true;
	return 0;
fail:
	net_abort_captures(r->net);
	if (r->tr != NULL) {
		trace_abort(r->tr);
		r->tr = NULL;
		net_set_trace(r->net, NULL);
	}
	remove_outputs(r);
	r->finished = true;	/* nothing left to abort */
	return -1;
}

void
run_summary(const struct run *r, FILE *out)
{
	size_t i;
	char t[32];
	uint64_t drops[DROP_MAX] = { 0 };
	int d, k;

	fprintf(out, "%s: seed %llu, %s simulated, %llu events\n",
	    r->sc->name ? r->sc->name : r->sc->file,
	    (unsigned long long)r->seed,
	    units_fmt_time(t, sizeof(t), sim_now(r->sim)),
	    (unsigned long long)sim_events_run(r->sim));
	for (i = 0; i < r->n_apps; i++) {
		const struct app *a = r->apps[i];

		if (strcmp(a->ops->kind, "ping") == 0) {
			size_t n = ping_n_probes(a), j, ok = 0;
			sim_time mn = SIM_TIME_MAX, mx = 0;
			char s1[32], s2[32];

			for (j = 0; j < n; j++) {
				const struct probe *pr = ping_probe(a, j);

				if (pr->result != PROBE_REPLY)
					continue;
				ok++;
				mn = pr->rtt < mn ? pr->rtt : mn;
				mx = pr->rtt > mx ? pr->rtt : mx;
			}
			fprintf(out, "  %s (ping): %zu/%zu replies", a->name,
			    ok, n);
			if (ok)
				fprintf(out, ", rtt %s .. %s",
				    units_fmt_time(s1, sizeof(s1), mn),
				    units_fmt_time(s2, sizeof(s2), mx));
			fputc('\n', out);
		} else if (strcmp(a->ops->kind, "traceroute") == 0) {
			uint32_t hops[256];
			size_t n = traceroute_path(a, hops, 256), j;

			fprintf(out, "  %s (traceroute):", a->name);
			for (j = 0; j < n; j++) {
				const struct node *o = hops[j] ?
				    net_node_by_addr(r->net, hops[j]) : NULL;

				fprintf(out, " %s", o ? node_name(o) : "*");
			}
			fputc('\n', out);
		} else if (strcmp(a->ops->kind, "udp_sink") == 0) {
			fprintf(out, "  %s: %llu packets, %llu bytes\n", a->name,
			    (unsigned long long)udp_sink_received(a),
			    (unsigned long long)udp_sink_bytes(a));
		} else if (strcmp(a->ops->kind, "udp_cbr") == 0) {
			fprintf(out, "  %s (udp_cbr): %llu packets sent\n",
			    a->name, (unsigned long long)udp_cbr_sent(a));
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
}

void
run_free(struct run *r)
{
	size_t i;

	if (r == NULL)
		return;
	if (!r->finished) {
		net_abort_captures(r->net);
		if (r->tr != NULL)
			trace_abort(r->tr);
	}
	for (i = 0; i < r->n_apps; i++)
		app_free(r->apps[i]);
	free(r->apps);
	net_free(r->net);
	sim_free(r->sim);
	for (i = 0; i < r->n_outputs; i++)
		free(r->outputs[i]);
	free(r->outputs);
	free(r->out_dir);
	free(r);
}

struct sim *
run_sim(const struct run *r)
{
	return r->sim;
}

struct net *
run_net(const struct run *r)
{
	return r->net;
}
