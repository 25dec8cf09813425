/*
 * test_emu_msee_pair.c - scenarios/emulation/msee-pair-cpe.yaml end to
 * end: `xcsim emulate` runs the shipped scenario with FRR (the shipped
 * cpe-frr.conf, bgpd standalone) in a namespace as the customer edge.
 * Both CE sessions come up (FRR's vtysh json), FRR learns the simulated
 * Oracle LAN 10.2.0.0/24 with AS path 12076 31898, a real ping from a host
 * namespace behind FRR crosses the simulated path to the simulated OCI
 * instance 10.2.0.10 and back (no faster than the path's RTT), xcsim's
 * metrics.json shows both CE sessions Established with the CE's three
 * prefixes received, and xcsim's own route query (`--routes`, the table
 * `xcsim routes` prints, written when the emulation stops) has FRR's three
 * prefixes Active from source bgp with FRR's AS path on msee-primary
 * (65010) and, passed on, on the Oracle edge (12076 65010). What xcsim created is checked where it lives: while
 * it runs, the TAPs xc12-t1/xc12-t2 are up in its ce-data namespace (seen
 * by nsenter); after it exits, its holder is gone and no process (nor
 * mount) holds the ce-data namespace any more, so the TAPs went with it,
 * and the CE's end of the data veth (xc12-d0, in the CE's namespace,
 * seen by nsenter) is gone too; FRR is stopped.
 *
 * Layout (the test's namespace is xcsim's; the others are held by child
 * processes, so everything vanishes with the test):
 *
 *   H (holder)        xc12-h 172.16.1.10/24, default via 172.16.1.1
 *   CE (holder)       FRR bgpd AS 65010; xc12-lan 172.16.1.1/24;
 *                     xc12-c1 192.168.10.1/30, xc12-c2 192.168.10.5/30
 *                     (BGP to the sockets); xc12-d0 10.99.0.1/30 (data),
 *                     10.2.0.0/24 via 10.99.0.2
 *   test (xcsim)      xc12-m1 192.168.10.2/30, xc12-m2 192.168.10.6/30:
 *                     the MSEEs' bgp_sockets
 *   ce-data (xcsim's) the TAPs xc12-t1/xc12-t2 as ce:msee1/ce:msee2's link
 *                     ends (added to a copy of the scenario), xc12-d1
 *                     10.99.0.2/30 to CE, forwarding
 *
 * BGP runs over the veths and real sockets; packets run over the TAPs and
 * the simulated links, and come back along the MSEEs' routes to the CE's
 * prefixes, which FRR's sessions put there. Exit 77 without root.
 */
#define _GNU_SOURCE	/* unshare */
#include <dirent.h>

#include "emu/emu_testutil.h"

#define PAIR_IDX 112
#define FRR_BGPD "/usr/lib/frr/bgpd"

static pid_t host_ns;		/* H's holder */
static pid_t xcsim_pid;
static unsigned xcsim_cu;
static char log_path[300];

static void
kill_xcsim(void *ctx)
{
	int st;

	(void)ctx;
	if (xcsim_pid > 0) {
		kill(xcsim_pid, SIGKILL);
		waitpid(xcsim_pid, &st, 0);
		xcsim_pid = 0;
	}
}

