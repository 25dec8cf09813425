/*
 * realtime.c - the event kernel paced by CLOCK_MONOTONIC on a libev loop.
 *
 * rt_run anchors simulated time t0 = sim_now() at wall time w0 and then
 * repeats: run every event due by now (sim_run_until the simulated time of
 * the wall clock), service the loop's watchers, and sleep in
 * ev_run(EVRUN_ONCE) until the next event's wall time or the next input.
 *
 * The sleep is a timerfd watched by an ev_io, not an ev_timer: libev's
 * epoll backend waits in whole milliseconds (and adds a millisecond of
 * fudge), which alone would make every event about a millisecond late; a
 * timerfd armed at an absolute CLOCK_MONOTONIC instant wakes epoll within
 * the thread's timer slack, which rt_run lowers to RT_TIMER_SLACK_NS for
 * its duration. The last RT_SPIN before an event is polled, not slept
 * (ns-3's realtime synchronizer spins likewise). The sleep is capped (RT_MAX_SLEEP) so that a stop flag set
 * by a signal just before the loop went to sleep is seen soon even when no
 * event is due for long.
 *
 * Lateness is measured by the kernel's event observer
 * (sim_set_event_observer), installed only while rt_run runs: wall time at
 * the start of each event minus the wall time it was due. The histogram
 * has 16 linear sub-buckets per power of two (values below 16 ns exact),
 * so a percentile is reported as the upper edge of its bucket, at most
 * 1/16 above the true value, and never above the exact maximum.
 */
#define _GNU_SOURCE		/* dladdr */
#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

/* elf.h's ELF version macros clash with libev's event names. */
#undef EV_NONE
#undef EV_CURRENT
#undef EV_NUM
#include <ev.h>

#include "realtime.h"
#include "sim.h"
#include "util.h"

#define RT_TIMER_SLACK_NS 1000UL
#define RT_MAX_SLEEP SIM_MS(100)
/*
 * An event due sooner than this is waited for by polling the loop, not by
 * sleeping: a wake-up from epoll costs tens of microseconds (more in a
 * virtual machine), and sleeping again and again between events 10 us
 * apart is what would make them late. The sleep before a later event ends
 * RT_SPIN / 2 early, for the same reason.
 */
#define RT_SPIN SIM_US(100)
#define RT_DEFAULT_BOUND SIM_MS(100)
#define RT_DEFAULT_WARN_EVERY SIM_S(1)

#define HIST_SUB_BITS 4
#define HIST_SUB (1 << HIST_SUB_BITS)
#define HIST_N ((64 - HIST_SUB_BITS) * HIST_SUB)

struct rt {
	struct sim *sim;
	struct ev_loop *loop;
	struct rt_cfg cfg;
	int tfd;		/* timerfd: the wake-up for the next event */
	ev_io tfd_w;
	bool running;		/* inside rt_run: t0/w0 are valid */
	sim_time t0;		/* simulated time at w0 */
	int64_t w0;		/* CLOCK_MONOTONIC ns at rt_run's start */
	volatile sig_atomic_t *stop;
	enum rt_stop fail;	/* RT_DONE, or why the run must end */
	char err[512];
	/* lateness */
	uint64_t hist[HIST_N];
	uint64_t events, over_1ms;
	sim_time max;
	/* RT_LATE_WARN's rate limit */
	int64_t last_warn;	/* wall ns of the last warning, or -1 */
	uint64_t late_since;	/* events past the bound since it */
	sim_time late_max;	/* the latest of them */
};

static int64_t
wall_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static unsigned
hist_index(uint64_t v)
{
	unsigned e;

	if (v < HIST_SUB)
		return (unsigned)v;
	e = 63 - (unsigned)__builtin_clzll(v);
	return (e - HIST_SUB_BITS + 1) * HIST_SUB +
	    (unsigned)((v >> (e - HIST_SUB_BITS)) & (HIST_SUB - 1));
}

