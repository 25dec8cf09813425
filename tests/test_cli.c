/*
 * test_cli.c - the xcsim command end to end: exit codes, outputs written
 * only when complete, byte-identical outputs for the same seed, pcaps that
 * libpcap reads and tshark decodes, the trace dump, and bad input.
 */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"

static const char *tmpdir;

static bool
same_file(const char *a, const char *b)
{
	size_t la = 0, lb = 0;
	char *x = test_slurp(a, &la), *y = test_slurp(b, &lb);
	bool same = x && y && la == lb && memcmp(x, y, la) == 0;

	free(x);
	free(y);
	return same;
}

static char out_buf[1 << 16];

/* The six-router example: the default scenario before the walkthrough. */
#define SIX XCSIM_SOURCE_DIR "/scenarios/examples/six-routers.yaml"

static void
test_default_run_passes(void)
{
	int rc = test_sh(out_buf, sizeof(out_buf), "%s run " SIX " --out %s/a",
	    XCSIM_BINARY, tmpdir);
	char path[512];

	if (rc != 0)
		fprintf(stderr, "%s\n", out_buf);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out_buf, "PASS"));
	CU_ASSERT_PTR_NULL(strstr(out_buf, "FAIL"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out_buf, "er-gateway msee-primary "
	    "oracle-edge drg oci-db"));
	snprintf(path, sizeof(path), "%s/a/trace.xct", tmpdir);
	CU_ASSERT_TRUE(test_exists(path));
	snprintf(path, sizeof(path), "%s/a/metrics.json", tmpdir);
	CU_ASSERT_TRUE(test_exists(path));
	snprintf(path, sizeof(path), "%s/a/metrics.csv", tmpdir);
	CU_ASSERT_TRUE(test_exists(path));
	snprintf(path, sizeof(path), "%s/a/pcap/msee-primary/fastconnect.pcap",
	    tmpdir);
	CU_ASSERT_TRUE(test_exists(path));
	snprintf(path, sizeof(path), "%s/a/trace.xct.tmp", tmpdir);
	CU_ASSERT_FALSE(test_exists(path));
}

/*
 * The default scenario is the seed walkthrough (scenarios/labs/
 * 01-walkthrough.yaml): every assertion passes, the short output tells
 * the story in at most 15 lines naming the milestones (the timeline's
 * operations counted in one line), --verbose lists each operation, and
 * the same seed gives byte-identical trace and metrics.
 */
static void
test_walkthrough_default(void)
{
	static const char *const story[] = {
		"serviceProviderProvisioningState at 1800s: Provisioned since",
		"AzurePrivatePeering provisioningState at 1800s: Succeeded",
		"vc-azure lifecycleState at 1800s: PROVISIONED since",
		"vc-azure bgpSessionState at 1800s: UP since",
		"connections/app-er provisioningState at 4020s: Succeeded",
		"10.2.1.0/24: bgp via 10.1.255.4 dev app-gw",
		"PASS: traceroute-path trace: app-gw > msee-primary > "
		    "oracle-edge-primary > db-vm",
		"PASS: transaction-latency query",
		"PASS: route 10.2.1.0/24 at app-gw moves to 169.254.240.6",
		"PASS: traceroute-path trace-after-cut: app-gw > msee-secondary "
		    "> oracle-edge-secondary > db-vm",
		"default.yaml (built-in): PASS: 10 operations of the timeline "
		    "as expected\n",
		"walkthrough: seed 1, 4800s simulated, ",
		NULL
	};
	static const char *files[] = { "trace.xct", "metrics.json",
		"metrics.csv", NULL };
	char a[512], b[512];
	const char *p;
	int rc, i, lines = 0;

	rc = test_sh(out_buf, sizeof(out_buf), "%s run --out %s/w1 2>&1",
	    XCSIM_BINARY, tmpdir);
	if (rc != 0)
		fprintf(stderr, "%s\n", out_buf);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NULL(strstr(out_buf, "FAIL"));
	CU_ASSERT_PTR_NULL(strstr(out_buf, "PASS: create"));
	for (i = 0; story[i] != NULL; i++) {
		if (strstr(out_buf, story[i]) == NULL)
			fprintf(stderr, "missing: %s\n", story[i]);
		CU_ASSERT_PTR_NOT_NULL(strstr(out_buf, story[i]));
	}
	for (p = out_buf; (p = strchr(p, '\n')) != NULL; p++)
		lines++;
	CU_ASSERT_TRUE(lines >= 12 && lines <= 15);
	/* --verbose: one line per operation, and the whole summary */
	rc = test_sh(out_buf, sizeof(out_buf), "%s run --verbose --out %s/w2",
	    XCSIM_BINARY, tmpdir);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out_buf, "PASS: create on "
	    "virtual_network_gateways/app-gw"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out_buf, "PASS: create on "
	    "connections/app-er"));
	CU_ASSERT_PTR_NULL(strstr(out_buf, "operations of the timeline"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out_buf, "trace-after-cut (traceroute): "
	    "app-gw msee-secondary oracle-edge-secondary db-vm"));
	for (i = 0; files[i] != NULL; i++) {
		snprintf(a, sizeof(a), "%s/w1/%s", tmpdir, files[i]);
		snprintf(b, sizeof(b), "%s/w2/%s", tmpdir, files[i]);
		CU_ASSERT_TRUE(test_exists(a));
		CU_ASSERT_TRUE(same_file(a, b));
	}
}

