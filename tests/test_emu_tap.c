/*
 * test_emu_tap.c - a real host on a TAP in a namespace takes the Azure
 * VM's place on the default scenario's path, under xcsim emulate: a real
 * ping reaches the OCI DB host (RTT at least the simulated path's, exactly,
 * to ping's microsecond, and at most the path's plus twice the lateness
 * xcsim measured in that run plus a margin for the host's own part: see
 * test_sigint_leaves_nothing), a real TCP client gets its answers from the
 * simulated database on 1521, a 5 MB transfer completes with the goodput
 * the path allows (expected_goodput: the cross-connect is lowered to 100
 * Mbit/s here, a rate xcsim keeps up with in real time on a shared
 * machine, so that the rate seen is the shaping's), the simulated
 * DB host's pings are answered by the real host, and Ctrl-C or
 * SIGKILL of xcsim leaves no device and no namespace behind. xcsim run
 * refuses the scenario. Root only (else skipped, exit 77).
 */
#include "emu_tap_testutil.h"

static char dir[256], scen[512], dev[16];
static struct emu_proc emu;	/* the one the first cases share */
static sim_time rtt_sim;
static double ping_max_ms;	/* test_ping's slowest echo, -1: none */

/*
 * What a real echo's RTT has beyond the simulated path's and xcsim's
 * measured lateness: the host's own part, which no event of xcsim's
 * measures: ping's wake-up on the reply and xcsim's on the request's
 * frame (an input, not an event), each within one CFS period (12 ms on
 * two CPUs, longer under the load of several builds): 2 x 20 ms.
 */
#define HOST_MARGIN_MS 40.0

/*
 * The bottleneck: the cross-connect, lowered from the default's 1 Gbit/s
 * (which xcsim cannot simulate frame by frame in real time on a loaded
 * 2-core machine: the goodput would measure the CPU, not the path).
 */
#define XC_FROM "rate: 1Gbps, delay: 5us"
#define XC_TO "rate: 100Mbps, delay: 5us"
#define XC_BPS 100e6
#define XFER_BYTES 5000000
/*
 * A full segment there: 1448 bytes of data (MSS 1460 from the 1500-byte
 * MTU, less 12 of timestamps, which both ends offer), 74 of headers on
 * the wire (TCP 32, IP 20, Ethernet 14, the two VLAN tags 8).
 */
#define SEG_DATA 1448.0
#define SEG_WIRE (1448.0 + 74.0)
#define SENDER_IW 10		/* the simulated server's initial window */

/*
 * The goodput (bit/s) the path allows a transfer of bytes, as the client
 * measures it (from sending its request to the last byte): one round trip
 * (request there, first data back), slow start from SENDER_IW segments
 * doubling each round trip while the window is below the bandwidth-delay
 * product, then the rest at the bottleneck's rate of data (SEG_DATA in
 * every SEG_WIRE). The receiver's window (Linux, 64 KB and growing) is
 * above the BDP (about 19 KB here) from the start.
 */
static double
expected_goodput(double bytes, sim_time rtt)
{
	double r = (double)rtt / 1e9 + SEG_WIRE * 8 / XC_BPS;
	double t = r, left = bytes, cwnd = SENDER_IW * SEG_DATA;

	while (left > 0 && cwnd * 8 / XC_BPS * (SEG_WIRE / SEG_DATA) < r) {
		left -= cwnd < left ? cwnd : left;
		t += r;
		cwnd *= 2;
	}
	t += left * 8 / XC_BPS * (SEG_WIRE / SEG_DATA);
	return bytes * 8 / t;
}

