/*
 * test_provision.c - the timeline's plan (models/prov/provision.h): the
 * operations' order (at, after + delay, ties in file order), the seeded
 * draws and the duration override, refusals and existence, the carrying
 * intervals through dependencies, prov_gate, and the timeline's load
 * errors. A fake cloud (provision_testutil.h) stands for azure and oci.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "provision_testutil.h"
#include "scenario_testutil.h"
#include "testutil.h"
#include "util.h"

/* --- the engine, driven directly --------------------------------------- */

static struct prov_plan *
plan(uint64_t seed, size_t n_ops)
{
	struct prov_plan *p = prov_plan_new(NULL, seed, 0);

	p->ops = xcalloc(n_ops ? n_ops : 1, sizeof(*p->ops));
	p->n_ops = n_ops;
	return p;
}

/* Operation i: op on r at `at`, or after operation `after` (1-based). */
static struct prov_opr *
op(struct prov_plan *p, size_t i, enum prov_op o, struct prov_res *r,
    sim_time at, size_t after, sim_time delay)
{
	struct prov_opr *x = &p->ops[i];

	x->op = o;
	x->r = r;
	x->at = at;
	x->after = after;
	x->delay = delay;
	return x;
}

static struct prov_res *
add(struct prov_plan *p, const struct prov_type *t, const char *name)
{
	struct sc_loc l = { 1, 1 };
	struct prov_res *r = prov_add(p, t, name, l, NULL);

	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	return r;
}

/*
 * Operations run in start order: `at` times, then what follows each one
 * from its completion plus delay; equal starts in file order, including
 * a follower that becomes known only when its predecessor completes.
 */
static void
test_order_at_after_delay(void)
{
	struct prov_plan *p = plan(1, 4);
	struct prov_res *a = add(p, &vc_type, "a"), *b = add(p, &vc_type, "b");
	struct prov_res *c = add(p, &vc_type, "c"), *d = add(p, &vc_type, "d");

	fake_setup();
	/* file order: d's create at 20s, a's chain, c at 40s */
	op(p, 0, PROV_CREATE, d, SIM_S(40), 0, 0)->has_duration = true;
	p->ops[0].duration = SIM_S(60);
	op(p, 1, PROV_CREATE, a, SIM_S(10), 0, 0)->has_duration = true;
	p->ops[1].duration = SIM_S(25);
	/* a completes at 10 + 25 + the second draw; b starts 5s later */
	op(p, 2, PROV_CREATE, b, 0, 2, SIM_S(5));
	op(p, 3, PROV_CREATE, c, SIM_S(40), 0, 0);
	prov_plan_run(p);
	CU_ASSERT_EQUAL(p->ops[1].start, SIM_S(10));
	CU_ASSERT(p->ops[1].end > SIM_S(36) && p->ops[1].end <= SIM_S(37));
	CU_ASSERT_EQUAL(p->ops[2].start, p->ops[1].end + SIM_S(5));
	/* d and c both at 40s: d first (file order), b (41s+) after them */
	CU_ASSERT_STRING_EQUAL(fake_log,
	    "create:a create:d create:c create:b ");
	prov_plan_free(p);
}

/*
 * Equal starts run in file order, even when one of them is a follower
 * that becomes known only as its predecessor completes.
 */
static void
test_order_ties_file_order(void)
{
	/* a: at 0, 60s (forced) + the second draw of operation 0 */
	sim_time end_a = SIM_S(60) + prov_draw_raw(1, 0, 1, SIM_S(1),
	    SIM_S(2));
	int flip;

	fake_setup();
	for (flip = 0; flip < 2; flip++) {
		struct prov_plan *p = plan(1, 3);
		struct prov_res *a = add(p, &vc_type, "a");
		struct prov_res *b = add(p, &vc_type, "b");
		struct prov_res *c = add(p, &vc_type, "c");

		fake_log[0] = '\0';
		op(p, 0, PROV_CREATE, a, 0, 0, 0)->has_duration = true;
		p->ops[0].duration = SIM_S(60);
		/* b follows a (delay 0); c starts at a's end */
		op(p, flip ? 2 : 1, PROV_CREATE, b, 0, 1, 0);
		op(p, flip ? 1 : 2, PROV_CREATE, c, end_a, 0, 0);
		prov_plan_run(p);
		CU_ASSERT_EQUAL(p->ops[0].end, end_a);
		CU_ASSERT_EQUAL(p->ops[1].start, end_a);
		CU_ASSERT_EQUAL(p->ops[2].start, end_a);
		CU_ASSERT_STRING_EQUAL(fake_log, flip ?
		    "create:a create:c create:b " :
		    "create:a create:b create:c ");
		prov_plan_free(p);
	}
}