static void
test_same_seed_byte_identical(void)
{
	static const char *files[] = {
		"trace.xct", "metrics.json", "metrics.csv",
		"pcap/azure-vm/eth0.pcap", "pcap/msee-primary/fastconnect.pcap",
		"pcap/oci-db/ens3.pcap", ".xcsim-outputs", NULL
	};
	char a[512], b[512];
	int i;

	/* the manifest too: relative paths, whatever --out says */
	CU_ASSERT_EQUAL(test_sh(NULL, 0, "%s run " SIX " --quiet --out %s/d1",
	    XCSIM_BINARY, tmpdir), 0);
	CU_ASSERT_EQUAL(test_sh(NULL, 0, "cd %s && %s run " SIX " --quiet "
	    "--out ./d2/", tmpdir, XCSIM_BINARY), 0);
	for (i = 0; files[i] != NULL; i++) {
		snprintf(a, sizeof(a), "%s/d1/%s", tmpdir, files[i]);
		snprintf(b, sizeof(b), "%s/d2/%s", tmpdir, files[i]);
		CU_ASSERT_TRUE(test_exists(a));
		if (!same_file(a, b))
			fprintf(stderr, "differs: %s\n", files[i]);
		CU_ASSERT_TRUE(same_file(a, b));
	}
}

static void
test_pcap_reads_back_and_decodes(void)
{
	char path[512], errbuf[PCAP_ERRBUF_SIZE];
	pcap_t *pc;
	struct pcap_pkthdr *h;
	const u_char *data;
	int n = 0, rc;
	long long prev = -1;

	snprintf(path, sizeof(path), "%s/a/pcap/msee-primary/fastconnect.pcap",
	    tmpdir);
	pc = pcap_open_offline_with_tstamp_precision(path,
	    PCAP_TSTAMP_PRECISION_NANO, errbuf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pc);
	CU_ASSERT_EQUAL(pcap_datalink(pc), DLT_EN10MB);
	while ((rc = pcap_next_ex(pc, &h, &data)) == 1) {
		long long t = (long long)h->ts.tv_sec * 1000000000LL +
		    h->ts.tv_usec;

		CU_ASSERT_EQUAL(h->caplen, h->len);
		CU_ASSERT_TRUE(t >= prev);	/* time never goes backwards */
		/* every frame on the cross-connect carries QinQ 100/200 */
		CU_ASSERT_EQUAL(data[12], 0x88);
		CU_ASSERT_EQUAL(data[13], 0xa8);
		CU_ASSERT_EQUAL(((data[14] << 8) | data[15]) & 0xfff, 100);
		CU_ASSERT_EQUAL(((data[18] << 8) | data[19]) & 0xfff, 200);
		prev = t;
		n++;
	}
	pcap_close(pc);
	CU_ASSERT_TRUE(n > 20);

	/* tshark decodes every frame of every capture, checksums checked. */
	rc = test_sh(out_buf, sizeof(out_buf),
	    "for f in %s/a/pcap/*/*.pcap; do tshark -r \"$f\" -V "
	    "-o ip.check_checksum:TRUE -o udp.check_checksum:TRUE "
	    "-o icmp.check_checksum:TRUE 2>&1 | grep -E 'Malformed|Expert Info "
	    "\\(Error|Status: Bad|\\[Checksum Status: Bad' ; done; "
	    "tshark -r %s/a/pcap/msee-primary/fastconnect.pcap -Y "
	    "'vlan.id == 200 && icmp.type == 0' 2>/dev/null | wc -l",
	    tmpdir, tmpdir);
	CU_ASSERT_EQUAL(rc, 0);
	/* only the count line: no error lines from any capture */
	CU_ASSERT_TRUE(atoi(out_buf) > 10);
	if (atoi(out_buf) <= 10)
		fprintf(stderr, "tshark said:\n%s\n", out_buf);
}

static void
test_trace_dump(void)
{
	int rc = test_sh(out_buf, sizeof(out_buf), "%s trace dump %s/a/trace.xct | "
	    "grep -c '\"type\":\"pkt_drop\".*\"reason\":\"link_down\"'",
	    XCSIM_BINARY, tmpdir);

	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_TRUE(atoi(out_buf) >= 1);
	rc = test_sh(out_buf, sizeof(out_buf), "%s trace dump %s/a/trace.xct | "
	    "head -1", XCSIM_BINARY, tmpdir);
	CU_ASSERT_EQUAL(out_buf[0], '{');
}

static void
test_failed_assertion_exits_1(void)
{
	char path[512];
	FILE *f;
	int rc;

	snprintf(path, sizeof(path), "%s/strict.yaml", tmpdir);
	/* the default scenario with an impossible RTT bound */
	rc = test_sh(NULL, 0, "sed 's/rtt_below: 3ms }/rtt_below: 10us }/' "
	    "%s/scenarios/examples/six-routers.yaml > %s", XCSIM_SOURCE_DIR, path);
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	f = fopen(path, "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fclose(f);
	rc = test_sh(out_buf, sizeof(out_buf), "%s run %s --out %s/strict",
	    XCSIM_BINARY, path, tmpdir);
	CU_ASSERT_EQUAL(rc, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out_buf, "FAIL: ping-succeeds"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out_buf, "> 10us"));
	/* A failed assertion still leaves complete outputs to look at. */
	snprintf(path, sizeof(path), "%s/strict/trace.xct", tmpdir);
	CU_ASSERT_TRUE(test_exists(path));
}

