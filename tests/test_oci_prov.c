/*
 * test_oci_prov.c - the oci section's resources on the provisioning
 * timeline (models/oci/oci_prov.c, docs/oci.md "Provisioning"), read from
 * the plan the timeline compiles (provision_int.h):
 * - the virtual circuit's lifecycleState, providerState and bgpAdminState
 *   through create (PENDING_PROVIDER while the circuit's own create runs),
 *   disable, enable and delete (2.1, 2.9), and the ExpressRoute circuit's
 *   serviceProviderProvisioningState it moves (1.2, 3.1);
 * - OCI's 404 at the create of a virtual circuit whose key names a circuit
 *   that does not exist then, and for a key naming none at all (B2);
 * - 404 and 409 refusals of the other resources at their step (B6);
 * - the settled states without a timeline; the same seed, the same times;
 * - the gates the expansion puts on a virtual circuit created at 10m.
 * The circuit is a stand-in registered here (the azure model's own is on
 * another branch): express_route_circuits/er1 with ARM's default create.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "provision.h"
#include "provision_int.h"
#include "scenario_expand.h"
#include "scenario_models.h"
#include "scenario_testutil.h"
#include "testutil.h"

#include "oci_testutil.h"

/*
 * There from time zero, the azure model settles an Oracle circuit with a
 * virtual circuit Provisioned (its own tests run without the oci model's
 * control plane); the VC's create, on the timeline, corrects that.
 */
static void
stand_in_initial(struct prov_ctx *c, struct prov_res *r)
{
	prov_set(c, r, 0, "serviceProviderProvisioningState", "Provisioned");
	prov_set(c, r, 0, "bandwidthInMbps", "1000");
}

static const struct prov_type stand_in = {
	.key = "express_route_circuits", .type = "ExpressRouteCircuit",
	.cloud = "test", .initial = stand_in_initial,
	.create_lo = SIM_S(60), .create_hi = SIM_S(60),
	.delete_lo = SIM_S(60), .delete_hi = SIM_S(60),
};

static void
stand_in_resources(struct prov_plan *p, const struct scenario *sc)
{
	struct sc_loc at = { 1, 1 };

	/* the circuit the oci section's key er1 names (its MSEEs by hand) */
	(void)sc;
	prov_add(p, &stand_in, "er1", at, NULL);
}

static const struct prov_cloud stand_in_cloud = {
	.name = "test", .resources = stand_in_resources,
};

#define M(x) SIM_S(60 * (x))

/* base and a timeline (caller frees). */
static char *
with_timeline(const char *timeline)
{
	size_t n = strlen(base) + strlen(timeline) + 16;
	char *s = malloc(n);

	snprintf(s, n, "%stimeline:\n%s", base, timeline);
	return s;
}

