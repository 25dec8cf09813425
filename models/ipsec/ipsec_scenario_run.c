/*
 * ipsec_scenario_run.c - the `ipsec` section's run: one ESP host per node
 * with tunnels, one tunnel per item, its SAs installed at 0s (manual) or
 * by IKEv2 as they come up; the log of each tunnel end's up/down changes
 * and its IKE failure, which the ipsec-established and ipsec-fails
 * assertions judge; its part of metrics.json.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "esp.h"
#include "gates.h"
#include "ipsec_sc_int.h"
#include "ipsec_scenario.h"
#include "net.h"
#include "query_cross.h"
#include "scenario_section.h"
#include "sim.h"
#include "util.h"
#include "wire.h"

void
ipsec_sc_log(struct ipsec_end *e, bool up)
{
	if (e->n == e->cap) {
		e->cap = e->cap ? 2 * e->cap : 8;
		e->log = xrealloc(e->log, e->cap * sizeof(*e->log));
	}
	e->log[e->n++] = (struct ipsec_change){ sim_now(e->run->sim), up,
	    esp_tunnel_stats(e->t)->spi_out };
}

void
ipsec_sc_pair_add(struct ipsec_end *e, uint32_t spi_in, uint32_t spi_out)
{
	if (e->n_pairs == IPSEC_END_PAIRS) {
		/* the oldest: esp_tunnel_install let it go already */
		memmove(e->pair_in, e->pair_in + 1, (IPSEC_END_PAIRS - 1) *
		    sizeof(e->pair_in[0]));
		memmove(e->pair_out, e->pair_out + 1, (IPSEC_END_PAIRS - 1) *
		    sizeof(e->pair_out[0]));
		e->n_pairs--;
	}
	e->pair_in[e->n_pairs] = spi_in;
	e->pair_out[e->n_pairs++] = spi_out;
}

void
ipsec_sc_pair_del(struct ipsec_end *e, uint32_t spi_in)
{
	size_t i;

	for (i = 0; i < e->n_pairs; i++)
		if (e->pair_in[i] == spi_in) {
			memmove(e->pair_in + i, e->pair_in + i + 1,
			    (e->n_pairs - i - 1) * sizeof(e->pair_in[0]));
			memmove(e->pair_out + i, e->pair_out + i + 1,
			    (e->n_pairs - i - 1) * sizeof(e->pair_out[0]));
			e->n_pairs--;
			return;
		}
}

void
ipsec_sc_run_free(void *state)
{
	struct ipsec_run *r = state;
	size_t i;

	ipsec_sc_ike_free(r);	/* its SAs go without child_down */
	for (i = 0; i < r->n_nodes; i++)
		esp_host_free(r->hosts[i]);
	for (i = 0; i < r->n; i++)
		free(r->ends[i].log);
	free(r->hosts);
	free(r->udp);
	free(r->ends);
	free(r);
}

/* An item's SAs as written (manual keying). */
static void
manual_sas(const struct ipsec_sc *s, struct esp_sa_cfg *in,
    struct esp_sa_cfg *out)
{
	const struct ipsec_sc_manual *m = &s->manual;
	int e = m->encr - 1;

	in->encr = ipsec_encr_id[e];
	in->keylen = ipsec_encr_keylen[e];
	in->integ = m->integ > 0 ? ipsec_integ_id[m->integ - 1] :
	    ESP_INTEG_NONE;
	in->key = ipsec_sc_manual_key(s->psk);
	*out = *in;
	in->spi = m->spi_in;
	out->spi = m->spi_out;
}

/* Manual keying: the item's pair installed, the tunnel up. */
static int
manual_up(struct ipsec_end *e, char *err, size_t errlen)
{
	struct esp_sa_cfg in, out;

	manual_sas(e->it, &in, &out);
	if (esp_tunnel_install(e->t, &in, &out, err, errlen) < 0)
		return -1;
	ipsec_sc_pair_add(e, in.spi, out.spi);
	ipsec_sc_log(e, true);
	return 0;
}

/* Every ESP pair of e's tunnel removed now: the tunnel is down. */
static void
tunnel_down(struct ipsec_end *e)
{
	bool was = esp_tunnel_up(e->t);

	while (e->n_pairs > 0) {
		e->n_pairs--;
		esp_tunnel_remove(e->t, e->pair_in[e->n_pairs],
		    e->pair_out[e->n_pairs]);
	}
	if (was)
		ipsec_sc_log(e, false);
}

