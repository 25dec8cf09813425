/*
 * test_acl.c - the acl engine (models/acl/acl.h) driven without frames:
 * table-driven decisions (priority order, first match, allow and deny,
 * combine all in both directions, prefix sets standing for service tags),
 * stateful return traffic and TCP's ending, stateless precedence in
 * combine any (cloud-facts 2.6), the tracking table's limit and idle
 * timeouts at exact simulated times, ICMP echo by identifier, prefix sets
 * following a RIB source, and acl_explain leaving no trace.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "acl.h"
#include "net.h"
#include "rib.h"
#include "sim.h"
#include "testutil.h"
#include "wire.h"

static uint32_t
ip(const char *s)
{
	uint32_t a = 0;

	CU_ASSERT_EQUAL_FATAL(wire_ip_parse(s, &a), 0);
	return a;
}

struct fx {
	struct sim *sim;
	struct net *net;
	struct node *n;
	uint32_t ifx;
};

static void
fx_init(struct fx *x)
{
	x->sim = sim_new(1);
	x->net = net_new(x->sim);
	x->n = net_add_node(x->net, "v", "router", NULL, NULL);
	x->ifx = node_add_iface(x->n, "nic", NULL, ip("10.1.0.1"), 24, 0);
}

static void
fx_free(struct fx *x)
{
	net_free(x->net);
	sim_free(x->sim);
}

static void
noop(struct sim *sim, void *arg)
{
	(void)sim;
	(void)arg;
}

/* Advance simulated time to t exactly. */
static void
at(struct fx *x, sim_time t)
{
	sim_schedule_at(x->sim, t, noop, NULL);
	sim_run_until(x->sim, t);
	CU_ASSERT_EQUAL(sim_now(x->sim), t);
}

static struct acl_tuple
tup(const char *src, const char *dst, uint8_t proto, uint16_t sport,
    uint16_t dport, uint8_t flags)
{
	struct acl_tuple t;

	memset(&t, 0, sizeof(t));
	t.src = ip(src);
	t.dst = ip(dst);
	t.proto = proto;
	t.sport = sport;
	t.dport = dport;
	t.tcp_flags = flags;
	t.icmp_type = t.icmp_code = -1;
	t.l4 = true;
	return t;
}

static struct acl_tuple
rev(struct acl_tuple t, uint8_t flags)
{
	struct acl_tuple r = t;

	r.src = t.dst;
	r.dst = t.src;
	r.sport = t.dport;
	r.dport = t.sport;
	r.tcp_flags = flags;
	return r;
}

static const struct acl_tuple *
revp(struct acl_tuple t, uint8_t flags)
{
	static struct acl_tuple r;

	r = rev(t, flags);
	return &r;
}

/* A rule from its text parts; src/dst one prefix or set, NULL = any. */
static void
add(struct acl *a, const char *name, enum acl_dir dir, uint32_t prio,
    bool allow, int proto, uint16_t dlo, uint16_t dhi, const char *src,
    struct acl_pset *set, bool stateless)
{
	struct acl_rule r;
	uint32_t pfx = 0;
	uint8_t len = 0;
	char nm[64];

	memset(&r, 0, sizeof(r));
	snprintf(nm, sizeof(nm), "%s", name);
	r.name = nm;
	r.dir = dir;
	r.priority = prio;
	r.allow = allow;
	r.stateless = stateless;
	r.proto = proto;
	r.sport[1] = 65535;
	r.dport[0] = dlo;
	r.dport[1] = dhi;
	r.icmp_type = r.icmp_code = -1;
	if (src != NULL) {
		CU_ASSERT_EQUAL_FATAL(wire_prefix_parse(src, false, &pfx,
		    &len), 0);
		r.src.prefix = &pfx;
		r.src.len = &len;
		r.src.n = 1;
	} else if (set != NULL) {
		r.src.sets = &set;
		r.src.n_sets = 1;
	}
	acl_add_rule(a, &r);
}

struct row {
	const char *src, *dst;
	uint8_t proto;
	uint16_t dport;
	enum acl_dir dir;
	bool allow;
	const char *reason;	/* expected; "" when allowed */
};

static void
run_rows(struct acl_binding *b, const struct row *rows, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct acl_tuple t = tup(rows[i].src, rows[i].dst,
		    rows[i].proto, 40000, rows[i].dport, WIRE_TCP_SYN);
		const char *reason = NULL;
		bool ok = acl_binding_filter(b, rows[i].dir, &t, &reason);

		if (ok != rows[i].allow || (!ok && strcmp(reason,
		    rows[i].reason) != 0))
			fprintf(stderr, "row %zu: %s '%s'\n", i, ok ? "allowed" :
			    "denied", ok ? "" : reason);
		CU_ASSERT_EQUAL(ok, rows[i].allow);
		if (!ok)
			CU_ASSERT_STRING_EQUAL(reason, rows[i].reason);
	}
}

