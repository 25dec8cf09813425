/*
 * test_azure_oci.c - an ExpressRoute circuit whose provider is Oracle
 * Cloud FastConnect, written without a private_peering: its MSEEs take
 * the peering from the OCI virtual circuit for it (oci_vc_peering; 3.1:
 * the peering "appears automatically"), the MSEE .2 and Oracle .1 of each
 * /30 (3.3, B2), peer AS 31898 (2.2), VLAN 33 (B2's field note), and a VM
 * pings an OCI instance across. Runs when the oci section is registered
 * (models/oci); without it the cases say so and check nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"
#include "scenario_expand.h"
#include "scenario_models.h"
#include "scenario_section.h"
#include "scenario_testutil.h"
#include "testutil.h"
#include "cloud_base_testutil.h"

static const char text[] =
    "name: cross\n"
    "duration: 45s\n"
    CLOUD_HUB_TWO_CLOUDS
    "apps:\n"
    "  - { name: vm-to-db, type: ping, node: app-vm, dst: db1, start: 35s, interval: 1s, count: 5 }\n"
    "  - { name: tr, type: traceroute, node: app-vm, dst: db1, start: 41s }\n"
    "assertions:\n"
    "  - { kind: ping-succeeds, app: vm-to-db }\n";

static bool
have_oci(void)
{
	size_t i;

	for (i = 0; scenario_section_at(i) != NULL; i++)
		if (strcmp(scenario_section_at(i)->name, "oci") == 0)
			return true;
	fprintf(stderr, "SKIP: no oci section registered\n");
	return false;
}

static void
test_peering_from_oci(void)
{
	char *tmp, path[300], *out = NULL, *diag = NULL;
	size_t len = 0, dlen = 0;
	FILE *f, *o, *d;
	static const char *const want[] = {
		"- name: msee-primary\n  role: msee\n  region: Washington DC\n"
		"  interfaces:\n  - name: private-peering\n"
		"    address: 169.254.0.2/30\n    vlan: 33\n",
		"- name: msee-secondary\n  role: msee\n"
		"  region: Washington DC\n  interfaces:\n"
		"  - name: private-peering\n    address: 169.254.1.2/30\n"
		"    vlan: 33\n",
		"- node: msee-primary\n  asn: 12076\n  max_paths: 2\n"
		"  neighbors:\n  - address: 169.254.0.1\n"
		"    remote_as: 31898\n",
	};
	size_t i;

	if (!have_oci())
		return;
	tmp = test_tmpdir("/tmp/xcsim-azoci-XXXXXX");
	CU_ASSERT_PTR_NOT_NULL_FATAL(tmp);
	snprintf(path, sizeof(path), "%s/x.yaml", tmp);
	f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(text, f);
	fclose(f);
	o = open_memstream(&out, &len);
	d = open_memstream(&diag, &dlen);
	CU_ASSERT_EQUAL(scenario_expand_print(path, o, d), 0);
	fclose(o);
	fclose(d);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		if (strstr(out, want[i]) == NULL)
			fprintf(stderr, "missing:\n%s\n", want[i]);
		CU_ASSERT_PTR_NOT_NULL(strstr(out, want[i]));
	}
	free(out);
	free(diag);
}

/* The VM reaches the OCI instance over the circuit (ping-succeeds). */
static void
test_ping_across(void)
{
	char *diag = NULL, *out = NULL;
	unsigned n = 0;
	struct scenario *sc;

	if (!have_oci())
		return;
	sc = load(text, &diag, &n);
	if (sc == NULL)
		fprintf(stderr, "%s", diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	CU_ASSERT_EQUAL(sc_run_to_end(sc, 0, NULL, &out), 0);
	/* VM 40us, fabric 30us, backbone 500us, cross-connect 20us, Oracle
	 * 200us, DRG-VCN and instance: about 0.86 ms each way (3.4, B9) */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS: ping-succeeds vm-to-db "
	    "[0s, end): 5/5 replies, max rtt 1.720686ms"));
	if (strstr(out, "5/5") == NULL)
		fprintf(stderr, "%s", out);
	free(out);
	free(diag);
	scenario_free(sc);
}

static const struct test_case cases[] = {
	{ "an Oracle circuit's peering comes from the OCI virtual circuit",
	    test_peering_from_oci },
	{ "a VM pings an OCI instance across the interconnect",
	    test_ping_across },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	scenario_models_init();
	return test_main(argc, argv, "azure_oci", cases);
}