/* A chain of long delays stops at the horizon instead of overflowing. */
static void
test_horizon(void)
{
	struct prov_plan *p = plan(1, 3);
	struct prov_res *a = add(p, &disk_type, "a");
	struct prov_res *b = add(p, &disk_type, "b");
	struct prov_res *c = add(p, &disk_type, "c");

	fake_setup();
	op(p, 0, PROV_CREATE, a, PROV_HORIZON - SIM_S(1), 0, 0);
	op(p, 1, PROV_CREATE, b, 0, 1, PROV_TIME_MAX);
	op(p, 2, PROV_DELETE, b, 0, 2, PROV_TIME_MAX);
	prov_plan_run(p);
	CU_ASSERT_EQUAL(p->ops[0].end, PROV_HORIZON);
	CU_ASSERT_EQUAL(p->ops[1].start, PROV_HORIZON);
	CU_ASSERT_EQUAL(p->ops[2].start, PROV_HORIZON);
	(void)c;
	prov_plan_free(p);
}

/* The same seed gives the same draws; another seed others; in range. */
static void
test_draws_seeded(void)
{
	sim_time x[2][3];
	uint64_t seeds[2] = { 7, 8 };
	int s, k;

	fake_setup();
	for (s = 0; s < 2; s++) {
		struct prov_plan *p = plan(seeds[s], 3);
		struct prov_res *a = add(p, &vc_type, "a");
		struct prov_res *b = add(p, &disk_type, "b");
		struct prov_res *c = add(p, &disk_type, "c");

		op(p, 0, PROV_CREATE, a, 0, 0, 0);
		op(p, 1, PROV_CREATE, b, 0, 0, 0);
		op(p, 2, PROV_CREATE, c, 0, 0, 0);
		prov_plan_run(p);
		for (k = 0; k < 3; k++)
			x[s][k] = p->ops[k].end;
		CU_ASSERT(x[s][0] >= SIM_S(61) && x[s][0] <= SIM_S(122));
		CU_ASSERT(x[s][1] >= SIM_S(10) && x[s][1] <= SIM_S(20));
		/* b and c: the same range, other operations, other draws */
		CU_ASSERT(x[s][1] != x[s][2]);
		prov_plan_free(p);
	}
	for (k = 0; k < 3; k++)
		CU_ASSERT(x[0][k] != x[1][k]);
	/* and again with the first seed: the very same times */
	{
		struct prov_plan *p = plan(7, 3);
		struct prov_res *a = add(p, &vc_type, "a");
		struct prov_res *b = add(p, &disk_type, "b");
		struct prov_res *c = add(p, &disk_type, "c");

		op(p, 0, PROV_CREATE, a, 0, 0, 0);
		op(p, 1, PROV_CREATE, b, 0, 0, 0);
		op(p, 2, PROV_CREATE, c, 0, 0, 0);
		prov_plan_run(p);
		for (k = 0; k < 3; k++)
			CU_ASSERT_EQUAL(p->ops[k].end, x[0][k]);
		prov_plan_free(p);
	}
	/* nanosecond resolution: not rounded to any coarser unit */
	CU_ASSERT(prov_draw_raw(7, 0, 0, 0, SIM_S(3600)) % 1000 != 0 ||
	    prov_draw_raw(7, 0, 1, 0, SIM_S(3600)) % 1000 != 0);
	CU_ASSERT_EQUAL(prov_draw_raw(7, 0, 0, SIM_S(5), SIM_S(5)), SIM_S(5));
}

