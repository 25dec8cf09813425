/*
 * oci_check.c - the rules OCI enforces on the `oci` section's resources,
 * each refused with the place in the file and, for names, a did-you-mean
 * (docs/oci.md lists them with their facts): VCN CIDRs /16../30 and
 * network addresses (2.5, B6), subnets inside their VCN and disjoint,
 * VNICs in known subnets with addresses outside the 3 reserved ones (2.5),
 * at most 5 security lists per subnet and 5 NSGs per VNIC (2.6), a VCN on
 * at most one DRG (2.7); the virtual circuits' are oci_check_vc.c's.
 *
 * What it resolves (indices, addresses allocated to VNICs) is kept in the
 * structs for the expansion, which runs only when the file has no error.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oci_azure.h"
#include "oci_int.h"
#include "oci_ipsec.h"
#include "provision.h"
#include "sim.h"
#include "wire.h"

#define OCI_SP_SUBNET "subnet (VCN/SUBNET)"
#define MAX_LISTS 5	/* security lists per subnet, NSGs per VNIC (2.6) */

static uint32_t
mask(unsigned plen)
{
	return plen == 0 ? 0 : UINT32_MAX << (32 - plen);
}

static const char *
ipstr(char *buf, size_t len, uint32_t a)
{
	snprintf(buf, len, "%u.%u.%u.%u", a >> 24, a >> 16 & 255, a >> 8 & 255,
	    a & 255);
	return buf;
}

/* A CIDR that must be a network address; error at loc if not. */
static bool
check_cidr(struct sc_check *ck, const char *what, const char *s,
    struct sc_loc loc, uint32_t *net, uint8_t *plen)
{
	char a[16];

	if (wire_prefix_parse(s, true, net, plen) != 0) {
		sc_check_error(ck, loc, "%s '%s' is not a CIDR block "
		    "(a.b.c.d/len)", what, sc_check_quote(ck, s));
		return false;
	}
	if ((*net & ~mask(*plen)) != 0) {
		sc_check_error(ck, loc, "%s '%s' is not a network address "
		    "(did you mean %s/%u?)", what, sc_check_quote(ck, s),
		    ipstr(a, sizeof(a), *net & mask(*plen)), *plen);
		return false;
	}
	return true;
}

static bool
overlap(uint32_t a, uint8_t al, uint32_t b, uint8_t bl)
{
	uint8_t l = al < bl ? al : bl;

	return ((a ^ b) & mask(l)) == 0;
}

static bool
inside(uint32_t a, uint8_t al, uint32_t outer, uint8_t ol)
{
	return al >= ol && ((a ^ outer) & mask(ol)) == 0;
}

bool
oci_reserved(uint32_t net, uint8_t plen, uint32_t addr)
{
	uint32_t last = net | ~mask(plen);

	return addr == net || addr == net + 1 || addr == last;
}

size_t
oci_default_table(int att_type)
{
	return att_type == OCI_ATT_VCN ? 0 : 1;
}

const char *
oci_table_name(const struct oci_drg *g, size_t k)
{
	if (k == 0)
		return OCI_DRG_RT_VCN;
	if (k == 1)
		return OCI_DRG_RT_OTHER;
	return g->tables[k - OCI_DRG_AUTO].name;
}

static bool
statement_matches(const struct oci_drg *g, const struct oci_statement *st,
    int type, size_t a)
{
	switch (st->match.match_type) {
	case OCI_MATCH_ALL:
		return true;
	case OCI_MATCH_TYPE:
		return st->match.att_type == type;
	case OCI_MATCH_ID:
		return a < g->n_atts && st->att == a;
	default:
		return false;
	}
}

bool
oci_table_imports(const struct oci_drg *g, size_t table, int type, size_t a)
{
	const struct oci_distribution *d;
	size_t i;

	/* 2.7: the VCN table imports from every attachment, the other from
	 * VCN attachments only */
	if (table == 0)
		return true;
	if (table == 1)
		return type == OCI_ATT_VCN;
	if (g->tables[table - OCI_DRG_AUTO].dist == 0)
		return false;
	d = &g->dists[g->tables[table - OCI_DRG_AUTO].dist - 1];
	for (i = 0; i < d->n_statements; i++)
		if (statement_matches(g, &d->statements[i], type, a))
			return true;
	return false;
}

bool
oci_find_subnet(const struct oci_sc *o, const char *path, size_t *vcn,
    size_t *sn)
{
	const char *slash = strchr(path, '/');
	size_t i, j, l;

	if (slash == NULL)
		return false;
	l = (size_t)(slash - path);
	for (i = 0; i < o->n_vcns; i++) {
		const struct oci_vcn *v = &o->vcns[i];

		if (v->name == NULL || strlen(v->name) != l ||
		    strncmp(v->name, path, l) != 0)
			continue;
		for (j = 0; j < v->n_subnets; j++)
			if (v->subnets[j].name != NULL &&
			    strcmp(v->subnets[j].name, slash + 1) == 0) {
				*vcn = i;
				*sn = j;
				return true;
			}
	}
	return false;
}