static struct scenario *
load_ok(const char *text)
{
	char *diag = NULL;
	unsigned n = 0;
	struct scenario *sc = load(text, &diag, &n);

	if (sc == NULL || n != 0)
		fprintf(stderr, "%s\n", diag);
	free(diag);
	CU_ASSERT_EQUAL(n, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	return sc;
}

static struct prov_plan *
plan_of(const struct scenario *sc)
{
	struct prov_plan *p = prov_plan_of(sc);

	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	return p;
}

static struct prov_res *
res(const struct prov_plan *p, const char *key, const char *name)
{
	struct prov_res *r = prov_find_res(p, key, name);

	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	return r;
}

/* field of KEY/NAME at t is want (NULL: none). */
static bool
is(const struct prov_plan *p, const char *key, const char *name,
    const char *field, sim_time t, const char *want)
{
	const char *v = prov_get(p, res(p, key, name), field, t);

	if (v == NULL || want == NULL) {
		if (v != want)
			fprintf(stderr, "%s/%s %s at %lld: %s, want %s\n", key,
			    name, field, (long long)t, v ? v : "(none)",
			    want ? want : "(none)");
		return v == want;
	}
	if (strcmp(v, want) != 0)
		fprintf(stderr, "%s/%s %s at %lld: %s, want %s\n", key, name,
		    field, (long long)t, v, want);
	return strcmp(v, want) == 0;
}

static bool
carries(const struct prov_plan *p, const char *key, const char *name,
    sim_time t)
{
	return prov_steps_at(&res(p, key, name)->carry, t);
}

/* What `xcsim expand` prints for text (a file in /tmp); caller frees. */
static char *
expansion(const char *text)
{
	char path[] = "/tmp/test_oci_prov_XXXXXX";
	char *out = NULL;
	size_t len = 0;
	FILE *f, *o;
	int fd = mkstemp(path);

	CU_ASSERT_FATAL(fd >= 0);
	f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
	o = open_memstream(&out, &len);
	CU_ASSERT_EQUAL(scenario_expand_print(path, o, stderr), 0);
	fclose(o);
	unlink(path);
	return out;
}

static unsigned
count(const char *hay, const char *needle)
{
	unsigned n = 0;

	for (; (hay = strstr(hay, needle)) != NULL; hay++)
		n++;
	return n;
}

#define VC "virtual_circuits", "vc1"
#define CKT "express_route_circuits", "er1"

/*
 * 2.1, 2.9, 1.2, 3.1, 3.5: create while the circuit's own create runs
 * (PENDING_PROVIDER), PROVISIONING with the circuit Provisioning,
 * PROVISIONED with it Provisioned; disable, enable; delete with the
 * circuit Deprovisioning -> NotProvisioned. Durations given, so exact.
 */
static void
test_vc_states(void)
{
	char *text = with_timeline(
	    "  - {id: ckt, at: 0s, create: express_route_circuits/er1, "
	    "duration: 2m}\n"
	    "  - {id: vc, at: 30s, create: virtual_circuits/vc1, "
	    "duration: 5m}\n"
	    "  - {at: 10m, disable: virtual_circuits/vc1, duration: 20s}\n"
	    "  - {at: 12m, enable: virtual_circuits/vc1, duration: 1m}\n"
	    "  - {at: 20m, delete: virtual_circuits/vc1, duration: 2m}\n");
	struct scenario *sc = load_ok(text);
	struct prov_plan *p = plan_of(sc);
	size_t i;

	CU_ASSERT_EQUAL_FATAL(p->n_ops, 5);
	for (i = 0; i < p->n_ops; i++)
		CU_ASSERT_FALSE(p->ops[i].refused);
	/* not there before its create */
	CU_ASSERT_FALSE(prov_exists(p, res(p, VC), SIM_S(29)));
	CU_ASSERT(is(p, VC, "lifecycleState", SIM_S(29), NULL));
	/* 2.1: waiting for the provider while the circuit is created */
	CU_ASSERT(is(p, VC, "lifecycleState", SIM_S(30), "PENDING_PROVIDER"));
	CU_ASSERT(is(p, VC, "providerState", SIM_S(30), "INACTIVE"));
	CU_ASSERT(is(p, VC, "bgpAdminState", SIM_S(30), "ENABLED"));
	CU_ASSERT(is(p, VC, "lifecycleState", M(2) - 1, "PENDING_PROVIDER"));
	CU_ASSERT(is(p, CKT, "serviceProviderProvisioningState", M(2) - 1,
	    NULL));
	/* 1.2: the provider works */
	CU_ASSERT(is(p, VC, "lifecycleState", M(2), "PROVISIONING"));
	CU_ASSERT(is(p, CKT, "serviceProviderProvisioningState", M(2),
	    "Provisioning"));
	CU_ASSERT(is(p, VC, "lifecycleState", M(7) - 1, "PROVISIONING"));
	CU_ASSERT(is(p, VC, "providerState", M(7) - 1, "INACTIVE"));
	CU_ASSERT(is(p, VC, "lifecycleState", M(7), "PROVISIONED"));
	CU_ASSERT(is(p, VC, "providerState", M(7), "ACTIVE"));
	CU_ASSERT(is(p, CKT, "serviceProviderProvisioningState", M(7),
	    "Provisioned"));
	CU_ASSERT_EQUAL(p->ops[1].end, M(7));
	CU_ASSERT_FALSE(carries(p, VC, M(7) - 1));
	CU_ASSERT(carries(p, VC, M(7)));
	/* 2.9: bgpAdminState DISABLED -> INACTIVE; carries no more at once */
	CU_ASSERT(is(p, VC, "bgpAdminState", M(10), "DISABLED"));
	CU_ASSERT(is(p, VC, "lifecycleState", M(10), "PROVISIONED"));
	CU_ASSERT_FALSE(carries(p, VC, M(10)));
	CU_ASSERT(is(p, VC, "lifecycleState", M(10) + SIM_S(20),
	    "INACTIVE"));
	/* the circuit stays Provisioned while the VC is only disabled */
	CU_ASSERT(is(p, CKT, "serviceProviderProvisioningState", M(11),
	    "Provisioned"));
	/* enable: back through PROVISIONING */
	CU_ASSERT(is(p, VC, "bgpAdminState", M(12), "ENABLED"));
	CU_ASSERT(is(p, VC, "lifecycleState", M(12), "PROVISIONING"));
	CU_ASSERT(is(p, VC, "lifecycleState", M(13), "PROVISIONED"));
	CU_ASSERT(carries(p, VC, M(13)));
	/* delete: TERMINATING -> TERMINATED, the circuit deprovisioned */
	CU_ASSERT(is(p, VC, "lifecycleState", M(20), "TERMINATING"));
	CU_ASSERT(is(p, VC, "providerState", M(20), "INACTIVE"));
	CU_ASSERT_FALSE(carries(p, VC, M(20)));
	CU_ASSERT(is(p, CKT, "serviceProviderProvisioningState", M(20),
	    "Deprovisioning"));
	CU_ASSERT(is(p, VC, "lifecycleState", M(22), "TERMINATED"));
	CU_ASSERT(is(p, CKT, "serviceProviderProvisioningState", M(22),
	    "NotProvisioned"));
	CU_ASSERT(prov_exists(p, res(p, VC), M(22) - 1));
	CU_ASSERT_FALSE(prov_exists(p, res(p, VC), M(22)));
	CU_ASSERT_EQUAL(p->ops[4].end, M(22));
	scenario_free(sc);
	free(text);
}

/*
 * B6: an operation while an earlier one is still under way is refused
 * (409 "invalid state"): a delete while the circuit is being disabled
 * (bgpAdminState DISABLED, not yet INACTIVE) or still PENDING_PROVIDER, a
 * subnet's delete while it is PROVISIONING.
 */
static void
test_in_progress(void)
{
	char *text = with_timeline(
	    "  - {id: ckt, at: 0s, create: express_route_circuits/er1, "
	    "duration: 2m}\n"
	    "  - {at: 30s, create: virtual_circuits/vc1, duration: 5m}\n"
	    "  - {at: 1m, delete: virtual_circuits/vc1,\n"
	    "     expect: {error: 409-IncorrectState}}\n"
	    "  - {at: 10m, disable: virtual_circuits/vc1, duration: 1m}\n"
	    "  - {at: 630s, delete: virtual_circuits/vc1,\n"
	    "     expect: {error: 409-IncorrectState}}\n"
	    "  - {at: 11m, delete: virtual_circuits/vc1, duration: 1m}\n"
	    "  - {at: 0s, create: subnets/db-vcn/app, duration: 20s}\n"
	    "  - {at: 10s, delete: subnets/db-vcn/app,\n"
	    "     expect: {error: 409-IncorrectState}}\n");
	struct scenario *sc = load_ok(text);
	struct prov_plan *p = plan_of(sc);

	CU_ASSERT_EQUAL_FATAL(p->n_ops, 8);
	CU_ASSERT(p->ops[2].refused);
	CU_ASSERT_PTR_NOT_NULL(strstr(p->ops[2].error, "409-IncorrectState: "
	    "virtual circuit 'vc1' is in an invalid state PENDING_PROVIDER "
	    "(B6): an earlier operation on it is still in progress"));
	CU_ASSERT(p->ops[4].refused);
	CU_ASSERT_PTR_NOT_NULL(strstr(p->ops[4].error, "invalid state "
	    "PROVISIONED (B6): an earlier operation on it is still in "
	    "progress"));
	/* once INACTIVE (11m) the delete goes through, the history whole */
	CU_ASSERT_FALSE(p->ops[5].refused);
	CU_ASSERT(is(p, VC, "lifecycleState", M(11) - 1, "PROVISIONED"));
	CU_ASSERT(is(p, VC, "lifecycleState", M(11), "TERMINATING"));
	CU_ASSERT(is(p, VC, "lifecycleState", M(12), "TERMINATED"));
	CU_ASSERT(p->ops[7].refused);
	CU_ASSERT_PTR_NOT_NULL(strstr(p->ops[7].error, "409-IncorrectState: "
	    "Subnet 'db-vcn/app' is in an invalid state PROVISIONING (B6)"));
	scenario_free(sc);
	free(text);
}

/* B2: a key whose circuit does not exist at the create is OCI's 404. */
static void
test_vc_404_at_create(void)
{
	char *text = with_timeline(
	    "  - {at: 1m, create: virtual_circuits/vc1,\n"
	    "     expect: {error: 404-NotAuthorizedOrNotFound}}\n"
	    "  - {at: 2m, create: express_route_circuits/er1}\n"
	    "  - {at: 10m, create: virtual_circuits/vc1}\n");
	struct scenario *sc = load_ok(text);
	struct prov_plan *p = plan_of(sc);

	CU_ASSERT_EQUAL_FATAL(p->n_ops, 3);
	CU_ASSERT(p->ops[0].refused);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p->ops[0].error);
	CU_ASSERT_PTR_NOT_NULL(strstr(p->ops[0].error,
	    "404-NotAuthorizedOrNotFound: no ExpressRoute circuit has service "
	    "key 'er1' at 60s: circuit 'er1' does not exist then"));
	CU_ASSERT_EQUAL(p->ops[0].end, M(1));
	CU_ASSERT_FALSE(prov_exists(p, res(p, VC), M(5)));
	CU_ASSERT(is(p, VC, "lifecycleState", M(5), NULL));
	/* once the circuit is there (and done: 2m + 1m) the same succeeds */
	CU_ASSERT_FALSE(p->ops[2].refused);
	CU_ASSERT(is(p, VC, "lifecycleState", M(10), "PROVISIONING"));
	CU_ASSERT(is(p, CKT, "serviceProviderProvisioningState", M(10),
	    "Provisioning"));
	scenario_free(sc);
	free(text);
}

