/*
 * util.h - the small helpers every layer shares: allocation that never
 * returns NULL, caller error buffers, fatal invariant checks, and byte order.
 *
 * It owns no state. viz/ and the trace reader use it without linking the
 * rest of sim/, so it depends on nothing but libc.
 *
 * Byte order: every wire format and file format in xcsim is read and written
 * a byte at a time through these helpers, so alignment and host byte order
 * never matter. be = network (big-endian) order, le = little-endian.
 */
#ifndef XCSIM_UTIL_H
#define XCSIM_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Exit status when memory runs out: not 1 (an assertion failed), not 2 (bad input). */
#define XCSIM_EXIT_OOM 3

/* Abort with file:line and a message: for broken invariants, never for input. */
/* An expression, so that SIM_ASSERT(0, ...) is seen as not returning. */
#define SIM_ASSERT(cond, ...)                                                \
	((cond) ? (void)0 : sim_fatal(__FILE__, __LINE__, __VA_ARGS__))
_Noreturn void sim_fatal(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Format a message into a caller's error buffer (err may be NULL, as in
 * Redis' anetSetError) and return -1, so that "return sim_err(...)" reads
 * as the failure it is.
 */
int sim_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Out of memory ends the process: a message on stderr, then
 * exit(XCSIM_EXIT_OOM), which runs the atexit handlers: a program that
 * writes outputs removes its temporary files there (cli/cmd_run.c), so
 * sim/ keeps no process-wide hook of its own. xcsim_oom is that path, for
 * code whose allocator is not these (libyaml).
 */
_Noreturn void xcsim_oom(void);

/* Out of memory ends the process with XCSIM_EXIT_OOM; these never return NULL. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
/* align is a power of two; n is rounded up to a multiple of it by the caller. */
void *xaligned_alloc(size_t align, size_t n);

/*
 * Text from outside (scenario names, YAML strings, trace strings) made safe
 * for a terminal: C0 control characters, DEL and the C1 range's UTF-8 lead
 * 0xc2 0x80..0x9f are written as \n, \t, \r or \xHH, everything else as is.
 * text_escape always NUL-terminates dst (dstlen > 0), truncating if needed
 * (never inside an escape or a UTF-8 character), and returns dst;
 * fputs_escaped writes to a stream.
 */
char *text_escape(char *dst, size_t dstlen, const char *src);
/*
 * The same, returning how many bytes of src it wrote out (all of them
 * unless it truncated). Truncation never cuts a UTF-8 character in two.
 */
size_t text_escape_part(char *dst, size_t dstlen, const char *src);
int fputs_escaped(const char *s, FILE *f);

static inline uint16_t
get_be16(const uint8_t *b)
{
	return (uint16_t)(b[0] << 8 | b[1]);
}

static inline uint32_t
get_be32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	    (uint32_t)b[2] << 8 | b[3];
}

static inline uint64_t
get_be64(const uint8_t *b)
{
	return (uint64_t)get_be32(b) << 32 | get_be32(b + 4);
}

static inline void
put_be16(uint8_t *b, uint16_t v)
{
	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
}

static inline void
put_be32(uint8_t *b, uint32_t v)
{
	b[0] = (uint8_t)(v >> 24);
	b[1] = (uint8_t)(v >> 16);
	b[2] = (uint8_t)(v >> 8);
	b[3] = (uint8_t)v;
}

static inline void
put_be64(uint8_t *b, uint64_t v)
{
	put_be32(b, (uint32_t)(v >> 32));
	put_be32(b + 4, (uint32_t)v);
}

static inline uint64_t
get_le64(const uint8_t *b)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | b[i];
	return v;
}

static inline void
put_le64(uint8_t *b, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++, v >>= 8)
		b[i] = (uint8_t)v;
}

#endif
