/*
 * layout.h - where the nodes of a traced topology go.
 *
 * Positions are in a unit canvas ([0,1] x [0,1], y down); the renderer maps
 * the canvas onto its viewport. Cloud roles tell the story left to right:
 * the Azure region (VMs, then gateways), the peering location (MSEE, provider
 * equipment, Oracle's edge), the OCI region (DRG, then instances). The
 * internet, VPN gateways and provider networks go in a lower band, apart from
 * the private path. Generic roles (host, router) in a topology with no cloud
 * roles get a layered layout: breadth-first layers from the lowest-numbered
 * host, ordered within a layer by the mean position of their neighbours. A
 * node's explicit position (permille of the canvas) always wins.
 *
 * Groups are the labelled backdrops (one per cloud region / the peering
 * location / the internet) and hold the bounds of their members.
 */
#ifndef XCSIM_LAYOUT_H
#define XCSIM_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

struct layout_node_in {
	const char *name;
	const char *role;
	const char *region;
	int32_t pos[2];		/* permille, TRACE_POS_AUTO when absent */
};

struct layout_link_in {
	uint32_t a, b;		/* node indices */
};

enum layout_group_kind {
	LG_AZURE, LG_PEERING, LG_OCI, LG_INTERNET, LG_MAX
};

struct layout_group {
	enum layout_group_kind kind;
	int present;
	char title[96];
	float x0, y0, x1, y1;	/* bounds of the members' centres */
};

struct layout {
	size_t n;
	float *x, *y;		/* centre of each node, unit canvas */
	int *group;		/* enum layout_group_kind, or -1 */
	struct layout_group groups[LG_MAX];
	/* a crowded generic topology folded into a grid: its columns and
	 * rows (0 when not folded), whose pitch bounds the tiles */
	size_t grid_cols, grid_rows;
};

/* Computes out (allocating x, y, group); free with layout_free. */
void layout_compute(const struct layout_node_in *nodes, size_t n,
    const struct layout_link_in *links, size_t nlinks, struct layout *out);
void layout_free(struct layout *l);

/* Colour family of a role: 0 neutral, 1 Azure, 2 Oracle, 3 internet. */
int layout_role_family(const char *role);

#endif
