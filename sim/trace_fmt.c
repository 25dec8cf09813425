/*
 * trace_fmt.c - names and helpers shared by the trace writer, reader and
 * JSON form.
 */
#include <string.h>

#include "trace_fmt.h"

const uint8_t xct_magic[8] = { 0x89, 'X', 'C', 'T', '\r', '\n', 0x1a, '\n' };
const uint8_t xct_trailer_magic[8] = { 'X', 'C', 'T', 'I', 'N', 'D', 'E',
    'X' };


const char *const trace_drop_name[DROP_MAX] = {
	[DROP_NONE] = "none",
	[DROP_QUEUE_FULL] = "queue_full",
	[DROP_LINK_DOWN] = "link_down",
	[DROP_LOSS] = "loss",
	[DROP_TTL] = "ttl",
	[DROP_NO_ROUTE] = "no_route",
	[DROP_MTU] = "mtu",
	[DROP_MALFORMED] = "malformed",
	[DROP_VLAN] = "vlan",
	[DROP_NO_LISTENER] = "no_listener",
	[DROP_FILTER] = "filter",
	[DROP_POLICER] = "policer",
	[DROP_NOT_ROUTER] = "not_router",
	[DROP_REASSEMBLY] = "reassembly",
};

const char *const trace_type_name[TR_TYPE_MAX] = {
	[0] = "invalid",
	[TR_NODE] = "node",
	[TR_IFACE] = "iface",
	[TR_LINK] = "link",
	[TR_PKT_ENQUEUE] = "pkt_enqueue",
	[TR_PKT_TX] = "pkt_tx",
	[TR_PKT_RX] = "pkt_rx",
	[TR_PKT_DROP] = "pkt_drop",
	[TR_LINK_STATE] = "link_state",
	[TR_ANNOTATE] = "annotate",
	[TR_APP] = "app",
	[TR_ASSERT] = "assert",
	[TR_SESSION_STATE] = "session_state",
	[TR_ROUTE] = "route",
	[TR_PROV_STATE] = "prov_state",
	[TR_KEYFRAME] = "keyframe",
	[TR_QUEUE] = "queue",
	[TR_QUEUE_DEF] = "queue_def",
	[TR_QUEUE_LEN] = "queue_len",
};

const char *const trace_proto_name[TRP_MAX] = {
	[0] = "unknown",
	[TRP_TCP] = "tcp",
	[TRP_BGP] = "bgp",
	[TRP_BFD] = "bfd",
	[TRP_IKE] = "ike",
};

size_t
trace_text_len(const char *s)
{
	size_t n = strnlen(s, TRACE_TEXT_MAX + 1);

	if (n > TRACE_TEXT_MAX) {
		n = TRACE_TEXT_MAX;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	return n;
}

uint64_t
trace_fnv1a(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 0xcbf29ce484222325ULL;

	while (n--) {
		h ^= *s++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

