/*
 * test_viz_prov.c - the provisioning states in the viewer: the level of a
 * state (settled, on its way, failed, or not a state), a tile's badges
 * (each resource's most telling field, the field named where it matters,
 * BGP beside a virtual circuit's state, the rest counted), the resources
 * of a node's panel with when each field took its value, the same at a
 * seek into the middle of a provisioning as by playing to it (keyframes
 * carry the states), and the event list: one entry per change whatever
 * the number of nodes it is recorded on, in the words of the annotation
 * narrating it with how long the field held its previous value, a resource
 * on no node as a timeline entry, milestones for the changes that settle
 * or fail only, and the timeline labelling the transitions first.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#ifdef XCSIM_HAVE_VIZ
#include "provview.h"
#include "replay.h"
#include "scan.h"
#include "trace.h"
#include "util.h"
#include "viz.h"

static const char *tmpdir;

#define CIRC "express_route_circuits/er-ashburn"
#define VC "virtual_circuits/vc-azure"
#define SP "serviceProviderProvisioningState"

static void
prov(struct replay *rp, sim_time t, uint32_t node, const char *res,
    const char *field, const char *state)
{
	struct trace_rec r;

	memset(&r, 0, sizeof(r));
	r.type = TR_PROV_STATE;
	r.t = t;
	r.u.prov.node = node;
	r.u.prov.resource = res;
	r.u.prov.field = field;
	r.u.prov.state = state;
	replay_apply(rp, &r);
}

static void
test_levels(void)
{
	CU_ASSERT_EQUAL(provview_level("provisioningState", "Succeeded"),
	    SL_GOOD);
	CU_ASSERT_EQUAL(provview_level(SP, "Provisioned"), SL_GOOD);
	CU_ASSERT_EQUAL(provview_level(SP, "NotProvisioned"), SL_BAD);
	CU_ASSERT_EQUAL(provview_level(SP, "Provisioning"), SL_WARN);
	CU_ASSERT_EQUAL(provview_level("lifecycleState", "PROVISIONED"),
	    SL_GOOD);
	CU_ASSERT_EQUAL(provview_level("lifecycleState", "PENDING_PROVIDER"),
	    SL_WARN);
	CU_ASSERT_EQUAL(provview_level("lifecycleState", "TERMINATED"),
	    SL_BAD);
	CU_ASSERT_EQUAL(provview_level("lifecycleState", "TERMINATING"),
	    SL_WARN);
	CU_ASSERT_EQUAL(provview_level("lifecycleState", "ATTACHED"),
	    SL_GOOD);
	CU_ASSERT_EQUAL(provview_level("lifecycleState", "RUNNING"), SL_GOOD);
	CU_ASSERT_EQUAL(provview_level("lifecycleState", "AVAILABLE"),
	    SL_GOOD);
	CU_ASSERT_EQUAL(provview_level("providerState", "ACTIVE"), SL_GOOD);
	CU_ASSERT_EQUAL(provview_level("providerState", "INACTIVE"), SL_WARN);
	CU_ASSERT_EQUAL(provview_level("bgpSessionState", "UP"), SL_GOOD);
	CU_ASSERT_EQUAL(provview_level("bgpSessionState", "DOWN"), SL_BAD);
	CU_ASSERT_EQUAL(provview_level("provisioningState", "Failed"),
	    SL_BAD);
	CU_ASSERT_EQUAL(provview_level("provisioningState", "Updating"),
	    SL_WARN);
	/* not a state: information; a state field named otherwise */
	CU_ASSERT_EQUAL(provview_level("bandwidthInMbps", "1000"), SL_INFO);
	CU_ASSERT_EQUAL(provview_level("sku", "ErGw1AZ"), SL_INFO);
	CU_ASSERT_EQUAL(provview_level("lifecycle", "PROVISIONING"),
	    SL_WARN);
	CU_ASSERT_EQUAL(provview_level("status", "Connecting"), SL_WARN);
	CU_ASSERT_STRING_EQUAL(provview_short_name(CIRC), "er-ashburn");
	CU_ASSERT_STRING_EQUAL(provview_short_name("x"), "x");
	CU_ASSERT_TRUE(provview_field_rank(SP) <
	    provview_field_rank("provisioningState"));
	CU_ASSERT_EQUAL(provview_field_rank("bandwidthInMbps"), -1);
}

