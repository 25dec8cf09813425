/*
 * azure_prov_rule.c - the update of an NSG security rule on the timeline
 * (ARM PUT of the rule: provisioningState Updating -> Succeeded, seconds;
 * 2.6, B4): which fields it may set, what Azure refuses, and the rule's
 * versions the expansion makes of the accepted updates. The data plane
 * switches at the update's completion: the expansion writes the rule once
 * per version, each under a gate open while the rule carries and that
 * version holds (provision.h, prov_gate_window). docs/azure.md, "Rule
 * updates".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "azure_prov_int.h"

/* A rule's update, like its create, takes seconds: our choice. */
#define RULE_UPDATE_LO AZ_S(2)
#define RULE_UPDATE_HI AZ_S(8)

/* The fields an update may set, by their YAML key, and ARM's names. */
static const struct {
	const char *key, *arm;
} rule_keys[] = {
	{ "priority", "priority" },
	{ "access", "access" },
	{ "direction", "direction" },
	{ "protocol", "protocol" },
	{ "source_address_prefix", "sourceAddressPrefix" },
	{ "destination_address_prefix", "destinationAddressPrefix" },
	{ "source_port_range", "sourcePortRange" },
	{ "destination_port_range", "destinationPortRange" },
	{ "description", "description" },
};
#define N_RULE_KEYS (sizeof(rule_keys) / sizeof(rule_keys[0]))

static const char *const dirs[] = { "Inbound", "Outbound", NULL };
static const char *const accesses[] = { "Allow", "Deny", NULL };
static const char *const protos[] = { "Tcp", "Udp", "Icmp", "*", NULL };

/* 1 + the index of v in names (as the file's enum fields), or 0. */
static int
enum_of(const char *const *names, const char *v)
{
	int i;

	for (i = 0; names[i] != NULL; i++)
		if (strcmp(names[i], v) == 0)
			return i + 1;
	return 0;
}

static int
key_index(const char *key)
{
	size_t i;

	for (i = 0; i < N_RULE_KEYS; i++)
		if (strcmp(rule_keys[i].key, key) == 0)
			return (int)i;
	return -1;
}

/* One field set on a rule; false when the value is not one it takes. */
static bool
rule_set(struct az_rule *r, const char *key, const char *v)
{
	unsigned long u;
	char *end;

	switch (key_index(key)) {
	case 0:
		u = strtoul(v, &end, 10);
		if (*v < '0' || *v > '9' || *end != '\0' || u > 65535)
			return false;
		r->priority = (uint32_t)u;
		return true;
	case 1:
		return (r->access = enum_of(accesses, v)) != 0;
	case 2:
		return (r->direction = enum_of(dirs, v)) != 0;
	case 3:
		return (r->protocol = enum_of(protos, v)) != 0;
	/* a singular form replaces the plural one, as in ARM */
	case 4:
		r->src = (char *)(uintptr_t)v;
		r->n_srcs = 0;
		return true;
	case 5:
		r->dst = (char *)(uintptr_t)v;
		r->n_dsts = 0;
		return true;
	case 6:
		r->sport = (char *)(uintptr_t)v;
		r->n_sports = 0;
		return true;
	case 7:
		r->dport = (char *)(uintptr_t)v;
		r->n_dports = 0;
		return true;
	case 8:
		r->description = (char *)(uintptr_t)v;
		return true;
	default:
		return false;
	}
}

/* "*", a service tag, an address or a network prefix. */
static bool
addr_ok(const char *s)
{
	const char *const *t;
	uint32_t net;
	uint8_t plen;
	char buf[40];

	if (strcmp(s, "*") == 0)
		return true;
	for (t = az_service_tags; *t != NULL; t++)
		if (strcmp(*t, s) == 0)
			return true;
	if (strchr(s, '/') != NULL)
		return az_prefix_parse(s, &net, &plen) == 0;
	snprintf(buf, sizeof(buf), "%s/32", s);
	return strlen(s) < 20 && az_prefix_parse(buf, &net, &plen) == 0;
}

static bool
ports_set(const char *one, char *const *many, size_t n)
{
	return (n == 0 && one != NULL && strcmp(one, "*") != 0) ||
	    (n > 0 && many[0] != NULL && strcmp(many[0], "*") != 0);
}

static struct az_pm *
rule_pm(const struct azure *az, size_t gi, size_t ri)
{
	size_t k;

	for (k = 0; k < az->n_pm; k++)
		if (az->pm[k].az == az && az->pm[k].kind == K_RULE &&
		    az->pm[k].i == gi && az->pm[k].j == ri)
			return &az->pm[k];
	return NULL;
}

size_t
az_rule_versions(const struct azure *az, size_t gi, size_t ri)
{
	const struct az_pm *m = rule_pm(az, gi, ri);

	return m != NULL && m->n_upds > 0 ? m->n_upds + 1 : 0;
}

void
az_rule_version(const struct azure *az, size_t gi, size_t ri, size_t k,
    struct az_rule *out, sim_time *from, sim_time *to)
{
	const struct az_pm *m = rule_pm(az, gi, ri);
	size_t i, j, n = m != NULL ? m->n_upds : 0;

	*out = az->nsgs[gi].rules[ri];
	for (i = 0; i < k && i < n; i++)
		for (j = 0; j < m->upds[i].n_set; j++)
			(void)rule_set(out, m->upds[i].set[j].key,
			    m->upds[i].set[j].value);
	*from = k == 0 || k > n ? 0 : m->upds[k - 1].at;
	*to = k < n ? m->upds[k].at : -1;
}

/*
 * Another rule of the NSG, as it is at t, that has the same priority in
 * the same direction as r would: its name, or NULL.
 */
