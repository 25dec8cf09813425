/*
 * test_emu_privileges.c - `xcsim emulate` without the privileges its
 * attachments need says which capability is missing and exits 2 with no
 * outputs, instead of crashing (issue 12). The test drops to the user
 * nobody with setpriv (util-linux); it is skipped (exit 77) where it
 * cannot (not root, no setpriv).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

static char dir[256];

static void
write_scenario(const char *name, bool netns)
{
	char path[400];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fprintf(f,
	    "name: t\n"
	    "duration: 1s\n"
	    "nodes:\n"
	    "  - { name: h, role: host, interfaces: [{ name: eth0, address: "
	    "10.0.0.1/24 }] }\n"
	    "  - { name: r, role: router, interfaces: [{ name: e0, address: "
	    "10.0.0.2/24 }] }\n"
	    "links:\n"
	    "  - { name: l, a: \"h:eth0\", b: \"r:e0\", rate: 1Gbps, delay: "
	    "1ms }\n"
	    "emulation:\n"
	    "  taps:\n"
	    "    - { node: h, iface: eth0, device: xcpriv%d%s }\n",
	    netns, netns ? ", netns: ns1" : "");
	fclose(f);
}

static void
run_as_nobody(const char *scn, const char *want)
{
	char out[4096];
	int rc;

	rc = test_sh(out, sizeof(out), "setpriv --reuid=65534 --regid=65534 "
	    "--clear-groups %s/xcsim emulate %s/%s --out %s/out-%s", dir, dir,
	    scn, dir, scn);
	CU_ASSERT_EQUAL(rc, 2);
	if (strstr(out, want) == NULL)
		fprintf(stderr, "%s: got: %s", scn, out);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, want));
	CU_ASSERT_PTR_NULL(strstr(out, "Segmentation"));
	snprintf(out, sizeof(out), "%s/out-%s/metrics.json", dir, scn);
	CU_ASSERT_FALSE(test_exists(out));
}

static void
test_netns_needs_sys_admin(void)
{
	write_scenario("netns.yaml", true);
	run_as_nobody("netns.yaml", "CAP_SYS_ADMIN");
}

static void
test_tap_needs_net_admin(void)
{
	write_scenario("tap.yaml", false);
	run_as_nobody("tap.yaml", "CAP_NET_ADMIN");
}

static const struct test_case cases[] = {
	{ "a namespace without CAP_SYS_ADMIN: named", test_netns_needs_sys_admin },
	{ "a TAP device without CAP_NET_ADMIN: named", test_tap_needs_net_admin },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	char *d, cmd[900];

	if (geteuid() != 0 || system("command -v setpriv >/dev/null") != 0) {
		printf("SKIP: needs root and setpriv to drop to nobody\n");
		return 77;
	}
	d = test_tmpdir("/tmp/xcsim-priv-XXXXXX");
	if (d == NULL)
		return 1;
	snprintf(dir, sizeof(dir), "%s", d);
	/* nobody must reach the directory and run the binary: a copy */
	snprintf(cmd, sizeof(cmd), "cp %s %s/xcsim && chmod 755 %s/xcsim",
	    XCSIM_BINARY, dir, dir);
	if (chmod(dir, 0777) != 0 || system(cmd) != 0)
		return 1;
	return test_main(argc, argv, "emu_privileges", cases);
}
