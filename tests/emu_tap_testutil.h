/*
 * emu_tap_testutil.h - what the TAP and pcap end-to-end tests share: the
 * default scenario's path (Azure VM -> ... -> OCI DB host) with its
 * database server listening and an `emulation` section of the test's
 * choosing, xcsim emulate started on it as a child, commands run in a
 * namespace with nsenter, and the simulated RTT of a ping across it.
 *
 * A test binary that cannot make a network namespace or a TAP device
 * prints "SKIP: ..." with the reason and exits 77 (ctest: skipped).
 */
#ifndef XCSIM_EMU_TAP_TESTUTIL_H
#define XCSIM_EMU_TAP_TESTUTIL_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "scenario.h"
#include "scenario_models.h"
#include "testutil.h"
#include "units.h"

#define EMU_SKIP 77
/* The OCI DB host of the default scenario, and its query server. */
#define EMU_DB "10.2.1.10"

/* Can this process make namespaces and TAPs? Else SKIP, exit 77. */
static inline void
emu_require_root(void)
{
	pid_t p = fork();
	int st = 0;

	if (p == 0) {
		int fd;

		if (unshare(CLONE_NEWNET) < 0)
			_exit(1);
		if ((fd = open("/dev/net/tun", O_RDWR)) < 0)
			_exit(2);
		close(fd);
		_exit(0);
	}
	if (p < 0 || waitpid(p, &st, 0) < 0 || !WIFEXITED(st) ||
	    WEXITSTATUS(st) != 0) {
		printf("SKIP: %s (run as root with /dev/net/tun)\n",
		    p >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == 2 ?
		    "cannot open /dev/net/tun" : "cannot create a network "
		    "namespace (CAP_SYS_ADMIN)");
		exit(EMU_SKIP);
	}
}

/*
 * The default scenario's nodes and links, a request_response app whose
 * client never starts (its server on the DB host answers real clients on
 * 1521), a ping from the DB host to the real host (app "reverse", 3
 * probes from 100 ms) and emu (the emulation section, YAML) into dir/s.yaml.
 */
static inline int
emu_write_scenario(const char *dir, const char *emu, char *path, size_t len)
{
	char src[512], *text, *apps;
	FILE *f;

	snprintf(src, sizeof(src), "%s/scenarios/examples/six-routers.yaml",
	    XCSIM_SOURCE_DIR);
	if ((text = test_slurp(src, NULL)) == NULL ||
	    (apps = strstr(text, "\napps:")) == NULL) {
		free(text);
		return -1;
	}
	apps[1] = '\0';
	snprintf(path, len, "%s/s.yaml", dir);
	if ((f = fopen(path, "w")) == NULL) {
		free(text);
		return -1;
	}
	/* an hour of simulated time: the run is stopped by the test */
	{
		char *d = strstr(text, "duration: 8s");

		if (d != NULL) {
			fwrite(text, 1, (size_t)(d - text), f);
			fputs("duration: 1h", f);
			fputs(d + strlen("duration: 8s"), f);
		} else {
			fputs(text, f);
		}
	}
	fputs("apps:\n  - { name: query, type: request_response, node: "
	    "azure-vm, dst: oci-db, start: 3000s, request: { size: 400 }, "
	    "response: { size: 8KB } }\n"
	    /* the reverse: a simulated node pings the real host */
	    "  - { name: reverse, type: ping, node: oci-db, dst: 10.1.1.4, "
	    "start: 100ms, interval: 100ms, count: 3 }\n", f);
	fputs(emu, f);
	free(text);
	return fclose(f) == 0 ? 0 : -1;
}

/*
 * The simulated RTT of a ping of 56 data bytes across every link of the
 * scenario (the default's path is its links, in a line): each way, each
 * link's delay and the serialisation of the 98-byte frame and its tags.
 */
static inline sim_time
emu_path_rtt(const char *path)
{
	struct scenario *sc;
	sim_time rtt = 0;
	size_t i;
	int d;

	scenario_models_init();
	sc = scenario_load_file(path, stderr, NULL);
	if (sc == NULL)
		return -1;
	for (i = 0; i < sc->n_links; i++) {
		const struct sc_link *l = &sc->links[i];

		for (d = 0; d < 2; d++) {
			const struct sc_iface *f = &sc->nodes[l->node_idx[d]]
			    .ifaces[l->iface_idx[d]];
			uint32_t len = 98 + (f->vlan ? 4 : 0) +
			    (f->svlan ? 4 : 0);

			rtt += l->dir[d].delay + units_tx_time(len,
			    l->dir[d].rate_bps);
		}
	}
	scenario_free(sc);
	return rtt;
}

struct emu_proc {
	pid_t pid;		/* xcsim emulate */
	pid_t holder;		/* the namespace's holder it printed, or 0 */
	char err[512];		/* its stderr */
	char out[512];		/* its output directory */
};

/* Wait up to secs for the line naming the namespace's holder (or none). */
static inline int
emu_wait_ready(struct emu_proc *e, bool netns, double secs)
{
	struct timespec ts = { 0, 20000000 };
	int i, n = (int)(secs / 0.02);

	for (i = 0; i < n; i++) {
		char *t = test_slurp(e->err, NULL), *h;
		int st;

		if (t != NULL && (h = strstr(t, netns ? "held by pid " :
		    "link end")) != NULL) {
			if (netns)
				e->holder = (pid_t)atoi(h + strlen("held by "
				    "pid "));
			free(t);
			/* the loop reads the TAP once rt_run starts */
			nanosleep(&ts, NULL);
			return 0;
		}
		free(t);
		if (waitpid(e->pid, &st, WNOHANG) == e->pid) {
			e->pid = 0;
			return -1;
		}
		nanosleep(&ts, NULL);
	}
	return -1;
}

