/*
 * test_emu_pcap.c - the pcap attachment on a veth pair the test makes: in
 * namespace X, xcsim emulate captures and injects on xpa as the Azure
 * VM's end of its link; in namespace H, the veth's other end xpb holds the
 * VM's address, and a real ping from H reaches the OCI DB host across the
 * default path, at least the simulated RTT later. Both namespaces are
 * held by children of the test and vanish with them. Root only (else
 * skipped, exit 77).
 */
#include "emu_tap_testutil.h"

static pid_t xns = -1, hns = -1;
static struct emu_proc emu;

static void
end_all(void)
{
	if (emu.pid > 0)
		emu_stop(&emu, SIGKILL);
	emu_ns_end(xns);
	emu_ns_end(hns);
	xns = hns = -1;
}

static void
test_ping_through_pcap(void)
{
	char dir[256], scen[512], cmd[512], out[4096], path[600], *m;
	double mn = 0, av, mx;
	sim_time rtt_sim;
	const char *r;
	pid_t hold;

	CU_ASSERT_FATAL(test_tmpdir("/tmp/xcsim-test-emu-pcap-XXXXXX") !=
	    NULL);
	snprintf(dir, sizeof(dir), "%s", test_tmpdir_path());
	CU_ASSERT_EQUAL_FATAL(emu_write_scenario(dir, "emulation:\n"
	    "  pcap_ifaces:\n    - { node: azure-vm, iface: eth0, "
	    "host_iface: xpa }\n", scen, sizeof(scen)), 0);
	rtt_sim = emu_path_rtt(scen);
	CU_ASSERT_FATAL(rtt_sim > 0);
	xns = emu_ns_new();
	hns = emu_ns_new();
	CU_ASSERT_FATAL(xns > 0 && hns > 0);
	snprintf(cmd, sizeof(cmd), "nsenter -t %d -n sh -c 'ip link set lo up "
	    "&& ip link add xpa type veth peer name xpb netns %d && "
	    "ip link set xpa up' 2>&1", (int)xns, (int)hns);
	CU_ASSERT_EQUAL_FATAL(emu_sh(cmd, out, sizeof(out)), 0);
	snprintf(cmd, sizeof(cmd), "nsenter -t %d -n sh -c 'ip link set lo up "
	    "&& sysctl -qw net.ipv6.conf.xpb.disable_ipv6=1; "
	    "ip addr add 10.1.1.4/24 dev xpb && ip link set xpb up && "
	    "ip route add default via 10.1.1.1' 2>&1", (int)hns);
	CU_ASSERT_EQUAL_FATAL(emu_sh(cmd, out, sizeof(out)), 0);

	CU_ASSERT_EQUAL_FATAL(emu_start_in(&emu, dir, scen, "emu", xns), 0);
	CU_ASSERT_EQUAL_FATAL(emu_wait_ready(&emu, false, 10), 0);
	snprintf(cmd, sizeof(cmd), "nsenter -t %d -n ping -n -c 3 -i 0.2 -W 5 "
	    EMU_DB, (int)hns);
	CU_ASSERT_EQUAL(emu_sh(cmd, out, sizeof(out)), 0);
	printf("\n%s", out);
	CU_ASSERT(strstr(out, "3 received") != NULL);
	r = strstr(out, "rtt min/avg/max/mdev = ");
	CU_ASSERT_FATAL(r != NULL);
	CU_ASSERT_EQUAL(sscanf(r, "rtt min/avg/max/mdev = %lf/%lf/%lf", &mn,
	    &av, &mx), 3);
	printf("simulated path RTT %.3f ms; real ping min %.3f ms\n",
	    (double)rtt_sim / 1e6, mn);
	CU_ASSERT(mn * 1000.0 + 0.5 >= (double)(rtt_sim / 1000) - 1.0);

	CU_ASSERT_EQUAL(emu_stop(&emu, SIGINT), 130);
	snprintf(path, sizeof(path), "%s/metrics.json", emu.out);
	m = test_slurp(path, NULL);
	CU_ASSERT_FATAL(m != NULL);
	CU_ASSERT(strstr(m, "{\"kind\":\"pcap\",\"host_iface\":\"xpa\"") !=
	    NULL);
	/* the three echo requests at least entered, the replies left */
	CU_ASSERT(strstr(m, "\"rx_frames\":0,") == NULL);
	CU_ASSERT(strstr(m, "\"tx_frames\":0,") == NULL);
	free(m);
	/* the veth dies with its namespaces */
	hold = xns;
	end_all();
	CU_ASSERT(emu_gone(hold, 3));
}

int
main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{ "real ping through a pcap attachment on a veth",
		    test_ping_through_pcap },
		{ NULL, NULL }
	};
	int rc;

	emu_require_root();
	atexit(end_all);
	rc = test_main(argc, argv, "emu_pcap", cases);
	end_all();
	return rc;
}
