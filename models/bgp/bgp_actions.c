/*
 * bgp_actions.c - the timeline actions bgp-announce and bgp-withdraw: a
 * node's BGP speaker starts or stops originating prefixes at a time, as an
 * operator adding and removing `network` statements, or a router leaking
 * a block of more specifics (issue 11, "a prefix-limit overflow from the
 * OCI side").
 *
 * The prefixes are a list (`prefixes:`) or the first `count` /`length`
 * inside a `block:` (4,500 /28s of 10.3.0.0/16 are one line of YAML).
 * The events section schedules its actions before the bgp section has
 * built its speakers (the NET phase; bgp builds with the applications),
 * so these actions schedule nothing themselves: bgp_sc_actions_schedule,
 * called by the bgp build once its speakers exist, walks the timeline for
 * them and keeps what each needs in the run (freed with it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bgp_scenario.h"
#include "bgp_scenario_int.h"
#include "bgp_speaker.h"
#include "net.h"
#include "sim.h"
#include "trace.h"
#include "util.h"
#include "wire.h"

/* At most this many prefixes per event (a block's count). */
#define BGP_ACT_MAX 1000000u

enum { BA_NODE, BA_PREFIXES, BA_BLOCK, BA_LENGTH, BA_COUNT, BA_F_MAX };

struct bgp_act_args {
	char *node;
	char **prefixes;
	size_t n_prefixes;
	struct sc_loc *prefix_locs;
	uint32_t block;
	uint8_t block_len;
	uint32_t length, count;
	/* resolved by the check */
	size_t node_idx;
	uint32_t *addr;
	uint8_t *len;
	size_t n;
	struct sc_loc loc;
	struct sc_loc vloc[BA_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(BA_F_MAX)];
};

#define BA(m) SC_AT(struct bgp_act_args, m)

static const struct sc_field ba_fields[] = {
	[BA_NODE] = { "node", SC_FT_NAME, BA(node), .required = true,
		.doc = "the node whose BGP speaker (the bgp section's) "
		    "originates or stops originating" },
	[BA_PREFIXES] = { "prefixes", SC_FT_STRINGS, BA(prefixes),
		SC_AT2(struct bgp_act_args, n_prefixes),
		SC_AT3(struct bgp_act_args, prefix_locs),
		.def_doc = "none: give block", .doc = "prefixes a.b.c.d/len "
		    "(host bits zero)" },
	[BA_BLOCK] = { "block", SC_FT_PREFIX, BA(block),
		SC_AT2(struct bgp_act_args, block_len),
		.def_doc = "none: give prefixes", .doc = "with length and count: "
		    "the first count prefixes of that length inside the block, "
		    "in address order" },
	[BA_LENGTH] = { "length", SC_FT_UINT, BA(length), .max = 32,
		.def_doc = "none", .doc = "the prefix length of a block's "
		    "prefixes, at least the block's" },
	[BA_COUNT] = { "count", SC_FT_UINT, BA(count), .min = 1,
		.max = BGP_ACT_MAX, .def_doc = "none",
		.doc = "how many of a block's prefixes" },
};

static const struct sc_table ba_table = {
	"bgp-prefixes", "The arguments of bgp-announce and bgp-withdraw: "
	"exactly one of prefixes or block (with length and count).",
	ba_fields, SC_NFIELDS(ba_fields), sizeof(struct bgp_act_args),
	offsetof(struct bgp_act_args, loc), offsetof(struct bgp_act_args, vloc),
	offsetof(struct bgp_act_args, keys), -1
};

/*
 * The loader's grammar (wire_prefix_parse: decimal digits only, no sign,
 * no space, no leading zero, a length of 0..32), host bits allowed here
 * so that the error can say which prefix was meant.
 */
static bool
parse_prefix(const char *s, uint32_t *addr, uint8_t *len)
{
	return s != NULL && wire_prefix_parse(s, true, addr, len) == 0;
}

static uint32_t
host_bits(uint32_t addr, uint8_t len)
{
	return len == 0 ? addr : addr & (0xffffffffu >> len);
}

