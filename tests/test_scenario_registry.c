/*
 * test_scenario_registry.c - what models register at start-up reaches the
 * schema and the reference (scenario_models_init), and an assertion kind
 * registered from outside the loader, with its own keys, loads, reports
 * errors at their place with did-you-means, and judges what its section
 * kept for the run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net.h"
#include "scenario.h"
#include "scenario_models.h"
#include "scenario_run.h"
#include "scenario_section.h"
#include "scenario_testutil.h"
#include "sim.h"
#include "tcp.h"
#include "testutil.h"

/* --- a section that keeps a run state: tickers ------------------------ */

struct ticker {
	char *name;
	sim_time every;
	struct sc_loc loc;
	struct sc_loc vloc[2];
	uint64_t keys[SC_KEYS_WORDS(2)];
};

static const struct sc_field ticker_fields[] = {
	{ "name", SC_FT_NAME, SC_AT(struct ticker, name), .required = true,
		.doc = "its name" },
	{ "every", SC_FT_TIME, SC_AT(struct ticker, every), .min = 1,
		.def = "100ms", .doc = "the period" },
};

static const struct sc_table ticker_table = {
	"ticker", "Counts periods from 0s.", ticker_fields,
	SC_NFIELDS(ticker_fields), sizeof(struct ticker),
	offsetof(struct ticker, loc), offsetof(struct ticker, vloc),
	offsetof(struct ticker, keys), -1
};

struct tick_state;
struct tick_one {
	struct tick_state *st;
	sim_time every;
	uint64_t n;
};

struct tick_state {
	struct tick_one *t;
	size_t n;
};

static int tick_states_freed;

static void
check_tickers(struct sc_check *ck, struct sc_section_data *d)
{
	struct ticker *t = d->items;
	size_t i;

	for (i = 0; i < d->n; i++)
		sc_names_add(ck, "ticker", t[i].name, i, t[i].vloc[0]);
}

static void
tick(struct sim *sim, void *arg)
{
	struct tick_one *o = arg;

	o->n++;
	sim_schedule(sim, o->every, tick, o);
}

static int
build_tickers(struct sc_build *b, const void *items, size_t n)
{
	const struct ticker *t = items;
	struct tick_state *st = xcalloc(1, sizeof(*st));
	size_t i;

	st->t = xcalloc(n ? n : 1, sizeof(*st->t));
	st->n = n;
	if (sc_build_set_state(b, st) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		st->t[i] = (struct tick_one){ st, t[i].every, 0 };
		sim_schedule(b->sim, 0, tick, &st->t[i]);
	}
	return 0;
}

static void
free_ticks(void *state)
{
	struct tick_state *st = state;

	free(st->t);
	free(st);
	tick_states_freed++;
}

static void
ticks_json(const void *state, FILE *f)
{
	const struct tick_state *st = state;

	fprintf(f, "\"tickers\": %zu", st->n);
}

static const struct sc_section tickers_section = {
	.name = "tickers", .doc = "periodic counters", .table = &ticker_table,
	.list = true, .check = check_tickers, .phase = SC_PHASE_APPS,
	.build = build_tickers, .state_free = free_ticks,
	.metrics_json = ticks_json,
};

/* --- its assertion kind: ticks ---------------------------------------- */

struct ticks_args {
	char *ticker;
	uint32_t at_least;
	size_t idx;
	struct sc_loc loc;
	struct sc_loc vloc[2];
	uint64_t keys[SC_KEYS_WORDS(2)];
};

static const struct sc_field ticks_fields[] = {
	{ "ticker", SC_FT_NAME, SC_AT(struct ticks_args, ticker),
		.required = true, .doc = "the ticker" },
	{ "at_least", SC_FT_UINT, SC_AT(struct ticks_args, at_least),
		.min = 1, .max = 1000000, .def = "1",
		.doc = "fewest periods counted" },
};

static const struct sc_table ticks_table = {
	"ticks", "The keys of a ticks assertion.", ticks_fields,
	SC_NFIELDS(ticks_fields), sizeof(struct ticks_args),
	offsetof(struct ticks_args, loc), offsetof(struct ticks_args, vloc),
	offsetof(struct ticks_args, keys), -1
};