/*
 * The item's gate changed (gates.h): opening makes the tunnel end exist
 * (manual: its SAs installed; ikev2: its IKE SA made and started now),
 * closing takes it away (the SAs removed at once, IKE's Delete sent).
 */
static void
gate_follow(void *arg, bool open)
{
	struct ipsec_end *e = arg;
	char err[160];

	if (open) {
		if (e->it->keying == IPSEC_KEY_IKEV2)
			ipsec_sc_ike_open(e);
		else if (manual_up(e, err, sizeof(err)) < 0)
			SIM_ASSERT(false, "ipsec %s: %s", e->it->name, err);
		return;
	}
	if (e->it->keying == IPSEC_KEY_IKEV2)
		ipsec_sc_ike_shut(e);
	tunnel_down(e);
}

/* UDP 4500 of (node, vrf) for manual NAT-T tunnels, bound once. */
static int
bind_udp(struct ipsec_run *r, const struct ipsec_sc *s, uint32_t vrf,
    struct sc_build *b)
{
	size_t i;

	for (i = 0; i < r->n_udp; i++)
		if (r->udp[i].node_idx == s->node_idx && r->udp[i].vrf == vrf)
			return 0;
	if (esp_host_bind_udp(r->hosts[s->node_idx], vrf) < 0) {
		snprintf(b->err, b->errlen, "ipsec %s: UDP port 4500 is taken "
		    "on node %s", s->name, s->node);
		return -1;
	}
	r->udp = xrealloc(r->udp, (r->n_udp + 1) * sizeof(*r->udp));
	r->udp[r->n_udp].node_idx = s->node_idx;
	r->udp[r->n_udp++].vrf = vrf;
	return 0;
}

int
ipsec_sc_build(struct sc_build *b, const void *items, size_t n)
{
	const struct ipsec_sc *v = items;
	struct ipsec_run *r;
	size_t i;

	if (n == 0)
		return 0;
	r = xcalloc(1, sizeof(*r));
	r->sim = b->sim;
	r->net = b->net;
	r->n_nodes = b->sc->n_nodes;
	r->hosts = xcalloc(r->n_nodes, sizeof(*r->hosts));
	r->ends = xcalloc(n, sizeof(*r->ends));
	r->n = n;
	if (sc_build_set_state(b, r) < 0) {
		ipsec_sc_run_free(r);
		return -1;
	}
	for (i = 0; i < n; i++) {
		const struct ipsec_sc *s = &v[i];
		struct ipsec_end *e = &r->ends[i];
		struct node *nd = sc_build_node(b, s->node_idx);
		struct esp_tunnel_cfg tc;
		struct gate *g = NULL;
		bool open = true;

		e->run = r;
		e->it = s;
		e->failed_at = -1;
		e->node = nd;
		if (s->gate != NULL) {
			g = gates_find(gates_of_build(b), s->gate);
			SIM_ASSERT(g != NULL, "ipsec: gate %s not checked",
			    s->gate);
			open = gate_is_open(g);
			if (gate_watch(g, gate_follow, e) < 0)
				return sim_err(b->err, b->errlen,
				    "out of memory");
		}
		if (r->hosts[s->node_idx] == NULL &&
		    (r->hosts[s->node_idx] = esp_host_new(nd)) == NULL) {
			snprintf(b->err, b->errlen, "ipsec: node %s has a "
			    "handler of IP protocol 50 already", s->node);
			return -1;
		}
		tc = (struct esp_tunnel_cfg){ (uint32_t)s->iface_idx,
		    node_iface_vrf(nd, (uint32_t)s->local_idx), s->local,
		    s->remote, s->mtu, s->nat_t };
		e->vrf = tc.vrf;
		e->t = esp_tunnel_new(r->hosts[s->node_idx], &tc, b->err,
		    b->errlen);
		if (e->t == NULL)
			return -1;
		if (s->keying == IPSEC_KEY_IKEV2) {
			if (ipsec_sc_ike_start(r, e, nd, tc.vrf, open, b->err,
			    b->errlen) < 0)
				return -1;
			continue;
		}
		if (s->nat_t && bind_udp(r, s, tc.vrf, b) < 0)
			return -1;
		if (open && manual_up(e, b->err, b->errlen) < 0)
			return -1;
	}
	return 0;
}

