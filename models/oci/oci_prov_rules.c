/*
 * oci_prov_rules.c - the update of an OCI security list's or NSG's rules
 * on the timeline (UpdateSecurityList, UpdateNetworkSecurityGroup-
 * SecurityRules; 2.6): which rule fields it may set, what OCI refuses,
 * and the versions of the list the expansion makes of the accepted
 * updates. The data plane switches at the update's completion: the
 * expansion writes each updated rule once per version of its list, each
 * under a gate open while the list carries and that version holds
 * (provision.h, prov_gate_window). docs/oci.md, "Rule updates".
 *
 * A security list's rules have no identity of their own in OCI's API (an
 * update replaces the list's rules), and the file gives them no name: a
 * rule is named as the acl it expands into names it, and as the verdicts
 * print it: `ingress-K` / `egress-K`, the K-th rule of that direction in
 * the file (from 1). NSG rules likewise (OCI gives them ids the file does
 * not carry). The `set` keys are RULE/FIELD, FIELD as in the file:
 *
 *   - { at: 70m, update: security_lists/db-vcn/db-sl,
 *       set: { ingress-1/tcp_options/destination_port_range/min: 1522,
 *              ingress-1/tcp_options/destination_port_range/max: 1522 } }
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oci_prov.h"
#include "wire.h"

/* An update of the rules takes seconds, as a create: our choice. */
#define RULES_UPDATE_LO SIM_S(2)
#define RULES_UPDATE_HI SIM_S(10)

/* The list's (nsg false) or NSG's rules, by its name VCN/NAME. */
static bool
rules_of(const struct oci_sc *o, bool nsg, const char *name,
    struct oci_rule **v, size_t *n_in, size_t *n_eg, size_t *n)
{
	char vb[NAME2];
	const char *ln = oci_prov_split(name, vb, sizeof(vb));
	const struct oci_vcn *vcn = oci_prov_vcn(o, vb);
	size_t i;

	if (vcn == NULL)
		return false;
	for (i = 0; !nsg && i < vcn->n_sls; i++)
		if (vcn->sls[i].name != NULL &&
		    strcmp(vcn->sls[i].name, ln) == 0) {
			v[0] = vcn->sls[i].ingress;
			v[1] = vcn->sls[i].egress;
			*n_in = vcn->sls[i].n_ingress;
			*n_eg = vcn->sls[i].n_egress;
			*n = 0;
			return true;
		}
	for (i = 0; nsg && i < vcn->n_nsgs; i++)
		if (vcn->nsgs[i].name != NULL &&
		    strcmp(vcn->nsgs[i].name, ln) == 0) {
			v[0] = vcn->nsgs[i].rules;
			v[1] = NULL;
			*n = vcn->nsgs[i].n_rules;
			*n_in = *n_eg = 0;
			return true;
		}
	return false;
}

/*
 * The rule `ingress-K` / `egress-K` of the list or NSG (KEY/NAME): its
 * record, or NULL.
 */
const struct oci_rule *
oci_rules_find(const struct oci_sc *o, const char *key, const char *name,
    int dir, size_t k)
{
	bool nsg = strcmp(key, "network_security_groups") == 0;
	struct oci_rule *v[2] = { NULL, NULL };
	size_t n_in = 0, n_eg = 0, n = 0, i, seen = 0;

	if (k == 0 || !rules_of(o, nsg, name, v, &n_in, &n_eg, &n))
		return NULL;
	if (!nsg)
		return dir == OCI_INGRESS ? (k <= n_in ? &v[0][k - 1] : NULL) :
		    (k <= n_eg ? &v[1][k - 1] : NULL);
	for (i = 0; i < n; i++)
		if (v[0][i].direction == dir && ++seen == k)
			return &v[0][i];
	return NULL;
}

/* "ingress-3/FIELD" -> dir, 3, "FIELD"; NULL if not that form. */
static const char *
rule_key(const char *key, int *dir, size_t *k)
{
	const char *p;
	char *end;
	unsigned long u;

	if (strncmp(key, "ingress-", 8) == 0) {
		*dir = OCI_INGRESS;
		p = key + 8;
	} else if (strncmp(key, "egress-", 7) == 0) {
		*dir = OCI_EGRESS;
		p = key + 7;
	} else {
		return NULL;
	}
	if (*p < '1' || *p > '9')
		return NULL;
	u = strtoul(p, &end, 10);
	if (*end != '/' || u > 100000)
		return NULL;
	*k = u;
	return end + 1;
}