/* The largest value that falls into bucket i. */
static uint64_t
hist_upper(unsigned i)
{
	unsigned e, m;

	if (i < HIST_SUB)
		return i;
	e = i / HIST_SUB + HIST_SUB_BITS - 1;
	m = i % HIST_SUB;
	return (((uint64_t)(HIST_SUB + m) << (e - HIST_SUB_BITS)) - 1) +
	    ((uint64_t)1 << (e - HIST_SUB_BITS));
}

/* The wall-clock instant (ns) at which simulated time t is due. */
static int64_t
due_wall(const struct rt *rt, sim_time t)
{
	return rt->w0 + (t - rt->t0);
}

/*
 * The name of the function containing address addr of the ELF file path
 * (loaded at base), from its full symbol table (.symtab: static functions
 * too, which the dynamic one lacks), else its .dynsym. Only on the way to
 * an error message, so a plain read of the file is fine. 0 if found.
 */
static int
elf_func_name(const char *path, const void *base, const void *addr,
    char *buf, size_t len)
{
	const Elf64_Ehdr *eh;
	const Elf64_Shdr *sh;
	struct stat st;
	uint64_t a;
	void *map;
	int fd, rc = -1, pass;
	unsigned i;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	if (fstat(fd, &st) < 0 || st.st_size < (off_t)sizeof(*eh) ||
	    (map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd,
	    0)) == MAP_FAILED) {
		close(fd);
		return -1;
	}
	close(fd);
	eh = map;
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_shoff == 0 ||
	    eh->e_shentsize != sizeof(*sh) || eh->e_shoff +
	    (uint64_t)eh->e_shnum * sizeof(*sh) > (uint64_t)st.st_size)
		goto out;
	/* A shared object or PIE has symbol values relative to its base. */
	a = eh->e_type == ET_DYN ? (uint64_t)((const char *)addr -
	    (const char *)base) : (uint64_t)(uintptr_t)addr;
	sh = (const Elf64_Shdr *)((const char *)map + eh->e_shoff);
	for (pass = 0; pass < 2 && rc < 0; pass++) {
		for (i = 0; i < eh->e_shnum && rc < 0; i++) {
			const Elf64_Shdr *s = &sh[i], *strs;
			const Elf64_Sym *sym;
			uint64_t k, n;

			if (s->sh_type != (pass == 0 ? SHT_SYMTAB : SHT_DYNSYM) ||
			    s->sh_link >= eh->e_shnum ||
			    s->sh_offset + s->sh_size > (uint64_t)st.st_size)
				continue;
			strs = &sh[s->sh_link];
			if (strs->sh_offset + strs->sh_size >
			    (uint64_t)st.st_size)
				continue;
			sym = (const Elf64_Sym *)((const char *)map +
			    s->sh_offset);
			n = s->sh_size / sizeof(*sym);
			for (k = 0; k < n; k++) {
				if (ELF64_ST_TYPE(sym[k].st_info) != STT_FUNC ||
				    a < sym[k].st_value || a >= sym[k].st_value +
				    (sym[k].st_size ? sym[k].st_size : 1) ||
				    sym[k].st_name >= strs->sh_size)
					continue;
				snprintf(buf, len, "%.*s()",
				    (int)(strs->sh_size - sym[k].st_name),
				    (const char *)map + strs->sh_offset +
				    sym[k].st_name);
				rc = 0;
				break;
			}
		}
	}
out:
	munmap(map, (size_t)st.st_size);
	return rc;
}

/*
 * What the event was: its function's name, from the symbol tables of the
 * object holding it (dladdr finds the object; its own symbol, from the
 * dynamic table only, would be the nearest exported one, not the static
 * function it is), else the object and offset, for addr2line -f.
 */