/* ---- security rules ---- */

static void
check_ports(struct sc_check *ck, const struct oci_port_opts *po)
{
	const struct oci_port_range *r[2] = { &po->src, &po->dst };
	size_t i;

	for (i = 0; i < 2; i++)
		if (sc_key_ok(r[i]->keys, PR_MIN) &&
		    sc_key_ok(r[i]->keys, PR_MAX) && r[i]->min > r[i]->max)
			sc_check_error(ck, r[i]->vloc[PR_MAX], "port range "
			    "%u..%u is empty (max below min)", r[i]->min,
			    r[i]->max);
}

/* A security list rule's vloc/keys into the NSG rule's layout. */
static void
list_layout(struct oci_rule *r, int dir)
{
	size_t i, to;

	for (i = 0; i < LR_F_MAX; i++) {
		to = i == LR_PEER ? (dir == OCI_INGRESS ? SR_SOURCE :
		    SR_DESTINATION) : SR_PROTOCOL + i - LR_PROTOCOL;
		r->vloc[to] = r->lvloc[i];
		r->keys[2 * to / 64] |= (r->lkeys[2 * i / 64] >>
		    (2 * i % 64) & 3) << (2 * to % 64);
	}
}

static void
check_rule(struct sc_check *ck, struct oci_rule *r, int dir)
{
	const char *peer, *key;
	struct sc_loc ploc;
	char *end;
	unsigned long p;

	if (dir == 0) {			/* an NSG rule: its own direction */
		if (!sc_key_ok(r->keys, SR_DIRECTION))
			return;
		dir = r->direction;
		key = dir == OCI_INGRESS ? "source" : "destination";
		if (dir == OCI_INGRESS && r->destination != NULL) {
			sc_check_error(ck, r->vloc[SR_DESTINATION], "an INGRESS "
			    "rule has a source, not a destination");
			return;
		}
		if (dir == OCI_EGRESS && r->source != NULL) {
			sc_check_error(ck, r->vloc[SR_SOURCE], "an EGRESS rule "
			    "has a destination, not a source");
			return;
		}
		if ((dir == OCI_INGRESS ? r->source : r->destination) ==
		    NULL) {
			sc_check_error(ck, r->loc, "%s rule is missing "
			    "required key '%s'", dir == OCI_INGRESS ?
			    "an INGRESS" : "an EGRESS", key);
			return;
		}
	} else {
		list_layout(r, dir);
	}
	r->direction = dir;
	peer = dir == OCI_INGRESS ? r->source : r->destination;
	ploc = r->vloc[dir == OCI_INGRESS ? SR_SOURCE : SR_DESTINATION];
	if (peer == NULL || r->protocol == NULL)
		return;
	if (!check_cidr(ck, dir == OCI_INGRESS ? "source" : "destination",
	    peer, ploc, &r->net, &r->plen))
		return;
	if (strcmp(r->protocol, "all") == 0) {
		r->proto = -1;
	} else {
		p = strtoul(r->protocol, &end, 10);
		if (r->protocol[0] < '0' || r->protocol[0] > '9' ||
		    *end != '\0' || p > 255) {
			sc_check_error(ck, r->vloc[SR_PROTOCOL], "protocol "
			    "'%s' is not \"all\" or a protocol number 0..255 "
			    "(\"6\" TCP, \"17\" UDP, \"1\" ICMP)",
			    sc_check_quote(ck, r->protocol));
			return;
		}
		r->proto = (int)p;
	}
	if (sc_key_given(r->keys, SR_TCP) && r->proto != 6) {
		sc_check_error(ck, r->vloc[SR_TCP], "tcp_options need protocol "
		    "\"6\"");
		return;
	}
	if (sc_key_given(r->keys, SR_UDP) && r->proto != 17) {
		sc_check_error(ck, r->vloc[SR_UDP], "udp_options need protocol "
		    "\"17\"");
		return;
	}
	if (sc_key_given(r->keys, SR_ICMP) && r->proto != 1) {
		sc_check_error(ck, r->vloc[SR_ICMP], "icmp_options need "
		    "protocol \"1\"");
		return;
	}
	check_ports(ck, &r->tcp);
	check_ports(ck, &r->udp);
	r->ok = true;
}

/* ---- VCNs ---- */

