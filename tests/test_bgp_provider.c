/*
 * test_bgp_provider.c - the bgp section's transport providers
 * (bgp_sc_register_provider, models/bgp/bgp_scenario.h), the seam through
 * which emulation puts a speaker on real sockets without models/bgp
 * knowing of it: providers asked in registration order, the first host
 * given wins, NULL falls through to the simulated TCP, a provider once
 * only, unregistering; and a run asking them for every speaker's node, in
 * file order, at the build (offline: the emulation section's provider
 * gives nothing, the sessions come up on the simulated TCP); a provider
 * whose section comes after bgp (or is not registered) stops the build
 * (SIM_ASSERT: its hosts would be freed before the speakers). Each case
 * works on the registry as it finds it and leaves it so (any order).
 */
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

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

/* test providers give no host a section owns: "nodes" stands in */
static const struct bgp_sc_provider p_null = { .name = "null",
	.host = host_null, .section = "nodes" };
static const struct bgp_sc_provider p_a = { .name = "a", .host = host_a,
	.section = "nodes" };
static const struct bgp_sc_provider p_log = { .name = "log",
	.host = host_log, .section = "nodes" };

/*
 * Takes every registered provider out (an earlier case's
 * scenario_models_init registers emulation's), into saved; how many.
 */
static size_t
providers_take(const struct bgp_sc_provider **saved)
{
	size_t n = 0;

	while ((saved[n] = bgp_sc_provider_at(0)) != NULL)
		bgp_sc_unregister_provider(saved[n++]);
	return n;
}

static void
providers_put_back(const struct bgp_sc_provider **saved, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		CU_ASSERT_EQUAL(bgp_sc_register_provider(saved[i]), 0);
}

static void
test_registry(void)
{
	static const struct bgp_sc_provider extra[BGP_SC_PROVIDERS_MAX] = {
		{ .name = "x0", .host = host_null, .section = "nodes" },
		{ .name = "x1", .host = host_null, .section = "nodes" },
		{ .name = "x2", .host = host_null, .section = "nodes" },
		{ .name = "x3", .host = host_null, .section = "nodes" } };
	const struct bgp_sc_provider *saved[BGP_SC_PROVIDERS_MAX + 1];
	static char na, nb;
	const struct node *a = (const struct node *)(void *)&na;
	const struct node *b = (const struct node *)(void *)&nb;
	size_t n_saved = providers_take(saved);
	int i, ok = 0;

	node_a = a;
	CU_ASSERT_PTR_NULL(bgp_sc_provider_at(0));
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
	CU_ASSERT_PTR_EQUAL(bgp_sc_provider_at(0), &p_null);
	CU_ASSERT_PTR_EQUAL(bgp_sc_provider_at(1), &p_a);
	CU_ASSERT_PTR_NULL(bgp_sc_provider_at(2));
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
	CU_ASSERT_PTR_NULL(bgp_sc_provider_at(0));
	providers_put_back(saved, n_saved);
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

static const char two_speakers[] = "name: t\n"
    "duration: 5s\n"
    "nodes:\n"
    "  - { name: r1, role: router, interfaces: [{ name: x, address: "
    "10.0.0.1/30 }] }\n"
    "  - { name: r2, role: router, interfaces: [{ name: x, address: "
    "10.0.0.2/30 }] }\n"
    "links:\n"
    "  - { name: l, a: \"r1:x\", b: \"r2:x\", rate: 1Gbps, delay: 1ms }\n"
    "bgp:\n"
    "  - { node: r1, asn: 65001, neighbors: [{ address: 10.0.0.2, "
    "remote_as: 65002 }] }\n"
    "  - { node: r2, asn: 65002, neighbors: [{ address: 10.0.0.1, "
    "remote_as: 65001 }] }\n";

/* A section registered after bgp, as a misordered provider's would be. */
struct late_item {
	char *name;
	struct sc_loc loc;
	struct sc_loc vloc[1];
	uint64_t keys[SC_KEYS_WORDS(1)];
};

static const struct sc_field late_fields[] = {
	{ "name", SC_FT_NAME, SC_AT(struct late_item, name), .required = true,
		.doc = "its name" },
};

static const struct sc_table late_table = {
	"late-host", "Nothing.", late_fields, SC_NFIELDS(late_fields),
	sizeof(struct late_item), offsetof(struct late_item, loc),
	offsetof(struct late_item, vloc), offsetof(struct late_item, keys), -1
};

static const struct sc_section late_section = {
	.name = "late_hosts", .doc = "a section registered after bgp",
	.table = &late_table, .list = true, .phase = SC_PHASE_NET,
};

/*
 * In a child: a run with a provider whose section is section (NULL: none
 * named). Whether the child died of SIGABRT (the bgp build's SIM_ASSERT),
 * else its exit status is in *code.
 */
static bool
run_aborts(const char *section, int *code)
{
	pid_t pid;
	int st = 0;

	fflush(NULL);
	pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0) {
		static struct bgp_sc_provider p = { .name = "misordered",
			.host = host_null };
		struct scenario *sc;
		char *diag = NULL, *out = NULL;
		unsigned n = 0;

		/* the SIM_ASSERT message is the point; keep the log quiet */
		if (freopen("/dev/null", "w", stderr) == NULL)
			_exit(90);
		scenario_models_init();
		if (scenario_register_section(&late_section) < 0)
			_exit(91);
		p.section = section;
		if (bgp_sc_register_provider(&p) < 0)
			_exit(92);
		if ((sc = load(two_speakers, &diag, &n)) == NULL)
			_exit(93);
		_exit(sc_run_to_end(sc, 0, NULL, &out) == 0 ? 0 : 94);
	}
	CU_ASSERT_FATAL(waitpid(pid, &st, 0) == pid);
	*code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	return WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT;
}

static void
test_provider_order(void)
{
	int code = -1;

	/* a section before bgp (emulation's is): the run goes ahead */
	CU_ASSERT_FALSE(run_aborts("nodes", &code));
	CU_ASSERT_EQUAL(code, 0);
	CU_ASSERT_FALSE(run_aborts("emulation", &code));
	CU_ASSERT_EQUAL(code, 0);
	/* after bgp, unknown, or none: its hosts could die first */
	CU_ASSERT_TRUE(run_aborts("late_hosts", &code));
	CU_ASSERT_TRUE(run_aborts("no_such_section", &code));
	CU_ASSERT_TRUE(run_aborts(NULL, &code));
}

static const struct test_case cases[] = {
	{ "providers: order, fall-through, once, full, unregister",
	    test_registry },
	{ "a run asks the providers for each speaker's node", test_run_asks },
	{ "a provider's section must come before bgp", test_provider_order },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "bgp_provider", cases);
}
