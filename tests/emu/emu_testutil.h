/*
 * emu_testutil.h - what the emulation tests with real sockets share: a
 * network namespace of the test's own (so nothing touches the host and
 * everything vanishes with the process), a second namespace for a real
 * BGP daemon joined to the first by a veth pair, the daemon started in it
 * with its own configuration in a temporary folder and ended on every
 * path, and a simulated MSEE (AS 12076) whose speaker uses the socket
 * backend, paced by the real-time kernel (sim/realtime.h).
 *
 * Layout, per test binary (idx picks the subnet 10.255.idx.0/24):
 *   netns A (the test process)  emu0 10.255.idx.1  the simulated speaker
 *   netns B (a holder child)    emu1 10.255.idx.2  the real daemon
 * Namespace B lives as long as its holder process; the daemons and the
 * holder are registered with an emu_cleanup and die with the test
 * (PR_SET_PDEATHSIG) even if it is killed.
 *
 * A test binary that cannot make a namespace (no CAP_SYS_ADMIN) prints
 * "SKIP: ..." with the reason and exits 77, which ctest reports as skipped.
 */
#ifndef XCSIM_EMU_TESTUTIL_H
#define XCSIM_EMU_TESTUTIL_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bgp_rib.h"
#include "bgp_speaker.h"
#include "emu_cleanup.h"
#include "net.h"
#include "realtime.h"
#include "rib.h"
#include "sim.h"
#include "stream.h"
#include "stream_sock.h"
#include "tcp.h"
#include "../testutil.h"
#include "wire.h"

#define EMU_SKIP 77
#define EMU_MSEE_AS 12076
#define EMU_PEER_AS 65010

/* The process's namespaces and daemons (one set per test binary). */
struct emu_sim;

struct emu_env {
	int idx;
	pid_t holder;			/* namespace B's holder, 0: none */
	struct emu_cleanup *cu;
	struct emu_sim *cur;		/* the case's simulation, NULL: none */
	char dir[128];			/* temporary folder */
	char me[16], peer[16];		/* "10.255.idx.1", ".2" */
	uint32_t me_a, peer_a;
	uint32_t peer_as;		/* the daemon's AS (0: EMU_PEER_AS) */
};

static inline struct emu_env *
emu_env(void)
{
	static struct emu_env env;

	return &env;
}

static inline void
emu_atexit(void)
{
	struct emu_env *v = emu_env();

	emu_cleanup_free(v->cu);
	v->cu = NULL;
}

static inline void
emu_on_signal(int sig)
{
	emu_cleanup_kill_now(emu_env()->cu);
	signal(sig, SIG_DFL);
	raise(sig);
}

static inline double
emu_wall(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Run a shell command in namespace A (or B: in_b); its exit status. */
static inline int
emu_sh(bool in_b, const char *fmt, ...)
{
	char cmd[2048], full[2300];
	va_list ap;
	int r;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (in_b)
		snprintf(full, sizeof(full), "nsenter -t %d -n sh -c '%s'",
		    (int)emu_env()->holder, cmd);
	else
		snprintf(full, sizeof(full), "%s", cmd);
	r = system(full);
	return WIFEXITED(r) ? WEXITSTATUS(r) : -1;
}

/*
 * Run a command in namespace B and take its output (NUL-terminated,
 * truncated to len - 1); its exit status.
 */
static inline int
emu_out(char *out, size_t len, const char *fmt, ...)
{
	char cmd[2048], full[2300];
	size_t n = 0, k;
	va_list ap;
	FILE *p;
	int r;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	snprintf(full, sizeof(full), "nsenter -t %d -n %s 2>&1",
	    (int)emu_env()->holder, cmd);
	out[0] = '\0';
	p = popen(full, "r");
	if (p == NULL)
		return -1;
	while (n + 1 < len && (k = fread(out + n, 1, len - 1 - n, p)) > 0)
		n += k;
	out[n] = '\0';
	r = pclose(p);
	return WIFEXITED(r) ? WEXITSTATUS(r) : -1;
}

/* Write a file in the temporary folder; its path into path. */
static inline void
emu_write(char *path, size_t plen, const char *name, const char *fmt, ...)
{
	va_list ap;
	FILE *f;

	snprintf(path, plen, "%s/%s", emu_env()->dir, name);
	f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fclose(f);
}

/*
 * Start argv in namespace B, output to DIR/what.log; registered for
 * cleanup. Returns its pid and the cleanup id in *id.
 */
static inline pid_t
emu_spawn(const char *what, unsigned *id, char *const argv[])
{
	struct emu_env *v = emu_env();
	char nsarg[16], logp[300];
	char *av[32];
	pid_t me = getpid(), pid;
	int i, fd;

	snprintf(nsarg, sizeof(nsarg), "%d", (int)v->holder);
	av[0] = (char *)"nsenter";
	av[1] = (char *)"-t";
	av[2] = nsarg;
	av[3] = (char *)"-n";
	for (i = 0; argv[i] != NULL && i < 27; i++)
		av[4 + i] = argv[i];
	av[4 + i] = NULL;
	snprintf(logp, sizeof(logp), "%s/%s.log", v->dir, what);
	pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0) {
		emu_child_init(me);
		fd = open(logp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
			close(fd);
		}
		execvp(av[0], av);
		_exit(127);
	}
	*id = emu_cleanup_add_child(v->cu, pid, what);
	return pid;
}

