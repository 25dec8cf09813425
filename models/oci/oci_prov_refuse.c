/*
 * oci_prov_refuse.c - what OCI refuses at a resource's create or delete on
 * the provisioning timeline (oci_prov.h; docs/oci.md "Refusals"): a
 * reference to a resource that does not exist then is 404 (B6), deleting
 * what another resource still uses is 409 with the shape the facts give
 * ("cannot be deleted because it is still used by", B6), a route rule
 * toward a DRG the VCN is not attached to then is 400 (2.9).
 */
#include <stdio.h>
#include <string.h>

#include "oci_prov.h"

/* "A/B" split at the first '/': *a gets A (in buf), returns B. */
const char *
oci_prov_split(const char *name, char *buf, size_t len)
{
	const char *s = strchr(name, '/');
	size_t l = s != NULL ? (size_t)(s - name) : strlen(name);

	if (l >= len)
		l = len - 1;
	memcpy(buf, name, l);
	buf[l] = '\0';
	return s != NULL ? s + 1 : "";
}

const struct oci_vcn *
oci_prov_vcn(const struct oci_sc *o, const char *name)
{
	size_t i;

	for (i = 0; i < o->n_vcns; i++)
		if (o->vcns[i].name != NULL &&
		    strcmp(o->vcns[i].name, name) == 0)
			return &o->vcns[i];
	return NULL;
}

const struct oci_drg *
oci_prov_drg(const struct oci_sc *o, const char *name)
{
	size_t i;

	for (i = 0; i < o->n_drgs; i++)
		if (o->drgs[i].name != NULL &&
		    strcmp(o->drgs[i].name, name) == 0)
			return &o->drgs[i];
	return NULL;
}

const struct oci_vc *
oci_prov_vc(const struct oci_sc *o, const char *name)
{
	size_t i;

	for (i = 0; i < o->n_vcs; i++)
		if (o->vcs[i].name != NULL &&
		    strcmp(o->vcs[i].name, name) == 0)
			return &o->vcs[i];
	return NULL;
}

const struct oci_instance *
oci_prov_instance(const struct oci_sc *o, const char *name)
{
	size_t i;

	for (i = 0; i < o->n_insts; i++)
		if (o->insts[i].name != NULL &&
		    strcmp(o->insts[i].name, name) == 0)
			return &o->insts[i];
	return NULL;
}

/* Whether KEY/NAME is declared and exists at t (false if not declared). */
bool
oci_prov_exists(const struct prov_plan *p, const char *key, const char *name,
    sim_time t)
{
	const struct prov_res *r = prov_find_res(p, key, name);

	return r != NULL && prov_exists(p, r, t);
}

/*
 * OCI answers a reference to a resource that does not exist (not yet
 * created, or deleted) with 404 (B6); true when it refused.
 */
bool
oci_prov_need(struct prov_ctx *c, const char *what, const char *name,
    const char *key, const char *dep_what, const char *dep)
{
	const struct prov_plan *p = prov_ctx_plan(c);
	char b[32];

	if (prov_find_res(p, key, dep) == NULL || oci_prov_exists(p, key, dep,
	    prov_now(c)))
		return false;
	prov_refuse(c, E404, "%s '%s': %s '%s' does not exist at %s (not yet "
	    "created, or deleted)", what, name, dep_what, dep,
	    units_fmt_time(b, sizeof(b), prov_now(c)));
	return true;
}

/*
 * OCI refuses to delete a resource another still uses (B6: "cannot be
 * deleted because it is still used by"); true when it refused.
 */
bool
oci_prov_used_by(struct prov_ctx *c, const char *what, const char *name,
    const char *key, const char *user_what, const char *user)
{
	if (!oci_prov_exists(prov_ctx_plan(c), key, user, prov_now(c)))
		return false;
	prov_refuse(c, E409, "%s '%s' cannot be deleted because it is still "
	    "used by %s '%s' (B6): delete that first", what, name, user_what,
	    user);
	return true;
}

/* ---- what OCI refuses, per kind ---- */

static bool
child_of_vcn(struct prov_ctx *c, const struct oci_sc *o, const char *name,
    const char *what)
{
	char vcn[SC_NAME_MAX + 1];

	(void)o;
	oci_prov_split(name, vcn, sizeof(vcn));
	return oci_prov_need(c, what, name, "vcns", "VCN", vcn);
}