static void
check_vcn_cidrs(struct sc_check *ck, struct oci_vcn *v)
{
	size_t i, j;

	if (!sc_key_ok(v->keys, VC_CIDRS))
		return;
	if (v->n_cidrs == 0 || v->n_cidrs > OCI_CIDRS_MAX) {
		sc_check_error(ck, v->vloc[VC_CIDRS], "a VCN has 1 to %d CIDR "
		    "blocks (2.5), got %zu", OCI_CIDRS_MAX, v->n_cidrs);
		return;
	}
	for (i = 0; i < v->n_cidrs; i++) {
		uint32_t net;
		uint8_t plen;

		if (v->cidr_text[i] == NULL ||
		    !check_cidr(ck, "VCN CIDR block", v->cidr_text[i],
		    v->cidr_loc[i], &net, &plen))
			continue;
		if (plen < 16 || plen > 30) {
			sc_check_error(ck, v->cidr_loc[i], "VCN CIDR block "
			    "'%s' must be /16 to /30 (2.5, B6)",
			    sc_check_quote(ck, v->cidr_text[i]));
			continue;
		}
		for (j = 0; j < v->n_ok; j++)
			if (overlap(net, plen, v->cidr[j], v->cplen[j]))
				break;
		if (j < v->n_ok) {
			sc_check_error(ck, v->cidr_loc[i], "VCN CIDR block "
			    "'%s' overlaps another of the VCN's blocks (2.5)",
			    sc_check_quote(ck, v->cidr_text[i]));
			continue;
		}
		v->cidr[v->n_ok] = net;
		v->cplen[v->n_ok++] = plen;
	}
}

static void
check_subnets(struct sc_check *ck, struct oci_vcn *v)
{
	char sp_rt[SC_NAME_MAX + 16], sp_sl[SC_NAME_MAX + 16];
	char a[16];
	size_t i, j, k;

	snprintf(sp_rt, sizeof(sp_rt), "%s route table", v->name);
	snprintf(sp_sl, sizeof(sp_sl), "%s security list", v->name);
	for (i = 0; i < v->n_subnets; i++) {
		struct oci_subnet *s = &v->subnets[i];
		bool in = false;

		/* a broken VCN CIDR would make every subnet "outside" */
		if (s->name == NULL || !sc_key_ok(s->keys, SN_CIDR) ||
		    v->n_ok != v->n_cidrs)
			continue;
		if (s->plen > 30) {
			sc_check_error(ck, s->vloc[SN_CIDR], "subnet %s/%u is "
			    "too small: the smallest subnet is a /30, as OCI "
			    "keeps 3 addresses of each (2.5)",
			    ipstr(a, sizeof(a), s->cidr), s->plen);
			continue;
		}
		for (k = 0; k < v->n_ok; k++)
			if (inside(s->cidr, s->plen, v->cidr[k], v->cplen[k]))
				in = true;
		if (!in) {
			sc_check_error(ck, s->vloc[SN_CIDR], "subnet %s/%u is "
			    "outside the VCN's cidr_blocks (2.5)",
			    ipstr(a, sizeof(a), s->cidr), s->plen);
			continue;
		}
		for (j = 0; j < i; j++) {
			const struct oci_subnet *t = &v->subnets[j];

			if (t->ok && overlap(s->cidr, s->plen, t->cidr,
			    t->plen)) {
				sc_check_error(ck, s->vloc[SN_CIDR], "subnet "
				    "%s/%u overlaps subnet '%s' (%u:%u)",
				    ipstr(a, sizeof(a), s->cidr), s->plen,
				    t->name, t->loc.line, t->loc.col);
				break;
			}
		}
		if (j < i)
			continue;
		s->ok = true;
		if (s->route_table != NULL) {
			if (sc_names_lookup(ck, sp_rt, s->route_table,
			    s->vloc[SN_ROUTE_TABLE], &s->rt))
				s->rt++;
			else
				s->ok = false;
		}
		if (s->n_seclists > MAX_LISTS) {
			sc_check_error(ck, s->vloc[SN_SECURITY_LISTS], "a "
			    "subnet has at most %d security lists (2.6), got "
			    "%zu", MAX_LISTS, s->n_seclists);
			s->ok = false;
		}
		for (k = 0; k < s->n_seclists && s->ok; k++)
			if (!sc_names_lookup(ck, sp_sl, s->seclists[k],
			    s->seclists_loc[k], &s->sl[k]))
				s->ok = false;
		if (sc_key_given(s->keys, SN_SECURITY_LISTS) &&
		    s->n_seclists == 0) {
			sc_check_error(ck, s->vloc[SN_SECURITY_LISTS], "an "
			    "empty list: leave security_lists out for the "
			    "VCN's default security list");
			s->ok = false;
		}
		if (s->n_seclists == 0)
			v->default_sl = true;
	}
}