/* duration replaces the first draw only: the second is the same. */
static void
test_duration_override(void)
{
	sim_time drawn, forced;
	struct prov_plan *p = plan(3, 1);
	struct prov_res *a = add(p, &vc_type, "a");
	const char *v;

	fake_setup();
	op(p, 0, PROV_CREATE, a, SIM_S(1), 0, 0);
	prov_plan_run(p);
	drawn = p->ops[0].end;
	prov_plan_free(p);

	p = plan(3, 1);
	a = add(p, &vc_type, "a");
	op(p, 0, PROV_CREATE, a, SIM_S(1), 0, 0)->has_duration = true;
	p->ops[0].duration = SIM_S(7);
	prov_plan_run(p);
	forced = p->ops[0].end;
	CU_ASSERT_EQUAL(forced - SIM_S(1) - SIM_S(7),
	    drawn - SIM_S(1) - prov_draw_raw(3, 0, 0, SIM_S(60), SIM_S(120)));
	v = prov_get(p, a, "lifecycleState", SIM_S(8) - 1);
	CU_ASSERT_STRING_EQUAL(v, "PROVISIONING");
	v = prov_get(p, a, "lifecycleState", SIM_S(8));
	CU_ASSERT_STRING_EQUAL(v, "PROVISIONED");
	prov_plan_free(p);
}

/*
 * A refused update: outcome refused with the cloud's code and message,
 * the state it leaves (FAILED), completion at once; operations on a
 * resource that is not there are refused by the plan itself.
 */
static void
test_refusals(void)
{
	struct prov_plan *p = plan(1, 4);
	struct prov_res *a = add(p, &vc_type, "a"), *b = add(p, &disk_type, "b");
	struct prov_kv kv = { "bandwidth", "500", { 1, 1 } };

	fake_setup();
	/* a exists from zero (no create) at 1000 */
	op(p, 0, PROV_UPDATE, a, SIM_S(100), 0, 0);
	p->ops[0].set = xcalloc(1, sizeof(kv));
	p->ops[0].set[0] = kv;
	p->ops[0].n_set = 1;
	/* b is created at 50s: a delete before is refused, create twice */
	op(p, 1, PROV_DELETE, b, SIM_S(10), 0, 0);
	op(p, 2, PROV_CREATE, b, SIM_S(50), 0, 0);
	op(p, 3, PROV_CREATE, b, SIM_S(60), 0, 0);
	prov_plan_run(p);
	CU_ASSERT(p->ops[0].refused);
	CU_ASSERT_STRING_EQUAL(p->ops[0].error,
	    "BandwidthDecrease: a: bandwidth 500 is below 1000");
	CU_ASSERT_EQUAL(p->ops[0].end, SIM_S(100));
	CU_ASSERT_STRING_EQUAL(prov_get(p, a, "lifecycleState", SIM_S(100)),
	    "FAILED");
	CU_ASSERT_STRING_EQUAL(prov_get(p, a, "bandwidth", SIM_S(200)),
	    "1000");
	CU_ASSERT(prov_exists(p, a, SIM_S(200)));
	CU_ASSERT(p->ops[1].refused);
	CU_ASSERT_PTR_NOT_NULL(strstr(p->ops[1].error,
	    "disks/b does not exist at 10s"));
	CU_ASSERT(!p->ops[2].refused);
	CU_ASSERT(!prov_exists(p, b, SIM_S(50) - 1));
	CU_ASSERT(prov_exists(p, b, SIM_S(50)));
	CU_ASSERT_STRING_EQUAL(prov_get(p, b, "provisioningState", SIM_S(50)),
	    "Updating");
	CU_ASSERT_STRING_EQUAL(prov_get(p, b, "provisioningState",
	    p->ops[2].end), "Succeeded");
	CU_ASSERT(p->ops[3].refused);
	CU_ASSERT_PTR_NOT_NULL(strstr(p->ops[3].error, "already exists"));
	prov_plan_free(p);
}

/*
 * Carrying: a disk created at 10s carries from then (existence) until
 * its delete completes; a vc carries while PROVISIONED; what depends on
 * both carries in the intersection; a resource there from zero with no
 * dependency is never gated.
 */
