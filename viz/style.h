/*
 * style.h - the viewer's vocabulary: colours, names and levels.
 *
 * One place says what a role, a protocol, a packet class, a state and a
 * utilisation look like and are called, so the canvas, the panels, the
 * event list and the plots agree: a state is good, warning or bad in the
 * same colour wherever it is shown (an OCI resource AVAILABLE is good on a
 * node's badge and in the event list alike). The palette is GitHub-dark-like
 * neutrals with the clouds' brand colours; the packet classes and the
 * utilisation ramp (green, amber, red) are kept apart so a busy link never
 * reads as an idle one.
 */
#ifndef XCSIM_STYLE_H
#define XCSIM_STYLE_H

#include <stdbool.h>
#include <stdint.h>

#include "scan.h"

/* neutrals */
#define C_BG 0x0d1117u
#define C_CANVAS 0x0f141au
#define C_PANEL 0x161b22u
#define C_PANEL2 0x1c2129u
#define C_BORDER 0x30363du
#define C_GRID 0x262c36u
#define C_TEXT 0xe6edf3u
#define C_MUTED 0x8b949eu
#define C_SUBTLE 0x6e7681u
#define C_FAINT 0x484f58u
#define C_ACCENT 0x58a6ffu
#define C_SELECT 0xf2cc60u
/* roles and regions */
#define C_AZURE 0x0078d4u
#define C_ORACLE 0xc74634u
#define C_PEERING 0x6e7781u
#define C_INTERNET 0x8250dfu
#define C_HOST 0x238636u
#define C_ROUTER 0x57606au
/* levels, and the utilisation ramp between them */
#define C_IDLE 0x3a4350u
#define C_GOOD 0x3fb950u
#define C_WARN 0xd29922u
#define C_BAD 0xf85149u
/* a down link */
#define STYLE_DOWN_RGB 0xf85149u

/* 0xRRGGBB of a packet class (enum decode_class). */
uint32_t style_class_rgb(int cls);
/* The level a session or resource state means: established, up,
 * succeeded, provisioned, connected, available, running are good; idle,
 * down, failed, closed, adminDown, terminated are bad; anything else is on
 * its way (warning). NULL is information. Case does not matter. */
enum scan_level style_state_level(const char *state);
/* 0xRRGGBB of a level. */
uint32_t style_level_rgb(int level);
/* 0xRRGGBB of a link direction busy u (0..1) of the time. */
uint32_t style_util_rgb(float u);
/* 0xRRGGBB of a node role's tile. */
uint32_t style_role_rgb(const char *role);
/* A role's name: short (under a tile) or full (panel, tooltip); the role
 * itself when it has none, "" for NULL. */
const char *style_role_name(const char *role, bool full);
/* "BGP", "BFD", ... for enum trace_proto; "session" when unknown. */
const char *style_proto_name(unsigned proto);
/* a + (b - a) f per channel, f clamped to [0, 1]. */
uint32_t style_mix(uint32_t a, uint32_t b, float f);

#endif
