/*
 * provview.c - the provisioning states of a node as badges and panel rows
 * (see provview.h). The words are the trace's: nothing here knows a cloud
 * beyond which field names tell the most, and a field it does not know
 * still shows, ranked after the known ones.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "provview.h"
#include "scan.h"

/* Settled and failed values; anything else of a state field is on its way.
 * Wider than style_state_level's: a BGP session's Active is not settled,
 * but a virtual circuit's providerState ACTIVE is. */
static const char *const good_values[] = { "succeeded", "provisioned",
	"available", "running", "attached", "up", "active", "enabled",
	"established", "connected", "ok" };
static const char *const bad_values[] = { "failed", "down", "terminated",
	"notprovisioned", "deleted", "disabled", "idle", "closed",
	"admindown", "detached" };

/* A field that names a state rather than a quantity or a choice: "state"
 * in any case ("provisioningState", "bgpSessionState"), "status",
 * "lifecycle". */
static bool
is_state_field(const char *field)
{
	static const char *const words[] = { "state", "status", "lifecycle" };
	size_t i, j, n, w;

	if (field == NULL)
		return false;
	n = strlen(field);
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		w = strlen(words[i]);
		for (j = 0; j + w <= n; j++)
			if (strncasecmp(field + j, words[i], w) == 0)
				return true;
	}
	return false;
}

enum scan_level
provview_level(const char *field, const char *value)
{
	size_t i;

	if (value == NULL)
		return SL_INFO;
	for (i = 0; i < sizeof(good_values) / sizeof(good_values[0]); i++)
		if (strcasecmp(value, good_values[i]) == 0)
			return SL_GOOD;
	for (i = 0; i < sizeof(bad_values) / sizeof(bad_values[0]); i++)
		if (strcasecmp(value, bad_values[i]) == 0)
			return SL_BAD;
	/* on its way, or a bandwidth, a SKU: information */
	return is_state_field(field) ? SL_WARN : SL_INFO;
}

/* Known fields, most telling first, with their names on a badge. */
static const struct {
	const char *field, *shortname;
} ranked[] = {
	{ "serviceProviderProvisioningState", "SP" },
	{ "lifecycleState", "" },
	{ "provisioningState", "" },
	{ "state", "state" },
	{ "circuitProvisioningState", "circuit" },
	{ "providerState", "provider" },
	{ "bgpSessionState", "BGP" },
};
#define NRANKED (sizeof(ranked) / sizeof(ranked[0]))

int
provview_field_rank(const char *field)
{
	size_t i;

	if (!is_state_field(field))
		return -1;
	for (i = 0; i < NRANKED; i++)
		if (strcmp(field, ranked[i].field) == 0)
			/* BGP after any other state: it is shown beside */
			return strcmp(field, "bgpSessionState") == 0 ?
			    (int)NRANKED + 1 : (int)i;
	return (int)NRANKED;
}

const char *
provview_field_short(const char *field)
{
	size_t i;

	if (field == NULL)
		return "";
	for (i = 0; i < NRANKED; i++)
		if (strcmp(field, ranked[i].field) == 0)
			return ranked[i].shortname;
	return field;
}

const char *
provview_short_name(const char *resource)
{
	const char *s;

	if (resource == NULL)
		return "";
	s = strrchr(resource, '/');
	return s != NULL && s[1] != '\0' ? s + 1 : resource;
}

/* A resource on the node: its first entry, best field, BGP field. */
struct pv_res {
	size_t first, best, bgp;	/* indices in rp->prov; SIZE_MAX none */
	int level, order, rank;
	bool named;			/* named like the node */
	const char *name;
};

#define PV_MAX_RES 256

static void
append(char *b, size_t n, const char *fshort, const char *value)
{
	size_t l = strlen(b);

	if (l >= n)
		return;
	snprintf(b + l, n - l, "%s%s%s%s", l > 0 ? " " : "", fshort,
	    fshort[0] != '\0' ? " " : "", value);
}

static int
res_cmp(const struct pv_res *a, const struct pv_res *b)
{
	if (a->named != b->named)
		return a->named ? -1 : 1;
	if (a->level != b->level)
		return b->level - a->level;	/* worst first */
	if (a->rank != b->rank)
		return a->rank - b->rank;	/* the more telling field */
	return strcmp(a->name, b->name);
}

