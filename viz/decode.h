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

/*
 * Where the TCP or UDP payload of a whole frame is: 0 with the IP
 * protocol, ports, offset and length (to the IPv4 total length, without
 * Ethernet padding), or -1 if it is not an unfragmented IPv4 TCP/UDP
 * frame with its transport header.
 */
int decode_payload(const uint8_t *frame, size_t len, uint8_t *proto,
    uint16_t *sport, uint16_t *dport, size_t *off, size_t *n);

/*
 * The control-plane messages of a frame the trace kept whole (pkt_data),
 * decoded by the models' own codecs (models/bgp/bgp_msg.h,
 * models/bfd/bfd_pkt.h; pure functions of the bytes): every BGP message
 * of a TCP 179 segment, or the BFD control packet of UDP 3784/4784. One
 * entry per line the panel draws: a heading (name empty: the message's
 * title in value, "UPDATE 1 of 2, 52 bytes") or a field and its value.
 */
struct decode_line {
	char layer[16];		/* "BGP", "BFD" */
	char name[24];		/* "" for a message's heading */
	char value[200];
};
size_t decode_control(const uint8_t *frame, size_t len,
    struct decode_line *out, size_t max);

#endif
