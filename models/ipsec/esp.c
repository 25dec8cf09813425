/*
 * esp.c - ESP tunnel mode on tunnel interfaces (esp.h): the packet format
 * with its keyed pattern cipher and ICV, the anti-replay window, and the
 * node glue (the tunnel interface's frame-out hook, the protocol 50
 * handler).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "esp.h"
#include "net.h"
#include "pkt.h"
#include "sim.h"
#include "util.h"
#include "wire.h"

#define ESP_NH_IPV4 4u		/* next header: IP-in-IP (RFC 4303 2.6) */
#define ESP_OUTER_TTL 64u
#define ESP_IP_MAX 65535u

/* --- algorithms -------------------------------------------------------- */

int
esp_algo(uint16_t encr, uint16_t keylen, uint16_t integ, struct esp_algo *out,
    char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	switch (encr) {
	case ESP_ENCR_AES_CBC:
	case ESP_ENCR_AES_GCM_16:
		if (keylen != 128 && keylen != 192 && keylen != 256) {
			snprintf(err, errlen, "AES has no %u-bit key (128, "
			    "192 or 256)", keylen);
			return -1;
		}
		out->iv_len = encr == ESP_ENCR_AES_CBC ? 16 : 8;
		/* GCM is a stream mode: ESP's own 4-byte alignment (2.4) */
		out->block = encr == ESP_ENCR_AES_CBC ? 16 : 4;
		break;
	case ESP_ENCR_3DES:
		out->iv_len = 8;
		out->block = 8;
		break;
	default:
		snprintf(err, errlen, "unknown encryption algorithm %u", encr);
		return -1;
	}
	if (encr == ESP_ENCR_AES_GCM_16) {
		if (integ != ESP_INTEG_NONE) {
			snprintf(err, errlen, "AES-GCM is combined mode: it "
			    "takes no integrity algorithm (RFC 4106)");
			return -1;
		}
		out->icv_len = 16;
		return 0;
	}
	switch (integ) {
	case ESP_INTEG_HMAC_MD5_96:
	case ESP_INTEG_HMAC_SHA1_96:
		out->icv_len = 12;
		break;
	case ESP_INTEG_HMAC_SHA2_256_128:
		out->icv_len = 16;
		break;
	case ESP_INTEG_HMAC_SHA2_384_192:
		out->icv_len = 24;
		break;
	case ESP_INTEG_HMAC_SHA2_512_256:
		out->icv_len = 32;
		break;
	case ESP_INTEG_NONE:
		snprintf(err, errlen, "a cipher other than AES-GCM needs an "
		    "integrity algorithm");
		return -1;
	default:
		snprintf(err, errlen, "unknown integrity algorithm %u", integ);
		return -1;
	}
	return 0;
}

static uint32_t
padded(const struct esp_algo *a, uint32_t inner_len)
{
	return (inner_len + 2 + a->block - 1) / a->block * a->block;
}

uint32_t
esp_overhead(const struct esp_algo *a, uint32_t inner_len)
{
	return WIRE_IPV4_HLEN + ESP_HLEN + a->iv_len + padded(a, inner_len) -
	    inner_len + a->icv_len;
}

uint32_t
esp_inner_mtu(const struct esp_algo *a, uint32_t outer_mtu)
{
	uint32_t fixed = WIRE_IPV4_HLEN + ESP_HLEN + a->iv_len + a->icv_len;
	uint32_t room;

	if (outer_mtu < fixed + a->block)
		return 0;
	room = (outer_mtu - fixed) / a->block * a->block;
	return room >= 2 + WIRE_IPV4_HLEN ? room - 2 : 0;
}

/* --- the keyed pattern ----------------------------------------------- */

/* splitmix64's finaliser: every input bit moves every output bit. */
static uint64_t
mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	x ^= x >> 31;
	return x;
}