static void
describe_event(sim_event_fn fn, char *buf, size_t len)
{
	Dl_info info;
	const char *path;
	void *p;

	memcpy(&p, &fn, sizeof(p));
	if (dladdr(p, &info) == 0 || info.dli_fname == NULL) {
		snprintf(buf, len, "the function at %p", p);
		return;
	}
	if (info.dli_sname != NULL && info.dli_saddr == p) {
		snprintf(buf, len, "%s()", info.dli_sname);
		return;
	}
	/* The main program's name may be relative, or empty. */
	path = info.dli_fname[0] == '/' ? info.dli_fname : "/proc/self/exe";
	if (elf_func_name(path, info.dli_fbase, p, buf, len) == 0 ||
	    (path != info.dli_fname && info.dli_fname[0] != '\0' &&
	    elf_func_name(info.dli_fname, info.dli_fbase, p, buf, len) == 0))
		return;
	snprintf(buf, len, "the function at %s+0x%lx (addr2line -f -e %s "
	    "0x%lx names it)", info.dli_fname, (unsigned long)((char *)p -
	    (char *)info.dli_fbase), info.dli_fname,
	    (unsigned long)((char *)p - (char *)info.dli_fbase));
}

static void
rt_warn(struct rt *rt, const char *msg)
{
	if (rt->cfg.warn != NULL)
		rt->cfg.warn(msg, rt->cfg.warn_ctx);
	else
		fprintf(stderr, "%s\n", msg);
}

static void
late_event(struct rt *rt, struct sim *sim, sim_event_fn fn, sim_time late,
    int64_t now)
{
	char what[384], t[32], l[32], b[32], m[32], msg[640];

	if (rt->cfg.policy == RT_LATE_STOP) {
		if (rt->fail != RT_DONE)
			return;
		describe_event(fn, what, sizeof(what));
		snprintf(rt->err, sizeof(rt->err), "the event at %s simulated "
		    "ran %s late (the bound is %s): %s",
		    units_fmt_time(t, sizeof(t), sim_now(sim)),
		    units_fmt_time(l, sizeof(l), late),
		    units_fmt_time(b, sizeof(b), rt->cfg.late_bound), what);
		rt->fail = RT_TOO_LATE;
		sim_stop(sim);	/* this event still runs, then the loop returns */
		return;
	}
	rt->late_since++;
	if (late > rt->late_max)
		rt->late_max = late;
	if (rt->last_warn >= 0 && now - rt->last_warn < rt->cfg.warn_every)
		return;
	describe_event(fn, what, sizeof(what));
	snprintf(msg, sizeof(msg), "xcsim: behind real time: the event at %s "
	    "simulated ran %s late: %s (%llu event%s later than %s since the "
	    "last warning, the latest %s late)",
	    units_fmt_time(t, sizeof(t), sim_now(sim)),
	    units_fmt_time(l, sizeof(l), late), what,
	    (unsigned long long)rt->late_since, rt->late_since == 1 ? "" : "s",
	    units_fmt_time(b, sizeof(b), rt->cfg.late_bound),
	    units_fmt_time(m, sizeof(m), rt->late_max));
	rt_warn(rt, msg);
	rt->last_warn = now;
	rt->late_since = 0;
	rt->late_max = 0;
}

/* The kernel calls this before every event while rt_run runs. */
static void
observe(struct sim *sim, sim_event_fn fn, void *arg, void *ctx)
{
	struct rt *rt = ctx;
	int64_t now = wall_ns();
	sim_time late = now - due_wall(rt, sim_now(sim));

	(void)arg;
	if (late < 0)
		late = 0;
	rt->hist[hist_index((uint64_t)late)]++;
	rt->events++;
	if (late > SIM_MS(1))
		rt->over_1ms++;
	if (late > rt->max)
		rt->max = late;
	if (__builtin_expect(late > rt->cfg.late_bound, 0))
		late_event(rt, sim, fn, late, now);
}

