/*
 * test_emu_listen.c - xcsim emulate --listen: real BGP sockets bind only to
 * loopback unless told. In a network namespace of the test's own
 * (emu_testutil.h), where 10.255.108.1 is on emu0: a bgp_sockets bind to
 * it is refused naming --listen, taken with --listen 10.255.108.1 or
 * --listen any, and a bad --listen value is refused.
 */
#define _GNU_SOURCE	/* unshare */
#include "emu/emu_testutil.h"

#define LISTEN_IDX 108

static char out_buf[1 << 14];
static char scen[300];

/* xcsim emulate scen --duration 100ms ARGS; its status, output in out_buf */
static int
emulate(const char *args)
{
	char cmd[1024];
	FILE *p;
	size_t n;
	int st;

	snprintf(cmd, sizeof(cmd), "%s emulate %s --duration 100ms --quiet "
	    "--out %s/out %s 2>&1", XCSIM_BINARY, scen, emu_env()->dir, args);
	p = popen(cmd, "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	n = fread(out_buf, 1, sizeof(out_buf) - 1, p);
	out_buf[n] = '\0';
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void
test_listen(void)
{
	emu_write(scen, sizeof(scen), "s.yaml",
	    "name: t\n"
	    "duration: 1s\n"
	    "nodes:\n"
	    "  - name: msee\n"
	    "    role: msee\n"
	    "    interfaces: [{ name: cpe, address: 10.255.108.1/30 }]\n"
	    "bgp:\n"
	    "  - node: msee\n"
	    "    asn: 12076\n"
	    "    neighbors: [{ address: 10.255.108.2, remote_as: 65010 }]\n"
	    "emulation: { bgp_sockets: [{ node: msee, bind: 10.255.108.1 }] }\n");
	CU_ASSERT_EQUAL(emulate(""), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(out_buf, "bgp_sockets: node msee would "
	    "listen on 10.255.108.1:179, not a loopback address: xcsim "
	    "emulate listens only on 127.0.0.0/8 unless told (--listen "
	    "10.255.108.1, or --listen any)"));
	CU_ASSERT_EQUAL(emulate("--listen 10.255.108.7"), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(out_buf, "--listen 10.255.108.1,"));
	CU_ASSERT_EQUAL(emulate("--listen 10.255.108.7 --listen 10.255.108.1"),
	    0);
	if (out_buf[0] != '\0')
		fputs(out_buf, stderr);
	CU_ASSERT_EQUAL(emulate("--listen any"), 0);
	CU_ASSERT_EQUAL(emulate("--listen 10.255.108"), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(out_buf, "--listen '10.255.108' is not "
	    "an IPv4 address or any"));
}

static const struct test_case cases[] = {
	{ "bgp_sockets beyond loopback only with --listen", test_listen },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	int r;

	if ((r = emu_prepare(LISTEN_IDX, "listen")) != 0)
		return r;
	return test_main(argc, argv, "emu_listen", cases);
}
