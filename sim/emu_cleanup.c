/*
 * emu_cleanup.c - the registry of what an emulation must undo.
 *
 * Entries form a list pushed at its head, so walking it from the head goes
 * newest first, and an entry is fully written before the head points to
 * it: a signal handler walking the list (emu_cleanup_kill_now) sees either
 * the old list or the new one. Entries are only marked done, never unlinked,
 * until emu_cleanup_free.
 *
 * A watched child is seen dying through a pidfd (Linux 5.3) readable on the
 * run's loop; where pidfd_open is missing, a 50 ms ev_timer polls waitpid.
 * No SIGCHLD handler: it would be process-wide state, and libev's child
 * watchers exist only on the default loop.
 */
#define _GNU_SOURCE		/* syscall */
#include <errno.h>
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
	int pidfd;		/* -1: none (not watched, or no pidfd) */
	ev_io w;
	struct emu_cleanup *c;
	char what[96];
};

struct emu_cleanup {
	struct ent *volatile head;
	unsigned next_id;
	struct rt *rt;		/* emu_cleanup_watch, or NULL */
	ev_timer poll;		/* the fallback without pidfds */
	bool polling;
};

struct emu_cleanup *
emu_cleanup_new(void)
{
	struct emu_cleanup *c = xcalloc(1, sizeof(*c));

	c->next_id = 1;
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

static void
describe_status(char *buf, size_t len, const struct ent *e, int st)
{
	if (WIFSIGNALED(st))
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
	if (e->pidfd < 0)
		return;
	if (e->c->rt != NULL)
		ev_io_stop(rt_loop(e->c->rt), &e->w);
	close(e->pidfd);
	e->pidfd = -1;
}

/* Reap e if it has died: true (and the status) if it has. */
static bool
reaped(struct ent *e, int *st)
{
	pid_t p = waitpid(e->pid, st, WNOHANG);

	if (p == e->pid)
		return true;
	if (p < 0 && errno == ECHILD) {
		*st = 0;	/* someone else reaped it */
		return true;
	}
	return false;
}

static void
child_died(struct ent *e, int st)
{
	char msg[256];

	e->live = 0;
	unwatch(e);
	describe_status(msg, sizeof(msg), e, st);
	if (e->c->rt != NULL)
		rt_fail(e->c->rt, "%s", msg);
}

static void
on_pidfd(struct ev_loop *loop, ev_io *w, int revents)
{
	struct ent *e = w->data;
	int st;

	(void)loop;
	(void)revents;
	if (e->live && reaped(e, &st))
		child_died(e, st);
}

static void
on_poll(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct emu_cleanup *c = w->data;
	struct ent *e;
	int st;

	(void)loop;
	(void)revents;
	for (e = c->head; e != NULL; e = e->next)
		if (e->kind == ENT_CHILD && e->live && reaped(e, &st))
			child_died(e, st);
}

static void
watch_one(struct emu_cleanup *c, struct ent *e)
{
	long fd = -1;

#ifdef SYS_pidfd_open
	fd = syscall(SYS_pidfd_open, e->pid, 0);
#endif
	if (fd >= 0) {
		e->pidfd = (int)fd;
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
emu_cleanup_add_child(struct emu_cleanup *c, pid_t pid, const char *what)
{
	struct ent *e = push(c, ENT_CHILD, what);

	e->pid = pid;
	publish(c, e);
	if (c->rt != NULL)
		watch_one(c, e);
	return e->id;
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

/* SIGTERM, a grace period, SIGKILL; reaped in every case. */
static void
end_child(struct ent *e)
{
	int st;
	long waited;

	unwatch(e);
	e->live = 0;
	if (reaped(e, &st))
		return;
	kill(e->pid, SIGTERM);
	for (waited = 0; waited < GRACE_NS / 1000000; waited += 10) {
		if (reaped(e, &st))
			return;
		sleep_ms(10);
	}
	kill(e->pid, SIGKILL);
	while (waitpid(e->pid, &st, 0) < 0 && errno == EINTR)
		;
}

static void
run_ent(struct ent *e)
{
	if (!e->live)
		return;
	if (e->kind == ENT_CHILD) {
		end_child(e);
		return;
	}
	e->live = 0;
	e->fn(e->ctx);
}

void
emu_cleanup_release(struct emu_cleanup *c, unsigned id, bool run)
{
	struct ent *e;

	for (e = c->head; e != NULL; e = e->next) {
		if (e->id != id)
			continue;
		if (run) {
			run_ent(e);
		} else {
			unwatch(e);
			e->live = 0;
		}
		return;
	}
}

void
emu_cleanup_run(struct emu_cleanup *c)
{
	struct ent *e;

	if (c == NULL)
		return;
	/* No unexpected deaths from here on: we are ending them. */
	for (e = c->head; e != NULL; e = e->next)
		unwatch(e);
	for (e = c->head; e != NULL; e = e->next)
		run_ent(e);
}

void
emu_cleanup_kill_now(struct emu_cleanup *c)
{
	struct ent *e;

	if (c == NULL)
		return;
	for (e = c->head; e != NULL; e = e->next)
		if (e->kind == ENT_CHILD && e->live)
			kill(e->pid, SIGKILL);
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
		free(e);
	}
	free(c);
}

void
emu_child_init(pid_t parent)
{
	sigset_t none;

	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	/* The parent died before prctl: nobody would end us. */
	if (getppid() != parent)
		_exit(127);
	setpgid(0, 0);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}
