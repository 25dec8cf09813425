/*
 * test_link_jitter.c - link jitter (sim/net.h struct link_jitter): exact
 * arrival times from the direction's seeded stream, FIFO kept without
 * reorder, frames overtaking with it, the distributions' shapes and caps,
 * loss draws untouched by jitter, the same seed giving the same arrivals,
 * and frames on a reordering wire dropped (not leaked) when the link goes
 * down or the net is freed. Expected times are computed from the stream
 * the link draws from ("link/NAME/a->b/jitter", rng.h), not read back.
 */
#include <math.h>
#include <string.h>

#include "net.h"
#include "pkt.h"
#include "rng.h"
#include "sim.h"
#include "testutil.h"
#include "wire.h"

#define N_MAX 4000

/* 1000 B payload + 8 UDP + 20 IP + 14 Ethernet = 1042 B at 1 Gbit/s */
#define TX ((sim_time)1042 * 8)

struct rx_log {
	sim_time at[N_MAX];
	uint32_t id[N_MAX];	/* the sender's index, from the UDP port */
	int n;
};

struct two {
	struct sim *sim;
	struct net *net;
	struct node *a, *b;
	struct link *l;
	struct rx_log log;
};

static void
rx_record(struct node *n, struct pkt *p, const struct wire_frame *f, void *ctx)
{
	struct rx_log *log = ctx;
	struct sim *sim = net_sim(node_net(n));

	if (log->n < N_MAX) {
		log->at[log->n] = sim_now(sim);
		log->id[log->n++] = f->udp.sport;
	}
	pkt_free(sim, p);
}

static struct link_params
params(const struct link_jitter *j)
{
	struct link_params p;

	memset(&p, 0, sizeof(p));
	p.dir[0].rate_bps = p.dir[1].rate_bps = SIM_S(1);	/* 1 Gbit/s */
	p.dir[0].delay = p.dir[1].delay = SIM_MS(1);
	if (j != NULL)
		p.dir[0].jitter = *j;
	p.mtu = 1500;
	p.qlimit_pkts = N_MAX;
	return p;
}

static void
two_build(struct two *t, uint64_t seed, const struct link_params *p)
{
	uint32_t ia, ib;

	memset(&t->log, 0, sizeof(t->log));
	t->sim = sim_new(seed);
	t->net = net_new(t->sim);
	t->a = net_add_node(t->net, "a", "host", NULL, NULL);
	t->b = net_add_node(t->net, "b", "host", NULL, NULL);
	ia = node_add_iface(t->a, "e0", NULL, 0x0a000001, 24, 0);
	ib = node_add_iface(t->b, "e0", NULL, 0x0a000002, 24, 0);
	t->l = net_add_link(t->net, "l", t->a, ia, t->b, ib, p);
	CU_ASSERT_EQUAL(node_bind_udp(t->b, VRF_DEFAULT, 9, rx_record, NULL,
	    &t->log), 0);
}

static void
two_free(struct two *t)
{
	net_free(t->net);
	CU_ASSERT_EQUAL(pkt_live(t->sim), 0);	/* nothing leaked */
	sim_free(t->sim);
}

/* A 1000 B datagram from a to b whose source port is its index. */
static void
send_one(struct two *t, uint16_t id)
{
	struct pkt *p = pkt_alloc(t->sim, 0);
	struct udp_hdr u = { .sport = id, .dport = 9 };

	p->virt_len = 1000;
	wire_push_udp(t->sim, p, &u, 0x0a000001, 0x0a000002);
	node_send_ip(t->a, 0, p, 0x0a000001, 0x0a000002, WIRE_IPPROTO_UDP,
	    64, 0);
}

/* Frames sent at times of their own: a timer per frame. */
struct spaced {
	struct two *t;
	uint16_t id;
};

static void
send_fire(struct sim *sim, void *arg)
{
	struct spaced *s = arg;

	(void)sim;
	send_one(s->t, s->id);
}