/* Stop a daemon emu_spawn started (SIGTERM, then SIGKILL) and reap it. */
static inline void
emu_stop(unsigned id)
{
	emu_cleanup_release(emu_env()->cu, id, true);
}

static inline void
emu_show_log(const char *what)
{
	char path[300], *s;

	snprintf(path, sizeof(path), "%s/%s.log", emu_env()->dir, what);
	s = test_slurp(path, NULL);
	if (s != NULL) {
		fprintf(stderr, "---- %s ----\n%s\n", path, s);
		free(s);
	}
}

/* Is a program on PATH (or an absolute path executable)? */
static inline bool
emu_have(const char *prog)
{
	char cmd[300];

	if (prog[0] == '/')
		return access(prog, X_OK) == 0;
	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", prog);
	return system(cmd) == 0;
}

/*
 * Stale temporary folders. Each test's folder is EMU_TMP_PREFIX-NAME-XXXXXX
 * with a file "owner" holding "PID STARTTIME" (STARTTIME: field 22 of
 * /proc/PID/stat, so that a reused pid is not taken for the owner). A
 * test killed by SIGKILL runs no atexit and leaves its folder; the next
 * emulation test sweeps it. In root, a directory (not a symlink) of this
 * uid named EMU_TMP_PREFIX-* is removed when its owner is dead, or, with
 * no owner file (killed before writing it), when it is older than an hour;
 * anything else (another test running now) is left alone. Removal walks
 * the tree without following links or leaving the file system (nftw).
 */
#define EMU_TMP_PREFIX "xcsim-emu"
#define EMU_STALE_S 3600

/* pid's start time (clock ticks since boot), 0 if it has none. */
static inline unsigned long long
emu_pid_start(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long long t = 0;
	size_t n;
	FILE *f;
	int i;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* after the command's closing parenthesis: field 3 on */
	if ((p = strrchr(buf, ')')) == NULL)
		return 0;
	for (i = 3; i < 22 && p != NULL; i++)
		p = strchr(p + 1, ' ');
	if (p != NULL)
		t = strtoull(p + 1, NULL, 10);
	return t;
}

/* Writes dir/owner for this process; 0 or -1. */
static inline int
emu_tmp_own(const char *dir)
{
	char path[300];
	FILE *f;

	snprintf(path, sizeof(path), "%s/owner", dir);
	if ((f = fopen(path, "w")) == NULL)
		return -1;
	fprintf(f, "%d %llu\n", (int)getpid(), emu_pid_start(getpid()));
	return fclose(f) == 0 ? 0 : -1;
}

static inline int
emu_rm_one(const char *path, const struct stat *sb, int flag,
    struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	return (flag == FTW_DP ? rmdir(path) : unlink(path)) == 0 ? 0 : -1;
}

