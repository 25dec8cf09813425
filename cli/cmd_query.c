/*
 * cmd_query.c - xcsim routes, xcsim path and xcsim bgp: run a scenario to
 * an instant, then print a routing table as Network Watcher's effective
 * routes do, the hops of a packet with the route and the filter verdict at
 * each, as its IP flow verify and OCI's Network Path Analyzer do, or a BGP
 * speaker's table, neighbours and ARP entries as a router shows them
 * (models/query).
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "net.h"
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

bool
cli_need(int i, int argc, char **argv)
{
	if (i + 1 < argc)
		return true;
	/* argv[0] is the subcommand's name */
	fprintf(stderr, "xcsim %s: %s needs a value\n", argv[0], argv[i]);
	return false;
}

/*
 * argv[*i] if it is one of the common options or the scenario: 1 (taken,
 * *i past its value), 0 (not one: the caller's, or unknown), -1 after
 * saying why it is wrong. usage is printed for a second scenario.
 */
int
cli_query_opt(int argc, char **argv, int *i, struct cli_query *c,
    const char *usage)
{
	const char *a = argv[*i];
	char err[256];

	if (strcmp(a, "--at") == 0) {
		if (!cli_need(*i, argc, argv))
			return -1;
		if (units_parse_time(argv[++*i], 0, &c->at, err,
		    sizeof(err)) < 0) {
			fprintf(stderr, "xcsim %s: --at: %s\n", argv[0], err);
			return -1;
		}
		return 1;
	}
	if (strcmp(a, "--json") == 0) {
		c->json = true;
		return 1;
	}
	if (strcmp(a, "--seed") == 0) {
		if (!cli_need(*i, argc, argv))
			return -1;
		if (!units_parse_uint(argv[++*i], &c->o.seed)) {
			fprintf(stderr, "xcsim %s: --seed: not a non-negative "
			    "integer\n", argv[0]);
			return -1;
		}
		c->o.seed_set = true;
		return 1;
	}
	if (a[0] == '-')
		return 0;
	if (c->path != NULL) {
		fprintf(stderr, "%s\n", usage);
		return -1;
	}
	c->path = a;
	return 1;
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

/* Load path and run it to at (< 0: its end); NULL after saying why. */
struct run *
cli_query_start(const char *cmd, const char *path, sim_time at,
    const struct run_opts *o, struct scenario **scp)
{
	struct scenario *sc;
	struct run *r;
	unsigned nerr = 0;
	char err[512];

	if ((sc = cli_load(path, o, &nerr)) == NULL) {
		fprintf(stderr, "%s: %u error%s\n", path ? path :
		    CLI_DEFAULT_NAME, nerr, nerr == 1 ? "" : "s");
		return NULL;
	}
	if (at >= 0 && sc->duration > 0 && at > sc->duration) {
		fprintf(stderr, "xcsim %s: --at is beyond the scenario's "
		    "duration\n", cmd);
		scenario_free(sc);
		return NULL;
	}
	if ((r = run_new(sc, o, err, sizeof(err))) == NULL) {
		fprintf(stderr, "xcsim %s: %s\n", cmd, err);
		scenario_free(sc);
		return NULL;
	}
	/* one call runs every event up to at (to the end when unbounded) */
	run_advance(r, at < 0 ? run_end_time(r) : at);
	*scp = sc;
	return r;
}

int
cmd_routes(int argc, char **argv)
{
	const char *name = NULL;
	struct cli_query c = { .at = -1 };
	struct query_table t;
	struct scenario *sc;
	struct run *r;
	uint32_t addr = 0;
	unsigned len = 33;
	bool dst = false;
	char err[512];
	int i, k;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			routes_usage(stdout);
			return 0;
		} else if (strcmp(argv[i], "--node") == 0) {
			if (!cli_need(i, argc, argv))
				return 2;
			name = argv[++i];
		} else if (strcmp(argv[i], "--prefix") == 0 ||
		    strcmp(argv[i], "--dst") == 0) {
			dst = strcmp(argv[i], "--dst") == 0;
			if (!cli_need(i, argc, argv))
				return 2;
			if (!parse_prefix(argv[++i], !dst, &addr, &len)) {
				fprintf(stderr, "xcsim routes: %s: expected %s\n",
				    argv[i - 1], dst ? "an address a.b.c.d" :
				    "a prefix a.b.c.d/len with no host bits");
				return 2;
			}
		} else if ((k = cli_query_opt(argc, argv, &i, &c, ROUTES_USAGE)) < 0) {
			return 2;
		} else if (k == 0) {
			fprintf(stderr, "xcsim %s: unknown option '%s'\n%s\n",
			    argv[0], argv[i], ROUTES_USAGE);
			return 2;
		}
	}
	if (name == NULL) {
		fprintf(stderr, "xcsim routes: --node NAME is required\n"
		    ROUTES_USAGE "\n");
		return 2;
	}
	if ((r = cli_query_start("routes", c.path, c.at, &c.o, &sc)) == NULL)
		return 2;
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
	if ((query_routes(stdout, &t, addr, len, c.json) == 0 ||
	    query_why_pending(r, sc, &t.node, 1)) && !c.json)
		query_why(stdout, r, sc, &t.node, 1);
	run_free(r);
	scenario_free(sc);
	return fflush(stdout) == 0 ? 0 : 2;
}

