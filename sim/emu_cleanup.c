/*
 * emu_cleanup.c - the registry of what an emulation must undo.
 *
 * Entries form a list pushed at its head, so walking it from the head goes
 * newest first, and an entry is fully written before the head points to
 * it: a signal handler walking the list (emu_cleanup_kill_now) sees either
 * the old list or the new one. Entries are only marked done, never unlinked,
 * until emu_cleanup_free.
 *
 * A child gets a pidfd (Linux 5.3) when it is registered; it is signalled
 * through it (pidfd_send_signal, a raw syscall, async-signal-safe) and
 * reaped through it (waitid P_PIDFD), so a pid reused after the child was
 * reaped is never signalled. Reaping first looks (WNOWAIT: the zombie keeps
 * its pid), then clears live, then reaps: kill_now in a signal handler
 * never signals a pid that is free. Without pidfds, plain pids the same way.
 *
 * A watched child is seen dying through its pidfd readable on the run's
 * loop; where pidfd_open is missing, a 50 ms ev_timer polls. No SIGCHLD
 * handler: it would be process-wide state, and libev's child watchers
 * exist only on the default loop.
 */
#define _GNU_SOURCE		/* syscall */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <ev.h>

#include "emu_cleanup.h"
#include "realtime.h"
#include "util.h"

#define GRACE_NS 1000000000LL
#define POLL_S 0.05

enum ent_kind { ENT_FN, ENT_CHILD };

struct ent {
	struct ent *next;
	unsigned id;
	enum ent_kind kind;
	volatile sig_atomic_t live;	/* not yet run, released or reaped */
	emu_cleanup_fn fn;
	void *ctx;
	pid_t pid;
	int pidfd;		/* -1: none (no pidfd_open) */
	bool watched;		/* on the loop: w (pidfd) or the registry's poll */
	bool ending;		/* SIGTERM sent on the loop: its death is expected */
	ev_io w;
	ev_timer kill_t;	/* ending: SIGKILL when the grace period is over */
	emu_child_exit_fn on_exit;
	void *exit_ctx;
	struct emu_cleanup *c;
	char what[96];
};

struct emu_cleanup {
	struct ent *volatile head;
	unsigned next_id;
	pid_t owner;		/* the process that may undo (not a fork of it) */
	struct rt *rt;		/* emu_cleanup_watch, or NULL */
	ev_timer poll;		/* the fallback without pidfds */
	bool polling;
};

struct emu_cleanup *
emu_cleanup_new(void)
{
	struct emu_cleanup *c = xcalloc(1, sizeof(*c));

	c->next_id = 1;
	c->owner = getpid();
	return c;
}

static struct ent *
push(struct emu_cleanup *c, enum ent_kind kind, const char *what)
{
	struct ent *e = xcalloc(1, sizeof(*e));

	e->id = c->next_id++;
	e->kind = kind;
	e->pidfd = -1;
	e->c = c;
	snprintf(e->what, sizeof(e->what), "%s", what ? what : "?");
	e->live = 1;
	return e;
}

static void
publish(struct emu_cleanup *c, struct ent *e)
{
	e->next = c->head;
	__atomic_thread_fence(__ATOMIC_RELEASE);
	c->head = e;
}

unsigned
emu_cleanup_add(struct emu_cleanup *c, emu_cleanup_fn fn, void *ctx,
    const char *what)
{
	struct ent *e = push(c, ENT_FN, what);

	e->fn = fn;
	e->ctx = ctx;
	publish(c, e);
	return e->id;
}

/* Async-signal-safe: through the pidfd when there is one. */
static void
signal_child(const struct ent *e, int sig)
{
#ifdef SYS_pidfd_send_signal
	if (e->pidfd >= 0) {
		if (syscall(SYS_pidfd_send_signal, e->pidfd, sig, NULL, 0) == 0 ||
		    errno != ENOSYS)
			return;		/* ESRCH: reaped, nothing to hit */
	}
#endif
	kill(e->pid, sig);
}

static void
describe_status(char *buf, size_t len, const struct ent *e, int st,
    bool known)
{
	if (!known)
		snprintf(buf, len, "%s (pid %ld) was reaped elsewhere (status "
		    "unknown)", e->what, (long)e->pid);
	else if (WIFSIGNALED(st))
		snprintf(buf, len, "%s (pid %ld) was killed by signal %d (%s)",
		    e->what, (long)e->pid, WTERMSIG(st),
		    strsignal(WTERMSIG(st)));
	else
		snprintf(buf, len, "%s (pid %ld) exited with status %d",
		    e->what, (long)e->pid, WEXITSTATUS(st));
}

static void
unwatch(struct ent *e)
{
	if (e->watched && e->c->rt != NULL) {
		if (e->pidfd >= 0)
			ev_io_stop(rt_loop(e->c->rt), &e->w);
		if (e->ending)
			ev_timer_stop(rt_loop(e->c->rt), &e->kill_t);
	}
	e->watched = false;
}