/* XOR buf with the keystream of (key, spi, seq): encrypt and decrypt. */
static void
keystream(const struct esp_sa_cfg *sa, uint32_t seq, uint8_t *buf,
    uint32_t len)
{
	uint64_t base = mix64(sa->key ^ ((uint64_t)sa->spi << 32 | seq));
	uint64_t w = 0;
	uint32_t i;

	for (i = 0; i < len; i++) {
		if (i % 8 == 0)
			w = mix64(base + (uint64_t)(i / 8 + 1) *
			    0x9e3779b97f4a7c15ull);
		buf[i] ^= (uint8_t)(w >> (i % 8 * 8));
	}
}

/* The ICV of buf (ESP header, IV and ciphertext) into icv. */
static void
icv_of(const struct esp_sa_cfg *sa, const struct esp_algo *a,
    const uint8_t *buf, uint32_t len, uint8_t *icv)
{
	uint64_t h = mix64(sa->key ^ 0x6963762d6b657921ull), w = 0;
	uint32_t i;

	for (i = 0; i < len; i++) {
		w = w << 8 | buf[i];
		if (i % 8 == 7 || i == len - 1) {
			h = mix64(h ^ w ^ (uint64_t)i << 48);
			w = 0;
		}
	}
	for (i = 0; i < a->icv_len; i++)
		icv[i] = (uint8_t)(mix64(h + i / 8) >> (i % 8 * 8));
}

void
esp_encap(const struct esp_sa_cfg *sa, const struct esp_algo *a, uint32_t seq,
    const uint8_t *inner, uint32_t inner_real, uint32_t inner_len,
    uint8_t *out)
{
	uint32_t body = padded(a, inner_len), pad = body - inner_len - 2, i;
	uint8_t *ct = out + ESP_HLEN + a->iv_len;
	uint64_t ivw = 0;

	put_be32(out, sa->spi);
	put_be32(out + 4, seq);
	/* GCM: the IV is a counter (RFC 4106 3.1); CBC: unpredictable */
	for (i = 0; i < a->iv_len; i++) {
		if (i % 8 == 0)
			ivw = a->block == 4 ? (uint64_t)seq :
			    mix64(sa->key + seq * 0x9e3779b97f4a7c15ull + i);
		out[ESP_HLEN + i] = (uint8_t)(ivw >> (56 - i % 8 * 8));
	}
	if (inner_real > inner_len)
		inner_real = inner_len;
	memcpy(ct, inner, inner_real);
	memset(ct + inner_real, 0, inner_len - inner_real);
	for (i = 0; i < pad; i++)	/* RFC 4303 2.4: 1, 2, 3, ... */
		ct[inner_len + i] = (uint8_t)(i + 1);
	ct[body - 2] = (uint8_t)pad;
	ct[body - 1] = ESP_NH_IPV4;
	keystream(sa, seq, ct, body);
	icv_of(sa, a, out, ESP_HLEN + a->iv_len + body, ct + body);
}

