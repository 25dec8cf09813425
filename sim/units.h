/*
 * units.h - simulated time and the unit-bearing quantities of xcsim.
 *
 * Time is a signed 64-bit count of nanoseconds since the start of the
 * simulation. There is no floating-point clock anywhere in sim/ or models/.
 * This module owns the text form of times, durations and rates, as written in
 * scenario files and on the command line ("250ns", "1.5ms", "2s", "5m",
 * "1Gbps"), and their exact integer conversion.
 */
#ifndef XCSIM_UNITS_H
#define XCSIM_UNITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef int64_t sim_time;

#define SIM_NS(x) ((sim_time)(x))
#define SIM_US(x) ((sim_time)(x) * 1000LL)
#define SIM_MS(x) ((sim_time)(x) * 1000000LL)
#define SIM_S(x) ((sim_time)(x) * 1000000000LL)
#define SIM_TIME_MAX INT64_MAX

/*
 * Parse a time or duration with a unit: ns, us, ms, s, m, h. Decimals are
 * allowed ("1.5ms") as long as the result is a whole number of nanoseconds.
 * A leading '-' is accepted only when allow_negative is set. Returns 0, or
 * -1 with a short reason in err (may be NULL).
 */
int units_parse_time(const char *text, int allow_negative, sim_time *out,
    char *err, size_t errlen);

/*
 * Parse a rate: bps, kbps, Mbps, Gbps, Tbps (decimal prefixes, case of the
 * prefix letter as written; "1Gbps", "2.5Gbps", "500Mbps"). Returns 0 or -1.
 */
int units_parse_rate(const char *text, uint64_t *bps, char *err, size_t errlen);

/*
 * Parse a byte size: "1500", "1500B", "64KB", "1MB", "2KiB". Times, rates
 * and sizes are decimal: hexadecimal (0x40) is for counts, and is refused
 * with a message saying so rather than as an unknown unit "x40".
 */
int units_parse_bytes(const char *text, uint64_t *bytes, char *err,
    size_t errlen);

/*
 * A plain count: decimal, or hexadecimal after 0x / 0X; no sign, no spaces,
 * no octal (a leading 0 is decimal). The one rule for every integer xcsim
 * reads, in scenario files and on the command line. False on overflow.
 */
bool units_parse_uint(const char *text, uint64_t *out);
/*
 * Whether text is written as such a count, whatever its value: a count
 * units_parse_uint refuses is then one too large for 64 bits.
 */
bool units_is_count(const char *text);

/* The units each parser accepts, for documentation and the schema. */
enum units_kind { UNITS_TIME, UNITS_RATE, UNITS_SIZE };
/* The i-th unit name of kind k ("" = no unit), NULL past the last. */
const char *units_name(enum units_kind k, size_t i);

/*
 * Format t the shortest exact way ("1.5ms", "2s", "250ns"). Writes at most
 * len bytes including the NUL and returns buf.
 */
char *units_fmt_time(char *buf, size_t len, sim_time t);
char *units_fmt_rate(char *buf, size_t len, uint64_t bps);

/*
 * Serialisation time of len_bytes at rate_bps, rounded up to the next
 * nanosecond. Exact for any length and rate (128-bit intermediate).
 */
sim_time units_tx_time(uint64_t len_bytes, uint64_t rate_bps);

#endif
