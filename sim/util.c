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

_Noreturn void
xcsim_oom(void)
{
	/* stderr is unbuffered: this allocates nothing */
	fputs("xcsim: fatal: out of memory\n", stderr);
	exit(XCSIM_EXIT_OOM);	/* atexit handlers remove temporary outputs */
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		xcsim_oom();
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		xcsim_oom();
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (p == NULL)
		xcsim_oom();
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
		xcsim_oom();
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

/* Bytes of the UTF-8 sequence led by s[0], or 1 if it is not a whole one. */
static size_t
utf8_len(const unsigned char *s)
{
	size_t n = s[0] >= 0xf0 && s[0] <= 0xf7 ? 4 : s[0] >= 0xe0 &&
	    s[0] < 0xf0 ? 3 : s[0] >= 0xc0 && s[0] < 0xe0 ? 2 : 1, i;

	for (i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 1;
	return n;
}

size_t
text_escape_part(char *dst, size_t dstlen, const char *src)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t o = 0, n, used;
	char buf[5];

	if (dstlen == 0)
		return 0;
	while (*s != 0) {
		const char *text = buf;

		if ((n = escape_one(s, buf, &used)) == 0) {
			/* as is, and a character is never cut in two */
			n = used = utf8_len(s);
			text = (const char *)s;
		}
		if (o + n >= dstlen)
			break;
		memcpy(dst + o, text, n);
		o += n;
		s += used;
	}
	dst[o] = 0;
	return (size_t)(s - (const unsigned char *)src);
}

char *
text_escape(char *dst, size_t dstlen, const char *src)
{
	text_escape_part(dst, dstlen, src);
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