void
ipsec_sc_metrics(const void *state, FILE *f)
{
	const struct ipsec_run *r = state;
	size_t i, j;

	fputs("\"ipsec\": [", f);
	for (i = 0; i < r->n; i++) {
		const struct ipsec_end *e = &r->ends[i];
		const struct esp_stats *st = esp_tunnel_stats(e->t);

		fprintf(f, "%s\n    {\"tunnel\":", i ? "," : "");
		scenario_json_str(f, e->it->name);
		fputs(",\"node\":", f);
		scenario_json_str(f, e->it->node);
		fprintf(f, ",\"up\":%s,\"mtu\":%u,\"spi_out\":%u,"
		    "\"tx_packets\":%llu,\"tx_bytes\":%llu,"
		    "\"tx_inner_bytes\":%llu,\"rx_packets\":%llu,"
		    "\"rx_bytes\":%llu,\"rx_replay\":%llu,\"rx_icv\":%llu,"
		    "\"rx_malformed\":%llu,\"tx_down\":%llu,\"failure\":",
		    esp_tunnel_up(e->t) ? "true" : "false",
		    esp_tunnel_mtu(e->t), st->spi_out,
		    (unsigned long long)st->tx_pkts,
		    (unsigned long long)st->tx_bytes,
		    (unsigned long long)st->tx_inner_bytes,
		    (unsigned long long)st->rx_pkts,
		    (unsigned long long)st->rx_bytes,
		    (unsigned long long)st->rx_replay,
		    (unsigned long long)st->rx_icv,
		    (unsigned long long)st->rx_malformed,
		    (unsigned long long)st->tx_down);
		if (ipsec_sc_failure(e) != NULL)
			scenario_json_str(f, ipsec_sc_failure(e));
		else
			fputs("null", f);
		fputs(",\"changes\":[", f);
		for (j = 0; j < e->n; j++)
			fprintf(f, "%s{\"t_ns\":%lld,\"up\":%s,\"spi_out\":%u}",
			    j ? "," : "", (long long)e->log[j].t,
			    e->log[j].up ? "true" : "false",
			    e->log[j].spi_out);
		fputs("]}", f);
	}
	fputs("\n  ]", f);
}

/* --- the path query's crossing ---------------------------------------- */

static bool
ipsec_cross(void *state, struct node *n, uint32_t ifindex,
    struct query_cross *c)
{
	struct ipsec_run *r = state;
	const struct ipsec_end *e = NULL, *f = NULL;
	const struct ipsec_sc *s;
	char a[16];
	size_t i;

	for (i = 0; i < r->n && e == NULL; i++)
		if (r->ends[i].it->iface_idx == ifindex &&
		    strcmp(r->ends[i].it->node, node_name(n)) == 0)
			e = &r->ends[i];
	if (e == NULL)
		return false;
	s = e->it;
	for (i = 0; i < r->n && f == NULL; i++)
		if (r->ends[i].it->local == s->remote &&
		    r->ends[i].it->remote == s->local)
			f = &r->ends[i];
	wire_ip_str(s->remote, a);
	if (!esp_tunnel_up(e->t)) {
		snprintf(c->what, sizeof(c->what), "ipsec tunnel %s to %s is "
		    "down (no outbound SA%s%s)", s->name, a,
		    ipsec_sc_failure(e) ? "; IKE failed: " : "",
		    ipsec_sc_failure(e) ? ipsec_sc_failure(e) : "");
		return true;
	}
	if (f == NULL) {
		snprintf(c->what, sizeof(c->what), "ipsec tunnel %s: no tunnel "
		    "end of the ipsec section has %s (the far end is not "
		    "simulated)", s->name, a);
		return true;
	}
	if (!esp_tunnel_up(f->t)) {
		snprintf(c->what, sizeof(c->what), "ipsec tunnel %s: its far "
		    "end %s on %s is down (no SA)", s->name, f->it->name,
		    f->it->node);
		return true;
	}
	c->to = net_find_node(r->net, f->it->node);
	c->to_if = (uint32_t)f->it->iface_idx;
	snprintf(c->what, sizeof(c->what), "ESP tunnel %s to %s (%s on %s)",
	    s->name, a, f->it->name, f->it->node);
	c->outer = true;
	c->outer_vrf = node_iface_vrf(n, (uint32_t)s->local_idx);
	c->outer_src = s->local;
	c->outer_dst = s->remote;
	c->outer_proto = s->nat_t ? WIRE_IPPROTO_UDP : ESP_IPPROTO;
	c->outer_sport = c->outer_dport = s->nat_t ? ESP_NATT_PORT : 0;
	return true;
}