static void
test_carrying_with_dependencies(void)
{
	struct prov_plan *p = plan(1, 4);
	struct prov_res *disk = add(p, &disk_type, "d");
	struct prov_res *vc = add(p, &vc_type, "v");
	struct prov_res *user = add(p, &vc_type, "u");
	struct prov_res *free_one = add(p, &vc_type, "f");
	struct prov_res *peer = add(p, &peering_type, "v");
	char why[200];
	sim_time v_up;

	fake_setup();
	prov_depend(user, disk);
	prov_depend(user, vc);
	op(p, 0, PROV_CREATE, disk, SIM_S(10), 0, 0);
	op(p, 1, PROV_CREATE, vc, SIM_S(20), 0, 0)->has_duration = true;
	p->ops[1].duration = SIM_S(100);	/* PROVISIONED at 120s */
	op(p, 2, PROV_DISABLE, vc, SIM_S(300), 0, 0);	/* INACTIVE 301s */
	op(p, 3, PROV_DELETE, disk, SIM_S(400), 0, 0);	/* gone at 405s */
	prov_plan_run(p);
	CU_ASSERT_PTR_NULL(prov_plan_carry(p, why, sizeof(why)));
	v_up = SIM_S(120);
	/* the disk */
	CU_ASSERT_EQUAL(disk->carry.n, 3);
	CU_ASSERT(!disk->carry.v[0].on);
	CU_ASSERT_EQUAL(disk->carry.v[1].at, SIM_S(10));
	CU_ASSERT_EQUAL(disk->carry.v[2].at, SIM_S(405));
	CU_ASSERT(!disk->carry.v[2].on);
	/* the vc */
	CU_ASSERT_EQUAL(vc->carry.n, 3);
	CU_ASSERT_EQUAL(vc->carry.v[1].at, v_up);
	CU_ASSERT(vc->carry.v[1].on);
	CU_ASSERT_EQUAL(vc->carry.v[2].at, SIM_S(301));
	/* the user: [120s, 301s) */
	CU_ASSERT_EQUAL(user->carry.n, 3);
	CU_ASSERT(!user->carry.v[0].on);
	CU_ASSERT_EQUAL(user->carry.v[1].at, v_up);
	CU_ASSERT(user->carry.v[1].on);
	CU_ASSERT_EQUAL(user->carry.v[2].at, SIM_S(301));
	CU_ASSERT(!user->carry.v[2].on);
	CU_ASSERT(prov_res_gated(p, user));
	CU_ASSERT(!prov_res_gated(p, free_one));
	/* carries() reading another resource: asked at that one's changes */
	CU_ASSERT_EQUAL(peer->carry.n, 3);
	CU_ASSERT_EQUAL(peer->carry.v[1].at, v_up);
	CU_ASSERT(peer->carry.v[1].on);
	CU_ASSERT_EQUAL(peer->carry.v[2].at, SIM_S(301));
	/* a plan ending before the vc goes down: the user still gated */
	p->end = SIM_S(200);
	CU_ASSERT(prov_res_gated(p, user));
	prov_plan_free(p);
}

/*
 * prov_part_of (review 11, finding 2): parts of a disk created at 50s are
 * not there before it (an operation on one is refused, naming the
 * parent), come with its create, go with its delete (a part the timeline
 * creates itself too) and come back with its re-create (but the one with
 * its own create, not); parts of a part follow the root; a part of one
 * there from zero is there from zero; a cycle or a second parent is
 * refused.
 */
static void
test_parts(void)
{
	struct prov_plan *p = plan(1, 6);
	struct prov_res *d = add(p, &disk_type, "d");
	struct prov_res *part = add(p, &disk_type, "d/p");
	struct prov_res *sub = add(p, &disk_type, "d/p/s");
	struct prov_res *own = add(p, &disk_type, "d/own");
	struct prov_res *z = add(p, &disk_type, "z");
	struct prov_res *zp = add(p, &disk_type, "z/p");

	fake_setup();
	CU_ASSERT_EQUAL(prov_part_of(part, d), 0);
	CU_ASSERT_EQUAL(prov_part_of(sub, part), 0);
	CU_ASSERT_EQUAL(prov_part_of(own, d), 0);
	CU_ASSERT_EQUAL(prov_part_of(zp, z), 0);
	CU_ASSERT_EQUAL(prov_part_of(d, sub), -1);	/* a cycle */
	CU_ASSERT_EQUAL(prov_part_of(part, z), -1);	/* one parent */
	CU_ASSERT_EQUAL(prov_part_of(NULL, z), -1);
	op(p, 0, PROV_DELETE, part, SIM_S(10), 0, 0);
	op(p, 1, PROV_CREATE, d, SIM_S(50), 0, 0);
	op(p, 2, PROV_CREATE, own, SIM_S(60), 0, 0);
	op(p, 3, PROV_DELETE, d, SIM_S(200), 0, 0)->has_duration = true;
	p->ops[3].duration = SIM_S(5);
	op(p, 4, PROV_CREATE, d, SIM_S(300), 0, 0);
	op(p, 5, PROV_DELETE, sub, SIM_S(400), 0, 0);
	prov_plan_run(p);
	CU_ASSERT(p->ops[0].refused);
	CU_ASSERT_STRING_EQUAL(p->ops[0].error, "disks/d/p does not exist at "
	    "10s (disks/d does not: not created yet, or deleted)");
	CU_ASSERT(!prov_exists(p, part, 0));
	CU_ASSERT(!prov_exists(p, sub, SIM_S(50) - 1));
	CU_ASSERT(prov_exists(p, part, SIM_S(50)));
	CU_ASSERT(prov_exists(p, sub, SIM_S(50)));
	CU_ASSERT(!prov_exists(p, own, SIM_S(50)));
	CU_ASSERT(!p->ops[2].refused);
	CU_ASSERT(prov_exists(p, own, SIM_S(60)));
	CU_ASSERT(prov_exists(p, sub, SIM_S(205) - 1));
	CU_ASSERT(!prov_exists(p, part, SIM_S(205)));
	CU_ASSERT(!prov_exists(p, sub, SIM_S(205)));
	CU_ASSERT(!prov_exists(p, own, SIM_S(205)));
	CU_ASSERT(prov_exists(p, part, SIM_S(300)));
	CU_ASSERT(prov_exists(p, sub, SIM_S(300)));
	CU_ASSERT(!prov_exists(p, own, SIM_S(300)));
	CU_ASSERT(!p->ops[5].refused);
	CU_ASSERT(prov_exists(p, z, 0));
	CU_ASSERT(prov_exists(p, zp, 0));
	prov_plan_free(p);
}

