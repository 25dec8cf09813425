/* style.c - colours, names and levels shared by the canvas, panels, plots. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "decode.h"
#include "layout.h"
#include "style.h"
#include "trace.h"

/*
 * UDP is pink: the utilisation ramp runs green to amber to red, and a
 * saturated link full of UDP must not look like an idle green one.
 */
static const uint32_t class_rgb[DC_MAX] = {
	[DC_OTHER] = 0xb1bac4u,
	[DC_ICMP] = 0xf2cc60u,
	[DC_TCP_DATA] = 0x4493f8u,
	[DC_TCP_ACK] = 0x9ecbffu,
	[DC_BGP] = 0xd2a8ffu,
	[DC_BFD] = 0xffa657u,
	[DC_ESP] = 0x3fd5c8u,
	[DC_UDP] = 0xff80ccu,
};

uint32_t
style_class_rgb(int cls)
{
	return cls >= 0 && cls < DC_MAX ? class_rgb[cls] : class_rgb[0];
}

uint32_t
style_mix(uint32_t a, uint32_t b, float f)
{
	uint32_t out = 0;
	int sh;

	if (f < 0)
		f = 0;
	if (f > 1)
		f = 1;
	for (sh = 0; sh <= 16; sh += 8) {
		float ca = (float)((a >> sh) & 255), cb = (float)((b >> sh) &
		    255);

		out |= (uint32_t)(ca + (cb - ca) * f) << sh;
	}
	return out;
}

static const char *const good_states[] = { "established", "up",
	"succeeded", "provisioned", "connected", "available", "running" };
static const char *const bad_states[] = { "idle", "down", "failed",
	"closed", "adminDown", "terminated" };

enum scan_level
style_state_level(const char *st)
{
	size_t i;

	if (st == NULL)
		return SL_INFO;
	for (i = 0; i < sizeof(good_states) / sizeof(good_states[0]); i++)
		if (strcasecmp(st, good_states[i]) == 0)
			return SL_GOOD;
	for (i = 0; i < sizeof(bad_states) / sizeof(bad_states[0]); i++)
		if (strcasecmp(st, bad_states[i]) == 0)
			return SL_BAD;
	return SL_WARN;
}

uint32_t
style_level_rgb(int level)
{
	switch (level) {
	case SL_GOOD:
		return C_GOOD;
	case SL_WARN:
		return C_WARN;
	case SL_BAD:
		return C_BAD;
	default:
		return C_ACCENT;
	}
}

uint32_t
style_util_rgb(float u)
{
	if (u < 0.002f)
		return C_IDLE;
	if (u < 0.5f)
		return style_mix(C_GOOD, C_WARN, u / 0.5f);
	return style_mix(C_WARN, C_BAD, (u - 0.5f) / 0.5f);
}

uint32_t
style_role_rgb(const char *role)
{
	switch (layout_role_family(role)) {
	case 1:
		return C_AZURE;
	case 2:
		return C_ORACLE;
	case 3:
		return C_INTERNET;
	default:
		break;
	}
	if (role != NULL && strcmp(role, "host") == 0)
		return C_HOST;
	if (role != NULL && (strcmp(role, "msee") == 0 ||
	    strncmp(role, "provider-", 9) == 0))
		return C_PEERING;
	return C_ROUTER;
}

static const struct {
	const char *role, *brief, *full;
} role_names[] = {
	{ "azure-vm", "Azure VM", "Azure virtual machine" },
	{ "azure-er-gateway", "ER gateway", "ExpressRoute gateway" },
	{ "azure-vpn-gateway", "VPN gateway", "Azure VPN gateway" },
	{ "azure-vnet", "VNet", "Azure virtual network (VNet)" },
	{ "msee", "MSEE", "Microsoft enterprise edge (MSEE)" },
	{ "provider-edge", "provider edge", "provider edge router" },
	{ "provider-core", "provider core", "provider core router" },
	{ "oci-edge", "Oracle edge", "Oracle FastConnect edge router" },
	{ "oci-drg", "DRG", "dynamic routing gateway (DRG)" },
	{ "oci-instance", "OCI instance", "OCI compute instance" },
	{ "oci-vcn", "VCN", "OCI virtual cloud network (VCN)" },
	{ "internet", "internet", "the internet" },
};

const char *
style_role_name(const char *role, bool full)
{
	size_t i;

	for (i = 0; role != NULL && i < sizeof(role_names) /
	    sizeof(role_names[0]); i++)
		if (strcmp(role, role_names[i].role) == 0)
			return full ? role_names[i].full : role_names[i].brief;
	return role != NULL ? role : "";
}

const char *
style_proto_name(unsigned p)
{
	static const char *const names[TRP_MAX] = { [TRP_TCP] = "TCP",
		[TRP_BGP] = "BGP", [TRP_BFD] = "BFD", [TRP_IKE] = "IKE" };

	return p < TRP_MAX && names[p] != NULL ? names[p] : "session";
}