static void
setup_once(void)
{
	char emu_yaml[512], *text, *x;
	FILE *f;

	if (dir[0] != '\0')
		return;
	CU_ASSERT_FATAL(test_tmpdir("/tmp/xcsim-test-emu-tap-XXXXXX") != NULL);
	snprintf(dir, sizeof(dir), "%s", test_tmpdir_path());
	snprintf(dev, sizeof(dev), "xct%d", (int)(getpid() % 100000));
	snprintf(emu_yaml, sizeof(emu_yaml), "emulation:\n  taps:\n"
	    "    - { node: azure-vm, iface: eth0, device: %s, netns: vm }\n",
	    dev);
	CU_ASSERT_EQUAL_FATAL(emu_write_scenario(dir, emu_yaml, scen,
	    sizeof(scen)), 0);
	/* the bottleneck at 100 Mbit/s (same length: overwritten in place) */
	text = test_slurp(scen, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(x = strstr(text, XC_FROM));
	CU_ASSERT_FATAL(strlen(XC_FROM) + 2 == strlen(XC_TO));
	CU_ASSERT_PTR_NOT_NULL_FATAL(f = fopen(scen, "w"));
	fwrite(text, 1, (size_t)(x - text), f);
	fputs(XC_TO, f);
	fputs(x + strlen(XC_FROM), f);
	CU_ASSERT_EQUAL_FATAL(fclose(f), 0);
	free(text);
	rtt_sim = emu_path_rtt(scen);
	CU_ASSERT_FATAL(rtt_sim > 0);
}

static void
test_run_refuses(void)
{
	char cmd[1200], out[1024];
	int rc;

	setup_once();
	snprintf(cmd, sizeof(cmd), "%s run %s --out %s/run.out 2>&1",
	    XCSIM_BINARY, scen, dir);
	rc = emu_sh(cmd, out, sizeof(out));
	CU_ASSERT(WIFEXITED(rc) && WEXITSTATUS(rc) == 2);
	CU_ASSERT(strstr(out, "run it with xcsim emulate") != NULL);
	CU_ASSERT(!emu_link_exists(dev));
}

static void
test_ping(void)
{
	char cmd[256], out[4096];
	double mn, av, mx;
	const char *r;
	int rc;

	setup_once();
	CU_ASSERT_EQUAL_FATAL(emu_start(&emu, dir, scen, "emu"), 0);
	CU_ASSERT_EQUAL_FATAL(emu_wait_ready(&emu, true, 10), 0);
	CU_ASSERT_FATAL(emu.holder > 0);
	/* the TAP is in the namespace, not here */
	CU_ASSERT(!emu_link_exists(dev));
	snprintf(cmd, sizeof(cmd), "nsenter -t %d -n ping -n -c 3 -i 0.2 -W 5 "
	    EMU_DB, (int)emu.holder);
	rc = emu_sh(cmd, out, sizeof(out));
	printf("\n%s", out);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT(strstr(out, "3 received") != NULL);
	r = strstr(out, "rtt min/avg/max/mdev = ");
	CU_ASSERT_FATAL(r != NULL);
	CU_ASSERT_EQUAL_FATAL(sscanf(r, "rtt min/avg/max/mdev = %lf/%lf/%lf",
	    &mn, &av, &mx), 3);
	printf("simulated path RTT %.3f ms; real ping min %.3f max %.3f ms\n",
	    (double)rtt_sim / 1e6, mn, mx);
	/*
	 * Lower bound exact: a frame enters at rt_now() and leaves when its
	 * simulated arrival's wall time has come. ping counts whole
	 * microseconds, truncated: allow that one.
	 */
	CU_ASSERT(mn * 1000.0 + 0.5 >= (double)(rtt_sim / 1000) - 1.0);
	/* the upper bound needs the run's lateness: judged at its end */
	ping_max_ms = mx;
}

static void
test_database_query(void)
{
	char cmd[700], out[512], py[512];
	unsigned len = 0, type = 0, got = 0;
	FILE *f;

	setup_once();
	CU_ASSERT_FATAL(emu.pid > 0 && emu.holder > 0);
	snprintf(py, sizeof(py), "%s/rr.py", dir);
	f = fopen(py, "w");
	CU_ASSERT_FATAL(f != NULL);
	fputs(emu_rr_client, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "nsenter -t %d -n python3 %s " EMU_DB
	    " 8192", (int)emu.holder, py);
	CU_ASSERT_EQUAL(emu_sh(cmd, out, sizeof(out)), 0);
	printf("\n%s", out);
	CU_ASSERT_EQUAL(sscanf(out, "len=%u type=%u got=%u", &len, &type,
	    &got), 3);
	/* one TNS Data packet of the 8 KB answer */
	CU_ASSERT_EQUAL(len, 8192);
	CU_ASSERT_EQUAL(type, 6);
	CU_ASSERT_EQUAL(got, 8192);
}

static void
test_transfer(void)
{
	char cmd[700], out[512];
	unsigned len = 0, type = 0, got = 0;
	unsigned long long bps = 0;
	double want;

	setup_once();
	CU_ASSERT_FATAL(emu.pid > 0 && emu.holder > 0);
	snprintf(cmd, sizeof(cmd), "nsenter -t %d -n python3 %s/rr.py " EMU_DB
	    " %d", (int)emu.holder, dir, XFER_BYTES);
	CU_ASSERT_EQUAL(emu_sh(cmd, out, sizeof(out)), 0);
	printf("\n%s", out);
	CU_ASSERT_EQUAL(sscanf(out, "len=%u type=%u got=%u bps=%llu", &len,
	    &type, &got, &bps), 4);
	CU_ASSERT_EQUAL(got, XFER_BYTES);
	want = expected_goodput(XFER_BYTES, rtt_sim);
	printf("goodput %.2f Mbit/s; the path allows %.2f (bottleneck %.0f "
	    "Mbit/s, RTT %.3f ms, initial window %d segments)\n",
	    (double)bps / 1e6, want / 1e6, XC_BPS / 1e6,
	    (double)rtt_sim / 1e6, SENDER_IW);
	/*
	 * Never above what the path allows (5% for the framing and the
	 * client's clock: a faster transfer means frames skipped the
	 * bottleneck's serialisation or simulated time ran ahead of the
	 * wall clock); at least two thirds of it: the sender's slow start
	 * past the BDP fills the bottleneck's queue and NewReno recovers
	 * from its drops, the Linux client delays its ACKs, and xcsim's
	 * lateness on a loaded 2-core machine stretches the run (measured
	 * here: 90.5 of 94.7 Mbit/s, 96%, at a load average of 4-5). A
	 * shaping rate or a clock off by a factor 1.5 either way fails.
	 */
	CU_ASSERT((double)bps <= want * 1.05);
	CU_ASSERT((double)bps >= want * 2 / 3);
}

/* Ctrl-C: valid outputs, the counters, nothing left behind. */
static void
test_sigint_leaves_nothing(void)
{
	char path[600], *m;
	pid_t holder = emu.holder;
	int rc;

	setup_once();
	CU_ASSERT_FATAL(emu.pid > 0 && holder > 0);
	rc = emu_stop(&emu, SIGINT);
	CU_ASSERT_EQUAL(rc, 130);
	CU_ASSERT(emu_gone(holder, 3));
	CU_ASSERT(!emu_link_exists(dev));
	/* under sanitizers: xcsim's own report of leaks or errors */
	m = test_slurp(emu.err, NULL);
	CU_ASSERT(m != NULL && strstr(m, "Sanitizer") == NULL);
	free(m);
	snprintf(path, sizeof(path), "%s/metrics.json", emu.out);
	m = test_slurp(path, NULL);
	CU_ASSERT_FATAL(m != NULL);
	CU_ASSERT(strstr(m, "\"interrupted\": true") != NULL);
	/*
	 * test_ping's slowest echo (the first: the TAP port answers the
	 * host's ARP itself, one more pass through the loop) within the
	 * path's RTT plus the lateness xcsim measured in this run, twice
	 * (the reply's departure is an event that may run that late, and
	 * the request's entry waits, at worst, for a late burst of events
	 * to end), plus HOST_MARGIN_MS. The run's max covers the ping's
	 * stretch of it.
	 */
	{
		const char *p = strstr(m, "\"late_max_ns\":");
		double late_ms, bound;

		CU_ASSERT_FATAL(p != NULL);
		late_ms = (double)atoll(p + strlen("\"late_max_ns\":")) / 1e6;
		bound = (double)rtt_sim / 1e6 + 2 * late_ms + HOST_MARGIN_MS;
		printf("\nslowest echo %.3f ms; bound %.3f ms (path %.3f, "
		    "lateness max %.3f, host margin %.0f)\n", ping_max_ms,
		    bound, (double)rtt_sim / 1e6, late_ms, HOST_MARGIN_MS);
		CU_ASSERT(ping_max_ms >= 0 && ping_max_ms <= bound);
	}
	CU_ASSERT(strstr(m, "\"emulation_attachments\": [") != NULL);
	CU_ASSERT(strstr(m, "\"arp_replies\":0,") == NULL);
	CU_ASSERT(strstr(m, "\"rx_frames\":0,") == NULL);
	/* the reverse: the simulated DB host's pings answered by the host */
	{
		const char *a = strstr(m, "\"name\":\"reverse\"");
		long long rtt = 0;
		const char *p;
		int k = 0;

		CU_ASSERT_FATAL(a != NULL);
		CU_ASSERT(strncmp(strstr(a, "\"received\":"),
		    "\"received\":3,", 13) == 0);
		for (p = a; (p = strstr(p, "\"result\":\"reply\",\"rtt_ns\":"))
		    != NULL && k < 3; k++) {
			p += strlen("\"result\":\"reply\",\"rtt_ns\":");
			rtt = atoll(p);
			/* simulated time: the path both ways, then the host */
			CU_ASSERT(rtt >= rtt_sim);
		}
		CU_ASSERT_EQUAL(k, 3);
	}
	free(m);
}

static void
test_sigkill_leaves_nothing(void)
{
	struct emu_proc e;
	char before[2048], after[2048];
	pid_t holder;

	setup_once();
	emu_sh("ip netns list", before, sizeof(before));
	CU_ASSERT_EQUAL_FATAL(emu_start(&e, dir, scen, "kill"), 0);
	CU_ASSERT_EQUAL_FATAL(emu_wait_ready(&e, true, 10), 0);
	holder = e.holder;
	CU_ASSERT_FATAL(holder > 0);
	CU_ASSERT_EQUAL(emu_stop(&e, SIGKILL), 128 + SIGKILL);
	/* the holder dies with xcsim (PR_SET_PDEATHSIG), and its namespace */
	CU_ASSERT(emu_gone(holder, 3));
	CU_ASSERT(!emu_link_exists(dev));
	emu_sh("ip netns list", after, sizeof(after));
	CU_ASSERT_STRING_EQUAL(before, after);
}

static void
cleanup_at_exit(void)
{
	if (emu.pid > 0)
		emu_stop(&emu, SIGKILL);
}

int
main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{ "xcsim run refuses taps", test_run_refuses },
		{ "real ping through the TAP across the path", test_ping },
		{ "real TCP client queries the simulated database",
		    test_database_query },
		{ "real TCP transfer completes", test_transfer },
		{ "Ctrl-C leaves no device, no namespace",
		    test_sigint_leaves_nothing },
		{ "SIGKILL leaves no device, no namespace",
		    test_sigkill_leaves_nothing },
		{ NULL, NULL }
	};

	emu_require_root();
	ping_max_ms = -1;
	atexit(cleanup_at_exit);
	return test_main(argc, argv, "emu_tap", cases);
}