/*
 * Start xcsim emulate on scenario path, its stderr to dir/TAG.err, inside
 * the network namespace of process netns_pid (0: the test's own).
 */
static inline int
emu_start_in(struct emu_proc *e, const char *dir, const char *path,
    const char *tag, pid_t netns_pid)
{
	memset(e, 0, sizeof(*e));
	snprintf(e->err, sizeof(e->err), "%s/%s.err", dir, tag);
	snprintf(e->out, sizeof(e->out), "%s/%s.out", dir, tag);
	if ((e->pid = fork()) < 0)
		return -1;
	if (e->pid == 0) {
		int fd = open(e->err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int nul = open("/dev/null", O_WRONLY);

		dup2(fd, 2);
		dup2(nul, 1);
		if (netns_pid > 0) {
			char ns[64];
			int nfd;

			snprintf(ns, sizeof(ns), "/proc/%d/ns/net",
			    (int)netns_pid);
			if ((nfd = open(ns, O_RDONLY)) < 0 ||
			    setns(nfd, CLONE_NEWNET) < 0)
				_exit(126);
		}
		/* its own process group: the test's Ctrl-C is the test's */
		setpgid(0, 0);
		execl(XCSIM_BINARY, "xcsim", "emulate", path, "--duration",
		    "600s", "--out", e->out, (char *)NULL);
		_exit(127);
	}
	return 0;
}

static inline int
emu_start(struct emu_proc *e, const char *dir, const char *path,
    const char *tag)
{
	return emu_start_in(e, dir, path, tag, 0);
}

/*
 * A network namespace of the test's own, held by a child that dies with
 * the test: its pid (for nsenter -t), or -1. End it with emu_ns_end.
 */
static inline pid_t
emu_ns_new(void)
{
	int pfd[2];
	pid_t p;
	char c = 0;

	if (pipe(pfd) < 0)
		return -1;
	if ((p = fork()) == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(pfd[0]);
		c = unshare(CLONE_NEWNET) == 0 ? 'y' : 'n';
		if (write(pfd[1], &c, 1) != 1 || c != 'y')
			_exit(1);
		close(pfd[1]);
		for (;;)
			pause();
	}
	close(pfd[1]);
	if (p < 0 || read(pfd[0], &c, 1) != 1 || c != 'y') {
		close(pfd[0]);
		return -1;
	}
	close(pfd[0]);
	return p;
}

static inline void
emu_ns_end(pid_t p)
{
	if (p > 0) {
		kill(p, SIGKILL);
		waitpid(p, NULL, 0);
	}
}

/* Signal xcsim and reap it: its exit status, or -1. */
static inline int
emu_stop(struct emu_proc *e, int sig)
{
	int st = 0;

	if (e->pid <= 0)
		return -1;
	kill(e->pid, sig);
	if (waitpid(e->pid, &st, 0) != e->pid)
		return -1;
	e->pid = 0;
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Run cmd (sh -c), its stdout into buf; the exit status. */
static inline int
emu_sh(const char *cmd, char *buf, size_t len)
{
	FILE *p = popen(cmd, "r");
	size_t n = 0, k;

	if (p == NULL)
		return -1;
	while (n + 1 < len && (k = fread(buf + n, 1, len - 1 - n, p)) > 0)
		n += k;
	buf[n] = '\0';
	return pclose(p);
}

/* Whether process pid is gone (reaped or never ours), within secs. */
static inline bool
emu_gone(pid_t pid, double secs)
{
	struct timespec ts = { 0, 20000000 };
	int i, n = (int)(secs / 0.02);

	for (i = 0; i <= n; i++) {
		if (kill(pid, 0) < 0 && errno == ESRCH)
			return true;
		nanosleep(&ts, NULL);
	}
	return false;
}

/* Whether a device of that name exists in the test's namespace. */
static inline bool
emu_link_exists(const char *dev)
{
	char cmd[128], out[64];

	snprintf(cmd, sizeof(cmd), "ip link show dev %s >/dev/null 2>&1 && "
	    "echo yes", dev);
	emu_sh(cmd, out, sizeof(out));
	return strncmp(out, "yes", 3) == 0;
}

/* The python client of the simulated database (TNS Data packets). */
static const char emu_rr_client[] =
    "import socket, struct, sys, time\n"
    "def pkt(n, sizes=b''):\n"
    "    h = struct.pack('>HHBBHH', n, 0, 6, 0, 0, 0) + sizes\n"
    "    return h + b'\\0' * (n - len(h))\n"
    "req, resp = 400, int(sys.argv[2])\n"
    "s = socket.create_connection((sys.argv[1], 1521), timeout=30)\n"
    "t = time.monotonic()\n"
    "s.sendall(pkt(req, struct.pack('>II', req, resp)))\n"
    "got, first = 0, b''\n"
    "while got < resp:\n"
    "    d = s.recv(1 << 20)\n"
    "    if not d:\n"
    "        break\n"
    "    if len(first) < 10:\n"
    "        first += d[:10 - len(first)]\n"
    "    got += len(d)\n"
    "dt = time.monotonic() - t\n"
    "print('len=%d type=%d got=%d bps=%d' % (struct.unpack('>H', "
    "first[:2])[0], first[4], got, int(got * 8 / dt)))\n";

#endif