static void
test_bad_input_exits_2_and_writes_nothing(void)
{
	char path[512], out[512];
	FILE *f;
	int rc;

	snprintf(path, sizeof(path), "%s/bad.yaml", tmpdir);
	f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs("name: bad\nnodes:\n  - name: a\n    role: host\n"
	    "    interfaces:\n      - { name: e0, adress: 10.0.0.1/24 }\n", f);
	fclose(f);
	snprintf(out, sizeof(out), "%s/badout", tmpdir);
	rc = test_sh(out_buf, sizeof(out_buf), "%s run %s --out %s", XCSIM_BINARY,
	    path, out);
	CU_ASSERT_EQUAL(rc, 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(out_buf, "bad.yaml:6:"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out_buf, "address"));	/* did you mean */
	CU_ASSERT_FALSE(test_exists(out));
	rc = test_sh(out_buf, sizeof(out_buf), "%s check %s", XCSIM_BINARY, path);
	CU_ASSERT_EQUAL(rc, 2);
	rc = test_sh(out_buf, sizeof(out_buf), "%s check", XCSIM_BINARY);
	CU_ASSERT_EQUAL(rc, 0);
	rc = test_sh(out_buf, sizeof(out_buf), "%s run --until 5xs", XCSIM_BINARY);
	CU_ASSERT_EQUAL(rc, 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(out_buf, "unit"));
	rc = test_sh(out_buf, sizeof(out_buf), "%s run --seed -4", XCSIM_BINARY);
	CU_ASSERT_EQUAL(rc, 2);
	rc = test_sh(out_buf, sizeof(out_buf), "%s run --bogus", XCSIM_BINARY);
	CU_ASSERT_EQUAL(rc, 2);
	rc = test_sh(out_buf, sizeof(out_buf), "%s nosuch", XCSIM_BINARY);
	CU_ASSERT_EQUAL(rc, 2);
	rc = test_sh(out_buf, sizeof(out_buf), "%s trace dump %s", XCSIM_BINARY,
	    path);	/* not a trace */
	CU_ASSERT_EQUAL(rc, 2);
}

static void
test_until_and_seed_and_help(void)
{
	int rc = test_sh(out_buf, sizeof(out_buf), "%s run --until 2s --seed 9 "
	    "--out %s/short", XCSIM_BINARY, tmpdir);

	/* assertions about later probes fail: nothing was sent after 2s */
	CU_ASSERT_EQUAL(rc, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out_buf, "seed 9, 2s simulated"));
	/* --seed reads integers as scenario files do: 010 is ten, not octal eight */
	rc = test_sh(out_buf, sizeof(out_buf), "%s run --until 1s --seed 010 "
	    "--out %s/short", XCSIM_BINARY, tmpdir);
	CU_ASSERT_PTR_NOT_NULL(strstr(out_buf, "seed 10, 1s simulated"));
	rc = test_sh(out_buf, sizeof(out_buf), "%s run --until 1s --seed 0x10 "
	    "--out %s/short", XCSIM_BINARY, tmpdir);
	CU_ASSERT_PTR_NOT_NULL(strstr(out_buf, "seed 16, 1s simulated"));
	CU_ASSERT_EQUAL(test_sh(out_buf, sizeof(out_buf), "%s run --seed 1e3",
	    XCSIM_BINARY), 2);
	CU_ASSERT_EQUAL(test_sh(out_buf, sizeof(out_buf), "%s run --help",
	    XCSIM_BINARY), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out_buf, "--until"));
	CU_ASSERT_EQUAL(test_sh(out_buf, sizeof(out_buf), "%s --version",
	    XCSIM_BINARY), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out_buf, "xcsim "));
}

static void
test_every_shipped_scenario_runs(void)
{
	int rc = test_sh(out_buf, sizeof(out_buf),
	    "cd %s && for f in scenarios/*.yaml scenarios/*/*.yaml; do "
	    "%s check \"$f\" >/dev/null || { echo \"CHECK $f\"; exit 1; }; "
	    "%s run --quiet \"$f\" --out %s/shipped || "
	    "{ echo \"RUN $f\"; exit 1; }; done",
	    XCSIM_SOURCE_DIR, XCSIM_BINARY, XCSIM_BINARY, tmpdir);

	if (rc != 0)
		fprintf(stderr, "%s\n", out_buf);
	CU_ASSERT_EQUAL(rc, 0);
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(text, f);
	fclose(f);
}

/* Two hosts joined by a lossy link; names chosen to collide as a-b-c. */
static const char lossy[] =
    "name: \"lossy \\\"quoted\\\" name\"\n"
    "seed: 5\nduration: 2s\n"
    "nodes:\n"
    "  - { name: a-b, role: host, interfaces: [ { name: c, address: 10.0.0.1/24 } ] }\n"
    "  - { name: a, role: host, interfaces: [ { name: b-c, address: 10.0.0.2/24 } ] }\n"
    "links:\n"
    "  - { name: l, a: \"a-b:c\", b: \"a:b-c\", rate: 100Mbps, delay: 1ms,\n"
    "      loss: { model: gilbert_elliott, p_gb: 0.2, p_bg: 0.4, loss_good: 0.05, loss_bad: 0.8 } }\n"
    "apps:\n"
    "  - { name: p, type: ping, node: a-b, dst: a, interval: 10ms, count: 150 }\n"
    "record: { pcap: all }\n";