static void
on_timer(struct ev_loop *loop, ev_io *w, int revents)
{
	struct rt *rt = w->data;
	uint64_t n;

	(void)loop;
	(void)revents;
	/* Drain it; EAGAIN (a disarmed timer) is harmless. */
	if (read(rt->tfd, &n, sizeof(n)) < 0 && errno != EAGAIN &&
	    errno != EINTR)
		rt_fail(rt, "reading the timerfd: %s", strerror(errno));
}

struct rt *
rt_new(struct sim *sim, const struct rt_cfg *cfg, char *err, size_t errlen)
{
	struct rt *rt = xcalloc(1, sizeof(*rt));

	rt->sim = sim;
	if (cfg != NULL)
		rt->cfg = *cfg;
	if (rt->cfg.late_bound <= 0)
		rt->cfg.late_bound = RT_DEFAULT_BOUND;
	if (rt->cfg.warn_every <= 0)
		rt->cfg.warn_every = RT_DEFAULT_WARN_EVERY;
	rt->last_warn = -1;
	rt->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (rt->tfd < 0) {
		sim_err(err, errlen, "timerfd_create: %s", strerror(errno));
		free(rt);
		return NULL;
	}
	/* No signal handling of libev's: the caller owns the signals. */
	rt->loop = ev_loop_new(EVFLAG_AUTO | EVFLAG_NOSIGMASK);
	if (rt->loop == NULL) {
		sim_err(err, errlen, "ev_loop_new failed (out of file "
		    "descriptors or memory)");
		close(rt->tfd);
		free(rt);
		return NULL;
	}
	ev_io_init(&rt->tfd_w, on_timer, rt->tfd, EV_READ);
	rt->tfd_w.data = rt;
	return rt;
}

void
rt_free(struct rt *rt)
{
	if (rt == NULL)
		return;
	ev_io_stop(rt->loop, &rt->tfd_w);
	ev_loop_destroy(rt->loop);
	close(rt->tfd);
	free(rt);
}

struct ev_loop *
rt_loop(struct rt *rt)
{
	return rt->loop;
}

struct sim *
rt_sim(struct rt *rt)
{
	return rt->sim;
}

sim_time
rt_now(struct rt *rt)
{
	sim_time now = sim_now(rt->sim), t;

	if (!rt->running)
		return now;
	t = rt->t0 + (wall_ns() - rt->w0);
	return t > now ? t : now;
}

void
rt_fail(struct rt *rt, const char *fmt, ...)
{
	va_list ap;

	if (rt->fail != RT_DONE)
		return;		/* the first reason stands */
	va_start(ap, fmt);
	vsnprintf(rt->err, sizeof(rt->err), fmt, ap);
	va_end(ap);
	rt->fail = RT_ERROR;
	sim_stop(rt->sim);
	ev_break(rt->loop, EVBREAK_ONE);
}