static void
key_ok(uint64_t *keys, size_t i)
{
	keys[2 * i / 64] &= ~(3ull << (2 * i % 64));
	keys[2 * i / 64] |= 1ull << (2 * i % 64);
}

static bool
parse_u32(const char *v, uint32_t max, uint32_t *out)
{
	unsigned long u;
	char *end;

	if (*v < '0' || *v > '9')
		return false;
	u = strtoul(v, &end, 10);
	if (*end != '\0' || u > max)
		return false;
	*out = (uint32_t)u;
	return true;
}


/* "tcp_options/destination_port_range/min" on r; false: not a field. */
static bool
set_port(struct oci_rule *r, const char *f, const char *v, bool *bad)
{
	struct oci_port_opts *po;
	struct oci_port_range *pr;
	uint32_t x;

	if (strncmp(f, "tcp_options/", 12) == 0)
		po = &r->tcp;
	else if (strncmp(f, "udp_options/", 12) == 0)
		po = &r->udp;
	else
		return false;
	f += 12;
	if (strncmp(f, "source_port_range/", 18) == 0) {
		pr = &po->src;
		key_ok(po->keys, PO_SRC);
		f += 18;
	} else if (strncmp(f, "destination_port_range/", 23) == 0) {
		pr = &po->dst;
		key_ok(po->keys, PO_DST);
		f += 23;
	} else {
		return false;
	}
	if (strcmp(f, "min") != 0 && strcmp(f, "max") != 0)
		return false;
	if (!parse_u32(v, 65535, &x) || x == 0) {
		*bad = true;
		return true;
	}
	if (strcmp(f, "min") == 0) {
		pr->min = x;
		key_ok(pr->keys, PR_MIN);
	} else {
		pr->max = x;
		key_ok(pr->keys, PR_MAX);
	}
	return true;
}

/*
 * One field set on rule r (a copy): 1 done, 0 not a field of a rule, -1
 * a value it does not take. A new protocol drops the options of another
 * (OCI takes the options of the rule's protocol only).
 */
static int
rule_set(struct oci_rule *r, const char *f, const char *v)
{
	bool bad = false;
	uint32_t x;

	if (strcmp(f, r->direction == OCI_INGRESS ? "source" :
	    "destination") == 0) {
		if (wire_prefix_parse(v, false, &r->net, &r->plen) != 0)
			return -1;
		if (r->direction == OCI_INGRESS)
			r->source = (char *)(uintptr_t)v;
		else
			r->destination = (char *)(uintptr_t)v;
		return 1;
	}
	if (strcmp(f, "protocol") == 0) {
		if (strcmp(v, "all") == 0)
			r->proto = -1;
		else if (parse_u32(v, 255, &x))
			r->proto = (int)x;
		else
			return -1;
		r->protocol = (char *)(uintptr_t)v;
		if (r->proto != 6)
			memset(&r->tcp, 0, sizeof(r->tcp));
		if (r->proto != 17)
			memset(&r->udp, 0, sizeof(r->udp));
		if (r->proto != 1)
			memset(&r->icmp, 0, sizeof(r->icmp));
		return 1;
	}
	if (strcmp(f, "is_stateless") == 0) {
		if (strcmp(v, "true") != 0 && strcmp(v, "false") != 0)
			return -1;
		r->stateless = strcmp(v, "true") == 0;
		return 1;
	}
	if (strcmp(f, "description") == 0) {
		r->description = (char *)(uintptr_t)v;
		return 1;
	}
	if (strcmp(f, "icmp_options/type") == 0 ||
	    strcmp(f, "icmp_options/code") == 0) {
		if (!parse_u32(v, 255, &x))
			return -1;
		if (f[13] == 't') {
			r->icmp.type = x;
			key_ok(r->icmp.keys, IO_TYPE);
		} else {
			r->icmp.code = x;
			key_ok(r->icmp.keys, IO_CODE);
		}
		return 1;
	}
	if (set_port(r, f, v, &bad))
		return bad ? -1 : 1;
	return 0;
}

/* A range given by one end only, or backwards: its name, or NULL. */
static const char *
range_bad(const struct oci_rule *r)
{
	static const char *const names[] = { "source_port_range",
		"destination_port_range" };
	const struct oci_port_range *pr;
	int p, s;

	for (p = 0; p < 2; p++)
		for (s = 0; s < 2; s++) {
			pr = s == 0 ? (p == 0 ? &r->tcp.src : &r->udp.src) :
			    (p == 0 ? &r->tcp.dst : &r->udp.dst);
			if (sc_key_ok(pr->keys, PR_MIN) !=
			    sc_key_ok(pr->keys, PR_MAX) ||
			    (sc_key_ok(pr->keys, PR_MIN) && pr->min > pr->max))
				return names[s];
		}
	return NULL;
}