/* 2.9, B6: a virtual circuit names its DRG, which must exist then. */
static void
test_vc_needs_drg(void)
{
	char *b = edit("gateway_id: drg1", "gateway_id: drg2");
	size_t n = strlen(b) + 256;
	char *text = malloc(n);
	struct scenario *sc;
	struct prov_plan *p;

	snprintf(text, n, "%stimeline:\n"
	    "  - {at: 1m, create: virtual_circuits/vc1,\n"
	    "     expect: {error: 404-NotAuthorizedOrNotFound}}\n"
	    "  - {at: 2m, create: drgs/drg2, duration: 2m}\n"
	    "  - {at: 5m, create: virtual_circuits/vc1, duration: 4m}\n", b);
	sc = load_ok(text);
	p = plan_of(sc);
	CU_ASSERT_EQUAL_FATAL(p->n_ops, 3);
	CU_ASSERT(p->ops[0].refused);
	CU_ASSERT_PTR_NOT_NULL(strstr(p->ops[0].error, "404-NotAuthorized"
	    "OrNotFound: virtual circuit 'vc1': DRG (gateway_id) 'drg2' does "
	    "not exist at 60s"));
	CU_ASSERT(is(p, "drgs", "drg2", "lifecycleState", M(2),
	    "PROVISIONING"));
	CU_ASSERT(is(p, "drgs", "drg2", "lifecycleState", M(4), "AVAILABLE"));
	/* the circuit is there from zero, its provider side is not */
	CU_ASSERT(is(p, CKT, "serviceProviderProvisioningState", 0,
	    "NotProvisioned"));
	CU_ASSERT(is(p, CKT, "serviceProviderProvisioningState", M(5),
	    "Provisioning"));
	CU_ASSERT(is(p, CKT, "serviceProviderProvisioningState", M(9),
	    "Provisioned"));
	/* no PENDING_PROVIDER */
	CU_ASSERT_FALSE(p->ops[2].refused);
	CU_ASSERT(is(p, VC, "lifecycleState", M(5), "PROVISIONING"));
	CU_ASSERT(is(p, VC, "lifecycleState", M(9), "PROVISIONED"));
	CU_ASSERT(carries(p, VC, M(9)));
	scenario_free(sc);
	free(text);
	free(b);
}

/* 3.1: both sides take the same bandwidth, refused at the VC's create. */
static void
test_vc_bandwidth(void)
{
	char *b = edit("bandwidth_shape_name: 1 Gbps",
	    "bandwidth_shape_name: 2 Gbps");
	size_t n = strlen(b) + 256;
	char *text = malloc(n);
	struct scenario *sc;
	struct prov_plan *p;

	snprintf(text, n, "%stimeline:\n"
	    "  - {at: 1m, create: virtual_circuits/vc1,\n"
	    "     expect: {error: 400-InvalidParameter}}\n", b);
	sc = load_ok(text);
	p = plan_of(sc);
	CU_ASSERT_EQUAL_FATAL(p->n_ops, 1);
	CU_ASSERT(p->ops[0].refused);
	CU_ASSERT_PTR_NOT_NULL(strstr(p->ops[0].error, "400-InvalidParameter: "
	    "bandwidth_shape_name '2 Gbps' differs from ExpressRoute circuit "
	    "'er1', 1000 Mbps: both sides take the same bandwidth (3.1)"));
	CU_ASSERT_FALSE(prov_exists(p, res(p, VC), M(30)));
	scenario_free(sc);
	free(text);
	free(b);
}

/* 3.1: a shape the provider does not offer: 400 at the create. */
static void
test_vc_shape_not_offered(void)
{
	char *b = edit("bandwidth_shape_name: 1 Gbps",
	    "bandwidth_shape_name: 3 Gbps");
	size_t n = strlen(b) + 256;
	char *text = malloc(n), *diag = NULL;
	struct scenario *sc;
	struct prov_plan *p;
	unsigned errs = 0;

	/* there from the start: the load error, as before */
	sc = load(b, &diag, &errs);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT_PTR_NOT_NULL(strstr(diag, "bandwidth shape '3 Gbps' is not "
	    "offered"));
	free(diag);
	snprintf(text, n, "%stimeline:\n"
	    "  - {at: 1m, create: virtual_circuits/vc1,\n"
	    "     expect: {error: 400-InvalidParameter}}\n", b);
	sc = load_ok(text);
	p = plan_of(sc);
	CU_ASSERT_EQUAL_FATAL(p->n_ops, 1);
	CU_ASSERT(p->ops[0].refused);
	CU_ASSERT_PTR_NOT_NULL(strstr(p->ops[0].error, "400-InvalidParameter: "
	    "bandwidth shape '3 Gbps' is not offered by \"Microsoft Azure: "
	    "ExpressRoute\""));
	CU_ASSERT_FALSE(prov_exists(p, res(p, VC), M(30)));
	scenario_free(sc);
	free(text);
	free(b);
}