static void
test_random_draws_are_seeded(void)
{
	char yaml[512], a[512], b[512];

	snprintf(yaml, sizeof(yaml), "%s/lossy.yaml", tmpdir);
	write_file(yaml, lossy);
	CU_ASSERT_EQUAL(test_sh(out_buf, sizeof(out_buf), "%s run -q %s --out "
	    "%s/l1 && %s run -q %s --out %s/l2 && %s run -q %s --seed 6 "
	    "--out %s/l3", XCSIM_BINARY, yaml, tmpdir, XCSIM_BINARY, yaml,
	    tmpdir, XCSIM_BINARY, yaml, tmpdir), 0);
	/* same seed: same losses, byte for byte */
	snprintf(a, sizeof(a), "%s/l1/trace.xct", tmpdir);
	snprintf(b, sizeof(b), "%s/l2/trace.xct", tmpdir);
	CU_ASSERT_TRUE(same_file(a, b));
	snprintf(a, sizeof(a), "%s/l1/pcap/a/b-c.pcap", tmpdir);
	snprintf(b, sizeof(b), "%s/l2/pcap/a/b-c.pcap", tmpdir);
	CU_ASSERT_TRUE(same_file(a, b));
	/* another seed: other losses */
	snprintf(b, sizeof(b), "%s/l3/pcap/a/b-c.pcap", tmpdir);
	CU_ASSERT_TRUE(test_exists(b));
	CU_ASSERT_FALSE(same_file(a, b));
	/* interfaces whose NODE-IFACE names would collide get separate files */
	snprintf(a, sizeof(a), "%s/l1/pcap/a-b/c.pcap", tmpdir);
	CU_ASSERT_TRUE(test_exists(a));
	/* metrics.json is valid JSON even with quotes in the scenario name */
	CU_ASSERT_EQUAL(test_sh(out_buf, sizeof(out_buf), "python3 -c 'import json,"
	    "sys; d=json.load(open(sys.argv[1])); print(d[\"scenario\"]); "
	    "assert 0 < d[\"apps\"][0][\"received\"] < 150' %s/l1/metrics.json",
	    tmpdir), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out_buf, "lossy \"quoted\" name"));
}

static void
test_rerun_replaces_captures(void)
{
	char path[512];

	/* l1 captured every interface; a rerun capturing none leaves none */
	snprintf(path, sizeof(path), "%s/nopcap.yaml", tmpdir);
	write_file(path, "nodes:\n  - { name: h, role: host, interfaces: "
	    "[ { name: e, address: 10.0.0.1/24 } ] }\n"
	    "record: { pcap: none }\n");
	CU_ASSERT_EQUAL(test_sh(out_buf, sizeof(out_buf), "%s run -q %s --out %s/l1",
	    XCSIM_BINARY, path, tmpdir), 0);
	snprintf(path, sizeof(path), "%s/l1/pcap/a/b-c.pcap", tmpdir);
	CU_ASSERT_FALSE(test_exists(path));
	snprintf(path, sizeof(path), "%s/l1/pcap/a", tmpdir);
	CU_ASSERT_FALSE(test_exists(path));
	/* files xcsim did not write are left alone */
	CU_ASSERT_EQUAL(test_sh(NULL, 0, "mkdir -p %s/l3/pcap/user && touch "
	    "%s/l3/pcap/user/keep.pcap && %s run -q %s/nopcap.yaml --out %s/l3",
	    tmpdir, tmpdir, XCSIM_BINARY, tmpdir, tmpdir), 0);
	snprintf(path, sizeof(path), "%s/l3/pcap/user/keep.pcap", tmpdir);
	CU_ASSERT_TRUE(test_exists(path));
	snprintf(path, sizeof(path), "%s/l3/pcap/a/b-c.pcap", tmpdir);
	CU_ASSERT_FALSE(test_exists(path));
}

static void
test_times_that_would_overflow_are_rejected(void)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/long.yaml", tmpdir);
	write_file(path, "duration: 2562047h\nnodes:\n  - { name: h, role: "
	    "host, interfaces: [ { name: e, address: 10.0.0.1/24 } ] }\n");
	CU_ASSERT_EQUAL(test_sh(out_buf, sizeof(out_buf), "%s check %s",
	    XCSIM_BINARY, path), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(out_buf, "long.yaml:1:11:"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out_buf, "too long"));
	CU_ASSERT_EQUAL(test_sh(out_buf, sizeof(out_buf), "%s run --until 2562047h "
	    "--out %s/never", XCSIM_BINARY, tmpdir), 2);
}

static bool
holds(const char *path, const char *text)
{
	char *s = test_slurp(path, NULL);
	bool same = s != NULL && strcmp(s, text) == 0;

	free(s);
	return same;
}

/*
 * Names of leftover temporary files under dir, one per line ("" if none,
 * or if dir is gone).
 */
static void
find_tmp(char *out, size_t len, const char *dir)
{
	test_sh(out, len, "[ ! -d %s ] || find %s -name '*.tmp'", dir, dir);
}

static void
test_outputs_never_follow_links(void)
{
	char yaml[512], victim[512];

	snprintf(yaml, sizeof(yaml), "%s/lossy.yaml", tmpdir);
	write_file(yaml, lossy);
	snprintf(victim, sizeof(victim), "%s/victim", tmpdir);
	write_file(victim, "precious");
	/* a shared output directory with links planted under the temp names */
	CU_ASSERT_EQUAL_FATAL(test_sh(NULL, 0, "mkdir -p %s/sym/pcap/a && "
	    "ln -s %s %s/sym/trace.xct.tmp && ln -s %s %s/sym/metrics.json.tmp"
	    " && ln %s %s/sym/metrics.csv.tmp && ln -s %s "
	    "%s/sym/pcap/a/b-c.pcap.tmp", tmpdir, victim, tmpdir, victim,
	    tmpdir, victim, tmpdir, victim, tmpdir), 0);
	CU_ASSERT_EQUAL(test_sh(out_buf, sizeof(out_buf), "%s run -q %s --out "
	    "%s/sym", XCSIM_BINARY, yaml, tmpdir), 0);
	CU_ASSERT_TRUE(holds(victim, "precious"));
	/* a symlinked folder inside it is refused, nothing written through */
	CU_ASSERT_EQUAL_FATAL(test_sh(NULL, 0, "mkdir -p %s/sym2 %s/elsewhere && "
	    "ln -s %s/elsewhere %s/sym2/pcap", tmpdir, tmpdir, tmpdir, tmpdir),
	    0);
	CU_ASSERT_EQUAL(test_sh(out_buf, sizeof(out_buf), "%s run -q %s --out "
	    "%s/sym2", XCSIM_BINARY, yaml, tmpdir), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(out_buf, "not a folder"));
	CU_ASSERT_EQUAL(test_sh(out_buf, sizeof(out_buf), "ls -A %s/elsewhere | "
	    "wc -l", tmpdir), 0);
	CU_ASSERT_EQUAL(atoi(out_buf), 0);
	find_tmp(out_buf, sizeof(out_buf), tmpdir);
	CU_ASSERT_STRING_EQUAL(out_buf, "");
}

