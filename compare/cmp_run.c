/*
 * cmp_run.c - compare_run: the cases, the runs in forked processes at most
 * --jobs at once, the progress bar, signals, and the outputs at the end.
 *
 * Every case's text is built and loaded once before any run starts, so bad
 * input ends the comparison with exit 2 and nothing run. A child process
 * ignores SIGINT, SIGHUP and SIGQUIT (a terminal's Ctrl-C reaches the whole
 * process group: the parent decides), and stops its run on SIGTERM, which
 * only the parent sends (the second signal), leaving nothing behind.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cmp_int.h"
#include "outfile.h"
#include "scenario.h"
#include "units.h"
#include "util.h"

#ifndef XCSIM_VERSION
#define XCSIM_VERSION "0"
#endif

static volatile sig_atomic_t child_stop;	/* in a child only */

static void
on_child_term(int sig)
{
	child_stop = sig;
}

int
cmp_set_parse(const char *arg, struct cmp_set *s, char *err, size_t errlen)
{
	const char *eq = strchr(arg, '='), *p, *c;
	size_t i;

	memset(s, 0, sizeof(*s));
	if (eq == NULL || eq == arg)
		return sim_err(err, errlen, "--set '%s': FIELD=V1,V2,... "
		    "(e.g. links.cross-connect.delay=1ms,5ms)", arg);
	for (p = arg; p < eq; p++)
		if (*p == '.' && (p == arg || p[1] == '.' || p + 1 == eq))
			return sim_err(err, errlen, "--set '%s': an empty part "
			    "in the field's path", arg);
	/* each run's seed is compare's own: a sweep of it would change nothing */
	if (eq - arg == 4 && strncmp(arg, "seed", 4) == 0)
		return sim_err(err, errlen, "--set seed: the seeds come from "
		    "--seeds N (each design runs with seeds 1..N)");
	s->field = xmalloc((size_t)(eq - arg) + 1);
	memcpy(s->field, arg, (size_t)(eq - arg));
	s->field[eq - arg] = '\0';
	for (p = eq + 1;; p = c + 1) {
		size_t n;

		c = strchr(p, ',');
		n = c ? (size_t)(c - p) : strlen(p);
		if (n == 0 || s->n_values == CMP_SET_VALUES_MAX) {
			cmp_set_free(s);
			return sim_err(err, errlen, n == 0 ? "--set '%s': an "
			    "empty value" : "--set '%s': more than %u values",
			    arg, CMP_SET_VALUES_MAX);
		}
		s->values = xrealloc(s->values, (s->n_values + 1) *
		    sizeof(*s->values));
		s->values[s->n_values] = xmalloc(n + 1);
		memcpy(s->values[s->n_values], p, n);
		s->values[s->n_values][n] = '\0';
		for (i = 0; i < n; i++)
			if ((unsigned char)p[i] < 0x20) {
				s->n_values++;
				cmp_set_free(s);
				return sim_err(err, errlen, "--set: a value "
				    "with a control character");
			}
		s->n_values++;
		for (i = 0; i + 1 < s->n_values; i++)
			if (strcmp(s->values[i], s->values[s->n_values - 1]) ==
			    0) {
				/* the same rows twice */
				(void)sim_err(err, errlen, "--set %s: the value "
				    "'%s' is given twice", s->field,
				    s->values[i]);
				cmp_set_free(s);
				return -1;
			}
		if (c == NULL)
			break;
	}
	return 0;
}

void
cmp_set_free(struct cmp_set *s)
{
	size_t i;

	for (i = 0; i < s->n_values; i++)
		free(s->values[i]);
	free(s->values);
	free(s->field);
	memset(s, 0, sizeof(*s));
}

static double
wall_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/*
 * The sweep is refused before anything is loaded or run: a FIELD given to
 * two --set options (both sweeps would write the one field, the later
 * winning, and rows would repeat), and more than CMP_RUNS_MAX runs in all.
 * The product is built with a check before each step, so a sweep whose
 * count would not fit in size_t is refused too instead of wrapping.
 */