static void
test_badges(void)
{
	struct replay rp;
	struct pv_badge b[PV_MAX_BADGES];
	int more, ml;
	size_t n;

	replay_init(&rp, 0, 0, 0);
	/* a circuit: ARM's state settled, the provider's on its way */
	prov(&rp, SIM_S(1), 0, CIRC, "provisioningState", "Succeeded");
	prov(&rp, SIM_S(1), 0, CIRC, "bandwidthInMbps", "1000");
	prov(&rp, SIM_S(1), 0, CIRC, SP, "NotProvisioned");
	n = provview_badges(&rp, 0, "msee", b, PV_MAX_BADGES, &more, &ml);
	CU_ASSERT_EQUAL(n, 1);
	CU_ASSERT_STRING_EQUAL(b[0].text, "er-ashburn SP NotProvisioned");
	CU_ASSERT_EQUAL(b[0].level, SL_BAD);
	CU_ASSERT_EQUAL(more, 0);
	prov(&rp, SIM_S(2), 0, CIRC, SP, "Provisioning");
	n = provview_badges(&rp, 0, "msee", b, PV_MAX_BADGES, &more, &ml);
	CU_ASSERT_STRING_EQUAL(b[0].text, "er-ashburn SP Provisioning");
	CU_ASSERT_EQUAL(b[0].level, SL_WARN);
	/* a virtual circuit: lifecycle and BGP; the session down while it
	 * provisions is expected (amber), once provisioned it is the news */
	prov(&rp, 0, 1, VC, "bgpSessionState", "DOWN");
	prov(&rp, SIM_S(2), 1, VC, "lifecycleState", "PROVISIONING");
	n = provview_badges(&rp, 1, "edge", b, PV_MAX_BADGES, &more, &ml);
	CU_ASSERT_EQUAL(n, 1);
	CU_ASSERT_STRING_EQUAL(b[0].text,
	    "vc-azure PROVISIONING \xc2\xb7 BGP DOWN");
	CU_ASSERT_EQUAL(b[0].level, SL_WARN);
	prov(&rp, SIM_S(3), 1, VC, "lifecycleState", "PROVISIONED");
	provview_badges(&rp, 1, "edge", b, PV_MAX_BADGES, &more, &ml);
	CU_ASSERT_EQUAL(b[0].level, SL_BAD);
	prov(&rp, SIM_S(4), 1, VC, "bgpSessionState", "UP");
	provview_badges(&rp, 1, "edge", b, PV_MAX_BADGES, &more, &ml);
	CU_ASSERT_STRING_EQUAL(b[0].text,
	    "vc-azure PROVISIONED \xc2\xb7 BGP UP");
	CU_ASSERT_EQUAL(b[0].level, SL_GOOD);
	/* a VNet's tile: its own resource first, then the failed, the
	 * rest counted with their worst level */
	prov(&rp, SIM_S(1), 2, "subnets/vnet/a", "provisioningState",
	    "Succeeded");
	prov(&rp, SIM_S(1), 2, "subnets/vnet/b", "provisioningState",
	    "Updating");
	prov(&rp, SIM_S(1), 2, "subnets/vnet/c", "provisioningState",
	    "Failed");
	prov(&rp, SIM_S(1), 2, "virtual_networks/vnet", "provisioningState",
	    "Succeeded");
	n = provview_badges(&rp, 2, "vnet", b, 2, &more, &ml);
	CU_ASSERT_EQUAL(n, 2);
	CU_ASSERT_STRING_EQUAL(b[0].text, "vnet Succeeded");
	CU_ASSERT_STRING_EQUAL(b[1].text, "c Failed");
	CU_ASSERT_EQUAL(b[1].level, SL_BAD);
	CU_ASSERT_EQUAL(more, 2);
	CU_ASSERT_EQUAL(ml, SL_WARN);
	/* a node with none */
	CU_ASSERT_EQUAL(provview_badges(&rp, 7, "x", b, 2, &more, &ml), 0);
	CU_ASSERT_EQUAL(more, 0);
	replay_free(&rp);
}

