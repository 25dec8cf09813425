/*
 * test_prov_state.c - the resources section's run (models/prov/
 * prov_state.h): fields take their values at exactly the times of their
 * states, with the query API answering for any past instant; the trace
 * holds one prov_state record per node of a resource (TRACE_NO_ID
 * without nodes) and the narration as annotations, read back with the
 * trace reader; a followed bgpSessionState goes UP the instant its
 * sessions establish (any: the first, all: the last) and DOWN when a link
 * is cut, at the hold timer's expiry or at BFD's detection exactly; the
 * "resources" member of metrics.json holds every field's final value.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bfd.h"
#include "bgp_scenario.h"
#include "bgp_speaker.h"
#include "net.h"
#include "prov_state.h"
#include "scenario.h"
#include "scenario_models.h"
#include "scenario_run.h"
#include "scenario_testutil.h"
#include "sim.h"
#include "testutil.h"
#include "trace.h"
#include "wire.h"

/*
 * r1 - r2 over l0 (1 ms) and l1 (3 ms), a session on each (r2 passive,
 * hold 9 s); l0 cut at 20 s. %s: more keys of every neighbour (BFD).
 */
static const char base[] =
    "duration: 40s\n"
    "nodes:\n"
    "  - { name: r1, role: router, interfaces: [{ name: e0, address: "
    "10.0.0.1/30 }, { name: e1, address: 10.0.1.1/30 }] }\n"
    "  - { name: r2, role: router, interfaces: [{ name: e0, address: "
    "10.0.0.2/30 }, { name: e1, address: 10.0.1.2/30 }] }\n"
    "links:\n"
    "  - { name: l0, a: r1:e0, b: r2:e0, delay: 1ms }\n"
    "  - { name: l1, a: r1:e1, b: r2:e1, delay: 3ms }\n"
    "bgp:\n"
    "  - node: r1\n"
    "    asn: 65001\n"
    "    neighbors:\n"
    "      - { address: 10.0.0.2, remote_as: 65002, hold: 9s, "
    "keepalive: 3s%s }\n"
    "      - { address: 10.0.1.2, remote_as: 65002, hold: 9s, "
    "keepalive: 3s%s }\n"
    "  - node: r2\n"
    "    asn: 65002\n"
    "    neighbors:\n"
    "      - { address: 10.0.0.1, remote_as: 65001, hold: 9s, "
    "keepalive: 3s, passive: true%s }\n"
    "      - { address: 10.0.1.1, remote_as: 65001, hold: 9s, "
    "keepalive: 3s, passive: true%s }\n"
    "events:\n"
    "  - { at: 20s, action: link-down, link: l0 }\n"
    "resources:\n"
    "  - name: circuits/c1\n"
    "    type: Circuit\n"
    "    title: Circuit c1\n"
    "    nodes: [r1, r2]\n"
    "    states:\n"
    "      - { at: 0s, field: provisioningState, value: Updating, op: "
    "create }\n"
    "      - { at: 5s, field: provisioningState, value: Succeeded, op: "
    "create }\n"
    "      - { at: 5s, field: serviceProviderProvisioningState, value: "
    "NotProvisioned }\n"
    "      - { at: 12.5s, field: serviceProviderProvisioningState, value: "
    "Provisioned }\n"
    "      - { at: 30s, field: provisioningState, value: Succeeded, op: "
    "update }\n"
    "    notes:\n"
    "      - { at: 5s, text: \"service key issued: billing starts\" }\n"
    "  - name: vcs/any\n"
    "    type: VirtualCircuit\n"
    "    follow:\n"
    "      - field: bgpSessionState\n"
    "        sessions: [{ node: r1, peer: 10.0.0.2 }, { node: r1, peer: "
    "10.0.1.2 }]\n"
    "  - name: vcs/all\n"
    "    type: VirtualCircuit\n"
    "    nodes: [r2]\n"
    "    follow:\n"
    "      - field: bgpSessionState\n"
    "        sessions: [{ node: r1, peer: 10.0.0.2 }, { node: r1, peer: "
    "10.0.1.2 }]\n"
    "        when: all\n"
    "        up: Up\n"
    "        down: Down\n";

#define BFD_KEYS \
	", bfd: true, bfd_timers: { tx: 300ms, rx: 300ms, multiplier: 3 }"