static int ticks_args_freed;

static void
check_ticks(struct sc_check *ck, struct sc_assert *as, void *args)
{
	struct ticks_args *a = args;

	CU_ASSERT_PTR_EQUAL(as->args, args);
	sc_names_lookup(ck, "ticker", a->ticker, a->vloc[0], &a->idx);
}

static bool
judge_ticks(const struct sc_judge *j, const struct sc_assert *as,
    const void *args, char *msg, size_t len)
{
	const struct ticks_args *a = args;
	const struct tick_state *st = sc_judge_state(j, "tickers");

	(void)as;
	CU_ASSERT_PTR_NULL(sc_judge_state(j, "nodes"));
	snprintf(msg, len, "ticker '%s' counted %llu, at least %u by %lld ns",
	    a->ticker, (unsigned long long)st->t[a->idx].n, a->at_least,
	    (long long)sim_now(j->sim));
	return st->t[a->idx].n >= a->at_least;
}

static void
free_ticks_args(void *args)
{
	(void)args;
	ticks_args_freed++;
}

static const struct sc_assertion ticks_kind = {
	.name = "ticks", .doc = "a ticker counted at least at_least periods",
	.table = &ticks_table, .check = check_ticks, .judge = judge_ticks,
	.free = free_ticks_args,
};

static void
reg(void)
{
	CU_ASSERT_EQUAL_FATAL(scenario_register_section(&tickers_section), 0);
	CU_ASSERT_EQUAL_FATAL(scenario_register_assertion(&ticks_kind), 0);
}

static void
unreg(void)
{
	scenario_unregister_assertion(&ticks_kind);
	scenario_unregister_section(&tickers_section);
}

static char *
generated(void (*fn)(FILE *))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	fn(f);
	fclose(f);
	return buf;
}

static size_t
count(const char *hay, const char *needle)
{
	size_t n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay++;
	}
	return n;
}

/* --- cases ------------------------------------------------------------ */