/* The extras the link will draw, from its own stream. */
static void
uniform_draws(uint64_t seed, sim_time bound, sim_time *out, int n)
{
	struct rng r;
	int i;

	rng_init(&r, seed, "link/l/a->b/jitter");
	for (i = 0; i < n; i++)
		out[i] = (sim_time)rng_below(&r, (uint64_t)bound + 1);
}

/*
 * Frames 2 ms apart, uniform jitter of at most 500 µs: each arrives at its
 * send time + serialisation + delay + its own draw, to the nanosecond.
 */
static void
test_exact_uniform(void)
{
	struct link_jitter j = { .kind = LINK_JITTER_UNIFORM,
		.bound = SIM_US(500) };
	struct link_params p = params(&j);
	static struct spaced s[100];
	sim_time draw[100];
	struct two t;
	int i, differ = 0;

	two_build(&t, 42, &p);
	uniform_draws(42, SIM_US(500), draw, 100);
	for (i = 0; i < 100; i++) {
		s[i] = (struct spaced){ &t, (uint16_t)i };
		sim_schedule_at(t.sim, SIM_MS(2) * i, send_fire, &s[i]);
	}
	sim_run(t.sim);
	CU_ASSERT_EQUAL_FATAL(t.log.n, 100);
	for (i = 0; i < 100; i++) {
		CU_ASSERT_EQUAL(t.log.id[i], (uint32_t)i);
		CU_ASSERT_EQUAL(t.log.at[i], SIM_MS(2) * i + TX + SIM_MS(1) +
		    draw[i]);
		CU_ASSERT(draw[i] >= 0 && draw[i] <= SIM_US(500));
		differ += draw[i] != draw[0];
	}
	CU_ASSERT(differ > 90);		/* it is jitter, not a constant */
	/* the other direction has none: b's frames take the delay */
	CU_ASSERT_EQUAL(link_get_params(t.l)->dir[1].jitter.kind,
	    LINK_JITTER_NONE);
	two_free(&t);
}

/*
 * A burst of 300 back-to-back frames (8.336 µs apart on the wire) with up
 * to 1 ms of jitter: without reorder each arrives at max(its draw, the
 * previous arrival), so they come in order, many held behind a slower one.
 */
static void
test_fifo_without_reorder(void)
{
	struct link_jitter j = { .kind = LINK_JITTER_UNIFORM,
		.bound = SIM_MS(1), .reorder = false };
	struct link_params p = params(&j);
	static sim_time draw[300];
	sim_time want = 0;
	struct two t;
	int i, held = 0;

	two_build(&t, 7, &p);
	uniform_draws(7, SIM_MS(1), draw, 300);
	for (i = 0; i < 300; i++)
		send_one(&t, (uint16_t)i);
	sim_run(t.sim);
	CU_ASSERT_EQUAL_FATAL(t.log.n, 300);
	for (i = 0; i < 300; i++) {
		sim_time own = TX * (i + 1) + SIM_MS(1) + draw[i];

		held += own < want;
		want = own > want ? own : want;
		CU_ASSERT_EQUAL(t.log.id[i], (uint32_t)i);
		CU_ASSERT_EQUAL(t.log.at[i], want);
		if (i > 0)
			CU_ASSERT(t.log.at[i] >= t.log.at[i - 1]);
	}
	CU_ASSERT(held > 100);	/* the max did something */
	two_free(&t);
}

