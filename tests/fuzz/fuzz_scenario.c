/*
 * fuzz_scenario.c - libFuzzer target for the scenario loader.
 *
 * Any input must load or be rejected with diagnostics: no crash, no
 * out-of-bounds access, no leak, no unbounded time. Diagnostics go to
 * /dev/null, opened once, so that formatting them is exercised too.
 *
 * Besides the built-in sections, a section and a timeline action are
 * registered here the way a model registers them (a single mapping with
 * kinds and per-kind defaults; an action with its own keys), so the paths
 * that only extensions take are fuzzed too (corpus: ext.yaml).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "scenario.h"
#include "scenario_models.h"
#include "scenario_section.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fz_sec {
	int kind;
	uint32_t n;
	char *peer;
	size_t peer_idx;
	struct sc_loc loc;
	struct sc_loc vloc[3];
	uint64_t keys[SC_KEYS_WORDS(3)];
};

static const char *const fz_kinds[] = { "a", "b", "c", "d", "e", NULL };

static const struct sc_field fz_sec_fields[] = {
	{ "kind", SC_FT_ENUM, SC_AT(struct fz_sec, kind), .names = fz_kinds,
		.required = true, .doc = "kind" },
	{ "n", SC_FT_UINT, SC_AT(struct fz_sec, n), .max = 100, .def = "1",
		.kinds = SC_LIST("b", "e"), .kdefs = SC_LIST("e", "5"),
		.doc = "n" },
	{ "peer", SC_FT_NAME, SC_AT(struct fz_sec, peer),
		.kinds = SC_LIST("e"), .required = true, .doc = "a node" },
};

static const struct sc_table fz_sec_table = {
	"fz", "fuzz section", fz_sec_fields, SC_NFIELDS(fz_sec_fields),
	sizeof(struct fz_sec), offsetof(struct fz_sec, loc),
	offsetof(struct fz_sec, vloc), offsetof(struct fz_sec, keys), 0
};

static void
fz_check(struct sc_check *ck, struct sc_section_data *d)
{
	struct fz_sec *s = d->items;

	if (d->given && s->peer != NULL)
		sc_names_lookup(ck, "node", s->peer, s->vloc[2], &s->peer_idx);
}

static const struct sc_section fz_section = {
	.name = "fz", .doc = "fuzz", .table = &fz_sec_table,
	.check = fz_check,
};

struct fz_act {
	char *link;
	sim_time dur;
	size_t idx;
	struct sc_loc loc;
	struct sc_loc vloc[2];
	uint64_t keys[SC_KEYS_WORDS(2)];
};

static const struct sc_field fz_act_fields[] = {
	{ "link", SC_FT_NAME, SC_AT(struct fz_act, link), .required = true,
		.doc = "link" },
	{ "for", SC_FT_TIME, SC_AT(struct fz_act, dur), .min = 1,
		.def = "1s", .doc = "how long" },
};

static const struct sc_table fz_act_table = {
	"fz-act", "fuzz action", fz_act_fields, SC_NFIELDS(fz_act_fields),
	sizeof(struct fz_act), offsetof(struct fz_act, loc),
	offsetof(struct fz_act, vloc), offsetof(struct fz_act, keys), -1
};

static void
fz_act_check(struct sc_check *ck, struct sc_event *ev, void *args)
{
	struct fz_act *a = args;

	(void)ev;
	sc_names_lookup(ck, "link", a->link, a->vloc[0], &a->idx);
}

static int
fz_act_schedule(struct sc_build *b, const struct sc_event *ev,
    const void *args)
{
	(void)b, (void)ev, (void)args;
	return 0;
}

static const struct sc_action fz_action = {
	.name = "fz-act", .doc = "fuzz", .table = &fz_act_table,
	.check = fz_act_check, .schedule = fz_act_schedule,
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	struct scenario *sc;
	unsigned n_errors = 0;

	if (devnull == NULL) {
		if ((devnull = fopen("/dev/null", "w")) == NULL)
			return 0;
		scenario_models_init();	/* every model's sections too */
		scenario_register_section(&fz_section);
		scenario_register_action(&fz_action);
	}
	sc = scenario_load_buffer("fuzz.yaml", (const char *)data, size,
	    devnull, &n_errors);
	if ((sc == NULL) != (n_errors > 0))
		__builtin_trap();	/* NULL exactly when there are errors */
	scenario_free(sc);
	return 0;
}
