/* layout.c - role columns for cloud topologies, BFS layers for the rest. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"
#include "util.h"
#include "trace.h"

#define MARGIN 0.05f
#define NO_COL (-1)

struct role_place {
	const char *role;
	int col;		/* main column, NO_COL: from the neighbours */
	int band;		/* 0 the private path, 1 the lower band */
	int group;
};

static const struct role_place role_places[] = {
	{ "azure-vm", 0, 0, LG_AZURE },
	{ "azure-er-gateway", 1, 0, LG_AZURE },
	{ "azure-vnet", 1, 0, LG_AZURE },	/* the fabric, beside the gateway */
	{ "azure-vpn-gateway", 1, 1, LG_AZURE },
	{ "msee", 2, 0, LG_PEERING },
	{ "provider-edge", NO_COL, 1, LG_PEERING },
	{ "provider-core", NO_COL, 1, LG_PEERING },
	{ "oci-edge", 4, 0, LG_PEERING },
	{ "oci-drg", 5, 0, LG_OCI },
	{ "oci-vcn", 5, 0, LG_OCI },	/* the fabric, beside the DRG */
	{ "oci-instance", 6, 0, LG_OCI },
	{ "internet", NO_COL, 1, LG_INTERNET },
};
#define NCOLS 7

/*
 * The private path is drawn as a valley, which uses the canvas's height
 * and tells the story: the workloads at the top of their clouds, the
 * gateways below them, the peering location's edges at the bottom, where
 * the clouds meet. Tier of each main column, 0 top to 2 bottom.
 */
static const int col_tier[NCOLS] = { 0, 1, 2, 2, 2, 1, 0 };
#define TIER_SHARE 0.3f	/* a column's share of the height */

static const struct role_place *
role_place(const char *role)
{
	size_t i;

	for (i = 0; role != NULL && i < sizeof(role_places) /
	    sizeof(role_places[0]); i++)
		if (strcmp(role, role_places[i].role) == 0)
			return &role_places[i];
	return NULL;
}

int
layout_role_family(const char *role)
{
	const struct role_place *p = role_place(role);

	if (p == NULL)
		return 0;
	if (strncmp(role, "azure-", 6) == 0)
		return 1;
	if (strncmp(role, "oci-", 4) == 0)
		return 2;
	if (p->group == LG_INTERNET)
		return 3;
	return 0;
}

struct ctx {
	const struct layout_node_in *nodes;
	size_t n;
	const struct layout_link_in *links;
	size_t nlinks;
	struct layout *out;
	int *col;		/* column index, -1 when not in a column */
	float *key;		/* ordering key within a column */
};

static int
fixed_pos(const struct layout_node_in *nd)
{
	return nd->pos[0] != TRACE_POS_AUTO && nd->pos[1] != TRACE_POS_AUTO;
}

/* Mean y of the neighbours in other columns; -1 when there are none. */
static float
neighbour_mean_y(const struct ctx *c, size_t i)
{
	float sum = 0;
	int cnt = 0;
	size_t k;
	uint32_t o;

	for (k = 0; k < c->nlinks; k++) {
		if (c->links[k].a == i)
			o = c->links[k].b;
		else if (c->links[k].b == i)
			o = c->links[k].a;
		else
			continue;
		if (o >= c->n || c->col[o] == c->col[i])
			continue;
		sum += c->out->y[o];
		cnt++;
	}
	return cnt ? sum / (float)cnt : -1.0f;
}

/*
 * Place the nodes of columns 0..ncols-1, ordered by key, inside [y0, y1],
 * or inside the column's own range when ranges is given (2 per column).
 */
