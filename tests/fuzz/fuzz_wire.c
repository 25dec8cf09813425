/*
 * fuzz_wire.c - libFuzzer target for wire_parse.
 *
 * Input: one byte giving the virtual payload length (0..255), then the
 * frame's real bytes. Besides "no crash, no out-of-bounds read" (ASan), the
 * target traps on broken promises of the parser: offsets inside the frame,
 * options inside the buffer, and verification only ever removing successes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(const uint8_t *buf, size_t len, size_t virt, enum wire_err e,
    const struct wire_frame *f)
{
	if ((unsigned)e >= WIRE_ERR_MAX)
		abort();
	if (e != WIRE_OK)
		return;
	if (f->payload_off > len ||
	    (uint64_t)f->payload_off + f->payload_len > (uint64_t)len + virt)
		abort();
	if (f->has_ipv4 && (uint64_t)f->l3_off + f->ip.ihl * 4u > len)
		abort();
	if (f->has_tcp && f->tcp.opt != NULL &&
	    (f->tcp.opt < buf || f->tcp.opt + (f->tcp.off - 5) * 4u >
	    buf + len))
		abort();
	if (f->nvlan > 2 || f->nmpls > WIRE_MPLS_MAX)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wire_frame checked, unchecked;
	enum wire_err e1, e2;
	size_t virt;

	if (size < 1)
		return 0;
	virt = data[0];
	data++;
	size--;
	e1 = wire_parse(data, size, virt, true, &checked);
	check(data, size, virt, e1, &checked);
	e2 = wire_parse(data, size, virt, false, &unchecked);
	check(data, size, virt, e2, &unchecked);
	/* Checking checksums can turn a success into an error, nothing else. */
	if (e1 == WIRE_OK && (e2 != WIRE_OK ||
	    memcmp(&checked, &unchecked, sizeof(checked)) != 0))
		abort();
	return 0;
}
