/*
 * query_cross.c - the crossings models register (query_cross.h): filled
 * once at init, before any run, and only read after.
 */
#include "query_cross.h"

static const struct query_crossing *crossings[QUERY_CROSSINGS_MAX];
static size_t n_crossings;

int
query_crossing_register(const struct query_crossing *c)
{
	size_t i;

	for (i = 0; i < n_crossings; i++)
		if (crossings[i] == c)
			return 0;
	if (n_crossings == QUERY_CROSSINGS_MAX)
		return -1;
	crossings[n_crossings++] = c;
	return 0;
}

size_t
query_crossings(const struct query_crossing *const **out)
{
	*out = crossings;
	return n_crossings;
}
