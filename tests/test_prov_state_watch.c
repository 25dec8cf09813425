/*
 * test_prov_state_watch.c - bgp_speaker_watch_peer, the seam the
 * resources section follows sessions through: a watch hears the session
 * enter Established at the time the speaker's statistics say, and leave
 * it at a ManualStop's instant; two watches on one neighbour are called
 * in the order they were added; a neighbour that does not exist is
 * refused; freeing the speaker tells no watcher (the scenario frees the
 * watchers' state first).
 */
#include <stdio.h>
#include <stdlib.h>

#include "bgp_speaker_testutil.h"

#define W_MAX 8

struct rec {
	struct sim *sim;
	int tag;
	int *order;		/* shared: the tags in call order */
	int *n_order;
	int n;
	sim_time t[W_MAX];
	bool up[W_MAX];
	uint32_t addr[W_MAX];
};

static void
rec_fn(void *arg, uint32_t addr, bool established)
{
	struct rec *r = arg;

	if (r->n >= W_MAX)
		return;
	r->t[r->n] = sim_now(r->sim);
	r->up[r->n] = established;
	r->addr[r->n++] = addr;
	if (r->order != NULL)
		r->order[(*r->n_order)++] = r->tag;
}

static void
stop_now(struct sim *sim, void *arg)
{
	struct bs_net *b = arg;

	(void)sim;
	CU_ASSERT_EQUAL(bgp_speaker_peer_stop(b->sp[0], bs_ip("10.0.0.2")),
	    0);
}

/* r0 (AS 65001) - r1 (AS 65002, passive) on 10.0.0.0/30, 1 ms. */
static void
pair(struct bs_net *b)
{
	bs_init(b, 2);
	bs_link(b, 0, 1, "10.0.0.0", SIM_MS(1));
	bs_speaker(b, 0, 65001, "1.1.1.1", 0);
	bs_speaker(b, 1, 65002, "2.2.2.2", 0);
	bs_neighbor(b, 0, "10.0.0.2", 65002, NULL, false);
	bs_neighbor(b, 1, "10.0.0.1", 65001, NULL, true);
}

static void
test_watch_up_down(void)
{
	struct bs_net b;
	struct rec a, c;
	struct bgp_peer_stats st;
	int order[2 * W_MAX], n_order = 0;

	pair(&b);
	memset(&a, 0, sizeof(a));
	memset(&c, 0, sizeof(c));
	a.sim = c.sim = b.sim;
	a.tag = 1;
	c.tag = 2;
	a.order = c.order = order;
	a.n_order = c.n_order = &n_order;
	CU_ASSERT_EQUAL(bgp_speaker_watch_peer(b.sp[0], bs_ip("10.0.0.2"),
	    rec_fn, &a), 0);
	CU_ASSERT_EQUAL(bgp_speaker_watch_peer(b.sp[0], bs_ip("10.0.0.2"),
	    rec_fn, &c), 0);
	bs_start(&b);
	sim_schedule_at(b.sim, SIM_S(30), stop_now, &b);
	sim_run_until(b.sim, SIM_S(60));
	CU_ASSERT_EQUAL_FATAL(a.n, 2);
	CU_ASSERT_EQUAL_FATAL(c.n, 2);
	bgp_speaker_peer_stats(b.sp[0], bs_ip("10.0.0.2"), &st);
	CU_ASSERT(st.first_established > 0);
	CU_ASSERT_TRUE(a.up[0]);
	CU_ASSERT_EQUAL(a.t[0], st.first_established);
	CU_ASSERT_EQUAL(a.addr[0], bs_ip("10.0.0.2"));
	CU_ASSERT_FALSE(a.up[1]);
	CU_ASSERT_EQUAL(a.t[1], SIM_S(30));
	CU_ASSERT_EQUAL(a.t[1], st.last_down);
	CU_ASSERT_EQUAL(c.t[0], a.t[0]);
	CU_ASSERT_EQUAL(c.t[1], a.t[1]);
	/* in the order added, each change */
	CU_ASSERT_EQUAL_FATAL(n_order, 4);
	CU_ASSERT_EQUAL(order[0], 1);
	CU_ASSERT_EQUAL(order[1], 2);
	CU_ASSERT_EQUAL(order[2], 1);
	CU_ASSERT_EQUAL(order[3], 2);
	bs_free(&b);
}

static void
test_watch_refused_and_teardown_silent(void)
{
	struct bs_net b;
	struct rec a;

	pair(&b);
	memset(&a, 0, sizeof(a));
	a.sim = b.sim;
	CU_ASSERT_EQUAL(bgp_speaker_watch_peer(b.sp[0], bs_ip("10.0.0.9"),
	    rec_fn, &a), -1);
	CU_ASSERT_EQUAL(bgp_speaker_watch_peer(b.sp[1], bs_ip("10.0.0.1"),
	    rec_fn, &a), 0);
	bs_start(&b);
	sim_run_until(b.sim, SIM_S(10));
	CU_ASSERT_EQUAL(bgp_speaker_peer_state(b.sp[1], bs_ip("10.0.0.1")),
	    BGP_ST_ESTABLISHED);
	CU_ASSERT_EQUAL(a.n, 1);
	CU_ASSERT_TRUE(a.up[0]);
	/* the passive side hears its own session come up too */
	CU_ASSERT_EQUAL(a.addr[0], bs_ip("10.0.0.1"));
	bs_free(&b);
	CU_ASSERT_EQUAL(a.n, 1);
}

static const struct test_case cases[] = {
	{ "a watch hears Established entered and left, in order",
	    test_watch_up_down },
	{ "no such neighbour refused; a speaker's teardown tells no one",
	    test_watch_refused_and_teardown_silent },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "prov_state_watch", cases);
}