static int
check_sweep(const struct cmp_opts *o, FILE *diag)
{
	size_t k, i, runs;

	for (k = 0; k < o->n_sets; k++)
		for (i = 0; i < k; i++)
			if (strcmp(o->sets[i].field, o->sets[k].field) == 0) {
				fprintf(diag, "xcsim compare: --set %s is given "
				    "twice: give its values in one --set "
				    "(%s=V1,V2,...)\n", o->sets[k].field,
				    o->sets[k].field);
				return -1;
			}
	runs = o->n_designs;
	if (runs > CMP_RUNS_MAX / o->seeds)
		goto too_many;
	runs *= o->seeds;
	for (k = 0; k < o->n_sets; k++) {
		if (o->sets[k].n_values == 0 ||
		    runs > CMP_RUNS_MAX / o->sets[k].n_values)
			goto too_many;
		runs *= o->sets[k].n_values;
	}
	return 0;
too_many:
	fprintf(diag, "xcsim compare: too many runs: %zu design%s x ",
	    o->n_designs, o->n_designs == 1 ? "" : "s");
	for (k = 0; k < o->n_sets; k++)
		fprintf(diag, "%zu (--set %s) x ", o->sets[k].n_values,
		    o->sets[k].field);
	fprintf(diag, "%u seed%s (--seeds) is more than %u: give fewer "
	    "--set values, --seeds or designs\n", o->seeds,
	    o->seeds == 1 ? "" : "s", CMP_RUNS_MAX);
	return -1;
}

static int
dir_cmp(const void *a, const void *b)
{
	const struct cmp_combo *x = *(const struct cmp_combo *const *)a;
	const struct cmp_combo *y = *(const struct cmp_combo *const *)b;

	return strcmp(x->dir, y->dir);
}

/* The combination's folder made from a prefix of its label and its hash. */
static void
hashed_dir(struct cmp_combo *c)
{
	uint64_t h = cmp_hash(0xcbf29ce484222325ULL, c->label,
	    strlen(c->label));
	size_t n = strlen(c->dir);
	char *d;

	if (n > CMP_DIR_PREFIX) {
		n = CMP_DIR_PREFIX;
		/* not inside a UTF-8 character */
		while (n > 0 && ((unsigned char)c->dir[n] & 0xc0) == 0x80)
			n--;
	}
	d = xmalloc(n + 18);
	memcpy(d, c->dir, n);
	snprintf(d + n, 18, "-%016llx", (unsigned long long)h);
	free(c->dir);
	c->dir = d;
}

/*
 * Every combination's folder: its label as it is when that makes a short
 * name of its own ('/' made '_', a leading '.' made '_'), else a prefix of
 * it and the label's hash, so that a folder name stays far below a file
 * system's 255 bytes (the plots add "failover-" and ".png" to it) and two
 * labels never share one. compare-set.txt in the folder, the table, CSV
 * and JSON carry the whole label. 0, or -1 after saying why.
 */
static int
combo_dirs(struct cmp_combo *c, size_t n, const char *out, FILE *diag)
{
	struct cmp_combo **s;
	size_t i, j, pass;
	int rc = 0;

	for (i = 0; i < n; i++) {
		size_t k;

		c[i].dir = xstrdup(c[i].label);
		for (k = 0; c[i].dir[k]; k++)
			if (c[i].dir[k] == '/')
				c[i].dir[k] = '_';
		if (c[i].dir[0] == '.')
			c[i].dir[0] = '_';
		if (k > CMP_DIR_MAX)
			hashed_dir(&c[i]);
	}
	if (n < 2)
		return 0;
	/* labels made alike by the '/' -> '_' change: the changed ones hash */
	s = xcalloc(n, sizeof(*s));
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < n; i++)
			s[i] = &c[i];
		qsort(s, n, sizeof(*s), dir_cmp);
		for (i = 0; i + 1 < n; i = j) {
			for (j = i + 1; j < n && strcmp(s[i]->dir, s[j]->dir) ==
			    0; j++)
				;
			if (j - i == 1)
				continue;
			if (pass == 1) {
				fprintf(diag, "xcsim compare: --set labels %s "
				    "and %s would share the folder %s/DESIGN/"
				    "%s\n", s[i]->label, s[i + 1]->label, out,
				    s[i]->dir);
				rc = -1;
				break;
			}
			for (; i < j; i++)
				if (strcmp(s[i]->dir, s[i]->label) != 0)
					hashed_dir(s[i]);
		}
	}
	free(s);
	return rc;
}

