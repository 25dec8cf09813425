/*
 * fuzz_bfd.c - libFuzzer target for BFD: the Control packet decoder and a
 * live session's receive path.
 *
 * The whole input is first decoded as one control packet; one that passes
 * the checks must encode back to the same 24 bytes. Then two nodes a
 * (10.0.0.1) and b (10.0.0.2) on one link run MSEE-timed sessions up to
 * Up, and the input becomes a list of records, each a UDP datagram a sends
 * to b's port 3784 (with discriminators patched in so that they reach the
 * session) or an operation on a session (AdminDown, AdminUp, new timers,
 * the link down or up), followed by a fuzzed gap of simulated time. At the
 * end the simulation runs on for 5 s to fire every timer. The target
 * checks that nothing crashes, reads out of bounds or leaks (ASan,
 * LeakSanitizer) and that no packet is left allocated.
 *
 * Record: op, gap, then for op 0-3 a length byte and that many payload
 * bytes (at most 64). op bits 0-1: 0 datagram as is, 1 your discriminator
 * = b's, 2 also my discriminator = a's, 3 like 2 with TTL 254; op 4: b
 * AdminDown, 5: b AdminUp, 6: a's timers from the next 3 bytes (tx and rx
 * in ms, mult), 7: toggle the link. gap: ms of simulated time.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bfd.h"
#include "net.h"
#include "pkt.h"
#include "sim.h"
#include "util.h"
#include "wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ADDR_A ((10u << 24) | 1)
#define ADDR_B ((10u << 24) | 2)
#define MAX_RECS 64
#define MAX_PAYLOAD 64

struct world {
	struct sim *sim;
	struct net *net;
	struct bfd *bfd;
	struct node *a, *b;
	struct link *l;
	struct bfd_session *sa, *sb;
};

static void
check_decoder(const uint8_t *data, size_t size)
{
	struct bfd_ctl c, d;
	uint8_t out[BFD_HDR_LEN];

	if (bfd_pkt_decode(data, size, &c) != BFD_RX_OK)
		return;
	bfd_pkt_encode(&c, out);
	if (memcmp(out, data, BFD_HDR_LEN) != 0)
		abort();
	/* alone, the section decodes again unless it promised more */
	if (bfd_pkt_decode(out, BFD_HDR_LEN, &d) != (c.length > BFD_HDR_LEN ?
	    BFD_RX_LEN_PAYLOAD : BFD_RX_OK))
		abort();
	if (c.length == BFD_HDR_LEN && memcmp(&c, &d, sizeof(c)) != 0)
		abort();
}

static void
world_build(struct world *w)
{
	struct link_params p;
	uint32_t ia, ib;
	char err[128];

	memset(w, 0, sizeof(*w));
	w->sim = sim_new(1);
	w->net = net_new(w->sim);
	w->a = net_add_node(w->net, "a", "router", NULL, NULL);
	w->b = net_add_node(w->net, "b", "router", NULL, NULL);
	ia = node_add_iface(w->a, "eth0", NULL, ADDR_A, 24, VRF_DEFAULT);
	ib = node_add_iface(w->b, "eth0", NULL, ADDR_B, 24, VRF_DEFAULT);
	memset(&p, 0, sizeof(p));
	p.dir[0].rate_bps = p.dir[1].rate_bps = 1000000000ull;
	p.dir[0].delay = p.dir[1].delay = SIM_MS(1);
	p.mtu = 1500;
	w->l = net_add_link(w->net, "ab", w->a, ia, w->b, ib, &p);
	w->bfd = bfd_new(w->net);
	w->sa = bfd_session_add(w->bfd, w->a, VRF_DEFAULT, 0, ADDR_B,
	    &bfd_msee_cfg, NULL, NULL, err, sizeof(err));
	w->sb = bfd_session_add(w->bfd, w->b, VRF_DEFAULT, 0, ADDR_A,
	    &bfd_msee_cfg, NULL, NULL, err, sizeof(err));
	if (w->sa == NULL || w->sb == NULL)
		abort();
	sim_run_until(w->sim, SIM_MS(500));
	if (bfd_session_state(w->sb) != BFD_UP)
		abort();
}

static void
send_dgram(struct world *w, uint8_t op, const uint8_t *d, size_t n)
{
	uint8_t buf[MAX_PAYLOAD];
	struct udp_hdr udp;
	struct pkt *p;

	memcpy(buf, d, n);
	if ((op & 3) >= 1 && n >= 12)
		put_be32(buf + 8, bfd_session_local_disc(w->sb));
	if ((op & 3) >= 2 && n >= 8)
		put_be32(buf + 4, bfd_session_local_disc(w->sa));
	p = pkt_alloc(w->sim, (uint32_t)n);
	memcpy(p->data, buf, n);
	memset(&udp, 0, sizeof(udp));
	udp.sport = bfd_session_sport(w->sa);
	udp.dport = BFD_PORT;
	wire_push_udp(w->sim, p, &udp, ADDR_A, ADDR_B);
	node_send_ip(w->a, VRF_DEFAULT, p, ADDR_A, ADDR_B, WIRE_IPPROTO_UDP,
	    (op & 3) == 3 ? 254 : 255, 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct world w;
	struct bfd_cfg cfg;
	size_t i = 0, n;
	int recs = 0;
	uint8_t op, gap;

	check_decoder(data, size);
	world_build(&w);
	while (i + 2 <= size && recs++ < MAX_RECS) {
		op = data[i] & 7;
		gap = data[i + 1];
		i += 2;
		if (op <= 3) {
			if (i >= size)
				break;
			n = data[i++];
			if (n > MAX_PAYLOAD)
				n = MAX_PAYLOAD;
			if (n > size - i)
				n = size - i;
			send_dgram(&w, op, data + i, n);
			i += n;
		} else if (op == 4)
			bfd_session_admin(w.sb, true);
		else if (op == 5)
			bfd_session_admin(w.sb, false);
		else if (op == 6) {
			if (i + 3 > size)
				break;
			cfg.desired_min_tx = SIM_MS(data[i]);
			cfg.required_min_rx = SIM_MS(data[i + 1]);
			cfg.detect_mult = data[i + 2];
			i += 3;
			/* invalid ones are refused; valid ones take effect */
			if (bfd_session_set_cfg(w.sa, &cfg) != 0 &&
			    cfg.desired_min_tx > 0 && cfg.detect_mult > 0)
				abort();
		} else
			link_set_up(w.l, !link_is_up(w.l));
		sim_run_until(w.sim, sim_now(w.sim) + SIM_MS(gap));
	}
	sim_run_until(w.sim, sim_now(w.sim) + SIM_S(5));
	bfd_free(w.bfd);
	net_free(w.net);
	if (pkt_live(w.sim) != 0)
		abort();
	sim_free(w.sim);
	return 0;
}
