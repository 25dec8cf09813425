/*
 * test_provision_docs.c - the examples of the provisioning docs work as
 * written (review 11, finding 10): the timeline of provision.h's comment
 * and of docs/provisioning.md, pasted after the azure and oci sections of
 * scenarios/overview/app-db-interconnect.yaml, loads and every operation
 * has the outcome its item expects; the gates of gates.h's comment and of
 * docs/gates.md load.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "provision_int.h"
#include "scenario.h"
#include "scenario_models.h"
#include "scenario_testutil.h"
#include "testutil.h"

static char *
slurp(const char *rel)
{
	char path[512];
	FILE *f;
	char *s;
	long n;

	snprintf(path, sizeof(path), "%s/%s", XCSIM_SOURCE_DIR, rel);
	f = fopen(path, "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	s = calloc(1, (size_t)n + 1);
	CU_ASSERT_FATAL(fread(s, 1, (size_t)n, f) == (size_t)n);
	fclose(f);
	return s;
}

/*
 * The example starting with `head` (e.g. "timeline:"): in a markdown file
 * the ```yaml block that starts with it; in a header the comment lines
 * " *   head" on, up to the first " *" line, their " *   " cut off.
 */
static char *
example(const char *text, const char *head, bool header)
{
	char key[64], *out;
	const char *a, *e, *l;
	size_t n = 0;

	snprintf(key, sizeof(key), header ? " *   %s\n" : "```yaml\n%s\n",
	    head);
	a = strstr(text, key);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	a += header ? 0 : 8;
	out = calloc(1, strlen(a) + 1);
	for (l = a; *l != '\0'; l = e + 1) {
		e = strchr(l, '\n');
		if (e == NULL)
			break;
		if (header) {
			if ((size_t)(e - l) < 5 || strncmp(l, " *   ", 5) != 0)
				break;
			memcpy(out + n, l + 5, (size_t)(e - l) - 4);
			n += (size_t)(e - l) - 4;
		} else {
			if (strncmp(l, "```", 3) == 0)
				break;
			memcpy(out + n, l, (size_t)(e - l) + 1);
			n += (size_t)(e - l) + 1;
		}
	}
	return out;
}

/* The overview scenario up to its apps: name, seed, azure, oci. */
static char *
clouds(void)
{
	char *s = slurp("scenarios/overview/app-db-interconnect.yaml"),
	    *apps = strstr(s, "\napps:");

	CU_ASSERT_PTR_NOT_NULL_FATAL(apps);
	apps[1] = '\0';
	return s;
}

static void
check_timeline(const char *timeline)
{
	char *base = clouds(), *text, *diag = NULL;
	size_t len = strlen(base) + strlen(timeline) + 1, i;
	unsigned n = 0;
	struct scenario *sc;
	struct prov_plan *p;

	text = malloc(len);
	snprintf(text, len, "%s%s", base, timeline);
	sc = load(text, &diag, &n);
	if (sc == NULL)
		fprintf(stderr, "%s\n", diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	p = prov_plan_of(sc);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT(p->n_ops >= 5);
	for (i = 0; i < p->n_ops; i++) {
		const struct prov_opr *o = &p->ops[i];
		bool ok = o->done && o->refused == o->expect_refused &&
		    (o->expect_error == NULL || (o->error != NULL &&
		    strstr(o->error, o->expect_error) != NULL));

		if (!ok)
			fprintf(stderr, "op %zu: %s (expected %s)\n", i,
			    o->refused ? o->error : "succeeded",
			    o->expect_refused ? o->expect_error : "success");
		CU_ASSERT(ok);
	}
	scenario_free(sc);
	free(diag);
	free(text);
	free(base);
}

static void
test_timeline_examples(void)
{
	char *h = slurp("models/prov/provision.h"),
	    *d = slurp("docs/provisioning.md"),
	    *eh = example(h, "timeline:", true),
	    *ed = example(d, "timeline:", false);

	CU_ASSERT_STRING_EQUAL(eh, ed);
	check_timeline(eh);
	check_timeline(ed);
	free(eh);
	free(ed);
	free(h);
	free(d);
}

static void
check_gates(const char *gates)
{
	static const char base[] = "duration: 3h\nnodes:\n"
	    "  - { name: r1, role: router }\n";
	char text[2048], *diag = NULL;
	unsigned n = 0;
	struct scenario *sc;

	snprintf(text, sizeof(text), "%s%s", base, gates);
	sc = load(text, &diag, &n);
	if (sc == NULL)
		fprintf(stderr, "%s\n", diag);
	CU_ASSERT_PTR_NOT_NULL(sc);
	CU_ASSERT_EQUAL(n, 0);
	scenario_free(sc);
	free(diag);
}

static void
test_gates_examples(void)
{
	char *h = slurp("models/gates/gates.h"), *d = slurp("docs/gates.md"),
	    *eh = example(h, "gates:", true), *ed = example(d, "gates:", false);

	check_gates(eh);
	check_gates(ed);
	free(eh);
	free(ed);
	free(h);
	free(d);
}

static const struct test_case cases[] = {
	{ "the timeline of provision.h and docs/provisioning.md works",
	    test_timeline_examples },
	{ "the gates of gates.h and docs/gates.md load",
	    test_gates_examples },
	{ NULL, NULL },
};

int
main(int argc, char **argv)
{
	scenario_models_init();
	return test_main(argc, argv, "provision_docs", cases);
}