static void
test_manifest_is_not_trusted(void)
{
	char path[512];

	/*
	 * Manifests (this version's and the previous one's) listing a
	 * sibling folder, a file through a symlinked folder, the user's own
	 * file and a climb out: none of them is removed.
	 */
	CU_ASSERT_EQUAL_FATAL(test_sh(NULL, 0, "cd %s && mkdir -p m/pcap/old "
	    "m/pcap-archive/a outside && echo keep > m/pcap-archive/a/e.pcap && "
	    "echo keep > outside/e.pcap && echo keep > m/notes.txt && "
	    "echo old > m/pcap/old/e.pcap && ln -s ../../outside m/pcap/link && "
	    "printf '%%s\\n' %s/m/pcap-archive/a/e.pcap %s/m/pcap/link/e.pcap "
	    "./m/pcap/old/e.pcap > m/pcap/.xcsim-captures && "
	    "printf '%%s\\n' pcap-archive/a/e.pcap "
	    "pcap/link/e.pcap notes.txt ../outside/e.pcap > m/.xcsim-outputs",
	    tmpdir, tmpdir, tmpdir), 0);
	CU_ASSERT_EQUAL(test_sh(out_buf, sizeof(out_buf), "%s run -q %s/nopcap.yaml "
	    "--out %s/m", XCSIM_BINARY, tmpdir, tmpdir), 0);
	snprintf(path, sizeof(path), "%s/m/pcap-archive/a/e.pcap", tmpdir);
	CU_ASSERT_TRUE(holds(path, "keep\n"));
	snprintf(path, sizeof(path), "%s/outside/e.pcap", tmpdir);
	CU_ASSERT_TRUE(holds(path, "keep\n"));
	snprintf(path, sizeof(path), "%s/m/notes.txt", tmpdir);
	CU_ASSERT_TRUE(holds(path, "keep\n"));
	/* a capture the previous version listed goes, with its list */
	snprintf(path, sizeof(path), "%s/m/pcap/old", tmpdir);
	CU_ASSERT_FALSE(test_exists(path));
	snprintf(path, sizeof(path), "%s/m/pcap/.xcsim-captures", tmpdir);
	CU_ASSERT_FALSE(test_exists(path));
}

/*
 * A FIFO planted under a manifest's name is not a manifest: the run must
 * not block opening it (with SIGINT and SIGTERM shielded, it could not even
 * be stopped by SIGTERM, so timeout sends SIGKILL: status 137 then).
 */
static void
test_planted_fifo_manifest_does_not_block(void)
{
	char path[512];

	CU_ASSERT_EQUAL_FATAL(test_sh(NULL, 0, "cd %s && mkdir -p fifo/pcap && "
	    "mkfifo fifo/.xcsim-outputs fifo/pcap/.xcsim-captures", tmpdir), 0);
	CU_ASSERT_EQUAL(test_sh(out_buf, sizeof(out_buf),
	    "timeout -s KILL 20 %s run " SIX " -q --out %s/fifo", XCSIM_BINARY,
	    tmpdir), 0);
	/* the run's own manifest took the name */
	snprintf(path, sizeof(path), "%s/fifo/.xcsim-outputs", tmpdir);
	CU_ASSERT_EQUAL(test_sh(out_buf, sizeof(out_buf), "test -f %s", path), 0);
	/* a FIFO given as a trace is refused at once, not waited on */
	CU_ASSERT_EQUAL(test_sh(out_buf, sizeof(out_buf), "timeout -s KILL 20 %s "
	    "trace dump %s/fifo/pcap/.xcsim-captures", XCSIM_BINARY, tmpdir), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(out_buf, "not a regular file"));
}

static void
test_cleanup_whatever_the_spelling(void)
{
	char yaml[512], path[512];

	snprintf(yaml, sizeof(yaml), "%s/lossy.yaml", tmpdir);
	write_file(yaml, lossy);
	/* written as DIR/s, rerun as ./s/ from DIR without pcap, trace, metrics */
	CU_ASSERT_EQUAL(test_sh(out_buf, sizeof(out_buf), "%s run -q %s --out %s/s",
	    XCSIM_BINARY, yaml, tmpdir), 0);
	snprintf(path, sizeof(path), "%s/quiet.yaml", tmpdir);
	write_file(path, "nodes:\n  - { name: h, role: host, interfaces: "
	    "[ { name: e, address: 10.0.0.1/24 } ] }\n"
	    "record: { pcap: none, trace: false, metrics: false }\n");
	CU_ASSERT_EQUAL(test_sh(out_buf, sizeof(out_buf), "cd %s && %s run -q "
	    "quiet.yaml --out ./s/", tmpdir, XCSIM_BINARY), 0);
	/* nothing of the first run survives to pass for the second's */
	CU_ASSERT_EQUAL(test_sh(out_buf, sizeof(out_buf), "ls -A %s/s", tmpdir), 0);
	CU_ASSERT_STRING_EQUAL(out_buf, "");
	/* and the same with an absolute path after a relative one */
	CU_ASSERT_EQUAL(test_sh(out_buf, sizeof(out_buf), "cd %s && %s run -q "
	    "lossy.yaml --out s && %s run -q quiet.yaml --out %s/s",
	    tmpdir, XCSIM_BINARY, XCSIM_BINARY, tmpdir), 0);
	CU_ASSERT_EQUAL(test_sh(out_buf, sizeof(out_buf), "ls -A %s/s", tmpdir), 0);
	CU_ASSERT_STRING_EQUAL(out_buf, "");
}

