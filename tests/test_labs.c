/*
 * test_labs.c - the labs of scenarios/labs/ (issue 11, "The default
 * scenario and the labs"; guides in docs/labs/): every file there loads,
 * runs to its end with its own seed and passes every assertion, and every
 * timeline operation's compiled outcome is the one the file expects (a
 * mistake refused with its text, everything else succeeded), read from
 * the plan itself, not from the assertions' printout. Then, per lab, what
 * it teaches at exact simulated times: each mistake of lab 04 refused at
 * its step with the cloud's code, the failover of lab 03 with BFD and on
 * the hold timer, the teardown orders of lab 05.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "provision_int.h"
#include "scenario.h"
#include "scenario_models.h"
#include "scenario_testutil.h"
#include "testutil.h"

#define LABS	XCSIM_SOURCE_DIR "/scenarios/labs/"

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The lab files, sorted; *n gets their count (caller frees). */
static char **
lab_files(size_t *n)
{
	DIR *d = opendir(LABS);
	struct dirent *e;
	char **v = NULL;
	size_t len;

	*n = 0;
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	while ((e = readdir(d)) != NULL) {
		len = strlen(e->d_name);
		if (len < 6 || strcmp(e->d_name + len - 5, ".yaml") != 0)
			continue;
		v = realloc(v, (*n + 1) * sizeof(*v));
		CU_ASSERT_PTR_NOT_NULL_FATAL(v);
		v[(*n)++] = strdup(e->d_name);
	}
	closedir(d);
	if (*n > 0)
		qsort(v, *n, sizeof(*v), cmp_str);
	return v;
}

static struct scenario *
load_lab(const char *file)
{
	char path[512];
	unsigned n = 0;
	struct scenario *sc;

	snprintf(path, sizeof(path), "%s%s", LABS, file);
	sc = scenario_load_file(path, stderr, &n);
	if (sc == NULL)
		fprintf(stderr, "%s: %u errors\n", path, n);
	return sc;
}

/*
 * Every operation compiled as the file expects; returns how many
 * were expected refused (and were).
 */
static size_t
check_outcomes(const char *file, const struct prov_plan *p)
{
	size_t i, refused = 0;
	const struct prov_opr *o;

	for (i = 0; p != NULL && i < p->n_ops; i++) {
		o = &p->ops[i];
		CU_ASSERT_TRUE(o->done);
		if (o->expect_refused) {
			if (!o->refused || o->error == NULL ||
			    (o->expect_error != NULL &&
			    strstr(o->error, o->expect_error) == NULL))
				fprintf(stderr, "%s: %s %s: expected refused "
				    "with '%s', got %s\n", file,
				    prov_op_name[o->op], o->r->ident,
				    o->expect_error ? o->expect_error : "",
				    o->refused ? o->error : "succeeded");
			CU_ASSERT_TRUE(o->refused);
			CU_ASSERT_PTR_NOT_NULL_FATAL(o->error);
			if (o->expect_error != NULL)
				CU_ASSERT_PTR_NOT_NULL(strstr(o->error,
				    o->expect_error));
			refused++;
		} else {
			if (o->refused)
				fprintf(stderr, "%s: %s %s refused: %s\n",
				    file, prov_op_name[o->op], o->r->ident,
				    o->error);
			CU_ASSERT_FALSE(o->refused);
		}
	}
	return refused;
}

/* Load and run one lab; *out gets run_check's lines (caller frees). */
static struct scenario *
run_lab(const char *file, char **out)
{
	struct scenario *sc = load_lab(file);
	unsigned failed;

	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	failed = sc_run_to_end(sc, 0, NULL, out);
	if (failed != 0)
		fprintf(stderr, "%s:\n%s", file, *out);
	CU_ASSERT_EQUAL(failed, 0);
	CU_ASSERT_PTR_NULL(strstr(*out, ": FAIL: "));
	return sc;
}

/*
 * Every lab (01 too, when present) passes every assertion, and every
 * operation has the outcome its item expects. 02 to 05 are this branch's:
 * they must be there.
 */
