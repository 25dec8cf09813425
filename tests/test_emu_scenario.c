/*
 * test_emu_scenario.c - the emulation section's bgp_sockets: its load-time
 * checks (unknown node, a node with no bgp item, a node or a bind
 * address twice; the former
 * top-level key refused with where it went), the offline run
 * building nothing, and in an emulation run (a real-time driver)
 * the bind address checked against the host's addresses, then built;
 * an address beyond loopback refused unless allowed (--listen).
 * A neighbour with `transport: simulated` of a speaker on sockets keeps
 * the simulated TCP: its session comes up and its routes arrive (the
 * socket hosts reach the bgp section through the transport provider the
 * emulation section registers: without it every neighbour is simulated).
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
	    "emulation:\n"
	    "  bgp_sockets:\n"
	    "    - { node: nosuch, bind: 10.255.106.1 }\n"
	    "    - { node: msee, bind: 10.255.106.1 }\n"
	    "    - { node: msee, bind: 10.255.106.9 }\n"
	    "    - { node: other, bind: 10.255.106.1 }\n", &diag, &n);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT_EQUAL(n, 3);
	CU_ASSERT(has_error(diag, "16:15", "unknown node 'nosuch'"));
	CU_ASSERT(has_error(diag, "18:15", "already in bgp_sockets (at 17:7)"));
	CU_ASSERT(has_error(diag, "19:28", "bind address taken by 'msee' (at 17:7)"));
	if (n != 3)
		fputs(diag, stderr);
	free(diag);
	scenario_free(sc);
	/* a node with no bgp item: named, at its node key */
	n = 0;
	sc = load(HEAD
	    "emulation:\n"
	    "  bgp_sockets:\n"
	    "    - { node: msee, bind: 10.255.106.1 }\n"
	    "    - { node: other, bind: 10.255.106.5 }\n", &diag, &n);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT_EQUAL(n, 1);
	CU_ASSERT(has_error(diag, "17:15", "node 'other' has no bgp item: "
	    "bgp_sockets puts a node's BGP speaker on real sockets (add a "
	    "bgp item for it, or remove this entry)"));
	if (n != 1)
		fputs(diag, stderr);
	free(diag);
	scenario_free(sc);
	/* the former top-level key: an error that says where it went */
	n = 0;
	sc = load(HEAD "bgp_sockets: [{ node: msee, bind: 10.255.106.1 }]\n",
	    &diag, &n);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT_EQUAL(n, 1);
	CU_ASSERT(has_error(diag, "14:1", "unknown key 'bgp_sockets' in "
	    "scenario (it moved into the emulation section: emulation: { "
	    "bgp_sockets: [...] }, docs/emulation-bgp.md)"));
	if (n != 1)
		fputs(diag, stderr);
	free(diag);
	scenario_free(sc);
}

/*
 * Build a run of text; err gets run_new's message, or "" if it built.
 * listen (0: none) and any: as xcsim emulate --listen ADDR / any.
 */
static void
build_listen(const char *text, bool emulate, uint32_t listen, bool any,
    char *err, size_t errlen)
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
	o.listen = &listen;
	o.n_listen = listen != 0;
	o.listen_any = any;
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
build(const char *text, bool emulate, char *err, size_t errlen)
{
	build_listen(text, emulate, 0, true, err, errlen);
}

static void
test_build(void)
{
	char err[512];

	/* offline: nothing to check, nothing built (not even a bad bind) */
	build(HEAD "emulation: { bgp_sockets: [{ node: msee, bind: 10.255.106.9 }] }\n",
	    false, err, sizeof(err));
	CU_ASSERT_STRING_EQUAL(err, "");
	/* an address this host does not have */
	build(HEAD "emulation: { bgp_sockets: [{ node: msee, bind: 10.255.106.9 }] }\n",
	    true, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "10.255.106.9 (node msee) is not "
	    "an address of this host"));
	/* one it has: built */
	build(HEAD "emulation: { bgp_sockets: [{ node: msee, bind: 10.255.106.1 }] }\n",
	    true, err, sizeof(err));
	CU_ASSERT_STRING_EQUAL(err, "");
	/* without the section, nothing changes offline */
	build(HEAD, false, err, sizeof(err));
	CU_ASSERT_STRING_EQUAL(err, "");
}

/*
 * msee on sockets (its CE 10.255.106.2 absent) with an iBGP partner over a
 * simulated link; transport is "" or a `transport:` key for the partner.
 */