bool
oci_prov_subnet_create(struct prov_ctx *c, const struct oci_sc *o,
    const char *name)
{
	return child_of_vcn(c, o, name, "subnet");
}

bool
oci_prov_seclist_create(struct prov_ctx *c, const struct oci_sc *o,
    const char *name)
{
	return child_of_vcn(c, o, name, "security list");
}

bool
oci_prov_nsg_create(struct prov_ctx *c, const struct oci_sc *o,
    const char *name)
{
	return child_of_vcn(c, o, name, "network security group");
}

/*
 * A route table's rules target a DRG the VCN must be attached to (2.9):
 * the check refuses a DRG never attached; on a timeline the attachment
 * must also exist when the table is created.
 */
bool
oci_prov_rt_create(struct prov_ctx *c, const struct oci_sc *o,
    const char *name)
{
	char vcn[SC_NAME_MAX + 1], att[NAME2];
	const char *rt = oci_prov_split(name, vcn, sizeof(vcn));
	const struct oci_vcn *v = oci_prov_vcn(o, vcn);
	const struct oci_drg *g;
	size_t i, j;

	if (child_of_vcn(c, o, name, "route table"))
		return true;
	if (v == NULL || v->drg == 0)
		return false;
	g = &o->drgs[v->drg - 1];
	snprintf(att, sizeof(att), "%s/%s", g->name, g->atts[v->att - 1].name);
	for (i = 0; i < v->n_rts; i++) {
		if (v->rts[i].name == NULL || strcmp(v->rts[i].name, rt) != 0)
			continue;
		for (j = 0; j < v->rts[i].n_rules; j++)
			if (v->rts[i].rules[j].drg != 0 && !oci_prov_exists(
			    prov_ctx_plan(c), "drg_attachments", att,
			    prov_now(c))) {
				prov_refuse(c, E400, "route table '%s': rule "
				    "%zu targets DRG '%s', which VCN '%s' is "
				    "not attached to at this time (attachment "
				    "'%s' does not exist): attach the VCN "
				    "first (2.9)", name, j + 1, g->name,
				    vcn, att);
				return true;
			}
	}
	return false;
}

bool
oci_prov_instance_create(struct prov_ctx *c, const struct oci_sc *o,
    const char *name)
{
	const struct oci_instance *in = oci_prov_instance(o, name);
	char nsg[NAME2];
	size_t j, k;

	for (j = 0; in != NULL && j < in->n_vnics; j++) {
		const struct oci_vnic *n = &in->vnics[j];

		if (n->subnet != NULL && oci_prov_need(c, "instance", name,
		    "subnets", "subnet", n->subnet))
			return true;
		for (k = 0; n->ok && k < n->n_nsgs; k++) {
			snprintf(nsg, sizeof(nsg), "%s/%s",
			    o->vcns[n->vcn].name, n->nsgs[k]);
			if (oci_prov_need(c, "instance", name,
			    "network_security_groups",
			    "network security group", nsg))
				return true;
		}
	}
	return false;
}

bool
oci_prov_att_create(struct prov_ctx *c, const struct oci_sc *o,
    const char *name)
{
	char drg[SC_NAME_MAX + 1];
	const char *an = oci_prov_split(name, drg, sizeof(drg));
	const struct oci_drg *g = oci_prov_drg(o, drg);
	size_t i;

	if (oci_prov_need(c, "DRG attachment", name, "drgs", "DRG", drg))
		return true;
	for (i = 0; g != NULL && i < g->n_atts; i++) {
		const struct oci_drg_attachment *a = &g->atts[i];

		if (a->name == NULL || strcmp(a->name, an) != 0 ||
		    a->nd.id == NULL)
			continue;
		if (a->nd.type == OCI_ATT_VCN)
			return oci_prov_need(c, "DRG attachment", name,
			    "vcns", "VCN", a->nd.id);
		return oci_prov_need(c, "DRG attachment", name,
		    "virtual_circuits", "virtual circuit", a->nd.id);
	}
	return false;
}

/*
 * Detaching a VCN from its DRG while a route table of that VCN still has a
 * rule toward the DRG: OCI asks that those rules be removed first, and B6
 * ("a gateway that is the target of any rule") applies to the
 * attachment the rule's traffic goes through, as the route table's create
 * (2.9) needs the attachment.
 */