static struct scenario *
load_base(bool bfd)
{
	const char *k = bfd ? BFD_KEYS : "";
	char text[sizeof(base) + 4 * sizeof(BFD_KEYS)], *diag = NULL;
	struct scenario *sc;
	unsigned n = 0;

	snprintf(text, sizeof(text), base, k, k, k, k);
	sc = load(text, &diag, &n);
	if (sc == NULL)
		fprintf(stderr, "%s", diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	CU_ASSERT_EQUAL(n, 0);
	free(diag);
	return sc;
}

static struct run *
start(struct scenario *sc, const char *dir)
{
	struct run_opts o = { .out_dir = dir };
	char err[256];
	struct run *r = run_new(sc, &o, err, sizeof(err));

	if (r == NULL)
		fprintf(stderr, "run_new: %s\n", err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	return r;
}

/* The value of res's field at at (NULL: none), and its since-time. */
static const char *
val(struct prov_states *ps, const char *res, const char *field, sim_time at,
    sim_time *since)
{
	long i = prov_find(ps, res);

	CU_ASSERT_FATAL(i >= 0);
	return prov_field_at(ps, (size_t)i, field, at, since);
}

static void
test_states_at_times(void)
{
	struct scenario *sc = load_base(false);
	struct run *r = start(sc, NULL);
	struct prov_states *ps = run_section_state(r, "resources");
	sim_time since = -1;
	long c1;
	const char *v;

	CU_ASSERT_PTR_NOT_NULL_FATAL(ps);
	CU_ASSERT_EQUAL(prov_n_resources(ps), 3);
	c1 = prov_find(ps, "circuits/c1");
	CU_ASSERT_EQUAL(c1, 0);
	CU_ASSERT_EQUAL(prov_find(ps, "vcs/all"), 2);
	CU_ASSERT_EQUAL(prov_find(ps, "circuits/c2"), -1);
	CU_ASSERT_STRING_EQUAL(prov_resource_name(ps, 1), "vcs/any");
	CU_ASSERT_STRING_EQUAL(prov_resource_type(ps, 0), "Circuit");
	CU_ASSERT_STRING_EQUAL(prov_resource_title(ps, 0), "Circuit c1");
	/* no title: the name */
	CU_ASSERT_STRING_EQUAL(prov_resource_title(ps, 1), "vcs/any");
	CU_ASSERT_PTR_NULL(prov_resource_name(ps, 3));
	/* fields in the order the file names them */
	CU_ASSERT_EQUAL(prov_n_fields(ps, 0), 2);
	CU_ASSERT_STRING_EQUAL(prov_field_name(ps, 0, 0), "provisioningState");
	CU_ASSERT_STRING_EQUAL(prov_field_name(ps, 0, 1),
	    "serviceProviderProvisioningState");
	CU_ASSERT_PTR_NULL(prov_field_name(ps, 0, 2));
	CU_ASSERT_EQUAL(prov_n_fields(ps, 2), 1);

	/* nothing before the run starts */
	CU_ASSERT_PTR_NULL(val(ps, "circuits/c1", "provisioningState", 0,
	    NULL));
	run_advance(r, 0);
	v = val(ps, "circuits/c1", "provisioningState", 0, &since);
	CU_ASSERT_STRING_EQUAL(v, "Updating");
	CU_ASSERT_EQUAL(since, 0);
	run_advance(r, SIM_S(5) - 1);
	v = val(ps, "circuits/c1", "provisioningState", SIM_S(5) - 1, &since);
	CU_ASSERT_STRING_EQUAL(v, "Updating");
	CU_ASSERT_PTR_NULL(val(ps, "circuits/c1",
	    "serviceProviderProvisioningState", SIM_S(5) - 1, NULL));
	run_advance(r, SIM_S(5));
	v = val(ps, "circuits/c1", "provisioningState", SIM_S(5), &since);
	CU_ASSERT_STRING_EQUAL(v, "Succeeded");
	CU_ASSERT_EQUAL(since, SIM_S(5));
	v = val(ps, "circuits/c1", "serviceProviderProvisioningState",
	    SIM_S(5), &since);
	CU_ASSERT_STRING_EQUAL(v, "NotProvisioned");
	CU_ASSERT_EQUAL(since, SIM_S(5));
	run_advance(r, run_end_time(r));
	/* the history answers for any past instant */
	v = val(ps, "circuits/c1", "serviceProviderProvisioningState",
	    SIM_MS(12499), &since);
	CU_ASSERT_STRING_EQUAL(v, "NotProvisioned");
	v = val(ps, "circuits/c1", "serviceProviderProvisioningState",
	    SIM_MS(12500), &since);
	CU_ASSERT_STRING_EQUAL(v, "Provisioned");
	CU_ASSERT_EQUAL(since, SIM_MS(12500));
	v = val(ps, "circuits/c1", "provisioningState", SIM_S(3), &since);
	CU_ASSERT_STRING_EQUAL(v, "Updating");
	CU_ASSERT_EQUAL(since, 0);
	/* the same value again (update at 30 s) keeps its since */
	v = val(ps, "circuits/c1", "provisioningState", SIM_S(40), &since);
	CU_ASSERT_STRING_EQUAL(v, "Succeeded");
	CU_ASSERT_EQUAL(since, SIM_S(5));
	CU_ASSERT_PTR_NULL(val(ps, "circuits/c1", "nosuchField", SIM_S(40),
	    NULL));
	run_free(r);
	scenario_free(sc);
}

/* The run's peer statistics of r1's session with peer. */
static void
peer_stats(struct run *r, const char *peer, struct bgp_peer_stats *st,
    struct bgp_speaker **spp)
{
	struct node *n = net_find_node(run_net(r), "r1");
	struct bgp_speaker *sp = bgp_scenario_speaker(run_section_state(r,
	    "bgp"), n, 0);
	uint32_t a = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(sp);
	CU_ASSERT_EQUAL_FATAL(wire_ip_parse(peer, &a), 0);
	CU_ASSERT_EQUAL_FATAL(bgp_speaker_peer_stats(sp, a, st), 0);
	if (spp != NULL)
		*spp = sp;
}

static void
test_follow_hold(void)
{
	struct scenario *sc = load_base(false);
	struct run *r = start(sc, NULL);
	struct prov_states *ps = run_section_state(r, "resources");
	struct bgp_peer_stats s0, s1;
	sim_time since = -1, up0, up1;
	const char *v;

	run_advance(r, run_end_time(r));
	peer_stats(r, "10.0.0.2", &s0, NULL);
	peer_stats(r, "10.0.1.2", &s1, NULL);
	up0 = s0.first_established;
	up1 = s1.first_established;
	/* the 3 ms link's session comes up later */
	CU_ASSERT(up0 > 0 && up1 > up0);
	CU_ASSERT_EQUAL(up0, 4000330);
	CU_ASSERT_EQUAL(up1, 12000330);
	/* down from time zero until the sessions establish */
	v = val(ps, "vcs/any", "bgpSessionState", up0 - 1, &since);
	CU_ASSERT_STRING_EQUAL(v, "DOWN");
	CU_ASSERT_EQUAL(since, 0);
	/* any: up with the first session; all: with the last */
	v = val(ps, "vcs/any", "bgpSessionState", up0, &since);
	CU_ASSERT_STRING_EQUAL(v, "UP");
	CU_ASSERT_EQUAL(since, up0);
	v = val(ps, "vcs/all", "bgpSessionState", up1 - 1, &since);
	CU_ASSERT_STRING_EQUAL(v, "Down");
	CU_ASSERT_EQUAL(since, 0);
	v = val(ps, "vcs/all", "bgpSessionState", up1, &since);
	CU_ASSERT_STRING_EQUAL(v, "Up");
	CU_ASSERT_EQUAL(since, up1);
	/*
	 * l0 cut at 20 s: its session ends when the hold timer (9 s) runs
	 * out after the last message heard; "all" goes Down then, "any"
	 * stays UP on l1.
	 */
	CU_ASSERT_EQUAL(s0.flaps, 1);
	CU_ASSERT(s0.last_rx < SIM_S(20));
	CU_ASSERT_EQUAL(s0.last_down, s0.last_rx + SIM_S(9));
	v = val(ps, "vcs/all", "bgpSessionState", SIM_S(40), &since);
	CU_ASSERT_STRING_EQUAL(v, "Down");
	CU_ASSERT_EQUAL(since, s0.last_rx + SIM_S(9));
	CU_ASSERT_EQUAL(since, 28093495526);
	v = val(ps, "vcs/all", "bgpSessionState", since - 1, NULL);
	CU_ASSERT_STRING_EQUAL(v, "Up");
	v = val(ps, "vcs/any", "bgpSessionState", SIM_S(40), &since);
	CU_ASSERT_STRING_EQUAL(v, "UP");
	CU_ASSERT_EQUAL(since, up0);
	CU_ASSERT_EQUAL(s1.flaps, 0);
	run_free(r);
	scenario_free(sc);
}

static void
test_follow_bfd(void)
{
	struct scenario *sc = load_base(true);
	struct run *r = start(sc, NULL);
	struct prov_states *ps = run_section_state(r, "resources");
	struct bgp_peer_stats s0;
	struct bgp_speaker *sp;
	struct bfd_session *bs;
	sim_time since = -1;
	const char *v;

	run_advance(r, run_end_time(r));
	peer_stats(r, "10.0.0.2", &s0, &sp);
	bs = bfd_session_find(bgp_speaker_config(sp)->bfd,
	    net_find_node(run_net(r), "r1"), 0, 0x0a000002);
	CU_ASSERT_PTR_NOT_NULL_FATAL(bs);
	CU_ASSERT_EQUAL(bfd_session_stats(bs)->downs, 1);
	v = val(ps, "vcs/all", "bgpSessionState", SIM_S(40), &since);
	CU_ASSERT_STRING_EQUAL(v, "Down");
	/* the instant BFD declares the path down, 3 x 300 ms at most */
	CU_ASSERT_EQUAL(since, bfd_session_stats(bs)->last_change);
	CU_ASSERT_EQUAL(since, s0.last_down);
	CU_ASSERT(since > SIM_S(20) && since <= SIM_S(20) + SIM_MS(900));
	CU_ASSERT_EQUAL(since, 20733171508);
	v = val(ps, "vcs/any", "bgpSessionState", SIM_S(40), NULL);
	CU_ASSERT_STRING_EQUAL(v, "UP");
	run_free(r);
	scenario_free(sc);
}

/* A record, as text: "t node resource field state" or "t @node text". */
static void
rec_line(const struct trace_rec *rec, char *buf, size_t len)
{
	long node;

	if (rec->type == TR_PROV_STATE) {
		node = rec->u.prov.node == TRACE_NO_ID ? -1 :
		    (long)rec->u.prov.node;
		snprintf(buf, len, "%lld %ld %s %s %s", (long long)rec->t, node,
		    rec->u.prov.resource, rec->u.prov.field,
		    rec->u.prov.state);
	} else {
		node = rec->u.annotate.node == TRACE_NO_ID ? -1 :
		    (long)rec->u.annotate.node;
		snprintf(buf, len, "%lld @%ld %s", (long long)rec->t, node,
		    rec->u.annotate.text);
	}
}

#define SEEN_MAX 16

/*
 * Keep "node resource field state" as the latest of its key (all but
 * the last word).
 */
static void
seen_add(char seen[][256], size_t *n, const char *s)
{
	size_t i, key = (size_t)(strrchr(s, ' ') - s);

	for (i = 0; i < *n; i++)
		if (strncmp(seen[i], s, key + 1) == 0) {
			snprintf(seen[i], 256, "%s", s);
			return;
		}
	if (*n < SEEN_MAX)
		snprintf(seen[(*n)++], 256, "%s", s);
}

static bool
seen_has(char seen[][256], size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(seen[i], s) == 0)
			return true;
	return false;
}

static void
test_trace_records(void)
{
	static const char *const want[] = {
		"0 0 circuits/c1 provisioningState Updating",
		"0 1 circuits/c1 provisioningState Updating",
		"0 @0 Circuit c1: provisioningState Updating (create)",
		"0 -1 vcs/any bgpSessionState DOWN",
		"0 1 vcs/all bgpSessionState Down",
		"4000330 -1 vcs/any bgpSessionState UP",
		"4000330 @-1 vcs/any: bgpSessionState DOWN -> UP",
		"12000330 1 vcs/all bgpSessionState Up",
		"12000330 @1 vcs/all: bgpSessionState Down -> Up",
		"5000000000 0 circuits/c1 provisioningState Succeeded",
		"5000000000 1 circuits/c1 provisioningState Succeeded",
		"5000000000 @0 Circuit c1: provisioningState Updating -> "
		    "Succeeded (create)",
		"5000000000 0 circuits/c1 serviceProviderProvisioningState "
		    "NotProvisioned",
		"5000000000 1 circuits/c1 serviceProviderProvisioningState "
		    "NotProvisioned",
		"5000000000 @0 Circuit c1: serviceProviderProvisioningState "
		    "NotProvisioned",
		"5000000000 @0 service key issued: billing starts",
		"12500000000 0 circuits/c1 serviceProviderProvisioningState "
		    "Provisioned",
		"12500000000 1 circuits/c1 serviceProviderProvisioningState "
		    "Provisioned",
		"12500000000 @0 Circuit c1: serviceProviderProvisioningState "
		    "NotProvisioned -> Provisioned",
		"28093495526 1 vcs/all bgpSessionState Down",
		"28093495526 @1 vcs/all: bgpSessionState Up -> Down",
		NULL
	};
	struct scenario *sc = load_base(false);
	char *dir = test_tmpdir("/tmp/xcsim-prov-XXXXXX"), path[300],
	    err[256], line[512], *out = NULL, seen[SEEN_MAX][256];
	struct trace_reader *rd;
	struct trace_rec rec;
	size_t n = 0;
	int rc;

	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	CU_ASSERT_EQUAL(sc_run_to_end(sc, 0, dir, &out), 0);
	free(out);
	snprintf(path, sizeof(path), "%s/trace.xct", dir);
	rd = trace_reader_open(path, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
	while ((rc = trace_reader_next(rd, &rec, err, sizeof(err))) == 1) {
		if (rec.type == TR_ANNOTATE && (rec.u.annotate.text == NULL ||
		    strncmp(rec.u.annotate.text, "bgp ", 4) == 0 ||
		    (rec.t == 0 && rec.u.annotate.node == TRACE_NO_ID)))
			continue;	/* BGP messages; the run name */
		if (rec.type != TR_PROV_STATE && rec.type != TR_ANNOTATE)
			continue;
		rec_line(&rec, line, sizeof(line));
		if (want[n] == NULL || strcmp(line, want[n]) != 0) {
			fprintf(stderr, "record %zu: got '%s' want '%s'\n", n,
			    line, want[n] ? want[n] : "(end)");
			CU_FAIL("unexpected record");
			break;
		}
		n++;
	}
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NULL(want[n]);
	trace_reader_close(rd);

	/* a viewer seeking to 13 s finds every field's state at once */
	rd = trace_reader_open(path, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
	CU_ASSERT_EQUAL_FATAL(trace_reader_seek(rd, SIM_S(13), err,
	    sizeof(err)), 0);
	n = 0;
	while (trace_reader_next(rd, &rec, err, sizeof(err)) == 1 &&
	    rec.t <= SIM_S(13))
		if (rec.type == TR_PROV_STATE) {
			rec_line(&rec, line, sizeof(line));
			/* t aside: the latest of each key counts */
			seen_add(seen, &n, strchr(line, ' ') + 1);
		}
	CU_ASSERT_EQUAL(n, 6);
	CU_ASSERT(seen_has(seen, n, "0 circuits/c1 "
	    "serviceProviderProvisioningState Provisioned"));
	CU_ASSERT(seen_has(seen, n, "1 circuits/c1 "
	    "serviceProviderProvisioningState Provisioned"));
	CU_ASSERT(seen_has(seen, n, "1 circuits/c1 provisioningState "
	    "Succeeded"));
	CU_ASSERT(seen_has(seen, n, "-1 vcs/any bgpSessionState UP"));
	CU_ASSERT(seen_has(seen, n, "1 vcs/all bgpSessionState Up"));
	trace_reader_close(rd);
	scenario_free(sc);
}

static void
test_metrics(void)
{
	struct scenario *sc = load_base(false);
	char *dir = test_tmpdir("/tmp/xcsim-prov-XXXXXX"), path[300], *m,
	    *out = NULL;

	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	CU_ASSERT_EQUAL(sc_run_to_end(sc, 0, dir, &out), 0);
	free(out);
	snprintf(path, sizeof(path), "%s/metrics.json", dir);
	m = test_slurp(path, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_PTR_NOT_NULL(strstr(m, "\"resources\": [\n    {\"name\": "
	    "\"circuits/c1\", \"type\": \"Circuit\", \"title\": "
	    "\"Circuit c1\", "
	    "\"nodes\": [\"r1\", \"r2\"], \"fields\": [{\"field\": "
	    "\"provisioningState\", \"value\": \"Succeeded\", \"since_ns\": "
	    "5000000000}, {\"field\": \"serviceProviderProvisioningState\", "
	    "\"value\": \"Provisioned\", \"since_ns\": 12500000000}]},\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(m, "{\"name\": \"vcs/all\", \"type\": "
	    "\"VirtualCircuit\", \"title\": \"vcs/all\", \"nodes\": [\"r2\"], "
	    "\"fields\": [{\"field\": \"bgpSessionState\", \"value\": "
	    "\"Down\", \"since_ns\": 28093495526}]}\n  ]"));
	free(m);
	scenario_free(sc);
}

static const struct test_case cases[] = {
	{ "fields take their states' values at exactly their times",
	    test_states_at_times },
	{ "followed sessions: UP when established, DOWN at hold expiry",
	    test_follow_hold },
	{ "followed sessions: DOWN at BFD's detection", test_follow_bfd },
	{ "prov_state records per node and narration in the trace",
	    test_trace_records },
	{ "metrics.json resources: every field's final value", test_metrics },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	scenario_models_init();
	return test_main(argc, argv, "prov_state", cases);
}
