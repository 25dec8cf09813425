/*
 * azure_addr.c - Azure's addressing rules and the facts tables the checks
 * and the expansion use (azure_int.h): prefixes, overlap, the five
 * reserved addresses of a subnet and Azure's allocation order (2.5), the
 * ExpressRoute gateway SKUs (1.6, B5) and the circuit bandwidths (1.7,
 * B1).
 */
#include <stdio.h>

#include "azure_int.h"
#include "wire.h"

/*
 * 1.6 / B5: Standard and ErGw1AZ 1 Gbit/s, 100k pps, 4 circuits;
 * HighPerformance and ErGw2AZ 2 Gbit/s, 200k pps, 8; UltraPerformance
 * and ErGw3AZ 10 Gbit/s, 1M pps, 16, FastPath; ErGwScale per unit
 * 1 Gbit/s, 100k pps (circuits per gateway not stated).
 */
static const struct az_sku_fact skus[AZ_SKU_MAX - 1] = {
	[AZ_SKU_STANDARD - 1] = { 1000000000ULL, 100000, 4, false },
	[AZ_SKU_HIGHPERF - 1] = { 2000000000ULL, 200000, 8, false },
	[AZ_SKU_ULTRA - 1] = { 10000000000ULL, 1000000, 16, true },
	[AZ_SKU_ERGW1AZ - 1] = { 1000000000ULL, 100000, 4, false },
	[AZ_SKU_ERGW2AZ - 1] = { 2000000000ULL, 200000, 8, false },
	[AZ_SKU_ERGW3AZ - 1] = { 10000000000ULL, 1000000, 16, true },
	[AZ_SKU_ERGWSCALE - 1] = { 1000000000ULL, 100000, 0, false },
};

const struct az_sku_fact *
az_sku_fact(int sku)
{
	return sku >= 1 && sku < AZ_SKU_MAX ? &skus[sku - 1] : NULL;
}

/* Provider-model circuit sizes (1.7, B1); 40/100 Gbps are Direct only. */
const uint32_t az_bandwidths[] = { 50, 100, 200, 500, 1000, 2000, 5000,
	10000, 0 };

bool
az_bandwidth_offered(uint32_t mbps)
{
	const uint32_t *b;

	for (b = az_bandwidths; *b != 0; b++)
		if (*b == mbps)
			return true;
	return false;
}

bool
az_overlap(uint32_t a, uint8_t alen, uint32_t b, uint8_t blen)
{
	uint8_t l = alen < blen ? alen : blen;

	return ((a ^ b) & az_mask(l)) == 0;
}

bool
az_within(uint32_t a, uint8_t alen, uint32_t b, uint8_t blen)
{
	return alen >= blen && ((a ^ b) & az_mask(blen)) == 0;
}

char *
az_ip(char *buf, uint32_t a)
{
	snprintf(buf, 16, "%u.%u.%u.%u", a >> 24, a >> 16 & 255, a >> 8 & 255,
	    a & 255);
	return buf;
}

int
az_prefix_parse(const char *s, uint32_t *net, uint8_t *plen)
{
	uint32_t a;
	uint8_t l;

	if (wire_prefix_parse(s, true, &a, &l) != 0)
		return -1;
	*net = a & az_mask(l);
	*plen = l;
	return (a & ~az_mask(l)) != 0 ? -2 : 0;
}

bool
az_reserved(uint32_t net, uint8_t plen, uint32_t addr)
{
	uint32_t last = net | ~az_mask(plen);

	return addr - net < AZ_RESERVED_LOW || addr == last;
}

uint32_t
az_alloc(uint32_t net, uint8_t plen, const uint32_t *used, size_t n)
{
	uint32_t last = net | ~az_mask(plen), a;
	size_t i;

	if (plen > 30)
		return 0;
	for (a = net + AZ_RESERVED_LOW; a < last; a++) {
		for (i = 0; i < n && used[i] != a; i++)
			;
		if (i == n)
			return a;
	}
	return 0;
}