bool
oci_prov_att_delete(struct prov_ctx *c, const struct oci_sc *o,
    const char *name)
{
	char drg[SC_NAME_MAX + 1], b[NAME2];
	const char *an = oci_prov_split(name, drg, sizeof(drg));
	const struct oci_drg *g = oci_prov_drg(o, drg);
	const struct oci_vcn *v;
	size_t i, j, k;

	for (i = 0; g != NULL && i < g->n_atts; i++) {
		const struct oci_drg_attachment *a = &g->atts[i];

		if (a->name == NULL || strcmp(a->name, an) != 0 ||
		    a->nd.id == NULL || a->nd.type != OCI_ATT_VCN)
			continue;
		v = oci_prov_vcn(o, a->nd.id);
		for (j = 0; v != NULL && j < v->n_rts; j++) {
			const struct oci_route_table *t = &v->rts[j];

			for (k = 0; k < t->n_rules; k++)
				if (t->rules[k].drg != 0)
					break;
			if (k == t->n_rules || t->name == NULL)
				continue;
			snprintf(b, sizeof(b), "%s/%s", v->name, t->name);
			if (oci_prov_used_by(c, "DRG attachment", name,
			    "route_tables", "route table (a rule targets "
			    "its DRG)", b))
				return true;
		}
	}
	return false;
}

bool
oci_prov_drg_table_create(struct prov_ctx *c, const struct oci_sc *o,
    const char *name)
{
	char drg[SC_NAME_MAX + 1];

	(void)o;
	oci_prov_split(name, drg, sizeof(drg));
	return oci_prov_need(c, "DRG route table", name, "drgs", "DRG", drg);
}

bool
oci_prov_vcn_delete(struct prov_ctx *c, const struct oci_sc *o,
    const char *name)
{
	const struct oci_vcn *v = oci_prov_vcn(o, name);
	char b[NAME2];
	size_t i;

	if (v == NULL)
		return false;
	for (i = 0; i < v->n_subnets; i++) {
		snprintf(b, sizeof(b), "%s/%s", name, v->subnets[i].name);
		if (oci_prov_used_by(c, "VCN", name, "subnets", "subnet", b))
			return true;
	}
	for (i = 0; i < v->n_rts; i++) {
		snprintf(b, sizeof(b), "%s/%s", name, v->rts[i].name);
		if (oci_prov_used_by(c, "VCN", name, "route_tables",
		    "route table", b))
			return true;
	}
	for (i = 0; i < v->n_sls; i++) {
		snprintf(b, sizeof(b), "%s/%s", name, v->sls[i].name);
		if (oci_prov_used_by(c, "VCN", name, "security_lists",
		    "security list", b))
			return true;
	}
	for (i = 0; i < v->n_nsgs; i++) {
		snprintf(b, sizeof(b), "%s/%s", name, v->nsgs[i].name);
		if (oci_prov_used_by(c, "VCN", name, "network_security_groups",
		    "network security group", b))
			return true;
	}
	if (v->drg != 0) {
		const struct oci_drg *g = &o->drgs[v->drg - 1];

		snprintf(b, sizeof(b), "%s/%s", g->name,
		    g->atts[v->att - 1].name);
		if (oci_prov_used_by(c, "VCN", name, "drg_attachments",
		    "DRG attachment", b))
			return true;
	}
	return false;
}

/* The instances with a VNIC in subnet (path), or in NSG nsg of vcn. */
static bool
vnic_users(struct prov_ctx *c, const struct oci_sc *o, const char *what,
    const char *name, const char *subnet, const char *vcn, const char *nsg)
{
	size_t i, j, k;

	for (i = 0; i < o->n_insts; i++)
		for (j = 0; j < o->insts[i].n_vnics; j++) {
			const struct oci_vnic *n = &o->insts[i].vnics[j];
			bool uses = false;

			if (subnet != NULL)
				uses = n->subnet != NULL &&
				    strcmp(n->subnet, subnet) == 0;
			for (k = 0; nsg != NULL && n->ok && k < n->n_nsgs; k++)
				uses |= strcmp(o->vcns[n->vcn].name, vcn) == 0
				    && strcmp(n->nsgs[k], nsg) == 0;
			if (uses && oci_prov_used_by(c, what, name,
			    "instances", "instance", o->insts[i].name))
				return true;
		}
	return false;
}