enum esp_verdict
esp_decap(const struct esp_sa_cfg *sa, const struct esp_algo *a,
    struct esp_replay *w, uint8_t *esp, uint32_t len, uint32_t *inner_off,
    uint32_t *inner_len, const char **why)
{
	uint32_t seq, body, pad, i, ilen;
	uint8_t icv[32], *ct;

	if (len < ESP_HLEN + a->iv_len + a->icv_len + a->block) {
		*why = "shorter than header, IV, one block and ICV";
		return ESP_MALFORMED;
	}
	seq = get_be32(esp + 4);
	/* the cheap check first (3.4.3); the window moves only after ICV */
	if (seq == 0) {
		*why = "sequence 0 (a sender starts at 1)";
		return ESP_REPLAY;
	}
	if (w->top != 0 && seq <= w->top) {
		if (w->top - seq >= ESP_REPLAY_WINDOW) {
			*why = "sequence left of the anti-replay window";
			return ESP_REPLAY;
		}
		if (w->bits >> (w->top - seq) & 1) {
			*why = "replayed sequence";
			return ESP_REPLAY;
		}
	}
	body = len - ESP_HLEN - a->iv_len - a->icv_len;
	if (body % a->block != 0) {
		*why = "ciphertext not a whole number of blocks";
		return ESP_MALFORMED;
	}
	ct = esp + ESP_HLEN + a->iv_len;
	icv_of(sa, a, esp, ESP_HLEN + a->iv_len + body, icv);
	if (memcmp(icv, ct + body, a->icv_len) != 0) {
		*why = "ICV mismatch (wrong key?)";
		return ESP_ICV;
	}
	keystream(sa, seq, ct, body);
	pad = ct[body - 2];
	if (pad + 2 > body) {
		*why = "pad length beyond the payload";
		return ESP_MALFORMED;
	}
	for (i = 0; i < pad; i++)
		if (ct[body - 2 - pad + i] != (uint8_t)(i + 1)) {
			*why = "padding is not 1, 2, 3, ...";
			return ESP_MALFORMED;
		}
	if (ct[body - 1] != ESP_NH_IPV4) {
		*why = "next header is not IPv4 (4)";
		return ESP_MALFORMED;
	}
	ilen = body - 2 - pad;
	if (ilen < WIRE_IPV4_HLEN || ct[0] >> 4 != 4 ||
	    (uint32_t)(ct[0] & 0x0f) * 4 < WIRE_IPV4_HLEN ||
	    get_be16(ct + 2) != ilen) {
		*why = "the inner packet is not one IPv4 packet";
		return ESP_MALFORMED;
	}
	if (seq > w->top) {
		uint32_t shift = seq - w->top;

		w->bits = shift >= 64 ? 1 : w->bits << shift | 1;
		w->top = seq;
	} else {
		w->bits |= 1ull << (w->top - seq);
	}
	*inner_off = ESP_HLEN + a->iv_len;
	*inner_len = ilen;
	return ESP_OK;
}

/* --- tunnels on a node ----------------------------------------------- */

struct esp_in {
	struct esp_sa_cfg sa;
	struct esp_algo a;
	struct esp_replay w;
};

struct esp_tunnel {
	struct esp_host *h;
	struct esp_tunnel_cfg cfg;
	bool has_out, busy;
	struct esp_sa_cfg out;
	struct esp_algo oa;
	uint32_t seq;		/* last sent */
	uint32_t mtu;		/* the interface's, as set */
	struct esp_in in[ESP_TUNNEL_MAX_IN];	/* oldest first */
	size_t n_in;
	struct esp_stats st;
	void (*rx_cb)(void *ctx);
	void *rx_ctx;
};

struct esp_host {
	struct node *n;
	struct esp_tunnel **t;
	size_t nt;
	uint64_t unknown_spi;
	uint32_t *udp_vrf;	/* VRFs whose UDP 4500 it bound */
	size_t n_udp;
};

static void esp_rx(struct node *n, struct pkt *p, const struct wire_frame *f,
    uint32_t vrf, uint32_t ifindex, void *ctx);

struct esp_host *
esp_host_new(struct node *n)
{
	struct esp_host *h = xcalloc(1, sizeof(*h));

	if (node_set_ip_handler(n, ESP_IPPROTO, esp_rx, NULL, h) < 0) {
		free(h);
		return NULL;
	}
	h->n = n;
	return h;
}

void
esp_host_free(struct esp_host *h)
{
	size_t i;

	if (h == NULL)
		return;
	for (i = 0; i < h->nt; i++) {
		node_iface_set_frame_out(h->n, h->t[i]->cfg.ifindex, NULL,
		    NULL);
		node_iface_set_mtu(h->n, h->t[i]->cfg.ifindex, 0, false);
		free(h->t[i]);
	}
	free(h->t);
	for (i = 0; i < h->n_udp; i++)
		node_unbind_udp(h->n, h->udp_vrf[i], ESP_NATT_PORT);
	free(h->udp_vrf);
	node_set_ip_handler(h->n, ESP_IPPROTO, NULL, NULL, NULL);
	free(h);
}