/* The same burst with reorder: each frame keeps its own draw. */
static void
test_reorder(void)
{
	struct link_jitter j = { .kind = LINK_JITTER_UNIFORM,
		.bound = SIM_MS(1), .reorder = true };
	struct link_params p = params(&j);
	static sim_time draw[300];
	static bool seen[300];
	struct two t;
	int i, inversions = 0;

	two_build(&t, 7, &p);
	uniform_draws(7, SIM_MS(1), draw, 300);
	for (i = 0; i < 300; i++)
		send_one(&t, (uint16_t)i);
	sim_run(t.sim);
	CU_ASSERT_EQUAL_FATAL(t.log.n, 300);
	memset(seen, 0, sizeof(seen));
	for (i = 0; i < 300; i++) {
		uint32_t id = t.log.id[i];

		CU_ASSERT_FATAL(id < 300);
		CU_ASSERT(!seen[id]);
		seen[id] = true;
		CU_ASSERT_EQUAL(t.log.at[i], TX * (id + 1) + SIM_MS(1) +
		    draw[id]);
		if (i > 0) {
			CU_ASSERT(t.log.at[i] >= t.log.at[i - 1]);
			inversions += id < t.log.id[i - 1];
		}
	}
	CU_ASSERT(inversions > 50);	/* frames overtook */
	two_free(&t);
}

/*
 * Two frames drawn the same arrival leave in the order they were sent:
 * at 1 Tbit/s frames start 9 ns apart, and up to 27 ns of jitter makes
 * many land together (and many overtake).
 */
static void
test_reorder_ties(void)
{
	struct link_jitter j = { .kind = LINK_JITTER_UNIFORM, .bound = 27,
		.reorder = true };
	struct link_params p = params(&j);
	static sim_time draw[1000];
	const sim_time tx = 9;	/* 8336 bits at 1 Tbit/s, rounded up */
	struct two t;
	int i, ties = 0, inversions = 0;

	p.dir[0].rate_bps = 1000000000000ULL;
	two_build(&t, 3, &p);
	uniform_draws(3, 27, draw, 1000);
	for (i = 0; i < 1000; i++)
		send_one(&t, (uint16_t)i);
	sim_run(t.sim);
	CU_ASSERT_EQUAL_FATAL(t.log.n, 1000);
	for (i = 0; i < 1000; i++) {
		uint32_t id = t.log.id[i];

		CU_ASSERT_FATAL(id < 1000);
		CU_ASSERT_EQUAL(t.log.at[i], tx * (id + 1) + SIM_MS(1) +
		    draw[id]);
		if (i == 0)
			continue;
		if (t.log.at[i] == t.log.at[i - 1]) {
			ties++;
			CU_ASSERT(id > t.log.id[i - 1]);
		} else if (id < t.log.id[i - 1])
			inversions++;
	}
	CU_ASSERT(ties > 20);
	CU_ASSERT(inversions > 20);
	two_free(&t);
}

/*
 * Send n frames 10 ms apart (no queueing; without reorder, no holding
 * while the extras stay under 10 ms); their extras, by frame.
 */
static void
extras(struct link_jitter *j, uint64_t seed, sim_time *out, int n)
{
	struct link_params p = params(j);
	static struct spaced s[N_MAX];
	struct two t;
	int i;

	two_build(&t, seed, &p);
	for (i = 0; i < n; i++) {
		s[i] = (struct spaced){ &t, (uint16_t)i };
		sim_schedule_at(t.sim, SIM_MS(10) * i, send_fire, &s[i]);
	}
	sim_run(t.sim);
	CU_ASSERT_EQUAL_FATAL(t.log.n, n);
	for (i = 0; i < n; i++) {
		uint32_t id = t.log.id[i];

		CU_ASSERT_FATAL(id < (uint32_t)n);
		out[id] = t.log.at[i] - SIM_MS(10) * id - TX - SIM_MS(1);
	}
	two_free(&t);
}

static void
moments(const sim_time *x, int n, double *mean, double *sd, sim_time *max)
{
	double s = 0, s2 = 0;
	int i;

	*max = 0;
	for (i = 0; i < n; i++) {
		s += (double)x[i];
		*max = x[i] > *max ? x[i] : *max;
	}
	*mean = s / n;
	for (i = 0; i < n; i++)
		s2 += ((double)x[i] - *mean) * ((double)x[i] - *mean);
	*sd = sqrt(s2 / (n - 1));
}