/*
 * The options field f sets when they are not of r's protocol (OCI takes
 * the options of the rule's protocol only, as the file's check says):
 * "tcp_options", "udp_options" or "icmp_options"; NULL when they fit.
 */
static const char *
opts_mismatch(const struct oci_rule *r, const char *f)
{
	if (strncmp(f, "tcp_options/", 12) == 0 && r->proto != 6)
		return "tcp_options";
	if (strncmp(f, "udp_options/", 12) == 0 && r->proto != 17)
		return "udp_options";
	if (strncmp(f, "icmp_options/", 13) == 0 && r->proto != 1)
		return "icmp_options";
	return NULL;
}

/* --- the accepted updates, kept for the expansion ------------------ */

static void
upd_add(struct oci_sc *o, const char *key, const char *name, sim_time at,
    const struct prov_kv *set, size_t n)
{
	struct oci_upd *u = realloc(o->upds, (o->n_upds + 1) * sizeof(*u));

	if (u == NULL)
		abort();
	o->upds = u;
	u = &o->upds[o->n_upds++];
	u->key = key;
	snprintf(u->name, sizeof(u->name), "%s", name);
	u->at = at;
	u->set = set;
	u->n_set = n;
}

void
oci_rules_reset(struct oci_sc *o)
{
	free(o->upds);
	o->upds = NULL;
	o->n_upds = 0;
}

static bool
upd_of(const struct oci_upd *u, const char *key, const char *name)
{
	return strcmp(u->key, key) == 0 && strcmp(u->name, name) == 0;
}

size_t
oci_rules_versions(const struct oci_sc *o, const char *key,
    const char *name)
{
	size_t i, n = 0;

	for (i = 0; i < o->n_upds; i++)
		n += upd_of(&o->upds[i], key, name);
	return n > 0 ? n + 1 : 0;
}

bool
oci_rules_touched(const struct oci_sc *o, const char *key, const char *name,
    int dir, size_t k)
{
	size_t i, j, rk;
	int rd;

	for (i = 0; i < o->n_upds; i++)
		for (j = 0; upd_of(&o->upds[i], key, name) &&
		    j < o->upds[i].n_set; j++)
			if (rule_key(o->upds[i].set[j].key, &rd, &rk) != NULL &&
			    rd == dir && rk == k)
				return true;
	return false;
}

void
oci_rules_version(const struct oci_sc *o, const char *key, const char *name,
    int dir, size_t k, size_t ver, struct oci_rule *out, sim_time *from,
    sim_time *to)
{
	const struct oci_rule *r = oci_rules_find(o, key, name, dir, k);
	size_t i, j, rk, seen = 0;
	const char *f;
	int rd;

	*from = 0;
	*to = -1;
	if (r == NULL)
		return;
	*out = *r;
	for (i = 0; i < o->n_upds; i++) {
		const struct oci_upd *u = &o->upds[i];

		if (!upd_of(u, key, name))
			continue;
		if (seen == ver) {
			*to = u->at;
			break;
		}
		for (j = 0; j < u->n_set; j++)
			if ((f = rule_key(u->set[j].key, &rd, &rk)) != NULL &&
			    rd == dir && rk == k)
				(void)rule_set(out, f, u->set[j].value);
		*from = u->at;
		seen++;
	}
}

/* --- the update's apply --------------------------------------------- */

/*
 * What OCI refuses (400-InvalidParameter; the wording is ours): a key
 * that is not RULE/FIELD, a rule the list does not have, a field a rule
 * does not have, a value it does not take, a port range with one end or
 * backwards, options of another protocol than the rule's. true: refused.
 */