/*
 * Review 11, finding 8: the mapping checks of a virtual circuit the
 * timeline creates (here the secondary /30 the same as the primary's,
 * 3.1) are OCI's 400 at that create, as the shape's; a load error for one
 * there from the start.
 */
static void
test_vc_mappings_at_create(void)
{
	char *b = edit("{customer_bgp_peering_ip: 169.254.1.2/30, "
	    "oracle_bgp_peering_ip: 169.254.1.1/30",
	    "{customer_bgp_peering_ip: 169.254.0.2/30, "
	    "oracle_bgp_peering_ip: 169.254.0.1/30");
	size_t n = strlen(b) + 256;
	char *text = malloc(n), *diag = NULL;
	struct scenario *sc;
	struct prov_plan *p;
	unsigned errs = 0;

	sc = load(b, &diag, &errs);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT_PTR_NOT_NULL(strstr(diag, "the secondary path's /30 "
	    "overlaps the primary's"));
	free(diag);
	snprintf(text, n, "%stimeline:\n"
	    "  - {at: 1m, create: virtual_circuits/vc1,\n"
	    "     expect: {error: 400-InvalidParameter}}\n", b);
	sc = load_ok(text);
	p = plan_of(sc);
	CU_ASSERT_EQUAL_FATAL(p->n_ops, 1);
	CU_ASSERT(p->ops[0].refused);
	CU_ASSERT_PTR_NOT_NULL(strstr(p->ops[0].error, "400-InvalidParameter: "
	    "the secondary path's /30 overlaps the primary's: two "
	    "non-overlapping subnets (3.1)"));
	CU_ASSERT_FALSE(prov_exists(p, res(p, VC), M(30)));
	scenario_free(sc);
	free(text);
	free(b);
}

/* The facts give no duration: the same seed draws the same ones. */
static void
test_same_seed_same_times(void)
{
	static const char tl[] =
	    "  - {id: ckt, at: 0s, create: express_route_circuits/er1}\n"
	    "  - {id: drg, at: 0s, create: drgs/drg2}\n"
	    "  - {after: ckt, create: virtual_circuits/vc1}\n"
	    "  - {at: 1h, delete: virtual_circuits/vc1}\n";
	char *t1 = with_timeline(tl), *t7, *t8;
	struct scenario *a, *b, *c;
	struct prov_plan *pa, *pb, *pc;
	bool differ = false;
	size_t i;

	t7 = malloc(strlen(t1) + 16);
	t8 = malloc(strlen(t1) + 16);
	sprintf(t7, "seed: 7\n%s", t1);
	sprintf(t8, "seed: 8\n%s", t1);
	a = load_ok(t7);
	b = load_ok(t7);
	c = load_ok(t8);
	pa = plan_of(a);
	pb = plan_of(b);
	pc = plan_of(c);
	CU_ASSERT_EQUAL_FATAL(pa->n_ops, 4);
	for (i = 0; i < pa->n_ops; i++) {
		CU_ASSERT_FALSE(pa->ops[i].refused);
		CU_ASSERT_EQUAL(pa->ops[i].start, pb->ops[i].start);
		CU_ASSERT_EQUAL(pa->ops[i].end, pb->ops[i].end);
		differ |= pa->ops[i].end != pc->ops[i].end;
	}
	CU_ASSERT(differ);
	/* DRG 1m..3m, VC 3m..10m after the circuit's 1m, delete 1m..5m */
	CU_ASSERT(pa->ops[1].end >= M(1) && pa->ops[1].end <= M(3));
	CU_ASSERT(pa->ops[2].start == M(1));
	CU_ASSERT(pa->ops[2].end >= M(4) && pa->ops[2].end <= M(11));
	CU_ASSERT(pa->ops[3].end >= M(61) && pa->ops[3].end <= M(65));
	CU_ASSERT(is(pa, VC, "lifecycleState", pa->ops[2].end,
	    "PROVISIONED"));
	CU_ASSERT(is(pa, VC, "lifecycleState", pa->ops[2].end - 1,
	    "PROVISIONING"));
	scenario_free(a);
	scenario_free(b);
	scenario_free(c);
	free(t1);
	free(t7);
	free(t8);
}

/* B6: 404 for what does not exist yet, 409 for what is still used. */
static void
test_refusals(void)
{
	char *text = with_timeline(
	    "  - {at: 1m, create: subnets/db-vcn/app,\n"
	    "     expect: {error: 404-NotAuthorizedOrNotFound}}\n"
	    "  - {at: 2m, create: vcns/db-vcn, duration: 10s}\n"
	    "  - {at: 2m, create: subnets/db-vcn/app}\n"
	    "  - {at: 3m, delete: vcns/db-vcn, expect: {error: 409}}\n"
	    "  - {at: 4m, delete: drgs/drg1, expect: {error: 409}}\n"
	    "  - {at: 5m, delete: subnets/db-vcn/db, expect: {error: 409}}\n"
	    "  - {at: 6m, delete: instances/db1, duration: 1m}\n"
	    "  - {at: 6m, delete: instances/db2, duration: 1m}\n"
	    "  - {at: 8m, delete: subnets/db-vcn/db, duration: 10s}\n");
	struct scenario *sc = load_ok(text);
	struct prov_plan *p = plan_of(sc);

	CU_ASSERT_EQUAL_FATAL(p->n_ops, 9);
	CU_ASSERT(p->ops[0].refused);
	CU_ASSERT_PTR_NOT_NULL(strstr(p->ops[0].error, "404-NotAuthorized"
	    "OrNotFound: subnet 'db-vcn/app': VCN 'db-vcn' does not exist at "
	    "60s"));
	/* the VCN's create while it is PROVISIONING: the subnet in it */
	CU_ASSERT_FALSE(p->ops[1].refused);
	CU_ASSERT(is(p, "vcns", "db-vcn", "lifecycleState", M(2),
	    "PROVISIONING"));
	CU_ASSERT(is(p, "vcns", "db-vcn", "lifecycleState", M(2) + SIM_S(10),
	    "AVAILABLE"));
	CU_ASSERT_FALSE(p->ops[2].refused);
	CU_ASSERT(p->ops[3].refused);
	CU_ASSERT_PTR_NOT_NULL(strstr(p->ops[3].error, "409-IncorrectState: "
	    "VCN 'db-vcn' cannot be deleted because it is still used by "
	    "subnet 'db-vcn/db' (B6)"));
	CU_ASSERT(p->ops[4].refused);
	CU_ASSERT_PTR_NOT_NULL(strstr(p->ops[4].error, "409-IncorrectState: "
	    "DRG 'drg1' cannot be deleted because it is still used by DRG "
	    "attachment 'drg1/db-vcn-att'"));
	CU_ASSERT(p->ops[5].refused);
	CU_ASSERT_PTR_NOT_NULL(strstr(p->ops[5].error, "still used by "
	    "instance 'db1'"));
	/* the instances terminated, the subnet goes */
	CU_ASSERT(is(p, "instances", "db1", "lifecycleState", M(6),
	    "TERMINATING"));
	CU_ASSERT(is(p, "instances", "db1", "lifecycleState", M(7),
	    "TERMINATED"));
	CU_ASSERT_FALSE(p->ops[8].refused);
	CU_ASSERT(is(p, "subnets", "db-vcn/db", "lifecycleState", M(8),
	    "TERMINATING"));
	CU_ASSERT_FALSE(prov_exists(p, res(p, "subnets", "db-vcn/db"),
	    M(8) + SIM_S(10)));
	scenario_free(sc);
	free(text);
}

