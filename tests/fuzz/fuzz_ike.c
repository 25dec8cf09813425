/*
 * fuzz_ike.c - libFuzzer target for IKEv2: the message parser and a live
 * IKE SA's receive path.
 *
 * The whole input is first parsed as one IKE message (and as a payload
 * chain whose first type is its first byte); whatever parses must keep
 * the parser's promises (an SK body inside the message). Then two nodes a
 * (10.0.0.1) and b (10.0.0.2) on one link establish an IKE SA with a
 * Child SA, and the input becomes a list of records, each a datagram a
 * sends to b followed by a fuzzed gap of simulated time:
 *   op 0: the bytes as they are, to UDP 500;
 *   op 1: the same to UDP 4500 after a non-ESP marker;
 *   op 2: a request on b's IKE SA: the header with its SPIs, the message
 *         ID b expects and the exchange type from the first byte, the rest
 *         a payload chain sealed in SK with the SA's real keys, so that it
 *         reaches the exchange handlers;
 *   op 3: the same as a response to b's outstanding request (if any).
 * Record: op, gap (100 ms units), length n, 2n bytes (at most 512).
 * At the end the simulation runs on for 2,000 s (the Child SA's and the
 * IKE SA's rekeys, expiries, DPD, retransmissions). Nothing may crash,
 * read out of bounds or leak, and no packet may be left allocated.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ike.h"
#include "ike_int.h"
#include "ike_msg.h"
#include "net.h"
#include "pkt.h"
#include "sim.h"
#include "util.h"
#include "wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ADDR_A ((10u << 24) | 1)
#define ADDR_B ((10u << 24) | 2)
#define MAX_RECS 32
#define MAX_PAYLOAD 512

struct world {
	struct sim *sim;
	struct net *net;
	struct node *a, *b;
	struct ike_host *ha, *hb;
	struct ike_sa *sa, *sb;
};

static void
check_parser(const uint8_t *data, size_t size)
{
	struct ike_msg m;

	if (ike_msg_parse(data, size, &m) == IKE_OK &&
	    ike_msg_has(&m, IKE_PL_SK) &&
	    (size_t)m.sk_off + m.sk_len != size)
		abort();
	if (size > 0)
		(void)ike_msg_parse_chain(data[0], data + 1, size - 1, &m);
}

static void
policy(struct ike_policy *p, bool init)
{
	struct ike_proposal ike = { IKE_ENCR_AES_CBC, 128,
	    IKE_PRF_HMAC_SHA2_256, IKE_INTEG_HMAC_SHA2_256_128,
	    IKE_DH_ECP256 };
	struct ike_proposal child = { IKE_ENCR_AES_GCM_16, 256, 0,
	    IKE_INTEG_NONE, IKE_DH_ECP256 };

	ike_policy_init(p);
	p->initiator = init;
	p->ike[0] = ike;
	p->n_ike = 1;
	p->child[0] = child;
	p->n_child = 1;
	p->psk[0] = 'k';
	p->child_lifetime = SIM_S(1800);
	p->ike_lifetime = SIM_S(1900);
	p->dpd = SIM_S(60);
}

static void
world_build(struct world *w)
{
	struct link_params p;
	struct ike_policy pa, pb;
	uint32_t ia, ib;

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
	net_add_link(w->net, "ab", w->a, ia, w->b, ib, &p);
	w->ha = ike_host_new(w->a, VRF_DEFAULT);
	w->hb = ike_host_new(w->b, VRF_DEFAULT);
	policy(&pa, true);
	policy(&pb, false);
	w->sa = ike_sa_new(w->ha, ADDR_A, ADDR_B, &pa, NULL, NULL);
	w->sb = ike_sa_new(w->hb, ADDR_B, ADDR_A, &pb, NULL, NULL);
	if (w->sa == NULL || w->sb == NULL)
		abort();
	ike_sa_start(w->sa);
	sim_run_until(w->sim, SIM_S(1));
	if (ike_sa_state(w->sb) != IKE_ST_ESTABLISHED)
		abort();
}

static void
send_raw(struct world *w, const uint8_t *d, size_t n, bool natt)
{
	struct udp_hdr u;
	struct pkt *p;
	size_t mk = natt ? 4 : 0;

	p = pkt_alloc(w->sim, (uint32_t)(n + mk));
	memset(p->data, 0, mk);
	if (n > 0)
		memcpy(p->data + mk, d, n);
	memset(&u, 0, sizeof(u));
	u.sport = u.dport = natt ? IKE_NATT_PORT : IKE_PORT;
	wire_push_udp(w->sim, p, &u, ADDR_A, ADDR_B);
	node_send_ip(w->a, VRF_DEFAULT, p, ADDR_A, ADDR_B, WIRE_IPPROTO_UDP,
	    64, 0);
}

/* A message on b's current IKE SA, sealed with b's inbound keys. */
static void
send_sealed(struct world *w, const uint8_t *d, size_t n, bool resp)
{
	struct ike_keys *k = &w->sb->cur;
	struct ike_buf out, in;
	uint8_t exch, flags;
	uint32_t id;

	if (!k->live || n < 2)
		return;
	if (resp && w->sb->req == REQ_NONE)
		return;
	exch = (uint8_t)(IKE_EXCH_SA_INIT + d[0] % 4);
	id = resp ? w->sb->rid : k->msgid_in;
	flags = (uint8_t)((k->orig_init ? 0 : IKE_FLAG_I) |
	    (resp ? IKE_FLAG_R : 0));
	ike_buf_init(&out);
	ike_buf_init(&in);
	ike_buf_chain(&in);
	ike_buf_set(&in, d + 2, n - 2);
	in.first = d[1];
	ike_put_hdr(&out, k->spi_i, k->spi_r, exch, flags, id);
	ike_sk_seal(&out, &in, &k->in, 42);
	send_raw(w, out.b, out.len, w->sb->natt);
	ike_buf_free(&in);
	ike_buf_free(&out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct world w;
	size_t i = 0, n;
	int recs = 0;
	uint8_t op, gap;

	check_parser(data, size);
	world_build(&w);
	while (i + 3 <= size && recs++ < MAX_RECS) {
		op = data[i] & 3;
		gap = data[i + 1];
		n = data[i + 2] * 2u;
		i += 3;
		if (n > MAX_PAYLOAD)
			n = MAX_PAYLOAD;
		if (n > size - i)
			n = size - i;
		if (op <= 1)
			send_raw(&w, data + i, n, op == 1);
		else
			send_sealed(&w, data + i, n, op == 3);
		i += n;
		sim_run_until(w.sim, sim_now(w.sim) + SIM_MS(100) * gap);
	}
	sim_run_until(w.sim, sim_now(w.sim) + SIM_S(2000));
	ike_host_free(w.ha);
	ike_host_free(w.hb);
	net_free(w.net);
	if (pkt_live(w.sim) != 0)
		abort();
	sim_free(w.sim);
	return 0;
}