const struct query_crossing ipsec_sc_crossing = {
	.section = "ipsec", .cross = ipsec_cross,
};

/* --- assertions ------------------------------------------------------ */

static const struct ipsec_end *
judge_end(const struct sc_judge *j, size_t idx)
{
	struct ipsec_run *r = sc_judge_state(j, "ipsec");

	SIM_ASSERT(r != NULL && idx < r->n, "ipsec tunnel %zu not built", idx);
	return &r->ends[idx];
}

enum { ES_TUNNEL, ES_BY, ES_F_MAX };

struct est_args {
	char *tunnel;
	sim_time by;
	size_t idx;
	struct sc_loc loc;
	struct sc_loc vloc[ES_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(ES_F_MAX)];
};

static const struct sc_field est_fields[] = {
	[ES_TUNNEL] = { "tunnel", SC_FT_NAME, SC_AT(struct est_args, tunnel),
		.required = true,
		.doc = "the tunnel end (its name in the ipsec section)" },
	[ES_BY] = { "by", SC_FT_TIME, SC_AT(struct est_args, by),
		.def_doc = "the end of the run",
		.doc = "it has an outbound SA (it is up) at this time" },
};

static const struct sc_table est_table = {
	"ipsec-established", "The keys of an ipsec-established assertion "
	"besides kind.", est_fields, SC_NFIELDS(est_fields),
	sizeof(struct est_args), offsetof(struct est_args, loc),
	offsetof(struct est_args, vloc), offsetof(struct est_args, keys), -1
};

static void
check_est(struct sc_check *ck, struct sc_assert *as, void *args)
{
	struct est_args *a = args;

	(void)as;
	sc_names_lookup(ck, "ipsec tunnel", a->tunnel, a->vloc[ES_TUNNEL],
	    &a->idx);
}

/*
 * Up at t: its last change at or before t; *since: when it came up (the
 * first change of that run of ups), *spi: the SPI out it had at t.
 */
static bool
up_at(const struct ipsec_end *e, sim_time t, sim_time *since, uint32_t *spi)
{
	bool up = false;
	size_t i;

	*since = 0;
	*spi = 0;
	for (i = 0; i < e->n && e->log[i].t <= t; i++) {
		if (e->log[i].up && !up)
			*since = e->log[i].t;
		up = e->log[i].up;
		*spi = up ? e->log[i].spi_out : 0;
	}
	return up;
}

static bool
judge_est(const struct sc_judge *j, const struct sc_assert *as,
    const void *args, char *msg, size_t len)
{
	const struct est_args *a = args;
	const struct ipsec_end *e = judge_end(j, a->idx);
	sim_time by = sc_key_given(a->keys, ES_BY) ? a->by : sim_now(j->sim);
	sim_time since;
	uint32_t spi;
	char t1[32], t2[32];
	bool up = up_at(e, by, &since, &spi);

	(void)as;
	if (up)
		snprintf(msg, len, "ipsec tunnel '%s' established by %s: up "
		    "since %s (%s keying, SPI out 0x%x)", a->tunnel,
		    units_fmt_time(t1, sizeof(t1), by),
		    units_fmt_time(t2, sizeof(t2), since),
		    e->it->keying == IPSEC_KEY_MANUAL ? "manual" : "ikev2",
		    spi);
	else
		snprintf(msg, len, "ipsec tunnel '%s' established by %s: "
		    "down%s%s", a->tunnel, units_fmt_time(t1, sizeof(t1), by),
		    ipsec_sc_failure(e) ? ", IKE failed: " : "",
		    ipsec_sc_failure(e) ? ipsec_sc_failure(e) : "");
	return up;
}

enum { FA_TUNNEL, FA_REASON, FA_F_MAX };