/* The file gives a bgp speaker on the node (any VRF). */
static bool
has_speaker(const struct scenario *sc, const char *node)
{
	size_t i, k;

	for (i = 0; i < sc->n_sections; i++) {
		const struct bgp_sc *v = sc->sections[i].items;

		if (sc->sections[i].sec != &bgp_sc_section)
			continue;
		for (k = 0; k < sc->sections[i].n; k++)
			if (v[k].node != NULL && strcmp(v[k].node, node) == 0)
				return true;
	}
	return false;
}

static void
check_block(struct sc_check *ck, struct bgp_act_args *a)
{
	uint64_t room;
	size_t i;

	if (!sc_key_given(a->keys, BA_LENGTH) ||
	    !sc_key_given(a->keys, BA_COUNT)) {
		sc_check_error(ck, a->vloc[BA_BLOCK], "a block needs length "
		    "and count");
		return;
	}
	if (!sc_key_ok(a->keys, BA_LENGTH) || !sc_key_ok(a->keys, BA_COUNT))
		return;
	if (a->length < a->block_len) {
		sc_check_error(ck, a->vloc[BA_LENGTH], "length %u is shorter "
		    "than the block's /%u", a->length, a->block_len);
		return;
	}
	room = (uint64_t)1 << (a->length - a->block_len);
	if (a->count > room) {
		sc_check_error(ck, a->vloc[BA_COUNT], "count %u: the block "
		    "holds %llu prefixes of length %u", a->count,
		    (unsigned long long)room, a->length);
		return;
	}
	a->n = a->count;
	a->addr = xcalloc(a->n, sizeof(*a->addr));
	a->len = xcalloc(a->n, sizeof(*a->len));
	for (i = 0; i < a->n; i++) {
		a->addr[i] = a->block + (uint32_t)((uint64_t)i <<
		    (32 - a->length));
		a->len[i] = (uint8_t)a->length;
	}
}

static void
check_act(struct sc_check *ck, struct sc_event *ev, void *args)
{
	struct bgp_act_args *a = args;
	bool list = sc_key_given(a->keys, BA_PREFIXES);
	bool block = sc_key_given(a->keys, BA_BLOCK);
	size_t i;

	/* a check run again starts from nothing */
	free(a->addr);
	free(a->len);
	a->addr = NULL;
	a->len = NULL;
	a->n = 0;
	if (sc_key_ok(a->keys, BA_NODE) && sc_names_lookup(ck, "node",
	    a->node, a->vloc[BA_NODE], &a->node_idx) &&
	    !has_speaker(sc_check_scenario(ck), a->node))
		sc_check_error(ck, a->vloc[BA_NODE], "node '%s' has no bgp "
		    "speaker (the bgp section gives none on it)",
		    sc_check_quote(ck, a->node));
	if (list == block) {
		sc_check_error(ck, ev->loc, "%s needs exactly one of prefixes "
		    "or block", ev->action->name);
		return;
	}
	if (!list) {
		if (!sc_key_given(a->keys, BA_LENGTH) &&
		    !sc_key_given(a->keys, BA_COUNT) &&
		    !sc_key_ok(a->keys, BA_BLOCK))
			return;
		if (sc_key_ok(a->keys, BA_BLOCK))
			check_block(ck, a);
		return;
	}
	if (sc_key_given(a->keys, BA_LENGTH) ||
	    sc_key_given(a->keys, BA_COUNT)) {
		sc_check_error(ck, a->vloc[sc_key_given(a->keys, BA_LENGTH) ?
		    BA_LENGTH : BA_COUNT], "length and count go with block, "
		    "not with prefixes");
		return;
	}
	if (!sc_key_ok(a->keys, BA_PREFIXES))
		return;
	a->n = a->n_prefixes;
	a->addr = a->n > 0 ? xcalloc(a->n, sizeof(*a->addr)) : NULL;
	a->len = a->n > 0 ? xcalloc(a->n, sizeof(*a->len)) : NULL;
	for (i = 0; i < a->n; i++) {
		char m[16];

		if (!parse_prefix(a->prefixes[i], &a->addr[i], &a->len[i]))
			sc_check_error(ck, a->prefix_locs[i], "'%s' is not a "
			    "prefix a.b.c.d/len with its host bits zero",
			    sc_check_quote(ck, a->prefixes[i]));
		else if (host_bits(a->addr[i], a->len[i]) != 0)
			sc_check_error(ck, a->prefix_locs[i], "'%s' is not a "
			    "prefix a.b.c.d/len with its host bits zero (did "
			    "you mean %s/%u?)",
			    sc_check_quote(ck, a->prefixes[i]),
			    wire_ip_str(a->addr[i] ^ host_bits(a->addr[i],
			    a->len[i]), m), a->len[i]);
	}
}