static void
test_failed_run_leaves_nothing(void)
{
	char yaml[512];

	snprintf(yaml, sizeof(yaml), "%s/lossy.yaml", tmpdir);
	write_file(yaml, lossy);
	/* metrics.csv cannot be put in place: the run fails after writing */
	CU_ASSERT_EQUAL_FATAL(test_sh(NULL, 0, "mkdir -p %s/f/metrics.csv",
	    tmpdir), 0);
	CU_ASSERT_EQUAL(test_sh(out_buf, sizeof(out_buf), "%s run -q %s --out %s/f",
	    XCSIM_BINARY, yaml, tmpdir), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(out_buf, "metrics.csv"));
	/* no temporary file, no output, no pcap folder it created */
	CU_ASSERT_EQUAL(test_sh(out_buf, sizeof(out_buf), "ls -A %s/f", tmpdir), 0);
	CU_ASSERT_STRING_EQUAL(out_buf, "metrics.csv\n");
}

/*
 * A run long enough to be interrupted: 900 Mbit/s for ten minutes. The
 * flow that keeps it busy has a link of its own, not captured: only the
 * pings' interface is (the cases read one capture back), so an interrupted
 * run writes its trace and a few kB of pcap, not hundreds of MB.
 */
static const char long_run[] =
    "name: long\nduration: 600s\n"
    "nodes:\n"
    "  - { name: a, role: host, interfaces: [ { name: e, address: 10.0.0.1/24 } ] }\n"
    "  - { name: b, role: host, interfaces: [ { name: e, address: 10.0.0.2/24 } ] }\n"
    "  - { name: c, role: host, interfaces: [ { name: e, address: 10.0.1.1/24 } ] }\n"
    "  - { name: d, role: host, interfaces: [ { name: e, address: 10.0.1.2/24 } ] }\n"
    "links:\n  - { name: l, a: \"a:e\", b: \"b:e\", rate: 1Gbps, delay: 1ms }\n"
    "  - { name: m, a: \"c:e\", b: \"d:e\", rate: 1Gbps, delay: 1ms }\n"
    "apps:\n"
    "  - { name: flow, type: udp_cbr, node: c, dst: d, dport: 9000, rate: 900Mbps, size: 1000 }\n"
    "  - { name: p, type: ping, node: a, dst: b, interval: 100ms }\n"
    "assertions:\n  - { kind: ping-succeeds, app: p }\n"
    "record: { pcap: [ \"a:e\" ] }\n";

/*
 * Start the long run into DIR/name (as a foreground program would be, with
 * SIGINT not ignored), wait until it writes, send the signals in turn and
 * return its status as a shell shows it (*by_signal, if not NULL, says
 * whether it was killed by one). Each signal after the first is sent once
 * the run has said it is stopping, so it arrives as a second signal rather
 * than merging with the first while pending. Its stderr goes to out_buf.
 */
static int
interrupt_run(const char *name, const int *sigs, bool *by_signal)
{
	char yaml[512], dir[600], tmp[700], errf[700];
	struct timespec nap = { 0, 20 * 1000 * 1000 };
	pid_t pid;
	int st, i, fd;
	FILE *f;

	snprintf(yaml, sizeof(yaml), "%s/long.yaml", tmpdir);
	write_file(yaml, long_run);
	snprintf(dir, sizeof(dir), "%s/%s", tmpdir, name);
	snprintf(tmp, sizeof(tmp), "%s/trace.xct.tmp", dir);
	snprintf(errf, sizeof(errf), "%s/%s.err", tmpdir, name);
	pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0) {
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);	/* not inherited from a nohup */
		fd = open("/dev/null", O_WRONLY);
		dup2(fd, 1);
		fd = open(errf, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(fd, 2);
		execl(XCSIM_BINARY, XCSIM_BINARY, "run", yaml, "--out", dir,
		    (char *)NULL);
		_exit(127);
	}
	/* running, and writing, before the first signal */
	for (i = 0; i < 3000 && !test_exists(tmp); i++)
		nanosleep(&nap, NULL);
	CU_ASSERT_TRUE(test_exists(tmp));
	nanosleep(&nap, NULL);
	for (i = 0; sigs[i] != 0; i++) {
		int k;

		for (k = 0; i > 0 && k < 3000; k++) {
			char *e = test_slurp(errf, NULL);
			bool said = e != NULL && strstr(e, " simulated: ") !=
			    NULL;

			free(e);
			if (said)
				break;
			nanosleep(&nap, NULL);
		}
		kill(pid, sigs[i]);
	}
	CU_ASSERT_EQUAL_FATAL(waitpid(pid, &st, 0), pid);
	out_buf[0] = '\0';
	if ((f = fopen(errf, "r")) != NULL) {
		out_buf[fread(out_buf, 1, sizeof(out_buf) - 1, f)] = '\0';
		fclose(f);
	}
	unlink(errf);
	if (by_signal != NULL)
		*by_signal = WIFSIGNALED(st);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void