static const char *
priority_taken(const struct prov_plan *p, const struct az_pm *m,
    const struct az_rule *r, sim_time t)
{
	const struct az_nsg *g = &m->az->nsgs[m->i];
	struct az_rule o;
	sim_time from, to;
	size_t i, k, n;

	for (i = 0; i < g->n_rules; i++) {
		if (i == m->j || g->rules[i].res == NULL ||
		    !prov_exists(p, g->rules[i].res, t))
			continue;
		n = az_rule_versions(m->az, m->i, i);
		for (k = 0; k + 1 < n; k++) {
			az_rule_version(m->az, m->i, i, k + 1, &o, &from, &to);
			if (from > t)
				break;
		}
		az_rule_version(m->az, m->i, i, k, &o, &from, &to);
		if (o.priority == r->priority && o.direction == r->direction)
			return o.name;
	}
	return NULL;
}

static void
upd_add(struct az_pm *m, sim_time at, const struct prov_kv *set, size_t n)
{
	struct az_upd *u = realloc(m->upds, (m->n_upds + 1) * sizeof(*u));

	if (u == NULL)
		abort();
	m->upds = u;
	m->upds[m->n_upds].at = at;
	m->upds[m->n_upds].set = set;
	m->upds[m->n_upds].n_set = n;
	m->n_upds++;
}

/*
 * What Azure refuses in an update (our wording; the facts give no code):
 * a field that is not one of the rule's, a value it does not take, a
 * priority outside 100-4096 or taken in its direction (2.6), a port
 * range with a protocol that has none.
 */
static bool
rule_refused(struct prov_ctx *c, const struct az_pm *m,
    const struct az_rule *now, const struct prov_kv *set, size_t n_set)
{
	const struct prov_plan *p = prov_ctx_plan(c);
	const char *name = m->az->nsgs[m->i].rules[m->j].name;
	const char *o, *g = m->az->nsgs[m->i].name;
	struct az_rule r = *now;
	uint16_t lo, hi;
	size_t k;
	int ki;

	for (k = 0; k < n_set; k++) {
		const char *key = set[k].key, *v = set[k].value;

		if ((ki = key_index(key)) < 0) {
			prov_refuse(c, NULL, "security rule '%s' of NSG '%s': "
			    "updating '%s' is not modelled (priority, access, "
			    "direction, protocol, source_address_prefix, "
			    "destination_address_prefix, source_port_range, "
			    "destination_port_range, description)", name, g,
			    key);
			return true;
		}
		if (!rule_set(&r, key, v) ||
		    ((ki == 4 || ki == 5) && !addr_ok(v)) ||
		    ((ki == 6 || ki == 7) && !az_port_range(v, &lo, &hi))) {
			prov_refuse(c, NULL, "security rule '%s' of NSG '%s': "
			    "%s '%s' is not a value it takes", name, g, key,
			    v);
			return true;
		}
	}
	if (r.priority < AZ_NSG_PRIO_MIN || r.priority > AZ_NSG_PRIO_MAX) {
		prov_refuse(c, NULL, "security rule '%s' of NSG '%s': priority "
		    "%u is outside %u-%u (2.6)", name, g, r.priority,
		    AZ_NSG_PRIO_MIN, AZ_NSG_PRIO_MAX);
		return true;
	}
	if ((o = priority_taken(p, m, &r, prov_now(c))) != NULL) {
		prov_refuse(c, NULL, "security rule '%s' of NSG '%s': priority "
		    "%u is taken by rule '%s' in direction %s (2.6)", name, g,
		    r.priority, o, dirs[r.direction - 1]);
		return true;
	}
	/*
	 * Worded as the load-time check (azure_check.c): Azure takes ports
	 * with protocol *; the acl rule an NSG rule becomes cannot (one
	 * rule would be needed per protocol), so that refusal is xcsim's.
	 */
	if (r.protocol == AZ_ANY && (ports_set(r.sport, r.sports,
	    r.n_sports) || ports_set(r.dport, r.dports, r.n_dports))) {
		prov_refuse(c, NULL, "security rule '%s' of NSG '%s': a port "
		    "range needs protocol Tcp or Udp here (xcsim's limit, not "
		    "Azure's: write a rule for each)", name, g);
		return true;
	}
	if (r.protocol == AZ_ICMP && (ports_set(r.sport, r.sports,
	    r.n_sports) || ports_set(r.dport, r.dports, r.n_dports))) {
		prov_refuse(c, NULL, "security rule '%s' of NSG '%s': a port "
		    "range needs protocol Tcp or Udp; Icmp has no ports (give "
		    "\"*\")", name, g);
		return true;
	}
	return false;
}

sim_time
az_rule_update(struct prov_ctx *c, struct prov_res *r,
    const struct prov_kv *set, size_t n_set)
{
	const struct prov_plan *p = prov_ctx_plan(c);
	struct az_pm *m = az_pm_of(r);
	sim_time now = prov_now(c), d, from, to;
	struct az_rule cur;
	size_t k;

	if (!az_ready(p, r, now)) {
		az_refuse_missing(c, r, r);
		return now;
	}
	az_rule_version(m->az, m->i, m->j, m->n_upds, &cur, &from, &to);
	if (rule_refused(c, m, &cur, set, n_set))
		return now;
	d = prov_draw(c, RULE_UPDATE_LO, RULE_UPDATE_HI);
	prov_set(c, r, now, PS, "Updating");
	prov_set(c, r, now + d, PS, "Succeeded");
	/* the fields it set, under ARM's names, from the completion on */
	for (k = 0; k < n_set; k++)
		prov_set(c, r, now + d, rule_keys[key_index(set[k].key)].arm,
		    set[k].value);
	upd_add(m, now + d, set, n_set);
	return now + d;
}
