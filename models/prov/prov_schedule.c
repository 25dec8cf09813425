/*
 * prov_schedule.c - what a resource of the resources section is still to
 * go through (prov_state.h, prov_next_change): read from the states the
 * file (or the timeline's plan) wrote, so it answers ahead of the run.
 */
#include "prov_state_int.h"

bool
prov_next_change(const struct prov_states *ps, size_t i, sim_time after,
    struct prov_change *c)
{
	const struct prov_sc_res *sc;
	size_t lo = 0, hi, mid;

	if (ps == NULL || i >= ps->n)
		return false;
	sc = ps->res[i].sc;
	/* states are in non-decreasing time: the first one past after */
	hi = sc->n_states;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (sc->states[mid].at <= after)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == sc->n_states)
		return false;
	c->at = sc->states[lo].at;
	c->field = sc->states[lo].field;
	c->value = sc->states[lo].value;
	c->op = sc->states[lo].op;
	return true;
}
