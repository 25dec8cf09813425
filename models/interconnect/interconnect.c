/*
 * interconnect.c - the names, service keys and internal addresses the Azure
 * and OCI models share (interconnect.h).
 */
#include <stdio.h>
#include <string.h>

#include "interconnect.h"

const char *const ic_path_name[2] = { "primary", "secondary" };

static char *
router_name(char *buf, size_t len, const char *res, size_t n,
    const char *what, enum ic_path path)
{
	if (n > 1)
		snprintf(buf, len, "%s-%s-%s", res, what, ic_path_name[path]);
	else
		snprintf(buf, len, "%s-%s", what, ic_path_name[path]);
	return buf;
}

char *
ic_msee_name(char *buf, size_t len, const char *circuit, size_t n,
    enum ic_path path)
{
	return router_name(buf, len, circuit, n, "msee", path);
}

char *
ic_oracle_edge_name(char *buf, size_t len, const char *vc, size_t n,
    enum ic_path path)
{
	return router_name(buf, len, vc, n, "oracle-edge", path);
}

/* splitmix64's finaliser: every input bit moves every output bit. */
static uint64_t
mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

void
ic_service_key(uint64_t seed, const char *circuit, char out[37])
{
	uint64_t h = 0xcbf29ce484222325ULL, a, b;
	const unsigned char *s;

	/* FNV-1a of the name, so that two circuits draw different keys */
	for (s = (const unsigned char *)circuit; *s != '\0'; s++)
		h = (h ^ *s) * 0x100000001b3ULL;
	a = mix(seed ^ mix(h));
	b = mix(a ^ 0x5851f42d4c957f2dULL);
	/* RFC 9562 version 4 and variant 10 */
	a = (a & ~0xf000ULL) | 0x4000ULL;
	b = (b & ~(3ULL << 62)) | (2ULL << 62);
	snprintf(out, 37, "%08x-%04x-%04x-%04x-%012llx",
	    (unsigned)(a >> 32), (unsigned)(a >> 16 & 0xffff),
	    (unsigned)(a & 0xffff), (unsigned)(b >> 48),
	    (unsigned long long)(b & 0xffffffffffffULL));
}

void
ic_p2p(uint32_t block, uint32_t k, uint32_t *lo, uint32_t *hi)
{
	uint32_t net = block + 4 * k;

	*lo = net + 1;
	*hi = net + 2;
}