/* Whether folder path (an EMU_TMP_PREFIX one of this uid) is stale. */
static inline bool
emu_tmp_stale(const char *path, const struct stat *sb)
{
	char own[700];
	unsigned long long start;
	int pid = 0;
	FILE *f;

	snprintf(own, sizeof(own), "%s/owner", path);
	if ((f = fopen(own, "r")) == NULL)
		return time(NULL) - sb->st_mtime > EMU_STALE_S;
	if (fscanf(f, "%d %llu", &pid, &start) != 2 || pid <= 0) {
		fclose(f);
		return time(NULL) - sb->st_mtime > EMU_STALE_S;
	}
	fclose(f);
	if (kill(pid, 0) != 0 && errno == ESRCH)
		return true;
	/* alive, but the same process only if it started at that time */
	return emu_pid_start(pid) != start;
}

/* Removes root's stale EMU_TMP_PREFIX folders; how many. */
static inline int
emu_sweep_stale(const char *root)
{
	char path[600];
	struct dirent *d;
	struct stat sb;
	int n = 0;
	DIR *dir;

	if ((dir = opendir(root)) == NULL)
		return 0;
	while ((d = readdir(dir)) != NULL) {
		if (strncmp(d->d_name, EMU_TMP_PREFIX "-",
		    strlen(EMU_TMP_PREFIX "-")) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", root, d->d_name);
		if (lstat(path, &sb) != 0 || !S_ISDIR(sb.st_mode) ||
		    sb.st_uid != geteuid() || !emu_tmp_stale(path, &sb))
			continue;
		if (nftw(path, emu_rm_one, 16, FTW_DEPTH | FTW_PHYS |
		    FTW_MOUNT) == 0)
			n++;
		else
			fprintf(stderr, "emu: could not remove stale %s\n",
			    path);
	}
	closedir(dir);
	return n;
}

/*
 * Namespace A for this process, B for the daemon, the veth between them.
 * Returns 0, EMU_SKIP (printed why) where namespaces cannot be made, or 1
 * (printed why) when something that should work did not.
 */
static inline int
emu_prepare(int idx, const char *name)
{
	struct emu_env *v = emu_env();
	char tmpl[64];
	int pfd[2];
	char c;
	pid_t me = getpid();

	v->idx = idx;
	snprintf(v->me, sizeof(v->me), "10.255.%d.1", idx);
	snprintf(v->peer, sizeof(v->peer), "10.255.%d.2", idx);
	wire_ip_parse(v->me, &v->me_a);
	wire_ip_parse(v->peer, &v->peer_a);
	if (unshare(CLONE_NEWNET) != 0) {
		printf("SKIP: %s: cannot create a network namespace "
		    "(unshare(CLONE_NEWNET): %s; needs CAP_SYS_ADMIN, "
		    "run as root)\n", name, strerror(errno));
		return EMU_SKIP;
	}
	if (!emu_have("ip") || !emu_have("nsenter")) {
		printf("FAIL: %s: needs ip (iproute2) and nsenter "
		    "(util-linux)\n", name);
		return 1;
	}
	/* what a SIGKILLed emulation test left (see emu_sweep_stale) */
	emu_sweep_stale("/tmp");
	snprintf(tmpl, sizeof(tmpl), "/tmp/" EMU_TMP_PREFIX "-%s-XXXXXX",
	    name);
	if (test_tmpdir(tmpl) == NULL || emu_tmp_own(test_tmpdir_path()) < 0) {
		printf("FAIL: %s: no temporary folder\n", name);
		return 1;
	}
	if (strlen(test_tmpdir_path()) >= sizeof(v->dir))
		return 1;
	memcpy(v->dir, test_tmpdir_path(), strlen(test_tmpdir_path()) + 1);
	chmod(v->dir, 0755);
	v->cu = emu_cleanup_new();
	atexit(emu_atexit);
	signal(SIGINT, emu_on_signal);
	signal(SIGTERM, emu_on_signal);
	signal(SIGPIPE, SIG_IGN);
	if (pipe(pfd) != 0)
		return 1;
	v->holder = fork();
	if (v->holder < 0)
		return 1;
	if (v->holder == 0) {
		emu_child_init(me);
		close(pfd[0]);
		c = unshare(CLONE_NEWNET) == 0 ? 'y' : 'n';
		if (write(pfd[1], &c, 1) != 1)
			_exit(1);
		close(pfd[1]);
		for (;;)
			pause();
	}
	close(pfd[1]);
	if (read(pfd[0], &c, 1) != 1 || c != 'y') {
		close(pfd[0]);
		printf("SKIP: %s: cannot create the daemon's namespace\n",
		    name);
		return EMU_SKIP;
	}
	close(pfd[0]);
	emu_cleanup_add_child(v->cu, v->holder, "namespace holder");
	if (emu_sh(false, "ip link set lo up && "
	    "ip link add emu0 type veth peer name emu1 && "
	    "ip link set emu1 netns %d && ip addr add %s/24 dev emu0 && "
	    "ip link set emu0 up", (int)v->holder, v->me) != 0 ||
	    emu_sh(true, "ip link set lo up && ip addr add %s/24 dev emu1 && "
	    "ip link set emu1 up", v->peer) != 0) {
		printf("FAIL: %s: could not set up the veth pair\n", name);
		return 1;
	}
	return 0;
}

/* ---- the simulated side ---- */

struct emu_sim {
	struct sim *sim;
	struct net *net;
	struct node *node;
	struct rt *rt;
	struct stream_host *host;
	struct bgp_speaker *sp;
	struct bgp_fsm_cfg fsm;
	uint64_t warnings;
};

static inline void emu_sim_free(struct emu_sim *s);

static inline sim_time
emu_now(void *ctx)
{
	return rt_now(ctx);
}

static inline void
emu_warn(const char *msg, void *ctx)
{
	struct emu_sim *s = ctx;

	(void)msg;
	s->warnings++;
}

/*
 * The simulated MSEE: a node with emu0's address (its connected route
 * resolves the daemon's next hops), a speaker of AS 12076 on the socket
 * backend bound to that address. The neighbour runs bgp_fsm_msee_cfg with
 * a ConnectRetry of 3 s, so that a connect refused while the daemon starts
 * is retried in seconds, not two minutes. The neighbour is active, as an
 * MSEE's is: against a daemon that only connects (ExaBGP) its own connect
 * is refused first, and the preset's connect_fail_active keeps it in
 * Active, accepting the daemon's connection (docs/emulation-bgp.md).
 */
static inline void
emu_sim_new_opts(struct emu_sim *s, uint32_t max_prefix,
    const char *md5_key, uint8_t gtsm_hops)
{
	struct emu_env *v = emu_env();
	struct stream_sock_cfg sc;
	struct bgp_speaker_cfg c;
	struct bgp_neighbor_cfg nc;
	struct rt_cfg rc;
	char err[256] = "";

	/* a case that failed fatally left its simulation: free it first */
	if (v->cur != NULL)
		emu_sim_free(v->cur);
	memset(s, 0, sizeof(*s));
	v->cur = s;
	s->sim = sim_new(1);
	s->net = net_new(s->sim);
	s->node = net_add_node(s->net, "msee", "router", NULL, NULL);
	node_add_iface(s->node, "emu0", NULL, v->me_a, 24, 0);
	memset(&rc, 0, sizeof(rc));
	rc.policy = RT_LATE_WARN;
	rc.warn = emu_warn;
	rc.warn_ctx = s;
	s->rt = rt_new(s->sim, &rc, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(s->rt);
	memset(&sc, 0, sizeof(sc));
	sc.bind_addr = v->me_a;
	s->host = stream_sock_host_new(s->sim, rt_loop(s->rt), emu_now, s->rt,
	    &sc, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(s->host);
	bgp_speaker_cfg_init(&c, EMU_MSEE_AS, v->me_a);
	c.host = s->host;
	s->sp = bgp_speaker_new(s->node, &c, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(s->sp);
	s->fsm = bgp_fsm_msee_cfg;
	s->fsm.connect_retry_s = 3;
	bgp_neighbor_cfg_init(&nc, v->peer_a, v->peer_as != 0 ? v->peer_as :
	    EMU_PEER_AS);
	nc.fsm = &s->fsm;
	nc.max_prefix = max_prefix;
	snprintf(nc.md5_key, sizeof(nc.md5_key), "%s", md5_key);
	nc.gtsm_hops = gtsm_hops;
	CU_ASSERT_EQUAL_FATAL(bgp_speaker_add_neighbor(s->sp, &nc, err,
	    sizeof(err)), 0);
}

static inline void
emu_sim_new(struct emu_sim *s, uint32_t max_prefix)
{
	emu_sim_new_opts(s, max_prefix, "", 0);
}

static inline void
emu_sim_start(struct emu_sim *s)
{
	char err[256] = "";

	CU_ASSERT_EQUAL_FATAL(bgp_speaker_start(s->sp, err, sizeof(err)), 0);
}

static inline void
emu_sim_free(struct emu_sim *s)
{
	emu_env()->cur = NULL;
	bgp_speaker_free(s->sp);
	stream_sock_host_free(s->host);
	rt_free(s->rt);
	tcp_stacks_free(s->net);
	net_free(s->net);
	sim_free(s->sim);
	memset(s, 0, sizeof(*s));
}

/*
 * Run in real time (simulated time following the wall clock) in steps of
 * 50 ms until cond holds or timeout_s of wall time passed. Between steps
 * the simulation pauses (rt_run re-anchors), so that slow CLI checks do
 * not make the kernel late. Returns whether cond held.
 */
typedef bool (*emu_cond_fn)(struct emu_sim *s, void *arg);

static inline bool
emu_run_until(struct emu_sim *s, emu_cond_fn cond, void *arg, double timeout_s)
{
	double end = emu_wall() + timeout_s;
	enum rt_stop r;

	for (;;) {
		if (cond != NULL && cond(s, arg))
			return true;
		if (emu_wall() >= end)
			return cond == NULL;
		r = rt_run(s->rt, sim_now(s->sim) + SIM_MS(50), NULL);
		CU_ASSERT_EQUAL_FATAL(r, RT_DONE);
	}
}

static inline bool
emu_established(struct emu_sim *s, void *arg)
{
	(void)arg;
	return bgp_speaker_peer_state(s->sp, emu_env()->peer_a) ==
	    BGP_ST_ESTABLISHED;
}

/* The session reached Established at least once (it may be down again). */
static inline bool
emu_ever_established(struct emu_sim *s, void *arg)
{
	struct bgp_peer_stats st;

	(void)arg;
	return bgp_speaker_peer_stats(s->sp, emu_env()->peer_a, &st) == 0 &&
	    st.first_established >= 0;
}

static inline bool
emu_not_established(struct emu_sim *s, void *arg)
{
	return !emu_established(s, arg);
}

/* Prefixes in the speaker's Adj-RIB-In from the daemon >= *(size_t *)arg. */
static inline bool
emu_have_in(struct emu_sim *s, void *arg)
{
	return bgp_speaker_peer_in(s->sp, emu_env()->peer_a) >=
	    *(size_t *)arg;
}

/* The node's FIB sends addr (a string) to the daemon's address. */
static inline bool
emu_fib_via_peer(struct emu_sim *s, const char *addr)
{
	const struct rib_nhg *g;
	uint32_t a = 0;

	wire_ip_parse(addr, &a);
	g = rib_lookup(node_rib(s->node, 0), a);
	return g != NULL && g->n > 0 && g->nh[0].via == emu_env()->peer_a;
}

/* Poll a CLI (namespace B) until its output contains want. */
static inline bool
emu_cli_wait(struct emu_sim *s, const char *want, char *out, size_t len,
    double timeout_s, const char *cmd)
{
	double end = emu_wall() + timeout_s;

	for (;;) {
		emu_out(out, len, "%s", cmd);
		if (strstr(out, want) != NULL)
			return true;
		if (emu_wall() >= end)
			return false;
		/* keep the simulated side alive while the daemon works */
		emu_run_until(s, NULL, NULL, 0.3);
	}
}

#endif