test_signals_leave_complete_outputs_or_none(void)
{
	char dir[400], path[512];
	bool by_signal = false;
	int rc;

	/* SIGINT: stops, writes complete outputs marked interrupted, 130 */
	rc = interrupt_run("int", (const int[]){ SIGINT, 0 }, NULL);
	CU_ASSERT_EQUAL(rc, 130);
	CU_ASSERT_PTR_NOT_NULL(strstr(out_buf, "interrupted at"));
	snprintf(dir, sizeof(dir), "%s/int", tmpdir);
	find_tmp(out_buf, sizeof(out_buf), dir);
	CU_ASSERT_STRING_EQUAL(out_buf, "");
	CU_ASSERT_EQUAL(test_sh(out_buf, sizeof(out_buf), "%s trace dump "
	    "%s/trace.xct | tail -1", XCSIM_BINARY, dir), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out_buf, "interrupted at"));
	CU_ASSERT_EQUAL(test_sh(out_buf, sizeof(out_buf), "python3 -c 'import json,"
	    "sys; d=json.load(open(sys.argv[1])); assert d[\"interrupted\"]' "
	    "%s/metrics.json", dir), 0);
	CU_ASSERT_EQUAL(test_sh(out_buf, sizeof(out_buf), "tshark -r %s/pcap/a/e.pcap "
	    "-c 1 >/dev/null", dir), 0);
	snprintf(path, sizeof(path), "%s/.xcsim-outputs", dir);
	CU_ASSERT_TRUE(test_exists(path));

	/* SIGTERM: the same, 143 */
	CU_ASSERT_EQUAL(interrupt_run("term", (const int[]){ SIGTERM, 0 },
	    NULL), 143);
	snprintf(dir, sizeof(dir), "%s/term", tmpdir);
	find_tmp(out_buf, sizeof(out_buf), dir);
	CU_ASSERT_STRING_EQUAL(out_buf, "");
	snprintf(path, sizeof(path), "%s/metrics.json", dir);
	CU_ASSERT_TRUE(test_exists(path));

	/* SIGHUP (the terminal went away): the same, 129 */
	CU_ASSERT_EQUAL(interrupt_run("hup", (const int[]){ SIGHUP, 0 },
	    NULL), 129);
	CU_ASSERT_PTR_NOT_NULL(strstr(out_buf, "hung up at"));
	snprintf(dir, sizeof(dir), "%s/hup", tmpdir);
	find_tmp(out_buf, sizeof(out_buf), dir);
	CU_ASSERT_STRING_EQUAL(out_buf, "");
	CU_ASSERT_EQUAL(test_sh(out_buf, sizeof(out_buf), "python3 -c 'import json,"
	    "sys; d=json.load(open(sys.argv[1])); assert d[\"interrupted\"]' "
	    "%s/metrics.json", dir), 0);
	snprintf(path, sizeof(path), "%s/.xcsim-outputs", dir);
	CU_ASSERT_TRUE(test_exists(path));

	/*
	 * Twice: the second SIGINT, sent once the run is writing its outputs,
	 * unlinks the temporaries and re-raises (cmd_run.c). Which outcome
	 * comes is racy by nature: the writing may be done before the second
	 * signal lands (the run exits 130 with complete outputs), or not (it
	 * dies by SIGINT, leaving none of this run's files), or the signal
	 * may land while the renames hold signals off (it dies by SIGINT
	 * after they are done: complete outputs). What holds in every case,
	 * and is asserted: the status a shell shows is 130, no *.tmp is left,
	 * and the directory holds a whole run (its manifest and a trace that
	 * reads to its end) or no file at all.
	 */
	rc = interrupt_run("twice", (const int[]){ SIGINT, SIGINT, 0 },
	    &by_signal);
	CU_ASSERT_EQUAL(rc, 130);
	CU_ASSERT_PTR_NOT_NULL(strstr(out_buf, "interrupted at"));
	snprintf(dir, sizeof(dir), "%s/twice", tmpdir);
	find_tmp(out_buf, sizeof(out_buf), dir);
	if (out_buf[0] != '\0')
		fprintf(stderr, "left behind:\n%s", out_buf);
	CU_ASSERT_STRING_EQUAL(out_buf, "");
	snprintf(path, sizeof(path), "%s/.xcsim-outputs", dir);
	if (test_exists(path)) {
		CU_ASSERT_EQUAL(test_sh(out_buf, sizeof(out_buf), "%s trace dump "
		    "%s/trace.xct | tail -1", XCSIM_BINARY, dir), 0);
		CU_ASSERT_PTR_NOT_NULL(strstr(out_buf, "interrupted at"));
		snprintf(path, sizeof(path), "%s/metrics.json", dir);
		CU_ASSERT_TRUE(test_exists(path));
	} else {
		/* killed before its renames: not one file of it */
		CU_ASSERT_TRUE(by_signal);
		CU_ASSERT_EQUAL(test_sh(out_buf, sizeof(out_buf), "[ ! -d %s ] || "
		    "find %s -type f", dir, dir), 0);
		CU_ASSERT_STRING_EQUAL(out_buf, "");
	}
}

static void
test_until_beyond_duration_is_an_error(void)
{
	/* the six-router example lasts 8 s, the default 80m */
	CU_ASSERT_EQUAL(test_sh(out_buf, sizeof(out_buf), "%s run " SIX
	    " --until 20s --out %s/beyond", XCSIM_BINARY, tmpdir), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(out_buf, "beyond the scenario's "
	    "duration (8s)"));
	CU_ASSERT_EQUAL(test_sh(out_buf, sizeof(out_buf), "%s run " SIX
	    " --until 8s -q --out %s/beyond", XCSIM_BINARY, tmpdir), 0);
	CU_ASSERT_EQUAL(test_sh(out_buf, sizeof(out_buf), "%s run --until 81m "
	    "--out %s/beyond", XCSIM_BINARY, tmpdir), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(out_buf, "duration (4800s)"));
}

