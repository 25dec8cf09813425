/*
 * net_power.c - a node's power and who is told when it changes (net.h,
 * node_set_powered). sim/ keeps the bit and the listeners only: what a
 * powered-off node loses is for the models running on it to drop.
 */
#include <stdlib.h>
#include <string.h>

#include "net_internal.h"
#include "util.h"

bool
node_powered(const struct node *n)
{
	return !n->off;
}

void
node_add_power_listener(struct node *n, node_power_fn fn, void *ctx)
{
	n->pw = xrealloc(n->pw, (n->n_pw + 1) * sizeof(*n->pw));
	n->pw[n->n_pw++] = (struct power_listener){ fn, ctx };
}

void
node_remove_power_listener(struct node *n, node_power_fn fn, void *ctx)
{
	size_t i;

	for (i = 0; i < n->n_pw; i++) {
		if (n->pw[i].fn != fn || n->pw[i].ctx != ctx)
			continue;
		if (n->pw_depth > 0) {
			/* compacted when the telling is over */
			n->pw[i].fn = NULL;
			n->pw_dirty = true;
			return;
		}
		memmove(&n->pw[i], &n->pw[i + 1],
		    (n->n_pw - i - 1) * sizeof(*n->pw));
		n->n_pw--;
		return;
	}
}

void
node_set_powered(struct node *n, bool on)
{
	size_t i, k, count;

	if (n->off == !on)
		return;
	n->off = !on;
	/* one added while telling hears from the next change on */
	count = n->n_pw;
	n->pw_depth++;
	for (i = 0; i < count; i++)
		if (n->pw[i].fn != NULL)
			n->pw[i].fn(n, on, n->pw[i].ctx);
	if (--n->pw_depth == 0 && n->pw_dirty) {
		for (i = k = 0; i < n->n_pw; i++)
			if (n->pw[i].fn != NULL)
				n->pw[k++] = n->pw[i];
		n->n_pw = k;
		n->pw_dirty = false;
	}
}