static void
test_since_fmt(void)
{
	char b[32];

	provview_fmt_since(b, sizeof(b), SIM_MS(2503));
	CU_ASSERT_STRING_EQUAL(b, "2.503s");
	provview_fmt_since(b, sizeof(b), SIM_MS(728025));
	CU_ASSERT_STRING_EQUAL(b, "12m 08.0s");
	CU_ASSERT_TRUE(scan_narrates("ExpressRoute circuit er-ashburn: "
	    SP " Provisioning -> Provisioned (create)", SP, "Provisioned"));
	CU_ASSERT_TRUE(scan_narrates("VCN v: lifecycleState PROVISIONING "
	    "(create)", "lifecycleState", "PROVISIONING"));
	CU_ASSERT_TRUE(scan_narrates("vcs/all: bgpSessionState Up -> Down",
	    "bgpSessionState", "Down"));
	CU_ASSERT_FALSE(scan_narrates("VCN v: lifecycleState PROVISIONING "
	    "(create)", "lifecycleState", "PROVISIONED"));
	CU_ASSERT_FALSE(scan_narrates("VCN v: lifecycleStateX A",
	    "lifecycleState", "A"));
	CU_ASSERT_FALSE(scan_narrates("service key issued", SP, "x"));
}

/* --- a provisioning on a timeline, keyframes every 10 ms --- */

static const char *
trace_path(void)
{
	static char path[512];
	char err[256];
	struct trace *tr;
	uint32_t nd[2] = { 0, 1 }, ifx[2] = { 0, 0 };
	uint64_t rate[2] = { 1000000000ULL, 1000000000ULL };
	sim_time delay[2] = { SIM_US(10), SIM_US(10) };

	if (path[0] != '\0')
		return path;
	snprintf(path, sizeof(path), "%s/prov.xct", tmpdir);
	tr = trace_open(path, SIM_MS(10), err, sizeof(err));
	SIM_ASSERT(tr != NULL, "trace_open: %s", err);
	trace_node(tr, 0, "msee-primary", "msee", NULL, NULL);
	trace_node(tr, 1, "msee-secondary", "msee", NULL, NULL);
	trace_link(tr, 0, "x", nd, ifx, rate, delay, 1500, 100, 0);
	/* on both MSEEs, narrated once on the first */
	trace_prov(tr, SIM_MS(5), 0, CIRC, SP, "NotProvisioned");
	trace_prov(tr, SIM_MS(5), 1, CIRC, SP, "NotProvisioned");
	trace_annotate(tr, SIM_MS(5), 0, "ExpressRoute circuit er-ashburn: "
	    SP " NotProvisioned (create)");
	trace_annotate(tr, SIM_MS(5), 0, "service key k issued");
	trace_prov(tr, SIM_MS(15), 0, CIRC, SP, "Provisioning");
	trace_prov(tr, SIM_MS(15), 1, CIRC, SP, "Provisioning");
	trace_annotate(tr, SIM_MS(15), 0, "ExpressRoute circuit er-ashburn: "
	    SP " NotProvisioned -> Provisioning (create)");
	trace_annotate(tr, SIM_MS(20), 0, "bgp to 10.0.0.1: KEEPALIVE");
	/* on no node: a timeline entry (no narration: a hand-written one) */
	trace_prov(tr, SIM_MS(25), TRACE_NO_ID, "gateways/gw",
	    "provisioningState", "Updating");
	trace_prov(tr, SIM_MS(45), 0, CIRC, SP, "Provisioned");
	trace_prov(tr, SIM_MS(45), 1, CIRC, SP, "Provisioned");
	trace_annotate(tr, SIM_MS(45), 0, "ExpressRoute circuit er-ashburn: "
	    SP " Provisioning -> Provisioned (create)");
	trace_prov(tr, SIM_MS(45), TRACE_NO_ID, "gateways/gw",
	    "provisioningState", "Succeeded");
	trace_annotate(tr, SIM_MS(60), TRACE_NO_ID, "end");
	SIM_ASSERT(trace_close(tr, err, sizeof(err)) == 0, "close: %s", err);
	return path;
}

