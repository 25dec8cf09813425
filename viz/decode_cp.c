/*
 * decode_cp.c - the control-plane messages of a frame the trace kept whole
 * (decode.h, decode_control): BGP messages cut out of a TCP 179 segment
 * with the speaker's framer and decoded with its codec, BFD control
 * packets with the BFD model's decoder. Both codecs are pure functions of
 * the bytes (models/bgp/bgp_msg.h, models/bfd/bfd_pkt.h), linked into the
 * viewer on their own: the viewer still reads only the trace.
 *
 * A segment may start or end inside a message (TCP cuts the stream where
 * it likes); those bytes are shown as a continuation or a partial message,
 * and the rest of the segment is still decoded.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "bfd_pkt.h"
#include "bgp_msg.h"
#include "decode.h"

struct lines {
	struct decode_line *l;
	size_t n, max;
	const char *layer;
};

static void
line(struct lines *o, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
line(struct lines *o, const char *name, const char *fmt, ...)
{
	struct decode_line *l;
	va_list ap;

	if (o->n >= o->max)
		return;
	l = &o->l[o->n++];
	snprintf(l->layer, sizeof(l->layer), "%s", o->layer);
	snprintf(l->name, sizeof(l->name), "%s", name);
	va_start(ap, fmt);
	vsnprintf(l->value, sizeof(l->value), fmt, ap);
	va_end(ap);
}

static void
pfx_list(struct lines *o, const char *name, const struct bgp_prefix4 *p,
    size_t n)
{
	char b[sizeof(o->l->value)];
	size_t i, at = 0;
	int k;

	if (n == 0)
		return;
	b[0] = '\0';
	for (i = 0; i < n; i++) {
		k = snprintf(b + at, sizeof(b) - at, "%s%u.%u.%u.%u/%u",
		    i ? " " : "", p[i].addr >> 24, (p[i].addr >> 16) & 255,
		    (p[i].addr >> 8) & 255, p[i].addr & 255, p[i].len);
		if (k < 0 || (size_t)k >= sizeof(b) - at) {
			/* what does not fit is counted, not cut */
			b[at] = '\0';
			snprintf(b + at, sizeof(b) - at, " +%zu more", n - i);
			break;
		}
		at += (size_t)k;
	}
	line(o, name, "%zu: %s", n, b);
}

