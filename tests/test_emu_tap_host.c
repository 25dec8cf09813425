/*
 * test_emu_tap_host.c - a TAP in xcsim's own namespace (no netns), which
 * is the host's: the node's default route does not become the host's
 * (only the connected subnet is routed to the TAP), and an existing
 * persistent TAP of the same name is never taken over. xcsim runs in a
 * namespace of the test's own, standing for the host's, so that nothing
 * of the real host changes. Root only (else skipped, exit 77).
 */
#include "emu_tap_testutil.h"

static char dir[256];

static void
setup_once(void)
{
	if (dir[0] != '\0')
		return;
	CU_ASSERT_FATAL(test_tmpdir("/tmp/xcsim-test-emu-host-XXXXXX") !=
	    NULL);
	snprintf(dir, sizeof(dir), "%s", test_tmpdir_path());
}

/* The scenario with one tap of azure-vm:eth0 named dev, no netns. */
static void
write_scen(const char *dev, char *scen, size_t len)
{
	char yaml[256];

	snprintf(yaml, sizeof(yaml), "emulation:\n  taps:\n"
	    "    - { node: azure-vm, iface: eth0, device: %s }\n", dev);
	CU_ASSERT_EQUAL_FATAL(emu_write_scenario(dir, yaml, scen, len), 0);
}

static void
test_no_default_route(void)
{
	struct emu_proc emu;
	char scen[512], dev[16], cmd[256], out[2048];
	pid_t xns;

	setup_once();
	snprintf(dev, sizeof(dev), "xch%d", (int)(getpid() % 100000));
	write_scen(dev, scen, sizeof(scen));
	CU_ASSERT_FATAL((xns = emu_ns_new()) > 0);
	CU_ASSERT_EQUAL_FATAL(emu_start_in(&emu, dir, scen, "route", xns), 0);
	if (emu_wait_ready(&emu, false, 10) == 0) {
		snprintf(cmd, sizeof(cmd), "nsenter -t %d -n ip -4 route show",
		    (int)xns);
		CU_ASSERT_EQUAL(emu_sh(cmd, out, sizeof(out)), 0);
		printf("\n%s", out);
		/* the node's routes (default via its gateway) are not here */
		CU_ASSERT(strstr(out, "default") == NULL);
		CU_ASSERT(strstr(out, dev) != NULL);
	} else {
		char *t = test_slurp(emu.err, NULL);

		printf("\n%s", t != NULL ? t : "(no stderr)");
		free(t);
		CU_FAIL("xcsim emulate did not start");
	}
	emu_stop(&emu, SIGTERM);
	emu_ns_end(xns);
}

static void
test_existing_tap_not_taken(void)
{
	struct emu_proc emu;
	char scen[512], dev[16], cmd[256], out[512], *t;
	pid_t xns;
	int rc;

	setup_once();
	snprintf(dev, sizeof(dev), "xcp%d", (int)(getpid() % 100000));
	write_scen(dev, scen, sizeof(scen));
	CU_ASSERT_FATAL((xns = emu_ns_new()) > 0);
	snprintf(cmd, sizeof(cmd), "nsenter -t %d -n ip tuntap add dev %s "
	    "mode tap 2>&1", (int)xns, dev);
	rc = emu_sh(cmd, out, sizeof(out));
	CU_ASSERT_EQUAL(rc, 0);
	if (rc != 0)
		printf("\n%s", out);
	CU_ASSERT_EQUAL_FATAL(emu_start_in(&emu, dir, scen, "excl", xns), 0);
	/* it must give up at once; if it took the device over, stop it */
	if (emu_wait_ready(&emu, false, 10) == 0) {
		CU_FAIL("xcsim took over an existing TAP");
		emu_stop(&emu, SIGTERM);
	} else if (emu.pid > 0) {
		CU_FAIL("xcsim neither started nor exited");
		emu_stop(&emu, SIGKILL);
	}
	t = test_slurp(emu.err, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	printf("\n%s", t);
	CU_ASSERT(strstr(t, "the name is taken") != NULL);
	free(t);
	/* the persistent device is still there, then removed */
	snprintf(cmd, sizeof(cmd), "nsenter -t %d -n ip tuntap del dev %s "
	    "mode tap 2>&1", (int)xns, dev);
	CU_ASSERT_EQUAL(emu_sh(cmd, out, sizeof(out)), 0);
	snprintf(cmd, sizeof(cmd), "nsenter -t %d -n ip link show dev %s "
	    ">/dev/null 2>&1", (int)xns, dev);
	CU_ASSERT_NOT_EQUAL(emu_sh(cmd, out, sizeof(out)), 0);
	emu_ns_end(xns);
}

int
main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{ "no default route without netns", test_no_default_route },
		{ "an existing persistent TAP is not taken over",
		    test_existing_tap_not_taken },
		{ NULL, NULL }
	};

	emu_require_root();
	return test_main(argc, argv, "emu_tap_host", cases);
}