/* A child in a new network namespace, held until the test ends. */
static pid_t
holder(const char *what)
{
	pid_t me = getpid(), pid;
	int pfd[2];
	char c = 'n';

	CU_ASSERT_FATAL(pipe(pfd) == 0);
	pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0) {
		emu_child_init(me);
		close(pfd[0]);
		c = unshare(CLONE_NEWNET) == 0 ? 'y' : 'n';
		if (write(pfd[1], &c, 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(pfd[1]);
	CU_ASSERT_FATAL(read(pfd[0], &c, 1) == 1 && c == 'y');
	close(pfd[0]);
	emu_cleanup_add_child(emu_env()->cu, pid, what);
	return pid;
}

static int
sh(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;
	int r;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	r = system(cmd);
	if (!WIFEXITED(r) || WEXITSTATUS(r) != 0)
		fprintf(stderr, "failed: %s\n", cmd);
	return WIFEXITED(r) ? WEXITSTATUS(r) : -1;
}

/* Output of cmd (in namespace pid, 0: the test's), NUL-terminated. */
static void
out_of(char *out, size_t len, pid_t pid, const char *cmd)
{
	char full[2300];
	size_t n = 0, k;
	FILE *p;

	if (pid != 0)
		snprintf(full, sizeof(full), "nsenter -t %d -n %s 2>&1",
		    (int)pid, cmd);
	else
		snprintf(full, sizeof(full), "%s 2>&1", cmd);
	out[0] = '\0';
	if ((p = popen(full, "r")) == NULL)
		return;
	while (n + 1 < len && (k = fread(out + n, 1, len - 1 - n, p)) > 0)
		n += k;
	out[n] = '\0';
	pclose(p);
}

/* The ce-data namespace's holder, from xcsim's stderr; 0 after timeout_s. */
static pid_t
ce_data_pid(double timeout_s)
{
	double end = emu_wall() + timeout_s;
	const char *key = "in network namespace ce-data held by pid ";
	char *s, *p;
	int pid;

	for (;;) {
		s = test_slurp(log_path, NULL);
		if (s != NULL && (p = strstr(s, key)) != NULL &&
		    sscanf(p + strlen(key), "%d", &pid) == 1) {
			free(s);
			return pid;
		}
		free(s);
		if (emu_wall() >= end)
			return 0;
		usleep(50000);
	}
}

/*
 * Whether a network namespace (its inode) is still alive: some process
 * in it, or a mount of it (ip netns add). A namespace neither holds is
 * freed, with its devices.
 */
static bool
netns_alive(ino_t ino)
{
	char path[300], line[1024], key[64];
	struct dirent *d;
	struct stat sb;
	bool alive = false;
	DIR *dir;
	FILE *f;

	if ((dir = opendir("/proc")) == NULL)
		return true;
	while (!alive && (d = readdir(dir)) != NULL) {
		if (d->d_name[0] < '0' || d->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/ns/net", d->d_name);
		if (stat(path, &sb) == 0 && sb.st_ino == ino)
			alive = true;
	}
	closedir(dir);
	snprintf(key, sizeof(key), "net:[%lu]", (unsigned long)ino);
	if (!alive && (f = fopen("/proc/self/mountinfo", "r")) != NULL) {
		while (!alive && fgets(line, sizeof(line), f) != NULL)
			alive = strstr(line, key) != NULL;
		fclose(f);
	}
	return alive;
}

static const char *
vtysh(const char *what)
{
	static char cmd[600];

	snprintf(cmd, sizeof(cmd), "vtysh --vty_socket %s -d bgpd -c '%s'",
	    emu_env()->dir, what);
	return cmd;
}

/* Poll FRR until its output of what has want at least n times. */
static bool
frr_wait(const char *what, const char *want, int n, char *out, size_t len,
    double timeout_s)
{
	double end = emu_wall() + timeout_s;
	const char *p;
	int k;

	for (;;) {
		out_of(out, len, emu_env()->holder, vtysh(what));
		for (k = 0, p = out; (p = strstr(p, want)) != NULL; k++)
			p += strlen(want);
		if (k >= n)
			return true;
		if (emu_wall() >= end)
			return false;
		usleep(200000);
	}
}

/* The session object of metrics.json for peer, or NULL. */
static const char *
session_of(const char *metrics, const char *peer, char *buf, size_t len)
{
	char key[64];
	const char *p, *e;

	snprintf(key, sizeof(key), "\"peer\":\"%s\"", peer);
	if ((p = strstr(metrics, key)) == NULL || (e = strchr(p, '}')) == NULL)
		return NULL;
	while (p > metrics && *p != '{')
		p--;
	snprintf(buf, len, "%.*s", (int)(e - p), p);
	return buf;
}

/*
 * In routes (a --routes file), the line of prefix: Active, from source
 * bgp, with AS path path (then a comma). Says what it saw if not.
 */
static bool
route_has(const char *routes, const char *prefix, const char *path)
{
	char key[64], want[96], line[512], pfx[64], state[32], src[32];
	const char *p, *e;

	snprintf(key, sizeof(key), "\n%s ", prefix);
	snprintf(want, sizeof(want), "AS path %s,", path);
	if (routes == NULL || (p = strstr(routes, key)) == NULL) {
		fprintf(stderr, "no route to %s in:\n%s\n", prefix,
		    routes ? routes : "(no file)");
		return false;
	}
	p++;
	e = strchr(p, '\n');
	snprintf(line, sizeof(line), "%.*s", (int)(e ? e - p : (long)strlen(p)),
	    p);
	if (sscanf(line, "%63s %31s %31s", pfx, state, src) == 3 &&
	    strcmp(state, "Active") == 0 && strcmp(src, "bgp") == 0 &&
	    strstr(line, want) != NULL)
		return true;
	fprintf(stderr, "want Active bgp '%s': %s\n", want, line);
	return false;
}

static void
test_msee_pair(void)
{
	struct emu_env *v = emu_env();
	char scen[300], *text, out[16384], metrics_path[300], *m, sess[1024];
	char conf[300], pidf[300], zs[300];
	char *frr_argv[] = { FRR_BGPD, "-f", conf, "-i", pidf, "-z", zs,
		"--vty_socket", v->dir, "-S", "-Z", "-P", "0", NULL };
	unsigned frr_id;
	pid_t me = getpid(), data_ns, frr_pid = 0;
	struct stat data_sb;
	double t0 = emu_wall(), rtt_min = 0;
	int st = -1, received = -1, i;
	FILE *f;

	/* the CE's namespace is emu_prepare's B; H is behind it */
	host_ns = holder("host namespace");
	CU_ASSERT_EQUAL_FATAL(sh("ip link add xc12-m1 type veth peer name "
	    "xc12-c1 netns %d && ip link add xc12-m2 type veth peer name "
	    "xc12-c2 netns %d && ip addr add 192.168.10.2/30 dev xc12-m1 && "
	    "ip addr add 192.168.10.6/30 dev xc12-m2 && ip link set xc12-m1 "
	    "up && ip link set xc12-m2 up", (int)v->holder, (int)v->holder),
	    0);
	CU_ASSERT_EQUAL_FATAL(emu_sh(true, "ip addr add 192.168.10.1/30 dev "
	    "xc12-c1 && ip addr add 192.168.10.5/30 dev xc12-c2 && ip link set "
	    "xc12-c1 up && ip link set xc12-c2 up && ip link add xc12-lan type "
	    "veth peer name xc12-h netns %d && ip addr add 172.16.1.1/24 dev "
	    "xc12-lan && ip link set xc12-lan up && sysctl -qw "
	    "net.ipv4.ip_forward=1", (int)host_ns), 0);
	CU_ASSERT_EQUAL_FATAL(sh("nsenter -t %d -n sh -c 'ip link set lo up "
	    "&& ip addr add 172.16.1.10/24 dev xc12-h && ip link set xc12-h "
	    "up && ip route add default via 172.16.1.1'", (int)host_ns), 0);

	/* FRR with the shipped CE configuration */
	snprintf(conf, sizeof(conf), "%s", XCSIM_SOURCE_DIR
	    "/scenarios/emulation/cpe-frr.conf");
	snprintf(pidf, sizeof(pidf), "%s/bgpd.pid", v->dir);
	snprintf(zs, sizeof(zs), "%s/zserv.api", v->dir);
	emu_spawn("bgpd", &frr_id, frr_argv);

	/* the shipped scenario, plus the TAPs that carry the CE's packets */
	text = test_slurp(XCSIM_SOURCE_DIR
	    "/scenarios/emulation/msee-pair-cpe.yaml", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	emu_write(scen, sizeof(scen), "pair.yaml", "%s"
	    "  taps:\n"
	    "    - { node: ce, iface: msee1, device: xc12-t1, netns: ce-data, "
	    "host_routes: [{ prefix: 10.2.0.0/24, via: 192.168.10.2 }] }\n"
	    "    - { node: ce, iface: msee2, device: xc12-t2, netns: ce-data, "
	    "host_routes: [] }\n", text);
	free(text);
	snprintf(log_path, sizeof(log_path), "%s/xcsim.log", v->dir);
	xcsim_pid = fork();
	CU_ASSERT_FATAL(xcsim_pid >= 0);
	if (xcsim_pid == 0) {
		char outd[300];
		int fd;

		emu_child_init(me);
		snprintf(outd, sizeof(outd), "%s/out", v->dir);
		fd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
			close(fd);
		}
		execl(XCSIM_BINARY, XCSIM_BINARY, "emulate", scen,
		    "--duration", "50s", "--out", outd, "--listen",
		    "192.168.10.2", "--listen", "192.168.10.6", "--routes",
		    "msee-primary", "--routes", "oracle-edge", (char *)NULL);
		_exit(127);
	}
	xcsim_cu = emu_cleanup_add(v->cu, kill_xcsim, NULL, "xcsim emulate");

	/* the data path: CE -> ce-data (xcsim's namespace of the TAPs) */
	data_ns = ce_data_pid(10);
	if (data_ns == 0)
		emu_show_log("xcsim");
	CU_ASSERT_FATAL(data_ns > 0);
	CU_ASSERT_EQUAL(sh("ip link add xc12-d0 netns %d type veth peer name "
	    "xc12-d1 netns %d", (int)v->holder, (int)data_ns), 0);
	CU_ASSERT_EQUAL(emu_sh(true, "ip addr add 10.99.0.1/30 dev xc12-d0 "
	    "&& ip link set xc12-d0 up && ip route add 10.2.0.0/24 via "
	    "10.99.0.2"), 0);
	CU_ASSERT_EQUAL(sh("nsenter -t %d -n sh -c 'ip link set lo up && ip "
	    "addr add 10.99.0.2/30 dev xc12-d1 && ip link set xc12-d1 up && "
	    "ip route add 172.16.1.0/24 via 10.99.0.1 && sysctl -qw "
	    "net.ipv4.ip_forward=1 && for f in /proc/sys/net/ipv4/conf/*/"
	    "rp_filter; do echo 0 > $f; done'", (int)data_ns), 0);
	/* xcsim's TAPs, where they live: its ce-data namespace */
	snprintf(metrics_path, sizeof(metrics_path), "/proc/%d/ns/net",
	    (int)data_ns);
	CU_ASSERT_EQUAL_FATAL(stat(metrics_path, &data_sb), 0);
	CU_ASSERT(netns_alive(data_sb.st_ino));
	out_of(out, sizeof(out), data_ns, "ip -o link show");
	CU_ASSERT_PTR_NOT_NULL(strstr(out, ": xc12-t1: "));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, ": xc12-t2: "));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, ": xc12-d1@"));

	/* both sessions Established, from FRR's side */
	if (!frr_wait("show bgp ipv4 unicast summary json",
	    "\"state\":\"Established\"", 2, out, sizeof(out), 20)) {
		fputs(out, stderr);
		emu_show_log("bgpd");
		emu_show_log("xcsim");
	}
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"192.168.10.2\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"192.168.10.6\""));
	/* the Oracle LAN, through the MSEEs, from Oracle's AS */
	CU_ASSERT(frr_wait("show bgp ipv4 unicast 10.2.0.0/24 json",
	    "\"string\":\"12076 31898\"", 2, out, sizeof(out), 10));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"prefix\":\"10.2.0.0/24\""));

	/*
	 * A host behind the CE pings the simulated OCI instance, once the
	 * Oracle edge has the CE's prefixes (the MSEEs' eBGP MRAI is 0: a
	 * few ms of simulated time after the sessions are up).
	 */
	for (i = 0; i < 20; i++) {
		out_of(out, sizeof(out), host_ns, "ping -n -c 1 -W 1 "
		    "10.2.0.10");
		if (strstr(out, " 1 received") != NULL)
			break;
	}
	CU_ASSERT(i < 20);
	out_of(out, sizeof(out), host_ns, "ping -n -c 5 -i 0.2 -W 2 "
	    "10.2.0.10");
	for (i = 0; out[i] != '\0'; i++)
		if (sscanf(out + i, ", %d received", &received) == 1)
			break;
	if (received < 4)
		fputs(out, stderr);
	CU_ASSERT(received >= 4);
	{
		const char *p = strstr(out, "rtt min/avg/max/mdev = ");

		if (p != NULL)
			sscanf(p + strlen("rtt min/avg/max/mdev = "), "%lf",
			    &rtt_min);
	}
	/* no faster than the simulated path: 2 x (250 + 500 + 20 us) */
	CU_ASSERT(rtt_min >= 1.54);

	/* stop xcsim as Ctrl-C would: complete outputs, exit 130 */
	kill(xcsim_pid, SIGINT);
	for (i = 0; i < 100 && waitpid(xcsim_pid, &st, WNOHANG) == 0; i++)
		usleep(100000);
	if (i < 100)
		xcsim_pid = 0;
	emu_cleanup_release(v->cu, xcsim_cu, true);
	CU_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 130);
	if (!(WIFEXITED(st) && WEXITSTATUS(st) == 130))
		emu_show_log("xcsim");
	snprintf(metrics_path, sizeof(metrics_path), "%s/out/metrics.json",
	    v->dir);
	m = test_slurp(metrics_path, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_PTR_NOT_NULL(session_of(m, "192.168.10.1", sess,
	    sizeof(sess)));
	CU_ASSERT_PTR_NOT_NULL(strstr(sess, "\"state\":\"Established\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(sess, "\"prefixes_in\":3,"));
	CU_ASSERT_PTR_NOT_NULL(strstr(sess, "\"flaps\":0,"));
	CU_ASSERT_PTR_NOT_NULL(session_of(m, "192.168.10.5", sess,
	    sizeof(sess)));
	CU_ASSERT_PTR_NOT_NULL(strstr(sess, "\"state\":\"Established\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(sess, "\"prefixes_in\":3,"));
	/* the Oracle edge got the CE's prefixes from both MSEEs */
	CU_ASSERT_PTR_NOT_NULL(session_of(m, "10.255.1.1", sess,
	    sizeof(sess)));
	CU_ASSERT_PTR_NOT_NULL(strstr(sess, "\"node\":\"oracle-edge\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(sess, "\"prefixes_in\":4,"));
	CU_ASSERT_PTR_NOT_NULL(strstr(m, "\"interrupted\": true"));
	CU_ASSERT_PTR_NOT_NULL(strstr(m, "\"kind\":\"bgp_socket\""));
	free(m);
	/* FRR's prefixes from xcsim's side: its route query */
	snprintf(metrics_path, sizeof(metrics_path),
	    "%s/out/routes-msee-primary.txt", v->dir);
	m = test_slurp(metrics_path, NULL);
	CU_ASSERT_PTR_NOT_NULL(m);
	CU_ASSERT(m != NULL && strncmp(m, "Routes of msee-primary/default\n",
	    31) == 0);
	CU_ASSERT(route_has(m, "172.16.0.0/16", "65010"));
	CU_ASSERT(route_has(m, "172.16.1.0/24", "65010"));
	CU_ASSERT(route_has(m, "172.16.2.0/24", "65010"));
	free(m);
	snprintf(metrics_path, sizeof(metrics_path),
	    "%s/out/routes-oracle-edge.txt", v->dir);
	m = test_slurp(metrics_path, NULL);
	CU_ASSERT(route_has(m, "172.16.0.0/16", "12076 65010"));
	CU_ASSERT(route_has(m, "172.16.1.0/24", "12076 65010"));
	CU_ASSERT(route_has(m, "172.16.2.0/24", "12076 65010"));
	free(m);

	/*
	 * Nothing left: xcsim's namespace holder is gone and nothing holds
	 * ce-data, so its TAPs and xc12-d1 are freed with it; xc12-d0, the
	 * veth's end in the CE's namespace, went with its peer. Nor did a
	 * TAP land in the test's namespace.
	 */
	CU_ASSERT(kill(data_ns, 0) == -1 && errno == ESRCH);
	CU_ASSERT(!netns_alive(data_sb.st_ino));
	out_of(out, sizeof(out), v->holder, "ip -o link show");
	CU_ASSERT_PTR_NOT_NULL(strstr(out, ": xc12-c1@"));
	CU_ASSERT_PTR_NULL(strstr(out, "xc12-d0"));
	out_of(out, sizeof(out), 0, "ip -o link show");
	CU_ASSERT_PTR_NULL(strstr(out, "xc12-t"));
	f = fopen(pidf, "r");
	if (f != NULL) {
		if (fscanf(f, "%d", &i) == 1)
			frr_pid = i;
		fclose(f);
	}
	emu_stop(frr_id);
	CU_ASSERT(frr_pid > 0 && kill(frr_pid, 0) == -1 && errno == ESRCH);
	/* CI budget */
	CU_ASSERT(emu_wall() - t0 < 60);
}

static const struct test_case cases[] = {
	{ "msee-pair-cpe.yaml with FRR as the CE, end to end",
	    test_msee_pair },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	int r;

	if (!emu_have(FRR_BGPD) || !emu_have("vtysh") || !emu_have("ping")) {
		printf("FAIL: needs FRR's bgpd and vtysh (apt-get install frr) "
		    "and ping (iputils-ping)\n");
		return 1;
	}
	if ((r = emu_prepare(PAIR_IDX, "msee_pair")) != 0)
		return r;
	return test_main(argc, argv, "emu_msee_pair", cases);
}
