/*
 * fuzz_esp.c - libFuzzer target for ESP (models/ipsec/esp.h): the packet
 * decoder alone and a tunnel end's receive path on a node.
 *
 * The whole input is first checked by esp_decap against a fixed inbound
 * SA with an empty window: one it accepts must hold one IPv4 packet
 * inside the input, and esp_encap of that packet with the same sequence
 * must give the input's bytes back (the format has one encoding). Then a
 * node a (20.0.0.1) sends node b (20.0.0.2, an ESP host with a tunnel
 * whose inbound SA is that SA) a list of records, each followed by a
 * fuzzed gap of simulated time:
 *   op 0: the payload as an IP protocol 50 datagram, as it is;
 *   op 1: a valid ESP packet of the payload (made an IPv4 header's worth
 *         long and given one) under the SA, sequence from 2 bytes, with
 *         one byte then flipped at a fuzzed offset (0xff: none);
 *   op 2: the last op 1 packet again (a replay);
 *   op 3: b's SAs removed or installed again, by the low bit of the
 *         next byte (an install succeeds exactly when they were gone).
 * Record: op, gap (ms), then for op 0-1 a length byte and that many bytes
 * (at most 200), op 1 two sequence bytes and the flip offset. At the end
 * the simulation runs on for 1 s. Nothing may crash, read out of bounds
 * or leak (ASan, LeakSanitizer), and no packet may be left allocated.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "esp.h"
#include "net.h"
#include "pkt.h"
#include "sim.h"
#include "util.h"
#include "wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ADDR_A ((20u << 24) | 1)
#define ADDR_B ((20u << 24) | 2)
#define MAX_RECS 64
#define MAX_PAYLOAD 200

static const struct esp_sa_cfg sa_in = { 0x200, ESP_ENCR_AES_CBC, 128,
	ESP_INTEG_HMAC_SHA1_96, 0x0123456789abcdefull };
static const struct esp_sa_cfg sa_out = { 0x100, ESP_ENCR_AES_CBC, 128,
	ESP_INTEG_HMAC_SHA1_96, 0x0123456789abcdefull };

static void
check_decoder(const uint8_t *data, size_t size)
{
	struct esp_replay w = { 0, 0 };
	struct esp_algo a;
	uint8_t *buf, *again;
	uint32_t off, ilen;
	const char *why;
	char err[64];

	if (size < ESP_HLEN || size > 4096)
		return;
	if (esp_algo(sa_in.encr, sa_in.keylen, sa_in.integ, &a, err,
	    sizeof(err)) < 0)
		abort();
	buf = xmalloc(size);
	memcpy(buf, data, size);
	if (esp_decap(&sa_in, &a, &w, buf, (uint32_t)size, &off, &ilen,
	    &why) == ESP_OK) {
		if ((size_t)off + ilen > size || ilen < WIRE_IPV4_HLEN ||
		    ilen + esp_overhead(&a, ilen) - WIRE_IPV4_HLEN != size)
			abort();
		again = xmalloc(size);
		esp_encap(&sa_in, &a, get_be32(data + 4), buf + off, ilen,
		    ilen, again);
		if (memcmp(again, data, size) != 0)
			abort();
		free(again);
	}
	free(buf);
}

static void
send_esp(struct sim *sim, struct node *a, const uint8_t *b, size_t len)
{
	struct pkt *p = pkt_alloc(sim, (uint32_t)len);

	memcpy(p->data, b, len);
	node_send_ip(a, VRF_DEFAULT, p, ADDR_A, ADDR_B, ESP_IPPROTO, 64, 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct link_params lp;
	struct esp_tunnel_cfg tc;
	struct esp_algo al;
	struct sim *sim;
	struct net *net;
	struct node *a, *b;
	struct esp_host *h;
	struct esp_tunnel *t;
	uint8_t inner[MAX_PAYLOAD + WIRE_IPV4_HLEN], last[400];
	size_t pos = 0, last_len = 0;
	uint32_t ia, ib, itun, recs = 0;
	char err[128];

	check_decoder(data, size);
	sim = sim_new(1);
	net = net_new(sim);
	a = net_add_node(net, "a", "router", NULL, NULL);
	b = net_add_node(net, "b", "router", NULL, NULL);
	ia = node_add_iface(a, "wan", NULL, ADDR_A, 30, VRF_DEFAULT);
	ib = node_add_iface(b, "wan", NULL, ADDR_B, 30, VRF_DEFAULT);
	itun = node_add_iface(b, "t1", NULL, (169u << 24) | (254u << 16) | 2,
	    30, VRF_DEFAULT);
	memset(&lp, 0, sizeof(lp));
	lp.dir[0].rate_bps = lp.dir[1].rate_bps = 1000000000;
	lp.dir[0].delay = lp.dir[1].delay = SIM_MS(1);
	lp.mtu = 1500;
	net_add_link(net, "l", a, ia, b, ib, &lp);
	h = esp_host_new(b);
	tc = (struct esp_tunnel_cfg){ itun, VRF_DEFAULT, ADDR_B, ADDR_A, 0,
	    false };
	t = esp_tunnel_new(h, &tc, err, sizeof(err));
	if (t == NULL || esp_tunnel_install(t, &sa_in, &sa_out, err,
	    sizeof(err)) < 0 || esp_algo(sa_in.encr, sa_in.keylen,
	    sa_in.integ, &al, err, sizeof(err)) < 0)
		abort();
	while (pos + 2 <= size && recs++ < MAX_RECS) {
		uint8_t op = data[pos] & 3, gap = data[pos + 1];
		size_t len;

		pos += 2;
		if (op <= 1) {
			if (pos >= size)
				break;
			len = data[pos++];
			if (len > MAX_PAYLOAD)
				len = MAX_PAYLOAD;
			if (len > size - pos)
				len = size - pos;
			if (op == 0) {
				send_esp(sim, a, data + pos, len);
				pos += len;
			} else {
				uint32_t seq = 1, ilen = (uint32_t)len +
				    WIRE_IPV4_HLEN, flip = 0xff;

				memset(inner, 0, WIRE_IPV4_HLEN);
				inner[0] = 0x45;
				put_be16(inner + 2, (uint16_t)ilen);
				inner[8] = 64;
				inner[9] = (uint8_t)WIRE_IPPROTO_UDP;
				memcpy(inner + WIRE_IPV4_HLEN, data + pos, len);
				pos += len;
				if (pos + 3 <= size) {
					seq = get_be16(data + pos);
					flip = data[pos + 2];
					pos += 3;
				}
				last_len = ilen + esp_overhead(&al, ilen) -
				    WIRE_IPV4_HLEN;
				if (last_len > sizeof(last))
					abort();
				esp_encap(&sa_in, &al, seq, inner, ilen, ilen,
				    last);
				if (flip < last_len)
					last[flip] ^= 0x5a;
				send_esp(sim, a, last, last_len);
			}
		} else if (op == 2) {
			if (last_len > 0)
				send_esp(sim, a, last, last_len);
		} else {
			bool rm = pos < size && (data[pos++] & 1);
			bool up = esp_tunnel_up(t);

			/* the inbound SPI is taken exactly while it is up */
			if (rm)
				esp_tunnel_remove(t, sa_in.spi, sa_out.spi);
			else if ((esp_tunnel_install(t, &sa_in, &sa_out, err,
			    sizeof(err)) == 0) == up)
				abort();
		}
		sim_run_until(sim, sim_now(sim) + SIM_MS(gap));
	}
	sim_run_until(sim, sim_now(sim) + SIM_S(1));
	esp_host_free(h);
	net_free(net);
	if (pkt_live(sim) != 0)
		abort();
	sim_free(sim);
	return 0;
}