bool
oci_prov_subnet_delete(struct prov_ctx *c, const struct oci_sc *o,
    const char *name)
{
	return vnic_users(c, o, "subnet", name, name, NULL, NULL);
}

bool
oci_prov_nsg_delete(struct prov_ctx *c, const struct oci_sc *o,
    const char *name)
{
	char vcn[SC_NAME_MAX + 1];
	const char *g = oci_prov_split(name, vcn, sizeof(vcn));

	return vnic_users(c, o, "network security group", name, NULL, vcn, g);
}

/* Subnets of vcn using route table rt (rt) or security list sl. */
static bool
subnet_users(struct prov_ctx *c, const struct oci_sc *o, const char *what,
    const char *name, bool table)
{
	char vcn[SC_NAME_MAX + 1];
	const char *x = oci_prov_split(name, vcn, sizeof(vcn));
	const struct oci_vcn *v = oci_prov_vcn(o, vcn);
	size_t i, k;

	for (i = 0; v != NULL && i < v->n_subnets; i++) {
		const struct oci_subnet *s = &v->subnets[i];
		bool uses = false;

		if (table)
			uses = s->route_table != NULL &&
			    strcmp(s->route_table, x) == 0;
		for (k = 0; !table && k < s->n_seclists; k++)
			uses |= strcmp(s->seclists[k], x) == 0;
		if (uses && oci_prov_used_by(c, what, name, "subnets",
		    "subnet", s->path))
			return true;
	}
	return false;
}

bool
oci_prov_rt_delete(struct prov_ctx *c, const struct oci_sc *o,
    const char *name)
{
	return subnet_users(c, o, "route table", name, true);
}

bool
oci_prov_seclist_delete(struct prov_ctx *c, const struct oci_sc *o,
    const char *name)
{
	return subnet_users(c, o, "security list", name, false);
}

/*
 * A DRG in use: its attachments, the virtual circuits naming it, and
 * (B6: "a gateway that is the target of any rule cannot be deleted") the
 * VCN route tables with a rule toward it.
 */
bool
oci_prov_drg_delete(struct prov_ctx *c, const struct oci_sc *o,
    const char *name)
{
	const struct oci_drg *g = oci_prov_drg(o, name);
	char b[NAME2];
	size_t i, j, k;

	if (g == NULL)
		return false;
	for (i = 0; i < g->n_atts; i++) {
		snprintf(b, sizeof(b), "%s/%s", name, g->atts[i].name);
		if (oci_prov_used_by(c, "DRG", name, "drg_attachments",
		    "DRG attachment", b))
			return true;
	}
	for (i = 0; i < o->n_vcs; i++)
		if (o->vcs[i].gateway != NULL &&
		    strcmp(o->vcs[i].gateway, name) == 0 &&
		    oci_prov_used_by(c, "DRG", name, "virtual_circuits",
		    "virtual circuit", o->vcs[i].name))
			return true;
	for (i = 0; i < o->n_vcns; i++)
		for (j = 0; j < o->vcns[i].n_rts; j++) {
			const struct oci_route_table *t = &o->vcns[i].rts[j];

			for (k = 0; k < t->n_rules; k++)
				if (t->rules[k].entity != NULL &&
				    strcmp(t->rules[k].entity, name) == 0)
					break;
			snprintf(b, sizeof(b), "%s/%s", o->vcns[i].name,
			    t->name);
			if (k < t->n_rules && oci_prov_used_by(c, "DRG", name,
			    "route_tables", "route table (a rule targets it)",
			    b))
				return true;
		}
	return false;
}

bool
oci_prov_drg_table_delete(struct prov_ctx *c, const struct oci_sc *o,
    const char *name)
{
	char drg[SC_NAME_MAX + 1], b[NAME2];
	const char *t = oci_prov_split(name, drg, sizeof(drg));
	const struct oci_drg *g = oci_prov_drg(o, drg);
	size_t i;

	for (i = 0; g != NULL && i < g->n_atts; i++) {
		if (g->atts[i].table == NULL ||
		    strcmp(g->atts[i].table, t) != 0)
			continue;
		snprintf(b, sizeof(b), "%s/%s", drg, g->atts[i].name);
		if (oci_prov_used_by(c, "DRG route table", name,
		    "drg_attachments", "DRG attachment", b))
			return true;
	}
	return false;
}