/* Set k's value index in combination c, the first set slowest. */
static size_t
vi_of(const struct cmp_opts *o, size_t c, size_t k)
{
	size_t j = o->n_sets;

	while (--j > k)
		c /= o->sets[j].n_values;
	return c % o->sets[k].n_values;
}

/* Every combination of the sets' values, the first set slowest. */
static struct cmp_combo *
make_combos(const struct cmp_opts *o, size_t *n, size_t **vi)
{
	struct cmp_combo *c;
	size_t i, k, total = 1;

	/* check_sweep bounded the product */
	for (k = 0; k < o->n_sets; k++)
		total *= o->sets[k].n_values;
	c = xcalloc(total, sizeof(*c));
	*vi = xcalloc(total * (o->n_sets ? o->n_sets : 1), sizeof(**vi));
	for (i = 0; i < total; i++) {
		size_t rest = i, len = 0, cap = 1;
		char *lab;

		for (k = o->n_sets; k-- > 0; ) {
			(*vi)[i * o->n_sets + k] = rest % o->sets[k].n_values;
			rest /= o->sets[k].n_values;
		}
		for (k = 0; k < o->n_sets; k++)
			cap += strlen(o->sets[k].field) + 2 +
			    strlen(o->sets[k].values[(*vi)[i * o->n_sets + k]]);
		lab = xmalloc(cap + 8);
		lab[0] = '\0';
		for (k = 0; k < o->n_sets; k++)
			len += (size_t)sprintf(lab + len, "%s%s=%s", k ? "," :
			    "", o->sets[k].field,
			    o->sets[k].values[(*vi)[i * o->n_sets + k]]);
		if (o->n_sets == 0)
			strcpy(lab, "default");
		c[i].label = lab;
	}
	*n = total;
	return c;
}

static char *
run_dir(const struct cmp_opts *o, const struct cmp_result *r, size_t job)
{
	const struct cmp_case *cs = &r->cases[job / o->seeds];
	char *p;
	size_t n = strlen(o->out) + strlen(r->designs[cs->d].name) +
	    strlen(r->combos[cs->c].dir) + 32;

	p = xmalloc(n);
	snprintf(p, n, "%s/%s/%s/seed-%zu", o->out, r->designs[cs->d].name,
	    r->combos[cs->c].dir, job % o->seeds + 1);
	return p;
}

static uint64_t
job_hash(const struct cmp_case *cs, uint64_t seed)
{
	uint64_t h = cmp_hash(cs->hash, &seed, sizeof(seed));

	return cmp_hash(h, XCSIM_VERSION, strlen(XCSIM_VERSION));
}

/* The job's figures from its directory: 0, or -1 if not (or not these). */
static int
read_figs(const char *dir, uint64_t hash, struct cmp_fig *f)
{
	char path[4096];
	FILE *in;
	int rc;

	snprintf(path, sizeof(path), "%s/" CMP_RUN_FILE, dir);
	if ((in = fopen(path, "r")) == NULL)
		return -1;
	rc = cmp_fig_read(in, hash, f);
	fclose(in);
	return rc;
}

static void
fmt_dur(char *b, size_t n, double s)
{
	long t = (long)(s + 0.5);

	if (t >= 3600)
		snprintf(b, n, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60,
		    t % 60);
	else
		snprintf(b, n, "%ld:%02ld", t / 60, t % 60);
}

struct prog {
	size_t total, reused, fresh_done, failed, running;
	double t0;
	bool shown;
};

static void
progress(struct prog *p, FILE *diag)
{
	size_t done = p->reused + p->fresh_done + p->failed, k, fill;
	double el = wall_now() - p->t0;
	char bar[33], a[32], b[32];

	fill = p->total ? done * 30 / p->total : 30;
	for (k = 0; k < 30; k++)
		bar[k] = k < fill ? '#' : '-';
	bar[30] = '\0';
	fmt_dur(a, sizeof(a), el);
	if (p->fresh_done + p->failed > 0) {
		/* the rate so far, parallelism included */
		double left = el / (double)(p->fresh_done + p->failed) *
		    (double)(p->total - done);

		fmt_dur(b, sizeof(b), left);
	} else {
		snprintf(b, sizeof(b), "?");
	}
	fprintf(diag, "\r\033[K[%s] %zu/%zu runs, %zu running, %s elapsed, "
	    "~%s left", bar, done, p->total, p->running, a, b);
	fflush(diag);
	p->shown = true;
}