/*
 * normal: |N(0, sd^2)|, mean sd sqrt(2/pi) = 0.798 sd and standard
 * deviation sd sqrt(1 - 2/pi) = 0.603 sd; pareto: Lomax scaled to sd.
 * 4000 draws: the sample mean is within a few percent (the bounds are
 * wide enough for any seed's luck, narrow enough to tell the shapes).
 */
static void
test_distributions(void)
{
	static sim_time x[N_MAX];
	struct link_jitter nj = { .kind = LINK_JITTER_NORMAL,
		.sd = SIM_MS(1) };
	struct link_jitter pj = { .kind = LINK_JITTER_PARETO,
		.sd = SIM_MS(1), .shape = 6, .reorder = true };
	struct link_jitter cj = { .kind = LINK_JITTER_PARETO,
		.sd = SIM_MS(1), .shape = 2.5, .bound = SIM_MS(2) };
	double mean, sd, below = 0;
	sim_time max;
	int i, capped = 0;

	extras(&nj, 11, x, N_MAX);
	moments(x, N_MAX, &mean, &sd, &max);
	CU_ASSERT(mean > 0.77e6 && mean < 0.83e6);
	CU_ASSERT(sd > 0.57e6 && sd < 0.64e6);
	for (i = 0; i < N_MAX; i++) {
		CU_ASSERT(x[i] >= 0);
		below += x[i] <= SIM_US(674);	/* the half-normal's median */
	}
	CU_ASSERT(below / N_MAX > 0.47 && below / N_MAX < 0.53);

	/* Lomax, shape 6, sd 1 ms: scale 5 sqrt(4/6) ms, mean scale / 5 */
	extras(&pj, 11, x, N_MAX);
	moments(x, N_MAX, &mean, &sd, &max);
	CU_ASSERT(mean > 0.78e6 && mean < 0.86e6);
	CU_ASSERT(sd > 0.85e6 && sd < 1.15e6);
	CU_ASSERT(max > SIM_MS(5));		/* a tail */

	/* the cap: nothing past bound, and the tail piles up on it */
	extras(&cj, 11, x, N_MAX);
	for (i = 0; i < N_MAX; i++) {
		CU_ASSERT(x[i] >= 0 && x[i] <= SIM_MS(2));
		capped += x[i] == SIM_MS(2);
	}
	CU_ASSERT(capped > 10);
}

/* Same seed, same arrivals; another seed, others. */
static void
test_deterministic(void)
{
	static sim_time x[500], y[500], z[500];
	struct link_jitter pj = { .kind = LINK_JITTER_PARETO,
		.sd = SIM_US(300), .shape = 3, .reorder = true };

	extras(&pj, 5, x, 500);
	extras(&pj, 5, y, 500);
	extras(&pj, 6, z, 500);
	CU_ASSERT_EQUAL(memcmp(x, y, sizeof(x)), 0);
	CU_ASSERT_NOT_EQUAL(memcmp(x, z, sizeof(x)), 0);
}

/* Which of n frames 1 ms apart are lost, Bernoulli 0.3, with j or none. */
static void
lost_ids(const struct link_jitter *j, bool *got, int n)
{
	struct link_params p = params(j);
	static struct spaced s[1000];
	struct two t;
	int i;

	p.dir[0].loss = (struct link_loss){ .kind = LINK_LOSS_BERNOULLI,
	    .p = 0.3 };
	two_build(&t, 9, &p);
	for (i = 0; i < n; i++) {
		s[i] = (struct spaced){ &t, (uint16_t)i };
		sim_schedule_at(t.sim, SIM_MS(1) * i, send_fire, &s[i]);
	}
	sim_run(t.sim);
	memset(got, 0, (size_t)n * sizeof(*got));
	for (i = 0; i < t.log.n; i++)
		got[t.log.id[i]] = true;
	CU_ASSERT(t.log.n > n / 2 && t.log.n < n);
	two_free(&t);
}

