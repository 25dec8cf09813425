/*
 * bgp_aspath_re.h - AS-path and community regular expressions in the
 * Cisco/FRR dialect, and the text forms they are matched against.
 *
 * A pattern is checked by our own scanner (so that a mistake is reported
 * at the byte where it is, with a message a user can act on), translated
 * to POSIX ERE and compiled with regcomp(3). The one translation is `_`,
 * which matches a delimiter: the start or the end of the text, a space, a
 * comma, a brace, a parenthesis or a square bracket (what can stand
 * between two ASNs of a path, confederation segments included). Everything
 * else is ERE: `.`, `*`, `+`, `?`, `{m,n}`, `[0-9]`, `[^...]`, `(a|b)`, `^`,
 * `$`, and `\` before a punctuation character for the character itself.
 *
 * The text of a path is what show commands print and the viewer shows
 * (bgp_path_str): ASNs separated by single spaces, an AS_SET as
 * "{1 2}", confederation segments as "(1 2)" and "[1 2]"; the empty path
 * (locally originated) is the empty string, which `^$` matches. The text
 * of communities is each "ASN:VALUE" (numbers, 65535:65281 for no-export)
 * in the order carried, separated by single spaces; large communities
 * "GLOBAL:LOCAL1:LOCAL2" likewise.
 */
#ifndef XCSIM_BGP_ASPATH_RE_H
#define XCSIM_BGP_ASPATH_RE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A configuration error: pos is a 0-based byte offset into the text given. */
struct bgp_pol_err {
	size_t pos;
	char msg[160];
};

struct bgp_re;

/*
 * Compile a pattern. NULL on error, with err filled (err may be NULL).
 * Free with bgp_re_free().
 */
struct bgp_re *bgp_re_compile(const char *pat, struct bgp_pol_err *err);
void bgp_re_free(struct bgp_re *re);
const char *bgp_re_pattern(const struct bgp_re *re);
/* The POSIX ERE the pattern was translated to (for tests and docs). */
const char *bgp_re_ere(const struct bgp_re *re);
bool bgp_re_match(const struct bgp_re *re, const char *text);

/*
 * The text forms, NUL-terminated. Each returns the length of the whole
 * text (without the NUL) and writes at most cap bytes: when the result is
 * >= cap, call again with a larger buffer. 12 bytes per word of the path
 * (per community, 33 per large community) always suffice.
 */
size_t bgp_path_text(const uint32_t *path, uint16_t n, char *buf, size_t cap);
size_t bgp_comm_text(const uint32_t *comm, uint16_t n, char *buf, size_t cap);
size_t bgp_lcomm_text(const uint32_t *lcomm, uint16_t n, char *buf,
    size_t cap);

#endif
