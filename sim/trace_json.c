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

/* A JSON string, or null. Invalid UTF-8 becomes U+FFFD. */
static void
jstr(struct jbuf *j, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

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

/* The value of one field (element e of a .pair array). */
static void
jvalue(struct jbuf *j, const struct trace_rec *r, const struct trace_field *f,
    unsigned e)
{
	const void *p = crec_at(r, (uint16_t)(f->off + e * tf_size(f->kind)));
	const uint8_t *b;
	uint32_t a;
	int32_t pos[2];
	unsigned i, n;
	int v;

	switch (f->kind) {
	case TF_U32:
	case TF_OPTID:
		a = *(const uint32_t *)p;
		if (f->kind == TF_OPTID && a == TRACE_NO_ID)
			jputs(j, "null", 4);
		else
			jprintf(j, "%" PRIu32, a);
		break;
	case TF_U64:
	case TF_UID:
	case TF_UIDREF:
		jprintf(j, "%" PRIu64, *(const uint64_t *)p);
		break;
	case TF_BYTE:
	case TF_DIR:
		jprintf(j, "%u", *(const uint8_t *)p);
		break;
	case TF_BOOL:
		jprintf(j, "%s", *(const bool *)p ? "true" : "false");
		break;
	case TF_DUR:
	case TF_TREL:
		jprintf(j, "%" PRId64, (int64_t)*(const sim_time *)p);
		break;
	case TF_LINKDIR:
		jprintf(j, "%" PRIu32 ",\"%s\":%u", *(const uint32_t *)p,
		    f->name2, *(const uint8_t *)crec_at(r, f->aux));
		break;
	case TF_STR:
	case TF_TEXT:
		jstr(j, *(const char *const *)p);
		break;
	case TF_ADDR:
		a = *(const uint32_t *)p;
		jprintf(j, "\"%u.%u.%u.%u\"", a >> 24, (a >> 16) & 0xff,
		    (a >> 8) & 0xff, a & 0xff);
		break;
	case TF_MAC:
		b = p;
		jprintf(j, "\"%02x:%02x:%02x:%02x:%02x:%02x\"", b[0], b[1],
		    b[2], b[3], b[4], b[5]);
		break;
	case TF_POS:
		memcpy(pos, p, sizeof(pos));
		if (pos[0] == TRACE_POS_AUTO || pos[1] == TRACE_POS_AUTO)
			jputs(j, "null", 4);
		else
			jprintf(j, "[%d,%d]", (int)pos[0], (int)pos[1]);
		break;
	case TF_HDR:
	case TF_DATA:
		b = *(const uint8_t *const *)p;
		n = f->kind == TF_HDR ? *(const uint16_t *)crec_at(r, f->aux) :
		    *(const uint32_t *)crec_at(r, f->aux);
		jputs(j, "\"", 1);
		for (i = 0; i < n && b != NULL; i++)
			jprintf(j, "%02x", b[i]);
		jputs(j, "\"", 1);
		break;
	case TF_ENUM:
		v = tf_enum(p);
		jprintf(j, "\"%s\"", v >= 0 && (unsigned)v < f->names_n ?
		    f->names[v] : "unknown");
		break;
	}
}

size_t
trace_rec_json(const struct trace_rec *r, char *buf, size_t len)
{
	const struct trace_desc *d = trace_desc_of(r->type);
	struct jbuf j = { buf, len, 0 };
	const struct trace_field *f, *idf = NULL;
	unsigned i, k;

	if (len > 0)
		buf[0] = '\0';
	jprintf(&j, "{\"t\":%" PRId64 ",\"type\":\"%s\"", (int64_t)r->t,
	    d != NULL ? d->name : "unknown");
	for (i = 0; d != NULL && i < d->nfields; i++)
		if (d->f[i].kind == TF_OPTID)
			idf = &d->f[i];
	for (k = 0; d != NULL && k < d->nfields; k++) {
		f = &d->f[d->json != NULL ? d->json[k] : k];
		if ((f->flags & TFF_IFID) && idf != NULL &&
		    *(const uint32_t *)crec_at(r, idf->off) == TRACE_NO_ID)
			continue;
		if ((f->flags & TFF_TAIL) &&
		    *(const char *const *)crec_at(r, f->off) == NULL)
			continue;
		jprintf(&j, ",\"%s\":", f->name);
		if (!(f->flags & TFF_ARR2)) {
			jvalue(&j, r, f, 0);
			continue;
		}
		jputs(&j, "[", 1);
		jvalue(&j, r, f, 0);
		jputs(&j, ",", 1);
		jvalue(&j, r, f, 1);
		jputs(&j, "]", 1);
	}
	jputs(&j, "}", 1);
	return j.n;
}