static void
place_columns(struct ctx *c, int ncols, float y0, float y1, const float *colx,
    const float *ranges)
{
	size_t *idx = xmalloc(c->n * sizeof(*idx));
	int col, sweep;
	size_t i, j, k, m;

	for (sweep = 0; sweep < 3; sweep++) {
		for (col = 0; col < ncols; col++) {
			float a = ranges != NULL ? ranges[2 * col] : y0;
			float b = ranges != NULL ? ranges[2 * col + 1] : y1;

			m = 0;
			for (i = 0; i < c->n; i++)
				if (c->col[i] == col)
					idx[m++] = i;
			/* insertion sort by key, then name: m is small */
			for (j = 1; j < m; j++) {
				size_t v = idx[j];

				for (k = j; k > 0; k--) {
					size_t u = idx[k - 1];

					if (c->key[u] < c->key[v] ||
					    (c->key[u] == c->key[v] &&
					    strcmp(c->nodes[u].name,
					    c->nodes[v].name) <= 0))
						break;
					idx[k] = u;
				}
				idx[k] = v;
			}
			for (j = 0; j < m; j++) {
				i = idx[j];
				c->out->x[i] = colx[col];
				c->out->y[i] = a + ((float)j + 0.5f) *
				    (b - a) / (float)m;
			}
		}
		for (i = 0; i < c->n; i++) {
			float y;

			if (c->col[i] < 0)
				continue;
			y = neighbour_mean_y(c, i);
			if (y >= 0)
				c->key[i] = y;
		}
	}
	free(idx);
}

static void
spread_x(float *colx, int ncols)
{
	int i;

	for (i = 0; i < ncols; i++)
		colx[i] = ncols == 1 ? 0.5f : MARGIN + (float)i *
		    (1 - 2 * MARGIN) / (float)(ncols - 1);
}

/*
 * Past this many layers, or nodes in one layer, the layers no longer give
 * a node room for its tile: the nodes are folded into a grid instead.
 */
#define MAX_LAYERS 24
#define MAX_LAYER_NODES 24
/* columns per row: the canvas is about twice as wide as high, and a node
 * (tile, name and role under it) about 1.5 times as high as wide */
#define GRID_ASPECT 3.0f

struct grid_key {
	size_t comp, i;
	int dist;
	float y;
};