/* Jitter draws from its own stream: the same frames are lost with it. */
static void
test_loss_unchanged(void)
{
	static bool plain[1000], jit[1000];
	struct link_jitter j = { .kind = LINK_JITTER_NORMAL, .sd = SIM_MS(2),
		.reorder = true };

	lost_ids(NULL, plain, 1000);
	lost_ids(&j, jit, 1000);
	CU_ASSERT_EQUAL(memcmp(plain, jit, sizeof(plain)), 0);
}

static void
down_fire(struct sim *sim, void *arg)
{
	(void)sim;
	link_set_up(arg, false);
}

/*
 * Frames on a reordering wire when the link goes down are dropped at
 * their arrival (link_down), and those still there when the net is freed
 * are freed with it: two_free checks nothing is live.
 */
static void
test_down_and_free(void)
{
	struct link_jitter j = { .kind = LINK_JITTER_UNIFORM,
		.bound = SIM_MS(5), .reorder = true };
	struct link_params p = params(&j);
	struct two t;
	int i;

	two_build(&t, 1, &p);
	for (i = 0; i < 100; i++)
		send_one(&t, (uint16_t)i);
	/* the last frame is on the wire at 834 µs; the first lands >= 1 ms */
	sim_schedule_at(t.sim, SIM_US(900), down_fire, t.l);
	sim_run(t.sim);
	CU_ASSERT_EQUAL(t.log.n, 0);
	CU_ASSERT_EQUAL(link_get_stats(t.l, 0)->drops[DROP_LINK_DOWN], 100);
	two_free(&t);

	/* freed in flight: the heap's frames go with the link */
	two_build(&t, 1, &p);
	for (i = 0; i < 100; i++)
		send_one(&t, (uint16_t)i);
	sim_run_until(t.sim, SIM_MS(3));
	CU_ASSERT(t.log.n > 0 && t.log.n < 100);
	two_free(&t);
}

static void
test_check(void)
{
	struct link_jitter j = { .kind = LINK_JITTER_NONE };

	CU_ASSERT(link_jitter_check(&j));
	j = (struct link_jitter){ .kind = LINK_JITTER_UNIFORM };
	CU_ASSERT(!link_jitter_check(&j));
	j.bound = 1;
	CU_ASSERT(link_jitter_check(&j));
	j = (struct link_jitter){ .kind = LINK_JITTER_NORMAL };
	CU_ASSERT(!link_jitter_check(&j));
	j.sd = 1;
	CU_ASSERT(link_jitter_check(&j));
	j.bound = -1;
	CU_ASSERT(!link_jitter_check(&j));
	j = (struct link_jitter){ .kind = LINK_JITTER_PARETO, .sd = 1,
		.shape = 2 };
	CU_ASSERT(!link_jitter_check(&j));
	j.shape = NAN;
	CU_ASSERT(!link_jitter_check(&j));
	j.shape = 2.01;
	CU_ASSERT(link_jitter_check(&j));
}

static const struct test_case cases[] = {
	{ "uniform: exact arrivals from the direction's stream",
	    test_exact_uniform },
	{ "no reorder: arrival = max(draw, previous), FIFO kept",
	    test_fifo_without_reorder },
	{ "reorder: each frame keeps its draw, frames overtake",
	    test_reorder },
	{ "reorder: equal draws leave in transmission order",
	    test_reorder_ties },
	{ "normal and pareto: their shapes; bound caps", test_distributions },
	{ "same seed, same arrivals", test_deterministic },
	{ "jitter changes no loss draw", test_loss_unchanged },
	{ "link down and net freed with frames on a reordering wire",
	    test_down_and_free },
	{ "link_jitter_check", test_check },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "link_jitter", cases);
}