static void
check_vcn(struct sc_check *ck, struct oci_sc *o, size_t vi)
{
	struct oci_vcn *v = &o->vcns[vi];
	char sp[SC_NAME_MAX + 24];
	size_t i, j;

	if (v->name == NULL)
		return;
	sc_names_add(ck, "OCI VCN", v->name, vi, v->vloc[VC_NAME]);
	check_vcn_cidrs(ck, v);
	snprintf(sp, sizeof(sp), "%s subnet", v->name);
	for (i = 0; i < v->n_subnets; i++) {
		struct oci_subnet *s = &v->subnets[i];

		if (!sc_names_add(ck, sp, s->name, i, s->vloc[SN_NAME]))
			continue;
		if (strcmp(s->name, OCI_VRF_VCN) == 0) {
			sc_check_error(ck, s->vloc[SN_NAME], "subnet name '%s' "
			    "is taken by the VCN node's delivery VRF "
			    "(docs/oci.md): rename the subnet", OCI_VRF_VCN);
			continue;
		}
		/* for a VNIC's did-you-mean (the space keeps the pointer) */
		snprintf(s->path, sizeof(s->path), "%s/%s", v->name, s->name);
		sc_names_add(ck, OCI_SP_SUBNET, s->path, i, s->vloc[SN_NAME]);
	}
	snprintf(sp, sizeof(sp), "%s route table", v->name);
	for (i = 0; i < v->n_rts; i++)
		sc_names_add(ck, sp, v->rts[i].name, i,
		    v->rts[i].vloc[RTB_NAME]);
	snprintf(sp, sizeof(sp), "%s security list", v->name);
	for (i = 0; i < v->n_sls; i++) {
		struct oci_seclist *l = &v->sls[i];

		sc_names_add(ck, sp, l->name, i, l->vloc[SL_NAME]);
		for (j = 0; j < l->n_ingress; j++)
			check_rule(ck, &l->ingress[j], OCI_INGRESS);
		for (j = 0; j < l->n_egress; j++)
			check_rule(ck, &l->egress[j], OCI_EGRESS);
	}
	snprintf(sp, sizeof(sp), "%s network security group", v->name);
	for (i = 0; i < v->n_nsgs; i++) {
		struct oci_nsg *g = &v->nsgs[i];

		sc_names_add(ck, sp, g->name, i, g->vloc[NS_NAME]);
		for (j = 0; j < g->n_rules; j++)
			check_rule(ck, &g->rules[j], 0);
	}
	check_subnets(ck, v);
	for (i = 0; v->default_sl && i < v->n_sls; i++)
		if (v->sls[i].name != NULL &&
		    strcmp(v->sls[i].name, OCI_DEFAULT_SL) == 0)
			sc_check_error(ck, v->sls[i].vloc[SL_NAME], "security "
			    "list name '%s' is the one xcsim gives the default "
			    "security list of VCN '%s', which a subnet naming "
			    "no list uses: rename this list", OCI_DEFAULT_SL,
			    v->name);
	v->ok = v->n_ok == v->n_cidrs;
}

/* A VCN route table's rules, once the DRG attachments are known. */
static void
check_route_rules(struct sc_check *ck, struct oci_sc *o, struct oci_vcn *v)
{
	char a[16];
	size_t i, j, k, g;

	for (i = 0; i < v->n_rts; i++) {
		struct oci_route_table *t = &v->rts[i];

		for (j = 0; j < t->n_rules; j++) {
			struct oci_route_rule *r = &t->rules[j];

			if (r->entity == NULL)
				continue;
			for (k = 0; k < j; k++)
				if (t->rules[k].dest == r->dest &&
				    t->rules[k].plen == r->plen &&
				    sc_key_ok(r->keys, RR_DESTINATION))
					break;
			if (k < j) {
				sc_check_error(ck, r->vloc[RR_DESTINATION],
				    "duplicate destination %s/%u in route "
				    "table '%s' (first at %u:%u)",
				    ipstr(a, sizeof(a), r->dest), r->plen,
				    t->name, t->rules[k].loc.line,
				    t->rules[k].loc.col);
				continue;
			}
			if (!sc_names_lookup(ck, "OCI DRG", r->entity,
			    r->vloc[RR_NETWORK_ENTITY], &g))
				continue;
			if (v->drg != g + 1) {
				sc_check_error(ck, r->vloc[RR_NETWORK_ENTITY],
				    "VCN '%s' is not attached to DRG '%s': "
				    "add a VCN attachment to its "
				    "drg_attachments (2.9)", v->name,
				    o->drgs[g].name);
				continue;
			}
			r->drg = g + 1;
		}
	}
}

/* ---- instances ---- */

/* The names space of a VCN's private IPs: unique per VCN, not across. */
static const char *
ip_space(char *buf, size_t len, const struct oci_vcn *v)
{
	snprintf(buf, len, "%s private IP", v->name);
	return buf;
}