#define PATH_USAGE "usage: xcsim path [SCENARIO] --from NODE --to NODE|ADDR " \
	"[--proto tcp|udp|icmp] [--port N] [--sport N] [--at TIME] [--json] " \
	"[--seed N]"

static void
path_usage(FILE *out)
{
	fputs(PATH_USAGE "\n\n"
	    "Runs SCENARIO (default: the built-in one) to TIME (default: its "
	    "end), then\nfollows a packet from NODE to its destination hop by "
	    "hop, without sending it:\nat each node the interface it comes in "
	    "by and the filter verdict there (an\nNSG or security list rule "
	    "by name and priority), the route it takes, the\ninterface it "
	    "leaves by and the verdict there; then the reply's way back,\n"
	    "where a stateful filter lets it through as the reply of a tracked "
	    "flow.\nExit 0 when both ways arrive, 1 when either is dropped.\n\n"
	    "  --from NODE     where the packet starts (its address: the "
	    "source for --to)\n"
	    "  --to NODE|ADDR  its destination (a node: its first address)\n"
	    "  --proto P       tcp (default), udp or icmp (an echo request)\n"
	    "  --port N        destination port (default 1521)\n"
	    "  --sport N       source port (default 49152)\n"
	    "  --at TIME       the instant (e.g. 30s)\n"
	    "  --json          one JSON object\n"
	    "  --seed N        override the scenario's seed\n", out);
}

static bool
port_arg(const char *s, uint16_t *out)
{
	uint64_t v;

	if (!units_parse_uint(s, &v) || v > 65535)
		return false;
	*out = (uint16_t)v;
	return true;
}

int
cmd_path(int argc, char **argv)
{
	const char *from = NULL, *to = NULL;
	struct query_probe p = { .proto = WIRE_IPPROTO_TCP, .sport = 49152,
	    .dport = 1521 };
	struct cli_query c = { .at = -1 };
	struct scenario *sc;
	struct node *fn, *tn;
	struct run *r;
	unsigned len;
	int i, k, rc;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			path_usage(stdout);
			return 0;
		} else if (strcmp(argv[i], "--from") == 0 ||
		    strcmp(argv[i], "--to") == 0) {
			if (!cli_need(i, argc, argv))
				return 2;
			if (argv[i][2] == 'f')
				from = argv[++i];
			else
				to = argv[++i];
		} else if (strcmp(argv[i], "--proto") == 0) {
			if (!cli_need(i, argc, argv))
				return 2;
			i++;
			if (strcmp(argv[i], "tcp") == 0) {
				p.proto = WIRE_IPPROTO_TCP;
			} else if (strcmp(argv[i], "udp") == 0) {
				p.proto = WIRE_IPPROTO_UDP;
			} else if (strcmp(argv[i], "icmp") == 0) {
				p.proto = WIRE_IPPROTO_ICMP;
				p.dport = 0;
			} else {
				fprintf(stderr, "xcsim path: --proto: tcp, udp "
				    "or icmp\n");
				return 2;
			}
		} else if (strcmp(argv[i], "--port") == 0 ||
		    strcmp(argv[i], "--sport") == 0) {
			if (!cli_need(i, argc, argv))
				return 2;
			if (!port_arg(argv[i + 1], argv[i][2] == 'p' ?
			    &p.dport : &p.sport)) {
				fprintf(stderr, "xcsim path: %s: a port, "
				    "0..65535\n", argv[i]);
				return 2;
			}
			i++;
		} else if ((k = cli_query_opt(argc, argv, &i, &c, PATH_USAGE)) < 0) {
			return 2;
		} else if (k == 0) {
			fprintf(stderr, "xcsim %s: unknown option '%s'\n%s\n",
			    argv[0], argv[i], PATH_USAGE);
			return 2;
		}
	}
	if (from == NULL || to == NULL) {
		fprintf(stderr, "xcsim path: --from and --to are required\n"
		    PATH_USAGE "\n");
		return 2;
	}
	if ((r = cli_query_start("path", c.path, c.at, &c.o, &sc)) == NULL)
		return 2;
	rc = 2;
	if ((fn = net_find_node(run_net(r), from)) == NULL) {
		fprintf(stderr, "xcsim path: no node '%s'\n", from);
	} else if ((tn = net_find_node(run_net(r), to)) != NULL &&
	    (p.dst = query_node_addr(tn)) == 0) {
		fprintf(stderr, "xcsim path: node '%s' has no address\n", to);
	} else if (tn == NULL && !parse_prefix(to, false, &p.dst, &len)) {
		fprintf(stderr, "xcsim path: --to '%s': no such node, and not "
		    "an address\n", to);
	} else {
		rc = query_path(stdout, r, fn, &p, c.json);
		if (rc == 1 && !c.json) {
			struct node *ns[64];
			size_t nn = query_path_nodes(r, fn, &p, ns, 64);

			query_why(stdout, r, sc, ns, nn);
		}
		if (fflush(stdout) != 0)
			rc = 2;
	}
	run_free(r);
	scenario_free(sc);
	return rc;
}