/* Arm the timerfd for simulated time t (a sleep of at most RT_MAX_SLEEP). */
static int
arm(struct rt *rt, sim_time t, int64_t now)
{
	struct itimerspec its;
	int64_t at = now + RT_MAX_SLEEP;

	if (t != SIM_TIME_MAX && t - rt->t0 < at - rt->w0)
		at = due_wall(rt, t);
	memset(&its, 0, sizeof(its));
	if (at <= 0)
		at = 1;		/* it_value 0 would disarm it */
	its.it_value.tv_sec = (time_t)(at / 1000000000);
	its.it_value.tv_nsec = (long)(at % 1000000000);
	if (timerfd_settime(rt->tfd, TFD_TIMER_ABSTIME, &its, NULL) < 0) {
		rt_fail(rt, "timerfd_settime: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static enum rt_stop
run_loop(struct rt *rt, sim_time until)
{
	struct sim *sim = rt->sim;

	for (;;) {
		sim_time next, target, to, wake;
		int64_t now;

		if (rt->fail != RT_DONE)
			return rt->fail;
		if (rt->stop != NULL && *rt->stop != 0)
			return RT_STOPPED;
		now = wall_ns();
		target = rt->t0 + (now - rt->w0);
		next = sim_next_time(sim);
		if (next <= until && next <= target) {
			to = target < until ? target : until;
			/* Zero events with one due: the kernel's stop flag. */
			if (sim_run_until(sim, to) == 0 &&
			    sim_next_time(sim) <= to && rt->fail == RT_DONE)
				return RT_STOPPED;
			if (rt->fail != RT_DONE)
				return rt->fail;
			/* Still behind: read the inputs before catching up. */
			if (sim_next_time(sim) <= rt->t0 + (wall_ns() - rt->w0))
				ev_run(rt->loop, EVRUN_NOWAIT);
			continue;
		}
		if (next > until && target >= until) {
			if (until != SIM_TIME_MAX && sim_now(sim) < until)
				sim_run_until(sim, until);
			return RT_DONE;
		}
		wake = next < until ? next : until;
		/* Too soon to sleep: waking takes longer. Poll instead. */
		if (wake - target < RT_SPIN) {
			ev_run(rt->loop, EVRUN_NOWAIT);
			continue;
		}
		if (arm(rt, wake - RT_SPIN / 2, now) < 0)
			return RT_ERROR;
		ev_run(rt->loop, EVRUN_ONCE);
	}
}

enum rt_stop
rt_run(struct rt *rt, sim_time until, volatile sig_atomic_t *stop)
{
	volatile sig_atomic_t *prev_flag;
	enum rt_stop why;
	int slack;

	/* Too late once may be continued (best effort); a failure may not. */
	if (rt->fail == RT_TOO_LATE)
		rt->fail = RT_DONE;
	if (rt->fail != RT_DONE)
		return rt->fail;
	rt->err[0] = '\0';
	rt->stop = stop;
	rt->t0 = sim_now(rt->sim);
	rt->w0 = wall_ns();
	rt->running = true;
	/* Timer slack is per thread: lower it for this run, then restore. */
	slack = prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0);
	prctl(PR_SET_TIMERSLACK, RT_TIMER_SLACK_NS, 0, 0, 0);
	ev_io_start(rt->loop, &rt->tfd_w);
	/* The kernel checks stop before every event: no event after it. */
	prev_flag = sim_stop_flag(rt->sim);
	if (stop != NULL)
		sim_set_stop_flag(rt->sim, stop);
	sim_set_event_observer(rt->sim, observe, rt);
	why = run_loop(rt, until);
	sim_set_event_observer(rt->sim, NULL, NULL);
	sim_set_stop_flag(rt->sim, prev_flag);
	ev_io_stop(rt->loop, &rt->tfd_w);
	if (slack > 0)
		prctl(PR_SET_TIMERSLACK, (unsigned long)slack, 0, 0, 0);
	rt->running = false;
	rt->stop = NULL;
	return why;
}

const char *
rt_error(const struct rt *rt)
{
	return rt->err;
}

void
rt_lateness(const struct rt *rt, struct rt_lateness *l)
{
	/* The ranks of p50, p99, p99.9: ceil(p * n), at least 1. */
	uint64_t rank[3], seen = 0;
	sim_time *out[3] = { &l->p50, &l->p99, &l->p999 };
	unsigned i, k = 0;

	memset(l, 0, sizeof(*l));
	l->events = rt->events;
	l->over_1ms = rt->over_1ms;
	l->max = rt->max;
	if (rt->events == 0)
		return;
	rank[0] = (rt->events * 500 + 999) / 1000;
	rank[1] = (rt->events * 990 + 999) / 1000;
	rank[2] = (rt->events * 999 + 999) / 1000;
	for (i = 0; i < HIST_N && k < 3; i++) {
		sim_time up;

		if (rt->hist[i] == 0)
			continue;
		seen += rt->hist[i];
		up = (sim_time)hist_upper(i);
		if (up > rt->max)
			up = rt->max;
		while (k < 3 && seen >= rank[k])
			*out[k++] = up;
	}
}
