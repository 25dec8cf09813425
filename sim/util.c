/*
 * util.c - allocation, error buffers and fatal checks (see util.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

_Noreturn void
sim_fatal(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "xcsim: fatal: %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

int
sim_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return -1;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static void
oom(void)
{
	fputs("xcsim: fatal: out of memory\n", stderr);
	exit(XCSIM_EXIT_OOM);
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		oom();
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		oom();
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (p == NULL)
		oom();
	return p;
}

char *
xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(xmalloc(n), s, n);
}

void *
xaligned_alloc(size_t align, size_t n)
{
	void *p = aligned_alloc(align, n);

	if (p == NULL)
		oom();
	return p;
}

/* Length of the escape for the byte at s, and its text in buf (or 0: as is). */
static size_t
escape_one(const unsigned char *s, char buf[5], size_t *consumed)
{
	*consumed = 1;
	switch (s[0]) {
	case '\n': memcpy(buf, "\\n", 3); return 2;
	case '\t': memcpy(buf, "\\t", 3); return 2;
	case '\r': memcpy(buf, "\\r", 3); return 2;
	default:
		break;
	}
	if (s[0] < 0x20 || s[0] == 0x7f) {
		snprintf(buf, 5, "\\x%02x", s[0]);
		return 4;
	}
	if (s[0] == 0xc2 && s[1] >= 0x80 && s[1] <= 0x9f) {
		/* A C1 control (U+0080..U+009F), CSI among them. */
		snprintf(buf, 5, "\\x%02x", s[1]);
		*consumed = 2;
		return 4;
	}
	return 0;
}

char *
text_escape(char *dst, size_t dstlen, const char *src)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t o = 0, n, used;
	char buf[5];

	if (dstlen == 0)
		return dst;
	while (*s != 0) {
		n = escape_one(s, buf, &used);
		if (n == 0) {
			buf[0] = (char)*s;
			n = 1;
		}
		if (o + n >= dstlen)
			break;
		memcpy(dst + o, buf, n);
		o += n;
		s += used;
	}
	dst[o] = 0;
	return dst;
}

int
fputs_escaped(const char *src, FILE *f)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t n, used;
	char buf[5];

	while (*s != 0) {
		n = escape_one(s, buf, &used);
		if (n == 0) {
			if (putc(*s, f) == EOF)
				return EOF;
		} else if (fwrite(buf, 1, n, f) != n)
			return EOF;
		s += used;
	}
	return 0;
}