/* A dependency cycle is named, from the resource where it closes. */
static void
test_dependency_cycle(void)
{
	struct prov_plan *p = plan(1, 0);
	struct prov_res *a = add(p, &disk_type, "a");
	struct prov_res *b = add(p, &disk_type, "b");
	struct prov_res *c = add(p, &disk_type, "c");
	char why[200];

	fake_setup();
	prov_depend(a, b);
	prov_depend(b, c);
	prov_depend(c, b);
	prov_plan_run(p);
	CU_ASSERT_PTR_EQUAL(prov_plan_carry(p, why, sizeof(why)), b);
	CU_ASSERT_STRING_EQUAL(why, "disks/b -> disks/c -> disks/b");
	prov_plan_free(p);
}

/* The identity KEY/NAME is unique; the registration table is bounded. */
static void
test_add_and_register(void)
{
	struct prov_plan *p = plan(1, 0);
	struct sc_loc l = { 1, 1 };
	struct prov_cloud more[PROV_CLOUDS_MAX];
	char names[PROV_CLOUDS_MAX][8];
	size_t i, n0;
	int ok = 0;

	fake_setup();
	CU_ASSERT_PTR_NOT_NULL(prov_add(p, &disk_type, "x", l, NULL));
	CU_ASSERT_PTR_NULL(prov_add(p, &disk_type, "x", l, NULL));
	CU_ASSERT_PTR_NOT_NULL(prov_add(p, &vc_type, "x", l, NULL));
	CU_ASSERT_PTR_EQUAL(prov_find_res(p, "vcs", "x"), p->res[1]);
	CU_ASSERT_STRING_EQUAL(p->res[1]->ident, "vcs/x");
	prov_plan_free(p);

	CU_ASSERT_EQUAL(prov_register_cloud(&fake_cloud), -1);
	n0 = prov_n_clouds();
	for (i = 0; i < PROV_CLOUDS_MAX; i++) {
		snprintf(names[i], sizeof(names[i]), "c%zu", i);
		more[i].name = names[i];
		more[i].resources = NULL;
		ok += prov_register_cloud(&more[i]) == 0;
	}
	CU_ASSERT_EQUAL((size_t)ok, PROV_CLOUDS_MAX - n0);
	for (i = 0; i < PROV_CLOUDS_MAX; i++)
		prov_unregister_cloud(&more[i]);
	CU_ASSERT_EQUAL(prov_n_clouds(), n0);
	for (i = 0; i < n0 && prov_cloud_at(i) != &fake_cloud; i++)
		;
	CU_ASSERT(i < n0);
}

/* --- through the loader -------------------------------------------------- */

static const char base[] =
	"name: t\n"
	"nodes:\n"
	"  - { name: edge, role: router }\n"
	"fakes:\n"
	"  - { name: a, kind: disk }\n"
	"  - { name: b, kind: disk, needs: [v1] }\n"
	"  - { name: v1, kind: vc }\n"
	"  - { name: a2, kind: vc }\n";