static void
test_control_characters_are_escaped(void)
{
	char yaml[512];

	snprintf(yaml, sizeof(yaml), "%s/esc.yaml", tmpdir);
	write_file(yaml, "name: \"\\e[2Jclear\\a\"\nduration: 1s\nnodes:\n"
	    "  - { name: a, role: host, interfaces: [ { name: e, address: 10.0.0.1/24 } ] }\n"
	    "  - { name: b, role: host, interfaces: [ { name: e, address: 10.0.0.2/24 } ] }\n"
	    "links:\n  - { name: l, a: \"a:e\", b: \"b:e\", rate: 1Gbps, delay: 1ms }\n"
	    "apps:\n  - { name: p, type: ping, node: a, dst: b, count: 1 }\n"
	    "assertions:\n  - { kind: ping-succeeds, app: p }\n");
	CU_ASSERT_EQUAL(test_sh(out_buf, sizeof(out_buf), "%s run %s --out %s/esc",
	    XCSIM_BINARY, yaml, tmpdir), 0);
	CU_ASSERT_PTR_NULL(strchr(out_buf, 0x1b));
	CU_ASSERT_PTR_NULL(strchr(out_buf, 0x07));
	CU_ASSERT_PTR_NOT_NULL(strstr(out_buf, "\\x1b[2Jclear\\x07: seed"));
}

/* Two hosts 1 ms apart; a probe every 100 ms until 901 ms, no count. */
static const char in_flight[] =
    "duration: 901ms\nnodes:\n"
    "  - { name: a, role: host, interfaces: [ { name: e, address: 10.0.0.1/24 } ] }\n"
    "  - { name: b, role: host, interfaces: [ { name: e, address: 10.0.0.2/24 } ] }\n"
    "links:\n  - { name: l, a: \"a:e\", b: \"b:e\", rate: 1Gbps, delay: 1ms }\n"
    "apps:\n  - { name: p, type: ping, node: a, dst: b, interval: 100ms }\n"
    "assertions:\n"
    "  - { kind: ping-succeeds, app: p }\n"
    "  - { kind: ping-fails, app: p, after: 850ms }\n";

static void
test_probes_in_flight_are_pending(void)
{
	char yaml[512];

	snprintf(yaml, sizeof(yaml), "%s/flight.yaml", tmpdir);
	write_file(yaml, in_flight);
	/* the probe sent at 900 ms is on its way when the run ends */
	CU_ASSERT_EQUAL(test_sh(out_buf, sizeof(out_buf), "%s run %s --out "
	    "%s/flight", XCSIM_BINARY, yaml, tmpdir), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out_buf, "PASS: ping-succeeds p "
	    "[0s, end): 9/9 replies"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out_buf, "FAIL: ping-fails p "
	    "[850ms, end): 0/0 replies (1 still in flight"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out_buf, "p (ping): 9/9 replies, 1 in "
	    "flight at the end"));
	CU_ASSERT_EQUAL(test_sh(out_buf, sizeof(out_buf), "python3 -c 'import json,"
	    "sys; a=json.load(open(sys.argv[1]))[\"apps\"][0]; print(a[\"sent\"],"
	    " a[\"received\"], a[\"lost\"], a[\"pending\"], a[\"loss_pct\"])' "
	    "%s/flight/metrics.json", tmpdir), 0);
	CU_ASSERT_STRING_EQUAL(out_buf, "10 9 0 1 0.0\n");

	/* probes a full queue dropped are lost, not pending */
	CU_ASSERT_EQUAL(test_sh(out_buf, sizeof(out_buf), "%s run -q "
	    "%s/scenarios/examples/congestion.yaml --out %s/cong && "
	    "python3 -c 'import json,sys; a=[x for x in json.load(open("
	    "sys.argv[1]))[\"apps\"] if x[\"type\"] == \"ping\"][0]; "
	    "print(a[\"sent\"], a[\"received\"], a[\"lost\"], a[\"pending\"])' "
	    "%s/cong/metrics.json", XCSIM_BINARY, XCSIM_SOURCE_DIR, tmpdir,
	    tmpdir), 0);
	CU_ASSERT_STRING_EQUAL(out_buf, "45 22 23 0\n");
}

static const struct test_case cases[] = {
	{ "xcsim run (the six-router example) passes its assertions", test_default_run_passes },
	{ "xcsim run (default): the walkthrough, its story, deterministic", test_walkthrough_default },
	{ "same seed twice: byte-identical trace, pcap, metrics", test_same_seed_byte_identical },
	{ "pcap reads back with libpcap and decodes in tshark", test_pcap_reads_back_and_decodes },
	{ "trace dump prints JSON Lines with drop reasons", test_trace_dump },
	{ "a failed assertion exits 1", test_failed_assertion_exits_1 },
	{ "bad input exits 2 and writes nothing", test_bad_input_exits_2_and_writes_nothing },
	{ "--until, --seed, --help, --version", test_until_and_seed_and_help },
	{ "every scenario in scenarios/ checks and passes", test_every_shipped_scenario_runs },
	{ "random draws follow the seed: same seed same bytes, other seed other losses", test_random_draws_are_seeded },
	{ "a rerun into the same directory replaces old captures", test_rerun_replaces_captures },
	{ "times that could overflow are rejected (exit 2)", test_times_that_would_overflow_are_rejected },
	{ "outputs never follow a planted link", test_outputs_never_follow_links },
	{ "a manifest is read back without trust", test_manifest_is_not_trusted },
	{ "a FIFO planted as a manifest does not block the run", test_planted_fifo_manifest_does_not_block },
	{ "stale outputs go however --out is spelled, trace and metrics too", test_cleanup_whatever_the_spelling },
	{ "a failed run leaves no output, temp file or folder", test_failed_run_leaves_nothing },
	{ "SIGINT/SIGTERM/SIGHUP: complete outputs or none, 130/143/129",
	    test_signals_leave_complete_outputs_or_none },
	{ "--until beyond the duration exits 2", test_until_beyond_duration_is_an_error },
	{ "control characters in scenario text are escaped", test_control_characters_are_escaped },
	{ "probes in flight at the end are pending, dropped ones lost", test_probes_in_flight_are_pending },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	if ((tmpdir = test_tmpdir("/tmp/xcsim-cli-XXXXXX")) == NULL)
		return 2;
	return test_main(argc, argv, "cli", cases);
}