int
esp_host_bind_udp(struct esp_host *h, uint32_t vrf)
{
	if (node_bind_udp(h->n, vrf, ESP_NATT_PORT, esp_host_udp_rx, NULL,
	    h) < 0)
		return -1;
	h->udp_vrf = xrealloc(h->udp_vrf, (h->n_udp + 1) *
	    sizeof(*h->udp_vrf));
	h->udp_vrf[h->n_udp++] = vrf;
	return 0;
}

/* The tunnel's packets: one ESP packet each, toward the remote end. */
static bool
tunnel_out(struct node *n, uint32_t ifindex, const struct pkt *frame,
    void *ctx)
{
	struct esp_tunnel *t = ctx;
	struct sim *sim = net_sim(node_net(n));
	struct wire_frame f;
	uint32_t ilen, real, esp_len;
	struct pkt *p;

	(void)ifindex;
	/* busy: the route to remote leads into the tunnel itself */
	if (!t->has_out || t->busy || t->seq == UINT32_MAX ||
	    wire_parse(frame->data, frame->len, frame->virt_len, false, &f) !=
	    WIRE_OK || !f.has_ipv4) {
		t->st.tx_down++;
		return false;	/* the node drops it: the tunnel is down */
	}
	ilen = f.ip.total_len;
	esp_len = esp_overhead(&t->oa, ilen) - WIRE_IPV4_HLEN + ilen;
	if (esp_len + WIRE_IPV4_HLEN + (t->cfg.udp_encap ? WIRE_UDP_HLEN : 0) >
	    ESP_IP_MAX) {
		t->st.tx_down++;
		return false;
	}
	real = frame->len > f.l3_off ? frame->len - f.l3_off : 0;
	p = pkt_alloc(sim, esp_len);
	esp_encap(&t->out, &t->oa, ++t->seq, frame->data + f.l3_off,
	    real < ilen ? real : ilen, ilen, p->data);
	t->st.tx_pkts++;
	t->st.tx_bytes += esp_len + WIRE_IPV4_HLEN;
	t->st.tx_inner_bytes += ilen;
	t->busy = true;
	if (t->cfg.udp_encap) {
		struct udp_hdr u = { .sport = ESP_NATT_PORT,
		    .dport = ESP_NATT_PORT };

		t->st.tx_bytes += WIRE_UDP_HLEN;
		wire_push_udp(sim, p, &u, t->cfg.local, t->cfg.remote);
		node_send_ip(n, t->cfg.vrf, p, t->cfg.local, t->cfg.remote,
		    WIRE_IPPROTO_UDP, ESP_OUTER_TTL, 0);
	} else {
		node_send_ip(n, t->cfg.vrf, p, t->cfg.local, t->cfg.remote,
		    ESP_IPPROTO, ESP_OUTER_TTL, 0);
	}
	t->busy = false;
	return true;
}

static struct esp_in *
find_in(struct esp_host *h, uint32_t spi, struct esp_tunnel **tt)
{
	size_t i, k;

	for (i = 0; i < h->nt; i++)
		for (k = 0; k < h->t[i]->n_in; k++)
			if (h->t[i]->in[k].sa.spi == spi) {
				*tt = h->t[i];
				return &h->t[i]->in[k];
			}
	return NULL;
}

/*
 * An ESP packet at the node (p at the SPI), in IP (udp 0) or in UDP (udp:
 * the UDP header's length, which a drop puts back first).
 */