/* waitid's answer as a waitpid status. */
static int
status_of(const siginfo_t *si)
{
	if (si->si_code == CLD_EXITED)
		return (si->si_status & 0xff) << 8;
	return (si->si_status & 0x7f) | (si->si_code == CLD_DUMPED ? 0x80 : 0);
}

/*
 * Reap e if it has ended (waiting for it if block): true, with its status
 * (known false: someone else reaped it), if it has. It is looked at first
 * and reaped only after live is cleared, so that kill_now never signals
 * the pid of a reaped child.
 */
static bool
reaped(struct ent *e, bool block, int *st, bool *known)
{
	idtype_t idt = P_PID;
	id_t id = (id_t)e->pid;
	siginfo_t si;
	int r;

#ifdef P_PIDFD
	if (e->pidfd >= 0) {
		idt = P_PIDFD;
		id = (id_t)e->pidfd;
	}
#endif
	for (;;) {
		memset(&si, 0, sizeof(si));
		r = waitid(idt, id, &si, WEXITED | WNOWAIT |
		    (block ? 0 : WNOHANG));
		if (r == 0 || errno != EINTR)
			break;
	}
	if (r < 0 && errno == EINVAL && idt != P_PID) {
		/* A kernel with pidfd_open but no P_PIDFD (5.3) */
		close(e->pidfd);
		e->pidfd = -1;
		return reaped(e, block, st, known);
	}
	if (r < 0) {
		if (errno != ECHILD)
			return false;
		e->live = 0;
		*st = 0;
		*known = false;
		return true;
	}
	if (si.si_pid == 0)
		return false;
	e->live = 0;
	*st = status_of(&si);
	*known = true;
	while (waitid(idt, id, &si, WEXITED | WNOHANG) < 0 && errno == EINTR)
		;
	return true;
}

/* e was reaped: tell its owner, and the run if it was not expected. */
static void
child_ended(struct ent *e, int st, bool known, bool expected)
{
	char msg[256];

	unwatch(e);
	e->ending = false;
	if (e->on_exit != NULL)
		e->on_exit(e->exit_ctx, e->pid, st, known);
	if (expected || e->c->rt == NULL)
		return;
	describe_status(msg, sizeof(msg), e, st, known);
	rt_fail(e->c->rt, "%s", msg);
}

static void
check_child(struct ent *e)
{
	int st;
	bool known;

	if (e->live && reaped(e, false, &st, &known))
		child_ended(e, st, known, e->ending);
}

static void
on_pidfd(struct ev_loop *loop, ev_io *w, int revents)
{
	(void)loop;
	(void)revents;
	check_child(w->data);
}

static void
on_poll(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct emu_cleanup *c = w->data;
	struct ent *e;

	(void)loop;
	(void)revents;
	for (e = c->head; e != NULL; e = e->next)
		if (e->kind == ENT_CHILD && e->watched)
			check_child(e);
}

/* The grace period of a child ended on the loop is over. */
static void
on_kill_timer(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct ent *e = w->data;

	(void)loop;
	(void)revents;
	if (e->live)
		signal_child(e, SIGKILL);	/* its pidfd (or poll) reaps it */
}

static void
watch_one(struct emu_cleanup *c, struct ent *e)
{
	e->watched = true;
	if (e->ending) {
		ev_timer_init(&e->kill_t, on_kill_timer,
		    (double)GRACE_NS / 1e9, 0);
		e->kill_t.data = e;
		ev_timer_start(rt_loop(c->rt), &e->kill_t);
	}
	if (e->pidfd >= 0) {
		ev_io_init(&e->w, on_pidfd, e->pidfd, EV_READ);
		e->w.data = e;
		ev_io_start(rt_loop(c->rt), &e->w);
		return;
	}
	if (!c->polling) {
		ev_timer_init(&c->poll, on_poll, POLL_S, POLL_S);
		c->poll.data = c;
		ev_timer_start(rt_loop(c->rt), &c->poll);
		c->polling = true;
	}
}

unsigned
emu_cleanup_add_child_cb(struct emu_cleanup *c, pid_t pid, const char *what,
    emu_child_exit_fn fn, void *ctx)
{
	struct ent *e = push(c, ENT_CHILD, what);

	e->pid = pid;
	e->on_exit = fn;
	e->exit_ctx = ctx;
#ifdef SYS_pidfd_open
	{
		long fd = syscall(SYS_pidfd_open, pid, 0);

		if (fd >= 0) {
			e->pidfd = (int)fd;
			/* not inherited by the children started later */
			fcntl(e->pidfd, F_SETFD, FD_CLOEXEC);
		}
	}
#endif
	publish(c, e);
	if (c->rt != NULL)
		watch_one(c, e);
	return e->id;
}

