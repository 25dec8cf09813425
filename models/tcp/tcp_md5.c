/*
 * tcp_md5.c - RFC 2385 digests over nettle's MD5 (tcp_md5.h).
 */
#include <string.h>

#include <nettle/md5.h>

#include "pkt.h"
#include "tcp_md5.h"
#include "util.h"
#include "wire.h"

const char *const tcp_md5_verdict_name[TCP_MD5_VERDICT_MAX] = {
	[TCP_MD5_OK] = "tcp: md5 ok",
	[TCP_MD5_MISSING] = "tcp: md5 missing",
	[TCP_MD5_MISMATCH] = "tcp: md5 mismatch",
	[TCP_MD5_UNEXPECTED] = "tcp: md5 unexpected",
};

/* Where the digest sits: after NOP NOP kind length, as tcp_opts_build puts it. */
#define MD5_DIGEST_OFF (WIRE_TCP_HLEN + 4u)

void
tcp_md5_digest(const uint8_t *key, size_t keylen, uint32_t src, uint32_t dst,
    const uint8_t *hdr, uint32_t hlen, const uint8_t *data, uint32_t real,
    uint64_t virt, uint8_t out[TCP_MD5_LEN])
{
	/* zeros to feed for virtual bytes; read only */
	static const uint8_t zeros[1024];
	struct md5_ctx ctx;
	uint8_t ph[12], th[WIRE_TCP_HLEN];
	uint64_t n;

	put_be32(ph, src);
	put_be32(ph + 4, dst);
	ph[8] = 0;
	ph[9] = WIRE_IPPROTO_TCP;
	put_be16(ph + 10, (uint16_t)(hlen + real + virt));
	memcpy(th, hdr, sizeof(th));
	th[16] = th[17] = 0;		/* the checksum, as zero */
	md5_init(&ctx);
	md5_update(&ctx, sizeof(ph), ph);
	md5_update(&ctx, sizeof(th), th);
	if (real > 0)
		md5_update(&ctx, real, data);
	while (virt > 0) {
		n = virt < sizeof(zeros) ? virt : sizeof(zeros);
		md5_update(&ctx, (size_t)n, zeros);
		virt -= n;
	}
	md5_update(&ctx, keylen, key);
	md5_digest(&ctx, TCP_MD5_LEN, out);
}

void
tcp_md5_sign(struct pkt *p, uint32_t src, uint32_t dst,
    const struct tcp_md5_key *k)
{
	uint8_t *h = p->data, d[TCP_MD5_LEN];
	uint32_t hlen = (uint32_t)(h[12] >> 4) * 4;
	uint16_t csum;
	unsigned i;

	SIM_ASSERT(hlen >= MD5_DIGEST_OFF + TCP_MD5_LEN &&
	    h[WIRE_TCP_HLEN + 2] == TCP_OPT_MD5, "tcp md5: no option to sign");
	tcp_md5_digest(k->key, k->len, src, dst, h, hlen, h + hlen,
	    p->len - hlen, p->virt_len, d);
	/* the checksum covered zeros where the digest goes: update it */
	csum = get_be16(h + 16);
	for (i = 0; i < TCP_MD5_LEN; i += 2)
		csum = wire_csum_update16(csum, get_be16(h + MD5_DIGEST_OFF +
		    i), get_be16(d + i));
	memcpy(h + MD5_DIGEST_OFF, d, TCP_MD5_LEN);
	put_be16(h + 16, csum);
}

enum tcp_md5_verdict
tcp_md5_check(const struct tcp_md5_key *k, const struct tcp_opts *o,
    uint32_t src, uint32_t dst, const uint8_t *seg, uint32_t hlen,
    uint32_t real, uint64_t virt)
{
	uint8_t d[TCP_MD5_LEN];

	if (k == NULL)
		return o->has_md5 ? TCP_MD5_UNEXPECTED : TCP_MD5_OK;
	if (!o->has_md5)
		return TCP_MD5_MISSING;
	tcp_md5_digest(k->key, k->len, src, dst, seg, hlen, seg + hlen, real,
	    virt, d);
	return memcmp(d, o->md5, TCP_MD5_LEN) == 0 ? TCP_MD5_OK :
	    TCP_MD5_MISMATCH;
}