static void
esp_input(struct esp_host *h, struct node *n, struct pkt *p,
    const struct wire_frame *f, uint32_t udp)
{
	static const enum trace_drop reason[] = { DROP_NONE, DROP_FILTER,
	    DROP_MALFORMED, DROP_MALFORMED };
	struct sim *sim = net_sim(node_net(n));
	struct esp_tunnel *t = NULL;
	struct esp_in *in;
	uint32_t len = pkt_wire_len(p), spi, off, ilen;
	uint8_t *buf = p->data, *frame;
	enum esp_verdict v = ESP_MALFORMED;
	const char *why;
	char detail[160];

	if (len < ESP_HLEN) {
		snprintf(detail, sizeof(detail), "esp: %u bytes, shorter than "
		    "SPI and sequence", len);
		goto drop;
	}
	if (p->virt_len > 0) {	/* not from esp_encap: all of it is real */
		buf = xcalloc(1, len);
		memcpy(buf, p->data, p->len);
	}
	spi = get_be32(buf);
	if ((in = find_in(h, spi, &t)) == NULL) {
		h->unknown_spi++;
		snprintf(detail, sizeof(detail), "esp: no SA for SPI 0x%08x",
		    spi);
		v = ESP_OK;	/* reason: no listener */
		goto drop;
	}
	v = esp_decap(&in->sa, &in->a, &in->w, buf, len, &off, &ilen, &why);
	if (v != ESP_OK) {
		if (v == ESP_REPLAY)
			t->st.rx_replay++;
		else if (v == ESP_ICV)
			t->st.rx_icv++;
		else
			t->st.rx_malformed++;
		snprintf(detail, sizeof(detail), "esp: SPI 0x%08x sequence "
		    "%u: %s", spi, get_be32(buf + 4), why);
		goto drop;
	}
	t->st.rx_pkts++;
	t->st.rx_bytes += len + udp + WIRE_IPV4_HLEN;
	if (t->rx_cb != NULL)
		t->rx_cb(t->rx_ctx);
	frame = xmalloc(WIRE_ETH_HLEN + ilen);
	node_iface_mac(n, t->cfg.ifindex, frame);
	memcpy(frame + 6, frame, 6);
	frame[6] ^= 0x02;	/* the far end: another, local, address */
	put_be16(frame + 12, WIRE_ETHERTYPE_IPV4);
	memcpy(frame + WIRE_ETH_HLEN, buf + off, ilen);
	node_iface_inject(n, t->cfg.ifindex, frame, WIRE_ETH_HLEN + ilen);
	free(frame);
	if (buf != p->data)
		free(buf);
	pkt_free(sim, p);
	return;
drop:
	if (buf != p->data)
		free(buf);
	if (udp != 0)
		pkt_push(sim, p, udp);
	node_drop_l4(n, p, f, v == ESP_OK ? DROP_NO_LISTENER : reason[v],
	    detail);
}

static void
esp_rx(struct node *n, struct pkt *p, const struct wire_frame *f,
    uint32_t vrf, uint32_t ifindex, void *ctx)
{
	(void)vrf;
	(void)ifindex;
	esp_input(ctx, n, p, f, 0);
}

void
esp_host_udp_rx(struct node *n, struct pkt *p, const struct wire_frame *f,
    void *ctx)
{
	esp_input(ctx, n, p, f, WIRE_UDP_HLEN);
}

struct esp_tunnel *
esp_tunnel_new(struct esp_host *h, const struct esp_tunnel_cfg *cfg,
    char *err, size_t errlen)
{
	struct esp_tunnel *t;
	size_t i;

	if (cfg->ifindex >= node_n_ifaces(h->n)) {
		snprintf(err, errlen, "node %s has no interface %u",
		    node_name(h->n), cfg->ifindex);
		return NULL;
	}
	if (node_iface_link(h->n, cfg->ifindex, NULL) != NULL) {
		snprintf(err, errlen, "interface %s:%s has a link: a tunnel "
		    "interface has none", node_name(h->n),
		    node_iface_name(h->n, cfg->ifindex));
		return NULL;
	}
	for (i = 0; i < h->nt; i++)
		if (h->t[i]->cfg.ifindex == cfg->ifindex) {
			snprintf(err, errlen, "interface %s:%s is a tunnel "
			    "already", node_name(h->n),
			    node_iface_name(h->n, cfg->ifindex));
			return NULL;
		}
	t = xcalloc(1, sizeof(*t));
	t->h = h;
	t->cfg = *cfg;
	h->t = xrealloc(h->t, (h->nt + 1) * sizeof(*h->t));
	h->t[h->nt++] = t;
	node_iface_set_frame_out(h->n, cfg->ifindex, tunnel_out, t);
	t->mtu = cfg->mtu != 0 ? cfg->mtu : NODE_IFACE_MTU;
	if (cfg->mtu != 0)
		node_iface_set_mtu(h->n, cfg->ifindex, cfg->mtu, true);
	return t;
}