static void
test_every_lab_passes(void)
{
	static const char *const must[] = { "02-", "03a-", "03b-", "04-",
	    "05a-", "05b-", "05c-" };
	size_t n, i, k, seen = 0;
	char **files = lab_files(&n), *out;
	struct scenario *sc;

	for (k = 0; k < sizeof(must) / sizeof(must[0]); k++) {
		for (i = 0; i < n; i++)
			if (strncmp(files[i], must[k], strlen(must[k])) == 0)
				break;
		if (i == n)
			fprintf(stderr, "no lab %s*.yaml\n", must[k]);
		CU_ASSERT_TRUE(i < n);
	}
	for (i = 0; i < n; i++) {
		out = NULL;
		sc = run_lab(files[i], &out);
		/* a lab that asserts nothing teaches nothing */
		CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS"));
		check_outcomes(files[i], prov_plan_of(sc));
		seen++;
		free(out);
		scenario_free(sc);
		free(files[i]);
	}
	free(files);
	CU_ASSERT_TRUE(seen >= 7);
}

/* The operation of p on resource ident that starts at `at`. */
static const struct prov_opr *
op_at(const struct prov_plan *p, enum prov_op op, const char *ident,
    sim_time at)
{
	size_t i;

	for (i = 0; i < p->n_ops; i++)
		if (p->ops[i].op == op && p->ops[i].start == at &&
		    strcmp(p->ops[i].r->ident, ident) == 0)
			return &p->ops[i];
	fprintf(stderr, "no %s %s at %lld ns\n", prov_op_name[op], ident,
	    (long long)at);
	return NULL;
}

/* op refused, with each of the texts in its error. */
static void
refused_with(const struct prov_opr *o, const char *code, const char *why)
{
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	CU_ASSERT_TRUE_FATAL(o->refused);
	CU_ASSERT_PTR_NOT_NULL_FATAL(o->error);
	CU_ASSERT_PTR_NOT_NULL(strstr(o->error, code));
	CU_ASSERT_PTR_NOT_NULL(strstr(o->error, why));
}

/*
 * Lab 04: each mistake refused at its step (seed 1: the times are the
 * plan's), with the cloud's code and reason, and what the refusal leaves.
 */
static void
test_mistakes_refused(void)
{
	struct scenario *sc = load_lab("04-common-mistakes.yaml");
	const struct prov_plan *p;
	const struct prov_res *r;

	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	p = prov_plan_of(sc);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(check_outcomes("04", p), 7);
	/* A: at 1m, the gateway's subnet misnamed (1.6) */
	refused_with(op_at(p, PROV_CREATE,
	    "virtual_network_gateways/lab-gw", SIM_S(60)),
	    "'Gatewaysubnet'", "must be named exactly GatewaySubnet");
	/* B: a minute after the circuit's create completes (136.350821471 s) */
	refused_with(op_at(p, PROV_CREATE, "virtual_circuits/vc-typo",
	    SIM_S(196) + 350821471), "404-NotAuthorizedOrNotFound",
	    "no ExpressRoute circuit has service key 'er-ashbrun'");
	/* C: two minutes after er-second's create completes (83.450853532 s) */
	refused_with(op_at(p, PROV_CREATE, "virtual_circuits/vc-2g",
	    SIM_S(203) + 450853532), "400-InvalidParameter",
	    "'2 Gbps' differs from ExpressRoute circuit 'er-second', "
	    "1000 Mbps");
	/* D: a minute after the gateway's pinned 45m */
	refused_with(op_at(p, PROV_CREATE, "connections/app-er",
	    SIM_S(2774) + 53278502), "connection 'app-er'",
	    "serviceProviderProvisioningState NotProvisioned");
	/* E: before the provider's Provisioned, then the reserved ASN */
	refused_with(op_at(p, PROV_CREATE,
	    "peerings/er-equinix/AzurePrivatePeering", SIM_S(300)),
	    "circuit 'er-equinix'", "only once serviceProviderProvisioning"
	    "State is Provisioned, it is NotProvisioned");
	refused_with(op_at(p, PROV_CREATE,
	    "peerings/er-equinix/AzurePrivatePeering", SIM_S(1251) +
	    275706612), "peer_asn 65515", "reserved by Microsoft");
	/* F: the decrease at 75m: InternalError and Failed from then */
	refused_with(op_at(p, PROV_UPDATE, "express_route_circuits/er-ashburn",
	    SIM_S(4500)), "InternalError", "cannot be decreased");
	r = prov_find_res(p, "express_route_circuits", "er-ashburn");
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_STRING_EQUAL(prov_get(p, r, "provisioningState",
	    SIM_S(4500) - 1), "Succeeded");
	CU_ASSERT_STRING_EQUAL(prov_get(p, r, "provisioningState",
	    SIM_S(4500)), "Failed");
	CU_ASSERT_STRING_EQUAL(prov_get(p, r, "bandwidthInMbps",
	    SIM_S(4700)), "1000");
	/* the refused virtual circuits never moved their circuit */
	r = prov_find_res(p, "express_route_circuits", "er-second");
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_STRING_EQUAL(prov_get(p, r,
	    "serviceProviderProvisioningState", SIM_S(4700)),
	    "NotProvisioned");
	scenario_free(sc);
}

