/*
 * test_emu_scenario.c - the bgp_sockets scenario section: its load-time
 * checks (unknown node, a node or a bind address twice), the offline run
 * building nothing, and in an emulation run (a real-time driver)
 * the bind address checked against the host's addresses, then built.
 * Runs in a network namespace of its own (emu_testutil.h), where
 * 10.255.106.1 is on emu0 and nothing else is.
 */
#define _GNU_SOURCE	/* unshare */
#include "emu/emu_testutil.h"

#include "scenario.h"
#include "scenario_models.h"
#include "scenario_run.h"
#include "scenario_testutil.h"

#define SC_IDX 106

#define HEAD \
	"name: t\n" \
	"duration: 1s\n" \
	"nodes:\n" \
	"  - name: msee\n" \
	"    role: msee\n" \
	"    interfaces: [{ name: cpe, address: 10.255.106.1/30 }]\n" \
	"  - name: other\n" \
	"    role: router\n" \
	"    interfaces: [{ name: x, address: 10.9.0.1/30 }]\n" \
	"bgp:\n" \
	"  - node: msee\n" \
	"    asn: 12076\n" \
	"    neighbors: [{ address: 10.255.106.2, remote_as: 65010 }]\n"

static void
test_checks(void)
{
	struct scenario *sc;
	char *diag = NULL;
	unsigned n = 0;

	sc = load(HEAD
	    "bgp_sockets:\n"
	    "  - { node: nosuch, bind: 10.255.106.1 }\n"
	    "  - { node: msee, bind: 10.255.106.1 }\n"
	    "  - { node: msee, bind: 10.255.106.9 }\n"
	    "  - { node: other, bind: 10.255.106.1 }\n", &diag, &n);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT_EQUAL(n, 3);
	CU_ASSERT(has_error(diag, "15:13", "unknown node 'nosuch'"));
	CU_ASSERT(has_error(diag, "17:13", "already in bgp_sockets (at 16:5)"));
	CU_ASSERT(has_error(diag, "18:26", "bind address taken by 'msee' (at 16:5)"));
	if (n != 3)
		fputs(diag, stderr);
	free(diag);
	scenario_free(sc);
}

/* Build a run of text; err gets run_new's message, or "" if it built. */
static void
build(const char *text, bool emulate, char *err, size_t errlen)
{
	struct scenario *sc;
	struct run_opts o;
	struct rt_cfg rc;
	struct run *r;
	char *diag = NULL;
	unsigned n = 0;

	sc = load(text, &diag, &n);
	if (sc == NULL)
		fputs(diag, stderr);
	free(diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	memset(&o, 0, sizeof(o));
	memset(&rc, 0, sizeof(rc));
	if (emulate)
		o.rt_cfg = &rc;
	err[0] = '\0';
	r = run_new(sc, &o, err, errlen);
	if (r != NULL) {
		CU_ASSERT_STRING_EQUAL(err, "");
		if (emulate)
			CU_ASSERT_PTR_NOT_NULL(run_rt(r));
		run_free(r);
	}
	scenario_free(sc);
}

static void
test_build(void)
{
	char err[512];

	/* offline: nothing to check, nothing built (not even a bad bind) */
	build(HEAD "bgp_sockets: [{ node: msee, bind: 10.255.106.9 }]\n",
	    false, err, sizeof(err));
	CU_ASSERT_STRING_EQUAL(err, "");
	/* an address this host does not have */
	build(HEAD "bgp_sockets: [{ node: msee, bind: 10.255.106.9 }]\n",
	    true, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "10.255.106.9 (node msee) is not "
	    "an address of this host"));
	/* one it has: built */
	build(HEAD "bgp_sockets: [{ node: msee, bind: 10.255.106.1 }]\n",
	    true, err, sizeof(err));
	CU_ASSERT_STRING_EQUAL(err, "");
	/* without the section, nothing changes offline */
	build(HEAD, false, err, sizeof(err));
	CU_ASSERT_STRING_EQUAL(err, "");
}

static const struct test_case cases[] = {
	{ "bgp_sockets: load-time checks", test_checks },
	{ "bgp_sockets: build offline and emulated", test_build },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	int r;

	scenario_models_init();
	if ((r = emu_prepare(SC_IDX, "scenario")) != 0)
		return r;
	return test_main(argc, argv, "emu_scenario", cases);
}
