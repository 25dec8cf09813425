/*
 * emu_tap.c - a TAP device as the far end of a simulated link, and the
 * network namespace it may live in (emu_tap.h).
 *
 * The device is made and configured from inside its namespace: xcsim's
 * one thread joins it (setns) for the few calls, then returns to its own.
 * A TAP's descriptor works from any namespace once made. The host side is
 * configured with the classic ioctls (address, netmask, MAC, MTU, flags,
 * SIOCADDRT), which need no netlink and no iproute2.
 */
#define _GNU_SOURCE		/* setns, unshare, CLONE_NEWNET */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <net/route.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>
#include <linux/if_tun.h>
#include <linux/virtio_net.h>

#include <ev.h>

#include "emu_cleanup.h"
#include "emu_port.h"
#include "emu_tap.h"
#include "net.h"
#include "realtime.h"
#include "util.h"

struct emu_tap;

struct tap_q {
	struct emu_tap *t;
	int fd;
	ev_io w;
};

struct emu_tap {
	struct rt *rt;
	struct emu_port *port;
	char name[IFNAMSIZ];
	bool vnet_hdr;
	unsigned nq;
	struct tap_q q[EMU_TAP_QUEUES_MAX];
	uint8_t *buf;		/* one read */
};

#define TAP_BUF (sizeof(struct virtio_net_hdr) + 65536u)

int
emu_netns_new(struct emu_cleanup *c, const char *label, pid_t *pid, int *fd,
    char *err, size_t errlen)
{
	pid_t parent = getpid(), p;
	int pfd[2], e = 0, k = 0;
	char path[64];
	ssize_t n;

	if (pipe2(pfd, O_CLOEXEC) < 0)
		return sim_err(err, errlen, "pipe: %s", strerror(errno));
	if ((p = fork()) < 0) {
		e = errno;
		close(pfd[0]);
		close(pfd[1]);
		return sim_err(err, errlen, "fork: %s", strerror(e));
	}
	if (p == 0) {
		/* the holder: no descriptor of xcsim's (a TAP!) stays open */
		emu_child_init(parent);
		if (pfd[1] > 3)
			k = close_range(3, (unsigned)pfd[1] - 1, 0);
		if (close_range((unsigned)pfd[1] + 1, ~0u, 0) < 0 || k < 0)
			for (k = 3; k < 65536; k++)	/* an old kernel */
				if (k != pfd[1])
					close(k);
		e = unshare(CLONE_NEWNET) < 0 ? errno : 0;
		if (write(pfd[1], &e, sizeof(e)) != (ssize_t)sizeof(e))
			_exit(1);
		close(pfd[1]);
		if (e != 0)
			_exit(1);
		for (;;)
			pause();
	}
	close(pfd[1]);
	/* a signal (SIGCHLD of another child) must not lose the answer */
	do
		n = read(pfd[0], &e, sizeof(e));
	while (n < 0 && errno == EINTR);
	close(pfd[0]);
	emu_cleanup_add_child(c, p, label);
	if (n != (ssize_t)sizeof(e) || e != 0) {
		if (e == EPERM)
			return sim_err(err, errlen, "%s: a network namespace "
			    "needs CAP_SYS_ADMIN (run as root)", label);
		return sim_err(err, errlen, "%s: unshare(CLONE_NEWNET): %s",
		    label, n == (ssize_t)sizeof(e) ? strerror(e) :
		    "the holder died");
	}
	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)p);
	if ((*fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return sim_err(err, errlen, "%s: %s", path, strerror(errno));
	*pid = p;
	return 0;
}

/* --- the device ------------------------------------------------------ */

static int
tap_xmit(void *dev, const uint8_t *frame, size_t len)
{
	struct emu_tap *t = dev;
	/* the simulation's checksums are right: the host need not check */
	struct virtio_net_hdr h = { .flags = VIRTIO_NET_HDR_F_DATA_VALID };
	struct iovec iov[2] = { { &h, sizeof(h) }, { (void *)(uintptr_t)frame, len } };

	if (t->vnet_hdr)
		return writev(t->q[0].fd, iov, 2) < 0 ? -1 : 0;
	return write(t->q[0].fd, frame, len) < 0 ? -1 : 0;
}

static void
tap_readable(struct ev_loop *loop, ev_io *w, int revents)
{
	struct tap_q *q = w->data;
	struct emu_tap *t = q->t;
	size_t hl = t->vnet_hdr ? sizeof(struct virtio_net_hdr) : 0;
	int i;

	(void)loop;
	(void)revents;
	for (i = 0; i < EMU_TAP_BATCH; i++) {
		ssize_t n = read(q->fd, t->buf, TAP_BUF);

		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return;
			rt_fail(t->rt, "TAP %s: read: %s", t->name,
			    strerror(errno));
			ev_io_stop(loop, w);
			return;
		}
		if ((size_t)n <= hl)
			continue;
		emu_port_input(t->port, t->buf + hl, (size_t)n - hl);
	}
}