static void
check_vnic(struct sc_check *ck, struct oci_sc *o, struct oci_vnic *n)
{
	const struct oci_vcn *v;
	const struct oci_subnet *s;
	char sp[SC_NAME_MAX + 32], a[16];
	size_t k;

	if (n->name == NULL || n->subnet == NULL)
		return;
	if (!oci_find_subnet(o, n->subnet, &n->vcn, &n->sn)) {
		sc_names_lookup(ck, OCI_SP_SUBNET, n->subnet,
		    n->vloc[VN_SUBNET], &k);
		return;
	}
	v = &o->vcns[n->vcn];
	s = &v->subnets[n->sn];
	if (!s->ok)
		return;
	snprintf(sp, sizeof(sp), "%s VNIC", v->name);
	if (!sc_names_add(ck, sp, n->name, 0, n->vloc[VN_NAME]))
		return;
	if (v->drg != 0 && strcmp(n->name, OCI_IF_DRG) == 0) {
		sc_check_error(ck, n->vloc[VN_NAME], "VNIC name '%s' is taken "
		    "by the interface of VCN '%s' to its DRG (docs/oci.md): "
		    "rename the VNIC", OCI_IF_DRG, v->name);
		return;
	}
	if (n->n_nsgs > MAX_LISTS) {
		sc_check_error(ck, n->vloc[VN_NSGS], "a VNIC is in at most %d "
		    "NSGs (2.6), got %zu", MAX_LISTS, n->n_nsgs);
		return;
	}
	snprintf(sp, sizeof(sp), "%s network security group", v->name);
	for (k = 0; k < n->n_nsgs; k++)
		if (!sc_names_lookup(ck, sp, n->nsgs[k], n->nsgs_loc[k],
		    &n->nsg[k]))
			return;
	if (sc_key_ok(n->keys, VN_PRIVATE_IP)) {
		if (!inside(n->private_ip, 32, s->cidr, s->plen)) {
			sc_check_error(ck, n->vloc[VN_PRIVATE_IP], "private_ip "
			    "%s is outside subnet '%s' (%s/%u)",
			    ipstr(a, sizeof(a), n->private_ip), s->name,
			    ipstr(sp, sizeof(sp), s->cidr), s->plen);
			return;
		}
		if (oci_reserved(s->cidr, s->plen, n->private_ip)) {
			sc_check_error(ck, n->vloc[VN_PRIVATE_IP], "private_ip "
			    "%s is one of the 3 addresses OCI reserves in "
			    "subnet '%s' (network, gateway .1, broadcast: 2.5)",
			    ipstr(a, sizeof(a), n->private_ip), s->name);
			return;
		}
		ipstr(n->ipkey, sizeof(n->ipkey), n->private_ip);
		ip_space(sp, sizeof(sp), v);
		if (!sc_names_add(ck, sp, n->ipkey, 0, n->vloc[VN_PRIVATE_IP]))
			return;
		n->addr = n->private_ip;
	}
	n->ok = true;
}

/* Addresses for VNICs that gave none: the first free after the reserved. */
static void
allocate(struct sc_check *ck, struct oci_sc *o)
{
	char a[16], sp[SC_NAME_MAX + 16];
	size_t i, j;

	for (i = 0; i < o->n_insts; i++)
		for (j = 0; j < o->insts[i].n_vnics; j++) {
			struct oci_vnic *n = &o->insts[i].vnics[j];
			const struct oci_subnet *s;
			uint32_t x, last;
			size_t k;

			if (!n->ok || n->addr != 0)
				continue;
			s = &o->vcns[n->vcn].subnets[n->sn];
			ip_space(sp, sizeof(sp), &o->vcns[n->vcn]);
			last = s->cidr | ~mask(s->plen);
			for (x = s->cidr + 2; x < last; x++)
				if (!sc_names_find(ck, sp, ipstr(a, sizeof(a),
				    x), &k))
					break;
			if (x >= last) {
				sc_check_error(ck, n->loc, "subnet '%s' has no "
				    "free address left for VNIC '%s' (2.5)",
				    s->name, n->name);
				n->ok = false;
				continue;
			}
			ipstr(n->ipkey, sizeof(n->ipkey), x);
			sc_names_add(ck, sp, n->ipkey, 0, n->loc);
			n->addr = x;
		}
}

/* ---- DRGs ---- */