int
esp_tunnel_install(struct esp_tunnel *t, const struct esp_sa_cfg *in,
    const struct esp_sa_cfg *out, char *err, size_t errlen)
{
	struct esp_algo ia, oa;
	struct esp_tunnel *other;
	uint32_t outer;

	if (esp_algo(in->encr, in->keylen, in->integ, &ia, err, errlen) < 0 ||
	    esp_algo(out->encr, out->keylen, out->integ, &oa, err, errlen) < 0)
		return -1;
	if (in->spi < 256 || out->spi < 256) {
		snprintf(err, errlen, "SPI 0x%x is reserved (RFC 4303 2.1: "
		    "SPIs 1-255 are not for SAs)", in->spi < 256 ? in->spi :
		    out->spi);
		return -1;
	}
	if (find_in(t->h, in->spi, &other) != NULL) {
		snprintf(err, errlen, "inbound SPI 0x%x is taken on node %s",
		    in->spi, node_name(t->h->n));
		return -1;
	}
	if (t->n_in == ESP_TUNNEL_MAX_IN) {
		memmove(&t->in[0], &t->in[1], (t->n_in - 1) *
		    sizeof(t->in[0]));
		t->n_in--;
	}
	t->in[t->n_in++] = (struct esp_in){ .sa = *in, .a = ia };
	t->out = *out;
	t->oa = oa;
	t->has_out = true;
	t->seq = 0;
	t->st.installs++;
	t->st.spi_out = out->spi;
	if (t->cfg.mtu == 0) {
		outer = node_mtu_for(t->h->n, t->cfg.vrf, t->cfg.remote);
		if (outer == 0)
			outer = NODE_IFACE_MTU;
		t->mtu = esp_inner_mtu(&oa, outer - (t->cfg.udp_encap ?
		    WIRE_UDP_HLEN : 0));
		node_iface_set_mtu(t->h->n, t->cfg.ifindex, t->mtu, true);
	}
	return 0;
}

void
esp_tunnel_remove(struct esp_tunnel *t, uint32_t spi_in, uint32_t spi_out)
{
	size_t k;

	for (k = 0; k < t->n_in; k++)
		if (t->in[k].sa.spi == spi_in) {
			memmove(&t->in[k], &t->in[k + 1], (t->n_in - k - 1) *
			    sizeof(t->in[0]));
			t->n_in--;
			t->st.removes++;
			break;
		}
	if (t->has_out && t->out.spi == spi_out) {
		t->has_out = false;
		t->st.spi_out = 0;
	}
}

void
esp_tunnel_set_rx_cb(struct esp_tunnel *t, void (*fn)(void *ctx), void *ctx)
{
	t->rx_cb = fn;
	t->rx_ctx = ctx;
}

bool
esp_tunnel_up(const struct esp_tunnel *t)
{
	return t->has_out;
}

uint32_t
esp_tunnel_mtu(const struct esp_tunnel *t)
{
	return t->mtu;
}

const struct esp_stats *
esp_tunnel_stats(const struct esp_tunnel *t)
{
	return &t->st;
}

uint64_t
esp_host_unknown_spi(const struct esp_host *h)
{
	return h->unknown_spi;
}