/* The replay at t: by seeking (through a keyframe) or by playing. */
static void
replay_at(struct replay *rp, sim_time t, bool seek)
{
	char err[256];
	struct trace_reader *rd = trace_reader_open(trace_path(), err,
	    sizeof(err));
	struct trace_rec r;
	bool marker = false;

	SIM_ASSERT(rd != NULL, "open: %s", err);
	replay_init(rp, 1, 0, 0);
	if (seek)
		CU_ASSERT_EQUAL(trace_reader_seek(rd, t, err, sizeof(err)),
		    0);
	while (trace_reader_next(rd, &r, err, sizeof(err)) == 1 &&
	    r.t <= t) {
		marker |= r.type == TR_KEYFRAME;
		replay_apply(rp, &r);
	}
	/* the seek went through a keyframe, not from the start */
	CU_ASSERT_EQUAL(marker, seek);
	trace_reader_close(rd);
}

static void
test_seek_states(void)
{
	struct replay a, b;
	struct pv_field fa[8], fb[8];
	size_t na, nb, i;

	replay_at(&a, SIM_MS(35), true);
	replay_at(&b, SIM_MS(35), false);
	na = provview_fields(&a, 1, fa, 8);
	nb = provview_fields(&b, 1, fb, 8);
	CU_ASSERT_EQUAL(na, 1);
	CU_ASSERT_EQUAL(na, nb);
	for (i = 0; i < na && i < nb; i++) {
		CU_ASSERT_STRING_EQUAL(fa[i].resource, fb[i].resource);
		CU_ASSERT_STRING_EQUAL(fa[i].field, fb[i].field);
		CU_ASSERT_STRING_EQUAL(fa[i].state, fb[i].state);
		CU_ASSERT_EQUAL(fa[i].since, fb[i].since);
	}
	CU_ASSERT_STRING_EQUAL(fa[0].resource, CIRC);
	CU_ASSERT_STRING_EQUAL(fa[0].state, "Provisioning");
	CU_ASSERT_EQUAL(fa[0].since, SIM_MS(15));
	CU_ASSERT_EQUAL(fa[0].level, SL_WARN);
	CU_ASSERT_TRUE(fa[0].first);
	/* the timeline's resource is on no node */
	CU_ASSERT_EQUAL(provview_fields(&a, TRACE_NO_ID, fa, 8), 1);
	CU_ASSERT_STRING_EQUAL(fa[0].state, "Updating");
	CU_ASSERT_EQUAL(fa[0].since, SIM_MS(25));
	replay_free(&a);
	replay_free(&b);
}

static const struct scan_event *
find_ev(const struct scan *s, const char *text, size_t *count)
{
	const struct scan_event *e = NULL;
	size_t i;

	*count = 0;
	for (i = 0; i < s->nevents; i++)
		if (strcmp(s->events[i].text, text) == 0) {
			e = &s->events[i];
			(*count)++;
		}
	return e;
}