static bool
update_refused(struct prov_ctx *c, const struct oci_sc *o, const char *key,
    const char *what, const char *name, const struct prov_kv *set,
    size_t n_set)
{
	struct oci_rule r;
	const char *f, *bad;
	sim_time from, to;
	size_t i, j, k, k2;
	int dir, d2, rc;

	for (i = 0; i < n_set; i++) {
		if ((f = rule_key(set[i].key, &dir, &k)) == NULL) {
			prov_refuse(c, E400, "%s '%s': '%s' does not name a "
			    "rule's field (ingress-K/FIELD or egress-K/FIELD, "
			    "K from 1 in the file's order)", what, name,
			    set[i].key);
			return true;
		}
		if (oci_rules_find(o, key, name, dir, k) == NULL) {
			prov_refuse(c, E400, "%s '%s' has no rule %s-%zu", what,
			    name, dir == OCI_INGRESS ? "ingress" : "egress",
			    k);
			return true;
		}
	}
	/* each rule the update names, as it will be */
	for (i = 0; i < n_set; i++) {
		(void)rule_key(set[i].key, &dir, &k);
		oci_rules_version(o, key, name, dir, k, SIZE_MAX, &r, &from,
		    &to);
		for (j = 0; j < n_set; j++) {
			if ((f = rule_key(set[j].key, &d2, &k2)) == NULL ||
			    d2 != dir || k2 != k)
				continue;
			if (strcmp(f, "direction") == 0) {
				prov_refuse(c, E400, "%s '%s', rule %s-%zu: "
				    "updating a rule's direction is not "
				    "modelled (the direction names the rule: "
				    "add a rule of the other direction)", what,
				    name, dir == OCI_INGRESS ? "ingress" :
				    "egress", k);
				return true;
			}
			if ((rc = rule_set(&r, f, set[j].value)) <= 0) {
				prov_refuse(c, E400, "%s '%s', rule %s-%zu: %s "
				    "'%s' is %s", what, name, dir ==
				    OCI_INGRESS ? "ingress" : "egress", k, f,
				    set[j].value, rc == 0 ? "not a field of a "
				    "security rule" : "not a value it takes");
				return true;
			}
		}
		/* after every field: the protocol may come after the option */
		for (j = 0; j < n_set; j++) {
			if ((f = rule_key(set[j].key, &d2, &k2)) == NULL ||
			    d2 != dir || k2 != k ||
			    (bad = opts_mismatch(&r, f)) == NULL)
				continue;
			prov_refuse(c, E400, "%s '%s', rule %s-%zu: %s need "
			    "protocol \"%s\" (the rule's is \"%s\")", what,
			    name, dir == OCI_INGRESS ? "ingress" : "egress", k,
			    bad, bad[0] == 't' ? "6" : bad[0] == 'u' ? "17" :
			    "1", r.protocol != NULL ? r.protocol : "all");
			return true;
		}
		if ((bad = range_bad(&r)) != NULL) {
			prov_refuse(c, E400, "%s '%s', rule %s-%zu: %s needs a "
			    "min and a max, min <= max", what, name, dir ==
			    OCI_INGRESS ? "ingress" : "egress", k, bad);
			return true;
		}
	}
	return false;
}

/* One note at the completion: "rules updated: K = V, K = V". */
static void
note_update(struct prov_ctx *c, struct prov_res *r, sim_time at,
    const struct prov_kv *set, size_t n_set)
{
	char *buf = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&buf, &len);

	if (f == NULL)
		abort();
	for (i = 0; i < n_set; i++)
		fprintf(f, "%s%s = %s", i > 0 ? ", " : "", set[i].key,
		    set[i].value);
	fclose(f);
	prov_note(c, r, at, "rules updated: %s", buf);
	free(buf);
}

sim_time
oci_prov_rules_update(struct prov_ctx *c, struct prov_res *r,
    const struct prov_kv *set, size_t n_set)
{
	const struct prov_plan *p = prov_ctx_plan(c);
	struct oci_sc *o = prov_model(r);
	const char *key = prov_res_type(r)->key, *name = prov_res_name(r);
	const char *what = prov_res_type(r)->type;
	sim_time now = prov_now(c), d;
	size_t i;

	if (!prov_exists(p, r, now)) {
		prov_refuse(c, E404, "%s '%s' does not exist", what, name);
		return now;
	}
	for (i = 0; i < o->n_upds; i++)
		if (upd_of(&o->upds[i], key, name) && o->upds[i].at > now) {
			prov_refuse(c, E409, "%s '%s': an update of its rules "
			    "is in progress until it completes", what, name);
			return now;
		}
	if (update_refused(c, o, key, what, name, set, n_set))
		return now;
	d = prov_draw(c, RULES_UPDATE_LO, RULES_UPDATE_HI);
	/* the lifecycleState stays AVAILABLE: an update is no lifecycle */
	note_update(c, r, now + d, set, n_set);
	upd_add(o, key, name, now + d, set, n_set);
	return now + d;
}
