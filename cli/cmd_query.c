/*
 * cmd_query.c - xcsim routes: run a scenario to an instant and print a
 * routing table as Network Watcher's effective routes do (models/query).
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "query.h"
#include "scenario.h"
#include "scenario_run.h"
#include "units.h"
#include "util.h"
#include "wire.h"

#define ROUTES_USAGE "usage: xcsim routes [SCENARIO] --node NAME [--at TIME] " \
	"[--prefix P | --dst ADDR] [--json] [--seed N]"

static void
routes_usage(FILE *out)
{
	fputs(ROUTES_USAGE "\n\n"
	    "Runs SCENARIO (default: the built-in one) to TIME (default: its "
	    "end) and prints\nthe routing table NAME holds then: every "
	    "candidate route of every prefix, the\nActive one first, with "
	    "its source, preference, next hop and attributes (a BGP\nroute's "
	    "AS path, a cloud route's next hop type).\n\n"
	    "  --node NAME     a table: an alias (a VM NIC, a subnet, a route "
	    "table: see\n                  `aliases` in xcsim expand), "
	    "NODE/VRF, or NODE (its default VRF)\n"
	    "  --at TIME       the instant (e.g. 30s)\n"
	    "  --prefix P      only the routes of prefix P (a.b.c.d/len), and "
	    "why the Active\n                  one won\n"
	    "  --dst ADDR      the routes of the prefix ADDR matches "
	    "(longest prefix), and why\n"
	    "  --json          one JSON object\n"
	    "  --seed N        override the scenario's seed\n", out);
}

static bool
need(int i, int argc, char **argv)
{
	if (i + 1 < argc)
		return true;
	fprintf(stderr, "xcsim routes: %s needs a value\n", argv[i]);
	return false;
}

/* a.b.c.d/len with no host bits, or a.b.c.d (len 32 when want_len). */
static bool
parse_prefix(const char *s, bool want_len, uint32_t *a, unsigned *len)
{
	unsigned b[4], l = 32;
	char tail;
	int n;

	if (want_len)
		n = sscanf(s, "%u.%u.%u.%u/%u%c", &b[0], &b[1], &b[2], &b[3],
		    &l, &tail);
	else
		n = sscanf(s, "%u.%u.%u.%u%c", &b[0], &b[1], &b[2], &b[3],
		    &tail);
	if (n != (want_len ? 5 : 4) || b[0] > 255 || b[1] > 255 ||
	    b[2] > 255 || b[3] > 255 || l > 32)
		return false;
	*a = b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3];
	*len = l;
	return !want_len || l == 32 || (*a & (0xffffffffu >> l)) == 0;
}

int
cmd_routes(int argc, char **argv)
{
	const char *path = NULL, *name = NULL;
	struct run_opts o = { 0 };
	struct query_table t;
	struct scenario *sc;
	struct run *r;
	sim_time at = -1;
	uint32_t addr = 0;
	unsigned len = 33, nerr = 0;
	bool json = false, dst = false;
	char err[512];
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			routes_usage(stdout);
			return 0;
		} else if (strcmp(argv[i], "--node") == 0) {
			if (!need(i, argc, argv))
				return 2;
			name = argv[++i];
		} else if (strcmp(argv[i], "--at") == 0) {
			if (!need(i, argc, argv))
				return 2;
			if (units_parse_time(argv[++i], 0, &at, err,
			    sizeof(err)) < 0) {
				fprintf(stderr, "xcsim routes: --at: %s\n", err);
				return 2;
			}
		} else if (strcmp(argv[i], "--prefix") == 0 ||
		    strcmp(argv[i], "--dst") == 0) {
			dst = strcmp(argv[i], "--dst") == 0;
			if (!need(i, argc, argv))
				return 2;
			if (!parse_prefix(argv[++i], !dst, &addr, &len)) {
				fprintf(stderr, "xcsim routes: %s: expected %s\n",
				    argv[i - 1], dst ? "an address a.b.c.d" :
				    "a prefix a.b.c.d/len with no host bits");
				return 2;
			}
		} else if (strcmp(argv[i], "--json") == 0) {
			json = true;
		} else if (strcmp(argv[i], "--seed") == 0) {
			if (!need(i, argc, argv))
				return 2;
			if (!units_parse_uint(argv[++i], &o.seed)) {
				fprintf(stderr, "xcsim routes: --seed: not a "
				    "non-negative integer\n");
				return 2;
			}
			o.seed_set = true;
		} else if (argv[i][0] == '-' || path != NULL) {
			fprintf(stderr, ROUTES_USAGE "\n");
			return 2;
		} else {
			path = argv[i];
		}
	}
	if (name == NULL) {
		fprintf(stderr, "xcsim routes: --node NAME is required\n"
		    ROUTES_USAGE "\n");
		return 2;
	}
	if ((sc = cli_load(path, &nerr)) == NULL) {
		fprintf(stderr, "%s: %u error%s\n", path ? path :
		    CLI_DEFAULT_NAME, nerr, nerr == 1 ? "" : "s");
		return 2;
	}
	if (at >= 0 && sc->duration > 0 && at > sc->duration) {
		fprintf(stderr, "xcsim routes: --at is beyond the scenario's "
		    "duration\n");
		scenario_free(sc);
		return 2;
	}
	if ((r = run_new(sc, &o, err, sizeof(err))) == NULL) {
		fprintf(stderr, "xcsim routes: %s\n", err);
		scenario_free(sc);
		return 2;
	}
	if (at < 0)
		at = run_end_time(r);
	/* one call runs every event up to at (to the end when unbounded) */
	run_advance(r, at);
	if (query_resolve(run_net(r), sc, name, &t, err, sizeof(err)) < 0) {
		fprintf(stderr, "xcsim routes: %s\n", err);
		run_free(r);
		scenario_free(sc);
		return 2;
	}
	if (dst && !query_lookup(&t, addr, &addr, &len)) {
		char a[16];

		fprintf(stderr, "xcsim routes: %s has no route to %s\n",
		    t.label, wire_ip_str(addr, a));
		run_free(r);
		scenario_free(sc);
		return 1;
	}
	query_routes(stdout, &t, addr, len, json);
	run_free(r);
	scenario_free(sc);
	return fflush(stdout) == 0 ? 0 : 2;
}