unsigned
emu_cleanup_add_child(struct emu_cleanup *c, pid_t pid, const char *what)
{
	return emu_cleanup_add_child_cb(c, pid, what, NULL, NULL);
}

int
emu_cleanup_watch(struct emu_cleanup *c, struct rt *rt)
{
	struct ent *e;

	for (e = c->head; e != NULL; e = e->next)
		unwatch(e);
	if (c->polling) {
		ev_timer_stop(rt_loop(c->rt), &c->poll);
		c->polling = false;
	}
	c->rt = rt;
	if (rt == NULL)
		return 0;
	for (e = c->head; e != NULL; e = e->next)
		if (e->kind == ENT_CHILD && e->live)
			watch_one(c, e);
	return 0;
}

static void
sleep_ms(long ms)
{
	struct timespec ts = { 0, ms * 1000000L };

	nanosleep(&ts, NULL);
}

static int64_t
mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/*
 * End the live children among the entries from first up to (not
 * including) end, together: SIGTERM to all, one grace period, SIGKILL to
 * those left; all reaped. live stays set until each is reaped, so a
 * kill_now meanwhile (a second Ctrl-C) still reaches them.
 */
static void
end_children(struct ent *first, struct ent *end)
{
	struct ent *e;
	int64_t deadline;
	int st;
	bool known, left;

	for (e = first; e != end; e = e->next) {
		if (e->kind != ENT_CHILD || !e->live)
			continue;
		unwatch(e);
		if (reaped(e, false, &st, &known))
			child_ended(e, st, known, true);
		else
			signal_child(e, SIGTERM);
	}
	deadline = mono_ns() + GRACE_NS;
	for (;;) {
		left = false;
		for (e = first; e != end; e = e->next) {
			if (e->kind != ENT_CHILD || !e->live)
				continue;
			if (reaped(e, false, &st, &known))
				child_ended(e, st, known, true);
			else
				left = true;
		}
		if (!left || mono_ns() >= deadline)
			break;
		sleep_ms(10);
	}
	for (e = first; e != end; e = e->next)
		if (e->kind == ENT_CHILD && e->live)
			signal_child(e, SIGKILL);
	for (e = first; e != end; e = e->next)
		if (e->kind == ENT_CHILD && e->live &&
		    reaped(e, true, &st, &known))
			child_ended(e, st, known, true);
}

void
emu_cleanup_release(struct emu_cleanup *c, unsigned id, bool run)
{
	struct ent *e;

	for (e = c->head; e != NULL; e = e->next) {
		if (e->id != id)
			continue;
		if (!e->live)
			return;
		if (!run) {
			unwatch(e);
			e->live = 0;
		} else if (e->kind == ENT_FN) {
			e->live = 0;
			e->fn(e->ctx);
		} else if (e->watched && c->rt != NULL && c->owner == getpid()) {
			/* On the loop: reaped by its watcher, killed by a timer. */
			if (!e->ending) {
				unwatch(e);
				e->ending = true;
				watch_one(c, e);
				signal_child(e, SIGTERM);
			}
		} else {
			end_children(e, e->next);
		}
		return;
	}
}

void
emu_cleanup_run(struct emu_cleanup *c)
{
	struct ent *e, *end;

	if (c == NULL || getpid() != c->owner)
		return;
	/* No unexpected deaths from here on: we are ending them. */
	for (e = c->head; e != NULL; e = e->next)
		unwatch(e);
	for (e = c->head; e != NULL; e = end) {
		end = e->next;
		if (!e->live)
			continue;
		if (e->kind == ENT_FN) {
			e->live = 0;
			e->fn(e->ctx);
			continue;
		}
		/* The children up to the next undo function, together. */
		while (end != NULL && (end->kind == ENT_CHILD || !end->live))
			end = end->next;
		end_children(e, end);
	}
}

void
emu_cleanup_kill_now(struct emu_cleanup *c)
{
	struct ent *e;
	int saved = errno;

	if (c == NULL || getpid() != c->owner)
		return;
	for (e = c->head; e != NULL; e = e->next)
		if (e->kind == ENT_CHILD && e->live)
			signal_child(e, SIGKILL);
	errno = saved;
}

void
emu_cleanup_free(struct emu_cleanup *c)
{
	struct ent *e, *next;

	if (c == NULL)
		return;
	emu_cleanup_run(c);
	emu_cleanup_watch(c, NULL);
	for (e = c->head; e != NULL; e = next) {
		next = e->next;
		if (e->pidfd >= 0)
			close(e->pidfd);
		free(e);
	}
	free(c);
}

void
emu_child_init(pid_t parent)
{
	static const int dfl[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE,
	    SIGCHLD, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT };
	sigset_t none;
	size_t i;

	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	/* The parent died before prctl: nobody would end us. */
	if (getppid() != parent)
		_exit(127);
	setpgid(0, 0);
	for (i = 0; i < sizeof(dfl) / sizeof(dfl[0]); i++)
		signal(dfl[i], SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}