static struct scenario *
load_tl(const char *timeline, char **diag, unsigned *n_errors)
{
	char text[4096];

	snprintf(text, sizeof(text), "%s%s", base, timeline);
	return load(text, diag, n_errors);
}

/* Without a timeline every resource is there from zero: no gate. */
static void
test_gate_null_without_timeline(void)
{
	struct scenario *sc;
	unsigned n = 0;
	char *diag = NULL;

	fake_setup();
	sc = load_tl("", &diag, &n);
	if (sc == NULL)
		fprintf(stderr, "%s", diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	CU_ASSERT_EQUAL(n, 0);
	CU_ASSERT_PTR_NOT_NULL(prov_plan_of(sc));
	CU_ASSERT_EQUAL(prov_plan_of(sc)->n_res, 4);
	CU_ASSERT_PTR_NULL(prov_gate(sc, "disks", "a"));
	CU_ASSERT_PTR_NULL(prov_gate(sc, "disks", "b"));
	CU_ASSERT_PTR_NULL(prov_gate(sc, "vcs", "nosuch"));
	/* initial() at zero for a resource no create names */
	CU_ASSERT_STRING_EQUAL(prov_get(prov_plan_of(sc),
	    prov_find_res(prov_plan_of(sc), "vcs", "v1"), "lifecycleState", 0),
	    "PROVISIONED");
	scenario_free(sc);
	free(diag);
}

static void
expect_error(const char *timeline, const char *at, const char *msg)
{
	struct scenario *sc;
	unsigned n = 0;
	char *diag = NULL;

	sc = load_tl(timeline, &diag, &n);
	CU_ASSERT_PTR_NULL(sc);
	if (!has_error(diag, at, msg)) {
		fprintf(stderr, "\nwanted %s: %s\ngot:\n%s", at, msg, diag);
		CU_FAIL("error not reported");
	}
	scenario_free(sc);
	free(diag);
}

/*
 * An item that is not a mapping: the walker's error and no other (the
 * timeline's check used to add "timeline item is empty" at each).
 */
static void
expect_only_error(const char *timeline, unsigned errors, const char *at,
    const char *msg)
{
	unsigned n = 0;
	char *diag = NULL;

	expect_error(timeline, at, msg);
	scenario_free(load_tl(timeline, &diag, &n));
	CU_ASSERT_EQUAL(n, errors);
	CU_ASSERT_PTR_NULL(strstr(diag, "is empty"));
	free(diag);
}

/* Each rule of the timeline's items, at its place, with its hint. */
static void
test_check_errors(void)
{
	fake_setup();
	expect_error("timeline:\n  - { at: 0s, create: disks/aa }\n", "10:23",
	    "unknown cloud resource 'disks/aa' (did you mean 'disks/a'");
	expect_error("timeline:\n  - { at: 0s, create: nope }\n", "10:23",
	    "unknown cloud resource 'nope'");
	expect_error("timeline:\n  - { at: 0s, delete: vcs/b }\n", "10:23",
	    "unknown cloud resource 'vcs/b' (did you mean 'disks/b'?)");
	expect_error("timeline:\n  - { at: 0s, enable: a }\n", "10:23",
	    "disks/a (Disk) has no operation 'enable' (it has create, "
	    "delete)");
	expect_error("timeline:\n  - { at: 0s }\n", "10:5",
	    "timeline item has no operation");
	expect_error("timeline:\n  - {}\n", "10:5",
	    "timeline item is empty: it needs an operation");
	expect_only_error("timeline:\n  - foo\n  - [a]\n", 2, "10:5",
	    "each item of 'timeline' must be a mapping (a timeline_op), got "
	    "a scalar");
	expect_only_error("timeline:\n  - foo\n  - [a]\n", 2, "11:5",
	    "each item of 'timeline' must be a mapping (a timeline_op), got "
	    "a list");
	expect_error("timeline:\n  - { at: 0s, create: a, delete: a }\n",
	    "10:34", "has two operations, 'create' and 'delete'");
	expect_error("timeline:\n  - { id: x, create: a }\n", "10:5",
	    "needs 'at' (a time) or 'after'");
	expect_error("timeline:\n  - { id: x, at: 0s, create: a }\n"
	    "  - { at: 1s, after: x, create: b }\n", "11:22",
	    "both 'at' and 'after'");
	expect_error("timeline:\n  - { id: circuit, at: 0s, create: a }\n"
	    "  - { after: circut, create: b }\n", "11:14",
	    "unknown operation id 'circut' (did you mean 'circuit'");
	expect_error("timeline:\n  - { id: x, at: 0s, create: a }\n"
	    "  - { id: x, at: 1s, create: b }\n", "11:11",
	    "duplicate operation id 'x'");
	expect_error("timeline:\n  - { id: x, after: z, create: a }\n"
	    "  - { id: y, after: x, create: b }\n"
	    "  - { id: z, after: y, delete: b }\n", "10:21",
	    "'after' makes a cycle (x -> z -> y -> x)");
	expect_error("timeline:\n  - { at: 0s, delay: 1s, create: a }\n",
	    "10:22", "'delay' is counted from the completion of 'after'");
	expect_error("timeline:\n  - { at: 0s, create: a, set: { x: 1 } }\n",
	    "10:31", "'set' belongs to an update, not to create");
	expect_error("timeline:\n  - { at: 0s, update: v1 }\n", "10:5",
	    "update of 'v1' needs 'set'");
	/* review 11, #11: an update changing nothing */
	expect_error("timeline:\n  - { at: 0s, update: v1, set: {} }\n",
	    "10:32", "update of 'v1': 'set' is empty");
	expect_error("timeline:\n  - { at: 0s, update: v1, "
	    "set: { bandwidth: 1, bandwidth: 2 } }\n", "10:48",
	    "'set': duplicate key 'bandwidth' (first at 10:34)");
	expect_error("timeline:\n  - { at: 0s, update: v1, set: { b: [1] } }"
	    "\n", "10:37", "'b': expected a single value");
}

/* A NAME two resources share is ambiguous; KEY/NAME settles it. */
static void
test_ambiguous_name(void)
{
	static const char text[] =
		"name: t\n"
		"nodes:\n"
		"  - { name: edge, role: router }\n"
		"fakes:\n"
		"  - { name: x, kind: disk }\n"
		"  - { name: x, kind: vc }\n"
		"timeline:\n"
		"  - { at: 0s, delete: x }\n"
		"  - { at: 0s, delete: nosuch }\n";
	struct scenario *sc;
	unsigned n = 0;
	char *diag = NULL;

	fake_setup();
	sc = load(text, &diag, &n);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT(has_error(diag, "8:23", "resource 'x' is ambiguous: "
	    "disks/x, vcs/x (write KEY/NAME)"));
	free(diag);
}

/* prov_created_on_timeline reads the items before any compile. */
static void
test_created_on_timeline(void)
{
	struct scenario *sc;
	unsigned n = 0;
	char *diag = NULL;

	fake_setup();
	fake_created_a = fake_created_b = -1;
	/* an unknown resource stops the load after resources() ran */
	sc = load_tl("timeline:\n  - { at: 0s, create: disks/a }\n"
	    "  - { at: 0s, delete: b }\n  - { at: 0s, create: zz }\n",
	    &diag, &n);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT_EQUAL(fake_created_a, 1);
	CU_ASSERT_EQUAL(fake_created_b, 0);
	free(diag);
	diag = NULL;
	sc = load_tl("timeline:\n  - { at: 0s, create: b }\n"
	    "  - { at: 0s, create: zz }\n", &diag, &n);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT_EQUAL(fake_created_a, 0);
	CU_ASSERT_EQUAL(fake_created_b, 1);
	free(diag);
}

static const struct test_case cases[] = {
	{ "operations run at, after + delay, in start order",
	    test_order_at_after_delay },
	{ "equal starts run in file order", test_order_ties_file_order },
	{ "a chain stops at the horizon", test_horizon },
	{ "draws are seeded, per operation and draw", test_draws_seeded },
	{ "duration replaces the first draw", test_duration_override },
	{ "refusals and operations on absent resources", test_refusals },
	{ "carrying intersects dependencies",
	    test_carrying_with_dependencies },
	{ "a dependency cycle is refused", test_dependency_cycle },
	{ "a part exists while its parent does", test_parts },
	{ "identities and the cloud registry", test_add_and_register },
	{ "no timeline: no gate, initial states",
	    test_gate_null_without_timeline },
	{ "timeline errors at their place", test_check_errors },
	{ "an ambiguous name", test_ambiguous_name },
	{ "prov_created_on_timeline reads the walked items",
	    test_created_on_timeline },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "provision", cases);
}
