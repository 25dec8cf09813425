/*
 * trace_json.c - one trace record as one line of JSON (xcsim trace dump).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "trace_fmt.h"

struct jbuf {
	char *b;
	size_t len, n;
};

static void
jputs(struct jbuf *j, const char *s, size_t n)
{
	size_t k;

	if (j->n < j->len) {
		k = j->len - 1 - j->n < n ? j->len - 1 - j->n : n;
		memcpy(j->b + j->n, s, k);
		j->b[j->n + k] = '\0';
	}
	j->n += n;
}

static void
jprintf(struct jbuf *j, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
jprintf(struct jbuf *j, const char *fmt, ...)
{
	char tmp[64];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n > 0)
		jputs(j, tmp, (size_t)n < sizeof(tmp) ? (size_t)n :
		    sizeof(tmp) - 1);
}

/* Length of the valid UTF-8 sequence at s (0 if invalid). */
static size_t
utf8_len(const unsigned char *s)
{
	size_t n, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return n;
}

/* "key":"escaped" or "key":null. Invalid UTF-8 becomes U+FFFD. */
static void
jstr(struct jbuf *j, const char *key, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	jprintf(j, ",\"%s\":", key);
	if (s == NULL) {
		jputs(j, "null", 4);
		return;
	}
	jputs(j, "\"", 1);
	while (*p) {
		switch (*p) {
		case '"':
			jputs(j, "\\\"", 2);
			break;
		case '\\':
			jputs(j, "\\\\", 2);
			break;
		case '\n':
			jputs(j, "\\n", 2);
			break;
		case '\r':
			jputs(j, "\\r", 2);
			break;
		case '\t':
			jputs(j, "\\t", 2);
			break;
		default:
			if (*p < 0x20) {
				jprintf(j, "\\u%04x", *p);
				break;
			}
			n = utf8_len(p);
			if (n == 0) {
				jputs(j, "\\ufffd", 6);
				break;
			}
			jputs(j, (const char *)p, n);
			p += n;
			continue;
		}
		p++;
	}
	jputs(j, "\"", 1);
}

static void
ju(struct jbuf *j, const char *key, uint64_t v)
{
	jprintf(j, ",\"%s\":%" PRIu64, key, v);
}

static void
ji(struct jbuf *j, const char *key, int64_t v)
{
	jprintf(j, ",\"%s\":%" PRId64, key, v);
}

static void
jbool(struct jbuf *j, const char *key, bool v)
{
	jprintf(j, ",\"%s\":%s", key, v ? "true" : "false");
}

static void
jaddr(struct jbuf *j, const char *key, uint32_t a)
{
	jprintf(j, ",\"%s\":\"%u.%u.%u.%u\"", key, a >> 24, (a >> 16) & 0xff,
	    (a >> 8) & 0xff, a & 0xff);
}

static void
jopt(struct jbuf *j, const char *key, uint32_t id)
{
	if (id == TRACE_NO_ID)
		jprintf(j, ",\"%s\":null", key);
	else
		ju(j, key, id);
}

