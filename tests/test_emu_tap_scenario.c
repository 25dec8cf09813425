/*
 * test_emu_tap_scenario.c - the `emulation` section as a user writes it,
 * offline (no root): its checks name what is wrong where it is written,
 * its defaults take the simulated node's place (address, routes), and a
 * run without the real-time kernel (xcsim run) refuses to build it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario_models.h"
#include "scenario_run.h"
#include "scenario_testutil.h"
#include "testutil.h"

static const char base[] =
    "name: t\n"
    "duration: 1s\n"
    "nodes:\n"
    "  - name: vm\n"
    "    role: azure-vm\n"
    "    interfaces: [ { name: eth0, address: 10.1.1.4/24 }, { name: spare, address: 10.9.0.1/24 } ]\n"
    "    routes: [ { prefix: 0.0.0.0/0, via: 10.1.1.1 }, { prefix: 10.8.0.0/16, via: 10.9.0.2 } ]\n"
    "  - name: gw\n"
    "    role: router\n"
    "    interfaces: [ { name: vnet, address: 10.1.1.1/24 } ]\n"
    "links:\n"
    "  - { name: vnet, a: \"vm:eth0\", b: \"gw:vnet\", rate: 1Gbps, delay: 1ms }\n";

static struct scenario *
load_with(const char *emu, char **diag, unsigned *nerr)
{
	char text[4096];

	snprintf(text, sizeof(text), "%s%s", base, emu);
	*diag = NULL;
	return load(text, diag, nerr);
}

static void
test_checks(void)
{
	struct scenario *sc;
	char *diag;
	unsigned nerr = 0;

	sc = load_with("emulation:\n"
	    "  taps:\n"
	    "    - { node: vm, iface: spare, device: t0 }\n"
	    "    - { node: nope, iface: eth0, device: t1 }\n"
	    "    - { node: vm, iface: eth0, device: waytoolongname16 }\n"
	    "    - { node: vm, iface: eth0, device: t2 }\n"
	    "    - { node: vm, iface: eth0, device: t2 }\n"
	    "  pcap_ifaces:\n"
	    "    - { node: vm, iface: eth0, host_iface: veth0 }\n"
	    "    - { node: gw, iface: vnet }\n", &diag, &nerr);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT(has_error(diag, "15:26", "vm:spare is on no link"));
	CU_ASSERT(has_error(diag, "16:15", "unknown node 'nope'"));
	CU_ASSERT(has_error(diag, "17:40", "at most 15 bytes"));
	CU_ASSERT(has_error(diag, "19:40", "device 't2' is already a tap"));
	CU_ASSERT(has_error(diag, "19:26", "vm:eth0 is attached twice"));
	/* once, though two taps hold it */
	CU_ASSERT(has_error(diag, "21:26", "vm:eth0 is attached twice"));
	CU_ASSERT(has_error(diag, "22:7", "host_iface"));
	if (nerr != 7)
		printf("\n%s", diag);
	CU_ASSERT_EQUAL(nerr, 7);
	free(diag);
	scenario_free(sc);
}

/*
 * Without netns the TAP is in the host's own namespace: a default route
 * there would replace the host's, so it is refused where it is written
 * (with netns it is the namespace's own and fine). VLAN-tagged
 * interfaces take no attachment.
 */
static void
test_host_namespace_and_tags(void)
{
	struct scenario *sc;
	char *diag, text[4096];
	unsigned nerr = 0;

	sc = load_with("emulation:\n"
	    "  taps:\n"
	    "    - node: vm\n"
	    "      iface: eth0\n"
	    "      device: t0\n"
	    "      host_routes: [ { prefix: 10.2.0.0/16, via: 10.1.1.1 }, "
	    "{ prefix: 0.0.0.0/0, via: 10.1.1.1 } ]\n", &diag, &nerr);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT(has_error(diag, "18:72", "a default route on a TAP without "
	    "netns would replace the host's own default route"));
	if (nerr != 1)
		printf("\n%s", diag);
	CU_ASSERT_EQUAL(nerr, 1);
	free(diag);
	scenario_free(sc);

	sc = load_with("emulation:\n"
	    "  taps:\n"
	    "    - node: vm\n"
	    "      iface: eth0\n"
	    "      device: t0\n"
	    "      netns: h\n"
	    "      host_routes: [ { prefix: 0.0.0.0/0, via: 10.1.1.1 } ]\n",
	    &diag, &nerr);
	CU_ASSERT_PTR_NOT_NULL(sc);
	CU_ASSERT_EQUAL(nerr, 0);
	free(diag);
	scenario_free(sc);

	/* a tagged interface: gw:vnet with a C-tag */
	snprintf(text, sizeof(text), "%s",
	    "name: t\n"
	    "duration: 1s\n"
	    "nodes:\n"
	    "  - name: vm\n"
	    "    role: azure-vm\n"
	    "    interfaces: [ { name: eth0, address: 10.1.1.4/24, vlan: 100 } ]\n"
	    "  - name: gw\n"
	    "    role: router\n"
	    "    interfaces: [ { name: vnet, address: 10.1.1.1/24, vlan: 100 } ]\n"
	    "links:\n"
	    "  - { name: vnet, a: \"vm:eth0\", b: \"gw:vnet\", rate: 1Gbps, delay: 1ms }\n"
	    "emulation:\n"
	    "  taps: [ { node: vm, iface: eth0, device: t0, netns: h } ]\n"
	    "  pcap_ifaces: [ { node: gw, iface: vnet, host_iface: veth0 } ]\n");
	diag = NULL;
	sc = load(text, &diag, &nerr);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT(has_error(diag, "13:30", "vm:eth0 is VLAN-tagged"));
	CU_ASSERT(has_error(diag, "14:37", "gw:vnet is VLAN-tagged"));
	if (nerr != 2)
		printf("\n%s", diag);
	CU_ASSERT_EQUAL(nerr, 2);
	free(diag);
	scenario_free(sc);
}

static void
test_run_refuses(void)
{
	struct scenario *sc;
	struct run_opts o = { 0 };
	char *diag, err[512];
	unsigned nerr = 0;

	sc = load_with("emulation:\n  taps:\n"
	    "    - { node: vm, iface: eth0, device: t0, netns: h }\n",
	    &diag, &nerr);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	CU_ASSERT_EQUAL(nerr, 0);
	free(diag);
	CU_ASSERT_PTR_NULL(run_new(sc, &o, err, sizeof(err)));
	CU_ASSERT(strstr(err, "emulation: 1 tap, 0 pcap interfaces") != NULL);
	CU_ASSERT(strstr(err, "run it with xcsim emulate") != NULL);
	scenario_free(sc);

	/* without attachments the section is nothing: the run builds */
	sc = load_with("emulation: { taps: [] }\n", &diag, &nerr);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	free(diag);
	{
		struct run *r = run_new(sc, &o, err, sizeof(err));

		CU_ASSERT_PTR_NOT_NULL(r);
		run_free(r);
	}
	scenario_free(sc);
}

int
main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{ "emulation section checks", test_checks },
		{ "xcsim run refuses attachments", test_run_refuses },
		{ "no default route without netns, no tagged interface",
		    test_host_namespace_and_tags },
		{ NULL, NULL }
	};

	scenario_models_init();
	return test_main(argc, argv, "emu_tap_scenario", cases);
}