#define PAIR(transport) \
	"name: t\n" \
	"duration: 10s\n" \
	"nodes:\n" \
	"  - name: msee\n" \
	"    role: msee\n" \
	"    interfaces:\n" \
	"      - { name: cpe, address: 10.255.106.1/30 }\n" \
	"      - { name: ibgp, address: 10.0.0.1/30 }\n" \
	"  - name: msee2\n" \
	"    role: msee\n" \
	"    interfaces: [{ name: ibgp, address: 10.0.0.2/30 }]\n" \
	"links:\n" \
	"  - { name: l, a: \"msee:ibgp\", b: \"msee2:ibgp\", rate: 1Gbps, " \
	"delay: 1ms }\n" \
	"bgp:\n" \
	"  - node: msee\n" \
	"    asn: 12076\n" \
	"    neighbors:\n" \
	"      - { address: 10.255.106.2, remote_as: 65010 }\n" \
	"      - { address: 10.0.0.2, remote_as: 12076" transport " }\n" \
	"  - node: msee2\n" \
	"    asn: 12076\n" \
	"    networks: [{ prefix: 10.20.0.0/16 }]\n" \
	"    neighbors: [{ address: 10.0.0.1, remote_as: 12076 }]\n" \
	"emulation: { bgp_sockets: [{ node: msee, bind: 10.255.106.1 }] }\n"

/* Emulate text for 1 s of simulated time: is msee2's prefix at msee? */
static bool
pair_route(const char *text)
{
	struct scenario *sc;
	struct run_opts o;
	struct rt_cfg rc;
	struct run *r;
	char *diag = NULL, err[512] = "";
	unsigned n = 0;
	bool got;

	sc = load(text, &diag, &n);
	if (sc == NULL)
		fputs(diag, stderr);
	free(diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	memset(&o, 0, sizeof(o));
	memset(&rc, 0, sizeof(rc));
	o.rt_cfg = &rc;
	o.listen_any = true;
	r = run_new(sc, &o, err, sizeof(err));
	CU_ASSERT_STRING_EQUAL(err, "");
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_EQUAL(rt_run(run_rt(r), SIM_S(1), NULL), RT_DONE);
	got = rib_lookup(node_rib(net_find_node(run_net(r), "msee"), 0),
	    0x0a140101) != NULL;
	run_free(r);
	scenario_free(sc);
	return got;
}

static void
test_transport(void)
{
	/* the iBGP partner is not on the host: over sockets it never comes */
	CU_ASSERT_FALSE(pair_route(PAIR("")));
	CU_ASSERT_FALSE(pair_route(PAIR(", transport: auto")));
	CU_ASSERT_TRUE(pair_route(PAIR(", transport: simulated")));
}

/* Beyond loopback only with --listen; loopback always. */
static void
test_listen(void)
{
	char err[512];

	build_listen(HEAD "emulation: { bgp_sockets: [{ node: msee, bind: 10.255.106.1 }] }\n",
	    true, 0, false, err, sizeof(err));
	CU_ASSERT_STRING_EQUAL(err, "bgp_sockets: node msee would listen on "
	    "10.255.106.1:179, not a loopback address: xcsim emulate listens "
	    "only on 127.0.0.0/8 unless told (--listen 10.255.106.1, or "
	    "--listen any)");
	/* another address allowed is not this one */
	build_listen(HEAD "emulation: { bgp_sockets: [{ node: msee, bind: 10.255.106.1 }] }\n",
	    true, 0x0aff6a02, false, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "--listen 10.255.106.1"));
	build_listen(HEAD "emulation: { bgp_sockets: [{ node: msee, bind: 10.255.106.1 }] }\n",
	    true, 0x0aff6a01, false, err, sizeof(err));
	CU_ASSERT_STRING_EQUAL(err, "");
	/* offline nothing listens: nothing refused */
	build_listen(HEAD "emulation: { bgp_sockets: [{ node: msee, bind: 10.255.106.1 }] }\n",
	    false, 0, false, err, sizeof(err));
	CU_ASSERT_STRING_EQUAL(err, "");
	/* loopback without --listen (lo is up in the test's namespace) */
	build_listen(HEAD "emulation: { bgp_sockets: [{ node: msee, bind: 127.0.0.1 }] }\n",
	    true, 0, false, err, sizeof(err));
	CU_ASSERT_STRING_EQUAL(err, "");
	/* a device that is not there is named */
	build_listen(HEAD "emulation: { bgp_sockets: [{ node: msee, "
	    "bind: 127.0.0.1, device: nosuch0 }] }\n", true, 0, false, err, sizeof(err));
	CU_ASSERT_STRING_EQUAL(err, "bgp_sockets: device nosuch0 for node "
	    "msee: no such device on this host");
}

static const struct test_case cases[] = {
	{ "bgp_sockets: load-time checks", test_checks },
	{ "bgp_sockets: build offline and emulated", test_build },
	{ "bgp transport: simulated beside sockets", test_transport },
	{ "bgp_sockets: loopback only unless --listen", test_listen },
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
