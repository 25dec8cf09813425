/*
 * bgp_scenario_run.c - what the `bgp` section does in a run (bgp_scenario.h):
 * the build of the speakers from the checked items, the log of every
 * Loc-RIB change with its simulated time that the assertions judge, the
 * state probes of bgp-established, and the "bgp" member of metrics.json.
 *
 * Convergence of a timeline event (metrics.json "events"): the time from
 * the event to the last Loc-RIB change of any speaker at or after it and
 * before the next event later than it (or the end of the run); null when
 * no Loc-RIB changed in that window.
 */
#include <stdlib.h>
#include <string.h>

#include "bfd_scenario.h"
#include "bgp_policy.h"
#include "bgp_rib.h"
#include "bgp_scenario.h"
#include "bgp_scenario_int.h"
#include "gates.h"
#include "net.h"
#include "rib.h"
#include "sim.h"
#include "tcp.h"
#include "wire.h"

/* Linux's tcp_retries2: about 15 minutes of RTOs, past any hold time. */
#define BGP_SC_TCP_RETRIES 15

/* The registered transport providers (bgp_scenario.h), in order. */
static const struct bgp_sc_provider *transports[BGP_SC_PROVIDERS_MAX];
static size_t n_transports;

int
bgp_sc_register_provider(const struct bgp_sc_provider *t)
{
	size_t i;

	for (i = 0; i < n_transports; i++)
		if (transports[i] == t)
			return -1;
	if (n_transports == BGP_SC_PROVIDERS_MAX)
		return -1;
	transports[n_transports++] = t;
	return 0;
}

void
bgp_sc_unregister_provider(const struct bgp_sc_provider *t)
{
	size_t i;

	for (i = 0; i < n_transports; i++)
		if (transports[i] == t) {
			memmove(&transports[i], &transports[i + 1],
			    (n_transports - i - 1) * sizeof(*transports));
			n_transports--;
			return;
		}
}

const struct bgp_sc_provider *
bgp_sc_provider_at(size_t i)
{
	return i < n_transports ? transports[i] : NULL;
}

/*
 * Every provider's section is registered before bgp, so that the hosts it
 * gives outlive the speakers (bgp_scenario.h): a start-up ordering bug
 * otherwise, caught at the first build rather than as a use after free at
 * the end of a run.
 */
static void
providers_before_bgp(void)
{
	const struct sc_section *s;
	size_t i, j, bgp = SIZE_MAX, at;

	for (j = 0; (s = scenario_section_at(j)) != NULL; j++)
		if (s == &bgp_sc_section)
			bgp = j;
	for (i = 0; i < n_transports; i++) {
		at = SIZE_MAX;
		for (j = 0; transports[i]->section != NULL &&
		    (s = scenario_section_at(j)) != NULL; j++)
			if (strcmp(s->name, transports[i]->section) == 0)
				at = j;
		SIM_ASSERT(at != SIZE_MAX && at < bgp, "bgp: transport "
		    "provider '%s' gives hosts owned by section '%s', which "
		    "is %s: register it before bgp, or its state is freed "
		    "while the speakers still use its hosts",
		    transports[i]->name, transports[i]->section != NULL ?
		    transports[i]->section : "(none)", at == SIZE_MAX ?
		    "not registered" : "registered after bgp");
	}
}

struct stream_host *
bgp_sc_provider_host(const struct sc_build *b, const struct node *n)
{
	struct stream_host *h;
	size_t i;

	for (i = 0; i < n_transports; i++)
		if ((h = transports[i]->host(b, n)) != NULL)
			return h;
	return NULL;
}

static void
on_change(struct bgp_rib *br, const struct bgp_change *c, void *ctx)
{
	struct bgp_sc_speaker *s = ctx;
	struct bgp_sc_change *e;
	char path[512];

	(void)br;
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 16;
		s->log = xrealloc(s->log, s->cap * sizeof(*s->log));
	}
	e = &s->log[s->n++];
	memset(e, 0, sizeof(*e));
	e->t = sim_now(s->run->sim);
	e->prefix = c->prefix;
	e->len = c->len;
	e->kind = (uint8_t)c->kind;
	e->n_paths = (uint16_t)c->n_paths;
	path[0] = '\0';
	if (c->n_paths > 0) {
		const struct bgp_attrs *a = c->paths[0].a;

		e->next_hop = a->next_hop;
		bgp_path_str(a->v, a->path_len, path, sizeof(path));
	}
	e->path = xstrdup(path);
}