static void
bgp_attrs_lines(struct lines *o, const struct bgp_attrs *a)
{
	static const char *const origin[3] = { "IGP", "EGP", "incomplete" };
	struct bgp_attrs_var v;
	char b[200];
	size_t i, at = 0;
	int k;

	if (a == NULL)
		return;
	if (a->has & BGP_HAS(BGP_ATTR_ORIGIN))
		line(o, "ORIGIN", "%s", origin[a->origin < 3 ? a->origin : 2]);
	if (a->has & BGP_HAS(BGP_ATTR_AS_PATH)) {
		bgp_path_str(a->v, a->path_len, b, sizeof(b));
		line(o, "AS_PATH", "%s", b[0] ? b : "(empty)");
	}
	if (a->has & BGP_HAS(BGP_ATTR_NEXT_HOP))
		line(o, "NEXT_HOP", "%u.%u.%u.%u", a->next_hop >> 24,
		    (a->next_hop >> 16) & 255, (a->next_hop >> 8) & 255,
		    a->next_hop & 255);
	if (a->has & BGP_HAS(BGP_ATTR_MED))
		line(o, "MED", "%u", a->med);
	if (a->has & BGP_HAS(BGP_ATTR_LOCAL_PREF))
		line(o, "LOCAL_PREF", "%u", a->local_pref);
	if (a->has & BGP_HAS(BGP_ATTR_ATOMIC_AGGR))
		line(o, "ATOMIC_AGGREGATE", "yes");
	if (a->has & BGP_HAS(BGP_ATTR_AGGREGATOR))
		line(o, "AGGREGATOR", "AS %u %u.%u.%u.%u", a->aggr_as,
		    a->aggr_id >> 24, (a->aggr_id >> 16) & 255,
		    (a->aggr_id >> 8) & 255, a->aggr_id & 255);
	bgp_attrs_var(a, &v);
	b[0] = '\0';
	for (i = 0; i < v.n_comm; i++) {
		uint32_t c = v.comm[i];

		k = c == BGP_COMM_NO_EXPORT ? snprintf(b + at, sizeof(b) - at,
		    "%sNO_EXPORT", i ? " " : "") : c == BGP_COMM_NO_ADVERTISE ?
		    snprintf(b + at, sizeof(b) - at, "%sNO_ADVERTISE",
		    i ? " " : "") : c == BGP_COMM_NO_EXPORT_SUBCONFED ?
		    snprintf(b + at, sizeof(b) - at, "%sNO_EXPORT_SUBCONFED",
		    i ? " " : "") : snprintf(b + at, sizeof(b) - at,
		    "%s%u:%u", i ? " " : "", c >> 16, c & 0xffff);
		if (k < 0 || (size_t)k >= sizeof(b) - at)
			break;
		at += (size_t)k;
	}
	if (v.n_comm > 0)
		line(o, "COMMUNITIES", "%s", b);
	at = 0;
	b[0] = '\0';
	for (i = 0; i < v.n_lcomm; i++) {
		k = snprintf(b + at, sizeof(b) - at, "%s%u:%u:%u", i ? " " : "",
		    v.lcomm[3 * i], v.lcomm[3 * i + 1], v.lcomm[3 * i + 2]);
		if (k < 0 || (size_t)k >= sizeof(b) - at)
			break;
		at += (size_t)k;
	}
	if (v.n_lcomm > 0)
		line(o, "LARGE_COMMUNITY", "%s", b);
	if (v.unknown_len > 0)
		line(o, "unknown attrs", "%u bytes (passed on)", v.unknown_len);
}

static void
bgp_msg_lines(struct lines *o, const struct bgp_msg *m)
{
	const struct bgp_update *u;
	char b[200];

	bgp_msg_summary(m, b, sizeof(b));
	line(o, "summary", "%s", b);
	switch (m->type) {
	case BGP_UPDATE:
		u = &m->u.update;
		if (bgp_update_is_eor(u)) {
			line(o, "End-of-RIB", "IPv4 unicast");
			break;
		}
		pfx_list(o, "withdrawn", u->withdrawn, u->n_withdrawn);
		pfx_list(o, "MP withdrawn", u->mp_withdrawn,
		    u->n_mp_withdrawn);
		bgp_attrs_lines(o, u->attrs);
		pfx_list(o, "NLRI", u->nlri, u->n_nlri);
		pfx_list(o, "MP NLRI", u->mp_nlri, u->n_mp_nlri);
		break;
	case BGP_NOTIFICATION:
		line(o, "error", "%s", bgp_notification_name(
		    m->u.notification.code, m->u.notification.subcode, b,
		    sizeof(b)));
		if (m->u.notification.has_shutdown_msg)
			line(o, "message", "\"%s\"",
			    m->u.notification.shutdown_msg);
		break;
	default:
		break;
	}
}

/* The first BGP marker (16 0xff bytes) at or after p[0], or n. */
static size_t
marker_at(const uint8_t *p, size_t n)
{
	size_t i, k;

	for (i = 0; i + 16 <= n; i++) {
		for (k = 0; k < 16 && p[i + k] == 0xff; k++)
			;
		if (k == 16)
			return i;
	}
	return n;
}