/* Launch job j in a child process; its pid, or -1. */
static pid_t
launch(const struct cmp_opts *o, struct cmp_result *r,
    const struct cmp_traffic *t, size_t j, FILE *out, FILE *diag)
{
	const struct cmp_case *cs = &r->cases[j / o->seeds];
	uint64_t seed = j % o->seeds + 1;
	char *dir = run_dir(o, r, j), path[4096];
	sigset_t set, old;
	pid_t pid;

	/* no figures of an earlier run may pass for this one's */
	snprintf(path, sizeof(path), "%s/" CMP_RUN_FILE, dir);
	(void)unlink(path);
	fflush(out);
	fflush(diag);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, &old);
	pid = fork();
	if (pid == 0) {
		struct sigaction sa;
		int fd, rc;

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = SIG_IGN;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGHUP, &sa, NULL);
		sigaction(SIGQUIT, &sa, NULL);
		sa.sa_handler = on_child_term;
		sigaction(SIGTERM, &sa, NULL);
		sigprocmask(SIG_SETMASK, &old, NULL);
		if ((fd = open("/dev/null", O_WRONLY)) >= 0) {
			dup2(fd, STDOUT_FILENO);
			close(fd);
		}
		rc = cmp_child_run(cs, &r->designs[cs->d], t, seed, dir,
		    job_hash(cs, seed), &child_stop);
		fflush(stderr);
		_exit(rc);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (pid < 0)
		fprintf(diag, "xcsim compare: fork: %s\n", strerror(errno));
	free(dir);
	return pid;
}

/*
 * OUT/DESIGN/SET/compare-set.txt: the combination's whole label, one
 * FIELD=VALUE a line, in each folder that holds a finished run (its
 * folder's name may be a prefix and a hash). 0, or -1 after saying why.
 */
static int
write_set_files(const struct cmp_opts *o, const struct cmp_result *r,
    FILE *diag)
{
	size_t i, s, k;
	int rc = 0;

	for (i = 0; o->n_sets > 0 && i < r->n_cases; i++) {
		const struct cmp_case *cs = &r->cases[i];
		struct outfile *of;
		char *path, err[512];
		FILE *f;
		int fd;

		for (s = 0; s < o->seeds && !r->done[i * o->seeds + s]; s++)
			;
		if (s == o->seeds)
			continue;
		path = cmp_printf("%s/%s/%s/compare-set.txt", o->out,
		    r->designs[cs->d].name, r->combos[cs->c].dir);
		if ((of = outfile_create_path(path, &fd, err, sizeof(err))) ==
		    NULL || (f = fdopen(fd, "w")) == NULL) {
			if (of != NULL) {
				close(fd);
				outfile_abort(of);
			}
			fprintf(diag, "xcsim compare: %s: %s\n", path, of ?
			    strerror(errno) : err);
			free(path);
			rc = -1;
			continue;
		}
		for (k = 0; k < o->n_sets; k++)
			fprintf(f, "%s=%s\n", o->sets[k].field,
			    o->sets[k].values[vi_of(o, cs->c, k)]);
		if (ferror(f) | (fclose(f) != 0)) {
			outfile_abort(of);
			fprintf(diag, "xcsim compare: %s: write failed\n", path);
			rc = -1;
		} else if (outfile_commit(of, err, sizeof(err)) < 0) {
			fprintf(diag, "xcsim compare: %s\n", err);
			rc = -1;
		}
		free(path);
	}
	return rc;
}

static int
load_inputs(const struct cmp_opts *o, struct cmp_result *r,
    struct cmp_traffic *t, bool *have_t, FILE *diag)
{
	/* compare's own files in OUT (and their temporary names) */
	static const char *const reserved[] = { "compare.csv", "compare.json",
	    "compare.csv.tmp", "compare.json.tmp", "plots", NULL };
	size_t i, k, *vi = NULL;
	int rc = 0;