/* Aggregates and redistribution, after the networks. */
static int
bgp_sc_apply_origination(struct sc_build *b, struct bgp_speaker *sp,
    const struct bgp_sc *s, struct bgp_polset *pols)
{
	unsigned what = 0;
	size_t i;

	if (s->n_aggregates == 0 && s->n_redist == 0)
		return 0;
	for (i = 0; i < s->n_aggregates; i++) {
		const struct bgp_sc_prefix *ag = &s->aggregates[i];

		if (bgp_speaker_add_aggregate(sp, ag->prefix, ag->plen,
		    ag->summary_only, ag->as_set) < 0) {
			sim_err(b->err, b->errlen, "bgp %s: aggregate %u.%u.%u.%u"
			    "/%u refused", s->node, ag->prefix >> 24,
			    ag->prefix >> 16 & 255, ag->prefix >> 8 & 255,
			    ag->prefix & 255, ag->plen);
			return -1;
		}
	}
	/* one call: each replaces the last one's sources (one policy, checked) */
	for (i = 0; i < s->n_redist; i++) {
		const struct bgp_sc_redist *rd = &s->redist[i];
		int id = strcmp(rd->source, "connected") == 0 ?
		    RIB_SRC_CONNECTED : strcmp(rd->source, "static") == 0 ?
		    RIB_SRC_STATIC : node_find_route_source(
		    bgp_speaker_node(sp), rd->source);

		if (id < 0) {
			sim_err(b->err, b->errlen, "bgp %s: no route source "
			    "'%s' on the node", s->node, rd->source);
			return -1;
		}
		what |= BGP_REDIST_SOURCE((unsigned)id);
	}
	if (s->n_redist > 0 && bgp_speaker_redistribute(sp, what,
	    s->redist[0].policy ? bgp_policy_get(pols, s->redist[0].policy) :
	    NULL) < 0) {
		sim_err(b->err, b->errlen, "bgp %s: redistribute refused",
		    s->node);
		return -1;
	}
	return 0;
}

/* One bgp-established probe: the session's state at its time. */
struct bgp_sc_probe {
	struct bgp_sc_run *run;
	const void *args;
	struct bgp_sc_speaker *s;
	uint32_t peer;
	bool fired;
	enum bgp_fsm_state state;
};

static void
probe_fire(struct sim *sim, void *arg)
{
	struct bgp_sc_probe *p = arg;

	(void)sim;
	p->fired = true;
	p->state = bgp_speaker_peer_state(p->s->sp, p->peer);
}

struct bgp_sc_speaker *
bgp_sc_run_speaker(struct bgp_sc_run *r, size_t node_idx)
{
	size_t i;

	for (i = 0; r != NULL && i < r->n; i++)
		if (r->sp[i].item->node_idx == node_idx &&
		    r->sp[i].item->vrf == NULL)
			return &r->sp[i];
	for (i = 0; r != NULL && i < r->n; i++)
		if (r->sp[i].item->node_idx == node_idx)
			return &r->sp[i];
	return NULL;
}

struct bgp_speaker *
bgp_scenario_speaker(void *state, const struct node *n, uint32_t vrf)
{
	struct bgp_sc_run *r = state;
	size_t i;

	for (i = 0; r != NULL && i < r->n; i++) {
		struct bgp_speaker *sp = r->sp[i].sp;

		/* a run whose build failed part-way has speakers missing */
		if (sp != NULL && bgp_speaker_node(sp) == n &&
		    (vrf == UINT32_MAX || bgp_speaker_config(sp)->vrf == vrf))
			return sp;
	}
	return NULL;
}

const struct bgp_sc_change *
bgp_sc_best_at(const struct bgp_sc_speaker *s, uint32_t prefix, uint8_t len,
    sim_time t)
{
	const struct bgp_sc_change *best = NULL;
	size_t i;

	for (i = 0; i < s->n && s->log[i].t <= t; i++)
		if (s->log[i].prefix == prefix && s->log[i].len == len)
			best = &s->log[i];
	return best != NULL && best->n_paths > 0 ? best : NULL;
}

void
bgp_sc_run_free(void *state)
{
	struct bgp_sc_run *r = state;
	size_t i, k;

	for (i = 0; i < r->n; i++) {
		struct bgp_sc_speaker *s = &r->sp[i];

		if (s->sp != NULL) {
			bgp_rib_remove_listener(bgp_speaker_rib(s->sp),
			    on_change, s);
			bgp_speaker_free(s->sp);
		}
		for (k = 0; k < s->n; k++)
			free(s->log[k].path);
		free(s->log);
	}
	free(r->sp);
	for (i = 0; i < r->n_probes; i++)
		free(r->probes[i]);
	free(r->probes);
	free(r->gated);
	bgp_sc_gated_rules_free(r);
	free(r->acts);
	if (r->pols != NULL)
		bgp_polset_free(r->pols);
	if (r->own_bfd)
		bfd_free(r->bfd);
	free(r);
}

