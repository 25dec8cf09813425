/*
 * emu_pcap.c - a host interface as the far end of a simulated link,
 * through libpcap (emu_pcap.h).
 */
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>

#include <ev.h>

#include "emu_pcap.h"
#include "emu_port.h"
#include "realtime.h"
#include "util.h"

#define PCAP_BATCH 256

struct emu_pcap {
	struct rt *rt;
	pcap_t *pc;
	struct emu_port *port;
	ev_io w;
	bool watching;
	char name[64];
};

static int
pcap_xmit(void *dev, const uint8_t *frame, size_t len)
{
	struct emu_pcap *p = dev;

	return pcap_inject(p->pc, frame, len) < 0 ? -1 : 0;
}

static void
on_frame(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct emu_pcap *p = (struct emu_pcap *)(void *)user;

	if (h->caplen == h->len)
		emu_port_input(p->port, bytes, h->caplen);
	else	/* a cut frame cannot be sent on (GRO: see the docs) */
		emu_port_cut(p->port);
}

static void
pcap_readable(struct ev_loop *loop, ev_io *w, int revents)
{
	struct emu_pcap *p = w->data;

	(void)revents;
	if (pcap_dispatch(p->pc, PCAP_BATCH, on_frame, (u_char *)p) < 0) {
		rt_fail(p->rt, "pcap on %s: %s", p->name, pcap_geterr(p->pc));
		ev_io_stop(loop, w);
		p->watching = false;
	}
}

/*
 * The kernel keeps what the port would drop anyway (promiscuous mode sees
 * the whole LAN): frames to the simulated next hop's MAC, and broadcast.
 */
static int
set_filter(struct emu_pcap *p, char *err, size_t errlen)
{
	struct bpf_program prog;
	uint8_t m[6];
	char expr[96];
	int rc;

	emu_port_peer_mac(p->port, m);
	snprintf(expr, sizeof(expr), "ether dst %02x:%02x:%02x:%02x:%02x:%02x "
	    "or ether broadcast", m[0], m[1], m[2], m[3], m[4], m[5]);
	if (pcap_compile(p->pc, &prog, expr, 1, PCAP_NETMASK_UNKNOWN) < 0) {
		sim_err(err, errlen, "pcap on %s: filter '%s': %s", p->name,
		    expr, pcap_geterr(p->pc));
		return -1;
	}
	rc = pcap_setfilter(p->pc, &prog);
	pcap_freecode(&prog);
	if (rc < 0) {
		sim_err(err, errlen, "pcap on %s: filter '%s': %s", p->name,
		    expr, pcap_geterr(p->pc));
		return -1;
	}
	return 0;
}

struct emu_pcap *
emu_pcap_open(struct rt *rt, struct node *n, uint32_t ifindex,
    const char *host_iface, char *err, size_t errlen)
{
	struct emu_pcap *p = xcalloc(1, sizeof(*p));
	char ebuf[PCAP_ERRBUF_SIZE];
	int fd, rc;

	p->rt = rt;
	snprintf(p->name, sizeof(p->name), "%s", host_iface);
	ebuf[0] = '\0';
	if ((p->pc = pcap_create(host_iface, ebuf)) == NULL) {
		sim_err(err, errlen, "pcap on %s: %s", host_iface, ebuf);
		free(p);
		return NULL;
	}
	pcap_set_snaplen(p->pc, 65535);
	pcap_set_promisc(p->pc, 1);
	pcap_set_immediate_mode(p->pc, 1);
	if ((rc = pcap_activate(p->pc)) < 0) {
		sim_err(err, errlen, "pcap on %s: %s%s", host_iface,
		    pcap_geterr(p->pc), rc == PCAP_ERROR_PERM_DENIED ?
		    " (capturing needs CAP_NET_RAW: run as root)" : "");
		goto fail;
	}
	if (pcap_datalink(p->pc) != DLT_EN10MB) {
		sim_err(err, errlen, "pcap on %s: not an Ethernet interface",
		    host_iface);
		goto fail;
	}
	/* what we inject must not come back as input */
	if (pcap_setdirection(p->pc, PCAP_D_IN) < 0 ||
	    pcap_setnonblock(p->pc, 1, ebuf) < 0 ||
	    (fd = pcap_get_selectable_fd(p->pc)) < 0) {
		sim_err(err, errlen, "pcap on %s: %s", host_iface,
		    pcap_geterr(p->pc));
		goto fail;
	}
	if ((p->port = emu_port_new(rt, n, ifindex, pcap_xmit, p, err,
	    errlen)) == NULL)
		goto fail;
	if (set_filter(p, err, errlen) < 0) {
		emu_port_free(p->port);
		goto fail;
	}
	ev_io_init(&p->w, pcap_readable, fd, EV_READ);
	p->w.data = p;
	ev_io_start(rt_loop(rt), &p->w);
	p->watching = true;
	return p;
fail:
	pcap_close(p->pc);
	free(p);
	return NULL;
}

void
emu_pcap_close(struct emu_pcap *p)
{
	if (p == NULL)
		return;
	if (p->watching)
		ev_io_stop(rt_loop(p->rt), &p->w);
	emu_port_free(p->port);
	pcap_close(p->pc);
	free(p);
}

const struct emu_port *
emu_pcap_port(const struct emu_pcap *p)
{
	return p->port;
}