static void
set_addr(struct sockaddr *sa, uint32_t a)
{
	struct sockaddr_in *in = (struct sockaddr_in *)sa;

	memset(in, 0, sizeof(*in));
	in->sin_family = AF_INET;
	in->sin_addr.s_addr = htonl(a);
}

static uint32_t
plen_mask(uint8_t plen)
{
	return plen == 0 ? 0 : 0xffffffffu << (32 - plen);
}

static int
if_up(int s, const char *name, char *err, size_t errlen)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
	if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
		return sim_err(err, errlen, "%s: SIOCGIFFLAGS: %s", name,
		    strerror(errno));
	ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
	if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0)
		return sim_err(err, errlen, "%s: bringing it up: %s", name,
		    strerror(errno));
	return 0;
}

/* The host side of the device, from inside its namespace. */
static int
configure(struct emu_tap *t, const struct emu_tap_cfg *cfg, bool own_ns,
    char *err, size_t errlen)
{
	struct ifreq ifr;
	char path[128];
	size_t i;
	int s, fd, rc = -1;

	if ((s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0)
		return sim_err(err, errlen, "socket: %s", strerror(errno));
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", t->name);
	ifr.ifr_hwaddr.sa_family = ARPHRD_ETHER;
	emu_port_mac(t->port, (uint8_t *)ifr.ifr_hwaddr.sa_data);
	if (ioctl(s, SIOCSIFHWADDR, &ifr) < 0) {
		sim_err(err, errlen, "%s: setting its MAC: %s", t->name,
		    strerror(errno));
		goto out;
	}
	ifr.ifr_mtu = (int)emu_port_mtu(t->port);
	if (ioctl(s, SIOCSIFMTU, &ifr) < 0) {
		sim_err(err, errlen, "%s: setting its MTU to %d: %s", t->name,
		    ifr.ifr_mtu, strerror(errno));
		goto out;
	}
	/* IPv4 only: no router solicitations or MLD reports to count */
	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/disable_ipv6",
	    t->name);
	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) >= 0) {
		if (write(fd, "1", 1) != 1)
			(void)0;	/* no IPv6 at all: just as well */
		close(fd);
	}
	if (cfg->addr != 0) {
		set_addr(&ifr.ifr_addr, cfg->addr);
		if (ioctl(s, SIOCSIFADDR, &ifr) < 0) {
			sim_err(err, errlen, "%s: setting its address: %s",
			    t->name, strerror(errno));
			goto out;
		}
		set_addr(&ifr.ifr_netmask, plen_mask(cfg->plen));
		if (ioctl(s, SIOCSIFNETMASK, &ifr) < 0) {
			sim_err(err, errlen, "%s: setting its netmask: %s",
			    t->name, strerror(errno));
			goto out;
		}
	}
	if (if_up(s, t->name, err, errlen) < 0 ||
	    (own_ns && if_up(s, "lo", err, errlen) < 0))
		goto out;
	for (i = 0; i < cfg->n_routes; i++) {
		const struct emu_tap_route *r = &cfg->routes[i];
		struct rtentry re;

		memset(&re, 0, sizeof(re));
		set_addr(&re.rt_dst, r->prefix);
		set_addr(&re.rt_genmask, plen_mask(r->plen));
		re.rt_flags = RTF_UP;
		if (r->plen == 32)
			re.rt_flags |= RTF_HOST;
		if (r->via != 0) {
			set_addr(&re.rt_gateway, r->via);
			re.rt_flags |= RTF_GATEWAY;
		}
		re.rt_dev = t->name;
		if (ioctl(s, SIOCADDRT, &re) < 0 && errno != EEXIST) {
			sim_err(err, errlen, "%s: adding route %u.%u.%u.%u/%u: "
			    "%s", t->name, r->prefix >> 24,
			    (r->prefix >> 16) & 255, (r->prefix >> 8) & 255,
			    r->prefix & 255, r->plen, strerror(errno));
			goto out;
		}
	}
	rc = 0;
out:
	close(s);
	return rc;
}