static bool
uses_bfd(const struct bgp_sc *v, size_t n)
{
	size_t i, k;

	for (i = 0; i < n; i++)
		for (k = 0; k < v[i].n_nbrs; k++)
			if (v[i].nbrs[k].bfd)
				return true;
	return false;
}

/* A neighbour following its gate (gates.h). */
struct bgp_sc_gated {
	struct bgp_speaker *sp;
	uint32_t addr;
};

static void
gated_follow(void *arg, bool open)
{
	struct bgp_sc_gated *g = arg;

	if (open)
		(void)bgp_speaker_peer_start(g->sp, g->addr);
	else
		(void)bgp_speaker_peer_stop(g->sp, g->addr);
}

/* Every gated neighbour follows its gate once its speaker started. */
static int
follow_gates(struct sc_build *b, struct bgp_sc_run *r)
{
	struct gates *gs = gates_of_build(b);
	size_t i, k, n = 0;

	for (i = 0; i < r->n; i++)
		for (k = 0; k < r->sp[i].item->n_nbrs; k++)
			n += r->sp[i].item->nbrs[k].gate != NULL;
	if (n == 0)
		return 0;
	r->gated = xcalloc(n, sizeof(*r->gated));
	for (i = 0; i < r->n; i++)
		for (k = 0; k < r->sp[i].item->n_nbrs; k++) {
			const struct bgp_sc_nbr *nb = &r->sp[i].item->nbrs[k];
			struct bgp_sc_gated *g = &r->gated[r->n_gated];
			struct gate *gt;

			if (nb->gate == NULL)
				continue;
			gt = gates_find(gs, nb->gate);
			SIM_ASSERT(gt != NULL, "bgp: gate %s not checked",
			    nb->gate);
			g->sp = r->sp[i].sp;
			g->addr = nb->cfg.addr;
			r->n_gated++;
			if (gate_watch(gt, gated_follow, g) < 0)
				return sim_err(b->err, b->errlen,
				    "out of memory");
		}
	return 0;
}

static int
build_one(struct sc_build *b, struct bgp_sc_run *r, struct bgp_sc_speaker *s)
{
	const struct bgp_sc *it = s->item;
	struct node *node = sc_build_node(b, it->node_idx);
	struct tcp_cfg tc = *tcp_stack_cfg(tcp_stack_get(node));
	struct bgp_speaker_cfg c;
	size_t k;

	bgp_speaker_cfg_init(&c, it->asn, it->router_id);
	/*
	 * BGP's TCP must outlast the hold timer on a silent path (docs); the
	 * node's other applications keep the stack's settings.
	 */
	tc.data_retries = BGP_SC_TCP_RETRIES;
	c.tcp = &tc;
	c.vrf = node_vrf(node, it->vrf);
	c.max_paths = it->max_paths;
	c.ebgp_mrai = it->ebgp_mrai;
	c.rfc8212 = it->rfc8212;
	c.bfd = r->bfd;
	c.cluster_id = it->cluster_id;
	c.always_compare_med = it->always_compare_med;
	c.oldest_ebgp = it->oldest_ebgp;
	c.host = bgp_sc_provider_host(b, node);
	s->node = node_name(node);
	s->sp = bgp_speaker_new(node, &c, b->err, b->errlen);
	if (s->sp == NULL)
		return -1;
	/* first: the networks' local routes are changes at 0s too */
	bgp_rib_add_listener(bgp_speaker_rib(s->sp), on_change, s);
	for (k = 0; k < it->n_nbrs; k++) {
		const struct bgp_sc_nbr *nb = &it->nbrs[k];
		struct bgp_neighbor_cfg nc = nb->cfg;

		nc.import = nb->import ? bgp_policy_get(r->pols, nb->import) :
		    NULL;
		nc.export = nb->export ? bgp_policy_get(r->pols, nb->export) :
		    NULL;
		/* a closed gate: configured, started when it opens */
		if (nb->gate != NULL) {
			struct gate *g = gates_find(gates_of_build(b), nb->gate);

			SIM_ASSERT(g != NULL, "bgp: gate %s not checked",
			    nb->gate);
			nc.held = !gate_is_open(g);
			nc.bfd_with_start = true;
		}
		/* a simulated peer of a speaker on real sockets */
		if (nb->transport == BGP_SC_TRANSPORT_SIMULATED &&
		    c.host != NULL)
			nc.host = tcp_stack_host(tcp_stack_get(node));
		if (bgp_speaker_add_neighbor(s->sp, &nc, b->err, b->errlen) < 0)
			return -1;
	}
	for (k = 0; k < it->n_networks; k++)
		if (bgp_speaker_add_network(s->sp, it->networks[k].prefix,
		    it->networks[k].plen) < 0) {
			sim_err(b->err, b->errlen, "bgp %s: network refused",
			    it->node);
			return -1;
		}
	return bgp_sc_apply_origination(b, s->sp, it, r->pols);
}

