/*
 * oci_prov.h - what the two files of the oci section's control plane share
 * (oci_prov.c: the resource types, their state machines and declaration;
 * oci_prov_refuse.c: what OCI refuses at a create or a delete, by kind).
 * Not for other modules.
 */
#ifndef XCSIM_OCI_PROV_H
#define XCSIM_OCI_PROV_H

#include <stdbool.h>
#include <stddef.h>

#include "oci_int.h"
#include "provision.h"

#define LS "lifecycleState"
#define SPPS "serviceProviderProvisioningState"
#define NAME2 (2 * SC_NAME_MAX + 2)
#define MIN(x) SIM_S(60 * (x))

/* The error codes OCI answers with (B6, B2). */
#define E404 "404-NotAuthorizedOrNotFound"
#define E409 "409-IncorrectState"
#define E400 "400-InvalidParameter"

/* "A/B" split at the first '/': A into buf, returns B ("" if none). */
const char *oci_prov_split(const char *name, char *buf, size_t len);
/* The section's records by name, or NULL. */
const struct oci_vcn *oci_prov_vcn(const struct oci_sc *o, const char *name);
const struct oci_drg *oci_prov_drg(const struct oci_sc *o, const char *name);
const struct oci_vc *oci_prov_vc(const struct oci_sc *o, const char *name);
const struct oci_instance *oci_prov_instance(const struct oci_sc *o,
    const char *name);
/* Whether KEY/NAME is declared and exists at t. */
bool oci_prov_exists(const struct prov_plan *p, const char *key,
    const char *name, sim_time t);
/*
 * Refuse with 404 what names a resource (dep_what KEY/dep) that does not
 * exist now; true when refused (a resource not declared is no refusal).
 */
bool oci_prov_need(struct prov_ctx *c, const char *what, const char *name,
    const char *key, const char *dep_what, const char *dep);
/* Refuse with 409 the delete of what another (KEY/user) still uses. */
bool oci_prov_used_by(struct prov_ctx *c, const char *what,
    const char *name, const char *key, const char *user_what,
    const char *user);

/* What OCI refuses at the create / delete of each kind; true: refused. */
#define OCI_PROV_CHECK(f) bool oci_prov_##f(struct prov_ctx *c, \
    const struct oci_sc *o, const char *name)
OCI_PROV_CHECK(subnet_create);
OCI_PROV_CHECK(seclist_create);
OCI_PROV_CHECK(nsg_create);
OCI_PROV_CHECK(rt_create);
OCI_PROV_CHECK(instance_create);
OCI_PROV_CHECK(att_create);
OCI_PROV_CHECK(att_delete);
OCI_PROV_CHECK(drg_table_create);
OCI_PROV_CHECK(vcn_delete);
OCI_PROV_CHECK(subnet_delete);
OCI_PROV_CHECK(nsg_delete);
OCI_PROV_CHECK(rt_delete);
OCI_PROV_CHECK(seclist_delete);
OCI_PROV_CHECK(drg_delete);
OCI_PROV_CHECK(drg_table_delete);

/* oci_prov_rules.c: an update of a security list's or NSG's rules. */
sim_time oci_prov_rules_update(struct prov_ctx *c, struct prov_res *r,
    const struct prov_kv *set, size_t n_set);

#endif
