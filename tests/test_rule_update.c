/*
 * test_rule_update.c - updates of security rules on the timeline (issue
 * 11: "a security rule change that cuts the database traffic"): an Azure
 * NSG rule's `update` (models/azure/azure_prov_rule.c) and an OCI
 * security list's or NSG's rules (models/oci/oci_prov_rules.c), each
 * taking seconds, the data plane switching at the completion, exactly:
 * the expansion's version gates change at the completion, the verdicts
 * before it are the old rule's and after it the new one's. Each refusal
 * with its words. The world is lab 02's (scenarios/labs/02-app-db-nsg.yaml)
 * with its timeline's last item replaced.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "provision_int.h"
#include "scenario.h"
#include "scenario_expand.h"
#include "scenario_models.h"
#include "scenario_testutil.h"
#include "testutil.h"

#define LAB02 XCSIM_SOURCE_DIR "/scenarios/labs/02-app-db-nsg.yaml"
#define LAB02B XCSIM_SOURCE_DIR "/scenarios/labs/02b-rule-update.yaml"
#define CUT "  - { id: cut, at: 70m, duration: 5s, delete: " \
	"security_rules/app-nsg/AllowDbOut }\n"

/* s with the first `from` replaced by `to` (caller frees). */
static char *
replace(const char *s, const char *from, const char *to)
{
	const char *p = strstr(s, from);
	size_t a, b, c;
	char *out;

	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	a = (size_t)(p - s);
	b = strlen(to);
	c = strlen(p + strlen(from));
	out = malloc(a + b + c + 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	memcpy(out, s, a);
	memcpy(out + a, to, b);
	memcpy(out + a + b, p + strlen(from), c + 1);
	return out;
}

/*
 * Lab 02 with its cut replaced by items (timeline items) and its
 * assertions by asserts ("" none), and, when vcn_extra is not NULL, text
 * added to the VCN db-vcn and nsg_ids on its VNIC.
 */
static char *
variant(const char *items, const char *asserts, const char *vcn_extra)
{
	char *text = test_slurp(LAB02, NULL), *a, *b, *at;

	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	a = replace(text, CUT, items);
	at = strstr(a, "\nassertions:\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(at);
	at[1] = '\0';
	b = malloc(strlen(a) + strlen(asserts) + 32);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	sprintf(b, "%s%s", a, *asserts != '\0' ? "assertions:\n" : "");
	strcat(b, asserts);
	free(a);
	free(text);
	if (vcn_extra != NULL) {
		a = replace(b, "  instances:\n", vcn_extra);
		free(b);
		b = replace(a, "subnet: db-vcn/db }", "subnet: db-vcn/db, "
		    "nsg_ids: [db-nsg] }");
		free(a);
	}
	return b;
}

static struct scenario *
load_ok(const char *text)
{
	char *diag = NULL;
	unsigned n = 0;
	struct scenario *sc = load(text, &diag, &n);

	if (sc == NULL || n != 0)
		fprintf(stderr, "%s", diag);
	free(diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	CU_ASSERT_EQUAL(n, 0);
	return sc;
}

/* What `xcsim expand` prints for text (caller frees). */
static char *
expand(const char *text)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(scenario_expand_print_buffer("t.yaml", text,
	    strlen(text), f, stderr), 0);
	fclose(f);
	return out;
}

static const struct prov_opr *
op_named(const struct prov_plan *p, enum prov_op op, const char *ident,
    size_t nth)
{
	size_t i;

	for (i = 0; p != NULL && i < p->n_ops; i++)
		if (p->ops[i].op == op && strcmp(p->ops[i].r->ident, ident) ==
		    0 && nth-- == 0)
			return &p->ops[i];
	return NULL;
}

/* The only update of ident in text is refused with why in its error. */
static void
refused(const char *text, const char *ident, const char *why)
{
	struct scenario *sc = load_ok(text);
	const struct prov_opr *o = op_named(prov_plan_of(sc), PROV_UPDATE,
	    ident, 0);

	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	if (!o->refused || strstr(o->error, why) == NULL)
		fprintf(stderr, "%s: expected refused with '%s', got %s\n",
		    ident, why, o->refused ? o->error : "succeeded");
	CU_ASSERT_TRUE(o->refused);
	CU_ASSERT_PTR_NOT_NULL(o->refused ? strstr(o->error, why) : NULL);
	CU_ASSERT_EQUAL(o->end, o->start);
	scenario_free(sc);
}

/* Run text to its end: every assertion passes; *out its lines. */
static void
run_passes(const char *text, char **out)
{
	struct scenario *sc = load_ok(text);
	unsigned failed = sc_run_to_end(sc, 0, NULL, out);

	if (failed != 0)
		fprintf(stderr, "%s", *out);
	CU_ASSERT_EQUAL(failed, 0);
	scenario_free(sc);
}

/* --- Azure ------------------------------------------------------------ */

/*
 * Lab 02b: the first try (priority 200) refused, taken by AllowDbOut;
 * the second (150) Updating from 70m, Succeeded with priority 150 at
 * 70m 5s exactly; the fields before are the file's.
 */
static void
test_azure_plan(void)
{
	char *text = test_slurp(LAB02B, NULL);
	struct scenario *sc;
	const struct prov_plan *p;
	const struct prov_opr *o;
	const struct prov_res *r;

	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	sc = load_ok(text);
	p = prov_plan_of(sc);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	o = op_named(p, PROV_UPDATE, "security_rules/app-nsg/DenyOciOut", 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	CU_ASSERT_TRUE(o->refused);
	CU_ASSERT_EQUAL(o->start, SIM_S(69 * 60));
	CU_ASSERT_PTR_NOT_NULL(strstr(o->error, "priority 200 is taken by "
	    "rule 'AllowDbOut' in direction Outbound"));
	o = op_named(p, PROV_UPDATE, "security_rules/app-nsg/DenyOciOut", 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	CU_ASSERT_FALSE(o->refused);
	CU_ASSERT_EQUAL(o->start, SIM_S(4200));
	CU_ASSERT_EQUAL(o->end, SIM_S(4205));
	r = prov_find_res(p, "security_rules", "app-nsg/DenyOciOut");
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_STRING_EQUAL(prov_get(p, r, "provisioningState",
	    SIM_S(4200)), "Updating");
	CU_ASSERT_STRING_EQUAL(prov_get(p, r, "provisioningState",
	    SIM_S(4205) - 1), "Updating");
	CU_ASSERT_STRING_EQUAL(prov_get(p, r, "provisioningState",
	    SIM_S(4205)), "Succeeded");
	CU_ASSERT_PTR_NULL(prov_get(p, r, "priority", SIM_S(4205) - 1));
	CU_ASSERT_STRING_EQUAL(prov_get(p, r, "priority", SIM_S(4205)),
	    "150");
	/* the rule carries all along: an update is no outage of its own */
	CU_ASSERT_TRUE(prov_steps_at(&r->carry, SIM_S(4202)));
	scenario_free(sc);
	free(text);
}

/*
 * The expansion: DenyOciOut twice in acl app-nsg, the file's (4000) under
 * #0, open until 4205s, the update's (150) under #1, open from 4205s.
 */
static void
test_azure_versions(void)
{
	char *text = test_slurp(LAB02B, NULL), *x;

	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	x = expand(text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	CU_ASSERT_PTR_NOT_NULL(strstr(x,
	    "- name: security_rules/app-nsg/DenyOciOut#0\n"
	    "  open: true\n  changes:\n  - at: 4205s\n    open: false\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(x,
	    "- name: security_rules/app-nsg/DenyOciOut#1\n"
	    "  open: false\n  changes:\n  - at: 4205s\n    open: true\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(x, "  - name: DenyOciOut\n"
	    "    gate: security_rules/app-nsg/DenyOciOut#0\n"
	    "    direction: outbound\n    priority: 4000\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(x, "  - name: DenyOciOut\n"
	    "    gate: security_rules/app-nsg/DenyOciOut#1\n"
	    "    direction: outbound\n    priority: 150\n"));
	/* a rule no update names keeps its one item, ungated */
	CU_ASSERT_PTR_NOT_NULL(strstr(x, "  - name: AllowDbOut\n"
	    "    direction: outbound\n    priority: 200\n"));
	free(x);
	free(text);
}

/*
 * The run: until the completion AllowDbOut decides and the queries
 * flow; from it the updated DenyOciOut denies port 1521 and new
 * connections fail, while the pool's tracked flow keeps going.
 */
static void
test_azure_cuts(void)
{
	char *text = test_slurp(LAB02B, NULL), *out = NULL;

	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	run_passes(text, &out);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS: at 4204s: acl app-nsg on "
	    "path app-vm -> db-vm: allow by AllowDbOut"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS: at 4206s: acl app-nsg on "
	    "path app-vm -> db-vm: deny by DenyOciOut"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS: connection-fails query"));
	free(out);
	free(text);
}

#define AZ_UPD(set) "  - { at: 70m, duration: 5s, update: " \
	"security_rules/app-nsg/AllowDbOut, set: " set " }\n"

/* What Azure refuses, at the update's start, with nothing changed. */
static void
test_azure_refusals(void)
{
	static const struct {
		const char *set, *why;
	} cases[] = {
		{ "{ name: Other }", "updating 'name' is not modelled" },
		{ "{ priority: 5000 }", "priority 5000 is outside 100-4096" },
		{ "{ priority: 110 }", "priority 110 is taken by rule "
		    "'AllowPingOut' in direction Outbound" },
		{ "{ access: Maybe }", "access 'Maybe' is not a value it "
		    "takes" },
		{ "{ destination_port_range: 1-2-3 }", "destination_port_range "
		    "'1-2-3' is not a value it takes" },
		{ "{ source_address_prefix: 10.1.1.1/24 }",
		    "source_address_prefix '10.1.1.1/24' is not a value" },
		{ "{ protocol: Icmp }", "a port range needs protocol Tcp or "
		    "Udp; Icmp has no ports (give \"*\")" },
		{ "{ protocol: \"*\" }", "a port range needs protocol Tcp or "
		    "Udp here (xcsim's limit, not Azure's: write a rule for "
		    "each)" },
	};
	size_t i;
	char *t;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char item[256];

		snprintf(item, sizeof(item), AZ_UPD("%s"), cases[i].set);
		t = variant(item, "", NULL);
		refused(t, "security_rules/app-nsg/AllowDbOut", cases[i].why);
		free(t);
	}
	/* a second update while the first is Updating */
	t = variant(AZ_UPD("{ priority: 101 }")
	    "  - { at: 4202s, update: security_rules/app-nsg/AllowDbOut, "
	    "set: { priority: 102 } }\n", "", NULL);
	{
		struct scenario *sc = load_ok(t);
		const struct prov_opr *o = op_named(prov_plan_of(sc),
		    PROV_UPDATE, "security_rules/app-nsg/AllowDbOut", 1);

		CU_ASSERT_PTR_NOT_NULL_FATAL(o);
		CU_ASSERT_TRUE(o->refused);
		CU_ASSERT_PTR_NOT_NULL(strstr(o->error,
		    "AnotherOperationInProgress"));
		scenario_free(sc);
	}
	free(t);
}

/* Two updates: three versions, cut at each completion, cumulative. */
static void
test_azure_two_updates(void)
{
	char *t = variant(AZ_UPD("{ destination_port_range: \"1522\" }")
	    "  - { at: 75m, duration: 3s, update: "
	    "security_rules/app-nsg/AllowDbOut, set: { access: Deny } }\n",
	    "", NULL), *x;

	x = expand(t);
	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	CU_ASSERT_PTR_NOT_NULL(strstr(x,
	    "- name: security_rules/app-nsg/AllowDbOut#1\n"
	    "  open: false\n  changes:\n  - at: 4205s\n    open: true\n"
	    "  - at: 4503s\n    open: false\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(x,
	    "- name: security_rules/app-nsg/AllowDbOut#2\n"
	    "  open: false\n  changes:\n  - at: 4503s\n    open: true\n"));
	/* version 2 has both updates' fields */
	CU_ASSERT_PTR_NOT_NULL(strstr(x, "    gate: security_rules/app-nsg/"
	    "AllowDbOut#2\n    direction: outbound\n    priority: 100\n"
	    "    action: deny\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(x, "    destination_ports: 1522\n"));
	free(x);
	free(t);
}

/* --- OCI -------------------------------------------------------------- */

#define SL_UPD "  - { at: 70m, duration: 5s, update: " \
	"security_lists/db-vcn/db-sl, set: { " \
	"ingress-1/tcp_options/destination_port_range/min: \"1522\", " \
	"ingress-1/tcp_options/destination_port_range/max: \"1522\" } }\n"

/*
 * The database's list: its ingress-1 (1521) changed to 1522 at 70m, 5 s:
 * until the completion ingress-1 allows 1521, from it no rule does (OCI
 * lists allow only: 2.6) and the queries fail.
 */
static void
test_oci_list_cuts(void)
{
	char *t = variant(SL_UPD,
	    "  - { kind: rule-verdict, from: app-vm, to: db-vm, port: 1521, "
	    "acl: db-vcn.db-sl, rule: ingress-1, verdict: allow, at: 4204s }\n"
	    "  - { kind: rule-verdict, from: app-vm, to: db-vm, port: 1521, "
	    "acl: db-vcn.db-sl, verdict: deny, at: 4206s }\n"
	    "  - { kind: path, from: app-vm, to: db-vm, proto: tcp, port: 1521, "
	    "delivered: false, at: 4206s }\n"
	    "  - { kind: connection-fails, app: query, failure: timed-out }\n",
	    NULL), *out = NULL, *x;
	struct scenario *sc;
	const struct prov_plan *p;
	const struct prov_opr *o;
	const struct prov_res *r;
	size_t i;
	bool noted = false;

	sc = load_ok(t);
	p = prov_plan_of(sc);
	o = op_named(p, PROV_UPDATE, "security_lists/db-vcn/db-sl", 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	CU_ASSERT_FALSE(o->refused);
	CU_ASSERT_EQUAL(o->start, SIM_S(4200));
	CU_ASSERT_EQUAL(o->end, SIM_S(4205));
	r = o->r;
	/* the list stays AVAILABLE; the note says what changed, when */
	CU_ASSERT_STRING_EQUAL(prov_get(p, r, "lifecycleState", SIM_S(4202)),
	    "AVAILABLE");
	for (i = 0; i < r->n_notes; i++)
		noted |= r->notes[i].at == SIM_S(4205) &&
		    strcmp(r->notes[i].text, "rules updated: "
		    "ingress-1/tcp_options/destination_port_range/min = 1522, "
		    "ingress-1/tcp_options/destination_port_range/max = 1522")
		    == 0;
	CU_ASSERT_TRUE(noted);
	scenario_free(sc);
	x = expand(t);
	CU_ASSERT_PTR_NOT_NULL(strstr(x, "  - gate: security_lists/db-vcn/"
	    "db-sl#1\n    name: ingress-1\n    direction: inbound\n"
	    "    protocol: tcp\n    source:\n    - 10.1.1.0/24\n"
	    "    destination_ports: 1522\n"));
	/* #0 opens with the list (created on the timeline), closes at 4205s */
	CU_ASSERT_PTR_NOT_NULL(strstr(x, "- name: security_lists/db-vcn/"
	    "db-sl#1\n  open: false\n  changes:\n  - at: 4205s\n"
	    "    open: true\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(x, "  - at: 4205s\n    open: false\n"
	    "  what: security list db-vcn/db-sl as it is from time zero\n"));
	/* ingress-2, untouched, is written once under the list's gate */
	CU_ASSERT_PTR_NOT_NULL(strstr(x, "  - gate: security_lists/db-vcn/"
	    "db-sl\n    name: ingress-2\n"));
	free(x);
	run_passes(t, &out);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS: at 4206s: acl db-vcn.db-sl "
	    "on path app-vm -> db-vm: deny by no rule"));
	free(out);
	free(t);
}

#define OCI_UPD(res, key, val) "  - { at: 70m, update: " res ", set: { " \
	key ": \"" val "\" } }\n"

static void
test_oci_refusals(void)
{
	static const struct {
		const char *item, *why;
	} cases[] = {
		{ OCI_UPD("security_lists/db-vcn/db-sl", "source", "1.0.0.0/8"),
		    "400-InvalidParameter: SecurityList 'db-vcn/db-sl': "
		    "'source' does not name a rule's field" },
		{ OCI_UPD("security_lists/db-vcn/db-sl", "ingress-9/source",
		    "10.0.0.0/8"), "SecurityList 'db-vcn/db-sl' has no rule "
		    "ingress-9" },
		{ OCI_UPD("security_lists/db-vcn/db-sl", "egress-2/protocol",
		    "6"), "has no rule egress-2" },
		{ OCI_UPD("security_lists/db-vcn/db-sl", "ingress-1/bogus",
		    "1"), "rule ingress-1: bogus '1' is not a field of a "
		    "security rule" },
		{ OCI_UPD("security_lists/db-vcn/db-sl", "ingress-1/source",
		    "10.1.1.1/24"), "source '10.1.1.1/24' is not a value it "
		    "takes" },
		{ OCI_UPD("security_lists/db-vcn/db-sl", "egress-1/source",
		    "10.1.1.0/24"), "egress-1: source '10.1.1.0/24' is not a "
		    "field" },
		{ OCI_UPD("security_lists/db-vcn/db-sl", "ingress-1/"
		    "tcp_options/destination_port_range/min", "2000"),
		    "destination_port_range needs a min and a max, min <= "
		    "max" },
		{ OCI_UPD("security_lists/db-vcn/db-sl", "ingress-2/protocol",
		    "x"), "protocol 'x' is not a value it takes" },
		{ OCI_UPD("security_lists/db-vcn/db-sl", "ingress-1/"
		    "icmp_options/type", "3"), "rule ingress-1: icmp_options "
		    "need protocol \"1\" (the rule's is \"6\")" },
		{ OCI_UPD("security_lists/db-vcn/db-sl", "ingress-1/"
		    "udp_options/destination_port_range/min", "53"),
		    "rule ingress-1: udp_options need protocol \"17\"" },
		{ OCI_UPD("security_lists/db-vcn/db-sl", "ingress-2/direction",
		    "EGRESS"), "updating a rule's direction is not modelled" },
	};
	size_t i;
	char *t;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		t = variant(cases[i].item, "", NULL);
		refused(t, "security_lists/db-vcn/db-sl", cases[i].why);
		free(t);
	}
}

/*
 * An NSG's rule: named ingress-K among the NSG's INGRESS rules; a new
 * protocol drops the old one's options.
 */
static void
test_oci_nsg(void)
{
	static const char nsg[] =
	    "      network_security_groups:\n"
	    "        - name: db-nsg\n"
	    "          security_rules:\n"
	    "            - { direction: EGRESS, destination: 0.0.0.0/0, "
	    "protocol: all }\n"
	    "            - { direction: INGRESS, source: 10.1.1.0/24, "
	    "protocol: \"6\", tcp_options: { destination_port_range: "
	    "{ min: 1521, max: 1521 } } }\n"
	    "  instances:\n";
	char *t = variant("  - { at: 70m, duration: 4s, update: "
	    "network_security_groups/db-vcn/db-nsg, set: { "
	    "ingress-1/protocol: \"17\" } }\n", "", nsg), *x;
	struct scenario *sc = load_ok(t);
	const struct prov_opr *o = op_named(prov_plan_of(sc), PROV_UPDATE,
	    "network_security_groups/db-vcn/db-nsg", 0);

	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	CU_ASSERT_FALSE(o->refused);
	CU_ASSERT_EQUAL(o->end, SIM_S(4204));
	scenario_free(sc);
	x = expand(t);
	CU_ASSERT_PTR_NOT_NULL(strstr(x, "  - gate: network_security_groups/"
	    "db-vcn/db-nsg#0\n    name: ingress-1\n    direction: inbound\n"
	    "    protocol: tcp\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(x, "  - gate: network_security_groups/"
	    "db-vcn/db-nsg#1\n    name: ingress-1\n    direction: inbound\n"
	    "    protocol: udp\n    source:\n    - 10.1.1.0/24\n"));
	/* the egress rule, untouched: once */
	CU_ASSERT_PTR_NULL(strstr(x, "db-nsg#0\n    name: egress-1\n"));
	free(x);
	free(t);
	t = variant("  - { at: 70m, update: network_security_groups/db-vcn/"
	    "db-nsg, set: { ingress-2/protocol: \"17\" } }\n", "", nsg);
	refused(t, "network_security_groups/db-vcn/db-nsg", "has no rule "
	    "ingress-2");
	free(t);
}

static const struct test_case cases[] = {
	{ "azure: the update's plan (lab 02b)", test_azure_plan },
	{ "azure: one acl rule per version, cut at the completion",
	    test_azure_versions },
	{ "azure: the updated rule cuts the database traffic",
	    test_azure_cuts },
	{ "azure: refusals", test_azure_refusals },
	{ "azure: two updates, three versions", test_azure_two_updates },
	{ "oci: a security list's rule changed cuts the traffic",
	    test_oci_list_cuts },
	{ "oci: refusals", test_oci_refusals },
	{ "oci: an NSG's rule", test_oci_nsg },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	scenario_models_init();
	return test_main(argc, argv, "rule_update", cases);
}