static void
test_event_list(void)
{
	char err[256];
	struct trace_reader *rd = trace_reader_open(trace_path(), err,
	    sizeof(err));
	struct scan s;
	const struct scan_event *e;
	size_t i, n, nprov = 0;

	SIM_ASSERT(rd != NULL, "open: %s", err);
	CU_ASSERT_EQUAL_FATAL(scan_trace(rd, &s, err, sizeof(err)), 0);
	for (i = 0; i < s.nevents; i++) {
		nprov += s.events[i].type == TR_PROV_STATE;
		/* the narrations are not listed a second time */
		CU_ASSERT_FALSE(s.events[i].type == TR_ANNOTATE &&
		    strstr(s.events[i].text, SP) != NULL);
		CU_ASSERT_PTR_NULL(strstr(s.events[i].text, "? "));
	}
	/* three circuit changes on two nodes, two on no node */
	CU_ASSERT_EQUAL(nprov, 5);
	/* with how long the provider side was Provisioning: 15 to 45 ms */
	e = find_ev(&s, "ExpressRoute circuit er-ashburn: " SP
	    " Provisioning -> Provisioned (create) \xc2\xb7 Provisioning "
	    "for 0.030s", &n);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_EQUAL(e->type, TR_PROV_STATE);
	CU_ASSERT_EQUAL(e->t, SIM_MS(45));
	CU_ASSERT_EQUAL(e->node, 0);
	CU_ASSERT_EQUAL(e->level, SL_GOOD);
	CU_ASSERT_TRUE(e->milestone);
	CU_ASSERT_TRUE(e->change);
	e = find_ev(&s, "ExpressRoute circuit er-ashburn: " SP
	    " NotProvisioned -> Provisioning (create) \xc2\xb7 "
	    "NotProvisioned for 0.010s", &n);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_EQUAL(e->level, SL_WARN);
	CU_ASSERT_FALSE(e->milestone);
	e = find_ev(&s, "timeline \xc2\xb7 gateways/gw provisioningState: "
	    "Updating", &n);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_EQUAL(e->node, UINT32_MAX);
	CU_ASSERT_FALSE(e->milestone);
	CU_ASSERT_FALSE(e->change);	/* its first value */
	e = find_ev(&s, "timeline \xc2\xb7 gateways/gw provisioningState: "
	    "Succeeded \xc2\xb7 Updating for 0.020s", &n);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_TRUE(e->milestone);
	/* other annotations stay; a BGP message's is no milestone */
	e = find_ev(&s, "msee-primary: service key k issued", &n);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_TRUE(e->milestone);
	e = find_ev(&s, "msee-primary: bgp to 10.0.0.1: KEEPALIVE", &n);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_FALSE(e->milestone);
	scan_free(&s);
	trace_reader_close(rd);
}

/* A headless frame mid-provisioning by seeking equals the one by playing,
 * with the node selected (the resources section drawn); the rows and the
 * timeline's labels it drew. */
static void
test_frame_seek_equals_play(void)
{
	char err[256];
	struct viz_opts o = { 1280, 720, "msee-primary", NULL, NULL };
	struct viz *a = viz_open(trace_path(), &o, err, sizeof(err));
	struct viz *b = viz_open(trace_path(), &o, err, sizeof(err));
	const void *pa, *pb;
	size_t la, lb;

	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_EQUAL(viz_seek(a, SIM_MS(35), err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(viz_play_to(b, SIM_MS(35), err, sizeof(err)), 0);
	viz_render(a);
	viz_render(b);
	pa = viz_pixels(a, &la);
	pb = viz_pixels(b, &lb);
	CU_ASSERT_EQUAL_FATAL(la, lb);
	CU_ASSERT_EQUAL(memcmp(pa, pb, la), 0);
	viz_close(a);
	/* what the panel and the timeline drew: the circuit's provider
	 * side Provisioning since 15 ms; the transition to Provisioned
	 * labelled first, then a first value, then another milestone */
	{
		const char *l;
		size_t i, res = 0, tl = 0;

		for (i = 0; (l = viz_panel_line(b, i)) != NULL; i++)
			if (strcmp(l, "resource " CIRC " " SP
			    " Provisioning 0.015s") == 0)
				res++;
		/* on the timeline, short and whole: what it became */
		for (tl = 0; (l = viz_timeline_label(b, tl)) != NULL; tl++)
			if (tl == 0)
				CU_ASSERT_STRING_EQUAL(l,
				    "er-ashburn Provisioned");
		CU_ASSERT_EQUAL(res, 1);
		CU_ASSERT_TRUE(tl >= 2);
	}
	viz_close(b);
}

static const struct test_case cases[] = {
	{ "a state's level: settled, on its way, failed, not a state", test_levels },
	{ "a tile's badges: the telling field, BGP beside, the rest counted", test_badges },
	{ "since times and the narration a change is listed in", test_since_fmt },
	{ "a seek into the provisioning gives the states playing gives", test_seek_states },
	{ "each change listed once, in the cloud's words; no node: timeline", test_event_list },
	{ "a selected node mid-provisioning: seek frame equals play frame", test_frame_seek_equals_play },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	if ((tmpdir = test_tmpdir("/tmp/test_viz_prov.XXXXXX")) == NULL)
		return 2;
	return test_main(argc, argv, "viz_prov", cases);
}

#else

static void
test_no_viz(void)
{
	CU_PASS("built without the viewer");
}

static const struct test_case cases[] = {
	{ "without SDL2 there is no viewer", test_no_viz },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "viz_prov", cases);
}
#endif