	r->designs = xcalloc(o->n_designs, sizeof(*r->designs));
	for (i = 0; i < o->n_designs; i++)
		if (cmp_design_load(&r->designs[i], o->designs[i], diag) < 0)
			rc = -1;
	for (i = 0; rc == 0 && i < o->n_designs; i++) {
		for (k = 0; reserved[k] != NULL; k++)
			if (strcmp(r->designs[i].name, reserved[k]) == 0) {
				fprintf(diag, "xcsim compare: %s would put its "
				    "runs in %s/%s, which is compare's own "
				    "output: rename the file\n", o->designs[i],
				    o->out, reserved[k]);
				rc = -1;
			}
		for (k = 0; k < i; k++)
			if (strcmp(r->designs[i].name, r->designs[k].name) ==
			    0) {
				fprintf(diag, "xcsim compare: %s and %s would "
				    "share the folder %s/%s: rename one\n",
				    o->designs[k], o->designs[i], o->out,
				    r->designs[i].name);
				rc = -1;
			}
	}
	if (rc == 0 && o->traffic != NULL) {
		if (cmp_traffic_load(t, o->traffic, diag) < 0)
			rc = -1;
		*have_t = true;
	}
	if (rc < 0)
		return -1;
	r->combos = make_combos(o, &r->n_combos, &vi);
	if (combo_dirs(r->combos, r->n_combos, o->out, diag) < 0) {
		free(vi);
		return -1;
	}
	r->n_cases = o->n_designs * r->n_combos;
	r->cases = xcalloc(r->n_cases, sizeof(*r->cases));
	for (i = 0; i < r->n_cases; i++) {
		struct cmp_case *cs = &r->cases[i];
		struct scenario *sc;

		cs->d = i / r->n_combos;
		cs->c = i % r->n_combos;
		if (cmp_case_build(cs, &r->designs[cs->d], *have_t ? t : NULL,
		    o->sets, vi + cs->c * o->n_sets, o->n_sets, diag) < 0) {
			rc = -1;
			break;
		}
		/* bad values are found here, before anything runs */
		sc = cmp_case_load(cs, &r->designs[cs->d], *have_t ? t : NULL,
		    1, diag);
		if (sc == NULL) {
			rc = -1;
			break;
		}
		scenario_free(sc);
	}
	free(vi);
	return rc;
}

static void
result_free(struct cmp_result *r, const struct cmp_opts *o)
{
	size_t i;

	for (i = 0; r->designs != NULL && i < o->n_designs; i++)
		cmp_design_free(&r->designs[i]);
	for (i = 0; i < r->n_combos; i++) {
		free(r->combos[i].label);
		free(r->combos[i].dir);
	}
	for (i = 0; i < r->n_cases; i++)
		free(r->cases[i].text);
	free(r->designs);
	free(r->combos);
	free(r->cases);
	free(r->figs);
	free(r->done);
}