static int
open_queues(struct emu_tap *t, const struct emu_tap_cfg *cfg, char *err,
    size_t errlen)
{
	struct ifreq ifr;
	unsigned i;

	for (i = 0; i < t->nq; i++) {
		int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);

		if (fd < 0)
			return sim_err(err, errlen, "/dev/net/tun: %s%s",
			    strerror(errno), errno == ENOENT ? " (modprobe "
			    "tun)" : errno == EACCES || errno == EPERM ?
			    " (making a TAP device needs access to it and "
			    "CAP_NET_ADMIN: run as root)" : "");
		t->q[i].fd = fd;
		memset(&ifr, 0, sizeof(ifr));
		snprintf(ifr.ifr_name, IFNAMSIZ, "%s", cfg->device);
		ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
		if (cfg->vnet_hdr)
			ifr.ifr_flags |= IFF_VNET_HDR;
		if (t->nq > 1)
			ifr.ifr_flags |= IFF_MULTI_QUEUE;
		/*
		 * The first queue makes the device, never attaches to one
		 * that exists (a persistent TAP of someone else's would be
		 * taken over, and closed under them); the others attach to
		 * it.
		 */
		if (i == 0)
			ifr.ifr_flags |= IFF_TUN_EXCL;
		if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
			int e = errno;

			return sim_err(err, errlen, "TAP %s: %s%s", cfg->device,
			    strerror(e), e == EPERM ? " (a TAP device needs "
			    "CAP_NET_ADMIN: run as root)" : e == EBUSY ?
			    " (the name is taken: xcsim makes its own device "
			    "and never takes an existing one)" : e == EINVAL ?
			    " (a device of that name is not a TAP of these "
			    "flags)" : "");
		}
		if (cfg->vnet_hdr && ioctl(fd, TUNSETOFFLOAD, 0) < 0)
			return sim_err(err, errlen, "TAP %s: TUNSETOFFLOAD: %s",
			    cfg->device, strerror(errno));
		snprintf(t->name, sizeof(t->name), "%s", ifr.ifr_name);
	}
	return 0;
}

struct emu_tap *
emu_tap_open(struct rt *rt, struct node *n, uint32_t ifindex,
    const struct emu_tap_cfg *cfg, char *err, size_t errlen)
{
	struct emu_tap *t;
	int saved = -1, rc;
	unsigned i;

	if (cfg->device == NULL || strlen(cfg->device) >= IFNAMSIZ) {
		sim_err(err, errlen, "a TAP device name has 1 to %d bytes",
		    IFNAMSIZ - 1);
		return NULL;
	}
	t = xcalloc(1, sizeof(*t));
	t->rt = rt;
	t->vnet_hdr = cfg->vnet_hdr;
	t->nq = cfg->queues == 0 ? 1 : cfg->queues;
	if (t->nq > EMU_TAP_QUEUES_MAX)
		t->nq = EMU_TAP_QUEUES_MAX;
	for (i = 0; i < EMU_TAP_QUEUES_MAX; i++)
		t->q[i].fd = -1;
	t->buf = xmalloc(TAP_BUF);
	if ((t->port = emu_port_new(rt, n, ifindex, tap_xmit, t, err,
	    errlen)) == NULL) {
		emu_tap_close(t);
		return NULL;
	}
	if (cfg->netns_fd >= 0) {
		if ((saved = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC)) <
		    0 || setns(cfg->netns_fd, CLONE_NEWNET) < 0) {
			sim_err(err, errlen, "joining the namespace of TAP %s: "
			    "%s", cfg->device, strerror(errno));
			if (saved >= 0)
				close(saved);
			emu_tap_close(t);
			return NULL;
		}
	}
	rc = open_queues(t, cfg, err, errlen);
	if (rc == 0)
		rc = configure(t, cfg, cfg->netns_fd >= 0, err, errlen);
	if (saved >= 0) {
		/* back home, whatever happened: the rest of xcsim lives here */
		SIM_ASSERT(setns(saved, CLONE_NEWNET) == 0,
		    "returning to xcsim's network namespace: %s",
		    strerror(errno));
		close(saved);
	}
	if (rc < 0) {
		emu_tap_close(t);
		return NULL;
	}
	for (i = 0; i < t->nq; i++) {
		t->q[i].t = t;
		ev_io_init(&t->q[i].w, tap_readable, t->q[i].fd, EV_READ);
		t->q[i].w.data = &t->q[i];
		ev_io_start(rt_loop(rt), &t->q[i].w);
	}
	return t;
}

void
emu_tap_close(struct emu_tap *t)
{
	unsigned i;

	if (t == NULL)
		return;
	for (i = 0; i < EMU_TAP_QUEUES_MAX; i++) {
		if (t->q[i].fd < 0)
			continue;
		if (t->q[i].t != NULL)
			ev_io_stop(rt_loop(t->rt), &t->q[i].w);
		close(t->q[i].fd);
	}
	emu_port_free(t->port);
	free(t->buf);
	free(t);
}

const struct emu_port *
emu_tap_port(const struct emu_tap *t)
{
	return t->port;
}

const char *
emu_tap_name(const struct emu_tap *t)
{
	return t->name;
}