static void
test_models_init(void)
{
	char *schema, *ref;
	size_t i, n = 0;

	scenario_models_init();
	scenario_models_init();		/* idempotent */
	for (i = 0; scenario_section_at(i) != NULL; i++)
		n += strcmp(scenario_section_at(i)->name, "bfd") == 0;
	CU_ASSERT_EQUAL(n, 1);
	CU_ASSERT_PTR_NOT_NULL(scenario_assertion_find("bfd-up"));
	CU_ASSERT_PTR_NOT_NULL(scenario_assertion_find("bfd-down"));
	schema = generated(scenario_write_schema);
	ref = generated(scenario_write_reference);
	/* the section once (a bgp neighbour has a bfd key of its own) */
	CU_ASSERT_EQUAL(count(schema, "\"bfd\": {\n          \"description\": "
	    "\"BFD sessions"), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(schema, "\"bfd-session\": {"));
	CU_ASSERT_PTR_NOT_NULL(strstr(schema, "{ \"const\": \"bfd-up\", "));
	CU_ASSERT_PTR_NOT_NULL(strstr(schema, "\"if\": { \"properties\": { "
	    "\"kind\": { \"const\": \"bfd-down\" } }"));
	CU_ASSERT_PTR_NOT_NULL(strstr(ref, "| `bfd` | list of "
	    "[bfd-session](#bfd-session) |"));
	CU_ASSERT_PTR_NOT_NULL(strstr(ref, "## bfd-session\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(ref, "- `bfd-up`: "));
	CU_ASSERT_PTR_NOT_NULL(strstr(ref, "## bfd-down\n"));
	/* a built-in kind's name cannot be taken, nor a model's twice */
	CU_ASSERT_EQUAL(scenario_register_assertion(&(struct sc_assertion){
	    .name = "ping-succeeds", .table = &ticks_table,
	    .judge = judge_ticks }), -1);
	CU_ASSERT_EQUAL(scenario_register_assertion(&(struct sc_assertion){
	    .name = "bfd-up", .table = &ticks_table,
	    .judge = judge_ticks }), -1);
	free(schema);
	free(ref);
}

static void
test_kind_in_schema(void)
{
	char *schema, *ref;

	reg();
	schema = generated(scenario_write_schema);
	ref = generated(scenario_write_reference);
	CU_ASSERT_PTR_NOT_NULL(strstr(schema, "{ \"const\": \"ticks\", "
	    "\"description\": \"a ticker counted at least at_least periods\" }"));
	CU_ASSERT_PTR_NOT_NULL(strstr(schema, "\"ticks\": {"));
	CU_ASSERT_PTR_NOT_NULL(strstr(schema, "\"propertyNames\": { \"enum\": "
	    "[\"kind\", \"ticker\", \"at_least\"] }"));
	CU_ASSERT_PTR_NOT_NULL(strstr(ref, "- `ticks`: a ticker counted at "
	    "least at_least periods; its keys"));
	CU_ASSERT_PTR_NOT_NULL(strstr(ref, "| `at_least` | integer 1..1000000 "
	    "| `1` | fewest periods counted |"));
	free(schema);
	free(ref);
	unreg();
	schema = generated(scenario_write_schema);
	CU_ASSERT_PTR_NULL(strstr(schema, "\"ticks\""));
	free(schema);
}

static const char base[] =
    "duration: 1s\n"
    "nodes:\n"
    "  - { name: h1, role: host }\n"
    "tickers:\n"
    "  - { name: fast, every: 100ms }\n"
    "  - { name: slow, every: 400ms }\n"
    "assertions:\n";

static struct scenario *
load_with(const char *asserts, char **diag, unsigned *n_err)
{
	char text[2048];

	snprintf(text, sizeof(text), "%s%s", base, asserts);
	return load(text, diag, n_err);
}

static void
test_kind_errors(void)
{
	struct scenario *sc;
	unsigned n = 0;
	char *diag = NULL;

	reg();
	sc = load_with(
	    "  - { kind: ticks, ticker: fats, at_lest: 3 }\n"	/* line 8 */
	    "  - { kind: tiks, ticker: fast }\n"
	    "  - { kind: ticks, app: p, at_least: 0 }\n"
	    "  - { kind: ticks, ticker: slow, at_least: many }\n",
	    &diag, &n);
	CU_ASSERT_PTR_NULL(sc);
	CU_ASSERT_EQUAL(n, 7);
	CU_ASSERT(has_error(diag, "8:28", "unknown ticker 'fats' (did you "
	    "mean 'fast'?)"));
	CU_ASSERT(has_error(diag, "8:34", "unknown key 'at_lest' in ticks "
	    "(did you mean 'at_least'?)"));
	CU_ASSERT(has_error(diag, "9:13", "unknown kind 'tiks' (did you mean "
	    "'ticks'?) (one of: ping-succeeds, "));
	/* an unknown kind's keys may be a model's: not judged */
	CU_ASSERT(!has_error(diag, "9:5", "missing required key"));
	CU_ASSERT(!has_error(diag, "9:19", "unknown key 'ticker'"));
	CU_ASSERT(has_error(diag, "9:13", ", connection-fails, bfd-up, "
	    "bfd-down, ipsec-established, ipsec-fails, bgp-established, route, "
	    "failover, converged, "
	    "resource-state, operation, effective-route, path, rule-verdict, "
	    "ticks)"));
	/* the assertion table's keys are not a registered kind's */
	CU_ASSERT(has_error(diag, "10:20", "unknown key 'app' in ticks "
	    "(valid keys: ticker, at_least)"));
	CU_ASSERT(has_error(diag, "10:5", "assertion is missing required key "
	    "'ticker' (the ticker)"));
	CU_ASSERT(has_error(diag, "10:38", "'at_least' 0 is out of range "
	    "(1..1000000)"));
	CU_ASSERT(has_error(diag, "11:44", "'at_least': expected a whole number, "
	    "got 'many'"));
	if (n != 7)
		fprintf(stderr, "%s", diag);
	free(diag);
	CU_ASSERT(ticks_args_freed >= 3);
	unreg();
}

static void
test_kind_judges(void)
{
	struct scenario *sc;
	struct run *r;
	unsigned n = 0;
	char *diag = NULL, *out = NULL, err[256], dir[512];
	size_t len = 0;
	FILE *f;

	reg();
	sc = load_with(
	    "  - { kind: ticks, ticker: fast, at_least: 11 }\n"
	    "  - { kind: ticks, ticker: slow, at_least: 4 }\n"
	    "  - { kind: ping-fails, app: p }\n"
	    "apps:\n"
	    "  - { name: p, type: ping, node: h1, dst: 10.9.9.9, count: 1 }\n",
	    &diag, &n);
	if (sc == NULL)
		fprintf(stderr, "%s", diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	CU_ASSERT_PTR_NOT_NULL_FATAL(test_tmpdir("/tmp/xcsim-registry-XXXXXX"));
	snprintf(dir, sizeof(dir), "%s/judge", test_tmpdir_path());
	r = run_new(sc, &(struct run_opts){ .out_dir = dir }, err,
	    sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	while (run_advance(r, run_end_time(r)))
		;
	f = open_memstream(&out, &len);
	CU_ASSERT_EQUAL(run_check(r, f), 1);
	fclose(f);
	/* ticks at 0, 100ms, ..., 1s: 11; at 0, 400, 800ms: 3 */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:8: PASS: ticker 'fast' "
	    "counted 11, at least 11 by 1000000000 ns\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:9: FAIL: ticker 'slow' "
	    "counted 3, at least 4 by 1000000000 ns\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "t.yaml:10: PASS: "));
	CU_ASSERT_EQUAL(run_finish(r, err, sizeof(err)), 0);
	tick_states_freed = 0;
	run_free(r);
	CU_ASSERT_EQUAL(tick_states_freed, 1);
	{
		char path[600], buf[8192];
		FILE *m;
		size_t k;

		snprintf(path, sizeof(path), "%s/metrics.json", dir);
		m = fopen(path, "r");
		CU_ASSERT_PTR_NOT_NULL_FATAL(m);
		k = fread(buf, 1, sizeof(buf) - 1, m);
		buf[k] = '\0';
		fclose(m);
		CU_ASSERT_PTR_NOT_NULL(strstr(buf, "  ],\n  \"tickers\": 2,\n"
		    "  \"nodes\": ["));
	}
	ticks_args_freed = 0;
	scenario_free(sc);
	CU_ASSERT_EQUAL(ticks_args_freed, 2);
	free(out);
	free(diag);
	unreg();
}

/* A build without a place for states (a caller's own sc_build) fails. */
static void
test_state_needs_run(void)
{
	struct scenario *sc;
	struct sim *sim;
	struct net *net;
	struct app **apps = NULL;
	size_t n_apps = 0;
	unsigned n = 0;
	char *diag = NULL, err[200];
	struct sc_build b;

	reg();
	sc = load_with("  - { kind: ticks, ticker: fast }\n", &diag, &n);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	sim = sim_new(1);
	net = net_new(sim);
	b = (struct sc_build){ .sc = sc, .sim = sim, .net = net,
	    .apps = &apps, .n_apps = &n_apps, .err = err,
	    .errlen = sizeof(err) };
	tick_states_freed = 0;
	CU_ASSERT_EQUAL(scenario_build(&b, SC_PHASE_NET), 0);
	CU_ASSERT_EQUAL(scenario_build(&b, SC_PHASE_APPS), -1);
	CU_ASSERT_STRING_EQUAL(err, "section 'tickers' needs a run to keep "
	    "its state");
	CU_ASSERT_EQUAL(tick_states_freed, 1);
	tcp_stacks_free(net);	/* the apps section gave each node one */
	net_free(net);
	sim_free(sim);
	free(apps);
	scenario_free(sc);
	free(diag);
	unreg();
}

static const struct test_case cases[] = {
	{ "scenario_models_init reaches schema and reference",
	    test_models_init },
	{ "a registered kind is in schema and reference", test_kind_in_schema },
	{ "a registered kind's errors: place, did-you-mean", test_kind_errors },
	{ "a registered kind judges its section's run state",
	    test_kind_judges },
	{ "a state needs a run to keep it", test_state_needs_run },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "scenario_registry", cases);
}