#define BGP_USAGE "usage: xcsim bgp [SCENARIO] --node NAME [--at TIME] " \
	"[--table] [--summary] [--arp] [--json] [--seed N]"

static void
bgp_usage(FILE *out)
{
	fputs(BGP_USAGE "\n\n"
	    "Runs SCENARIO (default: the built-in one) to TIME (default: its "
	    "end) and prints\nwhat the BGP speaker on NAME holds then, as a "
	    "router's show commands do:\nthe best routes (Network, NextHop, "
	    "LocPrf, Weight, Path), the neighbours\n(Neighbor, V, AS, "
	    "MsgRcvd, MsgSent, Up/Down, State/PfxRcd) and the ARP entries\n"
	    "of the directly connected ones (Age, Interface, IP address, MAC "
	    "address).\nWithout --table, --summary or --arp: all three.\n\n"
	    "  --node NAME     the speaker's node: NODE, NODE/VRF or an alias "
	    "(see `aliases`)\n"
	    "  --at TIME       the instant (e.g. 30s)\n"
	    "  --table         the route table\n"
	    "  --summary       the route summary\n"
	    "  --arp           the ARP table\n"
	    "  --json          one JSON object\n"
	    "  --seed N        override the scenario's seed\n", out);
}

int
cmd_bgp(int argc, char **argv)
{
	const char *name = NULL;
	struct cli_query c = { .at = -1 };
	struct query_table t;
	struct scenario *sc;
	struct run *r;
	unsigned what = 0;
	char err[512];
	int i, k, rc;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			bgp_usage(stdout);
			return 0;
		} else if (strcmp(argv[i], "--node") == 0) {
			if (!cli_need(i, argc, argv))
				return 2;
			name = argv[++i];
		} else if (strcmp(argv[i], "--table") == 0) {
			what |= QUERY_BGP_TABLE;
		} else if (strcmp(argv[i], "--summary") == 0) {
			what |= QUERY_BGP_SUMMARY;
		} else if (strcmp(argv[i], "--arp") == 0) {
			what |= QUERY_BGP_ARP;
		} else if ((k = cli_query_opt(argc, argv, &i, &c, BGP_USAGE)) < 0) {
			return 2;
		} else if (k == 0) {
			fprintf(stderr, "xcsim %s: unknown option '%s'\n%s\n",
			    argv[0], argv[i], BGP_USAGE);
			return 2;
		}
	}
	if (name == NULL) {
		fprintf(stderr, "xcsim bgp: --node NAME is required\n"
		    BGP_USAGE "\n");
		return 2;
	}
	if ((r = cli_query_start("bgp", c.path, c.at, &c.o, &sc)) == NULL)
		return 2;
	rc = 2;
	if (query_resolve(run_net(r), sc, name, &t, err, sizeof(err)) < 0 ||
	    query_bgp(stdout, r, &t, what != 0 ? what : QUERY_BGP_ALL, c.json,
	    err, sizeof(err)) < 0)
		fprintf(stderr, "xcsim bgp: %s\n", err);
	else
		rc = fflush(stdout) == 0 ? 0 : 2;
	run_free(r);
	scenario_free(sc);
	return rc;
}
