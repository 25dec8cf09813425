/*
 * acl_scenario_int.h - what the acls section keeps for the run, shared
 * with the acl_bindings section (acl_scenario_bind.c).
 */
#ifndef XCSIM_ACL_SCENARIO_INT_H
#define XCSIM_ACL_SCENARIO_INT_H

#include <stddef.h>

#include "acl.h"

/* A rule following its gate (models/gates). */
struct acl_sc_gated {
	struct acl *acl;
	size_t rule;
};

/* The acls section's state: each acl, in file order. */
struct acls_run {
	struct acl **acls;
	size_t n;
	struct acl_sc_gated *gated;
	size_t n_gated;
};

#endif