size_t
trace_rec_json(const struct trace_rec *r, char *buf, size_t len)
{
	struct jbuf j = { buf, len, 0 };
	const char *name;
	int i;

	if (len > 0)
		buf[0] = '\0';
	name = r->type > 0 && r->type < TR_TYPE_MAX ?
	    trace_type_name[r->type] : "unknown";
	jprintf(&j, "{\"t\":%" PRId64 ",\"type\":\"%s\"", (int64_t)r->t, name);
	switch (r->type) {
	case TR_NODE:
		ju(&j, "id", r->u.node.id);
		jstr(&j, "name", r->u.node.name);
		jstr(&j, "role", r->u.node.role);
		jstr(&j, "region", r->u.node.region);
		if (r->u.node.pos[0] == TRACE_POS_AUTO ||
		    r->u.node.pos[1] == TRACE_POS_AUTO)
			jputs(&j, ",\"pos\":null", 11);
		else
			jprintf(&j, ",\"pos\":[%d,%d]", (int)r->u.node.pos[0],
			    (int)r->u.node.pos[1]);
		break;
	case TR_IFACE:
		ju(&j, "node", r->u.iface.node);
		ju(&j, "ifindex", r->u.iface.ifindex);
		jstr(&j, "name", r->u.iface.name);
		jprintf(&j, ",\"mac\":\"%02x:%02x:%02x:%02x:%02x:%02x\"",
		    r->u.iface.mac[0], r->u.iface.mac[1], r->u.iface.mac[2],
		    r->u.iface.mac[3], r->u.iface.mac[4], r->u.iface.mac[5]);
		jaddr(&j, "addr", r->u.iface.addr);
		ju(&j, "plen", r->u.iface.plen);
		break;
	case TR_LINK:
		ju(&j, "id", r->u.link.id);
		jstr(&j, "name", r->u.link.name);
		jprintf(&j, ",\"node\":[%u,%u]", r->u.link.node[0],
		    r->u.link.node[1]);
		jprintf(&j, ",\"ifindex\":[%u,%u]", r->u.link.ifindex[0],
		    r->u.link.ifindex[1]);
		jprintf(&j, ",\"rate_bps\":[%" PRIu64 ",%" PRIu64 "]",
		    r->u.link.rate_bps[0], r->u.link.rate_bps[1]);
		jprintf(&j, ",\"delay\":[%" PRId64 ",%" PRId64 "]",
		    (int64_t)r->u.link.delay[0], (int64_t)r->u.link.delay[1]);
		ju(&j, "mtu", r->u.link.mtu);
		ju(&j, "qlimit_pkts", r->u.link.qlimit_pkts);
		ju(&j, "qlimit_bytes", r->u.link.qlimit_bytes);
		break;
	case TR_PKT_ENQUEUE:
		ju(&j, "uid", r->u.enqueue.uid);
		ju(&j, "link", r->u.enqueue.link);
		ju(&j, "dir", r->u.enqueue.dir);
		ju(&j, "len", r->u.enqueue.len);
		ju(&j, "qpkts", r->u.enqueue.qpkts);
		ju(&j, "qbytes", r->u.enqueue.qbytes);
		break;
	case TR_PKT_TX:
		ju(&j, "uid", r->u.tx.uid);
		ju(&j, "link", r->u.tx.link);
		ju(&j, "dir", r->u.tx.dir);
		ju(&j, "len", r->u.tx.len);
		ji(&j, "tx_end", r->u.tx.tx_end);
		ji(&j, "arrive", r->u.tx.arrive);
		ju(&j, "qpkts", r->u.tx.qpkts);
		ju(&j, "qbytes", r->u.tx.qbytes);
		jputs(&j, ",\"hdr\":\"", 8);
		for (i = 0; i < r->u.tx.hdr_len && r->u.tx.hdr != NULL; i++)
			jprintf(&j, "%02x", r->u.tx.hdr[i]);
		jputs(&j, "\"", 1);
		break;
	case TR_PKT_RX:
		ju(&j, "uid", r->u.rx.uid);
		ju(&j, "link", r->u.rx.link);
		ju(&j, "dir", r->u.rx.dir);
		ju(&j, "node", r->u.rx.node);
		ju(&j, "ifindex", r->u.rx.ifindex);
		break;
	case TR_PKT_DROP:
		ju(&j, "uid", r->u.drop.uid);
		ju(&j, "node", r->u.drop.node);
		jopt(&j, "link", r->u.drop.link);
		if (r->u.drop.link != TRACE_NO_ID)
			ju(&j, "dir", r->u.drop.dir);
		jprintf(&j, ",\"reason\":\"%s\"",
		    (unsigned)r->u.drop.reason < DROP_MAX ?
		    trace_drop_name[r->u.drop.reason] : "unknown");
		ju(&j, "len", r->u.drop.len);
		if (r->u.drop.link != TRACE_NO_ID) {
			ju(&j, "qpkts", r->u.drop.qpkts);
			ju(&j, "qbytes", r->u.drop.qbytes);
		}
		if (r->u.drop.detail != NULL)
			jstr(&j, "detail", r->u.drop.detail);
		break;
	case TR_LINK_STATE:
		ju(&j, "link", r->u.link_state.link);
		jbool(&j, "up", r->u.link_state.up);
		break;
	case TR_ANNOTATE:
		jopt(&j, "node", r->u.annotate.node);
		jstr(&j, "text", r->u.annotate.text);
		break;
	case TR_APP:
		ju(&j, "node", r->u.app.node);
		jstr(&j, "app", r->u.app.app);
		ju(&j, "seq", r->u.app.seq);
		jbool(&j, "ok", r->u.app.ok);
		ji(&j, "rtt", r->u.app.rtt);
		jstr(&j, "text", r->u.app.text);
		break;
	case TR_ASSERT:
		jbool(&j, "pass", r->u.assertion.pass);
		jstr(&j, "text", r->u.assertion.text);
		break;
	case TR_SESSION_STATE:
		jprintf(&j, ",\"proto\":\"%s\"",
		    (unsigned)r->u.session.proto < TRP_MAX ?
		    trace_proto_name[r->u.session.proto] : "unknown");
		ju(&j, "node", r->u.session.node);
		jstr(&j, "peer", r->u.session.peer);
		jstr(&j, "state", r->u.session.state);
		jstr(&j, "reason", r->u.session.reason);
		break;
	case TR_ROUTE:
		ju(&j, "node", r->u.route.node);
		jstr(&j, "table", r->u.route.table);
		jaddr(&j, "prefix", r->u.route.prefix);
		ju(&j, "plen", r->u.route.plen);
		jbool(&j, "withdrawn", r->u.route.withdrawn);
		jstr(&j, "nexthop", r->u.route.nexthop);
		jstr(&j, "attrs", r->u.route.attrs);
		break;
	case TR_PROV_STATE:
		ju(&j, "node", r->u.prov.node);
		jstr(&j, "resource", r->u.prov.resource);
		jstr(&j, "field", r->u.prov.field);
		jstr(&j, "state", r->u.prov.state);
		break;
	case TR_QUEUE:
		ju(&j, "link", r->u.queue.link);
		ju(&j, "dir", r->u.queue.dir);
		ju(&j, "qpkts", r->u.queue.qpkts);
		ju(&j, "qbytes", r->u.queue.qbytes);
		break;
	case TR_QUEUE_DEF:
		ju(&j, "queue", r->u.qdef.queue);
		jopt(&j, "link", r->u.qdef.link);
		if (r->u.qdef.link != TRACE_NO_ID)
			ju(&j, "dir", r->u.qdef.dir);
		jstr(&j, "kind", r->u.qdef.kind);
		break;
	case TR_QUEUE_LEN:
		ju(&j, "queue", r->u.qlen.queue);
		ju(&j, "pkts", r->u.qlen.pkts);
		ju(&j, "bytes", r->u.qlen.bytes);
		break;
	case TR_KEYFRAME:
	default:
		break;
	}
	jputs(&j, "}", 1);
	return j.n;
}