/*
 * 2.7, 2.9: the VCN's DRG attachment attached on the timeline and detached
 * (the SDK's ATTACHING/ATTACHED/DETACHING/DETACHED), the DRG<->VCN link
 * gated by it; a route table whose rule targets the DRG is refused while
 * the VCN is not attached (400), accepted once it is.
 */

/*
 * The parts written under a VCN come with its create (one console action
 * in the file's shape): a VCN created at 1m takes its subnet, route table
 * and security list through PROVISIONING to AVAILABLE with it, none of
 * them there before; a part the timeline creates itself keeps its own
 * create. The VCN's delete does not take them (409 while they exist).
 */
static void
test_vcn_parts(void)
{
	char *text = with_timeline(
	    "  - {at: 1m, create: vcns/db-vcn, duration: 10s}\n"
	    "  - {at: 2m, create: security_lists/db-vcn/db-sl, "
	    "duration: 4s}\n"
	    "  - {at: 5m, delete: vcns/db-vcn, expect: {error: 409}}\n");
	struct scenario *sc = load_ok(text);
	struct prov_plan *p = plan_of(sc);

#define SUB "subnets", "db-vcn/db"
#define RT "route_tables", "db-vcn/db-rt"
#define SL "security_lists", "db-vcn/db-sl"
	CU_ASSERT(is(p, SUB, "lifecycleState", 0, NULL));
	CU_ASSERT(is(p, RT, "lifecycleState", M(1) - 1, NULL));
	CU_ASSERT(is(p, SUB, "lifecycleState", M(1), "PROVISIONING"));
	CU_ASSERT(is(p, RT, "lifecycleState", M(1), "PROVISIONING"));
	CU_ASSERT(is(p, SUB, "lifecycleState", M(1) + SIM_S(10),
	    "AVAILABLE"));
	CU_ASSERT(is(p, RT, "lifecycleState", M(1) + SIM_S(10), "AVAILABLE"));
	CU_ASSERT(carries(p, SUB, M(1) + SIM_S(10)));
	CU_ASSERT_FALSE(carries(p, SUB, M(1) + SIM_S(10) - 1));
	/* the list named by the timeline is created by its own operation */
	CU_ASSERT(is(p, SL, "lifecycleState", M(1) + SIM_S(10), NULL));
	CU_ASSERT(is(p, SL, "lifecycleState", M(2), "PROVISIONING"));
	CU_ASSERT(is(p, SL, "lifecycleState", M(2) + SIM_S(4), "AVAILABLE"));
	CU_ASSERT(p->ops[2].refused);
	CU_ASSERT(is(p, SUB, "lifecycleState", M(6), "AVAILABLE"));
#undef SUB
#undef RT
#undef SL
	scenario_free(sc);
	free(text);
}

/*
 * Review 11, finding 2: the parts no create names exist exactly while
 * their VCN does (prov_part_of). Before the VCN's create, the subnet is
 * not there: an instance in it is refused 404 and a delete of it "does
 * not exist". Torn down part by part and the VCN deleted, its re-create
 * brings them back (PROVISIONING, then AVAILABLE with it), and an
 * instance in the subnet is accepted again.
 */
static void
test_parts_follow_vcn(void)
{
	char *text = with_timeline(
	    "  - {at: 0s, create: instances/db1,\n"
	    "     expect: {error: 404-NotAuthorizedOrNotFound}}\n"
	    "  - {at: 0s, delete: subnets/db-vcn/db,\n"
	    "     expect: {error: does not exist}}\n"
	    "  - {at: 1m, create: vcns/db-vcn, duration: 10s}\n"
	    "  - {at: 2m, delete: instances/db2, duration: 1m}\n"
	    "  - {at: 4m, delete: subnets/db-vcn/db, duration: 5s}\n"
	    "  - {at: 4m, delete: subnets/db-vcn/app, duration: 5s}\n"
	    "  - {at: 5m, delete: route_tables/db-vcn/db-rt, duration: 5s}\n"
	    "  - {at: 5m, delete: security_lists/db-vcn/db-sl, duration: 5s}\n"
	    "  - {at: 5m, delete: network_security_groups/db-vcn/db-nsg, "
	    "duration: 5s}\n"
	    "  - {at: 6m, delete: drg_attachments/drg1/db-vcn-att, "
	    "duration: 30s}\n"
	    "  - {at: 7m, delete: vcns/db-vcn, duration: 10s}\n"
	    "  - {at: 10m, create: vcns/db-vcn, duration: 10s}\n"
	    "  - {at: 11m, create: instances/db1, duration: 1m}\n");
	struct scenario *sc = load_ok(text);
	struct prov_plan *p = plan_of(sc);
	size_t i;

#define SUB "subnets", "db-vcn/db"
	CU_ASSERT_EQUAL_FATAL(p->n_ops, 13);
	CU_ASSERT(p->ops[0].refused);
	CU_ASSERT_PTR_NOT_NULL(strstr(p->ops[0].error, "404-NotAuthorized"
	    "OrNotFound: instance 'db1': subnet 'db-vcn/db' does not exist "
	    "at 0s"));
	CU_ASSERT(p->ops[1].refused);
	CU_ASSERT_PTR_NOT_NULL(strstr(p->ops[1].error, "subnets/db-vcn/db "
	    "does not exist at 0s (vcns/db-vcn does not"));
	for (i = 2; i < p->n_ops; i++) {
		if (p->ops[i].refused)
			fprintf(stderr, "op %zu: %s\n", i, p->ops[i].error);
		CU_ASSERT_FALSE(p->ops[i].refused);
	}
	CU_ASSERT_FALSE(prov_exists(p, res(p, SUB), 0));
	CU_ASSERT(prov_exists(p, res(p, SUB), M(1)));
	CU_ASSERT_FALSE(prov_exists(p, res(p, SUB), M(4) + SIM_S(5)));
	CU_ASSERT_FALSE(prov_exists(p, res(p, "vcns", "db-vcn"),
	    M(7) + SIM_S(10)));
	CU_ASSERT_FALSE(prov_exists(p, res(p, SUB), M(10) - 1));
	CU_ASSERT(prov_exists(p, res(p, SUB), M(10)));
	CU_ASSERT(prov_exists(p, res(p, "route_tables", "db-vcn/db-rt"),
	    M(10)));
	CU_ASSERT(is(p, SUB, "lifecycleState", M(10), "PROVISIONING"));
	CU_ASSERT(is(p, SUB, "lifecycleState", M(10) + SIM_S(10),
	    "AVAILABLE"));
	CU_ASSERT(carries(p, SUB, M(10) + SIM_S(10)));
	CU_ASSERT(is(p, "instances", "db1", "lifecycleState", M(12),
	    "RUNNING"));
#undef SUB
	scenario_free(sc);
	free(text);
}

