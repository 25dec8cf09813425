/*
 * emu_cleanup.h - what an emulation created outside the process, undone on
 * every exit path.
 *
 * An emulation creates things the kernel does not remove by itself when
 * xcsim ends: child processes (routing daemons, a process holding a network
 * namespace), and possibly devices or addresses on the host. Each is
 * registered here as soon as it exists, and emu_cleanup_run undoes them all,
 * newest first, once: at the normal end, after a signal, after an error, at
 * exit(). emu_cleanup_kill_now is the part a signal handler may run (a
 * second Ctrl-C, a crash): it SIGKILLs every registered child and nothing
 * else.
 *
 * Prefer resources that vanish with the process, so that even a SIGKILL of
 * xcsim, which runs nothing, leaves nothing behind: a TAP device without
 * TUNSETPERSIST disappears when its last descriptor closes; a namespace
 * held only by a child process (unshare in the child, never bind-mounted
 * under /run/netns) disappears with that child; and a child started with
 * emu_child_init dies with xcsim (PR_SET_PDEATHSIG). Register them anyway:
 * the registry then ends them in order and in time, and reports a child
 * that died unexpectedly.
 *
 * A registry is an object (no global state here); the CLI owns the one of
 * a process and hooks it to its signal handlers and atexit. Registering is
 * not thread-safe; a signal handler running kill_now during a registration
 * sees the list with or without the new entry, never a broken one.
 */
#ifndef XCSIM_EMU_CLEANUP_H
#define XCSIM_EMU_CLEANUP_H

#include <stdbool.h>
#include <sys/types.h>

struct emu_cleanup;
struct rt;

typedef void (*emu_cleanup_fn)(void *ctx);

struct emu_cleanup *emu_cleanup_new(void);
/* emu_cleanup_run, then free it. NULL is fine. */
void emu_cleanup_free(struct emu_cleanup *c);

/*
 * Register fn(ctx) to undo something; what (copied, may be truncated) names
 * it in messages. Returns an id for emu_cleanup_release (never 0).
 */
unsigned emu_cleanup_add(struct emu_cleanup *c, emu_cleanup_fn fn, void *ctx,
    const char *what);
/*
 * Register a child process: at cleanup it gets SIGTERM, then SIGKILL after
 * a grace period (1 s), and is reaped. Until then its death is unexpected:
 * with emu_cleanup_watch, it ends the run with a message naming it and its
 * exit status.
 */
unsigned emu_cleanup_add_child(struct emu_cleanup *c, pid_t pid,
    const char *what);
/*
 * The owner is done with entry id before the end: run it now (a child is
 * terminated and reaped) if run, else only forget it (the owner undid it
 * itself, or a child was reaped by its owner).
 */
void emu_cleanup_release(struct emu_cleanup *c, unsigned id, bool run);

/*
 * Watch the registered children (and those registered later) on rt's loop:
 * the unexpected death of one is reaped and ends rt_run with RT_ERROR and
 * rt_error() "CHILD (pid N) exited with status S" or "... was killed by
 * signal SIG". NULL stops watching: call it before rt_free.
 */
int emu_cleanup_watch(struct emu_cleanup *c, struct rt *rt);

/* Undo everything registered, newest first; each entry runs once. */
void emu_cleanup_run(struct emu_cleanup *c);
/* Async-signal-safe: SIGKILL every registered child not yet reaped. */
void emu_cleanup_kill_now(struct emu_cleanup *c);

/*
 * In a child just after fork, before exec: die with the parent (given as
 * getpid() before the fork) even if it is SIGKILLed, and leave the
 * terminal's process group, so that Ctrl-C reaches xcsim only and xcsim
 * ends its children in order.
 */
void emu_child_init(pid_t parent);

#endif
