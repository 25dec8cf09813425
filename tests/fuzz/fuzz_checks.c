/*
 * fuzz_checks.c - libFuzzer target for the checks file of xcsim run
 * --check (models/scenario/scenario_checks.h): the input is a checks file,
 * graded against a fixed scenario (two hosts, two BGP routers, an acl, a
 * ping, a resource, an alias, a link cut), so the names a check gives may
 * resolve or not.
 *
 * Any input must load or be rejected with diagnostics; when it loads, the
 * run is built with the checks appended to the scenario's assertions, run
 * to its end, judged and reported (text and JSON, to /dev/null): no
 * crash, no out-of-bounds access, no leak, and the points add up.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "scenario.h"
#include "scenario_checks.h"
#include "scenario_models.h"
#include "scenario_run.h"
#include "sim.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char scen[] =
    "duration: 10s\n"
    "nodes:\n"
    "  - { name: h1, role: host, interfaces: [{ name: e0, address: 10.0.1.2/24 }], routes: [{ prefix: 0.0.0.0/0, via: 10.0.1.1 }] }\n"
    "  - { name: r1, role: router, interfaces: [{ name: e0, address: 10.0.1.1/24 }, { name: e1, address: 10.0.0.1/30 }] }\n"
    "  - { name: r2, role: router, interfaces: [{ name: e0, address: 10.0.0.2/30 }, { name: e1, address: 10.0.2.1/24 }] }\n"
    "  - { name: h2, role: host, interfaces: [{ name: e0, address: 10.0.2.2/24 }], routes: [{ prefix: 0.0.0.0/0, via: 10.0.2.1 }] }\n"
    "links:\n"
    "  - { name: l1, a: h1:e0, b: r1:e0, delay: 1ms }\n"
    "  - { name: l0, a: r1:e1, b: r2:e0, delay: 1ms }\n"
    "  - { name: l2, a: r2:e1, b: h2:e0, delay: 1ms }\n"
    "bgp:\n"
    "  - { node: r1, asn: 65001, networks: [{ prefix: 10.0.1.0/24 }], neighbors: [{ address: 10.0.0.2, remote_as: 65002, hold: 3s, keepalive: 1s }] }\n"
    "  - { node: r2, asn: 65002, networks: [{ prefix: 10.0.2.0/24 }], neighbors: [{ address: 10.0.0.1, remote_as: 65001, hold: 3s, keepalive: 1s }] }\n"
    "acls:\n"
    "  - name: r2-in\n"
    "    rules:\n"
    "      - { name: deny-ssh, direction: outbound, priority: 100, protocol: tcp, destination_ports: \"22\", action: deny }\n"
    "      - { name: allow-rest, direction: outbound, priority: 200 }\n"
    "      - { name: allow-out, direction: inbound, priority: 200 }\n"
    "acl_bindings:\n"
    "  - { node: r2, iface: e0, acls: [r2-in] }\n"
    "apps:\n"
    "  - { name: p, type: ping, node: h1, dst: h2, start: 1s, interval: 100ms, count: 15 }\n"
    "events:\n"
    "  - { at: 2s, action: link-down, link: l0 }\n"
    "resources:\n"
    "  - name: circuits/c1\n"
    "    type: Circuit\n"
    "    nodes: [r1]\n"
    "    states:\n"
    "      - { at: 0s, field: state, value: Provisioning }\n"
    "      - { at: 1s, field: state, value: Provisioned }\n"
    "aliases:\n"
    "  - { name: r1-table, node: r1, what: the routing table of r1 }\n";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	struct sc_src s = { "s.yaml", scen, sizeof(scen) - 1, NULL },
	    c = { "c.yaml", (const char *)data, size, NULL };
	struct run_opts o = { 0 };
	struct scenario *sc;
	struct sc_checks *ck;
	struct run *r;
	unsigned long got, max;
	unsigned failed;
	char err[256];
	size_t i, n_pass = 0;

	if (devnull == NULL) {
		if ((devnull = fopen("/dev/null", "w")) == NULL)
			return 0;
		scenario_models_init();
	}
	if (sc_checks_load(&s, &c, devnull, &sc, &ck) != 0)
		return 0;
	if ((r = run_new(sc, &o, err, sizeof(err))) == NULL)
		__builtin_trap();	/* the scenario is fixed and good */
	while (run_advance(r, SIM_TIME_MAX))
		;
	failed = sc_checks_judge(ck, r);
	sc_checks_total(ck, &got, &max);
	for (i = 0; i < sc_checks_count(ck); i++)
		n_pass += sc_checks_passed(ck, i);
	if (n_pass + failed != sc_checks_count(ck) || got > max)
		__builtin_trap();
	sc_checks_print(ck, false, devnull);
	sc_checks_json(ck, devnull);
	run_free(r);
	sc_checks_free(ck);
	scenario_free(sc);
	return 0;
}