static void
test_attachment_and_route_table(void)
{
	char *text = with_timeline(
	    "  - {at: 2m, create: route_tables/db-vcn/db-rt,\n"
	    "     expect: {error: 400-InvalidParameter}}\n"
	    "  - {at: 5m, create: drg_attachments/drg1/db-vcn-att, "
	    "duration: 40s}\n"
	    "  - {at: 6m, create: route_tables/db-vcn/db-rt, duration: 5s}\n"
	    "  - {at: 8m, delete: drg_attachments/drg1/db-vcn-att,\n"
	    "     expect: {error: 409-IncorrectState}}\n"
	    "  - {at: 8m, delete: instances/db1, duration: 10s}\n"
	    "  - {at: 8m, delete: instances/db2, duration: 10s}\n"
	    "  - {at: 9m, delete: subnets/db-vcn/db, duration: 5s}\n"
	    "  - {at: 570s, delete: route_tables/db-vcn/db-rt, duration: 5s}\n"
	    "  - {at: 10m, delete: drg_attachments/drg1/db-vcn-att, "
	    "duration: 30s}\n");
	struct scenario *sc = load_ok(text);
	struct prov_plan *p = plan_of(sc);
	char *x;
	size_t i;

	CU_ASSERT_EQUAL_FATAL(p->n_ops, 9);
	/* B6: detached while db-rt still routes to the DRG (review 11, 9) */
	CU_ASSERT(p->ops[3].refused);
	CU_ASSERT_PTR_NOT_NULL(strstr(p->ops[3].error, "409-IncorrectState: "
	    "DRG attachment 'drg1/db-vcn-att' cannot be deleted because it is "
	    "still used by route table (a rule targets its DRG) "
	    "'db-vcn/db-rt'"));
	for (i = 4; i < p->n_ops; i++)
		CU_ASSERT_FALSE(p->ops[i].refused);
#define ATT "drg_attachments", "drg1/db-vcn-att"
	CU_ASSERT_FALSE(prov_exists(p, res(p, ATT), 0));
	CU_ASSERT(p->ops[0].refused);
	CU_ASSERT_PTR_NOT_NULL(strstr(p->ops[0].error, "400-InvalidParameter: "
	    "route table 'db-vcn/db-rt': rule 1 targets DRG 'drg1', which VCN "
	    "'db-vcn' is not attached to at this time"));
	CU_ASSERT(is(p, ATT, "lifecycleState", M(5), "ATTACHING"));
	CU_ASSERT_FALSE(carries(p, ATT, M(5)));
	CU_ASSERT(is(p, ATT, "lifecycleState", M(5) + SIM_S(40), "ATTACHED"));
	CU_ASSERT(carries(p, ATT, M(5) + SIM_S(40)));
	CU_ASSERT_FALSE(p->ops[2].refused);
	CU_ASSERT(is(p, "route_tables", "db-vcn/db-rt", "lifecycleState",
	    M(6), "PROVISIONING"));
	CU_ASSERT(is(p, "route_tables", "db-vcn/db-rt", "lifecycleState",
	    M(6) + SIM_S(5), "AVAILABLE"));
	CU_ASSERT(is(p, ATT, "lifecycleState", M(10), "DETACHING"));
	CU_ASSERT_FALSE(carries(p, ATT, M(10)));
	CU_ASSERT(is(p, ATT, "lifecycleState", M(10) + SIM_S(30),
	    "DETACHED"));
	CU_ASSERT_FALSE(prov_exists(p, res(p, ATT), M(10) + SIM_S(30)));
	/* the link carries the attachment's gate */
	x = expansion(text);
	CU_ASSERT_PTR_NOT_NULL(strstr(x, "- name: drg1.db-vcn\n  a: drg1:db-vcn"
	    "\n  b: db-vcn:drg\n  rate: 100Gbps\n  delay: 30us\n"
	    "  gate: drg_attachments/drg1/db-vcn-att\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(x, "- name: drg_attachments/drg1/"
	    "db-vcn-att\n  open: false\n  changes:\n  - at: 340s\n"
	    "    open: true\n  - at: 600s\n    open: false\n"));
	free(x);
#undef ATT
	scenario_free(sc);
	free(text);
}

/*
 * 3.1, 3.5: a virtual circuit there from the start whose circuit is only
 * created on the timeline waits for the provider for good, with a note.
 */
