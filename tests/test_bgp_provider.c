/*
 * test_bgp_provider.c - the bgp section's transport providers
 * (bgp_sc_register_provider, models/bgp/bgp_scenario.h), the seam through
 * which emulation puts a speaker on real sockets without models/bgp
 * knowing of it: providers asked in registration order, the first host
 * given wins, NULL falls through to the simulated TCP, a provider once
 * only, unregistering; and a run asking them for every speaker's node, in
 * file order, at the build (offline: the emulation section's provider
 * gives nothing, the sessions come up on the simulated TCP).
 */
#include <string.h>

#include "bgp_scenario.h"
#include "net.h"
#include "scenario.h"
#include "scenario_models.h"
#include "scenario_run.h"
#include "scenario_section.h"
#include "scenario_testutil.h"
#include "testutil.h"

static int calls_null;
static const struct node *node_a;
static char host_a_storage;	/* stands for a host: never dereferenced */
#define HOST_A ((struct stream_host *)(void *)&host_a_storage)
static char asked[8][16];
static int n_asked;

static struct stream_host *
host_null(const struct sc_build *b, const struct node *n)
{
	(void)b;
	(void)n;
	calls_null++;
	return NULL;
}

static struct stream_host *
host_a(const struct sc_build *b, const struct node *n)
{
	(void)b;
	return n == node_a ? HOST_A : NULL;
}

/* Records which nodes the bgp section asks about. */
static struct stream_host *
host_log(const struct sc_build *b, const struct node *n)
{
	(void)b;
	if (n_asked < 8)
		snprintf(asked[n_asked++], sizeof(asked[0]), "%s",
		    node_name(n));
	return NULL;
}

static const struct bgp_sc_provider p_null = { "null", host_null };
static const struct bgp_sc_provider p_a = { "a", host_a };
static const struct bgp_sc_provider p_log = { "log", host_log };

static void
test_registry(void)
{
	static const struct bgp_sc_provider extra[BGP_SC_PROVIDERS_MAX] = {
		{ "x0", host_null }, { "x1", host_null }, { "x2", host_null },
		{ "x3", host_null } };
	static char na, nb;
	const struct node *a = (const struct node *)(void *)&na;
	const struct node *b = (const struct node *)(void *)&nb;
	int i, ok = 0;

	node_a = a;
	calls_null = 0;
	CU_ASSERT_PTR_NULL(bgp_sc_provider_host(NULL, a));
	CU_ASSERT_EQUAL(bgp_sc_register_provider(&p_null), 0);
	CU_ASSERT_EQUAL(bgp_sc_register_provider(&p_a), 0);
	CU_ASSERT_EQUAL(bgp_sc_register_provider(&p_null), -1);
	/* p_null first, gives nothing; p_a gives a's host */
	CU_ASSERT_PTR_EQUAL(bgp_sc_provider_host(NULL, a), HOST_A);
	CU_ASSERT_EQUAL(calls_null, 1);
	CU_ASSERT_PTR_NULL(bgp_sc_provider_host(NULL, b));
	CU_ASSERT_EQUAL(calls_null, 2);
	/* full at BGP_SC_PROVIDERS_MAX */
	for (i = 0; i < BGP_SC_PROVIDERS_MAX; i++)
		ok += bgp_sc_register_provider(&extra[i]) == 0;
	CU_ASSERT_EQUAL(ok, BGP_SC_PROVIDERS_MAX - 2);
	for (i = 0; i < BGP_SC_PROVIDERS_MAX; i++)
		bgp_sc_unregister_provider(&extra[i]);
	bgp_sc_unregister_provider(&p_a);
	CU_ASSERT_PTR_NULL(bgp_sc_provider_host(NULL, a));
	bgp_sc_unregister_provider(&p_null);
	calls_null = 0;
	CU_ASSERT_PTR_NULL(bgp_sc_provider_host(NULL, a));
	CU_ASSERT_EQUAL(calls_null, 0);
	/* unregistering what is not there is harmless */
	bgp_sc_unregister_provider(&p_null);
}

static void
test_run_asks(void)
{
	struct scenario *sc;
	char *diag = NULL, *out = NULL;
	unsigned n = 0;

	scenario_models_init();
	n_asked = 0;
	CU_ASSERT_EQUAL_FATAL(bgp_sc_register_provider(&p_log), 0);
	sc = load("name: t\n"
	    "duration: 5s\n"
	    "nodes:\n"
	    "  - { name: r1, role: router, interfaces: [{ name: x, address: "
	    "10.0.0.1/30 }] }\n"
	    "  - { name: h, role: host, interfaces: [{ name: x, address: "
	    "10.0.1.1/30 }] }\n"
	    "  - { name: r2, role: router, interfaces: [{ name: x, address: "
	    "10.0.0.2/30 }] }\n"
	    "links:\n"
	    "  - { name: l, a: \"r1:x\", b: \"r2:x\", rate: 1Gbps, delay: "
	    "1ms }\n"
	    "bgp:\n"
	    "  - { node: r2, asn: 65002, neighbors: [{ address: 10.0.0.1, "
	    "remote_as: 65001 }] }\n"
	    "  - { node: r1, asn: 65001, neighbors: [{ address: 10.0.0.2, "
	    "remote_as: 65002 }] }\n"
	    "assertions:\n"
	    "  - { kind: bgp-established, node: r1, peer: 10.0.0.2, by: 1s }\n",
	    &diag, &n);
	if (sc == NULL)
		fputs(diag, stderr);
	free(diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	/* nothing given: the simulated TCP, and the session comes up */
	CU_ASSERT_EQUAL(sc_run_to_end(sc, 0, NULL, &out), 0);
	free(out);
	/* asked once per speaker, in the bgp section's order */
	CU_ASSERT_EQUAL(n_asked, 2);
	CU_ASSERT_STRING_EQUAL(asked[0], "r2");
	CU_ASSERT_STRING_EQUAL(asked[1], "r1");
	bgp_sc_unregister_provider(&p_log);
	scenario_free(sc);
}

static const struct test_case cases[] = {
	{ "providers: order, fall-through, once, full, unregister",
	    test_registry },
	{ "a run asks the providers for each speaker's node", test_run_asks },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "bgp_provider", cases);
}