/* A probe for each bgp-established assertion with a time. */
static void
add_probes(struct sc_build *b, struct bgp_sc_run *r)
{
	const struct scenario *sc = b->sc;
	size_t i;

	for (i = 0; i < sc->n_asserts; i++) {
		const struct sc_assert *as = &sc->asserts[i];
		struct bgp_sc_probe *p;
		size_t node;
		uint32_t peer;
		sim_time at;

		if (as->reg != &bgp_sc_assert_established ||
		    !bgp_sc_established_probe(as->args, &node, &peer, &at))
			continue;
		p = xcalloc(1, sizeof(*p));
		p->run = r;
		p->args = as->args;
		p->s = bgp_sc_run_speaker(r, node);
		p->peer = peer;
		/* the capacity: the next power of two */
		if ((r->n_probes & (r->n_probes - 1)) == 0)
			r->probes = xrealloc(r->probes, (r->n_probes != 0 ?
			    2 * r->n_probes : 1) * sizeof(*r->probes));
		r->probes[r->n_probes++] = p;
		if (p->s != NULL)
			sim_schedule_at(r->sim, at, probe_fire, p);
	}
}

bool
bgp_sc_probe_state(const struct bgp_sc_run *r, const void *args,
    enum bgp_fsm_state *state)
{
	size_t i;

	for (i = 0; r != NULL && i < r->n_probes; i++)
		if (r->probes[i]->args == args) {
			*state = r->probes[i]->state;
			return r->probes[i]->fired;
		}
	return false;
}

