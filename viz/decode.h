/*
 * decode.h - what the viewer reads out of a traced frame's first bytes.
 *
 * The trace keeps up to TRACE_HDR_MAX bytes of every transmitted frame, from
 * the Ethernet header on. This module classifies a frame for colouring
 * (ICMP, TCP data, TCP ACK, BGP, BFD, ESP, other UDP) and lists its header
 * fields one by one for the PDU view. It is deliberately self-contained: the
 * viewer depends on nothing but the trace reader. Every read is bounded by
 * the length given, so a short or garbled header only ends the listing early.
 */
#ifndef XCSIM_DECODE_H
#define XCSIM_DECODE_H

#include <stddef.h>
#include <stdint.h>

enum decode_class {
	DC_OTHER = 0,	/* not IPv4, or truncated before L4 */
	DC_ICMP,
	DC_TCP_DATA,
	DC_TCP_ACK,	/* TCP with no payload (pure ACK, SYN, FIN, RST) */
	DC_BGP,		/* TCP port 179 */
	DC_BFD,		/* UDP 3784 (single hop) or 4784 (multihop) */
	DC_ESP,		/* IP protocol 50 */
	DC_UDP,
	DC_MAX
};
extern const char *const decode_class_name[DC_MAX];

enum decode_class decode_classify(const uint8_t *hdr, size_t len,
    uint32_t wire_len);

/* One header field: layer ("Ethernet", "IPv4", ...), field name, value. */
struct decode_field {
	char layer[16];
	char name[24];
	char value[48];
};

/*
 * Fill at most max fields describing the frame; returns how many. wire_len
 * is the frame's full length on the wire (the payload beyond hdr is not
 * available and is summarised).
 */
size_t decode_fields(const uint8_t *hdr, size_t len, uint32_t wire_len,
    struct decode_field *out, size_t max);

/* A one-line summary ("ICMP echo request 10.1.1.4 > 10.2.1.10"). */
void decode_summary(const uint8_t *hdr, size_t len, uint32_t wire_len,
    char *buf, size_t buflen);

#endif