struct fails_args {
	char *tunnel;
	int reason;		/* index + 1 in ipsec_fail_names */
	size_t idx;
	struct sc_loc loc;
	struct sc_loc vloc[FA_F_MAX];
	uint64_t keys[SC_KEYS_WORDS(FA_F_MAX)];
};

const char *const ipsec_fail_names[] = { "no-proposal-chosen",
	"authentication-failed", "invalid-ke", "invalid-major-version",
	"no-response", "dpd-timeout", "child-expired", "ts-unacceptable",
	NULL };
static const char *const fail_docs[] = {
	"the responder accepted none of the proposals (NO_PROPOSAL_CHOSEN)",
	"the pre-shared keys differ (AUTHENTICATION_FAILED)",
	"the PFS group of a CREATE_CHILD_SA differs (INVALID_KE_PAYLOAD)",
	"the peer speaks another IKE version (INVALID_MAJOR_VERSION)",
	"the peer never answered (retransmissions exhausted)",
	"dead peer detection found the peer gone",
	"a Child SA reached its hard lifetime without a rekey",
	"the peer refused the traffic selectors (TS_UNACCEPTABLE)", NULL };

static const struct sc_field fails_fields[] = {
	[FA_TUNNEL] = { "tunnel", SC_FT_NAME,
		SC_AT(struct fails_args, tunnel), .required = true,
		.doc = "the tunnel end (its name in the ipsec section)" },
	[FA_REASON] = { "reason", SC_FT_ENUM,
		SC_AT(struct fails_args, reason), .names = ipsec_fail_names,
		.name_docs = fail_docs, .required = true,
		.doc = "why its IKE SA failed" },
};

static const struct sc_table fails_table = {
	"ipsec-fails", "The keys of an ipsec-fails assertion besides kind.",
	fails_fields, SC_NFIELDS(fails_fields), sizeof(struct fails_args),
	offsetof(struct fails_args, loc), offsetof(struct fails_args, vloc),
	offsetof(struct fails_args, keys), -1
};

static void
check_fails(struct sc_check *ck, struct sc_assert *as, void *args)
{
	struct fails_args *a = args;
	const struct ipsec_sc *v;
	size_t n;

	(void)as;
	if (!sc_names_lookup(ck, "ipsec tunnel", a->tunnel,
	    a->vloc[FA_TUNNEL], &a->idx))
		return;
	v = scenario_section(sc_check_scenario(ck), "ipsec", &n);
	if (a->idx < n && v[a->idx].keying == IPSEC_KEY_MANUAL)
		sc_check_error(ck, a->vloc[FA_TUNNEL], "ipsec tunnel '%s' is "
		    "keyed by hand: there is no IKE to fail", a->tunnel);
}

static bool
judge_fails(const struct sc_judge *j, const struct sc_assert *as,
    const void *args, char *msg, size_t len)
{
	const struct fails_args *a = args;
	const struct ipsec_end *e = judge_end(j, a->idx);
	const char *want = ipsec_fail_names[a->reason - 1];
	const char *got = ipsec_sc_failure(e);
	char t1[32];

	(void)as;
	if (got == NULL) {
		snprintf(msg, len, "ipsec tunnel '%s' fails with %s: it did "
		    "not fail%s", a->tunnel, want, esp_tunnel_up(e->t) ?
		    " (up)" : "");
		return false;
	}
	if (e->failed_at >= 0)
		snprintf(msg, len, "ipsec tunnel '%s' fails with %s: failed "
		    "with %s at %s", a->tunnel, want, got,
		    units_fmt_time(t1, sizeof(t1), e->failed_at));
	else	/* a Child SA's failure: the IKE SA is up */
		snprintf(msg, len, "ipsec tunnel '%s' fails with %s: its "
		    "Child SA failed with %s (the IKE SA is up)", a->tunnel,
		    want, got);
	return strcmp(got, want) == 0;
}

const struct sc_assertion ipsec_sc_assert_established = {
	.name = "ipsec-established",
	.doc = "the ipsec tunnel end is up (has an outbound SA) at a time",
	.table = &est_table, .check = check_est, .judge = judge_est,
};

const struct sc_assertion ipsec_sc_assert_fails = {
	.name = "ipsec-fails",
	.doc = "the ipsec tunnel end's IKE SA failed, for the reason given",
	.table = &fails_table, .check = check_fails, .judge = judge_fails,
};