#define TCP WIRE_IPPROTO_TCP
#define UDP WIRE_IPPROTO_UDP
#define IN ACL_INBOUND
#define OUT ACL_OUTBOUND

static void
test_first_match(void)
{
	struct fx x;
	struct acl *a;
	struct acl_binding *b;
	char err[128];
	static const struct row rows[] = {
		/* 100 is taken before 200 though added after it */
		{ "10.1.2.3", "10.1.0.4", TCP, 22, IN, true, "" },
		{ "10.2.0.1", "10.1.0.4", TCP, 22, IN, false,
		  "nsg web-nsg rule DenySsh priority 200 (inbound)" },
		{ "10.2.0.1", "10.1.0.4", UDP, 53, IN, true, "" },
		{ "10.2.0.1", "10.1.0.4", TCP, 23, IN, true, "" },
		{ "10.1.0.4", "10.9.9.9", UDP, 53, OUT, false,
		  "nsg web-nsg: no rule matched (outbound)" },
	};

	fx_init(&x);
	a = acl_new("web-nsg", "nsg", ACL_FIRST_MATCH);
	add(a, "DenySsh", IN, 200, false, TCP, 22, 22, "10.0.0.0/8", NULL,
	    false);
	add(a, "AllowAll", IN, 300, true, ACL_PROTO_ANY, 0, 65535, NULL, NULL,
	    false);
	add(a, "AllowSshHub", IN, 100, true, TCP, 22, 22, "10.1.0.0/16", NULL,
	    false);
	b = acl_bind(x.n, x.ifx, &a, 1, ACL_ALL, 100, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	run_rows(b, rows, sizeof(rows) / sizeof(rows[0]));
	CU_ASSERT_EQUAL(acl_binding_counters(b)->allowed, 3);
	CU_ASSERT_EQUAL(acl_binding_counters(b)->denied, 2);
	CU_ASSERT_EQUAL(acl_binding_denials(b, 0, 0), 1);	/* DenySsh */
	CU_ASSERT_EQUAL(acl_binding_denials(b, 0, -1), 1);	/* no rule */
	acl_unbind(b);
	acl_free(a);
	fx_free(&x);
}

/* B4: inbound subnet NSG first, outbound NIC NSG first. */
static void
test_combine_all_order(void)
{
	struct fx x;
	struct acl *a[2];
	struct acl_binding *b;
	char err[128];
	static const struct row rows[] = {
		{ "10.2.0.1", "10.1.0.4", TCP, 80, IN, false,
		  "nsg subnet-nsg rule DenyWebIn priority 110 (inbound)" },
		{ "10.1.0.4", "10.2.0.1", TCP, 80, OUT, false,
		  "nsg nic-nsg rule DenyWebOut priority 120 (outbound)" },
		/* allowed by one, refused by the other: all must allow */
		{ "10.2.0.1", "10.1.0.4", TCP, 8080, IN, false,
		  "nsg nic-nsg: no rule matched (inbound)" },
		{ "10.2.0.1", "10.1.0.4", TCP, 443, IN, true, "" },
	};

	fx_init(&x);
	a[0] = acl_new("subnet-nsg", "nsg", ACL_FIRST_MATCH);
	a[1] = acl_new("nic-nsg", "nsg", ACL_FIRST_MATCH);
	add(a[0], "DenyWebIn", IN, 110, false, TCP, 80, 80, NULL, NULL, false);
	add(a[0], "DenyWebOut", OUT, 120, false, TCP, 80, 80, NULL, NULL,
	    false);
	add(a[0], "AllowIn", IN, 4000, true, TCP, 0, 65535, NULL, NULL, false);
	add(a[1], "DenyWebIn", IN, 110, false, TCP, 80, 80, NULL, NULL, false);
	add(a[1], "DenyWebOut", OUT, 120, false, TCP, 80, 80, NULL, NULL,
	    false);
	add(a[1], "AllowHttps", IN, 200, true, TCP, 443, 443, NULL, NULL,
	    false);
	b = acl_bind(x.n, x.ifx, a, 2, ACL_ALL, 100, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	run_rows(b, rows, sizeof(rows) / sizeof(rows[0]));
	acl_unbind(b);
	acl_free(a[0]);
	acl_free(a[1]);
	fx_free(&x);
}

/* A set standing for a service tag; acl_explain moves nothing. */
static void
test_prefix_set_and_explain(void)
{
	struct fx x;
	struct acl *a;
	struct acl_pset *vnet = acl_pset_new("hub.VirtualNetwork");
	struct acl_binding *b;
	struct acl_decision d;
	struct acl_tuple t;
	char err[128];
	static const struct row rows[] = {
		{ "10.1.5.5", "10.1.0.4", UDP, 5000, IN, true, "" },
		{ "172.16.0.9", "10.1.0.4", UDP, 5000, IN, true, "" },
		{ "10.2.0.1", "10.1.0.4", UDP, 5000, IN, false,
		  "nsg app: no rule matched (inbound)" },
	};

	fx_init(&x);
	acl_pset_add(vnet, ip("10.1.0.0"), 16);
	acl_pset_add(vnet, ip("172.16.0.0"), 12);
	a = acl_new("app", "nsg", ACL_FIRST_MATCH);
	add(a, "AllowVNetInBound", IN, 65000, true, ACL_PROTO_ANY, 0, 65535,
	    NULL, vnet, false);
	b = acl_bind(x.n, x.ifx, &a, 1, ACL_ALL, 100, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	t = tup("10.1.5.5", "10.1.0.4", UDP, 1, 5000, 0);
	CU_ASSERT_EQUAL(acl_explain(b, IN, &t, &d), 0);
	CU_ASSERT(d.allow);
	CU_ASSERT_EQUAL(d.n_hits, 1);
	CU_ASSERT_STRING_EQUAL(d.hit[d.decider].rule->name,
	    "AllowVNetInBound");
	CU_ASSERT_EQUAL(d.hit[d.decider].rule->priority, 65000);
	CU_ASSERT_STRING_EQUAL(acl_label(d.hit[d.decider].acl), "nsg");
	CU_ASSERT_STRING_EQUAL(d.reason, "");
	t = tup("10.2.0.1", "10.1.0.4", UDP, 1, 5000, 0);
	CU_ASSERT_EQUAL(acl_explain(b, IN, &t, &d), 0);
	CU_ASSERT(!d.allow);
	CU_ASSERT_PTR_NULL(d.hit[d.decider].rule);
	CU_ASSERT_STRING_EQUAL(d.reason, "nsg app: no rule matched (inbound)");
	/* no side effects: no counter, no flow */
	CU_ASSERT_EQUAL(acl_binding_counters(b)->allowed, 0);
	CU_ASSERT_EQUAL(acl_binding_counters(b)->denied, 0);
	CU_ASSERT_EQUAL(acl_binding_flows(b), 0);
	run_rows(b, rows, sizeof(rows) / sizeof(rows[0]));
	CU_ASSERT_EQUAL(acl_binding_flows(b), 2);
	acl_unbind(b);
	acl_free(a);
	acl_pset_free(vnet);
	fx_free(&x);
}

static struct acl_binding *
one_acl(struct fx *x, struct acl *a, uint32_t limit)
{
	char err[128];
	struct acl_binding *b = acl_bind(x->n, x->ifx, &a, 1, ACL_ALL, limit,
	    err, sizeof(err));

	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	return b;
}

static bool
pass(struct acl_binding *b, enum acl_dir dir, const struct acl_tuple *t,
    const char **reason)
{
	const char *r = NULL;
	bool ok = acl_binding_filter(b, dir, t, &r);

	if (reason != NULL)
		*reason = ok ? "" : r;
	return ok;
}

/* Return traffic of an allowed outbound flow passes; FIN, RST, their ends. */
static void
test_stateful_tcp(void)
{
	struct fx x;
	struct acl *a;
	struct acl_binding *b;
	struct acl_tuple o = tup("10.1.0.4", "10.2.0.9", TCP, 40000, 443,
	    WIRE_TCP_SYN), o2;
	const char *why;

	fx_init(&x);
	a = acl_new("app", "nsg", ACL_FIRST_MATCH);
	add(a, "AllowHttpsOut", OUT, 100, true, TCP, 443, 443, NULL, NULL,
	    false);
	b = one_acl(&x, a, 10);
	/* no inbound rule: the reply passes only as a tracked flow */
	CU_ASSERT(!pass(b, IN, &(struct acl_tuple){ .src = o.dst,
	    .dst = o.src, .proto = TCP, .sport = 443, .dport = 40000,
	    .tcp_flags = WIRE_TCP_SYN | WIRE_TCP_ACK, .icmp_type = -1,
	    .icmp_code = -1, .l4 = true }, &why));
	CU_ASSERT_STRING_EQUAL(why, "nsg app: no rule matched (inbound)");
	CU_ASSERT(pass(b, OUT, &o, NULL));
	CU_ASSERT_EQUAL(acl_binding_flows(b), 1);
	CU_ASSERT(pass(b, IN, revp(o, WIRE_TCP_SYN |
	    WIRE_TCP_ACK), NULL));
	/* another port of the same host is not the flow */
	o2 = rev(o, WIRE_TCP_ACK);
	o2.sport = 444;
	CU_ASSERT(!pass(b, IN, &o2, NULL));
	/* FIN both ways: the flow ends 120 s later (netfilter's TIME_WAIT) */
	at(&x, SIM_S(100));
	o.tcp_flags = WIRE_TCP_FIN | WIRE_TCP_ACK;
	CU_ASSERT(pass(b, OUT, &o, NULL));
	at(&x, SIM_S(101));
	CU_ASSERT(pass(b, IN, revp(o, WIRE_TCP_FIN |
	    WIRE_TCP_ACK), NULL));
	CU_ASSERT_EQUAL(ACL_CT_TCP_TIME_WAIT, SIM_S(120));
	at(&x, SIM_S(101) + SIM_S(120) - 1);
	o.tcp_flags = WIRE_TCP_ACK;
	CU_ASSERT(pass(b, OUT, &o, NULL));	/* the last ACK */
	CU_ASSERT(pass(b, IN, revp(o, WIRE_TCP_ACK),
	    NULL));
	CU_ASSERT_EQUAL(acl_binding_flows(b), 1);
	at(&x, SIM_S(101) + SIM_S(120));	/* not extended by those */
	CU_ASSERT_EQUAL(acl_binding_flows(b), 0);
	CU_ASSERT(!pass(b, IN, revp(o, WIRE_TCP_ACK),
	    &why));
	/* a RST ends a flow 10 s later (netfilter's CLOSE) */
	o.sport = 40001;
	o.tcp_flags = WIRE_TCP_SYN;
	CU_ASSERT(pass(b, OUT, &o, NULL));
	at(&x, SIM_S(300));
	CU_ASSERT(pass(b, IN, revp(o, WIRE_TCP_RST),
	    NULL));
	CU_ASSERT_EQUAL(ACL_CT_TCP_CLOSE, SIM_S(10));
	at(&x, SIM_S(300) + SIM_S(10) - 1);
	CU_ASSERT_EQUAL(acl_binding_flows(b), 1);
	at(&x, SIM_S(300) + SIM_S(10));
	CU_ASSERT(!pass(b, IN, revp(o, WIRE_TCP_ACK),
	    NULL));
	/* a RST in TIME_WAIT closes it at once: 10 s from the RST */
	o.sport = 40003;
	o.tcp_flags = WIRE_TCP_SYN;
	CU_ASSERT(pass(b, OUT, &o, NULL));
	CU_ASSERT(pass(b, IN, revp(o, WIRE_TCP_SYN | WIRE_TCP_ACK), NULL));
	o.tcp_flags = WIRE_TCP_FIN | WIRE_TCP_ACK;
	CU_ASSERT(pass(b, OUT, &o, NULL));
	CU_ASSERT(pass(b, IN, revp(o, WIRE_TCP_FIN | WIRE_TCP_ACK), NULL));
	at(&x, SIM_S(350));
	o.tcp_flags = WIRE_TCP_RST;
	CU_ASSERT(pass(b, OUT, &o, NULL));
	at(&x, SIM_S(360));
	CU_ASSERT_EQUAL(acl_binding_flows(b), 0);
	/* an established flow outlives any UDP timeout */
	o.sport = 40002;
	o.tcp_flags = WIRE_TCP_SYN;
	CU_ASSERT(pass(b, OUT, &o, NULL));
	CU_ASSERT(pass(b, IN, revp(o, WIRE_TCP_SYN |
	    WIRE_TCP_ACK), NULL));
	at(&x, SIM_S(400) + SIM_S(3600));
	CU_ASSERT(pass(b, IN, revp(o, WIRE_TCP_ACK),
	    NULL));
	CU_ASSERT_EQUAL(acl_binding_counters(b)->flows_created, 4);
	CU_ASSERT_EQUAL(acl_binding_counters(b)->flows_peak, 1);
	acl_unbind(b);
	acl_free(a);
	fx_free(&x);
}

/*
 * A flow that crosses one binding both ways (a virtual appliance behind
 * the interface forwards it back out): two entries share the key, one per
 * origin direction, and each reply finds its own on the chain.
 */
static void
test_hairpin_flow(void)
{
	struct fx x;
	struct acl *a;
	struct acl_binding *b;
	struct acl_tuple s = tup("10.9.0.5", "10.2.0.7", TCP, 40000, 443,
	    WIRE_TCP_SYN);
	const char *why;

	fx_init(&x);
	a = acl_new("hub", "nsg", ACL_FIRST_MATCH);
	add(a, "AllowSpokeIn", IN, 100, true, TCP, 0, 65535, "10.9.0.0/16",
	    NULL, false);
	add(a, "AllowSpokeOut", OUT, 100, true, TCP, 0, 65535, "10.9.0.0/16",
	    NULL, false);
	add(a, "DenyIn", IN, 4000, false, ACL_PROTO_ANY, 0, 65535, NULL, NULL,
	    false);
	add(a, "DenyOut", OUT, 4000, false, ACL_PROTO_ANY, 0, 65535, NULL,
	    NULL, false);
	b = one_acl(&x, a, 10);
	CU_ASSERT(pass(b, IN, &s, NULL));
	CU_ASSERT(pass(b, OUT, &s, NULL));
	CU_ASSERT_EQUAL(acl_binding_flows(b), 2);
	CU_ASSERT(pass(b, IN, revp(s, WIRE_TCP_SYN | WIRE_TCP_ACK), &why));
	CU_ASSERT(pass(b, OUT, revp(s, WIRE_TCP_SYN | WIRE_TCP_ACK), &why));
	CU_ASSERT_STRING_EQUAL(why, "");
	CU_ASSERT_EQUAL(acl_binding_counters(b)->allowed_tracked, 2);
	CU_ASSERT_EQUAL(acl_binding_counters(b)->denied, 0);
	acl_unbind(b);
	acl_free(a);
	fx_free(&x);
}

/* 2.6: a stateless match takes precedence, so its reply is not tracked. */
static void
test_stateless_precedence(void)
{
	struct fx x;
	struct acl *a[2];
	struct acl_binding *b;
	struct acl_tuple web = tup("10.1.0.4", "10.2.0.9", TCP, 40000, 80,
	    WIRE_TCP_SYN);
	struct acl_tuple tls = tup("10.1.0.4", "10.2.0.9", TCP, 40000, 443,
	    WIRE_TCP_SYN);
	const char *why;
	char err[128];

	fx_init(&x);
	a[0] = acl_new("db-seclist", "security-list", ACL_ANY_ALLOW);
	a[1] = acl_new("db-nsg", "nsg", ACL_ANY_ALLOW);
	add(a[0], "#1", OUT, 0, true, ACL_PROTO_ANY, 0, 65535, NULL, NULL,
	    false);
	add(a[1], "#1", OUT, 0, true, TCP, 80, 80, NULL, NULL, true);
	b = acl_bind(x.n, x.ifx, a, 2, ACL_ANY, 10, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT(pass(b, OUT, &tls, NULL));
	CU_ASSERT(pass(b, IN, revp(tls, WIRE_TCP_SYN |
	    WIRE_TCP_ACK), NULL));
	CU_ASSERT(pass(b, OUT, &web, NULL));
	CU_ASSERT_EQUAL(acl_binding_flows(b), 1);	/* 443 only */
	CU_ASSERT(!pass(b, IN, revp(web, WIRE_TCP_SYN |
	    WIRE_TCP_ACK), &why));
	CU_ASSERT_STRING_EQUAL(why, "security-list db-seclist: no rule allows "
	    "(ingress); nsg db-nsg: no rule allows (ingress)");
	acl_unbind(b);
	acl_free(a[0]);
	acl_free(a[1]);
	fx_free(&x);
}

/*
 * combine all tracks per acl: the acl that allowed a flow statefully lets
 * its reply pass, the one that allowed it by a stateless rule judges the
 * reply by its rules.
 */
static void
test_all_tracks_per_acl(void)
{
	struct fx x;
	struct acl *a[2];
	struct acl_binding *b;
	struct acl_tuple tls = tup("10.1.0.4", "10.2.0.9", TCP, 40000, 443,
	    WIRE_TCP_SYN);
	struct acl_tuple web = tup("10.1.0.4", "10.2.0.9", TCP, 40000, 80,
	    WIRE_TCP_SYN);
	struct acl_decision d;
	const char *why;
	char err[128];
	struct acl_rule r;
	char nm[] = "AllowTlsBack";

	fx_init(&x);
	a[0] = acl_new("subnet", "nsg", ACL_FIRST_MATCH);
	a[1] = acl_new("nic", "nsg", ACL_FIRST_MATCH);
	add(a[0], "AllowOut", OUT, 100, true, ACL_PROTO_ANY, 0, 65535, NULL,
	    NULL, false);
	add(a[1], "AllowOutStateless", OUT, 100, true, ACL_PROTO_ANY, 0, 65535,
	    NULL, NULL, true);
	memset(&r, 0, sizeof(r));
	r.name = nm;
	r.dir = IN;
	r.priority = 100;
	r.allow = true;
	r.stateless = true;
	r.proto = TCP;
	r.sport[0] = r.sport[1] = 443;
	r.dport[1] = 65535;
	r.icmp_type = r.icmp_code = -1;
	acl_add_rule(a[1], &r);
	b = acl_bind(x.n, x.ifx, a, 2, ACL_ALL, 10, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT(pass(b, OUT, &tls, NULL));
	CU_ASSERT(pass(b, OUT, &web, NULL));
	CU_ASSERT_EQUAL(acl_binding_flows(b), 2);	/* subnet tracks both */
	CU_ASSERT(pass(b, IN, revp(tls, WIRE_TCP_SYN | WIRE_TCP_ACK), NULL));
	CU_ASSERT(!pass(b, IN, revp(web, WIRE_TCP_SYN | WIRE_TCP_ACK), &why));
	CU_ASSERT_STRING_EQUAL(why, "nsg nic: no rule matched (inbound)");
	/* a new flow's reply, by the rules alone: subnet refuses first */
	CU_ASSERT_EQUAL(acl_explain(b, IN, revp(tls, WIRE_TCP_ACK), &d), 0);
	CU_ASSERT(!d.allow);
	CU_ASSERT_EQUAL(d.n_hits, 1);
	CU_ASSERT_STRING_EQUAL(acl_name(d.hit[0].acl), "subnet");
	CU_ASSERT_STRING_EQUAL(d.reason, "nsg subnet: no rule matched "
	    "(inbound)");
	acl_unbind(b);
	acl_free(a[0]);
	acl_free(a[1]);
	fx_free(&x);
}

/* A full table drops new stateful flows until entries expire (UDP 30s). */
static void
test_conntrack_limit(void)
{
	struct fx x;
	struct acl *a;
	struct acl_binding *b;
	struct acl_tuple u = tup("10.1.0.4", "10.2.0.9", UDP, 5000, 53, 0);
	const char *why;
	uint16_t p;

	fx_init(&x);
	a = acl_new("app", "nsg", ACL_FIRST_MATCH);
	add(a, "AllowDns", OUT, 100, true, UDP, 53, 53, NULL, NULL, false);
	add(a, "AllowNtp", OUT, 110, true, UDP, 123, 123, NULL, NULL, true);
	b = one_acl(&x, a, 2);
	for (p = 0; p < 2; p++) {
		u.sport = (uint16_t)(5000 + p);
		CU_ASSERT(pass(b, OUT, &u, NULL));
	}
	u.sport = 5002;
	CU_ASSERT(!pass(b, OUT, &u, &why));
	CU_ASSERT_STRING_EQUAL(why, "connection tracking table full");
	/* a packet of a tracked flow still passes, a stateless one needs none */
	u.sport = 5000;
	at(&x, SIM_S(10));
	CU_ASSERT(pass(b, OUT, &u, NULL));
	u.dport = 123;
	CU_ASSERT(pass(b, OUT, &u, NULL));
	u.dport = 53;
	/* 5001 idle since 0s expires at 30s exactly, 5000 (10s) at 40s */
	at(&x, ACL_CT_UDP - 1);
	u.sport = 5003;
	CU_ASSERT(!pass(b, OUT, &u, NULL));
	at(&x, ACL_CT_UDP);
	CU_ASSERT(pass(b, OUT, &u, NULL));
	CU_ASSERT_EQUAL(acl_binding_flows(b), 2);
	CU_ASSERT_EQUAL(acl_binding_counters(b)->table_full, 2);
	CU_ASSERT_EQUAL(acl_binding_counters(b)->flows_peak, 2);
	/* a reply makes it a stream: 120s */
	CU_ASSERT(pass(b, IN, revp(u, 0), NULL));
	at(&x, ACL_CT_UDP + ACL_CT_UDP_STREAM - 1);
	CU_ASSERT(pass(b, IN, revp(u, 0), NULL));
	at(&x, 2 * ACL_CT_UDP + 2 * ACL_CT_UDP_STREAM);
	CU_ASSERT_EQUAL(acl_binding_flows(b), 0);
	acl_unbind(b);
	acl_free(a);
	fx_free(&x);
}

/* ICMP echo is tracked by identifier; zero table: every flow refused. */
static void
test_icmp_echo(void)
{
	struct fx x;
	struct acl *a;
	struct acl_binding *b;
	struct acl_tuple e = tup("10.1.0.4", "10.2.0.9", WIRE_IPPROTO_ICMP, 0,
	    0, 0), r;
	struct acl_rule ru;

	fx_init(&x);
	a = acl_new("app", "nsg", ACL_FIRST_MATCH);
	char nm[] = "AllowPingOut";

	memset(&ru, 0, sizeof(ru));
	ru.name = nm;
	ru.dir = OUT;
	ru.priority = 100;
	ru.allow = true;
	ru.proto = WIRE_IPPROTO_ICMP;
	ru.sport[1] = ru.dport[1] = 65535;
	ru.icmp_type = WIRE_ICMP_ECHO;
	ru.icmp_code = -1;
	acl_add_rule(a, &ru);
	b = one_acl(&x, a, 10);
	e.icmp_type = WIRE_ICMP_ECHO;
	e.icmp_code = 0;
	e.icmp_id = 7;
	CU_ASSERT(pass(b, OUT, &e, NULL));
	r = rev(e, 0);
	r.icmp_type = WIRE_ICMP_ECHO_REPLY;
	CU_ASSERT(pass(b, IN, &r, NULL));
	r.icmp_id = 8;
	CU_ASSERT(!pass(b, IN, &r, NULL));
	/* the far host pinging back with the same id is no reply */
	r = rev(e, 0);
	r.icmp_type = WIRE_ICMP_ECHO;
	CU_ASSERT(!pass(b, IN, &r, NULL));
	/* an echo reply outbound matches no rule (type 8 only) */
	r = e;
	r.icmp_type = WIRE_ICMP_ECHO_REPLY;
	r.icmp_id = 9;
	CU_ASSERT(!pass(b, OUT, &r, NULL));
	at(&x, ACL_CT_ICMP);
	r = rev(e, 0);
	r.icmp_type = WIRE_ICMP_ECHO_REPLY;
	CU_ASSERT(!pass(b, IN, &r, NULL));
	acl_unbind(b);
	b = one_acl(&x, a, 0);
	CU_ASSERT(!pass(b, OUT, &e, NULL));
	acl_unbind(b);
	acl_free(a);
	fx_free(&x);
}

static const struct rib_source bgp_src = { .name = "bgp" };

static void
route(struct rib *r, uint32_t ifx, const char *pfx, uint8_t source,
    uint16_t pref)
{
	struct rib_nh nh = { 0, ifx };
	struct rib_route rt;
	uint32_t a;
	uint8_t len;

	CU_ASSERT_EQUAL_FATAL(wire_prefix_parse(pfx, false, &a, &len), 0);
	memset(&rt, 0, sizeof(rt));
	rt.source = source;
	rt.pref = pref;
	rt.nhg = rib_nhg_get(r, &nh, 1);
	CU_ASSERT(rib_add(r, a, len, &rt) >= 0);
	rib_nhg_put(r, rt.nhg);
}

/* from_rib: members follow the source's best routes, add and withdraw. */
static void
test_from_rib(void)
{
	struct fx x;
	struct acl_pset *s = acl_pset_new("onprem");
	struct rib *r;

	fx_init(&x);
	r = node_rib(x.n, 0);
	route(r, x.ifx, "192.168.0.0/16", RIB_SRC_MODEL, 20);
	/* named after the set starts following: found by name on changes */
	acl_pset_follow(s, r, "bgp");
	CU_ASSERT(!acl_pset_match(s, ip("192.168.1.1")));
	rib_del(r, ip("192.168.0.0"), 16, RIB_SRC_MODEL, 0);
	rib_set_source(r, RIB_SRC_MODEL, &bgp_src);
	route(r, x.ifx, "192.168.0.0/16", RIB_SRC_MODEL, 20);
	CU_ASSERT(acl_pset_match(s, ip("192.168.1.1")));
	CU_ASSERT(!acl_pset_match(s, ip("10.1.0.9")));	/* connected */
	CU_ASSERT_EQUAL(acl_pset_count(s), 1);
	/* a static route wins the prefix: no longer bgp's best */
	route(r, x.ifx, "192.168.0.0/16", RIB_SRC_STATIC, 1);
	CU_ASSERT(!acl_pset_match(s, ip("192.168.1.1")));
	rib_del(r, ip("192.168.0.0"), 16, RIB_SRC_STATIC, 0);
	CU_ASSERT(acl_pset_match(s, ip("192.168.1.1")));
	/* a static member of the same prefix survives the withdrawal */
	acl_pset_add(s, ip("192.168.0.0"), 16);
	rib_del(r, ip("192.168.0.0"), 16, RIB_SRC_MODEL, 0);
	CU_ASSERT(acl_pset_match(s, ip("192.168.1.1")));
	CU_ASSERT_EQUAL(acl_pset_count(s), 1);
	/* a set made later starts with what the table holds */
	route(r, x.ifx, "172.20.0.0/16", RIB_SRC_MODEL, 20);
	{
		struct acl_pset *t = acl_pset_new("late");

		acl_pset_follow(t, r, "bgp");
		CU_ASSERT(acl_pset_match(t, ip("172.20.3.3")));
		CU_ASSERT(!acl_pset_match(t, ip("192.168.1.1")));
		acl_pset_free(t);
	}
	acl_pset_free(s);
	/* the listener is gone: changes after the free touch nothing */
	route(r, x.ifx, "172.21.0.0/16", RIB_SRC_MODEL, 20);
	fx_free(&x);
}

/*
 * In combine any every refusing acl gives its reason: with long names the
 * text fills the buffer, and acl_explain gives the very text of the drop.
 */
static void
test_explain_long_reason(void)
{
	struct fx x;
	struct acl *a[4];
	struct acl_binding *b;
	struct acl_decision d;
	struct acl_tuple t = tup("10.9.0.5", "10.2.0.7", TCP, 40000, 443,
	    WIRE_TCP_SYN);
	const char *why = NULL;
	char name[64], err[128];
	size_t k;

	fx_init(&x);
	for (k = 0; k < 4; k++) {
		snprintf(name, sizeof(name), "spoke-%zu-network-security-group-"
		    "of-the-application-tier", k);
		a[k] = acl_new(name, "nsg", ACL_FIRST_MATCH);
	}
	b = acl_bind(x.n, x.ifx, a, 4, ACL_ANY, 10, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_EQUAL(acl_explain(b, IN, &t, &d), 0);
	CU_ASSERT(!pass(b, IN, &t, &why));
	CU_ASSERT_EQUAL(strlen(why), ACL_REASON_LEN - 1);
	CU_ASSERT_STRING_EQUAL(d.reason, why);
	acl_unbind(b);
	for (k = 0; k < 4; k++)
		acl_free(a[k]);
	fx_free(&x);
}

/* Does fn abort (SIM_ASSERT) in a child? */
static bool
aborts(void (*fn)(void))
{
	pid_t pid;
	int st = 0;

	fflush(NULL);
	pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0) {
		/* the message is expected: keep it out of the test's output */
		if (freopen("/dev/null", "w", stderr) == NULL)
			_exit(2);
		fn();
		_exit(0);
	}
	CU_ASSERT_EQUAL_FATAL(waitpid(pid, &st, 0), pid);
	return WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT;
}

/* The binding sized its denial counters by the acl's rules. */
static void
add_after_bind(void)
{
	struct fx x;
	struct acl *a = acl_new("a", "nsg", ACL_FIRST_MATCH);
	struct acl_binding *b;
	struct acl_tuple t = tup("10.9.0.5", "10.2.0.7", TCP, 40000, 443,
	    WIRE_TCP_SYN);

	fx_init(&x);
	add(a, "AllowIn", IN, 100, true, TCP, 443, 443, NULL, NULL, false);
	b = one_acl(&x, a, 10);
	add(a, "DenyIn", IN, 50, false, TCP, 443, 443, NULL, NULL, false);
	(void)pass(b, IN, &t, NULL);
	acl_unbind(b);
	acl_free(a);
	fx_free(&x);
}

static void
deny_in_any_allow(void)
{
	struct acl *a = acl_new("a", "security-list", ACL_ANY_ALLOW);

	add(a, "#1", IN, 0, false, TCP, 443, 443, NULL, NULL, false);
	acl_free(a);
}

static void
test_api_misuse_aborts(void)
{
	struct fx x;
	struct acl *a = acl_new("a", "nsg", ACL_FIRST_MATCH);
	struct acl_binding *b;

	CU_ASSERT(aborts(add_after_bind));
	CU_ASSERT(aborts(deny_in_any_allow));
	/* unbound again, an acl takes rules */
	fx_init(&x);
	add(a, "AllowIn", IN, 100, true, TCP, 443, 443, NULL, NULL, false);
	b = one_acl(&x, a, 10);
	acl_unbind(b);
	add(a, "DenyIn", IN, 50, false, TCP, 443, 443, NULL, NULL, false);
	CU_ASSERT_EQUAL(acl_n_rules(a), 2);
	acl_free(a);
	fx_free(&x);
}

static const struct test_case cases[] = {
	{ "first_match: priority order, first match, no match", test_first_match },
	{ "combine all: inbound in order, outbound reversed",
	    test_combine_all_order },
	{ "prefix sets as service tags; acl_explain has no side effects",
	    test_prefix_set_and_explain },
	{ "stateful TCP: return traffic, FIN (120 s), RST (10 s)",
	    test_stateful_tcp },
	{ "a flow crossing the binding both ways keeps its replies",
	    test_hairpin_flow },
	{ "any_allow: stateless rules take precedence (2.6)",
	    test_stateless_precedence },
	{ "combine all: tracking per acl, stateless ones judge replies",
	    test_all_tracks_per_acl },
	{ "conntrack limit and UDP timeouts at exact times",
	    test_conntrack_limit },
	{ "ICMP echo tracked by identifier", test_icmp_echo },
	{ "from_rib sets follow a source's best routes", test_from_rib },
	{ "acl_explain's reason is the drop's, however long",
	    test_explain_long_reason },
	{ "a rule added to a bound acl, a deny in any_allow: abort",
	    test_api_misuse_aborts },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	return test_main(argc, argv, "acl", cases);
}