static void
test_circuit_later(void)
{
	char *text = with_timeline(
	    "  - {at: 1m, create: express_route_circuits/er1}\n");
	struct scenario *sc = load_ok(text);
	struct prov_plan *p = plan_of(sc);
	struct prov_res *r = res(p, VC);

	CU_ASSERT(is(p, VC, "lifecycleState", 0, "PENDING_PROVIDER"));
	CU_ASSERT(is(p, VC, "lifecycleState", M(60), "PENDING_PROVIDER"));
	CU_ASSERT(is(p, VC, "providerState", M(60), "INACTIVE"));
	CU_ASSERT(is(p, CKT, "serviceProviderProvisioningState", M(60),
	    NULL));
	CU_ASSERT_FALSE(carries(p, VC, M(60)));
	CU_ASSERT_EQUAL_FATAL(r->n_notes, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(r->notes[0].text, "ExpressRoute circuit "
	    "er1 is created on the timeline"));
	scenario_free(sc);
	free(text);
}

/* No timeline: everything settled from zero, the circuit Provisioned. */
static void
test_settled(void)
{
	struct scenario *sc = load_ok(base);
	struct prov_plan *p = plan_of(sc);

	CU_ASSERT_EQUAL(p->n_ops, 0);
	CU_ASSERT(is(p, VC, "lifecycleState", 0, "PROVISIONED"));
	CU_ASSERT(is(p, VC, "providerState", 0, "ACTIVE"));
	CU_ASSERT(is(p, VC, "bgpAdminState", 0, "ENABLED"));
	CU_ASSERT(is(p, CKT, "serviceProviderProvisioningState", 0,
	    "Provisioned"));
	CU_ASSERT(is(p, "vcns", "db-vcn", "lifecycleState", 0, "AVAILABLE"));
	CU_ASSERT(is(p, "subnets", "db-vcn/app", "lifecycleState", 0,
	    "AVAILABLE"));
	CU_ASSERT(is(p, "instances", "db1", "lifecycleState", 0, "RUNNING"));
	CU_ASSERT(is(p, "drg_attachments", "drg1/db-vcn-att",
	    "lifecycleState", 0, "ATTACHED"));
	CU_ASSERT(is(p, "drgs", "drg2", "lifecycleState", 0, "AVAILABLE"));
	CU_ASSERT(is(p, "security_lists", "db-vcn/db-sl", "lifecycleState", 0,
	    "AVAILABLE"));
	CU_ASSERT(is(p, "network_security_groups", "db-vcn/db-nsg",
	    "lifecycleState", 0, "AVAILABLE"));
	CU_ASSERT(is(p, "route_tables", "db-vcn/db-rt", "lifecycleState", 0,
	    "AVAILABLE"));
	CU_ASSERT(carries(p, VC, 0));
	CU_ASSERT(carries(p, "instances", "db1", 0));
	scenario_free(sc);
}

/*
 * A virtual circuit created at 10m: every item it expands into carries its
 * gate, closed until it is PROVISIONED (the plan's completion of the
 * create), and nothing else is gated (everything else is there from zero).
 */
static void
test_gates_in_expansion(void)
{
	char *text = with_timeline(
	    "  - {at: 10m, create: virtual_circuits/vc1}\n");
	struct scenario *sc = load_ok(text);
	struct prov_plan *p = plan_of(sc);
	char *x = expansion(text), want[160], tb[32];
	sim_time done;

	CU_ASSERT_EQUAL_FATAL(p->n_ops, 1);
	done = p->ops[0].end;
	CU_ASSERT(done >= M(13) && done <= M(20));
	/* 2 cross-connects, 2 edge-DRG links, 2 neighbours, 2 DRG imports */
	CU_ASSERT_EQUAL(count(x, "gate: virtual_circuits/vc1\n"), 8);
	CU_ASSERT_EQUAL(count(x, "gate: "), 8);
	CU_ASSERT_PTR_NOT_NULL(strstr(x, "- name: oracle-edge-primary."
	    "private-peering\n  a: oracle-edge-primary:private-peering\n"
	    "  b: msee-primary:private-peering\n  rate: 10Gbps\n"
	    "  delay: 20us\n  gate: virtual_circuits/vc1\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(x, "- name: oracle-edge-secondary.drg\n"
	    "  a: oracle-edge-secondary:drg\n  b: drg1:vc1-secondary\n"
	    "  rate: 100Gbps\n  delay: 200us\n"
	    "  gate: virtual_circuits/vc1\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(x, "  - address: 169.254.0.2\n"
	    "    gate: virtual_circuits/vc1\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(x, "  - gate: virtual_circuits/vc1\n"
	    "    from_node: oracle-edge-primary\n"));
	snprintf(want, sizeof(want), "- name: virtual_circuits/vc1\n"
	    "  open: false\n  changes:\n  - at: %s\n    open: true\n",
	    units_fmt_time(tb, sizeof(tb), done));
	CU_ASSERT_PTR_NOT_NULL(strstr(x, want));
	free(x);
	scenario_free(sc);
	free(text);
}

/*
 * B2: a key that names no circuit of the azure section is a load error
 * (404) for a virtual circuit there from the start, and the refusal of
 * the create for one created on the timeline.
 */
static void
test_unknown_key_deferred(void)
{
	static const char az[] =
	    "name: t\n"
	    "seed: 7\n"
	    "azure:\n"
	    "  express_route_circuits:\n"
	    "    - name: er-ashburn\n"
	    "      service_provider_name: Oracle Cloud FastConnect\n"
	    "      peering_location: Washington DC\n"
	    "      bandwidth_in_mbps: 1000\n";
	const char *oci = strstr(base, "oci:\n");
	size_t n = strlen(az) + strlen(oci) + 256;
	char *body = malloc(n), *text = malloc(n), *diag = NULL, *k;
	struct scenario *sc;
	struct prov_plan *p;
	unsigned errs = 0;

	snprintf(body, n, "%s%s", az, oci);
	k = strstr(body, "provider_service_key_name: er1");
	CU_ASSERT_PTR_NOT_NULL_FATAL(k);
	memcpy(k + strlen("provider_service_key_name: "), "xx1", 3);
	/* from the start: the load error, as before */
	sc = load(body, &diag, &errs);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT_PTR_NOT_NULL(strstr(diag, "404-NotAuthorizedOrNotFound: no "
	    "ExpressRoute circuit has service key 'xx1'"));
	free(diag);
	/* created on the timeline: refused at its step */
	snprintf(text, n, "%stimeline:\n"
	    "  - {at: 5m, create: virtual_circuits/vc1,\n"
	    "     expect: {error: 404-NotAuthorizedOrNotFound}}\n", body);
	sc = load_ok(text);
	p = plan_of(sc);
	CU_ASSERT_EQUAL_FATAL(p->n_ops, 1);
	CU_ASSERT(p->ops[0].refused);
	CU_ASSERT_PTR_NOT_NULL(strstr(p->ops[0].error, "404-NotAuthorized"
	    "OrNotFound: no ExpressRoute circuit has service key 'xx1' (B2; "
	    "with seed 7 the keys are er-ashburn: "));
	CU_ASSERT_FALSE(prov_exists(p, res(p, VC), M(10)));
	scenario_free(sc);
	free(text);
	free(body);
}