static void
check_attachment(struct sc_check *ck, struct oci_sc *o, size_t gi,
    size_t ai)
{
	struct oci_drg *g = &o->drgs[gi];
	struct oci_drg_attachment *at = &g->atts[ai];
	char sp[SC_NAME_MAX + 32];
	size_t k;

	if (at->name == NULL || !sc_key_ok(at->nd.keys, ND_TYPE_) ||
	    at->nd.id == NULL)
		return;
	switch (at->nd.type) {
	case OCI_ATT_VCN: {
		struct oci_vcn *v;

		if (!sc_names_lookup(ck, "OCI VCN", at->nd.id,
		    at->nd.vloc[ND_ID_], &at->target))
			return;
		v = &o->vcns[at->target];
		if (v->drg != 0) {
			const struct oci_drg *h = &o->drgs[v->drg - 1];

			sc_check_error(ck, at->nd.vloc[ND_ID_], "VCN '%s' is "
			    "already attached to DRG '%s' (%u:%u): a VCN "
			    "attaches to at most one DRG (2.7)", v->name,
			    h->name, h->atts[v->att - 1].loc.line,
			    h->atts[v->att - 1].loc.col);
			return;
		}
		v->drg = gi + 1;
		v->att = ai + 1;
		break;
	}
	case OCI_ATT_VIRTUAL_CIRCUIT: {
		struct oci_vc *c;

		if (!sc_names_lookup(ck, "OCI virtual circuit", at->nd.id,
		    at->nd.vloc[ND_ID_], &at->target))
			return;
		c = &o->vcs[at->target];
		if (c->gateway == NULL || strcmp(c->gateway, g->name) != 0) {
			sc_check_error(ck, at->nd.vloc[ND_ID_], "virtual "
			    "circuit '%s' terminates on DRG '%s' (its "
			    "gateway_id), not on '%s'", c->name,
			    c->gateway != NULL ? c->gateway : "?", g->name);
			return;
		}
		if (c->att != 0) {
			sc_check_error(ck, at->nd.vloc[ND_ID_], "virtual "
			    "circuit '%s' is attached twice", c->name);
			return;
		}
		c->att = ai + 1;
		break;
	}
	case OCI_ATT_IPSEC_TUNNEL:
		/* OCI makes them with the IPSec connection (oci_ipsec.h) */
		sc_check_error(ck, at->nd.vloc[ND_TYPE_], "IPSEC_TUNNEL "
		    "attachments come with their ip_sec_connections item (its "
		    "drg_id): write none here");
		return;
	default:
		sc_check_error(ck, at->nd.vloc[ND_TYPE_], "%s attachments are "
		    "not modelled yet (VCN and VIRTUAL_CIRCUIT are)",
		    oci_att_types[at->nd.type - 1]);
		return;
	}
	at->rt = oci_default_table(at->nd.type);
	if (at->table != NULL) {
		if (strcmp(at->table, OCI_DRG_RT_VCN) == 0)
			at->rt = 0;
		else if (strcmp(at->table, OCI_DRG_RT_OTHER) == 0)
			at->rt = 1;
		else {
			snprintf(sp, sizeof(sp), "%s DRG route table",
			    g->name);
			if (!sc_names_lookup(ck, sp, at->table,
			    at->vloc[DA_TABLE], &k))
				return;
			at->rt = k + OCI_DRG_AUTO;
		}
	}
	at->ok = true;
}

static void
check_distribution(struct sc_check *ck, const struct oci_drg *g,
    struct oci_distribution *d)
{
	char sp[SC_NAME_MAX + 32];
	size_t i, j;

	snprintf(sp, sizeof(sp), "%s DRG attachment", g->name);
	for (i = 0; i < d->n_statements; i++) {
		struct oci_statement *st = &d->statements[i];
		struct oci_match_criteria *m = &st->match;

		for (j = 0; j < i; j++)
			if (d->statements[j].priority == st->priority &&
			    sc_key_ok(st->keys, ST_PRIORITY))
				break;
		if (j < i) {
			sc_check_error(ck, st->vloc[ST_PRIORITY], "duplicate "
			    "priority %u in distribution '%s' (first at "
			    "%u:%u)", st->priority, d->name,
			    d->statements[j].loc.line,
			    d->statements[j].loc.col);
			continue;
		}
		if (!sc_key_ok(m->keys, MC_MATCH_TYPE))
			continue;
		if (m->match_type == OCI_MATCH_TYPE && m->att_type == 0)
			sc_check_error(ck, m->loc, "DRG_ATTACHMENT_TYPE needs "
			    "'attachment_type'");
		if (m->match_type == OCI_MATCH_ID) {
			if (m->att_id == NULL)
				sc_check_error(ck, m->loc, "DRG_ATTACHMENT_ID "
				    "needs 'drg_attachment_id'");
			else
				sc_names_lookup(ck, sp, m->att_id,
				    m->vloc[MC_ATT_ID], &st->att);
		}
	}
}

