/*
 * emu_bgp_sockets.c - the `bgp_sockets` list of the `emulation` section
 * (emu_bgp_sockets.h): a socket host per named node, checked against the
 * host's addresses and privileges before anything runs.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bgp_scenario.h"
#include "emu_bgp_sockets.h"
#include "net.h"
#include "realtime.h"
#include "scenario_section.h"
#include "stream_sock.h"
#include "util.h"
#include "wire.h"

#define EMU_BGP_PORT 179

static const struct sc_field es_fields[] = {
	[EMU_BS_NODE] = { "node", SC_FT_NAME, SC_AT(struct emu_bs, node),
		.required = true,
		.doc = "the router whose BGP speaker uses real sockets (it "
		    "needs a bgp item)" },
	[EMU_BS_BIND] = { "bind", SC_FT_ADDR, SC_AT(struct emu_bs, bind),
		.required = true,
		.doc = "address of this host its sockets bind to: it listens "
		    "on bind:179 and connects from bind (give the host this "
		    "address first, e.g. on a veth to the peer's namespace)" },
	[EMU_BS_DEVICE] = { "device", SC_FT_STRING, SC_AT(struct emu_bs, device),
		.def_doc = "none",
		.doc = "put every socket on this device (SO_BINDTODEVICE, "
		    "e.g. a VRF device); the speaker's vrf is not used" },
};

const struct sc_table emu_bgp_sockets_table = {
	"bgp-socket", "A simulated BGP speaker on real TCP sockets of the "
	"host, for xcsim emulate (docs/emulation-bgp.md).",
	es_fields, SC_NFIELDS(es_fields), sizeof(struct emu_bs),
	offsetof(struct emu_bs, loc), offsetof(struct emu_bs, vloc),
	offsetof(struct emu_bs, keys), -1
};

void
emu_bgp_sockets_check(struct sc_check *ck, struct emu_bs *v, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		struct emu_bs *s = &v[i];

		s->ok = sc_names_lookup(ck, "node", s->node, s->vloc[EMU_BS_NODE],
		    &s->node_idx);
		for (j = 0; s->ok && j < i; j++) {
			if (!v[j].ok)
				continue;
			if (v[j].node_idx == s->node_idx) {
				sc_check_error(ck, s->vloc[EMU_BS_NODE], "node "
				    "'%s' is already in bgp_sockets (at %u:%u)",
				    s->node, v[j].loc.line, v[j].loc.col);
				s->ok = false;
			} else if (v[j].bind == s->bind) {
				sc_check_error(ck, s->vloc[EMU_BS_BIND], "bind "
				    "address taken by '%s' (at %u:%u): each "
				    "speaker listens on its own address:179",
				    v[j].node, v[j].loc.line, v[j].loc.col);
				s->ok = false;
			}
		}
		/*
		 * Sockets for a node with no speaker would be built and never
		 * used: the entry is a mistake (a typo, a bgp item removed).
		 */
		if (s->ok && !bgp_scenario_node_has_speaker(
		    sc_check_scenario(ck), s->node)) {
			sc_check_error(ck, s->vloc[EMU_BS_NODE], "node '%s' "
			    "has no bgp item: bgp_sockets puts a node's BGP "
			    "speaker on real sockets (add a bgp item for it, "
			    "or remove this entry)", s->node);
			s->ok = false;
		}
	}
}

/* The run's hosts, one per item. */
struct emu_bs_run {
	size_t n;
	struct node **node;
	struct stream_host **host;
};

void
emu_bgp_sockets_free(struct emu_bs_run *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->n; i++)
		stream_sock_host_free(r->host[i]);
	free(r->node);
	free(r->host);
	free(r);
}

static sim_time
rt_clock(void *ctx)
{
	return rt_now(ctx);
}

/*
 * By default real sockets listen only on loopback: a simulated router on a
 * routable address is reachable by whatever can reach the host, so that
 * takes the operator's --listen.
 */
static int
check_listen(const struct sc_build *b, const struct emu_bs *s, char *err,
    size_t errlen)
{
	char a[16];
	size_t i;

	if (b->listen_any || (s->bind >> 24) == 127)
		return 0;
	for (i = 0; i < b->n_listen; i++)
		if (b->listen[i] == s->bind)
			return 0;
	wire_ip_str(s->bind, a);
	snprintf(err, errlen, "bgp_sockets: node %s would listen on %s:179, "
	    "not a loopback address: xcsim emulate listens only on "
	    "127.0.0.0/8 unless told (--listen %s, or --listen any)",
	    s->node, a, a);
	return -1;
}