static const char e2e[] =
    "name: vc-bgp\n"
    "seed: 3\n"
    "duration: 120s\n"
    "nodes:\n"
    "  - name: msee-primary\n"
    "    role: msee\n"
    "    interfaces:\n"
    "      - {name: private-peering, address: 169.254.0.2/30, vlan: 33}\n"
    "  - name: msee-secondary\n"
    "    role: msee\n"
    "    interfaces:\n"
    "      - {name: private-peering, address: 169.254.1.2/30, vlan: 33}\n"
    "bgp:\n"
    "  - node: msee-primary\n"
    "    asn: 12076\n"
    "    neighbors: [{address: 169.254.0.1, remote_as: 31898, preset: msee}]\n"
    "  - node: msee-secondary\n"
    "    asn: 12076\n"
    "    neighbors: [{address: 169.254.1.1, remote_as: 31898, preset: msee}]\n"
    "oci:\n"
    "  vcns:\n"
    "    - name: db-vcn\n"
    "      cidr_blocks: [10.2.0.0/16]\n"
    "      subnets: [{name: db, cidr_block: 10.2.1.0/24}]\n"
    "  drgs:\n"
    "    - name: drg1\n"
    "      drg_attachments:\n"
    "        - {name: db-vcn-att, network_details: {type: VCN, id: db-vcn}}\n"
    "  virtual_circuits:\n"
    "    - name: vc1\n"
    "      provider_service_name: \"Microsoft Azure: ExpressRoute\"\n"
    "      provider_service_key_name: er1\n"
    "      bandwidth_shape_name: 1 Gbps\n"
    "      gateway_id: drg1\n"
    "      cross_connect_mappings:\n"
    "        - {customer_bgp_peering_ip: 169.254.0.2/30, oracle_bgp_peering_ip: 169.254.0.1/30, vlan: 33}\n"
    "        - {customer_bgp_peering_ip: 169.254.1.2/30, oracle_bgp_peering_ip: 169.254.1.1/30, vlan: 33}\n"
    "timeline:\n"
    "  - {at: 10s, create: virtual_circuits/vc1, duration: 30s}\n"
    "  - {at: 80s, delete: virtual_circuits/vc1, duration: 30s}\n"
    "assertions:\n"
    "  - {kind: resource-state, resource: virtual_circuits/vc1,\n"
    "     field: bgpSessionState, value: DOWN, at: 39s}\n"
    "  - {kind: resource-state, resource: virtual_circuits/vc1,\n"
    "     field: lifecycleState, value: PROVISIONED, at: 40s}\n"
    "  - {kind: resource-state, resource: virtual_circuits/vc1,\n"
    "     field: bgpSessionState, value: UP, at: 41s}\n"
    "  - {kind: resource-state, resource: express_route_circuits/er1,\n"
    "     field: serviceProviderProvisioningState, value: Provisioned, at: 41s}\n"
    "  - {kind: resource-state, resource: virtual_circuits/vc1,\n"
    "     field: bgpSessionState, value: DOWN, at: 81s}\n"
    "  - {kind: resource-state, resource: virtual_circuits/vc1,\n"
    "     field: lifecycleState, value: TERMINATED, at: 110s}\n";

/*
 * End to end: the edges' sessions to the MSEEs (written by hand here) come
 * up once the virtual circuit is PROVISIONED, and bgpSessionState follows
 * them live (any Established = UP: our choice); its delete takes them
 * down at once (the gate closes at TERMINATING).
 */
static void
test_bgp_follows(void)
{
	struct scenario *sc = load_ok(e2e);
	char *out = NULL;
	unsigned failed = sc_run_to_end(sc, 0, NULL, &out);

	if (failed != 0)
		fprintf(stderr, "%s\n", out);
	CU_ASSERT_EQUAL(failed, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "bgpSessionState"));
	free(out);
	scenario_free(sc);
}

static const struct test_case cases[] = {
	{ "VC create/disable/enable/delete, the circuit's provider state "
	    "(2.1, 2.9, 1.2, 3.1)", test_vc_states },
	{ "an operation while an earlier one is under way: 409 (B6)",
	    test_in_progress },
	{ "a VC create before its circuit exists: 404 (B2)",
	    test_vc_404_at_create },
	{ "a VC create before its DRG exists: 404 (2.9, B6)",
	    test_vc_needs_drg },
	{ "a VC of another bandwidth than its circuit: 400 (3.1)",
	    test_vc_bandwidth },
	{ "a shape the provider does not offer: 400 at the create (3.1)",
	    test_vc_shape_not_offered },
	{ "a VC's mappings wrong: 400 at its create, load error without "
	    "(3.1)", test_vc_mappings_at_create },
	{ "the same seed, the same timings", test_same_seed_same_times },
	{ "404 before the parent exists, 409 while still used (B6)",
	    test_refusals },
	{ "a DRG attachment attached and detached, a route table toward its "
	    "DRG (2.7, 2.9)", test_attachment_and_route_table },
	{ "a VCN's parts come with its create, not with its delete (409)",
	    test_vcn_parts },
	{ "a VCN's parts exist only while it does: 404 before, back with "
	    "its re-create", test_parts_follow_vcn },
	{ "a VC from the start, its circuit created later: PENDING_PROVIDER "
	    "(3.1, 3.5)", test_circuit_later },
	{ "no timeline: settled states, the circuit Provisioned (2.1, 1.2)",
	    test_settled },
	{ "the gates of a VC created at 10m", test_gates_in_expansion },
	{ "a key naming no circuit: load error, or 404 at the create (B2)",
	    test_unknown_key_deferred },
	{ "end to end: bgpSessionState UP once PROVISIONED, DOWN at delete",
	    test_bgp_follows },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	/* first: declared before oci's resources, which depend on it */
	if (prov_register_cloud(&stand_in_cloud) != 0)
		return 2;
	scenario_models_init();
	return test_main(argc, argv, "oci_prov", cases);
}