/* bgp_sc_actions_schedule does it once the speakers exist. */
static int
schedule_act(struct sc_build *b, const struct sc_event *ev,
    const void *args)
{
	(void)b;
	(void)ev;
	(void)args;
	return 0;
}

static void
free_act(void *args)
{
	struct bgp_act_args *a = args;

	free(a->addr);
	free(a->len);
}

const struct sc_action bgp_sc_action_announce = {
	.name = "bgp-announce",
	.doc = "the node's BGP speaker starts originating prefixes (as "
	"network statements): a list, or the first count /length inside a "
	"block (a route leak)",
	.table = &ba_table, .check = check_act, .schedule = schedule_act,
	.free = free_act,
};

const struct sc_action bgp_sc_action_withdraw = {
	.name = "bgp-withdraw",
	.doc = "the node's BGP speaker stops originating prefixes it "
	"announced (bgp-announce) or had as networks",
	.table = &ba_table, .check = check_act, .schedule = schedule_act,
	.free = free_act,
};

/* ---- the run ---- */

struct bgp_sc_act {
	struct bgp_speaker *sp;
	const struct bgp_act_args *a;
	bool on;
};

static void
fire(struct sim *sim, void *arg)
{
	const struct bgp_sc_act *x = arg;
	const struct bgp_act_args *a = x->a;
	struct node *n = bgp_speaker_node(x->sp);
	char text[SC_NAME_MAX + 96], p[16];

	if (a->n == 1)
		snprintf(text, sizeof(text), "bgp %s: %s %s/%u", node_name(n),
		    x->on ? "announce" : "withdraw", wire_ip_str(a->addr[0], p),
		    a->len[0]);
	else
		snprintf(text, sizeof(text), "bgp %s: %s %zu prefixes",
		    node_name(n), x->on ? "announce" : "withdraw", a->n);
	trace_annotate(net_trace(node_net(n)), sim_now(sim), node_id(n), text);
	/* the check made every prefix valid */
	(void)bgp_speaker_set_networks(x->sp, a->addr, a->len, a->n, x->on);
}

int
bgp_sc_actions_schedule(struct sc_build *b, struct bgp_sc_run *r)
{
	const struct scenario *sc = b->sc;
	size_t i, k = 0;

	for (i = 0; i < sc->n_events; i++)
		if (sc->events[i].action == &bgp_sc_action_announce ||
		    sc->events[i].action == &bgp_sc_action_withdraw)
			k++;
	if (k == 0)
		return 0;
	r->acts = xcalloc(k, sizeof(*r->acts));
	for (i = 0; i < sc->n_events; i++) {
		const struct sc_event *ev = &sc->events[i];
		const struct bgp_act_args *a = ev->args;
		struct bgp_sc_speaker *s;
		struct bgp_sc_act *x;

		if (ev->action != &bgp_sc_action_announce &&
		    ev->action != &bgp_sc_action_withdraw)
			continue;
		s = bgp_sc_run_speaker(r, a->node_idx);
		if (s == NULL || s->sp == NULL) {
			snprintf(b->err, b->errlen, "%s at %u:%u: node %s has no "
			    "bgp speaker", ev->action->name, ev->loc.line,
			    ev->loc.col, a->node);
			return -1;
		}
		x = &r->acts[r->n_acts++];
		x->sp = s->sp;
		x->a = a;
		x->on = ev->action == &bgp_sc_action_announce;
		sim_schedule_at(b->sim, ev->at, fire, x);
	}
	return 0;
}