/*
 * Lab 03: the same cut at 120 s, with BFD (300 ms x 3) and on the hold
 * timer (180 s); the gateway's route to the database subnet moves to
 * msee-secondary at exactly these instants (seed 1), and the outage seen
 * by a ping every 100 ms is 7 probes against 1394.
 */
static void
test_failover_difference(void)
{
	char *out = NULL;
	struct scenario *sc;

	sc = run_lab("03a-failover-bfd.yaml", &out);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "via 169.254.240.6 at "
	    "120.691586694s (+691.586694ms)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "ping-fails ping [120s, 120.7s): "
	    "0/7 replies"));
	free(out);
	scenario_free(sc);
	out = NULL;
	sc = run_lab("03b-failover-hold.yaml", &out);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "via 169.254.240.6 at "
	    "295.259473173s (+175.259473173s)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "ping-fails ping [120s, 259.4s): "
	    "0/1394 replies"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "connection-fails query: 1 failed "
	    "(first: timed-out)"));
	free(out);
	scenario_free(sc);
}

/*
 * Lab 05: the circuit first is refused twice and left Failed; the
 * virtual circuit before the connection leaves it Failed from the
 * delete's start; the right order never does.
 */
static void
test_teardown_orders(void)
{
	struct scenario *sc = load_lab("05a-teardown-circuit-first.yaml");
	const char *ckt = "express_route_circuits/er-ashburn";
	const struct prov_plan *p;
	const struct prov_res *r;
	size_t i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	p = prov_plan_of(sc);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	refused_with(op_at(p, PROV_DELETE, ckt, SIM_S(120)), "still has 1 "
	    "connection", "unlinked");
	refused_with(op_at(p, PROV_DELETE, ckt, SIM_S(495) + 383751753),
	    "ConflictError", "not in Deprovisioned state");
	r = prov_find_res(p, "express_route_circuits", "er-ashburn");
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_STRING_EQUAL(prov_get(p, r, "provisioningState",
	    SIM_S(120)), "Failed");
	scenario_free(sc);

	sc = load_lab("05b-teardown-vc-first.yaml");
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	p = prov_plan_of(sc);
	CU_ASSERT_EQUAL(check_outcomes("05b", p), 0);
	r = prov_find_res(p, "express_route_circuits", "er-ashburn");
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_STRING_EQUAL(prov_get(p, r, "provisioningState",
	    SIM_S(300) - 1), "Succeeded");
	CU_ASSERT_STRING_EQUAL(prov_get(p, r, "provisioningState",
	    SIM_S(300)), "Failed");
	CU_ASSERT_STRING_EQUAL(prov_get(p, r, "provisioningState",
	    SIM_S(2399)), "Failed");
	scenario_free(sc);

	sc = load_lab("05c-teardown-right-order.yaml");
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	p = prov_plan_of(sc);
	CU_ASSERT_EQUAL(check_outcomes("05c", p), 0);
	CU_ASSERT_EQUAL(p->n_ops, 3);
	r = prov_find_res(p, "express_route_circuits", "er-ashburn");
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	/* never Failed, at any change of the plan */
	for (i = 0; i < p->n_ops; i++) {
		const char *v = prov_get(p, r, "provisioningState",
		    p->ops[i].end);

		CU_ASSERT_TRUE(v == NULL || strcmp(v, "Failed") != 0);
	}
	CU_ASSERT_FALSE(prov_exists(p, r, SIM_S(2399)));
	scenario_free(sc);
}

static const struct test_case cases[] = {
	{ "every lab passes, each operation as it expects",
	    test_every_lab_passes },
	{ "lab 04: each mistake refused at its step", test_mistakes_refused },
	{ "lab 03: failover with BFD vs the hold timer",
	    test_failover_difference },
	{ "lab 05: teardown in the wrong and right orders",
	    test_teardown_orders },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	scenario_models_init();
	return test_main(argc, argv, "labs", cases);
}