/*
 * Can this process listen on addr:179 (on the device)? Names what is
 * missing: the address on the host, the device, or the capability.
 */
static int
probe_bind(const struct emu_bs *s, char *err, size_t errlen)
{
	struct sockaddr_in sin;
	char a[16];
	int fd, one = 1, e = 0;

	wire_ip_str(s->bind, a);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, errlen, "bgp_sockets: socket: %s",
		    strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (s->device != NULL && setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE,
	    s->device, (socklen_t)strlen(s->device)) != 0) {
		e = errno;
		close(fd);
		if (e == EPERM)
			snprintf(err, errlen, "bgp_sockets: device %s for node "
			    "%s needs CAP_NET_RAW (SO_BINDTODEVICE; run xcsim "
			    "emulate as root)", s->device, s->node);
		else
			snprintf(err, errlen, "bgp_sockets: device %s for node "
			    "%s: %s", s->device, s->node, e == ENODEV ?
			    "no such device on this host" : strerror(e));
		return -1;
	}
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(s->bind);
	sin.sin_port = htons(EMU_BGP_PORT);
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0)
		e = errno;
	close(fd);
	if (e == 0)
		return 0;
	if (e == EADDRNOTAVAIL)
		snprintf(err, errlen, "bgp_sockets: %s (node %s) is not an "
		    "address of this host: add it first (e.g. ip addr add "
		    "%s/30 dev DEV)", a, s->node, a);
	else if (e == EACCES)
		snprintf(err, errlen, "bgp_sockets: binding %s:179 for node "
		    "%s needs CAP_NET_BIND_SERVICE (run xcsim emulate as "
		    "root, or setcap cap_net_bind_service+ep on it)", a,
		    s->node);
	else
		snprintf(err, errlen, "bgp_sockets: cannot bind %s:179 for "
		    "node %s: %s", a, s->node, strerror(e));
	return -1;
}

struct emu_bs_run *
emu_bgp_sockets_build(struct sc_build *b, const struct emu_bs *v, size_t n)
{
	struct stream_sock_cfg sc;
	struct emu_bs_run *r;
	size_t i;

	for (i = 0; i < n; i++)
		if (check_listen(b, &v[i], b->err, b->errlen) < 0 ||
		    probe_bind(&v[i], b->err, b->errlen) < 0)
			return NULL;
	r = xcalloc(1, sizeof(*r));
	r->node = xcalloc(n, sizeof(*r->node));
	r->host = xcalloc(n, sizeof(*r->host));
	for (i = 0; i < n; i++) {
		memset(&sc, 0, sizeof(sc));
		sc.bind_addr = v[i].bind;
		sc.bind_dev = v[i].device;
		r->node[i] = sc_build_node(b, v[i].node_idx);
		r->host[i] = stream_sock_host_new(b->sim, rt_loop(b->rt),
		    rt_clock, b->rt, &sc, b->err, b->errlen);
		if (r->host[i] == NULL) {
			emu_bgp_sockets_free(r);
			return NULL;
		}
		r->n = i + 1;
	}
	return r;
}

struct stream_host *
emu_bgp_sockets_host(const struct emu_bs_run *r, const struct node *n)
{
	size_t i;

	for (i = 0; r != NULL && i < r->n; i++)
		if (r->node[i] == n)
			return r->host[i];
	return NULL;
}

void
emu_bgp_sockets_json(const struct emu_bs_run *r, const struct emu_bs *v,
    bool first, FILE *f)
{
	char a[16];
	size_t i;

	for (i = 0; r != NULL && i < r->n; i++) {
		fprintf(f, "%s\n    {\"kind\":\"bgp_socket\",\"node\":",
		    first && i == 0 ? "" : ",");
		scenario_json_str(f, v[i].node);
		wire_ip_str(v[i].bind, a);
		fprintf(f, ",\"bind\":\"%s\",\"device\":", a);
		if (v[i].device != NULL)
			scenario_json_str(f, v[i].device);
		else
			fputs("null", f);
		fputc('}', f);
	}
}