static void
check_drg(struct sc_check *ck, struct oci_sc *o, size_t gi)
{
	struct oci_drg *g = &o->drgs[gi];
	char sp[SC_NAME_MAX + 32], a[16];
	size_t i, j, k;

	if (g->name == NULL)
		return;
	snprintf(sp, sizeof(sp), "%s DRG attachment", g->name);
	for (i = 0; i < g->n_atts; i++)
		sc_names_add(ck, sp, g->atts[i].name, i,
		    g->atts[i].vloc[DA_NAME]);
	snprintf(sp, sizeof(sp), "%s DRG route distribution", g->name);
	for (i = 0; i < g->n_dists; i++)
		sc_names_add(ck, sp, g->dists[i].name, i,
		    g->dists[i].vloc[DD_NAME]);
	snprintf(sp, sizeof(sp), "%s DRG route table", g->name);
	for (i = 0; i < g->n_tables; i++) {
		struct oci_drg_table *t = &g->tables[i];

		if (t->name != NULL && (strcmp(t->name, OCI_DRG_RT_VCN) == 0 ||
		    strcmp(t->name, OCI_DRG_RT_OTHER) == 0)) {
			sc_check_error(ck, t->vloc[DT_NAME], "'%s' is the name "
			    "of an autogenerated DRG route table (2.7)",
			    t->name);
			continue;
		}
		sc_names_add(ck, sp, t->name, i, t->vloc[DT_NAME]);
	}
	for (i = 0; i < g->n_atts; i++)
		check_attachment(ck, o, gi, i);
	for (i = 0; i < g->n_dists; i++)
		check_distribution(ck, g, &g->dists[i]);
	snprintf(sp, sizeof(sp), "%s DRG route distribution", g->name);
	for (i = 0; i < g->n_tables; i++) {
		struct oci_drg_table *t = &g->tables[i];
		char spa[SC_NAME_MAX + 32];

		if (t->import != NULL && sc_names_lookup(ck, sp, t->import,
		    t->vloc[DT_IMPORT], &k))
			t->dist = k + 1;
		snprintf(spa, sizeof(spa), "%s DRG attachment", g->name);
		for (j = 0; j < t->n_rules; j++) {
			struct oci_drg_rule *r = &t->rules[j];

			if (r->next_hop != NULL)
				sc_names_lookup(ck, spa, r->next_hop,
				    r->vloc[DR_NEXT_HOP], &r->att);
		}
	}
	/* VCNs on one DRG: a destination must name one of them (2.5) */
	for (i = 0; i < g->n_atts; i++) {
		const struct oci_vcn *v, *w;
		size_t x, y;

		if (!g->atts[i].ok || g->atts[i].nd.type != OCI_ATT_VCN)
			continue;
		v = &o->vcns[g->atts[i].target];
		for (j = 0; j < i; j++) {
			if (!g->atts[j].ok || g->atts[j].nd.type != OCI_ATT_VCN)
				continue;
			w = &o->vcns[g->atts[j].target];
			for (x = 0; x < v->n_ok; x++)
				for (y = 0; y < w->n_ok; y++)
					if (overlap(v->cidr[x], v->cplen[x],
					    w->cidr[y], w->cplen[y]))
						sc_check_error(ck,
						    g->atts[i].loc, "VCN '%s' "
						    "(%s/%u) overlaps VCN '%s' "
						    "on the same DRG: VCN "
						    "CIDRs must not overlap "
						    "(2.5)", v->name,
						    ipstr(a, sizeof(a),
						    v->cidr[x]), v->cplen[x],
						    w->name);
		}
	}
	g->ok = true;
}

/*
 * The DRG's links are numbered /30s of IC_BLOCK_OCI, a /21: VCN v's is
 * the v-th, virtual circuit c's paths follow (oci_p2p_vcn, oci_p2p_vc).
 * Past the 512th they would leave the block, silently.
 */
#define OCI_P2P_MAX 512

static void
check_block(struct sc_check *ck, const struct oci_sc *o)
{
	size_t i;

	if (o->n_vcns + 2 * o->n_vcs <= OCI_P2P_MAX)
		return;
	if (o->n_vcns > OCI_P2P_MAX) {
		sc_check_error(ck, o->vcns[OCI_P2P_MAX].vloc[VC_NAME], "VCN "
		    "'%s' would need /30 number %d of 169.254.248.0/21, the "
		    "block xcsim numbers its DRG links from (IC_BLOCK_OCI, "
		    "docs/interconnect.md), which holds %d: at most %d VCNs "
		    "and virtual circuit paths in all",
		    sc_check_quote(ck, o->vcns[OCI_P2P_MAX].name),
		    OCI_P2P_MAX + 1, OCI_P2P_MAX,
		    OCI_P2P_MAX);
		return;
	}
	i = (OCI_P2P_MAX - o->n_vcns) / 2;
	sc_check_error(ck, o->vcs[i].vloc[VI_NAME], "virtual circuit '%s' "
	    "would need /30 number %d of 169.254.248.0/21, the block xcsim "
	    "numbers its DRG links from (IC_BLOCK_OCI, docs/interconnect.md), "
	    "which holds %d: at most %d VCNs and virtual circuit paths in "
	    "all", sc_check_quote(ck, o->vcs[i].name), OCI_P2P_MAX + 1,
	    OCI_P2P_MAX, OCI_P2P_MAX);
}