static int
cmp_grid_key(const void *a, const void *b)
{
	const struct grid_key *x = a, *y = b;

	if (x->comp != y->comp)
		return x->comp < y->comp ? -1 : 1;
	if (x->dist != y->dist)
		return x->dist < y->dist ? -1 : 1;
	if (x->y != y->y)
		return x->y < y->y ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/*
 * A grid about as wide as the canvas, filled in layer order row by row,
 * every other row right to left, so that neighbours in a chain or a layer
 * stay next to one another.
 */
static void
fold_grid(struct ctx *c, const size_t *comp, const int *dist)
{
	struct grid_key *k = xmalloc(c->n * sizeof(*k));
	size_t i, gc, gr, row, col;

	for (i = 0; i < c->n; i++)
		k[i] = (struct grid_key){ comp[i], i, dist[i], c->out->y[i] };
	qsort(k, c->n, sizeof(*k), cmp_grid_key);
	gc = (size_t)ceilf(sqrtf((float)c->n * GRID_ASPECT));
	if (gc < 1)
		gc = 1;
	gr = (c->n + gc - 1) / gc;
	c->out->grid_cols = gc;
	c->out->grid_rows = gr;
	for (i = 0; i < c->n; i++) {
		row = i / gc;
		col = row % 2 == 0 ? i % gc : gc - 1 - i % gc;
		c->out->x[k[i].i] = MARGIN + ((float)col + 0.5f) *
		    (1 - 2 * MARGIN) / (float)gc;
		c->out->y[k[i].i] = 0.08f + ((float)row + 0.5f) * 0.84f /
		    (float)gr;
	}
	free(k);
}

static void
layout_generic(struct ctx *c)
{
	size_t *queue = xmalloc(c->n * sizeof(*queue));
	size_t *comp = xmalloc(c->n * sizeof(*comp));
	size_t *width;
	int *dist = xmalloc(c->n * sizeof(*dist));
	size_t i, k, head, tail, start, ncomp = 0, widest = 0;
	int maxd = 0;
	float *colx;
	bool any;

	for (i = 0; i < c->n; i++)
		dist[i] = -1;
	for (;;) {
		/* the next component starts at its lowest-numbered host */
		start = c->n;
		any = false;
		for (i = 0; i < c->n; i++) {
			if (dist[i] >= 0)
				continue;
			if (!any) {
				start = i;
				any = true;
			}
			if (c->nodes[i].role != NULL &&
			    strcmp(c->nodes[i].role, "host") == 0) {
				start = i;
				break;
			}
		}
		if (!any)
			break;
		dist[start] = 0;
		comp[start] = ncomp++;
		head = tail = 0;
		queue[tail++] = start;
		while (head < tail) {
			size_t u = queue[head++];

			for (k = 0; k < c->nlinks; k++) {
				uint32_t o;

				if (c->links[k].a == u)
					o = c->links[k].b;
				else if (c->links[k].b == u)
					o = c->links[k].a;
				else
					continue;
				if (o >= c->n || dist[o] >= 0)
					continue;
				dist[o] = dist[u] + 1;
				comp[o] = comp[u];
				if (dist[o] > maxd)
					maxd = dist[o];
				queue[tail++] = o;
			}
		}
	}
	for (i = 0; i < c->n; i++) {
		c->col[i] = dist[i];
		c->key[i] = (float)i;
	}
	colx = xmalloc((size_t)(maxd + 1) * sizeof(*colx));
	spread_x(colx, maxd + 1);
	place_columns(c, maxd + 1, 0.08f, 0.92f, colx, NULL);
	width = xcalloc((size_t)maxd + 1, sizeof(*width));
	for (i = 0; i < c->n; i++)
		if (++width[dist[i]] > widest)
			widest = width[dist[i]];
	if (maxd + 1 > MAX_LAYERS || widest > MAX_LAYER_NODES)
		fold_grid(c, comp, dist);
	free(width);
	free(colx);
	free(comp);
	free(dist);
	free(queue);
}

/* The region of a main column: 0 Azure, 1 peering, 2 OCI. */
static int
col_group(int col)
{
	return col <= 1 ? 0 : col <= 4 ? 1 : 2;
}

static float
col_to_x(float colf, const int *used, int nused, const float *usedx)
{
	int i;

	if (nused == 0)
		return 0.5f;
	if (colf <= (float)used[0])
		return usedx[0];
	for (i = 0; i + 1 < nused; i++) {
		if (colf <= (float)used[i + 1]) {
			float f = (colf - (float)used[i]) /
			    (float)(used[i + 1] - used[i]);

			return usedx[i] + f * (usedx[i + 1] - usedx[i]);
		}
	}
	return usedx[nused - 1];
}

static void
layout_cloud(struct ctx *c)
{
	float colx[NCOLS], usedx[NCOLS], lower_y = 0.84f, y1 = 0.90f;
	int used[NCOLS], nused = 0, col, it;
	bool has_col[NCOLS] = { false }, lower = false;
	size_t i, k, *low, nlow = 0;
	const struct role_place *p;

	for (i = 0; i < c->n; i++) {
		p = role_place(c->nodes[i].role);
		c->col[i] = -1;
		c->key[i] = (float)i;
		if (p != NULL && p->col != NO_COL && p->band == 0) {
			c->col[i] = p->col;
			has_col[p->col] = true;
		} else {
			lower = true;
			if (p != NULL && p->col != NO_COL)
				has_col[p->col] = true;
		}
	}
	for (col = 0; col < NCOLS; col++)
		if (has_col[col])
			used[nused++] = col;
	/*
	 * Wider gaps between the regions than inside them, except at the
	 * peering location, whose cross-connect (the circuit, where queues
	 * build) gets the most room.
	 */
	usedx[0] = 0;
	for (col = 1; col < nused; col++)
		usedx[col] = usedx[col - 1] + (col_group(used[col]) !=
		    col_group(used[col - 1]) ? 1.3f :
		    col_group(used[col]) == 1 ? 1.7f : 1.0f);
	for (col = 0; col < nused; col++)
		usedx[col] = nused == 1 ? 0.5f : MARGIN + usedx[col] /
		    usedx[nused - 1] * (1 - 2 * MARGIN);
	for (col = 0; col < NCOLS; col++)
		colx[col] = col_to_x((float)col, used, nused, usedx);
	if (lower) {
		/* the lower band is one row; the columns get the rest */
		int most = 1, cnt[NCOLS] = { 0 };

		for (i = 0; i < c->n; i++)
			if (c->col[i] >= 0 && ++cnt[c->col[i]] > most)
				most = cnt[c->col[i]];
		y1 = 1.0f - 1.0f / (float)(most + 1) - 0.02f;
		if (y1 < 0.56f)
			y1 = 0.56f;
		lower_y = (y1 + 1.0f) / 2 + 0.04f;
	}
	/* the used columns' tiers, spread over [0.04, y1] */
	{
		int tmin = 2, tmax = 0;
		float ranges[2 * NCOLS], h = (y1 - 0.04f) * TIER_SHARE;

		for (col = 0; col < nused; col++) {
			if (col_tier[used[col]] < tmin)
				tmin = col_tier[used[col]];
			if (col_tier[used[col]] > tmax)
				tmax = col_tier[used[col]];
		}
		for (col = 0; col < NCOLS; col++) {
			float f = tmax > tmin ? (float)(col_tier[col] - tmin) /
			    (float)(tmax - tmin) : -1;
			float hc = h;
			int m = 0;

			/* a column of several nodes needs the height more */
			for (i = 0; i < c->n; i++)
				m += c->col[i] == col;
			if (m > 1)
				hc = fminf(y1 - 0.04f, h + (y1 - 0.04f) * 0.3f *
				    (float)(m - 1));
			if (f < 0 || f > 1) {
				ranges[2 * col] = 0.04f;
				ranges[2 * col + 1] = y1;
			} else {
				ranges[2 * col] = 0.04f + f * (y1 - 0.04f - hc);
				ranges[2 * col + 1] = ranges[2 * col] + hc;
			}
		}
		place_columns(c, NCOLS, 0.04f, y1, colx, ranges);
	}

	/* the lower band: fixed columns, or the mean of the neighbours */
	low = xmalloc(c->n * sizeof(*low));
	for (i = 0; i < c->n; i++) {
		if (c->col[i] >= 0)
			continue;
		p = role_place(c->nodes[i].role);
		c->out->x[i] = (p != NULL && p->col != NO_COL) ?
		    colx[p->col] : 0.5f;
		c->out->y[i] = lower_y;
		low[nlow++] = i;
	}
	for (it = 0; it < 30; it++) {
		for (k = 0; k < nlow; k++) {
			float sum = 0;
			int cnt = 0;
			size_t l;

			i = low[k];
			p = role_place(c->nodes[i].role);
			if (p != NULL && p->col != NO_COL)
				continue;
			for (l = 0; l < c->nlinks; l++) {
				uint32_t o;

				if (c->links[l].a == i)
					o = c->links[l].b;
				else if (c->links[l].b == i)
					o = c->links[l].a;
				else
					continue;
				if (o < c->n) {
					sum += c->out->x[o];
					cnt++;
				}
			}
			if (cnt)
				c->out->x[i] = sum / (float)cnt;
		}
	}
	/* order the band by x and keep the tiles apart */
	for (k = 1; k < nlow; k++) {
		size_t v = low[k], j;

		for (j = k; j > 0 && c->out->x[low[j - 1]] > c->out->x[v]; j--)
			low[j] = low[j - 1];
		low[j] = v;
	}
	/* push apart to a minimum gap, keeping the order, inside the margins */
	for (k = 1; k < nlow; k++)
		if (c->out->x[low[k]] < c->out->x[low[k - 1]] + 0.12f)
			c->out->x[low[k]] = c->out->x[low[k - 1]] + 0.12f;
	if (nlow > 0 && c->out->x[low[nlow - 1]] > 1 - MARGIN)
		c->out->x[low[nlow - 1]] = 1 - MARGIN;
	for (k = nlow > 0 ? nlow - 1 : 0; k-- > 0;)
		if (c->out->x[low[k]] > c->out->x[low[k + 1]] - 0.12f)
			c->out->x[low[k]] = c->out->x[low[k + 1]] - 0.12f;
	for (k = 0; k < nlow && c->out->x[low[k]] < MARGIN; k++)
		c->out->x[low[k]] = MARGIN;
	free(low);
}

void
layout_compute(const struct layout_node_in *nodes, size_t n,
    const struct layout_link_in *links, size_t nlinks, struct layout *out)
{
	struct ctx c = { nodes, n, links, nlinks, out, NULL, NULL };
	const struct role_place *p;
	bool cloud = false;
	size_t i;
	int g;

	memset(out, 0, sizeof(*out));
	out->n = n;
	out->x = xcalloc(n ? n : 1, sizeof(float));
	out->y = xcalloc(n ? n : 1, sizeof(float));
	out->group = xcalloc(n ? n : 1, sizeof(int));
	c.col = xcalloc(n ? n : 1, sizeof(int));
	c.key = xcalloc(n ? n : 1, sizeof(float));
	for (i = 0; i < n; i++)
		if (role_place(nodes[i].role) != NULL)
			cloud = true;
	if (cloud)
		layout_cloud(&c);
	else
		layout_generic(&c);
	for (i = 0; i < n; i++) {
		if (fixed_pos(&nodes[i])) {
			out->x[i] = (float)nodes[i].pos[0] / 1000.0f;
			out->y[i] = (float)nodes[i].pos[1] / 1000.0f;
		}
		p = role_place(nodes[i].role);
		out->group[i] = p != NULL ? p->group : -1;
	}
	for (g = 0; g < LG_MAX; g++)
		out->groups[g].kind = (enum layout_group_kind)g;
	for (i = 0; i < n; i++) {
		struct layout_group *lg;
		const char *region = nodes[i].region;

		if (out->group[i] < 0)
			continue;
		lg = &out->groups[out->group[i]];
		if (!lg->present) {
			lg->present = 1;
			lg->x0 = lg->x1 = out->x[i];
			lg->y0 = lg->y1 = out->y[i];
			snprintf(lg->title, sizeof(lg->title), "%s",
			    lg->kind == LG_AZURE ? "Azure" :
			    lg->kind == LG_OCI ? "OCI" :
			    lg->kind == LG_PEERING ? "Peering location" :
			    "Internet");
		}
		if (out->x[i] < lg->x0)
			lg->x0 = out->x[i];
		if (out->x[i] > lg->x1)
			lg->x1 = out->x[i];
		if (out->y[i] < lg->y0)
			lg->y0 = out->y[i];
		if (out->y[i] > lg->y1)
			lg->y1 = out->y[i];
		/* "Azure · eastus": the first region seen names the group */
		if (region != NULL && region[0] != '\0' &&
		    lg->kind != LG_INTERNET && strchr(lg->title, '\xc2') ==
		    NULL) {
			size_t len = strlen(lg->title);

			snprintf(lg->title + len, sizeof(lg->title) - len,
			    " \xc2\xb7 %s", region);
		}
	}
	free(c.col);
	free(c.key);
}

void
layout_free(struct layout *l)
{
	free(l->x);
	free(l->y);
	free(l->group);
	memset(l, 0, sizeof(*l));
}