int
bgp_sc_build(struct sc_build *b, const void *items, size_t n)
{
	const struct bgp_sc *v = items;
	struct bgp_sc_run *r;
	void *bfd_state;
	size_t i;

	if (n == 0)
		return 0;
	providers_before_bgp();
	r = xcalloc(1, sizeof(*r));
	r->sim = b->sim;
	r->sc = b->sc;
	r->sp = xcalloc(n, sizeof(*r->sp));
	r->n = n;
	for (i = 0; i < n; i++) {
		r->sp[i].run = r;
		r->sp[i].item = &v[i];
	}
	r->pols = bgp_sc_polset_make(b->sc, NULL);
	bfd_state = sc_build_state(b, "bfd");
	if (bfd_state != NULL) {
		r->bfd = bfd_scenario_bfd(bfd_state);
	} else if (uses_bfd(v, n)) {
		r->bfd = bfd_new(b->net);
		r->own_bfd = true;
	}
	if (sc_build_set_state(b, r) < 0)
		return -1;
	/* before the speakers start: a closed gate's rules are off at 0 s */
	if (bgp_sc_gated_rules(b, r) < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (build_one(b, r, &r->sp[i]) < 0)
			return -1;
	for (i = 0; i < n; i++)
		if (bgp_speaker_start(r->sp[i].sp, b->err, b->errlen) < 0)
			return -1;
	if (follow_gates(b, r) < 0 || bgp_sc_actions_schedule(b, r) < 0)
		return -1;
	add_probes(b, r);
	return 0;
}

/* --- metrics.json ---------------------------------------------------- */

static void
json_time(FILE *f, const char *key, sim_time t)
{
	if (t < 0)
		fprintf(f, ",\"%s\":null", key);
	else
		fprintf(f, ",\"%s\":%lld", key, (long long)t);
}

static void
json_notif(FILE *f, const char *key, const uint8_t cs[2])
{
	char buf[96];

	if (cs[0] == 0) {
		fprintf(f, ",\"%s\":null", key);
		return;
	}
	fprintf(f, ",\"%s\":{\"code\":%u,\"subcode\":%u,\"name\":", key, cs[0],
	    cs[1]);
	scenario_json_str(f, bgp_notification_name(cs[0], cs[1], buf,
	    sizeof(buf)));
	fputc('}', f);
}

static void
write_sessions(const struct bgp_sc_run *r, FILE *f)
{
	size_t i, k;
	bool first = true;

	fputs("\"sessions\": [", f);
	for (i = 0; i < r->n; i++) {
		const struct bgp_sc_speaker *s = &r->sp[i];

		for (k = 0; k < s->item->n_nbrs; k++) {
			uint32_t peer = s->item->nbrs[k].addr;
			struct bgp_peer_stats st;
			char a[16];

			if (bgp_speaker_peer_stats(s->sp, peer, &st) < 0)
				continue;
			fprintf(f, "%s\n      {\"node\":", first ? "" : ",");
			first = false;
			scenario_json_str(f, s->node);
			fprintf(f, ",\"peer\":\"%s\",\"local_as\":%u,"
			    "\"remote_as\":%u,\"state\":\"%s\"",
			    wire_ip_str(peer, a), s->item->asn,
			    s->item->nbrs[k].remote_as,
			    bgp_fsm_state_name[bgp_speaker_peer_state(s->sp,
			    peer)]);
			json_time(f, "time_to_established_ns",
			    st.time_to_established);
			json_time(f, "first_established_ns",
			    st.first_established);
			json_time(f, "last_down_ns", st.last_down);
			fprintf(f, ",\"flaps\":%llu,\"updates_in\":%llu,"
			    "\"updates_out\":%llu,\"prefixes_in\":%llu,"
			    "\"prefixes_out\":%llu,\"withdrawn_in\":%llu,"
			    "\"withdrawn_out\":%llu,\"max_prefix_teardowns\":"
			    "%llu", (unsigned long long)st.flaps,
			    (unsigned long long)st.updates_in,
			    (unsigned long long)st.updates_out,
			    (unsigned long long)st.prefixes_in,
			    (unsigned long long)st.prefixes_out,
			    (unsigned long long)st.withdrawn_in,
			    (unsigned long long)st.withdrawn_out,
			    (unsigned long long)st.max_prefix_teardowns);
			json_notif(f, "last_notification_sent",
			    st.last_notif_sent);
			json_notif(f, "last_notification_received",
			    st.last_notif_rcvd);
			fputc('}', f);
		}
	}
	fputs("\n    ]", f);
}

/* The end of event i's window: the next event time after it, or now. */
static sim_time
window_end(const struct scenario *sc, size_t i, sim_time now)
{
	sim_time end = now + 1;
	size_t k;

	for (k = 0; k < sc->n_events; k++)
		if (sc->events[k].at > sc->events[i].at &&
		    sc->events[k].at < end)
			end = sc->events[k].at;
	return end;
}

sim_time
bgp_sc_last_change(const struct bgp_sc_run *r, sim_time from, sim_time to,
    size_t *changes)
{
	sim_time last = -1;
	size_t i, k;

	*changes = 0;
	for (i = 0; i < r->n; i++)
		for (k = 0; k < r->sp[i].n; k++) {
			sim_time t = r->sp[i].log[k].t;

			if (t >= from && t < to) {
				(*changes)++;
				if (t > last)
					last = t;
			}
		}
	return last;
}

static void
write_events(const struct bgp_sc_run *r, FILE *f)
{
	const struct scenario *sc = r->sc;
	sim_time now = sim_now(r->sim);
	size_t i, changes;

	fputs("\"events\": [", f);
	for (i = 0; i < sc->n_events; i++) {
		const struct sc_event *ev = &sc->events[i];
		sim_time last = bgp_sc_last_change(r, ev->at,
		    window_end(sc, i, now), &changes);

		fprintf(f, "%s\n      {\"at_ns\":%lld,\"action\":", i ? "," :
		    "", (long long)ev->at);
		scenario_json_str(f, ev->action != NULL ? ev->action->name :
		    "");
		fprintf(f, ",\"line\":%u,\"loc_rib_changes\":%zu", ev->loc.line,
		    changes);
		json_time(f, "convergence_ns", last < 0 ? -1 : last - ev->at);
		fputc('}', f);
	}
	fputs("\n    ]", f);
}

void
bgp_sc_metrics(const void *state, FILE *f)
{
	const struct bgp_sc_run *r = state;

	fputs("\"bgp\": {\n    ", f);
	write_sessions(r, f);
	fputs(",\n    ", f);
	write_events(r, f);
	fputs("\n  }", f);
}