static void
bgp_lines(struct lines *o, const uint8_t *p, size_t n)
{
	static const char *const tname[6] = { "?", "OPEN", "UPDATE",
		"NOTIFICATION", "KEEPALIVE", "ROUTE-REFRESH" };
	struct bgp_notify err;
	struct bgp_result r;
	struct bgp_msg m;
	size_t at, len, k = 0;
	char eb[96];

	o->layer = "BGP";
	at = marker_at(p, n);
	if (at > 0)
		line(o, "", "%zu bytes continuing a message of an earlier "
		    "segment", at);
	while (at < n && o->n < o->max) {
		enum bgp_frame f = bgp_frame(p + at, n - at, &len, &err);
		uint8_t t = n - at > 18 ? p[at + 18] : 0;

		k++;
		if (f == BGP_FRAME_MORE) {
			line(o, "", "%s %zu: the first %zu bytes (the rest in "
			    "the next segment)", t > 0 && t < 6 ? tname[t] :
			    "message", k, n - at);
			return;
		}
		if (f == BGP_FRAME_BAD) {
			line(o, "", "message %zu: bad header (%s)", k,
			    bgp_notification_name(err.code, err.subcode, eb,
			    sizeof(eb)));
			return;
		}
		line(o, "", "%s %zu, %zu bytes", t < 6 ? tname[t] : "?", k,
		    len);
		/*
		 * The trace does not say whether the session negotiated
		 * 4-octet ASNs: an UPDATE is read as 4-octet, and as
		 * 2-octet when that does not decode.
		 */
		if (bgp_decode(p + at, len, true, &m, &r) == BGP_ACT_RESET &&
		    bgp_decode(p + at, len, false, &m, &r) == BGP_ACT_RESET) {
			line(o, "error", "%s", bgp_notification_name(
			    r.notify.code, r.notify.subcode, eb, sizeof(eb)));
		} else {
			bgp_msg_lines(o, &m);
			bgp_msg_free(&m);
		}
		at += len;
	}
}

static void
bfd_lines(struct lines *o, const uint8_t *p, size_t n)
{
	struct bfd_ctl c;
	enum bfd_rx_err e = bfd_pkt_decode(p, n, &c);
	char fl[32];

	o->layer = "BFD";
	line(o, "", "control packet, %zu bytes", n);
	if (e == BFD_RX_TRUNC) {
		line(o, "error", "%s", bfd_rx_err_name[e]);
		return;
	}
	line(o, "version", "%u", c.version);
	line(o, "state", "%s", c.state < BFD_STATE_MAX ?
	    bfd_state_name[c.state] : "?");
	line(o, "diagnostic", "%u %s", c.diag, bfd_diag_name(c.diag));
	snprintf(fl, sizeof(fl), "%s%s%s%s%s%s",
	    c.flags & BFD_FLAG_P ? "P " : "", c.flags & BFD_FLAG_F ? "F " : "",
	    c.flags & BFD_FLAG_C ? "C " : "", c.flags & BFD_FLAG_A ? "A " : "",
	    c.flags & BFD_FLAG_D ? "D " : "", c.flags & BFD_FLAG_M ? "M " : "");
	line(o, "flags", "%s", fl[0] ? fl : "none");
	line(o, "detect mult", "%u", c.detect_mult);
	line(o, "my discr", "%u", c.my_disc);
	line(o, "your discr", "%u", c.your_disc);
	line(o, "desired min tx", "%u us", c.des_min_tx);
	line(o, "required min rx", "%u us", c.req_min_rx);
	line(o, "req min echo rx", "%u us", c.req_min_echo_rx);
	if (e != BFD_RX_OK)
		line(o, "discarded", "%s", bfd_rx_err_name[e]);
}

size_t
decode_control(const uint8_t *frame, size_t len, struct decode_line *out,
    size_t max)
{
	struct lines o = { out, 0, max, "" };
	uint16_t sp, dp;
	uint8_t proto;
	size_t off, n;

	if (decode_payload(frame, len, &proto, &sp, &dp, &off, &n) != 0)
		return 0;
	if (proto == 6 && (sp == BGP_PORT || dp == BGP_PORT) && n > 0)
		bgp_lines(&o, frame + off, n);
	else if (proto == 17 && (dp == BFD_PORT || dp == 4784))
		bfd_lines(&o, frame + off, n);
	return o.n;
}