size_t
provview_badges(const struct replay *rp, uint32_t node,
    const char *nodename, struct pv_badge *out, size_t max, int *more,
    int *more_level)
{
	struct pv_res res[PV_MAX_RES], tmp;
	size_t nres = 0, i, j, n;

	*more = 0;
	*more_level = SL_INFO;
	for (i = 0; i < rp->nprov; i++) {
		const struct replay_prov *p = &rp->prov[i];
		int rank = provview_field_rank(p->field);
		struct pv_res *r = NULL;

		if (p->node != node || rank < 0)
			continue;
		for (j = 0; j < nres; j++)
			if (strcmp(rp->prov[res[j].first].resource,
			    p->resource) == 0) {
				r = &res[j];
				break;
			}
		if (r == NULL) {
			if (nres == PV_MAX_RES)
				continue;
			r = &res[nres];
			*r = (struct pv_res){ .first = i, .best = i,
				.bgp = SIZE_MAX, .order = (int)nres,
				.name = p->resource };
			nres++;
		} else if (rank < provview_field_rank(
		    rp->prov[r->best].field))
			r->best = i;
		if (strcmp(p->field, "bgpSessionState") == 0)
			r->bgp = i;
	}
	for (j = 0; j < nres; j++) {
		struct pv_res *r = &res[j];
		const struct replay_prov *b = &rp->prov[r->best];

		r->level = provview_level(b->field, b->state);
		r->rank = provview_field_rank(b->field);
		/* settled with its session down is what tells: a session
		 * down while the circuit is still on its way is expected */
		if (r->bgp != SIZE_MAX && r->bgp != r->best &&
		    r->level == SL_GOOD)
			r->level = provview_level("bgpSessionState",
			    rp->prov[r->bgp].state);
		r->named = nodename != NULL &&
		    strcmp(provview_short_name(b->resource), nodename) == 0;
	}
	/* insertion sort: a tile holds a handful */
	for (i = 1; i < nres; i++) {
		tmp = res[i];
		for (j = i; j > 0 && res_cmp(&tmp, &res[j - 1]) < 0; j--)
			res[j] = res[j - 1];
		res[j] = tmp;
	}
	n = nres < max ? nres : max;
	for (i = 0; i < n; i++) {
		const struct replay_prov *b = &rp->prov[res[i].best];

		snprintf(out[i].text, sizeof(out[i].text), "%s",
		    provview_short_name(b->resource));
		append(out[i].text, sizeof(out[i].text),
		    provview_field_short(b->field), b->state);
		if (res[i].bgp != SIZE_MAX && res[i].bgp != res[i].best) {
			size_t l = strlen(out[i].text);

			snprintf(out[i].text + l, sizeof(out[i].text) - l,
			    " \xc2\xb7 BGP %s", rp->prov[res[i].bgp].state);
		}
		out[i].level = res[i].level;
	}
	for (; i < nres; i++) {
		(*more)++;
		if (res[i].level > *more_level)
			*more_level = res[i].level;
	}
	return n;
}

/* The panel lists a session's state with the resource's own, after the
 * lifecycle: rank doubled, BGP between the second and the third. */
static int
panel_rank(const char *field)
{
	int r = provview_field_rank(field);

	if (r < 0)
		return r;
	return strcmp(field, "bgpSessionState") == 0 ? 3 : 2 * r;
}

static int
field_cmp(const void *a, const void *b)
{
	const struct pv_field *x = a, *y = b;
	int c = strcmp(x->resource, y->resource), rx, ry;

	if (c != 0)
		return c;
	rx = panel_rank(x->field);
	ry = panel_rank(y->field);
	/* state fields by rank, then the others */
	if (rx != ry)
		return rx < 0 ? 1 : ry < 0 ? -1 : rx - ry;
	return strcmp(x->field, y->field);
}

size_t
provview_fields(const struct replay *rp, uint32_t node,
    struct pv_field *out, size_t max)
{
	size_t i, n = 0;

	/* by resource name and field rank, not the records' order: a seek
	 * restates them in another order than playing gave them */
	for (i = 0; i < rp->nprov && n < max; i++) {
		const struct replay_prov *q = &rp->prov[i];

		if (q->node != node)
			continue;
		out[n++] = (struct pv_field){ .resource = q->resource,
			.field = q->field, .state = q->state,
			.since = q->since,
			.level = provview_level(q->field, q->state) };
	}
	qsort(out, n, sizeof(*out), field_cmp);
	for (i = 0; i < n; i++)
		out[i].first = i == 0 ||
		    strcmp(out[i].resource, out[i - 1].resource) != 0;
	return n;
}

void
provview_fmt_since(char *b, size_t n, sim_time t)
{
	long long ms = (long long)(t / 1000000);

	if (t >= 60 * (sim_time)1000000000)
		snprintf(b, n, "%lldm %02lld.%llds", ms / 60000,
		    ms / 1000 % 60, ms / 100 % 10);
	else
		snprintf(b, n, "%lld.%03llds", ms / 1000, ms % 1000);
}