int
compare_run(const struct cmp_opts *o, FILE *out, FILE *diag)
{
	struct cmp_result r = { .o = o };
	struct cmp_traffic t = { 0 };
	struct prog pg = { 0 };
	struct outdir *od;
	pid_t *pids = NULL;
	size_t *pjob = NULL, njobs, next = 0, j, k;
	bool have_t = false, killed = false, told = false;
	double last_shown = 0;
	char err[512];
	int rc = 0, status;

	if (o->n_designs == 0 || o->seeds == 0 || o->jobs == 0) {
		fprintf(diag, "xcsim compare: nothing to compare\n");
		return 2;
	}
	if (check_sweep(o, diag) < 0)
		return 2;
	if (load_inputs(o, &r, &t, &have_t, diag) < 0) {
		rc = 2;
		goto out;
	}
	if ((od = outdir_open(o->out, err, sizeof(err))) == NULL) {
		fprintf(diag, "xcsim compare: %s\n", err);
		rc = 2;
		goto out;
	}
	outdir_free(od);
	njobs = r.n_cases * o->seeds;
	r.figs = xcalloc(njobs, sizeof(*r.figs));
	r.done = xcalloc(njobs, sizeof(*r.done));
	for (j = 0; j < njobs; j++) {
		char *dir = run_dir(o, &r, j);

		if (read_figs(dir, job_hash(&r.cases[j / o->seeds],
		    j % o->seeds + 1), &r.figs[j]) == 0) {
			r.done[j] = true;
			pg.reused++;
		}
		free(dir);
	}
	if (pg.reused > 0)
		fprintf(diag, "xcsim compare: %zu of %zu runs finished in %s "
		    "already (same scenario and seed): reused\n", pg.reused,
		    njobs, o->out);
	pids = xcalloc(o->jobs, sizeof(*pids));
	pjob = xcalloc(o->jobs, sizeof(*pjob));
	pg.total = njobs;
	pg.t0 = wall_now();
	for (;;) {
		bool stopping = o->nsig != NULL && *o->nsig > 0;
		pid_t pid;

		while (!stopping && pg.running < o->jobs && next < njobs) {
			if (r.done[next]) {
				next++;
				continue;
			}
			for (k = 0; pids[k] != 0; k++)
				;
			if ((pid = launch(o, &r, have_t ? &t : NULL, next,
			    out, diag)) < 0) {
				stopping = true;
				rc = 1;
				break;
			}
			pids[k] = pid;
			pjob[k] = next++;
			pg.running++;
		}
		if (pg.running == 0 && (stopping || next >= njobs))
			break;
		if (stopping && !told && pg.running > 0) {
			if (pg.shown)
				fputs("\r\033[K", diag);
			fprintf(diag, "xcsim compare: stopping: no more runs "
			    "started; waiting for the %zu running (again to "
			    "stop them)\n", pg.running);
			told = true;
		}
		if (o->nsig != NULL && *o->nsig > 1 && !killed) {
			if (pg.shown)
				fputs("\r\033[K", diag);
			fprintf(diag, "xcsim compare: stopping the %zu running "
			    "run%s\n", pg.running, pg.running == 1 ? "" : "s");
			for (k = 0; k < o->jobs; k++)
				if (pids[k] != 0)
					kill(pids[k], SIGTERM);
			killed = true;
		}
		if (o->progress && wall_now() - last_shown > 0.25) {
			progress(&pg, diag);
			last_shown = wall_now();
		}
		/* our children only: the caller may have others */
		for (k = 0, pid = 0; k < o->jobs && pid == 0; k++)
			if (pids[k] != 0 && (pid = waitpid(pids[k], &status,
			    WNOHANG)) < 0 && errno == EINTR)
				pid = 0;
		if (pid == 0) {
			struct timespec ts = { 0, 50 * 1000 * 1000 };

			nanosleep(&ts, NULL);
			continue;
		}
		k--;
		if (pid < 0) {
			fprintf(diag, "xcsim compare: waitpid: %s\n",
			    strerror(errno));
			status = 0x7f00;	/* as exit 127: failed */
		}
		pids[k] = 0;
		pg.running--;
		j = pjob[k];
		{
			char *dir = run_dir(o, &r, j);

			if (WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
			    read_figs(dir, job_hash(&r.cases[j / o->seeds],
			    j % o->seeds + 1), &r.figs[j]) == 0) {
				r.done[j] = true;
				pg.fresh_done++;
			} else if (!(WIFEXITED(status) && WEXITSTATUS(status) ==
			    128 + SIGTERM && killed)) {
				if (pg.shown)
					fputs("\r\033[K", diag);
				fprintf(diag, "xcsim compare: the run in %s "
				    "failed (%s %d)\n", dir,
				    WIFEXITED(status) ? "exit" : "signal",
				    WIFEXITED(status) ? WEXITSTATUS(status) :
				    WTERMSIG(status));
				pg.failed++;
				rc = 1;
			}
			free(dir);
		}
	}
	if (pg.shown) {
		progress(&pg, diag);
		fputc('\n', diag);
	}
	if (o->nsig != NULL && *o->nsig > 0) {
		size_t fin = 0;

		for (j = 0; j < njobs; j++)
			fin += r.done[j];
		fprintf(diag, "xcsim compare: %s: the table covers the %zu of "
		    "%zu runs that finished\n", o->sig && *o->sig == SIGTERM ?
		    "terminated" : "interrupted", fin, njobs);
		rc = 128 + (o->sig && *o->sig ? *o->sig : SIGINT);
	}
	for (j = 0; j < njobs; j++)
		if (r.done[j] && r.figs[j].failed > 0 && rc == 0) {
			fprintf(diag, "xcsim compare: assertions failed in "
			    "some runs (compare.json: failed_assertions)\n");
			rc = 1;
			break;
		}
	cmp_table(&r, out);
	if (write_set_files(o, &r, diag) < 0 && rc == 0)
		rc = 2;
	if (cmp_write_outputs(&r, diag) < 0 && rc == 0)
		rc = 2;
	if (o->plots && cmp_plots(&r, diag) < 0 && rc == 0)
		rc = 2;
out:
	free(pids);
	free(pjob);
	if (have_t)
		free(t.text);
	result_free(&r, o);
	return rc;
}
