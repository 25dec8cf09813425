/*
 * bench/fib.c - forwarding-table lookup and update speed, and table size.
 *
 * For tables of 1k, 100k and 1M random routes with a BGP-like length mix
 * (mostly /24, then /16../23, a few /8../15) it prints, one figure a line:
 * insertion time per route, memory by the table's own accounting, and the
 * rate of 10M lookups, both to uniformly random addresses and to addresses
 * inside random routes (traffic that goes somewhere). Addresses are drawn
 * ahead of time and read in order, so the loop times lookups, not the
 * generator. Deletion time per route closes each size.
 *
 * Then the same routes through a RIB (rib.c), as a BGP feed would install
 * them: one source, 16 next hops shared by all routes, plus a second,
 * less preferred candidate (another source) for one prefix in ten. It prints
 * ns per add, bytes per route for RIB and FIB together, ns per lookup
 * (longest match to the group and the member a flow hashes to) and ns per
 * withdraw, every route deleted.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "fib.h"
#include "rib.h"
#include "sim.h"

#define LOOKUPS 10000000u
#define ADDRS (1u << 20)	/* pre-drawn addresses, cycled */

struct gen {
	uint64_t x;
};

static uint64_t
gen_next(struct gen *g)
{
	uint64_t z = (g->x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Roughly the length histogram of a public IPv4 BGP table, in percent. */
static unsigned
bgp_len(struct gen *g)
{
	static const struct {
		unsigned len, pct;
	} mix[] = {
		{ 24, 56 }, { 23, 10 }, { 22, 12 }, { 21, 5 }, { 20, 5 },
		{ 19, 4 }, { 18, 2 }, { 17, 1 }, { 16, 3 },
	};
	unsigned r = (unsigned)(gen_next(g) % 100), acc = 0, i;

	for (i = 0; i < sizeof(mix) / sizeof(mix[0]); i++) {
		acc += mix[i].pct;
		if (r < acc)
			return mix[i].len;
	}
	return 8 + (unsigned)(gen_next(g) % 8);	/* the last 2% */
}

static uint32_t
netmask(unsigned len)
{
	return len == 0 ? 0 : ~0u << (32 - len);
}

static double
per_sec(uint64_t n, uint64_t ns)
{
	return ns ? (double)n * 1e9 / (double)ns : 0.0;
}

static void
time_lookups(const struct fib *f, const uint32_t *addr, const char *what)
{
	uint64_t t0, t1, sum = 0, hits = 0;
	uint32_t i, v;
	uint8_t len;

	t0 = now_ns();
	for (i = 0; i < LOOKUPS; i++) {
		if (fib_lookup(f, addr[i & (ADDRS - 1)], &v, &len)) {
			sum += v + len;
			hits++;
		}
	}
	t1 = now_ns();
	printf("  lookups %s: %.1f M/s\n", what,
	    per_sec(LOOKUPS, t1 - t0) / 1e6);
	printf("  ns per lookup %s: %.2f\n", what,
	    (double)(t1 - t0) / LOOKUPS);
	printf("  matched %s: %.1f%% (checksum %llu)\n", what,
	    100.0 * (double)hits / LOOKUPS, (unsigned long long)sum);
}

static void
run(size_t nroutes, uint64_t seed)
{
	struct gen g = { seed };
	uint32_t *pfx = xmalloc(nroutes * sizeof(*pfx));
	uint8_t *len = xmalloc(nroutes);
	uint32_t *addr = xmalloc(ADDRS * sizeof(*addr));
	struct fib *f = fib_new();
	uint64_t t0, t1;
	size_t i;

	for (i = 0; i < nroutes; i++) {
		/* Unicast space, 1.0.0.0 to 223.255.255.255. */
		uint32_t a = 0x01000000u +
		    (uint32_t)(gen_next(&g) % (0xe0000000u - 0x01000000u));

		len[i] = (uint8_t)bgp_len(&g);
		pfx[i] = a & netmask(len[i]);
	}
	t0 = now_ns();
	for (i = 0; i < nroutes; i++)
		fib_add(f, pfx[i], len[i], (uint32_t)i);
	t1 = now_ns();
	printf("table: %zu routes added, %zu distinct\n", nroutes,
	    fib_count(f));
	printf("  insert ns per route: %.0f\n",
	    (double)(t1 - t0) / (double)nroutes);
	printf("  memory bytes: %zu\n", fib_memory(f));
	printf("  memory bytes per route: %.1f\n",
	    (double)fib_memory(f) / (double)fib_count(f));

	for (i = 0; i < ADDRS; i++)
		addr[i] = (uint32_t)gen_next(&g);
	time_lookups(f, addr, "random");
	for (i = 0; i < ADDRS; i++) {
		size_t k = (size_t)(gen_next(&g) % nroutes);

		addr[i] = pfx[k] | ((uint32_t)gen_next(&g) & ~netmask(len[k]));
	}
	time_lookups(f, addr, "in-route");

	t0 = now_ns();
	for (i = 0; i < nroutes; i++)
		fib_del(f, pfx[i], len[i]);	/* duplicates fail, cheaply */
	t1 = now_ns();
	printf("  delete ns per route: %.0f\n",
	    (double)(t1 - t0) / (double)nroutes);
	printf("  memory bytes after deleting all: %zu\n", fib_memory(f));
	fib_free(f);
	free(addr);
	free(len);
	free(pfx);
}

static void
time_rib_lookups(const struct rib *r, const uint32_t *addr)
{
	uint64_t t0, t1, sum = 0, hits = 0;
	uint32_t i;

	t0 = now_ns();
	for (i = 0; i < LOOKUPS; i++) {
		uint32_t a = addr[i & (ADDRS - 1)];
		const struct rib_nhg *g = rib_lookup(r, a);

		if (g != NULL) {
			sum += rib_nh_pick(g, rib_flow_hash(1, a, a ^ 1, 17,
			    (uint16_t)i, 53))->via;
			hits++;
		}
	}
	t1 = now_ns();
	printf("  rib ns per lookup in-route: %.2f\n",
	    (double)(t1 - t0) / LOOKUPS);
	printf("  rib matched in-route: %.1f%% (checksum %llu)\n",
	    100.0 * (double)hits / LOOKUPS, (unsigned long long)sum);
}

static void
run_rib(size_t nroutes, uint64_t seed)
{
	static const struct rib_source feed = { .name = "feed", .cmp = NULL,
    .multipath = false };
	static const struct rib_source backup = { .name = "backup", .cmp = NULL,
    .multipath = false };
	struct gen g = { seed };
	uint32_t *pfx = xmalloc(nroutes * sizeof(*pfx));
	uint8_t *len = xmalloc(nroutes);
	uint32_t *addr = xmalloc(ADDRS * sizeof(*addr));
	struct rib *r = rib_new("bench");
	uint32_t nhg[16];
	uint64_t t0, t1;
	size_t i, nadd = 0, ndel = 0;

	rib_set_source(r, RIB_SRC_MODEL, &feed);
	rib_set_source(r, RIB_SRC_MODEL + 1, &backup);
	for (i = 0; i < 16; i++) {
		struct rib_nh nh = { 0x0a000001u + (uint32_t)i,
		    (uint32_t)i % 4 };

		nhg[i] = rib_nhg_get(r, &nh, 1);
	}
	for (i = 0; i < nroutes; i++) {
		uint32_t a = 0x01000000u +
		    (uint32_t)(gen_next(&g) % (0xe0000000u - 0x01000000u));

		len[i] = (uint8_t)bgp_len(&g);
		pfx[i] = a & netmask(len[i]);
	}
	t0 = now_ns();
	for (i = 0; i < nroutes; i++) {
		struct rib_route rt = { .source = RIB_SRC_MODEL, .pref = 20,
		    .metric = (uint32_t)i, .nhg = nhg[i % 16] };

		rib_add(r, pfx[i], len[i], &rt);
		nadd++;
		if (i % 10 == 0) {
			rt.source = RIB_SRC_MODEL + 1;
			rt.pref = 200;
			rt.nhg = nhg[(i + 1) % 16];
			rib_add(r, pfx[i], len[i], &rt);
			nadd++;
		}
	}
	t1 = now_ns();
	printf("rib: %zu routes added, %zu prefixes\n", rib_route_count(r),
	    rib_prefix_count(r));
	printf("  rib ns per add: %.0f\n", (double)(t1 - t0) / (double)nadd);
	printf("  rib+fib memory bytes: %zu\n", rib_memory(r));
	printf("  rib+fib bytes per route: %.1f\n",
	    (double)rib_memory(r) / (double)rib_route_count(r));
	printf("  fib part bytes per prefix: %.1f\n",
	    (double)fib_memory(rib_fib(r)) / (double)rib_prefix_count(r));
	for (i = 0; i < ADDRS; i++) {
		size_t k = (size_t)(gen_next(&g) % nroutes);

		addr[i] = pfx[k] | ((uint32_t)gen_next(&g) & ~netmask(len[k]));
	}
	time_rib_lookups(r, addr);
	t0 = now_ns();
	for (i = 0; i < nroutes; i++) {
		/* duplicates fail, cheaply */
		ndel++;
		rib_del(r, pfx[i], len[i], RIB_SRC_MODEL, 0);
		if (i % 10 == 0) {
			ndel++;
			rib_del(r, pfx[i], len[i], RIB_SRC_MODEL + 1, 0);
		}
	}
	t1 = now_ns();
	printf("  rib ns per withdraw: %.0f\n",
	    (double)(t1 - t0) / (double)ndel);
	for (i = 0; i < 16; i++)
		rib_nhg_put(r, nhg[i]);
	printf("  rib routes, groups after withdrawing all: %zu, %zu\n",
	    rib_route_count(r), rib_nhg_count(r));
	rib_free(r);
	free(addr);
	free(len);
	free(pfx);
}

int
main(int argc, char **argv)
{
	static const size_t sizes[] = { 1000, 100000, 1000000 };
	size_t i, max = sizeof(sizes) / sizeof(sizes[0]);

	/* "fib 2" stops after the 100k table, for a quick run. */
	if (argc > 1)
		max = (size_t)atoi(argv[1]);
	for (i = 0; i < max && i < sizeof(sizes) / sizeof(sizes[0]); i++)
		run(sizes[i], 0x5eed + i);
	for (i = 0; i < max && i < sizeof(sizes) / sizeof(sizes[0]); i++)
		run_rib(sizes[i], 0x5eed + i);
	return 0;
}