/* A resource that becomes a node: its kind, name, the node's name. */
struct node_res {
	const char *kind, *res, *node;
	struct sc_loc loc;
};

/*
 * VCNs, instances, DRGs and virtual circuits (their Oracle edge routers)
 * each become a node named as the resource (docs/oci.md): OCI lets a DRG
 * take a VCN's display name, the expansion cannot. One error at the later
 * of two such resources (each kind's own duplicates are its names space's
 * errors).
 */
static void
check_node_names(struct sc_check *ck, const struct oci_sc *o)
{
	struct node_res *r;
	size_t n = 0, max = o->n_vcns + o->n_insts + o->n_drgs + 2 * o->n_vcs,
	    i, j, p;
	char (*edge)[SC_NAME_MAX + 32];

	if (max == 0)
		return;
	r = calloc(max, sizeof(*r));
	edge = calloc(2 * o->n_vcs + 1, sizeof(*edge));
	SIM_ASSERT(r != NULL && edge != NULL, "out of memory");
	for (i = 0; i < o->n_vcns; i++)
		if (o->vcns[i].name != NULL)
			r[n++] = (struct node_res){ "VCN", o->vcns[i].name,
			    o->vcns[i].name, o->vcns[i].vloc[VC_NAME] };
	for (i = 0; i < o->n_insts; i++)
		if (o->insts[i].name != NULL)
			r[n++] = (struct node_res){ "instance",
			    o->insts[i].name, o->insts[i].name,
			    o->insts[i].vloc[IN_NAME] };
	for (i = 0; i < o->n_drgs; i++)
		if (o->drgs[i].name != NULL)
			r[n++] = (struct node_res){ "DRG", o->drgs[i].name,
			    o->drgs[i].name, o->drgs[i].vloc[DG_NAME] };
	for (i = 0; i < o->n_vcs; i++)
		for (p = 0; o->vcs[i].name != NULL && p < o->vcs[i].n_maps &&
		    p < 2; p++) {
			ic_oracle_edge_name(edge[2 * i + p], sizeof(edge[0]),
			    o->vcs[i].name, o->n_vcs, (enum ic_path)p);
			r[n++] = (struct node_res){ "virtual circuit",
			    o->vcs[i].name, edge[2 * i + p],
			    o->vcs[i].vloc[VI_NAME] };
		}
	for (i = 0; i < n; i++)
		for (j = 0; j < i; j++)
			if (strcmp(r[i].kind, r[j].kind) != 0 &&
			    strcmp(r[i].node, r[j].node) == 0) {
				sc_check_error(ck, r[i].loc, "%s '%s' makes "
				    "node '%s', as %s '%s' (%u:%u) does "
				    "(docs/oci.md): rename one", r[i].kind,
				    r[i].res, r[i].node, r[j].kind, r[j].res,
				    r[j].loc.line, r[j].loc.col);
				break;
			}
	free(edge);
	free(r);
}

void
oci_check(struct sc_check *ck, struct sc_section_data *d)
{
	struct oci_sc *o = d->items;
	unsigned before = sc_check_errors(ck);
	size_t i, j;

	if (o == NULL || !d->given)
		return;
	for (i = 0; i < o->n_drgs; i++)
		sc_names_add(ck, "OCI DRG", o->drgs[i].name, i,
		    o->drgs[i].vloc[DG_NAME]);
	for (i = 0; i < o->n_vcns; i++)
		check_vcn(ck, o, i);
	oci_check_cross_connects(ck, o);
	for (i = 0; i < o->n_vcs; i++)
		oci_check_vc(ck, o, i);
	for (i = 0; i < o->n_drgs; i++)
		check_drg(ck, o, i);
	oci_check_ipsec(ck, o);
	for (i = 0; i < o->n_vcns; i++)
		check_route_rules(ck, o, &o->vcns[i]);
	for (i = 0; i < o->n_insts; i++) {
		struct oci_instance *in = &o->insts[i];

		sc_names_add(ck, "OCI instance", in->name, i,
		    in->vloc[IN_NAME]);
		if (sc_key_ok(in->keys, IN_VNICS) && in->n_vnics == 0)
			sc_check_error(ck, in->vloc[IN_VNICS], "an instance "
			    "has at least one VNIC, its primary");
		for (j = 0; j < in->n_vnics; j++)
			check_vnic(ck, o, &in->vnics[j]);
	}
	for (i = 0; i < o->n_vcs; i++)
		if (o->vcs[i].name != NULL && o->vcs[i].gateway != NULL)
			oci_check_map_vcns(ck, o, &o->vcs[i]);
	allocate(ck, o);
	check_node_names(ck, o);
	check_block(ck, o);
	oci_check_vnet_overlap(ck, sc_check_scenario(ck), o);
	o->checked = sc_check_errors(ck) == before;
}
