/*
 * bgp_testutil.h - what the BGP codec tests share: messages written as hex
 * in the test tables (spaces ignored, so fields can be spaced out), and
 * decoding from a heap copy of exactly the message, so that ASan sees a
 * read one byte past it.
 */
#ifndef XCSIM_BGP_TESTUTIL_H
#define XCSIM_BGP_TESTUTIL_H

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "bgp_msg.h"
#include "util.h"

/* hex digits (spaces and '|' ignored) into out; returns the byte count */
static inline size_t
hex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int hi = -1;

	for (; *s != '\0'; s++) {
		int v;

		if (!isxdigit((unsigned char)*s))
			continue;
		v = isdigit((unsigned char)*s) ? *s - '0' :
		    tolower((unsigned char)*s) - 'a' + 10;
		if (hi < 0) {
			hi = v;
		} else {
			if (n < cap)
				out[n] = (uint8_t)(hi << 4 | v);
			n++;
			hi = -1;
		}
	}
	return n;
}

/* A whole message: marker, length, type, then the body given in hex. */
static inline size_t
msg_hex(uint8_t type, const char *body, uint8_t *out)
{
	size_t n = hex(body, out + BGP_HDR_LEN, BGP_MAX_LEN - BGP_HDR_LEN);

	memset(out, 0xff, BGP_MARKER_LEN);
	put_be16(out + 16, (uint16_t)(BGP_HDR_LEN + n));
	out[18] = type;
	return BGP_HDR_LEN + n;
}

static inline enum bgp_action
decode_exact(const uint8_t *buf, size_t len, bool as4, struct bgp_msg *m,
    struct bgp_result *r)
{
	uint8_t *copy = malloc(len > 0 ? len : 1);
	enum bgp_action a;

	if (len > 0)
		memcpy(copy, buf, len);
	a = bgp_decode(copy, len, as4, m, r);
	free(copy);
	return a;
}

#endif
